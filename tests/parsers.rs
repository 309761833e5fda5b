//! Per-format fixtures and what the parsers make of them.
//!
//! Fixtures live in `tests/fixtures/<platform>/`, each listed in that folder's `fixtures.toml`
//! with the one format that must claim it and how many identities it yields alone. The field
//! tests below read the typical fixtures and check the normalized model; the bad-input tests read
//! `tests/fixtures/bad/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use nhi_lens::ingest::probe::probe;
use nhi_lens::ingest::{Collector, Inventory, detect};
use nhi_lens::model::{
    AccountStatus, CredentialKind, Expiry, GrantVia, Identity, Kind, Network, OwnerSource,
    Ownership, Party, Precision, Reach, Tier, Timestamp, Usage,
};
use nhi_lens::{Policy, platforms, report, timestamp};
use serde::Deserialize;

/// Every platform that reads at least one format: each must have a fixture folder and manifest.
fn platforms_with_formats() -> Vec<&'static str> {
    platforms::PLATFORMS
        .iter()
        .filter(|spec| !spec.formats.is_empty())
        .map(|spec| spec.platform.as_str())
        .collect()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The name an input is scanned under: the path as the command line would be given it.
fn source_of(folder: &str, file: &str) -> String {
    format!("tests/fixtures/{folder}/{file}")
}

fn bytes_of(folder: &str, file: &str) -> Vec<u8> {
    let path = fixtures().join(folder).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn ts(text: &str) -> Timestamp {
    timestamp::parse(text).unwrap_or_else(|| panic!("{text} is not a time"))
}

fn now() -> Timestamp {
    ts("2026-11-29T00:00:00Z")
}

/// Reads these fixtures of one folder together.
fn collect(folder: &str, files: &[&str]) -> Inventory {
    let mut collector = Collector::new();
    for file in files {
        collector.add(&source_of(folder, file), &bytes_of(folder, file));
    }
    collector.finish()
}

/// Reads one input given as text, under `source`.
fn read_text(source: &str, text: &str) -> Inventory {
    let mut collector = Collector::new();
    collector.add(source, text.as_bytes());
    collector.finish()
}

/// Reads these fixtures and insists that nothing went wrong.
fn read_clean(folder: &str, files: &[&str]) -> Inventory {
    let inventory = collect(folder, files);
    assert!(
        inventory.errors.is_empty(),
        "errors reading {files:?}: {:#?}",
        inventory.errors
    );
    inventory
}

/// The one identity with this native ID.
fn native<'a>(inventory: &'a Inventory, id: &str) -> &'a Identity {
    let found: Vec<&Identity> = inventory
        .identities
        .iter()
        .filter(|i| i.native_id == id)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one identity with native ID {id}, found {}: {:#?}",
        found.len(),
        inventory
            .identities
            .iter()
            .map(|i| &i.id)
            .collect::<Vec<_>>()
    );
    found[0]
}

fn grant<'a>(identity: &'a Identity, name: &str) -> &'a nhi_lens::model::Grant {
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

fn used_at(usage: &Usage) -> Timestamp {
    match usage {
        Usage::Used(u) => u.at,
        other => panic!("expected a recorded use, found {other:?}"),
    }
}

fn has_source(identity: &Identity, source: &str) -> bool {
    identity.sources.iter().any(|s| &**s == source)
}

fn owner_names(identity: &Identity) -> Vec<&str> {
    identity
        .ownership
        .owners()
        .iter()
        .map(|o| o.who.name.as_str())
        .collect()
}

// ------------------------------------------------------------------------------------------------
// The manifests
// ------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    fixture: Vec<Entry>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    /// The one format whose detector claims the file, or "empty".
    format: String,
    doc: String,
    /// How many identities the file yields alone; absent for files that only make sense joined.
    identities: Option<usize>,
    /// The one error the file alone is read with, in part: a window of a list whose other rows
    /// are in other files.
    error: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
    /// A parser bug this fixture shows: checked only by an ignored test.
    bug: Option<String>,
}

