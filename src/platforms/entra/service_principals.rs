//! Enterprise applications: `GET /servicePrincipals` (the tenant's own apps, third-party apps,
//! Microsoft's first-party apps and managed identities), and one by its ID.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::graph::{
    DirectoryObject, KeyCredential, LIST_KEY, PasswordCredential, RecordLabel, VerifiedPublisher,
    one_object, owners,
};
use super::lists_read::{SERVICE_PRINCIPALS, is_narrowed, read_listed};
use super::{Said, SpRecord, lists_carried, odata_set};
use crate::ingest::probe::{JsonShape, Shape};
use crate::ingest::{Input, Problems, Sink, present, records};
use crate::model::{CredentialKind, Timestamp};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.service_principals",
    title: "Entra enterprise applications (GET /servicePrincipals, GET /servicePrincipals/{id})",
    doc_url: "https://learn.microsoft.com/graph/api/resources/serviceprincipal",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            // The OData context names the collection when the response has one; the fields
            // decide only for exports without it. A directory-object list (owners) types each
            // record with `@odata.type`; a service-principal list does not.
            is_one(s)
                || s.list_is(LIST_KEY)
                    && match odata_set(s) {
                        Some(set) => set == "servicePrincipals" && !s.odata_single_entity(),
                        None => {
                            s.first_has_any(&["appId"])
                                && s.first_has_any(SP_FIELDS)
                                && !s.first_has_any(&["@odata.type"])
                        }
                    }
        })
    },
    read,
    exported_only: false,
};

/// One service principal, as its own blades load it (`GET /servicePrincipals/{id}`,
/// `GET /servicePrincipals(appId='…')`), or saved without its OData context (told by its fields
/// then, as far as the probe read them).
fn is_one(s: &JsonShape) -> bool {
    !s.top_array
        && match odata_set(s) {
            Some(set) => set == "servicePrincipals" && s.odata_single_entity(),
            None => {
                !s.list_is(LIST_KEY)
                    && s.has_key("appId")
                    && s.has_any_key(SP_FIELDS)
                    && !s.has_key("@odata.type")
            }
        }
}

/// Fields only a service principal has, beside its `appId`.
const SP_FIELDS: &[&str] = &[
    "servicePrincipalType",
    "appOwnerOrganizationId",
    "servicePrincipalNames",
    "appDisplayName",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServicePrincipal<'a> {
    id: String,
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    app_display_name: Option<String>,
    #[serde(default)]
    app_owner_organization_id: Option<String>,
    #[serde(default, borrow)]
    service_principal_type: Option<Cow<'a, str>>,
    #[serde(default)]
    account_enabled: Option<bool>,
    #[serde(default)]
    verified_publisher: Option<VerifiedPublisher>,
    #[serde(default)]
    publisher_name: Option<String>,
    #[serde(default, borrow)]
    created_date_time: Option<Cow<'a, str>>,
    /// `None` when the response leaves the field out (a `$select` without it).
    #[serde(default, borrow)]
    password_credentials: Option<Vec<PasswordCredential<'a>>>,
    #[serde(default, borrow)]
    key_credentials: Option<Vec<KeyCredential<'a>>>,
    #[serde(default)]
    app_roles: Vec<AppRole>,
    /// For managed identities, includes the Azure resource ID the identity belongs to.
    #[serde(default, borrow)]
    alternative_names: Vec<Cow<'a, str>>,
    #[serde(default)]
    owners: Option<Vec<DirectoryObject>>,
    /// `None` when left out, `Some(None)` when null.
    #[serde(default, deserialize_with = "present")]
    disabled_by_microsoft_status: Option<Option<IgnoredAny>>,
}

#[derive(Deserialize)]
struct AppRole {
    /// (Optional here, so that a role without one never costs its principal.)
    #[serde(default)]
    id: String,
    #[serde(default)]
    value: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    if matches!(input.shape, Shape::Json(s) if is_one(s)) {
        return read_one(input, sink);
    }
    let (source, at) = (sink.source_name(), sink.captured_at);
    let skipped = records::each(input.bytes, LIST_KEY, |sp: ServicePrincipal| {
        let record = to_record(sp, &source, at, sink);
        sink.joins.entra.add_sp(record);
    })?;
    // The tenant's whole list (once it read to its end, every record of it): an app
    // registration it leaves out has no service principal here.
    let complete = skipped.is_empty();
    sink.skipped(skipped);
    if complete
        && let Some((_, page)) = read_listed(input, at)
        && !is_narrowed(input.source)
    {
        sink.joins.entra.list_read(SERVICE_PRINCIPALS.into(), page);
    }
    Ok(())
}

fn read_one(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let (source, at) = (sink.source_name(), sink.captured_at);
    let ids = ["id", "appId"];
    if let Some(sp) = one_object::<ServicePrincipal>(input.bytes, &ids, "a service principal")? {
        let record = to_record(sp, &source, at, sink);
        sink.joins.entra.add_sp(record);
    }
    Ok(())
}

/// The record a service principal is joined from (read from `source`, captured at `at`),
/// noting unreadable dates.
fn to_record(
    sp: ServicePrincipal,
    source: &Arc<str>,
    at: Option<Timestamp>,
    notes: &mut impl Problems,
) -> SpRecord {
    let app_id = sp.app_id;
    let said = Said {
        name: sp.display_name.is_some() || sp.app_display_name.is_some(),
        disabled: sp.disabled_by_microsoft_status.is_some(),
        credentials: lists_carried(&[
            (sp.password_credentials.is_some(), CredentialKind::Secret),
            (sp.key_credentials.is_some(), CredentialKind::Certificate),
        ]),
        enabled: sp.account_enabled.is_some(),
        kind: sp.service_principal_type.is_some(),
        owner_org: sp.app_owner_organization_id.is_some(),
    };
    let name = sp
        .display_name
        .or(sp.app_display_name)
        .unwrap_or_else(|| app_id.clone());
    let label = RecordLabel {
        what: "service principal",
        id: &app_id,
    };
    let (mut passwords, mut keys) = (sp.password_credentials, sp.key_credentials);
    super::graph::without_token_signing(&mut passwords, &mut keys);
    let mut credentials: Vec<_> = passwords
        .into_iter()
        .flatten()
        .map(|c| c.into_model(notes, &label, true))
        .collect();
    credentials.extend(
        keys.into_iter()
            .flatten()
            .map(|c| c.into_model(notes, &label, true)),
    );
    SpRecord {
        created_at: notes.time(&label, "createdDateTime", sp.created_date_time.as_deref()),
        publisher: VerifiedPublisher::into_model(sp.verified_publisher, sp.publisher_name),
        owner_org: sp.app_owner_organization_id.filter(|o| !o.is_empty()),
        managed_identity: sp
            .service_principal_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("ManagedIdentity")),
        account_enabled: sp.account_enabled.unwrap_or(true),
        disabled_by_microsoft: sp.disabled_by_microsoft_status.is_some_and(|s| s.is_some()),
        credentials,
        said,
        app_roles: sp
            .app_roles
            .into_iter()
            .filter_map(|r| Some((r.id, r.value?)).filter(|(id, _)| !id.is_empty()))
            .collect(),
        owners: owners(sp.owners, "service principal owner"),
        azure_resource: sp
            .alternative_names
            .iter()
            .find(|n| n.starts_with("/subscriptions/"))
            .map(|n| n.to_string()),
        name,
        object_id: sp.id,
        app_id,
        source: source.clone(),
        extra_sources: Vec::new(),
        captured_at: at,
    }
}
