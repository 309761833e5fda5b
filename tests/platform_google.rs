//! Google Workspace and Google Cloud IAM: what each format makes of its fixtures, how the inputs
//! join (tokens of several users, the Admin console's app lists and the domain-wide delegation
//! page into one identity per OAuth client; service accounts with their keys and delegation), and
//! the rules that fire on typical data.

use std::path::{Path, PathBuf};

use nhi_lens::ingest::probe::probe;
use nhi_lens::ingest::{Collector, Inventory, detect};
use nhi_lens::model::{
    AccountStatus, Controller, CredentialControl, Expiry, Grant, GrantVia, Identity, Kind,
    OwnerSource, Ownership, Party, Reach, Tier, Timestamp, Usage,
};
use nhi_lens::platforms::{self, google};
use nhi_lens::{Policy, report, timestamp};
use serde::Deserialize;

const DIR: &str = "google";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn source_of(file: &str) -> String {
    format!("tests/fixtures/{DIR}/{file}")
}

fn bytes_of(file: &str) -> Vec<u8> {
    let path = fixtures().join(DIR).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

fn read_clean(files: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for file in files {
        collector.add(&source_of(file), &bytes_of(file));
    }
    let inventory = collector.finish();
    assert!(
        inventory.errors.is_empty(),
        "errors reading {files:?}: {:#?}",
        inventory.errors
    );
    inventory
}

fn read_bytes(inputs: &[(&str, &[u8])]) -> Inventory {
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
    assert_eq!(
        found.len(),
        1,
        "expected one identity {id}, found {}: {:?}",
        found.len(),
        inventory
            .identities
            .iter()
            .map(|i| &i.id)
            .collect::<Vec<_>>()
    );
    found[0]
}

fn grant<'a>(identity: &'a Identity, name: &str, via: GrantVia) -> &'a Grant {
    identity
        .grants
        .iter()
        .find(|g| g.name == name && g.via == via)
        .unwrap_or_else(|| {
            panic!(
                "{} has no grant {name} via {via:?}: {:?}",
                identity.id,
                identity
                    .grants
                    .iter()
                    .map(|g| (&g.name, g.via))
                    .collect::<Vec<_>>()
            )
        })
}

fn has_source(identity: &Identity, file: &str) -> bool {
    identity.sources.iter().any(|s| **s == source_of(file))
}

const USER: GrantVia = GrantVia::Delegated { all_users: false };
const DWD: GrantVia = GrantVia::DomainWide;

const CALENDLY: &str = "408912587736-3qj0k4p9ckn4ah6t6m3so3bq1u1v7l2p.apps.googleusercontent.com";
const BACKUPIFY: &str = "950251347283-u8g1jhv3pt5o0m7f1sbb4m2bq9k2d6vi.apps.googleusercontent.com";
const PDF_TOOLBOX: &str =
    "663270412905-bs8q0c7m4v2ejq6e1o9tkf3h5l8n0ad2.apps.googleusercontent.com";
const OLD_SURVEY: &str = "519347780112-7hn2c5k0p4s9vq1m3x6b8d0f2j4l6r8t.apps.googleusercontent.com";
const PAYROLL: &str = "881044726390-pr0l5c4k3j2h1g0f9e8d7c6b5a4z3y2x.apps.googleusercontent.com";
const CHROME: &str = "77185425430.apps.googleusercontent.com";
const BACKUP_RUNNER: &str = "backup-runner@example-prod.iam.gserviceaccount.com";
const CI_DEPLOYER: &str = "ci-deployer@example-prod.iam.gserviceaccount.com";

// ------------------------------------------------------------------------------------------------
// The manifest, for this platform alone
// ------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct Manifest {
    fixture: Vec<Entry>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Entry {
    file: String,
    format: String,
    doc: String,
    identities: Option<usize>,
    note: Option<String>,
}

