//! The Okta Admin Console pages (`src/platforms/okta/pages.rs`) against the mock console in
//! `tests/consoles/acme-admin.okta.com`: each page's plan keeps the `/api/v1` responses it loads and
//! nothing else, on the admin host and the org host alike; the first page of a list names the next
//! in its `Link` header and both pages read; client secret values never reach the model or a
//! report; a snapshot of each page's table passes its layout check and a changed layout is reported
//! as a changed page.

mod common;

use std::path::Path;

use common::ids;
use nhi_lens::console::{self, effective_url, keeps_response, page_for, plan_for, snapshot_input};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{AccountStatus, CredentialKind, Identity, Kind, Ownership, Timestamp};
use nhi_lens::{Policy, timestamp};

#[path = "support/mock_consoles.rs"]
mod mock_consoles;
use mock_consoles::{consoles, served_file};
const BASE: &str = "http://127.0.0.1:8080";

const TOKENS: &str = "/acme-admin.okta.com/admin/access/api/tokens";
const APPS: &str = "/acme-admin.okta.com/admin/apps/active";
const INSTANCE: &str = "/acme-admin.okta.com/admin/app/oidc_client/instance/0oa1invsync000000001/";

const TOKENS_PAGE1: &str = "/acme-admin.okta.com/api/v1/api-tokens?limit=4";
const USERS: &str = "/acme-admin.okta.com/api/v1/users?filter=id%20eq%20%2200u1dana000000000001%22%20or%20id%20eq%20%2200u1erik000000000002%22%20or%20id%20eq%20%2200u1priya00000000003%22";
const APPS_PAGE1: &str = "/acme-admin.okta.com/api/v1/apps?limit=4";
const APP: &str = "/acme-admin.okta.com/api/v1/apps/0oa1invsync000000001";
const APP_EXPANDED: &str =
    "/acme-admin.okta.com/api/v1/apps/0oa1invsync000000001?expand=user%2Fcredentials";
const GRANTS: &str = "/acme-admin.okta.com/api/v1/apps/0oa1invsync000000001/grants";
const SECRETS: &str = "/acme-admin.okta.com/api/v1/apps/0oa1invsync000000001/credentials/secrets";

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

/// The `rel="next"` target of the `Link` header the mock sends with a response, if any.
fn next_link(path: &str) -> Option<String> {
    let headers =
        std::fs::read_to_string(format!("{}.headers", served_file(path).display())).ok()?;
    let link = headers.lines().find_map(|l| l.strip_prefix("Link: "))?;
    link.split(", ").find_map(|part| {
        let (target, rel) = part.split_once(">; ")?;
        (rel == "rel=\"next\"").then(|| target.trim_start_matches('<').to_string())
    })
}

fn read(paths: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for path in paths {
        let url = effective_url(&format!("{BASE}{path}"));
        collector.add(&url, &std::fs::read(served_file(path)).unwrap());
    }
    let inventory = collector.finish();
    assert!(
        inventory.errors.is_empty(),
        "errors reading {paths:?}: {:#?}",
        inventory.errors
    );
    inventory
}

fn id<'a>(inventory: &'a Inventory, full: &str) -> &'a Identity {
    inventory
        .identities
        .iter()
        .find(|i| i.id == full)
        .unwrap_or_else(|| {
            panic!(
                "no {full} in {:?}",
                inventory
                    .identities
                    .iter()
                    .map(|i| &i.id)
                    .collect::<Vec<_>>()
            )
        })
}

