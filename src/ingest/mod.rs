//! Turns inputs (exports, captured API responses) into identities.
//!
//! Each input is recognized by its content ([`probe`]), read by the one format that claims it, and
//! what it yields is joined with the other inputs (an Entra app with its service principal, grants
//! and owners). An input that cannot be read becomes an [`InputError`] and never hides the others.

pub mod batch;
mod own_report;
pub mod probe;
pub mod records;

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};

use crate::model::{Identity, Timestamp};
use crate::platforms::{self, Format, Joins};
use probe::Shape;

/// What a reader's error says of a console page it could not read: the page is not drawn as its
/// adapter knows it (the extension shows its "this page changed" warning, never "no risks").
pub const PAGE_CHANGED: &str = "the page changed";

/// What an input's error says of a list it showed only part of, the rest never shown by any
/// input (a virtual grid draws only the rows in view): the extension says its page was read in
/// part.
pub const ROWS_NOT_READ: &str = "rows not read";

/// For `Option<Option<T>>` fields: an absent field stays `None`, an explicit `null` becomes
/// `Some(None)`, so "the API does not send this" and "the API says nobody" stay apart.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Expiry from an expiry field read with [`present`]: absent is unknown, `null` (or empty) is
/// never, and a value that is no date is unknown, noted (never "never expires": the docs give
/// only `null` for that).
pub fn expiry(
    notes: &mut impl Problems,
    record: &str,
    field: &str,
    value: Option<&Option<String>>,
) -> crate::model::Expiry {
    use crate::model::Expiry;
    match value {
        None => Expiry::Unknown,
        Some(None) => Expiry::Never,
        Some(Some(text)) if text.trim().is_empty() => Expiry::Never,
        Some(Some(text)) => match notes.time(record, field, Some(text)) {
            Some(at) => Expiry::At { at },
            None => Expiry::Unknown,
        },
    }
}

/// What a batch response is recognized as (its answers each as their own format).
const BATCH: &str = "json batch";

/// How many problems one input may report before the rest are summarized.
const MAX_PROBLEMS_PER_INPUT: usize = 20;

/// An input that could not be read, or a part of it that was skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// The file or URL.
    pub source: String,
    /// A plain reason.
    pub message: String,
}

/// An input handed to a format's reader.
pub struct Input<'a> {
    /// The file or URL, kept on every identity read from it.
    pub source: &'a str,
    pub bytes: &'a [u8],
    pub shape: &'a Shape,
    /// The path the console is served under on its host (a self-managed GitLab's relative URL
    /// root, `/gitlab`), `""` at its root: a console page's own path starts after it.
    pub url_root: &'a str,
}

/// Where readers put what they read from one input.
pub struct Sink<'c> {
    source: Arc<str>,
    identities: &'c mut Vec<Identity>,
    /// Records for platforms whose identities are joined from several inputs.
    pub joins: &'c mut Joins,
    problems: &'c mut Vec<String>,
    /// When the input was captured, where a caller knows it (the extension does).
    pub captured_at: Option<Timestamp>,
    /// Decisions the input records (a report read back: its accepted and allowed findings).
    pub decisions: &'c mut crate::policy::Decisions,
    windows: &'c mut Vec<Window>,
}

/// The rows one input showed of a list drawn a window at a time, whose rows together are
/// compared with the rows the list says it has ([`Sink::window`]).
#[derive(Clone, Debug)]
struct Window {
    /// The page the list is on.
    list: String,
    source: Arc<str>,
    at: Option<Timestamp>,
    /// How many rows the list says it has.
    count: u32,
    /// The places of the rows shown, from 1.
    rows: Vec<u32>,
}

