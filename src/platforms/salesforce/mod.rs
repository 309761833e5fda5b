//! Salesforce: OAuth tokens of connected apps.
//!
//! Facts: `reference/platforms.md` §6, §10.6.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Salesforce in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Salesforce,
    consoles: &[
        "https://*.lightning.force.com/lightning/setup/ConnectedAppsUsage/*",
        "https://*.lightning.force.com/lightning/setup/ConnectedApplication/*",
        "https://*.my.salesforce.com/identity/app/connectedAppsUsage.apexp*",
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
