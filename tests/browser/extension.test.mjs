// The extension as a whole: a changed console layout is reported as such, the inventory survives
// the service worker being stopped, and the export is what `nhi-lens scan` says about the same data.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, visit, settle, badges, cardFrame, consoleUrl, ask, ARTIFACTS } from "./harness.mjs";

const ROOT = process.env.NHI_ROOT ?? "../..";
const CLI = process.env.NHI_CLI ?? join(ROOT, "target/debug/nhi-lens");

/** Each platform's mock console drawn in a layout the adapter does not know. */
const BROKEN = [
  { tenant: "github:broken", url: "github.com/organizations/broken/settings/installations" },
  { tenant: "gitlab:broken", url: "gitlab.com/groups/broken/-/settings/access_tokens" },
  { tenant: "entra:entra.microsoft.com", url: "entra.microsoft.com/broken.onmicrosoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade" },
  { tenant: "google:acme.example", url: "admin.google.com/ac/owl/list?tab=apps&broken=1" },
  { tenant: "slack:broken", url: "broken.slack.com/apps/manage" },
  { tenant: "okta:broken", url: "broken-admin.okta.com/admin/access/api/tokens" },
  { tenant: "salesforce:broken", url: "broken.my.salesforce.com/identity/app/connectedAppsUsage.apexp" },
  { tenant: "atlassian:broken", url: "admin.atlassian.com/o/broken/api-token" },
  { tenant: "aws:210987654321", url: "broken.console.aws.amazon.com/iam/home#/users" },
  { tenant: "snowflake:us-west-2/broken", url: "app.snowflake.com/us-west-2/broken/#/admin/users" },
];

let browser;
let extensionPage;
before(async () => {
  browser = await launch();
  extensionPage = await browser.context.newPage();
  await extensionPage.goto(browser.extensionUrl("popup.html"));
});
after(async () => {
  await browser.close();
});

test("a console whose layout changed is reported as changed, never as clean", async () => {
  const pages = await Promise.all(
    BROKEN.map(async ({ url }) => {
      const page = await browser.context.newPage();
      await page.goto(consoleUrl(url), { waitUntil: "load" });
      return page;
    }),
  );
  // The content script waits a few seconds for a required region before it gives up on it.
  const deadline = Date.now() + 30000;
  const pending = new Set(BROKEN.map((b) => b.url));
  while (pending.size && Date.now() < deadline) {
    for (const { tenant, url } of BROKEN) {
      if (!pending.has(url)) continue;
      const reply = await ask(extensionPage, { type: "inventory", tenant });
      if (reply.type !== "inventory") continue;
      const visit = reply.pages.find((p) => p.url === `https://${url}`);
      if (visit && visit.status.state === "layout_changed") pending.delete(url);
    }
    if (pending.size) await extensionPage.waitForTimeout(500);
  }
  assert.deepEqual([...pending], [], "pages not reported as changed");
  for (const page of pages) await page.close();
});

test("a console slower than the layout deadline to answer its lists is waited for, never said to have changed", async () => {
  // Graph answers the app list 9 s late (past the content script's 6 s deadline); the blade
  // draws no grid until then.
  const url = "entra.microsoft.com/?slow=9000#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
  const page = await browser.context.newPage();
  try {
    await page.goto(consoleUrl(url), { waitUntil: "load" });
    const said = [];
    const start = Date.now();
    while (Date.now() - start < 25000 && !(await page.locator("nhi-lens-badge").count())) {
      const reply = await ask(extensionPage, { type: "inventory", tenant: "entra:acme-corporation" });
      for (const visit of reply.type === "inventory" ? reply.pages : []) {
        if (visit.url.includes("slow=9000")) said.push(visit.status.state);
      }
      await page.waitForTimeout(500);
    }
    assert.ok(Date.now() - start >= 8000, "the list came before its delay");
    assert.ok(await page.locator("nhi-lens-badge").count() > 0, "no badges once the list came");
    assert.ok(!said.includes("layout_changed"), `said: ${said}`);
    await settle(page);
    const reply = await ask(extensionPage, { type: "inventory", tenant: "entra:acme-corporation" });
    const visit = reply.pages.find((p) => p.url.includes("slow=9000"));
    assert.equal(visit?.status.state, "read", JSON.stringify(visit));
  } finally {
    await page.close();
  }
});

test("a page whose layout changed says so again only with something new", async () => {
  // GitHub's installed apps page with its required region (`main`) gone from the layout.
  const tenant = "github:moved", url = "github.com/organizations/moved/settings/installations";
  const page = await browser.context.newPage();
  await page.route(/\/github\.com\/organizations\/moved\/settings\/installations$/, async (route) => {
    const response = await route.fetch({ url: route.request().url().replace("/moved/", "/acme/") });
    const body = (await response.text()).replace(/<(\/?)main\b/g, "<$1section");
    await route.fulfill({ response, body });
  });
  await page.goto(consoleUrl(url), { waitUntil: "load" });
  // When the worker last heard from the page (its visit's time), once it says the layout changed.
  const heard = async () => {
    const reply = await ask(extensionPage, { type: "inventory", tenant });
    const visit = reply.type === "inventory" ? reply.pages.find((p) => p.url === `https://${url}`) : null;
    return visit?.status.state === "layout_changed" ? visit.at : null;
  };
  let first = null;
  for (let tries = 0; !first && tries < 60; tries++) {
    first = await heard();
    if (!first) await page.waitForTimeout(250);
  }
  assert.ok(first, "the layout change was never reported");
  // The console changes its page a few times, nothing of it in the regions the plan names.
  for (let i = 0; i < 3; i++) {
    await page.evaluate((n) => document.body.append(Object.assign(document.createElement("p"), { textContent: `note ${n}` })), i);
    await page.waitForTimeout(800);
  }
  await page.waitForTimeout(1000);
  assert.equal(await heard(), first, "the missing region was sent again with nothing new");
  await page.close();
});

test("a hash route, which fires popstate and hashchange, starts its page once", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const plans = await page.evaluate(async () => {
    let count = 0;
    window.addEventListener("nhi-lens:off", () => { count++; });
    location.hash = "#another-view";
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return count;
  });
  assert.equal(plans, 1);
  await page.close();
});

test("the inventory survives the service worker being stopped", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const before = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  assert.equal(before.type, "inventory");
  const [worker] = browser.context.serviceWorkers();
  await worker.evaluate(() => { globalThis.__nhiLensMarker = "before the stop"; });
  // Capture texts are kept in IndexedDB, not chrome.storage.local; one an older version kept in
  // chrome.storage.local is still read. Move one there, as that version left it.
  const kept = await worker.evaluate(async () => {
    const local = await chrome.storage.local.get(null);
    const inIdb = await globalThis.nhiLensCaptures.keys();
    const [key] = JSON.parse(local["tenant:okta:acme"]).captures.map((c) => c.key);
    const text = (await globalThis.nhiLensCaptures.get([key]))[key];
    await chrome.storage.local.set({ [key]: text });
    await globalThis.nhiLensCaptures.remove([key]);
    return { localCaptures: Object.keys(local).filter((k) => k.startsWith("capture:")).length, inIdb: inIdb.length, moved: typeof text };
  });
  assert.equal(kept.localCaptures, 0, "captures left in chrome.storage.local");
  assert.equal(kept.moved, "string");
  assert.ok(kept.inIdb > 0, "no capture in IndexedDB");
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  // The next message wakes a new worker, which has only storage to answer from.
  const afterStop = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  assert.equal(afterStop.type, "inventory");
  const markers = await Promise.all(
    browser.context.serviceWorkers().map((w) => w.evaluate(() => globalThis.__nhiLensMarker ?? "fresh").catch(() => "gone")),
  );
  assert.ok(markers.includes("fresh"), `no restarted worker answered (${markers})`);
  assert.ok(!markers.includes("before the stop"), "the worker was never stopped");
  const ids = (r) => r.report.identities.map((i) => `${i.id} ${i.risk.score}`).sort();
  assert.ok(ids(before).length > 0);
  assert.deepEqual(ids(afterStop), ids(before));
  // The side panel, opened with the worker stopped again, lists every identity.
  await cdp.send("ServiceWorker.stopAllWorkers");
  const panel = await browser.context.newPage();
  try {
    await panel.goto(browser.extensionUrl("sidepanel.html"));
    await panel.selectOption("#nhi-tenant", "okta:acme");
    const listed = () => panel.$$eval("[data-nhi-row]", (rows) => rows.length);
    await panel.waitForFunction((n) => document.querySelectorAll("[data-nhi-row]").length === n, ids(before).length, { timeout: 20000 })
      .catch(async () => assert.fail(`the panel listed ${await listed()} of ${ids(before).length}`));
  } finally {
    await panel.close();
  }
  await page.close();
});

test("a trap in the worker's WebAssembly is answered at once with an error, and the next worker answers again", async () => {
  const worker = browser.context.serviceWorkers().findLast((w) => w.url().startsWith("chrome-extension://"));
  // The trap as the browser reports one no code caught (a Rust panic aborts in a trap).
  await worker.evaluate(() => {
    self.dispatchEvent(new ErrorEvent("error", { error: new WebAssembly.RuntimeError("unreachable") }));
  });
  const started = Date.now();
  const reply = await ask(extensionPage, { type: "tenants" });
  assert.equal(reply.type, "error", JSON.stringify(reply));
  assert.match(reply.message, /stopped on an internal error \(unreachable\) and starts again once idle/);
  assert.ok(Date.now() - started < 5000, "the error came late");
  // A console page gets the same error for its plan, not a wait.
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"), { expectBadges: false });
  assert.equal(await page.locator("nhi-lens-badge").count(), 0);
  await page.close();
  // The browser stops the idle worker; the next one answers.
  const cdp = await browser.context.newCDPSession(extensionPage);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
  assert.equal((await ask(extensionPage, { type: "tenants" })).type, "tenants");
});

