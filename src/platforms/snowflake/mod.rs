//! Snowflake: users from `SHOW USERS` (or the `SNOWFLAKE.ACCOUNT_USAGE.USERS` view), people and
//! services alike, as CSV or JSON.
//!
//! Facts: `reference/platforms.md` §9, §10.9. Snowsight renders its Users & Roles grid from
//! internal query APIs; the command line reads the query result, downloaded or from snowsql.

mod users;
mod users_csv;
mod users_json;

use super::PlatformSpec;
use crate::model::{Identity, Platform};

/// Snowflake in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Snowflake,
    consoles: &["https://app.snowflake.com/*"],
    pages: &[],
    formats: &[users_csv::FORMAT, users_json::FORMAT],
    catalogues: &[roles],
};

crate::catalogue!(roles, "roles.toml");

/// Records of this platform joined across inputs; assembled once every input is read. Every
/// Snowflake user is complete in one row, so nothing is joined yet.
#[derive(Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn the_roles_catalogue_loads_with_its_hierarchy() {
        let roles = roles();
        assert_eq!(roles.classify("accountadmin"), (Tier::Admin, true));
        assert_eq!(roles.classify("SYSADMIN"), (Tier::Write, true));
        assert_eq!(roles.classify("PUBLIC"), (Tier::Read, true));
        assert_eq!(
            roles.classify("DATA_ENGINEER"),
            (Tier::SensitiveRead, false)
        );
        assert!(roles.covers("ACCOUNTADMIN", "USERADMIN"));
        assert!(!roles.covers("SYSADMIN", "SECURITYADMIN"));
    }
}
