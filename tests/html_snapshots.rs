//! The extension's worker reads DOM snapshots with `html::read_serialized`, not html5ever (see
//! `src/html.rs`). These tests hold it to html5ever's tree for what browsers send: every saved
//! page and mock console page in `tests/`, and generated markup, is parsed by html5ever,
//! serialized as a browser serializes its DOM (html5ever's serializer follows the same HTML
//! algorithm), read back by `read_serialized`, and the two trees must be equal. Anything else
//! must read without panicking.

mod common;

use std::path::Path;

use common::files_under;

use ego_tree::NodeRef;
use nhi_lens::html::read_serialized;
use proptest::prelude::*;
use proptest::sample::select;
use scraper::{Html, Node};

/// A tree as one line per node, with adjacent text merged (a snapshot joins the head's and the
/// body's markup, so a text at the end of one and the start of the other become one).
fn dump<'a>(nodes: impl Iterator<Item = NodeRef<'a, Node>>, depth: usize, out: &mut Vec<String>) {
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<String>| {
        if !text.is_empty() {
            out.push(format!("{}{:?}", "  ".repeat(depth), std::mem::take(text)));
        }
    };
    for node in nodes {
        match node.value() {
            Node::Text(t) => text.push_str(t),
            Node::Element(e) => {
                flush(&mut text, out);
                let mut attrs: Vec<String> = e
                    .attrs
                    .iter()
                    .map(|(name, value)| match &*name.ns {
                        "" => format!("{}={:?}", name.local, &**value),
                        ns => format!("{ns}:{}={:?}", name.local, &**value),
                    })
                    .collect();
                attrs.sort();
                out.push(format!(
                    "{}<{} {}> {}",
                    "  ".repeat(depth),
                    e.name.local,
                    e.name.ns,
                    attrs.join(" ")
                ));
                // A template's content is left out of a snapshot's tree (see below).
                if &*e.name.local != "template" {
                    dump(node.children(), depth + 1, out);
                }
            }
            Node::Comment(c) => {
                flush(&mut text, out);
                out.push(format!("{}<!--{:?}-->", "  ".repeat(depth), &**c));
            }
            _ => {}
        }
    }
    flush(&mut text, out);
}

/// The children of `<head>` and `<body>`, in order: where a snapshot's markup ends up. White
/// space before the first of them is not content (a parser drops it before `<html>`).
fn page_content(html: &Html) -> Vec<String> {
    let root = html.root_element();
    let mut out = Vec::new();
    dump(
        root.children().flat_map(|part| part.children()),
        0,
        &mut out,
    );
    if let Some(first) = out.first_mut() {
        let text: Option<String> = serde_json::from_str(first).ok();
        if let Some(text) = text {
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                out.remove(0);
            } else {
                *first = format!("{trimmed:?}");
            }
        }
    }
    out
}

/// What the content script sends for a page: the saved-from line, then the markup.
fn as_browser_serializes(html: &Html, saved_from: Option<&str>) -> String {
    let mut snapshot = saved_from
        .map(|url| nhi_lens::console::snapshot_input(url, ""))
        .unwrap_or_default();
    for part in html.root_element().child_elements() {
        snapshot.push_str(&part.inner_html());
    }
    snapshot
}

/// Asserts `read_serialized` reads the serialized `html` into the same tree.
fn assert_round_trip(html: &Html, saved_from: Option<&str>, what: &str) {
    let snapshot = as_browser_serializes(html, saved_from);
    let read = read_serialized(&snapshot);
    let (expected, got) = (page_content(html), page_content(&read));
    if let Some(at) = (0..expected.len().max(got.len())).find(|&i| expected.get(i) != got.get(i)) {
        panic!(
            "{what}: node {at} differs\n html5ever: {:?}\n snapshot:  {:?}\n(the snapshot: {})",
            expected.get(at),
            got.get(at),
            snapshot.chars().take(400).collect::<String>()
        );
    }
    if saved_from.is_some() {
        assert_eq!(
            nhi_lens::console::saved_from(&snapshot),
            saved_from,
            "{what}: the saved-from line is read"
        );
        let comment = read.tree.root().first_child().map(|n| n.value().clone());
        assert!(
            matches!(comment, Some(Node::Comment(_))),
            "{what}: the saved-from line stays a comment of the document, before <html>"
        );
    }
}

#[test]
fn every_page_in_the_tests_reads_back_as_html5ever_parsed_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    files_under(&root.join("fixtures"), &mut files);
    files_under(&root.join("consoles"), &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "html"));
    assert!(files.len() > 100, "found only {} pages", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let html = Html::parse_document(&text);
        let what = file.strip_prefix(&root).unwrap().display().to_string();
        assert_round_trip(&html, nhi_lens::console::saved_from(&text), &what);
    }
}

