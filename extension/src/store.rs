//! What the extension keeps in `chrome.storage.local` (capture texts in IndexedDB), and how it
//! is laid out.
//!
//! The service worker may be stopped at any moment, so everything lives in storage and nothing in
//! memory is needed to answer a request. Values are JSON strings under these keys:
//!
//! - `schema`: the layout version ([`SCHEMA_VERSION`]); older layouts are migrated on first use.
//! - `options`: the admin's [`Options`].
//! - `tenants`: the list of tenant keys (`github:acme`).
//! - `tenant:<key>`: a [`TenantState`]: which captures make up its inventory, the admin's
//!   decisions (owners, acceptances), the pages visited.
//! - `review:<key>`: the tenant's last [`Review`], apart from its state: a review of 50,000
//!   identities is megabytes, and each decision rewrites the state.
//! - `capture:<key>:<hash>` (in IndexedDB, see `web.rs`): one capture's text: a console API response with secret-bearing
//!   fields removed, or a DOM snapshot.
//! - `tab:<id>`: the popup's summary of a tab.
//!
//! Captures, not scored results, are the source of truth: identities joined from several pages
//! (an Entra app and its service principal) join again whenever a page adds to them, and a newer
//! rule core re-reads them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::rc::Rc;

use nhi_lens::model::Grant;
use nhi_lens::protocol::{Options, PageVisit};
use serde::{Deserialize, Serialize};

/// The storage layout this build writes.
/// Version 2 held the review in the tenant's state: it is read from there until the state is next
/// written, and written under its own key then. Versions up to 3 kept a page's layout snapshot
/// under the page's URL as the console wrote it, a credential in it included.
pub const SCHEMA_VERSION: u32 = 4;

/// Key-value storage of JSON strings: `chrome.storage.local` and IndexedDB in the extension (see
/// `web.rs`), a map in tests.
pub trait Storage {
    /// The values of those keys that exist.
    fn get(&self, keys: &[String])
    -> impl Future<Output = Result<HashMap<String, String>, String>>;
    fn set(&self, items: Vec<(String, String)>) -> impl Future<Output = Result<(), String>>;
    fn remove(&self, keys: Vec<String>) -> impl Future<Output = Result<(), String>>;
    /// Every key, for forgetting a tenant and migrating.
    fn keys(&self) -> impl Future<Output = Result<Vec<String>, String>>;
    /// Removes every key, captures included, whatever state their storage is in.
    fn clear(&self) -> impl Future<Output = Result<(), String>>;
}

/// One tenant's inventory and the admin's decisions about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenantState {
    pub captures: Vec<CaptureMeta>,
    /// Identity ID → owner the admin assigned.
    pub owners: BTreeMap<String, String>,
    pub acceptances: Vec<AcceptanceRecord>,
    /// Kept under [`review_key`], written only when it changed (shared, not copied, by the
    /// states read from memory); read here from a version 2 state, which held it.
    #[serde(skip_serializing)]
    pub review: Option<Rc<Review>>,
    /// The review as [`review_key`] holds it, as read or written: a state written with this very
    /// review leaves the key as it is.
    #[serde(skip)]
    pub review_kept: Option<Rc<Review>>,
    /// The latest visit of each console page, newest last.
    pub pages: Vec<PageVisit>,
    /// RFC 3339.
    pub updated_at: String,
    /// Counts from the last scoring, for the list of tenants.
    pub identities: usize,
    pub critical: usize,
    pub high: usize,
    /// How many times what was read of the tenant changed: a review is taken only of the
    /// revision the admin looked at.
    #[serde(default)]
    pub revision: u64,
}

/// Where one capture's text is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureMeta {
    /// The storage key of the text.
    pub key: String,
    /// The URL it is read as: the API response's URL, or the page's for a DOM snapshot.
    pub source: String,
    /// RFC 3339.
    pub at: String,
    /// The first page of the list this is a later page of (older versions: the capture whose
    /// `next` links led the background here). A list read again drops the pages it no longer has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paged_from: Option<String>,
    /// How many pages after `paged_from` this one is; 0 for a first page, and for the pages older
    /// versions kept, whose place is not known.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
    /// The source its next link names, for the page the console loads next to find its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// How long its text is, in bytes, as read (0 in what older versions kept): a tenant's
    /// captures are kept within [`crate::paging::MAX_BYTES_PER_TENANT`].
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bytes: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A risk the admin accepted on an identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceRecord {
    pub id: String,
    pub rule: String,
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
    /// RFC 3339.
    pub at: String,
    /// The finding's severity when it was accepted (the worst of the rule's findings on the
    /// identity): one that grows worse is open again. Acceptances kept before it was recorded
    /// have none, and cover the rule at any severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<nhi_lens::rules::Severity>,
}

