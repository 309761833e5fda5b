//! A worker's first run of its reading code, on a tiny list of its own, as it starts.
//!
//! Chromium compiles a WebAssembly function only when it is first called (in its baseline
//! compiler; the optimizing one follows for functions that run a while). A fresh worker's first
//! console response therefore paid for compiling every function it reaches, on the worker's
//! thread, while the page waited for its badges. Reading two apps as the worker starts compiles
//! those functions then, while the console is still loading. Two apps are far less work than V8
//! lets a function do before it optimizes it (`--wasm-tiering-budget`), so no optimizing compile
//! starts to compete with the page for the cores; measured in the browser, the warm-up takes
//! 45-98 ms and reading the two apps again right after it 0.3-1.2 ms: the rest is compiling.

use nhi_lens::model::Timestamp;
use nhi_lens::protocol::{Annotation, Options, PageStatus, Reply};

use crate::annotate;
use crate::brain::score_texts;
use crate::store::TenantState;

/// Two Microsoft Graph applications in the documented shape: one with a client secret and an
/// application permission, one with a certificate, so that reading, joining, most rules and the
/// badges all run.
const SAMPLE: &str = r#"{"value":[{"id":"0","appId":"a0","createdDateTime":"2020-01-01T00:00:00Z","displayName":"w","passwordCredentials":[{"keyId":"k","displayName":"s","startDateTime":"2020-01-01T00:00:00Z","endDateTime":"2030-01-01T00:00:00Z","hint":"x"}],"requiredResourceAccess":[{"resourceAppId":"00000003-0000-0000-c000-000000000000","resourceAccess":[{"id":"19dbc75e-c2e2-444c-a770-ec69d8559fc7","type":"Role"}]}],"web":{"redirectUris":["http://w"]}},{"id":"1","appId":"a1","displayName":"v","keyCredentials":[{"keyId":"c","type":"AsymmetricX509Cert","usage":"Verify","endDateTime":"2021-01-01T00:00:00Z"}]}]}"#;

/// Reads, scores and badges the sample as a console's response is, and answers the badges as
/// the worker would; the answer is returned for the tests.
pub fn warm_up(now: Timestamp) -> Reply {
    let report = score_texts(
        "",
        &[("graph.microsoft.com/v1.0/applications".to_string(), SAMPLE)],
        &Options::default(),
        &TenantState::default(),
        now,
    );
    let annotations: Vec<Annotation> = report
        .assessments()
        .map(|a| annotate::annotation(&a, now))
        .collect();
    Reply::Annotations {
        tenant: String::new(),
        status: PageStatus::Read {
            identities: annotations.len(),
            partial: false,
        },
        annotations,
        reason_pages: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_read_scored_and_badged() {
        let now = nhi_lens::timestamp::parse("2026-11-30T00:00:00Z").unwrap();
        let Reply::Annotations { annotations, .. } = warm_up(now) else {
            panic!("badges");
        };
        // Both apps are read, and the rules find something in each: the reading and the rules
        // ran, not only the parser.
        assert_eq!(annotations.len(), 2, "{annotations:?}");
        for badge in &annotations {
            assert!(!badge.reasons.is_empty(), "{badge:?}");
        }
    }
}