test("an inventory of 50,000 identities is kept, and read whole by a restarted worker", async () => {
  // Another Okta org, big-admin.okta.com: the acme mock's pages, its tokens list 50,000 long.
  const N = 50000;
  const tokens = JSON.stringify(Array.from({ length: N }, (_, i) => ({
    id: `00Tbig${String(i).padStart(14, "0")}`, name: `token ${i}`, userId: "00u1", clientName: "Okta API",
    created: "2025-06-01T00:00:00.000Z", expiresAt: "2026-12-20T00:00:00.000Z", tokenWindow: "P30D", network: { connection: "ANYWHERE" },
  })));
  const page = await browser.context.newPage();
  const count = (tenant) => extensionPage.evaluate(async (t) => {
    const answer = await chrome.runtime.sendMessage({ type: "inventory", tenant: t });
    const reply = JSON.parse(answer instanceof Blob ? await answer.text() : answer);
    return reply.type === "inventory" ? reply.report.identities.length : JSON.stringify(reply).slice(0, 300);
  }, tenant);
  try {
    await page.route(/\/big-admin\.okta\.com\//, async (route) => {
      const url = route.request().url();
      if (/\/api\/v1\/api-tokens\?/.test(url)) return route.fulfill({ status: 200, contentType: "application/json", body: tokens });
      const response = await route.fetch({ url: url.replace("big-admin.okta.com", "acme-admin.okta.com") });
      await route.fulfill({ response });
    });
    await page.goto(consoleUrl("big-admin.okta.com/admin/access/api/tokens"), { waitUntil: "load" });
    await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 60000 });
    assert.equal(await count("okta:big"), N);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    assert.equal(await count("okta:big"), N, "after the worker stopped");
  } finally {
    await page.close();
    await ask(extensionPage, { type: "forget_tenant", tenant: "okta:big" });
  }
});

test("a capture the IndexedDB refuses to read makes an error, never an inventory without it", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const before = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  // A new worker, woken by a message that reads no capture, holds no capture text in memory.
  assert.equal((await ask(extensionPage, { type: "tenants" })).type, "tenants");
  const fresh = [];
  for (const w of browser.context.serviceWorkers()) {
    if (await w.evaluate(() => globalThis.__nhiLensRefused === undefined).catch(() => false)) fresh.push(w);
  }
  assert.ok(fresh.length > 0, "no worker answered");
  const refuse = (on) => Promise.all(fresh.map((w) => w.evaluate((on) => {
    globalThis.__nhiLensRefused ??= IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = on ? () => { throw new DOMException("refused for the test", "UnknownError"); } : globalThis.__nhiLensRefused;
  }, on).catch(() => {})));
  await refuse(true);
  try {
    const refused = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
    assert.equal(refused.type, "error", JSON.stringify(refused).slice(0, 300));
  } finally {
    await refuse(false);
  }
  const after = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  const ids = (r) => r.report.identities.map((i) => i.id).sort();
  assert.ok(ids(before).length > 0);
  assert.deepEqual(ids(after), ids(before));
  await page.close();
});

test("the summary of a tab closed while no worker ran is gone when a worker starts; an open tab's stays", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const tabKeys = () => extensionPage.evaluate(async () =>
    Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith("tab:")).sort());
  const open = await tabKeys();
  assert.ok(open.length > 0, "the console tab has its summary");
  // A summary the last browser session left, of a tab number no open tab has.
  const stale = { tenant: "okta:acme", page: "okta.api_tokens_page", status: { state: "read", identities: 3 }, critical: 1, high: 2, medium: 0, low: 0, none: 0 };
  await extensionPage.evaluate((s) => chrome.storage.local.set({ "tab:987654": s }), stale);
  assert.deepEqual(await tabKeys(), [...open, "tab:987654"].sort());
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  // Woken by a message, as by a popup opening.
  await ask(extensionPage, { type: "tenants" });
  let keys;
  for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    keys = await tabKeys();
    if (!keys.includes("tab:987654")) break;
  }
  assert.deepEqual(keys, open);
  await page.close();
});

test("captures kept in an IndexedDB that cannot be opened make an error, never an inventory without them", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const before = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  const stopWorkers = () => cdp.send("ServiceWorker.stopAllWorkers");
  // The database moved to a version this build does not open (as a newer build's, after a
  // downgrade, would be): the worker's open fails.
  await stopWorkers();
  await extensionPage.evaluate(() => new Promise((done, fail) => {
    const opening = indexedDB.open("nhi-lens", 2);
    opening.onsuccess = () => { opening.result.close(); done(); };
    opening.onerror = () => fail(opening.error);
    opening.onblocked = () => fail(new Error("blocked by a connection still open"));
  }));
  try {
    const refused = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
    assert.equal(refused.type, "error", JSON.stringify(refused).slice(0, 300));
    assert.match(refused.message, /could not open the database its captured pages are kept in/);
  } finally {
    // The database as this build keeps it again, with what it held.
    await stopWorkers();
    await extensionPage.evaluate(() => {
      const request = (r) => new Promise((done, fail) => { r.onsuccess = () => done(r.result); r.onerror = () => fail(r.error); });
      return (async () => {
        const newer = await request(indexedDB.open("nhi-lens"));
        const tx = newer.transaction("captures", "readonly");
        const [keys, values] = await Promise.all([request(tx.objectStore("captures").getAllKeys()), request(tx.objectStore("captures").getAll())]);
        newer.close();
        await request(indexedDB.deleteDatabase("nhi-lens"));
        const opening = indexedDB.open("nhi-lens", 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore("captures");
        const db = await request(opening);
        const put = db.transaction("captures", "readwrite");
        keys.forEach((key, i) => put.objectStore("captures").put(values[i], key));
        await new Promise((done, fail) => { put.oncomplete = done; put.onerror = () => fail(put.error); });
        db.close();
      })();
    });
  }
  const after = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  const ids = (r) => r.report.identities.map((i) => i.id).sort();
  assert.ok(ids(before).length > 0);
  assert.deepEqual(ids(after), ids(before));
  await page.close();
});

test("the JSON export is what nhi-lens scan says about the same data", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const reply = await ask(extensionPage, { type: "export", tenant: "okta:acme", format: "json" });
  assert.equal(reply.type, "export", JSON.stringify(reply).slice(0, 300));
  assert.match(reply.filename, /^nhi-lens-okta-acme-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(reply.text);
  assert.equal(exported.schema, "nhi-lens/1");
  writeFileSync(join(ARTIFACTS, "export-okta.json"), reply.text);
  // The same mock API responses, scanned by the command line at the export's "now".
  const api = join(ROOT, "tests/consoles/acme-admin.okta.com/api/v1");
  const responses = readdirSync(api, { recursive: true }).filter((f) => f.endsWith(".json")).map((f) => join(api, f));
  const cli = JSON.parse(
    execFileSync(CLI, ["scan", "--format", "json", "--now", exported.now, ...responses], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const byId = new Map(cli.identities.map((i) => [i.id, i]));
  const tokens = exported.identities.filter((i) => i.kind === "api_token");
  assert.ok(tokens.length >= 5, `${tokens.length} tokens exported`);
  for (const mine of tokens) {
    const theirs = byId.get(mine.id);
    assert.ok(theirs, `${mine.id} is not in the command line's report`);
    assert.deepEqual(
      { level: mine.risk.level, score: mine.risk.score, owner: mine.owner?.name ?? null, created: mine.created_at, rules: mine.findings.map((f) => f.rule).sort() },
      { level: theirs.risk.level, score: theirs.risk.score, owner: theirs.owner?.name ?? null, created: theirs.created_at, rules: theirs.findings.map((f) => f.rule).sort() },
      mine.id,
    );
  }
  // And the command line reads the export back to the same scores.
  const exportFile = join(ARTIFACTS, "export-okta.json");
  const reread = JSON.parse(execFileSync(CLI, ["scan", "--format", "json", "--now", exported.now, exportFile], { encoding: "utf8" }));
  const scores = (r) => r.identities.map((i) => `${i.id} ${i.risk.score}`).sort();
  assert.deepEqual(scores(reread), scores(exported));
  await page.close();
});

test("every export format downloads as text naming the tenant", async () => {
  for (const format of ["csv", "json", "md", "sarif", "ocsf"]) {
    const reply = await ask(extensionPage, { type: "export", tenant: "okta:acme", format });
    assert.equal(reply.type, "export", `${format}: ${JSON.stringify(reply).slice(0, 200)}`);
    assert.ok(reply.text.length > 100, format);
    assert.ok(reply.filename.includes("okta-acme"), reply.filename);
  }
  const csv = await ask(extensionPage, { type: "export", tenant: "okta:acme", format: "csv" });
  // The hostile token name is a CSV cell that cannot become a formula or markup.
  assert.ok(csv.text.includes("<img src=x onerror=alert(1)>"));
  for (const line of csv.text.split("\n").slice(1)) {
    for (const cell of line.split(",")) assert.ok(!/^[=+\-@]/.test(cell), `formula cell ${cell}`);
  }
});

/** A tenant's identity IDs, sorted, as the side panel gets them. */
async function inventoryIds(tenant) {
  const reply = await ask(extensionPage, { type: "inventory", tenant });
  assert.equal(reply.type, "inventory", tenant);
  return reply.report.identities.map((i) => i.id).sort();
}

/** A page's badges' identity IDs, sorted. */
const badgeIds = async (page) => (await badges(page)).map((b) => b.id).sort();

test("each AWS account the admin switches to is an inventory of its own, its badges' cards included", async () => {
  const users = "us-east-1.console.aws.amazon.com/iam/home#/users";
  const first = await visit(browser.context, consoleUrl(users));
  const firstIds = await badgeIds(first);
  await first.close();
  // Switching role reloads the console signed in to another account: the same page, whose
  // session meta tag (and users' ARNs) name that account. Headers, CSP included, stay the console's.
  const other = "444455556666";
  await browser.context.route(/\/iam\/home/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replaceAll("123456789012", other);
    await route.fulfill({ response, body });
  });
  const second = await visit(browser.context, consoleUrl(users));
  await browser.context.unroute(/\/iam\/home/);
  assert.deepEqual(await badgeIds(second), firstIds.map((id) => id.replaceAll("123456789012", other)));
  // The second account's inventory has only this page: its users' ages come from the table's
  // relative times ("40 days ago"), counted from when the extension read it. A person's access
  // keys, badged beside them, have no age of their own (their key's is the secret's).
  const found = await badges(second);
  const ages = found.filter((b) => !b.id.includes(":access_key:")).map((b) => b.ageDays);
  assert.ok(ages.length > 0 && ages.every((a) => /^\d+$/.test(a)), `ages ${ages}`);
  assert.deepEqual(found.filter((b) => b.id.includes(":access_key:")).map((b) => b.ageDays), [""]);
  assert.ok(firstIds.every((id) => id.includes("123456789012")), "the users' IDs name their account");
  const badge = second.locator("nhi-lens-badge").first();
  const id = await badge.getAttribute("data-nhi-id");
  await badge.locator("button").click();
  const card = await cardFrame(second);
  assert.match(card?.url() ?? "no card", new RegExp(`tenant=aws%3A${other}&`));
  await card.waitForSelector(`#nhi-detail[data-id="${id}"]`, { timeout: 10000 });
  await second.close();
  const inventory = async (account) =>
    (await inventoryIds(`aws:${account}`)).map((id) => id.replaceAll(account, "<account>")).sort();
  const firstInventory = await inventory("123456789012");
  assert.ok(firstIds.length > 0 && firstInventory.length >= firstIds.length);
  assert.deepEqual(await inventory(other), firstInventory);
  const { tenants } = await ask(extensionPage, { type: "tenants" });
  assert.ok(!tenants.some((t) => t.tenant.includes("console.aws.amazon.com")), "an inventory keyed by the host");
});

test("an IAM page read for nothing waits for the account its session names, and asks again when it comes late", async () => {
  const users = "us-east-1.console.aws.amazon.com/iam/home#/users";
  await (await visit(browser.context, consoleUrl(users))).close();
  const inventory = await inventoryIds("aws:123456789012");
  // The same table at a route NHI Lens does not read (a filtered list), from a console that
  // names its account late: the session meta tag is left out of the page (CSP kept).
  const page = await browser.context.newPage();
  await page.route(/\/iam\/home/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/<meta name="awsc-session-data"[^>]*>/, "");
    await route.fulfill({ response, body });
  });
  await page.goto(consoleUrl(`${users}?search=ci`), { waitUntil: "load" });
  await page.waitForSelector("table");
  // The content script waits 6 s for the account, then asks keyed by the host: no inventory.
  await page.waitForTimeout(7500);
  assert.equal(await page.locator("nhi-lens-badge").count(), 0);
  await page.evaluate((html) => document.head.insertAdjacentHTML("beforeend", html), await sessionMeta());
  await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 10000 });
  const ids = await badgeIds(page);
  assert.ok(ids.length > 0 && ids.every((id) => inventory.includes(id)), `${ids}`);
  await page.close();
});

