//! Console pages: where in each admin console identities are shown, and what the extension must
//! capture there.
//!
//! Each platform lists its pages in its [`PlatformSpec`](crate::platforms::PlatformSpec). A page
//! names its URL (with the tenant's place in it), the API responses the console loads that are
//! worth keeping, the DOM regions to snapshot, and how its rows look. The extension's content
//! script knows none of this: it asks the background for the [`Plan`] of the URL it is on and
//! runs it. What it captures is read by the same formats the command line uses: JSON responses
//! are recognized by their content, and DOM snapshots are HTML that starts with the
//! `<!-- saved from url=… -->` line a browser writes when it saves a page, so a page saved by hand
//! reads the same way.

mod cells;
mod instances;
mod pattern;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use cells::Cell;
pub use instances::{
    Instance, On, PageAt, canonical_url, host_name, instance_host, instance_of_tenant, page_in,
    place_parts, self_managed_platforms, url_root, with_root, without_port,
};
pub use pattern::Pattern;

use crate::model::{Platform, Timestamp};
use crate::platforms::PLATFORMS;

/// One admin console page that shows non-human identities.
#[derive(Debug)]
pub struct ConsolePage {
    /// Stable ID, `platform.page` (`github.installations_page`).
    pub id: &'static str,
    /// What the admin calls it.
    pub title: &'static str,
    /// The page's URL: `*` matches anything, `{tenant}` one host label or path segment naming the
    /// organisation, tenant or account (`https://github.com/organizations/{tenant}/settings/hooks*`).
    pub url: &'static str,
    /// URLs of the API responses the page loads that carry identities (same pattern syntax;
    /// `{tenant}` matches like `*` here).
    pub api: &'static [&'static str],
    /// DOM regions to snapshot, read by an HTML format of the platform.
    pub regions: &'static [Region],
    /// CSS selector of the elements that are one identity's row on this page.
    pub rows: &'static str,
    /// A page for every view the platform's other pages do not name (a view a redesign added or
    /// moved): its layout unknown, it reads the lists it loads without a layout check, its rows
    /// are every kind the platform's pages know, and a row naming any identity of the tenant's
    /// inventory gets its badge, as on a page read for nothing.
    pub catch_all: bool,
}

impl ConsolePage {
    /// Whether the page captures nothing: [`ELSEWHERE`], where only identities an inventory
    /// already holds are shown.
    pub fn reads_nothing(&self) -> bool {
        self.api.is_empty() && self.regions.is_empty()
    }
}

/// Every page of a platform's consoles that is none of the pages it reads (an audit log, an
/// app's settings, a page a redesign added): nothing is captured there, and a row that names an
/// identity the tenant's inventory already holds gets its badge.
pub static ELSEWHERE: ConsolePage = ConsolePage {
    id: "elsewhere",
    title: "Other console pages",
    url: "*",
    api: &[],
    regions: &[],
    // Its plan has every kind of row its platform's pages know (`console_rows`).
    rows: GENERIC_ROWS,
    catch_all: false,
};

/// A part of a page to snapshot as HTML.
#[derive(Debug)]
pub struct Region {
    /// Name reported back with the snapshot.
    pub name: &'static str,
    /// CSS selector; every match is snapshot.
    pub selector: &'static str,
    /// Whether the page is broken without it: a required region that never appears means the
    /// console changed its layout, never that there is nothing to show.
    pub required: bool,
    /// Keep only the first this many characters of its HTML: enough for a page whose identities
    /// come from JSON and whose region only proves the layout (its header row), without copying a
    /// list of thousands of rows.
    pub limit: Option<usize>,
    /// Snapshot as soon as it appears, before the page's own scripts replace it (a Vue 2 app
    /// replaces the element it mounts on, and the data the server rendered into it goes too);
    /// that first snapshot is what is sent.
    pub early: bool,
}

/// Where a console names its tenant on every page when its URLs do not (the AWS console's
/// account): a small region snapshot with every capture, and how to read the tenant from it.
#[derive(Debug)]
pub struct TenantInPage {
    /// CSS selector of the element(s) naming the tenant.
    pub selector: &'static str,
    /// The tenant the region's HTML names, if it names one; `None` keys the inventory by the URL.
    pub read: fn(&str) -> Option<String>,
    /// Whether what it reads names the tenant apart from those of every cell of the platform (an
    /// AWS account ID): else, read in a cell, it takes the cell's domain (an Entra directory's
    /// display name, which a directory of the global service may share).
    pub unique: bool,
}

/// The name of the region a [`TenantInPage`] is captured as.
pub const TENANT_REGION: &str = "tenant";

/// How much of a [`TenantInPage`] region's content is sent: a meta tag or a header, never a
/// list. (The limit cuts what is inside an element; its own tag is sent whole.)
pub const TENANT_REGION_LIMIT: usize = 4096;

/// The name of a region that holds a list's page buttons (a pagination), when the page shows a
/// long list a page at a time without a change of its URL: each page the admin views is kept as
/// a page of the list, not in the place of the one viewed before.
pub const LIST_PAGE_REGION: &str = "list page";

/// Where the page of a list shown a page at a time stands, as its pagination (captured as
/// [`LIST_PAGE_REGION`]) says: its `aria-current` page button's number (page 3 stands at 2), or
/// the first row of a range it shows, "51–100 of 120" (at 50). `(0, _)` is the first page; the
/// label names another in its source ("page 3", "rows 51–100"). `None` when it says neither.
pub fn list_page(html: &str) -> Option<(u32, String)> {
    let document = crate::html::document(html);
    let buttons = scraper::Selector::parse("button, a, [role=button]").ok()?;
    let current = document
        .select(&buttons)
        .filter(|button| matches!(button.attr("aria-current"), Some(v) if v != "false"))
        .find_map(|button| {
            crate::text::normalize(&crate::html::shown_text(button))
                .parse::<u32>()
                .ok()
        })
        .filter(|n| *n > 0);
    if let Some(n) = current {
        return Some((n - 1, format!("page {n}")));
    }
    // "1–50 of 120", "51 - 100 of 120": the range right before an "of".
    let text = crate::text::normalize(&crate::html::shown_text(document.root_element()))
        .replace(['\u{2013}', '\u{2014}'], "-")
        .replace(" - ", "-");
    let words: Vec<&str> = text.split(' ').collect();
    let number = |n: &str| n.replace(',', "").parse::<u32>().ok();
    words.windows(2).find_map(|pair| {
        let (from, to) = pair[0].split_once('-')?;
        let (from, to) = (number(from)?, number(to)?);
        (pair[1] == "of" && from >= 1 && to >= from)
            .then(|| (from - 1, format!("rows {from}\u{2013}{to}")))
    })
}

