//! Project conventions, checked rather than remembered: every rule registered, documented,
//! mapped and tested; every code unique; every platform with console URLs and documented formats;
//! the README's rule table generated from the rules.

use std::collections::HashSet;
use std::path::Path;

#[path = "support/aliases.rs"]
mod aliases;
mod common;

use common::files_under;
use nhi_lens::frameworks::frameworks;
use nhi_lens::platforms::{PLATFORMS, formats};
use nhi_lens::rules::{self, RULES};

fn rule_files() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod" && n != "testing")
        .collect();
    names.sort();
    names
}

#[test]
fn every_rule_file_is_registered_and_every_registered_rule_has_a_file() {
    let files: HashSet<String> = rule_files().into_iter().collect();
    let registered: HashSet<String> = RULES.iter().map(|r| r.meta().name.to_string()).collect();
    assert_eq!(
        files, registered,
        "src/rules/*.rs and rules::RULES disagree"
    );
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in RULES {
        let m = rule.meta();
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(
            m.code.len() == 5
                && m.code.starts_with("NL")
                && m.code[2..].chars().all(|c| c.is_ascii_digit()),
            "{} is not NLnnn",
            m.code
        );
        assert!(
            !m.title.is_empty() && !m.title.starts_with("Ensure"),
            "{}: title",
            m.code
        );
    }
    let registry_order: Vec<&str> = RULES.iter().map(|r| r.meta().code).collect();
    let mut sorted = registry_order.clone();
    sorted.sort_unstable();
    assert_eq!(registry_order, sorted, "RULES lists rules in code order");
}

#[test]
fn every_rule_is_documented_in_all_five_sections() {
    for rule in RULES {
        let m = rule.meta();
        let doc =
            rules::doc(m.name).unwrap_or_else(|| panic!("{} has no module documentation", m.name));
        for (section, text) in [
            ("What it does", doc.what_it_does),
            ("Why is this bad?", doc.why_is_this_bad),
            ("Example", doc.example),
            ("Remediation", doc.remediation),
            ("References", doc.references),
        ] {
            assert!(
                text.len() > 20,
                "{} ({}): section \"{section}\" is missing or too short",
                m.code,
                m.name
            );
        }
        assert!(
            doc.references.contains("https://") || doc.references.contains("CIS"),
            "{}: references need a source",
            m.code
        );
        // The detail card shows each name between single backticks as code; any other use of
        // backticks would show as plain text with its marks.
        assert!(
            doc.remediation.matches('`').count().is_multiple_of(2)
                && !doc.remediation.contains("``"),
            "{}: the remediation's backticks are not in single pairs",
            m.code
        );
    }
}

#[test]
fn every_rule_has_fixture_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    for name in rule_files() {
        let source = std::fs::read_to_string(dir.join(format!("{name}.rs"))).unwrap();
        assert!(
            source.contains("#[cfg(test)]"),
            "src/rules/{name}.rs has no test module"
        );
        assert!(
            source.contains("#[test]"),
            "src/rules/{name}.rs has no tests"
        );
    }
}

#[test]
fn every_rule_maps_to_owasp_and_nist_and_mappings_name_real_rules() {
    let fw = frameworks();
    for rule in RULES {
        let code = rule.meta().code;
        assert!(
            !fw.owasp_for(code).is_empty(),
            "{code} maps to no OWASP NHI item"
        );
        assert!(
            !fw.nist_for(code).is_empty(),
            "{code} maps to no NIST CSF subcategory"
        );
    }
    let known: HashSet<&str> = RULES.iter().map(|r| r.meta().code).collect();
    for framework in [fw.owasp, fw.nist] {
        for item in &framework.items {
            for code in &item.rules {
                assert!(
                    known.contains(code.as_str()),
                    "{} {} names unknown rule {code}",
                    framework.framework,
                    item.id
                );
            }
        }
    }
    let owasp: Vec<&str> = fw.owasp.items.iter().map(|i| i.id.as_str()).collect();
    let expected: Vec<String> = (1..=10).map(|n| format!("NHI{n}")).collect();
    assert_eq!(
        owasp, expected,
        "the OWASP NHI Top 10 has ten items, in order"
    );
}