test("a list still loading never takes the place of its last reading, and its rows are read once they come", async () => {
  const users = "us-east-1.console.aws.amazon.com/iam/home#/users";
  const first = await visit(browser.context, consoleUrl(users));
  const shown = await badgeIds(first);
  const inventory = await inventoryIds("aws:123456789012");
  assert.ok(shown.length > 0);
  // The console answers late: its table says "Loading users" for 2.5 s, long past the first
  // snapshot of the page.
  await first.evaluate(() => localStorage.setItem("iamMockDelay", "2500"));
  try {
    await first.reload({ waitUntil: "load" });
    await first.waitForSelector("table .loading");
    await first.waitForTimeout(1500);
    assert.equal(await first.locator("table .loading").count(), 1, "still loading");
    assert.deepEqual(await inventoryIds("aws:123456789012"), inventory);
    await first.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 10000 });
    await first.waitForFunction((n) => document.querySelectorAll("nhi-lens-badge").length >= n, shown.length);
    assert.deepEqual(await badgeIds(first), shown);
    assert.deepEqual(await inventoryIds("aws:123456789012"), inventory);
  } finally {
    await first.evaluate(() => localStorage.removeItem("iamMockDelay"));
    await first.close();
  }
});

/** The IAM mock's session meta tag, as its page serves it. */
async function sessionMeta() {
  const html = await (await fetch(consoleUrl("us-east-1.console.aws.amazon.com/iam/home"))).text();
  return html.match(/<meta name="awsc-session-data"[^>]*>/)[0];
}

test("on a console page NHI Lens reads nothing on (an organization's audit log), rows naming an identity of the inventory get its badge", async () => {
  const apps = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  await apps.close();
  const before = await ask(extensionPage, { type: "inventory", tenant: "github:acme" });
  const idOf = (name) => before.report.identities.find((i) => i.name === name)?.id;
  const log = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/audit-log"));
  const found = (await badges(log)).map((b) => [b.id, b.row.split(/\s+/).slice(0, 3).join(" ")]);
  // Each row naming an identity of the inventory, in order (a person or the hostile-named token
  // only if an earlier test read them); never the row holding only an installation ID and a count.
  const named = [
    ["CI Bot", "CI Bot integration_installation.repositories_added"],
    ["monalisa", "monalisa org.update_member role"],
    ["<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"],
    // A name split by a search's highlight.
    ["Renovate", "Renovate integration_installation.create"],
    // A row as GitHub's own pages draw many: a `.Box-row` of its own, no list item; its name
    // written with a no-break space and a line break.
    ["Legacy Deploy Helper", "Legacy Deploy Helper"],
  ];
  for (const app of ["CI Bot", "Legacy Deploy Helper", "Renovate"]) assert.ok(idOf(app), `${app} is in the inventory`);
  assert.deepEqual(found, named.filter(([name]) => idOf(name)).map(([name, row]) => [idOf(name), row]));
  await log.close();
  // Nothing was read there: the inventory and its pages are as they were.
  const after = await ask(extensionPage, { type: "inventory", tenant: "github:acme" });
  assert.deepEqual(after.report.identities.map((i) => i.id), before.report.identities.map((i) => i.id));
  assert.ok(!after.pages.some((p) => p.url.includes("audit-log")), "the audit log is no page of the inventory's");
  assert.deepEqual(browser.dialogs, []);
});

test("on a page NHI Lens reads, a short number alone (a count, a page's number) is no identity's row, and a name the page cut short is found by its link's title", async () => {
  // GitHub's installed Apps list finds rows of any kind (list items too).
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  const app = (await badges(page)).find((b) => b.id.endsWith(":31001"));
  assert.ok(app, "installation 31001 (CI Bot) is badged");
  // A pager whose page number is the installation's ID, and the App's name cut short with its
  // title.
  await page.evaluate(() => document.querySelector("main").insertAdjacentHTML("beforeend",
    '<ul id="probe"><li id="count"><a href="?page=31001">31001</a></li><li id="cut"><a href="#" title="CI Bot">CI B\u2026</a></li></ul>'));
  await page.waitForSelector("#cut nhi-lens-badge", { state: "attached", timeout: 10000 });
  assert.equal(await page.locator("#cut nhi-lens-badge").getAttribute("data-nhi-id"), app.id);
  assert.equal(await page.locator("#count nhi-lens-badge").count(), 0);
  await page.close();
});

/** Asserts a GitLab token page at `at` (a loopback path) draws its table and gets no badge. */
async function noBadgesOnTokenPage(at) {
  const page = await browser.context.newPage();
  await page.goto(consoleUrl(at), { waitUntil: "load" });
  await page.waitForSelector("td[role=cell]");
  await page.waitForTimeout(1000);
  assert.equal(await page.locator("nhi-lens-badge").count(), 0, `badges on ${at}`);
  await page.close();
}

/**
 * Visits the group token page of the GitLab instance at `place` (its host, port and path as
 * stored) and asserts its badges and its inventory are the instance's, the list's second page
 * fetched there too; returns the inventory's IDs.
 */
async function readsInstanceTokens(place) {
  const page = await visit(browser.context, consoleUrl(`${place}/groups/acme/-/settings/access_tokens`));
  const found = await badgeIds(page);
  await page.close();
  assert.ok(found.length > 0, `no badges on ${place}`);
  for (const id of found) assert.ok(id.endsWith(`@${place}`), id);
  const onInstance = await inventoryIds(`gitlab:acme@${place}`);
  assert.ok(onInstance.length > found.length, `the second page of tokens was not fetched on ${place}`);
  for (const id of found) assert.ok(onInstance.includes(id), `${id} is not in the instance's inventory`);
  return onInstance;
}

test("a self-managed GitLab or GitHub Enterprise Server the admin added is read as gitlab.com or github.com is, each group or organization an inventory of its own", async () => {
  const path = "groups/acme/-/settings/access_tokens";
  const instance = "gitlab.corp.example";
  // Not added: nothing is read there.
  await noBadgesOnTokenPage(`${instance}/${path}`);

  const { options } = await ask(extensionPage, { type: "get_options" });
  const added = { ...options, instances: [{ platform: "gitlab", host: instance }] };
  assert.equal((await ask(extensionPage, { type: "set_options", options: added })).type, "done");
  try {
    const page = await visit(browser.context, consoleUrl(`${instance}/${path}`));
    const badge = page.locator("nhi-lens-badge").first();
    const id = await badge.getAttribute("data-nhi-id");
    // Extension pages may be framed only on the manifest's hosts: the card opens in a window.
    const opened = browser.context.waitForEvent("page", { timeout: 10000 });
    await badge.locator("button").click();
    const card = await opened;
    assert.match(card.url(), new RegExp(`card-window\\.html#tenant=gitlab%3Aacme%40${instance.replaceAll(".", "\\.")}&id=`));
    await card.waitForSelector(`#nhi-detail[data-id="${id}"]`, { timeout: 10000 });
    // Another badge's card takes the first one's place: one card window at a time.
    const other = page.locator("nhi-lens-badge").nth(1);
    const otherId = await other.getAttribute("data-nhi-id");
    const reopened = browser.context.waitForEvent("page", { timeout: 10000 });
    await other.locator("button").click();
    const second = await reopened;
    await second.waitForSelector(`#nhi-detail[data-id="${otherId}"]`, { timeout: 10000 });
    for (let i = 0; i < 50 && !card.isClosed(); i++) await page.waitForTimeout(100);
    assert.ok(card.isClosed(), "the first card window is still open");
    // Its close button closes its window.
    // The window may close before the click's own round trip ends, which Playwright reports as
    // the click failing on a closed page: the assertion below is what says whether it closed.
    const closed = second.waitForEvent("close", { timeout: 5000 }).catch(() => null);
    await second.click("#nhi-card-close").catch((error) => {
      if (!/closed/.test(error.message)) throw error;
    });
    await closed;
    assert.ok(second.isClosed(), "the card window did not close");
    await page.close();
    (await visit(browser.context, consoleUrl(`gitlab.com/${path}`))).close();
    // The same mock data on both hosts: the same identities, in two inventories.
    const hosted = await inventoryIds("gitlab:acme");
    assert.ok(hosted.length > 4, "the second page of tokens was fetched too");
    // The instance's numbers are its own: its IDs name its host.
    const onInstance = await inventoryIds(`gitlab:acme@${instance}`);
    assert.ok(onInstance.every((id) => id.endsWith(`@${instance}`)), onInstance.join());
    assert.deepEqual(onInstance.map((id) => id.slice(0, -`@${instance}`.length)).sort(), hosted);

    // A GitHub Enterprise Server's settings pages are github.com's, read from the page.
    const ghes = "github.corp.example", installations = "organizations/acme/settings/installations";
    await ask(extensionPage, { type: "set_options", options: { ...added, instances: [...added.instances, { platform: "github", host: ghes }] } });
    const badgedOn = async (url) => {
      const page = await visit(browser.context, consoleUrl(url));
      const found = await badgeIds(page);
      await page.close();
      return found;
    };
    const onGithub = await badgedOn(`github.com/${installations}`);
    assert.ok(onGithub.length > 0);
    assert.deepEqual(await badgedOn(`${ghes}/${installations}`), onGithub.map((id) => `${id}@${ghes}`).sort());
    const { tenants } = await ask(extensionPage, { type: "tenants" });
    assert.ok(tenants.some((t) => t.tenant === `github:acme@${ghes}` && t.identities > 0), "no GHES inventory");
  } finally {
    await ask(extensionPage, { type: "set_options", options });
  }
});

