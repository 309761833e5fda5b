// The browser benchmark of `cargo xtask bench`: the built extension on mock Entra admin centers
// whose Graph `applications` response holds N generated applications (served from
// NHI_BENCH_CONSOLES_<N>). For each size it loads the page four times: first with the extension's
// worker fresh (started with a new browser profile, its WebAssembly yet to read a large response,
// so in the browser's baseline code: an admin's first console page after installing or updating),
// then again with the worker warmed by that load, as it is while an admin works in a console; then
// with the worker stopped, as the browser stops an idle one, and woken by the page (its storage to
// read again, its code as the browser kept it); and last in the browser started again on the same
// profile (a new worker in a new process). Each load measures:
//   - from the console's JSON arriving (its resource timing) to the last badge drawn;
//   - the extension's work on that response (tap, hand-over, background parse + score, answer)
//     next to the console's own `JSON.parse` of the same body, timed in the page;
//   - the longest page task while the extension draws, and any task over 50 ms in that window;
// and the side panel's first render of the inventory. Prints a Markdown table and writes JSON.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, ask, ARTIFACTS } from "./harness.mjs";

const SIZES = (process.env.NHI_BENCH_SIZES ?? "5000,10000").split(",").map(Number);
const BLADE = "entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade";

/** Runs in the page before its scripts: records badge insertions and long tasks. */
function instrument() {
  window.__bench = { badges: 0, lastBadge: 0, longTasks: [], consoleShown: 0 };
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        // The console's list on screen: the frame after its grid went into the page.
        if (!window.__bench.consoleShown && n.nodeType === 1 && n.querySelector?.('[role="row"]')) {
          window.__bench.consoleShown = -1;
          requestAnimationFrame(() => setTimeout(() => { window.__bench.consoleShown = performance.now(); }, 0));
        }
        if (n.localName === "nhi-lens-badge") {
          window.__bench.badges++;
          window.__bench.lastBadge = performance.now();
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
}

/**
 * The service worker's time on the captured response, by step (ms): the marks the brain makes,
 * from the message's start to its answer, for the longest capture it began after `after` (the one
 * that brought the response), and the totals of the page's other captures (its layout snapshot);
 * with when the longest
 * started and answered (ms since the epoch, as `performance.timeOrigin` counts). Steps: `request`
 * (the message and its bodies into Rust), `stored` (the tenant's stored captures read), `parsed`,
 * `joined`, `scored`, `annotated`, `answered` (the answer written as JSON).
 */
async function workerSteps(context, after) {
  const worker = context.serviceWorkers().findLast((w) => w.url().startsWith("chrome-extension://"));
  const [marks, received, writes, [origin, ready, firstAnswer, [warmed, warming]]] = await worker.evaluate((after) => {
    const all = performance.getEntriesByType("mark");
    return [
      all.filter((m) => m.name.startsWith("nhi-lens:worker:")).map((m) => [m.name.slice(16), m.startTime + performance.timeOrigin]),
      all.filter((m) => m.name === "nhi-lens:received").map((m) => m.startTime + performance.timeOrigin),
      // The writes after this load's answers, not an earlier load's.
      performance.getEntriesByName("nhi-lens:writes").filter((m) => m.startTime + performance.timeOrigin >= after).map((m) => Math.round(m.duration)),
      [
        performance.timeOrigin,
        performance.getEntriesByName("nhi-lens:ready")[0]?.startTime ?? null,
        all.find((m) => m.name === "nhi-lens:worker:answered")?.startTime ?? null,
        performance.getEntriesByName("nhi-lens:warm").map((m) => [m.startTime + m.duration, m.duration])[0] ?? [null, null],
      ],
    ];
  }, after);
  let best = null;
  const later = [];
  let run = [];
  for (const [name, at] of marks) {
    if (name === "start") run = [];
    run.push([name, at]);
    if (name === "answered" && run.some(([n]) => n === "annotated") && run[0][1] >= after) {
      if (best && at - run[0][1] <= best.total) later.push(Math.round(at - run[0][1]));
      else {
        if (best) later.push(Math.round(best.total));
        best = { total: at - run[0][1], run: [...run] };
      }
    }
  }
  if (!best) return null;
  const steps = { total: Math.round(best.total) };
  for (let i = 1; i < best.run.length; i++) steps[best.run[i][0]] = Math.round(best.run[i][1] - best.run[i - 1][1]);
  // The message reached the worker at the last `received` before its run started.
  const reached = received.filter((at) => at <= best.run[0][1]).pop();
  return { boot: { origin, ready, firstAnswer, warmed, warming }, steps, later, started: best.run[0][1], answered: best.run[best.run.length - 1][1], reached, writes };
}

/**
 * The service worker's steps on the last inventory it answered (ms): from the message's start
 * (`start`) through the `inventory …` marks to `answered`.
 */
async function inventorySteps(context) {
  const worker = context.serviceWorkers().findLast((w) => w.url().startsWith("chrome-extension://"));
  const marks = await worker.evaluate(() =>
    performance.getEntriesByType("mark").filter((m) => m.name.startsWith("nhi-lens:worker:")).map((m) => [m.name.slice(16), m.startTime]),
  );
  const last = marks.findLastIndex(([name]) => name === "inventory compared");
  if (last < 0) return null;
  let first = last;
  while (first > 0 && marks[first][0] !== "start") first--;
  let end = last;
  while (end < marks.length - 1 && marks[end][0] !== "answered") end++;
  const steps = {};
  for (let i = first + 1; i <= end; i++) steps[marks[i][0]] = Math.round(marks[i][1] - marks[i - 1][1]);
  return steps;
}

/**
 * One load of the console page in `page` and what it measured. On the first load of a browser the
 * extension's worker reads its first large response, in the browser's baseline code; a later one
 * finds its code optimized by the loads before.
 */
async function measureLoad(browser, page, url) {
  await page.goto(url, { waitUntil: "load" });
  // Settled: the first badges are drawn and their count has not moved for a second (rows far
  // from the view are badged as they come near it, so not every app has its badge yet).
  let last = -1, stable = 0;
  for (let i = 0; i < 1200 && stable < 10; i++) {
    const [n, drawn] = await page.evaluate(() => [window.__bench.badges, performance.getEntriesByName("nhi-lens:drawn").length]);
    stable = n === last && n > 0 && drawn > 0 ? stable + 1 : 0;
    last = n;
    await page.waitForTimeout(100);
  }
  const result = await page.evaluate(async () => {
    const entry = performance.getEntriesByType("resource").find((e) => /\/v1\.0\/applications\?/.test(e.name));
    // The marks of this response: the first of each after the one before.
    const mark = (name, after) => performance.getEntriesByName(name).find((e) => e.startTime >= after)?.startTime ?? null;
    const text = await (await fetch(entry.name)).text();
    const parses = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      JSON.parse(text);
      parses.push(performance.now() - t0);
    }
    parses.sort((a, b) => a - b);
    const tapped = mark("nhi-lens:tapped", entry.responseEnd - 1);
    const captured = mark("nhi-lens:captured", tapped);
    const answered = mark("nhi-lens:annotations", captured);
    const drawn = mark("nhi-lens:drawn", answered);
    // The extension's own time on the page's main thread for this response, tap to badges.
    const work = performance.getEntriesByType("measure").filter((e) => e.name.startsWith("nhi-lens:work:") && e.startTime >= tapped && e.startTime <= drawn);
    const byKind = {};
    for (const e of work) byKind[e.name.slice(14)] = Math.round((byKind[e.name.slice(14)] ?? 0) + e.duration);
    // Drawing, and the layout the badges cause after it; from the answer, or from the console's
    // own first frame of its list if that comes later (that frame is the console's work).
    const from = Math.max(answered, window.__bench.consoleShown);
    const window_ = window.__bench.longTasks.filter(([start, d]) => start + d >= from && start <= drawn + 1000);
    return {
      origin: performance.timeOrigin,
      responseEnd: entry.responseEnd,
      bytes: text.length,
      badges: document.querySelectorAll("nhi-lens-badge").length,
      // (null where a mark is missing: the load never settled, and its target is not met.)
      arrivedToLastBadge: drawn == null ? null : drawn - entry.responseEnd,
      extensionWork: answered == null || tapped == null ? null : answered - tapped,
      mainThread: work.reduce((sum, e) => sum + e.duration, 0),
      longestMainThread: Math.max(0, ...work.map((e) => e.duration)),
      mainThreadByKind: byKind,
      // The console's own rendering of the response (its longest task before the answer),
      // which the extension's answer waits behind: one main thread serves both.
      consoleShown: window.__bench.consoleShown - entry.responseEnd,
      consoleRender: Math.max(0, ...window.__bench.longTasks.filter(([start]) => start >= entry.responseEnd - 1 && start <= answered).map(([, d]) => d)),
      handOverToAnswer: answered - captured,
      drawing: drawn - answered,
      jsonParse: parses[2],
      longestTaskWhileDrawing: Math.max(0, ...window_.map(([, d]) => d)),
      // Long tasks (50 ms and more) that ran any of the extension's own steps, tap to drawn.
      // With the steps each ran, to say which to cut. The extension caused a task when, without
      // its steps, the task would have been under 50 ms; the console's own long tasks that
      // happen to run a step of ours (a message sent, 0 ms) are listed but not counted.
      extensionLongTasks: window.__bench.longTasks
        .map(([start, d]) => [d, work.filter((e) => e.startTime >= start - 1 && e.startTime + e.duration <= start + d + 1)])
        .filter(([, steps]) => steps.length)
        .map(([d, steps]) => ({
          text: `${Math.round(d)} ms (${steps.map((e) => `${e.name.slice(14)} ${Math.round(e.duration)}`).join(", ")})`,
          caused: d - steps.reduce((sum, e) => sum + e.duration, 0) < 50,
        })),
      tasksOver50WhileDrawing: window_.filter(([, d]) => d > 50).length,
      longTasks: window.__bench.longTasks.map(([start, d]) => [Math.round(start - entry.responseEnd), Math.round(d)]),
      marks: Object.fromEntries(
        Object.entries({ tapped, captured, answered, drawn, consoleShown: window.__bench.consoleShown })
          .map(([k, v]) => [k, v == null ? null : Math.round(v - entry.responseEnd)]),
      ),
    };
  });
  const worker = await workerSteps(browser.context, result.origin + result.responseEnd + result.marks.captured);
  if (worker) {
    result.workerSteps = worker.steps;
    // The worker's start, its WebAssembly ready, and its first answer (the page's plan), in ms
    // from the JSON's arrival: a worker that only just started may still be starting then.
    const fromArrival = (at) => (at == null ? null : Math.round(worker.boot.origin + at - result.origin - result.responseEnd));
    result.workerBoot = {
      started: fromArrival(0),
      ready: fromArrival(worker.boot.ready),
      firstAnswer: fromArrival(worker.boot.firstAnswer),
      warmed: fromArrival(worker.boot.warmed),
      warming: worker.boot.warming == null ? null : Math.round(worker.boot.warming),
    };
    result.laterCaptures = worker.later;
    // The message's way to the worker (and any wait there behind another), and the answer's back.
    result.toWorker = worker.started - (result.origin + result.marks.captured + result.responseEnd);
    // Of which: waiting in the worker's queue behind the page's other captures.
    result.queued = worker.reached == null ? null : worker.started - worker.reached;
    // The writes each answer left (the captures stored, their secrets masked first).
    result.writes = worker.writes;
    // (Not known when the page's first answer is to another of its captures.)
    const back = result.origin + result.marks.answered + result.responseEnd - worker.answered;
    result.backToPage = back >= 0 ? back : null;
  }
  return result;
}

