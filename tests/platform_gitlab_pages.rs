//! The GitLab pages (`src/platforms/gitlab/pages.rs`) against the mock console in
//! `tests/consoles/gitlab.com`: each page's plan keeps the REST API responses it loads and nothing
//! else; the first page of the group's tokens names the next in its `Link` header and both pages
//! read; what the responses carry reads into tokens and service accounts; a snapshot of each
//! page's table passes its layout check and a changed layout is reported as a changed page.

mod common;

use std::path::Path;

use common::ids;
use nhi_lens::console::{self, effective_url, keeps_response, page_for, plan_for, snapshot_input};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{Identity, Kind, Ownership, Reach, Tier, Timestamp, Usage};
use nhi_lens::timestamp;

#[path = "support/mock_consoles.rs"]
mod mock_consoles;
use mock_consoles::{consoles, served_file};
const BASE: &str = "http://127.0.0.1:8080";

const GROUP: &str = "/gitlab.com/groups/acme/-/settings/access_tokens";
const PROJECT: &str = "/gitlab.com/acme/web/-/settings/access_tokens";
const ACCOUNTS: &str = "/gitlab.com/groups/acme/-/settings/service_accounts";

const GROUP_INFO: &str = "/gitlab.com/api/v4/groups/acme";
const GROUP_TOKENS: &str =
    "/gitlab.com/api/v4/groups/acme/access_tokens?page=1&per_page=4&state=active";
const PROJECT_INFO: &str = "/gitlab.com/api/v4/projects/acme%2Fweb";
const PROJECT_TOKENS: &str =
    "/gitlab.com/api/v4/projects/acme%2Fweb/access_tokens?page=1&per_page=20&state=active";
/// The token tables' own lists, as GitLab 17.x and later page through them.
const GROUP_PAGE_LIST: &str = "/gitlab.com/groups/acme/-/settings/access_tokens.json?page=2";
const PROJECT_PAGE_LIST: &str = "/gitlab.com/acme/web/-/settings/access_tokens.json";
const ACCOUNT_LIST: &str =
    "/gitlab.com/api/v4/groups/acme/service_accounts?page=1&per_page=20&order_by=id&sort=desc";
const ACCOUNT_TOKENS: [&str; 2] = [
    "/gitlab.com/api/v4/groups/acme/service_accounts/9200/personal_access_tokens",
    "/gitlab.com/api/v4/groups/acme/service_accounts/9201/personal_access_tokens",
];

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

/// The mock's headers for a response.
fn headers(path: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(format!("{}.headers", served_file(path).display()))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn next_link(path: &str) -> Option<String> {
    let link = headers(path).into_iter().find(|(n, _)| n == "Link")?.1;
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
            GROUP,
            "gitlab.group_access_tokens_page",
            "#js-access-token-table-app, [data-testid=active-tokens]",
            &[GROUP_TOKENS, GROUP_PAGE_LIST][..],
            &[GROUP_INFO, PROJECT_TOKENS, ACCOUNT_LIST][..],
        ),
        (
            PROJECT,
            "gitlab.project_access_tokens_page",
            "#js-access-token-table-app, [data-testid=active-tokens]",
            &[PROJECT_TOKENS, PROJECT_PAGE_LIST][..],
            &[PROJECT_INFO, GROUP_TOKENS][..],
        ),
        (
            ACCOUNTS,
            "gitlab.service_accounts_page",
            "#js-service-accounts",
            &[ACCOUNT_LIST, ACCOUNT_TOKENS[0], ACCOUNT_TOKENS[1]][..],
            &[GROUP_INFO, GROUP_TOKENS][..],
        ),
    ] {
        let full = format!("{BASE}{url}");
        let plan = plan_for(&full).unwrap_or_else(|| panic!("no plan for {full}"));
        assert_eq!(plan.page, page);
        assert_eq!(plan.tenant, "gitlab:acme");
        // A token page's rows are those of its required table (never the inactive tokens').
        if page == "gitlab.service_accounts_page" {
            assert_eq!(plan.rows, console::GENERIC_ROWS);
        } else {
            let containers: Vec<&str> = region.split(", ").collect();
            assert!(
                plan.rows
                    .split(", ")
                    .all(|row| containers.iter().any(|c| row.starts_with(&format!("{c} ")))),
                "{}",
                plan.rows
            );
        }
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
        }
        for path in dropped {
            assert!(
                !keeps_response(found, &format!("{BASE}{path}")),
                "{page} keeps {path}"
            );
        }
    }
    // A subgroup's tokens are the group page's, and a project in a subgroup the project page's.
    let plan =
        plan_for("https://gitlab.com/groups/acme/platform/-/settings/access_tokens").unwrap();
    assert_eq!(
        (plan.page.as_str(), plan.tenant.as_str()),
        ("gitlab.group_access_tokens_page", "gitlab:acme")
    );
    let plan = plan_for("https://gitlab.com/acme/platform/api/-/settings/access_tokens").unwrap();
    assert_eq!(
        (plan.page.as_str(), plan.tenant.as_str()),
        ("gitlab.project_access_tokens_page", "gitlab:acme")
    );
    // Self-managed hosts are not listed (see pages.rs).
    assert!(plan_for("https://gitlab.example.com/groups/acme/-/settings/access_tokens").is_none());
}