#[test]
fn every_google_fixture_is_claimed_by_its_format_alone_and_reads_cleanly() {
    let text = std::fs::read_to_string(fixtures().join(DIR).join("fixtures.toml")).unwrap();
    let manifest: Manifest = toml::from_str(&text).unwrap();
    let mut problems = Vec::new();
    for entry in &manifest.fixture {
        let bytes = bytes_of(&entry.file);
        let shape = probe(&bytes).unwrap_or_else(|e| panic!("{}: {}", entry.file, e.0));
        let claimed: Vec<&str> = platforms::formats()
            .filter(|f| (f.detect)(&shape))
            .map(|f| f.id)
            .collect();
        let expected: Vec<&str> = if entry.format == "empty" {
            vec![]
        } else {
            vec![entry.format.as_str()]
        };
        if claimed != expected {
            problems.push(format!("{}: claimed by {claimed:?}", entry.file));
        }
        assert_eq!(detect(&shape).map(|f| f.id), expected.first().copied());
        let inv = read_bytes(&[(&source_of(&entry.file), &bytes)]);
        if !inv.errors.is_empty() {
            problems.push(format!("{}: {:?}", entry.file, inv.errors));
        }
        if let Some(want) = entry.identities
            && inv.identities.len() != want
        {
            problems.push(format!(
                "{}: {} identities, expected {want}",
                entry.file,
                inv.identities.len()
            ));
        }
        for identity in &inv.identities {
            if !has_source(identity, &entry.file) {
                problems.push(format!("{}: {} lacks its source", entry.file, identity.id));
            }
        }
    }
    let files: Vec<String> = std::fs::read_dir(fixtures().join(DIR))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f != "fixtures.toml")
        .collect();
    for file in files {
        if !manifest.fixture.iter().any(|e| e.file == file) {
            problems.push(format!("{file} is not in fixtures.toml"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn cut_or_altered_google_fixtures_never_panic() {
    for entry in std::fs::read_dir(fixtures().join(DIR)).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for cut in (1..bytes.len()).step_by(89) {
            let _ = read_bytes(&[("cut", &bytes[..cut])]);
            let mut changed = bytes.clone();
            changed[cut] = b"<>\",\n\0{"[cut % 7];
            let _ = read_bytes(&[("changed", &changed)]);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Directory API tokens
// ------------------------------------------------------------------------------------------------

#[test]
fn tokens_of_several_users_join_into_one_identity_per_client() {
    let inv = read_clean(&["tokens.json", "tokens_page2.json", "users.json"]);
    assert_eq!(inv.identities.len(), 4, "Calendly is shared by both users");

    let calendly = native(&inv, CALENDLY);
    assert_eq!(calendly.kind, Kind::OauthApp);
    assert_eq!(calendly.id, format!("google:oauth_app:{CALENDLY}"));
    assert_eq!(calendly.name, "Calendly");
    assert_eq!(calendly.client_id.as_deref(), Some(CALENDLY));
    assert!(!calendly.human);
    // Who granted it, named and given a status from the users list; never the owner.
    let approvers: Vec<(&str, Option<&str>, AccountStatus)> = calendly
        .approved_by
        .iter()
        .map(|p| (p.name.as_str(), p.id.as_deref(), p.status))
        .collect();
    assert_eq!(
        approvers,
        [
            (
                "Ann Lee",
                Some("103985827182390125834"),
                AccountStatus::Active
            ),
            (
                "Bo Chen",
                Some("117293810473829106473"),
                AccountStatus::Disabled
            ),
        ]
    );
    assert_eq!(calendly.ownership, Ownership::NotRecorded);
    assert_eq!(calendly.usage, Usage::NotRecorded);
    assert_eq!(calendly.created_at, None);
    assert!(calendly.credentials.is_empty());
    assert_eq!(
        calendly.location.as_deref(),
        Some("granted by 2 users"),
        "the user count is evidence"
    );
    // The union of both users' scopes, named without the URL prefix.
    let names: Vec<&str> = calendly.grants.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        ["calendar", "userinfo.email", "openid", "calendar.events"]
    );
    assert_eq!(grant(calendly, "calendar", USER).tier, Tier::Write);
    assert_eq!(grant(calendly, "userinfo.email", USER).tier, Tier::Read);
    assert!(calendly.grants.iter().all(|g| g.classified));
    let publisher = calendly.publisher.as_ref().unwrap();
    assert_eq!(publisher.party, Party::ThirdParty);
    assert_eq!(publisher.verified, None, "tokens do not say");
    assert!(!publisher.anonymous);
    assert_eq!(
        calendly.credential_control,
        CredentialControl {
            rotate: Controller::Vendor,
            revoke: Controller::Customer
        }
    );
    assert!(has_source(calendly, "tokens.json") && has_source(calendly, "tokens_page2.json"));

    let backupify = native(&inv, BACKUPIFY);
    assert_eq!(grant(backupify, "drive", USER).tier, Tier::Write);
    assert_eq!(
        grant(backupify, "gmail.readonly", USER).tier,
        Tier::SensitiveRead
    );
    assert_eq!(backupify.approved_by.len(), 1);
    assert_eq!(backupify.approved_by[0].name, "Bo Chen");
}

#[test]
fn google_clients_are_first_party_and_anonymous_clients_marked() {
    let inv = read_clean(&["tokens.json"]);
    let chrome = native(&inv, CHROME);
    assert_eq!(chrome.party(), Party::FirstParty);
    assert_eq!(chrome.ownership.owners()[0].source, OwnerSource::Vendor);
    assert_eq!(chrome.ownership.owners()[0].who.name, "Google");
    assert_eq!(
        chrome.location.as_deref(),
        Some("granted by 1 user; installed (native) app")
    );
    let login = grant(chrome, "https://www.google.com/accounts/OAuthLogin", USER);
    assert_eq!(
        (login.tier, login.classified),
        (Tier::SensitiveRead, false),
        "unknown scopes are kept as sensitive-read, unclassified"
    );

    let anonymous = native(&inv, "anonymous#MailMerge Helper");
    assert_eq!(
        anonymous.client_id, None,
        "the placeholder client ID of unregistered clients is not a client to match on"
    );
    let publisher = anonymous.publisher.as_ref().unwrap();
    assert!(publisher.anonymous);
    assert_eq!(
        publisher.verified, None,
        "NL403 speaks for unregistered clients"
    );
    assert_eq!(publisher.party, Party::ThirdParty);
    assert_eq!(
        grant(anonymous, "https://mail.google.com/", USER).tier,
        Tier::Admin
    );
    assert_eq!(grant(anonymous, "spreadsheets", USER).tier, Tier::Write);
    // Without the users list, a granting user is known by ID only.
    assert_eq!(anonymous.approved_by[0].name, "103985827182390125834");
    assert_eq!(anonymous.approved_by[0].status, AccountStatus::Unknown);
}

#[test]
fn tokens_with_fields_missing_are_still_read() {
    let inv = read_clean(&["tokens_partial.json", "tokens_empty.json"]);
    assert_eq!(inv.identities.len(), 2);
    let bare = native(
        &inv,
        "284113870145-k9r8c5t1b2m3n4v5c6x7z8l9k0j1h2g3.apps.googleusercontent.com",
    );
    assert_eq!(
        bare.name, bare.native_id,
        "no displayText: named by client ID"
    );
    assert!(bare.grants.is_empty());
    assert!(bare.approved_by.is_empty());
    assert_eq!(
        bare.location.as_deref(),
        Some("granted by users not named in the tokens read")
    );
    let gcloud = native(&inv, "32555940559.apps.googleusercontent.com");
    assert_eq!(gcloud.party(), Party::FirstParty);
    assert_eq!(grant(gcloud, "cloud-platform", USER).tier, Tier::Admin);
}

// ------------------------------------------------------------------------------------------------
// The Admin console's app list export
// ------------------------------------------------------------------------------------------------

#[test]
fn the_app_list_export_gives_verification_access_users_and_scopes() {
    let inv = read_clean(&[
        "accessed_apps.csv",
        "configured_apps.csv",
        "accessed_apps_page2.csv",
    ]);
    assert_eq!(inv.identities.len(), 7);

    let pdf = native(&inv, PDF_TOOLBOX);
    assert_eq!(pdf.name, "PDF Toolbox Pro");
    let publisher = pdf.publisher.as_ref().unwrap();
    assert_eq!(
        (publisher.verified, publisher.party),
        (Some(false), Party::ThirdParty)
    );
    assert_eq!(
        pdf.location.as_deref(),
        Some("16 users in the Admin console; Web application; access: Limited"),
        "two exports: the larger user count"
    );
    // The accessed-apps export names services, not scopes: kept, unclassified.
    let drive = grant(pdf, "Drive (requested service)", USER);
    assert_eq!((drive.tier, drive.classified), (Tier::SensitiveRead, false));
    assert!(has_source(pdf, "accessed_apps.csv") && has_source(pdf, "accessed_apps_page2.csv"));

    let backupify = native(&inv, BACKUPIFY);
    assert_eq!(backupify.publisher.as_ref().unwrap().verified, Some(true));
    assert_eq!(grant(backupify, "drive", USER).tier, Tier::Write);
    assert_eq!(
        grant(backupify, "admin.directory.user.readonly", USER).tier,
        Tier::SensitiveRead
    );
    assert!(
        !backupify
            .grants
            .iter()
            .any(|g| g.name.contains("requested service")),
        "scopes, when given, replace services"
    );

    let blocked = native(&inv, OLD_SURVEY);
    assert!(!blocked.enabled, "blocked everywhere");

    let payroll = native(&inv, PAYROLL);
    assert_eq!(payroll.party(), Party::Internal);
    assert_eq!(payroll.credential_control, CredentialControl::CUSTOMER);
    assert_eq!(
        grant(payroll, "admin.directory.user", USER).tier,
        Tier::Admin
    );

    let mobile = native(
        &inv,
        "725190348861-ios3k9m2n7b4v1c8x5z0q6w3e9r2t5y8.apps.googleusercontent.com",
    );
    assert!(
        mobile
            .location
            .as_deref()
            .unwrap()
            .starts_with("1204 users in the Admin console; iOS")
    );
}

#[test]
fn app_list_rows_join_the_tokens_of_the_same_client() {
    let inv = read_clean(&["tokens.json", "accessed_apps.csv"]);
    let calendly = native(&inv, CALENDLY);
    assert!(has_source(calendly, "tokens.json") && has_source(calendly, "accessed_apps.csv"));
    assert_eq!(calendly.publisher.as_ref().unwrap().verified, Some(true));
    assert_eq!(
        calendly.location.as_deref(),
        Some("granted by 1 user; 2 users in the Admin console; Web application; access: Limited")
    );
    // The tokens' scopes win over the export's service names.
    assert!(calendly.grants.iter().all(|g| g.classified));
}

#[test]
fn an_app_list_with_few_columns_is_still_read() {
    let inv = read_clean(&["accessed_apps_partial.csv", "accessed_apps_empty.csv"]);
    assert_eq!(inv.identities.len(), 2);
    let zapier = native(
        &inv,
        "319583024761-z4p1er9k8j7h6g5f4d3s2a1q0w9e8r7t.apps.googleusercontent.com",
    );
    assert_eq!(zapier.name, "Zapier");
    assert_eq!(zapier.publisher.as_ref().unwrap().verified, None);
    assert!(zapier.grants.is_empty());
    assert_eq!(zapier.location, None);
}

// ------------------------------------------------------------------------------------------------
// Domain-wide delegation
// ------------------------------------------------------------------------------------------------

#[test]
fn delegation_grants_are_admin_on_every_user_and_join_service_accounts_and_clients() {
    let inv = read_clean(&[
        "service_accounts.json",
        "domain_wide_delegation.html",
        "domain_wide_delegation_page2.html",
        "tokens_page2.json",
    ]);
    // The service account whose oauth2ClientId is on the page is one identity, not two.
    let runner = native(&inv, BACKUP_RUNNER);
    assert_eq!(runner.kind, Kind::ServiceAccount);
    assert!(
        !inv.identities
            .iter()
            .any(|i| i.native_id == "104758290123456789012")
    );
    assert!(
        runner
            .aliases
            .contains(&"104758290123456789012".to_string())
    );
    assert_eq!(runner.reach, Reach::All);
    for scope in ["gmail.readonly", "drive", "admin.directory.user.readonly"] {
        let g = grant(runner, scope, DWD);
        assert_eq!(g.tier, Tier::Admin, "{scope}");
        assert!(g.classified);
        assert_eq!(
            g.resource.as_deref(),
            Some("every user (domain-wide delegation)")
        );
    }
    assert!(has_source(runner, "domain_wide_delegation.html"));
    assert_eq!(
        runner.location.as_deref(),
        Some("project example-prod (keys not loaded); domain-wide delegation")
    );

    let ci = native(&inv, CI_DEPLOYER);
    assert_eq!(grant(ci, "cloud-platform", DWD).tier, Tier::Admin);

    // An OAuth client both granted by a user and delegated: one identity with both kinds.
    let backupify = native(&inv, BACKUPIFY);
    assert_eq!(backupify.kind, Kind::OauthApp);
    assert_eq!(grant(backupify, "drive", USER).tier, Tier::Write);
    assert_eq!(grant(backupify, "drive", DWD).tier, Tier::Admin);
    assert_eq!(
        grant(backupify, "https://mail.google.com/", DWD).tier,
        Tier::Admin
    );
    assert_eq!(backupify.reach, Reach::All);

    let signatures = native(
        &inv,
        "339211578804-s1gn4tur3m4n4g3rk9j8h7g6f5d4s3a2q.apps.googleusercontent.com",
    );
    assert_eq!(signatures.name, "Signature Manager");
    assert_eq!(
        signatures.party(),
        Party::Unknown,
        "only on the delegation page"
    );
    assert_eq!(
        grant(signatures, "gmail.settings.sharing", DWD).tier,
        Tier::Admin
    );

    let rooms = native(&inv, "117733990011224466880");
    assert_eq!(
        rooms.kind,
        Kind::OauthApp,
        "no service account listed with it"
    );
    assert!(
        rooms
            .location
            .as_deref()
            .unwrap()
            .contains("a service account's client ID")
    );
}

#[test]
fn delegation_pages_without_header_or_names_are_read() {
    let inv = read_clean(&[
        "domain_wide_delegation_partial.html",
        "domain_wide_delegation_empty.html",
    ]);
    assert_eq!(inv.identities.len(), 2);
    let zoom = native(&inv, "101928374656473829101");
    assert_eq!(zoom.name, "Zoom Rooms");
    assert_eq!(
        zoom.grants
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["calendar.readonly", "admin.directory.resource.calendar"]
    );
    let unnamed = native(&inv, "102938475611029384756");
    assert_eq!(unnamed.name, "102938475611029384756");
    let future = grant(unnamed, "some.future.scope", DWD);
    assert_eq!(
        (future.tier, future.classified),
        (Tier::Admin, false),
        "domain-wide is admin even when the scope is unknown"
    );
}

#[test]
fn a_delegation_page_showing_only_some_scopes_says_so() {
    let page = br#"<!doctype html><title>Domain-wide Delegation</title>
        <table><tr><th>Name</th><th>Client ID</th><th>Scopes</th></tr>
        <tr><td>Sync</td><td>100000000000000000001</td>
            <td><div>https://www.googleapis.com/auth/drive</div><span>+3 more</span></td></tr></table>"#;
    let inv = read_bytes(&[("dwd.html", page)]);
    assert_eq!(inv.identities.len(), 1);
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("3 more hidden"));
}

#[test]
fn a_delegation_page_without_a_client_table_is_unreadable_not_empty() {
    let page =
        b"<!doctype html><title>Domain-wide Delegation</title><p>Client ID</p><div>Loading</div>";
    let inv = read_bytes(&[("changed.html", page)]);
    assert!(inv.identities.is_empty());
    assert_eq!(inv.errors.len(), 1);
    assert!(
        inv.errors[0]
            .message
            .contains("console page may have changed"),
        "{:?}",
        inv.errors
    );
}

// ------------------------------------------------------------------------------------------------
// Service accounts and keys
// ------------------------------------------------------------------------------------------------

#[test]
fn service_account_keys_join_their_account_by_email() {
    let inv = read_clean(&[
        "service_accounts.json",
        "service_account_keys.json",
        "service_account_keys_page2.json",
    ]);
    assert_eq!(inv.identities.len(), 4);
    let runner = native(&inv, BACKUP_RUNNER);
    assert_eq!(runner.name, "Backup runner");
    assert_eq!(runner.client_id.as_deref(), Some("104758290123456789012"));
    assert_eq!(runner.location.as_deref(), Some("project example-prod"));
    assert_eq!(runner.ownership, Ownership::NotRecorded);
    assert_eq!(runner.usage, Usage::NotLoaded, "Activity Analyzer not read");
    assert_eq!(runner.party(), Party::Internal);
    assert_eq!(runner.credential_control, CredentialControl::CUSTOMER);
    assert!(runner.interactive.is_none() && !runner.human);
    assert!(has_source(runner, "service_account_keys.json"));

    // The system-managed key is Google's: not a credential to score.
    let ids: Vec<&str> = runner
        .credentials
        .iter()
        .map(|c| c.id.as_deref().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "90c48f61c65cd56224a12ab18e6ee9ca9c3aee7c",
            "e5e3800831ac1adc8a5849da7d827b4724b1fce8",
            "1d6e0f4b3a2c5d7e9f8a1b0c2d4e6f8a0b2c4d6e"
        ]
    );
    let old = &runner.credentials[0];
    assert_eq!(old.created_at, Some(ts("2023-03-04T17:39:47Z")));
    assert_eq!(old.expiry, Expiry::Never, "year 9999 is no expiry");
    assert!(old.active);
    assert_eq!(old.usage, Usage::NotLoaded);
    assert!(old.fingerprint.as_deref().unwrap().starts_with("SHA256:"));
    let expiring = &runner.credentials[1];
    assert_eq!(
        expiring.expiry,
        Expiry::At {
            at: ts("2026-12-10T09:00:00Z")
        }
    );
    assert_ne!(old.fingerprint, expiring.fingerprint);
    let exposed = &runner.credentials[2];
    assert!(!exposed.active);
    assert!(
        exposed
            .label
            .as_deref()
            .unwrap()
            .contains("reported exposed by Google")
    );

    let ci = native(&inv, CI_DEPLOYER);
    assert_eq!(ci.credentials.len(), 1);
    assert!(
        ci.credentials[0]
            .label
            .as_deref()
            .unwrap()
            .contains("uploaded public key")
    );
    let disabled = native(&inv, "old-reporting@example-prod.iam.gserviceaccount.com");
    assert!(!disabled.enabled);
    assert_eq!(
        disabled.location.as_deref(),
        Some("project example-prod (keys not loaded)"),
        "an account without its keys list: credentials not loaded, not absent"
    );
}

#[test]
fn keys_named_by_unique_id_join_an_account_with_fields_missing() {
    let inv = read_clean(&[
        "service_accounts_partial.json",
        "service_account_keys_partial.json",
        "service_accounts_empty.json",
        "service_account_keys_empty.json",
    ]);
    assert_eq!(inv.identities.len(), 2);
    let sandbox = native(&inv, "sandbox@example-lab.iam.gserviceaccount.com");
    assert_eq!(sandbox.name, sandbox.native_id);
    assert_eq!(sandbox.location.as_deref(), Some("project example-lab"));
    assert_eq!(
        sandbox.credentials.len(),
        2,
        "keys without keyType are kept"
    );
    assert_eq!(sandbox.credentials[0].expiry, Expiry::Unknown);
    assert_eq!(sandbox.credentials[0].created_at, None);
    assert_eq!(
        sandbox.credentials[1].created_at,
        Some(ts("2024-02-02T00:00:00Z"))
    );
    let scratch = native(&inv, "scratch@example-lab.iam.gserviceaccount.com");
    assert_eq!(
        scratch.location.as_deref(),
        Some("Google Cloud (keys not loaded)")
    );
    assert!(scratch.enabled);
}

#[test]
fn keys_alone_make_their_account() {
    let inv = read_clean(&["service_account_keys.json"]);
    let runner = native(&inv, BACKUP_RUNNER);
    assert_eq!(runner.kind, Kind::ServiceAccount);
    assert_eq!(runner.name, BACKUP_RUNNER);
    assert_eq!(runner.location.as_deref(), Some("project example-prod"));
    assert_eq!(runner.credentials.len(), 3);
}

#[test]
fn a_keys_list_of_google_managed_keys_alone_still_shows_its_account() {
    let keys = br#"{"keys":[{"name":"projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/k1",
        "keyType":"SYSTEM_MANAGED","validAfterTime":"2026-11-20T00:00:00Z","validBeforeTime":"2026-12-06T00:00:00Z"}]}"#;
    let inv = read_bytes(&[("keys.json", keys)]);
    let account = native(&inv, "a@p.iam.gserviceaccount.com");
    assert!(
        account.credentials.is_empty(),
        "Google rotates its own keys"
    );
    assert_eq!(account.location.as_deref(), Some("project p"));
}

