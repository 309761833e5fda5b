//! Project and group access tokens: `GET /api/v4/projects/:id/access_tokens` and
//! `GET /api/v4/groups/:id/access_tokens`.
//!
//! Each token is backed by a bot user that is a member of the project or group with the token's
//! `access_level`: the token is the non-human identity. Who created it is not in the response
//! (only in audit events), and GitLab has no owner field for it, so the owner is "not recorded"
//! (NL204 asks for an owner map entry) rather than "not loaded" (which no other list could fill).

use super::{
    Namespace, Resource, Token, TokenParts, access_level_grant, resource_from_source, role_level,
    scope_grant,
};
use crate::ingest::{Input, Sink, records};
use crate::model::{CredentialControl, Identity, Kind, Ownership, Platform, Reach};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "gitlab.access_tokens",
    title: "GitLab project and group access tokens (GET /api/v4/projects/:id/access_tokens, /groups/:id/access_tokens, or a token page's own .json list)",
    doc_url: "https://docs.gitlab.com/api/project_access_tokens/#list-all-project-access-tokens",
    // The API's list names the bot's role by level; a token page's own list (GitLab 17.x and
    // later, `ProjectAccessTokenEntity`) by level or by name.
    detect: |shape| {
        json(shape).is_some_and(|s| {
            s.top_array
                && s.first_has_all(&["scopes"])
                && s.first_has_any(&["access_level", "role"])
        })
    },
    read,
    exported_only: false,
};

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let from_source = resource_from_source(input.source, "access_tokens", input.url_root);
    let skipped = records::each::<Token, _>(input.bytes, None, |token| {
        // The request URL names the project or group; newer responses also say it themselves.
        let resource = from_source.clone().or_else(|| {
            let namespace = match token.resource_type.as_deref() {
                Some("project") => Namespace::Project,
                Some("group") => Namespace::Group,
                _ => return None,
            };
            let id = token.resource_id.as_ref()?.to_string();
            Some(Resource { namespace, id })
        });
        push(&token, resource, sink);
    })?;
    sink.skipped(skipped);
    Ok(())
}

/// One project or group access token of `resource`, as the API lists it or a token page holds
/// it (see `pages`).
pub(super) fn push(token: &Token, resource: Option<Resource>, sink: &mut Sink) {
    let what = match resource.as_ref().map(|r| r.namespace) {
        Some(Namespace::Group) => "group access token",
        Some(Namespace::Project) => "project access token",
        None => "access token",
    };
    let parts = TokenParts::read(sink, what, token);
    sink.joins.gitlab.resource_tokens.insert(parts.id.clone());
    let mut identity = Identity::new(
        Platform::Gitlab,
        Kind::ApiToken,
        &parts.id,
        parts.name.clone(),
    );
    identity.location = resource.as_ref().map(Resource::label);
    identity.ownership = Ownership::NotRecorded;
    let credential = parts.credential;
    identity.created_at = credential.created_at;
    identity.usage = credential.usage.clone();
    identity.enabled = credential.active;
    identity.reach = resource.as_ref().map_or(Reach::Unknown, Resource::reach);
    let on = resource.as_ref().map(|r| r.id.as_str());
    let level = token
        .access_level
        .or_else(|| token.role.as_deref().and_then(role_level));
    if let Some(level) = level {
        identity
            .grants
            .push(access_level_grant(level, on, credential.created_at));
    }
    for scope in &parts.scopes {
        identity
            .grants
            .push(scope_grant(scope, on, credential.created_at));
    }
    identity.credentials.push(credential);
    identity.credential_control = CredentialControl::CUSTOMER;
    sink.push(identity);
}
