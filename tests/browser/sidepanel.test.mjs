// The extension pages as an admin uses them, in the built extension: the side panel lists the
// inventory of the consoles visited, searches it, shows the changed-layout warning, accepts a
// risk, exports with one click; a badge opens the detail card over the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, visit, cardFrame, consoleUrl, ask, ARTIFACTS } from "./harness.mjs";

let browser;
let panel;
before(async () => {
  browser = await launch();
  for (const url of [
    "acme-admin.okta.com/admin/access/api/tokens",
    "github.com/organizations/acme/settings/installations",
  ]) {
    await (await visit(browser.context, consoleUrl(url))).close();
  }
  const broken = await browser.context.newPage();
  await broken.goto(consoleUrl("github.com/organizations/broken/settings/installations"));
  // The content script gives a missing region a few seconds before calling the layout changed.
  await broken.waitForTimeout(8000);
  await broken.close();
  panel = await browser.context.newPage();
  await panel.setViewportSize({ width: 480, height: 900 });
  await panel.goto(browser.extensionUrl("sidepanel.html"));
});
after(async () => {
  await browser.close();
});

async function chooseTenant(tenant) {
  await panel.selectOption("#nhi-tenant", tenant);
  await panel.waitForFunction(
    (t) => document.querySelector("#nhi-tenant")?.value === t && document.querySelector("#nhi-row-count"),
    tenant,
  );
  await panel.waitForTimeout(300);
}

test("the side panel lists the tenant's inventory, hostile names as text", async () => {
  await chooseTenant("okta:acme");
  const inventory = await ask(panel, { type: "inventory", tenant: "okta:acme" });
  const total = inventory.report.identities.length;
  await panel.waitForFunction((n) => document.querySelector("#nhi-row-count")?.dataset.total === String(n), total);
  const rows = await panel.$$eval("[data-nhi-row]", (all) => all.map((r) => ({ id: r.dataset.id, risk: r.dataset.risk, text: r.textContent })));
  assert.ok(rows.length > 0 && rows.length <= total);
  const byId = new Map(inventory.report.identities.map((i) => [i.id, i]));
  for (const row of rows) assert.equal(row.risk, byId.get(row.id)?.risk.level, row.id);
  assert.ok(rows.some((r) => r.text.includes("<img src=x onerror=alert(1)>")), "the hostile name is not shown as text");
  assert.equal(await panel.locator('img[src="x"]').count(), 0);
  await panel.screenshot({ path: join(ARTIFACTS, "sidepanel.png") });
});

test("search narrows the list", async () => {
  await panel.fill("#nhi-search", "SIEM");
  await panel.waitForFunction(() => document.querySelector("#nhi-row-count")?.dataset.count === "1");
  const ids = await panel.$$eval("[data-nhi-row]", (all) => all.map((r) => r.dataset.id));
  assert.equal(ids.length, 1);
  await panel.fill("#nhi-search", "");
});

test("opened again, the panel's remembered inventory is asked for as it opens, once", async () => {
  // What the page sends, in order (the panel's own requests go through the same call).
  await panel.addInitScript(() => {
    const runtime = globalThis.chrome.runtime;
    const send = runtime.sendMessage.bind(runtime);
    globalThis.__sent = [];
    runtime.sendMessage = (message, ...rest) => {
      globalThis.__sent.push(message?.type);
      return send(message, ...rest);
    };
  });
  await panel.reload();
  await panel.waitForFunction(
    () => document.querySelector("#nhi-tenant")?.value === "okta:acme" && document.querySelector("[data-nhi-row]"),
  );
  const sent = await panel.evaluate(() => globalThis.__sent);
  // pages.js sent the remembered request before the WebAssembly ran (the Rust asks for the
  // tenants first), and the panel took its answer instead of asking again.
  assert.equal(sent[0], "inventory", JSON.stringify(sent));
  assert.equal(sent.filter((t) => t === "inventory").length, 1, JSON.stringify(sent));
  assert.equal(await panel.evaluate(() => "nhiLensEarly" in globalThis), false);
});

