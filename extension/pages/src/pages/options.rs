//! The options page: policy thresholds, the owner map (CSV import), the allowlist, NHI Lens on or
//! off per console, self-managed instances, and "clear all data".

use nhi_lens::console::{Instance, host_name, url_root};
use nhi_lens::model::Platform;
use nhi_lens::owner_csv;
use nhi_lens::protocol::{AllowEntry, Options, Reply, Request};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::components::inventories::StoredInventories;
use crate::components::notices;
use crate::labels;

/// A threshold field: (element ID, label, help, getter, setter).
type Threshold = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Options) -> i64,
    fn(&mut Options, i64),
);

const THRESHOLDS: [Threshold; 4] = [
    (
        "nhi-opt-secret-max-age",
        "Secret maximum age (days)",
        "A secret, key or token older than this should be rotated.",
        |o| o.secret_max_age_days,
        |o, v| o.secret_max_age_days = v,
    ),
    (
        "nhi-opt-dormant",
        "Dormant after (days)",
        "An identity unused for this long is reported as dormant.",
        |o| o.dormant_days,
        |o, v| o.dormant_days = v,
    ),
    (
        "nhi-opt-expiry-horizon",
        "Longest acceptable lifetime (days)",
        "A credential that lives longer than this is reported as long-lived.",
        |o| o.expiry_horizon_days,
        |o, v| o.expiry_horizon_days = v,
    ),
    (
        "nhi-opt-expiring-soon",
        "Expiring soon (days)",
        "A credential that expires within this many days is reported so it can be renewed.",
        |o| o.expiring_soon_days,
        |o, v| o.expiring_soon_days = v,
    ),
];

/// Turns a console on or off in the options.
pub fn set_platform(options: &mut Options, platform: &str, on: bool) {
    options.disabled_platforms.retain(|p| p != platform);
    if !on {
        options.disabled_platforms.push(platform.to_string());
        options.disabled_platforms.sort();
    }
}

/// Adds an allowlist entry for `tenant`'s inventory (every inventory's when none), replacing one
/// with the same ID made for the same. Refuses an empty ID or reason, and an ID of another
/// platform than the inventory's.
pub fn allow(
    options: &mut Options,
    id: &str,
    reason: &str,
    tenant: Option<&str>,
) -> Result<(), String> {
    let (id, reason) = (id.trim(), reason.trim());
    if id.is_empty() {
        return Err(
            "Give the identity's ID (platform:kind:native-id, with @host after it for a self-managed instance's), as the report shows it.".into(),
        );
    }
    if !nhi_lens::policy::Allow::names_one_identity(id) {
        return Err("An allowlist entry names one identity: give its ID, without `*`.".into());
    }
    // A bare native ID (`101`) would name every platform's and every tenant's identity of that
    // number: the whole ID names one.
    let mut parts = id.splitn(3, ':');
    let platform = parts.next().unwrap_or_default();
    let whole = Platform::ALL.iter().any(|p| p.as_str() == platform)
        && parts.next().is_some_and(|kind| !kind.is_empty())
        && parts.next().is_some_and(|native| !native.is_empty());
    if !whole {
        return Err(format!(
            "Give the whole ID, platform:kind:native-id (github:github_app:12345), as the report shows it: `{id}` could name identities of several platforms."
        ));
    }
    // (An inventory's key starts with its platform's, as an ID does: `slack:T0123`.)
    if let Some(tenant) = tenant
        && tenant.split(':').next() != Some(platform)
    {
        return Err(format!(
            "`{id}` is not an identity of the inventory {tenant}: pick its inventory, or every inventory."
        ));
    }
    if reason.is_empty() {
        return Err("Say why this identity is never reported.".into());
    }
    options
        .allow
        .retain(|a| a.id != id || a.tenant.as_deref() != tenant);
    options.allow.push(AllowEntry {
        id: id.to_string(),
        reason: reason.to_string(),
        tenant: tenant.map(str::to_string),
    });
    Ok(())
}

/// The platforms that run self-managed (the worker checks them against the platform table, which
/// the pages do not link; a test keeps the two lists equal).
pub const SELF_MANAGED: [Platform; 2] = [Platform::Gitlab, Platform::Github];

/// What a platform's self-managed edition is called.
pub fn self_managed_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Github => "GitHub Enterprise Server",
        Platform::Gitlab => "GitLab self-managed",
        other => other.display_name(),
    }
}