#[test]
fn every_platform_lists_console_urls_and_documented_formats() {
    let mut ids = HashSet::new();
    for spec in PLATFORMS {
        assert!(
            !spec.consoles.is_empty(),
            "{:?} lists no console URLs",
            spec.platform
        );
        // The tenants the platform's own pages read.
        let read_tenants: Vec<String> = spec
            .pages
            .iter()
            .filter_map(|p| nhi_lens::console::page_for(&sample_url(p.url)))
            .map(|(_, _, tenant)| tenant)
            .collect();
        for url in spec.consoles {
            assert!(url.starts_with("https://"), "{url}");
            // Every page of a console is the platform's: one it reads, or elsewhere, for the
            // tenant the URL names, which is one of the platform's pages names (a tenant no page
            // names would never have an inventory to badge from).
            let sample = sample_url(url);
            let (_, platform, tenant) = nhi_lens::console::page_for(&sample)
                .unwrap_or_else(|| panic!("{sample} is no page of {url}"));
            assert_eq!(platform, spec.platform, "{sample}");
            if url.contains("{tenant}") {
                assert_eq!(tenant, sample_tenant(url), "{url}");
            }
            assert!(
                read_tenants.contains(&tenant),
                "{url}: no page of the platform reads the tenant {tenant}"
            );
        }
        assert!(
            !spec.formats.is_empty(),
            "{:?} reads no formats",
            spec.platform
        );
        for f in spec.formats {
            let prefix = format!("{}.", spec.platform.as_str());
            assert!(
                f.id.starts_with(&prefix),
                "{} should start with {prefix}",
                f.id
            );
            assert!(f.doc_url.starts_with("https://"), "{}: doc URL", f.id);
            assert!(ids.insert(f.id), "duplicate format id {}", f.id);
        }
    }
    assert_eq!(ids.len(), formats().count());
}

/// The URL a mock console file answers (`tests/consoles/<host>/<path>.json`, a query written
/// after `@`; see `xtask/src/consoles.rs`).
fn mock_console_url(consoles: &Path, file: &Path) -> String {
    let path = file.strip_prefix(consoles).unwrap().to_string_lossy();
    let path = path
        .strip_suffix(".json")
        .unwrap_or(&path)
        .replacen('@', "?", 1);
    format!("https://{path}")
}

/// A URL path's fixed segments: not `{org}`, `:id`, `*` or a query.
fn path_segments(path: &str) -> Vec<&str> {
    path.split(['?', '#'])
        .next()
        .unwrap()
        .split('/')
        .map(|s| s.trim_end_matches('*'))
        .filter(|s| !s.is_empty() && !s.starts_with('{') && !s.starts_with(':'))
        .collect()
}

/// The extension's worker is built without the readers of `exported_only` formats: every
/// response a mock console serves that a console page's plan keeps, and every page in the tests
/// (what the content script snapshots), must be read by a format the worker has; and the flag
/// must agree with the reader each format names.
#[test]
fn formats_left_out_of_the_extension_are_read_from_no_console() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let consoles = root.join("tests/consoles");
    let pages: Vec<_> = PLATFORMS.iter().flat_map(|p| p.pages).collect();
    let mut files = Vec::new();
    files_under(&consoles, &mut files);
    files_under(&root.join("tests/fixtures"), &mut files);
    let mut console_formats = HashSet::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        let kept = file.starts_with(&consoles) && name.ends_with(".json") && {
            let url = mock_console_url(&consoles, file);
            pages
                .iter()
                .any(|page| nhi_lens::console::keeps_response(page, &url))
        };
        if !kept && !name.ends_with(".html") {
            continue;
        }
        let bytes = std::fs::read(file).unwrap();
        let Ok(shape) = nhi_lens::ingest::probe::probe(&bytes) else {
            continue;
        };
        if let Some(format) = nhi_lens::ingest::detect(&shape) {
            assert!(
                !format.exported_only,
                "{} is read by {}, which is marked exported_only, but a console loads it",
                file.display(),
                format.id
            );
            console_formats.insert(format.id);
        }
    }
    // Every console platform's JSON and every page format was seen, so the check means something.
    for id in [
        "entra.applications",
        "okta.api_tokens",
        "gitlab.access_tokens",
    ] {
        assert!(console_formats.contains(id), "no mock console serves {id}");
    }
    assert!(console_formats.len() >= 25, "{console_formats:?}");

    // An exported-only format's API call is one no console page keeps.
    let kept_paths: Vec<Vec<&str>> = pages
        .iter()
        .flat_map(|page| page.api.iter())
        .map(|pattern| path_segments(pattern.split_once("://").map_or(*pattern, |(_, r)| r)))
        .collect();
    for format in nhi_lens::ingest::formats().filter(|f| f.exported_only) {
        let calls = format.title.split_once("(GET ").map_or("", |(_, r)| r);
        for call in calls.trim_end_matches(')').split(", ") {
            let call = path_segments(call.trim_start_matches("GET "));
            let kept = kept_paths.iter().any(|kept| {
                let mut rest = kept.iter();
                call.iter().all(|segment| rest.any(|k| k == segment))
            });
            assert!(
                call.is_empty() || !kept,
                "{} is marked exported_only, but a console page keeps {call:?}",
                format.id
            );
        }
    }

    // The flag and the reader agree, in each format's definition.
    let mut sources = Vec::new();
    files_under(&root.join("src"), &mut sources);
    let mut flagged = 0;
    for path in sources
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        for definition in text.split("Format {").skip(1) {
            // A definition ends at the first `};` that starts a line.
            let definition = definition.split("\n};").next().unwrap_or(definition);
            let reader = definition.contains("read: read_exported!(");
            let flag = definition.contains("exported_only: true,");
            assert_eq!(
                reader,
                flag,
                "{}: a format marked exported_only reads through read_exported!, and only such a format",
                path.display()
            );
            flagged += usize::from(flag);
        }
    }
    assert_eq!(
        flagged,
        nhi_lens::ingest::formats()
            .filter(|f| f.exported_only)
            .count(),
        "every exported_only format's definition was checked"
    );
}

