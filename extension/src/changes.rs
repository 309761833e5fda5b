//! What changed since the admin's last review: new and removed identities, risk up or down,
//! scopes grown.

use std::collections::BTreeMap;

use nhi_lens::Report;
use nhi_lens::protocol::Change;
use nhi_lens::score::Level;

use crate::store::{CaptureMeta, Review, Reviewed};

/// The inventory as it is now, read from `captures`, to compare with later.
pub fn snapshot(report: &Report, at: String, captures: &[CaptureMeta]) -> Review {
    let identities = report
        .assessments()
        .map(|a| {
            (
                a.identity.id.clone(),
                Reviewed {
                    name: a.identity.name.clone(),
                    level: a.level.as_str().to_string(),
                    grants: a.identity.grants.clone(),
                    grants_unread: a.identity.grants_unread,
                },
            )
        })
        .collect();
    // Each capture's source, and each later page of a list by its place in it (its first page's
    // source and how many pages after it): a later page's URL holds a cursor, which moves when a
    // record is added before it, where its place does not.
    let mut sources: Vec<String> = Vec::new();
    for c in captures {
        sources.push(c.source.clone());
        if let Some(first) = c.paged_from.as_ref().filter(|_| c.page > 0) {
            sources.push(page_key(first, c.page));
        }
    }
    sources.sort_unstable();
    sources.dedup();
    Review {
        at,
        identities,
        sources: Some(sources),
        first_look: false,
    }
}

/// A later page of a list, by its place in it, as a review keeps it among its sources.
fn page_key(first: &str, page: u32) -> String {
    format!("{first}\u{1f}{page}")
}

