//! Atlassian: user API tokens, organisation-wide (Admin API, `api-access`) and per user (User
//! management API), and as the API token activity page of Atlassian Administration shows them.
//!
//! Facts: `reference/platforms.md` §7, §10.7. The two views of one token share its `id`, so both
//! read into the same identity: records are joined in [`Join::finish`], the organisation's view
//! (status, owner with name and e-mail) first, the per-user view filling what it lacks, in
//! whatever order the inputs came.

mod api_token_activity_page;
mod api_tokens;
mod user_api_tokens;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::PlatformSpec;
use crate::console::{ConsolePage, GENERIC_ROWS, Region};
use crate::ingest::Problems;
use crate::model::{
    Credential, CredentialControl, CredentialKind, Expiry, Grant, Identity, Kind, LastUse, Owner,
    Ownership, Platform, Precision, Tier, Timestamp, Usage,
};

/// Atlassian in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Atlassian,
    consoles: &["https://admin.atlassian.com/o/{tenant}/*"],
    pages: &[ConsolePage {
        id: "atlassian.api_token_activity",
        title: "Atlassian Administration: API token activity",
        url: api_token_activity_page::PAGE_URL,
        // The organisation's token list as the page loads it, read by `atlassian.api_tokens` (or
        // `atlassian.user_api_tokens` for one user's list): through the Administration's gateway
        // [infer: the same path as the public Admin API under `/gateway/api/`] or from the public
        // API itself. The list only, not its `…/api-tokens/count`.
        api: &[
            "https://admin.atlassian.com/gateway/api/*/api-tokens",
            "https://admin.atlassian.com/gateway/api/*/api-tokens?*",
            "https://api.atlassian.com/admin/api-access/*/api-tokens",
            "https://api.atlassian.com/admin/api-access/*/api-tokens?*",
        ],
        regions: &[Region {
            name: "token table",
            // Atlaskit's dynamic table; the reader finds it by its header. With no tokens, its
            // empty view beside it ("No API tokens to show"): else a header alone is a changed page.
            selector: "table, [data-testid$=empty-view]",
            required: true,
            limit: None,
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    }],
    formats: &[
        api_tokens::FORMAT,
        user_api_tokens::FORMAT,
        api_token_activity_page::FORMAT,
    ],
    catalogues: &[scopes],
    self_managed: None,
    cells: &[],
    tenant_in_page: None,
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/atlassian/scopes");

/// One API token as one of the two lists describes it.
#[derive(Clone)]
struct TokenRecord {
    id: String,
    label: Option<String>,
    /// `ALLOWED`, or anything else (the token is then refused); `None` in the per-user view.
    status: Option<String>,
    created: Option<Timestamp>,
    expires: Option<Timestamp>,
    usage: Usage,
    owner: Option<Owner>,
    org: Option<String>,
    /// Scopes of a scoped token, if the response lists them [infer: not in the documented
    /// responses, which describe classic tokens].
    scopes: Option<Vec<String>>,
    /// From the organisation-wide list (which knows the status and the owner).
    org_view: bool,
    source: Arc<str>,
}

/// Atlassian records joined across inputs; assembled once every input is read.
#[derive(Clone, Default)]
pub struct Join {
    tokens: Vec<TokenRecord>,
}

crate::platforms::absorb!(Join { tokens });

impl Join {
    /// Builds one identity per token ID.
    pub fn finish(self, out: &mut Vec<Identity>) {
        let mut order: Vec<String> = Vec::new();
        let mut by_id: FxHashMap<String, Vec<TokenRecord>> = FxHashMap::default();
        for record in self.tokens {
            let list = by_id.entry(record.id.clone()).or_insert_with(|| {
                order.push(record.id.clone());
                Vec::new()
            });
            list.push(record);
        }
        for id in order {
            let Some(mut records) = by_id.remove(&id) else {
                continue;
            };
            // The organisation's view first: it alone has the status and the owner's details.
            records.sort_by_key(|r| !r.org_view);
            let mut records = records.into_iter();
            if let Some(first) = records.next() {
                out.push(token_identity(first, records));
            }
        }
    }
}

fn token_identity(first: TokenRecord, rest: impl Iterator<Item = TokenRecord>) -> Identity {
    let mut token = first;
    let mut sources: Vec<Arc<str>> = vec![token.source.clone()];
    for record in rest {
        if !sources.contains(&record.source) {
            sources.push(record.source.clone());
        }
        token.label = token.label.take().or(record.label);
        token.status = token.status.take().or(record.status);
        token.created = token.created.or(record.created);
        token.expires = token.expires.or(record.expires);
        token.owner = token.owner.take().or(record.owner);
        token.org = token.org.take().or(record.org);
        token.scopes = token.scopes.take().or(record.scopes);
        token.usage.merge(record.usage);
    }
    let name = token
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| format!("API token {}", token.id));
    let mut identity = Identity::new(Platform::Atlassian, Kind::ApiToken, &token.id, name);
    identity.location = token.org.clone();
    identity.ownership = match token.owner {
        Some(owner) => Ownership::Known(vec![owner]),
        // Every API token belongs to a user; this input did not say which.
        None => Ownership::NotLoaded,
    };
    // Anything but ALLOWED (BLOCKED, REVOKED, …) means Atlassian refuses the token.
    let enabled = token
        .status
        .as_deref()
        .is_none_or(|s| s.trim().eq_ignore_ascii_case("ALLOWED"));
    identity.enabled = enabled;
    identity.created_at = token.created;
    identity.usage = token.usage.clone();
    let mut credential = Credential::new(CredentialKind::Token);
    credential.id = Some(token.id.clone());
    credential.label = token.label.clone();
    credential.created_at = token.created;
    // Every token has had an expiry since Atlassian's 2024–2025 policy (1 day to 1 year; older
    // tokens were given one between 2026-03-14 and 2026-05-12). A token without one in the data
    // is unknown, not "never".
    credential.expiry = token
        .expires
        .map_or(Expiry::Unknown, |at| Expiry::At { at });
    credential.usage = token.usage;
    credential.active = enabled;
    identity.credentials.push(credential);
    identity.grants = match token.scopes.filter(|s| !s.is_empty()) {
        Some(list) => list
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                let (tier, classified) = scopes().classify(s);
                let mut grant = Grant::new(s.as_str(), tier, classified);
                grant.granted_at = token.created;
                grant
            })
            .collect(),
        None => {
            // A classic (unscoped) API token carries the full power of its user in every site
            // and product the user can reach. The user's roles are not in either response, so
            // the tier cannot be decided from the data: counted as sensitive-read and marked
            // unclassified. If the owner is an organisation or site admin, it is admin-grade.
            let mut grant =
                Grant::new("full access of the owning user", Tier::SensitiveRead, false);
            grant.granted_at = token.created;
            vec![grant]
        }
    };
    // The user who owns it (or an organisation admin) can revoke it and create a new one.
    identity.credential_control = CredentialControl::CUSTOMER;
    identity.sources = sources;
    identity
}

/// A token's last use from a timestamp field that is absent (not loaded), `null` (never used)
/// or a time [infer: Atlassian documents no null semantics; an explicit null in a list that
/// records use is read as "no use recorded"].
fn last_use(
    notes: &mut impl Problems,
    record: &str,
    field: &'static str,
    value: Option<Option<String>>,
) -> Usage {
    match value {
        None => Usage::NotLoaded,
        Some(None) => Usage::Never {
            source: format!("{field} is empty"),
        },
        Some(Some(text)) if text.trim().is_empty() => Usage::Never {
            source: format!("{field} is empty"),
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
