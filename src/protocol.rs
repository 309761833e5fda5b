//! The messages between the extension's contexts: the content script, the background worker and
//! the extension pages (side panel, popup, options, detail card). One enum per direction, shared by
//! every Rust context; the thin JavaScript content script writes the same JSON.
//!
//! Everything a content script sends is untrusted: a page script can forge what the tap hands it,
//! and a compromised page can send anything. The background checks which context sent what (see
//! [`Request::from_page_only`]) and treats captured text as hostile input.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::console::Plan;

mod rebase;
mod wire;

/// The largest capture kept (a console page of 50,000 identities fits). The tap, the content
/// script and `background.js` hold the same cap (`MAX_BYTES`; a test of the build checks it).
pub const MAX_CAPTURE_BYTES: usize = 64 * 1024 * 1024;

/// A request to the background worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "wire::RequestWire"
)]
pub enum Request {
    /// Content script: what should I capture on this page?
    Plan {
        /// The page's `location`, which a single-page console changes without a load; the worker
        /// takes it on the host the browser reports the sender on.
        url: String,
    },
    /// Content script: what I captured on this page; answered with the badges to draw. A JSON
    /// capture's body travels as a `Blob` in the message (the browser passes a handle, where a
    /// string is copied through every process it crosses); `background.js` reads it as UTF-8
    /// bytes and hands the brain the texts beside the message, so they are never escaped into
    /// its JSON.
    Captured {
        /// The page's `location` when it captured (see [`Request::Plan`]).
        url: String,
        #[serde(default)]
        captures: Vec<Capture>,
        /// Required regions of the plan that never appeared.
        #[serde(default)]
        missing: Vec<String>,
    },
    /// Content script that got a [`Reply::Pages`]: one page of that answer; `background.js`
    /// answers with the page's text.
    ReplyPart {
        key: String,
        index: u32,
    },
    /// Content script on a page whose plan frames no card: open this identity's detail card in
    /// a window of its own. The worker checks the page and the tenant; `background.js` opens it.
    OpenCard {
        tenant: String,
        id: String,
        /// The page's `location` (see [`Request::Plan`]).
        #[serde(default)]
        url: String,
    },
    /// Popup: counts for the page in a tab.
    TabSummary {
        tab_id: i64,
    },
    /// Every tenant with an inventory.
    Tenants,
    /// One tenant's inventory, scored, with what changed since the last review.
    Inventory {
        tenant: String,
    },
    /// One identity of a tenant, for the detail card.
    Identity {
        tenant: String,
        id: String,
    },
    /// Names the owner of an identity (empty clears it).
    AssignOwner {
        tenant: String,
        id: String,
        owner: String,
    },
    /// Accepts a finding's risk until a date.
    AcceptRisk {
        tenant: String,
        id: String,
        rule: String,
        reason: String,
        /// `YYYY-MM-DD`.
        expires: String,
    },
    /// Withdraws an acceptance.
    WithdrawAcceptance {
        tenant: String,
        id: String,
        rule: String,
    },
    /// Marks the inventory as reviewed now: later changes are counted from here.
    MarkReviewed {
        tenant: String,
        /// The inventory's revision the admin looked at ([`Reply::Inventory`]'s): refused if more
        /// was read since, so that nothing the admin never saw is taken as reviewed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<u64>,
    },
    /// The report of a tenant (or of every tenant) in one format, for download.
    Export {
        /// `None`: every tenant.
        tenant: Option<String>,
        format: String,
        /// Only these identities (the current view); `None`: all.
        #[serde(default)]
        ids: Option<Vec<String>>,
    },
    GetOptions,
    /// Saves the options. With `read` (the [`Options::fingerprint`] of those an options page read
    /// and edited), only if the background still holds those: else answered with
    /// [`Reply::OptionsChanged`] and the options it holds, for the page to make its edits on them
    /// ([`Options::rebased`]) and ask again. What another tab saved meanwhile is never undone,
    /// and the comparison and the write are one step.
    SetOptions {
        options: Options,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        read: Option<u64>,
    },
    /// Forgets one tenant's inventory: its captures, its decisions (owners assigned, risks
    /// accepted, the last review) and its page visits. Options stay.
    ForgetTenant {
        tenant: String,
    },
    /// Forgets every inventory, decision and option.
    ClearAll,
}

