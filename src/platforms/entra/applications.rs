//! App registrations: `GET /applications` (home tenant only), optionally with
//! `$expand=owners` or `$expand=federatedIdentityCredentials`.

use serde::Deserialize;

use super::graph::{
    DirectoryObject, FederatedCredential, KeyCredential, LIST_KEY, PasswordCredential,
    VerifiedPublisher, owners,
};
use super::{AppRecord, odata_set};
use crate::ingest::{Input, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.applications",
    title: "Entra app registrations (GET /applications)",
    doc_url: "https://learn.microsoft.com/graph/api/resources/application",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY)
                && (odata_set(s) == Some("applications")
                    || (s.first_has_any(&["appId"])
                        && s.first_has_any(&[
                            "requiredResourceAccess",
                            "publisherDomain",
                            "identifierUris",
                            "signInAudience",
                            "isFallbackPublicClient",
                        ])
                        && !s.first_has_any(&["servicePrincipalType", "appOwnerOrganizationId"])))
        })
    },
    read,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Application {
    #[serde(default)]
    id: Option<String>,
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    created_date_time: Option<String>,
    #[serde(default)]
    publisher_domain: Option<String>,
    #[serde(default)]
    verified_publisher: Option<VerifiedPublisher>,
    #[serde(default)]
    password_credentials: Vec<PasswordCredential>,
    #[serde(default)]
    key_credentials: Vec<KeyCredential>,
    #[serde(default)]
    federated_identity_credentials: Option<Vec<FederatedCredential>>,
    #[serde(default)]
    owners: Option<Vec<DirectoryObject>>,
    #[serde(default)]
    disabled_by_microsoft_status: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<Application>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    for app in list.items {
        let name = app
            .display_name
            .clone()
            .unwrap_or_else(|| app.app_id.clone());
        let label = format!("application {} ({name})", app.app_id);
        let mut credentials: Vec<_> = app
            .password_credentials
            .into_iter()
            .map(|c| c.into_model(sink, &label, false))
            .collect();
        credentials.extend(
            app.key_credentials
                .into_iter()
                .map(|c| c.into_model(sink, &label, false)),
        );
        credentials.extend(
            app.federated_identity_credentials
                .unwrap_or_default()
                .into_iter()
                .map(FederatedCredential::into_model),
        );
        let record = AppRecord {
            object_id: app.id,
            created_at: sink.time(&label, "createdDateTime", app.created_date_time.as_deref()),
            publisher: VerifiedPublisher::into_model(app.verified_publisher, app.publisher_domain),
            credentials,
            owners: owners(app.owners, "application owner"),
            disabled_by_microsoft: app.disabled_by_microsoft_status.is_some(),
            name,
            app_id: app.app_id,
            source: sink.source().to_string(),
        };
        sink.joins.entra.add_app(record);
    }
    Ok(())
}