test("a self-managed GitLab on a port of its own is read there, and not on the host's other ports", async () => {
  const path = "groups/acme/-/settings/access_tokens";
  const host = "gitlab.corp.example:8443";
  const { options } = await ask(extensionPage, { type: "get_options" });
  const added = { ...options, instances: [{ platform: "gitlab", host }] };
  assert.equal((await ask(extensionPage, { type: "set_options", options: added })).type, "done");
  try {
    // The same host on HTTPS's own port is not the instance.
    await noBadgesOnTokenPage(`gitlab.corp.example/${path}`);
    await readsInstanceTokens(host);
  } finally {
    await ask(extensionPage, { type: "set_options", options });
  }
});

test("a self-managed GitLab served under a path of its host (its relative URL root) is read under that path, and not at the host's root", async () => {
  const path = "groups/acme/-/settings/access_tokens";
  const place = "code.corp.example/gitlab";
  const { options } = await ask(extensionPage, { type: "get_options" });
  const added = { ...options, instances: [{ platform: "gitlab", host: place }] };
  assert.equal((await ask(extensionPage, { type: "set_options", options: added })).type, "done");
  try {
    // The host's root, served by another GitLab, is not the instance.
    await noBadgesOnTokenPage(`code.corp.example/${path}`);
    const onInstance = await readsInstanceTokens(place);
    const tenant = `gitlab:acme@${place}`;
    // Its export's file name writes the path's slash as no folder.
    const exported = await ask(extensionPage, { type: "export", tenant, format: "json" });
    assert.match(exported.filename, /^nhi-lens-gitlab-acme@code\.corp\.example-gitlab-\d{4}-\d\d-\d\d\.json$/);
    assert.deepEqual(JSON.parse(exported.text).identities.map((i) => i.id).sort(), onInstance);
  } finally {
    await ask(extensionPage, { type: "set_options", options });
  }
});

test("on a console the admin switched off, the tap hands nothing on and leaves the console's responses as the browser made them", async () => {
  const { options } = await ask(extensionPage, { type: "get_options" });
  const tapped = async (page) => page.evaluate(async () => {
    let handed = 0;
    window.addEventListener("nhi-lens:response", () => handed++);
    const response = await fetch("/acme-admin.okta.com/api/v1/api-tokens?limit=4");
    await response.json();
    const xhr = new XMLHttpRequest();
    xhr.open("GET", "/acme-admin.okta.com/api/v1/apps?limit=4");
    await new Promise((done) => { xhr.onload = done; xhr.send(); });
    await new Promise((r) => setTimeout(r, 200));
    // The tap reads a body through methods of the response's own.
    return { wrapped: Object.hasOwn(response, "json"), handed };
  });
  const on = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  assert.deepEqual(await tapped(on), { wrapped: true, handed: 2 });
  await on.close();
  try {
    await ask(extensionPage, { type: "set_options", options: { ...options, disabled_platforms: ["okta"] } });
    const off = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"), { expectBadges: false });
    assert.equal(await off.locator("nhi-lens-badge").count(), 0);
    assert.deepEqual(await tapped(off), { wrapped: false, handed: 0 });
    // Switched on again, the page's next view (a route of its own) is read again.
    await ask(extensionPage, { type: "set_options", options });
    await off.evaluate(() => { location.hash = "#again"; });
    await off.waitForTimeout(500);
    assert.deepEqual(await tapped(off), { wrapped: true, handed: 2 });
    await off.close();
  } finally {
    await ask(extensionPage, { type: "set_options", options });
  }
});

test("an open console page follows the admin's decisions and options without a reload", async () => {
  const { options } = await ask(extensionPage, { type: "get_options" });
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const summary = () => extensionPage.evaluate(async () => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => t.url?.includes("/admin/access/api/tokens"));
    return JSON.parse(await chrome.runtime.sendMessage({ type: "tab_summary", tab_id: tab.id })).summary.status;
  });
  const until = async (what, test) => {
    let last;
    for (const end = Date.now() + 10000; Date.now() < end; await page.waitForTimeout(100)) {
      last = await what();
      if (test(last)) return last;
    }
    assert.fail(`never: ${JSON.stringify(last).slice(0, 300)}`);
  };
  const [first] = await badges(page);
  assert.ok(first, "the page has its badges");
  const assign = (owner) => ask(extensionPage, { type: "assign_owner", tenant: "okta:acme", id: first.id, owner });
  try {
    // An owner assigned in the side panel is on the page's badge.
    assert.equal((await assign("platform-team")).type, "done");
    const { revision } = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
    await until(() => badges(page), (all) => all.some((b) => b.id === first.id && b.owner === "platform-team"));
    // The page read again as it was: what the panel showed is still the inventory to review.
    const reviewed = await ask(extensionPage, { type: "mark_reviewed", tenant: "okta:acme", seen: revision });
    assert.equal(reviewed.type, "done", JSON.stringify(reviewed));
    // The console switched off: its badges go, the popup says so; on again, they come back.
    await ask(extensionPage, { type: "set_options", options: { ...options, disabled_platforms: ["okta"] } });
    await until(() => page.locator("nhi-lens-badge").count(), (n) => n === 0);
    await until(summary, (status) => status.state === "disabled");
    await ask(extensionPage, { type: "set_options", options });
    await until(() => page.locator("nhi-lens-badge").count(), (n) => n > 0);
    await until(summary, (status) => status.state === "read");
  } finally {
    await ask(extensionPage, { type: "set_options", options });
    await assign(" ");
    await page.close();
  }
});

