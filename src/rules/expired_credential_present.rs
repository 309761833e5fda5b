//! ## What it does
//! Flags credentials that have expired but are still attached to the identity.
//!
//! ## Why is this bad?
//! An expired credential cannot sign in, but it is clutter that hides the live ones, it often
//! means the rotation was forgotten halfway, and on some platforms an admin can extend or reuse
//! it. Inventories full of dead credentials are inventories nobody reviews.
//!
//! ## Example
//! An Entra app with a client secret whose end date was last March, next to the secret that
//! replaced it.
//!
//! ## Remediation
//! Delete the expired credential. If nothing replaced it and the app still runs, find out what
//! broke, or whether the identity is still needed at all.
//!
//! ## References
//! - Prowler check entra_app_registration_credential_not_expired: https://hub.prowler.com/

use super::{Applies, Context, Day, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL103
pub struct ExpiredCredentialPresent;

static META: RuleMeta = RuleMeta {
    code: "NL103",
    name: "expired_credential_present",
    title: "Expired credential still attached",
    severity: Severity::Low,
    applies: Applies::NonHuman,
};

impl Rule for ExpiredCredentialPresent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut evidence = Evidence::default();
        for c in &identity.credentials {
            if let Some(end) = c.expiry.at().filter(|end| *end <= cx.now) {
                evidence.item(format_args!("{} expired {}", c.name(), Day(end)));
            }
        }
        if let Some(evidence) = evidence.finish() {
            out.push(Finding::new(&META, evidence));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialKind, Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn flags_only_expired_credentials() {
        let mut id = workload(Kind::ServicePrincipal);
        id.credentials = vec![credential(
            CredentialKind::Secret,
            30,
            Expiry::At { at: in_days(30) },
        )];
        assert!(check(&ExpiredCredentialPresent, &id).is_empty());
        id.credentials.push(credential(
            CredentialKind::Secret,
            400,
            Expiry::At { at: days_ago(3) },
        ));
        let found = check(&ExpiredCredentialPresent, &id);
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("expired 2026-05-29"));
    }
}
