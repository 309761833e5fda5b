//! URL patterns of console pages: `*` matches anything (in the host, anything within it:
//! `{tenant}.*my.salesforce.com` takes a sandbox's `acme--uat.sandbox.my.salesforce.com`, never
//! another host), `{tenant}` one host label (no `.`) or path segment (a GitLab group may be
//! `acme.io`), which names the tenant, `{segment}` one path segment of any name, and `{scope}` one
//! path segment the tenant is named within (Snowsight's `/<org>/<account>/`: an account's name is
//! its own only in its organization, so the tenant is `acmeorg/prod`). None holds a `/`, `?` or
//! `#`; nothing in a host, and no tenant, holds an `@` (the user part of a URL
//! `https://acme.x@other.my.salesforce.com/` is no host's).

/// A parsed URL pattern.
#[derive(Debug)]
pub struct Pattern<'p> {
    parts: Vec<Part<'p>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'p> {
    Text(&'p str),
    Any {
        in_path: bool,
    },
    /// In the host, a label; in the path, a segment.
    Tenant {
        in_path: bool,
    },
    Segment,
    /// A path segment the tenant is named within: the tenant is `{scope}/{tenant}`.
    Scope,
}

/// What a match found.
#[derive(Debug, PartialEq, Eq)]
pub struct Match {
    /// What `{tenant}` matched, when the pattern has it.
    pub tenant: Option<String>,
}

const TENANT: &str = "{tenant}";
const SEGMENT: &str = "{segment}";
const SCOPE: &str = "{scope}";

impl<'p> Pattern<'p> {
    /// Parses a pattern; any text is a valid pattern.
    pub fn new(pattern: &'p str) -> Self {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            // Past the host: the scheme's `://` and a `/` after it are behind.
            let before = &pattern[..pattern.len() - rest.len()];
            let in_path = before
                .find("://")
                .is_some_and(|scheme| before[scheme + 3..].contains('/'));
            if let Some(after) = rest.strip_prefix('*') {
                parts.push(Part::Any { in_path });
                rest = after;
            } else if let Some(after) = rest.strip_prefix(TENANT) {
                parts.push(Part::Tenant { in_path });
                rest = after;
            } else if let Some(after) = rest.strip_prefix(SEGMENT) {
                parts.push(Part::Segment);
                rest = after;
            } else if let Some(after) = rest.strip_prefix(SCOPE) {
                parts.push(Part::Scope);
                rest = after;
            } else {
                let end = rest
                    .char_indices()
                    .skip(1)
                    .find(|&(i, c)| {
                        c == '*'
                            || [TENANT, SEGMENT, SCOPE]
                                .iter()
                                .any(|mark| rest[i..].starts_with(mark))
                    })
                    .map_or(rest.len(), |(i, _)| i);
                parts.push(Part::Text(&rest[..end]));
                rest = &rest[end..];
            }
        }
        Pattern { parts }
    }

    /// Matches the whole of `url` (scheme and host without regard to case).
    pub fn matches(&self, url: &str) -> Option<Match> {
        let mut tenant = None;
        match_parts(&self.parts, url, &mut tenant).then_some(Match { tenant })
    }

    /// The pattern as a JavaScript regular expression source that also matches the loopback form
    /// the test build serves mock consoles on (`http://127.0.0.1:PORT/host/…`).
    pub fn to_js_regex(&self) -> String {
        let mut out = String::from("^");
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Text(text) => {
                    let text = if i == 0 {
                        match text.strip_prefix("https://") {
                            Some(rest) => {
                                out.push_str(
                                    r"(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)",
                                );
                                rest
                            }
                            None => text,
                        }
                    } else {
                        text
                    };
                    for c in text.chars() {
                        if r"\^$.|?*+()[]{}/".contains(c) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                }
                Part::Any { in_path: true } => out.push_str(".*"),
                Part::Any { in_path: false } => out.push_str(r"[^/?#@]*"),
                Part::Tenant { in_path: false } => out.push_str(r"[^/?#.@]+"),
                Part::Tenant { in_path: true } => out.push_str(r"[^/?#@]+"),
                Part::Segment | Part::Scope => out.push_str(r"[^/?#]+"),
            }
        }
        out.push('$');
        out
    }
}

