//! Which permission lists were read, and for whom: an app whose permissions no input showed is
//! scored without privilege, and its badge must say so ("permissions not read") rather than let
//! a low score pass for a clean one.
//!
//! Told by the request's URL (the Entra admin center asks for one service principal's
//! `/servicePrincipals/{id}/appRoleAssignments` and `/oauth2PermissionGrants?$filter=clientId eq
//! '{id}'`) or, for a saved export, by the `@odata.context` Graph writes
//! (`$metadata#servicePrincipals('{id}')/appRoleAssignments`).

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use rustc_hash::FxHashSet;

use crate::ingest::Input;
use crate::ingest::probe::{JsonShape, NextPage, Shape, odata_next_link};
use crate::model::Timestamp;

/// How the keys of the lists read begin (keys are text, where a type of their own would cost the
/// worker's WebAssembly a set type of its own; [`ListsRead`] reads them back once per join).
const DELEGATED: &str = "delegated ";
const ASSIGNED: &str = "assigned ";

/// The key of a service principal's delegated grants read whole (by its object ID, lower-case),
/// or of every one's (`None`: the tenant's whole `/oauth2PermissionGrants`).
pub(super) fn delegated(client: Option<&str>) -> String {
    [DELEGATED, client.unwrap_or("*")].concat()
}

/// The key of the application permissions one service principal holds, read whole.
pub(super) fn assigned(holder: &str) -> String {
    [ASSIGNED, holder].concat()
}

/// The key of a list of the tenant's service principals read whole: an app registration it
/// leaves out has no service principal, so no permissions, in this tenant.
pub(super) const SERVICE_PRINCIPALS: &str = "service principals";

/// What the keys of the lists read say, for looking apps up without building a key for each.
pub(super) struct ListsRead<'a> {
    every_client: bool,
    service_principals: bool,
    delegated: FxHashSet<&'a str>,
    assigned: FxHashSet<&'a str>,
}

impl<'a> ListsRead<'a> {
    pub(super) fn new(keys: &'a FxHashSet<String>) -> Self {
        let mut read = ListsRead {
            every_client: false,
            service_principals: false,
            delegated: FxHashSet::default(),
            assigned: FxHashSet::default(),
        };
        for key in keys {
            if key == SERVICE_PRINCIPALS {
                read.service_principals = true;
            } else if let Some(client) = key.strip_prefix(DELEGATED) {
                if client == "*" {
                    read.every_client = true;
                } else {
                    read.delegated.insert(client);
                }
            } else if let Some(holder) = key.strip_prefix(ASSIGNED) {
                read.assigned.insert(holder);
            }
        }
        read
    }

    /// Whether inputs showed both kinds of permission the service principal (by object ID) may
    /// hold; for an app registration without one (`None`), whether a list of the tenant's
    /// service principals showed it has none.
    pub(super) fn permissions_read(&self, sp: Option<&str>) -> bool {
        let Some(id) = sp else {
            return self.service_principals;
        };
        // Graph writes object IDs in lower case: a copy only for one that is not.
        let id = match id.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(id.to_ascii_lowercase()),
            false => Cow::Borrowed(id),
        };
        (self.every_client || self.delegated.contains(&*id)) && self.assigned.contains(&*id)
    }
}

/// The input's JSON, when it holds its list whole (`None` beside it) or is one page of a list
/// whose walk can be followed (see [`ListPage`]): not one answer of a batch whose requests are
/// unknown, nor a delta round, which lists only what changed.
pub(super) fn read_listed<'a>(
    input: &Input<'a>,
    captured_at: Option<Timestamp>,
) -> Option<(&'a JsonShape, Option<ListPage>)> {
    let Shape::Json(shape) = input.shape else {
        return None;
    };
    let source = input.source;
    let walkable = query_value(source, "deltatoken").is_none()
        && !path(source)
            .split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy())
            .any(|s| s == "$batch" || s.starts_with("delta"));
    if !walkable {
        return None;
    }
    let first = ["skiptoken", "skip"]
        .iter()
        .all(|page| query_value(source, page).is_none());
    // A link written after the list too, as some lists do. One that cannot be read (too long to
    // keep, not the document's last member, in text that is not UTF-8) goes nowhere a walk can
    // follow, never to the list's end.
    let next = match std::str::from_utf8(input.bytes) {
        Err(_) => NextPage::Unknown,
        Ok(text) => match odata_next_link(text, shape) {
            NextPage::At(link) => NextPage::At(address(&link)),
            NextPage::End | NextPage::NotSaid if text.contains("\"@odata.nextLink\"") => {
                NextPage::Unknown
            }
            NextPage::NotSaid => NextPage::End,
            other => other,
        },
    };
    if first && next == NextPage::End {
        return Some((shape, None));
    }
    let page = ListPage {
        at: address(source),
        next,
        first,
        captured_at,
    };
    Some((shape, Some(page)))
}

