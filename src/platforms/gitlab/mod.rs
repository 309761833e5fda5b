//! GitLab (GitLab.com and self-managed): personal, project and group access tokens, deploy
//! tokens and keys, service accounts, and the users list that tells whether owners are active.
//!
//! Facts: `reference/platforms.md` §13. Personal access tokens, the tokens of service accounts and
//! deploy keys are joined once every input is read: a token whose user is a listed service account
//! becomes a credential of that account, and one deploy key enabled on several projects becomes one
//! identity per project, all sharing the key's fingerprint (reuse, NL701).

mod access_tokens;
mod deploy_keys;
mod deploy_tokens;
mod pages;
mod personal_access_tokens;
mod service_accounts;
mod users;

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::PlatformSpec;
use crate::ingest::{Problems, expiry};
use crate::model::{
    AccountStatus, Credential, CredentialControl, CredentialKind, Expiry, Grant, Identity, Kind,
    LastUse, Owner, OwnerSource, Ownership, Platform, Precision, Principal, Reach, Timestamp,
    Usage,
};

/// GitLab in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Gitlab,
    // A top-level group's pages (its subgroups' too) and its projects' settings.
    consoles: &[
        "https://gitlab.com/groups/{tenant}/*",
        "https://gitlab.com/{tenant}/*/-/settings/*",
    ],
    pages: pages::PAGES,
    formats: &[
        personal_access_tokens::FORMAT,
        access_tokens::FORMAT,
        deploy_tokens::FORMAT,
        deploy_keys::FORMAT,
        service_accounts::FORMAT,
        users::FORMAT,
        pages::GROUP_ACCESS_TOKENS_PAGE,
        pages::PROJECT_ACCESS_TOKENS_PAGE,
        pages::SERVICE_ACCOUNTS_PAGE,
    ],
    catalogues: &[scopes],
    self_managed: Some("gitlab.com"),
    cells: &[],
    tenant_in_page: None,
    // GitLab's own top-level paths, which no group may take as its name.
    not_tenants: &[
        "groups",
        "-",
        "admin",
        "dashboard",
        "explore",
        "users",
        "projects",
    ],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/gitlab/scopes");

/// A GitLab ID: a number in the API, sometimes quoted in exports.
use super::scalar::Id;

/// A token as the personal, project, group and service-account token lists return it: the same
/// entity (`PersonalAccessToken`), the resource lists adding `access_level` (a token page's own
/// list, its role by name instead). The `token` value,
/// returned only when a token is created or rotated, is not declared.
#[derive(Deserialize)]
struct Token {
    id: Id,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    revoked: Option<bool>,
    #[serde(default)]
    created_at: Option<String>,
    /// GitLab 17.x and later; its presence dates the instance (see [`use_precision`]).
    #[serde(default, deserialize_with = "crate::ingest::present")]
    description: Option<Option<String>>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    user_id: Option<Id>,
    /// `null` when never used; absent in responses older than GitLab 14.x.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_used_at: Option<Option<String>>,
    #[serde(default)]
    active: Option<bool>,
    /// A date (`2026-01-31`; midnight UTC is when the token stops working), or `null`.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    expires_at: Option<Option<String>>,
    /// GitLab 17.8 and later; only its presence is read.
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_used_ips: Option<Option<IgnoredAny>>,
    /// Project and group access tokens only: the role of the token's bot user.
    #[serde(default)]
    access_level: Option<i64>,
    /// The same role by name (`Maintainer`), as newer token pages write it in place of
    /// `access_level` (`ProjectAccessTokenEntity`'s `role`).
    #[serde(default)]
    role: Option<String>,
    /// Project and group access tokens, newer versions: `project` or `group`.
    #[serde(default)]
    resource_type: Option<String>,
    #[serde(default)]
    resource_id: Option<Id>,
}

/// What every token list says about one token, read into the model.
#[derive(Clone)]
struct TokenParts {
    id: String,
    name: String,
    user_id: Option<String>,
    scopes: Vec<String>,
    credential: Credential,
}

