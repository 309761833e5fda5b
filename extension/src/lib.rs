//! The NHI Lens browser extension: the Rust brain of the background service worker and the Yew
//! extension pages. For now this crate only proves the rule core links into it for every target;
//! the extension itself is built out in the extension issue.

pub use nhi_lens::report::SCHEMA;
