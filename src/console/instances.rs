//! Self-managed instances: a platform's console on a host its owner chose (a company's own
//! GitLab), which a static list of console URLs cannot name. The admin adds the host in the
//! options; its pages are then the platform's pages with that host in place of the platform's
//! own, and its inventories are apart from the platform's hosted service and from each other.
//!
//! An instance may be served under a path of its host (GitLab's relative URL root,
//! `example.com/gitlab`): the admin gives that path apart from the host, since a URL pasted from
//! a page names the page's path too, which is no root. Its pages are then the platform's pages
//! under that path, and its place (as [`Instance::host`] writes it) is the host and the path.

use serde::{Deserialize, Serialize};

use super::cells::{Cell, cell_of};
use super::{ConsolePage, ELSEWHERE, Pattern, effective_url, host_of, manifest_matches};
use crate::model::Platform;
use crate::platforms::{PLATFORMS, spec};

/// A self-managed instance of a platform the admin added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub platform: Platform,
    /// Its place: its host name (`gitlab.example.com`), with its port if it has one
    /// (`gitlab.example.com:8443`), as [`instance_host`] writes it, and the path it is served
    /// under if any (`example.com/gitlab`), as [`with_root`] adds it. Named `host` as storage
    /// has always named it.
    pub host: String,
}

/// The platforms a self-managed instance can be added for, with the host their pages name.
pub fn self_managed_platforms() -> impl Iterator<Item = (Platform, &'static str)> {
    PLATFORMS
        .iter()
        .filter_map(|s| s.self_managed.map(|host| (s.platform, host)))
}

/// The host name an admin typed (`gitlab.example.com`, or a URL on it), checked: a DNS name of
/// two labels or more, and none of the consoles NHI Lens already reads.
pub fn instance_host(typed: &str) -> Result<String, String> {
    let host = host_name(typed)?;
    if is_builtin_host(without_port(&host)) {
        return Err(format!("{host} is a console NHI Lens already reads."));
    }
    Ok(host)
}

/// The host an admin typed, checked as a DNS name of two labels or more and, where it has one,
/// a port (`gitlab.example.com:8443`; HTTPS's own, 443, is left out), without the platform table
/// (the options page checks this much as it is typed; the background checks the rest with
/// [`instance_host`]).
pub fn host_name(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    let rest = typed
        .strip_prefix("https://")
        .or_else(|| typed.strip_prefix("http://"))
        .unwrap_or(typed);
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if host.contains('@') {
        return Err("Give the host name alone, without a user.".into());
    }
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host.as_str(), None),
    };
    let name = name.trim_end_matches('.');
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if labels.len() < 2 || name.len() > 253 || !labels.iter().all(label_ok) {
        return Err(format!(
            "\"{typed}\" is not a host name: give one like gitlab.example.com."
        ));
    }
    match port {
        None | Some("443") => Ok(name.to_string()),
        // 1 to 65535, in digits alone (no sign, no leading zero); equal lengths of digits compare
        // as their numbers do.
        Some(port)
            if port.bytes().all(|b| b.is_ascii_digit())
                && !port.starts_with('0')
                && ((1..5).contains(&port.len()) || (port.len() == 5 && port <= "65535")) =>
        {
            Ok(format!("{name}:{port}"))
        }
        Some(_) => Err(format!(
            "\"{typed}\" has no valid port: give one like gitlab.example.com:8443."
        )),
    }
}

/// The path a self-managed instance is served under, as an admin typed it (`/gitlab`, `gitlab/`),
/// written `/gitlab`, or `""` for none: segments of letters, digits and `-._~` alone, neither
/// `.` nor `..`, at most 200 characters in all. Kept as typed otherwise: a server's paths may
/// tell case apart.
pub fn url_root(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    let inner = typed.trim_matches('/');
    if inner.is_empty() {
        return Ok(String::new());
    }
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    if inner.len() > 200 || !inner.split('/').all(segment_ok) {
        return Err(format!(
            "\"{typed}\" is not a path an instance is served under: give one like /gitlab, or none."
        ));
    }
    Ok(format!("/{inner}"))
}

