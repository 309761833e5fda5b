//! Reading a Graph applications page: serde_json alone into typed records (the floor) against
//! NHI Lens's whole pipeline (probe, parse, join, score) on the same bytes.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use time::macros::datetime;

#[path = "support/graph.rs"]
mod graph;

fn parsing(c: &mut Criterion) {
    let page = graph::applications_page(10_000, 7);
    let bytes = page.as_bytes();
    let mut group = c.benchmark_group("graph_applications_10k");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.bench_function("serde_json_floor", |b| {
        b.iter(|| {
            serde_json::from_slice::<graph::Page>(black_box(bytes))
                .unwrap()
                .value
                .len()
        })
    });
    let policy = nhi_lens::Policy::default();
    group.bench_function("nhi_lens_scan", |b| {
        b.iter(|| {
            let report = nhi_lens::scan(
                [("applications.json", black_box(bytes))],
                &policy,
                datetime!(2026-11-29 00:00 UTC),
            );
            assert!(report.errors.is_empty());
            report.len()
        })
    });
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
