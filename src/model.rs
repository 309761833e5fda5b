//! The normalized model every platform parser produces and every rule reads.
//!
//! Rules never see platform JSON: whatever a console or an export calls a thing, it arrives here as
//! an [`Identity`] with its owners, credentials, grants and usage, each with where it came from.
//! No secret value is ever stored in these types: parsers drop token, secret, key-material and
//! password fields while reading.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A point in time, always UTC in reports.
pub type Timestamp = OffsetDateTime;

/// The SaaS platforms NHI Lens knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Github,
    Gitlab,
    Entra,
    Google,
    Slack,
    Okta,
    Salesforce,
    Atlassian,
    Aws,
    Snowflake,
}

impl Platform {
    /// Every platform, in the order reports list them.
    pub const ALL: [Platform; 10] = [
        Platform::Github,
        Platform::Gitlab,
        Platform::Entra,
        Platform::Google,
        Platform::Slack,
        Platform::Okta,
        Platform::Salesforce,
        Platform::Atlassian,
        Platform::Aws,
        Platform::Snowflake,
    ];

    /// The identifier used in IDs and in the JSON report (`github`, `entra`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Github => "github",
            Platform::Gitlab => "gitlab",
            Platform::Entra => "entra",
            Platform::Google => "google",
            Platform::Slack => "slack",
            Platform::Okta => "okta",
            Platform::Salesforce => "salesforce",
            Platform::Atlassian => "atlassian",
            Platform::Aws => "aws",
            Platform::Snowflake => "snowflake",
        }
    }

    /// The name an admin knows the platform by.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Github => "GitHub",
            Platform::Gitlab => "GitLab",
            Platform::Entra => "Microsoft Entra",
            Platform::Google => "Google",
            Platform::Slack => "Slack",
            Platform::Okta => "Okta",
            Platform::Salesforce => "Salesforce",
            Platform::Atlassian => "Atlassian",
            Platform::Aws => "AWS IAM",
            Platform::Snowflake => "Snowflake",
        }
    }
}

/// What sort of identity a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    GithubApp,
    OauthApp,
    ServicePrincipal,
    ServiceAccount,
    ApiToken,
    AccessKey,
    DeployKey,
    Webhook,
    Bot,
    ServiceUser,
    UserToken,
    /// An SSH key a person authorized for automation-capable access (GitHub SSO authorizations).
    SshKey,
    /// A secret stored for CI/CD pipelines (GitHub Actions secrets).
    CiSecret,
    /// A person's account: counted and listed, scored only for signs of service use.
    User,
    /// A role workloads (or people) assume for short-lived credentials (AWS IAM roles).
    Role,
}

impl Kind {
    /// The identifier used in IDs and in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::GithubApp => "github_app",
            Kind::OauthApp => "oauth_app",
            Kind::ServicePrincipal => "service_principal",
            Kind::ServiceAccount => "service_account",
            Kind::ApiToken => "api_token",
            Kind::AccessKey => "access_key",
            Kind::DeployKey => "deploy_key",
            Kind::Webhook => "webhook",
            Kind::Bot => "bot",
            Kind::ServiceUser => "service_user",
            Kind::UserToken => "user_token",
            Kind::SshKey => "ssh_key",
            Kind::CiSecret => "ci_secret",
            Kind::User => "user",
            Kind::Role => "role",
        }
    }

    /// A short label for tables ("GitHub App", "deploy key").
    pub fn label(self) -> &'static str {
        match self {
            Kind::GithubApp => "GitHub App",
            Kind::OauthApp => "OAuth app",
            Kind::ServicePrincipal => "app / service principal",
            Kind::ServiceAccount => "service account",
            Kind::ApiToken => "API token",
            Kind::AccessKey => "access key",
            Kind::DeployKey => "deploy key",
            Kind::Webhook => "webhook",
            Kind::Bot => "bot",
            Kind::ServiceUser => "service user",
            Kind::UserToken => "user token",
            Kind::SshKey => "SSH key",
            Kind::CiSecret => "CI/CD secret",
            Kind::User => "person",
            Kind::Role => "role",
        }
    }
}

