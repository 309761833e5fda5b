//! The risk score: every point comes from a finding the admin can read.
//!
//! Each open finding adds the points of its severity; the sum is capped at 100:
//!
//! | severity | points |
//! |---|---|
//! | critical | 80 |
//! | high | 50 |
//! | medium | 20 |
//! | low | 5 |
//! | info | 0 |
//!
//! The level follows the score: critical from 80, high from 50, medium from 20, low from 1, none
//! at 0. So one critical finding is critical on its own, one high finding is high, and two high
//! findings (admin permissions held by an identity nobody owns) are critical. Accepted and
//! allowlisted findings stay in the report with 0 points.

use serde::{Deserialize, Serialize};

use crate::rules::{Finding, Severity};

/// How risky an identity is, from its score.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    #[default]
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    /// Every level, highest first.
    pub const DESCENDING: [Level; 5] = [
        Level::Critical,
        Level::High,
        Level::Medium,
        Level::Low,
        Level::None,
    ];

    /// The label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// Parses a level name (`--fail-on high`).
    pub fn parse(text: &str) -> Option<Level> {
        Level::DESCENDING
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// The points a finding of this severity adds.
pub fn points(severity: Severity) -> u8 {
    match severity {
        Severity::Critical => 80,
        Severity::High => 50,
        Severity::Medium => 20,
        Severity::Low => 5,
        Severity::Info => 0,
    }
}

/// The points a finding adds to its identity's score: 0 when accepted or allowlisted.
pub fn finding_points(finding: &Finding) -> u8 {
    if finding.is_open() {
        points(finding.severity)
    } else {
        0
    }
}

/// The score of a set of findings, 0 to 100.
pub fn score(findings: &[Finding]) -> u8 {
    let sum: u32 = findings.iter().map(|f| u32::from(finding_points(f))).sum();
    sum.min(100) as u8
}

/// The level of a score.
pub fn level(score: u8) -> Level {
    match score {
        80.. => Level::Critical,
        50.. => Level::High,
        20.. => Level::Medium,
        1.. => Level::Low,
        0 => Level::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Disposition, RULES};

    fn finding(severity: Severity) -> Finding {
        Finding::new(RULES[0].meta(), "x").with_severity(severity)
    }

    #[test]
    fn points_add_up_and_cap_at_100() {
        assert_eq!(score(&[]), 0);
        assert_eq!(
            score(&[finding(Severity::Medium), finding(Severity::Low)]),
            25
        );
        assert_eq!(
            score(&[finding(Severity::Critical), finding(Severity::High)]),
            100
        );
    }

    #[test]
    fn a_finding_alone_sets_its_own_level() {
        for (sev, lvl) in [
            (Severity::Critical, Level::Critical),
            (Severity::High, Level::High),
            (Severity::Medium, Level::Medium),
            (Severity::Low, Level::Low),
            (Severity::Info, Level::None),
        ] {
            assert_eq!(level(score(&[finding(sev)])), lvl, "{sev:?}");
        }
        assert_eq!(
            level(score(&[finding(Severity::High), finding(Severity::High)])),
            Level::Critical
        );
    }

    #[test]
    fn accepted_findings_do_not_count() {
        let mut f = finding(Severity::High);
        f.disposition = Disposition::Allowed {
            reason: "reviewed".into(),
        };
        assert_eq!(score(&[f]), 0);
    }
}