/// How long an acceptance is kept once it has expired: meanwhile the finding it covered says
/// that its acceptance expired, and when.
pub const EXPIRED_ACCEPTANCE_KEPT_DAYS: i64 = 90;

impl TenantState {
    /// Drops the acceptances that expired more than [`EXPIRED_ACCEPTANCE_KEPT_DAYS`] before
    /// `now` (they would be kept for ever otherwise, and written with every decision).
    pub fn prune_acceptances(&mut self, now: nhi_lens::model::Timestamp) {
        let kept = time::Duration::days(EXPIRED_ACCEPTANCE_KEPT_DAYS);
        self.acceptances.retain(|a| {
            nhi_lens::policy::acceptance_ends(&a.expires).is_none_or(|ends| ends + kept > now)
        });
    }
}

/// What the inventory looked like when the admin last reviewed it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// RFC 3339.
    pub at: String,
    pub identities: BTreeMap<String, Reviewed>,
    /// What the tenant's captures had read then (their sources, and each later page of a list by
    /// its place in it): an identity of a page first read since is not new, only newly seen. Reviews kept before this was recorded have none,
    /// and count every identity they lack as new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// (Sorted, each once, for a binary search.)
    pub sources: Option<Vec<String>>,
    /// Taken at the admin's first look at the inventory, as the baseline changes are counted
    /// from, not marked reviewed by the admin. (Reviews kept before this was recorded were
    /// marked, or taken as if.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_look: bool,
}

/// One identity as last reviewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviewed {
    pub name: String,
    pub level: String,
    #[serde(default)]
    pub grants: Vec<Grant>,
    /// Its permissions were not read then: nothing to compare today's with.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grants_unread: bool,
}

pub fn tenant_key(tenant: &str) -> String {
    format!("tenant:{tenant}")
}

pub fn review_key(tenant: &str) -> String {
    format!("review:{tenant}")
}

pub fn tab_key(tab: i64) -> String {
    format!("{TAB_PREFIX}{tab}")
}

/// What every [`tab_key`] starts with.
const TAB_PREFIX: &str = "tab:";

/// The key of a capture's text: stable per tenant and source, so a newer capture of the same
/// response replaces the older one.
pub fn capture_key(tenant: &str, source: &str) -> String {
    let hash = nhi_lens::fingerprint::fnv1a(source.as_bytes());
    format!("{CAPTURE_PREFIX}{tenant}:{hash:016x}")
}

/// What every [`capture_key`] starts with.
const CAPTURE_PREFIX: &str = "capture:";

/// Whether a storage key is a [`capture_key`].
pub fn is_capture_key(key: &str) -> bool {
    key.starts_with(CAPTURE_PREFIX)
}

/// A value stored under `key`, read as JSON.
fn read_stored<T: for<'de> Deserialize<'de>>(key: &str, text: &str) -> Result<T, String> {
    serde_json::from_slice(text.as_bytes()).map_err(|e| format!("stored {key} is unreadable: {e}"))
}

/// Typed access to the layout above.
pub struct Store<S> {
    pub raw: S,
    /// The tenants read or written since the worker started. The worker is storage's only
    /// writer, so these stay true; they save reading and parsing a tenant's state (which holds
    /// the reviewed inventory) on every message. Likewise `options`.
    states: std::cell::RefCell<HashMap<String, TenantState>>,
    /// The options, once read or written (every message needs them).
    options: std::cell::RefCell<Option<Options>>,
    /// Whether [`Store::migrate`] already brought storage up to date since the worker started.
    migrated: std::cell::Cell<bool>,
}

impl<S: Storage> Store<S> {
    pub fn new(raw: S) -> Self {
        Store {
            raw,
            states: Default::default(),
            options: Default::default(),
            migrated: Default::default(),
        }
    }

