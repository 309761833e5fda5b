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
//! The status is read first from the row's explicit markers: Primer `Label`s, the `aria-label`s
//! and titles of its icons, and an element whose whole text is a status word [infer: which of
//! these GitHub uses]. Only when none of them names a status are the row's other words asked
//! (a description may say "pending approval from legal" of an approved app, so the markers win
//! when the two disagree); failing those, a row whose own link or button says **Review** is a
//! request. The words are "Approved", "Denied", or a request ("Access requested", "Pending")
//! [infer: the wording; the three states are documented]. The name and the people named in the
//! row are left out of all of it (a name or a login may spell anything). Markers that name two
//! statuses, or words that do with no marker, leave the status unknown, and nothing is claimed.
//! - Approved: enabled, reaching what its users can in the whole organisation (`Reach::All`, as a
//!   classic token authorized for SSO does).
//! - A request: `pending`, not yet access.
//! - Denied: kept, disabled (the app cannot reach the organisation's data), as a restricted Slack
//!   app is, so its row is badged, no rule counts it as access, and its unrecorded owner is no
//!   finding (NL204 skips what is not enabled).
//!
//! "Requested by <login>" with a `<relative-time datetime>` [infer] gives the request's time
//! (`created_at`, as for a fine-grained token request) and the person who asked, kept as the
//! likely owner (`OwnerSource::Inferred`), as Slack's app requests are read. Only the login linked
//! right after "Requested by" is the requester: any other person or organisation the row links
//! to (the app's publisher, whoever approved it) is not. GitHub records no owner of an app's
//! access: a decided app that names no requester is `Ownership::NotRecorded`; a request that does
//! not show its requester is `NotLoaded` (every request has one). The page shows no use and no
//! scopes.
//!
//! `/…/oauth_application_policy/{id}` itself is one app's review page, not the list: it reads as
//! nothing. An organisation without restrictions says "No restrictions" [infer] and lists nothing.

use scraper::ElementRef;

use super::{REGIONS, ROWS, Row, Snapshot, finish, is_list, normalize, text_of, time_labelled};
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

/// The words right before the login of the person who asked for the app [infer].
const REQUESTED_BY: &str = "requested by";

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
    let rows = page.settings_rows(sink, "oauth_application_policy", "OAuth app");
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
    // Only the person the row says asked for the app: a publisher's or an approver's link is
    // not the requester.
    let requester = row.user_after(REQUESTED_BY, skip.as_slice());
    identity.ownership = match requester {
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

/// The row's status: first its explicit markers (Primer `Label`s, the `aria-label`s and titles
/// of its icons, an element whose whole text is a status); only when they say nothing, its other
/// words, then its **Review** control. The name (`skip`) and the people named are left out of
/// each: a name or a login may spell anything.
fn status_of(row: &Row<'_>, skip: Option<ElementRef<'_>>) -> Status {
    let hidden = row.written_by_others(skip);
    let mut marked: Vec<Status> = Vec::new();
    for found in markers(row, &hidden).iter().flat_map(|text| named(text)) {
        if !marked.contains(&found) {
            marked.push(found);
        }
    }
    match marked.as_slice() {
        [one] => return *one,
        // Markers that contradict each other: nothing is claimed, whatever the words say.
        [_, _, ..] => return Status::Unknown,
        [] => {}
    }
    match named(&text_of(&row.tokens_without(&hidden))).as_slice() {
        [one] => *one,
        [] if offers_review(row, &hidden) => Status::Requested,
        _ => Status::Unknown,
    }
}

/// The row's explicit status markers, each lower case: the `aria-label` and `title` of its
/// elements, the text of its Primer `Label`s, and the whole text of an element that says exactly
/// one of the status words. Nothing in or around `hidden` counts, and an `aria-label` that
/// repeats the name or a login ("Edit Denied" for an app called "Denied") is read without it.
fn markers(row: &Row<'_>, hidden: &[ElementRef<'_>]) -> Vec<String> {
    let label = crate::html::selector(".Label").expect("valid CSS");
    let words = || APPROVED.iter().chain(DENIED).chain(REQUESTED);
    let quoted: Vec<String> = hidden
        .iter()
        .map(|h| normalize(&h.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for e in row.element.descendants().filter_map(ElementRef::wrap) {
        if touches(e, hidden) || matches!(e.value().name(), "script" | "style" | "template") {
            continue;
        }
        for text in [e.attr("aria-label"), e.attr("title")]
            .into_iter()
            .flatten()
        {
            let mut text = normalize(text);
            for q in &quoted {
                text = text.replace(q.as_str(), " · ");
            }
            out.push(text);
        }
        let text = normalize(&e.text().collect::<String>());
        if label.matches(&e) || words().any(|w| *w == text) {
            out.push(text);
        }
    }
    out
}

/// Whether the row offers **Review**: a link or button (the app's own link among them) whose
/// text, or failing that its `aria-label`, is exactly "Review". Not the name's text, nor a
/// person's: an app may be called "Review".
fn offers_review(row: &Row<'_>, hidden: &[ElementRef<'_>]) -> bool {
    let controls = crate::html::selector("a, button, [role=button]").expect("valid CSS");
    row.element
        .select(&controls)
        .filter(|e| !touches(*e, hidden))
        .any(|e| {
            let text = normalize(&e.text().collect::<String>());
            let name = if text.is_empty() {
                e.attr("aria-label").map(normalize).unwrap_or_default()
            } else {
                text
            };
            name == "review"
        })
}

/// Whether `e` is one of `hidden`, lies inside one, or holds one.
fn touches(e: ElementRef<'_>, hidden: &[ElementRef<'_>]) -> bool {
    hidden.iter().any(|h| {
        *h == e
            || e.ancestors().any(|a| a.id() == h.id())
            || h.ancestors().any(|a| a.id() == e.id())
    })
}

