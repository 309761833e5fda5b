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
    let findings: Vec<Vec<Finding>> = {
        let index = Index::build(&identities);
        let cx = Context {
            now,
            thresholds: &policy.thresholds,
            index: &index,
        };
        check_all(&identities, &cx, policy)
    };
    let assessments = identities
        .into_iter()
        .zip(findings)
        .map(|(identity, findings)| {
            let score = score::score(&findings);
            Assessment {
                identity,
                findings,
                score,
                level: score::level(score),
            }
        })
        .collect();
    Report {
        now,
        assessments: riskiest_first(assessments),
        errors,
        inputs,
    }
}

/// Runs the rules on every identity, on several threads for large inventories: each identity is
/// checked on its own, so the work splits cleanly.
fn check_all(identities: &[Identity], cx: &Context<'_>, policy: &Policy) -> Vec<Vec<Finding>> {
    let check = |identity: &Identity| {
        let mut findings = rules::check(identity, cx);
        policy.dispose(identity, &mut findings, cx.now);
        findings
    };
    let threads = threads_for(identities.len());
    if threads < 2 {
        return identities.iter().map(check).collect();
    }
    let chunk = identities.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = identities
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(check).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a rule panicked"))
            .collect()
    })
}

/// Threads worth using for `count` identities (one in the browser, where there are none).
fn threads_for(count: usize) -> usize {
    if count < 20_000 || cfg!(target_arch = "wasm32") {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Riskiest first; among equals, workloads before people, then by platform and name. Sorts
/// indices on precomputed keys and moves each assessment once.
fn riskiest_first(assessments: Vec<Assessment>) -> Vec<Assessment> {
    let mut keys: Vec<_> = assessments
        .iter()
        .enumerate()
        .map(|(at, a)| {
            let i = &a.identity;
            (
                std::cmp::Reverse(a.score),
                i.human,
                i.platform,
                i.name.to_lowercase(),
                at,
            )
        })
        .collect();
    keys.sort_unstable_by(|x, y| {
        (x.0, x.1, x.2, &x.3)
            .cmp(&(y.0, y.1, y.2, &y.3))
            .then_with(|| {
                assessments[x.4]
                    .identity
                    .id
                    .cmp(&assessments[y.4].identity.id)
            })
    });
    let mut slots: Vec<Option<Assessment>> = assessments.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|(.., at)| slots[at].take())
        .collect()
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
