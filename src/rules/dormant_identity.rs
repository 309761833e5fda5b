//! ## What it does
//! Flags enabled identities that have not been used within the policy's dormancy window (90 days
//! by default), or never at all since they were created before it. Only platforms that record use
//! are judged; "not recorded" or "not loaded" is never read as "unused".
//!
//! ## Why is this bad?
//! An identity nobody uses still works for whoever holds its credentials. Dormant identities are
//! what improper offboarding leaves behind: the integration was replaced, the vendor left, the
//! project ended, and the access stayed (OWASP NHI1).
//!
//! ## Example
//! A fine-grained token last used 200 days ago; an Entra app with no sign-in in the sign-in
//! activity report since its creation last year.
//!
//! ## Remediation
//! Ask the owner whether it is still needed. If not, disable it, wait a cycle for anything that
//! breaks, then delete it and its credentials. If it is needed but rarely, record why in a risk
//! acceptance with an expiry.
//!
//! ## References
//! - OWASP NHI1:2025 Improper Offboarding: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - NIST SP 800-53 AC-2(3) Disable accounts: https://csrc.nist.gov/projects/cprt/catalog#/cprt/framework/version/SP_800_53_5_1_1/home?element=AC-02(03)

use super::{Applies, Context, Day, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Party, Usage, days_between};

/// NL201
pub struct DormantIdentity;

static META: RuleMeta = RuleMeta {
    code: "NL201",
    name: "dormant_identity",
    title: "Enabled but not used within the dormancy window",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for DormantIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // The platform vendor keeps its own service identities (AWS service-linked roles,
        // Microsoft's apps) whether anyone uses them or not.
        if !identity.can_act(cx.now) || identity.pending || identity.party() == Party::FirstParty {
            return;
        }
        let window = cx.thresholds.dormant_days;
        let evidence = match &identity.usage {
            Usage::Used(last) => {
                let idle = days_between(last.at, cx.now);
                (idle > window).then(|| {
                    format!(
                        "last used {} ({idle} days ago, from {}); window {window}",
                        Day(last.at),
                        last.source
                    )
                })
            }
            Usage::Never { source } => match identity.created_at {
                Some(created) if days_between(created, cx.now) <= window => None,
                Some(created) => Some(format!(
                    "never used ({source}) since it was created {} ({} days ago)",
                    Day(created),
                    days_between(created, cx.now)
                )),
                None => Some(format!("never used ({source}); creation date unknown")),
            },
            Usage::NotLoaded | Usage::NotRecorded => None,
        };
        if let Some(evidence) = evidence {
            out.push(Finding::new(&META, evidence));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::rules::testing::*;

    #[test]
    fn flags_old_use_and_old_never_used() {
        let mut id = workload(Kind::UserToken);
        id.usage = used(200);
        assert!(
            check(&DormantIdentity, &id)[0]
                .evidence
                .contains("200 days ago")
        );
        id.usage = Usage::Never {
            source: "fixture".into(),
        };
        id.created_at = Some(days_ago(365));
        assert!(
            check(&DormantIdentity, &id)[0]
                .evidence
                .contains("never used")
        );
    }

    #[test]
    fn quiet_when_recent_new_disabled_or_unknown() {
        let mut id = workload(Kind::UserToken);
        id.usage = used(30);
        assert!(check(&DormantIdentity, &id).is_empty());
        id.usage = Usage::Never {
            source: "fixture".into(),
        };
        id.created_at = Some(days_ago(5));
        assert!(check(&DormantIdentity, &id).is_empty());
        id.created_at = Some(days_ago(500));
        id.usage = Usage::NotLoaded;
        assert!(check(&DormantIdentity, &id).is_empty());
        id.usage = used(300);
        id.enabled = false;
        assert!(check(&DormantIdentity, &id).is_empty());
    }
}
