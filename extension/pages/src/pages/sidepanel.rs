//! The side panel: a tenant chooser, what changed since the last review, filters and search, the
//! virtual inventory table, export, and the detail of the identity clicked.

use std::cell::Cell;
use std::rc::Rc;

use nhi_lens::protocol::{Reply, Request};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::changes::{ChangeKind, counts};
use crate::components::detail::Detail;
use crate::components::export::ExportBar;
use crate::components::notices;
use crate::components::select::Select;
use crate::components::table::InventoryTable;
use crate::labels;
use crate::model::{Inventory, Row};
use crate::panel::{Action, FilterChange, Panel, TENANT_KEY};
use crate::view::{AgeFilter, ChangedFilter, Column, OwnerFilter};

type Dispatch = UseReducerDispatcher<Panel>;

/// How often the side panel looks for a newer inventory (the background reads pages as the admin
/// browses the console).
const POLL_MS: i32 = 5_000;

/// The page name `pages.js` knows the side panel by (its body's `data-page`).
const PAGE: &str = "sidepanel";

/// Remembers the tenant shown, and has its inventory asked for as the panel next opens (an open
/// panel shows it: the popup calls this as it opens the panel for a tab).
pub fn remember_tenant(tenant: &str) {
    bridge::remember(TENANT_KEY, tenant);
    let request = Request::Inventory {
        tenant: tenant.to_string(),
    };
    bridge::ask_early(PAGE, Some(&request));
}

/// Forgets the tenant shown (every inventory was deleted).
pub fn forget_tenant() {
    bridge::forget(TENANT_KEY);
    bridge::ask_early(PAGE, None);
}

/// Asks for the tenants; the reducer picks the remembered (or first) one and whether its
/// inventory must be loaded.
fn load_tenants(dispatch: Dispatch, quiet: bool) {
    spawn_local(async move {
        match bridge::ask(Request::Tenants).await {
            Ok(Reply::Tenants { tenants }) => dispatch.dispatch(Action::Tenants {
                tenants,
                remembered: bridge::remembered(TENANT_KEY),
            }),
            // A failed poll is not worth a banner: the next one may work.
            _ if quiet => {}
            Ok(other) => dispatch.dispatch(Action::Failed(bridge::unexpected(&other))),
            Err(e) => dispatch.dispatch(Action::Failed(e)),
        }
    });
}

/// Asks for a tenant's inventory; `early`: before the tenant list, whose arrival decides what a
/// failure means.
fn load_inventory(dispatch: Dispatch, tenant: String, early: bool) {
    spawn_local(async move {
        let failed = |e: String| {
            if early {
                Action::EarlyFailed(tenant.clone())
            } else {
                Action::Failed(e)
            }
        };
        let request = Request::Inventory {
            tenant: tenant.clone(),
        };
        // Asked as the page opened, by pages.js, or now.
        let started = bridge::early_asked_at(&request).unwrap_or_else(bridge::clock_ms);
        let text = match bridge::answer_text(&request).await {
            Ok(text) => text,
            Err(e) => return dispatch.dispatch(failed(e)),
        };
        let answered = bridge::clock_ms();
        let read = Inventory::from_answer(&text, bridge::now()).unwrap_or_else(|| {
            Reply::from_json(&text)
                .map_err(|e| format!("NHI Lens could not read the background's answer: {e}"))
                .and_then(|reply| Inventory::from_reply(reply, bridge::now()))
        });
        match read {
            Ok(inventory) => {
                let read = bridge::clock_ms();
                let rows = inventory.rows.len();
                dispatch.dispatch(Action::Loaded(inventory));
                web_sys::console::debug_1(
                    &format!(
                        "nhi-lens: inventory of {rows} identities answered and read in {} ms \
                         (the answer, {} bytes: {} ms; reading it: {} ms; asked {} ms after the \
                         page opened)",
                        (read - started) as i64,
                        text.len(),
                        (answered - started) as i64,
                        (read - answered) as i64,
                        started as i64
                    )
                    .into(),
                );
            }
            Err(e) => dispatch.dispatch(failed(e)),
        }
    });
}