/// The instance an admin typed (its host, and the path it is served under if any), checked
/// against the instances already added.
pub fn new_instance(
    options: &Options,
    platform: Platform,
    typed: &str,
    typed_root: &str,
) -> Result<Instance, String> {
    let host = host_name(typed)? + &url_root(typed_root)?;
    if options.instances.iter().any(|i| i.host == host) {
        return Err(format!("{host} is already added."));
    }
    Ok(Instance { platform, host })
}

/// Saves one change to the options the page read (an instance added or removed, an owner map
/// imported) at once, the background making it on the options it holds now; the page then shows
/// what was saved, its unsaved edits kept. Instances take effect at once, since the browser's
/// permission for their host changes at once.
async fn save_change(
    saved: &UseStateHandle<Option<Options>>,
    draft: &UseStateHandle<Option<Options>>,
    change: impl FnOnce(&mut Options),
) -> Result<Options, String> {
    let base = match (**saved).clone() {
        Some(read) => read,
        None => fetch_options().await?,
    };
    let mut edited = base.clone();
    change(&mut edited);
    let options = edit_options(base, edited).await?;
    adopt(saved, draft, options.clone());
    Ok(options)
}

/// Asks the background to save the edits from `base` to `edited`, made again on what it holds
/// if another tab saved meanwhile; answers the options saved.
async fn edit_options(mut base: Options, mut edited: Options) -> Result<Options, String> {
    // Each try loses only to a save in another tab between two messages.
    for _ in 0..4 {
        let request = Request::SetOptions {
            options: edited.clone(),
            read: Some(base.fingerprint()),
        };
        match bridge::ask(request).await? {
            Reply::Done => return Ok(edited),
            Reply::OptionsChanged { options: now } => {
                edited = edited.rebased(&base, &now);
                base = now;
            }
            other => return Err(bridge::unexpected(&other)),
        }
    }
    Err("The options kept changing in another tab as NHI Lens saved these: nothing was saved. Save again.".into())
}

/// Takes `fresh` as the options the background holds, with the page's unsaved edits made on it
/// (an edit is what the page shows unlike what it read, so the draft's other settings, read
/// before, must not count as edits of `fresh`).
fn adopt(
    saved: &UseStateHandle<Option<Options>>,
    draft: &UseStateHandle<Option<Options>>,
    fresh: Options,
) {
    let edited = match (&**draft, &**saved) {
        (Some(edited), Some(read)) => edited.rebased(read, &fresh),
        _ => fresh.clone(),
    };
    saved.set(Some(fresh));
    draft.set(Some(edited));
}

#[derive(Clone, Debug, PartialEq)]
enum Note {
    Ok(String),
    Failed(String),
}

/// Where a note is shown: beside what it is about, not at the top of a long page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The options themselves (read, or read again).
    Page,
    Policy,
    Allowlist,
    Instances,
    OwnerMap,
    Data,
    /// The save bar.
    Save,
}

/// What an import of an owner-map file says: how many owners it named and the map now has, and
/// the rows it skipped (a few named, the rest counted), which the admin can mend and import again.
fn imported_note(read: &owner_csv::OwnerCsv, total: usize) -> Note {
    const NAMED: usize = 5;
    let owners = read.entries.len();
    let mut text = format!(
        "{owners} {} imported; the owner map now has {total} {}.",
        if owners == 1 { "owner" } else { "owners" },
        if total == 1 { "entry" } else { "entries" }
    );
    if read.skipped.is_empty() {
        return Note::Ok(text);
    }
    let skipped = read.skipped.len();
    text.push_str(&format!(
        " {skipped} {} skipped: {}",
        if skipped == 1 { "row" } else { "rows" },
        read.skipped[..skipped.min(NAMED)].join("; ")
    ));
    if skipped > NAMED {
        text.push_str(&format!("; and {} more", skipped - NAMED));
    }
    text.push('.');
    Note::Failed(text)
}

async fn fetch_options() -> Result<Options, String> {
    match bridge::ask(Request::GetOptions).await? {
        Reply::Options { options } => Ok(options),
        other => Err(bridge::unexpected(&other)),
    }
}

