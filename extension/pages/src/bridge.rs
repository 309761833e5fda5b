//! The browser around the pages: messages to the background worker, the active tab, the side
//! panel, downloads, the page's own storage. Everything here needs a browser; it compiles natively
//! so the crate can be tested and linted there, and is exercised by the wasm-bindgen tests.

use js_sys::{Array, Function, JSON, Object, Promise, Reflect};
use nhi_lens::console::without_port;
use nhi_lens::protocol::{PageStatus, Reply, Request, TabSummary};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// The extension API object: `chrome` (Chromium; Firefox also has it) or `browser` (Firefox),
/// whichever has `runtime.sendMessage`.
fn extension_api() -> Option<Object> {
    let global = js_sys::global();
    ["chrome", "browser"].into_iter().find_map(|name| {
        let api = Reflect::get(&global, &name.into()).ok()?;
        let runtime = Reflect::get(&api, &"runtime".into()).ok()?;
        Reflect::get(&runtime, &"sendMessage".into())
            .ok()?
            .is_function()
            .then(|| api.unchecked_into())
    })
}

/// `api.a.b`, when it is a function: the function and the object to call it on.
fn method(api: &JsValue, path: &[&str]) -> Option<(JsValue, Function)> {
    let (name, parents) = path.split_last()?;
    let mut this = api.clone();
    for p in parents {
        this = Reflect::get(&this, &(*p).into()).ok()?;
        if this.is_undefined() || this.is_null() {
            return None;
        }
    }
    let f = Reflect::get(&this, &(*name).into()).ok()?;
    f.dyn_into::<Function>().ok().map(|f| (this, f))
}

/// A JS error's message.
pub fn js_error(e: &JsValue) -> String {
    if let Some(e) = e.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    e.as_string()
        .unwrap_or_else(|| JSON::stringify(e).map(String::from).unwrap_or_default())
}

const NO_BACKGROUND: &str =
    "NHI Lens's background worker did not answer. Reload the extension and try again.";

/// Sends a request to the background worker and reads its reply. `Reply::Error` comes back as
/// `Ok`; see [`ask`].
pub async fn send(request: &Request) -> Result<Reply, String> {
    let text = answer_text(request).await?;
    Reply::from_json(&text)
        .map_err(|e| format!("NHI Lens could not read the background's answer: {e}"))
}

/// The background's answer as text: it answers with JSON text, or a large answer's UTF-8 bytes
/// as a Blob (read here as bytes, with no decoding into a JavaScript string and back); older
/// builds and test stubs with objects, which are turned into text.
pub async fn answer_text(request: &Request) -> Result<String, String> {
    let json = serde_json::to_string(request).map_err(|e| e.to_string())?;
    let answer = match take_early(&json) {
        Some(answer) => answer,
        None => {
            let api = extension_api().ok_or(
                "NHI Lens pages must run inside the extension (no runtime.sendMessage here).",
            )?;
            let message = JSON::parse(&json).map_err(|e| js_error(&e))?;
            let (runtime, send) = method(&api, &["runtime", "sendMessage"]).ok_or(NO_BACKGROUND)?;
            send.call1(&runtime, &message).map_err(|e| js_error(&e))?
        }
    };
    let value = JsFuture::from(Promise::resolve(&answer))
        .await
        .map_err(|e| js_error(&e))?;
    if value.is_undefined() || value.is_null() {
        return Err(NO_BACKGROUND.into());
    }
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if let Some((blob, array_buffer)) = method(&value, &["arrayBuffer"]) {
        let bytes = array_buffer.call0(&blob).map_err(|e| js_error(&e))?;
        let bytes = JsFuture::from(Promise::resolve(&bytes))
            .await
            .map_err(|e| js_error(&e))?;
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        return String::from_utf8(bytes)
            .map_err(|e| format!("NHI Lens could not read the background's answer: {e}"));
    }
    Ok(JSON::stringify(&value).map_err(|e| js_error(&e))?.into())
}

