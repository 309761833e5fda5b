//! A hosted platform's other cells: the same service on another domain (Okta's EMEA cell on
//! `okta-emea.com`, its preview orgs on `oktapreview.com`, AWS GovCloud on
//! `console.amazonaws-us-gov.com`). Its pages are the platform's pages with the cell's domain in
//! place of the platform's own, its responses are kept only on pages of the same cell, and its
//! tenants are apart from those of the same name on the platform's own domain (a preview org is
//! usually named as its production org is).

use crate::model::Platform;
use crate::platforms::PLATFORMS;

/// One other domain of a platform's hosted service.
#[derive(Debug, PartialEq, Eq)]
pub struct Cell {
    /// Each domain the platform's URL patterns name (`okta.com`) with the cell's in its place
    /// (`okta-emea.com`), the first naming the cell: its tenants carry it. A platform whose
    /// pages and APIs are on hosts of several domains lists each (Entra's US Government cloud:
    /// `entra.microsoft.us`, `portal.azure.us`, `graph.microsoft.us`). One own domain may have
    /// several here: its patterns then stand for each of them.
    pub hosts: &'static [(&'static str, &'static str)],
}

/// The platform and cell whose domain `host` is, or is under.
pub fn cell_of(host: &str) -> Option<(Platform, &'static Cell)> {
    for spec in PLATFORMS {
        for cell in spec.cells {
            if cell.host(host).is_some() {
                return Some((spec.platform, cell));
            }
        }
    }
    None
}

/// Whether `host` is `domain` or a host under it, without regard to case.
fn in_domain(host: &str, domain: &str) -> bool {
    let (host, domain) = (host.as_bytes(), domain.as_bytes());
    let Some(at) = host.len().checked_sub(domain.len()) else {
        return false;
    };
    host[at..].eq_ignore_ascii_case(domain) && (at == 0 || host[at - 1] == b'.')
}

