//! The inventory table: sortable headers and a virtual list of fixed-height rows. Only the rows
//! in view (plus an overscan) are in the DOM, so 10,000 identities scroll like 40.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::age;
use crate::components::chip::risk_chip;
use crate::labels;
use crate::model::{Inventory, Row};
use crate::shared::Shared;
use crate::view::{Column, Sort};
use crate::window::{DEFAULT_VIEWPORT, OVERSCAN, ROW_HEIGHT, ROW_PX, Window};

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub inventory: Shared<Inventory>,
    /// Indexes into `inventory.rows`, in display order.
    pub view: Shared<Vec<u32>>,
    pub sort: Sort,
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    pub on_sort: Callback<Column>,
    pub on_open: Callback<String>,
}

/// What the window depends on: the first row under the header and the viewport height.
#[derive(Clone, Copy, PartialEq)]
struct Metrics {
    first: usize,
    viewport: i32,
}

fn measure(el: &Element) -> Metrics {
    // A table without its stylesheet grows to its full height: never draw more than a screenful.
    let screen = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .map_or(i32::MAX, |h| h as i32);
    Metrics {
        first: (f64::from(el.scroll_top().max(0)) / ROW_HEIGHT).floor() as usize,
        viewport: el.client_height().min(screen),
    }
}

#[function_component(InventoryTable)]
pub fn inventory_table(props: &TableProps) -> Html {
    let scroller = use_node_ref();
    let metrics = use_state_eq(|| Metrics {
        first: 0,
        viewport: DEFAULT_VIEWPORT as i32,
    });

    // Measure once mounted, and again when the window is resized.
    {
        let scroller = scroller.clone();
        let metrics = metrics.clone();
        use_effect_with((), move |_| {
            let update = move || {
                if let Some(el) = scroller.cast::<Element>()
                    && el.client_height() > 0
                {
                    metrics.set(measure(&el));
                }
            };
            update();
            let listener = Closure::<dyn Fn()>::new(update);
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }

    let onscroll = {
        let metrics = metrics.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            metrics.set(measure(&el));
        })
    };

    // The row to give the focus to once it is drawn: one the keyboard moved to beyond the rows
    // in the DOM (Home, End, a page away), the list scrolled to it first.
    let pending_focus = use_mut_ref(|| None::<usize>);
    {
        let (pending_focus, scroller) = (pending_focus.clone(), scroller.clone());
        use_effect(move || {
            let target = *pending_focus.borrow();
            if let Some(pos) = target
                && let Some(row) = row_at(&scroller, pos)
            {
                let _ = row.focus();
                *pending_focus.borrow_mut() = None;
            }
        });
    }
    let onkeydown = {
        let (scroller, pending_focus) = (scroller.clone(), pending_focus.clone());
        let (on_open, view, metrics) = (props.on_open.clone(), props.view.clone(), *metrics);
        Callback::from(move |e: KeyboardEvent| {
            let row: Element = e.target_unchecked_into();
            let Some(pos) = row
                .get_attribute("aria-rowindex")
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| i.checked_sub(2))
            else {
                return;
            };
            let page = (metrics.viewport.max(0) as usize / ROW_PX as usize)
                .saturating_sub(2)
                .max(1);
            let last = view.len().saturating_sub(1);
            let target = match e.key().as_str() {
                "Enter" | " " => {
                    e.prevent_default();
                    if let Some(id) = row.get_attribute("data-id") {
                        on_open.emit(id);
                    }
                    return;
                }
                "ArrowDown" => pos.saturating_add(1).min(last),
                "ArrowUp" => pos.saturating_sub(1),
                "PageDown" => pos.saturating_add(page).min(last),
                "PageUp" => pos.saturating_sub(page),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            // The browser's own scrolling would take the focused row out of the DOM, and the
            // focus with it.
            e.prevent_default();
            match row_at(&scroller, target) {
                Some(el) => {
                    let _ = el.focus();
                }
                None => {
                    *pending_focus.borrow_mut() = Some(target);
                    if let Some(el) = scroller.cast::<Element>() {
                        let top = crate::window::row_top(target, ROW_HEIGHT);
                        el.set_scroll_top((top - f64::from(metrics.viewport) / 2.0).max(0.0) as i32);
                    }
                }
            }
        })
    };

    let inv = &props.inventory;
    let view = &props.view;
    let window = Window::at(
        view.len(),
        metrics.first as f64 * ROW_HEIGHT,
        f64::from(metrics.viewport.max(0)),
        ROW_HEIGHT,
        OVERSCAN,
    );
    let selected = props.selected.as_deref();
    // One tab stop in the list: the open row's when it is drawn, else the first drawn.
    let tab_stop = (window.start..window.end)
        .find(|&pos| selected == Some(inv.rows[view[pos] as usize].id.as_str()))
        .unwrap_or(window.start);
    let rows = (window.start..window.end).map(|pos| {
        let row = &inv.rows[view[pos] as usize];
        row_html(
            row,
            pos,
            inv.now,
            selected == Some(row.id.as_str()),
            pos == tab_stop,
            &props.on_open,
        )
    });

    html! {
        <div class="table" id="nhi-table" role="table" aria-label="Non-human identities"
             aria-rowcount={(view.len() + 1).to_string()} ref={scroller} {onscroll} {onkeydown}
             data-nhi-window={format!("{}-{}", window.start, window.end)}>
            <div role="rowgroup" class="thead">
                <div role="row" class="tr head" aria-rowindex="1">
                    { for Column::ALL.into_iter().map(|c| header(c, props.sort, &props.on_sort)) }
                </div>
            </div>
            <div role="rowgroup" class="tbody"
                 style={format!("height:{}px", view.len() as u64 * u64::from(ROW_PX))}>
                { for rows }
            </div>
        </div>
    }
}