test("one click exports the tenant as the shared JSON schema", async () => {
  await panel.selectOption("#nhi-export-format", "json");
  await panel.selectOption("#nhi-export-scope", "tenant");
  const [download] = await Promise.all([panel.waitForEvent("download"), panel.click("#nhi-export")]);
  const file = join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^nhi-lens-okta-acme-.*\.json$/);
  const exported = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(exported.schema, "nhi-lens/1");
  const inventory = await ask(panel, { type: "inventory", tenant: "okta:acme" });
  const scores = (r) => r.identities.map((i) => `${i.id} ${i.risk.score}`).sort();
  assert.deepEqual(scores(exported), scores(inventory.report));
  // CSV opens in Excel as UTF-8: the file starts with a byte-order mark, then its header.
  await panel.selectOption("#nhi-export-format", "csv");
  const [csv] = await Promise.all([panel.waitForEvent("download"), panel.click("#nhi-export")]);
  const csvFile = join(ARTIFACTS, csv.suggestedFilename());
  await csv.saveAs(csvFile);
  const bytes = readFileSync(csvFile);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(bytes.subarray(3).toString("utf8").startsWith("identity_id,platform,"), bytes.subarray(0, 40).toString());
});

test("accepting a risk with a reason and an expiry shows it as accepted", async () => {
  const first = panel.locator("[data-nhi-row]").first();
  const id = await first.getAttribute("data-id");
  await first.click();
  await panel.waitForSelector(`#nhi-detail[data-id="${id}"]`);
  const rule = await panel.locator("[data-nhi-accept]").first().getAttribute("data-nhi-accept");
  await panel.click(`[data-nhi-accept="${rule}"]`);
  await panel.fill("#nhi-accept-reason", "Vendor rotates it in January");
  await panel.fill("#nhi-accept-expires", "2027-01-31");
  await panel.click("#nhi-accept-submit");
  await panel.waitForSelector(`[data-nhi-finding="${rule}"][data-status="accepted"]`, { timeout: 10000 });
  const inventory = await ask(panel, { type: "inventory", tenant: "okta:acme" });
  const finding = inventory.report.identities.find((i) => i.id === id).findings.find((f) => f.rule === rule);
  assert.equal(finding.status, "accepted");
  assert.equal(finding.reason, "Vendor rotates it in January");
  await panel.keyboard.press("Escape");
});

test("a console whose layout changed shows the warning, not a clean bill", async () => {
  await chooseTenant("github:broken");
  const warning = await panel.waitForSelector("[data-nhi-layout-warning]", { timeout: 10000 });
  assert.match(await warning.textContent(), /adapter may be out of date/);
  const text = await panel.textContent("body");
  assert.doesNotMatch(text, /no risks/i);
});

test("a badge opens the detail card over the console, and it closes", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const badge = page.locator("nhi-lens-badge").first();
  const id = await badge.getAttribute("data-nhi-id");
  await badge.locator("button").click();
  const card = await cardFrame(page);
  assert.ok(card, "no card frame");
  await card.waitForSelector(`#nhi-detail[data-id="${id}"]`, { timeout: 10000 });
  // The card stands the height of the window beside the console (an iframe's height does not
  // stretch between top and bottom: left to them, it was 150 px), and its findings show in it.
  const box = await (await card.frameElement()).boundingBox();
  const view = page.viewportSize();
  assert.ok(box.height >= view.height - 40 && box.width >= 400, `card frame ${box.width}×${box.height} in ${view.width}×${view.height}`);
  const finding = await card.locator("[data-nhi-finding]").first().boundingBox();
  assert.ok(finding && finding.y + 20 < box.y + box.height, "the card's first finding is below its frame's bottom");
  // A fix's names to type show as code, not between backticks.
  const fix = card.locator('[data-nhi-finding="NL503"] .remediation');
  assert.deepEqual(await fix.locator("code").allTextContents(), ["private_key_jwt", "okta.*"]);
  assert.doesNotMatch(await fix.textContent(), /`/);
  await page.screenshot({ path: join(ARTIFACTS, "card.png") });
  await card.click("#nhi-card-close");
  await page.waitForFunction(() => !document.querySelector("[data-nhi-card]"));
  await page.close();
});

test("a badge opens its card from the keyboard: the card takes the focus, and gives it back to the badge as it closes", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  const badge = page.locator("nhi-lens-badge").first();
  const id = await badge.getAttribute("data-nhi-id");
  // A key's release goes to the frame that has the focus by then: one being created or removed
  // by the key's press can leave the browser's input ack waiting for ever. Each key is released
  // once its frame has settled, and no step may wait without end.
  const within = (ms, step, what) => Promise.race([
    step,
    new Promise((_, fail) => setTimeout(() => fail(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
  await badge.locator("button").focus();
  // A button is pressed by Enter going down.
  await within(10000, page.keyboard.down("Enter"), "Enter");
  const card = await cardFrame(page);
  assert.ok(card, "no card frame");
  await card.waitForSelector(`#nhi-detail[data-id="${id}"]`, { timeout: 10000 });
  await card.waitForFunction(() => document.activeElement?.id === "nhi-card-close", null, { timeout: 5000 });
  await within(10000, page.keyboard.up("Enter"), "Enter released");
  // Escape goes to the focused card, which asks the console page to close it.
  await within(10000, page.keyboard.down("Escape"), "Escape");
  await page.waitForFunction(() => !document.querySelector("[data-nhi-card]"), null, { timeout: 10000 });
  await within(10000, page.keyboard.up("Escape"), "Escape released");
  const focused = await within(10000, page.evaluate(() => document.activeElement?.getAttribute("data-nhi-id")), "the focus");
  assert.equal(focused, id);
  await page.close();
});