    async fn get_json<T: for<'de> Deserialize<'de>>(&self, key: &str) -> Result<Option<T>, String> {
        let key = key.to_string();
        let mut found = self.raw.get(std::slice::from_ref(&key)).await?;
        found
            .remove(&key)
            .map(|text| read_stored(&key, &text))
            .transpose()
    }

    async fn set_json<T: Serialize>(&self, key: &str, value: &T) -> Result<(), String> {
        let text = nhi_lens::json_out::to_string(value).map_err(|e| e.to_string())?;
        self.raw.set(vec![(key.to_string(), text)]).await
    }

    /// Brings older layouts up to date; a store without a version is new.
    pub async fn migrate(&self) -> Result<(), String> {
        if self.migrated.get() {
            return Ok(());
        }
        let version: Option<u32> = self.get_json("schema").await?;
        match version {
            Some(SCHEMA_VERSION) => {
                self.migrated.set(true);
                return Ok(());
            }
            Some(older @ (1 | 2)) => {
                self.states.borrow_mut().clear();
                *self.options.borrow_mut() = None;
                // Version 1 kept the page visits without their time: give them the tenant's.
                // Versions 1 and 2 kept their URLs as the console wrote them: a credential in
                // one is masked, as in the visits kept since.
                for tenant in self.tenants().await? {
                    let key = tenant_key(&tenant);
                    let found = self.raw.get(std::slice::from_ref(&key)).await?;
                    let Some(text) = found.get(&key) else {
                        continue;
                    };
                    // A state it cannot read is left as it is (the tenant is then listed as
                    // unreadable, and can be forgotten): it never stops the others' migration.
                    let Ok(mut value) =
                        serde_json::from_slice::<serde_json::Value>(text.as_bytes())
                    else {
                        continue;
                    };
                    let updated = value.get("updated_at").cloned().unwrap_or_default();
                    let mut changed = false;
                    let pages = value.get_mut("pages").and_then(|p| p.as_array_mut());
                    for page in pages
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.as_object_mut())
                    {
                        if older == 1 {
                            page.entry("at").or_insert_with(|| updated.clone());
                            changed = true;
                        }
                        let url = page.get_mut("url");
                        let masked = url.as_ref().and_then(|u| u.as_str()).and_then(|u| {
                            match nhi_lens::url_secret::mask(u) {
                                std::borrow::Cow::Owned(masked) => Some(masked),
                                std::borrow::Cow::Borrowed(_) => None,
                            }
                        });
                        if let (Some(url), Some(masked)) = (url, masked) {
                            *url = masked.into();
                            changed = true;
                        }
                    }
                    if changed {
                        self.raw.set(vec![(key, value.to_string())]).await?;
                    }
                }
                self.mask_snapshot_sources().await?;
            }
            Some(3) => self.mask_snapshot_sources().await?,
            Some(newer) if newer > SCHEMA_VERSION => {
                return Err(format!(
                    "the stored data is from a newer NHI Lens (layout {newer}); update the extension"
                ));
            }
            _ => {}
        }
        self.set_json("schema", &SCHEMA_VERSION).await?;
        self.migrated.set(true);
        Ok(())
    }

    /// Masks the credentials in the URLs older versions kept their page snapshots under, as the
    /// snapshots kept since are: each such snapshot's text moves to the key of its masked URL (or
    /// goes, where a snapshot kept since has that URL). A response's URL stays as it was
    /// requested: the paging tokens in it (`$skiptoken`) are named like credentials but tell its
    /// pages apart. The text is written under its new key before the state names it, and the old
    /// key removed after: a migration cut short before the state is written runs again; one cut
    /// after leaves the old texts unlisted, to go when the tenant is forgotten or cleared.
    async fn mask_snapshot_sources(&self) -> Result<(), String> {
        for tenant in self.tenants().await? {
            // Most states name no credential at all: those are not parsed (nor their reviews
            // read), which at the first start after an update would delay the first answer.
            let key = tenant_key(&tenant);
            let raw = self.raw.get(std::slice::from_ref(&key)).await?;
            if raw
                .get(&key)
                .is_none_or(|text| matches!(nhi_lens::url_secret::mask(text), Cow::Borrowed(_)))
            {
                continue;
            }
            // A state it cannot read is left as it is (see above).
            let Ok(Some(mut state)) = self.tenant(&tenant).await else {
                continue;
            };
            let masked = |source: &str| {
                // A later page of a list shown a page at a time: `{page URL} ({label})`.
                let (url, label) = source.split_once(" (").unwrap_or((source, ""));
                // None where masking leaves it as it is (one masked already).
                let masked = nhi_lens::url_secret::mask(url);
                match masked.as_ref() {
                    same if same == url => None,
                    url if label.is_empty() => Some(url.to_string()),
                    url => Some(format!("{url} ({label}")),
                }
            };
            let old_keys: Vec<String> = state
                .captures
                .iter()
                .filter(|c| masked(&c.source).is_some())
                .map(|c| c.key.clone())
                .collect();
            if old_keys.is_empty() {
                continue;
            }
            let texts = self.raw.get(&old_keys).await?;
            let sources: std::collections::HashSet<String> =
                state.captures.iter().map(|c| c.source.clone()).collect();
            let mut moved = Vec::new();
            let mut gone = Vec::new();
            let mut kept = Vec::with_capacity(state.captures.len());
            for mut capture in std::mem::take(&mut state.captures) {
                let text = texts.get(&capture.key);
                let Some(source) =
                    masked(&capture.source).filter(|_| text.is_some_and(|t| t.starts_with("<!--")))
                else {
                    kept.push(capture);
                    continue;
                };
                gone.push(capture.key.clone());
                // A snapshot kept since under the masked URL is the newer.
                if sources.contains(&source) || kept.iter().any(|c| c.source == source) {
                    continue;
                }
                capture.key = capture_key(&tenant, &source);
                capture.paged_from = capture.paged_from.map(|p| masked(&p).unwrap_or(p));
                capture.source = source;
                moved.push((capture.key.clone(), text.cloned().unwrap_or_default()));
                kept.push(capture);
            }
            if gone.is_empty() {
                continue;
            }
            state.captures = kept;
            if !moved.is_empty() {
                self.raw.set(moved).await?;
            }
            self.set_tenant(&tenant, &state).await?;
            self.raw.remove(gone).await?;
        }
        Ok(())
    }

    pub async fn options(&self) -> Result<Options, String> {
        if let Some(options) = self.options.borrow().as_ref() {
            return Ok(options.clone());
        }
        let options: Options = self.get_json("options").await?.unwrap_or_default();
        *self.options.borrow_mut() = Some(options.clone());
        Ok(options)
    }

    pub async fn set_options(&self, options: &Options) -> Result<(), String> {
        *self.options.borrow_mut() = None;
        self.set_json("options", options).await?;
        *self.options.borrow_mut() = Some(options.clone());
        Ok(())
    }

    pub async fn tenants(&self) -> Result<Vec<String>, String> {
        Ok(self.get_json("tenants").await?.unwrap_or_default())
    }

    /// Reads a page's tenant's state ahead, for the page's asks to find it in memory: `tenant`
    /// if it is known, else (a console that names its tenant only in the page) the first few of
    /// its console's. Nothing read is nothing lost: an unreadable state is left for that ask to
    /// tell.
    pub async fn preload(&self, tenant: &str) {
        let Ok(tenants) = self.tenants().await else {
            return;
        };
        if tenants.iter().any(|t| t == tenant) {
            let _ = self.tenant(tenant).await;
            return;
        }
        // A tenant key is `platform:name`: its console's all start with `platform:`.
        let console = &tenant[..tenant.find(':').map_or(0, |at| at + 1)];
        for tenant in tenants
            .iter()
            .filter(|t| t.starts_with(console))
            .take(PRELOADED)
        {
            let _ = self.tenant(tenant).await;
        }
    }

    pub async fn tenant(&self, tenant: &str) -> Result<Option<TenantState>, String> {
        if let Some(state) = self.states.borrow().get(tenant) {
            return Ok(Some(state.clone()));
        }
        // The state and its review in one read.
        let keys = [tenant_key(tenant), review_key(tenant)];
        let mut found = self.raw.get(&keys).await?;
        let mut state: Option<TenantState> = found
            .remove(&keys[0])
            .map(|text| read_stored(&keys[0], &text))
            .transpose()?;
        if let Some(state) = state.as_mut() {
            // The review's own key over one a version 2 state still holds (its write may have
            // been cut short after the review's). One that cannot be read is none: the next
            // look at the inventory is its new baseline, and nothing else of the tenant is lost.
            let review: Option<Review> = found
                .remove(&keys[1])
                .and_then(|text| read_stored(&keys[1], &text).ok());
            if let Some(review) = review.map(Rc::new) {
                state.review_kept = Some(review.clone());
                state.review = Some(review);
            }
        }
        if let Some(state) = &state {
            self.states
                .borrow_mut()
                .insert(tenant.to_string(), state.clone());
        }
        Ok(state)
    }

    pub async fn set_tenant(&self, tenant: &str, state: &TenantState) -> Result<(), String> {
        let mut tenants = self.tenants().await?;
        if !tenants.iter().any(|t| t == tenant) {
            tenants.push(tenant.to_string());
            tenants.sort();
            self.set_json("tenants", &tenants).await?;
        }
        self.states.borrow_mut().remove(tenant);
        if let Some(review) = &state.review
            && !state
                .review_kept
                .as_ref()
                .is_some_and(|k| Rc::ptr_eq(k, review))
        {
            self.set_json(&review_key(tenant), &**review).await?;
        }
        self.set_json(&tenant_key(tenant), state).await?;
        let mut kept = state.clone();
        kept.review_kept = kept.review.clone();
        self.states.borrow_mut().insert(tenant.to_string(), kept);
        Ok(())
    }

    /// The texts of a tenant's captures, as (source, text), in the order they were first seen;
    /// those `brought` anew (by the message being read) with no text, unread.
    pub async fn capture_texts(
        &self,
        state: &TenantState,
        brought: impl Fn(&str) -> bool,
    ) -> Result<Vec<(String, String)>, String> {
        let keys: Vec<String> = state
            .captures
            .iter()
            .filter(|c| !brought(&c.source))
            .map(|c| c.key.clone())
            .collect();
        let mut found = self.raw.get(&keys).await?;
        Ok(state
            .captures
            .iter()
            .filter_map(|c| {
                let text = found
                    .remove(&c.key)
                    .or_else(|| brought(&c.source).then(String::new));
                text.map(|text| (c.source.clone(), text))
            })
            .collect())
    }

    pub async fn put_captures(&self, items: Vec<(String, String)>) -> Result<(), String> {
        self.raw.set(items).await
    }

    /// Deletes capture texts no tenant lists any more.
    pub async fn forget_captures(&self, keys: Vec<String>) -> Result<(), String> {
        self.raw.remove(keys).await
    }

    /// Forgets one tenant: its state (inventory, decisions, visits), every capture text kept
    /// for it, listed or not, and the summaries of the tabs last on it (a popup counts nothing
    /// that is gone).
    pub async fn forget_tenant(&self, tenant: &str) -> Result<(), String> {
        let captures = format!("{CAPTURE_PREFIX}{tenant}:");
        // Its own keys: the prefix, then the source's hash alone (no other tenant's `…:x:hash`).
        let own = |key: &str| {
            key.strip_prefix(&captures)
                .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        let all = self.raw.keys().await?;
        let tabs: Vec<String> = all
            .iter()
            .filter(|k| k.starts_with(TAB_PREFIX))
            .cloned()
            .collect();
        let mut keys: Vec<String> = all.into_iter().filter(|k| own(k)).collect();
        for (key, text) in self.raw.get(&tabs).await? {
            // Read as `get_json` reads it (one reader of summaries in the WebAssembly).
            let summary = serde_json::from_slice::<nhi_lens::protocol::TabSummary>(text.as_bytes());
            if summary.is_ok_and(|s| s.tenant == tenant) {
                keys.push(key);
            }
        }
        keys.push(tenant_key(tenant));
        keys.push(review_key(tenant));
        self.states.borrow_mut().remove(tenant);
        self.raw.remove(keys).await?;
        // Unlisted last: a forgetting cut short leaves the tenant listed, to be forgotten again.
        let mut tenants = self.tenants().await?;
        tenants.retain(|t| t != tenant);
        self.set_json("tenants", &tenants).await
    }

    pub async fn tab(&self, tab: i64) -> Result<Option<nhi_lens::protocol::TabSummary>, String> {
        self.get_json(&tab_key(tab)).await
    }

    pub async fn forget_tab(&self, tab: i64) -> Result<(), String> {
        self.raw.remove(vec![tab_key(tab)]).await
    }

    pub async fn set_tab(
        &self,
        tab: i64,
        summary: &nhi_lens::protocol::TabSummary,
    ) -> Result<(), String> {
        self.set_json(&tab_key(tab), summary).await
    }

    /// Forgets everything, then writes the current layout version.
    pub async fn clear(&self) -> Result<(), String> {
        self.states.borrow_mut().clear();
        *self.options.borrow_mut() = None;
        self.raw.clear().await?;
        self.set_json("schema", &SCHEMA_VERSION).await?;
        self.migrated.set(true);
        Ok(())
    }
}

