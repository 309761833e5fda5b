//! A workspace's App Management page (`https://{workspace}.slack.com/apps/manage`, "Manage
//! apps" in the workspace's Administration menu [doc slack.com/help/articles/222386767]), as a
//! page snapshot: the apps installed to the workspace.
//!
//! Slack renders this page on its server and documents no API behind it (the web client's own
//! `slack.com/api/*` calls are undocumented), so the extension reads the list it draws. The
//! markup is not documented either. What is relied on is what Slack's own data says of app
//! pages: an app's page in a workspace is `https://{workspace}.slack.com/apps/{app id}-{slug}`
//! ([doc] the `app_directory_url` of `admin.apps.approved.list`'s example response, and [obs] in
//! public links such as `/apps/A0F7XDUAZ-incoming-webhooks`). Every row of the list links to its
//! app's page, so an app is found by that link, whatever the classes around it (but not in a menu,
//! a side panel of suggested apps, a dialog, under a heading or in a part labelled as suggestions
//! ("Recommended apps"), on another host than the workspace's, or hidden): its ID is the link's
//! `A…` part, its name the link's name element or its text, less badges ("Bot"). Nothing else is
//! read (the row's other text is not documented), so owner and use stay unknown.
//!
//! The app ID is the one `admin.apps.approved.list` reports, so the page's identity and the
//! API's are one (`slack:oauth_app:A…`) when the API list was read without a workspace in its
//! request (a list read with `team_id` is kept per workspace as `T…/A…`, an ID this page does not
//! show).
//!
//! "Found nothing" and "could not read" stay apart: a list with no app links is empty only if the
//! page says so; otherwise it is reported as a changed page.

use scraper::ElementRef;

use super::Installed;
use crate::console::{self, Pattern};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;

/// The page: App Management of one workspace, and its sub-pages (custom integrations).
pub(super) const PAGE_URL: &str = "https://{tenant}.slack.com/apps/manage*";

pub(super) const FORMAT: Format = Format {
    id: "slack.installed_apps_page",
    title: "Slack installed apps (workspace App Management page snapshot, HTML)",
    doc_url: "https://slack.com/help/articles/222386767-Manage-apps-for-your-workspace",
    detect: |shape| match shape {
        Shape::Html(text) => console::is_snapshot_of(text, PAGE_URL),
        _ => false,
    },
    read,
    exported_only: false,
};

/// Elements that hold one app each.
/// The rows the content script badges, so every row read here gets its badge.
const ROW: &str = console::GENERIC_ROWS;

/// Parts of a page that are not its list: menus, side panels (where the App Directory suggests
/// apps to install), the page's banner and footer, and dialogs. (A `header` inside a row is the
/// row's own, so only the landmark roles name the page's.)
const ELSEWHERE: &str = "nav, aside, dialog, [role=navigation], [role=complementary], \
     [role=banner], [role=contentinfo], [role=dialog], [role=search]";

/// What the page says when the workspace has no apps [infer: the wording is not documented;
/// these are the phrasings Slack uses for empty lists elsewhere].
const EMPTY: &[&str] = &[
    "no apps installed",
    "no apps have been installed",
    "no installed apps",
    "hasn't installed any apps",
    "haven't installed any apps",
    "there are no apps",
];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let page_url = console::saved_from(&text).unwrap_or_default().to_string();
    let workspace = Pattern::new(PAGE_URL)
        .matches(&page_url)
        .and_then(|m| m.tenant)
        .map(|t| t.to_ascii_lowercase());
    let document = crate::html::document(&text);
    let links = crate::html::selector("a[href]")?;
    let rows = crate::html::selector(ROW)?;
    let elsewhere = crate::html::selector(ELSEWHERE)?;

    let beside_list = |element: ElementRef| {
        element
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| elsewhere.matches(&a))
    };
    // One app per ID, in page order: a row links to its app twice (icon and name).
    let mut apps: Vec<(String, String, Option<String>)> = Vec::new();
    // A heading outside the rows that offers apps ("Recommended apps") starts a part of
    // suggestions, up to the next heading; whatever else a page heads its list with (a title,
    // "Installed apps") leaves the list read.
    let mut suggested = false;
    for element in document
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if is_heading(element)
            && !beside_list(element)
            && !element
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| rows.matches(&a))
        {
            suggested = offers_apps(&element.text().collect::<String>());
            continue;
        }
        if suggested || !links.matches(&element) {
            continue;
        }
        let link = element;
        let Some((app_id, segment)) = link
            .attr("href")
            .and_then(|href| app_link(href, workspace.as_deref()))
        else {
            continue;
        };
        // A link to an app beside the list (a directory's suggestions, a menu, a hidden
        // template) is not an app installed here.
        let in_suggestions = link
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.attr("aria-label").is_some_and(offers_apps));
        if beside_list(link) || in_suggestions || !crate::html::is_shown(link) {
            continue;
        }
        let name = link_name(link).or_else(|| {
            // An icon link: the name is the row's first text.
            link.ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| rows.matches(a))
                .and_then(|row| texts(row).into_iter().next())
        });
        match apps.iter_mut().find(|(id, _, _)| *id == app_id) {
            Some(found) => {
                if found.2.is_none() {
                    found.2 = name;
                }
            }
            None => apps.push((app_id, segment, name)),
        }
    }

    if apps.is_empty() {
        // What the page shows: an empty state it keeps hidden says nothing.
        let lower = crate::text::normalize(&crate::html::shown_text(document.root_element()));
        let sub_page = page_url
            .split_once("/apps/manage")
            .map(|(_, rest)| rest.split(['?', '#']).next().unwrap_or(""))
            .is_some_and(|rest| {
                let rest = rest.trim_matches('/');
                !rest.is_empty() && rest != "custom-integrations"
            });
        // The settings and permissions sub-pages list no apps: nothing to read, nothing changed.
        if sub_page || EMPTY.iter().any(|phrase| lower.contains(phrase)) {
            return Ok(());
        }
        return Err(
            "the page changed: no app links (/apps/A…) and no \"no apps\" message in this snapshot of App Management"
                .into(),
        );
    }

    let source = sink.source_name();
    for (app_id, segment, name) in apps {
        let name = match name {
            Some(name) => name,
            None => {
                sink.problem(format!(
                    "app {app_id}: the page shows no name for it; named by its ID"
                ));
                app_id.clone()
            }
        };
        sink.joins.slack.installed.push(Installed {
            // The link's last segment, so the extension finds the row by its link as well.
            link: (segment != app_id).then_some(segment),
            app_id,
            name,
            workspace: workspace.clone(),
            source: source.clone(),
        });
    }
    Ok(())
}

