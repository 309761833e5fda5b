//! The organisation's OAuth app policy, titled "Third-party application access policy"
//! (`github.com/organizations/{org}/settings/oauth_application_policy`), read from its DOM.
//!
//! The URL is observed and the page is documented ("In the 'Third-party Access' section of the
//! sidebar, click OAuth app policy"; `reference/platforms.md` §1.6, §1.7). No REST endpoint lists
//! the OAuth apps an organisation approved or denied, so this page is the only source, and an app
//! read here is `github:oauth_app:{org}/{id}`: the decision is the organisation's, and the same app
//! has one in each organisation. The bare ID is an alias, so the extension finds the row by its
//! link.
//!
//! Each row is one app [infer: the markup is not public]: the app's name, its status and a link to
//! `/organizations/{org}/settings/oauth_application_policy/{id}` [infer], the **Review** button of
//! a request or the pencil of a decided app (documented: "Next to the application you'd like to
//! approve, click Review", "Next to the application you'd like to disable, click [pencil]"), whose
//! numeric last segment is the app's ID [infer]. A row that links elsewhere is not an app; an ID
//! that is not a number leaves the rows unread, and the page is reported as changed.
//!
//! The status is read from the row's words, leaving out the name and the people named in it
//! (a name or a login may spell anything): "Approved", "Denied", or a request ("Access
//! requested", "Pending") [infer: the wording; the three states are documented]. A row that names
//! none of them but offers **Review** is a request. With no status word, or with two, the row's
//! icons and labels (`aria-label`, `title`, Primer `Label`s) are asked the same; failing that, the
//! status stays unknown and nothing is claimed.
//! - Approved: enabled, reaching what its users can in the whole organisation (`Reach::All`, as a
//!   classic token authorized for SSO does).
//! - A request: `pending`, not yet access.
//! - Denied: kept, disabled (the app cannot reach the organisation's data), as a restricted Slack
//!   app is, so its row is badged and no rule counts it as access.
//!
//! "Requested by <login>" with a `<relative-time datetime>` [infer] gives the request's time
//! (`created_at`, as for a fine-grained token request) and the person who asked, kept as the
//! likely owner (`OwnerSource::Inferred`), as Slack's app requests are read. GitHub records no
//! owner of an app's access: a decided app that names nobody is `Ownership::NotRecorded`; a
//! request that does not show its requester is `NotLoaded` (every request has one). The page
//! shows no use and no scopes.
//!
//! `/…/oauth_application_policy/{id}` itself is one app's review page, not the list: it reads as
//! nothing. An organisation without restrictions says "No restrictions" [infer] and lists nothing.

use scraper::ElementRef;

use super::{REGIONS, ROWS, Row, Snapshot, finish, is_list, numeric, text_of, time_labelled};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    Controller, CredentialControl, Identity, Kind, Owner, OwnerSource, Ownership, Platform,
    Principal, Publisher, Reach, Usage,
};
use crate::platforms::Format;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.oauth_app_policy_page",
    title: "OAuth app policy (Third-party application access policy)",
    url: "https://github.com/organizations/{tenant}/settings/oauth_application_policy*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub OAuth app access policy (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/organizations/managing-oauth-access-to-your-organizations-data/approving-oauth-apps-for-your-organization",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the page says when no app was approved, denied or asked for, or when the organisation
/// has no restrictions (and so no list) [infer].
const EMPTY: &[&str] = &[
    "no applications",
    "no oauth apps",
    "no oauth applications",
    "no third-party applications",
    "no restrictions",
];

/// Words of an approved app [infer].
const APPROVED: &[&str] = &["approved", "access granted"];
/// Words of a denied app [infer].
const DENIED: &[&str] = &["denied"];
/// Words of a request nobody has decided on [infer].
const REQUESTED: &[&str] = &[
    "access requested",
    "requested access",
    "request pending",
    "pending",
    "awaiting approval",
    "awaiting review",
];

/// Where an app stands with the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Approved,
    Denied,
    Requested,
    Unknown,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let rest = page.after(&["organizations", "*", "settings", "oauth_application_policy"]);
    let list = is_list(rest, &[]);
    if !list {
        // One app's review page: its forms link to the app, but it is no list.
        return Ok(());
    }
    let org = page.segments.get(1).cloned();
    let rows = page.rows_by_link(sink, "OAuth app", |path| match path {
        [o, _, s, p, id]
            if o.eq_ignore_ascii_case("organizations")
                && s.eq_ignore_ascii_case("settings")
                && p.eq_ignore_ascii_case("oauth_application_policy")
                && numeric(id) =>
        {
            Some(id.clone())
        }
        _ => None,
    });
    for row in &rows {
        let identity = app(row, org.as_deref(), sink);
        sink.push(identity);
    }
    finish(&page, rows.len(), list, EMPTY, "OAuth app")
}

