//! GitLab: what each format's fixtures become in the model, how the inputs join (service accounts
//! with their tokens, deploy keys across projects, owners with the users list), and which rules
//! fire on them. Fixtures: `tests/fixtures/gitlab/` (listed in its `fixtures.toml`).

use std::collections::BTreeSet;
use std::path::Path;

use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{
    AccountStatus, Expiry, Grant, Identity, Kind, OwnerSource, Ownership, Precision, Reach, Tier,
    Timestamp, Usage,
};
use nhi_lens::{Policy, Report, report, timestamp};

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

fn source(file: &str) -> String {
    format!("tests/fixtures/gitlab/{file}")
}

fn bytes(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gitlab")
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Reads these fixtures together and insists nothing went wrong.
fn read(files: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for file in files {
        collector.add(&source(file), &bytes(file));
    }
    let inventory = collector.finish();
    assert!(
        inventory.errors.is_empty(),
        "errors reading {files:?}: {:#?}",
        inventory.errors
    );
    inventory
}

fn scan(files: &[&str]) -> Report {
    let inputs: Vec<(String, Vec<u8>)> = files.iter().map(|f| (source(f), bytes(f))).collect();
    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    report
}

/// The one identity with this full ID.
fn id<'a>(inventory: &'a Inventory, full: &str) -> &'a Identity {
    let found: Vec<&Identity> = inventory
        .identities
        .iter()
        .filter(|i| i.id == full)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {full}, found {}: {:?}",
        found.len(),
        ids(inventory)
    );
    found[0]
}

fn ids(inventory: &Inventory) -> BTreeSet<&str> {
    inventory.identities.iter().map(|i| i.id.as_str()).collect()
}

fn grant<'a>(identity: &'a Identity, name: &str) -> &'a Grant {
    identity
        .grants
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| {
            panic!(
                "{} has no grant {name}: {:?}",
                identity.id,
                identity.grants.iter().map(|g| &g.name).collect::<Vec<_>>()
            )
        })
}

fn used(usage: &Usage) -> (Timestamp, &str, Precision) {
    match usage {
        Usage::Used(u) => (u.at, u.source.as_str(), u.precision),
        other => panic!("expected a recorded use, found {other:?}"),
    }
}

fn owner(identity: &Identity) -> (&str, Option<&str>, AccountStatus) {
    let owners = identity.ownership.owners();
    assert_eq!(owners.len(), 1, "{}: {:?}", identity.id, identity.ownership);
    let who = &owners[0].who;
    (who.name.as_str(), who.id.as_deref(), who.status)
}

/// The rule codes found on an identity.
fn codes(report: &Report, full: &str) -> BTreeSet<&'static str> {
    report
        .assessments()
        .find(|a| a.identity.id == full)
        .unwrap_or_else(|| panic!("{full} is not in the report"))
        .findings
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

