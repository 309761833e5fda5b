//! `cargo xtask dist [--test]`: the Chrome and Firefox extensions in `target/dist/`.
//!
//! The background brain and the Yew pages are built for wasm32 with the `wasm-release` profile,
//! bound with wasm-bindgen (the CLI's version must equal the crate's), shrunk with wasm-opt `-Oz`
//! (npm `binaryen`, installed under `target/tools/` when missing; the worker's code flattened and
//! re-looped first, and shrunk by flow analysis between two rounds), and put next to the static files of `extension/static/` with a manifest
//! generated from the platform table. `--test` also writes `target/dist/chrome-test/`, the same
//! extension allowed on `http://127.0.0.1/*` too, where the mock consoles are served, and
//! `target/dist/firefox-test/` likewise.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::{cargo, exec};

/// wasm-bindgen-cli must be exactly the version of the `wasm-bindgen` crate in Cargo.lock.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// The npm `binaryen` whose wasm-opt reads current Rust output (Debian's is too old). Features
/// come from the module's own target-features section: `--all-features` would let wasm-opt
/// write encodings (compact imports) Chromium 156 refuses to compile.
const BINARYEN: &str = "binaryen@132";
/// The npm `esbuild` that minifies the scripts injected into console pages.
const ESBUILD: &str = "esbuild@0.28.2";

/// Size budgets, in bytes: the 15 KB, 1.5 MB and 1 MB, read as decimal (the stricter
/// reading; 1.5 MiB would allow 72 KB more).
const CONTENT_BUDGET: u64 = 15_000;
const BACKGROUND_BUDGET: u64 = 1_500_000;
const PAGES_BUDGET: u64 = 1_000_000;

/// The extension flavours built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    Chrome,
    ChromeTest,
    Firefox,
    FirefoxTest,
}

impl Flavour {
    fn dir(self) -> &'static str {
        match self {
            Flavour::Chrome => "chrome",
            Flavour::ChromeTest => "chrome-test",
            Flavour::Firefox => "firefox",
            Flavour::FirefoxTest => "firefox-test",
        }
    }

    /// The test builds also run on the loopback address, where the mock consoles are served.
    fn loopback(self) -> bool {
        matches!(self, Flavour::ChromeTest | Flavour::FirefoxTest)
    }
}

/// One wasm crate of the extension.
struct WasmCrate {
    package: &'static str,
    /// The file stem cargo writes.
    stem: &'static str,
    /// The stem of wasm-bindgen's files, which every import of the WebAssembly names as its
    /// module (`./{name}_bg.js`).
    out_name: &'static str,
    /// Where it goes in the extension.
    dir: &'static str,
    budget: u64,
    /// wasm-opt's passes before its `-Oz`.
    passes: &'static [&'static str],
}

const CRATES: &[WasmCrate] = &[
    WasmCrate {
        package: "nhi-lens-extension",
        stem: "nhi_lens_extension",
        // Short: the worker's 26 imports each name their module, 338 bytes fewer than with the
        // crate's name.
        out_name: "brain",
        dir: "background",
        budget: BACKGROUND_BUDGET,
        // Flattened and re-looped, the worker's code is 17 kB smaller after `-Oz` and no slower:
        // its read, join, score and lean report of a 5,000-app page measured alike in Chromium,
        // first runs and warm. Then GUFA (whole-program flow analysis) and `-Oz` again: 2 kB
        // more. `--low-memory-unused` lets wasm-opt fold constant offsets into loads and stores
        // (11 kB): Rust's wasm32 linker puts the 1 MiB stack first, growing down, so the first
        // kilobyte is reached only by a stack that has already overflowed.
        passes: &[
            "--low-memory-unused",
            "--flatten",
            "--rereloop",
            "-Oz",
            "--gufa",
        ],
    },
    WasmCrate {
        package: "nhi-lens-pages",
        stem: "nhi_lens_pages",
        out_name: "nhi_lens_pages",
        dir: "pages",
        budget: PAGES_BUDGET,
        passes: &[],
    },
];

pub fn run(args: &[String]) -> Result<(), String> {
    build(args.iter().any(|a| a == "--test")).map(|_| ())
}

/// A `--config` adding `--remap-path-prefix` flags (to the `.cargo/config.toml` ones, which
/// Cargo's arrays join) that cut the registry's checkout directories from the source paths the
/// WebAssembly names where it may panic: the build carries no path of this machine's, and its
/// size does not change with where Cargo keeps its registry (60 bytes a path, about 4 KB).
fn registry_remap() -> Option<String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let mut flags: Vec<String> = fs::read_dir(home.join("registry/src"))
        .ok()?
        .flatten()
        .map(|index| format!("--remap-path-prefix={}/=", index.path().display()))
        // A TOML literal string holds any path but one with a quote or a control character,
        // whose paths are left as they are.
        .filter(|flag| !flag.contains('\'') && !flag.chars().any(char::is_control))
        .map(|flag| format!("'{flag}'"))
        .collect();
    flags.sort();
    (!flags.is_empty()).then(|| {
        format!(
            "target.wasm32-unknown-unknown.rustflags=[{}]",
            flags.join(", ")
        )
    })
}

