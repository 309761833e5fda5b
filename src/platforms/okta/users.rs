//! The users directory: `GET /api/v1/users`. People are not identities: they give API-token owners
//! and grant approvers a name and say whether their account is still active.

use serde::Deserialize;

use crate::ingest::{Input, Sink, records};
use crate::model::{AccountStatus, Platform};
use crate::platforms::directory::Person;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "okta.users",
    title: "Okta users (GET /api/v1/users)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["id", "status", "profile"])
                && s.first.as_ref().is_some_and(|first| {
                    first
                        .get("profile")
                        .and_then(|p| p.as_object())
                        .is_some_and(|p| p.contains_key("login"))
                })
        })
    },
    read,
    exported_only: false,
};

/// A user. `credentials` (password and recovery question objects) is never declared.
#[derive(Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    profile: Profile,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Profile {
    login: Option<String>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    display_name: Option<String>,
}

/// Okta's user statuses: suspended and deactivated accounts cannot sign in; a locked-out account
/// or an expired password still belongs to someone who is around.
fn status(text: Option<&str>) -> AccountStatus {
    match text.map(str::to_ascii_uppercase).as_deref() {
        Some("SUSPENDED" | "DEPROVISIONED") => AccountStatus::Disabled,
        Some(
            "ACTIVE" | "STAGED" | "PROVISIONED" | "RECOVERY" | "LOCKED_OUT" | "PASSWORD_EXPIRED",
        ) => AccountStatus::Active,
        _ => AccountStatus::Unknown,
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<User>(input.bytes, None)?;
    sink.skipped(list.skipped);
    for user in list.items {
        let profile = user.profile;
        let full_name = [profile.first_name.as_deref(), profile.last_name.as_deref()]
            .iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = profile
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| (!full_name.is_empty()).then_some(full_name))
            .or_else(|| profile.login.clone())
            .unwrap_or_else(|| user.id.clone());
        let person = Person {
            name,
            status: status(user.status.as_deref()),
        };
        let keys = [
            user.id.as_str(),
            profile.login.as_deref().unwrap_or_default(),
            profile.email.as_deref().unwrap_or_default(),
        ];
        sink.joins
            .directory
            .add(Platform::Okta, &keys, person.clone());
        sink.joins.okta.people.insert(user.id, person);
    }
    Ok(())
}