test("the tap leaves every way of reading a response as the console expects, and hands each on once", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const seen = await page.evaluate(async () => {
    const url = "/acme-admin.okta.com/api/v1/api-tokens?limit=4";
    const handed = [];
    let head = null;
    window.addEventListener("nhi-lens:response-head", (e) => { head = e.detail; });
    // Each body comes right after its head, "url\nlink\nsignature".
    window.addEventListener("nhi-lens:response", (e) => { if (head) handed.push(e.detail); head = null; });
    // A fetched body comes as a Blob of its bytes, an XMLHttpRequest's as its text.
    const texts = () => Promise.all(handed.map((d) => (typeof d === "string" ? d : d.text())));
    const get = () => fetch(url, { headers: { Accept: "application/json" } });
    const text = await (await get()).text();
    const json = await (await get()).json();
    const bytes = new TextDecoder().decode(await (await get()).arrayBuffer());
    const original = await get();
    const copy = original.clone();
    const [fromOriginal, fromCopy] = await Promise.all([original.json(), copy.text()]);
    const once = await get();
    await once.text();
    let again = null;
    try { await once.json(); } catch (e) { again = e.name; }
    // As a Blob (typed as the browser types one) and as bytes.
    const blobbed = await (await get()).blob();
    const blob = { text: await blobbed.text(), type: blobbed.type };
    // The browser's own blob(), past the tap's (which only shadows it on the response).
    const nativeType = (await Response.prototype.blob.call(await get())).type;
    const asBytes = await (await get()).bytes();
    const bytesRead = { typed: asBytes instanceof Uint8Array, text: new TextDecoder().decode(asBytes) };
    // XMLHttpRequest, as text and as JSON; the console's own load handler sees its response.
    const xhr = (type) => new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("GET", url);
      request.responseType = type;
      request.onload = () => resolve(request.response);
      request.send();
    });
    const xhrText = await xhr("");
    const xhrJson = await xhr("json");
    // As a stream, which stays the browser's own: read with a reader a chunk at a time (handed
    // on); piped through a decoder, or read into the console's own buffers (byob), both untapped;
    // looked at and then read as JSON; read after a clone gave the response a new stream; a body
    // already read, which stays locked; JSON asked for while a reader holds the stream, which
    // fails as it does without the tap, the reader then reading on; and a read pending when the
    // console cancels, which ends the stream with nothing handed on.
    const readAll = async (reader) => {
      const parts = [];
      for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
      return { typed: parts.every((p) => p instanceof Uint8Array), text: new TextDecoder().decode(await new Blob(parts).arrayBuffer()) };
    };
    const chunked = await (async () => {
      const response = await get();
      const read = await readAll(response.body.getReader());
      return { ...read, used: response.bodyUsed, again: response.body === response.body };
    })();
    let piped = "";
    const decoded = (await get()).body.pipeThrough(new TextDecoderStream()).getReader();
    for (let part = await decoded.read(); !part.done; part = await decoded.read()) piped += part.value;
    const byob = await (async () => {
      const reader = (await get()).body.getReader({ mode: "byob" });
      let bytes = new Uint8Array(0);
      for (;;) {
        const { done, value } = await reader.read(new Uint8Array(1024));
        if (done) break;
        const all = new Uint8Array(bytes.length + value.length);
        all.set(bytes);
        all.set(value, bytes.length);
        bytes = all;
      }
      return new TextDecoder().decode(bytes);
    })();
    const looked = await get();
    const lookedAt = looked.body instanceof ReadableStream && !looked.bodyUsed;
    const afterLook = await looked.json();
    const cloned = await get();
    const before = cloned.body;
    const twin = cloned.clone();
    const afterClone = { replaced: cloned.body !== before, read: await readAll(cloned.body.getReader()), twin: await twin.text() };
    const usedUp = await get();
    await usedUp.text();
    let lockedRead = null;
    try { usedUp.body.getReader(); } catch (e) { lockedRead = e.name; }
    const readBefore = { locked: usedUp.body.locked, lockedRead };
    const held = await get();
    const heldReader = held.body.getReader();
    let heldJson = null;
    try { await held.json(); } catch (e) { heldJson = e.name; }
    const whileHeld = { json: heldJson, read: await readAll(heldReader) };
    const cancelled = await get();
    const partReader = cancelled.body.getReader();
    const first = await partReader.read();
    const pending = partReader.read();
    await partReader.cancel("enough");
    const partly = { first: first.value instanceof Uint8Array, end: (await pending).done, used: cancelled.bodyUsed };
    // An API's error in JSON reaches the console and is not handed on.
    const missing = "/acme-admin.okta.com/api/v1/no-such-list";
    const failed = await fetch(missing);
    const error = { status: failed.status, body: await failed.json() };
    const xhrError = await new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("GET", missing);
      request.onload = () => resolve([request.status, request.responseText.length > 0]);
      request.send();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { text, json, bytes, fromOriginal, fromCopy, again, used: once.bodyUsed, blob, nativeType, bytesRead, xhrText, xhrJson, chunked, piped, byob, lookedAt, afterLook, afterClone, readBefore, whileHeld, partly, error, xhrError, handed: await texts() };
  });
  assert.ok(seen.text.startsWith("[") && seen.text.length > 100, seen.text.slice(0, 100));
  assert.deepEqual(seen.json, JSON.parse(seen.text));
  assert.equal(seen.bytes, seen.text);
  assert.deepEqual(seen.fromOriginal, seen.json);
  assert.equal(seen.fromCopy, seen.text);
  assert.equal(seen.again, "TypeError", "a body read twice must fail as it does without the tap");
  assert.ok(seen.used);
  assert.deepEqual(seen.blob, { text: seen.text, type: seen.nativeType });
  assert.ok(seen.nativeType.startsWith("application/json"), seen.nativeType);
  assert.deepEqual(seen.bytesRead, { typed: true, text: seen.text });
  assert.equal(seen.xhrText, seen.text);
  assert.deepEqual(seen.xhrJson, seen.json);
  assert.deepEqual(seen.chunked, { typed: true, text: seen.text, used: true, again: true });
  assert.equal(seen.piped, seen.text);
  assert.equal(seen.byob, seen.text);
  assert.ok(seen.lookedAt, "looking at a body must not use it");
  assert.deepEqual(seen.afterLook, seen.json);
  assert.deepEqual(seen.afterClone, { replaced: true, read: { typed: true, text: seen.text }, twin: seen.text });
  assert.deepEqual(seen.readBefore, { locked: true, lockedRead: "TypeError" });
  assert.deepEqual(seen.whileHeld, { json: "TypeError", read: { typed: true, text: seen.text } });
  assert.deepEqual(seen.partly, { first: true, end: true, used: true });
  assert.equal(seen.error.status, 404);
  assert.equal(seen.error.body.error.code, "NotFound");
  assert.deepEqual(seen.xhrError, [404, true]);
  // text, json, arrayBuffer, the original and its copy, the body read once (not twice), the
  // Blob and the bytes, the two XMLHttpRequests (the JSON one as the JSON it parsed to, written
  // back), and then the streams a reader read to their end, the body looked at and then read as
  // JSON, the body read after a clone and its twin, the body read before its stream was asked
  // for, and the one read by the reader that held it; not the body read past the tap, nor the
  // piped one, the one read into the console's buffers, or the one cancelled part-way.
  assert.equal(seen.handed.length, 16);
  assert.ok(seen.handed.slice(0, 9).every((body) => body === seen.text));
  assert.deepEqual(JSON.parse(seen.handed[9]), seen.json);
  assert.ok(seen.handed.slice(10).every((body) => body === seen.text));
  await page.close();
});

test("the tap says when the console's requests are on their way, and done once they all ended, however the console reuses its requests", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const said = await page.evaluate(async () => {
    const url = "/acme-admin.okta.com/api/v1/api-tokens?limit=4";
    const told = [];
    window.addEventListener("nhi-lens:busy", (e) => told.push(e.detail));
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    // A long-poll loop on one object: the next request opened and sent from the last one's load.
    await new Promise((done) => {
      const request = new XMLHttpRequest();
      let left = 3;
      request.onload = () => {
        if (--left === 0) return done();
        request.open("GET", url);
        request.send();
      };
      request.open("GET", url);
      request.send();
    });
    // Opened again while on its way (which ends it without a load's end), then sent.
    const again = new XMLHttpRequest();
    again.open("GET", url);
    again.send();
    again.open("GET", url);
    await new Promise((done) => { again.onloadend = done; again.send(); });
    // Sent without being opened: it throws, as without the tap.
    let unopened = null;
    try { new XMLHttpRequest().send(); } catch (e) { unopened = e.name; }
    // A synchronous one, and fetches, one of them failing.
    const sync = new XMLHttpRequest();
    sync.open("GET", url, false);
    sync.send();
    await Promise.all([fetch(url), fetch("/nowhere.invalid/x").catch(() => null)]);
    await pause(300);
    return { told, unopened, syncStatus: sync.status };
  });
  assert.equal(said.unopened, "InvalidStateError");
  assert.equal(said.syncStatus, 200);
  assert.ok(said.told.includes(true), JSON.stringify(said.told));
  assert.equal(said.told.at(-1), false, JSON.stringify(said.told));
  await page.close();
});

test("an XMLHttpRequest the console reuses is tapped once a load, shows nothing of the tap's, and fails as it would without it", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const seen = await page.evaluate(async () => {
    const url = "/acme-admin.okta.com/api/v1/api-tokens?limit=4";
    let handed = 0;
    window.addEventListener("nhi-lens:response", () => { handed++; });
    const rejections = [];
    window.addEventListener("unhandledrejection", (e) => rejections.push(String(e.reason)));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
    // One object for three requests, as some consoles keep one per list.
    const request = new XMLHttpRequest();
    const perLoad = [];
    for (let i = 0; i < 3; i++) {
      const before = handed;
      request.open("GET", url);
      await new Promise((done) => { request.onload = done; request.send(); });
      await settle();
      perLoad.push(handed - before);
    }
    const ownKeys = Object.keys(request);
    // Too few arguments fail as they do without the tap.
    let tooFew = null;
    try { new XMLHttpRequest().open("GET"); } catch (e) { tooFew = e.name; }
    // JSON the tap cannot write back (here a page library's JSON.stringify that throws; in
    // Firefox, whose response is the console's own object, one it made circular) is not handed
    // on, and nothing fails in the page.
    const before = handed;
    const stringify = JSON.stringify;
    JSON.stringify = () => { throw new TypeError("the page's own stringify"); };
    const json = new XMLHttpRequest();
    json.open("GET", url);
    json.responseType = "json";
    await new Promise((done) => { json.onload = done; json.send(); });
    await settle();
    JSON.stringify = stringify;
    return { perLoad, ownKeys, tooFew, unwritableHanded: handed - before, rejections };
  });
  assert.deepEqual(seen, { perLoad: [1, 1, 1], ownKeys: [], tooFew: "TypeError", unwritableHanded: 0, rejections: [] });
  await page.close();
});

test("a console that reads its JSON as a stream or by XMLHttpRequest, never calling json() or text(), gets its badges", async () => {
  const tokens = "acme-admin.okta.com/admin/access/api/tokens";
  const read = async (url) => {
    const page = await visit(browser.context, consoleUrl(url));
    const found = await badgeIds(page);
    await page.close();
    return found;
  };
  // Read from the stream alone first: an inventory read before would badge the rows too.
  await ask(extensionPage, { type: "forget_tenant", tenant: "okta:acme" });
  const asStream = await read(`${tokens}?read=stream`);
  assert.ok(asStream.length > 0);
  // Text from XMLHttpRequest goes to the worker as a Blob the content script makes of it.
  await ask(extensionPage, { type: "forget_tenant", tenant: "okta:acme" });
  assert.deepEqual(await read(`${tokens}?read=xhr`), asStream);
  await ask(extensionPage, { type: "forget_tenant", tenant: "okta:acme" });
  assert.deepEqual(await read(tokens), asStream);
});

test("a single-page console moved to another page without a load is read as that page", async () => {
  // The IAM console's hash routes: the browser keeps reporting the URL the document loaded at,
  // the credential report's page, while the console draws its users list.
  const iam = "us-east-1.console.aws.amazon.com/iam/home";
  const direct = await visit(browser.context, consoleUrl(`${iam}#/users`));
  const expected = await badgeIds(direct);
  await direct.close();
  assert.ok(expected.length > 0);
  const page = await visit(browser.context, consoleUrl(`${iam}#/credential_report`), { expectBadges: false });
  try {
    await page.evaluate(() => { location.hash = "#/users"; });
    await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    await settle(page);
    assert.deepEqual(await badgeIds(page), expected);
  } finally {
    await page.close();
  }
});

/** What the content scripts send the worker as captured DOM regions from now on, each with the
 * page URL it was sent for, as the worker receives them: `dom()` reads them, `stop()` ends it. */
async function spyOnRegions(worker) {
  await worker.evaluate(() => {
    globalThis.__nhiLensSent = [];
    globalThis.__nhiLensSpy = (m) => {
      if (m.type === "captured") globalThis.__nhiLensSent.push(...m.captures.filter((c) => c.kind === "dom").map((c) => ({ ...c, url: m.url })));
    };
    chrome.runtime.onMessage.addListener(globalThis.__nhiLensSpy);
  });
  return {
    dom: () => worker.evaluate(() => globalThis.__nhiLensSent),
    stop: () => worker.evaluate(() => chrome.runtime.onMessage.removeListener(globalThis.__nhiLensSpy)),
  };
}

