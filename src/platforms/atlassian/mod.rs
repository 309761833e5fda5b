//! Atlassian: user API tokens, organisation-wide and per user.
//!
//! Facts: `reference/platforms.md` §7, §10.7.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Atlassian in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Atlassian,
    consoles: &["https://admin.atlassian.com/o/*"],
    formats: &[],
};

/// Records of this platform joined across inputs; assembled once every input is read.
#[derive(Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}
