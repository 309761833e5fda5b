//! Google Admin console pages the extension reads: the third-party app list (accessed and
//! configured apps) and the domain-wide delegation page. Each page's snapshot is built the way
//! the extension builds it (the page's regions out of the mock console, after the saved-page
//! line) and read by the page's format; what it yields joins the Directory API tokens and the
//! CSV export into one identity per OAuth client.

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, plan_for};
use nhi_lens::ingest::{Collector, Inventory, detect, probe::probe};
use nhi_lens::model::{Identity, Kind, Ownership, Party, Reach, Usage};
use nhi_lens::platforms;
use scraper::{ElementRef, Html, Selector};

const LIST_URL: &str = "https://admin.google.com/ac/owl/list?tab=apps";
const DWD_URL: &str = "https://admin.google.com/ac/owl/domainwidedelegation";
const CALENDLY: &str = "408912587736-3qj0k4p9ckn4ah6t6m3so3bq1u1v7l2p.apps.googleusercontent.com";
const BACKUPIFY: &str = "950251347283-u8g1jhv3pt5o0m7f1sbb4m2bq9k2d6vi.apps.googleusercontent.com";
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn mock(path: &str) -> String {
    let file = root().join("consoles/admin.google.com").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn fixture(file: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/google").join(file)).unwrap()
}

/// What the content script snapshots: every element matching the page's region selectors,
/// outer HTML joined by new lines, then handed to the collector with the saved-page line.
fn snapshot(page_url: &str, html: &str) -> String {
    let plan = plan_for(page_url).expect("a page NHI Lens reads");
    let document = Html::parse_document(html);
    let mut parts = Vec::new();
    for region in &plan.regions {
        let selector = Selector::parse(&region.selector).unwrap();
        let matched: Vec<String> = document.select(&selector).map(|e| e.html()).collect();
        assert!(
            !matched.is_empty() || !region.required,
            "required region {} missing",
            region.name
        );
        parts.extend(matched);
    }
    console::snapshot_input(page_url, &parts.join("\n"))
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

fn format_of(bytes: &[u8]) -> Option<&'static str> {
    detect(&probe(bytes).unwrap()).map(|f| f.id)
}

/// The leaf texts (an element's own trimmed text, for elements without element children) and
/// links' last path segments of every row-like element: what the content script matches an
/// identity's keys against.
fn row_keys(html: &str, rows: &str) -> Vec<Vec<String>> {
    let document = Html::parse_document(html);
    let rows = Selector::parse(rows).unwrap();
    let all = Selector::parse("*").unwrap();
    document
        .select(&rows)
        .map(|row| {
            let mut keys: Vec<String> = row
                .select(&all)
                .filter(|e| e.children().all(|c| !c.value().is_element()))
                .map(|e| e.text().collect::<String>().trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            keys.extend(
                row.select(&all)
                    .filter_map(|e: ElementRef| e.attr("href"))
                    .filter_map(|h| h.split(['?', '#']).next()?.rsplit('/').next())
                    .map(str::to_string),
            );
            keys
        })
        .collect()
}

#[test]
fn the_pages_are_planned_without_overlap() {
    let list = plan_for("http://127.0.0.1:8080/admin.google.com/ac/owl/list?tab=apps").unwrap();
    assert_eq!(list.page, "google.app_list_page");
    assert_eq!(list.tenant, "google:admin.google.com");
    assert!(
        list.api.is_empty(),
        "the list comes from internal RPC calls"
    );
    // The table, required, and its pagination: a long list is shown a page at a time.
    let regions: Vec<(&str, bool)> = list
        .regions
        .iter()
        .map(|r| (r.name.as_str(), r.required))
        .collect();
    assert_eq!(
        regions,
        [
            ("app table", true),
            (console::LIST_PAGE_REGION, false),
            (console::TENANT_REGION, false)
        ]
    );
    let mock_list = mock("ac/owl/list.html");
    // Every organization's console is on one host: the account Google's bar names keys the
    // inventory, as the region the plan snapshots reads it.
    let tenant_region = Html::parse_document(&mock_list);
    let tenant_region: String = tenant_region
        .select(&Selector::parse(&list.regions[2].selector).unwrap())
        .map(|e| e.html())
        .collect();
    assert_eq!(
        console::tenant_key(
            nhi_lens::model::Platform::Google,
            "admin.google.com",
            Some(&tenant_region),
            None
        ),
        "google:acme.example"
    );
    let pager = Html::parse_document(&mock_list);
    let pager = pager
        .select(&Selector::parse(&list.regions[1].selector).unwrap())
        .next()
        .expect("the mock's pagination")
        .html();
    assert_eq!(
        console::list_page(&pager),
        Some((0, "rows 1\u{2013}8".into()))
    );
    let configured = plan_for("https://admin.google.com/ac/owl/list?tab=configuredApps").unwrap();
    assert_eq!(configured.page, "google.app_list_page");
    let broken = plan_for("https://admin.google.com/ac/owl/list?tab=apps&broken=1").unwrap();
    assert_eq!(broken.page, "google.app_list_page");
    // The services tab lists Google's own services, not apps: nothing is read there.
    let services = plan_for("https://admin.google.com/ac/owl/list?tab=services").unwrap();
    assert!(services.known_only);
    // Bar the account, which keys the inventory whose badges the page may show.
    let regions: Vec<&str> = services.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(regions, [console::TENANT_REGION]);
    let dwd = plan_for(DWD_URL).unwrap();
    assert_eq!(dwd.page, "google.domain_wide_delegation");
    assert_eq!(dwd.tenant, "google:admin.google.com");
    // Each DOM page has the HTML format of its id, is within the consoles, and has its mock.
    let spec = platforms::spec(nhi_lens::model::Platform::Google);
    for page in spec.pages {
        assert!(spec.formats.iter().any(|f| f.id == page.id), "{}", page.id);
        let url = page.url.replace('*', "");
        assert!(
            spec.consoles
                .iter()
                .any(|c| console::Pattern::new(c).matches(&url).is_some())
        );
        assert_eq!(console::page_for(&url).unwrap().0.id, page.id);
        let path = url.split_once("://").unwrap().1.split('?').next().unwrap();
        assert!(
            root().join(format!("consoles/{path}.html")).is_file(),
            "{url}"
        );
    }
}

#[test]
fn the_app_list_snapshot_yields_one_identity_per_client() {
    let page = snapshot(LIST_URL, &mock("ac/owl/list.html"));
    assert_eq!(format_of(page.as_bytes()), Some("google.app_list_page"));
    let inv = read(&[(LIST_URL, page.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 8, "{:?}", ids(&inv));
    assert!(inv.identities.iter().all(|i| i.kind == Kind::OauthApp));

    let calendly = native(&inv, CALENDLY);
    assert_eq!(calendly.id, format!("google:oauth_app:{CALENDLY}"));
    assert_eq!(calendly.name, "Calendly");
    assert_eq!(calendly.client_id.as_deref(), Some(CALENDLY));
    assert_eq!(calendly.ownership, Ownership::NotRecorded);
    assert_eq!(calendly.usage, Usage::NotRecorded);
    let publisher = calendly.publisher.as_ref().unwrap();
    assert_eq!(publisher.verified, Some(true));
    assert_eq!(publisher.party, Party::ThirdParty);
    let names: Vec<&str> = calendly.grants.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        ["Calendar (requested service)", "Other (requested service)"]
    );
    assert_eq!(
        calendly.location.as_deref(),
        Some("2 users in the Admin console; Web application; access: Limited")
    );
    assert!(calendly.sources.iter().any(|s| &**s == LIST_URL));

    let hostile = inv.identities.iter().find(|i| i.name == HOSTILE).unwrap();
    assert_eq!(hostile.publisher.as_ref().unwrap().verified, Some(false));
    let blocked = inv
        .identities
        .iter()
        .find(|i| i.name == "Old CRM Sync")
        .unwrap();
    assert!(!blocked.enabled);
    let internal = inv
        .identities
        .iter()
        .find(|i| i.name == "Acme Expense Reports")
        .unwrap();
    assert_eq!(internal.party(), Party::Internal);
    let chrome = native(&inv, "77185425430.apps.googleusercontent.com");
    assert_eq!(chrome.party(), Party::FirstParty);
    assert!(
        chrome
            .location
            .as_deref()
            .is_some_and(|l| l.contains("1204 users")),
        "{:?}",
        chrome.location
    );
}

#[test]
fn every_identity_on_the_list_has_a_row_to_badge() {
    let html = mock("ac/owl/list.html");
    let plan = plan_for(LIST_URL).unwrap();
    let rows = row_keys(&html, &plan.rows);
    let page = snapshot(LIST_URL, &html);
    let inv = read(&[(LIST_URL, page.as_bytes())]);
    for identity in &inv.identities {
        let found = rows
            .iter()
            .filter(|keys| {
                keys.iter().any(|k| {
                    *k == identity.name || *k == identity.native_id || identity.aliases.contains(k)
                })
            })
            .count();
        assert_eq!(
            found, 1,
            "{} ({}) rows: {found}",
            identity.id, identity.name
        );
    }
}

#[test]
fn the_page_joins_the_tokens_and_the_export() {
    let page = snapshot(LIST_URL, &mock("ac/owl/list.html"));
    let tokens = fixture("tokens.json");
    let export = fixture("accessed_apps.csv");
    let inv = read(&[
        ("tokens.json", &tokens),
        ("accessed_apps.csv", &export),
        (LIST_URL, page.as_bytes()),
    ]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let calendly = native(&inv, CALENDLY);
    // Users' grants name the scopes; the page and the export add the console's view.
    assert!(calendly.grants.iter().any(|g| g.name == "calendar"));
    let sources: Vec<&str> = calendly.sources.iter().map(|s| &**s).collect();
    assert_eq!(sources, ["tokens.json", "accessed_apps.csv", LIST_URL]);
    assert_eq!(calendly.approved_by.len(), 1, "the granting user");
    let backupify = native(&inv, BACKUPIFY);
    assert!(backupify.sources.iter().any(|s| &**s == LIST_URL));
}

#[test]
fn the_delegation_page_is_read_by_its_format_and_joins_the_list() {
    let dwd = snapshot(DWD_URL, &mock("ac/owl/domainwidedelegation.html"));
    assert_eq!(
        format_of(dwd.as_bytes()),
        Some("google.domain_wide_delegation"),
        "the saved-page line names the delegation page"
    );
    let list = snapshot(LIST_URL, &mock("ac/owl/list.html"));
    let inv = read(&[(DWD_URL, dwd.as_bytes()), (LIST_URL, list.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 8 + 3, "{:?}", ids(&inv));
    let backupify = native(&inv, BACKUPIFY);
    assert_eq!(backupify.reach, Reach::All);
    let sources: Vec<&str> = backupify.sources.iter().map(|s| &**s).collect();
    assert_eq!(sources, [LIST_URL, DWD_URL]);
    let runner = native(&inv, "104758290123456789012");
    assert_eq!(runner.name, "backup-runner");
}

#[test]
fn a_saved_app_list_linking_to_the_delegation_page_is_still_the_app_list() {
    let page = format!(
        "<!-- saved from url=(0045){LIST_URL} -->\n<html><body><nav><a href=\"/ac/owl/domainwidedelegation\">Domain-wide delegation</a></nav>{}</body></html>",
        mock("ac/owl/list.html")
            .split("<main")
            .nth(1)
            .map(|rest| format!("<main{rest}"))
            .unwrap()
    );
    assert_eq!(format_of(page.as_bytes()), Some("google.app_list_page"));
}

#[test]
fn a_changed_app_list_is_reported_not_read_as_empty() {
    // The broken variant (?broken=1) redraws the table as cards: the required region is gone.
    let broken_url = "https://admin.google.com/ac/owl/list?tab=apps&broken=1";
    let plan = plan_for(broken_url).unwrap();
    let script = mock("_mock/owl-list.js");
    assert!(script.contains("broken") && script.contains("replaceWith"));
    // A snapshot without the table, as a saved copy of the redrawn page would be.
    let cards = "<div class=\"zXq1Rb\"><div class=\"Wb7yLe\"><div>Calendly</div><div>Web application</div><div>408912587736-x.apps.googleusercontent.com</div></div></div>";
    let page = console::snapshot_input(broken_url, cards);
    assert_eq!(format_of(page.as_bytes()), Some("google.app_list_page"));
    let inv = read(&[(broken_url, page.as_bytes())]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("page changed"));
    assert!(plan.regions.iter().any(|r| r.required));

    // The delegation page the same way.
    let page = console::snapshot_input(DWD_URL, "<div role=\"list\"><div>Backupify</div></div>");
    let inv = read(&[(DWD_URL, page.as_bytes())]);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0].message.contains("page changed"),
        "{:?}",
        inv.errors
    );

    // A header with nothing under it heads rows drawn elsewhere (outside the table the region
    // holds), not an empty list; an empty list says so in a row of its own.
    let apps_url = "https://admin.google.com/ac/owl/list?tab=apps";
    let header = "<table><thead><tr><th>App name</th><th>Type</th><th>ID</th></tr></thead><tbody></tbody></table>";
    let read_apps =
        |html: &str| read(&[(apps_url, console::snapshot_input(apps_url, html).as_bytes())]);
    let inv = read_apps(header);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0]
            .message
            .contains("the page changed: the app table's header has nothing under it"),
        "{:?}",
        inv.errors
    );
    // Said in a row of its own, or beside the table rather than in a row of it, shown: an empty
    // list too.
    for empty in [
        header.replace(
            "<tbody></tbody>",
            "<tbody><tr><td colspan=\"3\">No results</td></tr></tbody>",
        ),
        format!("{header}<div>No results</div>"),
        format!("{header}<p>No apps <b>found</b></p>"),
    ] {
        let inv = read_apps(&empty);
        assert!(
            inv.identities.is_empty() && inv.errors.is_empty(),
            "{empty}: {:?}",
            inv.errors
        );
    }
    // A name that merely holds the words is no message, and one kept hidden says nothing.
    for not_said in [
        format!("{header}<div>Casino apps of the week</div>"),
        format!("{header}<div hidden>No results</div>"),
    ] {
        let inv = read_apps(&not_said);
        assert!(
            inv.errors[0].message.contains("page changed"),
            "{not_said}: {:?}",
            inv.errors
        );
    }
    let header = "<table><tr><th>Name</th><th>Client ID</th><th>OAuth scopes</th></tr></table>";
    let inv = read(&[(DWD_URL, console::snapshot_input(DWD_URL, header).as_bytes())]);
    assert!(
        inv.errors[0]
            .message
            .contains("the page changed: the API clients' header has nothing under it"),
        "{:?}",
        inv.errors
    );
}

#[test]
fn an_empty_list_is_found_nothing() {
    let inv = read(&[("app_list_empty.html", &fixture("app_list_empty.html"))]);
    assert!(inv.identities.is_empty());
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
}

#[test]
fn shortened_ids_and_hidden_services_are_reported_rows_skipped_alone() {
    let table = r#"<table><thead><tr><th>App name</th><th>ID</th><th>Users</th><th>Requested services</th></tr></thead><tbody>
        <tr><td>Shortened</td><td>123456-abcdef…</td><td>3</td><td>Drive</td></tr>
        <tr><td>No id</td><td></td><td>3</td><td>Drive</td></tr>
        <tr><td>Fine</td><td>999-fine.apps.googleusercontent.com</td><td>many</td><td><span>Gmail</span><span>+2</span></td></tr>
        </tbody></table>"#;
    let page = console::snapshot_input(LIST_URL, table);
    let inv = read(&[(LIST_URL, page.as_bytes())]);
    assert_eq!(
        ids(&inv),
        ["google:oauth_app:999-fine.apps.googleusercontent.com"]
    );
    let messages: Vec<&str> = inv.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("shortened")));
    assert!(messages.iter().any(|m| m.contains("shows no ID")));
    assert!(messages.iter().any(|m| m.contains("not a number")));
    assert!(messages.iter().any(|m| m.contains("2 more hidden")));
    let fine = &inv.identities[0];
    assert_eq!(fine.grants.len(), 1);
}

