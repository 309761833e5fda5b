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
  driver = spawn(GECKODRIVER, ["--port", String(port), "--host", "127.0.0.1"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await call("GET", "/status");
      break;
    } catch (_) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
          },
        },
      },
    },
  });
  session = created.sessionId;
  // An add-on is installed from a packed file: zip the build.
  const dir = mkdtempSync(join(tmpdir(), "nhi-lens-firefox-"));
  const xpi = join(dir, "nhi-lens.xpi");
  execFileSync("python3", ["-c", "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])", join(dir, "nhi-lens"), EXTENSION]);
  execFileSync("mv", [join(dir, "nhi-lens.zip"), xpi]);
  await call("POST", `/session/${session}/moz/addon/install`, { path: xpi, temporary: true });
});

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
  // The Okta mock loads its tokens with XMLHttpRequest: the tap hands them on as text.
  const found = await badgesOn("acme-admin.okta.com/admin/access/api/tokens");
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
