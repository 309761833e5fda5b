//! Microsoft Entra ID, from Microsoft Graph: app registrations, service principals, their
//! delegated and application permissions, owners and sign-in activity, joined into one identity
//! per app (keyed on `appId`).
//!
//! Facts: `reference/platforms.md` §2. The Entra admin center loads these same Graph responses.

mod applications;
mod directory;
mod graph;
mod lists_read;
mod owners;
mod pages;
mod permission_grants;
mod role_assignments;
mod service_principals;
mod sign_in_activity;
mod users;

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use self::lists_read::{ListPage, ListsRead};
use super::PlatformSpec;
use crate::ingest::probe::JsonShape;
use crate::model::{
    Controller, Credential, CredentialControl, CredentialKind, Grant, GrantVia, Identity, Kind,
    LastUse, Owner, OwnerSource, Ownership, Party, Platform, Precision, Principal, Publisher,
    Reach, Tier, Timestamp, Usage,
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
    pages: pages::PAGES,
    formats: &[
        applications::FORMAT,
        service_principals::FORMAT,
        permission_grants::FORMAT,
        role_assignments::FORMAT,
        sign_in_activity::APPS,
        sign_in_activity::CREDENTIALS,
        owners::FORMAT,
        users::FORMAT,
        pages::APP_REGISTRATIONS_PAGE,
        pages::APP_CREDENTIALS_PAGE,
        pages::APP_API_PERMISSIONS_PAGE,
        pages::APP_OWNERS_PAGE,
        pages::ENTERPRISE_APPS_PAGE,
    ],
    catalogues: &[permissions],
    self_managed: None,
    cells: pages::NATIONAL_CLOUDS,
    tenant_in_page: Some(directory::TENANT_IN_PAGE),
    not_tenants: &[],
    // The Azure portal framework's React views (Entra's lists among them) are drawn in frames on
    // `sandbox-N.reactblade.portal.azure.net`, which call Graph themselves (the portal's safelist
    // names the domain; public scripts for the portal's lists match it and its `-ms` and `-rc`
    // stages). A national cloud's are not known.
    frame_domains: &[
        "reactblade.portal.azure.net",
        "reactblade-ms.portal.azure.net",
        "reactblade-rc.portal.azure.net",
    ],
};

crate::catalogue!(permissions, "platforms/entra/permissions");

/// The entity set an OData response names (`applications`, `servicePrincipals`).
fn odata_set(shape: &JsonShape) -> Option<&str> {
    shape.odata_entity_set()
}

/// An app registration as read.
#[derive(Clone, Default)]
struct AppRecord {
    object_id: Option<String>,
    app_id: String,
    name: String,
    created_at: Option<Timestamp>,
    publisher: Publisher,
    credentials: Vec<Credential>,
    /// What the input said of the app, where a `$select` may leave it out.
    said: Said,
    /// `Some` when the input carried owners (`$expand=owners`), even if empty.
    owners: Option<Vec<Owner>>,
    /// `signInAudience`, where the input said it.
    audience: Option<String>,
    disabled_by_microsoft: bool,
    source: Arc<str>,
    /// Other inputs that carried the same app.
    extra_sources: Vec<Arc<str>>,
    /// When the input was captured, where known.
    captured_at: Option<Timestamp>,
}

/// What an input said of an app or a service principal among what a `$select` may leave out: a
/// field left out says nothing, and another copy of the record may say it. (The publisher's and
/// other optional fields say so by being `None`.)
#[derive(Clone, Default)]
struct Said {
    name: bool,
    /// `disabledByMicrosoftStatus`, null or not.
    disabled: bool,
    /// The kinds of the credential lists it carried (`passwordCredentials`: secrets,
    /// `keyCredentials`: certificates, `federatedIdentityCredentials`).
    credentials: Vec<CredentialKind>,
    /// Whether it is enabled (`accountEnabled`), its type, its organisation (service principals).
    enabled: bool,
    kind: bool,
    owner_org: bool,
}

