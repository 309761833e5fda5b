//! The `nhi-lens/1` JSON report: one schema for the command line, the extension and the web page
//! (DESIGN.md, "The JSON report"). Fields beyond the contract (`human`, `credentials`, `grants`,
//! …) are additions; none of the contract's fields change meaning.

use std::io::{self, Write};

use serde::Serialize;

use super::{Facts, facts, remediation, status};
use crate::assess::{Assessment, Report};
use crate::frameworks::frameworks;
use crate::ingest::{InputError, InputSummary};
use crate::model::{
    Credential, CredentialControl, Endpoint, Grant, InteractiveLogin, Network, Owner, Precision,
    Principal, Publisher, Reach, Timestamp,
};
use crate::rules::{Disposition, Finding};
use crate::score::finding_points;

/// The schema identifier written into every report.
pub const SCHEMA: &str = "nhi-lens/1";

#[derive(Serialize)]
struct ReportView<'a> {
    schema: &'static str,
    #[serde(with = "crate::timestamp::rfc3339")]
    now: Timestamp,
    summary: Summary,
    identities: Vec<IdentityView<'a>>,
    errors: &'a [InputError],
    inputs: &'a [InputSummary],
}

#[derive(Serialize)]
struct Summary {
    identities: usize,
    non_human: usize,
    human: usize,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    none: usize,
    findings: usize,
}

#[derive(Serialize)]
struct IdentityView<'a> {
    id: &'a str,
    platform: &'static str,
    kind: &'static str,
    name: &'a str,
    native_id: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    location: Option<&'a str>,
    /// The inventory it was read into, in a report of several (see `Identity::tenant`).
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<&'a str>,
    human: bool,
    enabled: bool,
    pending: bool,
    owner: Option<OwnerView<'a>>,
    /// `known`, `missing`, `not_loaded` or `not_recorded`: why `owner` may be null.
    owner_state: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    approved_by: &'a [Principal],
    #[serde(with = "crate::timestamp::rfc3339::option")]
    created_at: Option<Timestamp>,
    #[serde(with = "crate::timestamp::rfc3339::option")]
    last_used_at: Option<Timestamp>,
    /// Where `last_used_at` came from, or why it is null (`never`, `not loaded`, `not recorded`).
    last_used_source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_used_precision: Option<Precision>,
    #[serde(with = "crate::timestamp::rfc3339::option")]
    oldest_secret_at: Option<Timestamp>,
    #[serde(with = "crate::timestamp::rfc3339::option")]
    expires_at: Option<Timestamp>,
    expiry: &'static str,
    age_days: Option<i64>,
    risk: Risk,
    findings: Vec<FindingView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    credentials: &'a [Credential],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    grants: &'a [Grant],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    grants_unread: bool,
    // From here to `root_account`, the details a lean report leaves out (`None`): the side panel's
    // list never shows them, the card asks for its one identity whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Option<&'a Publisher>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credential_control: Option<CredentialControl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_contact: Option<Option<&'a str>>,
    /// Every owner, with how each is known (`owner` is the first active one).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    owners: &'a [Owner],
    #[serde(skip_serializing_if = "Option::is_none")]
    reach: Option<Reach>,
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<Network>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<&'a Endpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interactive: Option<&'a InteractiveLogin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    root_account: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legacy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    /// Left out of a lean report, as the details above are.
    #[serde(skip_serializing_if = "Option::is_none")]
    sources: Option<&'a [std::sync::Arc<str>]>,
}

#[derive(Serialize)]
struct OwnerView<'a> {
    name: &'a str,
    status: &'static str,
    source: &'static str,
}

#[derive(Serialize)]
struct Risk {
    score: u8,
    level: &'static str,
}

/// A finding. The rule's own texts (title, frameworks, remediation) are the same in every finding
/// of a rule: a lean report leaves them out and gives them once, beside it ([`rule_texts`]).
#[derive(Serialize)]
struct FindingView<'a> {
    rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'static str>,
    severity: &'static str,
    points: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    owasp_nhi: Option<&'static [&'static str]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nist_csf: Option<&'static [&'static str]>,
    /// Left out of a lean report: only the detail of one identity shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<&'static str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::timestamp::rfc3339::option"
    )]
    accepted_until: Option<Timestamp>,
}

fn finding_view(f: &Finding, lean: bool) -> FindingView<'_> {
    let fw = frameworks();
    let full = |v| if lean { None } else { Some(v) };
    let (reason, accepted_until) = match &f.disposition {
        Disposition::Open => (None, None),
        Disposition::Accepted { reason, until } => (Some(reason.as_str()), Some(*until)),
        Disposition::Allowed { reason } => (Some(reason.as_str()), None),
    };
    FindingView {
        rule: f.rule.code,
        title: full(f.rule.title),
        severity: f.severity.as_str(),
        points: finding_points(f),
        owasp_nhi: (!lean).then(|| fw.owasp_for(f.rule.code)),
        nist_csf: (!lean).then(|| fw.nist_for(f.rule.code)),
        evidence: (!lean).then_some(f.evidence.as_str()),
        remediation: full(remediation(f)),
        status: status(f),
        reason,
        accepted_until,
    }
}

/// A detail of the full report, which a lean one leaves out.
fn unless_lean<T>(lean: bool, value: T) -> Option<T> {
    (!lean).then_some(value)
}

