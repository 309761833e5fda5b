//! The Entra admin center pages (`src/platforms/entra/pages.rs`) against the mock console in
//! `tests/consoles/entra.microsoft.com` and the mock Graph in `tests/consoles/graph.microsoft.com`:
//! each page's plan keeps the Graph responses its view loads and nothing else, what those responses
//! carry reads into the tenant's identities, and a snapshot of a view's grid passes its layout
//! check while a changed layout is reported as a changed page.

use std::path::Path;

use nhi_lens::console::{
    self, TENANT_REGION, effective_url, keeps_response, page_for, plan_for, snapshot_input,
};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{AccountStatus, GrantVia, Identity, Kind, Ownership, Party, Tier, Timestamp};
use nhi_lens::timestamp;

#[path = "support/mock_consoles.rs"]
mod mock_consoles;
use mock_consoles::{consoles, served_file};

/// Where the test build serves the mock consoles; the port does not matter to the plans.
const BASE: &str = "http://127.0.0.1:8080";

const PAYROLL: &str = "a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01";
const CI: &str = "a0000002-5c2e-4d3b-9f10-6a7b8c9d0e02";
const LEGACY: &str = "a0000003-5c2e-4d3b-9f10-6a7b8c9d0e03";
const HOSTILE: &str = "a0000004-5c2e-4d3b-9f10-6a7b8c9d0e04";
const HELPDESK: &str = "a0000005-5c2e-4d3b-9f10-6a7b8c9d0e05";
const CONTOSO: &str = "b0000006-7a1b-4c2d-8e3f-9a0b1c2d3e06";
const FABRIKAM: &str = "b0000007-7a1b-4c2d-8e3f-9a0b1c2d3e07";
const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
const EXCHANGE: &str = "00000002-0000-0ff1-ce00-000000000000";
const TEAMS: &str = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";

/// Calls every view makes that carry no identities: the plans must leave them alone.
const CHROME: &[&str] = &[
    "/graph.microsoft.com/v1.0/organization?$select=id,displayName",
    "/graph.microsoft.com/v1.0/me?$select=displayName,userPrincipalName",
];

/// One view as the mock draws it: its URL (on the loopback server), the page that reads it, and
/// the identity-bearing Graph calls it makes (as the browser sends them).
struct View {
    url: &'static str,
    page: &'static str,
    region: &'static str,
    fixture: &'static str,
    calls: &'static [&'static str],
}

const VIEWS: &[View] = &[
    View {
        url: "/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
        page: "entra.app_registrations",
        region: "[role=grid]",
        fixture: "console_app_registrations.html",
        calls: &[
            "/graph.microsoft.com/v1.0/applications?$top=50&$select=id,appId,displayName,createdDateTime,keyCredentials,passwordCredentials,publisherDomain,signInAudience",
        ],
    },
    View {
        url: "/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/a0000002-5c2e-4d3b-9f10-6a7b8c9d0e02/isMSAApp~/false",
        page: "entra.app_credentials",
        region: "[role=grid]",
        fixture: "console_app_credentials.html",
        calls: &[
            "/graph.microsoft.com/v1.0/applications(appId='a0000002-5c2e-4d3b-9f10-6a7b8c9d0e02')",
        ],
    },
    View {
        url: "/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01/isMSAApp~/false",
        page: "entra.app_api_permissions",
        region: "[role=grid]",
        fixture: "console_app_api_permissions.html",
        calls: &[
            "/graph.microsoft.com/v1.0/applications?$filter=appId%20eq%20%27a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01%27",
            "/graph.microsoft.com/v1.0/servicePrincipals?$filter=appId%20eq%20%27a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01%27",
            "/graph.microsoft.com/v1.0/servicePrincipals/5e000001-2b3c-4d5e-8f60-7a8b9c0d1e01/appRoleAssignments",
            "/graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId%20eq%20%275e000001-2b3c-4d5e-8f60-7a8b9c0d1e01%27",
            "/graph.microsoft.com/v1.0/servicePrincipals?$filter=appId%20eq%20%2700000003-0000-0000-c000-000000000000%27",
        ],
    },
    View {
        url: "/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Owners/appId/a0000003-5c2e-4d3b-9f10-6a7b8c9d0e03/isMSAApp~/false",
        page: "entra.app_owners",
        region: "[role=grid]",
        fixture: "console_app_owners.html",
        calls: &[
            "/graph.microsoft.com/v1.0/applications?$filter=appId%20eq%20%27a0000003-5c2e-4d3b-9f10-6a7b8c9d0e03%27",
            "/graph.microsoft.com/v1.0/applications/0a1b2c3d-1111-4a11-8111-000000000003/owners?$select=id,displayName,userPrincipalName,mail,accountEnabled",
        ],
    },
    View {
        url: "/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview",
        page: "entra.enterprise_apps",
        region: "[role=grid]",
        fixture: "console_enterprise_apps.html",
        calls: &[
            "/graph.microsoft.com/beta/servicePrincipals?$top=6&$count=true&$select=id,appId,displayName,appOwnerOrganizationId,homepage,createdDateTime,servicePrincipalType,tags,verifiedPublisher,accountEnabled",
        ],
    },
];

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

