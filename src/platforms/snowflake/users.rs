//! One `SHOW USERS` row (or one row of the `SNOWFLAKE.ACCOUNT_USAGE.USERS` view) as an identity.
//! Shared by the CSV and the JSON format: columns are found by name, in any order and any case
//! (`SHOW USERS` writes `name`, the view `NAME`), and only the columns below are ever kept.
//!
//! Who is a person and who is a workload is Snowflake's own `type`: `PERSON` or `NULL` is a person,
//! `SERVICE` and `LEGACY_SERVICE` are workloads. A person with a key pair or a programmatic access
//! token is kept a person, with those credentials, so a rule can see a person used like a service.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::ingest::{Problems, Sink};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Grant, Identity, InteractiveLogin, Kind,
    LastUse, Owner, OwnerSource, Ownership, Platform, Precision, Principal, Timestamp, Usage,
};

/// The columns NHI Lens reads. Everything else in a row (including anything key-like) is skipped
/// unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Name,
    CreatedOn,
    LoginName,
    DisplayName,
    Email,
    Type,
    Disabled,
    HasPassword,
    HasMfa,
    ExtAuthnDuo,
    HasRsaPublicKey,
    HasPat,
    HasFederated,
    LastSuccessLogin,
    Owner,
    ExpiresAt,
    DefaultRole,
    UserId,
    DeletedOn,
    PasswordLastSetTime,
    RsaPublicKeyFp,
    RsaPublicKey2Fp,
}

const COLS: usize = Col::RsaPublicKey2Fp as usize + 1;

/// Column names as `SHOW USERS` and the `ACCOUNT_USAGE.USERS` view spell them (compared without
/// case). Two spellings map to one column where Snowflake renamed or the view differs.
const COLUMNS: &[(&str, Col)] = &[
    ("name", Col::Name),
    ("created_on", Col::CreatedOn),
    ("login_name", Col::LoginName),
    ("display_name", Col::DisplayName),
    ("email", Col::Email),
    ("type", Col::Type),
    ("disabled", Col::Disabled),
    ("has_password", Col::HasPassword),
    ("has_mfa", Col::HasMfa),
    ("ext_authn_duo", Col::ExtAuthnDuo),
    ("has_rsa_public_key", Col::HasRsaPublicKey),
    ("has_pat", Col::HasPat),
    // `has_federated_workload_authentication` in older output, `has_workload_identity` now.
    ("has_federated_workload_authentication", Col::HasFederated),
    ("has_workload_identity", Col::HasFederated),
    ("last_success_login", Col::LastSuccessLogin),
    ("owner", Col::Owner),
    // `expires_at_time` in SHOW USERS, `EXPIRES_AT` in the ACCOUNT_USAGE view.
    ("expires_at_time", Col::ExpiresAt),
    ("expires_at", Col::ExpiresAt),
    ("default_role", Col::DefaultRole),
    ("user_id", Col::UserId),
    ("deleted_on", Col::DeletedOn),
    // [infer] in the ACCOUNT_USAGE view (platforms.md §9.1): absent from SHOW USERS.
    ("password_last_set_time", Col::PasswordLastSetTime),
    // [infer] DESCRIBE USER / REST-API column names: the SHA-256 fingerprints of the public keys
    // (not the keys), read when an export carries them so a key shared by two users is seen.
    ("rsa_public_key_fp", Col::RsaPublicKeyFp),
    ("rsa_public_key_2_fp", Col::RsaPublicKey2Fp),
];

/// The column a header names, if NHI Lens reads it.
pub(super) fn column(header: &str) -> Option<Col> {
    let header = header.trim().trim_matches('"');
    COLUMNS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(header))
        .map(|(_, col)| *col)
}

/// Whether these column names are a listing of Snowflake users: a `name` and at least one
/// column only a user listing has.
pub(super) fn claims<'a>(headers: impl IntoIterator<Item = &'a str>) -> bool {
    let mut seen = [false; COLS];
    for header in headers {
        if let Some(col) = column(header) {
            seen[col as usize] = true;
        }
    }
    let has = |c: Col| seen[c as usize];
    has(Col::Name)
        && (has(Col::HasPassword)
            || has(Col::HasRsaPublicKey)
            || has(Col::HasPat)
            || (has(Col::LoginName)
                && (has(Col::CreatedOn) || has(Col::LastSuccessLogin) || has(Col::DefaultRole))))
}

/// The kept columns of one row: whether the input had the column at all, and its value (`None`
/// for empty and `NULL`).
pub(super) struct Row {
    values: [Option<String>; COLS],
    present: [bool; COLS],
}

