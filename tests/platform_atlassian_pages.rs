//! Atlassian Administration's API token activity page: the extension keeps the token list the
//! page loads (the documented `api-tokens` shape, read by `atlassian.api_tokens`) and snapshots
//! the table the page draws from it (read by `atlassian.api_token_activity`); both name each token
//! by its ID, so they are one identity per token.

mod common;

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, Pattern, keeps_response, page_for, plan_for};
use nhi_lens::ingest::{Collector, Inventory, detect, probe::probe};
use nhi_lens::model::{CredentialKind, Expiry, Identity, Kind, Platform, Precision, Usage};
use nhi_lens::platforms;
use nhi_lens::timestamp;
use scraper::{Html, Selector};

const PAGE_URL: &str = "https://admin.atlassian.com/o/acme/api-token";
const LOOPBACK: &str = "http://127.0.0.1:8080/admin.atlassian.com";
const LIST_PATH: &str = "/gateway/api/admin/api-access/v1/orgs/acme/api-tokens";
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn mock(path: &str) -> String {
    let file = root().join("consoles/admin.atlassian.com").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn fixture(file: &str) -> Vec<u8> {
    std::fs::read(root().join("fixtures/atlassian").join(file)).unwrap()
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

fn ts(text: &str) -> nhi_lens::model::Timestamp {
    timestamp::parse(text).unwrap()
}

/// The list the mock page loads, under the URL it is captured from (its effective URL).
fn captured_list() -> (String, String) {
    let url = console::effective_url(&format!("{LOOPBACK}{LIST_PATH}"));
    (
        url,
        mock("gateway/api/admin/api-access/v1/orgs/acme/api-tokens.json"),
    )
}

#[test]
fn the_page_keeps_the_token_list_it_loads_and_nothing_else() {
    let plan = plan_for(&format!("{LOOPBACK}/o/acme/api-token")).unwrap();
    assert_eq!(plan.page, "atlassian.api_token_activity");
    assert_eq!(plan.tenant, "atlassian:acme");
    assert_eq!(plan.platform, Platform::Atlassian);
    assert!(plan.regions.iter().all(|r| r.required));
    let (page, _, _) = page_for(PAGE_URL).unwrap();
    for url in [
        format!("{LOOPBACK}{LIST_PATH}"),
        format!("{LOOPBACK}{LIST_PATH}?cursor=cGFnZTI"),
        "https://api.atlassian.com/admin/api-access/v1/orgs/acme/api-tokens?status=ALLOWED"
            .to_string(),
    ] {
        assert!(keeps_response(page, &url), "{url}");
    }
    for url in [
        format!("{LOOPBACK}{LIST_PATH}/count"),
        format!("{LOOPBACK}/gateway/api/me"),
        "https://evil.example/gateway/api/x/api-tokens".to_string(),
    ] {
        assert!(!keeps_response(page, &url), "{url}");
    }
    // The same patterns as the content script runs them (JavaScript regular expressions over
    // the URL the page requested).
    assert!(
        plan.api
            .iter()
            .any(|re| re.starts_with("^(?:https://|http://(?:127") && re.contains("gateway"))
    );
    // Other routes of the organisation that name API tokens are the same page; others are not.
    for (url, ours) in [
        ("https://admin.atlassian.com/o/acme/user-api-tokens", true),
        (
            "https://admin.atlassian.com/o/acme/insights/api-token-activity",
            true,
        ),
        ("https://admin.atlassian.com/o/acme/users", false),
        ("https://admin.atlassian.com/o/acme/admin-api", false),
    ] {
        let found = page_for(url).map(|(p, _, t)| (p.id, t));
        assert_eq!(
            found.is_some_and(|(id, t)| id == "atlassian.api_token_activity" && t == "acme"),
            ours,
            "{url}"
        );
    }
}

#[test]
fn every_page_is_in_the_consoles_and_has_its_mock() {
    let spec = platforms::spec(Platform::Atlassian);
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
        let broken = rest.replacen("/acme/", "/broken/", 1);
        assert!(
            root().join(format!("consoles/{broken}.html")).is_file(),
            "{broken}"
        );
    }
    // The page loads its list from the path the plan keeps.
    let script = mock("_mock/api-token-activity.js");
    assert!(script.contains("/gateway/api/admin/api-access/v1/orgs/"));
    assert!(script.contains("textContent") && !script.contains("innerHTML"));
}

#[test]
fn the_captured_list_is_read_by_the_api_format() {
    let (url, body) = captured_list();
    assert_eq!(
        detect(&probe(body.as_bytes()).unwrap()).map(|f| f.id),
        Some("atlassian.api_tokens")
    );
    let inv = read(&[(&url, body.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 6);
    let release = native(&inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(release.kind, Kind::ApiToken);
    assert_eq!(release.location.as_deref(), Some("acme"));
}

#[test]
fn the_table_the_page_draws_reads_as_the_same_tokens() {
    let page = fixture("api_token_activity.html");
    assert_eq!(
        detect(&probe(&page).unwrap()).map(|f| f.id),
        Some("atlassian.api_token_activity")
    );
    let inv = read(&[(PAGE_URL, &page)]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 6, "{:?}", ids(&inv));

    let release = native(&inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(
        release.id,
        "atlassian:api_token:6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(release.name, "jira-release-script");
    assert_eq!(release.location.as_deref(), Some("acme"));
    let owner = &release.ownership.owners()[0];
    assert_eq!(owner.who.name, "mia@acme.example");
    assert_eq!(release.created_at, Some(ts("2025-03-10")));
    match &release.usage {
        Usage::Used(u) => {
            assert_eq!(u.at, ts("2026-02-27"));
            assert_eq!(u.precision, Precision::WindowMinutes(1440));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(release.credentials.len(), 1);
    assert_eq!(release.credentials[0].kind, CredentialKind::Token);
    assert_eq!(
        release.credentials[0].expiry,
        Expiry::At {
            at: ts("2026-03-10")
        }
    );
    let never = native(&inv, "7b2e8d3f-4c5e-4f60-9bac-1d2e3f4a5b6c");
    assert!(matches!(never.usage, Usage::Never { .. }));
    let hostile = native(&inv, "9d4a0f51-6e70-4182-9dce-3f4a5b6c7d8e");
    assert_eq!(hostile.name, HOSTILE);
}

#[test]
fn list_and_table_are_one_identity_per_token_with_the_list_first() {
    let (url, body) = captured_list();
    let page = fixture("api_token_activity.html");
    // The table may arrive first; the list's exact values win either way.
    for order in [[0, 1], [1, 0]] {
        let inputs: Vec<(&str, &[u8])> = order
            .iter()
            .map(|&i| match i {
                0 => (url.as_str(), body.as_bytes()),
                _ => (PAGE_URL, page.as_slice()),
            })
            .collect();
        let inv = read(&inputs);
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        assert_eq!(inv.identities.len(), 6, "{:?}", ids(&inv));
        let release = native(&inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(release.created_at, Some(ts("2025-03-10T09:15:00.000Z")));
        assert_eq!(release.usage.at(), Some(ts("2026-02-27T22:41:09.000Z")));
        assert_eq!(release.sources.len(), 2);
        let blocked = native(&inv, "8c3f9e40-5d6f-4071-8cbd-2e3f4a5b6c7d");
        assert!(!blocked.enabled, "the list's status");
    }
}

#[test]
fn every_token_has_a_row_to_badge() {
    let page = fixture("api_token_activity.html");
    let inv = read(&[(PAGE_URL, &page)]);
    let html = String::from_utf8(page).unwrap();
    let document = Html::parse_document(&html);
    let plan = plan_for(PAGE_URL).unwrap();
    let rows = Selector::parse(&plan.rows).unwrap();
    let all = Selector::parse("*").unwrap();
    for identity in &inv.identities {
        let found = document
            .select(&rows)
            .filter(|row| {
                row.select(&all).any(|e| {
                    e.children().all(|c| !c.value().is_element())
                        && e.text().collect::<String>().trim() == identity.name
                })
            })
            .count();
        assert_eq!(found, 1, "{}", identity.id);
    }
}

#[test]
fn the_other_fixtures_read_as_their_names_say() {
    let inv = read(&[("e.html", &fixture("api_token_activity_empty.html"))]);
    assert!(
        inv.identities.is_empty() && inv.errors.is_empty(),
        "{:?}",
        inv.errors
    );
    let inv = read(&[
        ("p1.html", &fixture("api_token_activity.html")),
        ("p2.html", &fixture("api_token_activity_page2.html")),
    ]);
    assert_eq!(inv.identities.len(), 8);

    let inv = read(&[("partial.html", &fixture("api_token_activity_partial.html"))]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let ci = native(&inv, "e29f54a6-b3c5-46d7-e213-8e9fa0b1c2d3");
    assert_eq!(ci.usage, Usage::NotLoaded, "3 days ago is not a date");
    assert_eq!(ci.created_at, None);
    assert_eq!(
        ci.credentials[0].expiry,
        Expiry::At {
            at: ts("2027-01-31")
        },
        "from the datetime attribute"
    );
    assert_eq!(ci.ownership.owners()[0].who.name, "Ana Souza");
    let legacy = native(&inv, "f3a065b7-c4d6-47e8-f324-9fa0b1c2d3e4");
    assert!(matches!(legacy.usage, Usage::Never { .. }));
    assert_eq!(legacy.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(
        legacy.ownership,
        nhi_lens::model::Ownership::NotLoaded,
        "every token has a user; the row did not show it"
    );
}

#[test]
fn a_changed_page_is_reported_not_read_as_empty() {
    let broken_url = "https://admin.atlassian.com/o/broken/api-token";
    let html = mock("o/broken/api-token.html");
    let plan = plan_for(broken_url).unwrap();
    let document = Html::parse_document(&html);
    for region in plan.regions.iter().filter(|r| r.required) {
        let selector = Selector::parse(&region.selector).unwrap();
        assert!(
            document.select(&selector).next().is_none(),
            "the broken variant lacks {}",
            region.name
        );
    }
    let saved = console::snapshot_input(broken_url, &html);
    let inv = read(&[(broken_url, saved.as_bytes())]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("page changed"));
}

#[test]
fn rows_without_a_token_id_are_reported_and_skipped_alone() {
    let table = r#"<table><thead><tr><th>Token name</th><th>Created by</th><th>Last used</th><th>Expires</th></tr></thead><tbody>
        <tr data-testid="t--row-0"><td>by-index</td><td>A</td><td>Never</td><td>Jan 1, 2027</td></tr>
        <tr><td>no-key</td><td>B</td><td>Never</td><td>Jan 1, 2027</td></tr>
        <tr data-testid="t--row-0f1e2d3c-aaaa-bbbb-cccc-000000000001"><td>kept</td><td>C</td><td>sometime</td><td>Jan 1, 2027</td></tr>
        </tbody></table>"#;
    let page = console::snapshot_input(PAGE_URL, table);
    let inv = read(&[(PAGE_URL, page.as_bytes())]);
    assert_eq!(
        ids(&inv),
        ["atlassian:api_token:0f1e2d3c-aaaa-bbbb-cccc-000000000001"]
    );
    let messages: Vec<&str> = inv.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("names no token ID"))
            .count(),
        2
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"sometime\" is not a date"))
    );
}

#[test]
fn the_mock_console_has_a_strict_policy_and_no_inline_script() {
    let csp = mock("csp.txt");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"));
    assert!(csp.contains("connect-src 'self'"));
    for page in ["o/acme/api-token.html", "o/broken/api-token.html"] {
        let html = mock(page);
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
    let (_, body) = captured_list();
    assert!(body.contains(HOSTILE.replace('<', "\\u003c").as_str()) || body.contains(HOSTILE));
}

#[test]
fn a_header_whose_rows_moved_out_of_the_table_is_a_changed_page_not_no_tokens() {
    // The body's rows redrawn as divs after the table, the header row left: not an organisation
    // without tokens.
    let page = String::from_utf8(fixture("api_token_activity.html")).unwrap();
    let (head, body) = page.split_at(page.find("<tbody").unwrap());
    let body = common::rows_as_divs(
        &body
            .replace("<tbody", "</table><div")
            .replace("</tbody></table>", "</div>"),
    );
    let moved = format!("{head}{body}");
    assert!(!moved.contains("<td"));
    let inv = read(&[(PAGE_URL, moved.as_bytes())]);
    common::assert_changed_page(&inv);
    // The empty organisation's view beside the table is nothing found, and the extension
    // captures it with the table.
    let empty = fixture("api_token_activity_empty.html");
    let inv = read(&[(PAGE_URL, &empty)]);
    assert!(inv.identities.is_empty() && inv.errors.is_empty());
    let plan = plan_for(&format!("{LOOPBACK}/o/acme/api-token")).unwrap();
    let regions = Selector::parse(&plan.regions[0].selector).unwrap();
    let captured = Html::parse_document(std::str::from_utf8(&empty).unwrap());
    assert_eq!(captured.select(&regions).count(), 2);
}

#[test]
fn relative_dates_count_back_from_when_the_page_was_read() {
    let page = String::from_utf8(fixture("api_token_activity.html")).unwrap();
    let relative = page
        .replacen(
            "<!-- saved from url=(0044)https://admin.atlassian.com/o/acme/api-token -->",
            "<!-- saved from url=(0044)https://admin.atlassian.com/o/acme/api-token read-at=2026-11-29T00:00:00Z -->",
            1,
        )
        .replacen(
            r#"<td data-testid="api-tokens-table--cell-3">Feb 27, 2026</td>"#,
            r#"<td data-testid="api-tokens-table--cell-3">2 days ago</td>"#,
            1,
        )
        .replacen(
            r#"<td data-testid="api-tokens-table--cell-2">Mar 10, 2025</td>"#,
            r#"<td data-testid="api-tokens-table--cell-2">3 Dec 2024</td>"#,
            1,
        );
    assert_eq!(relative.matches("2 days ago").count(), 1);
    let inv = read(&[(PAGE_URL, relative.as_bytes())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let script = native(&inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(script.created_at, Some(ts("2024-12-03T00:00:00Z")));
    match &script.usage {
        Usage::Used(used) => assert_eq!(used.at, ts("2026-11-27T00:00:00Z")),
        other => panic!("{other:?}"),
    }
}