/// An instance's place: the host an admin typed, checked as [`instance_host`] checks it, and the
/// path it is served under ([`url_root`]) after it.
pub fn with_root(typed_host: &str, typed_root: &str) -> Result<String, String> {
    Ok(instance_host(typed_host)? + &url_root(typed_root)?)
}

/// An instance's place as stored (`code.example.com:8443/gitlab`) split into its host and its
/// path (`/gitlab`, or `""`), if it is written as [`host_name`] and [`url_root`] write them.
pub fn place_parts(place: &str) -> Option<(&str, &str)> {
    let (host, root) = split_place(place);
    (host_name(host).as_deref() == Ok(host) && url_root(root).as_deref() == Ok(root))
        .then_some((host, root))
}

/// A place split at its path's first `/`, unchecked: its host (and port), and its path or `""`.
fn split_place(place: &str) -> (&str, &str) {
    place.split_at(place.find('/').unwrap_or(place.len()))
}

/// Whether one of the platform table's consoles is on `host`.
fn is_builtin_host(host: &str) -> bool {
    manifest_matches().iter().any(|m| {
        let pattern = m.split_once("://").map_or(m.as_str(), |(_, r)| r);
        let pattern = pattern.trim_end_matches("/*");
        match pattern.strip_prefix("*.") {
            Some(domain) => host == domain || host.ends_with(&format!(".{domain}")),
            None => host == pattern,
        }
    })
}

/// Where a console page is, when not on its platform's own hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On<'i> {
    /// A self-managed instance the admin added.
    Instance(&'i Instance),
    /// One of the hosted service's other cells.
    Cell(Platform, &'static Cell),
}

impl<'i> On<'i> {
    fn platform(self) -> Platform {
        match self {
            On::Instance(i) => i.platform,
            On::Cell(platform, _) => platform,
        }
    }

    /// What a tenant key names after its `@` (`acme@gitlab.example.com`, `acme@okta-emea.com`):
    /// the instance's host, or the cell's domain, which the tenant's IDs take too.
    pub(super) fn place(self) -> &'i str {
        match self {
            On::Instance(i) => &i.host,
            On::Cell(_, cell) => cell.domain(),
        }
    }
}

/// An instance's host name without its port or path (`gitlab.example.com:8443` and
/// `gitlab.example.com/gitlab` → `gitlab.example.com`): what a browser's host permission names.
pub fn without_port(host: &str) -> &str {
    host.split([':', '/']).next().unwrap_or(host)
}

/// The instance `url` (its loopback form undone) is on, if any, and how long its host and path
/// are in `url` from `at`, where the host starts: of instances on the URL's host, the one whose
/// path the URL's path is in, at a segment's end (`/gitlab` holds `/gitlab/groups` and `/gitlab`,
/// not `/gitlabs`), the longest such path winning.
fn instance_at<'i>(
    url: &str,
    at: usize,
    instances: &'i [Instance],
) -> Option<(&'i Instance, usize)> {
    let host = host_of(url);
    let rest = &url[at + host.len()..];
    instances
        .iter()
        .filter_map(|instance| {
            let (own_host, root) = split_place(&instance.host);
            let after = rest.strip_prefix(root)?;
            (own_host.eq_ignore_ascii_case(host)
                && (after.is_empty() || after.starts_with(['/', '?', '#'])))
            .then_some((instance, host.len() + root.len()))
        })
        .max_by_key(|(_, len)| *len)
}

/// `url` as the platform table knows it, with where it is: its loopback form undone (see
/// [`effective_url`]) and, on an instance's host or in another cell, the platform's own host in
/// its place.
pub fn canonical_url<'i>(url: &str, instances: &'i [Instance]) -> (String, Option<On<'i>>) {
    let url = effective_url(url);
    let host = host_of(&url);
    let at = url.find(host).expect("the host is in the URL");
    let (own, on, len) = match instance_at(&url, at, instances) {
        Some((instance, len)) => match spec(instance.platform).self_managed {
            Some(own) => (own.to_string(), On::Instance(instance), len),
            None => return (url, None),
        },
        None => match cell_of(host) {
            Some((platform, cell)) => (cell.own_host(host), On::Cell(platform, cell), host.len()),
            None => return (url, None),
        },
    };
    let canonical = format!("{}{own}{}", &url[..at], &url[at + len..]);
    (canonical, Some(on))
}

