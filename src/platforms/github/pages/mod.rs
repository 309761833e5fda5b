//! The github.com settings pages the extension reads while the admin browses them.
//!
//! github.com renders these pages on the server and `api.github.com` does not take the web
//! session, so each page is read from its DOM: the content script snapshots the page's `main`
//! element, and the HTML format of the same ID as the page reads that snapshot (or a page saved
//! by hand, which starts with the same `<!-- saved from url=… -->` line).
//!
//! What the readers rely on, and how sure that is (sources in `reference/platforms.md` §1.7 and in
//! each page's module):
//! - the page URLs and the links to each object's own settings page
//!   (`/organizations/{org}/settings/installations/{installation id}`,
//!   `/personal-access-tokens/{grant id}`): observed, and the IDs are the REST IDs; the OAuth app
//!   policy page's URL is observed, but its links to each app
//!   (`/oauth_application_policy/{id}`) are inferred, and no REST endpoint lists those apps;
//! - `<relative-time datetime="…">` for dates (GitHub's own custom element, absolute ISO 8601 in
//!   its `datetime` attribute): observed;
//! - Primer's `Box-row` rows and `blankslate` empty states: Primer CSS is GitHub's published
//!   design system, but the markup of these settings lists is not public, so rows are found by
//!   their links rather than by class names, and a page without rows is only "empty" when it
//!   says so in its own empty-state sentence (a blankslate may be another list's on the page).
//!
//! A list page that shows neither a row nor an empty-state message is reported as changed
//! ("the page changed: …"), never as "nothing here". An installed App's Configure page is read
//! for its permissions and repository access ([`installation`]). Other pages under the same URL
//! pattern (a webhook's edit page, the token policy page, an OAuth app's review page) are not
//! lists: they read as nothing, without an error.

pub(super) mod actions_secrets;
pub(super) mod deploy_keys;
pub(super) mod hooks;
pub(super) mod installation;
pub(super) mod installations;
pub(super) mod oauth_apps;
pub(super) mod personal_access_token_requests;
pub(super) mod personal_access_tokens;

use scraper::{ElementRef, Html, Node, Selector};

use crate::console::{self, ConsolePage, Region};
use crate::ingest::probe::strip_bom;
use crate::ingest::{Input, Problems};
use crate::model::{LastUse, Precision, Timestamp, Usage};

/// Every github.com page the extension reads. The organisation pages come first: the first page
/// whose pattern matches a URL wins, and the deploy-key pattern (`/{owner}/{repo}/settings/keys*`)
/// must never claim one of them; an installation's own page comes before the list's, whose
/// pattern holds it.
pub(super) const PAGES: [ConsolePage; 8] = [
    installation::PAGE,
    installations::PAGE,
    personal_access_tokens::PAGE,
    personal_access_token_requests::PAGE,
    hooks::PAGE,
    actions_secrets::PAGE,
    oauth_apps::PAGE,
    deploy_keys::PAGE,
];

/// Row-like elements on github.com: the generic rows plus Primer's `Box-row`, which GitHub also
/// puts on `div`s.
pub(super) const ROWS: &str = "tr, [role=row], li, [role=listitem], .Box-row";

/// The one region every page snapshots: the page's `main` landmark, which holds the settings
/// list (and the settings menu). github.com renders it on the server, so it is there when the
/// page settles; the reader decides whether the list inside it still looks as expected.
pub(super) const REGIONS: &[Region] = &[Region {
    name: "content",
    selector: "main",
    required: true,
    limit: None,
    early: false,
}];

