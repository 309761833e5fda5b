//! Property tests: whatever bytes arrive, reading them never panics.
//!
//! Inputs are arbitrary bytes, JSON documents built from the real field names of every format
//! (nested objects and arrays, values of random types), credential-report CSVs, and the real
//! fixtures cut short or with single bytes changed. `Collector::add` and `finish` must return
//! normally for all of them; so must scoring and the JSON report.

use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use nhi_lens::model::Timestamp;
use nhi_lens::{Collector, Policy, report};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};

/// 256 cases each, unless `PROPTEST_CASES` asks for another number (for a long hunt).
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            256
        },
        ..default
    }
}

fn now() -> Timestamp {
    nhi_lens::timestamp::parse("2026-11-29T00:00:00Z").unwrap()
}

/// Field names of every format, so generated documents look like the real thing.
const KEYS: &[&str] = &[
    // GitHub
    "id",
    "node_id",
    "client_id",
    "app_id",
    "app_slug",
    "target_id",
    "target_type",
    "account",
    "login",
    "type",
    "repository_selection",
    "access_tokens_url",
    "repositories_url",
    "html_url",
    "permissions",
    "organization",
    "repository",
    "other",
    "events",
    "single_file_name",
    "created_at",
    "updated_at",
    "suspended_by",
    "suspended_at",
    "owner",
    "access_granted_at",
    "token_expired",
    "token_expires_at",
    "token_id",
    "token_name",
    "token_last_used_at",
    "reason",
    "credential_id",
    "credential_type",
    "token_last_eight",
    "credential_authorized_at",
    "credential_accessed_at",
    "scopes",
    "fingerprint",
    "authorized_credential_id",
    "authorized_credential_title",
    "authorized_credential_note",
    "authorized_credential_expires_at",
    "name",
    "active",
    "config",
    "url",
    "content_type",
    "insecure_ssl",
    "secret",
    "ping_url",
    "last_response",
    "key",
    "title",
    "verified",
    "read_only",
    "added_by",
    "last_used",
    "enabled",
    "total_count",
    "installations",
    "secrets",
    "visibility",
    "selected_repositories_url",
    "contents",
    "metadata",
    "administration",
    // Entra
    "value",
    "@odata.context",
    "@odata.nextLink",
    "@odata.type",
    "appId",
    "displayName",
    "createdDateTime",
    "deletedDateTime",
    "publisherDomain",
    "signInAudience",
    "verifiedPublisher",
    "verifiedPublisherId",
    "passwordCredentials",
    "keyCredentials",
    "keyId",
    "hint",
    "startDateTime",
    "endDateTime",
    "customKeyIdentifier",
    "secretText",
    "usage",
    "requiredResourceAccess",
    "resourceAppId",
    "resourceAccess",
    "federatedIdentityCredentials",
    "issuer",
    "subject",
    "owners",
    "disabledByMicrosoftStatus",
    "identifierUris",
    "isFallbackPublicClient",
    "appDisplayName",
    "appOwnerOrganizationId",
    "servicePrincipalType",
    "accountEnabled",
    "servicePrincipalNames",
    "publisherName",
    "appRoles",
    "clientId",
    "consentType",
    "principalId",
    "resourceId",
    "scope",
    "appRoleId",
    "principalType",
    "principalDisplayName",
    "resourceDisplayName",
    "creationTimestamp",
    "lastSignInActivity",
    "lastSignInDateTime",
    "signInActivity",
    "credentialOrigin",
    "keyUsage",
    "keyType",
    "appObjectId",
    "servicePrincipalObjectId",
    "userPrincipalName",
    "mail",
    // Okta
    "tokenWindow",
    "userId",
    "clientName",
    "created",
    "expiresAt",
    "lastUpdated",
    "network",
    "connection",
    "include",
    "exclude",
    "_link",
    "_links",
    "self",
    "href",
    "token",
    // GitLab
    "access_level",
    "user_id",
    "username",
    "name",
    "state",
    "web_url",
    "active",
    "revoked",
    "expires_at",
    "last_used_at",
    "expired",
    "can_push",
    "fingerprint_sha256",
    "projects_with_write_access",
    "resource_type",
    "resource_id",
    // Google
    "kind",
    "items",
    "clientId",
    "displayText",
    "nativeApp",
    "anonymous",
    "userKey",
    "keys",
    "validAfterTime",
    "validBeforeTime",
    "keyType",
    "keyOrigin",
    "keyAlgorithm",
    "disabled",
    "accounts",
    "oauth2ClientId",
    "uniqueId",
    "email",
    "displayName",
    "users",
    "primaryEmail",
    "suspended",
    "archived",
    "isAdmin",
    // Slack
    "approved_apps",
    "restricted_apps",
    "app_requests",
    "app",
    "user",
    "team",
    "date_updated",
    "date_created",
    "last_resolved_by",
    "is_sensitive",
    "is_app_directory_approved",
    "is_internal",
    "developer_type",
    "token_type",
    "actor_id",
    // Okta
    "scopeId",
    "issuer",
    "createdBy",
    "secret_hash",
    "client_secret",
    "label",
    "signOnMode",
    "settings",
    "oauthClient",
    "grant_types",
    "profile",
    "lastLogin",
    "_links",
    // Salesforce
    "records",
    "attributes",
    "totalSize",
    "done",
    "nextRecordsUrl",
    "AppName",
    "UserId",
    "UseCount",
    "LastUsedDate",
    "CreatedDate",
    "AppMenuItemId",
    // Atlassian
    "data",
    "links",
    "next",
    "createdAt",
    "lastActiveAt",
    "expiresAt",
    "lastAccess",
    "expiry",
    "accountId",
    // Snowflake
    "has_password",
    "has_mfa",
    "has_rsa_public_key",
    "has_pat",
    "last_success_login",
    "created_on",
    "login_name",
    "default_role",
    "expires_at_time",
    "ext_authn_duo",
    // AWS authorization details
    "UserDetailList",
    "RoleDetailList",
    "GroupDetailList",
    "UserName",
    "RoleName",
    "Arn",
    "CreateDate",
    "UserPolicyList",
    "AttachedManagedPolicies",
    "GroupList",
    "Tags",
    "RoleLastUsed",
    "AssumeRolePolicyDocument",
    "PolicyName",
    "PolicyArn",
    // AWS
    "Content",
    "ReportFormat",
    "GeneratedTime",
];

