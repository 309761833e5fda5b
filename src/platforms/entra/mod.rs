//! Microsoft Entra ID, from Microsoft Graph: app registrations, service principals, their
//! delegated and application permissions, owners and sign-in activity, joined into one identity
//! per app (keyed on `appId`).
//!
//! Facts: `reference/platforms.md` §2. The Entra admin center loads these same Graph responses.

mod applications;
mod graph;
mod owners;
mod permission_grants;
mod role_assignments;
mod service_principals;
mod sign_in_activity;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::PlatformSpec;
use crate::ingest::probe::JsonShape;
use crate::model::{
    Controller, Credential, CredentialControl, Grant, GrantVia, Identity, Kind, LastUse, Owner,
    OwnerSource, Ownership, Party, Platform, Precision, Principal, Publisher, Reach, Tier,
    Timestamp, Usage,
};

/// Entra in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Entra,
    consoles: &[
        "https://entra.microsoft.com/*#view/Microsoft_AAD_RegisteredApps/*",
        "https://entra.microsoft.com/*#view/Microsoft_AAD_IAM/*",
        "https://portal.azure.com/*#view/Microsoft_AAD_RegisteredApps/*",
        "https://portal.azure.com/*#view/Microsoft_AAD_IAM/*",
    ],
    formats: &[
        applications::FORMAT,
        service_principals::FORMAT,
        permission_grants::FORMAT,
        role_assignments::FORMAT,
        sign_in_activity::APPS,
        sign_in_activity::CREDENTIALS,
        owners::FORMAT,
    ],
};

crate::catalogue!(permissions, "permissions.toml");

/// The entity set an OData response names (`applications`, `servicePrincipals`).
fn odata_set(shape: &JsonShape) -> Option<&str> {
    shape.odata_entity_set()
}

/// An app registration as read.
struct AppRecord {
    object_id: Option<String>,
    app_id: String,
    name: String,
    created_at: Option<Timestamp>,
    publisher: Publisher,
    credentials: Vec<Credential>,
    /// `Some` when the input carried owners (`$expand=owners`), even if empty.
    owners: Option<Vec<Owner>>,
    disabled_by_microsoft: bool,
    source: Arc<str>,
    /// Other inputs that carried the same app.
    extra_sources: Vec<Arc<str>>,
}

/// A service principal as read.
struct SpRecord {
    object_id: String,
    app_id: String,
    name: String,
    created_at: Option<Timestamp>,
    publisher: Publisher,
    owner_org: Option<String>,
    managed_identity: bool,
    enabled: bool,
    credentials: Vec<Credential>,
    /// `(id, value)` of the app roles this principal's API defines, to name others' permissions.
    app_roles: Vec<(String, String)>,
    owners: Option<Vec<Owner>>,
    /// The Azure resource a managed identity belongs to.
    azure_resource: Option<String>,
    source: Arc<str>,
    /// Other inputs that carried the same service principal.
    extra_sources: Vec<Arc<str>>,
}

/// One delegated grant.
struct DelegatedRecord {
    client_sp: String,
    all_users: bool,
    principal: Option<String>,
    resource_sp: String,
    scopes: Vec<String>,
    source: Arc<str>,
}

/// One application-permission assignment.
struct AssignmentRecord {
    principal_sp: String,
    resource_sp: String,
    resource_name: Option<String>,
    role_id: String,
    granted_at: Option<Timestamp>,
}

/// Which object an owners list belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum OwnerTarget {
    AppObject(String),
    SpObject(String),
    AppId(String),
}

struct OwnersRecord {
    target: OwnerTarget,
    owners: Vec<Owner>,
}

struct SignInRecord {
    app_id: String,
    last: Option<Timestamp>,
}

struct CredentialUseRecord {
    key_id: String,
    last: Option<Timestamp>,
}

/// Everything read from Graph inputs, joined when all inputs are in.
#[derive(Default)]
pub struct Join {
    apps: Vec<AppRecord>,
    sps: Vec<SpRecord>,
    delegated: Vec<DelegatedRecord>,
    assignments: Vec<AssignmentRecord>,
    owners: Vec<OwnersRecord>,
    sign_ins: Vec<SignInRecord>,
    credential_uses: Vec<CredentialUseRecord>,
}

const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

#[derive(Deserialize)]
struct FirstPartyFile {
    tenants: Vec<String>,
    apps: HashMap<String, String>,
}

#[derive(Deserialize)]
struct AppRolesFile {
    roles: HashMap<String, String>,
}

fn first_party() -> &'static FirstPartyFile {
    static FILE: OnceLock<FirstPartyFile> = OnceLock::new();
    FILE.get_or_init(|| {
        toml::from_str(include_str!("first_party.toml")).expect("first_party.toml is valid")
    })
}

