//! Snowsight's users grid (Admin » Users & Roles, `app.snowflake.com/…/#/admin/users`), as a DOM
//! snapshot.
//!
//! Snowsight renders the grid from its own query API (`apps-api.….app.snowflake.com`), whose
//! responses are not documented, so the grid is read from the page. Its columns are found by
//! their header text and mapped onto the `SHOW USERS` columns they show; each row is then read
//! exactly like a `SHOW USERS` row ([`users::read_row`]), so a user seen on the page and in a
//! `SHOW USERS` export gets the same ID (`snowflake:user:<name>` or
//! `snowflake:service_user:<name>`, by its type).
//!
//! The grid's markup and column names are inferred, not documented: an ARIA grid (or a table)
//! with a header row. The Type column is required, because it alone tells a person from a
//! service. Dates are read where the page gives them absolutely (a `title` or `datetime`
//! attribute, or absolute text); relative text such as "3 days ago" is counted from when the
//! page was read, when the snapshot says ([`console::read_at`], as the extension's do), and is
//! otherwise left out rather than guessed, so the date stays unknown. Months and years ago are
//! too coarse to be a date.

use rustc_hash::FxHashMap;
use scraper::{ElementRef, Selector};

use super::users::{self, Col, Row, Tally};
use crate::console;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::model::Timestamp;
use crate::platforms::Format;

/// The page in the console table; its URL is also what the format recognizes.
pub(super) const URL: &str = "https://app.snowflake.com/{scope}/{tenant}/#/admin/users";

pub(super) const FORMAT: Format = Format {
    id: "snowflake.users_page",
    title: "Snowflake users (Snowsight Users & Roles page snapshot, HTML)",
    doc_url: "https://docs.snowflake.com/en/user-guide/admin-user-management",
    detect: |shape| match shape {
        Shape::Html(text) => console::is_snapshot_of(text, URL),
        _ => false,
    },
    read,
    exported_only: false,
};

const ROW: &str = "tr, [role=row]";
const CELL: &str = "th, td, [role=columnheader], [role=gridcell], [role=cell], [role=rowheader]";

/// The `SHOW USERS` column a header names, and how its cells read.
fn column_of(header: &str) -> Option<(Col, Cell)> {
    // A sorted column's header says more after its name (an arrow, a hidden "(sorted
    // descending)"): its longest leading words that name a column name it.
    crate::text::leading_words(header)
        .iter()
        .find_map(|words| column_named(words))
}

fn column_named(h: &str) -> Option<(Col, Cell)> {
    Some(match h {
        "name" | "user" | "user name" | "username" => (Col::Name, Cell::Text),
        "login name" => (Col::LoginName, Cell::Text),
        "display name" => (Col::DisplayName, Cell::Text),
        "email" => (Col::Email, Cell::Text),
        "type" | "user type" => (Col::Type, Cell::Type),
        "owner" => (Col::Owner, Cell::Text),
        "default role" => (Col::DefaultRole, Cell::Text),
        "password" | "has password" => (Col::HasPassword, Cell::Flag),
        "mfa" | "has mfa" => (Col::HasMfa, Cell::Flag),
        "key pair" | "rsa public key" | "has rsa public key" => (Col::HasRsaPublicKey, Cell::Flag),
        "last login" | "last successful login" | "last success login" => {
            (Col::LastSuccessLogin, Cell::Time)
        }
        "created" | "created on" => (Col::CreatedOn, Cell::Time),
        "expires" | "expires at" => (Col::ExpiresAt, Cell::Time),
        "status" => (Col::Disabled, Cell::Status),
        "disabled" => (Col::Disabled, Cell::Flag),
        _ => return None,
    })
}

/// How a cell's text becomes a `SHOW USERS` value.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell {
    Text,
    /// `Person`, `Service`, `Legacy service`: the `type` value.
    Type,
    /// `Yes` / `No`.
    Flag,
    /// `Enabled` / `Disabled`: the `disabled` value.
    Status,
    /// A date: absolute only.
    Time,
}

