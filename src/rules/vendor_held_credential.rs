//! ## What it does
//! Flags third-party identities whose credentials only the vendor can rotate, when no contact on
//! the vendor's side is recorded in the policy.
//!
//! ## Why is this bad?
//! A vendor-managed connector's secret lives with the vendor. When the vendor is breached, you can
//! revoke the grant but not rotate the secret, and you need to know whom to call before the
//! incident, not during it (OWASP NHI3). Documenting who can rotate, revoke and observe is the
//! minimum due diligence for a vendor connection.
//!
//! ## Example
//! A third-party Entra app whose client secrets live in the vendor's tenant, with no
//! `vendor_contact` in the owner map.
//!
//! ## Remediation
//! Record the vendor's security contact and the revocation procedure (an owner-map entry with
//! `vendor_contact`). Ask the vendor how and how often they rotate the credential and how they
//! would notify you of a compromise.
//!
//! ## References
//! - OWASP NHI3:2025 Vulnerable Third-Party NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - NIST CSF 2.0 GV.SC-07: supplier risks understood, recorded and monitored

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Controller, Identity, Party};

/// NL402
pub struct VendorHeldCredential;

static META: RuleMeta = RuleMeta {
    code: "NL402",
    name: "vendor_held_credential",
    title: "Vendor holds the credential; no vendor contact recorded",
    severity: Severity::Low,
    applies: Applies::NonHuman,
};

impl Rule for VendorHeldCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.party() != Party::ThirdParty
            || !identity.enabled
            || identity.pending
            || identity.credential_control.rotate != Controller::Vendor
            || identity.vendor_contact.is_some()
        {
            return;
        }
        let vendor = identity
            .publisher
            .as_ref()
            .and_then(|p| p.name.as_deref())
            .unwrap_or("the vendor");
        out.push(Finding::new(
            &META,
            format!("only {vendor} can rotate its credentials; you can only revoke; no vendor contact on file"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialControl, Kind, Publisher};
    use crate::rules::testing::*;

    #[test]
    fn a_recorded_contact_settles_it() {
        let mut id = workload(Kind::ServicePrincipal);
        id.publisher = Some(Publisher {
            party: Party::ThirdParty,
            ..Publisher::default()
        });
        id.credential_control = CredentialControl {
            rotate: Controller::Vendor,
            revoke: Controller::Customer,
        };
        assert_eq!(check(&VendorHeldCredential, &id).len(), 1);
        // Disabled, or only requested: nothing of the vendor's acts.
        for quiet in [
            Identity {
                enabled: false,
                ..id.clone()
            },
            Identity {
                pending: true,
                ..id.clone()
            },
        ] {
            assert!(check(&VendorHeldCredential, &quiet).is_empty());
        }
        id.vendor_contact = Some("security@vendor.example".into());
        assert!(check(&VendorHeldCredential, &id).is_empty());
        id.vendor_contact = None;
        id.credential_control = CredentialControl::CUSTOMER;
        assert!(check(&VendorHeldCredential, &id).is_empty());
    }
}
