//! The popup: the active tab's counts by risk, how NHI Lens read the page, and a button that opens
//! the side panel.

use nhi_lens::protocol::{PageStatus, Reply, Request, TabSummary};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::components::notices;
use crate::labels;

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    /// The tab's ID (if any) and its summary (`None`: not a console page).
    Ready(Option<i64>, Option<TabSummary>),
    Failed(Option<i64>, String),
}

#[function_component(Popup)]
pub fn popup() -> Html {
    let load = use_state(|| Load::Loading);
    let open_error = use_state(|| None::<String>);

    {
        let load = load.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let tab = match bridge::active_tab().await {
                    Ok(tab) => tab,
                    Err(e) => return load.set(Load::Failed(None, e)),
                };
                let Some(bridge::ActiveTab {
                    id: tab_id,
                    on_console,
                    ..
                }) = tab
                else {
                    return load.set(Load::Ready(None, None));
                };
                let tab = Some(tab_id);
                // A tab that left the consoles keeps the summary of the last one it showed.
                if !on_console {
                    return load.set(Load::Ready(tab, None));
                }
                load.set(match bridge::ask(Request::TabSummary { tab_id }).await {
                    Ok(Reply::TabSummary { summary }) => Load::Ready(tab, summary),
                    Ok(other) => Load::Failed(tab, bridge::unexpected(&other)),
                    Err(e) => Load::Failed(tab, e),
                });
            });
        });
    }

    let tab_id = match &*load {
        Load::Ready(tab, _) | Load::Failed(tab, _) => *tab,
        Load::Loading => None,
    };
    // The side panel opens on (or, open, turns to) this tab's tenant.
    let tenant = match &*load {
        Load::Ready(_, Some(s)) => bridge::tenant_to_show(s),
        _ => None,
    };
    let on_open = {
        let open_error = open_error.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(tenant) = &tenant {
                crate::pages::sidepanel::remember_tenant(tenant);
            }
            // Called at once, inside the click's user gesture.
            match bridge::open_side_panel(tab_id) {
                Ok(promise) => {
                    let open_error = open_error.clone();
                    spawn_local(async move {
                        match wasm_bindgen_futures::JsFuture::from(promise).await {
                            Ok(_) => bridge::close_window(),
                            Err(e) => open_error.set(Some(bridge::js_error(&e))),
                        }
                    });
                }
                Err(e) => open_error.set(Some(e)),
            }
        })
    };

    let body = match &*load {
        Load::Loading => html! { <p class="muted" aria-busy="true">{ "Reading this tab…" }</p> },
        Load::Failed(_, e) => notices::error(Some(e)),
        Load::Ready(_, None) => {
            let consoles = labels::platforms()
                .map(|(_, n)| n)
                .collect::<Vec<_>>()
                .join(", ");
            html! {
                <div class="empty" data-nhi-empty="not-a-console">
                    <p>{ "This tab is not a supported console page." }</p>
                    <p class="muted">{ format!("NHI Lens reads the admin consoles of {consoles}.") }</p>
                </div>
            }
        }
        Load::Ready(_, Some(s)) => summary(s),
    };

    html! {
        <div class="app popup">
            <header class="bar"><h1 class="brand">{ "NHI Lens" }</h1></header>
            { body }
            <button type="button" id="nhi-open-panel" class="primary" onclick={on_open}>{ "Open the side panel" }</button>
            { notices::error(open_error.as_deref()) }
        </div>
    }
}

fn summary(s: &TabSummary) -> Html {
    let total = s.critical + s.high + s.medium + s.low + s.none;
    let counts = [
        ("critical", s.critical),
        ("high", s.high),
        ("medium", s.medium),
        ("low", s.low),
        ("none", s.none),
    ];
    let status = match &s.status {
        PageStatus::Read {
            identities,
            partial,
        } => html! {
            <>
                <p class="page-status" data-nhi-status="read">
                    { match identities { 0 => "Read: no non-human identities on this page.".to_string(),
                                         1 => "Read: 1 identity on this page.".to_string(),
                                         n => format!("Read: {n} identities on this page.") } }
                </p>
                if *partial {
                    <p class="page-status muted" data-nhi-status="partial">
                        { "The list goes on past what NHI Lens could read here: page on or scroll in the console, and NHI Lens reads each page it loads." }
                    </p>
                }
            </>
        },
        PageStatus::LayoutChanged { detail } => {
            notices::layout_warning_for(&page_name(&s.page, &s.tenant), detail)
        }
        PageStatus::Disabled => html! {
            <p class="page-status muted" data-nhi-status="disabled">{ "NHI Lens is off for this console (see Options)." }</p>
        },
        PageStatus::NotRead { inventory } => html! {
            <p class="page-status muted" data-nhi-status="not-read">
                { match inventory {
                    0 => "NHI Lens reads nothing on this page, and this tenant has no inventory yet: visit one of its pages of integrations, apps or tokens.".to_string(),
                    1 => "NHI Lens reads nothing on this page: a row naming the 1 identity of this tenant's inventory shows its badge.".to_string(),
                    n => format!("NHI Lens reads nothing on this page: rows naming one of the {n} identities of this tenant's inventory show their badges."),
                } }
            </p>
        },
        PageStatus::Reading => html! {
            <p class="page-status muted" data-nhi-status="reading">
                { "Nothing read on this page yet: NHI Lens reads the lists the console loads. A console that shows this page from what it loaded before loads it again when the page is reloaded." }
            </p>
        },
    };
    // Counts are of the identities read on the page; a page read for nothing, or not yet, has none.
    let read_for_nothing = matches!(s.status, PageStatus::NotRead { .. } | PageStatus::Reading);
    html! {
        <section class="summary" data-nhi-summary="" data-tenant={s.tenant.clone()} data-identities={total.to_string()}
                 data-critical={s.critical.to_string()} data-high={s.high.to_string()}
                 data-medium={s.medium.to_string()} data-low={s.low.to_string()} data-none={s.none.to_string()}>
            <div class="muted tenant-line">{ page_name(&s.page, &s.tenant) }{ " · " }<span class="mono">{ s.tenant.clone() }</span></div>
            if !read_for_nothing {
                <div class="counts" role="list">
                    { for counts.iter().map(|(level, n)| html! {
                        <div class="level-count" role="listitem" data-level={*level}>
                            <span class="n">{ *n }</span><span class="label">{ *level }</span>
                        </div>
                    }) }
                </div>
            }
            { status }
        </section>
    }
}

fn page_name(page: &str, tenant: &str) -> String {
    let platform = tenant.split_once(':').map_or("", |(p, _)| p);
    match page.split_once('.') {
        None if page == nhi_lens::console::ELSEWHERE.id => {
            format!("{} · other page", labels::platform(platform))
        }
        Some((platform, rest)) => format!(
            "{} · {}",
            labels::platform(platform),
            rest.replace('_', " ")
        ),
        None if page.is_empty() => "Console page".into(),
        None => labels::platform(page).to_string(),
    }
}
