// NHI Lens background service worker. Listeners are registered synchronously (a worker can be
// woken by any event, and MV3 workers cannot await at the top level); every message goes to the
// Rust brain, one at a time, with the sender as the browser reports it. After each answer (once
// its pages are fetched) the brain's deferred writes are made, before the next message is handled.
//
// A capture's JSON bodies come as Blobs. Answers go back as JSON (parsed once, by whoever asked):
// text, or a large answer's bytes in a Blob. Badges come as pages of whole JSON: the badges, then
// their reasons.
import init, { handle, flush, warm } from "./background/brain.js";

const api = globalThis.browser ?? globalThis.chrome;

// Capture texts (megabytes each) are kept in IndexedDB, which stores a string as it is: a 6.6 MB
// capture took 14-15 ms to put there against 122-129 ms into chrome.storage.local (which writes
// its values out as JSON), and 11 ms to read back against 57. Everything else stays in
// chrome.storage.local. The brain reaches these through `web.rs`, which reads a capture missing
// here from chrome.storage.local. The database is opened again after it failed or was closed
// under us; where IndexedDB cannot be used at all (Firefox's "never remember history"), captures
// stay in chrome.storage.local.
let captureDb = null;
const openCaptures = () =>
  (captureDb ??= new Promise((resolve, reject) => {
    const opening = indexedDB.open("nhi-lens", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("captures");
    opening.onsuccess = () => {
      opening.result.onclose = () => { captureDb = null; };
      resolve(opening.result);
    };
    opening.onerror = () => reject(opening.error);
  }).catch((error) => {
    captureDb = null;
    throw error;
  }));
// Runs `work` on the store in one transaction; answers what it left in `out.value` once done.
const inCaptures = (mode, work) =>
  openCaptures().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction("captures", mode), out = { value: undefined };
    work(tx.objectStore("captures"), out);
    tx.oncomplete = () => resolve(out.value);
    tx.onerror = tx.onabort = (e) => reject(e.target.error ?? tx.error);
  }));
const local = api.storage.local;
// Whether a capture was ever put in IndexedDB (noted in chrome.storage.local, which Clear all
// empties): where it never was, a database that cannot be opened kept nothing; where it was, one
// that cannot be opened now is an error, never read as empty (the inventory would show every
// identity of those captures as gone, and the next capture would overwrite its list).
const USED = "capturesInIndexedDb";
// Noted with every write (a small write, after the answer), so it is there again after a Clear
// all, and as the worker starts if the database holds captures (kept before it was noted).
const wasUsed = () => local.get(USED).then((got) => got[USED] === true, () => true);
const noteUsed = () => local.set({ [USED]: true });
// Answers `none` for a database that failed to `verb` if it never held a capture; else fails.
const unlessUsed = (error, verb, none) => wasUsed().then((kept) => {
  if (kept) throw new Error(`NHI Lens could not ${verb} the database its captured pages are kept in (${error?.message ?? error})`);
  return none;
});
// The same as `inCaptures`, but answering `none` where the database cannot be opened and never
// held a capture (`strict`), or whatever it held (a removal: what it holds is read no more). A
// read, removal or listing it refuses still fails, never answered as done.
const inOpenCaptures = (none, mode, work, strict = true) =>
  openCaptures().then(
    () => inCaptures(mode, work),
    (error) => (strict ? unlessUsed(error, "open", none) : none),
  );
// The markup of what `selector` finds in a tab's own page, for the worker (a frame the console
// draws a page in does not show the tenant the page names); null if none, or not allowed there.
// Never waits on a busy page for long: the worker answers its messages one at a time.
globalThis.nhiLensTopRegion = async (tabId, selector) => {
  try {
    const read = api.scripting.executeScript({
      target: { tabId, frameIds: [0] },
      injectImmediately: true,
      func: (s) => [...document.querySelectorAll(s)].map((e) => e.outerHTML).join("\n") || null,
      args: [selector],
    });
    const late = new Promise((resolve) => setTimeout(() => resolve([]), 500));
    const [found] = await Promise.race([read, late]);
    return found?.result ?? null;
  } catch (_) {
    return null;
  }
};