/// A record read from one input, of which others may hold copies.
trait Copies {
    fn key(&self) -> &str;
    fn captured_at(&self) -> Option<Timestamp>;
    /// Takes in an older copy: its sources, and what this copy's input left out.
    fn fill_from(&mut self, older: Self);
}

/// One record per app ID: of the copies read, the newest captured (without times, the one read
/// first), with what it left out filled in from the others, the newer first.
fn newest_copies<R: Copies>(records: Vec<Box<R>>) -> Vec<Box<R>> {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    seen.reserve(records.len());
    if records.iter().all(|r| seen.insert(r.key())) {
        return records;
    }
    drop(seen);
    let mut at: FxHashMap<String, usize> = FxHashMap::default();
    let mut copies: Vec<Vec<Box<R>>> = Vec::with_capacity(records.len());
    for record in records {
        match at.get(record.key()) {
            Some(&i) => copies[i].push(record),
            None => {
                at.insert(record.key().to_string(), copies.len());
                copies.push(vec![record]);
            }
        }
    }
    // Newest first; copies of one time (or of none) in the order read. (A few copies each: picked
    // in turn, as a sort of each record type would cost the worker's WebAssembly kilobytes.)
    let take_newest = |copies: &mut Vec<Box<R>>| {
        let newest = (1..copies.len()).fold(0, |best, i| {
            if copies[i].captured_at() > copies[best].captured_at() {
                i
            } else {
                best
            }
        });
        copies.remove(newest)
    };
    copies
        .into_iter()
        .map(|mut copies| {
            let mut newest = take_newest(&mut copies);
            while !copies.is_empty() {
                let older = take_newest(&mut copies);
                newest.fill_from(*older);
            }
            newest
        })
        .collect()
}

/// The kinds of the credential lists an input carried, of `(carried, kind)`.
fn lists_carried(lists: &[(bool, CredentialKind)]) -> Vec<CredentialKind> {
    lists
        .iter()
        .filter_map(|&(carried, kind)| carried.then_some(kind))
        .collect()
}

/// Takes `older`'s value where the newer copy's input did not say it (`said`) and the older's did.
fn fill_said<T>(value: &mut T, said: &mut bool, older: T, older_said: bool) {
    if !*said && older_said {
        *value = older;
        *said = true;
    }
}

/// Fills in what `newer`'s input did not say of the publisher (its name, whether it is verified).
fn fill_publisher(newer: &mut Publisher, older: Publisher) {
    newer.name = newer.name.take().or(older.name);
    newer.verified = newer.verified.or(older.verified);
}

/// Moves into `credentials` (whose input carried the lists `said`) those of the lists `older`'s
/// input carried and its did not.
fn fill_credentials(
    credentials: &mut Vec<Credential>,
    said: &mut Said,
    older: Vec<Credential>,
    older_said: &Said,
) {
    let missing: Vec<CredentialKind> = (older_said.credentials.iter())
        .filter(|kind| !said.credentials.contains(kind))
        .copied()
        .collect();
    said.credentials.extend(&missing);
    credentials.extend(older.into_iter().filter(|c| missing.contains(&c.kind)));
}

impl Copies for AppRecord {
    fn key(&self) -> &str {
        &self.app_id
    }

    fn captured_at(&self) -> Option<Timestamp> {
        self.captured_at
    }

    fn fill_from(&mut self, older: Self) {
        let said = &mut self.said;
        fill_said(&mut self.name, &mut said.name, older.name, older.said.name);
        fill_said(
            &mut self.disabled_by_microsoft,
            &mut said.disabled,
            older.disabled_by_microsoft,
            older.said.disabled,
        );
        fill_publisher(&mut self.publisher, older.publisher);
        fill_credentials(&mut self.credentials, said, older.credentials, &older.said);
        self.owners = self.owners.take().or(older.owners);
        self.audience = self.audience.take().or(older.audience);
        self.object_id = self.object_id.take().or(older.object_id);
        self.created_at = self.created_at.or(older.created_at);
        self.extra_sources.push(older.source);
        self.extra_sources.extend(older.extra_sources);
    }
}

impl Copies for SpRecord {
    fn key(&self) -> &str {
        &self.app_id
    }