/// Elements that hold one object each: a row of a list or a table.
const ROW_LIKE: &str = ".Box-row, [role=row], tr, .listgroup-item";
/// A list item is a row only when no row above encloses the link: a row may hold a small list of
/// its own (an action menu). An ARIA list item is one too (a list redrawn as cards).
const LIST_ITEM: &str = "li, [role=listitem]";
/// Parts of a page that are not its list: the settings menu and side panels, whose links may
/// be shaped like a row's (a menu entry straight to one App's installation).
const ELSEWHERE: &str = "nav, aside, [role=navigation], [role=complementary]";
/// GitHub's time elements, each with an absolute ISO 8601 `datetime` attribute.
const TIME: &str = "relative-time, local-time, time-ago, time";
/// A user link: GitHub marks links to people for its hovercards.
const USER_LINK: &str = "[data-hovercard-type=user]";

fn selector(css: &str) -> Selector {
    crate::html::selector(css).expect("the page selectors are valid CSS")
}

/// A page snapshot: where it was taken and its document.
pub(super) struct Snapshot {
    /// The page's URL, from the `saved from url` line.
    pub url: String,
    /// The URL's path segments, percent-decoded (`["organizations", "acme", "settings", …]`).
    pub segments: Vec<String>,
    pub document: Html,
}

impl Snapshot {
    /// The snapshot in `input`, with the page URL from its `saved from url` line.
    pub fn read(input: &Input) -> Result<Snapshot, String> {
        let text = String::from_utf8_lossy(strip_bom(input.bytes));
        let url = console::saved_from(&text)
            .ok_or(
                "the snapshot does not say which page it was taken on (no `saved from url` line)",
            )?
            .to_string();
        let segments = path_segments(&url).unwrap_or_default();
        Ok(Snapshot {
            url,
            segments,
            document: crate::html::document(&text),
        })
    }

    /// The path segments after `prefix` (matched without regard to case), or `None` when the
    /// path does not start with it. `*` in `prefix` matches any one segment.
    pub fn after(&self, prefix: &[&str]) -> Option<&[String]> {
        let head = self.segments.get(..prefix.len())?;
        head.iter()
            .zip(prefix)
            .all(|(s, p)| *p == "*" || s.eq_ignore_ascii_case(p))
            .then(|| &self.segments[prefix.len()..])
    }

    /// Rows linking to `/organizations/{org}/settings/{list}/{id}`, keyed by the numeric ID.
    pub fn settings_rows(&self, notes: &mut impl Problems, list: &str, what: &str) -> Vec<Row<'_>> {
        self.rows_by_link(notes, what, |path| match path {
            [o, _, s, l, id]
                if o.eq_ignore_ascii_case("organizations")
                    && s.eq_ignore_ascii_case("settings")
                    && l.eq_ignore_ascii_case(list)
                    && numeric(id) =>
            {
                Some(id.clone())
            }
            _ => None,
        })
    }

    /// Rows holding a link (`a href`, `form action`, `button formaction`) whose path `key_of`
    /// turns into the object's key, in page order: one row per element, keyed by its first
    /// link. A row linking to two different objects is reported and skipped; a link in a menu or
    /// a side panel ([`ELSEWHERE`]) is no row's.
    pub fn rows_by_link(
        &self,
        notes: &mut impl Problems,
        what: &str,
        key_of: impl Fn(&[String]) -> Option<String>,
    ) -> Vec<Row<'_>> {
        let links = selector("a[href], form[action], button[formaction]");
        let elsewhere = selector(ELSEWHERE);
        let mut rows: Vec<Row<'_>> = Vec::new();
        let mut ambiguous: Vec<ElementRef<'_>> = Vec::new();
        for link in self.document.select(&links) {
            let target = link
                .attr("href")
                .or_else(|| link.attr("action"))
                .or_else(|| link.attr("formaction"))
                .unwrap_or("");
            let Some(key) = link_path(target).and_then(|path| key_of(&path)) else {
                continue;
            };
            if link
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| elsewhere.matches(&a))
            {
                continue;
            }
            let Some(element) = row_of(link) else {
                continue;
            };
            match rows.iter().position(|r| r.element == element) {
                Some(at) if rows[at].key != key => {
                    if !ambiguous.contains(&element) {
                        ambiguous.push(element);
                        notes.problem(format!(
                            "{what} row {}: it links to both {} and {key}; skipped",
                            at + 1,
                            rows[at].key
                        ));
                    }
                }
                Some(_) => {}
                None => rows.push(Row { element, key }),
            }
        }
        rows.retain(|r| !ambiguous.contains(&r.element));
        // The same object twice (a snapshot holding a list twice) is one row.
        let mut seen: Vec<String> = Vec::new();
        rows.retain(|r| {
            let new = !seen.contains(&r.key);
            seen.push(r.key.clone());
            new
        });
        rows
    }

    /// Whether the page says the list is empty: one of `phrases` (lower case) in the text it
    /// shows. A blankslate alone is not enough: it may be another list's (the installations page
    /// draws pending requests' too).
    pub fn says_empty(&self, phrases: &[&str]) -> bool {
        // What the page shows: an empty state it keeps hidden says nothing.
        let text = normalize(&crate::html::shown_text(self.document.root_element()));
        phrases.iter().any(|p| text.contains(p))
    }
}

