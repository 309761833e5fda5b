//! `cargo xtask test`: everything, in the order that fails fastest.

use std::process::Command;
use std::time::Instant;

use crate::{cargo, exec};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run_all() -> Result<(), String> {
    let cargo = cargo();
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("format", vec!["fmt", "--all", "--", "--check"]),
        (
            "lints",
            vec![
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("native tests", vec!["test", "--workspace"]),
        (
            "the core as the extension's worker builds it (no any-html, no exports)",
            vec![
                "test",
                "-p",
                "nhi-lens",
                "--no-default-features",
                "--test",
                "worker_build",
            ],
        ),
        (
            "wasm32 build of the core",
            vec![
                "build",
                "-p",
                "nhi-lens",
                "--no-default-features",
                "--target",
                WASM_TARGET,
            ],
        ),
        (
            "wasm32 build of the extension and web page crates",
            vec![
                "build",
                "-p",
                "nhi-lens-extension",
                "-p",
                "nhi-lens-www",
                "--target",
                WASM_TARGET,
            ],
        ),
    ];
    check_wasm_target()?;
    for (name, args) in steps {
        let started = Instant::now();
        eprintln!("== {name}");
        exec(&cargo, &args)?;
        eprintln!("== {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    }
    let started = Instant::now();
    eprintln!("== the Yew pages' wasm-bindgen tests, in headless Chromium");
    let status = Command::new(&cargo)
        .args([
            "test",
            "-p",
            "nhi-lens-pages",
            "--target",
            WASM_TARGET,
            "--test",
            "web",
        ])
        .env(
            "CHROMEDRIVER",
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .status()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the pages' browser tests failed ({status})"));
    }
    eprintln!(
        "== the Yew pages' tests: ok in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    eprintln!("== the extension (cargo xtask dist --test)");
    crate::dist::build(true)?;
    eprintln!(
        "== the extension: ok in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    eprintln!("== browser tests");
    exec(&cargo, &["build", "--bin", "nhi-lens"])?;
    crate::browser::run(&[])?;
    eprintln!(
        "== browser tests: ok in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    eprintln!("== demo");
    crate::demo::run(&["--debug", "--no-build", "--headless"].map(String::from))?;
    readme_check()?;
    eprintln!("== all checks passed");
    Ok(())
}

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let result = run_all();
    eprintln!(
        "(cargo xtask test took {:.0}s)",
        started.elapsed().as_secs_f64()
    );
    result
}

fn readme_check() -> Result<(), String> {
    eprintln!("== README rule table");
    crate::readme::run(true)
}

fn check_wasm_target() -> Result<(), String> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match output {
        Ok(out)
            if String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET) =>
        {
            Ok(())
        }
        Ok(_) => Err(format!(
            "the {WASM_TARGET} target is missing: run `rustup target add {WASM_TARGET}` (.ci/run does)"
        )),
        // Without rustup, let cargo say whether the target works.
        Err(_) => Ok(()),
    }
}
