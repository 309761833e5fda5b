//! Snowsight's users grid: what the extension captures there, what its snapshot yields (the same
//! identities `SHOW USERS` gives), and that a changed layout is reported as such.

mod common;

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, plan_for};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{CredentialKind, Kind, Ownership, Platform, Timestamp, Usage};
use nhi_lens::timestamp;
use scraper::{Html, Selector};

const PAGE: &str = "http://127.0.0.1:8080/app.snowflake.com/us-west-2/acme/#/admin/users";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn read(path: &str) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap()
}

fn collect(inputs: &[(&str, &[u8])]) -> Inventory {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    collector.finish()
}

fn fixture(file: &str) -> Inventory {
    let bytes = read(&format!("fixtures/snowflake/{file}"));
    let inventory = collect(&[(file, bytes.as_bytes())]);
    assert!(
        inventory.errors.is_empty(),
        "{file}: {:?}",
        inventory.errors
    );
    inventory
}

fn user<'a>(inventory: &'a Inventory, id: &str) -> &'a nhi_lens::Identity {
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

fn ids(inventory: &Inventory) -> Vec<String> {
    let mut ids: Vec<String> = inventory.identities.iter().map(|i| i.id.clone()).collect();
    ids.sort();
    ids
}

#[test]
fn the_users_grid_is_read_from_the_page() {
    let plan = plan_for(PAGE).expect("the users page has a plan");
    assert_eq!(plan.page, "snowflake.users_page");
    assert_eq!(plan.tenant, "snowflake:us-west-2/acme");
    assert_eq!(plan.platform, Platform::Snowflake);
    // Snowsight's own query API is undocumented: nothing is kept from it.
    assert!(plan.api.is_empty());
    assert!(plan.regions.iter().any(|r| r.required));
    // An account's name is its own only in its organization, a locator only in its region: two
    // organizations' accounts named `prod` are two inventories, never one.
    let tenant_of = |url: &str| plan_for(url).map(|p| p.tenant);
    assert_eq!(
        tenant_of("https://app.snowflake.com/acmeorg/prod/#/admin/users"),
        Some("snowflake:acmeorg/prod".to_string())
    );
    assert_eq!(
        tenant_of("https://app.snowflake.com/otherorg/prod/#/admin/users"),
        Some("snowflake:otherorg/prod".to_string())
    );
    assert_eq!(
        tenant_of("https://app.snowflake.com/ap-southeast-7.aws/ri04642/#/admin/users"),
        Some("snowflake:ap-southeast-7.aws/ri04642".to_string())
    );
    // A user's own page is another page: read for nothing, badged from the account's inventory.
    for other in [
        "https://app.snowflake.com/us-west-2/acme/#/admin/users/JANE_ADMIN",
        "https://app.snowflake.com/us-west-2/acme/#/compute/warehouses",
    ] {
        let plan = plan_for(other).unwrap();
        assert!(plan.known_only && plan.regions.is_empty(), "{other}");
        assert_eq!(plan.tenant, "snowflake:us-west-2/acme");
    }
}

#[test]
fn the_region_matches_the_rendered_grid_and_not_the_broken_cards() {
    let region = plan_for(PAGE).unwrap().regions[0].selector.clone();
    let selector = Selector::parse(&region).unwrap();
    let grid = read("fixtures/snowflake/users_grid.html");
    assert_eq!(Html::parse_document(&grid).select(&selector).count(), 1);
    let broken = read("consoles/app.snowflake.com/us-west-2/broken/index.html");
    assert!(broken.contains("users-cards") && !broken.contains("users-grid"));
    assert_eq!(Html::parse_document(&broken).select(&selector).count(), 0);
}

