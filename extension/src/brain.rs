//! The background worker's answers to every [`Request`], independent of the browser: storage,
//! time and the network come from a [`Host`], so the same code runs in tests natively.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::rc::Rc;

use nhi_lens::console::{self, ConsolePage, PageAt, canonical_url, page_in, plan_in};
use nhi_lens::ingest::probe::{Loaded, NextPage, loaded};
use nhi_lens::ingest::{InputError, PAGE_CHANGED, ROWS_NOT_READ, batch};

use crate::paging::{
    absolute, goes_on, has_dot_segment, next_link, own_next, places_in_lists, superseded,
};
use crate::views::comparable;
use nhi_lens::model::Timestamp;
use nhi_lens::policy::{Acceptance, Allow, OwnerEntry, Policy, Thresholds};
use nhi_lens::previous::Baseline;
use nhi_lens::protocol::{
    Annotation, Capture, JsonText, Options, PageStatus, PageVisit, Reply, Request, TabSummary,
    TenantSummary,
};
use nhi_lens::score::Level;
use nhi_lens::{Collector, Report, report};
use time::format_description::well_known::Rfc3339;

use crate::store::{AcceptanceRecord, CaptureMeta, Storage, Store, TenantState, capture_key};
use crate::{annotate, changes, sanitize};

pub use nhi_lens::protocol::MAX_CAPTURE_BYTES;

/// The most of a page's tenant region read: the plan's limit, with room for the tags it sends
/// whole (a meta tag's attribute, a header's markup).
const MAX_TENANT_REGION_BYTES: usize = 16 * console::TENANT_REGION_LIMIT;
/// How many further pages of a paged API the background fetches for one page visit.
pub const MAX_EXTRA_PAGES: usize = 50;
/// The console pages a tenant remembers visiting (each with what reading it found), latest first
/// kept.
pub const MAX_PAGE_VISITS: usize = 100;

/// Inventories kept at most, one per console tenant (an admin of many Okta orgs has hundreds).
pub const MAX_TENANTS: usize = 1_000;
pub use crate::paging::MAX_CAPTURES_PER_TENANT;

/// What the browser provides.
pub trait Host {
    type Storage: Storage;
    fn storage(&self) -> &Self::Storage;
    /// Now, from the system clock.
    fn now(&self) -> Timestamp;
    /// GETs a URL of the console the admin is on, in the admin's session, for its JSON body and
    /// `Link` header. Only ever called with URLs the page's plan keeps.
    fn fetch_json(
        &self,
        url: &str,
    ) -> impl Future<Output = Result<(String, Option<String>), String>>;
    /// The markup of the elements `selector` finds in the tab's own page (frame 0), joined, if
    /// any: what names a tenant there, for a frame of the tab that the console draws the page
    /// in and that does not show it (see [`Sender::in_console`]).
    fn top_region(&self, _tab: i64, _selector: &str) -> impl Future<Output = Option<String>> {
        async { None }
    }
    /// Marks the end of a step of the work, for the browser benchmark (no-op by default).
    fn lap(&self, _step: &'static str) {}
}

/// Who sent a request, as the browser reports it; within the host it reports, a console page's
/// own navigations are taken from its message (see [`Sender::on_page`]).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Sender {
    /// The tab, for content scripts and for extension pages shown in a tab.
    pub tab_id: Option<i64>,
    /// The URL of the document that sent it.
    #[serde(default)]
    pub url: String,
    /// Whether that document is one of the extension's own pages.
    #[serde(default)]
    pub extension_page: bool,
    /// The frame in its tab (0 for the tab's own page), for content scripts.
    #[serde(default)]
    pub frame_id: Option<i64>,
    /// The URL of the tab's page, for a content script in a frame of it.
    #[serde(default)]
    pub top_url: Option<String>,
}

impl Sender {
    /// The sender on the page a console page's message names: the URL the content script read
    /// from its own `location`, which follows the console's own navigations (history changes,
    /// hash routes), where the browser's report of the frame's URL may keep the URL the document
    /// loaded at. Taken only on the host the browser reports (in the test build, the host a
    /// loopback URL stands for): a message never moves its page to another console.
    fn on_page(&self, url: &str) -> Sender {
        let host = |url: &str| console::host_of(&console::effective_url(url)).to_ascii_lowercase();
        let mut sender = self.clone();
        if !url.is_empty() && host(url) == host(&self.url) {
            sender.url = url.to_string();
        }
        sender
    }

    /// The sender on its tab's page, when it is a frame that page's console draws the page in, on
    /// a host of the console's own (see [`console::page_of_frame`]); else as it is.
    fn in_console(mut self, instances: &[console::Instance]) -> Sender {
        let framed = self.frame_id.is_some_and(|frame| frame != 0);
        if let Some(top) = self.top_url.as_deref().filter(|_| framed)
            && let Some(page) = console::page_of_frame(&self.url, top, instances)
        {
            self.url = page;
        }
        self
    }

    /// Whether it is a frame read as its tab's page ([`Sender::in_console`]).
    fn drawn_for_tab(&self) -> bool {
        self.frame_id.is_some_and(|frame| frame != 0)
            && self.top_url.as_deref() == Some(self.url.as_str())
    }
}

/// The background brain.
pub struct Brain<H: Host> {
    host: Rc<H>,
    store: Store<HostStorage<H>>,
    /// Capture texts of the tenants read since the worker started, by tenant. Storage is the
    /// truth (the worker may be stopped at any moment); this saves reading it on every page.
    texts: RefCell<HashMap<String, Texts>>,
    /// Writes left until the answer is on its way ([`Brain::flush`]).
    pending: RefCell<Vec<Deferred>>,
    /// How many flushes in a row failed to make the pending writes.
    failed_flushes: std::cell::Cell<u8>,
    /// Each tenant's last scoring, reused by the side panel and the card while nothing it was
    /// made from has changed (any capture, decision or option change drops it) and it is fresh.
    scores: RefCell<HashMap<String, Rc<Kept>>>,
    /// The sources each console page sent since the worker started (keyed by tenant and the
    /// page's URL without its query): a page's answer badges every identity they hold, so data
    /// that came in a later capture (the users a token list names) redraws the badges of an
    /// earlier one, and a view of the page (sorted, filtered) keeps what the page read.
    page_sources: RefCell<HashMap<String, HashSet<String>>>,
    /// The visits ([`visit_key`]) whose answer carried the badges of the rest of a tenant's
    /// inventory since their page last asked for its plan, with that tenant: on a catch-all page
    /// (`ConsolePage::catch_all`) one answer of each visit does, and one more if the page names
    /// its tenant only later (an account menu drawn after the first answer).
    inventory_badged: RefCell<HashSet<(String, String)>>,
    /// Tabs whose summary a frame's read page wrote, with that frame, since the tab's own page or
    /// that frame last asked for its plan: the tab's page, if read for nothing, leaves that
    /// summary as it is (Salesforce's Lightning Setup frames the Classic page it shows, which is
    /// read).
    framed_reads: RefCell<HashMap<i64, i64>>,
    /// The tenant each tab's own page named in the page (Entra's directory, in the portal's
    /// top bar), for the frames the console draws that page in, which do not show it.
    tab_tenants: RefCell<HashMap<i64, String>>,
    /// The tenant each frame drawn for its tab's page was planned under, by tab and frame: its
    /// captures are that tenant's, whatever its tab's page names by the time they come (a frame
    /// belongs to one document of the page).
    frame_tenants: RefCell<HashMap<(i64, i64), String>>,
    /// What each capture of the tenant scored last held, as read: a capture re-reads only the
    /// texts that are new, not every page the tenant has (one tenant's, to bound the memory).
    parsed: RefCell<Option<(String, Vec<Parsed>)>>,
    /// How many capture texts were read for scoring since the worker started.
    texts_read: std::cell::Cell<usize>,
}

/// One capture text, as read.
struct Parsed {
    source: String,
    text: Rc<str>,
    read: Collector,
}

/// A tenant's scoring, and its lean report text once the side panel asked for it.
struct Kept {
    at: Timestamp,
    report: Rc<Report>,
    lean: RefCell<Option<Rc<str>>>,
}

/// How long a scoring is reused: ages and expiries are counted in days, so minutes-old scores
/// say the same.
const SCORES_KEPT_FOR: time::Duration = time::Duration::minutes(5);

/// A tenant's captures: the source each is read as, and its text.
type Texts = Vec<(String, Rc<str>)>;

/// A write to storage made after answering, so the page's badges never wait for it.
#[derive(Clone)]
enum Deferred {
    Captures(Vec<(String, Rc<str>)>),
    /// Capture texts no longer listed.
    Forget(Vec<String>),
    Tenant(String, TenantState),
    /// A tab's summary; `None` forgets it (the tab left the consoles).
    Tab(i64, Option<TabSummary>),
    /// No write: a page's tenant's state read ahead, or its console's (see [`Store::preload`]).
    Preload(String),
}

/// The host's storage, shared with the brain's [`Store`].
pub struct HostStorage<H>(Rc<H>);

impl<H: Host> Storage for HostStorage<H> {
    fn get(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<std::collections::HashMap<String, String>, String>> {
        self.0.storage().get(keys)
    }
    fn set(&self, items: Vec<(String, String)>) -> impl Future<Output = Result<(), String>> {
        self.0.storage().set(items)
    }
    fn remove(&self, keys: Vec<String>) -> impl Future<Output = Result<(), String>> {
        self.0.storage().remove(keys)
    }
    fn keys(&self) -> impl Future<Output = Result<Vec<String>, String>> {
        self.0.storage().keys()
    }
    fn clear(&self) -> impl Future<Output = Result<(), String>> {
        self.0.storage().clear()
    }
}

/// A tenant's inventory, scored.
struct Scored {
    report: Rc<Report>,
    state: TenantState,
}

impl<H: Host> Brain<H> {
    pub fn new(host: H) -> Self {
        let host = Rc::new(host);
        Brain {
            store: Store::new(HostStorage(host.clone())),
            host,
            texts: RefCell::default(),
            pending: RefCell::default(),
            failed_flushes: std::cell::Cell::new(0),
            scores: RefCell::default(),
            page_sources: RefCell::default(),
            inventory_badged: RefCell::default(),
            framed_reads: RefCell::default(),
            tab_tenants: RefCell::default(),
            frame_tenants: RefCell::default(),
            parsed: RefCell::default(),
            texts_read: std::cell::Cell::new(0),
        }
    }

    /// Answers one request; every failure is an [`Reply::Error`] with a plain reason.
    pub async fn handle(&self, request: Request, sender: &Sender) -> Reply {
        if request.from_page_only() && !sender.extension_page {
            return error("only NHI Lens's own pages may ask that");
        }
        if !request.from_page_only() && sender.extension_page {
            return error("that request comes from a console page");
        }
        // Clearing everything is the way out of a store NHI Lens cannot read: neither a layout it
        // cannot migrate (a newer version's) nor a write it could not finish stands in its way.
        if !matches!(request, Request::ClearAll) {
            if let Err(e) = self.store.migrate().await {
                return error(&e);
            }
            // Writes a caller left unflushed go first, so every answer sees them.
            if let Err(e) = self.flush().await {
                return error(&e);
            }
        }
        let changes_scores = match &request {
            Request::AssignOwner { tenant, .. }
            | Request::AcceptRisk { tenant, .. }
            | Request::WithdrawAcceptance { tenant, .. }
            | Request::MarkReviewed { tenant, .. }
            | Request::ForgetTenant { tenant } => Some(Some(tenant.clone())),
            Request::SetOptions { .. } | Request::ClearAll => Some(None),
            _ => None,
        };
        let answer = self.answer(request, sender).await;
        match changes_scores {
            Some(Some(tenant)) => {
                self.scores.borrow_mut().remove(&tenant);
            }
            Some(None) => self.scores.borrow_mut().clear(),
            None => {}
        }
        match answer {
            Ok(reply) => reply,
            Err(message) => error(&message),
        }
    }

    async fn answer(&self, request: Request, sender: &Sender) -> Result<Reply, String> {
        let now = self.host.now();
        match request {
            Request::Plan { url } => {
                let options = self.store.options().await?;
                let sender = &sender.on_page(&url).in_console(&options.instances);
                // A new visit of the page. If it is the tab's own, or the frame the tab's summary
                // is of, what was read before is of the last page.
                let visit = visit_key(sender);
                self.inventory_badged
                    .borrow_mut()
                    .retain(|(badged, _)| *badged != visit);
                if let Some(tab) = sender.tab_id {
                    let frame = sender.frame_id.unwrap_or(0);
                    let mut framed = self.framed_reads.borrow_mut();
                    if frame == 0 || framed.get(&tab) == Some(&frame) {
                        framed.remove(&tab);
                    }
                    // The tab's page may name another tenant now (the admin switched directory):
                    // its frames read it anew.
                    if frame == 0 {
                        self.tab_tenants.borrow_mut().remove(&tab);
                    }
                    self.frame_tenants.borrow_mut().remove(&(tab, frame));
                }
                let mut plan = plan_in(&sender.url, &options.instances);
                if let Some(plan) = plan.as_mut() {
                    plan.badge_style = crate::annotate::BADGE_STYLE.into();
                }
                let off = plan.as_ref().is_some_and(|p| {
                    options
                        .disabled_platforms
                        .iter()
                        .any(|d| d == p.platform.as_str())
                });
                // A frame drawn for its tab's page is of the tenant that page names: it waits for
                // no region naming it, which only the tab's page shows.
                if let Some(plan) = plan.as_mut().filter(|_| sender.drawn_for_tab() && !off)
                    && let Some(tenant) = self.tenant_of_tab(sender, &options.instances).await
                {
                    if let Some(tab) = sender.tab_id {
                        let frame = sender.frame_id.unwrap_or(0);
                        self.frame_tenants
                            .borrow_mut()
                            .insert((tab, frame), tenant.clone());
                    }
                    plan.tenant = tenant;
                    plan.regions.retain(|r| !r.every_capture);
                }
                // The tab's page is a new one: its summary says so until the page's answer, never
                // what the last page read.
                if let (Some(tab), None | Some(0)) = (sender.tab_id, sender.frame_id) {
                    let status = if off {
                        PageStatus::Disabled
                    } else {
                        PageStatus::Reading
                    };
                    let summary = plan
                        .as_ref()
                        .map(|p| TabSummary::uncounted(p.tenant.clone(), p.page.clone(), status));
                    self.pending.borrow_mut().push(Deferred::Tab(tab, summary));
                }
                // The page's tenant is read after this answer, while the page loads, for its
                // captures not to wait on storage then (a woken worker waited 28-41 ms for a
                // tenant's state with a console's large list loading).
                if let Some(p) = plan.as_ref().filter(|_| !off) {
                    let preload = Deferred::Preload(p.tenant.clone());
                    self.pending.borrow_mut().push(preload);
                }
                Ok(Reply::Plan {
                    plan: plan.filter(|_| !off),
                    off,
                })
            }
            Request::Captured {
                url,
                captures,
                missing,
            } => {
                self.captured(&sender.on_page(&url), captures, missing, now)
                    .await
            }
            Request::OpenCard { tenant, url, .. } => {
                let sender = &sender.on_page(&url);
                // Only a page whose own plan opens its cards in windows, for its own tenant: a page
                // script may send this too.
                let options = self.store.options().await?;
                let plan = plan_in(&sender.url, &options.instances)
                    .ok_or("this page is on none of the consoles NHI Lens reads")?;
                if plan.card_in_frame || sender.tab_id.is_none() || tenant != plan.tenant {
                    return Err("this page opens no card in a window".into());
                }
                // `background.js` opens the window when told it may.
                Ok(Reply::Done)
            }
            Request::ReplyPart { .. } => {
                Err("background.js answers for the pages web::handle cut an answer into".into())
            }
            Request::TabSummary { tab_id } => Ok(Reply::TabSummary {
                summary: self.store.tab(tab_id).await?,
            }),
            Request::Tenants => {
                let mut tenants = Vec::new();
                for tenant in self.store.tenants().await? {
                    // One inventory that cannot be read hides none of the others.
                    let (state, unreadable) = match self.store.tenant(&tenant).await {
                        Ok(Some(state)) => (state, None),
                        Ok(None) => continue,
                        Err(e) => (TenantState::default(), Some(e)),
                    };
                    tenants.push(TenantSummary {
                        tenant,
                        identities: state.identities,
                        critical: state.critical,
                        high: state.high,
                        updated_at: state.updated_at,
                        unreadable,
                    });
                }
                Ok(Reply::Tenants { tenants })
            }
            Request::Inventory { tenant } => {
                let stored = self.existing(&tenant).await?;
                let stored_counts = (stored.identities, stored.critical, stored.high);
                let mut scored = self.score_stored(&tenant, stored, now).await?;
                self.host.lap("inventory scored");
                // The counts the tenant list shows, as scored now: a decision since the last
                // page read (a risk accepted, an owner assigned) changed them.
                let report = &scored.report;
                let counts = (
                    report.len(),
                    report.count(Level::Critical),
                    report.count(Level::High),
                );
                let stale = counts != stored_counts;
                let state = &mut scored.state;
                (state.identities, state.critical, state.high) = counts;
                if scored.state.review.is_none() {
                    // The first look is the baseline later changes are counted from.
                    let mut first =
                        changes::snapshot(&scored.report, rfc3339(now), &scored.state.captures);
                    first.first_look = true;
                    scored.state.review = Some(Rc::new(first));
                    self.store.set_tenant(&tenant, &scored.state).await?;
                } else if stale {
                    self.store.set_tenant(&tenant, &scored.state).await?;
                }
                let review = scored.state.review.as_ref().expect("set above");
                let report = self.lean_report(&tenant, &scored.report, now);
                self.host.lap("inventory written");
                let changes = changes::changes(review, &scored.report, &scored.state.captures);
                self.host.lap("inventory compared");
                Ok(Reply::Inventory {
                    tenant,
                    changes,
                    // Never reviewed (the changes are since the first look): none.
                    reviewed_at: (!review.first_look).then(|| review.at.clone()),
                    report: JsonText(report),
                    rules: report::rule_texts(),
                    pages: scored.state.pages.clone(),
                    updated_at: Some(scored.state.updated_at.clone()),
                    revision: scored.state.revision,
                })
            }
            Request::Identity { tenant, id } => {
                let scored = self.score(&tenant, now).await?;
                let identity = report::identity_json_string(&scored.report, &id)
                    .map_or_else(JsonText::null, JsonText);
                let change = scored
                    .state
                    .review
                    .as_ref()
                    .map(|r| changes::changes(r, &scored.report, &scored.state.captures))
                    .and_then(|all| all.into_iter().find(|c| c.id() == id));
                Ok(Reply::Identity { identity, change })
            }
            Request::AssignOwner { tenant, id, owner } => {
                let mut state = self.existing(&tenant).await?;
                let owner = owner.trim();
                if owner.is_empty() {
                    if state.owners.remove(&id).is_none() {
                        return Err(
                            "no owner was assigned here: the one shown is the platform's \
                                    or the owner map's"
                                .into(),
                        );
                    }
                } else {
                    state.owners.insert(id, owner.to_string());
                }
                self.store.set_tenant(&tenant, &state).await?;
                Ok(Reply::Done)
            }
            Request::AcceptRisk {
                tenant,
                id,
                rule,
                reason,
                expires,
            } => {
                if nhi_lens::rules::RULES.iter().all(|r| r.meta().code != rule) {
                    return Err(format!("there is no rule {rule}"));
                }
                if reason.trim().is_empty() {
                    return Err("an acceptance needs a reason".into());
                }
                let ends = nhi_lens::policy::acceptance_ends(&expires)
                    .ok_or_else(|| format!("\"{expires}\" is not a date (YYYY-MM-DD)"))?;
                if ends <= now {
                    return Err("an acceptance must expire in the future".into());
                }
                // What is accepted is the finding as it is now: one that grows worse is open
                // again.
                let severity = self
                    .score(&tenant, now)
                    .await?
                    .report
                    .assessments()
                    .filter(|a| a.identity.id == id)
                    .flat_map(|a| a.findings.iter())
                    .filter(|f| f.rule.code == rule)
                    .map(|f| f.severity)
                    .max();
                let mut state = self.existing(&tenant).await?;
                state.prune_acceptances(now);
                state
                    .acceptances
                    .retain(|a| !(a.id == id && a.rule == rule));
                state.acceptances.push(AcceptanceRecord {
                    id,
                    rule,
                    reason: reason.trim().to_string(),
                    expires,
                    at: rfc3339(now),
                    severity,
                });
                self.store.set_tenant(&tenant, &state).await?;
                Ok(Reply::Done)
            }
            Request::WithdrawAcceptance { tenant, id, rule } => {
                let mut state = self.existing(&tenant).await?;
                state.prune_acceptances(now);
                state
                    .acceptances
                    .retain(|a| !(a.id == id && a.rule == rule));
                self.store.set_tenant(&tenant, &state).await?;
                Ok(Reply::Done)
            }
            Request::MarkReviewed { tenant, seen } => {
                let mut scored = self.score(&tenant, now).await?;
                if seen.is_some_and(|seen| seen != scored.state.revision) {
                    return Err(
                        "More of this inventory was read since it was shown: look at \
                                its changes again, then mark it reviewed."
                            .into(),
                    );
                }
                scored.state.review = Some(Rc::new(changes::snapshot(
                    &scored.report,
                    rfc3339(now),
                    &scored.state.captures,
                )));
                // The levels reviewed are the ones scored against this review itself, where
                // permissions grown since the last one (NL308) count no more: scored against the
                // last, each would show as a risk gone down at once.
                let mut scored = self.score_state(&tenant, scored.state, now).await?;
                scored.state.review = Some(Rc::new(changes::snapshot(
                    &scored.report,
                    rfc3339(now),
                    &scored.state.captures,
                )));
                self.store.set_tenant(&tenant, &scored.state).await?;
                Ok(Reply::Done)
            }
            Request::Export {
                tenant,
                format,
                ids,
            } => self.export(tenant, &format, ids, now).await,
            Request::GetOptions => Ok(Reply::Options {
                options: self.store.options().await?,
            }),
            Request::SetOptions { options, read } => {
                if let Some(read) = read {
                    let current = self.store.options().await?;
                    if current.fingerprint() != read {
                        return Ok(Reply::OptionsChanged { options: current });
                    }
                }
                validate_options(&options)?;
                self.store.set_options(&options).await?;
                Ok(Reply::Done)
            }
            Request::ForgetTenant { tenant } => {
                self.forget_reads(Some(&tenant));
                self.store.forget_tenant(&tenant).await?;
                Ok(Reply::Done)
            }
            Request::ClearAll => {
                self.forget_reads(None);
                self.framed_reads.borrow_mut().clear();
                self.pending.borrow_mut().clear();
                self.store.clear().await?;
                Ok(Reply::Done)
            }
        }
    }

    /// Drops what the worker holds in memory of one tenant's reads, or of every tenant's
    /// (`None`): its texts and their reads, the sources of its pages' visits, the visits that
    /// had its inventory's badges.
    fn forget_reads(&self, tenant: Option<&str>) {
        let forgotten = |t: &str| tenant.is_none_or(|forgotten| forgotten == t);
        self.texts.borrow_mut().retain(|t, _| !forgotten(t));
        let mut parsed = self.parsed.borrow_mut();
        if parsed.as_ref().is_some_and(|(t, _)| forgotten(t)) {
            *parsed = None;
        }
        // Keyed `{tenant} {page}`.
        self.page_sources.borrow_mut().retain(|key, _| {
            tenant.is_some_and(|t| {
                !key.strip_prefix(t)
                    .is_some_and(|page| page.starts_with(' '))
            })
        });
        self.inventory_badged
            .borrow_mut()
            .retain(|(_, t)| !forgotten(t));
    }

    async fn existing(&self, tenant: &str) -> Result<TenantState, String> {
        self.store
            .tenant(tenant)
            .await?
            .ok_or_else(|| format!("no inventory for {tenant}"))
    }

