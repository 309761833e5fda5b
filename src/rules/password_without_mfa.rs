//! ## What it does
//! Flags service identities that can sign in with a password and have no MFA.
//!
//! ## Why is this bad?
//! A password is the credential infostealers harvest and attackers replay, and a service account
//! cannot answer an MFA prompt, so its password alone opens the door. The 2024 campaign against
//! Snowflake customers (UNC5537) logged in to about 165 accounts with stolen passwords: no MFA,
//! credentials never rotated, no network allow-list (OWASP NHI4).
//!
//! ## Example
//! A Snowflake `LEGACY_SERVICE` user `ETL_LOADER` with `has_password: true` and `has_mfa: false`;
//! an AWS IAM user used by automation that also has a console password without MFA.
//!
//! ## Remediation
//! Remove the password: switch the workload to key-pair authentication, a workload identity or
//! OAuth client credentials (Snowflake: `ALTER USER … SET TYPE = SERVICE` and `UNSET PASSWORD`), add
//! a network policy limiting where it can sign in from, and rotate anything the password protected.
//!
//! ## References
//! - Mandiant UNC5537 (Snowflake) report: https://cloud.google.com/blog/topics/threat-intelligence/unc5537-snowflake-data-theft-extortion
//! - Snowflake: user types: https://docs.snowflake.com/en/user-guide/admin-user-management
//! - OWASP NHI4:2025 Insecure Authentication: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::Identity;

/// NL504
pub struct PasswordWithoutMfa;

static META: RuleMeta = RuleMeta {
    code: "NL504",
    name: "password_without_mfa",
    title: "Service identity signs in with a password and no MFA",
    severity: Severity::Critical,
    applies: Applies::NonHuman,
};

impl Rule for PasswordWithoutMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(login) = &identity.interactive else {
            return;
        };
        if !identity.enabled
            || !login.password_enabled
            || login.mfa == Some(true)
            || identity.password_ended(cx.now)
        {
            return;
        }
        let mfa = if login.mfa.is_none() {
            "no MFA recorded"
        } else {
            "no MFA"
        };
        out.push(Finding::new(
            &META,
            format!("a password is enabled and there is {mfa}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InteractiveLogin, Kind};
    use crate::rules::testing::*;

    #[test]
    fn a_password_without_mfa_on_a_workload_is_critical() {
        let mut id = workload(Kind::ServiceUser);
        assert!(check(&PasswordWithoutMfa, &id).is_empty());
        id.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: Some(false),
            last_login: None,
        });
        assert_eq!(
            check(&PasswordWithoutMfa, &id)[0].severity,
            Severity::Critical
        );
        id.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: Some(true),
            last_login: None,
        });
        assert!(check(&PasswordWithoutMfa, &id).is_empty());
        id.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: None,
            last_login: None,
        });
        id.enabled = false;
        assert!(
            check(&PasswordWithoutMfa, &id).is_empty(),
            "a disabled user cannot sign in"
        );
    }

    #[test]
    fn quiet_once_the_platform_ended_the_password() {
        let mut user = workload(Kind::ServiceUser);
        user.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: Some(false),
            last_login: None,
        });
        let mut password = credential(
            crate::model::CredentialKind::Password,
            400,
            crate::model::Expiry::At { at: in_days(5) },
        );
        user.credentials = vec![password.clone()];
        assert_eq!(check(&PasswordWithoutMfa, &user).len(), 1);
        // A Snowflake user past its expires_at_time: it signs in no more.
        password.expiry = crate::model::Expiry::At { at: days_ago(5) };
        user.credentials = vec![password];
        assert!(check(&PasswordWithoutMfa, &user).is_empty());
    }
}
