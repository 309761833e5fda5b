//! Personal access tokens: `GET /api/v4/personal_access_tokens` (an administrator sees every
//! user's; others their own) and a group service account's tokens,
//! `GET /api/v4/groups/:id/service_accounts/:user_id/personal_access_tokens` (same shape).
//!
//! Read into the join: a token whose `user_id` is a listed service account becomes that account's
//! credential; a token of a bot user (from a users list) is an API token; the rest are people's
//! tokens, owned by their user.

use super::{Token, TokenParts, TokenRecord};
use crate::ingest::{Input, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "gitlab.personal_access_tokens",
    title: "GitLab personal access tokens (GET /api/v4/personal_access_tokens)",
    doc_url: "https://docs.gitlab.com/api/personal_access_tokens/#list-all-personal-access-tokens",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["scopes", "user_id"])
                && s.first_has_any(&["revoked", "active", "expires_at", "last_used_at"])
                // Project and group access tokens add `access_level` (or, on their pages, `role`).
                && !s.first_has_any(&["access_level", "role", "username", "login", "owner"])
        })
    },
    read,
    exported_only: false,
};

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let source = sink.source_name();
    let skipped = records::each::<Token, _>(input.bytes, None, |token| {
        let parts = TokenParts::read(sink, "personal access token", &token);
        sink.joins.gitlab.tokens.push(TokenRecord {
            parts,
            source: source.clone(),
        });
    })?;
    sink.skipped(skipped);
    Ok(())
}
