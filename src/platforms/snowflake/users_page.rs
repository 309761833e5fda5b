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
//! service. Dates are read only where the page gives them absolutely (a `title` or `datetime`
//! attribute, or absolute text); relative text such as "3 days ago" is left out rather than
//! guessed, so the date stays unknown.

use scraper::{ElementRef, Selector};

use super::users::{self, Col, Row, Tally};
use crate::console;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::platforms::Format;

/// The page in the console table; its URL is also what the format recognizes.
pub(super) const URL: &str = "https://app.snowflake.com/*{tenant}/#/admin/users";

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
    let h = header.trim().to_ascii_lowercase();
    Some(match h.as_str() {
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

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let rows = Selector::parse(ROW).map_err(|e| format!("row selector: {e}"))?;
    let cells = Selector::parse(CELL).map_err(|e| format!("cell selector: {e}"))?;

    let mut columns: Option<Vec<Option<(Col, Cell)>>> = None;
    let mut tally = Tally::default();
    let mut read_rows = 0usize;
    for row in document.select(&rows) {
        let row_cells = row_cells(row, &rows, &cells);
        if row_cells.is_empty() {
            continue;
        }
        let is_header = row_cells
            .iter()
            .all(|c| c.value().name() == "th" || c.value().attr("role") == Some("columnheader"));
        if is_header {
            let mapped: Vec<Option<(Col, Cell)>> =
                row_cells.iter().map(|c| column_of(&text_of(*c))).collect();
            let has = |col: Col| mapped.iter().flatten().any(|(c, _)| *c == col);
            if !has(Col::Name) {
                continue;
            }
            if !has(Col::Type) {
                return Err(
                    "the users grid shows no Type column, so people cannot be told from \
                     services; show the Type column, or read SHOW USERS instead"
                        .into(),
                );
            }
            columns = Some(mapped);
            continue;
        }
        let Some(columns) = &columns else { continue };
        read_rows += 1;
        let mut user = Row::default();
        for (cell, column) in row_cells.iter().zip(columns) {
            let Some((col, kind)) = column else { continue };
            if let Some(value) = cell_value(*cell, *kind) {
                user.set(*col, value);
            }
        }
        users::read_row(&user, &format!("grid row {read_rows}"), sink, &mut tally);
    }
    if columns.is_none() {
        return Err(
            "no users grid (a header row with Name and Type) found in this page snapshot; the \
             console page may have changed"
                .into(),
        );
    }
    tally.finish(sink);
    Ok(())
}

/// What a cell says: `None` when the page says nothing usable (a relative date), `Some(None)`
/// when it says the value is empty ("—", "Never"), `Some(Some(v))` otherwise.
fn cell_value(cell: ElementRef, kind: Cell) -> Option<Option<String>> {
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
                // Relative ("3 days ago"): the day it stands for depends on when the page was
                // seen, which the snapshot does not say.
                None
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
        assert_eq!(column_of("Comment"), None);
    }

    #[test]
    fn only_absolute_dates_are_kept() {
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
            cell_value(cell("a"), Cell::Time),
            Some(Some("2026-11-27 16:40:02.000 -0800".into()))
        );
        assert_eq!(cell_value(cell("b"), Cell::Time), None);
        assert_eq!(cell_value(cell("c"), Cell::Time), Some(None));
        assert_eq!(
            cell_value(cell("d"), Cell::Time),
            Some(Some("2024-03-01T10:00:00Z".into()))
        );
        assert_eq!(
            cell_value(cell("b"), Cell::Type),
            Some(Some("3_DAYS_AGO".into()))
        );
    }
}