#[function_component(SidePanel)]
pub fn side_panel() -> Html {
    let state = use_reducer(Panel::default);

    // The tenants at once, then a poll while the panel is visible.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            if let Some(remembered) = bridge::remembered(TENANT_KEY) {
                dispatch.dispatch(Action::Early(remembered));
            }
            load_tenants(dispatch.clone(), false);
            let poll = Closure::<dyn Fn()>::new(move || {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.hidden());
                if !hidden {
                    load_tenants(dispatch.clone(), true);
                }
            });
            let window = web_sys::window();
            let id = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    poll.as_ref().unchecked_ref(),
                    POLL_MS,
                )
                .ok()
            });
            move || {
                if let (Some(w), Some(id)) = (window, id) {
                    w.clear_interval_with_handle(id);
                }
                drop(poll);
            }
        });
    }
    // The console in the active tab names the tenant to show: as the panel opens, and each time
    // the admin switches tabs in its window (the latest switch wins over a slower answer to an
    // earlier one). The popup opening the panel for its tab has it remembered first.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let asked = Rc::new(Cell::new(0u32));
            let follow = move |switched_in: Option<i64>| {
                let (dispatch, asked) = (dispatch.clone(), asked.clone());
                let this = asked.get() + 1;
                asked.set(this);
                spawn_local(async move {
                    if let Some(tenant) = bridge::active_tab_tenant(switched_in).await
                        && asked.get() == this
                    {
                        dispatch.dispatch(Action::InView(tenant));
                    }
                });
            };
            follow(None);
            bridge::on_tab_activated(follow);
        });
    }
    // Load the chosen tenant's inventory each time the reducer asks for it.
    {
        let (dispatch, tenant, early) = (state.dispatcher(), state.tenant.clone(), state.early);
        use_effect_with(state.refresh, move |refresh| {
            if *refresh > 0
                && let Some(t) = tenant
            {
                load_inventory(dispatch, t, early);
            }
        });
    }

    // The tenant whose inventory is shown is the one to open with next time (not a late answer
    // the reducer dropped).
    {
        let shown = state.inventory.as_ref().map(|i| i.tenant.clone());
        use_effect_with(shown, |shown| {
            if let Some(tenant) = shown {
                remember_tenant(tenant);
            }
        });
    }

    let on_tenant = {
        let dispatch = state.dispatcher();
        Callback::from(move |tenant: String| {
            remember_tenant(&tenant);
            dispatch.dispatch(Action::Choose(tenant));
        })
    };
    let on_refresh = {
        let (dispatch, has_tenant) = (state.dispatcher(), state.tenant.is_some());
        let loading = state.loading;
        Callback::from(move |_: MouseEvent| {
            // Focusable while it loads (a disabled button drops the keyboard's focus).
            if loading {
                return;
            }
            if has_tenant {
                dispatch.dispatch(Action::Reload);
            } else {
                load_tenants(dispatch.clone(), false);
            }
        })
    };

    let header = html! {
        <header class="bar">
            <h1 class="brand">{ "NHI Lens" }</h1>
            { tenant_chooser(&state, on_tenant) }
            <button type="button" id="nhi-refresh" onclick={on_refresh} aria-disabled={state.loading.then_some("true")}
                    title="Read the inventory again">{ if state.loading { "Loading…" } else { "Refresh" } }</button>
        </header>
    };

    let mut detail = None;
    let body = match (&state.tenants, &state.inventory) {
        (None, _) if state.error.is_none() => {
            html! { <p class="empty" aria-busy="true">{ "Loading…" }</p> }
        }
        (Some(t), _) if t.is_empty() => empty_no_tenants(),
        (_, Some(inv)) => {
            let (view, open) = inventory_view(&state, inv.clone());
            detail = open;
            view
        }
        (Some(_), None) if state.loading => {
            html! { <p class="empty" aria-busy="true">{ "Loading the inventory…" }</p> }
        }
        _ => html! {},
    };

    // The open detail covers the panel: what is behind it is out of reach of the keyboard and a
    // screen reader until it closes.
    let behind = detail.is_some();
    html! {
        <div class="app sidepanel">
            <div class="behind" inert={behind}>
                { header }
                { notices::error(state.error.as_deref()) }
                { body }
            </div>
            { for detail }
        </div>
    }
}