/// What a pattern's `{segment}` is in a sample URL: the mock repository's name.
const SAMPLE_SEGMENT: &str = "payments";
/// What a pattern's `{scope}` is in a sample URL: the mock Snowsight account's region.
const SAMPLE_SCOPE: &str = "us-west-2";
/// The segments a page of one object has its mock under: the mock repository, and the installed
/// GitHub App whose settings the mock serves.
const MOCK_SEGMENTS: &[&str] = &[SAMPLE_SEGMENT, "31002"];

/// A URL that a page pattern matches, with `acme` as the tenant (and `payments` as a repository
/// or other path segment).
fn sample_url(pattern: &str) -> String {
    pattern
        .replace("{tenant}", "acme")
        .replace("{segment}", SAMPLE_SEGMENT)
        .replace("{scope}", SAMPLE_SCOPE)
        .replace('*', "")
}

/// The tenant a sample URL of `pattern` names: `acme`, within its scope where it has one.
fn sample_tenant(pattern: &str) -> String {
    if pattern.contains("{scope}") {
        format!("{SAMPLE_SCOPE}/acme")
    } else {
        "acme".to_string()
    }
}

/// The mock console file that serves a page URL: `tests/consoles/<host>/<path>`, or the file of
/// the host `aliases.txt` serves it from (see `xtask/src/consoles.rs`).
fn mock_console_file(url: &str) -> std::path::PathBuf {
    let rest = url.split_once("://").unwrap().1;
    let rest = rest.split(['?', '#']).next().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consoles");
    let aliased;
    let rest = match aliases::served_by(&root, rest) {
        Some((alias, target)) => {
            aliased = format!("{target}{}", &rest[alias.len()..]);
            aliased.as_str()
        }
        None => rest,
    };
    if rest.ends_with('/') || !rest.contains('/') {
        root.join(rest.trim_end_matches('/')).join("index.html")
    } else {
        root.join(format!("{rest}.html"))
    }
}

#[test]
fn every_console_page_is_within_the_consoles_and_has_a_reader_and_a_mock() {
    use nhi_lens::console::{Pattern, page_for, plan_for};
    let mut ids = HashSet::new();
    for spec in PLATFORMS {
        let prefix = format!("{}.", spec.platform.as_str());
        for page in spec.pages {
            assert!(
                page.id.starts_with(&prefix),
                "{} should start with {prefix}",
                page.id
            );
            assert!(ids.insert(page.id), "duplicate page id {}", page.id);
            let url = sample_url(page.url);
            assert!(
                spec.consoles
                    .iter()
                    .any(|c| Pattern::new(c).matches(&url).is_some()),
                "{}: {url} is in none of the platform's console URLs",
                page.id
            );
            let (found, platform, tenant) = page_for(&url).expect("the page's own URL is its page");
            assert_eq!(
                (found.id, platform),
                (page.id, spec.platform),
                "{url} is claimed by another page"
            );
            if page.url.contains("{tenant}") {
                assert_eq!(tenant, sample_tenant(page.url), "{}", page.id);
            }
            assert!(
                !page.api.is_empty() || !page.regions.is_empty(),
                "{} captures nothing",
                page.id
            );
            assert!(
                !page.catch_all || page.regions.is_empty(),
                "{}: a catch-all page has no layout to check",
                page.id
            );
            if !page.regions.is_empty() {
                assert!(
                    spec.formats.iter().any(|f| f.id == page.id),
                    "{}: a page read from the DOM needs the HTML format of the same id",
                    page.id
                );
            }
            assert!(plan_for(&url).is_some());
            // A page of one object has its mock under one of the objects the mocks serve.
            let mocks: Vec<_> = MOCK_SEGMENTS
                .iter()
                .map(|segment| mock_console_file(&url.replace(SAMPLE_SEGMENT, segment)))
                .collect();
            assert!(
                mocks.iter().any(|mock| mock.is_file()),
                "{}: no mock console at {}",
                page.id,
                mocks[0].display()
            );
        }
    }
}

#[test]
fn privilege_catalogues_load() {
    // Each catalogue is parsed when first used; a broken file fails here, not in a user's scan.
    // Every platform grants something, so every platform names what its grants are worth.
    for spec in PLATFORMS {
        assert!(
            !spec.catalogues.is_empty(),
            "{} has no privilege catalogue",
            spec.platform.as_str()
        );
        for catalogue in spec.catalogues {
            assert!(
                catalogue().names().count() >= 5,
                "{}'s catalogue is nearly empty",
                spec.platform.as_str()
            );
        }
    }
}

#[test]
fn the_readme_rule_table_is_generated_from_the_rules() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&rules::markdown_table()),
        "README.md's rule table is out of date: run `cargo xtask readme`"
    );
}
