//! GitHub App installations: `GET /orgs/{org}/installations`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Account, Id, permission_grant};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Controller, CredentialControl, Identity, Kind, Ownership, Platform, Publisher, Reach, Usage,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "github.installations",
    title: "GitHub App installations (GET /orgs/{org}/installations)",
    doc_url: "https://docs.github.com/rest/orgs/orgs#list-app-installations-for-an-organization",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            (s.list_is(Some("installations"))
                && (s.first.is_none() || s.first_has_any(&["app_id", "app_slug"])))
                || (s.top_array
                    && s.first_has_all(&["app_id", "repository_selection", "permissions"]))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct Installation {
    id: Id,
    #[serde(default)]
    app_id: Option<Id>,
    #[serde(default)]
    app_slug: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    account: Option<Account>,
    #[serde(default)]
    repository_selection: Option<String>,
    #[serde(default)]
    permissions: BTreeMap<String, String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    suspended_at: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let key = json(input.shape).and_then(|s| s.list_key.as_deref());
    let list = records::read::<Installation>(input.bytes, key)?;
    sink.skipped(list.skipped);
    for item in list.items {
        let id = item.id.to_string();
        let name = item
            .app_slug
            .clone()
            .unwrap_or_else(|| format!("installation {id}"));
        let label = format!("installation {id} ({name})");
        let mut identity = installation(&id, name, item.account.map(|a| a.login));
        if let Some(app_id) = item.app_id {
            identity.aliases.push(format!("app:{app_id}"));
        }
        identity.aliases.extend(item.client_id);
        identity.created_at = sink.time(&label, "created_at", item.created_at.as_deref());
        identity.enabled = item.suspended_at.is_none();
        identity.reach = match item.repository_selection.as_deref() {
            Some("all") => Reach::All,
            Some("selected") => Reach::Selected,
            _ => Reach::Unknown,
        };
        identity.grants = item
            .permissions
            .iter()
            .map(|(name, level)| permission_grant(name, level, None))
            .collect();
        sink.push(identity);
    }
    Ok(())
}

/// An installation as GitHub shows it, in its REST response and its settings pages alike: it
/// records no owner, installer or use of one (only the audit log does); the App's private key is
/// held by whoever owns the App, and the organisation can only uninstall it. Whether the App is
/// the organisation's own is not said.
pub(super) fn installation(id: &str, name: String, location: Option<String>) -> Identity {
    let mut identity = Identity::new(Platform::Github, Kind::GithubApp, id, name);
    identity.location = location;
    identity.ownership = Ownership::NotRecorded;
    identity.usage = Usage::NotRecorded;
    identity.credential_control = CredentialControl {
        rotate: Controller::Unknown,
        revoke: Controller::Customer,
    };
    identity.publisher = Some(Publisher::default());
    identity
}
