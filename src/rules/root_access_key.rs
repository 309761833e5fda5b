//! ## What it does
//! Flags access keys on a cloud account's root user.
//!
//! ## Why is this bad?
//! The AWS root user can do everything, including closing the account and undoing every IAM
//! restriction; no policy can limit it. A root access key is that power in a string that can be
//! pasted anywhere, and it never expires. AWS's own guidance is that the root user should have no
//! access keys at all.
//!
//! ## Example
//! The `<root_account>` row of the credential report with `access_key_1_active: true`.
//!
//! ## Remediation
//! Delete the root access keys (after checking their last use to find what depends on them), move
//! that automation to an IAM role, and protect the root user with MFA.
//!
//! ## References
//! - AWS: root user best practices: https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html
//! - CIS AWS Foundations 1.4: no root user access key exists

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{CredentialKind, Identity};

/// NL305
pub struct RootAccessKey;

static META: RuleMeta = RuleMeta {
    code: "NL305",
    name: "root_access_key",
    title: "Root account has an access key",
    severity: Severity::Critical,
    applies: Applies::Everyone,
};

impl Rule for RootAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !identity.root_account {
            return;
        }
        let mut evidence = Evidence::default();
        for c in identity
            .live_credentials(cx.now)
            .filter(|c| c.kind == CredentialKind::Key)
        {
            evidence.item(format_args!("{} is active", c.name()));
        }
        if let Some(evidence) = evidence.finish() {
            out.push(Finding::new(&META, evidence));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn an_active_root_key_is_critical() {
        let mut id = workload(Kind::AccessKey);
        id.credentials = vec![credential(CredentialKind::Key, 10, Expiry::Never)];
        assert!(check(&RootAccessKey, &id).is_empty());
        id.root_account = true;
        assert_eq!(check(&RootAccessKey, &id)[0].severity, Severity::Critical);
        id.credentials[0].active = false;
        assert!(check(&RootAccessKey, &id).is_empty());
    }
}