fn match_parts(parts: &[Part<'_>], url: &str, tenant: &mut Option<String>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return url.is_empty();
    };
    match first {
        Part::Text(text) => url
            .get(..text.len())
            .filter(|head| head.eq_ignore_ascii_case(text))
            .is_some_and(|_| match_parts(rest, &url[text.len()..], tenant)),
        Part::Any { in_path } => {
            let limit = match in_path {
                true => url.len(),
                false => url.find(['/', '?', '#', '@']).unwrap_or(url.len()),
            };
            url[..limit]
                .char_indices()
                .map(|(i, _)| i)
                .chain([limit])
                .any(|i| match_parts(rest, &url[i..], tenant))
        }
        Part::Segment => {
            let limit = url.find(['/', '?', '#']).unwrap_or(url.len());
            (1..=limit)
                .filter(|&i| url.is_char_boundary(i))
                .any(|i| match_parts(rest, &url[i..], tenant))
        }
        Part::Scope => {
            // One segment, whole (no `@`, as a tenant holds none), named before the tenant.
            let limit = url.find(['/', '?', '#', '@']).unwrap_or(url.len());
            if limit == 0 || !match_parts(rest, &url[limit..], tenant) {
                return false;
            }
            if let Some(named) = tenant.as_mut() {
                named.insert_str(0, &format!("{}/", &url[..limit]));
            }
            true
        }
        Part::Tenant { in_path } => {
            let limit = match in_path {
                true => url.find(['/', '?', '#', '@']),
                false => url.find(['/', '?', '#', '.', '@']),
            }
            .unwrap_or(url.len());
            (1..=limit)
                .rev()
                .filter(|&i| url.is_char_boundary(i))
                .any(|i| {
                    let matched = match_parts(rest, &url[i..], tenant);
                    if matched && tenant.is_none() {
                        *tenant = Some(url[..i].to_string());
                    }
                    matched
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(pattern: &str, url: &str) -> Option<Option<String>> {
        Pattern::new(pattern).matches(url).map(|m| m.tenant)
    }

    #[test]
    fn a_scope_names_the_tenant_within_it() {
        let p = "https://app.snowflake.com/{scope}/{tenant}/#/*";
        // Two organizations' accounts of one name are two tenants; so are two regions' locators.
        assert_eq!(
            tenant(p, "https://app.snowflake.com/acmeorg/prod/#/admin/users"),
            Some(Some("acmeorg/prod".into()))
        );
        assert_eq!(
            tenant(p, "https://app.snowflake.com/otherorg/prod/#/admin/users"),
            Some(Some("otherorg/prod".into()))
        );
        assert_eq!(
            tenant(
                p,
                "https://app.snowflake.com/us-east-1.azure/xy12345/#/admin/users"
            ),
            Some(Some("us-east-1.azure/xy12345".into()))
        );
        assert_eq!(
            tenant(p, "https://app.snowflake.com/prod/#/admin/users"),
            None
        );
        assert_eq!(tenant(p, "https://app.snowflake.com/a/b/c/#/x"), None);
        assert_eq!(
            Pattern::new(p).to_js_regex(),
            r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)app\.snowflake\.com\/[^/?#]+\/[^/?#@]+\/#\/.*$"
        );
    }

    #[test]
    fn stars_match_anything_and_the_tenant_one_segment() {
        let p = "https://github.com/organizations/{tenant}/settings/hooks*";
        assert_eq!(
            tenant(p, "https://github.com/organizations/acme/settings/hooks"),
            Some(Some("acme".into()))
        );
        assert_eq!(
            tenant(
                p,
                "https://github.com/organizations/acme/settings/hooks/123?x"
            ),
            Some(Some("acme".into()))
        );
        assert_eq!(
            tenant(p, "https://github.com/organizations/a/b/settings/hooks"),
            None
        );
        assert_eq!(
            tenant(
                "https://{tenant}-admin.okta.com/admin/*",
                "https://acme-corp-admin.okta.com/admin/apps"
            ),
            Some(Some("acme-corp".into()))
        );
        assert_eq!(tenant("https://x.com/*", "https://X.COM/"), Some(None));
        // A path's tenant may hold dots (a GitLab group `acme.io`); a host's is one label.
        assert_eq!(
            tenant(
                "https://gitlab.com/groups/{tenant}/*",
                "https://gitlab.com/groups/acme.io/-/settings/access_tokens"
            ),
            Some(Some("acme.io".into()))
        );
        assert_eq!(
            tenant(
                "https://{tenant}.slack.com/apps*",
                "https://a.b.slack.com/apps"
            ),
            None
        );
        // A star in the host stays in the host.
        let org = "https://{tenant}.*my.salesforce.com/*";
        assert_eq!(
            tenant(org, "https://acme--uat.sandbox.my.salesforce.com/x"),
            Some(Some("acme--uat".into()))
        );
        assert_eq!(
            tenant(org, "https://acme.my.salesforce.com/"),
            Some(Some("acme".into()))
        );
        assert_eq!(tenant(org, "https://acme.x.com/?.my.salesforce.com/"), None);
        // A URL's user part names no host, and no tenant.
        assert_eq!(tenant(org, "https://acme.x@other.my.salesforce.com/"), None);
        assert_eq!(
            tenant(
                "https://gitlab.com/groups/{tenant}/*",
                "https://gitlab.com/groups/acme@gitlab.corp.example/-/x"
            ),
            None
        );
        // A segment is one, of any name.
        let repo = "https://github.com/{tenant}/{segment}/settings/*";
        assert_eq!(
            tenant(repo, "https://github.com/acme/web.site/settings/hooks"),
            Some(Some("acme".into()))
        );
        assert_eq!(
            tenant(repo, "https://github.com/acme/web/blob/main/settings/x.py"),
            None
        );
        assert_eq!(tenant(repo, "https://github.com/acme//settings/x"), None);
        assert_eq!(tenant("https://x.com/a", "https://x.com/ab"), None);
    }

    #[test]
    fn the_javascript_form_escapes_and_allows_loopback() {
        let re = Pattern::new("https://graph.microsoft.com/*/applications*").to_js_regex();
        assert_eq!(
            re,
            r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)graph\.microsoft\.com\/.*\/applications.*$"
        );
        assert_eq!(
            Pattern::new("https://x.com/{tenant}/{segment}/a").to_js_regex(),
            r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)x\.com\/[^/?#@]+\/[^/?#]+\/a$"
        );
        assert_eq!(
            Pattern::new("https://*x.com/*").to_js_regex(),
            r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)[^/?#@]*x\.com\/.*$"
        );
        assert_eq!(
            Pattern::new("https://{tenant}.x.com/a").to_js_regex(),
            r"^(?:https://|http://(?:127\.0\.0\.1|localhost):\d+/)[^/?#.@]+\.x\.com\/a$"
        );
    }
}
