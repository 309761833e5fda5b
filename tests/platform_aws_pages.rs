//! The IAM console's users list and credential report page: what the extension captures there,
//! that the users list yields the credential report's identities (same kinds, same ARNs), and
//! that a changed layout is reported as such.

mod common;

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, keeps_response, page_for, plan_for};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{CredentialKind, Expiry, Kind, Ownership, Platform, Precision, Usage};
use nhi_lens::timestamp;
use scraper::{Html, Selector};

const USERS: &str =
    "http://127.0.0.1:8080/us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/users";
const REPORT: &str = "http://127.0.0.1:8080/us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/credential_report";
/// What the mock credential report page fetches (relative `api/credentialreport`).
const REPORT_API: &str =
    "http://127.0.0.1:8080/us-east-1.console.aws.amazon.com/iam/api/credentialreport";
const ACCOUNT: &str = "arn:aws:iam::123456789012:user";

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
    let bytes = read(&format!("fixtures/aws/{file}"));
    let inventory = collect(&[(file, bytes.as_bytes())]);
    assert!(
        inventory.errors.is_empty(),
        "{file}: {:?}",
        inventory.errors
    );
    inventory
}

fn identity<'a>(inventory: &'a Inventory, id: &str) -> &'a nhi_lens::Identity {
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

fn report_json() -> String {
    read("consoles/us-east-1.console.aws.amazon.com/iam/api/credentialreport.json")
}

#[test]
fn the_tenant_is_the_account_the_page_names_and_the_routes_are_in_the_fragment() {
    let plan = plan_for(USERS).expect("the users list has a plan");
    assert_eq!(plan.page, "aws.users_page");
    assert_eq!(plan.platform, Platform::Aws);
    // The account ID is not in the URL: the host stands for the tenant until the page's session
    // meta tag, snapshot with every capture, names the account.
    assert_eq!(plan.tenant, "aws:us-east-1.console.aws.amazon.com");
    assert!(plan.api.is_empty());
    let regions: Vec<(&str, bool)> = plan
        .regions
        .iter()
        .map(|r| (r.name.as_str(), r.required))
        .collect();
    assert_eq!(
        regions,
        [
            ("users", true),
            ("session", false),
            (nhi_lens::console::LIST_PAGE_REGION, false),
            ("tenant", false)
        ]
    );
    assert_eq!(
        plan_for("https://console.aws.amazon.com/iam/home#/users").map(|p| p.tenant),
        Some("aws:console.aws.amazon.com".to_string())
    );
    // A user's own page, and other IAM routes, are not the list: they are read for nothing, and
    // their rows get the badges of the identities the account's inventory holds.
    for other in [
        "https://us-east-1.console.aws.amazon.com/iam/home#/users/details/terraform?section=permissions",
        "https://us-east-1.console.aws.amazon.com/iam/home#/roles",
    ] {
        let plan = plan_for(other).unwrap();
        assert_eq!(plan.page, nhi_lens::console::ELSEWHERE.id, "{other}");
        assert!(plan.known_only && plan.api.is_empty());
        // The region naming the account still goes with the page's one request.
        let regions: Vec<&str> = plan.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(regions, ["tenant"]);
    }
}

