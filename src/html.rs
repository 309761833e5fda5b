//! Reads HTML into a [`scraper::Html`] document for the console page formats.
//!
//! Two kinds of HTML reach the core. Saved pages, which the command line reads, can be any HTML
//! a server wrote, so they go through html5ever's full parser (feature `any-html`). DOM
//! snapshots, which the extension's content script sends, are markup the browser serialized from
//! its live DOM: every element closed, every attribute quoted, text escaped with a handful of
//! entities. [`read_serialized`] reads exactly that form into the same tree, in a few hundred
//! lines of code instead of html5ever's tokenizer, tree builder and 2,231-entity table (about
//! 340 KiB of the background worker's WebAssembly). It also keeps the live DOM's structure where
//! a re-parse would move nodes (a `<tr>` snapshot outside its table, a `<div>` a script put in a
//! table), which is what the admin saw.

use html5ever::interface::{AppendNode, AppendText, TreeSink, create_element};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, Namespace, QualName, ns};
use scraper::{Html, HtmlTreeSink};

/// A CSS selector of a page reader. Its error names the selector alone: the parser's own errors
/// would bring the CSS tokenizer's and selectors' writers into the extension's WebAssembly, for
/// selectors written in the code that always parse.
pub fn selector(css: &str) -> Result<scraper::Selector, String> {
    scraper::Selector::parse(css).map_err(|_| format!("not a CSS selector: {css}"))
}

/// Reads a page: any HTML with the `any-html` feature, browser-serialized markup without it.
pub fn document(text: &str) -> Html {
    #[cfg(feature = "any-html")]
    {
        Html::parse_document(text)
    }
    #[cfg(not(feature = "any-html"))]
    {
        read_serialized(text)
    }
}

/// The text a page shows under `element`, each text node followed by a space: without scripts,
/// styles, templates, or elements the page hides (`hidden`, an inline `display: none`). A console
/// keeps an empty state in the page, hidden, while its list has rows. (`aria-hidden` text is
/// still on the screen.)
pub fn shown_text(element: scraper::ElementRef<'_>) -> String {
    let mut out = String::new();
    // A stack, not recursion: a hostile page may nest elements thousands deep.
    let mut pending: Vec<_> = element.children().rev().collect();
    while let Some(node) = pending.pop() {
        match node.value() {
            scraper::Node::Text(text) => {
                out.push_str(text);
                out.push(' ');
            }
            scraper::Node::Element(e) if !hides(e) => pending.extend(node.children().rev()),
            _ => {}
        }
    }
    out
}

/// A header cell's label: its first piece of text that is not an icon's. Material icons are
/// ligatures, text (`arrow_downward`) in an element of an icon class, or in one the page hides
/// from assistive technology (`aria-hidden`); a sort icon before a column's name would otherwise
/// be taken for it. (A button of an icon class around the label is no icon's text.)
pub fn label_text(cell: scraper::ElementRef<'_>) -> String {
    let icon = |e: &scraper::node::Element| e.classes().any(|c| c.contains("icon"));
    cell.descendants()
        .filter_map(|node| node.value().as_text().map(|text| (node, text)))
        .filter(|(node, text)| {
            let mut around = node
                .ancestors()
                .take_while(|a| a.id() != cell.id())
                .filter_map(|a| a.value().as_element());
            // A ligature (`arrow_downward`, `sort`): lower-case letters, digits and `_` alone.
            let ligature = text
                .trim()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let parent_is_icon = node
                .parent()
                .filter(|p| p.id() != cell.id())
                .and_then(|p| p.value().as_element())
                .is_some_and(icon);
            let hidden = around.any(|e| e.attr("aria-hidden") == Some("true") || hides(e));
            !(parent_is_icon && ligature || hidden)
        })
        .map(|(_, text)| crate::text::collapse(text))
        .find(|text| !text.is_empty())
        .unwrap_or_default()
}

/// Whether the page shows `element`: neither it nor an element around it hides its content.
pub fn is_shown(element: scraper::ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(scraper::ElementRef::wrap))
        .all(|e| !hides(e.value()))
}

