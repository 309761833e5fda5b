//! The Admin console's lists of third-party apps (Security › Access and data control › API
//! controls › Manage third-party app access): accessed apps (`/ac/owl/list?tab=apps`) and
//! configured apps (`/ac/owl/list?tab=configuredApps`), as a page snapshot.
//!
//! The console renders these lists from internal RPC responses, not from a documented API, so the
//! extension reads the table it draws. What the table shows is documented only in words ([doc]
//! support.google.com/a/answer/7281227): app name, Type, ID (the OAuth client ID), Verified
//! status, Access (Trusted / Limited / Specific Google data / Blocked), and for accessed apps
//! Users (a count) and Requested services. The markup is not documented and its class names are
//! generated [obs: the Admin console's other pages], so columns are found by their header text,
//! never by class: a header row (`th` cells or ARIA column headers) names `App name` and `ID`.
//!
//! A row becomes the same record as a row of the list's CSV export, so the page, the export and
//! the Directory API tokens join into one identity per OAuth client ([`super::Join`]). The page
//! shows no scopes (only service names), no grant time and no owner.
//!
//! "Found nothing" and "could not read" stay apart: a header with only a message row under it
//! ("No results") is an empty list; a snapshot with no such header, or a header with nothing
//! under it, is reported as a changed page.

use scraper::{ElementRef, Selector};

use super::AppRecord;
use super::app_access::{only_blocked, verified};
use crate::console;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;

/// The page: the accessed-apps and configured-apps tabs of the app list (not its Google services
/// tab, which lists Google's own services).
pub(super) const PAGE_URL: &str = "https://admin.google.com/*ac/owl/list?*tab=*pps*";

pub(super) const FORMAT: Format = Format {
    id: "google.app_list_page",
    title: "Google Workspace accessed / configured apps (Admin console app list, page snapshot)",
    doc_url: "https://support.google.com/a/answer/7281227",
    detect: |shape| match shape {
        Shape::Html(text) => console::is_snapshot_of(text, PAGE_URL),
        _ => false,
    },
    read,
    exported_only: false,
};

const ROW: &str = "tr, [role=row]";
const CELL: &str = "td, th, [role=cell], [role=gridcell], [role=columnheader], [role=rowheader]";

/// Where the columns are, from the header row's text.
#[derive(Debug, Default, PartialEq)]
struct Columns {
    name: usize,
    id: usize,
    app_type: Option<usize>,
    verified: Option<usize>,
    access: Option<usize>,
    users: Option<usize>,
    services: Option<usize>,
}

impl Columns {
    /// The columns a header row names, or `None` when it does not name an app and an ID.
    fn from_header(cells: &[String]) -> Option<Columns> {
        let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        let find = |test: &dyn Fn(&str) -> bool| lower.iter().position(|c| test(c));
        let id = find(&|c| matches!(c, "id" | "client id" | "app id" | "oauth client id"))?;
        let name = find(&|c| c == "app name" || c == "name" || c == "app")?;
        Some(Columns {
            name,
            id,
            app_type: find(&|c| c == "type" || c == "app type"),
            verified: find(&|c| c.starts_with("verified") || c.starts_with("verification")),
            access: find(&|c| c == "access" || c.starts_with("access ")),
            users: find(&|c| c == "users" || c == "number of users" || c == "user count"),
            services: find(&|c| c.contains("services")),
        })
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;

    // The columns, and the table or grid whose header named them: only its rows are apps.
    let mut columns: Option<(Columns, Option<ElementRef>)> = None;
    let mut found_header = false;
    // Rows under the header, apps or its "No results" message.
    let mut under_header = 0usize;
    let mut seen: Vec<String> = Vec::new();
    for (index, row) in document.select(&rows).enumerate() {
        let own: Vec<ElementRef> = row
            .select(&cells)
            .filter(|cell| nearest_row(*cell, &rows).is_some_and(|r| r.id() == row.id()))
            .collect();
        if own.is_empty() {
            continue;
        }
        let header_cell =
            |c: &ElementRef| c.value().name() == "th" || c.attr("role") == Some("columnheader");
        if own.iter().any(header_cell) {
            let texts: Vec<String> = own.iter().map(|c| crate::html::label_text(*c)).collect();
            if let Some(found) = Columns::from_header(&texts) {
                columns = Some((found, console::list_of(row)));
                found_header = true;
                continue;
            }
            // Another table's header (Google services: Service, Status…): its rows are no apps.
            // A row with a row header among its cells is data.
            if own.iter().all(header_cell) {
                columns = None;
                continue;
            }
        }
        let Some((columns, list)) = &columns else {
            continue;
        };
        if console::list_of(row) != *list {
            continue;
        }
        under_header += 1;
        // A single cell spanning the table is a message ("No results"), not an app.
        if own.len() == 1 {
            continue;
        }
        if let Some(record) = app_row(&own, columns, index + 1, sink) {
            // The same table snapshot twice (two matching regions) is one app once.
            if seen.contains(&record.client_id) {
                continue;
            }
            seen.push(record.client_id.clone());
            sink.joins.google.apps.push(record);
        }
    }
    if !found_header {
        return Err(
            "the page changed: no app table (App name and ID columns) in this snapshot of the app list"
                .into(),
        );
    }
    // An empty list says so under its header, or beside the table (a message after it, as
    // Material tables draw it); a header alone may head rows drawn elsewhere.
    let says_empty =
        || console::shows_message(&document, &["no results", "no apps", "no matching apps"]);
    if under_header == 0 && !says_empty() {
        return Err(
            "the page changed: the app table's header has nothing under it, neither apps nor a \"No results\" message"
                .into(),
        );
    }
    Ok(())
}

fn nearest_row<'a>(cell: ElementRef<'a>, rows: &Selector) -> Option<ElementRef<'a>> {
    cell.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| rows.matches(a))
}