fn tenant_chooser(state: &Panel, onchange: Callback<String>) -> Html {
    let tenants = state.tenants.as_deref().unwrap_or_default();
    let options: Vec<(AttrValue, AttrValue)> = tenants
        .iter()
        .map(|t| {
            let label = match (t.critical, t.high) {
                _ if t.unreadable.is_some() => format!("{} — could not be read", t.tenant),
                (0, 0) => format!("{} — {} identities", t.tenant, t.identities),
                (c, h) => format!(
                    "{} — {} identities, {c} critical, {h} high",
                    t.tenant, t.identities
                ),
            };
            (AttrValue::from(t.tenant.clone()), AttrValue::from(label))
        })
        .collect();
    html! {
        <div class="tenant">
            <Select id="nhi-tenant" label="Tenant" {options} {onchange} disabled={tenants.is_empty()}
                    value={AttrValue::from(state.tenant.clone().unwrap_or_default())} />
        </div>
    }
}

fn empty_no_tenants() -> Html {
    let consoles = labels::platforms()
        .map(|(_, name)| name)
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <div class="empty" data-nhi-empty="no-tenants">
            <p><strong>{ "No inventory yet." }</strong></p>
            <p>{ "Open a supported console page as an admin — the integrations, apps, service accounts or \
                  tokens page — and NHI Lens lists the non-human identities it finds there." }</p>
            <p class="muted">{ format!("Supported consoles: {consoles}.") }</p>
        </div>
    }
}

