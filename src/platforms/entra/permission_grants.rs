//! Delegated permission grants: `GET /oauth2PermissionGrants`
//! (or `/servicePrincipals/{id}/oauth2PermissionGrants`).

use serde::Deserialize;

use super::graph::LIST_KEY;
use super::lists_read::{
    delegated, filtered_client, is_narrowed, is_tenant_list, owner_of_list, read_listed,
};
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

/// The list's name in Graph's paths.
const LIST: &str = "oauth2PermissionGrants";

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Grant>(input.bytes, LIST_KEY)?;
    let complete = list.skipped.is_empty();
    sink.skipped(list.skipped);
    // Whose grants this list holds whole (every record of it read): one client's, or the
    // tenant's.
    if complete && let Some((shape, page)) = read_listed(input, sink.captured_at) {
        let narrowed = is_narrowed(input.source);
        let key = match owner_of_list(input.source, shape, LIST) {
            Some(client) if !narrowed => Some(delegated(Some(&client))),
            _ => match filtered_client(input.source) {
                Some(client) => Some(delegated(Some(&client))),
                // One user's grants (`/users/{id}/oauth2PermissionGrants`) are not the tenant's.
                None => (!narrowed && is_tenant_list(input.source, shape, LIST))
                    .then(|| delegated(None)),
            },
        };
        if let Some(key) = key {
            sink.joins.entra.list_read(key, page);
        }
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
