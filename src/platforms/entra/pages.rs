//! The Entra admin center pages the extension reads, and the layout check of each.
//!
//! The admin center is a single-page app: every view is a hash route
//! (`https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`,
//! `reference/platforms.md` §2.7), and the first page whose pattern matches the whole URL, fragment
//! included, wins. Each view renders from Microsoft Graph JSON it loads, so what identifies an app
//! comes from the captured responses (`api`), read by the same formats `nhi-lens scan` uses; the
//! patterns take `v1.0`, `beta` and the `myorganization` alias alike, and only the list and
//! relationship calls whose shapes those formats know, and one app or service principal fetched on
//! its own (`/me` and other objects are left alone).
//! Calls batched through `$batch` are kept too, and each answer in them is read as if loaded alone
//! ([`crate::ingest::batch`]). [infer] which `$select`, API version and batching each blade uses:
//! not published.
//!
//! The DOM is still read, for one thing: the grid the row badges go into. Each named view's
//! required region is that grid (`[role=grid]`; the catch-all pages of views no page names have
//! none, their layout being unknown), and each such page's HTML format checks that the snapshot holds a
//! grid with the columns the view is known by. A view that renders its list some other way is then
//! reported as "this console page changed", even while its JSON still arrives and is read. The
//! check yields no identities: the grid shows less than the JSON (no credentials, grants or
//! owners), and an identity built from it would merge with the JSON one in whichever order the two
//! were read.
//!
//! The same blades open under `https://portal.azure.com/#view/…`; those pages keep the same
//! responses and snapshot nothing (a page with regions needs an HTML format of its own id). A page
//! saved by hand from either host reads with the entra.microsoft.com page's format.
//!
//! The URL usually names no tenant (the signed-in tenant is implied; `/{domain}/#view/…` names it
//! as a domain, which a `{tenant}` segment cannot hold): these pages' tenant is the directory the
//! top bar names (`directory.rs`), else the host.

use crate::console::{Cell, ConsolePage, GENERIC_ROWS, LAYOUT_CHECK_LIMIT, Region, is_snapshot_of};
use crate::ingest::probe::{Shape, strip_bom};
use crate::ingest::{Input, Sink};
use crate::platforms::Format;

/// Microsoft's national clouds, each the same admin center and portal loading the same Graph
/// API on hosts of its own (Microsoft Graph documentation, "National cloud deployments": the
/// portals `portal.azure.us` and `portal.azure.cn`, Graph at `graph.microsoft.us`, at
/// `dod-graph.microsoft.us` for the Department of Defense, and at
/// `microsoftgraph.chinacloudapi.cn`). The admin centers' hosts are [infer] from admin tools and
/// guides that open them, not from that page: `entra.microsoft.us`; for China
/// `entra.microsoftonline.cn` (21Vianet's guides, and the Entra FAQ's list of hosts to allow as
/// quoted in public code), and `entra.microsoft.cn` (Maester's portal URLs). A directory read in one is another inventory than its namesake in the
/// global service.
pub(super) const NATIONAL_CLOUDS: &[Cell] = &[
    Cell {
        hosts: &[
            ("entra.microsoft.com", "entra.microsoft.us"),
            ("portal.azure.com", "portal.azure.us"),
            ("graph.microsoft.com", "graph.microsoft.us"),
            ("graph.microsoft.com", "dod-graph.microsoft.us"),
        ],
    },
    Cell {
        hosts: &[
            ("entra.microsoft.com", "entra.microsoftonline.cn"),
            ("entra.microsoft.com", "entra.microsoft.cn"),
            ("portal.azure.com", "portal.azure.cn"),
            ("graph.microsoft.com", "microsoftgraph.chinacloudapi.cn"),
        ],
    },
];

/// Microsoft Graph responses that carry apps, service principals, their grants, owners and
/// sign-in activity, and the users that own them.
const GRAPH: &[&str] = &[
    "https://graph.microsoft.com/*/applications",
    "https://graph.microsoft.com/*/applications?*",
    "https://graph.microsoft.com/*/applications/*/owners*",
    // One app by its object ID or its app ID, as its own blades may load it.
    "https://graph.microsoft.com/*/applications/{segment}",
    "https://graph.microsoft.com/*/applications/{segment}?*",
    "https://graph.microsoft.com/*/applications({segment}",
    "https://graph.microsoft.com/*/applications({segment}?*",
    "https://graph.microsoft.com/*/servicePrincipals",
    "https://graph.microsoft.com/*/servicePrincipals?*",
    "https://graph.microsoft.com/*/servicePrincipals/*/appRoleAssignments*",
    "https://graph.microsoft.com/*/servicePrincipals/*/oauth2PermissionGrants*",
    "https://graph.microsoft.com/*/servicePrincipals/*/owners*",
    "https://graph.microsoft.com/*/servicePrincipals/{segment}",
    "https://graph.microsoft.com/*/servicePrincipals/{segment}?*",
    "https://graph.microsoft.com/*/servicePrincipals({segment}",
    "https://graph.microsoft.com/*/servicePrincipals({segment}?*",
    "https://graph.microsoft.com/*/oauth2PermissionGrants",
    "https://graph.microsoft.com/*/oauth2PermissionGrants?*",
    "https://graph.microsoft.com/beta/reports/servicePrincipalSignInActivities*",
    "https://graph.microsoft.com/beta/reports/appCredentialSignInActivities*",
    "https://graph.microsoft.com/*/users",
    "https://graph.microsoft.com/*/users?*",
    "https://graph.microsoft.com/*/$batch",
];