/// The inventory's view, and the detail open over it.
fn inventory_view(
    state: &UseReducerHandle<Panel>,
    inv: crate::shared::Shared<Inventory>,
) -> (Html, Option<Html>) {
    let dispatch = state.dispatcher();
    let filter_cb = |make: fn(String) -> FilterChange| {
        let dispatch = dispatch.clone();
        Callback::from(move |value: String| dispatch.dispatch(Action::Filter(make(value))))
    };
    let on_platform = filter_cb(|v| FilterChange::Platform((!v.is_empty()).then_some(v)));
    let on_kind = filter_cb(|v| FilterChange::Kind((!v.is_empty()).then_some(v)));
    let on_level = filter_cb(|v| FilterChange::Level(labels::parse_level(&v)));
    let on_owner = filter_cb(|v| FilterChange::Owner(OwnerFilter::parse(&v)));
    let on_age = filter_cb(|v| FilterChange::Age(AgeFilter::parse(&v)));
    let on_changed = filter_cb(|v| FilterChange::Changed(ChangedFilter::parse(&v)));
    let on_search = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::Filter(FilterChange::Search(value)));
        })
    };
    let on_clear = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Filter(FilterChange::Clear)))
    };
    let on_sort = {
        let dispatch = dispatch.clone();
        Callback::from(move |c: Column| dispatch.dispatch(Action::SortBy(c)))
    };
    let on_open = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| dispatch.dispatch(Action::Open(id)))
    };
    let view_ids = {
        let state = state.clone();
        Callback::from(move |()| state.view_ids())
    };

    let f = &state.filter;
    let (platforms, kinds) = (&inv.platforms, &inv.kinds);
    // Each filter lists "any" (the empty value) first, then its choices as (value, label).
    let options =
        |any: &'static str, choices: Vec<(&str, String)>| -> Vec<_> {
            std::iter::once((AttrValue::Static(""), AttrValue::Static(any)))
                .chain(choices.into_iter().map(|(value, label)| {
                    (AttrValue::from(value.to_string()), AttrValue::from(label))
                }))
                .collect()
        };
    let risk_options = options(
        "Any risk",
        labels::LEVELS
            .iter()
            .map(|l| (l.as_str(), labels::level_title(*l).to_string()))
            .collect(),
    );
    let platform_options = options(
        "Any platform",
        platforms
            .iter()
            .map(|p| (p.as_str(), labels::platform(p).to_string()))
            .collect(),
    );
    let kind_options = options(
        "Any kind",
        kinds
            .iter()
            .map(|k| (k.as_str(), labels::kind(k)))
            .collect(),
    );
    let owner_options = options("Any owner", OwnerFilter::listed());
    let age_options = options("Any age", AgeFilter::listed());
    let changed_options = options(
        "Changed or not",
        std::iter::once(("any", "Changed since review".to_string()))
            .chain(
                ChangeKind::ALL
                    .iter()
                    .filter(|k| **k != ChangeKind::Removed)
                    .map(|k| (k.as_str(), format!("Changed: {}", k.label()))),
            )
            .collect(),
    );
    let current = |v: Option<&str>| AttrValue::from(v.unwrap_or("").to_string());

    let tenant = inv.tenant.clone();
    let shown = state.view.len();
    let total = inv.rows.len();

    let table = if total == 0 {
        if inv.layout_changed().next().is_some() {
            html! { <p class="empty" data-nhi-empty="unreadable">{ "NHI Lens could not read the console pages of this tenant. See the warning above." }</p> }
        } else {
            html! {
                <div class="empty" data-nhi-empty="no-identities">
                    <p>{ "No non-human identities were found on the console pages read for this tenant so far." }</p>
                    <p class="muted">{ "Open the console's apps, integrations, service accounts or tokens pages to add them." }</p>
                </div>
            }
        }
    } else if shown == 0 {
        html! {
            <div class="empty" data-nhi-empty="filtered">
                <p>{ "No identities match these filters." }</p>
                <button type="button" onclick={on_clear.clone()}>{ "Clear filters" }</button>
            </div>
        }
    } else {
        html! {
            <InventoryTable inventory={inv.clone()} view={state.view.clone()} sort={state.sort}
                            selected={state.selected.clone().map(AttrValue::from)} {on_sort} {on_open} />
        }
    };

    let detail = state.selected_row().map(|row| {
        let changes: Vec<_> = inv.changes_of(&row.id).cloned().collect();
        let id = row.id.clone();
        let on_close = {
            let dispatch = dispatch.clone();
            Callback::from(move |()| {
                dispatch.dispatch(Action::Close);
                // Give the focus back to the row (CSS-escaped through its attribute value).
                let id = id.clone();
                yew::platform::spawn_local(async move {
                    crate::focus::give_back(&format!(
                        "[data-nhi-row][data-id=\"{}\"]",
                        id.replace('\\', "\\\\").replace('"', "\\\"")
                    ))
                    .await;
                });
            })
        };
        let on_updated = {
            let dispatch = dispatch.clone();
            Callback::from(move |row: Row| dispatch.dispatch(Action::Updated(Box::new(row))))
        };
        html! {
            <div class="drawer" role="dialog" aria-modal="true" aria-labelledby="nhi-detail-title">
                <Detail key={row.id.clone()} tenant={inv.tenant.clone()} row={Rc::new(row.clone())}
                        changes={Rc::new(changes)} now={inv.now} {on_updated} {on_close} />
            </div>
        }
    });

    let view = html! {
        <>
            { notices::layout_warning(inv.layout_changed()) }
            { notices::report_errors(&inv.errors) }
            { freshness(&inv, bridge::now()) }
            { changes_bar(state, &inv) }
            <div class="toolbar filters" role="search">
                <input type="search" id="nhi-search" placeholder="Search name, ID, owner"
                       aria-label="Search name, ID or owner" value={f.search.clone()} oninput={on_search} />
                <Select id="nhi-filter-risk" label="Risk level" options={risk_options}
                        value={current(f.level.map(|l| l.as_str()))} onchange={on_level} />
                <Select id="nhi-filter-platform" label="Platform" options={platform_options}
                        value={current(f.platform.as_deref())} onchange={on_platform} />
                <Select id="nhi-filter-kind" label="Kind" options={kind_options}
                        value={current(f.kind.as_deref())} onchange={on_kind} />
                <Select id="nhi-filter-owner" label="Owner" options={owner_options}
                        value={current(f.owner.map(|o| o.as_str()))} onchange={on_owner} />
                <Select id="nhi-filter-age" label="Age" options={age_options}
                        value={current(f.age.map(|a| a.as_str()))} onchange={on_age} />
                <Select id="nhi-filter-changed" label="Changed since review" options={changed_options}
                        value={current(f.changed.map(|c| c.as_str()))} onchange={on_changed} />
                <span class="count muted" id="nhi-row-count" data-count={shown.to_string()} data-total={total.to_string()} aria-live="polite">
                    { if shown == total { format!("{total} identities") } else { format!("{shown} of {total}") } }
                </span>
                if f.is_active() {
                    <button type="button" id="nhi-clear-filters" class="link" onclick={on_clear}>{ "Clear" }</button>
                }
            </div>
            <ExportBar tenant={tenant} {shown} {view_ids} />
            { table }
        </>
    };
    (view, detail)
}

