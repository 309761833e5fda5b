//! Snowflake users (SHOW USERS and ACCOUNT_USAGE.USERS, CSV and JSON) and Okta service apps
//! (apps, scope grants, client secrets) with the Okta users directory: the normalized model field
//! by field, the joins, and the rules they set off.

use std::collections::BTreeSet;
use std::path::Path;

use nhi_lens::model::{
    AccountStatus, CredentialKind, Expiry, GrantVia, Kind, OwnerSource, Ownership, Party,
    Precision, Tier, Timestamp, Usage,
};
use nhi_lens::{Collector, Identity, Inventory, Policy, report, timestamp};

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

fn fixture(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// Reads fixtures (paths under tests/fixtures) together, in this order.
fn collect(files: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for file in files {
        collector.add(&format!("tests/fixtures/{file}"), &fixture(file));
    }
    collector.finish()
}

fn read_clean(files: &[&str]) -> Inventory {
    let inventory = collect(files);
    assert!(
        inventory.errors.is_empty(),
        "errors reading {files:?}: {:#?}",
        inventory.errors
    );
    inventory
}

/// Reads inline inputs named like files.
fn collect_inline(inputs: &[(&str, &str)]) -> Inventory {
    let mut collector = Collector::new();
    for (source, text) in inputs {
        collector.add(source, text.as_bytes());
    }
    collector.finish()
}

fn by_id<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
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

fn grant<'a>(identity: &'a Identity, name: &str) -> &'a nhi_lens::model::Grant {
    identity
        .grants
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("{} has no grant {name}: {:?}", identity.id, identity.grants))
}

fn kinds(identity: &Identity) -> Vec<CredentialKind> {
    identity.credentials.iter().map(|c| c.kind).collect()
}

fn used_at(usage: &Usage) -> Timestamp {
    match usage {
        Usage::Used(u) => u.at,
        other => panic!("expected a recorded use, found {other:?}"),
    }
}

/// The rule codes that fire on each identity when these fixtures are scanned together.
fn findings(files: &[&str]) -> Vec<(String, BTreeSet<&'static str>)> {
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (format!("tests/fixtures/{f}"), fixture(f)))
        .collect();
    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report
        .assessments()
        .map(|a| {
            (
                a.identity.id.clone(),
                a.findings.iter().map(|f| f.rule.code).collect(),
            )
        })
        .collect()
}

fn codes<'a>(all: &'a [(String, BTreeSet<&'static str>)], id: &str) -> &'a BTreeSet<&'static str> {
    &all.iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("no {id}"))
        .1
}

// ------------------------------------------------------------------------------------------------
// Snowflake
// ------------------------------------------------------------------------------------------------