/// Sends a request; `Reply::Error { message }` becomes `Err(message)`.
pub async fn ask(request: Request) -> Result<Reply, String> {
    match send(&request).await? {
        Reply::Error { message } => Err(message),
        reply => Ok(reply),
    }
}

/// The unexpected-reply message.
pub fn unexpected(reply: &Reply) -> String {
    let kind = serde_json::to_value(reply)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(String::from))
        .unwrap_or_default();
    format!("The background answered with an unexpected {kind:?} reply. Reload the extension.")
}

/// The active tab of the current window.
pub struct ActiveTab {
    pub id: i64,
    /// Whether the browser tells NHI Lens the tab's address: it does only for the hosts the
    /// extension may read (it asks for no `tabs` permission), so a tab without one is on no
    /// console.
    pub on_console: bool,
    /// The window it is in.
    pub window_id: Option<i64>,
}

/// The active tab of the current window, if it has one.
pub async fn active_tab() -> Result<Option<ActiveTab>, String> {
    let api = extension_api().ok_or("Not inside the extension.")?;
    let (tabs, query) = method(&api, &["tabs", "query"]).ok_or("No tabs API here.")?;
    let filter = Object::new();
    let _ = Reflect::set(&filter, &"active".into(), &true.into());
    let _ = Reflect::set(&filter, &"currentWindow".into(), &true.into());
    let answer = query.call1(&tabs, &filter).map_err(|e| js_error(&e))?;
    let list = JsFuture::from(Promise::resolve(&answer))
        .await
        .map_err(|e| js_error(&e))?;
    let first = Array::from(&list).get(0);
    if first.is_undefined() {
        return Ok(None);
    }
    let field = |name: &str| Reflect::get(&first, &name.into()).ok();
    Ok(field("id").and_then(|id| id.as_f64()).map(|id| ActiveTab {
        id: id as i64,
        on_console: field("url").is_some_and(|url| url.is_string()),
        window_id: field("windowId").and_then(|w| w.as_f64()).map(|w| w as i64),
    }))
}

/// The tenant of the console page in the active tab, as the background read it (`None` for a tab
/// on no console, one switched off, or one it could not name). `switched_in`: the window a tab
/// was just switched to, when that is what asks; another window's switch leaves this one alone.
pub async fn active_tab_tenant(switched_in: Option<i64>) -> Option<String> {
    let tab = active_tab().await.ok()??;
    if !tab.on_console || switched_in.is_some_and(|w| tab.window_id != Some(w)) {
        return None;
    }
    match ask(Request::TabSummary { tab_id: tab.id }).await {
        Ok(Reply::TabSummary { summary: Some(s) }) => tenant_to_show(&s),
        _ => None,
    }
}

/// The tenant a tab's summary has the side panel show: one it names, on a console not switched
/// off.
pub fn tenant_to_show(summary: &TabSummary) -> Option<String> {
    (!summary.tenant.is_empty() && summary.status != PageStatus::Disabled)
        .then(|| summary.tenant.clone())
}

/// Calls `on_switch` with the window's ID each time the admin switches tabs (in any window), for
/// as long as the page is open.
pub fn on_tab_activated(on_switch: impl Fn(Option<i64>) + 'static) {
    let Some((event, add)) =
        extension_api().and_then(|api| method(&api, &["tabs", "onActivated", "addListener"]))
    else {
        return;
    };
    let listener = Closure::<dyn Fn(JsValue)>::new(move |info: JsValue| {
        let window = Reflect::get(&info, &"windowId".into())
            .ok()
            .and_then(|w| w.as_f64());
        on_switch(window.map(|w| w as i64));
    });
    let _ = add.call1(&event, listener.as_ref());
    listener.forget();
}