impl Cell {
    /// The domain that names the cell (`okta-emea.com`).
    pub fn domain(&self) -> &'static str {
        self.hosts[0].1
    }

    /// The platform's own domain and the cell's that `host` is in, if it is in the cell.
    fn host(&self, host: &str) -> Option<(&'static str, &'static str)> {
        for &(own, domain) in self.hosts {
            if in_domain(host, domain) {
                return Some((own, domain));
            }
        }
        None
    }

    /// `host` (in this cell) with the platform's own domain in place of the cell's.
    pub(super) fn own_host(&self, host: &str) -> String {
        let (own, domain) = self.host(host).unwrap_or(self.hosts[0]);
        let kept = host.len().saturating_sub(domain.len());
        format!("{}{own}", &host[..kept])
    }

    /// A URL pattern of the platform's own domains, on this cell's: one for each of the cell's
    /// domains in place of the one it names, or the pattern as it is if it names none.
    pub(super) fn patterns(&self, pattern: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (own, domain) in self.hosts {
            let own = format!("{own}/");
            if pattern.contains(&own) {
                out.push(pattern.replacen(&own, &format!("{domain}/"), 1));
            }
        }
        if out.is_empty() {
            out.push(pattern.to_string());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{
        On, canonical_url, host_of, keeps_response, manifest_matches, page_for, page_in, plan_for,
    };

    #[test]
    fn a_cells_hosts_are_its_domain_and_those_under_it() {
        for (host, platform, domain) in [
            ("acme-admin.okta-emea.com", Platform::Okta, "okta-emea.com"),
            ("ACME.OktaPreview.com", Platform::Okta, "oktapreview.com"),
            ("acme.okta.mil", Platform::Okta, "okta.mil"),
            (
                "console.amazonaws-us-gov.com",
                Platform::Aws,
                "console.amazonaws-us-gov.com",
            ),
            (
                "cn-north-1.console.amazonaws.cn",
                Platform::Aws,
                "console.amazonaws.cn",
            ),
        ] {
            let (p, cell) = cell_of(host).unwrap_or_else(|| panic!("{host}"));
            assert_eq!((p, cell.domain()), (platform, domain), "{host}");
        }
        for host in [
            "acme-admin.okta.com",
            "evilokta-emea.com",
            "okta-emea.com.evil.example",
            "amazonaws.cn",
            "x.amazonaws-us-gov.com",
            "",
        ] {
            assert!(cell_of(host).is_none(), "{host}");
        }
    }

    #[test]
    fn a_cells_pages_are_its_platforms_pages_with_tenants_of_their_own() {
        let (page, platform, tenant) =
            page_for("https://acme-admin.okta-emea.com/admin/access/api/tokens").unwrap();
        assert_eq!(
            (page.id, platform, tenant.as_str()),
            ("okta.api_tokens_page", Platform::Okta, "acme@okta-emea.com")
        );
        // The production org of the same name is another tenant.
        let own = page_for("https://acme-admin.okta.com/admin/access/api/tokens").unwrap();
        assert_eq!(own.2, "acme");
        // Without a tenant in its URL, a cell's page is keyed by its host.
        let (page, platform, tenant) =
            page_for("https://console.amazonaws-us-gov.com/iam/home?region=us-gov-west-1#/users")
                .unwrap();
        assert_eq!(
            (page.id, platform, tenant.as_str()),
            (
                "aws.users_page",
                Platform::Aws,
                "console.amazonaws-us-gov.com"
            )
        );
        // The loopback form of the test build, too.
        let loopback = "http://127.0.0.1:9/acme-admin.oktapreview.com/admin/apps/active";
        assert_eq!(page_for(loopback).unwrap().2, "acme@oktapreview.com");
    }

    #[test]
    fn a_cells_plan_asks_for_the_responses_of_its_own_domain() {
        let plan = plan_for("https://acme-admin.okta-emea.com/admin/access/api/tokens").unwrap();
        assert_eq!(plan.tenant, "okta:acme@okta-emea.com");
        assert!(plan.card_in_frame);
        let own = plan_for("https://acme-admin.okta.com/admin/access/api/tokens").unwrap();
        assert_eq!(own.api.len(), plan.api.len());
        for (cell, own) in plan.api.iter().zip(&own.api) {
            assert!(cell.contains(r"okta-emea\.com\/api"), "{cell}");
            assert_eq!(cell.replace("okta-emea", "okta"), *own);
        }
    }

    #[test]
    fn an_entra_national_cloud_is_its_admin_center_portal_and_graph_hosts() {
        let menu = r#"<div class="fxs-avatarmenu-tenant">Acme Corporation</div>"#;
        for (url, page, cloud, graph) in [
            (
                "https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
                "entra.app_registrations",
                "entra.microsoft.us",
                &["graph.microsoft.us", "dod-graph.microsoft.us"][..],
            ),
            (
                "https://portal.azure.us/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
                "entra.portal_app_registrations",
                "entra.microsoft.us",
                &["graph.microsoft.us", "dod-graph.microsoft.us"],
            ),
            (
                "https://entra.microsoftonline.cn/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview",
                "entra.enterprise_apps",
                "entra.microsoftonline.cn",
                &["microsoftgraph.chinacloudapi.cn"],
            ),
            (
                "https://entra.microsoft.cn/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview",
                "entra.enterprise_apps",
                "entra.microsoftonline.cn",
                &["microsoftgraph.chinacloudapi.cn"],
            ),
        ] {
            let at = crate::console::page_in(url, &[]).unwrap_or_else(|| panic!("{url}"));
            assert_eq!((at.page.id, at.platform), (page, Platform::Entra), "{url}");
            let Some(On::Cell(_, cell)) = at.on else {
                panic!("{url} is in no cell");
            };
            assert_eq!(cell.domain(), cloud);
            // The directory the page names is the cloud's, not its namesake's in the global
            // service; before it is read, the host keys the page, as in the global service.
            assert_eq!(
                at.tenant_key(Some(menu)),
                format!("entra:acme-corporation@{cloud}")
            );
            assert_eq!(at.tenant_key(None), format!("entra:{}", host_of(url)));
            let global = page_in(&url.replace(host_of(url), "entra.microsoft.com"), &[]).unwrap();
            assert_eq!(global.tenant_key(Some(menu)), "entra:acme-corporation");
            // The page keeps Graph's responses on its cloud's hosts, read as the global
            // service's, and no other cloud's.
            for host in graph {
                let (canonical, on) =
                    canonical_url(&format!("https://{host}/v1.0/applications?$top=999"), &[]);
                assert_eq!(
                    canonical,
                    "https://graph.microsoft.com/v1.0/applications?$top=999"
                );
                assert_eq!(on, at.on, "{host}");
                assert!(keeps_response(at.page, &canonical));
            }
            let (_, global_on) =
                canonical_url("https://graph.microsoft.com/v1.0/applications", &[]);
            assert_ne!(global_on, at.on);
            let plan = plan_for(url).unwrap();
            let escaped = |host: &str| host.replace('.', r"\.");
            for host in graph {
                let named = |r: &&String| r.contains(&format!(r"){}\/", escaped(host)));
                assert!(plan.api.iter().any(|r| named(&r)), "{host}: {:?}", plan.api);
            }
            assert!(
                plan.api
                    .iter()
                    .all(|r| !r.contains(r"graph\.microsoft\.com")),
                "{:?}",
                plan.api
            );
        }
        let (_, dod) = canonical_url("https://dod-graph.microsoft.us/beta/$batch", &[]);
        let (_, china) = canonical_url("https://microsoftgraph.chinacloudapi.cn/beta/$batch", &[]);
        assert_ne!(dod, china);
    }

    #[test]
    fn the_manifest_names_every_cell() {
        let matches = manifest_matches();
        for expected in [
            "https://*.okta.com/*",
            "https://*.okta-emea.com/*",
            "https://*.oktapreview.com/*",
            "https://*.okta-gov.com/*",
            "https://*.okta.mil/*",
            "https://*.console.amazonaws-us-gov.com/*",
            "https://*.console.amazonaws.cn/*",
            "https://entra.microsoft.us/*",
            "https://portal.azure.us/*",
            "https://entra.microsoftonline.cn/*",
            "https://entra.microsoft.cn/*",
            "https://portal.azure.cn/*",
        ] {
            assert!(matches.iter().any(|m| m == expected), "{expected}");
        }
    }
}