/// What the mock server answers for a loopback path.
fn serve(path: &str) -> Vec<u8> {
    std::fs::read(served_file(path)).unwrap()
}

/// Reads these loopback responses as the background would: each under its real URL.
fn read(paths: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for path in paths {
        collector.add(&effective_url(&format!("{BASE}{path}")), &serve(path));
    }
    let inventory = collector.finish();
    assert!(
        inventory.errors.is_empty(),
        "errors reading {paths:?}: {:#?}",
        inventory.errors
    );
    inventory
}

fn app<'a>(inventory: &'a Inventory, app_id: &str) -> &'a Identity {
    let id = format!("entra:service_principal:{app_id}");
    inventory
        .identities
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no {id} in {:?}",
                inventory
                    .identities
                    .iter()
                    .map(|i| &i.id)
                    .collect::<Vec<_>>()
            )
        })
}

fn grant_names(identity: &Identity) -> Vec<&str> {
    let mut names: Vec<&str> = identity.grants.iter().map(|g| g.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn each_view_has_its_page_and_keeps_exactly_the_graph_calls_that_carry_identities() {
    for view in VIEWS {
        let url = format!("{BASE}{}", view.url);
        let plan = plan_for(&url).unwrap_or_else(|| panic!("no plan for {url}"));
        assert_eq!(plan.page, view.page, "{url}");
        // The admin center's URL names no tenant: the inventory is the host's.
        assert_eq!(plan.tenant, "entra:entra.microsoft.com");
        assert_eq!(plan.rows, console::GENERIC_ROWS);
        assert!(
            plan.regions
                .iter()
                .any(|r| r.selector == view.region && r.required),
            "{}: the grid is a required region",
            view.page
        );
        let (page, _, _) = page_for(&url).unwrap();
        for call in view.calls {
            assert!(
                keeps_response(page, &format!("{BASE}{call}")),
                "{} drops {call}",
                view.page
            );
        }
        for call in CHROME {
            assert!(
                !keeps_response(page, &format!("{BASE}{call}")),
                "{} keeps {call}",
                view.page
            );
        }
        // Calls of other views are kept too: the admin center moves between views without
        // loading a page.
        for other in VIEWS {
            for call in other.calls {
                assert!(
                    keeps_response(page, &format!("{BASE}{call}")),
                    "{} drops {call}",
                    view.page
                );
            }
        }
    }
}

#[test]
fn the_same_views_in_the_azure_portal_keep_the_same_calls_and_snapshot_nothing() {
    for view in VIEWS {
        let url = format!(
            "{BASE}{}",
            view.url
                .replace("/entra.microsoft.com/", "/portal.azure.com/")
        );
        let plan = plan_for(&url).unwrap_or_else(|| panic!("no plan for {url}"));
        assert_eq!(plan.page, view.page.replace("entra.", "entra.portal_"));
        assert_eq!(plan.tenant, "entra:portal.azure.com");
        // Nothing but the account menu naming the directory.
        let regions: Vec<&str> = plan.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(regions, [TENANT_REGION]);
        let (page, _, _) = page_for(&url).unwrap();
        for call in view.calls {
            assert!(keeps_response(page, &format!("{BASE}{call}")));
        }
    }
    // A tenant named in the path, and the older blade form, are the same views.
    let plan = plan_for(&format!(
        "{BASE}/entra.microsoft.com/acme.onmicrosoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade/quickStartType~/null"
    ))
    .unwrap();
    assert_eq!(plan.page, "entra.app_registrations");
}

#[test]
fn views_this_table_has_not_seen_keep_the_graph_calls_without_a_layout_check() {
    for (url, id) in [
        (
            "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView",
            "entra.other_enterprise_app_views",
        ),
        (
            "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps",
            "entra.other_enterprise_app_views",
        ),
        (
            "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/x",
            "entra.other_app_registration_views",
        ),
        (
            "https://portal.azure.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView",
            "entra.portal_other_enterprise_app_views",
        ),
    ] {
        let plan = plan_for(url).unwrap_or_else(|| panic!("no plan for {url}"));
        assert_eq!(plan.page, id);
        assert!(
            plan.regions
                .iter()
                .all(|r| r.name == TENANT_REGION && !r.required),
            "{id}: an unknown layout cannot be checked"
        );
        let (page, _, _) = page_for(url).unwrap();
        for call in VIEWS.iter().flat_map(|v| v.calls) {
            assert!(
                keeps_response(page, &format!("{BASE}{call}")),
                "{id} drops {call}"
            );
        }
    }
    // The views of other extensions (devices, users) show no apps.
    assert!(
        plan_for(
            "https://entra.microsoft.com/#view/Microsoft_AAD_Devices/DevicesMenuBlade/~/Devices"
        )
        .is_none()
    );
}

#[test]
fn graph_calls_the_readers_do_not_know_are_not_kept() {
    let (page, _, _) = page_for(
        "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
    )
    .unwrap();
    for url in [
        "https://graph.microsoft.com/v1.0/applications/0a1b2c3d-1111-4a11-8111-000000000001/logo",
        "https://graph.microsoft.com/v1.0/applications/0a1b2c3d-1111-4a11-8111-000000000001/extensionProperties",
        "https://graph.microsoft.com/v1.0/me/ownedObjects",
        "https://graph.example.com/v1.0/applications",
    ] {
        assert!(!keeps_response(page, url), "{url}");
    }
    for url in [
        "https://graph.microsoft.com/beta/applications?$top=100",
        "https://graph.microsoft.com/v1.0/myorganization/applications",
        // One app or service principal, by its object ID or its app ID (an alternate key).
        "https://graph.microsoft.com/v1.0/applications/0a1b2c3d-1111-4a11-8111-000000000001",
        "https://graph.microsoft.com/v1.0/myorganization/applications/0a1b2c3d-1111-4a11-8111-000000000001?$select=id,appId,passwordCredentials",
        "https://graph.microsoft.com/v1.0/applications(appId='a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01')",
        "https://graph.microsoft.com/beta/applications(appId=%27a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01%27)?$select=id",
        "https://graph.microsoft.com/v1.0/servicePrincipals/5e000001-2b3c-4d5e-8f60-7a8b9c0d1e01",
        "https://graph.microsoft.com/v1.0/servicePrincipals(appId='a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01')",
        "https://graph.microsoft.com/beta/reports/servicePrincipalSignInActivities?$filter=appId%20eq%20%27x%27",
        "https://graph.microsoft.com/beta/reports/appCredentialSignInActivities",
        "https://graph.microsoft.com/v1.0/servicePrincipals/5e000001-2b3c-4d5e-8f60-7a8b9c0d1e01/owners",
        "https://graph.microsoft.com/v1.0/users?$select=id,accountEnabled",
        // Batched calls: each answer in the response is read as if loaded alone.
        "https://graph.microsoft.com/v1.0/$batch",
        "https://graph.microsoft.com/beta/$batch",
    ] {
        assert!(keeps_response(page, url), "{url}");
    }
}

/// Every response any view keeps, and the page the enterprise apps list's `@odata.nextLink` names.
fn tenant() -> Inventory {
    let mut paths: Vec<&str> = VIEWS.iter().flat_map(|v| v.calls.iter().copied()).collect();
    let next = "/graph.microsoft.com/beta/servicePrincipals?$skiptoken=RFNwdAIAAQAAACpTZXJ2aWNlUHJpbmNpcGFsXzVlMDAwMDA0LTJiM2MtNGQ1ZS04ZjYwLTdhOGI5YzBkMWUwNA";
    paths.push(next);
    for app in [
        "000000000001",
        "000000000002",
        "000000000004",
        "000000000005",
    ] {
        paths.push(Box::leak(
            format!("/graph.microsoft.com/v1.0/applications/0a1b2c3d-1111-4a11-8111-{app}/owners")
                .into_boxed_str(),
        ));
    }
    for sp in [
        "5e000002-2b3c-4d5e-8f60-7a8b9c0d1e02",
        "5e000003-2b3c-4d5e-8f60-7a8b9c0d1e03",
        "5e000007-2b3c-4d5e-8f60-7a8b9c0d1e07",
    ] {
        paths.push(Box::leak(
            format!("/graph.microsoft.com/v1.0/servicePrincipals/{sp}/appRoleAssignments")
                .into_boxed_str(),
        ));
    }
    paths.push("/graph.microsoft.com/v1.0/oauth2PermissionGrants");
    paths.push("/graph.microsoft.com/v1.0/users");
    let (page, _, _) = page_for(
        "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
    )
    .unwrap();
    for path in &paths {
        assert!(keeps_response(page, &format!("{BASE}{path}")), "{path}");
    }
    read(&paths)
}

#[test]
fn the_kept_graph_responses_read_into_the_tenant() {
    let inventory = tenant();
    let mut ids: Vec<&str> = inventory
        .identities
        .iter()
        .map(|i| i.native_id.as_str())
        .collect();
    ids.sort_unstable();
    let mut want = vec![
        PAYROLL, CI, LEGACY, HOSTILE, HELPDESK, CONTOSO, FABRIKAM, GRAPH, EXCHANGE, TEAMS,
    ];
    want.sort_unstable();
    assert_eq!(ids, want);
    assert!(
        inventory
            .identities
            .iter()
            .all(|i| i.kind == Kind::ServicePrincipal)
    );

    let payroll = app(&inventory, PAYROLL);
    assert_eq!(payroll.name, "Payroll Sync");
    assert!(
        payroll
            .aliases
            .iter()
            .any(|a| a == "0a1b2c3d-1111-4a11-8111-000000000001")
    );
    assert!(
        payroll
            .aliases
            .iter()
            .any(|a| a == "5e000001-2b3c-4d5e-8f60-7a8b9c0d1e01")
    );
    assert_eq!(payroll.created_at, Some(ts("2021-03-04T09:12:00Z")));
    assert_eq!(payroll.publisher.as_ref().unwrap().party, Party::Internal);
    assert_eq!(grant_names(payroll), ["Mail.Send", "User.Read.All"]);
    assert!(
        payroll
            .grants
            .iter()
            .all(|g| g.via == GrantVia::Application)
    );
    assert_eq!(payroll.credentials.len(), 1);
    assert_eq!(
        payroll.credentials[0].created_at,
        Some(ts("2021-03-04T09:20:00Z"))
    );
    let owners = payroll.ownership.owners();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0].who.name, "dana.whitfield@acme.example");
    assert_eq!(owners[0].who.status, AccountStatus::Active);

    let ci = app(&inventory, CI);
    assert_eq!(
        ci.ownership,
        Ownership::Missing,
        "its owners list was loaded and is empty"
    );
    assert_eq!(grant_names(ci), ["Application.ReadWrite.All"]);
    assert_eq!(ci.max_tier(), Some(Tier::Admin));
    assert_eq!(ci.credentials.len(), 2, "a certificate and a secret");

    let legacy = app(&inventory, LEGACY);
    assert_eq!(
        legacy.ownership.owners()[0].who.status,
        AccountStatus::Disabled
    );
    assert_eq!(legacy.created_at, Some(ts("2019-01-15T11:45:00Z")));

    let hostile = app(&inventory, HOSTILE);
    assert_eq!(hostile.name, "<img src=x onerror=alert(1)>");

    let helpdesk = app(&inventory, HELPDESK);
    assert_eq!(grant_names(helpdesk), ["User.Read"]);
    assert_eq!(
        helpdesk.grants[0].via,
        GrantVia::Delegated { all_users: false }
    );
    assert_eq!(
        helpdesk.approved_by[0].id.as_deref(),
        Some("d1a2b3c4-0000-4000-8000-000000000003")
    );

    let contoso = app(&inventory, CONTOSO);
    assert_eq!(contoso.publisher.as_ref().unwrap().party, Party::ThirdParty);
    assert!(
        contoso
            .grants
            .iter()
            .any(|g| g.name == "Mail.Read" && g.via == GrantVia::Delegated { all_users: true })
    );
    let fabrikam = app(&inventory, FABRIKAM);
    assert_eq!(
        fabrikam.publisher.as_ref().unwrap().party,
        Party::ThirdParty
    );
    assert_eq!(grant_names(fabrikam), ["Files.ReadWrite.All"]);

    for first in [GRAPH, EXCHANGE, TEAMS] {
        assert_eq!(
            app(&inventory, first).publisher.as_ref().unwrap().party,
            Party::FirstParty
        );
    }
}

