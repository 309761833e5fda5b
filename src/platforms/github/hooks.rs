//! Organisation and repository webhooks: `GET /orgs/{org}/hooks`, `GET /repos/{o}/{r}/hooks`.

use serde::Deserialize;

use super::{Id, location_from_url};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{CredentialControl, Endpoint, Identity, Kind, Ownership, Platform, Usage};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};
use crate::url_secret;

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
        let target = hook.config.url.as_deref().map(url_secret::redact);
        let secrets = hook
            .config
            .url
            .as_deref()
            .map(url_secret::secret_parts)
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

/// The host a webhook delivers to, without its port: the hook's name where it has none.
pub(super) fn host_of(url: &str) -> &str {
    crate::console::host_of(url)
        .split(':')
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_webhook_urls_are_not_kept() {
        let r = url_secret::redact("https://user:hunter2@hooks.example.com/in?token=abc123");
        assert!(!r.contains("hunter2") && !r.contains("abc123"), "{r}");
        assert!(r.starts_with("https://hooks.example.com/in"));
        assert_eq!(
            url_secret::redact("http://example.com/x"),
            "http://example.com/x"
        );
        assert_eq!(
            host_of("https://hooks.example.com:8443/in"),
            "hooks.example.com"
        );
    }
}
