//! Snowflake: users from `SHOW USERS` (or the `SNOWFLAKE.ACCOUNT_USAGE.USERS` view), people and
//! services alike, as CSV or JSON.
//!
//! Facts: `reference/platforms.md` §9, §10.9. Snowsight renders its Users & Roles grid from
//! internal query APIs; the command line reads the query result, downloaded or from snowsql, and
//! the extension reads the grid itself ([`users_page`]).

mod users;
mod users_csv;
mod users_json;
mod users_page;

use super::PlatformSpec;
use crate::console::{ConsolePage, GENERIC_ROWS, Region};
use crate::model::{Identity, Platform};

/// Snowflake in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Snowflake,
    // An account's Snowsight (`app.snowflake.com/<org>/<account>/#/…`, or
    // `/<region>/<account locator>/`): an account's name is its own only in its organization, and
    // a locator only in its region, so the tenant is both (`acmeorg/prod`).
    consoles: &["https://app.snowflake.com/{scope}/{tenant}/#/*"],
    pages: &[ConsolePage {
        id: "snowflake.users_page",
        title: "Snowsight Users & Roles: users",
        // `app.snowflake.com/<org>/<account>/` or `/<region>/<account locator>/`: the tenant is
        // the organization's account, or the region's locator.
        url: users_page::URL,
        // The grid comes from Snowsight's own query API (`apps-api.….app.snowflake.com`), whose
        // responses are undocumented: nothing is kept; the grid is read.
        api: &[],
        regions: &[Region {
            name: "users",
            selector: "[role=grid], table",
            required: true,
            limit: None,
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    }],
    formats: &[users_csv::FORMAT, users_json::FORMAT, users_page::FORMAT],
    catalogues: &[roles],
    self_managed: None,
    cells: &[],
    tenant_in_page: None,
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(roles, "platforms/snowflake/roles");

/// Records of this platform joined across inputs; assembled once every input is read. Every
/// Snowflake user is complete in one row, so nothing is joined yet.
#[derive(Clone, Default)]
pub struct Join {}

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, _out: &mut Vec<Identity>) {}
}

crate::platforms::absorb!(Join {});

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
