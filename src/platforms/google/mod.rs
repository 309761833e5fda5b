//! Google Workspace (third-party app tokens, the Admin console app lists, domain-wide
//! delegation) and Google Cloud IAM (service accounts and their keys).
//!
//! Facts: `reference/platforms.md` §3, §10.3. The Admin console and the Cloud console call
//! internal RPC endpoints, not the REST shapes below; the command line reads the REST responses
//! (Directory API, IAM API), the Admin console's CSV export and a snapshot of the domain-wide
//! delegation page, which has no list API.
//!
//! Every OAuth client becomes one identity however many inputs name it: the tokens each user
//! granted it, its row in the console's app list and its domain-wide delegation entry are joined
//! on the client ID. A domain-wide delegation entry whose client ID is a service account's
//! `oauth2ClientId` joins that service account instead.

mod account;
mod app_access;
mod app_list_page;
mod domain_wide_delegation;
mod service_account_keys;
mod service_accounts;
mod tokens;
mod users;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::PlatformSpec;
use crate::console::{ConsolePage, GENERIC_ROWS, LIST_PAGE_REGION, Region};
use crate::model::{
    AccountStatus, Controller, Credential, CredentialControl, Grant, GrantVia, Identity, Kind,
    Owner, OwnerSource, Ownership, Party, Platform, Principal, Publisher, Reach, Tier, Timestamp,
    Usage,
};

/// Google in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Google,
    // The Admin console, also under `/u/1/` and so on where the admin signed in to several
    // Google accounts. (Service accounts and their keys are read from exports: no Cloud console
    // page is read.)
    consoles: &["https://admin.google.com/*ac/*"],
    pages: &[
        ConsolePage {
            id: "google.app_list_page",
            title: "Google Admin: third-party apps (accessed and configured apps)",
            url: app_list_page::PAGE_URL,
            // The console loads the list through internal RPC calls, not a documented API.
            api: &[],
            regions: &[
                Region {
                    name: "app table",
                    selector: APP_TABLE,
                    required: true,
                    limit: None,
                    early: false,
                },
                PAGINATION,
            ],
            rows: GENERIC_ROWS,
            catch_all: false,
        },
        ConsolePage {
            id: "google.domain_wide_delegation",
            title: "Google Admin: domain-wide delegation (API clients)",
            url: "https://admin.google.com/*ac/owl/domainwidedelegation*",
            api: &[],
            regions: &[
                Region {
                    name: "API client table",
                    selector: APP_TABLE,
                    required: true,
                    limit: None,
                    early: false,
                },
                PAGINATION,
            ],
            rows: GENERIC_ROWS,
            catch_all: false,
        },
    ],
    formats: &[
        tokens::FORMAT,
        app_access::FORMAT,
        // Before the delegation page's format, which recognizes any page naming its URL (the
        // app list's navigation links to it).
        app_list_page::FORMAT,
        domain_wide_delegation::FORMAT,
        service_accounts::FORMAT,
        service_account_keys::FORMAT,
        users::FORMAT,
    ],
    catalogues: &[scopes],
    self_managed: None,
    cells: &[],
    // Every organization's console is on one host: the signed-in account names which.
    tenant_in_page: Some(account::TENANT_IN_PAGE),
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/google/scopes");

/// The tables of the Admin console's API controls pages: HTML tables or ARIA grids. Class names
/// are generated and no landmark is documented, so nothing narrower is named; the readers find
/// their table among them by its header.
const APP_TABLE: &str = "table, [role=grid]";

/// A list's pagination ("1–50 of 120"): the console shows a long list a page at a time under
/// one URL, and each page viewed is kept. [infer] An ARIA navigation named "Pagination".
const PAGINATION: Region = Region {
    name: LIST_PAGE_REGION,
    selector: "[role=navigation][aria-label=Pagination]",
    required: false,
    limit: None,
    early: false,
};

