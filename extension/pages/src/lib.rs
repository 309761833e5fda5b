//! The NHI Lens extension pages, in Yew: the side panel (inventory, detail, changes since the last
//! review, export), the popup (the active tab's counts), the options page and the review card the
//! content script opens in an `<iframe>` over a console page.
//!
//! The pages talk to the background worker only through [`nhi_lens::protocol`] messages
//! ([`bridge::ask`]). What they show is hostile console text: it is always rendered as text.
//!
//! Pure logic (reading the report, filtering, searching, sorting, the virtual window, ages) lives
//! in plain modules with native tests; the components and [`bridge`] need a browser and are tested
//! with `wasm-bindgen-test` in headless Chromium (`tests/web.rs`).

pub mod age;
pub mod bridge;
pub mod changes;
mod choices;
pub mod components;
pub mod focus;
pub mod fragment;
pub mod labels;
pub mod model;
pub mod pages;
pub mod panel;
pub mod shared;
pub mod view;
pub mod window;

use wasm_bindgen::prelude::*;

/// The extension pages, named as the HTML shells' `<body data-page="…">` name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    SidePanel,
    Popup,
    Options,
    Card,
}

impl Page {
    pub fn parse(name: &str) -> Option<Page> {
        match name {
            "sidepanel" => Some(Page::SidePanel),
            "popup" => Some(Page::Popup),
            "options" => Some(Page::Options),
            "card" => Some(Page::Card),
            _ => None,
        }
    }
}

/// Mounts `page`'s app on `root` (its children are replaced).
pub fn mount(page: Page, root: web_sys::Element) {
    match page {
        Page::SidePanel => {
            drop(yew::Renderer::<pages::sidepanel::SidePanel>::with_root(root).render())
        }
        Page::Popup => drop(yew::Renderer::<pages::popup::Popup>::with_root(root).render()),
        Page::Options => {
            drop(yew::Renderer::<pages::options::OptionsPage>::with_root(root).render())
        }
        Page::Card => drop(yew::Renderer::<pages::card::Card>::with_root(root).render()),
    }
}

/// Mounts the app of `page` (`sidepanel`, `popup`, `options` or `card`) on `document.body`.
/// Called by `pages.js` with `document.body.dataset.page`.
#[wasm_bindgen]
pub fn start(page: &str) -> Result<(), JsValue> {
    let page = Page::parse(page)
        .ok_or_else(|| JsValue::from_str(&format!("NHI Lens has no page named {page:?}")))?;
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .ok_or_else(|| JsValue::from_str("NHI Lens pages need a document body"))?;
    mount(page, body.into());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names() {
        assert_eq!(Page::parse("sidepanel"), Some(Page::SidePanel));
        assert_eq!(Page::parse("card"), Some(Page::Card));
        assert_eq!(Page::parse("background"), None);
    }
}
