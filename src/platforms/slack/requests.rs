//! App requests: `admin.apps.requests.list`. A request is access someone asked for and no admin
//! has granted yet: a pending identity, owned (most likely) by the person who asked.

use serde::Deserialize;

use super::{App, Request, Scope, UnixTime, grants_of, legacy_of, native_id, publisher_of};
use crate::ingest::{Input, Problems, Sink, records};
use crate::model::{Owner, OwnerSource, Principal};
use crate::platforms::read_exported;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "slack.app_requests",
    title: "Slack app requests (admin.apps.requests.list)",
    doc_url: "https://docs.slack.dev/reference/methods/admin.apps.requests.list",
    detect: |shape| json(shape).is_some_and(|s| s.list_is(Some("app_requests"))),
    read: read_exported!(read),
    exported_only: true,
};

#[derive(Deserialize)]
struct AppRequest {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    app: Option<App>,
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    team: Option<Team>,
    #[serde(default)]
    scopes: Option<Vec<Scope>>,
    #[serde(default)]
    date_created: Option<UnixTime>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct User {
    id: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Team {
    id: Option<String>,
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let source = sink.source_name();
    // The request names its workspace; the URL's team_id is the fallback.
    let url_scope = super::scope_from_source(input.source);
    let list = records::read::<AppRequest>(input.bytes, Some("app_requests"))?;
    sink.skipped(list.skipped);
    for (index, request) in list.items.into_iter().enumerate() {
        let app = request.app.unwrap_or_default();
        let Some(app_id) = app.id.clone().filter(|id| !id.trim().is_empty()) else {
            sink.problem(format!("request {} skipped: the app has no id", index + 1));
            continue;
        };
        let name = app
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| app_id.clone());
        let label = format!(
            "request {} for app {app_id} ({name})",
            request.id.as_deref().unwrap_or("without id")
        );
        let team = request
            .team
            .and_then(|t| t.id)
            .filter(|t| !t.trim().is_empty())
            .or_else(|| url_scope.clone());
        let requested_at = request
            .date_created
            .as_ref()
            .and_then(|t| t.read(sink, &label, "date_created"));
        let requester = request.user.and_then(|u| {
            let id = u.id.filter(|i| !i.trim().is_empty());
            let name = u
                .email
                .filter(|e| !e.trim().is_empty())
                .or(u.name.filter(|n| !n.trim().is_empty()))
                .or(id.clone())?;
            Some(Owner {
                who: Principal {
                    name,
                    id,
                    status: Default::default(),
                },
                // Slack records no owner; whoever asked for the app most likely owns the install.
                source: OwnerSource::Inferred,
                basis: "requested the app (admin.apps.requests.list user)".into(),
            })
        });
        let grants = grants_of(request.scopes.as_deref().unwrap_or_default());
        sink.joins.slack.requests.push(Request {
            native_id: native_id(team.as_deref(), &app_id),
            app_id,
            team,
            name,
            publisher: publisher_of(&app),
            requested_at,
            requester,
            legacy: legacy_of(&grants),
            grants,
            source: source.clone(),
        });
    }
    Ok(())
}
