//! The IAM console's users list (`…console.aws.amazon.com/iam/home#/users`), as a DOM snapshot.
//!
//! The table's columns are found by their header text: User name, Path, Groups, Last activity,
//! MFA, Password age, Console last sign-in, Access key ID and Active key age are shown by default
//! [obs: screenshots and walkthroughs of the current console]; Access key last used, ARN,
//! Creation time and Console access can be added with the table's preferences [doc: IAM User
//! Guide, "Finding unused AWS credentials"]. Most of these cells are relative ("12 days ago",
//! "Yesterday", "312 days", "Never", "None", "-"). In a snapshot the extension read, whose first
//! line names when ([`console::read_at`]), days, hours and minutes before then are dates to the
//! day ([`Precision::WholeDays`]); months and years are too coarse and are left out, never
//! guessed. A page saved by hand names no time: its relative text is left out, and dates come
//! from the credential report.
//!
//! Each user becomes the identity the credential report makes of it, with the same kind and ID,
//! so the two merge: the user's ARN (from the ARN column, or built from the account ID the
//! console names in its `awsc-session-data` meta tag and the user's path), and person or
//! workload by the same rule as the report: a user who signs in with a password and either has
//! MFA or no active access key is a person (whose active keys are listed apart, as
//! `<ARN>#access-keys`); everyone else is a workload.

use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;

use crate::console;
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    AccountStatus, Credential, CredentialControl, CredentialKind, Expiry, Identity,
    InteractiveLogin, Kind, LastUse, Owner, OwnerSource, Ownership, Platform, Precision, Principal,
    Timestamp, Usage,
};
use crate::platforms::Format;

/// The users list; its URL is also what the format recognizes. The account is not in the URL.
pub(super) const URL: &str = "https://*console.aws.amazon.com/iam/home*#/users";

pub(super) const FORMAT: Format = Format {
    id: "aws.users_page",
    title: "AWS IAM users (IAM console users list snapshot, HTML)",
    doc_url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
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
#[derive(Debug, Default, PartialEq)]
struct Columns {
    name: usize,
    path: Option<usize>,
    mfa: Option<usize>,
    password_age: Option<usize>,
    console_access: Option<usize>,
    console_last: Option<usize>,
    key_id: Option<usize>,
    key_age: Option<usize>,
    key_last_used: Option<usize>,
    arn: Option<usize>,
    created: Option<usize>,
}

impl Columns {
    fn from_header(cells: &[String]) -> Option<Columns> {
        let find = |names: &[&str]| {
            cells
                .iter()
                .position(|c| crate::text::header_names(c, names))
        };
        Some(Columns {
            name: find(&["User name"])?,
            path: find(&["Path"]),
            mfa: find(&["MFA"]),
            password_age: find(&["Password age"]),
            console_access: find(&["Console access"]),
            console_last: find(&["Console last sign-in"]),
            key_id: find(&["Access key ID"]),
            key_age: find(&["Active key age", "Access key age"]),
            key_last_used: find(&["Access key last used"]),
            arn: find(&["ARN"]),
            created: find(&["Creation time"]),
        })
    }
}

/// The users table's pagination (Cloudscape's: `<ul>` of page-number buttons).
pub(super) const PAGINATION: &str = "ul:has(> li > button[class*=page-number])";

/// The meta tag where the console names the session's account, on every console page.
pub(super) const SESSION_META: &str = r#"meta[name="awsc-session-data"]"#;

/// The account a snapshot of the session meta tag names: the inventory's tenant, so switching
/// role to another account never mixes two accounts' users.
pub(super) fn account_in(html: &str) -> Option<String> {
    session(&crate::html::document(html)).account
}

/// The account the console is signed in to, from `<meta name="awsc-session-data">`.
#[derive(Debug, Default, PartialEq)]
struct Session {
    account: Option<String>,
    partition: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionData {
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default, rename = "sessionARN")]
    session_arn: Option<String>,
}