/// The rows a virtual grid draws of those it has ([`grid_window`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridWindow {
    /// The place of its first row drawn, 0 at its top (as [`list_page`] gives a page's).
    pub place: u32,
    /// How many of its rows it draws.
    pub rows: u32,
    /// How many rows it says it has, less its header rows.
    pub count: u32,
}

/// Where the rows a grid draws stand in it, where it says how many rows it has (`aria-rowcount`)
/// and the place of each drawn (`aria-rowindex`), as a virtual grid draws only those in view.
/// Its header rows are those above its column headers (the row of `th` or `columnheader` cells;
/// its first row where none is drawn). `None` for markup that says neither, or that holds more
/// than one such grid (which one's rows the page read would be a guess).
pub fn grid_window(html: &str) -> Option<GridWindow> {
    // Most snapshots have none: not read.
    if !html.contains("aria-rowcount") {
        return None;
    }
    let document = crate::html::read_serialized(html);
    let (Ok(grids), Ok(rows), Ok(data), Ok(heads)) = (
        scraper::Selector::parse("[aria-rowcount]"),
        scraper::Selector::parse("[aria-rowindex]"),
        scraper::Selector::parse("td, [role=gridcell], [role=cell], [role=rowheader]"),
        scraper::Selector::parse("th, [role=columnheader]"),
    ) else {
        return None;
    };
    let mut found = document.select(&grids);
    let (grid, None) = (found.next()?, found.next()) else {
        return None;
    };
    let number = |value: Option<&str>| value?.trim().parse::<u32>().ok();
    let declared = number(grid.attr("aria-rowcount"))?;
    // Each row's place, and whether it holds data.
    let drawn: Vec<(u32, bool)> = grid
        .select(&rows)
        .filter_map(|row| {
            let place = number(row.attr("aria-rowindex"))?;
            let holds = |cells: &scraper::Selector| row.select(cells).next().is_some();
            Some((place, holds(&data) || !holds(&heads)))
        })
        .collect();
    let header = drawn
        .iter()
        .filter(|(_, data)| !data)
        .map(|(place, _)| *place)
        .max()
        .unwrap_or(1);
    let shown = || {
        drawn
            .iter()
            .filter(|(place, data)| *data && *place > header)
    };
    let first = shown().map(|(place, _)| *place).min()?;
    Some(GridWindow {
        place: first - header - 1,
        rows: shown().count() as u32,
        count: declared.saturating_sub(header),
    })
}

/// Whether a page's snapshot shows a list still loading: a table or grid with no row of data
/// (no row of two cells or more) that the page marks busy (`aria-busy`), or whose one row spans
/// it with a text that says it is loading (as Cloudscape's and other consoles' tables draw it, in
/// the place of the empty state's "No users"). Such a snapshot is no reading of the list: read, it
/// would list no one, and take the place of the page's last reading until the rows came. A list
/// with rows is read, whatever else loads beside them ("Loading more…"), and so is a snapshot
/// where another list has rows (a widget beside the list that stays busy would otherwise keep the
/// page from ever being read).
pub fn still_loading(html: &str) -> bool {
    // Most snapshots have neither: not read twice.
    let says_loading = html
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"loading"));
    let busy = html.contains("aria-busy=\"true\"");
    if !(busy || says_loading && html.contains("colspan")) {
        return false;
    }
    let document = crate::html::read_serialized(html);
    let (Ok(lists), Ok(rows), Ok(cells)) = (
        scraper::Selector::parse("table, [role=grid], [role=table], [role=treegrid]"),
        scraper::Selector::parse("tr, [role=row]"),
        scraper::Selector::parse(
            "td, th, [role=gridcell], [role=cell], [role=rowheader], [role=columnheader]",
        ),
    ) else {
        return false;
    };
    let mut loading = false;
    for list in document.select(&lists) {
        let mut data_rows = 0;
        let mut loading_row = false;
        for row in list.select(&rows) {
            let row_cells: Vec<_> = row.select(&cells).collect();
            let header = row_cells
                .iter()
                .all(|c| c.value().name() == "th" || c.attr("role") == Some("columnheader"));
            match row_cells.as_slice() {
                [] => {}
                _ if header => {}
                [one] => {
                    // Spanning: more than one column, or a width (`100%`) rather than a count.
                    let spans = one
                        .attr("colspan")
                        .or(one.attr("aria-colspan"))
                        .is_some_and(|n| n.trim().parse::<u32>().map_or(true, |n| n > 1));
                    loading_row |= spans
                        && crate::text::normalize(&crate::html::shown_text(*one))
                            .to_lowercase()
                            .starts_with("loading");
                }
                _ => data_rows += 1,
            }
        }
        if data_rows > 0 {
            return false;
        }
        loading |= loading_row || list.attr("aria-busy") == Some("true");
    }
    loading
}

/// Whether a page's snapshot shows a message that starts with one of `phrases` (lower case): a
/// list's empty state ("No users"), in a row of its own or beside its table. A header with no
/// rows under it and no such message heads rows drawn elsewhere: the page changed, never "no
/// one". A name that merely holds the words ("Casino apps") or a hidden message says nothing.
pub fn shows_message(document: &scraper::Html, phrases: &[&str]) -> bool {
    document.root_element().descendants().any(|node| {
        let Some(text) = node.value().as_text() else {
            return false;
        };
        let text = crate::text::normalize(text).to_lowercase();
        phrases.iter().any(|phrase| text.starts_with(phrase))
            && node
                .parent()
                .and_then(scraper::ElementRef::wrap)
                .is_some_and(crate::html::is_shown)
    })
}

/// The table or grid a row or cell is in (its nearest), so a list's columns are read only in the
/// list its header heads, not in a table after it (a footer, another list).
pub fn list_of(element: scraper::ElementRef<'_>) -> Option<scraper::ElementRef<'_>> {
    element
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|a| {
            a.value().name() == "table"
                || matches!(a.attr("role"), Some("grid" | "table" | "treegrid"))
        })
}

/// The snapshot limit of regions that only prove a page's layout.
pub const LAYOUT_CHECK_LIMIT: usize = 64 * 1024;

