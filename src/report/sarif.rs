//! SARIF 2.1.0: every rule in `tool.driver.rules`, every finding a result with its `ruleId`,
//! level and the identity as a logical location. Accepted and allowlisted findings carry a
//! suppression, so dashboards show them as such instead of as open alerts.

use std::io::{self, Write};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::disposition_terms;
use crate::assess::Report;
use crate::frameworks::frameworks;
use crate::rules::{RULES, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The `security-severity` property code-scanning dashboards sort by (0–10).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn rules() -> Vec<Value> {
    let fw = frameworks();
    RULES
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            let doc = crate::rules::doc(meta.name);
            let what = doc.map_or("", |d| d.what_it_does);
            let fix = doc.map_or("", |d| d.remediation);
            let why = doc.map_or("", |d| d.why_is_this_bad);
            let mut tags: Vec<&str> = vec!["security", "non-human-identity"];
            tags.extend(fw.owasp_for(meta.code));
            tags.extend(fw.nist_for(meta.code));
            json!({
                "id": meta.code,
                "name": meta.name,
                "shortDescription": { "text": meta.title },
                "fullDescription": { "text": what },
                "help": {
                    "text": format!("{why}\n\nRemediation: {fix}"),
                    "markdown": format!("**Why is this bad?** {why}\n\n**Remediation.** {fix}"),
                },
                "defaultConfiguration": { "level": level(meta.severity) },
                "properties": {
                    "tags": tags,
                    "security-severity": security_severity(meta.severity),
                    "owasp_nhi": fw.owasp_for(meta.code),
                    "nist_csf": fw.nist_for(meta.code),
                },
            })
        })
        .collect()
}

/// The identity as a relative URI that stays the same from run to run, for dashboards that
/// track results by file: `nhi/github/deploy_key/123456`, its native ID percent-encoded, with a
/// self-managed instance's place after it (`101@gitlab.example.com`) and, in a report of several
/// tenants, its tenant before its kind (`nhi/okta/acme/api_token/00T1`).
fn artifact_uri(identity: &crate::model::Identity) -> String {
    let mut uri = format!("nhi/{}/", identity.platform.as_str());
    if let Some(tenant) = &identity.tenant {
        encode(&mut uri, tenant);
        uri.push('/');
    }
    uri.push_str(identity.kind.as_str());
    uri.push('/');
    // The ID after `platform:kind:`: the native ID, and an instance's place.
    let prefix = identity.platform.as_str().len() + identity.kind.as_str().len() + 2;
    encode(
        &mut uri,
        identity.id.get(prefix..).unwrap_or(&identity.native_id),
    );
    uri
}

/// Appends `text` percent-encoded, all but URI-unreserved characters.
fn encode(uri: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A message's text with `[` and `]` escaped, so a name read from a console (`[Fix](https://…)`)
/// is never an embedded link a SARIF viewer draws, and `{` and `}` doubled, as SARIF writes
/// them (§3.11.5), so a name such as `deploy {0}` is never a placeholder.
fn plain_message(text: &str) -> String {
    text.replace('[', "\\[")
        .replace(']', "\\]")
        .replace('{', "{{")
        .replace('}', "}}")
}

pub(super) fn write<W: ?Sized + Write>(report: &Report, out: &mut W) -> io::Result<()> {
    let index_of = |code: &str| RULES.iter().position(|r| r.meta().code == code);
    let mut results = Vec::new();
    for a in report.assessments() {
        let i = a.identity;
        let suffixes = super::finding_suffixes(&a);
        for (finding, suffix) in a.findings.iter().zip(&suffixes) {
            let key = format!("{}|{}{suffix}", finding.rule.code, i.id_in_tenant(),);
            let fingerprint = Sha256::digest(key.as_bytes());
            let fingerprint: String = fingerprint
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect();
            let mut result = json!({
                "ruleId": finding.rule.code,
                "ruleIndex": index_of(finding.rule.code),
                "level": level(finding.severity),
                "message": { "text": plain_message(&format!("{} ({}): {}: {}", i.name, i.id, finding.rule.title, finding.evidence)) },
                "locations": [{
                    // Code-scanning dashboards (GitHub's) take only results with a physical
                    // location: the identity as a stable path of its own, on its first line.
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact_uri(i) },
                        "region": { "startLine": 1 },
                    },
                    "logicalLocations": [{
                        "name": i.name,
                        "fullyQualifiedName": i.id_in_tenant(),
                        "kind": i.kind.as_str(),
                    }],
                }],
                "partialFingerprints": { "nhiLensFinding/v1": fingerprint },
                "properties": {
                    "platform": i.platform.as_str(),
                    "severity": finding.severity.as_str(),
                    "security-severity": security_severity(finding.severity),
                    "riskScore": a.score,
                    "riskLevel": a.level.as_str(),
                },
            });
            if !finding.is_open() {
                let (reason, until) = disposition_terms(finding);
                let justification = if until.is_empty() {
                    reason.to_string()
                } else {
                    format!("{reason} (until {until})")
                };
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": justification,
                }]);
            }
            results.push(result);
        }
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": format!("{}: {}", e.source, e.message) } }))
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "NHI Lens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules(),
                },
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    crate::json_out::write_document(out, &sarif)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, Kind, Platform};

    #[test]
    fn an_artifact_is_one_identity_of_one_instance_and_tenant() {
        let mut token = Identity::new(Platform::Gitlab, Kind::ApiToken, "101", "deploy {0}");
        assert_eq!(artifact_uri(&token), "nhi/gitlab/api_token/101");
        token.id.push_str("@gitlab.example.com/gitlab");
        assert_eq!(
            artifact_uri(&token),
            "nhi/gitlab/api_token/101%40gitlab.example.com%2Fgitlab"
        );
        token.tenant = Some("acme@gitlab.example.com/gitlab".into());
        assert_eq!(
            artifact_uri(&token),
            "nhi/gitlab/acme%40gitlab.example.com%2Fgitlab/api_token/101%40gitlab.example.com%2Fgitlab"
        );
        assert_eq!(plain_message("deploy {0} [x]"), "deploy {{0}} \\[x\\]");
    }
}
