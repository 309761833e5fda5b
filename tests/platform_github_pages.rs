//! The github.com settings pages the extension reads from the DOM: their URL patterns and capture
//! plans, what each page's reader makes of the mock console (`tests/consoles/github.com/`) and of
//! the fixtures generated from it (`tests/fixtures/github/*_dom*.html`), that the same object read
//! from the page and from the REST API is one identity, and that a redrawn page is reported as
//! changed rather than empty.

mod common;

use std::path::{Path, PathBuf};

use nhi_lens::console::{self, Pattern, page_for, plan_for};
use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{
    CredentialKind, Expiry, Identity, Kind, OwnerSource, Ownership, Precision, Reach, Tier,
    Timestamp, Usage,
};
use nhi_lens::platforms::github;
use nhi_lens::{Policy, timestamp};

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn mock(path: &str) -> String {
    let file: PathBuf = root().join("tests/consoles/github.com").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn fixture(file: &str) -> String {
    let path = root().join("tests/fixtures/github").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the content script snapshots: the page's `main` element.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").expect("the page has a main element");
    let end = page.rfind("</main>").expect("main is closed") + "</main>".len();
    &page[start..end]
}

/// Reads inputs as the collector gets them; `(source, bytes)`.
fn collect(inputs: &[(&str, &str)]) -> Inventory {
    let mut collector = Collector::new();
    for (source, text) in inputs {
        collector.add(source, text.as_bytes());
    }
    collector.finish()
}

/// Reads a snapshot of `url` holding `html`, insisting nothing went wrong.
fn read_page(url: &str, html: &str) -> Inventory {
    let input = console::snapshot_input(url, html);
    let inventory = collect(&[(url, &input)]);
    assert!(
        inventory.errors.is_empty(),
        "errors reading {url}: {:#?}",
        inventory.errors
    );
    inventory
}

fn read_fixture(file: &str) -> Inventory {
    let text = fixture(file);
    let source = format!("tests/fixtures/github/{file}");
    let inventory = collect(&[(&source, &text)]);
    assert!(
        inventory.errors.is_empty(),
        "errors reading {file}: {:#?}",
        inventory.errors
    );
    inventory
}

fn by_id<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
    let found: Vec<&Identity> = inventory.identities.iter().filter(|i| i.id == id).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {id}, found {:?}",
        inventory
            .identities
            .iter()
            .map(|i| &i.id)
            .collect::<Vec<_>>()
    );
    found[0]
}

/// An identity's grants as (name, tier), in the order read.
fn grants_of(identity: &Identity) -> Vec<(&str, Tier)> {
    identity
        .grants
        .iter()
        .map(|g| (g.name.as_str(), g.tier))
        .collect()
}

fn ids(inventory: &Inventory) -> Vec<&str> {
    inventory.identities.iter().map(|i| i.id.as_str()).collect()
}

fn owner(identity: &Identity) -> Option<&str> {
    identity.ownership.primary().map(|o| o.who.name.as_str())
}

fn used_at(usage: &Usage) -> Timestamp {
    match usage {
        Usage::Used(u) => {
            assert_eq!(u.precision, Precision::Exact);
            u.at
        }
        other => panic!("expected a recorded use, found {other:?}"),
    }
}

/// Each page: its ID, its list URL on the mock (tenant `acme`), the mock file, and the stem of its
/// fixtures.
const PAGES: &[(&str, &str, &str, &str)] = &[
    (
        "github.installations_page",
        "https://github.com/organizations/acme/settings/installations",
        "organizations/acme/settings/installations",
        "installations_dom",
    ),
    (
        "github.personal_access_tokens_page",
        "https://github.com/organizations/acme/settings/personal-access-tokens/active",
        "organizations/acme/settings/personal-access-tokens/active",
        "personal_access_tokens_dom",
    ),
    (
        "github.personal_access_token_requests_page",
        "https://github.com/organizations/acme/settings/personal-access-token-requests",
        "organizations/acme/settings/personal-access-token-requests",
        "personal_access_token_requests_dom",
    ),
    (
        "github.hooks_page",
        "https://github.com/organizations/acme/settings/hooks",
        "organizations/acme/settings/hooks",
        "hooks_dom",
    ),
    (
        "github.actions_secrets_page",
        "https://github.com/organizations/acme/settings/secrets/actions",
        "organizations/acme/settings/secrets/actions",
        "actions_secrets_dom",
    ),
    (
        "github.oauth_app_policy_page",
        "https://github.com/organizations/acme/settings/oauth_application_policy",
        "organizations/acme/settings/oauth_application_policy",
        "oauth_app_policy_dom",
    ),
    (
        "github.deploy_keys_page",
        "https://github.com/acme/payments/settings/keys",
        "acme/payments/settings/keys",
        "deploy_keys_dom",
    ),
];

// ------------------------------------------------------------------------------------------------
// Pages, patterns and plans
// ------------------------------------------------------------------------------------------------

/// An installed App's own page (its Configure link), which has no list and no second page.
const INSTALLATION: &str = "github.installation_page";

#[test]
fn github_lists_its_eight_dom_pages_each_with_its_html_format() {
    let pages: Vec<&str> = github::SPEC.pages.iter().map(|p| p.id).collect();
    let expected: Vec<&str> = std::iter::once(INSTALLATION)
        .chain(PAGES.iter().map(|p| p.0))
        .collect();
    assert_eq!(pages, expected);
    for page in github::SPEC.pages {
        assert!(page.api.is_empty(), "{}: server-rendered, no API", page.id);
        assert!(github::SPEC.formats.iter().any(|f| f.id == page.id));
    }
}

#[test]
fn every_url_goes_to_its_own_page_and_no_pattern_overlaps() {
    // Paths on github.com, by the page that must claim them.
    let cases: &[(Option<&str>, &[&str])] = &[
        (
            Some("github.installations_page"),
            &[
                "organizations/acme/settings/installations",
                "organizations/acme/settings/installations?page=2",
            ],
        ),
        (
            Some(INSTALLATION),
            &[
                "organizations/acme/settings/installations/31001",
                "organizations/acme/settings/installations/31001/permissions",
            ],
        ),
        (
            Some("github.personal_access_tokens_page"),
            &[
                "organizations/acme/settings/personal-access-tokens",
                "organizations/acme/settings/personal-access-tokens/active",
                "organizations/acme/settings/personal-access-tokens/active?page=2",
            ],
        ),
        (
            Some("github.personal_access_token_requests_page"),
            &[
                "organizations/acme/settings/personal-access-token-requests",
                "organizations/acme/settings/personal-access-token-requests?page=2",
            ],
        ),
        (
            Some("github.hooks_page"),
            &[
                "organizations/acme/settings/hooks",
                "organizations/acme/settings/hooks/6101",
            ],
        ),
        (
            Some("github.actions_secrets_page"),
            &[
                "organizations/acme/settings/secrets/actions",
                "organizations/acme/settings/secrets/actions?page=2",
            ],
        ),
        (
            Some("github.oauth_app_policy_page"),
            &[
                "organizations/acme/settings/oauth_application_policy",
                "organizations/acme/settings/oauth_application_policy?page=2",
                "organizations/acme/settings/oauth_application_policy/8101",
            ],
        ),
        (
            Some("github.deploy_keys_page"),
            &[
                "acme/payments/settings/keys",
                "acme/payments/settings/keys?page=2",
                "acme/payments/settings/keys/new",
            ],
        ),
        // Other settings pages: read for nothing, badged from the inventory.
        (
            Some("elsewhere"),
            &[
                "acme/payments/settings/hooks",
                "organizations/acme/settings/profile",
            ],
        ),
        // Not console pages.
        (None, &["settings/keys", "acme/payments"]),
    ];
    for (expected, paths) in cases {
        for path in *paths {
            let url = format!("https://github.com/{path}");
            assert_eq!(
                page_for(&url).map(|(page, _, _)| page.id),
                *expected,
                "{url}"
            );
        }
    }
    // No page's URLs are matched by another page's pattern, in either order.
    for (id, url, _, _) in PAGES {
        for other in github::SPEC.pages.iter().filter(|p| p.id != *id) {
            // An installation's own page is under its list, and comes before it.
            let variants = if other.id == INSTALLATION && *id == "github.installations_page" {
                vec![url.to_string(), format!("{url}?page=2")]
            } else {
                vec![url.to_string(), format!("{url}?page=2"), format!("{url}/1")]
            };
            for variant in variants {
                assert!(
                    Pattern::new(other.url).matches(&variant).is_none(),
                    "{} also matches {variant} (page {id})",
                    other.id
                );
            }
        }
    }
}

