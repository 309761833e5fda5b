//! The admin's policy: thresholds, allowlist, owner map, risk acceptances.
//!
//! Everything is keyed on stable IDs (an identity's `platform:kind:native-id`, its native ID or an
//! alias such as an Entra app ID), never on display names, which anyone who registers an app
//! chooses. Without a policy file the defaults below apply.

use serde::Deserialize;
use wildmatch::WildMatch;

use crate::model::{Identity, Owner, OwnerSource, Ownership, Party, Principal, Timestamp};
use crate::rules::{Disposition, Finding};

/// Numbers the rules compare against, in days.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// A live secret older than this should have been rotated.
    pub secret_max_age_days: i64,
    /// No use for longer than this is dormant.
    pub dormant_days: i64,
    /// A credential expiring further out than this is long-lived.
    pub expiry_horizon_days: i64,
    /// A credential expiring within this many days is noted.
    pub expiring_soon_days: i64,
    /// A credential never used this long after its creation is unused.
    pub never_used_grace_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            secret_max_age_days: 365,
            dormant_days: 90,
            expiry_horizon_days: 365,
            expiring_soon_days: 30,
            never_used_grace_days: 30,
        }
    }
}

/// An identity the organisation has reviewed and trusts: its findings stay visible but do not
/// count.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// The identity's ID, native ID or alias, exactly.
    pub id: String,
    pub reason: String,
    /// Only these rules; all rules when absent.
    #[serde(default)]
    pub rules: Option<Vec<String>>,
}

impl Allow {
    /// Whether `id` can be an allowlist entry's: one identity's ID, never a pattern (the scorer
    /// matches it exactly, so a `*` would match no identity).
    pub fn names_one_identity(id: &str) -> bool {
        !id.trim().is_empty() && !id.contains('*')
    }
}

/// Who owns identities the data leaves without an owner.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OwnerEntry {
    /// An ID, native ID or alias; `*` matches any run of characters (`github:deploy_key:*`).
    pub id: String,
    /// The owner or team.
    pub owner: String,
    /// Whom to call at the vendor about this identity's credentials.
    #[serde(default)]
    pub vendor_contact: Option<String>,
    /// Replace owners recorded on the platform instead of only filling gaps.
    #[serde(default)]
    pub replace: bool,
}

/// A risk the organisation has accepted for a while.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The rule code (`NL101`).
    pub rule: String,
    /// The identity's ID, native ID or alias, exactly.
    pub id: String,
    pub reason: String,
    /// Until when (`2027-03-31` or RFC 3339); it counts again afterwards.
    pub expires: String,
    #[serde(default)]
    pub accepted_by: Option<String>,
}

/// Entra-specific settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct EntraSettings {
    /// The organisation's own tenant IDs: apps owned elsewhere are third-party. Needed only when
    /// the inputs have service principals but no app registrations to tell the home tenant.
    pub tenant_ids: Vec<String>,
}

/// The whole policy file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    pub thresholds: Thresholds,
    #[serde(rename = "allow")]
    pub allow: Vec<Allow>,
    #[serde(rename = "owner")]
    pub owners: Vec<OwnerEntry>,
    #[serde(rename = "accept")]
    pub accept: Vec<Acceptance>,
    pub entra: EntraSettings,
}

impl Policy {
    /// Parses and checks a policy file: unknown keys, unknown rule codes, unreadable dates and
    /// non-positive thresholds are errors that say where.
    pub fn from_toml(text: &str) -> Result<Policy, String> {
        let policy: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), String> {
        let t = &self.thresholds;
        for (name, value) in [
            ("secret_max_age_days", t.secret_max_age_days),
            ("dormant_days", t.dormant_days),
            ("expiry_horizon_days", t.expiry_horizon_days),
            ("expiring_soon_days", t.expiring_soon_days),
            ("never_used_grace_days", t.never_used_grace_days),
        ] {
            if value <= 0 {
                return Err(format!(
                    "thresholds.{name} must be a positive number of days"
                ));
            }
        }
        let known = |code: &str| crate::rules::by_code(code).is_some();
        for (i, a) in self.accept.iter().enumerate() {
            if !known(&a.rule) {
                return Err(format!(
                    "accept #{}: no rule has the code {}",
                    i + 1,
                    a.rule
                ));
            }
            if crate::timestamp::parse(&a.expires).is_none() {
                return Err(format!(
                    "accept #{}: expires \"{}\" is not a date",
                    i + 1,
                    a.expires
                ));
            }
            if a.id.trim().is_empty() || a.reason.trim().is_empty() {
                return Err(format!("accept #{}: id and reason are required", i + 1));
            }
        }
        for (i, a) in self.allow.iter().enumerate() {
            if a.id.trim().is_empty() || a.reason.trim().is_empty() {
                return Err(format!("allow #{}: id and reason are required", i + 1));
            }
            if !Allow::names_one_identity(&a.id) {
                return Err(format!(
                    "allow #{}: allowlist entries name one identity; no patterns",
                    i + 1
                ));
            }
            for rule in a.rules.iter().flatten() {
                if !known(rule) {
                    return Err(format!("allow #{}: no rule has the code {rule}", i + 1));
                }
            }
        }
        for (i, o) in self.owners.iter().enumerate() {
            if o.id.trim().is_empty() || o.owner.trim().is_empty() {
                return Err(format!("owner #{}: id and owner are required", i + 1));
            }
        }
        Ok(())
    }

