//! Helpers shared by the integration tests.

// Each test crate uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use nhi_lens::ingest::Inventory;

/// Every file under `dir`, at any depth, appended to `out`.
pub fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The IDs of an inventory's identities, sorted.
pub fn ids(inventory: &Inventory) -> Vec<&str> {
    let mut ids: Vec<&str> = inventory.identities.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

/// A table's body redrawn as a redesign might draw it: rows as `div`s, cells as `span`s.
pub fn rows_as_divs(body: &str) -> String {
    body.replace("<tr ", "<div ")
        .replace("</tr>", "</div>")
        .replace("<td", "<span")
        .replace("</td>", "</span>")
}

/// Asserts that an inventory read no identity and says its one input is a changed page.
pub fn assert_changed_page(inventory: &Inventory) {
    assert!(inventory.identities.is_empty());
    assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
    assert!(
        inventory.errors[0].message.contains("page changed"),
        "{:?}",
        inventory.errors
    );
}
