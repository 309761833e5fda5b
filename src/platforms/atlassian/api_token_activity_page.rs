//! Atlassian Administration › Insights › API token activity (formerly Security › User API
//! tokens) as a page snapshot: the organisation's user API tokens as the page draws them.
//!
//! [doc] support.atlassian.com/organization-administration/docs/view-user-api-tokens: the page
//! lists the API tokens of the organisation's managed accounts and shows when each was created,
//! when it expires and when it was last used; tokens are revoked from it. Its exact route under
//! `admin.atlassian.com/o/{orgId}/` is not documented, so the page is matched by any route there
//! naming API tokens.
//!
//! The page is a single-page app: its rows come from the organisation's token list, which the
//! extension keeps as JSON (`…/orgs/{orgId}/api-tokens`, read by `atlassian.api_tokens`; the
//! Administration front end calls the admin APIs through its own `/gateway/api/admin/…` proxy
//! [obs: public scripts driving admin.atlassian.com call `/gateway/api/admin/v2/orgs/{orgId}/…`,
//! the same family as `api.atlassian.com/admin/…`]). The table is read as well, so a page saved
//! by hand reads without its JSON, and so a table the reader no longer recognizes is reported as
//! a changed page.
//!
//! A row's token ID is read from the row's `data-testid`: Atlassian's table component
//! (`@atlaskit/dynamic-table`) writes `{testId}--row-{key}` on each row [doc: its source], and the
//! key is the token's ID [infer]. A row without such a key is skipped (and reported): its token is
//! read from the JSON, under the same ID as the API gives it. Dates are read from `datetime` or
//! `title` attributes, else from absolute text (`Mar 10, 2025`, `2025-03-10`); relative text
//! (`3 days ago`) is left out, never guessed.

use scraper::{ElementRef, Selector};

use super::TokenRecord;
use crate::console::{self, Pattern};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{LastUse, Owner, OwnerSource, Precision, Principal, Timestamp, Usage};
use crate::platforms::Format;

/// The page: any route of an organisation's Administration naming API tokens
/// (`/o/{orgId}/user-api-tokens`, `/o/{orgId}/insights/api-token-activity`, …).
pub(super) const PAGE_URL: &str = "https://admin.atlassian.com/o/{tenant}/*api-token*";

pub(super) const FORMAT: Format = Format {
    id: "atlassian.api_token_activity",
    title: "Atlassian API token activity (Atlassian Administration page snapshot, HTML)",
    doc_url: "https://support.atlassian.com/organization-administration/docs/view-user-api-tokens/",
    detect: |shape| match shape {
        Shape::Html(text) => console::is_snapshot_of(text, PAGE_URL),
        _ => false,
    },
    read,
    exported_only: false,
};

const ROW: &str = "tr, [role=row]";
const CELL: &str = "td, th, [role=cell], [role=gridcell], [role=columnheader], [role=rowheader]";

/// Where the columns are, by header text.
#[derive(Debug, Default, PartialEq)]
struct Columns {
    name: usize,
    owner: Option<usize>,
    created: Option<usize>,
    last_used: Option<usize>,
    expires: Option<usize>,
}

