//! GitHub Actions secrets: `GET /orgs/{org}/actions/secrets` and
//! `GET /repos/{owner}/{repo}/actions/secrets`. Values never appear in these responses.

use serde::Deserialize;

use super::location_from_url;
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Identity, Kind, Ownership, Platform,
    Reach, Usage,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "github.actions_secrets",
    title: "GitHub Actions secrets (GET /orgs/{org}/actions/secrets, GET /repos/{owner}/{repo}/actions/secrets)",
    doc_url: "https://docs.github.com/rest/actions/secrets#list-organization-secrets",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(Some("secrets"))
                && (s.first.is_none() || s.first_has_all(&["name", "created_at", "updated_at"]))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct Secret {
    name: String,
    #[serde(default)]
    created_at: Option<String>,
    /// When the value was last replaced: the secret's age.
    #[serde(default)]
    updated_at: Option<String>,
    /// Organisation secrets only: `all`, `private` or `selected`.
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    selected_repositories_url: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Secret>(input.bytes, Some("secrets"))?;
    sink.skipped(list.skipped);
    // All secrets of one response belong to one organisation or repository. Organisation secrets
    // name it only in `selected_repositories_url`, so one such secret locates them all; otherwise
    // the request URL (the extension's source, or a file path copying it) may.
    let location = list
        .items
        .iter()
        .find_map(|s| {
            s.selected_repositories_url
                .as_deref()
                .and_then(location_from_url)
        })
        .or_else(|| location_from_url(input.source));
    for secret in list.items {
        // Without a location, two repositories' secrets of the same name must not merge: the
        // input's name keeps them apart.
        let native = match &location {
            Some(place) => format!("{place}/{}", secret.name),
            None => format!("{}#{}", input.source, secret.name),
        };
        let label = format!("secret {}", secret.name);
        let mut identity = Identity::new(Platform::Github, Kind::CiSecret, native, &secret.name);
        identity.location = location.clone();
        identity.ownership = Ownership::NotRecorded;
        identity.usage = Usage::NotRecorded;
        identity.created_at = sink.time(&label, "created_at", secret.created_at.as_deref());
        identity.reach = match secret.visibility.as_deref() {
            Some("all" | "private") => Reach::All,
            _ => Reach::Selected,
        };
        let mut value = Credential::new(CredentialKind::Secret);
        value.label = Some(secret.name.clone());
        value.created_at = sink
            .time(&label, "updated_at", secret.updated_at.as_deref())
            .or(identity.created_at);
        // Whether the stored value expires is not visible here.
        value.expiry = Expiry::Unknown;
        value.usage = Usage::NotRecorded;
        identity.credentials.push(value);
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}
