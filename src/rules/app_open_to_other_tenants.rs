//! ## What it does
//! Flags the organisation's own app registrations that other directories can sign in to (a
//! multi-tenant Entra app: `signInAudience` `AzureADMultipleOrgs`, or one open to personal
//! Microsoft accounts too) while they hold live credentials of their own.
//!
//! ## Why is this bad?
//! Any organisation can consent to a multi-tenant app, and its secret or certificate signs in
//! wherever it was consented: whoever takes the credential from one environment (a test
//! directory, a developer's laptop) acts in every directory that trusts the app. Attackers used
//! exactly that in 2024, when a legacy multi-tenant test app gave them access to a production
//! directory that had consented to it (OWASP NHI8, environment isolation). Most internal apps
//! never need other directories.
//!
//! ## Example
//! An app registration "Build Reporter" with a client secret and `signInAudience`
//! `AzureADMultipleOrgs`, registered by a team for their own directory only.
//!
//! ## Remediation
//! If only the organisation uses the app, set its supported account types to this directory only
//! (`signInAudience` `AzureADMyOrg`, in the app's Authentication page). If other organisations
//! must use it, keep its credentials out of test and developer environments, prefer certificates
//! or federated credentials to secrets, and review which directories consented to it.
//!
//! ## References
//! - Microsoft: tenancy in Microsoft Entra ID (single- and multi-tenant apps): https://learn.microsoft.com/entra/identity-platform/single-and-multi-tenant-apps
//! - Microsoft Graph: application `signInAudience`: https://learn.microsoft.com/graph/api/resources/application
//! - OWASP NHI8:2025 Environment Isolation: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL703
pub struct AppOpenToOtherTenants;

static META: RuleMeta = RuleMeta {
    code: "NL703",
    name: "app_open_to_other_tenants",
    title: "App open to other directories holds its own credentials",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for AppOpenToOtherTenants {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(audience) = &identity.audience else {
            return;
        };
        if !identity.enabled {
            return;
        }
        let mut evidence = Evidence::default();
        let mut live = 0;
        for credential in identity.live_credentials(cx.now) {
            evidence.item(credential.name());
            live += 1;
        }
        let Some(names) = evidence.finish() else {
            return;
        };
        let them = if live == 1 { "it" } else { "they" };
        out.push(Finding::new(
            &META,
            format!(
                "signInAudience {audience}: other directories can consent to it, and its live \
                 credentials ({names}) sign in wherever {them} were consented"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialKind, Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn only_apps_open_to_other_directories_that_hold_live_credentials() {
        let mut app = workload(Kind::ServicePrincipal);
        app.credentials = vec![credential(
            CredentialKind::Secret,
            30,
            Expiry::At { at: in_days(300) },
        )];
        // Its own directory only: nothing.
        assert!(check(&AppOpenToOtherTenants, &app).is_empty());

        app.audience = Some("AzureADMultipleOrgs".into());
        let found = check(&AppOpenToOtherTenants, &app);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].evidence.contains("AzureADMultipleOrgs"),
            "{found:?}"
        );
        assert!(found[0].evidence.contains("secret fixture"), "{found:?}");

        // Disabled, or with only an expired or inactive credential, or none: nothing to take.
        let mut disabled = app.clone();
        disabled.enabled = false;
        assert!(check(&AppOpenToOtherTenants, &disabled).is_empty());
        let mut expired = app.clone();
        expired.credentials[0].expiry = Expiry::At { at: days_ago(1) };
        assert!(check(&AppOpenToOtherTenants, &expired).is_empty());
        let mut inactive = app.clone();
        inactive.credentials[0].active = false;
        assert!(check(&AppOpenToOtherTenants, &inactive).is_empty());
        let mut bare = app.clone();
        bare.credentials.clear();
        assert!(check(&AppOpenToOtherTenants, &bare).is_empty());
    }
}
