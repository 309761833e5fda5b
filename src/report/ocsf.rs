//! OCSF Detection Finding (class_uid 2004), one event per finding, as a JSON array, for SIEMs.
//! Framework mappings travel in `unmapped.compliance`, as Prowler's OCSF output does.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{remediation, status, status_with_terms};
use crate::assess::Report;
use crate::frameworks::frameworks;
use crate::rules::{Disposition, Severity};
use crate::score::Level;

/// The OCSF schema version the events follow.
const OCSF_VERSION: &str = "1.3.0";

fn severity_id(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// OCSF's `risk_level_id`: 0 Info … 4 Critical (a level with no risk is Info).
fn risk_level_id(level: Level) -> u8 {
    match level {
        Level::None => 0,
        Level::Low => 1,
        Level::Medium => 2,
        Level::High => 3,
        Level::Critical => 4,
    }
}

/// OCSF's caption for [`risk_level_id`].
fn risk_level_name(level: Level) -> &'static str {
    ["Info", "Low", "Medium", "High", "Critical"][usize::from(risk_level_id(level))]
}

pub(super) fn write<W: ?Sized + Write>(report: &Report, out: &mut W) -> io::Result<()> {
    let time_ms = report.now.unix_timestamp() * 1000;
    let fw = frameworks();
    let mut events: Vec<Value> = Vec::new();
    for a in report.assessments() {
        let i = a.identity;
        let suffixes = super::finding_suffixes(&a);
        for (finding, suffix) in a.findings.iter().zip(&suffixes) {
            let (status_id, status_name) = match finding.disposition {
                Disposition::Open => (1, "New"),
                _ => (3, "Suppressed"),
            };
            let owner = i.ownership.primary().map(|o| o.who.name.as_str());
            let mut event = json!({
                "class_uid": 2004,
                "class_name": "Detection Finding",
                "category_uid": 2,
                "category_name": "Findings",
                "activity_id": 1,
                "activity_name": "Create",
                "type_uid": 200401,
                "type_name": "Detection Finding: Create",
                "severity_id": severity_id(finding.severity),
                "severity": severity_name(finding.severity),
                "status_id": status_id,
                "status": status_name,
                "time": time_ms,
                "message": format!("{}: {}", finding.rule.title, finding.evidence),
                "metadata": {
                    "version": OCSF_VERSION,
                    "product": {
                        "name": "NHI Lens",
                        "vendor_name": "NHI Lens",
                        "version": env!("CARGO_PKG_VERSION"),
                    },
                    "event_code": finding.rule.code,
                },
                "finding_info": {
                    // `nhi-lens:NL101:id`, and `…:1a2b3c4d` where the rule found several on it.
                    "uid": format!(
                        "nhi-lens:{}:{}{suffix}",
                        finding.rule.code,
                        i.id_in_tenant(),
                    ),
                    "title": finding.rule.title,
                    "desc": finding.evidence,
                    "types": ["Non-Human Identity"],
                    "created_time": time_ms,
                    "product_uid": "nhi-lens",
                },
                "resources": [{
                    "uid": i.id_in_tenant(),
                    "name": i.name,
                    "type": i.kind.as_str(),
                    "group": { "name": i.platform.as_str() },
                    "labels": i.location.iter().collect::<Vec<_>>(),
                }],
                "remediation": { "desc": remediation(finding) },
                "risk_score": a.score,
                "risk_level_id": risk_level_id(a.level),
                "risk_level": risk_level_name(a.level),
                "unmapped": {
                    "disposition": status(finding),
                    "compliance": {
                        "OWASP NHI Top 10 2025": fw.owasp_for(finding.rule.code),
                        "NIST CSF 2.0": fw.nist_for(finding.rule.code),
                    },
                },
            });
            // No owner known: the field is left out rather than null.
            if let Some(name) = owner {
                event["resources"][0]["owner"] = json!({ "name": name });
            }
            // An accepted or allowlisted finding's reason, and how long an acceptance holds.
            if status_id != 1 {
                event["status_detail"] = json!(status_with_terms(finding));
            }
            events.push(event);
        }
    }
    crate::json_out::write_document(out, &events)
}
