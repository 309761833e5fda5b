//! Google Cloud service accounts: IAM `GET v1/projects/{project}/serviceAccounts` (paged with
//! `pageToken` / `nextPageToken`; the `accounts` wrapper is [infer]), or the bare array
//! `gcloud iam service-accounts list --format=json` prints.
//!
//! The resource has no creation time, creator or owner, and no last use (Activity Analyzer has
//! it); its keys come from `keys.list`, joined by email in [`super::Join`].

use serde::Deserialize;

use super::{AccountRecord, resource_name};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "google.service_accounts",
    title: "Google Cloud service accounts (GET v1/projects/{project}/serviceAccounts)",
    doc_url: "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            (s.list_is(Some("accounts")) || s.top_array)
                && s.first_has_any(&["oauth2ClientId", "uniqueId"])
                && s.first_has_any(&["email", "name"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    unique_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    oauth2_client_id: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bare = json(input.shape).is_some_and(|s| s.top_array);
    let key = if bare { None } else { Some("accounts") };
    let list = records::read::<Account>(input.bytes, key)?;
    sink.skipped(list.skipped);
    for (index, account) in list.items.into_iter().enumerate() {
        let (name_project, name_account, _) = account
            .name
            .as_deref()
            .map_or((None, None, None), resource_name);
        let email = account
            .email
            .clone()
            .filter(|e| !e.trim().is_empty())
            .or_else(|| name_account.filter(|a| a.contains('@')).map(str::to_string));
        let Some(email) = email else {
            sink.problem(format!("service account {} skipped: no email", index + 1));
            continue;
        };
        let project = account
            .project_id
            .clone()
            .filter(|p| !p.trim().is_empty())
            .or_else(|| name_project.map(str::to_string));
        let record = AccountRecord {
            email: email.trim().to_string(),
            unique_id: account.unique_id.filter(|u| !u.trim().is_empty()),
            oauth2_client_id: account.oauth2_client_id.filter(|c| !c.trim().is_empty()),
            display_name: account.display_name,
            project,
            disabled: account.disabled.unwrap_or(false),
            source: sink.source_name(),
        };
        sink.joins.google.accounts.push(record);
    }
    Ok(())
}
