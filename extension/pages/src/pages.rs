//! One app per extension page.

pub mod card;
pub mod options;
pub mod popup;
pub mod sidepanel;