/// A console page a URL is on.
#[derive(Debug)]
pub struct PageAt<'i> {
    pub page: &'static ConsolePage,
    pub platform: Platform,
    /// The tenant its URL names (or its host); an instance's names its host too
    /// (`acme@gitlab.example.com`).
    pub tenant: String,
    /// The URL as the platform table knows it (see [`canonical_url`]).
    pub url: String,
    /// The self-managed instance or the cell it is on, if any.
    pub on: Option<On<'i>>,
}

/// The console page `url` is on, on the platforms' own hosts or on the admin's instances.
pub fn page_in<'i>(url: &str, instances: &'i [Instance]) -> Option<PageAt<'i>> {
    let (canonical, on) = canonical_url(url, instances);
    PLATFORMS
        .iter()
        .filter(|spec| on.is_none_or(|on| on.platform() == spec.platform))
        .find_map(|spec| {
            // A page the table reads, else any other page of the console: rows there that name
            // an identity the tenant's inventory holds still get its badge.
            let pages = spec.pages.iter().map(|page| (page, page.url));
            let elsewhere = spec.consoles.iter().map(|url| (&ELSEWHERE, *url));
            pages.chain(elsewhere).find_map(|(page, pattern)| {
                let found = Pattern::new(pattern).matches(&canonical)?;
                if found.tenant.as_deref().is_some_and(|tenant| {
                    spec.not_tenants
                        .iter()
                        .any(|name| name.eq_ignore_ascii_case(tenant))
                }) {
                    return None;
                }
                let tenant = match (on, found.tenant) {
                    // `acme@gitlab.example.com`, or `@gitlab.example.com` for a page that names
                    // no group: either way the key ends in the host, which the IDs take; in a
                    // cell, `acme@okta-emea.com`.
                    (Some(on @ On::Instance(_)), tenant) | (Some(on), tenant @ Some(_)) => {
                        format!("{}@{}", tenant.unwrap_or_default(), on.place())
                    }
                    (_, Some(tenant)) => tenant,
                    // Else the host itself, as it is (a cell's keeps its own domain).
                    (_, None) => host_of(&effective_url(url)).to_string(),
                };
                Some(PageAt {
                    page,
                    platform: spec.platform,
                    tenant,
                    url: canonical.clone(),
                    on,
                })
            })
        })
}

/// The place of the instance or the domain of the cell a tenant key is on
/// (`gitlab:acme@gitlab.example.com`, `gitlab:acme@example.com/gitlab`,
/// `okta:acme@okta-emea.com`), if it is on one: a `{tenant}`
/// from a URL holds no `@` (a path's may hold a `.`, `acme.io`), nor does one a page names, so
/// only those keys have an `@` and a host name after it.
pub fn instance_of_tenant(tenant: &str) -> Option<&str> {
    let (_, host) = tenant.rsplit_once('@')?;
    host.contains('.').then_some(host)
}

