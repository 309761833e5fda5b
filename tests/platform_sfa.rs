//! Slack, Salesforce and Atlassian: what their parsers make of the fixtures, field by field, how
//! inputs join, and which rules fire on typical data.

use std::path::{Path, PathBuf};

use nhi_lens::ingest::{Collector, Inventory};
use nhi_lens::model::{
    Controller, CredentialKind, Expiry, Grant, GrantVia, Identity, Kind, OwnerSource, Ownership,
    Party, Platform, Precision, Tier, Timestamp, Usage,
};
use nhi_lens::platforms::{atlassian, salesforce, slack};
use nhi_lens::{Policy, Report, report, timestamp};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bytes_of(folder: &str, file: &str) -> Vec<u8> {
    let path = fixtures().join(folder).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn source_of(folder: &str, file: &str) -> String {
    format!("tests/fixtures/{folder}/{file}")
}

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

/// Reads inputs given as (source, bytes), in this order.
fn collect_raw(inputs: &[(String, Vec<u8>)]) -> Inventory {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    collector.finish()
}

fn fixture_inputs(folder: &str, files: &[&str]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|f| (source_of(folder, f), bytes_of(folder, f)))
        .collect()
}

/// Reads these fixtures of one folder together and insists nothing went wrong.
fn read_clean(folder: &str, files: &[&str]) -> Inventory {
    let inventory = collect_raw(&fixture_inputs(folder, files));
    assert!(
        inventory.errors.is_empty(),
        "errors reading {files:?}: {:#?}",
        inventory.errors
    );
    inventory
}

fn native<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
    let found: Vec<&Identity> = inventory
        .identities
        .iter()
        .filter(|i| i.native_id == id)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one identity with native ID {id}: {:?}",
        inventory
            .identities
            .iter()
            .map(|i| &i.id)
            .collect::<Vec<_>>()
    );
    found[0]
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

fn owner_names(identity: &Identity) -> Vec<&str> {
    identity
        .ownership
        .owners()
        .iter()
        .map(|o| o.who.name.as_str())
        .collect()
}

fn scan(inputs: &[(String, Vec<u8>)]) -> Report {
    nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    )
}

/// Asserts these rules fired on the identity (others may too: rules are added over time).
fn assert_fires(report: &Report, id: &str, expected: &[&str]) {
    let fired = codes(report, id);
    for code in expected {
        assert!(
            fired.contains(code),
            "{id}: {code} did not fire; fired {fired:?}"
        );
    }
}

/// The rule codes that fired on the identity with this ID.
fn codes(report: &Report, id: &str) -> Vec<&'static str> {
    let a = report
        .assessments()
        .find(|a| a.identity.id == id)
        .unwrap_or_else(|| panic!("no identity {id}"));
    let mut codes: Vec<&'static str> = a.findings.iter().map(|f| f.rule.code).collect();
    codes.sort_unstable();
    codes
}

// ------------------------------------------------------------------------------------------------
// Catalogues
// ------------------------------------------------------------------------------------------------

