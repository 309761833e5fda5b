//! The admin's policy: thresholds, allowlist, owner map, risk acceptances.
//!
//! Everything is keyed on stable IDs (an identity's `platform:kind:native-id`, its native ID or an
//! alias such as an Entra app ID), never on display names, which anyone who registers an app
//! chooses. Without a policy file the defaults below apply.

use serde::Deserialize;
use wildmatch::WildMatch;

use crate::model::{
    AccountStatus, Identity, Owner, OwnerSource, Ownership, Party, Principal, Timestamp,
};
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
    /// Only the identity of this inventory (as a report of several names each identity's, see
    /// `Identity::tenant`): two tenants' identities may share an ID (a Slack app installed in
    /// two workspaces). Every inventory's when absent.
    #[serde(default)]
    pub tenant: Option<String>,
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
    /// Replace owners recorded on the platform instead of only filling gaps (an identity whose
    /// recorded owners have all left is a gap).
    #[serde(default)]
    pub replace: bool,
    /// An admin named this owner for this one identity in NHI Lens: the entry is its exact ID
    /// (a `*` or `?` in it is no pattern), and its owner is reported as assigned, not as the
    /// owner map's. Not a policy file's to set.
    #[serde(skip)]
    pub assigned: bool,
}

/// Decisions an input carries (an NHI Lens report read back keeps the acceptances and
/// allowlisting its findings were under), applied with the policy's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    pub accept: Vec<Acceptance>,
    pub allow: Vec<Allow>,
}

impl Decisions {
    /// Whether it holds no decision.
    pub fn is_empty(&self) -> bool {
        self.accept.is_empty() && self.allow.is_empty()
    }
}

impl Policy {
    /// The policy with an input's decisions after its own (a report read back is scored under
    /// the decisions it was made under, and the policy's).
    pub fn with_decisions(&self, decisions: Decisions) -> std::borrow::Cow<'_, Policy> {
        if decisions.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut with = self.clone();
        with.accept.extend(decisions.accept);
        with.allow.extend(decisions.allow);
        std::borrow::Cow::Owned(with)
    }
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
    /// The worst severity accepted (the finding's when it was accepted): a finding of the rule
    /// that grew worse since (a webhook that stopped verifying TLS too) is open again. Without
    /// it, the rule's findings at any severity are accepted.
    #[serde(default)]
    pub severity: Option<crate::rules::Severity>,
    /// Only the identity of this inventory (see [`Allow::tenant`]).
    #[serde(default)]
    pub tenant: Option<String>,
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
        // A credential expiring between the two would be both about to expire and long-lived.
        if t.expiring_soon_days >= t.expiry_horizon_days {
            return Err(format!(
                "thresholds.expiring_soon_days ({}) must be less than \
                 thresholds.expiry_horizon_days ({})",
                t.expiring_soon_days, t.expiry_horizon_days
            ));
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

    /// The policy ready to apply to an inventory: its lists indexed by the identity each entry
    /// names, so that an owner map or acceptances of tens of thousands of entries cost a lookup
    /// per identity rather than a pass over every entry.
    pub fn indexed(&self) -> Indexed<'_> {
        let pattern = |o: &OwnerEntry| !o.assigned && o.id.contains(['*', '?']);
        let exact = self.owners.iter().enumerate().filter(|(_, o)| !pattern(o));
        Indexed {
            policy: self,
            owners: ByKey::new(exact.map(|(at, o)| (at, o.id.as_str()))),
            owner_patterns: self
                .owners
                .iter()
                .filter(|o| pattern(o))
                .map(|o| (WildMatch::new(&o.id), o))
                .collect(),
            allow: ByKey::new(self.allow.iter().map(|a| a.id.as_str()).enumerate()),
            accept: ByKey::new(self.accept.iter().map(|a| a.id.as_str()).enumerate()),
        }
    }
}

