//! ## What it does
//! Flags webhooks whose URL holds a credential: a user name or password before the host
//! (`https://bot:pass@hooks.example.com/…`), or a query parameter named like one (`token`,
//! `api_key`, `secret`, `sig`, `password`).
//!
//! ## Why is this bad?
//! A credential written into a URL is a secret kept in plain text in the platform's settings:
//! every admin who can see the webhook can read it, it travels in each delivery's request line
//! and ends up in proxies' and receivers' logs, and it is never rotated with the receiver's
//! other secrets (OWASP NHI2, secret leakage). NHI Lens keeps only that such a part is there,
//! never its value.
//!
//! ## Example
//! An organisation webhook to `https://ci-bot:…@hooks.partner.example/in?token=…`.
//!
//! ## Remediation
//! Revoke the credential at the receiver and issue a new one, then point the webhook at a URL
//! without it: set a webhook secret and have the receiver check the `X-Hub-Signature-256`
//! header instead of a password or a token in the URL.
//!
//! ## References
//! - GitHub: validating webhook deliveries: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
//! - OWASP NHI2:2025 Secret Leakage: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL901
pub struct SecretInUrl;

static META: RuleMeta = RuleMeta {
    code: "NL901",
    name: "secret_in_url",
    title: "Credential written into a webhook URL",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

impl Rule for SecretInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        // A webhook turned off still keeps its URL, secret and all, in the settings.
        let Some(endpoint) = &identity.endpoint else {
            return;
        };
        if endpoint.secrets_in_url.is_empty() {
            return;
        }
        let evidence = format!(
            "{}: the URL holds {}",
            endpoint.url,
            endpoint.secrets_in_url.join(" and ")
        );
        out.push(Finding::new(&META, evidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Endpoint, Kind};
    use crate::rules::testing::*;

    fn hook(secrets_in_url: &[&str], enabled: bool) -> Identity {
        let mut id = workload(Kind::Webhook);
        id.enabled = enabled;
        id.endpoint = Some(Endpoint {
            url: "https://hooks.partner.example/in".into(),
            tls_verified: true,
            signed: Some(true),
            all_events: false,
            secrets_in_url: secrets_in_url.iter().map(|s| s.to_string()).collect(),
        });
        id
    }

    #[test]
    fn flags_a_url_holding_a_credential_even_when_the_hook_is_off() {
        assert!(check(&SecretInUrl, &hook(&[], true)).is_empty());
        let found = check(
            &SecretInUrl,
            &hook(
                &["a user name or password", "the query parameter `token`"],
                false,
            ),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].evidence,
            "https://hooks.partner.example/in: the URL holds a user name or password and the query parameter `token`"
        );
        assert_eq!(found[0].severity, Severity::High);
    }
}
