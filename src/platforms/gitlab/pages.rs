//! The GitLab pages the extension reads, and the layout check of each.
//!
//! Group and project access tokens (`/groups/{group}/-/settings/access_tokens`,
//! `/{namespace}/{project}/-/settings/access_tokens`) and a group's service accounts
//! (`/groups/{group}/-/settings/service_accounts`) are Vue apps (`reference/platforms.md` §13.5).
//! What they carry is read by the same formats `nhi-lens scan` uses, from three places:
//! - [obs: GitLab's source] the token table is mounted with `new Vue({ el })` on
//!   `#js-access-token-table-app`, whose `data-initial-active-access-tokens` attribute the server
//!   rendered with the active tokens: the API's token fields (`AccessTokenEntityBase` is the
//!   API's `PersonalAccessToken` entity, with `expired` and `expires_soon`), the bot's role as
//!   `access_level` or, later, by name as `role`. Vue 2 replaces that element when it mounts, so
//!   it is a region snapshot at first sight ([`Region::early`]), and its attribute is read as the
//!   API's list is, for the project or group the page's URL names;
//! - with backend pagination on, the table pages through its own list,
//!   `…/-/settings/access_tokens.json?page=N` (the same entities);
//! - [infer] the REST API (`/api/v4/groups/:id/access_tokens`, `/api/v4/projects/:id/access_tokens`,
//!   `/api/v4/groups/:id/service_accounts` and each account's `…/personal_access_tokens`), paged
//!   with `page`/`per_page` and a `Link: <…>; rel="next"` header, as the service accounts page
//!   and other versions load it.
//!
//! Otherwise the DOM is read for one thing: the table the row badges go into. Each page's
//! required region is the table (its app root as the server renders it, or the table itself once
//! a Vue 2 app has replaced that root), and each page's HTML format checks that a snapshot holds a table with the
//! columns the page is known by ([obs] the token table's: Token name, Scopes, Created, Last Used,
//! Expires, Role). A page that renders its list some other way is then reported as "this console
//! page changed", even while its JSON still arrives and is read. The table itself yields no
//! identities: it shows less than the JSON, and an identity built from it would merge with the
//! JSON one in whichever order the two were read.
//!
//! Only GitLab.com is listed. A self-managed instance runs on a host of its owner's choosing, which
//! a static list of console URLs cannot name: the admin adds it in the extension's options, and its
//! pages are these pages on its host (`crate::console::Instance`). Its responses have the same
//! shapes, so they read the same.

use super::{Token, settings_page_resource};
use crate::console::{
    ConsolePage, GENERIC_ROWS, LAYOUT_CHECK_LIMIT, Region, is_snapshot_of, saved_from,
};
use crate::ingest::probe::{Shape, strip_bom};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::Format;