fn session(document: &Html) -> Session {
    let Ok(meta) = Selector::parse(SESSION_META) else {
        return Session::default();
    };
    let data = document
        .select(&meta)
        .filter_map(|m| m.value().attr("content"))
        .find_map(|c| serde_json::from_slice::<SessionData>(c.as_bytes()).ok());
    let Some(data) = data else {
        return Session::default();
    };
    let arn_part = |n: usize| {
        data.session_arn
            .as_deref()
            .and_then(|a| a.split(':').nth(n))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
    };
    let account = data
        .account_id
        .clone()
        .map(|a| a.replace('-', ""))
        .or_else(|| arn_part(4))
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
    let partition = arn_part(1).filter(|p| p.starts_with("aws"));
    Session { account, partition }
}

/// One cell: its text, an absolute time if it gives one, and the time its relative text names.
struct CellText {
    text: String,
    time: Option<String>,
    before: Option<Timestamp>,
}

impl CellText {
    /// "-", "–", "None" and empty: the console's ways of saying there is none.
    fn is_none(&self) -> bool {
        matches!(self.text.as_str(), "" | "-" | "–" | "—") || self.text.eq_ignore_ascii_case("none")
    }

    fn is_never(&self) -> bool {
        self.text.eq_ignore_ascii_case("never")
    }

    /// The time the cell gives: absolute (`Some(exact)`), or relative to when the page was
    /// read.
    fn at(&self, label: &str, field: &str, sink: &mut Sink) -> Option<(Timestamp, bool)> {
        match &self.time {
            Some(t) => sink.time(label, field, Some(t)).map(|at| (at, true)),
            None => {
                // Relative text is left out where the page names no time it was read, or in
                // months and years; anything else is a date that could not be read, and said.
                let lower = self.text.to_ascii_lowercase();
                let relative = [
                    "ago", "now", "day", "week", "month", "year", "hour", "minute", "second",
                ]
                .iter()
                .any(|unit| lower.contains(unit));
                if self.before.is_none() && !relative && !self.is_none() && !self.is_never() {
                    sink.problem(format!(
                        "{label}: {field} \"{}\" is not a date; treated as unknown",
                        crate::text::clip(&self.text, 40)
                    ));
                }
                self.before.map(|at| (at, false))
            }
        }
    }
}