fn header(column: Column, sort: Sort, on_sort: &Callback<Column>) -> Html {
    let active = sort.column == column;
    let aria_sort = if active {
        sort.direction.aria()
    } else {
        "none"
    };
    let arrow = match (active, sort.direction) {
        (false, _) => "",
        (true, crate::view::Direction::Ascending) => " ▲",
        (true, crate::view::Direction::Descending) => " ▼",
    };
    let onclick = on_sort.reform(move |_: MouseEvent| column);
    html! {
        <div role="columnheader" class={classes!("th", format!("col-{}", column.as_str()))} aria-sort={aria_sort}>
            <button type="button" class="sort" data-nhi-sort={column.as_str()} {onclick}
                    title={format!("Sort by {}", column.title().to_lowercase())}>
                { column.title() }<span aria-hidden="true">{ arrow }</span>
            </button>
        </div>
    }
}

/// The row drawn at `pos` of the view, if it is in the DOM.
fn row_at(scroller: &NodeRef, pos: usize) -> Option<HtmlElement> {
    let table = scroller.cast::<Element>()?;
    let selector = format!("[data-nhi-row][aria-rowindex=\"{}\"]", pos + 2);
    table.query_selector(&selector).ok()??.dyn_into().ok()
}

fn row_html(
    row: &Row,
    pos: usize,
    now: i64,
    selected: bool,
    tab_stop: bool,
    on_open: &Callback<String>,
) -> Html {
    let id = row.id.clone();
    let onclick = {
        let id = id.clone();
        on_open.reform(move |_: MouseEvent| id.clone())
    };
    let k = &row.keys;
    let changes = k.changes;
    let owner = age::owner_label(
        row.owner
            .as_ref()
            .map(|o| (o.name.as_str(), o.status.as_str())),
        &row.owner_state,
        row.human,
    );
    let owner_class = match &row.owner {
        Some(o) if o.status == "disabled" => "td col-owner warn",
        Some(_) => "td col-owner",
        None => "td col-owner muted",
    };
    let expires_soon = k.expires.is_some_and(|t| t < now + 30 * age::DAY);
    html! {
        <div role="row" key={id.clone()} class={classes!("tr", selected.then_some("selected"))}
             tabindex={if tab_stop { "0" } else { "-1" }} data-nhi-row="" data-id={id}
             data-risk={row.risk.level.as_str()}
             data-changed={changes.names()} aria-rowindex={(pos + 2).to_string()}
             aria-current={selected.then_some("true")}
             style={format!("transform:translateY({}px)", pos as u64 * u64::from(ROW_PX))}
             {onclick}>
            <div role="cell" class="td col-risk">
                { risk_chip(row.risk.level, row.risk.score) }
                // Its score leaves privilege out: a LOW here is not a clean bill.
                if row.permissions_unread() {
                    <span class="unread" data-nhi-unread="" role="img" aria-label="permissions not read"
                          title={format!("Permissions {}", nhi_lens::model::GRANTS_UNREAD_NOTE)}>{ "?" }</span>
                }
            </div>
            <div role="cell" class="td col-name" title={row.name.clone()}>
                <span class="name">{ row.name.clone() }</span>
                if row.pending {
                    <span class="tag" data-nhi-pending="" title="Requested, not approved: its findings are what approving it would bring">{ "request" }</span>
                } else if !row.enabled {
                    <span class="tag">{ "disabled" }</span>
                }
                { for changes.kinds().map(|c| html! {
                    <span class="mark" data-nhi-change={c.as_str()} title={format!("{} since your last review", c.label())}>{ c.marker() }</span>
                }) }
            </div>
            <div role="cell" class={owner_class} title={owner.clone()}>{ owner }</div>
            <div role="cell" class="td col-age num"
                 title={k.created.map(|t| format!("created {}", age::date(t))).unwrap_or_default()}>
                { age::age_label(row.age_days) }
            </div>
            <div role="cell" class="td col-kind">{ labels::kind(&row.kind) }</div>
            <div role="cell" class="td col-last_used num"
                 title={k.last_used.map(age::date).unwrap_or_default()}>
                { age::last_used_label(k.last_used, &row.last_used_source, now) }
            </div>
            <div role="cell" class="td col-oldest_secret num"
                 title={k.oldest_secret.map(|t| format!("since {}", age::date(t))).unwrap_or_default()}>
                { age::secret_label(k.oldest_secret, now) }
            </div>
            <div role="cell" class={classes!("td", "col-expires", "num", expires_soon.then_some("warn"))}
                 title={k.expires.map(age::date).unwrap_or_default()}>
                { age::expires_label(k.expires, &row.expiry, now) }
            </div>
            <div role="cell" class="td col-platform">{ labels::platform(&row.platform).to_string() }</div>
        </div>
    }
}
