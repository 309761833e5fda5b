//! ## What it does
//! Flags API tokens that the platform lets anyone use from any network address.
//!
//! ## Why is this bad?
//! A token limited to the integration's own network zone is useless to whoever steals it from a
//! log or a laptop. One usable from anywhere is not. The Snowflake customer breaches of 2024 came
//! down to stolen credentials, no MFA and no network allow-list (OWASP NHI4; NIST SP 800-207
//! tenet 4, access by dynamic policy including network context).
//!
//! ## Example
//! An Okta API token with `network.connection: ANYWHERE`.
//!
//! ## Remediation
//! Restrict the token to the network zones the integration runs from (Okta: Security › API ›
//! Tokens › edit network restrictions), or replace it with an OAuth service app using
//! `private_key_jwt` and scoped `okta.*` grants.
//!
//! ## References
//! - Okta: API token network restrictions: https://help.okta.com/en-us/content/topics/security/api.htm
//! - OWASP NHI4:2025 Insecure Authentication: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Network};

/// NL503
pub struct TokenAnyNetwork;

static META: RuleMeta = RuleMeta {
    code: "NL503",
    name: "token_any_network",
    title: "Token usable from any network",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for TokenAnyNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.network == Network::Anywhere
            && identity.live_credentials(cx.now).next().is_some()
        {
            out.push(Finding::new(
                &META,
                "network restriction is ANYWHERE: usable from any IP address",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialKind, Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn a_live_unrestricted_token_is_flagged() {
        let mut id = workload(Kind::ApiToken);
        id.credentials = vec![credential(
            CredentialKind::Token,
            10,
            Expiry::Idle {
                at: in_days(20),
                days: 30,
            },
        )];
        id.network = Network::Restricted;
        assert!(check(&TokenAnyNetwork, &id).is_empty());
        id.network = Network::Anywhere;
        assert_eq!(check(&TokenAnyNetwork, &id).len(), 1);
        id.credentials[0].expiry = Expiry::Idle {
            at: days_ago(1),
            days: 30,
        };
        assert!(
            check(&TokenAnyNetwork, &id).is_empty(),
            "an expired token is no longer usable"
        );
    }
}