/// What one row of the table says about a user.
struct UserRow {
    name: String,
    arn: String,
    account: Option<String>,
    password: Option<bool>,
    mfa: Option<bool>,
    /// Access key IDs shown, with whether each is active.
    keys: Vec<(String, bool)>,
    /// Whether the user has an active key, when the page says.
    live_keys: Option<bool>,
    created: Option<Timestamp>,
    /// When its oldest active key was made (from the Active key age).
    oldest_key: Option<Timestamp>,
    console_last: Option<CellText>,
    key_last_used: Option<CellText>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let text = String::from_utf8_lossy(crate::ingest::probe::strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let rows = crate::html::selector(ROW)?;
    let cells = crate::html::selector(CELL)?;
    let session = session(&document);
    let read_at = console::read_at(&text);

    let mut columns: Option<Columns> = None;
    let mut reported_path = false;
    let mut reported_account = false;
    let mut index = 0usize;
    for row in document.select(&rows) {
        let row_cells = row_cells(row, &rows, &cells);
        let texts: Vec<String> = row_cells.iter().map(|c| text_of(*c)).collect();
        if let Some(found) = Columns::from_header(&texts) {
            columns = Some(found);
            continue;
        }
        let Some(columns) = &columns else { continue };
        // The empty state and other messages span the table in one cell.
        if row_cells.len() <= columns.name {
            continue;
        }
        index += 1;
        let cell = |i: Option<usize>| {
            i.and_then(|i| row_cells.get(i)).map(|c| {
                let text = text_of(*c);
                CellText {
                    before: read_at.and_then(|at| console::time_before(&text, at)),
                    time: absolute_time(*c),
                    text,
                }
            })
        };
        let name = texts[columns.name].trim().to_string();
        let place = format!("row {index}");
        if name.is_empty() {
            sink.problem(format!("{place} skipped: no user name"));
            continue;
        }
        let label = format!("{place} ({})", crate::text::clip(&name, 40));

        // The ARN: shown, or built from the account and the user's path.
        let shown_arn = cell(columns.arn)
            .map(|c| c.text)
            .filter(|a| a.starts_with("arn:") && a.contains(":user/"));
        let arn = match shown_arn {
            Some(arn) => arn,
            None => {
                let Some(account) = &session.account else {
                    if !reported_account {
                        reported_account = true;
                        sink.problem(
                            "the page does not name its AWS account (no awsc-session-data and no \
                             ARN column), so its users cannot be matched to their ARNs; show the \
                             ARN column, or read the credential report"
                                .into(),
                        );
                    }
                    continue;
                };
                let path = match cell(columns.path) {
                    Some(p) if !p.is_none() => p.text,
                    Some(_) => "/".to_string(),
                    None => {
                        if !reported_path {
                            reported_path = true;
                            sink.problem(
                                "the Path column is hidden: users are taken to have the path /, \
                                 so a user with another path will not match its credential \
                                 report row; show the Path or ARN column"
                                    .into(),
                            );
                        }
                        "/".to_string()
                    }
                };
                let path = match (path.starts_with('/'), path.ends_with('/')) {
                    (true, true) => path,
                    (true, false) => format!("{path}/"),
                    (false, true) => format!("/{path}"),
                    (false, false) => format!("/{path}/"),
                };
                let partition = session.partition.as_deref().unwrap_or("aws");
                format!("arn:{partition}:iam::{account}:user{path}{name}")
            }
        };
        let account = arn
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .map(str::to_string);

        let console_access = cell(columns.console_access);
        let password_age = cell(columns.password_age);
        let console_last = cell(columns.console_last);
        let password = if let Some(access) = &console_access {
            Some(access.text.to_ascii_lowercase().starts_with("enabled"))
        } else if let Some(age) = &password_age {
            Some(!age.is_none())
        } else {
            // "None": no password; "Never": a password never used.
            console_last.as_ref().map(|c| !c.is_none())
        };
        let mfa =
            cell(columns.mfa).map(|c| !c.is_none() && !c.text.eq_ignore_ascii_case("not enabled"));
        let keys = cell(columns.key_id).map(|c| key_ids(&c.text));
        let live_keys = match &keys {
            Some(keys) => Some(keys.iter().any(|(_, active)| *active)),
            None => cell(columns.key_age).map(|c| !c.is_none()),
        };
        let created = cell(columns.created)
            .and_then(|c| c.at(&label, "Creation time", sink))
            .map(|(at, _)| at);
        let oldest_key = cell(columns.key_age)
            .and_then(|c| c.at(&label, "Active key age", sink))
            .map(|(at, _)| at);
        let user = UserRow {
            name,
            arn,
            account,
            password,
            mfa,
            keys: keys.unwrap_or_default(),
            live_keys,
            created,
            oldest_key,
            console_last,
            key_last_used: cell(columns.key_last_used),
        };
        let Some(person) = is_person(user.password, user.mfa, user.live_keys) else {
            sink.problem(format!(
                "{label} skipped: the table does not show whether the user has a password, MFA \
                 and active access keys (the Password age, MFA and Access key ID columns), which \
                 tell a person from a workload"
            ));
            continue;
        };
        push_user(user, person, &label, sink);
    }
    if columns.is_none() {
        return Err(
            "no users table (a User name column) found in this page snapshot; the console page \
             may have changed"
                .into(),
        );
    }
    // An account without users says so ("No users"); a header alone heads rows drawn elsewhere.
    if index == 0 && !console::shows_message(&document, &["no users", "no iam users"]) {
        return Err(
            "the page changed: the users table's header has nothing under it, neither users nor \
             a \"No users\" message"
                .into(),
        );
    }
    Ok(())
}

/// The credential report's rule: a user with a password who has MFA, or no active access key,
/// is a person. `None` when the page does not show enough to tell.
fn is_person(password: Option<bool>, mfa: Option<bool>, live_keys: Option<bool>) -> Option<bool> {
    match (password?, mfa, live_keys) {
        (false, _, _) => Some(false),
        (true, Some(true), _) | (true, _, Some(false)) => Some(true),
        (true, Some(false), Some(true)) => Some(false),
        (true, _, _) => None,
    }
}

/// `Active - AKIA…`, one per key: the key IDs with whether each is active.
fn key_ids(text: &str) -> Vec<(String, bool)> {
    let mut keys = Vec::new();
    let mut active = None;
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '(' | ')'))
    {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if word.eq_ignore_ascii_case("active") {
            active = Some(true);
        } else if word.eq_ignore_ascii_case("inactive") {
            active = Some(false);
        } else if looks_like_key_id(word) {
            keys.push((word.to_string(), active.unwrap_or(true)));
            active = None;
        }
    }
    keys
}

