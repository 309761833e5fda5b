//! Client secrets of an app: `GET /api/v1/apps/{appId}/credentials/secrets` (OAuth2ClientSecret).
//!
//! The records do not name their app: it comes from the request URL (or a file name copying it),
//! else from the records' `_links` (`…/apps/{appId}/credentials/secrets/{id}/lifecycle/…`).
//! `client_secret` and `secret_hash` are never declared, so never read. Okta secrets have no
//! expiry.

use std::collections::HashMap;

use serde::Deserialize;

use super::{SecretRecord, app_id_from};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "okta.app_secrets",
    title: "Okta app client secrets (GET /api/v1/apps/{appId}/credentials/secrets)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialOAuth2ClientAuth/#tag/ApplicationSSOCredentialOAuth2ClientAuth/operation/listOAuth2ClientSecrets",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["id", "status"])
                && (s.first_has_any(&["secret_hash", "client_secret"])
                    || s.first.as_ref().is_some_and(|first| {
                        first.get("_links").is_some_and(|links| {
                            links.to_string().contains("/credentials/secrets/")
                        })
                    }))
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
struct ClientSecret {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default, rename = "_links")]
    links: Option<HashMap<String, Link>>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    href: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<ClientSecret>(input.bytes, None)?;
    sink.skipped(list.skipped);
    let from_url = app_id_from(input.source, &["credentials"]);
    let source = sink.source_name();
    for secret in list.items {
        let place = format!("client secret {}", secret.id);
        let app_id = from_url.clone().or_else(|| {
            secret
                .links
                .iter()
                .flatten()
                .filter_map(|(_, link)| link.href.as_deref())
                .find_map(|href| app_id_from(href, &["credentials"]))
        });
        let Some(app_id) = app_id else {
            sink.problem(format!(
                "{place} skipped: the file does not say which app it belongs to (name it after \
                 the request: apps_{{appId}}_credentials_secrets.json)"
            ));
            continue;
        };
        let created = sink.time(&place, "created", secret.created.as_deref());
        let active = secret
            .status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"));
        sink.joins.okta.secrets.push(SecretRecord {
            app_id,
            id: secret.id,
            active,
            created,
            source: source.clone(),
        });
    }
    Ok(())
}
