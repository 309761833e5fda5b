//! ## What it does
//! Flags live credentials that have never been used, although they were created more than the
//! policy's grace period ago (30 days by default), on identities that are otherwise in use. (An
//! identity never used at all is reported as dormant instead.)
//!
//! ## Why is this bad?
//! A credential nobody uses has no reason to exist, and it is the one nobody will miss if it is
//! stolen. Typical causes: a rotation that created a new secret but never switched to it, or a
//! "spare" key kept just in case (OWASP NHI1, NHI7).
//!
//! ## Example
//! An Entra app in daily use with a second client secret that the credential sign-in report shows
//! never signed in.
//!
//! ## Remediation
//! Delete the unused credential. If it is a spare for emergencies, store that decision as a risk
//! acceptance with an expiry.
//!
//! ## References
//! - Prowler check entra_app_registration_client_secret_unused: https://hub.prowler.com/

use super::{Applies, Context, Day, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Usage, days_between};

/// NL202
pub struct CredentialNeverUsed;

static META: RuleMeta = RuleMeta {
    code: "NL202",
    name: "credential_never_used",
    title: "Credential never used",
    severity: Severity::Low,
    applies: Applies::NonHuman,
};

impl Rule for CredentialNeverUsed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if matches!(identity.usage, Usage::Never { .. }) || identity.pending {
            return;
        }
        let grace = cx.thresholds.never_used_grace_days;
        let mut evidence = Evidence::default();
        for c in identity.live_credentials(cx.now) {
            if let (Usage::Never { .. }, Some(created)) = (&c.usage, c.created_at)
                && days_between(created, cx.now) > grace
            {
                evidence.item(format_args!(
                    "{} created {} never used",
                    c.name(),
                    Day(created)
                ));
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

    fn never() -> Usage {
        Usage::Never {
            source: "fixture".into(),
        }
    }

    #[test]
    fn flags_an_unused_spare_on_a_used_identity() {
        let mut id = workload(Kind::ServicePrincipal);
        let mut spare = credential(CredentialKind::Secret, 120, Expiry::Never);
        spare.usage = never();
        id.credentials = vec![
            credential(CredentialKind::Secret, 120, Expiry::Never),
            spare,
        ];
        assert_eq!(check(&CredentialNeverUsed, &id).len(), 1);
    }

    #[test]
    fn leaves_new_credentials_and_dormant_identities_alone() {
        let mut id = workload(Kind::ServicePrincipal);
        let mut fresh = credential(CredentialKind::Secret, 5, Expiry::Never);
        fresh.usage = never();
        id.credentials = vec![fresh];
        assert!(check(&CredentialNeverUsed, &id).is_empty());
        id.credentials[0].created_at = Some(days_ago(300));
        id.usage = never();
        assert!(check(&CredentialNeverUsed, &id).is_empty());
    }
}