#[test]
fn snowflake_show_users_reads_the_docs_example_row() {
    let inv = read_clean(&["snowflake/users.csv"]);
    assert_eq!(inv.identities.len(), 6);
    let jane = by_id(&inv, "snowflake:user:MY_USER_NAME");
    assert_eq!(jane.name, "MY_USER_NAME");
    assert!(jane.human);
    assert!(jane.enabled);
    assert_eq!(jane.aliases, ["MY_LOGIN_NAME"]);
    assert_eq!(jane.created_at, Some(ts("2020-04-28T19:24:38.722Z")));
    let Usage::Used(last) = &jane.usage else {
        panic!("{:?}", jane.usage)
    };
    assert_eq!(last.at, ts("2025-06-12T22:02:22.783Z"));
    assert_eq!(last.source, "last_success_login");
    assert_eq!(last.precision, Precision::Exact);
    let owner = jane.ownership.primary().expect("an owner role");
    assert_eq!(owner.who.name, "role ACCOUNTADMIN");
    assert_eq!(owner.who.status, AccountStatus::Unknown);
    assert_eq!(owner.source, OwnerSource::Explicit);
    assert!(
        owner.basis.contains("role, not a person"),
        "{}",
        owner.basis
    );
    let login = jane.interactive.as_ref().expect("a password sign-in");
    assert!(login.password_enabled);
    assert_eq!(login.mfa, Some(true));
    assert_eq!(login.last_login, Some(ts("2025-06-12T22:02:22.783Z")));
    // A person with a key pair and PATs: a person used like a service, kept a person.
    assert_eq!(
        kinds(jane),
        [
            CredentialKind::Password,
            CredentialKind::Key,
            CredentialKind::Token
        ]
    );
    assert!(jane.credentials.iter().all(|c| c.active));
    let key = &jane.credentials[1];
    assert_eq!(key.expiry, Expiry::Never, "a public key has no expiry");
    assert_eq!(key.usage, Usage::NotLoaded, "the login is the user's");
    assert_eq!(jane.credentials[0].expiry, Expiry::Unknown);
    let role = grant(jane, "MY_ROLE");
    assert_eq!((role.tier, role.classified), (Tier::SensitiveRead, false));

    let etl = by_id(&inv, "snowflake:service_user:ETL_SVC");
    assert!(!etl.human);
    assert_eq!(etl.kind, Kind::ServiceUser);
    assert_eq!(etl.interactive, None);
    assert_eq!(kinds(etl), [CredentialKind::Key]);
    assert_eq!(grant(etl, "SYSADMIN").tier, Tier::Write);
    assert!(grant(etl, "SYSADMIN").classified);
    assert_eq!(etl.legacy, None);

    let legacy = by_id(&inv, "snowflake:service_user:REPORTING_LEGACY");
    assert!(
        legacy.legacy.as_deref().unwrap().contains("LEGACY_SERVICE"),
        "{:?}",
        legacy.legacy
    );
    assert_eq!(legacy.interactive.as_ref().unwrap().mfa, Some(false));
    assert_eq!(kinds(legacy), [CredentialKind::Password]);

    let old = by_id(&inv, "snowflake:service_user:OLD_INTEGRATION");
    assert!(!old.enabled);
    assert!(old.credentials.iter().all(|c| !c.active));
    assert_eq!(grant(old, "PUBLIC").tier, Tier::Read);

    let dbt = by_id(&inv, "snowflake:service_user:DBT_CLOUD");
    assert!(matches!(dbt.usage, Usage::Never { .. }), "{:?}", dbt.usage);
    assert_eq!(kinds(dbt), [CredentialKind::Token]);
    assert!(matches!(dbt.credentials[0].usage, Usage::Never { .. }));

    // type NULL functions as PERSON; no password means SSO.
    let sso = by_id(&inv, "snowflake:user:ANALYST_SSO");
    assert!(sso.human);
    assert!(sso.credentials.is_empty());
    assert_eq!(sso.interactive, None);
    assert_eq!(used_at(&sso.usage), ts("2026-11-20T18:15:02.118Z"));
}

#[test]
fn snowflake_json_rows_read_like_the_csv() {
    let csv = read_clean(&["snowflake/users.csv"]);
    let json = read_clean(&["snowflake/users.json"]);
    for id in [
        "snowflake:user:MY_USER_NAME",
        "snowflake:service_user:ETL_SVC",
        "snowflake:service_user:REPORTING_LEGACY",
        "snowflake:user:ANALYST_SSO",
    ] {
        let mut from_json = by_id(&json, id).clone();
        from_json.sources = by_id(&csv, id).sources.clone();
        assert_eq!(&from_json, by_id(&csv, id), "{id}");
    }
}

#[test]
fn snowflake_account_usage_keeps_dropped_users_apart() {
    let inv = read_clean(&["snowflake/users_account_usage.csv"]);
    let dropped = by_id(&inv, "snowflake:service_user:LOADER#deleted-21");
    assert!(!dropped.enabled, "a dropped user is gone");
    assert!(dropped.credentials.iter().all(|c| !c.active));
    assert_eq!(
        dropped.credentials[0].created_at,
        Some(ts("2020-08-17T17:00:00Z")),
        "PASSWORD_LAST_SET_TIME"
    );
    assert!(dropped.legacy.is_some());

    let loader = by_id(&inv, "snowflake:service_user:LOADER");
    assert!(loader.enabled);
    assert!(loader.aliases.contains(&"88".to_string()), "USER_ID");
    assert_eq!(kinds(loader), [CredentialKind::Key]);

    let maria = by_id(&inv, "snowflake:user:MARIA_GARCIA");
    assert_eq!(
        maria.interactive.as_ref().unwrap().mfa,
        Some(true),
        "Duo counts as MFA"
    );
    assert_eq!(
        maria.credentials[0].created_at,
        Some(ts("2026-03-01T17:00:00Z"))
    );
    assert_eq!(grant(maria, "ACCOUNTADMIN").tier, Tier::Admin);

    let finance = by_id(&inv, "snowflake:service_user:FINANCE_EXPORT");
    assert!(
        matches!(finance.usage, Usage::Never { .. }),
        "{:?}",
        finance.usage
    );
    assert_eq!(finance.created_at, Some(ts("2023-04-04T11:04:04Z")));
}

