//! The organisation's Webhooks page (`github.com/organizations/{org}/settings/hooks`), read from
//! its DOM.
//!
//! One row per webhook: its payload URL linking to `/organizations/{org}/settings/hooks/{id}`
//! (the hook's edit page; the ID is the REST hook `id`) [infer: the link, `reference/platforms.md`
//! §1.7], or shown as text beside an Edit link there, the events it is sent in parentheses
//! [infer], and an icon whose label tells how the last delivery went [infer]. The URL loses any
//! user:password part and query string, as in the REST reader: NHI Lens never keeps a secret.
//!
//! The list does not show whether TLS certificates are verified or whether payloads are signed:
//! TLS verification is taken as on (the default; nothing is claimed without data) and signing as
//! unknown. Only a plain `http://` URL is evidence from this page. The last delivery's status has
//! no place in the model and is not kept, except that a hook the page calls inactive or disabled
//! is read as disabled.

use super::{REGIONS, ROWS, Snapshot, finish, is_list, text_of};
use crate::console::{self, ConsolePage};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Sink};
use crate::model::{CredentialControl, Endpoint, Identity, Kind, Ownership, Platform, Usage};
use crate::platforms::Format;
use crate::platforms::github::hooks::host_of;
use crate::url_secret;

pub(in crate::platforms::github) const PAGE: ConsolePage = ConsolePage {
    id: "github.hooks_page",
    title: "Organization webhooks",
    url: "https://github.com/organizations/{tenant}/settings/hooks*",
    api: &[],
    regions: REGIONS,
    rows: ROWS,
    catch_all: false,
};

pub(in crate::platforms::github) const FORMAT: Format = Format {
    id: PAGE.id,
    title: "GitHub organization webhooks (organization settings page snapshot, HTML)",
    doc_url: "https://docs.github.com/webhooks/using-webhooks/creating-webhooks#creating-an-organization-webhook",
    detect: |shape| matches!(shape, Shape::Html(text) if console::is_snapshot_of(text, PAGE.url)),
    read,
    exported_only: false,
};

/// What the page says when there is no webhook [infer].
const EMPTY: &[&str] = &["no webhooks", "aren't any webhooks", "no hooks"];

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let page = Snapshot::read(input)?;
    let org = page.segments.get(1).cloned();
    let rows = page.settings_rows(sink, "hooks", "webhook");
    for row in &rows {
        let id = &row.key;
        // The payload URL: the text of the link that shows one, or its title; else an element
        // whose whole text is one URL (the URL shown as plain text beside an Edit link).
        let shown = row
            .element
            .select(&super::selector("a[href], [title]"))
            .find_map(|e| {
                let text = super::collapse(&e.text().collect::<String>());
                [Some(text.as_str()), e.attr("title")]
                    .into_iter()
                    .flatten()
                    .find(|t| looks_like_url(t))
                    .map(|url| (e, url.to_string()))
            })
            .or_else(|| {
                row.element.select(&super::selector("*")).find_map(|e| {
                    let text = super::collapse(&e.text().collect::<String>());
                    (looks_like_url(&text) && !text.contains(' ')).then_some((e, text))
                })
            });
        let url_element = shown.as_ref().map(|(e, _)| *e);
        let target = shown.as_ref().map(|(_, url)| url_secret::redact(url));
        let secrets = shown
            .as_ref()
            .map(|(_, url)| url_secret::secret_parts(url))
            .unwrap_or_default();
        let name = target
            .as_deref()
            .map(|u| host_of(u).to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| format!("webhook {id}"));
        let meta = text_of(&row.tokens(url_element));
        let labels = row.labels(url_element);
        let mut identity = Identity::new(Platform::Github, Kind::Webhook, id, name);
        identity.location = org.clone();
        // GitHub records no creator for a webhook, and the list shows no delivery times.
        identity.ownership = Ownership::NotRecorded;
        identity.usage = Usage::NotRecorded;
        identity.enabled = !["inactive", "disabled", "not active"]
            .iter()
            .any(|w| labels.contains(w));
        identity.endpoint = target.map(|url| Endpoint {
            url,
            // Not shown in the list: nothing is claimed.
            tls_verified: true,
            signed: None,
            all_events: all_events(&meta),
            secrets_in_url: secrets,
        });
        identity.credential_control = CredentialControl::CUSTOMER;
        sink.push(identity);
    }
    let rest = page.after(&["organizations", "*", "settings", "hooks"]);
    finish(&page, rows.len(), is_list(rest, &[]), EMPTY, "webhook")
}

fn looks_like_url(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > 8
}

/// Whether the events shown in parentheses are all of them: `(*)`, `(all events)`,
/// `(everything)` [infer: the wording].
fn all_events(meta: &str) -> bool {
    [
        "(*)",
        "(all events)",
        "(everything)",
        "all events",
        "send me everything",
    ]
    .iter()
    .any(|w| meta.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_event_lists_are_recognized() {
        assert!(looks_like_url(" https://ci.example/hook"));
        assert!(!looks_like_url("Edit"));
        assert!(!looks_like_url("https://"));
        assert!(all_events("(all events)"));
        assert!(!all_events("(push, pull_request)"));
    }
}
