//! The tagged messages the worker reads, as read from JSON. serde reads an internally tagged enum
//! by first buffering the whole object in a tree of its own (its tag may come last), then reading
//! the variant from that tree: every request crossed its JSON twice, and every type inside one was
//! compiled twice, once for each reader (with the buffering's own code, 73 kB of the worker's
//! WebAssembly). Each enum is read instead as one flat record of every variant's fields, which the
//! variant then takes what it needs from, in one pass whatever the order of the keys. A field of
//! another variant is type-checked too (`"index": -1` on a `tenants` request is refused): no
//! sender writes one. The replies, which only the extension pages read, are read as derived.

use serde::Deserialize;

use super::{Capture, Options, PageStatus, Request};

/// A field the message's variant needs, or the error serde would give without it.
fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

/// [`Request`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RequestType {
    Plan,
    Captured,
    ReplyPart,
    OpenCard,
    TabSummary,
    Tenants,
    Inventory,
    Identity,
    AssignOwner,
    AcceptRisk,
    WithdrawAcceptance,
    MarkReviewed,
    Export,
    GetOptions,
    SetOptions,
    ForgetTenant,
    ClearAll,
}

/// Every field of every [`Request`].
#[derive(Deserialize)]
pub(super) struct RequestWire {
    #[serde(rename = "type")]
    kind: RequestType,
    url: Option<String>,
    #[serde(default)]
    captures: Vec<Capture>,
    #[serde(default)]
    missing: Vec<String>,
    key: Option<String>,
    index: Option<u32>,
    /// `null` in an [`Request::Export`] of every tenant.
    tenant: Option<String>,
    id: Option<String>,
    tab_id: Option<i64>,
    owner: Option<String>,
    rule: Option<String>,
    reason: Option<String>,
    expires: Option<String>,
    seen: Option<u64>,
    format: Option<String>,
    ids: Option<Vec<String>>,
    options: Option<Options>,
    read: Option<u64>,
}

impl TryFrom<RequestWire> for Request {
    type Error = String;

    fn try_from(w: RequestWire) -> Result<Self, String> {
        use RequestType as T;
        Ok(match w.kind {
            T::Plan => Request::Plan {
                url: need(w.url, "url")?,
            },
            T::Captured => Request::Captured {
                url: need(w.url, "url")?,
                captures: w.captures,
                missing: w.missing,
            },
            T::ReplyPart => Request::ReplyPart {
                key: need(w.key, "key")?,
                index: need(w.index, "index")?,
            },
            T::OpenCard => Request::OpenCard {
                tenant: need(w.tenant, "tenant")?,
                id: need(w.id, "id")?,
                url: w.url.unwrap_or_default(),
            },
            T::TabSummary => Request::TabSummary {
                tab_id: need(w.tab_id, "tab_id")?,
            },
            T::Tenants => Request::Tenants,
            T::Inventory => Request::Inventory {
                tenant: need(w.tenant, "tenant")?,
            },
            T::Identity => Request::Identity {
                tenant: need(w.tenant, "tenant")?,
                id: need(w.id, "id")?,
            },
            T::AssignOwner => Request::AssignOwner {
                tenant: need(w.tenant, "tenant")?,
                id: need(w.id, "id")?,
                owner: need(w.owner, "owner")?,
            },
            T::AcceptRisk => Request::AcceptRisk {
                tenant: need(w.tenant, "tenant")?,
                id: need(w.id, "id")?,
                rule: need(w.rule, "rule")?,
                reason: need(w.reason, "reason")?,
                expires: need(w.expires, "expires")?,
            },
            T::WithdrawAcceptance => Request::WithdrawAcceptance {
                tenant: need(w.tenant, "tenant")?,
                id: need(w.id, "id")?,
                rule: need(w.rule, "rule")?,
            },
            T::MarkReviewed => Request::MarkReviewed {
                tenant: need(w.tenant, "tenant")?,
                seen: w.seen,
            },
            T::Export => Request::Export {
                tenant: w.tenant,
                format: need(w.format, "format")?,
                ids: w.ids,
            },
            T::GetOptions => Request::GetOptions,
            T::SetOptions => Request::SetOptions {
                options: need(w.options, "options")?,
                read: w.read,
            },
            T::ForgetTenant => Request::ForgetTenant {
                tenant: need(w.tenant, "tenant")?,
            },
            T::ClearAll => Request::ClearAll,
        })
    }
}

/// [`Capture`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum CaptureKind {
    Json,
    Dom,
}

/// Every field of every [`Capture`].
#[derive(Deserialize)]
pub(super) struct CaptureWire {
    kind: CaptureKind,
    url: Option<String>,
    body: Option<String>,
    link: Option<String>,
    request: Option<String>,
    region: Option<String>,
    html: Option<String>,
}

impl TryFrom<CaptureWire> for Capture {
    type Error = String;

    fn try_from(w: CaptureWire) -> Result<Self, String> {
        Ok(match w.kind {
            CaptureKind::Json => Capture::Json {
                url: need(w.url, "url")?,
                body: need(w.body, "body")?,
                link: w.link,
                request: w.request,
            },
            CaptureKind::Dom => Capture::Dom {
                region: need(w.region, "region")?,
                html: need(w.html, "html")?,
            },
        })
    }
}

/// [`PageStatus`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PageState {
    Read,
    LayoutChanged,
    Disabled,
    NotRead,
    Reading,
}