fn manifest(platform: &str) -> Vec<Entry> {
    let path = fixtures().join(platform).join("fixtures.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let manifest: Manifest =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    manifest.fixture
}

fn entry(platform: &str, file: &str) -> Entry {
    manifest(platform)
        .into_iter()
        .find(|e| e.file == file)
        .unwrap_or_else(|| panic!("{file} is not in {platform}/fixtures.toml"))
}

/// Every way the fixture differs from its manifest entry.
fn check_entry(platform: &str, entry: &Entry) -> Vec<String> {
    let mut problems = Vec::new();
    let mut problem = |p: String| problems.push(format!("{platform}/{}: {p}", entry.file));
    let path = fixtures().join(platform).join(&entry.file);
    let Ok(bytes) = std::fs::read(&path) else {
        problem("the file does not exist".into());
        return problems;
    };
    let shape = match probe(&bytes) {
        Ok(shape) => shape,
        Err(e) => {
            problem(format!("probe failed: {}", e.0));
            return problems;
        }
    };
    let claimed: Vec<&str> = platforms::formats()
        .filter(|f| (f.detect)(&shape))
        .map(|f| f.id)
        .collect();
    let expected: Vec<&str> = if entry.format == "empty" {
        Vec::new()
    } else {
        vec![entry.format.as_str()]
    };
    if claimed != expected {
        problem(format!(
            "claimed by {claimed:?}, expected exactly {expected:?}"
        ));
    }
    let detected = detect(&shape).map(|f| f.id);
    if detected != expected.first().copied() {
        problem(format!("detected as {detected:?}"));
    }

    let mut collector = Collector::new();
    let source = source_of(platform, &entry.file);
    collector.add(&source, &bytes);
    let inventory = collector.finish();
    let expected_error = |e: &nhi_lens::InputError| {
        entry
            .error
            .as_ref()
            .is_some_and(|want| e.message.contains(want.as_str()))
    };
    match (&entry.error, inventory.errors.as_slice()) {
        (None, []) => {}
        (Some(_), [one]) if expected_error(one) => {}
        (_, errors) => problem(format!("errors: {errors:?}")),
    }
    let summary = inventory.inputs.first().and_then(|i| i.format.clone());
    let want_summary = if entry.format == "empty" {
        "empty list".to_string()
    } else {
        entry.format.clone()
    };
    if summary.as_deref() != Some(want_summary.as_str()) {
        problem(format!("read as {summary:?}, expected {want_summary}"));
    }
    if let Some(want) = entry.identities
        && inventory.identities.len() != want
    {
        problem(format!(
            "{} identities, expected {want}: {:?}",
            inventory.identities.len(),
            inventory
                .identities
                .iter()
                .map(|i| &i.id)
                .collect::<Vec<_>>()
        ));
    }
    for identity in &inventory.identities {
        if !has_source(identity, &source) {
            problem(format!("{} does not name its source", identity.id));
        }
    }
    problems
}

#[test]
fn every_fixture_is_claimed_by_exactly_its_format_and_yields_its_identities() {
    let registry: BTreeSet<&str> = platforms::formats().map(|f| f.id).collect();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for platform in platforms_with_formats() {
        let entries = manifest(platform);
        assert!(
            !entries.is_empty(),
            "{platform}/fixtures.toml lists nothing"
        );
        let mut listed = BTreeSet::new();
        for entry in &entries {
            if !listed.insert(entry.file.clone()) {
                problems.push(format!("{platform}/{} is listed twice", entry.file));
            }
            if entry.format != "empty" && !registry.contains(entry.format.as_str()) {
                problems.push(format!(
                    "{platform}/{}: {} is not a registered format",
                    entry.file, entry.format
                ));
            }
            if !entry.doc.starts_with("https://") {
                problems.push(format!("{platform}/{}: doc is not a URL", entry.file));
            }
            if !fixtures().join(platform).join(&entry.file).is_file() {
                problems.push(format!("{platform}/{} does not exist", entry.file));
                continue;
            }
            if entry.bug.is_some() {
                // Checked by the ignored tests at the end of this file.
                continue;
            }
            covered.insert(entry.format.clone());
            let found = check_entry(platform, entry);
            checked += 1;
            problems.extend(found);
        }
        // Every file in the folder is described by the manifest.
        for file in std::fs::read_dir(fixtures().join(platform)).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            if name != "fixtures.toml" && !listed.contains(&name) {
                problems.push(format!("{platform}/{name} is not in fixtures.toml"));
            }
        }
    }
    for id in &registry {
        if !covered.contains(*id) {
            problems.push(format!(
                "format {id} has no fixture: add one to tests/fixtures/<platform>/"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 60, "only {checked} fixtures checked");
}

/// Formats of a console page that shows one object, not a list.
const ONE_OBJECT_PAGES: &[&str] = &["github.installation_page"];

#[test]
fn every_format_has_typical_empty_partial_and_paged_fixtures() {
    // The kind of each fixture is read from its name; the manifest test above checks what each
    // one yields.
    let mut kinds: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for platform in platforms_with_formats() {
        for entry in manifest(platform).into_iter().filter(|e| e.bug.is_none()) {
            let kind = if entry.format == "empty" || entry.file.contains("_empty") {
                "empty"
            } else if entry.file.contains("partial")
                || entry.file.contains("2014")
                || entry.file.contains("subset")
            {
                "partial"
            } else if entry.file.contains("page") {
                "paged"
            } else {
                "typical"
            };
            let format = if entry.format == "empty" {
                // An empty bare list belongs to the format named by the file.
                let stem = entry
                    .file
                    .trim_end_matches(".json")
                    .trim_end_matches("_empty");
                format!("{platform}.{stem}")
            } else {
                entry.format.clone()
            };
            kinds.entry(format).or_default().insert(kind);
        }
    }
    for format in platforms::formats() {
        let have = kinds.get(format.id).cloned().unwrap_or_default();
        let mut want = vec!["typical", "empty", "partial"];
        // The credential report has no paging, nor has a page of one object.
        if !format.id.starts_with("aws.") && !ONE_OBJECT_PAGES.contains(&format.id) {
            want.push("paged");
        }
        for kind in want {
            assert!(
                have.contains(kind),
                "{}: no {kind} fixture ({have:?})",
                format.id
            );
        }
    }
}

// ------------------------------------------------------------------------------------------------
// GitHub
// ------------------------------------------------------------------------------------------------

#[test]
fn github_installations_keep_reach_grants_and_suspension() {
    let inv = read_clean("github", &["installations.json"]);
    let docs = native(&inv, "25381");
    assert_eq!(docs.kind, Kind::GithubApp);
    assert_eq!(docs.name, "octoapp");
    assert_eq!(docs.location.as_deref(), Some("octo-org"));
    assert_eq!(docs.reach, Reach::Selected);
    assert_eq!(docs.created_at, Some(ts("2017-05-16T15:47:09Z")));
    assert!(docs.aliases.contains(&"app:2218".to_string()));
    assert_eq!(docs.ownership, Ownership::NotRecorded);
    assert_eq!(docs.usage, Usage::NotRecorded);
    assert_eq!(grant(docs, "deployments:write").tier, Tier::Write);
    assert_eq!(grant(docs, "metadata:read").tier, Tier::Read);
    assert!(docs.enabled);

    let all = native(&inv, "25382");
    assert_eq!(all.reach, Reach::All);
    assert!(all.aliases.contains(&"Iv1.8a61f9b3a7aba766".to_string()));
    assert_eq!(grant(all, "administration:write").tier, Tier::Admin);
    assert_eq!(grant(all, "workflows:write").tier, Tier::Admin);
    assert_eq!(grant(all, "contents:write").tier, Tier::Write);
    assert!(
        all.grants
            .iter()
            .all(|g| g.classified && g.via == GrantVia::Direct)
    );
    assert_eq!(all.max_tier(), Some(Tier::Admin));

    let suspended = native(&inv, "25383");
    assert!(!suspended.enabled);
}

#[test]
fn github_installations_with_fields_missing_are_still_read() {
    let inv = read_clean("github", &["installations_partial.json"]);
    let bare = native(&inv, "25400");
    assert_eq!(bare.name, "installation 25400");
    assert_eq!(bare.reach, Reach::Unknown);
    assert!(bare.grants.is_empty());
    assert_eq!(bare.location, None);
    let selected = native(&inv, "25401");
    assert_eq!(selected.reach, Reach::Selected);
    assert_eq!(selected.created_at, None);
}

#[test]
fn github_fine_grained_tokens_keep_owner_expiry_use_and_sections() {
    let inv = read_clean("github", &["personal_access_tokens.json"]);
    let docs = native(&inv, "fine-grained/25381");
    assert_eq!(docs.kind, Kind::UserToken);
    assert_eq!(docs.name, "Some Token");
    assert!(!docs.pending);
    assert_eq!(owner_names(docs), ["octocat"]);
    assert_eq!(docs.ownership.owners()[0].source, OwnerSource::Explicit);
    assert_eq!(docs.created_at, Some(ts("2023-05-16T15:47:09Z")));
    assert!(matches!(docs.usage, Usage::Never { .. }));
    assert_eq!(docs.reach, Reach::All);
    assert_eq!(docs.credentials.len(), 1);
    let token = &docs.credentials[0];
    assert_eq!(token.kind, CredentialKind::Token);
    assert_eq!(token.id.as_deref(), Some("98716"));
    assert_eq!(
        token.expiry,
        Expiry::At {
            at: ts("2023-11-16T15:47:09Z")
        }
    );
    let members = grant(docs, "members:read");
    assert_eq!(members.resource.as_deref(), Some("organization"));
    assert_eq!(members.tier, Tier::SensitiveRead);
    assert_eq!(
        grant(docs, "metadata:read").resource.as_deref(),
        Some("repository")
    );

    let subset = native(&inv, "fine-grained/25382");
    assert_eq!(subset.reach, Reach::Selected);
    assert_eq!(used_at(&subset.usage), ts("2026-11-27T23:05:00Z"));
    assert_eq!(grant(subset, "contents:write").tier, Tier::Write);

    let admin = native(&inv, "fine-grained/25383");
    assert_eq!(admin.credentials[0].expiry, Expiry::Never);
    assert_eq!(grant(admin, "administration:write").tier, Tier::Admin);
    assert_eq!(grant(admin, "members:write").tier, Tier::Admin);
    assert!(admin.enabled);

    // A token GitHub says expired acts no more: its grant is not enabled.
    let text = String::from_utf8(bytes_of("github", "personal_access_tokens.json")).unwrap();
    let expired = text.replacen("\"token_expired\": false", "\"token_expired\": true", 1);
    assert_ne!(expired, text);
    let mut collector = Collector::new();
    collector.add("personal_access_tokens.json", expired.as_bytes());
    let inv = collector.finish();
    let docs = native(&inv, "fine-grained/25381");
    assert!(!docs.enabled && !docs.credentials[0].active);
    assert!(native(&inv, "fine-grained/25382").enabled);
}

#[test]
fn a_github_tokens_expiry_that_is_no_date_or_is_left_out_is_unknown_never_never() {
    // The docs give `null` alone for a token that never expires.
    let text = String::from_utf8(bytes_of("github", "personal_access_tokens.json")).unwrap();
    let field = "\"token_expires_at\": \"2027-02-01T10:00:00.000-07:00\",";
    assert!(text.contains(field));
    for (variant, noted) in [
        (
            text.replacen(field, "\"token_expires_at\": \"1801440000000\",", 1),
            true,
        ),
        (text.replacen(field, "", 1), false),
    ] {
        let inv = read_text("personal_access_tokens.json", &variant);
        assert_eq!(
            native(&inv, "fine-grained/25382").credentials[0].expiry,
            Expiry::Unknown
        );
        assert_eq!(
            native(&inv, "fine-grained/25383").credentials[0].expiry,
            Expiry::Never
        );
        assert_eq!(inv.errors.len(), usize::from(noted), "{:?}", inv.errors);
    }

    let text = String::from_utf8(bytes_of("github", "credential_authorizations.json")).unwrap();
    let field = "\"authorized_credential_expires_at\": \"2011-02-25T19:06:43Z\"";
    assert!(text.contains(field));
    let variant = text.replacen(
        field,
        "\"authorized_credential_expires_at\": \"next year\"",
        1,
    );
    let inv = read_text("credential_authorizations.json", &variant);
    assert_eq!(
        native(&inv, "sso/161195").credentials[0].expiry,
        Expiry::Unknown
    );
    assert_eq!(
        native(&inv, "sso/161199").credentials[0].expiry,
        Expiry::Never
    );
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
}

#[test]
fn github_token_requests_are_pending() {
    let inv = read_clean("github", &["personal_access_token_requests.json"]);
    let docs = native(&inv, "request/25381");
    assert!(docs.pending);
    assert_eq!(docs.created_at, Some(ts("2023-05-16T15:47:09Z")));
    assert_eq!(owner_names(docs), ["octocat"]);
    let write = native(&inv, "request/25384");
    assert_eq!(write.reach, Reach::Selected);
    assert_eq!(grant(write, "contents:write").tier, Tier::Write);
}

#[test]
fn github_sso_authorizations_tell_tokens_from_ssh_keys() {
    let inv = read_clean("github", &["credential_authorizations.json"]);
    let docs = native(&inv, "sso/161195");
    assert_eq!(docs.kind, Kind::UserToken);
    assert_eq!(owner_names(docs), ["octocat"]);
    assert_eq!(docs.created_at, Some(ts("2011-01-26T19:06:43Z")));
    // GitHub's example leaves `credential_accessed_at` out: use is not loaded, not "never".
    assert_eq!(docs.usage, Usage::NotLoaded);
    assert_eq!(
        docs.credentials[0].expiry,
        Expiry::At {
            at: ts("2011-02-25T19:06:43Z")
        }
    );
    assert_eq!(grant(docs, "repo").tier, Tier::Write);
    assert_eq!(docs.reach, Reach::All);

    let live = native(&inv, "sso/5016093");
    assert_eq!(used_at(&live.usage), ts("2020-09-20T23:57:07Z"));

    let ssh = native(&inv, "sso/161199");
    assert_eq!(ssh.kind, Kind::SshKey);
    assert_eq!(ssh.credentials[0].kind, CredentialKind::Key);
    assert_eq!(
        ssh.credentials[0].fingerprint.as_deref(),
        Some("SHA256:le/rvcJ3LX3CYDt7uQxDwh9lmnlRI9rJv3iATnsFlSc")
    );
    assert_eq!(ssh.credentials[0].expiry, Expiry::Never);
}

#[test]
fn github_hooks_keep_tls_signing_and_event_scope() {
    let inv = read_clean("github", &["hooks.json"]);
    let docs = native(&inv, "1");
    assert_eq!(docs.kind, Kind::Webhook);
    assert_eq!(docs.location.as_deref(), Some("octocat"));
    let endpoint = docs.endpoint.as_ref().expect("an endpoint");
    assert_eq!(endpoint.url, "http://example.com");
    assert!(endpoint.tls_verified);
    assert_eq!(endpoint.signed, Some(false));
    assert!(!endpoint.all_events);
    assert_eq!(docs.created_at, Some(ts("2011-09-06T17:26:27Z")));

    let insecure = native(&inv, "2");
    let endpoint = insecure.endpoint.as_ref().expect("an endpoint");
    assert!(
        !endpoint.tls_verified,
        "insecure_ssl \"1\" turns TLS verification off"
    );
    assert_eq!(endpoint.signed, Some(true));
    assert!(endpoint.all_events);
    assert_eq!(insecure.name, "ci.example.org");

    assert!(!native(&inv, "3").enabled);
}

#[test]
fn github_repository_hooks_without_config_fields_are_read() {
    let inv = read_clean("github", &["hooks_repo_partial.json"]);
    let hook = native(&inv, "12345678");
    assert_eq!(hook.location.as_deref(), Some("octocat/Hello-World"));
    let endpoint = hook.endpoint.as_ref().unwrap();
    assert!(endpoint.tls_verified);
    assert_eq!(endpoint.signed, Some(false));
    let empty = native(&inv, "12345679");
    assert_eq!(empty.name, "webhook 12345679");
}

/// The base64 blobs of the public keys in a deploy-keys fixture.
fn key_blobs(file: &str) -> Vec<String> {
    let keys: Vec<serde_json::Value> = serde_json::from_slice(&bytes_of("github", file)).unwrap();
    keys.iter()
        .filter_map(|k| k["key"].as_str())
        .map(|k| k.split_whitespace().nth(1).unwrap().to_string())
        .collect()
}

#[test]
fn github_deploy_keys_keep_a_fingerprint_and_never_the_key() {
    let inv = read_clean("github", &["deploy_keys.json"]);
    let docs = native(&inv, "1");
    assert_eq!(docs.kind, Kind::DeployKey);
    assert_eq!(docs.name, "octocat@octomac");
    assert_eq!(docs.location.as_deref(), Some("octocat/Hello-World"));
    assert_eq!(owner_names(docs), ["octocat"]);
    assert_eq!(used_at(&docs.usage), ts("2022-01-10T15:53:42Z"));
    assert_eq!(grant(docs, "contents:read").tier, Tier::SensitiveRead);

    let write = native(&inv, "2");
    assert_eq!(write.grants.len(), 1);
    let g = &write.grants[0];
    assert_eq!((g.name.as_str(), g.tier), ("contents:write", Tier::Write));
    assert_eq!(g.resource.as_deref(), Some("octocat/Hello-World"));
    assert_eq!(
        write.credentials[0].fingerprint.as_deref(),
        Some("SHA256:le/rvcJ3LX3CYDt7uQxDwh9lmnlRI9rJv3iATnsFlSc")
    );
    assert_eq!(write.credentials[0].expiry, Expiry::Never);
    assert_eq!(owner_names(write), ["hubot"]);

    let disabled = native(&inv, "3");
    assert!(!disabled.enabled);
    assert!(!disabled.credentials[0].active);
    assert_eq!(used_at(&disabled.usage), ts("2019-01-01T00:00:00Z"));

    for identity in &inv.identities {
        let fingerprint = identity.credentials[0].fingerprint.as_deref().unwrap_or("");
        assert!(
            fingerprint.starts_with("SHA256:"),
            "{}: {fingerprint}",
            identity.id
        );
    }
    let serialized = serde_json::to_string(&inv.identities).unwrap();
    for blob in key_blobs("deploy_keys.json") {
        assert!(
            !serialized.contains(&blob) && !serialized.contains(&blob[..40]),
            "a public key was kept: {blob}"
        );
    }
}

#[test]
fn github_deploy_keys_with_null_last_used_or_added_by_are_never_used_and_ownerless() {
    let inv = read_clean("github", &["deploy_keys.json"]);
    let write = native(&inv, "2");
    assert!(
        matches!(write.usage, Usage::Never { .. }),
        "last_used null: {:?}",
        write.usage
    );
    assert!(matches!(write.credentials[0].usage, Usage::Never { .. }));
    let disabled = native(&inv, "3");
    assert_eq!(disabled.ownership, Ownership::Missing, "added_by null");
}

#[test]
fn github_deploy_keys_without_added_by_or_last_used_are_not_loaded_rather_than_missing() {
    let inv = read_clean("github", &["deploy_keys_partial.json"]);
    let old = native(&inv, "1");
    assert_eq!(old.ownership, Ownership::NotLoaded);
    assert_eq!(old.usage, Usage::NotLoaded);
    assert!(old.enabled);
    assert_eq!(grant(native(&inv, "4"), "contents:write").tier, Tier::Write);
    let serialized = serde_json::to_string(&inv.identities).unwrap();
    for blob in key_blobs("deploy_keys_partial.json") {
        assert!(!serialized.contains(&blob));
    }
}

#[test]
fn github_actions_secrets_keep_visibility_and_age() {
    let inv = read_clean("github", &["actions_secrets.json"]);
    let by_name = |name: &str| {
        inv.identities
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no secret {name}"))
    };
    let all = by_name("DEPLOY_TOKEN");
    assert_eq!(all.kind, Kind::CiSecret);
    assert_eq!(all.reach, Reach::All);
    assert_eq!(all.credentials[0].kind, CredentialKind::Secret);
    assert_eq!(
        all.credentials[0].created_at,
        Some(ts("2020-01-10T14:59:22Z"))
    );
    assert_eq!(all.created_at, Some(ts("2019-08-10T14:59:22Z")));
    let selected = by_name("GH_TOKEN");
    assert_eq!(selected.reach, Reach::Selected);
    assert_eq!(selected.location.as_deref(), Some("octo-org"));
    assert_eq!(by_name("GIST_ID").reach, Reach::All);
}

// ------------------------------------------------------------------------------------------------
// Entra
// ------------------------------------------------------------------------------------------------

const A_APP: &str = "f4d9654f-0305-4072-878c-8bf266dfe146";
const A_OBJ: &str = "6920caa5-1cae-4bc8-bf59-9c0b8495d240";
const A_SP: &str = "8e881353-1735-45af-af21-ee1344582a4d";
const A_CERT: &str = "83f45296-fb8f-4aaa-a399-ac51084e02b7";
const A_SECRET: &str = "1a2b3c4d-0000-4000-8000-000000000001";
const B_APP: &str = "3c1d0e6a-8f2b-4b7e-9a55-6d0c2f4e1b90";
const C_APP: &str = "9b2f4c6e-1d3a-4b5c-8e7f-0a1b2c3d4e5f";
const C_SP: &str = "5d3c2b1a-0f9e-4d8c-b7a6-123456789abc";
const GRAPH_APP: &str = "00000003-0000-0000-c000-000000000000";

const ENTRA_TENANT: [&str; 8] = [
    "applications.json",
    "service_principals.json",
    "oauth2_permission_grants.json",
    "app_role_assignments.json",
    "service_principal_sign_in_activities.json",
    "app_credential_sign_in_activities.json",
    "applications_6920caa5-1cae-4bc8-bf59-9c0b8495d240_owners.json",
    "applications_0b7e7a8d-2c4f-4e21-8d3a-5f6e7a8b9c0d_owners_empty.json",
];

#[test]
fn entra_inputs_join_into_one_identity_per_app() {
    let inv = read_clean("entra", &ENTRA_TENANT);
    assert_eq!(
        inv.identities.len(),
        4,
        "{:?}",
        inv.identities.iter().map(|i| &i.id).collect::<Vec<_>>()
    );
    let known_as_a: Vec<_> = inv
        .identities
        .iter()
        .filter(|i| i.is_known_as(A_APP) || i.is_known_as(A_OBJ) || i.is_known_as(A_SP))
        .collect();
    assert_eq!(
        known_as_a.len(),
        1,
        "the app, its SP and its records are one identity"
    );

    let a = native(&inv, A_APP);
    assert_eq!(a.kind, Kind::ServicePrincipal);
    assert_eq!(a.name, "dxprovisioning-graphapi-client");
    assert!(a.aliases.contains(&A_OBJ.to_string()));
    assert!(a.aliases.contains(&A_SP.to_string()));
    for file in ["applications.json", "service_principals.json"] {
        assert!(has_source(a, &source_of("entra", file)), "{:?}", a.sources);
    }
    assert_eq!(a.created_at, Some(ts("2021-02-02T04:20:00Z")));

    // Application permissions, named from their GUIDs: Mail.ReadWrite from the Graph service
    // principal's appRoles, Directory.Read.All from the built-in table.
    let mail = grant(a, "Mail.ReadWrite");
    assert_eq!(mail.via, GrantVia::Application);
    assert_eq!(mail.tier, Tier::Write);
    assert!(mail.classified);
    assert_eq!(mail.resource.as_deref(), Some("Microsoft Graph"));
    assert_eq!(mail.granted_at, Some(ts("2021-02-02T04:22:45.4980259Z")));
    let directory = grant(a, "Directory.Read.All");
    assert_eq!(directory.via, GrantVia::Application);
    assert_eq!(directory.tier, Tier::SensitiveRead);
    assert_eq!(directory.granted_at, Some(ts("2022-03-03T03:03:03Z")));
    assert!(
        !a.grants.iter().any(|g| g.name.starts_with("app role ")),
        "unresolved role: {:?}",
        a.grants
    );
    // A user's own consent: one tier lower, not tenant-wide.
    let user_read = grant(a, "User.Read");
    assert_eq!(user_read.via, GrantVia::Delegated { all_users: false });
    assert_eq!(user_read.tier, Tier::Read);

    // Owners from the owners-list file named after the request.
    assert_eq!(owner_names(a), ["Trevor Jones", "adele.vance@contoso.com"]);
    let owners = a.ownership.owners();
    assert_eq!(owners[0].who.status, AccountStatus::Active);
    assert_eq!(owners[1].who.status, AccountStatus::Disabled);
    assert_eq!(
        owners[0].who.id.as_deref(),
        Some("84b80893-8749-40a3-97b7-68513b600544")
    );
    assert!(owners.iter().all(|o| o.source == OwnerSource::Explicit));
    assert_eq!(a.approved_by.len(), 1);
    assert_eq!(
        a.approved_by[0].name,
        "84b80893-8749-40a3-97b7-68513b600544"
    );

    // Use: the app's last sign-in, and each credential's own.
    assert_eq!(used_at(&a.usage), ts("2021-04-01T00:00:00Z"));
    let cert = a
        .credentials
        .iter()
        .find(|c| c.id.as_deref() == Some(A_CERT))
        .expect("the certificate");
    assert_eq!(cert.kind, CredentialKind::Certificate);
    assert_eq!(
        used_at(&cert.usage),
        ts("2021-03-18T08:00:00Z"),
        "-8:00 read as -08:00"
    );
    assert_eq!(
        cert.fingerprint.as_deref(),
        Some("52ED9B5038A47B9E2E2190715CC238359D4F8F73")
    );
    let secret = a
        .credentials
        .iter()
        .find(|c| c.id.as_deref() == Some(A_SECRET))
        .expect("the client secret");
    assert_eq!(secret.kind, CredentialKind::Secret);
    assert_eq!(secret.label.as_deref(), Some("prod secret"));
    assert_eq!(secret.created_at, Some(ts("2025-01-15T10:00:00Z")));
    assert_eq!(
        secret.expiry,
        Expiry::At {
            at: ts("2027-01-15T10:00:00Z")
        }
    );
    assert!(matches!(secret.usage, Usage::Never { .. }));

    let publisher = a.publisher.as_ref().unwrap();
    assert_eq!(publisher.party, Party::Internal);
    assert_eq!(publisher.verified, Some(false));

    // Registered, no service principal, an empty owners list.
    let b = native(&inv, B_APP);
    assert_eq!(b.ownership, Ownership::Missing);
    assert_eq!(b.party(), Party::Internal);
    assert_eq!(b.credentials[0].label.as_deref(), Some("Qw3…"));

    // Microsoft's own.
    let graph = native(&inv, GRAPH_APP);
    assert_eq!(graph.party(), Party::FirstParty);
    let graph_owner = graph.ownership.primary().unwrap();
    assert_eq!(graph_owner.source, OwnerSource::Vendor);
    assert_eq!(graph_owner.who.name, "Microsoft");

    // A third-party app with tenant-wide consent.
    let crm = native(&inv, C_APP);
    assert_eq!(crm.party(), Party::ThirdParty);
    let publisher = crm.publisher.as_ref().unwrap();
    assert_eq!(publisher.verified, Some(true));
    assert_eq!(publisher.name.as_deref(), Some("Fabrikam, Inc."));
    let mail_read = grant(crm, "Mail.Read");
    assert_eq!(mail_read.via, GrantVia::Delegated { all_users: true });
    assert_eq!(
        mail_read.tier,
        Tier::SensitiveRead,
        "tenant-wide consent keeps the tier"
    );
    assert_eq!(mail_read.resource.as_deref(), Some("Microsoft Graph"));
    for scope in ["openid", "profile", "User.Read", "offline_access"] {
        grant(crm, scope);
    }
    assert_eq!(used_at(&crm.usage), ts("2026-11-28T17:00:00Z"));
    assert_eq!(
        crm.credential_control.rotate,
        nhi_lens::model::Controller::Vendor
    );
}

#[test]
fn a_graph_batch_of_refusals_alone_is_an_error_not_an_empty_tenant() {
    let batch = |answers: &str| {
        read_text(
            "https://graph.microsoft.com/v1.0/$batch",
            &format!(r#"{{"responses":[{answers}]}}"#),
        )
        .errors
    };
    let refused =
        r#"{"id":"1","status":401,"body":{"error":{"code":"InvalidAuthenticationToken"}}}"#;
    let throttled = r#"{"id":"2","status":429,"body":{"error":{"code":"TooManyRequests"}}}"#;
    let me = r#"{"id":"3","status":200,"body":{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","id":"u1"}}"#;
    let errors = batch(&[refused, throttled, me].join(","));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .message
            .starts_with("the batch holds errors (request 1: 401, request 2: 429)"),
        "{errors:?}"
    );
    // An object not found is an answer, not a refusal.
    let missing = r#"{"id":"4","status":404,"body":{"error":{"code":"Request_ResourceNotFound"}}}"#;
    assert_eq!(batch(missing), []);
}

#[test]
fn entra_join_does_not_depend_on_input_order() {
    let forward = read_clean("entra", &ENTRA_TENANT);
    let mut reversed = ENTRA_TENANT;
    reversed.reverse();
    let backward = read_clean("entra", &reversed);
    assert_eq!(forward.identities, backward.identities);
}

#[test]
fn entra_lists_answered_in_a_graph_batch_are_read_as_if_loaded_alone() {
    let body = |file: &str| String::from_utf8(bytes_of("entra", file)).unwrap();
    let batch = format!(
        r#"{{"responses":[
            {{"id":"1","status":200,"headers":{{"Content-Type":"application/json"}},"body":{}}},
            {{"id":"2","status":403,"body":{{"error":{{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}}}}},
            {{"id":"3","status":200,"body":{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","id":"u1","displayName":"Dana"}}}},
            {{"id":"4","status":200,"body":{}}}
        ]}}"#,
        body("applications.json"),
        body("service_principals.json"),
    );
    let mut collector = Collector::new();
    collector.add("https://graph.microsoft.com/beta/$batch", batch.as_bytes());
    let batched = collector.finish();
    assert_eq!(batched.errors, []);
    let alone = read_clean("entra", &["applications.json", "service_principals.json"]);
    assert!(!alone.identities.is_empty());
    let ids = |inv: &Inventory| {
        inv.identities
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&batched), ids(&alone));
    // What is read keeps the batch as its source; the inputs list each answer read, by its
    // request's ID, and leave out the denied request and the signed-in user's profile.
    assert!(batched.identities.iter().all(|i| {
        i.sources
            .iter()
            .all(|s| &**s == "https://graph.microsoft.com/beta/$batch")
    }));
    let inputs: Vec<(&str, Option<&str>)> = batched
        .inputs
        .iter()
        .map(|i| (i.source.as_str(), i.format.as_deref()))
        .collect();
    assert_eq!(
        inputs,
        [
            (
                "https://graph.microsoft.com/beta/$batch#1",
                Some("entra.applications")
            ),
            (
                "https://graph.microsoft.com/beta/$batch#4",
                Some("entra.service_principals")
            ),
            (
                "https://graph.microsoft.com/beta/$batch",
                Some("json batch")
            ),
        ]
    );
    // A batch cut short inside an answer is an error of its own, is recognized as nothing, and
    // loses nothing read elsewhere.
    let mut collector = Collector::new();
    collector.add("a.json", &bytes_of("entra", "applications.json"));
    let at = batch.find(r#""id":"4""#).unwrap();
    collector.add("cut", &batch.as_bytes()[..at + 40]);
    let cut = collector.finish();
    assert!(!cut.identities.is_empty());
    assert_eq!(cut.errors.len(), 1, "{:?}", cut.errors);
    assert!(
        cut.errors[0].message.starts_with("a JSON batch response"),
        "{:?}",
        cut.errors
    );
    assert_eq!(cut.inputs[1].format, None);
}

#[test]
fn entra_first_party_service_principal_is_microsofts() {
    let inv = read_clean("entra", &["service_principals.json"]);
    let graph = native(&inv, GRAPH_APP);
    let publisher = graph.publisher.as_ref().unwrap();
    assert_eq!(publisher.party, Party::FirstParty);
    assert_eq!(
        publisher.org_id.as_deref(),
        Some("f8cdef31-a31e-4b4a-93e4-5f571e91255a")
    );
    assert_eq!(
        graph.credential_control.rotate,
        nhi_lens::model::Controller::Vendor
    );
}

#[test]
fn entra_inline_owners_are_read() {
    let inv = read_clean("entra", &["applications_expand_owners.json"]);
    let payroll = native(&inv, "54444444-aaaa-4bbb-8ccc-000000000001");
    assert_eq!(owner_names(payroll), ["megan.bowen@contoso.com"]);
    let orphan = native(&inv, "54444444-aaaa-4bbb-8ccc-000000000002");
    assert_eq!(orphan.ownership, Ownership::Missing);
}

#[test]
fn entra_owners_addressed_by_app_id_are_joined() {
    let inv = read_clean(
        "entra",
        &[
            "applications.json",
            "applications(appId='3c1d0e6a-8f2b-4b7e-9a55-6d0c2f4e1b90')_owners_partial.json",
        ],
    );
    let b = native(&inv, B_APP);
    let owners = b.ownership.owners();
    assert_eq!(owners.len(), 2);
    assert_eq!(owners[0].who.name, "e4cad6b4-7a5f-4e93-9c2d-3f4a5b6c7d8e");
    assert!(owners[1].basis.contains("service principal"));
}

#[test]
fn entra_partial_records_are_read_without_inventing_data() {
    let inv = read_clean(
        "entra",
        &[
            "applications_partial.json",
            "service_principals_partial.json",
        ],
    );
    let minimal = native(&inv, "32222222-aaaa-4bbb-8ccc-000000000001");
    assert!(minimal.credentials.is_empty());
    assert_eq!(minimal.created_at, None);
    assert_eq!(minimal.ownership, Ownership::NotLoaded);
    let unnamed = native(&inv, "32222222-aaaa-4bbb-8ccc-000000000002");
    assert_eq!(unnamed.name, "32222222-aaaa-4bbb-8ccc-000000000002");
    let disabled = native(&inv, "43333333-aaaa-4bbb-8ccc-000000000011");
    assert!(!disabled.enabled);
    assert_eq!(disabled.name, "Only an app display name");
}

/// The IDs of an identity's credentials.
fn credential_ids(identity: &Identity) -> Vec<&str> {
    identity
        .credentials
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect()
}

#[test]
fn entra_one_app_fetched_by_its_id_is_read_and_without_times_the_copy_read_first_says_what_it_holds()
 {
    const ROTATED: &str = "1a2b3c4d-0000-4000-8000-000000000099";
    let single_first = read_clean("entra", &["application.json", "applications.json"]);
    let app = native(&single_first, A_APP);
    assert_eq!(credential_ids(app), [ROTATED, A_CERT]);
    assert!(has_source(app, &source_of("entra", "application.json")));
    assert!(has_source(app, &source_of("entra", "applications.json")));
    assert_eq!(single_first.identities.len(), 2);
    let list_first = read_clean("entra", &["applications.json", "application.json"]);
    assert_eq!(
        credential_ids(native(&list_first, A_APP)),
        [A_SECRET, A_CERT]
    );
    // The same object saved without its OData context.
    let cli = read_clean("entra", &["application_no_context.json"]);
    assert_eq!(credential_ids(native(&cli, A_APP)), [ROTATED, A_CERT]);
    assert_eq!(
        native(&cli, A_APP).created_at,
        Some(ts("2021-02-02T04:20:00Z"))
    );
}

/// Reads `(fixture, minutes past midnight it was captured)` in order, as the extension does.
fn captured(inputs: &[(&str, i64)]) -> Inventory {
    let mut collector = Collector::new();
    for (file, minutes) in inputs {
        let at = ts("2026-11-30T00:00:00Z") + time::Duration::minutes(*minutes);
        collector.add_captured(
            &source_of("entra", file),
            &bytes_of("entra", file),
            Some(at),
        );
    }
    let inventory = collector.finish();
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
    inventory
}

#[test]
fn entra_the_newest_capture_of_an_app_says_what_it_holds_whatever_the_order_read() {
    const ROTATED: &str = "1a2b3c4d-0000-4000-8000-000000000099";
    // The app fetched by its blade after its secret was rotated, though read after the list.
    let inv = captured(&[("applications.json", 1), ("application.json", 2)]);
    assert_eq!(credential_ids(native(&inv, A_APP)), [ROTATED, A_CERT]);
    // The list loaded again after it, though read first.
    let inv = captured(&[("applications.json", 3), ("application.json", 2)]);
    assert_eq!(credential_ids(native(&inv, A_APP)), [A_SECRET, A_CERT]);
}

#[test]
fn entra_a_newer_copy_takes_from_older_ones_what_its_select_left_out() {
    // A `$select` without the credential lists says nothing of them: not "no credentials".
    let inv = captured(&[("applications.json", 1), ("application_select.json", 2)]);
    let app = native(&inv, A_APP);
    assert_eq!(credential_ids(app), [A_SECRET, A_CERT]);
    assert_eq!(app.created_at, Some(ts("2021-02-02T04:20:00Z")));
    let alone = read_clean("entra", &["application_select.json"]);
    assert!(native(&alone, A_APP).credentials.is_empty());
    // Only the secrets, no name: the name and the certificates are the older copy's.
    let mut collector = Collector::new();
    let at = |m| Some(ts("2026-11-30T00:00:00Z") + time::Duration::minutes(m));
    collector.add_captured("list", &bytes_of("entra", "applications.json"), at(1));
    let secrets_only = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications(id,appId,passwordCredentials)/$entity","id":"{A_OBJ}","appId":"{A_APP}","passwordCredentials":[]}}"#
    );
    collector.add_captured("one", secrets_only.as_bytes(), at(2));
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let app = native(&inv, A_APP);
    assert_eq!(credential_ids(app), [A_CERT]);
    assert_eq!(app.name, "dxprovisioning-graphapi-client");
}

#[test]
fn entra_an_app_registration_open_to_other_directories_says_so_and_keeps_its_word_across_copies() {
    let at = |m| Some(ts("2026-11-30T00:00:00Z") + time::Duration::minutes(m));
    let app = |audience: &str| {
        format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{{"id":"{A_OBJ}","appId":"{A_APP}","displayName":"Build Reporter",{audience}"passwordCredentials":[{{"keyId":"k1","displayName":"ci","startDateTime":"2026-01-01T00:00:00Z","endDateTime":"2027-01-01T00:00:00Z"}}]}}]}}"#
        )
    };
    let read = |copies: &[String]| {
        let mut collector = Collector::new();
        for (n, copy) in copies.iter().enumerate() {
            collector.add_captured(&format!("copy {n}"), copy.as_bytes(), at(n as i64));
        }
        let inv = collector.finish();
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
        native(&inv, A_APP).audience.clone()
    };
    let multi = app(r#""signInAudience":"AzureADMultipleOrgs","#);
    let own = app(r#""signInAudience":"AzureADMyOrg","#);
    let unsaid = app("");
    assert_eq!(
        read(std::slice::from_ref(&multi)).as_deref(),
        Some("AzureADMultipleOrgs")
    );
    assert_eq!(read(std::slice::from_ref(&own)), None);
    assert_eq!(read(std::slice::from_ref(&unsaid)), None);
    // A later copy whose `$select` leaves it out keeps the older word; one that says otherwise
    // is believed.
    assert_eq!(
        read(&[multi.clone(), unsaid]).as_deref(),
        Some("AzureADMultipleOrgs")
    );
    assert_eq!(read(&[multi.clone(), own]), None);
    // And the rule says so, with the secret that signs in elsewhere.
    let report = nhi_lens::scan(
        [("apps.json", multi.as_bytes())],
        &Policy::default(),
        ts("2026-11-30T00:00:00Z"),
    );
    let found: Vec<_> = report
        .assessments()
        .flat_map(|a| a.findings.iter())
        .filter(|f| f.rule.code == "NL703")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].evidence.contains("\"ci\""),
        "{:?}",
        found[0].evidence
    );
}