impl TokenParts {
    /// Reads a token record, reporting unreadable dates against `what` (`personal access token`).
    fn read(notes: &mut impl Problems, what: &str, token: &Token) -> Self {
        let id = token.id.to_string();
        let name = token
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("{what} {id}"));
        let label = format!("{what} {id} ({name})");
        let mut credential = Credential::new(CredentialKind::Token);
        credential.id = Some(id.clone());
        credential.label = token.name.clone().filter(|n| !n.trim().is_empty());
        credential.created_at = notes.time(&label, "created_at", token.created_at.as_deref());
        credential.expiry = expiry(notes, &label, "expires_at", token.expires_at.as_ref());
        credential.usage = last_use(
            notes,
            &label,
            token.last_used_at.as_ref(),
            use_precision(token),
        );
        // `active` is false once a token is revoked or expired; older responses lack it.
        credential.active = token.active.unwrap_or_else(|| token.revoked != Some(true));
        if token.revoked == Some(true) {
            credential.active = false;
        }
        TokenParts {
            id,
            name,
            user_id: token.user_id.as_ref().map(ToString::to_string),
            scopes: token.scopes.clone().unwrap_or_default(),
            credential,
        }
    }
}

/// How exact `last_used_at` is. GitLab writes it at most once per window: every 24 hours up to
/// GitLab 16.0, every 10 minutes from 16.1. A response carrying fields added later than 16.1
/// (`description`, `last_used_ips`) comes from a 10-minute instance; otherwise the version is
/// unknown and the day-long window is the honest bound.
fn use_precision(token: &Token) -> Precision {
    if token.description.is_some() || token.last_used_ips.is_some() {
        Precision::WindowMinutes(10)
    } else {
        Precision::WindowMinutes(24 * 60)
    }
}

/// Last use from `last_used_at`: absent means the response predates the field (not loaded),
/// `null` means never used.
fn last_use(
    notes: &mut impl Problems,
    record: &str,
    value: Option<&Option<String>>,
    precision: Precision,
) -> Usage {
    match value {
        None => Usage::NotLoaded,
        Some(None) => Usage::Never {
            source: "last_used_at is null".into(),
        },
        Some(Some(text)) if text.trim().is_empty() => Usage::Never {
            source: "last_used_at is empty".into(),
        },
        Some(Some(text)) => match notes.time(record, "last_used_at", Some(text)) {
            Some(at) => Usage::Used(LastUse {
                at,
                source: "last_used_at".into(),
                precision,
            }),
            None => Usage::NotLoaded,
        },
    }
}

/// A scope as a grant, tiered by the catalogue.
fn scope_grant(scope: &str, resource: Option<&str>, granted_at: Option<Timestamp>) -> Grant {
    let (tier, classified) = scopes().classify(scope);
    let mut grant = Grant::new(scope, tier, classified);
    grant.resource = resource.map(str::to_string);
    grant.granted_at = granted_at;
    grant
}

/// The access level of a role GitLab names (`Maintainer` is 40).
fn role_level(role: &str) -> Option<i64> {
    Some(match role.trim().to_ascii_lowercase().as_str() {
        "minimal access" => 5,
        "guest" => 10,
        "planner" => 15,
        "reporter" => 20,
        "developer" => 30,
        "maintainer" => 40,
        "owner" => 50,
        _ => return None,
    })
}

/// The role a project or group access token's bot user holds, as a grant
/// (`access level maintainer (40)`).
fn access_level_grant(level: i64, resource: Option<&str>, granted_at: Option<Timestamp>) -> Grant {
    let role = match level {
        5 => Some("minimal access"),
        10 => Some("guest"),
        15 => Some("planner"),
        20 => Some("reporter"),
        30 => Some("developer"),
        40 => Some("maintainer"),
        50 => Some("owner"),
        _ => None,
    };
    let name = match role {
        Some(role) => format!("access level {role} ({level})"),
        None => format!("access level {level}"),
    };
    scope_grant(&name, resource, granted_at)
}

/// Scopes that reach only the token's own user profile, or nothing at all.
const PROFILE_SCOPES: &[&str] = &[
    "read_user",
    "openid",
    "profile",
    "email",
    "self_rotate",
    "read_service_ping",
];

/// How far a token of a user (a person or a service account) reaches: "all groups and projects
/// available to the user", unless its scopes touch only the user's own profile.
fn user_reach(scopes: &[String]) -> Reach {
    if scopes.is_empty() {
        Reach::Unknown
    } else if scopes
        .iter()
        .all(|s| PROFILE_SCOPES.contains(&s.to_ascii_lowercase().as_str()))
    {
        Reach::None
    } else {
        Reach::All
    }
}

/// The owner named by a token's `user_id`. Its name and status come from a users list, when one
/// is given (the directory resolves them).
fn user_owner(user_id: &str) -> Owner {
    Owner {
        who: Principal {
            name: user_id.to_string(),
            id: Some(user_id.to_string()),
            status: AccountStatus::Unknown,
        },
        source: OwnerSource::Explicit,
        basis: "user_id".into(),
    }
}

