//! ## What it does
//! Flags identities whose permissions grew since an earlier scan (`nhi-lens scan --previous
//! report.json`): scopes added that the earlier grants did not already include.
//!
//! ## Why is this bad?
//! Service identities accumulate permissions one request at a time until an integration that
//! once read a calendar can administer the tenant. Each addition looked small; the sum is a
//! platform dependency nobody reviewed. Growth is the signal to re-review (OWASP NHI5).
//!
//! ## Example
//! A GitHub App that held `contents:read` last quarter and now also holds `administration:write`.
//!
//! ## Remediation
//! Review why each new permission was needed and who approved it; remove what is not used; for
//! vendor apps, ask the vendor what the new permission is for before accepting it.
//!
//! ## References
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - NIST CSF 2.0 PR.AA-05 (access permissions managed and reviewed)

use super::{Applies, Context, Day, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Tier};

/// NL308
pub struct ScopeCreep;

static META: RuleMeta = RuleMeta {
    code: "NL308",
    name: "scope_creep",
    title: "Permissions grew since the earlier scan",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for ScopeCreep {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(previous) = &identity.previous else {
            return;
        };
        let mut evidence = Evidence::default();
        let mut admin = false;
        for g in &identity.grants {
            let held_before = previous
                .grants
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&g.name) && p.resource == g.resource)
                || previous.covered.contains(&g.name);
            if !held_before {
                admin |= g.tier == Tier::Admin;
                evidence.item(format_args!("{} ({})", g.name, g.tier.as_str()));
            }
        }
        if let Some(added) = evidence.finish() {
            let finding = Finding::new(&META, format!("added since {}: {added}", Day(previous.at)));
            out.push(if admin {
                finding.with_severity(Severity::High)
            } else {
                finding
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Previous};
    use crate::rules::testing::*;

    #[test]
    fn new_grants_are_named_and_admin_ones_rate_high() {
        let mut id = workload(Kind::GithubApp);
        id.grants = vec![grant("contents:read", Tier::SensitiveRead)];
        assert!(
            check(&ScopeCreep, &id).is_empty(),
            "no earlier scan, no finding"
        );
        id.previous = Some(Box::new(Previous {
            at: days_ago(90),
            grants: id.grants.clone(),
            covered: Vec::new(),
        }));
        assert!(check(&ScopeCreep, &id).is_empty(), "nothing added");
        id.grants.push(grant("issues:write", Tier::Write));
        assert_eq!(check(&ScopeCreep, &id)[0].severity, Severity::Medium);
        id.grants.push(grant("administration:write", Tier::Admin));
        let found = check(&ScopeCreep, &id);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].evidence.contains("issues:write (write)"));
        id.grants = vec![
            grant("contents:read", Tier::SensitiveRead),
            grant("drive.readonly", Tier::SensitiveRead),
        ];
        id.previous.as_mut().unwrap().covered = vec!["drive.readonly".into()];
        assert!(
            check(&ScopeCreep, &id).is_empty(),
            "a scope a broader earlier one included is not growth"
        );
    }
}