impl Request {
    /// Whether only extension pages may send this: everything but what the content script needs.
    pub fn from_page_only(&self) -> bool {
        !matches!(
            self,
            Request::Plan { .. }
                | Request::Captured { .. }
                | Request::ReplyPart { .. }
                | Request::OpenCard { .. }
        )
    }
}

/// Something the content script captured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "wire::CaptureWire"
)]
pub enum Capture {
    /// A JSON response the page loaded, with the URL it requested.
    Json {
        url: String,
        body: String,
        /// The response's `Link` header, for consoles whose API pages with `rel="next"`.
        #[serde(default)]
        link: Option<String>,
        /// The body the console sent, when it was text (64 KiB at most): a JSON batch's names
        /// the calls it answers.
        #[serde(default)]
        request: Option<String>,
    },
    /// A region of the page, as HTML.
    Dom { region: String, html: String },
}

/// The background worker's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    Plan {
        plan: Option<Plan>,
        /// The admin switched this console off: the page's tap stops reading its responses.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        off: bool,
    },
    Annotations {
        /// The inventory the page's captures went to (`platform:tenant`): the plan's, or the one
        /// the page names (see [`crate::console::TenantInPage`]).
        #[serde(default)]
        tenant: String,
        status: PageStatus,
        annotations: Vec<Annotation>,
        /// How many of the answer's last [`Reply::Pages`] hold the badges' reasons instead of
        /// `reasons` (each page a list of reason lists, in the annotations' order): the worker
        /// sends the badges first and their reasons after, since a row's badge is drawn at once
        /// and its tooltip read later, and the reasons are most of the answer.
        #[serde(default, skip_serializing_if = "is_zero")]
        reason_pages: usize,
    },
    TabSummary {
        summary: Option<TabSummary>,
    },
    Tenants {
        tenants: Vec<TenantSummary>,
    },
    /// A tenant's inventory: `report` is the `nhi-lens/1` JSON report, kept as text through the
    /// message so thousands of identities are parsed once, by the page that shows them.
    Inventory {
        tenant: String,
        /// Lean: findings leave out their rule's texts, which `rules` gives once per rule.
        report: JsonText,
        #[serde(default)]
        rules: Vec<crate::report::RuleText>,
        changes: Vec<Change>,
        reviewed_at: Option<String>,
        pages: Vec<PageVisit>,
        /// When the tenant was last scored, as [`TenantSummary::updated_at`] says it: a later
        /// tenant list with a newer one has more than this inventory.
        #[serde(default)]
        updated_at: Option<String>,
        /// How many times what was read of the tenant changed (see [`Request::MarkReviewed`]).
        #[serde(default)]
        revision: u64,
    },
    Identity {
        /// One identity as the `nhi-lens/1` report writes it; `null` if unknown.
        identity: JsonText,
        change: Option<Change>,
    },
    Export {
        filename: String,
        mime: String,
        text: String,
        /// The inputs that could not be read in full where the file's format has no place for
        /// them (a CSV's rows and OCSF's events are findings): the admin is told, for the file is
        /// not the whole inventory.
        #[serde(default, skip_serializing_if = "is_zero")]
        unread: usize,
    },
    Options {
        options: Options,
    },
    /// Options not saved: they changed since the page read them (see [`Request::SetOptions`]).
    OptionsChanged {
        options: Options,
    },
    Done,
    Error {
        message: String,
    },
    /// An answer of badges in `count` pages, each whole JSON (the page parses each in a task of
    /// its own): the first, which comes inline as `first`, an [`Reply::Annotations`] with the
    /// first of the badges; then arrays of the rest of them, for more identities than one text
    /// should hold; then the badges' reasons (see [`Reply::Annotations`]). The others are asked
    /// for by index ([`Request::ReplyPart`]).
    Pages {
        key: String,
        count: u32,
        first: Box<Reply>,
    },
}

