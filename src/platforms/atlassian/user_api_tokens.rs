//! One user's API tokens: `GET https://api.atlassian.com/users/{account_id}/manage/api-tokens`
//! (User management API; a bare array, field names unlike the organisation list's).
//!
//! The response does not name the user: whose tokens they are is read from the request URL (the
//! extension passes it as the source; so can a file named after it,
//! `users_{account_id}_manage_api-tokens.json`). Without it the owner is "not loaded".

use serde::Deserialize;

use super::{TokenRecord, last_use};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{Owner, OwnerSource, Principal};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "atlassian.user_api_tokens",
    title: "Atlassian user API tokens (GET /users/{account_id}/manage/api-tokens)",
    doc_url: "https://developer.atlassian.com/cloud/admin/user-management/rest/api-group-api-tokens/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["id", "label"])
                && s.first_has_any(&["lastAccess", "expiry", "createdAt"])
                && !s.first_has_any(&["lastActiveAt", "expiresAt", "status", "user"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiToken {
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_access: Option<Option<String>>,
    #[serde(default)]
    expiry: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<ApiToken>(input.bytes, None)?;
    sink.skipped(list.skipped);
    let account = account_from(input.source);
    let source = sink.source_name();
    for (index, token) in list.items.into_iter().enumerate() {
        if token.id.trim().is_empty() {
            sink.problem(format!("record {} skipped: the token has no id", index + 1));
            continue;
        }
        let label = format!(
            "API token {} ({})",
            token.id,
            token.label.as_deref().unwrap_or("no label")
        );
        let created = sink.time(&label, "createdAt", token.created_at.as_deref());
        let expires = sink.time(&label, "expiry", token.expiry.as_deref());
        let usage = last_use(sink, &label, "lastAccess", token.last_access);
        let owner = account.as_ref().map(|account| Owner {
            who: Principal {
                name: account.clone(),
                id: Some(account.clone()),
                status: Default::default(),
            },
            source: OwnerSource::Explicit,
            basis: "the account whose tokens were listed (users/{account_id}/manage/api-tokens)"
                .into(),
        });
        sink.joins.atlassian.tokens.push(TokenRecord {
            id: token.id,
            label: token.label,
            status: None,
            created,
            expires,
            usage,
            owner,
            org: None,
            scopes: None,
            org_view: false,
            source: source.clone(),
        });
    }
    Ok(())
}

/// The account a per-user request was about, from its URL or a file name copying it:
/// `…/users/{account_id}/manage/api-tokens`, `users_{account_id}_manage_api-tokens.json`.
/// Account IDs are hex strings or `557058:` followed by a UUID (a colon may arrive as `%3A`).
fn account_from(source: &str) -> Option<String> {
    let cleaned = source
        .replace(['\\', '_'], "/")
        .replace("%3A", ":")
        .replace("%3a", ":");
    let lower = cleaned.to_ascii_lowercase();
    let at = lower.rfind("users/")?;
    let rest = &cleaned[at + "users/".len()..];
    let mut parts = rest.split('/');
    let id = parts.next()?.trim();
    let next = parts.next()?.to_ascii_lowercase();
    let valid = id.len() >= 6
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '-');
    (valid && next == "manage").then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_comes_from_the_request_url() {
        assert_eq!(
            account_from(
                "https://api.atlassian.com/users/5b10ac8d82e05b22cc7d4ef5/manage/api-tokens"
            )
            .as_deref(),
            Some("5b10ac8d82e05b22cc7d4ef5")
        );
        assert_eq!(
            account_from(
                "exports/users_557058%3Af58131cb-b67d-43c7-b30d-6b58d40bd077_manage_api-tokens.json"
            )
            .as_deref(),
            Some("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077")
        );
        assert_eq!(account_from("api-tokens.json"), None);
        assert_eq!(account_from("users/x/manage"), None);
    }
}