/// `Ok` when the page was read: it had rows, said it was empty, or is not a list page.
/// Otherwise the list is gone or redrawn: the page changed.
pub(super) fn finish(
    snapshot: &Snapshot,
    rows: usize,
    is_list: bool,
    empty_phrases: &[&str],
    what: &str,
) -> Result<(), String> {
    if rows > 0 || !is_list || snapshot.says_empty(empty_phrases) {
        Ok(())
    } else {
        Err(format!(
            "the page changed: no {what} rows and no empty-state message found on {}",
            snapshot.url
        ))
    }
}

/// One object's row.
pub(super) struct Row<'a> {
    pub element: ElementRef<'a>,
    /// What the link named (an ID or a secret's name).
    pub key: String,
}

impl<'a> Row<'a> {
    /// The first element matching `css` with some text, and that text (white space collapsed).
    pub fn first_text(&self, css: &str) -> Option<(ElementRef<'a>, String)> {
        self.first_text_but(css, &[])
    }

    /// [`Row::first_text`], passing over elements that say only one of `actions` (a
    /// "Configure" link to the same place as the name's) and those that are or hold a link to a
    /// person (a publisher's login in bold is not the object's name).
    pub fn first_text_but(&self, css: &str, actions: &[&str]) -> Option<(ElementRef<'a>, String)> {
        let people = self.people();
        self.element
            .select(&selector(css))
            .filter(|e| {
                !people
                    .iter()
                    .any(|p| p == e || p.ancestors().any(|a| a.id() == e.id()))
            })
            .map(|e| (e, collapse(&e.text().collect::<String>())))
            .find(|(_, text)| {
                !text.is_empty() && !actions.iter().any(|a| text.eq_ignore_ascii_case(a))
            })
    }

    /// The row's text and times in page order, leaving out `skip` (the name, which is the
    /// admin's text and may say anything).
    pub fn tokens(&self, skip: Option<ElementRef<'a>>) -> Vec<Token> {
        self.tokens_without(skip.as_slice())
    }