#[test]
fn each_row_is_the_user_show_users_would_give() {
    let inv = fixture("users_grid.html");
    assert_eq!(inv.identities.len(), 9);

    let jane = user(&inv, "snowflake:user:JANE_ADMIN");
    assert!(jane.human);
    assert_eq!(jane.created_at, Some(ts("2021-03-02T17:14:55.123Z")));
    match &jane.usage {
        Usage::Used(u) => assert_eq!(u.at, ts("2026-11-29T00:40:02Z")),
        other => panic!("{other:?}"),
    }
    let login = jane.interactive.as_ref().unwrap();
    assert_eq!(login.mfa, Some(true));
    assert_eq!(
        jane.ownership.owners()[0].who.name,
        "role ACCOUNTADMIN",
        "the owner is a role"
    );
    assert_eq!(jane.grants[0].name, "ACCOUNTADMIN");

    let dbt = user(&inv, "snowflake:service_user:DBT_SVC");
    assert!(!dbt.human);
    // The grid shows passwords, not key pairs: nothing is invented for what it does not show.
    assert!(dbt.credentials.is_empty());
    assert!(matches!(dbt.usage, Usage::Used(_)));

    let fivetran = user(&inv, "snowflake:service_user:FIVETRAN_LOADER");
    assert!(fivetran.legacy.is_some());
    assert!(
        fivetran
            .credentials
            .iter()
            .any(|c| c.kind == CredentialKind::Password)
    );
    assert_eq!(fivetran.interactive.as_ref().unwrap().mfa, Some(false));

    // No type is a person, as Snowflake says: an integration that never got a type is still one.
    let tableau = user(&inv, "snowflake:user:TABLEAU_EXTRACT");
    assert!(tableau.human);

    let airflow = user(&inv, "snowflake:service_user:AIRFLOW");
    assert!(matches!(airflow.usage, Usage::Never { .. }));

    let old = user(&inv, "snowflake:service_user:OLD_ETL_USER");
    assert!(!old.enabled);
    assert_eq!(old.ownership, Ownership::Missing);

    let hostile = user(&inv, "snowflake:service_user:<img src=x onerror=alert(1)>");
    assert_eq!(hostile.name, "<img src=x onerror=alert(1)>");
    assert_eq!(hostile.kind, Kind::ServiceUser);
}

#[test]
fn the_page_and_the_api_name_users_alike() {
    // The mock renders the grid from the REST API's users; read as data, they are the same users
    // under the same IDs.
    let api = read("consoles/acme.snowflakecomputing.com/api/v2/users.json");
    let from_api = collect(&[("users.json", api.as_bytes())]);
    assert!(from_api.errors.is_empty(), "{:?}", from_api.errors);
    let from_page = fixture("users_grid.html");
    assert_eq!(ids(&from_api), ids(&from_page));
    // Read together they merge.
    let grid = read("fixtures/snowflake/users_grid.html");
    let both = collect(&[("users.json", api.as_bytes()), (PAGE, grid.as_bytes())]);
    assert_eq!(both.identities.len(), 9);
    assert!(both.identities.iter().all(|i| i.sources.len() == 2));
}

#[test]
fn relative_dates_stay_unknown_and_a_missing_grid_is_empty_not_broken() {
    let partial = fixture("users_grid_partial.html");
    assert_eq!(partial.identities.len(), 3);
    let jane = user(&partial, "snowflake:user:JANE_ADMIN");
    // "11 hours ago" without an absolute date: not a date, and not "never".
    assert_eq!(jane.usage, Usage::NotLoaded);
    assert_eq!(jane.created_at, None);
    assert!(
        jane.credentials.is_empty(),
        "no password column, no password"
    );
    let old = user(&partial, "snowflake:service_user:OLD_ETL_USER");
    assert_eq!(old.ownership, Ownership::Missing);
    assert!(old.enabled, "no status column: not known to be disabled");

    assert!(fixture("users_grid_empty.html").identities.is_empty());
}