/// Builds everything; returns `target/dist/`.
pub fn build(test: bool) -> Result<PathBuf, String> {
    let root = crate::project_root();
    let dist = root.join("target/dist");
    let stage = dist.join("stage");
    let _ = fs::remove_dir_all(&stage);
    fs::create_dir_all(&stage).map_err(|e| e.to_string())?;
    check_wasm_bindgen()?;
    let wasm_opt = wasm_opt(&root)?;

    let crates: Vec<&WasmCrate> = CRATES
        .iter()
        .filter(|c| {
            root.join("extension")
                .join(crate_dir(c))
                .join("Cargo.toml")
                .is_file()
        })
        .collect();
    let mut args = vec![
        "build",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ];
    for c in &crates {
        args.extend(["-p", c.package]);
    }
    let remap = registry_remap();
    if let Some(config) = &remap {
        args.extend(["--config", config]);
    }
    exec(&cargo(), &args)?;
    let mut sizes = Vec::new();
    for c in &crates {
        let input = root
            .join("target/wasm32-unknown-unknown/wasm-release")
            .join(format!("{}.wasm", c.stem));
        let out = stage.join(c.dir);
        exec(
            "wasm-bindgen",
            &[
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                c.out_name,
                "--out-dir",
                &out.to_string_lossy(),
                &input.to_string_lossy(),
            ],
        )?;
        let wasm = out.join(format!("{}_bg.wasm", c.out_name));
        let wasm = wasm.to_string_lossy().into_owned();
        let mut passes = c.passes.to_vec();
        passes.extend([
            "-Oz",
            "--strip-debug",
            "--strip-producers",
            &wasm,
            "-o",
            &wasm,
        ]);
        exec(&wasm_opt.to_string_lossy(), &passes)?;
        sizes.push((
            format!("{}/{}_bg.wasm", c.dir, c.out_name),
            size(&wasm),
            c.budget,
        ));
    }

    let static_dir = root.join("extension/static");
    let esbuild = esbuild(&root)?;
    let mut flavours = vec![Flavour::Chrome, Flavour::Firefox];
    if test {
        flavours.extend([Flavour::ChromeTest, Flavour::FirefoxTest]);
    }
    for flavour in flavours {
        let out = dist.join(flavour.dir());
        let _ = fs::remove_dir_all(&out);
        copy_dir(&static_dir, &out)?;
        copy_dir(&stage, &out)?;
        // The card a self-managed instance's page opens in a window of its own: the same page
        // under a name no web page may load, since Chrome opens the web-accessible card only
        // under its dynamic ID (which the worker is not given).
        fs::copy(out.join("card.html"), out.join(CARD_WINDOW))
            .map_err(|e| format!("{CARD_WINDOW}: {e}"))?;
        for script in ["content.js", "tap.js"] {
            let minified = shipped_script(&esbuild, &static_dir.join(script), flavour.loopback())?;
            if !flavour.loopback() && minified.contains("performance.m") {
                return Err(format!(
                    "the shipped {script} leaves marks on the console's performance timeline"
                ));
            }
            fs::write(out.join(script), minified).map_err(|e| e.to_string())?;
        }
        crate::icons::write(&out, &[16, 32, 48, 128])?;
        let manifest =
            serde_json::to_string_pretty(&manifest(flavour)).map_err(|e| e.to_string())?;
        fs::write(out.join("manifest.json"), manifest + "\n").map_err(|e| e.to_string())?;
    }
    let chrome = dist.join("chrome");
    let content = size(chrome.join("content.js")) + size(chrome.join("tap.js"));
    sizes.insert(0, ("content.js + tap.js".into(), content, CONTENT_BUDGET));

    eprintln!("\n| part | size | budget |\n|---|---:|---:|");
    let mut over = Vec::new();
    for (name, bytes, budget) in &sizes {
        eprintln!("| {name} | {} | {} |", kb(*bytes), kb(*budget));
        if bytes > budget {
            over.push(name.clone());
        }
    }
    eprintln!("\nwrote {}", dist.display());
    if !over.is_empty() {
        // The test build (what `cargo xtask test` checks) fails; a build to try something out
        // says so and goes on.
        let over = over.join(", ");
        if test {
            return Err(format!("over budget: {over}"));
        }
        eprintln!("OVER BUDGET: {over}");
    }
    Ok(dist)
}

