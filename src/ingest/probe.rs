//! Sniffs what an input is without reading all of it.
//!
//! Inputs are recognized by content, never by file name. A 100 MB Graph export must not be parsed
//! twice, so the probe runs serde_json over the document only until it has seen the top-level
//! keys before the record list and the first record, then stops.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// What an input looks like.
#[derive(Debug, Clone)]
pub enum Shape {
    Json(JsonShape),
    /// Comma-separated text with these header cells.
    Csv(Vec<String>),
    /// An HTML page (a console page snapshot): its text (up to 8 MiB), to recognize it by.
    Html(String),
}

/// The parts of a JSON document that tell its kind.
#[derive(Debug, Clone, Default)]
pub struct JsonShape {
    /// True when the document is a bare array of records.
    pub top_array: bool,
    /// Top-level keys read before the probe stopped, in order.
    pub keys: Vec<String>,
    /// Top-level string values among them (`@odata.context`, `kind`, `ReportFormat`).
    pub strings: Vec<(String, String)>,
    /// The top-level key holding the record list (`value`, `installations`), `None` for a bare array.
    pub list_key: Option<String>,
    /// Whether a record list was found at all.
    pub has_list: bool,
    /// The first record, if the list has any.
    pub first: Option<Map<String, Value>>,
}

impl JsonShape {
    /// The top-level string value under `key`.
    pub fn string(&self, key: &str) -> Option<&str> {
        self.strings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the document has this top-level key.
    pub fn has_key(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// Whether the document has any of these top-level keys.
    pub fn has_any_key(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.has_key(k))
    }

    /// Whether `@odata.context` names one entity (`$metadata#applications/$entity`): a single
    /// object, whatever lists it holds.
    pub fn odata_single_entity(&self) -> bool {
        self.string("@odata.context")
            .is_some_and(|c| c.trim_end().ends_with("/$entity"))
    }

    /// Whether the first record has every one of these keys.
    pub fn first_has_all(&self, keys: &[&str]) -> bool {
        self.first
            .as_ref()
            .is_some_and(|m| keys.iter().all(|k| m.contains_key(*k)))
    }

    /// Whether the first record has any of these keys.
    pub fn first_has_any(&self, keys: &[&str]) -> bool {
        self.first
            .as_ref()
            .is_some_and(|m| keys.iter().any(|k| m.contains_key(*k)))
    }

    /// Whether the list is under `key` (or a bare array when `key` is `None`).
    pub fn list_is(&self, key: Option<&str>) -> bool {
        self.has_list && self.list_key.as_deref() == key
    }

    /// The collection an OData `@odata.context` names: `applications` for
    /// `$metadata#applications`, `appRoleAssignments` for
    /// `$metadata#servicePrincipals('…')/appRoleAssignments`, `applications` again for
    /// `$metadata#applications(id,appId)` (a `$select`) or `$metadata#applications/$entity`.
    pub fn odata_entity_set(&self) -> Option<&str> {
        let context = self.string("@odata.context")?;
        let after = context.split_once("$metadata#")?.1;
        after
            .split('/')
            .map(|segment| segment.split('(').next().unwrap_or(segment))
            .rfind(|segment| !segment.is_empty() && !segment.starts_with('$'))
    }
}

/// Why an input could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeError(pub String);

const STOP: &str = "\u{0}nhi-lens-probe-stop";

/// Looks at the start of `bytes` and says whether it is JSON (and of what shape) or CSV.
pub fn probe(bytes: &[u8]) -> Result<Shape, ProbeError> {
    let bytes = strip_bom(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(ProbeError("the file is empty".into()));
    };
    match bytes[start] {
        b'{' | b'[' => probe_json(bytes).map(Shape::Json),
        b'<' => Ok(Shape::Html(html_text(&bytes[start..]))),
        _ => probe_csv(bytes),
    }
}

/// A JSON response a console loaded, as the paging of its lists sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// An error the API answered with (Graph's and GitLab's `error`, Okta's `errorCode`, Slack's
    /// `"ok": false` with its `error`, a bare `message`): never read in place of the data it
    /// would replace.
    Error,
    /// One object, or anything else that is no list.
    Object,
    /// A page of a list, and the next page its body names.
    Page(NextPage),
}

