//! The URLs a console loads its lists from, compared: a next link with the page loaded from it,
//! and a search or filter of a list with the whole list.

use nhi_lens::console;

/// A URL in the form a next link and the page loaded from it are compared in: as read (a loopback
/// test URL as the console's), with its escapes of printable characters undone, since a browser
/// escapes a query's quotes and spaces where a body's link may not.
pub fn comparable(url: &str) -> String {
    unescape(&console::effective_url(url))
}

/// `text` with its escapes of printable characters undone (`%24` is `$`, `%27` a quote).
fn unescape(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| Some(hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?))
            .flatten()
            .map(|b| b as u8)
            .filter(|b| *b == b' ' || b.is_ascii_graphic());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Query parameters that narrow a list to some of its records: a search or a filter. (Okta's
/// `filter` is left out: it may ask for records its whole list leaves out.)
const NARROWING: &[&str] = &["$filter", "$search", "search", "q"];

/// Query parameters that size or order a list's pages without changing which records it holds.
const PAGING: &[&str] = &[
    "$top", "$count", "$orderby", "limit", "per_page", "sort", "order", "order_by",
];

/// Query parameters that say where in a list a page starts: a page with one is no whole list.
const POSITION: &[&str] = &[
    "$skip",
    "$skiptoken",
    "after",
    "before",
    "cursor",
    "offset",
    "page",
];

/// A URL's path (without a trailing `/`) and its parameters (each name in lower case), as read.
/// (Slices and linear scans: a list's parameters are few, and the worker's WebAssembly small.)
/// Split as written, each part unescaped after: an escaped `#`, `&` or `=` in a search is the
/// search's.
fn split(url: &str) -> (String, Vec<(String, String)>) {
    let url = console::effective_url(url);
    let url = url.split('#').next().unwrap_or_default();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k).to_ascii_lowercase(), unescape(v))
        })
        .collect();
    (unescape(path.trim_end_matches('/')), params)
}

/// Whether `url` asks for a search or filter of its list (some of its records, not all).
pub fn is_narrowed(url: &str) -> bool {
    split(url)
        .1
        .iter()
        .any(|(k, _)| NARROWING.contains(&k.as_str()))
}

/// Whether `view` is a search or filter of the whole list `list`: the same path, asking for the
/// same fields (every parameter but the narrowing and paging ones equal), `view` narrowed and
/// `list` not. Every record `view` held that `list`, read whole, no longer has is gone. People
/// lists are left alone: a list of users leaves out the deprovisioned ones (Okta's does) whom a
/// lookup of an owner finds, and an owner gone is what NHI Lens is there to see.
pub fn narrows(view: &str, list: &str) -> bool {
    let ((view_path, view_params), (list_path, list_params)) = (split(view), split(list));
    let is = |names: &[&str], (k, _): &(String, String)| names.contains(&k.as_str());
    let narrowing = |params: &[(String, String)]| params.iter().any(|p| is(NARROWING, p));
    let field = |p: &&(String, String)| !is(NARROWING, p) && !is(PAGING, p) && !is(POSITION, p);
    let view_fields: Vec<_> = view_params.iter().filter(field).collect();
    let list_fields: Vec<_> = list_params.iter().filter(field).collect();
    let people = view_path.rsplit('/').next() == Some("users");
    view_path == list_path
        && !people
        && narrowing(&view_params)
        && !narrowing(&list_params)
        && !list_params
            .iter()
            .any(|p| is(POSITION, p) && !(p.0 == "page" && p.1 == "1"))
        && view_fields.len() == list_fields.len()
        && view_fields.iter().all(|p| list_fields.contains(p))
}