/// One page of a list Graph pages (`@odata.nextLink`), as the console loads them while the admin
/// scrolls: the list counts as read whole once a walk from its first page reaches, through
/// pages read, one that names no next page (see [`walked_whole`]).
#[derive(Clone, Debug)]
pub(super) struct ListPage {
    /// Its address (see [`address`]).
    at: String,
    /// The page after it: its address, none, or one not known.
    next: NextPage,
    /// Whether it is the list's first page (no page token in its URL).
    first: bool,
    /// When the extension read it (`None` for a saved file): a walk goes on only to a page read
    /// as late or later, never into the pages of an earlier walk, which may have changed since.
    captured_at: Option<Timestamp>,
}

/// A page's address as the page before it names it: from the API version on, with `$` and `'`
/// decoded. The console asks for `https://graph.microsoft.com/v1.0/…` (a test build for its
/// loopback host), and one writer encodes a `$` or a quote where another does not; nothing else
/// is decoded, so that an encoded `&` or `+` in a token stays apart from a real one.
fn address(url: &str) -> String {
    let from = ["/v1.0/", "/beta/"]
        .iter()
        .filter_map(|version| url.find(version))
        .min()
        .unwrap_or(0);
    url[from..].replace("%24", "$").replace("%27", "'")
}

/// Whether `page` was read before `before`, which names it as its next page.
fn read_before(page: &ListPage, before: &ListPage) -> bool {
    matches!((page.captured_at, before.captured_at), (Some(a), Some(b)) if a < b)
}

/// The keys of the lists whose pages were all read: `pages` holds each page read with the key
/// of the list it is a page of.
pub(super) fn walked_whole(pages: &[(String, ListPage)]) -> Vec<String> {
    // A list has a few pages read: looked up one by one, where a map of them would cost the
    // worker's WebAssembly a map type of its own.
    let read_at = |key: &str, at: &str| {
        pages
            .iter()
            .find(|(k, page)| k == key && page.at == at)
            .map(|(_, page)| page)
    };
    let mut whole = Vec::new();
    for (key, first) in pages.iter().filter(|(_, page)| page.first) {
        let mut page = first;
        // At most one step per page read: a list whose next links go round never ends.
        for _ in 0..=pages.len() {
            match &page.next {
                NextPage::End | NextPage::NotSaid => {
                    whole.push(key.clone());
                    break;
                }
                NextPage::At(next) => match read_at(key, next) {
                    Some(after) if !read_before(after, page) => page = after,
                    _ => break,
                },
                NextPage::Unknown => break,
            }
        }
    }
    whole
}

/// The service principal whose own `list` (`appRoleAssignments`, `oauth2PermissionGrants`) this
/// input is, by its URL's path or its OData context.
pub(super) fn owner_of_list(source: &str, shape: &JsonShape, list: &str) -> Option<String> {
    let in_context = shape
        .string("@odata.context")
        .and_then(|c| c.split_once("$metadata#servicePrincipals('"))
        .and_then(|(_, rest)| rest.split_once("')/"))
        .filter(|(_, rest)| rest.split(['/', '?']).next() == Some(list))
        .map(|(id, _)| id);
    let segments: Vec<&str> = path(source).split(['/', '\\']).collect();
    let in_path = segments.windows(3).find_map(|w| {
        (w[0] == "servicePrincipals" && is_object_id(w[1]) && w[2].split('.').next() == Some(list))
            .then_some(w[1])
    });
    in_context
        .or(in_path)
        .filter(|id| is_object_id(id))
        .map(str::to_ascii_lowercase)
}

