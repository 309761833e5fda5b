//! Salesforce's Connected Apps OAuth Usage page: what the extension captures there, what its
//! snapshot yields, how its rows join the `OauthToken` rows of the same apps, and that a changed
//! layout is reported as such.

mod common;

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, plan_for};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{CredentialKind, Kind, Ownership, Platform, Usage};
use scraper::{Html, Selector};

const PAGE_URL: &str = "https://acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp";
/// The same page as Lightning Setup frames it, served by the mock consoles.
const FRAMED: &str = "http://127.0.0.1:8080/acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp?isdtp=p1&sfdcIFrameOrigin=https%3A%2F%2Facme.lightning.force.com&sfdcIFrameHost=web&clc=1";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn read(path: &str) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn collect(inputs: &[(&str, &[u8])]) -> Inventory {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    collector.finish()
}

fn fixture(file: &str) -> Inventory {
    let source = format!("tests/fixtures/salesforce/{file}");
    let bytes = read(&format!("fixtures/salesforce/{file}"));
    let inventory = collect(&[(&source, bytes.as_bytes())]);
    assert!(
        inventory.errors.is_empty(),
        "{file}: {:?}",
        inventory.errors
    );
    inventory
}

fn app<'a>(inventory: &'a Inventory, id: &str) -> &'a nhi_lens::Identity {
    inventory
        .identities
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no {id} among {:?}",
                inventory
                    .identities
                    .iter()
                    .map(|i| &i.id)
                    .collect::<Vec<_>>()
            )
        })
}

#[test]
fn the_framed_classic_page_is_the_one_read() {
    let plan = plan_for(FRAMED).expect("the framed page has a plan");
    assert_eq!(plan.page, "salesforce.oauth_usage_page");
    assert_eq!(plan.tenant, "salesforce:acme");
    assert_eq!(plan.platform, Platform::Salesforce);
    assert!(plan.api.is_empty(), "the page is rendered on the server");
    assert_eq!(plan.regions.len(), 1);
    assert_eq!(plan.regions[0].selector, "table.list");
    assert!(plan.regions[0].required);
    // Orgs with enhanced domains frame it from their Setup domain.
    let setup = plan_for(
        "https://acme.my.salesforce-setup.com/identity/app/connectedAppsUsage.apexp?isdtp=p1",
    )
    .unwrap();
    assert_eq!(
        (setup.page.as_str(), setup.tenant.as_str()),
        ("salesforce.oauth_usage_page", "salesforce:acme")
    );
    // The Lightning frame around it holds no rows, and another Setup page is not this one:
    // nothing is read there (rows naming an identity of the org's inventory get its badge).
    for other in [
        "https://acme.lightning.force.com/lightning/setup/ConnectedAppsUsage/home",
        "https://acme.my.salesforce-setup.com/lightning/setup/ConnectedAppsUsage/home",
        "https://acme.my.salesforce.com/identity/app/somethingElse.apexp",
    ] {
        let plan = plan_for(other).unwrap();
        assert!(plan.known_only && plan.regions.is_empty(), "{other}");
        assert_eq!(plan.tenant, "salesforce:acme");
    }
}

#[test]
fn the_lightning_mock_frames_the_classic_mock() {
    let shell =
        read("consoles/acme.lightning.force.com/lightning/setup/ConnectedAppsUsage/home.html");
    let html = Html::parse_document(&shell);
    let frame = html
        .select(&Selector::parse("iframe").unwrap())
        .next()
        .expect("Lightning Setup frames the Classic page");
    let src = frame.value().attr("src").unwrap();
    let framed = format!("http://127.0.0.1:8080{src}");
    assert_eq!(
        plan_for(&framed).map(|p| p.page),
        Some("salesforce.oauth_usage_page".to_string()),
        "{framed}"
    );
}

#[test]
fn the_region_is_on_the_mock_page_and_gone_from_the_broken_one() {
    let selector = Selector::parse("table.list").unwrap();
    let acme = read("consoles/acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp.html");
    let broken =
        read("consoles/broken.my.salesforce.com/identity/app/connectedAppsUsage.apexp.html");
    assert_eq!(Html::parse_document(&acme).select(&selector).count(), 1);
    assert_eq!(Html::parse_document(&broken).select(&selector).count(), 0);
}