/// How long ago the console's pages were last read: an inventory read weeks ago says so before
/// anyone acts on it or exports it.
fn freshness(inv: &Inventory, now: i64) -> Html {
    const STALE_DAYS: i64 = 7;
    let Some(read) = inv
        .pages
        .iter()
        .filter_map(|p| crate::model::unix(&p.at))
        .max()
    else {
        return html! {};
    };
    let stale = now - read >= STALE_DAYS * crate::age::DAY;
    let when = format!("Read from the console {}", crate::age::ago(read, now));
    html! {
        <p id="nhi-read-at" class={classes!("read-at", if stale { "warn" } else { "muted" })}
           data-stale={stale.to_string()} title={crate::age::date(read)}>
            if stale {
                { format!("{when}: open its pages again to read what changed since.") }
            } else {
                { when }
            }
        </p>
    }
}

fn changes_bar(state: &UseReducerHandle<Panel>, inv: &Inventory) -> Html {
    let dispatch = state.dispatcher();
    let counts = counts(&inv.changes);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let on_mark = {
        let (dispatch, tenant) = (dispatch.clone(), inv.tenant.clone());
        let (loading, seen) = (state.loading, Some(inv.revision));
        Callback::from(move |_: MouseEvent| {
            if loading {
                return;
            }
            let (dispatch, tenant) = (dispatch.clone(), tenant.clone());
            spawn_local(async move {
                // Of the inventory shown: refused if the console pages read more meanwhile.
                match bridge::ask(Request::MarkReviewed { tenant, seen }).await {
                    Ok(Reply::Done) => dispatch.dispatch(Action::Reload),
                    Ok(other) => dispatch.dispatch(Action::Failed(bridge::unexpected(&other))),
                    Err(e) => dispatch.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let since = match inv.reviewed_at.as_deref().and_then(crate::model::unix) {
        Some(t) => format!("Since your last review ({})", crate::age::date(t)),
        None => "Not reviewed yet (changes since you first opened it)".to_string(),
    };
    let removed: Vec<_> = inv
        .changes
        .iter()
        .filter_map(|c| match c {
            nhi_lens::protocol::Change::Removed { name, level, id } => Some((id, name, level)),
            _ => None,
        })
        .collect();
    html! {
        <section class="changes" data-nhi-changes="" data-total={total.to_string()}
                 data-new={counts[0].1.to_string()} data-removed={counts[1].1.to_string()}
                 data-risk-up={counts[2].1.to_string()} data-risk-down={counts[3].1.to_string()}
                 data-scopes-grown={counts[4].1.to_string()} aria-label="What changed since your last review">
            <span class="since">{ since }{ ": " }</span>
            if total == 0 {
                <span class="muted">{ "no changes" }</span>
            } else {
                { for counts.iter().filter(|(_, n)| *n > 0).map(|(k, n)| {
                    let kind = *k;
                    let active = state.filter.changed == Some(ChangedFilter::Kind(kind));
                    let onclick = {
                        let dispatch = dispatch.clone();
                        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Filter(FilterChange::Changed(
                            (!active).then_some(ChangedFilter::Kind(kind))))))
                    };
                    if kind == ChangeKind::Removed {
                        html! { <span class="count-chip" data-nhi-change={kind.as_str()}>{ format!("{n} {}", kind.label()) }</span> }
                    } else {
                        html! {
                            <button type="button" class={classes!("count-chip", active.then_some("active"))}
                                    data-nhi-change={kind.as_str()} aria-pressed={active.to_string()} {onclick}
                                    title={format!("Show only: {}", kind.label())}>
                                { format!("{n} {}", kind.label()) }
                            </button>
                        }
                    }
                }) }
            }
            <button type="button" id="nhi-mark-reviewed" onclick={on_mark} aria-disabled={state.loading.then_some("true")}
                    title="Count later changes from now">{ "Mark reviewed" }</button>
            if !removed.is_empty() {
                <details class="removed">
                    <summary>{ format!("Removed ({})", removed.len()) }</summary>
                    <ul>
                        { for removed.iter().map(|(id, name, level)| html! {
                            <li title={(*id).clone()}>{ (*name).clone() }<span class="muted">{ format!(" · was {level}") }</span></li>
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}