/// Values the readers treat specially.
const STRINGS: &[&str] = &[
    "",
    " ",
    "2021-04-01T00:00:00-8:00",
    "2026-11-29T00:00:00Z",
    "2023-05-16T08:47:09.000-07:00",
    "2021-02-02T04:22:45.4980259Z",
    "9999-12-31T23:59:59Z",
    // Early enough for any window above to stay after year 0 (see tests/parsers.rs,
    // okta_last_use_before_year_zero_does_not_break_the_json_report).
    "1000-01-01T00:00:00Z",
    "2021-13-45T99:99:99Z",
    "2021-05-05",
    "P30D",
    "P0D",
    // Long windows that still fit a date; longer ones panic (tests/parsers.rs, ignored test
    // okta_absurd_token_windows_are_a_data_problem_not_a_panic).
    "P99999D",
    "P9999W",
    "PT5M",
    "P",
    "N/A",
    "not_supported",
    "no_information",
    "true",
    "false",
    "ANYWHERE",
    "ZONE",
    "AllPrincipals",
    "Principal",
    "ServicePrincipal",
    "User",
    "ManagedIdentity",
    "Application",
    "all",
    "selected",
    "subset",
    "none",
    "read",
    "write",
    "admin",
    "0",
    "1",
    "*",
    "Sign",
    "personal access token",
    "SSH Key",
    "#microsoft.graph.user",
    "#microsoft.graph.servicePrincipal",
    "https://graph.microsoft.com/v1.0/$metadata#applications",
    "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",
    "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
    "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants",
    "https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments",
    "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('x')/appRoleAssignments",
    "$metadata#",
    "text/csv",
    "text/html",
    "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lCjxyb290X2FjY291bnQ+LGFybjphd3M6aWFtOjoxOnJvb3QsTi9BCg==",
    "!!!not base64",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDZPlNEptZ5KA5K5LXuNbeulkINljQ6dmESvWBA2Zr1A",
    "ssh-rsa !!!",
    "ssh-rsa",
    "00000003-0000-0000-c000-000000000000",
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
    "8e881353-1735-45af-af21-ee1344582a4d",
    "openid User.Read Mail.Read offline_access",
    "https://user:pw@hooks.example.com/x?token=1#f",
    "https://api.github.com/repos/o/r/keys/1",
    "https://api.github.com/orgs/o/hooks/1",
    "://",
    "@",
    "<root_account>",
    "arn:aws:iam::123456789012:root",
    "arn:aws:iam::123456789012:user/x",
    "\u{1b}[31m",
    "\u{202e}",
    "<img src=x onerror=alert(1)>",
    "admin#directory#tokenList",
    "admin#directory#users",
    "OauthToken",
    "service_account_1",
    "SERVICE",
    "LEGACY_SERVICE",
    "PERSON",
    "true",
    "false",
    "USER_MANAGED",
    "SYSTEM_MANAGED",
    "9999-12-31T23:59:59Z",
    "2020-04-28 12:24:38.722 -0700",
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/admin.directory.user",
    "client_credentials",
    "OAUTH_2_0",
    "ACTIVE",
    "DEPROVISIONED",
    "arn:aws:iam::aws:policy/AdministratorAccess",
];