    /// Applies the owner map and tenant settings to identities before they are scored.
    pub fn prepare(&self, identities: &mut [Identity]) {
        let patterns: Vec<(WildMatch, &OwnerEntry)> = self
            .owners
            .iter()
            .map(|o| (WildMatch::new(&o.id), o))
            .collect();
        for identity in identities.iter_mut() {
            // An entry naming the identity exactly wins over a pattern that also matches it,
            // wherever each is listed; otherwise the first listed wins.
            let matching = |wildcard: bool| {
                patterns.iter().find(|(p, o)| {
                    o.id.contains('*') == wildcard && matches_identity(identity, |k| p.matches(k))
                })
            };
            if let Some((_, entry)) = matching(false).or_else(|| matching(true)) {
                let owner = Owner {
                    who: Principal::named(entry.owner.clone()),
                    source: OwnerSource::Policy,
                    basis: format!("owner map entry {}", entry.id),
                };
                if entry.replace || !matches!(identity.ownership, Ownership::Known(_)) {
                    identity.ownership = Ownership::Known(vec![owner]);
                }
                if entry.vendor_contact.is_some() {
                    identity.vendor_contact = entry.vendor_contact.clone();
                }
            }
            if !self.entra.tenant_ids.is_empty()
                && let Some(publisher) = identity.publisher.as_mut()
                && let Some(org) = publisher.org_id.as_deref()
                && publisher.party != Party::FirstParty
            {
                let home = self
                    .entra
                    .tenant_ids
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(org));
                publisher.party = if home {
                    Party::Internal
                } else {
                    Party::ThirdParty
                };
            }
        }
    }

    /// Marks findings covered by the allowlist or a live risk acceptance; an expired acceptance
    /// leaves the finding open and says so.
    pub fn dispose(&self, identity: &Identity, findings: &mut [Finding], now: Timestamp) {
        for finding in findings.iter_mut() {
            let code = finding.rule.code;
            if let Some(allow) = self.allow.iter().find(|a| {
                identity.is_known_as(&a.id)
                    && a.rules
                        .as_ref()
                        .is_none_or(|rules| rules.iter().any(|r| r.eq_ignore_ascii_case(code)))
            }) {
                finding.disposition = Disposition::Allowed {
                    reason: allow.reason.clone(),
                };
                continue;
            }
            for acceptance in self
                .accept
                .iter()
                .filter(|a| a.rule.eq_ignore_ascii_case(code) && identity.is_known_as(&a.id))
            {
                let Some(until) = crate::timestamp::parse(&acceptance.expires) else {
                    continue;
                };
                if ends_at(until, &acceptance.expires) > now {
                    let by = acceptance
                        .accepted_by
                        .as_deref()
                        .map(|b| format!(" (accepted by {b})"))
                        .unwrap_or_default();
                    finding.disposition = Disposition::Accepted {
                        reason: format!("{}{by}", acceptance.reason),
                        until,
                    };
                } else {
                    finding.evidence.push_str(&format!(
                        " [risk acceptance expired {}]",
                        crate::timestamp::format_date(until)
                    ));
                }
            }
        }
    }
}

/// When an acceptance written to expire at `expires` stops counting: a date alone is the whole of
/// that day (an admin accepting "until 2026-06-30" means through it), a time is that instant.
pub fn acceptance_ends(expires: &str) -> Option<Timestamp> {
    crate::timestamp::parse(expires).map(|at| ends_at(at, expires))
}

/// The end of an acceptance that expires at `at`, written as `expires`.
fn ends_at(at: Timestamp, expires: &str) -> Timestamp {
    if expires.trim().len() == 10 {
        // The last day there is (9999-12-31) has no next one to end at: it ends as it starts.
        at.checked_add(time::Duration::DAY).unwrap_or(at)
    } else {
        at
    }
}

