use std::time::Instant;
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn hwm() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = s
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    let rss = s
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    format!(
        "[rss {}MB hwm {}MB]",
        rss.parse::<u64>().unwrap() / 1024,
        hwm.parse::<u64>().unwrap() / 1024
    )
}
fn main() {
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    let path = std::env::args().nth(1).unwrap();
    let t0 = Instant::now();
    let t = Instant::now();
    let file = std::fs::File::open(&path).unwrap();
    let bytes = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.unwrap();
    eprint!("read {:?} {} ", t.elapsed(), hwm());
    let t = Instant::now();
    let mut c = nhi_lens::Collector::new();
    c.add(&path, &bytes);
    eprint!("add {:?} {} ", t.elapsed(), hwm());
    drop(bytes);
    let t = Instant::now();
    eprint!("[after drop {}] ", hwm());
    let inv = c.finish();
    eprint!("finish {:?} {} ", t.elapsed(), hwm());
    let t = Instant::now();
    let now = nhi_lens::timestamp::parse("2026-11-29").unwrap();
    let report = nhi_lens::assess(inv, &nhi_lens::Policy::default(), now);
    eprint!("assess {:?} {} ", t.elapsed(), hwm());
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create("/dev/null").unwrap());
    nhi_lens::report::write_table(
        &report,
        &nhi_lens::report::TableOptions::default(),
        &mut out,
    )
    .unwrap();
    eprintln!("table {:?} {} total {:?}", t.elapsed(), hwm(), t0.elapsed());
    std::mem::forget(report);
}
