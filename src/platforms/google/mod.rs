//! Google Workspace (third-party app tokens, the Admin console app lists, domain-wide
//! delegation) and Google Cloud IAM (service accounts and their keys).
//!
//! Facts: `reference/platforms.md` §3, §10.3.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Google in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Google,
    consoles: &[
        "https://admin.google.com/ac/owl*",
        "https://admin.google.com/ac/owl/list*",
        "https://admin.google.com/ac/owl/domainwidedelegation*",
        "https://console.cloud.google.com/iam-admin/serviceaccounts*",
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