impl Reply {
    /// Whether a reply's JSON text is an inventory, as [`crate::json_out`] writes one (its tag
    /// first): told without reading the thousands of identities it may hold.
    pub fn is_inventory(text: &str) -> bool {
        text.starts_with("{\"type\":\"inventory\",")
    }

    /// The reply as compact JSON text, as [`crate::json_out`] writes it. An inventory's report is
    /// put in as the text it is: the enum's `Serialize` reads it through first to check it, which
    /// the worker's own report of thousands of identities does not need.
    pub fn into_json_text(mut self) -> serde_json::Result<String> {
        // Written with `0` for its report, which then makes way for the report's text.
        const HOLDER: &str = ",\"report\":0,";
        let report = match &mut self {
            Reply::Inventory { report, .. } => std::mem::replace(report, JsonText("0".into())),
            _ => return crate::json_out::to_string(&self),
        };
        let text = crate::json_out::to_string(&self)?;
        // The one `,"report":0,` outside a string: inside one, its quotes would be escaped.
        let at = text.find(HOLDER).expect("an inventory writes its report") + HOLDER.len() - 2;
        Ok([&text[..at], &report.0, &text[at + 1..]].concat())
    }

    /// Reads a reply from its JSON text. An inventory is read past the tagged enum, which would
    /// buffer its report of thousands of identities as a tree and write it back out: its report
    /// is taken as the raw text it is.
    pub fn from_json(text: &str) -> Result<Reply, serde_json::Error> {
        #[derive(Deserialize)]
        struct InventoryWire<'a> {
            tenant: String,
            #[serde(borrow)]
            report: &'a RawValue,
            #[serde(default)]
            rules: Vec<crate::report::RuleText>,
            changes: Vec<Change>,
            reviewed_at: Option<String>,
            pages: Vec<PageVisit>,
            #[serde(default)]
            updated_at: Option<String>,
            #[serde(default)]
            revision: u64,
        }
        if Self::is_inventory(text) {
            let wire: InventoryWire<'_> = serde_json::from_slice(text.as_bytes())?;
            return Ok(Reply::Inventory {
                tenant: wire.tenant,
                report: JsonText(wire.report.get().to_string()),
                rules: wire.rules,
                changes: wire.changes,
                reviewed_at: wire.reviewed_at,
                pages: wire.pages,
                updated_at: wire.updated_at,
                revision: wire.revision,
            });
        }
        serde_json::from_slice(text.as_bytes())
    }
}

/// A JSON document carried as its text: written into a message as JSON (not as a string, and
/// without building it as a value first), read back as compact JSON text the receiver parses
/// into its own types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonText(pub String);

impl JsonText {
    /// JSON `null`.
    pub fn null() -> Self {
        JsonText("null".into())
    }

    pub fn is_null(&self) -> bool {
        self.0.trim() == "null"
    }
}

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue =
            serde_json::from_slice(self.0.as_bytes()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through a value: a tagged enum's fields arrive buffered, where raw text is not kept.
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(JsonText(value.to_string()))
    }
}

/// Whether NHI Lens could read the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    try_from = "wire::PageStatusWire"
)]
pub enum PageStatus {
    /// Read; `identities` found on it (zero is a real "nothing here"). `partial`: a list it
    /// loaded goes on past what was read (the console loads the rest as the admin pages on or
    /// scrolls, or its next page is somewhere NHI Lens does not fetch from).
    Read {
        identities: usize,
        #[serde(default, skip_serializing_if = "is_false")]
        partial: bool,
    },
    /// The page no longer looks as NHI Lens expects: never shown as "no risks".
    LayoutChanged { detail: String },
    /// NHI Lens is off for this console.
    Disabled,
    /// A console page NHI Lens reads nothing on ([`crate::console::ELSEWHERE`]): rows that name
    /// one of the `inventory` identities the tenant's inventory holds get their badges.
    NotRead { inventory: usize },
    /// A page NHI Lens reads, where it has read nothing yet: the console has not loaded (or
    /// loaded before, and kept) what the page shows. A tab's summary and a page's answer say
    /// this; no page visit records it.
    Reading,
}

