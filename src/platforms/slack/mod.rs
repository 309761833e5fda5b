//! Slack: approved and requested apps of an Enterprise Grid organisation or workspace.
//!
//! Facts: `reference/platforms.md` §4, §10.4.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Slack in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Slack,
    consoles: &[
        "https://*.slack.com/apps/manage*",
        "https://app.slack.com/manage/*",
    ],
    formats: &[],
};

/// Records of this platform joined across inputs; assembled once every input is read.
#[derive(Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}
