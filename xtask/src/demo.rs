//! `cargo xtask demo`: scans the bundled demo tenant, prints the risk table, and writes every
//! report format to `target/demo/`.

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
    run_demo(args.iter().any(|a| a == "--debug"))
}
