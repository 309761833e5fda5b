//! Last use, from the beta reports: `GET /beta/reports/servicePrincipalSignInActivities` (per
//! app) and `GET /beta/reports/appCredentialSignInActivities` (per credential). Both need an
//! Entra ID P1/P2 licence; without them, use is "not loaded", never "unused".

use serde::Deserialize;

use super::graph::LIST_KEY;
use super::{CredentialUseRecord, LastSignIn, SignInRecord};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::{Format, json};

pub(super) const APPS: Format = Format {
    id: "entra.service_principal_sign_in_activities",
    title: "Entra app sign-in activity (GET /beta/reports/servicePrincipalSignInActivities)",
    doc_url: "https://learn.microsoft.com/graph/api/resources/serviceprincipalsigninactivity?view=graph-rest-beta",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY) && s.first_has_all(&["appId", "lastSignInActivity"])
        })
    },
    read: read_apps,
    exported_only: false,
};

pub(super) const CREDENTIALS: Format = Format {
    id: "entra.app_credential_sign_in_activities",
    title: "Entra credential sign-in activity (GET /beta/reports/appCredentialSignInActivities)",
    doc_url: "https://learn.microsoft.com/graph/api/resources/appcredentialsigninactivity?view=graph-rest-beta",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.list_is(LIST_KEY)
                && s.first_has_all(&["keyId"])
                && s.first_has_any(&["signInActivity", "credentialOrigin", "keyUsage"])
        })
    },
    read: read_credentials,
    exported_only: false,
};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Activity {
    last_sign_in_date_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppActivity {
    app_id: String,
    #[serde(default)]
    last_sign_in_activity: Option<Activity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialActivity {
    key_id: String,
    #[serde(default)]
    sign_in_activity: Option<Activity>,
}

fn read_apps(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<AppActivity>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    for item in list.items {
        let label = format!("sign-in activity of {}", item.app_id);
        let text = item
            .last_sign_in_activity
            .and_then(|a| a.last_sign_in_date_time);
        let last = sink.time(
            &label,
            "lastSignInActivity.lastSignInDateTime",
            text.as_deref(),
        );
        sink.joins.entra.sign_ins.push(SignInRecord {
            app_id: item.app_id,
            last: LastSignIn::read(last, text.as_deref()),
        });
    }
    Ok(())
}

fn read_credentials(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let list = records::read::<CredentialActivity>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    for item in list.items {
        let label = format!("credential sign-in activity of key {}", item.key_id);
        let text = item.sign_in_activity.and_then(|a| a.last_sign_in_date_time);
        let last = sink.time(&label, "signInActivity.lastSignInDateTime", text.as_deref());
        sink.joins.entra.credential_uses.push(CredentialUseRecord {
            key_id: item.key_id,
            last: LastSignIn::read(last, text.as_deref()),
        });
    }
    Ok(())
}
