//! Owner lists: `GET /applications/{id}/owners` and `GET /servicePrincipals/{id}/owners`.
//!
//! The response names the owners, not the app. Which app they own is read from the request URL
//! (the extension passes it as the source; so can a file named after it). `$expand=owners` on the
//! application list avoids the question entirely and is what the README recommends.

use super::graph::{DirectoryObject, LIST_KEY};
use super::{OwnerTarget, OwnersRecord, odata_set};
use crate::ingest::{Input, Sink, records};
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "entra.owners",
    title: "Entra app owners (GET /applications/{id}/owners)",
    doc_url: "https://learn.microsoft.com/graph/api/application-list-owners",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            // Owners come back as directory objects, each typed with `@odata.type`.
            let typed = s.first.as_ref().is_some_and(|f| {
                f.get("@odata.type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| {
                        DIRECTORY_OBJECT_TYPES.contains(&t.trim_start_matches("#microsoft.graph."))
                    })
            });
            s.list_is(LIST_KEY)
                && match odata_set(s) {
                    Some(set) => set == "directoryObjects" || set == "owners",
                    None => typed,
                }
        })
    },
    read,
    exported_only: false,
};

/// The directory object types an owners list holds.
const DIRECTORY_OBJECT_TYPES: &[&str] =
    &["user", "servicePrincipal", "group", "application", "device"];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let Some(target) = target_from(input.source) else {
        return Err(
            "an owners list does not say which app it belongs to: export the \
                    applications with $expand=owners, or name the file after the request \
                    (applications/{id}/owners)"
                .into(),
        );
    };
    let list = records::read::<DirectoryObject>(input.bytes, LIST_KEY)?;
    sink.skipped(list.skipped);
    let owners = list
        .items
        .into_iter()
        .filter_map(|o| o.into_owner("owners list"))
        .collect();
    sink.joins
        .entra
        .owners
        .push(OwnersRecord { target, owners });
    Ok(())
}

/// The app an owners request was about, from its URL or a file name copying it:
/// `…/applications/{objectId}/owners`, `…/applications(appId='{appId}')/owners`,
/// `…/servicePrincipals/{objectId}/owners`.
fn target_from(source: &str) -> Option<OwnerTarget> {
    let cleaned = source.replace(['\\', '_'], "/");
    let lower = cleaned.to_ascii_lowercase();
    for (marker, is_app) in [("applications", true), ("serviceprincipals", false)] {
        let Some(at) = lower.find(marker) else {
            continue;
        };
        let rest = &cleaned[at + marker.len()..];
        let id = if let Some(inner) = rest
            .strip_prefix("(appId='")
            .or(rest.strip_prefix("(appid='"))
        {
            let end = inner.find('\'')?;
            return Some(OwnerTarget::AppId(inner[..end].to_string()));
        } else {
            rest.trim_start_matches('/').split('/').next()?
        };
        if id.len() < 8 || !rest.to_ascii_lowercase().contains("owners") {
            continue;
        }
        let id = id.to_string();
        return Some(if is_app {
            OwnerTarget::AppObject(id)
        } else {
            OwnerTarget::SpObject(id)
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owned_app_comes_from_the_request_url() {
        let id = "6920caa5-1cae-4bc8-bf59-9c0b8495d240";
        assert_eq!(
            target_from(&format!(
                "https://graph.microsoft.com/v1.0/applications/{id}/owners"
            )),
            Some(OwnerTarget::AppObject(id.into()))
        );
        assert_eq!(
            target_from(&format!("exports/servicePrincipals_{id}_owners.json")),
            Some(OwnerTarget::SpObject(id.into()))
        );
        assert_eq!(
            target_from(
                "https://graph.microsoft.com/v1.0/applications(appId='abc-123-def')/owners"
            ),
            Some(OwnerTarget::AppId("abc-123-def".into()))
        );
        assert_eq!(target_from("owners.json"), None);
    }
}
