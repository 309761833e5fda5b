//! Repository deploy keys: `GET /repos/{owner}/{repo}/keys`.

use serde::Deserialize;

use super::{Id, last_use, location_from_url, login_owner};
use crate::fingerprint;
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Grant, GrantVia, Identity, Kind,
    Ownership, Platform, Reach, Tier,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "github.deploy_keys",
    title: "GitHub deploy keys (GET /repos/{owner}/{repo}/keys)",
    doc_url: "https://docs.github.com/rest/deploy-keys/deploy-keys#list-deploy-keys",
    detect: |shape| {
        json(shape).is_some_and(|s| s.top_array && s.first_has_all(&["key", "title", "read_only"]))
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct DeployKey {
    id: Id,
    /// The public key: only its fingerprint is kept.
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    read_only: Option<bool>,
    /// Absent in older responses; `null` when GitHub recorded nobody.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    added_by: Option<Option<String>>,
    /// Absent in older responses; `null` when the key was never used.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_used: Option<Option<String>>,
    #[serde(default)]
    enabled: Option<bool>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<DeployKey>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for key in list.items {
        let id = key.id.to_string();
        let name = key
            .title
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("deploy key {id}"));
        let label = format!("deploy key {id} ({name})");
        let mut identity = Identity::new(Platform::Github, Kind::DeployKey, &id, name);
        identity.location = key
            .url
            .as_deref()
            .and_then(location_from_url)
            .or_else(|| location_from_url(input.source));
        identity.ownership = match &key.added_by {
            None => Ownership::NotLoaded,
            Some(None) => Ownership::Missing,
            Some(Some(login)) if login.is_empty() => Ownership::Missing,
            Some(Some(login)) => Ownership::Known(vec![login_owner(login, "added_by")]),
        };
        identity.created_at = sink.time(&label, "created_at", key.created_at.as_deref());
        identity.usage = last_use(sink, &label, "last_used", key.last_used);
        identity.enabled = key.enabled.unwrap_or(true);
        let mut credential = Credential::new(CredentialKind::Key);
        credential.id = Some(id.clone());
        credential.label = key.title.clone();
        credential.created_at = identity.created_at;
        // Deploy keys have no expiry at all.
        credential.expiry = Expiry::Never;
        credential.usage = identity.usage.clone();
        credential.active = identity.enabled;
        credential.fingerprint = key.key.as_deref().and_then(fingerprint::ssh_public_key);
        identity.credentials.push(credential);
        let writable = key.read_only == Some(false);
        identity.grants.push(Grant {
            name: if writable {
                "contents:write"
            } else {
                "contents:read"
            }
            .into(),
            resource: identity.location.clone(),
            tier: if writable {
                Tier::Write
            } else {
                Tier::SensitiveRead
            },
            classified: true,
            via: GrantVia::Direct,
            granted_at: identity.created_at,
            flagged_sensitive: false,
        });
        identity.reach = Reach::Selected;
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}
