//! The browser tests: `tests/browser/*.test.mjs` under Node's test runner, driving Debian's
//! Chromium (playwright-core, from npm) with `target/dist/chrome-test` against the mock consoles,
//! which this process serves on an ephemeral loopback port.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::consoles::Server;
use crate::exec;

/// Where the tests write screenshots, downloads and what they compare.
pub const ARTIFACTS: &str = "target/browser";

/// Installs the test tools if missing (`npm ci` from the committed lock file).
pub fn ensure_node_tools(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let prefix = dir.to_string_lossy().into_owned();
        exec(
            "npm",
            &["ci", "--prefix", &prefix, "--no-audit", "--no-fund"],
        )?;
    }
    if !Path::new(&chromium()).is_file() {
        return Err(format!(
            "Chromium is missing at {}: install Debian's `chromium` (.ci/run does)",
            chromium()
        ));
    }
    Ok(())
}

/// `/usr/bin/chromium`, or `NHI_CHROMIUM`.
pub fn chromium() -> String {
    std::env::var("NHI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Writes every console page of the platform table, for the test that each has a browser test.
fn write_pages(artifacts: &Path) -> Result<(), String> {
    let pages: Vec<_> = nhi_lens::platforms::PLATFORMS
        .iter()
        .flat_map(|spec| spec.pages.iter())
        .map(|p| json!({ "id": p.id, "url": p.url, "title": p.title }))
        .collect();
    std::fs::create_dir_all(artifacts).map_err(|e| e.to_string())?;
    std::fs::write(
        artifacts.join("pages.json"),
        serde_json::to_string_pretty(&pages).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())
}

/// Runs the browser tests (all, or the files named) against a built `target/dist/chrome-test`.
pub fn run(files: &[String]) -> Result<(), String> {
    let root = crate::project_root();
    ensure_node_tools(&root)?;
    let artifacts = root.join(ARTIFACTS);
    write_pages(&artifacts)?;
    let extension = root.join("target/dist/chrome-test");
    if !extension.join("manifest.json").is_file() {
        return Err("target/dist/chrome-test is missing: run `cargo xtask dist --test`".into());
    }
    let server = Server::start(crate::consoles::root(), 0)?;
    let mut command = Command::new("node");
    command
        .current_dir(root.join("tests/browser"))
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .env("NHI_BASE", server.base())
        .env("NHI_EXTENSION", &extension)
        .env("NHI_ARTIFACTS", &artifacts)
        .env("NHI_CHROMIUM", chromium())
        .env("NHI_CLI", root.join("target/debug/nhi-lens"))
        .env("NHI_ROOT", &root);
    // With no files named, Node runs every `*.test.mjs` under the directory.
    command.args(files);
    eprintln!(
        "$ node --test tests/browser (consoles on {})",
        server.base()
    );
    let status = command
        .status()
        .map_err(|e| format!("cannot start node: {e}"))?;
    drop(server);
    if status.success() {
        Ok(())
    } else {
        Err(format!("browser tests failed ({status})"))
    }
}