impl Sink<'_> {
    /// Adds a finished identity, recording where it came from.
    pub fn push(&mut self, mut identity: Identity) {
        if !identity.sources.contains(&self.source) {
            identity.sources.push(self.source.clone());
        }
        self.identities.push(identity);
    }

    /// Notes every record a list reader had to skip.
    pub fn skipped(&mut self, skipped: Vec<String>) {
        self.problems.extend(skipped);
    }

    /// The input being read.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The input being read, to keep on records joined later.
    pub fn source_name(&self) -> Arc<str> {
        self.source.clone()
    }

    /// Notes the rows this input shows (by their places, from 1) of the list on page `list` that
    /// says it has `count`: rows that no input showed are an error of the newest input to show
    /// the list, so that a list scrolled through in several snapshots reads whole, and one seen in
    /// part says so.
    pub fn window(&mut self, list: &str, count: u32, rows: Vec<u32>) {
        self.windows.push(Window {
            list: list.to_string(),
            source: self.source.clone(),
            at: self.captured_at,
            count,
            rows,
        });
    }
}

/// Somewhere to note problems with parts of an input: the [`Sink`], or a list kept by a thread
/// that reads part of a large input.
pub trait Problems {
    /// Notes a problem with part of the input (a skipped record, an unreadable date).
    fn problem(&mut self, message: String);

    /// Reads a timestamp field of a record. A value that is not a time is reported (naming the
    /// record and field) and treated as unknown; it never drops the record.
    fn time(
        &mut self,
        record: impl std::fmt::Display,
        field: &str,
        value: Option<&str>,
    ) -> Option<Timestamp> {
        let text = value?.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = crate::timestamp::parse(text);
        if parsed.is_none() {
            self.problem(format!(
                "{record}: {field} \"{}\" is not a date; treated as unknown",
                crate::text::clip(text, 40)
            ));
        }
        parsed
    }
}

impl Problems for Sink<'_> {
    fn problem(&mut self, message: String) {
        self.problems.push(message);
    }
}

impl Problems for Vec<String> {
    fn problem(&mut self, message: String) {
        self.push(message);
    }
}

/// What was read from one input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    pub source: String,
    /// The format it was recognized as, `None` when it was not recognized.
    pub format: Option<String>,
}

