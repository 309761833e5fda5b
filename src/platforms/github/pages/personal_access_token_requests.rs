//! The organisation's pending requests for fine-grained personal access tokens
//! (`github.com/organizations/{org}/settings/personal-access-token-requests`), read from its DOM.
//!
//! The URL is observed (GitHub's docs send owners to "Personal access tokens > Pending
//! requests"; many projects link `/settings/personal-access-token-requests`). Each row is one
//! request: the token's name linking to `/settings/personal-access-token-requests/{id}`
//! [infer: the link], who asked, when and the expiry asked for. The ID is taken to be the REST
//! request `id` (`pat_request_id` of `GET /orgs/{org}/personal-access-token-requests`), so a
//! request is `github:user_token:request/{id}` as from the REST response [infer]. Requests are
//! pending: not yet access.

use super::personal_access_tokens::token;
use super::{REGIONS, ROWS, Snapshot, finish, is_list};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::platforms::Format;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.personal_access_token_requests_page",
    title: "Fine-grained personal access token requests",
    url: "https://github.com/organizations/{tenant}/settings/personal-access-token-requests*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub fine-grained token requests (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/organizations/managing-programmatic-access-to-your-organization/managing-requests-for-personal-access-tokens-in-your-organization",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the list says when nobody is waiting [infer].
const EMPTY: &[&str] = &[
    "no pending requests",
    "no requests",
    "aren't any pending requests",
];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let rows = page.settings_rows(sink, "personal-access-token-requests", "token request");
    for row in &rows {
        let identity = token(row, &page, sink, true);
        sink.push(identity);
    }
    let rest = page.after(&[
        "organizations",
        "*",
        "settings",
        "personal-access-token-requests",
    ]);
    finish(
        &page,
        rows.len(),
        is_list(rest, &[]),
        EMPTY,
        "fine-grained token request",
    )
}
