//! The Okta Admin Console pages the extension reads, and the layout check of each.
//!
//! The Admin Console lives on the org's admin host (`https://{org}-admin.okta.com/admin/…`) and
//! renders its lists from the `/api/v1` REST API called with the admin's session
//! (`reference/platforms.md` §5, [infer] which calls each page makes). The calls go to the admin
//! host; the same API answers on the org host (`https://{org}.okta.com/api/v1/…`), so the patterns
//! take both: a `{tenant}` host label holds `acme` and `acme-admin` alike. What the responses carry
//! is read by the same formats `nhi-lens scan` uses. A page shows only the first page of a list;
//! the `Link: <…>; rel="next"` header of the response says where the next one is.
//!
//! The DOM is read for one thing: the table the row badges go into. Each page's required region is
//! that table, and each page's HTML format checks that a snapshot holds it with the columns the
//! page is known by (an app's page, which shows one tab at a time, by its tabs' container alone). A page that renders its list some other way is then reported as "this console
//! page changed", even while its JSON still arrives and is read. The check yields no identities:
//! the table shows less than the JSON, and an identity built from it would merge with the JSON one
//! in whichever order the two were read.
//!
//! [infer] The console's markup is not documented. The tables and their `data-se` attributes (the
//! attribute Okta's own UI tests select by, as in the Sign-In Widget) are modelled, not observed;
//! the column names follow Okta's help pages (Security › API › Tokens; Applications).
//! `oktapreview.com` orgs host the same pages; they are not listed yet.
//!
//! Every other admin page keeps and reads the same lists, without a layout check
//! (`okta.other_admin_pages`): a page the table does not name still shows what it loads.

use crate::console::{ConsolePage, GENERIC_ROWS, LAYOUT_CHECK_LIMIT, Region, is_snapshot_of};
use crate::ingest::probe::{Shape, strip_bom};
use crate::ingest::{Input, Sink};
use crate::platforms::Format;

