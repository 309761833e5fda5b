//! From an inventory to a scored report: policy, rules, dispositions, score.

use crate::ingest::{Collector, InputError, InputSummary, Inventory};
use crate::model::{Identity, Timestamp};
use crate::policy::Policy;
use crate::rules::{self, Context, Finding, Index};
use crate::score::{self, Level};

/// One identity with what was found on it.
#[derive(Clone, Debug)]
pub struct Assessment {
    pub identity: Identity,
    pub findings: Vec<Finding>,
    pub score: u8,
    pub level: Level,
}

/// Everything a report shows.
#[derive(Debug)]
pub struct Report {
    /// "Today" for ages and expiries.
    pub now: Timestamp,
    /// Riskiest first.
    pub assessments: Vec<Assessment>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
}

impl Report {
    /// How many identities are at exactly this level.
    pub fn count(&self, level: Level) -> usize {
        self.assessments.iter().filter(|a| a.level == level).count()
    }

    /// The highest level of any identity.
    pub fn worst(&self) -> Level {
        self.assessments
            .iter()
            .map(|a| a.level)
            .max()
            .unwrap_or(Level::None)
    }
}

/// Scores one identity.
pub fn assess_one(identity: Identity, cx: &Context<'_>, policy: &Policy) -> Assessment {
    let mut findings = rules::check(&identity, cx);
    policy.dispose(&identity, &mut findings, cx.now);
    let score = score::score(&findings);
    Assessment {
        identity,
        findings,
        score,
        level: score::level(score),
    }
}

/// Applies the policy to an inventory and scores every identity.
pub fn assess(inventory: Inventory, policy: &Policy, now: Timestamp) -> Report {
    let Inventory {
        mut identities,
        errors,
        inputs,
    } = inventory;
    policy.prepare(&mut identities);
    let index = Index::build(&identities);
    let cx = Context {
        now,
        thresholds: &policy.thresholds,
        index: &index,
    };
    let mut assessments: Vec<Assessment> = identities
        .into_iter()
        .map(|identity| assess_one(identity, &cx, policy))
        .collect();
    assessments.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.identity.human.cmp(&b.identity.human))
            .then_with(|| a.identity.platform.cmp(&b.identity.platform))
            .then_with(|| {
                a.identity
                    .name
                    .to_lowercase()
                    .cmp(&b.identity.name.to_lowercase())
            })
            .then_with(|| a.identity.id.cmp(&b.identity.id))
    });
    Report {
        now,
        assessments,
        errors,
        inputs,
    }
}

/// Reads every input and scores the result: the whole job in one call.
pub fn scan<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    policy: &Policy,
    now: Timestamp,
) -> Report {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    assess(collector.finish(), policy, now)
}
