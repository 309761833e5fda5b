//! GitHub organisations: App installations, fine-grained tokens and requests, SSO credential
//! authorizations, webhooks, deploy keys, Actions secrets and the OAuth app policy.
//!
//! Facts: `reference/platforms.md` §1. github.com settings pages are server-rendered and
//! `api.github.com` does not take the web session, so the extension reads GitHub from the page
//! ([`pages`]: one HTML format per page, the same IDs as the REST formats); the command line reads
//! the REST responses below, and page snapshots saved by hand.

mod actions_secrets;
mod credential_authorizations;
mod deploy_keys;
mod hooks;
mod installations;
mod pages;
mod personal_access_tokens;

use super::PlatformSpec;
use crate::ingest::Problems;
use crate::model::{
    AccountStatus, Grant, GrantVia, LastUse, Owner, OwnerSource, Platform, Precision, Principal,
    Usage,
};

/// GitHub in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Github,
    // An organization's settings and its repositories' settings (the owner is the tenant).
    consoles: &[
        "https://github.com/organizations/{tenant}/settings*",
        "https://github.com/orgs/{tenant}/people/*/sso*",
        "https://github.com/{tenant}/{segment}/settings*",
    ],
    pages: &pages::PAGES,
    formats: &[
        installations::FORMAT,
        personal_access_tokens::GRANTS,
        personal_access_tokens::REQUESTS,
        credential_authorizations::FORMAT,
        hooks::FORMAT,
        deploy_keys::FORMAT,
        actions_secrets::FORMAT,
        pages::installation::FORMAT,
        pages::installations::FORMAT,
        pages::personal_access_tokens::FORMAT,
        pages::personal_access_token_requests::FORMAT,
        pages::hooks::FORMAT,
        pages::actions_secrets::FORMAT,
        pages::oauth_apps::FORMAT,
        pages::deploy_keys::FORMAT,
    ],
    catalogues: &[permissions, classic_scopes],
    // GitHub Enterprise Server serves the same settings pages on its owner's host.
    self_managed: Some("github.com"),
    cells: &[],
    tenant_in_page: None,
    // GitHub's own top-level paths, which no account may take as its name.
    not_tenants: &[
        "enterprises",
        "organizations",
        "orgs",
        "settings",
        "apps",
        "marketplace",
        "sponsors",
        "users",
        "topics",
        "collections",
        "features",
        "codespaces",
        "notifications",
        "site",
    ],
    frame_domains: &[],
};

crate::catalogue!(permissions, "platforms/github/permissions");
crate::catalogue!(classic_scopes, "platforms/github/scopes");

/// A GitHub App or fine-grained token permission (`contents` at `write`) as a grant.
fn permission_grant(name: &str, level: &str, resource: Option<&str>) -> Grant {
    let full = format!("{name}:{level}");
    let (tier, classified) = permissions().classify(&full);
    Grant {
        name: full,
        resource: resource.map(str::to_string),
        tier,
        classified,
        via: GrantVia::Direct,
        granted_at: None,
        flagged_sensitive: false,
    }
}

/// The REST name of a permission GitHub's pages label in words (`commit statuses`: `statuses`):
/// the label in snake case, for the labels that are not their REST names spelled out.
fn permission_named(label: &str) -> String {
    let key = label.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let rest = match key.as_str() {
        "code" => "contents",
        "commit_statuses" => "statuses",
        "dependabot_alerts" => "vulnerability_alerts",
        "code_scanning_alerts" => "security_events",
        "variables" => "actions_variables",
        "webhooks" | "repository_webhooks" => "repository_hooks",
        "organization_webhooks" => "organization_hooks",
        "projects" => "repository_projects",
        "email_addresses" => "emails",
        "self_hosted_runners" => "organization_self_hosted_runners",
        "repository_security_advisories" => "repository_advisories",
        "personal_access_tokens" => "organization_personal_access_tokens",
        "personal_access_token_requests" => "organization_personal_access_token_requests",
        "custom_repository_roles" => "organization_custom_roles",
        "custom_organization_roles" => "organization_custom_org_roles",
        "blocking_users" => "organization_user_blocking",
        _ => return key,
    };
    rest.to_string()
}

/// A classic OAuth scope (`repo`, `admin:org`) as a grant.
fn scope_grant(scope: &str) -> Grant {
    let (tier, classified) = classic_scopes().classify(scope);
    Grant {
        name: scope.to_string(),
        resource: None,
        tier,
        classified,
        via: GrantVia::Direct,
        granted_at: None,
        flagged_sensitive: false,
    }
}

/// An owner named by a GitHub login in the data.
fn login_owner(login: &str, basis: &str) -> Owner {
    Owner {
        who: Principal {
            name: login.to_string(),
            id: None,
            status: AccountStatus::Unknown,
        },
        source: OwnerSource::Explicit,
        basis: basis.to_string(),
    }
}

/// Last use from a GitHub timestamp field that is absent in some responses and `null` when the
/// credential was never used.
fn last_use(
    notes: &mut impl Problems,
    record: &str,
    field: &'static str,
    value: Option<Option<String>>,
) -> Usage {
    match value {
        None => Usage::NotLoaded,
        Some(None) => Usage::Never {
            source: format!("{field} is null"),
        },
        Some(Some(text)) => match notes.time(record, field, Some(&text)) {
            Some(at) => Usage::Used(LastUse {
                at,
                source: field.into(),
                precision: Precision::Exact,
            }),
            None => Usage::NotLoaded,
        },
    }
}

/// `owner/repo` or `org` from a REST URL such as `https://api.github.com/repos/o/r/keys/1`,
/// `https://api.github.com/orgs/o/hooks/1` or a source URL of the same path.
fn location_from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let at = |marker: &str| parts.iter().position(|p| *p == marker);
    if let Some(i) = at("repos")
        && i + 2 < parts.len()
    {
        return Some(format!("{}/{}", parts[i + 1], parts[i + 2]));
    }
    if let Some(i) = at("orgs").or_else(|| at("organizations"))
        && i + 1 < parts.len()
    {
        return Some(parts[i + 1].to_string());
    }
    None
}

/// GitHub IDs are numbers, but exports sometimes quote them.
use super::scalar::Id;

/// A GitHub user or organisation reference (`owner`, `account`, `suspended_by`).
#[derive(serde::Deserialize)]
struct Account {
    login: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn permission_tiers_follow_the_catalogue() {
        assert_eq!(
            permission_grant("administration", "write", None).tier,
            Tier::Admin
        );
        assert_eq!(
            permission_grant("contents", "write", None).tier,
            Tier::Write
        );
        assert_eq!(
            permission_grant("contents", "read", None).tier,
            Tier::SensitiveRead
        );
        assert_eq!(permission_grant("metadata", "read", None).tier, Tier::Read);
        let unknown = scope_grant("brand_new_scope");
        assert_eq!(
            (unknown.tier, unknown.classified),
            (Tier::SensitiveRead, false)
        );
    }

    #[test]
    fn locations_come_from_rest_urls() {
        let repo = location_from_url("https://api.github.com/repos/octocat/Hello-World/keys/1");
        assert_eq!(repo.as_deref(), Some("octocat/Hello-World"));
        let org = location_from_url("https://api.github.com/orgs/octocat/hooks/1");
        assert_eq!(org.as_deref(), Some("octocat"));
        assert_eq!(location_from_url("hooks.json"), None);
    }
}
