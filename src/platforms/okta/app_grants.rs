//! Okta API scopes granted to an app: `GET /api/v1/apps/{appId}/grants` (OAuth2ScopeConsentGrant).
//!
//! Each grant names its app by `clientId` (for OIDC apps the app ID); the request URL (or a file
//! name copying it) and the grant's `_links.app` name it too. `createdBy` is the admin who granted
//! the scope: who approved it, not its owner.

use serde::Deserialize;

use super::{GrantRecord, app_id_from, app_id_in_href};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::GrantVia;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "okta.app_grants",
    title: "Okta app scope grants (GET /api/v1/apps/{appId}/grants)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGrants/#tag/ApplicationGrants/operation/listScopeConsentGrants",
    detect: |shape| {
        json(shape).is_some_and(|s| s.top_array && s.first_has_all(&["scopeId", "issuer"]))
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScopeGrant {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    scope_id: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    created_by: Option<Actor>,
    #[serde(default, rename = "_links")]
    links: Option<GrantLinks>,
}

#[derive(Deserialize)]
struct Actor {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrantLinks {
    app: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    href: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<ScopeGrant>(input.bytes, None)?;
    sink.skipped(list.skipped);
    let from_url = app_id_from(input.source, &["grants"]);
    let source = sink.source_name();
    for (index, grant) in list.items.into_iter().enumerate() {
        let place = format!(
            "grant {} ({})",
            grant.id.as_deref().unwrap_or(&format!("#{}", index + 1)),
            grant.scope_id
        );
        let (app_href, app_title) = match grant.links.and_then(|l| l.app) {
            Some(link) => (link.href, link.title),
            None => (None, None),
        };
        let app_id = from_url
            .clone()
            .or_else(|| app_href.as_deref().and_then(app_id_in_href));
        let client_id = grant.client_id.filter(|c| !c.is_empty());
        // The app's grants were read, whatever is left of them.
        let read = &mut sink.joins.okta.grants_read;
        read.extend(app_id.clone());
        read.extend(client_id.clone());
        // Revoked grants give nothing.
        if grant
            .status
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case("ACTIVE"))
        {
            continue;
        }
        if app_id.is_none() && client_id.is_none() {
            sink.problem(format!(
                "{place} skipped: it names no clientId, and the file name does not say which app \
                 it belongs to (name it after the request: apps_{{appId}}_grants.json)"
            ));
            continue;
        }
        let end_user = grant
            .source
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("END_USER"));
        let approver = match (grant.created_by, grant.user_id) {
            // An end user's own consent: they approved it for themselves.
            (_, Some(user)) if end_user && !user.is_empty() => Some((user, Some("User".into()))),
            (Some(Actor { id: Some(id), kind }), _) if !id.is_empty() => Some((id, kind)),
            _ => None,
        };
        let granted_at = sink.time(&place, "created", grant.created.as_deref());
        sink.joins.okta.grants.push(GrantRecord {
            app_id,
            client_id,
            scope: grant.scope_id,
            // An admin's grant lets a service app call the API as itself (client credentials).
            via: if end_user {
                GrantVia::Delegated { all_users: false }
            } else {
                GrantVia::Application
            },
            granted_at,
            approver,
            app_title: app_title.filter(|t| !t.trim().is_empty()),
            source: source.clone(),
        });
    }
    Ok(())
}
