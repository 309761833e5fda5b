//! ## What it does
//! Flags apps and service accounts that authenticate with a client secret (a shared password)
//! where the platform supports a certificate or a federated credential instead.
//!
//! ## Why is this bad?
//! A client secret is a string: it is pasted into config files, CI variables and tickets, and
//! whoever copies it can use it from anywhere. A certificate's private key can stay in a key vault
//! or HSM, and a federated credential (workload identity federation) stores no secret at all
//! (OWASP NHI4, insecure authentication).
//!
//! ## Example
//! An Entra app registration with two `passwordCredentials` and no `keyCredentials`.
//!
//! ## Remediation
//! Add a federated identity credential (GitHub Actions, Kubernetes, another cloud) or a
//! certificate kept in a key vault, switch the workload to it, then delete the client secrets.
//! Entra app management policies can block new secrets.
//!
//! ## References
//! - Microsoft: workload identity federation: https://learn.microsoft.com/entra/workload-id/workload-identity-federation
//! - OWASP NHI4:2025 Insecure Authentication: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Evidence, Finding, Rule, RuleMeta, Severity};
use crate::model::{CredentialKind, Identity, Kind};

/// NL501
pub struct SecretInsteadOfCertificate;

static META: RuleMeta = RuleMeta {
    code: "NL501",
    name: "secret_instead_of_certificate",
    title: "Client secret where a certificate or federated credential would do",
    severity: Severity::Medium,
    applies: Applies::NonHuman,
};

impl Rule for SecretInsteadOfCertificate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>) {
        if !matches!(
            identity.kind,
            Kind::ServicePrincipal | Kind::OauthApp | Kind::ServiceAccount
        ) {
            return;
        }
        let mut evidence = Evidence::default();
        for c in identity
            .live_credentials(cx.now)
            .filter(|c| c.kind == CredentialKind::Secret)
        {
            evidence.item(c.name());
        }
        if let Some(names) = evidence.finish() {
            out.push(Finding::new(&META, format!("authenticates with {names}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Expiry;
    use crate::rules::testing::*;

    #[test]
    fn client_secrets_on_apps_only() {
        let mut id = workload(Kind::ServicePrincipal);
        id.credentials = vec![credential(
            CredentialKind::Certificate,
            10,
            Expiry::At { at: in_days(100) },
        )];
        assert!(check(&SecretInsteadOfCertificate, &id).is_empty());
        id.credentials.push(credential(
            CredentialKind::Secret,
            10,
            Expiry::At { at: in_days(100) },
        ));
        assert_eq!(check(&SecretInsteadOfCertificate, &id).len(), 1);
        id.kind = Kind::CiSecret;
        assert!(check(&SecretInsteadOfCertificate, &id).is_empty());
    }
}