/// Says of each input in `named_next` (one page of a list whose body names the next page, by the
/// member given: see [`probe::later_pages`]) that its list was not read to its end, where no
/// input of its format is a page that names none: a scan of some pages of a list without its
/// last would otherwise pass for the whole list. With its last page among the inputs, the pages
/// are taken as the list's (those between cannot be told from their bodies).
pub fn note_unfinished_lists(inventory: &mut Inventory, named_next: &[(String, &'static str)]) {
    let format_of = |source: &str| {
        inventory
            .inputs
            .iter()
            .find(|i| i.source == source)
            .and_then(|i| i.format.clone())
    };
    let mut unfinished = Vec::new();
    for (source, member) in named_next {
        let Some(format) = format_of(source) else {
            continue;
        };
        let last_page_read = inventory.inputs.iter().any(|i| {
            i.format.as_deref() == Some(format.as_str())
                && !named_next.iter().any(|(s, _)| *s == i.source)
        });
        if !last_page_read {
            unfinished.push(InputError {
                source: source.clone(),
                message: format!(
                    "one page of a longer list (its {member} names the next), and no input is \
                     the list's last page: the identities on the pages after it are not read"
                ),
            });
        }
    }
    inventory.errors.extend(unfinished);
}

/// Everything read so far.
#[derive(Clone, Default)]
pub struct Collector {
    identities: Vec<Identity>,
    joins: Joins,
    errors: Vec<InputError>,
    inputs: Vec<InputSummary>,
    /// When the input being read was captured ([`Collector::add_captured`]).
    captured_at: Option<Timestamp>,
    /// See [`Input::url_root`] ([`Collector::under_root`]).
    url_root: String,
    decisions: crate::policy::Decisions,
    windows: Vec<Window>,
}

/// The identities read from all inputs, joined and de-duplicated, with the errors.
#[derive(Debug, Default)]
pub struct Inventory {
    pub identities: Vec<Identity>,
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
    /// Decisions the inputs recorded, to apply with the policy (`Policy::with_decisions`).
    pub decisions: crate::policy::Decisions,
}

impl Collector {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty collector of inputs from a console served under `url_root` on its host (see
    /// [`Input::url_root`]).
    pub fn under_root(url_root: &str) -> Self {
        Self {
            url_root: url_root.to_string(),
            ..Self::default()
        }
    }

    /// Reads one input captured at `at` (when known). Entra's join uses it: of an app or service
    /// principal read from several inputs (an app fetched again after a secret was removed), the
    /// newest capture says what it holds, older ones filling in what it leaves out; without times,
    /// the input read first. The other platforms' joins go by the order read.
    pub fn add_captured(&mut self, source: &str, bytes: &[u8], at: Option<Timestamp>) {
        self.captured_at = at;
        self.add(source, bytes);
        self.captured_at = None;
    }

    /// Reads one input. Problems are recorded against `source`; nothing read earlier is lost.
    pub fn add(&mut self, source: &str, bytes: &[u8]) {
        let format = match probe::probe(bytes) {
            Err(e) => {
                self.fail(source, e.0);
                None
            }
            Ok(Shape::Json(s)) if batch::is_batch(&s) => {
                self.add_batch(source, bytes).then(|| BATCH.to_string())
            }
            Ok(shape) => match detect(&shape) {
                Some(format) => {
                    self.read(source, bytes, &shape, format);
                    Some(format.id.to_string())
                }
                // An error the API answered (an expired session, a missing scope) says
                // nothing of the list: never "nothing to show".
                None if is_empty_list(&shape) && !is_error_answer(&shape) => {
                    // An empty list is a console that has nothing to show, not bad input.
                    self.joins.empty_list(source);
                    Some("empty list".to_string())
                }
                None => {
                    self.fail(source, describe_unknown(&shape));
                    None
                }
            },
        };
        self.inputs.push(InputSummary {
            source: source.to_string(),
            format,
        });
    }

    /// Reads each answer of a batch response that a format claims; the others are left alone.
    /// What is read keeps the batch as its source (what was captured or saved); the inputs list
    /// each answer as `{source}#{id}`, by its request's ID.
    /// Returns whether the batch could be read at all.
    fn add_batch(&mut self, source: &str, bytes: &[u8]) -> bool {
        let answers = match batch::answers(bytes) {
            Ok(answers) => answers,
            Err(message) => {
                self.fail(source, message);
                return false;
            }
        };
        let mut read = 0;
        for (id, body) in answers.answered {
            let Ok(shape) = probe::probe(body.as_bytes()) else {
                continue;
            };
            if let Some(format) = detect(&shape) {
                read += 1;
                self.read(source, body.as_bytes(), &shape, format);
                self.inputs.push(InputSummary {
                    source: format!("{source}#{id}"),
                    format: Some(format.id.to_string()),
                });
            }
        }
        // A batch of nothing but refusals (a session expired, a rate limit, a server's fault)
        // read nothing: said, never passed for a tenant with nothing in it. One refused beside
        // answers read is left alone, as the console leaves it (a portal's batch asks for what
        // the admin may not see); "not found" is an answer, of an object that is not there.
        let refused: Vec<String> = answers
            .failed
            .iter()
            .filter(|(_, status)| *status != 404)
            .map(|(id, status)| format!("request {id}: {status}"))
            .collect();
        if read == 0 && !refused.is_empty() {
            self.fail(
                source,
                format!(
                    "the batch holds errors ({}) and no answer NHI Lens reads: nothing of it was read",
                    refused.join(", ")
                ),
            );
        }
        true
    }

    /// Records an input that could not even be loaded (missing file, permission denied).
    pub fn fail(&mut self, source: &str, message: impl Into<String>) {
        self.errors.push(InputError {
            source: source.to_string(),
            message: message.into(),
        });
    }

    fn read(&mut self, source: &str, bytes: &[u8], shape: &Shape, format: &Format) {
        let mut problems = Vec::new();
        let mut sink = Sink {
            source: Arc::from(source),
            identities: &mut self.identities,
            joins: &mut self.joins,
            problems: &mut problems,
            captured_at: self.captured_at,
            decisions: &mut self.decisions,
            windows: &mut self.windows,
        };
        let input = Input {
            source,
            bytes,
            shape,
            url_root: &self.url_root,
        };
        if let Err(message) = (format.read)(&input, &mut sink) {
            // A page that could not be read at all changed, whatever the reader's words.
            let message = if matches!(shape, Shape::Html(_)) && !message.contains(PAGE_CHANGED) {
                format!("{PAGE_CHANGED}: {message}")
            } else {
                message
            };
            problems.insert(0, format!("{}: {message}", format.title));
        }
        let extra = problems.len().saturating_sub(MAX_PROBLEMS_PER_INPUT);
        for message in problems.into_iter().take(MAX_PROBLEMS_PER_INPUT) {
            self.fail(source, message);
        }
        if extra > 0 {
            self.fail(source, format!("and {extra} more problems like these"));
        }
    }

    /// Takes in what another collector read, as if its inputs had been added here after this
    /// one's (see [`Joins::absorb`]): a caller can read each input once, keep the result, and
    /// put an inventory together from kept inputs and new ones.
    pub fn absorb(&mut self, other: Collector) {
        let Collector {
            identities,
            joins,
            errors,
            inputs,
            captured_at: _,
            url_root: _,
            decisions,
            windows,
        } = other;
        self.windows.extend(windows);
        self.identities.extend(identities);
        self.joins.absorb(joins);
        self.errors.extend(errors);
        self.inputs.extend(inputs);
        self.decisions.accept.extend(decisions.accept);
        self.decisions.allow.extend(decisions.allow);
    }

    /// Joins what was read and returns the inventory, one identity per ID.
    pub fn finish(mut self) -> Inventory {
        self.joins.finish(&mut self.identities);
        note_rows_not_shown(&self.windows, &mut self.errors);
        Inventory {
            identities: dedupe(self.identities),
            errors: self.errors,
            inputs: self.inputs,
            decisions: self.decisions,
        }
    }
}

/// Says of each list shown a window at a time how many of its rows no input showed, on the newest
/// input that showed it (whose count is the list's now).
fn note_rows_not_shown(windows: &[Window], errors: &mut Vec<InputError>) {
    for (i, window) in windows.iter().enumerate() {
        if windows[..i].iter().any(|w| w.list == window.list) {
            continue;
        }
        let of_list = || windows.iter().filter(|w| w.list == window.list);
        let newest = of_list().max_by_key(|w| w.at).unwrap_or(window);
        // Each of its rows shown by some input, once (the count is the page's word: capped).
        let mut shown = vec![false; newest.count.min(1 << 20) as usize];
        for row in of_list().flat_map(|w| &w.rows) {
            if let Some(seen) = shown.get_mut((*row as usize).wrapping_sub(1)) {
                *seen = true;
            }
        }
        let read = shown.iter().filter(|seen| **seen).count();
        if read < newest.count as usize {
            errors.push(InputError {
                source: newest.source.to_string(),
                message: format!(
                    "{ROWS_NOT_READ}: the list has {} rows and draws those in view; {} were read. \
                     Scroll through it to read the others",
                    newest.count, read
                ),
            });
        }
    }
}

/// The format that claims this shape: NHI Lens's own report first, then every platform's
/// formats in registry order.
pub fn detect(shape: &Shape) -> Option<&'static Format> {
    formats().find(|f| (f.detect)(shape))
}

/// Every format read: NHI Lens's own report, then every platform's in registry order.
pub fn formats() -> impl Iterator<Item = &'static Format> {
    static OWN: Format = own_report::FORMAT;
    std::iter::once(&OWN).chain(platforms::formats())
}

/// An empty list, or an empty object: Google's APIs leave out empty lists, so a project with no
/// service accounts answers `{}`.
fn is_empty_list(shape: &Shape) -> bool {
    matches!(shape, Shape::Json(s) if (s.has_list && s.first.is_none()) || (!s.top_array && s.keys.is_empty()))
}

fn is_error_answer(shape: &Shape) -> bool {
    matches!(shape, Shape::Json(s) if probe::is_error(s))
}

fn describe_unknown(shape: &Shape) -> String {
    match shape {
        Shape::Html(_) => "an HTML page of a kind NHI Lens does not know".to_string(),
        Shape::Csv(headers) => {
            let shown: Vec<&str> = headers.iter().take(6).map(String::as_str).collect();
            format!(
                "a CSV file of a kind NHI Lens does not know (columns: {})",
                shown.join(", ")
            )
        }
        Shape::Json(s) => {
            let mut keys: Vec<&str> = match &s.first {
                Some(first) => first.keys().map(String::as_str).take(8).collect(),
                None => s.keys.iter().map(String::as_str).take(8).collect(),
            };
            keys.sort_unstable();
            let what = if s.first.is_some() {
                "records with fields"
            } else {
                "fields"
            };
            let kind = if probe::is_error(s) {
                "an error the API answered, not its data"
            } else {
                "JSON of a shape NHI Lens does not know"
            };
            format!(
                "{kind} ({what}: {})",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )
        }
    }
}

/// One identity per ID: the same app seen in two inputs (or two captures of one page) is merged,
/// keeping the first one's place. Identities are large, so when there is nothing to merge (the
/// usual case) none is moved.
fn dedupe(identities: Vec<Identity>) -> Vec<Identity> {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    seen.reserve(identities.len());
    if identities.iter().all(|i| seen.insert(i.id.as_str())) {
        return identities;
    }
    drop(seen);
    // One ID in two tenants (a report of every tenant read back) is two identities; one that
    // names no tenant (a console's export beside it) is the same as the one reading of its ID,
    // and none of them where several tenants hold it (it cannot be told whose it is).
    let mut of_id: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut out: Vec<Identity> = Vec::with_capacity(identities.len());
    for identity in identities {
        let same = of_id.get(&identity.id).and_then(|all| {
            let named = all
                .iter()
                .copied()
                .find(|&at| identity.tenant.is_some() && out[at].tenant == identity.tenant);
            named.or_else(|| match all.as_slice() {
                [one] if out[*one].tenant.is_none() || identity.tenant.is_none() => Some(*one),
                _ => None,
            })
        });
        match same {
            Some(at) => {
                if out[at].tenant.is_none() {
                    out[at].tenant = identity.tenant.clone();
                }
                merge_into(&mut out[at], identity);
            }
            None => {
                of_id
                    .entry(identity.id.clone())
                    .or_default()
                    .push(out.len());
                out.push(identity);
            }
        }
    }
    out
}

/// Folds a second reading of the same identity into the first: what the first lacks, the second
/// fills (a console page read before the API response of the same app must not hide the API's
/// grants and credentials), and what both know stays the first's.
fn merge_into(kept: &mut Identity, other: Identity) {
    let Identity {
        aliases,
        location,
        ownership,
        approved_by,
        vendor_contact,
        created_at,
        usage,
        credentials,
        grants,
        grants_unread,
        reach,
        publisher,
        endpoint,
        interactive,
        legacy,
        audience,
        client_id,
        previous,
        sources,
        ..
    } = other;
    for source in sources {
        if !kept.sources.contains(&source) {
            kept.sources.push(source);
        }
    }
    for alias in aliases {
        if !kept.aliases.contains(&alias) {
            kept.aliases.push(alias);
        }
    }
    kept.usage.merge(usage);
    if !matches!(kept.ownership, crate::model::Ownership::Known(_)) {
        kept.ownership = ownership;
    }
    fill(&mut kept.location, location);
    fill(&mut kept.vendor_contact, vendor_contact);
    fill(&mut kept.created_at, created_at);
    fill(&mut kept.publisher, publisher);
    fill(&mut kept.endpoint, endpoint);
    fill(&mut kept.interactive, interactive);
    fill(&mut kept.legacy, legacy);
    fill(&mut kept.audience, audience);
    fill(&mut kept.client_id, client_id);
    fill(&mut kept.previous, previous);
    if kept.approved_by.is_empty() {
        kept.approved_by = approved_by;
    }
    if kept.credentials.is_empty() {
        kept.credentials = credentials;
    }
    if kept.grants.is_empty() {
        kept.grants = grants;
    }
    // Either reading that shows its permissions shows them.
    kept.grants_unread &= grants_unread;
    if kept.reach == crate::model::Reach::Unknown {
        kept.reach = reach;
    }
}

fn fill<T>(kept: &mut Option<T>, other: Option<T>) {
    if kept.is_none() {
        *kept = other;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_id_is_one_identity_per_tenant_and_one_naming_none_joins_the_only_one() {
        use crate::model::{Kind, Platform};
        let token = |tenant: Option<&str>, source: &str| {
            let mut t = Identity::new(Platform::Okta, Kind::ApiToken, "00T1", "ci");
            t.tenant = tenant.map(Into::into);
            t.sources.push(source.into());
            t
        };
        let read = |identities| -> Vec<(Option<String>, Vec<String>)> {
            dedupe(identities)
                .iter()
                .map(|i| {
                    let sources = i.sources.iter().map(|s| s.to_string()).collect();
                    (i.tenant.as_deref().map(str::to_string), sources)
                })
                .collect()
        };
        let one = |tenant: Option<&str>, sources: &[&str]| {
            (
                tenant.map(str::to_string),
                sources.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        };
        // Two tenants hold the ID: a reading naming none cannot be told whose it is.
        assert_eq!(
            read(vec![
                token(Some("acme"), "all.json"),
                token(Some("globex"), "all.json"),
                token(None, "api-tokens.json"),
                token(Some("globex"), "globex.json"),
            ]),
            [
                one(Some("acme"), &["all.json"]),
                one(Some("globex"), &["all.json", "globex.json"]),
                one(None, &["api-tokens.json"]),
            ]
        );
        // One tenant holds it: the reading naming none is that one's, whichever came first.
        assert_eq!(
            read(vec![
                token(None, "api-tokens.json"),
                token(Some("acme"), "all.json")
            ]),
            [one(Some("acme"), &["api-tokens.json", "all.json"])]
        );
    }

    #[test]
    fn a_second_reading_fills_what_the_first_lacks() {
        use crate::model::{Credential, CredentialKind, Grant, Kind, Platform, Tier};
        let mut page = Identity::new(Platform::Github, Kind::GithubApp, "1", "app");
        page.sources.push(Arc::from("page"));
        page.grants_unread = true;
        let mut api = page.clone();
        api.sources = vec![Arc::from("api")];
        api.grants_unread = false;
        api.grants
            .push(Grant::new("contents:write", Tier::Write, true));
        api.credentials.push(Credential::new(CredentialKind::Key));
        api.aliases.push("client-1".into());
        api.reach = crate::model::Reach::All;
        let merged = dedupe(vec![page.clone(), api.clone()]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].grants.len(), 1);
        assert_eq!(merged[0].credentials.len(), 1);
        assert_eq!(merged[0].aliases, ["client-1"]);
        assert_eq!(merged[0].sources.len(), 2);
        assert!(
            !merged[0].grants_unread,
            "the API's reading shows its permissions"
        );
        assert!(dedupe(vec![page.clone(), page.clone()])[0].grants_unread);
        assert_eq!(
            merged[0].reach,
            crate::model::Reach::All,
            "unknown reach is filled"
        );
        // What the first reading knows stays.
        let mut chosen = page;
        chosen.reach = crate::model::Reach::Selected;
        let merged = dedupe(vec![chosen, api]);
        assert_eq!(merged[0].reach, crate::model::Reach::Selected);
    }

    #[test]
    fn unknown_json_is_named_by_its_fields() {
        let mut c = Collector::new();
        c.add("mystery.json", br#"[{"zeta":1,"alpha":2}]"#);
        let inv = c.finish();
        assert!(inv.identities.is_empty());
        assert_eq!(inv.errors.len(), 1);
        assert_eq!(inv.errors[0].source, "mystery.json");
        assert!(
            inv.errors[0].message.contains("alpha, zeta"),
            "{:?}",
            inv.errors
        );
    }

    #[test]
    fn an_empty_list_is_not_an_error() {
        let mut c = Collector::new();
        c.add("none.json", b"[]");
        c.add("none2.json", br#"{"value": []}"#);
        c.add("none3.json", b" {} ");
        let inv = c.finish();
        assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    }
}