/// What a page's table must hold for its rows to be found.
struct Layout {
    /// CSS selector of the table's app root: the page's required region.
    container: &'static str,
    /// What the table lists, for messages.
    what: &'static str,
    /// Column headers, each with its accepted spellings; every one must be there.
    columns: &'static [&'static [&'static str]],
    /// The attribute of the app root where the server rendered the first page of the list, in
    /// the API's shape (GitLab 17.x's token table).
    initial: Option<&'static str>,
}

const TOKENS_LAYOUT: Layout = Layout {
    // The app's root as the server renders it, or the table (`data-testid="active-tokens"`)
    // once a Vue 2 app has replaced the root with its own element.
    container: "#js-access-token-table-app, [data-testid=active-tokens]",
    what: "access token table",
    columns: &[&["Token name", "Name"], &["Scopes"], &["Expires"]],
    initial: Some("data-initial-active-access-tokens"),
};

const ACCOUNTS_LAYOUT: Layout = Layout {
    container: "#js-service-accounts",
    what: "service accounts table",
    columns: &[&["Name"], &["Username"]],
    initial: None,
};

/// The rows of a token page's active tokens: a row of the inactive tokens' table (revoked or
/// expired, GitLab 17.x) may bear a live token's name, and is no row of it.
const TOKEN_ROWS: &str = "[data-testid=active-tokens] tr, #js-access-token-table-app tr, [data-testid=active-tokens] [role=row]";

/// A token page's regions: the table, and the app's root as the server rendered it, with the
/// tokens in its attribute, snapshot before the app replaces it.
const TOKEN_REGIONS: &[Region] = &[
    Region {
        name: "access tokens",
        selector: TOKENS_LAYOUT.container,
        required: true,
        limit: Some(LAYOUT_CHECK_LIMIT),
        early: false,
    },
    Region {
        name: "rendered tokens",
        selector: "#js-access-token-table-app[data-initial-active-access-tokens]",
        required: false,
        // Its own tag, which holds the attribute, is sent whole.
        limit: Some(1),
        early: true,
    },
];

const GROUP_TOKENS_URL: &str = "https://gitlab.com/groups/{tenant}/*-/settings/access_tokens*";
const PROJECT_TOKENS_URL: &str = "https://gitlab.com/{tenant}/*/-/settings/access_tokens*";
const SERVICE_ACCOUNTS_URL: &str =
    "https://gitlab.com/groups/{tenant}/-/settings/service_accounts*";

/// Group (and subgroup) access tokens first: the project pattern matches their URLs too.
pub(super) static PAGES: &[ConsolePage] = &[
    ConsolePage {
        id: "gitlab.group_access_tokens_page",
        title: "Group › Settings › Access tokens",
        url: GROUP_TOKENS_URL,
        api: &[
            "https://gitlab.com/api/v4/groups/*/access_tokens",
            "https://gitlab.com/api/v4/groups/*/access_tokens?*",
            // The table's own list, as it pages through it (GitLab 17.x and later).
            "https://gitlab.com/groups/*/-/settings/access_tokens.json",
            "https://gitlab.com/groups/*/-/settings/access_tokens.json?*",
        ],
        regions: TOKEN_REGIONS,
        rows: TOKEN_ROWS,
        catch_all: false,
    },
    ConsolePage {
        id: "gitlab.project_access_tokens_page",
        title: "Project › Settings › Access tokens",
        url: PROJECT_TOKENS_URL,
        api: &[
            "https://gitlab.com/api/v4/projects/*/access_tokens",
            "https://gitlab.com/api/v4/projects/*/access_tokens?*",
            "https://gitlab.com/*/-/settings/access_tokens.json",
            "https://gitlab.com/*/-/settings/access_tokens.json?*",
        ],
        regions: TOKEN_REGIONS,
        rows: TOKEN_ROWS,
        catch_all: false,
    },
    ConsolePage {
        id: "gitlab.service_accounts_page",
        title: "Group › Settings › Service accounts",
        url: SERVICE_ACCOUNTS_URL,
        api: &[
            "https://gitlab.com/api/v4/groups/*/service_accounts",
            "https://gitlab.com/api/v4/groups/*/service_accounts?*",
            "https://gitlab.com/api/v4/groups/*/service_accounts/*/personal_access_tokens",
            "https://gitlab.com/api/v4/groups/*/service_accounts/*/personal_access_tokens?*",
        ],
        regions: &[Region {
            name: "service accounts",
            selector: ACCOUNTS_LAYOUT.container,
            required: true,
            limit: Some(LAYOUT_CHECK_LIMIT),
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    },
];

pub(super) const GROUP_ACCESS_TOKENS_PAGE: Format = Format {
    id: "gitlab.group_access_tokens_page",
    title: "GitLab group access tokens page (layout check, and the tokens rendered into it by GitLab 17.x; the others come from its API responses)",
    doc_url: "https://docs.gitlab.com/user/group/settings/group_access_tokens/",
    detect: |shape| matches!(shape, Shape::Html(text) if is_snapshot_of(text, GROUP_TOKENS_URL)),
    read: |input, sink| check(input, sink, &TOKENS_LAYOUT),
    exported_only: false,
};

pub(super) const PROJECT_ACCESS_TOKENS_PAGE: Format = Format {
    id: "gitlab.project_access_tokens_page",
    title: "GitLab project access tokens page (layout check, and the tokens rendered into it by GitLab 17.x; the others come from its API responses)",
    doc_url: "https://docs.gitlab.com/user/project/settings/project_access_tokens/",
    // A group's page matches the project pattern too (`groups` as the namespace).
    detect: |shape| {
        matches!(shape, Shape::Html(text)
            if is_snapshot_of(text, PROJECT_TOKENS_URL) && !is_snapshot_of(text, GROUP_TOKENS_URL))
    },
    read: |input, sink| check(input, sink, &TOKENS_LAYOUT),
    exported_only: false,
};

pub(super) const SERVICE_ACCOUNTS_PAGE: Format = Format {
    id: "gitlab.service_accounts_page",
    title: "GitLab group service accounts page (layout check; the accounts come from its API responses)",
    doc_url: "https://docs.gitlab.com/user/profile/service_accounts/",
    detect: |shape| matches!(shape, Shape::Html(text) if is_snapshot_of(text, SERVICE_ACCOUNTS_URL)),
    read: |input, sink| check(input, sink, &ACCOUNTS_LAYOUT),
    exported_only: false,
};

/// Reads a snapshot of a page: the list the server rendered into the table's root, if it did,
/// and then `Ok` when its table is there with its columns (empty or not: the identities come
/// from the JSON), the layout-changed error otherwise.
fn check(input: &Input, sink: &mut Sink, layout: &Layout) -> Result<(), String> {
    let text = String::from_utf8_lossy(strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let containers = crate::html::selector(layout.container)?;
    if let Some(attribute) = layout.initial {
        let rendered = document
            .select(&containers)
            .find_map(|c| c.value().attr(attribute));
        if let Some(json) = rendered {
            // The saved-from line names the page as the platform table knows it: at the root.
            let resource = saved_from(&text).and_then(|url| settings_page_resource(url, ""));
            let read = records::each::<Token, _>(json.as_bytes(), None, |token| {
                super::access_tokens::push(&token, resource.clone(), sink);
            });
            // Unreadable, it is a changed page, never an empty one; the table is still checked.
            match read {
                Ok(skipped) => sink.skipped(skipped),
                Err(e) => sink.problem(format!(
                    "the page changed: the tokens rendered into its {attribute} are not readable \
                     ({e}); the adapter may be out of date"
                )),
            }
        }
    }
    let headers = crate::html::selector("th, [role=columnheader]")?;
    let has = |found: &[String], names: &[&str]| {
        found.iter().any(|f| crate::text::header_names(f, names))
    };
    for container in document.select(&containers) {
        let found: Vec<String> = container
            .select(&headers)
            .map(|h| {
                h.text()
                    .flat_map(str::split_whitespace)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if layout.columns.iter().all(|names| has(&found, names)) {
            return Ok(());
        }
    }
    let wanted: Vec<&str> = layout.columns.iter().map(|names| names[0]).collect();
    Err(format!(
        "the page changed: no {} ({} with the columns {}) in this snapshot; the adapter may be \
         out of date",
        layout.what,
        layout.container,
        wanted.join(", ")
    ))
}