/// Starts that send arbitrary bytes down each reader's path.
const PREFIXES: &[&str] = &[
    "",
    "{",
    "[",
    "[{",
    "{\"value\":[",
    "\u{feff}",
    "user,arn,user_creation_time\n",
    "AppName,UserId,UseCount,LastUsedDate\n",
    "name,type,has_password,has_mfa\n",
    "<html><body>domain-wide delegation Client ID",
];

/// Bytes that change a JSON or CSV document's structure.
const SPECIAL_BYTES: &[u8] = &[
    b'"', b'{', b'}', b'[', b']', b',', b':', b'\\', b'\n', 0, 0xff,
];

/// Sources, some of them naming an owners request.
const SOURCES: &[&str] = &[
    "input.json",
    "",
    "applications_6920caa5-1cae-4bc8-bf59-9c0b8495d240_owners.json",
    "servicePrincipals_8e881353-1735-45af-af21-ee1344582a4d_owners.json",
    "https://graph.microsoft.com/v1.0/applications(appId='abc-123-def')/owners",
    "applications(appId='",
    "applications(appid='x",
    "serviceprincipals/owners",
    "applications__owners",
    "https://api.github.com/repos/o/r/keys",
    "https://api.github.com/orgs/o/actions/secrets",
    "C:\\exports\\applications\\6920caa5-1cae-4bc8-bf59-9c0b8495d240\\owners.json",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(Value::Null),
        2 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        6 => select(STRINGS).prop_map(|s| Value::String(s.to_string())),
        2 => "[ -~]{0,16}".prop_map(Value::String),
        1 => any::<String>().prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z_@.$]{0,12}",
    ]
}