/// The next page a list's body names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// The body says the list ends here: an OData list (`@odata.context`) without a next link.
    End,
    /// The body says nothing of paging (a bare array, a list of a kind not known): a `Link`
    /// header may.
    NotSaid,
    /// This URL (OData's `@odata.nextLink`).
    At(String),
    /// One it names where the probe does not read it (a link too long to keep): the list goes on.
    Unknown,
}

/// What a console's JSON response is: an error, one object, or a page of a list with the next
/// page its body names. Read without reading the list, since a console's page may be megabytes
/// long: only the members before the list and the document's last member are looked at.
pub fn loaded(text: &str) -> Loaded {
    let Ok(Shape::Json(shape)) = probe(text.as_bytes()) else {
        return Loaded::Object;
    };
    if is_error(&shape) {
        return Loaded::Error;
    }
    // One OData entity (an app fetched by its ID) is no page, whatever lists it holds.
    if !shape.has_list || shape.odata_single_entity() {
        return Loaded::Object;
    }
    Loaded::Page(match odata_next_link(text, &shape) {
        NextPage::NotSaid => other_next_page(text, &shape).map_or(NextPage::NotSaid, |(_, n)| n),
        said => said,
    })
}

/// Whether a JSON document is an API's answer of an error rather than its data: never an empty
/// list. Okta's errors carry an `errorCauses` list, Jira's an `errorMessages` one, GitHub's an
/// `errors` one (often empty); Slack answers `"ok": false` with an `error`, lists beside it or
/// not; Graph, Google and GitLab answer an `error` (or GitLab a `message`) and no list.
pub fn is_error(shape: &JsonShape) -> bool {
    ["errors", "errorCauses", "errorMessages"]
        .iter()
        .any(|k| shape.list_is(Some(k)))
        || shape.has_any_key(&["errorCode", "errorSummary"])
        || shape.has_key("ok") && shape.has_key("error")
        || !shape.has_list
            && (shape.has_any_key(&["error", "errors"])
                || (shape.has_key("message")
                    && shape
                        .keys
                        .iter()
                        .all(|k| ["message", "documentation_url", "status"].contains(&k.as_str()))))
}

/// The next page a list's body names in a member of its own other than OData's, with that
/// member's name, where the list's API documents one (see `platforms.md`): Atlassian's
/// `links.next` (a URL; empty or `null` at the end), Slack's `response_metadata.next_cursor`
/// (empty at the end), Google's `nextPageToken` (left out at the end) and Salesforce's
/// `nextRecordsUrl` (left out at the end). A cursor, a token or a query locator is no address the
/// worker can read: the list goes on, to a page only its console can ask for. Read where the APIs
/// write them: a top-level string before the list (the probe's), or the document's last member.
pub fn other_next_page(text: &str, shape: &JsonShape) -> Option<(&'static str, NextPage)> {
    // The object's member as text; `null`, empty or missing at the list's end.
    let said = |object: &Value, member: &str| {
        object
            .get(member)
            .and_then(Value::as_str)
            .filter(|next| !next.trim().is_empty())
            .map(str::to_string)
    };
    // After the list (where these APIs write them), beyond the probe's reach.
    if let Some(links) = last_member(text, "links").filter(Value::is_object) {
        let next = said(&links, "next").map_or(NextPage::End, NextPage::At);
        return Some(("links.next", next));
    }
    if let Some(metadata) = last_member(text, "response_metadata").filter(Value::is_object) {
        let next = said(&metadata, "next_cursor").map_or(NextPage::End, |_| NextPage::Unknown);
        return Some(("response_metadata.next_cursor", next));
    }
    // Google's token; Salesforce's query results: `done` false and a `nextRecordsUrl` (a path on
    // the org's own host, left out on the last page) until the last page.
    ["nextPageToken", "nextRecordsUrl"]
        .into_iter()
        .find(|member| said_at_top(text, shape, member))
        .map(|member| (member, NextPage::Unknown))
}

/// Whether `member` is a top-level string, before the list or as the document's last member,
/// that is not empty.
fn said_at_top(text: &str, shape: &JsonShape, member: &str) -> bool {
    shape
        .string(member)
        .map(str::to_string)
        .or_else(|| last_member(text, member)?.as_str().map(str::to_string))
        .is_some_and(|value| !value.trim().is_empty())
}

