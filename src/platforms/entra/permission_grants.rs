//! Delegated permission grants: `GET /oauth2PermissionGrants`
//! (or `/servicePrincipals/{id}/oauth2PermissionGrants`).

use serde::Deserialize;

use super::graph::LIST_KEY;
use super::lists_read::{delegated, filtered_client, is_narrowed, owner_of_list, read_whole};
use super::{DelegatedRecord, odata_set};
use crate::ingest::{Input, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.oauth2_permission_grants",
    title: "Entra delegated permission grants (GET /oauth2PermissionGrants)",
    doc_url: "https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY)
                && (odata_set(s).is_some_and(|e| e.eq_ignore_ascii_case("oauth2PermissionGrants"))
                    || s.first_has_all(&["clientId", "consentType", "resourceId"]))
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Grant {
    /// The client's service principal object ID (not its app ID).
    client_id: String,
    #[serde(default)]
    consent_type: Option<String>,
    #[serde(default)]
    principal_id: Option<String>,
    /// The resource API's service principal object ID.
    resource_id: String,
    /// Space-separated scope names.
    #[serde(default)]
    scope: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Grant>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    // Whose grants this list holds whole: one client's, or the tenant's.
    if let Some(shape) = read_whole(input) {
        let narrowed = is_narrowed(input.source);
        let whole = match owner_of_list(input.source, shape, "oauth2PermissionGrants") {
            Some(client) if !narrowed => Some(delegated(Some(&client))),
            _ => match filtered_client(input.source) {
                Some(client) => Some(delegated(Some(&client))),
                None => (!narrowed).then(|| delegated(None)),
            },
        };
        sink.joins.entra.lists_read.extend(whole);
    }
    for grant in list.items {
        let record = DelegatedRecord {
            client_sp: grant.client_id,
            all_users: grant
                .consent_type
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case("AllPrincipals")),
            principal: grant.principal_id.filter(|p| !p.is_empty()),
            resource_sp: grant.resource_id,
            scopes: grant
                .scope
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            source: sink.source_name(),
        };
        sink.joins.entra.delegated.push(record);
    }
    Ok(())
}
