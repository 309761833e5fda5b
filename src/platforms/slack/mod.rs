//! Slack: approved, restricted and requested apps of an Enterprise organisation or workspace,
//! from the App Management API (`admin.apps.*`), and the apps a workspace's App Management page
//! shows as installed.
//!
//! Facts: `reference/platforms.md` §4, §10.4. Shapes are the documented example responses of
//! docs.slack.dev and the `@slack/web-api` response types.
//!
//! One identity per app and workspace (or organisation): the approved and restricted lists say
//! what an admin decided, the requests list what someone asked for. They are joined in
//! [`Join::finish`] so the result does not depend on the order the inputs are read in: a decision
//! is the identity, and a request for the same app adds its requester as the likely owner; a
//! request nobody has decided on yet is a pending identity of its own.

mod approved;
mod installed_apps_page;
mod requests;
mod restricted;

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::PlatformSpec;
use super::scalar::Scalar;
use crate::console::{ConsolePage, GENERIC_ROWS, Region};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Controller, CredentialControl, Grant, GrantVia, Identity, Kind, Owner, Ownership, Party,
    Platform, Principal, Publisher, Tier, Timestamp, Usage,
};

/// Slack in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Slack,
    // A workspace's App Directory pages. (An Enterprise Grid organization's dashboard is not
    // read: its markup is unknown.)
    consoles: &["https://{tenant}.slack.com/apps*"],
    pages: &[ConsolePage {
        id: "slack.installed_apps_page",
        title: "Slack: Manage apps (installed apps of a workspace)",
        url: installed_apps_page::PAGE_URL,
        // Whatever the page loads is undocumented (the web client's own API calls).
        api: &[],
        regions: &[Region {
            name: "app list",
            // The page's main region [infer: Slack's admin pages are ARIA-labelled; the classic
            // server-rendered pages use `#page_contents`]. The reader finds the apps in it by their
            // links, and reports a region without any (and without an empty-list message) as a
            // changed page.
            selector: "main, [role=main], #page_contents",
            required: true,
            limit: None,
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    }],
    formats: &[
        approved::FORMAT,
        restricted::FORMAT,
        requests::FORMAT,
        installed_apps_page::FORMAT,
    ],
    catalogues: &[scopes],
    self_managed: None,
    cells: &[],
    tenant_in_page: None,
    // Slack's own hosts, no workspace's: the web client's (`app.slack.com/apps-manage/T…`, an
    // app management NHI Lens does not read yet, whose markup is unknown) and the developers' app
    // pages (`api.slack.com/apps`).
    not_tenants: &["app", "api", "www"],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/slack/scopes");

/// An app as the `admin.apps.*` lists describe it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct App {
    id: Option<String>,
    name: Option<String>,
    is_app_directory_approved: Option<bool>,
    is_internal: Option<bool>,
    /// `internal`, `third_party` or `slack` (docs.slack.dev, admin.apps.approved.list).
    developer_type: Option<String>,
}

/// One scope an app holds or asks for. Older request records may list bare names [infer: the
/// SDK types `scopes` in requests as `any[]`]; both are read.
enum Scope {
    Full(ScopeObject),
    Name(String),
}

/// A scope as an object.
#[derive(Deserialize)]
struct ScopeObject {
    name: String,
    #[serde(default)]
    is_sensitive: Option<bool>,
    #[serde(default)]
    token_type: Option<String>,
}

impl<'de> Deserialize<'de> for Scope {
    /// An object or a bare name, told apart by the JSON itself rather than by serde's untagged
    /// reading, which buffers every scope first.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScopeVisitor;

        impl<'de> serde::de::Visitor<'de> for ScopeVisitor {
            type Value = Scope;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scope's object or its name")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Scope, E> {
                Ok(Scope::Name(name.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Scope, A::Error> {
                let map = serde::de::value::MapAccessDeserializer::new(map);
                ScopeObject::deserialize(map).map(Scope::Full)
            }
        }

        deserializer.deserialize_any(ScopeVisitor)
    }
}

/// Who resolved an approval or restriction (`last_resolved_by`: `actor_id`, `actor_type`
/// `user` or an app).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Actor {
    actor_id: Option<String>,
}

/// A Unix time in seconds, as a number (documented) or a numeric string.
#[derive(Deserialize)]
#[serde(from = "Scalar")]
enum UnixTime {
    Int(i64),
    Float(f64),
    Text(String),
}

impl From<Scalar> for UnixTime {
    fn from(value: Scalar) -> Self {
        match value {
            Scalar::UInt(n) => i64::try_from(n).map_or(UnixTime::Float(n as f64), UnixTime::Int),
            Scalar::Int(n) => UnixTime::Int(n),
            Scalar::Float(f) => UnixTime::Float(f),
            Scalar::Text(t) => UnixTime::Text(t),
        }
    }
}

impl UnixTime {
    fn read(&self, notes: &mut impl Problems, record: &str, field: &str) -> Option<Timestamp> {
        let seconds = match self {
            UnixTime::Int(n) => Some(*n),
            // Whole seconds are enough; a fraction is dropped, an out-of-range value refused.
            UnixTime::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(f.trunc() as i64),
            UnixTime::Float(_) => None,
            UnixTime::Text(t) => t.trim().split('.').next().and_then(|s| s.parse().ok()),
        };
        // 0 is what an empty field looks like in Slack's examples: unknown, not 1970.
        let at = seconds
            .filter(|s| *s > 0)
            .and_then(crate::timestamp::from_unix_seconds);
        if at.is_none() && seconds != Some(0) {
            notes.problem(format!(
                "{record}: {field} is not a Unix time; treated as unknown"
            ));
        }
        at
    }
}

/// One entry of `admin.apps.approved.list` or `admin.apps.restricted.list`.
#[derive(Deserialize)]
struct DecisionEntry {
    #[serde(default)]
    app: Option<App>,
    #[serde(default)]
    scopes: Option<Vec<Scope>>,
    #[serde(default)]
    date_updated: Option<UnixTime>,
    #[serde(default)]
    last_resolved_by: Option<Actor>,
}

/// An admin's decision on an app, as read.
#[derive(Clone)]
struct Decision {
    native_id: String,
    app_id: String,
    scope: Option<String>,
    name: String,
    restricted: bool,
    publisher: Publisher,
    decided_at: Option<Timestamp>,
    resolved_by: Option<Principal>,
    grants: Vec<Grant>,
    legacy: Option<String>,
    source: Arc<str>,
}

/// A pending request for an app, as read.
#[derive(Clone)]
struct Request {
    native_id: String,
    app_id: String,
    team: Option<String>,
    name: String,
    publisher: Publisher,
    requested_at: Option<Timestamp>,
    requester: Option<Owner>,
    grants: Vec<Grant>,
    legacy: Option<String>,
    source: Arc<str>,
}

/// An app the App Management page shows installed, as read.
#[derive(Clone)]
struct Installed {
    app_id: String,
    /// The last segment of the row's link to the app's page (`A0F7XDUAZ-incoming-webhooks`).
    link: Option<String>,
    name: String,
    workspace: Option<String>,
    source: Arc<str>,
}

/// Slack records joined across inputs; assembled once every input is read.
#[derive(Clone, Default)]
pub struct Join {
    decisions: Vec<Decision>,
    requests: Vec<Request>,
    installed: Vec<Installed>,
}

crate::platforms::absorb!(Join {
    decisions,
    requests,
    installed
});

impl Join {
    /// Builds one identity per app and workspace (or organisation).
    pub fn finish(self, out: &mut Vec<Identity>) {
        let Join {
            decisions,
            requests,
            installed,
        } = self;
        // The newest decision on an app wins; at equal times a restriction wins, the safer
        // reading. Later copies of the same decision only add their source.
        let mut order: Vec<String> = Vec::new();
        let mut chosen: FxHashMap<String, (Decision, Vec<Arc<str>>)> = FxHashMap::default();
        for d in decisions {
            match chosen.get_mut(&d.native_id) {
                None => {
                    order.push(d.native_id.clone());
                    chosen.insert(d.native_id.clone(), (d, Vec::new()));
                }
                Some((kept, sources)) => {
                    let newer = match (d.decided_at, kept.decided_at) {
                        (Some(a), Some(b)) => a > b || (a == b && d.restricted && !kept.restricted),
                        (Some(_), None) => true,
                        (None, _) => false,
                    };
                    let loser = if newer { std::mem::replace(kept, d) } else { d };
                    sources.push(loser.source);
                }
            }
        }
        let mut identities: Vec<Identity> = Vec::with_capacity(order.len());
        let mut at: FxHashMap<String, usize> = FxHashMap::default();
        // Decisions made without a workspace in their source, by app ID: a request for one of
        // those apps in any workspace belongs to it.
        let mut unscoped: FxHashMap<String, usize> = FxHashMap::default();
        for native_id in order {
            let Some((decision, extra)) = chosen.remove(&native_id) else {
                continue;
            };
            if decision.scope.is_none() {
                unscoped.insert(decision.app_id.clone(), identities.len());
            }
            at.insert(native_id, identities.len());
            let mut identity = decision_identity(decision);
            for source in extra {
                if !identity.sources.contains(&source) {
                    identity.sources.push(source);
                }
            }
            identities.push(identity);
        }
        for request in requests {
            let target = at
                .get(&request.native_id)
                .or_else(|| unscoped.get(&request.app_id))
                .copied();
            match target {
                Some(i) if !identities[i].pending => {
                    // A request for an app an admin has decided on (new scopes, or asked again):
                    // the decision stands, and the requester is the likeliest owner of the install
                    // (better than the none a decision records).
                    let identity = &mut identities[i];
                    if let Some(owner) = request.requester {
                        identity.ownership.add(owner);
                    }
                    if !identity.sources.contains(&request.source) {
                        identity.sources.push(request.source);
                    }
                }
                // Another request for the same app in the same workspace: one pending identity.
                Some(i) => merge_request(&mut identities[i], request_identity(request)),
                None => {
                    let identity = request_identity(request);
                    at.insert(identity.native_id.clone(), identities.len());
                    identities.push(identity);
                }
            }
        }
        // Apps the page shows installed: an app an organisation-wide list also has is that
        // identity, seen on the page too; a list kept per workspace (`T…/A…`) names a workspace
        // the page does not show, so it stays apart.
        for app in installed {
            match at.get(&app.app_id).copied() {
                Some(i) => {
                    let identity = &mut identities[i];
                    if let Some(link) = app.link
                        && !identity.aliases.contains(&link)
                    {
                        identity.aliases.push(link);
                    }
                    if !identity.sources.contains(&app.source) {
                        identity.sources.push(app.source);
                    }
                }
                None => {
                    at.insert(app.app_id.clone(), identities.len());
                    identities.push(installed_identity(app));
                }
            }
        }
        out.extend(identities);
    }
}

fn installed_identity(app: Installed) -> Identity {
    let mut identity = Identity::new(Platform::Slack, Kind::OauthApp, &app.app_id, app.name);
    identity.aliases.extend(app.link);
    identity.location = app.workspace.map(|w| format!("{w}.slack.com"));
    // Slack records who approved an app, never who owns it; the page shows neither.
    identity.ownership = Ownership::NotRecorded;
    identity.usage = Usage::NotLoaded;
    let publisher = Publisher {
        party: Party::Unknown,
        ..Publisher::default()
    };
    identity.credential_control = control_for(publisher.party);
    identity.publisher = Some(publisher);
    identity.sources.push(app.source);
    identity
}

fn decision_identity(d: Decision) -> Identity {
    let mut identity = Identity::new(Platform::Slack, Kind::OauthApp, &d.native_id, d.name);
    if d.native_id != d.app_id {
        identity.aliases.push(d.app_id.clone());
    }
    identity.location = d.scope;
    // Slack records who approved or restricted an app, never who owns it.
    identity.ownership = Ownership::NotRecorded;
    // These lists carry no use; Slack's app activity logs (admin.apps.activities.list) are not
    // read here, so use is "not loaded" rather than "never".
    identity.usage = Usage::NotLoaded;
    // A restricted app cannot be installed: Slack blocks it.
    identity.enabled = !d.restricted;
    // Who approved it is accountable for the decision, not its owner. Whoever restricted an app
    // did not approve it, so a restriction names nobody here.
    if !d.restricted {
        identity.approved_by.extend(d.resolved_by);
    }
    identity.credential_control = control_for(d.publisher.party);
    identity.publisher = Some(d.publisher);
    identity.grants = d.grants;
    for g in &mut identity.grants {
        g.granted_at = d.decided_at;
    }
    identity.legacy = d.legacy;
    identity.sources.push(d.source);
    identity
}

fn request_identity(r: Request) -> Identity {
    let mut identity = Identity::new(Platform::Slack, Kind::OauthApp, &r.native_id, r.name);
    if r.native_id != r.app_id {
        identity.aliases.push(r.app_id.clone());
    }
    identity.location = r.team;
    identity.pending = true;
    identity.created_at = r.requested_at;
    identity.usage = Usage::NotLoaded;
    identity.ownership = match r.requester {
        Some(owner) => Ownership::Known(vec![owner]),
        // The request names its requester; one without is missing data, not a finding.
        None => Ownership::NotLoaded,
    };
    identity.credential_control = control_for(r.publisher.party);
    identity.publisher = Some(r.publisher);
    identity.grants = r.grants;
    identity.legacy = r.legacy;
    identity.sources.push(r.source);
    identity
}

/// Two requests for the same app in the same workspace (two people asked): one identity.
fn merge_request(kept: &mut Identity, other: Identity) {
    for owner in other.ownership.owners() {
        kept.ownership.add(owner.clone());
    }
    kept.created_at = match (kept.created_at, other.created_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    for grant in other.grants {
        if !kept
            .grants
            .iter()
            .any(|g| g.name == grant.name && g.resource == grant.resource)
        {
            kept.grants.push(grant);
        }
    }
    for source in other.sources {
        if !kept.sources.contains(&source) {
            kept.sources.push(source);
        }
    }
}

/// A third-party app's tokens are held by its developer: the organisation can restrict or
/// uninstall it, not rotate them. An internal app's tokens are the organisation's own.
fn control_for(party: Party) -> CredentialControl {
    match party {
        Party::Internal => CredentialControl::CUSTOMER,
        Party::ThirdParty | Party::FirstParty => CredentialControl {
            rotate: Controller::Vendor,
            revoke: Controller::Customer,
        },
        Party::Unknown => CredentialControl {
            rotate: Controller::Unknown,
            revoke: Controller::Customer,
        },
    }
}

fn publisher_of(app: &App) -> Publisher {
    // `developer_type` is the documented origin; `is_internal` the older flag.
    let party = match app.developer_type.as_deref() {
        Some("internal") => Party::Internal,
        Some("third_party") => Party::ThirdParty,
        Some("slack") => Party::FirstParty,
        _ => match app.is_internal {
            Some(true) => Party::Internal,
            Some(false) => Party::ThirdParty,
            None => Party::Unknown,
        },
    };
    Publisher {
        name: None,
        // Listed in the Slack Marketplace after Slack's review: the closest Slack has to a
        // verified publisher.
        verified: app.is_app_directory_approved,
        party,
        org_id: None,
        anonymous: false,
    }
}

/// A scope as a grant: tiered by the catalogue, raised (never lowered) to at least
/// sensitive-read when Slack itself marks it sensitive. User-token scopes act for the user who
/// installed the app: delegated.
fn scope_grant(scope: &Scope) -> Grant {
    let (name, sensitive, token_type) = match scope {
        Scope::Full(o) => (o.name.as_str(), o.is_sensitive, o.token_type.as_deref()),
        Scope::Name(name) => (name.as_str(), None, None),
    };
    let (mut tier, classified) = scopes().classify(name);
    let flagged = sensitive == Some(true);
    if flagged {
        tier = tier.max(Tier::SensitiveRead);
    }
    let mut grant = Grant::new(name, tier, classified);
    grant.flagged_sensitive = flagged;
    match token_type {
        Some(t) if t.eq_ignore_ascii_case("user") => {
            grant.resource = Some("user token".into());
            grant.via = GrantVia::Delegated { all_users: false };
        }
        Some(t) if !t.is_empty() => grant.resource = Some(format!("{t} token")),
        _ => {}
    }
    grant
}

/// Grants from a scope list, one per scope and token type.
fn grants_of(list: &[Scope]) -> Vec<Grant> {
    let mut grants: Vec<Grant> = Vec::with_capacity(list.len());
    for scope in list {
        let grant = scope_grant(scope);
        if grant.name.trim().is_empty() {
            continue;
        }
        if !grants
            .iter()
            .any(|g| g.name == grant.name && g.resource == grant.resource)
        {
            grants.push(grant);
        }
    }
    grants
}

/// Classic Slack apps hold the umbrella `bot` (or `client`) scope; Slack no longer lets anyone
/// create them and asks their developers to move to granular scopes.
fn legacy_of(grants: &[Grant]) -> Option<String> {
    grants
        .iter()
        .find(|g| g.name == "bot" || g.name == "client")
        .map(|g| {
            format!(
                "classic Slack app (legacy `{}` scope): Slack retired classic apps in favour of granular bot scopes",
                g.name
            )
        })
}

/// The workspace or organisation a list was fetched for, from the request URL in the source
/// (`…?team_id=T0HFE6EBT`, `…&enterprise_id=E0AS553RN`), when it names one.
fn scope_from_source(source: &str) -> Option<String> {
    for key in ["team_id=", "enterprise_id="] {
        if let Some(at) = source.find(key) {
            let before = source[..at].chars().last();
            if !matches!(before, Some('?' | '&' | ';' | '_' | '/' | '-' | ' ') | None) {
                continue;
            }
            let value: String = source[at + key.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

fn native_id(scope: Option<&str>, app_id: &str) -> String {
    match scope {
        Some(scope) => format!("{scope}/{app_id}"),
        None => app_id.to_string(),
    }
}

/// Reads `admin.apps.approved.list` (`restricted: false`) or `admin.apps.restricted.list`.
fn read_decisions(
    input: &Input,
    sink: &mut Sink,
    key: &str,
    restricted: bool,
) -> Result<(), String> {
    let scope = scope_from_source(input.source);
    let source = sink.source_name();
    let list = records::read::<DecisionEntry>(input.bytes, Some(key))?;
    sink.skipped(list.skipped);
    for (index, entry) in list.items.into_iter().enumerate() {
        let app = entry.app.unwrap_or_default();
        let Some(app_id) = app.id.clone().filter(|id| !id.trim().is_empty()) else {
            sink.problem(format!("record {} skipped: the app has no id", index + 1));
            continue;
        };
        let name = app
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| app_id.clone());
        let label = format!("app {app_id} ({name})");
        let decided_at = entry
            .date_updated
            .as_ref()
            .and_then(|t| t.read(sink, &label, "date_updated"));
        let resolved_by = entry.last_resolved_by.and_then(|a| {
            let id = a.actor_id.filter(|i| !i.trim().is_empty())?;
            Some(Principal {
                name: id.clone(),
                id: Some(id),
                status: Default::default(),
            })
        });
        let grants = grants_of(entry.scopes.as_deref().unwrap_or_default());
        sink.joins.slack.decisions.push(Decision {
            native_id: native_id(scope.as_deref(), &app_id),
            app_id,
            scope: scope.clone(),
            name,
            restricted,
            publisher: publisher_of(&app),
            decided_at,
            resolved_by,
            legacy: legacy_of(&grants),
            grants,
            source: source.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_comes_from_the_request_url() {
        assert_eq!(
            scope_from_source(
                "https://slack.com/api/admin.apps.approved.list?team_id=T0HFE6EBT&limit=100"
            )
            .as_deref(),
            Some("T0HFE6EBT")
        );
        assert_eq!(
            scope_from_source("exports/admin.apps.restricted.list_enterprise_id=E0AS553RN.json")
                .as_deref(),
            Some("E0AS553RN")
        );
        assert_eq!(scope_from_source("approved.json"), None);
        assert_eq!(scope_from_source("x?steam_id=T1"), None);
    }

    #[test]
    fn slack_sensitivity_only_raises_the_tier() {
        let flagged = scope_grant(&Scope::Full(ScopeObject {
            name: "channels:read".into(),
            is_sensitive: Some(true),
            token_type: Some("bot".into()),
        }));
        assert_eq!(flagged.tier, Tier::SensitiveRead);
        assert!(flagged.flagged_sensitive);
        let admin = scope_grant(&Scope::Full(ScopeObject {
            name: "admin.users:write".into(),
            is_sensitive: Some(false),
            token_type: Some("user".into()),
        }));
        assert_eq!(admin.tier, Tier::Admin);
        assert_eq!(admin.via, GrantVia::Delegated { all_users: false });
        let unknown = scope_grant(&Scope::Name("brand_new:thing".into()));
        assert_eq!(
            (unknown.tier, unknown.classified),
            (Tier::SensitiveRead, false)
        );
    }

    #[test]
    fn unix_times_refuse_nonsense() {
        let mut notes: Vec<String> = Vec::new();
        assert!(
            UnixTime::Int(1_574_296_707)
                .read(&mut notes, "r", "f")
                .is_some()
        );
        assert!(UnixTime::Int(0).read(&mut notes, "r", "f").is_none());
        assert!(notes.is_empty());
        assert!(UnixTime::Int(i64::MAX).read(&mut notes, "r", "f").is_none());
        assert!(
            UnixTime::Float(f64::NAN)
                .read(&mut notes, "r", "f")
                .is_none()
        );
        assert_eq!(notes.len(), 2);
    }
}