/// The base64 blobs of the public keys in a deploy keys fixture.
fn key_blobs(file: &str) -> Vec<String> {
    let keys: Vec<serde_json::Value> = serde_json::from_slice(&bytes(file)).unwrap();
    keys.iter()
        .filter_map(|k| k["key"].as_str())
        .map(|k| k.split_whitespace().nth(1).unwrap().to_string())
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Personal access tokens
// ------------------------------------------------------------------------------------------------

#[test]
fn personal_access_tokens_keep_owner_dates_use_expiry_and_scopes() {
    let inv = read(&["personal_access_tokens.json"]);
    let docs = id(&inv, "gitlab:user_token:4");
    assert_eq!(docs.kind, Kind::UserToken);
    assert_eq!(docs.name, "Test Token");
    assert!(!docs.human);
    assert_eq!(owner(docs), ("3", Some("3"), AccountStatus::Unknown));
    assert_eq!(docs.ownership.owners()[0].source, OwnerSource::Explicit);
    assert_eq!(docs.created_at, Some(ts("2020-07-23T14:31:47.729Z")));
    // A response with `description` comes from GitLab 17 or later: use is written every 10 minutes.
    assert_eq!(
        used(&docs.usage),
        (
            ts("2021-10-06T17:58:37.550Z"),
            "last_used_at",
            Precision::WindowMinutes(10)
        )
    );
    let token = &docs.credentials[0];
    assert_eq!(token.id.as_deref(), Some("4"));
    assert_eq!(token.expiry, Expiry::Never, "expires_at null");
    assert!(token.active && docs.enabled);
    assert_eq!(grant(docs, "api").tier, Tier::Admin);
    assert_eq!(
        docs.reach,
        Reach::All,
        "api reaches every project the user can"
    );

    let tagger = id(&inv, "gitlab:user_token:5");
    assert_eq!(
        tagger.credentials[0].expiry,
        Expiry::At {
            at: ts("2027-01-14T00:00:00Z")
        },
        "a date: the token stops working at midnight UTC"
    );
    assert_eq!(grant(tagger, "write_repository").tier, Tier::Write);
    assert_eq!(grant(tagger, "read_repository").tier, Tier::SensitiveRead);
    assert_eq!(
        grant(tagger, "write_repository").granted_at,
        Some(ts("2026-01-15T09:00:00Z"))
    );
    assert_eq!(tagger.reach, Reach::All);

    let revoked = id(&inv, "gitlab:user_token:6");
    assert!(!revoked.enabled && !revoked.credentials[0].active);

    let unused = id(&inv, "gitlab:user_token:7");
    assert!(
        matches!(&unused.usage, Usage::Never { source } if source.contains("last_used_at")),
        "{:?}",
        unused.usage
    );
    assert_eq!(grant(unused, "read_user").tier, Tier::Read);
    assert_eq!(
        unused.reach,
        Reach::None,
        "read_user reaches only the profile"
    );
}

#[test]
fn personal_access_tokens_from_older_versions_say_what_they_do_not_know() {
    let inv = read(&["personal_access_tokens_partial.json"]);
    let old = id(&inv, "gitlab:user_token:31");
    assert_eq!(
        old.usage,
        Usage::NotLoaded,
        "no last_used_at field: not loaded"
    );
    assert_eq!(
        old.credentials[0].expiry,
        Expiry::At {
            at: ts("2022-06-30T00:00:00Z")
        }
    );
    let bare = id(&inv, "gitlab:user_token:32");
    assert_eq!(bare.name, "personal access token 32");
    assert_eq!(bare.created_at, None);
    assert_eq!(bare.credentials[0].expiry, Expiry::Unknown);
    assert!(bare.enabled, "revoked false and no active field");
    let scopeless = id(&inv, "gitlab:user_token:33");
    assert!(scopeless.grants.is_empty());
    assert_eq!(scopeless.reach, Reach::Unknown);
    assert_eq!(scopeless.credentials[0].expiry, Expiry::Never);

    // Without fields newer than GitLab 16.1 the instance may write use once a day.
    let inv = read(&["personal_access_tokens_page2.json"]);
    let (_, _, precision) = used(&id(&inv, "gitlab:user_token:21").usage);
    assert_eq!(precision, Precision::WindowMinutes(24 * 60));
}

#[test]
fn a_users_list_names_owners_and_says_who_left() {
    let inv = read(&[
        "personal_access_tokens.json",
        "personal_access_tokens_page2.json",
        "users.json",
    ]);
    assert_eq!(
        owner(id(&inv, "gitlab:user_token:4")),
        ("John Smith", Some("3"), AccountStatus::Active)
    );
    assert_eq!(
        owner(id(&inv, "gitlab:user_token:7")),
        ("Jack Smith", Some("12"), AccountStatus::Disabled),
        "blocked"
    );
    assert_eq!(
        owner(id(&inv, "gitlab:user_token:21")).2,
        AccountStatus::Disabled,
        "deactivated"
    );
    assert_eq!(
        owner(id(&inv, "gitlab:user_token:22")).2,
        AccountStatus::Unknown,
        "not in the list: absence is not departure"
    );
    // People are a directory, not identities.
    assert_eq!(inv.identities.len(), 6);
    assert!(inv.identities.iter().all(|i| i.kind != Kind::User));
}

#[test]
fn tokens_of_bot_users_are_not_peoples_tokens_and_are_not_read_twice() {
    let bot_tokens = br#"[
      {"id": 42, "name": "token", "revoked": false, "created_at": "2021-01-20T22:11:48.151Z",
       "scopes": ["api"], "user_id": 141, "last_used_at": null, "active": true,
       "expires_at": "2021-01-31"},
      {"id": 77, "name": "orphan bot token", "revoked": false, "created_at": "2026-01-20T00:00:00Z",
       "scopes": ["read_api"], "user_id": 141, "last_used_at": null, "active": true,
       "expires_at": "2027-01-31"}
    ]"#;
    let mut collector = Collector::new();
    collector.add(
        "https://gitlab.example.com/api/v4/personal_access_tokens",
        bot_tokens,
    );
    collector.add(&source("users.json"), &bytes("users.json"));
    collector.add(
        &source("projects_42_access_tokens.json"),
        &bytes("projects_42_access_tokens.json"),
    );
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(
        ids(&inv),
        BTreeSet::from([
            "gitlab:api_token:42",
            "gitlab:api_token:43",
            "gitlab:api_token:77"
        ])
    );
    let project_token = id(&inv, "gitlab:api_token:42");
    assert_eq!(project_token.location.as_deref(), Some("project 42"));
    assert_eq!(
        grant(project_token, "access level maintainer (40)").tier,
        Tier::Write
    );
    let orphan = id(&inv, "gitlab:api_token:77");
    assert_eq!(orphan.ownership, Ownership::NotRecorded);
    assert_eq!(orphan.reach, Reach::Unknown);
}

