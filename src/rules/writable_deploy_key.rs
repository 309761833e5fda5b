//! ## What it does
//! Flags deploy keys that can push to their repository (`read_only: false`).
//!
//! ## Why is this bad?
//! A deploy key is a bare SSH key with no user behind it, no expiry and no SSO: whoever has the
//! private key can push code, including to branches that deploy to production, and the push is
//! attributed to nobody (OWASP NHI5). Most deploy keys only need to clone.
//!
//! ## Example
//! A deploy key titled `jenkins` on `acme/payments` with write access, added three years ago.
//!
//! ## Remediation
//! Replace it with a read-only deploy key. If the automation must push, use a GitHub App with
//! `contents:write` on that repository: its tokens expire within an hour and its pushes are
//! attributed.
//!
//! ## References
//! - GitHub: managing deploy keys: https://docs.github.com/authentication/connecting-to-github-with-ssh/managing-deploy-keys
//! - OWASP NHI5:2025 Overprivileged NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Kind, Tier};

/// NL303
pub struct WritableDeployKey;

static META: RuleMeta = RuleMeta {
    code: "NL303",
    name: "writable_deploy_key",
    title: "Deploy key can push",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for WritableDeployKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.kind != Kind::DeployKey || !identity.enabled {
            return;
        }
        if identity.grants.iter().any(|g| g.tier >= Tier::Write) {
            let place = identity.location.as_deref().unwrap_or("its repository");
            out.push(Finding::new(&META, format!("can push to {place}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn fires_on_writable_deploy_keys_only() {
        let mut id = workload(Kind::DeployKey);
        id.location = Some("acme/payments".into());
        id.grants = vec![grant("contents:read", Tier::SensitiveRead)];
        assert!(check(&WritableDeployKey, &id).is_empty());
        id.grants = vec![grant("contents:write", Tier::Write)];
        assert!(
            check(&WritableDeployKey, &id)[0]
                .evidence
                .contains("acme/payments")
        );
        id.kind = Kind::GithubApp;
        assert!(check(&WritableDeployKey, &id).is_empty());
    }
}
