//! Okta: API tokens (SSWS), OAuth service apps with their granted Okta API scopes and client
//! secrets, and the users directory that names token owners and grant approvers.
//!
//! Facts: `reference/platforms.md` §5, §10.5. The Okta Admin Console calls the same `/api/v1` REST
//! API with the admin's session.
//!
//! A service app is assembled from up to three inputs (`apps`, `apps/{id}/grants`,
//! `apps/{id}/credentials/secrets`) in [`Join::finish`], so the order they are read in does not
//! matter. Grants and secrets whose app is not in any apps list loaded still make an identity,
//! named by the app ID with what they tell: dropping them would hide granted admin scopes and live
//! secrets, and `finish` cannot report a problem (it runs after every input is read).

mod api_tokens;

pub(crate) use api_tokens::rejected_with_their_users;
mod app_grants;
mod app_secrets;
mod apps;
mod pages;
mod users;

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::PlatformSpec;
use super::directory::Person;
use crate::console::Cell;
use crate::model::{
    AccountStatus, Credential, CredentialControl, CredentialKind, Expiry, Grant, GrantVia,
    Identity, Kind, Ownership, Party, Platform, Principal, Publisher, Timestamp, Usage,
};

/// Okta in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Okta,
    // The whole Admin Console (the System Log is under `/report/`), in every cell: the EMEA
    // cell's orgs, preview (sandbox) orgs, and the US government's and military's.
    consoles: &["https://{tenant}-admin.okta.com/*"],
    pages: pages::PAGES,
    formats: &[
        api_tokens::FORMAT,
        apps::FORMAT,
        app_grants::FORMAT,
        app_secrets::FORMAT,
        users::FORMAT,
        pages::API_TOKENS_PAGE,
        pages::APPS_PAGE,
        pages::APP_INSTANCE_PAGE,
    ],
    catalogues: &[scopes],
    self_managed: None,
    cells: &[
        Cell {
            hosts: &[("okta.com", "okta-emea.com")],
        },
        Cell {
            hosts: &[("okta.com", "oktapreview.com")],
        },
        Cell {
            hosts: &[("okta.com", "okta-gov.com")],
        },
        Cell {
            hosts: &[("okta.com", "okta.mil")],
        },
    ],
    tenant_in_page: None,
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/okta/scopes");

/// A service app as read from an apps list.
#[derive(Clone)]
struct AppRecord {
    id: String,
    client_id: Option<String>,
    label: String,
    /// Okta's app name: `oidc_client` for the org's own OIDC apps, an OIN key otherwise.
    okta_name: Option<String>,
    active: bool,
    created: Option<Timestamp>,
    auth_method: Option<String>,
    source: Arc<str>,
    extra_sources: Vec<Arc<str>>,
}

/// One granted Okta API scope.
#[derive(Clone)]
struct GrantRecord {
    /// The app the grant belongs to, from the request URL or the grant's `_links.app`.
    app_id: Option<String>,
    client_id: Option<String>,
    scope: String,
    via: GrantVia,
    granted_at: Option<Timestamp>,
    /// Who granted it: `createdBy.id` (an admin), or `userId` for an end user's consent.
    approver: Option<(String, Option<String>)>,
    /// The app's label as the grant's `_links.app.title` gives it.
    app_title: Option<String>,
    source: Arc<str>,
}

/// One client secret of an app.
#[derive(Clone)]
struct SecretRecord {
    app_id: String,
    id: String,
    active: bool,
    created: Option<Timestamp>,
    source: Arc<str>,
}

/// Okta records joined across inputs (service apps with their grants and secrets); assembled once
/// every input is read.
#[derive(Clone, Default)]
pub struct Join {
    apps: Vec<AppRecord>,
    /// IDs and client IDs of apps that are not service apps (sign-in apps for people): their
    /// grants and secrets are not identities either.
    not_service: FxHashSet<String>,
    grants: Vec<GrantRecord>,
    /// IDs and client IDs of apps whose grants were read: a grants list of one app (an empty one
    /// too, by its URL), or a grant naming the app, revoked or not. Any other app's scopes were
    /// not read, and it says so rather than look unprivileged.
    grants_read: FxHashSet<String>,
    secrets: Vec<SecretRecord>,
    /// People from users lists, by user ID, to name who approved a grant.
    people: FxHashMap<String, Person>,
}

crate::platforms::absorb!(Join {
    apps,
    not_service,
    grants,
    grants_read,
    secrets,
    people
});

/// How an app's client authenticates at the token endpoint.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClientAuth {
    /// `client_secret_basic`, `client_secret_post`, `client_secret_jwt`: a shared secret.
    Secret,
    /// `private_key_jwt`: a key pair; Okta holds only the public key.
    Key,
    /// `none`: a public client.
    None,
    Unknown,
}