/// Whether a list belongs to a project or a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Namespace {
    Project,
    Group,
}

/// The project or group a list was requested for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Resource {
    namespace: Namespace,
    /// A numeric ID or a full path (`acme/platform/web`).
    id: String,
}

impl Resource {
    fn numeric(&self) -> bool {
        !self.id.is_empty() && self.id.bytes().all(|b| b.is_ascii_digit())
    }

    /// `project acme/web`, `group acme`.
    fn label(&self) -> String {
        match self.namespace {
            Namespace::Project => format!("project {}", self.id),
            Namespace::Group => format!("group {}", self.id),
        }
    }

    /// How far a token of this project or group reaches. A project token reaches its project; a
    /// group token "the subgroups and projects in its group": everything when the group is a
    /// top-level group (the organisation on GitLab.com), a part of it for a subgroup, and unknown
    /// when the group is named only by a number.
    fn reach(&self) -> Reach {
        match self.namespace {
            Namespace::Project => Reach::Selected,
            Namespace::Group if self.numeric() => Reach::Unknown,
            Namespace::Group if self.id.contains('/') => Reach::Selected,
            Namespace::Group => Reach::All,
        }
    }
}

/// The project or group a settings page's URL (or its `.json` twin) names, on a GitLab served
/// under `url_root` (see [`crate::ingest::Input::url_root`]): `…/groups/acme/sub/-/settings/…` is
/// the group `acme/sub`, `…/acme/web/-/settings/…` the project `acme/web`; under `/gitlab`,
/// `…/gitlab/acme/web/-/settings/…` is `acme/web` too. A URL not under the root names none.
fn settings_page_resource(url: &str, url_root: &str) -> Option<Resource> {
    let path = url.split_once("://")?.1.split_once('/')?.1;
    // The root as the tenant key wrote it, in lower case; the URL as the server does.
    let root = url_root.trim_start_matches('/');
    let path = match root {
        "" => path,
        root => path
            .get(..root.len())
            .filter(|head| head.eq_ignore_ascii_case(root))
            .and_then(|_| path[root.len()..].strip_prefix('/'))?,
    };
    let path = path.split(['?', '#']).next()?.split("/-/").next()?;
    let (namespace, id) = match path.strip_prefix("groups/") {
        Some(group) => (Namespace::Group, group),
        None => (Namespace::Project, path),
    };
    (!id.is_empty()).then(|| Resource {
        namespace,
        id: id.trim_end_matches('/').to_string(),
    })
}

/// The project or group a list was requested for, from the request URL the extension passes as
/// the source, a folder path copying it, or a flat file name:
/// `…/api/v4/projects/acme%2Fweb/access_tokens?page=2`, `groups/acme/deploy_tokens.json`,
/// `projects/acme/web/deploy_keys.json`, `projects_42_deploy_keys.json`, or a settings page's
/// own list (see [`settings_page_resource`], under `url_root`). `endpoint` is the last path
/// segment of the request (`access_tokens`).
fn resource_from_source(source: &str, endpoint: &str, url_root: &str) -> Option<Resource> {
    // A settings page's own list (`…/-/settings/access_tokens.json`, as its table pages through
    // it) names its project or group as the page does.
    if source.contains("/-/settings/") {
        return settings_page_resource(source, url_root);
    }
    let cleaned = source.replace('\\', "/");
    let path = cleaned.split(['?', '#']).next().unwrap_or(&cleaned);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_endpoint = |segment: &str| {
        segment.strip_prefix(endpoint).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric())
        })
    };
    let namespace_of = |segment: &str| match segment.to_ascii_lowercase().as_str() {
        "projects" => Some(Namespace::Project),
        "groups" => Some(Namespace::Group),
        _ => None,
    };
    if let Some(end) = segments.iter().position(|s| is_endpoint(s))
        && let Some(start) = segments[..end]
            .iter()
            .rposition(|s| namespace_of(s).is_some())
        && start + 1 < end
    {
        let namespace = namespace_of(segments[start])?;
        let id = percent_decode(&segments[start + 1..end].join("/"));
        return Some(Resource { namespace, id });
    }
    // A flat file name: `projects_42_access_tokens.json`, `groups_acme%2Fops_deploy_tokens.json`.
    let file = segments.last()?;
    for (prefix, namespace) in [
        ("projects_", Namespace::Project),
        ("groups_", Namespace::Group),
    ] {
        let Some(rest) = file.strip_prefix(prefix) else {
            continue;
        };
        let marker = format!("_{endpoint}");
        let Some(at) = rest.find(&marker) else {
            continue;
        };
        let id = percent_decode(&rest[..at]);
        if !id.is_empty() {
            return Some(Resource { namespace, id });
        }
    }
    None
}