#[test]
fn entra_a_saml_apps_token_signing_certificate_is_no_credential_of_the_app() {
    // What addTokenSigningCertificate adds (a Sign key, its Verify key, the password of the Sign
    // key's keyId that opens its PFX, all of one customKeyIdentifier), and a client secret added
    // beside them, which stays one.
    let sp = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals","value":[{{"id":"sp-s","appId":"{C_APP}","displayName":"Salesforce SSO","servicePrincipalType":"Application","accountEnabled":true,"appOwnerOrganizationId":"f00d",
        "keyCredentials":[
          {{"keyId":"k-sign","customKeyIdentifier":"THUMB","usage":"Sign","type":"X509CertAndPassword","startDateTime":"2025-01-01T00:00:00Z","endDateTime":"2028-01-01T00:00:00Z"}},
          {{"keyId":"k-verify","customKeyIdentifier":"THUMB","usage":"Verify","type":"AsymmetricX509Cert","startDateTime":"2025-01-01T00:00:00Z","endDateTime":"2028-01-01T00:00:00Z"}}],
        "passwordCredentials":[
          {{"keyId":"k-sign","customKeyIdentifier":"THUMB","startDateTime":"2025-01-01T00:00:00Z","endDateTime":"2028-01-01T00:00:00Z"}},
          {{"keyId":"k-added","displayName":"backdoor","startDateTime":"2026-11-01T00:00:00Z","endDateTime":"2028-11-01T00:00:00Z"}}]}}]}}"#
    );
    let mut collector = Collector::new();
    collector.add("servicePrincipals.json", sp.as_bytes());
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let app = native(&inv, C_APP);
    assert_eq!(credential_ids(app), ["k-added"]);
}

