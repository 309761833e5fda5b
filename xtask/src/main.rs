//! `cargo xtask <command>`: the project's build orchestration (the alias is in .cargo/config.toml).
//!
//! - `test`: everything the project has: format, lints, native tests, the wasm32 build, the demo.
//! - `demo`: the main job on the bundled demo tenant; reports land in `target/demo/`.
//! - `bench`: criterion benchmarks and the whole-CLI comparison against jq and the parse floor.
//! - `readme [--check]`: regenerate (or check) the README's rule table.

mod bench;
mod browser;
mod consoles;
mod demo;
mod dist;
mod icons;
mod measure;
mod readme;
mod test;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(),
        Some("demo") => demo::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        Some("browser") => browser::run(&args[1..]),
        Some("serve") => consoles::run(&args[1..]),
        Some("readme") => readme::run(args.iter().any(|a| a == "--check")),
        Some("__measure") => measure::child(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <test | demo [--debug] [--headless] [--cli-only] | dist [--test] | browser [FILE...] | bench [--quick] [--no-browser | --browser-only] | serve [--port N] | readme [--check]>";

/// The workspace root (the parent of this crate).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command, echoing it, and fails with its exit status.
pub fn exec(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The `cargo` that runs this xtask.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
