// NHI Lens background service worker. Listeners are registered synchronously (a worker can be
// woken by any event, and MV3 workers cannot await at the top level); every message goes to the
// Rust brain, one at a time, with the sender as the browser reports it. After each answer the
// brain's deferred writes are made before the next message is handled.
import init, { handle, flush } from "./background/nhi_lens_extension.js";

const api = globalThis.browser ?? globalThis.chrome;
const ready = init({ module_or_path: new URL("./background/nhi_lens_extension_bg.wasm", import.meta.url) });
const extensionOrigin = new URL(api.runtime.getURL("")).origin;
let queue = Promise.resolve();

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id) return false;
  const url = sender.url || "";
  const info = {
    tab_id: sender.tab ? sender.tab.id : null,
    url,
    extension_page: url.startsWith(extensionOrigin + "/"),
  };
  // Captured texts travel beside the message rather than inside its JSON.
  const bodies = [];
  if (message && message.type === "captured" && Array.isArray(message.captures)) {
    message = {
      ...message,
      captures: message.captures.map((c) => {
        const text = c && (c.kind === "json" ? c.body : c.html);
        bodies.push(typeof text === "string" ? text : "");
        return c && c.kind === "json" ? { ...c, body: "" } : { ...c, html: "" };
      }),
    };
  }
  const run = () => ready.then(() => handle(JSON.stringify(message), JSON.stringify(info), bodies));
  const answer = queue.then(run, run);
  queue = answer.then(flush, flush).catch(() => {});
  answer.then(
    (text) => sendResponse(JSON.parse(text)),
    (error) => sendResponse({ type: "error", message: String(error) }),
  );
  return true;
});

// A closed tab's summary is of no more use.
api.tabs?.onRemoved?.addListener((tabId) => api.storage.local.remove("tab:" + tabId));
