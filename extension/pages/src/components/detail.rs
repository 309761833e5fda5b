//! One identity in full: its facts, what changed, every finding with severity, evidence,
//! remediation, OWASP NHI and NIST CSF IDs and status, and the actions: assign an owner, accept a
//! finding's risk until a date, withdraw an acceptance. Shared by the side panel and the card.

use std::rc::Rc;

use nhi_lens::protocol::{Change, Reply, Request};
use web_sys::{HtmlElement, HtmlInputElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::age;
use crate::bridge;
use crate::changes::describe;
use crate::components::chip::{risk_chip, severity_chip};
use crate::labels;
use crate::model::{FindingRow, Row};

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub tenant: AttrValue,
    pub row: Rc<Row>,
    /// This identity's changes since the last review.
    #[prop_or_default]
    pub changes: Rc<Vec<Change>>,
    /// "Now" for ages, unix seconds.
    pub now: i64,
    /// The identity as the background now has it, after an action.
    pub on_updated: Callback<Row>,
    pub on_close: Callback<()>,
    /// Put the focus on the close button when shown.
    #[prop_or(true)]
    pub autofocus: bool,
    /// Draw a close button (the card has its own).
    #[prop_or(true)]
    pub show_close: bool,
    /// `row` is the identity whole, as the card reads it. A row of the side panel's list is not
    /// (its lean inventory leaves out the findings' evidence and where it was seen): the detail
    /// asks for the identity whole and shows the list's row until it comes.
    #[prop_or(false)]
    pub whole: bool,
}

/// Asks for an identity whole; `None` if it cannot be had (the list's row stays shown).
async fn whole_identity(tenant: String, id: String) -> Option<Row> {
    match bridge::ask(Request::Identity { tenant, id }).await {
        Ok(Reply::Identity { identity, .. }) if !identity.is_null() => {
            Row::from_json(&identity.0).ok()
        }
        _ => None,
    }
}

/// Where an action stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Busy,
    Done(String),
    Failed(String),
}

/// Runs an action and reads the identity back; reports through `status` and `on_updated`.
fn act(
    request: Request,
    tenant: String,
    id: String,
    done: &'static str,
    status: UseStateHandle<Status>,
    on_updated: Callback<Row>,
    after: Option<Callback<()>>,
) {
    // Its controls stay focusable while a request is out (a disabled one drops the keyboard's
    // focus to the page), so this is where a second one is refused.
    if *status == Status::Busy {
        return;
    }
    status.set(Status::Busy);
    spawn_local(async move {
        let result = async {
            match bridge::ask(request).await? {
                Reply::Done | Reply::Options { .. } => {}
                other => return Err(bridge::unexpected(&other)),
            }
            match bridge::ask(Request::Identity { tenant, id }).await? {
                Reply::Identity { identity, .. } if identity.is_null() => {
                    Err("This identity is no longer in the inventory.".to_string())
                }
                Reply::Identity { identity, .. } => Row::from_json(&identity.0),
                other => Err(bridge::unexpected(&other)),
            }
        }
        .await;
        match result {
            Ok(row) => {
                on_updated.emit(row);
                status.set(Status::Done(done.into()));
                if let Some(after) = after {
                    after.emit(());
                }
            }
            Err(message) => status.set(Status::Failed(message)),
        }
    });
}

/// Gives the status line to the form an action starts from (`owner`: the owner's field, shown
/// beside it; else the findings', shown at the top), unless an action is still saving: its
/// outcome is then still the line's.
fn claim_status(status: &UseStateHandle<Status>, of_owner: &UseStateHandle<bool>, owner: bool) {
    if **status != Status::Busy {
        of_owner.set(owner);
    }
}

