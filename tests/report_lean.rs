//! The lean report the extension's side panel reads: with each rule's texts given once beside
//! it, it says everything the full `nhi-lens/1` report says but the details the list never
//! shows, findings' evidence among them (an identity's detail asks for it whole).

use std::path::Path;

use nhi_lens::ingest::Collector;
use nhi_lens::{Policy, Report, report, timestamp};
use serde_json::Value;

/// What a lean report leaves out of each identity.
const DETAILS: [&str; 13] = [
    "sources",
    "approved_by",
    "credentials",
    "grants",
    "publisher",
    "credential_control",
    "vendor_contact",
    "owners",
    "reach",
    "network",
    "endpoint",
    "interactive",
    "root_account",
];

fn demo_report() -> Report {
    let mut collector = Collector::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo");
    let mut files = Vec::new();
    let mut folders = vec![folder];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the demo fixtures exist") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).expect("a readable fixture");
        collector.add(&file.to_string_lossy(), &bytes);
    }
    let now = timestamp::parse("2026-11-29T00:00:00Z").expect("a timestamp");
    nhi_lens::assess(collector.finish(), &Policy::default(), now)
}

#[test]
fn a_lean_report_and_the_rule_texts_make_the_full_report() {
    let report = demo_report();
    assert!(report.len() > 20, "the demo tenant has identities");
    let mut full: Value = serde_json::from_str(&report::to_json_string(&report)).unwrap();
    let mut lean: Value = serde_json::from_str(&report::to_lean_json_string(&report)).unwrap();
    let mut details = 0;
    let mut evidence = 0;
    for identity in full["identities"].as_array_mut().unwrap() {
        for detail in DETAILS {
            details += usize::from(identity.as_object_mut().unwrap().remove(detail).is_some());
        }
        // A finding's evidence too: the identity's own page shows it.
        for finding in identity["findings"].as_array_mut().unwrap() {
            evidence += usize::from(
                finding
                    .as_object_mut()
                    .unwrap()
                    .remove("evidence")
                    .is_some(),
            );
        }
    }
    assert!(evidence > 50, "the full report has the evidence");
    assert!(details > 100, "the full report has the details");
    let texts = report::rule_texts();
    let mut findings = 0;
    for identity in lean["identities"].as_array_mut().unwrap() {
        for finding in identity["findings"].as_array_mut().unwrap() {
            let finding = finding.as_object_mut().unwrap();
            for left_out in ["remediation", "title", "evidence"] {
                assert!(!finding.contains_key(left_out), "{left_out}");
            }
            let text = texts
                .iter()
                .find(|t| finding["rule"] == t.rule.as_str())
                .expect("every finding's rule has its texts");
            finding.insert("title".into(), text.title.clone().into());
            finding.insert("owasp_nhi".into(), text.owasp_nhi.clone().into());
            finding.insert("nist_csf".into(), text.nist_csf.clone().into());
            finding.insert("remediation".into(), text.remediation.clone().into());
            findings += 1;
        }
    }
    assert!(findings > 50, "the demo tenant has findings");
    // Key order aside, the two are the same report.
    assert_eq!(lean, full);
    let full = report::to_json_string(&report);
    let (lean, full) = (report::to_lean_json_string(&report).len(), full.len());
    eprintln!("lean {lean} bytes, full {full} bytes");
    assert!(lean * 2 < full, "the lean report is under half the size");
}

#[test]
fn one_identity_is_written_as_the_full_report_writes_it() {
    let report = demo_report();
    let full: Value = serde_json::from_str(&report::to_json_string(&report)).unwrap();
    for identity in full["identities"].as_array().unwrap() {
        let id = identity["id"].as_str().unwrap();
        let one: Value =
            serde_json::from_str(&report::identity_json_string(&report, id).unwrap()).unwrap();
        assert_eq!(&one, identity);
    }
    assert_eq!(report::identity_json_string(&report, "no:such:id"), None);
}
