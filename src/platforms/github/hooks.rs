//! Organisation and repository webhooks: `GET /orgs/{org}/hooks`, `GET /repos/{o}/{r}/hooks`.

use serde::Deserialize;

use super::{Id, location_from_url};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{CredentialControl, Endpoint, Identity, Kind, Ownership, Platform, Usage};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "github.hooks",
    title: "GitHub webhooks (GET /orgs/{org}/hooks, GET /repos/{owner}/{repo}/hooks)",
    doc_url: "https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks",
    detect: |shape| {
        json(shape).is_some_and(|s| s.top_array && s.first_has_all(&["config", "events", "active"]))
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct Hook {
    id: Id,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    events: Vec<String>,
    #[serde(default)]
    config: Config,
    #[serde(default)]
    created_at: Option<String>,
}

#[derive(Deserialize, Default)]
struct Config {
    #[serde(default)]
    url: Option<String>,
    /// `"0"` or `"1"`; some exports write a number.
    #[serde(default)]
    insecure_ssl: Option<serde_json::Value>,
    /// Masked (`"********"`) when set; absent when not. Only its presence is kept.
    #[serde(default)]
    secret: Option<serde_json::Value>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Hook>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for hook in list.items {
        let id = hook.id.to_string();
        let target = hook.config.url.as_deref().map(redact_url);
        let secrets = hook
            .config
            .url
            .as_deref()
            .map(secrets_in_url)
            .unwrap_or_default();
        let name = target
            .as_deref()
            .map(|u| host_of(u).to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| format!("webhook {id}"));
        let label = format!("webhook {id}");
        let mut identity = Identity::new(Platform::Github, Kind::Webhook, &id, name);
        identity.location = hook
            .url
            .as_deref()
            .and_then(location_from_url)
            .or_else(|| location_from_url(input.source));
        // GitHub records no creator for a webhook.
        identity.ownership = Ownership::NotRecorded;
        identity.usage = Usage::NotRecorded;
        identity.created_at = sink.time(&label, "created_at", hook.created_at.as_deref());
        identity.enabled = hook.active.unwrap_or(true);
        let insecure = match &hook.config.insecure_ssl {
            Some(serde_json::Value::String(s)) => s.trim() == "1",
            Some(serde_json::Value::Number(n)) => n.as_u64() == Some(1),
            Some(serde_json::Value::Bool(b)) => *b,
            _ => false,
        };
        let signed = match &hook.config.secret {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::String(s)) => !s.is_empty(),
            Some(_) => true,
        };
        identity.endpoint = Some(Endpoint {
            url: target.unwrap_or_default(),
            tls_verified: !insecure,
            signed: Some(signed),
            all_events: hook.events.iter().any(|e| e == "*"),
            secrets_in_url: secrets,
        });
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}

/// Keeps scheme, host and path: a user:password part or a query string may hold a secret, and
/// NHI Lens never stores one.
pub(super) fn redact_url(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let redacted = authority.contains('@') || url.contains('?');
    let mut out = if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    };
    if redacted {
        out.push_str(" (credentials or query removed)");
    }
    out
}

/// The parts of a URL that hold a credential, named, never their values: a user name or
/// password before the host, and query parameters named like a credential (`token`, `api_key`,
/// `client_secret`, `sig`). Only names of ASCII letters, digits, `-`, `_` and `.` are named (console
/// text stays out of the evidence's code span).
pub(super) fn secrets_in_url(url: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "token",
        "secret",
        "key",
        "apikey",
        "password",
        "passwd",
        "pass",
        "pwd",
        "auth",
        "sig",
        "signature",
        "sas",
        "credential",
        "credentials",
        "accesstoken",
        "authtoken",
    ];
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut found = Vec::new();
    if address.split('/').next().is_some_and(|a| a.contains('@')) {
        found.push("a user name or password before the host".to_string());
    }
    for name in query.split('&').map(|p| p.split('=').next().unwrap_or(p)) {
        let plain = !name.is_empty()
            && name.len() <= 40
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        let lower = name.to_ascii_lowercase();
        // `api_key`, `X-Amz-Signature`, and run together: `ClientSecret`, `accessToken`.
        let secret = lower
            .split(['-', '_', '.'])
            .any(|word| WORDS.contains(&word))
            || ["token", "secret", "password", "signature", "accesskey"]
                .iter()
                .any(|w| lower.ends_with(w));
        let named = format!("the query parameter `{name}`");
        if plain && secret && !found.contains(&named) {
            found.push(named);
        }
    }
    found
}

pub(super) fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ' ', ':']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_of_a_url_holding_a_credential_are_named_never_kept() {
        assert_eq!(
            secrets_in_url("https://ci-bot:hunter2@hooks.example/in?token=abc&x=1&api_key=k#sig=f"),
            [
                "a user name or password before the host",
                "the query parameter `token`",
                "the query parameter `api_key`"
            ]
        );
        assert_eq!(
            secrets_in_url("https://h.example/x?X-Amz-Signature=a&ClientSecret=b&sig=c&sig=d"),
            [
                "the query parameter `X-Amz-Signature`",
                "the query parameter `ClientSecret`",
                "the query parameter `sig`"
            ]
        );
        // A path segment with an @, ordinary parameters and hostile names are nothing.
        assert!(secrets_in_url("https://h.example/u/@me?source=github&monkey=1").is_empty());
        assert!(secrets_in_url("https://h.example/?`token`=1&<b>key=2").is_empty());
        assert!(secrets_in_url("h.example/hook").is_empty());
    }

    #[test]
    fn secrets_in_webhook_urls_are_not_kept() {
        let r = redact_url("https://user:hunter2@hooks.example.com/in?token=abc123");
        assert!(!r.contains("hunter2") && !r.contains("abc123"), "{r}");
        assert!(r.starts_with("https://hooks.example.com/in"));
        assert_eq!(redact_url("http://example.com/x"), "http://example.com/x");
        assert_eq!(
            host_of("https://hooks.example.com:8443/in"),
            "hooks.example.com"
        );
    }
}