#[test]
fn the_three_catalogues_load_and_list_every_section_10_scope() {
    let slack = slack::scopes();
    for (scope, tier) in [
        ("admin", Tier::Admin),
        ("admin.apps:write", Tier::Admin),
        ("admin.users:write", Tier::Admin),
        ("admin.conversations:write", Tier::Admin),
        ("admin.teams:write", Tier::Admin),
        ("admin.invites:write", Tier::Admin),
        ("admin.usergroups:write", Tier::Admin),
        ("admin.roles:write", Tier::Admin),
        ("client", Tier::Admin),
        ("bot", Tier::Admin),
        ("chat:write", Tier::Write),
        ("chat:write.customize", Tier::Write),
        ("chat:write.public", Tier::Write),
        ("files:write", Tier::Write),
        ("channels:manage", Tier::Write),
        ("groups:write", Tier::Write),
        ("im:write", Tier::Write),
        ("users:write", Tier::Write),
        ("usergroups:write", Tier::Write),
        ("incoming-webhook", Tier::Write),
        ("commands", Tier::Write),
        ("remote_files:write", Tier::Write),
        ("channels:history", Tier::SensitiveRead),
        ("groups:history", Tier::SensitiveRead),
        ("im:history", Tier::SensitiveRead),
        ("mpim:history", Tier::SensitiveRead),
        ("files:read", Tier::SensitiveRead),
        ("search:read", Tier::SensitiveRead),
        ("users:read.email", Tier::SensitiveRead),
        ("admin.apps:read", Tier::SensitiveRead),
        ("admin.users:read", Tier::SensitiveRead),
        ("auditlogs:read", Tier::SensitiveRead),
        ("channels:read", Tier::Read),
        ("groups:read", Tier::Read),
        ("users:read", Tier::Read),
        ("team:read", Tier::Read),
        ("emoji:read", Tier::Read),
        ("reactions:read", Tier::Read),
        ("identity.basic", Tier::Read),
        // Patterns
        ("admin.something_new:write", Tier::Admin),
        ("admin.something_new:read", Tier::SensitiveRead),
        ("widgets:write", Tier::Write),
        ("files:write:user", Tier::Write),
    ] {
        assert_eq!(slack.classify(scope), (tier, true), "slack {scope}");
    }
    assert!(slack.covers("chat:write.public", "chat:write"));
    assert_eq!(slack.classify("widgets:read"), (Tier::SensitiveRead, false));

    let sf = salesforce::scopes();
    for (scope, tier) in [
        ("full", Tier::Admin),
        ("api", Tier::Write),
        ("web", Tier::Write),
        ("visualforce", Tier::Write),
        ("chatter_api", Tier::Write),
        ("content", Tier::Write),
        ("lightning", Tier::Write),
        ("wave_api", Tier::Write),
        ("cdp_ingest_api", Tier::Write),
        ("pardot_api", Tier::Write),
        ("interaction_api", Tier::Write),
        ("mcp_api", Tier::Write),
        ("cdp_query_api", Tier::SensitiveRead),
        ("cdp_profile_api", Tier::SensitiveRead),
        ("eclair_api", Tier::SensitiveRead),
        ("custom_permissions", Tier::SensitiveRead),
        ("einstein_gpt_api", Tier::SensitiveRead),
        ("sfap_api", Tier::SensitiveRead),
        ("openid", Tier::Read),
        ("id", Tier::Read),
        ("profile", Tier::Read),
        ("email", Tier::Read),
        ("address", Tier::Read),
        ("phone", Tier::Read),
        ("refresh_token", Tier::Read),
        ("offline_access", Tier::Read),
    ] {
        assert_eq!(sf.classify(scope), (tier, true), "salesforce {scope}");
    }
    // Every scope Salesforce advertises (§6.4) is classified.
    for scope in "cdp_ingest_api custom_permissions cdp_segment_api content cdp_api chatbot_api \
                  cdp_identityresolution_api interaction_api wave_api web \
                  cdp_calculated_insight_api einstein_gpt_api offline_access id api eclair_api \
                  email pardot_api lightning visualforce cdp_query_api sfap_api address openid \
                  profile scrt_api cdp_profile_api refresh_token phone user_registration_api \
                  pwdless_login_api chatter_api mcp_api full forgot_password"
        .split_whitespace()
    {
        assert!(sf.classify(scope).1, "salesforce {scope} is unclassified");
    }
    assert!(sf.covers("full", "chatter_api"));
    assert!(!sf.covers("full", "refresh_token"));

    let atl = atlassian::scopes();
    for (scope, tier) in [
        ("ADMIN", Tier::Admin),
        ("PROJECT_ADMIN", Tier::Admin),
        ("SPACE_ADMIN", Tier::Admin),
        ("ACT_AS_USER", Tier::Admin),
        ("manage:jira-configuration", Tier::Admin),
        ("manage:confluence-configuration", Tier::Admin),
        ("manage:jira-project", Tier::Admin),
        ("delete:tokens:admin", Tier::Admin),
        ("WRITE", Tier::Write),
        ("DELETE", Tier::Write),
        ("write:jira-work", Tier::Write),
        ("write:confluence-content", Tier::Write),
        ("READ", Tier::SensitiveRead),
        ("ACCESS_EMAIL_ADDRESSES", Tier::SensitiveRead),
        ("read:jira-work", Tier::SensitiveRead),
        ("read:confluence-content.all", Tier::SensitiveRead),
        ("read:tokens:admin", Tier::SensitiveRead),
        ("read:jira-user", Tier::Read),
        ("read:me", Tier::Read),
        ("write:issue:jira", Tier::Write),
        ("write:user:admin", Tier::Admin),
    ] {
        assert_eq!(atl.classify(scope), (tier, true), "atlassian {scope}");
    }
    assert!(atl.covers("ADMIN", "READ"));
    assert!(!atl.covers("WRITE", "DELETE"));
}

// ------------------------------------------------------------------------------------------------
// Slack
// ------------------------------------------------------------------------------------------------

