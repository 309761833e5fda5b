//! The organisation's Actions secrets page
//! (`github.com/organizations/{org}/settings/secrets/actions`), read from its DOM.
//!
//! One row per organisation secret: its name, when its value was last updated
//! (`<relative-time datetime>` after "Updated" or under a "Last updated" header [infer: the
//! labels]; another time, such as a creation date, is never taken for it) and which repositories
//! may use it ("All repositories", "Private repositories", "N selected repositories" [infer: the
//! wording; the three choices are documented]). The row links to the secret's own page
//! `/organizations/{org}/settings/secrets/actions/{NAME}` [infer]. A secret is
//! `github:ci_secret:{org}/{NAME}`, the same ID the REST reader gives
//! `GET /orgs/{org}/actions/secrets`, so the static-cloud-credential rule (NL601) fires on the
//! same names whichever way the secret was read. Values never appear on the page.

use super::{REGIONS, ROWS, Row, Snapshot, Token, finish, is_list, text_of, time_labelled};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Identity, Kind, Ownership, Platform,
    Reach, Usage,
};
use crate::platforms::Format;
use crate::text::has_word;
use scraper::ElementRef;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.actions_secrets_page",
    title: "Organization Actions secrets",
    url: "https://github.com/organizations/{tenant}/settings/secrets/actions*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub organization Actions secrets (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#creating-secrets-for-an-organization",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the page says when the organisation has no secret [infer]: whole sentences, never a bare
/// "no secrets", which the page's help text may say of something else ("forks receive no
/// secrets").
const EMPTY: &[&str] = &[
    "this organization has no secrets",
    "there are no secrets for this organization",
    "there are no organization secrets",
];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let org = page.segments.get(1).cloned();
    let rows = page.rows_by_link(sink, "secret", |path| match path {
        [o, _, s, secrets, actions, name]
            if o.eq_ignore_ascii_case("organizations")
                && s.eq_ignore_ascii_case("settings")
                && secrets.eq_ignore_ascii_case("secrets")
                && actions.eq_ignore_ascii_case("actions")
                && is_secret_name(name) =>
        {
            Some(name.clone())
        }
        _ => None,
    });
    for row in &rows {
        let name = &row.key;
        // The name as the row shows it, so it stays out of the labels read below.
        let shown = row
            .element
            .select(&crate::html::selector("*").expect("valid CSS"))
            .find(|e| {
                e.children().all(|c| !c.value().is_element())
                    && super::collapse(&e.text().collect::<String>()) == *name
            });
        let tokens = row.tokens(shown);
        let meta = text_of(&tokens);
        let label = format!("secret {name}");
        let native = match &org {
            Some(org) => format!("{org}/{name}"),
            None => format!("{}#{name}", sink.source()),
        };
        let mut identity = Identity::new(Platform::Github, Kind::CiSecret, native, name);
        identity.location = org.clone();
        identity.ownership = Ownership::NotRecorded;
        identity.usage = Usage::NotRecorded;
        identity.reach = reach(&meta);
        let mut value = Credential::new(CredentialKind::Secret);
        value.label = Some(name.clone());
        let updated = match time_labelled(&tokens, &["updated", "last updated"]) {
            Some(at) => Some(at),
            // A table puts the date in its own column, under a "Last updated" header; without
            // headers only a time alone in the row is the update (another may be the creation).
            None => match time_under(row, "updated") {
                Some(under_header) => under_header,
                None => sole_time(&tokens),
            },
        };
        value.created_at = sink.time(&label, "updated", updated.as_deref());
        value.expiry = Expiry::Unknown;
        value.usage = Usage::NotRecorded;
        identity.credentials.push(value);
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    let rest = page.after(&["organizations", "*", "settings", "secrets", "actions"]);
    finish(
        &page,
        rows.len(),
        is_list(rest, &[]),
        EMPTY,
        "organization secret",
    )
}

/// The time in the row's cell under the header naming `word`: `None` when the row is not a table
/// row with one cell per header, `Some(None)` when the headers name no such column or its cell
/// shows no time.
fn time_under(row: &Row<'_>, word: &str) -> Option<Option<String>> {
    let table = console::list_of(row.element)?;
    let td = super::selector("td");
    let header = table
        .select(&super::selector("tr"))
        .find(|tr| tr.select(&td).next().is_none())?;
    fn cells_of(tr: ElementRef<'_>) -> Vec<ElementRef<'_>> {
        let cell = super::selector("td, th");
        tr.children()
            .filter_map(ElementRef::wrap)
            .filter(|c| cell.matches(c))
            .collect()
    }
    let (names, cells) = (cells_of(header), cells_of(row.element));
    if names.len() != cells.len() {
        return None;
    }
    let at = names
        .iter()
        .position(|h| has_word(&super::normalize(&h.text().collect::<String>()), word));
    Some(at.and_then(|at| {
        let time = cells[at].select(&super::selector(super::TIME)).next()?;
        Some(time.attr("datetime")?.trim().to_string())
    }))
}

/// The row's time when it shows exactly one.
fn sole_time(tokens: &[Token]) -> Option<String> {
    let mut times = tokens.iter().filter_map(|t| match t {
        Token::Time(at) => Some(at),
        Token::Text(_) => None,
    });
    match (times.next(), times.next()) {
        (Some(at), None) => Some(at.clone()),
        _ => None,
    }
}

/// Secret names are letters, digits and underscores, not starting with a digit; GitHub shows
/// them in upper case. `new` (the "New organization secret" link) is not one.
fn is_secret_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && text != "new"
}

/// Which repositories may use the secret, as the row words it. `Private repositories` is every
/// private repository: organisation-wide, as the REST reader counts it.
fn reach(meta: &str) -> Reach {
    if meta.contains("selected repositor") || meta.contains("selected repos") {
        Reach::Selected
    } else if meta.contains("all repositories") || meta.contains("private repositories") {
        Reach::All
    } else {
        Reach::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_visibility_are_read() {
        assert!(is_secret_name("AWS_SECRET_ACCESS_KEY"));
        assert!(!is_secret_name("new"));
        assert!(!is_secret_name("1PASSWORD"));
        assert!(!is_secret_name("A-B"));
        assert_eq!(reach("updated · 3 selected repositories"), Reach::Selected);
        assert_eq!(reach("all repositories"), Reach::All);
        assert_eq!(reach("private repositories"), Reach::All);
        assert_eq!(reach(""), Reach::Unknown);
    }
}