fn client_auth(method: Option<&str>) -> ClientAuth {
    match method.map(str::to_ascii_lowercase).as_deref() {
        Some("client_secret_basic" | "client_secret_post" | "client_secret_jwt") => {
            ClientAuth::Secret
        }
        Some("private_key_jwt") => ClientAuth::Key,
        Some("none") => ClientAuth::None,
        _ => ClientAuth::Unknown,
    }
}

impl Join {
    /// An empty list from `source`: when it is one app's grants, that app has none.
    pub fn empty_grants_list(&mut self, source: &str) {
        self.grants_read.extend(app_id_from(source, &["grants"]));
    }

    /// Builds one identity per service app from everything read.
    pub fn finish(self, out: &mut Vec<Identity>) {
        let Join {
            apps,
            not_service,
            grants,
            grants_read,
            secrets,
            people,
        } = self;
        if apps.is_empty() && grants.is_empty() && secrets.is_empty() {
            return;
        }

        // One record per app ID; a second copy (two pages, two files) only adds its source.
        let mut unique: Vec<AppRecord> = Vec::with_capacity(apps.len());
        let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
        for app in apps {
            match by_id.get(&app.id) {
                Some(&first) => {
                    let source = app.source;
                    if !unique[first].extra_sources.contains(&source) {
                        unique[first].extra_sources.push(source);
                    }
                }
                None => {
                    by_id.insert(app.id.clone(), unique.len());
                    unique.push(app);
                }
            }
        }
        // For OIDC apps Okta uses the app ID as the client ID; match on either.
        let mut by_key: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, app) in unique.iter().enumerate() {
            by_key.insert(app.id.as_str(), i);
            if let Some(client) = &app.client_id {
                by_key.entry(client.as_str()).or_insert(i);
            }
        }

        let mut app_grants: Vec<Vec<&GrantRecord>> = vec![Vec::new(); unique.len()];
        let mut app_secrets: Vec<Vec<&SecretRecord>> = vec![Vec::new(); unique.len()];
        let mut orphans: BTreeMap<String, Orphan<'_>> = BTreeMap::new();
        for grant in &grants {
            let keys = [grant.client_id.as_deref(), grant.app_id.as_deref()];
            if let Some(&i) = keys.iter().flatten().find_map(|k| by_key.get(k)) {
                app_grants[i].push(grant);
            } else if keys.iter().flatten().any(|k| not_service.contains(*k)) {
                continue;
            } else if let Some(key) = grant.app_id.as_deref().or(grant.client_id.as_deref()) {
                orphans
                    .entry(key.to_string())
                    .or_default()
                    .grants
                    .push(grant);
            }
        }
        for secret in &secrets {
            if let Some(&i) = by_key.get(secret.app_id.as_str()) {
                app_secrets[i].push(secret);
            } else if !not_service.contains(&secret.app_id) {
                orphans
                    .entry(secret.app_id.clone())
                    .or_default()
                    .secrets
                    .push(secret);
            }
        }

        out.reserve(unique.len() + orphans.len());
        let start = out.len();
        for ((app, grants), secrets) in unique.into_iter().zip(app_grants).zip(app_secrets) {
            out.push(assemble_app(app, &grants, &secrets, &people));
        }
        for (app_id, orphan) in orphans {
            out.push(assemble_orphan(app_id, &orphan, &people));
        }
        for identity in &mut out[start..] {
            identity.grants_unread = ![Some(&identity.native_id), identity.client_id.as_ref()]
                .into_iter()
                .flatten()
                .any(|key| grants_read.contains(key));
        }
    }
}

/// Grants and secrets of an app no apps list described.
#[derive(Default)]
struct Orphan<'a> {
    grants: Vec<&'a GrantRecord>,
    secrets: Vec<&'a SecretRecord>,
}

fn add_source(sources: &mut Vec<Arc<str>>, source: &Arc<str>) {
    if !sources.contains(source) {
        sources.push(source.clone());
    }
}