#[test]
fn unreadable_key_times_are_reported_and_the_key_kept() {
    let keys = br#"{"keys":[{"name":"projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/k1",
        "keyType":"USER_MANAGED","validAfterTime":"yesterday","validBeforeTime":"9999-12-31T23:59:59Z"},
        {"name":"not a key name","keyType":"USER_MANAGED"}]}"#;
    let inv = read_bytes(&[("keys.json", keys)]);
    let account = native(&inv, "a@p.iam.gserviceaccount.com");
    assert_eq!(account.credentials.len(), 1);
    assert_eq!(account.credentials[0].created_at, None);
    assert_eq!(account.credentials[0].expiry, Expiry::Never);
    assert_eq!(inv.errors.len(), 2, "{:?}", inv.errors);
    assert!(
        inv.errors
            .iter()
            .any(|e| e.message.contains("validAfterTime"))
    );
    assert!(inv.errors.iter().any(|e| e.message.contains("skipped")));
}

#[test]
fn a_key_ending_over_a_century_after_its_start_never_expires() {
    let keys = br#"{"keys":[{"name":"projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/k1",
        "keyType":"USER_MANAGED","validAfterTime":"2020-01-01T00:00:00Z","validBeforeTime":"2125-01-01T00:00:00Z"}]}"#;
    let inv = read_bytes(&[("keys.json", keys)]);
    assert_eq!(
        native(&inv, "a@p.iam.gserviceaccount.com").credentials[0].expiry,
        Expiry::Never
    );
}