#[test]
fn snowflake_terse_and_partial_rows_leave_the_unknown_unknown() {
    let terse = read_clean(&["snowflake/users_partial.csv"]);
    for identity in &terse.identities {
        assert_eq!(
            identity.usage,
            Usage::NotLoaded,
            "{}: no last_success_login column",
            identity.id
        );
        assert_eq!(identity.ownership, Ownership::NotLoaded, "{}", identity.id);
        assert!(identity.grants.is_empty());
    }
    let kim = by_id(&terse, "snowflake:user:KIM_PARK");
    assert_eq!(kim.created_at, None);
    assert_eq!(kim.interactive.as_ref().unwrap().mfa, None, "has_mfa empty");
    assert_eq!(
        kinds(by_id(&terse, "snowflake:user:SVC_UNKNOWN")),
        [CredentialKind::Key]
    );

    let json = read_clean(&["snowflake/users_json_partial.json"]);
    let bot = by_id(&json, "snowflake:service_user:WAREHOUSE_BOT");
    assert!(!bot.enabled, "DISABLED = Y");
    assert_eq!(bot.ownership, Ownership::Missing, "OWNER null");
    assert!(matches!(bot.usage, Usage::Never { .. }), "{:?}", bot.usage);
    let lee = by_id(&json, "snowflake:user:LEE_WONG");
    assert_eq!(lee.interactive.as_ref().unwrap().mfa, Some(true), "Duo");
    assert_eq!(grant(lee, "PUBLIC").tier, Tier::Read);
    assert_eq!(lee.ownership, Ownership::NotLoaded);
    let pipe = by_id(&json, "snowflake:service_user:PIPE_RUNNER");
    assert_eq!(
        kinds(pipe),
        [CredentialKind::Key, CredentialKind::Federated]
    );
    assert_eq!(pipe.created_at, Some(ts("2024-02-01T00:00:00Z")));
    assert_eq!(used_at(&pipe.usage), ts("2025-11-27T00:00:00Z"));
}

#[test]
fn snowflake_rows_a_role_cannot_see_are_reported_once() {
    let csv = "name,created_on,owner,last_success_login,has_password,has_rsa_public_key,type\n\
               HIDDEN_ONE,,,,,,\nHIDDEN_TWO,NULL,NULL,NULL,NULL,NULL,NULL\n\
               SEEN,2024-01-01 00:00:00.000 +0000,SYSADMIN,,false,true,SERVICE\n";
    let inv = collect_inline(&[("show_users.csv", csv)]);
    assert_eq!(inv.identities.len(), 3);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(
        inv.errors[0]
            .message
            .starts_with("2 users show only their name"),
        "{}",
        inv.errors[0].message
    );
    let hidden = by_id(&inv, "snowflake:user:HIDDEN_ONE");
    assert_eq!(hidden.usage, Usage::NotLoaded, "not \"never used\"");
    assert_eq!(hidden.ownership, Ownership::NotLoaded);
}

#[test]
fn snowflake_bad_cells_cost_only_themselves() {
    let csv = "name,created_on,type,has_password,last_success_login\n\
               ODD,last tuesday,ROBOT,true,soon\n,2024-01-01 00:00:00.000 +0000,SERVICE,false,\n";
    let inv = collect_inline(&[("users.csv", csv)]);
    assert_eq!(inv.identities.len(), 1);
    let odd = by_id(&inv, "snowflake:service_user:ODD");
    assert_eq!(odd.created_at, None);
    assert_eq!(
        odd.usage,
        Usage::NotLoaded,
        "an unreadable login is not \"never\""
    );
    let messages: Vec<&str> = inv.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("\"ROBOT\"")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("created_on")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("no user name")),
        "{messages:?}"
    );
}