fn is_false(b: &bool) -> bool {
    !b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The badge of one identity, and how to find its row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// `platform:kind:native-id`.
    pub id: String,
    /// Texts that name it on the page: display name, native ID, aliases (client IDs).
    pub keys: Vec<String>,
    /// `critical`, `high`, `medium`, `low` or `none`.
    pub risk: String,
    pub score: u8,
    /// The owner's name or ID as the data gives it; empty when none.
    pub owner: String,
    /// How the badge shows the owner: the name, or why there is none (`no owner`, `owner not
    /// loaded`, `owner not recorded`).
    pub owner_label: String,
    /// Days since it was created, when known.
    pub age_days: Option<i64>,
    /// One line: `2y old · secret 410d · unused 140d`.
    pub label: String,
    /// The top reasons, most points first: `NL301 Admin-tier permission: …` (left out when they
    /// come in pages of their own, see [`Reply::Annotations`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// What the popup shows for a tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabSummary {
    pub tenant: String,
    pub page: String,
    pub status: PageStatus,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub none: usize,
}

impl TabSummary {
    /// A summary that counts nothing: of a page read for nothing, or not read yet.
    pub fn uncounted(tenant: String, page: String, status: PageStatus) -> Self {
        TabSummary {
            tenant,
            page,
            status,
            critical: 0,
            high: 0,
            medium: 0,
            low: 0,
            none: 0,
        }
    }
}

/// One tenant in the list of inventories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub tenant: String,
    pub identities: usize,
    pub critical: usize,
    pub high: usize,
    /// RFC 3339.
    pub updated_at: String,
    /// Why its stored inventory could not be read, when it could not: it is listed still, to be
    /// forgotten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

/// A console page visited for a tenant, and how it read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageVisit {
    pub url: String,
    pub page: String,
    pub status: PageStatus,
    /// RFC 3339.
    pub at: String,
    /// The captures' sources the page had read by then (its lists, its snapshots), kept while
    /// the tenant holds them: a worker started since badges what the page read from them when the
    /// console shows it again from what it kept, loading nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// How an identity changed since the last review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    New {
        id: String,
    },
    Removed {
        id: String,
        name: String,
        level: String,
    },
    RiskUp {
        id: String,
        from: String,
        to: String,
    },
    RiskDown {
        id: String,
        from: String,
        to: String,
    },
    ScopesGrown {
        id: String,
        added: Vec<String>,
    },
}

impl Change {
    /// The identity it is about.
    pub fn id(&self) -> &str {
        match self {
            Change::New { id }
            | Change::Removed { id, .. }
            | Change::RiskUp { id, .. }
            | Change::RiskDown { id, .. }
            | Change::ScopesGrown { id, .. } => id,
        }
    }
}

/// What the admin sets on the options page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Policy thresholds, in days.
    pub secret_max_age_days: i64,
    pub dormant_days: i64,
    pub expiry_horizon_days: i64,
    pub expiring_soon_days: i64,
    /// Identity IDs that are never reported.
    pub allow: Vec<AllowEntry>,
    /// ID (or `*` pattern) → owner.
    pub owner_map: Vec<OwnerMapEntry>,
    /// Platforms (`github`, `entra`, …) NHI Lens stays off on.
    pub disabled_platforms: Vec<String>,
    /// Self-managed instances the admin added (a company's own GitLab), read like the platform's
    /// own console once the browser has granted their host.
    pub instances: Vec<crate::console::Instance>,
}