/// Whether the input is the tenant's own `list` (`/v1.0/oauth2PermissionGrants`), not one
/// object's (`/users/{id}/oauth2PermissionGrants`, `/me/oauth2PermissionGrants`): by its URL's
/// path where it names Graph's version, else (a saved file) by its OData context.
pub(super) fn is_tenant_list(source: &str, shape: &JsonShape, list: &str) -> bool {
    let segments: Vec<&str> = path(source).split('/').collect();
    match segments.iter().position(|s| *s == "v1.0" || *s == "beta") {
        Some(version) => segments[version + 1..] == [list],
        None => shape
            .string("@odata.context")
            .and_then(|c| c.rsplit_once("$metadata#"))
            .is_some_and(|(_, of)| of == list),
    }
}

/// The client of a `/oauth2PermissionGrants?$filter=clientId eq '{id}'` request: `None` for any
/// other filter, which reads some of the grants and says of no client that it read them all.
pub(super) fn filtered_client(source: &str) -> Option<String> {
    if query_value(source, "search").is_some() {
        return None;
    }
    let filter = query_value(source, "filter")?;
    let id = filter
        .trim()
        .strip_prefix("clientId eq '")?
        .strip_suffix('\'')?;
    is_object_id(id).then(|| id.to_ascii_lowercase())
}

/// Whether the request narrowed its list (a filter or a search, however the URL writes them):
/// what it leaves out is not absent.
pub(super) fn is_narrowed(source: &str) -> bool {
    query_value(source, "filter").is_some() || query_value(source, "search").is_some()
}

/// A URL without its query and fragment.
fn path(source: &str) -> &str {
    source.split(['?', '#']).next().unwrap_or(source)
}