/// The prefix of almost every Google OAuth scope; the catalogue lists scopes without it.
const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// A scope as the catalogue names it: `https://www.googleapis.com/auth/drive` and `drive` are the
/// same scope; `https://mail.google.com` and `https://mail.google.com/` too.
pub fn short_scope(scope: &str) -> String {
    let scope = scope.trim();
    for prefix in [SCOPE_PREFIX, "http://www.googleapis.com/auth/"] {
        if let Some(head) = scope.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
            && let Some(rest) = scope.get(prefix.len()..)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    if scope.eq_ignore_ascii_case("https://mail.google.com") {
        return "https://mail.google.com/".into();
    }
    scope.to_string()
}

/// A granted scope as a grant, tiered by the catalogue. Anything granted through domain-wide
/// delegation is admin: the client can act as every user of the domain.
fn scope_grant(scope: &str, via: GrantVia) -> Option<Grant> {
    let name = short_scope(scope);
    if name.is_empty() {
        return None;
    }
    let (tier, classified) = scopes().classify(&name);
    let domain_wide = via == GrantVia::DomainWide;
    Some(Grant {
        name,
        resource: domain_wide.then(|| "every user (domain-wide delegation)".to_string()),
        tier: if domain_wide { Tier::Admin } else { tier },
        classified,
        via,
        granted_at: None,
        flagged_sensitive: false,
    })
}

/// The scopes in a text cell (CSV, HTML): separated by spaces, commas, semicolons or lines.
fn split_scopes(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|s| s.trim_matches(|c: char| c == '"' || c == '\''))
        .filter(|s| !s.is_empty())
}

/// The key OAuth clients are joined on: without case, surrounding space or the
/// `.apps.googleusercontent.com` suffix (the console sometimes shows client IDs without it).
fn client_key(client_id: &str) -> String {
    let lower = client_id.trim().to_ascii_lowercase();
    match lower.strip_suffix(".apps.googleusercontent.com") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => lower,
    }
}

/// Google's own OAuth clients: what users grant them runs on their own devices, published by
/// Google. Client IDs as seen in public code (Chromium's build defaults, the Cloud SDK).
const GOOGLE_CLIENTS: &[(&str, &str)] = &[
    ("77185425430.apps.googleusercontent.com", "Google Chrome"),
    (
        "32555940559.apps.googleusercontent.com",
        "Google Cloud SDK (gcloud)",
    ),
    (
        "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com",
        "Google Cloud SDK application default credentials",
    ),
];

fn google_client(key: &str) -> Option<&'static str> {
    GOOGLE_CLIENTS
        .iter()
        .find(|(id, _)| client_key(id) == key)
        .map(|(_, name)| *name)
}

/// One user's grant to one OAuth client (Directory API `tokens.list`).
#[derive(Clone)]
struct TokenRecord {
    client_id: String,
    display_text: Option<String>,
    scopes: Vec<String>,
    user_key: Option<String>,
    anonymous: bool,
    native_app: bool,
    source: Arc<str>,
}

/// One row of the Admin console's app list export.
#[derive(Clone)]
struct AppRecord {
    client_id: String,
    name: Option<String>,
    app_type: Option<String>,
    verified: Option<bool>,
    internal: bool,
    access: Option<String>,
    blocked: bool,
    users: Option<u64>,
    services: Vec<String>,
    scopes: Vec<String>,
    source: Arc<str>,
}

/// One row of the domain-wide delegation page.
#[derive(Clone)]
struct DelegationRecord {
    client_id: String,
    name: Option<String>,
    scopes: Vec<String>,
    source: Arc<str>,
}

/// A service account (IAM `projects.serviceAccounts.list`).
#[derive(Clone)]
struct AccountRecord {
    email: String,
    unique_id: Option<String>,
    oauth2_client_id: Option<String>,
    display_name: Option<String>,
    project: Option<String>,
    disabled: bool,
    source: Arc<str>,
}

/// A user-managed key of a service account (IAM `keys.list`); system-managed keys are dropped
/// while reading.
#[derive(Clone)]
struct KeyRecord {
    /// The account as the key's `name` gives it: its email or its unique ID.
    account: String,
    credential: Credential,
}

/// One account whose keys list was read.
#[derive(Clone)]
struct KeysRead {
    /// The account as the keys' names give it: its email or its unique ID.
    account: String,
    project: Option<String>,
    source: Arc<str>,
}

/// A person from the Directory API `users` list, to name who granted a token.
#[derive(Clone)]
struct PersonRecord {
    name: String,
    status: AccountStatus,
}