#[test]
fn slack_approved_apps_keep_approver_publisher_and_tiered_scopes() {
    let inv = read_clean("slack", &["approved_apps.json"]);
    let docs = native(&inv, "A0W7UKG8E");
    assert_eq!(docs.id, "slack:oauth_app:A0W7UKG8E");
    assert_eq!(docs.kind, Kind::OauthApp);
    assert_eq!(docs.name, "My Test App");
    assert!(docs.enabled && !docs.pending);
    assert_eq!(docs.ownership, Ownership::NotRecorded);
    assert_eq!(docs.usage, Usage::NotLoaded);
    assert_eq!(docs.approved_by.len(), 1);
    assert_eq!(docs.approved_by[0].id.as_deref(), Some("W0G82F4FD"));
    let publisher = docs.publisher.as_ref().unwrap();
    assert_eq!(
        (publisher.party, publisher.verified),
        (Party::ThirdParty, Some(false))
    );
    assert_eq!(docs.credential_control.rotate, Controller::Vendor);
    assert_eq!(docs.credential_control.revoke, Controller::Customer);
    let bot = grant(docs, "bot");
    assert_eq!((bot.tier, bot.classified), (Tier::Admin, true));
    assert!(bot.flagged_sensitive);
    assert_eq!(bot.resource.as_deref(), Some("bot token"));
    assert_eq!(bot.via, GrantVia::Direct);
    assert_eq!(bot.granted_at, Some(ts("2019-11-21T00:38:27Z")));
    assert!(
        docs.legacy
            .as_deref()
            .unwrap()
            .contains("classic Slack app")
    );

    let standup = native(&inv, "A04KXN7J1QZ");
    assert_eq!(standup.publisher.as_ref().unwrap().verified, Some(true));
    assert_eq!(grant(standup, "chat:write").tier, Tier::Write);
    assert_eq!(grant(standup, "channels:read").tier, Tier::Read);
    let history = grant(standup, "channels:history");
    assert_eq!(history.tier, Tier::SensitiveRead);
    assert!(history.flagged_sensitive);
    assert_eq!(standup.legacy, None);

    let internal = native(&inv, "A05PQ8R2MNV");
    assert_eq!(internal.party(), Party::Internal);
    assert_eq!(internal.credential_control.rotate, Controller::Customer);
    let admin = grant(internal, "admin.users:write");
    assert_eq!(admin.tier, Tier::Admin);
    assert_eq!(admin.via, GrantVia::Delegated { all_users: false });
    assert_eq!(admin.resource.as_deref(), Some("user token"));
    // Slack's sensitivity flag raises a read scope, never lowers anything.
    let reactions = grant(internal, "reactions:read");
    assert_eq!(reactions.tier, Tier::SensitiveRead);
    assert!(reactions.flagged_sensitive && reactions.classified);
    assert_eq!(internal.max_tier(), Some(Tier::Admin));
}

#[test]
fn slack_partial_records_are_still_read() {
    let inv = read_clean(
        "slack",
        &["approved_apps_partial.json", "restricted_apps_partial.json"],
    );
    let bare = native(&inv, "A08NONAME01");
    assert_eq!(bare.name, "A08NONAME01");
    assert!(bare.grants.is_empty() && bare.approved_by.is_empty());
    assert_eq!(bare.publisher.as_ref().unwrap().party, Party::Unknown);
    let names = native(&inv, "A08BARENAME");
    assert_eq!(grant(names, "chat:write").tier, Tier::Write);
    assert_eq!(grant(names, "files:write").tier, Tier::Write);
    let unknown = grant(names, "brand_new_scope:read");
    assert_eq!(
        (unknown.tier, unknown.classified),
        (Tier::SensitiveRead, false)
    );
    assert!(
        names.approved_by.is_empty(),
        "an approver without an id names nobody"
    );
    let slack_made = native(&inv, "A0BPARTIAL2");
    assert_eq!(slack_made.party(), Party::FirstParty);
    assert!(!slack_made.enabled);
}

#[test]
fn slack_restricted_apps_are_disabled_and_name_no_approver() {
    let inv = read_clean("slack", &["restricted_apps.json"]);
    let docs = native(&inv, "A0FDLP8M2L");
    assert!(!docs.enabled);
    assert!(docs.approved_by.is_empty());
    let files = grant(docs, "files:write:user");
    assert_eq!(files.tier, Tier::Write);
    assert_eq!(files.via, GrantVia::Delegated { all_users: false });
    assert_eq!(files.granted_at, Some(ts("2019-11-21T00:38:41Z")));
    let sync = native(&inv, "A09XFILESYNC");
    assert_eq!(grant(sync, "client").tier, Tier::Admin);
    assert!(sync.legacy.is_some());
}

#[test]
fn slack_requests_are_pending_and_owned_by_their_requester() {
    let inv = read_clean("slack", &["app_requests.json"]);
    let docs = native(&inv, "T0M94LNUCR/A061BL8RQ0");
    assert_eq!(docs.id, "slack:oauth_app:T0M94LNUCR/A061BL8RQ0");
    assert!(docs.is_known_as("A061BL8RQ0"));
    assert!(docs.pending);
    assert_eq!(docs.location.as_deref(), Some("T0M94LNUCR"));
    assert_eq!(docs.created_at, Some(ts("2020-01-13T22:58:47Z")));
    assert_eq!(owner_names(docs), ["janedoe@example.com"]);
    let owner = &docs.ownership.owners()[0];
    assert_eq!(owner.source, OwnerSource::Inferred);
    assert_eq!(owner.who.id.as_deref(), Some("W08RA9G5HR"));
    assert!(docs.approved_by.is_empty());
    assert_eq!(grant(docs, "incoming-webhook").tier, Tier::Write);

    let notes = native(&inv, "T0M94LNUCR/A0CNOTETAKR");
    assert_eq!(notes.max_tier(), Some(Tier::SensitiveRead.max(Tier::Write)));
    assert!(grant(notes, "im:history").flagged_sensitive);

    let partial = read_clean("slack", &["app_requests_partial.json"]);
    let nobody = native(&partial, "A0EPARTIAL1");
    assert_eq!(nobody.ownership, Ownership::NotLoaded);
    assert!(nobody.pending);
    let email_only = native(&partial, "A0EPARTIAL2");
    assert_eq!(owner_names(email_only), ["someone@example.com"]);
}