/// Opens the side panel: `chrome.sidePanel.open({ tabId })` in Chrome,
/// `browser.sidebarAction.open()` in Firefox. Must run inside the click's user gesture, so it
/// calls the API at once and only waits for the answer afterwards.
pub fn open_side_panel(tab_id: Option<i64>) -> Result<Promise, String> {
    let api = extension_api().ok_or("Not inside the extension.")?;
    let answer = if let Some((side_panel, open)) = method(&api, &["sidePanel", "open"]) {
        let options = Object::new();
        match tab_id {
            Some(id) => {
                let _ = Reflect::set(&options, &"tabId".into(), &(id as f64).into());
            }
            None => {
                // Without a tab, open it for the window.
                let _ = Reflect::set(
                    &options,
                    &"windowId".into(),
                    &js_sys::Number::from(-2).into(), // chrome.windows.WINDOW_ID_CURRENT
                );
            }
        }
        open.call1(&side_panel, &options)
    } else {
        let global = js_sys::global();
        let browser = Reflect::get(&global, &"browser".into()).unwrap_or(JsValue::UNDEFINED);
        let (sidebar, open) = method(&browser, &["sidebarAction", "open"])
            .or_else(|| method(&api, &["sidebarAction", "open"]))
            .ok_or("This browser has no side panel API.")?;
        open.call0(&sidebar)
    };
    answer
        .map(|a| Promise::resolve(&a))
        .map_err(|e| js_error(&e))
}

/// Asks the browser for a self-managed instance's host (`https://HOST/*`, an optional host
/// permission); the promise answers whether it was granted. Must run inside the click's user
/// gesture, so it calls the API at once and only waits for the answer afterwards.
pub fn request_host(host: &str) -> Result<Promise, String> {
    host_permission(host, "request")
}

/// Gives back the permission for an instance's host the admin removed, unless an instance `kept`
/// is on the same host name (on another port: a permission names no port, Firefox's cannot).
/// Best effort: a browser that refuses keeps a permission NHI Lens no longer uses.
pub async fn release_host(host: &str, kept: &[nhi_lens::console::Instance]) {
    if kept
        .iter()
        .any(|i| without_port(&i.host) == without_port(host))
    {
        return;
    }
    if let Ok(released) = host_permission(host, "remove") {
        let _ = JsFuture::from(released).await;
    }
}

fn host_permission(host: &str, verb: &str) -> Result<Promise, String> {
    let api = extension_api().ok_or("Not inside the extension.")?;
    let (permissions, call) =
        method(&api, &["permissions", verb]).ok_or("This browser has no permissions API.")?;
    let request = Object::new();
    let origins = Array::of1(&format!("https://{}/*", without_port(host)).into());
    let _ = Reflect::set(&request, &"origins".into(), &origins);
    call.call1(&permissions, &request)
        .map(|a| Promise::resolve(&a))
        .map_err(|e| js_error(&e))
}