#[test]
fn plans_snapshot_main_and_find_rows_by_box_rows_on_the_mock_urls() {
    for (id, url, _, _) in PAGES {
        let loopback = url.replace("https://", "http://127.0.0.1:8080/");
        let plan = plan_for(&loopback).unwrap_or_else(|| panic!("no plan for {loopback}"));
        assert_eq!(plan.page, *id);
        assert_eq!(plan.tenant, "github:acme", "{id}");
        assert!(plan.api.is_empty(), "{id}: the page fetches no JSON");
        assert_eq!(plan.regions.len(), 1);
        assert_eq!(plan.regions[0].selector, "main");
        assert!(plan.regions[0].required);
        for selector in ["tr", "li", ".Box-row", "[role=row]"] {
            assert!(plan.rows.contains(selector), "{id}: rows {}", plan.rows);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Mocks and fixtures
// ------------------------------------------------------------------------------------------------

#[test]
fn fixtures_are_the_mocks_main_element_after_the_saved_from_line() {
    for (id, url, path, stem) in PAGES {
        for (page, suffix, query) in [("", "", ""), ("@page=2", "_page2", "?page=2")] {
            assert_generated_from_mock(
                id,
                &format!("{url}{query}"),
                &format!("{path}{page}.html"),
                &format!("{stem}{suffix}.html"),
            );
        }
    }
}

/// That fixture `file` is the snapshot of the mock page at `path` (served for `url`): its `main`
/// element after the `saved from url` line.
fn assert_generated_from_mock(id: &str, url: &str, path: &str, file: &str) {
    let expected = format!("{}\n", console::snapshot_input(url, main_of(&mock(path))));
    assert_eq!(
        fixture(file),
        expected,
        "{id}: {file} is not generated from the mock"
    );
}

#[test]
fn the_mock_consoles_send_a_csp_like_githubs() {
    let csp = mock("csp.txt");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("default-src 'none'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        !csp.contains("unsafe-eval"),
        "no 'unsafe-eval' nor 'wasm-unsafe-eval'"
    );
    for (_, _, path, _) in PAGES {
        let page = mock(&format!("{path}.html"));
        assert!(
            !page.contains("<script>") && !page.contains("<script src"),
            "{path}: no scripts: github.com renders these pages on the server"
        );
        assert!(page.contains("&lt;") || !page.contains("onerror"), "{path}");
    }
}

#[test]
fn each_mock_page_reads_as_its_fixture_does() {
    for (id, url, path, stem) in PAGES {
        // The whole page, as a page saved by hand, reads like the snapshot of its `main`.
        let whole = read_page(url, &mock(&format!("{path}.html")));
        let snapshot = read_fixture(&format!("{stem}.html"));
        assert_eq!(ids(&whole), ids(&snapshot), "{id}");
        assert!(!whole.identities.is_empty(), "{id}");
        assert_eq!(
            whole.inputs[0].format.as_deref(),
            Some(*id),
            "{id}: read by the page's format"
        );
    }
}

// ------------------------------------------------------------------------------------------------
// What each page yields
// ------------------------------------------------------------------------------------------------

#[test]
fn installed_apps_are_installations_keyed_by_the_configure_link() {
    let inv = read_fixture("installations_dom.html");
    assert_eq!(
        ids(&inv),
        [
            "github:github_app:31001",
            "github:github_app:31002",
            "github:github_app:31003",
            "github:github_app:31004",
            "github:github_app:31005"
        ],
        "the pending installation request is not an installation"
    );
    let ci = by_id(&inv, "github:github_app:31001");
    assert_eq!(ci.kind, Kind::GithubApp);
    assert_eq!(ci.name, "CI Bot");
    assert_eq!(ci.location.as_deref(), Some("acme"));
    assert_eq!(ci.ownership, Ownership::NotRecorded);
    assert_eq!(ci.usage, Usage::NotRecorded);
    assert!(ci.enabled);
    assert!(
        ci.grants.is_empty(),
        "permissions are on the Configure page"
    );
    assert_eq!(ci.reach, Reach::Unknown);
    assert!(!by_id(&inv, "github:github_app:31005").enabled, "suspended");

    let page2 = read_fixture("installations_dom_page2.html");
    assert_eq!(
        ids(&page2),
        ["github:github_app:31006", "github:github_app:31007"]
    );
    let partial = read_fixture("installations_dom_partial.html");
    assert_eq!(by_id(&partial, "github:github_app:31101").name, "Octo Lint");
    assert_eq!(
        by_id(&partial, "github:github_app:31102").name,
        "installation 31102"
    );

    // The name in the link to the installation, beside an avatar; the Configure link names
    // nothing.
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = read_page(
        url,
        r#"<main><ul><li class="Box-row">
        <a href="/organizations/acme/settings/installations/31002"><img class="avatar" alt=""> Renovate</a>
        <a class="btn" href="/organizations/acme/settings/installations/31002">Configure</a>
        </li><li class="Box-row">
        <img class="avatar" alt="">
        <a class="btn" href="/organizations/acme/settings/installations/31003">Configure</a>
        </li></ul></main>"#,
    );
    assert_eq!(by_id(&inv, "github:github_app:31002").name, "Renovate");
    assert_eq!(
        by_id(&inv, "github:github_app:31003").name,
        "installation 31003"
    );
}

#[test]
fn a_link_in_the_settings_menu_or_a_side_panel_is_no_row() {
    // The settings menu (a `nav`) holding a link shaped like an installation's.
    let page = fixture("installations_dom.html");
    let menu =
        r#"<li><a class="menu-item" href="/organizations/acme/settings/hooks">Webhooks</a></li>"#;
    assert!(page.contains(menu));
    let page = page.replace(
        menu,
        &format!(
            r#"{menu}<li><a class="menu-item" href="/organizations/acme/settings/installations/99999">Dependabot</a></li>"#
        ),
    );
    let inv = collect(&[("installations_dom.html", &page)]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    assert_eq!(ids(&inv), ids(&read_fixture("installations_dom.html")));

    // ARIA navigation and an aside, beside the list.
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = read_page(
        url,
        r#"<main><div role="navigation"><ul><li><a href="/organizations/acme/settings/installations/7">Menu App</a></li></ul></div>
        <aside><div class="Box-row"><strong>Suggested</strong><a href="/organizations/acme/settings/installations/8">Configure</a></div></aside>
        <ul><li class="Box-row"><strong>CI Bot</strong>
        <a href="/organizations/acme/settings/installations/1">Configure</a></li></ul></main>"#,
    );
    assert_eq!(ids(&inv), ["github:github_app:1"]);
}

#[test]
fn an_apps_publisher_is_never_its_name() {
    // The publisher in bold, the name in a plain span or after it.
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = read_page(
        url,
        r#"<main><ul><li class="Box-row"><div><span class="f4">Renovate</span>
        <div>Developed by <strong><a href="/mend">mend</a></strong></div></div>
        <a class="btn" href="/organizations/acme/settings/installations/31002">Configure</a></li>
        <li class="Box-row"><div><strong><a data-hovercard-type="user" href="/vercel">vercel</a></strong>
        <strong>Vercel</strong></div>
        <a class="btn" href="/organizations/acme/settings/installations/31003">Configure</a></li></ul></main>"#,
    );
    assert_eq!(
        by_id(&inv, "github:github_app:31002").name,
        "installation 31002",
        "no name the reader knows: not the publisher's"
    );
    assert_eq!(by_id(&inv, "github:github_app:31003").name, "Vercel");
}

#[test]
fn an_installation_on_the_page_and_in_the_rest_response_is_one_identity() {
    let rest = r#"{"total_count": 1, "installations": [{"id": 31001, "app_id": 9001,
        "app_slug": "ci-bot", "account": {"login": "acme"}, "repository_selection": "all",
        "permissions": {"contents": "write", "metadata": "read"},
        "created_at": "2024-01-02T03:04:05Z", "suspended_at": null}]}"#;
    let page = fixture("installations_dom.html");
    let inv = collect(&[("installations.json", rest), ("installations page", &page)]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    let ci = by_id(&inv, "github:github_app:31001");
    assert_eq!(ci.sources.len(), 2, "{:?}", ci.sources);
    assert_eq!(ci.grants.len(), 2, "the REST record came first and is kept");
    assert_eq!(inv.identities.len(), 5);
}

#[test]
fn an_installed_apps_own_page_says_its_permissions_and_repository_access() {
    let inv = read_fixture("installation_dom.html");
    assert_eq!(inv.inputs[0].format.as_deref(), Some(INSTALLATION));
    let renovate = by_id(&inv, "github:github_app:31002");
    assert_eq!(renovate.name, "Renovate");
    assert_eq!(renovate.location.as_deref(), Some("acme"));
    assert_eq!(renovate.ownership, Ownership::NotRecorded);
    assert!(renovate.enabled, "a Suspend button is no suspension");
    assert_eq!(renovate.reach, Reach::All, "the checked radio button");
    // Each sentence's names by their REST names ("code" is `contents`), at its level.
    assert_eq!(
        grants_of(renovate),
        [
            ("members:read", Tier::SensitiveRead),
            ("metadata:read", Tier::Read),
            ("organization_administration:read", Tier::SensitiveRead),
            ("administration:write", Tier::Admin),
            ("checks:write", Tier::Write),
            ("contents:write", Tier::Write),
            ("statuses:write", Tier::Write),
            ("issues:write", Tier::Write),
            ("pull_requests:write", Tier::Write),
            ("workflows:write", Tier::Admin),
        ]
    );
    // The whole page, as a page saved by hand, reads like the snapshot of its `main`.
    let url = "https://github.com/organizations/acme/settings/installations/31002";
    let whole = read_page(
        url,
        &mock("organizations/acme/settings/installations/31002.html"),
    );
    assert_eq!(
        by_id(&whole, "github:github_app:31002").grants,
        renovate.grants
    );
    assert_generated_from_mock(
        INSTALLATION,
        url,
        "organizations/acme/settings/installations/31002.html",
        "installation_dom.html",
    );

    // Selected repositories, sentences split over elements, and a suspended installation.
    let other = read_fixture("installation_dom_partial.html");
    let helper = by_id(&other, "github:github_app:31005");
    assert_eq!(helper.name, "Legacy Deploy Helper");
    assert_eq!(
        helper.reach,
        Reach::Selected,
        "by its label, without a value"
    );
    assert!(!helper.enabled, "it offers to unsuspend");
    let names: Vec<&str> = helper.grants.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "metadata:read",
            "contents:write",
            "deployments:write",
            "single_file:write"
        ],
        "each sentence once, from its innermost element"
    );
}