    /// Stores what a page captured, scores the tenant, and answers with the page's badges.
    async fn captured(
        &self,
        sender: &Sender,
        captures: Vec<Capture>,
        missing: Vec<String>,
        now: Timestamp,
    ) -> Result<Reply, String> {
        let options = self.store.options().await?;
        let instances = &options.instances;
        let sender = &sender.clone().in_console(instances);
        let Some(at) = page_in(&sender.url, instances) else {
            return Err("this page is on none of the consoles NHI Lens reads".into());
        };
        let in_page = captures.iter().find_map(|c| match c {
            Capture::Dom { region, html }
                if region == console::TENANT_REGION && html.len() <= MAX_TENANT_REGION_BYTES =>
            {
                Some(html.as_str())
            }
            _ => None,
        });
        let mut tenant = at.tenant_key(in_page);
        if let Some(tab) = sender.tab_id {
            if in_page.is_some() && sender.frame_id.unwrap_or(0) == 0 {
                self.tab_tenants.borrow_mut().insert(tab, tenant.clone());
            } else if in_page.is_none() && sender.drawn_for_tab() {
                let frame = sender.frame_id.unwrap_or(0);
                let planned = self.frame_tenants.borrow().get(&(tab, frame)).cloned();
                let named = match planned {
                    Some(planned) => Some(planned),
                    None => self.tenant_of_tab(sender, instances).await,
                };
                if let Some(named) = named {
                    tenant = named;
                }
            }
        }
        // A frame drawn for its tab's page shows what it shows, and a page a frame of its tab
        // has read misses nothing the frame drew: the page's layout is said by its own regions
        // until a frame reads it.
        let frame_read = sender.frame_id.unwrap_or(0) == 0
            && sender
                .tab_id
                .is_some_and(|tab| self.framed_reads.borrow().contains_key(&tab));
        let missing = if sender.drawn_for_tab() || frame_read {
            Vec::new()
        } else {
            missing
        };
        let PageAt {
            page,
            platform,
            url: page_url,
            on: page_on,
            ..
        } = at;
        // A response is the page's when the page's plan names it on the page's own host (an
        // instance's page keeps its instance's responses only, a cell's its cell's).
        let keeps = |url: &str| {
            let (url, on) = canonical_url(url, instances);
            on == page_on && console::keeps_response(page, &url) && !has_dot_segment(&url)
        };
        if options
            .disabled_platforms
            .iter()
            .any(|d| d == platform.as_str())
        {
            return Ok(Reply::Annotations {
                tenant,
                status: PageStatus::Disabled,
                annotations: Vec::new(),
                reason_pages: 0,
            });
        }
        if page.reads_nothing() {
            return self.known(sender, tenant, now).await;
        }
        // The page's snapshot is kept, and its visit shown, under its URL: a credential a console
        // wrote there is not.
        let source_url = nhi_lens::url_secret::mask_owned(console::effective_url(&sender.url));
        let mut texts: Texts = Vec::new();
        // The next pages to fetch, each with the capture whose links led there and how many
        // pages after it.
        let mut next_pages: Vec<(String, String, u32)> = Vec::new();
        // The pages of lists the console loaded here (not the single objects it loaded: the walks
        // start from these), and which of them were not walked through to their list's end.
        let mut roots: HashSet<String> = HashSet::new();
        let mut incomplete: HashSet<String> = HashSet::new();
        // Each page fetched here: the page its walk started from, and how many pages after it.
        let mut paged: HashMap<String, (String, u32)> = HashMap::new();
        // Each page's next page, as its links name it (in the form `comparable` gives).
        let mut next_of: HashMap<String, String> = HashMap::new();
        // Those whose paging is understood: with a `Link` header, or an OData body (which says
        // where the list ends); only those can be known read whole.
        let mut paging_known: HashSet<String> = HashSet::new();
        // A list whose walk met a page of another list's (or a page that failed) is as complete
        // as that one: (this root, that root).
        let mut meets: Vec<(String, String)> = Vec::new();
        let mut failed: HashSet<String> = HashSet::new();
        let mut snapshot = String::new();
        // The page of a list the snapshot shows, where the page shows a list a page at a time (a
        // page whose regions hold its pagination).
        let mut list_page = None;
        let mut window = None;
        // Each response the page keeps, as (source, URL, body, `Link` header): a batch's answers
        // each as if loaded alone.
        let mut responses: Vec<(String, String, String, Option<String>)> = Vec::new();
        for capture in captures {
            match capture {
                Capture::Json {
                    url,
                    body,
                    link,
                    request,
                } => {
                    if body.len() > MAX_CAPTURE_BYTES || !keeps(&url) {
                        continue;
                    }
                    let source = console::effective_url(&url);
                    // A batch the page's request names the calls of: each answer is kept as if
                    // loaded alone, where the page keeps that call's response.
                    match request
                        .as_deref()
                        .and_then(|request| batch::split(&source, request, &body))
                    {
                        Some(answers) => responses.extend(
                            answers
                                .into_iter()
                                .filter(|(call, _)| keeps(call))
                                .map(|(call, text)| (call.clone(), call, text, None)),
                        ),
                        None => {
                            let source = batch::capture_name(&source, &body).unwrap_or(source);
                            responses.push((source, url, body, link));
                        }
                    }
                }
                Capture::Dom { region, html } => {
                    let own = page.regions.iter().any(|r| r.name == region);
                    if own && region == console::LIST_PAGE_REGION {
                        list_page = console::list_page(&html);
                    } else if own && page.api.is_empty() && window.is_none() {
                        // A virtual grid scrolled down: its rows in view are kept as a page of
                        // its list, beside those drawn before.
                        window = console::grid_window(&html);
                    }
                    if own && snapshot.len() + html.len() <= MAX_CAPTURE_BYTES {
                        // A credential the page shows once (a new client secret or token) is
                        // neither read nor kept.
                        snapshot.push_str(&nhi_lens::secret_text::mask_page(&html));
                        snapshot.push('\n');
                    }
                }
            }
        }
        // A grid's rows stand where it says only on a page with no pagination to say where they
        // stand: a console that pages (its pagination drawn or not) places its rows by page.
        let paginated = page
            .regions
            .iter()
            .any(|r| r.name == console::LIST_PAGE_REGION);
        let window = window.filter(|_| list_page.is_none() && !paginated);
        let list_page = list_page.or_else(|| {
            window.map(|w| (w.place, format!("rows from {}", w.place.saturating_add(1))))
        });
        // A list still loading is not read yet: the page's snapshot of its rows comes after.
        if console::still_loading(&snapshot) {
            snapshot.clear();
        }
        for (source, url, body, link) in responses {
            // An error the API answered (a rate limit, an expired session) never takes the place
            // of what the page read before.
            let what = loaded(&body);
            if what == Loaded::Error {
                continue;
            }
            if let Some(next) = link.as_deref().and_then(next_link) {
                let next = absolute(&url, &next);
                next_of.insert(source.clone(), comparable(&next));
                if keeps(&next) {
                    next_pages.push((next, source.clone(), 1));
                } else {
                    incomplete.insert(source.clone());
                }
            } else if let Loaded::Page(next) = &what {
                own_next(&source, next.clone(), &mut next_of, &mut incomplete);
            }
            if link.is_some() || what == Loaded::Page(NextPage::End) {
                paging_known.insert(source.clone());
            }
            // Only a list's page starts a walk: one object ends none.
            if let Loaded::Page(_) = what {
                roots.insert(source.clone());
            }
            texts.push((source, Rc::from(body)));
        }
        // The page shows one page of a paged API: fetch the rest in the admin's session.
        let mut fetched = 0;
        // Only the page's own host is asked, in the admin's session there: a link a page script
        // wrote could otherwise have the worker fetch another tenant's console (or any host the
        // manifest grants) and draw what it holds on that page. Its host as written, too, not
        // only as the test build reads it: a console's link to `http://localhost:…/<console's
        // host>/…` would have the worker ask a port on the admin's own machine.
        let own_host = console::host_of(&source_url);
        let own_origin = console::host_of(&sender.url);
        let mut asked: HashSet<String> = texts.iter().map(|(s, _)| s.clone()).collect();
        while let Some((url, root, steps)) = next_pages.pop() {
            let source = console::effective_url(&url);
            if asked.contains(&source) {
                if failed.contains(&source) {
                    incomplete.insert(root);
                } else if let Some(other) = paged
                    .get(&source)
                    .map(|(start, _)| start)
                    .or(roots.get(&source))
                {
                    meets.push((root, other.clone()));
                }
                continue;
            }
            if fetched >= MAX_EXTRA_PAGES
                || !console::host_of(&source).eq_ignore_ascii_case(own_host)
                || !console::host_of(&url).eq_ignore_ascii_case(own_origin)
                || url.starts_with("http:") != sender.url.starts_with("http:")
            {
                incomplete.insert(root);
                continue;
            }
            asked.insert(source.clone());
            fetched += 1;
            let page = self.host.fetch_json(&url).await;
            let Some((body, link)) = page.ok().filter(|(body, _)| {
                body.len() <= MAX_CAPTURE_BYTES && matches!(loaded(body), Loaded::Page(_))
            }) else {
                failed.insert(source);
                incomplete.insert(root);
                continue;
            };
            if let Some(next) = link.as_deref().and_then(next_link) {
                let next = absolute(&url, &next);
                next_of.insert(source.clone(), comparable(&next));
                if keeps(&next) {
                    next_pages.push((next, root.clone(), steps + 1));
                } else {
                    incomplete.insert(root.clone());
                }
            }
            paged.insert(source.clone(), (root, steps));
            texts.push((source, Rc::from(body)));
        }
        while let Some((root, _)) = meets
            .iter()
            .find(|(root, other)| incomplete.contains(other) && !incomplete.contains(root))
        {
            incomplete.insert(root.clone());
        }
        // A catch-all page that loaded no list it keeps shows what the inventory holds, as a
        // page read for nothing does.
        if page.catch_all && texts.is_empty() {
            return self.known(sender, tenant, now).await;
        }
        if texts.is_empty() && snapshot.is_empty() && missing.is_empty() {
            return self
                .shown_again(sender, page, tenant, &source_url, now)
                .await;
        }
        let has_regions = !page.regions.is_empty();
        // A list shown a page at a time under one URL: each page is kept as a page of the list
        // the URL shows (its first page, or the whole list, under the URL itself), in the place
        // of what that page showed before. No view drops the other pages: a sort, a filter or
        // another page size shows the same list otherwise, and its users would go with them.
        let snapshot_source = match &list_page {
            Some((place, label)) if *place > 0 => list_page_source(&source_url, label),
            _ => source_url.clone(),
        };
        if has_regions && !snapshot.is_empty() {
            // The saved-from line names the page as the platform table knows it, so an
            // instance's page is recognized by its platform's format.
            texts.push((
                snapshot_source.clone(),
                Rc::from(console::snapshot_input_read_at(&page_url, now, &snapshot)),
            ));
        }

        let mut state = match self.store.tenant(&tenant).await? {
            Some(state) => state,
            None => {
                // A page's script can name tenants of its choosing (a path pushed, a menu
                // retitled): their count is capped, as each one's captures are.
                if self.store.tenants().await?.len() >= MAX_TENANTS {
                    return Err(format!(
                        "NHI Lens keeps at most {MAX_TENANTS} inventories and holds that many: \
                         {tenant} is not read. Forget inventories you no longer need in \
                         Options, Data."
                    ));
                }
                TenantState::default()
            }
        };
        state.prune_acceptances(now);
        let stamp = rfc3339(now);
        let mut all = self.texts_of(&tenant, &state, &texts).await?;
        // The inventory's revision counts what was read anew: a page read again as it was (a
        // console page reading its plan again after a decision) leaves it, or the review of
        // what the panel shows would be refused as out of date.
        let anew = texts.iter().any(|(source, text)| {
            !all.iter().any(|(kept, was)| {
                kept == source && console::snapshot_html(was) == console::snapshot_html(text)
            })
        });
        if anew {
            state.revision += 1;
        }
        let mut places = places_in_lists(&texts, &paged, &next_of, &state.captures);
        if let Some((place, _)) = list_page.filter(|_| !snapshot.is_empty()) {
            places.insert(snapshot_source.clone(), (source_url.clone(), place));
        }
        let mut items = Vec::new();
        for (i, (source, text)) in texts.iter().enumerate() {
            let key = capture_key(&tenant, source);
            let (first, page) = places[source].clone();
            let meta = CaptureMeta {
                key: key.clone(),
                paged_from: (first != *source).then_some(first),
                page,
                next: next_of.get(source).cloned(),
                source: source.clone(),
                // A nanosecond apart, in the order they came: the newest of one message is the
                // one that came last (see `Collector::add_captured`).
                at: rfc3339(now + time::Duration::nanoseconds(i as i64)),
                // (A capture is at most 64 MiB.)
                bytes: text.len() as u32,
            };
            match state.captures.iter_mut().find(|c| &c.source == source) {
                Some(kept) => *kept = meta,
                None => state.captures.push(meta),
            }
            match all.iter_mut().find(|(s, _)| s == source) {
                Some(kept) => kept.1 = text.clone(),
                None => all.push((source.clone(), text.clone())),
            }
            items.push((key, text.clone()));
        }
        let sources: HashSet<&str> = texts.iter().map(|(s, _)| s.as_str()).collect();
        // A walk to the list's end leaves none of its pages after the one it started from; a page
        // read now leaves none other in its place.
        // (Few lists in a message: lists, not tables, keep the worker's WebAssembly small.)
        let mut ends: Vec<(String, u32)> = roots
            .difference(&incomplete)
            .map(|start| places[start].clone())
            .collect();
        // Only the console's own pages take places: a walk the background cut short takes none.
        let mut taken: Vec<(String, u32)> = places
            .into_iter()
            .filter(|(source, (_, page))| *page > 0 && roots.contains(source))
            .map(|(_, place)| place)
            .collect();
        // A virtual grid's rows drawn now take the places of those drawn before from any of
        // them on: a user deleted since leaves with the rows that showed them.
        let window = window.filter(|_| !snapshot.is_empty());
        if let Some(w) = window {
            let drawn = w.place.saturating_add(1)..w.place.saturating_add(w.rows);
            taken.extend(drawn.map(|p| (source_url.clone(), p)));
        }
        // A list read whole now, from its first page to its end: its searches and filters read
        // before hold nothing it does not.
        let whole: Vec<String> = ends
            .iter()
            .filter(|(first, start)| {
                *start == 0 && roots.contains(first) && paging_known.contains(first)
            })
            .map(|(first, _)| first.clone())
            .collect();
        // Rows drawn before past the grid's end now: users deleted since, at the list's end.
        ends.extend(window.map(|w| (source_url.clone(), w.count.saturating_sub(1))));
        let gone = superseded(&mut state.captures, &ends, &taken, &whole, &sources);
        let gone_sources: HashSet<&str> = gone.iter().map(|c| c.source.as_str()).collect();
        all.retain(|(source, _)| !gone_sources.contains(source.as_str()));
        self.texts.borrow_mut().insert(tenant.clone(), all);

        // When the tenant's pages were last read (a scoring later, after a decision or in a
        // worker started since, reads nothing anew).
        state.updated_at = rfc3339(now);
        let mut scored = self.score_state(&tenant, state, now).await?;
        // The texts are written with the tenant that lists them, once it is scored.
        self.pending.borrow_mut().push(Deferred::Captures(items));
        if !gone.is_empty() {
            self.pending
                .borrow_mut()
                .push(Deferred::Forget(gone.into_iter().map(|c| c.key).collect()));
        }
        let changed = layout_change(page, &missing, &scored.report, &sources);
        let mut page_sources = self.page_sources.borrow_mut();
        // A worker started since the page's last visit has it from the visits stored.
        let seen = page_sources
            .entry(page_key(&tenant, &source_url))
            .or_insert_with(|| visited_sources(&scored.state.pages, &source_url));
        seen.extend(sources.iter().map(|s| s.to_string()));
        let (read_here, elsewhere): (Vec<_>, Vec<_>) = scored
            .report
            .assessments()
            .partition(|a| a.identity.sources.iter().any(|s| seen.contains(&**s)));
        let mut annotations: Vec<Annotation> = read_here
            .iter()
            .map(|a| annotate::annotation(a, now))
            .collect();
        let read = annotations.len();
        // A page whose identities come in the lists it loads says it read none only once one of
        // those came: none yet (the console loaded its list from an address the plan does not
        // name, or drew it from what it kept) is still reading; one of a shape NHI Lens does not
        // know is the console changed.
        let lists_here: Vec<&str> = seen
            .iter()
            .map(String::as_str)
            .filter(|s| !is_snapshot_of(s, &source_url))
            .collect();
        let changed = changed.or_else(|| {
            (read == 0)
                .then(|| unknown_list(&scored.report, &lists_here))
                .flatten()
        });
        let status = match changed {
            Some(detail) => PageStatus::LayoutChanged { detail },
            None if read == 0
                && !page.api.is_empty()
                && !page.catch_all
                && lists_here.is_empty() =>
            {
                PageStatus::Reading
            }
            // A catch-all page whose lists named no identity is one read for nothing.
            None if page.catch_all && read == 0 => PageStatus::NotRead {
                inventory: elsewhere.len(),
            },
            None => PageStatus::Read {
                identities: read,
                // A list loaded here goes on past what was read, now or before.
                partial: roots.iter().any(|root| incomplete.contains(root))
                    || goes_on(&scored.state.captures, seen)
                    || scored
                        .report
                        .errors
                        .iter()
                        .any(|e| seen.contains(&e.source) && e.message.contains(ROWS_NOT_READ)),
            },
        };
        // A catch-all page may show any identity of the tenant's: the first answer of each visit
        // badges them all, the later ones what its lists hold.
        if page.catch_all
            && self
                .inventory_badged
                .borrow_mut()
                .insert((visit_key(sender), tenant.clone()))
        {
            annotations.extend(elsewhere.iter().map(|a| {
                annotate::elsewhere(
                    annotate::annotation(a, now),
                    &a.identity.name,
                    a.identity.kind,
                )
            }));
        }
        // Those the tenant still holds (a list read anew replaces its older reading).
        let mut visit_sources: Vec<String> = seen
            .iter()
            .filter(|s| scored.state.captures.iter().any(|c| c.source == **s))
            .cloned()
            .collect();
        visit_sources.sort_unstable();
        drop(page_sources);
        self.host.lap("annotated");
        let visit = PageVisit {
            url: source_url,
            page: page.id.to_string(),
            status: status.clone(),
            at: stamp,
            sources: visit_sources,
        };
        let pages = &mut scored.state.pages;
        pages.retain(|p| p.url != visit.url);
        pages.push(visit);
        // A single-page console's every view is a URL of its own: the latest ones are kept.
        let older = pages.len().saturating_sub(MAX_PAGE_VISITS);
        pages.drain(..older);
        self.pending
            .borrow_mut()
            .push(Deferred::Tenant(tenant.clone(), scored.state));
        Ok(self.page_answer(sender, page, tenant, status, annotations, read))
    }

    /// A page's answer, and the tab's summary of it, counting the first `read` annotations (what
    /// the page read, not the badges it may show besides).
    fn page_answer(
        &self,
        sender: &Sender,
        page: &ConsolePage,
        tenant: String,
        status: PageStatus,
        annotations: Vec<Annotation>,
        read: usize,
    ) -> Reply {
        if let Some(tab) = self.summarizes(sender, &status) {
            let summary = counted(&tenant, page, &status, &annotations[..read]);
            self.pending
                .borrow_mut()
                .push(Deferred::Tab(tab, Some(summary)));
        }
        Reply::Annotations {
            tenant,
            status,
            annotations,
            reason_pages: 0,
        }
    }

    /// The answer on a page that loaded nothing this visit (a console showing a view again from
    /// what it kept): the badges of what was read on the page before, from the tenant's kept
    /// scoring. Nothing is stored: no inventory is made, and no visit recorded.
    async fn shown_again(
        &self,
        sender: &Sender,
        page: &ConsolePage,
        tenant: String,
        source_url: &str,
        now: Timestamp,
    ) -> Result<Reply, String> {
        let mut annotations = Vec::new();
        let mut partial = false;
        let key = page_key(&tenant, source_url);
        if let Some(state) = self.store.tenant(&tenant).await? {
            // Read since the worker started, or else in the visits stored.
            let seen = (self.page_sources.borrow().get(&key).cloned())
                .unwrap_or_else(|| visited_sources(&state.pages, source_url));
            partial = goes_on(&state.captures, &seen);
            let report = self.score_stored(&tenant, state, now).await?.report;
            annotations = report
                .assessments()
                .filter(|a| a.identity.sources.iter().any(|s| seen.contains(&**s)))
                .map(|a| annotate::annotation(&a, now))
                .collect();
        }
        let status = match annotations.len() {
            0 => PageStatus::Reading,
            identities => PageStatus::Read {
                identities,
                partial,
            },
        };
        let read = annotations.len();
        Ok(self.page_answer(sender, page, tenant, status, annotations, read))
    }

    /// The tenant the tab's own page names, for a frame drawn for it: as that page's captures
    /// named it, or else as its page names it now (read there, then kept for the tab until its
    /// page moves on).
    async fn tenant_of_tab(
        &self,
        sender: &Sender,
        instances: &[console::Instance],
    ) -> Option<String> {
        let at = page_in(&sender.url, instances)?;
        if let Some(named) = self.tab_tenant(sender, at.platform) {
            return Some(named);
        }
        let tab = sender.tab_id?;
        let selector = nhi_lens::platforms::spec(at.platform)
            .tenant_in_page
            .as_ref()?
            .selector;
        let html = self.host.top_region(tab, selector).await?;
        if html.len() > MAX_TENANT_REGION_BYTES {
            return None;
        }
        let named = at.tenant_key(Some(&html));
        // What the URL alone names is no name the page gave.
        if named == at.tenant_key(None) {
            return None;
        }
        self.tab_tenants.borrow_mut().insert(tab, named.clone());
        Some(named)
    }

    /// The tenant of `platform` the sender's tab's own page named, if it named one.
    fn tab_tenant(&self, sender: &Sender, platform: nhi_lens::model::Platform) -> Option<String> {
        let tab = sender.tab_id?;
        self.tab_tenants
            .borrow()
            .get(&tab)
            .filter(|t| {
                t.strip_prefix(platform.as_str())
                    .is_some_and(|r| r.starts_with(':'))
            })
            .cloned()
    }

    /// The tab whose summary this answer is, if it may be: only the tab's own page says the tab
    /// is read for nothing (or not yet), and never over what a page it frames read (a frame's page
    /// never overwrites what the tab's page says of itself with "read for nothing" either).
    fn summarizes(&self, sender: &Sender, status: &PageStatus) -> Option<i64> {
        let tab = sender.tab_id?;
        let frame = sender.frame_id.unwrap_or(0);
        let read_for_nothing = matches!(status, PageStatus::NotRead { .. } | PageStatus::Reading);
        let mut framed = self.framed_reads.borrow_mut();
        match (frame, read_for_nothing) {
            (0, true) if framed.contains_key(&tab) => None,
            (0, _) => Some(tab),
            (_, true) => None,
            (frame, false) => {
                framed.insert(tab, frame);
                Some(tab)
            }
        }
    }

    /// The answer on a console page NHI Lens reads nothing on: the badges of every identity the
    /// tenant's inventory holds, for the rows there that name them (by name, or by an ID no
    /// other text there is likely to be). A tenant without an inventory gets none, and none is
    /// made for it; the page is no visit of the inventory's.
    async fn known(
        &self,
        sender: &Sender,
        tenant: String,
        now: Timestamp,
    ) -> Result<Reply, String> {
        let report = match self.store.tenant(&tenant).await? {
            None => None,
            Some(state) => Some(self.score_stored(&tenant, state, now).await?.report),
        };
        let annotations: Vec<Annotation> = report
            .iter()
            .flat_map(|r| r.assessments())
            .map(|a| {
                annotate::elsewhere(
                    annotate::annotation(&a, now),
                    &a.identity.name,
                    a.identity.kind,
                )
            })
            .collect();
        let status = PageStatus::NotRead {
            inventory: annotations.len(),
        };
        self.inventory_badged
            .borrow_mut()
            .insert((visit_key(sender), tenant.clone()));
        // It read nothing: its summary counts none of the inventory's badges it shows.
        Ok(self.page_answer(sender, &console::ELSEWHERE, tenant, status, annotations, 0))
    }

    /// A tenant's capture texts: from memory, or from storage after the worker restarted. Storage
    /// is not asked for the texts a message brings anew (`new`): each keeps its place, empty, for
    /// the message's own to take (a restarted worker read megabytes of a console's list only to
    /// drop them for the list the page had just loaded).
    async fn texts_of(
        &self,
        tenant: &str,
        state: &TenantState,
        new: &[(String, Rc<str>)],
    ) -> Result<Texts, String> {
        if let Some(texts) = self.texts.borrow().get(tenant) {
            return Ok(texts.clone());
        }
        let texts: Texts = self
            .store
            .capture_texts(state, |source| new.iter().any(|(s, _)| s == source))
            .await?
            .into_iter()
            .map(|(source, text)| (source, Rc::from(text)))
            .collect();
        // Kept only whole: with places empty, they are the caller's to fill and keep.
        if new.is_empty() {
            self.texts
                .borrow_mut()
                .insert(tenant.to_string(), texts.clone());
        }
        Ok(texts)
    }

    /// Makes the writes left from the last answer: capture texts with their secret values
    /// masked, the tenant, the tab's summary. `background.js` calls this after each answer, before
    /// the next message.
    pub async fn flush(&self) -> Result<(), String> {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        // Texts no tenant lists any more go last, after the tenants that no longer list them: a
        // worker stopped (or a write refused) in between leaves texts nothing lists, never a
        // tenant listing texts that are gone (whose identities would then be gone too). The
        // rest keep their order (texts before the tenant that lists them).
        let (forgets, mut writes): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|write| matches!(write, Deferred::Forget(_)));
        writes.extend(forgets);
        for (at, write) in writes.iter().enumerate() {
            let Err(e) = self.make(write).await else {
                continue;
            };
            // The write refused and those after it are made again before the next answer, which
            // says why until they are made. After three tries they are given up, and what the
            // worker holds in memory is read again from storage, so that nothing is shown that
            // is not kept.
            let tries = self.failed_flushes.get() + 1;
            if tries < 3 {
                self.failed_flushes.set(tries);
                let mut pending = self.pending.borrow_mut();
                let later = std::mem::take(&mut *pending);
                pending.extend(writes[at..].iter().cloned().chain(later));
            } else {
                self.failed_flushes.set(0);
                self.forget_reads(None);
                self.scores.borrow_mut().clear();
            }
            return Err(format!("NHI Lens could not keep what it read: {e}"));
        }
        self.failed_flushes.set(0);
        Ok(())
    }

    /// Makes one deferred write.
    async fn make(&self, write: &Deferred) -> Result<(), String> {
        match write {
            Deferred::Captures(items) => {
                let items = items
                    .iter()
                    .map(|(key, text)| {
                        // JSON loses its secret values, and what is not JSON (the reader could
                        // not use it) is not kept; both lose the credentials written into URLs
                        // (a webhook's, as the console shows it).
                        let kept = if text.starts_with("<!--") {
                            nhi_lens::url_secret::mask(text).into_owned()
                        } else {
                            sanitize::sanitize_json(text)
                                .map(nhi_lens::url_secret::mask_owned)
                                .unwrap_or_default()
                        };
                        (key.clone(), kept)
                    })
                    .collect();
                self.store.put_captures(items).await
            }
            Deferred::Forget(keys) => self.store.forget_captures(keys.clone()).await,
            Deferred::Tenant(tenant, state) => self.store.set_tenant(tenant, state).await,
            Deferred::Tab(tab, Some(summary)) => self.store.set_tab(*tab, summary).await,
            Deferred::Tab(tab, None) => self.store.forget_tab(*tab).await,
            Deferred::Preload(tenant) => {
                self.store.preload(tenant).await;
                Ok(())
            }
        }
    }

    /// Reads and scores a stored tenant, or takes its last scoring while that still holds.
    async fn score(&self, tenant: &str, now: Timestamp) -> Result<Scored, String> {
        let state = self.existing(tenant).await?;
        self.score_stored(tenant, state, now).await
    }

    /// Scores a tenant read from storage, or takes its last scoring while that still holds.
    async fn score_stored(
        &self,
        tenant: &str,
        state: TenantState,
        now: Timestamp,
    ) -> Result<Scored, String> {
        if let Some(kept) = self.kept(tenant, now) {
            return Ok(Scored {
                report: kept.report.clone(),
                state,
            });
        }
        self.score_state(tenant, state, now).await
    }