/// Where a JSON list's body says its list goes on past it: by [`other_next_page`]'s members,
/// Graph's `@odata.nextLink`, or the `Marker` (IAM's lists) or `NextToken` (the AWS CLI's
/// `--max-items`) AWS names while a list is truncated: that member's name. A file of one page
/// of a longer list holds only that page's identities.
pub fn later_pages(bytes: &[u8]) -> Option<&'static str> {
    let Ok(Shape::Json(shape)) = probe(bytes) else {
        return None;
    };
    let text = std::str::from_utf8(strip_bom(bytes)).ok()?;
    if let Some((member, next)) = other_next_page(text, &shape) {
        return matches!(next, NextPage::At(_) | NextPage::Unknown).then_some(member);
    }
    if matches!(
        odata_next_link(text, &shape),
        NextPage::At(_) | NextPage::Unknown
    ) {
        return Some("@odata.nextLink");
    }
    ["Marker", "NextToken"]
        .into_iter()
        .find(|member| said_at_top(text, &shape, member))
}

/// The value of the document's last member, when it is `key`: found in the
/// document's last 8 KiB (the links and cursors these are run to a few hundred bytes), whatever
/// lies before (a list of megabytes), a nested member of the same name never taken for it (only
/// the document's closing brace may follow).
fn last_member(text: &str, key: &str) -> Option<Value> {
    const TAIL: usize = 8 * 1024;
    let mut start = text.len().saturating_sub(TAIL);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let tail = &text[start..];
    let quoted = format!("\"{key}\"");
    let at = tail.rfind(&quoted)?;
    let rest = tail[at + quoted.len()..].trim_start().strip_prefix(':')?;
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    let value = values.next()?.ok()?;
    let after = rest[values.byte_offset()..]
        .trim_start()
        .strip_prefix('}')?;
    after.trim().is_empty().then_some(value)
}

/// The next page of an OData list, as Microsoft Graph names it (`@odata.nextLink`): a top-level
/// member written before the list, as Graph writes it, or as the document's last member, where
/// delta and some other lists put it. A nested list's link (`owners@odata.nextLink`) is not the
/// document's.
pub(crate) fn odata_next_link(text: &str, shape: &JsonShape) -> NextPage {
    if let Some(link) = shape.string("@odata.nextLink") {
        return NextPage::At(link.to_string());
    }
    if shape.has_key("@odata.nextLink") {
        return NextPage::Unknown;
    }
    match last_member(text, "@odata.nextLink").and_then(|v| v.as_str().map(str::to_string)) {
        Some(link) => NextPage::At(link),
        None if shape.has_key("@odata.context") => NextPage::End,
        None => NextPage::NotSaid,
    }
}

/// Drops a UTF-8 byte-order mark, which spreadsheet tools like to add.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn probe_json(bytes: &[u8]) -> Result<JsonShape, ProbeError> {
    let mut shape = JsonShape::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match (TopSeed { shape: &mut shape }).deserialize(&mut de) {
        Ok(()) => {}
        Err(e) if e.to_string().starts_with(STOP) => {}
        Err(e) => return Err(ProbeError(json_error_reason(&e))),
    }
    Ok(shape)
}

/// A plain reason for a JSON error, saying whether the file was cut short.
pub fn json_error_reason(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("the JSON ends early (truncated file?): {e}")
        }
        serde_json::error::Category::Syntax => format!("not valid JSON: {e}"),
        _ => format!("unexpected JSON content: {e}"),
    }
}

/// A page's text for recognizing it: saved console pages put their tables deep in the document,
/// so up to 8 MiB of it.
fn html_text(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(8 << 20)];
    String::from_utf8_lossy(head).into_owned()
}

fn probe_csv(bytes: &[u8]) -> Result<Shape, ProbeError> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return Err(ProbeError("binary data, not JSON or CSV".into()));
    }
    let Ok(text) = std::str::from_utf8(head).or_else(|e| {
        // The cut may split a character; what comes before it is still text.
        std::str::from_utf8(&head[..e.valid_up_to()])
    }) else {
        return Err(ProbeError("not text (JSON or CSV expected)".into()));
    };
    let line = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let headers: Vec<String> = match reader.records().next() {
        Some(Ok(record)) => record.iter().map(|c| c.trim().to_string()).collect(),
        _ => Vec::new(),
    };
    if headers.len() < 2 {
        return Err(ProbeError(
            "neither JSON nor a CSV table with a header row".into(),
        ));
    }
    Ok(Shape::Csv(headers))
}