/// One app from one row, or `None` (reported) for a row whose ID cannot be read.
fn app_row(
    cells: &[ElementRef],
    columns: &Columns,
    row: usize,
    sink: &mut Sink,
) -> Option<AppRecord> {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied();
    let name = cell(Some(columns.name))
        .map(first_text)
        .filter(|n| !n.is_empty());
    let label = name.as_deref().unwrap_or("no name").to_string();
    let client_id = cell(Some(columns.id))
        .map(first_text)
        .filter(|id| !id.is_empty());
    let Some(client_id) = client_id else {
        sink.problem(format!(
            "row {row} ({}) skipped: it shows no ID",
            crate::text::clip(&label, 60)
        ));
        return None;
    };
    if client_id.ends_with('…') || client_id.ends_with("...") {
        // A shortened ID would join nothing and name a client that does not exist.
        sink.problem(format!(
            "row {row} ({}) skipped: the page shows its ID shortened ({}); open the app's details for the full OAuth client ID",
            crate::text::clip(&label, 60),
            crate::text::clip(&client_id, 40)
        ));
        return None;
    }
    let app_type = cell(columns.app_type)
        .map(first_text)
        .filter(|t| !t.is_empty());
    let verified_text = cell(columns.verified)
        .map(all_text)
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase());
    let access = cell(columns.access).map(all_text).filter(|t| !t.is_empty());
    let users = match cell(columns.users).map(all_text).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => {
            let digits: String = text
                .chars()
                .filter(|c| !matches!(c, ',' | ' ' | '.' | '\u{a0}' | '\u{202f}'))
                .collect();
            let n = digits.parse::<u64>().ok();
            if n.is_none() {
                sink.problem(format!(
                    "row {row} ({}): users \"{}\" is not a number; treated as unknown",
                    crate::text::clip(&label, 60),
                    crate::text::clip(&text, 40)
                ));
            }
            n
        }
    };
    let mut services: Vec<String> = Vec::new();
    if let Some(c) = cell(columns.services) {
        for piece in texts(c) {
            for service in piece.split([',', ';']).map(str::trim) {
                if service.is_empty() {
                    continue;
                }
                if let Some(hidden) = more_count(service) {
                    sink.problem(format!(
                        "row {row} ({}): the page shows only some of its requested services ({hidden} more hidden); open the app's details to see them all",
                        crate::text::clip(&label, 60)
                    ));
                    continue;
                }
                if !services.iter().any(|s| s == service) {
                    services.push(service.to_string());
                }
            }
        }
    }
    let internal = [verified_text.as_deref(), app_type.as_deref()]
        .into_iter()
        .flatten()
        .any(|t| t.to_lowercase().contains("internal"));
    Some(AppRecord {
        client_id,
        name,
        internal,
        verified: verified_text.as_deref().and_then(verified),
        blocked: access.as_deref().is_some_and(only_blocked),
        app_type,
        access,
        users,
        services,
        scopes: Vec::new(),
        source: sink.source_name(),
    })
}

/// The text pieces of an element (each text node, whitespace collapsed), without empty ones.
fn texts(element: ElementRef) -> Vec<String> {
    element
        .text()
        .map(crate::text::collapse)
        .filter(|t| !t.is_empty())
        .collect()
}

/// The first piece of text in an element: a cell's main line (an app's name above its
/// publisher, a header's label before its sort icon's ligature).
fn first_text(element: ElementRef) -> String {
    texts(element).into_iter().next().unwrap_or_default()
}

/// All of an element's text, whitespace collapsed.
fn all_text(element: ElementRef) -> String {
    texts(element).join(" ")
}

/// `+3`, `+3 more`, `3 more`: the cell shows only some of its items.
fn more_count(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    let mut words = lower.split_whitespace();
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    let n: u32 = first.trim_start_matches('+').parse().ok()?;
    (first.starts_with('+') || rest.first().is_some_and(|w| w.starts_with("more"))).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_header_names_the_columns() {
        let c = Columns::from_header(&cells(&[
            "",
            "App name",
            "Type",
            "ID",
            "Verified status",
            "Users",
            "Requested services",
            "Access",
        ]))
        .unwrap();
        assert_eq!(
            c,
            Columns {
                name: 1,
                id: 3,
                app_type: Some(2),
                verified: Some(4),
                access: Some(7),
                users: Some(5),
                services: Some(6),
            }
        );
        assert!(Columns::from_header(&cells(&["Name", "Client ID", "Scopes"])).is_some());
        assert!(Columns::from_header(&cells(&["Service", "Status"])).is_none());
    }

    #[test]
    fn hidden_items_are_counted() {
        assert_eq!(more_count("+2"), Some(2));
        assert_eq!(more_count("+2 more"), Some(2));
        assert_eq!(more_count("4 more"), Some(4));
        assert_eq!(more_count("Gmail"), None);
        assert_eq!(more_count("2"), None);
    }

    #[test]
    fn only_the_app_tabs_are_this_page() {
        let is = |url: &str| console::Pattern::new(PAGE_URL).matches(url).is_some();
        assert!(is("https://admin.google.com/ac/owl/list?tab=apps"));
        assert!(is(
            "https://admin.google.com/ac/owl/list?tab=configuredApps"
        ));
        assert!(is(
            "https://admin.google.com/ac/owl/list?hl=en&tab=apps&broken=1"
        ));
        // An admin signed in to several Google accounts.
        assert!(is("https://admin.google.com/u/1/ac/owl/list?tab=apps"));
        assert!(!is("https://admin.google.com/ac/owl/list?tab=services"));
        assert!(!is("https://admin.google.com/ac/owl/domainwidedelegation"));
    }
}
