//! People in Google Workspace: Directory API `GET admin/directory/v1/users` (paged with
//! `pageToken` / `nextPageToken`). People are not identities here: they name the users who
//! granted apps access and tell whether they are still active (suspended or archived users are
//! not).

use serde::Deserialize;

use super::PersonRecord;
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{AccountStatus, Platform};
use crate::platforms::directory::Person;
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "google.users",
    title: "Google Workspace users (GET admin/directory/v1/users)",
    doc_url: "https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.string("kind") == Some("admin#directory#users")
                || (s.list_is(Some("users")) && s.first_has_all(&["primaryEmail"]))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    primary_email: Option<String>,
    #[serde(default)]
    name: Option<Name>,
    #[serde(default)]
    suspended: Option<bool>,
    #[serde(default)]
    archived: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Name {
    full_name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<User>(input.bytes, Some("users"))?;
    sink.skipped(list.skipped);
    for (index, user) in list.items.into_iter().enumerate() {
        let id = user.id.unwrap_or_default();
        let email = user.primary_email.unwrap_or_default();
        if id.trim().is_empty() && email.trim().is_empty() {
            sink.problem(format!("user {} skipped: no id or primaryEmail", index + 1));
            continue;
        }
        let name = user
            .name
            .and_then(|n| {
                n.full_name.filter(|f| !f.trim().is_empty()).or_else(|| {
                    let parts: Vec<String> = [n.given_name, n.family_name]
                        .into_iter()
                        .flatten()
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                })
            })
            .unwrap_or_else(|| email.clone());
        let status = if user.suspended.unwrap_or(false) || user.archived.unwrap_or(false) {
            AccountStatus::Disabled
        } else {
            AccountStatus::Active
        };
        sink.joins.directory.add(
            Platform::Google,
            &[&id, &email],
            Person {
                name: name.clone(),
                status,
            },
        );
        for key in [&id, &email] {
            let key = key.trim().to_ascii_lowercase();
            if !key.is_empty() {
                sink.joins.google.people.insert(
                    key,
                    PersonRecord {
                        name: name.clone(),
                        status,
                    },
                );
            }
        }
    }
    Ok(())
}