/// The app ID and the last path segment of a link to an app's page (`/apps/A0F7XDUAZ-name`,
/// `https://acme.slack.com/apps/A0F7XDUAZ`): a path ending in `apps/{app id}[-slug]`, on the
/// page's own host (relative) or the workspace's (`{workspace}.slack.com`; any Slack host when
/// the page names no workspace). `None` for any other link (App Management's own pages, the
/// directory's categories, a page on another site).
fn app_link(href: &str, workspace: Option<&str>) -> Option<(String, String)> {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    // An absolute link (`https://…`, `//…`): its path after the host, if the host is Slack's.
    let after_scheme = path
        .split_once("://")
        .map(|(_, after)| after)
        .or(path.strip_prefix("//"));
    let path = match after_scheme {
        Some(after) => {
            let (host, path) = after.split_once('/').unwrap_or((after, ""));
            let host = console::without_port(host).to_ascii_lowercase();
            let own = match workspace {
                Some(workspace) => host.strip_suffix(".slack.com") == Some(workspace),
                None => host.ends_with(".slack.com"),
            };
            if !own {
                return None;
            }
            path
        }
        None => path,
    };
    let mut parts = path.rsplit('/').filter(|p| !p.is_empty());
    let segment = parts.next()?;
    if parts.next()? != "apps" {
        return None;
    }
    let id = segment.split('-').next()?;
    is_app_id(id).then(|| (id.to_string(), segment.to_string()))
}

/// `A` and then upper-case letters and digits: Slack's app IDs (`A0F7XDUAZ`, `A04KGS7N9A8`).
fn is_app_id(text: &str) -> bool {
    text.len() >= 8
        && text.len() <= 16
        && text.starts_with('A')
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A link's name: the shown text of its name element (`p-app_row__name`), else its own, but not
/// a badge's beside the name (`<span class="c-pill">Bot</span>`).
fn link_name(link: ElementRef) -> Option<String> {
    let named = link
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().classes().any(|c| c.ends_with("name")))
        .unwrap_or(link);
    let mut text = String::new();
    for node in named.descendants() {
        let Some(piece) = node.value().as_text() else {
            continue;
        };
        let unsaid = node
            .ancestors()
            .take_while(|a| a.id() != named.id())
            .filter_map(|a| a.value().as_element())
            .any(|e| {
                crate::html::hides(e)
                    || e.classes()
                        .any(|c| c.contains("pill") || c.contains("badge"))
            });
        if !unsaid {
            text.push_str(piece);
            text.push(' ');
        }
    }
    let name = crate::text::collapse(&text);
    (!name.is_empty()).then_some(name)
}

/// Whether a heading or a part's label offers apps to install rather than lists those installed
/// ("Recommended for your team", "Suggested apps", "Popular apps") [infer: Slack's wordings of
/// its directory's suggestions].
fn offers_apps(label: &str) -> bool {
    let label = label.to_ascii_lowercase();
    [
        "recommend",
        "suggest",
        "popular",
        "featured",
        "discover",
        "trending",
    ]
    .iter()
    .any(|word| label.contains(word))
}

/// A heading: `h1`…`h6` or an ARIA heading.
fn is_heading(element: ElementRef) -> bool {
    matches!(
        element.value().name(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    ) || element.attr("role") == Some("heading")
}

fn texts(element: ElementRef) -> Vec<String> {
    element
        .text()
        .map(crate::text::collapse)
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_app_pages_give_the_app_id() {
        let app_link = |href| app_link(href, Some("acme"));
        assert_eq!(
            app_link("/apps/A0F7XDUAZ-incoming-webhooks"),
            Some(("A0F7XDUAZ".into(), "A0F7XDUAZ-incoming-webhooks".into()))
        );
        assert_eq!(
            app_link("https://acme.slack.com/apps/A04KGS7N9A8?tab=settings"),
            Some(("A04KGS7N9A8".into(), "A04KGS7N9A8".into()))
        );
        assert_eq!(app_link("/apps/manage/custom-integrations"), None);
        assert_eq!(app_link("/apps/category/At0EFWTR6D-productivity"), None);
        assert_eq!(app_link("/apps/Apple-app"), None);
        assert_eq!(app_link("/services/B0123456789"), None);
        assert_eq!(app_link("/apps/A0F7XDUAZ-incoming-webhooks/settings"), None);
        assert_eq!(app_link("https://apps/A0F7XDUAZ"), None);
    }
}