/// An IAM user's access key ID: `AKIA` and 16 upper-case letters or digits.
fn looks_like_key_id(word: &str) -> bool {
    word.len() >= 16
        && word.len() <= 128
        && word.starts_with("AKIA")
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn push_user(user: UserRow, person: bool, label: &str, sink: &mut Sink) {
    let live = user.live_keys.unwrap_or(false);
    let password = user.password.unwrap_or(false);
    // The age is the oldest active key's: whose it is, the page tells only when there is one.
    let only_active = user.keys.iter().filter(|(_, active)| *active).count() == 1;
    let keys: Vec<Credential> = user
        .keys
        .iter()
        .map(|(id, active)| {
            let mut key = Credential::new(CredentialKind::Key);
            key.id = Some(id.clone());
            key.label = Some(format!("access key {id}"));
            key.active = *active;
            if *active && only_active {
                key.created_at = user.oldest_key;
            }
            // IAM access keys never expire.
            key.expiry = Expiry::Never;
            key.usage = Usage::NotLoaded;
            key
        })
        .collect();
    let key_use = key_usage(user.key_last_used.as_ref(), label, sink);
    let key_ids: Vec<String> = user.keys.iter().map(|(id, _)| id.clone()).collect();

    if person {
        let mut human = Identity::new(Platform::Aws, Kind::User, &user.arn, &user.name);
        human.human = true;
        human.location = user.account.clone();
        human.created_at = user.created;
        human.ownership = Ownership::NotRecorded;
        let last_login = user
            .console_last
            .as_ref()
            .and_then(|c| c.at(label, "Console last sign-in", sink));
        human.interactive = Some(InteractiveLogin {
            password_enabled: password,
            mfa: user.mfa,
            last_login: last_login.map(|(at, _)| at),
        });
        human.usage = match (last_login, &user.console_last) {
            (Some((at, exact)), _) => Usage::Used(LastUse {
                at,
                source: "Console last sign-in".into(),
                precision: if exact {
                    Precision::Exact
                } else {
                    Precision::WholeDays
                },
            }),
            (None, Some(c)) if c.is_never() => Usage::Never {
                source: "Console last sign-in is Never".into(),
            },
            _ => Usage::NotLoaded,
        };
        human.credential_control = CredentialControl::CUSTOMER;
        sink.push(human);
        if !live {
            return;
        }
        // The person's keys act without them: a workload owned by the person.
        let mut programmatic = Identity::new(
            Platform::Aws,
            Kind::AccessKey,
            format!("{}#access-keys", user.arn),
            format!("access keys of {}", user.name),
        );
        programmatic.aliases = key_ids;
        programmatic.location = user.account;
        programmatic.ownership = Ownership::Known(vec![Owner {
            who: Principal {
                name: user.name.clone(),
                id: Some(user.arn.clone()),
                status: AccountStatus::Active,
            },
            source: OwnerSource::Explicit,
            basis: "the IAM user holding the keys".into(),
        }]);
        programmatic.credentials = keys;
        // The user's policies are on other pages (and in GetAccountAuthorizationDetails).
        programmatic.grants_unread = true;
        programmatic.usage = key_use;
        programmatic.credential_control = CredentialControl::CUSTOMER;
        sink.push(programmatic);
        return;
    }

    let mut workload = Identity::new(Platform::Aws, Kind::ServiceUser, &user.arn, &user.name);
    workload.aliases = key_ids;
    workload.location = user.account;
    workload.created_at = user.created;
    // IAM has no owner field; tags (not on this page) or the owner map can name one.
    workload.ownership = Ownership::NotRecorded;
    if password {
        workload.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: user.mfa,
            last_login: None,
        });
    }
    workload.enabled = live || password;
    workload.usage = if keys.iter().any(|k| k.active) {
        key_use
    } else if password && user.console_last.as_ref().is_some_and(CellText::is_never) {
        Usage::Never {
            source: "Console last sign-in is Never".into(),
        }
    } else {
        Usage::NotLoaded
    };
    workload.credentials = keys;
    workload.grants_unread = true;
    workload.credential_control = CredentialControl::CUSTOMER;
    sink.push(workload);
}

