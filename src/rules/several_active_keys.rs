//! ## What it does
//! Flags identities with more than one live key, secret or token at the same time. Where each
//! credential was issued to a person (one OAuth refresh token per authorizing user), each
//! person's credentials are counted on their own.
//!
//! ## Why is this bad?
//! A second live credential is usually a rotation that was started and never finished: the old
//! key still works, often in a place nobody remembers. Each extra live credential is one more
//! thing that can leak (OWASP NHI7).
//!
//! ## Example
//! An AWS IAM user with both access keys active; an Entra app with three client secrets.
//!
//! ## Remediation
//! Find out which credential the workload uses (last-used dates help), move any stragglers to
//! it, and delete the others. Keep two only for the minutes of a rotation.
//!
//! ## References
//! - AWS: rotating access keys (two keys only during rotation): https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{CredentialKind, Identity};

/// NL105
pub struct SeveralActiveKeys;

static META: RuleMeta = RuleMeta {
    code: "NL105",
    name: "several_active_keys",
    title: "Several live credentials on one identity",
    severity: Severity::Low,
    applies: Applies::NonHuman,
};

impl Rule for SeveralActiveKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = || {
            identity.live_credentials(cx.now).filter(|c| {
                matches!(
                    c.kind,
                    CredentialKind::Key | CredentialKind::Secret | CredentialKind::Token
                )
            })
        };
        // Most identities have one credential or none: decide that without allocating.
        if live().nth(1).is_none() {
            return;
        }
        // Credentials issued to different people (one token per authorizing user) are not
        // overlapping rotations: count each holder's own.
        let mut holders: Vec<Option<&str>> = live().map(|c| c.holder.as_deref()).collect();
        holders.sort_unstable();
        holders.dedup();
        for holder in holders {
            let mine = || live().filter(move |c| c.holder.as_deref() == holder);
            let count = mine().count();
            if count < 2 {
                continue;
            }
            let mut evidence = Evidence::default();
            for c in mine() {
                evidence.item(c.name());
            }
            let names = evidence.finish().unwrap_or_default();
            let finding = Finding::new(
                &META,
                match holder {
                    Some(holder) => format!("{count} live for {holder}: {names}"),
                    None => format!("{count} live: {names}"),
                },
            );
            out.push(match holder {
                Some(holder) => finding.about(holder),
                None => finding,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expiry, Kind};
    use crate::rules::testing::*;

    #[test]
    fn two_live_keys_are_one_too_many() {
        let mut id = workload(Kind::ServiceUser);
        id.credentials = vec![credential(CredentialKind::Key, 10, Expiry::Never)];
        assert!(check(&SeveralActiveKeys, &id).is_empty());
        id.credentials
            .push(credential(CredentialKind::Key, 400, Expiry::Never));
        let found = check(&SeveralActiveKeys, &id);
        assert!(found[0].evidence.starts_with("2 live"));
    }

    #[test]
    fn credentials_of_different_people_are_counted_per_person() {
        let mut id = workload(Kind::OauthApp);
        let token = |holder: &str| {
            let mut c = credential(CredentialKind::Token, 10, Expiry::Never);
            c.holder = Some(holder.into());
            c
        };
        id.credentials = vec![token("alice"), token("bob")];
        assert!(check(&SeveralActiveKeys, &id).is_empty());
        id.credentials.push(token("alice"));
        let found = check(&SeveralActiveKeys, &id);
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.starts_with("2 live for alice"));
    }

    #[test]
    fn inactive_keys_and_certificates_do_not_count() {
        let mut id = workload(Kind::ServiceUser);
        let mut off = credential(CredentialKind::Key, 10, Expiry::Never);
        off.active = false;
        id.credentials = vec![
            credential(CredentialKind::Key, 10, Expiry::Never),
            off,
            credential(CredentialKind::Certificate, 10, Expiry::Never),
        ];
        assert!(check(&SeveralActiveKeys, &id).is_empty());
    }
}
