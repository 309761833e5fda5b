//! NHI Lens's own `nhi-lens/1` JSON report (from the command line, the extension's export or
//! the web page) read back as an input: its identities are scored again, under today's policy
//! and date, and under the decisions its findings record (risks accepted, until their day, and
//! allowlisted). The report carries the whole model of each identity for this purpose.

use std::sync::Arc;

use serde::Deserialize;

use super::probe::Shape;
use super::{Input, Sink, records};
use crate::model::{
    Credential, CredentialControl, Endpoint, Grant, Identity, InteractiveLogin, Kind, LastUse,
    Network, Owner, Ownership, Platform, Precision, Principal, Publisher, Reach, Timestamp, Usage,
};
use crate::platforms::Format;
use crate::platforms::read_exported;
use crate::policy::{Acceptance, Allow, Decisions};
use crate::rules::Severity;

/// The report format in the detection order, ahead of every platform's formats.
pub(super) const FORMAT: Format = Format {
    id: "nhi_lens.report",
    title: "NHI Lens JSON report (nhi-lens scan --format json, or the extension's export)",
    doc_url: "https://github.com/nhi-lens/nhi-lens#reports",
    detect,
    read: read_exported!(read),
    exported_only: true,
};

fn detect(shape: &Shape) -> bool {
    let Shape::Json(s) = shape else { return false };
    !s.top_array
        && s.string("schema")
            .is_some_and(|v| v.starts_with("nhi-lens/1"))
        && (s.list_is(Some("identities")) || s.has_key("identities"))
}

/// One identity as the report writes it.
#[derive(Deserialize)]
struct Saved {
    /// As written: `platform:kind:native-id`, with `@host` after it for a self-managed
    /// instance's identity (whose numbers are that instance's own).
    #[serde(default)]
    id: Option<String>,
    platform: Platform,
    kind: Kind,
    name: String,
    native_id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    tenant: Option<Arc<str>>,
    #[serde(default)]
    human: bool,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    pending: bool,
    #[serde(default)]
    owners: Vec<Owner>,
    #[serde(default)]
    owner_state: Option<String>,
    #[serde(default)]
    approved_by: Vec<Principal>,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    created_at: Option<Timestamp>,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    last_used_at: Option<Timestamp>,
    #[serde(default)]
    last_used_source: Option<String>,
    #[serde(default)]
    last_used_precision: Option<Precision>,
    #[serde(default)]
    credentials: Vec<Credential>,
    #[serde(default)]
    grants: Vec<Grant>,
    #[serde(default)]
    grants_unread: bool,
    #[serde(default)]
    reach: Reach,
    #[serde(default)]
    network: Network,
    #[serde(default)]
    endpoint: Option<Endpoint>,
    #[serde(default)]
    interactive: Option<InteractiveLogin>,
    #[serde(default)]
    root_account: bool,
    #[serde(default)]
    legacy: Option<String>,
    #[serde(default)]
    audience: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    publisher: Option<Publisher>,
    #[serde(default)]
    credential_control: CredentialControl,
    #[serde(default)]
    vendor_contact: Option<String>,
    #[serde(default)]
    sources: Vec<Arc<str>>,
    /// Read for the decisions they were under: scored again, the report's findings are its
    /// rules' anew.
    #[serde(default)]
    findings: Vec<SavedFinding>,
}

/// What a report says of one finding's disposition.
#[derive(Deserialize)]
struct SavedFinding {
    rule: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    accepted_until: Option<Timestamp>,
}

fn yes() -> bool {
    true
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Saved>(input.bytes, Some("identities"))?;
    sink.skipped(list.skipped);
    for mut saved in list.items {
        let findings = std::mem::take(&mut saved.findings);
        let identity = restore(saved);
        decisions(&identity, findings, sink.decisions);
        sink.push(identity);
    }
    Ok(())
}

/// The acceptances and allowlisting a report's findings on `identity` were under, kept as they
/// were: read back, an accepted finding stays accepted until its day (and only at the severity
/// it was accepted at), an allowed one allowed.
fn decisions(identity: &Identity, findings: Vec<SavedFinding>, into: &mut Decisions) {
    // A report of several tenants names each identity's: its decisions are that tenant's.
    let tenant = || identity.tenant.as_deref().map(str::to_string);
    for finding in findings {
        let reason = || {
            finding
                .reason
                .clone()
                .unwrap_or_else(|| "as an earlier NHI Lens report says".into())
        };
        match finding.status.as_deref() {
            Some("accepted") => {
                let Some(until) = finding.accepted_until else {
                    continue;
                };
                into.accept.push(Acceptance {
                    rule: finding.rule.clone(),
                    id: identity.id.clone(),
                    reason: reason(),
                    expires: crate::timestamp::format(until),
                    accepted_by: None,
                    severity: finding.severity,
                    tenant: tenant(),
                });
            }
            Some("allowed") => into.allow.push(Allow {
                id: identity.id.clone(),
                reason: reason(),
                rules: Some(vec![finding.rule.clone()]),
                tenant: tenant(),
            }),
            _ => {}
        }
    }
}

