//! OAuth tokens exported as CSV: the same `OauthToken` query saved by Data Loader, Workbench or
//! `sf data query --result-format csv`. Columns are the field names (Data Loader writes them in
//! capitals), read by name, never by position. Secret columns (`AccessToken`, `DeleteToken`,
//! `RequestToken`) are never looked up.

use super::{
    QUERY_LIMIT, TokenRecord, location_from_source, normalize_time, token_usage, truncation_problem,
};
use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;
use crate::platforms::read_exported;

pub(super) const FORMAT: Format = Format {
    id: "salesforce.oauth_tokens_csv",
    title: "Salesforce OAuth tokens (OauthToken query exported as CSV)",
    doc_url: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm",
    detect: |shape| {
        let Shape::Csv(headers) = shape else {
            return false;
        };
        let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
        has("AppName")
            && has("UserId")
            && (has("UseCount") || has("LastUsedDate") || has("CreatedDate"))
    },
    read: read_exported!(read),
    exported_only: true,
};

/// The columns of one row, looked up by lower-case header name.
struct Row<'r> {
    headers: &'r [String],
    record: &'r csv::StringRecord,
}

impl Row<'_> {
    /// The cell, `None` when the column is absent, `Some("")` when it is empty.
    fn cell(&self, name: &str) -> Option<&str> {
        let i = self.headers.iter().position(|h| h == name)?;
        Some(self.record.get(i).map(str::trim).unwrap_or(""))
    }

    /// The cell when it has a value.
    fn get(&self, name: &str) -> Option<&str> {
        self.cell(name).filter(|v| !v.is_empty())
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bytes = crate::ingest::probe::strip_bom(input.bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("unreadable header row: {e}"))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let location = location_from_source(input.source);
    let source = sink.source_name();
    let mut rows: u64 = 0;
    for (index, record) in reader.records().enumerate() {
        let line = index.saturating_add(2);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sink.problem(format!("line {line} skipped: {e}"));
                continue;
            }
        };
        rows = rows.saturating_add(1);
        let row = Row {
            headers: &headers,
            record: &record,
        };
        let app_name = row.get("appname").map(str::to_string);
        let menu_item = row.get("appmenuitemid").map(str::to_string);
        if app_name.is_none() && menu_item.is_none() {
            sink.problem(format!("line {line} skipped: no AppName or AppMenuItemId"));
            continue;
        }
        let user = row.get("userid").map(str::to_string);
        let label = format!(
            "line {line} ({} for {})",
            user.as_deref().unwrap_or("unknown user"),
            app_name
                .as_deref()
                .or(menu_item.as_deref())
                .unwrap_or_default()
        );
        let use_count = match row.get("usecount") {
            Some(text) => {
                let value = text.parse::<u64>().ok().or_else(|| {
                    text.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1e15)
                        .map(|f| f.trunc() as u64)
                });
                if value.is_none() {
                    sink.problem(format!(
                        "{label}: UseCount is not a count; treated as unknown"
                    ));
                }
                value
            }
            None => None,
        };
        let created = row
            .get("createddate")
            .and_then(|t| sink.time(&label, "CreatedDate", Some(&normalize_time(t))));
        // An absent column was not exported; an empty cell is a token never used.
        let usage = token_usage(sink, &label, row.cell("lastuseddate").map(Some), use_count);
        let user_name = row
            .get("user.username")
            .or_else(|| row.get("user.name"))
            .map(str::to_string);
        sink.joins.salesforce.tokens.push(TokenRecord {
            app_name,
            menu_item,
            user,
            user_name,
            created,
            usage,
            use_count,
            location: location.clone(),
            source: source.clone(),
        });
    }
    if rows >= QUERY_LIMIT
        && let Some(problem) = truncation_problem(rows, None)
    {
        sink.problem(problem);
    }
    Ok(())
}