async function measure(size) {
  const url = `${process.env[`NHI_BENCH_BASE_${size}`]}/${BLADE}`;
  const browser = await launch();
  let result;
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(instrument);
    result = await measureLoad(browser, page, url);
    // The same page loaded again, once the first load's writes are done (their count has not
    // moved for a second): the worker warmed.
    const worker = browser.context.serviceWorkers().findLast((w) => w.url().startsWith("chrome-extension://"));
    for (let i = 0, seen = -1; i < 120; i++) {
      const writes = await worker.evaluate(() => performance.getEntriesByName("nhi-lens:writes").length);
      if (writes === seen && writes > 0) break;
      seen = writes;
      await page.waitForTimeout(1000);
    }
    await page.goto("about:blank");
    result.again = await measureLoad(browser, page, url);
    // The side panel's first render of this inventory (the tenant is remembered).
    const panel = await browser.context.newPage();
    await panel.goto(browser.extensionUrl("sidepanel.html"));
    await panel.selectOption("#nhi-tenant", "entra:acme-corporation");
    await panel.waitForSelector("[data-nhi-row]", { timeout: 180000 });
    // The panel logs how long its inventory took to be asked for, answered and read.
    let inventoryRead = null;
    panel.on("console", (message) => {
      const read = /^nhi-lens: inventory of \d+ identities answered and read in (\d+) ms(.*)/.exec(message.text());
      if (read) inventoryRead = { ms: Number(read[1]), detail: read[2].trim() };
    });
    const renders = [];
    for (let i = 0; i < 3; i++) {
      inventoryRead = null;
      const t0 = Date.now();
      await panel.reload();
      await panel.waitForSelector("[data-nhi-row]", { timeout: 180000 });
      renders.push({ total: Date.now() - t0, inventoryRead, worker: await inventorySteps(browser.context) });
    }
    renders.sort((a, b) => a.total - b.total);
    result.sidePanelFirstRender = renders[1].total;
    result.sidePanelInventoryRead = renders[1].inventoryRead?.ms;
    result.sidePanelInventoryDetail = renders[1].inventoryRead?.detail;
    result.sidePanelWorker = renders[1].worker;
    const inventory = await ask(panel, { type: "inventory", tenant: "entra:acme-corporation" });
    result.inventory = inventory.report.identities.length;
    await panel.close();
    // The worker stopped, as the browser stops an idle one, with no console page left to wake
    // it, and woken by the console again.
    await page.goto("about:blank");
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await cdp.detach();
    await page.waitForTimeout(1000);
    result.stopped = await measureLoad(browser, page, url);
    // Time for the browser to keep the worker's optimized code (V8 caches it two seconds after
    // its last optimizing compile).
    await page.waitForTimeout(5000);
  } finally {
    await browser.close();
  }
  // The browser started again on the same profile: a new worker in a new process, started with
  // the browser (as the fresh one), with the code the browser kept of the first.
  const again = await launch({ profile: browser.profile });
  try {
    const page = await again.context.newPage();
    await page.addInitScript(instrument);
    result.restarted = await measureLoad(again, page, url);
  } finally {
    await again.close();
  }
  return result;
}

