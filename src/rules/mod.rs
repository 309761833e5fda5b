//! The rules: one file each, a stable code each, registered in [`RULES`].
//!
//! A rule reads only the normalized model (never platform JSON or page DOM) and says what it
//! found as a [`Finding`] with evidence the admin can check. Its documentation is the module
//! comment of its file (What it does / Why is this bad? / Example / Remediation / References),
//! compiled into [`doc`]; its framework mapping is data in `src/frameworks/`.

mod admin_permission;
mod anonymous_client;
mod app_open_to_other_tenants;
mod broad_write_access;
mod client_reused;
mod credential_expiring_soon;
mod credential_long_lived;
mod credential_never_used;
mod domain_wide_delegation;
mod dormant_identity;
mod expired_credential_present;
mod human_use_of_service_identity;
mod insecure_webhook;
mod legacy_service_identity;
mod owner_inactive;
mod owner_missing;
mod owner_unrecorded;
mod password_without_mfa;
mod person_used_as_service;
mod platform_flagged_scope;
mod root_access_key;
mod scope_creep;
mod secret_in_url;
mod secret_instead_of_certificate;
mod secret_not_rotated;
mod several_active_keys;
mod shared_credential;
mod static_cloud_credential_in_ci;
mod tenant_wide_consent;
mod token_any_network;
mod unverified_publisher;
mod vendor_held_credential;
mod writable_deploy_key;

#[cfg(test)]
pub(crate) mod testing;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::model::{Identity, Timestamp};
use crate::policy::Thresholds;

/// How bad a finding is. Each level is worth a fixed number of risk points (see [`crate::score`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Which identities a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Workloads only: people are listed, not scored.
    NonHuman,
    /// Everyone: the rule looks for signs of human use of service identities.
    Everyone,
}

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, never reused (`NL101`).
    pub code: &'static str,
    /// The rule's file name, which is also its name (`credential_long_lived`).
    pub name: &'static str,
    /// One line naming the problem, as a finding's title.
    pub title: &'static str,
    /// The usual severity; a rule may raise or lower it for one finding, saying why.
    pub severity: Severity,
    pub applies: Applies,
}

/// A rule of the catalogue.
pub trait Rule: Sync {
    /// The rule's code, name, title and severity.
    fn meta(&self) -> &'static RuleMeta;
    /// Looks at one identity; pushes at most one finding per problem it names.
    fn check(&self, identity: &Identity, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// What a rule may know besides the identity.
pub struct Context<'a> {
    pub now: Timestamp,
    pub thresholds: &'a Thresholds,
    pub index: &'a Index<'a>,
}

/// Facts across all identities that single-identity rules need (credential reuse).
#[derive(Debug, Default)]
pub struct Index<'a> {
    /// Credential fingerprint → the identities that hold it. Fingerprints are compared exactly:
    /// SSH fingerprints are base64, where case matters.
    fingerprints: FxHashMap<&'a str, Vec<&'a Identity>>,
    /// OAuth client ID → the identities that sign in as it.
    clients: FxHashMap<&'a str, Vec<&'a Identity>>,
}