/// Whether an account's holder is still around.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// Disabled, suspended, deleted or otherwise gone.
    Disabled,
    #[default]
    Unknown,
}

impl AccountStatus {
    /// The label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
            AccountStatus::Unknown => "unknown",
        }
    }
}

/// A person, team or account named by the data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// What the data calls them (login, UPN, display name, team).
    pub name: String,
    /// A stable ID when the data has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub status: AccountStatus,
}

impl Principal {
    /// A principal known only by name, status unknown.
    pub fn named(name: impl Into<String>) -> Self {
        Principal {
            name: name.into(),
            id: None,
            status: AccountStatus::Unknown,
        }
    }
}

/// How an owner was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerSource {
    /// The platform records this owner (Entra owners, a PAT's owner, `added_by`).
    Explicit,
    /// Derived from something close to ownership (the creator of an API token's session).
    Inferred,
    /// Assigned by the policy's owner map.
    Policy,
    /// The platform vendor itself owns it (Microsoft's first-party apps).
    Vendor,
    /// Named for this one identity by an admin in NHI Lens (the side panel's "assign owner").
    Assigned,
}

impl OwnerSource {
    /// The label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerSource::Explicit => "explicit",
            OwnerSource::Inferred => "inferred",
            OwnerSource::Policy => "policy",
            OwnerSource::Vendor => "vendor",
            OwnerSource::Assigned => "assigned",
        }
    }
}

/// An owner of an identity, with how we know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    #[serde(flatten)]
    pub who: Principal,
    pub source: OwnerSource,
    /// The field or rule the owner came from, for the admin reading the evidence.
    pub basis: String,
}

/// What the data says about ownership. Missing data is not a finding against the admin, so
/// "the platform records none" and "this export did not include owners" are kept apart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "owners", rename_all = "snake_case")]
pub enum Ownership {
    /// One or more owners are known.
    Known(Vec<Owner>),
    /// The platform can record an owner, and none is recorded.
    Missing,
    /// The platform can record an owner, but the data given did not include it.
    #[default]
    NotLoaded,
    /// The platform has no owner field for this kind of identity.
    NotRecorded,
}

impl Ownership {
    /// The owners, empty unless known.
    pub fn owners(&self) -> &[Owner] {
        match self {
            Ownership::Known(owners) => owners,
            _ => &[],
        }
    }

    /// The owner to show first: an active one if any.
    pub fn primary(&self) -> Option<&Owner> {
        let owners = self.owners();
        owners
            .iter()
            .find(|o| o.who.status == AccountStatus::Active)
            .or_else(|| owners.first())
    }

    /// Adds an owner, turning any "unknown" state into `Known`.
    pub fn add(&mut self, owner: Owner) {
        match self {
            Ownership::Known(owners) => {
                if !owners.iter().any(|o| same_principal(&o.who, &owner.who)) {
                    owners.push(owner);
                }
            }
            _ => *self = Ownership::Known(vec![owner]),
        }
    }

    /// The state as reports write it (`owner_state`): `known`, `missing`, `not_loaded` or
    /// `not_recorded`.
    pub fn state(&self) -> &'static str {
        match self {
            Ownership::Known(_) => "known",
            Ownership::Missing => "missing",
            Ownership::NotLoaded => "not_loaded",
            Ownership::NotRecorded => "not_recorded",
        }
    }
}

/// What the detail views say of an identity whose permissions no reading showed
/// ([`Identity::grants_unread`]); its badge says "permissions not read".
pub const GRANTS_UNREAD_NOTE: &str = concat!(
    "not read: no page read shows them, so its risk leaves privilege out until one that does ",
    "is read"
);

