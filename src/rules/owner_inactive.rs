//! ## What it does
//! Flags identities whose every recorded owner is disabled, suspended or gone.
//!
//! ## Why is this bad?
//! This is improper offboarding in its plainest form (OWASP NHI1): the person left, their account
//! was switched off, and the integrations, tokens and keys they owned kept working with nobody
//! accountable for them.
//!
//! ## Example
//! An Entra app whose only owner's account is disabled; a fine-grained token owned by a user who
//! left the organisation.
//!
//! ## Remediation
//! Hand the identity to a current owner (a team, not one person) who confirms it is needed and
//! rotates its credentials, since the departed owner may still hold copies. Otherwise disable and
//! delete it.
//!
//! ## References
//! - OWASP NHI1:2025 Improper Offboarding: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{AccountStatus, Identity};

/// NL205
pub struct OwnerInactive;

static META: RuleMeta = RuleMeta {
    code: "NL205",
    name: "owner_inactive",
    title: "Every owner is disabled or gone",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

impl Rule for OwnerInactive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let owners = identity.ownership.owners();
        if owners.is_empty()
            || owners
                .iter()
                .any(|o| o.who.status != AccountStatus::Disabled)
        {
            return;
        }
        let mut evidence = Evidence::default();
        for o in owners {
            evidence.item(format_args!(
                "{} ({}) is disabled or gone",
                o.who.name, o.basis
            ));
        }
        if let Some(evidence) = evidence.finish() {
            // One that no longer acts (a token its platform rejects with its owner) is only to
            // be deleted.
            out.push(if identity.is_credential() && !identity.can_act(cx.now) {
                Finding::new(&META, format!("{evidence}; it no longer acts: delete it"))
                    .with_severity(Severity::Low)
            } else {
                Finding::new(&META, evidence)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Owner, OwnerSource, Ownership, Principal};
    use crate::rules::testing::*;

    fn owner(name: &str, status: AccountStatus) -> Owner {
        Owner {
            who: Principal {
                name: name.into(),
                id: None,
                status,
            },
            source: OwnerSource::Explicit,
            basis: "fixture".into(),
        }
    }

    #[test]
    fn fires_only_when_no_owner_is_left() {
        let mut id = workload(Kind::ServicePrincipal);
        id.ownership = Ownership::Known(vec![owner("bob", AccountStatus::Disabled)]);
        assert_eq!(check(&OwnerInactive, &id).len(), 1);
        id.ownership.add(owner("carol", AccountStatus::Active));
        assert!(check(&OwnerInactive, &id).is_empty());
        id.ownership = Ownership::Known(vec![owner("dave", AccountStatus::Unknown)]);
        assert!(check(&OwnerInactive, &id).is_empty());
    }

    #[test]
    fn one_that_no_longer_acts_is_a_low_cleanup_item() {
        let mut id = workload(Kind::ApiToken);
        id.ownership = Ownership::Known(vec![owner("Ann Lee", AccountStatus::Disabled)]);
        assert_eq!(check(&OwnerInactive, &id)[0].severity, Severity::High);
        // An app disabled can be enabled again, its grants intact: still high.
        let mut app = id.clone();
        app.kind = Kind::ServicePrincipal;
        app.enabled = false;
        assert_eq!(check(&OwnerInactive, &app)[0].severity, Severity::High);
        id.enabled = false;
        let found = check(&OwnerInactive, &id);
        assert_eq!(found[0].severity, Severity::Low);
        assert!(found[0].evidence.contains("delete it"), "{found:?}");
    }
}
