// The extension pages' entry point: loads the Yew/wasm pages (wasm-bindgen --target web output,
// copied to pages/ by `cargo xtask dist`) and mounts the app the body names in data-page.
// No inline scripts: MV3's default CSP allows only the extension's own files.
import init, { start } from "./pages/nhi_lens_pages.js";

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

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", main, { once: true });
} else {
  main();
}