// ------------------------------------------------------------------------------------------------
// Users
// ------------------------------------------------------------------------------------------------

#[test]
fn users_are_people_not_identities() {
    let inv = read_clean(&[
        "users.json",
        "users_page2.json",
        "users_partial.json",
        "users_empty.json",
    ]);
    assert!(inv.identities.is_empty());
    let inv = read_clean(&["users_partial.json", "tokens.json"]);
    // The users list names people, not what they granted.
    assert_eq!(inv.identities.len(), 3);
}

// ------------------------------------------------------------------------------------------------
// Catalogue
// ------------------------------------------------------------------------------------------------

#[test]
fn every_scope_of_the_reference_table_is_tiered() {
    let c = google::scopes();
    let table: [(Tier, &[&str]); 4] = [
        (
            Tier::Admin,
            &[
                "admin.directory.user",
                "admin.directory.group",
                "admin.directory.group.member",
                "admin.directory.rolemanagement",
                "admin.directory.domain",
                "admin.directory.user.security",
                "admin.directory.orgunit",
                "admin.datatransfer",
                "cloud-platform",
                "iam",
                "apps.groups.settings",
                "https://mail.google.com/",
                "gmail.settings.sharing",
            ],
        ),
        (
            Tier::Write,
            &[
                "gmail.modify",
                "gmail.send",
                "gmail.compose",
                "drive",
                "calendar",
                "contacts",
                "spreadsheets",
                "documents",
                "script.projects",
                "ediscovery",
            ],
        ),
        (
            Tier::SensitiveRead,
            &[
                "gmail.readonly",
                "gmail.metadata",
                "drive.readonly",
                "calendar.readonly",
                "contacts.readonly",
                "admin.directory.user.readonly",
                "admin.directory.group.readonly",
                "admin.reports.audit.readonly",
                "cloud-platform.read-only",
                "ediscovery.readonly",
            ],
        ),
        (
            Tier::Read,
            &[
                "openid",
                "email",
                "profile",
                "userinfo.email",
                "userinfo.profile",
                "drive.file",
                "drive.appdata",
            ],
        ),
    ];
    for (tier, names) in table {
        for name in names {
            assert_eq!(c.classify(name), (tier, true), "{name}");
            let full = format!("https://www.googleapis.com/auth/{name}");
            if !name.contains("://") && !matches!(*name, "openid" | "email" | "profile") {
                assert_eq!(
                    c.classify(&google::short_scope(&full)),
                    (tier, true),
                    "{full}"
                );
            }
        }
    }
    assert!(c.covers("drive", "drive.readonly"));
    assert!(c.covers("drive", "drive.file"));
    assert!(c.covers("gmail.modify", "gmail.readonly"));
    assert!(c.covers("https://mail.google.com/", "gmail.send"));
    assert!(c.covers("cloud-platform", "cloud-platform.read-only"));
}