    /// The row's text and times in page order, leaving out each of `skip` (the name, and the
    /// people named in the row, whose logins may spell anything the row's own words do).
    pub fn tokens_without(&self, skip: &[ElementRef<'a>]) -> Vec<Token> {
        let mut out = Vec::new();
        let time = selector(TIME);
        walk(self.element, skip, &time, &mut out);
        out
    }

    /// A person's login shown in the row: a user link (GitHub's hovercard marker, or a link to
    /// a profile `/{login}`), other than `skip`.
    pub fn user(&self, skip: Option<ElementRef<'a>>) -> Option<String> {
        let not_skipped = |e: &ElementRef<'a>| skip != Some(*e);
        let marked = self
            .element
            .select(&selector(USER_LINK))
            .filter(not_skipped)
            .find_map(|e| person(&e, true));
        marked.or_else(|| {
            self.element
                .select(&selector("a[href]"))
                .filter(not_skipped)
                .find_map(|e| e.attr("href").and_then(profile_login))
        })
    }

    /// The login linked right after `words` (lower case, as words of their own: "requested by"),
    /// leaving out each of `skip` and its text: the person the row names in that role, and no
    /// other (a publisher's or an approver's link elsewhere in the row is not them).
    pub fn user_after(&self, words: &str, skip: &[ElementRef<'a>]) -> Option<String> {
        let marked = selector(USER_LINK);
        let mut said = String::new();
        for node in self.element.descendants() {
            let left_out = std::iter::once(node)
                .chain(node.ancestors())
                .filter_map(ElementRef::wrap)
                .any(|e| skip.contains(&e) || matches!(e.value().name(), "script" | "style"));
            if left_out {
                continue;
            }
            if let Node::Text(text) = node.value() {
                said.push_str(text);
                continue;
            }
            let Some(e) = ElementRef::wrap(node) else {
                continue;
            };
            if let Some(person) = person(&e, marked.matches(&e)) {
                let before = normalize(&said);
                let before = before.trim_end_matches([':', ' ']);
                if before
                    .strip_suffix(words)
                    .is_some_and(|head| !head.ends_with(|c: char| c.is_alphanumeric()))
                {
                    return Some(person);
                }
            }
        }
        None
    }

    /// The links to people in the row: the elements [`Row::user`] reads logins from.
    pub fn people(&self) -> Vec<ElementRef<'a>> {
        let marked = selector(USER_LINK);
        self.element
            .select(&selector("[data-hovercard-type], a[href]"))
            .filter(|e| marked.matches(e) || e.attr("href").and_then(profile_login).is_some())
            .collect()
    }

    /// The elements whose text someone wrote rather than the page: the object's `name` and the
    /// people's logins. They may spell anything (`disabled-bot`), so a status or a time is never
    /// read from them.
    pub fn written_by_others(&self, name: Option<ElementRef<'a>>) -> Vec<ElementRef<'a>> {
        let mut others = self.people();
        others.extend(name);
        others
    }

    /// The `aria-label`s and titles of the row's icons and labels, lower case, leaving out
    /// `skip` (the admin's text) and what is inside it.
    pub fn labels(&self, skip: Option<ElementRef<'a>>) -> String {
        let mut out = String::new();
        let inside_skip = |e: &ElementRef<'a>| {
            skip.is_some_and(|s| {
                s == *e || e.ancestors().filter_map(ElementRef::wrap).any(|a| a == s)
            })
        };
        for e in self
            .element
            .select(&selector("[aria-label], [title], .Label"))
            .filter(|e| !inside_skip(e))
        {
            for text in [e.attr("aria-label"), e.attr("title")]
                .into_iter()
                .flatten()
            {
                out.push_str(&normalize(text));
                out.push(' ');
            }
            if e.value().classes().any(|c| c == "Label") {
                out.push_str(&normalize(&e.text().collect::<String>()));
                out.push(' ');
            }
        }
        out
    }
}

fn walk<'a>(
    element: ElementRef<'a>,
    skip: &[ElementRef<'a>],
    time: &Selector,
    out: &mut Vec<Token>,
) {
    for child in element.children() {
        if let Some(e) = ElementRef::wrap(child) {
            if skip.contains(&e) {
                continue;
            }
            if matches!(e.value().name(), "script" | "style" | "template") {
                continue;
            }
            if time.matches(&e)
                && let Some(at) = e.attr("datetime")
            {
                out.push(Token::Time(at.trim().to_string()));
                continue;
            }
            walk(e, skip, time, out);
        } else if let Node::Text(text) = child.value() {
            out.push(Token::Text(text.to_string()));
        }
    }
}

/// A piece of a row: text, or a time element's `datetime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Text(String),
    Time(String),
}

