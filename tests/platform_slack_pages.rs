//! Slack's workspace App Management page (`{workspace}.slack.com/apps/manage`): its snapshot,
//! built the way the extension builds it out of the mock console, yields the installed apps under
//! the app IDs `admin.apps.approved.list` uses, so the page and the API merge.

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, Pattern, page_for, plan_for};
use nhi_lens::ingest::{Collector, Inventory, detect, probe::probe};
use nhi_lens::model::{Identity, Kind, Ownership, Party, Platform, Usage};
use nhi_lens::platforms;
use scraper::{Html, Selector};

const PAGE_URL: &str = "https://acme.slack.com/apps/manage";
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn mock(host: &str, path: &str) -> String {
    let file = root().join("consoles").join(host).join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn fixture(file: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/slack").join(file)).unwrap()
}

/// The page's regions out of `html`, as the content script snapshots them, with the saved-page
/// line; `None` when a required region is missing (the extension then reports a changed page).
fn snapshot(page_url: &str, html: &str) -> Option<String> {
    let plan = plan_for(page_url).expect("a page NHI Lens reads");
    let document = Html::parse_document(html);
    let mut parts = Vec::new();
    for region in &plan.regions {
        let selector = Selector::parse(&region.selector).unwrap();
        let matched: Vec<String> = document.select(&selector).map(|e| e.html()).collect();
        if matched.is_empty() && region.required {
            return None;
        }
        parts.extend(matched);
    }
    Some(console::snapshot_input(page_url, &parts.join("\n")))
}

fn read(inputs: &[(&str, &[u8])]) -> Inventory {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    collector.finish()
}

fn native<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
    let found: Vec<&Identity> = inventory
        .identities
        .iter()
        .filter(|i| i.native_id == id)
        .collect();
    assert_eq!(found.len(), 1, "one identity {id}: {:?}", ids(inventory));
    found[0]
}

