//! ## What it does
//! Flags identities that can write across the whole organisation: an app installed on all
//! repositories with write permissions, a token covering every repository its user can reach.
//!
//! ## Why is this bad?
//! "All repositories" includes the ones created next year. A write-capable integration with
//! organisation-wide reach turns one leaked credential or one compromised vendor into a change to
//! every codebase (OWASP NHI5).
//!
//! ## Example
//! A GitHub App installed with `repository_selection: all` and `contents:write`; a classic PAT
//! with the `repo` scope authorized for SSO.
//!
//! ## Remediation
//! Install the app on selected repositories only, or replace the token with a fine-grained token
//! limited to the repositories it works on, with read access where writing is not needed.
//!
//! ## References
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - GitHub: modifying an installation's repository access: https://docs.github.com/apps/using-github-apps/reviewing-and-modifying-installed-github-apps

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Reach, Tier};

/// NL302
pub struct BroadWriteAccess;

static META: RuleMeta = RuleMeta {
    code: "NL302",
    name: "broad_write_access",
    title: "Write access across the whole organisation",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for BroadWriteAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.reach != Reach::All || !identity.can_act(cx.now) {
            return;
        }
        let mut evidence = Evidence::default();
        for g in identity.grants.iter().filter(|g| g.tier >= Tier::Write) {
            evidence.item(&g.name);
        }
        if let Some(names) = evidence.finish() {
            out.push(Finding::new(
                &META,
                format!("reaches everything in the organisation (all repositories, the whole tenant) with {names}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::rules::testing::*;

    #[test]
    fn needs_both_org_wide_reach_and_write() {
        let mut id = workload(Kind::GithubApp);
        id.grants = vec![
            grant("contents:write", Tier::Write),
            grant("metadata:read", Tier::Read),
        ];
        id.reach = Reach::Selected;
        assert!(check(&BroadWriteAccess, &id).is_empty());
        id.reach = Reach::All;
        let found = check(&BroadWriteAccess, &id);
        assert!(found[0].evidence.contains("contents:write"));
        assert!(!found[0].evidence.contains("metadata"));
        id.grants = vec![grant("contents:read", Tier::SensitiveRead)];
        assert!(check(&BroadWriteAccess, &id).is_empty());
    }
}