globalThis.nhiLensCaptures = {
  get: (keys) => inOpenCaptures({}, "readonly", (store, out) => {
    out.value = {};
    for (const key of keys) {
      const got = store.get(key);
      got.onsuccess = () => { if (typeof got.result === "string") out.value[key] = got.result; };
    }
  }),
  // Answers whether the texts went to IndexedDB (else to chrome.storage.local).
  set: (items) =>
    openCaptures().then(noteUsed).then(() => inCaptures("readwrite", (store, out) => {
      for (const [key, text] of Object.entries(items)) store.put(text, key);
      out.value = true;
    })).catch(() => local.set(items).then(() => false)),
  remove: (keys) => inOpenCaptures(undefined, "readwrite", (store) => { for (const key of keys) store.delete(key); }, false),
  keys: () => inOpenCaptures([], "readonly", (store, out) => {
    const got = store.getAllKeys();
    got.onsuccess = () => { out.value = got.result; };
  }),
  // Deletes the database whatever state it is in: deleting works where opening fails (a newer
  // version's database), so Clear all stays the way out of one NHI Lens cannot read.
  clear: () => {
    const open = captureDb;
    captureDb = null;
    return Promise.resolve(open?.then((db) => db.close(), () => {}))
      .then(() => new Promise((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase("nhi-lens");
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
      }))
      .catch((error) => unlessUsed(error, "delete"));
  },
};

const ready = init({ module_or_path: new URL("./background/brain_bg.wasm", import.meta.url) });
// Opened as the worker starts, while the WebAssembly compiles: a woken worker's first capture
// waited for it otherwise, with the console's list loading.
openCaptures()
  .then((db) => new Promise((resolve) => {
    const counting = db.transaction("captures", "readonly").objectStore("captures").count();
    counting.onsuccess = () => resolve(counting.result);
    counting.onerror = () => resolve(0);
  }))
  .then((held) => held > 0 && wasUsed().then((noted) => noted || noteUsed()))
  .catch(() => {});