/// Why an identity shows no owner, from its ownership `state` (as [`Ownership::state`] writes it),
/// in the words the badges, the side panel and the reports all use: a person's own account has no
/// owner to record.
pub fn unowned_label(state: &str, human: bool) -> &'static str {
    match state {
        _ if human => "person",
        "not_loaded" => "owner not loaded",
        "not_recorded" => "owner not recorded",
        _ => "no owner",
    }
}

fn same_principal(a: &Principal, b: &Principal) -> bool {
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => x == y,
        _ => a.name.eq_ignore_ascii_case(&b.name),
    }
}

/// How exact a "last used" time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// As recorded by the platform.
    Exact,
    /// The platform records the first use in each window of this many minutes (AWS: 15).
    WindowMinutes(u16),
    /// The platform's data lags by up to this many days (Google: 1–2).
    LagDays(u16),
    /// Derived from another field, not recorded directly (Okta: rolling expiry minus idle window).
    Derived,
    /// Shown by the console in whole days before the page was read ("12 days ago"): right to the
    /// day, not the hour.
    WholeDays,
}

/// A recorded use, with where the time came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastUse {
    #[serde(with = "crate::timestamp::rfc3339")]
    pub at: Timestamp,
    /// The field or report the time came from.
    pub source: String,
    pub precision: Precision,
}

/// What the data says about when something was last used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Usage {
    /// The platform does not record use for this kind of thing.
    NotRecorded,
    /// The platform records use, but the data given did not include it.
    #[default]
    NotLoaded,
    /// The platform records use and there has been none.
    Never {
        /// The field that says so.
        source: String,
    },
    /// Last used at this time.
    Used(LastUse),
}

impl Usage {
    /// The last-use time, if any.
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            Usage::Used(u) => Some(u.at),
            _ => None,
        }
    }

    /// Whether the data can tell use from non-use.
    pub fn is_tracked(&self) -> bool {
        matches!(self, Usage::Never { .. } | Usage::Used(_))
    }

    /// Combines the use of two credentials into the use of the identity holding both: the more
    /// recent use wins; otherwise not knowing ("not loaded") beats "never", which beats "not
    /// recorded", so an identity is only "never used" when every credential says so. Start from
    /// [`Usage::NotRecorded`].
    pub fn combine(&mut self, other: Usage) {
        self.replace_if(other, |u| match u {
            Usage::Used(_) => 3,
            Usage::NotLoaded => 2,
            Usage::Never { .. } => 1,
            Usage::NotRecorded => 0,
        });
    }

    /// Merges two observations of the same thing (one app captured twice): the more recent use
    /// wins; otherwise the more informative observation does.
    pub fn merge(&mut self, other: Usage) {
        self.replace_if(other, |u| match u {
            Usage::Used(_) => 3,
            Usage::Never { .. } => 2,
            Usage::NotLoaded => 1,
            Usage::NotRecorded => 0,
        });
    }

    fn replace_if(&mut self, other: Usage, rank: impl Fn(&Usage) -> u8) {
        let replace = match (&*self, &other) {
            (Usage::Used(a), Usage::Used(b)) => b.at > a.at,
            (a, b) => rank(b) > rank(a),
        };
        if replace {
            *self = other;
        }
    }
}

/// What sort of credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A shared secret: client secret, webhook secret, CI/CD secret value.
    Secret,
    /// An X.509 certificate (private key held by the workload).
    Certificate,
    /// A key pair or access key (SSH deploy key, AWS access key, service-account key).
    Key,
    /// A password for interactive sign-in.
    Password,
    /// A bearer token (PAT, API token).
    Token,
    /// A federated credential: no stored secret at all.
    Federated,
}

impl CredentialKind {
    /// Whether the credential is a stored secret an attacker can copy and reuse.
    pub fn is_static_secret(self) -> bool {
        !matches!(self, CredentialKind::Federated)
    }