#[test]
fn an_installed_apps_page_reads_its_permissions_section_only_and_what_it_shows() {
    let url = "https://github.com/organizations/acme/settings/installations/31002";
    // The App's name and description are its developer's words; a hidden section is not shown;
    // one element may say two sentences; every level GitHub writes.
    let inv = read_page(
        url,
        r#"<main><div class="Subhead"><h2 class="Subhead-heading">Unsuspend</h2></div>
        <p>Grants read and write access to administration. You can unsuspend it any time.</p>
        <div class="Box"><div class="Box-header"><h3 class="Box-title">Permissions</h3></div>
          <ul>
            <li>Read access to metadata<br>Write access to checks.</li>
            <li>Admin access to organization projects</li>
            <li hidden>Read and write access to secrets</li>
            <li>Read and write access to Dependabot alerts and commit statuses</li>
          </ul></div>
        <div style="display: none"><h3>Permissions</h3><p>Admin access to members</p></div>
        <form><label><input type="radio" value="selected" checked> Only select repositories</label></form>
        <button class="btn btn-danger">Suspend</button></main>"#,
    );
    let app = by_id(&inv, "github:github_app:31002");
    assert_eq!(app.name, "Unsuspend");
    assert!(app.enabled, "the App's own words suspend nothing");
    assert_eq!(
        grants_of(app),
        [
            ("metadata:read", Tier::Read),
            ("checks:write", Tier::Write),
            ("organization_projects:admin", Tier::Admin),
            ("vulnerability_alerts:write", Tier::Write),
            ("statuses:write", Tier::Write),
        ]
    );
    // A request under the installation (more permissions asked for) grants nothing.
    let request = read_page(
        &format!("{url}/permissions/update"),
        r#"<main><h2>Renovate</h2><h3>Permissions</h3><ul><li>Read and write access to administration</li></ul></main>"#,
    );
    assert!(request.identities.is_empty());
    // Words saying "no permissions" outside the section do not pass a redrawn one.
    let redrawn = console::snapshot_input(
        url,
        r#"<main><h2>Renovate</h2><p>Needs no permissions beyond what it asks.</p><ul><li>Read access to metadata</li></ul></main>"#,
    );
    let inv = collect(&[(url, &redrawn)]);
    assert!(inv.identities.is_empty());
    assert!(
        inv.errors[0].message.contains("page changed"),
        "{:?}",
        inv.errors
    );
}

