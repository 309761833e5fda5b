// The Firefox build in Debian's firefox-esr, driven over WebDriver (geckodriver): installed as a
// temporary add-on, it annotates a mock console served with strict CSP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BASE, consoleUrl } from "./harness.mjs";

const ROOT = process.env.NHI_ROOT ?? "../..";
const EXTENSION = resolve(process.env.NHI_FIREFOX_EXTENSION ?? join(ROOT, "target/dist/firefox-test"));
const FIREFOX = process.env.NHI_FIREFOX ?? "/usr/bin/firefox-esr";
const GECKODRIVER = process.env.NHI_GECKODRIVER ?? "geckodriver";

let driver;
let endpoint;
let session;
const ADDON_ID = "nhi-lens@nhi-lens.dev";
const ADDON_UUID = "6c1f3a52-4e0d-4b9a-9d7e-2f8a51c0b7e3";
const OPTIONS = `moz-extension://${ADDON_UUID}/options.html`;

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

async function call(method, path, body) {
  const response = await fetch(`${endpoint}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value).slice(0, 300)}`);
  return json.value;
}

before(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  // Firefox 153 lets WebDriver open only web pages, unless the driver allows system access: the
  // tests open the add-on's options page.
  driver = spawn(GECKODRIVER, ["--port", String(port), "--host", "127.0.0.1", "--allow-system-access"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await call("GET", "/status");
      break;
    } catch (_) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  session = await openFirefox({});
});

/** A Firefox session with the add-on installed as a temporary add-on, and `prefs` besides ours. */
async function openFirefox(prefs, { allowPrivateBrowsing = false } = {}) {
  const created = await call("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "firefox",
        "moz:firefoxOptions": {
          binary: FIREFOX,
          args: ["-headless"],
          prefs: {
            "app.update.enabled": false,
            "extensions.update.enabled": false,
            "datareporting.policy.dataSubmissionEnabled": false,
            "toolkit.telemetry.enabled": false,
            "browser.shell.checkDefaultBrowser": false,
            "network.captive-portal-service.enabled": false,
            "browser.safebrowsing.update.enabled": false,
            // Optional permissions are granted without a prompt, as if the admin said yes.
            "extensions.webextOptionalPermissionPrompts": false,
            // The add-on's moz-extension:// host, known ahead to open its options page.
            "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
            ...prefs,
          },
        },
      },
    },
  });
  // An add-on is installed from a packed file: zip the build.
  const dir = mkdtempSync(join(tmpdir(), "nhi-lens-firefox-"));
  const xpi = join(dir, "nhi-lens.xpi");
  execFileSync("python3", ["-c", "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])", join(dir, "nhi-lens"), EXTENSION]);
  execFileSync("mv", [join(dir, "nhi-lens.zip"), xpi]);
  await call("POST", `/session/${created.sessionId}/moz/addon/install`, { path: xpi, temporary: true, allowPrivateBrowsing });
  return created.sessionId;
}

after(async () => {
  if (session) await call("DELETE", `/session/${session}`).catch(() => {});
  driver?.kill();
});