test("a page's region is sent again when it changes, without the badges drawn in it, which stay as they were", async () => {
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  // The worker the visit woke (earlier tests stopped others).
  const spy = await spyOnRegions(browser.context.serviceWorkers().at(-1));
  try {
    const drawn = await page.evaluate(() => (window.__nhiTestBadges = [...document.querySelectorAll("main nhi-lens-badge")]).length);
    assert.ok(drawn > 0);
    await page.evaluate(() => document.querySelector("main").append(Object.assign(document.createElement("p"), { textContent: "a note the console added" })));
    let sent = [];
    for (let i = 0; i < 50 && !sent.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await spy.dom();
    }
    // A second sending would come within the content script's next flush.
    await page.waitForTimeout(1000);
    sent = await spy.dom();
    assert.equal(sent.length, 1, "the changed region is sent once");
    const html = sent[0].html;
    assert.match(html, /a note the console added/);
    assert.match(html, /^<main[\s>]/, "the region's own tag leads");
    assert.doesNotMatch(html, /nhi-lens-badge/);
    // Read again, the region keeps its badges: the same elements, none drawn anew.
    await settle(page);
    assert.equal(await page.$$eval("main nhi-lens-badge", (b) => b.length), drawn);
    assert.ok(await page.evaluate(() => window.__nhiTestBadges.every((b) => b.isConnected)), "a badge was drawn again");
  } finally {
    await spy.stop();
    await page.close();
  }
});

test("a console that moves to another page with history.pushState, drawing it in place, is read as that page", async () => {
  // GitHub moves between settings pages without a load (Turbo): the next page's main replaces
  // the last one's.
  const hooks = consoleUrl("github.com/organizations/acme/settings/hooks");
  const direct = await visit(browser.context, hooks);
  const expected = await badgeIds(direct);
  await direct.close();
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  try {
    const before = await badgeIds(page);
    assert.ok(expected.length > 0 && before.length > 0 && !expected.some((id) => before.includes(id)));
    await page.evaluate(async (url) => {
      const next = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
      history.pushState(null, "", url);
      document.querySelector("main").replaceWith(document.adoptNode(next.querySelector("main")));
    }, hooks);
    let shown = [];
    for (let i = 0; i < 100 && JSON.stringify(shown) !== JSON.stringify(expected); i++) {
      await page.waitForTimeout(100);
      shown = await badgeIds(page);
    }
    assert.deepEqual(shown, expected);
  } finally {
    await page.close();
  }
});

test("a console that changes its address before drawing the next page (Turbo) has that page read once drawn, never the last page's markup under its address", async () => {
  const hooks = consoleUrl("github.com/organizations/acme/settings/hooks");
  const direct = await visit(browser.context, hooks);
  const expected = await badgeIds(direct);
  await direct.close();
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  const spy = await spyOnRegions(browser.context.serviceWorkers().at(-1));
  try {
    assert.ok((await badgeIds(page)).length > 0);
    // Turbo's order: the address first, the next page's markup once it came (here 1.2 s later,
    // well after the content script's first look at a page).
    const next = await page.evaluate(async (url) => {
      window.__nhiNext = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
      history.pushState(null, "", url);
      // Turbo's progress bar, beside the body, while the next page loads.
      setTimeout(() => document.documentElement.insertBefore(Object.assign(document.createElement("div"), { className: "turbo-progress-bar" }), document.body), 500);
      return location.href;
    }, hooks);
    await page.waitForTimeout(1200);
    // The last page's badges went with its address: its rows name none of the next page's.
    assert.equal(await page.locator("nhi-lens-badge").count(), 0, "the last page's badges stayed");
    await page.evaluate(() => document.querySelector("main").replaceWith(document.adoptNode(window.__nhiNext.querySelector("main"))));
    let shown = [];
    for (let i = 0; i < 100 && JSON.stringify(shown) !== JSON.stringify(expected); i++) {
      await page.waitForTimeout(100);
      shown = await badgeIds(page);
    }
    assert.deepEqual(shown, expected);
    const sent = await spy.dom();
    assert.ok(sent.length > 0 && sent.every((c) => c.url === next));
    assert.ok(!sent.some((c) => c.html.includes("/settings/installations/31001")), "the installations' markup was sent as the hooks page");
  } finally {
    await spy.stop();
    await page.close();
  }
});

test("a row the console takes out, and nothing else, is read as gone", async () => {
  const page = await visit(browser.context, consoleUrl("github.com/organizations/acme/settings/installations"));
  const spy = await spyOnRegions(browser.context.serviceWorkers().at(-1));
  try {
    // A revoked installation's row, removed alone (its badge goes with it).
    await page.evaluate(() => [...document.querySelectorAll("li.Box-row")].find((r) => r.textContent.includes("Renovate")).remove());
    let sent = [];
    for (let i = 0; i < 50 && !sent.length; i++) {
      await page.waitForTimeout(100);
      sent = await spy.dom();
    }
    assert.equal(sent.length, 1, "the page without the row was not sent");
    assert.doesNotMatch(sent[0].html, /Renovate/);
    assert.match(sent[0].html, /CI Bot/);
  } finally {
    await spy.stop();
    await page.close();
  }
});

test("a single-page console that loads a view's list before showing its address, or shows the view again from what it kept, keeps its badges", async () => {
  // The portal's mock with `?keep`: its home link loads the app list before the address changes,
  // and a view shown again is drawn from what the mock kept, loading nothing.
  const portal = consoleUrl("portal.azure.com/?keep");
  const list = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
  const direct = await visit(browser.context, consoleUrl(`portal.azure.com/${list}`));
  const expected = await badgeIds(direct);
  await direct.close();
  assert.ok(expected.length > 0);
  const summary = () => extensionPage.evaluate(async (prefix) => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(prefix));
    return JSON.parse(await chrome.runtime.sendMessage({ type: "tab_summary", tab_id: tab.id })).summary;
  }, portal);
  await ask(extensionPage, { type: "forget_tenant", tenant: "entra:acme-corporation" });
  const page = await visit(browser.context, `${portal}#home`, { expectBadges: false });
  try {
    await page.click(`a[href="${list}"]`);
    await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    await settle(page);
    assert.deepEqual(await badgeIds(page), expected, "the list loaded before the address changed");
    assert.deepEqual((await summary()).status, { state: "read", identities: expected.length });
    await page.evaluate(() => { location.hash = "#home"; });
    await page.waitForSelector(".fxs-home-links");
    assert.equal(await page.locator("nhi-lens-badge").count(), 0);
    let fetched = 0;
    page.on("request", (r) => { if (r.url().includes("/graph.microsoft.com/")) fetched++; });
    await page.evaluate((list) => { location.hash = list; }, list);
    // Nothing loaded: the content script asks after its deadline (6 s) for what the page read.
    await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    await settle(page);
    assert.equal(fetched, 0, "the view was drawn from what the mock kept");
    assert.deepEqual(await badgeIds(page), expected, "the view shown again from what the console kept");
    assert.deepEqual((await summary()).status, { state: "read", identities: expected.length });
  } finally {
    await page.close();
  }
});

