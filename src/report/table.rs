//! The terminal table: one line per identity, its findings below it, readable at 100 columns.
//! Console text is printed through [`crate::text::fit`], so names cannot carry escape sequences
//! to the terminal.

use std::io::{self, Write};

use super::{facts, status};
use crate::assess::{Assessment, Report};
use crate::model::{Ownership, Party, days_between};
use crate::score::Level;
use crate::text::{clip, fit, printable};
use crate::timestamp::{format_date, short_age};

/// Total width the table is laid out for.
const WIDTH: usize = 100;

/// What the table shows.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    /// Also list identities without findings.
    pub all: bool,
}

pub(super) fn write(
    report: &Report,
    options: &TableOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let people = report
        .assessments
        .iter()
        .filter(|a| a.identity.human)
        .count();
    writeln!(
        out,
        "NHI Lens · {} · {} identities ({} non-human, {people} people) · {} inputs",
        format_date(report.now),
        report.assessments.len(),
        report.assessments.len() - people,
        report.inputs.len(),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{} PTS {} {} {} {} {} USED",
        fit("LEVEL", 8),
        fit("PLATFORM", 10),
        fit("KIND", 13),
        fit("NAME", 26),
        fit("OWNER", 17),
        fit("AGE", 4),
    )?;
    let mut hidden = 0;
    let mut hidden_first_party = 0;
    for a in &report.assessments {
        if !options.all && a.findings.is_empty() {
            hidden += 1;
            if a.identity.party() == Party::FirstParty {
                hidden_first_party += 1;
            }
            continue;
        }
        row(a, report, out)?;
    }
    writeln!(out)?;
    let counts: Vec<String> = Level::DESCENDING
        .iter()
        .map(|l| format!("{} {}", report.count(*l), l.as_str()))
        .collect();
    writeln!(out, "Risk: {}", counts.join(" · "))?;
    if hidden > 0 {
        let first_party = if hidden_first_party > 0 {
            format!(", {hidden_first_party} of them platform first-party apps")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{hidden} identities with no findings not shown{first_party} (--all lists them)."
        )?;
    }
    let not_loaded = report
        .assessments
        .iter()
        .filter(|a| !a.identity.human && a.identity.ownership == Ownership::NotLoaded)
        .count();
    if not_loaded > 0 {
        writeln!(
            out,
            "{not_loaded} identities came without owner data: \"owner not loaded\" is not \"no owner\"."
        )?;
    }
    if !report.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "Could not read ({}):", report.errors.len())?;
        for e in &report.errors {
            let line = format!("  {}: {}", printable(&e.source), printable(&e.message));
            writeln!(out, "{}", clip(&line, 400))?;
        }
    }
    Ok(())
}

fn row(a: &Assessment, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let i = &a.identity;
    let f = facts(a, report.now);
    let used = match f.last_used {
        Some(u) => short_age(days_between(u.at, report.now)),
        None => match f.last_used_label {
            "never" => "never".to_string(),
            "not recorded" => "-".to_string(),
            _ => "?".to_string(),
        },
    };
    let age = f.age_days.map(short_age).unwrap_or_else(|| "?".into());
    let mut name = i.name.clone();
    if let Some(place) = &i.location {
        name = format!("{name} · {place}");
    }
    if i.pending {
        name = format!("[request] {name}");
    }
    writeln!(
        out,
        "{} {:>3} {} {} {} {} {} {}",
        fit(a.level.as_str(), 8),
        a.score,
        fit(i.platform.as_str(), 10),
        fit(i.kind.label(), 13),
        fit(&name, 26),
        fit(&f.owner_label, 17),
        fit(&age, 4),
        used
    )?;
    for finding in &a.findings {
        let marker = match status(finding) {
            "open" => String::new(),
            other => format!("[{other}] "),
        };
        let text = format!("{marker}{}: {}", finding.rule.title, finding.evidence);
        let head = format!(
            "         {} {} ",
            finding.rule.code,
            fit(finding.severity.as_str(), 8)
        );
        let room = WIDTH.saturating_sub(head.chars().count());
        writeln!(out, "{head}{}", fit(&text, room).trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::assess_one;
    use crate::model::{Identity, Kind, Platform};
    use crate::policy::Policy;
    use crate::rules::testing::NOW;
    use crate::rules::{Context, Index};

    #[test]
    fn lines_fit_in_100_columns_and_names_cannot_escape() {
        let policy = Policy::default();
        let index = Index::default();
        let cx = Context {
            now: NOW,
            thresholds: &policy.thresholds,
            index: &index,
        };
        let mut evil = Identity::new(
            Platform::Github,
            Kind::Webhook,
            "1",
            "\u{1b}[31mred\u{1b}[0m <script>x</script> a very long name indeed",
        );
        evil.ownership = Ownership::Missing;
        let report = Report {
            now: NOW,
            assessments: vec![assess_one(evil, &cx, &policy)],
            errors: vec![],
            inputs: vec![],
        };
        let mut out = Vec::new();
        write(&report, &TableOptions::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('\u{1b}'),
            "escape sequences must not reach the terminal"
        );
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "too wide: {line}");
        }
        assert!(text.contains("NL203"), "{text}");
    }
}
