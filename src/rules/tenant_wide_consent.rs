//! ## What it does
//! Flags apps that an admin consented to on behalf of every user (`consentType: AllPrincipals`)
//! for delegated scopes that read sensitive data or more: mail, files, chats, the directory.
//!
//! ## Why is this bad?
//! Tenant-wide consent lets the app act as any user who signs in to it, on all of that user's
//! data, without asking them. A consent-phishing app or a compromised vendor with such a grant
//! reads the organisation's mail and files user by user (OWASP NHI5, NHI3).
//!
//! ## Example
//! A third-party "PDF signer" app with admin consent for `Mail.ReadWrite Files.ReadWrite.All
//! offline_access` for all users.
//!
//! ## Remediation
//! Review whether every user needs the app; if not, remove the tenant-wide grant and let users
//! (or an admin consent workflow) grant it per person. Cut the scopes to what the app uses, and
//! restrict user consent to verified publishers and low-risk scopes.
//!
//! ## References
//! - Microsoft: review permissions granted to enterprise applications: https://learn.microsoft.com/entra/identity/enterprise-apps/manage-application-permissions
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{GrantVia, Identity, Party, Tier};

/// NL304
pub struct TenantWideConsent;

static META: RuleMeta = RuleMeta {
    code: "NL304",
    name: "tenant_wide_consent",
    title: "Admin consent for all users to sensitive delegated scopes",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for TenantWideConsent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.party() == Party::FirstParty || !identity.enabled {
            return;
        }
        let mut evidence = Evidence::default();
        let mut admin = false;
        for g in identity.grants.iter().filter(|g| {
            g.via == GrantVia::Delegated { all_users: true } && g.tier >= Tier::SensitiveRead
        }) {
            admin |= g.tier == Tier::Admin;
            evidence.item(&g.name);
        }
        let Some(names) = evidence.finish() else {
            return;
        };
        let finding = Finding::new(&META, format!("consented for every user: {names}"));
        out.push(if admin {
            finding.with_severity(Severity::High)
        } else {
            finding
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grant, Kind};
    use crate::rules::testing::*;

    fn delegated(name: &str, tier: Tier, all_users: bool) -> Grant {
        let mut g = grant(name, tier);
        g.via = GrantVia::Delegated { all_users };
        g
    }

    #[test]
    fn sensitive_tenant_wide_scopes_are_flagged_and_admin_ones_rate_high() {
        let mut id = workload(Kind::ServicePrincipal);
        id.grants = vec![
            delegated("User.Read", Tier::Read, true),
            delegated("Mail.Read", Tier::SensitiveRead, false),
        ];
        assert!(check(&TenantWideConsent, &id).is_empty());
        id.grants
            .push(delegated("Files.Read.All", Tier::SensitiveRead, true));
        let found = check(&TenantWideConsent, &id);
        assert_eq!(
            (
                found[0].severity,
                found[0].evidence.contains("Files.Read.All")
            ),
            (Severity::Medium, true)
        );
        id.grants
            .push(delegated("Directory.AccessAsUser.All", Tier::Admin, true));
        assert_eq!(check(&TenantWideConsent, &id)[0].severity, Severity::High);
    }
}
