//! ## What it does
//! Flags people's accounts that hold programmatic credentials (key pairs, personal access tokens)
//! the way a service would.
//!
//! ## Why is this bad?
//! Automation that runs as a person inherits everything that person can do, stops when they
//! leave (or worse, keeps running after their offboarding was incomplete), and its actions cannot
//! be told from theirs. A key pair on a person's database account is usually a pipeline borrowing
//! a human identity (OWASP NHI10).
//!
//! ## Example
//! A Snowflake `PERSON` user `JSMITH` with `has_rsa_public_key: true`, used by a nightly dbt job.
//!
//! ## Remediation
//! Create a service identity for the automation with only the access it needs, move the key or
//! token there, and remove it from the person's account.
//!
//! ## References
//! - OWASP NHI10:2025 Human Use of NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - Snowflake: key-pair authentication: https://docs.snowflake.com/en/user-guide/key-pair-auth

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{CredentialKind, Identity};

/// NL802
pub struct PersonUsedAsService;

static META: RuleMeta = RuleMeta {
    code: "NL802",
    name: "person_used_as_service",
    title: "Person's account holds programmatic credentials",
    severity: Severity::Medium,
    applies: Applies::Everyone,
};

impl Rule for PersonUsedAsService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !identity.human || !identity.enabled {
            return;
        }
        let mut evidence = Evidence::default();
        for c in identity
            .live_credentials(cx.now)
            .filter(|c| matches!(c.kind, CredentialKind::Key | CredentialKind::Token))
        {
            evidence.item(c.name());
        }
        if let Some(names) = evidence.finish() {
            out.push(Finding::new(
                &META,
                format!("a person's account holds {names}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn a_key_on_a_person_is_flagged_a_password_is_not() {
        let mut id = workload(Kind::User);
        id.human = true;
        id.credentials = vec![credential(CredentialKind::Password, 10, Expiry::Never)];
        assert!(check(&PersonUsedAsService, &id).is_empty());
        id.credentials
            .push(credential(CredentialKind::Key, 10, Expiry::Never));
        assert_eq!(check(&PersonUsedAsService, &id).len(), 1);
        id.human = false;
        assert!(
            check(&PersonUsedAsService, &id).is_empty(),
            "workloads are expected to"
        );
    }
}
