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
//! Only the section headed **Permissions** is read for permissions, and only what the page shows:
//! the App's name and description are its developer's words and may say anything. The page of a
//! request under the installation (`…/installations/{id}/…`) says what is asked for, not what is
//! granted, and is read as nothing.
//!
//! The installation's ID is the URL's, so what this page says and what the list page (or the
//! REST response) says is one identity. A page whose Permissions section has neither a permission
//! sentence nor a sentence saying the App has none, or that has no such section, has changed.

use scraper::ElementRef;

use super::{REGIONS, Snapshot, normalize, numeric, selector};
use crate::console::{self, ConsolePage};
use crate::html::{is_shown, shown_text};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::model::{Grant, Reach};
use crate::platforms::Format;
use crate::platforms::github::installations::installation;
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

/// The words before "access to" that say a sentence's level, most words first ("read and
/// write" ends with "write").
const LEVELS: [(&str, &str); 4] = [
    ("read and write", "write"),
    ("write", "write"),
    ("admin", "admin"),
    ("read", "read"),
];

/// What the page's Permissions section says of an App granted nothing [infer].
const NO_PERMISSIONS: &[&str] = &["no permissions", "doesn't have any permissions"];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    // The installation's own page only: a page under it (a request to grant more) says what is
    // asked for, not what is granted.
    let Some([id]) = page.after(&["organizations", "*", "settings", "installations"]) else {
        return Ok(());
    };
    if !numeric(id) {
        return Ok(());
    }
    let section = permissions_section(&page);
    let grants = section.map(granted).unwrap_or_default();
    let says_none = section.is_some_and(|section| {
        let text = normalize(&shown_text(section));
        NO_PERMISSIONS.iter().any(|p| text.contains(p))
    });
    if grants.is_empty() && !says_none {
        return Err(format!(
            "the page changed: no permissions found on the settings page of installation {id} ({})",
            page.url
        ));
    }
    let root = page.document.root_element();
    // The page's heading; any first-level heading where it has none.
    let name = [".Subhead-heading", "h1, h2"]
        .iter()
        .find_map(|css| {
            root.select(&selector(css))
                .filter(|e| is_shown(*e))
                .map(|e| super::collapse(&e.text().collect::<String>()))
                .find(|text| !text.is_empty())
        })
        .unwrap_or_else(|| format!("installation {id}"));
    let mut identity = installation(id, name, page.segments.get(1).cloned());
    // A suspended installation's button offers to unsuspend it: the button's own words, never
    // the App's name or description, which its developer writes.
    identity.enabled = !root
        .select(&selector("button, input[type=submit], a.btn"))
        .filter(|e| is_shown(*e))
        .any(|e| {
            let words = e
                .attr("value")
                .map_or_else(|| normalize(&e.text().collect::<String>()), normalize);
            words == "unsuspend"
        });
    identity.reach = reach(&page);
    identity.grants = grants;
    sink.push(identity);
    Ok(())
}

/// The section headed "Permissions": the smallest element around the heading that holds more
/// than it. The App's name and description, which its developer writes, are outside it.
fn permissions_section(page: &Snapshot) -> Option<ElementRef<'_>> {
    let headings = selector("h2, h3, h4, h5, .Box-title, .Box-header, legend");
    let heading = page
        .document
        .select(&headings)
        .filter(|e| is_shown(*e))
        .find(|e| normalize(&e.text().collect::<String>()) == "permissions")?;
    let own = normalize(&heading.text().collect::<String>());
    heading
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| normalize(&shown_text(*e)) != own)
}

/// Every permission the section's sentences grant, each once, in page order. A sentence is the
/// text of the innermost shown element that says one; an element may say several.
fn granted(section: ElementRef<'_>) -> Vec<Grant> {
    let sentences = selector("li, p, div, span, td, dd");
    let text_of = |element: ElementRef<'_>| normalize(&shown_text(element));
    let mut grants: Vec<Grant> = Vec::new();
    for element in section.select(&sentences).filter(|e| is_shown(*e)) {
        let text = text_of(element);
        let said = sentences_in(&text);
        let inner = || {
            element
                .descendants()
                .skip(1)
                .filter_map(ElementRef::wrap)
                .any(|e| sentences.matches(&e) && !sentences_in(&text_of(e)).is_empty())
        };
        if said.is_empty() || inner() {
            continue;
        }
        for (level, names) in said {
            for name in names {
                let grant = permission_grant(&permission_named(name), level, None);
                if !grants.iter().any(|g| g.name == grant.name) {
                    grants.push(grant);
                }
            }
        }
    }
    grants
}

/// The sentences in `text` (lower case), each as its level and the names it lists: "read access
/// to issues and metadata" gives `read` with `issues` and `metadata`. A sentence ends where the
/// next one's level words start, or at a full stop.
fn sentences_in(text: &str) -> Vec<(&'static str, Vec<&str>)> {
    // The level the words at the end of `before` say, and where those words start.
    let level_at_end = |before: &str| {
        LEVELS.iter().find_map(|(words, level)| {
            let head = before.trim_end().strip_suffix(words)?;
            let whole_word = !head.ends_with(|c: char| c.is_alphanumeric());
            whole_word.then_some((head.len(), *level))
        })
    };
    let pieces: Vec<&str> = text.split("access to ").collect();
    let mut sentences = Vec::new();
    for (i, pair) in pieces.windows(2).enumerate() {
        let Some((_, level)) = level_at_end(pair[0]) else {
            continue;
        };
        let mut said = pair[1];
        if i + 2 < pieces.len()
            && let Some((next, _)) = level_at_end(said)
        {
            said = &said[..next];
        }
        let said = said.split('.').next().unwrap_or(said);
        let names = said
            .split(',')
            .flat_map(|part| part.split(" and "))
            .map(|name| name.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|name| !name.is_empty())
            .collect();
        sentences.push((level, names));
    }
    sentences
}

/// The repository access the page's checked radio button chose.
fn reach(page: &Snapshot) -> Reach {
    let checked = selector("input[type=radio][checked]");
    for input in page.document.select(&checked).filter(|e| is_shown(*e)) {
        let label = input
            .ancestors()
            .filter_map(ElementRef::wrap)
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