#[test]
fn reads_what_browsers_write() {
    let html = read_serialized(concat!(
        "<!-- saved from url=(0026)https://github.com/acme/x -->\n",
        r#"<table class="t"><tbody><tr data-id="7"><td>a &amp; b &lt;c&gt;&nbsp;d</td>"#,
        r#"<td><img src="x.png" alt="Tom &quot;T&quot; &amp; co"><br>after</td></tr></tbody></table>"#,
        r#"<script>if (a < b && c) x = "</div>";</script><textarea>&lt;b&gt;</textarea>"#,
        r#"<svg viewBox="0 0 1 1"><clipPath id="c"><path d="M0"></path></clipPath></svg>"#,
        r#"<p title='single' hidden data-x=bare>&#x1F600;&#65;&bogus; & done</p>"#,
        // With scripting on, as in a browser running the console, a noscript's content is text.
        r#"<noscript><p>n</p></noscript>"#,
    ));
    let dump = page_content(&html).join("\n");
    let expected = r#"<table http://www.w3.org/1999/xhtml> class="t"
  <tbody http://www.w3.org/1999/xhtml> 
    <tr http://www.w3.org/1999/xhtml> data-id="7"
      <td http://www.w3.org/1999/xhtml> 
        "a & b <c>\u{a0}d"
      <td http://www.w3.org/1999/xhtml> 
        <img http://www.w3.org/1999/xhtml> alt="Tom \"T\" & co" src="x.png"
        <br http://www.w3.org/1999/xhtml> 
        "after"
<script http://www.w3.org/1999/xhtml> 
  "if (a < b && c) x = \"</div>\";"
<textarea http://www.w3.org/1999/xhtml> 
  "<b>"
<svg http://www.w3.org/2000/svg> viewBox="0 0 1 1"
  <clipPath http://www.w3.org/2000/svg> id="c"
    <path http://www.w3.org/2000/svg> d="M0"
<p http://www.w3.org/1999/xhtml> data-x="bare" hidden="" title="single"
  "😀A&bogus; & done"
<noscript http://www.w3.org/1999/xhtml> 
  "<p>n</p>""#;
    assert_eq!(dump, expected);
}

#[test]
fn a_templates_content_is_left_out_and_what_follows_it_read() {
    // The content script's snapshots never held a template's content; a console keeps rows of
    // its lists there to copy from, which are no identities.
    let html = read_serialized(concat!(
        r#"<table><tbody><tr><td>App</td></tr></tbody></table>"#,
        r#"<template id="row"><tr><td>Template app</td></tr><template><p>templates</p></template>"#,
        r#"<p>template</p></template><p class="after">shown</p><template></template><p>last</p>"#,
    ));
    let cells: Vec<String> = html
        .select(&scraper::Selector::parse("td, p").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(cells, ["App", "shown", "last"]);
    assert_eq!(
        html.select(&scraper::Selector::parse("template").unwrap())
            .count(),
        2
    );
}

#[test]
fn a_hostile_name_stays_text() {
    let html = read_serialized(
        r#"<td>&lt;img src=x onerror=alert(1)&gt;</td><td><img src="x" onerror="alert(2)"></td>"#,
    );
    let cells: Vec<String> = html
        .select(&scraper::Selector::parse("td").unwrap())
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(cells, ["<img src=x onerror=alert(1)>", ""]);
}

#[test]
fn broken_markup_reads_as_far_as_it_goes() {
    // Unclosed elements end with their parent; stray end tags and a lone `<` are harmless.
    let html = read_serialized("<ul><li>one<li>two</ul></div><p>a < b</p><p>cut <b class=\"x");
    let dump = page_content(&html).join("\n");
    assert!(dump.contains("\"a < b\""), "{dump}");
    assert!(dump.contains("\"two\""), "{dump}");
    assert!(dump.contains("\"cut \""), "{dump}");
}

/// Pieces of markup, including what html5ever reorders (tables, lists, formatting elements),
/// raw text, entities and foreign content.
const PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<ul>",
    "<li>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<a href=\"/x?a=1&amp;b=2\">",
    "</a>",
    "<span class=\"Label\" title='t'>",
    "</span>",
    "<br>",
    "<img src=x>",
    "<input disabled>",
    "<script>var a = '<b>';</script>",
    "<style>td > b {}</style>",
    "<textarea>&lt;x&gt;</textarea>",
    "<svg viewBox=\"0 0 2 2\"><path d=\"M0\"/></svg>",
    "<math><mi>x</mi></math>",
    "<math><mi><b>x</b></mi><annotation-xml encoding=\"text/html\"><div>d</div></annotation-xml></math>",
    "<svg xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"#x\" xml:lang=\"en\">l</a><foreignObject><p>t</p></foreignObject><desc><b>d</b></desc></svg>",
    "<!-- note -->",
    "text",
    " ",
    "\n",
    "&amp;",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&nbsp;",
    "é—😀",
    "<relative-time datetime=\"2024-01-01\">",
    "<nhi-lens-badge>",
    "<select><option>a<option>b</select>",
    "<h2>",
    "</h2>",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_markup_html5ever_parses_reads_back_the_same(
        pieces in prop::collection::vec(select(PIECES), 0..40)
    ) {
        // A snapshot starts with an element (the region's); a comment before any would belong
        // to the document in one reading and to the body in the other.
        let markup = format!("<h1>start</h1>{}", pieces.concat());
        let html = Html::parse_document(&markup);
        assert_round_trip(&html, None, &markup);
    }

    #[test]
    fn any_text_reads_without_panicking(text in ".{0,300}") {
        let _ = read_serialized(&text);
    }

    #[test]
    fn any_mix_of_pieces_and_text_reads_without_panicking(
        pieces in prop::collection::vec(prop_oneof![select(PIECES).prop_map(String::from), "[<>/=\"'&;!a-z -]{0,12}"], 0..40)
    ) {
        let _ = read_serialized(&pieces.concat());
    }
}