impl Default for Row {
    fn default() -> Self {
        Row {
            values: std::array::from_fn(|_| None),
            present: [false; COLS],
        }
    }
}

impl Row {
    /// Records a column's value. Where two spellings of one column both appear, the first value
    /// given is kept.
    pub(super) fn set(&mut self, col: Col, value: Option<String>) {
        let i = col as usize;
        self.present[i] = true;
        if self.values[i].is_none() {
            self.values[i] = value;
        }
    }

    fn get(&self, col: Col) -> Option<&str> {
        self.values[col as usize].as_deref()
    }

    fn has(&self, col: Col) -> bool {
        self.present[col as usize]
    }

    fn flag(&self, col: Col) -> Option<bool> {
        self.get(col).and_then(flag)
    }

    /// Whether the row has anything at all in it (a blank CSV line has not).
    pub(super) fn is_blank(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// A cell as text: trimmed, without the quotes a VARIANT value keeps, `None` when empty or `NULL`.
pub(super) fn clean(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
        .trim();
    if text.is_empty() || text.eq_ignore_ascii_case("null") || text.eq_ignore_ascii_case("none") {
        None
    } else {
        Some(text.to_string())
    }
}

/// A JSON cell as text: exports write booleans as `true`, `"true"` or `"TRUE"` alike.
fn json_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => clean(&s),
        other => Some(other.to_string()),
    }
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RowVisitor;

        impl<'de> Visitor<'de> for RowVisitor {
            type Value = Row;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a SHOW USERS row object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut row = Row::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match column(&key) {
                        Some(col) => {
                            let value: serde_json::Value = map.next_value()?;
                            row.set(col, json_text(value));
                        }
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(row)
            }
        }

        d.deserialize_map(RowVisitor)
    }
}

/// Reads Snowflake's boolean spellings: `true`, `TRUE`, `Y`, `yes`, `1` and their opposites.
fn flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "y" | "yes" | "1" => Some(true),
        "false" | "f" | "n" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// Snowflake's own timestamp spellings, which the general parser does not read:
/// `2020-04-28 12:24:38.722 -0700` (the default TIMESTAMP_LTZ output format, used by SHOW USERS,
/// snowsql and Snowsight downloads) and epoch seconds with a fraction (`1588101878.722000000`,
/// how the SQL REST API writes TIMESTAMP_LTZ).
pub(super) fn snowflake_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some((head, offset)) = text.rsplit_once(' ')
        && let [sign @ (b'+' | b'-'), h1, h2, m1, m2] = offset.as_bytes()
        && [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit())
    {
        let iso = format!(
            "{}{}{}{}:{}{}",
            head.trim().replacen(' ', "T", 1),
            char::from(*sign),
            char::from(*h1),
            char::from(*h2),
            char::from(*m1),
            char::from(*m2)
        );
        return crate::timestamp::parse(&iso);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if (9..=11).contains(&whole.len())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return whole
            .parse::<i64>()
            .ok()
            .and_then(crate::timestamp::from_unix_seconds);
    }
    None
}

/// Reads a timestamp cell; an unreadable one is reported and treated as unknown.
fn when(sink: &mut Sink, label: &str, field: &str, value: Option<&str>) -> Option<Timestamp> {
    let text = value?;
    snowflake_time(text).or_else(|| sink.time(label, field, Some(text)))
}

const LEGACY_SERVICE: &str = "Snowflake LEGACY_SERVICE user: a non-interactive integration that \
     may still sign in with a password or SAML; Snowflake is deprecating the type in favour of \
     TYPE = SERVICE";

/// Counts what one input held, for the one problem about rows the reading role could not see.
#[derive(Default)]
pub(super) struct Tally {
    hidden: usize,
}

impl Tally {
    /// Reports rows that showed only a name.
    pub(super) fn finish(self, sink: &mut Sink) {
        if self.hidden > 0 {
            sink.problem(format!(
                "{} users show only their name: Snowflake fills the other SHOW USERS columns only \
                 for a role with OWNERSHIP of the user or MANAGE GRANTS; run it as such a role",
                self.hidden
            ));
        }
    }
}