fn matches_identity(identity: &Identity, mut test: impl FnMut(&str) -> bool) -> bool {
    test(&identity.id) || test(&identity.native_id) || identity.aliases.iter().any(|a| test(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Platform};
    use crate::rules::testing::{NOW, days_ago};

    const SAMPLE: &str = r#"
        [thresholds]
        dormant_days = 30

        [[allow]]
        id = "app-1"
        reason = "reviewed 2026-05"
        rules = ["NL401"]

        [[owner]]
        id = "github:deploy_key:*"
        owner = "platform-team"

        [[accept]]
        rule = "NL101"
        id = "github:deploy_key:7"
        reason = "legacy mirror, replaced in Q3"
        expires = "2026-09-30"
    "#;

    #[test]
    fn parses_with_defaults_for_the_rest() {
        let p = Policy::from_toml(SAMPLE).unwrap();
        assert_eq!(p.thresholds.dormant_days, 30);
        assert_eq!(p.thresholds.secret_max_age_days, 365);
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    }

    #[test]
    fn rejects_mistakes_with_a_reason() {
        for (text, needle) in [
            (
                "[[accept]]\nrule='NL999'\nid='x'\nreason='r'\nexpires='2027-01-01'",
                "NL999",
            ),
            (
                "[[accept]]\nrule='NL101'\nid='x'\nreason='r'\nexpires='soon'",
                "not a date",
            ),
            ("[[allow]]\nid='github:*'\nreason='r'", "no patterns"),
            ("[thresholds]\ndormant_days = 0", "positive"),
            ("colour = 'red'", "unknown field"),
        ] {
            let e = Policy::from_toml(text).unwrap_err();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn the_owner_map_fills_gaps_by_id_pattern() {
        let p = Policy::from_toml(SAMPLE).unwrap();
        let mut ids = vec![
            Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy"),
            Identity::new(
                Platform::Github,
                Kind::Webhook,
                "8",
                "github:deploy_key:lookalike",
            ),
        ];
        p.prepare(&mut ids);
        assert_eq!(
            ids[0].ownership.primary().unwrap().who.name,
            "platform-team"
        );
        assert!(
            ids[1].ownership.primary().is_none(),
            "names are never matched"
        );
    }

    #[test]
    fn acceptances_count_until_they_expire() {
        use crate::rules::{Finding, RULES};
        let rule = RULES
            .iter()
            .find(|r| r.meta().code == "NL101")
            .unwrap()
            .meta();
        let id = Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy");
        let mut p = Policy::from_toml(SAMPLE).unwrap();
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.dispose(&id, &mut findings, NOW);
        assert!(matches!(
            findings[0].disposition,
            Disposition::Accepted { .. }
        ));

        p.accept[0].expires = crate::timestamp::format(days_ago(1));
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.dispose(&id, &mut findings, NOW);
        assert!(findings[0].is_open());
        assert!(findings[0].evidence.contains("acceptance expired"));

        // A date alone counts through its last second, and not after.
        let today = crate::timestamp::format_date(NOW);
        p.accept[0].expires = today.clone();
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.dispose(&id, &mut findings, NOW);
        assert!(
            matches!(&findings[0].disposition, Disposition::Accepted { until, .. } if crate::timestamp::format_date(*until) == today)
        );
        let next_day = crate::timestamp::parse(&today).unwrap() + time::Duration::DAY;
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.dispose(&id, &mut findings, next_day);
        assert!(findings[0].is_open());

        // The last date there is counts, never overflows.
        p.accept[0].expires = "9999-12-31".into();
        assert_eq!(p.validate(), Ok(()));
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.dispose(&id, &mut findings, NOW);
        assert!(!findings[0].is_open());
    }

    #[test]
    fn an_owner_map_entry_naming_the_identity_wins_over_a_pattern_listed_before_it() {
        let mut p = Policy::from_toml(SAMPLE).unwrap();
        p.owners.push(OwnerEntry {
            id: "github:deploy_key:7".into(),
            owner: "release-team".into(),
            vendor_contact: None,
            replace: false,
        });
        let mut ids = vec![
            Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy"),
            Identity::new(Platform::Github, Kind::DeployKey, "9", "mirror"),
        ];
        p.prepare(&mut ids);
        let owner = |i: &Identity| i.ownership.primary().unwrap().who.name.clone();
        assert_eq!(owner(&ids[0]), "release-team");
        assert_eq!(owner(&ids[1]), "platform-team");
    }
}
