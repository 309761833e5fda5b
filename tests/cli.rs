//! The `nhi-lens` command line as an admin uses it: the demo tenant, every report format, exit
//! statuses, bad inputs next to good ones, policies, and hostile console text.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-29T00:00:00Z";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn demo() -> PathBuf {
    fixtures().join("demo")
}

fn nhi_lens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhi-lens"))
        .args(args)
        .output()
        .expect("nhi-lens runs")
}

fn scan_json(extra: &[&str], inputs: &[&Path]) -> (Value, i32) {
    let mut args = vec!["scan", "--now", NOW, "--format", "json"];
    args.extend_from_slice(extra);
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    args.extend(inputs.iter().map(String::as_str));
    let out = nhi_lens(&args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code().unwrap())
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nhi-lens-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn identities(report: &Value) -> &Vec<Value> {
    report["identities"].as_array().expect("identities")
}

#[test]
fn the_demo_tenant_reads_cleanly_across_all_ten_platforms() {
    let (report, code) = scan_json(&[], &[&demo()]);
    assert_eq!(code, 0, "errors: {}", report["errors"]);
    assert_eq!(report["schema"], "nhi-lens/1");
    assert_eq!(report["now"], NOW);
    assert!(report["errors"].as_array().unwrap().is_empty());
    let all = identities(&report);
    assert!(all.len() >= 60, "{} identities", all.len());
    // Every platform is there, with good and bad identities alike.
    for spec in nhi_lens::platforms::PLATFORMS {
        let platform = spec.platform.as_str();
        let mine = || all.iter().filter(|i| i["platform"] == platform);
        let flagged = mine()
            .filter(|i| i["risk"]["level"] != "none" && i["risk"]["level"] != "low")
            .count();
        assert!(flagged > 0, "no {platform} identity rated medium or above");
        assert!(
            mine().count() > flagged,
            "every {platform} identity is rated medium or above"
        );
    }
    for level in ["critical", "high", "medium", "low", "none"] {
        assert!(
            all.iter().any(|i| i["risk"]["level"] == level),
            "no {level} identity"
        );
    }
    // Every identity has the contract's fields.
    for i in all {
        for field in [
            "id",
            "platform",
            "kind",
            "name",
            "owner",
            "created_at",
            "last_used_at",
            "oldest_secret_at",
            "expires_at",
            "age_days",
            "risk",
            "findings",
            "sources",
        ] {
            assert!(i.get(field).is_some(), "{} lacks {field}", i["id"]);
        }
        let id = i["id"].as_str().unwrap();
        assert!(id.starts_with(&format!(
            "{}:{}:",
            i["platform"].as_str().unwrap(),
            i["kind"].as_str().unwrap()
        )));
    }
}

#[test]
fn microsoft_first_party_apps_are_listed_but_never_drown_the_report() {
    let (report, _) = scan_json(&[], &[&demo()]);
    let first_party: Vec<&Value> = identities(&report)
        .iter()
        .filter(|i| i["publisher"]["party"] == "first_party")
        .collect();
    assert!(
        first_party.len() >= 20,
        "{} first-party apps",
        first_party.len()
    );
    for app in first_party {
        assert_eq!(
            app["risk"]["level"], "none",
            "{}: {}",
            app["name"], app["findings"]
        );
        assert_eq!(app["owner"]["source"], "vendor");
    }
}

#[test]
fn admin_rights_without_an_owner_or_from_a_third_party_land_high_or_critical() {
    let (report, _) = scan_json(&[], &[&demo()]);
    for i in identities(&report) {
        let findings = i["findings"].as_array().unwrap();
        let has = |code: &str| {
            findings
                .iter()
                .any(|f| f["rule"] == code && f["status"] == "open")
        };
        let unowned_or_third_party = has("NL203")
            || has("NL204")
            || has("NL205")
            || i["publisher"]["party"] == "third_party";
        if has("NL301") && unowned_or_third_party {
            let level = i["risk"]["level"].as_str().unwrap();
            assert!(
                level == "high" || level == "critical",
                "{}: {level}",
                i["name"]
            );
        }
    }
}

#[test]
fn a_fresh_owned_read_only_identity_lands_low_or_none() {
    let dir = tmp_dir("fresh");
    let key = r#"[{"id": 9001, "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDZPlNEptZ5KA5K5LXuNbeulkINljQ6dmESvWBA2Zr1A",
        "url": "https://api.github.com/repos/acme/app/keys/9001", "title": "ci read", "verified": true,
        "created_at": "2026-11-20T10:00:00Z", "read_only": true, "added_by": "alice", "last_used": "2026-11-28T10:00:00Z"}]"#;
    std::fs::write(dir.join("keys.json"), key).unwrap();
    let (report, code) = scan_json(&[], &[&dir]);
    assert_eq!(code, 0);
    let level = identities(&report)[0]["risk"]["level"]
        .as_str()
        .unwrap()
        .to_string();
    // A deploy key never expires (NL101, medium) by GitHub's design; everything else is clean.
    let findings: Vec<&str> = identities(&report)[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(findings, ["NL101"]);
    assert_eq!(level, "medium");
    // The same identity with a short-lived credential (a fine-grained token) is clean.
    let token = r#"[{"id": 1, "owner": {"login": "alice", "id": 1}, "repository_selection": "subset",
        "permissions": {"repository": {"metadata": "read"}}, "access_granted_at": "2026-11-01T00:00:00Z",
        "token_id": 5, "token_name": "reporting", "token_expired": false,
        "token_expires_at": "2027-01-30T00:00:00Z", "token_last_used_at": "2026-11-28T00:00:00Z"}]"#;
    std::fs::write(dir.join("keys.json"), token).unwrap();
    let (report, _) = scan_json(&[], &[&dir]);
    let level = identities(&report)[0]["risk"]["level"].as_str().unwrap();
    assert!(
        level == "none" || level == "low",
        "{level}: {}",
        identities(&report)[0]["findings"]
    );
}