fn restore(saved: Saved) -> Identity {
    let mut identity = Identity::new(saved.platform, saved.kind, saved.native_id, saved.name);
    // An instance's ID is the one built here and its place (host, and path if any): kept, or two
    // instances' token 101 would be read back as one identity. Any other written ID is the one
    // built here.
    if let Some(id) = saved.id
        && id
            .strip_prefix(identity.id.as_str())
            .and_then(|rest| rest.strip_prefix('@'))
            .is_some_and(|place| crate::console::place_parts(place).is_some())
    {
        identity.id = id;
    }
    identity.aliases = saved.aliases;
    identity.location = saved.location;
    identity.tenant = saved.tenant;
    identity.human = saved.human;
    identity.enabled = saved.enabled;
    identity.pending = saved.pending;
    identity.ownership = match saved.owner_state.as_deref() {
        Some("missing") => Ownership::Missing,
        Some("not_recorded") => Ownership::NotRecorded,
        _ if !saved.owners.is_empty() => Ownership::Known(saved.owners),
        _ => Ownership::NotLoaded,
    };
    identity.approved_by = saved.approved_by;
    identity.created_at = saved.created_at;
    identity.usage = match (saved.last_used_at, saved.last_used_source) {
        (Some(at), source) => Usage::Used(LastUse {
            at,
            source: source.unwrap_or_else(|| "an earlier NHI Lens report".into()),
            precision: saved.last_used_precision.unwrap_or(Precision::Exact),
        }),
        (None, Some(source)) if source == "never" => Usage::Never {
            source: "never used, per an earlier NHI Lens report".into(),
        },
        (None, Some(source)) if source == "not recorded" => Usage::NotRecorded,
        (None, _) => Usage::NotLoaded,
    };
    identity.credentials = saved.credentials;
    identity.grants = saved.grants;
    identity.grants_unread = saved.grants_unread;
    identity.reach = saved.reach;
    identity.network = saved.network;
    identity.endpoint = saved.endpoint;
    identity.interactive = saved.interactive;
    identity.root_account = saved.root_account;
    identity.legacy = saved.legacy;
    identity.audience = saved.audience;
    identity.client_id = saved.client_id;
    identity.publisher = saved.publisher;
    identity.credential_control = saved.credential_control;
    identity.vendor_contact = saved.vendor_contact;
    identity.sources = saved.sources;
    identity
}

#[cfg(test)]
mod tests {
    use crate::ingest::{Collector, Inventory};
    use crate::model::{CredentialKind, Expiry, Kind, Platform};
    use crate::policy::{Acceptance, Allow, Policy};
    use crate::report::{Format, to_bytes};
    use crate::rules::testing::{NOW, credential, workload};

    /// Okta app `n` (of `tenant`) with a secret that never expires (NL101).
    fn secret_app(n: &str, tenant: Option<&str>) -> crate::model::Identity {
        let mut app = workload(Kind::OauthApp);
        let named = crate::model::Identity::new(Platform::Okta, Kind::OauthApp, n, "app");
        (app.platform, app.id, app.native_id) = (named.platform, named.id, named.native_id);
        app.credentials = vec![credential(CredentialKind::Secret, 400, Expiry::Never)];
        app.tenant = tenant.map(Into::into);
        app
    }

    /// App 1's NL101 accepted until the end of 2026 (in `tenant`'s inventory alone).
    fn accepted_on_1(tenant: Option<&str>) -> Acceptance {
        Acceptance {
            rule: "NL101".into(),
            id: "okta:oauth_app:1".into(),
            reason: "vendor rotates it".into(),
            expires: "2026-12-31".into(),
            accepted_by: None,
            severity: None,
            tenant: tenant.map(Into::into),
        }
    }