#[test]
fn a_virtual_grid_reads_whole_from_the_snapshots_that_drew_all_its_rows() {
    // Its first screen (rows 2 to 10 of 12, the header first) and its end (rows 11 and 12).
    let top = read("fixtures/snowflake/users_grid.html")
        .replace("aria-rowcount=\"10\"", "aria-rowcount=\"12\"");
    let end = read("fixtures/snowflake/users_grid_page2.html");
    let unread = |inventory: &Inventory| -> Vec<String> {
        inventory
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.source, e.message))
            .collect()
    };
    // Either alone says how much of the list it left unread, on itself.
    let alone = collect(&[("top.html", top.as_bytes())]);
    assert_eq!(alone.identities.len(), 9);
    assert_eq!(
        unread(&alone),
        [
            "top.html: rows not read: the list has 11 rows and draws those in view; 9 were read. \
          Scroll through it to read the others"
        ]
    );
    let alone = collect(&[("end.html", end.as_bytes())]);
    assert_eq!(alone.identities.len(), 2);
    assert!(
        unread(&alone)[0].contains("2 were read"),
        "{:?}",
        alone.errors
    );
    // Together they are the whole list, in either order.
    for inputs in [
        [("top.html", top.as_bytes()), ("end.html", end.as_bytes())],
        [("end.html", end.as_bytes()), ("top.html", top.as_bytes())],
    ] {
        let both = collect(&inputs);
        assert_eq!(both.identities.len(), 11);
        assert!(both.errors.is_empty(), "{:?}", both.errors);
    }
    // A grid of another page is another list: its rows fill none of this one's.
    let other = end.replace("/us-west-2/acme/", "/us-west-2/other/");
    let apart = collect(&[
        ("top.html", top.as_bytes()),
        ("other.html", other.as_bytes()),
    ]);
    assert_eq!(unread(&apart).len(), 2, "{:?}", apart.errors);
}

#[test]
fn a_grid_with_a_row_of_column_groups_above_its_headers_is_read_whole() {
    // Row 1 groups the columns; the column headers are row 2, the nine users rows 3 to 11.
    let mut grid = read("fixtures/snowflake/users_grid.html")
        .replace("aria-rowcount=\"10\"", "aria-rowcount=\"11\"");
    for i in (1..=10).rev() {
        grid = grid.replace(
            &format!("aria-rowindex=\"{i}\""),
            &format!("aria-rowindex=\"{}\"", i + 1),
        );
    }
    let grid = grid.replace(
        "<div role=\"rowgroup\" class=\"grid-head\">",
        "<div role=\"rowgroup\" class=\"grid-head\"><div role=\"row\" aria-rowindex=\"1\">\
         <div role=\"columnheader\" aria-colspan=\"3\">Identity</div>\
         <div role=\"columnheader\" aria-colspan=\"6\">Sign-in</div></div>",
    );
    let inventory = collect(&[("grouped.html", grid.as_bytes())]);
    assert_eq!(inventory.identities.len(), 9);
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
}

#[test]
fn the_broken_layout_is_a_changed_page_not_an_empty_one() {
    let url = "http://127.0.0.1:8080/app.snowflake.com/us-west-2/broken/#/admin/users";
    // What the broken page renders: cards, no grid.
    let cards = r#"<ul class="user-cards"><li class="user-card"><h3>DBT_SVC</h3><p>Service · SYSADMIN</p></li></ul>"#;
    for html in [
        cards.to_string(),
        read("consoles/app.snowflake.com/us-west-2/broken/index.html"),
    ] {
        let inv = collect(&[(url, console::snapshot_input(url, &html).as_bytes())]);
        assert!(inv.identities.is_empty());
        assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
        assert!(inv.errors[0].message.contains("may have changed"));
    }
}

#[test]
fn a_grid_without_its_type_column_cannot_tell_people_from_services() {
    let html = r#"<div role="grid"><div role="row"><div role="columnheader">Name</div><div role="columnheader">Owner</div></div>
        <div role="row"><div role="gridcell">DBT_SVC</div><div role="gridcell">SYSADMIN</div></div></div>"#;
    let inv = collect(&[(PAGE, console::snapshot_input(PAGE, html).as_bytes())]);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0].message.contains("Type column"),
        "{:?}",
        inv.errors
    );
    // Whatever a page reader's words, a page it cannot read is a changed page to the extension.
    assert!(
        inv.errors[0]
            .message
            .contains(nhi_lens::ingest::PAGE_CHANGED),
        "{:?}",
        inv.errors
    );
}