/// Decodes `%XX` escapes (`acme%2Fweb` → `acme/web`); anything malformed is kept as written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

// ------------------------------------------------------------------------------------------------
// The join
// ------------------------------------------------------------------------------------------------

/// A personal access token as read, waiting to learn whose it is.
#[derive(Clone)]
struct TokenRecord {
    parts: TokenParts,
    source: Arc<str>,
}

/// A service account as read.
#[derive(Clone)]
struct AccountRecord {
    user_id: String,
    username: Option<String>,
    name: Option<String>,
    /// The group that provisioned it; `None` for instance service accounts.
    group: Option<String>,
    source: Arc<str>,
}

/// What a users list says of one user.
#[derive(Clone)]
struct UserRecord {
    status: AccountStatus,
    bot: bool,
    /// Administrators see when the account was made.
    created_at: Option<Timestamp>,
}

/// A project a deploy key is enabled on, as one input names it.
#[derive(Clone, Debug, Default)]
struct ProjectRef {
    id: Option<String>,
    path: Option<String>,
}

/// A deploy key as one input shows it.
#[derive(Clone)]
struct DeployKeyRecord {
    key_id: String,
    title: Option<String>,
    fingerprint: Option<String>,
    created_at: Option<Timestamp>,
    expiry: Expiry,
    usage: Usage,
    /// The projects it is enabled on, each with whether it can push (`None`: not said).
    projects: Vec<(ProjectRef, Option<bool>)>,
    /// The record says which projects it is on (the instance list's project lists, or a project
    /// list): with none, it is on no project at all.
    projects_known: bool,
    /// `can_push` of a project list read without knowing the project.
    can_push: Option<bool>,
    source: Arc<str>,
}

/// GitLab records joined across inputs; assembled once every input is read.
#[derive(Clone, Default)]
pub struct Join {
    tokens: Vec<TokenRecord>,
    /// Token IDs read from project and group access token lists: the same tokens appear in an
    /// administrator's personal access token list as tokens of bot users.
    resource_tokens: FxHashSet<String>,
    accounts: Vec<AccountRecord>,
    users: FxHashMap<String, UserRecord>,
    deploy_keys: Vec<DeployKeyRecord>,
}

crate::platforms::absorb!(Join {
    tokens,
    resource_tokens,
    accounts,
    users,
    deploy_keys
});

impl Join {
    /// Assembles the joined identities.
    pub fn finish(self, out: &mut Vec<Identity>) {
        let Join {
            tokens,
            resource_tokens,
            accounts,
            users,
            deploy_keys,
        } = self;

        // Service accounts, one per user ID (the group and instance lists may both name one).
        let mut account_at: FxHashMap<String, usize> = FxHashMap::default();
        let mut account_identities: Vec<Identity> = Vec::new();
        for account in &accounts {
            if let Some(&at) = account_at.get(&account.user_id) {
                let identity: &mut Identity = &mut account_identities[at];
                if !identity.sources.contains(&account.source) {
                    identity.sources.push(account.source.clone());
                }
                continue;
            }
            account_at.insert(account.user_id.clone(), account_identities.len());
            account_identities.push(service_account(account, users.get(&account.user_id)));
        }

        for record in tokens {
            if resource_tokens.contains(&record.parts.id) {
                continue;
            }
            let user = record.parts.user_id.clone().unwrap_or_default();
            if let Some(&at) = account_at.get(&user) {
                add_account_token(&mut account_identities[at], record);
            } else if users.get(&user).is_some_and(|u| u.bot) {
                out.push(bot_token(record));
            } else {
                out.push(user_token(record));
            }
        }

        for mut identity in account_identities {
            finish_account(&mut identity);
            out.push(identity);
        }

        deploy_keys::assemble(deploy_keys, out);
    }
}

/// A person's personal access token.
fn user_token(record: TokenRecord) -> Identity {
    let TokenRecord { parts, source } = record;
    let mut identity = Identity::new(
        Platform::Gitlab,
        Kind::UserToken,
        &parts.id,
        parts.name.clone(),
    );
    identity.ownership = match parts.user_id.as_deref().filter(|u| !u.is_empty()) {
        Some(user) => Ownership::Known(vec![user_owner(user)]),
        None => Ownership::Missing,
    };
    fill_token_identity(&mut identity, parts, user_reach);
    identity.sources.push(source);
    identity
}

