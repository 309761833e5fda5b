//! The Connected Apps OAuth Usage page (Setup), as a DOM snapshot: one row per connected app that
//! users hold OAuth tokens for, with how many users and whether the app is blocked.
//!
//! The page is a Classic Visualforce page, `/identity/app/connectedAppsUsage.apexp` on the org's
//! `my.salesforce.com` host (or its `my.salesforce-setup.com` Setup domain). Lightning Setup
//! (`/lightning/setup/ConnectedAppsUsage/home`) shows the same page in an `<iframe>`, and the
//! content script runs in every frame, so this framed page is the one read; the Lightning frame
//! around it holds no rows.
//!
//! Columns, as Salesforce Help describes the page: the connected app, a link to manage its
//! policies (or an Install button for an app created in another org), the user count (users who
//! hold a token), and an action to block or unblock the app [doc: Help, "Monitor Usage for an
//! OAuth Connected App"]. The markup is the standard Visualforce list table (`table.list`, a
//! `headerRow`, `dataRow`s) [infer]; the reader finds the columns by their header text only and
//! reads the name, the user count and whether the app is blocked.
//!
//! The page names apps by their label, like `OauthToken.AppName`, and shows no App Picker item ID
//! [infer], so each row is handed to the Salesforce [`Join`](super::Join): read together with
//! `OauthToken` rows, it joins the one app of the same label (as a label-only token row does);
//! alone it becomes `salesforce:oauth_app:<label>`.

use scraper::{ElementRef, Selector};

use super::AppUsageRecord;
use crate::console;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;
use crate::text::leading_words;

/// The page in the console table; its URL is also what the format recognizes.
pub(super) const URL: &str =
    "https://{tenant}.*my.salesforce*.com/identity/app/connectedAppsUsage.apexp*";

pub(super) const FORMAT: Format = Format {
    id: "salesforce.oauth_usage_page",
    title: "Salesforce Connected Apps OAuth Usage (Setup page snapshot, HTML)",
    doc_url: "https://help.salesforce.com/s/articleView?id=xcloud.connected_app_manage_current_sessions.htm&type=5",
    detect: |shape| match shape {
        Shape::Html(text) => console::is_snapshot_of(text, URL),
        _ => false,
    },
    read,
    exported_only: false,
};

const ROW: &str = "tr, [role=row]";
const CELL: &str = "th, td, [role=columnheader], [role=gridcell], [role=cell], [role=rowheader]";

/// Where each column is, from the header row.
#[derive(Debug, PartialEq)]
struct Columns {
    app: usize,
    users: usize,
    action: Option<usize>,
}

impl Columns {
    fn from_header(cells: &[String]) -> Option<Columns> {
        // A header may say more after its name: a sortable column's hidden "Sorted Ascending", a
        // help bubble's label.
        let headers: Vec<Vec<String>> = cells.iter().map(|c| leading_words(c)).collect();
        let find = |want: &str| {
            let want = want.to_lowercase();
            headers.iter().position(|words| words.contains(&want))
        };
        let app = find("Connected App")
            .or_else(|| find("Connected App Name"))
            .or_else(|| find("App Name"))?;
        let users = find("User Count")?;
        Some(Columns {
            app,
            users,
            action: find("Action"),
        })
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let location = console::saved_from(&text)
        .filter(|url| url.contains("://"))
        .map(console::host_of)
        .filter(|host| !host.is_empty())
        .map(str::to_ascii_lowercase);
    let document = crate::html::document(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;

    // The columns, and the table whose header named them: a table after it (the page's footer)
    // holds no apps.
    let mut columns: Option<(Columns, Option<ElementRef>)> = None;
    let mut app_rows = 0usize;
    for (index, row) in document.select(&rows).enumerate() {
        let texts = row_cells(row, &rows, &cells);
        // The first row that names the columns is the header: an app's row that says
        // "Connected App …" and "User Count …" later is an app's.
        if columns.is_none()
            && let Some(found) = Columns::from_header(&texts)
        {
            columns = Some((found, console::list_of(row)));
            continue;
        }
        let Some((columns, list)) = &columns else {
            continue;
        };
        if console::list_of(row) != *list {
            continue;
        }
        // "No records to display" and other message rows span the table in one cell.
        if texts.len() <= columns.app.max(columns.users) {
            continue;
        }
        app_rows += 1;
        let place = format!("row {}", index + 1);
        let name = texts[columns.app].trim();
        if name.is_empty() {
            sink.problem(format!("{place} skipped: no connected app name"));
            continue;
        }
        let users_text = texts[columns.users].trim();
        let user_count = match users_text.replace(',', "").parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                if !users_text.is_empty() {
                    sink.problem(format!(
                        "{place} ({}): user count \"{}\" is not a number; treated as unknown",
                        crate::text::clip(name, 40),
                        crate::text::clip(users_text, 20)
                    ));
                }
                None
            }
        };
        let action = columns.action.and_then(|i| texts.get(i));
        sink.joins.salesforce.apps.push(AppUsageRecord {
            name: name.to_string(),
            user_count,
            blocked: action.and_then(|a| blocked(a)),
            location: location.clone(),
            source: sink.source_name(),
        });
    }
    if columns.is_none() {
        return Err(
            "no table of connected apps (Connected App, User Count) found in this page snapshot; \
             the console page may have changed"
                .into(),
        );
    }
    // An org whose apps hold no tokens says so ("No records to display"); a header alone heads
    // rows drawn elsewhere.
    if app_rows == 0 && !console::shows_message(&document, &["no records", "no connected apps"]) {
        return Err(
            "the page changed: the connected apps' header has nothing under it, neither apps nor a \"No records to display\" message"
                .into(),
        );
    }
    Ok(())
}