/// The row selector that fits most consoles: table rows, ARIA rows and list items (ARIA's too:
/// virtual lists are `div`s).
pub const GENERIC_ROWS: &str = "tr, [role=row], li, [role=listitem]";

/// What the content script does on one page, as the background tells it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The [`ConsolePage::id`].
    pub page: String,
    /// `platform:tenant`, the inventory this page belongs to.
    pub tenant: String,
    pub platform: Platform,
    /// Regular expressions (JavaScript syntax) of response URLs to keep, as the page requests them.
    pub api: Vec<String>,
    pub regions: Vec<RegionPlan>,
    /// CSS selector of row-like elements.
    pub rows: String,
    /// Whether a badge's detail card opens over the page, in a frame. The extension's pages may
    /// be framed only on the hosts its manifest names; on a self-managed instance's host the card
    /// opens in a window of its own ([`crate::protocol::Request::OpenCard`]).
    #[serde(default)]
    pub card_in_frame: bool,
    /// The page captures nothing ([`ELSEWHERE`]): the content script asks once for the badges
    /// of the identities the tenant's inventory holds.
    #[serde(default)]
    pub known_only: bool,
    /// The page is a [`ConsolePage::catch_all`]: the content script also asks for the badges of
    /// the tenant's inventory when the page loads no list it reads.
    #[serde(default)]
    pub catch_all: bool,
    /// The badges' style sheet, which the extension sets: the content script, held to a size
    /// budget, carries none of its own.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub badge_style: Cow<'static, str>,
}

/// A region in a [`Plan`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionPlan {
    pub name: String,
    pub selector: String,
    pub required: bool,
    /// See [`Region::limit`].
    pub limit: Option<usize>,
    /// Sent with every capture, not only when it changed: it names the tenant the capture
    /// belongs to (see [`TenantInPage`]).
    #[serde(default)]
    pub every_capture: bool,
    /// See [`Region::early`].
    #[serde(default)]
    pub early: bool,
}

/// The URL a page is really on. In the test build of the extension, mock consoles are served on
/// the loopback address with the real host as the first path segment:
/// `http://127.0.0.1:8080/github.com/x` stands for `https://github.com/x`.
pub fn effective_url(url: &str) -> String {
    let Some(rest) = url
        .strip_prefix("http://127.0.0.1:")
        .or_else(|| url.strip_prefix("http://localhost:"))
    else {
        return url.to_string();
    };
    let Some((port, path)) = rest.split_once('/') else {
        return url.to_string();
    };
    // A host is a dotted first segment with more after it (`/favicon.ico` is a file).
    let host_end = path.find(['/', '?', '#']);
    let host = host_end.map_or("", |end| &path[..end]);
    if port.bytes().all(|b| b.is_ascii_digit()) && host.contains('.') {
        format!("https://{path}")
    } else {
        url.to_string()
    }
}

/// The console page `url` is on, with its tenant, if it is on one of the consoles: a page NHI Lens
/// reads, or [`ELSEWHERE`].
pub fn page_for(url: &str) -> Option<(&'static ConsolePage, Platform, String)> {
    page_in(url, &[]).map(|at| (at.page, at.platform, at.tenant))
}

/// The inventory a capture belongs to, `platform:tenant`: the tenant the page names (when its
/// platform names one in the page, and `in_page` is that region's HTML), with `@` and `place`
/// after it where the page is in a cell or on an instance ([`PageAt::tenant_key`]), or else the
/// one its URL names.
pub fn tenant_key(
    platform: Platform,
    from_url: &str,
    in_page: Option<&str>,
    place: Option<&str>,
) -> String {
    let named = crate::platforms::spec(platform)
        .tenant_in_page
        .as_ref()
        .zip(in_page)
        .and_then(|(t, html)| (t.read)(html))
        .filter(|t| is_plain_label(t));
    let tenant = match (named, place) {
        (Some(named), Some(place)) => format!("{named}@{place}"),
        (Some(named), None) => named,
        (None, _) => from_url.to_string(),
    };
    format!("{}:{}", platform.as_str(), tenant.to_ascii_lowercase())
}

impl PageAt<'_> {
    /// The inventory a capture on this page belongs to (see [`tenant_key`]). A tenant the page
    /// names in one of its platform's cells, or on an instance, takes the cell's domain or the
    /// instance's host, as one its URL names does, unless the name is the tenant's alone: a
    /// directory of Entra's US Government cloud is not its namesake in the global service.
    pub fn tenant_key(&self, in_page: Option<&str>) -> String {
        let unique = crate::platforms::spec(self.platform)
            .tenant_in_page
            .as_ref()
            .is_some_and(|t| t.unique);
        let place = self
            .on
            .filter(|on| !unique || matches!(on, On::Instance(_)))
            .map(On::place);
        tenant_key(self.platform, &self.tenant, in_page, place)
    }
}

/// Page text is hostile: a tenant read there keys storage, so it is a short plain label or
/// nothing. Letters and digits of any script count (an Entra directory named `Müller AG` or
/// `株式会社` is one of its own, not pooled with every other under the host); no white space,
/// punctuation but `-._`, control or formatting character (a direction override) does.
fn is_plain_label(tenant: &str) -> bool {
    (1..=64).contains(&tenant.chars().count())
        && tenant
            .chars()
            .all(|c| c.is_alphanumeric() || "-._".contains(c))
}

/// The capture plan for `url`, if it is on one of the consoles (see [`page_for`]).
pub fn plan_for(url: &str) -> Option<Plan> {
    plan_in(url, &[])
}