#[test]
fn an_installed_apps_page_with_no_permissions_changed_and_one_read_with_the_list_is_one_identity() {
    let url = "https://github.com/organizations/acme/settings/installations/31002";
    let redrawn = console::snapshot_input(
        url,
        "<main><h2>Renovate</h2><p>Repository access: All repositories</p></main>",
    );
    let inv = collect(&[(url, &redrawn)]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1, "{:#?}", inv.errors);
    assert!(
        inv.errors[0].message.contains("page changed"),
        "{}",
        inv.errors[0].message
    );
    // A page an App with no permissions shows names it, with none.
    let none = read_fixture("installation_dom_empty.html");
    let vercel = by_id(&none, "github:github_app:31003");
    assert!(vercel.grants.is_empty());
    assert_eq!(vercel.reach, Reach::Unknown);

    // The list first, then the App's page: one identity, with the page's permissions and access.
    let list = fixture("installations_dom.html");
    let page = fixture("installation_dom.html");
    let inv = collect(&[("list", &list), ("configure", &page)]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    assert_eq!(inv.identities.len(), 5);
    let renovate = by_id(&inv, "github:github_app:31002");
    assert_eq!(renovate.sources.len(), 2);
    assert_eq!(renovate.reach, Reach::All);
    assert_eq!(renovate.grants.len(), 10);
    assert!(
        !renovate.grants_unread,
        "the App's page shows its permissions"
    );
    let listed = collect(&[("list", &list)]);
    assert!(!listed.identities.is_empty());
    assert!(
        listed.identities.iter().all(|i| i.grants_unread),
        "the list shows none"
    );
    // Scored on what the App's page added: admin permissions on every repository.
    let scored = |inv: Inventory| {
        let report = nhi_lens::assess(inv, &Policy::default(), now());
        let a = report
            .assessments()
            .find(|a| a.identity.id == "github:github_app:31002")
            .expect("scored");
        let codes: Vec<&str> = a.findings.iter().map(|f| f.rule.code).collect();
        (a.score, codes.join(" "))
    };
    let (with_page, codes) = scored(inv);
    let (list_only, _) = scored(collect(&[("list", &list)]));
    assert!(
        with_page > list_only,
        "{with_page} after the App's page, {list_only} from the list alone"
    );
    assert!(codes.contains("NL3"), "an over-privilege finding: {codes}");
}

#[test]
fn active_tokens_have_owners_use_and_expiry_and_match_the_rest_ids() {
    let inv = read_fixture("personal_access_tokens_dom.html");
    assert_eq!(inv.identities.len(), 5);
    let deploy = by_id(&inv, "github:user_token:fine-grained/4101");
    assert_eq!(deploy.kind, Kind::UserToken);
    assert_eq!(deploy.name, "deploy-pipeline");
    assert!(
        deploy.aliases.contains(&"4101".to_string()),
        "the link's ID"
    );
    assert!(!deploy.pending);
    assert_eq!(owner(deploy), Some("octocat"));
    assert_eq!(used_at(&deploy.usage), ts("2026-11-20T09:14:03Z"));
    let token = &deploy.credentials[0];
    assert_eq!(token.kind, CredentialKind::Token);
    assert_eq!(
        token.expiry,
        Expiry::At {
            at: ts("2027-01-15T00:00:00Z")
        }
    );
    assert!(token.active);

    let hostile = by_id(&inv, "github:user_token:fine-grained/4102");
    assert_eq!(hostile.name, "<img src=x onerror=alert(1)>");
    assert_eq!(owner(hostile), Some("contractor-jane"));
    assert!(matches!(hostile.usage, Usage::Never { .. }));

    let forever = by_id(&inv, "github:user_token:fine-grained/4103");
    assert_eq!(forever.credentials[0].expiry, Expiry::Never);
    assert_eq!(used_at(&forever.usage), ts("2025-06-02T17:45:00Z"));
    let expired = by_id(&inv, "github:user_token:fine-grained/4104");
    assert!(!expired.credentials[0].active);

    // The REST reader gives the same ID (the grant ID) and the same alias.
    let rest = r#"[{"id": 4101, "owner": {"login": "octocat"}, "repository_selection": "all",
        "permissions": {"repository": {"contents": "write"}}, "access_granted_at": "2026-01-01T00:00:00Z",
        "token_expired": false, "token_expires_at": "2027-01-15T00:00:00Z", "token_id": 77,
        "token_name": "deploy-pipeline", "token_last_used_at": "2026-11-20T09:14:03Z"}]"#;
    let page = fixture("personal_access_tokens_dom.html");
    let both = collect(&[("page", &page), ("pats.json", rest)]);
    assert!(both.errors.is_empty(), "{:#?}", both.errors);
    assert_eq!(both.identities.len(), 5);
    assert_eq!(
        by_id(&both, "github:user_token:fine-grained/4101")
            .sources
            .len(),
        2
    );
    let rest_only = collect(&[("pats.json", rest)]);
    assert!(
        rest_only.identities[0]
            .aliases
            .contains(&"4101".to_string())
    );
}

#[test]
fn tokens_show_what_they_show_and_nothing_more() {
    let page2 = read_fixture("personal_access_tokens_dom_page2.html");
    assert_eq!(
        ids(&page2),
        [
            "github:user_token:fine-grained/4106",
            "github:user_token:fine-grained/4107"
        ]
    );
    let partial = read_fixture("personal_access_tokens_dom_partial.html");
    let nightly = by_id(&partial, "github:user_token:fine-grained/4201");
    assert_eq!(nightly.ownership, Ownership::NotLoaded, "not shown ≠ none");
    assert_eq!(
        nightly.usage,
        Usage::NotLoaded,
        "a last-use bucket has no date"
    );
    assert_eq!(nightly.credentials[0].expiry, Expiry::Never);
    let one_off = by_id(&partial, "github:user_token:fine-grained/4202");
    assert_eq!(owner(one_off), Some("octocat"));
    assert_eq!(one_off.usage, Usage::NotLoaded);
    assert_eq!(one_off.credentials[0].expiry, Expiry::Unknown);
}

#[test]
fn the_token_policy_page_and_one_tokens_page_read_as_nothing() {
    let policy = read_page(
        "https://github.com/organizations/acme/settings/personal-access-tokens",
        &mock("organizations/acme/settings/personal-access-tokens.html"),
    );
    assert!(policy.identities.is_empty());
    assert_eq!(
        policy.inputs[0].format.as_deref(),
        Some("github.personal_access_tokens_page")
    );
}

#[test]
fn token_requests_are_pending_with_the_request_time() {
    let inv = read_fixture("personal_access_token_requests_dom.html");
    assert_eq!(inv.identities.len(), 3);
    let ci = by_id(&inv, "github:user_token:request/5201");
    assert!(ci.pending);
    assert_eq!(ci.name, "ci-migration");
    assert!(ci.aliases.contains(&"5201".to_string()));
    assert_eq!(owner(ci), Some("octocat"));
    assert_eq!(ci.created_at, Some(ts("2026-11-25T14:00:00Z")));
    assert_eq!(
        ci.credentials[0].expiry,
        Expiry::At {
            at: ts("2027-02-01T00:00:00Z")
        }
    );
    let scraper = by_id(&inv, "github:user_token:request/5202");
    assert_eq!(owner(scraper), Some("external-contractor"));
    assert_eq!(scraper.credentials[0].expiry, Expiry::Never);

    let page2 = read_fixture("personal_access_token_requests_dom_page2.html");
    assert_eq!(ids(&page2), ["github:user_token:request/5204"]);
    let partial = read_fixture("personal_access_token_requests_dom_partial.html");
    let quick = by_id(&partial, "github:user_token:request/5301");
    assert!(quick.pending);
    assert_eq!(quick.ownership, Ownership::NotLoaded);
    assert_eq!(quick.created_at, None);
}