/// Any JSON value, nested up to four levels, with real field names as keys.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// How each format wraps its records, and the fields its detector looks for.
const TEMPLATES: &[(Option<&str>, &[&str])] = &[
    (
        Some("installations"),
        &["id", "app_id", "app_slug", "permissions"],
    ),
    (
        None,
        &["app_id", "repository_selection", "permissions", "id"],
    ),
    (None, &["id", "owner", "permissions", "access_granted_at"]),
    (
        None,
        &[
            "id",
            "owner",
            "permissions",
            "created_at",
            "repository_selection",
            "reason",
        ],
    ),
    (None, &["login", "credential_id", "credential_type"]),
    (None, &["id", "config", "events", "active"]),
    (None, &["id", "key", "title", "read_only"]),
    (Some("secrets"), &["name", "created_at", "updated_at"]),
    (
        Some("value"),
        &["appId", "id", "signInAudience", "passwordCredentials"],
    ),
    (
        Some("value"),
        &["appId", "id", "servicePrincipalType", "appRoles"],
    ),
    (
        Some("value"),
        &["clientId", "consentType", "resourceId", "scope"],
    ),
    (Some("value"), &["appRoleId", "principalId", "resourceId"]),
    (Some("value"), &["appId", "lastSignInActivity"]),
    (
        Some("value"),
        &["keyId", "signInActivity", "credentialOrigin"],
    ),
    (Some("value"), &["@odata.type", "id", "displayName"]),
    (None, &["id", "tokenWindow", "expiresAt", "created"]),
    (None, &["id", "userId", "clientName", "expiresAt"]),
    // GitLab
    (
        None,
        &[
            "id",
            "name",
            "scopes",
            "access_level",
            "user_id",
            "active",
            "revoked",
            "expires_at",
            "last_used_at",
        ],
    ),
    (
        None,
        &[
            "id",
            "key",
            "title",
            "fingerprint_sha256",
            "can_push",
            "expires_at",
        ],
    ),
    (
        None,
        &[
            "id",
            "name",
            "username",
            "scopes",
            "expired",
            "revoked",
            "expires_at",
        ],
    ),
    (
        None,
        &[
            "id",
            "name",
            "scopes",
            "user_id",
            "revoked",
            "active",
            "created_at",
            "last_used_at",
        ],
    ),
    (None, &["id", "username", "name"]),
    (None, &["id", "username", "name", "state", "web_url"]),
    // Google
    (
        Some("items"),
        &[
            "clientId",
            "scopes",
            "userKey",
            "displayText",
            "nativeApp",
            "anonymous",
        ],
    ),
    (
        Some("keys"),
        &[
            "name",
            "validAfterTime",
            "validBeforeTime",
            "keyType",
            "disabled",
        ],
    ),
    (
        Some("accounts"),
        &["name", "email", "oauth2ClientId", "uniqueId", "disabled"],
    ),
    (
        Some("users"),
        &["id", "primaryEmail", "suspended", "archived"],
    ),
    // Slack
    (
        Some("approved_apps"),
        &["app", "scopes", "date_updated", "last_resolved_by"],
    ),
    (
        Some("restricted_apps"),
        &["app", "scopes", "date_updated", "last_resolved_by"],
    ),
    (
        Some("app_requests"),
        &["id", "app", "user", "scopes", "date_created"],
    ),
    // Okta
    (
        None,
        &[
            "id",
            "scopeId",
            "issuer",
            "clientId",
            "createdBy",
            "created",
            "status",
        ],
    ),
    (
        None,
        &["id", "status", "secret_hash", "created", "lastUpdated"],
    ),
    (
        None,
        &[
            "id",
            "name",
            "label",
            "signOnMode",
            "settings",
            "credentials",
            "status",
        ],
    ),
    (None, &["id", "status", "profile", "lastLogin"]),
    // Salesforce
    (
        Some("records"),
        &[
            "attributes",
            "AppName",
            "UserId",
            "UseCount",
            "LastUsedDate",
            "CreatedDate",
        ],
    ),
    // Atlassian
    (
        Some("data"),
        &[
            "id",
            "label",
            "createdAt",
            "lastActiveAt",
            "expiresAt",
            "user",
            "status",
        ],
    ),
    (None, &["id", "label", "lastAccess", "expiry", "createdAt"]),
    // Snowflake
    (
        None,
        &[
            "name",
            "login_name",
            "type",
            "has_password",
            "has_mfa",
            "created_on",
            "last_success_login",
            "owner",
            "disabled",
        ],
    ),
    // AWS authorization details
    (
        Some("UserDetailList"),
        &[
            "UserName",
            "UserId",
            "Arn",
            "CreateDate",
            "UserPolicyList",
            "AttachedManagedPolicies",
            "GroupList",
            "Tags",
        ],
    ),
    (
        Some("RoleDetailList"),
        &[
            "RoleName",
            "Arn",
            "CreateDate",
            "RoleLastUsed",
            "AttachedManagedPolicies",
            "Tags",
        ],
    ),
    // Entra directory users
    (
        Some("value"),
        &["id", "userPrincipalName", "displayName", "accountEnabled"],
    ),
];

