//! The organisation's active fine-grained personal access tokens
//! (`github.com/organizations/{org}/settings/personal-access-tokens/active`), read from its DOM.
//!
//! One row per token with access: the token's name linking to
//! `/organizations/{org}/settings/personal-access-tokens/{id}`, its owner, and when it was last
//! used and expires. The ID in that link is the grant ID, the REST `id` (`pat_id`) of
//! `GET /orgs/{org}/personal-access-tokens` (observed; `reference/platforms.md` §1.2 and §1.7),
//! so a token read here is `github:user_token:fine-grained/{id}` exactly as from the REST
//! response, and carries the bare ID as an alias so the extension finds its row by the link.
//! Dates are `<relative-time datetime>` elements labelled "Last used" and "Expires"/"Expired"
//! [infer: the labels]; `Never used` and `No expiration` are read as such.
//!
//! `/settings/personal-access-tokens` itself is the token policy page and `/…/{id}` one token's
//! page: neither is the list, and they read as nothing (`reference/platforms.md` §1.7).

use super::{REGIONS, ROWS, Row, Snapshot, finish, is_list, last_use, text_of};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Identity, Kind, Ownership, Platform,
};
use crate::platforms::Format;
use crate::platforms::github::login_owner;
use crate::text::has_word;
use scraper::ElementRef;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.personal_access_tokens_page",
    title: "Fine-grained personal access tokens (active)",
    url: "https://github.com/organizations/{tenant}/settings/personal-access-tokens*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub active fine-grained tokens (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/organizations/managing-programmatic-access-to-your-organization/reviewing-and-revoking-personal-access-tokens-in-your-organization",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the list says when no token has access [infer].
const EMPTY: &[&str] = &[
    "no fine-grained personal access tokens",
    "no active tokens",
    "no tokens have access",
    "aren't any fine-grained personal access tokens",
];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let rows = page.settings_rows(sink, "personal-access-tokens", "token");
    for row in &rows {
        let identity = token(row, &page, sink, false);
        sink.push(identity);
    }
    let rest = page.after(&["organizations", "*", "settings", "personal-access-tokens"]);
    let list = is_list(rest, &["active"]);
    finish(&page, rows.len(), list, EMPTY, "fine-grained token")
}

/// A fine-grained token (or a request for one) as its row shows it.
pub(super) fn token(
    row: &Row<'_>,
    page: &Snapshot,
    notes: &mut impl Problems,
    request: bool,
) -> Identity {
    let id = &row.key;
    let name_element = row.first_text("strong, .text-bold, a[href*='personal-access-token']");
    let shown = name_element.as_ref().map(|(_, text)| text.clone());
    let name = shown.clone().unwrap_or_else(|| {
        if request {
            format!("fine-grained token request {id}")
        } else {
            format!("fine-grained token grant {id}")
        }
    });
    let skip = name_element.as_ref().map(|(e, _)| *e);
    // Only the page's own words say the token's status and times: the name, the people's logins
    // and a request's reason are someone's text and may spell anything ("expire-bot", "the old
    // token expired").
    let mut hidden = row.written_by_others(skip);
    hidden.extend(reason(row));
    let tokens = row.tokens_without(&hidden);
    let meta = text_of(&tokens);
    let label = format!("token {id} ({name})");
    let native = if request {
        format!("request/{id}")
    } else {
        format!("fine-grained/{id}")
    };
    let mut identity = Identity::new(Platform::Github, Kind::UserToken, native, &name);
    // The link's last path segment, so the extension finds the row by it.
    identity.aliases.push(id.clone());
    identity.location = page.segments.get(1).cloned();
    identity.pending = request;
    identity.ownership = match row.user(skip) {
        Some(login) => Ownership::Known(vec![login_owner(&login, "owner (page)")]),
        // The page may not show the owner: not "no owner".
        None => Ownership::NotLoaded,
    };
    if request {
        identity.created_at = notes.time(
            &label,
            "requested",
            super::time_labelled(&tokens, &["request", "created", "submitted"]).as_deref(),
        );
    }
    identity.usage = last_use(notes, &label, &tokens, &meta);
    let mut token = Credential::new(CredentialKind::Token);
    token.label = shown;
    let expires = super::time_labelled(&tokens, &["expire"]);
    token.expiry = match notes.time(&label, "expires", expires.as_deref()) {
        Some(at) => Expiry::At { at },
        None if ["no expiration", "never expires", "does not expire"]
            .iter()
            .any(|p| meta.contains(p)) =>
        {
            Expiry::Never
        }
        None => Expiry::Unknown,
    };
    // "Expired" as a word of its own: an owner `expired-octocat` says nothing of the token.
    token.active =
        !(has_word(&meta, "expired") || has_word(&row.labels(skip).to_lowercase(), "expired"));
    token.usage = identity.usage.clone();
    identity.credentials.push(token);
    identity.credential_control = CredentialControl::CUSTOMER;
    identity
}

/// A request's reason (`Reason: …`), the requester's own words: the outermost element of the row
/// whose text starts with "Reason" and that holds no time (which would be the page's).
fn reason<'a>(row: &Row<'a>) -> Option<ElementRef<'a>> {
    let time = super::selector(super::TIME);
    row.element.select(&super::selector("*")).find(|e| {
        let text = super::normalize(&e.text().collect::<String>());
        text.strip_prefix("reason")
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
            && e.select(&time).next().is_none()
    })
}
