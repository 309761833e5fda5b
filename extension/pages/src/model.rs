//! What the pages show, read from the background's replies: the identities of an `nhi-lens/1`
//! report (only the fields the pages use), with sort keys and a search text worked out once.

use std::rc::Rc;

use compact_str::CompactString;

use nhi_lens::model::Precision;
#[cfg(test)]
use nhi_lens::protocol::JsonText;
use nhi_lens::protocol::{Change, PageStatus, PageVisit, Reply};
use nhi_lens::report::RuleText;
use nhi_lens::score::Level;
use serde::Deserialize;
#[cfg(test)]
use serde_json::Value;

use crate::changes::Marks;

/// The schema the inventory's report must carry.
pub const SCHEMA: &str = nhi_lens::report::SCHEMA;

/// One identity as the report writes it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Row {
    pub id: String,
    pub platform: CompactString,
    pub kind: CompactString,
    pub name: String,
    #[serde(default)]
    pub native_id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub human: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// A request not approved yet (a fine-grained PAT's, a Slack app's): its findings are what
    /// approving it would bring.
    #[serde(default)]
    pub pending: bool,
    #[serde(default)]
    pub owner: Option<OwnerRef>,
    /// `known`, `missing`, `not_loaded` or `not_recorded`: why `owner` may be null.
    #[serde(default)]
    pub owner_state: CompactString,
    #[serde(default)]
    pub created_at: Option<CompactString>,
    #[serde(default)]
    pub last_used_at: Option<CompactString>,
    /// Where `last_used_at` came from, or why it is null (`never`, `not loaded`, …).
    #[serde(default)]
    pub last_used_source: CompactString,
    #[serde(default)]
    pub last_used_precision: Option<Precision>,
    #[serde(default)]
    pub oldest_secret_at: Option<CompactString>,
    #[serde(default)]
    pub expires_at: Option<CompactString>,
    /// `never`, `date` or `unknown`.
    #[serde(default)]
    pub expiry: CompactString,
    #[serde(default)]
    pub age_days: Option<i64>,
    pub risk: Risk,
    #[serde(default)]
    pub findings: Vec<FindingRow>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// No page read shows its permissions: its risk leaves them out.
    #[serde(default)]
    pub grants_unread: bool,
    /// Worked out after reading.
    #[serde(skip)]
    pub keys: Keys,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OwnerRef {
    pub name: String,
    /// `active`, `disabled` or `unknown`.
    #[serde(default)]
    pub status: CompactString,
    #[serde(default)]
    pub source: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Risk {
    pub score: u8,
    pub level: Level,
}

/// A finding as the report writes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct FindingRow {
    pub rule: CompactString,
    /// Absent from a lean inventory, which gives each rule's texts once (`fill`).
    #[serde(default)]
    pub title: String,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub severity: CompactString,
    #[serde(default)]
    pub points: u8,
    #[serde(default)]
    pub owasp_nhi: Vec<String>,
    #[serde(default)]
    pub nist_csf: Vec<String>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub remediation: String,
    /// `open`, `accepted` or `allowed`.
    #[serde(default = "open")]
    pub status: CompactString,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub accepted_until: Option<String>,
    /// The rule's texts a lean inventory gives once per rule, shared by every finding of it (a
    /// copy in each was most of the time reading 10,000 identities took).
    #[serde(skip)]
    pub rule_text: Option<Rc<RuleText>>,
}

impl FindingRow {
    /// Points to the rule's own texts, where a lean inventory left them out.
    pub fn fill(&mut self, rules: &[Rc<RuleText>]) {
        if self.title.is_empty() {
            self.rule_text = rules.iter().find(|t| t.rule == self.rule).cloned();
        }
    }

    /// The rule's title: the finding's own, or its rule's.
    pub fn title(&self) -> &str {
        self.shared(&self.title, |t| &t.title)
    }

    /// How to fix it: the finding's own, or its rule's.
    pub fn remediation(&self) -> &str {
        self.shared(&self.remediation, |t| &t.remediation)
    }

    pub fn owasp_nhi(&self) -> &[String] {
        match &self.rule_text {
            Some(t) if self.owasp_nhi.is_empty() => &t.owasp_nhi,
            _ => &self.owasp_nhi,
        }
    }

    pub fn nist_csf(&self) -> &[String] {
        match &self.rule_text {
            Some(t) if self.nist_csf.is_empty() => &t.nist_csf,
            _ => &self.nist_csf,
        }
    }

    fn shared<'a>(&'a self, own: &'a str, of_rule: impl Fn(&'a RuleText) -> &'a str) -> &'a str {
        match &self.rule_text {
            Some(t) if own.is_empty() => of_rule(t),
            _ => own,
        }
    }
}

fn open() -> CompactString {
    "open".into()
}