fn text() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => select(STRINGS).prop_map(|s| Value::String(s.to_string())),
        1 => any::<String>().prop_map(Value::String),
    ]
    .boxed()
}

/// A value of the type a reader expects for this field, most of the time.
fn typed(field: &'static str) -> BoxedStrategy<Value> {
    let time = || select(STRINGS).prop_map(|s| Value::String(s.to_string()));
    let well_typed: BoxedStrategy<Value> = match field {
        "id" | "app_id" | "credential_id" | "token_id" => prop_oneof![
            any::<u64>().prop_map(Value::from),
            text(),
        ]
        .boxed(),
        "active" | "read_only" | "enabled" | "token_expired" | "accountEnabled" | "revoked"
        | "expired" | "can_push" | "nativeApp" | "anonymous" | "disabled" | "suspended"
        | "archived" => {
            any::<bool>().prop_map(Value::Bool).boxed()
        }
        "events" => prop::collection::vec(text(), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        // Most platforms list names; Slack lists objects with its own sensitivity flag.
        "scopes" => prop_oneof![
            prop::collection::vec(text(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (text(), prop::option::of(any::<bool>()), text()).prop_map(|(name, sensitive, kind)| {
                    serde_json::json!({ "name": name, "is_sensitive": sensitive, "token_type": kind })
                }),
                0..4,
            )
            .prop_map(Value::Array),
        ]
        .boxed(),
        "permissions" => prop_oneof![
            prop::collection::btree_map(key(), select(&["read", "write", "admin"][..]), 0..5)
                .prop_map(|m| serde_json::to_value(m).unwrap()),
            prop::collection::btree_map(
                select(&["organization", "repository", "other"][..]),
                prop::collection::btree_map(key(), select(&["read", "write"][..]), 0..4),
                0..3,
            )
            .prop_map(|m| serde_json::to_value(m).unwrap()),
        ]
        .boxed(),
        "app" | "user" | "last_resolved_by" | "createdBy" | "attributes" => {
            (text(), text(), prop::option::of(any::<bool>()))
                .prop_map(|(id, name, flag)| {
                    serde_json::json!({
                        "id": id, "name": name, "type": "OauthToken", "accountId": id,
                        "email": name, "is_internal": flag, "is_app_directory_approved": flag,
                    })
                })
                .boxed()
        }
        "profile" => (text(), text())
            .prop_map(|(login, email)| serde_json::json!({ "login": login, "email": email }))
            .boxed(),
        "UseCount" | "access_level" | "date_updated" | "date_created" => {
            any::<i64>().prop_map(Value::from).boxed()
        }
        "owner" | "account" => text().prop_map(|login| serde_json::json!({ "login": login })).boxed(),
        "config" => (text(), prop::option::of(leaf()), prop::option::of(leaf()))
            .prop_map(|(url, insecure, secret)| {
                serde_json::json!({ "url": url, "insecure_ssl": insecure, "secret": secret })
            })
            .boxed(),
        "lastSignInActivity" | "signInActivity" => prop::option::of(time())
            .prop_map(|t| serde_json::json!({ "lastSignInDateTime": t }))
            .boxed(),
        "passwordCredentials" | "keyCredentials" => prop::collection::vec(
            (text(), time(), time(), prop::option::of(text())).prop_map(|(id, start, end, usage)| {
                serde_json::json!({
                    "keyId": id, "startDateTime": start, "endDateTime": end, "usage": usage,
                    "displayName": null, "hint": "abc", "customKeyIdentifier": "00FF",
                })
            }),
            0..3,
        )
        .prop_map(Value::Array)
        .boxed(),
        "appRoles" => prop::collection::vec(
            (text(), text()).prop_map(|(id, value)| serde_json::json!({ "id": id, "value": value })),
            0..3,
        )
        .prop_map(Value::Array)
        .boxed(),
        _ => text(),
    };
    prop_oneof![4 => well_typed, 1 => json_value()].boxed()
}

/// A record carrying a template's fields, mostly well typed, plus random other fields.
fn record(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (
        fields.iter().map(|f| typed(f)).collect::<Vec<_>>(),
        prop::collection::btree_map(key(), json_value(), 0..6),
    )
        .prop_map(move |(values, extra)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (field, value) in fields.iter().zip(values) {
                map.insert((*field).to_string(), value);
            }
            Value::Object(map)
        })
}

/// A document in one of the formats' shapes, with random record contents.
fn shaped_document() -> impl Strategy<Value = Value> {
    (0..TEMPLATES.len()).prop_flat_map(|t| {
        let (wrapper, fields) = TEMPLATES[t];
        (
            prop::collection::vec(record(fields), 0..4),
            prop::option::of(select(STRINGS)),
            prop::collection::btree_map(key(), json_value(), 0..3),
        )
            .prop_map(move |(records, context, extra)| match wrapper {
                None => Value::Array(records),
                Some(list) => {
                    let mut map: Map<String, Value> = extra.into_iter().collect();
                    if let Some(context) = context {
                        map.insert("@odata.context".into(), Value::String(context.into()));
                    }
                    map.insert("total_count".into(), Value::from(records.len()));
                    map.insert(list.into(), Value::Array(records));
                    Value::Object(map)
                }
            })
    })
}

const AWS_COLUMNS: &[&str] = &[
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(STRINGS).prop_map(str::to_string),
        2 => "[ -~]{0,12}",
        1 => any::<String>(),
    ]
}