#[test]
fn the_credential_report_page_keeps_the_report_the_console_loads() {
    let plan = plan_for(REPORT).expect("the credential report page has a plan");
    assert_eq!(plan.page, "aws.credential_report_page");
    assert_eq!(plan.tenant, "aws:us-east-1.console.aws.amazon.com");
    let regions: Vec<&str> = plan.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(regions, ["tenant"]);
    assert_eq!(plan.api.len(), 1);
    let (page, _, _) = page_for(REPORT).unwrap();
    assert!(keeps_response(page, REPORT_API));
    assert!(keeps_response(
        page,
        "https://us-east-1.console.aws.amazon.com/iam/api/credentialreport"
    ));
    assert!(!keeps_response(
        page,
        "http://127.0.0.1:8080/us-east-1.console.aws.amazon.com/iam/api/users"
    ));
    // The JavaScript form of the pattern accepts the loopback URL the mock page fetches.
    assert!(plan.api[0].starts_with(r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)"));
    assert!(plan.api[0].contains(r"\/iam\/api\/credentialreport"));

    // The kept response is the GetCredentialReport shape: the credential report's JSON format
    // reads it, under the URL it came from.
    let source = console::effective_url(REPORT_API);
    let json = report_json();
    let inv = collect(&[(&source, json.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(
        inv.inputs[0].format.as_deref(),
        Some("aws.credential_report_json")
    );
    // The root account and the nine users (one of them a person with keys: two identities).
    assert_eq!(inv.identities.len(), 11);
}

#[test]
fn the_users_list_names_users_as_the_credential_report_does() {
    let page = fixture("iam_users.html");
    let json = report_json();
    let report = collect(&[("report.json", json.as_bytes())]);
    let mut without_root: Vec<String> = ids(&report)
        .into_iter()
        .filter(|id| !id.ends_with(":root"))
        .collect();
    without_root.sort();
    assert_eq!(ids(&page), without_root);

    // Read together, each user is one identity carrying both sources; the report, read first,
    // keeps its dates.
    let html = read("fixtures/aws/iam_users.html");
    let both = collect(&[("report.json", json.as_bytes()), (USERS, html.as_bytes())]);
    assert_eq!(both.identities.len(), 11);
    let terraform = identity(
        &both,
        &format!("aws:service_user:{ACCOUNT}/automation/terraform"),
    );
    assert_eq!(terraform.sources.len(), 2);
    assert_eq!(
        terraform.created_at,
        timestamp::parse("2021-07-01T12:00:00Z")
    );
}

#[test]
fn each_row_is_a_person_or_a_workload_with_its_keys() {
    let inv = fixture("iam_users.html");
    assert_eq!(inv.identities.len(), 10);

    let ci = identity(&inv, &format!("aws:service_user:{ACCOUNT}/ci-deployer"));
    assert_eq!(ci.name, "ci-deployer");
    assert_eq!(ci.location.as_deref(), Some("123456789012"));
    assert_eq!(ci.ownership, Ownership::NotRecorded);
    assert!(ci.enabled);
    assert!(ci.interactive.is_none());
    assert_eq!(ci.aliases, ["AKIAQ3EGRD2XCIDEPLOY"]);
    assert_eq!(ci.credentials.len(), 1);
    let key = &ci.credentials[0];
    assert_eq!(key.kind, CredentialKind::Key);
    assert_eq!(key.id.as_deref(), Some("AKIAQ3EGRD2XCIDEPLOY"));
    assert!(key.active);
    assert_eq!(key.expiry, Expiry::Never);
    // "Today" and "412 days ago" are relative: left out, not guessed.
    assert_eq!(ci.usage, Usage::NotLoaded);
    assert_eq!(ci.created_at, None);
    assert_eq!(key.created_at, None);

    let jane = identity(&inv, &format!("aws:user:{ACCOUNT}/jane.doe"));
    assert!(jane.human);
    let login = jane.interactive.as_ref().unwrap();
    assert!(login.password_enabled);
    assert_eq!(login.mfa, Some(true));

    // A password without MFA and an active key: a workload, as the credential report has it.
    let bob = identity(&inv, &format!("aws:service_user:{ACCOUNT}/bob.admin"));
    assert_eq!(bob.interactive.as_ref().unwrap().mfa, Some(false));

    // A person with a key: the person, and the keys as a workload they own.
    let alice = identity(&inv, &format!("aws:user:{ACCOUNT}/alice.ops"));
    assert!(alice.credentials.is_empty());
    let keys = identity(
        &inv,
        &format!("aws:access_key:{ACCOUNT}/alice.ops#access-keys"),
    );
    assert_eq!(keys.kind, Kind::AccessKey);
    assert_eq!(keys.name, "access keys of alice.ops");
    let owner = &keys.ownership.owners()[0];
    assert_eq!(owner.who.name, "alice.ops");
    assert_eq!(
        owner.who.id.as_deref(),
        Some(&*format!("{ACCOUNT}/alice.ops"))
    );
    assert_eq!(keys.aliases, ["AKIAQ3EGRD2XALICEOPS"]);

    // The path is part of the ARN; an inactive key leaves nothing to sign in with.
    let backup = identity(
        &inv,
        &format!("aws:service_user:{ACCOUNT}/service/legacy-backup"),
    );
    assert!(!backup.enabled);
    assert!(!backup.credentials[0].active);

    let terraform = identity(
        &inv,
        &format!("aws:service_user:{ACCOUNT}/automation/terraform"),
    );
    assert_eq!(terraform.credentials.len(), 2);

    let new_hire = identity(&inv, &format!("aws:user:{ACCOUNT}/new-hire"));
    assert!(matches!(new_hire.usage, Usage::Never { .. }));

    let hostile = identity(
        &inv,
        &format!("aws:service_user:{ACCOUNT}/<img src=x onerror=alert(1)>"),
    );
    assert_eq!(hostile.name, "<img src=x onerror=alert(1)>");
    assert!(matches!(hostile.usage, Usage::Never { .. }));
}

#[test]
fn the_default_columns_are_enough_and_an_empty_account_is_nothing_found() {
    let partial = fixture("iam_users_partial.html");
    assert_eq!(partial.identities.len(), 4);
    // No "Access key last used" column: the keys' use is unknown, not "never".
    let keys = identity(
        &partial,
        &format!("aws:access_key:{ACCOUNT}/alice.ops#access-keys"),
    );
    assert_eq!(keys.usage, Usage::NotLoaded);
    assert!(fixture("iam_users_empty.html").identities.is_empty());
}

#[test]
fn the_region_is_in_the_rendered_table_and_gone_from_the_broken_layout() {
    let plan = plan_for(USERS).unwrap();
    let users = Selector::parse(&plan.regions[0].selector).unwrap();
    let session = Selector::parse(&plan.regions[1].selector).unwrap();
    let rendered = Html::parse_document(&read("fixtures/aws/iam_users.html"));
    assert_eq!(rendered.select(&users).count(), 1);
    // The meta tag is in the mock page's head from the start.
    let mock = Html::parse_document(&read(
        "consoles/us-east-1.console.aws.amazon.com/iam/home.html",
    ));
    assert_eq!(mock.select(&session).count(), 1);
    let broken = read("consoles/broken.console.aws.amazon.com/iam/home.html");
    assert!(broken.contains(r#"data-layout="cards""#));
    assert_eq!(Html::parse_document(&broken).select(&users).count(), 0);
}

#[test]
fn the_broken_layout_is_a_changed_page_not_an_empty_one() {
    let url = "http://127.0.0.1:8080/broken.console.aws.amazon.com/iam/home#/users";
    assert_eq!(
        plan_for(url).map(|p| p.tenant),
        Some("aws:broken.console.aws.amazon.com".to_string())
    );
    // What the broken page renders: cards, no table.
    let cards = r#"<ul class="user-cards"><li class="user-card"><h3>ci-deployer</h3><p>Programmatic access · 1 access key(s)</p></li></ul>"#;
    for html in [
        cards.to_string(),
        read("consoles/broken.console.aws.amazon.com/iam/home.html"),
    ] {
        let inv = collect(&[(url, console::snapshot_input(url, &html).as_bytes())]);
        assert!(inv.identities.is_empty());
        assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
        assert!(inv.errors[0].message.contains("may have changed"));
    }
}

#[test]
fn without_the_account_or_the_columns_that_tell_kinds_rows_are_reported_not_guessed() {
    let table = |head: &str, row: &str| {
        format!("<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>")
    };
    // No session meta tag and no ARN column: no ARN to name the user by.
    let html = table(
        "<th>User name</th><th>Password age</th>",
        "<td>ci</td><td>-</td>",
    );
    let inv = collect(&[(USERS, console::snapshot_input(USERS, &html).as_bytes())]);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0].message.contains("AWS account"),
        "{:?}",
        inv.errors
    );

    // The ARN column is enough; a password with keys but no MFA column cannot be classified.
    let html = table(
        "<th>User name</th><th>ARN</th><th>Password age</th><th>Access key ID</th>",
        "<td>ops</td><td>arn:aws:iam::111122223333:user/ops</td><td>30 days</td><td>Active - AKIAIOSFODNN7EXAMPLE</td>",
    ) + &table(
        "<th>User name</th><th>ARN</th><th>Password age</th>",
        "<td>svc</td><td>arn:aws:iam::111122223333:user/team/svc</td><td>-</td>",
    );
    let inv = collect(&[(USERS, console::snapshot_input(USERS, &html).as_bytes())]);
    assert_eq!(
        ids(&inv),
        ["aws:service_user:arn:aws:iam::111122223333:user/team/svc"]
    );
    assert!(
        inv.errors[0].message.contains("skipped"),
        "{:?}",
        inv.errors
    );

    // A hidden Path column is said, and / assumed.
    let meta = r#"<meta name="awsc-session-data" content='{"accountId":"111122223333"}'>"#;
    let html = format!(
        "{meta}{}",
        table(
            "<th>User name</th><th>Password age</th>",
            "<td>svc</td><td>-</td>"
        )
    );
    let inv = collect(&[(USERS, console::snapshot_input(USERS, &html).as_bytes())]);
    assert_eq!(
        ids(&inv),
        ["aws:service_user:arn:aws:iam::111122223333:user/svc"]
    );
    assert!(
        inv.errors[0].message.contains("Path column"),
        "{:?}",
        inv.errors
    );
}

#[test]
fn relative_times_count_from_when_the_extension_read_the_page() {
    let meta = r#"<meta name="awsc-session-data" content='{"accountId":"111122223333"}'>"#;
    let html = format!(
        "{meta}<table><thead><tr><th>User name</th><th>Path</th><th>MFA</th><th>Password age</th>\
         <th>Console last sign-in</th><th>Access key ID</th><th>Active key age</th>\
         <th>Access key last used</th><th>Creation time</th></tr></thead><tbody>\
         <tr><td>ci-deployer</td><td>/</td><td>-</td><td>-</td><td>None</td>\
         <td>Active - AKIAIOSFODNN7EXAMPLE</td><td>412 days</td>\
         <td>12 days ago<div class=popover hidden>Service: s3 in us-east-1</div></td><td>2 years ago</td></tr>\
         <tr><td>jane</td><td>/</td><td>Virtual</td><td>30 days</td><td>Yesterday</td><td>-</td>\
         <td>-</td><td>-</td><td>40 days ago</td></tr></tbody></table>"
    );
    let at = timestamp::parse("2026-11-29T12:00:00Z").unwrap();
    let days = |n: i64| Some(at - time::Duration::days(n));
    let by_name = |inv: &Inventory, name: &str| {
        inv.identities
            .iter()
            .find(|i| i.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}: {:?}", inv.errors))
    };
    let used_at = |usage: &Usage| match usage {
        Usage::Used(last) => Some((last.at, last.precision)),
        _ => None,
    };

    let read = collect(&[(
        USERS,
        console::snapshot_input_read_at(USERS, at, &html).as_bytes(),
    )]);
    // (A popover kept hidden in a cell is not part of what it says.)
    let ci = by_name(&read, "ci-deployer");
    assert_eq!(
        ci.credentials[0].created_at,
        days(412),
        "the one active key's age"
    );
    assert_eq!(
        used_at(&ci.usage),
        Some((days(12).unwrap(), Precision::WholeDays))
    );
    assert_eq!(ci.created_at, None, "years are too coarse to be a date");
    let jane = by_name(&read, "jane");
    assert!(jane.human);
    assert_eq!(jane.created_at, days(40));
    assert_eq!(
        used_at(&jane.usage),
        Some((days(1).unwrap(), Precision::WholeDays))
    );

    // A page saved by hand names no time: its relative text is left out.
    let saved = collect(&[(USERS, console::snapshot_input(USERS, &html).as_bytes())]);
    let ci = by_name(&saved, "ci-deployer");
    assert_eq!(ci.credentials[0].created_at, None);
    assert_eq!(ci.usage, Usage::NotLoaded);
    assert_eq!(by_name(&saved, "jane").created_at, None);
}

#[test]
fn a_header_whose_rows_moved_out_of_the_table_is_a_changed_page_not_no_users() {
    // The body's rows redrawn as divs, the header row left: not an account without users.
    let page = read("fixtures/aws/iam_users.html");
    let (head, body) = page.split_at(page.find("<tbody>").unwrap());
    let body = common::rows_as_divs(
        &body
            .replace("<tbody>", "</table><div class=\"rows\">")
            .replace("</tbody>\n</table>", "</div>"),
    );
    let moved = format!("{head}{body}");
    assert!(!moved.contains("<td"));
    let inv = collect(&[("iam_users.html", moved.as_bytes())]);
    common::assert_changed_page(&inv);
    // The empty account's "No users" is still nothing found.
    assert!(fixture("iam_users_empty.html").identities.is_empty());
}

#[test]
fn dates_written_out_are_read_and_an_unreadable_one_is_said() {
    let page = read("fixtures/aws/iam_users.html");
    let written = page
        .replacen(
            "<td>412 days ago</td></tr>",
            "<td>December 03, 2025, 10:00 (UTC-05:00)</td></tr>",
            1,
        )
        .replacen("<td>939 days ago</td></tr>", "<td>Mar 3, 2024</td></tr>", 1);
    assert_ne!(written, page);
    let inv = collect(&[("iam_users.html", written.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let created = |inv: &Inventory, id: &str| {
        identity(inv, &format!("aws:service_user:{ACCOUNT}/{id}")).created_at
    };
    assert_eq!(
        created(&inv, "ci-deployer"),
        timestamp::parse("2025-12-03T15:00:00Z")
    );
    assert_eq!(created(&inv, "bob.admin"), timestamp::parse("2024-03-03"));

    // A date the reader cannot read is said, not left out unsaid.
    let unreadable = page.replacen(
        "<td>412 days ago</td></tr>",
        "<td>early December</td></tr>",
        1,
    );
    let inv = collect(&[("iam_users.html", unreadable.as_bytes())]);
    assert_eq!(created(&inv, "ci-deployer"), None);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(
        inv.errors[0]
            .message
            .contains("Creation time \"early December\" is not a date"),
        "{:?}",
        inv.errors
    );
}