/// Everything read from Google inputs, joined when all inputs are in.
#[derive(Clone, Default)]
pub struct Join {
    tokens: Vec<TokenRecord>,
    apps: Vec<AppRecord>,
    delegations: Vec<DelegationRecord>,
    accounts: Vec<AccountRecord>,
    keys: Vec<KeyRecord>,
    /// Accounts (email or unique ID, lower case) whose keys list was read, with the inputs it came
    /// from, even when it held only Google-managed keys: their user-managed keys are then known
    /// to be the ones read.
    keys_read: Vec<KeysRead>,
    /// People by ID and by primary email (lower case).
    people: FxHashMap<String, PersonRecord>,
}

crate::platforms::absorb!(Join {
    tokens,
    apps,
    delegations,
    accounts,
    keys,
    keys_read,
    people
});

/// An OAuth client as assembled from tokens, app-list rows and delegation rows.
#[derive(Default)]
struct Client {
    /// The longest spelling seen (with the `.apps.googleusercontent.com` suffix when any input
    /// gave it).
    client_id: String,
    other_ids: Vec<String>,
    token_name: Option<String>,
    list_name: Option<String>,
    delegation_name: Option<String>,
    /// Granting users, in the order first seen.
    users: Vec<String>,
    tokens_read: bool,
    listed_users: Option<u64>,
    app_type: Option<String>,
    access: Option<String>,
    blocked: bool,
    verified: Option<bool>,
    internal: bool,
    anonymous: bool,
    native_app: bool,
    /// Scopes users or the app list say it holds, in the order first seen.
    delegated: Vec<String>,
    /// Requested services from the app list, used when it gives no scopes.
    services: Vec<String>,
    domain_wide: Vec<String>,
    in_delegation: bool,
    /// For an anonymous client: its display name, which tells it apart from other anonymous
    /// clients that may share the same client ID.
    anonymous_name: Option<String>,
    sources: Vec<Arc<str>>,
}

impl Client {
    fn note_id(&mut self, id: &str) {
        let id = id.trim();
        if self.client_id.is_empty() {
            self.client_id = id.to_string();
        } else if id.len() > self.client_id.len() {
            let shorter = std::mem::replace(&mut self.client_id, id.to_string());
            push_unique(&mut self.other_ids, shorter);
        } else if id != self.client_id {
            push_unique(&mut self.other_ids, id.to_string());
        }
    }

    fn add_token(&mut self, t: TokenRecord) {
        self.note_id(&t.client_id);
        self.tokens_read = true;
        if self.token_name.is_none() {
            self.token_name = t.display_text.filter(|n| !n.trim().is_empty());
        }
        if let Some(user) = t.user_key.filter(|u| !u.trim().is_empty()) {
            push_unique(&mut self.users, user.trim().to_string());
        }
        self.anonymous |= t.anonymous;
        self.native_app |= t.native_app;
        for scope in t.scopes {
            push_scope(&mut self.delegated, &scope);
        }
        add_source(&mut self.sources, t.source);
    }

    fn add_app(&mut self, a: AppRecord) {
        self.note_id(&a.client_id);
        if self.list_name.is_none() {
            self.list_name = a.name;
        }
        self.listed_users = match (self.listed_users, a.users) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        self.app_type = self.app_type.take().or(a.app_type);
        self.access = self.access.take().or(a.access);
        self.blocked |= a.blocked;
        self.verified = match (self.verified, a.verified) {
            // Two exports disagreeing: the unverified reading is the one to act on.
            (Some(x), Some(y)) => Some(x && y),
            (x, y) => x.or(y),
        };
        self.internal |= a.internal;
        for scope in a.scopes {
            push_scope(&mut self.delegated, &scope);
        }
        for service in a.services {
            push_unique(&mut self.services, service);
        }
        add_source(&mut self.sources, a.source);
    }

    fn add_delegation(&mut self, d: DelegationRecord) {
        self.note_id(&d.client_id);
        self.in_delegation = true;
        if self.delegation_name.is_none() {
            self.delegation_name = d.name;
        }
        for scope in d.scopes {
            push_scope(&mut self.domain_wide, &scope);
        }
        add_source(&mut self.sources, d.source);
    }

