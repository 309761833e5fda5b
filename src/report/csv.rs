//! CSV: one row per finding with the identity's columns, and one row for each identity without
//! findings, so the file is also the inventory. Every cell is formula-safe.

use std::io::{self, Write};

use super::{disposition_terms, facts, remediation, status};
use crate::assess::Report;
use crate::frameworks::frameworks;
use crate::score::finding_points;
use crate::text::csv_cell;
use crate::timestamp::format as ts;

const HEADER: [&str; 25] = [
    "identity_id",
    "platform",
    "kind",
    "name",
    "location",
    "human",
    "enabled",
    "owner",
    "owner_status",
    "owner_source",
    "created_at",
    "last_used_at",
    "oldest_secret_at",
    "expires_at",
    "age_days",
    "risk_score",
    "risk_level",
    "rule",
    "title",
    "severity",
    "points",
    "status",
    "owasp_nhi",
    "nist_csf",
    "evidence",
];

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let mut header: Vec<&str> = HEADER.to_vec();
    // Last, so the columns before it keep their places.
    header.extend([
        "remediation",
        "sources",
        "permissions_not_read",
        "status_reason",
        "accepted_until",
        // Empty but in a report of several tenants (the extension's export of every tenant).
        "tenant",
        // A request not approved yet: its findings are what approving it would bring.
        "pending",
    ]);
    w.write_record(&header)?;
    let fw = frameworks();
    for a in report.assessments() {
        let i = a.identity;
        let f = facts(&a, report.now);
        let owner = f.owner;
        let identity_cells: Vec<String> = vec![
            i.id.clone(),
            i.platform.as_str().into(),
            i.kind.as_str().into(),
            i.name.clone(),
            i.location.clone().unwrap_or_default(),
            i.human.to_string(),
            i.enabled.to_string(),
            owner.map(|o| o.who.name.clone()).unwrap_or_default(),
            owner
                .map(|o| o.who.status.as_str().to_string())
                .unwrap_or_default(),
            owner
                .map(|o| o.source.as_str().to_string())
                .unwrap_or_else(|| f.owner_label.clone()),
            i.created_at.map(ts).unwrap_or_default(),
            f.last_used
                .map(|u| ts(u.at))
                .unwrap_or_else(|| f.last_used_label.to_string()),
            f.oldest_secret_at.map(ts).unwrap_or_default(),
            f.expires_at.map(ts).unwrap_or_else(|| f.expiry.to_string()),
            f.age_days.map(|d| d.to_string()).unwrap_or_default(),
            a.score.to_string(),
            a.level.as_str().into(),
        ];
        let sources = i.sources.join(" ");
        let unread = i.permissions_unread().to_string();
        let tenant = i.tenant.as_deref().unwrap_or_default().to_string();
        let pending = i.pending.to_string();
        if a.findings.is_empty() {
            let mut row = identity_cells.clone();
            row.extend(std::iter::repeat_n(
                String::new(),
                HEADER.len() - identity_cells.len() + 1,
            ));
            row.extend([
                sources.clone(),
                unread.clone(),
                String::new(),
                String::new(),
                tenant.clone(),
                pending.clone(),
            ]);
            w.write_record(row.iter().map(|c| csv_cell(c)))?;
        }
        for finding in a.findings {
            let mut row = identity_cells.clone();
            row.extend([
                finding.rule.code.to_string(),
                finding.rule.title.to_string(),
                finding.severity.as_str().to_string(),
                finding_points(finding).to_string(),
                status(finding).to_string(),
                fw.owasp_for(finding.rule.code).join(" "),
                fw.nist_for(finding.rule.code).join(" "),
                finding.evidence.clone(),
                // One line: the rule's source wraps it.
                crate::rules::first_sentence(&crate::text::collapse(remediation(finding)))
                    .to_string(),
                sources.clone(),
                unread.clone(),
            ]);
            let (reason, until) = disposition_terms(finding);
            row.extend([reason.to_string(), until, tenant.clone(), pending.clone()]);
            w.write_record(row.iter().map(|c| csv_cell(c)))?;
        }
    }
    w.flush()
}
