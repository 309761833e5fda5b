//! OAuth tokens: a SOQL query of `OauthToken` through the REST API,
//! `GET /services/data/vXX.X/query?q=SELECT AppName, UserId, CreatedDate, LastUsedDate, UseCount,
//! AppMenuItemId FROM OauthToken`, one response (page) per input.
//!
//! The `totalSize` / `done` / `nextRecordsUrl` / `records[].attributes` wrapper is the standard
//! REST query response [infer: the OauthToken page shows the fields, not a response]. Salesforce
//! returns at most 2,500 OauthToken rows in total, so a result that reaches the limit, or says
//! more rows follow, is reported rather than silently undercounted.

use serde::Deserialize;

use super::{TokenRecord, location_from_source, normalize_time, token_usage, truncation_problem};
use crate::ingest::{Input, Problems, Sink, records};
use crate::platforms::read_exported;
use crate::platforms::scalar::Scalar;
use crate::platforms::{Format, json};

pub(super) const FORMAT: Format = Format {
    id: "salesforce.oauth_tokens",
    title: "Salesforce OAuth tokens (SOQL: SELECT … FROM OauthToken)",
    doc_url: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm",
    detect: |shape| {
        json(shape).is_some_and(|s| {
            let typed = s.first.as_ref().is_some_and(|f| {
                f.get("attributes")
                    .and_then(|a| a.get("type"))
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.eq_ignore_ascii_case("OauthToken"))
            });
            s.list_is(Some("records"))
                && (typed
                    || (s.first_has_all(&["AppName", "UserId"])
                        && s.first_has_any(&["UseCount", "LastUsedDate", "CreatedDate"])))
        })
    },
    read: read_exported!(read),
    exported_only: true,
};

/// The query response around the records.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Envelope {
    total_size: Option<u64>,
    /// False while more rows follow, on every page but the last.
    done: Option<bool>,
    /// The next page's path; `ingest::note_unfinished_lists` says when no input is the last page.
    next_records_url: Option<String>,
}

/// One `OauthToken` row. `AccessToken`, `DeleteToken` and `RequestToken` are secrets (or enough
/// to revoke a grant): they are deliberately not declared, so serde never reads them.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OauthToken {
    #[serde(default)]
    app_name: Option<String>,
    #[serde(default)]
    app_menu_item_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    /// The `User` relationship, when the query selects `User.Username` or `User.Name`.
    #[serde(default)]
    user: Option<UserRef>,
    #[serde(default)]
    created_date: Option<String>,
    #[serde(default, deserialize_with = "crate::ingest::present")]
    last_used_date: Option<Option<String>>,
    #[serde(default)]
    use_count: Option<Count>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct UserRef {
    username: Option<String>,
    name: Option<String>,
}

/// `UseCount` as Salesforce sends it (an integer), or as a re-exported file may (text, float).
#[derive(Deserialize)]
#[serde(from = "Scalar")]
enum Count {
    Int(u64),
    Float(f64),
    Text(String),
}

impl From<Scalar> for Count {
    fn from(value: Scalar) -> Self {
        match value {
            Scalar::UInt(n) => Count::Int(n),
            Scalar::Int(n) => Count::Float(n as f64),
            Scalar::Float(f) => Count::Float(f),
            Scalar::Text(t) => Count::Text(t),
        }
    }
}

impl Count {
    fn value(&self) -> Option<u64> {
        match self {
            Count::Int(n) => Some(*n),
            Count::Float(f) if f.is_finite() && *f >= 0.0 && *f < 1e15 => Some(f.trunc() as u64),
            Count::Float(_) => None,
            Count::Text(t) => t.trim().parse().ok(),
        }
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    // totalSize may come after the probe's reach: read it in a pass of its own that
    // skips the records (a result holds at most 2,500 rows).
    let envelope: Envelope =
        serde_json::from_slice(crate::ingest::probe::strip_bom(input.bytes)).unwrap_or_default();
    let list = records::read::<OauthToken>(input.bytes, Some("records"))?;
    sink.skipped(list.skipped);
    let rows = u64::try_from(list.items.len()).unwrap_or(u64::MAX);
    if let Some(problem) = truncation_problem(rows, envelope.total_size) {
        sink.problem(problem);
    } else if envelope.done == Some(false)
        && envelope
            .next_records_url
            .as_deref()
            .is_none_or(|next| next.trim().is_empty())
    {
        // A page cut from its cursor: the rows after it cannot be fetched from what it says.
        sink.problem(format!(
            "the query result says more rows follow (done is false{}) but names no \
             nextRecordsUrl to fetch them from: connected apps' users and use are undercounted; \
             export the query again with every page (queryMore) and scan them together",
            envelope
                .total_size
                .map(|total| format!(", totalSize {total}, {rows} read here"))
                .unwrap_or_default()
        ));
    }
    let location = location_from_source(input.source);
    let source = sink.source_name();
    for (index, token) in list.items.into_iter().enumerate() {
        let app_name = token.app_name.filter(|n| !n.trim().is_empty());
        let menu_item = token.app_menu_item_id.filter(|n| !n.trim().is_empty());
        if app_name.is_none() && menu_item.is_none() {
            sink.problem(format!(
                "record {} skipped: no AppName or AppMenuItemId",
                index + 1
            ));
            continue;
        }
        let user = token.user_id.filter(|u| !u.trim().is_empty());
        let label = format!(
            "token of {} for {}",
            user.as_deref().unwrap_or("an unknown user"),
            app_name
                .as_deref()
                .or(menu_item.as_deref())
                .unwrap_or_default()
        );
        let use_count = match &token.use_count {
            Some(count) => {
                let value = count.value();
                if value.is_none() {
                    sink.problem(format!(
                        "{label}: UseCount is not a count; treated as unknown"
                    ));
                }
                value
            }
            None => None,
        };
        let created = token
            .created_date
            .as_deref()
            .and_then(|t| sink.time(&label, "CreatedDate", Some(&normalize_time(t))));
        let usage = token_usage(
            sink,
            &label,
            token.last_used_date.as_ref().map(|v| v.as_deref()),
            use_count,
        );
        let user_name = token
            .user
            .and_then(|u| u.username.or(u.name))
            .filter(|n| !n.trim().is_empty());
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
    Ok(())
}
