//! SAML SSO credential authorizations (GitHub Enterprise Cloud):
//! `GET /orgs/{org}/credential-authorizations`. The only organisation-level view of classic
//! personal access tokens, OAuth app tokens and SSH keys.

use serde::Deserialize;

use super::{Id, last_use, login_owner, scope_grant};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Identity, Kind, Ownership, Platform,
    Reach,
};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "github.credential_authorizations",
    title: "GitHub SSO credential authorizations (GET /orgs/{org}/credential-authorizations)",
    doc_url: "https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array && s.first_has_all(&["login", "credential_id", "credential_type"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct Authorization {
    login: String,
    credential_id: Id,
    #[serde(default)]
    credential_type: Option<String>,
    #[serde(default)]
    credential_authorized_at: Option<String>,
    /// `null` when never used; absent in some of GitHub's own examples (then: not loaded).
    #[serde(default, deserialize_with = "crate::ingest::present")]
    credential_accessed_at: Option<Option<String>>,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    fingerprint: Option<String>,
    #[serde(default)]
    authorized_credential_title: Option<String>,
    #[serde(default)]
    authorized_credential_note: Option<String>,
    #[serde(default)]
    authorized_credential_expires_at: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Authorization>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for item in list.items {
        let kind_text = item.credential_type.clone().unwrap_or_default();
        let ssh = kind_text.to_ascii_lowercase().contains("ssh");
        let (kind, credential_kind) = if ssh {
            (Kind::SshKey, CredentialKind::Key)
        } else {
            (Kind::UserToken, CredentialKind::Token)
        };
        let title = item
            .authorized_credential_note
            .clone()
            .or_else(|| item.authorized_credential_title.clone())
            .filter(|t| !t.is_empty());
        let shown_type = if kind_text.is_empty() {
            "credential"
        } else {
            kind_text.as_str()
        };
        let name = match &title {
            Some(t) => format!("{t} ({shown_type} of {})", item.login),
            None => format!("{shown_type} of {}", item.login),
        };
        let native = format!("sso/{}", item.credential_id);
        let label = format!("credential {} of {}", item.credential_id, item.login);
        let mut identity = Identity::new(Platform::Github, kind, native, name);
        identity.ownership = Ownership::Known(vec![login_owner(&item.login, "login")]);
        identity.created_at = sink.time(
            &label,
            "credential_authorized_at",
            item.credential_authorized_at.as_deref(),
        );
        identity.usage = last_use(
            sink,
            &label,
            "credential_accessed_at",
            item.credential_accessed_at,
        );
        let mut credential = Credential::new(credential_kind);
        credential.id = Some(item.credential_id.to_string());
        credential.label = title;
        credential.created_at = identity.created_at;
        credential.usage = identity.usage.clone();
        credential.fingerprint = item.fingerprint.filter(|f| !f.is_empty());
        credential.expiry = match &item.authorized_credential_expires_at {
            // SSH keys have no expiry, and the field is there only for tokens: a token without
            // one never expires.
            None => Expiry::Never,
            // A value that is no date is unknown, as its note says; never "never expires".
            Some(_) => crate::ingest::expiry(
                sink,
                &label,
                "authorized_credential_expires_at",
                Some(&item.authorized_credential_expires_at),
            ),
        };
        identity.credentials.push(credential);
        identity.grants = item
            .scopes
            .unwrap_or_default()
            .iter()
            .map(|s| scope_grant(s))
            .collect();
        // A classic token or SSH key reaches every repository its user can.
        identity.reach = Reach::All;
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}