#[test]
fn each_page_keeps_the_api_responses_that_carry_identities_and_nothing_else() {
    for (url, page, region, kept, dropped) in [
        (
            TOKENS,
            "okta.api_tokens_page",
            "[data-se=api-token-list]",
            &[TOKENS_PAGE1, USERS][..],
            &[APPS_PAGE1, GRANTS][..],
        ),
        (
            APPS,
            "okta.apps_page",
            "[data-se=app-instance-list]",
            &[APPS_PAGE1][..],
            &[TOKENS_PAGE1, APP][..],
        ),
        (
            INSTANCE,
            "okta.app_instance_page",
            "[data-se=app-instance-tabs]",
            // The app itself too, read as the apps list's records are, with a query or without.
            &[APP, APP_EXPANDED, GRANTS, SECRETS][..],
            &[APPS_PAGE1][..],
        ),
    ] {
        let full = format!("{BASE}{url}");
        let plan = plan_for(&full).unwrap_or_else(|| panic!("no plan for {full}"));
        assert_eq!(plan.page, page);
        assert_eq!(plan.tenant, "okta:acme");
        assert!(
            plan.regions
                .iter()
                .any(|r| r.selector == region && r.required)
        );
        let (found, _, _) = page_for(&full).unwrap();
        for path in kept {
            assert!(
                keeps_response(found, &format!("{BASE}{path}")),
                "{page} drops {path}"
            );
            // The same call on the org host (`acme.okta.com`) is kept too.
            let org = path.replace("/acme-admin.okta.com/", "/acme.okta.com/");
            assert!(
                keeps_response(found, &format!("{BASE}{org}")),
                "{page} drops {org}"
            );
        }
        for path in dropped {
            assert!(
                !keeps_response(found, &format!("{BASE}{path}")),
                "{page} keeps {path}"
            );
        }
    }
    assert_eq!(
        plan_for(&format!("{BASE}{INSTANCE}")).unwrap().rows,
        "tr, [role=row], li, [role=listitem], [data-se=app-instance-header]",
        "the app page badges the app's own header"
    );
    assert_eq!(
        plan_for(&format!("{BASE}{TOKENS}")).unwrap().rows,
        console::GENERIC_ROWS
    );
    // Another org's responses are never taken for this one's: the tenant is in the host.
    let (page, _, _) = page_for(&format!("{BASE}{TOKENS}")).unwrap();
    assert!(!keeps_response(
        page,
        "https://acme-admin.okta.evil.example/api/v1/api-tokens"
    ));
}

#[test]
fn a_list_shows_its_first_page_and_its_link_header_names_the_next() {
    for (page1, want) in [
        (
            TOKENS_PAGE1,
            "/acme-admin.okta.com/api/v1/api-tokens?after=00T1adagent000000004&limit=4",
        ),
        (
            APPS_PAGE1,
            "/acme-admin.okta.com/api/v1/apps?after=0oa1datadog000000003&limit=4",
        ),
    ] {
        let next = next_link(page1).expect("page 1 names the next page");
        assert_eq!(next, want);
        // The mock serves it, the plan of the page that loaded page 1 keeps it, and it is the last.
        let page_url = if page1 == TOKENS_PAGE1 { TOKENS } else { APPS };
        let (page, _, _) = page_for(&format!("{BASE}{page_url}")).unwrap();
        assert!(keeps_response(page, &format!("{BASE}{next}")));
        assert!(served_file(&next).is_file());
        assert_eq!(next_link(&next), None);
    }
}

#[test]
fn both_pages_of_tokens_read_with_their_owners_named() {
    let page2 = next_link(TOKENS_PAGE1).unwrap();
    let inventory = read(&[TOKENS_PAGE1, &page2, USERS]);
    assert_eq!(
        ids(&inventory),
        [
            "okta:api_token:00T1adagent000000004",
            "okta:api_token:00T1hostile000000003",
            "okta:api_token:00T1oldscript0000005",
            "okta:api_token:00T1siemexport000002",
            "okta:api_token:00T1terraform0000001",
        ]
    );
    let terraform = id(&inventory, "okta:api_token:00T1terraform0000001");
    assert_eq!(terraform.kind, Kind::ApiToken);
    assert_eq!(terraform.name, "Okta Terraform");
    assert_eq!(terraform.created_at, Some(ts("2024-02-01T15:04:05Z")));
    let owner = &terraform.ownership.owners()[0].who;
    assert_eq!(owner.id.as_deref(), Some("00u1dana000000000001"));
    assert_eq!(owner.status, AccountStatus::Active);
    // A token of an admin who left: Okta rejects it, and the owner shows as gone.
    let siem = id(&inventory, "okta:api_token:00T1siemexport000002");
    assert_eq!(
        siem.ownership.owners()[0].who.status,
        AccountStatus::Disabled
    );
    assert_eq!(
        id(&inventory, "okta:api_token:00T1hostile000000003").name,
        "<img src=x onerror=alert(1)>"
    );
    // Page 2 alone is read the same way.
    assert_eq!(read(&[&page2]).identities.len(), 1);
}