impl Columns {
    /// The columns of the token table, or `None` when a header row is not its header: a token
    /// name and at least one of its dates.
    fn from_header(cells: &[String]) -> Option<Columns> {
        let lower: Vec<String> = cells.iter().map(|c| c.trim().to_lowercase()).collect();
        let find = |test: &dyn Fn(&str) -> bool| lower.iter().position(|c| test(c));
        // The token's own column before a bare "Name", which beside it is its user's.
        let named_token =
            find(&|c| matches!(c, "token name" | "token label" | "api token" | "label"));
        let name = named_token.or_else(|| find(&|c| matches!(c, "name" | "token")))?;
        let owner = find(&|c| {
            matches!(
                c,
                "created by" | "owner" | "user" | "account" | "user name" | "username" | "email"
            )
        })
        .or_else(|| named_token.and_then(|_| find(&|c| c == "name")));
        let columns = Columns {
            name,
            owner,
            created: find(&|c| {
                matches!(
                    c,
                    "created"
                        | "created on"
                        | "created at"
                        | "created date"
                        | "date created"
                        | "creation date"
                )
            }),
            last_used: find(&|c| c.starts_with("last used") || c.starts_with("last active")),
            expires: find(&|c| c.starts_with("expir")),
        };
        (columns.created.is_some() || columns.last_used.is_some() || columns.expires.is_some())
            .then_some(columns)
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let org = console::saved_from(&text)
        .and_then(|url| Pattern::new(PAGE_URL).matches(url))
        .and_then(|m| m.tenant);
    // When the extension read the page: what "2 days ago" counts from.
    let read_at = console::read_at(&text);
    let document = crate::html::document(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;

    let mut columns: Option<Columns> = None;
    let mut seen: Vec<String> = Vec::new();
    let mut token_rows = 0usize;
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
                columns = Some(found);
                continue;
            }
            if own.iter().all(header_cell) {
                continue;
            }
        }
        let Some(columns) = &columns else {
            continue;
        };
        // A single cell spanning the table is a message, not a token.
        if own.len() == 1 {
            continue;
        }
        token_rows += 1;
        let cell = |i: Option<usize>| i.and_then(|i| own.get(i)).copied();
        let label = cell(Some(columns.name))
            .map(first_text)
            .filter(|l| !l.is_empty());
        let shown = label.as_deref().unwrap_or("no name").to_string();
        let Some(id) = row.attr("data-testid").and_then(row_key) else {
            sink.problem(format!(
                "row {} ({}) skipped: the page names no token ID for it; its token is read from the token list the page loads",
                index + 1,
                crate::text::clip(&shown, 60)
            ));
            continue;
        };
        if seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        let record = format!("API token {id} ({shown})");
        let created =
            match cell(columns.created).map(|c| page_date(c, read_at, sink, &record, "Created")) {
                Some(DateCell::At(at)) => Some(at),
                _ => None,
            };
        let expires =
            match cell(columns.expires).map(|c| page_date(c, read_at, sink, &record, "Expires")) {
                Some(DateCell::At(at)) => Some(at),
                _ => None,
            };
        let usage = match cell(columns.last_used)
            .map(|c| page_date(c, read_at, sink, &record, "Last used"))
        {
            Some(DateCell::At(at)) => Usage::Used(LastUse {
                at,
                source: "Last used (API token activity page)".into(),
                // The page shows the day, not the time.
                precision: Precision::WindowMinutes(24 * 60),
            }),
            Some(DateCell::Never) => Usage::Never {
                source: "Last used: Never (API token activity page)".into(),
            },
            _ => Usage::NotLoaded,
        };
        let owner = cell(columns.owner).and_then(owner_of);
        sink.joins.atlassian.tokens.push(TokenRecord {
            id,
            label,
            status: None,
            created,
            expires,
            usage,
            owner,
            org: org.clone(),
            scopes: None,
            org_view: false,
            source: sink.source_name(),
        });
    }
    if columns.is_none() {
        return Err(
            "the page changed: no token table (Token name with Created, Last used or Expires) in this snapshot of API token activity"
                .into(),
        );
    }
    // An organisation without tokens says so ("No API tokens to show", beside the table); a
    // header alone heads rows drawn elsewhere.
    if token_rows == 0 && !console::shows_message(&document, &["no api tokens"]) {
        return Err(
            "the page changed: the token table's header has nothing under it, neither tokens nor a \"No API tokens\" message"
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

/// The row key in an Atlaskit row test ID (`api-tokens-table--row-{key}`), if it looks like an
/// ID rather than a row number.
fn row_key(test_id: &str) -> Option<String> {
    let at = test_id.rfind("--row-")?;
    let key = test_id[at + "--row-".len()..].trim();
    let id_like = key.len() >= 8
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        && !key.chars().all(|c| c.is_ascii_digit());
    id_like.then(|| key.to_string())
}

/// The token's user from the "Created by" cell: a name, and an e-mail address when the cell
/// shows one (the organisation list names its users the same way: e-mail first).
fn owner_of(cell: ElementRef) -> Option<Owner> {
    let pieces = texts(cell);
    let email = pieces
        .iter()
        .find(|t| t.contains('@') && !t.contains(' '))
        .cloned();
    let name = pieces.iter().find(|t| !t.contains('@')).cloned();
    let display = email.or(name).filter(|n| !n.trim().is_empty())?;
    Some(Owner {
        who: Principal::named(display),
        source: OwnerSource::Explicit,
        basis: "created by (API token activity page)".into(),
    })
}

/// What a date cell says.
#[derive(Debug, PartialEq)]
enum DateCell {
    At(Timestamp),
    Never,
    /// Empty, relative (`3 days ago`) in a page that names no time it was read, months or years
    /// ago, or unreadable (reported): not in the model.
    Unknown,
}

/// What a date cell says; relative text ("2 days ago") counts back from `read_at`, when the
/// snapshot names it.
fn page_date(
    cell: ElementRef,
    read_at: Option<Timestamp>,
    notes: &mut impl Problems,
    record: &str,
    column: &str,
) -> DateCell {
    // An attribute carries the exact value when the page gives one.
    for element in std::iter::once(cell).chain(cell.descendants().filter_map(ElementRef::wrap)) {
        for attr in ["datetime", "title"] {
            if let Some(at) = element.attr(attr).and_then(console::written_date) {
                return DateCell::At(at);
            }
        }
    }
    let text = texts(cell).join(" ");
    let lower = text.to_lowercase();
    if lower.is_empty() || matches!(lower.as_str(), "-" | "—" | "–" | "n/a") {
        return DateCell::Unknown;
    }
    if lower == "never" || lower == "never used" {
        return DateCell::Never;
    }
    if let Some(at) = console::written_date(&text)
        .or_else(|| read_at.and_then(|at| console::time_before(&text, at)))
    {
        return DateCell::At(at);
    }
    let relative = [
        "ago",
        "today",
        "yesterday",
        "just now",
        "minute",
        "hour",
        "in ",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if !relative {
        notes.problem(format!(
            "{record}: {column} \"{}\" is not a date; treated as unknown",
            crate::text::clip(&text, 40)
        ));
    }
    DateCell::Unknown
}

fn texts(element: ElementRef) -> Vec<String> {
    element
        .text()
        .map(crate::text::collapse)
        .filter(|t| !t.is_empty())
        .collect()
}

fn first_text(element: ElementRef) -> String {
    texts(element).into_iter().next().unwrap_or_default()
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
            "Token name",
            "Created by",
            "Created",
            "Last used",
            "Expires",
            "Actions",
        ]))
        .unwrap();
        assert_eq!(
            c,
            Columns {
                name: 1,
                owner: Some(2),
                created: Some(3),
                last_used: Some(4),
                expires: Some(5),
            }
        );
        assert!(Columns::from_header(&cells(&["Name", "Email", "Role"])).is_none());
        // A token column named as such wins over a bare "Name" before it, which is its user's.
        let c = Columns::from_header(&cells(&["Name", "Token name", "Created date", "Last used"]))
            .unwrap();
        assert_eq!(
            c,
            Columns {
                name: 1,
                owner: Some(0),
                created: Some(2),
                last_used: Some(3),
                expires: None,
            }
        );
        // A bare "Name" alone is the token's.
        let c = Columns::from_header(&cells(&["Name", "Email", "Expires"])).unwrap();
        assert_eq!((c.name, c.owner), (0, Some(1)));
    }

    #[test]
    fn row_keys_are_ids_not_row_numbers() {
        assert_eq!(
            row_key("api-tokens-table--row-6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b").as_deref(),
            Some("6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b")
        );
        assert_eq!(row_key("api-tokens-table--row-3"), None);
        assert_eq!(row_key("api-tokens-table--row-12345678"), None);
        assert_eq!(row_key("api-tokens-table--row-"), None);
        assert_eq!(row_key("token-row"), None);
    }
}
