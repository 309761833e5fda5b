//! API tokens: `GET /api/v1/api-tokens`.
//!
//! A token acts with every admin role of the user who created it and is not scoped any further.
//! It expires after `tokenWindow` (30 days) without use and renews on every use, so
//! `expiresAt − tokenWindow` is when it was last used.

use serde::Deserialize;

use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{
    AccountStatus, Credential, CredentialControl, CredentialKind, Expiry, Grant, GrantVia,
    Identity, Kind, LastUse, Network, Owner, OwnerSource, Ownership, Platform, Precision,
    Principal, Tier, Usage,
};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "okta.api_tokens",
    title: "Okta API tokens (GET /api/v1/api-tokens)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApiToken/",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && (s.first_has_all(&["tokenWindow"])
                    || s.first_has_all(&["userId", "clientName", "expiresAt"]))
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiToken {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    client_name: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    token_window: Option<String>,
    #[serde(default)]
    network: Option<TokenNetwork>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenNetwork {
    connection: Option<String>,
}

/// Okta's documented idle window, used when a token does not state its own.
const DEFAULT_WINDOW_DAYS: u32 = 30;

/// Longer idle windows than this (ten years) are not something Okta sets: treated as unreadable.
const MAX_WINDOW_DAYS: u32 = 3650;

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<ApiToken>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for token in list.items {
        let name = token
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| token.id.clone());
        let label = format!("API token {} ({name})", token.id);
        let mut identity = Identity::new(Platform::Okta, Kind::ApiToken, &token.id, name);
        identity.location = token.client_name.clone();
        identity.ownership = match token.user_id.as_deref().filter(|u| !u.is_empty()) {
            Some(user) => Ownership::Known(vec![Owner {
                who: Principal {
                    name: user.to_string(),
                    id: Some(user.to_string()),
                    status: Default::default(),
                },
                source: OwnerSource::Explicit,
                basis: "userId (the admin whose roles the token carries)".into(),
            }]),
            None => Ownership::Missing,
        };
        identity.created_at = sink.time(&label, "created", token.created.as_deref());
        let window = match token.token_window.as_deref() {
            None => Some(DEFAULT_WINDOW_DAYS),
            Some(text) => {
                let days = iso_duration_days(text).filter(|d| *d <= MAX_WINDOW_DAYS);
                if days.is_none() {
                    sink.problem(format!(
                        "{label}: tokenWindow \"{}\" is not a duration of up to {MAX_WINDOW_DAYS} days",
                        crate::text::clip(text, 40)
                    ));
                }
                days
            }
        };
        let expires = sink.time(&label, "expiresAt", token.expires_at.as_deref());
        let mut credential = Credential::new(CredentialKind::Token);
        credential.id = Some(token.id.clone());
        credential.label = token.name.clone();
        credential.created_at = identity.created_at;
        credential.expiry = match (expires, window) {
            (Some(at), Some(days)) => Expiry::Idle { at, days },
            (Some(at), None) => Expiry::At { at },
            (None, _) => Expiry::Unknown,
        };
        identity.usage = match (expires, window) {
            (Some(at), Some(days)) => {
                let last = at.checked_sub(time::Duration::days(i64::from(days)));
                // A token never used still shows its creation time plus the window; a derived
                // time before the creation says the data is inconsistent, not when it was used.
                // Reports write years 0000–9999 only; anything earlier is inconsistent data.
                let last = last.filter(|t| t.year() >= 1970);
                match (last, identity.created_at) {
                    (None, _) => Usage::NotLoaded,
                    (Some(last), Some(created)) if last < created - time::Duration::minutes(1) => {
                        sink.problem(format!(
                            "{label}: expiresAt is earlier than created plus tokenWindow"
                        ));
                        Usage::NotLoaded
                    }
                    (Some(last), Some(created))
                        if (last - created).abs() < time::Duration::minutes(1) =>
                    {
                        Usage::Never {
                            source: "expiresAt − tokenWindow equals the creation time".into(),
                        }
                    }
                    (Some(last), _) => Usage::Used(LastUse {
                        at: last,
                        source: "expiresAt − tokenWindow".into(),
                        precision: Precision::Derived,
                    }),
                }
            }
            _ => Usage::NotLoaded,
        };
        credential.usage = identity.usage.clone();
        identity.credentials.push(credential);
        identity.network = match token.network.and_then(|n| n.connection) {
            Some(c) if c.eq_ignore_ascii_case("ANYWHERE") => Network::Anywhere,
            Some(_) => Network::Restricted,
            None => Network::Unknown,
        };
        // The token's power is its creator's admin roles, which this response does not carry.
        identity.grants.push(Grant {
            name: "Okta API with the creating admin's roles".into(),
            resource: None,
            tier: Tier::SensitiveRead,
            classified: false,
            via: GrantVia::Direct,
            granted_at: identity.created_at,
            flagged_sensitive: false,
        });
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    Ok(())
}

/// Whole days of an ISO 8601 duration of days or weeks (`P30D`, `P4W`).
fn iso_duration_days(text: &str) -> Option<u32> {
    let body = text
        .trim()
        .strip_prefix('P')
        .or_else(|| text.trim().strip_prefix('p'))?;
    if let Some(days) = body.strip_suffix(['D', 'd']) {
        return days.parse().ok();
    }
    if let Some(weeks) = body.strip_suffix(['W', 'w']) {
        return weeks.parse::<u32>().ok().and_then(|w| w.checked_mul(7));
    }
    None
}

/// Okta rejects the API tokens of users it deactivated (or suspended) [doc: "Tokens from
/// deactivated users are rejected", the API tokens API]: once the directory gave each token's
/// user a status, a token whose every owner is disabled is no longer enabled, nor its token live.
/// It is still listed, to be deleted; it no longer acts.
pub(crate) fn rejected_with_their_users(identities: &mut [Identity]) {
    for identity in identities
        .iter_mut()
        .filter(|i| i.platform == Platform::Okta && i.kind == Kind::ApiToken)
    {
        let owners = identity.ownership.owners();
        if !owners.is_empty()
            && owners
                .iter()
                .all(|o| o.who.status == AccountStatus::Disabled)
        {
            identity.enabled = false;
            for credential in &mut identity.credentials {
                credential.active = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_windows_are_read_in_days() {
        assert_eq!(iso_duration_days("P30D"), Some(30));
        assert_eq!(iso_duration_days("P2W"), Some(14));
        assert_eq!(iso_duration_days("PT5M"), None);
        assert_eq!(
            iso_duration_days("P999999999W"),
            None,
            "overflow is unreadable, not a panic"
        );
    }
}