#[test]
fn snowflake_key_fingerprints_are_kept_and_key_material_is_not() {
    let inv = read_clean(&["snowflake/secret_markers.json"]);
    let marker = by_id(&inv, "snowflake:service_user:MARKER_SVC");
    let key = marker
        .credentials
        .iter()
        .find(|c| c.kind == CredentialKind::Key)
        .unwrap();
    assert_eq!(
        key.fingerprint.as_deref(),
        Some("SHA256:x7XRvBkLq5nO0B2bFz4vY0pG9oHk8G2vNQf0m0Kf7sA=")
    );
    let serialized = serde_json::to_string(&inv.identities).unwrap();
    assert!(!serialized.contains("FAKE-SECRET-MARKER"), "{serialized}");
    assert!(!serialized.contains("MIIBIjAN"), "{serialized}");
}

#[test]
fn snowflake_rules_on_typical_users() {
    let all = findings(&["snowflake/users.csv", "snowflake/users_page2.csv"]);
    // A LEGACY_SERVICE user signing in with a password and no MFA: the 2024 breach pattern.
    assert!(codes(&all, "snowflake:service_user:REPORTING_LEGACY").contains("NL801"));
    // Key pairs never expire.
    assert!(codes(&all, "snowflake:service_user:ETL_SVC").contains("NL101"));
    assert!(!codes(&all, "snowflake:service_user:ETL_SVC").contains("NL301"));
    // A PAT-only service user that never signed in since January 2024.
    assert!(codes(&all, "snowflake:service_user:DBT_CLOUD").contains("NL201"));
    // SECURITYADMIN as the default role.
    assert!(codes(&all, "snowflake:service_user:SECURITY_AUDIT").contains("NL301"));
    // A disabled user: nothing live, nothing dormant.
    assert!(
        codes(&all, "snowflake:service_user:OLD_INTEGRATION").is_empty(),
        "{:?}",
        codes(&all, "snowflake:service_user:OLD_INTEGRATION")
    );
    // People are scored only for signs of service use.
    assert!(codes(&all, "snowflake:user:TOM_BROOKS").is_empty());
}

// ------------------------------------------------------------------------------------------------
// Okta service apps
// ------------------------------------------------------------------------------------------------

const SCIM: &str = "okta:oauth_app:0oa1svc7sync0000001";
const TERRAFORM: &str = "okta:oauth_app:0oa1svc7jwt00000002";
const OLD_JOB: &str = "okta:oauth_app:0oa1svc7old00000005";
const SECRETS_PARTIAL: &str =
    "okta/app_secrets_partial_apps_0oa1svc7old00000005_credentials_secrets.json";

#[test]
fn okta_apps_alone_are_service_apps_only() {
    let inv = read_clean(&["okta/apps.json"]);
    let ids: Vec<&str> = inv.identities.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [SCIM, TERRAFORM, OLD_JOB]);
    let scim = by_id(&inv, SCIM);
    assert_eq!(scim.kind, Kind::OauthApp);
    assert_eq!(scim.name, "SCIM Sync Service");
    assert_eq!(scim.client_id.as_deref(), Some("0oa1svc7sync0000001"));
    assert_eq!(scim.created_at, Some(ts("2023-02-14T10:30:00Z")));
    assert_eq!(
        scim.ownership,
        Ownership::NotRecorded,
        "Okta apps have no owner"
    );
    assert_eq!(scim.usage, Usage::NotLoaded, "the System Log is not read");
    assert_eq!(scim.party(), Party::Internal);
    assert!(scim.grants.is_empty());
    // client_secret_basic without the secrets list: a secret of unknown age that never expires.
    assert_eq!(kinds(scim), [CredentialKind::Secret]);
    assert_eq!(scim.credentials[0].created_at, None);
    assert_eq!(scim.credentials[0].expiry, Expiry::Never);

    assert_eq!(kinds(by_id(&inv, TERRAFORM)), [CredentialKind::Key]);
    let old = by_id(&inv, OLD_JOB);
    assert!(!old.enabled, "INACTIVE");
    assert!(old.credentials.iter().all(|c| !c.active));
}

