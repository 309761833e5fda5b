//! ## What it does
//! Flags an identity whose oldest live credential was created (or last rotated) longer ago than
//! the policy's maximum secret age (365 days by default).
//!
//! ## Why is this bad?
//! The older a secret, the more places it has been copied to: laptops, CI logs, chat, former
//! employees' password managers. Rotation is what ends those copies (OWASP NHI7). Identities whose
//! secrets are never rotated are also the ones nobody would notice being abused.
//!
//! ## Example
//! An AWS access key last rotated 2019-04-02; a GitHub Actions secret `DEPLOY_TOKEN` last updated
//! three years ago.
//!
//! ## Remediation
//! Rotate the credential: create a new one, move every consumer to it, then delete the old one.
//! Where the platform offers federation (OIDC from CI, workload identity, managed identities),
//! switch to it and delete the stored secret.
//!
//! ## References
//! - OWASP NHI7:2025 Long-Lived Secrets: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - AWS: rotate access keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console

use super::{Applies, Context, Day, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, days_between};

/// NL102
pub struct SecretNotRotated;

static META: RuleMeta = RuleMeta {
    code: "NL102",
    name: "secret_not_rotated",
    title: "Oldest live secret is older than the rotation policy",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for SecretNotRotated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let limit = cx.thresholds.secret_max_age_days;
        let oldest = identity
            .live_credentials(cx.now)
            .filter(|c| c.kind.is_static_secret())
            .filter_map(|c| Some((c.created_at?, c)))
            .min_by_key(|(at, _)| *at);
        if let Some((at, c)) = oldest {
            let age = days_between(at, cx.now);
            if age > limit {
                let evidence = format!(
                    "{} dates from {} ({age} days; policy {limit})",
                    c.name(),
                    Day(at)
                );
                out.push(Finding::new(&META, evidence));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CredentialKind, Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn names_the_oldest_live_secret() {
        let mut id = workload(Kind::AccessKey);
        id.credentials = vec![
            credential(CredentialKind::Key, 400, Expiry::Never),
            credential(CredentialKind::Key, 800, Expiry::Never),
        ];
        let found = check(&SecretNotRotated, &id);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].evidence.contains("800 days"),
            "{}",
            found[0].evidence
        );
    }

    #[test]
    fn ignores_young_expired_and_undated() {
        let mut id = workload(Kind::AccessKey);
        let mut undated = credential(CredentialKind::Key, 0, Expiry::Never);
        undated.created_at = None;
        id.credentials = vec![
            credential(CredentialKind::Key, 100, Expiry::Never),
            credential(CredentialKind::Secret, 900, Expiry::At { at: days_ago(5) }),
            undated,
        ];
        assert!(check(&SecretNotRotated, &id).is_empty());
    }
}
