//! ## What it does
//! Flags credentials (same certificate thumbprint, same SSH key fingerprint) that are attached to
//! more than one identity.
//!
//! ## Why is this bad?
//! A credential shared by several apps or repositories ties them together: revoking it breaks all
//! of them, so nobody does, and stealing it opens all of them at once. Logs cannot tell which
//! workload acted (OWASP NHI9, NHI reuse).
//!
//! ## Example
//! The same deploy key on `acme/api`, `acme/web` and `acme/infra`; one certificate uploaded to
//! three Entra app registrations.
//!
//! ## Remediation
//! Give each workload its own credential, then remove the shared one from every identity.
//!
//! ## References
//! - OWASP NHI9:2025 NHI Reuse: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL701
pub struct SharedCredential;

static META: RuleMeta = RuleMeta {
    code: "NL701",
    name: "shared_credential",
    title: "One credential shared by several identities",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for SharedCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut shared = Vec::new();
        for c in identity.live_credentials(cx.now) {
            let Some(fp) = &c.fingerprint else { continue };
            let others = cx.index.others_with(fp, &identity.id);
            if !others.is_empty() {
                let mut names = Evidence::default();
                for other in others {
                    names.item(format_args!("{} ({})", other.name, other.id));
                }
                let names = names.finish().unwrap_or_default();
                shared.push(format!("{} ({fp}) is also on {names}", c.name()));
            }
        }
        if !shared.is_empty() {
            out.push(Finding::new(&META, shared.join(" | ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialKind, Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn the_same_fingerprint_on_two_identities_is_reuse() {
        let mut a = workload(Kind::DeployKey);
        a.id = "github:deploy_key:1".into();
        let mut key = credential(CredentialKind::Key, 10, Expiry::Never);
        key.fingerprint = Some("SHA256:abc".into());
        a.credentials = vec![key];
        let mut b = a.clone();
        b.id = "github:deploy_key:2".into();
        b.name = "other".into();
        assert!(
            check(&SharedCredential, &a).is_empty(),
            "alone, nothing is shared"
        );
        let found = check_among(&SharedCredential, &a, &[a.clone(), b]);
        assert!(found[0].evidence.contains("github:deploy_key:2"));
    }
}
