//! Directory users: `GET /users?$select=id,displayName,userPrincipalName,mail,accountEnabled`.
//! People are not reported: they tell whether an app's owners are still active.

use serde::Deserialize;

use super::graph::LIST_KEY;
use super::odata_set;
use crate::ingest::{Input, Sink, records};
use crate::model::{AccountStatus, Platform};
use crate::platforms::directory::Person;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.users",
    title: "Entra users (GET /users)",
    doc_url: "https://learn.microsoft.com/graph/api/user-list",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY)
                && match odata_set(s) {
                    Some(set) => set == "users",
                    None => {
                        s.first_has_all(&["userPrincipalName", "id"])
                            && !s.first_has_any(&["appId", "@odata.type"])
                    }
                }
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
    #[serde(default)]
    mail: Option<String>,
    /// Only returned with `$select`; without it the account's state is unknown.
    #[serde(default)]
    account_enabled: Option<bool>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<User>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    for user in list.items {
        let status = match user.account_enabled {
            Some(true) => AccountStatus::Active,
            Some(false) => AccountStatus::Disabled,
            None => AccountStatus::Unknown,
        };
        let name = user
            .user_principal_name
            .clone()
            .or(user.display_name.clone())
            .unwrap_or_else(|| user.id.clone());
        let keys = [
            user.id.as_str(),
            user.user_principal_name.as_deref().unwrap_or(""),
            user.mail.as_deref().unwrap_or(""),
        ];
        sink.joins
            .directory
            .add(Platform::Entra, &keys, Person { name, status });
    }
    Ok(())
}