fn assemble_app(
    app: AppRecord,
    grants: &[&GrantRecord],
    secrets: &[&SecretRecord],
    people: &FxHashMap<String, Person>,
) -> Identity {
    let mut identity = Identity::new(Platform::Okta, Kind::OauthApp, &app.id, &app.label);
    if let Some(client) = &app.client_id
        && client != &app.id
    {
        identity.aliases.push(client.clone());
    }
    identity.client_id = app.client_id.clone().or_else(|| Some(app.id.clone()));
    identity.created_at = app.created;
    identity.enabled = app.active;
    identity.sources.push(app.source.clone());
    for source in &app.extra_sources {
        add_source(&mut identity.sources, source);
    }
    // [infer] `oidc_client` is the name of every app an admin creates in the org (platforms.md
    // §5.2); any other name is an Okta Integration Network entry, published by someone else.
    identity.publisher = Some(match app.okta_name.as_deref() {
        Some(name) if !name.eq_ignore_ascii_case("oidc_client") => Publisher {
            name: Some(name.to_string()),
            verified: None,
            party: Party::ThirdParty,
            org_id: None,
            anonymous: false,
        },
        _ => Publisher {
            name: None,
            verified: None,
            party: Party::Internal,
            org_id: None,
            anonymous: false,
        },
    });

    let auth = client_auth(app.auth_method.as_deref());
    if secrets.is_empty() {
        match auth {
            ClientAuth::Secret => {
                // The app authenticates with a client secret, but its secrets list was not
                // loaded: the secret exists, its age does not show.
                let mut secret = Credential::new(CredentialKind::Secret);
                secret.label = Some("client secret (secrets list not loaded)".into());
                secret.expiry = Expiry::Never;
                secret.active = app.active;
                identity.credentials.push(secret);
            }
            ClientAuth::Key => identity.credentials.push(jwks_key(app.active)),
            ClientAuth::None | ClientAuth::Unknown => {}
        }
    } else {
        // [infer] Okta accepts a client secret only while the app's token endpoint method is a
        // secret method: secrets kept after a switch to private_key_jwt cannot sign in.
        let usable = matches!(auth, ClientAuth::Secret | ClientAuth::Unknown);
        for secret in secrets {
            add_source(&mut identity.sources, &secret.source);
            identity.credentials.push(secret_credential(
                secret,
                secret.active && usable && app.active,
            ));
        }
        if auth == ClientAuth::Key {
            identity.credentials.push(jwks_key(app.active));
        }
    }
    finish_common(&mut identity, grants, people);
    identity
}

fn assemble_orphan(
    app_id: String,
    orphan: &Orphan<'_>,
    people: &FxHashMap<String, Person>,
) -> Identity {
    let title = orphan.grants.iter().find_map(|g| g.app_title.clone());
    let mut identity = Identity::new(
        Platform::Okta,
        Kind::OauthApp,
        &app_id,
        title.unwrap_or_else(|| app_id.clone()),
    );
    identity.client_id = orphan
        .grants
        .iter()
        .find_map(|g| g.client_id.clone())
        .or_else(|| Some(app_id.clone()));
    if let Some(client) = &identity.client_id
        && client != &app_id
    {
        identity.aliases.push(client.clone());
    }
    for secret in &orphan.secrets {
        add_source(&mut identity.sources, &secret.source);
        // Without the app record the token endpoint method is unknown: an active secret counts.
        identity
            .credentials
            .push(secret_credential(secret, secret.active));
    }
    finish_common(&mut identity, &orphan.grants, people);
    identity
}

/// What every service app gets whatever its inputs: grants, approvers, and the facts Okta does
/// not record.
fn finish_common(
    identity: &mut Identity,
    grants: &[&GrantRecord],
    people: &FxHashMap<String, Person>,
) {
    for grant in grants {
        add_source(&mut identity.sources, &grant.source);
        if let Some(kept) = identity
            .grants
            .iter_mut()
            .find(|g| g.name.eq_ignore_ascii_case(&grant.scope))
        {
            // The same scope granted twice (two issuers, two captures): keep the earliest.
            if let (Some(new), Some(old)) = (grant.granted_at, kept.granted_at)
                && new < old
            {
                kept.granted_at = Some(new);
            }
        } else {
            let (tier, classified) = scopes().classify(&grant.scope);
            let mut model = Grant::new(grant.scope.clone(), tier, classified);
            model.resource = Some("Okta API".into());
            model.via = grant.via;
            model.granted_at = grant.granted_at;
            identity.grants.push(model);
        }
        if let Some((id, kind)) = &grant.approver {
            let principal = approver(id, kind.as_deref(), people);
            if !identity
                .approved_by
                .iter()
                .any(|p| p.id.as_deref() == Some(id.as_str()))
            {
                identity.approved_by.push(principal);
            }
        }
    }
    // Okta has no owner field for apps; `createdBy` of a grant is who approved it, not an owner.
    identity.ownership = Ownership::NotRecorded;
    // Token requests are in the System Log, which is not read.
    identity.usage = Usage::NotLoaded;
    identity.credential_control = CredentialControl::CUSTOMER;
}

fn approver(id: &str, kind: Option<&str>, people: &FxHashMap<String, Person>) -> Principal {
    match people.get(id) {
        Some(person) => Principal {
            name: if person.name.is_empty() {
                id.to_string()
            } else {
                person.name.clone()
            },
            id: Some(id.to_string()),
            status: person.status,
        },
        None => Principal {
            name: match kind {
                Some(kind) if !kind.eq_ignore_ascii_case("user") => format!("{kind} {id}"),
                _ => id.to_string(),
            },
            id: Some(id.to_string()),
            status: AccountStatus::Unknown,
        },
    }
}