/// The capture plan for `url` on the platforms' own hosts or on the admin's instances.
pub fn plan_in(url: &str, instances: &[Instance]) -> Option<Plan> {
    let PageAt {
        page,
        platform,
        tenant,
        on,
        ..
    } = page_in(url, instances)?;
    let tenant_region = crate::platforms::spec(platform)
        .tenant_in_page
        .as_ref()
        .map(|t| RegionPlan {
            name: TENANT_REGION.to_string(),
            selector: t.selector.to_string(),
            required: false,
            limit: Some(TENANT_REGION_LIMIT),
            every_capture: true,
            early: false,
        });
    let mut api = Vec::new();
    for pattern in page.api {
        for pattern in instances::on_host(pattern, on) {
            api.push(Pattern::new(&pattern).to_js_regex());
        }
    }
    Some(Plan {
        page: page.id.to_string(),
        tenant: tenant_key(platform, &tenant, None, None),
        platform,
        api,
        regions: page
            .regions
            .iter()
            .map(|r| RegionPlan {
                name: r.name.to_string(),
                selector: r.selector.to_string(),
                required: r.required,
                limit: r.limit,
                every_capture: false,
                early: r.early,
            })
            .chain(tenant_region)
            .collect(),
        rows: if page.reads_nothing() || page.catch_all {
            console_rows(platform)
        } else {
            page.rows.to_string()
        },
        card_in_frame: !matches!(on, Some(On::Instance(_))),
        known_only: page.reads_nothing(),
        catch_all: page.catch_all,
        badge_style: Cow::Borrowed(""),
    })
}

/// The rows of a console page read for nothing: every kind of row the platform's own pages
/// know (GitHub draws many lists as `.Box-row`), and the generic ones.
fn console_rows(platform: Platform) -> String {
    let pages = crate::platforms::spec(platform)
        .pages
        .iter()
        .map(|p| p.rows);
    let mut all: Vec<&str> = Vec::new();
    for selector in std::iter::once(GENERIC_ROWS)
        .chain(pages)
        .flat_map(|rows| rows.split(',').map(str::trim))
    {
        if !all.contains(&selector) {
            all.push(selector);
        }
    }
    all.join(", ")
}

/// Whether a response URL the page requested is one the page's plan keeps.
pub fn keeps_response(page: &ConsolePage, response_url: &str) -> bool {
    let url = effective_url(response_url);
    page.api
        .iter()
        .any(|p| Pattern::new(p).matches(&url).is_some())
}

/// A DOM snapshot as an input: the HTML with the line a saved page starts with, so the page's
/// format recognizes where it came from.
pub fn snapshot_input(page_url: &str, html: &str) -> String {
    snapshot(page_url, None, html)
}

/// A DOM snapshot the extension read at `read_at`, as an input: [`snapshot_input`] with the time
/// in its first line, which the extension writes (the page's markup starts on the next), so a
/// format can pin down the relative times the page shows ("12 days ago"; see [`read_at`]).
pub fn snapshot_input_read_at(page_url: &str, read_at: Timestamp, html: &str) -> String {
    snapshot(page_url, Some(read_at), html)
}

fn snapshot(page_url: &str, read_at: Option<Timestamp>, html: &str) -> String {
    let url = effective_url(page_url);
    let read_at = read_at.map_or(String::new(), |at| {
        format!(" read-at={}", crate::timestamp::format(at))
    });
    format!(
        "<!-- saved from url=({:04}){url}{read_at} -->\n{html}",
        url.len().min(9999)
    )
}

/// A capture's text without the line [`snapshot_input_read_at`] starts a page snapshot with
/// (which says when it was read); any other text as it is.
pub fn snapshot_html(text: &str) -> &str {
    match text.strip_prefix("<!--") {
        Some(_) => text.split_once('\n').map_or(text, |(_, html)| html),
        None => text,
    }
}

/// What the comment a saved page starts with says (after a byte-order mark and white space).
fn first_comment(html: &str) -> Option<&str> {
    let text = html.trim_start_matches('\u{feff}').trim_start();
    text.strip_prefix("<!--")?.split("-->").next()
}

/// When the extension read a snapshot, from its first line (see [`snapshot_input_read_at`]); a
/// page a browser saved names no time.
pub fn read_at(html: &str) -> Option<Timestamp> {
    first_comment(html)?
        .lines()
        .next()?
        .split_whitespace()
        .find_map(|word| word.strip_prefix("read-at="))
        .and_then(crate::timestamp::parse)
}

/// A date written out as consoles show it: RFC 3339 or `YYYY-MM-DD`, or a month by its name,
/// `Mar 10, 2025`, `March 10, 2025`, `10 Sept 2025`, with a time after it or not, and the offset
/// the AWS console writes: `December 03, 2025, 10:00 (UTC-05:00)`, `…, 10:00 AM`. Without an
/// offset it is UTC. Relative text ("3 days ago") is [`time_before`]'s.
pub fn written_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(at) = crate::timestamp::parse(text) {
        return Some(at);
    }
    let (text, offset) = match text.strip_suffix(')').and_then(|t| t.rsplit_once("(UTC")) {
        Some((date, offset)) => (date, offset.trim()),
        None => (text, ""),
    };
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let (month, day, year, clock) = match words.as_slice() {
        [m, d, y, clock @ ..] if month_of(m).is_some() => (month_of(m)?, d, y, clock),
        [d, m, y, clock @ ..] => (month_of(m)?, d, y, clock),
        _ => return None,
    };
    let (day, year): (u8, u16) = (day.parse().ok()?, year.parse().ok()?);
    let (mut hour, minute, half) = match clock {
        [] => (0, "00", None),
        [time, half @ ..] if half.len() <= 1 => {
            let (hour, minute) = time.split_once(':')?;
            (hour.parse::<u8>().ok()?, minute, half.first())
        }
        _ => return None,
    };
    match half.map(|h| h.to_ascii_lowercase()).as_deref() {
        None => {}
        Some("am") if (1..=12).contains(&hour) => hour %= 12,
        Some("pm") if (1..=12).contains(&hour) => hour = hour % 12 + 12,
        Some(_) => return None,
    }
    // Written as RFC 3339, whose reader checks every part (Feb 30, 25:00, `:7`).
    let minute = if minute.len() == 2 {
        format!("{minute}:00")
    } else {
        minute.to_string()
    };
    let offset = if offset.is_empty() { "Z" } else { offset };
    crate::timestamp::parse(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute}{offset}"
    ))
}

/// The month (1 for January) a word names: its name, or a prefix of it of three letters or
/// more (`Mar`, `Sept`, `Sep.`).
fn month_of(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.trim_end_matches('.').to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| m.starts_with(lower.as_str()))?;
    Some(index as u8 + 1)
}