#[test]
fn one_view_alone_reads_what_it_shows() {
    // The API permissions blade of Payroll Sync: the app, its service principal, its grants and
    // the Microsoft Graph service principal that names them.
    let view = VIEWS
        .iter()
        .find(|v| v.page == "entra.app_api_permissions")
        .unwrap();
    let inventory = read(view.calls);
    let payroll = app(&inventory, PAYROLL);
    assert_eq!(grant_names(payroll), ["Mail.Send", "User.Read.All"]);
    assert_eq!(
        payroll.ownership,
        Ownership::NotLoaded,
        "this view loads no owners"
    );

    // The owners blade of Legacy Reporting.
    let view = VIEWS.iter().find(|v| v.page == "entra.app_owners").unwrap();
    let inventory = read(view.calls);
    let legacy = app(&inventory, LEGACY);
    assert_eq!(
        legacy.ownership.owners()[0].who.name,
        "erik.lund@acme.example"
    );
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/entra")
            .join(name),
    )
    .unwrap()
}

/// The snapshot HTML of a fixture, without its `saved from` line.
fn region_html(name: &str) -> String {
    let text = fixture(name);
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

#[test]
fn a_snapshot_of_each_views_grid_passes_its_layout_check_and_adds_nothing() {
    for view in VIEWS {
        let url = format!("{BASE}{}", view.url);
        let inventory = read_snapshot(&url, &region_html(view.fixture));
        assert!(
            inventory.errors.is_empty(),
            "{}: {:?}",
            view.page,
            inventory.errors
        );
        assert_eq!(inventory.inputs[0].format.as_deref(), Some(view.page));
        assert!(inventory.identities.is_empty());
    }
}

/// The keys each row of a snapshot offers the row finder: every element's own trimmed text, and
/// the last path segment of every link (the content script's rule, `console::GENERIC_ROWS`).
fn row_keys(html: &str) -> Vec<Vec<String>> {
    use scraper::{ElementRef, Html, Node, Selector};
    let document = Html::parse_fragment(html);
    let rows = Selector::parse(console::GENERIC_ROWS).unwrap();
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
                    if let Some(last) = path.trim_end_matches('/').rsplit('/').next() {
                        keys.push(last.to_string());
                    }
                }
            }
            keys
        })
        .collect()
}