    /// The label used in evidence.
    pub fn label(self) -> &'static str {
        match self {
            CredentialKind::Secret => "secret",
            CredentialKind::Certificate => "certificate",
            CredentialKind::Key => "key",
            CredentialKind::Password => "password",
            CredentialKind::Token => "token",
            CredentialKind::Federated => "federated credential",
        }
    }
}

/// When a credential stops working.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Expiry {
    /// The data does not say.
    #[default]
    Unknown,
    /// It never expires (the platform has no expiry, or none was set).
    Never,
    /// A fixed end.
    #[serde(rename = "at")]
    At {
        #[serde(with = "crate::timestamp::rfc3339")]
        at: Timestamp,
    },
    /// It expires after this many idle days and renews on use (Okta API tokens).
    Idle {
        #[serde(with = "crate::timestamp::rfc3339")]
        at: Timestamp,
        days: u32,
    },
}

impl Expiry {
    /// The time it stops working, if it has one.
    pub fn at(self) -> Option<Timestamp> {
        match self {
            Expiry::At { at } | Expiry::Idle { at, .. } => Some(at),
            _ => None,
        }
    }
}

/// Who holds the power to rotate or revoke a credential.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Controller {
    Customer,
    Vendor,
    Both,
    #[default]
    Unknown,
}

/// Who can rotate and who can revoke an identity's credentials. A vendor-managed connector's
/// secret is held by the vendor: the customer can only revoke the grant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialControl {
    pub rotate: Controller,
    pub revoke: Controller,
}

impl CredentialControl {
    /// The customer holds the credential and can do both.
    pub const CUSTOMER: CredentialControl = CredentialControl {
        rotate: Controller::Customer,
        revoke: Controller::Customer,
    };
}

/// One credential of an identity. Never holds the secret itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub kind: CredentialKind,
    /// The platform's ID for the credential (key ID, token ID), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A label the admin recognizes (display name, hint, key slot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// When it was created or last rotated.
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub expiry: Expiry,
    #[serde(default)]
    pub usage: Usage,
    /// Inactive or disabled credentials cannot authenticate.
    pub active: bool,
    /// A non-secret fingerprint (certificate thumbprint, SSH key SHA256) to spot reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The person it was issued to, when one identity holds credentials of several people
    /// (a Salesforce connected app has one refresh token per authorizing user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

impl Credential {
    /// A new active credential with nothing else known.
    pub fn new(kind: CredentialKind) -> Self {
        Credential {
            kind,
            id: None,
            label: None,
            created_at: None,
            expiry: Expiry::Unknown,
            usage: Usage::NotLoaded,
            active: true,
            fingerprint: None,
            holder: None,
        }
    }

    /// How the credential is named in evidence: `secret "prod"`, `key access_key_1`.
    pub fn name(&self) -> CredentialName<'_> {
        CredentialName(self)
    }
}

/// A credential's name in evidence, written without allocating.
pub struct CredentialName<'a>(&'a Credential);

impl std::fmt::Display for CredentialName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = self.0;
        match (&c.label, &c.id) {
            (Some(label), _) => write!(f, "{} \"{}\"", c.kind.label(), label),
            (None, Some(id)) => write!(f, "{} {}", c.kind.label(), id),
            (None, None) => f.write_str(c.kind.label()),
        }
    }
}

/// Privilege tiers, lowest first, as defined in `reference/platforms.md` §10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Basic profile or metadata.
    Read,
    /// Reads content or personal data at scale. Unknown scopes count here.
    SensitiveRead,
    /// Modifies, deletes or sends business data.
    Write,
    /// Changes identity, permission or configuration, or mints credentials.
    Admin,
}

impl Tier {
    /// The label used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Read => "read",
            Tier::SensitiveRead => "sensitive-read",
            Tier::Write => "write",
            Tier::Admin => "admin",
        }
    }
}