/// A personal access token of a bot user that no list names as a service account: a project or
/// group access token read from the administrator's list (which lacks its role and resource), or
/// a service account's token. Bots have no human owner field.
fn bot_token(record: TokenRecord) -> Identity {
    let TokenRecord { parts, source } = record;
    let mut identity = Identity::new(
        Platform::Gitlab,
        Kind::ApiToken,
        &parts.id,
        parts.name.clone(),
    );
    identity.ownership = Ownership::NotRecorded;
    if let Some(user) = &parts.user_id {
        identity.location = Some(format!("bot user {user}"));
    }
    // A bot reaches what its memberships reach, which the token list does not say.
    fill_token_identity(&mut identity, parts, |_| Reach::Unknown);
    identity.sources.push(source);
    identity
}

/// Fills a one-token identity from its token.
fn fill_token_identity(identity: &mut Identity, parts: TokenParts, reach: fn(&[String]) -> Reach) {
    let TokenParts {
        scopes, credential, ..
    } = parts;
    identity.created_at = credential.created_at;
    identity.usage = credential.usage.clone();
    identity.enabled = credential.active;
    identity.reach = reach(&scopes);
    for scope in &scopes {
        identity
            .grants
            .push(scope_grant(scope, None, credential.created_at));
    }
    identity.credentials.push(credential);
    identity.credential_control = CredentialControl::CUSTOMER;
}

/// A service account, before its tokens are added.
fn service_account(account: &AccountRecord, user: Option<&UserRecord>) -> Identity {
    let name = account
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| account.username.clone().filter(|n| !n.trim().is_empty()))
        .unwrap_or_else(|| format!("service account {}", account.user_id));
    let mut identity = Identity::new(
        Platform::Gitlab,
        Kind::ServiceAccount,
        &account.user_id,
        name,
    );
    identity.location = account.group.as_ref().map(|g| format!("group {g}"));
    // Service accounts belong to a group or the instance; GitLab has no owner field for them.
    identity.ownership = Ownership::NotRecorded;
    identity.enabled = user.is_none_or(|u| u.status != AccountStatus::Disabled);
    // The service account lists do not say when an account was made; a users list does.
    identity.created_at = user.and_then(|u| u.created_at);
    identity.credential_control = CredentialControl::CUSTOMER;
    identity.sources.push(account.source.clone());
    identity
}

/// Adds a service account's token as a credential, and its scopes as grants while it is active.
fn add_account_token(identity: &mut Identity, record: TokenRecord) {
    let TokenRecord { parts, source } = record;
    if !identity.sources.contains(&source) {
        identity.sources.push(source);
    }
    if identity
        .credentials
        .iter()
        .any(|c| c.id.as_deref() == Some(parts.id.as_str()))
    {
        return;
    }
    if parts.credential.active {
        for scope in &parts.scopes {
            match identity
                .grants
                .iter_mut()
                .find(|g| g.name.eq_ignore_ascii_case(scope))
            {
                Some(grant) => {
                    if let Some(at) = parts.credential.created_at
                        && grant.granted_at.is_none_or(|g| at < g)
                    {
                        grant.granted_at = Some(at);
                    }
                }
                None => identity
                    .grants
                    .push(scope_grant(scope, None, parts.credential.created_at)),
            }
        }
    }
    identity.credentials.push(parts.credential);
}

