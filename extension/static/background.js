// NHI Lens background service worker. Listeners are registered synchronously (a worker can be
// woken by any event, and MV3 workers cannot await at the top level); every message goes to the
// Rust brain, one at a time, with the sender as the browser reports it. After each answer the
// brain's deferred writes are made before the next message is handled.
//
// Answers go back as JSON text (parsed once, by whoever asked). Texts too large for one message
// (browsers cap a message at 64 MiB) travel in parts: a capture's parts come ahead of it, an
// answer's parts are fetched after it. Badges come as pages of whole JSON: the badges, then their
// reasons.
import init, { handle, flush } from "./background/nhi_lens_extension.js";

const api = globalThis.browser ?? globalThis.chrome;
const ready = init({ module_or_path: new URL("./background/nhi_lens_extension_bg.wasm", import.meta.url) });
const extensionOrigin = new URL(api.runtime.getURL("")).origin;
const PART = 16 * 1024 * 1024;
let queue = Promise.resolve();
const parts = new Map();
const answers = new Map();
const keep = (map, key, value) => {
  map.set(key, value);
  while (map.size > 16) map.delete(map.keys().next().value);
};

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !message) return false;
  const url = sender.url || "";
  const info = {
    tab_id: sender.tab ? sender.tab.id : null,
    url,
    extension_page: url.startsWith(extensionOrigin + "/"),
  };
  if (message.type === "part") {
    if (info.extension_page || typeof message.text !== "string") return false;
    const kept = parts.get(message.key) ?? [];
    kept[message.index] = message.text;
    keep(parts, message.key, kept);
    sendResponse('{"type":"done"}');
    return false;
  }
  if (message.type === "reply_part") {
    // The key is known only to whoever got the answer.
    const kept = answers.get(message.key);
    sendResponse(kept ? kept[message.index] ?? "" : '{"type":"error","message":"that answer is gone"}');
    if (kept && message.index === kept.length - 1) answers.delete(message.key);
    return false;
  }
  // When a capture reached the worker, for the browser benchmark (the brain marks its steps).
  if (message.type === "captured") performance.mark("nhi-lens:received");
  // Captured texts travel beside the message rather than inside its JSON.
  const bodies = [];
  if (message.type === "captured" && Array.isArray(message.captures)) {
    message = {
      ...message,
      captures: message.captures.map((c) => {
        let text = c && (c.kind === "json" ? c.body : c.html);
        if (c && c.kind === "json" && typeof c.parts === "string" && parts.has(c.parts)) {
          text = parts.get(c.parts).join("");
          parts.delete(c.parts);
        }
        bodies.push(typeof text === "string" ? text : "");
        return c && c.kind === "json" ? { ...c, body: "" } : { ...c, html: "" };
      }),
    };
  }
  const run = () => ready.then(() => handle(JSON.stringify(message), JSON.stringify(info), bodies));
  const answer = queue.then(run, run);
  queue = answer.then(flush, flush).catch(() => {});
  answer.then(
    (pages) => {
      const key = `${Date.now()}-${Math.random()}`;
      // Pages of whole JSON (badges, then their reasons), the first inline, the others fetched
      // and parsed one at a time.
      if (pages.length > 1) {
        keep(answers, key, pages);
        return sendResponse(`{"type":"pages","key":${JSON.stringify(key)},"count":${pages.length},"first":${pages[0]}}`);
      }
      const text = pages[0];
      if (text.length <= PART) return sendResponse(text);
      const pieces = [];
      for (let at = 0; at < text.length; at += PART) pieces.push(text.slice(at, at + PART));
      keep(answers, key, pieces);
      sendResponse(JSON.stringify({ type: "parts", key, count: pieces.length }));
    },
    (error) => sendResponse(JSON.stringify({ type: "error", message: String(error) })),
  );
  return true;
});

// A closed tab's summary is of no more use.
api.tabs?.onRemoved?.addListener((tabId) => api.storage.local.remove("tab:" + tabId));
