//! ## What it does
//! Flags identities holding admin-tier permissions: ones that can change who has access, mint
//! credentials, or rewrite the tenant's configuration (tiers per platform in the privilege
//! catalogues). Microsoft's own first-party apps and cloud root keys (reported on their own) are
//! left out.
//!
//! ## Why is this bad?
//! An admin-tier workload is a path to tenant takeover for whoever steals its credential or
//! compromises its vendor: it can grant itself anything else (OWASP NHI5, over-privileged NHI).
//! Most integrations need far less.
//!
//! ## Example
//! An Entra app with the application permission `RoleManagement.ReadWrite.Directory`; a GitHub App
//! with `administration:write` on every repository; a classic token with `admin:org`.
//!
//! ## Remediation
//! Replace the permission with the narrowest one the integration needs (e.g.
//! `Application.ReadWrite.OwnedBy` instead of `Application.ReadWrite.All`, `Sites.Selected`
//! instead of `Sites.FullControl.All`), limit it to chosen resources, and give admin-tier
//! identities a named owner and a short-lived credential.
//!
//! ## References
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - Azure tiering (Tier 0 permissions): https://github.com/emiliensocchi/azure-tiering

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{GrantVia, Identity, Party, Tier};

/// NL301
pub struct AdminPermission;

static META: RuleMeta = RuleMeta {
    code: "NL301",
    name: "admin_permission",
    title: "Holds admin-tier permissions",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

impl Rule for AdminPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.party() == Party::FirstParty
            || identity.root_account
            || !identity.can_act(cx.now)
        {
            return;
        }
        let mut evidence = Evidence::default();
        // Domain-wide delegation has a rule of its own.
        for g in identity
            .grants
            .iter()
            .filter(|g| g.tier == Tier::Admin && g.via != GrantVia::DomainWide)
        {
            match &g.resource {
                Some(r) => evidence.item(format_args!("{} on {r}", g.name)),
                None => evidence.item(&g.name),
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
    use crate::model::{Kind, Publisher};
    use crate::rules::testing::*;

    #[test]
    fn names_the_admin_grants() {
        let mut id = workload(Kind::GithubApp);
        id.grants = vec![
            grant("contents:write", Tier::Write),
            grant("administration:write", Tier::Admin),
        ];
        let found = check(&AdminPermission, &id);
        assert_eq!(found[0].evidence, "administration:write");
    }

    #[test]
    fn quiet_for_lower_tiers_and_first_party() {
        let mut id = workload(Kind::ServicePrincipal);
        id.grants = vec![grant("Mail.Read", Tier::SensitiveRead)];
        assert!(check(&AdminPermission, &id).is_empty());
        id.grants
            .push(grant("Directory.ReadWrite.All", Tier::Admin));
        id.publisher = Some(Publisher {
            party: Party::FirstParty,
            ..Publisher::default()
        });
        assert!(check(&AdminPermission, &id).is_empty());
    }

    #[test]
    fn a_disabled_identity_cannot_use_its_permissions() {
        let mut id = workload(Kind::GithubApp);
        id.grants = vec![grant("administration:write", Tier::Admin)];
        id.enabled = false;
        assert!(check(&AdminPermission, &id).is_empty());
    }

    #[test]
    fn quiet_for_a_token_past_its_end() {
        let mut token = workload(Kind::UserToken);
        token.grants = vec![grant("administration:write", Tier::Admin)];
        let mut credential = credential(
            crate::model::CredentialKind::Token,
            400,
            crate::model::Expiry::At { at: in_days(5) },
        );
        token.credentials = vec![credential.clone()];
        assert_eq!(check(&AdminPermission, &token).len(), 1);
        // Expired, or revoked: it reaches nothing any more (NL103 lists it for cleanup).
        credential.expiry = crate::model::Expiry::At { at: days_ago(5) };
        token.credentials = vec![credential.clone()];
        assert!(check(&AdminPermission, &token).is_empty());
        credential.expiry = crate::model::Expiry::Never;
        credential.active = false;
        token.credentials = vec![credential];
        assert!(check(&AdminPermission, &token).is_empty());
        // An app whose secrets all expired still holds its grants: whoever adds one uses them.
        let mut app = token.clone();
        app.kind = Kind::ServicePrincipal;
        assert_eq!(check(&AdminPermission, &app).len(), 1);
    }
}