#[test]
fn slack_a_request_for_a_decided_app_joins_it_in_any_order() {
    let approved = br#"{"ok":true,"approved_apps":[{"app":{"id":"A061BL8RQ0","name":"Test App",
        "is_app_directory_approved":true,"is_internal":false},
        "scopes":[{"name":"chat:write","is_sensitive":false,"token_type":"bot"}],
        "date_updated":1600000000,"last_resolved_by":{"actor_id":"W0ADMIN01","actor_type":"user"}}]}"#
        .to_vec();
    let approved_source =
        "https://slack.com/api/admin.apps.approved.list?team_id=T0M94LNUCR&limit=100".to_string();
    let requests = bytes_of("slack", "app_requests.json");
    let requests_source = source_of("slack", "app_requests.json");
    let forward = collect_raw(&[
        (approved_source.clone(), approved.clone()),
        (requests_source.clone(), requests.clone()),
    ]);
    let backward = collect_raw(&[(requests_source, requests), (approved_source, approved)]);
    for inv in [&forward, &backward] {
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        let app = native(inv, "T0M94LNUCR/A061BL8RQ0");
        assert!(!app.pending, "the approval stands");
        assert!(app.enabled);
        assert_eq!(app.approved_by[0].name, "W0ADMIN01");
        assert_eq!(owner_names(app), ["janedoe@example.com"]);
        assert_eq!(app.ownership.owners()[0].source, OwnerSource::Inferred);
        assert_eq!(app.sources.len(), 2);
        // The other request stays pending on its own.
        assert!(native(inv, "T0M94LNUCR/A0CNOTETAKR").pending);
    }
    assert_eq!(forward.identities.len(), backward.identities.len());
}

#[test]
fn slack_two_requests_for_one_app_are_one_pending_identity() {
    let requests = br#"{"ok":true,"app_requests":[
        {"id":"Ar1","app":{"id":"A0SAME"},"user":{"id":"W1","email":"one@example.com"},
         "team":{"id":"T1"},"scopes":[{"name":"chat:write","token_type":"bot"}],"date_created":1700000000},
        {"id":"Ar2","app":{"id":"A0SAME"},"user":{"id":"W2","email":"two@example.com"},
         "team":{"id":"T1"},"scopes":[{"name":"files:read","token_type":"user"}],"date_created":1600000000}]}"#;
    let inv = collect_raw(&[("requests.json".into(), requests.to_vec())]);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert_eq!(inv.identities.len(), 1);
    let app = native(&inv, "T1/A0SAME");
    assert!(app.pending);
    assert_eq!(owner_names(app), ["one@example.com", "two@example.com"]);
    assert_eq!(app.created_at, timestamp::from_unix_seconds(1_600_000_000));
    assert_eq!(app.grants.len(), 2);
}

#[test]
fn slack_the_newest_decision_on_an_app_wins() {
    let approved =
        br#"{"ok":true,"approved_apps":[{"app":{"id":"A0FLIP"},"date_updated":1600000000}]}"#;
    let restricted =
        br#"{"ok":true,"restricted_apps":[{"app":{"id":"A0FLIP"},"date_updated":1700000000}]}"#;
    for order in [[0, 1], [1, 0]] {
        let all = [
            ("approved.json".to_string(), approved.to_vec()),
            ("restricted.json".to_string(), restricted.to_vec()),
        ];
        let inv = collect_raw(&[all[order[0]].clone(), all[order[1]].clone()]);
        let app = native(&inv, "A0FLIP");
        assert!(!app.enabled, "restricted later than approved");
        assert_eq!(app.sources.len(), 2);
    }
}

#[test]
fn slack_records_without_an_app_id_cost_only_themselves() {
    let inv = collect_raw(&[(
        "approved.json".into(),
        br#"{"ok":true,"approved_apps":[{"app":{"name":"no id"}},{"app":null},{"app":{"id":"A0OK"}},
            {"app":{"id":"A0BADDATE"},"date_updated":"soon"}]}"#
            .to_vec(),
    )]);
    assert_eq!(inv.identities.len(), 2);
    assert_eq!(inv.errors.len(), 3, "{:?}", inv.errors);
    assert!(
        inv.errors
            .iter()
            .any(|e| e.message.contains("date_updated"))
    );
}

