//! The IAM credential report: the CSV from `aws iam get-credential-report` (decoded), or that
//! command's JSON with the CSV base64-encoded in `Content`.
//!
//! Each row is a user. Who is a person and who is a workload is read from how the user signs in:
//! a console password with MFA is a person; access keys without a password are a workload. A
//! person's access keys are listed as a workload of their own, owned by that person, because they
//! keep working when nobody is at the keyboard.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::model::{
    AccountStatus, Credential, CredentialControl, CredentialKind, Expiry, Grant, GrantVia,
    Identity, InteractiveLogin, Kind, LastUse, Owner, OwnerSource, Ownership, Platform, Precision,
    Principal, Tier, Timestamp, Usage,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const CSV: Format = Format {
    id: "aws.credential_report",
    title: "AWS IAM credential report (CSV)",
    doc_url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
    detect: |shape| match shape {
        Shape::Csv(headers) => ["user", "arn", "user_creation_time"]
            .iter()
            .all(|h| headers.iter().any(|c| c.eq_ignore_ascii_case(h))),
        Shape::Json(_) | Shape::Html(_) => false,
    },
    read: read_exported!(|input, sink| read_csv(input.bytes, sink)),
    exported_only: true,
};

pub(super) const JSON: Format = Format {
    id: "aws.credential_report_json",
    title: "AWS IAM credential report (aws iam get-credential-report JSON)",
    doc_url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetCredentialReport.html",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            !s.top_array && s.has_key("Content") && s.string("ReportFormat").is_some()
        })
    },
    read: read_json,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Envelope {
    content: String,
    #[serde(default)]
    report_format: Option<String>,
}

fn read_json(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let envelope: Envelope = serde_json::from_slice(input.bytes).map_err(|e| e.to_string())?;
    if let Some(format) = &envelope.report_format
        && !format.eq_ignore_ascii_case("text/csv")
    {
        return Err(format!("the report format is {format}, not text/csv"));
    }
    let content: String = envelope.content.split_whitespace().collect();
    let csv = STANDARD
        .decode(content.as_bytes())
        .map_err(|e| format!("Content is not base64: {e}"))?;
    read_csv(&csv, sink)
}

/// The columns of one row, looked up by header name.
struct Row<'r> {
    headers: &'r [String],
    record: &'r csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        let i = self.headers.iter().position(|h| h == name)?;
        let v = self.record.get(i)?.trim();
        // The report writes these where there is nothing to say.
        (!v.is_empty() && !matches!(v, "N/A" | "not_supported" | "no_information")).then_some(v)
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    fn raw(&self, name: &str) -> Option<&str> {
        let i = self.headers.iter().position(|h| h == name)?;
        self.record.get(i).map(str::trim)
    }
}

fn read_csv(bytes: &[u8], sink: &mut Sink) -> Result<(), String> {
    let bytes = crate::ingest::probe::strip_bom(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("unreadable header row: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for needed in ["user", "arn"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(format!("the header row has no \"{needed}\" column"));
        }
    }
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sink.problem(format!("line {line} skipped: {e}"));
                continue;
            }
        };
        let row = Row {
            headers: &headers,
            record: &record,
        };
        let (Some(user), Some(arn)) = (row.raw("user").filter(|u| !u.is_empty()), row.get("arn"))
        else {
            sink.problem(format!("line {line} skipped: no user or ARN"));
            continue;
        };
        read_row(&row, user, arn, line, sink);
    }
    Ok(())
}

