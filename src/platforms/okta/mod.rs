//! Okta: API tokens (SSWS).
//!
//! Facts: `reference/platforms.md` §5. The Okta Admin Console calls the same `/api/v1` REST API
//! with the admin's session.

mod api_tokens;

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Okta in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Okta,
    consoles: &[
        "https://*-admin.okta.com/admin/access/api/tokens*",
        "https://*-admin.oktapreview.com/admin/access/api/tokens*",
        "https://*-admin.okta.com/admin/apps*",
        "https://*-admin.okta.com/admin/app/*",
    ],
    formats: &[api_tokens::FORMAT],
};

/// Okta records joined across inputs (service apps with their grants and secrets); assembled once
/// every input is read.
#[derive(Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}