#[test]
fn slack_rules_on_typical_data() {
    let report = scan(&fixture_inputs(
        "slack",
        &[
            "approved_apps.json",
            "restricted_apps.json",
            "app_requests.json",
        ],
    ));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // The classic third-party app from an unreviewed developer.
    assert_fires(
        &report,
        "slack:oauth_app:A0W7UKG8E",
        &["NL204", "NL301", "NL401", "NL402", "NL803"],
    );
    // The internal admin app: admin scopes, nobody on record as owner.
    assert_fires(&report, "slack:oauth_app:A05PQ8R2MNV", &["NL204", "NL301"]);
    // A Marketplace app with ordinary scopes: the vendor holds its tokens.
    assert_fires(&report, "slack:oauth_app:A04KXN7J1QZ", &["NL204", "NL402"]);
    assert!(!codes(&report, "slack:oauth_app:A04KXN7J1QZ").contains(&"NL301"));
    // Restricted apps hold no live access: no admin finding although they asked for `client`.
    assert!(!codes(&report, "slack:oauth_app:A09XFILESYNC").contains(&"NL301"));
    // A pending request is owned by its requester.
    let pending = codes(&report, "slack:oauth_app:T0M94LNUCR/A0CNOTETAKR");
    assert!(
        !pending.contains(&"NL204") && !pending.contains(&"NL203"),
        "{pending:?}"
    );
}

// ------------------------------------------------------------------------------------------------
// Salesforce
// ------------------------------------------------------------------------------------------------

#[test]
fn salesforce_tokens_become_one_app_per_connected_app() {
    let inv = read_clean("salesforce", &["oauth_tokens.json"]);
    assert_eq!(inv.identities.len(), 3);
    let outlook = native(&inv, "0PpDn000000Ab1xKAC");
    assert_eq!(outlook.id, "salesforce:oauth_app:0PpDn000000Ab1xKAC");
    assert_eq!(outlook.kind, Kind::OauthApp);
    assert_eq!(outlook.name, "Salesforce for Outlook");
    // The users who authorized it approved it; the app's owner is not in OauthToken.
    assert_eq!(outlook.ownership, Ownership::NotLoaded);
    let approvers: Vec<_> = outlook
        .approved_by
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(approvers, ["005Dn000001AbCdIAK", "005Dn000001EfGhIAK"]);
    assert_eq!(outlook.created_at, Some(ts("2023-02-14T09:12:44Z")));
    let (at, source, precision) = used(&outlook.usage);
    assert_eq!(at, ts("2026-11-27T16:40:02Z"));
    assert_eq!((source, precision), ("LastUsedDate", Precision::Exact));
    assert_eq!(outlook.credentials.len(), 3);
    for token in &outlook.credentials {
        assert_eq!(token.kind, CredentialKind::Token);
        assert_eq!(
            token.expiry,
            Expiry::Unknown,
            "no expiry without the app's policy"
        );
        assert!(token.active);
    }
    let first = &outlook.credentials[0];
    assert_eq!(first.created_at, Some(ts("2023-02-14T09:12:44Z")));
    assert!(first.label.as_deref().unwrap().contains("4180 uses"));
    assert_eq!(used(&first.usage).0, ts("2026-11-27T16:40:02Z"));
    assert_eq!(outlook.credential_control.revoke, Controller::Customer);
    let unknown = &outlook.grants[0];
    assert_eq!(
        (unknown.tier, unknown.classified),
        (Tier::SensitiveRead, false)
    );

    let zapier = native(&inv, "0PpDn000000Ef3zKAC");
    assert!(
        matches!(zapier.usage, Usage::Never { .. }),
        "{:?}",
        zapier.usage
    );
    assert!(
        zapier
            .credentials
            .iter()
            .all(|c| matches!(c.usage, Usage::Never { .. }))
    );
}

#[test]
fn salesforce_pages_and_exports_join_per_app() {
    let inv = read_clean(
        "salesforce",
        &[
            "oauth_tokens.json",
            "oauth_tokens_page2.json",
            "oauth_tokens_csv_page2.csv",
        ],
    );
    assert_eq!(inv.identities.len(), 4);
    let outlook = native(&inv, "0PpDn000000Ab1xKAC");
    assert_eq!(outlook.approved_by.len(), 3);
    assert_eq!(
        outlook.credentials.len(),
        5,
        "the same token in JSON and CSV counts twice"
    );
    assert_eq!(used(&outlook.usage).0, ts("2026-11-28T09:00:00Z"));
    assert_eq!(outlook.sources.len(), 3);

    // A query without AppMenuItemId joins the app by its label.
    let by_label = b"AppName,UserId,CreatedDate,LastUsedDate,UseCount\n\
        Tableau,005Dn000001ZzZzIAK,2025-06-01T00:00:00.000Z,2026-11-10T00:00:00.000Z,4\n"
        .to_vec();
    let mut inputs = fixture_inputs("salesforce", &["oauth_tokens_page2.json"]);
    inputs.push(("tableau-users.csv".into(), by_label));
    let inv = collect_raw(&inputs);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let tableau = native(&inv, "0PpDn000000Gh4aKAC");
    assert_eq!(tableau.approved_by.len(), 2);
    assert_eq!(inv.identities.len(), 2);
}

