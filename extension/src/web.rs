//! The browser side of the [`Host`]: `chrome.storage.local` (and IndexedDB for capture texts),
//! the clock and `fetch`, and the one entry point `background.js` calls.

use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use nhi_lens::model::Timestamp;
use nhi_lens::protocol::{Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::brain::{Brain, Host, Sender};
use crate::store::{Storage, is_capture_key};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    fn storage_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = set)]
    fn storage_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = remove)]
    fn storage_remove(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = nhiLensCaptures, js_name = get)]
    fn captures_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = nhiLensCaptures, js_name = set)]
    fn captures_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = nhiLensCaptures, js_name = remove)]
    fn captures_remove(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = nhiLensCaptures, js_name = keys)]
    fn captures_keys() -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = nhiLensCaptures, js_name = clear)]
    fn captures_clear() -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = clear)]
    fn storage_clear() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
    #[wasm_bindgen(js_namespace = performance, js_name = clearMarks)]
    fn performance_clear_marks();
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(ms: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = nhiLensTopRegion)]
    fn top_region_of(tab: f64, selector: &str) -> Result<Promise, JsValue>;
}

/// How long a page the worker fetches may take: messages are answered one at a time, so a
/// console that never answered would hold every tab's.
const FETCH_MS: u32 = 20_000;

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "the browser refused".into())
}

async fn wait(promise: Result<Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(js_error)?)
        .await
        .map_err(js_error)
}

/// `chrome.storage.local`, holding JSON strings; capture texts (`capture:…` keys) in IndexedDB
/// instead, through `background.js` (see there why). A capture an older version kept in
/// `chrome.storage.local` is still read from there until it is written again.
pub struct ChromeStorage;

fn key_list<'a>(keys: impl IntoIterator<Item = &'a String>) -> Array {
    keys.into_iter().map(|k| JsValue::from_str(k)).collect()
}

