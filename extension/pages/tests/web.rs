//! The pages in headless Chromium: `cargo test -p nhi-lens-pages --target wasm32-unknown-unknown`
//! (with `CHROMEDRIVER=/usr/bin/chromedriver`). The extension API is a stub that answers with
//! canned `protocol::Reply` JSON and records every request; the pages' own stylesheet is loaded so
//! the virtual table has its real geometry.
#![cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]

use std::cell::RefCell;
use std::rc::Rc;

use nhi_lens::console::Instance;
use nhi_lens::model::Platform;
use nhi_lens::protocol::{
    AllowEntry, Change, JsonText, Options, OwnerMapEntry, PageStatus, PageVisit, Reply, Request,
    TabSummary, TenantSummary,
};
use nhi_lens_pages::pages::{card::Card, options::OptionsPage, popup::Popup, sidepanel::SidePanel};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function install(handler) {
  globalThis.chrome = {
    runtime: {
      sendMessage(message) {
        // As the browser does: the message crosses as structured data, the answer is a Promise
        // (after `__nhiDelay` ms, for a test of what a page shows while it waits).
        const answer = JSON.parse(handler(JSON.stringify(message)));
        const delay = globalThis.__nhiDelay || 0;
        return delay ? new Promise((done) => setTimeout(() => done(answer), delay)) : Promise.resolve(answer);
      },
    },
    // The browser gives a tab's address only on the hosts the extension may read.
    tabs: {
      query: (q) => Promise.resolve(q.active && q.currentWindow ? [{ id: 7, windowId: 1, url: globalThis.__nhiTabUrl }] : []),
      onActivated: { addListener: (f) => { globalThis.__nhiOnActivated = f; } },
    },
    sidePanel: { open: (o) => { globalThis.__nhiSidePanel = JSON.stringify(o); return Promise.resolve(); } },
    permissions: {
      request: (p) => { globalThis.__nhiPermissions.push("request " + p.origins.join(" ")); return Promise.resolve(globalThis.__nhiGrant); },
      remove: (p) => { globalThis.__nhiPermissions.push("remove " + p.origins.join(" ")); return Promise.resolve(true); },
    },
  };
  globalThis.__nhiTabUrl = "https://github.com/organizations/acme/settings/installations";
  globalThis.__nhiSidePanel = null;
  globalThis.__nhiClosed = false;
  globalThis.__nhiPermissions = [];
  globalThis.__nhiGrant = false;
  window.close = () => { globalThis.__nhiClosed = true; };
}
export function leave_the_consoles() { globalThis.__nhiTabUrl = undefined; }
// The admin switches to another tab in a window (the listener the page added, if any, hears it);
// the page's own window is 1.
export function switch_tabs(windowId) { if (globalThis.__nhiOnActivated) globalThis.__nhiOnActivated({ tabId: 7, windowId }); }
export function style(css) {
  if (document.getElementById("nhi-test-style")) return;
  const s = document.createElement("style");
  s.id = "nhi-test-style";
  s.textContent = css;
  document.head.appendChild(s);
}
export function root() {
  localStorage.clear();
  for (const old of document.querySelectorAll(".nhi-test-root")) old.remove();
  const div = document.createElement("div");
  div.className = "nhi-test-root";
  div.style.cssText = "position:fixed;inset:0;z-index:1000;background:var(--bg)";
  document.body.appendChild(div);
  return div;
}
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function count(sel) { return document.querySelectorAll(sel).length; }
export function text(sel) { const e = document.querySelector(sel); return e ? e.textContent : null; }
export function attr(sel, name) { const e = document.querySelector(sel); return e ? e.getAttribute(name) : null; }
export function attrs(sel, name) { return JSON.stringify([...document.querySelectorAll(sel)].map((e) => e.getAttribute(name))); }
export function value(sel) { const e = document.querySelector(sel); return e ? e.value : null; }
export function click(sel) { const e = document.querySelector(sel); if (!e) throw new Error("no " + sel); e.click(); }
export function set_value(sel, value, type) {
  const e = document.querySelector(sel);
  if (!e) throw new Error("no " + sel);
  e.value = value;
  e.dispatchEvent(type === "input" ? new InputEvent("input", { bubbles: true }) : new Event(type, { bubbles: true }));
}
export function set_checked(sel, on) {
  const e = document.querySelector(sel);
  e.checked = on;
  e.dispatchEvent(new Event("change", { bubbles: true }));
}
// A submit event without the browser's own validation (to reach the page's checks).
export function focus(sel) { document.querySelector(sel).focus(); }
export function delay_answers(ms) { globalThis.__nhiDelay = ms; }
export function submit(sel) { document.querySelector(sel).dispatchEvent(new SubmitEvent("submit", { bubbles: true, cancelable: true })); }
export function key(sel, k) {
  const e = document.querySelector(sel);
  e.focus();
  e.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
}
export function focused_attr(name) { return document.activeElement ? document.activeElement.getAttribute(name) : null; }
export function scroll_to(sel, top) { document.querySelector(sel).scrollTop = top; }
export function watch_downloads() {
  globalThis.__nhiDownloads = [];
  if (!globalThis.__nhiWatching) {
    globalThis.__nhiWatching = true;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => { globalThis.__nhiBlob = blob; return create(blob); };
    document.addEventListener("click", (e) => {
      const a = e.target;
      if (a instanceof HTMLAnchorElement && a.hasAttribute("download")) {
        globalThis.__nhiDownloads.push({ href: a.href, download: a.download });
        e.preventDefault();
      }
    }, true);
  }
}
export function downloads() { return JSON.stringify(globalThis.__nhiDownloads || []); }
export async function blob_text() { return globalThis.__nhiBlob ? await globalThis.__nhiBlob.text() : null; }
export function blob_type() { return globalThis.__nhiBlob ? globalThis.__nhiBlob.type : null; }
export function side_panel_opened() { return globalThis.__nhiSidePanel; }
export function grant_hosts(on) { globalThis.__nhiGrant = on; }
export function permissions_asked() { return JSON.stringify(globalThis.__nhiPermissions); }
export function window_closed() { return !!globalThis.__nhiClosed; }
export function watch_messages() {
  globalThis.__nhiMessages = [];
  if (!globalThis.__nhiListening) {
    globalThis.__nhiListening = true;
    window.addEventListener("message", (e) => globalThis.__nhiMessages.push(JSON.stringify(e.data)));
  }
}
export function messages() { return JSON.stringify(globalThis.__nhiMessages || []); }
export function set_hash(h) { history.replaceState(null, "", h); }
export function now_ms() { return performance.now(); }
"#)]
extern "C" {
    fn install(handler: &Closure<dyn Fn(String) -> String>);
    fn style(css: &str);
    /// The active tab is on a host the extension may not read.
    fn leave_the_consoles();
    fn switch_tabs(window_id: u32);
    fn root() -> web_sys::Element;
    async fn sleep(ms: u32);
    fn count(sel: &str) -> u32;
    fn text(sel: &str) -> Option<String>;
    fn attr(sel: &str, name: &str) -> Option<String>;
    fn attrs(sel: &str, name: &str) -> String;
    fn value(sel: &str) -> Option<String>;
    fn click(sel: &str);
    fn set_value(sel: &str, value: &str, event: &str);
    fn set_checked(sel: &str, on: bool);
    fn submit(sel: &str);
    fn focus(sel: &str);
    fn delay_answers(ms: u32);
    fn key(sel: &str, key: &str);
    fn focused_attr(name: &str) -> Option<String>;
    fn scroll_to(sel: &str, top: f64);
    fn watch_downloads();
    fn downloads() -> String;
    async fn blob_text() -> JsValue;
    fn blob_type() -> Option<String>;
    fn side_panel_opened() -> Option<String>;
    fn grant_hosts(on: bool);
    fn permissions_asked() -> String;
    fn window_closed() -> bool;
    fn watch_messages();
    fn messages() -> String;
    fn set_hash(hash: &str);
    fn now_ms() -> f64;
}

/// The storage the extension's pages share (the side panel remembers its tenant there).
fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const CSS: &str = include_str!("../../static/pages.css");

/// The stubbed background: answers each request with `answer`, records every request.
struct Background {
    requests: Rc<RefCell<Vec<Request>>>,
}

impl Background {
    fn install(answer: impl Fn(&Request) -> Reply + 'static) -> Background {
        Background::install_json(move |r| serde_json::to_string(&answer(r)).unwrap())
    }