    fn captured_at(&self) -> Option<Timestamp> {
        self.captured_at
    }

    fn fill_from(&mut self, older: Self) {
        let (said, was) = (&mut self.said, &older.said);
        fill_said(&mut self.name, &mut said.name, older.name, was.name);
        fill_publisher(&mut self.publisher, older.publisher);
        fill_said(
            &mut self.account_enabled,
            &mut said.enabled,
            older.account_enabled,
            was.enabled,
        );
        fill_said(
            &mut self.disabled_by_microsoft,
            &mut said.disabled,
            older.disabled_by_microsoft,
            was.disabled,
        );
        fill_said(
            &mut self.managed_identity,
            &mut said.kind,
            older.managed_identity,
            was.kind,
        );
        fill_said(
            &mut self.owner_org,
            &mut said.owner_org,
            older.owner_org,
            was.owner_org,
        );
        if self.app_roles.is_empty() {
            self.app_roles = older.app_roles;
        }
        fill_credentials(&mut self.credentials, said, older.credentials, was);
        self.owners = self.owners.take().or(older.owners);
        self.created_at = self.created_at.or(older.created_at);
        self.azure_resource = self.azure_resource.take().or(older.azure_resource);
        self.extra_sources.push(older.source);
        self.extra_sources.extend(older.extra_sources);
    }
}

/// A service principal as read.
#[derive(Clone, Default)]
struct SpRecord {
    object_id: String,
    app_id: String,
    name: String,
    created_at: Option<Timestamp>,
    publisher: Publisher,
    owner_org: Option<String>,
    managed_identity: bool,
    /// `accountEnabled` (true when it is not said).
    account_enabled: bool,
    /// Whether Microsoft disabled it (`disabledByMicrosoftStatus`).
    disabled_by_microsoft: bool,
    credentials: Vec<Credential>,
    /// What the input said of it, where a `$select` may leave it out.
    said: Said,
    /// `(id, value)` of the app roles this principal's API defines, to name others' permissions.
    app_roles: Vec<(String, String)>,
    owners: Option<Vec<Owner>>,
    /// The Azure resource a managed identity belongs to.
    azure_resource: Option<String>,
    source: Arc<str>,
    /// Other inputs that carried the same service principal.
    extra_sources: Vec<Arc<str>>,
    /// When the input was captured, where known.
    captured_at: Option<Timestamp>,
}

/// One delegated grant.
#[derive(Clone)]
struct DelegatedRecord {
    client_sp: String,
    all_users: bool,
    principal: Option<String>,
    resource_sp: String,
    scopes: Vec<String>,
    source: Arc<str>,
}

/// One application-permission assignment.
#[derive(Clone)]
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

#[derive(Clone)]
struct OwnersRecord {
    target: OwnerTarget,
    owners: Vec<Owner>,
}

#[derive(Clone)]
struct SignInRecord {
    app_id: String,
    last: LastSignIn,
}

#[derive(Clone)]
struct CredentialUseRecord {
    key_id: String,
    last: LastSignIn,
}

/// What a sign-in activity record says of an app's or a credential's last sign-in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LastSignIn {
    /// The record's date could not be read: use unknown, not "never".
    Unreadable,
    /// No sign-in in the report's window.
    Never,
    /// Last signed in then.
    At(Timestamp),
}

impl LastSignIn {
    /// What a record says, from its date as read (`at`) and as given (`text`, `None` if absent).
    fn read(at: Option<Timestamp>, text: Option<&str>) -> Self {
        match (at, text) {
            (Some(at), _) => LastSignIn::At(at),
            (None, Some(text)) if !text.trim().is_empty() => LastSignIn::Unreadable,
            (None, _) => LastSignIn::Never,
        }
    }
}

/// What the sign-in report `report` says of each key: every record of a key (reports saved on
/// different days, or one listed twice) combined as [`Usage::combine`] combines uses, the later
/// sign-in winning, and not knowing beating "never".
fn latest_by<K: Eq + std::hash::Hash>(
    records: impl Iterator<Item = (K, LastSignIn)>,
    report: &str,
) -> FxHashMap<K, Usage> {
    let mut latest: FxHashMap<K, Usage> = FxHashMap::default();
    for (key, last) in records {
        let usage = sign_in_usage(last, report);
        match latest.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut seen) => seen.get_mut().combine(usage),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(usage);
            }
        }
    }
    latest
}

