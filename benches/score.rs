//! Scoring alone: every rule on every identity plus the score, on identities already in the
//! model. Target: at least a million identities per second per core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use time::Duration;
use time::macros::datetime;

use nhi_lens::ingest::Inventory;
use nhi_lens::model::{
    Credential, CredentialKind, Endpoint, Expiry, Grant, GrantVia, Identity, Kind, LastUse,
    Network, Owner, OwnerSource, Ownership, Platform, Precision, Principal, Reach, Tier, Usage,
};
use nhi_lens::policy::{Acceptance, OwnerEntry, Policy, Thresholds};
use nhi_lens::rules::{self, Context, Index};
use nhi_lens::score;

/// Identities like a real tenant's: a mix of kinds, owners, credentials and grants.
fn identities(count: usize) -> Vec<Identity> {
    let now = datetime!(2026-11-29 00:00 UTC);
    let kinds = [
        Kind::ServicePrincipal,
        Kind::GithubApp,
        Kind::DeployKey,
        Kind::ApiToken,
        Kind::ServiceUser,
        Kind::Webhook,
    ];
    (0..count)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            let mut id = Identity::new(
                Platform::Entra,
                kind,
                i.to_string(),
                format!("integration {i}"),
            );
            id.created_at = Some(now - Duration::days((i % 1500) as i64));
            id.ownership = match i % 4 {
                0 => Ownership::Missing,
                1 => Ownership::NotRecorded,
                _ => Ownership::Known(vec![Owner {
                    who: Principal::named(format!("owner{}", i % 97)),
                    source: OwnerSource::Explicit,
                    basis: "owners".into(),
                }]),
            };
            id.usage = Usage::Used(LastUse {
                at: now - Duration::days((i % 400) as i64),
                source: "sign-ins".into(),
                precision: Precision::Exact,
            });
            for k in 0..(i % 3) {
                let mut c = Credential::new(if k == 0 {
                    CredentialKind::Secret
                } else {
                    CredentialKind::Certificate
                });
                c.label = Some(format!("credential {k}"));
                c.created_at = Some(now - Duration::days(((i * 7 + k) % 900) as i64));
                c.expiry = if i % 5 == 0 {
                    Expiry::Never
                } else {
                    Expiry::At {
                        at: now + Duration::days(((i % 800) as i64) - 100),
                    }
                };
                if i % 11 == 0 {
                    c.fingerprint = Some(format!("fp{}", i % 50));
                }
                id.credentials.push(c);
            }
            let tiers = [Tier::Read, Tier::SensitiveRead, Tier::Write, Tier::Admin];
            for g in 0..(i % 4) {
                id.grants.push(Grant {
                    name: format!("permission.{g}"),
                    resource: None,
                    tier: tiers[(i + g) % 4],
                    classified: true,
                    via: if g % 2 == 0 {
                        GrantVia::Application
                    } else {
                        GrantVia::Delegated {
                            all_users: i % 3 == 0,
                        }
                    },
                    granted_at: None,
                    flagged_sensitive: false,
                });
            }
            id.reach = if i % 6 == 1 {
                Reach::All
            } else {
                Reach::Selected
            };
            if kind == Kind::Webhook {
                id.endpoint = Some(Endpoint {
                    url: "http://hooks.example.com/x".into(),
                    tls_verified: i % 2 == 0,
                    signed: Some(false),
                    all_events: false,
                    secrets_in_url: if i % 5 == 0 {
                        vec!["the query parameter `token`".into()]
                    } else {
                        Vec::new()
                    },
                });
            }
            if kind == Kind::ApiToken {
                id.network = Network::Anywhere;
            }
            id
        })
        .collect()
}

fn scoring(c: &mut Criterion) {
    let all = identities(100_000);
    let thresholds = Thresholds::default();
    let index = Index::build(&all);
    let cx = Context {
        now: datetime!(2026-11-29 00:00 UTC),
        thresholds: &thresholds,
        index: &index,
    };
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.sample_size(20);
    group.bench_function("identities", |b| {
        b.iter(|| {
            let mut total = 0u64;
            for identity in &all {
                let findings = rules::check(black_box(identity), &cx);
                total += u64::from(score::score(&findings));
            }
            total
        })
    });
    group.finish();
}

/// The admin's decisions at scale: an owner map naming each of 50,000 identities, and 5,000
/// risk acceptances, applied while the inventory is scored (each entry found by a lookup, not a
/// pass over the list per identity).
fn decisions(c: &mut Criterion) {
    let all = identities(50_000);
    let now = datetime!(2026-11-29 00:00 UTC);
    let owners = all
        .iter()
        .rev()
        .map(|i| OwnerEntry {
            id: i.id.clone(),
            owner: format!("team-{}", i.native_id.len()),
            vendor_contact: None,
            replace: false,
            assigned: false,
        })
        .collect();
    let accept = all
        .iter()
        .step_by(10)
        .map(|i| Acceptance {
            rule: "NL101".into(),
            id: i.native_id.clone(),
            reason: "vendor rotates it".into(),
            expires: "2027-06-30".into(),
            accepted_by: None,
            severity: None,
            tenant: None,
        })
        .collect();
    let policy = Policy {
        owners,
        accept,
        ..Policy::default()
    };
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.sample_size(10);
    group.bench_function("with_decisions", |b| {
        b.iter_batched(
            || Inventory {
                identities: all.clone(),
                ..Inventory::default()
            },
            |inventory| nhi_lens::assess(inventory, black_box(&policy), now).len(),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, scoring, decisions);
criterion_main!(benches);