    /// Its grants: what users consented to (or the app list says it requests) and what
    /// domain-wide delegation gives it.
    fn grants(&self) -> Vec<Grant> {
        let mut grants: Vec<Grant> = self
            .delegated
            .iter()
            .filter_map(|s| scope_grant(s, GrantVia::Delegated { all_users: false }))
            .collect();
        if self.delegated.is_empty() {
            // The app list names services (Gmail, Drive) rather than scopes: kept, unclassified.
            for service in &self.services {
                grants.push(Grant {
                    name: format!("{service} (requested service)"),
                    resource: None,
                    tier: Tier::SensitiveRead,
                    classified: false,
                    via: GrantVia::Delegated { all_users: false },
                    granted_at: None,
                    flagged_sensitive: false,
                });
            }
        }
        grants.extend(
            self.domain_wide
                .iter()
                .filter_map(|s| scope_grant(s, GrantVia::DomainWide)),
        );
        grants
    }

    /// Where it is used, in words an admin can check against the console.
    fn location(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if self.tokens_read {
            let n = self.users.len();
            parts.push(match n {
                0 => "granted by users not named in the tokens read".into(),
                1 => "granted by 1 user".into(),
                _ => format!("granted by {n} users"),
            });
        }
        if let Some(n) = self.listed_users
            && !(self.tokens_read && usize::try_from(n).is_ok_and(|n| n == self.users.len()))
        {
            parts.push(format!(
                "{n} {} in the Admin console",
                if n == 1 { "user" } else { "users" }
            ));
        }
        if self.native_app {
            parts.push("installed (native) app".into());
        } else if let Some(t) = &self.app_type {
            parts.push(t.clone());
        }
        if let Some(access) = &self.access {
            parts.push(format!("access: {access}"));
        }
        if self.in_delegation {
            parts.push("domain-wide delegation".into());
            if parts.len() == 1 && self.client_id.bytes().all(|b| b.is_ascii_digit()) {
                // OAuth clients' IDs end in `.apps.googleusercontent.com`; a bare number is a
                // service account's unique ID.
                parts.push("a service account's client ID (its project was not loaded)".into());
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl Join {
    /// Assembles the joined identities: service accounts first, then OAuth clients.
    pub fn finish(self, out: &mut Vec<Identity>) {
        let Join {
            tokens,
            apps,
            delegations,
            accounts,
            keys,
            keys_read,
            people,
        } = self;
        if tokens.is_empty()
            && apps.is_empty()
            && delegations.is_empty()
            && accounts.is_empty()
            && keys_read.is_empty()
        {
            return;
        }

        let mut service = ServiceAccounts::new(accounts, keys, keys_read);

        // OAuth clients, in the order first seen; those that are service accounts join them.
        let mut clients: Vec<Client> = Vec::new();
        let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
        let mut slot = |id: &str, clients: &mut Vec<Client>| -> usize {
            let key = client_key(id);
            *by_key.entry(key).or_insert_with(|| {
                clients.push(Client::default());
                clients.len() - 1
            })
        };
        for t in tokens {
            if t.client_id.trim().is_empty() {
                continue;
            }
            // Unregistered (anonymous) clients may all present the same client ID [infer]: the
            // app's name tells them apart.
            let anonymous_name = t.anonymous.then(|| {
                t.display_text
                    .clone()
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            });
            if let Some(name) = anonymous_name {
                let key = format!("{}#{}", client_key(&t.client_id), name.to_lowercase());
                let i = slot(&key, &mut clients);
                clients[i].anonymous_name = Some(name);
                clients[i].add_token(t);
                continue;
            }
            match service.by_client(&t.client_id) {
                Some(a) => service.clients[a].add_token(t),
                None => {
                    let i = slot(&t.client_id, &mut clients);
                    clients[i].add_token(t);
                }
            }
        }
        for a in apps {
            match service.by_client(&a.client_id) {
                Some(s) => service.clients[s].add_app(a),
                None => {
                    let i = slot(&a.client_id, &mut clients);
                    clients[i].add_app(a);
                }
            }
        }
        for d in delegations {
            match service.by_client(&d.client_id) {
                Some(s) => service.clients[s].add_delegation(d),
                None => {
                    let i = slot(&d.client_id, &mut clients);
                    clients[i].add_delegation(d);
                }
            }
        }

        service.finish(&people, out);
        out.reserve(clients.len());
        for client in clients {
            out.push(oauth_client(client, &people));
        }
    }
}

/// Service accounts with their keys, and what OAuth-client inputs said of them.
struct ServiceAccounts {
    accounts: Vec<AccountRecord>,
    extra_sources: Vec<Vec<Arc<str>>>,
    keys: Vec<Vec<KeyRecord>>,
    keys_loaded: Vec<bool>,
    /// Client-side records (delegation rows) joined to each account.
    clients: Vec<Client>,
    /// Account index by client ID key (`oauth2ClientId`, `uniqueId`).
    client_index: FxHashMap<String, usize>,
}

impl ServiceAccounts {
    fn new(records: Vec<AccountRecord>, keys: Vec<KeyRecord>, keys_read: Vec<KeysRead>) -> Self {
        let mut accounts: Vec<AccountRecord> = Vec::new();
        let mut extra_sources: Vec<Vec<Arc<str>>> = Vec::new();
        // Index by email and by unique ID: a key's name may use either.
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        for record in records {
            let email = record.email.to_ascii_lowercase();
            if let Some(&first) = index.get(&email) {
                add_source(&mut extra_sources[first], record.source);
                continue;
            }
            let i = accounts.len();
            index.insert(email, i);
            if let Some(id) = &record.unique_id {
                index.entry(id.to_ascii_lowercase()).or_insert(i);
            }
            accounts.push(record);
            extra_sources.push(Vec::new());
        }
        // Whose keys were read. A keys list read without its account's listing still shows the
        // account exists: it is then known by the name its keys give it.
        let mut loaded = vec![false; accounts.len()];
        for read in keys_read {
            let lower = read.account.to_ascii_lowercase();
            match index.get(&lower) {
                Some(&i) => {
                    loaded[i] = true;
                    add_source(&mut extra_sources[i], read.source);
                }
                None => {
                    index.insert(lower, accounts.len());
                    accounts.push(AccountRecord {
                        email: read.account,
                        unique_id: None,
                        oauth2_client_id: None,
                        display_name: None,
                        project: read.project,
                        disabled: false,
                        source: read.source,
                    });
                    extra_sources.push(Vec::new());
                    loaded.push(true);
                }
            }
        }
        let mut by_account: Vec<Vec<KeyRecord>> = accounts.iter().map(|_| Vec::new()).collect();
        for key in keys {
            // Every key's account was noted as read above.
            if let Some(&i) = index.get(&key.account.to_ascii_lowercase()) {
                by_account[i].push(key);
            }
        }
        let mut client_index = FxHashMap::default();
        for (i, a) in accounts.iter().enumerate() {
            for id in [&a.oauth2_client_id, &a.unique_id].into_iter().flatten() {
                if !id.trim().is_empty() {
                    client_index.entry(client_key(id)).or_insert(i);
                }
            }
        }
        let clients = accounts.iter().map(|_| Client::default()).collect();
        ServiceAccounts {
            accounts,
            extra_sources,
            keys: by_account,
            keys_loaded: loaded,
            clients,
            client_index,
        }
    }

    fn by_client(&self, client_id: &str) -> Option<usize> {
        self.client_index.get(&client_key(client_id)).copied()
    }

    fn finish(self, people: &FxHashMap<String, PersonRecord>, out: &mut Vec<Identity>) {
        let parts = self
            .accounts
            .into_iter()
            .zip(self.extra_sources)
            .zip(self.keys)
            .zip(self.keys_loaded)
            .zip(self.clients);
        for ((((account, extra), keys), loaded), client) in parts {
            out.push(service_account(
                account, extra, keys, loaded, client, people,
            ));
        }
    }
}

fn service_account(
    account: AccountRecord,
    extra: Vec<Arc<str>>,
    keys: Vec<KeyRecord>,
    keys_loaded: bool,
    client: Client,
    people: &FxHashMap<String, PersonRecord>,
) -> Identity {
    let name = account
        .display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| account.email.clone());
    let mut identity = Identity::new(
        Platform::Google,
        Kind::ServiceAccount,
        account.email.clone(),
        name,
    );
    for id in [&account.unique_id, &account.oauth2_client_id]
        .into_iter()
        .flatten()
    {
        if !id.is_empty() && *id != identity.native_id && !identity.aliases.contains(id) {
            identity.aliases.push(id.clone());
        }
    }
    identity.client_id = account.oauth2_client_id.clone().filter(|c| !c.is_empty());
    let mut where_ = match &account.project {
        Some(p) => format!("project {p}"),
        None => "Google Cloud".to_string(),
    };
    if !keys_loaded && keys.is_empty() {
        // Without the account's keys list its user-managed keys are unknown, not absent.
        where_.push_str(" (keys not loaded)");
    }
    if client.in_delegation {
        where_.push_str("; domain-wide delegation");
    }
    identity.location = Some(where_);
    // IAM has no owner field for a service account (only audit logs say who created it).
    identity.ownership = Ownership::NotRecorded;
    // Use is recorded by Activity Analyzer, which is not among these inputs.
    identity.usage = Usage::NotLoaded;
    identity.enabled = !account.disabled;
    identity.credential_control = CredentialControl::CUSTOMER;
    identity.publisher = Some(Publisher {
        party: Party::Internal,
        ..Publisher::default()
    });
    identity.sources.push(account.source);
    for source in extra {
        add_source(&mut identity.sources, source);
    }
    identity
        .credentials
        .extend(keys.into_iter().map(|k| k.credential));
    let grants = client.grants();
    if grants.iter().any(|g| g.via == GrantVia::DomainWide) {
        identity.reach = Reach::All;
    }
    identity.grants = grants;
    identity.approved_by = approvers(&client.users, people);
    for source in client.sources {
        add_source(&mut identity.sources, source);
    }
    identity
}

fn oauth_client(client: Client, people: &FxHashMap<String, PersonRecord>) -> Identity {
    let key = client_key(&client.client_id);
    let first_party = google_client(&key);
    let name = client
        .token_name
        .clone()
        .or_else(|| client.list_name.clone())
        .or_else(|| client.delegation_name.clone())
        .or_else(|| first_party.map(str::to_string))
        .unwrap_or_else(|| client.client_id.clone());
    let native_id = match &client.anonymous_name {
        Some(app) => format!("{}#{app}", client.client_id),
        None => client.client_id.clone(),
    };
    let mut identity = Identity::new(Platform::Google, Kind::OauthApp, native_id, name);
    identity.aliases.extend(client.other_ids.iter().cloned());
    // Unregistered clients sharing the placeholder ID `anonymous` are not one client reused.
    identity.client_id = (client.anonymous_name.is_none()
        || !client.client_id.eq_ignore_ascii_case("anonymous"))
    .then(|| client.client_id.clone());
    identity.location = client.location();
    identity.grants = client.grants();
    if client.in_delegation {
        identity.reach = Reach::All;
    }
    identity.approved_by = approvers(&client.users, people);
    // Google records who granted a client access, never who owns it; no API gives a time of
    // grant or of use (only the Reports API's token events would).
    identity.usage = Usage::NotRecorded;
    let party = if first_party.is_some() {
        Party::FirstParty
    } else if client.internal {
        Party::Internal
    } else if client.tokens_read || client.list_name.is_some() || client.listed_users.is_some() {
        // Users' grants and the console's app lists are of third-party apps ([doc] tokens.list:
        // "tokens ... issued to 3rd party applications").
        Party::ThirdParty
    } else {
        // Only on the delegation page: a service account of a project not loaded, or a vendor's.
        Party::Unknown
    };
    identity.ownership = match first_party {
        Some(_) => Ownership::Known(vec![Owner {
            who: Principal::named("Google"),
            source: OwnerSource::Vendor,
            basis: "Google's own OAuth client".into(),
        }]),
        None => Ownership::NotRecorded,
    };
    identity.publisher = Some(Publisher {
        name: first_party.map(|_| "Google".to_string()),
        verified: if first_party.is_some() {
            Some(true)
        } else {
            client.verified
        },
        party,
        org_id: None,
        anonymous: client.anonymous,
    });
    identity.credential_control = match party {
        // The client secret and the refresh tokens sit with the app's publisher; the customer
        // can only revoke the tokens or block the app.
        Party::FirstParty | Party::ThirdParty => CredentialControl {
            rotate: Controller::Vendor,
            revoke: Controller::Customer,
        },
        Party::Internal => CredentialControl::CUSTOMER,
        Party::Unknown => CredentialControl {
            rotate: Controller::Unknown,
            revoke: Controller::Customer,
        },
    };
    identity.enabled = !client.blocked;
    identity.sources = client.sources;
    identity
}

/// The users who granted a client access, named from the directory listing when one was read.
fn approvers(users: &[String], people: &FxHashMap<String, PersonRecord>) -> Vec<Principal> {
    users
        .iter()
        .map(|user| match people.get(&user.to_ascii_lowercase()) {
            Some(person) => Principal {
                name: person.name.clone(),
                id: Some(user.clone()),
                status: person.status,
            },
            None => Principal {
                name: user.clone(),
                id: Some(user.clone()),
                status: AccountStatus::Unknown,
            },
        })
        .collect()
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Adds a scope unless the same scope (in either spelling) is already there.
fn push_scope(list: &mut Vec<String>, scope: &str) {
    let short = short_scope(scope);
    if !short.is_empty()
        && !list
            .iter()
            .any(|s| short_scope(s).eq_ignore_ascii_case(&short))
    {
        list.push(scope.trim().to_string());
    }
}

fn add_source(sources: &mut Vec<Arc<str>>, source: Arc<str>) {
    if !sources.contains(&source) {
        sources.push(source);
    }
}

/// `projects/{p}/serviceAccounts/{account}[/keys/{id}]` → (project, account, key ID).
fn resource_name(name: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let parts: Vec<&str> = name.split('/').collect();
    let after = |marker: &str| {
        parts
            .iter()
            .position(|p| *p == marker)
            .and_then(|i| parts.get(i + 1))
            .copied()
            .filter(|s| !s.is_empty())
    };
    let project = after("projects").filter(|p| *p != "-");
    (project, after("serviceAccounts"), after("keys"))
}

/// Whether a key's end lies so far ahead that it is the "no expiry" value: year 9999 (what IAM
/// shows for user-managed keys without an expiry policy [obs]) or over a century after its start.
fn is_unbounded(after: Option<Timestamp>, before: Timestamp) -> bool {
    before.year() >= 9999 || after.is_some_and(|a| (before - a) > time::Duration::days(36_525))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scope_spellings_name_one_scope() {
        assert_eq!(
            short_scope("https://www.googleapis.com/auth/drive.readonly"),
            "drive.readonly"
        );
        assert_eq!(short_scope(" drive "), "drive");
        assert_eq!(
            short_scope("https://mail.google.com"),
            "https://mail.google.com/"
        );
        assert_eq!(short_scope(SCOPE_PREFIX), SCOPE_PREFIX);
        assert_eq!(
            short_scope("https://www.googleapis.com/authé"),
            "https://www.googleapis.com/authé"
        );
    }

    #[test]
    fn the_catalogue_tiers_and_nests_scopes() {
        let c = scopes();
        assert_eq!(c.classify("admin.directory.user"), (Tier::Admin, true));
        assert_eq!(c.classify("https://mail.google.com/"), (Tier::Admin, true));
        assert_eq!(c.classify("gmail.modify"), (Tier::Write, true));
        assert_eq!(c.classify("drive.readonly"), (Tier::SensitiveRead, true));
        assert_eq!(c.classify("openid"), (Tier::Read, true));
        assert_eq!(c.classify("brand.new"), (Tier::SensitiveRead, false));
        assert!(c.covers("drive", "drive.readonly"));
        assert!(c.covers("drive", "drive.file"));
        assert!(c.covers("gmail.modify", "gmail.readonly"));
        assert!(c.covers("https://mail.google.com/", "gmail.metadata"));
        assert!(c.covers("cloud-platform", "cloud-platform.read-only"));
        assert!(!c.covers("drive.readonly", "drive"));
    }

    #[test]
    fn client_ids_join_with_or_without_their_suffix() {
        assert_eq!(
            client_key(" 123-abc.apps.googleusercontent.com "),
            client_key("123-ABC")
        );
        assert_eq!(
            client_key(".apps.googleusercontent.com"),
            ".apps.googleusercontent.com"
        );
    }

    #[test]
    fn resource_names_give_project_account_and_key() {
        assert_eq!(
            resource_name("projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com/keys/k1"),
            (Some("p1"), Some("a@p1.iam.gserviceaccount.com"), Some("k1"))
        );
        assert_eq!(
            resource_name("projects/-/serviceAccounts/123"),
            (None, Some("123"), None)
        );
        assert_eq!(resource_name(""), (None, None, None));
    }
}