/// A credential report with some of its columns (always `user`, `arn`, `user_creation_time`, so
/// it is recognized), in any order, with rows of any length.
fn credential_report() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::subsequence(AWS_COLUMNS[3..].to_vec(), 0..=AWS_COLUMNS.len() - 3),
        prop::collection::vec(prop::collection::vec(csv_cell(), 0..24), 0..6),
        any::<bool>(),
    )
        .prop_map(|(mut columns, rows, quote)| {
            let mut header: Vec<&str> = vec!["user", "arn", "user_creation_time"];
            header.append(&mut columns);
            let mut text = header.join(",");
            text.push('\n');
            for row in rows {
                let cells: Vec<String> = row
                    .into_iter()
                    .map(|c| {
                        if quote {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c
                        }
                    })
                    .collect();
                text.push_str(&cells.join(","));
                text.push('\n');
            }
            text.into_bytes()
        })
}

/// Reads the inputs, scores them and writes the JSON report: none of it may panic.
fn run(inputs: &[(String, Vec<u8>)]) {
    let mut collector = Collector::new();
    for (source, bytes) in inputs {
        collector.add(source, bytes);
    }
    let inventory = collector.finish();
    assert_eq!(inventory.inputs.len(), inputs.len());
    let report = nhi_lens::assess(inventory, &Policy::default(), now());
    let _ = report::to_json(&report).to_string();
}

/// Every fixture, with the name it is scanned under.
fn fixtures() -> &'static [(String, Vec<u8>)] {
    static ALL: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut all = Vec::new();
        let platforms = nhi_lens::platforms::PLATFORMS
            .iter()
            .map(|p| p.platform.as_str());
        for folder in platforms.chain(["bad"]) {
            let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for path in files {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name == "fixtures.toml" {
                    continue;
                }
                all.push((
                    format!("tests/fixtures/{folder}/{name}"),
                    std::fs::read(&path).unwrap(),
                ));
            }
        }
        assert!(all.len() > 70, "only {} fixtures", all.len());
        all
    })
}