#[function_component(OptionsPage)]
pub fn options_page() -> Html {
    // What the background has, and the edited copy.
    let saved = use_state(|| None::<Options>);
    let draft = use_state(|| None::<Options>);
    let note = use_state(|| None::<(Place, Note)>);
    let confirm_clear = use_state(|| false);
    // Bumped when everything was cleared: the list of inventories is read again.
    let cleared = use_state(|| 0u32);
    let allow_id = use_node_ref();
    let allow_reason = use_node_ref();
    let allow_tenant = use_node_ref();
    // The inventories kept, any of which an allowlist entry may be made for alone.
    let tenants = use_state(Vec::<String>::new);
    {
        let tenants = tenants.clone();
        use_effect_with(*cleared, move |_| {
            spawn_local(async move {
                if let Ok(Reply::Tenants { tenants: list }) = bridge::ask(Request::Tenants).await {
                    tenants.set(list.into_iter().map(|t| t.tenant).collect());
                }
            });
        });
    }
    let owner_file = use_node_ref();
    let instance_host = use_node_ref();
    let instance_root = use_node_ref();
    let instance_platform = use_node_ref();

    let reload = {
        let (saved, draft, note) = (saved.clone(), draft.clone(), note.clone());
        Callback::from(move |message: Option<String>| {
            let (saved, draft, note) = (saved.clone(), draft.clone(), note.clone());
            spawn_local(async move {
                match fetch_options().await {
                    Ok(o) => {
                        saved.set(Some(o.clone()));
                        draft.set(Some(o));
                        note.set(message.map(|m| (Place::Data, Note::Ok(m))));
                    }
                    Err(e) => note.set(Some((Place::Page, Note::Failed(e)))),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(None));
    }

    // The question takes the keyboard's focus as it opens, and gives it back to its button as it
    // goes (a button replaced by the question drops the focus to the page).
    crate::focus::use_question_focus(
        confirm_clear.then_some(()),
        |()| "#nhi-clear-cancel".to_string(),
        |()| "#nhi-clear-all".to_string(),
    );
    let on_clear = {
        let confirm_clear = confirm_clear.clone();
        Callback::from(move |_: MouseEvent| confirm_clear.set(true))
    };
    let on_clear_cancel = {
        let confirm_clear = confirm_clear.clone();
        Callback::from(move |_: MouseEvent| confirm_clear.set(false))
    };
    let on_clear_confirm = {
        let (confirm_clear, note, reload) = (confirm_clear.clone(), note.clone(), reload.clone());
        let (saved, cleared) = (saved.clone(), cleared.clone());
        Callback::from(move |_: MouseEvent| {
            let (confirm_clear, note, reload, cleared) = (
                confirm_clear.clone(),
                note.clone(),
                reload.clone(),
                cleared.clone(),
            );
            let hosts: Vec<String> = (*saved)
                .iter()
                .flat_map(|o| o.instances.iter().map(|i| i.host.clone()))
                .collect();
            spawn_local(async move {
                confirm_clear.set(false);
                match bridge::ask(Request::ClearAll).await {
                    Ok(Reply::Done) => {
                        // The instances are gone from the options: their hosts go back too.
                        for host in hosts {
                            bridge::release_host(&host, &[]).await;
                        }
                        crate::pages::sidepanel::forget_tenant();
                        cleared.set(*cleared + 1);
                        reload.emit(Some(
                            "Every inventory, decision and option was deleted.".into(),
                        ));
                    }
                    Ok(other) => note.set(Some((
                        Place::Data,
                        Note::Failed(bridge::unexpected(&other)),
                    ))),
                    Err(e) => note.set(Some((Place::Data, Note::Failed(e)))),
                }
            });
        })
    };

    // Each section's note is drawn in it, its live region there from the start (a region drawn
    // with its text in it may go unannounced); one note at a time, under one ID.
    let note_at = |place: Place| {
        notices::outcome(
            "nhi-options-status",
            note.as_ref()
                .filter(|(at, _)| *at == place)
                .map(|(_, n)| match n {
                    Note::Ok(m) => Ok(m.as_str()),
                    Note::Failed(m) => Err(m.as_str()),
                }),
        )
    };
    // Drawn also when the options cannot be read: clearing everything is the way out then.
    let data_section = html! {
        <section class="section danger">
            <h2>{ "Data" }</h2>
            <p class="hint muted">{ "NHI Lens keeps inventories, review decisions and options in this browser only." }</p>
            <StoredInventories key={cleared.to_string()} />
            if *confirm_clear {
                <div class="confirm" role="alertdialog" aria-labelledby="nhi-clear-question">
                    <p id="nhi-clear-question"><strong>{ "Delete every inventory, decision and option? This cannot be undone." }</strong></p>
                    <button type="button" id="nhi-clear-confirm" class="danger" onclick={on_clear_confirm}>{ "Delete everything" }</button>
                    <button type="button" id="nhi-clear-cancel" onclick={on_clear_cancel}>{ "Cancel" }</button>
                </div>
            } else {
                <button type="button" id="nhi-clear-all" class="danger" onclick={on_clear}>{ "Clear all data…" }</button>
            }
            { note_at(Place::Data) }
        </section>
    };
    let Some(options) = (*draft).clone() else {
        return html! {
            <div class="app options">
                <header class="bar"><h1 class="brand">{ "NHI Lens options" }</h1></header>
                { match &*note {
                    Some((Place::Page, Note::Failed(e))) => html! { <>{ notices::error(Some(e)) }{ data_section }</> },
                    // Clearing everything failed: the data section says so.
                    Some((_, Note::Failed(_))) => data_section,
                    _ => html! { <p class="muted" aria-busy="true">{ "Loading…" }</p> },
                } }
            </div>
        };
    };
    let dirty = saved.as_ref() != Some(&options);

    let edit = {
        let draft = draft.clone();
        move |f: Box<dyn Fn(&mut Options)>| {
            let draft = draft.clone();
            move || {
                if let Some(mut o) = (*draft).clone() {
                    f(&mut o);
                    draft.set(Some(o));
                }
            }
        }
    };

    let thresholds = THRESHOLDS.iter().map(|&(id, label, help, get, set)| {
        let (draft, note) = (draft.clone(), note.clone());
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<i64>() {
                Ok(v) if (1..=36_500).contains(&v) => {
                    if let Some(mut o) = (*draft).clone() {
                        set(&mut o, v);
                        draft.set(Some(o));
                    }
                }
                _ => {
                    // The field shows what stays, never a number that was not taken.
                    let kept = (*draft).as_ref().map(get);
                    if let Some(kept) = kept {
                        input.set_value(&kept.to_string());
                    }
                    let kept = kept.map(|k| format!(" It stays {k}.")).unwrap_or_default();
                    note.set(Some((Place::Policy, Note::Failed(format!(
                        "{label}: enter a whole number of days from 1 to 36500.{kept}"
                    )))));
                }
            }
        });
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input type="number" {id} min="1" max="36500" step="1" value={get(&options).to_string()} {onchange} />
                <span class="hint muted">{ help }</span>
            </div>
        }
    });

    let consoles = labels::platforms().map(|(platform, name)| {
        let on = !options.disabled_platforms.iter().any(|p| p == platform);
        let toggle = edit(Box::new(move |o: &mut Options| {
            set_platform(o, platform, !on)
        }));
        let onchange = Callback::from(move |_: Event| toggle());
        html! {
            <label class="toggle">
                <input type="checkbox" checked={on} data-nhi-platform={platform} {onchange} />
                { name }
            </label>
        }
    });

    let allow_rows = options.allow.iter().enumerate().map(|(i, a)| {
        let remove = edit(Box::new(move |o: &mut Options| {
            if i < o.allow.len() {
                o.allow.remove(i);
            }
        }));
        let onclick = Callback::from(move |_: MouseEvent| remove());
        let inventory = a.tenant.as_deref().unwrap_or("every inventory");
        html! {
            <tr data-nhi-allow-entry={a.id.clone()} data-nhi-allow-tenant={a.tenant.clone()}>
                <td class="mono">{ a.id.clone() }</td>
                <td class={classes!(a.tenant.is_some().then_some("mono"))}>{ inventory }</td>
                <td>{ a.reason.clone() }</td>
                <td><button type="button" class="link" data-nhi-allow-remove={i.to_string()} {onclick}
                            aria-label={format!("Remove {} ({inventory}) from the allowlist", a.id)}>{ "Remove" }</button></td>
            </tr>
        }
    });
    let on_allow = {
        let (draft, note) = (draft.clone(), note.clone());
        let (allow_id, allow_reason) = (allow_id.clone(), allow_reason.clone());
        let allow_tenant = allow_tenant.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(id_in), Some(reason_in)) = (
                allow_id.cast::<HtmlInputElement>(),
                allow_reason.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let Some(mut o) = (*draft).clone() else {
                return;
            };
            let tenant = allow_tenant
                .cast::<HtmlSelectElement>()
                .map(|select| select.value())
                .filter(|t| !t.is_empty());
            match allow(
                &mut o,
                &id_in.value(),
                &reason_in.value(),
                tenant.as_deref(),
            ) {
                Ok(()) => {
                    draft.set(Some(o));
                    id_in.set_value("");
                    reason_in.set_value("");
                    note.set(None);
                }
                Err(e) => note.set(Some((Place::Allowlist, Note::Failed(e)))),
            }
        })
    };

    let instance_rows = options.instances.iter().map(|instance| {
        let host = instance.host.clone();
        let (saved, draft, note) = (saved.clone(), draft.clone(), note.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let (saved, draft, note, host) =
                (saved.clone(), draft.clone(), note.clone(), host.clone());
            spawn_local(async move {
                let removed = |o: &mut Options| o.instances.retain(|i| i.host != host);
                match save_change(&saved, &draft, removed).await {
                    Ok(options) => {
                        bridge::release_host(&host, &options.instances).await;
                        note.set(Some((Place::Instances, Note::Ok(format!("{host} removed.")))));
                    }
                    Err(e) => note.set(Some((Place::Instances, Note::Failed(e)))),
                }
            });
        });
        html! {
            <tr data-nhi-instance={instance.host.clone()}>
                <td>{ self_managed_name(instance.platform) }</td>
                <td class="mono">{ instance.host.clone() }</td>
                <td><button type="button" class="link" {onclick}
                            aria-label={format!("Remove {}", instance.host)}>{ "Remove" }</button></td>
            </tr>
        }
    });
    let on_instance = {
        let (saved, draft, note) = (saved.clone(), draft.clone(), note.clone());
        let (instance_host, instance_platform) = (instance_host.clone(), instance_platform.clone());
        let instance_root = instance_root.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(input), Some(root)) = (
                instance_host.cast::<HtmlInputElement>(),
                instance_root.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let Some(options) = (*draft).clone() else {
                return;
            };
            let chosen = instance_platform
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let platform = SELF_MANAGED
                .into_iter()
                .find(|p| p.as_str() == chosen)
                .unwrap_or(SELF_MANAGED[0]);
            let instance = match new_instance(&options, platform, &input.value(), &root.value()) {
                Ok(instance) => instance,
                Err(e) => return note.set(Some((Place::Instances, Note::Failed(e)))),
            };
            // Asked for inside the submit's user gesture; answered after.
            let asked = bridge::request_host(&instance.host);
            let (saved, draft, note) = (saved.clone(), draft.clone(), note.clone());
            spawn_local(async move {
                let granted = match asked {
                    Ok(asked) => JsFuture::from(asked).await.map(|g| g.is_truthy()),
                    Err(e) => return note.set(Some((Place::Instances, Note::Failed(e)))),
                };
                if granted != Ok(true) {
                    let why = granted.err().map(|e| bridge::js_error(&e));
                    return note.set(Some((
                        Place::Instances,
                        Note::Failed(format!(
                            "The browser did not give NHI Lens access to {}{}.",
                            instance.host,
                            why.map(|w| format!(": {w}")).unwrap_or_default()
                        )),
                    )));
                }
                let host = instance.host.clone();
                match save_change(&saved, &draft, |o| o.instances.push(instance.clone())).await {
                    Ok(_) => {
                        input.set_value("");
                        root.set_value("");
                        note.set(Some((
                            Place::Instances,
                            Note::Ok(format!(
                                "{host} added: NHI Lens reads its pages from the next one you open."
                            )),
                        )));
                    }
                    // Not added: the access the browser just gave is given back.
                    Err(e) => {
                        let kept = (*saved).as_ref().map(|o| o.instances.clone());
                        bridge::release_host(&host, &kept.unwrap_or_default()).await;
                        note.set(Some((Place::Instances, Note::Failed(e))));
                    }
                }
            });
        })
    };

    let owner_rows = options.owner_map.iter().enumerate().map(|(i, m)| {
        let remove = edit(Box::new(move |o: &mut Options| {
            if i < o.owner_map.len() {
                o.owner_map.remove(i);
            }
        }));
        let onclick = Callback::from(move |_: MouseEvent| remove());
        html! {
            <tr>
                <td class="mono">{ m.pattern.clone() }</td>
                <td>{ m.owner.clone() }</td>
                <td><button type="button" class="link" data-nhi-owner-remove={i.to_string()} {onclick}
                            aria-label={format!("Remove {} from the owner map", m.pattern)}>{ "Remove" }</button></td>
            </tr>
        }
    });
    let on_owner_file = {
        let (note, draft, saved) = (note.clone(), draft.clone(), saved.clone());
        let owner_file = owner_file.clone();
        Callback::from(move |_: Event| {
            let Some(input) = owner_file.cast::<HtmlInputElement>() else {
                return;
            };
            let (note, draft, saved) = (note.clone(), draft.clone(), saved.clone());
            spawn_local(async move {
                let result = async {
                    let Some(csv) = bridge::read_file(&input).await? else {
                        return Ok(None);
                    };
                    // Read here, so a row the file gets wrong is named without costing the
                    // others; the map is saved as read, with the rest of the saved options.
                    let read = owner_csv::read_bytes(&csv)?;
                    let entries = read.entries.clone();
                    let import = |o: &mut Options| owner_csv::merge(&mut o.owner_map, entries);
                    let saved = save_change(&saved, &draft, import).await?;
                    Ok(Some((saved, read)))
                }
                .await;
                input.set_value("");
                match result {
                    Ok(Some((saved, read))) => {
                        note.set(Some((
                            Place::OwnerMap,
                            imported_note(&read, saved.owner_map.len()),
                        )));
                    }
                    Ok(None) => {}
                    Err(e) => note.set(Some((Place::OwnerMap, Note::Failed(e)))),
                }
            });
        })
    };

    let save = {
        let (draft, saved, note) = (draft.clone(), saved.clone(), note.clone());
        Callback::from(move |()| {
            let Some(options) = (*draft).clone() else {
                return;
            };
            // Nothing to save: the button says so, and stays focusable (see `aria-disabled`).
            let Some(base) = (*saved).clone().filter(|read| *read != options) else {
                return;
            };
            let (draft, saved, note) = (draft.clone(), saved.clone(), note.clone());
            spawn_local(async move {
                // The background makes the edits on the options it holds now: what another
                // options tab saved since this page read its options stays.
                match edit_options(base, options.clone()).await {
                    Ok(merged) => {
                        let message = if merged == options {
                            "Options saved."
                        } else {
                            "Options saved, with the changes saved meanwhile in another tab."
                        };
                        adopt(&saved, &draft, merged);
                        note.set(Some((Place::Save, Note::Ok(message.into()))));
                    }
                    Err(e) => note.set(Some((Place::Save, Note::Failed(e)))),
                }
            });
        })
    };

    let on_save = save.reform(|e: SubmitEvent| e.prevent_default());
    let on_save_click = save.reform(|_: MouseEvent| ());
    let on_revert = {
        let (draft, saved) = (draft.clone(), saved.clone());
        Callback::from(move |_: MouseEvent| draft.set((*saved).clone()))
    };

    html! {
        <div class="app options">
            <header class="bar"><h1 class="brand">{ "NHI Lens options" }</h1></header>
            { note_at(Place::Page) }
            <form class="section" onsubmit={on_save} id="nhi-options-form">
                <h2>{ "Policy" }</h2>
                { for thresholds }
                { note_at(Place::Policy) }
                <h2>{ "Consoles" }</h2>
                <p class="hint muted">{ "NHI Lens reads only the consoles turned on here." }</p>
                <div class="toggles">{ for consoles }</div>
                // Enter in a field saves, as the Save button below does.
                <button type="submit" hidden=true tabindex="-1" aria-hidden="true" />
            </form>

            <section class="section">
                <h2>{ "Allowlist" }</h2>
                <p class="hint muted">{ "Identities listed here are never reported. They are matched by ID, never by name, in every inventory or in the one picked (one Slack app in two workspaces has one ID)." }</p>
                if !options.allow.is_empty() {
                    <table class="list" id="nhi-allowlist">
                        <thead><tr><th scope="col">{ "ID" }</th><th scope="col">{ "Inventory" }</th><th scope="col">{ "Reason" }</th><th></th></tr></thead>
                        <tbody>{ for allow_rows }</tbody>
                    </table>
                }
                <form class="inline" onsubmit={on_allow}>
                    <input id="nhi-allow-id" ref={allow_id} type="text" placeholder="github:github_app:12345" aria-label="Identity ID" autocomplete="off" />
                    <select id="nhi-allow-tenant" ref={allow_tenant} aria-label="Inventory">
                        <option value="" selected=true>{ "Every inventory" }</option>
                        { for tenants.iter().map(|t| html! { <option value={t.clone()}>{ t.clone() }</option> }) }
                    </select>
                    <input id="nhi-allow-reason" ref={allow_reason} type="text" placeholder="reason" aria-label="Reason" autocomplete="off" />
                    <button type="submit" id="nhi-allow-add">{ "Add" }</button>
                </form>
                { note_at(Place::Allowlist) }
            </section>

            <section class="section">
                <h2>{ "Self-managed instances" }</h2>
                <p class="hint muted">{ "Your own GitHub Enterprise Server or GitLab: NHI Lens asks the browser for access to that host (on any port; give the port it is on, if any: code.example.com:8443), and reads its settings pages as it reads github.com's or gitlab.com's, each organization or group an inventory of its own. A GitLab served under a path of its host (its relative URL root, as code.example.com/gitlab/…) is read under that path alone: give the path apart." }</p>
                if !options.instances.is_empty() {
                    <table class="list" id="nhi-instances">
                        <thead><tr><th scope="col">{ "Platform" }</th><th scope="col">{ "Host" }</th><th></th></tr></thead>
                        <tbody>{ for instance_rows }</tbody>
                    </table>
                }
                <form class="inline" onsubmit={on_instance}>
                    <select id="nhi-instance-platform" ref={instance_platform} aria-label="Platform">
                        { for SELF_MANAGED.iter().map(|p| html! { <option value={p.as_str()}>{ self_managed_name(*p) }</option> }) }
                    </select>
                    <input id="nhi-instance-host" ref={instance_host} type="text" placeholder="code.example.com" aria-label="Host" autocomplete="off" />
                    <input id="nhi-instance-root" ref={instance_root} type="text" placeholder="path, if any: /gitlab" aria-label="Path it is served under, if any" autocomplete="off" />
                    <button type="submit" id="nhi-instance-add">{ "Add" }</button>
                </form>
                { note_at(Place::Instances) }
            </section>

            <section class="section">
                <h2>{ "Owner map" }</h2>
                <p class="hint muted">{ "A CSV file of id,owner lines names the owners the consoles do not record. An ID may use * as a wildcard." }</p>
                <label class="file">
                    { "Import CSV… " }
                    <input type="file" id="nhi-owner-map-file" ref={owner_file} accept=".csv,text/csv,text/plain" onchange={on_owner_file} />
                </label>
                { note_at(Place::OwnerMap) }
                if !options.owner_map.is_empty() {
                    <table class="list" id="nhi-owner-map">
                        <thead><tr><th scope="col">{ "ID or pattern" }</th><th scope="col">{ "Owner" }</th><th></th></tr></thead>
                        <tbody>{ for owner_rows }</tbody>
                    </table>
                }
            </section>

            { data_section }

            <div class="savebar" role="region" aria-label="Save options">
                <button type="button" id="nhi-options-save" class="primary" onclick={on_save_click} aria-disabled={(!dirty).then_some("true")}>{ "Save" }</button>
                <button type="button" id="nhi-options-revert" onclick={on_revert} aria-disabled={(!dirty).then_some("true")}>{ "Undo changes" }</button>
                <span class="muted">{ if dirty { "Unsaved changes to the policy, consoles, allowlist or owner map." } else { "All changes saved." } }</span>
                { note_at(Place::Save) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consoles_turn_on_and_off() {
        let mut o = Options::default();
        set_platform(&mut o, "slack", false);
        set_platform(&mut o, "github", false);
        set_platform(&mut o, "github", false);
        assert_eq!(o.disabled_platforms, ["github", "slack"]);
        set_platform(&mut o, "github", true);
        assert_eq!(o.disabled_platforms, ["slack"]);
    }

    #[test]
    fn allowlist_entries_need_an_id_and_a_reason() {
        let mut o = Options::default();
        assert!(allow(&mut o, " ", "x", None).is_err());
        assert!(allow(&mut o, "github:github_app:1", "", None).is_err());
        assert!(allow(&mut o, "github:github_app:*", "all of them", None).is_err());
        // A number alone, or an unknown platform's, is no whole ID.
        for partial in ["101", "github:101", "jira:token:1", "github::1"] {
            let e = allow(&mut o, partial, "x", None).unwrap_err();
            assert!(e.contains("platform:kind:native-id"), "{partial}: {e}");
        }
        allow(
            &mut o,
            "gitlab:project_access_token:101@gitlab.example.com",
            "x",
            Some("gitlab:acme@gitlab.example.com"),
        )
        .unwrap();
        o.allow.clear();
        allow(&mut o, " github:github_app:1 ", "vendor-managed", None).unwrap();
        allow(&mut o, "github:github_app:1", "reviewed 2024", None).unwrap();
        assert_eq!(o.allow.len(), 1);
        assert_eq!(o.allow[0].reason, "reviewed 2024");
    }

    #[test]
    fn an_allowlist_entry_may_be_one_inventorys() {
        let mut o = Options::default();
        let app = "slack:oauth_app:A01";
        allow(&mut o, app, "ours", Some("slack:T1")).unwrap();
        allow(&mut o, app, "theirs", Some("slack:T2")).unwrap();
        allow(&mut o, app, "reviewed again", Some("slack:T1")).unwrap();
        let entries: Vec<(&str, Option<&str>)> = o
            .allow
            .iter()
            .map(|a| (a.reason.as_str(), a.tenant.as_deref()))
            .collect();
        assert_eq!(
            entries,
            [
                ("theirs", Some("slack:T2")),
                ("reviewed again", Some("slack:T1"))
            ]
        );
        // An ID of another platform than the inventory's names none of its identities.
        let e = allow(&mut o, "okta:api_token:00T1", "x", Some("slack:T1")).unwrap_err();
        assert!(
            e.contains("not an identity of the inventory slack:T1"),
            "{e}"
        );
    }

    #[test]
    fn the_self_managed_platforms_are_the_platform_tables() {
        let mut table: Vec<Platform> = nhi_lens::console::self_managed_platforms()
            .map(|(p, _)| p)
            .collect();
        let mut listed = SELF_MANAGED.to_vec();
        table.sort();
        listed.sort();
        assert_eq!(listed, table);
    }

    #[test]
    fn an_instance_is_a_host_name_added_once() {
        let mut o = Options::default();
        let added = new_instance(
            &o,
            Platform::Gitlab,
            " https://GitLab.Corp.Example/groups/acme",
            "",
        )
        .unwrap();
        // A page's path pasted with the host is no root: only the path given apart is.
        assert_eq!(added.host, "gitlab.corp.example");
        o.instances.push(added);
        assert!(new_instance(&o, Platform::Gitlab, "gitlab.corp.example", "").is_err());
        assert!(new_instance(&o, Platform::Gitlab, "gitlab.corp.example:443", "/").is_err());
        // The same host on another port, or under a path, is another instance.
        let on_port = new_instance(&o, Platform::Gitlab, "gitlab.corp.example:8443", "").unwrap();
        assert_eq!(on_port.host, "gitlab.corp.example:8443");
        let under = new_instance(&o, Platform::Gitlab, "gitlab.corp.example", "gitlab/").unwrap();
        assert_eq!(under.host, "gitlab.corp.example/gitlab");
        for bad in ["", "gitlab", "gitlab.corp.example:84x3", "<b>x</b>.example"] {
            assert!(
                new_instance(&o, Platform::Gitlab, bad, "").is_err(),
                "{bad}"
            );
        }
        for bad in ["/../admin", "/git lab", "/gitlab?x"] {
            assert!(
                new_instance(&o, Platform::Gitlab, "gitlab.corp.example", bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn thresholds_read_and_write_their_fields() {
        let mut o = Options::default();
        for (i, (_, _, _, get, set)) in THRESHOLDS.iter().enumerate() {
            set(&mut o, 1000 + i as i64);
            assert_eq!(get(&o), 1000 + i as i64);
        }
        assert_eq!(o.dormant_days, 1001);
    }
}