#[function_component(Detail)]
pub fn detail(props: &DetailProps) -> Html {
    // The identity whole, with the row it was asked for: shown only while that row is the one
    // given (a newer one, say after an action, is not hidden behind an older answer).
    let whole = use_state(|| None::<(Rc<Row>, Rc<Row>)>);
    // Which row the identity was last asked for: an answer for an older one is dropped.
    let asked = use_mut_ref(|| 0_u32);
    {
        let (whole, tenant, asked) = (whole.clone(), props.tenant.to_string(), asked.clone());
        use_effect_with((props.row.clone(), props.whole), move |(row, is_whole)| {
            *asked.borrow_mut() += 1;
            let this = *asked.borrow();
            if !*is_whole {
                let row = row.clone();
                spawn_local(async move {
                    let read = whole_identity(tenant, row.id.clone()).await;
                    if let Some(read) = read.filter(|_| *asked.borrow() == this) {
                        whole.set(Some((row, Rc::new(read))));
                    }
                });
            }
        });
    }
    let row = match &*whole {
        Some((asked_for, read)) if **asked_for == *props.row => &**read,
        _ => &*props.row,
    };
    let status = use_state(|| Status::Idle);
    // The finding whose acceptance form is open.
    let accepting = use_state(|| None::<String>);
    let owner_input = use_node_ref();
    let reason_input = use_node_ref();
    let expires_input = use_node_ref();
    let close_button = use_node_ref();

    {
        let close_button = close_button.clone();
        let autofocus = props.autofocus;
        use_effect_with(row.id.clone(), move |_| {
            if autofocus && let Some(b) = close_button.cast::<HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    // The reason field takes the focus as an acceptance form opens; the finding's button gets it
    // back as the form closes (its withdraw button once accepted).
    crate::focus::use_question_focus(
        (*accepting).clone(),
        |_| "#nhi-accept-reason".to_string(),
        |rule| {
            let rule = rule.replace('"', "");
            format!("[data-nhi-accept=\"{rule}\"], [data-nhi-withdraw=\"{rule}\"]")
        },
    );
    // The acceptance form's field the last submission found wanting.
    let invalid = use_state(|| None::<&'static str>);
    // Whether the status is the owner field's: then it is shown beside the field.
    let of_owner = use_state(|| false);

    let busy = *status == Status::Busy;
    let tenant = props.tenant.to_string();

    let on_owner = {
        let (tenant, id) = (tenant.clone(), row.id.clone());
        let shown = row.owner.as_ref().map(|o| o.name.clone());
        let (status, on_updated, owner_input) = (
            status.clone(),
            props.on_updated.clone(),
            owner_input.clone(),
        );
        let of_owner = of_owner.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            claim_status(&status, &of_owner, true);
            let owner = owner_input
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            // The owner shown, saved as it is, would only hide how it is known (a disabled
            // account's status, the platform as its source) behind an assigned name.
            if shown.as_deref().unwrap_or_default() == owner {
                status.set(Status::Done("Owner unchanged.".into()));
                return;
            }
            let done = if owner.is_empty() {
                "Owner cleared."
            } else {
                "Owner assigned."
            };
            act(
                Request::AssignOwner {
                    tenant: tenant.clone(),
                    id: id.clone(),
                    owner,
                },
                tenant.clone(),
                id.clone(),
                done,
                status.clone(),
                on_updated.clone(),
                None,
            );
        })
    };

    let on_accept = {
        let (tenant, id, now) = (tenant.clone(), row.id.clone(), props.now);
        let (status, on_updated, accepting) =
            (status.clone(), props.on_updated.clone(), accepting.clone());
        let (invalid, of_owner) = (invalid.clone(), of_owner.clone());
        let (reason_input, expires_input) = (reason_input.clone(), expires_input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(rule) = (*accepting).clone() else {
                return;
            };
            claim_status(&status, &of_owner, false);
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value().trim().to_string())
                    .unwrap_or_default()
            };
            let (reason, expires) = (value(&reason_input), value(&expires_input));
            // A field found wanting is marked, described by the status line, and focused.
            let wanting = |field: &'static str, input: &NodeRef, why: &str| {
                invalid.set(Some(field));
                status.set(Status::Failed(why.into()));
                if let Some(i) = input.cast::<HtmlElement>() {
                    let _ = i.focus();
                }
            };
            if reason.is_empty() {
                wanting(
                    "reason",
                    &reason_input,
                    "Say why the risk is accepted: the reason is kept with the decision.",
                );
                return;
            }
            if !age::is_future_date(&expires, now) {
                wanting(
                    "expires",
                    &expires_input,
                    "Choose an expiry date after today: acceptances do not last forever.",
                );
                return;
            }
            invalid.set(None);
            let accepting = accepting.clone();
            act(
                Request::AcceptRisk {
                    tenant: tenant.clone(),
                    id: id.clone(),
                    rule,
                    reason,
                    expires,
                },
                tenant.clone(),
                id.clone(),
                "Risk accepted.",
                status.clone(),
                on_updated.clone(),
                Some(Callback::from(move |()| accepting.set(None))),
            );
        })
    };

    let on_withdraw = {
        let (tenant, id) = (tenant.clone(), row.id.clone());
        let (status, on_updated) = (status.clone(), props.on_updated.clone());
        let of_owner = of_owner.clone();
        Callback::from(move |rule: String| {
            claim_status(&status, &of_owner, false);
            act(
                Request::WithdrawAcceptance {
                    tenant: tenant.clone(),
                    id: id.clone(),
                    rule,
                },
                tenant.clone(),
                id.clone(),
                "Acceptance withdrawn.",
                status.clone(),
                on_updated.clone(),
                None,
            );
        })
    };

    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let (on_close, accepting) = (props.on_close.clone(), accepting.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                // An open acceptance form is cancelled first, keeping the detail.
                if accepting.is_some() {
                    accepting.set(None);
                } else {
                    on_close.emit(());
                }
            }
        })
    };

    let now = props.now;
    let findings = row.findings.iter().map(|f| {
        finding_html(
            f,
            now,
            busy,
            accepting.as_deref() == Some(f.rule.as_str()),
            *invalid,
            &accepting,
            &on_accept,
            &on_withdraw,
            &reason_input,
            &expires_input,
        )
    });
    let status_line = match &*status {
        Status::Idle => html! {},
        Status::Busy => html! { <span class="muted">{ "Saving…" }</span> },
        Status::Done(m) => html! { <span class="ok">{ m.clone() }</span> },
        Status::Failed(m) => html! { <span class="error-text">{ m.clone() }</span> },
    };
    let beside_owner = *of_owner && *status != Status::Idle;
    let owner_name = row
        .owner
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();

    html! {
        <section class="detail" id="nhi-detail" data-id={row.id.clone()} aria-labelledby="nhi-detail-title" {onkeydown}>
            <header class="detail-head">
                { risk_chip(row.risk.level, row.risk.score) }
                <h2 id="nhi-detail-title" class="detail-name">{ row.name.clone() }</h2>
                if props.show_close {
                    <button type="button" class="icon" id="nhi-detail-close" ref={close_button}
                            aria-label="Close" title="Close (Esc)" onclick={on_close}>{ "✕" }</button>
                }
            </header>
            <div class="detail-sub muted">
                { labels::platform(&row.platform).to_string() }{ " · " }{ labels::kind(&row.kind) }
                { " · " }<span class="mono">{ row.id.clone() }</span>
            </div>
            // The live region stays here, read out as it is written; the owner field's status is
            // shown beside the field instead, where the admin is looking.
            // (Its line keeps its height: the form below does not move as its status comes.)
            <div class="status-line" id="nhi-detail-status" role="status" aria-live="polite">
                if beside_owner {
                    <span class="visually-hidden">{ status_line.clone() }</span>
                } else {
                    { status_line.clone() }
                }
            </div>
            if !props.changes.is_empty() {
                <ul class="changes-of" data-nhi-detail-changes="">
                    { for props.changes.iter().map(|c| html! { <li>{ describe(c) }</li> }) }
                </ul>
            }
            { facts(row, now) }
            <form class="owner-form" onsubmit={on_owner}>
                <label for="nhi-owner-input">{ "Owner" }</label>
                <input id="nhi-owner-input" ref={owner_input} type="text" value={owner_name}
                       placeholder="name, email or team" autocomplete="off" readonly={busy}
                       aria-describedby={beside_owner.then_some("nhi-detail-status")} />
                <button type="submit" id="nhi-owner-save" aria-disabled={busy.then_some("true")}>{ "Assign owner" }</button>
                if beside_owner {
                    <span class="status-line" aria-hidden="true" data-nhi-owner-status="">{ status_line }</span>
                }
                <span class="hint muted">{ "Leave empty to clear an owner you assigned." }</span>
            </form>
            <h3 class="findings-title">
                { match row.findings.len() { 0 => "No findings".to_string(), 1 => "1 finding".to_string(), n => format!("{n} findings") } }
            </h3>
            <div class="findings" role="list">{ for findings }</div>
        </section>
    }
}

