//! `cargo xtask demo`: scans the bundled demo tenant with the command line (the risk table, and
//! every report format in `target/demo/`), then runs the built extension in Chromium on the demo
//! consoles (the mock consoles of `tests/consoles/`): with a display it opens the browser; headless
//! it saves screenshots of the annotated pages and the side panel and an export, and prints where.

use std::path::Path;
use std::process::Command;

use crate::{cargo, exec};

/// The demo's "today": fixture dates are written relative to it, so the demo never ages.
pub const DEMO_NOW: &str = "2026-11-29T00:00:00Z";
const DEMO_INPUTS: &str = "tests/fixtures/demo";
const DEMO_POLICY: &str = "tests/fixtures/demo-policy.toml";
const OUT_DIR: &str = "target/demo";
const FORMATS: [(&str, &str); 6] = [
    ("table", "report.txt"),
    ("json", "report.json"),
    ("csv", "report.csv"),
    ("md", "report.md"),
    ("sarif", "report.sarif"),
    ("ocsf", "report.ocsf.json"),
];

pub fn run_demo(debug: bool) -> Result<(), String> {
    let cargo = cargo();
    let mut build = vec!["build", "--quiet", "--bin", "nhi-lens"];
    if !debug {
        build.push("--release");
    }
    exec(&cargo, &build)?;
    let binary = Path::new("target")
        .join(if debug { "debug" } else { "release" })
        .join("nhi-lens");
    std::fs::create_dir_all(OUT_DIR).map_err(|e| format!("cannot create {OUT_DIR}: {e}"))?;

    // The table, on the terminal.
    let status = Command::new(&binary)
        .args([
            "scan",
            "--now",
            DEMO_NOW,
            "--policy",
            DEMO_POLICY,
            DEMO_INPUTS,
        ])
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !status.success() {
        return Err(format!(
            "the demo scan failed ({status}): the demo tenant must read without errors"
        ));
    }
    println!();
    for (format, file) in FORMATS {
        let path = Path::new(OUT_DIR).join(file);
        let path_text = path.display().to_string();
        let status = Command::new(&binary)
            .args([
                "scan",
                "--now",
                DEMO_NOW,
                "--policy",
                DEMO_POLICY,
                "--format",
                format,
                "--output",
                &path_text,
                DEMO_INPUTS,
            ])
            .status()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if !status.success() {
            return Err(format!("writing the {format} report failed ({status})"));
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!("wrote {path_text} ({size} bytes)");
    }
    let json = std::fs::read(Path::new(OUT_DIR).join("report.json")).map_err(|e| e.to_string())?;
    let report: serde_json::Value = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
    let s = &report["summary"];
    println!(
        "demo tenant: {} identities ({} non-human, {} people); critical {}, high {}, medium {}, low {}, none {}; {} input errors",
        s["identities"],
        s["non_human"],
        s["human"],
        s["critical"],
        s["high"],
        s["medium"],
        s["low"],
        s["none"],
        report["errors"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let has = |flag: &str| args.iter().any(|a| a == flag);
    run_demo(has("--debug"))?;
    if has("--cli-only") {
        return Ok(());
    }
    if !has("--no-build") {
        crate::dist::build(true)?;
    }
    browser_demo(has("--headless"))
}

/// The extension on the demo consoles.
fn browser_demo(force_headless: bool) -> Result<(), String> {
    let root = crate::project_root();
    crate::browser::ensure_node_tools(&root)?;
    let server = crate::consoles::Server::start(crate::consoles::root(), 0)?;
    let headed = !force_headless && std::env::var_os("DISPLAY").is_some();
    let status = Command::new("node")
        .arg(root.join("tests/browser/demo.mjs"))
        .current_dir(root.join("tests/browser"))
        .env("NHI_BASE", server.base())
        .env("NHI_EXTENSION", root.join("target/dist/chrome-test"))
        .env("NHI_ARTIFACTS", root.join(crate::browser::ARTIFACTS))
        .env("NHI_CHROMIUM", crate::browser::chromium())
        .env("NHI_DEMO_OUT", root.join(OUT_DIR))
        .env("NHI_DEMO_HEADED", if headed { "1" } else { "0" })
        .status()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the browser demo failed ({status})"))
    }
}