#[test]
fn a_requests_reason_and_the_requesters_login_say_nothing_of_its_status_or_times() {
    let url = "https://github.com/organizations/acme/settings/personal-access-token-requests";
    let row = |login: &str, reason: &str| {
        format!(
            r#"<li class="Box-row"><div>
            <a class="text-bold" href="/organizations/acme/settings/personal-access-token-requests/5201">ci-migration</a>
            <div>Requested by <a data-hovercard-type="user" href="/{login}">{login}</a>
            <relative-time datetime="2026-11-25T14:00:00Z">Nov 25, 2026</relative-time> · Expires on
            <relative-time datetime="2027-02-01T00:00:00Z">Feb 1, 2027</relative-time></div>
            <p>Reason: {reason}</p></div></li>"#
        )
    };
    for (login, reason) in [
        (
            "octocat",
            "replaces the old token, which expired last week and was never used since",
        ),
        ("expire-bot", "Moving the release workflow to Actions"),
        ("updated-ci", "No expiration needed"),
    ] {
        let inv = read_page(
            url,
            &format!("<main><ul>{}</ul></main>", row(login, reason)),
        );
        let request = by_id(&inv, "github:user_token:request/5201");
        assert_eq!(owner(request), Some(login));
        assert_eq!(
            request.created_at,
            Some(ts("2026-11-25T14:00:00Z")),
            "{login}: the request date"
        );
        assert_eq!(request.usage, Usage::NotLoaded, "{reason}");
        let token = &request.credentials[0];
        assert!(token.active, "{reason}");
        assert_eq!(
            token.expiry,
            Expiry::At {
                at: ts("2027-02-01T00:00:00Z")
            },
            "{login}: {reason}"
        );
    }
}

#[test]
fn webhooks_keep_a_redacted_url_and_claim_nothing_the_list_does_not_show() {
    let inv = read_fixture("hooks_dom.html");
    assert_eq!(inv.identities.len(), 4);
    let ci = by_id(&inv, "github:webhook:6101");
    assert_eq!(ci.name, "ci.acme.example");
    assert_eq!(ci.location.as_deref(), Some("acme"));
    let endpoint = ci.endpoint.as_ref().unwrap();
    assert_eq!(endpoint.url, "https://ci.acme.example/github/webhook");
    assert!(endpoint.tls_verified, "not shown: nothing claimed");
    assert_eq!(endpoint.signed, None);
    assert!(!endpoint.all_events);
    assert_eq!(ci.ownership, Ownership::NotRecorded);
    assert!(ci.enabled);

    let jenkins = by_id(&inv, "github:webhook:6102");
    let endpoint = jenkins.endpoint.as_ref().unwrap();
    assert!(endpoint.url.starts_with("http://jenkins.acme.internal"));
    assert!(endpoint.all_events);

    let partner = by_id(&inv, "github:webhook:6103");
    let url = &partner.endpoint.as_ref().unwrap().url;
    assert!(
        url.starts_with("https://hooks.partner.example/in") && !url.contains("MARKER"),
        "{url}"
    );
    assert_eq!(partner.name, "hooks.partner.example");
    assert!(!by_id(&inv, "github:webhook:6104").enabled, "inactive");

    // Only the plain-HTTP hook is insecure on this page's evidence.
    let report = nhi_lens::assess(inv, &Policy::default(), now());
    let insecure: Vec<&str> = report
        .assessments()
        .filter(|a| a.findings.iter().any(|f| f.rule.code == "NL502"))
        .map(|a| a.identity.id.as_str())
        .collect();
    assert_eq!(insecure, ["github:webhook:6102"]);

    let page2 = read_fixture("hooks_dom_page2.html");
    assert_eq!(ids(&page2), ["github:webhook:6105"]);
    let partial = read_fixture("hooks_dom_partial.html");
    let titled = by_id(&partial, "github:webhook:6201");
    assert_eq!(
        titled.endpoint.as_ref().unwrap().url,
        "https://hooks.example.net/github"
    );
    let bare = by_id(&partial, "github:webhook:6202");
    assert_eq!(bare.name, "webhook 6202");
    assert!(bare.endpoint.is_none());
}

#[test]
fn a_payload_url_shown_as_plain_text_is_read_as_from_a_link() {
    // The payload URLs as text, each row keeping only its Edit link.
    let linked = fixture("hooks_dom.html");
    let mut plain = linked.replace("</span></a>", "</span>");
    for id in 6101..=6104 {
        let opening = format!(
            r#"<a class="Truncate flex-auto min-width-0" href="/organizations/acme/settings/hooks/{id}">"#
        );
        assert!(plain.contains(&opening), "{id}");
        plain = plain.replace(&opening, "");
    }
    let assessed = |page: &str| {
        let inv = collect(&[("hooks_dom.html", page)]);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        let report = nhi_lens::assess(inv, &Policy::default(), now());
        report
            .assessments()
            .map(|a| {
                (
                    a.identity.id.clone(),
                    a.identity.name.clone(),
                    a.identity.endpoint.clone(),
                    a.level,
                )
            })
            .collect::<Vec<_>>()
    };
    let from_text = assessed(&plain);
    assert_eq!(from_text, assessed(&linked));
    let partner = from_text
        .iter()
        .find(|(id, ..)| id == "github:webhook:6103")
        .unwrap();
    let endpoint = partner.2.as_ref().unwrap();
    assert!(!endpoint.url.contains("MARKER"), "{}", endpoint.url);
    assert!(!endpoint.secrets_in_url.is_empty());
}

#[test]
fn organization_secrets_get_the_rest_ids_and_the_cloud_key_rule() {
    let inv = read_fixture("actions_secrets_dom.html");
    assert_eq!(inv.identities.len(), 5);
    let aws = by_id(&inv, "github:ci_secret:acme/AWS_SECRET_ACCESS_KEY");
    assert_eq!(aws.kind, Kind::CiSecret);
    assert_eq!(aws.name, "AWS_SECRET_ACCESS_KEY");
    assert_eq!(aws.location.as_deref(), Some("acme"));
    assert_eq!(aws.reach, Reach::All);
    assert_eq!(aws.ownership, Ownership::NotRecorded);
    let value = &aws.credentials[0];
    assert_eq!(value.kind, CredentialKind::Secret);
    assert_eq!(value.created_at, Some(ts("2024-03-02T10:12:00Z")));
    assert_eq!(
        by_id(&inv, "github:ci_secret:acme/NPM_TOKEN").reach,
        Reach::All,
        "private repositories: organisation-wide"
    );
    assert_eq!(
        by_id(&inv, "github:ci_secret:acme/SLACK_WEBHOOK_URL").reach,
        Reach::Selected
    );

    let report = nhi_lens::assess(inv, &Policy::default(), now());
    let mut cloud: Vec<&str> = report
        .assessments()
        .filter(|a| a.findings.iter().any(|f| f.rule.code == "NL601"))
        .map(|a| a.identity.name.as_str())
        .collect();
    cloud.sort_unstable();
    assert_eq!(
        cloud,
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GCP_SA_KEY"]
    );

    // The REST response names the same secret the same way.
    let rest = r#"{"total_count": 1, "secrets": [{"name": "AWS_SECRET_ACCESS_KEY",
        "created_at": "2024-03-02T10:12:00Z", "updated_at": "2024-03-02T10:12:00Z",
        "visibility": "selected",
        "selected_repositories_url": "https://api.github.com/orgs/acme/actions/secrets/AWS_SECRET_ACCESS_KEY/repositories"}]}"#;
    let page = fixture("actions_secrets_dom.html");
    let both = collect(&[("page", &page), ("secrets.json", rest)]);
    assert_eq!(both.identities.len(), 5, "{:?}", ids(&both));

    let page2 = read_fixture("actions_secrets_dom_page2.html");
    assert_eq!(
        ids(&page2),
        [
            "github:ci_secret:acme/SONAR_TOKEN",
            "github:ci_secret:acme/DOCKERHUB_PASSWORD"
        ]
    );
    let partial = read_fixture("actions_secrets_dom_partial.html");
    let deploy = by_id(&partial, "github:ci_secret:acme/DEPLOY_TOKEN");
    assert_eq!(deploy.reach, Reach::Unknown);
    assert_eq!(deploy.credentials[0].created_at, None);
}