/// What a page's table must hold for its rows to be found.
struct Layout {
    /// CSS selector of the table's container: the page's required region.
    container: &'static str,
    /// What the table lists, for messages.
    what: &'static str,
    /// Column headers, each with its accepted spellings; every one must be there.
    columns: &'static [&'static [&'static str]],
}

const TOKENS_LAYOUT: Layout = Layout {
    container: "[data-se=api-token-list]",
    what: "API tokens table",
    columns: &[&["Token name", "Name"], &["Created"]],
};

const APPS_LAYOUT: Layout = Layout {
    container: "[data-se=app-instance-list]",
    what: "applications table",
    columns: &[&["Application", "Name"], &["Status"]],
};

/// An app's page shows one tab at a time (General, Sign On, Assignments, Okta API Scopes…), and
/// a service app that signs in with a private key has no client secrets table on its General tab,
/// so no column is asked of every tab: the tabs' container is what the page is known by.
const APP_LAYOUT: Layout = Layout {
    container: "[data-se=app-instance-tabs]",
    what: "application tabs",
    columns: &[],
};

const TOKENS_URL: &str = "https://{tenant}-admin.okta.com/admin/access/api/tokens*";
const APPS_URL: &str = "https://{tenant}-admin.okta.com/admin/apps/active*";
const APP_URL: &str = "https://{tenant}-admin.okta.com/admin/app/oidc_client/instance/*";

const TOKENS_API: &str = "https://{tenant}.okta.com/api/v1/api-tokens";
const TOKENS_PAGED_API: &str = "https://{tenant}.okta.com/api/v1/api-tokens?*";
const USERS_API: &str = "https://{tenant}.okta.com/api/v1/users";
const USERS_PAGED_API: &str = "https://{tenant}.okta.com/api/v1/users?*";
const APPS_API: &str = "https://{tenant}.okta.com/api/v1/apps";
const APPS_PAGED_API: &str = "https://{tenant}.okta.com/api/v1/apps?*";
const APP_API: &str = "https://{tenant}.okta.com/api/v1/apps/{segment}";
/// The same, with a query (`?expand=…`).
const APP_QUERY_API: &str = "https://{tenant}.okta.com/api/v1/apps/{segment}?*";
const GRANTS_API: &str = "https://{tenant}.okta.com/api/v1/apps/*/grants*";
const SECRETS_API: &str = "https://{tenant}.okta.com/api/v1/apps/*/credentials/secrets*";

/// Security › API › Tokens, the apps list, a service app's own page, and every other admin page.
pub(super) static PAGES: &[ConsolePage] = &[
    ConsolePage {
        id: "okta.api_tokens_page",
        title: "Security › API › Tokens",
        url: TOKENS_URL,
        api: &[
            TOKENS_API,
            TOKENS_PAGED_API,
            // The admins who created the tokens, to name them.
            USERS_API,
            USERS_PAGED_API,
        ],
        regions: &[Region {
            name: "api tokens",
            selector: TOKENS_LAYOUT.container,
            required: true,
            limit: Some(LAYOUT_CHECK_LIMIT),
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    },
    ConsolePage {
        id: "okta.apps_page",
        title: "Applications",
        url: APPS_URL,
        api: &[APPS_API, APPS_PAGED_API],
        regions: &[Region {
            name: "applications",
            selector: APPS_LAYOUT.container,
            required: true,
            limit: Some(LAYOUT_CHECK_LIMIT),
            early: false,
        }],
        rows: GENERIC_ROWS,
        catch_all: false,
    },
    ConsolePage {
        id: "okta.app_instance_page",
        title: "Application (General, Okta API Scopes)",
        url: APP_URL,
        api: &[APP_API, APP_QUERY_API, GRANTS_API, SECRETS_API],
        regions: &[Region {
            name: "app tabs",
            selector: APP_LAYOUT.container,
            required: true,
            limit: Some(LAYOUT_CHECK_LIMIT),
            early: false,
        }],
        // The app's own header names it: its badge goes there, not into a secret's row.
        rows: "tr, [role=row], li, [role=listitem], [data-se=app-instance-header]",
        catch_all: false,
    },
    // Any other admin page (another app type's page, a list a redesign moved): see
    // `ConsolePage::catch_all`.
    ConsolePage {
        id: "okta.other_admin_pages",
        title: "Other Admin Console pages",
        url: "https://{tenant}-admin.okta.com/admin/*",
        // Not the users list: people pickers load it, and it names no identity.
        api: &[
            TOKENS_API,
            TOKENS_PAGED_API,
            APPS_API,
            APPS_PAGED_API,
            APP_API,
            APP_QUERY_API,
            GRANTS_API,
            SECRETS_API,
        ],
        regions: &[],
        rows: GENERIC_ROWS,
        catch_all: true,
    },
];

pub(super) const API_TOKENS_PAGE: Format = Format {
    id: "okta.api_tokens_page",
    title: "Okta Security › API › Tokens page (layout check; the tokens come from its API responses)",
    doc_url: "https://help.okta.com/en/prod/Content/Topics/Security/API.htm",
    detect: |shape| matches!(shape, Shape::Html(text) if is_snapshot_of(text, TOKENS_URL)),
    read: |input, sink| check(input, sink, &TOKENS_LAYOUT),
    exported_only: false,
};

pub(super) const APPS_PAGE: Format = Format {
    id: "okta.apps_page",
    title: "Okta Applications page (layout check; the apps come from its API responses)",
    doc_url: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/",
    detect: |shape| matches!(shape, Shape::Html(text) if is_snapshot_of(text, APPS_URL)),
    read: |input, sink| check(input, sink, &APPS_LAYOUT),
    exported_only: false,
};

pub(super) const APP_INSTANCE_PAGE: Format = Format {
    id: "okta.app_instance_page",
    title: "Okta service app page (layout check; its grants and secrets come from its API responses)",
    doc_url: "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
    detect: |shape| matches!(shape, Shape::Html(text) if is_snapshot_of(text, APP_URL)),
    read: |input, sink| check(input, sink, &APP_LAYOUT),
    exported_only: false,
};

/// Reads a snapshot of a page: `Ok` with nothing when its table is there with its columns (empty
/// or not: the identities come from the JSON), the layout-changed error otherwise.
fn check(input: &Input, _sink: &mut Sink, layout: &Layout) -> Result<(), String> {
    let text = String::from_utf8_lossy(strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let containers = crate::html::selector(layout.container)?;
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
    let columns = if wanted.is_empty() {
        String::new()
    } else {
        format!(" with the columns {}", wanted.join(", "))
    };
    Err(format!(
        "the page changed: no {} ({}{columns}) in this snapshot; the adapter may be out of date",
        layout.what, layout.container,
    ))
}