test("a list the portal draws in a frame of its own (a React view) is read and badged there, under the directory its tab's page names, and that page is not said to have changed", async () => {
  const list = "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";
  const direct = await visit(browser.context, consoleUrl(`entra.microsoft.com/${list}`));
  const expected = await badgeIds(direct);
  await direct.close();
  assert.ok(expected.length > 0);
  await ask(extensionPage, { type: "forget_tenant", tenant: "entra:acme-corporation" });
  // The inventory keyed by the host (a page that never named its directory) gets nothing of it.
  const byHost = async () => JSON.stringify((await ask(extensionPage, { type: "tenants" })).tenants.find((t) => t.tenant === "entra:entra.microsoft.com") ?? null);
  const byHostBefore = await byHost();
  // The mock with `?reactviews`: the list is drawn, and Graph called, in a frame on
  // sandbox-1.reactblade.portal.azure.net; the tab's page has the portal's shell and no grid.
  const portal = consoleUrl("entra.microsoft.com/?reactviews");
  const page = await visit(browser.context, `${portal}${list}`, { expectBadges: false, settleMs: 0 });
  try {
    const frame = await (await page.waitForSelector("iframe.fxs-reactview")).contentFrame();
    assert.match(frame.url(), /\/sandbox-1\.reactblade\.portal\.azure\.net\//);
    await frame.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    await settle(frame);
    assert.deepEqual(await badgeIds(frame), expected);
    assert.equal(await page.locator("nhi-lens-badge").count(), 0);
    const held = await inventoryIds("entra:acme-corporation");
    assert.ok(expected.every((id) => held.includes(id)), `${expected} in ${held}`);
    const { tenants } = await ask(extensionPage, { type: "tenants" });
    assert.ok(!tenants.some((t) => t.tenant.includes("reactblade")), JSON.stringify(tenants));
    assert.equal(await byHost(), byHostBefore);
    // Past the tab's page's deadline (6 s), its own grid never came: the frame's reading stands.
    await page.waitForTimeout(7000);
    const summary = await extensionPage.evaluate(async (prefix) => {
      const [tab] = (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(prefix));
      return JSON.parse(await chrome.runtime.sendMessage({ type: "tab_summary", tab_id: tab.id })).summary;
    }, portal);
    assert.deepEqual(summary.status, { state: "read", identities: expected.length });
    // Nor does the inventory's list of pages, which the side panel warns from.
    const { pages } = await ask(extensionPage, { type: "inventory", tenant: "entra:acme-corporation" });
    assert.ok(pages.length > 0 && pages.every((p) => p.status.state === "read"), JSON.stringify(pages));
  } finally {
    await page.close();
  }
});

/**
 * The names of `seen` the tenant's inventory does not hold (`holds(name, held names)`), once it
 * holds them all or 20 seconds have passed.
 */
async function notHeld(page, tenant, seen, holds = (name, held) => held.includes(name)) {
  const heldNames = async () =>
    (await ask(extensionPage, { type: "inventory", tenant })).report.identities.map((i) => i.name);
  let held = await heldNames();
  for (const deadline = Date.now() + 20000; seen.some((n) => !holds(n, held)) && Date.now() < deadline; held = await heldNames()) {
    await page.waitForTimeout(300);
  }
  return seen.filter((n) => !holds(n, held));
}

test("a list the console shows a page at a time under one URL keeps every page the admin viewed", async () => {
  // The IAM mock with `?pageSize=4`: 9 users on 3 pages of a table that is redrawn in place.
  await ask(extensionPage, { type: "forget_tenant", tenant: "aws:123456789012" });
  const page = await visit(browser.context, consoleUrl("us-east-1.console.aws.amazon.com/iam/home?pageSize=4#/users"));
  const names = () => page.$$eval("table.users-table tbody tr", (rows) => rows.map((r) => r.cells[1].textContent.trim()));
  try {
    const seen = [];
    for (const n of [1, 2, 3]) {
      if (n > 1) {
        await page.click(`button[aria-label="Page ${n} of all pages"]`);
        await page.waitForSelector("table.users-table nhi-lens-badge", { state: "attached", timeout: 20000 });
      }
      seen.push(...await names());
      // The worker has read this page once its rows carry badges; every page viewed stays.
      assert.deepEqual(await notHeld(page, "aws:123456789012", seen), [], `after page ${n}`);
    }
    assert.equal(new Set(seen).size, 9);
  } finally {
    await page.close();
  }
});

test("a list shown a page at a time as a range of rows keeps every page viewed", async () => {
  // The Google Admin mock with `?pageSize=3`: 8 apps on 3 pages, "1–3 of 8", drawn in place.
  await ask(extensionPage, { type: "forget_tenant", tenant: "google:acme.example" });
  const page = await visit(browser.context, consoleUrl("admin.google.com/ac/owl/list?tab=apps&pageSize=3"));
  const names = () => page.$$eval("table tbody tr", (rows) => rows.map((r) => r.cells[0].textContent.trim()));
  // A row's first cell may say more after the app's name.
  const holds = (name, held) => held.some((h) => h === name || name.startsWith(h));
  try {
    const seen = [];
    for (let n = 1; n <= 3; n++) {
      if (n > 1) {
        await page.click('[aria-label=Pagination] button[aria-label="Next page"]');
        await page.waitForSelector("table tbody nhi-lens-badge", { state: "attached", timeout: 20000 });
      }
      seen.push(...await names());
      assert.deepEqual(await notHeld(page, "google:acme.example", seen, holds), [], `after page ${n}`);
    }
    assert.equal(seen.length, 8);
  } finally {
    await page.close();
  }
});

test("the tap gives the console a large body's text whole, characters across its decoding slices intact", async () => {
  // Over 8 MiB the tap decodes the console's text a slice at a time: put two-, three- and
  // four-byte characters across every slice boundary.
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  try {
    const slice = 8 * 1024 * 1024;
    const prefix = '{"value":"';
    let value = "", bytes = Buffer.byteLength(prefix);
    for (const [k, char] of [[1, "é"], [2, "€"], [3, "😀"]]) {
      const start = k * slice - 1; // the character's first byte; the others are in the next slice
      value += "a".repeat(start - bytes) + char;
      bytes = start + Buffer.byteLength(char);
    }
    const text = `${prefix}${value} end"}`;
    await page.route(/\/big\.json$/, (route) => route.fulfill({ status: 200, contentType: "application/json", body: text }));
    const seen = await page.evaluate(async () => {
      const got = (await (await fetch("/big.json")).text());
      const parsed = await (await fetch("/big.json")).json();
      return { length: got.length, sameAsParsed: JSON.stringify(parsed) === got, tail: got.slice(-12), chars: [...got].filter((c) => c > "~") };
    });
    assert.equal(seen.length, text.length);
    assert.ok(seen.sameAsParsed);
    assert.equal(seen.tail, text.slice(-12));
    assert.deepEqual(seen.chars, ["é", "€", "😀"]);
  } finally {
    await page.close();
  }
});

/** A GUID numbered `i`, starting with `prefix`. */
const guid = (prefix, i) => `${prefix}-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** App `i` of a Graph `GET /applications` page, named `name`. */
const graphApp = (i, name) => ({
  id: guid("00000000", i),
  appId: guid("10000000", i),
  displayName: name,
  createdDateTime: "2023-01-01T00:00:00Z",
  keyCredentials: [],
  passwordCredentials: [],
  publisherDomain: "acme.example",
  signInAudience: "AzureADMyOrg",
});

/** Opens the mock Entra App registrations list on `page` with Graph answering `apps`, once badged. */
async function appRegistrations(page, apps) {
  await page.route(/\/graph\.microsoft\.com\/v1\.0\/applications\?/, (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications", value: apps }) }));
  await page.goto(consoleUrl("entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"));
  await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
}

test("a long list that draws only the rows near the view gets badges on the rows scrolled to", async () => {
  // The mock Entra list renders as Fluent UI's does (pages of rows near the view); its Graph
  // response here holds 21,000 apps, more than the worker answers in one text (20,000), so its
  // answer comes in pages.
  const other = await launch();
  try {
    const page = await other.context.newPage();
    const n = 21000;
    const value = Array.from({ length: n }, (_, i) => graphApp(i, `Scrolled app ${i}`));
    await appRegistrations(page, value);
    const drawn = await page.evaluate(() => document.querySelectorAll("[data-selection-index]").length);
    assert.ok(drawn > 0 && drawn < n / 4, `the list drew ${drawn} of ${n} rows`);
    const badged = (name) => page.waitForFunction(
      (name) => [...document.querySelectorAll("[role=row]")].some((r) => r.textContent.includes(name) && r.querySelector("nhi-lens-badge")),
      name,
      { timeout: 10000 },
    );
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await badged(`Scrolled app ${n - 1}`);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await badged(`Scrolled app ${n / 2}`);
  } finally {
    await other.close();
  }
});

test("a list whose rows the console rewrites in place (a sort keyed by position) has its badges follow the names", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  try {
    const rowsOf = () => page.evaluate(() => [...document.querySelectorAll("nhi-lens-badge")]
      .map((b) => b.closest("tr, [role=row], li"))
      .slice(0, 2)
      .map((row) => ({ badge: row.querySelector("nhi-lens-badge").getAttribute("data-nhi-id"), name: row.textContent.trim().split(/\s{2,}|\n/)[0] })));
    const before = await rowsOf();
    assert.equal(before.length, 2);
    assert.notEqual(before[0].badge, before[1].badge);
    // The first two rows swap their names' text, their elements kept.
    await page.evaluate(() => {
      const rows = [...document.querySelectorAll("nhi-lens-badge")].slice(0, 2).map((b) => b.closest("tr, [role=row], li"));
      const firstText = (row) => {
        const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.trim()) return n;
        return null;
      };
      const [a, b] = rows.map(firstText);
      [a.data, b.data] = [b.data, a.data];
    });
    await page.waitForFunction(
      ([first, second]) => {
        const rows = [...document.querySelectorAll("tr, [role=row], li")].filter((r) => r.querySelector("nhi-lens-badge"));
        const ids = rows.slice(0, 2).map((r) => r.querySelector("nhi-lens-badge").getAttribute("data-nhi-id"));
        return ids[0] === second && ids[1] === first;
      },
      [before[0].badge, before[1].badge],
      { timeout: 10000 },
    );
  } finally {
    await page.close();
  }
});

test("two identities of one name each get their own badge, found by the ID their row shows", async () => {
  const other = await launch();
  try {
    const page = await other.context.newPage();
    const app = (i, secretEnd) => ({
      ...graphApp(i, "Twin app"),
      passwordCredentials: [{ keyId: guid("20000000", i), displayName: "s", startDateTime: "2023-01-01T00:00:00Z", endDateTime: secretEnd }],
    });
    const value = [app(1, "2299-12-31T00:00:00Z"), app(2, "2027-01-01T00:00:00Z")];
    await appRegistrations(page, value);
    await settle(page);
    const rows = await page.evaluate(() => [...document.querySelectorAll("[role=row]")]
      .filter((r) => r.textContent.includes("Twin app"))
      .map((r) => ({ text: r.textContent, badges: [...r.querySelectorAll("nhi-lens-badge")].map((b) => b.getAttribute("data-nhi-id")) })));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    for (const row of rows) {
      assert.equal(row.badges.length, 1, JSON.stringify(row));
      const appId = row.badges[0].split(":").pop();
      assert.ok(row.text.includes(appId), `the badge of ${appId} is on the row of another app: ${row.text}`);
    }
    assert.notEqual(rows[0].badges[0], rows[1].badges[0]);
  } finally {
    await other.close();
  }
});

test("the console's own scripts cannot message the extension", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  // Only the content script's isolated world can; what it sends is checked by the background
  // (brain tests: console pages cannot ask for exports, options or clearing).
  const worlds = await page.evaluate(() => typeof chrome === "undefined" || typeof chrome.runtime?.sendMessage !== "function");
  assert.ok(worlds, "the page's own world can message the extension");
  await page.close();
});

test("the options page forgets one inventory, its captures with it, and leaves the others", async () => {
  for (const url of ["acme-admin.okta.com/admin/access/api/tokens", "gitlab.com/groups/acme/-/settings/access_tokens"]) {
    await (await visit(browser.context, consoleUrl(url))).close();
  }
  const [worker] = browser.context.serviceWorkers();
  const stored = () => worker.evaluate(async () => {
    const captures = await globalThis.nhiLensCaptures.keys();
    const local = Object.keys(await chrome.storage.local.get(null));
    return { okta: [...captures, ...local].filter((k) => k.includes("okta:acme")).length, gitlab: captures.filter((k) => k.includes("gitlab:acme")).length };
  });
  const before = await stored();
  assert.ok(before.okta > 0 && before.gitlab > 0, JSON.stringify(before));
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl("options.html"));
  const row = options.locator('[data-nhi-inventory="okta:acme"]');
  await row.locator("[data-nhi-forget]").click();
  await row.locator("[data-nhi-forget-confirm]").click();
  await options.waitForSelector("#nhi-inventories-status");
  assert.match(await options.locator("#nhi-inventories-status").textContent(), /okta:acme was deleted/);
  assert.equal(await row.count(), 0);
  assert.equal(await options.locator('[data-nhi-inventory="gitlab:acme"]').count(), 1);
  await options.close();
  assert.deepEqual(await stored(), { okta: 0, gitlab: before.gitlab });
  const { tenants } = await ask(extensionPage, { type: "tenants" });
  assert.ok(!tenants.some((t) => t.tenant === "okta:acme") && tenants.some((t) => t.tenant === "gitlab:acme"), JSON.stringify(tenants));
});

test("an owner-map file is read row by row: the owners it names are imported and saved, the rows it cannot use named", async () => {
  await (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/apps/active"))).close();
  const owners = async () => new Map((await ask(extensionPage, { type: "inventory", tenant: "okta:acme" })).report.identities.map((i) => [i.id, i.owner?.name ?? null]));
  const before = await owners();
  const [unowned, other] = [...before].filter(([id, owner]) => id.startsWith("okta:oauth_app:") && owner === null).map(([id]) => id);
  assert.ok(unowned && other, JSON.stringify([...before]));
  const { options: saved } = await ask(extensionPage, { type: "get_options" });
  const options = await browser.context.newPage();
  try {
    await options.goto(browser.extensionUrl("options.html"));
    // A spreadsheet's header words, an empty row, a row without an ID, and an exact ID listed
    // after the pattern that also matches it.
    const csv = `Identity ID,Owner\r\nokta:oauth_app:*,platform-team\r\n,,\r\n,nobody\r\n${unowned},secops\r\n`;
    await options.setInputFiles("#nhi-owner-map-file", { name: "owners.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const note = options.locator("#nhi-options-status").filter({ hasText: "imported" });
    await note.waitFor();
    assert.match(await note.textContent(), /^2 owners imported; the owner map now has 2 entries\. 1 row skipped: line 4: no ID\.$/);
    assert.deepEqual(await options.locator("#nhi-owner-map tbody tr").evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent))),
      [["okta:oauth_app:*", "platform-team"], [unowned, "secops"]]);
    // Saved as imported: the inventory's owners follow, the exact ID over the pattern.
    const after = await owners();
    assert.equal(after.get(unowned), "secops");
    assert.equal(after.get(other), "platform-team");
    // A header naming its ID column in words NHI Lens does not know is refused whole.
    await options.setInputFiles("#nhi-owner-map-file", { name: "owners.csv", mimeType: "text/csv", buffer: Buffer.from("name,owner\nci,ana\n") });
    await options.locator("#nhi-options-status").filter({ hasText: "no ID column" }).waitFor();
    assert.equal(await options.locator("#nhi-owner-map tbody tr").count(), 2);
  } finally {
    await options.close();
    await ask(extensionPage, { type: "set_options", options: saved });
  }
});

test("a forgetting the captures' IndexedDB refuses is reported, and the inventory stays listed", async () => {
  await (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  const [worker] = browser.context.serviceWorkers();
  // The browser refuses to delete (a quota or disk error would look the same to the worker).
  await worker.evaluate(() => {
    globalThis.nhiLensDelete = IDBObjectStore.prototype.delete;
    IDBObjectStore.prototype.delete = () => { throw new DOMException("refused for the test", "UnknownError"); };
  });
  const options = await browser.context.newPage();
  try {
    await options.goto(browser.extensionUrl("options.html"));
    const row = options.locator('[data-nhi-inventory="okta:acme"]');
    await row.locator("[data-nhi-forget]").click();
    await row.locator("[data-nhi-forget-confirm]").click();
    await options.waitForSelector("#nhi-inventories-status");
    const status = options.locator("#nhi-inventories-status");
    assert.equal(await status.getAttribute("data-nhi-error"), "", await status.textContent());
    assert.doesNotMatch(await status.textContent(), /was deleted/);
    const { tenants } = await ask(extensionPage, { type: "tenants" });
    assert.ok(tenants.some((t) => t.tenant === "okta:acme"), JSON.stringify(tenants));
  } finally {
    await worker.evaluate(() => { IDBObjectStore.prototype.delete = globalThis.nhiLensDelete; });
    await options.close();
  }
  // Asked again once the browser deletes, it is done.
  assert.equal((await ask(extensionPage, { type: "forget_tenant", tenant: "okta:acme" })).type, "done");
});

test("a capture IndexedDB refused to write is read from where it went, not from its older copy", async () => {
  await (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  const worker = () => browser.context.serviceWorkers()[0];
  await worker().evaluate(() => {
    globalThis.__nhiLensPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => { throw new DOMException("refused for the test", "QuotaExceededError"); };
  });
  const names = async () => (await ask(extensionPage, { type: "inventory", tenant: "okta:acme" })).report.identities.map((i) => i.name);
  const page = await browser.context.newPage();
  try {
    // The console shows a token renamed since the last visit.
    await page.route(/\/api\/v1\/api-tokens\?limit=4$/, async (route) => {
      const response = await route.fetch();
      const json = (await response.json()).map((t) => (t.name === "Okta Terraform" ? { ...t, name: "Okta Terraform (renamed)" } : t));
      await route.fulfill({ response, json });
    });
    await page.goto(consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
    await page.waitForSelector("nhi-lens-badge", { state: "attached", timeout: 20000 });
    assert.ok((await names()).includes("Okta Terraform (renamed)"));
    // The capture's write falls back to chrome.storage.local once the answer is fetched.
    const inLocal = () => worker().evaluate(async () => Object.keys(await chrome.storage.local.get(null)).some((k) => k.startsWith("capture:okta:acme:")));
    for (let i = 0; i < 50 && !(await inLocal()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(await inLocal(), "the refused write went nowhere");
  } finally {
    await worker().evaluate(() => { IDBObjectStore.prototype.put = globalThis.__nhiLensPut; });
    await page.close();
  }
  const cdp = await browser.context.newCDPSession(extensionPage);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  const after = await names();
  assert.ok(after.includes("Okta Terraform (renamed)") && !after.includes("Okta Terraform"), JSON.stringify(after));
  // Visited again with the browser writing, the capture goes back to IndexedDB.
  await (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  assert.ok((await names()).includes("Okta Terraform"));
});

test("a store an earlier version kept, its snapshot under a page URL holding a credential, is migrated: the snapshot moves to the masked URL's key in IndexedDB", async () => {
  const tenant = "okta:acme";
  const pageUrl = "acme-admin.okta.com/admin/access/api/tokens";
  await (await visit(browser.context, consoleUrl(`${pageUrl}?access_token=s3cr3t`))).close();
  const before = (await ask(extensionPage, { type: "inventory", tenant })).report.identities.map((i) => i.id).sort();
  const cdp = await browser.context.newCDPSession(extensionPage);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  // Made as layout 3 kept it: the snapshot under its page's URL as written, and its text under
  // that URL's key (`capture:{tenant}:{FNV-1a of the URL}`).
  const moved = await extensionPage.evaluate(async ({ tenant, unmasked }) => {
    const request = (r) => new Promise((done, fail) => { r.onsuccess = () => done(r.result); r.onerror = () => fail(r.error); });
    const fnv = (text) => {
      let h = 0xcbf29ce484222325n;
      for (const b of new TextEncoder().encode(text)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return `capture:${tenant}:${h.toString(16).padStart(16, "0")}`;
    };
    const key = `tenant:${tenant}`;
    const state = (await chrome.storage.local.get(key))[key];
    const value = JSON.parse(state);
    const snapshot = value.captures.find((c) => c.source.includes("access_token="));
    if (!snapshot) return null;
    const db = await request(indexedDB.open("nhi-lens", 1));
    const store = db.transaction("captures", "readwrite").objectStore("captures");
    const text = await request(store.get(snapshot.key));
    const old = fnv(unmasked);
    await request(store.put(text, old));
    await request(store.delete(snapshot.key));
    db.close();
    const masked = snapshot.source;
    Object.assign(snapshot, { source: unmasked, key: old });
    await chrome.storage.local.set({ [key]: JSON.stringify(value), schema: "3" });
    return { masked, old };
  }, { tenant, unmasked: `https://${pageUrl}?access_token=s3cr3t` });
  assert.ok(moved, "the visit kept a snapshot under the masked page URL");
  // The worker started again migrates before it answers.
  const after = (await ask(extensionPage, { type: "inventory", tenant })).report.identities.map((i) => i.id).sort();
  assert.deepEqual(after, before);
  const stored = await extensionPage.evaluate(async (oldKey) => {
    const request = (r) => new Promise((done, fail) => { r.onsuccess = () => done(r.result); r.onerror = () => fail(r.error); });
    const db = await request(indexedDB.open("nhi-lens", 1));
    const store = db.transaction("captures", "readonly").objectStore("captures");
    const keys = await request(store.getAllKeys());
    db.close();
    const local = await chrome.storage.local.get(null);
    return { schema: local.schema, state: local["tenant:okta:acme"], keys, old: keys.includes(oldKey) };
  }, moved.old);
  assert.equal(stored.schema, "4");
  assert.ok(!stored.state.includes("s3cr3t"), "the state names the page's credential");
  assert.ok(stored.state.includes(JSON.stringify(moved.masked)), "the snapshot is listed under the masked URL");
  assert.equal(stored.old, false, "the text is still under the unmasked URL's key");
});