fn facts(row: &Row, now: i64) -> Html {
    let k = &row.keys;
    let dated = |t: Option<i64>, label: String| match t {
        Some(t) => format!("{} ({label})", age::date(t)),
        None => label,
    };
    let owner = age::owner_label(
        row.owner
            .as_ref()
            .map(|o| (o.name.as_str(), o.status.as_str())),
        &row.owner_state,
        row.human,
    );
    let owner_source = row
        .owner
        .as_ref()
        .filter(|o| !o.source.is_empty())
        .map(|o| format!(" · {}", age::owner_source(&o.source)))
        .unwrap_or_default();
    let mut last_used = dated(
        k.last_used,
        age::last_used_label(k.last_used, &row.last_used_source, now),
    );
    if k.last_used.is_some() && !row.last_used_source.is_empty() {
        last_used.push_str(&format!(" · from {}", row.last_used_source));
    }
    if let Some(note) = age::precision_note(row.last_used_precision) {
        last_used.push_str(&format!(" · {note}"));
    }
    let item = |term: &'static str, value: String| {
        html! { <><dt>{ term }</dt><dd>{ value }</dd></> }
    };
    html! {
        <dl class="facts">
            { item("Owner", format!("{owner}{owner_source}")) }
            { item("Created", match row.age_days {
                Some(d) => dated(k.created, format!("{} old", age::short(d))),
                None => "unknown".into(),
            }) }
            { item("Last used", last_used) }
            { item("Oldest secret", k.oldest_secret.map_or_else(|| "no dated secret".into(),
                |t| format!("{} ({} old)", age::date(t), age::secret_label(Some(t), now)))) }
            { item("Expires", dated(k.expires, age::expires_label(k.expires, &row.expiry, now))) }
            if let Some(l) = &row.location { { item("Location", l.clone()) } }
            if let Some(c) = &row.client_id { { item("Client ID", c.clone()) } }
            if row.permissions_unread() { { item("Permissions", nhi_lens::model::GRANTS_UNREAD_NOTE.into()) } }
            if row.pending {
                { item("State", "requested, not approved: its findings are what approving it would bring".into()) }
            } else if !row.enabled {
                { item("State", "disabled".into()) }
            }
            if !row.sources.is_empty() { { item("Seen in", row.sources.join(", ")) } }
        </dl>
    }
}