fn graph_app_roles() -> &'static HashMap<String, String> {
    static FILE: OnceLock<AppRolesFile> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            toml::from_str(include_str!("graph_app_roles.toml"))
                .expect("graph_app_roles.toml is valid")
        })
        .roles
}

/// Whether an app belongs to Microsoft itself, by its owner tenant or its well-known app ID.
pub fn is_first_party(app_id: &str, owner_org: Option<&str>) -> bool {
    let fp = first_party();
    owner_org.is_some_and(|org| fp.tenants.iter().any(|t| t.eq_ignore_ascii_case(org)))
        || fp.apps.contains_key(&app_id.to_ascii_lowercase())
}

impl Join {
    fn add_app(&mut self, app: AppRecord) {
        self.apps.push(app);
    }

    fn add_sp(&mut self, sp: SpRecord) {
        self.sps.push(sp);
    }

    /// Builds one identity per app ID from everything read.
    pub fn finish(self, out: &mut Vec<Identity>) {
        if self.apps.is_empty() && self.sps.is_empty() {
            return;
        }
        let Join {
            apps,
            sps,
            delegated,
            assignments,
            owners,
            sign_ins,
            credential_uses,
        } = self;

        // The tenant's own apps: an app registration is always home-tenant, and its service
        // principal names the home tenant as the owner organisation.
        let home_tenants: HashSet<String> = {
            let app_ids: HashSet<&str> = apps.iter().map(|a| a.app_id.as_str()).collect();
            sps.iter()
                .filter(|sp| app_ids.contains(sp.app_id.as_str()))
                .filter_map(|sp| sp.owner_org.as_ref().map(|o| o.to_ascii_lowercase()))
                .collect()
        };
        let resources = resources(&sps, &delegated, &assignments);
        let mut delegated_by_client: HashMap<&str, Vec<&DelegatedRecord>> = HashMap::new();
        for d in &delegated {
            delegated_by_client
                .entry(d.client_sp.as_str())
                .or_default()
                .push(d);
        }
        let mut assigned_to: HashMap<&str, Vec<&AssignmentRecord>> = HashMap::new();
        for a in &assignments {
            assigned_to
                .entry(a.principal_sp.as_str())
                .or_default()
                .push(a);
        }
        let mut owner_lists: HashMap<&OwnerTarget, Vec<&Owner>> = HashMap::new();
        for list in &owners {
            owner_lists
                .entry(&list.target)
                .or_default()
                .extend(list.owners.iter());
        }
        let last_sign_in: HashMap<&str, Option<Timestamp>> = sign_ins
            .iter()
            .map(|s| (s.app_id.as_str(), s.last))
            .collect();
        let credential_last: HashMap<String, Option<Timestamp>> = credential_uses
            .iter()
            .map(|c| (c.key_id.to_ascii_lowercase(), c.last))
            .collect();

        // One record per app ID (the first seen wins; later copies only add their source).
        let mut order: Vec<String> = Vec::with_capacity(apps.len() + sps.len());
        let mut app_by_id: HashMap<String, AppRecord> = HashMap::with_capacity(apps.len());
        for app in apps {
            match app_by_id.get_mut(&app.app_id) {
                Some(kept) => add_source(&mut kept.extra_sources, app.source),
                None => {
                    order.push(app.app_id.clone());
                    app_by_id.insert(app.app_id.clone(), app);
                }
            }
        }
        let mut sp_by_id: HashMap<String, SpRecord> = HashMap::with_capacity(sps.len());
        for sp in sps {
            match sp_by_id.get_mut(&sp.app_id) {
                Some(kept) => add_source(&mut kept.extra_sources, sp.source),
                None => {
                    if !app_by_id.contains_key(&sp.app_id) {
                        order.push(sp.app_id.clone());
                    }
                    sp_by_id.insert(sp.app_id.clone(), sp);
                }
            }
        }

        out.reserve(order.len());
        for app_id in order {
            let mut app = app_by_id.remove(&app_id);
            let mut sp = sp_by_id.remove(&app_id);
            let owner_org = sp.as_ref().and_then(|s| s.owner_org.clone());
            let managed = sp.as_ref().is_some_and(|s| s.managed_identity);
            let party = if is_first_party(&app_id, owner_org.as_deref()) {
                Party::FirstParty
            } else if app.is_some()
                // A managed identity is always one of the tenant's own Azure resources.
                || managed
                || owner_org
                    .as_deref()
                    .is_some_and(|o| home_tenants.contains(&o.to_ascii_lowercase()))
            {
                Party::Internal
            } else if owner_org.is_some() && !home_tenants.is_empty() {
                Party::ThirdParty
            } else {
                Party::Unknown
            };
            let ownership = ownership(app.as_ref(), sp.as_ref(), &owner_lists, party, managed);

            let name = app
                .as_ref()
                .map(|a| a.name.as_str())
                .or(sp.as_ref().map(|s| s.name.as_str()))
                .unwrap_or(&app_id)
                .to_string();
            let mut identity =
                Identity::new(Platform::Entra, Kind::ServicePrincipal, &app_id, name);
            let mut publisher = Publisher::default();
            if let Some(app) = app.as_mut() {
                identity.aliases.extend(app.object_id.clone());
                identity.sources.push(app.source.clone());
                identity.sources.append(&mut app.extra_sources);
                identity.created_at = app.created_at;
                identity.credentials.append(&mut app.credentials);
                identity.enabled = !app.disabled_by_microsoft;
                publisher = std::mem::take(&mut app.publisher);
            }
            if let Some(sp) = sp.as_mut() {
                identity.aliases.push(sp.object_id.clone());
                add_source(&mut identity.sources, sp.source.clone());
                for source in sp.extra_sources.drain(..) {
                    add_source(&mut identity.sources, source);
                }
                identity.created_at = identity.created_at.or(sp.created_at);
                identity.location = sp.azure_resource.take();
                identity.credentials.append(&mut sp.credentials);
                identity.enabled = identity.enabled && sp.enabled;
                if app.is_none() {
                    publisher = std::mem::take(&mut sp.publisher);
                } else if publisher.verified.is_none() {
                    publisher.verified = sp.publisher.verified;
                }
            }
            publisher.party = party;
            publisher.org_id = owner_org;
            if party == Party::FirstParty && publisher.name.is_none() {
                publisher.name = Some("Microsoft".into());
            }
            identity.publisher = Some(publisher);
            identity.credential_control = match party {
                // Microsoft and vendors hold their apps' credentials; the tenant can only remove
                // the service principal or its consent.
                Party::FirstParty | Party::ThirdParty => CredentialControl {
                    rotate: Controller::Vendor,
                    revoke: Controller::Customer,
                },
                _ if managed => CredentialControl {
                    rotate: Controller::Vendor,
                    revoke: Controller::Customer,
                },
                _ => CredentialControl::CUSTOMER,
            };
            identity.ownership = ownership;

            // Usage: the app's sign-ins, and each credential's own.
            if let Some(last) = last_sign_in.get(app_id.as_str()) {
                identity.usage = sign_in_usage(*last, "Entra sign-in activity report");
            }
            for credential in &mut identity.credentials {
                let Some(key) = credential.id.as_deref() else {
                    continue;
                };
                if let Some(last) = credential_last.get(&key.to_ascii_lowercase()) {
                    credential.usage =
                        sign_in_usage(*last, "Entra credential sign-in activity report");
                }
            }

            if let Some(sp) = &sp {
                let client = sp.object_id.as_str();
                let delegated = delegated_by_client
                    .get(client)
                    .map_or(&[][..], Vec::as_slice);
                let assigned = assigned_to.get(client).map_or(&[][..], Vec::as_slice);
                identity.grants = grants_of(&resources, delegated, assigned);
                // Application permissions act on the whole tenant: every mailbox, every site.
                if identity
                    .grants
                    .iter()
                    .any(|g| g.via == GrantVia::Application && g.name != "Sites.Selected")
                {
                    identity.reach = Reach::All;
                }
                let mut approvers: Vec<&String> = delegated
                    .iter()
                    .filter_map(|d| d.principal.as_ref())
                    .collect();
                approvers.sort();
                approvers.dedup();
                identity.approved_by = approvers
                    .into_iter()
                    .map(|id| Principal {
                        name: id.clone(),
                        id: Some(id.clone()),
                        status: Default::default(),
                    })
                    .collect();
                for d in delegated {
                    add_source(&mut identity.sources, d.source.clone());
                }
            }
            out.push(identity);
        }
    }
}