/// Every change between the review and the report, read from `captures`.
pub fn changes(review: &Review, report: &Report, captures: &[CaptureMeta]) -> Vec<Change> {
    let holds =
        |then: &[String], source: &str| then.binary_search_by(|s| s.as_str().cmp(source)).is_ok();
    // The pages kept now whose place in their list the review had read, under a cursor that may
    // have moved since.
    let mut placed_then: Vec<&str> = match &review.sources {
        Some(then) => captures
            .iter()
            .filter(|c| {
                c.page > 0
                    && c.paged_from
                        .as_ref()
                        .is_some_and(|first| holds(then, &page_key(first, c.page)))
            })
            .map(|c| c.source.as_str())
            .collect(),
        None => Vec::new(),
    };
    placed_then.sort_unstable();
    // Read at the review: the same page, or the same place in a list.
    let read_then = |then: &[String], source: &str| {
        holds(then, source) || placed_then.binary_search(&source).is_ok()
    };
    let mut out = Vec::new();
    let mut reviewed_now = 0;
    for a in report.assessments() {
        let id = &a.identity.id;
        let Some(before) = review.identities.get(id) else {
            // Only where the review had read: an identity of a page read since (its PATs, the
            // review being of its apps) was there before, for all NHI Lens knows.
            let seen_then = review.sources.as_ref().is_none_or(|then| {
                a.identity.sources.is_empty()
                    || a.identity.sources.iter().any(|s| read_then(then, s))
            });
            if seen_then {
                out.push(Change::New { id: id.clone() });
            }
            continue;
        };
        reviewed_now += 1;
        let was = Level::parse(&before.level).unwrap_or(Level::None);
        if a.level > was {
            out.push(Change::RiskUp {
                id: id.clone(),
                from: before.level.clone(),
                to: a.level.as_str().into(),
            });
        } else if a.level < was {
            out.push(Change::RiskDown {
                id: id.clone(),
                from: before.level.clone(),
                to: a.level.as_str().into(),
            });
        }
        // Permissions first read since the review did not grow: nothing was there to compare.
        let added: Vec<String> = if before.grants_unread {
            Vec::new()
        } else {
            nhi_lens::previous::grown(a.identity, &before.grants)
                .into_iter()
                .map(|g| g.name.clone())
                .collect()
        };
        if !added.is_empty() {
            out.push(Change::ScopesGrown {
                id: id.clone(),
                added,
            });
        }
    }
    // Every reviewed identity is still here, the usual case: no set of today's to look in.
    if reviewed_now == review.identities.len() {
        return out;
    }
    let mut now = BTreeMap::new();
    for a in report.assessments() {
        now.insert(a.identity.id.as_str(), ());
    }
    for (id, before) in &review.identities {
        if !now.contains_key(id.as_str()) {
            out.push(Change::Removed {
                id: id.clone(),
                name: before.name.clone(),
                level: before.level.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Review;
    use nhi_lens::model::{Grant, Identity, Kind, Platform, Tier};
    use nhi_lens::{Inventory, Policy, assess};
    use time::macros::datetime;

    /// The report of `identity` alone, scored on 2026-11-30.
    fn scored(identity: &Identity) -> Report {
        let inventory = Inventory {
            identities: vec![identity.clone()],
            ..Inventory::default()
        };
        assess(
            inventory,
            &Policy::default(),
            datetime!(2026-11-30 00:00 UTC),
        )
    }

    fn reviewed(name: &str, level: &str) -> Reviewed {
        Reviewed {
            name: name.into(),
            level: level.into(),
            grants: Vec::new(),
            grants_unread: false,
        }
    }

    #[test]
    fn new_removed_and_risen_identities_are_told_apart() {
        let kept = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
        let new = Identity::new(Platform::Github, Kind::GithubApp, "2", "Dependabot");
        let inventory = Inventory {
            identities: vec![kept.clone(), new.clone()],
            ..Inventory::default()
        };
        let report = assess(
            inventory,
            &Policy::default(),
            datetime!(2026-11-30 00:00 UTC),
        );
        let level = |id: &str| {
            let a = report.assessments().find(|a| a.identity.id == id).unwrap();
            a.level.as_str().to_string()
        };
        let kept_level = level(&kept.id);
        let review = |identities: Vec<(String, Reviewed)>| Review {
            at: "2026-11-01T00:00:00Z".into(),
            sources: None,
            first_look: false,
            identities: identities.into_iter().collect(),
        };
        // Everything reviewed is still here: only the new one shows.
        let all_here = review(vec![
            (kept.id.clone(), reviewed("Renovate", &kept_level)),
            (new.id.clone(), reviewed("Dependabot", &level(&new.id))),
        ]);
        assert!(changes(&all_here, &report, &[]).is_empty());
        let gone_id = "github:github_app:9".to_string();
        let with_gone = review(vec![
            (kept.id.clone(), reviewed("Renovate", "critical")),
            (gone_id.clone(), reviewed("Old bot", "high")),
        ]);
        let mut found = changes(&with_gone, &report, &[]);
        found.sort_by_key(|c| format!("{c:?}"));
        assert_eq!(
            found,
            vec![
                Change::New { id: new.id.clone() },
                Change::Removed {
                    id: gone_id,
                    name: "Old bot".into(),
                    level: "high".into(),
                },
                Change::RiskDown {
                    id: kept.id.clone(),
                    from: "critical".into(),
                    to: kept_level,
                },
            ]
        );
    }

    #[test]
    fn an_identity_of_a_page_first_read_since_the_review_is_not_new() {
        let apps = "https://github.com/organizations/acme/settings/installations";
        let pats = "https://github.com/organizations/acme/settings/personal-access-tokens/active";
        let review = Review {
            at: "2026-11-01T00:00:00Z".into(),
            identities: BTreeMap::new(),
            sources: Some(vec![apps.to_string()]),
            first_look: false,
        };
        let read_from = |source: Option<&str>| {
            let mut app = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
            app.sources = source.into_iter().map(std::sync::Arc::from).collect();
            changes(&review, &scored(&app), &[])
        };
        // Installed since, on the page the review had read: new.
        assert!(matches!(read_from(Some(apps))[..], [Change::New { .. }]));
        // On a page first read since: there before, for all NHI Lens knows.
        assert!(read_from(Some(pats)).is_empty());
        // On a later page of a list the review had read, under a cursor that moved since: new.
        // On a page the review had not read (a list's page 2, the review taken on its page 1):
        // there before, for all NHI Lens knows.
        let mut review = review.clone();
        if let Some(sources) = review.sources.as_mut() {
            sources.push(page_key(apps, 1));
            sources.sort_unstable();
        }
        let later = format!("{apps}?page=2&cursor=x");
        let on_page = |page: u32| {
            let mut app = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
            app.sources = vec![std::sync::Arc::from(later.as_str())];
            let captures = [CaptureMeta {
                key: "k".into(),
                source: later.clone(),
                at: "2026-11-30T00:00:00Z".into(),
                paged_from: Some(apps.into()),
                page,
                next: None,
                bytes: 0,
            }];
            changes(&review, &scored(&app), &captures)
        };
        assert!(matches!(on_page(1)[..], [Change::New { .. }]));
        assert!(on_page(2).is_empty());
        // Read from nowhere known, or against a review that kept no sources: new.
        assert!(matches!(read_from(None)[..], [Change::New { .. }]));
        let older = Review {
            sources: None,
            first_look: false,
            ..review.clone()
        };
        let mut app = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
        app.sources = vec![std::sync::Arc::from(pats)];
        assert!(matches!(
            changes(&older, &scored(&app), &[])[..],
            [Change::New { .. }]
        ));
    }

    #[test]
    fn a_risk_risen_since_the_review_is_told() {
        let mut app = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
        app.grants
            .push(Grant::new("administration:write", Tier::Admin, true));
        let report = scored(&app);
        let now = report.assessments().next().unwrap().level;
        assert!(now > Level::Low, "{now:?}");
        let review = Review {
            at: "2026-11-01T00:00:00Z".into(),
            sources: None,
            first_look: false,
            identities: [(
                app.id.clone(),
                Reviewed {
                    grants: app.grants.clone(),
                    ..reviewed("Renovate", "low")
                },
            )]
            .into(),
        };
        assert_eq!(
            changes(&review, &report, &[]),
            vec![Change::RiskUp {
                id: app.id.clone(),
                from: "low".into(),
                to: now.as_str().into(),
            }]
        );
    }

    #[test]
    fn permissions_first_read_since_the_review_did_not_grow() {
        let mut app = Identity::new(Platform::Github, Kind::GithubApp, "1", "Renovate");
        app.grants
            .push(Grant::new("administration:write", Tier::Admin, true));
        let inventory = Inventory {
            identities: vec![app.clone()],
            ..Inventory::default()
        };
        let report = assess(
            inventory,
            &Policy::default(),
            datetime!(2026-11-30 00:00 UTC),
        );
        let review = |grants_unread| Review {
            at: "2026-11-01T00:00:00Z".into(),
            sources: None,
            first_look: false,
            identities: [(
                app.id.clone(),
                Reviewed {
                    name: app.name.clone(),
                    level: report.assessments().next().unwrap().level.as_str().into(),
                    grants: Vec::new(),
                    grants_unread,
                },
            )]
            .into(),
        };
        assert!(changes(&review(true), &report, &[]).is_empty());
        assert!(matches!(
            changes(&review(false), &report, &[])[..],
            [Change::ScopesGrown { .. }]
        ));
    }

    #[test]
    fn a_scope_narrowed_since_the_review_did_not_grow() {
        let mut app = Identity::new(Platform::Okta, Kind::OauthApp, "0oa1", "sync");
        app.grants
            .push(Grant::new("okta.users.read", Tier::Read, true));
        let report = scored(&app);
        let review = |held: &str| Review {
            at: "2026-11-01T00:00:00Z".into(),
            sources: None,
            first_look: false,
            identities: [(
                app.id.clone(),
                Reviewed {
                    grants: vec![Grant::new(held, Tier::Write, true)],
                    ..reviewed("sync", report.assessments().next().unwrap().level.as_str())
                },
            )]
            .into(),
        };
        assert!(changes(&review("okta.users.manage"), &report, &[]).is_empty());
        assert_eq!(
            changes(&review("okta.groups.read"), &report, &[]),
            vec![Change::ScopesGrown {
                id: app.id.clone(),
                added: vec!["okta.users.read".into()],
            }]
        );
    }
}