#[test]
fn entra_a_newer_copy_that_leaves_out_whether_it_is_disabled_or_verified_keeps_the_older_word() {
    let at = |m| Some(ts("2026-11-30T00:00:00Z") + time::Duration::minutes(m));
    // Disabled by Microsoft, in the full list; a later view's `$select` says nothing of it.
    let full = format!(
        r#"{{"value":[{{"id":"sp-c","appId":"{C_APP}","displayName":"Fabrikam CRM Connector","appOwnerOrganizationId":"f00d","servicePrincipalType":"Application","accountEnabled":true,"disabledByMicrosoftStatus":"DisabledDueToViolationOfServicesAgreement","verifiedPublisher":{{"displayName":"Fabrikam, Inc.","verifiedPublisherId":"1234567"}}}}]}}"#
    );
    let selected = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName,servicePrincipalType,accountEnabled)","value":[{{"id":"sp-c","appId":"{C_APP}","displayName":"Fabrikam CRM Connector","servicePrincipalType":"Application","accountEnabled":true}}]}}"#
    );
    let mut collector = Collector::new();
    collector.add_captured("full", full.as_bytes(), at(1));
    collector.add_captured("selected", selected.as_bytes(), at(2));
    let inv = collector.finish();
    let sp = native(&inv, C_APP);
    assert!(!sp.enabled);
    assert_eq!(sp.publisher.as_ref().and_then(|p| p.verified), Some(true));
    // Null says "not disabled": the newer copy that says so is believed.
    let cleared = selected.replace(
        r#""accountEnabled":true}"#,
        r#""accountEnabled":true,"disabledByMicrosoftStatus":null}"#,
    );
    let mut collector = Collector::new();
    collector.add_captured("full", full.as_bytes(), at(1));
    collector.add_captured("cleared", cleared.as_bytes(), at(2));
    assert!(native(&collector.finish(), C_APP).enabled);
}