    /// Answers with ready-made reply JSON (the benchmark keeps the stub's own work out).
    fn install_json(answer: impl Fn(&Request) -> String + 'static) -> Background {
        let requests = Rc::new(RefCell::new(Vec::new()));
        let log = requests.clone();
        let handler = Closure::<dyn Fn(String) -> String>::new(move |json: String| {
            let request: Request =
                serde_json::from_str(&json).expect("the pages send protocol requests");
            let reply = answer(&request);
            log.borrow_mut().push(request);
            reply
        });
        install(&handler);
        handler.forget();
        style(CSS);
        Background { requests }
    }

    fn sent(&self, pred: impl Fn(&Request) -> bool) -> Vec<Request> {
        self.requests
            .borrow()
            .iter()
            .filter(|r| pred(r))
            .cloned()
            .collect()
    }
}

async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..300 {
        if cond() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

fn finding(rule: &str, severity: &str, status: &str) -> Value {
    let mut f = json!({
        "rule": rule, "title": format!("Title of {rule}"), "severity": severity, "points": 20,
        "owasp_nhi": ["NHI7"], "nist_csf": ["PR.AA-01"],
        "evidence": format!("evidence mentions {HOSTILE}"), "remediation": "Rotate it.",
        "status": status
    });
    if status == "accepted" {
        f["reason"] = json!("vendor fix pending");
        f["accepted_until"] = json!("2026-06-30T00:00:00Z");
    }
    f
}

fn identity(i: usize, platform: &str, kind: &str, name: &str, level: &str, score: u8) -> Value {
    json!({
        "id": format!("{platform}:{kind}:{i}"), "platform": platform, "kind": kind, "name": name,
        "native_id": i.to_string(), "human": false, "enabled": true,
        "owner": if i.is_multiple_of(3) { json!({"name": format!("owner{i}"), "status": "active", "source": "explicit"}) } else { Value::Null },
        "owner_state": if i.is_multiple_of(3) { "known" } else { "missing" },
        "created_at": format!("20{:02}-01-01T00:00:00Z", 15 + i % 10),
        "last_used_at": if i.is_multiple_of(2) { json!("2025-12-01T00:00:00Z") } else { Value::Null },
        "last_used_source": if i.is_multiple_of(2) { "audit log" } else { "never" },
        "oldest_secret_at": "2024-03-01T00:00:00Z", "expires_at": null, "expiry": "never",
        "age_days": 400 + i, "risk": {"score": score, "level": level},
        "findings": [finding("NL101", level, "open"), finding("NL205", "low", "open")],
        "sources": ["captured page"]
    })
}

fn report(identities: Vec<Value>) -> Value {
    json!({"schema": "nhi-lens/1", "now": "2026-01-01T00:00:00Z", "identities": identities, "errors": []})
}

fn small_report() -> Value {
    // Deploy Bot was read from the installed Apps list only: its permissions were not read.
    let mut deploy_bot = identity(1, "github", "github_app", "Deploy Bot", "high", 70);
    deploy_bot["grants_unread"] = json!(true);
    // Standup helper is a workspace member's request to install it, not approved yet.
    let mut standup = identity(3, "slack", "bot", "Standup helper", "low", 12);
    standup["pending"] = json!(true);
    report(vec![
        deploy_bot,
        identity(2, "entra", "service_principal", HOSTILE, "critical", 92),
        standup,
        identity(4, "github", "deploy_key", "CI deploy key", "medium", 45),
    ])
}

fn tenants() -> Reply {
    Reply::Tenants {
        tenants: vec![TenantSummary {
            tenant: "acme".into(),
            identities: 4,
            critical: 1,
            high: 1,
            updated_at: "2026-01-01T00:00:00Z".into(),
            unreadable: None,
        }],
    }
}

/// The inventory as the background sends it: lean findings, each rule's texts once beside them.
fn inventory(mut report: Value, pages: Vec<PageVisit>) -> Reply {
    let mut rules: Vec<nhi_lens::report::RuleText> = Vec::new();
    for identity in report["identities"].as_array_mut().unwrap() {
        for finding in identity["findings"].as_array_mut().unwrap() {
            let f = finding.as_object_mut().unwrap();
            let text = nhi_lens::report::RuleText {
                rule: f["rule"].as_str().unwrap().into(),
                title: f.remove("title").unwrap().as_str().unwrap().into(),
                owasp_nhi: serde_json::from_value(f.remove("owasp_nhi").unwrap()).unwrap(),
                nist_csf: serde_json::from_value(f.remove("nist_csf").unwrap()).unwrap(),
                remediation: f.remove("remediation").unwrap().as_str().unwrap().into(),
            };
            if !rules.contains(&text) {
                rules.push(text);
            }
        }
    }
    Reply::Inventory {
        tenant: "acme".into(),
        report: JsonText(report.to_string()),
        rules,
        changes: vec![
            Change::New {
                id: "entra:service_principal:2".into(),
            },
            Change::RiskUp {
                id: "github:github_app:1".into(),
                from: "medium".into(),
                to: "high".into(),
            },
            Change::Removed {
                id: "github:oauth_app:9".into(),
                name: "Old app".into(),
                level: "low".into(),
            },
        ],
        reviewed_at: Some("2025-12-01T00:00:00Z".into()),
        pages,
        updated_at: Some("2025-12-01T00:00:00Z".into()),
        revision: 17,
    }
}

fn standard(request: &Request) -> Reply {
    match request {
        Request::Tenants => tenants(),
        Request::Inventory { .. } => inventory(small_report(), vec![]),
        Request::Identity { id, .. } => Reply::Identity {
            identity: small_report()["identities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == id.as_str())
                .map_or_else(JsonText::null, |i| JsonText(i.to_string())),
            change: None,
        },
        _ => Reply::Done,
    }
}

fn mount_side_panel() -> yew::AppHandle<SidePanel> {
    yew::Renderer::<SidePanel>::with_root(root()).render()
}

fn row_ids() -> Vec<String> {
    serde_json::from_str(&attrs("[data-nhi-row]", "data-id")).unwrap()
}

#[wasm_bindgen_test]
async fn the_side_panel_lists_the_inventory_and_names_stay_text() {
    let bg = Background::install(standard);
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;

    // Highest risk first; the hostile name is text, and no element came out of it.
    assert_eq!(
        row_ids(),
        [
            "entra:service_principal:2",
            "github:github_app:1",
            "github:deploy_key:4",
            "slack:bot:3"
        ]
    );
    assert_eq!(
        attr("[data-nhi-row]", "data-risk").as_deref(),
        Some("critical")
    );
    assert_eq!(text("[data-nhi-row] .name").as_deref(), Some(HOSTILE));
    assert_eq!(count(".nhi-test-root img"), 0);
    assert_eq!(attr("#nhi-tenant", "aria-label").as_deref(), Some("Tenant"));
    assert_eq!(count("#nhi-tenant option"), 1);
    assert_eq!(attr("#nhi-table", "role").as_deref(), Some("table"));
    assert_eq!(attr("#nhi-table", "aria-rowcount").as_deref(), Some("5"));
    // What changed: counts and markers.
    assert_eq!(attr("[data-nhi-changes]", "data-new").as_deref(), Some("1"));
    assert_eq!(
        attr("[data-nhi-changes]", "data-risk-up").as_deref(),
        Some("1")
    );
    assert_eq!(
        attr("[data-nhi-changes]", "data-removed").as_deref(),
        Some("1")
    );
    assert_eq!(
        count("[data-nhi-row][data-changed~=new] [data-nhi-change=new]"),
        1
    );
    assert_eq!(count("[data-nhi-layout-warning]"), 0);
    assert_eq!(
        bg.sent(|r| matches!(r, Request::Inventory { tenant } if tenant == "acme"))
            .len(),
        1
    );
    // Owner or why none; ages.
    assert_eq!(
        text("[data-nhi-row][data-id='slack:bot:3'] .col-owner").as_deref(),
        Some("owner3")
    );
    assert_eq!(
        text("[data-nhi-row][data-id='github:github_app:1'] .col-owner").as_deref(),
        Some("no owner")
    );
    // A request not approved yet is marked as one, and only it.
    assert_eq!(count("[data-nhi-row] [data-nhi-pending]"), 1);
    assert_eq!(
        text("[data-nhi-row][data-id='slack:bot:3'] [data-nhi-pending]").as_deref(),
        Some("request")
    );
    // A risk that leaves privilege out says so beside it, and only there.
    assert_eq!(count("[data-nhi-row] [data-nhi-unread]"), 1);
    assert_eq!(
        attr(
            "[data-nhi-row][data-id='github:github_app:1'] .col-risk [data-nhi-unread]",
            "aria-label"
        )
        .as_deref(),
        Some("permissions not read")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn filters_search_and_sort_change_the_rows() {
    let _bg = Background::install(standard);
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;

    set_value("#nhi-filter-platform", "github", "change");
    wait_for("github rows", || count("[data-nhi-row]") == 2).await;
    assert_eq!(row_ids(), ["github:github_app:1", "github:deploy_key:4"]);
    assert_eq!(attr("#nhi-row-count", "data-count").as_deref(), Some("2"));

    click("[data-nhi-sort=name]");
    wait_for("name order", || row_ids()[0] == "github:deploy_key:4").await;
    click("[data-nhi-sort=name]");
    wait_for("reverse name order", || {
        row_ids()[0] == "github:github_app:1"
    })
    .await;
    assert_eq!(
        attr(".th.col-name", "aria-sort").as_deref(),
        Some("descending")
    );

    click("#nhi-clear-filters");
    wait_for("all rows", || count("[data-nhi-row]") == 4).await;
    // The selects show the cleared filters (a select's shown value is set by an effect, which
    // runs after the render that brought the rows back).
    wait_for("the platform filter cleared", || {
        value("#nhi-filter-platform").as_deref() == Some("")
    })
    .await;
    set_value("#nhi-filter-risk", "critical", "change");
    wait_for("critical rows", || count("[data-nhi-row]") == 1).await;
    assert_eq!(
        attr("[data-nhi-row]", "data-risk").as_deref(),
        Some("critical")
    );

    click("#nhi-clear-filters");
    wait_for("all rows", || count("[data-nhi-row]") == 4).await;
    wait_for("the risk filter cleared", || {
        value("#nhi-filter-risk").as_deref() == Some("")
    })
    .await;
    set_value("#nhi-search", "owner3", "input");
    wait_for("owner search", || count("[data-nhi-row]") == 1).await;
    assert_eq!(row_ids(), ["slack:bot:3"]);

    set_value("#nhi-search", "", "input");
    set_value("#nhi-filter-changed", "any", "change");
    wait_for("changed rows", || count("[data-nhi-row]") == 2).await;
    set_value("#nhi-filter-changed", "", "change");
    click("[data-nhi-changes] button[data-nhi-change=new]");
    wait_for("new rows", || count("[data-nhi-row]") == 1).await;
    assert_eq!(row_ids(), ["entra:service_principal:2"]);

    set_value("#nhi-filter-changed", "", "change");
    set_value("#nhi-filter-owner", "known", "change");
    wait_for("owned rows", || count("[data-nhi-row]") == 1).await;
    set_value("#nhi-filter-owner", "", "change");
    // Never used (odd IDs) since 2016 and 2018; the others used a month ago.
    set_value("#nhi-filter-age", "unused_90_days", "change");
    wait_for("unused rows", || count("[data-nhi-row]") == 2).await;
    // Still in the name's reverse order chosen above.
    assert_eq!(row_ids(), ["slack:bot:3", "github:github_app:1"]);
    set_value("#nhi-filter-age", "", "change");
    set_value("#nhi-filter-kind", "bot", "change");
    wait_for("bots", || count("[data-nhi-row]") == 1).await;
    set_value("#nhi-search", "nothing matches this", "input");
    wait_for("empty view", || count("[data-nhi-empty=filtered]") == 1).await;
    app.destroy();
}

fn big_report(n: usize) -> Value {
    const LEVELS: [(&str, u8); 5] = [
        ("critical", 90),
        ("high", 70),
        ("medium", 45),
        ("low", 15),
        ("none", 0),
    ];
    const PLATFORMS: [(&str, &str); 4] = [
        ("github", "github_app"),
        ("entra", "service_principal"),
        ("okta", "api_token"),
        ("aws", "access_key"),
    ];
    report(
        (0..n)
            .map(|i| {
                let (level, score) = LEVELS[i % 5];
                let (platform, kind) = PLATFORMS[i % 4];
                identity(
                    i,
                    platform,
                    kind,
                    &format!("identity {i:05}"),
                    level,
                    score - (i % 7) as u8 * u8::from(score > 10),
                )
            })
            .collect(),
    )
}

#[wasm_bindgen_test]
async fn ten_thousand_rows_render_a_window_and_scroll() {
    let big = big_report(10_000);
    // The reply JSON is built once, outside the timing.
    let reply_json = serde_json::to_string(&inventory(big, vec![])).unwrap();
    let tenants_json = serde_json::to_string(&tenants()).unwrap();
    console_log!(
        "the 10,000-identity inventory reply is {} KB of JSON",
        reply_json.len() / 1024
    );
    let _bg = Background::install_json(move |r| match r {
        Request::Tenants => tenants_json.clone(),
        Request::Inventory { .. } => reply_json.clone(),
        _ => serde_json::to_string(&Reply::Done).unwrap(),
    });
    let started = now_ms();
    let app = mount_side_panel();
    wait_for("the first rows", || count("[data-nhi-row]") > 0).await;
    let first_render = now_ms() - started;
    web_sys::console::log_1(
        &format!("nhi-lens bench: first render of 10,000 identities (mount → rows in the DOM, including the stubbed message round trip and reading the report): {first_render:.0} ms").into(),
    );
    console_log!("first render of 10,000 identities: {:.0} ms", first_render);

    let drawn = count("[data-nhi-row]");
    assert!(drawn > 10 && drawn < 100, "drew {drawn} rows of 10,000");
    assert_eq!(
        attr("#nhi-table", "aria-rowcount").as_deref(),
        Some("10001")
    );
    assert_eq!(
        attr("#nhi-row-count", "data-count").as_deref(),
        Some("10000")
    );

    // Scroll to the middle: the window moves, and stays small.
    scroll_to("#nhi-table", 5_000.0 * 28.0);
    wait_for("the middle rows", || {
        count("[data-nhi-row][aria-rowindex='5002']") == 1
    })
    .await;
    let drawn = count("[data-nhi-row]");
    assert!(drawn < 100, "drew {drawn} rows after scrolling");

    // From the keyboard: one tab stop in the list, and the focus follows Home, End and pages
    // into rows not drawn yet, never dropped with a row the list scrolled away.
    assert_eq!(count("[data-nhi-row][tabindex='0']"), 1);
    let focused_row = || {
        focused_attr("aria-rowindex")
            .and_then(|i| i.parse::<usize>().ok())
            .unwrap_or(0)
    };
    key("[data-nhi-row][aria-rowindex='5002']", "End");
    wait_for("the last row focused", || focused_row() == 10_001).await;
    key("[data-nhi-row][aria-rowindex='10001']", "PageUp");
    wait_for("a page up", || (9_980..10_001).contains(&focused_row())).await;
    let from = focused_row();
    key(
        &format!("[data-nhi-row][aria-rowindex='{from}']"),
        "ArrowUp",
    );
    wait_for("a row up", || focused_row() == from - 1).await;
    key(
        &format!("[data-nhi-row][aria-rowindex='{}']", from - 1),
        "Home",
    );
    wait_for("the first row focused", || focused_row() == 2).await;
    key("[data-nhi-row][aria-rowindex='2']", "PageDown");
    wait_for("a page down", || (3..30).contains(&focused_row())).await;

    // Sorting 10,000 rows re-renders the window.
    let t = now_ms();
    click("[data-nhi-sort=name]");
    wait_for("sorted", || {
        attr(".th.col-name", "aria-sort").as_deref() == Some("ascending")
    })
    .await;
    console_log!("sort of 10,000 identities by name: {:.0} ms", now_ms() - t);
    let t = now_ms();
    set_value("#nhi-search", "identity 09990", "input");
    wait_for("searched", || {
        attr("#nhi-row-count", "data-count").as_deref() == Some("1")
    })
    .await;
    console_log!("search of 10,000 identities: {:.0} ms", now_ms() - t);
    app.destroy();
}

#[wasm_bindgen_test]
async fn export_downloads_the_replys_text_as_a_blob() {
    let bg = Background::install(|r| match r {
        Request::Export { .. } => Reply::Export {
            filename: "nhi-lens-acme.sarif".into(),
            mime: "application/sarif+json".into(),
            text: "{\"version\":\"2.1.0\"}".into(),
            unread: 0,
        },
        other => standard(other),
    });
    watch_downloads();
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;

    set_value("#nhi-filter-platform", "github", "change");
    wait_for("github rows", || count("[data-nhi-row]") == 2).await;
    set_value("#nhi-export-format", "sarif", "change");
    set_value("#nhi-export-scope", "view", "change");
    click("#nhi-export");
    wait_for("a download", || downloads() != "[]").await;

    let sent = bg.sent(|r| matches!(r, Request::Export { .. }));
    assert_eq!(
        sent,
        [Request::Export {
            tenant: Some("acme".into()),
            format: "sarif".into(),
            ids: Some(vec![
                "github:github_app:1".into(),
                "github:deploy_key:4".into()
            ]),
        }]
    );
    let d: Vec<Value> = serde_json::from_str(&downloads()).unwrap();
    assert_eq!(d[0]["download"], "nhi-lens-acme.sarif");
    assert!(d[0]["href"].as_str().unwrap().starts_with("blob:"));
    assert_eq!(
        blob_text().await.as_string().as_deref(),
        Some("{\"version\":\"2.1.0\"}")
    );
    assert_eq!(blob_type().as_deref(), Some("application/sarif+json"));

    // Every tenant: no tenant, no IDs.
    set_value("#nhi-export-scope", "all", "change");
    click("#nhi-export");
    wait_for("a second download", || {
        serde_json::from_str::<Vec<Value>>(&downloads())
            .unwrap()
            .len()
            == 2
    })
    .await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::Export { .. }))[1],
        Request::Export {
            tenant: None,
            format: "sarif".into(),
            ids: None
        }
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_changed_layout_is_a_warning_not_an_all_clear() {
    let _bg = Background::install(|r| match r {
        Request::Inventory { .. } => inventory(
            report(vec![]),
            vec![PageVisit {
                url: "https://github.com/organizations/acme/settings/installations".into(),
                page: "github.installations".into(),
                status: PageStatus::LayoutChanged {
                    detail: "the installations list was not found".into(),
                },
                // Long before any clock the tests run by.
                at: "2020-01-01T00:00:00Z".into(),
                sources: Vec::new(),
            }],
        ),
        other => standard(other),
    });
    let app = mount_side_panel();
    wait_for("the warning", || count("[data-nhi-layout-warning]") == 1).await;
    let warning = text("[data-nhi-layout-warning]").unwrap();
    assert!(warning.contains("this console page changed; the adapter may be out of date"));
    assert!(warning.contains("a console shown in another language reads as changed"));
    let page = text(".nhi-test-root").unwrap().to_lowercase();
    assert!(!page.contains("no risk"), "{page}");
    assert_eq!(count("[data-nhi-empty=unreadable]"), 1);
    // Read long ago (by the browser's clock): the panel says so.
    assert_eq!(attr("#nhi-read-at", "data-stale").as_deref(), Some("true"));
    assert!(text("#nhi-read-at").is_some_and(|t| t.contains("open its pages again")));
    app.destroy();
}

#[wasm_bindgen_test]
async fn an_inventory_read_today_says_so_without_a_warning() {
    let today = js_sys::Date::new_0().to_iso_string().as_string().unwrap();
    let _bg = Background::install(move |r| match r {
        Request::Inventory { .. } => inventory(
            small_report(),
            vec![PageVisit {
                url: "https://github.com/organizations/acme/settings/installations".into(),
                page: "github.installations".into(),
                status: PageStatus::Read {
                    identities: 4,
                    partial: false,
                },
                at: today.clone(),
                sources: Vec::new(),
            }],
        ),
        other => standard(other),
    });
    let app = mount_side_panel();
    wait_for("the read line", || count("#nhi-read-at") == 1).await;
    assert_eq!(attr("#nhi-read-at", "data-stale").as_deref(), Some("false"));
    assert_eq!(
        text("#nhi-read-at").as_deref(),
        Some("Read from the console today")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_detail_shows_findings_and_runs_the_actions() {
    let accepted = Rc::new(RefCell::new(false));
    let flag = accepted.clone();
    let bg = Background::install(move |r| match r {
        Request::AcceptRisk { .. } => {
            *flag.borrow_mut() = true;
            Reply::Done
        }
        Request::WithdrawAcceptance { .. } => {
            *flag.borrow_mut() = false;
            Reply::Done
        }
        Request::Identity { id, .. } if id == "github:github_app:1" => {
            let mut i = identity(1, "github", "github_app", "Deploy Bot", "high", 70);
            i["grants_unread"] = json!(true);
            if *flag.borrow() {
                i["findings"][0] = finding("NL101", "high", "accepted");
                i["risk"] = json!({"score": 20, "level": "low"});
            }
            Reply::Identity {
                identity: JsonText(i.to_string()),
                change: None,
            }
        }
        other => standard(other),
    });
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;

    // Keyboard: Enter on a focused row opens its detail.
    key("[data-nhi-row][data-id='github:github_app:1']", "Enter");
    wait_for("the detail", || count("#nhi-detail") == 1).await;
    assert_eq!(text("#nhi-detail-title").as_deref(), Some("Deploy Bot"));
    assert_eq!(count("[data-nhi-finding]"), 2);
    let f = text("[data-nhi-finding=NL101]").unwrap();
    assert!(
        f.contains("NHI7")
            && f.contains("PR.AA-01")
            && f.contains("Rotate it.")
            && f.contains(HOSTILE)
    );
    assert_eq!(count("#nhi-detail img"), 0);
    let facts = text("#nhi-detail .facts").unwrap();
    assert!(
        facts.contains(&format!(
            "Permissions{}",
            nhi_lens::model::GRANTS_UNREAD_NOTE
        )),
        "{facts}"
    );
    assert!(
        text("[data-nhi-detail-changes]")
            .unwrap()
            .contains("from medium to high")
    );

    // The acceptance form from the keyboard: Escape cancels it alone, keeping the detail, and
    // the focus goes back to its button.
    click("[data-nhi-accept=NL101]");
    wait_for("the acceptance form", || count("#nhi-accept-reason") == 1).await;
    key("#nhi-accept-reason", "Escape");
    wait_for("the form cancelled", || count("#nhi-accept-reason") == 0).await;
    assert_eq!(count("#nhi-detail"), 1);
    wait_for("the focus on its button", || {
        focused_attr("data-nhi-accept").as_deref() == Some("NL101")
    })
    .await;
    // A reason left blank is marked on its field, which takes the focus.
    click("[data-nhi-accept=NL101]");
    wait_for("the acceptance form", || count("#nhi-accept-reason") == 1).await;
    set_value("#nhi-accept-reason", "   ", "input");
    focus("#nhi-accept-submit");
    submit(".accept-form");
    wait_for("the reason marked", || {
        attr("#nhi-accept-reason", "aria-invalid").as_deref() == Some("true")
    })
    .await;
    assert_eq!(focused_attr("id").as_deref(), Some("nhi-accept-reason"));
    assert_eq!(
        attr("#nhi-accept-reason", "aria-describedby").as_deref(),
        Some("nhi-detail-status")
    );

    // Accept a finding's risk.
    assert_eq!(attr("#nhi-accept-expires", "type").as_deref(), Some("date"));
    set_value("#nhi-accept-reason", "vendor fix pending", "input");
    set_value("#nhi-accept-expires", "2026-06-30", "input");
    click("#nhi-accept-submit");
    wait_for("accepted", || {
        attr("[data-nhi-finding=NL101]", "data-status").as_deref() == Some("accepted")
    })
    .await;
    assert!(
        text("[data-nhi-finding=NL101]")
            .unwrap()
            .contains("Accepted until 2026-06-30")
    );
    assert_eq!(
        bg.sent(|r| matches!(r, Request::AcceptRisk { .. })),
        [Request::AcceptRisk {
            tenant: "acme".into(),
            id: "github:github_app:1".into(),
            rule: "NL101".into(),
            reason: "vendor fix pending".into(),
            expires: "2026-06-30".into(),
        }]
    );
    // The table row follows: its risk is now low.
    wait_for("the updated row", || {
        attr("[data-nhi-row][data-id='github:github_app:1']", "data-risk").as_deref() == Some("low")
    })
    .await;

    // Withdraw it.
    click("[data-nhi-withdraw=NL101]");
    wait_for("withdrawn", || {
        attr("[data-nhi-finding=NL101]", "data-status").as_deref() == Some("open")
    })
    .await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::WithdrawAcceptance { rule, .. } if rule == "NL101"))
            .len(),
        1
    );

    // An acceptance needs a reason (the browser's own validation stops the form) and a future date.
    click("[data-nhi-accept=NL205]");
    wait_for("the acceptance form", || count("#nhi-accept-reason") == 1).await;
    click("#nhi-accept-submit");
    sleep(50).await;
    set_value("#nhi-accept-reason", "later", "input");
    set_value("#nhi-accept-expires", "2020-01-01", "input");
    submit("[data-nhi-accept-form]");
    wait_for("the refusal", || {
        text("#nhi-detail-status")
            .unwrap_or_default()
            .contains("after today")
    })
    .await;
    // The acceptance form's status is shown where it is written, the owner field's beside it.
    assert_eq!(count("[data-nhi-owner-status]"), 0);
    assert_eq!(count("#nhi-detail-status .visually-hidden"), 0);
    assert_eq!(
        bg.sent(|r| matches!(r, Request::AcceptRisk { .. })).len(),
        1
    );

    // The owner shown, saved as it is, is not assigned over how it is known.
    let shown = value("#nhi-owner-input");
    click("#nhi-owner-save");
    wait_for("unchanged", || {
        text("#nhi-detail-status").as_deref() == Some("Owner unchanged.")
    })
    .await;
    assert!(
        bg.sent(|r| matches!(r, Request::AssignOwner { .. }))
            .is_empty(),
        "{shown:?}"
    );

    // Assign an owner, with Enter in its field: the field keeps the keyboard's focus through the
    // request (a field disabled while it is out dropped it to the page).
    set_value("#nhi-owner-input", "platform-team", "input");
    focus("#nhi-owner-input");
    delay_answers(200);
    submit(".owner-form");
    wait_for("busy", || {
        attr("#nhi-owner-save", "aria-disabled").is_some()
    })
    .await;
    assert_eq!(focused_attr("id").as_deref(), Some("nhi-owner-input"));
    wait_for("assigned", || {
        text("#nhi-detail-status").as_deref() == Some("Owner assigned.")
    })
    .await;
    assert_eq!(
        text("form.owner-form [data-nhi-owner-status]").as_deref(),
        Some("Owner assigned.")
    );
    assert_eq!(count("#nhi-detail-status > .visually-hidden"), 1);
    assert_eq!(
        attr("#nhi-owner-input", "aria-describedby").as_deref(),
        Some("nhi-detail-status")
    );
    delay_answers(0);
    assert_eq!(focused_attr("id").as_deref(), Some("nhi-owner-input"));
    assert!(
        !bg.sent(|r| matches!(r, Request::AssignOwner { .. }))
            .is_empty()
    );
    assert_eq!(
        bg.sent(|r| matches!(r, Request::AssignOwner { .. })),
        [Request::AssignOwner {
            tenant: "acme".into(),
            id: "github:github_app:1".into(),
            owner: "platform-team".into()
        }]
    );

    // The panel behind the open detail is out of the keyboard's reach.
    assert_eq!(count(".behind[inert] #nhi-search"), 1);
    assert_eq!(count(".behind[inert] #nhi-detail"), 0);
    // Escape cancels the acceptance form left open above, then closes the detail and gives the
    // focus back to the row.
    assert_eq!(count("#nhi-accept-reason"), 1);
    key("#nhi-detail", "Escape");
    wait_for("the form cancelled", || count("#nhi-accept-reason") == 0).await;
    assert_eq!(count("#nhi-detail"), 1);
    key("#nhi-detail", "Escape");
    wait_for("closed", || count("#nhi-detail") == 0).await;
    assert_eq!(count(".behind[inert]"), 0);
    wait_for("focus back on the row", || {
        focused_attr("data-id").as_deref() == Some("github:github_app:1")
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_detail_asks_for_its_identity_whole_for_the_evidence_the_list_leaves_out() {
    // The inventory as the worker writes it for the list: findings without their evidence.
    let bg = Background::install(|r| match r {
        Request::Inventory { .. } => {
            let mut report = small_report();
            for i in report["identities"].as_array_mut().unwrap() {
                for f in i["findings"].as_array_mut().unwrap() {
                    f.as_object_mut().unwrap().remove("evidence");
                }
            }
            inventory(report, vec![])
        }
        other => standard(other),
    });
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;
    key("[data-nhi-row][data-id='github:github_app:1']", "Enter");
    wait_for("the detail", || count("#nhi-detail") == 1).await;
    wait_for("the evidence", || {
        text("[data-nhi-finding=NL101]").is_some_and(|t| t.contains("evidence mentions"))
    })
    .await;
    assert_eq!(count("#nhi-detail img"), 0);
    assert_eq!(
        bg.sent(|r| matches!(r, Request::Identity { .. })),
        [Request::Identity {
            tenant: "acme".into(),
            id: "github:github_app:1".into()
        }]
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn mark_reviewed_asks_and_reads_the_inventory_again() {
    let bg = Background::install(standard);
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;
    click("#nhi-mark-reviewed");
    wait_for("the second inventory", || {
        bg.sent(|r| matches!(r, Request::Inventory { .. })).len() == 2
    })
    .await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::MarkReviewed { .. })),
        // Of the inventory shown, by its revision.
        [Request::MarkReviewed {
            tenant: "acme".into(),
            seen: Some(17),
        }]
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn without_tenants_the_panel_says_where_to_go_and_errors_are_shown() {
    let _bg = Background::install(|r| match r {
        Request::Tenants => Reply::Tenants { tenants: vec![] },
        _ => Reply::Done,
    });
    let app = mount_side_panel();
    wait_for("the empty state", || {
        count("[data-nhi-empty=no-tenants]") == 1
    })
    .await;
    assert!(
        text("[data-nhi-empty]")
            .unwrap()
            .contains("Open a supported console page")
    );
    app.destroy();

    let _bg = Background::install(|r| match r {
        Request::Tenants => tenants(),
        _ => Reply::Error {
            message: "storage is unavailable".into(),
        },
    });
    let app = mount_side_panel();
    wait_for("the error", || count("[data-nhi-error]") == 1).await;
    assert_eq!(
        text("[data-nhi-error]").as_deref(),
        Some("storage is unavailable")
    );
    app.destroy();
}

/// The standard answers, but for a list of these two tenants.
fn two_tenants(names: [&str; 2], request: &Request) -> Reply {
    match request {
        Request::Tenants => Reply::Tenants {
            tenants: names
                .map(|t| TenantSummary {
                    tenant: t.into(),
                    identities: 4,
                    critical: 0,
                    high: 0,
                    updated_at: "2026-01-01T00:00:00Z".into(),
                    unreadable: None,
                })
                .to_vec(),
        },
        other => standard(other),
    }
}

#[wasm_bindgen_test]
async fn the_remembered_tenant_is_shown_again() {
    let bg = Background::install(|r| two_tenants(["acme", "globex"], r));
    let app = mount_side_panel();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;
    set_value("#nhi-tenant", "globex", "change");
    wait_for("globex asked", || {
        !bg.sent(|r| matches!(r, Request::Inventory { tenant } if tenant == "globex"))
            .is_empty()
    })
    .await;
    app.destroy();
    // root() clears localStorage: check what was remembered before mounting again.
    let remembered = storage()
        .get_item(nhi_lens_pages::panel::TENANT_KEY)
        .unwrap();
    assert_eq!(remembered.as_deref(), Some("globex"));
}

#[wasm_bindgen_test]
async fn the_remembered_tenant_is_asked_for_once_as_the_panel_opens() {
    let bg = Background::install(|r| two_tenants(["globex", "acme"], r));
    let root = root();
    storage()
        .set_item(nhi_lens_pages::panel::TENANT_KEY, "acme")
        .unwrap();
    let app = yew::Renderer::<SidePanel>::with_root(root).render();
    wait_for("rows", || count("[data-nhi-row]") == 4).await;
    // Not the list's first: the one remembered (the chooser shows it once the list is in, which
    // may come after the rows the early request drew).
    wait_for("the remembered tenant chosen", || {
        value("#nhi-tenant").as_deref() == Some("acme")
    })
    .await;
    // Give a second request the time to be made, had the tenant list asked again.
    sleep(100).await;
    let asked = bg.sent(|r| matches!(r, Request::Inventory { .. }));
    assert_eq!(
        asked,
        [Request::Inventory {
            tenant: "acme".into()
        }]
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_panel_shows_the_tenant_of_the_console_in_the_active_tab() {
    // The active tab shows globex's console; acme is the tenant remembered.
    let in_tab = Rc::new(RefCell::new("globex".to_string()));
    let bg = Background::install({
        let in_tab = in_tab.clone();
        move |r| match r {
            Request::TabSummary { .. } => Reply::TabSummary {
                summary: Some(TabSummary::uncounted(
                    in_tab.borrow().clone(),
                    "github.installations_page".into(),
                    PageStatus::Read {
                        identities: 4,
                        partial: false,
                    },
                )),
            },
            // Each tenant's inventory, as its own.
            Request::Inventory { tenant } => {
                let mut reply = inventory(small_report(), vec![]);
                if let Reply::Inventory { tenant: of, .. } = &mut reply {
                    *of = tenant.clone();
                }
                reply
            }
            other => two_tenants(["acme", "globex"], other),
        }
    });
    let root = root();
    storage()
        .set_item(nhi_lens_pages::panel::TENANT_KEY, "acme")
        .unwrap();
    let app = yew::Renderer::<SidePanel>::with_root(root).render();
    wait_for("the tab's tenant chosen", || {
        value("#nhi-tenant").as_deref() == Some("globex") && count("[data-nhi-row]") == 4
    })
    .await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::TabSummary { .. })),
        [Request::TabSummary { tab_id: 7 }]
    );
    // The admin switches to a tab of acme's console.
    *in_tab.borrow_mut() = "acme".into();
    switch_tabs(1);
    wait_for("the other tab's tenant chosen", || {
        value("#nhi-tenant").as_deref() == Some("acme")
    })
    .await;
    let asked = || bg.sent(|r| matches!(r, Request::TabSummary { .. })).len();
    assert_eq!(asked(), 2);
    // A tab of a tenant NHI Lens read nothing of leaves the panel as it is.
    *in_tab.borrow_mut() = "initech".into();
    switch_tabs(1);
    wait_for("the tab asked about", || asked() == 3).await;
    sleep(100).await;
    assert_eq!(value("#nhi-tenant").as_deref(), Some("acme"));
    // A switch of tabs in another window leaves this panel as it is.
    *in_tab.borrow_mut() = "globex".into();
    switch_tabs(2);
    sleep(200).await;
    assert_eq!(value("#nhi-tenant").as_deref(), Some("acme"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn on_a_page_read_for_nothing_the_popup_says_so_and_shows_no_counts() {
    let bg = Background::install(|r| match r {
        Request::TabSummary { .. } => Reply::TabSummary {
            summary: Some(TabSummary {
                tenant: "github:acme".into(),
                page: "elsewhere".into(),
                status: PageStatus::NotRead { inventory: 12 },
                critical: 0,
                high: 0,
                medium: 0,
                low: 0,
                none: 0,
            }),
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<Popup>::with_root(root()).render();
    wait_for("the summary", || count("[data-nhi-summary]") == 1).await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::TabSummary { .. })).len(),
        1
    );
    assert_eq!(
        count(".level-count"),
        0,
        "no counts of a page read for nothing"
    );
    assert_eq!(
        text("[data-nhi-status=not-read]").as_deref(),
        Some(
            "NHI Lens reads nothing on this page: rows naming one of the 12 identities of this tenant's inventory show their badges."
        )
    );
    assert!(
        text(".tenant-line")
            .unwrap()
            .starts_with("GitHub · other page")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn on_a_page_not_read_yet_the_popup_says_so_and_shows_no_counts() {
    Background::install(|r| match r {
        Request::TabSummary { .. } => Reply::TabSummary {
            summary: Some(TabSummary::uncounted(
                "okta:acme".into(),
                "okta.api_tokens_page".into(),
                PageStatus::Reading,
            )),
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<Popup>::with_root(root()).render();
    wait_for("the summary", || count("[data-nhi-summary]") == 1).await;
    assert_eq!(count(".level-count"), 0, "no counts of a page not read");
    assert!(
        text("[data-nhi-status=reading]")
            .unwrap()
            .starts_with("Nothing read on this page yet")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_list_read_in_part_says_it_goes_on() {
    Background::install(|r| match r {
        Request::TabSummary { .. } => Reply::TabSummary {
            summary: Some(TabSummary::uncounted(
                "okta:acme".into(),
                "okta.apps_page".into(),
                PageStatus::Read {
                    identities: 3,
                    partial: true,
                },
            )),
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<Popup>::with_root(root()).render();
    wait_for("the summary", || count("[data-nhi-summary]") == 1).await;
    assert_eq!(
        text("[data-nhi-status=read]").as_deref(),
        Some("Read: 3 identities on this page.")
    );
    assert!(
        text("[data-nhi-status=partial]")
            .unwrap()
            .starts_with("The list goes on past what NHI Lens could read here")
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_tab_that_left_the_consoles_shows_no_summary_of_the_last_one() {
    let bg = Background::install(|r| match r {
        Request::TabSummary { .. } => Reply::TabSummary {
            summary: Some(TabSummary::uncounted(
                "okta:acme".into(),
                "okta.api_tokens_page".into(),
                PageStatus::Read {
                    identities: 3,
                    partial: false,
                },
            )),
        },
        _ => Reply::Done,
    });
    leave_the_consoles();
    let app = yew::Renderer::<Popup>::with_root(root()).render();
    wait_for("the popup", || count("[data-nhi-empty=not-a-console]") == 1).await;
    assert_eq!(count("[data-nhi-summary]"), 0);
    assert!(
        bg.sent(|r| matches!(r, Request::TabSummary { .. }))
            .is_empty()
    );
    // The side panel still opens for the tab.
    click("#nhi-open-panel");
    wait_for("the side panel", || side_panel_opened().is_some()).await;
    assert_eq!(side_panel_opened().as_deref(), Some("{\"tabId\":7}"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_popup_shows_the_tabs_counts_and_opens_the_side_panel() {
    let bg = Background::install(|r| match r {
        Request::TabSummary { .. } => Reply::TabSummary {
            summary: Some(TabSummary {
                tenant: "acme".into(),
                page: "github.installations".into(),
                status: PageStatus::LayoutChanged {
                    detail: "no rows found".into(),
                },
                critical: 2,
                high: 3,
                medium: 4,
                low: 5,
                none: 6,
            }),
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<Popup>::with_root(root()).render();
    wait_for("the summary", || count("[data-nhi-summary]") == 1).await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::TabSummary { .. })),
        [Request::TabSummary { tab_id: 7 }]
    );
    for (name, n) in [
        ("critical", "2"),
        ("high", "3"),
        ("medium", "4"),
        ("low", "5"),
        ("none", "6"),
        ("identities", "20"),
    ] {
        assert_eq!(
            attr("[data-nhi-summary]", &format!("data-{name}")).as_deref(),
            Some(n),
            "{name}"
        );
    }
    assert!(
        text("[data-nhi-layout-warning]")
            .unwrap()
            .contains("this console page changed; the adapter may be out of date")
    );
    click("#nhi-open-panel");
    wait_for("the side panel", || side_panel_opened().is_some()).await;
    assert_eq!(side_panel_opened().as_deref(), Some("{\"tabId\":7}"));
    // The panel opens on (or, open, turns to) the tab's tenant.
    let remembered = storage()
        .get_item(nhi_lens_pages::panel::TENANT_KEY)
        .unwrap();
    assert_eq!(remembered.as_deref(), Some("acme"));
    wait_for("the popup closed", window_closed).await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_options_page_edits_saves_and_clears() {
    let bg = Background::install(|r| match r {
        Request::GetOptions => Reply::Options {
            options: Options {
                allow: vec![AllowEntry {
                    id: "github:github_app:5".into(),
                    reason: "vendor managed".into(),
                    tenant: None,
                }],
                instances: vec![Instance {
                    platform: Platform::Gitlab,
                    host: "gitlab.corp.example".into(),
                }],
                ..Options::default()
            },
        },
        Request::SetOptions { .. } => Reply::Done,
        Request::Tenants => Reply::Tenants {
            tenants: vec![TenantSummary {
                tenant: "okta:acme".into(),
                identities: 4,
                critical: 1,
                high: 1,
                updated_at: "2026-01-01T00:00:00Z".into(),
                unreadable: None,
            }],
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the form", || count("#nhi-options-save") == 1).await;
    assert_eq!(count("input[data-nhi-platform]"), 10);
    assert_eq!(count("[data-nhi-allow-entry]"), 1);

    // A number out of range is refused, and the field shows what stays.
    set_value("#nhi-opt-dormant", "0", "change");
    wait_for("the refusal", || {
        text("body").is_some_and(|t| t.contains("It stays 90."))
    })
    .await;
    assert_eq!(value("#nhi-opt-dormant").as_deref(), Some("90"));
    set_value("#nhi-opt-dormant", "45", "change");
    set_checked("input[data-nhi-platform=slack]", false);
    set_value("#nhi-allow-id", "okta:api_token:9", "input");
    set_value("#nhi-allow-reason", "break-glass", "input");
    click("#nhi-allow-add");
    wait_for("the new entry", || count("[data-nhi-allow-entry]") == 2).await;
    // The same token allowed again for one inventory alone: a second entry, said so.
    wait_for("the inventories to pick from", || {
        count("#nhi-allow-tenant option[value='okta:acme']") == 1
    })
    .await;
    set_value("#nhi-allow-id", "okta:api_token:9", "input");
    set_value("#nhi-allow-tenant", "okta:acme", "change");
    set_value("#nhi-allow-reason", "this org's break-glass", "input");
    click("#nhi-allow-add");
    wait_for("the inventory's entry", || {
        count("[data-nhi-allow-entry][data-nhi-allow-tenant='okta:acme']") == 1
    })
    .await;
    assert_eq!(count("[data-nhi-allow-entry]"), 3);
    assert!(
        text("#nhi-allowlist")
            .is_some_and(|t| t.contains("every inventory") && t.contains("okta:acme")),
        "{:?}",
        text("#nhi-allowlist")
    );
    click("#nhi-options-save");
    // Nothing saved meanwhile in another tab, and the note says so.
    wait_for("saved", || {
        text("#nhi-options-status")
            .is_some_and(|t| t.contains("Options saved.") && !t.contains("another tab"))
    })
    .await;
    // Beside the Save button, as the note of clearing everything is beside its button.
    assert_eq!(count(".savebar #nhi-options-status"), 1);
    let Request::SetOptions { options, .. } = bg
        .sent(|r| matches!(r, Request::SetOptions { .. }))
        .remove(0)
    else {
        unreachable!()
    };
    assert_eq!(options.dormant_days, 45);
    assert_eq!(options.disabled_platforms, ["slack"]);
    assert_eq!(options.allow.len(), 3);
    assert_eq!(options.allow[1].reason, "break-glass");
    assert_eq!(options.allow[1].tenant, None);
    assert_eq!(options.allow[2].id, "okta:api_token:9");
    assert_eq!(options.allow[2].tenant.as_deref(), Some("okta:acme"));

    click("#nhi-clear-all");
    wait_for("the confirmation", || count("#nhi-clear-confirm") == 1).await;
    wait_for("the focus on Cancel", || {
        focused_attr("id").as_deref() == Some("nhi-clear-cancel")
    })
    .await;
    click("#nhi-clear-cancel");
    wait_for("the focus back", || {
        focused_attr("id").as_deref() == Some("nhi-clear-all")
    })
    .await;
    click("#nhi-clear-all");
    wait_for("the confirmation", || count("#nhi-clear-confirm") == 1).await;
    assert!(bg.sent(|r| matches!(r, Request::ClearAll)).is_empty());
    // Asked once by the list of inventories, once for the allowlist's choice of them.
    let asked = bg.sent(|r| matches!(r, Request::Tenants)).len();
    assert_eq!(asked, 2);
    click("#nhi-clear-confirm");
    wait_for("cleared", || {
        bg.sent(|r| matches!(r, Request::ClearAll)).len() == 1
    })
    .await;
    // The inventories are read again, for both.
    wait_for("the inventories read again", || {
        bg.sent(|r| matches!(r, Request::Tenants)).len() == asked + 2
    })
    .await;
    wait_for("the note of it", || {
        text(".danger #nhi-options-status").is_some_and(|t| t.contains("was deleted"))
    })
    .await;
    // The instances went with the options: their hosts go back to the browser.
    wait_for("the instance's host given back", || {
        permissions_asked() == r#"["remove https://gitlab.corp.example/*"]"#
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_options_page_lists_the_inventories_and_forgets_one_once_confirmed() {
    let kept = Rc::new(RefCell::new(vec![
        "entra:entra.microsoft.com".to_string(),
        "okta:acme".to_string(),
    ]));
    let list = kept.clone();
    let bg = Background::install(move |r| match r {
        Request::GetOptions => Reply::Options {
            options: Options::default(),
        },
        Request::Tenants => Reply::Tenants {
            tenants: list
                .borrow()
                .iter()
                .map(|t| TenantSummary {
                    tenant: t.clone(),
                    identities: 7,
                    critical: 0,
                    high: 0,
                    updated_at: "2026-11-20T10:00:00Z".into(),
                    unreadable: None,
                })
                .collect(),
        },
        Request::ForgetTenant { tenant } => {
            list.borrow_mut().retain(|t| t != tenant);
            Reply::Done
        }
        _ => Reply::Done,
    });
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the inventories", || count("[data-nhi-inventory]") == 2).await;
    // The live regions are there before any action, to be read out as they are written: each
    // section's note's (the page's, policy, allowlist, instances, owner map, data, the save
    // bar's) and the list of inventories'.
    assert_eq!(count(".live[role=status]:empty"), 8);
    let old = "[data-nhi-inventory='entra:entra.microsoft.com']";
    assert_eq!(
        text(&format!("{old} td:nth-child(3)")).as_deref(),
        Some("2026-11-20")
    );
    click(&format!("{old} [data-nhi-forget]"));
    wait_for("the question", || count("[data-nhi-forget-confirm]") == 1).await;
    // The question has the keyboard's focus, on its safe answer.
    wait_for("the focus on Cancel", || {
        focused_attr("data-nhi-forget-cancel").is_some()
    })
    .await;
    // Cancelled: nothing is asked, and the focus is back on the button.
    click("[data-nhi-forget-cancel]");
    wait_for("the question gone", || {
        count("[data-nhi-forget-confirm]") == 0
    })
    .await;
    wait_for("the focus back on Forget", || {
        focused_attr("data-nhi-forget").is_some()
    })
    .await;
    assert!(
        bg.sent(|r| matches!(r, Request::ForgetTenant { .. }))
            .is_empty()
    );
    click(&format!("{old} [data-nhi-forget]"));
    wait_for("the question", || count("[data-nhi-forget-confirm]") == 1).await;
    click("[data-nhi-forget-confirm]");
    wait_for("the list read again", || count("[data-nhi-inventory]") == 1).await;
    assert_eq!(
        bg.sent(|r| matches!(r, Request::ForgetTenant { .. })),
        [Request::ForgetTenant {
            tenant: "entra:entra.microsoft.com".into()
        }]
    );
    assert_eq!(*kept.borrow(), ["okta:acme"]);
    assert!(
        text("#nhi-inventories-status").is_some_and(|t| t.contains("entra:entra.microsoft.com")),
        "{:?}",
        text("#nhi-inventories-status")
    );
    assert_eq!(count(".live[role=status] > #nhi-inventories-status"), 1);
    app.destroy();
}

#[wasm_bindgen_test]
async fn options_nhi_lens_cannot_read_still_offer_to_clear_everything() {
    let bg = Background::install(|r| match r {
        Request::GetOptions => Reply::Error {
            message: "stored options is unreadable: EOF while parsing".into(),
        },
        Request::Tenants => Reply::Tenants {
            tenants: vec![TenantSummary {
                tenant: "okta:acme".into(),
                identities: 0,
                critical: 0,
                high: 0,
                updated_at: String::new(),
                unreadable: Some("stored tenant:okta:acme is unreadable".into()),
            }],
        },
        _ => Reply::Done,
    });
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the inventory", || count("[data-nhi-inventory]") == 1).await;
    assert!(
        text("[data-nhi-unreadable]").is_some_and(|t| t.contains("Could not be read")),
        "{:?}",
        text("[data-nhi-unreadable]")
    );
    assert_eq!(count("[data-nhi-inventory] [data-nhi-forget]"), 1);
    click("#nhi-clear-all");
    wait_for("the question", || count("#nhi-clear-confirm") == 1).await;
    click("#nhi-clear-confirm");
    wait_for("everything cleared", || {
        !bg.sent(|r| matches!(r, Request::ClearAll)).is_empty()
    })
    .await;
    app.destroy();
}

/// A background holding options in `stored`, saving an options page's edits as the worker does
/// (only over the options the page read).
fn options_kept_in(stored: Rc<RefCell<Options>>) -> impl Fn(&Request) -> Reply + 'static {
    move |r| match r {
        Request::GetOptions => Reply::Options {
            options: stored.borrow().clone(),
        },
        Request::SetOptions {
            read: Some(read), ..
        } if *read != stored.borrow().fingerprint() => Reply::OptionsChanged {
            options: stored.borrow().clone(),
        },
        Request::SetOptions { options, .. } => {
            *stored.borrow_mut() = options.clone();
            Reply::Done
        }
        Request::Tenants => tenants(),
        _ => Reply::Done,
    }
}

#[wasm_bindgen_test]
async fn a_self_managed_instance_is_added_once_the_browser_grants_its_host_and_removed() {
    let stored = Rc::new(RefCell::new(Options::default()));
    let bg = Background::install(options_kept_in(stored.clone()));
    let saved = |bg: &Background| bg.sent(|r| matches!(r, Request::SetOptions { .. })).len();
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the form", || count("#nhi-instance-add") == 1).await;
    assert_eq!(count("#nhi-instance-platform option"), 2);
    set_value("#nhi-instance-platform", "gitlab", "change");

    set_value("#nhi-instance-host", "gitlab", "input");
    click("#nhi-instance-add");
    wait_for("the error", || count("[data-nhi-error]") == 1).await;
    assert_eq!(permissions_asked(), "[]");
    // Shown beside the field it is about, not at the top of the page.
    assert_eq!(count("section:has(#nhi-instance-host) [data-nhi-error]"), 1);

    // The browser says no: nothing is saved.
    set_value(
        "#nhi-instance-host",
        "https://GitLab.Corp.Example/groups/acme",
        "input",
    );
    click("#nhi-instance-add");
    wait_for("the refusal", || {
        text("[data-nhi-error]").is_some_and(|t| t.contains("did not give NHI Lens access"))
    })
    .await;
    assert_eq!(
        permissions_asked(),
        r#"["request https://gitlab.corp.example/*"]"#
    );
    assert_eq!(saved(&bg), 0);

    grant_hosts(true);
    click("#nhi-instance-add");
    wait_for("the instance", || count("[data-nhi-instance]") == 1).await;
    assert_eq!(saved(&bg), 1);
    assert_eq!(
        stored.borrow().instances,
        [Instance {
            platform: Platform::Gitlab,
            host: "gitlab.corp.example".into()
        }]
    );
    assert_eq!(value("#nhi-instance-host").as_deref(), Some(""));

    // The same host on a port of its own is another instance, under the same permission: the
    // host's (a permission names no port), kept while one of the two remains.
    set_value("#nhi-instance-host", "gitlab.corp.example:8443", "input");
    click("#nhi-instance-add");
    wait_for("the second instance", || count("[data-nhi-instance]") == 2).await;
    assert_eq!(
        stored.borrow().instances[1].host,
        "gitlab.corp.example:8443"
    );
    assert!(
        permissions_asked().ends_with(r#""request https://gitlab.corp.example/*"]"#),
        "{}",
        permissions_asked()
    );
    // Served under a path of the host (GitLab's relative URL root): another instance again, the
    // path given apart.
    set_value("#nhi-instance-host", "gitlab.corp.example", "input");
    set_value("#nhi-instance-root", "/gitlab/", "input");
    click("#nhi-instance-add");
    wait_for("the third instance", || count("[data-nhi-instance]") == 3).await;
    assert_eq!(
        stored.borrow().instances[2].host,
        "gitlab.corp.example/gitlab"
    );
    assert_eq!(value("#nhi-instance-root").as_deref(), Some(""));
    click("[data-nhi-instance] button");
    wait_for("the first removed", || {
        text("#nhi-options-status").is_some_and(|t| t == "gitlab.corp.example removed.")
    })
    .await;
    assert_eq!(count("[data-nhi-instance]"), 2);
    click("[data-nhi-instance] button");
    wait_for("the second removed", || count("[data-nhi-instance]") == 1).await;
    assert!(
        !permissions_asked().contains("remove"),
        "{}",
        permissions_asked()
    );

    click("[data-nhi-instance] button");
    wait_for("removed", || count("[data-nhi-instance]") == 0).await;
    assert!(stored.borrow().instances.is_empty());
    wait_for("the permission given back", || {
        permissions_asked().contains("remove https://gitlab.corp.example/*")
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn a_save_keeps_what_another_options_tab_saved_meanwhile() {
    let stored = Rc::new(RefCell::new(Options::default()));
    let _bg = Background::install(options_kept_in(stored.clone()));
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the form", || count("#nhi-options-save") == 1).await;
    // Another options tab imports an owner map and adds an instance.
    {
        let mut other = stored.borrow_mut();
        other.owner_map = vec![OwnerMapEntry {
            pattern: "github:*".into(),
            owner: "platform-team".into(),
        }];
        other.instances = vec![Instance {
            platform: Platform::Gitlab,
            host: "gitlab.corp.example".into(),
        }];
    }
    set_value("#nhi-opt-dormant", "45", "change");
    click("#nhi-options-save");
    wait_for("saved", || {
        text("#nhi-options-status")
            .is_some_and(|t| t.contains("with the changes saved meanwhile in another tab"))
    })
    .await;
    let saved = stored.borrow().clone();
    assert_eq!(saved.dormant_days, 45);
    assert_eq!(saved.owner_map.len(), 1, "the other tab's owner map stays");
    assert_eq!(saved.instances.len(), 1, "the other tab's instance stays");
    // The page shows what was saved, the other tab's owner among it.
    wait_for("the owner map shown", || {
        count("[data-nhi-owner-remove]") == 1
    })
    .await;
    app.destroy();
}

#[wasm_bindgen_test]
async fn an_instance_the_background_does_not_save_gives_its_host_back() {
    let _bg = Background::install(|r| match r {
        Request::GetOptions => Reply::Options {
            options: Options::default(),
        },
        Request::SetOptions { .. } => Reply::Error {
            message: "storage is full".into(),
        },
        Request::Tenants => tenants(),
        _ => Reply::Done,
    });
    let app = yew::Renderer::<OptionsPage>::with_root(root()).render();
    wait_for("the form", || count("#nhi-instance-add") == 1).await;
    set_value("#nhi-instance-platform", "gitlab", "change");
    set_value("#nhi-instance-host", "gitlab.corp.example", "input");
    grant_hosts(true);
    click("#nhi-instance-add");
    wait_for("the failure", || {
        text("[data-nhi-error]").is_some_and(|t| t.contains("storage is full"))
    })
    .await;
    wait_for("the permission given back", || {
        permissions_asked()
            == r#"["request https://gitlab.corp.example/*","remove https://gitlab.corp.example/*"]"#
    })
    .await;
    assert_eq!(count("[data-nhi-instance]"), 0);
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_card_shows_its_identity_and_asks_to_close() {
    let bg = Background::install(standard);
    set_hash("#tenant=acme&id=entra%3Aservice_principal%3A2");
    watch_messages();
    let app = yew::Renderer::<Card>::with_root(root()).render();
    wait_for("the detail", || count("#nhi-detail") == 1).await;
    assert_eq!(text("#nhi-detail-title").as_deref(), Some(HOSTILE));
    assert_eq!(count(".nhi-test-root img"), 0);
    // It opens with the focus on its close button.
    assert_eq!(focused_attr("id").as_deref(), Some("nhi-card-close"));
    assert_eq!(
        bg.sent(|r| matches!(r, Request::Identity { .. })),
        [Request::Identity {
            tenant: "acme".into(),
            id: "entra:service_principal:2".into()
        }]
    );
    // A card that is a window of its own (on an instance's host) closes its window; one framed
    // over a console asks the console to close it (the extension's browser tests).
    click("#nhi-card-close");
    wait_for("the window closed", window_closed).await;
    assert_eq!(messages(), "[]");
    set_hash("#");
    app.destroy();
}