/// The text of `tokens`, lower case with white space collapsed and curly quotes made straight.
pub(super) fn text_of(tokens: &[Token]) -> String {
    let joined: String = tokens
        .iter()
        .map(|t| match t {
            Token::Text(s) => s.as_str(),
            Token::Time(_) => " ",
        })
        .collect();
    normalize(&joined)
}

/// Every label a time element has on GitHub's pages (lower case), for [`time_labelled`] to tell
/// whose a time is.
const TIME_LABELS: &[&str] = &[
    "added",
    "created",
    "request",
    "submitted",
    "expire",
    "last used",
    "updated",
];

/// The `datetime` of the first time element whose label is one of `labels` (lower case; each
/// among [`TIME_LABELS`]): `Last used <relative-time …>`. A time's label is the one written
/// nearest before it, after any `·` or `|` between them: in `Last used within the last week ·
/// Expires on <relative-time>` the time is the expiry, and the last use (a bucket, not a time)
/// has none.
pub(super) fn time_labelled(tokens: &[Token], labels: &[&str]) -> Option<String> {
    let mut label = String::new();
    for token in tokens {
        match token {
            Token::Text(text) => label.push_str(text),
            Token::Time(at) => {
                let said = normalize(&label);
                let said = said.rsplit(['·', '|', '•']).next().unwrap_or_default();
                let nearest = TIME_LABELS
                    .iter()
                    .filter_map(|l| said.rfind(l).map(|at| (at + l.len(), l.len(), *l)))
                    .max()
                    .map(|(_, _, l)| l);
                if nearest.is_some_and(|l| labels.contains(&l)) {
                    return Some(at.clone());
                }
                label.clear();
            }
        }
    }
    None
}

/// The date written after `label` in `text` as GitHub spells it (`Added on Mar 3, 2026`), or day
/// first (`Added on 3 Mar 2026`), at midnight UTC. The page shows the day only.
pub(super) fn date_after(text: &str, label: &str) -> Option<Timestamp> {
    let at = text.find(label)? + label.len();
    let mut words = text[at..].split_whitespace();
    let (first, second) = (words.next()?, words.next()?);
    let year = words
        .next()?
        .trim_end_matches(|c: char| !c.is_ascii_digit());
    crate::console::written_date(&format!("{first} {second} {year}"))
}

/// Last use as a row shows it: `Never used`, `Last used <relative-time datetime>`, or a
/// bucket (`Last used within the last week`) that the model cannot hold without knowing when
/// the page was drawn: not loaded.
pub(super) fn last_use(
    notes: &mut impl Problems,
    record: &str,
    tokens: &[Token],
    text: &str,
) -> Usage {
    if text.contains("never used") || text.contains("has never been used") {
        return Usage::Never {
            source: "page: Never used".into(),
        };
    }
    match time_labelled(tokens, &["last used"]) {
        Some(at) => match notes.time(record, "last used", Some(&at)) {
            Some(at) => Usage::Used(LastUse {
                at,
                source: "page: Last used".into(),
                precision: Precision::Exact,
            }),
            None => Usage::NotLoaded,
        },
        None => Usage::NotLoaded,
    }
}

pub(super) use crate::text::{collapse, normalize};

/// The nearest row around `element`: a Primer row, an ARIA row or a table row, else a list item.
fn row_of(element: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let rows = selector(ROW_LIKE);
    let items = selector(LIST_ITEM);
    let ancestors =
        || std::iter::once(element).chain(element.ancestors().filter_map(ElementRef::wrap));
    ancestors()
        .find(|a| rows.matches(a))
        .or_else(|| ancestors().find(|a| items.matches(a)))
}

/// The path segments of a URL (`https://github.com/a/b?x`), percent-decoded.
pub(super) fn path_segments(url: &str) -> Option<Vec<String>> {
    let rest = url.split_once("://")?.1;
    let path = rest.find('/').map_or("", |at| &rest[at..]);
    link_path(path)
}