#[test]
fn a_bad_input_is_named_and_loses_nothing_else() {
    let dir = tmp_dir("bad");
    std::fs::copy(demo().join("okta/api-tokens.json"), dir.join("tokens.json")).unwrap();
    std::fs::write(dir.join("notes.txt"), "these are my notes, not an export").unwrap();
    std::fs::write(
        dir.join("cut.json"),
        r#"{"value": [{"appId": "a", "displayName": "x""#,
    )
    .unwrap();
    std::fs::write(dir.join("odd.json"), r#"{"results": [{"colour": "blue"}]}"#).unwrap();
    let (report, code) = scan_json(&[], &[&dir, &dir.join("missing.json")]);
    assert_eq!(code, 2);
    let good = identities(&report)
        .iter()
        .filter(|i| i["platform"] == "okta")
        .count();
    assert_eq!(good, 5, "every token of the good file is reported");
    let errors = report["errors"].as_array().unwrap();
    let reason = |file: &str| -> String {
        errors
            .iter()
            .find(|e| e["source"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        reason("notes.txt").contains("does not know"),
        "{}",
        reason("notes.txt")
    );
    assert!(
        reason("cut.json").contains("ends early"),
        "{}",
        reason("cut.json")
    );
    assert!(
        reason("odd.json").contains("does not know"),
        "{}",
        reason("odd.json")
    );
    assert!(
        reason("missing.json").contains("cannot open"),
        "{}",
        reason("missing.json")
    );

    // The table says the same on standard output, and the exit status is still 2.
    let out = nhi_lens(&["scan", "--now", NOW, dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Could not read (3)"), "{text}");
}

#[test]
fn one_page_of_a_longer_list_without_its_last_page_is_said_to_be_read_in_part() {
    let slack = fixtures().join("slack");
    let first = slack.join("approved_apps_page1.json");
    let (report, code) = scan_json(&[], &[&first]);
    assert_eq!(code, 2);
    assert!(!identities(&report).is_empty(), "its own apps are read");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("response_metadata.next_cursor") && message.contains("last page"),
        "{message}"
    );
    // With a last page of the same list: read whole, as far as the bodies tell.
    let (report, code) = scan_json(&[], &[&first, &slack.join("approved_apps.json")]);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(code, 0);
    // Atlassian's links.next and Google's nextPageToken alike.
    for (platform, file) in [
        ("atlassian", "api_tokens.json"),
        ("google", "service_accounts_page2.json"),
    ] {
        let (report, code) = scan_json(&[], &[&fixtures().join(platform).join(file)]);
        assert_eq!(code, 2, "{file}");
        assert!(
            report["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("one page of a longer list")),
            "{file}: {}",
            report["errors"]
        );
    }
}

#[test]
fn a_salesforce_query_page_is_read_in_part_until_its_last_page_is_given() {
    // The first 500 rows of 502 (queryMore's page size), then the fixture's last page of two.
    let row = |n: usize| {
        format!(
            r#"{{"attributes": {{"type": "OauthToken"}}, "AppName": "App {n}", "UserId": "005Dn{n:013}", "UseCount": 1}}"#
        )
    };
    let first = format!(
        r#"{{"totalSize": 502, "done": false, "nextRecordsUrl": "/services/data/v60.0/query/01gDn00000AbCdE-500", "records": [{}]}}"#,
        (0..500).map(row).collect::<Vec<_>>().join(",")
    );
    let dir = tmp_dir("salesforce-pages");
    std::fs::write(dir.join("oauth_tokens_page1.json"), first).unwrap();
    let (report, code) = scan_json(&[], &[&dir]);
    assert_eq!(code, 2);
    assert_eq!(identities(&report).len(), 500, "its own rows are read");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("nextRecordsUrl") && message.contains("last page"),
        "{message}"
    );
    // With the last page, the list is whole: no warning on the first page (its done is false).
    let last = fixtures().join("salesforce/oauth_tokens_page2.json");
    let (report, code) = scan_json(&[], &[&dir, &last]);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(code, 0);
}

#[test]
fn fail_on_sets_the_exit_status() {
    let aws = demo().join("aws");
    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--fail-on",
        "critical",
        aws.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "the demo root key is critical");
    let okta = demo().join("okta");
    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--fail-on",
        "critical",
        okta.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let out = nhi_lens(&["scan", "--fail-on", "severe", okta.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "a bad option is a usage error");
}

#[test]
fn now_makes_runs_reproducible() {
    let a = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "json",
        demo().to_str().unwrap(),
    ]);
    let b = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "json",
        demo().to_str().unwrap(),
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn every_format_says_why_a_finding_is_accepted_and_until_when() {
    let policy = fixtures().join("demo-policy.toml");
    let scan = |format: &str| {
        let out = nhi_lens(&[
            "scan",
            "--now",
            NOW,
            "--policy",
            policy.to_str().unwrap(),
            "--format",
            format,
            demo().to_str().unwrap(),
        ]);
        String::from_utf8(out.stdout).unwrap()
    };
    let reason = "Jenkins pushes release tags until the move to the acme-ci GitHub App (PLAT-2210)";
    // CSV: the reason and the last day in columns of their own, after the others.
    let csv = scan("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(col("accepted_until"), header.len() - 3);
    assert_eq!(col("tenant"), header.len() - 2);
    assert_eq!(col("pending"), header.len() - 1);
    let accepted: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[col("status")] == "accepted" && r[col("status_reason")].starts_with(reason))
        .collect();
    assert_eq!(accepted.len(), 1, "{csv}");
    assert_eq!(&accepted[0][col("accepted_until")], "2027-03-31");
    // Markdown: beside the severity.
    let md = scan("markdown");
    assert!(
        md.contains("*(accepted until 2027-03-31\\: Jenkins pushes release tags"),
        "{md}"
    );
    // OCSF: in the status detail; an open finding has none, an unowned resource no owner field.
    let events: Value = serde_json::from_str(&scan("ocsf")).unwrap();
    let events = events.as_array().unwrap();
    let detail = format!("accepted until 2027-03-31: {reason}");
    assert!(events.iter().any(|e| {
        e["status_detail"]
            .as_str()
            .is_some_and(|d| d.starts_with(&detail))
    }));
    for e in events {
        assert_eq!(e["status_id"] == 1, e.get("status_detail").is_none(), "{e}");
        assert!(
            e["resources"][0]
                .get("owner")
                .is_none_or(|o| o["name"].is_string())
        );
        let id = e["risk_level_id"].as_u64().unwrap() as usize;
        assert_eq!(
            e["risk_level"],
            ["Info", "Low", "Medium", "High", "Critical"][id]
        );
    }
}

#[test]
fn the_policy_accepts_allows_and_assigns_owners() {
    let policy = fixtures().join("demo-policy.toml");
    let (plain, _) = scan_json(&[], &[&demo()]);
    let (with, code) = scan_json(&["--policy", policy.to_str().unwrap()], &[&demo()]);
    assert_eq!(code, 0);
    let statuses: Vec<&str> = identities(&with)
        .iter()
        .flat_map(|i| i["findings"].as_array().unwrap())
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"accepted"));
    assert!(statuses.contains(&"allowed"));
    for i in identities(&with) {
        for f in i["findings"].as_array().unwrap() {
            if f["status"] != "open" {
                assert_eq!(f["points"], 0, "{}", f);
                assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()));
            }
        }
    }
    let expired = identities(&with)
        .iter()
        .flat_map(|i| i["findings"].as_array().unwrap())
        .any(|f| {
            f["status"] == "open"
                && f["evidence"]
                    .as_str()
                    .unwrap()
                    .contains("acceptance expired")
        });
    assert!(expired, "an expired acceptance counts again and says so");
    let owned_by_policy = |r: &Value| {
        identities(r)
            .iter()
            .filter(|i| i["owner"]["source"] == "policy")
            .count()
    };
    assert_eq!(owned_by_policy(&plain), 0);
    assert!(owned_by_policy(&with) > 0);
    let total = |r: &Value| -> u64 {
        identities(r)
            .iter()
            .map(|i| i["risk"]["score"].as_u64().unwrap())
            .sum()
    };
    assert!(total(&with) < total(&plain));
}