/// Everything read from Graph inputs, joined when all inputs are in.
#[derive(Clone, Default)]
pub struct Join {
    // Boxed: a large export holds a hundred thousand records, and growing a list of boxes copies
    // pointers, not records (measured: a fifth of a 100k-app scan went to copying them).
    #[expect(
        clippy::vec_box,
        reason = "the list grows by doubling; moving boxes is cheaper"
    )]
    apps: Vec<Box<AppRecord>>,
    #[expect(
        clippy::vec_box,
        reason = "the list grows by doubling; moving boxes is cheaper"
    )]
    sps: Vec<Box<SpRecord>>,
    delegated: Vec<DelegatedRecord>,
    assignments: Vec<AssignmentRecord>,
    owners: Vec<OwnersRecord>,
    sign_ins: Vec<SignInRecord>,
    credential_uses: Vec<CredentialUseRecord>,
    /// Which permission lists were read, for whom (keys from [`lists_read`]).
    lists_read: FxHashSet<String>,
    /// Pages of such lists read, with their lists' keys: a list whose every page was read
    /// counts as read whole.
    list_pages: Vec<(String, ListPage)>,
}

crate::platforms::absorb!(Join {
    apps,
    sps,
    delegated,
    assignments,
    owners,
    sign_ins,
    credential_uses,
    lists_read,
    list_pages
});

const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

#[derive(Deserialize)]
struct FirstPartyFile {
    tenants: Vec<String>,
    apps: FxHashMap<String, String>,
}

#[derive(Deserialize)]
struct AppRolesFile {
    roles: HashMap<String, String>,
}

fn first_party() -> &'static FirstPartyFile {
    static FILE: OnceLock<FirstPartyFile> = OnceLock::new();
    FILE.get_or_init(|| {
        serde_json::from_slice(crate::embedded!("platforms/entra/first_party").as_bytes())
            .expect("first_party.toml is valid")
    })
}

fn graph_app_roles() -> &'static HashMap<String, String> {
    static FILE: OnceLock<AppRolesFile> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            serde_json::from_slice(crate::embedded!("platforms/entra/graph_app_roles").as_bytes())
                .expect("graph_app_roles.toml is valid")
        })
        .roles
}

/// Whether an app belongs to Microsoft itself, by its owner tenant or its well-known app ID.
pub fn is_first_party(app_id: &str, owner_org: Option<&str>) -> bool {
    let fp = first_party();
    owner_org.is_some_and(|org| fp.tenants.iter().any(|t| t.eq_ignore_ascii_case(org)))
        || fp.apps.contains_key(app_id)
        || (app_id.bytes().any(|b| b.is_ascii_uppercase())
            && fp.apps.contains_key(&app_id.to_ascii_lowercase()))
}

impl Join {
    fn add_app(&mut self, app: AppRecord) {
        self.apps.push(Box::new(app));
    }

    fn add_sp(&mut self, sp: SpRecord) {
        self.sps.push(Box::new(sp));
    }

    /// Records that the list under `key` was read whole, or one `page` of it.
    fn list_read(&mut self, key: String, page: Option<ListPage>) {
        match page {
            None => {
                self.lists_read.insert(key);
            }
            Some(page) => self.list_pages.push((key, page)),
        }
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
            mut lists_read,
            list_pages,
        } = self;
        // Every copy names its resource: Microsoft's APIs have one app ID in every directory and
        // an object of their own in each, which the directory's grants name.
        let resources = resources(&sps, &delegated, &assignments);
        let mut apps = newest_copies(apps);
        let mut sps = newest_copies(sps);

