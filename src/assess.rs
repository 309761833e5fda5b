//! From an inventory to a scored report: policy, rules, dispositions, score.
//!
//! Identities are large and a tenant can hold hundreds of thousands, so they are never moved
//! once read: the report keeps them in the order they were read, keeps what was found on each
//! beside them, and walks them riskiest first through an index.

use crate::ingest::{Collector, InputError, InputSummary, Inventory};
use crate::model::{Identity, Timestamp};
use crate::policy::{Indexed, Policy};
use crate::rules::{self, Context, Finding, Index};
use crate::score::{self, Level};
use std::sync::Arc;

/// What was found on one identity.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub score: u8,
    pub level: Level,
}

impl Outcome {
    /// Scores a set of findings.
    pub fn new(findings: Vec<Finding>) -> Self {
        let score = score::score(&findings);
        Outcome {
            findings,
            score,
            level: score::level(score),
        }
    }
}

/// One identity with what was found on it.
#[derive(Clone, Copy, Debug)]
pub struct Assessment<'a> {
    pub identity: &'a Identity,
    pub findings: &'a [Finding],
    pub score: u8,
    pub level: Level,
}

/// Everything a report shows.
#[derive(Debug)]
pub struct Report {
    /// "Today" for ages and expiries.
    pub now: Timestamp,
    /// In the order they were read.
    identities: Vec<Identity>,
    /// What was found on each identity, at the same index.
    outcomes: Vec<Outcome>,
    /// Indices of `identities`, riskiest first.
    order: Vec<u32>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
}

impl Report {
    /// A report of these identities and what was found on each (same length, same order).
    pub fn new(
        now: Timestamp,
        identities: Vec<Identity>,
        outcomes: Vec<Outcome>,
        errors: Vec<InputError>,
        inputs: Vec<InputSummary>,
    ) -> Report {
        assert_eq!(identities.len(), outcomes.len(), "one outcome per identity");
        let order = riskiest_first(&identities, &outcomes);
        Report {
            now,
            identities,
            outcomes,
            order,
            errors,
            inputs,
        }
    }

    /// Keeps only the identities `keep` chooses, with the findings they had in the whole report
    /// (an export of the current view must not re-score a subset: reuse is found across all).
    pub fn retain(&mut self, keep: impl Fn(&Identity) -> bool) {
        let keep: Vec<bool> = self.identities.iter().map(keep).collect();
        let mut at = 0;
        self.identities.retain(|_| {
            at += 1;
            keep[at - 1]
        });
        let mut at = 0;
        self.outcomes.retain(|_| {
            at += 1;
            keep[at - 1]
        });
        self.order = riskiest_first(&self.identities, &self.outcomes);
    }

    /// Keeps only the identities `ids` names, in the order it names them (a view exported as the
    /// admin sorted it), each with the findings it had in the whole report (see [`Report::retain`]).
    pub fn select(&mut self, ids: &[String]) {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.retain(|i| wanted.contains(i.id.as_str()));
        // Identities of one ID (two tenants' in one report) keep their riskiest-first order.
        let mut of_id: std::collections::HashMap<&str, Vec<u32>> = std::collections::HashMap::new();
        for &at in &self.order {
            of_id
                .entry(self.identities[at as usize].id.as_str())
                .or_default()
                .push(at);
        }
        let order: Vec<u32> = ids
            .iter()
            .flat_map(|id| of_id.remove(id.as_str()).unwrap_or_default())
            .collect();
        self.order = order;
    }

    /// Names the inventory every identity was read into ([`Identity::tenant`]).
    pub fn set_tenant(&mut self, tenant: &str) {
        let tenant: Arc<str> = tenant.into();
        for identity in &mut self.identities {
            identity.tenant = Some(tenant.clone());
        }
    }

    /// Adds another report's identities, findings, errors and inputs, each as that report
    /// found them (a report scored apart: a self-managed instance's, whose IDs are its own).
    pub fn absorb(&mut self, other: Report) {
        self.identities.extend(other.identities);
        self.outcomes.extend(other.outcomes);
        self.errors.extend(other.errors);
        self.inputs.extend(other.inputs);
        self.order = riskiest_first(&self.identities, &self.outcomes);
    }

