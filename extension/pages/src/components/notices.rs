//! Banners: pages the adapter could no longer read, inputs that could not be read, failures.

use nhi_lens::protocol::PageVisit;
use yew::prelude::*;

use crate::labels;
use crate::model::ReportError;

/// The sentence every layout warning contains. A page NHI Lens could not read is never shown as
/// a page without risks.
pub const LAYOUT_CHANGED: &str = "this console page changed; the adapter may be out of date";

/// Why a page that did not change may read as changed: its columns and messages are found by
/// their English names.
pub const IN_ENGLISH: &str = "NHI Lens finds a page's columns and messages by their English names: a console shown in another language reads as changed.";

/// The warning for pages whose layout no longer matches the adapter. Empty when there are none.
pub fn layout_warning<'a>(pages: impl Iterator<Item = (&'a PageVisit, &'a str)>) -> Html {
    let pages: Vec<_> = pages.collect();
    if pages.is_empty() {
        return html! {};
    }
    html! {
        <div class="banner warn" role="alert" data-nhi-layout-warning="">
            <strong>{ "NHI Lens could not read every page. " }</strong>
            { "For the pages below, " }{ LAYOUT_CHANGED }{ ". What NHI Lens shows for them may be incomplete." }
            <ul>
                { for pages.iter().map(|(p, detail)| html! {
                    <li>
                        <span class="page-name">{ page_name(p) }</span>
                        if !detail.is_empty() { <span class="muted">{ format!(" — {detail}") }</span> }
                        <div class="muted url">{ p.url.clone() }</div>
                    </li>
                }) }
            </ul>
            <p class="muted">{ IN_ENGLISH }</p>
        </div>
    }
}

/// The single-page form, for the popup.
pub fn layout_warning_for(page: &str, detail: &str) -> Html {
    html! {
        <div class="banner warn" role="alert" data-nhi-layout-warning="">
            <strong>{ format!("{page}: ") }</strong>{ LAYOUT_CHANGED }{ "." }
            if !detail.is_empty() { <div class="muted">{ detail.to_string() }</div> }
            <div class="muted">{ IN_ENGLISH }</div>
        </div>
    }
}

fn page_name(p: &PageVisit) -> String {
    if p.page.is_empty() {
        p.url.clone()
    } else {
        // Page IDs look like `github.installations`: name the platform the admin knows.
        match p.page.split_once('.') {
            Some((platform, rest)) => {
                format!("{} {}", labels::platform(platform), rest.replace('_', " "))
            }
            None => p.page.clone(),
        }
    }
}

/// The inputs of the report that could not be read.
pub fn report_errors(errors: &[ReportError]) -> Html {
    if errors.is_empty() {
        return html! {};
    }
    html! {
        <details class="banner info" data-nhi-report-errors={errors.len().to_string()}>
            <summary>{ format!("{} input{} could not be read", errors.len(), if errors.len() == 1 { "" } else { "s" }) }</summary>
            <ul>
                { for errors.iter().map(|e| html! {
                    <li><span class="mono">{ e.source.clone() }</span>{ ": " }{ e.message.clone() }</li>
                }) }
            </ul>
        </details>
    }
}

/// A failure message (`Reply::Error`, an unreachable background).
pub fn error(message: Option<&str>) -> Html {
    match message {
        Some(m) => {
            html! { <div class="banner error" role="alert" data-nhi-error="">{ m.to_string() }</div> }
        }
        None => html! {},
    }
}

/// What the last action on a page came to, under the element ID `id`: what was done (a status)
/// or why it failed (an alert). Nothing before any action. What was done is written into a live
/// region that is always there: a status inserted with its text is often not read out.
pub fn outcome(id: &'static str, outcome: Option<Result<&str, &str>>) -> Html {
    let done = match outcome {
        Some(Ok(done)) => html! { <div class="banner ok" {id}>{ done.to_string() }</div> },
        _ => html! {},
    };
    let failed = match outcome {
        Some(Err(why)) => {
            html! { <div class="banner error" role="alert" {id} data-nhi-error="">{ why.to_string() }</div> }
        }
        _ => html! {},
    };
    html! {
        <>
            <div class="live" role="status">{ done }</div>
            { failed }
        </>
    }
}
