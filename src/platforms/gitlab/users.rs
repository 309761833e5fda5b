//! Users: `GET /api/v4/users`. People are not identities: the list tells whether a token's user is
//! still active (`state`) and gives their name, and marks bot users (`bot`), whose personal access
//! tokens are project, group or service-account tokens rather than a person's.

use serde::Deserialize;

use super::{Id, UserRecord};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{AccountStatus, Platform};
use crate::platforms::directory::Person;
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "gitlab.users",
    title: "GitLab users (GET /api/v4/users)",
    doc_url: "https://docs.gitlab.com/api/users/#list-users",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["id", "username", "state"])
                && s.first_has_any(&["web_url", "avatar_url", "name"])
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct User {
    id: Id,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// Administrators only.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    public_email: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    bot: Option<bool>,
    #[serde(default)]
    created_at: Option<String>,
}

/// `active`; `blocked`, `ldap_blocked`, `blocked_pending_approval`, `deactivated` and `banned`
/// accounts cannot sign in or use their tokens.
fn status(state: Option<&str>) -> AccountStatus {
    match state.map(str::to_ascii_lowercase).as_deref() {
        Some("active") => AccountStatus::Active,
        Some(
            "blocked" | "ldap_blocked" | "blocked_pending_approval" | "deactivated" | "banned",
        ) => AccountStatus::Disabled,
        _ => AccountStatus::Unknown,
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let skipped = records::each::<User, _>(input.bytes, None, |user| {
        let id = user.id.to_string();
        let created_at = sink.time(
            format_args!("user {id}"),
            "created_at",
            user.created_at.as_deref(),
        );
        let status = status(user.state.as_deref());
        let name = user
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| user.username.clone())
            .unwrap_or_else(|| id.clone());
        let keys = [
            id.as_str(),
            user.username.as_deref().unwrap_or(""),
            user.email.as_deref().unwrap_or(""),
            user.public_email.as_deref().unwrap_or(""),
        ];
        sink.joins
            .directory
            .add(Platform::Gitlab, &keys, Person { name, status });
        sink.joins.gitlab.users.insert(
            id,
            UserRecord {
                status,
                bot: user.bot == Some(true),
                created_at,
            },
        );
    })?;
    sink.skipped(skipped);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_that_stop_sign_in_are_disabled() {
        assert_eq!(status(Some("active")), AccountStatus::Active);
        for state in ["blocked", "deactivated", "banned", "ldap_blocked"] {
            assert_eq!(status(Some(state)), AccountStatus::Disabled, "{state}");
        }
        assert_eq!(status(None), AccountStatus::Unknown);
    }
}