#[test]
fn each_row_is_a_connected_app_known_by_its_label() {
    let inv = fixture("oauth_usage.html");
    assert_eq!(inv.identities.len(), 8);
    assert!(inv.identities.iter().all(|i| i.kind == Kind::OauthApp));

    let outlook = app(&inv, "salesforce:oauth_app:Salesforce for Outlook");
    assert_eq!(outlook.name, "Salesforce for Outlook");
    assert_eq!(outlook.location.as_deref(), Some("acme.my.salesforce.com"));
    assert!(outlook.enabled);
    // The page names who holds tokens only by count, and neither who owns the app nor when it
    // was last used.
    assert_eq!(outlook.ownership, Ownership::NotLoaded);
    assert_eq!(outlook.usage, Usage::NotLoaded);
    assert!(outlook.approved_by.is_empty());
    assert_eq!(outlook.created_at, None);
    assert_eq!(outlook.credentials.len(), 1);
    let tokens = &outlook.credentials[0];
    assert_eq!(tokens.kind, CredentialKind::Token);
    assert_eq!(
        tokens.label.as_deref(),
        Some("refresh tokens of 14 users (OAuth Usage page)")
    );
    assert!(tokens.active);

    // Blocked: the action offers to unblock it.
    let blocked = app(&inv, "salesforce:oauth_app:Legacy ETL Connector");
    assert!(!blocked.enabled);
    assert!(!blocked.credentials[0].active);
    assert_eq!(
        blocked.credentials[0].label.as_deref(),
        Some("refresh token of 1 user (OAuth Usage page)")
    );

    // Hostile text stays text.
    let hostile = app(&inv, "salesforce:oauth_app:<img src=x onerror=alert(1)>");
    assert_eq!(hostile.name, "<img src=x onerror=alert(1)>");
    assert!(
        hostile
            .sources
            .iter()
            .any(|s| &**s == "tests/fixtures/salesforce/oauth_usage.html")
    );
}

#[test]
fn the_mock_page_snapshot_reads_like_the_fixture() {
    let html = read("consoles/acme.my.salesforce.com/identity/app/connectedAppsUsage.apexp.html");
    let snapshot = console::snapshot_input(FRAMED, &html);
    let from_mock = collect(&[(FRAMED, snapshot.as_bytes())]);
    assert!(from_mock.errors.is_empty(), "{:?}", from_mock.errors);
    let from_fixture = fixture("oauth_usage.html");
    let ids = |inv: &Inventory| {
        let mut ids: Vec<String> = inv.identities.iter().map(|i| i.id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&from_mock), ids(&from_fixture));
}

#[test]
fn page_rows_join_the_token_rows_of_the_same_app() {
    let tokens = read("fixtures/salesforce/oauth_tokens.json");
    let page = read("fixtures/salesforce/oauth_usage.html");
    let api =
        "https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT+AppName+FROM+OauthToken";
    let inv = collect(&[(api, tokens.as_bytes()), (PAGE_URL, page.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    // Outlook, Data Loader and Zapier are in both: one identity each, under the App Picker item
    // the token rows name; the page's other five apps are known by their label alone.
    assert_eq!(
        inv.identities.len(),
        8,
        "{:?}",
        inv.identities.iter().map(|i| &i.id).collect::<Vec<_>>()
    );
    let outlook = app(&inv, "salesforce:oauth_app:0PpDn000000Ab1xKAC");
    assert_eq!(outlook.name, "Salesforce for Outlook");
    assert!(outlook.sources.iter().any(|s| &**s == api));
    assert!(outlook.sources.iter().any(|s| &**s == PAGE_URL));
    // The token rows are the credentials; the page adds no placeholder for them.
    assert_eq!(outlook.credentials.len(), 3);
    assert!(matches!(outlook.usage, Usage::Used(_)));
    assert!(
        !inv.identities
            .iter()
            .any(|i| i.id == "salesforce:oauth_app:Salesforce for Outlook")
    );
    let mobile = app(&inv, "salesforce:oauth_app:Salesforce Mobile App");
    assert_eq!(mobile.sources.len(), 1);
}

#[test]
fn a_blocked_app_is_disabled_even_with_its_token_rows() {
    let tokens = r#"{"totalSize":1,"done":true,"records":[{"attributes":{"type":"OauthToken"},
        "AppName":"Legacy ETL Connector","UserId":"005Dn000001AbCdIAK",
        "CreatedDate":"2021-01-01T00:00:00.000+0000","LastUsedDate":"2023-01-01T00:00:00.000+0000",
        "UseCount":12}]}"#;
    let page = read("fixtures/salesforce/oauth_usage.html");
    let inv = collect(&[
        ("tokens.json", tokens.as_bytes()),
        (PAGE_URL, page.as_bytes()),
    ]);
    let legacy = app(&inv, "salesforce:oauth_app:Legacy ETL Connector");
    assert!(!legacy.enabled);
    assert_eq!(legacy.credentials.len(), 1);
    assert_eq!(legacy.sources.len(), 2);
}

#[test]
fn an_empty_list_is_nothing_found_and_partial_rows_still_read() {
    assert!(fixture("oauth_usage_empty.html").identities.is_empty());
    let partial = fixture("oauth_usage_partial.html");
    assert_eq!(partial.identities.len(), 3);
    let inbox = app(&partial, "salesforce:oauth_app:Salesforce Inbox");
    // No count, no action column: nothing invented.
    assert!(inbox.credentials.is_empty());
    assert!(inbox.enabled);
    assert_eq!(
        inbox.location.as_deref(),
        Some("acme.my.salesforce-setup.com")
    );
    let page2 = fixture("oauth_usage_page2.html");
    assert_eq!(page2.identities.len(), 2);
}

