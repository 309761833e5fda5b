//! Markdown: a summary, then the identities by risk. All console text is escaped, so a name like
//! `<img src=x onerror=…>` or `[link](javascript:…)` renders as text.

use std::io::{self, Write};

use super::{facts, remediation, status, status_with_terms};
use crate::assess::Report;
use crate::frameworks::frameworks;
use crate::model::Platform;
use crate::score::Level;
use crate::text::{collapse, escape_markdown as esc, markdown_with_code};
use crate::timestamp::{format_date, short_age};

pub(super) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let people = report.assessments().filter(|a| a.identity.human).count();
    writeln!(out, "# NHI Lens report, {}", format_date(report.now))?;
    writeln!(out)?;
    writeln!(
        out,
        "{} identities: {} non-human, {people} people. {} findings. {} inputs could not be read in full.",
        report.len(),
        report.len() - people,
        report
            .assessments()
            .map(|a| a.findings.len())
            .sum::<usize>(),
        report
            .errors
            .iter()
            .map(|e| &e.source)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    )?;
    writeln!(out)?;
    writeln!(out, "| Risk | Identities |")?;
    writeln!(out, "|---|---:|")?;
    for level in Level::DESCENDING {
        writeln!(out, "| {} | {} |", level.as_str(), report.count(level))?;
    }
    writeln!(out)?;
    writeln!(out, "| Platform | Identities | Critical | High |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for platform in Platform::ALL {
        let of: Vec<_> = report
            .assessments()
            .filter(|a| a.identity.platform == platform)
            .collect();
        if of.is_empty() {
            continue;
        }
        let at = |l: Level| of.iter().filter(|a| a.level == l).count();
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            platform.display_name(),
            of.len(),
            at(Level::Critical),
            at(Level::High)
        )?;
    }

    writeln!(out)?;
    writeln!(out, "## Identities by risk")?;
    let fw = frameworks();
    for a in report.assessments().filter(|a| !a.findings.is_empty()) {
        let i = a.identity;
        let f = facts(&a, report.now);
        writeln!(out)?;
        // "GitHub App", not "GitHub GitHub App".
        let (platform, kind) = (i.platform.display_name(), i.kind.label());
        let what = if kind.starts_with(platform) {
            kind.to_string()
        } else {
            format!("{platform} {kind}")
        };
        writeln!(
            out,
            "### {} · {what} ({}, score {})",
            esc(&i.name),
            a.level.as_str(),
            a.score
        )?;
        writeln!(out)?;
        // In a code span, whose text no Markdown reads but which a line break ends.
        let id = crate::text::printable(&i.id).replace('`', "'");
        writeln!(out, "- ID: `{id}`")?;
        if let Some(place) = &i.location {
            writeln!(out, "- Location: {}", esc(place))?;
        }
        writeln!(out, "- Owner: {}", esc(&f.owner_label))?;
        let age = f
            .age_days
            .map(short_age)
            .unwrap_or_else(|| "unknown".into());
        let used = f
            .last_used
            .map(|u| format!("{} ({})", format_date(u.at), esc(&u.source)))
            .unwrap_or_else(|| f.last_used_label.to_string());
        writeln!(out, "- Age: {age}; last used: {used}")?;
        if i.permissions_unread() {
            writeln!(out, "- Permissions: {}", crate::model::GRANTS_UNREAD_NOTE)?;
        }
        // A request is not an identity that acts yet; a disabled one acts no more.
        if i.pending {
            writeln!(
                out,
                "- State: requested, not approved (its findings are what approving it would bring)"
            )?;
        } else if !i.enabled {
            writeln!(out, "- State: disabled")?;
        }
        writeln!(out)?;
        writeln!(out, "| Rule | Severity | Finding | OWASP NHI | NIST CSF |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for finding in a.findings {
            let state = match status(finding) {
                "open" => String::new(),
                _ => format!(" *({})*", esc(&status_with_terms(finding))),
            };
            writeln!(
                out,
                "| {} | {}{state} | **{}**: {} | {} | {} |",
                finding.rule.code,
                finding.severity.as_str(),
                esc(finding.rule.title),
                esc(&finding.evidence),
                fw.owasp_for(finding.rule.code).join(", "),
                fw.nist_for(finding.rule.code).join(", "),
            )?;
        }
        writeln!(out)?;
        let mut seen = Vec::new();
        for finding in a.findings {
            if seen.contains(&finding.rule.code) {
                continue;
            }
            seen.push(finding.rule.code);
            let fix = collapse(remediation(finding));
            writeln!(
                out,
                "- Fix ({}): {}",
                finding.rule.code,
                markdown_with_code(crate::rules::first_sentence(&fix))
            )?;
        }
    }

    let quiet: Vec<_> = report
        .assessments()
        .filter(|a| a.findings.is_empty())
        .collect();
    if !quiet.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Identities without findings ({})", quiet.len())?;
        writeln!(out)?;
        writeln!(out, "| Name | Platform | Kind | Owner |")?;
        writeln!(out, "|---|---|---|---|")?;
        for a in quiet {
            let f = facts(&a, report.now);
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                esc(&a.identity.name),
                a.identity.platform.display_name(),
                a.identity.kind.label(),
                esc(&f.owner_label)
            )?;
        }
    }

    if !report.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Inputs that could not be read")?;
        writeln!(out)?;
        for e in &report.errors {
            writeln!(out, "- {}: {}", esc(&e.source), esc(&e.message))?;
        }
    }
    Ok(())
}