/// How many of a console's tenants a page's plan reads ahead when its own is not known yet.
const PRELOADED: usize = 4;

/// Storage in memory, for tests and for native use.
#[derive(Default)]
pub struct MemoryStorage {
    pub map: std::cell::RefCell<BTreeMap<String, String>>,
    /// Every key read, in order (what a test asks of the reads).
    pub asked: std::cell::RefCell<Vec<String>>,
    /// Every write, in order: `set <key>`, `remove <key>` or `clear`.
    pub written: std::cell::RefCell<Vec<String>>,
    /// Whether writes are refused (a disk full), for tests of what is then kept.
    pub refuse_writes: std::cell::Cell<bool>,
}

impl Storage for MemoryStorage {
    async fn get(&self, keys: &[String]) -> Result<HashMap<String, String>, String> {
        self.asked.borrow_mut().extend_from_slice(keys);
        let map = self.map.borrow();
        Ok(keys
            .iter()
            .filter_map(|k| map.get(k).map(|v| (k.clone(), v.clone())))
            .collect())
    }

    async fn set(&self, items: Vec<(String, String)>) -> Result<(), String> {
        if self.refuse_writes.get() {
            return Err("QuotaExceededError".into());
        }
        let mut written = self.written.borrow_mut();
        written.extend(items.iter().map(|(key, _)| format!("set {key}")));
        self.map.borrow_mut().extend(items);
        Ok(())
    }

