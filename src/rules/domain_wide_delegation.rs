//! ## What it does
//! Flags clients granted domain-wide delegation: the right to act as any user of the domain for
//! the listed scopes.
//!
//! ## Why is this bad?
//! A domain-wide delegation client does not need anyone's consent: with its service-account key it
//! can read any user's mail, files or calendar, or act as an administrator, by naming them. It is
//! a master key for the whole Workspace, and the console lists it on a page few people review;
//! there is not even an API to list these grants (OWASP NHI5).
//!
//! ## Example
//! Client ID `1034…` (the service account `backup-sync@acme-prod.iam.gserviceaccount.com`)
//! delegated `https://mail.google.com/` and `admin.directory.user` for the whole domain.
//!
//! ## Remediation
//! Remove delegations nobody can justify; cut the others to the narrowest scopes; make sure the
//! service account has no user-managed keys (use workload identity federation), and that it has a
//! named owner who reviews it.
//!
//! ## References
//! - Google: domain-wide delegation best practices: https://support.google.com/a/answer/14437356
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{GrantVia, Identity};

/// NL306
pub struct DomainWideDelegation;

static META: RuleMeta = RuleMeta {
    code: "NL306",
    name: "domain_wide_delegation",
    title: "Domain-wide delegation: may act as any user",
    severity: Severity::Critical,
    applies: Applies::NonHuman,
};

impl Rule for DomainWideDelegation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut evidence = Evidence::default();
        for g in identity
            .grants
            .iter()
            .filter(|g| g.via == GrantVia::DomainWide)
        {
            evidence.item(&g.name);
        }
        if let Some(scopes) = evidence.finish() {
            let finding = Finding::new(&META, format!("may act as any user with {scopes}"));
            // The delegation outlives the account: enabling it again restores all of it.
            out.push(if identity.enabled {
                finding
            } else {
                Finding::new(
                    &META,
                    format!(
                        "may act as any user with {scopes} once enabled again (the account is \
                         disabled; the delegation stays until it is removed)"
                    ),
                )
                .with_severity(Severity::High)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Tier};
    use crate::rules::testing::*;

    #[test]
    fn delegated_grants_are_named() {
        let mut id = workload(Kind::ServiceAccount);
        id.grants = vec![grant("drive.readonly", Tier::SensitiveRead)];
        assert!(check(&DomainWideDelegation, &id).is_empty());
        let mut dwd = grant("https://mail.google.com/", Tier::Admin);
        dwd.via = GrantVia::DomainWide;
        id.grants.push(dwd);
        let mut disabled = id.clone();
        disabled.enabled = false;
        let quiet = check(&DomainWideDelegation, &disabled);
        assert_eq!(quiet[0].severity, Severity::High);
        assert!(quiet[0].evidence.contains("disabled"), "{quiet:?}");
        let found = check(&DomainWideDelegation, &id);
        assert!(found[0].evidence.contains("mail.google.com"));
        assert!(!found[0].evidence.contains("drive"));
    }
}