/// The grid of a view: the Fluent UI details list the admin center draws its lists in, an ARIA
/// grid of `[role=row]` rows and `[role=gridcell]` cells.
const GRID: &[Region] = &[Region {
    name: "grid",
    selector: "[role=grid]",
    required: true,
    limit: Some(LAYOUT_CHECK_LIMIT),
    early: false,
}];

/// One view: its page on each host and what its grid must show.
struct View {
    id: &'static str,
    portal_id: &'static str,
    title: &'static str,
    /// The HTML format's title.
    check_title: &'static str,
    /// Microsoft's documentation of the view.
    doc: &'static str,
    layout: Layout,
}

/// What a view's grid must hold for its rows to be found.
struct Layout {
    /// What the grid lists, for messages.
    what: &'static str,
    /// Column headers, each with its accepted spellings; every one must be there.
    columns: &'static [&'static [&'static str]],
}

macro_rules! entra_url {
    ($route:literal) => {
        concat!("https://entra.microsoft.com/*#view/", $route, "*")
    };
}

macro_rules! portal_url {
    ($route:literal) => {
        concat!("https://portal.azure.com/*#view/", $route, "*")
    };
}

const APP_REGISTRATIONS: View = View {
    id: "entra.app_registrations",
    portal_id: "entra.portal_app_registrations",
    title: "App registrations",
    check_title: "Entra app registrations page (layout check; the apps come from its Graph responses)",
    doc: "https://learn.microsoft.com/entra/identity-platform/quickstart-register-app",
    layout: Layout {
        what: "app registrations grid",
        columns: &[&["Display name"], &["Application (client) ID"]],
    },
};

const APP_CREDENTIALS: View = View {
    id: "entra.app_credentials",
    portal_id: "entra.portal_app_credentials",
    title: "App registration: Certificates & secrets",
    check_title: "Entra app Certificates & secrets page (layout check; the credentials come from its Graph responses)",
    doc: "https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials",
    layout: Layout {
        what: "certificates or client secrets grid",
        columns: &[
            &["Description"],
            &["Expires"],
            &["Secret ID", "Certificate ID", "Thumbprint"],
        ],
    },
};

const APP_API_PERMISSIONS: View = View {
    id: "entra.app_api_permissions",
    portal_id: "entra.portal_app_api_permissions",
    title: "App registration: API permissions",
    check_title: "Entra app API permissions page (layout check; the grants come from its Graph responses)",
    doc: "https://learn.microsoft.com/entra/identity-platform/permissions-consent-overview",
    layout: Layout {
        what: "configured permissions grid",
        columns: &[&["API / Permissions name"], &["Type"], &["Status"]],
    },
};

const APP_OWNERS: View = View {
    id: "entra.app_owners",
    portal_id: "entra.portal_app_owners",
    title: "App registration: Owners",
    check_title: "Entra app Owners page (layout check; the owners come from its Graph responses)",
    doc: "https://learn.microsoft.com/entra/identity/enterprise-apps/assign-app-owners",
    layout: Layout {
        what: "owners grid",
        columns: &[&["Name"], &["Email", "User principal name"]],
    },
};

const ENTERPRISE_APPS: View = View {
    id: "entra.enterprise_apps",
    portal_id: "entra.portal_enterprise_apps",
    title: "Enterprise applications",
    check_title: "Entra enterprise applications page (layout check; the apps come from its Graph responses)",
    doc: "https://learn.microsoft.com/entra/identity/enterprise-apps/view-applications-portal",
    layout: Layout {
        what: "enterprise applications grid",
        columns: &[&["Name"], &["Application ID"]],
    },
};

macro_rules! pages {
    ($($view:ident => $route:literal),* $(,)?) => {
        /// Every Entra page: the admin center's, then the same blades in the Azure portal.
        pub(super) static PAGES: &[ConsolePage] = &[
            $(ConsolePage {
                id: $view.id,
                title: $view.title,
                url: entra_url!($route),
                api: GRAPH,
                regions: GRID,
                rows: GENERIC_ROWS,
                catch_all: false,
            },)*
            $(ConsolePage {
                id: $view.portal_id,
                title: $view.title,
                url: portal_url!($route),
                api: GRAPH,
                regions: &[],
                rows: GENERIC_ROWS,
                catch_all: false,
            },)*
            // Any other view of the two extensions the apps live in, last so that every view
            // above is its own page: one this table has not seen, or a view renamed by a redesign.
            // Its layout is unknown, so it has no layout check; the Graph responses it loads are
            // still kept and read, and a row that names an identity still gets its badge.
            ConsolePage {
                id: "entra.other_app_registration_views",
                title: "Other app registration views",
                url: entra_url!("Microsoft_AAD_RegisteredApps/"),
                api: GRAPH,
                regions: &[],
                rows: GENERIC_ROWS,
                catch_all: true,
            },
            ConsolePage {
                id: "entra.other_enterprise_app_views",
                title: "Other enterprise application and identity views",
                url: entra_url!("Microsoft_AAD_IAM/"),
                api: GRAPH,
                regions: &[],
                rows: GENERIC_ROWS,
                catch_all: true,
            },
            ConsolePage {
                id: "entra.portal_other_app_registration_views",
                title: "Other app registration views",
                url: portal_url!("Microsoft_AAD_RegisteredApps/"),
                api: GRAPH,
                regions: &[],
                rows: GENERIC_ROWS,
                catch_all: true,
            },
            ConsolePage {
                id: "entra.portal_other_enterprise_app_views",
                title: "Other enterprise application and identity views",
                url: portal_url!("Microsoft_AAD_IAM/"),
                api: GRAPH,
                regions: &[],
                rows: GENERIC_ROWS,
                catch_all: true,
            },
        ];
    };
}

pages! {
    APP_REGISTRATIONS => "Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
    APP_CREDENTIALS => "Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials",
    APP_API_PERMISSIONS => "Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI",
    APP_OWNERS => "Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Owners",
    ENTERPRISE_APPS => "Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview",
}

/// Whether `html` is a snapshot of `view`, from either host.
fn is_view(html: &str, view: &View) -> bool {
    PAGES
        .iter()
        .filter(|p| p.id == view.id || p.id == view.portal_id)
        .any(|p| is_snapshot_of(html, p.url))
}

macro_rules! formats {
    ($($name:ident: $view:ident),* $(,)?) => {
        $(pub(super) const $name: Format = Format {
            id: $view.id,
            title: $view.check_title,
            doc_url: $view.doc,
            detect: |shape| matches!(shape, Shape::Html(text) if is_view(text, &$view)),
            read: |input, sink| check(input, sink, &$view.layout),
            exported_only: false,
        };)*
    };
}

formats! {
    APP_REGISTRATIONS_PAGE: APP_REGISTRATIONS,
    APP_CREDENTIALS_PAGE: APP_CREDENTIALS,
    APP_API_PERMISSIONS_PAGE: APP_API_PERMISSIONS,
    APP_OWNERS_PAGE: APP_OWNERS,
    ENTERPRISE_APPS_PAGE: ENTERPRISE_APPS,
}

/// Reads a snapshot of a view: `Ok` with nothing when its grid is there with its columns (empty or
/// not: the rows' identities come from the JSON), the layout-changed error otherwise.
fn check(input: &Input, _sink: &mut Sink, layout: &Layout) -> Result<(), String> {
    let text = String::from_utf8_lossy(strip_bom(input.bytes));
    let document = crate::html::document(&text);
    let grids = crate::html::selector("[role=grid]")?;
    let headers = crate::html::selector("[role=columnheader]")?;
    let has = |found: &[String], names: &[&str]| {
        found.iter().any(|f| crate::text::header_names(f, names))
    };
    for grid in document.select(&grids) {
        let found: Vec<String> = grid
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
        "the page changed: no {} (an ARIA grid with the columns {}) in this snapshot; the adapter \
         may be out of date",
        layout.what,
        wanted.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_has_a_twin_in_the_azure_portal() {
        let route = |url: &'static str| url.split_once("#view/").unwrap().1;
        let (entra, portal): (Vec<_>, Vec<_>) = PAGES
            .iter()
            .partition(|p| p.url.starts_with("https://entra.microsoft.com/"));
        assert_eq!(entra.len(), portal.len());
        for (e, p) in entra.iter().zip(&portal) {
            assert_eq!(route(e.url), route(p.url));
            assert_eq!(p.id, e.id.replace("entra.", "entra.portal_"));
            assert!(p.regions.is_empty(), "{}", p.id);
            // Every admin center view is checked for its layout, but the views no page names.
            assert_eq!(
                e.regions.is_empty(),
                e.id.starts_with("entra.other_"),
                "{}",
                e.id
            );
        }
    }
}