// ------------------------------------------------------------------------------------------------
// Rules on typical data
// ------------------------------------------------------------------------------------------------

fn codes(report: &nhi_lens::Report, native_id: &str) -> Vec<&'static str> {
    let a = report
        .assessments()
        .find(|a| a.identity.native_id == native_id)
        .unwrap_or_else(|| panic!("no {native_id}"));
    let mut codes: Vec<&'static str> = a.findings.iter().map(|f| f.rule.code).collect();
    codes.sort_unstable();
    codes
}

#[test]
fn typical_google_data_raises_the_expected_findings() {
    let files = [
        "tokens.json",
        "tokens_page2.json",
        "users.json",
        "accessed_apps.csv",
        "configured_apps.csv",
        "domain_wide_delegation.html",
        "service_accounts.json",
        "service_account_keys.json",
    ];
    let inputs: Vec<(String, Vec<u8>)> =
        files.iter().map(|f| (source_of(f), bytes_of(f))).collect();
    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // A delegated service account with an old, never-expiring key and a second live key.
    let runner = codes(&report, BACKUP_RUNNER);
    for code in ["NL101", "NL102", "NL105", "NL204", "NL302", "NL306"] {
        assert!(runner.contains(&code), "{code} missing: {runner:?}");
    }
    assert!(
        !runner.contains(&"NL301"),
        "delegation has a rule of its own"
    );
    // An unverified third-party app and an unregistered one with full mail access.
    assert!(codes(&report, PDF_TOOLBOX).contains(&"NL401"));
    let anonymous = codes(&report, "anonymous#MailMerge Helper");
    assert!(
        anonymous.contains(&"NL403") && anonymous.contains(&"NL301"),
        "{anonymous:?}"
    );
    // An OAuth client delegated domain-wide.
    assert!(codes(&report, BACKUPIFY).contains(&"NL306"));
    // Third-party apps hold their own secrets: the customer can only revoke.
    assert!(codes(&report, CALENDLY).contains(&"NL402"));
    // Google's own client is not held against the admin.
    assert!(
        codes(&report, CHROME).is_empty(),
        "{:?}",
        codes(&report, CHROME)
    );
    // A blocked app is not active access.
    assert!(!codes(&report, OLD_SURVEY).contains(&"NL301"));
    // The internal app's admin scope is still admin.
    assert!(codes(&report, PAYROLL).contains(&"NL301"));
}

