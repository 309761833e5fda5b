//! Deploy tokens: `GET /api/v4/deploy_tokens` (administrators, the whole instance),
//! `GET /api/v4/projects/:id/deploy_tokens` and `GET /api/v4/groups/:id/deploy_tokens`.
//!
//! A deploy token is a username and token pair for Git and the registries, with no user behind it:
//! GitLab records neither who made it nor when it was last used. The `token` value, returned only
//! on creation, is not declared.

use serde::Deserialize;

use super::{Id, Resource, expiry, resource_from_source, scope_grant};
use crate::ingest::{Input, Sink, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Identity, Kind, Ownership, Platform, Reach,
    Usage,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "gitlab.deploy_tokens",
    title: "GitLab deploy tokens (GET /api/v4/deploy_tokens, /projects/:id/deploy_tokens, /groups/:id/deploy_tokens)",
    doc_url: "https://docs.gitlab.com/api/deploy_tokens/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["scopes", "username"])
                && s.first_has_any(&["expired", "revoked", "expires_at"])
                && !s.first_has_any(&["user_id", "access_level", "login", "owner"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct DeployToken {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    /// The login used with the token (`gitlab+deploy-token-1` unless chosen).
    #[serde(default)]
    username: Option<String>,
    /// A timestamp, or `null` for a token that never expires.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    expires_at: Option<Option<String>>,
    #[serde(default)]
    revoked: Option<bool>,
    #[serde(default)]
    expired: Option<bool>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let resource = resource_from_source(input.source, "deploy_tokens", input.url_root);
    let skipped = records::each::<DeployToken, _>(input.bytes, None, |token| {
        let id = token.id.to_string();
        let name = token
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| token.username.clone().filter(|n| !n.trim().is_empty()))
            .unwrap_or_else(|| format!("deploy token {id}"));
        let label = format!("deploy token {id} ({name})");
        // Deploy token IDs are their own sequence: kept apart from access token IDs.
        let mut identity = Identity::new(
            Platform::Gitlab,
            Kind::ApiToken,
            format!("deploy-token/{id}"),
            name,
        );
        identity.location = Some(match &resource {
            Some(r) => format!("deploy token, {}", r.label()),
            None => "deploy token".to_string(),
        });
        if let Some(username) = token.username.as_ref().filter(|u| !u.trim().is_empty()) {
            identity.aliases.push(username.clone());
        }
        identity.ownership = Ownership::NotRecorded;
        identity.usage = Usage::NotRecorded;
        let mut credential = Credential::new(CredentialKind::Token);
        credential.id = Some(id.clone());
        credential.label = token.name.clone().filter(|n| !n.trim().is_empty());
        credential.expiry = expiry(sink, &label, "expires_at", token.expires_at.as_ref());
        credential.usage = Usage::NotRecorded;
        credential.active = token.revoked != Some(true) && token.expired != Some(true);
        identity.enabled = credential.active;
        identity.credentials.push(credential);
        identity.reach = resource.as_ref().map_or(Reach::Unknown, Resource::reach);
        let on = resource.as_ref().map(|r| r.id.as_str());
        for scope in token.scopes.iter().flatten() {
            identity.grants.push(scope_grant(scope, on, None));
        }
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    })?;
    sink.skipped(skipped);
    Ok(())
}
