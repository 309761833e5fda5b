//! The Admin console's domain-wide delegation page
//! (`admin.google.com/ac/owl/domainwidedelegation`), as an HTML snapshot: one row per API client
//! with its client ID, name and OAuth scopes. There is no list API for these entries [infer].
//!
//! The page's markup is not documented and its class names are generated, so rows are found by
//! structure and text only: HTML table rows or ARIA rows, columns named by a header row
//! (`Client ID`, `Name`, `Scopes` / `OAuth scopes`), and when there is no usable header, the cell
//! that looks like a client ID (a long number, or `….apps.googleusercontent.com`) and the
//! cells holding scope URLs. A page recognized as this one that holds neither a header nor a
//! client row is reported as unreadable ("the page changed", which the extension shows as a
//! console layout change), never as "no clients"; so is a header with nothing under it but rows
//! that name a client and show no client ID that can be read (shortened, or a "View details"
//! link), each of them reported. Only a row of one cell (its "No API clients") is an empty list.

use scraper::{ElementRef, Selector};

use super::{DelegationRecord, split_scopes};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;

pub(super) const FORMAT: Format = Format {
    id: "google.domain_wide_delegation",
    title: "Google Workspace domain-wide delegation (Admin console page snapshot, HTML)",
    doc_url: "https://support.google.com/a/answer/162106",
    detect: |shape| match shape {
        Shape::Html(text) => is_delegation_page(text),
        _ => false,
    },
    read,
    exported_only: false,
};

/// Whether the start of an HTML page (the probe sees its first 64 KiB) is the domain-wide
/// delegation page: it names the page's URL (a saved page's `saved from url` comment, a link), or
/// it names domain-wide delegation and has a client ID column.
fn is_delegation_page(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("domainwidedelegation")
        || (["domain-wide delegation", "domain wide delegation"]
            .iter()
            .any(|m| lower.contains(m))
            && lower.contains("client id"))
}

const ROW: &str = "tr, [role=row]";
const CELL: &str = "td, th, [role=cell], [role=gridcell], [role=columnheader], [role=rowheader]";

/// The columns a header row names.
#[derive(Default, Debug, PartialEq)]
struct Header {
    name: Option<usize>,
    client_id: Option<usize>,
    scopes: Option<usize>,
}