test("a console page reaches the card only through the frame NHI Lens opens, never by the extension's own address", async () => {
  const page = await visit(browser.context, consoleUrl("acme-admin.okta.com/admin/access/api/tokens"));
  try {
    // A page script that knows the extension's ID (it is the same on every install) cannot
    // load the card to frame it over a decoy for a tenant and identity of its choosing.
    const reached = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return true;
      } catch {
        return false;
      }
    }, browser.extensionUrl("card.html"));
    assert.equal(reached, false);
    await page.evaluate((url) => {
      const frame = document.createElement("iframe");
      frame.name = "decoy";
      frame.src = url;
      document.body.append(frame);
    }, browser.extensionUrl("card.html#tenant=okta%3Aacme&id=okta%3Aapi_token%3A00T1terraform0000001"));
    await page.waitForTimeout(1500);
    const decoy = page.frames().find((f) => f.name() === "decoy");
    assert.ok(decoy && !decoy.url().includes("card.html"), decoy?.url());
    // The card the admin opens from a badge, which the content script frames, still comes.
    await page.locator("nhi-lens-badge button").first().click();
    const card = await cardFrame(page);
    assert.ok(card, "no card frame");
    await card.waitForSelector("#nhi-detail", { timeout: 10000 });
  } finally {
    await page.close();
  }
});

test("zoomed to 200%, the side panel scrolls as a page down to its table, whose rows still open", async () => {
  // A 480 × 640 panel zoomed to 200% lays out in 240 × 320 CSS pixels.
  await panel.setViewportSize({ width: 240, height: 320 });
  try {
    await chooseTenant("okta:acme");
    const table = () => panel.evaluate(() => {
      const r = document.querySelector(".table").getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height };
    });
    const before = await table();
    assert.ok(before.bottom > 320, `the bars push the table past the window's bottom: ${JSON.stringify(before)}`);
    // The wheel over the panel's top bar scrolls the page.
    await panel.mouse.move(60, 12);
    await panel.mouse.wheel(0, 1000);
    await panel.waitForFunction(() => document.scrollingElement.scrollTop > 0);
    await panel.waitForTimeout(200);
    const after = await table();
    assert.ok(after.top >= 0 && after.bottom <= 321, `the table in the window: ${JSON.stringify(after)}`);
    assert.ok(after.height >= 100, `the table keeps room for rows: ${JSON.stringify(after)}`);
    const row = panel.locator("[data-nhi-row]").first();
    const id = await row.getAttribute("data-id");
    await row.click();
    await panel.waitForSelector(`#nhi-detail[data-id="${id}"]`);
    await panel.keyboard.press("Escape");
    await panel.waitForSelector("#nhi-detail", { state: "detached" });
  } finally {
    await panel.setViewportSize({ width: 480, height: 900 });
    await panel.evaluate(() => document.scrollingElement.scrollTo(0, 0));
  }
});

test("nothing on the extension pages ran console text or failed", () => {
  assert.deepEqual(browser.dialogs, []);
  assert.deepEqual(browser.pageErrors, []);
});
