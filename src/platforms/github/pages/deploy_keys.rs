//! A repository's Deploy keys page (`github.com/{owner}/{repo}/settings/keys`), read from its DOM.
//!
//! One row per key, worded as GitHub words its SSH-key rows (observed in admins' own notes:
//! "ci-deploy SHA256:9ar5… Added on Mar 3, 2026 Last used within the last week — Read/write"):
//! the title, the SHA256 fingerprint, when and by whom it was added, its last use, and
//! `Read-only` or `Read/write`. The empty page says "There are no deploy keys for this
//! repository" (observed). Each row's Delete form posts to
//! `/{owner}/{repo}/settings/keys/{id}` [infer]: that ID is the REST deploy key `id`, so a key read
//! here is `github:deploy_key:{id}` as from `GET /repos/{owner}/{repo}/keys`. A row without it is
//! keyed by its fingerprint, which GitHub keeps unique across repositories (a deploy key cannot
//! be added to two).
//!
//! Last use is shown in buckets ("within the last week"): without knowing when the page was drawn
//! the model cannot hold a bucket (it has no week precision), so such a key's use is "not loaded";
//! `Never used` is read as never used.

use super::{REGIONS, ROWS, Row, Snapshot, date_after, finish, last_use, numeric, text_of};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Grant, GrantVia, Identity, Kind,
    Ownership, Platform, Reach, Tier,
};
use crate::platforms::Format;
use crate::platforms::github::login_owner;
use crate::text::has_word;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.deploy_keys_page",
    title: "Repository deploy keys",
    url: "https://github.com/{tenant}/{segment}/settings/keys*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub repository deploy keys (repository settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/authentication/connecting-to-github-with-ssh/managing-deploy-keys#deploy-keys",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the page says when the repository has no key (observed), and when an organisation
/// policy turned deploy keys off.
const EMPTY: &[&str] = &["there are no deploy keys for this repository"];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    // `/{owner}/{repo}/settings/keys`: owner and repository are what comes before `settings`.
    let at = page
        .segments
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("settings"))
        .filter(|&i| page.segments.get(i + 1).is_some_and(|k| k == "keys"));
    let Some(at) = at else {
        return Ok(());
    };
    let place = &page.segments[..at];
    if place
        .first()
        .is_some_and(|o| o.eq_ignore_ascii_case("organizations") || o.eq_ignore_ascii_case("orgs"))
    {
        // Not a repository (no repository can be owned by `organizations`).
        return Ok(());
    }
    let location = (!place.is_empty()).then(|| place.join("/"));
    let mut rows = page.rows_by_link(sink, "deploy key", |path| match path {
        [.., s, k, id] if s == "settings" && k == "keys" && numeric(id) => Some(id.clone()),
        _ => None,
    });
    // Rows that show a fingerprint but carry no ID link.
    for row in fingerprint_rows(&page) {
        if !rows.iter().any(|r| r.element == row.element) {
            rows.push(row);
        }
    }
    let mut read = 0;
    for row in &rows {
        if let Some(identity) = key(row, location.as_deref(), sink) {
            sink.push(identity);
        }
        read += 1;
    }
    let list = page.segments.len() == at + 2;
    finish(&page, read, list, EMPTY, "deploy key")
}

/// Rows of the page that hold an SSH fingerprint, keyed by it.
fn fingerprint_rows(page: &Snapshot) -> Vec<Row<'_>> {
    let rows = crate::html::selector(".Box-row, [role=row], tr, li").expect("valid CSS");
    page.document
        .select(&rows)
        .filter_map(|element| {
            let text: String = element.text().collect();
            let key = fingerprint(&text)?;
            // The innermost row holding it.
            let inner = element
                .select(&rows)
                .any(|r| fingerprint(&r.text().collect::<String>()).is_some());
            (!inner).then_some(Row { element, key })
        })
        .collect()
}