impl<'a> Index<'a> {
    /// Indexes every credential fingerprint of every identity.
    pub fn build(identities: impl IntoIterator<Item = &'a Identity>) -> Index<'a> {
        let mut fingerprints: FxHashMap<&'a str, Vec<&'a Identity>> = FxHashMap::default();
        let mut clients: FxHashMap<&'a str, Vec<&'a Identity>> = FxHashMap::default();
        for identity in identities {
            if let Some(client) = &identity.client_id {
                clients.entry(client.as_str()).or_default().push(identity);
            }
            for credential in &identity.credentials {
                let Some(fp) = &credential.fingerprint else {
                    continue;
                };
                let holders = fingerprints.entry(fp.as_str()).or_default();
                if !holders.iter().any(|held| held.id == identity.id) {
                    holders.push(identity);
                }
            }
        }
        Index {
            fingerprints,
            clients,
        }
    }

    /// The other identities signing in as this OAuth client.
    pub fn others_with_client(&self, client: &str, except: &str) -> Vec<&'a Identity> {
        match self.clients.get(client) {
            Some(holders) if holders.len() > 1 => {
                holders.iter().copied().filter(|i| i.id != except).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The other identities holding a credential with this fingerprint.
    pub fn others_with(&self, fingerprint: &str, except: &str) -> Vec<&'a Identity> {
        match self.fingerprints.get(fingerprint) {
            Some(holders) if holders.len() > 1 => {
                holders.iter().copied().filter(|i| i.id != except).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Why a finding does not count towards the score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Disposition {
    /// Counts.
    Open,
    /// A risk acceptance in the policy covers it until it expires.
    Accepted {
        reason: String,
        #[serde(with = "crate::timestamp::rfc3339")]
        until: Timestamp,
    },
    /// The identity is on the policy's allowlist.
    Allowed { reason: String },
}

/// One problem found on one identity.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What was seen, naming the credential, grant or field.
    pub evidence: String,
    pub disposition: Disposition,
    /// What of the identity it is about, where a rule finds several on one (NL105: each
    /// credential holder's): what tells them apart while the evidence's counts and names change,
    /// for the keys reports give findings.
    pub subject: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its usual severity.
    pub fn new(rule: &'static RuleMeta, evidence: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            evidence: evidence.into(),
            disposition: Disposition::Open,
            subject: None,
        }
    }

    /// The same finding, about `subject` (see [`Finding::subject`]).
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The same finding at another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Whether it counts towards the score.
    pub fn is_open(&self) -> bool {
        self.disposition == Disposition::Open
    }
}

/// Every rule, in code order. Adding a rule means adding its file and one line here; the
/// conventions test checks the two agree.
pub static RULES: &[&dyn Rule] = &[
    &credential_long_lived::CredentialLongLived,
    &secret_not_rotated::SecretNotRotated,
    &expired_credential_present::ExpiredCredentialPresent,
    &credential_expiring_soon::CredentialExpiringSoon,
    &several_active_keys::SeveralActiveKeys,
    &dormant_identity::DormantIdentity,
    &credential_never_used::CredentialNeverUsed,
    &owner_missing::OwnerMissing,
    &owner_unrecorded::OwnerUnrecorded,
    &owner_inactive::OwnerInactive,
    &admin_permission::AdminPermission,
    &broad_write_access::BroadWriteAccess,
    &writable_deploy_key::WritableDeployKey,
    &tenant_wide_consent::TenantWideConsent,
    &root_access_key::RootAccessKey,
    &domain_wide_delegation::DomainWideDelegation,
    &platform_flagged_scope::PlatformFlaggedScope,
    &scope_creep::ScopeCreep,
    &unverified_publisher::UnverifiedPublisher,
    &vendor_held_credential::VendorHeldCredential,
    &anonymous_client::AnonymousClient,
    &secret_instead_of_certificate::SecretInsteadOfCertificate,
    &insecure_webhook::InsecureWebhook,
    &token_any_network::TokenAnyNetwork,
    &password_without_mfa::PasswordWithoutMfa,
    &static_cloud_credential_in_ci::StaticCloudCredentialInCi,
    &shared_credential::SharedCredential,
    &client_reused::ClientReused,
    &app_open_to_other_tenants::AppOpenToOtherTenants,
    &human_use_of_service_identity::HumanUseOfServiceIdentity,
    &person_used_as_service::PersonUsedAsService,
    &legacy_service_identity::LegacyServiceIdentity,
    &secret_in_url::SecretInUrl,
];

/// The rule with this code.
pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

/// Runs every rule that applies to `identity`.
pub fn check(identity: &Identity, cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        if identity.human && rule.meta().applies == Applies::NonHuman {
            continue;
        }
        rule.check(identity, cx, &mut out);
    }
    // A request is reviewed before it is granted: its findings are what approving it would give.
    if identity.pending {
        for finding in &mut out {
            finding.evidence.insert_str(0, "if approved: ");
        }
    }
    out
}

/// A rule's documentation, from the module comment of its file.
#[derive(Debug)]
pub struct RuleDoc {
    pub name: &'static str,
    pub what_it_does: &'static str,
    pub why_is_this_bad: &'static str,
    pub example: &'static str,
    pub remediation: &'static str,
    pub references: &'static str,
}

mod docs {
    use super::RuleDoc;
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// The documentation of the rule named `name`.
pub fn doc(name: &str) -> Option<&'static RuleDoc> {
    docs::RULE_DOCS.iter().find(|d| d.name == name)
}

/// The first sentence of a text, for tables: up to the first full stop followed by white space,
/// outside parentheses and not of an abbreviation ("e.g.", "i.e.").
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' if depth == 0
                && text[at + 1..].starts_with(char::is_whitespace)
                && !text[..at].ends_with("e.g")
                && !text[..at].ends_with("i.e") =>
            {
                return &text[..=at];
            }
            _ => {}
        }
    }
    text
}