/// A row's place in its grid (its `aria-rowindex`, 1 at the top), where it says.
fn row_index(row: ElementRef) -> Option<u32> {
    row.value().attr("aria-rowindex")?.trim().parse().ok()
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let document = crate::html::document(&text);
    // When the extension read the page: what "3 days ago" counts from.
    let read_at = console::read_at(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;

    // Each column by its place: `aria-colindex` where the grid writes it (a grid that draws only
    // the columns in view, or pins some apart, skips the others), else its order.
    let mut columns: Option<FxHashMap<usize, (Col, Cell)>> = None;
    let (mut untyped, mut found) = (false, false);
    let mut tally = Tally::default();
    let mut read_rows = 0usize;
    // The users the grid says it has (its `aria-rowcount`, less the header rows), where it says.
    let mut declared: Option<usize> = None;
    // The place of each row read among the grid's (its `aria-rowindex`, less the header rows): a
    // virtual grid draws the rows in view, and a list scrolled through is read from several
    // snapshots.
    let mut shown: Vec<u32> = Vec::new();
    // The column header row's own place (the grid's first row, unless a row of column groups
    // stands above it).
    let mut header_place = 1u32;
    for row in document.select(&rows) {
        let row_cells = row_cells(row, &rows, &cells);
        if row_cells.is_empty() {
            continue;
        }
        // A row of column headers, beside which a selection cell may hold a box and no text.
        let heads = |c: &ElementRef| {
            c.value().name() == "th" || c.value().attr("role") == Some("columnheader")
        };
        let is_header = row_cells.iter().any(heads)
            && row_cells.iter().all(|c| heads(c) || text_of(*c).is_empty());
        if is_header {
            let mapped: FxHashMap<usize, (Col, Cell)> = places(&row_cells)
                .filter_map(|(place, c)| Some((place, column_of(&text_of(c))?)))
                .collect();
            let has = |col: Col| mapped.values().any(|(c, _)| *c == col);
            if !has(Col::Name) {
                continue;
            }
            // Another grid's (or a header the admin hid Type from): the users grid may follow.
            if !has(Col::Type) {
                untyped = true;
                // Its rows are not users read by the users grid's columns.
                columns = None;
                continue;
            }
            columns = Some(mapped);
            found = true;
            // The rows above the column headers (a row of column groups) are headers too.
            header_place = row_index(row).unwrap_or(1);
            declared = row
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find_map(|a| {
                    a.value()
                        .attr("aria-rowcount")?
                        .trim()
                        .parse::<usize>()
                        .ok()
                })
                .map(|count| count.saturating_sub(header_place as usize));
            continue;
        }
        let Some(columns) = &columns else { continue };
        read_rows += 1;
        shown.push(row_index(row).map_or(read_rows as u32, |i| i.saturating_sub(header_place)));
        let mut user = Row::default();
        for (place, cell) in places(&row_cells) {
            let Some((col, kind)) = columns.get(&place) else {
                continue;
            };
            if let Some(value) = cell_value(cell, *kind, read_at) {
                user.set(*col, value);
            }
        }
        users::read_row(&user, &format!("grid row {read_rows}"), sink, &mut tally);
    }
    if !found {
        return Err(if untyped {
            "the users grid shows no Type column, so people cannot be told from services; show \
             the Type column, or read SHOW USERS instead"
        } else {
            "no users grid (a header row with Name and Type) found in this page snapshot; the \
             console page may have changed"
        }
        .into());
    }
    // An account without users has a grid that says so (no rows past its header, or "No users
    // match…"); a header alone heads rows drawn elsewhere.
    if read_rows == 0 && declared != Some(0) && !console::shows_message(&document, &["no users"]) {
        return Err(
            "the page changed: the users grid's header has nothing under it, neither users nor a \"No users\" message"
                .into(),
        );
    }
    if let Some(count) = declared {
        let page = console::saved_from(&text).unwrap_or(input.source);
        sink.window(page, count as u32, shown);
    }
    tally.finish(sink);
    Ok(())
}

/// A row's cells with the place of each: its `aria-colindex`, or one after the last cell's.
fn places<'a>(cells: &'a [ElementRef<'a>]) -> impl Iterator<Item = (usize, ElementRef<'a>)> + 'a {
    let mut next: usize = 1;
    cells.iter().map(move |cell| {
        let place = cell
            .value()
            .attr("aria-colindex")
            .and_then(|i| i.trim().parse().ok())
            .unwrap_or(next);
        next = place.saturating_add(1);
        (place, *cell)
    })
}

