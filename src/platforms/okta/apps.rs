//! Apps: `GET /api/v1/apps`, or one app: `GET /api/v1/apps/{id}`.
//!
//! Only service apps are non-human identities: OAuth clients that get tokens for themselves with
//! the client credentials grant (`settings.oauthClient.application_type` `service`, or
//! `client_credentials` among the grant types). Every other app signs people in; it is skipped,
//! and so are its grants and secrets.

use serde::Deserialize;

use super::AppRecord;
use crate::ingest::probe::{json_error_reason, strip_bom};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "okta.apps",
    title: "Okta apps (GET /api/v1/apps)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/#tag/Application/operation/listApplications",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            let kinds = ["signOnMode", "settings", "credentials"];
            // The list, or one app (`GET /api/v1/apps/{id}`, which an app's own page loads).
            (s.top_array && s.first_has_all(&["id", "name", "label"]) && s.first_has_any(&kinds))
                || (!s.top_array
                    && ["id", "name", "label"].iter().all(|k| s.has_key(k))
                    && kinds.iter().any(|k| s.has_key(k)))
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct App {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    credentials: Option<AppCredentials>,
    #[serde(default)]
    settings: Option<AppSettings>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AppCredentials {
    oauth_client: Option<OauthClientCredentials>,
}

/// `credentials.oauthClient`. The `client_secret` it may carry is never declared, so never read.
#[derive(Deserialize, Default)]
#[serde(default)]
struct OauthClientCredentials {
    client_id: Option<String>,
    token_endpoint_auth_method: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AppSettings {
    oauth_client: Option<OauthClientSettings>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OauthClientSettings {
    application_type: Option<String>,
    grant_types: Option<Vec<String>>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = match json(input.shape) {
        Some(s) if !s.top_array => records::Records {
            items: vec![
                serde_json::from_slice::<App>(strip_bom(input.bytes))
                    .map_err(|e| json_error_reason(&e))?,
            ],
            skipped: Vec::new(),
        },
        _ => records::read::<App>(input.bytes, None)?,
    };
    sink.skipped(list.skipped);
    let source = sink.source_name();
    for app in list.items {
        let oauth = app
            .credentials
            .and_then(|c| c.oauth_client)
            .unwrap_or_default();
        let settings = app
            .settings
            .and_then(|s| s.oauth_client)
            .unwrap_or_default();
        let client_id = oauth.client_id.filter(|c| !c.is_empty());
        let service = settings
            .application_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("service"))
            || settings
                .grant_types
                .iter()
                .flatten()
                .any(|g| g.eq_ignore_ascii_case("client_credentials"));
        if !service {
            // An app people sign in to: not an identity, and neither are its grants or secrets.
            let join = &mut sink.joins.okta;
            join.not_service.insert(app.id.clone());
            join.not_service.extend(client_id);
            continue;
        }
        let label = app
            .label
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| app.id.clone());
        let place = format!("app {} ({label})", app.id);
        let created = sink.time(&place, "created", app.created.as_deref());
        let active = match app.status.as_deref() {
            None => true,
            Some(status) => status.eq_ignore_ascii_case("ACTIVE"),
        };
        sink.joins.okta.apps.push(AppRecord {
            id: app.id,
            client_id,
            label,
            okta_name: app.name,
            active,
            created,
            auth_method: oauth.token_endpoint_auth_method,
            source: source.clone(),
            extra_sources: Vec::new(),
        });
    }
    Ok(())
}