    /// Every identity with its findings, riskiest first; among equals workloads before people,
    /// then by platform and name.
    pub fn assessments(&self) -> impl ExactSizeIterator<Item = Assessment<'_>> + Clone + '_ {
        self.order.iter().map(|&at| self.at(at as usize))
    }

    fn at(&self, at: usize) -> Assessment<'_> {
        let outcome = &self.outcomes[at];
        Assessment {
            identity: &self.identities[at],
            findings: &outcome.findings,
            score: outcome.score,
            level: outcome.level,
        }
    }

    /// How many identities the report holds.
    pub fn len(&self) -> usize {
        self.identities.len()
    }

    /// Whether the report holds no identity.
    pub fn is_empty(&self) -> bool {
        self.identities.is_empty()
    }

    /// How many identities are at exactly this level.
    pub fn count(&self, level: Level) -> usize {
        self.outcomes.iter().filter(|o| o.level == level).count()
    }

    /// The highest level of any identity.
    pub fn worst(&self) -> Level {
        self.outcomes
            .iter()
            .map(|o| o.level)
            .max()
            .unwrap_or(Level::None)
    }
}

/// Finds the problems of one identity under the policy.
pub fn check_one(identity: &Identity, cx: &Context<'_>, policy: &Indexed<'_>) -> Outcome {
    let mut findings = rules::check(identity, cx);
    policy.dispose(identity, &mut findings, cx.now);
    Outcome::new(findings)
}

/// Applies the policy to an inventory and scores every identity.
pub fn assess(inventory: Inventory, policy: &Policy, now: Timestamp) -> Report {
    // The decisions the inputs recorded are the caller's to apply (`Policy::with_decisions`),
    // the command line's: the extension's worker reads no report back.
    let Inventory {
        mut identities,
        errors,
        inputs,
        decisions: _,
    } = inventory;
    let indexed = policy.indexed();
    indexed.prepare(&mut identities);
    let outcomes = {
        let index = Index::build(&identities);
        let cx = Context {
            now,
            thresholds: &policy.thresholds,
            index: &index,
        };
        check_all(&identities, &cx, &indexed)
    };
    Report::new(now, identities, outcomes, errors, inputs)
}

/// Runs the rules on every identity, on several threads for large inventories: each identity is
/// checked on its own, so the work splits cleanly.
fn check_all(identities: &[Identity], cx: &Context<'_>, policy: &Indexed<'_>) -> Vec<Outcome> {
    let check = |identity: &Identity| check_one(identity, cx, policy);
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

/// Indices riskiest first; among equals workloads before people, then by platform, name (case
/// folded) and ID.
fn riskiest_first(identities: &[Identity], outcomes: &[Outcome]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..identities.len() as u32).collect();
    order.sort_by_cached_key(|&at| {
        let i = &identities[at as usize];
        (
            std::cmp::Reverse(outcomes[at as usize].score),
            i.human,
            i.platform,
            i.name.to_lowercase(),
            i.id.as_str(),
        )
    });
    order
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
    let mut inventory = collector.finish();
    let policy = policy.with_decisions(std::mem::take(&mut inventory.decisions));
    assess(inventory, &policy, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Platform};

    #[test]
    fn a_retained_subset_keeps_its_findings_and_order() {
        let now = crate::timestamp::parse("2026-11-29T00:00:00Z").unwrap();
        let mut inventory = Inventory::default();
        for n in 0..5 {
            let mut id = Identity::new(
                Platform::Github,
                Kind::Webhook,
                n.to_string(),
                format!("hook {n}"),
            );
            if n % 2 == 0 {
                id.endpoint = Some(crate::model::Endpoint {
                    url: "http://plain.example".into(),
                    tls_verified: false,
                    signed: Some(false),
                    all_events: true,
                    secrets_in_url: Vec::new(),
                });
            }
            inventory.identities.push(id);
        }
        let mut report = assess(inventory, &Policy::default(), now);
        let before: Vec<(String, u8)> = report
            .assessments()
            .filter(|a| a.identity.native_id != "1")
            .map(|a| (a.identity.id.clone(), a.score))
            .collect();
        report.retain(|i| i.native_id != "1");
        let after: Vec<(String, u8)> = report
            .assessments()
            .map(|a| (a.identity.id.clone(), a.score))
            .collect();
        assert_eq!(before, after);
        assert_eq!(report.len(), 4);
    }
}
