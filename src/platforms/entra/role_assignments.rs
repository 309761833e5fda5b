//! Application permissions: `GET /servicePrincipals/{id}/appRoleAssignments` (what a service
//! principal holds) or `/appRoleAssignedTo` (who holds a resource's roles). The permission arrives
//! as a role GUID, resolved when the app is joined.

use serde::Deserialize;

use super::AssignmentRecord;
use super::graph::LIST_KEY;
use super::lists_read::{assigned, is_narrowed, owner_of_list, read_listed};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.app_role_assignments",
    title: "Entra application permissions (GET /servicePrincipals/{id}/appRoleAssignments)",
    doc_url: "https://learn.microsoft.com/graph/api/resources/approleassignment",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY)
                && (s.first_has_all(&["appRoleId", "principalId", "resourceId"])
                    || (s.first.is_none()
                        && s.string("@odata.context")
                            .is_some_and(|c| c.contains("appRoleAssign"))))
        })
    },
    read,
    exported_only: false,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Assignment {
    app_role_id: String,
    principal_id: String,
    #[serde(default)]
    principal_type: Option<String>,
    resource_id: String,
    #[serde(default)]
    resource_display_name: Option<String>,
    #[serde(default)]
    creation_timestamp: Option<String>,
    #[serde(default)]
    created_date_time: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Assignment>(input.bytes, LIST_KEY)?;
    let complete = list.skipped.is_empty();
    sink.skipped(list.skipped);
    // What one service principal holds, read whole; a resource's `appRoleAssignedTo` names
    // some of what each holder holds, not all of it.
    if complete
        && let Some((shape, page)) = read_listed(input, sink.captured_at)
        && !is_narrowed(input.source)
        && let Some(holder) = owner_of_list(input.source, shape, "appRoleAssignments")
    {
        sink.joins.entra.list_read(assigned(&holder), page);
    }
    for a in list.items {
        // Users and groups assigned to an app are people, not the app's own permissions.
        if a.principal_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("ServicePrincipal"))
        {
            continue;
        }
        let label = format!(
            "app role assignment {} to {}",
            a.app_role_id, a.principal_id
        );
        let granted = a.creation_timestamp.or(a.created_date_time);
        let record = AssignmentRecord {
            granted_at: sink.time(&label, "creationTimestamp", granted.as_deref()),
            principal_sp: a.principal_id,
            resource_sp: a.resource_id,
            resource_name: a.resource_display_name,
            role_id: a.app_role_id,
        };
        sink.joins.entra.assignments.push(record);
    }
    Ok(())
}
