//! GitLab (GitLab.com and self-managed): personal, project and group access tokens, deploy
//! tokens and keys, service accounts.
//!
//! Facts: `reference/platforms.md` §13.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// GitLab in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Gitlab,
    consoles: &[
        "https://gitlab.com/groups/*/-/security/credentials*",
        "https://gitlab.com/groups/*/-/settings/access_tokens*",
        "https://gitlab.com/*/-/settings/access_tokens*",
        "https://gitlab.com/-/user_settings/personal_access_tokens*",
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