#[test]
fn entra_copies_fill_in_newest_first_whatever_the_order_read() {
    let at = |m| Some(ts("2026-11-30T00:00:00Z") + time::Duration::minutes(m));
    // The list (a certificate), the app after its certificate went (all fields), and a `$select`
    // of its secrets alone, newest: the certificate stays gone, in either order read.
    let after = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications/$entity","id":"{A_OBJ}","appId":"{A_APP}","displayName":"dxprovisioning-graphapi-client","passwordCredentials":[],"keyCredentials":[]}}"#
    );
    let secrets = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications(id,appId,passwordCredentials)/$entity","id":"{A_OBJ}","appId":"{A_APP}","passwordCredentials":[]}}"#
    );
    let list = bytes_of("entra", "applications.json");
    for order in [[0, 1, 2], [0, 2, 1], [2, 1, 0]] {
        let inputs: [(&str, &[u8], i64); 3] = [
            ("list", &list, 1),
            ("after", after.as_bytes(), 2),
            ("secrets", secrets.as_bytes(), 3),
        ];
        let mut collector = Collector::new();
        for i in order {
            let (source, bytes, minute) = inputs[i];
            collector.add_captured(source, bytes, at(minute));
        }
        let inv = collector.finish();
        assert!(native(&inv, A_APP).credentials.is_empty(), "{order:?}");
    }
}