test("clearing all data empties chrome.storage.local and the captures' IndexedDB", async () => {
  (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  const [worker] = browser.context.serviceWorkers();
  const stored = () => worker.evaluate(async () => ({
    local: Object.keys(await chrome.storage.local.get(null)).filter((k) => k !== "schema").length,
    captures: (await globalThis.nhiLensCaptures.keys()).length,
  }));
  const before = await stored();
  assert.ok(before.local > 0 && before.captures > 0, JSON.stringify(before));
  assert.equal((await ask(extensionPage, { type: "clear_all" })).type, "done");
  assert.deepEqual(await stored(), { local: 0, captures: 0 });
  const { tenants } = await ask(extensionPage, { type: "tenants" });
  assert.deepEqual(tenants, []);

  // A captures' database the worker cannot open (a newer version's, after a downgrade): every
  // read of it is an error, and Clear all is still the way out.
  (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  const cdp = await browser.context.newCDPSession(extensionPage);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await extensionPage.evaluate(() => new Promise((done, fail) => {
    const opening = indexedDB.open("nhi-lens", 2);
    opening.onsuccess = () => { opening.result.close(); done(); };
    opening.onerror = () => fail(opening.error);
  }));
  const unreadable = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  assert.equal(unreadable.type, "error", JSON.stringify(unreadable).slice(0, 300));
  const cleared = await ask(extensionPage, { type: "clear_all" });
  assert.equal(cleared.type, "done", JSON.stringify(cleared).slice(0, 300));
  assert.deepEqual((await ask(extensionPage, { type: "tenants" })).tenants, []);
  const version = await extensionPage.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === "nhi-lens")?.version ?? 0);
  assert.ok(version <= 1, `the newer database is gone (version ${version})`);
  // And NHI Lens reads again.
  (await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"))).close();
  const again = await ask(extensionPage, { type: "inventory", tenant: "okta:acme" });
  assert.equal(again.type, "inventory", JSON.stringify(again).slice(0, 300));
  assert.ok(again.report.identities.length > 0);
});