#[test]
fn an_unreadable_date_is_a_problem_and_the_token_is_kept() {
    let mut collector = Collector::new();
    collector.add(
        "pats.json",
        br#"[{"id": 9, "name": "x", "scopes": ["api"], "user_id": 1, "revoked": false,
              "created_at": "yesterday", "expires_at": "soon", "last_used_at": "2026-01-01T00:00:00Z"}]"#,
    );
    let inv = collector.finish();
    assert_eq!(inv.errors.len(), 2, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("created_at"));
    let token = id(&inv, "gitlab:user_token:9");
    assert_eq!(token.created_at, None);
    assert_eq!(token.credentials[0].expiry, Expiry::Unknown);
}

// ------------------------------------------------------------------------------------------------
// Project and group access tokens
// ------------------------------------------------------------------------------------------------

#[test]
fn project_access_tokens_carry_their_role_project_and_no_recorded_owner() {
    let inv = read(&["projects_42_access_tokens.json"]);
    let token = id(&inv, "gitlab:api_token:42");
    assert_eq!(token.kind, Kind::ApiToken);
    assert_eq!(token.name, "token");
    assert_eq!(token.location.as_deref(), Some("project 42"));
    assert_eq!(token.ownership, Ownership::NotRecorded);
    assert_eq!(token.created_at, Some(ts("2021-01-20T22:11:48.151Z")));
    assert!(matches!(token.usage, Usage::Never { .. }));
    assert_eq!(
        token.credentials[0].expiry,
        Expiry::At {
            at: ts("2021-01-31T00:00:00Z")
        }
    );
    let role = grant(token, "access level maintainer (40)");
    assert_eq!(
        (role.tier, role.resource.as_deref()),
        (Tier::Write, Some("42"))
    );
    assert_eq!(grant(token, "api").tier, Tier::Admin);
    assert_eq!(grant(token, "api").resource.as_deref(), Some("42"));
    assert_eq!(token.reach, Reach::Selected);

    let revoked = id(&inv, "gitlab:api_token:43");
    assert!(!revoked.enabled);
    assert_eq!(used(&revoked.usage).0, ts("2021-02-13T10:34:57.178Z"));
}

#[test]
fn group_access_tokens_of_a_top_level_group_reach_everything_in_it() {
    let inv = read(&["groups_acme_access_tokens_page2.json"]);
    let admin = id(&inv, "gitlab:api_token:301");
    assert_eq!(admin.location.as_deref(), Some("group acme"));
    assert_eq!(admin.reach, Reach::All);
    assert_eq!(
        grant(admin, "access level owner (50)").tier,
        Tier::Admin,
        "owner role"
    );
    assert_eq!(used(&admin.usage).2, Precision::WindowMinutes(10));
    let developer = id(&inv, "gitlab:api_token:302");
    assert_eq!(
        grant(developer, "access level developer (30)").tier,
        Tier::Write
    );
}