/// Usage, reach and creation of a service account from its tokens.
fn finish_account(identity: &mut Identity) {
    if identity.credentials.is_empty() {
        // No token list for this account was given.
        identity.usage = Usage::NotLoaded;
        return;
    }
    let mut usage = Usage::NotRecorded;
    for c in &identity.credentials {
        usage.combine(c.usage.clone());
    }
    identity.usage = usage;
    let live_scopes: Vec<String> = identity.grants.iter().map(|g| g.name.clone()).collect();
    identity.reach = if live_scopes.is_empty() {
        Reach::None
    } else {
        user_reach(&live_scopes)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn the_catalogue_tiers_scopes_and_roles() {
        let tier = |s: &str| scopes().classify(s);
        assert_eq!(tier("api"), (Tier::Admin, true));
        assert_eq!(tier("write_repository"), (Tier::Write, true));
        assert_eq!(tier("read_api"), (Tier::SensitiveRead, true));
        assert_eq!(tier("read_user"), (Tier::Read, true));
        assert_eq!(tier("brand_new"), (Tier::SensitiveRead, false));
        assert_eq!(access_level_grant(50, None, None).tier, Tier::Admin);
        assert_eq!(access_level_grant(40, None, None).tier, Tier::Write);
        assert_eq!(access_level_grant(30, None, None).tier, Tier::Write);
        assert_eq!(access_level_grant(20, None, None).tier, Tier::SensitiveRead);
        assert_eq!(access_level_grant(10, None, None).tier, Tier::Read);
        let odd = access_level_grant(60, None, None);
        assert_eq!(
            (odd.name.as_str(), odd.classified),
            ("access level 60", false)
        );
        assert!(scopes().covers("api", "read_repository"));
        assert!(scopes().covers("write_registry", "read_registry"));
        assert!(scopes().covers("access level owner (50)", "access level guest (10)"));
        assert!(!scopes().covers("read_api", "api"));
    }

    #[test]
    fn resources_come_from_request_urls_and_file_names() {
        let project = |id: &str| {
            Some(Resource {
                namespace: Namespace::Project,
                id: id.into(),
            })
        };
        let group = |id: &str| {
            Some(Resource {
                namespace: Namespace::Group,
                id: id.into(),
            })
        };
        assert_eq!(
            resource_from_source(
                "https://gitlab.com/api/v4/projects/acme%2Fweb/access_tokens?page=2",
                "access_tokens",
                ""
            ),
            project("acme/web")
        );
        assert_eq!(
            resource_from_source(
                "exports/groups/acme/platform/deploy_tokens.json",
                "deploy_tokens",
                ""
            ),
            group("acme/platform")
        );
        assert_eq!(
            resource_from_source(
                "C:\\x\\projects_42_deploy_keys_page2.json",
                "deploy_keys",
                ""
            ),
            project("42")
        );
        assert_eq!(
            resource_from_source(
                "https://gitlab.example.com/api/v4/deploy_keys",
                "deploy_keys",
                ""
            ),
            None
        );
        assert_eq!(
            resource_from_source("/api/v4/personal_access_tokens", "access_tokens", ""),
            None,
            "personal_access_tokens is not access_tokens"
        );
        // A settings page's list, on gitlab.com and on an instance under a relative URL root.
        let list = "https://gitlab.com/acme/web/-/settings/access_tokens.json?page=2";
        assert_eq!(
            resource_from_source(list, "access_tokens", ""),
            project("acme/web")
        );
        let under =
            "https://code.corp.example/GitLab/groups/acme/sub/-/settings/access_tokens.json";
        assert_eq!(
            resource_from_source(under, "access_tokens", "/gitlab"),
            group("acme/sub")
        );
        assert_eq!(
            resource_from_source(
                "https://code.corp.example/gitlab/acme/web/-/settings/access_tokens.json",
                "access_tokens",
                "/gitlab"
            ),
            project("acme/web")
        );
        // Read without its root, the root would be taken for a namespace; outside it, nothing.
        assert_eq!(
            resource_from_source(under, "access_tokens", ""),
            project("GitLab/groups/acme/sub")
        );
        assert_eq!(
            resource_from_source(
                &under.replace("/GitLab", "/gitlabs"),
                "access_tokens",
                "/gitlab"
            ),
            None
        );
        assert_eq!(
            resource_from_source("access_tokens.json", "access_tokens", ""),
            None
        );
    }

    #[test]
    fn group_reach_depends_on_the_group() {
        let reach = |namespace, id: &str| {
            Resource {
                namespace,
                id: id.into(),
            }
            .reach()
        };
        assert_eq!(reach(Namespace::Group, "acme"), Reach::All);
        assert_eq!(reach(Namespace::Group, "acme/ops"), Reach::Selected);
        assert_eq!(reach(Namespace::Group, "42"), Reach::Unknown);
        assert_eq!(reach(Namespace::Project, "acme/web"), Reach::Selected);
    }

    #[test]
    fn percent_escapes_are_decoded_and_bad_ones_kept() {
        assert_eq!(percent_decode("acme%2Fweb"), "acme/web");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%2f"), "%zz/");
    }

    #[test]
    fn profile_scopes_reach_nothing_else() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(user_reach(&s(&["read_user"])), Reach::None);
        assert_eq!(user_reach(&s(&["read_user", "read_api"])), Reach::All);
        assert_eq!(user_reach(&[]), Reach::Unknown);
    }
}
