//! ## What it does
//! Flags service identities that can also sign in interactively with a password, and accounts
//! classed as people whose names mark them as service accounts (`svc-`, `-bot`, `ci-`, …) but
//! which sign in with a password.
//!
//! ## Why is this bad?
//! When people use a service identity by hand, its actions can no longer be told from the
//! automation's, its password is shared among whoever needs it, and its MFA (if any) is usually
//! switched off to keep the automation working (OWASP NHI10, human use of NHI). The Snowflake
//! breaches of 2024 exploited exactly such password-only service logins.
//!
//! ## Example
//! An AWS IAM user `deploy-bot` with active access keys and a console password without MFA.
//!
//! ## Remediation
//! Remove the password (console access) from the service identity; give the people who used it
//! their own accounts with the access they need. If a person must act as the service, use a
//! role they assume with their own MFA, so their actions are attributed.
//!
//! ## References
//! - OWASP NHI10:2025 Human Use of NHI: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
//! - Mandiant UNC5537 (Snowflake) report: https://cloud.google.com/blog/topics/threat-intelligence/unc5537-snowflake-data-theft-extortion

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL801
pub struct HumanUseOfServiceIdentity;

static META: RuleMeta = RuleMeta {
    code: "NL801",
    name: "human_use_of_service_identity",
    title: "Service identity allows interactive password sign-in",
    severity: Severity::High,
    applies: Applies::Everyone,
};

/// Name markers of service accounts, matched on lower-cased names split at `-`, `_`, `.`, `@`.
const SERVICE_MARKERS: &[&str] = &[
    "svc",
    "service",
    "bot",
    "ci",
    "cd",
    "deploy",
    "deployer",
    "automation",
    "robot",
    "jenkins",
    "terraform",
    "integration",
    "sync",
    "etl",
    "pipeline",
    "system",
    "api",
];

fn looks_like_service(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(['-', '_', '.', '@', ' '])
        .any(|part| SERVICE_MARKERS.contains(&part))
}

impl Rule for HumanUseOfServiceIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(login) = &identity.interactive else {
            return;
        };
        if !login.password_enabled
            || !identity.enabled
            || identity.root_account
            || identity.password_ended(cx.now)
        {
            return;
        }
        let mfa = match login.mfa {
            Some(true) => "with MFA",
            Some(false) => "without MFA",
            None => "MFA unknown",
        };
        if !identity.human {
            let finding = Finding::new(
                &META,
                format!("a workload with live credentials also has a console password ({mfa})"),
            );
            out.push(if login.mfa == Some(true) {
                finding.with_severity(Severity::Medium)
            } else {
                finding
            });
        } else if looks_like_service(&identity.name) {
            out.push(
                Finding::new(
                    &META,
                    format!("\"{}\" is named like a service account but signs in with a password ({mfa})", identity.name),
                )
                .with_severity(Severity::Medium),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InteractiveLogin, Kind};
    use crate::rules::testing::*;

    fn login(mfa: Option<bool>) -> Option<InteractiveLogin> {
        Some(InteractiveLogin {
            password_enabled: true,
            mfa,
            last_login: None,
        })
    }

    #[test]
    fn a_workload_with_a_password_is_flagged() {
        let mut id = workload(Kind::ServiceUser);
        assert!(check(&HumanUseOfServiceIdentity, &id).is_empty());
        id.interactive = login(Some(false));
        assert_eq!(
            check(&HumanUseOfServiceIdentity, &id)[0].severity,
            Severity::High
        );
        id.interactive = login(Some(true));
        assert_eq!(
            check(&HumanUseOfServiceIdentity, &id)[0].severity,
            Severity::Medium
        );
    }

    #[test]
    fn people_only_when_named_like_a_service() {
        let mut id = workload(Kind::User);
        id.human = true;
        id.interactive = login(Some(true));
        id.name = "alice.smith".into();
        assert!(check(&HumanUseOfServiceIdentity, &id).is_empty());
        id.name = "svc-reporting".into();
        assert_eq!(check(&HumanUseOfServiceIdentity, &id).len(), 1);
        assert!(
            !looks_like_service("cindy"),
            "markers match whole name parts only"
        );
    }
}
