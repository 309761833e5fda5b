//! The mock consoles of `tests/consoles/`, read as the mock server (`xtask/src/consoles.rs`)
//! serves them, for the platform page tests.

use std::path::{Path, PathBuf};

/// `tests/consoles/`.
pub fn consoles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consoles")
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The file the mock server answers a loopback path with: the file itself, `<path>@<query>.json`,
/// `<path>.json`.
pub fn served_file(path: &str) -> PathBuf {
    let (path, query) = path
        .split_once('?')
        .map_or((path, None), |(p, q)| (p, Some(q)));
    let base = consoles().join(decode(path).trim_start_matches('/'));
    let mut candidates = vec![base.clone()];
    if let Some(query) = query {
        candidates.push(PathBuf::from(format!(
            "{}@{}.json",
            base.display(),
            decode(query).replace('/', "_")
        )));
    }
    candidates.push(PathBuf::from(format!("{}.json", base.display())));
    candidates
        .into_iter()
        .find(|c| c.is_file())
        .unwrap_or_else(|| panic!("the mock serves nothing at {path}"))
}
