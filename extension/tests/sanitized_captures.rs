//! What the extension stores (a console's JSON with secret-bearing fields removed) reads back into
//! exactly the identities the original response gives, for every JSON fixture and mock-console
//! response of every platform.

use std::path::{Path, PathBuf};

use nhi_lens::{Collector, Policy, report};
use nhi_lens_extension::sanitize::sanitize_json;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

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
    json_files(&root.join("tests/fixtures"), &mut files);
    json_files(&root.join("tests/consoles"), &mut files);
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