#[test]
fn access_tokens_without_a_project_in_the_request_use_their_own_fields() {
    let inv = read(&["access_tokens_partial.json"]);
    let reporting = id(&inv, "gitlab:api_token:401");
    assert_eq!(reporting.location.as_deref(), Some("project 1234"));
    assert_eq!(reporting.usage, Usage::NotLoaded);
    assert_eq!(reporting.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(
        grant(reporting, "access level reporter (20)").tier,
        Tier::SensitiveRead
    );
    let odd = id(&inv, "gitlab:api_token:402");
    let level = grant(odd, "access level 60");
    assert_eq!((level.tier, level.classified), (Tier::SensitiveRead, false));
    assert_eq!(odd.location, None);
    assert_eq!(odd.reach, Reach::Unknown);
    assert_eq!(odd.name, "access token 402");
}

// ------------------------------------------------------------------------------------------------
// Deploy tokens
// ------------------------------------------------------------------------------------------------

#[test]
fn deploy_tokens_are_labelled_and_record_neither_owner_nor_use() {
    let inv = read(&["deploy_tokens.json"]);
    let docs = id(&inv, "gitlab:api_token:deploy-token/1");
    assert_eq!(docs.name, "MyToken");
    assert_eq!(docs.location.as_deref(), Some("deploy token"));
    assert!(docs.aliases.contains(&"gitlab+deploy-token-1".to_string()));
    assert_eq!(docs.ownership, Ownership::NotRecorded);
    assert_eq!(docs.usage, Usage::NotRecorded);
    assert_eq!(docs.created_at, None);
    assert_eq!(
        docs.credentials[0].expiry,
        Expiry::At {
            at: ts("2020-02-14T00:00:00Z")
        }
    );
    assert_eq!(grant(docs, "read_repository").tier, Tier::SensitiveRead);
    assert_eq!(grant(docs, "read_registry").tier, Tier::SensitiveRead);

    let pusher = id(&inv, "gitlab:api_token:deploy-token/2");
    assert_eq!(pusher.credentials[0].expiry, Expiry::Never);
    assert_eq!(grant(pusher, "write_registry").tier, Tier::Write);
    assert_eq!(grant(pusher, "write_package_registry").tier, Tier::Write);

    let revoked = id(&inv, "gitlab:api_token:deploy-token/3");
    assert!(!revoked.enabled && !revoked.credentials[0].active);

    let inv = read(&["projects_42_deploy_tokens_page2.json"]);
    let project = id(&inv, "gitlab:api_token:deploy-token/11");
    assert_eq!(
        project.location.as_deref(),
        Some("deploy token, project 42")
    );
    assert_eq!(project.reach, Reach::Selected);
    assert_eq!(
        grant(project, "read_registry").resource.as_deref(),
        Some("42")
    );

    let inv = read(&["deploy_tokens_partial.json"]);
    assert!(id(&inv, "gitlab:api_token:deploy-token/21").enabled);
    assert_eq!(
        id(&inv, "gitlab:api_token:deploy-token/22").name,
        "gitlab+deploy-token-22"
    );
}

// ------------------------------------------------------------------------------------------------
// Deploy keys
// ------------------------------------------------------------------------------------------------

const KEY_1: &str = "SHA256:Jrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3HfIgU";
const ED25519: &str = "SHA256:le/rvcJ3LX3CYDt7uQxDwh9lmnlRI9rJv3iATnsFlSc";

#[test]
fn an_instance_deploy_key_becomes_one_identity_per_project_it_is_on() {
    let inv = read(&["deploy_keys.json"]);
    assert_eq!(
        ids(&inv),
        BTreeSet::from([
            "gitlab:deploy_key:73/1",
            "gitlab:deploy_key:74/1",
            "gitlab:deploy_key:3"
        ])
    );
    let on_73 = id(&inv, "gitlab:deploy_key:73/1");
    assert_eq!(on_73.kind, Kind::DeployKey);
    assert_eq!(on_73.name, "Public key");
    assert_eq!(
        on_73.location.as_deref(),
        Some("project sidney_jones/project2")
    );
    assert_eq!(on_73.ownership, Ownership::NotLoaded);
    assert_eq!(on_73.usage, Usage::NotLoaded);
    assert_eq!(on_73.created_at, Some(ts("2013-10-02T10:12:29Z")));
    assert_eq!(on_73.reach, Reach::Selected);
    let write = grant(on_73, "write_repository");
    assert_eq!(
        (write.tier, write.resource.as_deref()),
        (Tier::Write, Some("sidney_jones/project2"))
    );
    assert_eq!(on_73.credentials[0].fingerprint.as_deref(), Some(KEY_1));
    assert_eq!(on_73.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(
        id(&inv, "gitlab:deploy_key:74/1").credentials[0]
            .fingerprint
            .as_deref(),
        Some(KEY_1)
    );
    let nowhere = id(&inv, "gitlab:deploy_key:3");
    assert_eq!(
        nowhere.reach,
        Reach::Unknown,
        "read-only projects not listed before 16.0"
    );
    assert_eq!(grant(nowhere, "read_repository").resource, None);

    let serialized = serde_json::to_string(&inv.identities).unwrap();
    for blob in key_blobs("deploy_keys.json") {
        assert!(!serialized.contains(&blob[..40]), "a public key was kept");
    }
}

#[test]
fn project_deploy_key_lists_join_the_instance_list() {
    let files = ["deploy_keys.json", "projects_73_deploy_keys.json"];
    let inv = read(&files);
    assert_eq!(
        ids(&inv),
        BTreeSet::from([
            "gitlab:deploy_key:73/1",
            "gitlab:deploy_key:74/1",
            "gitlab:deploy_key:73/3"
        ]),
        "key 3 is on project 73 read-only: no project-less identity is left"
    );
    let key_1 = id(&inv, "gitlab:deploy_key:73/1");
    assert_eq!(key_1.sources.len(), 2);
    assert_eq!(
        grant(key_1, "write_repository").tier,
        Tier::Write,
        "the instance list says it can push"
    );
    let key_3 = id(&inv, "gitlab:deploy_key:73/3");
    assert_eq!(
        key_3.location.as_deref(),
        Some("project sidney_jones/project2"),
        "the project's path comes from the instance list"
    );
    assert_eq!(grant(key_3, "read_repository").tier, Tier::SensitiveRead);

    let reversed = read(&[files[1], files[0]]);
    assert_eq!(
        ids(&reversed),
        ids(&inv),
        "the join does not depend on order"
    );

    let alone = read(&["projects_73_deploy_keys.json"]);
    assert_eq!(
        id(&alone, "gitlab:deploy_key:73/1").location.as_deref(),
        Some("project 73")
    );
}

#[test]
fn deploy_keys_keep_a_fingerprint_computed_when_not_given() {
    let inv = read(&["projects_73_deploy_keys_page2.json"]);
    let pusher = id(&inv, "gitlab:deploy_key:73/12");
    assert_eq!(grant(pusher, "write_repository").tier, Tier::Write);
    assert_eq!(
        pusher.credentials[0].expiry,
        Expiry::At {
            at: ts("2027-10-30T12:28:27.855Z")
        }
    );
    assert_eq!(pusher.credentials[0].fingerprint.as_deref(), Some(ED25519));

    let inv = read(&["deploy_keys_partial.json"]);
    let legacy = id(&inv, "gitlab:deploy_key:9");
    assert_eq!(
        legacy.credentials[0].fingerprint.as_deref(),
        Some(ED25519),
        "computed from the key"
    );
    assert_eq!(legacy.reach, Reach::Unknown);
    assert_eq!(legacy.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(
        grant(id(&inv, "gitlab:deploy_key:10"), "write_repository").tier,
        Tier::Write
    );
    let serialized = serde_json::to_string(&inv.identities).unwrap();
    for blob in key_blobs("deploy_keys_partial.json") {
        assert!(!serialized.contains(&blob[..40]), "a public key was kept");
    }
}

#[test]
fn a_deploy_key_on_two_projects_is_a_shared_credential_and_a_pusher() {
    let report = scan(&["deploy_keys.json"]);
    for key in ["gitlab:deploy_key:73/1", "gitlab:deploy_key:74/1"] {
        let found = codes(&report, key);
        assert!(found.contains("NL701"), "{key}: {found:?}");
        assert!(found.contains("NL303"), "{key}: {found:?}");
    }
    assert!(!codes(&report, "gitlab:deploy_key:3").contains("NL701"));
}

// ------------------------------------------------------------------------------------------------
// Service accounts
// ------------------------------------------------------------------------------------------------

#[test]
fn service_accounts_carry_their_tokens_as_credentials_and_scopes_as_grants() {
    let inv = read(&[
        "groups_345_service_accounts_57_personal_access_tokens.json",
        "groups_345_service_accounts.json",
    ]);
    assert_eq!(
        ids(&inv),
        BTreeSet::from(["gitlab:service_account:57", "gitlab:service_account:58"]),
        "the tokens are the account's, not identities of their own"
    );
    let account = id(&inv, "gitlab:service_account:57");
    assert_eq!(account.kind, Kind::ServiceAccount);
    assert_eq!(account.name, "Service account user");
    assert_eq!(account.location.as_deref(), Some("group 345"));
    assert_eq!(account.ownership, Ownership::NotRecorded);
    let tokens: Vec<&str> = account
        .credentials
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    assert_eq!(tokens, ["187", "188"]);
    assert_eq!(account.credentials[0].expiry, Expiry::Never);
    assert_eq!(grant(account, "api").tier, Tier::Admin);
    assert_eq!(
        grant(account, "api").granted_at,
        Some(ts("2025-03-26T14:42:51.084Z"))
    );
    assert_eq!(grant(account, "read_registry").tier, Tier::SensitiveRead);
    assert_eq!(account.reach, Reach::All);
    assert_eq!(
        used(&account.usage).0,
        ts("2026-11-28T03:00:00Z"),
        "the most recent use of any token"
    );
    assert!(account.sources.len() == 2);

    let tokenless = id(&inv, "gitlab:service_account:58");
    assert_eq!(tokenless.usage, Usage::NotLoaded, "no token list was given");
    assert!(tokenless.credentials.is_empty());
}

#[test]
fn a_users_list_dates_service_accounts_and_says_which_are_blocked() {
    let mut collector = Collector::new();
    collector.add(
        &source("groups_345_service_accounts.json"),
        &bytes("groups_345_service_accounts.json"),
    );
    collector.add(
        "https://gitlab.example.com/api/v4/users?page=3",
        br#"[{"id": 57, "username": "service_account_group_345_x", "name": "Service account user",
              "state": "blocked", "bot": true, "created_at": "2025-03-20T10:00:00Z",
              "web_url": "https://gitlab.example.com/service_account_group_345_x"}]"#,
    );
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let account = id(&inv, "gitlab:service_account:57");
    assert_eq!(account.created_at, Some(ts("2025-03-20T10:00:00Z")));
    assert!(!account.enabled, "blocked");
    assert!(id(&inv, "gitlab:service_account:58").enabled);
}

#[test]
fn service_account_lists_without_names_or_groups_are_read() {
    let inv = read(&["service_accounts_partial.json"]);
    assert_eq!(
        id(&inv, "gitlab:service_account:201").name,
        "service_account_group_9_abc"
    );
    assert_eq!(id(&inv, "gitlab:service_account:202").name, "svc_nightly");
    let inv = read(&["service_accounts_page2.json"]);
    let instance = id(&inv, "gitlab:service_account:137");
    assert_eq!(instance.name, "john doe");
    assert_eq!(instance.location, None, "an instance service account");
}

#[test]
fn rules_on_a_service_account_with_an_unused_never_expiring_admin_token() {
    let report = scan(&[
        "groups_345_service_accounts.json",
        "groups_345_service_accounts_57_personal_access_tokens.json",
    ]);
    let found = codes(&report, "gitlab:service_account:57");
    for code in ["NL101", "NL105", "NL202", "NL204", "NL301", "NL302"] {
        assert!(found.contains(code), "{code} missing: {found:?}");
    }
    assert!(!found.contains("NL201"), "used yesterday: {found:?}");
}

// ------------------------------------------------------------------------------------------------
// Rules on typical token data
// ------------------------------------------------------------------------------------------------

#[test]
fn rules_on_typical_personal_and_project_tokens() {
    let report = scan(&[
        "personal_access_tokens.json",
        "users.json",
        "projects_42_access_tokens.json",
        "deploy_tokens.json",
    ]);
    // The docs token: api, never expires, last used in 2021, made in 2020.
    let docs = codes(&report, "gitlab:user_token:4");
    for code in ["NL101", "NL102", "NL201", "NL301", "NL302"] {
        assert!(docs.contains(code), "{code} missing: {docs:?}");
    }
    // Its owner is blocked.
    assert!(codes(&report, "gitlab:user_token:7").contains("NL205"));
    // A recent repository token of an active user.
    let tagger = codes(&report, "gitlab:user_token:5");
    assert!(
        !tagger.contains("NL201") && !tagger.contains("NL205"),
        "{tagger:?}"
    );
    assert!(
        tagger.contains("NL302"),
        "write on every project: {tagger:?}"
    );
    // Project tokens record no owner; the docs one expired long ago.
    let project = codes(&report, "gitlab:api_token:42");
    assert!(
        project.contains("NL204") && project.contains("NL103"),
        "{project:?}"
    );
    // A deploy token that never expires and writes to the registry.
    let pusher = codes(&report, "gitlab:api_token:deploy-token/2");
    assert!(
        pusher.contains("NL101") && pusher.contains("NL204"),
        "{pusher:?}"
    );
}

// ------------------------------------------------------------------------------------------------
// Detection and secrets
// ------------------------------------------------------------------------------------------------

#[test]
fn github_deploy_keys_and_users_are_not_gitlab_formats() {
    let github =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/github/deploy_keys.json");
    let bytes = std::fs::read(github).unwrap();
    let shape = nhi_lens::ingest::probe::probe(&bytes).unwrap();
    assert_eq!(
        nhi_lens::ingest::detect(&shape).map(|f| f.id),
        Some("github.deploy_keys")
    );
    let detect = |json: &str| {
        let shape = nhi_lens::ingest::probe::probe(json.as_bytes()).unwrap();
        nhi_lens::ingest::detect(&shape).map(|f| f.id)
    };
    assert_eq!(
        detect(r#"[{"id":1,"username":"ann","name":"Ann","state":"active","web_url":"u"}]"#),
        Some("gitlab.users")
    );
    assert_eq!(
        detect(r#"[{"id":1,"username":"ann","name":"Ann","email":"a@x"}]"#),
        Some("gitlab.service_accounts")
    );
    // A user's own SSH keys have no fingerprint or project fields: not deploy keys.
    assert_eq!(
        detect(
            r#"[{"id":1,"title":"t","key":"ssh-ed25519 AAAA","created_at":null,"usage_type":"auth"}]"#
        ),
        None
    );
}

#[test]
fn token_values_and_public_keys_never_reach_a_report() {
    let files = [
        "secret_markers_personal_access_tokens.json",
        "secret_markers_access_tokens.json",
        "secret_markers_deploy_tokens.json",
        "deploy_keys.json",
        "projects_73_deploy_keys_page2.json",
    ];
    let report = scan(&files);
    assert_eq!(report.assessments().count(), 7);
    let json = report::to_json(&report).to_string();
    assert!(
        !json.contains("FAKE-SECRET-MARKER"),
        "a token value was kept"
    );
    for (format, name, _) in report::Format::ALL {
        let mut out = Vec::new();
        report::write(&report, format, &mut out).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("FAKE-SECRET-MARKER"), "{name}");
        for file in ["deploy_keys.json", "projects_73_deploy_keys_page2.json"] {
            for blob in key_blobs(file) {
                assert!(
                    !text.contains(&blob[..40]),
                    "a public key in the {name} report"
                );
            }
        }
    }
}
