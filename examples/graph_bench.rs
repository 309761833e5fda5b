//! Helpers for `cargo xtask bench`:
//!
//! - `graph_bench generate COUNT FILE` writes a synthetic Graph `GET /applications` export;
//! - `graph_bench floor FILE` parses it with serde_json alone into typed records holding the
//!   fields NHI Lens reads (the floor the full scan is compared with) and prints the record count
//!   and the parse time in nanoseconds.

use std::time::Instant;

#[path = "../benches/support/graph.rs"]
mod graph;

/// The same allocator, with the same settings, as the `nhi-lens` binary: the floor is measured
/// under the conditions the scan runs in.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // SAFETY: only records an option value, before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", count, file] => {
            let count: usize = count.parse().expect("COUNT is a number");
            std::fs::write(file, graph::applications_page(count, 42)).expect("FILE is writable");
        }
        ["floor", file] => {
            let bytes = std::fs::read(file).expect("FILE is readable");
            // Parsing only: reading the file is left out, so the floor is as low as it can be.
            let started = Instant::now();
            let page: graph::Page = serde_json::from_slice(&bytes).expect("FILE is a Graph page");
            let elapsed = started.elapsed();
            println!("{} {}", page.value.len(), elapsed.as_nanos());
        }
        _ => {
            eprintln!("usage: graph_bench generate COUNT FILE | graph_bench floor FILE");
            std::process::exit(2);
        }
    }
}
