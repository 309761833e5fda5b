use std::time::Instant;
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    let path = std::env::args().nth(1).unwrap();
    let t0 = Instant::now();
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    eprint!("read {:?} ", t.elapsed());
    let t = Instant::now();
    let mut c = nhi_lens::Collector::new();
    c.add(&path, &bytes);
    eprint!("add {:?} ", t.elapsed());
    drop(bytes);
    let t = Instant::now();
    let inv = c.finish();
    eprint!("finish {:?} ", t.elapsed());
    let t = Instant::now();
    let now = nhi_lens::timestamp::parse("2026-11-29").unwrap();
    let report = nhi_lens::assess(inv, &nhi_lens::Policy::default(), now);
    eprint!("assess {:?} ", t.elapsed());
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create("/dev/null").unwrap());
    nhi_lens::report::write(&report, nhi_lens::report::Format::Table, &mut out).unwrap();
    eprintln!("table {:?} total {:?}", t.elapsed(), t0.elapsed());
    std::mem::forget(report);
}
