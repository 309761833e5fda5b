//! App registrations: `GET /applications` (home tenant only), optionally with
//! `$expand=owners` or `$expand=federatedIdentityCredentials`, and one app by its ID.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::graph::{
    DirectoryObject, FederatedCredential, KeyCredential, LIST_KEY, PasswordCredential, RecordLabel,
    VerifiedPublisher, one_object, owners,
};
use super::{AppRecord, Said, lists_carried, odata_set};
use crate::ingest::probe::{JsonShape, Shape};
use crate::ingest::{Input, Problems, Sink, present, records};
use crate::model::{CredentialKind, Timestamp};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.applications",
    title: "Entra app registrations (GET /applications, GET /applications/{id})",
    doc_url: "https://learn.microsoft.com/graph/api/resources/application",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            // The OData context names the collection when the response has one; the fields
            // decide only for exports without it.
            is_one(s)
                || s.list_is(LIST_KEY)
                    && match odata_set(s) {
                        Some(set) => set == "applications" && !s.odata_single_entity(),
                        None => {
                            s.first_has_any(&["appId"])
                                && s.first_has_any(APP_FIELDS)
                                && !s.first_has_any(NOT_APP_FIELDS)
                        }
                    }
        })
    },
    read,
    exported_only: false,
};

/// One app registration, as its own blades load it (`GET /applications/{id}`,
/// `GET /applications(appId='…')`), or saved without its OData context (told by its fields then,
/// as far as the probe read them: up to the first list of objects in it).
fn is_one(s: &JsonShape) -> bool {
    !s.top_array
        && match odata_set(s) {
            Some(set) => set == "applications" && s.odata_single_entity(),
            None => {
                !s.list_is(LIST_KEY)
                    && s.has_key("appId")
                    && s.has_any_key(APP_FIELDS)
                    && !s.has_any_key(NOT_APP_FIELDS)
            }
        }
}

/// Fields only an app registration has, beside its `appId`.
const APP_FIELDS: &[&str] = &[
    "requiredResourceAccess",
    "publisherDomain",
    "identifierUris",
    "isFallbackPublicClient",
];

/// Fields a service principal or a typed directory object has, which an app registration has not.
const NOT_APP_FIELDS: &[&str] = &[
    "servicePrincipalType",
    "appOwnerOrganizationId",
    "servicePrincipalNames",
    "@odata.type",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Application<'a> {
    #[serde(default)]
    id: Option<String>,
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default, borrow)]
    created_date_time: Option<Cow<'a, str>>,
    #[serde(default)]
    publisher_domain: Option<String>,
    #[serde(default)]
    verified_publisher: Option<VerifiedPublisher>,
    #[serde(default)]
    sign_in_audience: Option<String>,
    /// `None` when the response leaves the field out (a `$select` without it).
    #[serde(default, borrow)]
    password_credentials: Option<Vec<PasswordCredential<'a>>>,
    #[serde(default, borrow)]
    key_credentials: Option<Vec<KeyCredential<'a>>>,
    #[serde(default)]
    federated_identity_credentials: Option<Vec<FederatedCredential>>,
    #[serde(default)]
    owners: Option<Vec<DirectoryObject>>,
    /// `None` when left out, `Some(None)` when null.
    #[serde(default, deserialize_with = "present")]
    disabled_by_microsoft_status: Option<Option<IgnoredAny>>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    if matches!(input.shape, Shape::Json(s) if is_one(s)) {
        return read_one(input, sink);
    }
    let (source, at) = (sink.source_name(), sink.captured_at);
    let skipped = records::each(input.bytes, LIST_KEY, |app: Application| {
        let record = to_record(app, &source, at, sink);
        sink.joins.entra.add_app(record);
    })?;
    sink.skipped(skipped);
    Ok(())
}

fn read_one(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let (source, at) = (sink.source_name(), sink.captured_at);
    if let Some(app) = one_object::<Application>(input.bytes, &["appId"], "an app registration")? {
        let record = to_record(app, &source, at, sink);
        sink.joins.entra.add_app(record);
    }
    Ok(())
}

/// The record an app registration is joined from (read from `source`, captured at `at`), noting
/// unreadable dates.
fn to_record(
    app: Application,
    source: &Arc<str>,
    at: Option<Timestamp>,
    notes: &mut impl Problems,
) -> AppRecord {
    let app_id = app.app_id;
    let label = RecordLabel {
        what: "application",
        id: &app_id,
    };
    let said = Said {
        name: app.display_name.is_some(),
        disabled: app.disabled_by_microsoft_status.is_some(),
        credentials: lists_carried(&[
            (app.password_credentials.is_some(), CredentialKind::Secret),
            (app.key_credentials.is_some(), CredentialKind::Certificate),
            (
                app.federated_identity_credentials.is_some(),
                CredentialKind::Federated,
            ),
        ]),
        ..Said::default()
    };
    let mut credentials: Vec<_> = app
        .password_credentials
        .into_iter()
        .flatten()
        .map(|c| c.into_model(notes, &label, false))
        .collect();
    credentials.extend(
        app.key_credentials
            .into_iter()
            .flatten()
            .map(|c| c.into_model(notes, &label, false)),
    );
    credentials.extend(
        app.federated_identity_credentials
            .unwrap_or_default()
            .into_iter()
            .map(FederatedCredential::into_model),
    );
    AppRecord {
        object_id: app.id,
        created_at: notes.time(&label, "createdDateTime", app.created_date_time.as_deref()),
        publisher: VerifiedPublisher::into_model(app.verified_publisher, app.publisher_domain),
        credentials,
        said,
        owners: owners(app.owners, "application owner"),
        audience: app.sign_in_audience.filter(|a| !a.trim().is_empty()),
        disabled_by_microsoft: app
            .disabled_by_microsoft_status
            .is_some_and(|s| s.is_some()),
        name: app.display_name.unwrap_or_else(|| app_id.clone()),
        app_id,
        source: source.clone(),
        extra_sources: Vec::new(),
        captured_at: at,
    }
}