/// A parameter of a URL's query, decoded (`+` is a space there): its name compared without case
/// and without the `$` Graph's system options may leave out.
fn query_value(source: &str, wanted: &str) -> Option<String> {
    let query = source.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let name = percent_decode_str(name).decode_utf8_lossy();
        name.trim_start_matches('$')
            .eq_ignore_ascii_case(wanted)
            .then(|| {
                percent_decode_str(&value.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
    })
}

/// A directory object ID: a GUID.
fn is_object_id(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::probe::probe;

    const SP: &str = "5e000007-2b3c-4d5e-8f60-7a8b9c0d1e07";

    fn shape(context: &str) -> JsonShape {
        let text = format!(r#"{{"@odata.context":"{context}","value":[]}}"#);
        match probe(text.as_bytes()).unwrap() {
            Shape::Json(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_service_principals_own_list_is_told_by_its_url_or_its_context() {
        let none = shape("https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments");
        let url = format!(
            "https://graph.microsoft.com/v1.0/servicePrincipals/{SP}/appRoleAssignments?$top=999"
        );
        assert_eq!(
            owner_of_list(&url, &none, "appRoleAssignments").as_deref(),
            Some(SP)
        );
        assert_eq!(owner_of_list(&url, &none, "oauth2PermissionGrants"), None);
        let upper = SP.to_ascii_uppercase();
        let context = shape(&format!(
            "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{upper}')/appRoleAssignments"
        ));
        assert_eq!(
            owner_of_list("exports/sp.json", &context, "appRoleAssignments").as_deref(),
            Some(SP)
        );
        // Who holds a resource's roles is not what the resource holds.
        let assigned_to =
            format!("https://graph.microsoft.com/v1.0/servicePrincipals/{SP}/appRoleAssignedTo");
        assert_eq!(
            owner_of_list(&assigned_to, &none, "appRoleAssignments"),
            None
        );
        assert_eq!(
            owner_of_list(
                "https://graph.microsoft.com/v1.0/servicePrincipals/not-an-id/appRoleAssignments",
                &none,
                "appRoleAssignments"
            ),
            None
        );
    }

    #[test]
    fn only_a_filter_on_one_client_reads_that_clients_grants() {
        let base = "http://127.0.0.1:8080/graph.microsoft.com/v1.0/oauth2PermissionGrants";
        for encoded in [
            format!("{base}?$filter=clientId eq '{SP}'"),
            format!("{base}?%24filter=clientId%20eq%20%27{SP}%27"),
            format!("{base}?$top=10&$filter=clientId+eq+'{SP}'"),
        ] {
            assert_eq!(filtered_client(&encoded).as_deref(), Some(SP), "{encoded}");
            assert!(is_narrowed(&encoded));
        }
        let narrower = format!("{base}?$filter=clientId eq '{SP}' and resourceId eq '{SP}'");
        assert_eq!(filtered_client(&narrower), None);
        assert!(is_narrowed(&narrower));
        let searched = format!("{base}?$filter=clientId eq '{SP}'&$search=%22x%22");
        assert_eq!(filtered_client(&searched), None);
        // Graph takes its system options without the `$` too.
        assert!(is_narrowed(&format!("{base}?Filter=clientId eq '{SP}'")));
        assert!(is_narrowed(&format!(
            "{base}?%24search=%22displayName%3Aacme%22"
        )));
        assert!(!is_narrowed(&format!("{base}?$top=999")));
        assert!(!is_narrowed(base));
    }

    /// How `read_listed` takes a list read from `source` with this body: `None` when no walk
    /// can follow it, `Some(None)` when whole, else its page's (address, next, first).
    fn listed(source: &str, body: &str) -> Option<Option<(String, NextPage, bool)>> {
        let shape = probe(body.as_bytes()).unwrap();
        let input = Input {
            source,
            bytes: body.as_bytes(),
            shape: &shape,
            url_root: "",
        };
        read_listed(&input, None).map(|(_, page)| page.map(|p| (p.at, p.next, p.first)))
    }

    #[test]
    fn a_list_is_whole_or_a_page_of_one() {
        let list = "https://graph.microsoft.com/v1.0/servicePrincipals";
        let alone = r#"{"@odata.context":"x","value":[]}"#;
        assert_eq!(listed(list, alone), Some(None));
        assert_eq!(listed("exports/servicePrincipals.json", alone), Some(None));
        let first = r#"{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=A","value":[]}"#;
        let next = NextPage::At("/v1.0/servicePrincipals?$skiptoken=A".into());
        assert_eq!(
            listed(list, first),
            Some(Some(("/v1.0/servicePrincipals".into(), next.clone(), true)))
        );
        // The link written after the list, as delta and some other lists write it.
        let trailing = r#"{"@odata.context":"x","value":[],"@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=A"}"#;
        assert_eq!(
            listed(list, trailing),
            Some(Some(("/v1.0/servicePrincipals".into(), next, true)))
        );
        // A last page: the earlier ones may not have been read. Its address is the one the
        // page before names, however its URL encodes it and on whatever host a test build asks.
        let last =
            "http://127.0.0.1:8080/graph.microsoft.com/v1.0/servicePrincipals?%24skiptoken=A";
        assert_eq!(
            listed(last, alone),
            Some(Some((
                "/v1.0/servicePrincipals?$skiptoken=A".into(),
                NextPage::End,
                false
            )))
        );
        assert_eq!(
            listed(&format!("{list}?%24skip=100"), alone),
            Some(Some((
                "/v1.0/servicePrincipals?$skip=100".into(),
                NextPage::End,
                false
            )))
        );
        // A link after the list that is not the document's last member, or in text that is not
        // UTF-8: the list goes on, to a page not known.
        let not_last = r#"{"@odata.context":"x","value":[{"id":"1"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=A","@odata.count":5}"#;
        assert_eq!(
            listed(list, not_last),
            Some(Some((
                "/v1.0/servicePrincipals".into(),
                NextPage::Unknown,
                true
            )))
        );
        let latin1 =
            b"{\"@odata.context\":\"x\",\"value\":[{\"id\":\"1\"},{\"displayName\":\"caf\xe9\"}]}";
        let shape = probe(latin1).unwrap();
        let input = Input {
            source: list,
            bytes: latin1,
            shape: &shape,
            url_root: "",
        };
        let page = read_listed(&input, None).unwrap().1.unwrap();
        assert_eq!(page.next, NextPage::Unknown);
        // Only `$` and `'` are decoded: an encoded `&` in a token is another page than a real one.
        assert_eq!(
            address("https://graph.microsoft.com/v1.0/x?%24skiptoken=a%26b%27"),
            "/v1.0/x?$skiptoken=a%26b'"
        );
        // Lists only what changed, or answers requests not known.
        assert_eq!(listed(&format!("{list}/delta"), alone), None);
        assert_eq!(listed(&format!("{list}?$deltatoken=B"), alone), None);
        assert_eq!(
            listed("https://graph.microsoft.com/v1.0/$batch", alone),
            None
        );
        assert_eq!(
            listed("https://graph.microsoft.com/v1.0/%24batch", alone),
            None
        );
    }

    #[test]
    fn only_the_tenants_own_list_is_the_tenants() {
        let context = |of: &str| shape(&format!("https://graph.microsoft.com/v1.0/$metadata#{of}"));
        let grants = context("oauth2PermissionGrants");
        let list = "oauth2PermissionGrants";
        for tenant in [
            "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$top=999",
            "http://127.0.0.1:8080/graph.microsoft.com/beta/oauth2PermissionGrants",
            "exports/grants.json",
        ] {
            assert!(is_tenant_list(tenant, &grants, list), "{tenant}");
        }
        let users = context("users('u1')/oauth2PermissionGrants");
        for one in [
            "https://graph.microsoft.com/v1.0/users/u1/oauth2PermissionGrants",
            "https://graph.microsoft.com/v1.0/me/oauth2PermissionGrants",
        ] {
            assert!(!is_tenant_list(one, &grants, list), "{one}");
        }
        assert!(!is_tenant_list("exports/grants.json", &users, list));
    }

    fn page(at: &str, next: Option<&str>, first: bool) -> (String, ListPage) {
        (
            "service principals".into(),
            ListPage {
                at: at.into(),
                next: next.map_or(NextPage::End, |n| NextPage::At(n.into())),
                first,
                captured_at: None,
            },
        )
    }

    fn read_on(mut page: (String, ListPage), day: u8) -> (String, ListPage) {
        page.1.captured_at = crate::timestamp::parse(&format!("2026-11-{day:02}T00:00:00Z"));
        page
    }

    #[test]
    fn a_list_is_walked_whole_from_its_first_page_to_one_naming_no_next() {
        let first = page("/sp", Some("/sp?t=2"), true);
        let second = page("/sp?t=2", Some("/sp?t=3"), false);
        let last = page("/sp?t=3", None, false);
        let whole = vec!["service principals".to_string()];
        assert_eq!(
            walked_whole(&[last.clone(), first.clone(), second.clone()]),
            whole
        );
        // A page not read, a walk from no first page, pages of another list, or next links
        // that go round: not whole.
        assert!(walked_whole(&[first.clone(), last.clone()]).is_empty());
        assert!(walked_whole(&[second.clone(), last.clone()]).is_empty());
        let mut other = last.clone();
        other.0 = "assigned x".into();
        assert!(walked_whole(&[first.clone(), second.clone(), other]).is_empty());
        let round = page("/sp?t=3", Some("/sp?t=2"), false);
        assert!(walked_whole(&[first.clone(), second.clone(), round]).is_empty());
        // Pages read in one walk, each as late as the one before it or later; a first page read
        // again leads into no page of an earlier walk, which may have changed since.
        assert_eq!(
            walked_whole(&[
                read_on(first.clone(), 2),
                read_on(second.clone(), 2),
                read_on(last.clone(), 3)
            ]),
            whole
        );
        assert!(
            walked_whole(&[
                read_on(first.clone(), 5),
                read_on(second.clone(), 2),
                read_on(last.clone(), 2)
            ])
            .is_empty()
        );
        // A link too long to keep leads nowhere.
        let mut unknown = page("/sp", None, true);
        unknown.1.next = NextPage::Unknown;
        assert!(walked_whole(&[unknown, last]).is_empty());
    }
}