const extensionOrigin = new URL(api.runtime.getURL("")).origin;
let queue = Promise.resolve();
// A trap in the WebAssembly (a Rust panic, or its memory run out) leaves the call that hit it
// never settled, the brain's state half-changed and its task queue stopped: the worker would
// answer nothing more, every tab's messages waiting behind that call. From then on each message
// waiting or to come is answered at once with an error and the brain is called no more; the
// browser stops the worker once it is idle, and the next message starts a fresh one.
let trapped = null;
// The calls not settled yet, by the function that fails each.
const calls = new Set();
const caught = (event) => {
  const error = event.error ?? event.reason;
  if (!trapped && error instanceof WebAssembly.RuntimeError) {
    trapped = new Error(`NHI Lens stopped on an internal error (${error.message}) and starts again once idle: reload the page in a minute`);
    console.error(error);
    for (const fail of calls) fail(trapped);
    calls.clear();
  }
};
addEventListener("error", caught);
addEventListener("unhandledrejection", caught);
// Calls the brain (`call` returns its promise or its value), unless it trapped: then the trap's
// error, which also ends a call the trap left unsettled.
const brain = (call) => {
  if (trapped) return Promise.reject(trapped);
  return new Promise((resolve, reject) => {
    calls.add(reject);
    Promise.resolve()
      .then(call)
      .then(resolve, (error) => {
        caught({ error });
        reject(error);
      })
      .finally(() => calls.delete(reject));
  });
};
// Once the WebAssembly is ready (marked for the browser benchmark), the brain reads a tiny list
// of its own after the messages already waiting, so that a console's first response does not
// wait for its functions to be compiled (see warm.rs).
ready.then(() => {
  performance.mark("nhi-lens:ready");
  queue = queue.then(() => {
    const start = performance.now();
    return brain(warm).then(() => performance.measure("nhi-lens:warm", { start }));
  }).catch(() => {});
}, () => {});
// The writes an answer left, measured for the browser benchmark (`nhi-lens:writes`).
const timedFlush = () => {
  const start = performance.now();
  return brain(flush).finally(() => performance.measure("nhi-lens:writes", { start }));
};
const MAX_BYTES = 64 << 20; // 64 MiB
// What one message's texts may come to together (a page script can fire any number of
// responses, which go in one message): more would run the WebAssembly's memory out.
const MAX_TOTAL = 128 << 20; // 128 MiB
// An answer as it is sent: text, or a large one's UTF-8 bytes as a Blob, whose handle the browser
// passes on where a string is copied through each process (10 MB: 6 ms against 85-106 ms), and
// which the page reads as bytes or text without a message cap.
const sent = (...parts) => (parts.some((p) => p instanceof Uint8Array) ? new Blob(parts) : parts.join(""));
const answers = new Map();
// Each tab's and frame's last plan, by when its message came: an answer to a page asked before it
// will never have its pages fetched (the page is gone), and the writes after it need not wait.
let arrived = 0;
const plans = new Map();
const keep = (map, key, value) => {
  map.set(key, value);
  while (map.size > 16) map.delete(map.keys().next().value);
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !message) return false;
  const url = sender.url || "";
  const info = {
    tab_id: sender.tab ? sender.tab.id : null,
    frame_id: sender.tab ? sender.frameId ?? null : null,
    url,
    // A frame's tab's page (a console that draws its pages in frames on hosts of its own).
    top_url: sender.tab && sender.frameId ? sender.tab.url ?? null : null,
    // The extension's own pages, under its ID or (the card in a console's frame) the dynamic ID
    // Chrome gives its web-accessible pages each session: only this extension's contexts send
    // with its ID, and its content scripts with their web page's address.
    extension_page: /^[a-z]+-extension:\/\//.test(url),
  };
  if (message.type === "reply_part") {
    // The key is known only to whoever got the answer, and only its tab and frame may use it.
    let kept = answers.get(message.key);
    if (kept && kept.from !== `${info.tab_id}/${info.frame_id}`) kept = null;
    const page = kept && kept[message.index];
    sendResponse(page ? sent(page) : '{"type":"error","message":"that answer is gone"}');
    if (kept && message.index === kept.length - 1) {
      answers.delete(message.key);
      kept.fetched();
    }
    return false;
  }
  const seq = ++arrived, from = `${info.tab_id}/${info.frame_id}`;
  if (message.type === "plan") {
    plans.set(from, seq);
    for (const [key, kept] of answers) if (kept.from === from) { answers.delete(key); kept.fetched(); }
  }
  // When a capture reached the worker, for the browser benchmark (the brain marks its steps).
  if (message.type === "captured") performance.mark("nhi-lens:received");
  // Captured texts travel beside the message rather than inside its JSON: a Blob (a JSON body)
  // is read as UTF-8 bytes, which go into wasm as they are, from the moment the message arrives.
  let bodies = Promise.resolve([]);
  if (message.type === "captured" && Array.isArray(message.captures)) {
    const texts = [];
    let total = 0;
    message = {
      ...message,
      captures: message.captures.map((c) => {
        const text = c && (c.kind === "json" ? c.body : c.html);
        // Over the tap's cap (64 MiB), or past the message's, a text is dropped: a page script
        // could send any Blob.
        const size = text ? (text instanceof Blob ? text.size : text.length) : 0;
        const fits = text && size <= MAX_BYTES && (total += size) <= MAX_TOTAL;
        texts.push(!fits ? "" : text instanceof Blob ? text.arrayBuffer().then((b) => new Uint8Array(b)) : typeof text === "string" ? text : "");
        return c && c.kind === "json" ? { ...c, body: "" } : { ...c, html: "" };
      }),
    };
    bodies = Promise.all(texts);
  }
  const run = () => Promise.all([ready, bodies]).then(([, texts]) => brain(() => handle(JSON.stringify(message), JSON.stringify(info), texts)));
  const answer = queue.then(run, run);
  let fetched;
  const answered = new Promise((resolve) => { fetched = resolve; });
  answer.then(
    (pages) => {
      // Pages of whole JSON (badges, then their reasons), the first inline, the others fetched
      // and parsed one at a time.
      if (pages.length > 1) {
        const key = crypto.randomUUID();
        pages.fetched = fetched;
        pages.from = from;
        keep(answers, key, pages);
        // Its page is gone already: its pages may still be asked for, but are not waited for.
        if ((plans.get(from) ?? 0) > seq) fetched();
        return sendResponse(sent(`{"type":"pages","key":${JSON.stringify(key)},"count":${pages.length},"first":`, pages[0], "}"));
      }
      sendResponse(sent(pages[0]));
      fetched();
    },
    (error) => {
      sendResponse(JSON.stringify({ type: "error", message: String(error) }));
      fetched();
    },
  );
  // The writes the answer left wait until its pages are fetched, for at most two seconds from
  // the answer: they mask a large capture's secrets and store it (hundreds of milliseconds at
  // 6 MB, over a second at 63 MB), and the worker answers nothing meanwhile, its answer's pages
  // included. (Counted from the message, the two seconds had run out before a 50,000-app answer
  // was ready, and its pages then waited behind the writes: 2.1-2.6 s against 0.2 s.)
  const twoSeconds = () => new Promise((resolve) => setTimeout(resolve, 2000));
  queue = answer
    .then(() => Promise.race([answered, twoSeconds()]), () => {})
    .then(() => answer)
    .then(timedFlush, timedFlush)
    .catch(() => {});
  if (message.type === "open_card") answer.then((pages) => openCard(pages, message)).catch(() => {});
  // New options may add or drop a self-managed instance.
  if (message.type === "set_options" || message.type === "clear_all") syncInstances();
  // New options and the admin's decisions change what the console pages' badges say (a console
  // switched off shows none, and its tap stops): each page reads its plan again once they are
  // made. Only pages with NHI Lens's content script answer; the others' errors are no news.
  // (Once made: one refused changes nothing.)
  if (REPLANS.test(message.type)) {
    answer.then((pages) => /^\{"type":"done"/.test(textOf(pages[0])) && api.tabs.query({})).then((tabs) => {
      for (const tab of tabs || []) api.tabs.sendMessage(tab.id, "replan").catch(() => {});
    }, () => {});
  }
  return true;
});

