//! IAM users', groups' and roles' permissions: `aws iam get-account-authorization-details`.
//!
//! The credential report says how users sign in; this says what they (and the roles workloads
//! assume) may do, and who owns them by tag. Users are joined to the credential report's
//! identities by ARN; roles become identities of their own. A large account comes in pages
//! (`IsTruncated`, `Marker`): every page saved as its own file is read and joined.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use wildmatch::WildMatch;

use super::{PolicyRecord, RoleRecord, RoleUse, UserRecord};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{Grant, Tier};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "aws.authorization_details",
    title: "AWS IAM authorization details (aws iam get-account-authorization-details)",
    doc_url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html",
    detect: |shape: &Shape| {
        json(shape).is_some_and(|s| {
            !s.top_array
                && ["UserDetailList", "RoleDetailList", "GroupDetailList"]
                    .iter()
                    .any(|k| s.has_key(k))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

/// The export's four lists, each left unread until its records are read one at a time, so one
/// malformed record (a `"Tags": null`, a policy without its name) costs only itself.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Details<'a> {
    #[serde(borrow, default)]
    user_detail_list: Option<&'a RawValue>,
    #[serde(borrow, default)]
    group_detail_list: Option<&'a RawValue>,
    #[serde(borrow, default)]
    role_detail_list: Option<&'a RawValue>,
    #[serde(borrow, default)]
    policies: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct User {
    arn: String,
    #[serde(default, deserialize_with = "listed")]
    group_list: Vec<String>,
    #[serde(default, deserialize_with = "listed")]
    attached_managed_policies: Vec<Attached>,
    #[serde(default, deserialize_with = "listed")]
    user_policy_list: Vec<Inline>,
    #[serde(default, deserialize_with = "listed")]
    tags: Vec<Tag>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Group {
    group_name: String,
    #[serde(default, deserialize_with = "listed")]
    attached_managed_policies: Vec<Attached>,
    #[serde(default, deserialize_with = "listed")]
    group_policy_list: Vec<Inline>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Role {
    role_name: String,
    arn: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    create_date: Option<String>,
    #[serde(default, deserialize_with = "listed")]
    attached_managed_policies: Vec<Attached>,
    #[serde(default, deserialize_with = "listed")]
    role_policy_list: Vec<Inline>,
    #[serde(default, deserialize_with = "listed")]
    tags: Vec<Tag>,
    /// Absent when the export does not carry it; `{}` when IAM saw no use in its 400 days.
    #[serde(default)]
    role_last_used: Option<RoleLastUsed>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct RoleLastUsed {
    last_used_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attached {
    policy_name: String,
    #[serde(default)]
    policy_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Inline {
    policy_name: String,
    #[serde(default)]
    policy_document: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedPolicy {
    arn: String,
    #[serde(default, deserialize_with = "listed")]
    policy_version_list: Vec<PolicyVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyVersion {
    #[serde(default)]
    document: Option<Value>,
    #[serde(default)]
    is_default_version: bool,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let details: Details = serde_json::from_slice(crate::ingest::probe::strip_bom(input.bytes))
        .map_err(|e| crate::ingest::probe::json_error_reason(&e))?;
    let mut skipped = Vec::new();
    let join = &mut sink.joins.aws;
    each_in(
        details.policies,
        "Policies",
        &mut skipped,
        |policy: ManagedPolicy| {
            let document = policy
                .policy_version_list
                .into_iter()
                .find(|v| v.is_default_version)
                .and_then(|v| v.document);
            if let Some(document) = document {
                join.policies.push(PolicyRecord {
                    arn: policy.arn,
                    tier: document_tier(&document),
                });
            }
        },
    )?;
    each_in(
        details.group_detail_list,
        "GroupDetailList",
        &mut skipped,
        |group: Group| {
            let mut grants = attached(&group.attached_managed_policies);
            grants.extend(inline(&group.group_policy_list, "group inline policy"));
            join.groups.push((group.group_name, grants));
        },
    )?;
    each_in(
        details.user_detail_list,
        "UserDetailList",
        &mut skipped,
        |user: User| {
            let mut grants = attached(&user.attached_managed_policies);
            grants.extend(inline(&user.user_policy_list, "inline policy"));
            join.users.push(UserRecord {
                arn: user.arn,
                groups: user.group_list,
                grants,
                owner: owner_tag(&user.tags),
            });
        },
    )?;
    let source = sink.source_name();
    each_in(
        details.role_detail_list,
        "RoleDetailList",
        &mut skipped,
        |role: Role| {
            let mut grants = attached(&role.attached_managed_policies);
            grants.extend(inline(&role.role_policy_list, "inline policy"));
            let label = format!("role {}", role.role_name);
            let created = sink.time(&label, "CreateDate", role.create_date.as_deref());
            let last_used = match role.role_last_used {
                None => RoleUse::NotGiven,
                Some(RoleLastUsed {
                    last_used_date: None,
                }) => RoleUse::Never,
                Some(RoleLastUsed {
                    last_used_date: Some(date),
                }) => sink
                    .time(&label, "RoleLastUsed.LastUsedDate", Some(&date))
                    .map_or(RoleUse::NotGiven, RoleUse::At),
            };
            sink.joins.aws.roles.push(RoleRecord {
                name: role.role_name,
                arn: role.arn,
                path: role.path.unwrap_or_default(),
                created,
                last_used,
                grants,
                owner: owner_tag(&role.tags),
                source: source.clone(),
            });
        },
    )?;
    sink.skipped(skipped);
    Ok(())
}

/// Calls `f` with every record of the list named `name`, adding a message per record skipped.
fn each_in<'de, T: Deserialize<'de>>(
    list: Option<&'de RawValue>,
    name: &str,
    skipped: &mut Vec<String>,
    f: impl FnMut(T),
) -> Result<(), String> {
    let Some(list) = list else { return Ok(()) };
    let bad = records::each(list.get().as_bytes(), None, f).map_err(|e| format!("{name}: {e}"))?;
    skipped.extend(bad.into_iter().map(|message| format!("{name} {message}")));
    Ok(())
}

/// A list member that may be `null` (as AWS SDKs and hand-edited exports write an empty list).
fn listed<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

/// Managed policies attached: AWS-managed ones by name from the catalogue, customer-managed ones
/// (not under `arn:aws:iam::aws:policy/`) classified from their document when the input has it.
fn attached(policies: &[Attached]) -> Vec<Grant> {
    policies
        .iter()
        .map(|p| {
            let aws_managed = p
                .policy_arn
                .as_deref()
                .is_none_or(|arn| arn.starts_with("arn:aws:iam::aws:policy/"));
            let (tier, classified) = if aws_managed {
                super::policies().classify(&p.policy_name)
            } else {
                // Settled when the join sees the account's own policy documents.
                (Tier::SensitiveRead, false)
            };
            let mut grant = Grant::new(p.policy_name.clone(), tier, classified);
            grant.resource = Some(if aws_managed {
                "AWS managed policy".into()
            } else {
                p.policy_arn.clone().unwrap_or_default()
            });
            grant
        })
        .collect()
}

fn inline(policies: &[Inline], what: &str) -> Vec<Grant> {
    policies
        .iter()
        .map(|p| {
            let tier = p
                .policy_document
                .as_ref()
                .map_or(Tier::SensitiveRead, document_tier);
            let mut grant = Grant::new(p.policy_name.clone(), tier, p.policy_document.is_some());
            grant.resource = Some(what.into());
            grant
        })
        .collect()
}

/// A policy document as the CLI prints it (an object) or as the API returns it (URL-encoded JSON).
fn document(value: &Value) -> Option<Value> {
    match value {
        Value::String(text) => {
            let decoded = percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .ok()?;
            serde_json::from_slice(decoded.as_bytes()).ok()
        }
        other => Some(other.clone()),
    }
}

/// The highest tier any `Allow` statement of a policy document reaches. Admin-grade actions on
/// specific resources only count as write: `iam:PassRole` on one role is not `iam:PassRole` on `*`.
pub(super) fn document_tier(value: &Value) -> Tier {
    let Some(doc) = document(value) else {
        return Tier::SensitiveRead;
    };
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut highest = Tier::Read;
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let any_resource = strings(statement.get("Resource")).iter().any(|r| r == "*");
        if statement.get("NotAction").is_some() {
            // Allow everything except a few actions: nearly everything.
            highest = highest.max(if any_resource {
                Tier::Admin
            } else {
                Tier::Write
            });
            continue;
        }
        for action in strings(statement.get("Action")) {
            let lower = action.to_ascii_lowercase();
            let tier = action_tier(&lower);
            let tier = if tier == Tier::Admin && !any_resource {
                Tier::Write
            } else {
                tier
            };
            highest = highest.max(tier);
        }
    }
    highest
}

/// The tier of one action of a statement (lower case). A pattern (`iam:Put*`, `*:*`,
/// `organizations:*`) reaches what the actions it matches reach: admin where it matches an admin
/// action the catalogue lists (`iam:PutUserPolicy`), else write for a whole service (`s3:*`),
/// else what the catalogue says of its verb (`ec2:Describe*` reads).
fn action_tier(lower: &str) -> Tier {
    let catalogue = super::policies();
    if lower.contains(['*', '?']) {
        let pattern = WildMatch::new(lower);
        // Actions are `service:name`; the managed policies listed beside them are not actions.
        let admin = catalogue.names().any(|(name, tier)| {
            tier == Tier::Admin && (name == "*" || name.contains(':')) && pattern.matches(name)
        });
        if admin {
            return Tier::Admin;
        }
        if lower.ends_with(":*") {
            return Tier::Write;
        }
    }
    catalogue.classify(lower).0
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The owner an IAM resource names by tag (`owner`, `Owner`, `team`, `contact`).
fn owner_tag(tags: &[Tag]) -> Option<(String, String)> {
    const KEYS: [&str; 5] = ["owner", "team", "contact", "owner-email", "maintainer"];
    KEYS.iter().find_map(|key| {
        tags.iter()
            .find(|t| t.key.eq_ignore_ascii_case(key) && !t.value.trim().is_empty())
            .map(|t| (t.key.clone(), t.value.clone()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_tiered_by_their_broadest_allow() {
        let admin =
            serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
        assert_eq!(document_tier(&admin), Tier::Admin);
        let pass_one = serde_json::json!({"Statement": {"Effect": "Allow", "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::1:role/app"}});
        assert_eq!(document_tier(&pass_one), Tier::Write);
        let s3 = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]});
        assert_eq!(document_tier(&s3), Tier::SensitiveRead);
        // Patterns reach what the actions they match reach.
        let allow = |action: &str| serde_json::json!({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]});
        for admin in [
            "*:*",
            "organizations:*",
            "iam:*",
            "IAM:Attach*",
            "iam:Put*",
            "iam:Create*",
            "iam:Update*",
            "sts:Assume*",
            "iam:Pass?ole",
        ] {
            assert_eq!(document_tier(&allow(admin)), Tier::Admin, "{admin}");
        }
        for (action, tier) in [
            ("s3:*", Tier::Write),
            ("ec2:Describe*", Tier::Read),
            ("iam:Get*", Tier::Read),
            ("s3:Put*", Tier::Write),
        ] {
            assert_eq!(document_tier(&allow(action)), tier, "{action}");
        }
        let service = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]});
        assert_eq!(document_tier(&service), Tier::Write);
        let denied =
            serde_json::json!({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]});
        assert_eq!(document_tier(&denied), Tier::Read);
        let encoded = Value::String("%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D".into());
        assert_eq!(document_tier(&encoded), Tier::Admin);
    }
}
