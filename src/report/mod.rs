//! Report formats: one file each, all reading the same [`Report`].

mod csv;
mod json;
mod md;
mod ocsf;
mod sarif;
// The terminal's table is the command line's alone: the extension and the web page write the
// other formats, and go without it and its display-width tables.
#[cfg(feature = "cli")]
mod table;

use std::io::{self, Write};

use crate::assess::{Assessment, Report};
use crate::model::{AccountStatus, Expiry, LastUse, Owner, Timestamp, Usage, days_between};
use crate::rules::{Disposition, Finding};

pub use json::{
    RuleText, SCHEMA, identity_json_string, rule_texts, to_json, to_json_string,
    to_lean_json_string,
};
#[cfg(feature = "cli")]
pub use table::{DEFAULT_TOP, TableOptions};

/// The report formats of `nhi-lens scan --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For a terminal, readable at 100 columns.
    Table,
    /// The `nhi-lens/1` schema shared by the CLI, the extension and the web page.
    Json,
    /// One row per finding, for spreadsheets and auditors.
    Csv,
    /// A summary and the identities by risk, for tickets and wikis.
    Markdown,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// OCSF Detection Findings (class 2004), for SIEMs.
    Ocsf,
}

impl Format {
    /// Every format, with its name on the command line and its file extension.
    pub const ALL: [(Format, &'static str, &'static str); 6] = [
        (Format::Table, "table", "txt"),
        (Format::Json, "json", "json"),
        (Format::Csv, "csv", "csv"),
        (Format::Markdown, "md", "md"),
        (Format::Sarif, "sarif", "sarif"),
        (Format::Ocsf, "ocsf", "ocsf.json"),
    ];

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(_, n, _)| {
                n.eq_ignore_ascii_case(name)
                    || (*n == "md" && name.eq_ignore_ascii_case("markdown"))
            })
            .map(|(f, _, _)| *f)
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        Format::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("txt", |(_, _, e)| e)
    }
}

/// Writes `report` in `format`.
pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_to(report, format, out)
}

/// `report` in `format`, as bytes (the extension's exports: with the writer type its messages
/// are written with, its WebAssembly holds one build of the JSON writing code, see
/// [`crate::json_out`]).
pub fn to_bytes(report: &Report, format: Format) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    write_to(report, format, &mut out)?;
    Ok(out)
}

fn write_to<W: ?Sized + Write>(report: &Report, format: Format, mut out: &mut W) -> io::Result<()> {
    match format {
        #[cfg(feature = "cli")]
        Format::Table => table::write(report, &TableOptions::default(), &mut out),
        #[cfg(not(feature = "cli"))]
        Format::Table => Err(io::Error::other(
            "the table is written by the command line only",
        )),
        Format::Json => json::write(report, out),
        Format::Csv => csv::write(report, &mut out),
        Format::Markdown => md::write(report, &mut out),
        Format::Sarif => sarif::write(report, out),
        Format::Ocsf => ocsf::write(report, out),
    }
}

/// Writes `report` as a table with options.
#[cfg(feature = "cli")]
pub fn write_table(report: &Report, options: &TableOptions, out: &mut dyn Write) -> io::Result<()> {
    table::write(report, options, out)
}

/// The facts every format shows about an identity, worked out once.
pub(crate) struct Facts<'a> {
    pub owner: Option<&'a Owner>,
    /// How to show the owner, including why there is none.
    pub owner_label: String,
    pub last_used: Option<&'a LastUse>,
    /// How to show last use, including why it is unknown.
    pub last_used_label: &'static str,
    pub oldest_secret_at: Option<Timestamp>,
    /// When the last live credential stops working; `None` when one never does or none is dated.
    pub expires_at: Option<Timestamp>,
    /// `never`, `date` or `unknown`.
    pub expiry: &'static str,
    pub age_days: Option<i64>,
}

