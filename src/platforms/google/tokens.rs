//! Third-party app tokens of a user: Directory API
//! `GET admin/directory/v1/users/{userKey}/tokens`.
//!
//! One response lists one user's grants; an export is usually one file per user. Every grant to
//! the same OAuth client is joined into one identity (see [`super::Join`]). The list is not paged
//! [infer], and `items` is absent, not empty, when the user granted nothing [sdk].

use serde::Deserialize;

use super::TokenRecord;
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "google.tokens",
    title: "Google Workspace third-party app tokens (GET admin/directory/v1/users/{userKey}/tokens)",
    doc_url: "https://developers.google.com/workspace/admin/directory/reference/rest/v1/tokens/list",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.string("kind") == Some("admin#directory#tokenList")
                || (s.first_has_all(&["clientId", "scopes"])
                    && s.first_has_any(&["userKey", "displayText", "nativeApp"])
                    && (s.top_array || s.list_is(Some("items"))))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    client_id: String,
    #[serde(default)]
    display_text: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    user_key: Option<String>,
    #[serde(default)]
    anonymous: Option<bool>,
    #[serde(default)]
    native_app: Option<bool>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bare = json(input.shape).is_some_and(|s| s.top_array);
    let list = records::read::<Token>(input.bytes, if bare { None } else { Some("items") })?;
    sink.skipped(list.skipped);
    for (index, token) in list.items.into_iter().enumerate() {
        if token.client_id.trim().is_empty() {
            sink.problem(format!("token {} skipped: no clientId", index + 1));
            continue;
        }
        let record = TokenRecord {
            client_id: token.client_id,
            display_text: token.display_text,
            scopes: token.scopes.unwrap_or_default(),
            user_key: token.user_key,
            anonymous: token.anonymous.unwrap_or(false),
            native_app: token.native_app.unwrap_or(false),
            source: sink.source_name(),
        };
        sink.joins.google.tokens.push(record);
    }
    Ok(())
}
