//! The review card: an extension page the content script opens in an `<iframe>` over the console
//! (`card.html#tenant=…&id=…`). The identity's detail, the same actions as the side panel, and a
//! close button that asks the console page to remove the frame.

use std::rc::Rc;

use nhi_lens::protocol::{Change, Reply, Request};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::components::detail::Detail;
use crate::components::notices;
use crate::fragment::{self, CardTarget};
use crate::model::Row;

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Ready(Rc<Row>, Rc<Vec<Change>>),
    Missing,
    Failed(String),
}

#[function_component(Card)]
pub fn card() -> Html {
    let target = use_memo((), |_| fragment::parse(&bridge::location_hash()));
    let load = use_state(|| Load::Loading);

    {
        let (load, target) = (load.clone(), target.clone());
        use_effect_with((), move |_| {
            let Some(CardTarget { tenant, id }) = (*target).clone() else {
                load.set(Load::Failed(
                    "This card was opened without an identity.".into(),
                ));
                return;
            };
            spawn_local(async move {
                load.set(match bridge::ask(Request::Identity { tenant, id }).await {
                    Ok(Reply::Identity { identity, .. }) if identity.is_null() => Load::Missing,
                    Ok(Reply::Identity { identity, change }) => match Row::from_json(&identity.0) {
                        Ok(row) => Load::Ready(Rc::new(row), Rc::new(change.into_iter().collect())),
                        Err(e) => Load::Failed(e),
                    },
                    Ok(other) => Load::Failed(bridge::unexpected(&other)),
                    Err(e) => Load::Failed(e),
                });
            });
        });
    }

    // The card opens with the focus on its close button, so a keyboard's user starts in it (the
    // console page gave the frame the focus) and Escape closes it.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(b) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }

    let close = Callback::from(|()| bridge::close_card());
    let on_close_click = close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };

    let body = match (&*load, &*target) {
        (Load::Ready(row, changes), Some(t)) => {
            let on_updated = {
                let (load, changes) = (load.clone(), changes.clone());
                Callback::from(move |row: Row| load.set(Load::Ready(Rc::new(row), changes.clone())))
            };
            html! {
                <Detail tenant={t.tenant.clone()} row={row.clone()} changes={changes.clone()}
                        now={bridge::now()} {on_updated} on_close={close.clone()} show_close={false} whole=true />
            }
        }
        (Load::Loading, _) => html! { <p class="muted" aria-busy="true">{ "Loading…" }</p> },
        (Load::Missing, _) => html! {
            <p class="empty" data-nhi-empty="unknown-identity">{ "NHI Lens no longer has this identity. Reload the console page." }</p>
        },
        (Load::Failed(e), _) => notices::error(Some(e)),
        (Load::Ready(..), None) => html! {},
    };
    html! {
        <div class="app card" {onkeydown}>
            <header class="bar">
                <h1 class="brand">{ "NHI Lens" }</h1>
                <button type="button" class="icon" id="nhi-card-close" aria-label="Close" title="Close (Esc)"
                        ref={close_button} onclick={on_close_click}>{ "✕" }</button>
            </header>
            { body }
        </div>
    }
}