/// A finding's evidence: items joined with "; ", naming at most five, then "and N more". Items
/// are written straight into one string: scoring a large tenant allocates one string per finding.
#[derive(Default)]
pub(crate) struct Evidence {
    text: String,
    items: usize,
}

impl Evidence {
    const SHOWN: usize = 5;

    /// Adds one item.
    pub fn item(&mut self, item: impl std::fmt::Display) {
        use std::fmt::Write as _;
        if self.items < Self::SHOWN {
            if self.items > 0 {
                self.text.push_str("; ");
            }
            let _ = write!(self.text, "{item}");
        }
        self.items += 1;
    }

    /// The evidence, or `None` when nothing was added.
    pub fn finish(mut self) -> Option<String> {
        if self.items == 0 {
            return None;
        }
        if self.items > Self::SHOWN {
            use std::fmt::Write as _;
            let _ = write!(self.text, "; and {} more", self.items - Self::SHOWN);
        }
        Some(self.text)
    }
}

/// A date as evidence shows it (`2024-01-02`), written without allocating.
pub(crate) struct Day(pub Timestamp);

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            t.year(),
            u8::from(t.month()),
            t.day()
        )
    }
}

/// The rule table of the README, generated from the rules' metadata, docs and framework mappings
/// (`cargo xtask readme` writes it; a test checks the README holds exactly this).
pub fn markdown_table() -> String {
    let fw = crate::frameworks::frameworks();
    let mut out =
        String::from("| Code | Rule | Severity | OWASP NHI | NIST CSF 2.0 | What it does |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for rule in RULES {
        let m = rule.meta();
        let what = doc(m.name).map_or("", |d| first_sentence(d.what_it_does));
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            m.code,
            m.name,
            m.severity.as_str(),
            fw.owasp_for(m.code).join(", "),
            fw.nist_for(m.code).join(", "),
            what.replace('\n', " ").replace('|', "\\|"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn a_first_sentence_ends_at_a_full_stop_outside_parentheses_and_abbreviations() {
        assert_eq!(
            first_sentence(" Narrow it (e.g. `Sites.Selected`. Not this.) today. Then more. "),
            "Narrow it (e.g. `Sites.Selected`. Not this.) today."
        );
        assert_eq!(first_sentence("Rotate it.\nThen delete"), "Rotate it.");
        assert_eq!(
            first_sentence("Use a vault, i.e. no file"),
            "Use a vault, i.e. no file"
        );
        assert_eq!(first_sentence("version 1.2 stays"), "version 1.2 stays");
    }

    #[test]
    fn a_requests_findings_say_they_are_what_approving_it_would_give() {
        use super::testing::{NOW, grant, workload};
        use crate::model::{Kind, Tier};
        let mut request = workload(Kind::UserToken);
        request.grants = vec![grant("administration:write", Tier::Admin)];
        let thresholds = crate::policy::Thresholds::default();
        let findings = |identity: &crate::model::Identity| {
            let index = super::Index::build([identity]);
            let cx = super::Context {
                now: NOW,
                thresholds: &thresholds,
                index: &index,
            };
            super::check(identity, &cx)
        };
        let granted = findings(&request);
        assert!(granted.iter().any(|f| f.rule.code == "NL301"));
        assert!(
            granted
                .iter()
                .all(|f| !f.evidence.starts_with("if approved"))
        );
        request.pending = true;
        let requested = findings(&request);
        assert!(requested.iter().any(|f| f.rule.code == "NL301"));
        assert!(
            requested
                .iter()
                .all(|f| f.evidence.starts_with("if approved: ")),
            "{requested:?}"
        );
    }
}
