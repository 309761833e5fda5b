//! ## What it does
//! Flags service identities of a type the platform keeps only for compatibility, such as
//! Snowflake's `LEGACY_SERVICE` users.
//!
//! ## Why is this bad?
//! Legacy service types exist so old integrations keep working with old authentication: Snowflake
//! `LEGACY_SERVICE` users may still sign in with a password, which `SERVICE` users cannot. They are
//! a transition state, and identities left in it keep the weaker authentication indefinitely
//! (OWASP NHI4).
//!
//! ## Example
//! A Snowflake user `BI_EXTRACT` with `type: LEGACY_SERVICE`.
//!
//! ## Remediation
//! Move the integration to key-pair or OAuth authentication, then change the user's type to the
//! current service type (`ALTER USER bi_extract SET TYPE = SERVICE`), which removes password and
//! MFA sign-in for good.
//!
//! ## References
//! - Snowflake: user types (`SERVICE`, `LEGACY_SERVICE`): https://docs.snowflake.com/en/user-guide/admin-user-management
//! - OWASP NHI4:2025 Insecure Authentication: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL803
pub struct LegacyServiceIdentity;

static META: RuleMeta = RuleMeta {
    code: "NL803",
    name: "legacy_service_identity",
    title: "Legacy service identity type",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for LegacyServiceIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(legacy) = &identity.legacy
            && identity.enabled
        {
            out.push(Finding::new(&META, legacy.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::rules::testing::*;

    #[test]
    fn names_the_legacy_type() {
        let mut id = workload(Kind::ServiceUser);
        assert!(check(&LegacyServiceIdentity, &id).is_empty());
        id.legacy = Some("Snowflake LEGACY_SERVICE user".into());
        assert!(
            check(&LegacyServiceIdentity, &id)[0]
                .evidence
                .contains("LEGACY_SERVICE")
        );
    }
}