/// The scripts injected into every console page ship minified by esbuild: the browser reads
/// them on each page load; the comments and long names are for us, in the source. Only the test
/// builds (`measure`) keep the browser benchmark's marks on the page's performance timeline,
/// which the console's own scripts can read.
fn shipped_script(esbuild: &Path, source: &Path, measure: bool) -> Result<String, String> {
    let out = Command::new(esbuild)
        .arg(source)
        // Written as UTF-8, which browsers require of content scripts, not as `\u` escapes.
        .args(["--minify", "--charset=utf8", "--log-level=warning"])
        .arg(format!("--define:NHI_LENS_MEASURE={measure}"))
        .output()
        .map_err(|e| format!("cannot run esbuild: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "esbuild could not minify {}: {}",
            source.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

fn crate_dir(c: &WasmCrate) -> &'static str {
    match c.dir {
        "background" => ".",
        other => other,
    }
}

/// Bytes as decimal kilobytes, with the exact count: `1,490.9 kB (1490916 B)`.
fn kb(bytes: u64) -> String {
    format!("{:.1} kB ({bytes} B)", bytes as f64 / 1000.0)
}

fn size(path: impl AsRef<Path>) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The card's page as a window opens it (see [`build`]).
const CARD_WINDOW: &str = "card-window.html";

/// The manifest of a flavour, from the platform table.
fn manifest(flavour: Flavour) -> Value {
    let mut matches = nhi_lens::console::manifest_matches();
    if flavour.loopback() {
        matches.push("http://127.0.0.1/*".into());
    }
    let mut manifest = json!({
        "manifest_version": 3,
        "name": "NHI Lens",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Marks every non-human identity in your SaaS admin consoles with its owner, its age and its risk. Scored locally; nothing leaves your browser.",
        // `scripting` registers the content scripts on the self-managed instances the admin adds
        // (a company's own GitLab), whose hosts are asked for one at a time, when added.
        "permissions": ["storage", "unlimitedStorage", "scripting"],
        "host_permissions": matches,
        "optional_host_permissions": ["https://*/*"],
        "content_scripts": [
            {
                "matches": matches,
                "js": ["tap.js"],
                "run_at": "document_start",
                "all_frames": true,
                "world": "MAIN"
            },
            {
                "matches": matches,
                "js": ["content.js"],
                "run_at": "document_start",
                "all_frames": true
            }
        ],
        "action": { "default_title": "NHI Lens", "default_popup": "popup.html", "default_icon": icons() },
        "options_ui": { "page": "options.html", "open_in_tab": true },
        "icons": icons(),
        "web_accessible_resources": [
            { "resources": ["card.html", "pages.js", "pages.css", "pages/*"], "matches": matches }
        ],
        "content_security_policy": {
            "extension_pages": "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"
        }
    });
    let object = manifest.as_object_mut().expect("an object");
    match flavour {
        Flavour::Chrome | Flavour::ChromeTest => {
            // Chrome 148 is the first to copy messages by structured clone instead of
            // JSON.stringify (older ones ignore the key): the extension hands captured responses
            // and large answers over as Blobs, which JSON would turn into `{}`. Firefox always
            // clones.
            object.insert("minimum_chrome_version".into(), json!("148"));
            object.insert("message_serialization".into(), json!("structured_clone"));
            object.insert(
                "background".into(),
                json!({ "service_worker": "background.js", "type": "module" }),
            );
            object.insert(
                "side_panel".into(),
                json!({ "default_path": "sidepanel.html" }),
            );
            object["permissions"]
                .as_array_mut()
                .expect("a list")
                .push(json!("sidePanel"));
            // The card a console page frames is reached only by an ID Chrome makes up each
            // session, which the content script alone is given: no page can frame it for a
            // tenant and identity of its choosing (to have the admin click through a decision),
            // nor tell that NHI Lens is installed.
            object["web_accessible_resources"][0]["use_dynamic_url"] = json!(true);
        }
        Flavour::Firefox | Flavour::FirefoxTest => {
            object.insert(
                "background".into(),
                json!({ "scripts": ["background.js"], "type": "module" }),
            );
            object.insert(
                "sidebar_action".into(),
                json!({ "default_panel": "sidepanel.html", "default_title": "NHI Lens", "default_icon": icons() }),
            );
            object.insert(
                "browser_specific_settings".into(),
                json!({ "gecko": { "id": "nhi-lens@nhi-lens.dev", "strict_min_version": "128.0" } }),
            );
        }
    }
    manifest
}

fn icons() -> Value {
    json!({ "16": "icons/16.png", "32": "icons/32.png", "48": "icons/48.png", "128": "icons/128.png" })
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

fn check_wasm_bindgen() -> Result<(), String> {
    let out = Command::new("wasm-bindgen").arg("--version").output();
    match out {
        Ok(out) if String::from_utf8_lossy(&out.stdout).contains(WASM_BINDGEN_VERSION) => Ok(()),
        Ok(out) => Err(format!(
            "wasm-bindgen {} is installed, the crate needs {WASM_BINDGEN_VERSION}: run `cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}` (.ci/run does)",
            String::from_utf8_lossy(&out.stdout).trim()
        )),
        Err(_) => Err(format!(
            "wasm-bindgen is missing: run `cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}` (.ci/run does)"
        )),
    }
}

/// esbuild from npm, installed under `target/tools/esbuild/` on first use.
fn esbuild(root: &Path) -> Result<PathBuf, String> {
    npm_tool(&root.join("target/tools/esbuild"), ESBUILD, "esbuild")
}

/// wasm-opt from npm `binaryen`, installed under `target/tools/` on first use.
fn wasm_opt(root: &Path) -> Result<PathBuf, String> {
    npm_tool(&root.join("target/tools"), BINARYEN, "wasm-opt")
}

/// The command `bin` of the npm `package` installed under `prefix`, installing it first if it
/// is not there.
fn npm_tool(prefix: &Path, package: &str, bin: &str) -> Result<PathBuf, String> {
    let path = prefix.join("node_modules/.bin").join(bin);
    if !path.is_file() {
        fs::create_dir_all(prefix).map_err(|e| e.to_string())?;
        exec(
            "npm",
            &[
                "install",
                "--prefix",
                &prefix.to_string_lossy(),
                "--no-save",
                "--no-audit",
                "--no-fund",
                package,
            ],
        )?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_caps_captures_as_the_worker_does() {
        let root = crate::project_root();
        for script in ["tap.js", "content.js", "background.js"] {
            let text = fs::read_to_string(root.join("extension/static").join(script)).unwrap();
            let line = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("const MAX_BYTES = "))
                .unwrap_or_else(|| panic!("{script} names no MAX_BYTES"));
            // `64 << 20; // 64 MiB`
            let (count, shift) = line
                .split(';')
                .next()
                .and_then(|cap| cap.split_once("<<"))
                .expect(line);
            let number = |n: &str| n.trim().parse::<usize>().expect(line);
            let cap = number(count) << number(shift);
            assert_eq!(cap, nhi_lens::protocol::MAX_CAPTURE_BYTES, "{script}");
        }
    }

    const FLAVOURS: [Flavour; 4] = [
        Flavour::Chrome,
        Flavour::ChromeTest,
        Flavour::Firefox,
        Flavour::FirefoxTest,
    ];

    fn strings(value: &Value) -> Vec<&str> {
        value
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_manifests_ask_for_the_consoles_and_nothing_broader() {
        let consoles = nhi_lens::console::manifest_matches();
        for flavour in FLAVOURS {
            let manifest = manifest(flavour);
            let mut hosts: Vec<String> = consoles.clone();
            if flavour.loopback() {
                hosts.push("http://127.0.0.1/*".into());
            }
            assert_eq!(strings(&manifest["host_permissions"]), hosts);
            for script in manifest["content_scripts"].as_array().unwrap() {
                assert_eq!(strings(&script["matches"]), hosts);
            }
            for resources in manifest["web_accessible_resources"].as_array().unwrap() {
                assert_eq!(strings(&resources["matches"]), hosts);
            }
            let mut permissions = strings(&manifest["permissions"]);
            permissions.retain(|p| *p != "sidePanel");
            assert_eq!(permissions, ["storage", "unlimitedStorage", "scripting"]);
            // Any other host is asked for only when the admin adds it as a self-managed instance.
            assert_eq!(
                strings(&manifest["optional_host_permissions"]),
                ["https://*/*"]
            );
            let text = manifest.to_string();
            for broad in [
                "<all_urls>",
                "\"tabs\"",
                "\"cookies\"",
                "\"debugger\"",
                "*://*/*",
            ] {
                assert!(!text.contains(broad), "{broad} in {flavour:?}");
            }
            assert_eq!(
                manifest["content_security_policy"]["extension_pages"],
                "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"
            );
            let chrome = matches!(flavour, Flavour::Chrome | Flavour::ChromeTest);
            for resources in manifest["web_accessible_resources"].as_array().unwrap() {
                assert_eq!(resources["use_dynamic_url"] == true, chrome, "{flavour:?}");
            }
        }
    }
}
