//! ## What it does
//! Flags identities on platforms that can record an owner where none is recorded, and none is
//! assigned in the policy's owner map.
//!
//! ## Why is this bad?
//! Without an owner nobody answers "is this still needed?", nobody rotates its secrets, and nobody
//! is told when it misbehaves. Owner-less identities are the ones left running after their people
//! leave (OWASP NHI1). Owner attribution is the most asked-for fact in NHI reviews after last use.
//!
//! ## Example
//! An Entra app registration whose owners list is empty; a deploy key whose `added_by` is empty.
//!
//! ## Remediation
//! Find who uses it (sign-in logs, audit log of its creation) and record them as owner on the
//! platform: at least two owners, one of them a team or group mailbox, so ownership survives a
//! departure. Or assign an owner in the policy's owner map.
//!
//! ## References
//! - OWASP NHI1:2025 Improper Offboarding: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - Microsoft: assign application owners: https://learn.microsoft.com/entra/identity/enterprise-apps/assign-app-owners

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Ownership, Party};

/// NL203
pub struct OwnerMissing;

static META: RuleMeta = RuleMeta {
    code: "NL203",
    name: "owner_missing",
    title: "No owner recorded",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for OwnerMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.ownership == Ownership::Missing && identity.party() != Party::FirstParty {
            out.push(Finding::new(
                &META,
                format!(
                    "{} can record an owner; none is recorded",
                    identity.platform.display_name()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::rules::testing::*;

    #[test]
    fn only_a_recordable_missing_owner_counts() {
        let mut id = workload(Kind::ServicePrincipal);
        assert!(check(&OwnerMissing, &id).is_empty());
        id.ownership = Ownership::NotLoaded;
        assert!(
            check(&OwnerMissing, &id).is_empty(),
            "missing data is not a finding"
        );
        id.ownership = Ownership::Missing;
        assert_eq!(check(&OwnerMissing, &id).len(), 1);
    }
}
