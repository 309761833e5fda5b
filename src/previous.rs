//! An earlier report as the baseline for what changed: `nhi-lens scan --previous report.json`.
//!
//! The report is NHI Lens's own `nhi-lens/1` JSON (from the command line, the extension or the
//! web page). Each identity found in it again gets its earlier grants, which the scope-creep rule
//! compares with today's.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::model::{Grant, Identity, Previous, Timestamp};
use crate::platforms;

/// What an earlier report knew.
#[derive(Debug)]
pub struct Baseline {
    at: Timestamp,
    grants: FxHashMap<String, Vec<Grant>>,
}

#[derive(Deserialize)]
struct Report {
    schema: String,
    #[serde(with = "crate::timestamp::rfc3339")]
    now: Timestamp,
    identities: Vec<ReportIdentity>,
}

#[derive(Deserialize)]
struct ReportIdentity {
    id: String,
    #[serde(default)]
    grants: Vec<Grant>,
    /// Its permissions were not read then: it gives no baseline.
    #[serde(default)]
    grants_unread: bool,
}

impl Baseline {
    /// Reads an earlier `nhi-lens/1` report.
    pub fn read(bytes: &[u8]) -> Result<Baseline, String> {
        let report: Report = serde_json::from_slice(crate::ingest::probe::strip_bom(bytes))
            .map_err(|e| format!("not an NHI Lens JSON report: {e}"))?;
        if !report.schema.starts_with("nhi-lens/") {
            return Err(format!(
                "schema \"{}\" is not an NHI Lens report",
                report.schema
            ));
        }
        let grants = report
            .identities
            .into_iter()
            .filter(|i| !i.grants_unread)
            .map(|i| (i.id, i.grants))
            .collect();
        Ok(Baseline {
            at: report.now,
            grants,
        })
    }

    /// A baseline from grants kept elsewhere (the extension's last review), by identity ID.
    pub fn from_grants(
        at: Timestamp,
        grants: impl IntoIterator<Item = (String, Vec<Grant>)>,
    ) -> Self {
        Baseline {
            at,
            grants: grants.into_iter().collect(),
        }
    }

    /// When the earlier report was made.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// Gives every identity the earlier report knew its grants from then, and notes which of
    /// today's grants those already included through the platform's scope hierarchy.
    pub fn apply(&self, identities: &mut [Identity]) {
        for identity in identities {
            if let Some(grants) = self.grants.get(&identity.id) {
                let covered = covered(identity, grants);
                identity.previous = Some(Box::new(Previous {
                    at: self.at,
                    grants: grants.clone(),
                    covered,
                }));
            }
        }
    }
}

/// Names of `identity`'s grants that a different, broader earlier grant on the same resource
/// already included.
fn covered(identity: &Identity, earlier: &[Grant]) -> Vec<String> {
    identity
        .grants
        .iter()
        .filter(|now| {
            earlier.iter().any(|then| {
                !then.name.eq_ignore_ascii_case(&now.name) && includes(identity, then, now)
            })
        })
        .map(|g| g.name.clone())
        .collect()
}

/// `identity`'s grants that no earlier grant included: neither held then (by name, on the same
/// resource) nor within a broader one held then (a scope narrowed since, `okta.users.manage` to
/// `okta.users.read`, is no growth).
pub fn grown<'a>(identity: &'a Identity, earlier: &[Grant]) -> Vec<&'a Grant> {
    identity
        .grants
        .iter()
        .filter(|now| !earlier.iter().any(|then| includes(identity, then, now)))
        .collect()
}

/// Whether the grant `then` included `now`: the same grant, or a broader one of the platform's
/// scope hierarchy, on the same resource.
fn includes(identity: &Identity, then: &Grant, now: &Grant) -> bool {
    then.resource == now.resource
        && (then.name.eq_ignore_ascii_case(&now.name)
            || platforms::spec(identity.platform)
                .catalogues
                .iter()
                .any(|c| c().covers(&then.name, &now.name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Platform, Tier};

    #[test]
    fn an_earlier_report_gives_identities_their_earlier_grants() {
        let text = r#"{"schema":"nhi-lens/1","now":"2026-08-01T00:00:00Z","identities":[
            {"id":"github:github_app:1","grants":[{"name":"contents:read","tier":"sensitive-read",
             "classified":true,"via":{"type":"direct"},"granted_at":null}]},
            {"id":"github:webhook:2"}]}"#;
        let baseline = Baseline::read(text.as_bytes()).unwrap();
        let mut ids = [
            Identity::new(Platform::Github, Kind::GithubApp, "1", "app"),
            Identity::new(Platform::Github, Kind::GithubApp, "9", "new app"),
        ];
        baseline.apply(&mut ids);
        let previous = ids[0].previous.as_ref().unwrap();
        assert_eq!(previous.grants[0].tier, Tier::SensitiveRead);
        assert!(
            ids[1].previous.is_none(),
            "an identity new since then has no earlier grants"
        );
    }

    #[test]
    fn an_identity_whose_permissions_were_not_read_then_has_no_baseline() {
        let text = r#"{"schema":"nhi-lens/1","now":"2026-08-01T00:00:00Z","identities":[
            {"id":"aws:service_user:arn","grants_unread":true}]}"#;
        let mut ids = [Identity::new(Platform::Aws, Kind::ServiceUser, "arn", "ci")];
        Baseline::read(text.as_bytes()).unwrap().apply(&mut ids);
        assert!(ids[0].previous.is_none(), "its grants would all look new");
    }

    #[test]
    fn a_scope_a_broader_earlier_scope_included_is_covered() {
        let text = r#"{"schema":"nhi-lens/1","now":"2026-08-01T00:00:00Z","identities":[
            {"id":"google:oauth_app:1","grants":[{"name":"drive","tier":"write",
             "classified":true,"via":{"type":"direct"},"granted_at":null}]}]}"#;
        let baseline = Baseline::read(text.as_bytes()).unwrap();
        let mut ids = [Identity::new(Platform::Google, Kind::OauthApp, "1", "app")];
        ids[0].grants = ["drive", "drive.readonly", "gmail.readonly"]
            .map(|n| Grant::new(n, Tier::SensitiveRead, true))
            .to_vec();
        baseline.apply(&mut ids);
        assert_eq!(
            ids[0].previous.as_ref().unwrap().covered,
            ["drive.readonly"]
        );
    }

    #[test]
    fn other_json_is_refused_with_a_reason() {
        assert!(
            Baseline::read(b"[]")
                .unwrap_err()
                .contains("not an NHI Lens")
        );
        let other = br#"{"schema":"sarif","now":"2026-08-01T00:00:00Z","identities":[]}"#;
        assert!(Baseline::read(other).unwrap_err().contains("sarif"));
    }
}