fn ids(inventory: &Inventory) -> Vec<&str> {
    inventory.identities.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn the_page_is_planned_per_workspace() {
    let plan = plan_for("http://127.0.0.1:8080/acme.slack.com/apps/manage").unwrap();
    assert_eq!(plan.page, "slack.installed_apps_page");
    assert_eq!(plan.tenant, "slack:acme");
    assert_eq!(plan.platform, Platform::Slack);
    assert!(plan.api.is_empty(), "the page's own calls are undocumented");
    assert!(plan.regions.iter().all(|r| r.required));
    let broken = plan_for("http://127.0.0.1:8080/broken.slack.com/apps/manage").unwrap();
    assert_eq!(broken.tenant, "slack:broken");
    let (page, _, tenant) =
        page_for("https://acme.slack.com/apps/manage/custom-integrations").unwrap();
    assert_eq!(
        (page.id, tenant.as_str()),
        ("slack.installed_apps_page", "acme")
    );
    // An Enterprise Grid organization's dashboard is not read (its markup is unknown).
    assert!(plan_for("https://app.slack.com/manage/E012AB3CD/integrations/installed").is_none());
}

#[test]
fn every_page_is_in_the_consoles_and_has_its_mock() {
    let spec = platforms::spec(Platform::Slack);
    for page in spec.pages {
        let url = page.url.replace("{tenant}", "acme").replace('*', "");
        assert!(
            spec.consoles
                .iter()
                .any(|c| Pattern::new(c).matches(&url).is_some())
        );
        assert_eq!(page_for(&url).unwrap().0.id, page.id);
        assert!(spec.formats.iter().any(|f| f.id == page.id));
        let rest = url.split_once("://").unwrap().1;
        assert!(
            root().join(format!("consoles/{rest}.html")).is_file(),
            "{url}"
        );
        let broken = rest.replacen("acme", "broken", 1);
        assert!(
            root().join(format!("consoles/{broken}.html")).is_file(),
            "{broken}"
        );
    }
}

#[test]
fn the_snapshot_yields_the_installed_apps() {
    let page = snapshot(PAGE_URL, &mock("acme.slack.com", "apps/manage.html")).unwrap();
    assert_eq!(
        detect(&probe(page.as_bytes()).unwrap()).map(|f| f.id),
        Some("slack.installed_apps_page")
    );
    let inv = read(&[(PAGE_URL, page.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 8, "{:?}", ids(&inv));
    let drive = native(&inv, "A6NL8MJ6Q");
    assert_eq!(drive.id, "slack:oauth_app:A6NL8MJ6Q");
    assert_eq!(drive.kind, Kind::OauthApp);
    assert_eq!(drive.name, "Google Drive");
    assert_eq!(drive.aliases, ["A6NL8MJ6Q-google-drive"]);
    assert_eq!(drive.location.as_deref(), Some("acme.slack.com"));
    assert_eq!(drive.ownership, Ownership::NotRecorded);
    assert_eq!(drive.usage, Usage::NotLoaded);
    assert_eq!(drive.party(), Party::Unknown);
    assert!(drive.grants.is_empty(), "the page shows no scopes");
    assert!(drive.enabled);
    let hostile = native(&inv, "A07H0ST1LE");
    assert_eq!(hostile.name, HOSTILE);
}

#[test]
fn every_app_has_a_row_to_badge_by_name_or_link() {
    let html = mock("acme.slack.com", "apps/manage.html");
    let plan = plan_for(PAGE_URL).unwrap();
    let page = snapshot(PAGE_URL, &html).unwrap();
    let inv = read(&[(PAGE_URL, page.as_bytes())]);
    let document = Html::parse_document(&html);
    let rows = Selector::parse(&plan.rows).unwrap();
    let links = Selector::parse("a[href]").unwrap();
    for identity in &inv.identities {
        let found = document
            .select(&rows)
            .filter(|row| {
                row.select(&links).any(|a| {
                    let href = a.attr("href").unwrap();
                    let last = href
                        .split(['?', '#'])
                        .next()
                        .unwrap()
                        .rsplit('/')
                        .next()
                        .unwrap();
                    identity.aliases.iter().any(|k| k == last) || last == identity.native_id
                })
            })
            .count();
        assert_eq!(found, 1, "{}", identity.id);
    }
}

#[test]
fn the_page_and_the_approved_list_are_one_identity_per_app() {
    let page = snapshot(PAGE_URL, &mock("acme.slack.com", "apps/manage.html")).unwrap();
    let approved = fixture("approved_apps.json");
    let inv = read(&[
        ("approved_apps.json", &approved),
        (PAGE_URL, page.as_bytes()),
    ]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    // Eight installed apps, three of which the approved list also has.
    assert_eq!(inv.identities.len(), 8, "{:?}", ids(&inv));
    let standup = native(&inv, "A04KXN7J1QZ");
    let sources: Vec<&str> = standup.sources.iter().map(|s| &**s).collect();
    assert_eq!(sources, ["approved_apps.json", PAGE_URL]);
    assert!(
        !standup.grants.is_empty(),
        "the approved list's scopes stay"
    );
    assert_eq!(standup.name, "Standup Bot");
}

#[test]
fn the_other_fixtures_read_as_their_names_say() {
    let inv = read(&[("empty.html", &fixture("installed_apps_empty.html"))]);
    assert!(
        inv.identities.is_empty() && inv.errors.is_empty(),
        "{:?}",
        inv.errors
    );

    let inv = read(&[("partial.html", &fixture("installed_apps_partial.html"))]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let hooks = native(&inv, "A0F7XDUAZ");
    assert_eq!(
        hooks.name, "Incoming WebHooks",
        "an icon link takes its row's name"
    );
    assert!(hooks.aliases.is_empty(), "the link's segment is the ID");
    let bots = native(&inv, "A0F7YS25R");
    assert_eq!(bots.aliases, ["A0F7YS25R-bots"]);

    let inv = read(&[
        ("p1.html", &fixture("installed_apps.html")),
        ("p2.html", &fixture("installed_apps_page2.html")),
    ]);
    assert_eq!(inv.identities.len(), 10);
}

#[test]
fn a_changed_page_is_reported_not_read_as_empty() {
    let broken_url = "https://broken.slack.com/apps/manage";
    let html = mock("broken.slack.com", "apps/manage.html");
    assert!(
        snapshot(broken_url, &html).is_none(),
        "the broken variant has no main region: the extension reports the layout change"
    );
    // Saved by hand, the whole page reads as changed, not as "no apps".
    let saved = console::snapshot_input(broken_url, &html);
    let inv = read(&[(broken_url, saved.as_bytes())]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("page changed"));
    // A sub-page without apps (settings) is neither.
    let settings = "https://acme.slack.com/apps/manage/settings";
    let page = console::snapshot_input(settings, "<main><h1>App management settings</h1></main>");
    let inv = read(&[(settings, page.as_bytes())]);
    assert!(
        inv.identities.is_empty() && inv.errors.is_empty(),
        "{:?}",
        inv.errors
    );
}

#[test]
fn only_an_empty_state_the_page_shows_makes_it_empty() {
    // Apps drawn as buttons (no links to read) over the empty state the page keeps hidden.
    let hidden = [
        r#"<div hidden>No apps installed</div>"#,
        r#"<div style="display: none">No apps installed</div>"#,
        r#"<div style="visibility:hidden">No apps installed</div>"#,
        // Hidden by a utility class (Primer's, Bootstrap's, Tailwind's, Bulma's).
        r#"<div class="blankslate d-none js-empty">No apps installed</div>"#,
        r#"<div class="hidden">No apps installed</div>"#,
        r#"<p class="empty is-hidden">No apps installed</p>"#,
        r#"<template><p>No apps installed</p></template>"#,
        r#"<script>const empty = "No apps installed";</script>"#,
    ];
    for empty in hidden {
        let html =
            format!(r#"<main><div class="card"><button>Deploy Bot</button></div>{empty}</main>"#);
        let inv = read(&[(
            PAGE_URL,
            console::snapshot_input(PAGE_URL, &html).as_bytes(),
        )]);
        assert_eq!(inv.errors.len(), 1, "{empty}: {:?}", inv.errors);
        assert!(inv.errors[0].message.contains("page changed"), "{empty}");
    }
    // Shown, even across elements and with a typographic apostrophe, it is an empty list.
    for empty in [
        "<p>No apps <b>installed</b></p>",
        "<p>Your workspace hasn’t installed any apps yet.</p>",
        // Hidden on narrow screens only (Primer's, Tailwind's responsive classes).
        r#"<p class="d-none d-md-block">No apps installed</p>"#,
        r#"<p class="hidden md:block">No apps installed</p>"#,
    ] {
        let html = format!("<main>{empty}</main>");
        let inv = read(&[(
            PAGE_URL,
            console::snapshot_input(PAGE_URL, &html).as_bytes(),
        )]);
        assert!(inv.errors.is_empty(), "{empty}: {:?}", inv.errors);
    }
}

#[test]
fn links_to_apps_beside_the_list_are_not_installed_apps() {
    // The list's one app, among links to other apps in a side panel of suggestions, a menu, a
    // dialog and a hidden template.
    let html = r#"<main>
        <div role="list"><div role="listitem"><a href="/apps/A0W7UKG8E-my-test-app">My Test App</a></div></div>
        <aside><h2>Popular apps</h2><a href="/apps/A0F7XDUAZ-incoming-webhooks">Incoming WebHooks</a></aside>
        <div role="complementary"><a href="/apps/A6NL8MJ6Q-google-drive">Google Drive</a></div>
        <nav><a href="/apps/A2RPP3NFR-jira-cloud">Recently viewed: Jira Cloud</a></nav>
        <div role="dialog"><a href="/apps/A04E6JX41-polly">Polly</a></div>
        <template><div role="listitem"><a href="/apps/A04KXN7J1QZ-standup-bot">Standup Bot</a></div></template>
        <div class="d-none"><a href="/apps/A05PQ8R2MNV-acme-offboarding">Acme Offboarding</a></div>
    </main>"#;
    let inv = read(&[(PAGE_URL, console::snapshot_input(PAGE_URL, html).as_bytes())]);
    assert_eq!(ids(&inv), ["slack:oauth_app:A0W7UKG8E"], "{:?}", inv.errors);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);

    // Only suggestions, and no word of an empty list: the page is not read as empty.
    let html = r#"<main><aside><a href="/apps/A0F7XDUAZ-incoming-webhooks">Incoming WebHooks</a></aside></main>"#;
    let inv = read(&[(PAGE_URL, console::snapshot_input(PAGE_URL, html).as_bytes())]);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0].message.contains("page changed"),
        "{:?}",
        inv.errors
    );
}

#[test]
fn an_app_without_a_name_is_named_by_its_id_and_reported() {
    let page = console::snapshot_input(
        PAGE_URL,
        r#"<main><a href="/apps/A0123ABCDE-thing"><img src="x.png" alt=""></a></main>"#,
    );
    let inv = read(&[(PAGE_URL, page.as_bytes())]);
    assert_eq!(native(&inv, "A0123ABCDE").name, "A0123ABCDE");
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
}

#[test]
fn the_mock_consoles_have_strict_policies_and_no_inline_script() {
    for host in ["acme.slack.com", "broken.slack.com"] {
        let csp = mock(host, "csp.txt");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"));
        let html = mock(host, "apps/manage.html");
        let document = Html::parse_document(&html);
        let all = Selector::parse("*").unwrap();
        for element in document.select(&all) {
            assert!(element.value().name() != "script" || element.attr("src").is_some());
            assert!(
                element
                    .value()
                    .attrs()
                    .all(|(name, _)| !name.starts_with("on"))
            );
        }
    }
    assert!(
        mock("acme.slack.com", "apps/manage.html").contains("&lt;img src=x onerror=alert(1)&gt;")
    );
}

#[test]
fn only_the_installed_list_s_own_links_are_apps_named_without_their_badges() {
    let page = String::from_utf8(fixture("installed_apps.html")).unwrap();
    let read_page = |html: &str| read(&[("installed_apps.html", html.as_bytes())]);
    let installed = read_page(&page);
    assert_eq!(installed.identities.len(), 8);

    // Apps the page recommends, in a section of their own under the list: not installed.
    let recommended = page.replace(
        "</ul>\n</main>",
        r#"</ul>
<section class="p-apps_manage__suggestions" aria-label="Recommended for your team"><h2>Recommended apps</h2><ul role="list"><li role="listitem"><a href="/apps/A0FFV41KK-zoom">Zoom</a></li><li role="listitem"><a href="/apps/A0HFW7MR6-giphy">Giphy</a></li></ul></section>
</main>"#,
    );
    assert_ne!(recommended, page);
    let inv = read_page(&recommended);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(ids(&inv), ids(&installed));
    // Labelled alone, with no heading of its own; and a list headed by a title and then its own
    // heading is read whole.
    let labelled = recommended.replace("<h2>Recommended apps</h2>", "");
    assert_eq!(ids(&read_page(&labelled)), ids(&installed));
    let titled = page.replacen(
        "<main",
        "<h1>Manage apps</h1><h2>Installed apps</h2><main",
        1,
    );
    assert_ne!(titled, page);
    assert_eq!(ids(&read_page(&titled)), ids(&installed));

    // A link to an app's page on another site is no app of this workspace; one on the
    // workspace's own host is.
    let elsewhere = page.replace(
        "href=\"/apps/A04E6JX41-polly\"",
        "href=\"https://polly.example.com/apps/A04E6JX41-polly\"",
    );
    assert_ne!(elsewhere, page);
    let inv = read_page(&elsewhere);
    assert_eq!(inv.identities.len(), 7, "{:?}", ids(&inv));
    assert!(!ids(&inv).contains(&"slack:oauth_app:A04E6JX41"));
    let own_host = page.replace(
        "href=\"/apps/A04E6JX41-polly\"",
        "href=\"https://ACME.slack.com:443/apps/A04E6JX41-polly\"",
    );
    assert_eq!(ids(&read_page(&own_host)), ids(&installed));

    // A badge beside the name is no part of it; a name in pieces is whole.
    let badge = page.replace(
        r#"<span class="p-app_row__name">Standup Bot</span>"#,
        r#"<span class="c-pill">Bot</span> <span class="p-app_row__name">Standup Bot</span>"#,
    );
    assert_ne!(badge, page);
    assert_eq!(
        native(&read_page(&badge), "A04KXN7J1QZ").name,
        "Standup Bot"
    );
    let html = r#"<main><a href="/apps/A0123ABCDE-thing"><span class="c-badge">New</span>Deploy <b>Bot</b></a></main>"#;
    let inv = read(&[(PAGE_URL, console::snapshot_input(PAGE_URL, html).as_bytes())]);
    assert_eq!(native(&inv, "A0123ABCDE").name, "Deploy Bot");
}
