//! ## What it does
//! Flags OAuth clients (client IDs) that several identities sign in as: the same client in two
//! tenants, workspaces or environments, or behind two integrations.
//!
//! ## Why is this bad?
//! One client shared across environments ties production to test: whoever holds its secret in
//! the weaker environment holds it in the stronger one, and revoking it breaks both (OWASP NHI8,
//! environment isolation; NHI9, reuse). Logs cannot tell the uses apart.
//!
//! ## Example
//! The same Okta service-app client ID used by a "prod" and a "staging" integration; one Slack app
//! installed in several workspaces of a Grid organisation with one set of credentials.
//!
//! ## Remediation
//! Register one client per environment and per integration, each with its own credential and the
//! narrowest scopes, and retire the shared one.
//!
//! ## References
//! - OWASP NHI8:2025 Environment Isolation and NHI9:2025 NHI Reuse: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL702
pub struct ClientReused;

static META: RuleMeta = RuleMeta {
    code: "NL702",
    name: "client_reused",
    title: "One OAuth client behind several identities or tenants",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for ClientReused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(client) = &identity.client_id else {
            return;
        };
        let others = cx.index.others_with_client(client, &identity.id);
        if others.is_empty() {
            return;
        }
        let mut evidence = Evidence::default();
        for other in others {
            match &other.location {
                Some(place) => {
                    evidence.item(format_args!("{} in {place} ({})", other.name, other.id))
                }
                None => evidence.item(format_args!("{} ({})", other.name, other.id)),
            }
        }
        let names = evidence.finish().unwrap_or_default();
        out.push(Finding::new(
            &META,
            format!("client {client} is also used by {names}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::rules::testing::*;

    #[test]
    fn the_same_client_id_twice_is_reuse() {
        let mut prod = workload(Kind::OauthApp);
        prod.id = "okta:oauth_app:prod".into();
        prod.client_id = Some("0oa1".into());
        let mut staging = prod.clone();
        staging.id = "okta:oauth_app:staging".into();
        staging.location = Some("staging".into());
        assert!(
            check(&ClientReused, &prod).is_empty(),
            "alone, nothing is shared"
        );
        let found = check_among(&ClientReused, &prod, &[prod.clone(), staging]);
        assert!(found[0].evidence.contains("in staging"));
    }
}
