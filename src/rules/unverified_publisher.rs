//! ## What it does
//! Flags third-party apps whose publisher the platform has not verified.
//!
//! ## Why is this bad?
//! Anyone can register an app and give it a trustworthy name. Publisher verification ties the app
//! to a real, accountable organisation; consent-phishing campaigns rely on unverified apps with
//! convincing names (OWASP NHI3, vulnerable third-party NHI).
//!
//! ## Example
//! An enterprise app "Microsoft Teams Helper" owned by another tenant, with an empty
//! `verifiedPublisher`.
//!
//! ## Remediation
//! Confirm who publishes the app and why it is in the tenant. Remove it if nobody can say. Set the
//! consent policy so users can only consent to apps from verified publishers.
//!
//! ## References
//! - Microsoft: publisher verification: https://learn.microsoft.com/entra/identity-platform/publisher-verification-overview
//! - OWASP NHI3:2025 Vulnerable Third-Party NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Party};

/// NL401
pub struct UnverifiedPublisher;

static META: RuleMeta = RuleMeta {
    code: "NL401",
    name: "unverified_publisher",
    title: "Third-party app from an unverified publisher",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for UnverifiedPublisher {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(publisher) = &identity.publisher else {
            return;
        };
        if identity.enabled
            && publisher.party == Party::ThirdParty
            && publisher.verified == Some(false)
        {
            let who = publisher.name.as_deref().unwrap_or("an unnamed publisher");
            let org = publisher
                .org_id
                .as_deref()
                .map(|o| format!(" (owner organisation {o})"))
                .unwrap_or_default();
            out.push(Finding::new(
                &META,
                format!("published by {who}{org}, not verified"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Publisher};
    use crate::rules::testing::*;

    #[test]
    fn only_unverified_third_parties() {
        let mut id = workload(Kind::ServicePrincipal);
        let mut p = Publisher {
            party: Party::ThirdParty,
            verified: Some(false),
            ..Publisher::default()
        };
        id.publisher = Some(p.clone());
        assert_eq!(check(&UnverifiedPublisher, &id).len(), 1);
        for (party, verified) in [
            (Party::ThirdParty, Some(true)),
            (Party::ThirdParty, None),
            (Party::Internal, Some(false)),
            (Party::FirstParty, Some(false)),
        ] {
            p.party = party;
            p.verified = verified;
            id.publisher = Some(p.clone());
            assert!(
                check(&UnverifiedPublisher, &id).is_empty(),
                "{party:?} {verified:?}"
            );
        }
    }
}
