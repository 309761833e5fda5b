//! User API tokens of an organisation: `GET https://api.atlassian.com/admin/api-access/v1/orgs/
//! {orgId}/api-tokens` (organisation API key with `read:tokens:admin`), paged by `links.next`.
//! Only managed accounts' tokens are listed.

use serde::Deserialize;

use super::{TokenRecord, last_use};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{Owner, OwnerSource, Principal};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "atlassian.api_tokens",
    title: "Atlassian organisation API tokens (GET /admin/api-access/v1/orgs/{orgId}/api-tokens)",
    doc_url: "https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            // The documented `{data, links}` page, or its `data` list saved on its own, which
            // must then carry the token's `user` (Okta's app list is also a bare array of
            // `id`, `label`, `status`).
            let dated = s.first_has_any(&["createdAt", "lastActiveAt", "expiresAt"]);
            let shaped = if s.top_array {
                dated && s.first_has_all(&["user"])
            } else {
                s.list_is(Some("data")) && (dated || s.first_has_all(&["user"]))
            };
            shaped
                && s.first_has_all(&["id", "label"])
                && !s.first_has_any(&["lastAccess", "expiry"])
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiToken {
    id: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_active_at: Option<Option<String>>,
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct User {
    id: Option<String>,
    org_id: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let key = json(input.shape).and_then(|s| s.list_key.as_deref());
    let list = records::read::<ApiToken>(input.bytes, key)?;
    sink.skipped(list.skipped);
    let url_org = org_from_source(input.source);
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
        let expires = sink.time(&label, "expiresAt", token.expires_at.as_deref());
        let usage = last_use(sink, &label, "lastActiveAt", token.last_active_at);
        let user = token.user.unwrap_or_default();
        let org = user
            .org_id
            .clone()
            .filter(|o| !o.trim().is_empty())
            .or_else(|| url_org.clone());
        let id = user.id.filter(|i| !i.trim().is_empty());
        let display = user
            .email
            .filter(|e| !e.trim().is_empty())
            .or(user.name.filter(|n| !n.trim().is_empty()))
            .or(id.clone());
        let owner = display.map(|name| Owner {
            who: Principal {
                name,
                id,
                // Whether the account is still active is not in this list; a directory may say.
                status: Default::default(),
            },
            source: OwnerSource::Explicit,
            basis: "user (the account the token acts as)".into(),
        });
        sink.joins.atlassian.tokens.push(TokenRecord {
            id: token.id,
            label: token.label,
            status: token.status,
            created,
            expires,
            usage,
            owner,
            org,
            scopes: token.scopes,
            org_view: true,
            source: source.clone(),
        });
    }
    Ok(())
}

/// The organisation ID from the request URL (`…/orgs/{orgId}/api-tokens`), when the source is one.
fn org_from_source(source: &str) -> Option<String> {
    let cleaned = source.replace('\\', "/");
    let at = cleaned.find("/orgs/")?;
    let id = cleaned[at + "/orgs/".len()..]
        .split(['/', '?', '#'])
        .next()?;
    (!id.is_empty() && cleaned[at..].contains("api-tokens")).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_org_comes_from_the_request_url() {
        assert_eq!(
            org_from_source(
                "https://api.atlassian.com/admin/api-access/v1/orgs/0a1b2c3d-org/api-tokens?cursor=x"
            )
            .as_deref(),
            Some("0a1b2c3d-org")
        );
        assert_eq!(org_from_source("api_tokens.json"), None);
    }
}