/// The apps list shows no app's scopes: each service app says its permissions were not read
/// until its grants are (its list of them, an empty one too, or a grant naming it), so a low
/// score there is not mistaken for a low privilege.
#[test]
fn okta_service_apps_say_whether_their_grants_were_read() {
    let unread = |inv: &Inventory| -> Vec<String> {
        let mut ids: Vec<String> = inv
            .identities
            .iter()
            .filter(|i| i.grants_unread)
            .map(|i| i.id.clone())
            .collect();
        ids.sort();
        ids
    };
    let mut all = vec![SCIM.to_string(), TERRAFORM.to_string(), OLD_JOB.to_string()];
    all.sort();
    assert_eq!(unread(&read_clean(&["okta/apps.json"])), all);
    // Grants naming the SCIM app (a list read without the app in its file name).
    let with_grants = read_clean(&["okta/apps.json", "okta/app_grants.json"]);
    assert!(!by_id(&with_grants, SCIM).grants_unread);
    assert!(by_id(&with_grants, TERRAFORM).grants_unread);
    // One app's grants list, by its URL, with nothing left but a revoked grant: read, and none.
    let apps = String::from_utf8(fixture("okta/apps.json")).unwrap();
    let revoked = r#"[{"id":"oag9","status":"REVOKED","created":"2024-01-01T00:00:00.000Z","issuer":"https://acme.okta.com","clientId":"0oa1svc7jwt00000002","scopeId":"okta.users.manage","source":"ADMIN"}]"#;
    let inv = collect_inline(&[
        ("okta/apps.json", &apps),
        (
            "https://acme.okta.com/api/v1/apps/0oa1svc7jwt00000002/grants",
            revoked,
        ),
    ]);
    assert!(!by_id(&inv, TERRAFORM).grants_unread);
    assert!(by_id(&inv, TERRAFORM).grants.is_empty());
    assert!(by_id(&inv, SCIM).grants_unread);
    // An empty list of one app's grants, by its URL: read, and it has none.
    let inv = collect_inline(&[
        ("okta/apps.json", &apps),
        (
            "https://acme.okta.com/api/v1/apps/0oa1svc7jwt00000002/grants",
            "[]",
        ),
    ]);
    assert!(!by_id(&inv, TERRAFORM).grants_unread);
    assert!(by_id(&inv, SCIM).grants_unread);
    // A grant naming its app by client ID alone, where the client ID is not the app ID.
    let apps_with_client = apps.replace(
        r#""client_id": "0oa1svc7jwt00000002""#,
        r#""client_id": "client-of-terraform""#,
    );
    assert_ne!(
        apps_with_client, apps,
        "the fixture names the client ID as expected"
    );
    let by_client = r#"[{"id":"oag8","status":"ACTIVE","created":"2024-01-01T00:00:00.000Z","issuer":"https://acme.okta.com","clientId":"client-of-terraform","scopeId":"okta.users.read","source":"ADMIN"}]"#;
    let inv = collect_inline(&[
        ("okta/apps.json", &apps_with_client),
        ("grants.json", by_client),
    ]);
    assert!(!by_id(&inv, TERRAFORM).grants_unread);
    assert_eq!(by_id(&inv, TERRAFORM).grants.len(), 1);
    // Apps known only from their secrets: their scopes were not read either, until a list of
    // their grants is, even one of revoked grants only.
    let secrets_only = read_clean(&["okta/app_secrets.json"]);
    assert!(!secrets_only.identities.is_empty());
    assert!(secrets_only.identities.iter().all(|i| i.grants_unread));
    let secrets = String::from_utf8(fixture("okta/app_secrets.json")).unwrap();
    let inv = collect_inline(&[
        ("okta/app_secrets.json", &secrets),
        (
            "https://acme.okta.com/api/v1/apps/0oa1svc7sync0000001/grants",
            revoked,
        ),
    ]);
    assert!(!by_id(&inv, SCIM).grants_unread);
}