/// What sorting and searching compare, worked out once per row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keys {
    /// Lower-case name.
    pub name: String,
    /// Lower-case owner name (empty when none).
    pub owner: String,
    /// Lower-case name, ID, native ID, aliases, client ID and owner, for the search box.
    pub search: String,
    /// Unix seconds.
    pub created: Option<i64>,
    pub last_used: Option<i64>,
    pub oldest_secret: Option<i64>,
    pub expires: Option<i64>,
    /// How it changed since the last review.
    pub changes: Marks,
}

fn owned(values: Vec<&str>) -> Vec<String> {
    values.into_iter().map(String::from).collect()
}

/// Unix seconds of an RFC 3339 timestamp.
pub fn unix(text: &str) -> Option<i64> {
    crate::age::parse_timestamp(text)
}

impl Row {
    /// Whether it is shown as a risk that leaves privilege out, as its badge says it (see
    /// `Identity::permissions_unread`).
    pub fn permissions_unread(&self) -> bool {
        self.grants_unread && !self.human
    }

    /// Reads one identity of a report (`Reply::Identity`'s `identity`, or one element of
    /// `report.identities`).
    /// Reads one identity from a JSON value (tests build them with `json!`).
    #[cfg(test)]
    pub fn from_value(value: Value) -> Result<Row, String> {
        Self::from_json(&value.to_string())
    }

    pub fn from_json(text: &str) -> Result<Row, String> {
        let mut row: Row = serde_json::from_str(text)
            .map_err(|e| format!("NHI Lens could not read an identity: {e}"))?;
        row.index();
        Ok(row)
    }

    /// Works out the sort keys and search text.
    pub fn index(&mut self) {
        let owner = self
            .owner
            .as_ref()
            .map(|o| o.name.to_lowercase())
            .unwrap_or_default();
        let mut search = String::with_capacity(
            self.name.len() + self.id.len() + self.native_id.len() + owner.len() + 8,
        );
        for part in [&self.name, &self.id, &self.native_id]
            .into_iter()
            .chain(self.aliases.iter())
            .chain(self.client_id.iter())
        {
            search.push_str(&part.to_lowercase());
            search.push('\u{1f}');
        }
        search.push_str(&owner);
        let changes = self.keys.changes;
        self.keys = Keys {
            name: self.name.to_lowercase(),
            owner,
            search,
            created: self.created_at.as_deref().and_then(unix),
            last_used: self.last_used_at.as_deref().and_then(unix),
            oldest_secret: self.oldest_secret_at.as_deref().and_then(unix),
            expires: self.expires_at.as_deref().and_then(unix),
            changes,
        };
    }

    /// The owner's state as the filter sees it.
    pub fn owner_filter_state(&self) -> &str {
        match &self.owner {
            Some(o) if o.status == "disabled" => "disabled",
            Some(_) => "known",
            None if self.owner_state == "known" || self.owner_state.is_empty() => "missing",
            None => &self.owner_state,
        }
    }

    /// How many findings are still open.
    pub fn open_findings(&self) -> usize {
        self.findings.iter().filter(|f| f.status == "open").count()
    }
}

/// An input of the report that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ReportError {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub message: String,
}

/// The parts of a report the pages show, read straight into their types.
#[derive(Deserialize)]
struct ReportPart {
    schema: Option<String>,
    now: Option<String>,
    #[serde(default)]
    identities: Vec<Row>,
    #[serde(default)]
    errors: Vec<ReportError>,
}

/// `Reply::Inventory`, its report read as [`ReportPart`].
#[derive(Deserialize)]
struct InventoryWire {
    tenant: String,
    report: ReportPart,
    #[serde(default)]
    rules: Vec<RuleText>,
    changes: Vec<Change>,
    reviewed_at: Option<String>,
    pages: Vec<PageVisit>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    revision: u64,
}

/// One tenant's inventory, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Inventory {
    pub tenant: String,
    /// The report's "now", unix seconds: ages are counted to it.
    pub now: i64,
    pub rows: Vec<Row>,
    pub changes: Vec<Change>,
    pub reviewed_at: Option<String>,
    pub pages: Vec<PageVisit>,
    /// When the background last scored the tenant (`TenantSummary::updated_at`).
    pub updated_at: Option<String>,
    /// What was read of the tenant, as its revision: a review is of this one.
    pub revision: u64,
    pub errors: Vec<ReportError>,
    /// The platforms and kinds present, sorted: the filters' choices.
    pub platforms: Vec<String>,
    pub kinds: Vec<String>,
}

