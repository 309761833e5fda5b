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
use crate::ingest::probe::{JsonShape, Shape};

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

/// The input's JSON, when it holds its list whole (see [`is_unpaged`]).
pub(super) fn read_whole<'a>(input: &Input<'a>) -> Option<&'a JsonShape> {
    match input.shape {
        Shape::Json(shape) if is_unpaged(input.source, shape) => Some(shape),
        _ => None,
    }
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
    let path = source.split(['?', '#']).next().unwrap_or(source);
    let segments: Vec<&str> = path.split(['/', '\\']).collect();
    let in_path = segments.windows(3).find_map(|w| {
        (w[0] == "servicePrincipals" && is_object_id(w[1]) && w[2].split('.').next() == Some(list))
            .then_some(w[1])
    });
    in_context
        .or(in_path)
        .filter(|id| is_object_id(id))
        .map(str::to_ascii_lowercase)
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

/// Whether this input holds its list whole, as far as it tells: no next page named, not a page
/// reached from an earlier one (its pages may not all have been read), not one answer of a batch
/// whose requests are unknown, not a delta round (which lists only what changed).
fn is_unpaged(source: &str, shape: &JsonShape) -> bool {
    let path = source.split(['?', '#']).next().unwrap_or(source);
    let segments = || {
        path.split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy())
    };
    !shape.has_key("@odata.nextLink")
        && ["skiptoken", "skip", "deltatoken"]
            .iter()
            .all(|page| query_value(source, page).is_none())
        && !segments().any(|s| s == "$batch" || s.starts_with("delta"))
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

    #[test]
    fn only_a_list_read_whole_counts() {
        let list = "https://graph.microsoft.com/v1.0/servicePrincipals";
        let alone = shape("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals");
        assert!(is_unpaged(list, &alone));
        assert!(is_unpaged("exports/servicePrincipals.json", &alone));
        let text = r#"{"@odata.context":"x","@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=A","value":[]}"#;
        let Shape::Json(first_of_more) = probe(text.as_bytes()).unwrap() else {
            panic!("not JSON")
        };
        assert!(!is_unpaged(list, &first_of_more));
        // A last page: the earlier ones may not have been read.
        assert!(!is_unpaged(&format!("{list}?$skiptoken=A"), &alone));
        assert!(!is_unpaged(&format!("{list}?%24skip=100"), &alone));
        assert!(!is_unpaged(&format!("{list}/delta"), &alone));
        assert!(!is_unpaged(
            "https://graph.microsoft.com/v1.0/$batch",
            &alone
        ));
        assert!(!is_unpaged(
            "https://graph.microsoft.com/v1.0/%24batch",
            &alone
        ));
    }
}