#[test]
fn salesforce_csv_exports_read_like_the_query() {
    let inv = read_clean("salesforce", &["oauth_tokens_csv.csv"]);
    let outlook = native(&inv, "0PpDn000000Ab1xKAC");
    assert_eq!(outlook.approved_by.len(), 2);
    assert_eq!(outlook.created_at, Some(ts("2023-02-14T09:12:44Z")));
    let zapier = native(&inv, "0PpDn000000Ef3zKAC");
    assert!(
        matches!(zapier.usage, Usage::Never { .. }),
        "an empty cell is no use"
    );

    // `sf data query --result-format csv` with the user's name selected.
    let named = collect_raw(&[(
        "sf-query.csv".into(),
        b"AppName,AppMenuItemId,UserId,User.Username,CreatedDate,LastUsedDate,UseCount\n\
          Tableau,0PpDn000000Gh4aKAC,005Dn000001YzAbIAK,ana.silva@acme.example,\
          2025-05-05T05:05:05.000+0000,2026-11-01T12:00:00.000+0000,65\n"
            .to_vec(),
    )]);
    assert!(named.errors.is_empty(), "{:?}", named.errors);
    let tableau = native(&named, "0PpDn000000Gh4aKAC");
    assert_eq!(tableau.approved_by[0].name, "ana.silva@acme.example");
    assert_eq!(
        tableau.approved_by[0].id.as_deref(),
        Some("005Dn000001YzAbIAK")
    );
    assert_eq!(used(&tableau.usage).0, ts("2026-11-01T12:00:00Z"));

    let partial = read_clean("salesforce", &["oauth_tokens_csv_partial.csv"]);
    let legacy = native(&partial, "Legacy Integration");
    assert_eq!(
        legacy.usage,
        Usage::NotLoaded,
        "no LastUsedDate column: not loaded"
    );
    assert_eq!(legacy.approved_by.len(), 1);
    assert_eq!(legacy.created_at, Some(ts("2020-03-03T03:03:03Z")));
}

#[test]
fn salesforce_partial_rows_are_kept() {
    let inv = read_clean("salesforce", &["oauth_tokens_partial.json"]);
    let legacy = native(&inv, "Legacy Integration");
    assert_eq!(legacy.credentials.len(), 2);
    assert_eq!(legacy.approved_by.len(), 1);
    // One token never used (LastUsedDate null), one with no LastUsedDate at all: not "never".
    assert_eq!(legacy.usage, Usage::NotLoaded);
    let item_only = native(&inv, "0PpDn000000Ij5bKAC");
    assert_eq!(item_only.name, "0PpDn000000Ij5bKAC");
    assert_eq!(used(&item_only.usage).0, ts("2021-02-01T00:00:00Z"));
    let undated = native(&inv, "No dates");
    assert_eq!(undated.created_at, None);
    assert_eq!(undated.usage, Usage::NotLoaded);
}

#[test]
fn salesforce_a_result_at_the_query_limit_is_reported_not_undercounted_silently() {
    let page = br#"{"totalSize": 2731, "done": false,
        "nextRecordsUrl": "/services/data/v60.0/query/01gDn00000AbCdE-500",
        "records": [{"attributes": {"type": "OauthToken"}, "AppName": "Big App",
                     "UserId": "005Dn000001AbCdIAK", "UseCount": 1}]}"#;
    let inv = collect_raw(&[("page1.json".into(), page.to_vec())]);
    assert_eq!(inv.identities.len(), 1, "what was read is still reported");
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    let message = &inv.errors[0].message;
    assert!(message.contains("truncated"), "{message}");
    assert!(
        message.contains("SELECT COUNT() FROM OauthToken"),
        "{message}"
    );
    assert!(message.contains("2731"), "{message}");

    let at_limit = br#"{"totalSize": 2500, "done": true, "records": [
        {"attributes": {"type": "OauthToken"}, "AppName": "Big App", "UserId": "005Dn000001AbCdIAK"}]}"#;
    let inv = collect_raw(&[("all.json".into(), at_limit.to_vec())]);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);

    let mut csv = String::from("AppName,UserId,UseCount\n");
    for n in 0..2500 {
        csv.push_str(&format!("Big App,005Dn{n:013},1\n"));
    }
    let inv = collect_raw(&[("export.csv".into(), csv.into_bytes())]);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert_eq!(native(&inv, "Big App").approved_by.len(), 2500);
}

