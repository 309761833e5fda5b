//! The core as the extension's worker builds it: without `any-html` (page snapshots are read as
//! the markup a browser serializes) and without `exports` (no readers of exported files).
//! `cargo xtask test` runs it as `cargo test -p nhi-lens --no-default-features --test
//! worker_build`; with the default features it compiles to nothing.
#![cfg(not(any(feature = "any-html", feature = "exports")))]

mod common;

use std::path::Path;

use common::ids;
use nhi_lens::ingest::{Collector, Inventory};

fn fixture(path: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn read(source: &str, bytes: &[u8]) -> Inventory {
    let mut collector = Collector::new();
    collector.add(source, bytes);
    collector.finish()
}

#[test]
fn an_exported_file_reads_as_nothing_and_says_where_it_is_read() {
    // GitHub's REST installations list: no console page loads it.
    let inventory = read("installations.json", &fixture("github/installations.json"));
    assert!(inventory.identities.is_empty());
    assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
    assert!(
        inventory.errors[0]
            .message
            .contains("nhi-lens command line"),
        "{}",
        inventory.errors[0].message
    );
}

#[test]
fn a_response_a_console_loads_reads_as_in_the_command_line() {
    let inventory = read("api-tokens.json", &fixture("okta/api_tokens.json"));
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
    assert!(inventory.identities.len() >= 3, "{:?}", ids(&inventory));
}

#[test]
fn a_page_snapshot_reads_as_the_browser_serializes_it() {
    // The content script sends the page's markup as the browser serializes its DOM; html5ever's
    // serializer writes the same form. (html5ever's parser is in this test, not in the core.)
    let saved = String::from_utf8(fixture("github/hooks_dom.html")).unwrap();
    let url = nhi_lens::console::saved_from(&saved).expect("a saved-from line");
    let page = scraper::Html::parse_document(&saved);
    let mut snapshot = nhi_lens::console::snapshot_input(url, "");
    for part in page.root_element().child_elements() {
        snapshot.push_str(&part.inner_html());
    }
    let from_snapshot = read("hooks page", snapshot.as_bytes());
    assert!(
        from_snapshot.errors.is_empty(),
        "{:?}",
        from_snapshot.errors
    );
    assert!(!from_snapshot.identities.is_empty());
    // The saved page itself is markup of the same form: the same identities.
    assert_eq!(
        ids(&read("hooks page", saved.as_bytes())),
        ids(&from_snapshot)
    );
}
