// Shared set-up for the browser tests: Debian's Chromium with the built test extension
// (target/dist/chrome-test), the mock consoles served by `cargo xtask` with strict CSP, and the
// browser's own network log.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BASE = process.env.NHI_BASE ?? "http://127.0.0.1:8080";
export const EXTENSION = process.env.NHI_EXTENSION ?? "target/dist/chrome-test";
export const ARTIFACTS = process.env.NHI_ARTIFACTS ?? "target/browser";
const CHROMIUM = process.env.NHI_CHROMIUM ?? "/usr/bin/chromium";

/** The URL of a mock console page: `console("github.com/organizations/acme/settings/hooks")`. */
export const consoleUrl = (path) => `${BASE}/${path}`;

/**
 * Starts Chromium with the extension; returns the context, the extension's ID and helpers. A new
 * profile each time, or `profile` (a browser started again on the profile of an earlier one).
 */
export async function launch({ netLog = false, headless = true, profile = mkdtempSync(join(tmpdir(), "nhi-lens-chromium-")) } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const netLogFile = join(profile, "netlog.json");
  const args = [
    `--disable-extensions-except=${EXTENSION}`,
    `--load-extension=${EXTENSION}`,
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
    "--metrics-recording-only",
    "--no-default-browser-check",
  ];
  if (netLog) args.push(`--log-net-log=${netLogFile}`, "--net-log-capture-mode=Default");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  let worker = context.serviceWorkers().find((w) => w.url().startsWith("chrome-extension://"));
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 20000 });
  const extensionId = new URL(worker.url()).host;
  const pageErrors = [];
  const dialogs = [];
  context.on("page", (page) => watch(page, pageErrors, dialogs));
  for (const page of context.pages()) watch(page, pageErrors, dialogs);
  return {
    context,
    profile,
    extensionId,
    pageErrors,
    dialogs,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path}`,
    async close() {
      await context.close();
      return netLog ? readNetLog(netLogFile) : null;
    },
  };
}

function watch(page, pageErrors, dialogs) {
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
}

/** Opens a console page and waits until the badges the extension draws stop changing. */
export async function visit(context, url, { expectBadges = true, settleMs = 800, timeout = 20000 } = {}) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  if (expectBadges) {
    await page.waitForSelector("nhi-lens-badge", { timeout, state: "attached" });
  }
  await settle(page, settleMs, timeout);
  return page;
}

/** Waits until the number of badges has not changed for `quietMs`. */
export async function settle(page, quietMs = 800, timeout = 20000) {
  const start = Date.now();
  let last = -1, since = Date.now();
  while (Date.now() - start < timeout) {
    const count = await page.locator("nhi-lens-badge").count();
    if (count !== last) { last = count; since = Date.now(); }
    if (Date.now() - since >= quietMs) return count;
    await page.waitForTimeout(100);
  }
  return last;
}

/** The frame of a badge's detail card over a page, once it opens (undefined if it never does). */
export async function cardFrame(page, timeout = 10000) {
  for (const deadline = Date.now() + timeout; Date.now() < deadline; await page.waitForTimeout(100)) {
    const card = page.frames().find((f) => f.url().includes("card.html"));
    if (card) return card;
  }
  return undefined;
}

/** Every badge on a page, with its attributes and the text of the row it sits in. */
export function badges(page) {
  return page.$$eval("nhi-lens-badge", (all) =>
    all.map((b) => ({
      id: b.getAttribute("data-nhi-id"),
      owner: b.getAttribute("data-owner"),
      ageDays: b.getAttribute("data-age-days"),
      risk: b.getAttribute("data-risk"),
      score: b.getAttribute("data-score"),
      // What a screen reader says of it (its shadow root is open).
      label: b.shadowRoot?.querySelector("button")?.getAttribute("aria-label"),
      // Owner, age and the rest, as the badge writes them after its risk.
      text: b.shadowRoot?.querySelector(".more")?.textContent,
      row: (b.closest("tr, [role=row], li, [role=listitem]") ?? b.parentElement).textContent.trim().slice(0, 200),
      // A badge straight inside a table or grid row would be a cell of its own and shift the columns.
      inCell: !b.parentElement.matches("tr, [role=row]"),
    })),
  );
}

/** Sends a protocol request from an extension page (as the side panel would). */
export async function ask(page, request) {
  return page.evaluate(async (r) => {
    // JSON text, or a large answer's bytes as a Blob.
    const answer = await chrome.runtime.sendMessage(r);
    if (answer instanceof Blob) return JSON.parse(await answer.text());
    return typeof answer === "string" ? JSON.parse(answer) : answer;
  }, request);
}

/** Every URL request in a Chromium NetLog, with the origin that started it ("not an origin" for
 * the browser's own traffic). */
export function readNetLog(file) {
  if (!existsSync(file)) return [];
  let text = readFileSync(file, "utf8").trim();
  // A log cut short at exit lacks its closing brackets.
  if (!text.endsWith("}")) text = text.replace(/,?\s*$/, "") + "]}";
  const log = JSON.parse(text);
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const requests = [];
  for (const event of log.events ?? []) {
    if (event.type !== startJob || !event.params || typeof event.params.url !== "string") continue;
    requests.push({ url: event.params.url, initiator: event.params.initiator ?? "" });
  }
  return requests;
}