#[test]
fn the_group_list_shows_its_first_page_and_its_link_header_names_the_next() {
    let next = next_link(GROUP_TOKENS).expect("page 1 names the next page");
    assert_eq!(
        next,
        "/gitlab.com/api/v4/groups/acme/access_tokens?page=2&per_page=4&state=active"
    );
    let all = headers(GROUP_TOKENS);
    assert!(all.contains(&("X-Next-Page".into(), "2".into())));
    assert!(all.contains(&("X-Total".into(), "6".into())));
    let (page, _, _) = page_for(&format!("{BASE}{GROUP}")).unwrap();
    assert!(keeps_response(page, &format!("{BASE}{next}")));
    assert_eq!(next_link(&next), None, "page 2 is the last");

    let inventory = read(&[GROUP_TOKENS, &next]);
    assert_eq!(
        ids(&inventory),
        [
            "gitlab:api_token:101",
            "gitlab:api_token:102",
            "gitlab:api_token:103",
            "gitlab:api_token:104",
            "gitlab:api_token:105",
            "gitlab:api_token:106",
        ]
    );
    let deploy = id(&inventory, "gitlab:api_token:101");
    assert_eq!(deploy.kind, Kind::ApiToken);
    assert_eq!(deploy.name, "deploy-bot");
    assert_eq!(deploy.location.as_deref(), Some("group acme"));
    assert_eq!(
        deploy.reach,
        Reach::All,
        "a top-level group's token reaches all of it"
    );
    assert_eq!(deploy.max_tier(), Some(Tier::Admin));
    assert_eq!(deploy.created_at, Some(ts("2023-04-01T10:00:00Z")));
    assert_eq!(deploy.ownership, Ownership::NotRecorded);
    assert!(matches!(deploy.usage, Usage::Used(_)));
    assert_eq!(
        id(&inventory, "gitlab:api_token:103").name,
        "<img src=x onerror=alert(1)>"
    );
    assert!(matches!(
        id(&inventory, "gitlab:api_token:103").usage,
        Usage::Never { .. }
    ));
}

#[test]
fn project_tokens_and_service_accounts_read() {
    let inventory = read(&[PROJECT_TOKENS]);
    assert_eq!(
        ids(&inventory),
        ["gitlab:api_token:201", "gitlab:api_token:202"]
    );
    let web = id(&inventory, "gitlab:api_token:201");
    assert_eq!(web.location.as_deref(), Some("project acme/web"));
    assert_eq!(web.reach, Reach::Selected);

    let inventory = read(&[ACCOUNT_LIST, ACCOUNT_TOKENS[0], ACCOUNT_TOKENS[1]]);
    assert_eq!(
        ids(&inventory),
        ["gitlab:service_account:9200", "gitlab:service_account:9201"]
    );
    let release = id(&inventory, "gitlab:service_account:9200");
    assert_eq!(release.name, "Release pipeline");
    assert_eq!(release.location.as_deref(), Some("group acme"));
    assert_eq!(release.credentials.len(), 2);
    assert_eq!(release.credentials.iter().filter(|c| c.active).count(), 1);
    let backup = id(&inventory, "gitlab:service_account:9201");
    assert!(
        backup.credentials.iter().all(|c| !c.active),
        "its only token expired"
    );
}