const REPLANS = /^(set_options|clear_all|assign_owner|accept_risk|withdraw_acceptance|forget_tenant)$/;

const textOf = (page) => (typeof page === "string" ? page : new TextDecoder().decode(page));

// A page whose plan frames no card (a self-managed instance's host, where extension pages may not
// be framed) has its card open in a window of its own, once the worker said the page may. One
// such window at a time: a second card's window replaces the first's, one after another, the
// first found again after the worker restarted.
let cards = Promise.resolve();
function openCard(pages, { tenant, id }) {
  cards = cards
    .then(async () => {
      if (JSON.parse(textOf(pages[0])).type !== "done") return;
      // A page of its own, which no web page may load (`card.html` is web-accessible, under an
      // ID the worker is not given): the manifest's card, copied by the build.
      const card = api.runtime.getURL("card-window.html");
      // Written as the content script writes a framed card's (form-encoded).
      const url = card + "#" + new URLSearchParams({ tenant, id });
      const contexts = (await api.runtime.getContexts?.({ contextTypes: ["TAB"] })) ?? [];
      const open = contexts.find((c) => c.frameId === 0 && c.documentUrl?.startsWith(card) && c.tabId >= 0);
      // The card reads its identity once, from its address: a new card is a new window.
      if (open) await api.windows.remove(open.windowId).catch(() => {});
      await api.windows.create({ url, type: "popup", width: 580, height: 760 });
    })
    .catch(() => {});
}

