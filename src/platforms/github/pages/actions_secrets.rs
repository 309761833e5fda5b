//! The organisation's Actions secrets page
//! (`github.com/organizations/{org}/settings/secrets/actions`), read from its DOM.
//!
//! One row per organisation secret: its name, when its value was last updated
//! (`<relative-time datetime>` after "Updated" [infer: the label]) and which repositories may use
//! it ("All repositories", "Private repositories", "N selected repositories" [infer: the wording;
//! the three choices are documented]). The row links to the secret's own page
//! `/organizations/{org}/settings/secrets/actions/{NAME}` [infer]. A secret is
//! `github:ci_secret:{org}/{NAME}`, the same ID the REST reader gives
//! `GET /orgs/{org}/actions/secrets`, so the static-cloud-credential rule (NL601) fires on the
//! same names whichever way the secret was read. Values never appear on the page.

use super::{REGIONS, ROWS, Snapshot, finish, is_list, text_of, time_labelled};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Identity, Kind, Ownership, Platform,
    Reach, Usage,
};
use crate::platforms::Format;

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

/// What the page says when the organisation has no secret [infer].
const EMPTY: &[&str] = &[
    "this organization has no secrets",
    "no organization secrets",
    "there are no secrets",
    "no secrets",
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
        let updated = time_labelled(&tokens, &["updated", "last updated"]).or_else(|| {
            // A table puts the date in its own column, under a "Last updated" header.
            tokens.iter().find_map(|t| match t {
                super::Token::Time(at) => Some(at.clone()),
                super::Token::Text(_) => None,
            })
        });
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