/// Saves `text` as a download named `filename`, through a Blob URL and an `<a download>` click
/// (no `downloads` permission needed). A CSV file starts with a byte-order mark: without one,
/// Excel reads UTF-8 as the system's code page (`José` as `JosÃ©`).
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("No window.")?;
    let document = window.document().ok_or("No document.")?;
    let parts = Array::of1(&JsValue::from_str(text));
    if mime == "text/csv" {
        parts.unshift(&JsValue::from_str("\u{feff}"));
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(if mime.is_empty() { "text/plain" } else { mime });
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_error(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error(&e))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.set_hidden(true);
    let _ = a.set_attribute("data-nhi-download", "");
    let body = document.body().ok_or("No body.")?;
    body.append_child(&a).map_err(|e| js_error(&e))?;
    a.click();
    a.remove();
    // Revoke later: the download reads the Blob after the click returns.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// Where `localStorage` keeps the request a page asks first, by the page's name (`data-page`):
/// `pages.js` sends it as the page opens, while the WebAssembly is still being compiled, and
/// [`answer_text`] takes its answer when the page asks the same.
const EARLY_KEY_PREFIX: &str = "nhi-lens.early.";

/// Has `pages.js` send `request` as `page` next opens (`None`: nothing).
pub fn ask_early(page: &str, request: Option<&Request>) {
    let key = format!("{EARLY_KEY_PREFIX}{page}");
    match request.and_then(|r| serde_json::to_string(r).ok()) {
        Some(text) => remember(&key, &text),
        None => forget(&key),
    }
}

/// What `pages.js` keeps of the request it sent as the page opened, if that was `json`.
fn early(json: &str) -> Option<JsValue> {
    let early = Reflect::get(&js_sys::global(), &"nhiLensEarly".into()).ok()?;
    let sent = Reflect::get(&early, &"request".into()).ok()?.as_string()?;
    (sent == json).then_some(early)
}

/// When `pages.js` sent `request` as the page opened ([`clock_ms`]), if it did and its answer was
/// not taken yet.
pub fn early_asked_at(request: &Request) -> Option<f64> {
    let early = early(&serde_json::to_string(request).ok()?)?;
    Reflect::get(&early, &"at".into()).ok()?.as_f64()
}

/// The answer (a promise) to the request `pages.js` sent as the page opened, if that was `json`;
/// taken once.
fn take_early(json: &str) -> Option<JsValue> {
    let answer = Reflect::get(&early(json)?, &"answer".into()).ok()?;
    let _ = Reflect::delete_property(&js_sys::global(), &"nhiLensEarly".into());
    Some(answer)
}

/// The page's own storage (extension pages have `localStorage`): for the remembered tenant.
pub fn remembered(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

pub fn remember(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

pub fn forget(key: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.remove_item(key);
    }
}

/// Now, in unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A high-resolution time in milliseconds (for the benchmark log).
pub fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// The location hash (`#tenant=…&id=…`).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Closes the review card: asks the console page around it to close it, or, when the card is a
/// window of its own (on a self-managed instance's host), closes the window.
pub fn close_card() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let message = Object::new();
    let _ = Reflect::set(&message, &"nhiLens".into(), &"close".into());
    match window.parent() {
        Ok(Some(parent)) if JsValue::from(&parent) != JsValue::from(&window) => {
            let _ = parent.post_message(&message, "*");
        }
        _ => close_own_window(&window),
    }
}

/// Closes the extension page's own window: through `windows.getCurrent` and `windows.remove`
/// where the API is there (Firefox may refuse `window.close()` on a window no script of the page
/// opened), else `window.close()`.
fn close_own_window(window: &web_sys::Window) {
    let api = extension_api();
    let get_current = api
        .as_ref()
        .and_then(|a| method(a, &["windows", "getCurrent"]));
    let remove = api.as_ref().and_then(|a| method(a, &["windows", "remove"]));
    let (Some((windows, get_current)), Some((_, remove))) = (get_current, remove) else {
        let _ = window.close();
        return;
    };
    let Ok(current) = get_current.call0(&windows) else {
        let _ = window.close();
        return;
    };
    let fallback = window.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let removed = async {
            let current = JsFuture::from(Promise::resolve(&current)).await?;
            let id = Reflect::get(&current, &"id".into())?;
            JsFuture::from(Promise::resolve(&remove.call1(&windows, &id)?)).await
        }
        .await;
        if removed.is_err() {
            let _ = fallback.close();
        }
    });
}

/// Closes the popup window.
pub fn close_window() {
    if let Some(w) = web_sys::window() {
        let _ = w.close();
    }
}

/// The bytes of the first file chosen in a file input (as they are: a spreadsheet's CSV may not
/// be UTF-8, which `File.text()` would read with replacement characters).
pub async fn read_file(input: &web_sys::HtmlInputElement) -> Result<Option<Vec<u8>>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| js_error(&e))?;
    Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// Resolves after `ms` milliseconds, on the page's own timer (at once where there is none).
pub async fn after_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let timed = web_sys::window().is_some_and(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !timed {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