#[test]
fn a_bad_policy_is_refused_with_a_reason() {
    let dir = tmp_dir("policy");
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "[[accept]]\nrule = \"NL999\"\nid = \"x\"\nreason = \"r\"\nexpires = \"2027-01-01\"\n",
    )
    .unwrap();
    let out = nhi_lens(&[
        "scan",
        "--policy",
        policy.to_str().unwrap(),
        demo().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("NL999"), "{err}");
}

/// A GitHub webhook list whose URL host is hostile markup, and an Okta token named like a formula.
fn hostile_inputs() -> PathBuf {
    let dir = tmp_dir("hostile");
    let hooks = r#"[{"id": 7, "url": "https://api.github.com/orgs/acme/hooks/7", "type": "Organization", "name": "web",
        "active": true, "events": ["*"], "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
        "config": {"url": "http://<img src=x onerror=alert(1)>/hook", "content_type": "json", "insecure_ssl": "1"}}]"#;
    std::fs::write(dir.join("hooks.json"), hooks).unwrap();
    let tokens = r#"[{"id": "00T1", "name": "=HYPERLINK(\"http://evil.example\",\"x\") \u001b[31m<script>alert(1)</script>",
        "userId": "00u1", "clientName": "Okta API", "created": "2020-01-01T00:00:00.000Z",
        "expiresAt": "2026-12-20T00:00:00.000Z", "tokenWindow": "P30D", "network": {"connection": "ANYWHERE"}}]"#;
    std::fs::write(dir.join("tokens.json"), tokens).unwrap();
    dir
}

