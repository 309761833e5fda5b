//! Keys of a Google Cloud service account: IAM
//! `GET v1/projects/{project}/serviceAccounts/{email}/keys` (`{"keys": [...]}`, not paged), or
//! the bare array `gcloud iam service-accounts keys list --format=json` prints.
//!
//! Only user-managed keys are credentials to score: Google rotates system-managed keys itself
//! (they are still read, to know the account's keys were loaded). `validAfterTime` is when the
//! key was made; a `validBeforeTime` in year 9999 [obs] (or over a century away) means the key
//! never expires. `privateKeyData` is never declared, so never read; `publicKeyData` (an X.509
//! certificate) is kept only as the SHA-256 fingerprint of the certificate.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{KeyRecord, KeysRead, is_unbounded, resource_name};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{Credential, CredentialKind, Expiry, Usage};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "google.service_account_keys",
    title: "Google Cloud service account keys (GET v1/projects/{project}/serviceAccounts/{email}/keys)",
    doc_url: "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys/list",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            (s.list_is(Some("keys")) || s.top_array)
                && s.first_has_any(&["validAfterTime", "keyType", "keyOrigin", "keyAlgorithm"])
                && s.first_has_all(&["name"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Key {
    name: String,
    #[serde(default)]
    key_type: Option<String>,
    #[serde(default)]
    key_origin: Option<String>,
    #[serde(default)]
    valid_after_time: Option<String>,
    #[serde(default)]
    valid_before_time: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    disable_reason: Option<String>,
    #[serde(default)]
    extended_status: Option<Vec<ExtendedStatus>>,
    /// Public: the certificate of the key pair, base64. Kept only as a fingerprint.
    #[serde(default)]
    public_key_data: Option<String>,
}

#[derive(Deserialize)]
struct ExtendedStatus {
    #[serde(default)]
    key: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bare = json(input.shape).is_some_and(|s| s.top_array);
    let list = records::read::<Key>(input.bytes, if bare { None } else { Some("keys") })?;
    sink.skipped(list.skipped);
    let mut read_for: Vec<String> = Vec::new();
    for key in list.items {
        let (project, account, key_id) = resource_name(&key.name);
        let (Some(account), Some(key_id)) = (account, key_id) else {
            sink.problem(format!(
                "key \"{}\" skipped: its name is not projects/…/serviceAccounts/…/keys/…",
                crate::text::clip(&key.name, 80)
            ));
            continue;
        };
        let account = account.to_string();
        if !read_for.iter().any(|a| a.eq_ignore_ascii_case(&account)) {
            read_for.push(account.clone());
            sink.joins.google.keys_read.push(KeysRead {
                account: account.clone(),
                project: project.map(str::to_string),
                source: sink.source_name(),
            });
        }
        // Keys without a type are kept: a key we cannot place is worth a look.
        if key
            .key_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("SYSTEM_MANAGED"))
        {
            continue;
        }
        let label = format!("key {key_id}");
        let created = sink.time(&label, "validAfterTime", key.valid_after_time.as_deref());
        let before = sink.time(&label, "validBeforeTime", key.valid_before_time.as_deref());
        let mut credential = Credential::new(CredentialKind::Key);
        credential.id = Some(key_id.to_string());
        credential.created_at = created;
        credential.expiry = match before {
            None => Expiry::Unknown,
            Some(end) if is_unbounded(created, end) => Expiry::Never,
            Some(end) => Expiry::At { at: end },
        };
        // Key use is recorded by Activity Analyzer (serviceAccountKeyLastAuthentication), not
        // by this list.
        credential.usage = Usage::NotLoaded;
        credential.active = !key.disabled.unwrap_or(false);
        credential.fingerprint = key.public_key_data.as_deref().and_then(certificate_sha256);
        let mut notes: Vec<&str> = Vec::new();
        if key
            .key_origin
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case("USER_PROVIDED"))
        {
            notes.push("uploaded public key");
        }
        if let Some(flag) = exposure(&key) {
            notes.push(flag);
        }
        if !notes.is_empty() {
            credential.label = Some(format!("{key_id} ({})", notes.join(", ")));
        }
        sink.joins.google.keys.push(KeyRecord {
            account,
            credential,
        });
    }
    Ok(())
}

/// Whether Google reports the key's private half as exposed or compromised
/// (`disableReason`, `extendedStatus[].key`).
fn exposure(key: &Key) -> Option<&'static str> {
    let texts = key
        .disable_reason
        .iter()
        .chain(
            key.extended_status
                .iter()
                .flatten()
                .filter_map(|s| s.key.as_ref()),
        )
        .map(|t| t.to_ascii_uppercase());
    let mut found = None;
    for text in texts {
        if text.contains("COMPROMISE") {
            return Some("reported compromised by Google");
        }
        if text.contains("EXPOSED") {
            found = Some("reported exposed by Google");
        }
    }
    found
}

/// `SHA256:…` of the DER certificate in `publicKeyData` (base64 of a PEM file, or of DER).
fn certificate_sha256(public_key_data: &str) -> Option<String> {
    let compact: String = public_key_data.split_whitespace().collect();
    let decoded = STANDARD.decode(compact.as_bytes()).ok()?;
    let der = match std::str::from_utf8(&decoded) {
        Ok(pem) if pem.contains("-----BEGIN") => {
            let body: String = pem
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .flat_map(|l| l.split_whitespace())
                .collect();
            STANDARD.decode(body.as_bytes()).ok()?
        }
        _ => decoded,
    };
    if der.is_empty() {
        return None;
    }
    Some(format!(
        "SHA256:{}",
        STANDARD_NO_PAD.encode(Sha256::digest(&der))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_come_from_the_certificate_not_its_wrapping() {
        let der = b"\x30\x82\x01\x0a certificate bytes";
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            STANDARD.encode(der)
        );
        let from_pem = certificate_sha256(&STANDARD.encode(pem)).unwrap();
        let from_der = certificate_sha256(&STANDARD.encode(der)).unwrap();
        assert_eq!(from_pem, from_der);
        assert!(from_pem.starts_with("SHA256:"));
        assert_eq!(certificate_sha256("not base64!"), None);
        assert_eq!(certificate_sha256(""), None);
    }
}