/// The first `SHA256:` fingerprint in `text`.
fn fingerprint(text: &str) -> Option<String> {
    text.split_whitespace().find_map(|word| {
        let base = word.strip_prefix("SHA256:")?;
        let base =
            base.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'));
        (base.len() >= 40
            && base
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/'))
        .then(|| format!("SHA256:{base}"))
    })
}

fn key(row: &Row<'_>, location: Option<&str>, notes: &mut impl Problems) -> Option<Identity> {
    let id = numeric(&row.key).then(|| row.key.clone());
    let name_element = row.first_text("strong, .text-bold, h3, h4");
    let skip = name_element.as_ref().map(|(e, _)| *e);
    // The row's own words, without the title and the people's logins (an adder `disabled-bot`).
    let tokens = row.tokens_without(&row.written_by_others(skip));
    let meta = text_of(&tokens);
    let fingerprint = fingerprint(&super::collapse(
        &tokens
            .iter()
            .filter_map(|t| match t {
                super::Token::Text(s) => Some(s.as_str()),
                super::Token::Time(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
    ));
    let native = match (&id, &fingerprint) {
        (Some(id), _) => id.clone(),
        (None, Some(fp)) => fp.clone(),
        (None, None) => {
            notes.problem(format!(
                "deploy key row {}: neither an ID nor a fingerprint; skipped",
                row.key
            ));
            return None;
        }
    };
    let title = name_element.map(|(_, text)| text);
    let name = title
        .clone()
        .unwrap_or_else(|| format!("deploy key {native}"));
    let label = format!("deploy key {native} ({name})");
    let mut identity = Identity::new(Platform::Github, Kind::DeployKey, &native, &name);
    identity.location = location.map(str::to_string);
    identity.ownership = match added_by(row, skip, &meta) {
        Some(login) => Ownership::Known(vec![login_owner(&login, "added by (page)")]),
        // A key added through the API by an App shows nobody: not loaded, not "missing".
        None => Ownership::NotLoaded,
    };
    identity.created_at = match super::time_labelled(&tokens, &["added"]) {
        Some(at) => notes.time(&label, "added", Some(&at)),
        None => date_after(&meta, "added on"),
    };
    identity.usage = last_use(notes, &label, &tokens, &meta);
    identity.enabled = !(has_word(&meta, "disabled") || has_word(&row.labels(skip), "disabled"));
    let mut credential = Credential::new(CredentialKind::Key);
    credential.id = id;
    credential.label = title;
    credential.created_at = identity.created_at;
    credential.expiry = Expiry::Never;
    credential.usage = identity.usage.clone();
    credential.active = identity.enabled;
    credential.fingerprint = fingerprint;
    identity.credentials.push(credential);
    let access = if meta.contains("read/write") || meta.contains("read-write") {
        Some(true)
    } else if meta.contains("read-only") || meta.contains("read only") {
        Some(false)
    } else {
        None
    };
    if let Some(writable) = access {
        identity.grants.push(Grant {
            name: if writable {
                "contents:write"
            } else {
                "contents:read"
            }
            .into(),
            resource: identity.location.clone(),
            tier: if writable {
                Tier::Write
            } else {
                Tier::SensitiveRead
            },
            classified: true,
            via: GrantVia::Direct,
            granted_at: identity.created_at,
            flagged_sensitive: false,
        });
    }
    identity.reach = Reach::Selected;
    identity.credential_control = CredentialControl::CUSTOMER;
    Some(identity)
}

/// Who added the key: the user linked in the row, or the login after "Added on … by".
fn added_by<'a>(
    row: &Row<'a>,
    skip: Option<scraper::ElementRef<'a>>,
    meta: &str,
) -> Option<String> {
    row.user(skip).or_else(|| {
        let after = &meta[meta.find("added")?..];
        let by = after.find(" by ")? + 4;
        super::login(after[by..].split_whitespace().next()?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_found_in_text() {
        let fp = "SHA256:9ar5VW4EOE2B9IxxZqyRM86LTK4Jc0QRVvDZ9VAXIPk";
        assert_eq!(
            fingerprint(&format!("ci {fp} Added on Mar 3, 2026")).as_deref(),
            Some(fp)
        );
        assert_eq!(fingerprint("SHA256:short"), None);
        assert_eq!(fingerprint("no key here"), None);
    }
}