#[test]
fn entra_two_directories_read_together_name_each_one_s_resources() {
    // Microsoft's APIs have one app ID in every directory and an object of their own in each:
    // each directory's grants name its own, which must name the API and its roles.
    let directory = |d: char| {
        let sps = format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals","value":[{{"id":"client-{d}","appId":"c{d}000000-0000-0000-0000-000000000001","displayName":"client {d}","appOwnerOrganizationId":"11111111-1111-1111-1111-00000000000{d}","servicePrincipalType":"Application","appRoles":[]}},{{"id":"exo-{d}","appId":"00000002-0000-0ff1-ce00-000000000000","displayName":"Office 365 Exchange Online","appOwnerOrganizationId":"f8cdef31-a31e-4b4a-93e4-5f571e91255a","servicePrincipalType":"Application","appRoles":[{{"id":"dc890d15-9560-4a4c-9b7f-a736ec74ec40","value":"full_access_as_app"}}]}},{{"id":"graph-{d}","appId":"{GRAPH_APP}","displayName":"Microsoft Graph","appOwnerOrganizationId":"f8cdef31-a31e-4b4a-93e4-5f571e91255a","servicePrincipalType":"Application","appRoles":[]}}]}}"#
        );
        let assigned = format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments","value":[{{"id":"x{d}","appRoleId":"dc890d15-9560-4a4c-9b7f-a736ec74ec40","principalId":"client-{d}","principalType":"ServicePrincipal","resourceId":"exo-{d}","createdDateTime":"2024-01-01T00:00:00Z"}}]}}"#
        );
        let granted = format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants","value":[{{"id":"g{d}","clientId":"client-{d}","consentType":"AllPrincipals","principalId":null,"resourceId":"graph-{d}","scope":"Mail.ReadWrite"}}]}}"#
        );
        [sps, assigned, granted]
    };
    let mut collector = Collector::new();
    for d in ['a', 'b'] {
        for (i, text) in directory(d).iter().enumerate() {
            collector.add(&format!("{d}{i}"), text.as_bytes());
        }
    }
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    for d in ['a', 'b'] {
        let client = native(&inv, &format!("c{d}000000-0000-0000-0000-000000000001"));
        assert_eq!(grant(client, "full_access_as_app").tier, Tier::Admin, "{d}");
        assert_eq!(grant(client, "Mail.ReadWrite").tier, Tier::Write, "{d}");
    }
}

#[test]
fn entra_one_object_without_an_app_id_names_no_app_and_is_no_problem() {
    let mut collector = Collector::new();
    collector.add(
        "one",
        br#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#applications(id)/$entity","id":"x"}"#,
    );
    collector.add(
        "two",
        br#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appRoles)/$entity","appRoles":[]}"#,
    );
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    assert!(inv.identities.is_empty());
}

#[test]
fn entra_one_service_principal_fetched_by_its_id_is_one_with_the_list_s_copy() {
    let inv = read_clean(
        "entra",
        &["service_principal.json", "service_principals.json"],
    );
    assert_eq!(inv.identities.len(), 3);
    let sp = native(&inv, C_APP);
    assert!(has_source(
        sp,
        &source_of("entra", "service_principal.json")
    ));
    assert!(has_source(
        sp,
        &source_of("entra", "service_principals.json")
    ));
    // A newer copy that names nothing but its IDs keeps the older one's name and publisher.
    let mut collector = Collector::new();
    let at = |m| Some(ts("2026-11-30T00:00:00Z") + time::Duration::minutes(m));
    collector.add_captured("list", &bytes_of("entra", "service_principals.json"), at(1));
    let ids_only = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,passwordCredentials,keyCredentials)/$entity","id":"{C_SP}","appId":"{C_APP}","passwordCredentials":[],"keyCredentials":[]}}"#
    );
    collector.add_captured("one", ids_only.as_bytes(), at(2));
    let inv = collector.finish();
    let sp = native(&inv, C_APP);
    assert_eq!(sp.name, "Fabrikam CRM Connector");
    assert_eq!(
        sp.publisher,
        native(&read_clean("entra", &["service_principals.json"]), C_APP).publisher
    );
}

#[test]
fn entra_a_delta_reads_its_apps_and_passes_over_its_removals() {
    let inv = read_clean("entra", &["applications_delta.json"]);
    assert_eq!(credential_ids(native(&inv, A_APP)), [A_SECRET, A_CERT]);
    assert_eq!(inv.identities.len(), 1);
}

#[test]
fn entra_one_object_is_no_page_of_a_list() {
    use nhi_lens::ingest::probe::{Loaded, loaded};
    for file in [
        "application.json",
        "application_select.json",
        "service_principal.json",
    ] {
        let text = String::from_utf8(bytes_of("entra", file)).unwrap();
        assert_eq!(loaded(&text), Loaded::Object, "{file}");
    }
    let list = String::from_utf8(bytes_of("entra", "applications.json")).unwrap();
    assert!(matches!(loaded(&list), Loaded::Page(_)));
}

#[test]
fn entra_managed_identity_has_no_recorded_owner() {
    let inv = read_clean("entra", &["service_principals_paged.json"]);
    let managed = native(&inv, "43333333-aaaa-4bbb-8ccc-000000000001");
    assert_eq!(managed.ownership, Ownership::NotRecorded);
    assert_eq!(
        managed.credential_control.rotate,
        nhi_lens::model::Controller::Vendor
    );
    let saml = native(&inv, "43333333-aaaa-4bbb-8ccc-000000000002");
    assert!(
        saml.credentials[0]
            .label
            .as_deref()
            .unwrap()
            .contains("[on the service principal]")
    );
}

// ------------------------------------------------------------------------------------------------
// AWS
// ------------------------------------------------------------------------------------------------

fn arn(user: &str) -> String {
    format!("arn:aws:iam::123456789012:user/{user}")
}

#[test]
fn aws_root_with_an_active_key_is_a_live_root_credential() {
    let inv = read_clean("aws", &["credential_report.csv"]);
    let root_keys: Vec<&Identity> = inv
        .identities
        .iter()
        .filter(|i| i.root_account && !i.human)
        .collect();
    assert_eq!(root_keys.len(), 1);
    let keys = root_keys[0];
    assert_eq!(keys.kind, Kind::AccessKey);
    assert_eq!(keys.native_id, "arn:aws:iam::123456789012:root#access-keys");
    assert_eq!(keys.live_credentials(now()).count(), 1);
    assert_eq!(keys.max_tier(), Some(Tier::Admin));
    assert_eq!(keys.location.as_deref(), Some("123456789012"));
    assert_eq!(used_at(&keys.usage), ts("2026-11-20T09:15:00Z"));
    assert_eq!(
        keys.credentials[0].created_at,
        Some(ts("2019-03-01T10:00:00Z"))
    );

    let root = native(&inv, "arn:aws:iam::123456789012:root");
    assert!(root.human && root.root_account);
    assert_eq!(root.name, "root account");
    assert_eq!(root.created_at, Some(ts("2017-06-10T02:35:07Z")));
    let login = root.interactive.as_ref().unwrap();
    assert_eq!(login.mfa, Some(true));
    assert_eq!(login.last_login, Some(ts("2026-10-22T08:11:09Z")));
}

#[test]
fn aws_people_and_workloads_are_told_apart() {
    let inv = read_clean("aws", &["credential_report.csv"]);
    let person = native(&inv, &arn("IAM-user"));
    assert!(person.human);
    assert_eq!(person.kind, Kind::User);
    let login = person.interactive.as_ref().unwrap();
    assert!(login.password_enabled);
    assert_eq!(login.mfa, Some(true));
    assert!(person.credentials.is_empty());

    // A console password without MFA, and a key: a workload that can also sign in.
    let mixed = native(&inv, &arn("example.user"));
    assert!(!mixed.human);
    assert_eq!(mixed.kind, Kind::ServiceUser);
    assert_eq!(mixed.interactive.as_ref().unwrap().mfa, Some(false));

    let ci = native(&inv, &arn("ci-deployer"));
    assert!(!ci.human);
    assert_eq!(ci.interactive, None);
    let Usage::Used(last) = &ci.usage else {
        panic!("{:?}", ci.usage)
    };
    assert_eq!(last.at, ts("2017-08-30T13:32:00Z"));
    assert_eq!(last.precision, Precision::WindowMinutes(15));

    let alice = native(&inv, &arn("alice"));
    assert!(alice.human);
    let alice_keys = native(&inv, &format!("{}#access-keys", arn("alice")));
    assert_eq!(owner_names(alice_keys), ["alice"]);
    assert_eq!(alice_keys.credentials.len(), 2);
    assert_eq!(alice_keys.live_credentials(now()).count(), 1);
    assert_eq!(used_at(&alice_keys.usage), ts("2026-11-28T10:00:00Z"));
}

#[test]
fn aws_not_applicable_last_use_is_never_used() {
    let inv = read_clean("aws", &["credential_report.csv"]);
    let backup = native(&inv, &arn("backup-job"));
    assert_eq!(backup.kind, Kind::ServiceUser);
    assert!(
        matches!(backup.usage, Usage::Never { .. }),
        "{:?}",
        backup.usage
    );
    let Usage::Never { source } = &backup.credentials[0].usage else {
        panic!("{:?}", backup.credentials[0].usage)
    };
    assert!(source.contains("N/A"), "{source}");
    assert_eq!(backup.credentials[0].expiry, Expiry::Never);
    assert_eq!(backup.ownership, Ownership::NotRecorded);
}