/// The path segments of a link on a github.com page: an absolute path (`/organizations/…`) or a
/// github.com URL. The loopback form of the mock consoles (`/github.com/organizations/…`) counts
/// as the path after the host. Relative links are not followed.
fn link_path(target: &str) -> Option<Vec<String>> {
    let target = target.trim();
    let path = if let Some((_, rest)) = target.split_once("://") {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = host.rsplit('@').next().unwrap_or(host);
        let host = host.split(':').next().unwrap_or(host);
        if !host.eq_ignore_ascii_case("github.com") && !is_loopback(host) {
            return None;
        }
        path
    } else if target.starts_with('/') && !target.starts_with("//") {
        target
    } else {
        return None;
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    if segments
        .first()
        .is_some_and(|s| s.eq_ignore_ascii_case("github.com"))
    {
        segments.remove(0);
    }
    Some(segments)
}

fn is_loopback(host: &str) -> bool {
    host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")
}

/// The person an element names: its profile link's login, or, where it is `marked` as a person
/// ([`USER_LINK`]), the login its text spells.
fn person(e: &ElementRef, marked: bool) -> Option<String> {
    e.attr("href").and_then(profile_login).or_else(|| {
        marked
            .then(|| login(&collapse(&e.text().collect::<String>())))
            .flatten()
    })
}

/// The login of a profile link (`/octocat`, `https://github.com/octocat`).
fn profile_login(href: &str) -> Option<String> {
    match link_path(href)?.as_slice() {
        [one] => login(one),
        _ => None,
    }
}

/// GitHub's top-level paths that are not people.
const NOT_LOGINS: &[&str] = &[
    "organizations",
    "orgs",
    "settings",
    "apps",
    "marketplace",
    "features",
    "login",
    "logout",
    "notifications",
    "new",
    "about",
    "pricing",
    "enterprise",
    "sponsors",
    "site",
    "contact",
    "explore",
    "topics",
];

/// `text` as a GitHub login: letters, digits and single hyphens, at most 39, not a reserved path.
pub(super) fn login(text: &str) -> Option<String> {
    let text = text.trim().trim_start_matches('@');
    let ok = !text.is_empty()
        && text.len() <= 39
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !text.starts_with('-')
        && !NOT_LOGINS.iter().any(|n| n.eq_ignore_ascii_case(text));
    ok.then(|| text.to_string())
}

/// Whether `segment` is a GitHub numeric ID.
pub(super) fn numeric(segment: &str) -> bool {
    !segment.is_empty() && segment.len() <= 20 && segment.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the rest of a page's path (after its list path) is the list itself, not one object's
/// page.
pub(super) fn is_list(rest: Option<&[String]>, list: &[&str]) -> bool {
    rest.is_some_and(|rest| {
        rest.len() == list.len()
            && rest
                .iter()
                .zip(list)
                .all(|(s, l)| s.eq_ignore_ascii_case(l))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_paths_on_github_only() {
        assert_eq!(
            link_path("/organizations/acme/settings/hooks/12?x#y"),
            Some(vec![
                "organizations".into(),
                "acme".into(),
                "settings".into(),
                "hooks".into(),
                "12".into()
            ])
        );
        assert_eq!(
            link_path("https://github.com/acme/payments/settings/keys/7"),
            link_path("/acme/payments/settings/keys/7")
        );
        assert_eq!(
            link_path("/github.com/acme"),
            Some(vec!["acme".to_string()])
        );
        assert_eq!(link_path("https://evil.example/organizations/acme"), None);
        assert_eq!(link_path("//evil.example/x"), None);
        assert_eq!(link_path("?page=2"), None);
        assert_eq!(
            link_path("/x/A%20B"),
            Some(vec!["x".to_string(), "A B".to_string()])
        );
    }

    #[test]
    fn logins_are_github_logins() {
        assert_eq!(login("@octo-cat").as_deref(), Some("octo-cat"));
        assert_eq!(login("settings"), None);
        assert_eq!(login("<img src=x>"), None);
        assert_eq!(profile_login("/octocat").as_deref(), Some("octocat"));
        assert_eq!(profile_login("/acme/payments"), None);
    }

    #[test]
    fn the_user_after_a_phrase_is_only_the_one_linked_right_after_it() {
        let html = Html::parse_fragment(
            r#"<ul><li class="Box-row"><strong>requested by</strong>
               <a href="/name-link">x</a> by <a href="/octo-org">octo-org</a>,
               approved by <a data-hovercard-type="user" href="/ops">ops</a> ·
               <span>Requested by</span>
               <a data-hovercard-type="user" href="/monalisa">@monalisa</a></li></ul>"#,
        );
        let element = html.select(&selector("li")).next().unwrap();
        let row = Row {
            element,
            key: "1".into(),
        };
        let name = html.select(&selector("strong")).next().unwrap();
        assert_eq!(
            row.user_after("requested by", &[name]).as_deref(),
            Some("monalisa")
        );
        assert_eq!(
            row.user_after("approved by", &[name]).as_deref(),
            Some("ops")
        );
        assert_eq!(row.user_after("owned by", &[name]), None);
        // Without the name left out, its words would name the link after it.
        assert_eq!(
            row.user_after("requested by", &[]).as_deref(),
            Some("name-link")
        );
    }

    #[test]
    fn dates_written_out_are_read_to_the_day() {
        let at = date_after("added on mar 3, 2026 by octocat", "added on").unwrap();
        assert_eq!(crate::timestamp::format(at), "2026-03-03T00:00:00Z");
        assert_eq!(
            date_after("added on september 30, 2025", "added on").map(crate::timestamp::format),
            Some("2025-09-30T00:00:00Z".into())
        );
        // Day first, as pages in British English write it.
        assert_eq!(
            date_after("added on 3 mar 2026 by octocat", "added on").map(crate::timestamp::format),
            Some("2026-03-03T00:00:00Z".into())
        );
        assert_eq!(
            date_after("added on 30 september 2025.", "added on").map(crate::timestamp::format),
            Some("2025-09-30T00:00:00Z".into())
        );
        assert_eq!(date_after("added on 3 3 2026", "added on"), None);
        assert_eq!(date_after("added on yesterday", "added on"), None);
        assert_eq!(date_after("added on feb 30, 2025", "added on"), None);
        // The page's text, never cut inside a character: a month of two-byte letters is none.
        assert_eq!(date_after("x added on éé 3, 2025", "added on"), None);
        assert_eq!(date_after("added on mé 3, 2025", "added on"), None);
    }

    #[test]
    fn times_are_found_by_their_label() {
        let tokens = vec![
            Token::Text("Owned by x · Expires on ".into()),
            Token::Time("2027-01-01T00:00:00Z".into()),
            Token::Text(" · Last used ".into()),
            Token::Time("2026-11-20T00:00:00Z".into()),
        ];
        assert_eq!(
            time_labelled(&tokens, &["last used"]).as_deref(),
            Some("2026-11-20T00:00:00Z")
        );
        assert_eq!(
            time_labelled(&tokens, &["expire"]).as_deref(),
            Some("2027-01-01T00:00:00Z")
        );
        assert_eq!(time_labelled(&tokens, &["updated"]), None);

        // A bucket of last use (no time) before an expiry: the time is the expiry's alone,
        // with or without a separator between them.
        for label in [
            "Owned by x · Last used within the last week · Expires on ",
            "Owned by x Last used within the last week Expires on ",
            "Requested by x 3 days ago · Expires on ",
        ] {
            let tokens = vec![
                Token::Text(label.into()),
                Token::Time("2027-01-15T00:00:00Z".into()),
            ];
            assert_eq!(time_labelled(&tokens, &["last used"]), None, "{label}");
            assert_eq!(time_labelled(&tokens, &["request"]), None, "{label}");
            assert_eq!(
                time_labelled(&tokens, &["expire"]).as_deref(),
                Some("2027-01-15T00:00:00Z"),
                "{label}"
            );
        }
    }
}