/// Whether some row of the snapshot carries one of the identity's keys.
fn has_row(rows: &[Vec<String>], identity: &Identity) -> bool {
    let keys: Vec<&str> = std::iter::once(identity.name.as_str())
        .chain(std::iter::once(identity.native_id.as_str()))
        .chain(identity.aliases.iter().map(String::as_str))
        .collect();
    rows.iter()
        .any(|row| row.iter().any(|k| keys.contains(&k.as_str())))
}

#[test]
fn every_app_a_list_loads_has_a_row_to_badge() {
    for (page, fixture) in [
        ("entra.app_registrations", "console_app_registrations.html"),
        ("entra.enterprise_apps", "console_enterprise_apps.html"),
    ] {
        let view = VIEWS.iter().find(|v| v.page == page).unwrap();
        let inventory = read(view.calls);
        assert!(!inventory.identities.is_empty());
        let rows = row_keys(&region_html(fixture));
        for identity in &inventory.identities {
            assert!(
                has_row(&rows, identity),
                "{page}: no row for {} ({})",
                identity.name,
                identity.id
            );
        }
    }
    let rows = row_keys(&region_html("console_app_registrations.html"));
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|k| k == "<img src=x onerror=alert(1)>")),
        "the hostile name is text"
    );
}

#[test]
fn a_changed_layout_is_a_changed_page_not_an_empty_tenant() {
    let broken = format!(
        "{BASE}/entra.microsoft.com/broken.onmicrosoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
    );
    let plan = plan_for(&broken).unwrap();
    assert_eq!(plan.page, "entra.app_registrations");
    let served = std::fs::read_to_string(
        consoles().join("entra.microsoft.com/broken.onmicrosoft.com/index.html"),
    )
    .unwrap();
    assert!(served.contains(r#"data-mock-layout="changed""#));

    // What the changed layout draws: cards, no grid.
    let cards = r#"<ul class="entra-card-list" aria-label="App registrations"><li class="entra-card"><p class="entra-card-field"><b>Display name: </b><span>Payroll Sync</span></p><p class="entra-card-field"><b>Application (client) ID: </b><span>a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01</span></p></li></ul>"#;
    for html in [
        served.as_str(),
        cards,
        "",
        "<div role=\"grid\"><div role=\"row\"><div role=\"columnheader\">Name</div></div></div>",
    ] {
        let inventory = read_snapshot(&broken, html);
        assert!(inventory.identities.is_empty());
        assert_eq!(inventory.errors.len(), 1, "{html}: {:?}", inventory.errors);
        assert!(
            inventory.errors[0].message.contains("the page changed"),
            "{:?}",
            inventory.errors
        );
        assert!(inventory.errors[0].message.contains("Display name"));
    }

    // The Graph responses still read while the grid is gone: the layout warning is no data loss.
    let inventory = read(&[VIEWS[0].calls[0]]);
    assert_eq!(inventory.identities.len(), 5);
}

#[test]
fn an_app_says_whether_its_permissions_were_read() {
    let view = |page: &str| VIEWS.iter().find(|v| v.page == page).unwrap();
    // The app registrations list shows no permissions: a low score there leaves privilege out.
    let list = read(view("entra.app_registrations").calls);
    assert!(!list.identities.is_empty());
    assert!(list.identities.iter().all(|i| i.grants_unread));

    // The API permissions blade reads both kinds of Payroll Sync's (its application permissions
    // by its own path, its delegated grants filtered on it as client), and no other app's: the
    // Microsoft Graph service principal it looks up to name them holds what was not read.
    let blade = read(view("entra.app_api_permissions").calls);
    assert!(!app(&blade, PAYROLL).grants_unread);
    assert!(app(&blade, GRAPH).grants_unread);

    // The tenant's delegated grants and three more service principals' application permissions:
    // those four have both read, the others only the delegated half.
    let inventory = tenant();
    let unread = |id: &str| app(&inventory, id).grants_unread;
    for read_whole in [PAYROLL, CI, LEGACY, FABRIKAM] {
        assert!(!unread(read_whole), "{read_whole}");
    }
    for half_read in [HOSTILE, HELPDESK, CONTOSO, GRAPH, TEAMS, EXCHANGE] {
        assert!(unread(half_read), "{half_read}");
    }
}

#[test]
fn an_app_registration_without_a_service_principal_has_no_permissions_once_the_whole_list_says_so()
{
    let apps = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications",
        "value":[{"id":"0a1b2c3d-0000-4a11-8111-000000000099","appId":"c0000099-5c2e-4d3b-9f10-6a7b8c9d0e99","displayName":"Never consented"}]}"#;
    let sps = |next: &str| {
        format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",{next}
            "value":[{{"id":"5e000001-2b3c-4d5e-8f60-7a8b9c0d1e01","appId":"{PAYROLL}","displayName":"Payroll Sync","servicePrincipalType":"Application"}}]}}"#
        )
    };
    let unread_in_pages = |pages: &[(&str, &str)]| {
        let mut collector = Collector::new();
        collector.add(
            "https://graph.microsoft.com/v1.0/applications",
            apps.as_bytes(),
        );
        for (sp_url, sp_list) in pages {
            collector.add(sp_url, sp_list.as_bytes());
        }
        let inventory = collector.finish();
        assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
        app(&inventory, "c0000099-5c2e-4d3b-9f10-6a7b8c9d0e99").grants_unread
    };
    let unread = |sp_url: &str, sp_list: &str| unread_in_pages(&[(sp_url, sp_list)]);
    let url = "https://graph.microsoft.com/v1.0/servicePrincipals";
    assert!(
        !unread(url, &sps("")),
        "the whole list has no service principal for it"
    );
    // A page the list goes on from, or a list narrowed to other apps, does not say so.
    let next =
        r#""@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=X","#;
    assert!(unread(url, &sps(next)));
    let filtered = format!("{url}?$filter=appId%20eq%20%27{PAYROLL}%27");
    assert!(unread(&filtered, &sps("")));
    // Nor does a last page: the pages before it may not have been read.
    assert!(unread(&format!("{url}?$skiptoken=X"), &sps("")));

    // Every page read, as the console loads them while the admin scrolls (its loopback host in
    // a test build, `$` encoded or not), from the first to one naming no next: the whole list.
    let second_url = format!("{url}?$skiptoken=X");
    let third_url =
        "http://127.0.0.1:8080/graph.microsoft.com/v1.0/servicePrincipals?%24skiptoken=Y";
    let to_third =
        r#""@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=Y","#;
    let (first, second, third) = (sps(next), sps(to_third), sps(""));
    assert!(!unread_in_pages(&[
        (third_url, &third),
        (url, &first),
        (&second_url, &second),
    ]));
    // A page between them not read leaves the list unread.
    assert!(unread_in_pages(&[(url, &first), (third_url, &third)]));
}