/// Reads one row into an identity. `place` names the row for problems (`line 4`, `record 2`).
pub(super) fn read_row(row: &Row, place: &str, sink: &mut Sink, tally: &mut Tally) {
    let Some(name) = row.get(Col::Name) else {
        if !row.is_blank() {
            sink.problem(format!("{place} skipped: no user name"));
        }
        return;
    };
    let label = format!("{place} ({name})");
    // Without OWNERSHIP of the user or MANAGE GRANTS, every column but `name` is NULL.
    let visible = [
        Col::CreatedOn,
        Col::LoginName,
        Col::Type,
        Col::HasPassword,
        Col::HasRsaPublicKey,
        Col::Owner,
        Col::LastSuccessLogin,
        Col::Disabled,
        Col::DefaultRole,
    ]
    .iter()
    .any(|c| row.get(*c).is_some());
    if !visible {
        tally.hidden += 1;
    }

    let user_type = row.get(Col::Type).map(str::to_ascii_uppercase);
    let (kind, human, legacy) = match user_type.as_deref() {
        // `NULL` functions the same as PERSON. A row the role cannot see is read the same way:
        // Snowflake's own default, and it keeps the row from counting as a workload.
        None | Some("PERSON") => (Kind::User, true, None),
        Some("LEGACY_SERVICE") => (Kind::ServiceUser, false, Some(LEGACY_SERVICE)),
        // SNOWFLAKE_SERVICE: created by Snowflake for one of the account's own Snowpark
        // Container Services; it answers to the service's owner, not to Snowflake.
        Some("SERVICE" | "SNOWFLAKE_SERVICE") => (Kind::ServiceUser, false, None),
        Some(other) => {
            sink.problem(format!(
                "{label}: user type \"{}\" is not one NHI Lens knows; read as a service user",
                crate::text::clip(other, 30)
            ));
            (Kind::ServiceUser, false, None)
        }
    };

    // A dropped user stays in the ACCOUNT_USAGE view for a year; the name may be reused since.
    let deleted = row.get(Col::DeletedOn).is_some();
    let native_id = match (deleted, row.get(Col::UserId)) {
        (false, _) => name.to_string(),
        (true, Some(user_id)) => format!("{name}#deleted-{user_id}"),
        (true, None) => format!(
            "{name}#deleted-{}",
            row.get(Col::DeletedOn).unwrap_or_default()
        ),
    };
    let mut identity = Identity::new(Platform::Snowflake, kind, native_id, name);
    identity.human = human;
    identity.legacy = legacy.map(str::to_string);
    if let Some(login) = row.get(Col::LoginName)
        && !login.eq_ignore_ascii_case(name)
    {
        identity.aliases.push(login.to_string());
    }
    if let Some(user_id) = row.get(Col::UserId) {
        identity.aliases.push(user_id.to_string());
    }
    identity.created_at = when(sink, &label, "created_on", row.get(Col::CreatedOn));
    let disabled = row.flag(Col::Disabled) == Some(true);
    identity.enabled = !disabled && !deleted;
    let expires = when(sink, &label, "expires_at_time", row.get(Col::ExpiresAt));

    // Credentials. SHOW USERS says which kinds a user has, not their ages (DESCRIBE USER has the
    // key fingerprints); a user-level expiry ends them all.
    let user_expiry = |otherwise: Expiry| expires.map_or(otherwise, |at| Expiry::At { at });
    let mut credentials = Vec::new();
    let has_password = row.flag(Col::HasPassword) == Some(true);
    if has_password {
        let mut password = Credential::new(CredentialKind::Password);
        password.id = Some("password".into());
        password.label = Some("password".into());
        password.created_at = when(
            sink,
            &label,
            "password_last_set_time",
            row.get(Col::PasswordLastSetTime),
        );
        // A password policy may age it out; SHOW USERS does not say.
        password.expiry = user_expiry(Expiry::Unknown);
        credentials.push(password);
    }
    if row.flag(Col::HasRsaPublicKey) == Some(true) {
        let fingerprints: Vec<&str> = [Col::RsaPublicKeyFp, Col::RsaPublicKey2Fp]
            .iter()
            .filter_map(|c| row.get(*c))
            .collect();
        let slots: Vec<(Option<&str>, &str)> = if fingerprints.is_empty() {
            vec![(None, "RSA key pair")]
        } else {
            fingerprints
                .iter()
                .enumerate()
                .map(|(i, fp)| {
                    (
                        Some(*fp),
                        if i == 0 {
                            "RSA key pair"
                        } else {
                            "RSA key pair 2"
                        },
                    )
                })
                .collect()
        };
        for (fingerprint, slot) in slots {
            let mut key = Credential::new(CredentialKind::Key);
            key.id = Some(slot.replace(' ', "_").to_ascii_lowercase());
            key.label = Some(slot.into());
            // A registered public key has no expiry of its own.
            key.expiry = user_expiry(Expiry::Never);
            key.fingerprint = fingerprint.map(str::to_string);
            credentials.push(key);
        }
    }
    if row.flag(Col::HasPat) == Some(true) {
        let mut token = Credential::new(CredentialKind::Token);
        token.id = Some("programmatic_access_tokens".into());
        token.label = Some("programmatic access token(s)".into());
        // Each token has its own expiry, listed by SHOW USER PROGRAMMATIC ACCESS TOKENS only.
        token.expiry = user_expiry(Expiry::Unknown);
        credentials.push(token);
    }
    if row.flag(Col::HasFederated) == Some(true) {
        let mut federated = Credential::new(CredentialKind::Federated);
        federated.id = Some("workload_identity".into());
        federated.label = Some("workload identity federation".into());
        federated.expiry = user_expiry(Expiry::Never);
        credentials.push(federated);
    }

    // Use: Snowflake records each user's last successful login.
    let last_login = when(
        sink,
        &label,
        "last_success_login",
        row.get(Col::LastSuccessLogin),
    );
    // A listing that does not say whether the user has a key pair (Snowsight's grid) may hide
    // the credential it signs in with.
    let can_sign_in = human || !credentials.is_empty() || !row.has(Col::HasRsaPublicKey);
    identity.usage = match last_login {
        Some(at) => Usage::Used(LastUse {
            at,
            source: "last_success_login".into(),
            precision: Precision::Exact,
        }),
        None if !visible || !row.has(Col::LastSuccessLogin) => Usage::NotLoaded,
        // Present but unreadable: reported above, and not taken for "never".
        None if row.get(Col::LastSuccessLogin).is_some() => Usage::NotLoaded,
        None if can_sign_in => Usage::Never {
            source: "last_success_login is empty".into(),
        },
        // Nothing can sign in as it: a user object without credentials has no use to record.
        None => Usage::NotRecorded,
    };
    let credential_usage = match &identity.usage {
        Usage::Never { source } => Usage::Never {
            source: source.clone(),
        },
        // The login time is the user's, not a credential's.
        _ => Usage::NotLoaded,
    };
    for credential in &mut credentials {
        credential.usage = credential_usage.clone();
        credential.active = identity.enabled;
    }
    identity.credentials = credentials;
    if has_password {
        let mfa = match row.flag(Col::HasMfa) {
            Some(mfa) => Some(mfa || row.flag(Col::ExtAuthnDuo) == Some(true)),
            None => row.flag(Col::ExtAuthnDuo).filter(|duo| *duo),
        };
        identity.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa,
            last_login,
        });
    }

    // The owner is a role, never a person.
    identity.ownership = if !visible || !row.has(Col::Owner) {
        Ownership::NotLoaded
    } else {
        match row.get(Col::Owner) {
            Some(role) => Ownership::Known(vec![Owner {
                who: Principal::named(format!("role {role}")),
                source: OwnerSource::Explicit,
                basis: "owner (the Snowflake role that owns the user; a role, not a person)".into(),
            }]),
            None => Ownership::Missing,
        }
    };

    // The default role is what a session starts with; SHOW GRANTS TO USER lists every role held.
    if let Some(role) = row.get(Col::DefaultRole) {
        let (tier, classified) = super::roles().classify(role);
        identity.grants.push(Grant::new(role, tier, classified));
    }
    identity.credential_control = CredentialControl::CUSTOMER;
    sink.push(identity);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflake_timestamps_are_read() {
        let want = crate::timestamp::parse("2020-04-28T19:24:38.722Z");
        assert_eq!(snowflake_time("2020-04-28 12:24:38.722 -0700"), want);
        assert_eq!(snowflake_time("2020-04-28 19:24:38.722 +0000"), want);
        assert_eq!(
            snowflake_time("1588101878.722000000"),
            crate::timestamp::parse("2020-04-28T19:24:38Z")
        );
        assert_eq!(
            snowflake_time("2020-04-28T19:24:38Z"),
            None,
            "left to the general parser"
        );
        assert_eq!(snowflake_time("yesterday -0700"), None);
    }

    #[test]
    fn booleans_are_read_leniently() {
        for yes in ["true", "TRUE", "Y", "yes", "1"] {
            assert_eq!(flag(yes), Some(true), "{yes}");
        }
        for no in ["false", "FALSE", "N", "no", "0"] {
            assert_eq!(flag(no), Some(false), "{no}");
        }
        assert_eq!(flag("maybe"), None);
        assert_eq!(clean(" \"true\" "), Some("true".into()));
        assert_eq!(clean("NULL"), None);
    }

    #[test]
    fn columns_are_found_in_any_case() {
        assert_eq!(column("NAME"), Some(Col::Name));
        assert_eq!(column("Has_Workload_Identity"), Some(Col::HasFederated));
        assert_eq!(column("rsa_public_key"), None, "key material is never read");
        assert!(claims(["NAME", "CREATED_ON", "HAS_PASSWORD"]));
        assert!(!claims(["name", "created_on", "comment"]));
    }
}