fn read_row(row: &Row, user: &str, arn: &str, line: usize, sink: &mut Sink) {
    let label = format!("line {line} ({user})");
    let account = arn
        .split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    let root = user == "<root_account>";
    let created = sink.time(&label, "user_creation_time", row.get("user_creation_time"));
    let password =
        row.flag("password_enabled") || (root && row.get("password_last_used").is_some());
    let mfa = row.flag("mfa_active");
    let password_used = sink.time(&label, "password_last_used", row.get("password_last_used"));
    // `N/A` for a user with a password means it was never used; `no_information` that IAM does
    // not know (use before October 2014).
    let password_never_used = password && row.raw("password_last_used") == Some("N/A");

    let mut keys = Vec::new();
    for n in 1..=2 {
        if let Some(key) = access_key(row, n, &label, sink) {
            keys.push(key);
        }
    }
    for n in 1..=2 {
        if let Some(cert) = signing_certificate(row, n, &label, sink) {
            keys.push(cert);
        }
    }
    let live_keys = keys.iter().any(|k| k.active);
    let display = if root {
        "root account".to_string()
    } else {
        user.to_string()
    };

    // Root, and people who sign in with a password and MFA, are persons.
    let person = root || (password && mfa) || (password && !live_keys);
    if person {
        let mut human = Identity::new(Platform::Aws, Kind::User, arn, &display);
        human.human = true;
        human.location = account.clone();
        human.created_at = created;
        human.root_account = root;
        human.ownership = Ownership::NotRecorded;
        human.interactive = Some(InteractiveLogin {
            password_enabled: password,
            mfa: Some(mfa),
            last_login: password_used,
        });
        human.usage = usage_from(password_used, password_never_used, password);
        human.credential_control = CredentialControl::CUSTOMER;
        sink.push(human);
        if !live_keys {
            return;
        }
        // The person's keys act without them: a workload owned by the person.
        let mut programmatic = Identity::new(
            Platform::Aws,
            Kind::AccessKey,
            format!("{arn}#access-keys"),
            format!("access keys of {display}"),
        );
        programmatic.location = account;
        programmatic.created_at = keys.iter().filter_map(|k| k.created_at).min();
        programmatic.root_account = root;
        programmatic.ownership = Ownership::Known(vec![Owner {
            who: Principal {
                name: display.clone(),
                id: Some(arn.to_string()),
                status: AccountStatus::Active,
            },
            source: OwnerSource::Explicit,
            basis: "the IAM user holding the keys".into(),
        }]);
        if root {
            programmatic.grants.push(root_grant());
        }
        finish_keys(&mut programmatic, keys);
        // The user's policies are not in the report (a root user's reach is everything).
        programmatic.grants_unread = !root;
        sink.push(programmatic);
        return;
    }

    let mut workload = Identity::new(Platform::Aws, Kind::ServiceUser, arn, &display);
    workload.location = account;
    workload.created_at = created;
    // IAM has no owner field; tags (not in this report) or the owner map can name one.
    workload.ownership = Ownership::NotRecorded;
    if password {
        workload.interactive = Some(InteractiveLogin {
            password_enabled: true,
            mfa: Some(mfa),
            last_login: password_used,
        });
    }
    workload.enabled = live_keys || password;
    finish_keys(&mut workload, keys);
    workload.grants_unread = true;
    if let Some(at) = password_used {
        workload.usage.combine(Usage::Used(LastUse {
            at,
            source: "password_last_used".into(),
            precision: Precision::Exact,
        }));
    }
    sink.push(workload);
}

fn finish_keys(identity: &mut Identity, keys: Vec<Credential>) {
    // Its last use is its keys' latest, a key since deactivated's too: that use was the
    // identity's, and an account whose only key was turned off two years ago is unused since.
    identity.usage = Usage::NotRecorded;
    for key in &keys {
        identity.usage.combine(key.usage.clone());
    }
    identity.credentials = keys;
    identity.credential_control = CredentialControl::CUSTOMER;
}

fn access_key(row: &Row, n: u8, label: &str, sink: &mut Sink) -> Option<Credential> {
    let active = row.flag(&format!("access_key_{n}_active"));
    let rotated_field = format!("access_key_{n}_last_rotated");
    let rotated = sink.time(label, &rotated_field, row.get(&rotated_field));
    if !active && rotated.is_none() {
        return None;
    }
    let mut key = Credential::new(CredentialKind::Key);
    key.label = Some(format!("access key {n}"));
    key.id = Some(format!("access_key_{n}"));
    key.active = active;
    key.created_at = rotated;
    // IAM access keys never expire.
    key.expiry = Expiry::Never;
    let used_field = format!("access_key_{n}_last_used_date");
    key.usage = match row.raw(&used_field) {
        Some("N/A") => Usage::Never {
            source: format!("{used_field} is N/A"),
        },
        Some(text) if row.get(&used_field).is_some() => {
            match sink.time(label, &used_field, Some(text)) {
                Some(at) => Usage::Used(LastUse {
                    at,
                    source: used_field,
                    // IAM records the first use in each 15-minute window.
                    precision: Precision::WindowMinutes(15),
                }),
                None => Usage::NotLoaded,
            }
        }
        _ => Usage::NotLoaded,
    };
    Some(key)
}

fn signing_certificate(row: &Row, n: u8, label: &str, sink: &mut Sink) -> Option<Credential> {
    if !row.flag(&format!("cert_{n}_active")) {
        return None;
    }
    let field = format!("cert_{n}_last_rotated");
    let mut cert = Credential::new(CredentialKind::Certificate);
    cert.label = Some(format!("signing certificate {n}"));
    cert.id = Some(format!("cert_{n}"));
    cert.created_at = sink.time(label, &field, row.get(&field));
    cert.usage = Usage::NotRecorded;
    Some(cert)
}

fn usage_from(at: Option<Timestamp>, never: bool, has_password: bool) -> Usage {
    match at {
        Some(at) => Usage::Used(LastUse {
            at,
            source: "password_last_used".into(),
            precision: Precision::Exact,
        }),
        None if never => Usage::Never {
            source: "password_last_used is N/A".into(),
        },
        None if has_password => Usage::NotLoaded,
        None => Usage::NotRecorded,
    }
}

fn root_grant() -> Grant {
    Grant {
        name: "root account (every action, cannot be limited by IAM policy)".into(),
        resource: None,
        tier: Tier::Admin,
        classified: true,
        via: GrantVia::Direct,
        granted_at: None,
        flagged_sensitive: false,
    }
}
