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
    /// The domain the platform's URL patterns name (`okta.com`).
    pub own: &'static str,
    /// The cell's domain in its place (`okta-emea.com`).
    pub domain: &'static str,
}

/// The platform and cell whose domain `host` is, or is under.
pub fn cell_of(host: &str) -> Option<(Platform, &'static Cell)> {
    PLATFORMS.iter().find_map(|spec| {
        let cell = spec.cells.iter().find(|c| in_domain(host, c.domain))?;
        Some((spec.platform, cell))
    })
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
    /// `host` (in this cell) with the platform's own domain in place of the cell's.
    pub(super) fn own_host(&self, host: &str) -> String {
        format!("{}{}", &host[..host.len() - self.domain.len()], self.own)
    }

    /// A URL pattern of the platform's own domain, on this cell's.
    pub(super) fn pattern(&self, pattern: &str) -> String {
        pattern.replacen(&format!("{}/", self.own), &format!("{}/", self.domain), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{manifest_matches, page_for, plan_for};

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
            assert_eq!((p, cell.domain), (platform, domain), "{host}");
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
        ] {
            assert!(matches.iter().any(|m| m == expected), "{expected}");
        }
    }
}
