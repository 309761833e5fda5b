//! The standalone NHI Lens web page, where exports are dropped in and scored in the browser. For
//! now this crate only proves the rule core links into it for every target.

pub use nhi_lens::report::SCHEMA;