/// The string values of `found` (an object of key → value) under `keys`.
fn strings_of(found: &JsValue, keys: &[&String], out: &mut HashMap<String, String>) {
    for key in keys {
        if let Some(text) = Reflect::get(found, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
        {
            out.insert((*key).clone(), text);
        }
    }
}

fn object_of(items: Vec<(String, String)>) -> Result<JsValue, String> {
    let object = Object::new();
    for (key, value) in items {
        Reflect::set(&object, &key.into(), &value.into()).map_err(js_error)?;
    }
    Ok(object.into())
}

impl Storage for ChromeStorage {
    async fn get(&self, keys: &[String]) -> Result<HashMap<String, String>, String> {
        // chrome.storage.local first: a capture kept there is newer than its copy in IndexedDB,
        // if it has one, as it went there when IndexedDB refused to write it (an older version's
        // copies there are removed once written to IndexedDB).
        let all: Vec<&String> = keys.iter().collect();
        let mut out = HashMap::new();
        let found = wait(storage_get(&key_list(all.iter().copied()))).await?;
        strings_of(&found, &all, &mut out);
        let captures: Vec<&String> = all
            .into_iter()
            .filter(|k| is_capture_key(k) && !out.contains_key(*k))
            .collect();
        if !captures.is_empty() {
            let found = wait(captures_get(&key_list(captures.iter().copied()))).await?;
            strings_of(&found, &captures, &mut out);
        }
        Ok(out)
    }

    async fn set(&self, items: Vec<(String, String)>) -> Result<(), String> {
        let (captures, others): (Vec<_>, Vec<_>) =
            items.into_iter().partition(|(k, _)| is_capture_key(k));
        if !captures.is_empty() {
            let moved: Vec<String> = captures.iter().map(|(k, _)| k.clone()).collect();
            let in_indexed_db = wait(captures_set(&object_of(captures)?)).await?;
            // In IndexedDB: an older version's copy, if any, is not read again. (Where IndexedDB
            // cannot be used, they went to chrome.storage.local and stay.)
            if in_indexed_db.as_bool() == Some(true) {
                wait(storage_remove(&key_list(&moved))).await?;
            }
        }
        if !others.is_empty() {
            wait(storage_set(&object_of(others)?)).await?;
        }
        Ok(())
    }

    async fn remove(&self, keys: Vec<String>) -> Result<(), String> {
        let captures: Vec<&String> = keys.iter().filter(|k| is_capture_key(k)).collect();
        if !captures.is_empty() {
            wait(captures_remove(&key_list(captures))).await?;
        }
        wait(storage_remove(&key_list(&keys))).await.map(|_| ())
    }

    async fn keys(&self) -> Result<Vec<String>, String> {
        let all = wait(storage_get(&JsValue::NULL)).await?;
        let mut keys: Vec<String> = Object::keys(&all.into())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let captures = wait(captures_keys()).await?;
        let mut seen: std::collections::HashSet<String> = keys.iter().cloned().collect();
        for key in Array::from(&captures).iter().filter_map(|k| k.as_string()) {
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    async fn clear(&self) -> Result<(), String> {
        // The captures first: a clearing cut short leaves the state that lists them.
        wait(captures_clear()).await?;
        wait(storage_clear()).await.map(|_| ())
    }
}

/// The service worker.
pub struct WebHost {
    storage: ChromeStorage,
}

impl Host for WebHost {
    type Storage = ChromeStorage;

    fn storage(&self) -> &ChromeStorage {
        &self.storage
    }

    fn now(&self) -> Timestamp {
        clock()
    }

    fn lap(&self, step: &'static str) {
        mark(step);
    }

    async fn top_region(&self, tab: i64, selector: &str) -> Option<String> {
        // `background.js` reads it with the `scripting` API; a page it may not script is none.
        let found = wait(top_region_of(tab as f64, selector)).await.ok()?;
        found.as_string()
    }

    async fn fetch_json(&self, url: &str) -> Result<(String, Option<String>), String> {
        // The admin's session: the console's cookies go with the request, to the console only.
        let init = Object::new();
        Reflect::set(&init, &"credentials".into(), &"include".into()).map_err(js_error)?;
        Reflect::set(&init, &"redirect".into(), &"error".into()).map_err(js_error)?;
        let headers = Object::new();
        Reflect::set(&headers, &"Accept".into(), &"application/json".into()).map_err(js_error)?;
        Reflect::set(&init, &"headers".into(), &headers).map_err(js_error)?;
        Reflect::set(
            &init,
            &"signal".into(),
            &abort_after(FETCH_MS).map_err(js_error)?,
        )
        .map_err(js_error)?;
        let response = wait(global_fetch(url, &init)).await?;
        let ok = Reflect::get(&response, &"ok".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !ok {
            return Err(format!("{url} answered with an error"));
        }
        let headers = Reflect::get(&response, &"headers".into()).map_err(js_error)?;
        let get: js_sys::Function = Reflect::get(&headers, &"get".into())
            .map_err(js_error)?
            .dyn_into()
            .map_err(js_error)?;
        let link = get
            .call1(&headers, &"link".into())
            .ok()
            .and_then(|v| v.as_string());
        let text: js_sys::Function = Reflect::get(&response, &"text".into())
            .map_err(js_error)?
            .dyn_into()
            .map_err(js_error)?;
        let promise: Promise = text
            .call0(&response)
            .map_err(js_error)?
            .dyn_into()
            .map_err(js_error)?;
        let body = wait(Ok(promise)).await?;
        Ok((body.as_string().unwrap_or_default(), link))
    }
}

/// Marks `nhi-lens:worker:<step>` in the worker's performance timeline, where the browser
/// benchmark reads the time of each step. The timeline is emptied every so many marks, so a
/// long-lived worker does not grow it.
fn mark(step: &str) {
    thread_local! {
        static MARKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    let count = MARKS.with(|m| {
        m.set(m.get() + 1);
        m.get()
    });
    if count.is_multiple_of(4096) {
        performance_clear_marks();
    }
    performance_mark(&format!("nhi-lens:worker:{step}"));
}

/// A capture's text, from a string or from UTF-8 bytes (copied into wasm as they are: no
/// transcoding from the JavaScript string's UTF-16).
fn text_of(body: &JsValue) -> String {
    if let Some(text) = body.as_string() {
        return text;
    }
    match body.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => String::from_utf8(bytes.to_vec())
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        None => String::new(),
    }
}

thread_local! {
    static BRAIN: Rc<Brain<WebHost>> = Rc::new(Brain::new(WebHost { storage: ChromeStorage }));
}

/// Answers one message: `message` is a [`Request`] as JSON, `sender` a [`Sender`] built by
/// `background.js` from what the browser reports, and `bodies` the texts of a `captured`
/// message's captures in order, each a string or UTF-8 bytes (a `Uint8Array`, as a JSON body
/// comes), beside the message so a console's large response is never escaped into JSON and
/// parsed back. The answer is a [`Reply`] as JSON (text, or UTF-8 bytes when large): one, or
/// for badges the pages of a [`Reply::Pages`].
#[wasm_bindgen]
pub async fn handle(message: String, sender: String, bodies: Array) -> Array {
    mark("start");
    let brain = BRAIN.with(Rc::clone);
    let sender: Sender = serde_json::from_slice(sender.as_bytes()).unwrap_or_default();
    let reply = match serde_json::from_slice::<Request>(message.as_bytes()) {
        Ok(mut request) => {
            if let Request::Captured { captures, .. } = &mut request {
                for (capture, body) in captures.iter_mut().zip(bodies.iter()) {
                    let text = text_of(&body);
                    match capture {
                        nhi_lens::protocol::Capture::Json { body, .. } => *body = text,
                        nhi_lens::protocol::Capture::Dom { html, .. } => *html = text,
                    }
                }
            }
            mark("request");
            brain.handle(request, &sender).await
        }
        Err(e) => Reply::Error {
            message: format!("not a message NHI Lens understands: {e}"),
        },
    };
    // Badges go first and their reasons after, in pages of their own; many badges go as pages
    // of whole JSON too, which the page parses one at a time.
    let pages = match reply {
        Reply::Annotations {
            tenant,
            status,
            mut annotations,
            ..
        } if !annotations.is_empty() => {
            let reasons: Vec<Vec<String>> = annotations
                .iter_mut()
                .map(|a| std::mem::take(&mut a.reasons))
                .collect();
            let reason_pages: Vec<String> =
                reasons.chunks(ANNOTATIONS_PER_PAGE).map(to_json).collect();
            let rest = if annotations.len() > ANNOTATIONS_WHOLE {
                annotations.split_off(ANNOTATIONS_PER_PAGE)
            } else {
                Vec::new()
            };
            let head = Reply::Annotations {
                tenant,
                status,
                annotations,
                reason_pages: reason_pages.len(),
            };
            std::iter::once(to_json(&head))
                .chain(rest.chunks(ANNOTATIONS_PER_PAGE).map(to_json))
                .chain(reason_pages)
                .collect()
        }
        reply => vec![reply.into_json_text().unwrap_or_else(|e| cannot_answer(&e))],
    };
    mark("answered");
    pages
        .into_iter()
        .map(|page| {
            // A large answer goes as its UTF-8 bytes, which `background.js` sends as a Blob.
            if page.len() > ANSWER_AS_BYTES {
                js_sys::Uint8Array::from(page.as_bytes()).into()
            } else {
                JsValue::from(page)
            }
        })
        .collect()
}

/// Up to how many badges an answer's first page holds them all (about 3 MB of JSON without their
/// reasons, which the page parses in one task well under 50 ms).
const ANNOTATIONS_WHOLE: usize = 20_000;
/// How many badges (about 1.5 MB of JSON), or badges' reasons (about 4 MB), one page of a larger
/// answer holds.
const ANNOTATIONS_PER_PAGE: usize = 10_000;

/// Answers longer than this (bytes of JSON) go as bytes, the others as text.
const ANSWER_AS_BYTES: usize = 64 * 1024;

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    nhi_lens::json_out::to_string(value).unwrap_or_else(|e| cannot_answer(&e))
}

fn cannot_answer(e: &serde_json::Error) -> String {
    format!("{{\"type\":\"error\",\"message\":\"cannot answer: {e}\"}}")
}

/// The browser's clock.
fn clock() -> Timestamp {
    let nanos = (js_sys::Date::now() * 1_000_000.0) as i128;
    Timestamp::from_unix_timestamp_nanos(nanos).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Runs the reading code once on a tiny list of its own, as the worker starts (see
/// [`crate::warm`]), and writes its badges as JSON (their reasons inline, where an answer sends
/// them in pages of their own).
#[wasm_bindgen]
pub fn warm() {
    std::hint::black_box(to_json(&crate::warm::warm_up(clock())));
}

/// Makes the writes the last answer left (see [`Brain::flush`]); the empty string, or why not.
#[wasm_bindgen]
pub async fn flush() -> String {
    let brain = BRAIN.with(Rc::clone);
    brain.flush().await.err().unwrap_or_default()
}
