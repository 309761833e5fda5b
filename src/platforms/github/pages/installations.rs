//! The organisation's Installed GitHub Apps page
//! (`github.com/organizations/{org}/settings/installations`), read from its DOM.
//!
//! One row per installation: the App's name and a **Configure** link to
//! `/organizations/{org}/settings/installations/{installation id}`, the installation object's
//! `html_url` (observed; `reference/platforms.md` §1.7, and GitHub's own docs: "Next to the
//! GitHub App you'd like to review, click Configure"). That ID is the REST `installations[].id`,
//! so an installation read here and from `GET /orgs/{org}/installations` is one identity
//! (`github:github_app:{id}`). A suspended installation says so in its row [infer: the wording
//! "Suspended"]. The list is paged with `?page=N` like GitHub's other settings lists [infer].
//!
//! Permissions and repository selection are on each Configure page, not in the list:
//! [`super::installation`] reads them into the same identity. The install date is on neither.

use super::{REGIONS, ROWS, Snapshot, finish, is_list, text_of};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::platforms::Format;
use crate::platforms::github::installations::installation;
use crate::text::has_word;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.installations_page",
    title: "Installed GitHub Apps",
    url: "https://github.com/organizations/{tenant}/settings/installations*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub Installed GitHub Apps (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/organizations/managing-programmatic-access-to-your-organization/reviewing-github-apps-installed-in-your-organization",
    // An installation's own page is under the list's URL, and read by its own format.
    detect: |shape| {
        matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)
            && !console::is_snapshot_of(text, super::installation::PAGE.url))
    },
    read,
    exported_only: false,
};

/// What the page says when nothing is installed [infer: the repository page's wording, "There
/// aren't any GitHub Apps installed on this repository", is observed].
const EMPTY: &[&str] = &[
    "aren't any github apps installed",
    "no github apps installed",
    "no installed github apps",
];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let base = ["organizations", "*", "settings", "installations"];
    let org = page.segments.get(1).cloned();
    let rows = page.settings_rows(sink, "installations", "installation");
    for row in &rows {
        let id = &row.key;
        // The name: bold, a heading, or a link to the app or to its installation (beside an
        // avatar, in a link of its own), never the row's "Configure" link.
        let name_element = row.first_text_but(
            "strong, .text-bold, h2, h3, h4, a[href^='/apps/'], a[href*='/installations/']",
            &["Configure", "Settings", "Manage"],
        );
        let name = name_element
            .as_ref()
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| format!("installation {id}"));
        let skip = name_element.as_ref().map(|(e, _)| *e);
        // "Suspended" as a word of the row's own: not in the name, nor in a login
        // (a developer `suspended-apps`).
        let meta = text_of(&row.tokens_without(&row.written_by_others(skip)));
        let mut identity = installation(id, name, org.clone());
        identity.enabled =
            !(has_word(&meta, "suspended") || has_word(&row.labels(skip), "suspended"));
        // The list shows names only: the permissions are on each App's own page.
        identity.grants_unread = true;
        sink.push(identity);
    }
    let list = is_list(page.after(&base), &[]);
    finish(&page, rows.len(), list, EMPTY, "installed GitHub App")
}