/// How a permission reached the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "GrantViaWire")]
pub enum GrantVia {
    /// Application permission: acts as itself, no user present.
    Application,
    /// Delegated permission: acts on behalf of a signed-in user.
    Delegated {
        /// Admin consent on behalf of every user in the tenant.
        all_users: bool,
    },
    /// Permission of an installed app or a token.
    Direct,
    /// Domain-wide delegation: the client may act as any user of the domain (Google Workspace).
    DomainWide,
}

/// [`GrantVia`] as read from JSON: a flat record rather than serde's internally tagged reading,
/// which buffers the object first (see `protocol/wire.rs`).
#[derive(Deserialize)]
struct GrantViaWire {
    #[serde(rename = "type")]
    kind: GrantViaType,
    all_users: Option<bool>,
}

/// [`GrantVia`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum GrantViaType {
    Application,
    Delegated,
    Direct,
    DomainWide,
}

impl TryFrom<GrantViaWire> for GrantVia {
    type Error = &'static str;

    fn try_from(w: GrantViaWire) -> Result<Self, Self::Error> {
        Ok(match w.kind {
            GrantViaType::Application => GrantVia::Application,
            GrantViaType::Delegated => GrantVia::Delegated {
                all_users: w.all_users.ok_or("missing field `all_users`")?,
            },
            GrantViaType::Direct => GrantVia::Direct,
            GrantViaType::DomainWide => GrantVia::DomainWide,
        })
    }
}

/// A scope, permission or role the identity holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The permission as the platform names it (`Mail.Read`, `contents:write`, `repo`).
    pub name: String,
    /// The API or resource it applies to, when that matters (`Microsoft Graph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub tier: Tier,
    /// False when the permission is not in our catalogue: it then counts as sensitive-read.
    pub classified: bool,
    pub via: GrantVia,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    pub granted_at: Option<Timestamp>,
    /// The platform itself marks this permission as sensitive (Slack's `is_sensitive`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flagged_sensitive: bool,
}

impl Grant {
    /// A direct grant with nothing else known.
    pub fn new(name: impl Into<String>, tier: Tier, classified: bool) -> Self {
        Grant {
            name: name.into(),
            resource: None,
            tier,
            classified,
            via: GrantVia::Direct,
            granted_at: None,
            flagged_sensitive: false,
        }
    }
}

/// How far a grant reaches inside the tenant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    #[default]
    Unknown,
    /// Every repository / resource of the organisation, present and future.
    All,
    /// Chosen resources only.
    Selected,
    /// No resources.
    None,
}

/// Whose code it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The platform vendor's own app (Microsoft's service principals).
    FirstParty,
    /// The organisation's own.
    Internal,
    /// Someone else's.
    ThirdParty,
    #[default]
    Unknown,
}

/// Who publishes an app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the platform verified the publisher; `None` when it does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    pub party: Party,
    /// The publisher's tenant or account ID, used to tell the organisation's own apps apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The client is not registered with the platform at all (Google's `anonymous` tokens).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
}

/// Where a webhook sends its payloads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub url: String,
    /// False when the sender is told not to verify the receiver's TLS certificate.
    pub tls_verified: bool,
    /// Whether payloads are signed with a shared secret; `None` when the data does not say.
    pub signed: Option<bool>,
    /// Subscribed to every event.
    pub all_events: bool,
    /// The parts of the URL that held a credential, named (`the query parameter \`token\``),
    /// never their values: the URL itself is kept without them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets_in_url: Vec<String>,
}

/// Whether a credential is limited to known networks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    #[default]
    Unknown,
    Anywhere,
    Restricted,
}

/// Interactive (human) sign-in capability of an identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractiveLogin {
    pub password_enabled: bool,
    /// `None` when the data does not say.
    pub mfa: Option<bool>,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    pub last_login: Option<Timestamp>,
}

