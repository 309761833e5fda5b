//! What the extension stores (a console's JSON with secret-bearing fields removed) reads back into
//! exactly the identities the original response gives, for every JSON fixture and mock-console
//! response of every platform.

// The core's test helpers, shared rather than copied.
#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::Path;

use common::files_under;
use nhi_lens::{Collector, Policy, report};
use nhi_lens_extension::sanitize::sanitize_json;

fn read(source: &str, bytes: &[u8]) -> serde_json::Value {
    let mut collector = Collector::new();
    collector.add(source, bytes);
    let now = nhi_lens::timestamp::parse("2026-11-29T00:00:00Z").unwrap();
    let report = nhi_lens::assess(collector.finish(), &Policy::default(), now);
    report::to_json(&report)["identities"].clone()
}

#[test]
fn sanitized_captures_read_back_to_the_same_identities() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    files_under(&root.join("tests/fixtures"), &mut files);
    files_under(&root.join("tests/consoles"), &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "json"));
    let mut compared = 0;
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Some(clean) = sanitize_json(text) else {
            continue;
        };
        let source = file.display().to_string();
        let original = read(&source, &bytes);
        if original.as_array().is_none_or(|a| a.is_empty()) {
            continue;
        }
        assert_eq!(read(&source, clean.as_bytes()), original, "{source}");
        compared += 1;
    }
    assert!(compared > 100, "only {compared} files compared");
}