/// The time relative text names before `read_at`: `Today`, `Yesterday`, `12 days ago`,
/// `312 days` (an age), `3 hours ago`, `a day ago`, `about 2 hours ago`, `2 weeks ago`,
/// `less than a minute ago`. Months and years are too coarse to be a date.
pub fn time_before(text: &str, read_at: Timestamp) -> Option<Timestamp> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.strip_suffix(" ago").unwrap_or(&text);
    // Rounded wordings name the same count (moment.js, date-fns and Primer write these).
    let text = ["about ", "almost ", "over ", "nearly "]
        .iter()
        .find_map(|rounded| text.strip_prefix(rounded))
        .unwrap_or(text);
    let (count, unit) = match text {
        "today" | "now" | "just now" | "a few seconds" | "less than a minute" => (0, "day"),
        "yesterday" => (1, "day"),
        _ => {
            let (n, unit) = text.split_once(' ')?;
            let count = match n {
                "a" | "an" | "one" => 1,
                n => n.parse::<i64>().ok()?,
            };
            (count, unit.trim_end_matches('s'))
        }
    };
    let per_unit = match unit {
        "week" => 7 * 24 * 60,
        "day" => 24 * 60,
        "hour" => 60,
        "minute" | "min" => 1,
        "second" | "sec" => 0,
        _ => return None,
    };
    // Past a century is no console's text.
    let minutes = count.checked_mul(per_unit)?;
    (0..=36_500 * 24 * 60)
        .contains(&minutes)
        .then(|| read_at - time::Duration::minutes(minutes))
}

/// The URL in a saved page's `<!-- saved from url=(NNNN)… -->` line, if the HTML starts with one
/// (after a byte-order mark and white space).
pub fn saved_from(html: &str) -> Option<&str> {
    let rest = first_comment(html)?.trim_start();
    let rest = rest.strip_prefix("saved from url=")?;
    let rest = rest.strip_prefix('(')?;
    let (_, rest) = rest.split_once(')')?;
    // A URL holds no white space.
    let url = rest.split_whitespace().next().unwrap_or("");
    (!url.is_empty()).then_some(url)
}

/// Whether `html` is a snapshot of a page whose URL matches `pattern`.
pub fn is_snapshot_of(html: &str, pattern: &str) -> bool {
    saved_from(html).is_some_and(|url| Pattern::new(pattern).matches(url).is_some())
}

/// The browser match pattern (`https://*.okta.com/*`) that covers a console URL pattern: browser
/// match patterns allow a wildcard only as a host's first label, and the extension needs the
/// whole host (single-page consoles move between paths without a load).
pub fn match_pattern(console: &str) -> String {
    let (scheme, rest) = console.split_once("://").unwrap_or(("https", console));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let wild = host.rfind(['*', '}']);
    let host = match wild {
        None => host.to_string(),
        Some(at) => {
            let tail = &host[at + 1..];
            // `*-admin.okta.com`: the wildcard ends inside a label, so the rest of it goes too.
            let domain = match tail.strip_prefix('.') {
                Some(domain) => domain,
                None if tail.starts_with(|c: char| c.is_ascii_alphanumeric()) => tail,
                None => tail.split_once('.').map_or(tail, |(_, d)| d),
            };
            format!("*.{domain}")
        }
    };
    format!("{scheme}://{host}/*")
}

/// The page of the tab a frame is in (`top_url`, the tab's URL), when the frame (`frame_url`) is
/// on one of the frame domains of the platform whose console page that is
/// ([`crate::platforms::PlatformSpec::frame_domains`]): the frame is read as that page.
pub fn page_of_frame(frame_url: &str, top_url: &str, instances: &[Instance]) -> Option<String> {
    let frame_url = effective_url(frame_url);
    let host = without_port(host_of(&frame_url)).to_ascii_lowercase();
    let at = page_in(top_url, instances)?;
    let framed = crate::platforms::spec(at.platform)
        .frame_domains
        .iter()
        .any(|domain| {
            host.strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.'))
        });
    framed.then(|| top_url.to_string())
}

/// Every platform's consoles as browser match patterns, without repeats: the extension's host
/// permissions and content-script matches, with the domains that frame their pages.
pub fn manifest_matches() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for spec in PLATFORMS {
        for domain in spec.frame_domains {
            out.push(format!("https://*.{domain}/*"));
        }
        for console in spec.consoles {
            let mut patterns = vec![console.to_string()];
            for cell in spec.cells {
                patterns.extend(cell.patterns(console));
            }
            for pattern in patterns {
                let pattern = match_pattern(&pattern);
                if !out.contains(&pattern) {
                    out.push(pattern);
                }
            }
        }
    }
    out
}