/// What an earlier scan knew of an identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// When that scan was made.
    #[serde(with = "crate::timestamp::rfc3339")]
    pub at: Timestamp,
    /// The grants it held then.
    pub grants: Vec<Grant>,
    /// Today's grants that a broader grant held then already included (the platform's scope
    /// hierarchy: Google `drive` includes `drive.readonly`), so they are not growth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<String>,
}

/// One identity as NHI Lens understands it, whatever platform it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `platform:kind:native-id`, stable across runs; a self-managed instance's identity has
    /// `@host` after it (its numbers are that instance's own).
    pub id: String,
    pub platform: Platform,
    pub kind: Kind,
    /// The platform's own ID.
    pub native_id: String,
    /// Other stable IDs the platform uses for the same thing (app ID, object ID, client ID).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Display name, as hostile text: never interpreted.
    pub name: String,
    /// Where it lives: organisation, repository, account, tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The inventory it was read into, where one report holds several (the extension's export of
    /// every tenant): the same app in two directories is two identities of one ID, each its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Arc<str>>,
    /// A person's account rather than a workload.
    pub human: bool,
    pub ownership: Ownership,
    /// Who approved, consented to or installed it: accountable for intent, not the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approved_by: Vec<Principal>,
    #[serde(default)]
    pub credential_control: CredentialControl,
    /// Who to call at the vendor about this identity's credentials (from the policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_contact: Option<String>,
    #[serde(default, with = "crate::timestamp::rfc3339::option")]
    pub created_at: Option<Timestamp>,
    /// Last use of the identity as a whole (any credential, any flow).
    #[serde(default)]
    pub usage: Usage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Credential>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// What it was read from shows none of the permissions it may hold (the installed GitHub
    /// Apps list; IAM's users list; an Okta service app whose grants were not read): its risk
    /// leaves privilege out until a reading that shows them (the App's own page) is merged in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grants_unread: bool,
    #[serde(default)]
    pub reach: Reach,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Publisher>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    #[serde(default)]
    pub network: Network,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<InteractiveLogin>,
    /// A cloud account's root credential: unlimited and unrestrictable.
    #[serde(default)]
    pub root_account: bool,
    /// A request awaiting an admin's decision, not yet active access.
    #[serde(default)]
    pub pending: bool,
    /// The platform keeps this kind of identity only for compatibility (Snowflake
    /// `LEGACY_SERVICE` users): the platform's own words for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<String>,
    /// People outside the organisation may sign in to it, in the platform's own words (Entra's
    /// `signInAudience` `AzureADMultipleOrgs`): an app of the organisation's that other
    /// directories can consent to and use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// The OAuth client ID the identity signs in as, when it has one: the same client behind
    /// several identities or tenants is reuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Its grants in an earlier scan, when one was given: grants added since are scope creep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Box<Previous>>,
    pub enabled: bool,
    /// The inputs (files, URLs) it was read from, shared with every identity read from them.
    pub sources: Vec<Arc<str>>,
}

impl Identity {
    /// A new enabled, non-human identity with nothing else known yet.
    pub fn new(
        platform: Platform,
        kind: Kind,
        native_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        // One body for every caller's argument types (it was compiled once per pair of them).
        Self::of(platform, kind, native_id.into(), name.into())
    }

    fn of(platform: Platform, kind: Kind, native_id: String, name: String) -> Self {
        let (p, k) = (platform.as_str(), kind.as_str());
        let mut id = String::with_capacity(p.len() + k.len() + native_id.len() + 2);
        for part in [p, ":", k, ":", &native_id] {
            id.push_str(part);
        }
        Identity {
            id,
            platform,
            kind,
            native_id,
            aliases: Vec::new(),
            name,
            location: None,
            tenant: None,
            human: false,
            ownership: Ownership::NotLoaded,
            approved_by: Vec::new(),
            credential_control: CredentialControl::default(),
            vendor_contact: None,
            created_at: None,
            usage: Usage::NotLoaded,
            credentials: Vec::new(),
            grants: Vec::new(),
            grants_unread: false,
            reach: Reach::Unknown,
            publisher: None,
            endpoint: None,
            network: Network::Unknown,
            interactive: None,
            root_account: false,
            pending: false,
            legacy: None,
            audience: None,
            client_id: None,
            previous: None,
            enabled: true,
            sources: Vec::new(),
        }
    }

