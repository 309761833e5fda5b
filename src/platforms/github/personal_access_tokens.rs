//! Fine-grained personal access tokens with access to an organisation, and requests for access:
//! `GET /orgs/{org}/personal-access-tokens` and `GET /orgs/{org}/personal-access-token-requests`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Account, Id, last_use, login_owner, permission_grant};
use crate::ingest::{Input, Problems, Sink, expiry, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Identity, Kind, Ownership, Platform, Reach,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const GRANTS: Format = Format {
    id: "github.personal_access_tokens",
    title: "GitHub fine-grained tokens (GET /orgs/{org}/personal-access-tokens)",
    doc_url: "https://docs.github.com/rest/orgs/personal-access-tokens#list-fine-grained-personal-access-tokens-with-access-to-organization-resources",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array && s.first_has_all(&["owner", "permissions", "access_granted_at"])
        })
    },
    read: read_exported!(|input, sink| read(input, sink, false)),
    exported_only: true,
};

pub(super) const REQUESTS: Format = Format {
    id: "github.personal_access_token_requests",
    title: "GitHub fine-grained token requests (GET /orgs/{org}/personal-access-token-requests)",
    doc_url: "https://docs.github.com/rest/orgs/personal-access-tokens#list-requests-to-access-organization-resources-with-fine-grained-personal-access-tokens",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["owner", "permissions", "created_at", "repository_selection"])
                && s.first_has_any(&["reason", "token_expires_at", "token_expired"])
                && !s.first_has_any(&["access_granted_at"])
        })
    },
    read: read_exported!(|input, sink| read(input, sink, true)),
    exported_only: true,
};

#[derive(Deserialize)]
struct TokenGrant {
    id: Id,
    #[serde(default)]
    owner: Option<Account>,
    #[serde(default)]
    repository_selection: Option<String>,
    #[serde(default)]
    permissions: Permissions,
    #[serde(default)]
    access_granted_at: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    token_id: Option<Id>,
    #[serde(default)]
    token_name: Option<String>,
    #[serde(default)]
    token_expired: Option<bool>,
    /// `null` when the token never expires; absent (not in the docs' shape): not known.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    token_expires_at: Option<Option<String>>,
    /// `null` when never used; absent in older responses (then: not loaded).
    #[serde(default, deserialize_with = "crate::ingest::present")]
    token_last_used_at: Option<Option<String>>,
}

#[derive(Deserialize, Default)]
struct Permissions {
    #[serde(default)]
    organization: BTreeMap<String, String>,
    #[serde(default)]
    repository: BTreeMap<String, String>,
    #[serde(default)]
    other: BTreeMap<String, String>,
}

fn read(input: &Input, sink: &mut Sink, requests: bool) -> Result<(), String> {
    let list = records::read::<TokenGrant>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for item in list.items {
        let native = if requests {
            format!("request/{}", item.id)
        } else {
            format!("fine-grained/{}", item.id)
        };
        let name = item
            .token_name
            .clone()
            .unwrap_or_else(|| match &item.token_id {
                Some(token) => format!("fine-grained token {token}"),
                None => format!("fine-grained token grant {}", item.id),
            });
        let label = format!("token grant {} ({name})", item.id);
        let mut identity = Identity::new(Platform::Github, Kind::UserToken, native, name);
        // The organisation settings page links the token (or request) by this bare ID: the
        // extension finds its row by it, as it does for the same identity read from that page.
        identity.aliases.push(item.id.to_string());
        identity.pending = requests;
        identity.ownership = match &item.owner {
            Some(owner) => Ownership::Known(vec![login_owner(&owner.login, "owner")]),
            None => Ownership::Missing,
        };
        // The organisation sees when it granted access (or when it was asked), not when the
        // token was made.
        let granted = if requests {
            sink.time(&label, "created_at", item.created_at.as_deref())
        } else {
            sink.time(
                &label,
                "access_granted_at",
                item.access_granted_at.as_deref(),
            )
        };
        identity.created_at = granted;
        identity.usage = last_use(sink, &label, "token_last_used_at", item.token_last_used_at);
        let mut token = Credential::new(CredentialKind::Token);
        token.id = item.token_id.as_ref().map(ToString::to_string);
        token.label = item.token_name.clone();
        token.expiry = expiry(
            sink,
            &label,
            "token_expires_at",
            item.token_expires_at.as_ref(),
        );
        token.active = !item.token_expired.unwrap_or(false);
        // The grant is the token: one GitHub says expired acts no more.
        identity.enabled = token.active;
        token.usage = identity.usage.clone();
        identity.credentials.push(token);
        identity.reach = match item.repository_selection.as_deref() {
            Some("all") => Reach::All,
            Some("subset") | Some("selected") => Reach::Selected,
            Some("none") => Reach::None,
            _ => Reach::Unknown,
        };
        let sections = [
            ("organization", &item.permissions.organization),
            ("repository", &item.permissions.repository),
            ("other", &item.permissions.other),
        ];
        for (resource, map) in sections {
            for (name, level) in map {
                let mut grant = permission_grant(name, level, Some(resource));
                grant.granted_at = granted;
                identity.grants.push(grant);
            }
        }
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}