/// An account whose only key was deactivated was last used when that key was: the use was
/// the account's, whatever the key's state since.
#[test]
fn aws_a_deactivated_keys_last_use_is_the_accounts() {
    let path = fixtures().join("aws/credential_report.csv");
    let report = std::fs::read_to_string(&path).unwrap();
    let header = report.lines().next().unwrap();
    let columns = header.split(',').count();
    let mut row = vec![""; columns];
    let cells = [
        ("user", "old-job"),
        ("arn", "arn:aws:iam::123456789012:user/old-job"),
        ("user_creation_time", "2019-01-01T00:00:00+00:00"),
        ("password_enabled", "false"),
        ("mfa_active", "false"),
        ("access_key_1_active", "false"),
        ("access_key_1_last_rotated", "2019-01-02T00:00:00+00:00"),
        ("access_key_1_last_used_date", "2025-01-03T04:05:00+00:00"),
        ("access_key_2_active", "false"),
        ("access_key_2_last_rotated", "N/A"),
        ("access_key_2_last_used_date", "N/A"),
        ("cert_1_active", "false"),
        ("cert_2_active", "false"),
    ];
    for (name, value) in cells {
        let at = header.split(',').position(|h| h == name).unwrap();
        row[at] = value;
    }
    let text = format!("{header}\n{}\n", row.join(","));
    let mut collector = Collector::new();
    collector.add("credential_report.csv", text.as_bytes());
    let inv = collector.finish();
    assert!(inv.errors.is_empty(), "{:#?}", inv.errors);
    let old = native(&inv, &arn("old-job"));
    assert!(!old.enabled);
    assert_eq!(old.live_credentials(now()).count(), 0);
    assert_eq!(used_at(&old.usage), ts("2025-01-03T04:05:00Z"));
}

#[test]
fn aws_reports_without_last_used_columns_leave_use_unknown() {
    let inv = read_clean("aws", &["credential_report_2014.csv"]);
    let deploy = native(&inv, &arn("deploy"));
    // Its keys' use is not loaded and its certificate's is not recorded: unknown either way.
    assert!(
        !deploy.usage.is_tracked(),
        "no column is not \"never used\": {:?}",
        deploy.usage
    );
    assert!(
        deploy
            .credentials
            .iter()
            .all(|c| !matches!(c.usage, Usage::Never { .. }))
    );
    assert_eq!(
        deploy
            .credentials
            .iter()
            .filter(|c| c.kind == CredentialKind::Certificate)
            .count(),
        1
    );
    assert_eq!(deploy.live_credentials(now()).count(), 3);

    let subset = read_clean("aws", &["credential_report_subset.csv"]);
    let svc = native(&subset, &arn("svc-deploy"));
    assert_eq!(svc.usage, Usage::NotLoaded);
    let admin = native(&subset, &arn("admin"));
    assert!(admin.human);
}

#[test]
fn aws_json_report_reads_like_its_csv() {
    let from_json = read_clean("aws", &["credential_report.json"]);
    let from_csv = read_clean("aws", &["credential_report.csv"]);
    assert_eq!(from_json.identities.len(), 4);
    for identity in &from_json.identities {
        let mut same = native(&from_csv, &identity.native_id).clone();
        same.sources = identity.sources.clone();
        assert_eq!(&same, identity);
    }
}

// ------------------------------------------------------------------------------------------------
// Okta
// ------------------------------------------------------------------------------------------------

#[test]
fn okta_tokens_derive_last_use_and_read_the_network() {
    let inv = read_clean("okta", &["api_tokens.json"]);
    let siem = native(&inv, "00Tck1l40BgsBbRf40g7");
    assert_eq!(siem.kind, Kind::ApiToken);
    assert_eq!(siem.name, "SIEM integration");
    assert_eq!(siem.location.as_deref(), Some("Okta API"));
    assert_eq!(owner_names(siem), ["00u1gjh63g214q0Hq0g4"]);
    let Usage::Used(last) = &siem.usage else {
        panic!("{:?}", siem.usage)
    };
    assert_eq!(
        last.at,
        ts("2026-10-31T00:00:00Z"),
        "expiresAt − tokenWindow"
    );
    assert_eq!(last.precision, Precision::Derived);
    assert_eq!(siem.network, Network::Restricted);
    assert_eq!(
        siem.credentials[0].expiry,
        Expiry::Idle {
            at: ts("2026-11-30T00:00:00Z"),
            days: 30
        }
    );
    assert_eq!(siem.created_at, Some(ts("2026-01-01T00:00:00Z")));

    let terraform = native(&inv, "00T3kinb0wOUpDUdV5d7");
    assert_eq!(terraform.network, Network::Anywhere);
    assert_eq!(used_at(&terraform.usage), ts("2026-11-20T08:30:00Z"));

    let spare = native(&inv, "00T9zyxw8v7u6t5s4r3q");
    assert!(
        matches!(spare.usage, Usage::Never { .. }),
        "{:?}",
        spare.usage
    );
}

#[test]
fn okta_tokens_without_network_or_window_are_read() {
    let inv = read_clean("okta", &["api_tokens_partial.json"]);
    for identity in &inv.identities {
        assert_eq!(identity.network, Network::Unknown, "{}", identity.id);
    }
    let no_window = native(&inv, "00Tpartialbbbbbbbbbb");
    assert_eq!(
        no_window.credentials[0].expiry,
        Expiry::Idle {
            at: ts("2026-12-15T00:00:00Z"),
            days: 30
        }
    );
    let anonymous = native(&inv, "00Tpartialcccccccccc");
    assert_eq!(anonymous.name, "00Tpartialcccccccccc");
    assert_eq!(anonymous.ownership, Ownership::Missing);
    assert_eq!(anonymous.location, None);
}

#[test]
fn okta_absurd_token_windows_are_a_data_problem_not_a_panic() {
    for window in ["P999999999W", "P4294967295D", "P5000000D"] {
        let json = format!(
            r#"[{{"id":"00Tabsurd","name":"x","userId":"00u1","clientName":"Okta API",
                 "tokenWindow":"{window}","created":"2026-01-01T00:00:00.000Z",
                 "expiresAt":"2026-12-01T00:00:00.000Z"}}]"#
        );
        let result = std::panic::catch_unwind(|| {
            let mut collector = Collector::new();
            collector.add("okta_tokens.json", json.as_bytes());
            collector.finish()
        });
        let inventory = result.unwrap_or_else(|_| panic!("tokenWindow {window} panics"));
        assert_eq!(inventory.identities.len(), 1, "{window}");
    }
}

#[test]
fn okta_last_use_before_year_zero_does_not_break_the_json_report() {
    let json = br#"[{"id":"00Tearly","name":"x","userId":"00u1","clientName":"Okta API",
                    "tokenWindow":"P99999D","created":"2026-01-01T00:00:00.000Z",
                    "expiresAt":"0001-01-01T00:00:00Z"}]"#;
    let mut collector = Collector::new();
    collector.add("okta_tokens.json", json);
    let report = nhi_lens::assess(collector.finish(), &Policy::default(), now());
    let written = std::panic::catch_unwind(|| report::to_json(&report).to_string());
    assert!(written.is_ok(), "the JSON report panics");
    let mut out = Vec::new();
    report::write(&report, report::Format::Json, &mut out).expect("the JSON report is written");
}

// ------------------------------------------------------------------------------------------------
// Secrets never leave the parsers
// ------------------------------------------------------------------------------------------------

const MARKER: &str = "FAKE-SECRET-MARKER";

#[test]
fn secret_bearing_fields_never_reach_a_report() {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for platform in platforms_with_formats() {
        for entry in manifest(platform) {
            inputs.push((
                source_of(platform, &entry.file),
                bytes_of(platform, &entry.file),
            ));
        }
    }
    let with_markers: Vec<&str> = inputs
        .iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains(MARKER))
        .map(|(s, _)| s.as_str())
        .collect();
    assert!(
        with_markers.len() >= 3,
        "the marker fixtures are missing: {with_markers:?}"
    );
    for needed in [1, 2, 3, 4] {
        let marker = format!("{MARKER}-{needed}");
        assert!(
            inputs
                .iter()
                .any(|(_, b)| String::from_utf8_lossy(b).contains(&marker)),
            "no fixture holds {marker}"
        );
    }

    let report = nhi_lens::scan(
        inputs.iter().map(|(s, b)| (s.as_str(), b.as_slice())),
        &Policy::default(),
        now(),
    );
    let marker_identities = report
        .assessments()
        .filter(|a| {
            a.identity
                .sources
                .iter()
                .any(|s| with_markers.contains(&&**s))
        })
        .count();
    assert!(
        marker_identities >= 4,
        "the marker fixtures yielded {marker_identities} identities"
    );

    let json = report::to_json(&report).to_string();
    assert!(!json.contains(MARKER), "a secret reached the JSON report");
    for (format, name, _) in report::Format::ALL {
        let mut out = Vec::new();
        report::write(&report, format, &mut out).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains(MARKER), "a secret reached the {name} report");
        for blob in key_blobs("deploy_keys.json") {
            assert!(
                !text.contains(&blob),
                "a public key reached the {name} report"
            );
        }
    }
}

#[test]
fn webhook_urls_lose_their_credentials_but_keep_their_host() {
    let inv = read_clean("github", &["secret_markers.json"]);
    let query = native(&inv, "41").endpoint.clone().unwrap();
    assert!(
        query.url.starts_with("https://hooks.example.com/ingest"),
        "{}",
        query.url
    );
    assert_eq!(
        query.signed,
        Some(true),
        "an unmasked secret still means signed"
    );
    let userinfo = native(&inv, "42");
    assert_eq!(userinfo.name, "hooks.example.net");
    assert!(
        userinfo
            .endpoint
            .as_ref()
            .unwrap()
            .url
            .starts_with("https://hooks.example.net/push")
    );
    let serialized = serde_json::to_string(&inv.identities).unwrap();
    assert!(!serialized.contains(MARKER), "{serialized}");
}

// ------------------------------------------------------------------------------------------------
// Bad input
// ------------------------------------------------------------------------------------------------