    async fn score_state(
        &self,
        tenant: &str,
        mut state: TenantState,
        now: Timestamp,
    ) -> Result<Scored, String> {
        let options = self.store.options().await?;
        let texts = self.texts_of(tenant, &state, &[]).await?;
        self.host.lap("stored");
        let read = self.read(tenant, &texts, &state.captures);
        let report = Rc::new(score_read(tenant, read, &options, &state, now, &|step| {
            self.host.lap(step)
        }));
        state.identities = report.len();
        state.critical = report.count(Level::Critical);
        state.high = report.count(Level::High);
        let kept = Kept {
            at: now,
            report: report.clone(),
            lean: RefCell::default(),
        };
        self.scores
            .borrow_mut()
            .insert(tenant.to_string(), Rc::new(kept));
        Ok(Scored { report, state })
    }

    /// The tenant's texts as read, in order: kept reads of texts seen before, new reads of the
    /// others (see [`Collector::absorb`]).
    fn read(
        &self,
        tenant: &str,
        texts: &[(String, Rc<str>)],
        captures: &[CaptureMeta],
    ) -> Collector {
        let mut parsed = self.parsed.borrow_mut();
        let mut kept = match parsed.take() {
            Some((t, kept)) if t == tenant => kept,
            _ => Vec::new(),
        };
        let mut all = Collector::new();
        let root = url_root(console::instance_of_tenant(tenant));
        let mut now_kept = Vec::with_capacity(texts.len());
        for (source, text) in texts {
            let one = match kept
                .iter()
                .position(|p| p.source == *source && Rc::ptr_eq(&p.text, text))
            {
                Some(at) => kept.swap_remove(at),
                None => {
                    let mut read = Collector::under_root(root);
                    read.add_captured(source, text.as_bytes(), captured_at(captures, source));
                    self.texts_read.set(self.texts_read.get() + 1);
                    Parsed {
                        source: source.clone(),
                        text: text.clone(),
                        read,
                    }
                }
            };
            all.absorb(one.read.clone());
            now_kept.push(one);
        }
        self.host.lap("parsed");
        *parsed = Some((tenant.to_string(), now_kept));
        all
    }

    /// The tenant's last scoring, if it still holds.
    fn kept(&self, tenant: &str, now: Timestamp) -> Option<Rc<Kept>> {
        let kept = self.scores.borrow().get(tenant).cloned()?;
        (now >= kept.at && now - kept.at < SCORES_KEPT_FOR).then_some(kept)
    }

    /// The tenant's report as lean JSON text, written once per scoring.
    fn lean_report(&self, tenant: &str, report: &Report, now: Timestamp) -> String {
        let kept = self
            .kept(tenant, now)
            .filter(|k| std::ptr::eq(Rc::as_ptr(&k.report), report));
        if let Some(text) = kept.as_ref().and_then(|k| k.lean.borrow().clone()) {
            return text.to_string();
        }
        let text = report::to_lean_json_string(report);
        if let Some(kept) = kept {
            *kept.lean.borrow_mut() = Some(Rc::from(text.as_str()));
        }
        text
    }

    async fn export(
        &self,
        tenant: Option<String>,
        format: &str,
        ids: Option<Vec<String>>,
        now: Timestamp,
    ) -> Result<Reply, String> {
        let format = report::Format::parse(format)
            .filter(|f| *f != report::Format::Table)
            .ok_or_else(|| format!("unknown export format \"{format}\""))?;
        let tenants = match &tenant {
            Some(t) => vec![t.clone()],
            None => self.store.tenants().await?,
        };
        let options = self.store.options().await?;
        // Each tenant scored as its inventory is, under its own decisions (owners assigned, risks
        // accepted, its last review), then added together: two tenants' identities of one ID
        // (two Snowflake accounts' users of one name) never merge, nor take each other's
        // decisions.
        let mut report: Option<Report> = None;
        let mut unread = Vec::new();
        for t in &tenants {
            // Everything is every inventory that can be read: one that cannot is named in the
            // export's errors, and one listed without a state (a write cut short) is nothing.
            let state = match self.store.tenant(t).await {
                Ok(Some(state)) => state,
                Ok(None) if tenant.is_none() => continue,
                Err(message) if tenant.is_none() => {
                    unread.push(InputError {
                        source: t.clone(),
                        message,
                    });
                    continue;
                }
                other => other?.ok_or_else(|| format!("no inventory for {t}"))?,
            };
            let texts = self.texts_of(t, &state, &[]).await?;
            let mut scored = score_texts(t, &texts, &options, &state, now);
            // In an export of every tenant, each identity says whose it is: read back, two
            // tenants' of one ID stay two. (One tenant's export stays as the command line writes
            // it: its SARIF fingerprints and artifacts are those of earlier exports.)
            if tenant.is_none() {
                scored.set_tenant(t.split_once(':').map_or(t.as_str(), |(_, tenant)| tenant));
            }
            match report.as_mut() {
                Some(report) => report.absorb(scored),
                None => report = Some(scored),
            }
        }
        let mut report = report.unwrap_or_else(|| {
            let none: &[(String, &str)] = &[];
            score_texts("", none, &options, &TenantState::default(), now)
        });
        report.errors.extend(unread);
        let view = ids.is_some();
        if let Some(ids) = ids {
            report.select(&ids);
        }
        let out = report::to_bytes(&report, format).map_err(|e| e.to_string())?;
        let day = rfc3339(now).get(..10).unwrap_or("").to_string();
        // An instance's key names its port and path: neither is written in a file's name.
        let mut scope = tenant.as_deref().unwrap_or("all").replace([':', '/'], "-");
        if view {
            // A view's file is never taken for the whole inventory.
            scope.push_str("-view");
        }
        Ok(Reply::Export {
            filename: format!("nhi-lens-{scope}-{day}.{}", format.extension()),
            mime: mime(format).into(),
            text: String::from_utf8(out).map_err(|e| e.to_string())?,
            unread: match format {
                report::Format::Csv | report::Format::Ocsf => report.errors.len(),
                _ => 0,
            },
        })
    }
}

/// The path the instance or cell at `place` ([`console::instance_of_tenant`]) serves its console
/// under: a self-managed GitLab's relative URL root (`/gitlab`), else `""`.
fn url_root(place: Option<&str>) -> &str {
    place
        .and_then(console::place_parts)
        .map_or("", |(_, root)| root)
}

/// Reads a tenant's captures (of a self-managed instance's host when `tenant` is one's, see
/// [`console::instance_of_tenant`], or of the platforms' own hosts) and scores them under the
/// options and the tenant's decisions.
pub fn score_texts<T: AsRef<str>>(
    tenant: &str,
    texts: &[(String, T)],
    options: &Options,
    decisions: &TenantState,
    now: Timestamp,
) -> Report {
    let mut collector = Collector::under_root(url_root(console::instance_of_tenant(tenant)));
    for (source, text) in texts {
        let at = captured_at(&decisions.captures, source);
        collector.add_captured(source, text.as_ref().as_bytes(), at);
    }
    score_read(tenant, collector, options, decisions, now, &|_| {})
}

/// When the text kept under `source` was captured.
fn captured_at(captures: &[CaptureMeta], source: &str) -> Option<Timestamp> {
    let at = &captures.iter().find(|c| c.source == source)?.at;
    nhi_lens::timestamp::parse(at)
}

/// Scores what was read of a tenant (its key, `gitlab:acme`) under the options and the tenant's
/// decisions; `lap` is told as each step ends (`joined`, `scored`). A self-managed instance's
/// identities (a tenant on its host) have its host in their IDs
/// (`gitlab:project_access_token:101@gitlab.example.com`), as a cell's have its domain (see
/// [`console::instance_of_tenant`]): its numbers are its own, and an allowlist entry, an owner or
/// an acceptance of gitlab.com's token 101 is not the instance's.
pub fn score_read(
    tenant: &str,
    read: Collector,
    options: &Options,
    decisions: &TenantState,
    now: Timestamp,
    lap: &dyn Fn(&'static str),
) -> Report {
    let mut inventory = read.finish();
    if let Some(host) = console::instance_of_tenant(tenant) {
        for identity in &mut inventory.identities {
            identity.id = format!("{}@{host}", identity.id);
        }
    }
    lap("joined");
    if let Some(review) = &decisions.review
        && let Some(at) = nhi_lens::timestamp::parse(&review.at)
    {
        Baseline::from_grants(
            at,
            review
                .identities
                .iter()
                .filter(|(_, r)| !r.grants_unread)
                .map(|(id, r)| (id.clone(), r.grants.clone())),
        )
        .apply(&mut inventory.identities);
    }
    let report = nhi_lens::assess(inventory, &policy(tenant, options, decisions), now);
    lap("scored");
    report
}

/// The policy the options and the admin's decisions make for `tenant`'s inventory.
pub fn policy(tenant: &str, options: &Options, decisions: &TenantState) -> Policy {
    let mut policy = Policy {
        thresholds: Thresholds {
            secret_max_age_days: options.secret_max_age_days,
            dormant_days: options.dormant_days,
            expiry_horizon_days: options.expiry_horizon_days,
            expiring_soon_days: options.expiring_soon_days,
            ..Thresholds::default()
        },
        ..Policy::default()
    };
    // An entry made for another inventory is not this one's, though an identity here may have
    // its ID (one Slack app in two workspaces).
    policy.allow = options
        .allow
        .iter()
        .filter(|a| a.tenant.as_deref().is_none_or(|t| t == tenant))
        .map(|a| Allow {
            id: a.id.clone(),
            reason: a.reason.clone(),
            rules: None,
            tenant: None,
        })
        .collect();
    // What the admin assigned on an identity wins over the map and over the platform.
    policy.owners = decisions
        .owners
        .iter()
        .map(|(id, owner)| OwnerEntry {
            id: id.clone(),
            owner: owner.clone(),
            vendor_contact: None,
            replace: true,
            assigned: true,
        })
        .chain(options.owner_map.iter().map(|e| OwnerEntry {
            id: e.pattern.clone(),
            owner: e.owner.clone(),
            vendor_contact: None,
            replace: false,
            assigned: false,
        }))
        .collect();
    policy.accept = decisions
        .acceptances
        .iter()
        .map(|a| Acceptance {
            rule: a.rule.clone(),
            id: a.id.clone(),
            reason: a.reason.clone(),
            expires: a.expires.clone(),
            accepted_by: None,
            severity: a.severity,
            // The tenant's own decisions, scored with it alone.
            tenant: None,
        })
        .collect();
    policy
}

/// The tab's summary of a page, counting `read` by risk.
fn counted(
    tenant: &str,
    page: &ConsolePage,
    status: &PageStatus,
    read: &[Annotation],
) -> TabSummary {
    let count = |level: &str| read.iter().filter(|a| a.risk == level).count();
    TabSummary {
        tenant: tenant.to_string(),
        page: page.id.to_string(),
        status: status.clone(),
        critical: count("critical"),
        high: count("high"),
        medium: count("medium"),
        low: count("low"),
        none: count("none"),
    }
}

/// Which page of a tenant's the sources read on a page are kept under: its URL without the
/// query (a list's filters and paging), with its hash route.
fn page_key(tenant: &str, url: &str) -> String {
    format!("{tenant} {}", without_query(url))
}

/// The sources the stored visits of `url`'s page (its views under any query) had read.
fn visited_sources(visits: &[PageVisit], url: &str) -> HashSet<String> {
    let page = without_query(url);
    visits
        .iter()
        .filter(|visit| without_query(&visit.url) == page)
        .flat_map(|visit| visit.sources.iter().cloned())
        .collect()
}

/// A page's URL without its query: the views of one page (sorted, filtered, searched, another
/// page of its list) read what the page read, where a single-page console writes them in its
/// URL without loading anything.
fn without_query(url: &str) -> String {
    let (before_hash, hash) = url
        .split_once('#')
        .map_or((url, None), |(b, h)| (b, Some(h)));
    let path = before_hash
        .split_once('?')
        .map_or(before_hash, |(path, _)| path);
    match hash {
        Some(hash) => format!("{path}#{hash}"),
        None => path.to_string(),
    }
}

/// One visit of a page: its tab, its frame and its URL.
fn visit_key(sender: &Sender) -> String {
    format!(
        "{:?} {:?} {}",
        sender.tab_id,
        sender.frame_id.unwrap_or(0),
        console::effective_url(&sender.url)
    )
}

/// How the page's layout changed, if it did: a required region never appeared, or a reader said
/// the page changed.
fn layout_change(
    page: &ConsolePage,
    missing: &[String],
    report: &Report,
    sources: &HashSet<&str>,
) -> Option<String> {
    let missing: Vec<&str> = missing
        .iter()
        .filter(|m| {
            page.regions
                .iter()
                .any(|r| r.required && r.name == m.as_str())
        })
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "{} never appeared on {}",
            missing.join(", "),
            page.title
        ));
    }
    report
        .errors
        .iter()
        .find(|e| sources.contains(e.source.as_str()) && e.message.contains(PAGE_CHANGED))
        .map(|e| e.message.clone())
}

/// The source a snapshot of a list's later page is kept under: the page's URL and the page's
/// label (a list shown a page at a time under one URL).
fn list_page_source(page_url: &str, label: &str) -> String {
    format!("{page_url} ({label})")
}

/// Whether `source` is a snapshot of the page at `page_url` (its first page's, or a later page's
/// from [`list_page_source`]) rather than a response it loaded.
fn is_snapshot_of(source: &str, page_url: &str) -> bool {
    source
        .strip_prefix(page_url)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(" ("))
}

/// Why a page changed when a list it keeps (of `lists`) came in a shape NHI Lens does not know.
fn unknown_list(report: &Report, lists: &[&str]) -> Option<String> {
    let unknown = report
        .inputs
        .iter()
        .find(|i| i.format.is_none() && lists.contains(&i.source.as_str()))?;
    let why = report.errors.iter().find(|e| e.source == unknown.source);
    Some(format!(
        "{PAGE_CHANGED}: the list it loads came in a shape NHI Lens does not know{}",
        why.map(|e| format!(" ({})", e.message)).unwrap_or_default()
    ))
}

fn validate_options(options: &Options) -> Result<(), String> {
    for (name, value) in [
        ("secret age", options.secret_max_age_days),
        ("dormancy window", options.dormant_days),
        ("expiry horizon", options.expiry_horizon_days),
        ("expiry warning", options.expiring_soon_days),
    ] {
        if !(1..=36_500).contains(&value) {
            return Err(format!("the {name} must be between 1 and 36500 days"));
        }
    }
    // A credential expiring between the two would be both about to expire and long-lived.
    if options.expiring_soon_days >= options.expiry_horizon_days {
        return Err(format!(
            "the expiry warning ({} days) must be shorter than the expiry horizon ({} days)",
            options.expiring_soon_days, options.expiry_horizon_days
        ));
    }
    let known: Vec<&str> = nhi_lens::platforms::PLATFORMS
        .iter()
        .map(|p| p.platform.as_str())
        .collect();
    if let Some(p) = options
        .disabled_platforms
        .iter()
        .find(|p| !known.contains(&p.as_str()))
    {
        return Err(format!("unknown console \"{p}\""));
    }
    // The scorer matches an allowlist entry to one identity's IDs: a pattern would match none.
    if let Some(a) = options
        .allow
        .iter()
        .find(|a| !Allow::names_one_identity(&a.id) || a.reason.trim().is_empty())
    {
        return Err(format!(
            "the allowlist entry \"{}\" needs one identity's ID, without `*`, and a reason",
            a.id
        ));
    }
    if let Some(e) = options
        .owner_map
        .iter()
        .find(|e| e.pattern.trim().is_empty() || e.owner.trim().is_empty())
    {
        return Err(format!(
            "the owner map's entry \"{}\" needs an ID or pattern and an owner",
            e.pattern
        ));
    }
    let mut hosts = HashSet::new();
    for instance in &options.instances {
        if !console::self_managed_platforms().any(|(p, _)| p == instance.platform) {
            return Err(format!(
                "{} has no self-managed instances",
                instance.platform.display_name()
            ));
        }
        // A host the table reads is refused with its own reason; a place written otherwise (a
        // page's path, an upper-case host) is no instance.
        let (host, _) = console::place_parts(&instance.host).ok_or_else(|| {
            format!(
                "\"{}\" is not written as a host name, with the path it is served under if any",
                instance.host
            )
        })?;
        console::instance_host(host)?;
        if !hosts.insert(&instance.host) {
            return Err(format!("{} is added twice", instance.host));
        }
    }
    Ok(())
}

fn mime(format: report::Format) -> &'static str {
    match format {
        report::Format::Json | report::Format::Sarif | report::Format::Ocsf => "application/json",
        report::Format::Csv => "text/csv",
        report::Format::Markdown => "text/markdown",
        report::Format::Table => "text/plain",
    }
}

fn rfc3339(at: Timestamp) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

