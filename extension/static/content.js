// NHI Lens content script: generic, it knows no console. It asks the background for this page's
// capture plan, forwards what the plan names (JSON the page loaded, DOM regions), and draws the
// badges the background answers with. Console text is hostile: everything is set as text or
// attributes, never as markup.
(() => {
  "use strict";
  // Short names for what is named often (the minifier keeps a global's name as it is).
  const win = window, loc = location, EVENT = "nhi-lens:";
  if (win.__nhiLens) return;
  win.__nhiLens = true;
  const api = globalThis.browser ?? chrome, doc = document;
  // The element each badge is (DESIGN.md's badge attributes are on it).
  const BADGE = "nhi-lens-badge";
  const on = (target, type, listener, options) => target.addEventListener(type, listener, options);
  // Milliseconds on the page's monotonic clock (a clock set back never stretches a deadline).
  const now = () => performance.now();
  // The time the extension takes on the page's main thread, measured for the browser benchmark
  // in the test builds only (the build defines NHI_LENS_MEASURE, and the shipped scripts have
  // neither the measuring nor the statements that put it around a step): a console's own scripts
  // read its performance timeline, and the shipped extension leaves nothing there.
  const timed = NHI_LENS_MEASURE && ((what, f) => function (...args) {
    const t0 = now();
    try { return f.apply(this, args); } finally { performance.measure("nhi-lens:work:" + what, { start: t0 }); }
  });
  let send = (m) => api.runtime.sendMessage(m), parse = JSON.parse;
  if (NHI_LENS_MEASURE) { send = timed("send", send); parse = timed("parse", parse); }
  // Answers come as JSON: text, or a large one as a Blob.
  const textOf = (r) => (r instanceof Blob ? r.text() : r);
  const ask = async (message) => {
    try {
      const r = await textOf(await send(message));
      if (typeof r !== "string") return r;
      // Badges: pages of whole JSON, each parsed in a task of its own; their reasons, the last
      // pages, are fetched only when asked for (after the badges are drawn).
      if (r.startsWith('{"type":"pages"')) {
        const { key, count, first: reply } = parse(r);
        const badgePages = count - (reply.reason_pages || 0);
        const page = async (index) => {
          const part = parse(await textOf(await send({ type: "reply_part", key, index })));
          // Anything else (the worker no longer holds that answer) is no page.
          if (!Array.isArray(part)) throw part;
          return part;
        };
        for (let index = 1; index < badgePages; index++) reply.annotations.push(...await page(index));
        reply.reasons = async () => {
          const all = [];
          for (let index = badgePages; index < count; index++) all.push(...await page(index));
          return all;
        };
        return reply;
      }
      return parse(r);
    } catch (_) {
      return null;
    }
  };

  // A response goes to the worker as a Blob, whose handle the browser passes on (a string is
  // copied through each process on its way: 6 MB reached the worker 60-70 ms after it was sent,
  // a Blob 25 ms). The tap makes one of a fetched body's bytes; one read as a string
  // (XMLHttpRequest) is made here, which copies the text as UTF-8, about 3 ms a megabyte on the
  // page's main thread, so a larger text is made in parts of 8 MiB, a task each.
  const PART = 8 << 20; // 8 MiB
  const yieldTask = (() => {
    // The next task, through a channel: a page in a background tab gets its timers held back.
    const channel = new MessageChannel(), due = [];
    channel.port1.onmessage = () => due.shift()();
    return () => new Promise((resolve) => { due.push(resolve); channel.port2.postMessage(0); });
  })();
  let blobPart = (text) => new Blob([text]);
  if (NHI_LENS_MEASURE) blobPart = timed("send", blobPart);
  // (A text of one part is a Blob of that part's Blob, which copies nothing more.)
  async function toBlob(text) {
    const parts = [];
    for (let at = 0; at < text.length;) {
      let end = Math.min(text.length, at + PART);
      // Never between the halves of a surrogate pair, which would each become U+FFFD.
      if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      parts.push(blobPart(text.slice(at, end)));
      at = end;
      if (at < text.length) await yieldTask();
    }
    return new Blob(parts);
  }
  let plan, planUrl, apiRes = [], tenant = "", nameless = false;
  // asked: 0 (not yet), 1 (with the tenant named) or 2 (before the region naming it came).
  let buffered = [], pending = [], sentDom = "", deadline = 0, asked = 0, recapture = false, sent = false;
  // Responses the page's plan did not name, the latest 20 of the last 30 s, each with the tenant
  // of the page it came on: a console may load a view's lists just before it shows the view's URL,
  // or load them on one view and show them on the next (of the same tenant).
  let missed = [];
  const fresh = (r) => now() - r.at < 30000;
  const seen = new Set();
  let flushTimer, domTimer, drawTimer, lateTimer, sending = false, settleBy = 0, forced = false;
  let byKey = new Map(), byId = new Map();
  const drawn = new WeakMap();

  // JSON from the tap, kept until the plan says which to forward: "url\nlink\nsignature\nrequest",
  // then its body, a Blob of its bytes or (from XMLHttpRequest) a string.
  let head = null;
  // The tap's events, and the one the content script sends it.
  // Whether the console's requests are on their way (the tap says when that changes).
  let busy = false;
  on(win, EVENT + "busy", (event) => { busy = event.detail === true; });
  on(win, EVENT + "response-head", (event) => {
    const d = typeof event.detail === "string" ? event.detail.split("\n") : [];
    head = d.length === 4 ? { url: d[0], link: d[1] || null, sig: d[2], request: d[3] || null } : null;
  });
  // The tap's cap; page scripts can fire these events too, with anything in them.
  const MAX_BYTES = 64 << 20; // 64 MiB
  on(win, EVENT + "response", (event) => {
    const body = event.detail, h = head;
    head = null;
    const size = typeof body === "string" ? body.length : body instanceof Blob ? body.size : -1;
    // The signature starts with the size, which the body must have.
    if (!h || size < 0 || size > MAX_BYTES || !h.sig.slice(1).startsWith(size + ":")) return;
    const r = { ...h, body, at: now() };
    if (!plan) {
      if (plan === null) buffered = buffered.filter(fresh).slice(-19);
      if (buffered.length < 100) buffered.push(r);
      return;
    }
    take(r);
  });

  function take(r) {
    if (!apiRes.some((re) => re.test(r.url))) { missed = [...missed.filter(fresh).slice(-19), { ...r, of: plan.tenant }]; return; }
    const sig = r.url + "|" + r.sig + "|" + (r.request || "");
    if (seen.has(sig)) return;
    seen.add(sig);
    // The worker reads its url, body, link and request.
    pending.push({ ...r, kind: "json" });
    // A response goes at once, before the console renders it; those that come while it is with
    // the background go together after it.
    if (!sending) { clearTimeout(flushTimer); flush(); }
  }

  async function start() {
    // A new URL is a new page; one event of several saying so (a hash route fires hashchange and
    // popstate) starts it once.
    if (loc.href == planUrl && !forced) return;
    forced = false;
    // What the last page took and has not sent yet goes as that page's, with the region naming
    // its tenant (kept for the next page of its URL's tenant while the page names none); nothing
    // is captured by its plan meanwhile.
    if (pending.length) {
      const named = plan.regions.some((r) => r.every_capture) && regions().parts.filter((p) => p.every);
      if (named && !named.length) missed.push(...pending.map((r) => ({ ...r, of: plan.tenant })));
      else ask({ type: "captured", url: planUrl, captures: [...pending, ...(named || [])] });
    }
    // A page the console moved to (not the one the document loaded at) shows the last one's
    // markup until it draws its own (GitHub's Turbo changes the URL first): its regions wait for
    // a change of the page, for 2 s at most.
    settleBy = planUrl === undefined ? 0 : now() + 2000;
    // Asking (undefined): what comes is kept for the plan; a page with none (null) keeps only what
    // the next may show (a console may load a view's list before it shows the view's URL).
    planUrl = loc.href; plan = undefined; pending = [];
    // The last page's badges go (a list reusing its rows would show them on other identities).
    for (const b of doc.querySelectorAll(BADGE)) b.remove();
    const reply = await ask({ type: "plan", url: planUrl });
    plan = reply?.type === "plan" ? reply.plan : null;
    // A console the admin switched off: the tap leaves its responses alone (until it is on again).
    win.dispatchEvent(new CustomEvent(EVENT + "off", { detail: reply?.off }));
    tenant = plan ? plan.tenant : "";
    // Case aside, as the worker matches them.
    apiRes = plan ? plan.api.map((s) => new RegExp(s, "i")) : [];
    // What the last pages' plans did not name may be this one's, oldest first (of a list loaded
    // twice, the later one is read).
    const early = [...missed.filter((r) => fresh(r) && r.of === tenant), ...buffered.filter(fresh)];
    // A learn of the last page's answer stops here.
    // (The last page's drawing stops too: its rows' badges are no longer of this page.)
    seen.clear(); sentDom = ""; asked = 0; sent = false; byKey = new Map(); byId = new Map(); learning++; drawing++;
    buffered = []; missed = [];
    if (loc.pathname !== firstSightPath) { firstSightPath = loc.pathname; firstSight.clear(); removed.length = 0; }
    if (!plan || !plan.regions.some((r) => r.early)) stopKeeping();
    // Changes of the page are captured again where it has regions that change (not only the one
    // naming its tenant, or those taken at first sight).
    recapture = !!plan && plan.regions.some((r) => !r.every_capture && !r.early);
    if (!plan) return;
    // The page's deadline first: what it kept is sent now, and held by it (for the region naming
    // the tenant) as anything the page loads later.
    deadline = now() + 6000;
    early.forEach(take);
    schedule(plan.regions.length ? 300 : 100);
    // A page that loaded nothing by then may show what it loaded before: the worker answers with
    // what it read on the page.
    clearTimeout(lateTimer); lateTimer = setTimeout(() => sent || schedule(0), 6100);
  }

  function schedule(ms) {
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, ms);
  }

  // Snapshots the plan's regions; a required one still missing at the deadline means the
  // console's layout changed.
  let regions = () => {
    const parts = [], missing = [];
    catchEarly();
    for (const region of plan.regions) {
      if (region.early) {
        if (firstSight.has(region.name)) parts.push({ kind: "dom", region: region.name, html: firstSight.get(region.name), every: false });
        continue;
      }
      const found = [...doc.querySelectorAll(region.selector)];
      // A region naming the tenant counts once it names something (a menu may be drawn empty).
      if (region.every_capture ? found.some((e) => e.textContent.trim() || e.getAttribute("content")) : found.length) {
        let html = "";
        const limit = region.limit || Infinity;
        for (const e of found) if (html.length < limit) html += markup(e, limit - html.length) + "\n";
        parts.push({ kind: "dom", region: region.name, html, every: region.every_capture });
      } else if (region.required) {
        missing.push(region.name);
      }
    }
    return { parts, missing };
  };
  if (NHI_LENS_MEASURE) regions = timed("regions", regions);

  // Regions snapshot at first sight, before the page's scripts replace them (a Vue 2 app replaces
  // the element it mounts on, with the data the server rendered into it): from the page, or from
  // what the page removed in its first seconds, if the plan came after.
  // Both are of one page (path): a new one starts them anew.
  const firstSight = new Map(), removed = [], NOT_CONTENT = /^(script|link|style|meta|noscript|template)$/;
  let firstSightPath = loc.pathname, keeping = true;
  const stopKeeping = () => { keeping = false; removed.length = 0; };
  setTimeout(stopKeeping, 15000);
  function keepRemoved(records) {
    if (!keeping) return;
    for (const r of records) for (const n of r.removedNodes) if (n.nodeType === 1 && !NOT_CONTENT.test(n.localName) && removed.length < 64) removed.push(n);
  }
  function catchEarly() {
    for (const region of plan.regions) {
      if (!region.early || firstSight.has(region.name)) continue;
      const inRemoved = () => {
        for (const e of removed) { const m = e.matches(region.selector) ? e : e.querySelector(region.selector); if (m) return m; }
        return null;
      };
      const el = doc.querySelector(region.selector) || inRemoved();
      if (el) firstSight.set(region.name, markup(el, region.limit || Infinity));
    }
    // Nothing more to find: the removed elements go.
    if (plan.regions.every((r) => !r.early || firstSight.has(r.name))) stopKeeping();
  }

  // An element's markup without the badges (drawing them is no change of the page), cut after the
  // last tag that fits in about `budget` characters, its own tag whole. The browser writes it
  // (element by element, a fresh page's unoptimized script took 60-96 ms on 64 KiB of a list, in
  // the page's task) with every `>` of text and attribute values as `&gt;`, so no tag is cut in
  // two (a cut inside a script, a style or a comment, which keep theirs, ends a snapshot in what
  // no row is read from). A badge (`BADGE`, written out in the pattern) has no children, and its
  // own tag ends in an attribute's quote: the first `badge>` after it is its end tag's.
  const markup = (el, budget) => (el = el.outerHTML.replace(/<nhi-lens-badge[^]*?badge>/g, ""))
    .slice(0, Math.max(el.indexOf(">"), el.lastIndexOf(">", budget)) + 1);

  async function flush() {
    if (!plan) return;
    const { parts, missing } = regions();
    // A required region may still be on its way: JSON goes now, the page's parts when all came.
    // A console that names its tenant in the page (an account menu, a meta tag) gets what its
    // page sends, and its asks for the inventory's badges, once it does: held until then, up to
    // the deadline, once a document (a name the console never draws costs one wait, not one a
    // view).
    const unnamed = plan.regions.some((r) => r.every_capture) && !parts.some((p) => p.every);
    const held = unnamed && !nameless && now() < deadline;
    if (unnamed && !held) nameless = true;
    // A region still missing while the console waits for its answers waits with it (a cold
    // load slower than the deadline), 14 s more at most.
    const waiting = (missing.length > 0 || held || now() < settleBy) && (now() < deadline || (missing.length > 0 && busy && now() < deadline + 14000));
    if (waiting) schedule(250);
    if (held) return;
    const captures = pending;
    pending = [];
    // A region that names the tenant goes with every capture; the others when they changed.
    const changing = parts.filter((p) => !p.every);
    // What the regions held and which were missing: a page whose layout changed sends that again
    // only with something new (each send has the worker read the tenant again).
    const dom = changing.map((p) => p.html).join("\n") + missing, again = dom === sentDom;
    if (!waiting && !again) { sentDom = dom; captures.push(...changing); }
    const lost = waiting ? [] : missing;
    // A page that captures nothing, or one of a console's other views (`catch_all`), asks once
    // for the badges its tenant's inventory holds; once more if the region naming the tenant came
    // only after the deadline.
    const url = planUrl, askKnown = (plan.known_only || plan.catch_all || (!sent && now() >= deadline)) && !waiting && (!asked || (asked === 2 && !unnamed));
    if (!captures.length && (again || !lost.length) && !askKnown) { draw(); return; }
    if (askKnown) asked = unnamed ? 2 : 1;
    // A page that only asked may ask again (once it names its tenant).
    if (captures.length) sent = true;
    for (const p of parts) if (p.every) captures.push(p);
    if (NHI_LENS_MEASURE) performance.mark("nhi-lens:captured");
    sending = true;
    for (const c of captures) if (c.kind === "json" && typeof c.body === "string") c.body = await toBlob(c.body);
    // The URL the plan is of: what it captured was found by that page's plan. Its answer is not
    // drawn on a page the console moved to meanwhile.
    const reply = await ask({ type: "captured", url, captures, missing: lost });
    sending = false;
    if (pending.length) schedule(0);
    if (url !== planUrl) return;
    if (NHI_LENS_MEASURE) performance.mark("nhi-lens:annotations");
    if (reply?.type === "annotations") {
      if (reply.tenant) tenant = reply.tenant;
      // The reasons are fetched once the badges are indexed, not between the slices of it.
      await learn(reply.annotations);
      if (reply.reasons) {
        // An answer the worker no longer holds leaves the reasons unknown, never "No findings".
        const list = await reply.reasons().catch(() => null);
        reply.annotations.forEach((a, i) => { a.reasons = list ? list[i] || [] : null; });
        for (const write of showing) write();
      }
    }
  }

  // Takes in an answer's annotations and the texts each is found by, a slice at a time (tens of
  // thousands take longer than a frame), then draws; settles once done or overtaken.
  let learning = 0, indexed = true, longest = 0;
  function learn(annotations) {
    return new Promise((done) => {
      const run = ++learning, next = new Map(), wasIndexed = indexed;
      let i = 0, all = null, changed = false;
      indexed = false;
      let step = () => {
        if (run !== learning) return done();
        // A slice of 16 ms a task: 5,000 took 54 ms at once on a slow day, in the task that read
        // the answer, a task the console would feel.
        const until = now() + 16;
        const more = () => (i & 63) || now() < until;
        for (; !all && i < annotations.length && more(); i++) {
          const a = annotations[i], old = byId.get(a.id);
          if (!old || !same(old, a) || old.keys.join("\n") !== a.keys.join("\n")) changed = true;
          byId.set(a.id, a);
        }
        // Nothing new (a page's second look): the badges drawn or being drawn stay.
        if (!all && i === annotations.length && !changed && wasIndexed && byKey.size) { indexed = true; return done(); }
        if (!all && i === annotations.length) { all = [...byId.values()]; i = 0; }
        for (; all && i < all.length && more(); i++) for (const key of all[i].keys) {
          // A key two identities share (two apps of one name) names neither: their rows are found
          // by what else they show (an ID, a link).
          next.set(key, next.has(key) && next.get(key) !== all[i] ? null : all[i]);
          if (key.length > longest) longest = key.length;
        }
        if (!all || i < all.length) { setTimeout(step, 0); return; }
        byKey = next;
        indexed = true;
        draw();
        done();
      };
      if (NHI_LENS_MEASURE) step = timed("keys", step);
      step();
    });
  }

  // Rows are matched and badged as the browser reports them near the view, after its own layout
  // (never forcing one): a list of thousands costs the console a small layout, and the content
  // script only the rows someone can see. Rows are handed to the observer a slice at a time.
  let drawing = 0, lazy = null;
  function draw() {
    if (!plan || !byKey.size) return;
    const run = ++drawing;
    if (lazy) lazy.disconnect();
    let first = true;
    let inView = (entries) => {
      if (run !== drawing) return;
      const due = [];
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const row = e.target;
        observer.unobserve(row);
        // Only the innermost row-like element naming an identity: a table row holding a list in
        // a cell is still one, and so is a row holding an action menu's items, hidden until
        // opened (whose links may name the row's identity).
        if ([...row.querySelectorAll(row.matches(ROWS) ? ROWS : plan.rows)].some((r) => r.offsetParent && findMatch(r))) continue;
        const m = findMatch(row);
        // A row that names no identity any more (a list reusing it) loses its badges.
        if (m ? needsBadge(row, m) : drawn.get(row)?.length) due.push([row, m || []]);
      }
      put(due);
      if (NHI_LENS_MEASURE && first && due.length) { first = false; performance.mark("nhi-lens:drawn"); }
    };
    if (NHI_LENS_MEASURE) inView = timed("badges", inView);
    const observer = new IntersectionObserver(inView, { rootMargin: "1500px 0px" });
    lazy = observer;
    const rows = doc.querySelectorAll(plan.rows);
    let at = 0;
    let observe = () => {
      if (run !== drawing) return;
      const until = now() + 8;
      while (at < rows.length && (at & 255 || now() < until)) observer.observe(rows[at++]);
      if (at < rows.length) setTimeout(observe, 0);
    };
    if (NHI_LENS_MEASURE) observe = timed("observe", observe);
    observe();
  }

  // Table and grid cells and rows: a badge straight in a row would be a cell of its own.
  const CELLS = "td,th,[role=gridcell],[role=cell],[role=rowheader]", ROWS = "tr,[role=row]";
  // An element holding text and no other element than our badges: where a name is written.
  function onlyBadges(el) {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (c.localName !== BADGE) return false;
    return true;
  }

  // A row's identity: the first name or ID written in it alone in its element, or the first name
  // (an identity's first key; a short ID beside other elements is too likely a count) written
  // beside other elements (`name <span>Bot</span>`: its badge goes right after the name, or
  // after the link or button holding it); else a name split over elements (a search match
  // highlighted, `<mark>Dep</mark>loy Bot`: the innermost element holding it all, never a table
  // row itself); else a link to it. Runs of white space count as one space, as the keys are
  // written (Rust's `split_whitespace`, which takes U+0085 for white space too, and U+FEFF not,
  // which no name has at its ends).
  const HOLDERS = "a,button,label,summary";
  // Eight characters or more, not all digits (as the worker's keys on pages it reads nothing on).
  const LONG_ID = /^(?=.*\D).{8}/;
  const words = (text) => text.replace(/[\s\u0085]+/g, " ").trim();
  function findMatch(row) {
    const heldBy = (el) => {
      const holder = el.closest(HOLDERS);
      return holder && holder !== row && row.contains(holder) ? holder : null;
    };
    // What a row-like element inside it (a list in a table row's cell) holds is that one's.
    const own = (el) => el.closest(plan.rows) === row;
    const walker = doc.createTreeWalker(row, 4 /* NodeFilter.SHOW_TEXT */), found = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = words(n.data), a = byKey.get(text), el = n.parentElement, named = a && a.keys[0] === text;
      // (A search's highlight, `<mark>ci</mark>-deploy`, is part of a name: found whole below.)
      if (!a || !el || el.localName === BADGE || el.localName === "mark" || !own(el) || found.some((f) => f[0] === a)) continue;
      // After the row's identity, another one only by an ID alone in its element that no count
      // or short label could be (a person's access key in their row), never by a name the row
      // may mention (an owner, a creator). The row's own by a short number alone neither: a
      // count or a page's number (`<li><a href="?page=7">7</a></li>`) is as likely.
      const alone = onlyBadges(el);
      if (found.length ? alone && !named && LONG_ID.test(text) : (alone && /\D|.{8}/.test(text)) || named) found.push([a, heldBy(el) ?? (alone ? el : n)]);
    }
    if (found.length) return found;
    const inside = row.querySelectorAll("*");
    for (let i = inside.length - 1; i >= -1; i--) {
      const el = i < 0 ? row : inside[i];
      if (!el.firstElementChild || el.textContent.length > 2 * longest + 64 || (i < 0 && row.matches(ROWS)) || !own(el)) continue;
      const text = words(el.textContent), a = byKey.get(text);
      if (a && a.keys[0] === text) return [[a, heldBy(el) ?? el]];
    }
    for (const link of row.querySelectorAll("a[href]")) {
      if (!own(link)) continue;
      const seg = link.getAttribute("href").split(/[?#]/)[0].split("/").filter(Boolean).pop();
      // Or by its title: a name the page cut short (`very-long-name-of-a-servi…`) is whole there.
      let a = byKey.get(words(link.title));
      try { a ||= seg && byKey.get(decodeURIComponent(seg)); } catch (_) { /* not a name: a malformed escape */ }
      if (a) return [[a, link]];
    }
    return null;
  }

  // Whether two annotations draw the same badge (compared field by field: thousands of them
  // come again with each answer).
  const same = (a, b) => a.id === b.id && a.risk === b.risk && a.score === b.score && a.owner_label === b.owner_label && a.label === b.label;
  function needsBadge(row, m) {
    const old = drawn.get(row);
    return !(old && old.length === m.length && old.every((o, i) => same(o.a, m[i][0]) && o.badge.isConnected));
  }

  function put(items) {
    const added = [];
    for (const [row, m] of items) {
      for (const o of drawn.get(row) || []) o.badge.remove();
      drawn.set(row, m.map(([a, el]) => {
        const badge = makeBadge(a);
        // Inside a cell (a badge beside one would be a cell of its own), else beside the name: not
        // inside a link or button, where a click on the badge would be the link's too (unless the
        // link is itself a cell of a table or grid row).
        if (el.nodeType === 3) el.after(badge);
        else if (el.matches(HOLDERS) && el !== row && !el.parentElement.matches(ROWS)) el.after(badge);
        else if (el === row || el.parentElement === row || el.matches(CELLS)) el.append(badge);
        else el.after(badge);
        added.push([badge, row]);
        return { a, badge };
      }));
    }
    if (added.length) requestAnimationFrame(() => fit(added));
  }

  // Consoles clip what overflows a cell (Fluent UI's cells do): a badge that does not fit shows
  // only its risk, at the start of the cell, and its owner and age move to its tooltip. So do the
  // badges of a table that reaches past the window's right edge (a table sized to its content,
  // which they would widen further). All are measured at once, after the browser's layout of the
  // frame, on the badge's cell (an inline element around it has no width of its own).
  let fit = (added) => {
    const box = (b, row) => {
      const cell = b.parentElement.closest(CELLS);
      return cell && row.contains(cell) ? cell : b.parentElement;
    };
    const tables = new Set(added.map(([, row]) => row.closest("table")));
    const narrow = added.filter(([b]) => b.isConnected).map(([b, row]) => [b, row, box(b, row)])
      .filter(([, , cell]) => cell.scrollWidth > cell.clientWidth + 1);
    // Every badge of a wide table, those drawn before too: the widest cell sizes a column.
    for (const t of tables) if (t?.getBoundingClientRect().right > innerWidth + 1) for (const b of t.querySelectorAll(BADGE + ":not([data-compact])")) b.dataset.compact = "";
    // From the last, so that two badges moved to the start of one cell keep their order.
    for (const [b, row, cell] of narrow.reverse()) {
      b.dataset.compact = "";
      if (b.parentElement !== row) cell.prepend(b);
    }
  };
  if (NHI_LENS_MEASURE) fit = timed("badges", fit);

  function makeBadge(a) {
    const host = doc.createElement(BADGE);
    // data-nhi-id, data-owner, data-age-days, data-risk, data-score.
    Object.assign(host.dataset, { nhiId: a.id, owner: a.owner, ageDays: a.age_days ?? "", risk: a.risk, score: a.score });
    const root = host.attachShadow({ mode: "open" });
    const button = make("button");
    const ownerAndAge = a.owner_label + " · " + a.label;
    // What the badge shows, owner and age too, its visible "HIGH 72" within it (a button opens).
    button.ariaLabel = `NHI Lens: ${a.keys[0]}, ${a.risk} ${a.score} risk, ${ownerAndAge}`;
    button.append(make("span", "dot " + a.risk), make("span", "", a.risk.toUpperCase() + " " + a.score),
      make("span", "more", " · " + ownerAndAge));
    const tip = make("div", "tip"), who = make("p", "who", ownerAndAge);
    // The reasons are written when the tooltip opens, from the identity's latest annotation:
    // they arrive after the badge, and may change while its risk does not.
    const reasons = () => {
      const latest = byId.get(a.id) || a;
      const lines = latest.reasons === null ? ["Reasons not loaded: open the details"]
        : !latest.reasons ? ["Loading reasons…"] : latest.reasons.length ? latest.reasons : ["No findings"];
      tip.replaceChildren(who, ...lines.map((reason) => make("div", "", reason)));
      showing.add(reasons);
    };
    const hide = () => showing.delete(reasons);
    on(host, "pointerenter", reasons);
    on(host, "pointerleave", hide);
    on(button, "focus", reasons);
    on(button, "blur", hide);
    tip.append(who);
    // Only the admin's own click opens a card (a page script can click an open shadow root's
    // button too).
    on(button, "click", (e) => { e.preventDefault(); e.stopPropagation(); if (e.isTrusted) openCard(a.id, button); });
    root.append(make("style", "", plan.badge_style), button, tip);
    return host;
  }

  // An element of a class with a text, set as text.
  function make(tag, className, text) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  // The open tooltips' writers (one under the pointer, one focused), to write them again when the
  // reasons arrive.
  const showing = new Set();

  let card = null;
  // The card takes the focus, and gives it back to its badge as it closes itself (Escape in the
  // console leaves the focus where the admin put it).
  function openCard(id, badge) {
    closeCard();
    if (!plan?.card_in_frame) { send({ type: "open_card", tenant, id, url: planUrl }).catch(() => {}); return; }
    const host = make("div");
    host.dataset.nhiCard = "";
    const root = host.attachShadow({ mode: "closed" });
    const style = make("style", "", ":host{all:initial}iframe{position:fixed;top:16px;right:16px;width:min(560px,100vw - 32px);height:calc(100% - 32px);border:0;border-radius:10px;box-shadow:0 8px 32px #0006;z-index:2147483647;background:#fff}");
    const frame = make("iframe");
    // Form-encoded: the card reads `+` as a space.
    frame.src = api.runtime.getURL("card.html") + "#" + new URLSearchParams({ tenant, id });
    root.append(style, frame);
    doc.documentElement.append(host);
    frame.focus();
    card = { host, frame, badge };
  }
  function closeCard() { if (card) { card.host.remove(); card = null; } }
  on(win, "message", (e) => {
    if (card && e.source === card.frame.contentWindow && e.data?.nhiLens === "close") { card.badge.focus(); closeCard(); }
  });
  on(doc, "keydown", (e) => { if (e.key === "Escape") closeCard(); });

  // Single-page consoles: a new URL is a new page; new rows get badges; changed regions are
  // captured again.
  const observer = new MutationObserver((records) => {
    keepRemoved(records);
    // (A change seen with the URL's may be the new page's: it waits for no other.)
    if (loc.href !== planUrl) { start(); settleBy = 0; return; }
    // Only badges added or taken out: a row taken out is a change of the page.
    const mine = (r) => r.type === "childList" && [...r.addedNodes, ...r.removedNodes].every((n) => n.localName === BADGE);
    // The page changed (while its plan comes too), not by a bar added beside its body (Turbo's
    // progress bar).
    if (records.some((r) => !mine(r) && (r.target !== doc.documentElement || [...r.addedNodes].some((n) => n.localName === "body")))) settleBy = 0;
    if (!plan || records.every(mine)) return;
    clearTimeout(drawTimer);
    drawTimer = setTimeout(draw, 150);
    if (recapture || asked === 2) { clearTimeout(domTimer); domTimer = setTimeout(() => schedule(0), 600); }
  });
  // Text rewritten in place too: a list sorted by a framework that keys its rows by position
  // keeps the rows and changes what they say.
  const watch = () => observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
  on(win, "hashchange", start);
  on(win, "popstate", start);
  // A page the browser kept and shows again (back, forward) is read again, as a new one.
  on(win, "pageshow", (e) => e.persisted && ((forced = true), start()));
  on(win, EVENT + "navigate", start);
  // The admin's options or decisions changed what the page's badges say: it is read again, at
  // once (nothing of the page changes).
  api.runtime.onMessage.addListener((m) => m == "replan" && ((forced = true), start(), (settleBy = 0)));
  if (doc.documentElement) watch(); else on(doc, "readystatechange", watch, { once: true });
  start();
})();