/// What a cell says: `None` when the page says nothing usable (a relative date of a page not known
/// to be read when, or one in months), `Some(None)` when it says the value is empty ("—",
/// "Never"), `Some(Some(v))` otherwise.
fn cell_value(cell: ElementRef, kind: Cell, read_at: Option<Timestamp>) -> Option<Option<String>> {
    let text = text_of(cell);
    let blank = matches!(text.as_str(), "" | "-" | "–" | "—");
    match kind {
        Cell::Text => Some(if blank { None } else { users::clean(&text) }),
        Cell::Type => Some(if blank {
            None
        } else {
            Some(text.trim().to_ascii_uppercase().replace([' ', '-'], "_"))
        }),
        Cell::Flag => Some(if blank { None } else { users::clean(&text) }),
        Cell::Status => Some(match text.to_ascii_lowercase().as_str() {
            "disabled" => Some("true".to_string()),
            "enabled" | "active" => Some("false".to_string()),
            _ => None,
        }),
        Cell::Time => {
            if let Some(at) = absolute_time(cell) {
                return Some(Some(at));
            }
            if blank || text.eq_ignore_ascii_case("never") {
                Some(None)
            } else {
                // Relative ("3 days ago"): counted from when the page was read, where the
                // snapshot says (the extension's do).
                read_at
                    .and_then(|at| console::time_before(&text, at))
                    .map(|t| Some(crate::timestamp::format(t)))
            }
        }
    }
}

/// A date the cell gives absolutely: a `datetime` or `title` attribute on the cell or inside it,
/// or the cell's own text, when it reads as a date.
fn absolute_time(cell: ElementRef) -> Option<String> {
    let from_attribute = std::iter::once(cell)
        .chain(cell.descendants().filter_map(ElementRef::wrap))
        .flat_map(|e| [e.value().attr("datetime"), e.value().attr("title")])
        .flatten()
        .map(str::trim)
        .find(|t| is_time(t))
        .map(str::to_string);
    from_attribute.or_else(|| {
        let text = text_of(cell);
        is_time(&text).then_some(text)
    })
}

fn is_time(text: &str) -> bool {
    !text.is_empty()
        && (users::snowflake_time(text).is_some() || crate::timestamp::parse(text).is_some())
}

fn text_of(element: ElementRef) -> String {
    element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cells of `row` (not of rows nested inside it).
fn row_cells<'a>(row: ElementRef<'a>, rows: &Selector, cells: &Selector) -> Vec<ElementRef<'a>> {
    row.select(cells)
        .filter(|cell| {
            cell.ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| rows.matches(a))
                .is_some_and(|r| r.id() == row.id())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_show_users_columns() {
        assert_eq!(column_of("Name"), Some((Col::Name, Cell::Text)));
        assert_eq!(
            column_of(" Last login "),
            Some((Col::LastSuccessLogin, Cell::Time))
        );
        assert_eq!(column_of("Type"), Some((Col::Type, Cell::Type)));
        // Sorted: an arrow or a screen reader's words after the name.
        assert_eq!(column_of("Owner ↑"), Some((Col::Owner, Cell::Text)));
        assert_eq!(
            column_of("Created (sorted descending)"),
            Some((Col::CreatedOn, Cell::Time))
        );
        assert_eq!(
            column_of("Last login"),
            Some((Col::LastSuccessLogin, Cell::Time))
        );
        assert_eq!(column_of("Ownership"), None);
        assert_eq!(column_of("Comment"), None);
    }

    #[test]
    fn dates_are_absolute_or_counted_from_when_the_page_was_read() {
        let html = scraper::Html::parse_fragment(
            r#"<table><tr>
            <td id="a"><span title="2026-11-27 16:40:02.000 -0800">2 days ago</span></td>
            <td id="b">3 days ago</td>
            <td id="c">Never</td>
            <td id="d">2024-03-01T10:00:00Z</td>
            </tr></table>"#,
        );
        let cell = |id: &str| {
            html.select(&Selector::parse(&format!("#{id}")).unwrap())
                .next()
                .unwrap()
        };
        assert_eq!(
            cell_value(cell("a"), Cell::Time, None),
            Some(Some("2026-11-27 16:40:02.000 -0800".into()))
        );
        // "3 days ago" of a page not known to be read when: unknown.
        assert_eq!(cell_value(cell("b"), Cell::Time, None), None);
        let read_at = crate::timestamp::parse("2026-11-30T12:00:00Z");
        assert_eq!(
            cell_value(cell("b"), Cell::Time, read_at),
            Some(Some("2026-11-27T12:00:00Z".into()))
        );
        assert_eq!(cell_value(cell("c"), Cell::Time, read_at), Some(None));
        assert_eq!(
            cell_value(cell("d"), Cell::Time, None),
            Some(Some("2024-03-01T10:00:00Z".into()))
        );
        assert_eq!(
            cell_value(cell("b"), Cell::Type, None),
            Some(Some("3_DAYS_AGO".into()))
        );
    }
}