/// An app as its row shows it.
fn app(row: &Row<'_>, org: Option<&str>, sink: &mut Sink) -> Identity {
    let id = &row.key;
    let name_element = row.first_text("strong, .text-bold, h2, h3, h4");
    let name = name_element
        .as_ref()
        .map(|(_, text)| text.clone())
        .unwrap_or_else(|| format!("OAuth app {id}"));
    let skip = name_element.as_ref().map(|(e, _)| *e);
    let status = status_of(row, skip);
    let native = match org {
        Some(org) => format!("{org}/{id}"),
        None => format!("{}#{id}", sink.source()),
    };
    let label = format!("OAuth app {id} ({name})");
    let mut identity = Identity::new(Platform::Github, Kind::OauthApp, native, &name);
    // The link's last path segment, so the extension finds the row by it.
    identity.aliases.push(id.clone());
    identity.location = org.map(str::to_string);
    let tokens = row.tokens(skip);
    identity.created_at = sink.time(
        &label,
        "requested",
        time_labelled(&tokens, &["request"]).as_deref(),
    );
    identity.ownership = match row.user(skip) {
        Some(login) => Ownership::Known(vec![Owner {
            who: Principal::named(login),
            // GitHub records no owner; whoever asked for the app most likely answers for it.
            source: OwnerSource::Inferred,
            basis: "requested the app's access (page)".into(),
        }]),
        // Every request names its requester: not shown is missing data, not a finding.
        None if status == Status::Requested => Ownership::NotLoaded,
        None => Ownership::NotRecorded,
    };
    // The page shows no use, and GitHub records none for an app's access to an organisation.
    identity.usage = Usage::NotRecorded;
    match status {
        Status::Approved => identity.reach = Reach::All,
        Status::Requested => identity.pending = true,
        Status::Denied => identity.enabled = false,
        Status::Unknown => {}
    }
    // The app's developer holds its tokens; the organisation can deny it access.
    identity.credential_control = CredentialControl {
        rotate: Controller::Unknown,
        revoke: Controller::Customer,
    };
    identity.publisher = Some(Publisher::default());
    identity
}

/// The row's status: its words without the name (`skip`) and the people named; then, when they
/// name none or more than one, its **Review** control; then its icons and labels.
fn status_of(row: &Row<'_>, skip: Option<ElementRef<'_>>) -> Status {
    let mut hidden: Vec<ElementRef<'_>> = row.people();
    hidden.extend(skip);
    let words = text_of(&row.tokens_without(&hidden));
    match status(&words) {
        Status::Unknown if says(&words, "review") && !says_any(&words, APPROVED, DENIED) => {
            Status::Requested
        }
        Status::Unknown => status(&row.labels(skip)),
        known => known,
    }
}

/// The one status `text` (lower case) names, or unknown when it names none or several.
fn status(text: &str) -> Status {
    let found: Vec<Status> = [
        (Status::Approved, APPROVED),
        (Status::Denied, DENIED),
        (Status::Requested, REQUESTED),
    ]
    .into_iter()
    .filter(|(_, words)| words.iter().any(|w| says(text, w)))
    .map(|(status, _)| status)
    .collect();
    match found.as_slice() {
        [one] => *one,
        _ => Status::Unknown,
    }
}

fn says_any(text: &str, a: &[&str], b: &[&str]) -> bool {
    a.iter().chain(b).any(|w| says(text, w))
}