impl Inventory {
    /// Reads the background's answer to `Request::Inventory` in one pass, its report of
    /// thousands of identities straight into rows (where `Reply::from_json` keeps the report as
    /// text, to be read a second time). `None` when the text is another reply, or not one the
    /// background writes.
    pub fn from_answer(text: &str, fallback_now: i64) -> Option<Result<Inventory, String>> {
        if !nhi_lens::protocol::Reply::is_inventory(text) {
            return None;
        }
        Some(
            serde_json::from_str::<InventoryWire>(text)
                .map_err(|e| format!("NHI Lens could not read the inventory: {e}"))
                .and_then(|wire| Self::from_wire(wire, fallback_now)),
        )
    }

    /// Reads the background's reply to `Request::Inventory` (an error reply is its message).
    /// `fallback_now` (unix seconds) stands in for a report without a readable `now`.
    pub fn from_reply(reply: Reply, fallback_now: i64) -> Result<Inventory, String> {
        let Reply::Inventory {
            tenant,
            report,
            rules,
            changes,
            reviewed_at,
            pages,
            updated_at,
            revision,
        } = reply
        else {
            return Err(match reply {
                Reply::Error { message } => message,
                other => crate::bridge::unexpected(&other),
            });
        };
        let report: ReportPart = serde_json::from_str(&report.0)
            .map_err(|e| format!("NHI Lens could not read the inventory: {e}"))?;
        let wire = InventoryWire {
            tenant,
            report,
            rules,
            changes,
            reviewed_at,
            pages,
            updated_at,
            revision,
        };
        Self::from_wire(wire, fallback_now)
    }

    fn from_wire(wire: InventoryWire, fallback_now: i64) -> Result<Inventory, String> {
        let InventoryWire {
            tenant,
            report: part,
            rules,
            changes,
            reviewed_at,
            pages,
            updated_at,
            revision,
        } = wire;
        match part.schema.as_deref() {
            Some(SCHEMA) => {}
            Some(other) => {
                return Err(format!(
                    "The background sent a report in schema {other:?}; these pages read {SCHEMA:?}. \
                     Reload the extension."
                ));
            }
            None => return Err("The background sent an inventory without a report.".into()),
        }
        let now = part.now.as_deref().and_then(unix).unwrap_or(fallback_now);
        let mut rows = part.identities;
        let errors = part.errors;
        let marks = crate::changes::marks(&changes);
        let shared: Vec<Rc<RuleText>> = rules.into_iter().map(Rc::new).collect();
        for row in &mut rows {
            row.keys.changes = marks.get(row.id.as_str()).copied().unwrap_or_default();
            row.index();
            for finding in &mut row.findings {
                finding.fill(&shared);
            }
        }
        let platforms = owned(crate::view::distinct(&rows, |r| r.platform.as_str()));
        let kinds = owned(crate::view::distinct(&rows, |r| r.kind.as_str()));
        Ok(Inventory {
            tenant,
            now,
            rows,
            changes,
            reviewed_at,
            pages,
            updated_at,
            revision,
            errors,
            platforms,
            kinds,
        })
    }

    /// The pages whose layout no longer matches the adapter.
    pub fn layout_changed(&self) -> impl Iterator<Item = (&PageVisit, &str)> {
        self.pages.iter().filter_map(|p| match &p.status {
            PageStatus::LayoutChanged { detail } => Some((p, detail.as_str())),
            _ => None,
        })
    }

    /// Replaces a row (after an action) and keeps its change marks; `false` if it is unknown.
    pub fn replace(&mut self, mut row: Row) -> bool {
        let Some(slot) = self.rows.iter_mut().find(|r| r.id == row.id) else {
            return false;
        };
        row.keys.changes = slot.keys.changes;
        row.index();
        *slot = row;
        true
    }

    /// The changes of one identity.
    pub fn changes_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| c.id() == id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub fn identity(id: &str, name: &str, level: &str, score: u8) -> Value {
        json!({
            "id": id, "platform": id.split(':').next().unwrap(),
            "kind": id.split(':').nth(1).unwrap(), "name": name, "native_id": id.rsplit(':').next().unwrap(),
            "owner": null, "owner_state": "missing",
            "created_at": "2024-01-01T00:00:00Z", "last_used_at": null, "last_used_source": "never",
            "oldest_secret_at": null, "expires_at": null, "expiry": "unknown", "age_days": 10,
            "risk": { "score": score, "level": level }, "findings": [], "sources": ["test"]
        })
    }

    fn inventory_reply(
        tenant: String,
        report: String,
        rules: Vec<RuleText>,
        changes: Vec<Change>,
    ) -> Reply {
        Reply::Inventory {
            tenant,
            report: JsonText(report),
            rules,
            changes,
            reviewed_at: None,
            pages: vec![],
            updated_at: None,
            revision: 0,
        }
    }

