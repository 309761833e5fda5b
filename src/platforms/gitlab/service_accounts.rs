//! Service accounts: `GET /api/v4/groups/:id/service_accounts` (a top-level group's, GitLab.com
//! and self-managed) and `GET /api/v4/service_accounts` (instance service accounts, self-managed).
//!
//! The lists name the accounts (`id`, `username`, `name`, `email`); their tokens come from
//! `GET /api/v4/groups/:id/service_accounts/:user_id/personal_access_tokens` or the administrator's
//! personal access token list, and are joined to the account by `user_id`.

use serde::Deserialize;

use super::{AccountRecord, Id, Namespace, resource_from_source};
use crate::ingest::{Input, Sink, records};
use crate::platforms::{Format, json};

/// The fields the service account lists return. A users list carries `state`, `web_url` and
/// `avatar_url` as well, which tells the two apart.
const FIELDS: &[&str] = &[
    "id",
    "username",
    "name",
    "email",
    "unconfirmed_email",
    "public_email",
];

pub(super) const FORMAT: Format = Format {
    id: "gitlab.service_accounts",
    title: "GitLab service accounts (GET /api/v4/groups/:id/service_accounts, /service_accounts)",
    doc_url: "https://docs.gitlab.com/api/service_accounts/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["id", "username", "name"])
                && s.first.as_ref().is_some_and(|first| {
                    let username = first.get("username").and_then(|u| u.as_str()).unwrap_or("");
                    first.keys().all(|k| FIELDS.contains(&k.as_str()))
                        || (username.starts_with("service_account_")
                            && !first.contains_key("state"))
                })
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
struct ServiceAccount {
    id: Id,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let group = resource_from_source(input.source, "service_accounts", input.url_root)
        .filter(|r| r.namespace == Namespace::Group)
        .map(|r| r.id);
    let source = sink.source_name();
    let skipped = records::each::<ServiceAccount, _>(input.bytes, None, |account| {
        sink.joins.gitlab.accounts.push(AccountRecord {
            user_id: account.id.to_string(),
            username: account.username,
            name: account.name,
            group: group.clone(),
            source: source.clone(),
        });
    })?;
    sink.skipped(skipped);
    Ok(())
}