fn region_html(name: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/gitlab")
            .join(name),
    )
    .unwrap();
    text.split_once('\n').unwrap().1.to_string()
}

fn collect(inputs: &[(&str, &[u8])]) -> Inventory {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    collector.finish()
}

fn read_snapshot(page_url: &str, html: &str) -> Inventory {
    collect(&[(
        &effective_url(page_url),
        snapshot_input(page_url, html).as_bytes(),
    )])
}

/// The keys each row offers the row finder: every element's own text.
fn row_keys(html: &str) -> Vec<Vec<String>> {
    use scraper::{ElementRef, Html, Node, Selector};
    let document = Html::parse_fragment(html);
    let rows = Selector::parse(console::GENERIC_ROWS).unwrap();
    document
        .select(&rows)
        .map(|row| {
            std::iter::once(row)
                .chain(row.descendants().filter_map(ElementRef::wrap))
                .filter_map(|element| {
                    let own: String = element
                        .children()
                        .filter_map(|c| match c.value() {
                            Node::Text(t) => Some(&**t),
                            _ => None,
                        })
                        .collect();
                    let own = own.trim();
                    (!own.is_empty()).then(|| own.to_string())
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_snapshot_of_each_pages_table_passes_its_layout_check_and_each_identity_has_a_row() {
    for (url, page, fixture, json) in [
        (
            GROUP,
            "gitlab.group_access_tokens_page",
            "console_group_access_tokens.html",
            &[GROUP_TOKENS][..],
        ),
        (
            PROJECT,
            "gitlab.project_access_tokens_page",
            "console_project_access_tokens.html",
            &[PROJECT_TOKENS][..],
        ),
        (
            ACCOUNTS,
            "gitlab.service_accounts_page",
            "console_service_accounts.html",
            &[ACCOUNT_LIST, ACCOUNT_TOKENS[0], ACCOUNT_TOKENS[1]][..],
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
        let rows = row_keys(&html);
        let identities = read(json).identities;
        assert!(!identities.is_empty());
        for identity in &identities {
            assert!(
                rows.iter().any(|r| r.contains(&identity.name)),
                "{page}: no row for {}",
                identity.id
            );
        }
    }
}

#[test]
fn a_changed_layout_is_a_changed_page_not_an_empty_group() {
    let url = format!("{BASE}/gitlab.com/groups/broken/-/settings/access_tokens");
    let plan = plan_for(&url).unwrap();
    assert_eq!(
        (plan.page.as_str(), plan.tenant.as_str()),
        ("gitlab.group_access_tokens_page", "gitlab:broken")
    );
    let served = std::fs::read_to_string(
        consoles().join("gitlab.com/groups/broken/-/settings/access_tokens.html"),
    )
    .unwrap();
    assert!(
        served.contains(r#"id="js-access-tokens-list""#)
            && !served.contains("js-access-token-table-app")
    );
    let cards = r#"<div id="js-access-tokens-list"><ul class="gl-list-cards"><li class="gl-card"><div><strong>Token name: </strong><span>deploy-bot</span></div></li></ul></div>"#;
    // A table under a root the plan does not know, or a known root without the token columns.
    let renamed = r#"<div id="js-access-token-table-app"><table><thead><tr><th>Bot</th><th>Permissions</th></tr></thead></table></div>"#;
    for html in [served.as_str(), cards, renamed] {
        let inventory = read_snapshot(&url, html);
        assert!(inventory.identities.is_empty());
        assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
        let message = &inventory.errors[0].message;
        assert!(
            message.contains("the page changed") && message.contains("access token table"),
            "{message}"
        );
    }
    // The group's API still answers, and its response still reads.
    let inventory =
        read(&["/gitlab.com/api/v4/groups/broken/access_tokens?page=1&per_page=4&state=active"]);
    assert_eq!(ids(&inventory), ["gitlab:api_token:901"]);
}

#[test]
fn the_project_pattern_placeholder_page_sends_on_to_a_real_project() {
    // `tests/conventions.rs` wants a mock at the project pattern with its `*` empty.
    let stand_in =
        std::fs::read_to_string(consoles().join("gitlab.com/acme/-/settings/access_tokens.html"))
            .unwrap();
    assert!(stand_in.contains(r#"url=/gitlab.com/acme/web/-/settings/access_tokens"#));
    assert!(
        consoles()
            .join("gitlab.com/acme/web/-/settings/access_tokens.html")
            .is_file()
    );
}

#[test]
fn gitlab_17_tokens_rendered_into_the_table_root_are_read_as_the_api_lists_them() {
    const LEGACY: &str = "/gitlab.com/acme/legacy/-/settings/access_tokens";
    let page = std::fs::read_to_string(
        consoles().join("gitlab.com/acme/legacy/-/settings/access_tokens.html"),
    )
    .unwrap();
    // The root's start tag as the server rendered it, and the table the page's script drew in it.
    let start = page.find("<div id=\"js-access-token-table-app\"").unwrap();
    let root_tag = &page[start..start + page[start..].find('>').unwrap()];
    let table = region_html("console_project_access_tokens.html");
    let html = table.replacen("<div id=\"js-access-token-table-app\"", root_tag, 1);
    assert!(html.contains("data-initial-active-access-tokens"));
    let inventory = read_snapshot(&format!("{BASE}{LEGACY}"), &html);
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
    assert_eq!(
        inventory.inputs[0].format.as_deref(),
        Some("gitlab.project_access_tokens_page")
    );
    let names: Vec<&str> = inventory
        .identities
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["legacy-deploy", "release-bot"]);
    let deploy = &inventory.identities[0];
    assert_eq!(deploy.kind, Kind::ApiToken);
    assert_eq!(deploy.location.as_deref(), Some("project acme/legacy"));
    assert_eq!(deploy.reach, Reach::Selected);
    let grants: Vec<&str> = deploy.grants.iter().map(|g| g.name.as_str()).collect();
    assert!(
        grants.contains(&"access level maintainer (40)") && grants.contains(&"api"),
        "{grants:?}"
    );
    assert_eq!(deploy.created_at, Some(ts("2024-02-01T10:00:00Z")));
    assert!(matches!(inventory.identities[1].usage, Usage::Never { .. }));

    // The same tokens from the API (as newer versions load them) are the same identities.
    let api = r#"[{"id":9101,"name":"legacy-deploy","revoked":false,"created_at":"2024-02-01T10:00:00.000Z","scopes":["api"],"user_id":7301,"last_used_at":null,"active":true,"expires_at":null,"access_level":40}]"#;
    let both = collect(&[
        (
            &effective_url(&format!("{BASE}{LEGACY}")),
            snapshot_input(&format!("{BASE}{LEGACY}"), &html).as_bytes(),
        ),
        (
            "https://gitlab.com/api/v4/projects/acme%2Flegacy/access_tokens",
            api.as_bytes(),
        ),
    ]);
    assert_eq!(both.identities.len(), 2, "{:?}", ids(&both));

    // Once mounted, the app has replaced the root with its own element: the table alone passes
    // the layout check, and the root the content script snapshot at first sight holds the list.
    let mounted = html.replacen(root_tag, "<div", 1).replacen(
        "<table ",
        "<table data-testid=\"active-tokens\" ",
        1,
    );
    let table_only = read_snapshot(&format!("{BASE}{LEGACY}"), &mounted);
    assert!(table_only.errors.is_empty(), "{:?}", table_only.errors);
    let early = format!("{mounted}\n{root_tag}></div>\n");
    assert_eq!(
        read_snapshot(&format!("{BASE}{LEGACY}"), &early)
            .identities
            .len(),
        2
    );

    // The table's own list, as it pages through it: the role by name, the group from the URL.
    let page_two = r#"[{"id":9201,"name":"sub-ci","revoked":false,"created_at":"2025-01-01T00:00:00.000Z","scopes":["read_api"],"user_id":7401,"last_used_at":null,"active":true,"expires_at":null,"expired":false,"expires_soon":false,"revoke_path":"/groups/acme/sub/-/settings/access_tokens/9201/revoke","role":"Maintainer"}]"#;
    let listed = collect(&[(
        "https://gitlab.com/groups/acme/sub/-/settings/access_tokens.json?page=2",
        page_two.as_bytes(),
    )]);
    assert!(listed.errors.is_empty(), "{:?}", listed.errors);
    let token = &listed.identities[0];
    assert_eq!(token.location.as_deref(), Some("group acme/sub"));
    assert!(
        token
            .grants
            .iter()
            .any(|g| g.name == "access level maintainer (40)")
    );
}