    #[test]
    fn a_report_read_back_keeps_the_decisions_its_findings_were_under() {
        // A secret that never expires (NL101) on two apps: one's risk accepted, the other's
        // allowlisted.
        let app = |n: &str| secret_app(n, None);
        let policy = Policy {
            accept: vec![accepted_on_1(None)],
            allow: vec![Allow {
                id: "okta:oauth_app:2".into(),
                reason: "break-glass".into(),
                rules: Some(vec!["NL101".into()]),
                tenant: None,
            }],
            ..Policy::default()
        };
        let inventory = Inventory {
            identities: vec![app("1"), app("2")],
            ..Inventory::default()
        };
        let written = to_bytes(&crate::assess(inventory, &policy, NOW), Format::Json).unwrap();
        let status = |report: &crate::Report, id: &str| {
            let a = report.assessments().find(|a| a.identity.id == id).unwrap();
            let f = a.findings.iter().find(|f| f.rule.code == "NL101").unwrap();
            crate::report::status_with_terms(f)
        };
        // Read back under no policy of its own, before the acceptance's day and after it.
        let mut read = Collector::new();
        read.add("export.json", &written);
        let mut inventory = read.finish();
        assert_eq!(inventory.decisions.accept.len(), 1);
        let read_back = |inventory: &mut Inventory| {
            Policy::default()
                .with_decisions(std::mem::take(&mut inventory.decisions))
                .into_owned()
        };
        let policy = read_back(&mut inventory);
        let again = crate::assess(inventory, &policy, NOW);
        assert_eq!(
            status(&again, "okta:oauth_app:1"),
            "accepted until 2026-12-31: vendor rotates it"
        );
        assert_eq!(status(&again, "okta:oauth_app:2"), "allowed: break-glass");
        let mut read = Collector::new();
        read.add("export.json", &written);
        let later = NOW + time::Duration::days(365);
        let mut inventory = read.finish();
        let policy = read_back(&mut inventory);
        let later = crate::assess(inventory, &policy, later);
        assert_eq!(status(&later, "okta:oauth_app:1"), "open");
    }

    #[test]
    fn decisions_read_back_from_a_report_of_several_tenants_stay_their_tenants() {
        // One ID in two inventories (a Slack app installed in two workspaces), accepted in one.
        let app = |tenant: &str| secret_app("1", Some(tenant));
        let policy = Policy {
            accept: vec![accepted_on_1(Some("okta:acme"))],
            ..Policy::default()
        };
        let inventory = Inventory {
            identities: vec![app("okta:acme"), app("okta:beta")],
            ..Inventory::default()
        };
        let first = crate::assess(inventory, &policy, NOW);
        let written = to_bytes(&first, Format::Json).unwrap();
        let statuses = |report: &crate::Report| {
            let mut all: Vec<(String, &str)> = report
                .assessments()
                .map(|a| {
                    let f = a.findings.iter().find(|f| f.rule.code == "NL101").unwrap();
                    (
                        a.identity.tenant.as_deref().unwrap().to_string(),
                        crate::report::status(f),
                    )
                })
                .collect();
            all.sort();
            all
        };
        let expected = [
            ("okta:acme".to_string(), "accepted"),
            ("okta:beta".to_string(), "open"),
        ];
        assert_eq!(statuses(&first), expected);
        let again = crate::scan(
            [("export.json", written.as_slice())],
            &Policy::default(),
            NOW,
        );
        assert_eq!(statuses(&again), expected);
    }

    #[test]
    fn an_instances_ids_are_read_back_as_written() {
        let report = r#"{"schema":"nhi-lens/1","identities":[
            {"id":"gitlab:api_token:101","platform":"gitlab","kind":"api_token","name":"a","native_id":"101"},
            {"id":"gitlab:api_token:101@gitlab.corp.example","platform":"gitlab","kind":"api_token","name":"a","native_id":"101"},
            {"id":"gitlab:api_token:101@code.corp.example/gitlab","platform":"gitlab","kind":"api_token","name":"a","native_id":"101"},
            {"id":"gitlab:api_token:103@code.corp.example/../x","platform":"gitlab","kind":"api_token","name":"c","native_id":"103"},
            {"id":"okta:api_token:elsewhere","platform":"gitlab","kind":"api_token","name":"b","native_id":"102"}
        ]}"#;
        let mut read = Collector::new();
        read.add("report.json", report.as_bytes());
        let mut ids: Vec<String> = read.finish().identities.into_iter().map(|i| i.id).collect();
        ids.sort();
        // A written ID that is not the built one (or it with an instance's place) is not taken.
        assert_eq!(
            ids,
            [
                "gitlab:api_token:101",
                "gitlab:api_token:101@code.corp.example/gitlab",
                "gitlab:api_token:101@gitlab.corp.example",
                "gitlab:api_token:102",
                "gitlab:api_token:103"
            ]
        );
    }
}