#[test]
fn hostile_console_text_stays_text_in_every_format() {
    let dir = hostile_inputs();
    let run = |format: &str| -> String {
        let out = nhi_lens(&[
            "scan",
            "--now",
            NOW,
            "--format",
            format,
            dir.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run("table");
    assert!(
        !table.contains('\u{1b}'),
        "escape sequences reach the terminal"
    );
    let md = run("md");
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    assert!(md.contains("&lt;script&gt;"));
    let csv = run("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let name_col = header.iter().position(|h| h == "name").unwrap();
    let mut names = 0;
    for row in reader.records() {
        let row = row.unwrap();
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell: {cell}"
            );
        }
        if row[name_col].contains("HYPERLINK") {
            assert!(row[name_col].starts_with("'="));
            names += 1;
        }
    }
    assert!(names > 0);
    // JSON keeps the exact text: escaping is the renderer's job.
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert!(identities(&json).iter().any(|i| {
        i["name"]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")
    }));
}

#[test]
fn permissions_not_read_stay_so_through_a_report_and_give_no_baseline() {
    let aws = fixtures().join("aws");
    let report_only = aws.join("credential_report.csv");
    let (first, _) = scan_json(&[], &[&report_only]);
    let unread = |report: &Value, name: &str| {
        identities(report)
            .iter()
            .find(|i| i["name"] == name)
            .map(|i| i["grants_unread"] == true)
            .unwrap()
    };
    assert!(unread(&first, "ci-deployer"));
    let dir = tmp_dir("unread");
    let saved = dir.join("earlier.json");
    std::fs::write(&saved, serde_json::to_vec(&first).unwrap()).unwrap();
    // Read back from the report, it is still unread; with the policies, it is read.
    let (again, _) = scan_json(&[], &[&saved]);
    assert!(unread(&again, "ci-deployer"));
    let details = aws.join("authorization_details.json");
    let saved_arg = saved.display().to_string();
    let (both, _) = scan_json(&["--previous", &saved_arg], &[&report_only, &details]);
    assert!(!unread(&both, "ci-deployer"));
    // The earlier report did not read them: they did not grow since (NL308).
    let deployer = identities(&both)
        .iter()
        .find(|i| i["name"] == "ci-deployer")
        .unwrap();
    let rules: Vec<&str> = deployer["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"NL308"), "{rules:?}");
    assert!(rules.iter().any(|r| r.starts_with("NL30")), "{rules:?}");

    // The CSV says it in a column of its own, on each of the identity's rows.
    let csv_says = |inputs: &[&Path]| {
        let mut args = vec!["scan", "--now", NOW, "--format", "csv"];
        args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
        let out = nhi_lens(&args);
        let mut reader = csv::Reader::from_reader(&out.stdout[..]);
        let header = reader.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (name, unread) = (col("name"), col("permissions_not_read"));
        let mut said: Vec<String> = reader
            .records()
            .map(Result::unwrap)
            .filter(|r| &r[name] == "ci-deployer")
            .map(|r| r[unread].to_string())
            .collect();
        assert!(!said.is_empty());
        said.dedup();
        said
    };
    assert_eq!(csv_says(&[&report_only]), ["true"]);
    assert_eq!(csv_says(&[&report_only, &details]), ["false"]);
}

#[test]
fn the_markdown_report_writes_each_fix_on_its_line_with_its_code() {
    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "md",
        demo().to_str().unwrap(),
    ]);
    let md = String::from_utf8(out.stdout).unwrap();
    let fixes: Vec<&str> = md.lines().filter(|l| l.starts_with("- Fix (")).collect();
    assert!(fixes.len() > 20, "{md}");
    // The rules' texts are wrapped in their source: no line break became a replacement character.
    assert!(!md.contains('\u{FFFD}'));
    assert!(
        fixes.iter().all(|f| f.ends_with('.') || f.ends_with('`')),
        "{fixes:#?}"
    );
    assert!(
        md.contains("`Application.ReadWrite.OwnedBy` instead of"),
        "{md}"
    );
    assert!(
        !md.contains("GitHub GitHub") && md.contains("· GitHub App ("),
        "{md}"
    );
}

#[test]
fn sarif_and_ocsf_follow_their_schemas() {
    let dir = hostile_inputs();
    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "sarif",
        demo().to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), nhi_lens::rules::RULES.len());
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let location = &r["locations"][0]["logicalLocations"][0];
        assert!(
            location["fullyQualifiedName"]
                .as_str()
                .unwrap()
                .contains(':')
        );
        // GitHub code scanning takes a result only with a physical location on a line; a
        // console's text is never an embedded link.
        let physical = &r["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("nhi/"), "{uri}");
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
        assert_eq!(physical["region"]["startLine"], 1);
        let text = r["message"]["text"].as_str().unwrap();
        assert!(
            !text
                .replace("\\[", "")
                .replace("\\]", "")
                .contains(['[', ']']),
            "{text}"
        );
    }
    // Stable from run to run, one per identity.
    let uris: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    let ids: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris.len(), ids.len());

    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "ocsf",
        demo().to_str().unwrap(),
    ]);
    let events: Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = events.as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        assert_eq!(e["class_uid"], 2004);
        assert_eq!(e["category_uid"], 2);
        assert_eq!(e["type_uid"], 200401);
        assert!((1..=5).contains(&e["severity_id"].as_u64().unwrap()));
        assert!(e["finding_info"]["uid"].as_str().is_some());
        assert!(e["resources"][0]["uid"].as_str().is_some());
        assert!(e["metadata"]["version"].as_str().is_some());
        assert_eq!(e["time"], 1_795_910_400_000_i64);
    }
}