/// The host (and port) of `url`, as written: what follows its scheme, up to its path, query,
/// fragment, or a space (a URL shown in a page's text may run on into words).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#', ' ']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_out_are_read_and_relative_ones_are_not() {
        let at = |text: &str| crate::timestamp::parse(text);
        assert_eq!(written_date("Mar 10, 2025"), at("2025-03-10"));
        assert_eq!(written_date("March 10, 2025"), at("2025-03-10"));
        assert_eq!(written_date("10 Sept 2025"), at("2025-09-10"));
        assert_eq!(written_date("3 Dec 2024"), at("2024-12-03"));
        assert_eq!(written_date("2025-03-10"), at("2025-03-10"));
        // The AWS console's.
        assert_eq!(
            written_date("December 03, 2025, 10:00 (UTC-05:00)"),
            at("2025-12-03T15:00:00Z")
        );
        assert_eq!(
            written_date("Dec 3, 2025, 10:00:30 PM (UTC)"),
            at("2025-12-03T22:00:30Z")
        );
        assert_eq!(
            written_date("Dec 3, 2025 12:15 AM"),
            at("2025-12-03T00:15:00Z")
        );
        for unread in [
            "Feb 30, 2025",
            "3 days ago",
            "Marmalade 10, 2025",
            "Dec 3, 2025, 25:00",
            "Dec 3, 2025, 13:00 PM",
            "Dec 3, 2025, 10:00 (UTC+99:00)",
            "Dec 3",
            "Ma 3, 2025",
        ] {
            assert_eq!(written_date(unread), None, "{unread}");
        }
    }

    #[test]
    fn a_frame_on_a_domain_that_draws_a_consoles_pages_is_read_as_its_tabs_page() {
        let top = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview";
        let frame = "https://sandbox-3.reactblade.portal.azure.net/Content/Dynamic/x.html";
        assert_eq!(page_of_frame(frame, top, &[]).as_deref(), Some(top));
        // In the test build, on the loopback address.
        let looped = "http://127.0.0.1:9/sandbox-3.reactblade.portal.azure.net/x.html";
        assert_eq!(page_of_frame(looped, top, &[]).as_deref(), Some(top));
        // Not on another host, nor in a tab on another console, nor a look-alike domain.
        assert_eq!(page_of_frame("https://evil.example/x", top, &[]), None);
        assert_eq!(
            page_of_frame(
                frame,
                "https://github.com/organizations/acme/settings/installations",
                &[]
            ),
            None
        );
        assert_eq!(
            page_of_frame("https://xreactblade.portal.azure.net/x", top, &[]),
            None
        );
        assert!(
            manifest_matches().contains(&"https://*.reactblade.portal.azure.net/*".to_string())
        );
    }

    #[test]
    fn slacks_own_hosts_are_no_workspace() {
        let (page, _, tenant) = page_for("https://acme.slack.com/apps/manage").unwrap();
        assert_eq!(
            (page.id, tenant.as_str()),
            ("slack.installed_apps_page", "acme")
        );
        for url in [
            "https://app.slack.com/apps-manage/T0123ABCD/integrations/installed",
            "https://api.slack.com/apps",
        ] {
            assert!(page_for(url).is_none(), "{url}");
        }
    }

    #[test]
    fn a_list_still_loading_is_told_from_an_empty_one_and_from_a_loading_cell() {
        let table = |body: &str| {
            format!(
                "<table><thead><tr><th>User name</th><th>Last activity</th></tr></thead><tbody>{body}</tbody></table>"
            )
        };
        assert!(still_loading(&table(
            r#"<tr><td colspan="2"><span>Loading users</span></td></tr>"#
        )));
        assert!(still_loading(r#"<div role="grid" aria-busy="true"></div>"#));
        assert!(!still_loading(&table(
            r#"<tr><td colspan="2">No users to display</td></tr>"#
        )));
        // One cell of a listed user still loading its own value: the list is read.
        assert!(!still_loading(&table(
            "<tr><td>ci-bot</td><td>Loading…</td></tr>"
        )));
        assert!(still_loading(&table(
            r#"<tr><td colspan="100%">Loading…</td></tr>"#
        )));
        // A grid whose rows name each identity in a row header is read.
        assert!(!still_loading(
            r#"<div role="grid" aria-busy="true"><div role="row"><div role="rowheader">ci</div><div role="gridcell">x</div></div></div>"#
        ));
        // Rows, and more loading after them: the list is read.
        assert!(!still_loading(&table(
            r#"<tr><td>ci-bot</td><td>2 days ago</td></tr><tr><td colspan="2">Loading more…</td></tr>"#
        )));
        assert!(!still_loading(&table(
            r#"<tr><td colspan="1">Loading</td></tr>"#
        )));
        assert!(!still_loading(
            r#"<div role="grid" aria-busy="true"><div role="row"><div role="gridcell">ci</div><div role="gridcell">x</div></div></div>"#
        ));
        assert!(!still_loading(
            r#"<table aria-busy="false"><tr><td>ci-bot</td></tr></table>"#
        ));
        // A widget beside the list still busy, before or after it: the list is read.
        let listed = table("<tr><td>ci-bot</td><td>2 days ago</td></tr>");
        let busy = r#"<div role="grid" aria-busy="true"></div>"#;
        assert!(!still_loading(&format!("{busy}\n{listed}")));
        assert!(!still_loading(&format!("{listed}\n{busy}")));
    }

    #[test]
    fn a_url_s_host_ends_at_its_path_query_fragment_or_a_space() {
        assert_eq!(
            host_of("https://gitlab.acme.io:8443/admin"),
            "gitlab.acme.io:8443"
        );
        assert_eq!(host_of("https://h.example?x=1"), "h.example");
        assert_eq!(host_of("https://h.example#top"), "h.example");
        assert_eq!(host_of("https://h.example (active)"), "h.example");
        assert_eq!(host_of("h.example/path"), "h.example");
    }

    #[test]
    fn loopback_urls_stand_for_the_host_in_their_first_segment() {
        assert_eq!(
            effective_url("http://127.0.0.1:8080/github.com/organizations/acme/settings/hooks"),
            "https://github.com/organizations/acme/settings/hooks"
        );
        assert_eq!(
            effective_url("http://127.0.0.1:9/graph.microsoft.com/v1.0/applications?$top=5"),
            "https://graph.microsoft.com/v1.0/applications?$top=5"
        );
        assert_eq!(
            effective_url("https://github.com/x"),
            "https://github.com/x"
        );
        assert_eq!(
            effective_url("http://127.0.0.1:8080/favicon.ico"),
            "http://127.0.0.1:8080/favicon.ico"
        );
    }

    #[test]
    fn console_patterns_become_browser_match_patterns() {
        for (console, expected) in [
            (
                "https://github.com/organizations/*/settings/hooks*",
                "https://github.com/*",
            ),
            (
                "https://*-admin.okta.com/admin/apps*",
                "https://*.okta.com/*",
            ),
            (
                "https://{tenant}.slack.com/apps/manage*",
                "https://*.slack.com/*",
            ),
            ("https://{tenant}-admin.okta.com/*", "https://*.okta.com/*"),
            (
                "https://*console.aws.amazon.com/iam/home*",
                "https://*.console.aws.amazon.com/*",
            ),
            (
                "https://*.my.salesforce.com/x",
                "https://*.my.salesforce.com/*",
            ),
            (
                "https://entra.microsoft.com/*#view/x",
                "https://entra.microsoft.com/*",
            ),
        ] {
            assert_eq!(match_pattern(console), expected, "{console}");
        }
        let all = manifest_matches();
        assert!(
            all.iter()
                .all(|m| m.starts_with("https://") && m.ends_with("/*"))
        );
        assert!(
            !all.iter()
                .any(|m| m.contains("<all_urls>") || m == "https://*/*")
        );
    }

    #[test]
    fn a_paginations_current_page() {
        let pagination = |current: u32, pages: u32| {
            let buttons: String = (1..=pages)
                .map(|n| {
                    format!(
                        r#"<li><button class="awsui_page-number" aria-label="Page {n} of all pages" aria-current="{}">{n}</button></li>"#,
                        n == current
                    )
                })
                .collect();
            format!(
                r#"<ul aria-label="Pagination"><li><button aria-label="Previous page">&lt;</button></li>{buttons}<li><button aria-label="Next page">&gt;</button></li></ul>"#
            )
        };
        let at = |html: &str| list_page(html);
        assert_eq!(at(&pagination(2, 3)), Some((1, "page 2".into())));
        assert_eq!(at(&pagination(1, 3)), Some((0, "page 1".into())));
        assert_eq!(
            at(r#"<a aria-current="page">4</a>"#),
            Some((3, "page 4".into()))
        );
        assert_eq!(at("<ul><li><button>1</button></li></ul>"), None);
        assert_eq!(at(r#"<button aria-current="true">next</button>"#), None);
        assert_eq!(at(""), None);
        // A range of rows, as Google's Admin console writes it.
        let range = |text: &str| {
            at(&format!(
                r#"<div role="navigation" aria-label="Pagination"><span>Rows per page:</span> <span>50</span> <span>{text}</span></div>"#
            ))
        };
        assert_eq!(
            range("1\u{2013}50 of 120"),
            Some((0, "rows 1\u{2013}50".into()))
        );
        assert_eq!(
            range("51 - 100 of 120"),
            Some((50, "rows 51\u{2013}100".into()))
        );
        assert_eq!(
            range("1,001\u{2013}1,050 of 2,000"),
            Some((1000, "rows 1001\u{2013}1050".into()))
        );
        assert_eq!(range("of 120"), None);
    }

    #[test]
    fn a_virtual_grid_scrolled_down_stands_at_its_first_row_drawn() {
        let grid = |heads: &[u32], rows: &[u32]| {
            let heads: String = heads
                .iter()
                .map(|i| format!(r#"<div role="row" aria-rowindex="{i}"><div role="columnheader">Name</div></div>"#))
                .collect();
            let rows: String = rows
                .iter()
                .map(|i| format!(r#"<div role="row" aria-rowindex="{i}"><div role="gridcell">u{i}</div></div>"#))
                .collect();
            format!(r#"<div role="grid" aria-rowcount="40">{heads}{rows}</div>"#)
        };
        let window = |place, rows, count| Some(GridWindow { place, rows, count });
        // Its header (row 1) stays drawn above rows 12 to 20: the 11th user is first.
        assert_eq!(grid_window(&grid(&[1], &[12, 13, 20])), window(10, 3, 39));
        // Two header rows (a row of column groups above the columns): the users start at row 3.
        assert_eq!(grid_window(&grid(&[1, 2], &[3, 4])), window(0, 2, 38));
        // No header drawn: the first row is taken for it.
        assert_eq!(grid_window(&grid(&[], &[1, 2, 3])), window(0, 2, 39));
        // No row past the header, or no row count.
        assert_eq!(grid_window(&grid(&[1], &[])), None);
        assert_eq!(
            grid_window(r#"<table><tr aria-rowindex="9"><td>u</td></tr></table>"#),
            None
        );
        // Two grids in one region: whose rows were read is not known.
        let two = format!("{}{}", grid(&[1], &[5]), grid(&[1], &[2]));
        assert_eq!(grid_window(&two), None);
        // Rows of another table beside the grid are not its rows.
        let beside = format!(
            r#"{}<table><tr aria-rowindex="2"><td>other</td></tr></table>"#,
            grid(&[1], &[12, 13])
        );
        assert_eq!(grid_window(&beside), window(10, 2, 39));
    }

    #[test]
    fn every_other_page_of_a_console_is_elsewhere_for_its_tenant() {
        let read = |url: &str| {
            let at = page_in(url, &[])?;
            let plan = plan_for(url).unwrap();
            assert_eq!(plan.known_only, at.page.id == ELSEWHERE.id, "{url}");
            Some((at.page.id, plan.tenant))
        };
        let elsewhere = |tenant: &str| Some(("elsewhere", tenant.to_string()));
        for (url, expected) in [
            (
                "https://github.com/organizations/acme/settings/audit-log",
                elsewhere("github:acme"),
            ),
            (
                "https://github.com/organizations/acme/settings",
                elsewhere("github:acme"),
            ),
            (
                "https://github.com/acme/web/settings/installations",
                elsewhere("github:acme"),
            ),
            (
                "https://github.com/organizations/acme/settings/installations",
                Some(("github.installations_page", "github:acme".into())),
            ),
            (
                "https://acme-admin.okta.com/report/system_log_2",
                elsewhere("okta:acme"),
            ),
            (
                "https://gitlab.com/groups/acme/sub/-/settings/ci_cd",
                elsewhere("gitlab:acme"),
            ),
            (
                "https://admin.atlassian.com/o/acme/users",
                elsewhere("atlassian:acme"),
            ),
            // A Salesforce sandbox or Developer Edition org is an org of its own.
            (
                "https://acme--uat.sandbox.my.salesforce.com/identity/app/connectedAppsUsage.apexp",
                Some(("salesforce.oauth_usage_page", "salesforce:acme--uat".into())),
            ),
            (
                "https://acme-dev-ed.develop.lightning.force.com/lightning/setup/Users/home",
                elsewhere("salesforce:acme-dev-ed"),
            ),
            // A Google admin signed in to several accounts.
            (
                "https://admin.google.com/u/1/ac/owl/domainwidedelegation",
                Some((
                    "google.domain_wide_delegation",
                    "google:admin.google.com".into(),
                )),
            ),
            (
                "https://admin.google.com/u/1/ac/users",
                elsewhere("google:admin.google.com"),
            ),
            // A GitLab namespace may hold dots.
            (
                "https://gitlab.com/groups/acme.io/-/settings/access_tokens",
                Some(("gitlab.group_access_tokens_page", "gitlab:acme.io".into())),
            ),
            (
                "https://gitlab.com/acme.io/web.site/-/settings/access_tokens",
                Some(("gitlab.project_access_tokens_page", "gitlab:acme.io".into())),
            ),
            (
                "https://app.snowflake.com/org/acme/#/data/databases",
                elsewhere("snowflake:org/acme"),
            ),
            // A repository's code, a profile, a project: not a console.
            ("https://github.com/acme/web/pulls", None),
            ("https://github.com/acme/web/blob/main/settings/x.py", None),
            ("https://github.com/acme/web/tree/main/settings", None),
            (
                "https://github.com/orgs/acme/projects/5/settings/fields/1",
                None,
            ),
            ("https://github.com/acme", None),
            // GitHub's own paths are no account's: an enterprise's settings are not read.
            ("https://github.com/enterprises/acme/settings", None),
            (
                "https://github.com/enterprises/acme/settings/audit-log",
                None,
            ),
            ("https://gitlab.com/explore/x/-/settings/y", None),
            // An Okta preview org's, apart from its production org's.
            (
                "https://acme-admin.oktapreview.com/admin/apps",
                Some((
                    "okta.other_admin_pages",
                    "okta:acme@oktapreview.com".to_string(),
                )),
            ),
        ] {
            assert_eq!(read(url), expected, "{url}");
        }
        // Its rows are every kind the platform's own pages know.
        let rows = |url: &str| plan_for(url).unwrap().rows;
        assert_eq!(
            rows("https://github.com/organizations/acme/settings/audit-log"),
            "tr, [role=row], li, [role=listitem], .Box-row, .Subhead"
        );
        assert!(
            rows("https://acme-admin.okta.com/report/system_log_2")
                .ends_with(", [data-se=app-instance-header]")
        );
        // Every page's selector splits into whole selectors at its commas.
        for spec in crate::platforms::PLATFORMS {
            for page in spec.pages {
                assert!(!page.rows.contains(['(', '"', '\'']), "{}", page.id);
            }
        }
        // On an instance too, keyed by its host.
        let corp = [Instance {
            platform: Platform::Gitlab,
            host: "gitlab.corp.example".into(),
        }];
        let at = page_in(
            "https://gitlab.corp.example/groups/acme/-/settings/ci_cd",
            &corp,
        );
        assert_eq!(
            at.map(|a| (a.page.id, a.tenant)),
            Some(("elsewhere", "acme@gitlab.corp.example".to_string()))
        );
    }

    #[test]
    fn saved_pages_name_their_url() {
        let html = snapshot_input(
            "http://127.0.0.1:1/github.com/organizations/acme/settings/hooks",
            "<table></table>",
        );
        assert_eq!(
            saved_from(&html),
            Some("https://github.com/organizations/acme/settings/hooks")
        );
        assert_eq!(
            saved_from("<!-- saved from url=(0022)https://a-b.example/x-y -->\n<p>"),
            Some("https://a-b.example/x-y")
        );
        assert_eq!(saved_from("<html><!-- saved from url=(1)x -->"), None);
        assert_eq!(saved_from("<!-- saved from url=(0000) -->"), None);
    }

    #[test]
    fn a_snapshot_the_extension_read_names_when_in_its_first_line_only() {
        let at = crate::timestamp::parse("2026-11-29T12:00:00Z").unwrap();
        let url = "http://127.0.0.1:1/github.com/organizations/acme/settings/hooks";
        let html = snapshot_input_read_at(url, at, "<table></table>");
        assert_eq!(
            saved_from(&html),
            Some("https://github.com/organizations/acme/settings/hooks")
        );
        assert_eq!(read_at(&html), Some(at));
        // A page a browser saved names no time; the page's own markup cannot name one.
        assert_eq!(read_at(&snapshot_input(url, "<table></table>")), None);
        let planted = snapshot_input(url, "<!-- x read-at=2020-01-01T00:00:00Z -->");
        assert_eq!(read_at(&planted), None);
    }

    const SESSION: &str = r#"<meta name="awsc-session-data" content="{&quot;accountId&quot;:&quot;1234-5678-9012&quot;,&quot;sessionARN&quot;:&quot;arn:aws:sts::123456789012:assumed-role/Admin/jane&quot;}">"#;

    #[test]
    fn an_aws_page_is_keyed_by_the_account_its_session_names() {
        let plan = plan_for("https://us-east-1.console.aws.amazon.com/iam/home#/users").unwrap();
        // Before the page is read, the host is all there is.
        assert_eq!(plan.tenant, "aws:us-east-1.console.aws.amazon.com");
        let region = plan
            .regions
            .iter()
            .find(|r| r.name == TENANT_REGION)
            .expect("the plan snapshots the session meta tag");
        assert!(region.every_capture && !region.required);
        assert_eq!(
            tenant_key(
                Platform::Aws,
                "us-east-1.console.aws.amazon.com",
                Some(SESSION),
                None
            ),
            "aws:123456789012"
        );
        // A region naming no account, or none at all, keeps the host.
        for in_page in [
            None,
            Some("<meta name=\"awsc-session-data\" content=\"{}\">"),
        ] {
            assert_eq!(
                tenant_key(Platform::Aws, "console.aws.amazon.com", in_page, None),
                "aws:console.aws.amazon.com"
            );
        }
    }

    #[test]
    fn an_account_a_partitions_page_names_is_its_inventory_as_before() {
        // Accounts are numbered apart in every partition: a GovCloud account's key takes no
        // domain (an Entra directory's display name does, in a national cloud).
        let url = "https://console.amazonaws-us-gov.com/iam/home?region=us-gov-west-1#/users";
        let at = page_in(url, &[]).unwrap();
        assert!(matches!(at.on, Some(On::Cell(..))));
        assert_eq!(at.tenant_key(Some(SESSION)), "aws:123456789012");
        assert_eq!(at.tenant_key(None), "aws:console.amazonaws-us-gov.com");
    }

    #[test]
    fn only_platforms_that_name_their_tenant_in_the_page_read_one_there() {
        // A GitHub page's org comes from its URL whatever the page says.
        assert_eq!(
            tenant_key(Platform::Github, "Acme", Some(SESSION), None),
            "github:acme"
        );
        let plan = plan_for("https://github.com/organizations/acme/settings/hooks").unwrap();
        assert!(plan.regions.iter().all(|r| !r.every_capture));
    }

    #[test]
    fn a_tenant_named_in_a_page_is_a_plain_label() {
        for plain in [
            "123456789012",
            "acme-prod.eu_1",
            "müller-ag",
            "株式会社",
            "contoso-日本",
        ] {
            assert!(is_plain_label(plain), "{plain}");
        }
        for hostile in [
            "",
            "a:b",
            "a b",
            "../x",
            "<img>",
            "acme\u{202e}gpj",
            "a\u{200b}b",
            "a\u{3000}b",
            &"9".repeat(65),
            &"ü".repeat(65),
        ] {
            assert!(!is_plain_label(hostile), "{hostile}");
        }
    }

    #[test]
    fn no_page_region_takes_the_tenant_regions_name() {
        for spec in PLATFORMS {
            for page in spec.pages {
                assert!(
                    page.regions.iter().all(|r| r.name != TENANT_REGION),
                    "{}",
                    page.id
                );
            }
        }
    }
}