/** The badges Firefox draws on a mock console page: [id, risk, score] each, once some appear. */
async function badgesOn(url) {
  await call("POST", `/session/${session}/url`, { url: consoleUrl(url) });
  let found = [];
  for (let i = 0; i < 150 && found.length === 0; i++) {
    found = await call("POST", `/session/${session}/execute/sync`, {
      script:
        "return Array.from(document.querySelectorAll('nhi-lens-badge'), (b) => [b.getAttribute('data-nhi-id'), b.getAttribute('data-risk'), b.getAttribute('data-score')]);",
      args: [],
    });
    if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  for (const [, risk, score] of found) {
    assert.ok(["critical", "high", "medium", "low", "none"].includes(risk));
    assert.match(score, /^\d+$/);
  }
  return found;
}

test("the Firefox build annotates a mock console", async () => {
  // The Okta mock loads its tokens with XMLHttpRequest here: the tap hands them on as text.
  const found = await badgesOn("acme-admin.okta.com/admin/access/api/tokens?read=xhr");
  assert.ok(found.length >= 4, `badges: ${JSON.stringify(found)} (console at ${BASE})`);
  for (const [id] of found) assert.match(id, /^okta:api_token:/);
  const injected = await call("POST", `/session/${session}/execute/sync`, {
    script: "return document.querySelectorAll('img[src=\"x\"]').length;",
    args: [],
  });
  assert.equal(injected, 0);
});

test("the Firefox build reads a console's fetched JSON, handed on as bytes", async () => {
  // The GitLab mock loads its tokens with fetch: the tap hands them on as a Blob of the bytes,
  // which the content script sends on to the worker as it is.
  const found = await badgesOn("gitlab.com/groups/acme/-/settings/access_tokens");
  assert.ok(found.length >= 2, `badges: ${JSON.stringify(found)} (console at ${BASE})`);
  for (const [id] of found) assert.match(id, /^gitlab:/);
});


/** Runs `script` (an async function body that ends by calling `done`) in the current page. */
const run = (script, ...args) =>
  call("POST", `/session/${session}/execute/async`, { script: `const done = arguments[arguments.length - 1]; ${script}`, args });

/** Waits until `script` (run in the current page, `return`ing a value) gives something truthy. */
async function until(what, script) {
  for (let i = 0; i < 100; i++) {
    const value = await call("POST", `/session/${session}/execute/sync`, { script, args: [] });
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("the Firefox build reads JSON a console reads as a stream", async () => {
  // The tenant read by XMLHttpRequest above is forgotten first: its badges come from the stream
  // alone.
  await call("POST", `/session/${session}/url`, { url: OPTIONS });
  await until("the options page", "return !!document.querySelector('#nhi-instance-add')");
  const forgot = await run(`browser.runtime.sendMessage({ type: "forget_tenant", tenant: "okta:acme" }).then((r) => done(typeof r === "string" ? r : JSON.stringify(r)), (e) => done(String(e)))`);
  assert.match(forgot, /"type":"done"/);
  const found = await badgesOn("acme-admin.okta.com/admin/access/api/tokens?read=stream");
  assert.ok(found.length >= 4, `badges: ${JSON.stringify(found)} (console at ${BASE})`);
});

test("a self-managed instance added in the options gets the browser's permission and the extension's scripts, and loses both when removed", async () => {
  const host = "gitlab.corp.example";
  const registered = () => run("browser.scripting.getRegisteredContentScripts().then((all) => done(all.map((s) => [s.id, s.matches.join(), s.world || ''])), (e) => done(String(e)))");
  const granted = () => run(`browser.permissions.contains({ origins: ["https://${host}/*"] }).then(done, (e) => done(String(e)))`);
  await call("POST", `/session/${session}/url`, { url: OPTIONS });
  await until("the options page", "return !!document.querySelector('#nhi-instance-add')");
  assert.equal(await granted(), false);
  assert.deepEqual(await registered(), []);

  // In the middle of the view, as an admin scrolls to it: WebDriver's click brings an element
  // to the view's bottom edge, where the options' sticky save bar may cover it.
  await run("document.querySelector('#nhi-instance-platform').scrollIntoView({ block: 'center' }); done(true)");
  const select = await call("POST", `/session/${session}/element`, { using: "css selector", value: "#nhi-instance-platform option[value=gitlab]" });
  await call("POST", `/session/${session}/element/${Object.values(select)[0]}/click`, {});
  const input = await call("POST", `/session/${session}/element`, { using: "css selector", value: "#nhi-instance-host" });
  await call("POST", `/session/${session}/element/${Object.values(input)[0]}/value`, { text: `https://${host}/groups/acme` });
  const add = await call("POST", `/session/${session}/element`, { using: "css selector", value: "#nhi-instance-add" });
  await call("POST", `/session/${session}/element/${Object.values(add)[0]}/click`, {});
  await until("the instance listed", `return !!document.querySelector('[data-nhi-instance="${host}"]')`);
  assert.equal(await granted(), true);
  let scripts = [];
  for (let i = 0; i < 50 && scripts.length < 2; i++) {
    scripts = await registered();
    if (scripts.length < 2) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(scripts.sort(), [
    ["instances-content", `https://${host}/*`, "ISOLATED"],
    ["instances-tap", `https://${host}/*`, "MAIN"],
  ]);

  const remove = await call("POST", `/session/${session}/element`, { using: "css selector", value: `[data-nhi-instance="${host}"] button` });
  await call("POST", `/session/${session}/element/${Object.values(remove)[0]}/click`, {});
  await until("the instance gone", `return !document.querySelector('[data-nhi-instance="${host}"]')`);
  for (let i = 0; i < 50 && scripts.length; i++) {
    scripts = await registered();
    if (scripts.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(scripts, []);
  assert.equal(await granted(), false);
});

// Last: it replaces the session (geckodriver runs one at a time).
test("where IndexedDB cannot be used (Firefox never remembering history), the console is still annotated and its captures kept in storage.local", async () => {
  await call("DELETE", `/session/${session}`);
  session = await openFirefox({ "browser.privatebrowsing.autostart": true }, { allowPrivateBrowsing: true });
  const found = await badgesOn("acme-admin.okta.com/admin/access/api/tokens");
  assert.ok(found.length >= 4, `badges: ${JSON.stringify(found)}`);
  await call("POST", `/session/${session}/url`, { url: OPTIONS });
  await until("the options page", "return !!document.querySelector('#nhi-instance-add')");
  const look = () => run(`(async () => {
    const idb = await new Promise((ok) => {
      const q = indexedDB.open("nhi-lens-probe", 1);
      q.onsuccess = () => ok("usable");
      q.onerror = () => ok("unusable");
    });
    const local = Object.keys(await browser.storage.local.get(null)).filter((k) => k.startsWith("capture:")).length;
    const answer = await browser.runtime.sendMessage({ type: "export", tenant: "okta:acme", format: "json" });
    const reply = JSON.parse(typeof answer === "string" ? answer : await answer.text());
    return { idb, local, identities: reply.type === "export" ? JSON.parse(reply.text).identities.length : reply };
  })().then(done, (e) => done(String(e)))`);
  let seen = await look();
  for (let i = 0; i < 50 && !(seen.local > 0); i++) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await look();
  }
  assert.equal(seen.idb, "unusable", "IndexedDB works here: the fallback is not exercised");
  assert.ok(seen.local > 0, `no capture in storage.local: ${JSON.stringify(seen)}`);
  assert.ok(seen.identities >= found.length, JSON.stringify(seen));
});