#[test]
fn the_table_fits_100_columns() {
    let out = nhi_lens(&["scan", "--now", NOW, "--all", demo().to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert!(text.contains("Risk: "));
}

#[test]
fn rules_and_formats_are_explained() {
    let out = nhi_lens(&["rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), nhi_lens::rules::RULES.len());
    let out = nhi_lens(&["rules", "NL305"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Root account has an access key") && text.contains("Remediation"));
    assert_eq!(nhi_lens(&["rules", "NL000"]).status.code(), Some(2));
    let out = nhi_lens(&["formats"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for f in nhi_lens::platforms::formats() {
        assert!(text.contains(f.id) && text.contains(f.doc_url), "{}", f.id);
    }
}

#[test]
fn permissions_added_since_an_earlier_report_are_scope_creep() {
    let dir = tmp_dir("creep");
    let then = r#"{"total_count": 1, "installations": [{"id": 77, "app_id": 7, "app_slug": "ci-helper",
        "account": {"login": "acme"}, "repository_selection": "selected", "created_at": "2025-01-01T00:00:00Z",
        "permissions": {"metadata": "read", "contents": "read"}}]}"#;
    let now = then.replace(
        r#""contents": "read""#,
        r#""contents": "read", "administration": "write""#,
    );
    std::fs::create_dir_all(dir.join("then")).unwrap();
    std::fs::create_dir_all(dir.join("now")).unwrap();
    std::fs::write(dir.join("then/installations.json"), then).unwrap();
    std::fs::write(dir.join("now/installations.json"), &now).unwrap();
    let earlier = dir.join("earlier.json");
    let out = nhi_lens(&[
        "scan",
        "--now",
        "2026-08-01",
        "--format",
        "json",
        "-o",
        earlier.to_str().unwrap(),
        dir.join("then").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));

    let (plain, _) = scan_json(&[], &[&dir.join("now")]);
    let (compared, code) = scan_json(
        &["--previous", earlier.to_str().unwrap()],
        &[&dir.join("now")],
    );
    assert_eq!(code, 0);
    let rules = |r: &Value| -> Vec<String> {
        identities(r)[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!rules(&plain).contains(&"NL308".to_string()));
    let creep = identities(&compared)[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "NL308")
        .expect("scope creep reported");
    assert!(
        creep["evidence"]
            .as_str()
            .unwrap()
            .contains("administration:write")
    );
    assert!(
        !creep["evidence"]
            .as_str()
            .unwrap()
            .contains("contents:read")
    );
    assert_eq!(creep["severity"], "high");

    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{}").unwrap();
    let out = nhi_lens(&[
        "scan",
        "--previous",
        junk.to_str().unwrap(),
        dir.join("now").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an NHI Lens"));
}

#[test]
fn a_json_report_read_back_scores_the_same() {
    let dir = tmp_dir("readback");
    let first = dir.join("first.json");
    let out = nhi_lens(&[
        "scan",
        "--now",
        NOW,
        "--format",
        "json",
        "-o",
        first.to_str().unwrap(),
        demo().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (original, _) = scan_json(&[], &[&demo()]);
    let (again, code) = scan_json(&[], &[&first]);
    assert_eq!(code, 0, "{}", again["errors"]);
    assert_eq!(again["inputs"][0]["format"], "nhi_lens.report");
    let scores = |r: &Value| -> Vec<(String, u64, Vec<String>)> {
        let mut v: Vec<_> = identities(r)
            .iter()
            .map(|i| {
                let rules = i["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["rule"].as_str().unwrap().to_string())
                    .collect();
                (
                    i["id"].as_str().unwrap().to_string(),
                    i["risk"]["score"].as_u64().unwrap(),
                    rules,
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(scores(&original), scores(&again));
}
