//! The inventories kept in this browser, each with a way to forget it alone: one the console
//! keys differently now (a directory read from its account menu), a tenant left behind, or one a
//! test visit made.

use nhi_lens::protocol::{Reply, Request, TenantSummary};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::components::notices;

#[function_component(StoredInventories)]
pub fn stored_inventories() -> Html {
    let tenants = use_state(|| None::<Vec<TenantSummary>>);
    // The tenant whose "Forget" was pressed, waiting for the admin to confirm.
    let confirming = use_state(|| None::<String>);
    // What the last action came to: done, or why not.
    let status = use_state(|| None::<Result<String, String>>);

    let load = {
        let (tenants, status) = (tenants.clone(), status.clone());
        Callback::from(move |done: Option<String>| {
            let (tenants, status) = (tenants.clone(), status.clone());
            spawn_local(async move {
                match bridge::ask(Request::Tenants).await {
                    Ok(Reply::Tenants { tenants: list }) => {
                        tenants.set(Some(list));
                        status.set(done.map(Ok));
                    }
                    Ok(other) => status.set(Some(Err(bridge::unexpected(&other)))),
                    Err(e) => status.set(Some(Err(e))),
                }
            });
        })
    };
    {
        let load = load.clone();
        use_effect_with((), move |_| load.emit(None));
    }
    // The question takes the keyboard's focus as it opens, and gives it back to its row's button
    // as it goes unanswered (a forgotten row is gone, and its status says so).
    crate::focus::use_question_focus(
        (*confirming).clone(),
        |t| format!("[data-nhi-inventory=\"{t}\"] [data-nhi-forget-cancel]"),
        |t| format!("[data-nhi-inventory=\"{t}\"] [data-nhi-forget]"),
    );

    let rows = tenants.iter().flatten().map(|t| {
        let tenant = t.tenant.clone();
        let asking = confirming.as_deref() == Some(tenant.as_str());
        let on_ask = {
            let (confirming, tenant) = (confirming.clone(), tenant.clone());
            Callback::from(move |_: MouseEvent| confirming.set(Some(tenant.clone())))
        };
        let on_cancel = {
            let confirming = confirming.clone();
            Callback::from(move |_: MouseEvent| confirming.set(None))
        };
        let on_forget = {
            let (confirming, status, load, tenant) =
                (confirming.clone(), status.clone(), load.clone(), tenant.clone());
            Callback::from(move |_: MouseEvent| {
                let (confirming, status, load, tenant) =
                    (confirming.clone(), status.clone(), load.clone(), tenant.clone());
                spawn_local(async move {
                    confirming.set(None);
                    match bridge::ask(Request::ForgetTenant {
                        tenant: tenant.clone(),
                    })
                    .await
                    {
                        Ok(Reply::Done) => load.emit(Some(format!("The inventory {tenant} was deleted."))),
                        Ok(other) => status.set(Some(Err(bridge::unexpected(&other)))),
                        Err(e) => status.set(Some(Err(e))),
                    }
                });
            })
        };
        let read = t.updated_at.get(..10).unwrap_or_default().to_string();
        html! {
            <tr data-nhi-inventory={tenant.clone()}>
                <td class="mono">{ tenant.clone() }</td>
                if let Some(why) = &t.unreadable {
                    <td colspan="2" class="error-text" data-nhi-unreadable="">{ format!("Could not be read ({why}). Forget it to start it again.") }</td>
                } else {
                    <td class="num">{ t.identities.to_string() }</td>
                    <td>{ read }</td>
                }
                <td>
                    if asking {
                        <span class="confirm-inline" role="alertdialog" aria-label={format!("Forget {tenant}?")}>
                            { "Its captures, owners assigned, risks accepted and review go. " }
                            <button type="button" class="danger" data-nhi-forget-confirm="" onclick={on_forget}>{ "Forget" }</button>
                            <button type="button" data-nhi-forget-cancel="" onclick={on_cancel}>{ "Cancel" }</button>
                        </span>
                    } else {
                        <button type="button" data-nhi-forget="" onclick={on_ask}
                                title={format!("Delete the inventory {tenant} from this browser")}>{ "Forget…" }</button>
                    }
                </td>
            </tr>
        }
    });

    let status_html = notices::outcome(
        "nhi-inventories-status",
        status
            .as_ref()
            .map(|s| s.as_ref().map(String::as_str).map_err(String::as_str)),
    );
    html! {
        <div id="nhi-inventories">
            { status_html }
            { match &*tenants {
                None => html! { <p class="muted" aria-busy="true">{ "Loading the inventories…" }</p> },
                Some(list) if list.is_empty() => html! { <p class="muted">{ "No inventory is kept yet." }</p> },
                Some(_) => html! {
                    <table class="list">
                        <thead><tr>
                            <th scope="col">{ "Inventory" }</th>
                            <th scope="col">{ "Identities" }</th>
                            <th scope="col">{ "Last read" }</th>
                            <th></th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                },
            } }
        </div>
    }
}