/// The user's keys' last use, from the "Access key last used" cell.
fn key_usage(cell: Option<&CellText>, label: &str, sink: &mut Sink) -> Usage {
    let Some(cell) = cell else {
        return Usage::NotLoaded;
    };
    if cell.is_never() {
        return Usage::Never {
            source: "Access key last used is Never".into(),
        };
    }
    match cell.at(label, "Access key last used", sink) {
        Some((at, exact)) => Usage::Used(LastUse {
            at,
            source: "Access key last used".into(),
            // IAM records the first use in each 15-minute window.
            precision: if exact {
                Precision::WindowMinutes(15)
            } else {
                Precision::WholeDays
            },
        }),
        None => Usage::NotLoaded,
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
        .find(|t| crate::timestamp::parse(t).is_some())
        .map(str::to_string);
    from_attribute.or_else(|| {
        let text = text_of(cell);
        // `December 03, 2025, 10:00 (UTC-05:00)`, as the console writes a date out.
        console::written_date(&text).map(crate::timestamp::format)
    })
}

fn text_of(element: ElementRef) -> String {
    // What the cell shows: a popover's or a menu's content kept hidden in it is not its value.
    crate::html::shown_text(element)
        .split_whitespace()
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
    fn relative_text_is_a_time_before_the_read_in_weeks_days_hours_or_minutes_only() {
        let at = crate::timestamp::parse("2026-11-29T12:00:00Z").unwrap();
        let before = |text: &str| console::time_before(text, at).map(|t| (at - t).whole_minutes());
        for (text, minutes) in [
            ("Today", Some(0)),
            ("Yesterday", Some(24 * 60)),
            ("1 day", Some(24 * 60)),
            ("12 days ago", Some(12 * 24 * 60)),
            ("412 Days", Some(412 * 24 * 60)),
            ("3 hours ago", Some(180)),
            ("45 minutes ago", Some(45)),
            // The wordings of date libraries (moment.js, date-fns) and Primer's relative-time.
            ("a day ago", Some(24 * 60)),
            ("an hour ago", Some(60)),
            ("about 2 hours ago", Some(120)),
            ("2 weeks ago", Some(14 * 24 * 60)),
            ("a few seconds ago", Some(0)),
            ("less than a minute ago", Some(0)),
            ("30 seconds ago", Some(0)),
            ("about a month ago", None),
            ("a while ago", None),
            ("2 years ago", None),
            ("5 months", None),
            ("Never", None),
            ("-", None),
            ("-3 days ago", None),
            ("99999999 days", None),
            ("999999999999999999 days", None),
            ("2026-11-01", None),
        ] {
            assert_eq!(before(text), minutes, "{text}");
        }
    }

    #[test]
    fn people_and_workloads_are_told_apart_like_the_credential_report() {
        assert_eq!(is_person(Some(false), None, None), Some(false));
        assert_eq!(is_person(Some(true), Some(true), Some(true)), Some(true));
        assert_eq!(is_person(Some(true), None, Some(false)), Some(true));
        assert_eq!(is_person(Some(true), Some(false), Some(true)), Some(false));
        assert_eq!(is_person(Some(true), None, Some(true)), None);
        assert_eq!(is_person(None, Some(true), Some(false)), None);
    }

    #[test]
    fn key_ids_keep_their_status() {
        assert_eq!(
            key_ids("Active - AKIAIOSFODNN7EXAMPLE Inactive - AKIAI44QH8DHBEXAMPLE"),
            vec![
                ("AKIAIOSFODNN7EXAMPLE".to_string(), true),
                ("AKIAI44QH8DHBEXAMPLE".to_string(), false)
            ]
        );
        assert!(key_ids("-").is_empty());
        assert!(key_ids("Active - akia-not-a-key").is_empty());
    }

    #[test]
    fn the_session_names_the_account_and_partition() {
        let html = Html::parse_document(
            r#"<meta name="awsc-session-data" content='{"accountId":"1234-5678-9012","sessionARN":"arn:aws-us-gov:sts::123456789012:assumed-role/Admin/jane"}'>"#,
        );
        assert_eq!(
            session(&html),
            Session {
                account: Some("123456789012".into()),
                partition: Some("aws-us-gov".into())
            }
        );
        assert_eq!(session(&Html::parse_document("<p>")), Session::default());
    }
}
