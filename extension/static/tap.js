// NHI Lens tap: runs in the page's own world at document_start, before the console's scripts.
// It wraps fetch and XMLHttpRequest so that JSON the console loads in the admin's session is
// handed to the NHI Lens content script, unchanged and size-capped. It sends nothing anywhere:
// the only way out is a DOM event the content script (same tab) listens to. Page scripts can fire
// that event too, so the content script and the background treat what it carries as untrusted.
(() => {
  "use strict";
  if (window.__nhiLensTap) return;
  Object.defineProperty(window, "__nhiLensTap", { value: true });

  const MAX_BYTES = 64 * 1024 * 1024;
  const isJson = (type) => /\bjson\b/i.test(type || "");
  // Two strings, "url\nlink" and then the body, as they are: a large body is neither escaped as
  // JSON nor copied into one string with its URL (63 MB took 25 ms to copy).
  const hand = (url, body, link) => {
    if (typeof body !== "string" || body.length > MAX_BYTES) return;
    const head = `${String(url).replace(/\n/g, "")}\n${String(link || "").replace(/\n/g, "")}`;
    performance.mark("nhi-lens:tapped");
    window.dispatchEvent(new CustomEvent("nhi-lens:response-head", { detail: head }));
    window.dispatchEvent(new CustomEvent("nhi-lens:response", { detail: body }));
  };

  // The tap reads a response's body when the console does, from the console's own read: no copy
  // of the stream (a tee of a large body slowed both readers by tens of milliseconds). The text
  // goes to the content script first, which sends it on in this task, and the console gets it in
  // the next: the extension works while the console parses and renders, and sending (a copy of
  // the body) and the console's rendering stay two short tasks rather than one long one. A body
  // the console reads as bytes is decoded for the content script; one read as a stream is not.
  const { text: readText, arrayBuffer: readBytes, clone: copy } = Response.prototype;
  // The next task, through a channel of the tap's own: a timer would do, but a page in a
  // background tab gets its timers held back for up to a second.
  const channel = new MessageChannel();
  const due = [];
  channel.port1.onmessage = () => due.shift()();
  const later = (value) => new Promise((resolve) => {
    due.push(() => resolve(value));
    channel.port2.postMessage(0);
  });
  const watch = (response) => {
    const link = response.headers.get("link");
    let handed = false;
    const once = (text) => {
      if (!handed) { handed = true; hand(response.url, text, link); }
      return text;
    };
    const own = (name, value) => Object.defineProperty(response, name, { configurable: true, writable: true, value });
    own("text", function () { return readText.call(this).then((t) => later(once(t))); });
    own("json", function () { return readText.call(this).then((t) => later(once(t))).then(JSON.parse); });
    own("arrayBuffer", function () {
      return readBytes.call(this).then((bytes) => {
        try { once(new TextDecoder().decode(bytes)); } catch (_) { /* never disturb the console */ }
        return later(bytes);
      });
    });
    own("clone", function () { return watch(copy.call(this)); });
    return response;
  };
  const pageFetch = window.fetch;
  if (typeof pageFetch === "function") {
    window.fetch = function (...args) {
      return pageFetch.apply(this, args).then((response) => {
        try {
          if (!isJson(response.headers.get("content-type"))) return response;
          const length = Number(response.headers.get("content-length"));
          if (length > MAX_BYTES) return response;
          return watch(response);
        } catch (_) {
          // An opaque or odd response: the page's own handling is untouched.
          return response;
        }
      });
    };
  }

  // Single-page consoles change the URL without a load: tell the content script.
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      window.dispatchEvent(new CustomEvent("nhi-lens:navigate"));
      return result;
    };
  }

  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    XHR.prototype.open = function (method, url, ...rest) {
      this.__nhiLensUrl = url;
      return open.call(this, method, url, ...rest);
    };
    XHR.prototype.send = function (...args) {
      this.addEventListener("load", () => {
        try {
          if (!isJson(this.getResponseHeader("content-type"))) return;
          const url = this.responseURL || new URL(this.__nhiLensUrl, location.href).href;
          const link = this.getResponseHeader("link");
          // Handed on in a task of its own, after the console's own handlers of this load.
          if (this.responseType === "" || this.responseType === "text") {
            const text = this.responseText;
            later().then(() => hand(url, text, link));
          } else if (this.responseType === "json" && this.response != null) {
            const value = this.response;
            later().then(() => hand(url, JSON.stringify(value), link));
          }
        } catch (_) {
          // Never disturb the console.
        }
      });
      return send.apply(this, args);
    };
  }
})();
