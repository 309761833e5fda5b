//! Salesforce: connected apps, from their users' OAuth tokens (the `OauthToken` object).
//!
//! Facts: `reference/platforms.md` §6, §10.6. One `OauthToken` row is one user's grant to one
//! connected app; the connected app is the non-human identity. Rows are grouped per app across
//! pages and files in [`Join::finish`]: the users are who approved it, each user's refresh token
//! is one credential, the newest `LastUsedDate` is the app's last use.
//!
//! Never declared, so never read: `AccessToken` (the refresh token itself), `DeleteToken` (enough
//! to revoke the grant) and `RequestToken` (the authorization code).
//!
//! In the console, the Connected Apps OAuth Usage page lists the same apps with their user counts
//! ([`usage_page`]); its rows join the token rows of the app with the same label.

mod oauth_tokens;
mod oauth_tokens_csv;
mod usage_page;

use std::collections::hash_map::Entry;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::PlatformSpec;
use crate::console::{ConsolePage, GENERIC_ROWS, Region};
use crate::ingest::Problems;
use crate::model::{
    Controller, Credential, CredentialControl, CredentialKind, Expiry, Grant, Identity, Kind,
    LastUse, Ownership, Platform, Precision, Principal, Tier, Timestamp, Usage,
};

/// Salesforce in the platform table.
pub static SPEC: PlatformSpec = PlatformSpec {
    platform: Platform::Salesforce,
    // Setup, and the Classic pages it frames. Orgs with enhanced domains serve them from their
    // Setup domain. A sandbox, a Developer Edition or another partitioned org has a label between
    // its name and the domain (`acme--uat.sandbox.my.salesforce.com`,
    // `acme-dev-ed.develop.lightning.force.com`): each org is an inventory of its own.
    consoles: &[
        "https://{tenant}.*lightning.force.com/lightning/setup/*",
        "https://{tenant}.*my.salesforce.com/*",
        "https://{tenant}.*my.salesforce-setup.com/*",
    ],
    pages: &[ConsolePage {
        id: "salesforce.oauth_usage_page",
        title: "Connected Apps OAuth Usage",
        // The Classic page itself: in Lightning it is the framed document, where the content
        // script also runs.
        url: usage_page::URL,
        // The page is rendered on the server; it loads no JSON worth keeping.
        api: &[],
        regions: &[Region {
            name: "apps",
            selector: "table.list",
            required: true,
            limit: None,
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    }],
    formats: &[
        oauth_tokens::FORMAT,
        oauth_tokens_csv::FORMAT,
        usage_page::FORMAT,
    ],
    catalogues: &[scopes],
    self_managed: None,
    cells: &[],
    tenant_in_page: None,
    not_tenants: &[],
    frame_domains: &[],
};

crate::catalogue!(scopes, "platforms/salesforce/scopes");

/// Salesforce returns at most this many `OauthToken` rows in total: 500 per `query()`, then
/// `queryMore()` up to 2,500, then nothing more (object reference, "Usage").
pub const QUERY_LIMIT: u64 = 2500;

/// One `OauthToken` row as read.
#[derive(Clone)]
struct TokenRecord {
    app_name: Option<String>,
    menu_item: Option<String>,
    user: Option<String>,
    /// A readable name for the user, when the query selected one (`User.Username`).
    user_name: Option<String>,
    created: Option<Timestamp>,
    usage: Usage,
    use_count: Option<u64>,
    location: Option<String>,
    source: Arc<str>,
}

/// One row of the Connected Apps OAuth Usage page.
#[derive(Clone)]
struct AppUsageRecord {
    /// The app's label, as `OauthToken.AppName` has it.
    name: String,
    /// Users holding a token for the app.
    user_count: Option<u64>,
    /// The app is blocked: no new sessions, current ones ended.
    blocked: Option<bool>,
    location: Option<String>,
    source: Arc<str>,
}

/// Salesforce records joined across inputs; assembled once every input is read.
#[derive(Clone, Default)]
pub struct Join {
    tokens: Vec<TokenRecord>,
    apps: Vec<AppUsageRecord>,
}

crate::platforms::absorb!(Join { tokens, apps });

/// The rows of one connected app.
struct Group {
    app_name: Option<String>,
    menu_item: Option<String>,
    rows: Vec<TokenRecord>,
    /// Its row on the OAuth Usage page, and any later captures of that row.
    page: Vec<AppUsageRecord>,
}

impl Join {
    /// Builds one identity per connected app.
    pub fn finish(self, out: &mut Vec<Identity>) {
        if self.tokens.is_empty() && self.apps.is_empty() {
            return;
        }
        // Rows carrying the App Picker item are grouped by it, the others by the app's label.
        let mut groups: Vec<Group> = Vec::new();
        let mut by_item: FxHashMap<String, usize> = FxHashMap::default();
        let mut by_name: FxHashMap<String, usize> = FxHashMap::default();
        for row in self.tokens {
            let entry = match (&row.menu_item, &row.app_name) {
                (Some(item), _) => by_item.entry(item.clone()),
                (None, Some(name)) => by_name.entry(name.clone()),
                (None, None) => continue,
            };
            match entry {
                Entry::Occupied(at) => groups[*at.get()].rows.push(row),
                Entry::Vacant(slot) => {
                    slot.insert(groups.len());
                    groups.push(Group {
                        app_name: row.app_name.clone(),
                        menu_item: row.menu_item.clone(),
                        rows: vec![row],
                        page: Vec::new(),
                    });
                }
            }
        }
        // A label-only group joins the one group with an App Picker item of the same label
        // (a query that did not select AppMenuItemId, read with one that did). Two apps sharing
        // a label stay apart.
        let mut item_groups_by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, g) in groups.iter().enumerate() {
            if let (Some(_), Some(name)) = (&g.menu_item, &g.app_name) {
                item_groups_by_name.entry(name.clone()).or_default().push(i);
            }
        }
        let mut absorbed = vec![false; groups.len()];
        for i in 0..groups.len() {
            if groups[i].menu_item.is_some() {
                continue;
            }
            let Some(name) = groups[i].app_name.clone() else {
                continue;
            };
            if let Some([target]) = item_groups_by_name.get(&name).map(Vec::as_slice) {
                let rows = std::mem::take(&mut groups[i].rows);
                groups[*target].rows.extend(rows);
                absorbed[i] = true;
            }
        }
        // A row of the OAuth Usage page joins the one app of its label; a label shared by
        // several apps is joined to the app known by the label alone, if any.
        for app in self.apps {
            let same_label: Vec<usize> = (0..groups.len())
                .filter(|&i| !absorbed[i] && groups[i].app_name.as_deref() == Some(&app.name))
                .collect();
            let target = match same_label.as_slice() {
                [one] => Some(*one),
                _ => same_label
                    .iter()
                    .copied()
                    .find(|&i| groups[i].menu_item.is_none()),
            };
            match target {
                Some(i) => groups[i].page.push(app),
                None => {
                    absorbed.push(false);
                    groups.push(Group {
                        app_name: Some(app.name.clone()),
                        menu_item: None,
                        rows: Vec::new(),
                        page: vec![app],
                    });
                }
            }
        }
        for (group, absorbed) in groups.into_iter().zip(absorbed) {
            if !absorbed {
                out.push(app_identity(group));
            }
        }
    }
}

fn app_identity(group: Group) -> Identity {
    let Group {
        app_name,
        menu_item,
        rows,
        page,
    } = group;
    let native = menu_item
        .clone()
        .or_else(|| app_name.clone())
        .unwrap_or_default();
    let name = app_name.clone().unwrap_or_else(|| native.clone());
    let mut identity = Identity::new(Platform::Salesforce, Kind::OauthApp, &native, name);
    identity.location = rows.iter().find_map(|r| r.location.clone());
    // OauthToken names the users who authorized the app, not who owns it: the connected app's
    // owner (its contact, or whoever created it) lives on the app's definition, not loaded here.
    identity.ownership = Ownership::NotLoaded;
    // Refresh tokens are held by the app (the vendor's servers, or the organisation's own
    // integration); the org can revoke them (OAuth Usage page, or DeleteToken), not rotate them.
    identity.credential_control = CredentialControl {
        rotate: Controller::Unknown,
        revoke: Controller::Customer,
    };
    // What the app may do is the intersection of its OAuth scopes (on the connected app, not in
    // OauthToken) and each user's permissions: unknown here, so counted as sensitive-read.
    identity.grants.push(Grant::new(
        "OAuth scopes of the connected app (not in OauthToken)",
        Tier::SensitiveRead,
        false,
    ));

    let rows_read = !rows.is_empty();
    let mut uses: u64 = 0;
    let mut uses_known = false;
    let mut users: Vec<Principal> = Vec::new();
    let mut newest: Option<LastUse> = None;
    let (mut any_never, mut any_unknown) = (false, false);
    for row in rows {
        if !identity.sources.contains(&row.source) {
            identity.sources.push(row.source.clone());
        }
        if let Some(count) = row.use_count {
            uses = uses.saturating_add(count);
            uses_known = true;
        }
        identity.created_at = match (identity.created_at, row.created) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match &row.usage {
            Usage::Used(u) => {
                if newest.as_ref().is_none_or(|n| u.at > n.at) {
                    newest = Some(u.clone());
                }
            }
            Usage::Never { .. } => any_never = true,
            Usage::NotLoaded | Usage::NotRecorded => any_unknown = true,
        }
        if let Some(user) = &row.user
            && !users.iter().any(|u| u.id.as_deref() == Some(user.as_str()))
        {
            users.push(Principal {
                name: row.user_name.clone().unwrap_or_else(|| user.clone()),
                id: Some(user.clone()),
                status: Default::default(),
            });
        }
        let mut token = Credential::new(CredentialKind::Token);
        let who = row
            .user_name
            .as_deref()
            .or(row.user.as_deref())
            .unwrap_or("unknown user");
        token.label = Some(match row.use_count {
            Some(n) => format!("refresh token of {who}, {n} uses"),
            None => format!("refresh token of {who}"),
        });
        token.created_at = row.created;
        // Salesforce refresh tokens are valid until revoked unless the connected app's policy
        // sets an expiry (after N idle, or absolute); that policy is on the connected app, not in
        // OauthToken, so the expiry is unknown rather than "never".
        token.expiry = Expiry::Unknown;
        token.usage = row.usage;
        token.holder = row.user.clone().or_else(|| row.user_name.clone());
        identity.credentials.push(token);
    }
    identity.approved_by = users;
    apply_page(&mut identity, &page, rows_read);
    identity.usage = match newest {
        Some(last) => Usage::Used(last),
        None if any_never && !any_unknown => Usage::Never {
            source: if uses_known && uses == 0 {
                "LastUsedDate is empty and UseCount is 0 on every token".into()
            } else {
                "LastUsedDate is empty on every token".into()
            },
        },
        None => Usage::NotLoaded,
    };
    identity
}

/// What the OAuth Usage page adds to an app: where it was seen, whether it is blocked, and (when
/// no token rows were read) that it holds its users' refresh tokens.
fn apply_page(identity: &mut Identity, page: &[AppUsageRecord], rows_read: bool) {
    for app in page {
        if !identity.sources.contains(&app.source) {
            identity.sources.push(app.source.clone());
        }
        if identity.location.is_none() {
            identity.location = app.location.clone();
        }
        if app.blocked == Some(true) {
            // Blocked: current sessions ended, new ones refused, until unblocked.
            identity.enabled = false;
        }
    }
    if rows_read {
        return;
    }
    // The page counts the users holding a token, not the tokens: one credential stands for them
    // all, with nothing known of its age or use.
    if let Some(count) = page.iter().filter_map(|a| a.user_count).max()
        && count > 0
    {
        let mut tokens = Credential::new(CredentialKind::Token);
        tokens.label = Some(if count == 1 {
            "refresh token of 1 user (OAuth Usage page)".into()
        } else {
            format!("refresh tokens of {count} users (OAuth Usage page)")
        });
        tokens.expiry = Expiry::Unknown;
        tokens.usage = Usage::NotLoaded;
        tokens.active = !page.iter().any(|a| a.blocked == Some(true));
        identity.credentials.push(tokens);
    }
}

/// A token's last use from its `LastUsedDate` (absent: not loaded; empty: never) and `UseCount`.
fn token_usage(
    notes: &mut impl Problems,
    record: &str,
    last_used: Option<Option<&str>>,
    use_count: Option<u64>,
) -> Usage {
    match last_used {
        Some(Some(text)) if !text.trim().is_empty() => {
            match notes.time(record, "LastUsedDate", Some(&normalize_time(text))) {
                Some(at) => Usage::Used(LastUse {
                    at,
                    source: "LastUsedDate".into(),
                    precision: Precision::Exact,
                }),
                None => Usage::NotLoaded,
            }
        }
        Some(_) => Usage::Never {
            source: "LastUsedDate is empty".into(),
        },
        None if use_count == Some(0) => Usage::Never {
            source: "UseCount is 0".into(),
        },
        None => Usage::NotLoaded,
    }
}

/// Salesforce writes offsets without a colon (`2024-01-12T18:32:03.000+0000`): add it.
fn normalize_time(text: &str) -> String {
    let t = text.trim();
    let b = t.as_bytes();
    let n = b.len();
    if n >= 6
        && matches!(b[n - 5], b'+' | b'-')
        && b[n - 4..].iter().all(u8::is_ascii_digit)
        && b[n - 6].is_ascii_digit()
        && t.contains('T')
    {
        let (head, tail) = t.split_at(n - 2);
        return format!("{head}:{tail}");
    }
    t.to_string()
}

/// The org's host when the source is the request URL (`https://acme.my.salesforce.com/…`).
fn location_from_source(source: &str) -> Option<String> {
    let rest = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// The problem to report when a result is likely cut short by the OauthToken query limit. (A
/// page whose `done` is false names its next page: see `ingest::note_unfinished_lists`, which
/// says so only when the inputs lack the list's last page.)
fn truncation_problem(rows: u64, total: Option<u64>) -> Option<String> {
    let why = match total {
        Some(t) if t >= QUERY_LIMIT => format!("totalSize is {t}"),
        _ if rows >= QUERY_LIMIT => format!("{rows} rows were read"),
        _ => return None,
    };
    Some(format!(
        "the OauthToken list is likely truncated ({}): Salesforce returns at most 2,500 OauthToken \
         rows in total (500 per query, then queryMore), and connected apps' users and use are \
         undercounted until every row is read. Run SELECT COUNT() FROM OauthToken to see how many \
         there are, fetch any remaining pages, and narrow the query (WHERE AppName = '…', or by \
         CreatedDate ranges) so each part stays under 2,500 rows; scan all the parts together",
        why
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_offsets_get_their_colon() {
        assert_eq!(
            normalize_time("2024-01-12T18:32:03.000+0000"),
            "2024-01-12T18:32:03.000+00:00"
        );
        assert_eq!(
            normalize_time("2024-01-12T18:32:03.000Z"),
            "2024-01-12T18:32:03.000Z"
        );
        assert_eq!(normalize_time("2024-01-12"), "2024-01-12");
        assert!(crate::timestamp::parse(&normalize_time("2024-01-12T18:32:03.000-0800")).is_some());
    }

    #[test]
    fn the_org_comes_from_a_request_url() {
        assert_eq!(
            location_from_source(
                "https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT+AppName+FROM+OauthToken"
            )
            .as_deref(),
            Some("acme.my.salesforce.com")
        );
        assert_eq!(location_from_source("exports/oauth.json"), None);
    }

    #[test]
    fn truncation_is_named_only_when_likely() {
        assert!(truncation_problem(3, Some(3)).is_none());
        assert!(
            truncation_problem(500, Some(700)).is_none(),
            "pages, not the limit"
        );
        let page = truncation_problem(500, Some(2500)).unwrap();
        assert!(page.contains("SELECT COUNT() FROM OauthToken"), "{page}");
        assert!(page.contains("totalSize is 2500"), "{page}");
        assert!(truncation_problem(2500, None).is_some());
    }
}
