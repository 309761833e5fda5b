//! Fixtures for rule tests: identities built from the model, never from platform JSON.

use time::Duration;
use time::macros::datetime;

use super::{Context, Finding, Index, Rule};
use crate::model::{
    Credential, CredentialKind, Expiry, Grant, GrantVia, Identity, Kind, LastUse, Owner,
    OwnerSource, Ownership, Platform, Precision, Principal, Tier, Timestamp, Usage,
};
use crate::policy::Thresholds;

/// "Today" in every rule test.
pub const NOW: Timestamp = datetime!(2026-06-01 00:00 UTC);

/// `n` days before [`NOW`].
pub fn days_ago(n: i64) -> Timestamp {
    NOW - Duration::days(n)
}

/// `n` days after [`NOW`].
pub fn in_days(n: i64) -> Timestamp {
    NOW + Duration::days(n)
}

/// An owned, enabled, recently used workload with no credentials or grants: nothing to find.
pub fn workload(kind: Kind) -> Identity {
    let mut id = Identity::new(Platform::Github, kind, "1", "fixture");
    id.created_at = Some(days_ago(10));
    id.ownership = Ownership::Known(vec![Owner {
        who: Principal::named("alice"),
        source: OwnerSource::Explicit,
        basis: "fixture".into(),
    }]);
    id.usage = used(1);
    id
}

/// Used `n` days ago.
pub fn used(n: i64) -> Usage {
    Usage::Used(LastUse {
        at: days_ago(n),
        source: "fixture".into(),
        precision: Precision::Exact,
    })
}

/// A live credential created `age` days ago with the given expiry.
pub fn credential(kind: CredentialKind, age: i64, expiry: Expiry) -> Credential {
    let mut c = Credential::new(kind);
    c.label = Some(format!("{} fixture", kind.label()));
    c.created_at = Some(days_ago(age));
    c.expiry = expiry;
    c.usage = used(1);
    c
}

/// A grant at `tier`.
pub fn grant(name: &str, tier: Tier) -> Grant {
    Grant {
        name: name.into(),
        resource: None,
        tier,
        classified: true,
        via: GrantVia::Direct,
        granted_at: None,
        flagged_sensitive: false,
    }
}

/// Runs one rule on one identity, with default thresholds and an index of just that identity.
pub fn check(rule: &dyn Rule, identity: &Identity) -> Vec<Finding> {
    check_among(rule, identity, std::slice::from_ref(identity))
}

/// Runs one rule on one identity, indexed among `all`.
pub fn check_among(rule: &dyn Rule, identity: &Identity, all: &[Identity]) -> Vec<Finding> {
    let thresholds = Thresholds::default();
    let index = Index::build(all);
    let cx = Context {
        now: NOW,
        thresholds: &thresholds,
        index: &index,
    };
    let mut out = Vec::new();
    rule.check(identity, &cx, &mut out);
    for finding in &out {
        assert_eq!(finding.rule.code, rule.meta().code);
        assert!(
            !finding.evidence.is_empty(),
            "a finding must say what was seen"
        );
    }
    out
}
