//! Where the keyboard's focus goes as parts of a page come and go: an inline question (a form
//! or a confirmation drawn in place of the button that asked it) takes the focus as it opens and
//! gives it back as it closes; a closed detail gives it back to its row. Without this, a removed
//! element holding the focus drops it to the page, and a keyboard user starts again from the top.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::bridge;

/// Gives the focus to the first element `selector` names, if there is one.
pub fn give(selector: &str) {
    let document = web_sys::window().and_then(|w| w.document());
    let element = document.and_then(|d| d.query_selector(selector).ok().flatten());
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Focuses the first element matching `selector` (used after closing the detail), again on the
/// next few ticks until it holds: the page may still be drawing as the detail goes. Once the
/// focus is on anything else than the page itself (the admin moved on), it is left there.
pub async fn give_back(selector: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let holds = || {
        document
            .active_element()
            .is_some_and(|e| e.matches(selector).unwrap_or(false))
    };
    for attempt in 0..10 {
        let elsewhere = document
            .active_element()
            .is_some_and(|e| e.local_name() != "body" && !e.matches(selector).unwrap_or(false));
        if attempt > 0 && elsewhere {
            return;
        }
        give(selector);
        bridge::after_ms(16).await;
        if holds() {
            return;
        }
    }
}

/// Moves the focus with an inline question: to `opened(question)` as one opens (`question`
/// turns `Some`), and back to `closed(question)` — the control that asked it — as it closes.
///
/// Each render notes what it drew; the effect acts on what the renders since the last effect
/// saw. Yew may draw more than once before it runs effects, so a question opened and closed
/// again in that time leaves an effect whose dependency looks unchanged, and one that compared
/// only its dependencies would never give the focus back.
#[hook]
pub fn use_question_focus<T>(
    question: Option<T>,
    opened: fn(&T) -> String,
    closed: fn(&T) -> String,
) where
    T: Clone + PartialEq + 'static,
{
    // The question as last drawn, the latest one drawn and then closed since the last effect,
    // and how many changes the renders saw (the effect's dependency).
    let drawn = use_mut_ref(|| None::<T>);
    let closed_since = use_mut_ref(|| None::<T>);
    let changes = use_mut_ref(|| 0_u32);
    let before = drawn.replace(question.clone());
    if before != question {
        if before.is_some() {
            *closed_since.borrow_mut() = before;
        }
        *changes.borrow_mut() += 1;
    }
    let seen = *changes.borrow();
    use_effect_with(seen, move |_| {
        let gone = closed_since.take();
        match (drawn.borrow().as_ref(), gone) {
            (Some(open), _) => give(&opened(open)),
            (None, Some(gone)) => give(&closed(&gone)),
            (None, None) => {}
        }
    });
}