fn add_source(sources: &mut Vec<Arc<str>>, source: Arc<str>) {
    if !sources.contains(&source) {
        sources.push(source);
    }
}

fn sign_in_usage(last: Option<Timestamp>, report: &str) -> Usage {
    match last {
        Some(at) => Usage::Used(LastUse {
            at,
            source: report.into(),
            precision: Precision::Exact,
        }),
        None => Usage::Never {
            source: format!("no sign-in in the {report}"),
        },
    }
}

/// What grants need to know of the APIs they name: the resource's name and its app roles.
struct Resource {
    name: String,
    is_graph: bool,
    roles: HashMap<String, String>,
}

fn resources(
    sps: &[SpRecord],
    delegated: &[DelegatedRecord],
    assignments: &[AssignmentRecord],
) -> HashMap<String, Resource> {
    let wanted: HashSet<&str> = delegated
        .iter()
        .map(|d| d.resource_sp.as_str())
        .chain(assignments.iter().map(|a| a.resource_sp.as_str()))
        .collect();
    sps.iter()
        .filter(|sp| wanted.contains(sp.object_id.as_str()))
        .map(|sp| {
            let roles = sp
                .app_roles
                .iter()
                .map(|(id, value)| (id.to_ascii_lowercase(), value.clone()))
                .collect();
            let resource = Resource {
                name: sp.name.clone(),
                is_graph: sp.app_id == GRAPH_APP_ID,
                roles,
            };
            (sp.object_id.clone(), resource)
        })
        .collect()
}