pub(crate) fn facts<'a>(a: &Assessment<'a>, now: Timestamp) -> Facts<'a> {
    let identity = a.identity;
    let owner = identity.ownership.primary();
    let owner_label = match owner {
        Some(o) => {
            let status = match o.who.status {
                AccountStatus::Disabled => ", disabled",
                _ => "",
            };
            format!("{} ({}{status})", o.who.name, o.source.as_str())
        }
        None => crate::model::unowned_label(identity.ownership.state(), identity.human).into(),
    };
    let (last_used, last_used_label) = match &identity.usage {
        Usage::Used(u) => (Some(u), ""),
        Usage::Never { .. } => (None, "never"),
        Usage::NotLoaded => (None, "not loaded"),
        Usage::NotRecorded => (None, "not recorded"),
    };
    let live = || {
        identity
            .live_credentials(now)
            .filter(|c| c.kind.is_static_secret())
    };
    let oldest_secret_at = live().filter_map(|c| c.created_at).min();
    let never = live().any(|c| c.expiry == Expiry::Never);
    let latest = live().filter_map(|c| c.expiry.at()).max();
    let (expires_at, expiry) = match (never, latest) {
        (true, _) => (None, "never"),
        (false, Some(at)) => (Some(at), "date"),
        (false, None) => (None, "unknown"),
    };
    Facts {
        owner,
        owner_label,
        last_used,
        last_used_label,
        oldest_secret_at,
        expires_at,
        expiry,
        age_days: identity.created_at.map(|c| days_between(c, now)),
    }
}

/// What tells each finding apart from the rule's other findings on the identity, for the SARIF
/// fingerprint and the OCSF finding UID, which code-scanning dashboards and SIEMs merge findings
/// by: nothing for a rule's only finding (its key is its rule and the identity, as it always
/// was); where the rule found several (NL105 finds one for each holder of a credential), `:` and
/// a hash of what the finding is about (its subject, or else its evidence as the rule wrote it,
/// digits left out), and `:2`, `:3`… after a key an earlier finding has. So each keeps its key while the
/// counts in its evidence change, and whichever of the others comes or goes.
pub(crate) fn finding_suffixes(a: &crate::assess::Assessment<'_>) -> Vec<String> {
    let mut suffixes: Vec<String> = Vec::with_capacity(a.findings.len());
    for finding in a.findings {
        let code = finding.rule.code;
        if a.findings.iter().filter(|f| f.rule.code == code).count() < 2 {
            suffixes.push(String::new());
            continue;
        }
        // Its subject; or the evidence as the rule wrote it (what an acceptance's end adds left
        // out), without its counts and ages.
        let subject: Vec<u8> = match &finding.subject {
            Some(subject) => subject.as_bytes().to_vec(),
            None => {
                let evidence = finding.evidence.as_str();
                let written = evidence.split(" [").next().unwrap_or(evidence);
                written.bytes().filter(|b| !b.is_ascii_digit()).collect()
            }
        };
        let key = format!(":{:08x}", crate::fingerprint::fnv1a(&subject) as u32);
        let taken = a.findings[..suffixes.len()]
            .iter()
            .zip(&suffixes)
            .filter(|(f, s)| f.rule.code == code && s.starts_with(&key))
            .count();
        suffixes.push(if taken == 0 {
            key
        } else {
            format!("{key}:{}", taken + 1)
        });
    }
    suffixes
}

/// The remediation text of a finding's rule.
pub(crate) fn remediation(finding: &Finding) -> &'static str {
    crate::rules::doc(finding.rule.name).map_or("", |d| d.remediation)
}

/// `open`, `accepted` or `allowed`.
pub(crate) fn status(finding: &Finding) -> &'static str {
    match finding.disposition {
        Disposition::Open => "open",
        Disposition::Accepted { .. } => "accepted",
        Disposition::Allowed { .. } => "allowed",
    }
}

/// Why a finding is not open, and until when an acceptance holds (its last day): empty for an
/// open finding, no date for an allowlisted one.
pub(crate) fn disposition_terms(finding: &Finding) -> (&str, String) {
    match &finding.disposition {
        Disposition::Open => ("", String::new()),
        Disposition::Accepted { reason, until } => {
            (reason.as_str(), crate::timestamp::format_date(*until))
        }
        Disposition::Allowed { reason } => (reason.as_str(), String::new()),
    }
}