/// Whether `text` says `phrase` as words of their own (`approved`, not `unapproved` nor
/// `not approved`).
fn says(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = &text[..at];
        let after = &text[at + phrase.len()..];
        !before.ends_with(|c: char| c.is_alphanumeric())
            && !after.starts_with(|c: char| c.is_alphanumeric())
            && !before.ends_with("not ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Collector;

    fn read_html(url: &str, main: &str) -> crate::ingest::Inventory {
        let mut collector = Collector::new();
        collector.add(url, console::snapshot_input(url, main).as_bytes());
        collector.finish()
    }

    const LIST: &str = "https://github.com/organizations/acme/settings/oauth_application_policy";

    #[test]
    fn statuses_are_words_of_their_own() {
        assert_eq!(status("approved"), Status::Approved);
        assert_eq!(status("denied"), Status::Denied);
        assert_eq!(status("access requested by · review"), Status::Requested);
        assert_eq!(status("pending"), Status::Requested);
        assert_eq!(status("unapproved"), Status::Unknown);
        assert_eq!(status("not approved"), Status::Unknown);
        assert_eq!(status("approved · denied"), Status::Unknown, "two: unknown");
        assert_eq!(status(""), Status::Unknown);
        assert!(says("review", "review"));
        assert!(!says("reviewed", "review"));
    }

    #[test]
    fn rows_are_approved_requested_or_denied() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Approved</strong> Denied
              <a href="/organizations/acme/settings/oauth_application_policy/1">Edit</a></li>
            <li class="Box-row"><strong>Two</strong> Access requested by
              <a data-hovercard-type="user" href="/approved">approved</a>
              <relative-time datetime="2026-11-02T00:00:00Z">Nov 2</relative-time>
              <a href="/organizations/acme/settings/oauth_application_policy/2">Review</a></li>
            <li class="Box-row"><strong>Three</strong>
              <a class="btn" href="/organizations/acme/settings/oauth_application_policy/3">Review</a></li>
            <li class="Box-row"><strong>Four</strong>
              <svg aria-label="Approved"></svg>
              <a href="/organizations/acme/settings/oauth_application_policy/4">Edit</a></li>
            <li class="Box-row"><strong>Five</strong>
              <a href="/organizations/acme/settings/oauth_application_policy/5">Edit</a></li>
            </ul></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        let by = |native: &str| {
            inv.identities
                .iter()
                .find(|i| i.native_id == native)
                .unwrap_or_else(|| panic!("no {native}"))
        };
        // A name that says "Approved" does not approve a denied app.
        let one = by("acme/1");
        assert_eq!(one.name, "Approved");
        assert!(!one.enabled && !one.pending);
        assert_eq!(one.reach, Reach::Unknown);
        assert_eq!(one.id, "github:oauth_app:acme/1");
        assert!(one.aliases.contains(&"1".to_string()));
        // A requester whose login says "approved" does not approve a request.
        let two = by("acme/2");
        assert!(two.pending && two.enabled);
        assert_eq!(two.reach, Reach::Unknown);
        let owner = two.ownership.primary().unwrap();
        assert_eq!(
            (owner.who.name.as_str(), owner.source),
            ("approved", OwnerSource::Inferred)
        );
        assert_eq!(
            two.created_at.map(crate::timestamp::format).as_deref(),
            Some("2026-11-02T00:00:00Z")
        );
        // Review alone: a request whose requester is not shown.
        let three = by("acme/3");
        assert!(three.pending);
        assert_eq!(three.ownership, Ownership::NotLoaded);
        // A status only an icon names.
        let four = by("acme/4");
        assert_eq!(four.reach, Reach::All);
        assert!(four.enabled && !four.pending);
        assert_eq!(four.ownership, Ownership::NotRecorded);
        // No status: nothing claimed.
        let five = by("acme/5");
        assert!(five.enabled && !five.pending);
        assert_eq!(five.reach, Reach::Unknown);
        assert_eq!(five.usage, Usage::NotRecorded);
    }

    #[test]
    fn a_review_page_and_an_unrestricted_organization_read_as_nothing() {
        let review = read_html(
            &format!("{LIST}/8101"),
            r#"<main><form action="/organizations/acme/settings/oauth_application_policy/8101">
               <strong>Octo Coverage</strong> <button>Grant access</button></form></main>"#,
        );
        assert!(review.identities.is_empty() && review.errors.is_empty());
        let open = read_html(
            LIST,
            r#"<main><h2>Third-party application access policy</h2>
               <p>Policy: No restrictions</p></main>"#,
        );
        assert!(open.identities.is_empty());
        assert!(open.errors.is_empty(), "{:#?}", open.errors);
        let changed = read_html(
            LIST,
            "<main><h2>Third-party application access policy</h2></main>",
        );
        assert_eq!(changed.errors.len(), 1);
        assert!(changed.errors[0].message.contains("the page changed"));
    }

    #[test]
    fn other_links_are_not_apps() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Setup</strong>
              <a href="/organizations/acme/settings/oauth_application_policy/disable">Remove restrictions</a></li>
            <li class="Box-row"><strong>Deep</strong>
              <a href="/organizations/acme/settings/oauth_application_policy/7/approve">Approve</a></li>
            </ul><p>No applications</p></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.identities.is_empty());
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    }
}
