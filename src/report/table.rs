//! The terminal table: one line per identity, its findings below it, readable at 100 columns.
//! Console text is printed through [`crate::text::fit`], so names cannot carry escape sequences
//! to the terminal.

use std::io::{self, Write};

use super::{facts, status};
use crate::assess::{Assessment, Report};
use crate::model::{Ownership, Party, days_between};
use crate::score::Level;
use crate::text::{clip, fit, printable, push_fit};
use crate::timestamp::{format_date, short_age};

/// Total width the table is laid out for.
const WIDTH: usize = 100;

/// What the table shows.
#[derive(Clone, Debug)]
pub struct TableOptions {
    /// List every identity, with or without findings, however many.
    pub all: bool,
    /// Otherwise list at most this many identities with findings, riskiest first (0: no limit).
    /// A terminal is for the top of the list; the other formats carry everything.
    pub top: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            all: false,
            top: DEFAULT_TOP,
        }
    }
}

/// How many identities with findings the table lists unless told otherwise.
pub const DEFAULT_TOP: usize = 100;

pub(super) fn write(
    report: &Report,
    options: &TableOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let people = report.assessments().filter(|a| a.identity.human).count();
    writeln!(
        out,
        "NHI Lens · {} · {} identities ({} non-human, {people} people) · {} inputs",
        format_date(report.now),
        report.len(),
        report.len() - people,
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
    let limit = if options.all || options.top == 0 {
        usize::MAX
    } else {
        options.top
    };
    let with_findings = report
        .assessments()
        .filter(|a| !a.findings.is_empty())
        .count();
    let shown: Vec<Assessment> = report
        .assessments()
        .filter(|a| options.all || !a.findings.is_empty())
        .take(limit)
        .collect();
    write_rows(&shown, report, out)?;
    let not_listed =
        with_findings.saturating_sub(shown.iter().filter(|a| !a.findings.is_empty()).count());
    if not_listed > 0 {
        writeln!(
            out,
            "… and {not_listed} more identities with findings (--top 0 lists them all; --format csv, json or md writes them)."
        )?;
    }
    let hidden = report.len() - with_findings;
    let hidden_first_party = report
        .assessments()
        .filter(|a| {
            !options.all && a.findings.is_empty() && a.identity.party() == Party::FirstParty
        })
        .count();
    writeln!(out)?;
    let counts: Vec<String> = Level::DESCENDING
        .iter()
        .map(|l| format!("{} {}", report.count(*l), l.as_str()))
        .collect();
    writeln!(out, "Risk: {}", counts.join(" · "))?;
    if hidden > 0 && !options.all {
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
        .assessments()
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

/// Rows rendered per batch and thread: enough to be worth a thread, small enough that a large
/// report is never held in memory as text.
const ROWS_PER_PART: usize = 2048;

/// Writes the rows of these assessments; large reports are rendered on several threads, a batch
/// at a time, and written in order.
fn write_rows(shown: &[Assessment], report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let render = |part: &[Assessment]| {
        let mut text = String::with_capacity(part.len() * 400);
        for a in part {
            row(a, report, &mut text);
        }
        text
    };
    let threads = if shown.len() < 4 * ROWS_PER_PART || cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if threads < 2 {
        for part in shown.chunks(ROWS_PER_PART) {
            out.write_all(render(part).as_bytes())?;
        }
        return Ok(());
    }
    for batch in shown.chunks(ROWS_PER_PART * threads) {
        let texts: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(ROWS_PER_PART)
                .map(|part| scope.spawn(move || render(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("rendering panicked"))
                .collect()
        });
        for text in texts {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

fn row(a: &Assessment<'_>, report: &Report, out: &mut String) {
    use std::fmt::Write as _;
    let i = a.identity;
    let f = facts(a, report.now);
    push_fit(out, a.level.as_str(), 8);
    let _ = write!(out, " {:>3} ", a.score);
    push_fit(out, i.platform.as_str(), 10);
    out.push(' ');
    push_fit(out, i.kind.label(), 13);
    out.push(' ');
    let mut name = String::new();
    if i.pending {
        name.push_str("[request] ");
    }
    name.push_str(&i.name);
    if let Some(place) = &i.location {
        name.push_str(" · ");
        name.push_str(place);
    }
    push_fit(out, &name, 26);
    out.push(' ');
    push_fit(out, &f.owner_label, 17);
    out.push(' ');
    push_fit(
        out,
        &f.age_days.map(short_age).unwrap_or_else(|| "?".into()),
        4,
    );
    out.push(' ');
    match f.last_used {
        Some(u) => out.push_str(&short_age(days_between(u.at, report.now))),
        None => out.push_str(match f.last_used_label {
            "never" => "never",
            "not recorded" => "-",
            _ => "?",
        }),
    }
    out.push('\n');
    for finding in a.findings {
        let start = out.len();
        out.push_str("         ");
        out.push_str(finding.rule.code);
        out.push(' ');
        push_fit(out, finding.severity.as_str(), 8);
        out.push(' ');
        let used = out[start..].chars().count();
        let mut text =
            String::with_capacity(finding.rule.title.len() + finding.evidence.len() + 16);
        match status(finding) {
            "open" => {}
            other => {
                text.push('[');
                text.push_str(other);
                text.push_str("] ");
            }
        }
        text.push_str(finding.rule.title);
        text.push_str(": ");
        text.push_str(&finding.evidence);
        push_fit(out, &text, WIDTH.saturating_sub(used));
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::check_one;
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
        let outcome = check_one(&evil, &cx, &policy.indexed());
        let report = Report::new(NOW, vec![evil], vec![outcome], vec![], vec![]);
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