#[test]
fn both_pages_of_apps_and_an_apps_grants_and_secrets_read_into_service_apps() {
    let page2 = next_link(APPS_PAGE1).unwrap();
    let mut paths = vec![APPS_PAGE1, page2.as_str(), GRANTS, SECRETS];
    let others: Vec<String> = [
        "0oa1hrprov0000000002",
        "0oa1datadog000000003",
        "0oa1cron00000000005",
    ]
    .iter()
    .flat_map(|app| {
        [
            format!("/acme-admin.okta.com/api/v1/apps/{app}/grants"),
            format!("/acme-admin.okta.com/api/v1/apps/{app}/credentials/secrets"),
        ]
    })
    .collect();
    paths.extend(others.iter().map(String::as_str));
    let inventory = read(&paths);
    // The SAML app and the web app sign people in: they are not identities.
    assert_eq!(
        ids(&inventory),
        [
            "okta:oauth_app:0oa1cron00000000005",
            "okta:oauth_app:0oa1datadog000000003",
            "okta:oauth_app:0oa1hrprov0000000002",
            "okta:oauth_app:0oa1invsync000000001",
        ]
    );
    let inv = id(&inventory, "okta:oauth_app:0oa1invsync000000001");
    assert_eq!(inv.name, "Inventory Sync");
    assert_eq!(inv.created_at, Some(ts("2021-07-12T13:00:00Z")));
    let mut scopes: Vec<&str> = inv.grants.iter().map(|g| g.name.as_str()).collect();
    scopes.sort_unstable();
    assert_eq!(scopes, ["okta.groups.manage", "okta.users.read"]);
    let secrets: Vec<_> = inv
        .credentials
        .iter()
        .filter(|c| c.kind == CredentialKind::Secret)
        .collect();
    assert_eq!(secrets.len(), 2);
    assert_eq!(inv.ownership, Ownership::NotRecorded);
    assert!(
        !id(&inventory, "okta:oauth_app:0oa1cron00000000005").enabled,
        "page 2's inactive app"
    );
    let hr = id(&inventory, "okta:oauth_app:0oa1hrprov0000000002");
    assert!(hr.credentials.iter().all(|c| c.kind == CredentialKind::Key));
}

#[test]
fn client_secret_values_never_reach_the_model_or_a_report() {
    let bytes = std::fs::read(served_file(SECRETS)).unwrap();
    let served = String::from_utf8_lossy(&bytes);
    assert!(
        served.contains("\"client_secret\": \"FAKE-MOCK-CLIENT-SECRET-"),
        "the list carries values"
    );
    assert!(served.contains("FAKE-MOCK-HASH-"));

    let inventory = read(&[APPS_PAGE1, GRANTS, SECRETS]);
    let model = serde_json::to_string(&inventory.identities).unwrap();
    assert!(!model.contains("FAKE-MOCK"), "{model}");

    let url = effective_url(&format!("{BASE}{SECRETS}"));
    let apps = effective_url(&format!("{BASE}{APPS_PAGE1}"));
    let apps_bytes = std::fs::read(served_file(APPS_PAGE1)).unwrap();
    let report = nhi_lens::scan(
        [
            (apps.as_str(), apps_bytes.as_slice()),
            (url.as_str(), bytes.as_slice()),
        ],
        &Policy::default(),
        ts("2026-11-29T00:00:00Z"),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let json = nhi_lens::report::to_json(&report).to_string();
    assert!(json.contains("Inventory Sync"));
    assert!(!json.contains("FAKE-MOCK"));
}

fn region_html(name: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/okta")
            .join(name),
    )
    .unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

fn read_snapshot(page_url: &str, html: &str) -> Inventory {
    let mut collector = Collector::new();
    collector.add(
        &effective_url(page_url),
        snapshot_input(page_url, html).as_bytes(),
    );
    collector.finish()
}

/// The keys each row offers the row finder: every element's own text and every link's last path
/// segment.
fn row_keys(html: &str, rows: &str) -> Vec<Vec<String>> {
    use scraper::{ElementRef, Html, Node, Selector};
    let document = Html::parse_fragment(html);
    let rows = Selector::parse(rows).unwrap();
    document
        .select(&rows)
        .map(|row| {
            let mut keys = Vec::new();
            for element in
                std::iter::once(row).chain(row.descendants().filter_map(ElementRef::wrap))
            {
                let own: String = element
                    .children()
                    .filter_map(|c| match c.value() {
                        Node::Text(t) => Some(&**t),
                        _ => None,
                    })
                    .collect();
                if !own.trim().is_empty() {
                    keys.push(own.trim().to_string());
                }
                if let Some(href) = element.value().attr("href") {
                    let path = href.split(['?', '#']).next().unwrap_or("");
                    keys.extend(
                        path.trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .map(str::to_string),
                    );
                }
            }
            keys
        })
        .collect()
}

#[test]
fn a_snapshot_of_each_pages_table_passes_its_layout_check_and_each_identity_has_a_row() {
    for (url, page, fixture, json) in [
        (
            TOKENS,
            "okta.api_tokens_page",
            "console_api_tokens.html",
            &[TOKENS_PAGE1][..],
        ),
        (
            APPS,
            "okta.apps_page",
            "console_apps.html",
            &[APPS_PAGE1][..],
        ),
        (
            INSTANCE,
            "okta.app_instance_page",
            "console_app_instance.html",
            &[][..],
        ),
    ] {
        let full = format!("{BASE}{url}");
        let html = region_html(fixture);
        let inventory = read_snapshot(&full, &html);
        assert!(
            inventory.errors.is_empty(),
            "{page}: {:?}",
            inventory.errors
        );
        assert_eq!(inventory.inputs[0].format.as_deref(), Some(page));
        assert!(inventory.identities.is_empty());
        let rows = row_keys(&html, console::GENERIC_ROWS);
        for identity in &read(json).identities {
            assert!(
                rows.iter()
                    .any(|r| r.contains(&identity.name) || r.contains(&identity.native_id)),
                "{page}: no row for {}",
                identity.id
            );
        }
    }
    // A token's row names it by its ID too, in the link to the token.
    let rows = row_keys(&region_html("console_api_tokens.html"), "tr");
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|k| k == "00T1terraform0000001"))
    );
}