#[test]
fn salesforce_a_page_that_says_more_rows_follow_but_not_where_is_reported() {
    // A page cut from its cursor (a console's copy, a hand-made export): `done` false, no
    // `nextRecordsUrl`. Under the query limit, so only `done` says rows are missing.
    let cut = br#"{"totalSize": 700, "done": false, "records": [
        {"attributes": {"type": "OauthToken"}, "AppName": "Some App", "UserId": "005Dn000001AbCdIAK"}]}"#;
    let inv = collect_raw(&[("cut.json".into(), cut.to_vec())]);
    assert_eq!(inv.identities.len(), 1, "what was read is still reported");
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    let message = &inv.errors[0].message;
    assert!(message.contains("done is false"), "{message}");
    assert!(message.contains("totalSize 700, 1 read here"), "{message}");

    // The last page, and a whole result in one page, say nothing.
    for whole in [
        br#"{"totalSize": 1, "done": true, "records": [{"attributes": {"type": "OauthToken"}, "AppName": "Some App", "UserId": "005Dn000001AbCdIAK"}]}"#.as_slice(),
        br#"{"totalSize": 1, "records": [{"attributes": {"type": "OauthToken"}, "AppName": "Some App", "UserId": "005Dn000001AbCdIAK"}]}"#.as_slice(),
    ] {
        let inv = collect_raw(&[("whole.json".into(), whole.to_vec())]);
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    }
}

#[test]
fn salesforce_rules_on_typical_data() {
    let report = scan(&fixture_inputs("salesforce", &["oauth_tokens.json"]));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // Three live refresh tokens, the oldest from 2023.
    assert_fires(
        &report,
        "salesforce:oauth_app:0PpDn000000Ab1xKAC",
        &["NL102", "NL105"],
    );
    // Last used January 2025.
    assert_fires(
        &report,
        "salesforce:oauth_app:0PpDn000000Cd2yKAC",
        &["NL102", "NL201"],
    );
    // Never used since April 2024.
    assert!(codes(&report, "salesforce:oauth_app:0PpDn000000Ef3zKAC").contains(&"NL201"));
}

// ------------------------------------------------------------------------------------------------
// Atlassian
// ------------------------------------------------------------------------------------------------

