// The extension pages' entry point: loads the Yew/wasm pages (wasm-bindgen --target web output,
// copied to pages/ by `cargo xtask dist`) and mounts the app the body names in data-page.
// No inline scripts: MV3's default CSP allows only the extension's own files.
import init, { start } from "./pages/nhi_lens_pages.js";

// The request this page asks first (the side panel: its remembered tenant's inventory), sent
// before the WebAssembly is compiled, so the background works on it meanwhile. The page's Rust
// wrote the request's text (bridge.rs, `ask_early`) and takes this answer for it; this file
// knows nothing of what it asks.
function askEarly(page) {
  const api = globalThis.browser ?? globalThis.chrome;
  try {
    const request = localStorage.getItem(`nhi-lens.early.${page}`);
    if (!request || !api?.runtime?.sendMessage) return;
    const answer = Promise.resolve(api.runtime.sendMessage(JSON.parse(request)));
    answer.catch(() => {}); // Rust reads its failure, if it asks.
    globalThis.nhiLensEarly = { request, answer, at: performance.now() };
  } catch {
    // Asked again, the usual way, once the page runs.
  }
}

async function main() {
  try {
    await init();
    start(document.body.dataset.page);
  } catch (error) {
    const p = document.createElement("p");
    p.className = "banner error";
    p.setAttribute("role", "alert");
    p.textContent = `NHI Lens could not start this page: ${error && error.message ? error.message : error}`;
    document.body.replaceChildren(p);
    console.error(error);
  }
}

if (document.body) askEarly(document.body.dataset.page);
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", main, { once: true });
} else {
  main();
}