const rows = [];
for (const size of SIZES) rows.push({ size, ...(await measure(size)) });
writeFileSync(join(ARTIFACTS, "browser-bench.json"), JSON.stringify(rows, null, 2));
const ms = (v) => (v == null || Number.isNaN(v) ? "n/a" : `${Math.round(v)} ms`);
console.log("\n| apps | the worker | response | badges | JSON arrives → badges in view drawn | JSON arrives → the console's rows on screen | the console's longest task | extension's work on the response | its time on the page's main thread | the console's JSON.parse | ratio (main thread) | page tasks of 50 ms or more that ran the extension's steps (its share) | longest page task from the answer (or the console's first frame) to 1 s after drawing | tasks > 50 ms | side panel first render |");
console.log("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
// Each size's four loads: the worker fresh, warmed by the first, stopped and woken, and in the
// browser started again.
const loads = rows.flatMap((r) => [
  { ...r, worker: "fresh" },
  { ...r.again, size: r.size, worker: "warmed", sidePanelFirstRender: null, workerBoot: null },
  { ...r.stopped, size: r.size, worker: "stopped, woken", sidePanelFirstRender: null },
  { ...r.restarted, size: r.size, worker: "browser restarted", sidePanelFirstRender: null },
]);
for (const r of loads) {
  console.log(
    `| ${r.size} | ${r.worker} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.badges} | ${ms(r.arrivedToLastBadge)} | ${ms(r.consoleShown)} | ${ms(r.consoleRender)} | ${ms(r.extensionWork)} | ${ms(r.mainThread)} (longest ${ms(r.longestMainThread)}) | ${ms(r.jsonParse)} | ${(r.mainThread / r.jsonParse).toFixed(1)}× | ${r.extensionLongTasks.map((t) => t.text + (t.caused ? "" : ", the console's")).join("; ") || "none"} | ${ms(r.longestTaskWhileDrawing)} | ${r.tasksOver50WhileDrawing} | ${r.sidePanelFirstRender == null ? "" : `${ms(r.sidePanelFirstRender)} (${r.inventory} identities)`} |`,
  );
}
console.log("\n(\"extension's work\" runs from the tap handing the response over, before the console renders it, to the answer arriving in the page; the answer waits for the console's render to end, since the page and the content script share one main thread.)");
for (const r of loads) console.log(`${r.size}, worker ${r.worker}: the extension's main-thread time by kind (ms): ${JSON.stringify(r.mainThreadByKind)}`);
for (const r of loads) if (r.workerBoot) console.log(`${r.size}, worker ${r.worker}: the worker started ${ms(r.workerBoot.started)}, had its WebAssembly ready ${ms(r.workerBoot.ready)}, gave its first answer ${ms(r.workerBoot.firstAnswer)} and had read its own tiny list ${ms(r.workerBoot.warmed)} (in ${ms(r.workerBoot.warming)}) from the JSON's arrival (negative: before it)`);
for (const r of loads) console.log(`${r.size}, worker ${r.worker}: the message to the worker ${ms(r.toWorker)} (of which reading its Blob and waiting behind other messages ${r.queued == null ? "n/a" : ms(r.queued)}); the service worker's time on it by step (ms): ${JSON.stringify(r.workerSteps)}; the answer back to the page ${r.backToPage == null ? "n/a" : ms(r.backToPage)}; the worker's time on the page's other captures: ${(r.laterCaptures ?? []).map(ms).join(", ") || "none"}; the writes after each answer: ${(r.writes ?? []).map(ms).join(", ") || "none"}`);
const five = rows.find((r) => r.size === 5000);
if (five) {
  const verdict = (ok) => (ok ? "met" : "MISSED");
  for (const [r, worker] of [[five, "the worker fresh"], [five.again, "the worker warmed"], [five.stopped, "the worker stopped and woken"], [five.restarted, "the browser restarted"]]) {
    console.log(`\nJSON arriving → badges in view drawn on 5,000 identities, ${worker}: ${ms(r.arrivedToLastBadge)} — target under 300 ms: ${verdict(r.arrivedToLastBadge != null && r.arrivedToLastBadge < 300)}`);
    console.log(`extension's work (hand-over to answer) vs the console's JSON.parse, ${worker}: ${(r.extensionWork / r.jsonParse).toFixed(1)}× — target at most 1×: ${verdict(r.extensionWork != null && r.extensionWork <= r.jsonParse)}`);
    console.log(`the extension's time on the page's main thread vs the console's JSON.parse, ${worker}: ${(r.mainThread / r.jsonParse).toFixed(1)}×`);
    const caused = r.extensionLongTasks.filter((t) => t.caused).length;
    console.log(`page tasks of 50 ms or more the extension's steps made so, ${worker}: ${caused}; over 50 ms from the answer (or the console's first frame) to 1 s after drawing: ${r.tasksOver50WhileDrawing} — target none: ${verdict(caused === 0 && r.tasksOver50WhileDrawing === 0)}`);
  }
}
const ten = rows.find((r) => r.size === 10000);
if (ten) {
  console.log(`side panel first render of ${ten.inventory} identities: ${ms(ten.sidePanelFirstRender)} (its inventory asked for, answered and read: ${ms(ten.sidePanelInventoryRead)} ${ten.sidePanelInventoryDetail ?? ""}; the worker's steps on it (ms): ${JSON.stringify(ten.sidePanelWorker)}) — target under 500 ms: ${ten.sidePanelFirstRender < 500 ? "met" : "MISSED"}`);
}
