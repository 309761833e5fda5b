//! The NHI Lens browser extension's background brain, compiled to WebAssembly and run in the
//! service worker (extension origin, where `'wasm-unsafe-eval'` is allowed; see DESIGN.md).
//!
//! `background.js` registers the browser's listeners synchronously and passes every message here,
//! as JSON, with the sender as the browser reports it. The brain answers with the capture plan of a
//! console page, the badges for what the page captured, and everything the extension pages ask
//! for. All of it is plain Rust over a [`brain::Host`], tested natively; [`web`] is the thin
//! binding to `chrome.storage`, the clock and `fetch`.

pub mod annotate;
pub mod brain;
pub mod changes;
pub mod paging;
pub mod sanitize;
pub mod store;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod views;
pub mod warm;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use nhi_lens::report::SCHEMA;

/// The worker's allocator: TLSF (rlsf), smaller than the standard library's dlmalloc in
/// WebAssembly.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();