/// Whether `item` is one record of the whole list `list`, fetched on its own: the list's path and
/// one segment more (`/applications/{id}`; a delta, `/applications/delta`, holds the same
/// records), or a key in parentheses (`/applications(appId='…')`), asking for no field the list
/// does not (`$select`). The list read whole holds every record it still has with those fields, so
/// a record it no longer holds is gone. A list that narrows or filters holds only some (Okta's
/// `filter` too); people lists keep their lookups (see [`narrows`]).
pub fn one_of(item: &str, list: &str) -> bool {
    let ((item_path, item_params), (list_path, list_params)) = (split(item), split(list));
    let Some(rest) = item_path.strip_prefix(list_path.as_str()) else {
        return false;
    };
    let segment = rest
        .strip_prefix('/')
        .is_some_and(|s| !s.is_empty() && !s.contains('/'));
    let keyed = rest.starts_with('(') && rest.ends_with(')') && !rest.contains('/');
    if !(segment || keyed) || list_path.rsplit('/').next() == Some("users") {
        return false;
    }
    let whole = !list_params
        .iter()
        .any(|(k, _)| k == "filter" || NARROWING.contains(&k.as_str()));
    let fields = |params: &[(String, String)], name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
    };
    // Every field the item asked for (`$select`: none said is all) and every relation it
    // expanded (`$expand`: none said is none), the list asked for too.
    let covered = match (
        fields(&list_params, "$select"),
        fields(&item_params, "$select"),
    ) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(list), Some(item)) => item.iter().all(|f| list.contains(f)),
    } && fields(&item_params, "$expand").is_none_or(|item| {
        let list = fields(&list_params, "$expand").unwrap_or_default();
        item.iter().all(|r| list.contains(r))
    });
    whole && covered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_record_fetched_on_its_own_is_one_of_its_whole_list() {
        let list = "https://graph.microsoft.com/v1.0/applications?$top=50";
        for item in [
            "https://graph.microsoft.com/v1.0/applications/0a1b2c3d",
            "https://graph.microsoft.com/v1.0/applications(appId='a1')",
            "https://graph.microsoft.com/v1.0/applications(appId=%27a1%27)?$select=id",
            "https://graph.microsoft.com/v1.0/applications/delta?$deltatoken=x",
            "http://127.0.0.1:9/graph.microsoft.com/v1.0/applications/0a1b2c3d",
        ] {
            assert!(one_of(item, list), "{item}");
        }
        // A list that asks for some fields holds a record fetched for those alone.
        let selected = "https://graph.microsoft.com/v1.0/applications?$top=50&$select=id,appId";
        assert!(one_of(
            "https://graph.microsoft.com/v1.0/applications/x?$select=appId",
            selected
        ));
        for item in [
            "https://graph.microsoft.com/v1.0/applications/x",
            "https://graph.microsoft.com/v1.0/applications/x?$select=id,passwordCredentials",
        ] {
            assert!(!one_of(item, selected), "{item}");
        }
        // Relations the item expanded, only a list expanding them too holds.
        let expanded = "https://graph.microsoft.com/v1.0/applications(appId='a1')?$expand=owners";
        assert!(!one_of(expanded, list));
        assert!(one_of(expanded, &format!("{list}&$expand=owners")));
        for item in [
            // What belongs to a record, another list, the list itself.
            "https://graph.microsoft.com/v1.0/applications/0a1b2c3d/owners",
            "https://graph.microsoft.com/v1.0/servicePrincipals/0a1b2c3d",
            "https://graph.microsoft.com/beta/applications/0a1b2c3d",
            "https://graph.microsoft.com/v1.0/applications?$search=x",
            list,
        ] {
            assert!(!one_of(item, list), "{item}");
        }
        // A narrowed or filtered list holds only some; people lists keep their lookups.
        for list in [
            "https://graph.microsoft.com/v1.0/applications?$filter=startswith(displayName,'a')",
            "https://acme-admin.okta.com/api/v1/apps?filter=status%20eq%20%22ACTIVE%22",
        ] {
            let item = list.split('?').next().unwrap().to_string() + "/x";
            assert!(!one_of(&item, list), "{list}");
        }
        assert!(!one_of(
            "https://acme-admin.okta.com/api/v1/users/00u1",
            "https://acme-admin.okta.com/api/v1/users?limit=200"
        ));
        assert!(one_of(
            "https://acme-admin.okta.com/api/v1/apps/0oa1",
            "https://acme-admin.okta.com/api/v1/apps?limit=20"
        ));
    }

    #[test]
    fn a_search_or_filter_narrows_the_same_list_asking_for_the_same_fields() {
        let list = "https://graph.microsoft.com/v1.0/applications?$top=100&$select=id,appId";
        for view in [
            "https://graph.microsoft.com/v1.0/applications?$select=id,appId&$search=%22displayName:pay%22",
            "https://graph.microsoft.com/v1.0/applications?%24filter=startswith(displayName,'p')&$select=id,appId&$top=5",
        ] {
            assert!(narrows(view, list), "{view}");
        }
        let okta = "https://acme-admin.okta.com/api/v1/api-tokens?limit=20";
        assert!(narrows(
            "https://acme-admin.okta.com/api/v1/api-tokens?q=ci",
            okta
        ));
        for view in [
            // Other fields, another list, no narrowing at all.
            "https://graph.microsoft.com/v1.0/applications?$search=x&$select=id",
            "https://graph.microsoft.com/v1.0/applications?$search=x&$select=id,appId&$expand=owners",
            "https://graph.microsoft.com/v1.0/servicePrincipals?$search=x&$select=id,appId",
            "https://graph.microsoft.com/v1.0/applications?$select=id,appId&$skiptoken=X",
            "https://graph.microsoft.com/v1.0/applications/x?$select=id,appId",
        ] {
            assert!(!narrows(view, list), "{view}");
        }
        // People lists keep their lookups.
        assert!(!narrows(
            "https://acme-admin.okta.com/api/v1/users?search=profile.login%20eq%20%22a%22",
            "https://acme-admin.okta.com/api/v1/users?limit=200"
        ));
        // A later page is no whole list.
        for page in ["$skiptoken=X", "$skip=100", "page=2", "after=00T9"] {
            let later = format!("{list}&{page}");
            assert!(
                !narrows(
                    "https://graph.microsoft.com/v1.0/applications?$search=x&$select=id,appId",
                    &later
                ),
                "{later}"
            );
        }
        assert!(narrows(
            "https://gitlab.com/api/v4/groups/1/access_tokens?search=ci",
            "https://gitlab.com/api/v4/groups/1/access_tokens?page=1&per_page=20"
        ));
        // An escaped `#` or `&` in a search is the search's: the owners it expanded are fields
        // the whole list does not ask for.
        assert!(!narrows(
            "https://graph.microsoft.com/v1.0/servicePrincipals?$search=%22displayName:C%23%22&$expand=owners",
            "https://graph.microsoft.com/v1.0/servicePrincipals?$top=999"
        ));
        assert!(narrows(
            "https://graph.microsoft.com/v1.0/servicePrincipals?$search=%22displayName:R%26D%22",
            "https://graph.microsoft.com/v1.0/servicePrincipals?$top=999"
        ));
        // A filtered list is no whole list.
        let filtered = "https://graph.microsoft.com/v1.0/applications?$filter=a&$select=id,appId";
        assert!(!narrows(
            "https://graph.microsoft.com/v1.0/applications?$filter=b&$select=id,appId",
            filtered
        ));
    }
}