#[test]
fn the_configured_apps_tab_reads_with_fewer_columns() {
    let inv = read(&[("app_list_partial.html", &fixture("app_list_partial.html"))]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 3);
    let ios = native(&inv, "com.acme.expenses");
    assert_eq!(ios.name, "Expenses (iOS)");
    assert_eq!(ios.location.as_deref(), Some("iOS; access: Trusted"));
    assert!(ios.grants.is_empty());
    let crm = native(&inv, "443322110099-0ldcrm5ync0a9s8d7f6g5h4j3k2l1z0x");
    assert!(!crm.enabled);
    // The same client with its suffix, from the accessed-apps list: one identity.
    let list = fixture("app_list.html");
    let inv = read(&[
        ("app_list_partial.html", &fixture("app_list_partial.html")),
        ("app_list.html", &list),
    ]);
    let crm = native(
        &inv,
        "443322110099-0ldcrm5ync0a9s8d7f6g5h4j3k2l1z0x.apps.googleusercontent.com",
    );
    assert!(
        crm.aliases
            .contains(&"443322110099-0ldcrm5ync0a9s8d7f6g5h4j3k2l1z0x".to_string())
    );
}

#[test]
fn the_mock_console_has_a_strict_policy_and_no_inline_script() {
    let csp = mock("csp.txt");
    assert!(csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-eval"));
    for page in ["ac/owl/list.html", "ac/owl/domainwidedelegation.html"] {
        let html = mock(page);
        let document = Html::parse_document(&html);
        let scripts = Selector::parse("script").unwrap();
        for script in document.select(&scripts) {
            assert!(script.attr("src").is_some(), "{page}: inline script");
        }
        let all = Selector::parse("*").unwrap();
        for element in document.select(&all) {
            assert!(
                element
                    .value()
                    .attrs()
                    .all(|(name, _)| !name.starts_with("on")),
                "{page}: an event handler attribute"
            );
        }
    }
    // The hostile name is text on the page.
    assert!(mock("ac/owl/list.html").contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn a_header_s_icon_before_its_name_is_not_its_name() {
    // Material's sort icon is a ligature, text in an element hidden from assistive technology.
    let apps_url = "https://admin.google.com/ac/owl/list?tab=apps";
    let html = r#"<table><thead><tr><th><i class="material-icons" aria-hidden="true">arrow_downward</i>App name</th><th><span class="google-material-icons">sort</span>Type</th><th>ID</th></tr></thead>
        <tbody><tr><td>Calendly</td><td>Web application</td><td>408912587736-abc.apps.googleusercontent.com</td></tr></tbody></table>"#;
    let inv = read(&[(apps_url, console::snapshot_input(apps_url, html).as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 1);
    assert_eq!(inv.identities[0].name, "Calendly");
    // A sortable header's button of an icon class around its label is no icon.
    let buttons = html.replace(
        r#"<i class="material-icons" aria-hidden="true">arrow_downward</i>App name"#,
        r#"<button class="iconButton sort">App name</button>"#,
    );
    assert_ne!(buttons, html);
    let inv = read(&[(
        apps_url,
        console::snapshot_input(apps_url, &buttons).as_bytes(),
    )]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 1);
}

#[test]
fn delegation_rows_without_a_readable_client_id_are_a_changed_page_not_no_clients() {
    let page = String::from_utf8(fixture("domain_wide_delegation.html")).unwrap();
    let client_ids = [BACKUPIFY, "104758290123456789012", "117733990011224466880"];
    let read_page =
        |html: &str| read(&[(DWD_URL, console::snapshot_input(DWD_URL, html).as_bytes())]);
    // Every ID shortened, or the cell a link to the client's details: nothing read, and said.
    let shortened = client_ids.iter().fold(page.clone(), |p, id| {
        p.replace(id, &format!("{}…", &id[..8]))
    });
    let hidden = client_ids
        .iter()
        .fold(page.clone(), |p, id| p.replace(id, "View details"));
    for changed in [&shortened, &hidden] {
        assert_ne!(changed, &page);
        let inv = read_page(changed);
        assert!(inv.identities.is_empty());
        assert!(
            inv.errors[0].message.contains("page changed"),
            "{:?}",
            inv.errors
        );
        assert_eq!(inv.errors.len(), 1 + 3, "each row named: {:?}", inv.errors);
    }
    // One ID shortened: the others read, that one reported.
    let one = page.replace(BACKUPIFY, "95025134…");
    let inv = read_page(&one);
    assert_eq!(inv.identities.len(), 2, "{:?}", ids(&inv));
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("Backupify"));
    // The empty page's one-cell message is still no clients.
    let inv = read(&[(
        "domain_wide_delegation_empty.html",
        &fixture("domain_wide_delegation_empty.html"),
    )]);
    assert!(
        inv.identities.is_empty() && inv.errors.is_empty(),
        "{:?}",
        inv.errors
    );
}

#[test]
fn a_second_table_is_not_read_with_the_app_table_s_columns() {
    // A table of Google services after the app table: its header names no app, and its rows
    // (Gmail, 4 apps) are no OAuth clients.
    let services = r#"<table role="grid" aria-label="Services"><thead><tr><th role="columnheader">Service</th><th role="columnheader">Status</th><th role="columnheader">Apps</th><th role="columnheader">Users</th></tr></thead><tbody><tr><td>Gmail</td><td>Unrestricted</td><td>4</td><td>120</td></tr><tr><td>Drive and Docs</td><td>Restricted</td><td>7</td><td>88</td></tr></tbody></table>"#;
    let list = fixture("app_list.html");
    let alone = read(&[("app_list.html", &list)]);
    let mut with_services = list.clone();
    with_services.extend_from_slice(services.as_bytes());
    let inv = read(&[("app_list.html", &with_services)]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(ids(&inv), ids(&alone));
    // Nor are rows of a table without a header of its own, after the app table.
    let footer = "<table><tr><td>Gmail</td><td>Google service</td><td>4</td></tr></table>";
    let mut with_footer = list.clone();
    with_footer.extend_from_slice(footer.as_bytes());
    let inv = read(&[("app_list.html", &with_footer)]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(ids(&inv), ids(&alone));
}
