//! ## What it does
//! Flags OAuth grants to clients that are not registered with the platform at all (Google's
//! "anonymous" tokens).
//!
//! ## Why is this bad?
//! An unregistered client has no verified publisher, no app listing, no privacy policy and no
//! client ID an admin could block: whoever wrote it is unknown, and users granted it access to
//! their data anyway. Such grants are a favourite of consent phishing (OWASP NHI3).
//!
//! ## Example
//! A Google Workspace token with `anonymous: true` and the `https://mail.google.com/` scope.
//!
//! ## Remediation
//! Revoke the tokens, find out which tool the users installed, and restrict third-party access so
//! unconfigured apps cannot get sensitive scopes (Admin console › Security › API controls).
//!
//! ## References
//! - Google: tokens resource (`anonymous`): https://developers.google.com/workspace/admin/directory/reference/rest/v1/tokens
//! - OWASP NHI3:2025 Vulnerable Third-Party NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL403
pub struct AnonymousClient;

static META: RuleMeta = RuleMeta {
    code: "NL403",
    name: "anonymous_client",
    title: "Grant to an unregistered (anonymous) OAuth client",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

impl Rule for AnonymousClient {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.publisher.as_ref().is_some_and(|p| p.anonymous) {
            let client = identity.client_id.as_deref().unwrap_or(&identity.native_id);
            out.push(Finding::new(
                &META,
                format!("client {client} is not registered with the platform"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Publisher};
    use crate::rules::testing::*;

    #[test]
    fn only_anonymous_clients() {
        let mut id = workload(Kind::OauthApp);
        id.publisher = Some(Publisher::default());
        assert!(check(&AnonymousClient, &id).is_empty());
        id.publisher = Some(Publisher {
            anonymous: true,
            ..Publisher::default()
        });
        assert_eq!(check(&AnonymousClient, &id).len(), 1);
    }
}