impl Header {
    fn from_cells(cells: &[String]) -> Option<Header> {
        let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        let client_id = lower
            .iter()
            .position(|c| c.contains("client id") || c == "client" || c == "id")?;
        let scopes = lower.iter().position(|c| c.contains("scope"));
        let name = lower
            .iter()
            .enumerate()
            .position(|(i, c)| i != client_id && c.contains("name"));
        Some(Header {
            name,
            client_id: Some(client_id),
            scopes,
        })
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;

    let mut header: Option<Header> = None;
    let mut found_rows = 0usize;
    // A row of one cell under the header: its "No API clients" message.
    let mut says_empty = false;
    // Rows under the header that name a client but show no client ID that can be read.
    let mut unreadable = 0usize;
    for (index, row) in document.select(&rows).enumerate() {
        let texts = row_cells(row, &rows, &cells);
        if texts.is_empty() {
            continue;
        }
        let is_header_row = row
            .select(&cells)
            .any(|c| c.value().name() == "th" || c.attr("role") == Some("columnheader"));
        if let Some(h) = Header::from_cells(&texts)
            && (is_header_row || !texts.iter().any(|t| looks_like_client_id(t)))
        {
            header = Some(h);
            continue;
        }
        if let Some(record) = client_row(&texts, header.as_ref(), index + 1, sink) {
            found_rows += 1;
            sink.joins.google.delegations.push(record);
        } else if let Some(h) = &header {
            let named = match h.name.and_then(|i| texts.get(i)) {
                Some(name) => !name.is_empty(),
                None => texts.iter().any(|t| !t.is_empty()),
            };
            if texts.len() == 1 {
                says_empty = true;
            } else if named {
                // A client whose ID is shortened or hidden: the highest grant there is, never
                // dropped unsaid.
                unreadable += 1;
                sink.problem(format!(
                    "row {} ({}) skipped: the page shows no full client ID for it; open the client's entry to see it",
                    index + 1,
                    crate::text::clip(&texts.join(" "), 60)
                ));
            }
        }
    }
    if header.is_none() && found_rows == 0 {
        return Err(
            "the page changed: no table of API clients (Client ID, scopes) in this snapshot (the console page may have changed)"
                .into(),
        );
    }
    if found_rows == 0 && unreadable > 0 {
        return Err(format!(
            "the page changed: none of the {unreadable} API clients' rows shows a client ID that can be read"
        ));
    }
    // An empty list says so under its header; a header alone may head rows drawn elsewhere.
    if found_rows == 0 && !says_empty {
        return Err(
            "the page changed: the API clients' header has nothing under it, neither clients nor a message"
                .into(),
        );
    }
    Ok(())
}

/// The text of each cell of `row` (not of rows nested inside it), whitespace collapsed.
fn row_cells(row: ElementRef, rows: &Selector, cells: &Selector) -> Vec<String> {
    row.select(cells)
        .filter(|cell| nearest_row(*cell, rows).is_some_and(|r| r.id() == row.id()))
        .map(|cell| {
            cell.text()
                .flat_map(str::split_whitespace)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn nearest_row<'a>(cell: ElementRef<'a>, rows: &Selector) -> Option<ElementRef<'a>> {
    cell.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| rows.matches(a))
}

/// One client from one row's cells, or `None` for a row that holds no client (buttons, paging,
/// "no results").
fn client_row(
    texts: &[String],
    header: Option<&Header>,
    row: usize,
    sink: &mut Sink,
) -> Option<DelegationRecord> {
    let by_header = |column: Option<usize>| column.and_then(|i| texts.get(i));
    let id_cell = match header.and_then(|h| by_header(h.client_id)) {
        Some(cell) => cell
            .split_whitespace()
            .find(|w| looks_like_client_id(w))
            .map(str::to_string),
        None => texts
            .iter()
            .flat_map(|t| t.split_whitespace())
            .find(|w| looks_like_client_id(w))
            .map(str::to_string),
    };
    let client_id = id_cell?;
    let scope_text: Vec<&str> = match header.and_then(|h| by_header(h.scopes)) {
        Some(cell) => vec![cell.as_str()],
        None => texts.iter().map(String::as_str).collect(),
    };
    let mut scopes: Vec<String> = Vec::new();
    for text in &scope_text {
        for scope in split_scopes(text).filter(|s| looks_like_scope(s)) {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_string());
            }
        }
        if let Some(hidden) = hidden_count(text) {
            sink.problem(format!(
                "row {row} ({client_id}): the page shows only some of its scopes ({hidden} more hidden); open the client's entry to see them all"
            ));
        }
    }
    let name = match header.and_then(|h| by_header(h.name)) {
        Some(cell) => Some(cell.clone()),
        None => texts
            .iter()
            .find(|t| {
                !t.contains(client_id.as_str())
                    && !split_scopes(t).any(looks_like_scope)
                    && t.chars().any(char::is_alphabetic)
            })
            .cloned(),
    }
    .filter(|n| !n.trim().is_empty() && *n != client_id);
    Some(DelegationRecord {
        client_id,
        name,
        scopes,
        source: sink.source_name(),
    })
}

/// A service account's client ID (its unique ID: a long number) or an OAuth client ID
/// (`123-abc.apps.googleusercontent.com`).
fn looks_like_client_id(text: &str) -> bool {
    let t = text.trim();
    (t.len() >= 12 && t.len() <= 32 && t.bytes().all(|b| b.is_ascii_digit()))
        || t.strip_suffix(".apps.googleusercontent.com")
            .is_some_and(|stem| {
                !stem.is_empty()
                    && stem
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
}

/// An OAuth scope as the page lists it: a URL, or one of the OpenID Connect names.
fn looks_like_scope(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || matches!(lower.as_str(), "openid" | "email" | "profile")
}

/// `+3 more` / `and 3 more`: the page shows only some scopes of the row.
fn hidden_count(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.windows(2).find_map(|pair| match pair {
        [n, more] if more.starts_with("more") => n.trim_start_matches('+').parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_and_scopes_are_told_from_other_text() {
        assert!(looks_like_client_id("102938475610293847561"));
        assert!(looks_like_client_id("1234-abcd.apps.googleusercontent.com"));
        assert!(!looks_like_client_id("2024"));
        assert!(!looks_like_client_id(".apps.googleusercontent.com"));
        assert!(looks_like_scope("https://www.googleapis.com/auth/drive"));
        assert!(!looks_like_scope("Drive"));
        assert_eq!(hidden_count("https://a +3 more"), Some(3));
        assert_eq!(hidden_count("and 12 more scopes"), Some(12));
        assert_eq!(hidden_count("no more"), None);
    }

    #[test]
    fn headers_name_their_columns() {
        let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Header::from_cells(&cells(&["Name", "Client ID", "Scopes", ""])),
            Some(Header {
                name: Some(0),
                client_id: Some(1),
                scopes: Some(2)
            })
        );
        assert_eq!(Header::from_cells(&cells(&["Name", "Scopes"])), None);
    }

    #[test]
    fn the_page_is_recognized_by_its_words() {
        assert!(is_delegation_page(
            "<title>Domain-wide Delegation</title><th>Client ID</th>"
        ));
        assert!(!is_delegation_page(
            "<title>Users</title><th>Client ID</th>"
        ));
    }
}