#[test]
fn okta_service_apps_join_their_grants_secrets_and_approvers() {
    let files = [
        "okta/apps.json",
        "okta/app_grants.json",
        "okta/app_grants_page2.json",
        "okta/app_secrets.json",
        "okta/users.json",
    ];
    let inv = read_clean(&files);
    assert_eq!(inv.identities.len(), 3, "grants and secrets join their app");
    let scim = by_id(&inv, SCIM);
    for file in &files[..4] {
        assert!(
            scim.sources.iter().any(|s| s.ends_with(file)),
            "{file} not in {:?}",
            scim.sources
        );
    }
    let users = grant(scim, "okta.users.manage");
    assert_eq!((users.tier, users.classified), (Tier::Admin, true));
    assert_eq!(users.via, GrantVia::Application);
    assert_eq!(users.granted_at, Some(ts("2023-02-14T10:45:00Z")));
    assert_eq!(users.resource.as_deref(), Some("Okta API"));
    assert_eq!(grant(scim, "okta.groups.read").tier, Tier::Read);
    assert_eq!(grant(scim, "okta.logs.read").tier, Tier::SensitiveRead);
    assert_eq!(grant(scim, "okta.apps.read").tier, Tier::SensitiveRead);
    assert!(
        !scim.grants.iter().any(|g| g.name == "okta.roles.manage"),
        "a revoked grant gives nothing"
    );
    let approvers: Vec<(&str, AccountStatus)> = scim
        .approved_by
        .iter()
        .map(|p| (p.name.as_str(), p.status))
        .collect();
    assert_eq!(
        approvers,
        [
            ("Eric Judy", AccountStatus::Active),
            ("Raj Kumar (IAM)", AccountStatus::Active)
        ]
    );
    assert_eq!(
        scim.ownership,
        Ownership::NotRecorded,
        "approvers are not owners"
    );
    // The listed secrets replace the placeholder; the oldest active one is what rules read.
    assert_eq!(
        kinds(scim),
        [CredentialKind::Secret, CredentialKind::Secret]
    );
    let oldest = scim.credentials.iter().filter_map(|c| c.created_at).min();
    assert_eq!(oldest, Some(ts("2022-01-10T21:06:31Z")));
    assert!(
        scim.credentials
            .iter()
            .all(|c| c.active && c.expiry == Expiry::Never)
    );
    assert_eq!(
        scim.credentials[0].id.as_deref(),
        Some("ocs14izzvk9BGLiu30h8")
    );
}

#[test]
fn okta_join_does_not_depend_on_input_order() {
    let forward = read_clean(&[
        "okta/apps.json",
        "okta/app_grants.json",
        "okta/app_secrets.json",
        SECRETS_PARTIAL,
    ]);
    let backward = read_clean(&[
        SECRETS_PARTIAL,
        "okta/app_secrets.json",
        "okta/app_grants.json",
        "okta/apps.json",
    ]);
    for id in [SCIM, TERRAFORM, OLD_JOB] {
        let mut a = by_id(&forward, id).clone();
        let mut b = by_id(&backward, id).clone();
        a.sources.sort();
        b.sources.sort();
        assert_eq!(a, b, "{id}");
    }
}

#[test]
fn okta_grants_and_secrets_without_their_app_still_name_it() {
    let inv = read_clean(&["okta/app_grants.json", "okta/app_secrets.json"]);
    assert_eq!(inv.identities.len(), 1);
    let scim = by_id(&inv, SCIM);
    assert_eq!(
        scim.name, "SCIM Sync Service",
        "from the grants' _links.app.title"
    );
    assert_eq!(scim.client_id.as_deref(), Some("0oa1svc7sync0000001"));
    assert_eq!(scim.created_at, None);
    assert_eq!(
        kinds(scim),
        [CredentialKind::Secret, CredentialKind::Secret]
    );
    assert_eq!(grant(scim, "okta.users.manage").tier, Tier::Admin);
    // Without a users list the approver is known by ID only.
    assert_eq!(scim.approved_by[0].name, "00u1f96ECLNVOKVMUSEA");

    let partial = read_clean(&["okta/app_grants_partial.json"]);
    let terraform = by_id(&partial, TERRAFORM);
    assert_eq!(terraform.name, "Terraform Okta Provider");
    let new_scope = grant(terraform, "okta.brandNewThing.manage");
    assert_eq!((new_scope.tier, new_scope.classified), (Tier::Write, true));
    let custom = grant(terraform, "acme.custom.scope");
    assert_eq!(
        (custom.tier, custom.classified),
        (Tier::SensitiveRead, false)
    );
    assert!(terraform.approved_by.is_empty());

    // The file name copying the request names the app when the records do not.
    let named = read_clean(&[SECRETS_PARTIAL]);
    let old = by_id(&named, OLD_JOB);
    let states: Vec<(Option<&str>, bool)> = old
        .credentials
        .iter()
        .map(|c| (c.id.as_deref(), c.active))
        .collect();
    assert_eq!(
        states,
        [
            (Some("ocs3old7secret00001"), true),
            (Some("ocs3old7secret00002"), false)
        ]
    );
}