#[test]
fn a_grid_is_read_by_its_headers_places_beside_a_selection_column_and_after_another_grid() {
    // Another grid first, with a Name and no Type; then the users grid, whose header row has a
    // selection cell that is no header, and whose cells say their column (`aria-colindex`): the
    // rows without a selection box are not shifted, and the hidden fourth column is no cell.
    let html = r#"<div role="grid"><div role="row"><div role="columnheader">Name</div><div role="columnheader">Default role</div></div>
        <div role="row"><div role="gridcell">Some warehouse</div><div role="gridcell">PUBLIC</div></div></div>
        <div role="grid" aria-colcount="5">
        <div role="row"><div role="gridcell"><input type="checkbox" aria-label="Select all"></div><div role="columnheader" aria-colindex="2">Name</div><div role="columnheader" aria-colindex="3">Type</div><div role="columnheader" aria-colindex="5">Owner</div></div>
        <div role="row"><div role="gridcell"><input type="checkbox"></div><div role="gridcell" aria-colindex="2">DBT_SVC</div><div role="gridcell" aria-colindex="3">Service</div><div role="gridcell" aria-colindex="5">SYSADMIN</div></div>
        <div role="row"><div role="gridcell" aria-colindex="2">JANE</div><div role="gridcell" aria-colindex="3">Person</div><div role="gridcell" aria-colindex="5">—</div></div>
        </div>"#;
    let inv = collect(&[(PAGE, console::snapshot_input(PAGE, html).as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(
        ids(&inv),
        ["snowflake:service_user:DBT_SVC", "snowflake:user:JANE"]
    );
    // A grid after the users grid, of another kind (a Name, no Type): its rows are no users.
    let roles = r#"<div role="grid"><div role="row"><div role="columnheader">Name</div><div role="columnheader">Owner</div></div>
        <div role="row"><div role="gridcell">ANALYST</div><div role="gridcell">SECURITYADMIN</div></div></div>"#;
    let both = format!("{html}{roles}");
    let inv_both = collect(&[(PAGE, console::snapshot_input(PAGE, &both).as_bytes())]);
    assert!(inv_both.errors.is_empty(), "{:?}", inv_both.errors);
    assert_eq!(ids(&inv_both), ids(&inv));
    let dbt = user(&inv, "snowflake:service_user:DBT_SVC");
    assert_eq!(
        dbt.ownership.owners()[0].who.name,
        "role SYSADMIN",
        "{:?}",
        dbt.ownership
    );
}

#[test]
fn a_header_whose_rows_lost_their_role_is_a_changed_page_not_no_users() {
    // The body's rows drawn without their ARIA roles, the header row left: not an account
    // without users.
    let page = read("fixtures/snowflake/users_grid.html");
    let (head, body) = page.split_at(page.find("grid-body").unwrap());
    let body = body
        .replace(" role=\"row\"", "")
        .replace(" role=\"gridcell\"", "");
    let moved = format!("{head}{body}");
    let inv = collect(&[("users_grid.html", moved.as_bytes())]);
    common::assert_changed_page(&inv);
    // The empty grid (its row count the header alone, "No users match…" beside it) is still
    // nothing found, and so is each of the two alone.
    let empty = read("fixtures/snowflake/users_grid_empty.html");
    assert!(fixture("users_grid_empty.html").identities.is_empty());
    for one in [
        empty.replace("No users match your filters.", ""),
        empty.replace(" aria-rowcount=\"1\"", ""),
    ] {
        assert_ne!(one, empty);
        let inv = collect(&[("users_grid_empty.html", one.as_bytes())]);
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    }
    let neither = empty
        .replace("No users match your filters.", "")
        .replace(" aria-rowcount=\"1\"", "");
    let inv = collect(&[("users_grid_empty.html", neither.as_bytes())]);
    assert!(inv.errors[0].message.contains("page changed"));
}