/// Each status `text` (lower case) names.
fn named(text: &str) -> Vec<Status> {
    [
        (Status::Approved, APPROVED),
        (Status::Denied, DENIED),
        (Status::Requested, REQUESTED),
    ]
    .into_iter()
    .filter(|(_, words)| words.iter().any(|w| says(text, w)))
    .map(|(status, _)| status)
    .collect()
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
        assert_eq!(named("approved"), [Status::Approved]);
        assert_eq!(named("denied"), [Status::Denied]);
        assert_eq!(named("access requested by · review"), [Status::Requested]);
        assert_eq!(named("pending"), [Status::Requested]);
        assert_eq!(named("unapproved"), []);
        assert_eq!(named("not approved"), []);
        assert_eq!(
            named("approved · denied"),
            [Status::Approved, Status::Denied],
            "two"
        );
        assert_eq!(named(""), []);
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
        // A name that says "Approved" does not approve a denied app.
        let one = by(&inv, "acme/1");
        assert_eq!(one.name, "Approved");
        assert!(!one.enabled && !one.pending);
        assert_eq!(one.reach, Reach::Unknown);
        assert_eq!(one.id, "github:oauth_app:acme/1");
        assert!(one.aliases.contains(&"1".to_string()));
        // A requester whose login says "approved" does not approve a request.
        let two = by(&inv, "acme/2");
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
        let three = by(&inv, "acme/3");
        assert!(three.pending);
        assert_eq!(three.ownership, Ownership::NotLoaded);
        // A status only an icon names.
        let four = by(&inv, "acme/4");
        assert_eq!(four.reach, Reach::All);
        assert!(four.enabled && !four.pending);
        assert_eq!(four.ownership, Ownership::NotRecorded);
        // No status: nothing claimed.
        let five = by(&inv, "acme/5");
        assert!(five.enabled && !five.pending);
        assert_eq!(five.reach, Reach::Unknown);
        assert_eq!(five.usage, Usage::NotRecorded);
    }

    fn by<'a>(inv: &'a crate::ingest::Inventory, native: &str) -> &'a Identity {
        inv.identities
            .iter()
            .find(|i| i.native_id == native)
            .unwrap_or_else(|| panic!("no {native}"))
    }

    #[test]
    fn explicit_markers_outweigh_the_rows_other_words() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Contract Tracker</strong>
              <p class="text-small">Drafts NDAs; pending approval from legal</p>
              <span class="Label Label--success">Approved</span>
              <a href="/organizations/acme/settings/oauth_application_policy/11">Edit</a></li>
            <li class="Box-row"><strong>Retro Board</strong>
              <p>Once denied, now reviewed again</p>
              <svg aria-label="Approved" role="img"></svg>
              <a href="/organizations/acme/settings/oauth_application_policy/12">Edit</a></li>
            <li class="Box-row"><strong>Old Sync</strong>
              <p>Approved for the pilot, pending a re-review</p>
              <span><svg aria-hidden="true"></svg> Denied</span>
              <a href="/organizations/acme/settings/oauth_application_policy/13">Edit</a></li>
            <li class="Box-row"><strong>Torn</strong>
              <span class="Label">Approved</span> <span class="Label">Denied</span>
              <p>Still pending with legal</p>
              <a href="/organizations/acme/settings/oauth_application_policy/14">Edit</a></li>
            <li class="Box-row"><strong>Words Only</strong>
              <p>Access was denied on review</p>
              <a href="/organizations/acme/settings/oauth_application_policy/15">Edit</a></li>
            </ul></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        // The description says "pending", the label says Approved: approved.
        let legal = by(&inv, "acme/11");
        assert!(legal.enabled && !legal.pending, "the label wins");
        assert_eq!(legal.reach, Reach::All);
        // An icon's label outweighs "denied" in the description.
        let retro = by(&inv, "acme/12");
        assert!(retro.enabled && !retro.pending);
        assert_eq!(retro.reach, Reach::All);
        // An element whose whole text is "Denied" outweighs "approved" and "pending".
        let old = by(&inv, "acme/13");
        assert!(!old.enabled && !old.pending);
        assert_eq!(old.reach, Reach::Unknown);
        // Markers that contradict each other: nothing claimed, whatever the words say.
        let torn = by(&inv, "acme/14");
        assert!(torn.enabled && !torn.pending);
        assert_eq!(torn.reach, Reach::Unknown);
        // No marker: the words decide.
        assert!(!by(&inv, "acme/15").enabled);
    }

    #[test]
    fn a_label_repeating_the_name_is_read_without_it() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Denied</strong>
              <span>Approved</span>
              <a aria-label="Edit Denied" href="/organizations/acme/settings/oauth_application_policy/16">Edit</a></li>
            <li class="Box-row"><strong>Sheet Sync</strong> Requested by
              <a data-hovercard-type="user" href="/approved-bot">approved-bot</a>
              <span title="Requested by approved-bot">Access requested</span>
              <a href="/organizations/acme/settings/oauth_application_policy/17">Review</a></li>
            </ul></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        let named = by(&inv, "acme/16");
        assert!(named.enabled && !named.pending);
        assert_eq!(named.reach, Reach::All);
        let asked = by(&inv, "acme/17");
        assert!(asked.pending && asked.enabled);
        assert_eq!(asked.reach, Reach::Unknown);
    }

    #[test]
    fn only_the_apps_own_control_saying_review_makes_a_request() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Lint Bot</strong>
              <p>Code review comments, by review-tools</p>
              <a href="/organizations/acme/settings/oauth_application_policy/21">Edit</a></li>
            <li class="Box-row">
              <a class="text-bold" href="/organizations/acme/settings/oauth_application_policy/22">Review</a>
              </li>
            <li class="Box-row"><strong>Docs Helper</strong>
              <form action="/organizations/acme/settings/oauth_application_policy/23">
                <button type="submit">Review</button></form></li>
            <li class="Box-row"><strong>Icon Only</strong>
              <a aria-label="Review" href="/organizations/acme/settings/oauth_application_policy/24"><svg></svg></a></li>
            <li class="Box-row"><strong>Person</strong> Installed by
              <a data-hovercard-type="user" href="/review">review</a>
              <a href="/organizations/acme/settings/oauth_application_policy/25">Edit</a></li>
            </ul></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        // "review" in the description or a credit is not the Review button.
        let lint = by(&inv, "acme/21");
        assert!(!lint.pending && lint.enabled);
        assert_eq!(lint.ownership, Ownership::NotRecorded);
        // An app called "Review" whose name links to it: its name, not a Review button.
        let named = by(&inv, "acme/22");
        assert_eq!(named.name, "Review");
        assert!(!named.pending);
        // The app's own form's button, and a link named Review by its label.
        assert!(by(&inv, "acme/23").pending);
        assert!(by(&inv, "acme/24").pending);
        // A person whose login is "review".
        assert!(!by(&inv, "acme/25").pending);
    }

    #[test]
    fn the_requester_is_only_the_login_after_requested_by() {
        let html = r#"<main><ul>
            <li class="Box-row"><strong>Octo Lint</strong> by <a href="/octo-org">octo-org</a>
              <span>Approved</span>
              <a href="/organizations/acme/settings/oauth_application_policy/31">Edit</a></li>
            <li class="Box-row"><strong>Board</strong> Approved by
              <a data-hovercard-type="user" href="/ops-admin">ops-admin</a>
              <a href="/organizations/acme/settings/oauth_application_policy/32">Edit</a></li>
            <li class="Box-row"><strong>Notes</strong> from <a href="/notes-inc">notes-inc</a>
              · <span>Access requested</span>
              <a href="/organizations/acme/settings/oauth_application_policy/33">Review</a></li>
            <li class="Box-row"><strong>Sync</strong> published by <a href="/sync-co">sync-co</a>,
              REQUESTED BY: <a data-hovercard-type="user" href="/hubot">hubot</a>
              <span>Access requested</span>
              <a href="/organizations/acme/settings/oauth_application_policy/34">Review</a></li>
            </ul></main>"#;
        let inv = read_html(LIST, html);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        // A publisher's link is not the requester: no owner.
        let lint = by(&inv, "acme/31");
        assert_eq!(lint.reach, Reach::All);
        assert_eq!(lint.ownership, Ownership::NotRecorded);
        // Nor is whoever approved it.
        let board = by(&inv, "acme/32");
        assert_eq!(board.ownership, Ownership::NotRecorded);
        assert_eq!(board.reach, Reach::All);
        // A request whose requester is not shown: not loaded, not the publisher.
        let notes = by(&inv, "acme/33");
        assert!(notes.pending);
        assert_eq!(notes.ownership, Ownership::NotLoaded);
        // "Requested by" in any case, after a publisher's link.
        let sync = by(&inv, "acme/34");
        let owner = sync.ownership.primary().unwrap();
        assert_eq!(
            (owner.who.name.as_str(), owner.source),
            ("hubot", OwnerSource::Inferred)
        );
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
