//! The Admin console's exported list of configured or accessed apps (Security › Access and data
//! control › API controls › Manage third-party app access › Download list), as CSV.
//!
//! The export's columns are documented only in words ([doc] support.google.com/a/answer/7281227):
//! app name, Type, ID (the OAuth client ID), Verified status, Access (Trusted / Limited / Specific
//! Google data / Blocked), and for accessed apps Users (a count) and Requested services; the
//! configured-apps export "adds number of users, requested services and API scopes per service".
//! The exact header spellings are [infer]: columns are found by name without case, and the
//! spellings in the lists below beyond those words (`Client ID`, `Number of users`, `API scopes`,
//! `OAuth scopes`, ...) are guesses at what the export writes. Every column whose header names
//! scopes is read as scopes, so one column per service works as well as one for all.
//! Rows are joined with the Directory API tokens by client ID (see [`super::Join`]).

use crate::ingest::probe::Shape;
use crate::ingest::{Input, Problems, Sink};
use crate::platforms::Format;

use super::{AppRecord, split_scopes};
use crate::platforms::read_exported;

pub(super) const FORMAT: Format = Format {
    id: "google.app_access",
    title: "Google Workspace accessed / configured apps (Admin console API controls, CSV export)",
    doc_url: "https://support.google.com/a/answer/7281227",
    detect: |shape| match shape {
        Shape::Csv(headers) => Columns::find(headers).is_some(),
        _ => false,
    },
    read: read_exported!(read),
    exported_only: true,
};

const NAME: &[&str] = &[
    "app name",
    "name",
    "application name",
    "application",
    "app",
    "app display name",
];
const ID: &[&str] = &[
    "id",
    "client id",
    "app id",
    "oauth client id",
    "oauth2 client id",
    "oauth 2.0 client id",
    "client_id",
    "app/client id",
];
const TYPE: &[&str] = &["type", "app type", "application type"];
const VERIFIED: &[&str] = &[
    "verified status",
    "verification status",
    "verified",
    "publisher verification",
];
const ACCESS: &[&str] = &["access", "access level", "access setting", "data access"];
const USERS: &[&str] = &[
    "users",
    "number of users",
    "user count",
    "# of users",
    "num users",
];
const SERVICES: &[&str] = &["requested services", "services", "google services"];

/// Where the columns are, by header name.
struct Columns {
    name: usize,
    id: usize,
    app_type: Option<usize>,
    verified: Option<usize>,
    access: Option<usize>,
    users: Option<usize>,
    services: Option<usize>,
    scopes: Vec<usize>,
}

/// A header cell without case, BOM, quotes or repeated spaces.
fn normalize(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Columns {
    /// The columns of an app-list export, or `None` when these headers are not one: an app name,
    /// an ID, and at least one of verified status, access, requested services or scopes.
    fn find(headers: &[String]) -> Option<Columns> {
        let names: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let at = |choices: &[&str]| names.iter().position(|h| choices.contains(&h.as_str()));
        let scopes: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, h)| h.contains("scope"))
            .map(|(i, _)| i)
            .collect();
        let columns = Columns {
            name: at(NAME)?,
            id: at(ID)?,
            app_type: at(TYPE),
            verified: at(VERIFIED),
            access: at(ACCESS),
            users: at(USERS),
            services: at(SERVICES),
            scopes,
        };
        let specific = columns.verified.is_some()
            || columns.services.is_some()
            || !columns.scopes.is_empty()
            || (columns.access.is_some() && columns.app_type.is_some());
        specific.then_some(columns)
    }
}

fn read(input: &Input, sink: &mut Sink) -> Result<(), String> {
    let bytes = crate::ingest::probe::strip_bom(input.bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("unreadable header row: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let columns = Columns::find(&headers)
        .ok_or("the header row has no app name, ID and verified status or access columns")?;
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sink.problem(format!("line {line} skipped: {e}"));
                continue;
            }
        };
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let Some(client_id) = cell(Some(columns.id)) else {
            if record.iter().any(|c| !c.trim().is_empty()) {
                sink.problem(format!("line {line} skipped: no client ID"));
            }
            continue;
        };
        let app_type = cell(columns.app_type).map(str::to_string);
        let verified_text = cell(columns.verified).map(str::to_ascii_lowercase);
        let access = cell(columns.access).map(str::to_string);
        let users = match cell(columns.users) {
            None => None,
            Some(text) => {
                let digits: String = text
                    .chars()
                    .filter(|c| !matches!(c, ',' | ' ' | '.'))
                    .collect();
                let n = digits.parse::<u64>().ok();
                if n.is_none() {
                    sink.problem(format!(
                        "line {line}: users \"{}\" is not a number; treated as unknown",
                        crate::text::clip(text, 40)
                    ));
                }
                n
            }
        };
        let mut scopes = Vec::new();
        for &i in &columns.scopes {
            if let Some(text) = cell(Some(i)) {
                scopes.extend(split_scopes(text).map(str::to_string));
            }
        }
        let services = cell(columns.services)
            .map(|text| {
                text.split([',', ';', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let internal = [verified_text.as_deref(), app_type.as_deref()]
            .into_iter()
            .flatten()
            .any(|t| t.to_ascii_lowercase().contains("internal"));
        let record = AppRecord {
            client_id: client_id.to_string(),
            name: cell(Some(columns.name)).map(str::to_string),
            internal,
            verified: verified_text.as_deref().and_then(verified),
            blocked: access.as_deref().is_some_and(only_blocked),
            app_type,
            access,
            users,
            services,
            scopes,
            source: sink.source_name(),
        };
        sink.joins.google.apps.push(record);
    }
    Ok(())
}

/// `Verified` → verified; `Unverified`, `Not verified` → not; anything else → unknown.
pub(super) fn verified(text: &str) -> Option<bool> {
    if text.contains("unverified") || text.contains("not verified") {
        Some(false)
    } else if text.starts_with("verified") {
        Some(true)
    } else {
        None
    }
}

/// Whether an access cell says the app is blocked everywhere it is configured: `Blocked`, but
/// not `Trusted` or `Limited` for some other organizational unit.
pub(super) fn only_blocked(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("blocked")
        && !["trusted", "limited", "specific", "unrestricted", "allowed"]
            .iter()
            .any(|other| text.contains(other))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_are_found_by_name_in_any_spelling() {
        let c = Columns::find(&headers(&[
            "\u{feff}App name",
            "Type",
            "ID",
            "Verified status",
            "Users",
        ]))
        .unwrap();
        assert_eq!(
            (c.name, c.id, c.verified, c.users),
            (0, 2, Some(3), Some(4))
        );
        let c = Columns::find(&headers(&[
            "Name",
            "Client ID",
            "Gmail API scopes",
            "Drive scopes",
        ]))
        .unwrap();
        assert_eq!(c.scopes, [2, 3]);
        assert!(Columns::find(&headers(&["user", "arn", "id"])).is_none());
        assert!(Columns::find(&headers(&["name", "id", "users"])).is_none());
    }

    #[test]
    fn verified_and_access_cells_are_read() {
        assert_eq!(verified("verified"), Some(true));
        assert_eq!(verified("unverified"), Some(false));
        assert_eq!(verified("not verified"), Some(false));
        assert_eq!(verified("-"), None);
        assert!(only_blocked("Blocked"));
        assert!(!only_blocked("Trusted: 1 org unit, Blocked: 2"));
    }
}