    async fn remove(&self, keys: Vec<String>) -> Result<(), String> {
        let mut written = self.written.borrow_mut();
        written.extend(keys.iter().map(|key| format!("remove {key}")));
        let mut map = self.map.borrow_mut();
        for k in keys {
            map.remove(&k);
        }
        Ok(())
    }

    async fn keys(&self) -> Result<Vec<String>, String> {
        Ok(self.map.borrow().keys().cloned().collect())
    }

    async fn clear(&self) -> Result<(), String> {
        self.written.borrow_mut().push("clear".into());
        self.map.borrow_mut().clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::block_on;

    #[test]
    fn a_version_one_store_is_migrated_and_a_newer_one_refused() {
        let store = Store::new(MemoryStorage::default());
        block_on(store.raw.set(vec![
            ("schema".into(), "1".into()),
            (
                "tenants".into(),
                r#"["github:acme","github:cut","github:odd"]"#.into(),
            ),
            (
                "tenant:github:acme".into(),
                r#"{"updated_at":"2026-11-01T00:00:00Z","pages":[{"url":"u","page":"p","status":{"state":"read","identities":1}}]}"#.into(),
            ),
            // A state cut short, and one whose pages are not objects: neither stops the others.
            ("tenant:github:cut".into(), r#"{"updated_at":"#.into()),
            ("tenant:github:odd".into(), r#"{"pages":[1,"x"]}"#.into()),
        ]))
        .unwrap();
        block_on(store.migrate()).unwrap();
        let state = block_on(store.tenant("github:acme")).unwrap().unwrap();
        assert_eq!(state.pages[0].at, "2026-11-01T00:00:00Z");
        assert!(block_on(store.tenant("github:cut")).is_err());
        let version: u32 = serde_json::from_str(&store.raw.map.borrow()["schema"]).unwrap();
        assert_eq!(version, SCHEMA_VERSION);

        // A worker started on a newer extension's data (after a downgrade) refuses it.
        let newer = Store::new(MemoryStorage::default());
        block_on(newer.raw.set(vec![("schema".into(), "99".into())])).unwrap();
        assert!(block_on(newer.migrate()).unwrap_err().contains("newer"));
    }

    fn review(at: &str) -> Review {
        Review {
            at: at.into(),
            sources: None,
            first_look: false,
            identities: BTreeMap::from([(
                "github:github_app:1".to_string(),
                Reviewed {
                    name: "Deploy Bot".into(),
                    level: "high".into(),
                    grants: Vec::new(),
                    grants_unread: false,
                },
            )]),
        }
    }

    #[test]
    fn a_review_is_written_apart_and_only_when_it_changed() {
        let store = Store::new(MemoryStorage::default());
        let mut state = TenantState {
            review: Some(Rc::new(review("2026-11-01T00:00:00Z"))),
            ..TenantState::default()
        };
        block_on(store.set_tenant("github:acme", &state)).unwrap();
        let stored = |key: &str| store.raw.map.borrow().get(key).cloned().unwrap_or_default();
        assert!(!stored("tenant:github:acme").contains("review"));
        assert!(stored("review:github:acme").contains("Deploy Bot"));

        // A decision on the state read back writes the state alone.
        store.raw.written.borrow_mut().clear();
        let mut read = block_on(store.tenant("github:acme")).unwrap().unwrap();
        read.owners
            .insert("github:github_app:1".into(), "ann".into());
        block_on(store.set_tenant("github:acme", &read)).unwrap();
        assert_eq!(*store.raw.written.borrow(), ["set tenant:github:acme"]);

        // A new review is written, and read back by a worker started afresh.
        state.review = Some(Rc::new(review("2026-11-20T00:00:00Z")));
        block_on(store.set_tenant("github:acme", &state)).unwrap();
        let restarted = Store::new(MemoryStorage::default());
        *restarted.raw.map.borrow_mut() = store.raw.map.borrow().clone();
        let again = block_on(restarted.tenant("github:acme")).unwrap().unwrap();
        assert_eq!(again.review.unwrap().at, "2026-11-20T00:00:00Z");

        // Forgetting the tenant forgets its review.
        block_on(store.forget_tenant("github:acme")).unwrap();
        assert!(!store.raw.map.borrow().contains_key("review:github:acme"));
    }

    #[test]
    fn a_reviews_own_key_wins_over_a_stale_one_in_the_state_and_an_unreadable_one_is_none() {
        let store = Store::new(MemoryStorage::default());
        let embedded = serde_json::json!({"review": review("2026-10-01T00:00:00Z")});
        let own = serde_json::to_string(&review("2026-11-01T00:00:00Z")).unwrap();
        block_on(store.raw.set(vec![
            ("tenant:github:acme".into(), embedded.to_string()),
            ("review:github:acme".into(), own),
            ("tenant:github:cut".into(), "{}".into()),
            ("review:github:cut".into(), r#"{"at":"#.into()),
        ]))
        .unwrap();
        let state = block_on(store.tenant("github:acme")).unwrap().unwrap();
        assert_eq!(state.review.unwrap().at, "2026-11-01T00:00:00Z");
        let cut = block_on(store.tenant("github:cut")).unwrap().unwrap();
        assert!(cut.review.is_none());
    }

    #[test]
    fn a_version_two_states_review_is_read_from_it_and_moved_out_as_it_is_written() {
        let store = Store::new(MemoryStorage::default());
        let embedded = serde_json::json!({
            "updated_at": "2026-11-01T00:00:00Z",
            "review": review("2026-10-01T00:00:00Z"),
        });
        block_on(store.raw.set(vec![
            ("schema".into(), "2".into()),
            ("tenants".into(), r#"["github:acme"]"#.into()),
            ("tenant:github:acme".into(), embedded.to_string()),
        ]))
        .unwrap();
        block_on(store.migrate()).unwrap();
        let state = block_on(store.tenant("github:acme")).unwrap().unwrap();
        assert_eq!(state.review.as_ref().unwrap().at, "2026-10-01T00:00:00Z");
        block_on(store.set_tenant("github:acme", &state)).unwrap();
        let map = store.raw.map.borrow();
        assert!(!map["tenant:github:acme"].contains("review"));
        assert!(map["review:github:acme"].contains("2026-10-01T00:00:00Z"));
        assert_eq!(map["schema"], SCHEMA_VERSION.to_string());
    }

    #[test]
    fn a_version_three_stores_snapshots_move_to_their_masked_urls() {
        let tenant = "okta:acme";
        let page = "https://acme-admin.okta.com/admin/access/api/tokens";
        let with_token = format!("{page}?access_token=s3cr3t");
        let masked = nhi_lens::url_secret::mask(&with_token).into_owned();
        assert_ne!(masked, with_token);
        let other_page = "https://acme-admin.okta.com/admin/apps/active?sig=abc";
        let list = "https://acme-admin.okta.com/api/v1/apps?after=x&token=t0k";
        let meta = |source: &str, paged_from: Option<&str>| CaptureMeta {
            key: capture_key(tenant, source),
            source: source.into(),
            at: "2026-11-01T00:00:00Z".into(),
            paged_from: paged_from.map(str::to_string),
            page: u32::from(paged_from.is_some()),
            next: None,
            bytes: 0,
        };
        let second = format!("{with_token} (page 2)");
        let state = TenantState {
            captures: vec![
                // A snapshot, a later page of its list, one whose masked URL a snapshot kept
                // since already has, and a response (whose URL stays as requested).
                meta(&with_token, None),
                meta(&second, Some(&with_token)),
                meta(other_page, None),
                meta(&nhi_lens::url_secret::mask(other_page), None),
                meta(list, None),
            ],
            updated_at: "2026-11-01T00:00:00Z".into(),
            ..TenantState::default()
        };
        let snapshot = |n: u32| format!("<!-- saved from url=(0000){page} -->\n<table>{n}</table>");
        let store = Store::new(MemoryStorage::default());
        block_on(store.raw.set(vec![
            ("schema".into(), "3".into()),
            ("tenants".into(), format!(r#"["{tenant}"]"#)),
            (tenant_key(tenant), serde_json::to_string(&state).unwrap()),
            (capture_key(tenant, &with_token), snapshot(1)),
            (capture_key(tenant, &second), snapshot(2)),
            (capture_key(tenant, other_page), snapshot(3)),
            (
                capture_key(tenant, &nhi_lens::url_secret::mask(other_page)),
                snapshot(4),
            ),
            (capture_key(tenant, list), "[]".into()),
        ]))
        .unwrap();
        block_on(store.migrate()).unwrap();
        let map = store.raw.map.borrow().clone();
        assert_eq!(map["schema"], "4");
        for (key, text) in &map {
            assert!(
                !text.contains("s3cr3t") && !text.contains("sig=abc"),
                "{key}: {text}"
            );
        }
        drop(map);
        let migrated = block_on(store.tenant(tenant)).unwrap().unwrap();
        let sources: Vec<&str> = migrated
            .captures
            .iter()
            .map(|c| c.source.as_str())
            .collect();
        let masked_second = format!("{masked} (page 2)");
        let kept_since = nhi_lens::url_secret::mask(other_page).into_owned();
        assert_eq!(
            sources,
            [masked.as_str(), &masked_second, &kept_since, list]
        );
        assert_eq!(
            migrated.captures[1].paged_from.as_deref(),
            Some(masked.as_str())
        );
        // Each text under the key its URL now names; the older twin of a snapshot kept since, gone.
        let map = store.raw.map.borrow();
        for (capture, n) in migrated.captures.iter().zip(["1", "2", "4"]) {
            assert_eq!(capture.key, capture_key(tenant, &capture.source));
            assert!(map[&capture.key].contains(&format!("<table>{n}</table>")));
        }
        assert_eq!(map[&capture_key(tenant, list)], "[]");
        let captures = map.keys().filter(|k| is_capture_key(k)).count();
        assert_eq!(captures, 4, "{:?}", map.keys().collect::<Vec<_>>());
    }

    #[test]
    fn capture_keys_are_stable_and_distinct() {
        assert_eq!(capture_key("t", "a"), capture_key("t", "a"));
        assert_ne!(capture_key("t", "a"), capture_key("t", "b"));
        assert_eq!(capture_key("t", ""), "capture:t:cbf29ce484222325");
    }
}
