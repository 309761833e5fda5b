//! Components shared by the pages.

pub mod chip;
pub mod detail;
pub mod export;
pub mod inventories;
pub mod notices;
pub mod select;
pub mod table;
