//! ## What it does
//! Flags webhooks that send payloads without verifying the receiver's TLS certificate, over plain
//! HTTP, or without a signing secret.
//!
//! ## Why is this bad?
//! Webhook payloads carry repository, user and sometimes secret-adjacent data. Without TLS
//! verification or over HTTP anyone on the path can read or alter them; without a signing secret
//! the receiver cannot tell GitHub's deliveries from an attacker's forgeries, so any action the
//! receiver takes on a payload can be triggered by anyone (OWASP NHI4).
//!
//! ## Example
//! An organisation webhook to `http://ci.example.com/hook` with `insecure_ssl: "1"` and no secret.
//!
//! ## Remediation
//! Use an `https://` URL with a valid certificate, turn SSL verification back on, set a webhook
//! secret and make the receiver check the `X-Hub-Signature-256` header.
//!
//! ## References
//! - GitHub: validating webhook deliveries: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
//! - OWASP NHI4:2025 Insecure Authentication: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL502
pub struct InsecureWebhook;

static META: RuleMeta = RuleMeta {
    code: "NL502",
    name: "insecure_webhook",
    title: "Webhook without TLS verification, over plain HTTP, or unsigned",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

impl Rule for InsecureWebhook {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(endpoint) = &identity.endpoint else {
            return;
        };
        if !identity.enabled {
            return;
        }
        let mut problems = Vec::new();
        let mut severity = Severity::Medium;
        if endpoint.url.to_ascii_lowercase().starts_with("http://") {
            problems.push("delivers over plain HTTP");
            severity = Severity::High;
        }
        if !endpoint.tls_verified {
            problems.push("TLS certificate verification is off");
            severity = Severity::High;
        }
        if endpoint.signed == Some(false) {
            problems.push("payloads are not signed (no secret)");
        }
        if !problems.is_empty() {
            let evidence = format!("{}: {}", endpoint.url, problems.join("; "));
            out.push(Finding::new(&META, evidence).with_severity(severity));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Endpoint, Kind};
    use crate::rules::testing::*;

    fn hook(url: &str, tls_verified: bool, signed: Option<bool>) -> Identity {
        let mut id = workload(Kind::Webhook);
        id.endpoint = Some(Endpoint {
            url: url.into(),
            tls_verified,
            signed,
            all_events: false,
            secrets_in_url: Vec::new(),
        });
        id
    }

    #[test]
    fn rates_transport_problems_above_a_missing_signature() {
        assert!(
            check(
                &InsecureWebhook,
                &hook("https://a.example/h", true, Some(true))
            )
            .is_empty()
        );
        assert_eq!(
            check(
                &InsecureWebhook,
                &hook("https://a.example/h", true, Some(false))
            )[0]
            .severity,
            Severity::Medium
        );
        assert_eq!(
            check(
                &InsecureWebhook,
                &hook("https://a.example/h", false, Some(true))
            )[0]
            .severity,
            Severity::High
        );
        let plain = check(&InsecureWebhook, &hook("http://a.example/h", true, None));
        assert_eq!(plain[0].severity, Severity::High);
        assert!(plain[0].evidence.contains("plain HTTP"));
    }
}