/// Whether an element's content is not shown: by its tag, its `hidden` attribute, its inline
/// style, or a utility class whose only rule hides it (Primer's and Bootstrap's `d-none`,
/// Tailwind's `hidden`, Bulma's `is-hidden`: consoles keep empty states and menus in the page
/// that way, and a snapshot has the classes, not the style sheet).
pub fn hides(element: &scraper::node::Element) -> bool {
    matches!(
        element.name(),
        "script" | "style" | "template" | "noscript" | "head"
    ) || element.attr("hidden").is_some()
        || element.attr("style").is_some_and(|style| {
            let style = style
                .split_whitespace()
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
        || (element
            .classes()
            .any(|class| matches!(class, "d-none" | "hidden" | "is-hidden"))
            // Unless another class shows it on a wider screen (`d-none d-md-block`,
            // `hidden md:table-cell`), as on the admin's.
            && !element
                .classes()
                .any(|class| class.contains(':') || (class.starts_with("d-") && class != "d-none")))
}

/// Elements the HTML serializer writes without an end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose text the serializer writes unescaped, up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
];

/// Elements whose text is escaped but can hold no elements.
const ESCAPABLE_RAW_TEXT: &[&str] = &["textarea", "title"];

/// Reads markup as browsers serialize a DOM (`outerHTML`) into a document shaped like the one
/// html5ever builds: a `<!-- … -->` line before the markup stays a comment of the document, and
/// the markup goes into `<html><head></head><body>`. Anything else is read as well as it can be:
/// an unclosed element ends with its parent, a stray end tag is ignored, a `<` that starts no tag
/// is text. It never fails and never panics.
pub fn read_serialized(text: &str) -> Html {
    let sink = HtmlTreeSink::new(Html::new_document());
    let document = sink.get_document();
    let html = element(&sink, ns!(html), "html", Vec::new());
    sink.append(&document, AppendNode(html));
    let head = element(&sink, ns!(html), "head", Vec::new());
    sink.append(&html, AppendNode(head));
    let body = element(&sink, ns!(html), "body", Vec::new());
    sink.append(&html, AppendNode(body));

    // Open elements. The body stays at the bottom.
    let mut open = vec![Open {
        handle: body,
        name: String::from("body"),
        namespace: ns!(html),
        html_inside: true,
    }];
    // Before the first element, comments belong to the document and white space is dropped,
    // as html5ever does before `<html>`.
    let mut started = false;
    let mut rest = text.trim_start_matches('\u{feff}');
    while !rest.is_empty() {
        let parent = &open.last().expect("the body is never closed").handle;
        if let Some(after) = rest.strip_prefix("<!--") {
            let (comment, next) = after.split_once("-->").unwrap_or((after, ""));
            let node = sink.create_comment(StrTendril::from(comment));
            if started {
                sink.append(parent, AppendNode(node));
            } else {
                sink.append_before_sibling(&html, AppendNode(node));
            }
            rest = next;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            // A doctype or a processing instruction: nothing a reader looks at.
            rest = rest.split_once('>').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("</") {
            let (name, next) = after.split_once('>').unwrap_or((after, ""));
            let name = name.trim().to_ascii_lowercase();
            // Close up to the innermost open element of that name; never the body.
            if let Some(at) = open
                .iter()
                .rposition(|o| o.name.eq_ignore_ascii_case(&name))
                && at > 0
            {
                open.truncate(at);
            }
            rest = next;
        } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            started = true;
            let tag = start_tag(&rest[1..]);
            rest = tag.rest;
            let parent_open = open.last().expect("the body is never closed");
            let namespace = match tag.name.as_str() {
                "svg" => ns!(svg),
                "math" => ns!(mathml),
                _ if parent_open.html_inside => ns!(html),
                _ => parent_open.namespace.clone(),
            };
            let lower = tag.name.to_ascii_lowercase();
            let html_inside = html_inside(&namespace, &tag.name, &tag.attributes);
            let attributes = attributes(tag.attributes, &namespace);
            let node = element(&sink, namespace.clone(), &tag.name, attributes);
            sink.append(parent, AppendNode(node));
            let html_element = namespace == ns!(html);
            if html_element && VOID.contains(&lower.as_str()) || tag.self_closing && !html_element {
                continue;
            }
            // A template's content is no part of the page (the content script's snapshots
            // never held it): it is left out, templates nested in it too.
            if html_element && lower == "template" {
                rest = after_template(rest);
                continue;
            }
            let raw = RAW_TEXT.contains(&lower.as_str());
            if html_element && (raw || ESCAPABLE_RAW_TEXT.contains(&lower.as_str())) {
                let (content, next) = until_end_tag(rest, &lower);
                if !content.is_empty() {
                    let content = if raw { content.into() } else { decode(content) };
                    sink.append(&node, AppendText(StrTendril::from(content.as_ref())));
                }
                rest = next;
                continue;
            }
            open.push(Open {
                handle: node,
                name: tag.name,
                namespace,
                html_inside,
            });
        } else {
            // Text, up to the next `<` that starts markup.
            let end = rest
                .char_indices()
                .skip(1)
                .find(|&(i, c)| c == '<' && starts_markup(&rest[i + 1..]))
                .map_or(rest.len(), |(i, _)| i);
            let (raw, next) = rest.split_at(end);
            rest = next;
            if !started && raw.trim().is_empty() {
                continue;
            }
            started = true;
            sink.append(parent, AppendText(StrTendril::from(decode(raw).as_ref())));
        }
    }
    sink.finish()
}

/// An open element.
struct Open {
    handle: <HtmlTreeSink as TreeSink>::Handle,
    name: String,
    namespace: Namespace,
    /// Whether its child elements are HTML: an HTML element's are, and so are those of the
    /// foreign elements HTML calls integration points.
    html_inside: bool,
}

/// Whether an element's child elements are HTML (the HTML parsing algorithm's integration
/// points: SVG's `foreignObject`, `desc` and `title`, MathML's text elements and an
/// `annotation-xml` that says it holds HTML).
fn html_inside(namespace: &Namespace, name: &str, attributes: &[(&str, String)]) -> bool {
    if *namespace == ns!(html) {
        return true;
    }
    if *namespace == ns!(svg) {
        return matches!(name, "foreignObject" | "desc" | "title");
    }
    matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
        || name == "annotation-xml"
            && attributes.iter().any(|(attribute, value)| {
                attribute.eq_ignore_ascii_case("encoding")
                    && (value.eq_ignore_ascii_case("text/html")
                        || value.eq_ignore_ascii_case("application/xhtml+xml"))
            })
}

/// Whether text after a `<` is markup: a tag, an end tag, a comment or a declaration.
fn starts_markup(after: &str) -> bool {
    after.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
}

fn element(
    sink: &HtmlTreeSink,
    namespace: Namespace,
    name: &str,
    attributes: Vec<Attribute>,
) -> <HtmlTreeSink as TreeSink>::Handle {
    let local = local_name(name, &namespace);
    create_element(sink, QualName::new(None, namespace, local), attributes)
}

/// A name as the DOM holds it: lower case in HTML, as written in SVG and MathML (`clipPath`,
/// `viewBox`), which is how the serializer wrote it.
fn local_name(name: &str, namespace: &Namespace) -> LocalName {
    if *namespace == ns!(html) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    }
}