/// A finding's status with its terms, for one cell or line: `accepted until 2027-03-31: mirror
/// job, replaced in Q1`, `allowed: vendor review`, `open`.
pub(crate) fn status_with_terms(finding: &Finding) -> String {
    let (reason, until) = disposition_terms(finding);
    let mut text = status(finding).to_string();
    if !until.is_empty() {
        text.push_str(" until ");
        text.push_str(&until);
    }
    if !reason.is_empty() {
        text.push_str(": ");
        text.push_str(reason);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Inventory;
    use crate::model::{Identity, Kind, Ownership, Platform, unowned_label};
    use crate::policy::Policy;

    /// The reports say why an identity has no owner in the words of the badges and the side
    /// panel, which take them from the same function.
    #[test]
    fn reports_word_a_missing_owner_as_the_badges_do() {
        let now = time::macros::datetime!(2026-11-29 00:00 UTC);
        let cases = [
            (Ownership::Missing, false, "no owner"),
            (Ownership::NotLoaded, false, "owner not loaded"),
            (Ownership::NotRecorded, false, "owner not recorded"),
            (Ownership::NotRecorded, true, "person"),
        ];
        let identities = cases
            .iter()
            .enumerate()
            .map(|(i, (ownership, human, _))| {
                let mut identity =
                    Identity::new(Platform::Okta, Kind::ApiToken, i.to_string(), "token");
                identity.ownership = ownership.clone();
                identity.human = *human;
                identity
            })
            .collect();
        let inventory = Inventory {
            identities,
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), now);
        assert_eq!(report.assessments().len(), cases.len());
        for a in report.assessments() {
            // The report orders identities by risk: each finds its case by its ID.
            let i: usize = a.identity.native_id.parse().unwrap();
            let (ownership, human, words) = (&cases[i].0, cases[i].1, cases[i].2);
            assert_eq!(facts(&a, now).owner_label, words, "{ownership:?}");
            assert_eq!(unowned_label(ownership.state(), human), words);
        }
    }

    /// Two findings of one rule on one identity (NL105, a token holder's each) are two results
    /// to a code-scanning dashboard and two findings to a SIEM, never merged into one.
    #[test]
    fn sarif_and_ocsf_tell_two_findings_of_one_rule_on_one_identity_apart() {
        use crate::model::{CredentialKind, Expiry};
        use crate::rules::testing::{NOW, credential, workload};
        let mut app = workload(Kind::OauthApp);
        let token = |holder: &str| {
            let mut c = credential(CredentialKind::Token, 10, Expiry::Never);
            c.holder = Some(holder.into());
            c
        };
        app.credentials = vec![token("alice"), token("alice"), token("bob"), token("bob")];
        let inventory = Inventory {
            identities: vec![app],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), NOW);
        let read_as = |report: &crate::Report, format| -> serde_json::Value {
            serde_json::from_slice(&to_bytes(report, format).unwrap()).unwrap()
        };
        let read_from = |report: &crate::Report| read_as(report, Format::Ocsf);
        let sarif = read_as(&report, Format::Sarif);
        let fingerprints: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == "NL105")
            .map(|r| {
                r["partialFingerprints"]["nhiLensFinding/v1"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(fingerprints.len(), 2);
        assert_ne!(fingerprints[0], fingerprints[1]);
        // The OCSF keys of the NL105 findings.
        fn held_uids(ocsf: &serde_json::Value) -> Vec<&str> {
            ocsf.as_array()
                .unwrap()
                .iter()
                .filter(|e| e["metadata"]["event_code"] == "NL105")
                .map(|e| e["finding_info"]["uid"].as_str().unwrap())
                .collect()
        }
        let ocsf = read_from(&report);
        let uids = held_uids(&ocsf);
        let id = report.assessments().next().unwrap().identity.id_in_tenant();
        assert_eq!(uids.len(), 2);
        assert_ne!(uids[0], uids[1]);
        assert!(
            uids.iter()
                .all(|u| u.starts_with(&format!("nhi-lens:NL105:{id}:")))
        );
        // A holder's finding keeps its key when another holder's count changes.
        let bobs = |ocsf: &serde_json::Value| -> String {
            ocsf.as_array()
                .unwrap()
                .iter()
                .find(|e| {
                    e["metadata"]["event_code"] == "NL105"
                        && e["finding_info"]["desc"]
                            .as_str()
                            .unwrap()
                            .contains("for bob")
                })
                .map(|e| e["finding_info"]["uid"].as_str().unwrap().to_string())
                .unwrap()
        };
        let before = bobs(&ocsf);
        let mut app = report.assessments().next().unwrap().identity.clone();
        app.credentials.push(token("alice"));
        let inventory = Inventory {
            identities: vec![app],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), NOW);
        assert_eq!(bobs(&read_from(&report)), before);
        // Holders told apart by a digit alone keep keys of their own.
        let mut app = workload(Kind::OauthApp);
        app.credentials = vec![
            token("ci-bot-1"),
            token("ci-bot-1"),
            token("ci-bot-2"),
            token("ci-bot-2"),
        ];
        let inventory = Inventory {
            identities: vec![app],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), NOW);
        let ocsf = read_from(&report);
        let uids: std::collections::HashSet<&str> = held_uids(&ocsf).into_iter().collect();
        assert_eq!(uids.len(), 2);
    }

    /// A request not approved yet is said to be one in the CSV and Markdown reports, as the JSON's
    /// `pending` and the side panel's tag say.
    #[test]
    fn csv_and_markdown_tell_a_request_from_an_identity_that_acts() {
        let now = time::macros::datetime!(2026-11-29 00:00 UTC);
        let mut request = Identity::new(Platform::Github, Kind::ApiToken, "1", "Requested PAT");
        request.pending = true;
        request.ownership = Ownership::Missing;
        let mut granted = Identity::new(Platform::Github, Kind::ApiToken, "2", "Granted PAT");
        granted.ownership = Ownership::Missing;
        let inventory = Inventory {
            identities: vec![request, granted],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), now);
        let csv = String::from_utf8(to_bytes(&report, Format::Csv).unwrap()).unwrap();
        let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for row in reader.records().map(Result::unwrap) {
            let pending = if &row[col("name")] == "Requested PAT" {
                "true"
            } else {
                "false"
            };
            assert_eq!(&row[col("pending")], pending);
        }
        let md = String::from_utf8(to_bytes(&report, Format::Markdown).unwrap()).unwrap();
        assert_eq!(md.matches("- State: requested, not approved").count(), 1);
    }

    /// The Markdown report says when an identity's permissions were not read, as the badge does.
    #[test]
    fn markdown_says_when_permissions_were_not_read() {
        let now = time::macros::datetime!(2026-11-29 00:00 UTC);
        // Owners missing: each has a finding, and so a section of its own.
        let mut unread = Identity::new(Platform::Okta, Kind::OauthApp, "1", "Unread app");
        unread.ownership = Ownership::Missing;
        unread.grants_unread = true;
        let mut read = Identity::new(Platform::Okta, Kind::OauthApp, "2", "Read app");
        read.ownership = Ownership::Missing;
        let inventory = Inventory {
            identities: vec![unread, read],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), now);
        let md = String::from_utf8(to_bytes(&report, Format::Markdown).unwrap()).unwrap();
        let section = |name: &str| {
            let at = md
                .find(&format!("### {name}"))
                .unwrap_or_else(|| panic!("{md}"));
            md[at..].split("\n| Rule").next().unwrap().to_string()
        };
        let line = format!("- Permissions: {}", crate::model::GRANTS_UNREAD_NOTE);
        assert!(section("Unread app").contains(&line), "{md}");
        assert!(!section("Read app").contains("- Permissions:"), "{md}");
    }

    /// An ID is written in a code span: one that holds a line break (built from a name a
    /// console shows) cannot end it and write Markdown of its own, such as an image a viewer
    /// would fetch.
    #[test]
    fn markdown_keeps_an_id_inside_its_code_span() {
        let now = time::macros::datetime!(2026-11-29 00:00 UTC);
        let id = "0oa1\n\n![t](https://attacker.example/t.png) `x`";
        let mut app = Identity::new(Platform::Okta, Kind::OauthApp, id, "App");
        app.ownership = Ownership::Missing;
        let inventory = Inventory {
            identities: vec![app],
            ..Inventory::default()
        };
        let report = crate::assess(inventory, &Policy::default(), now);
        let md = String::from_utf8(to_bytes(&report, Format::Markdown).unwrap()).unwrap();
        let line = md.lines().find(|l| l.starts_with("- ID: ")).unwrap();
        assert_eq!(
            line,
            "- ID: `okta:oauth_app:0oa1\u{FFFD}\u{FFFD}![t](https://attacker.example/t.png) 'x'`"
        );
        assert!(!md.lines().any(|l| l.starts_with("![t]")), "{md}");
    }
}
