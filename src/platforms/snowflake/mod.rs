//! Snowflake: users from `SHOW USERS`, people and services alike.
//!
//! Facts: `reference/platforms.md` §9, §10.9.

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Snowflake in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Snowflake,
    consoles: &["https://app.snowflake.com/*"],
    formats: &[],
};

/// Records of this platform joined across inputs; assembled once every input is read.
#[derive(Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}