// ------------------------------------------------------------------------------------------------
// Secrets
// ------------------------------------------------------------------------------------------------

#[test]
fn private_keys_and_public_key_material_never_reach_a_report() {
    let files = [
        "secret_markers.json",
        "service_account_keys.json",
        "service_accounts.json",
    ];
    let inputs: Vec<(String, Vec<u8>)> =
        files.iter().map(|f| (source_of(f), bytes_of(f))).collect();
    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let json = report::to_json(&report).to_string();
    assert!(json.contains("ci-deployer"), "the marker fixture was read");
    assert!(
        !json.contains("FAKE-SECRET-MARKER"),
        "a private key reached the report"
    );
    let blobs: Vec<String> = inputs
        .iter()
        .flat_map(|(_, b)| {
            let v: serde_json::Value = serde_json::from_slice(b).unwrap();
            v["keys"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|k| k["publicKeyData"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(blobs.len() >= 3);
    for blob in blobs {
        assert!(
            !json.contains(&blob[..60]),
            "public key data reached the report"
        );
    }
    for (format, name, _) in report::Format::ALL {
        let mut out = Vec::new();
        report::write(&report, format, &mut out).unwrap();
        assert!(
            !String::from_utf8_lossy(&out).contains("FAKE-SECRET-MARKER"),
            "a private key reached the {name} report"
        );
    }
}