/// The generated documents must reach the readers, not only the "unknown shape" path: all the
/// JSON formats but a few that need a matching source name.
#[test]
fn shaped_documents_reach_most_formats() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = shaped_document();
    let mut formats = std::collections::BTreeSet::new();
    let mut identities = 0;
    for _ in 0..600 {
        let doc = strategy.new_tree(&mut runner).unwrap().current();
        let mut collector = Collector::new();
        collector.add(
            "applications_6920caa5-1cae-4bc8-bf59-9c0b8495d240_owners.json",
            &serde_json::to_vec(&doc).unwrap(),
        );
        let inventory = collector.finish();
        identities += inventory.identities.len();
        formats.extend(inventory.inputs.into_iter().filter_map(|i| i.format));
    }
    assert!(formats.len() >= 36, "only {} {formats:?}", formats.len());
    assert!(identities > 100, "only {identities} identities");
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..1024),
        prefix in select(PREFIXES),
    ) {
        let mut input = prefix.as_bytes().to_vec();
        input.extend(bytes);
        run(&[("bytes".to_string(), input)]);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value(), source in select(SOURCES)) {
        run(&[(source.to_string(), serde_json::to_vec(&value).unwrap())]);
    }

    #[test]
    fn documents_shaped_like_the_formats_never_panic(
        documents in prop::collection::vec((shaped_document(), select(SOURCES)), 1..4),
    ) {
        let inputs: Vec<(String, Vec<u8>)> = documents
            .into_iter()
            .map(|(doc, source)| (source.to_string(), serde_json::to_vec(&doc).unwrap()))
            .collect();
        run(&inputs);
    }

    #[test]
    fn credential_reports_never_panic(csv in credential_report(), as_json in any::<bool>()) {
        let bytes = if as_json {
            serde_json::to_vec(&serde_json::json!({
                "Content": STANDARD.encode(&csv),
                "ReportFormat": "text/csv",
                "GeneratedTime": "2026-11-28T00:00:00Z",
            }))
            .unwrap()
        } else {
            csv
        };
        run(&[("report".to_string(), bytes)]);
    }

    #[test]
    fn arbitrary_sources_never_panic(source in any::<String>(), index in any::<prop::sample::Index>()) {
        let (_, bytes) = index.get(fixtures());
        run(&[(source, bytes.clone())]);
    }

    #[test]
    fn truncated_fixtures_never_panic(index in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let (source, bytes) = index.get(fixtures());
        let end = cut.index(bytes.len() + 1);
        run(&[(source.clone(), bytes[..end].to_vec())]);
    }

    #[test]
    fn fixtures_with_one_byte_changed_never_panic(
        index in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in prop_oneof![
            any::<u8>(),
            select(SPECIAL_BYTES),
        ],
    ) {
        let (source, bytes) = index.get(fixtures());
        let mut changed = bytes.clone();
        if !changed.is_empty() {
            let at = at.index(changed.len());
            changed[at] = byte;
        }
        run(&[(source.clone(), changed)]);
    }

    #[test]
    fn a_changed_fixture_among_intact_ones_never_panics(
        index in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        // The changed input is joined with every other fixture of its folder.
        let all = fixtures();
        let (source, bytes) = index.get(all);
        let folder = source.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
        let mut changed = bytes[..cut.index(bytes.len() + 1).max(bytes.len() / 2)].to_vec();
        if !changed.is_empty() {
            let at = at.index(changed.len());
            changed[at] = byte;
        }
        let mut inputs: Vec<(String, Vec<u8>)> = all
            .iter()
            .filter(|(s, _)| s != source && s.starts_with(folder))
            .cloned()
            .collect();
        inputs.push((source.clone(), changed));
        run(&inputs);
    }
}