/// Every field of every [`PageStatus`].
#[derive(Deserialize)]
pub(super) struct PageStatusWire {
    state: PageState,
    identities: Option<usize>,
    #[serde(default)]
    partial: bool,
    detail: Option<String>,
    inventory: Option<usize>,
}

impl TryFrom<PageStatusWire> for PageStatus {
    type Error = String;

    fn try_from(w: PageStatusWire) -> Result<Self, String> {
        Ok(match w.state {
            PageState::Read => PageStatus::Read {
                identities: need(w.identities, "identities")?,
                partial: w.partial,
            },
            PageState::LayoutChanged => PageStatus::LayoutChanged {
                detail: need(w.detail, "detail")?,
            },
            PageState::Disabled => PageStatus::Disabled,
            PageState::NotRead => PageStatus::NotRead {
                inventory: need(w.inventory, "inventory")?,
            },
            PageState::Reading => PageStatus::Reading,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every request, with every optional field set and left out.
    fn every_request() -> Vec<Request> {
        let capture = Capture::Json {
            url: "https://graph.microsoft.com/v1.0/applications".into(),
            body: "{}".into(),
            link: Some("<https://x?page=2>; rel=\"next\"".into()),
            request: None,
        };
        let dom = Capture::Dom {
            region: "list".into(),
            html: "<table></table>".into(),
        };
        let t = || "okta:acme".to_string();
        vec![
            Request::Plan {
                url: "https://x".into(),
            },
            Request::Captured {
                url: "https://x".into(),
                captures: vec![capture, dom],
                missing: vec!["list".into()],
            },
            Request::ReplyPart {
                key: "k".into(),
                index: 2,
            },
            Request::OpenCard {
                tenant: t(),
                id: "a".into(),
                url: String::new(),
            },
            Request::TabSummary { tab_id: -1 },
            Request::Tenants,
            Request::Inventory { tenant: t() },
            Request::Identity {
                tenant: t(),
                id: "a".into(),
            },
            Request::AssignOwner {
                tenant: t(),
                id: "a".into(),
                owner: "ann".into(),
            },
            Request::AcceptRisk {
                tenant: t(),
                id: "a".into(),
                rule: "NL101".into(),
                reason: "vendor".into(),
                expires: "2027-01-01".into(),
            },
            Request::WithdrawAcceptance {
                tenant: t(),
                id: "a".into(),
                rule: "NL101".into(),
            },
            Request::MarkReviewed {
                tenant: t(),
                seen: Some(3),
            },
            Request::MarkReviewed {
                tenant: t(),
                seen: None,
            },
            Request::Export {
                tenant: None,
                format: "csv".into(),
                ids: None,
            },
            Request::Export {
                tenant: Some(t()),
                format: "json".into(),
                ids: Some(vec!["a".into()]),
            },
            Request::GetOptions,
            Request::SetOptions {
                options: Options::default(),
                read: Some(9),
            },
            Request::ForgetTenant { tenant: t() },
            Request::ClearAll,
        ]
    }

    #[test]
    fn every_request_reads_back_as_written() {
        for request in every_request() {
            let text = serde_json::to_string(&request).unwrap();
            assert_eq!(
                serde_json::from_str::<Request>(&text).unwrap(),
                request,
                "{text}"
            );
        }
    }

    #[test]
    fn the_tag_may_come_anywhere_and_unknown_keys_are_passed_over() {
        let request: Request = serde_json::from_str(
            r#"{"captures":[{"html":"<ul></ul>","region":"list","kind":"dom"}],"extra":[1],
                "url":"https://x","type":"captured"}"#,
        )
        .unwrap();
        assert_eq!(
            request,
            Request::Captured {
                url: "https://x".into(),
                captures: vec![Capture::Dom {
                    region: "list".into(),
                    html: "<ul></ul>".into()
                }],
                missing: vec![],
            }
        );
    }

    #[test]
    fn a_request_without_what_it_needs_is_refused_saying_what() {
        let error = |json: &str| {
            serde_json::from_str::<Request>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(error(r#"{"type":"identity","tenant":"t"}"#).contains("missing field `id`"));
        assert!(error(r#"{"type":"plan"}"#).contains("missing field `url`"));
        assert!(error(r#"{"url":"x"}"#).contains("missing field `type`"));
        assert!(error(r#"{"type":"eval"}"#).contains("unknown variant `eval`"));
        assert!(error(r#"{"type":"plan","url":7}"#).contains("invalid type"));
        let capture = r#"{"type":"captured","url":"x","captures":[{"kind":"json","url":"y"}]}"#;
        assert!(error(capture).contains("missing field `body`"));
    }

    #[test]
    fn every_page_status_reads_back_as_written() {
        for status in [
            PageStatus::Read {
                identities: 4,
                partial: true,
            },
            PageStatus::Read {
                identities: 0,
                partial: false,
            },
            PageStatus::LayoutChanged {
                detail: "no list".into(),
            },
            PageStatus::Disabled,
            PageStatus::NotRead { inventory: 2 },
            PageStatus::Reading,
        ] {
            let text = serde_json::to_string(&status).unwrap();
            assert_eq!(
                serde_json::from_str::<PageStatus>(&text).unwrap(),
                status,
                "{text}"
            );
        }
        let missing = serde_json::from_str::<PageStatus>(r#"{"state":"read"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `identities`"),
            "{missing}"
        );
    }
}