/// Each bad file, and what its error must say.
const BAD: [(&str, &str); 7] = [
    ("notes.txt", "neither JSON nor a CSV"),
    ("truncated.json", "ends early"),
    ("unknown_shape.json", "does not know"),
    ("wrong_type_deploy_keys.json", "record 2"),
    ("binary.bin", "binary"),
    ("unknown.csv", "CSV file of a kind"),
    ("empty_file.json", "empty"),
];

const HOSTILE: [&str; 3] = [
    "<img src=x onerror=alert(1)>",
    "\u{1b}[31mred alert\u{1b}[0m\nfake line",
    "invoice\u{202e}gpj.exe",
];

const GOOD: [(&str, &str, usize); 3] = [
    ("github", "deploy_keys.json", 3),
    ("okta", "api_tokens.json", 3),
    ("aws", "credential_report.csv", 8),
];

fn scan_bad_and_good() -> Inventory {
    let mut collector = Collector::new();
    for (folder, file, _) in &GOOD[..2] {
        collector.add(&source_of(folder, file), &bytes_of(folder, file));
    }
    for (file, _) in BAD {
        collector.add(&source_of("bad", file), &bytes_of("bad", file));
    }
    collector.add(
        &source_of("bad", "hostile_names.json"),
        &bytes_of("bad", "hostile_names.json"),
    );
    let (folder, file, _) = GOOD[2];
    collector.add(&source_of(folder, file), &bytes_of(folder, file));
    collector.finish()
}

#[test]
fn bad_inputs_are_named_with_a_plain_reason_and_hide_nothing_else() {
    let inv = scan_bad_and_good();
    for (file, reason) in BAD {
        let source = source_of("bad", file);
        let errors: Vec<&str> = inv
            .errors
            .iter()
            .filter(|e| e.source == source)
            .map(|e| e.message.as_str())
            .collect();
        assert!(!errors.is_empty(), "{file}: no error");
        assert!(
            errors.iter().any(|m| m.contains(reason)),
            "{file}: no error says \"{reason}\": {errors:?}"
        );
        for message in &errors {
            assert!(!message.trim().is_empty(), "{file}: an empty reason");
            assert!(
                !message.contains('\n'),
                "{file}: a reason over several lines: {message}"
            );
            assert!(
                message.chars().count() < 400,
                "{file}: a long reason: {message}"
            );
            assert!(!message.contains("panicked"), "{file}: {message}");
        }
    }
    let unexpected: Vec<_> = inv
        .errors
        .iter()
        .filter(|e| !BAD.iter().any(|(f, _)| e.source == source_of("bad", f)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "errors from good inputs: {unexpected:?}"
    );
    for (folder, file, count) in GOOD {
        let source = source_of(folder, file);
        let from = inv
            .identities
            .iter()
            .filter(|i| has_source(i, &source))
            .count();
        assert_eq!(from, count, "{folder}/{file}");
    }
    let summaries: BTreeMap<&str, Option<&str>> = inv
        .inputs
        .iter()
        .map(|i| (i.source.as_str(), i.format.as_deref()))
        .collect();
    assert_eq!(summaries.len(), BAD.len() + GOOD.len() + 1);
    assert_eq!(summaries[source_of("bad", "notes.txt").as_str()], None);
}

#[test]
fn one_malformed_record_costs_only_itself() {
    let inv = collect("bad", &["wrong_type_deploy_keys.json"]);
    let ids: BTreeSet<&str> = inv
        .identities
        .iter()
        .map(|i| i.native_id.as_str())
        .collect();
    assert_eq!(ids, BTreeSet::from(["101", "103"]));
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    let message = &inv.errors[0].message;
    assert!(message.starts_with("record 2 skipped"), "{message}");
    assert_eq!(
        grant(native(&inv, "103"), "contents:write").tier,
        Tier::Write
    );
}

#[test]
fn truncating_any_fixture_gives_an_error_not_a_panic() {
    for platform in platforms_with_formats() {
        for entry in manifest(platform) {
            let bytes = bytes_of(platform, &entry.file);
            for cut in [
                1,
                bytes.len() / 3,
                bytes.len() / 2,
                bytes.len().saturating_sub(3),
            ] {
                let mut collector = Collector::new();
                collector.add("cut", &bytes[..cut.min(bytes.len())]);
                let inv = collector.finish();
                let json = entry.file.ends_with(".json");
                if json && cut < bytes.len().saturating_sub(2) {
                    assert!(
                        !inv.errors.is_empty(),
                        "{platform}/{} cut at {cut}: no error",
                        entry.file
                    );
                }
            }
        }
    }
}

#[test]
fn hostile_names_stay_text_in_the_model_and_are_escaped_in_reports() {
    let inv = read_clean("bad", &["hostile_names.json"]);
    let names: BTreeSet<&str> = inv.identities.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(HOSTILE),
        "names must survive unchanged"
    );
    assert_eq!(owner_names(native(&inv, "201")), ["<b>mallory</b>"]);

    let report = nhi_lens::assess(inv, &Policy::default(), now());
    let mut table = Vec::new();
    report::write(&report, report::Format::Table, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    for c in ['\u{1b}', '\u{202e}'] {
        assert!(!table.contains(c), "the table report prints {c:?}");
    }
    assert!(
        !table.contains("fake line\n"),
        "a name starts a new table line"
    );
    let mut md = Vec::new();
    report::write(&report, report::Format::Markdown, &mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(!md.contains("<img"), "raw HTML in the Markdown report");
    assert!(!md.contains("<b>"), "raw HTML in the Markdown report");
    assert!(!md.contains('\u{1b}'));
    // JSON keeps the text as text: serde escapes what must be escaped.
    let json = report::to_json(&report);
    let text = json.to_string();
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("<img src=x onerror=alert(1)>"));
}

// ------------------------------------------------------------------------------------------------
// Shapes that once fooled the detectors
// ------------------------------------------------------------------------------------------------

fn assert_entry_ok(platform: &str, file: &str) {
    let entry = entry(platform, file);
    let problems = check_entry(platform, &entry);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn entra_navigation_lists_under_a_service_principal_are_read_as_what_they_list() {
    // `$metadata#servicePrincipals('{id}')/appRoleAssignments` names the assignments, not the
    // service principal (the manifest test checks the detection).
    let inv = read_clean(
        "entra",
        &[
            "applications.json",
            "service_principals.json",
            "app_role_assignments_sp_context.json",
            "oauth2_permission_grants_sp_context.json",
        ],
    );
    assert_eq!(
        grant(native(&inv, A_APP), "Mail.ReadWrite").via,
        GrantVia::Application
    );
    assert_eq!(
        grant(native(&inv, C_APP), "Mail.Read").via,
        GrantVia::Delegated { all_users: true }
    );
}

#[test]
fn entra_selected_service_principals_are_not_read_as_applications() {
    assert_entry_ok("entra", "service_principals_select.json");
}

#[test]
fn entra_owners_starting_with_a_service_principal_are_read_as_owners() {
    assert_entry_ok(
        "entra",
        "servicePrincipals_8e881353-1735-45af-af21-ee1344582a4d_owners_sp_first.json",
    );
}

#[test]
fn entra_sign_in_reports_give_the_latest_sign_in_and_an_unreadable_date_is_not_never() {
    let report = |rows: &str| {
        format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/beta/$metadata#reports/servicePrincipalSignInActivities", "value": [{rows}]}}"#
        )
    };
    let row = |app: &str, at: &str| {
        format!(r#"{{"appId": "{app}", "lastSignInActivity": {{"lastSignInDateTime": {at}}}}}"#)
    };
    // Saved on two days; the later report lists the app twice, its last row without a date.
    let older = report(&row(A_APP, "\"2021-04-01T00:00:00Z\""));
    let newer = report(
        &[
            row(A_APP, "\"2025-01-01T00:00:00Z\""),
            row(A_APP, "null"),
            row(C_APP, "\"the day before yesterday\""),
        ]
        .join(","),
    );
    let mut collector = Collector::new();
    for file in ["applications.json", "service_principals.json"] {
        collector.add(&source_of("entra", file), &bytes_of("entra", file));
    }
    collector.add("newer.json", newer.as_bytes());
    collector.add("older.json", older.as_bytes());
    let inv = collector.finish();
    assert_eq!(inv.errors.len(), 1, "{:?}", inv.errors);
    assert!(inv.errors[0].message.contains("the day before yesterday"));
    assert_eq!(
        used_at(&native(&inv, A_APP).usage),
        ts("2025-01-01T00:00:00Z"),
        "the latest sign-in of every record wins, whatever the order"
    );
    assert_eq!(native(&inv, C_APP).usage, Usage::NotLoaded);
}

#[test]
fn an_api_error_answer_is_an_error_never_an_empty_list() {
    // As the APIs document their errors; an empty list beside some of them.
    let answers = [
        r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}"#,
        r#"{"errorMessages":[],"errors":{"token":"invalid"}}"#,
        r#"{"message":"Must have admin rights to Repository.","errors":[],"documentation_url":"https://docs.github.com/rest","status":"403"}"#,
        r#"{"ok":false,"error":"missing_scope","needed":"admin.apps:read","provided":"admin","warnings":[]}"#,
        r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired."}}"#,
        r#"{"message":"401 Unauthorized"}"#,
    ];
    for answer in answers {
        let inventory = read_text("answer.json", answer);
        assert_eq!(inventory.inputs[0].format, None, "{answer}");
        assert_eq!(inventory.errors.len(), 1, "{answer}");
        assert!(
            inventory.errors[0]
                .message
                .starts_with("an error the API answered, not its data"),
            "{answer}: {:?}",
            inventory.errors
        );
    }
    // A list that is empty is still one.
    let mut collector = Collector::new();
    collector.add("tokens.json", b"[]");
    collector.add("apps.json", br#"{"ok":true,"approved_apps":[]}"#);
    let inventory = collector.finish();
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
    assert!(
        inventory.inputs.iter().all(|i| i.format.is_some()),
        "{:?}",
        inventory.inputs
    );
}