/// The entries of a policy list that name one identity, by the key each names: positions in the
/// list, in its order. (The map's type is the one `Report::select` uses, so the worker's
/// WebAssembly holds its code once.)
struct ByKey<'p>(std::collections::HashMap<&'p str, Vec<u32>>);

impl<'p> ByKey<'p> {
    fn new(keys: impl Iterator<Item = (usize, &'p str)>) -> Self {
        let mut by_key: std::collections::HashMap<&str, Vec<u32>> = Default::default();
        for (at, key) in keys {
            by_key.entry(key).or_default().push(at as u32);
        }
        ByKey(by_key)
    }

    /// The positions of the entries naming `identity` by its ID, native ID or an alias, in the
    /// list's order, each once.
    fn of(&self, identity: &Identity) -> Vec<u32> {
        let keys = [&identity.id, &identity.native_id]
            .into_iter()
            .chain(&identity.aliases);
        let mut found: Vec<u32> = Vec::new();
        for &at in keys.filter_map(|k| self.0.get(k.as_str())).flatten() {
            if let Err(place) = found.binary_search(&at) {
                found.insert(place, at);
            }
        }
        found
    }
}

/// A policy with its lists indexed ([`Policy::indexed`]).
pub struct Indexed<'p> {
    policy: &'p Policy,
    /// Owner map entries naming one identity.
    owners: ByKey<'p>,
    /// Owner map entries with a `*` or `?`, in order.
    owner_patterns: Vec<(WildMatch, &'p OwnerEntry)>,
    allow: ByKey<'p>,
    accept: ByKey<'p>,
}

impl Indexed<'_> {
    /// Applies the owner map and tenant settings to identities before they are scored.
    pub fn prepare(&self, identities: &mut [Identity]) {
        let policy = self.policy;
        for identity in identities.iter_mut() {
            // An entry naming the identity exactly wins over a pattern that also matches it,
            // wherever each is listed; otherwise the first listed wins.
            let exact = self
                .owners
                .of(identity)
                .first()
                .map(|&at| &policy.owners[at as usize]);
            let entry = exact.or_else(|| {
                self.owner_patterns
                    .iter()
                    .find(|(p, _)| matches_identity(identity, |k| p.matches(k)))
                    .map(|(_, o)| *o)
            });
            if let Some(entry) = entry {
                let owner = if entry.assigned {
                    Owner {
                        who: Principal::named(entry.owner.clone()),
                        source: OwnerSource::Assigned,
                        basis: "assigned in NHI Lens".into(),
                    }
                } else {
                    Owner {
                        who: Principal::named(entry.owner.clone()),
                        source: OwnerSource::Policy,
                        basis: format!("owner map entry {}", entry.id),
                    }
                };
                match &mut identity.ownership {
                    Ownership::Known(owners) if !entry.replace => {
                        // Everyone the platform names has left: the map says who owns it now,
                        // and they stay listed after, as who did.
                        if owners
                            .iter()
                            .all(|o| o.who.status == AccountStatus::Disabled)
                        {
                            owners.insert(0, owner);
                        }
                    }
                    ownership => *ownership = Ownership::Known(vec![owner]),
                }
                if entry.vendor_contact.is_some() {
                    identity.vendor_contact = entry.vendor_contact.clone();
                }
            }
            if !policy.entra.tenant_ids.is_empty()
                && let Some(publisher) = identity.publisher.as_mut()
                && let Some(org) = publisher.org_id.as_deref()
                && publisher.party != Party::FirstParty
            {
                let home = policy
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
        let allows = self.allow.of(identity);
        let acceptances = self.accept.of(identity);
        for finding in findings.iter_mut() {
            let code = finding.rule.code;
            let allows = allows.iter().map(|&at| &self.policy.allow[at as usize]);
            let acceptances = acceptances
                .iter()
                .map(|&at| &self.policy.accept[at as usize]);
            if let Some(allow) = allows.clone().find(|a| {
                of_tenant(&a.tenant, identity)
                    && a.rules
                        .as_ref()
                        .is_none_or(|rules| rules.iter().any(|r| r.eq_ignore_ascii_case(code)))
            }) {
                finding.disposition = Disposition::Allowed {
                    reason: allow.reason.clone(),
                };
                continue;
            }
            // The worst severity a live acceptance of the rule was made at, where the finding
            // grew worse since: said only if no other acceptance covers it.
            let mut outgrown: Option<crate::rules::Severity> = None;
            // When the last of the rule's acceptances that expired ended.
            let mut expired: Option<Timestamp> = None;
            for acceptance in acceptances
                .filter(|a| a.rule.eq_ignore_ascii_case(code) && of_tenant(&a.tenant, identity))
            {
                let Some(until) = crate::timestamp::parse(&acceptance.expires) else {
                    continue;
                };
                let ends = ends_at(until, &acceptance.expires);
                let grown = acceptance.severity.filter(|&s| finding.severity > s);
                if let Some(accepted) = grown.filter(|_| ends > now) {
                    outgrown = Some(outgrown.map_or(accepted, |o| o.max(accepted)));
                } else if ends > now {
                    let by = acceptance
                        .accepted_by
                        .as_deref()
                        .map(|b| format!(" (accepted by {b})"))
                        .unwrap_or_default();
                    // A date alone is accepted through its last second: a report's time says
                    // so (`2026-06-30T23:59:59Z`), where its start would read as a day early.
                    let until = if ends > until {
                        ends - time::Duration::SECOND
                    } else {
                        until
                    };
                    finding.disposition = Disposition::Accepted {
                        reason: format!("{}{by}", acceptance.reason),
                        until,
                    };
                } else {
                    expired = expired.max(Some(until));
                }
            }
            // Said of a finding no other acceptance covers.
            if let Some(until) = expired.filter(|_| finding.is_open()) {
                finding.evidence.push_str(&format!(
                    " [risk acceptance expired {}]",
                    crate::timestamp::format_date(until)
                ));
            }
            if let Some(accepted) = outgrown.filter(|_| finding.is_open()) {
                finding.evidence.push_str(&format!(
                    " [accepted at {} severity; {} since]",
                    accepted.as_str(),
                    finding.severity.as_str()
                ));
            }
        }
    }
}

/// Whether a decision made for `tenant` (none: every inventory) is the identity's.
fn of_tenant(tenant: &Option<String>, identity: &Identity) -> bool {
    tenant
        .as_deref()
        .is_none_or(|t| identity.tenant.as_deref() == Some(t))
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
    use crate::rules::Severity;
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
            (
                "[thresholds]\nexpiring_soon_days = 400",
                "must be less than thresholds.expiry_horizon_days (365)",
            ),
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
        p.indexed().prepare(&mut ids);
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
    fn the_owner_map_takes_over_from_owners_who_have_all_left() {
        let p = Policy::from_toml(SAMPLE).unwrap();
        let recorded = |status| Owner {
            who: Principal {
                status,
                ..Principal::named("bob")
            },
            source: OwnerSource::Explicit,
            basis: "owners".into(),
        };
        let mut ids = Vec::new();
        for status in [AccountStatus::Disabled, AccountStatus::Active] {
            let mut id = Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy");
            id.ownership = Ownership::Known(vec![recorded(status)]);
            ids.push(id);
        }
        p.indexed().prepare(&mut ids);
        let names = |i: &Identity| -> Vec<String> {
            i.ownership
                .owners()
                .iter()
                .map(|o| o.who.name.clone())
                .collect()
        };
        assert_eq!(names(&ids[0]), ["platform-team", "bob"], "bob has left");
        assert_eq!(
            ids[0].ownership.primary().unwrap().who.name,
            "platform-team"
        );
        assert_eq!(names(&ids[1]), ["bob"], "a current owner stays the owner");
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
        p.indexed().dispose(&id, &mut findings, NOW);
        assert!(matches!(
            findings[0].disposition,
            Disposition::Accepted { .. }
        ));

        p.accept[0].expires = crate::timestamp::format(days_ago(1));
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.indexed().dispose(&id, &mut findings, NOW);
        assert!(findings[0].is_open());
        assert!(findings[0].evidence.contains("acceptance expired"));

        // A date alone counts through its last second, and not after.
        let today = crate::timestamp::format_date(NOW);
        p.accept[0].expires = today.clone();
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.indexed().dispose(&id, &mut findings, NOW);
        assert!(
            matches!(&findings[0].disposition, Disposition::Accepted { until, .. } if crate::timestamp::format_date(*until) == today)
        );
        // Its time in a report is that last second, not the day's start.
        let Disposition::Accepted { until, .. } = &findings[0].disposition else {
            unreachable!()
        };
        assert_eq!(
            crate::timestamp::format(*until),
            format!("{today}T23:59:59Z")
        );
        let next_day = crate::timestamp::parse(&today).unwrap() + time::Duration::DAY;
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.indexed().dispose(&id, &mut findings, next_day);
        assert!(findings[0].is_open());

        // The last date there is counts, never overflows.
        p.accept[0].expires = "9999-12-31".into();
        assert_eq!(p.validate(), Ok(()));
        let mut findings = vec![Finding::new(rule, "never expires")];
        p.indexed().dispose(&id, &mut findings, NOW);
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
            assigned: false,
        });
        let mut ids = vec![
            Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy"),
            Identity::new(Platform::Github, Kind::DeployKey, "9", "mirror"),
        ];
        p.indexed().prepare(&mut ids);
        let owner = |i: &Identity| i.ownership.primary().unwrap().who.name.clone();
        assert_eq!(owner(&ids[0]), "release-team");
        assert_eq!(owner(&ids[1]), "platform-team");
    }