#[test]
fn the_broken_layout_is_a_changed_page_not_an_empty_one() {
    let url = "https://broken.my.salesforce.com/identity/app/connectedAppsUsage.apexp";
    let html = read("consoles/broken.my.salesforce.com/identity/app/connectedAppsUsage.apexp.html");
    let inv = collect(&[(url, console::snapshot_input(url, &html).as_bytes())]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(
        inv.errors[0].message.contains("may have changed"),
        "{:?}",
        inv.errors
    );
    assert_eq!(
        plan_for(url).map(|p| p.tenant),
        Some("salesforce:broken".to_string())
    );
}

#[test]
fn rows_that_cannot_be_read_are_reported_without_losing_the_others() {
    let html = r#"<table class="list"><tr class="headerRow"><th>Connected App</th><th>User Count</th><th>Action</th></tr>
        <tr><td></td><td>3</td><td>Block</td></tr>
        <tr><td>Good App</td><td>many</td><td>Block</td></tr>
        <tr><td>Other App</td><td>4</td><td>Unblock</td></tr></table>"#;
    let snapshot = console::snapshot_input(PAGE_URL, html);
    let inv = collect(&[(PAGE_URL, snapshot.as_bytes())]);
    assert_eq!(inv.identities.len(), 2);
    assert_eq!(inv.errors.len(), 2, "{:?}", inv.errors);
    let good = app(&inv, "salesforce:oauth_app:Good App");
    assert!(
        good.credentials.is_empty(),
        "an unreadable count is unknown"
    );
    assert!(!app(&inv, "salesforce:oauth_app:Other App").enabled);
}

#[test]
fn a_renamed_column_is_a_changed_page() {
    // "User Count" renamed "Users": the table is there, the reader cannot place its columns.
    let page = read("fixtures/salesforce/oauth_usage.html").replace("User Count", "Users");
    let inv = collect(&[(PAGE_URL, page.as_bytes())]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(
        inv.errors[0]
            .message
            .contains(nhi_lens::ingest::PAGE_CHANGED),
        "{:?}",
        inv.errors
    );
}

#[test]
fn an_app_whose_row_reads_like_the_header_is_an_app() {
    // A connected app named "Connected App Sync", described "User Count export": its row is
    // the app's, and the rows after it keep the header's columns.
    let html = r#"<table class="list"><tr class="headerRow"><th>Connected App</th><th>Description</th><th>User Count</th><th>Action</th></tr>
        <tr><td>Connected App Sync</td><td>User Count export</td><td>2</td><td>Block</td></tr>
        <tr><td>Other App</td><td>-</td><td>4</td><td>Unblock</td></tr></table>"#;
    let snapshot = console::snapshot_input(PAGE_URL, html);
    let inv = collect(&[(PAGE_URL, snapshot.as_bytes())]);
    assert_eq!(inv.identities.len(), 2, "{:?}", inv.errors);
    assert!(app(&inv, "salesforce:oauth_app:Connected App Sync").enabled);
    assert!(!app(&inv, "salesforce:oauth_app:Other App").enabled);
}

#[test]
fn a_header_whose_rows_moved_out_of_the_table_is_a_changed_page_not_no_apps() {
    // The body's rows redrawn as divs, the header row left: not an org without apps.
    let page = read("fixtures/salesforce/oauth_usage.html");
    let (head, body) = page.split_at(page.find("<tbody").unwrap());
    let body = common::rows_as_divs(&body.replace("<tbody", "<div").replace("</tbody>", "</div>"));
    let moved = format!("{head}{body}");
    assert!(!moved.contains("<td"));
    let inv = collect(&[("oauth_usage.html", moved.as_bytes())]);
    common::assert_changed_page(&inv);
    // The empty page's "No records to display" is still nothing found.
    assert!(fixture("oauth_usage_empty.html").identities.is_empty());
}

#[test]
fn the_page_footer_s_table_is_no_connected_app() {
    let page = read("fixtures/salesforce/oauth_usage.html");
    let alone = collect(&[("oauth_usage.html", page.as_bytes())]);
    let footer = r#"<table class="bPageFooter" width="100%"><tr><td>Copyright © 2000-2026 salesforce.com, inc. All rights reserved.</td><td><a href="/privacy">Privacy Statement</a></td><td><a href="/security">Security Statement</a></td><td>Terms of Use</td><td><a href="/508">508 Compliance</a></td></tr></table>"#;
    let with_footer = format!("{page}{footer}");
    let inv = collect(&[("oauth_usage.html", with_footer.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let names = |inv: &Inventory| -> Vec<String> {
        inv.identities.iter().map(|i| i.name.clone()).collect()
    };
    assert_eq!(names(&inv), names(&alone));
    assert_eq!(names(&alone).len(), 8);
}
