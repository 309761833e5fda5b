//! ## What it does
//! Flags live credentials that never expire, that live as long as they keep being used, or whose
//! expiry lies further ahead than the policy's expiry horizon (365 days by default).
//!
//! ## Why is this bad?
//! A credential that does not expire keeps working long after the project, the vendor or the
//! person behind it is gone, and a leaked copy keeps working too (OWASP NHI7, long-lived
//! secrets). Short lifetimes bound the damage of every leak.
//!
//! ## Example
//! An Entra client secret created in 2024 with an end date of 2299-12-31; a GitHub deploy key
//! (deploy keys have no expiry); an Okta API token, which only expires after 30 idle days.
//!
//! ## Remediation
//! Replace the credential with one that expires within the policy horizon, or better with a
//! federated credential or managed identity that has no stored secret at all. Set an expiry policy
//! on the platform where one exists (Entra app management policies, GitHub fine-grained token
//! maximum lifetime).
//!
//! ## References
//! - OWASP NHI7:2025 Long-Lived Secrets: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - Microsoft: app management policies restrict secret lifetime: https://learn.microsoft.com/graph/api/resources/applicationauthenticationmethodpolicy

use super::{Applies, Context, Day, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{Expiry, Identity, days_between};

/// NL101
pub struct CredentialLongLived;

static META: RuleMeta = RuleMeta {
    code: "NL101",
    name: "credential_long_lived",
    title: "Credential never expires or outlives the expiry horizon",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for CredentialLongLived {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let horizon = cx.thresholds.expiry_horizon_days;
        let mut evidence = Evidence::default();
        for c in identity
            .live_credentials(cx.now)
            .filter(|c| c.kind.is_static_secret())
        {
            match c.expiry {
                Expiry::Never => evidence.item(format_args!("{} never expires", c.name())),
                Expiry::Idle { days, .. } => evidence.item(format_args!(
                    "{} expires only after {days} idle days, so it lives as long as it is used",
                    c.name()
                )),
                Expiry::At { at } if days_between(cx.now, at) > horizon => {
                    evidence.item(format_args!(
                        "{} expires {} ({} days away, horizon {horizon})",
                        c.name(),
                        Day(at),
                        days_between(cx.now, at)
                    ))
                }
                _ => {}
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
    use crate::model::{CredentialKind, Kind};
    use crate::rules::testing::*;

    #[test]
    fn flags_never_idle_and_far_expiries() {
        let mut id = workload(Kind::ServicePrincipal);
        id.credentials = vec![
            credential(CredentialKind::Secret, 30, Expiry::At { at: in_days(3000) }),
            credential(CredentialKind::Key, 30, Expiry::Never),
            credential(
                CredentialKind::Token,
                30,
                Expiry::Idle {
                    at: in_days(20),
                    days: 30,
                },
            ),
        ];
        let found = check(&CredentialLongLived, &id);
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("3000 days away"));
        assert!(found[0].evidence.contains("never expires"));
        assert!(found[0].evidence.contains("30 idle days"));
    }

    #[test]
    fn quiet_for_short_expired_inactive_and_federated() {
        let mut id = workload(Kind::ServicePrincipal);
        let mut inactive = credential(CredentialKind::Key, 30, Expiry::Never);
        inactive.active = false;
        id.credentials = vec![
            credential(CredentialKind::Secret, 30, Expiry::At { at: in_days(90) }),
            credential(CredentialKind::Secret, 900, Expiry::At { at: days_ago(1) }),
            credential(CredentialKind::Federated, 30, Expiry::Never),
            credential(CredentialKind::Secret, 30, Expiry::Unknown),
            inactive,
        ];
        assert!(check(&CredentialLongLived, &id).is_empty());
    }
}