struct TopSeed<'s> {
    shape: &'s mut JsonShape,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.shape.top_array = true;
        self.shape.has_list = true;
        first_record(self.shape, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.shape.keys.push(key.clone());
            map.next_value_seed(MemberSeed {
                shape: self.shape,
                key,
            })?;
        }
        Ok(())
    }
}

/// Reads the first element of a record list and stops the parse if it is an object.
fn first_record<'de, A: SeqAccess<'de>>(shape: &mut JsonShape, mut seq: A) -> Result<(), A::Error> {
    match seq.next_element::<Value>()? {
        Some(Value::Object(first)) => {
            shape.first = Some(first);
            Err(de::Error::custom(STOP))
        }
        Some(_) => {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(())
        }
        None => Ok(()),
    }
}

struct MemberSeed<'s> {
    shape: &'s mut JsonShape,
    key: String,
}

impl<'de> DeserializeSeed<'de> for MemberSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MemberSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v.len() <= 4096 {
            self.shape.strings.push((self.key, v.to_string()));
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        // The first array member is the record list; later ones are ignored.
        if self.shape.has_list {
            let mut seq = seq;
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        self.shape.has_list = true;
        self.shape.list_key = Some(self.key);
        first_record(self.shape, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> JsonShape {
        match probe(text.as_bytes()).unwrap() {
            Shape::Json(s) => s,
            other => panic!("expected JSON, got {other:?}"),
        }
    }

    #[test]
    fn finds_the_record_list_and_its_first_record() {
        let s = json(
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications",
                "value":[{"appId":"a","displayName":"x"},{"appId":"b"}]}"#,
        );
        assert!(s.list_is(Some("value")));
        assert!(s.first_has_all(&["appId", "displayName"]));
        assert_eq!(s.odata_entity_set(), Some("applications"));
    }

    #[test]
    fn an_odata_list_names_its_next_page_before_or_after_the_list() {
        let next = "https://graph.microsoft.com/v1.0/applications?$skiptoken=X1";
        let at = || Loaded::Page(NextPage::At(next.to_string()));
        let before = format!(
            r#"{{"@odata.context":"c","@odata.nextLink":"{next}","value":[{{"id":"1"}}]}}"#
        );
        assert_eq!(loaded(&before), at());
        let after =
            format!("{{\"value\":[{{\"id\":\"1\"}}],\n  \"@odata.nextLink\" : \"{next}\"\n}}\n");
        assert_eq!(loaded(&after), at());
        // An escaped slash reads as the URL it writes.
        let escaped = r#"{"value":[],"@odata.nextLink":"https:\/\/graph.microsoft.com\/v1.0\/x"}"#;
        assert_eq!(
            loaded(escaped),
            Loaded::Page(NextPage::At("https://graph.microsoft.com/v1.0/x".into()))
        );
        // The link as a long list's last member, beyond the probe's reach.
        let long = format!(
            r#"{{"value":[{}],"@odata.nextLink":"{next}"}}"#,
            vec![r#"{"id":"é"}"#; 5000].join(",")
        );
        assert_eq!(loaded(&long), at());
        // A link too long to keep still says the list goes on.
        let huge = format!(
            r#"{{"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken={}","value":[{{"id":"1"}}]}}"#,
            "A".repeat(5000)
        );
        assert_eq!(loaded(&huge), Loaded::Page(NextPage::Unknown));
    }

    #[test]
    fn atlassian_slack_and_google_lists_say_in_their_bodies_whether_they_go_on() {
        let page = |text: &str| loaded(text);
        let next = "https://admin.atlassian.com/gateway/api/x/api-tokens?cursor=cGFnZTI";
        let atlassian = |next: &str| {
            format!(
                r#"{{"data":[{{"id":"t1"}}],"links":{{"self":"s","next":{next},"prev":null}}}}"#
            )
        };
        assert_eq!(
            page(&atlassian(&format!("\"{next}\""))),
            Loaded::Page(NextPage::At(next.into()))
        );
        for end in ["null", "\"\""] {
            assert_eq!(page(&atlassian(end)), Loaded::Page(NextPage::End), "{end}");
        }
        let slack = |cursor: &str| {
            format!(
                r#"{{"ok":true,"approved_apps":[{{"app":{{"id":"A1"}}}}],"response_metadata":{{"next_cursor":"{cursor}"}}}}"#
            )
        };
        assert_eq!(
            page(&slack("dXNlcjpVMDYxTkZUVDI=")),
            Loaded::Page(NextPage::Unknown)
        );
        assert_eq!(page(&slack("")), Loaded::Page(NextPage::End));
        let google =
            r#"{"accounts":[{"email":"ci@p.iam.gserviceaccount.com"}],"nextPageToken":"tok"}"#;
        assert_eq!(page(google), Loaded::Page(NextPage::Unknown));
        // Before the list, as a top-level string the probe keeps.
        let before =
            r#"{"nextPageToken":"tok","accounts":[{"email":"ci@p.iam.gserviceaccount.com"}]}"#;
        assert_eq!(page(before), Loaded::Page(NextPage::Unknown));
        // Google leaves it out at the end: nothing said.
        assert_eq!(
            page(r#"{"accounts":[{"email":"ci@p.iam.gserviceaccount.com"}]}"#),
            Loaded::Page(NextPage::NotSaid)
        );
        // A record's own links, or a member after them, are not the list's.
        for text in [
            r#"{"data":[{"id":"t1","links":{"next":"https://x/inner"}}]}"#,
            r#"{"data":[{"id":"t1"}],"links":{"next":"https://x/next"},"total":2}"#,
            r#"{"data":[{"id":"t1","response_metadata":{"next_cursor":"c"}}]}"#,
        ] {
            assert_eq!(page(text), Loaded::Page(NextPage::NotSaid), "{text}");
        }
        // After a long list too.
        let long = atlassian(&format!("\"{next}\""))
            .replace(r#"{"id":"t1"}"#, &vec![r#"{"id":"é"}"#; 5000].join(","));
        assert_eq!(page(&long), Loaded::Page(NextPage::At(next.into())));
        // A file of one page says which member names the next; a last page nothing.
        assert_eq!(
            later_pages(atlassian(&format!("\"{next}\"")).as_bytes()),
            Some("links.next")
        );
        assert_eq!(
            later_pages(slack("c").as_bytes()),
            Some("response_metadata.next_cursor")
        );
        assert_eq!(later_pages(google.as_bytes()), Some("nextPageToken"));
        let salesforce = r#"{"totalSize":700,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01g-500","records":[{"AppName":"A"}]}"#;
        assert_eq!(page(salesforce), Loaded::Page(NextPage::Unknown));
        assert_eq!(later_pages(salesforce.as_bytes()), Some("nextRecordsUrl"));
        let last = r#"{"totalSize":700,"done":true,"records":[{"AppName":"A"}]}"#;
        assert_eq!(later_pages(last.as_bytes()), None);
        assert_eq!(later_pages(atlassian("null").as_bytes()), None);
        // Graph's page, before or after its list; AWS's truncated lists.
        assert_eq!(
            later_pages(br#"{"@odata.context":"c","@odata.nextLink":"https://x","value":[]}"#),
            Some("@odata.nextLink")
        );
        assert_eq!(
            later_pages(br#"{"@odata.context":"c","value":[],"@odata.nextLink":"https://x"}"#),
            Some("@odata.nextLink")
        );
        assert_eq!(
            later_pages(br#"{"@odata.context":"c","value":[],"@odata.deltaLink":"https://x"}"#),
            None
        );
        assert_eq!(
            later_pages(br#"{"UserDetailList":[],"IsTruncated":true,"Marker":"AAE"}"#),
            Some("Marker")
        );
        assert_eq!(
            later_pages(br#"{"Users":[{"UserName":"a"}],"NextToken":"eyJ"}"#),
            Some("NextToken")
        );
        assert_eq!(
            later_pages(br#"{"UserDetailList":[],"IsTruncated":false}"#),
            None
        );
        assert_eq!(later_pages(b"id,owner\n"), None);
    }

    #[test]
    fn a_nested_or_quoted_next_link_is_not_the_documents() {
        for text in [
            r#"{"value":[{"id":"1","owners@odata.nextLink":"https://x/owners"}]}"#,
            r#"{"value":[{"id":"1","@odata.nextLink":"https://x/inner"}]}"#,
            r#"{"value":[{"notes":"\"@odata.nextLink\": \"https://x\"}"}]}"#,
            r#"{"value":[]}"#,
            "[]",
        ] {
            assert_eq!(loaded(text), Loaded::Page(NextPage::NotSaid), "{text}");
        }
        // An OData list says where it ends.
        assert_eq!(
            loaded(r#"{"@odata.context":"c","value":[{"id":"1"}]}"#),
            Loaded::Page(NextPage::End)
        );
    }

    #[test]
    fn an_api_error_is_no_page_and_an_object_no_list() {
        for text in [
            r#"{"error":{"code":"TooManyRequests","message":"Retry later"}}"#,
            r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit"}"#,
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}"#,
            r#"{"errorMessages":["Issue does not exist"],"errors":{}}"#,
            r#"{"ok":false,"error":"ratelimited"}"#,
            // A list beside Slack's error is no page of apps.
            r#"{"ok":false,"error":"missing_scope","warnings":[]}"#,
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
            r#"{"message":"401 Unauthorized"}"#,
            r#"{"errors":["not found"]}"#,
        ] {
            assert_eq!(loaded(text), Loaded::Error, "{text}");
        }
        for text in [
            r#"{"id":"0oa1","label":"Payroll","status":"ACTIVE"}"#,
            r#"{"id":"a","displayName":"x","message":"a field of its own"}"#,
            "not json",
        ] {
            assert_eq!(loaded(text), Loaded::Object, "{text}");
        }
    }

    #[test]
    fn odata_contexts_name_their_collection() {
        let context = |c: &str| json(&format!(r#"{{"@odata.context":"{c}","value":[]}}"#));
        let base = "https://graph.microsoft.com/v1.0/$metadata#";
        for (tail, want) in [
            ("applications", "applications"),
            ("applications(id,appId,displayName)", "applications"),
            ("applications/$entity", "applications"),
            (
                "servicePrincipals('8e88-13')/appRoleAssignments",
                "appRoleAssignments",
            ),
            (
                "reports/servicePrincipalSignInActivities",
                "servicePrincipalSignInActivities",
            ),
            ("directoryObjects", "directoryObjects"),
        ] {
            assert_eq!(
                context(&format!("{base}{tail}")).odata_entity_set(),
                Some(want),
                "{tail}"
            );
        }
    }

    #[test]
    fn stops_after_the_first_record() {
        // Everything after the first record is garbage: the probe must not read it.
        let s = json(r#"[{"id":1,"key":"k"}, this is not json"#);
        assert!(s.top_array);
        assert!(s.first_has_all(&["id", "key"]));
    }

    #[test]
    fn an_empty_list_is_a_list_without_a_first_record() {
        let s = json(r#"{"total_count":0,"installations":[]}"#);
        assert!(s.list_is(Some("installations")));
        assert!(s.first.is_none());
    }

    #[test]
    fn reads_csv_headers() {
        let Shape::Csv(h) = probe(b"\xEF\xBB\xBFuser,arn,user_creation_time\nx,y,z\n").unwrap()
        else {
            panic!("expected CSV")
        };
        assert_eq!(h, ["user", "arn", "user_creation_time"]);
    }

    #[test]
    fn recognizes_html_snapshots() {
        let Shape::Html(text) = probe(b"  <!doctype html><html><body>x</body></html>").unwrap()
        else {
            panic!("expected HTML")
        };
        assert!(text.starts_with("<!doctype"));
    }

    #[test]
    fn says_why_it_cannot_read() {
        assert!(probe(b"").unwrap_err().0.contains("empty"));
        assert!(
            probe(b"{\"value\": [")
                .unwrap_err()
                .0
                .contains("ends early")
        );
        assert!(
            probe(b"\x00\x01\x02binary")
                .unwrap_err()
                .0
                .contains("binary")
        );
        assert!(probe(b"just a sentence").is_err());
    }
}
