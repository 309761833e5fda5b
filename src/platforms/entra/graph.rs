//! Microsoft Graph shapes shared by the Entra readers: credentials, publishers and directory
//! objects, and their conversion into the model.

use std::borrow::Cow;
use std::fmt::Display;

use serde::Deserialize;

use crate::ingest::Problems;
use crate::ingest::probe::{json_error_reason, strip_bom};
use crate::model::{
    AccountStatus, Credential, CredentialKind, Expiry, Owner, OwnerSource, Principal, Publisher,
};

/// The `@odata.nextLink`-paged `value` list every Graph collection uses.
pub(super) const LIST_KEY: Option<&str> = Some("value");

/// Names a record in problem messages; formatted only when there is a problem to report.
pub(super) struct RecordLabel<'a> {
    pub what: &'static str,
    pub id: &'a str,
}

impl Display for RecordLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.what, self.id)
    }
}

/// `passwordCredential`: a client secret. `secretText` is never read.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct PasswordCredential<'a> {
    key_id: Option<String>,
    display_name: Option<String>,
    hint: Option<String>,
    #[serde(borrow)]
    start_date_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    end_date_time: Option<Cow<'a, str>>,
}

/// `keyCredential`: a certificate. `key` (the certificate itself) is never read.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct KeyCredential<'a> {
    key_id: Option<String>,
    display_name: Option<String>,
    #[serde(borrow)]
    usage: Option<Cow<'a, str>>,
    #[serde(borrow)]
    start_date_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    end_date_time: Option<Cow<'a, str>>,
    /// The certificate thumbprint, base64 or hex: public, and the way to spot one certificate on
    /// several apps.
    custom_key_identifier: Option<String>,
}

/// `federatedIdentityCredential` (with `$expand=federatedIdentityCredentials`): no secret at all.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct FederatedCredential {
    id: Option<String>,
    name: Option<String>,
    issuer: Option<String>,
    subject: Option<String>,
}

/// One object a blade fetched by its ID (`what` it is, for the error); `None` when it lacks one of
/// the `ids` (a `$select` asking for a field or two names no record).
pub(super) fn one_object<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    ids: &[&str],
    what: &str,
) -> Result<Option<T>, String> {
    match serde_json::from_slice(strip_bom(bytes)) {
        Ok(object) => Ok(Some(object)),
        Err(e) if ids.iter().any(|id| lacks_field(&e, id)) => Ok(None),
        Err(e) => Err(format!("not {what}: {}", json_error_reason(&e))),
    }
}

/// Whether serde_json stopped reading a record for want of this field.
fn lacks_field(error: &serde_json::Error, field: &str) -> bool {
    let text = error.to_string();
    let named = text
        .strip_prefix("missing field `")
        .and_then(|t| t.strip_prefix(field));
    error.is_data() && named.is_some_and(|rest| rest.starts_with('`'))
}

/// `verifiedPublisher`: empty when Microsoft has not verified the publisher.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct VerifiedPublisher {
    display_name: Option<String>,
    verified_publisher_id: Option<String>,
}

/// A `directoryObject` as owners lists return it: a user or a service principal.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct DirectoryObject {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    id: Option<String>,
    display_name: Option<String>,
    user_principal_name: Option<String>,
    mail: Option<String>,
    account_enabled: Option<bool>,
}

/// Leaves out a service principal's SAML token-signing material, which Microsoft Graph's
/// `addTokenSigningCertificate` (and the portal's SAML setup) adds as three credentials of one
/// `customKeyIdentifier`: a key credential of usage `Sign` (the private key), one of usage
/// `Verify`, and a password credential of the `Sign` key's `keyId` that opens its PFX [doc:
/// servicePrincipal-addtokensigningcertificate]. Entra signs the tokens it issues to the app with
/// it; the app signs in with none of it, and it lasts three years by default.
pub(super) fn without_token_signing(
    passwords: &mut Option<Vec<PasswordCredential<'_>>>,
    keys: &mut Option<Vec<KeyCredential<'_>>>,
) {
    let usage = |k: &KeyCredential, of: &str| {
        k.usage
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(of))
    };
    let password_ids: Vec<&str> = passwords
        .iter()
        .flatten()
        .filter_map(|p| p.key_id.as_deref())
        .collect();
    // Each set, by its Sign key that a password opens (the keyId and the set's identifier): a
    // secret added beside it, of a keyId of its own, stays a secret.
    let sets: Vec<(String, Option<String>)> = keys
        .iter()
        .flatten()
        .filter(|k| usage(k, "sign"))
        .filter_map(|k| {
            let id = k.key_id.as_deref().filter(|id| password_ids.contains(id))?;
            Some((id.to_string(), k.custom_key_identifier.clone()))
        })
        .collect();
    if sets.is_empty() {
        return;
    }
    if let Some(passwords) = passwords {
        passwords.retain(|p| !sets.iter().any(|(id, _)| p.key_id.as_ref() == Some(id)));
    }
    if let Some(keys) = keys {
        keys.retain(|k| {
            let of_a_set = sets.iter().any(|(_, identifier)| {
                identifier.is_some() && *identifier == k.custom_key_identifier
            });
            !(of_a_set && (usage(k, "sign") || usage(k, "verify")))
        });
    }
}