#[test]
fn atlassian_org_tokens_keep_owner_expiry_status_and_last_use() {
    let inv = read_clean("atlassian", &["api_tokens.json"]);
    let release = native(&inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    assert_eq!(
        release.id,
        "atlassian:api_token:6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(release.kind, Kind::ApiToken);
    assert_eq!(release.name, "jira-release-script");
    assert_eq!(
        release.location.as_deref(),
        Some("0a1b2c3d-4e5f-6789-abcd-ef0123456789")
    );
    assert_eq!(owner_names(release), ["mia@example.com"]);
    let owner = &release.ownership.owners()[0];
    assert_eq!(owner.source, OwnerSource::Explicit);
    assert_eq!(owner.who.id.as_deref(), Some("5b10ac8d82e05b22cc7d4ef5"));
    assert_eq!(release.created_at, Some(ts("2025-03-10T09:15:00Z")));
    let (at, source, _) = used(&release.usage);
    assert_eq!((at, source), (ts("2026-02-27T22:41:09Z"), "lastActiveAt"));
    let token = &release.credentials[0];
    assert_eq!(
        token.id.as_deref(),
        Some("6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b")
    );
    assert_eq!(
        token.expiry,
        Expiry::At {
            at: ts("2026-03-10T09:15:00Z")
        }
    );
    assert!(release.enabled && token.active);
    let full = grant(release, "full access of the owning user");
    assert_eq!((full.tier, full.classified), (Tier::SensitiveRead, false));

    let export = native(&inv, "7b2e8d3f-4c5e-4f60-9bac-1d2e3f4a5b6c");
    assert!(matches!(export.usage, Usage::Never { .. }));

    let blocked = native(&inv, "8c3f9e40-5d6f-4071-8cbd-2e3f4a5b6c7d");
    assert!(!blocked.enabled);
    assert!(!blocked.credentials[0].active);

    let partial = read_clean("atlassian", &["api_tokens_partial.json"]);
    let no_user = native(&partial, "ae5b1062-7f81-4293-aedf-4a5b6c7d8e9f");
    assert_eq!(no_user.ownership, Ownership::NotLoaded);
    assert_eq!(no_user.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(no_user.usage, Usage::NotLoaded);
    assert!(no_user.enabled);
    let id_only = native(&partial, "bf6c2173-8092-43a4-bfe0-5b6c7d8e9fa0");
    assert_eq!(owner_names(id_only), ["62b3c4d5e6f7001234567890"]);
    assert_eq!(
        id_only.name,
        "API token bf6c2173-8092-43a4-bfe0-5b6c7d8e9fa0"
    );
}

#[test]
fn atlassian_per_user_tokens_take_their_owner_from_the_request() {
    let inv = read_clean(
        "atlassian",
        &["users_5b10ac8d82e05b22cc7d4ef5_manage_api-tokens.json"],
    );
    let addon = native(&inv, "c07d3284-91a3-44b5-8f01-6c7d8e9fa0b1");
    assert_eq!(addon.name, "My Addon");
    assert_eq!(owner_names(addon), ["5b10ac8d82e05b22cc7d4ef5"]);
    assert_eq!(addon.ownership.owners()[0].source, OwnerSource::Explicit);
    assert_eq!(addon.created_at, Some(ts("2015-04-12T23:20:50.522Z")));
    let (at, source, _) = used(&addon.usage);
    assert_eq!((at, source), (ts("2015-05-12T20:20:50.521Z"), "lastAccess"));
    assert_eq!(
        addon.credentials[0].expiry,
        Expiry::At {
            at: ts("2025-03-19T00:00:00Z")
        }
    );

    let from_url = collect_raw(&[(
        "https://api.atlassian.com/users/557058:f58131cb-b67d-43c7-b30d-6b58d40bd077/manage/api-tokens"
            .into(),
        bytes_of("atlassian", "users_5b10ac8d82e05b22cc7d4ef5_manage_api-tokens.json"),
    )]);
    assert_eq!(
        owner_names(native(&from_url, "c07d3284-91a3-44b5-8f01-6c7d8e9fa0b1")),
        ["557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"]
    );

    let partial = read_clean("atlassian", &["user_api_tokens_partial.json"]);
    let unnamed = native(&partial, "d18e4395-a2b4-45c6-9012-7d8e9fa0b1c2");
    assert_eq!(
        unnamed.ownership,
        Ownership::NotLoaded,
        "no account in the source"
    );
    assert_eq!(unnamed.usage, Usage::NotLoaded);
    let never = native(&partial, "e29f54a6-b3c5-46d7-a123-8e9fa0b1c2d3");
    assert!(matches!(never.usage, Usage::Never { .. }));
}

#[test]
fn atlassian_both_views_of_a_token_are_one_identity_in_any_order() {
    let files = [
        "api_tokens.json",
        "users_5b10ac8d82e05b22cc7d4ef5_manage_api-tokens.json",
    ];
    let forward = read_clean("atlassian", &files);
    let backward = read_clean("atlassian", &[files[1], files[0]]);
    for inv in [&forward, &backward] {
        assert_eq!(inv.identities.len(), 4);
        let release = native(inv, "6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(release.sources.len(), 2);
        // The organisation's view names the owner by e-mail; the newer use wins.
        assert_eq!(owner_names(release), ["mia@example.com"]);
        assert_eq!(used(&release.usage).0, ts("2026-02-28T07:12:00Z"));
        assert_eq!(release.credentials.len(), 1);
        assert!(release.enabled);
    }
}

#[test]
fn atlassian_rules_on_typical_data() {
    let report = scan(&fixture_inputs(
        "atlassian",
        &[
            "api_tokens.json",
            "users_5b10ac8d82e05b22cc7d4ef5_manage_api-tokens.json",
        ],
    ));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // Expired in March, idle since February, still listed: to clean up, no longer dormant
    // access (it signs nobody in).
    let expired = "atlassian:api_token:6a1f7c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    assert_fires(&report, expired, &["NL103"]);
    assert!(!codes(&report, expired).contains(&"NL201"));
    // Created in January, never used.
    assert_fires(
        &report,
        "atlassian:api_token:7b2e8d3f-4c5e-4f60-9bac-1d2e3f4a5b6c",
        &["NL201"],
    );
    // A blocked token is refused: not dormant, whatever its dates.
    assert!(
        !codes(
            &report,
            "atlassian:api_token:8c3f9e40-5d6f-4071-8cbd-2e3f4a5b6c7d"
        )
        .contains(&"NL201")
    );
}

// ------------------------------------------------------------------------------------------------
// Secrets
// ------------------------------------------------------------------------------------------------

#[test]
fn secret_values_never_reach_the_report() {
    let mut inputs = fixture_inputs("slack", &["secret_markers.json"]);
    inputs.extend(fixture_inputs(
        "salesforce",
        &["secret_markers.json", "secret_markers.csv"],
    ));
    inputs.extend(fixture_inputs("atlassian", &["secret_markers.json"]));
    let report = scan(&inputs);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.assessments().len(), 4);
    let json = report::to_json(&report).to_string();
    for (platform, marker) in [
        (Platform::Slack, "FAKE-SECRET-MARKER-S"),
        (Platform::Salesforce, "FAKE-SECRET-MARKER-F"),
        (Platform::Salesforce, "FAKE-SECRET-MARKER-C"),
        (Platform::Atlassian, "FAKE-SECRET-MARKER-A"),
    ] {
        assert!(!json.contains(marker), "{platform:?} leaked {marker}");
    }
    assert!(!json.contains("FAKE-SECRET-MARKER"));
    // The markers were there to be dropped.
    for (folder, file) in [
        ("slack", "secret_markers.json"),
        ("salesforce", "secret_markers.json"),
        ("salesforce", "secret_markers.csv"),
        ("atlassian", "secret_markers.json"),
    ] {
        assert!(
            String::from_utf8(bytes_of(folder, file))
                .unwrap()
                .contains("FAKE-SECRET-MARKER")
        );
    }
}