/// The URL patterns of a platform page's API where the page is: on an instance, the platform's
/// own host replaced by the instance's place (its host, and its path if it has one); in a cell, its own domains by the cell's (one pattern for
/// each of the cell's hosts in place of the one it names).
pub(super) fn on_host(pattern: &str, on: Option<On>) -> Vec<String> {
    match on {
        Some(On::Instance(i)) => vec![match spec(i.platform).self_managed {
            Some(own) => pattern.replacen(&format!("://{own}/"), &format!("://{}/", i.host), 1),
            None => pattern.to_string(),
        }],
        Some(On::Cell(_, cell)) => cell.patterns(pattern),
        None => vec![pattern.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corp() -> Vec<Instance> {
        vec![Instance {
            platform: Platform::Gitlab,
            host: "gitlab.corp.example".into(),
        }]
    }

    #[test]
    fn an_instance_host_is_a_plain_dns_name_no_console_already_has() {
        for (typed, host) in [
            ("gitlab.corp.example", "gitlab.corp.example"),
            (
                " https://GitLab.Corp.Example/groups/acme ",
                "gitlab.corp.example",
            ),
            ("code.eu-1.example.org.", "code.eu-1.example.org"),
            ("gitlab.corp.example:8443", "gitlab.corp.example:8443"),
            (
                "https://gitlab.corp.example:8443/groups/acme",
                "gitlab.corp.example:8443",
            ),
            ("gitlab.corp.example:443", "gitlab.corp.example"),
            ("gitlab.corp.example:65535", "gitlab.corp.example:65535"),
            ("gitlab.corp.example:1", "gitlab.corp.example:1"),
        ] {
            assert_eq!(instance_host(typed).as_deref(), Ok(host), "{typed}");
        }
        for bad in [
            "",
            "localhost",
            "gitlab.corp.example:",
            "gitlab.corp.example:0",
            "gitlab.corp.example:08443",
            "gitlab.corp.example:65536",
            "gitlab.corp.example:99999",
            "gitlab.corp.example:123456",
            "gitlab.corp.example:84a3",
            "gitlab.corp.example:+8443",
            "gitlab.corp.example:8443:1",
            ":8443",
            "user@gitlab.corp.example",
            "gitlab..example",
            "-gitlab.example",
            "gitlab_corp.example",
            "<img src=x>.example",
            "gitlab.com",
            "acme-admin.okta.com",
            "github.com",
            "github.com:8443",
        ] {
            assert!(instance_host(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn an_instances_pages_are_its_platforms_pages_on_its_host() {
        let url = "https://gitlab.corp.example/groups/acme/-/settings/access_tokens";
        let instances = corp();
        let at = page_in(url, &instances).expect("a GitLab page");
        let (page, platform, tenant) = (at.page, at.platform, at.tenant);
        assert_eq!(
            (page.id, platform, tenant.as_str()),
            (
                "gitlab.group_access_tokens_page",
                Platform::Gitlab,
                "acme@gitlab.corp.example"
            )
        );
        // The loopback form of the test build, too.
        let loopback =
            "http://127.0.0.1:9/gitlab.corp.example/groups/acme/-/settings/access_tokens";
        assert_eq!(
            page_in(loopback, &corp()).unwrap().tenant,
            "acme@gitlab.corp.example"
        );
        // Not added: not read. gitlab.com itself is unchanged.
        assert!(page_in(url, &[]).is_none());
        let hosted = "https://gitlab.com/groups/acme/-/settings/access_tokens";
        assert_eq!(page_in(hosted, &corp()).unwrap().tenant, "acme");
        assert_eq!(
            canonical_url(url, &corp()).0,
            "https://gitlab.com/groups/acme/-/settings/access_tokens"
        );
    }

    #[test]
    fn an_instance_on_a_port_is_that_port_of_its_host_alone() {
        let on_port = [Instance {
            platform: Platform::Gitlab,
            host: instance_host("gitlab.corp.example:8443").unwrap(),
        }];
        let url = "https://gitlab.corp.example:8443/groups/acme/-/settings/access_tokens";
        let at = page_in(url, &on_port).expect("a GitLab page");
        assert_eq!(at.page.id, "gitlab.group_access_tokens_page");
        assert_eq!(at.tenant, "acme@gitlab.corp.example:8443");
        assert_eq!(
            at.url,
            "https://gitlab.com/groups/acme/-/settings/access_tokens"
        );
        let plan = crate::console::plan_in(url, &on_port).unwrap();
        assert_eq!(plan.tenant, "gitlab:acme@gitlab.corp.example:8443");
        assert!(
            plan.api
                .iter()
                .all(|r| r.contains(r"gitlab\.corp\.example:8443\/")),
            "{:?}",
            plan.api
        );
        // Its responses are the instance's; the host's other ports are not the instance.
        let api = "https://gitlab.corp.example:8443/api/v4/groups/acme/access_tokens";
        assert_eq!(canonical_url(api, &on_port).1, at.on);
        let elsewhere = "https://gitlab.corp.example/groups/acme/-/settings/access_tokens";
        assert!(page_in(elsewhere, &on_port).is_none());
        assert_eq!(
            canonical_url(
                &elsewhere.replace("/groups", ":9443/api/v4/groups"),
                &on_port
            )
            .1,
            None
        );
        // The test build's loopback form names the port in its first segment.
        let loopback =
            "http://127.0.0.1:9/gitlab.corp.example:8443/groups/acme/-/settings/access_tokens";
        assert_eq!(
            page_in(loopback, &on_port).unwrap().tenant,
            "acme@gitlab.corp.example:8443"
        );
        assert_eq!(
            instance_of_tenant("gitlab:acme@gitlab.corp.example:8443"),
            Some("gitlab.corp.example:8443")
        );
    }

    #[test]
    fn an_instance_under_a_path_is_its_platforms_pages_under_that_path_alone() {
        let place = with_root("https://code.corp.example/groups/acme", " /gitlab/ ").unwrap();
        assert_eq!(place, "code.corp.example/gitlab");
        let instances = [
            Instance {
                platform: Platform::Gitlab,
                host: place.clone(),
            },
            // The same host's root, and a longer path under it: other instances.
            Instance {
                platform: Platform::Gitlab,
                host: "code.corp.example".into(),
            },
            Instance {
                platform: Platform::Gitlab,
                host: "code.corp.example/gitlab/eu".into(),
            },
        ];
        let path = "groups/acme/-/settings/access_tokens";
        let at = page_in(
            &format!("https://code.corp.example/gitlab/{path}"),
            &instances,
        )
        .expect("a GitLab page");
        assert_eq!(at.page.id, "gitlab.group_access_tokens_page");
        assert_eq!(at.tenant, "acme@code.corp.example/gitlab");
        assert_eq!(at.url, format!("https://gitlab.com/{path}"));
        assert_eq!(at.on, Some(On::Instance(&instances[0])));
        let tenant_at = |url: &str| page_in(url, &instances).map(|at| at.tenant);
        assert_eq!(
            tenant_at(&format!("https://code.corp.example/{path}")).as_deref(),
            Some("acme@code.corp.example")
        );
        assert_eq!(
            tenant_at(&format!("https://code.corp.example/gitlab/eu/{path}")).as_deref(),
            Some("acme@code.corp.example/gitlab/eu")
        );
        // A path that only starts alike is not under it; the host's case is no matter, the path's is.
        assert_eq!(
            canonical_url("https://code.corp.example/gitlabs/x", &instances).0,
            "https://gitlab.com/gitlabs/x"
        );
        assert_eq!(
            canonical_url("https://CODE.corp.example/gitlab?x", &instances),
            (
                "https://gitlab.com?x".to_string(),
                Some(On::Instance(&instances[0]))
            )
        );
        assert_eq!(
            canonical_url("https://code.corp.example/GitLab/x", &instances).1,
            Some(On::Instance(&instances[1]))
        );
        // Its API is asked for under its path, its responses known there; the loopback form too.
        let plan = crate::console::plan_in(
            &format!("http://127.0.0.1:9/code.corp.example/gitlab/{path}"),
            &instances[..1],
        )
        .unwrap();
        assert_eq!(plan.tenant, "gitlab:acme@code.corp.example/gitlab");
        assert!(
            plan.api
                .iter()
                .all(|r| r.contains(r")code\.corp\.example\/gitlab\/")),
            "{:?}",
            plan.api
        );
        assert!(plan.api.iter().any(|r| r.contains(r"gitlab\/api\/v4")));
        let api = "https://code.corp.example/gitlab/api/v4/groups/acme/access_tokens";
        assert_eq!(
            canonical_url(api, &instances[..1]).1,
            Some(On::Instance(&instances[0]))
        );
        assert_eq!(
            canonical_url(&api.replace("/gitlab", ""), &instances[..1]).1,
            None
        );
        assert!(
            page_in(
                &format!("https://code.corp.example/{path}"),
                &instances[..1]
            )
            .is_none()
        );
        assert_eq!(
            instance_of_tenant(&plan.tenant),
            Some("code.corp.example/gitlab")
        );
        assert_eq!(
            without_port("code.corp.example:8443/gitlab"),
            "code.corp.example"
        );
    }

    #[test]
    fn a_path_an_instance_is_served_under_is_plain_segments() {
        for (typed, root) in [
            ("", ""),
            (" / ", ""),
            ("gitlab", "/gitlab"),
            ("/gitlab/", "/gitlab"),
            ("/GitLab/eu-1", "/GitLab/eu-1"),
            ("/a.b_c~d", "/a.b_c~d"),
        ] {
            assert_eq!(url_root(typed).as_deref(), Ok(root), "{typed}");
        }
        for bad in [
            "/gitlab//eu",
            "/../admin",
            "/gitlab/.",
            "/git lab",
            "/gitlab?x=1",
            "/gitlab#top",
            "/gitlab%2f",
            "/user@gitlab",
            "/gitlab:1",
            "/<img src=x>",
            "\\gitlab",
        ] {
            assert!(url_root(bad).is_err(), "{bad} accepted");
        }
        assert!(url_root(&format!("/{}", "a".repeat(201))).is_err());
        // A place as stored is read back only as written.
        assert_eq!(
            place_parts("code.corp.example:8443/gitlab/eu"),
            Some(("code.corp.example:8443", "/gitlab/eu"))
        );
        assert_eq!(
            place_parts("code.corp.example"),
            Some(("code.corp.example", ""))
        );
        for bad in [
            "code.corp.example/",
            "code.corp.example/gitlab/",
            "Code.corp.example/gitlab",
            "code.corp.example:443/gitlab",
            "code.corp.example/../x",
            "/gitlab",
        ] {
            assert_eq!(place_parts(bad), None, "{bad}");
        }
        assert!(with_root("gitlab.com", "/gitlab").is_err());
    }

    #[test]
    fn a_github_enterprise_server_serves_githubs_settings_pages() {
        let ghes = [Instance {
            platform: Platform::Github,
            host: "github.corp.example".into(),
        }];
        let url = "https://github.corp.example/organizations/acme/settings/installations";
        let at = page_in(url, &ghes).expect("a GitHub page");
        let (page, platform, tenant) = (at.page, at.platform, at.tenant);
        assert_eq!(
            (page.id, platform, tenant.as_str()),
            (
                "github.installations_page",
                Platform::Github,
                "acme@github.corp.example"
            )
        );
        // An instance is one platform's: a GitLab path on it is nothing.
        assert!(
            page_in(
                "https://github.corp.example/groups/acme/-/settings/access_tokens",
                &ghes
            )
            .is_none()
        );
    }

    #[test]
    fn an_instances_tenant_keys_name_its_host() {
        assert_eq!(
            instance_of_tenant("gitlab:acme@gitlab.corp.example"),
            Some("gitlab.corp.example")
        );
        for hosted in [
            "gitlab:acme",
            "aws:123456789012",
            "entra:entra.microsoft.com",
            "x:a@b",
        ] {
            assert_eq!(instance_of_tenant(hosted), None, "{hosted}");
        }
    }

    #[test]
    fn only_platforms_with_self_managed_instances_take_them() {
        let platforms: Vec<Platform> = self_managed_platforms().map(|(p, _)| p).collect();
        assert_eq!(platforms, [Platform::Github, Platform::Gitlab]);
        // An instance of a platform without them is ignored.
        let okta = [Instance {
            platform: Platform::Okta,
            host: "sso.corp.example".into(),
        }];
        assert!(page_in("https://sso.corp.example/admin/apps/active", &okta).is_none());
    }
}