impl PasswordCredential<'_> {
    pub(super) fn into_model(
        self,
        notes: &mut impl Problems,
        record: &impl Display,
        on_sp: bool,
    ) -> Credential {
        let mut c = Credential::new(CredentialKind::Secret);
        let shown = self
            .display_name
            .filter(|n| !n.is_empty())
            .or(self.hint.map(|h| format!("{h}…")));
        c.label = Some(placed(shown, on_sp));
        c.id = self.key_id;
        c.created_at = notes.time(
            record,
            "passwordCredentials.startDateTime",
            self.start_date_time.as_deref(),
        );
        c.expiry = expiry(
            notes,
            record,
            "passwordCredentials.endDateTime",
            self.end_date_time,
        );
        c
    }
}

impl KeyCredential<'_> {
    pub(super) fn into_model(
        self,
        notes: &mut impl Problems,
        record: &impl Display,
        on_sp: bool,
    ) -> Credential {
        let mut c = Credential::new(CredentialKind::Certificate);
        let mut shown = self.display_name.filter(|n| !n.is_empty());
        if self
            .usage
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case("sign"))
        {
            shown = Some(format!(
                "{} (signing)",
                shown.unwrap_or_else(|| "certificate".into())
            ));
        }
        c.label = Some(placed(shown, on_sp));
        c.id = self.key_id;
        c.created_at = notes.time(
            record,
            "keyCredentials.startDateTime",
            self.start_date_time.as_deref(),
        );
        c.expiry = expiry(
            notes,
            record,
            "keyCredentials.endDateTime",
            self.end_date_time,
        );
        c.fingerprint = self.custom_key_identifier.filter(|t| !t.is_empty());
        c
    }
}

impl FederatedCredential {
    pub(super) fn into_model(self) -> Credential {
        let mut c = Credential::new(CredentialKind::Federated);
        c.id = self.id;
        c.label = Some(match (self.name, self.issuer, self.subject) {
            (Some(name), _, _) => name,
            (None, Some(issuer), Some(subject)) => format!("{issuer} {subject}"),
            _ => "federated credential".into(),
        });
        c.expiry = Expiry::Never;
        c
    }
}

/// Credentials added straight to a service principal are a known place to hide persistence:
/// say where each one lives.
fn placed(label: Option<String>, on_sp: bool) -> String {
    let label = label.unwrap_or_else(|| "unnamed".into());
    if on_sp {
        format!("{label} [on the service principal]")
    } else {
        label
    }
}

fn expiry(
    notes: &mut impl Problems,
    record: &impl Display,
    field: &str,
    end: Option<Cow<'_, str>>,
) -> Expiry {
    match notes.time(record, field, end.as_deref()) {
        Some(at) => Expiry::At { at },
        // Graph always writes an end; a missing one is unknown, not "never".
        None => Expiry::Unknown,
    }
}

impl VerifiedPublisher {
    /// The publisher as the model knows it; party is settled when the app is joined.
    pub(super) fn into_model(this: Option<Self>, fallback_name: Option<String>) -> Publisher {
        let verified = this.as_ref().map(|p| {
            p.verified_publisher_id
                .as_deref()
                .is_some_and(|id| !id.trim().is_empty())
        });
        let name = this
            .and_then(|p| p.display_name)
            .filter(|n| !n.is_empty())
            .or(fallback_name.filter(|n| !n.is_empty()));
        Publisher {
            name,
            verified,
            ..Publisher::default()
        }
    }
}

impl DirectoryObject {
    /// The owner this directory object names, if it names anyone.
    pub(super) fn into_owner(self, basis: &str) -> Option<Owner> {
        let name = self
            .user_principal_name
            .or(self.mail)
            .or(self.display_name)
            .or_else(|| self.id.clone())?;
        let status = match self.account_enabled {
            Some(true) => AccountStatus::Active,
            Some(false) => AccountStatus::Disabled,
            None => AccountStatus::Unknown,
        };
        let kind = self
            .odata_type
            .as_deref()
            .map(|t| t.trim_start_matches("#microsoft.graph."));
        let basis = match kind {
            Some("servicePrincipal") => format!("{basis} (a service principal)"),
            _ => basis.to_string(),
        };
        Some(Owner {
            who: Principal {
                name,
                id: self.id,
                status,
            },
            source: OwnerSource::Explicit,
            basis,
        })
    }
}

/// Reads an inline `owners` list (`$expand=owners`) into owners.
pub(super) fn owners(list: Option<Vec<DirectoryObject>>, basis: &str) -> Option<Vec<Owner>> {
    list.map(|objects| {
        objects
            .into_iter()
            .filter_map(|o| o.into_owner(basis))
            .collect()
    })
}