        let mut delegated_by_client: FxHashMap<&str, Vec<&DelegatedRecord>> = FxHashMap::default();
        for d in &delegated {
            delegated_by_client
                .entry(d.client_sp.as_str())
                .or_default()
                .push(d);
        }
        let mut assigned_to: FxHashMap<&str, Vec<&AssignmentRecord>> = FxHashMap::default();
        for a in &assignments {
            assigned_to
                .entry(a.principal_sp.as_str())
                .or_default()
                .push(a);
        }
        let owner_lists = OwnerLists::new(&owners);
        lists_read.extend(lists_read::walked_whole(&list_pages));
        let lists_read = ListsRead::new(&lists_read);
        let last_sign_in = latest_by(
            sign_ins.iter().map(|s| (s.app_id.as_str(), s.last)),
            "Entra sign-in activity report",
        );
        let credential_last = latest_by(
            credential_uses
                .iter()
                .map(|c| (c.key_id.to_ascii_lowercase(), c.last)),
            "Entra credential sign-in activity report",
        );

        // Which records make which identity: one per app ID (copies are one record by now), app
        // registration first.
        let (plan, home_tenants) = {
            let sp_of: FxHashMap<&str, usize> = sps
                .iter()
                .enumerate()
                .map(|(i, sp)| (sp.app_id.as_str(), i))
                .collect();
            // An app registration is always home-tenant, and its service principal names the
            // home tenant as the owner organisation.
            let mut home_tenants: FxHashSet<String> = FxHashSet::default();
            let mut plan: Vec<(Option<usize>, Option<usize>)> =
                Vec::with_capacity(apps.len() + sps.len());
            let mut sp_taken = vec![false; sps.len()];
            for (i, app) in apps.iter().enumerate() {
                let sp = sp_of.get(app.app_id.as_str()).copied();
                if let Some(s) = sp {
                    sp_taken[s] = true;
                    if let Some(org) = &sps[s].owner_org {
                        home_tenants.insert(org.to_ascii_lowercase());
                    }
                }
                plan.push((Some(i), sp));
            }
            for (i, taken) in sp_taken.iter().enumerate() {
                if !taken {
                    plan.push((None, Some(i)));
                }
            }
            (plan, home_tenants)
        };

        out.reserve(plan.len());
        for (app_index, sp_index) in plan {
            let app = app_index.map(|i| std::mem::take(&mut *apps[i]));
            let sp = sp_index.map(|i| std::mem::take(&mut *sps[i]));
            out.push(assemble(
                app,
                sp,
                &Context {
                    home_tenants: &home_tenants,
                    resources: &resources,
                    delegated_by_client: &delegated_by_client,
                    assigned_to: &assigned_to,
                    owner_lists: &owner_lists,
                    last_sign_in: &last_sign_in,
                    credential_last: &credential_last,
                    lists_read: &lists_read,
                },
            ));
        }
    }
}

/// What assembling one app needs to know of all the others.
struct Context<'a> {
    home_tenants: &'a FxHashSet<String>,
    resources: &'a FxHashMap<String, Resource>,
    delegated_by_client: &'a FxHashMap<&'a str, Vec<&'a DelegatedRecord>>,
    assigned_to: &'a FxHashMap<&'a str, Vec<&'a AssignmentRecord>>,
    owner_lists: &'a OwnerLists<'a>,
    last_sign_in: &'a FxHashMap<&'a str, Usage>,
    credential_last: &'a FxHashMap<String, Usage>,
    lists_read: &'a ListsRead<'a>,
}

/// Owner lists read on their own, by what they belong to.
#[derive(Default)]
struct OwnerLists<'a> {
    by_app_object: FxHashMap<&'a str, Vec<&'a Owner>>,
    by_sp_object: FxHashMap<&'a str, Vec<&'a Owner>>,
    by_app_id: FxHashMap<&'a str, Vec<&'a Owner>>,
}

impl<'a> OwnerLists<'a> {
    fn new(lists: &'a [OwnersRecord]) -> Self {
        let mut by = OwnerLists::default();
        for list in lists {
            let (map, key) = match &list.target {
                OwnerTarget::AppObject(id) => (&mut by.by_app_object, id),
                OwnerTarget::SpObject(id) => (&mut by.by_sp_object, id),
                OwnerTarget::AppId(id) => (&mut by.by_app_id, id),
            };
            map.entry(key.as_str())
                .or_default()
                .extend(list.owners.iter());
        }
        by
    }