    /// Its ID, unique among every tenant's in one report: `tenant/id` where a tenant is named
    /// ([`Identity::tenant`]), else the ID alone.
    pub fn id_in_tenant(&self) -> std::borrow::Cow<'_, str> {
        match &self.tenant {
            Some(tenant) => format!("{tenant}/{}", self.id).into(),
            None => self.id.as_str().into(),
        }
    }

    /// Whether what shows it says its permissions were not read ([`GRANTS_UNREAD_NOTE`]): its
    /// risk leaves privilege out. Not of a person's own account, which is no workload whose
    /// privilege the score weighs.
    pub fn permissions_unread(&self) -> bool {
        self.grants_unread && !self.human
    }

    /// Whether it can still act at `now`: enabled, and, where it is itself a credential (a token,
    /// a key), not past its end (expired or revoked). What such a one could reach no longer
    /// matters; that it is still listed does (see NL103).
    pub fn can_act(&self, now: Timestamp) -> bool {
        self.enabled
            && !(self.is_credential()
                && !self.credentials.is_empty()
                && self.live_credentials(now).next().is_none())
    }

    /// Whether it is itself a credential (a token, a key), not an account or app holding some.
    pub fn is_credential(&self) -> bool {
        matches!(
            self.kind,
            Kind::ApiToken | Kind::AccessKey | Kind::DeployKey | Kind::UserToken | Kind::SshKey
        )
    }

    /// Whether it had a password and the platform ended it (a Snowflake user past its
    /// `expires_at_time`): that password signs nobody in.
    pub fn password_ended(&self, now: Timestamp) -> bool {
        let password = |c: &&Credential| c.kind == CredentialKind::Password;
        self.credentials.iter().any(|c| password(&c))
            && self.live_credentials(now).find(password).is_none()
    }

    /// Live credentials: active and not yet expired at `now`.
    pub fn live_credentials(&self, now: Timestamp) -> impl Iterator<Item = &Credential> {
        self.credentials
            .iter()
            .filter(move |c| c.active && c.expiry.at().is_none_or(|end| end > now))
    }

    /// The highest tier among the grants, counting unclassified grants as sensitive-read.
    pub fn max_tier(&self) -> Option<Tier> {
        self.grants.iter().map(|g| g.tier).max()
    }

    /// The party of the publisher, `Unknown` when there is none.
    pub fn party(&self) -> Party {
        self.publisher.as_ref().map_or(Party::Unknown, |p| p.party)
    }

    /// Whether `key` is this identity's ID, native ID or one of its aliases.
    pub fn is_known_as(&self, key: &str) -> bool {
        self.id == key || self.native_id == key || self.aliases.iter().any(|a| a == key)
    }
}

/// Whole days from `from` to `to`, never negative.
pub fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    (to - from).whole_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_a_grant_comes_reads_back_as_written() {
        for via in [
            GrantVia::Application,
            GrantVia::Delegated { all_users: true },
            GrantVia::Delegated { all_users: false },
            GrantVia::Direct,
            GrantVia::DomainWide,
        ] {
            let text = serde_json::to_string(&via).unwrap();
            assert_eq!(
                serde_json::from_str::<GrantVia>(&text).unwrap(),
                via,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::from_str::<GrantVia>(r#"{"all_users":true,"type":"delegated"}"#).unwrap(),
            GrantVia::Delegated { all_users: true }
        );
        let missing = serde_json::from_str::<GrantVia>(r#"{"type":"delegated"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `all_users`"),
            "{missing}"
        );
    }
}
