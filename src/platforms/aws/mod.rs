//! AWS IAM: users from the credential report, their permissions and owner tags and the roles
//! workloads assume from the account authorization details.
//!
//! Facts: `reference/platforms.md` §8 and §10.8. IAM has no owner field; an `owner` (or `team`,
//! `contact`) tag is read as the owner where present.

mod authorization_details;
mod credential_report;
mod users_page;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::PlatformSpec;
use crate::console::{Cell, ConsolePage, GENERIC_ROWS, LIST_PAGE_REGION, Region, TenantInPage};
use crate::model::{
    CredentialControl, Grant, Identity, Kind, LastUse, Owner, OwnerSource, Ownership, Party,
    Platform, Precision, Principal, Publisher, Tier, Timestamp, Usage,
};

/// AWS in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Aws,
    consoles: &[
        "https://*console.aws.amazon.com/iam/home*",
        "https://*console.aws.amazon.com/iamv2/home*",
    ],
    // The account is not in the console's URLs: a page's tenant is the account its session meta
    // tag names (see `tenant_in_page`), else its host (`us-east-1.console.aws.amazon.com`).
    pages: &[
        ConsolePage {
            id: "aws.users_page",
            title: "IAM users",
            url: users_page::URL,
            // The table comes from the console's own API, whose responses are undocumented.
            api: &[],
            regions: &[
                Region {
                    name: "users",
                    selector: "table",
                    required: true,
                    limit: None,
                    early: false,
                },
                // The account ID, which with each user's path makes the ARN the credential
                // report names users by.
                Region {
                    name: "session",
                    selector: users_page::SESSION_META,
                    required: false,
                    limit: None,
                    early: false,
                },
                // The table's pagination: the console shows the users a page at a time under one
                // URL, and each page viewed is kept. [infer] Cloudscape's pagination, a list of
                // page buttons with the current one `aria-current`.
                Region {
                    name: LIST_PAGE_REGION,
                    selector: users_page::PAGINATION,
                    required: false,
                    limit: None,
                    early: false,
                },
            ],
            rows: GENERIC_ROWS,
            catch_all: false,
        },
        ConsolePage {
            id: "aws.credential_report_page",
            title: "IAM credential report",
            url: "https://*console.aws.amazon.com/iam/home*#/credential_report*",
            // The report as GetCredentialReport returns it (`Content`, `ReportFormat`,
            // `GeneratedTime`), read by the credential report's JSON format. The path is the
            // console's own API prefix, `/iam/api/` [obs]; the endpoint's name is inferred.
            api: &["https://*console.aws.amazon.com/iam/api/credentialreport*"],
            regions: &[],
            rows: GENERIC_ROWS,
            catch_all: false,
        },
    ],
    formats: &[
        credential_report::CSV,
        credential_report::JSON,
        authorization_details::FORMAT,
        users_page::FORMAT,
    ],
    catalogues: &[policies],
    self_managed: None,
    // GovCloud (US) and the China partition (its regions run by Sinnet and NWCD).
    cells: &[
        Cell {
            hosts: &[("console.aws.amazon.com", "console.amazonaws-us-gov.com")],
        },
        Cell {
            hosts: &[("console.aws.amazon.com", "console.amazonaws.cn")],
        },
    ],
    // The console names the account in a meta tag on every page.
    tenant_in_page: Some(TenantInPage {
        selector: users_page::SESSION_META,
        read: users_page::account_in,
        // Accounts are numbered apart in every partition.
        unique: true,
    }),
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(policies, "platforms/aws/policies");

/// A customer-managed policy's tier, from its default version.
#[derive(Clone)]
struct PolicyRecord {
    arn: String,
    tier: Tier,
}

/// A user's permissions and owner tag, to join to the credential report's identities.
#[derive(Clone)]
struct UserRecord {
    arn: String,
    groups: Vec<String>,
    grants: Vec<Grant>,
    owner: Option<(String, String)>,
}

/// A role, which becomes an identity of its own.
#[derive(Clone)]
struct RoleRecord {
    name: String,
    arn: String,
    path: String,
    created: Option<Timestamp>,
    last_used: RoleUse,
    grants: Vec<Grant>,
    owner: Option<(String, String)>,
    source: Arc<str>,
}

/// What an export says of a role's last use.
#[derive(Clone, Copy)]
enum RoleUse {
    /// The export has no `RoleLastUsed`, or a date that could not be read.
    NotGiven,
    /// `RoleLastUsed` is empty: no use in the 400 days IAM tracks.
    Never,
    /// Last used then.
    At(Timestamp),
}