fn secret_credential(secret: &SecretRecord, active: bool) -> Credential {
    let mut credential = Credential::new(CredentialKind::Secret);
    credential.id = Some(secret.id.clone());
    credential.created_at = secret.created;
    // Okta client secrets have no expiry: they stay valid until deactivated or deleted
    // (https://support.okta.com/help/s/article/oidc-client-secret-expiration-and-best-practices-for-rotation-in-okta).
    credential.expiry = Expiry::Never;
    // Use per secret is not recorded outside the System Log.
    credential.usage = Usage::NotLoaded;
    credential.active = active;
    credential
}

/// The public key(s) of a `private_key_jwt` client; the JWKS list is not read, so one stands for
/// all.
fn jwks_key(active: bool) -> Credential {
    let mut key = Credential::new(CredentialKind::Key);
    key.label = Some("private_key_jwt key pair (JWKS)".into());
    key.active = active;
    key
}

/// The app ID an Okta request URL (or a file name copying it) is about:
/// `…/api/v1/apps/{appId}/grants`, `…/api/v1/apps/{appId}/credentials/secrets`,
/// `apps_{appId}_grants.json`. Okta IDs are letters and digits only.
fn app_id_from(source: &str, what: &[&str]) -> Option<String> {
    let cleaned = source.replace(['\\', '_', '?', '#'], "/");
    let segments: Vec<&str> = cleaned.split('/').collect();
    segments.windows(3).find_map(|w| {
        let next = w[2].split('.').next().unwrap_or(w[2]);
        (w[0].eq_ignore_ascii_case("apps")
            && w[1].len() >= 6
            && w[1].bytes().all(|b| b.is_ascii_alphanumeric())
            && what.iter().any(|t| next.eq_ignore_ascii_case(t)))
        .then(|| w[1].to_string())
    })
}

/// The app ID in an `_links` href to the app itself (`…/api/v1/apps/{appId}`).
fn app_id_in_href(href: &str) -> Option<String> {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(2).find_map(|w| {
        (w[0].eq_ignore_ascii_case("apps")
            && w[1].len() >= 6
            && w[1].bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| w[1].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_comes_from_the_request_url() {
        assert_eq!(
            app_id_from(
                "https://acme.okta.com/api/v1/apps/0oa1svc7sync0000001/grants",
                &["grants"]
            ),
            Some("0oa1svc7sync0000001".into())
        );
        assert_eq!(
            app_id_from(
                "exports/apps_0oa1svc7sync0000001_credentials_secrets.json",
                &["credentials"]
            ),
            Some("0oa1svc7sync0000001".into())
        );
        assert_eq!(
            app_id_from("okta/apps/0oa1svc7sync0000001/grants.json", &["grants"]),
            Some("0oa1svc7sync0000001".into())
        );
        assert_eq!(app_id_from("grants.json", &["grants"]), None);
        assert_eq!(
            app_id_from("apps/0oa1svc7sync0000001/users", &["grants"]),
            None
        );
        assert_eq!(
            app_id_in_href("https://acme.okta.com/api/v1/apps/0oabskvc6442nkvQO0h7"),
            Some("0oabskvc6442nkvQO0h7".into())
        );
    }

    #[test]
    fn the_scopes_catalogue_loads_with_its_patterns() {
        use crate::model::Tier;
        let scopes = scopes();
        assert!(scopes.names().count() > 40);
        assert_eq!(scopes.classify("okta.users.manage"), (Tier::Admin, true));
        assert_eq!(
            scopes.classify("okta.users.read"),
            (Tier::SensitiveRead, true)
        );
        assert_eq!(scopes.classify("okta.groups.read"), (Tier::Read, true));
        assert_eq!(
            scopes.classify("okta.templates.manage"),
            (Tier::Write, true)
        );
        assert_eq!(
            scopes.classify("okta.userTypes.manage"),
            (Tier::Write, true)
        );
        assert_eq!(scopes.classify("okta.devices.read"), (Tier::Read, true));
        assert_eq!(
            scopes.classify("okta.authenticators.manage.self"),
            (Tier::Write, true)
        );
        assert_eq!(scopes.classify("acme.custom"), (Tier::SensitiveRead, false));
        assert!(scopes.covers("okta.users.manage", "okta.users.read"));
    }

    #[test]
    fn token_endpoint_methods_are_told_apart() {
        assert!(client_auth(Some("client_secret_basic")) == ClientAuth::Secret);
        assert!(client_auth(Some("CLIENT_SECRET_POST")) == ClientAuth::Secret);
        assert!(client_auth(Some("private_key_jwt")) == ClientAuth::Key);
        assert!(client_auth(Some("none")) == ClientAuth::None);
        assert!(client_auth(None) == ClientAuth::Unknown);
    }
}