    #[test]
    fn an_inventory_reads_its_report_and_marks_changes() {
        let report = json!({
            "schema": "nhi-lens/1", "now": "2024-01-11T00:00:00Z",
            "identities": [identity("github:github_app:1", "Deploy Bot", "high", 70),
                           identity("entra:service_principal:2", "<img src=x onerror=alert(1)>", "low", 10)],
            "errors": [{"source": "a.json", "message": "unreadable"}]
        });
        let inv = Inventory::from_reply(
            inventory_reply(
                "acme".into(),
                report.to_string(),
                vec![],
                vec![Change::New {
                    id: "github:github_app:1".into(),
                }],
            ),
            0,
        )
        .unwrap();
        assert_eq!(inv.now, 1_704_931_200);
        assert_eq!(inv.rows.len(), 2);
        assert_eq!(inv.rows[0].keys.name, "deploy bot");
        assert_eq!(inv.rows[0].keys.created, Some(1_704_067_200));
        assert!(inv.rows[0].keys.changes.is_new());
        assert!(!inv.rows[1].keys.changes.any());
        assert_eq!(inv.errors.len(), 1);
        assert_eq!(inv.platforms, ["entra", "github"]);
        assert_eq!(inv.kinds, ["github_app", "service_principal"]);
    }

    #[test]
    fn a_report_of_another_schema_is_refused() {
        let err = Inventory::from_reply(
            inventory_reply(
                "t".into(),
                json!({"schema": "sarif"}).to_string(),
                vec![],
                vec![],
            ),
            0,
        )
        .unwrap_err();
        assert!(err.contains("sarif"));
    }

    #[test]
    fn replacing_a_row_keeps_its_change_marks() {
        let report = json!({"schema": "nhi-lens/1", "now": "2024-01-11T00:00:00Z",
            "identities": [identity("github:github_app:1", "Deploy Bot", "high", 70)]});
        let mut inv = Inventory::from_reply(
            inventory_reply(
                "t".into(),
                report.to_string(),
                vec![],
                vec![Change::New {
                    id: "github:github_app:1".into(),
                }],
            ),
            0,
        )
        .unwrap();
        let row = Row::from_value(identity("github:github_app:1", "Renamed", "low", 5)).unwrap();
        assert!(inv.replace(row));
        assert_eq!(inv.rows[0].name, "Renamed");
        assert!(inv.rows[0].keys.changes.is_new());
        let other = Row::from_value(identity("github:github_app:9", "X", "low", 5)).unwrap();
        assert!(!inv.replace(other));
    }

    #[test]
    fn lean_findings_get_their_rule_texts() {
        let mut id = identity("github:github_app:1", "Deploy Bot", "high", 70);
        id["findings"] = json!([{"rule": "NL101", "severity": "medium", "points": 20,
            "evidence": "expires never", "status": "open"}]);
        let report = json!({"schema": "nhi-lens/1", "now": "2024-01-11T00:00:00Z",
            "identities": [id]});
        let rules = [RuleText {
            rule: "NL101".into(),
            title: "Credential never expires".into(),
            owasp_nhi: vec!["NHI7".into()],
            nist_csf: vec!["PR.AA-01".into()],
            remediation: "Set an expiry.".into(),
        }];
        let inv = Inventory::from_reply(
            inventory_reply("t".into(), report.to_string(), rules.to_vec(), vec![]),
            0,
        )
        .unwrap();
        let f = &inv.rows[0].findings[0];
        assert_eq!(f.title(), "Credential never expires");
        assert_eq!(f.owasp_nhi(), ["NHI7"]);
        assert_eq!(f.nist_csf(), ["PR.AA-01"]);
        assert_eq!(f.remediation(), "Set an expiry.");
        assert_eq!(f.evidence, "expires never");

        // The background's answer, read in one pass, gives the same inventory.
        let reply = nhi_lens::protocol::Reply::Inventory {
            tenant: "t".into(),
            report: JsonText(report.to_string()),
            rules: rules.to_vec(),
            changes: vec![],
            reviewed_at: None,
            pages: vec![],
            updated_at: None,
            revision: 0,
        };
        let text = nhi_lens::json_out::to_string(&reply).unwrap();
        assert_eq!(Inventory::from_answer(&text, 0), Some(Ok(inv)));
        let error = nhi_lens::protocol::Reply::Error {
            message: "no".into(),
        };
        let text = nhi_lens::json_out::to_string(&error).unwrap();
        assert_eq!(Inventory::from_answer(&text, 0), None);
    }

    #[test]
    fn owner_states_for_the_filter() {
        let mut row = Row::from_value(identity("github:github_app:1", "A", "low", 1)).unwrap();
        assert_eq!(row.owner_filter_state(), "missing");
        row.owner_state = "not_loaded".into();
        assert_eq!(row.owner_filter_state(), "not_loaded");
        row.owner = Some(OwnerRef {
            name: "Ana".into(),
            status: "disabled".into(),
            source: "explicit".into(),
        });
        assert_eq!(row.owner_filter_state(), "disabled");
    }
}
