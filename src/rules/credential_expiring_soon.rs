//! ## What it does
//! Notes live credentials that expire within the policy's warning window (30 days by default).
//!
//! ## Why is this bad?
//! It is not a risk but an outage waiting to happen, and outages are how long-lived replacement
//! secrets get created in a hurry. It adds no risk points; it is here so owners rotate on their
//! own schedule.
//!
//! ## Example
//! A certificate on the "Payroll sync" app that expires in 12 days.
//!
//! ## Remediation
//! Create the replacement credential now, move the workload to it, and delete the old one before
//! it expires. Prefer a federated credential, which needs no rotation at all.
//!
//! ## References
//! - Azure CLI request to warn owners before service principal credentials expire: https://github.com/Azure/azure-cli/issues/27507

use super::{Applies, Context, Day, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{Expiry, Identity, days_between};

/// NL104
pub struct CredentialExpiringSoon;

static META: RuleMeta = RuleMeta {
    code: "NL104",
    name: "credential_expiring_soon",
    title: "Credential expires soon",
    severity: Severity::Info,
    applies: Applies::NonHuman,
};

impl Rule for CredentialExpiringSoon {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let window = cx.thresholds.expiring_soon_days;
        let mut evidence = Evidence::default();
        for c in identity.live_credentials(cx.now) {
            // An idle expiry renews on every use: it is not a date anyone plans for.
            let Expiry::At { at: end } = c.expiry else {
                continue;
            };
            let left = days_between(cx.now, end);
            if left <= window {
                evidence.item(format_args!(
                    "{} expires {} (in {left} days)",
                    c.name(),
                    Day(end)
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
    use crate::model::{CredentialKind, Kind};
    use crate::rules::testing::*;

    #[test]
    fn notes_credentials_inside_the_window_only() {
        let mut id = workload(Kind::ServicePrincipal);
        id.credentials = vec![
            credential(
                CredentialKind::Certificate,
                300,
                Expiry::At { at: in_days(12) },
            ),
            credential(CredentialKind::Secret, 300, Expiry::At { at: in_days(200) }),
            credential(CredentialKind::Secret, 300, Expiry::At { at: days_ago(2) }),
            credential(
                CredentialKind::Token,
                300,
                Expiry::Idle {
                    at: in_days(20),
                    days: 30,
                },
            ),
        ];
        let found = check(&CredentialExpiringSoon, &id);
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("in 12 days"));
        assert!(!found[0].evidence.contains("in 200"));
    }
}