fn error(message: &str) -> Reply {
    Reply::Error {
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStorage, is_capture_key};
    use crate::testing::block_on;
    use nhi_lens::protocol::Change;
    use std::cell::RefCell;
    use time::macros::datetime;

    /// A browser stand-in: storage in memory, a fixed clock, canned pages for session fetches.
    struct TestHost {
        storage: MemoryStorage,
        pages: Vec<(String, String, Option<String>)>,
        fetched: RefCell<Vec<String>>,
        /// Minutes past the test's "now" (2026-11-29), for what happens later.
        later: std::cell::Cell<i64>,
        /// What each tab's own page shows, for [`Host::top_region`].
        top_pages: RefCell<HashMap<i64, String>>,
    }

    impl Host for TestHost {
        type Storage = MemoryStorage;
        fn storage(&self) -> &MemoryStorage {
            &self.storage
        }
        fn now(&self) -> Timestamp {
            datetime!(2026-11-29 00:00 UTC) + time::Duration::minutes(self.later.get())
        }
        async fn fetch_json(&self, url: &str) -> Result<(String, Option<String>), String> {
            self.fetched.borrow_mut().push(url.to_string());
            self.pages
                .iter()
                .find(|(u, _, _)| u == url)
                .map(|(_, body, link)| (body.clone(), link.clone()))
                .ok_or_else(|| format!("{url}: not found"))
        }
        async fn top_region(&self, tab: i64, selector: &str) -> Option<String> {
            let page = self.top_pages.borrow().get(&tab)?.clone();
            let document = nhi_lens::html::read_serialized(&page);
            let selector = nhi_lens::html::selector(selector).ok()?;
            let found: Vec<String> = document.select(&selector).map(|e| e.html()).collect();
            (!found.is_empty()).then(|| found.join("\n"))
        }
    }

    fn brain(pages: Vec<(String, String, Option<String>)>) -> Brain<TestHost> {
        Brain::new(TestHost {
            storage: MemoryStorage::default(),
            pages,
            fetched: RefCell::new(Vec::new()),
            later: std::cell::Cell::new(0),
            top_pages: RefCell::default(),
        })
    }

    const TOKENS_PAGE: &str = "http://127.0.0.1:9/acme-admin.okta.com/admin/access/api/tokens";

    fn console() -> Sender {
        Sender {
            tab_id: Some(7),
            url: TOKENS_PAGE.into(),
            extension_page: false,
            frame_id: Some(0),
            top_url: None,
        }
    }

    fn panel() -> Sender {
        Sender {
            tab_id: None,
            url: "chrome-extension://abc/sidepanel.html".into(),
            extension_page: true,
            frame_id: None,
            top_url: None,
        }
    }

    fn token(id: &str, name: &str, created: &str) -> String {
        format!(
            r#"{{"id":"{id}","name":"{name}","userId":"00u1","clientName":"Okta API","created":"{created}","expiresAt":"2026-12-20T00:00:00.000Z","tokenWindow":"P30D","network":{{"connection":"ANYWHERE"}}}}"#
        )
    }

    fn captured(body: String, link: Option<&str>) -> Request {
        json_capture(TOKENS_PAGE, TOKENS_LIMIT_1, body, link)
    }

    /// What a console page at `page` sends for one JSON response from `api`.
    fn json_capture(page: &str, api: &str, body: String, link: Option<&str>) -> Request {
        Request::Captured {
            url: page.into(),
            captures: vec![Capture::Json {
                url: api.into(),
                body,
                link: link.map(str::to_string),
                request: None,
            }],
            missing: Vec::new(),
        }
    }

    /// The URL `captured` sends its tokens from.
    const TOKENS_LIMIT_1: &str = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens?limit=1";

    /// A later page of the Okta test tenant's token list.
    fn tokens_after(after: &str) -> String {
        format!("http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens?after={after}")
    }

    /// A page of one token, named by its ID.
    fn token_page(id: &str) -> String {
        format!("[{}]", token(id, id, "2020-01-01T00:00:00.000Z"))
    }

    /// A `Link` header pointing at the next page.
    fn rel_next(to: &str) -> Option<String> {
        Some(format!("<{to}>; rel=\"next\""))
    }

    /// A JSON response the page loaded, as the content script forwards it.
    fn json(url: impl Into<String>, body: impl Into<String>, link: Option<String>) -> Capture {
        Capture::Json {
            url: url.into(),
            body: body.into(),
            link,
            request: None,
        }
    }

    /// A page's captures, sent from the sender's own URL.
    fn sent(captures: Vec<Capture>) -> Request {
        Request::Captured {
            url: String::new(),
            captures,
            missing: Vec::new(),
        }
    }

    /// A brain started anew on what `b` saved, fetching `pages` in the session.
    fn restarted(
        b: &Brain<TestHost>,
        pages: Vec<(String, String, Option<String>)>,
    ) -> Brain<TestHost> {
        block_on(b.flush()).unwrap();
        let again = brain(pages);
        *again.host.storage.map.borrow_mut() = b.host.storage.map.borrow().clone();
        again
    }

    /// The native IDs of the Okta test tenant's identities, sorted.
    fn native_ids(b: &Brain<TestHost>) -> Vec<String> {
        let mut ids: Vec<String> = inventory(b).report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["native_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    }

    /// An Okta users list of one person, Dana (`status` as Okta writes it), captured on the
    /// token page.
    fn users(status: &str) -> Request {
        Request::Captured {
            url: TOKENS_PAGE.into(),
            captures: vec![Capture::Json {
                url: "http://127.0.0.1:9/acme-admin.okta.com/api/v1/users?filter=id%20eq%20%2200u1%22"
                    .into(),
                body: format!(
                    r#"[{{"id":"00u1","status":"{status}","profile":{{"firstName":"Dana","lastName":"Whitfield","login":"dana@acme.example"}}}}]"#
                ),
                link: None,
                request: None,
            }],
            missing: Vec::new(),
        }
    }

    /// What the side panel gets for a tenant.
    struct Inventory {
        /// The report's text, as sent.
        text: String,
        report: serde_json::Value,
        changes: Vec<Change>,
        revision: u64,
        /// The tenant's page visits, newest last.
        pages: Vec<PageVisit>,
        reviewed_at: Option<String>,
        updated_at: Option<String>,
    }

    /// The IDs of a report's identities, in its order.
    fn identity_ids(report: &serde_json::Value) -> Vec<&str> {
        report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect()
    }

    /// What the side panel gets for the Okta test tenant.
    /// The side panel accepting `rule`'s risk on the Okta token `00T1` until `expires`.
    fn accept_token_risk(b: &Brain<TestHost>, rule: &str, reason: &str, expires: &str) -> Reply {
        let accept = Request::AcceptRisk {
            tenant: "okta:acme".into(),
            id: "okta:api_token:00T1".into(),
            rule: rule.into(),
            reason: reason.into(),
            expires: expires.into(),
        };
        block_on(b.handle(accept, &panel()))
    }

    /// `rule`'s finding on the Okta token `00T1`, as its detail card gets it.
    fn token_finding(b: &Brain<TestHost>, rule: &str) -> serde_json::Value {
        let reply = block_on(b.handle(
            Request::Identity {
                tenant: "okta:acme".into(),
                id: "okta:api_token:00T1".into(),
            },
            &panel(),
        ));
        let Reply::Identity { identity, .. } = reply else {
            panic!("{reply:?}")
        };
        let identity: serde_json::Value = serde_json::from_str(&identity.0).unwrap();
        identity["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .cloned()
            .unwrap()
    }

    fn inventory(b: &Brain<TestHost>) -> Inventory {
        inventory_of(b, "okta:acme")
    }

    /// The Entra tenant of pages that name no directory.
    const ENTRA: &str = "entra:entra.microsoft.com";

    /// What the side panel gets for `tenant`.
    fn inventory_of(b: &Brain<TestHost>, tenant: &str) -> Inventory {
        let reply = block_on(b.handle(
            Request::Inventory {
                tenant: tenant.into(),
            },
            &panel(),
        ));
        let Reply::Inventory {
            report,
            changes,
            revision,
            pages,
            reviewed_at,
            updated_at,
            ..
        } = reply
        else {
            panic!("{reply:?}")
        };
        Inventory {
            report: serde_json::from_str(&report.0).unwrap(),
            text: report.0,
            changes,
            revision,
            pages,
            reviewed_at,
            updated_at,
        }
    }

    /// The tenant a page's answer went to, and its badges' identity IDs, sorted.
    fn badged(reply: Reply) -> (String, Vec<String>) {
        let (tenant, _, annotations) = answered(reply);
        let mut ids: Vec<String> = annotations.into_iter().map(|a| a.id).collect();
        ids.sort();
        (tenant, ids)
    }

    /// A page's answer: its tenant, its status and its badges.
    fn answered(reply: Reply) -> (String, PageStatus, Vec<Annotation>) {
        let Reply::Annotations {
            tenant,
            status,
            annotations,
            ..
        } = reply
        else {
            panic!("{reply:?}")
        };
        (tenant, status, annotations)
    }

    /// Every tenant with an inventory, as the side panel lists them.
    fn tenants(b: &Brain<TestHost>) -> Vec<TenantSummary> {
        let reply = block_on(b.handle(Request::Tenants, &panel()));
        let Reply::Tenants { tenants } = reply else {
            panic!("{reply:?}")
        };
        tenants
    }

    /// An export as the side panel asks for it: its file name and text.
    fn export(
        b: &Brain<TestHost>,
        tenant: Option<&str>,
        format: &str,
        ids: Option<Vec<String>>,
    ) -> (String, String) {
        let request = Request::Export {
            tenant: tenant.map(str::to_string),
            format: format.into(),
            ids,
        };
        match block_on(b.handle(request, &panel())) {
            Reply::Export { filename, text, .. } => (filename, text),
            other => panic!("{other:?}"),
        }
    }

    /// Assigns `owner` to the Okta test tenant's token `00T1`, as the side panel does.
    fn assign_platform_team(b: &Brain<TestHost>) {
        let owner = Request::AssignOwner {
            tenant: "okta:acme".into(),
            id: "okta:api_token:00T1".into(),
            owner: "platform-team".into(),
        };
        assert_eq!(block_on(b.handle(owner, &panel())), Reply::Done);
    }

    /// The IAM credential report page of the AWS account `account` names in its session meta tag.
    fn aws_report(account: &str) -> Request {
        let host = "http://127.0.0.1:9/us-east-1.console.aws.amazon.com";
        Request::Captured {
            url: format!("{host}/iam/home#/credential_report"),
            captures: vec![
                Capture::Json {
                    url: format!("{host}/iam/api/credentialreport"),
                    body: include_str!(
                        "../../tests/consoles/us-east-1.console.aws.amazon.com/iam/api/credentialreport.json"
                    )
                    .into(),
                    link: None,
                    request: None,
                },
                Capture::Dom {
                    region: nhi_lens::console::TENANT_REGION.into(),
                    html: format!(
                        r#"<meta name="awsc-session-data" content="{{&quot;accountId&quot;:&quot;{account}&quot;}}">"#
                    ),
                },
            ],
            missing: Vec::new(),
        }
    }

    #[test]
    fn a_console_page_that_moved_without_a_load_is_planned_and_read_where_it_is_now() {
        // The browser still reports the tokens page the document loaded at; the console has
        // moved on to its apps list (history.pushState).
        let b = brain(Vec::new());
        let apps = "http://127.0.0.1:9/acme-admin.okta.com/admin/apps/active";
        let plan =
            |url: &str| match block_on(b.handle(Request::Plan { url: url.into() }, &console())) {
                Reply::Plan { plan, .. } => plan.map(|p| p.page),
                other => panic!("{other:?}"),
            };
        assert_eq!(plan(apps).as_deref(), Some("okta.apps_page"));
        assert_eq!(plan(TOKENS_PAGE).as_deref(), Some("okta.api_tokens_page"));
        // Never another console's page, nor another host's (the loopback URL's first segment
        // is the host the test build stands it for).
        for elsewhere in [
            "http://127.0.0.1:9/acme.slack.com/apps/manage",
            "https://other-admin.okta.com/admin/apps/active",
            "",
        ] {
            assert_eq!(
                plan(elsewhere).as_deref(),
                Some("okta.api_tokens_page"),
                "{elsewhere}"
            );
        }
        // What the page captures there is read as the apps page's: its tokens list response is
        // none of that page's, so nothing is read.
        let moved = Request::Captured {
            url: apps.into(),
            captures: vec![json(TOKENS_LIMIT_1, token_page("00T1"), None)],
            missing: Vec::new(),
        };
        let (_, _, annotations) = answered(block_on(b.handle(moved, &console())));
        assert!(annotations.is_empty(), "{annotations:?}");
        let (_, _, annotations) = answered(block_on(
            b.handle(captured(token_page("00T1"), None), &console()),
        ));
        assert_eq!(annotations.len(), 1);
    }

    #[test]
    fn a_view_of_a_page_written_in_its_query_keeps_what_the_page_read() {
        // The console sorts its list and writes the order in its URL, loading nothing: the page
        // sends its layout region again, and its badges stay.
        let b = brain(Vec::new());
        let body = token_page("00T1");
        let (_, _, first) = answered(block_on(b.handle(captured(body, None), &console())));
        assert_eq!(first.len(), 1);
        let sorted = Request::Captured {
            url: format!("{TOKENS_PAGE}?sort=name"),
            captures: vec![Capture::Dom {
                region: "api tokens".into(),
                html: r#"<div data-se="api-token-list"><table><thead><tr><th>Token name</th><th>Created</th></tr></thead><tbody><tr><td>00T1</td><td>Jan 1, 2020</td></tr></tbody></table></div>"#.into(),
            }],
            missing: Vec::new(),
        };
        let (_, status, again) = answered(block_on(b.handle(sorted, &console())));
        assert_eq!(status, read_whole(1));
        assert_eq!(again.len(), 1);
        assert_eq!(
            without_query("https://a.example/p?x=1#/view?y=2"),
            "https://a.example/p#/view?y=2"
        );
    }

    #[test]
    fn a_credential_in_a_pages_url_is_neither_kept_nor_shown() {
        let b = brain(Vec::new());
        // A visit a version 2 store kept, before URLs were masked.
        block_on(b.host.storage.set(vec![("schema".into(), "2".into())])).unwrap();
        let kept = TenantState {
            pages: vec![PageVisit {
                url: format!("{TOKENS_PAGE}?sig=old-s3cr3t-value"),
                page: "okta.api_tokens_page".into(),
                status: PageStatus::Read {
                    identities: 1,
                    partial: false,
                },
                at: "2026-11-01T00:00:00Z".into(),
                sources: Vec::new(),
            }],
            ..TenantState::default()
        };
        block_on(b.store.set_tenant("okta:acme", &kept)).unwrap();
        // The page's layout snapshot is kept under the page's URL: masked too.
        let view = Request::Captured {
            url: format!("{TOKENS_PAGE}?access_token=s3cr3t-value"),
            captures: vec![
                json(TOKENS_LIMIT_1, token_page("00T1"), None),
                Capture::Dom {
                    region: "api tokens".into(),
                    html: r#"<div data-se="api-token-list"><table><thead><tr><th>Token name</th><th>Created</th></tr></thead><tbody><tr><td>00T1</td><td>Jan 1, 2020</td></tr></tbody></table></div>"#.into(),
                },
            ],
            missing: Vec::new(),
        };
        answered(block_on(b.handle(view, &console())));
        block_on(b.flush()).unwrap();
        let sources: Vec<String> = block_on(b.store.tenant("okta:acme"))
            .unwrap()
            .unwrap()
            .captures
            .iter()
            .map(|c| c.source.clone())
            .collect();
        assert!(
            sources
                .iter()
                .any(|s| s.ends_with("/admin/access/api/tokens?access_token=********")),
            "{sources:?}"
        );
        let pages = inventory(&b).pages;
        assert_eq!(pages.len(), 2);
        assert!(pages[0].url.ends_with("?sig=********"), "{}", pages[0].url);
        assert!(
            pages[1].url.ends_with("?access_token=********"),
            "{}",
            pages[1].url
        );
        let stored = b.host.storage.map.borrow();
        assert!(stored.values().all(|v| !v.contains("s3cr3t")));
    }

    #[test]
    fn a_tenant_remembers_its_latest_page_visits() {
        // A single-page console's views are URLs of their own (a search, a sort, a hash route).
        let b = brain(Vec::new());
        let body = token_page("00T1");
        for n in 0..MAX_PAGE_VISITS + 20 {
            let view = Request::Captured {
                url: format!("{TOKENS_PAGE}?q={n}"),
                captures: vec![json(TOKENS_LIMIT_1, body.clone(), None)],
                missing: Vec::new(),
            };
            answered(block_on(b.handle(view, &console())));
        }
        let pages = inventory(&b).pages;
        assert_eq!(pages.len(), MAX_PAGE_VISITS);
        assert!(
            pages
                .last()
                .unwrap()
                .url
                .ends_with(&format!("?q={}", MAX_PAGE_VISITS + 19))
        );
        assert!(pages[0].url.ends_with("?q=20"), "{}", pages[0].url);
    }

    #[test]
    fn each_aws_account_is_an_inventory_of_its_own() {
        let b = brain(Vec::new());
        let mut sender = console();
        sender.url =
            "http://127.0.0.1:9/us-east-1.console.aws.amazon.com/iam/home#/credential_report"
                .into();
        for account in ["111122223333", "444455556666"] {
            let (tenant, _) = badged(block_on(b.handle(aws_report(account), &sender)));
            assert_eq!(tenant, format!("aws:{account}"));
        }
        // The second account's report, at the same URL, did not replace the first's.
        let tenants = tenants(&b);
        let names: Vec<&str> = tenants.iter().map(|t| t.tenant.as_str()).collect();
        assert_eq!(names, ["aws:111122223333", "aws:444455556666"]);
        assert!(tenants.iter().all(|t| t.identities > 0), "{names:?}");
    }

    #[test]
    fn each_entra_directory_is_an_inventory_of_its_own() {
        let b = brain(Vec::new());
        let sender = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps".into(),
            ..console()
        };
        // The same list URL in two directories, each named by the account menu; then one whose
        // menu is not drawn yet.
        let list = "http://127.0.0.1:9/graph.microsoft.com/v1.0/servicePrincipals";
        let sp = |app: &str| {
            format!(
                r#"{{"value":[{{"id":"sp-{app}","appId":"{app}","displayName":"App {app}","servicePrincipalType":"Application","appOwnerOrganizationId":"t1"}}]}}"#
            )
        };
        let menu = |name: &str| Capture::Dom {
            region: console::TENANT_REGION.into(),
            html: format!(r#"<div class="fxs-avatarmenu-tenant">{name}</div>"#),
        };
        for (directory, app) in [("Acme Corporation", "a1"), ("Globex", "g1")] {
            let (tenant, _) = badged(block_on(b.handle(
                sent(vec![json(list, sp(app), None), menu(directory)]),
                &sender,
            )));
            assert_eq!(
                tenant,
                format!("entra:{}", directory.to_lowercase().replace(' ', "-"))
            );
        }
        let (tenant, _) = badged(block_on(
            b.handle(sent(vec![json(list, sp("u1"), None)]), &sender),
        ));
        assert_eq!(tenant, "entra:entra.microsoft.com");
        let tenants = tenants(&b);
        let names: Vec<&str> = tenants.iter().map(|t| t.tenant.as_str()).collect();
        assert_eq!(
            names,
            [
                "entra:acme-corporation",
                "entra:entra.microsoft.com",
                "entra:globex"
            ]
        );
        assert!(tenants.iter().all(|t| t.identities == 1), "{names:?}");
    }

    #[test]
    fn an_app_fetched_again_after_a_change_says_what_it_holds_over_the_list_read_before() {
        let b = brain(Vec::new());
        let sender = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/a1".into(),
            ..console()
        };
        let graph = "http://127.0.0.1:9/graph.microsoft.com/v1.0";
        let secret = r#"{"keyId":"k1","displayName":"old","startDateTime":"2024-01-01T00:00:00Z","endDateTime":"2099-01-01T00:00:00Z"}"#;
        let app = |secrets: &str| {
            format!(
                r#""id":"o1","appId":"a1","displayName":"Payroll sync","requiredResourceAccess":[],"passwordCredentials":[{secrets}],"keyCredentials":[]"#
            )
        };
        let list = |secrets: &str| {
            json(
                format!("{graph}/applications"),
                format!(
                    r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{{{}}}]}}"#,
                    app(secrets)
                ),
                None,
            )
        };
        let one = |secrets: &str| {
            json(
                format!("{graph}/applications(appId='a1')"),
                format!(
                    r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications/$entity",{}}}"#,
                    app(secrets)
                ),
                None,
            )
        };
        let secrets = |b: &Brain<TestHost>| {
            let inventory = inventory_of(b, ENTRA);
            let identities = inventory.report["identities"].as_array().unwrap().clone();
            assert_eq!(identities.len(), 1, "{identities:?}");
            identities[0]["oldest_secret_at"].is_string()
        };
        block_on(b.handle(sent(vec![list(secret)]), &sender));
        assert!(secrets(&b));
        // The secret is deleted on the blade, which fetches the app again a minute later.
        b.host.later.set(1);
        block_on(b.handle(sent(vec![one("")]), &sender));
        assert!(!secrets(&b));
        // So after the worker restarts, from what it stored.
        let again = restarted(&b, Vec::new());
        again.host.later.set(2);
        assert!(!secrets(&again));
        // And the list, loaded again later, says what it holds then, though it was read first.
        again.host.later.set(3);
        block_on(again.handle(sent(vec![list(secret)]), &sender));
        assert!(secrets(&again));
        // The app deleted: the list read whole without it takes the app read alone with it.
        again.host.later.set(4);
        block_on(again.handle(sent(vec![one("")]), &sender));
        again.host.later.set(5);
        let without = json(
            format!("{graph}/applications"),
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[]}"#,
            None,
        );
        block_on(again.handle(sent(vec![without]), &sender));
        let inventory = inventory_of(&again, ENTRA);
        assert_eq!(inventory.report["identities"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn a_self_managed_instance_is_read_once_added_as_an_inventory_of_its_own() {
        let b = brain(Vec::new());
        let host = "http://127.0.0.1:9/gitlab.corp.example";
        let mut sender = console();
        sender.url = format!("{host}/groups/acme/-/settings/access_tokens");
        let tokens =
            include_str!("../../tests/consoles/gitlab.com/api/v4/groups/acme/access_tokens.json");
        let capture = |api_host: &str| {
            let api = format!("{api_host}/api/v4/groups/acme/access_tokens?per_page=4");
            json_capture(&sender.url, &api, tokens.into(), None)
        };
        // Not added: not read.
        let plan = block_on(b.handle(Request::Plan { url: String::new() }, &sender));
        assert_eq!(
            plan,
            Reply::Plan {
                plan: None,
                off: false
            }
        );
        assert!(matches!(
            block_on(b.handle(capture(host), &sender)),
            Reply::Error { .. }
        ));

        let mut options = Options::default();
        options.instances.push(console::Instance {
            platform: nhi_lens::model::Platform::Gitlab,
            host: "gitlab.corp.example".into(),
        });
        // What the options page could not check, the worker does.
        for (platform, host) in [
            (nhi_lens::model::Platform::Gitlab, "gitlab.com"),
            (nhi_lens::model::Platform::Gitlab, "GitLab.corp.example"),
            (nhi_lens::model::Platform::Gitlab, "gitlab.corp.example"),
            (nhi_lens::model::Platform::Gitlab, "gitlab.com/gitlab"),
            (nhi_lens::model::Platform::Gitlab, "gitlab.corp.example/"),
            (nhi_lens::model::Platform::Gitlab, "code.corp.example/../x"),
            (nhi_lens::model::Platform::Okta, "sso.corp.example"),
        ] {
            let mut bad = options.clone();
            bad.instances.push(console::Instance {
                platform,
                host: host.into(),
            });
            let reply = block_on(b.handle(
                Request::SetOptions {
                    options: bad,
                    read: None,
                },
                &panel(),
            ));
            assert!(matches!(reply, Reply::Error { .. }), "{host}: {reply:?}");
        }
        block_on(b.handle(
            Request::SetOptions {
                options,
                read: None,
            },
            &panel(),
        ));
        let Reply::Plan {
            plan: Some(plan), ..
        } = block_on(b.handle(Request::Plan { url: String::new() }, &sender))
        else {
            panic!("no plan on the instance")
        };
        assert_eq!(plan.tenant, "gitlab:acme@gitlab.corp.example");
        // The content script keeps the instance's responses, not gitlab.com's.
        assert!(!plan.api.is_empty());
        for re in &plan.api {
            assert!(
                re.contains(r"gitlab\.corp\.example\/") && !re.contains(r"gitlab\.com"),
                "{re}"
            );
        }
        // Nor does the worker: gitlab.com's answer to the call, sent from the instance's page.
        let gitlab = "http://127.0.0.1:9/gitlab.com";
        let (_, ignored) = badged(block_on(b.handle(capture(gitlab), &sender)));
        assert!(ignored.is_empty(), "{ignored:?}");

        let (tenant, on_instance) = badged(block_on(b.handle(capture(host), &sender)));
        assert_eq!(tenant, "gitlab:acme@gitlab.corp.example");
        assert!(!on_instance.is_empty());
        // Its numbers are its own: its IDs name its host.
        assert!(
            on_instance
                .iter()
                .all(|id| id.ends_with("@gitlab.corp.example")),
            "{on_instance:?}"
        );

        // gitlab.com's group of the same name, with the same token numbers: an inventory apart,
        // and an export of everything keeps both.
        let mut hosted = sender.clone();
        hosted.url = format!("{gitlab}/groups/acme/-/settings/access_tokens");
        let (tenant, on_gitlab) = badged(block_on(b.handle(capture(gitlab), &hosted)));
        assert_eq!(tenant, "gitlab:acme");
        let mut expected: Vec<String> = on_instance
            .iter()
            .map(|id| id.trim_end_matches("@gitlab.corp.example").to_string())
            .collect();
        expected.sort();
        assert_eq!(on_gitlab, expected);
        let (_, text) = export(&b, None, "json", None);
        let exported: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut ids = identity_ids(&exported);
        ids.sort();
        let mut both: Vec<&str> = on_gitlab
            .iter()
            .chain(&on_instance)
            .map(String::as_str)
            .collect();
        both.sort();
        assert_eq!(ids, both);
        let names: Vec<String> = tenants(&b).into_iter().map(|t| t.tenant).collect();
        assert_eq!(names, ["gitlab:acme", "gitlab:acme@gitlab.corp.example"]);

        // A card opens in a window only for the instance's page, for its own tenant.
        let open = |tenant: &str, from: &Sender| {
            block_on(b.handle(
                Request::OpenCard {
                    tenant: tenant.into(),
                    id: on_instance[0].clone(),
                    url: String::new(),
                },
                from,
            ))
        };
        assert_eq!(
            open("gitlab:acme@gitlab.corp.example", &sender),
            Reply::Done
        );
        for (tenant, from) in [
            ("gitlab:acme", &sender),
            ("gitlab:other@gitlab.corp.example", &sender),
            ("gitlab:acme", &hosted),
        ] {
            assert!(
                matches!(open(tenant, from), Reply::Error { .. }),
                "{tenant}"
            );
        }
    }

    #[test]
    fn an_instance_under_a_path_reads_its_pages_below_that_path_as_gitlab_com_at_its_root() {
        let b = brain(Vec::new());
        let mut options = Options::default();
        options.instances.push(console::Instance {
            platform: nhi_lens::model::Platform::Gitlab,
            host: "code.corp.example/gitlab".into(),
        });
        block_on(b.handle(
            Request::SetOptions {
                options,
                read: None,
            },
            &panel(),
        ));
        // GitLab 17's project token page, which renders its tokens into the page: the project
        // is the one its URL names below the root, never `gitlab/acme/legacy`.
        let legacy = include_str!(
            "../../tests/consoles/gitlab.com/acme/legacy/-/settings/access_tokens.html"
        );
        let rendered = legacy
            .lines()
            .find(|l| l.contains(r#"id="js-access-token-table-app""#))
            .unwrap()
            .trim();
        let mut sender = console();
        sender.url =
            "http://127.0.0.1:9/code.corp.example/gitlab/acme/legacy/-/settings/access_tokens"
                .into();
        let page = Request::Captured {
            url: sender.url.clone(),
            captures: vec![Capture::Dom {
                region: "rendered tokens".into(),
                html: rendered.into(),
            }],
            missing: Vec::new(),
        };
        let (tenant, found) = badged(block_on(b.handle(page, &sender)));
        assert_eq!(tenant, "gitlab:acme@code.corp.example/gitlab");
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|id| id.ends_with("@code.corp.example/gitlab")),
            "{found:?}"
        );
        // A group page's own list (`…/-/settings/access_tokens.json`), requested under the
        // root: the group is the one below it, never the project `gitlab/groups/acme/sub`.
        let tokens =
            include_str!("../../tests/consoles/gitlab.com/api/v4/groups/acme/access_tokens.json");
        let mut group_page = sender.clone();
        group_page.url =
            "http://127.0.0.1:9/code.corp.example/gitlab/groups/acme/sub/-/settings/access_tokens"
                .into();
        let list = format!("{}.json", group_page.url);
        let (group_tenant, _) = badged(block_on(b.handle(
            json_capture(&group_page.url, &list, tokens.into(), None),
            &group_page,
        )));
        assert_eq!(group_tenant, tenant);
        let report = inventory_of(&b, &tenant).report;
        let mut locations: Vec<(String, &str)> = report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let id = i["id"].as_str().unwrap();
                (
                    id.split(':')
                        .nth(2)
                        .unwrap()
                        .split('@')
                        .next()
                        .unwrap()
                        .to_string(),
                    i["location"].as_str().unwrap_or(""),
                )
            })
            .collect();
        locations.sort();
        assert_eq!(
            locations,
            [
                ("101".to_string(), "group acme/sub"),
                ("102".to_string(), "group acme/sub"),
                ("103".to_string(), "group acme/sub"),
                ("104".to_string(), "group acme/sub"),
                ("9101".to_string(), "project acme/legacy"),
                ("9102".to_string(), "project acme/legacy"),
            ]
        );
        // Its export's file name has no folder in it.
        let (filename, _) = export(&b, Some(&tenant), "json", None);
        assert!(
            filename.starts_with("nhi-lens-gitlab-acme@code.corp.example-gitlab-"),
            "{filename}"
        );
    }

    #[test]
    fn writes_storage_refused_are_made_again_and_said_until_they_are_or_given_up() {
        let b = brain(Vec::new());
        let tokens = format!("[{}]", token("00T1", "ci", "2020-01-01T00:00:00.000Z"));
        // The store's layout is written first, as a browser's first message does.
        assert!(tenants(&b).is_empty());
        b.host.storage.refuse_writes.set(true);
        // The page has its badges; the writes after the answer fail.
        let (_, ids) = badged(block_on(
            b.handle(captured(tokens.clone(), None), &console()),
        ));
        assert_eq!(ids, ["okta:api_token:00T1"]);
        assert!(
            block_on(b.flush())
                .unwrap_err()
                .contains("QuotaExceededError")
        );
        // The next answer says why, until the writes are made.
        let reply = block_on(b.handle(Request::Tenants, &panel()));
        assert!(
            matches!(&reply, Reply::Error { message } if message.contains("could not keep")),
            "{reply:?}"
        );
        b.host.storage.refuse_writes.set(false);
        assert_eq!(tenants(&b).len(), 1);
        let again = restarted(&b, Vec::new());
        assert_eq!(
            identity_ids(&inventory(&again).report),
            ["okta:api_token:00T1"]
        );

        // Refused three times, they are given up, and nothing is shown that is not kept.
        let b = brain(Vec::new());
        assert!(tenants(&b).is_empty());
        b.host.storage.refuse_writes.set(true);
        badged(block_on(b.handle(captured(tokens, None), &console())));
        assert!(block_on(b.flush()).is_err());
        assert!(block_on(b.flush()).is_err());
        assert!(block_on(b.flush()).is_err());
        b.host.storage.refuse_writes.set(false);
        assert!(tenants(&b).is_empty());
        assert!(block_on(b.flush()).is_ok());
    }

    #[test]
    fn an_unreadable_inventory_hides_no_other_and_can_be_forgotten() {
        let b = brain(Vec::new());
        badged(block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "ci", "2020-01-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        )));
        // Another tenant's state cut short (a write that failed half way, a downgrade).
        block_on(b.host.storage.set(vec![
            ("tenants".into(), r#"["okta:acme","okta:broken"]"#.into()),
            ("tenant:okta:broken".into(), r#"{"identities":"#.into()),
        ]))
        .unwrap();
        let listed = tenants(&b);
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert_eq!(listed[0].unreadable, None);
        assert_eq!(listed[0].identities, 1);
        let why = listed[1].unreadable.as_deref().expect("named unreadable");
        assert!(why.contains("tenant:okta:broken"), "{why}");
        // Everything is exported still, the unreadable inventory named among its errors.
        let (_, text) = export(&b, None, "json", None);
        let exported: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(identity_ids(&exported), ["okta:api_token:00T1"]);
        assert!(text.contains("okta:broken"), "{text}");
        // A CSV or OCSF file has no place for it: the reply counts it for the panel to say so.
        for (format, left_out) in [
            ("csv", 1),
            ("ocsf", 1),
            ("json", 0),
            ("md", 0),
            ("sarif", 0),
        ] {
            let request = Request::Export {
                tenant: None,
                format: format.into(),
                ids: None,
            };
            match block_on(b.handle(request, &panel())) {
                Reply::Export { unread, .. } => assert_eq!(unread, left_out, "{format}"),
                other => panic!("{other:?}"),
            }
        }
        // And it can be forgotten.
        let forget = Request::ForgetTenant {
            tenant: "okta:broken".into(),
        };
        assert_eq!(block_on(b.handle(forget, &panel())), Reply::Done);
        assert_eq!(tenants(&b).len(), 1);
    }

    #[test]
    fn clear_all_empties_a_store_no_other_request_can_read() {
        // A newer version's layout refuses every request; options cut short refuse theirs.
        for (key, text) in [("schema", "99"), ("options", "{")] {
            let b = brain(Vec::new());
            block_on(b.host.storage.set(vec![
                (key.into(), text.into()),
                ("tenants".into(), r#"["okta:acme"]"#.into()),
            ]))
            .unwrap();
            let refused = block_on(b.handle(Request::GetOptions, &panel()));
            assert!(matches!(refused, Reply::Error { .. }), "{key}: {refused:?}");
            assert_eq!(block_on(b.handle(Request::ClearAll, &panel())), Reply::Done);
            assert!(tenants(&b).is_empty(), "{key}");
            let options = block_on(b.handle(Request::GetOptions, &panel()));
            assert!(
                matches!(options, Reply::Options { .. }),
                "{key}: {options:?}"
            );
        }
    }

    #[test]
    fn an_okta_cells_org_is_read_as_an_inventory_apart_from_its_namesake() {
        let b = brain(Vec::new());
        let tokens =
            include_str!("../../tests/consoles/acme-admin.okta.com/api/v1/api-tokens.json");
        let capture = |page: &Sender, api_host: &str| {
            let api = format!("http://127.0.0.1:9/{api_host}/api/v1/api-tokens");
            let request = json_capture(&page.url, &api, tokens.into(), None);
            badged(block_on(b.handle(request, page)))
        };
        let mut emea = console();
        emea.url = "http://127.0.0.1:9/acme-admin.okta-emea.com/admin/access/api/tokens".into();
        // The production cell's answer to the call, sent from the EMEA org's page, is not its.
        let (_, ignored) = capture(&emea, "acme.okta.com");
        assert!(ignored.is_empty(), "{ignored:?}");
        let (tenant, in_emea) = capture(&emea, "acme-admin.okta-emea.com");
        assert_eq!(tenant, "okta:acme@okta-emea.com");
        assert!(!in_emea.is_empty());
        assert!(
            in_emea.iter().all(|id| id.ends_with("@okta-emea.com")),
            "{in_emea:?}"
        );
        // The org of the same name on okta.com keeps its own inventory.
        let mut own = console();
        own.url = "http://127.0.0.1:9/acme-admin.okta.com/admin/access/api/tokens".into();
        let (tenant, in_own) = capture(&own, "acme-admin.okta.com");
        assert_eq!(tenant, "okta:acme");
        let mut expected: Vec<String> = in_emea
            .iter()
            .map(|id| id.trim_end_matches("@okta-emea.com").to_string())
            .collect();
        expected.sort();
        assert_eq!(in_own, expected);
        let names: Vec<String> = tenants(&b).into_iter().map(|t| t.tenant).collect();
        assert_eq!(names, ["okta:acme", "okta:acme@okta-emea.com"]);
    }

    #[test]
    fn each_answer_of_a_graph_batch_is_kept_as_the_call_it_answers() {
        let b = brain(Vec::new());
        let view = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps".into(),
            ..console()
        };
        let batch = |calls: &[(&str, &str)], answers: &[(&str, &str)]| Capture::Json {
            url: "http://127.0.0.1:9/graph.microsoft.com/v1.0/$batch".into(),
            body: format!(
                r#"{{"responses":[{}]}}"#,
                answers
                    .iter()
                    .map(|(id, body)| format!(r#"{{"id":"{id}","status":200,"body":{body}}}"#))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            link: None,
            // What else the console sent with it is never kept.
            request: Some(format!(
                r#"{{"requests":[{}],"note":"REQUESTMARKER"}}"#,
                calls
                    .iter()
                    .map(|(id, url)| format!(r#"{{"id":"{id}","method":"GET","url":"{url}"}}"#))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        };
        let sp = |app: &str, name: &str| {
            format!(
                r#"{{"value":[{{"id":"sp-{app}","appId":"{app}","displayName":"{name}","servicePrincipalType":"Application","appOwnerOrganizationId":"t1"}}]}}"#
            )
        };
        // Two batches to the one URL, each asking for one app, beside the signed-in user.
        for (app, name) in [("a1", "Payroll Sync"), ("a2", "CI Deployer")] {
            let filter = format!("/servicePrincipals?$filter=appId eq '{app}'");
            let capture = batch(
                &[("1", "/me"), ("2", &filter)],
                &[("1", r#"{"displayName":"Dana"}"#), ("2", &sp(app, name))],
            );
            let ask = Request::Captured {
                url: String::new(),
                captures: vec![capture],
                missing: Vec::new(),
            };
            answered(block_on(b.handle(ask, &view)));
        }
        let report = inventory_of(&b, ENTRA).report;
        let names: Vec<&str> = report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"Payroll Sync") && names.contains(&"CI Deployer"));
        let mut sources: Vec<&str> = report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["source"].as_str().unwrap())
            .collect();
        sources.sort_unstable();
        assert_eq!(
            sources,
            [
                "https://graph.microsoft.com/v1.0/servicePrincipals?$filter=appId eq 'a1'",
                "https://graph.microsoft.com/v1.0/servicePrincipals?$filter=appId eq 'a2'",
            ]
        );
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert!(stored.keys().any(|k| is_capture_key(k)));
        assert!(
            stored
                .iter()
                .all(|(k, v)| !k.contains("REQUESTMARKER") && !v.contains("REQUESTMARKER"))
        );
    }

    #[test]
    fn an_admin_page_the_table_does_not_name_reads_its_lists_and_badges_the_inventory_too() {
        let b = brain(Vec::new());
        let tokens = format!("[{}]", token("00T1", "deploy", "2024-01-01T00:00:00.000Z"));
        let (_, read) = badged(block_on(b.handle(captured(tokens, None), &console())));
        assert_eq!(read, ["okta:api_token:00T1"]);
        let dashboard = Sender {
            tab_id: Some(8),
            url: "http://127.0.0.1:9/acme-admin.okta.com/admin/dashboard".into(),
            extension_page: false,
            frame_id: Some(0),
            top_url: None,
        };
        let Reply::Plan {
            plan: Some(plan), ..
        } = block_on(b.handle(Request::Plan { url: String::new() }, &dashboard))
        else {
            panic!("the dashboard is a page of the console")
        };
        assert_eq!(plan.page, "okta.other_admin_pages");
        assert!(plan.catch_all && !plan.known_only && plan.regions.is_empty());
        // Before it loads a list, it shows what the inventory holds, and is no visit.
        let nothing = sent(Vec::new());
        let (_, status, annotations) = answered(block_on(b.handle(nothing, &dashboard)));
        assert_eq!(status, PageStatus::NotRead { inventory: 1 });
        assert_eq!(annotations[0].keys, ["deploy"]);
        // Its apps list is read as the Applications page's is.
        let apps = || {
            sent(vec![json(
                "http://127.0.0.1:9/acme-admin.okta.com/api/v1/apps?limit=20",
                r#"[{"id":"0oa1","name":"oidc_client","label":"Inventory Sync","status":"ACTIVE","signOnMode":"OPENID_CONNECT","created":"2025-01-01T00:00:00.000Z","credentials":{"oauthClient":{"client_id":"0oa1","token_endpoint_auth_method":"client_secret_basic"}},"settings":{"oauthClient":{"grant_types":["client_credentials"],"application_type":"service"}}}]"#,
                None,
            )])
        };
        // A list it does not keep is no list loaded.
        let users = sent(vec![json(
            "http://127.0.0.1:9/acme-admin.okta.com/api/v1/users?q=da",
            "[]",
            None,
        )]);
        let (_, status, _) = answered(block_on(b.handle(users, &dashboard)));
        assert_eq!(status, PageStatus::NotRead { inventory: 1 });
        // Its apps list: the visit's first answer carried the inventory's badges, so this one
        // carries what it read.
        let (tenant, status, annotations) = answered(block_on(b.handle(apps(), &dashboard)));
        assert_eq!(tenant, "okta:acme");
        assert_eq!(status, read_whole(1));
        assert_eq!(annotations.len(), 1);
        assert!(annotations[0].id.starts_with("okta:") && annotations[0].id.contains("0oa1"));
        // The tab's counts are what the page read.
        let Reply::TabSummary {
            summary: Some(summary),
        } = block_on(b.handle(Request::TabSummary { tab_id: 8 }, &panel()))
        else {
            panic!()
        };
        let counted = summary.critical + summary.high + summary.medium + summary.low + summary.none;
        assert_eq!(
            (summary.page.as_str(), counted),
            ("okta.other_admin_pages", 1)
        );
        // A new visit (the page asks for its plan again) whose first answer carries a list gets
        // its own identity, and the token another page read, found there by its name only.
        block_on(b.handle(Request::Plan { url: String::new() }, &dashboard));
        let (_, _, again) = answered(block_on(b.handle(apps(), &dashboard)));
        let found: Vec<(&str, &[String])> = again
            .iter()
            .map(|a| (a.id.as_str(), a.keys.as_slice()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].0.contains("0oa1"));
        assert_eq!(
            found[1],
            ("okta:api_token:00T1", &["deploy".to_string()][..])
        );
        // Another tab on the same page is a visit of its own.
        let other = Sender {
            tab_id: Some(9),
            ..dashboard.clone()
        };
        let (_, beside) = badged(block_on(b.handle(apps(), &other)));
        assert_eq!(beside.len(), 2);
    }

    #[test]
    fn a_tab_whose_frame_was_read_keeps_that_summary_until_the_tab_moves_on() {
        let b = brain(Vec::new());
        let top = Sender {
            url: "http://127.0.0.1:9/acme-admin.okta.com/report/system_log_2".into(),
            ..console()
        };
        let framed = Sender {
            frame_id: Some(3),
            ..console()
        };
        let summary = |b: &Brain<TestHost>| {
            let Reply::TabSummary {
                summary: Some(summary),
            } = block_on(b.handle(Request::TabSummary { tab_id: 7 }, &panel()))
            else {
                panic!("no summary")
            };
            summary.page
        };
        let plan = || Request::Plan { url: String::new() };
        let nothing = || sent(Vec::new());
        block_on(b.handle(plan(), &top));
        let tokens = format!("[{}]", token("00T1", "deploy", "2024-01-01T00:00:00.000Z"));
        // The framed page answers first, then the tab's own page, read for nothing.
        badged(block_on(b.handle(captured(tokens, None), &framed)));
        answered(block_on(b.handle(nothing(), &top)));
        assert_eq!(summary(&b), "okta.api_tokens_page");
        // The tab's page moved on: its own summary is the tab's again.
        block_on(b.handle(plan(), &top));
        answered(block_on(b.handle(nothing(), &top)));
        assert_eq!(summary(&b), "elsewhere");
        // So when the framed page moves on, and another frame's plan changes nothing.
        let tokens = format!("[{}]", token("00T1", "deploy", "2024-01-01T00:00:00.000Z"));
        badged(block_on(b.handle(captured(tokens, None), &framed)));
        let another = Sender {
            frame_id: Some(5),
            ..framed.clone()
        };
        block_on(b.handle(plan(), &another));
        answered(block_on(b.handle(nothing(), &top)));
        assert_eq!(summary(&b), "okta.api_tokens_page");
        block_on(b.handle(plan(), &framed));
        answered(block_on(b.handle(nothing(), &top)));
        assert_eq!(summary(&b), "elsewhere");
    }

    #[test]
    fn another_page_of_the_console_reads_nothing_and_badges_what_the_inventory_holds() {
        let b = brain(Vec::new());
        let log = Sender {
            tab_id: Some(8),
            url: "http://127.0.0.1:9/acme-admin.okta.com/report/system_log_2".into(),
            extension_page: false,
            frame_id: Some(0),
            top_url: None,
        };
        let Reply::Plan {
            plan: Some(plan), ..
        } = block_on(b.handle(Request::Plan { url: String::new() }, &log))
        else {
            panic!("the System Log is a page of the console")
        };
        assert!(plan.known_only && plan.api.is_empty() && plan.regions.is_empty());
        assert_eq!(plan.tenant, "okta:acme");
        // Whatever comes from the page is not read: a page script can send captures too.
        let ask = || {
            sent(vec![json(
                "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens",
                format!("[{}]", token("00T9", "planted", "2026-11-01T00:00:00.000Z")),
                None,
            )])
        };
        let (_, status, annotations) = answered(block_on(b.handle(ask(), &log)));
        assert_eq!(status, PageStatus::NotRead { inventory: 0 });
        assert!(annotations.is_empty());
        assert!(tenants(&b).is_empty(), "no inventory is made for it");

        let tokens = format!(
            "[{},{}]",
            token("00T1", "deploy", "2024-01-01T00:00:00.000Z"),
            token("00T2", "backup", "2026-11-01T00:00:00.000Z")
        );
        let (_, read) = badged(block_on(b.handle(captured(tokens, None), &console())));
        assert_eq!(read.len(), 2);
        let (tenant, status, annotations) = answered(block_on(b.handle(ask(), &log)));
        assert_eq!(status, PageStatus::NotRead { inventory: 2 });
        // Found there by name, never by a short ID another text on the page could be.
        let mut keys: Vec<&[String]> = annotations.iter().map(|a| a.keys.as_slice()).collect();
        keys.sort();
        assert_eq!(keys, [["backup"], ["deploy"]]);
        let mut ids: Vec<String> = annotations.into_iter().map(|a| a.id).collect();
        ids.sort();
        assert_eq!((tenant, ids), ("okta:acme".to_string(), read.clone()));
        // A frame of the tab read for nothing leaves the tab's own summary as it is.
        let frame = Sender {
            tab_id: Some(7),
            frame_id: Some(3),
            ..log.clone()
        };
        let (_, framed) = badged(block_on(b.handle(ask(), &frame)));
        assert_eq!(framed, read);
        let Reply::TabSummary {
            summary: Some(tokens_page),
        } = block_on(b.handle(Request::TabSummary { tab_id: 7 }, &panel()))
        else {
            panic!()
        };
        assert_eq!(tokens_page.page, "okta.api_tokens_page");
        // It is no page of the inventory's, and the popup tells what it is.
        let pages = visits(&b);
        let visited: Vec<&str> = pages.iter().map(|p| p.page.as_str()).collect();
        assert_eq!(visited, ["okta.api_tokens_page"]);
        let Reply::TabSummary {
            summary: Some(summary),
        } = block_on(b.handle(Request::TabSummary { tab_id: 8 }, &panel()))
        else {
            panic!()
        };
        assert_eq!(
            (summary.page.as_str(), summary.status),
            ("elsewhere", PageStatus::NotRead { inventory: 2 })
        );
        // Off for the console: off on all its pages.
        let mut options = Options::default();
        options.disabled_platforms.push("okta".into());
        block_on(b.handle(
            Request::SetOptions {
                options,
                read: None,
            },
            &panel(),
        ));
        let reply = block_on(b.handle(ask(), &log));
        assert!(
            matches!(
                reply,
                Reply::Annotations {
                    status: PageStatus::Disabled,
                    ref annotations,
                    ..
                } if annotations.is_empty()
            ),
            "{reply:?}"
        );
    }

    #[test]
    fn another_aws_page_badges_from_the_inventory_of_the_account_its_session_names() {
        let b = brain(Vec::new());
        let mut sender = console();
        sender.url =
            "http://127.0.0.1:9/us-east-1.console.aws.amazon.com/iam/home#/credential_report"
                .into();
        let (_, read) = badged(block_on(b.handle(aws_report("111122223333"), &sender)));
        assert!(!read.is_empty());
        sender.url = "http://127.0.0.1:9/us-east-1.console.aws.amazon.com/iam/home#/roles".into();
        let Request::Captured { captures, .. } = aws_report("111122223333") else {
            unreachable!()
        };
        // The roles page sends the region naming the account, and the content script's one ask.
        let tenant_region: Vec<Capture> = captures
            .into_iter()
            .filter(|c| matches!(c, Capture::Dom { .. }))
            .collect();
        let ask = Request::Captured {
            url: String::new(),
            captures: tenant_region,
            missing: Vec::new(),
        };
        assert_eq!(
            badged(block_on(b.handle(ask, &sender))),
            ("aws:111122223333".to_string(), read)
        );
    }

    #[test]
    fn a_list_read_again_from_its_first_page_drops_the_pages_it_no_longer_has() {
        let b = brain(vec![
            (tokens_after("1"), token_page("00T2"), None),
            (tokens_after("9"), token_page("00T3"), None),
        ]);
        let first = || token_page("00T1");
        block_on(b.handle(
            captured(first(), rel_next(&tokens_after("1")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T2"]);
        // The cursor moved: the old second page is not the list's any more.
        block_on(b.handle(
            captured(first(), rel_next(&tokens_after("9")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T3"]);
        // The list fits one page now.
        block_on(b.handle(captured(first(), None), &console()));
        assert_eq!(native_ids(&b), ["00T1"]);
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert_eq!(stored.keys().filter(|k| is_capture_key(k)).count(), 1);
    }

    #[test]
    fn a_walk_that_meets_a_failing_page_of_another_list_drops_nothing() {
        let b = brain(vec![
            (
                tokens_after("2"),
                token_page("00T2"),
                rel_next(&tokens_after("3")),
            ),
            (
                tokens_after("3"),
                token_page("00T3"),
                rel_next(&tokens_after("4")),
            ),
            (tokens_after("4"), token_page("00T4"), None),
        ]);
        let first = || token_page("00T1");
        block_on(b.handle(
            captured(first(), rel_next(&tokens_after("2")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b).len(), 4);
        // One message holds the console's first and second pages; the third fails now.
        let later = restarted(&b, vec![(tokens_after("4"), token_page("00T4"), None)]);
        let both = sent(vec![
            json(TOKENS_LIMIT_1, first(), rel_next(&tokens_after("2"))),
            json(
                tokens_after("2"),
                token_page("00T2"),
                rel_next(&tokens_after("3")),
            ),
        ]);
        block_on(later.handle(both, &console()));
        assert_eq!(
            native_ids(&later).len(),
            4,
            "the pages after the one that failed are kept"
        );
    }

    #[test]
    fn the_pages_after_a_dropped_page_go_with_it() {
        let b = brain(vec![
            (
                tokens_after("2"),
                token_page("00T2"),
                rel_next(&tokens_after("3")),
            ),
            (tokens_after("3"), token_page("00T3"), None),
            (tokens_after("9"), token_page("00T9"), None),
        ]);
        let first = || token_page("00T1");
        block_on(b.handle(
            captured(first(), rel_next(&tokens_after("2")).as_deref()),
            &console(),
        ));
        // The admin opens the second page: it is read from there, its third page under it.
        let second = sent(vec![json(
            tokens_after("2"),
            token_page("00T2"),
            rel_next(&tokens_after("3")),
        )]);
        block_on(b.handle(second, &console()));
        assert_eq!(native_ids(&b), ["00T1", "00T2", "00T3"]);
        // Read again from the first page, whose next page moved: the old second and third go.
        block_on(b.handle(
            captured(first(), rel_next(&tokens_after("9")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T9"]);
        // What the tenant lists of its pages was saved, with the list each came from.
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert!(stored.values().any(|v| v.contains("\"paged_from\"")));
    }

    #[test]
    fn a_list_the_console_pages_through_with_its_own_tokens_keeps_each_place_once() {
        let b = brain(Vec::new());
        let view = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps".into(),
            ..console()
        };
        const FIRST: &str = "https://graph.microsoft.com/v1.0/servicePrincipals?$top=1";
        let url = |source: &str| source.replace("https://", "http://127.0.0.1:9/");
        let token =
            |t: &str| format!("https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken={t}");
        // A Graph page of one app, with the link to the next page if there is one (written after
        // the list on odd pages, as some lists do).
        let page = |app: &str, next: Option<&str>| {
            let sp = format!(
                r#"{{"id":"sp-{app}","appId":"{app}","displayName":"App {app}","servicePrincipalType":"Application","appOwnerOrganizationId":"t1"}}"#
            );
            match next {
                Some(n) if app.ends_with(['1', '3', '5', '7', '9']) => {
                    format!(r#"{{"value":[{sp}],"@odata.nextLink":"{n}"}}"#)
                }
                Some(n) => format!(r#"{{"@odata.nextLink":"{n}","value":[{sp}]}}"#),
                None => format!(r#"{{"value":[{sp}]}}"#),
            }
        };
        let load = |source: &str, body: String| {
            answered(block_on(
                b.handle(sent(vec![json(url(source), body, None)]), &view),
            ));
        };
        let apps = || {
            let report = inventory_of(&b, ENTRA).report;
            let mut ids: Vec<String> = report["identities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    i["name"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("App ")
                        .to_string()
                })
                .collect();
            ids.sort();
            ids
        };
        // The admin scrolls through three pages, one message each; nothing is fetched.
        load(FIRST, page("a1", Some(&token("A"))));
        load(&token("A"), page("a2", Some(&token("B"))));
        load(&token("B"), page("a3", None));
        assert_eq!(apps(), ["a1", "a2", "a3"]);
        // Later the list is loaded again: a2 was deleted, a4 added. Until the admin scrolls, the
        // pages not loaded again stay.
        load(FIRST, page("a1", Some(&token("C"))));
        assert_eq!(apps(), ["a1", "a2", "a3"]);
        // Each page loaded takes its place from the one before.
        load(&token("C"), page("a3", Some(&token("D"))));
        assert_eq!(apps(), ["a1", "a3"]);
        load(&token("D"), page("a4", Some(&token("E"))));
        assert_eq!(apps(), ["a1", "a3", "a4"]);
        // Another visit finds the list shorter: its last page ends it.
        load(FIRST, page("a1", Some(&token("F"))));
        load(&token("F"), page("a4", None));
        assert_eq!(apps(), ["a1", "a4"]);
        // An error the API answers in the list's place (a rate limit) takes nothing away.
        load(
            FIRST,
            r#"{"error":{"code":"TooManyRequests","message":"Retry"}}"#.into(),
        );
        assert_eq!(apps(), ["a1", "a4"]);
        // Two pages in one message, the later first, with a link whose quote the browser escaped
        // in the URL it loaded: still one list, the second page in the first's next place.
        let quoted = |t: &str| format!("{}&$filter=tags/any(t:t eq 'x')", token(t));
        let both = sent(vec![
            json(
                url(&quoted("G").replace('\'', "%27")),
                page("a6", None),
                None,
            ),
            json(url(FIRST), page("a5", Some(&quoted("G"))), None),
        ]);
        answered(block_on(b.handle(both, &view)));
        assert_eq!(apps(), ["a5", "a6"]);
        assert!(b.host.fetched.borrow().is_empty(), "Graph is never fetched");
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert_eq!(stored.keys().filter(|k| is_capture_key(k)).count(), 2);
    }

    #[test]
    fn a_graph_list_the_console_pages_through_counts_as_read_once_one_walk_reaches_its_end() {
        let b = brain(Vec::new());
        let at = |view: &str| Sender {
            url: format!("http://127.0.0.1:9/entra.microsoft.com/#view/{view}"),
            ..console()
        };
        let registrations = at("Microsoft_AAD_RegisteredApps/ApplicationsListBlade");
        let enterprise = at("Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps");
        let graph = "http://127.0.0.1:9/graph.microsoft.com/v1.0";
        let apps = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[{"id":"o9","appId":"a9","displayName":"Never consented"}]}"#;
        answered(block_on(b.handle(
            sent(vec![json(format!("{graph}/applications"), apps, None)]),
            &registrations,
        )));
        // Each page of the tenant's service principals, as the admin scrolls: none is the app's.
        let load = |token: Option<&str>, next: Option<&str>| {
            let url = match token {
                Some(t) => format!("{graph}/servicePrincipals?$skiptoken={t}"),
                None => format!("{graph}/servicePrincipals"),
            };
            let link = next
                .map(|n| format!(r#""@odata.nextLink":"https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken={n}","#))
                .unwrap_or_default();
            let body = format!(
                r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",{link}"value":[{{"id":"sp-{n}","appId":"other-{n}","displayName":"Other {n}","servicePrincipalType":"Application"}}]}}"#,
                n = token.unwrap_or("first")
            );
            answered(block_on(
                b.handle(sent(vec![json(url, body, None)]), &enterprise),
            ));
        };
        let unread = || {
            let report = inventory_of(&b, ENTRA).report;
            let app = report["identities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == "Never consented")
                .cloned()
                .unwrap();
            app["grants_unread"] == true
        };
        assert!(unread(), "no list of service principals read yet");
        load(None, Some("A"));
        assert!(unread(), "one page of two");
        load(Some("A"), None);
        assert!(
            !unread(),
            "every page read: the app has no service principal"
        );
        // The list loaded again later: until the admin scrolls to its end again, the page kept
        // from the walk before is no part of this one.
        b.host.later.set(60);
        load(None, Some("A"));
        assert!(unread());
        load(Some("A"), None);
        assert!(!unread());
    }

    #[test]
    fn every_answer_on_a_page_whose_list_goes_on_says_so_until_its_last_page_is_read() {
        let b = brain(Vec::new());
        let enterprise = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview".into(),
            ..console()
        };
        let graph = "http://127.0.0.1:9/graph.microsoft.com/beta/servicePrincipals";
        let page = |n: &str, next: Option<&str>| {
            let link = next
                .map(|t| format!(r#""@odata.nextLink":"https://graph.microsoft.com/beta/servicePrincipals?$skiptoken={t}","#))
                .unwrap_or_default();
            format!(
                r#"{{{link}"value":[{{"id":"sp-{n}","appId":"app-{n}","displayName":"App {n}","servicePrincipalType":"Application"}}]}}"#
            )
        };
        let grid = || Capture::Dom {
            region: "grid".into(),
            // The console's grid as the admin center draws it.
            html: include_str!("../../tests/fixtures/entra/console_enterprise_apps.html")
                .lines()
                .nth(1)
                .unwrap()
                .into(),
        };
        let partial = |request: Request| match answered(block_on(b.handle(request, &enterprise))).1
        {
            PageStatus::Read { partial, .. } => partial,
            other => panic!("{other:?}"),
        };
        let first = json(format!("{graph}?$top=1"), page("1", Some("A")), None);
        assert!(partial(sent(vec![first])), "the first page of two");
        // The page's layout snapshot comes in an answer of its own, after the list.
        assert!(partial(sent(vec![grid()])), "the snapshot's answer");
        let second = json(format!("{graph}?$skiptoken=A"), page("2", None), None);
        assert!(!partial(sent(vec![second])), "the last page read");
        assert!(!partial(sent(vec![grid()])));
        // A search typed and cleared: its next page, never read, is no part of the page's list.
        let search = json(
            format!("{graph}?$search=%22App%22"),
            page("3", Some("S")),
            None,
        );
        assert!(partial(sent(vec![search])), "the search's own answer");
        assert!(!partial(sent(vec![grid()])), "the page's later answers");
    }

    #[test]
    fn a_list_the_portal_draws_in_a_frame_of_its_own_is_read_as_the_tabs_page_and_directory() {
        let b = brain(Vec::new());
        let enterprise = "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview";
        let top = console_at(enterprise);
        // The portal's React view, in a frame on a host of its own, which calls Graph.
        let frame = Sender {
            url: "http://127.0.0.1:9/sandbox-1.reactblade.portal.azure.net/reactview.html".into(),
            frame_id: Some(5),
            top_url: Some(enterprise.into()),
            ..console()
        };
        // The tab's page names its directory in the top bar; its own list never appears.
        let named = Capture::Dom {
            region: nhi_lens::console::TENANT_REGION.into(),
            html: r#"<div class="fxs-avatarmenu-tenant">Contoso</div>"#.into(),
        };
        block_on(b.handle(
            Request::Plan {
                url: enterprise.into(),
            },
            &top,
        ));
        let missing = Request::Captured {
            url: enterprise.into(),
            captures: vec![named],
            missing: vec!["grid".into()],
        };
        block_on(b.handle(missing.clone(), &top));
        assert!(matches!(
            tab_status(&b),
            Some(PageStatus::LayoutChanged { .. })
        ));
        // The frame's plan is the page's, of the directory the page named: it waits for no
        // region naming it.
        let framed = plan_of(&b, &frame);
        assert_eq!(framed.tenant, "entra:contoso");
        assert_eq!(framed.page, "entra.enterprise_apps");
        assert!(framed.regions.iter().all(|r| !r.every_capture));
        let apps = r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#servicePrincipals","value":[{"id":"sp-1","appId":"app-1","displayName":"Payroll Sync","servicePrincipalType":"Application"}]}"#;
        let graph = "http://127.0.0.1:9/graph.microsoft.com/beta/servicePrincipals";
        // The answer to a frame's capture of the list.
        let list_from = |frame: &Sender| {
            let list = Request::Captured {
                url: frame.url.clone(),
                captures: vec![json(graph, apps, None)],
                missing: Vec::new(),
            };
            answered(block_on(b.handle(list, frame)))
        };
        let (tenant, status, annotations) = list_from(&frame);
        assert_eq!(tenant, "entra:contoso");
        assert!(
            matches!(status, PageStatus::Read { identities: 1, .. }),
            "{status:?}"
        );
        assert_eq!(annotations.len(), 1);
        assert!(
            inventory_of(&b, "entra:contoso")
                .text
                .contains("Payroll Sync")
        );
        // The tab's page, missing the list its frame drew, no longer says the page changed: not
        // in the tab's summary, nor in the visits the side panel warns of.
        assert!(matches!(tab_status(&b), Some(PageStatus::Read { .. })));
        block_on(b.handle(missing, &top));
        assert!(matches!(tab_status(&b), Some(PageStatus::Read { .. })));
        let pages = inventory_of(&b, "entra:contoso").pages;
        assert!(
            pages
                .iter()
                .all(|p| !matches!(p.status, PageStatus::LayoutChanged { .. })),
            "{pages:?}"
        );
        // The tab's page moves on (a hash route) and its menu cannot be read: the frame's lists
        // stay its plan's directory's.
        block_on(b.handle(
            Request::Plan {
                url: enterprise.into(),
            },
            &top,
        ));
        let (tenant, ..) = list_from(&frame);
        assert_eq!(tenant, "entra:contoso");
        // The admin switches directory in the tab: its page, loaded anew, names Fabrikam in its
        // menu before it sends anything; the portal's new frame lists Fabrikam's apps.
        let frame = Sender {
            frame_id: Some(6),
            ..frame
        };
        b.host.top_pages.borrow_mut().insert(
            7,
            r#"<div class="fxs-avatarmenu-tenant">Fabrikam</div>"#.into(),
        );
        let (tenant, ..) = list_from(&frame);
        assert_eq!(tenant, "entra:fabrikam");
        // A frame of the page that shows no list (the portal's hidden frames) says nothing of
        // the page's layout.
        block_on(b.handle(
            Request::Captured {
                url: frame.url.clone(),
                captures: Vec::new(),
                missing: vec!["grid".into()],
            },
            &frame,
        ));
        assert!(
            matches!(tab_status(&b), Some(PageStatus::Read { .. })),
            "{:?}",
            tab_status(&b)
        );
        // Another tab, whose page has sent nothing yet (its list never appears there): the
        // frame's plan reads the directory from the page itself.
        let second = Sender {
            tab_id: Some(8),
            ..frame.clone()
        };
        b.host.top_pages.borrow_mut().insert(
            8,
            r#"<header><div class="fxs-avatarmenu-tenant">Fabrikam Ltd</div></header>"#.into(),
        );
        let framed = plan_of(&b, &second);
        assert_eq!(framed.tenant, "entra:fabrikam-ltd");
        assert!(framed.regions.iter().all(|r| !r.every_capture));
        // A frame on any other host is not the page's.
        let elsewhere = Sender {
            url: "http://127.0.0.1:9/evil.example/x.html".into(),
            ..frame.clone()
        };
        assert!(matches!(
            block_on(b.handle(
                Request::Plan {
                    url: elsewhere.url.clone()
                },
                &elsewhere
            )),
            Reply::Plan { plan: None, .. }
        ));
    }

    #[test]
    fn a_list_read_whole_drops_its_searches_read_before() {
        let b = brain(Vec::new());
        let tokens = |ids: &[&str]| {
            let list: Vec<String> = ids
                .iter()
                .map(|id| token(id, id, "2020-01-01T00:00:00.000Z"))
                .collect();
            format!("[{}]", list.join(","))
        };
        let api = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens";
        // The admin searched twice: one search asking for the same fields, one for more.
        block_on(b.handle(
            sent(vec![
                json(format!("{api}?q=ci"), tokens(&["00T1", "00T2"]), None),
                json(format!("{api}?q=old&expand=user"), tokens(&["00T3"]), None),
            ]),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T2", "00T3"]);
        // The whole list, cut short (its next page fails): nothing goes.
        block_on(b.handle(
            captured(tokens(&["00T1"]), rel_next(&tokens_after("1")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T2", "00T3"]);
        // A list whose paging is not understood (no `Link` header at all) is not known whole.
        block_on(b.handle(captured(tokens(&["00T1"]), None), &console()));
        assert_eq!(native_ids(&b), ["00T1", "00T2", "00T3"]);
        // Read whole (Okta's `Link` names the page itself, and no next one): 00T2 was revoked
        // since the search found it. The other search stays.
        let only_self = format!("<{TOKENS_LIMIT_1}>; rel=\"self\"");
        block_on(b.handle(captured(tokens(&["00T1"]), Some(&only_self)), &console()));
        assert_eq!(native_ids(&b), ["00T1", "00T3"]);

        // Graph says in its body where a list ends: a search, then the whole list.
        let view = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AllApps".into(),
            ..console()
        };
        let graph = "http://127.0.0.1:9/graph.microsoft.com/v1.0/servicePrincipals";
        let sps = |apps: &[&str]| {
            let list: Vec<String> = apps
                .iter()
                .map(|app| format!(r#"{{"id":"sp-{app}","appId":"{app}","displayName":"{app}","servicePrincipalType":"Application","appOwnerOrganizationId":"t1"}}"#))
                .collect();
            format!(
                r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals","value":[{}]}}"#,
                list.join(",")
            )
        };
        let entra = |b: &Brain<TestHost>| {
            inventory_of(b, ENTRA).report["identities"]
                .as_array()
                .unwrap()
                .len()
        };
        let search = json(
            format!("{graph}?$search=%22displayName:pay%22"),
            sps(&["a1", "a2"]),
            None,
        );
        block_on(b.handle(sent(vec![search]), &view));
        assert_eq!(entra(&b), 2);
        block_on(b.handle(
            sent(vec![json(format!("{graph}?$top=999"), sps(&["a1"]), None)]),
            &view,
        ));
        assert_eq!(entra(&b), 1, "the app deleted after the search stayed");
    }

    #[test]
    fn a_walk_the_background_cut_short_takes_no_page_s_place() {
        let pages = |second: &str| {
            vec![
                (
                    tokens_after("1"),
                    token_page(second),
                    rel_next(&tokens_after("2")),
                ),
                (tokens_after("2"), token_page("00T3"), None),
            ]
        };
        let b = brain(pages("00T2"));
        block_on(b.handle(
            captured(token_page("00T1"), rel_next(&tokens_after("1")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&b), ["00T1", "00T2", "00T3"]);
        // A token was made since: the pages shift, and the walk's second page fails. The old
        // second page (00T2 is on the page that failed now) stays.
        let later = restarted(
            &b,
            vec![(
                tokens_after("0"),
                token_page("00T1"),
                rel_next(&tokens_after("1")),
            )],
        );
        block_on(later.handle(
            captured(token_page("00T0"), rel_next(&tokens_after("0")).as_deref()),
            &console(),
        ));
        assert_eq!(native_ids(&later), ["00T0", "00T1", "00T2", "00T3"]);
    }

    #[test]
    fn a_page_an_older_version_kept_is_no_first_page_of_its_list() {
        let b = brain(vec![
            (
                tokens_after("2"),
                token_page("00T2"),
                rel_next(&tokens_after("3")),
            ),
            (tokens_after("3"), token_page("00T3"), None),
        ]);
        block_on(b.handle(
            captured(token_page("00T1"), rel_next(&tokens_after("2")).as_deref()),
            &console(),
        ));
        block_on(b.flush()).unwrap();
        // As an older version saved them: each page with its list, without its place or link.
        let later = restarted(&b, Vec::new());
        for value in later.host.storage.map.borrow_mut().values_mut() {
            if value.contains("\"paged_from\"") {
                let mut state: serde_json::Value = serde_json::from_str(value).unwrap();
                for capture in state["captures"].as_array_mut().unwrap() {
                    let capture = capture.as_object_mut().unwrap();
                    if capture.contains_key("paged_from") {
                        assert!(capture.remove("page").is_some(), "no place was saved");
                        capture.remove("next");
                    }
                }
                *value = state.to_string();
            }
        }
        // The admin opens the last page itself: the pages before it stay.
        let last = sent(vec![json(tokens_after("3"), token_page("00T3"), None)]);
        block_on(later.handle(last, &console()));
        assert_eq!(native_ids(&later), ["00T1", "00T2", "00T3"]);
    }

    #[test]
    fn an_okta_app_page_reads_the_app_it_loads() {
        let b = brain(Vec::new());
        let host = "http://127.0.0.1:9/acme-admin.okta.com";
        let page = Sender {
            url: format!("{host}/admin/app/oidc_client/instance/0oa1/"),
            ..console()
        };
        let app = sent(vec![json(
            format!("{host}/api/v1/apps/0oa1"),
            r#"{"id":"0oa1","name":"oidc_client","label":"Inventory Sync","status":"ACTIVE","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"client_id":"0oa1"}},"settings":{"oauthClient":{"grant_types":["client_credentials"],"application_type":"service"}}}"#,
            None,
        )]);
        let (tenant, ids) = badged(block_on(b.handle(app, &page)));
        assert_eq!(
            (tenant.as_str(), ids.as_slice()),
            ("okta:acme", &["okta:oauth_app:0oa1".to_string()][..])
        );
    }

    #[test]
    fn marking_a_review_takes_grown_permissions_as_reviewed_without_a_false_risk_down() {
        let b = brain(Vec::new());
        let host = "http://127.0.0.1:9/acme-admin.okta.com";
        let page = Sender {
            url: format!("{host}/admin/app/oidc_client/instance/0oa1/"),
            ..console()
        };
        let visit = |scopes: &[&str]| {
            let grants: Vec<String> = scopes
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    format!(
                        r#"{{"id":"oag{i}","status":"ACTIVE","created":"2025-03-03T08:30:00.000Z","issuer":"https://acme.okta.com","clientId":"0oa1","scopeId":"{s}","source":"ADMIN"}}"#
                    )
                })
                .collect();
            block_on(b.handle(
                sent(vec![
                    json(
                        format!("{host}/api/v1/apps/0oa1"),
                        r#"{"id":"0oa1","name":"oidc_client","label":"Inventory Sync","status":"ACTIVE","signOnMode":"OPENID_CONNECT","credentials":{"oauthClient":{"client_id":"0oa1"}},"settings":{"oauthClient":{"grant_types":["client_credentials"],"application_type":"service"}}}"#,
                        None,
                    ),
                    json(
                        format!("{host}/api/v1/apps/0oa1/grants"),
                        format!("[{}]", grants.join(",")),
                        None,
                    ),
                ]),
                &page,
            ));
        };
        let nl308 = |b: &Brain<TestHost>| {
            inventory(b).report["identities"][0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "NL308")
        };
        visit(&["okta.users.read"]);
        assert!(
            inventory(&b).changes.is_empty(),
            "the first look is the baseline"
        );
        // The app is granted user management since: its permissions grew.
        visit(&["okta.users.read", "okta.users.manage"]);
        let changes = inventory(&b).changes;
        assert!(
            changes
                .iter()
                .any(|c| matches!(c, Change::ScopesGrown { .. })),
            "{changes:?}"
        );
        assert!(nl308(&b));
        assert_eq!(
            block_on(b.handle(
                Request::MarkReviewed {
                    tenant: "okta:acme".into(),
                    seen: None,
                },
                &panel(),
            )),
            Reply::Done
        );
        // Reviewed as they are now: nothing grew since, and no risk went down either.
        assert!(!nl308(&b));
        assert_eq!(inventory(&b).changes, []);
    }

    #[test]
    fn a_page_whose_identities_come_in_its_lists_is_never_read_for_none_before_one_came() {
        let b = brain(Vec::new());
        let table = || {
            Capture::Dom {
            region: "api tokens".into(),
            html: r#"<div data-se="api-token-list"><table><thead><tr><th>Token name</th><th>Created</th></tr></thead><tbody><tr><td>Okta Terraform</td><td>2 years ago</td></tr></tbody></table></div>"#.into(),
        }
        };
        // The console drew its table from a list the plan does not name (or from what it kept):
        // still reading, never "no identities".
        let (_, status, _) = answered(block_on(b.handle(sent(vec![table()]), &console())));
        assert_eq!(status, PageStatus::Reading);
        assert_eq!(tab_status(&b), Some(PageStatus::Reading));
        // Its list in a shape NHI Lens does not know: the console changed.
        let (_, status, _) = answered(block_on(b.handle(
            sent(vec![
                table(),
                json(
                    TOKENS_LIMIT_1,
                    r#"[{"tokenId":"00T1","label":"Okta Terraform"}]"#,
                    None,
                ),
            ]),
            &console(),
        )));
        assert!(
            matches!(&status, PageStatus::LayoutChanged { detail } if detail.contains("shape NHI Lens does not know")),
            "{status:?}"
        );
        // An empty list is a tenant without tokens.
        let b = brain(Vec::new());
        let (_, status, _) = answered(block_on(b.handle(
            sent(vec![table(), json(TOKENS_LIMIT_1, "[]", None)]),
            &console(),
        )));
        assert!(
            matches!(status, PageStatus::Read { identities: 0, .. }),
            "{status:?}"
        );
    }

    #[test]
    fn a_tenant_keeps_its_latest_captures_only() {
        let b = brain(Vec::new());
        let search = |q: usize| {
            sent(vec![json(
                format!("http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens?q={q}"),
                token_page(&format!("00T{q}")),
                None,
            )])
        };
        for q in 0..=MAX_CAPTURES_PER_TENANT {
            block_on(b.handle(search(q), &console()));
            block_on(b.flush()).unwrap();
        }
        let Some(state) = block_on(b.store.tenant("okta:acme")).unwrap() else {
            panic!("no tenant")
        };
        assert_eq!(state.captures.len(), MAX_CAPTURES_PER_TENANT);
        let stored = b.host.storage.map.borrow();
        assert_eq!(
            stored.keys().filter(|k| is_capture_key(k)).count(),
            MAX_CAPTURES_PER_TENANT
        );
        drop(stored);
        // The one read first went (captures read at one time go in the order first seen); the
        // latest stayed.
        let ids = native_ids(&b);
        assert!(!ids.contains(&"00T0".to_string()));
        assert!(ids.contains(&format!("00T{MAX_CAPTURES_PER_TENANT}")));
    }

    #[test]
    fn past_the_cap_searches_of_a_list_go_before_the_list() {
        let b = brain(Vec::new());
        let list = |url: String, id: &str| sent(vec![json(url, token_page(id), None)]);
        let tokens = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens";
        block_on(b.handle(list(tokens.to_string(), "00TW"), &console()));
        block_on(b.flush()).unwrap();
        for q in 0..MAX_CAPTURES_PER_TENANT {
            let search = list(format!("{tokens}?q={q}"), &format!("00T{q}"));
            block_on(b.handle(search, &console()));
            block_on(b.flush()).unwrap();
        }
        let state = block_on(b.store.tenant("okta:acme")).unwrap().unwrap();
        assert_eq!(state.captures.len(), MAX_CAPTURES_PER_TENANT);
        // The list, read before every search, stayed; the search read first went.
        let ids = native_ids(&b);
        assert!(ids.contains(&"00TW".to_string()));
        assert!(!ids.contains(&"00T0".to_string()));
        assert!(ids.contains(&format!("00T{}", MAX_CAPTURES_PER_TENANT - 1)));
    }

    #[test]
    fn past_the_cap_lists_stay_and_the_records_kept_one_by_one_go_first() {
        let b = brain(vec![(tokens_after("1"), token_page("00T2"), None)]);
        let link = rel_next(&tokens_after("1"));
        // A list read a page at a time (its two pages count as one), and the apps list in one.
        block_on(b.handle(captured(token_page("00T1"), link.as_deref()), &console()));
        block_on(b.flush()).unwrap();
        let app = |id: &str| {
            format!(
                r#"{{"id":"{id}","name":"oidc_client","label":"App {id}","status":"ACTIVE","signOnMode":"OPENID_CONNECT","created":"2020-01-01T00:00:00.000Z","credentials":{{"oauthClient":{{"client_id":"{id}","token_endpoint_auth_method":"client_secret_basic"}}}},"settings":{{"oauthClient":{{"grant_types":["client_credentials"],"application_type":"service"}}}}}}"#
            )
        };
        let apps = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/apps";
        let list_page = Sender {
            url: "http://127.0.0.1:9/acme-admin.okta.com/admin/apps/active".into(),
            ..console()
        };
        let list = format!("[{},{}]", app("0oaL1"), app("0oaL2"));
        block_on(b.handle(sent(vec![json(apps, list, None)]), &list_page));
        block_on(b.flush()).unwrap();
        // More captures after them than the cap: each an app's own page, read one by one.
        for n in 0..=MAX_CAPTURES_PER_TENANT {
            let instance = Sender {
                url: format!(
                    "http://127.0.0.1:9/acme-admin.okta.com/admin/app/oidc_client/instance/0oa{n}/"
                ),
                ..console()
            };
            let one = json(format!("{apps}/0oa{n}"), app(&format!("0oa{n}")), None);
            block_on(b.handle(sent(vec![one]), &instance));
            block_on(b.flush()).unwrap();
        }
        let state = block_on(b.store.tenant("okta:acme")).unwrap().unwrap();
        // The token list's two pages, the apps list, and the apps read one by one since but
        // the three read first, which went before either list.
        assert_eq!(state.captures.len(), MAX_CAPTURES_PER_TENANT + 1);
        let ids = native_ids(&b);
        for kept in ["00T1", "00T2", "0oaL1", "0oaL2"] {
            assert!(ids.contains(&kept.to_string()), "{kept}");
        }
        for gone in ["0oa0", "0oa1", "0oa2"] {
            assert!(!ids.contains(&gone.to_string()), "{gone}");
        }
        assert!(ids.contains(&"0oa3".to_string()));
        assert!(ids.contains(&format!("0oa{MAX_CAPTURES_PER_TENANT}")));
    }

    #[test]
    fn a_page_the_session_cannot_fetch_again_keeps_what_it_held() {
        let b = brain(vec![(tokens_after("1"), token_page("00T2"), None)]);
        let first = || token_page("00T1");
        let link = rel_next(&tokens_after("1"));
        block_on(b.handle(captured(first(), link.as_deref()), &console()));
        // The next page fails this time (the host no longer answers it): it stays as it was.
        let gone = restarted(&b, Vec::new());
        block_on(gone.handle(captured(first(), link.as_deref()), &console()));
        assert_eq!(native_ids(&gone).len(), 2);
    }

    #[test]
    fn a_captured_page_is_scored_badged_paged_and_kept() {
        let next = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens?after=1";
        let b = brain(vec![(
            next.into(),
            format!("[{}]", token("00T2", "deploy", "2020-01-01T00:00:00.000Z")),
            None,
        )]);
        let (_, status, annotations) = answered(block_on(b.handle(
            captured(
                format!(
                    "[{}]",
                    token(
                        "00T1",
                        "<img src=x onerror=alert(1)>",
                        "2026-11-01T00:00:00.000Z"
                    )
                ),
                Some(&format!("<{next}>; rel=\"next\"")),
            ),
            &console(),
        )));
        // The status counts what the page read, its next page fetched in the session included.
        assert_eq!(status, read_whole(2));
        assert_eq!(b.host.fetched.borrow().as_slice(), [next]);
        let ids: Vec<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(
            annotations
                .iter()
                .any(|a| a.keys.contains(&"<img src=x onerror=alert(1)>".to_string()))
        );

        let report = inventory(&b).report;
        assert_eq!(report["identities"].as_array().unwrap().len(), 2);
        let Reply::TabSummary {
            summary: Some(summary),
        } = block_on(b.handle(Request::TabSummary { tab_id: 7 }, &panel()))
        else {
            panic!()
        };
        assert_eq!(summary.tenant, "okta:acme");
    }

    #[test]
    fn data_from_a_later_capture_of_the_page_redraws_the_earlier_badges() {
        let b = brain(vec![]);
        let first = block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "deploy", "2026-11-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        let (_, _, annotations) = answered(first);
        assert_eq!(annotations[0].owner, "00u1");
        // The console then loads the users its token list names.
        let second = block_on(b.handle(users("ACTIVE"), &console()));
        let (_, _, annotations) = answered(second);
        let token = annotations
            .iter()
            .find(|a| a.id.contains("00T1"))
            .expect("the token's badge comes again with the page's later data");
        assert_eq!(token.owner, "Dana Whitfield");
    }

    #[test]
    fn a_capture_reads_only_what_is_new_and_scores_as_if_all_were_read_anew() {
        let b = brain(vec![]);
        let two = format!(
            "[{},{}]",
            token("00T1", "deploy", "2020-01-01T00:00:00.000Z"),
            token("00T2", "backup", "2026-11-01T00:00:00.000Z")
        );
        let one = format!("[{}]", token("00T1", "deploy", "2020-01-01T00:00:00.000Z"));
        let steps = [
            captured(two, None),
            users("ACTIVE"),
            // The token list again, changed: only it is read again.
            captured(one, None),
            users("DEPROVISIONED"),
        ];
        for (n, step) in steps.into_iter().enumerate() {
            let read_before = b.texts_read.get();
            block_on(b.handle(step, &console()));
            let texts = b.texts.borrow()["okta:acme"].clone();
            // Only the capture's own text was read; the tenant's other one was kept as read.
            assert_eq!(b.texts_read.get() - read_before, 1, "step {n}");
            assert_eq!(texts.len(), if n == 0 { 1 } else { 2 });
            // The kept scoring is the one a fresh read of every text gives.
            let scores = b.scores.borrow();
            let state = block_on(b.store.tenant("okta:acme"))
                .unwrap()
                .unwrap_or_default();
            let options = block_on(b.store.options()).unwrap();
            let fresh = score_texts("okta:acme", &texts, &options, &state, b.host.now());
            assert_eq!(
                report::to_lean_json_string(&scores["okta:acme"].report),
                report::to_lean_json_string(&fresh),
                "step {n}"
            );
            drop(scores);
        }
        let report = inventory(&b).report;
        let ids = identity_ids(&report);
        assert_eq!(
            ids.len(),
            1,
            "the changed token list replaced the first: {ids:?}"
        );
        // Clearing all data forgets the texts as read too.
        assert_eq!(block_on(b.handle(Request::ClearAll, &panel())), Reply::Done);
        assert!(b.parsed.borrow().is_none() && b.texts.borrow().is_empty());
    }

    #[test]
    fn a_restarted_worker_answers_from_storage_alone() {
        let b = brain(Vec::new());
        block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "a", "2020-01-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        block_on(b.flush()).unwrap();
        let before = inventory(&b).text;
        let restarted = brain(Vec::new());
        *restarted.host.storage.map.borrow_mut() = b.host.storage.map.borrow().clone();
        assert_eq!(inventory(&restarted).text, before);
    }

    #[test]
    fn a_page_the_console_shows_again_from_what_it_kept_has_its_badges_after_a_restart() {
        let b = brain(Vec::new());
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        // The browser stopped the idle worker; the console shows the page again from what it
        // kept (a view sorted, the page visited again), loading nothing.
        let again = restarted(&b, Vec::new());
        let shown = Request::Captured {
            url: format!("{TOKENS_PAGE}?sort=name"),
            captures: Vec::new(),
            missing: Vec::new(),
        };
        let reply = block_on(again.handle(shown, &console()));
        let Reply::Annotations {
            annotations,
            status,
            ..
        } = reply
        else {
            panic!("badges: {reply:?}");
        };
        assert_eq!(annotations.len(), 1, "{annotations:?}");
        assert!(annotations[0].keys.contains(&"00T1".to_string()));
        assert!(
            matches!(status, PageStatus::Read { identities: 1, .. }),
            "{status:?}"
        );
    }

    #[test]
    fn a_restarted_worker_reads_no_stored_text_the_page_brings_again() {
        let b = brain(Vec::new());
        let list = |id: &str| captured(token_page(id), None);
        block_on(b.handle(list("00T1"), &console()));
        block_on(b.handle(users("ACTIVE"), &console()));
        let restarted = restarted(&b, Vec::new());
        let reply = block_on(restarted.handle(list("00T2"), &console()));
        let Reply::Annotations { annotations, .. } = reply else {
            panic!("badges: {reply:?}");
        };
        // The list loaded now replaces the stored one, which is never read; the users list the
        // page did not load again is, and still names the token's owner.
        let asked = restarted.host.storage.asked.borrow();
        let list_key = capture_key("okta:acme", &console::effective_url(TOKENS_LIMIT_1));
        let users_key = asked
            .iter()
            .find(|k| k.starts_with("capture:") && **k != list_key);
        assert!(!asked.contains(&list_key), "{asked:?}");
        assert!(users_key.is_some(), "{asked:?}");
        assert_eq!(annotations.len(), 1, "{annotations:?}");
        assert_eq!(annotations[0].owner, "Dana Whitfield");
        assert!(
            annotations[0].keys.contains(&"00T2".to_string()),
            "{annotations:?}"
        );
        drop(asked);
        // What it keeps, in the order it keeps it, is what a worker that never stopped keeps.
        let never_stopped = brain(Vec::new());
        for request in [list("00T1"), users("ACTIVE"), list("00T2")] {
            block_on(never_stopped.handle(request, &console()));
        }
        assert_eq!(*restarted.texts.borrow(), *never_stopped.texts.borrow());
        let again = super::tests::restarted(&restarted, Vec::new());
        assert_eq!(inventory(&again).text, inventory(&never_stopped).text);
    }

    #[test]
    fn a_pages_plan_has_its_consoles_tenants_read_ahead() {
        let b = brain(Vec::new());
        let list = |id: &str| captured(token_page(id), None);
        block_on(b.handle(list("00T1"), &console()));
        let restarted = restarted(&b, Vec::new());
        let plan = Request::Plan {
            url: TOKENS_PAGE.into(),
        };
        block_on(restarted.handle(plan, &console()));
        block_on(restarted.flush()).unwrap();
        let tenant_key = "tenant:okta:acme".to_string();
        assert!(restarted.host.storage.asked.borrow().contains(&tenant_key));
        // The page's capture then finds its tenant's state in memory.
        restarted.host.storage.asked.borrow_mut().clear();
        block_on(restarted.handle(list("00T2"), &console()));
        let asked = restarted.host.storage.asked.borrow();
        assert!(!asked.contains(&tenant_key), "{asked:?}");
    }

    #[test]
    fn a_next_page_on_another_host_is_never_fetched() {
        // What a page script could write: the next page on another tenant's console, on a host
        // written so that a URL parser reads another, and on the page's own host.
        for (next, fetched) in [
            (
                "https://other-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "https://acme-admin.okta.com\\evil.example/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "https://acme-admin.okta.com@evil.example/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens?after=2",
                true,
            ),
            // The test build's reading of a loopback URL, on another origin than the page's:
            // another port, or another name of the loopback address.
            (
                "http://127.0.0.1:18432/acme-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "http://localhost:9/acme-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
        ] {
            let b = brain(Vec::new());
            let first = format!("[{}]", token("00T1", "a", "2020-01-01T00:00:00.000Z"));
            let reply = block_on(b.handle(captured(first, rel_next(next).as_deref()), &console()));
            let Reply::Annotations { status, .. } = reply else {
                panic!("badges: {reply:?}");
            };
            assert_eq!(
                *b.host.fetched.borrow() == [next],
                fetched,
                "{next}: {:?}",
                b.host.fetched
            );
            // The list is then known read in part, whether its next page was asked or failed.
            assert!(
                matches!(status, PageStatus::Read { partial: true, .. }),
                "{next}: {status:?}"
            );
        }
    }

    #[test]
    fn a_real_consoles_next_page_on_the_loopback_address_is_never_fetched() {
        // The console itself, not the test build's mock: a link a page script wrote to a port on
        // the admin's machine, with the console's host where the test build reads one.
        let page = "https://acme-admin.okta.com/admin/access/api/tokens";
        let api = "https://acme-admin.okta.com/api/v1/api-tokens?limit=1";
        let sender = console_at(page);
        for (next, fetched) in [
            (
                "http://localhost:18432/acme-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "http://127.0.0.1:18432/acme-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "http://acme-admin.okta.com/api/v1/api-tokens?after=2",
                false,
            ),
            (
                "https://acme-admin.okta.com/api/v1/api-tokens?after=2",
                true,
            ),
        ] {
            let b = brain(Vec::new());
            let first = format!("[{}]", token("00T1", "a", "2020-01-01T00:00:00.000Z"));
            let request = json_capture(page, api, first, rel_next(next).as_deref());
            block_on(b.handle(request, &sender));
            assert_eq!(
                *b.host.fetched.borrow() == [next],
                fetched,
                "{next}: {:?}",
                b.host.fetched
            );
        }
    }

    #[test]
    fn a_next_page_whose_path_a_browser_would_resolve_elsewhere_is_never_fetched() {
        // An app's grants are kept under `apps/*/grants*`, whose `*` a link could fill with
        // `..` segments the browser resolves before fetching: the worker would ask the
        // console's sign-out (or any other path) in the admin's session.
        let host = "http://127.0.0.1:9/acme-admin.okta.com";
        let page = Sender {
            url: format!("{host}/admin/app/oidc_client/instance/0oa1/"),
            ..console()
        };
        let grant = r#"[{"id":"oag1","status":"ACTIVE","created":"2025-03-03T08:30:00.000Z","issuer":"https://acme.okta.com","clientId":"0oa1","scopeId":"okta.users.read","source":"ADMIN"}]"#;
        for (next, fetched) in [
            (
                format!("{host}/api/v1/apps/%2E%2e/%2e%2e/%2e%2e/login/signout?x=/grants"),
                false,
            ),
            (
                format!("{host}/api/v1/apps/../../../login/signout?x=/grants"),
                false,
            ),
            (format!("{host}/api/v1/apps/0oa1\\..\\..\\x/grants"), false),
            (format!("{host}/api/v1/apps/0oa1/grants?after=oag1"), true),
        ] {
            let b = brain(Vec::new());
            block_on(b.handle(
                sent(vec![json(
                    format!("{host}/api/v1/apps/0oa1/grants"),
                    grant,
                    rel_next(&next),
                )]),
                &page,
            ));
            assert_eq!(
                *b.host.fetched.borrow() == [next.clone()],
                fetched,
                "{next}: {:?}",
                b.host.fetched
            );
        }
        assert!(!has_dot_segment(
            "https://a.example/api/v1/apps/x.y/grants?q=../.."
        ));
    }

    #[test]
    fn texts_no_tenant_lists_are_removed_after_the_tenant_is_written() {
        let b = brain(Vec::new());
        let api = "http://127.0.0.1:9/acme-admin.okta.com/api/v1/api-tokens";
        let search = json(format!("{api}?q=ci"), token_page("00T1"), None);
        block_on(b.handle(sent(vec![search]), &console()));
        block_on(b.flush()).unwrap();
        b.host.storage.written.borrow_mut().clear();
        // The whole list, read to its end, drops the search read before.
        let only_self = format!("<{TOKENS_LIMIT_1}>; rel=\"self\"");
        block_on(b.handle(captured(token_page("00T2"), Some(&only_self)), &console()));
        block_on(b.flush()).unwrap();
        let written = b.host.storage.written.borrow();
        let search_key = capture_key("okta:acme", &console::effective_url(&format!("{api}?q=ci")));
        let at = |write: &str| written.iter().position(|w| w == write);
        let tenant = at("set tenant:okta:acme").expect("the tenant written");
        let removed = at(&format!("remove {search_key}")).expect("the search's text removed");
        assert!(tenant < removed, "{written:?}");
    }

    #[test]
    fn console_pages_cannot_ask_for_what_only_extension_pages_may() {
        let b = brain(Vec::new());
        for request in [
            Request::ClearAll,
            Request::Export {
                tenant: None,
                format: "json".into(),
                ids: None,
            },
            Request::GetOptions,
            Request::Tenants,
        ] {
            let reply = block_on(b.handle(request, &console()));
            assert!(matches!(reply, Reply::Error { .. }), "{reply:?}");
        }
        let reply = block_on(b.handle(Request::Plan { url: "x".into() }, &panel()));
        assert!(matches!(reply, Reply::Error { .. }));
    }

    #[test]
    fn the_plan_follows_the_frame_not_the_message() {
        let b = brain(Vec::new());
        let mut sender = console();
        sender.url = "https://example.com/".into();
        let reply = block_on(b.handle(
            Request::Plan {
                url: TOKENS_PAGE.into(),
            },
            &sender,
        ));
        assert_eq!(
            reply,
            Reply::Plan {
                plan: None,
                off: false
            }
        );
        let reply = block_on(b.handle(Request::Plan { url: "x".into() }, &console()));
        let Reply::Plan {
            plan: Some(plan), ..
        } = reply
        else {
            panic!()
        };
        assert_eq!(plan.tenant, "okta:acme");
    }

    #[test]
    fn a_page_read_again_as_it_was_leaves_the_inventorys_revision() {
        // Slack's App Management page, read from its markup alone.
        let b = brain(Vec::new());
        let slack = Sender {
            url: "http://127.0.0.1:9/acme.slack.com/apps/manage".into(),
            ..console()
        };
        let read = |apps: &str| {
            let request = Request::Captured {
                url: slack.url.clone(),
                captures: vec![Capture::Dom {
                    region: "app list".into(),
                    html: format!("<main>{apps}</main>"),
                }],
                missing: Vec::new(),
            };
            block_on(b.handle(request, &slack));
            block_on(b.flush()).unwrap();
            inventory_of(&b, "slack:acme").revision
        };
        let one =
            r#"<div role="listitem"><a href="/apps/A0W7UKG8E-my-test-app">My Test App</a></div>"#;
        let first = read(one);
        // Read again as it was (the page reading its plan again, a minute later): the same.
        b.host.later.set(1);
        assert_eq!(read(one), first);
        // An app installed since: more was read.
        let two =
            format!(r#"{one}<div role="listitem"><a href="/apps/A04E6JX41-polly">Polly</a></div>"#);
        assert_eq!(read(&two), first + 1);
    }

    #[test]
    fn an_inventory_never_marked_reviewed_says_so() {
        let b = brain(Vec::new());
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        let reviewed_at = |b: &Brain<TestHost>| inventory(b).reviewed_at;
        // Its first look is the baseline, not a review, also for a worker started later.
        assert_eq!(reviewed_at(&b), None);
        assert_eq!(reviewed_at(&restarted(&b, Vec::new())), None);
        let mark = Request::MarkReviewed {
            tenant: "okta:acme".into(),
            seen: None,
        };
        assert_eq!(block_on(b.handle(mark, &panel())), Reply::Done);
        assert_eq!(reviewed_at(&b).as_deref(), Some("2026-11-29T00:00:00Z"));
    }

    #[test]
    fn an_inventory_scored_again_later_says_when_its_pages_were_read() {
        let b = brain(Vec::new());
        block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "deploy", "2020-01-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        let read_at = || inventory(&b).updated_at.unwrap();
        let read = read_at();
        assert_eq!(read, "2026-11-29T00:00:00Z");
        // Ten days on, its scoring no longer kept (a worker stopped and started since): the
        // pages were still read when they were, or the panel's week-old warning never shows.
        b.host.later.set(10 * 24 * 60);
        b.scores.borrow_mut().clear();
        assert_eq!(read_at(), read);
        let Reply::Tenants { tenants } = block_on(b.handle(Request::Tenants, &panel())) else {
            panic!()
        };
        assert_eq!(tenants[0].updated_at, read);
    }

    #[test]
    fn an_accepted_finding_that_grows_worse_is_open_again() {
        let b = brain(Vec::new());
        block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "deploy", "2020-01-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        let finding = |report: &serde_json::Value| report["identities"][0]["findings"][0].clone();
        let accepted = finding(&inventory(&b).report);
        let rule = accepted["rule"].as_str().unwrap().to_string();
        assert_eq!(
            accept_token_risk(&b, &rule, "rotation scheduled", "2027-01-31"),
            Reply::Done
        );
        // The acceptance holds the finding's severity as it was accepted.
        let mut state = block_on(b.store.tenant("okta:acme")).unwrap().unwrap();
        let severity = state.acceptances[0].severity.unwrap();
        assert_eq!(accepted["severity"], severity.as_str());
        assert_eq!(finding(&inventory(&b).report)["status"], "accepted");
        // Accepted when it was less severe than it is now: open, and it says so.
        state.acceptances[0].severity = Some(nhi_lens::rules::Severity::Info);
        block_on(b.store.set_tenant("okta:acme", &state)).unwrap();
        b.scores.borrow_mut().remove("okta:acme");
        let now = token_finding(&b, &rule);
        assert_eq!(now["status"], "open");
        assert!(
            now["evidence"].as_str().unwrap().ends_with(&format!(
                "[accepted at info severity; {} since]",
                severity.as_str()
            )),
            "{now}"
        );
    }

    #[test]
    fn decisions_change_the_score_and_changes_are_counted_from_the_review() {
        let b = brain(Vec::new());
        block_on(b.handle(
            captured(
                format!("[{}]", token("00T1", "deploy", "2020-01-01T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        let Inventory {
            report, changes, ..
        } = inventory(&b);
        assert!(changes.is_empty(), "the first look is the baseline");
        let score = |r: &serde_json::Value| r["identities"][0]["risk"]["score"].as_u64().unwrap();
        let before = score(&report);
        let rule = report["identities"][0]["findings"][0]["rule"]
            .as_str()
            .unwrap()
            .to_string();

        let high_or_worse = |b: &Brain<TestHost>| {
            let Reply::Tenants { tenants } = block_on(b.handle(Request::Tenants, &panel())) else {
                panic!()
            };
            tenants[0].critical + tenants[0].high
        };
        assert_eq!(
            accept_token_risk(&b, &rule, "rotation scheduled", "2027-01-31"),
            Reply::Done
        );
        let report = inventory(&b).report;
        assert!(score(&report) < before);
        // The tenant list counts as the inventory now scores (kept for a worker started later).
        let level = report["identities"][0]["risk"]["level"].as_str().unwrap();
        let counted = usize::from(matches!(level, "critical" | "high"));
        assert_eq!(high_or_worse(&b), counted);
        assert_eq!(high_or_worse(&restarted(&b, Vec::new())), counted);
        let finding = report["identities"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule.as_str())
            .unwrap();
        assert_eq!(finding["status"], "accepted");

        assert!(matches!(
            accept_token_risk(&b, &rule, "x", "2020-01-01"),
            Reply::Error { .. }
        ));

        let clear = || Request::AssignOwner {
            tenant: "okta:acme".into(),
            id: "okta:api_token:00T1".into(),
            owner: " ".into(),
        };
        // Nothing assigned yet: the token's user stays its owner, and the panel is told so.
        assert!(matches!(
            block_on(b.handle(clear(), &panel())),
            Reply::Error { message } if message.contains("no owner was assigned")
        ));
        assign_platform_team(&b);
        let report = inventory(&b).report;
        assert_eq!(report["identities"][0]["owner"]["name"], "platform-team");
        assert_eq!(block_on(b.handle(clear(), &panel())), Reply::Done);
        assert_ne!(
            inventory(&b).report["identities"][0]["owner"]["name"],
            "platform-team"
        );
        assign_platform_team(&b);
        let shown = inventory(&b).revision;

        block_on(b.handle(
            captured(
                format!("[{}]", token("00T9", "new", "2026-11-20T00:00:00.000Z")),
                None,
            ),
            &console(),
        ));
        let new = Change::New {
            id: "okta:api_token:00T9".into(),
        };
        let now = inventory(&b);
        assert!(now.changes.contains(&new), "{:?}", now.changes);
        let review = |seen: u64| {
            block_on(b.handle(
                Request::MarkReviewed {
                    tenant: "okta:acme".into(),
                    seen: Some(seen),
                },
                &panel(),
            ))
        };
        // The inventory the admin looked at did not have the new token: not taken as reviewed.
        let refused = review(shown);
        assert!(
            matches!(&refused, Reply::Error { message } if message.contains("read since")),
            "{refused:?}"
        );
        assert!(inventory(&b).changes.contains(&new));
        assert_eq!(review(now.revision), Reply::Done);
        assert!(inventory(&b).changes.is_empty());
    }

    #[test]
    fn an_options_pages_edits_are_saved_on_what_another_tab_saved_meanwhile() {
        use nhi_lens::protocol::OwnerMapEntry;
        let b = brain(Vec::new());
        let read = Options::default();
        // Another tab imports an owner map.
        let mut other = read.clone();
        other.owner_map.push(OwnerMapEntry {
            pattern: "okta:*".into(),
            owner: "iam-team".into(),
        });
        let set = Request::SetOptions {
            options: other,
            read: None,
        };
        assert_eq!(block_on(b.handle(set, &panel())), Reply::Done);
        // This tab, which read the options before, changes a threshold.
        let mut edited = read.clone();
        edited.dormant_days = 30;
        let edit = |base: &Options, edited: &Options| {
            block_on(b.handle(
                Request::SetOptions {
                    options: edited.clone(),
                    read: Some(base.fingerprint()),
                },
                &panel(),
            ))
        };
        // Not saved over the other tab's: the page is given what is held now.
        let Reply::OptionsChanged { options: now } = edit(&read, &edited) else {
            panic!("saved over what another tab saved")
        };
        assert_eq!(now.owner_map.len(), 1);
        assert_eq!(block_on(b.store.options()).unwrap(), now);
        // Its edits made on them, it asks again, and they are saved.
        let merged = edited.rebased(&read, &now);
        assert_eq!(edit(&now, &merged), Reply::Done);
        let options = merged;
        assert_eq!(options.dormant_days, 30);
        assert_eq!(options.owner_map.len(), 1);
        assert_eq!(block_on(b.store.options()).unwrap(), options);
        // What the background refuses is refused.
        let mut bad = options.clone();
        bad.dormant_days = 0;
        assert!(matches!(edit(&options, &bad), Reply::Error { .. }));
        assert_eq!(block_on(b.store.options()).unwrap(), options);
    }

    #[test]
    fn an_expired_acceptance_is_named_on_its_finding_for_a_while_then_dropped() {
        let b = brain(Vec::new());
        // A token that stays as it is for the months this test moves through, but for its name
        // (a capture of what was read before changes nothing, and is not written again).
        let read = |name: &str| {
            let body =
                token("00T1", name, "2020-01-01T00:00:00.000Z").replace("2026-12-20", "2030-12-20");
            block_on(b.handle(captured(format!("[{body}]"), None), &console()));
            block_on(b.flush()).unwrap();
        };
        read("deploy");
        let rule = inventory(&b).report["identities"][0]["findings"][0]["rule"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            accept_token_risk(&b, &rule, "rotation scheduled", "2026-12-10"),
            Reply::Done
        );
        let kept = || {
            block_on(b.store.tenant("okta:acme"))
                .unwrap()
                .unwrap()
                .acceptances
                .len()
        };
        let finding = || token_finding(&b, &rule);
        // 80 days after it ended (it ends as 2026-12-11 starts), the page read again: kept, and
        // the finding, open again, says so.
        b.host.later.set((12 + 80) * 24 * 60);
        read("deploy (renamed)");
        assert_eq!(kept(), 1);
        assert_eq!(finding()["status"], "open");
        assert!(
            finding()["evidence"]
                .as_str()
                .unwrap()
                .contains("risk acceptance expired 2026-12-10")
        );
        // Past the 90 days it is dropped as the page is read again, and the finding is plain.
        b.host.later.set((12 + 91) * 24 * 60);
        read("deploy (renamed again)");
        assert_eq!(kept(), 0);
        assert_eq!(finding()["status"], "open");
        assert!(
            !finding()["evidence"]
                .as_str()
                .unwrap()
                .contains("acceptance expired")
        );
    }

    #[test]
    fn the_options_thresholds_allowlist_and_owner_map_change_the_report() {
        use nhi_lens::protocol::{AllowEntry, OwnerMapEntry};
        let b = brain(Vec::new());
        // Two tokens 181 days old, younger than the default secret age of a year; the second
        // names no user.
        let created = "2026-06-01T00:00:00.000Z";
        let ownerless = token("00T2", "ci", created).replace(r#""userId":"00u1","#, "");
        block_on(b.handle(
            captured(
                format!("[{},{ownerless}]", token("00T1", "deploy", created)),
                None,
            ),
            &console(),
        ));
        let rules = |report: &serde_json::Value, i: usize| -> Vec<(String, String)> {
            report["identities"][i]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap().into(),
                        f["status"].as_str().unwrap().into(),
                    )
                })
                .collect()
        };
        let report = inventory(&b).report;
        assert!(
            !rules(&report, 0).iter().any(|(r, _)| r == "NL102"),
            "{report}"
        );

        let mut options = Options {
            secret_max_age_days: 90,
            ..Options::default()
        };
        options.allow.push(AllowEntry {
            id: "okta:api_token:00T2".into(),
            reason: "break-glass, reviewed".into(),
            tenant: None,
        });
        options.owner_map.push(OwnerMapEntry {
            pattern: "okta:api_token:*".into(),
            owner: "identity-team".into(),
        });
        assert_eq!(
            block_on(b.handle(
                Request::SetOptions {
                    options: options.clone(),
                    read: None,
                },
                &panel()
            )),
            Reply::Done
        );
        let report = inventory(&b).report;
        let ids = identity_ids(&report);
        let (t1, t2) = (
            ids.iter()
                .position(|i| *i == "okta:api_token:00T1")
                .unwrap(),
            ids.iter()
                .position(|i| *i == "okta:api_token:00T2")
                .unwrap(),
        );
        // The shorter secret age finds both tokens overdue; the allowed one's findings stay
        // listed, none of them counting.
        assert!(
            rules(&report, t1).contains(&("NL102".into(), "open".into())),
            "{report}"
        );
        let allowed = rules(&report, t2);
        assert!(allowed.iter().any(|(r, _)| r == "NL102"));
        assert!(
            allowed.iter().all(|(_, status)| status == "allowed"),
            "{allowed:?}"
        );
        assert_eq!(report["identities"][t2]["risk"]["score"], 0);
        // The map fills in the owner the platform did not name, and leaves the one it did.
        assert_eq!(report["identities"][t1]["owner"]["name"], "00u1");
        assert_eq!(report["identities"][t2]["owner"]["name"], "identity-team");

        // An entry made for another Okta org's inventory is not this one's; made for this one,
        // it is.
        let status_of_t2 = |tenant: &str| {
            let mut scoped = options.clone();
            scoped.allow[0].tenant = Some(tenant.into());
            let set = Request::SetOptions {
                options: scoped,
                read: None,
            };
            assert_eq!(block_on(b.handle(set, &panel())), Reply::Done);
            let report = inventory(&b).report;
            let t2 = identity_ids(&report)
                .iter()
                .position(|i| *i == "okta:api_token:00T2")
                .unwrap();
            rules(&report, t2)
                .into_iter()
                .find(|(r, _)| r == "NL102")
                .unwrap()
                .1
        };
        assert_eq!(status_of_t2("okta:other"), "open");
        assert_eq!(status_of_t2("okta:acme"), "allowed");

        // An allowlist entry naming a pattern would match nothing: the worker refuses it, as
        // it does an owner-map line without an owner.
        let mut bad = options.clone();
        bad.allow[0].id = "okta:api_token:*".into();
        assert!(matches!(
            block_on(b.handle(
                Request::SetOptions {
                    options: bad,
                    read: None
                },
                &panel()
            )),
            Reply::Error { .. }
        ));
        let mut bad = options.clone();
        bad.owner_map[0].owner = " ".into();
        assert!(matches!(
            block_on(b.handle(
                Request::SetOptions {
                    options: bad,
                    read: None
                },
                &panel()
            )),
            Reply::Error { .. }
        ));
        // Warned of an expiry further out than the horizon past which it is long-lived.
        let mut bad = options;
        bad.expiring_soon_days = bad.expiry_horizon_days;
        assert!(matches!(
            block_on(b.handle(
                Request::SetOptions {
                    options: bad,
                    read: None
                },
                &panel()
            )),
            Reply::Error { message } if message.contains("shorter than the expiry horizon")
        ));
    }

    #[test]
    fn an_export_of_a_view_keeps_only_its_identities() {
        let b = brain(Vec::new());
        block_on(b.handle(
            captured(
                format!(
                    "[{},{}]",
                    token("00T1", "a", "2020-01-01T00:00:00.000Z"),
                    token("00T2", "b", "2020-01-01T00:00:00.000Z")
                ),
                None,
            ),
            &console(),
        ));
        let (filename, text) = export(
            &b,
            Some("okta:acme"),
            "json",
            Some(vec!["okta:api_token:00T2".into()]),
        );
        assert_eq!(filename, "nhi-lens-okta-acme-view-2026-11-29.json");
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["identities"].as_array().unwrap().len(), 1);
        // In the view's order, as the panel sorted it (by name, descending, here), not riskiest
        // first.
        for order in [["00T2", "00T1"], ["00T1", "00T2"]] {
            let ids = order.map(|id| format!("okta:api_token:{id}")).to_vec();
            let (_, text) = export(&b, Some("okta:acme"), "csv", Some(ids));
            let firsts: Vec<&str> = text
                .lines()
                .skip(1)
                .map(|l| l.split(',').next().unwrap())
                .collect();
            let mut seen: Vec<&str> = firsts.clone();
            seen.dedup();
            assert_eq!(
                seen,
                order.map(|id| format!("okta:api_token:{id}")),
                "{text}"
            );
        }
        let bad = Request::Export {
            tenant: None,
            format: "table".into(),
            ids: None,
        };
        assert!(matches!(
            block_on(b.handle(bad, &panel())),
            Reply::Error { .. }
        ));
    }

    #[test]
    fn an_export_of_every_tenant_keeps_each_tenants_identities_and_decisions_apart() {
        let b = brain(Vec::new());
        // Two orgs whose lists hold a token of one ID (as two Snowflake accounts hold users of
        // one name, which is their ID).
        for org in ["acme", "globex"] {
            let page = Sender {
                url: TOKENS_PAGE.replace("acme", org),
                ..console()
            };
            let Request::Captured { captures, .. } = captured(token_page("00T1"), None) else {
                unreachable!()
            };
            let captures = captures
                .into_iter()
                .map(|c| match c {
                    Capture::Json { body, .. } => {
                        json(TOKENS_LIMIT_1.replace("acme", org), body, None)
                    }
                    other => other,
                })
                .collect();
            block_on(b.handle(sent(captures), &page));
        }
        assign_platform_team(&b);
        let (filename, text) = export(&b, None, "json", None);
        assert_eq!(filename, "nhi-lens-all-2026-11-29.json");
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut owners: Vec<String> = report["identities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{} {}", i["id"], i["owner"]["name"]))
            .collect();
        owners.sort();
        assert_eq!(
            owners,
            [
                r#""okta:api_token:00T1" "00u1""#,
                r#""okta:api_token:00T1" "platform-team""#
            ]
        );
        // Read back by the command line: still two tokens, each with its tenant's owner.
        let back = nhi_lens::scan(
            [("all.json", text.as_bytes())],
            &Policy::default(),
            datetime!(2026-11-29 00:00 UTC),
        );
        let mut read_back: Vec<String> = back
            .assessments()
            .map(|a| {
                let i = a.identity;
                let owner = i.ownership.primary().map(|o| o.who.name.clone());
                format!("{} {:?} {}", i.id, i.tenant, owner.unwrap_or_default())
            })
            .collect();
        read_back.sort();
        assert_eq!(
            read_back,
            [
                r#"okta:api_token:00T1 Some("acme") platform-team"#,
                r#"okta:api_token:00T1 Some("globex") 00u1"#
            ]
        );
        // Code scanning and a SIEM tell them apart too.
        let (_, sarif) = export(&b, None, "sarif", None);
        let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let mut fingerprints: Vec<String> = results
            .iter()
            .map(|r| r["partialFingerprints"].to_string())
            .collect();
        fingerprints.sort();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), results.len(), "{results:?}");
    }

    #[test]
    fn forgetting_a_tenant_leaves_the_others_and_a_later_visit_starts_anew() {
        let b = brain(Vec::new());
        let mut iam = console();
        iam.url = "http://127.0.0.1:9/us-east-1.console.aws.amazon.com/iam/home#/credential_report"
            .into();
        block_on(b.handle(aws_report("111122223333"), &iam));
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        assign_platform_team(&b);
        assert!(inventory(&b).text.contains("platform-team"));
        // Only NHI Lens's own pages may ask.
        let forget = || Request::ForgetTenant {
            tenant: "okta:acme".into(),
        };
        assert!(matches!(
            block_on(b.handle(forget(), &console())),
            Reply::Error { .. }
        ));
        let tab = || block_on(b.handle(Request::TabSummary { tab_id: 7 }, &panel()));
        assert!(matches!(tab(), Reply::TabSummary { summary: Some(_) }));
        assert!(matches!(
            block_on(b.handle(forget(), &panel())),
            Reply::Done
        ));
        // The console's tab counts nothing that is gone.
        assert_eq!(tab(), Reply::TabSummary { summary: None });
        let names: Vec<String> = tenants(&b).into_iter().map(|t| t.tenant).collect();
        assert_eq!(names, ["aws:111122223333"]);
        let stored: Vec<String> = b.host.storage.map.borrow().keys().cloned().collect();
        assert!(
            !stored.iter().any(|k| k.contains("okta:acme")),
            "{stored:?}"
        );
        assert!(
            stored
                .iter()
                .any(|k| is_capture_key(k) && k.contains("aws:")),
            "{stored:?}"
        );
        // The same worker, then one started anew, read the tenant again from nothing: no owner
        // assigned before.
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        let again = inventory(&b);
        assert_eq!(native_ids(&b), ["00T1"]);
        assert!(
            !again.text.contains("platform-team"),
            "the assigned owner was kept"
        );
        let later = restarted(&b, Vec::new());
        assert_eq!(native_ids(&later), ["00T1"]);
    }

    #[test]
    fn past_the_tenant_cap_a_new_tenant_is_refused_and_the_kept_ones_are_read_as_before() {
        let b = brain(Vec::new());
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        // As many more as the cap, named by a page's script.
        let mut names: Vec<String> = (1..MAX_TENANTS)
            .map(|n| format!("github:org{n:04}"))
            .collect();
        names.push("okta:acme".into());
        b.host
            .storage
            .map
            .borrow_mut()
            .insert("tenants".into(), serde_json::to_string(&names).unwrap());
        let other_page = "http://127.0.0.1:9/other-admin.okta.com/admin/access/api/tokens";
        let mut elsewhere = console();
        elsewhere.url = other_page.into();
        let other_tokens = || {
            json_capture(
                other_page,
                "http://127.0.0.1:9/other-admin.okta.com/api/v1/api-tokens",
                token_page("00T2"),
                None,
            )
        };
        match block_on(b.handle(other_tokens(), &elsewhere)) {
            Reply::Error { message } => assert!(message.contains("at most 1000"), "{message}"),
            other => panic!("{other:?}"),
        }
        let kept = || -> Vec<String> { tenants(&b).into_iter().map(|t| t.tenant).collect() };
        assert!(!kept().contains(&"okta:other".to_string()), "{:?}", kept());
        // The kept tenant is read as before.
        block_on(b.handle(captured(token_page("00T3"), None), &console()));
        assert!(
            native_ids(&b).contains(&"00T3".to_string()),
            "{:?}",
            native_ids(&b)
        );
        // One forgotten makes room.
        let forget = Request::ForgetTenant {
            tenant: "github:org0001".into(),
        };
        assert!(matches!(block_on(b.handle(forget, &panel())), Reply::Done));
        let read = block_on(b.handle(other_tokens(), &elsewhere));
        assert!(!matches!(read, Reply::Error { .. }), "{read:?}");
        let kept = || -> Vec<String> { tenants(&b).into_iter().map(|t| t.tenant).collect() };
        assert!(kept().contains(&"okta:other".to_string()), "{:?}", kept());
    }

    #[test]
    fn a_disabled_console_is_left_alone_and_clearing_forgets_everything() {
        let b = brain(Vec::new());
        let options = Options {
            disabled_platforms: vec!["okta".into()],
            ..Options::default()
        };
        block_on(b.handle(
            Request::SetOptions {
                options,
                read: None,
            },
            &panel(),
        ));
        let reply = block_on(b.handle(Request::Plan { url: String::new() }, &console()));
        assert_eq!(
            reply,
            Reply::Plan {
                plan: None,
                off: true
            }
        );
        let reply = block_on(b.handle(captured("[]".into(), None), &console()));
        assert!(matches!(
            reply,
            Reply::Annotations {
                status: PageStatus::Disabled,
                ..
            }
        ));
        block_on(b.handle(Request::ClearAll, &panel()));
        let Reply::Options { options } = block_on(b.handle(Request::GetOptions, &panel())) else {
            panic!()
        };
        assert!(options.disabled_platforms.is_empty());
        let bad = Options {
            dormant_days: 0,
            ..Options::default()
        };
        assert!(matches!(
            block_on(b.handle(
                Request::SetOptions {
                    options: bad,
                    read: None
                },
                &panel()
            )),
            Reply::Error { .. }
        ));
    }

    #[test]
    fn stored_captures_hold_no_secret_values() {
        let b = brain(Vec::new());
        let mut body = token("00T1", "a", "2020-01-01T00:00:00.000Z");
        body.insert_str(1, r#""token":"00abcdefSECRETVALUE","#);
        block_on(b.handle(captured(format!("[{body}]"), None), &console()));
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert!(stored.keys().any(|k| is_capture_key(k)));
        assert!(stored.values().all(|v| !v.contains("SECRETVALUE")));
    }

    #[test]
    fn a_credential_a_page_shows_once_is_not_kept_with_its_snapshot() {
        // Entra's Certificates & secrets list just after "New client secret": the value is in
        // the grid until the admin leaves the page.
        let b = brain(Vec::new());
        let credentials = Sender {
            url: "http://127.0.0.1:9/entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01".into(),
            ..console()
        };
        let secret = "Xyz8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567";
        let grid = format!(
            r#"<div role="grid"><div role="row"><div role="columnheader">Description</div><div role="columnheader">Expires</div><div role="columnheader">Value</div><div role="columnheader">Secret ID</div></div><div role="row"><div role="gridcell">deploy</div><div role="gridcell">6/1/2027</div><div role="gridcell">{secret}</div><div role="gridcell">9f1c7a2e-0000-4000-8000-000000000001</div></div></div>"#
        );
        let request = Request::Captured {
            url: credentials.url.clone(),
            captures: vec![Capture::Dom {
                region: "grid".into(),
                html: grid,
            }],
            missing: Vec::new(),
        };
        block_on(b.handle(request, &credentials));
        block_on(b.flush()).unwrap();
        let stored = b.host.storage.map.borrow();
        assert!(
            stored
                .values()
                .any(|v| v.contains("9f1c7a2e-0000-4000-8000-000000000001"))
        );
        assert!(stored.values().all(|v| !v.contains(secret)));
    }

    #[test]
    fn link_headers_give_the_next_page() {
        assert_eq!(
            next_link(
                r#"<https://acme.okta.com/api/v1/apps?limit=2>; rel="self", <https://acme.okta.com/api/v1/apps?after=x&limit=2>; rel="next""#
            ),
            Some("https://acme.okta.com/api/v1/apps?after=x&limit=2".into())
        );
        assert_eq!(next_link(r#"<a>; rel="self""#), None);
        assert_eq!(
            absolute(
                "http://127.0.0.1:9/acme.okta.com/api/v1/apps",
                "/acme.okta.com/api/v1/apps?after=2"
            ),
            "http://127.0.0.1:9/acme.okta.com/api/v1/apps?after=2"
        );
    }

    /// What tab 7 (the console's) summarizes, by its status.
    fn tab_status(b: &Brain<TestHost>) -> Option<PageStatus> {
        match block_on(b.handle(Request::TabSummary { tab_id: 7 }, &panel())) {
            Reply::TabSummary { summary } => summary.map(|s| s.status),
            other => panic!("{other:?}"),
        }
    }

    fn plan(b: &Brain<TestHost>, url: &str) -> Reply {
        block_on(b.handle(Request::Plan { url: url.into() }, &console()))
    }

    /// The status of a page that read `identities`, its lists to their ends.
    fn read_whole(identities: usize) -> PageStatus {
        PageStatus::Read {
            identities,
            partial: false,
        }
    }

    /// The pages of the Okta test tenant's inventory.
    fn visits(b: &Brain<TestHost>) -> Vec<PageVisit> {
        inventory(b).pages
    }

    /// The plan the sender's page gets.
    fn plan_of(b: &Brain<TestHost>, sender: &Sender) -> nhi_lens::console::Plan {
        let request = Request::Plan {
            url: sender.url.clone(),
        };
        match block_on(b.handle(request, sender)) {
            Reply::Plan {
                plan: Some(plan), ..
            } => plan,
            other => panic!("no plan for {}: {other:?}", sender.url),
        }
    }

    /// The console's tab at `url`.
    fn console_at(url: &str) -> Sender {
        Sender {
            url: url.into(),
            ..console()
        }
    }

    /// A capture of nothing at `url`: a page that loaded nothing by its deadline.
    fn nothing_at(url: &str) -> Request {
        Request::Captured {
            url: url.into(),
            captures: Vec::new(),
            missing: Vec::new(),
        }
    }

    #[test]
    fn a_new_page_in_the_tab_forgets_what_the_last_one_read() {
        let b = brain(Vec::new());
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        assert_eq!(tab_status(&b), Some(read_whole(1)));
        // Another page the tab's console reads: nothing read there yet.
        plan(&b, TOKENS_PAGE);
        assert_eq!(tab_status(&b), Some(PageStatus::Reading));
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        assert_eq!(tab_status(&b), Some(read_whole(1)));
        // A page no console of NHI Lens's is on.
        let elsewhere = console_at("http://127.0.0.1:9/example.com/");
        let reply = block_on(b.handle(
            Request::Plan {
                url: elsewhere.url.clone(),
            },
            &elsewhere,
        ));
        assert_eq!(
            reply,
            Reply::Plan {
                plan: None,
                off: false
            }
        );
        assert_eq!(tab_status(&b), None);
        // A console switched off.
        let mut options = Options::default();
        options.disabled_platforms.push("okta".into());
        block_on(b.handle(
            Request::SetOptions {
                options,
                read: None,
            },
            &panel(),
        ));
        assert!(matches!(
            plan(&b, TOKENS_PAGE),
            Reply::Plan {
                plan: None,
                off: true
            }
        ));
        assert_eq!(tab_status(&b), Some(PageStatus::Disabled));
        // A frame's page leaves the tab's summary to the tab's own.
        block_on(b.handle(
            Request::SetOptions {
                options: Options::default(),
                read: None,
            },
            &panel(),
        ));
        let frame = Sender {
            frame_id: Some(4),
            ..console()
        };
        block_on(b.handle(
            Request::Plan {
                url: TOKENS_PAGE.into(),
            },
            &frame,
        ));
        assert_eq!(tab_status(&b), Some(PageStatus::Disabled));
    }

    #[test]
    fn a_page_that_loads_nothing_shows_what_was_read_on_it() {
        let b = brain(Vec::new());
        let nothing = || nothing_at(TOKENS_PAGE);
        // Nothing read there, and no inventory made for it.
        plan(&b, TOKENS_PAGE);
        let reply = block_on(b.handle(nothing(), &console()));
        assert!(
            matches!(&reply, Reply::Annotations { status: PageStatus::Reading, annotations, .. } if annotations.is_empty()),
            "{reply:?}"
        );
        assert!(tenants(&b).is_empty());
        assert_eq!(tab_status(&b), Some(PageStatus::Reading));
        // Read once, the page shown again from what the console kept gets the same badges, and
        // nothing is stored but the tab's summary.
        block_on(b.handle(captured(token_page("00T1"), None), &console()));
        plan(&b, TOKENS_PAGE);
        let stored = || {
            let mut all = b.host.storage.map.borrow().clone();
            all.remove("tab:7");
            all
        };
        assert_eq!(tab_status(&b), Some(PageStatus::Reading));
        let before = stored();
        let reply = block_on(b.handle(nothing(), &console()));
        let Reply::Annotations {
            status,
            annotations,
            ..
        } = reply
        else {
            panic!("{reply:?}")
        };
        assert_eq!(status, read_whole(1));
        assert_eq!(annotations[0].id, "okta:api_token:00T1");
        assert_eq!(tab_status(&b), Some(read_whole(1)));
        assert_eq!(stored(), before);
        // Another page of the tenant's, which read nothing yet, says so and keeps no visit.
        let other = console_at("http://127.0.0.1:9/acme-admin.okta.com/admin/apps/active");
        let reply = block_on(b.handle(nothing_at(&other.url), &other));
        assert!(
            matches!(&reply, Reply::Annotations { status: PageStatus::Reading, annotations, .. } if annotations.is_empty()),
            "{reply:?}"
        );
        let pages = visits(&b);
        assert!(
            pages.iter().all(|p| !p.url.contains("/admin/apps")),
            "{pages:?}"
        );
        // What a frame read stays the tab's summary over its top page's "not read yet".
        let frame = Sender {
            frame_id: Some(4),
            ..console()
        };
        block_on(b.handle(captured(token_page("00T2"), None), &frame));
        let read_by_the_frame = tab_status(&b);
        assert!(matches!(read_by_the_frame, Some(PageStatus::Read { .. })));
        block_on(b.handle(nothing_at(&other.url), &other));
        assert_eq!(tab_status(&b), read_by_the_frame);
    }

    /// The IAM users page of account 123456789012 showing `users` (of the fixture's), with the
    /// pagination's page `current` of `pages` when the list is shown a page at a time.
    fn iam_users(users: &[&str], shown: Option<(u32, u32)>) -> (Request, Sender) {
        let url = "http://127.0.0.1:9/us-east-1.console.aws.amazon.com/iam/home#/users";
        let fixture = include_str!("../../tests/fixtures/aws/iam_users_partial.html");
        let head = &fixture[fixture.find("<table").unwrap()..fixture.find("<tbody>").unwrap()];
        let rows: String = fixture
            .lines()
            .filter(|l| {
                l.starts_with("<tr aria-rowindex")
                    && users.iter().any(|u| l.contains(&format!("Select {u}\"")))
            })
            .collect();
        let mut captures = vec![Capture::Dom {
            region: "users".into(),
            html: format!("{head}<tbody>{rows}</tbody></table>"),
        }];
        // The account, in the page's own region and as the one naming the tenant.
        let meta = r#"<meta name="awsc-session-data" content="{&quot;accountId&quot;:&quot;123456789012&quot;}">"#;
        for region in ["session", nhi_lens::console::TENANT_REGION] {
            captures.push(Capture::Dom {
                region: region.into(),
                html: meta.into(),
            });
        }
        if let Some((current, pages)) = shown {
            let buttons: String = (1..=pages)
                .map(|n| {
                    format!(
                        r#"<li><button aria-current="{}">{n}</button></li>"#,
                        n == current
                    )
                })
                .collect();
            captures.push(Capture::Dom {
                region: nhi_lens::console::LIST_PAGE_REGION.into(),
                html: format!("<ul>{buttons}</ul>"),
            });
        }
        let sender = console_at(url);
        let request = Request::Captured {
            url: url.into(),
            captures,
            missing: Vec::new(),
        };
        (request, sender)
    }

    #[test]
    fn a_list_shown_a_page_at_a_time_under_one_url_keeps_every_page_viewed() {
        let b = brain(Vec::new());
        let read = |users: &[&str], shown| {
            let (request, sender) = iam_users(users, shown);
            block_on(b.handle(request, &sender))
        };
        let users = |b: &Brain<TestHost>| {
            let inventory = inventory_of(b, "aws:123456789012");
            ["jane.doe", "alice.ops", "legacy-backup"]
                .into_iter()
                .filter(|u| inventory.text.contains(&format!("/{u}\"")))
                .collect::<Vec<_>>()
        };
        read(&["jane.doe", "alice.ops"], Some((1, 2)));
        assert_eq!(users(&b), ["jane.doe", "alice.ops"]);
        // The next page, under the same URL: the first stays.
        let reply = read(&["legacy-backup"], Some((2, 2)));
        assert!(
            matches!(reply, Reply::Annotations { status: PageStatus::Read { identities, .. }, .. } if identities > 0),
            "{reply:?}"
        );
        assert_eq!(users(&b), ["jane.doe", "alice.ops", "legacy-backup"]);
        // The first page again: the second stays too.
        read(&["jane.doe", "alice.ops"], Some((1, 2)));
        assert_eq!(users(&b), ["jane.doe", "alice.ops", "legacy-backup"]);
        // Its first page drawn before its page buttons: its rows' places (1 and 2 of the
        // table's) are on the first page, and the second page's place is not theirs.
        read(&["jane.doe", "alice.ops"], None);
        assert_eq!(users(&b), ["jane.doe", "alice.ops", "legacy-backup"]);
        // The first page sorted otherwise, or filtered, or the whole list on one page: the
        // other pages stay (a user is never lost to a view that leaves them out).
        read(&["jane.doe"], None);
        assert_eq!(users(&b), ["jane.doe", "legacy-backup"]);
        read(&["alice.ops"], Some((1, 2)));
        assert_eq!(users(&b), ["alice.ops", "legacy-backup"]);
    }

    #[test]
    fn a_list_still_loading_never_takes_the_place_of_its_last_reading() {
        let b = brain(Vec::new());
        let (request, sender) = iam_users(&["jane.doe", "alice.ops"], None);
        block_on(b.handle(request, &sender));
        let listed = |b: &Brain<TestHost>| {
            let inventory = inventory_of(b, "aws:123456789012");
            ["jane.doe", "alice.ops"]
                .into_iter()
                .filter(|u| inventory.text.contains(&format!("/{u}\"")))
                .count()
        };
        assert_eq!(listed(&b), 2);
        // The table drawn again, its one row spanning it: loading, then (the users deleted) empty.
        let one_row = |text: &str| {
            let (mut request, sender) = iam_users(&[], None);
            if let Request::Captured { captures, .. } = &mut request
                && let Some(Capture::Dom { html, .. }) = captures.first_mut()
            {
                *html = html.replace(
                    "<tbody></tbody>",
                    &format!(r#"<tbody><tr><td colspan="7"><div>{text}</div></td></tr></tbody>"#),
                );
            }
            block_on(b.handle(request, &sender))
        };
        one_row("<span>Loading users</span>");
        assert_eq!(listed(&b), 2, "the users stay while the list loads");
        one_row("<b>No users</b> to display");
        assert_eq!(listed(&b), 0, "an empty list is read as empty");
    }

    #[test]
    fn a_virtual_grid_scrolled_through_reads_every_row_it_drew() {
        let b = brain(Vec::new());
        let sender = console_at(SNOWFLAKE_USERS_PAGE);
        // The grid as the page draws it (the worker writes the saved-from line).
        let draw = |fixture: &str| {
            let html = fixture.split_once("-->\n").unwrap().1.to_string();
            let request = sent(vec![Capture::Dom {
                region: "users".into(),
                html,
            }]);
            match block_on(b.handle(request, &sender)) {
                Reply::Annotations { status, .. } => status,
                other => panic!("{other:?}"),
            }
        };
        let users = |b: &Brain<TestHost>| {
            let inventory = inventory_of(b, "snowflake:us-west-2/acme");
            let mut users: Vec<String> = inventory.report["identities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["native_id"].as_str().unwrap().to_string())
                .collect();
            users.sort();
            (users, inventory.report["errors"].to_string())
        };
        // The first screen of a grid of 11 users: rows 2 to 10 of 12, the header first.
        let top = include_str!("../../tests/fixtures/snowflake/users_grid.html")
            .replace("aria-rowcount=\"10\"", "aria-rowcount=\"12\"");
        let status = draw(&top);
        assert!(
            matches!(
                status,
                PageStatus::Read {
                    identities: 9,
                    partial: true
                }
            ),
            "{status:?}"
        );
        let (first_screen, errors) = users(&b);
        assert_eq!(first_screen.len(), 9);
        assert!(
            errors.contains("11 rows and draws those in view; 9 were read"),
            "{errors}"
        );
        // Scrolled to its end, the grid draws rows 11 and 12: the first screen's users stay, and
        // the list is read whole.
        let end = include_str!("../../tests/fixtures/snowflake/users_grid_page2.html");
        let status = draw(end);
        assert!(
            matches!(status, PageStatus::Read { partial: false, .. }),
            "{status:?}"
        );
        let (all, errors) = users(&b);
        assert_eq!(all.len(), 11, "{all:?}");
        assert!(first_screen.iter().all(|u| all.contains(u)), "{all:?}");
        assert!(!errors.contains(ROWS_NOT_READ), "{errors}");
        // Back at its top, the first screen takes its own place again, not the end's.
        draw(&top);
        assert_eq!(users(&b).0, all);
    }

    /// Snowsight's users page of the test build's account.
    const SNOWFLAKE_USERS_PAGE: &str =
        "http://127.0.0.1:9/app.snowflake.com/us-west-2/acme/#/admin/users";

    /// Snowsight's users grid of `count` rows (less its header) drawing the fixture's rows
    /// `rows` at places from `first` on (2 is its first row under the header), as its page sends
    /// it; the inventory read after it.
    fn draw_snowflake_grid(b: &Brain<TestHost>, count: u32, first: u32, rows: &[u32]) -> Inventory {
        let fixture = include_str!("../../tests/fixtures/snowflake/users_grid.html");
        let row_of = |index: u32| {
            fixture
                .lines()
                .find(|l| l.contains(&format!("aria-rowindex=\"{index}\"")))
                .unwrap()
        };
        let head: String = fixture.lines().skip(1).take(3).collect();
        let body: String = rows
            .iter()
            .zip(first..)
            .map(|(row, at)| {
                row_of(*row).replace(
                    &format!("aria-rowindex=\"{row}\""),
                    &format!("aria-rowindex=\"{at}\""),
                )
            })
            .collect();
        let html = format!(
            "{}{body}</div></div>",
            head.replace("\"10\"", &format!("\"{count}\""))
        );
        let request = sent(vec![Capture::Dom {
            region: "users".into(),
            html,
        }]);
        block_on(b.handle(request, &console_at(SNOWFLAKE_USERS_PAGE)));
        inventory_of(b, "snowflake:us-west-2/acme")
    }

    #[test]
    fn a_virtual_grids_rows_drawn_again_take_the_places_of_those_drawn_before() {
        let b = brain(Vec::new());
        // The grid of `count` rows drawing the fixture's `rows` from place `first` on.
        let draw = |count: u32, first: u32, rows: &[u32]| {
            let inventory = draw_snowflake_grid(&b, count, first + 2, rows);
            let mut users: Vec<String> = inventory.report["identities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["native_id"].as_str().unwrap().to_string())
                .collect();
            users.sort();
            users
        };
        // Scrolled a little: rows 5 to 8 of nine users (the fixture's rows 5 to 8).
        assert_eq!(
            draw(10, 3, &[5, 6, 7, 8]),
            ["AIRFLOW", "MARK", "OLD_ETL_USER", "TABLEAU_EXTRACT"]
        );
        // AIRFLOW deleted, the grid drawn a row higher: its rows 4 to 7 now show the fixture's
        // rows 4, 5, 7 and 8, and the rows drawn before from its second on are theirs.
        assert_eq!(
            draw(9, 2, &[4, 5, 7, 8]),
            ["FIVETRAN_LOADER", "MARK", "OLD_ETL_USER", "TABLEAU_EXTRACT"]
        );
    }

    #[test]
    fn a_virtual_grids_rows_drawn_past_its_end_now_leave() {
        let b = brain(Vec::new());
        // The grid of `count` rows drawing the fixture's `rows`, each at its own place.
        let draw = |count: u32, rows: &[u32]| {
            let inventory = draw_snowflake_grid(&b, count, rows[0], rows);
            let ids = inventory.report["identities"].as_array().unwrap().len();
            (ids, inventory.report["errors"].to_string())
        };
        // Scrolled to its end: rows 8 to 10, then its top, rows 2 to 7: nine users, all read.
        draw(10, &[8, 9, 10]);
        let (all, errors) = draw(10, &[2, 3, 4, 5, 6, 7]);
        assert_eq!(all, 9);
        assert!(!errors.contains(ROWS_NOT_READ), "{errors}");
        // Three users deleted at its end: the grid has six, drawn whole from its top. The rows
        // drawn before past its end leave with them.
        let (now, errors) = draw(7, &[2, 3, 4, 5, 6, 7]);
        assert_eq!(now, 6, "{errors}");
        assert!(!errors.contains(ROWS_NOT_READ), "{errors}");
    }

    #[test]
    fn a_list_whose_body_names_its_next_page_is_read_in_part_until_its_last_page() {
        // Atlassian's tokens page by `links.next` in the body, with no `Link` header.
        let host = "http://127.0.0.1:9/admin.atlassian.com";
        let mut sender = console();
        sender.url = format!("{host}/o/acme/security/api-token-activity");
        let api = format!("{host}/gateway/api/admin/api-access/v1/orgs/acme/api-tokens");
        let body = |next: &str| {
            format!(
                r#"{{"data":[{{"id":"t1","label":"deploy","status":"ALLOWED","createdAt":"2025-01-01T00:00:00Z","user":{{"id":"u1","name":"Dana"}}}}],"links":{{"self":"{api}","next":{next},"prev":null}}}}"#
            )
        };
        let next = format!("\"{api}?cursor=cGFnZTI\"");
        for (next, partial) in [(next.as_str(), true), ("null", false), ("\"\"", false)] {
            let b = brain(Vec::new());
            let reply =
                block_on(b.handle(json_capture(&sender.url, &api, body(next), None), &sender));
            let (tenant, status, badges) = answered(reply);
            assert_eq!(tenant, "atlassian:acme");
            assert_eq!(badges.len(), 1, "{next}");
            assert_eq!(
                status,
                PageStatus::Read {
                    identities: 1,
                    partial
                },
                "{next}"
            );
            // Nothing is fetched: the console loads the next page as the admin pages on.
            assert!(b.host.fetched.borrow().is_empty());
        }
    }

    #[test]
    fn a_list_that_goes_on_past_what_was_read_says_so() {
        // The next page is named, and cannot be fetched: the page's list goes on.
        let b = brain(Vec::new());
        let next = tokens_after("00T1");
        let reply = block_on(b.handle(
            captured(token_page("00T1"), rel_next(&next).as_deref()),
            &console(),
        ));
        let (_, status, _) = answered(reply);
        assert_eq!(
            status,
            PageStatus::Read {
                identities: 1,
                partial: true
            }
        );
        // Its last page: the list is read to its end.
        let b = brain(Vec::new());
        let (_, status, _) = answered(block_on(
            b.handle(captured(token_page("00T1"), None), &console()),
        ));
        assert_eq!(status, read_whole(1));
    }
}