    #[test]
    fn an_owner_assigned_in_nhi_lens_is_said_so_and_its_id_is_never_a_pattern() {
        // A Google OAuth client's ID may hold a `?`; assigned to it, it names it alone.
        let p = Policy {
            owners: vec![OwnerEntry {
                id: "google:oauth_app:client?1".into(),
                owner: "ana".into(),
                vendor_contact: None,
                replace: true,
                assigned: true,
            }],
            ..Policy::default()
        };
        let mut ids = vec![
            Identity::new(Platform::Google, Kind::OauthApp, "client?1", "Sync"),
            Identity::new(Platform::Google, Kind::OauthApp, "clientX1", "Other"),
        ];
        p.indexed().prepare(&mut ids);
        let owner = ids[0].ownership.primary().unwrap();
        assert_eq!(
            (owner.who.name.as_str(), owner.source, owner.basis.as_str()),
            ("ana", OwnerSource::Assigned, "assigned in NHI Lens")
        );
        assert!(ids[1].ownership.primary().is_none());
    }

    #[test]
    fn entries_are_found_by_any_key_of_the_identity_the_first_listed_first() {
        let entry = |id: &str, owner: &str| OwnerEntry {
            id: id.into(),
            owner: owner.into(),
            vendor_contact: None,
            replace: false,
            assigned: false,
        };
        let mut p = Policy {
            owners: vec![
                entry("github:deploy_key:?", "by-pattern"),
                entry("Iv1.alias", "by-alias"),
                entry("github:deploy_key:7", "by-id"),
                entry("7", "by-native-id"),
            ],
            ..Policy::default()
        };
        let mut id = Identity::new(Platform::Github, Kind::DeployKey, "7", "deploy");
        id.aliases.push("Iv1.alias".into());
        let mut other = Identity::new(Platform::Github, Kind::DeployKey, "8", "mirror");
        other.aliases.push("Iv1.other".into());
        let mut ids = vec![id, other];
        p.indexed().prepare(&mut ids);
        let owner = |i: &Identity| i.ownership.primary().unwrap().who.name.clone();
        // Of three exact entries, the first listed; a `?` is a pattern, and loses to them.
        assert_eq!(owner(&ids[0]), "by-alias");
        assert_eq!(owner(&ids[1]), "by-pattern");

        // Acceptances and the allowlist by native ID or alias, each list in its order.
        use crate::rules::{Finding, RULES};
        let meta = |code: &str| RULES.iter().find(|r| r.meta().code == code).unwrap().meta();
        let acceptance = |id: &str, rule: &str, reason: &str| Acceptance {
            rule: rule.into(),
            id: id.into(),
            reason: reason.into(),
            expires: "2099-01-01".into(),
            accepted_by: None,
            severity: None,
            tenant: None,
        };
        p.accept = vec![
            acceptance("8", "NL101", "not this one"),
            acceptance("7", "NL101", "first"),
            acceptance("Iv1.alias", "NL101", "second"),
        ];
        p.allow = vec![Allow {
            id: "Iv1.alias".into(),
            reason: "known".into(),
            rules: Some(vec!["NL401".into()]),
            tenant: None,
        }];
        let mut findings = vec![
            Finding::new(meta("NL101"), "never expires"),
            Finding::new(meta("NL401"), "no owner"),
        ];
        p.indexed().dispose(&ids[0], &mut findings, NOW);
        assert!(
            matches!(&findings[0].disposition, Disposition::Accepted { reason, .. } if reason == "second"),
            "{:?}",
            findings[0].disposition
        );
        assert!(matches!(
            findings[1].disposition,
            Disposition::Allowed { .. }
        ));

        // Accepted at medium: a finding of the rule at medium or below stays accepted, one that
        // grew worse is open again, and says so.
        p.allow.clear();
        p.accept = vec![Acceptance {
            severity: Some(Severity::Medium),
            ..acceptance("7", "NL101", "until the rotation")
        }];
        let mut findings = vec![
            Finding::new(meta("NL101"), "never expires").with_severity(Severity::Medium),
            Finding::new(meta("NL101"), "never expires").with_severity(Severity::Low),
            Finding::new(meta("NL101"), "never expires").with_severity(Severity::High),
        ];
        p.indexed().dispose(&ids[0], &mut findings, NOW);
        assert!(matches!(
            findings[0].disposition,
            Disposition::Accepted { .. }
        ));
        assert!(matches!(
            findings[1].disposition,
            Disposition::Accepted { .. }
        ));
        assert_eq!(findings[2].disposition, Disposition::Open);
        assert_eq!(
            findings[2].evidence,
            "never expires [accepted at medium severity; high since]"
        );
        // Also accepted without a severity (a policy file's): accepted, and nothing more said.
        p.accept
            .push(acceptance("7", "NL101", "whatever its severity"));
        let mut findings =
            vec![Finding::new(meta("NL101"), "never expires").with_severity(Severity::High)];
        p.indexed().dispose(&ids[0], &mut findings, NOW);
        assert!(matches!(
            findings[0].disposition,
            Disposition::Accepted { .. }
        ));
        assert_eq!(findings[0].evidence, "never expires");
        // One acceptance expired, another live: accepted, and nothing said of the expired one.
        p.accept = vec![
            Acceptance {
                expires: "2020-01-01".into(),
                ..acceptance("7", "NL101", "last year's")
            },
            acceptance("7", "NL101", "this year's"),
        ];
        let mut findings = vec![Finding::new(meta("NL101"), "never expires")];
        p.indexed().dispose(&ids[0], &mut findings, NOW);
        assert!(matches!(
            findings[0].disposition,
            Disposition::Accepted { .. }
        ));
        assert_eq!(findings[0].evidence, "never expires");
        p.accept.pop();
        let mut findings = vec![Finding::new(meta("NL101"), "never expires")];
        p.indexed().dispose(&ids[0], &mut findings, NOW);
        assert_eq!(
            findings[0].evidence,
            "never expires [risk acceptance expired 2020-01-01]"
        );
    }
}