fn ownership(
    app: Option<&AppRecord>,
    sp: Option<&SpRecord>,
    lists: &HashMap<&OwnerTarget, Vec<&Owner>>,
    party: Party,
    managed: bool,
) -> Ownership {
    if party == Party::FirstParty {
        return Ownership::Known(vec![Owner {
            who: Principal::named("Microsoft"),
            source: OwnerSource::Vendor,
            basis: "Microsoft first-party application".into(),
        }]);
    }
    if managed {
        // A managed identity belongs to the Azure resource it is attached to.
        return Ownership::NotRecorded;
    }
    let mut loaded = false;
    let mut found: Vec<Owner> = Vec::new();
    let inline = [
        app.and_then(|a| a.owners.as_ref()),
        sp.and_then(|s| s.owners.as_ref()),
    ];
    for owners in inline.into_iter().flatten() {
        loaded = true;
        found.extend(owners.iter().cloned());
    }
    let targets = [
        app.and_then(|a| a.object_id.clone())
            .map(OwnerTarget::AppObject),
        sp.map(|s| OwnerTarget::SpObject(s.object_id.clone())),
        app.map(|a| a.app_id.clone())
            .or(sp.map(|s| s.app_id.clone()))
            .map(OwnerTarget::AppId),
    ];
    for target in targets.iter().flatten() {
        if let Some(owners) = lists.get(target) {
            loaded = true;
            found.extend(owners.iter().map(|o| (*o).clone()));
        }
    }
    if !found.is_empty() {
        let mut ownership = Ownership::Missing;
        for owner in found {
            ownership.add(owner);
        }
        ownership
    } else if loaded {
        Ownership::Missing
    } else {
        Ownership::NotLoaded
    }
}

/// The permissions a service principal holds: application roles assigned to it and delegated
/// scopes consented to it.
fn grants_of(
    resources: &HashMap<String, Resource>,
    delegated: &[&DelegatedRecord],
    assignments: &[&AssignmentRecord],
) -> Vec<Grant> {
    let catalogue = permissions();
    let mut grants: Vec<Grant> = Vec::new();
    for a in assignments {
        let resource = resources.get(&a.resource_sp);
        let resource_name = resource
            .map(|r| r.name.clone())
            .or(a.resource_name.clone())
            .unwrap_or_else(|| format!("resource {}", a.resource_sp));
        let is_graph = resource.map_or(resource_name == "Microsoft Graph", |r| r.is_graph);
        let role_id = a.role_id.to_ascii_lowercase();
        let role_name = resource
            .and_then(|r| r.roles.get(&role_id).cloned())
            .or_else(|| {
                is_graph
                    .then(|| graph_app_roles().get(&role_id).cloned())
                    .flatten()
            });
        let (name, tier, classified) = match role_name {
            Some(name) => {
                let (tier, classified) = catalogue.classify(&name);
                (name, tier, classified)
            }
            None => (
                format!("app role {}", a.role_id),
                Tier::SensitiveRead,
                false,
            ),
        };
        grants.push(Grant {
            name,
            resource: Some(resource_name),
            tier,
            classified,
            via: GrantVia::Application,
            granted_at: a.granted_at,
        });
    }
    for d in delegated {
        let resource_name = resources
            .get(&d.resource_sp)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| format!("resource {}", d.resource_sp));
        for scope in &d.scopes {
            let (mut tier, classified) = catalogue.classify(scope);
            // A user's own consent reaches only that user's data: one tier lower. Tenant-wide
            // admin consent keeps the full tier, and so does a scope we cannot classify.
            if !d.all_users && classified {
                tier = match tier {
                    Tier::Admin => Tier::Write,
                    Tier::Write => Tier::SensitiveRead,
                    Tier::SensitiveRead | Tier::Read => Tier::Read,
                };
            }
            let grant = Grant {
                name: scope.clone(),
                resource: Some(resource_name.clone()),
                tier,
                classified,
                via: GrantVia::Delegated {
                    all_users: d.all_users,
                },
                granted_at: None,
            };
            if !grants.contains(&grant) {
                grants.push(grant);
            }
        }
    }
    grants
}