#[allow(clippy::too_many_arguments)]
fn finding_html(
    f: &FindingRow,
    now: i64,
    busy: bool,
    form_open: bool,
    invalid: Option<&'static str>,
    accepting: &UseStateHandle<Option<String>>,
    on_accept: &Callback<SubmitEvent>,
    on_withdraw: &Callback<String>,
    reason_input: &NodeRef,
    expires_input: &NodeRef,
) -> Html {
    let rule = f.rule.to_string();
    let status = match f.status.as_str() {
        "accepted" => html! {
            <div class="finding-status accepted">
                { format!("Accepted{}", f.accepted_until.as_deref().and_then(crate::model::unix)
                    .map(|t| format!(" until {}", age::date(t))).unwrap_or_default()) }
                if let Some(r) = &f.reason { { ": " }<q>{ r.clone() }</q> }
            </div>
        },
        "allowed" => html! {
            <div class="finding-status allowed">
                { "Allowlisted" }
                if let Some(r) = &f.reason { { ": " }<q>{ r.clone() }</q> }
            </div>
        },
        _ => html! { <div class="finding-status open">{ "Open" }</div> },
    };
    let actions = match f.status.as_str() {
        "accepted" => {
            let onclick = {
                let rule = rule.clone();
                on_withdraw.reform(move |_: MouseEvent| rule.clone())
            };
            html! { <button type="button" data-nhi-withdraw={rule.clone()} aria-disabled={busy.then_some("true")} {onclick}>{ "Withdraw acceptance" }</button> }
        }
        "open" if !form_open => {
            let onclick = {
                let (rule, accepting) = (rule.clone(), accepting.clone());
                Callback::from(move |_: MouseEvent| accepting.set(Some(rule.clone())))
            };
            html! { <button type="button" data-nhi-accept={rule.clone()} aria-disabled={busy.then_some("true")} {onclick}>{ "Accept risk…" }</button> }
        }
        _ => html! {},
    };
    let form = if form_open {
        let cancel = {
            let accepting = accepting.clone();
            Callback::from(move |_: MouseEvent| accepting.set(None))
        };
        let min = age::date(now + age::DAY);
        html! {
            <form class="accept-form" onsubmit={on_accept.clone()} data-nhi-accept-form={rule.clone()}>
                <label for="nhi-accept-reason">{ "Reason" }</label>
                <input id="nhi-accept-reason" ref={reason_input.clone()} type="text" required=true
                       placeholder="why this risk is acceptable for now" autocomplete="off"
                       aria-describedby="nhi-detail-status"
                       aria-invalid={(invalid == Some("reason")).then_some("true")} />
                <label for="nhi-accept-expires">{ "Until" }</label>
                <input id="nhi-accept-expires" ref={expires_input.clone()} type="date" required=true
                       min={min} value={age::default_acceptance_expiry(now)}
                       aria-describedby="nhi-detail-status"
                       aria-invalid={(invalid == Some("expires")).then_some("true")} />
                <div class="buttons">
                    <button type="submit" id="nhi-accept-submit" aria-disabled={busy.then_some("true")}>{ "Accept risk" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </form>
        }
    } else {
        html! {}
    };
    let frameworks = |label: &'static str, ids: &[String]| {
        if ids.is_empty() {
            html! {}
        } else {
            html! { <span class="fw"><span class="muted">{ label }</span>{ " " }{ ids.join(", ") }</span> }
        }
    };
    html! {
        <article class="finding" role="listitem" data-nhi-finding={rule.clone()} data-status={f.status.to_string()}>
            <header>
                { severity_chip(&f.severity) }
                <span class="rule mono">{ rule.clone() }</span>
                <span class="finding-title">{ f.title().to_string() }</span>
                if f.points > 0 { <span class="points muted">{ format!("+{}", f.points) }</span> }
            </header>
            if !f.evidence.is_empty() { <p class="evidence">{ f.evidence.clone() }</p> }
            if !f.remediation().is_empty() {
                <p class="remediation"><span class="muted">{ "Fix: " }</span>{ with_code(f.remediation()) }</p>
            }
            <div class="frameworks">
                { frameworks("OWASP NHI", f.owasp_nhi()) }
                { frameworks("NIST CSF", f.nist_csf()) }
            </div>
            <div class="finding-foot">{ status }{ actions }</div>
            { form }
        </article>
    }
}

/// A rule's text as written (its docs mark names to type, such as `private_key_jwt`, with
/// backticks): each marked name as code, the rest as text. Console text never comes here.
fn with_code(text: &str) -> Html {
    code_spans(text)
        .map(|(code, part)| {
            if code {
                html! { <code class="mono">{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }
        })
        .collect()
}

/// The parts of `text` between backticks, each with whether it is marked as code; a text with an
/// unmatched backtick is one plain part.
fn code_spans(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let paired = text.matches('`').count().is_multiple_of(2);
    let parts: Vec<&str> = if paired {
        text.split('`').collect()
    } else {
        vec![text]
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (i % 2 == 1, part))
        .filter(|(_, part)| !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn names_in_backticks_are_code_and_a_lone_backtick_is_text() {
        let parts: Vec<_> =
            code_spans("use `private_key_jwt` and scoped `okta.*` grants").collect();
        assert_eq!(
            parts,
            [
                (false, "use "),
                (true, "private_key_jwt"),
                (false, " and scoped "),
                (true, "okta.*"),
                (false, " grants")
            ]
        );
        let plain: Vec<_> = code_spans("it's `odd").collect();
        assert_eq!(plain, [(false, "it's `odd")]);
    }
}