/// Whether the app is blocked: its action offers to unblock it.
fn blocked(action: &str) -> Option<bool> {
    let words: Vec<String> = action
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.iter().any(|w| w == "unblock") {
        Some(true)
    } else if words.iter().any(|w| w == "block") {
        Some(false)
    } else {
        None
    }
}

/// The text of each cell of `row` (not of rows nested inside it), whitespace collapsed.
fn row_cells(row: ElementRef, rows: &Selector, cells: &Selector) -> Vec<String> {
    row.select(cells)
        .filter(|cell| {
            cell.ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| rows.matches(a))
                .is_some_and(|r| r.id() == row.id())
        })
        .map(cell_text)
        .collect()
}

/// A cell's words: its text, and the labels of its buttons (`<input type="submit" value="Block">`,
/// as Visualforce renders a command button).
fn cell_text(cell: ElementRef) -> String {
    let mut words: Vec<&str> = Vec::new();
    for node in cell.descendants() {
        if let Some(text) = node.value().as_text() {
            // What the cell does not show (a help bubble's script) is no word of it.
            let hidden = node
                .ancestors()
                .take_while(|a| a.id() != cell.id())
                .any(|a| a.value().as_element().is_some_and(crate::html::hides));
            if !hidden {
                words.extend(text.split_whitespace());
            }
        } else if let Some(element) = node.value().as_element()
            && element.name() == "input"
            && matches!(element.attr("type"), Some("button" | "submit"))
            && let Some(label) = element.attr("value")
        {
            words.extend(label.split_whitespace());
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_their_header() {
        let cells = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Columns::from_header(&cells(&[
                "Connected App",
                "Description",
                "Manage App Policies",
                "User Count",
                "Action"
            ])),
            Some(Columns {
                app: 0,
                users: 3,
                action: Some(4),
            })
        );
        assert_eq!(
            Columns::from_header(&cells(&["Connected App", "Action"])),
            None
        );
        // A sort marker's or a help bubble's words after the name; never a longer word.
        assert_eq!(
            Columns::from_header(&cells(&[
                "Connected App Sorted Ascending",
                "User Count Help",
                "Action"
            ])),
            Some(Columns {
                app: 0,
                users: 1,
                action: Some(2),
            })
        );
        assert_eq!(
            Columns::from_header(&cells(&["Connected Apps", "User Counts"])),
            None
        );
    }

    #[test]
    fn a_help_bubbles_script_is_no_text() {
        let html = scraper::Html::parse_fragment(
            r#"<table><tr><th>User Count<span class="helpButton"><img alt="Help"><script>sfdcPage.setHelp('x', 'y');</script></span></th></tr></table>"#,
        );
        let th = html.select(&Selector::parse("th").unwrap()).next().unwrap();
        assert_eq!(cell_text(th), "User Count");
    }

    #[test]
    fn buttons_count_as_words() {
        let html = scraper::Html::parse_fragment(
            r#"<table><tr><td><input type="submit" class="btn" value="Unblock"> <a>Revoke</a></td></tr></table>"#,
        );
        let td = html.select(&Selector::parse("td").unwrap()).next().unwrap();
        assert_eq!(cell_text(td), "Unblock Revoke");
    }

    #[test]
    fn the_action_tells_whether_the_app_is_blocked() {
        assert_eq!(blocked("Block"), Some(false));
        assert_eq!(blocked("Unblock"), Some(true));
        assert_eq!(blocked("Unblock | Revoke All"), Some(true));
        assert_eq!(blocked(""), None);
    }
}