#[test]
fn a_secrets_update_time_is_the_one_under_its_header_or_labelled() {
    // A "Created" column before "Last updated", its times unlabelled.
    let page = fixture("actions_secrets_dom.html");
    let header = r#"<th class="text-left">Name</th>"#;
    let updated = r#"<td class="py-2 color-fg-muted">Updated <relative-time"#;
    assert!(page.contains(header) && page.contains(updated));
    let created = page.replace(
        header,
        r#"<th class="text-left">Name</th><th class="text-left">Created</th>"#,
    );
    let created = created.replace(
        updated,
        r#"<td class="py-2 color-fg-muted"><relative-time datetime="2020-01-01T00:00:00Z">Jan 1, 2020</relative-time></td><td class="py-2 color-fg-muted"><relative-time"#,
    );
    let inv = collect(&[("actions_secrets_dom.html", &created)]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    let original = read_fixture("actions_secrets_dom.html");
    assert_eq!(ids(&inv), ids(&original));
    for secret in &original.identities {
        assert_eq!(
            by_id(&inv, &secret.id).credentials[0].created_at,
            secret.credentials[0].created_at,
            "{}",
            secret.id
        );
    }

    // Without headers, one unlabelled time is the update; two are anyone's.
    let url = "https://github.com/organizations/acme/settings/secrets/actions";
    let row = |name: &str, times: &[&str]| {
        let times: String = times
            .iter()
            .map(|t| format!(r#"<span><relative-time datetime="{t}">x</relative-time></span>"#))
            .collect();
        format!(
            r#"<div class="Box-row"><span>{name}</span>{times}
            <a href="/organizations/acme/settings/secrets/actions/{name}">Update</a></div>"#
        )
    };
    let html = format!(
        "<main>{}{}</main>",
        row("ONE", &["2024-03-02T10:12:00Z"]),
        row("TWO", &["2020-01-01T00:00:00Z", "2024-03-02T10:12:00Z"])
    );
    let inv = read_page(url, &html);
    assert_eq!(
        by_id(&inv, "github:ci_secret:acme/ONE").credentials[0].created_at,
        Some(ts("2024-03-02T10:12:00Z"))
    );
    assert_eq!(
        by_id(&inv, "github:ci_secret:acme/TWO").credentials[0].created_at,
        None
    );
}

#[test]
fn oauth_apps_are_approved_requested_or_denied_per_organization() {
    let inv = read_fixture("oauth_app_policy_dom.html");
    assert_eq!(
        ids(&inv),
        [
            "github:oauth_app:acme/8101",
            "github:oauth_app:acme/8102",
            "github:oauth_app:acme/8103",
            "github:oauth_app:acme/8104"
        ]
    );
    for identity in &inv.identities {
        assert_eq!(identity.kind, Kind::OauthApp);
        assert_eq!(identity.location.as_deref(), Some("acme"));
        let id = identity.native_id.strip_prefix("acme/").unwrap();
        assert!(identity.aliases.iter().any(|a| a == id), "{}", identity.id);
        assert_eq!(identity.usage, Usage::NotRecorded);
    }
    let approved = by_id(&inv, "github:oauth_app:acme/8101");
    assert_eq!(approved.kind, Kind::OauthApp);
    assert_eq!(approved.name, "Octo Coverage");
    assert_eq!(approved.location.as_deref(), Some("acme"));
    assert!(
        approved.aliases.contains(&"8101".to_string()),
        "the link's ID"
    );
    assert!(approved.enabled && !approved.pending);
    assert_eq!(approved.reach, Reach::All);
    assert_eq!(approved.ownership, Ownership::NotRecorded);
    assert_eq!(approved.usage, Usage::NotRecorded);
    assert!(approved.grants.is_empty(), "the list shows no scopes");

    let requested = by_id(&inv, "github:oauth_app:acme/8102");
    assert!(requested.pending && requested.enabled);
    assert_eq!(requested.reach, Reach::Unknown, "not yet access");
    assert_eq!(owner(requested), Some("monalisa"));
    assert_eq!(
        requested.ownership.primary().unwrap().source,
        OwnerSource::Inferred,
        "the requester is the likely owner, as for Slack app requests"
    );
    assert!(requested.approved_by.is_empty(), "asking is not approving");
    assert_eq!(requested.created_at, Some(ts("2026-11-24T10:15:00Z")));

    let denied = by_id(&inv, "github:oauth_app:acme/8103");
    assert!(!denied.enabled && !denied.pending);
    assert_eq!(denied.reach, Reach::Unknown);

    let hostile = by_id(&inv, "github:oauth_app:acme/8104");
    assert_eq!(hostile.name, "\"><img src=x onerror=alert(1)>");
    assert!(hostile.enabled && !hostile.pending);
    assert_eq!(hostile.reach, Reach::All);
    assert_eq!(owner(hostile), Some("contractor-jane"));
    assert_eq!(hostile.created_at, Some(ts("2026-02-10T16:40:00Z")));

    let page2 = read_fixture("oauth_app_policy_dom_page2.html");
    assert_eq!(
        ids(&page2),
        ["github:oauth_app:acme/8105", "github:oauth_app:acme/8106"]
    );
    let partial = read_fixture("oauth_app_policy_dom_partial.html");
    let bare = by_id(&partial, "github:oauth_app:acme/8201");
    assert!(bare.pending);
    assert_eq!(bare.ownership, Ownership::NotLoaded, "not shown ≠ none");
    assert_eq!(bare.created_at, None);
    let unnamed = by_id(&partial, "github:oauth_app:acme/8202");
    assert_eq!(unnamed.name, "OAuth app 8202");
    assert!(unnamed.pending, "a Review button: a request");
    let icon = by_id(&partial, "github:oauth_app:acme/8203");
    assert_eq!(icon.name, "Standup Notes");
    assert_eq!(icon.reach, Reach::All, "the icon's label says approved");

    // One app's review page is no list.
    let review = read_page(
        "https://github.com/organizations/acme/settings/oauth_application_policy/8102",
        r#"<main><form action="/organizations/acme/settings/oauth_application_policy/8102">
           <strong>Sprint Board Sync</strong> <button>Grant access</button></form></main>"#,
    );
    assert!(review.identities.is_empty());
}

#[test]
fn deploy_keys_keep_access_adder_and_fingerprint_and_match_the_rest_ids() {
    let inv = read_fixture("deploy_keys_dom.html");
    assert_eq!(
        ids(&inv),
        [
            "github:deploy_key:7101",
            "github:deploy_key:7102",
            "github:deploy_key:7103",
            "github:deploy_key:7104"
        ]
    );
    let prod = by_id(&inv, "github:deploy_key:7101");
    assert_eq!(prod.kind, Kind::DeployKey);
    assert_eq!(prod.name, "production-deployer");
    assert_eq!(prod.location.as_deref(), Some("acme/payments"));
    assert_eq!(owner(prod), Some("octocat"));
    assert_eq!(prod.created_at, Some(ts("2026-03-03T00:00:00Z")));
    assert_eq!(
        prod.usage,
        Usage::NotLoaded,
        "'within the last week' has no date and the model no week precision"
    );
    assert_eq!(prod.grants[0].name, "contents:write");
    assert_eq!(prod.grants[0].tier, Tier::Write);
    let key = &prod.credentials[0];
    assert_eq!(key.kind, CredentialKind::Key);
    assert_eq!(key.id.as_deref(), Some("7101"));
    assert_eq!(key.expiry, Expiry::Never);
    let fingerprint = key.fingerprint.as_deref().unwrap();
    assert!(
        fingerprint.starts_with("SHA256:") && fingerprint.len() == 50,
        "{fingerprint}"
    );

    let ci = by_id(&inv, "github:deploy_key:7102");
    assert!(matches!(ci.usage, Usage::Never { .. }));
    assert_eq!(ci.grants[0].name, "contents:read");
    assert_eq!(owner(ci), Some("hubot"));
    assert_eq!(
        by_id(&inv, "github:deploy_key:7103").ownership,
        Ownership::NotLoaded
    );

    let report = nhi_lens::assess(inv, &Policy::default(), now());
    let mut writable: Vec<&str> = report
        .assessments()
        .filter(|a| a.findings.iter().any(|f| f.rule.code == "NL303"))
        .map(|a| a.identity.name.as_str())
        .collect();
    writable.sort_unstable();
    assert_eq!(writable, ["backup-mirror", "production-deployer"]);

    let rest = r#"[{"id": 7101, "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDZPlNEptZ5KA5K5LXuNbeulkINljQ6dmESvWBA2Zr1A",
        "url": "https://api.github.com/repos/acme/payments/keys/7101", "title": "production-deployer",
        "verified": true, "created_at": "2026-03-03T10:00:00Z", "read_only": false,
        "added_by": "octocat", "last_used": "2026-11-25T00:00:00Z"}]"#;
    let page = fixture("deploy_keys_dom.html");
    let both = collect(&[("keys.json", rest), ("page", &page)]);
    assert_eq!(both.identities.len(), 4);
    let merged = by_id(&both, "github:deploy_key:7101");
    assert_eq!(merged.sources.len(), 2);
    assert_eq!(used_at(&merged.usage), ts("2026-11-25T00:00:00Z"));
}

#[test]
fn a_deploy_keys_date_written_day_first_is_read() {
    let page = fixture("deploy_keys_dom.html");
    let month_first = "Added on Mar 3, 2026 by";
    assert!(page.contains(month_first));
    let page = page.replace(month_first, "Added on 3 Mar 2026 by");
    let inv = collect(&[("deploy_keys_dom.html", &page)]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    let prod = by_id(&inv, "github:deploy_key:7101");
    assert_eq!(prod.created_at, Some(ts("2026-03-03T00:00:00Z")));
    assert_eq!(owner(prod), Some("octocat"));
}

#[test]
fn deploy_keys_without_an_id_link_are_keyed_by_their_fingerprint() {
    let page2 = read_fixture("deploy_keys_dom_page2.html");
    assert_eq!(ids(&page2), ["github:deploy_key:7105"]);
    let partial = read_fixture("deploy_keys_dom_partial.html");
    assert_eq!(partial.identities.len(), 2);
    let legacy = partial
        .identities
        .iter()
        .find(|i| i.name == "legacy-ci")
        .unwrap();
    assert!(
        legacy.native_id.starts_with("SHA256:"),
        "{}",
        legacy.native_id
    );
    assert_eq!(legacy.credentials[0].id, None);
    assert!(legacy.grants.is_empty(), "access not shown");
    assert_eq!(legacy.created_at, None);
    let mirror = by_id(&partial, "github:deploy_key:7202");
    assert_eq!(mirror.created_at, Some(ts("2024-02-29T00:00:00Z")));
    assert_eq!(mirror.grants[0].name, "contents:write");
    assert_eq!(mirror.ownership, Ownership::NotLoaded);
}

// ------------------------------------------------------------------------------------------------
// Empty, changed and malformed pages
// ------------------------------------------------------------------------------------------------

#[test]
fn empty_pages_read_as_nothing_without_an_error() {
    for (id, _, _, stem) in PAGES {
        let inv = read_fixture(&format!("{stem}_empty.html"));
        assert!(inv.identities.is_empty(), "{id}");
        assert_eq!(inv.inputs[0].format.as_deref(), Some(*id));
    }
}

#[test]
fn a_redrawn_page_is_reported_as_changed_and_not_as_empty() {
    for (id, url, path, _) in PAGES {
        let broken_url = url.replace("/acme/", "/broken/");
        let broken_path = path.replacen("acme", "broken", 1);
        let page = mock(&format!("{broken_path}.html"));
        let input = console::snapshot_input(&broken_url, main_of(&page));
        let inv = collect(&[(&broken_url, &input)]);
        assert!(inv.identities.is_empty(), "{id}");
        assert_eq!(inv.errors.len(), 1, "{id}: {:#?}", inv.errors);
        assert!(
            inv.errors[0].message.contains("the page changed"),
            "{id}: {}",
            inv.errors[0].message
        );
        // The extension still plans the page: the warning comes from reading it.
        let plan = plan_for(&broken_url).unwrap();
        assert_eq!(plan.page, *id);
    }
}

#[test]
fn a_list_redrawn_as_aria_list_items_is_read() {
    let html = r#"<main><div role="list">
        <div role="listitem"><strong>Deploy Bot</strong>
          <a href="/organizations/acme/settings/installations/1">Configure</a></div>
        <div role="listitem"><strong>Docs Bot</strong>
          <a href="/organizations/acme/settings/installations/2">Configure</a></div>
        </div></main>"#;
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = collect(&[(url, &console::snapshot_input(url, html))]);
    assert_eq!(ids(&inv), ["github:github_app:1", "github:github_app:2"]);
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
}

#[test]
fn another_lists_empty_state_never_makes_an_unread_list_empty() {
    // The apps drawn as cards the reader does not know, beside the pending requests' empty
    // blankslate: the installed apps' list is not read, and it never said it was empty.
    let html = r#"<main><h2>Installed GitHub Apps</h2>
        <div class="cards"><section class="card"><strong>Deploy Bot</strong>
          <a href="/organizations/acme/settings/installations/1">Configure</a></section></div>
        <h2>Pending GitHub Apps installation requests</h2>
        <div class="blankslate"><h3 class="blankslate-heading">No pending requests</h3></div>
        </main>"#;
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = collect(&[(url, &console::snapshot_input(url, html))]);
    common::assert_changed_page(&inv);
    // Nor does its own empty state, while the page keeps it hidden.
    let hidden = html.replace(
        "<h2>Pending",
        "<p hidden>There aren't any GitHub Apps installed</p><h2>Pending",
    );
    let inv = collect(&[(url, &console::snapshot_input(url, &hidden))]);
    assert_eq!(inv.errors.len(), 1, "{:#?}", inv.errors);
    // Its own empty state (a typographic apostrophe as GitHub writes it) is an empty list.
    let empty = r#"<main><div class="blankslate"><h3>There aren’t any GitHub Apps installed on this organization.</h3></div></main>"#;
    let inv = collect(&[(url, &console::snapshot_input(url, empty))]);
    assert!(
        inv.identities.is_empty() && inv.errors.is_empty(),
        "{:#?}",
        inv.errors
    );
}

#[test]
fn help_text_saying_no_secrets_never_makes_an_unread_list_empty() {
    // Rows drawn as plain divs the reader does not know, under help text that says "no secrets"
    // of something else.
    let url = "https://github.com/organizations/acme/settings/secrets/actions";
    let html = r#"<main><p>Workflows triggered from forks receive no secrets. No organization
        secrets are passed to them.</p>
        <div class="tbl"><div class="SecretRow"><span>AWS_SECRET_ACCESS_KEY</span>
        <a href="/organizations/acme/settings/secrets/actions/AWS_SECRET_ACCESS_KEY">Update</a></div></div>
        </main>"#;
    let inv = collect(&[(url, &console::snapshot_input(url, html))]);
    common::assert_changed_page(&inv);
    // The page's own empty state is an empty list.
    let empty = r#"<main><div class="Box"><div class="Box-body">This organization has no secrets.</div></div></main>"#;
    let inv = read_page(url, empty);
    assert!(inv.identities.is_empty());
}

#[test]
fn a_malformed_row_costs_only_itself() {
    let html = r#"<main><div class="Box"><ul>
        <li class="Box-row"><strong>Good App</strong>
          <a href="/organizations/acme/settings/installations/1">Configure</a></li>
        <li class="Box-row"><strong>Two Apps</strong>
          <a href="/organizations/acme/settings/installations/2">Configure</a>
          <a href="/organizations/acme/settings/installations/3">Configure</a></li>
        </ul></div></main>"#;
    let url = "https://github.com/organizations/acme/settings/installations";
    let input = console::snapshot_input(url, html);
    let inv = collect(&[(url, &input)]);
    assert_eq!(ids(&inv), ["github:github_app:1"]);
    assert_eq!(inv.errors.len(), 1);
    assert!(
        inv.errors[0].message.contains("skipped"),
        "{:?}",
        inv.errors
    );

    let html = r#"<main><ul><li class="Box-row">
        <a class="text-bold" href="/organizations/acme/settings/personal-access-tokens/9">odd</a>
        Last used <relative-time datetime="yesterday-ish">yesterday</relative-time>
        </li></ul></main>"#;
    let url = "https://github.com/organizations/acme/settings/personal-access-tokens/active";
    let input = console::snapshot_input(url, html);
    let inv = collect(&[(url, &input)]);
    let odd = by_id(&inv, "github:user_token:fine-grained/9");
    assert_eq!(odd.usage, Usage::NotLoaded);
    assert_eq!(inv.errors.len(), 1, "{:#?}", inv.errors);
    assert!(inv.errors[0].message.contains("not a date"));
}

#[test]
fn hostile_text_in_a_row_does_not_change_what_the_row_says() {
    // A token named like the page's own words is still used, unexpired and owned.
    let html = r#"<main><ul><li class="Box-row">
        <a class="text-bold" href="/organizations/acme/settings/personal-access-tokens/10">Never used · Expired · No expiration</a>
        Owned by <a data-hovercard-type="user" href="/octocat">octocat</a>
        Last used <relative-time datetime="2026-11-01T00:00:00Z">Nov 1</relative-time>
        </li></ul></main>"#;
    let url = "https://github.com/organizations/acme/settings/personal-access-tokens/active";
    let inv = read_page(url, html);
    let token = by_id(&inv, "github:user_token:fine-grained/10");
    assert_eq!(token.name, "Never used · Expired · No expiration");
    assert_eq!(used_at(&token.usage), ts("2026-11-01T00:00:00Z"));
    assert!(token.credentials[0].active);
    assert_eq!(token.credentials[0].expiry, Expiry::Unknown);

    // An owner whose login holds the word: the token is as live as the page says.
    let html = r#"<main><ul><li class="Box-row">
        <a class="text-bold" href="/organizations/acme/settings/personal-access-tokens/11">deploy-pipeline</a>
        Owned by <a data-hovercard-type="user" href="/expired-octocat">expired-octocat</a>
        Expires on <relative-time datetime="2027-01-15T00:00:00Z">Jan 15, 2027</relative-time>
        </li></ul></main>"#;
    let inv = read_page(url, html);
    let token = by_id(&inv, "github:user_token:fine-grained/11");
    assert_eq!(owner(token), Some("expired-octocat"));
    assert!(token.credentials[0].active);
}

#[test]
fn a_status_word_in_a_login_turns_nothing_off() {
    // The developer of an installed App, and the person who added a deploy key.
    let cases = [
        (
            "installations_dom.html",
            r#"href="/vercel">vercel</a>"#,
            r#"href="/suspended-apps">suspended-apps</a>"#,
            "github:github_app:31003",
        ),
        (
            "deploy_keys_dom.html",
            r#"href="/hubot">hubot</a>"#,
            r#"href="/disabled-bot">disabled-bot</a>"#,
            "github:deploy_key:7102",
        ),
    ];
    for (file, login, renamed, id) in cases {
        let page = fixture(file);
        assert!(page.contains(login), "{file}");
        let inv = collect(&[(file, &page.replace(login, renamed))]);
        assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
        let identity = by_id(&inv, id);
        assert!(identity.enabled, "{id}");
        assert!(identity.credentials.iter().all(|c| c.active), "{id}");
    }

    // The row's own words still turn it off, in its text or its labels.
    let url = "https://github.com/organizations/acme/settings/installations";
    let inv = read_page(
        url,
        r#"<main><ul><li class="Box-row"><strong>Old Bot</strong> Suspended · Developed by
        <a href="/acme">acme</a><a href="/organizations/acme/settings/installations/1">Configure</a></li></ul></main>"#,
    );
    assert!(!by_id(&inv, "github:github_app:1").enabled);
    let url = "https://github.com/acme/payments/settings/keys";
    let inv = read_page(
        url,
        r#"<main><div class="Box-row"><strong>old-key</strong> <span class="Label">Disabled</span>
        Added by <a href="/hubot">hubot</a>
        <form action="/acme/payments/settings/keys/9"><button>Delete</button></form></div></main>"#,
    );
    assert!(!by_id(&inv, "github:deploy_key:9").enabled);
}

#[test]
fn organization_pages_are_never_read_as_deploy_keys() {
    // `organizations` is no repository owner: a keys URL under it reads as nothing.
    let inv = read_page(
        "https://github.com/organizations/acme/settings/keys",
        r#"<main><div class="Box-row"><strong>x</strong><code>SHA256:9ar5VW4EOE2B9IxxZqyRM86LTK4Jc0QRVvDZ9VAXIPk</code></div></main>"#,
    );
    assert!(inv.identities.is_empty());
}
