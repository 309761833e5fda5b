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
