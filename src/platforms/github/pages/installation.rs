//! One installed GitHub App's settings page, where the organization reviews it: the **Configure**
//! link of the Installed GitHub Apps list
//! (`github.com/organizations/{org}/settings/installations/{installation id}`), read from its DOM.
//!
//! GitHub's docs say what the page holds ("Reviewing and modifying installed GitHub Apps"): under
//! **Permissions**, what the App was granted; under **Repository access**, *All repositories* or
//! *Only select repositories*; and the buttons to suspend or uninstall it. The permissions are
//! written as sentences, one per access level, as GitHub writes them on its install and review
//! screens (quoted in many vendors' install guides): "Read access to issues and metadata", "Read
//! and write access to code and pull requests". Each name is GitHub's label of a REST permission
//! (`code` is `contents`, `commit statuses` is `statuses`); the tier comes from the same
//! catalogue as the REST reader's. Repository access is the checked radio button [infer: its
//! `value`, `all` or `selected`, as the REST `repository_selection` spells it, else its label].
//! A suspended installation offers to unsuspend it [infer]. The page shows no install date.
//!
//! The installation's ID is the URL's, so what this page says and what the list page (or the
//! REST response) says is one identity. A page with neither a permission sentence nor a sentence
//! saying the App has none has changed.

use super::installations::installation;
use super::{REGIONS, Snapshot, normalize, numeric, selector};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::model::{Grant, Reach};
use crate::platforms::Format;
use crate::platforms::github::{permission_grant, permission_named};

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.installation_page",
    title: "An installed GitHub App's settings",
    url: "https://github.com/organizations/{tenant}/settings/installations/{segment}*",
    api: &[],
    regions: REGIONS,
    // The page's heading names the App: its badge goes there.
    rows: "tr, [role=row], li, [role=listitem], .Box-row, .Subhead",
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub installed App settings (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/apps/using-github-apps/reviewing-and-modifying-installed-github-apps",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// The sentences that grant permissions, by the level each grants (lower case).
const LEVELS: [(&str, &str); 4] = [
    ("read and write access to ", "write"),
    ("write access to ", "write"),
    ("admin access to ", "admin"),
    ("read access to ", "read"),
];

/// What the page says of an App granted nothing [infer].
const NO_PERMISSIONS: &[&str] = &["no permissions", "doesn't have any permissions"];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let Some([id, ..]) = page.after(&["organizations", "*", "settings", "installations"]) else {
        return Ok(());
    };
    if !numeric(id) {
        return Ok(());
    }
    let root = page.document.root_element();
    let grants = granted(&page);
    let shown = normalize(&crate::html::shown_text(root));
    if grants.is_empty() && !NO_PERMISSIONS.iter().any(|p| shown.contains(p)) {
        return Err(format!(
            "the page changed: no permissions found on the settings page of installation {id} ({})",
            page.url
        ));
    }
    let name = root
        .select(&selector(".Subhead-heading, h1, h2"))
        .map(|e| super::collapse(&e.text().collect::<String>()))
        .find(|text| !text.is_empty())
        .unwrap_or_else(|| format!("installation {id}"));
    let mut identity = installation(id, name, page.segments.get(1).cloned());
    identity.enabled = !shown.contains("unsuspend");
    identity.reach = reach(&page);
    identity.grants = grants;
    sink.push(identity);
    Ok(())
}

/// Every permission the page's sentences grant, each once, in page order.
fn granted(page: &Snapshot) -> Vec<Grant> {
    let sentences = selector("li, p, div, span, td, dd");
    let said = |element: scraper::ElementRef<'_>| {
        let text = normalize(&crate::html::shown_text(element));
        // After any check mark or icon before the words.
        let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        LEVELS.iter().find_map(|(words, level)| {
            text.strip_prefix(words)
                .map(|names| (*level, names.to_string()))
        })
    };
    let mut grants: Vec<Grant> = Vec::new();
    for element in page.document.select(&sentences) {
        let Some((level, names)) = said(element) else {
            continue;
        };
        // The innermost element saying it: a list's sentences are its items', not its own.
        let inner = element
            .descendants()
            .skip(1)
            .filter_map(scraper::ElementRef::wrap)
            .any(|e| sentences.matches(&e) && said(e).is_some());
        if inner {
            continue;
        }
        for name in names
            .trim_end_matches('.')
            .split(',')
            .flat_map(|part| part.split(" and "))
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let grant = permission_grant(&permission_named(name), level, None);
            if !grants.iter().any(|g| g.name == grant.name) {
                grants.push(grant);
            }
        }
    }
    grants
}

/// The repository access the page's checked radio button chose.
fn reach(page: &Snapshot) -> Reach {
    let checked = selector("input[type=radio][checked]");
    for input in page.document.select(&checked) {
        let label = input
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "label")
            .map(|e| normalize(&e.text().collect::<String>()))
            .unwrap_or_default();
        match input.attr("value").map(str::to_ascii_lowercase).as_deref() {
            Some("all") => return Reach::All,
            Some("selected") => return Reach::Selected,
            _ if label.contains("all repositories") => return Reach::All,
            _ if label.contains("select repositories") => return Reach::Selected,
            _ => {}
        }
    }
    Reach::Unknown
}
