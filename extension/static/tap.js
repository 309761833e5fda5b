// NHI Lens tap: runs in the page's own world at document_start, before the console's scripts.
// It wraps fetch and XMLHttpRequest so that JSON the console loads in the admin's session is
// handed to the NHI Lens content script, unchanged and size-capped. It sends nothing anywhere:
// the only way out is a DOM event the content script (same tab) listens to. Page scripts can fire
// that event too, so the content script and the background treat what it carries as untrusted.
(() => {
  "use strict";
  if (window.__nhiLensTap) return;
  Object.defineProperty(window, "__nhiLensTap", { value: true });

  const MAX_BYTES = 64 << 20; // 64 MiB
  const isJson = (type) => /\bjson\b/i.test(type || "");
  // What tells two responses apart without keeping them: their size and a sample of their
  // content (4,096 points), for the content script to capture each response once.
  const signature = (body) => {
    const text = typeof body === "string", size = text ? body.length : body.byteLength;
    let h = 0x811c9dc5;
    for (let i = 0; i < size; i += Math.max(1, size >> 12)) h = Math.imul(h ^ (text ? body.charCodeAt(i) : body[i]), 0x01000193);
    return `${text ? "t" : "b"}${size}:${h >>> 0}`;
  };
  // Two events: "url\nlink\nsignature\nrequest", then the body. A body read as bytes goes as a
  // Blob of them (a copy of the bytes, never decoded or encoded for the extension); one the
  // console read as a string (XMLHttpRequest) as that string. The request is the body the console
  // sent to a JSON batch (an OData `$batch`, which names the calls it answers there), when it is
  // text of 64 KiB at most; no other request's body is handed on.
  const sentText = (url, body) => (/\/\$batch(?:[?#]|$)/.test(url) && typeof body === "string" && body.length <= 65536 ? body : "");
  // The tap's only way out: an event of the page's window (`nhi-lens:<what>`).
  const tell = (what, detail) => window.dispatchEvent(new CustomEvent("nhi-lens:" + what, { detail }));
  const hand = (url, body, link, sent) => {
    const bytes = typeof body !== "string";
    if (bytes ? body.byteLength > MAX_BYTES : body.length > MAX_BYTES) return;
    const head = [url, link || "", "", sent || ""].map((s) => String(s).replace(/\n/g, ""));
    head[2] = signature(bytes ? new Uint8Array(body) : body);
    // For the browser benchmark, in the test builds only (see content.js).
    if (NHI_LENS_MEASURE) performance.mark("nhi-lens:tapped");
    tell("response-head", head.join("\n"));
    tell("response", bytes ? new Blob([body]) : body);
  };

  // The tap reads a response's body when the console does, from the console's own read: no copy
  // of the stream (a tee of a large body slowed both readers by tens of milliseconds). It reads
  // the bytes, hands them to the content script first, which sends them on in this task, and the
  // console gets its text, JSON or bytes in the next, decoded there as the browser's own text()
  // would: the extension works while the console parses and renders, and sending and the
  // console's rendering stay two short tasks rather than one long one. A body read as a Blob is
  // tapped from a copy. One read as a stream (`response.body`) stays the browser's own stream:
  // the tap keeps a copy of what each plain reader the console takes from it reads, and hands the
  // bytes on once the console read the end (never after it cancelled). Readers into the console's
  // own buffers ("byob"), pipes and async iteration read the stream untapped.
  const { arrayBuffer: readBytes, clone: copy, blob: readBlob } = Response.prototype;
  const bodyOf = Object.getOwnPropertyDescriptor(Response.prototype, "body")?.get;
  // The console's text, decoded as the browser's own text() decodes it; a large body a slice of
  // 8 MiB a task, as the browser decodes one while it arrives.
  const SLICE = 8 << 20; // 8 MiB
  const { parse } = JSON, Decoder = TextDecoder;
  const decode = async (bytes) => {
    const all = new Uint8Array(bytes);
    if (all.length <= SLICE) return new Decoder().decode(all);
    const decoder = new Decoder(), parts = [];
    for (let at = 0; at < all.length; at += SLICE) {
      parts.push(decoder.decode(all.subarray(at, at + SLICE), { stream: at + SLICE < all.length }));
      await later();
    }
    return parts.join("");
  };
  // The next task, through a channel of the tap's own: a timer would do, but a page in a
  // background tab gets its timers held back for up to a second.
  const channel = new MessageChannel();
  const due = [];
  channel.port1.onmessage = () => due.shift()();
  const later = (value) => new Promise((resolve) => {
    due.push(() => resolve(value));
    channel.port2.postMessage(0);
  });
  const watch = (response, sent) => {
    const link = response.headers.get("link");
    let handed = false;
    const handOnce = (bytes) => {
      if (handed) return;
      handed = true;
      try { hand(response.url, bytes, link, sent); } catch (_) { /* never disturb the console */ }
    };
    const read = (response) => readBytes.call(response).then((bytes) => {
      handOnce(bytes);
      return later(bytes);
    });
    const own = (name, value, on = response) => Object.defineProperty(on, name, { configurable: true, writable: true, value });
    // Decoded in tasks of their own, so the console's task is what it would be without the tap.
    own("text", function () { return read(this).then(decode).then(later); });
    own("json", function () { return read(this).then(decode).then(later).then(parse); });
    own("arrayBuffer", function () { return read(this); });
    own("bytes", function () { return read(this).then((bytes) => new Uint8Array(bytes)); });
    // A Blob is the browser's own (its type is the browser's reading of the header): the tap
    // reads a copy of the body beside it, which costs a copy of the stream, for this rare read.
    own("blob", function () {
      // A body already used or being read fails in the browser's own blob(), as it should.
      if (!handed && !this.bodyUsed) {
        try {
          readBytes.call(copy.call(this)).then(handOnce, () => {});
        } catch (_) { /* never disturb the console */ }
      }
      return readBlob.call(this);
    });
    own("clone", function () { return watch(copy.call(this), sent); });
    // Each stream the response gives (a clone gives it a new one) is watched once, from its start.
    const watched = new WeakSet();
    if (bodyOf) Object.defineProperty(response, "body", {
      configurable: true,
      get() {
        const stream = bodyOf.call(this);
        if (stream && !watched.has(stream)) {
          watched.add(stream);
          const { getReader } = stream;
          let chunks = [], size = 0;
          own("getReader", function (options) {
            const reader = getReader.call(this, options);
            if (options?.mode) return reader;
            const { read: next, cancel } = reader;
            own("read", function () {
              return next.call(this).then((part) => {
                if (chunks && part.done) {
                  new Blob(chunks).arrayBuffer().then(handOnce, () => {});
                  chunks = null;
                } else if (chunks && (size += part.value.length) <= MAX_BYTES) {
                  chunks.push(part.value.slice());
                } else {
                  chunks = null;
                }
                return part;
              });
            }, reader);
            own("cancel", function (why) { chunks = null; return cancel.call(this, why); }, reader);
            return reader;
          }, stream);
        }
        return stream;
      },
    });
    return response;
  };
  // The content script says with each page's plan whether the admin switched the console off (a
  // page script could say so too, and only stop NHI Lens reading its own page).
  let off = false;
  window.addEventListener("nhi-lens:off", (e) => { off = !!e.detail; });
  // Whether any of the console's requests is on its way (until its answer's headers, or its
  // load's end): a page still waiting for its lists has not changed its layout.
  let pending = 0;
  const busy = (step) => {
    pending += step;
    if (pending === +(step > 0)) tell("busy", pending > 0);
  };
  const done = () => busy(-1);
  const pageFetch = window.fetch;
  if (typeof pageFetch === "function") {
    window.fetch = function (...args) {
      const answer = pageFetch.apply(this, args);
      busy(1);
      answer.then(done, done);
      return answer.then((response) => {
        try {
          // An error the API answered is no data (the background leaves those alone too).
          if (off || !response.ok || !isJson(response.headers.get("content-type"))) return response;
          const length = Number(response.headers.get("content-length"));
          if (length > MAX_BYTES) return response;
          return watch(response, sentText(response.url, args[1] && args[1].body));
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
      tell("navigate");
      return result;
    };
  }

  const xhr = window.XMLHttpRequest?.prototype;
  if (xhr) {
    // Each request's URL and batch text, beside the object (never a property the page would see).
    const { open, send } = xhr, urls = new WeakMap(), sent = new WeakMap(), ends = new WeakMap();
    // Each request counted once while on its way: its own end, once, whichever comes first (its
    // load's end; the object opened or sent again, which ends it without one).
    const end = (request) => ends.get(request)?.();
    xhr.open = function (method, url) {
      end(this);
      urls.set(this, url);
      return open.apply(this, arguments);
    };
    // One listener for every request of an object (the browser adds a function once): a console
    // that reuses one for many requests gets no pile of them.
    function loaded() {
      try {
        // (A status of 200-299 is the only one whose hundreds are 2.)
        if (off || (this.status / 100) ^ 2 || !isJson(this.getResponseHeader("content-type"))) return;
        const url = this.responseURL || new URL(urls.get(this), location.href).href, type = this.responseType;
        // From all the headers: asking a cross-origin response for one it does not expose logs an
        // error in the console.
        const link = (this.getAllResponseHeaders().match(/^link: ?(.*)/im) || [])[1];
        const body = !type || type == "text" ? this.responseText : type == "json" ? this.response : null;
        // Handed on in a task of its own, after the console's own handlers of this load. JSON the
        // tap cannot write back (a page's own JSON.stringify that throws; in Firefox, whose
        // response is the console's own object, one its handlers made circular) is not handed
        // on, and never fails in the page.
        if (body != null) later(sent.get(this)).then((request) => hand(url, typeof body === "string" ? body : JSON.stringify(body), link, request)).catch(() => {});
      } catch (_) {
        // Never disturb the console.
      }
    }
    xhr.send = function (body) {
      sent.set(this, sentText(urls.get(this), body));
      this.addEventListener("load", loaded);
      end(this);
      const ended = () => { if (ends.get(this) === ended) { ends.delete(this); done(); } };
      ends.set(this, ended);
      busy(1);
      this.addEventListener("loadend", ended, { once: true });
      try {
        return send.apply(this, arguments);
      } catch (error) {
        // Not sent (not opened): no load will end.
        ended();
        throw error;
      }
    };
  }
})();