/// Authorization details, joined with the credential report once every input is read.
#[derive(Clone, Default)]
pub struct Join {
    policies: Vec<PolicyRecord>,
    groups: Vec<(String, Vec<Grant>)>,
    users: Vec<UserRecord>,
    roles: Vec<RoleRecord>,
}

crate::platforms::absorb!(Join {
    policies,
    groups,
    users,
    roles
});

impl Join {
    /// Gives the credential report's users their permissions and owner tags, and adds the roles.
    pub fn finish(self, out: &mut Vec<Identity>) {
        if self.users.is_empty() && self.roles.is_empty() {
            return;
        }
        let policy_tiers: FxHashMap<&str, Tier> = self
            .policies
            .iter()
            .map(|p| (p.arn.as_str(), p.tier))
            .collect();
        let settle = |grants: &mut Vec<Grant>| {
            for g in grants.iter_mut() {
                if let Some(tier) = g.resource.as_deref().and_then(|arn| policy_tiers.get(arn)) {
                    g.tier = *tier;
                    g.classified = true;
                }
            }
        };
        let mut groups: FxHashMap<String, Vec<Grant>> = FxHashMap::default();
        for (name, mut grants) in self.groups {
            settle(&mut grants);
            groups.insert(name, grants);
        }
        let mut users: FxHashMap<String, UserRecord> = FxHashMap::default();
        for mut user in self.users {
            settle(&mut user.grants);
            for group in &user.groups {
                for g in groups.get(group).into_iter().flatten() {
                    let mut via_group = g.clone();
                    via_group.resource = Some(format!("group {group}"));
                    user.grants.push(via_group);
                }
            }
            users.insert(user.arn.clone(), user);
        }
        // The credential report's identities: a user, or a person's access keys (`ARN#access-keys`).
        for identity in out.iter_mut().filter(|i| i.platform == Platform::Aws) {
            let arn = identity.native_id.split('#').next().unwrap_or_default();
            let Some(user) = users.get(arn) else { continue };
            identity.grants.extend(user.grants.iter().cloned());
            identity.grants_unread = false;
            if let Some((key, value)) = &user.owner
                && matches!(
                    identity.ownership,
                    Ownership::NotRecorded | Ownership::NotLoaded
                )
            {
                identity.ownership = Ownership::Known(vec![tag_owner(key, value)]);
            }
        }
        for mut role in self.roles {
            settle(&mut role.grants);
            out.push(role_identity(role));
        }
    }
}

fn tag_owner(key: &str, value: &str) -> Owner {
    Owner {
        who: Principal::named(value.trim()),
        source: OwnerSource::Explicit,
        basis: format!("tag {key}"),
    }
}

fn role_identity(role: RoleRecord) -> Identity {
    let account = role
        .arn
        .split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    let mut identity = Identity::new(Platform::Aws, Kind::Role, &role.arn, role.name);
    identity.location = account;
    identity.created_at = role.created;
    identity.sources.push(role.source);
    identity.grants = role.grants;
    identity.credential_control = CredentialControl::CUSTOMER;
    // IAM tracks role use over the trailing 400 days only.
    identity.usage = match role.last_used {
        RoleUse::At(at) => Usage::Used(LastUse {
            at,
            source: "RoleLastUsed.LastUsedDate".into(),
            precision: Precision::Exact,
        }),
        RoleUse::Never => Usage::Never {
            source: "RoleLastUsed is empty (IAM tracks the last 400 days)".into(),
        },
        RoleUse::NotGiven => Usage::NotLoaded,
    };
    identity.ownership = match role.owner {
        Some((key, value)) => Ownership::Known(vec![tag_owner(&key, &value)]),
        None => Ownership::NotRecorded,
    };
    if role.path.starts_with("/aws-service-role/") {
        // A service-linked role: AWS defines and manages it for one of its services.
        identity.publisher = Some(Publisher {
            name: Some("AWS".into()),
            party: Party::FirstParty,
            ..Publisher::default()
        });
        identity.ownership = Ownership::Known(vec![Owner {
            who: Principal::named("AWS"),
            source: OwnerSource::Vendor,
            basis: "service-linked role".into(),
        }]);
    } else if role.path.starts_with("/aws-reserved/sso.amazonaws.com/") {
        // An IAM Identity Center permission set: people sign in through it.
        identity.human = true;
    }
    identity
}