fn identity_view(a: Assessment<'_>, now: Timestamp, lean: bool) -> IdentityView<'_> {
    let i = a.identity;
    let Facts {
        owner,
        last_used,
        last_used_label,
        oldest_secret_at,
        expires_at,
        expiry,
        age_days,
        ..
    } = facts(&a, now);
    IdentityView {
        id: &i.id,
        platform: i.platform.as_str(),
        kind: i.kind.as_str(),
        name: &i.name,
        native_id: &i.native_id,
        aliases: &i.aliases,
        location: i.location.as_deref(),
        tenant: i.tenant.as_deref(),
        human: i.human,
        enabled: i.enabled,
        pending: i.pending,
        owner: owner.map(|o| OwnerView {
            name: &o.who.name,
            status: o.who.status.as_str(),
            source: o.source.as_str(),
        }),
        owner_state: i.ownership.state(),
        approved_by: if lean { &[] } else { &i.approved_by },
        created_at: i.created_at,
        last_used_at: last_used.map(|u| u.at),
        last_used_source: last_used.map_or(last_used_label, |u| u.source.as_str()),
        last_used_precision: last_used.map(|u| u.precision),
        oldest_secret_at,
        expires_at,
        expiry,
        age_days,
        risk: Risk {
            score: a.score,
            level: a.level.as_str(),
        },
        findings: a.findings.iter().map(|f| finding_view(f, lean)).collect(),
        credentials: if lean { &[] } else { &i.credentials },
        grants: if lean { &[] } else { &i.grants },
        grants_unread: i.grants_unread,
        publisher: unless_lean(lean, i.publisher.as_ref()),
        credential_control: unless_lean(lean, i.credential_control),
        vendor_contact: unless_lean(lean, i.vendor_contact.as_deref()),
        owners: if lean { &[] } else { i.ownership.owners() },
        reach: unless_lean(lean, i.reach),
        network: unless_lean(lean, i.network),
        endpoint: i.endpoint.as_ref().filter(|_| !lean),
        interactive: i.interactive.as_ref().filter(|_| !lean),
        root_account: unless_lean(lean, i.root_account),
        legacy: i.legacy.as_deref(),
        audience: i.audience.as_deref(),
        client_id: i.client_id.as_deref(),
        sources: unless_lean(lean, &i.sources),
    }
}

fn view(report: &Report, lean: bool) -> ReportView<'_> {
    use crate::score::Level;
    let human = report.assessments().filter(|a| a.identity.human).count();
    ReportView {
        schema: SCHEMA,
        now: report.now,
        summary: Summary {
            identities: report.len(),
            non_human: report.len() - human,
            human,
            critical: report.count(Level::Critical),
            high: report.count(Level::High),
            medium: report.count(Level::Medium),
            low: report.count(Level::Low),
            none: report.count(Level::None),
            findings: report.assessments().map(|a| a.findings.len()).sum(),
        },
        identities: report
            .assessments()
            .map(|a| identity_view(a, report.now, lean))
            .collect(),
        errors: &report.errors,
        inputs: &report.inputs,
    }
}

/// Writes the report as pretty-printed JSON.
pub(super) fn write<W: ?Sized + Write>(report: &Report, out: &mut W) -> io::Result<()> {
    crate::json_out::write_document(out, &view(report, false))
}

/// The report as compact JSON text, written straight from the report (the extension's side
/// panel reads thousands of identities this way).
pub fn to_json_string(report: &Report) -> String {
    crate::json_out::to_string(&view(report, false)).expect("the report serializes")
}

/// The report as compact JSON text for the side panel's list: its findings leave out their
/// rule's texts (title, OWASP and NIST IDs, remediation), which [`rule_texts`] gives once per
/// rule, and their evidence; its identities, the details only one identity's page shows (the
/// page asks for that identity whole). A fraction of the size for thousands of identities.
pub fn to_lean_json_string(report: &Report) -> String {
    crate::json_out::to_string(&view(report, true)).expect("the report serializes")
}

/// One identity of the report as the report writes it, if the report has it.
pub fn identity_json_string(report: &Report, id: &str) -> Option<String> {
    let assessment = report.assessments().find(|a| a.identity.id == id)?;
    Some(
        crate::json_out::to_string(&identity_view(assessment, report.now, false))
            .expect("an identity serializes"),
    )
}

/// The texts every finding of a rule shares, which a lean report leaves out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuleText {
    pub rule: String,
    pub title: String,
    pub owasp_nhi: Vec<String>,
    pub nist_csf: Vec<String>,
    pub remediation: String,
}

/// The shared texts of every rule.
pub fn rule_texts() -> Vec<RuleText> {
    let fw = frameworks();
    crate::rules::RULES
        .iter()
        .map(|r| {
            let meta = r.meta();
            let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
            RuleText {
                rule: meta.code.to_string(),
                title: meta.title.to_string(),
                owasp_nhi: owned(fw.owasp_for(meta.code)),
                nist_csf: owned(fw.nist_for(meta.code)),
                remediation: crate::rules::doc(meta.name)
                    .map_or("", |d| d.remediation)
                    .to_string(),
            }
        })
        .collect()
}

/// The report as a JSON value (for the extension's export and for tests).
pub fn to_json(report: &Report) -> serde_json::Value {
    serde_json::to_value(view(report, false)).expect("the report serializes")
}