    fn is_empty(&self) -> bool {
        self.by_app_object.is_empty() && self.by_sp_object.is_empty() && self.by_app_id.is_empty()
    }
}

/// One identity from an app registration, its service principal, or both.
fn assemble(mut app: Option<AppRecord>, mut sp: Option<SpRecord>, cx: &Context<'_>) -> Identity {
    let owner_org = sp.as_mut().and_then(|s| s.owner_org.take());
    let managed = sp.as_ref().is_some_and(|s| s.managed_identity);
    let app_id_ref = app
        .as_ref()
        .map_or_else(|| sp.as_ref().map_or("", |s| &s.app_id), |a| &a.app_id);
    let party = if is_first_party(app_id_ref, owner_org.as_deref()) {
        Party::FirstParty
    } else if app.is_some()
        // A managed identity is always one of the tenant's own Azure resources.
        || managed
        || owner_org.as_deref().is_some_and(|o| {
            cx.home_tenants.contains(o) || cx.home_tenants.contains(&o.to_ascii_lowercase())
        })
    {
        Party::Internal
    } else if owner_org.is_some() && !cx.home_tenants.is_empty() {
        Party::ThirdParty
    } else {
        Party::Unknown
    };
    let ownership = ownership(app.as_ref(), sp.as_ref(), cx.owner_lists, party, managed);

    // The records are consumed from here on: their strings move into the identity.
    let (app_id, name) = match (&mut app, &mut sp) {
        (Some(a), _) => (std::mem::take(&mut a.app_id), std::mem::take(&mut a.name)),
        (None, Some(s)) => (std::mem::take(&mut s.app_id), std::mem::take(&mut s.name)),
        (None, None) => (String::new(), String::new()),
    };
    let mut identity = Identity::new(Platform::Entra, Kind::ServicePrincipal, app_id, name);
    let mut publisher = Publisher::default();
    if let Some(mut app) = app {
        identity.aliases.extend(app.object_id.take());
        identity.sources.push(app.source);
        for source in app.extra_sources {
            add_source(&mut identity.sources, source);
        }
        identity.created_at = app.created_at;
        identity.credentials = app.credentials;
        identity.enabled = !app.disabled_by_microsoft;
        // Any audience but the app's own directory's.
        identity.audience = app
            .audience
            .filter(|a| !a.eq_ignore_ascii_case("AzureADMyOrg"));
        publisher = app.publisher;
    }
    let has_app = !identity.sources.is_empty();
    identity.grants_unread = !cx
        .lists_read
        .permissions_read(sp.as_ref().map(|s| s.object_id.as_str()));
    let mut grants = Vec::new();
    let mut approvers: Vec<&String> = Vec::new();
    if let Some(mut sp) = sp {
        let client = sp.object_id.as_str();
        let delegated = cx
            .delegated_by_client
            .get(client)
            .map_or(&[][..], Vec::as_slice);
        let assigned = cx.assigned_to.get(client).map_or(&[][..], Vec::as_slice);
        grants = grants_of(cx.resources, delegated, assigned);
        approvers = delegated
            .iter()
            .filter_map(|d| d.principal.as_ref())
            .collect();
        for d in delegated {
            add_source(&mut identity.sources, d.source.clone());
        }
        identity.aliases.push(std::mem::take(&mut sp.object_id));
        add_source(&mut identity.sources, sp.source);
        for source in sp.extra_sources {
            add_source(&mut identity.sources, source);
        }
        identity.created_at = identity.created_at.or(sp.created_at);
        identity.credentials.append(&mut sp.credentials);
        identity.enabled = identity.enabled && sp.account_enabled && !sp.disabled_by_microsoft;
        identity.location = sp.azure_resource;
        if !has_app {
            publisher = sp.publisher;
        } else if publisher.verified.is_none() {
            publisher.verified = sp.publisher.verified;
        }
    }
    // Application permissions act on the whole tenant: every mailbox, every site.
    if grants
        .iter()
        .any(|g| g.via == GrantVia::Application && g.name != "Sites.Selected")
    {
        identity.reach = Reach::All;
    }
    identity.grants = grants;
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

    publisher.party = party;
    publisher.org_id = owner_org;
    if party == Party::FirstParty && publisher.name.is_none() {
        publisher.name = Some("Microsoft".into());
    }
    identity.publisher = Some(publisher);
    identity.credential_control = match party {
        // Microsoft and vendors hold their apps' credentials; the tenant can only remove the
        // service principal or its consent. Azure rotates a managed identity's own.
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
    if let Some(last) = cx.last_sign_in.get(identity.native_id.as_str()) {
        identity.usage = last.clone();
    }
    if !cx.credential_last.is_empty() {
        for credential in &mut identity.credentials {
            let Some(key) = credential.id.as_deref() else {
                continue;
            };
            if let Some(last) = cx.credential_last.get(&key.to_ascii_lowercase()) {
                credential.usage = last.clone();
            }
        }
    }
    identity
}

fn add_source(sources: &mut Vec<Arc<str>>, source: Arc<str>) {
    if !sources.contains(&source) {
        sources.push(source);
    }
}

fn sign_in_usage(last: LastSignIn, report: &str) -> Usage {
    match last {
        LastSignIn::At(at) => Usage::Used(LastUse {
            at,
            source: report.into(),
            precision: Precision::Exact,
        }),
        LastSignIn::Never => Usage::Never {
            source: format!("no sign-in in the {report}"),
        },
        LastSignIn::Unreadable => Usage::NotLoaded,
    }
}

/// What grants need to know of the APIs they name: the resource's name and its app roles.
struct Resource {
    name: String,
    is_graph: bool,
    roles: HashMap<String, String>,
}

fn resources(
    sps: &[Box<SpRecord>],
    delegated: &[DelegatedRecord],
    assignments: &[AssignmentRecord],
) -> FxHashMap<String, Resource> {
    let wanted: FxHashSet<&str> = delegated
        .iter()
        .map(|d| d.resource_sp.as_str())
        .chain(assignments.iter().map(|a| a.resource_sp.as_str()))
        .collect();
    let mut out: FxHashMap<String, Resource> = FxHashMap::default();
    for sp in sps
        .iter()
        .filter(|sp| wanted.contains(sp.object_id.as_str()))
    {
        // A copy that names no roles (a `$select` without them) leaves another's.
        if out.contains_key(&sp.object_id) && sp.app_roles.is_empty() {
            continue;
        }
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
        out.insert(sp.object_id.clone(), resource);
    }
    out
}

fn ownership(
    app: Option<&AppRecord>,
    sp: Option<&SpRecord>,
    lists: &OwnerLists<'_>,
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
    let mut found: Vec<&Owner> = Vec::new();
    let inline = [
        app.and_then(|a| a.owners.as_ref()),
        sp.and_then(|s| s.owners.as_ref()),
    ];
    for owners in inline.into_iter().flatten() {
        loaded = true;
        found.extend(owners.iter());
    }
    if !lists.is_empty() {
        let app_id = app
            .map(|a| a.app_id.as_str())
            .or(sp.map(|s| s.app_id.as_str()));
        let hits = [
            app.and_then(|a| a.object_id.as_deref())
                .and_then(|id| lists.by_app_object.get(id)),
            sp.and_then(|s| lists.by_sp_object.get(s.object_id.as_str())),
            app_id.and_then(|id| lists.by_app_id.get(id)),
        ];
        for owners in hits.into_iter().flatten() {
            loaded = true;
            found.extend(owners.iter().copied());
        }
    }
    if !found.is_empty() {
        let mut ownership = Ownership::Missing;
        for owner in found {
            ownership.add(owner.clone());
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
    resources: &FxHashMap<String, Resource>,
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
            flagged_sensitive: false,
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
                flagged_sensitive: false,
            };
            if !grants.contains(&grant) {
                grants.push(grant);
            }
        }
    }
    grants
}
