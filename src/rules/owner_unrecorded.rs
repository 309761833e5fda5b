//! ## What it does
//! Flags identities on platforms that have no owner field at all (GitHub App installations,
//! webhooks, AWS IAM users without tags) when the policy's owner map does not name an
//! owner either. Identities that are not enabled (a denied OAuth app, a suspended installation,
//! an inactive webhook) are left out: they hold no access for anyone to answer for.
//!
//! ## Why is this bad?
//! The platform cannot tell you who is accountable, so unless someone writes it down elsewhere,
//! nobody is. It weighs less than a missing owner where one could have been recorded, but the
//! consequence is the same: nobody reviews, rotates or retires it (OWASP NHI1).
//!
//! ## Example
//! A GitHub webhook posting to `hooks.example.com`: GitHub records no creator for webhooks.
//!
//! ## Remediation
//! Record the owner in the policy's owner map (by stable ID or ID pattern), or on the platform
//! where a convention exists (an `owner` tag on AWS IAM users, the app's description).
//!
//! ## References
//! - OWASP NHI1:2025 Improper Offboarding: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Ownership, Party};

/// NL204
pub struct OwnerUnrecorded;

static META: RuleMeta = RuleMeta {
    code: "NL204",
    name: "owner_unrecorded",
    title: "Owner unknown: the platform records none",
    severity: Severity::Low,
    applies: Applies::NonHuman,
};

impl Rule for OwnerUnrecorded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.ownership == Ownership::NotRecorded
            && identity.enabled
            && identity.party() != Party::FirstParty
        {
            out.push(Finding::new(
                &META,
                format!(
                    "{} records no owner for this {}; the owner map names none",
                    identity.platform.display_name(),
                    identity.kind.label()
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
    fn flags_only_unrecordable_ownership() {
        let mut id = workload(Kind::Webhook);
        assert!(check(&OwnerUnrecorded, &id).is_empty());
        id.ownership = Ownership::NotRecorded;
        assert!(check(&OwnerUnrecorded, &id)[0].evidence.contains("webhook"));
    }

    #[test]
    fn a_disabled_identity_is_not_flagged() {
        let mut id = workload(Kind::OauthApp);
        id.ownership = Ownership::NotRecorded;
        assert_eq!(check(&OwnerUnrecorded, &id).len(), 1);
        // A denied OAuth app, a suspended installation: no access for an owner to answer for.
        id.enabled = false;
        assert!(check(&OwnerUnrecorded, &id).is_empty());
    }
}