#[test]
fn a_changed_layout_is_a_changed_page_not_an_empty_org() {
    for (path, page, what) in [
        (
            "/broken-admin.okta.com/admin/access/api/tokens",
            "okta.api_tokens_page",
            "API tokens table",
        ),
        (
            "/broken-admin.okta.com/admin/apps/active",
            "okta.apps_page",
            "applications table",
        ),
    ] {
        let url = format!("{BASE}{path}");
        let plan = plan_for(&url).unwrap();
        assert_eq!(
            (plan.page.as_str(), plan.tenant.as_str()),
            (page, "okta:broken")
        );
        let served = std::fs::read_to_string(
            consoles().join(format!("{}.html", path.trim_start_matches('/'))),
        )
        .unwrap();
        assert!(served.contains(r#"data-mock-layout="changed""#));
        // What the changed layout draws: the same facts as cards, no table in a known container.
        let cards = r#"<div class="api-token-list-v2"><div class="card-list" aria-label="API tokens"><div class="card"><p><b>Token name: </b><a href="/broken-admin.okta.com/admin/access/api/tokens/00T1brokentoken00001">Okta Terraform</a></p></div></div></div>"#;
        for html in [served.as_str(), cards] {
            let inventory = read_snapshot(&url, html);
            assert!(inventory.identities.is_empty());
            assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
            let message = &inventory.errors[0].message;
            assert!(
                message.contains("the page changed") && message.contains(what),
                "{message}"
            );
        }
    }
    // An app's page without its tabs has changed too.
    let url = format!("{BASE}{INSTANCE}");
    let inventory = read_snapshot(&url, r#"<main><h1>Inventory Sync</h1></main>"#);
    assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
    assert!(inventory.errors[0].message.contains("application tabs"));
    // The org's API still answers, and its responses still read.
    let inventory = read(&[
        "/broken-admin.okta.com/api/v1/api-tokens?limit=4",
        "/broken-admin.okta.com/api/v1/apps?limit=4",
    ]);
    assert_eq!(inventory.identities.len(), 2);
}

#[test]
fn an_apps_other_tabs_and_a_private_key_app_are_not_a_changed_page() {
    // The page shows one tab at a time: the Assignments tab's people, the Sign On tab's settings,
    // the General tab of an app that signs in with a private key (no secrets table).
    let url = format!("{BASE}{INSTANCE}");
    for tab in [
        r#"<table><thead><tr><th>Person</th><th>Type</th></tr></thead><tbody><tr><td>Ana</td><td>Individual</td></tr></tbody></table>"#,
        r#"<section><h3>Sign On Methods</h3><p>OpenID Connect</p></section>"#,
        r#"<section data-se="tab-general"><h3>Client Credentials</h3><p>Public key / Private key</p></section>"#,
    ] {
        let html = format!(r#"<div data-se="app-instance-tabs" class="tabs">{tab}</div>"#);
        let inventory = read_snapshot(&url, &html);
        assert!(inventory.errors.is_empty(), "{tab}: {:?}", inventory.errors);
    }
}

#[test]
fn an_app_loaded_with_a_query_reads_as_without() {
    let body = std::fs::read(served_file(APP)).unwrap();
    let read_as = |path: &str| {
        let mut collector = Collector::new();
        collector.add(&effective_url(&format!("{BASE}{path}")), &body);
        let inventory = collector.finish();
        assert!(inventory.errors.is_empty(), "{:#?}", inventory.errors);
        inventory
            .identities
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(!read_as(APP).is_empty());
    assert_eq!(read_as(APP_EXPANDED), read_as(APP));
}