// The tap and the content script run on the consoles the manifest names; on a self-managed
// instance (a host the admin added in the options, and the browser granted), they are registered
// here, from the options as stored, whenever they or the granted hosts may have changed (and at
// each start: a browser may drop registrations, as Firefox does when the add-on is updated). Each
// sync waits in the worker's queue, so two never overlap.
function syncInstances() {
  const self = JSON.stringify({ tab_id: null, url: extensionOrigin + "/", extension_page: true });
  const run = () => ready.then(() => brain(() => handle(JSON.stringify({ type: "get_options" }), self, [])));
  queue = queue
    .then(run, run)
    .then((pages) => {
      const reply = JSON.parse(textOf(pages[0]));
      if (reply.type === "options") return registerInstances(reply.options.instances);
    })
    .catch(() => {});
}

async function registerInstances(instances) {
  if (!api.scripting || !Array.isArray(instances)) return;
  const wanted = [];
  for (const { host } of instances) {
    if (typeof host !== "string") continue;
    // A match pattern names no port (Firefox's cannot): the page's plan tells the instance's. An
    // instance served under a path (`code.example.com/gitlab`) is read under it alone; the
    // browser's permission is for its whole host.
    const [name] = host.split(/[:/]/), root = host.slice(host.split("/")[0].length);
    const match = `https://${name}${root}/*`;
    if (!wanted.includes(match) && await api.permissions.contains({ origins: [`https://${name}/*`] })) wanted.push(match);
  }
  const ids = ["instances-tap", "instances-content"];
  const registered = await api.scripting.getRegisteredContentScripts({ ids });
  // Unchanged: left as they are (a tab loading meanwhile would miss them).
  const same = (r) => r.matches.length === wanted.length && r.matches.every((m, i) => m === wanted[i]);
  if (registered.length === ids.length && registered.every(same)) return;
  if (registered.length) await api.scripting.unregisterContentScripts({ ids: registered.map((r) => r.id) });
  if (!wanted.length) return;
  await api.scripting.registerContentScripts([
    { id: ids[0], matches: wanted, js: ["tap.js"], runAt: "document_start", allFrames: true, world: "MAIN" },
    { id: ids[1], matches: wanted, js: ["content.js"], runAt: "document_start", allFrames: true },
  ]);
}
api.permissions?.onAdded?.addListener(syncInstances);
api.permissions?.onRemoved?.addListener(syncInstances);
api.runtime.onStartup?.addListener(syncInstances);
api.runtime.onInstalled?.addListener(syncInstances);

// A closed tab's summary is of no more use, nor when its pages last asked for a plan.
// Summaries of tabs closed while no worker listened (a browser quit with them open, whose next
// session numbers its tabs anew) go as a worker starts: listed before the open tabs are, so a
// summary written meanwhile is never taken for a closed tab's.
// (Where storage cannot list its keys alone, they stay: reading every value to list them would
// read every inventory at each start.)
(async () => {
  if (!local.getKeys) return;
  const keys = await local.getKeys();
  const open = new Set((await api.tabs.query({})).map((tab) => "tab:" + tab.id));
  const gone = keys.filter((key) => key.startsWith("tab:") && !open.has(key));
  if (gone.length) await local.remove(gone);
})().catch((error) => console.warn("NHI Lens: the summaries of closed tabs stay:", error));
api.tabs?.onRemoved?.addListener((tabId) => {
  api.storage.local.remove("tab:" + tabId);
  for (const from of plans.keys()) if (from.startsWith(tabId + "/")) plans.delete(from);
});