/// An identity NHI Lens never reports, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowEntry {
    pub id: String,
    pub reason: String,
    /// The inventory (a tenant's key, `slack:T0123`) the entry is made for: two tenants'
    /// identities may share an ID (one Slack app in two workspaces, one Snowflake user name in
    /// two accounts), and trusting one is no reason to trust the other. Every inventory's when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// An owner-map line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerMapEntry {
    pub pattern: String,
    pub owner: String,
}

impl Default for Options {
    fn default() -> Self {
        let t = crate::policy::Thresholds::default();
        Options {
            secret_max_age_days: t.secret_max_age_days,
            dormant_days: t.dormant_days,
            expiry_horizon_days: t.expiry_horizon_days,
            expiring_soon_days: t.expiring_soon_days,
            allow: Vec::new(),
            owner_map: Vec::new(),
            disabled_platforms: Vec::new(),
            instances: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_scripts_json_reads_as_requests() {
        let r: Request = serde_json::from_str(
            r#"{"type":"captured","url":"https://x","captures":[
                {"kind":"json","url":"https://graph.microsoft.com/v1.0/applications","body":"{}"},
                {"kind":"dom","region":"list","html":"<table></table>"}],"missing":[]}"#,
        )
        .unwrap();
        assert!(!r.from_page_only());
        let Request::Captured { captures, .. } = r else {
            panic!()
        };
        assert_eq!(captures.len(), 2);
        let r: Request = serde_json::from_str(r#"{"type":"clear_all"}"#).unwrap();
        assert!(r.from_page_only());
    }

    #[test]
    fn json_text_travels_as_json() {
        let reply = Reply::Identity {
            identity: JsonText(r#"{"id":"x","n":[1,2]}"#.into()),
            change: None,
        };
        let text = serde_json::to_string(&reply).unwrap();
        assert_eq!(
            text,
            r#"{"type":"identity","identity":{"id":"x","n":[1,2]},"change":null}"#
        );
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), reply);
    }

    #[test]
    fn an_inventory_reads_back_with_its_report_as_written() {
        let reply = Reply::Inventory {
            tenant: "okta:acme".into(),
            report: JsonText(r#"{"schema":"nhi-lens/1","identities":[{"id":"a \"b\""}]}"#.into()),
            rules: crate::report::rule_texts(),
            changes: vec![Change::New { id: "a".into() }],
            reviewed_at: Some("2026-11-01T00:00:00Z".into()),
            pages: vec![],
            updated_at: Some("2026-11-30T00:00:00Z".into()),
            revision: 3,
        };
        let text = serde_json::to_string(&reply).unwrap();
        assert!(text.starts_with(r#"{"type":"inventory","#));
        assert_eq!(Reply::from_json(&text).unwrap(), reply);
        // The worker writes it without reading the report through, the same text.
        assert_eq!(reply.clone().into_json_text().unwrap(), text);
        let unreviewed = Reply::Inventory {
            // A name that spells the report's key is escaped inside its string.
            tenant: r#"okta:","report":0,""#.into(),
            report: JsonText("null".into()),
            rules: vec![],
            changes: vec![],
            reviewed_at: None,
            pages: vec![],
            updated_at: None,
            revision: 0,
        };
        assert_eq!(
            unreviewed.clone().into_json_text().unwrap(),
            serde_json::to_string(&unreviewed).unwrap()
        );
        assert_eq!(
            Reply::Done.into_json_text().unwrap(),
            serde_json::to_string(&Reply::Done).unwrap()
        );
        // Every other reply reads as the enum reads it.
        let done = serde_json::to_string(&Reply::Done).unwrap();
        assert_eq!(Reply::from_json(&done).unwrap(), Reply::Done);
        assert!(Reply::from_json(r#"{"type":"inventory","tenant":1}"#).is_err());
    }

    #[test]
    fn unknown_messages_are_refused() {
        assert!(serde_json::from_str::<Request>(r#"{"type":"eval","code":"x"}"#).is_err());
    }
}