/// A start tag read from just after its `<`.
struct StartTag<'a> {
    name: String,
    /// Names as written, values decoded.
    attributes: Vec<(&'a str, String)>,
    self_closing: bool,
    /// The text after the tag's `>`.
    rest: &'a str,
}

fn start_tag(text: &str) -> StartTag<'_> {
    let is_end_of_name = |c: char| c.is_ascii_whitespace() || c == '/' || c == '>';
    let name_end = text.find(is_end_of_name).unwrap_or(text.len());
    let name = text[..name_end].to_string();
    let mut rest = &text[name_end..];
    let mut attributes = Vec::new();
    let mut self_closing = false;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(next) = rest.strip_prefix('>') {
            rest = next;
            break;
        }
        if let Some(next) = rest.strip_prefix("/>") {
            self_closing = true;
            rest = next;
            break;
        }
        if let Some(next) = rest.strip_prefix('/') {
            rest = next;
            continue;
        }
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(rest.chars().next().map_or(0, char::len_utf8));
        let attribute = &rest[..end];
        rest = rest[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (raw, next) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    after[1..].split_once(quote).unwrap_or((&after[1..], ""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    after.split_at(end)
                }
            };
            value = decode(raw).into_owned();
            rest = next;
        }
        if !attribute.starts_with('=') {
            attributes.push((attribute, value));
        }
    }
    StartTag {
        name,
        attributes,
        self_closing,
        rest,
    }
}

