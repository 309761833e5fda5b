//! What changed since the admin's last review: new and removed identities, risk up or down,
//! scopes grown.

use std::collections::BTreeMap;

use nhi_lens::Report;
use nhi_lens::protocol::Change;
use nhi_lens::score::Level;

use crate::store::{Review, Reviewed};

/// The inventory as it is now, to compare with later.
pub fn snapshot(report: &Report, at: String) -> Review {
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
    Review { at, identities }
}

/// Every change between the review and the report.
pub fn changes(review: &Review, report: &Report) -> Vec<Change> {
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for a in report.assessments() {
        let id = &a.identity.id;
        seen.insert(id.as_str(), ());
        let Some(before) = review.identities.get(id) else {
            out.push(Change::New { id: id.clone() });
            continue;
        };
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
        let compared = if before.grants_unread {
            &[][..]
        } else {
            &a.identity.grants[..]
        };
        let added: Vec<String> = compared
            .iter()
            .filter(|g| {
                !before
                    .grants
                    .iter()
                    .any(|b| b.name.eq_ignore_ascii_case(&g.name) && b.resource == g.resource)
            })
            .map(|g| g.name.clone())
            .collect();
        if !added.is_empty() {
            out.push(Change::ScopesGrown {
                id: id.clone(),
                added,
            });
        }
    }
    for (id, before) in &review.identities {
        if !seen.contains_key(id.as_str()) {
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
        assert!(changes(&review(true), &report).is_empty());
        assert!(matches!(
            changes(&review(false), &report)[..],
            [Change::ScopesGrown { .. }]
        ));
    }
}