#[test]
fn okta_grants_of_apps_for_people_are_not_identities() {
    let grant = r#"[{"id":"oag9web7portal000001","status":"ACTIVE","issuer":"https://acme.okta.com",
        "clientId":"0oa1web7portal00003","scopeId":"okta.users.read","source":"ADMIN"}]"#;
    let inv = collect_inline(&[
        (
            "tests/fixtures/okta/apps.json",
            &String::from_utf8(fixture("okta/apps.json")).unwrap(),
        ),
        ("apps_0oa1web7portal00003_grants.json", grant),
    ]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert!(
        !inv.identities
            .iter()
            .any(|i| i.native_id == "0oa1web7portal00003"),
        "the Customer Portal signs people in"
    );
    // Secrets that cannot be placed are named, not guessed.
    let secrets = r#"[{"id":"ocs9nowhere00000001","status":"ACTIVE","secret_hash":"x"}]"#;
    let lost = collect_inline(&[("secrets.json", secrets)]);
    assert!(lost.identities.is_empty());
    assert!(
        lost.errors[0].message.contains("which app"),
        "{:?}",
        lost.errors
    );
}

#[test]
fn okta_key_clients_keep_their_key_and_lose_unusable_secrets() {
    let secrets = r#"[{"id":"ocs9jwt7leftover0001","status":"ACTIVE","created":"2024-01-01T00:00:00.000Z","secret_hash":"x"}]"#;
    let inv = collect_inline(&[
        (
            "tests/fixtures/okta/apps.json",
            &String::from_utf8(fixture("okta/apps.json")).unwrap(),
        ),
        ("apps/0oa1svc7jwt00000002/credentials/secrets", secrets),
    ]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let terraform = by_id(&inv, TERRAFORM);
    assert_eq!(
        kinds(terraform),
        [CredentialKind::Secret, CredentialKind::Key]
    );
    assert!(
        !terraform.credentials[0].active,
        "private_key_jwt: a leftover secret cannot sign in"
    );
    assert!(terraform.credentials[1].active);
}

#[test]
fn okta_integration_network_apps_are_third_party() {
    let inv = read_clean(&["okta/apps_page2.json", "okta/app_secrets_page2.json"]);
    let vendor = by_id(&inv, "okta:oauth_app:0oa2oin7vendor00007");
    let publisher = vendor.publisher.as_ref().unwrap();
    assert_eq!(publisher.party, Party::ThirdParty);
    assert_eq!(publisher.name.as_deref(), Some("acmevendor_apiservice"));
    assert_eq!(kinds(vendor), [CredentialKind::Secret]);
    assert!(!vendor.credentials[0].active, "INACTIVE secret");
    assert_eq!(
        by_id(&inv, "okta:oauth_app:0oa2svc7siem0000006").party(),
        Party::Internal
    );
}

#[test]
fn okta_users_name_token_owners_and_say_who_left() {
    let without = read_clean(&["okta/api_tokens.json"]);
    let with = read_clean(&["okta/api_tokens.json", "okta/users.json"]);
    let owner = |inv: &Inventory| {
        by_id(inv, "okta:api_token:00Tck1l40BgsBbRf40g7")
            .ownership
            .primary()
            .unwrap()
            .who
            .clone()
    };
    let before = owner(&without);
    assert_eq!(
        (before.name.as_str(), before.status),
        ("00u1gjh63g214q0Hq0g4", AccountStatus::Unknown)
    );
    let after = owner(&with);
    assert_eq!(
        (after.name.as_str(), after.status),
        ("Ann Lee", AccountStatus::Disabled)
    );
    assert_eq!(after.id.as_deref(), Some("00u1gjh63g214q0Hq0g4"));
    let terraform = by_id(&with, "okta:api_token:00T3kinb0wOUpDUdV5d7");
    assert_eq!(
        terraform.ownership.primary().unwrap().who.status,
        AccountStatus::Active
    );

    // Okta rejects a deactivated user's tokens: listed, to be deleted, no longer acting.
    let departed = by_id(&with, "okta:api_token:00Tck1l40BgsBbRf40g7");
    assert!(!departed.enabled);
    assert!(departed.credentials.iter().all(|c| !c.active));
    assert!(terraform.enabled && terraform.credentials.iter().all(|c| c.active));
    assert!(by_id(&without, "okta:api_token:00Tck1l40BgsBbRf40g7").enabled);

    // The departed owner still names it for the offboarding rule, as a low cleanup item: what
    // the token could do no longer counts.
    let all = findings(&["okta/api_tokens.json", "okta/users.json"]);
    let gone = codes(&all, "okta:api_token:00Tck1l40BgsBbRf40g7");
    assert!(gone.contains("NL205"), "{gone:?}");
    assert!(
        !gone.contains("NL101") && !gone.contains("NL503"),
        "{gone:?}"
    );
    assert!(!codes(&all, "okta:api_token:00T3kinb0wOUpDUdV5d7").contains("NL205"));
}

#[test]
fn okta_user_statuses_and_names() {
    let inv = read_clean(&[
        "okta/users_page2.json",
        "okta/users_partial.json",
        "okta/api_tokens_page2.json",
        "okta/api_tokens_partial.json",
    ]);
    let status_of = |id: &str| by_id(&inv, id).ownership.primary().unwrap().who.clone();
    // SUSPENDED is gone, LOCKED_OUT is still someone.
    assert_eq!(
        status_of("okta:api_token:00Tpage2aaaaaaaaaaaa").status,
        AccountStatus::Disabled
    );
    assert_eq!(
        status_of("okta:api_token:00Tpage2bbbbbbbbbbbb").status,
        AccountStatus::Active
    );
    let login_only = status_of("okta:api_token:00Tpartialaaaaaaaaaa");
    assert_eq!(
        (login_only.name.as_str(), login_only.status),
        ("new.hire@example.com", AccountStatus::Active)
    );
}

#[test]
fn okta_rules_on_a_joined_service_app() {
    let all = findings(&[
        "okta/apps.json",
        "okta/app_grants.json",
        "okta/app_secrets.json",
        "okta/users.json",
    ]);
    let scim = codes(&all, SCIM);
    for code in ["NL301", "NL501", "NL101", "NL102", "NL105", "NL204"] {
        assert!(scim.contains(code), "{code} missing from {scim:?}");
    }
    // A key-pair client: no secret, nothing to rotate.
    let terraform = codes(&all, TERRAFORM);
    assert!(
        !terraform.contains("NL501") && !terraform.contains("NL102"),
        "{terraform:?}"
    );
    // An inactive app holds nothing live.
    let old = codes(&all, OLD_JOB);
    assert!(!old.contains("NL501") && !old.contains("NL101"), "{old:?}");
}

#[test]
fn okta_and_snowflake_secrets_never_reach_a_report() {
    let files = [
        "okta/apps_secret_markers.json",
        "okta/app_secrets_markers.json",
        "okta/users_secret_markers.json",
        "okta/app_secrets.json",
        "snowflake/secret_markers.json",
    ];
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (format!("tests/fixtures/{f}"), fixture(f)))
        .collect();
    for (source, bytes) in &inputs {
        assert!(
            String::from_utf8_lossy(bytes).contains("FAKE-SECRET-MARKER")
                || source.ends_with("okta/app_secrets.json"),
            "{source} holds no marker"
        );
    }
    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.assessments().len() >= 3);
    let json = report::to_json(&report).to_string();
    for leaked in [
        "FAKE-SECRET-MARKER",
        // The secret values and hashes in Okta's own docs example.
        "3ZIqRCzmjcdNPK2Y29x1qSkI5NRHji_eGIm4aKtI",
        "jMur1qOhMw_MtC9aQo7YEg",
        "D0HxBn1FtTXeYC4cSBwWL_sPMztMT2t6Ei9n1QjO",
    ] {
        assert!(!json.contains(leaked), "{leaked} reached the JSON report");
    }
}