/// A start tag's attributes as the DOM holds them: names lower case on HTML elements, as
/// written on foreign ones, where `xlink:`, `xml:` and `xmlns` name their namespaces; of two with
/// one name, the first.
fn attributes(written: Vec<(&str, String)>, namespace: &Namespace) -> Vec<Attribute> {
    let mut attributes: Vec<Attribute> = Vec::with_capacity(written.len());
    for (name, value) in written {
        let name = if *namespace == ns!(html) {
            QualName::new(None, ns!(), local_name(name, namespace))
        } else {
            foreign_attribute(name)
        };
        if !attributes.iter().any(|a| a.name == name) {
            attributes.push(Attribute {
                name,
                value: StrTendril::from(value),
            });
        }
    }
    attributes
}

/// A foreign element's attribute name, in the namespace the HTML parser gives it.
fn foreign_attribute(name: &str) -> QualName {
    let prefixed = |prefix: &str, namespace: Namespace, local: &str| {
        QualName::new(
            Some(html5ever::Prefix::from(prefix)),
            namespace,
            LocalName::from(local),
        )
    };
    match name.split_once(':') {
        Some(("xlink", local)) => prefixed("xlink", ns!(xlink), local),
        Some(("xml", local)) => prefixed("xml", ns!(xml), local),
        Some(("xmlns", local)) => prefixed("xmlns", ns!(xmlns), local),
        _ if name == "xmlns" => QualName::new(None, ns!(xmlns), LocalName::from(name)),
        _ => QualName::new(None, ns!(), LocalName::from(name)),
    }
}

/// What follows a template's end tag, past the templates nested in its content (the serializer
/// writes every `<` of text and, in today's browsers, of attribute values as `&lt;`).
fn after_template(text: &str) -> &str {
    let mut depth = 1;
    let mut rest = text;
    while let Some(at) = rest.find("template") {
        let before = &rest[..at];
        rest = &rest[at + "template".len()..];
        if !rest.starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/') {
            continue;
        }
        if before.ends_with("</") {
            depth -= 1;
            if depth == 0 {
                return rest.split_once('>').map_or("", |(_, next)| next);
            }
        } else if before.ends_with('<') {
            depth += 1;
        }
    }
    ""
}

/// The text of a raw-text element up to its end tag, and what follows that tag.
fn until_end_tag<'a>(text: &'a str, name: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(at) = text[from..].find("</") {
        let at = from + at;
        let after = &text[at + 2..];
        if after.len() >= name.len()
            && after.is_char_boundary(name.len())
            && after[..name.len()].eq_ignore_ascii_case(name)
            && after[name.len()..]
                .starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/')
        {
            let next = after[name.len()..]
                .split_once('>')
                .map_or("", |(_, next)| next);
            return (&text[..at], next);
        }
        from = at + 2;
    }
    (text, "")
}

/// Decodes character references. The serializer writes only `&amp;`, `&lt;`, `&gt;`, `&quot;`
/// and `&nbsp;`; numeric ones and `&apos;` are read too. Any other `&` stays as it is.
fn decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let reference = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &rest[1..=end]);
        let decoded = reference.and_then(|r| match r {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => {
                let number = r.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                Some(
                    char::from_u32(code)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{fffd}'),
                )
            }
        });
        match (reference, decoded) {
            (Some(reference), Some(c)) => {
                out.push(c);
                rest = &rest[reference.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}
