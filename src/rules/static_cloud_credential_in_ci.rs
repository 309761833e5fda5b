//! ## What it does
//! Flags CI/CD secrets whose names show they hold a static cloud credential: an AWS secret access
//! key, an Azure client secret, a Google service-account key file and the like.
//!
//! ## Why is this bad?
//! CI systems are among the most attacked places an organisation has, and a long-lived cloud key
//! stored there can be exfiltrated by any workflow change or compromised action. Every major cloud
//! accepts the CI system's OIDC token instead, which removes the stored key entirely (OWASP NHI6,
//! insecure cloud deployment configurations).
//!
//! ## Example
//! A GitHub Actions organisation secret `AWS_SECRET_ACCESS_KEY` visible to all repositories.
//!
//! ## Remediation
//! Configure OpenID Connect federation between the CI system and the cloud (an IAM role trusting
//! GitHub's OIDC provider, an Entra federated credential, Google workload identity federation),
//! scope the trust to the repository and branch, then delete the secret and the key behind it.
//!
//! ## References
//! - GitHub: security hardening with OpenID Connect: https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
//! - OWASP NHI6:2025 Insecure Cloud Deployment Configurations: https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025

use super::{Applies, Context, Finding, Rule, RuleMeta, Severity};
use crate::model::{Identity, Kind};

/// NL601
pub struct StaticCloudCredentialInCi;

static META: RuleMeta = RuleMeta {
    code: "NL601",
    name: "static_cloud_credential_in_ci",
    title: "Static cloud credential stored as a CI/CD secret",
    severity: Severity::High,
    applies: Applies::NonHuman,
};

/// Name fragments of static cloud credentials, matched against the upper-cased secret name, with
/// the cloud whose OIDC federation would replace them.
const PATTERNS: &[(&str, &str)] = &[
    ("AWS_SECRET_ACCESS_KEY", "AWS"),
    ("AWS_ACCESS_KEY_ID", "AWS"),
    ("AWS_SECRET_KEY", "AWS"),
    ("AZURE_CLIENT_SECRET", "Azure"),
    ("ARM_CLIENT_SECRET", "Azure"),
    ("AZURE_CREDENTIALS", "Azure"),
    ("AZURE_SP_SECRET", "Azure"),
    ("GOOGLE_APPLICATION_CREDENTIALS", "Google Cloud"),
    ("GOOGLE_CREDENTIALS", "Google Cloud"),
    ("GCP_SA_KEY", "Google Cloud"),
    ("GCP_CREDENTIALS", "Google Cloud"),
    ("GCLOUD_SERVICE_KEY", "Google Cloud"),
    ("SERVICE_ACCOUNT_KEY", "Google Cloud"),
    ("SERVICE_ACCOUNT_JSON", "Google Cloud"),
];

impl Rule for StaticCloudCredentialInCi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, identity: &Identity, _cx: &Context<'_>, out: &mut Vec<Finding>) {
        if identity.kind != Kind::CiSecret {
            return;
        }
        let name = identity.name.to_ascii_uppercase();
        if let Some((_, cloud)) = PATTERNS
            .iter()
            .find(|(fragment, _)| name.contains(fragment))
        {
            out.push(Finding::new(
                &META,
                format!(
                    "secret {} holds a static {cloud} credential; OIDC federation would remove it",
                    identity.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    #[test]
    fn recognizes_cloud_key_names() {
        let mut id = workload(Kind::CiSecret);
        for (name, hit) in [
            ("AWS_SECRET_ACCESS_KEY", true),
            ("prod_aws_access_key_id", true),
            ("AZURE_CLIENT_SECRET", true),
            ("GCP_SA_KEY_JSON", true),
            ("NPM_TOKEN", false),
            ("SLACK_WEBHOOK_URL", false),
        ] {
            id.name = name.into();
            assert_eq!(
                check(&StaticCloudCredentialInCi, &id).len(),
                usize::from(hit),
                "{name}"
            );
        }
        id.kind = Kind::ApiToken;
        id.name = "AWS_SECRET_ACCESS_KEY".into();
        assert!(check(&StaticCloudCredentialInCi, &id).is_empty());
    }
}
