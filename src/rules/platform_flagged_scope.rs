//! ## What it does
//! Flags permissions the platform itself marks as sensitive (Slack's `is_sensitive` scopes).
//!
//! ## Why is this bad?
//! When the vendor marks a scope sensitive it is telling you the scope reaches private messages,
//! files or personal data, or lets the app act broadly. Apps holding such scopes deserve the same
//! review as an admin's access (OWASP NHI5).
//!
//! ## Example
//! A Slack app approved with `channels:history` and `files:read`, both `is_sensitive: true`.
//!
//! ## Remediation
//! Confirm the app needs each sensitive scope; ask the vendor for a version without them; approve
//! apps per workspace and per scope rather than organisation-wide.
//!
//! ## References
//! - Slack: `admin.apps.approved.list` (`is_sensitive`): https://docs.slack.dev/reference/methods/admin.apps.approved.list
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL307
pub struct PlatformFlaggedScope;

static META: RuleMeta = RuleMeta {
    code: "NL307",
    name: "platform_flagged_scope",
    title: "Holds scopes the platform marks as sensitive",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for PlatformFlaggedScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !identity.enabled {
            return;
        }
        let mut evidence = Evidence::default();
        for g in identity.grants.iter().filter(|g| g.flagged_sensitive) {
            evidence.item(&g.name);
        }
        if let Some(scopes) = evidence.finish() {
            out.push(Finding::new(
                &META,
                format!(
                    "{} marks as sensitive: {scopes}",
                    identity.platform.display_name()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Tier};
    use crate::rules::testing::*;

    #[test]
    fn only_flagged_scopes() {
        let mut id = workload(Kind::OauthApp);
        id.grants = vec![grant("chat:write", Tier::Write)];
        assert!(check(&PlatformFlaggedScope, &id).is_empty());
        let mut flagged = grant("channels:history", Tier::SensitiveRead);
        flagged.flagged_sensitive = true;
        id.grants.push(flagged);
        assert!(
            check(&PlatformFlaggedScope, &id)[0]
                .evidence
                .ends_with("channels:history")
        );
    }
}
