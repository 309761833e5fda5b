//! Console text is hostile input. These helpers keep it text in every output.

use std::borrow::Cow;

#[cfg(feature = "cli")]
use unicode_width::UnicodeWidthChar;

/// `text` with each run of white space as one space and none at either end, as a page shows it.
pub fn collapse(text: &str) -> String {
    // Most texts are written so already: copied as they are, without splitting.
    let mut previous_space = true;
    let plain = text.chars().all(|c| {
        let fine = (c == ' ' && !previous_space) || !c.is_whitespace();
        previous_space = c == ' ';
        fine
    }) && !text.ends_with(' ');
    if plain {
        return text.to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` as a page's words are compared with ours: lower case, white space collapsed, curly
/// apostrophes straight.
pub fn normalize(text: &str) -> String {
    collapse(&text.replace(['\u{2019}', '\u{2018}'], "'")).to_lowercase()
}

/// Whether `text` has `word` as a word of its own: not inside a name such as `expired-octocat`
/// or `my_expired_repo` (letters, digits, `-` and `_` make one word).
pub fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .any(|w| w == word)
}

/// The leading words of `text`, lower case, longest first (`Owner ↑` gives `owner ↑`, then
/// `owner`): a column header that says more after its name (a sort marker, a help bubble's
/// label) is named by one of them.
pub fn leading_words(text: &str) -> Vec<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    (1..=words.len())
        .rev()
        .map(|n| words[..n].join(" "))
        .collect()
}

/// Whether a column header names one of `names` (any case): the whole header, or its leading
/// words before a sort marker, an icon font's glyph or a help bubble's label (`Display name ↑`).
pub fn header_names(header: &str, names: &[&str]) -> bool {
    leading_words(header)
        .iter()
        .any(|words| names.iter().any(|n| words.eq_ignore_ascii_case(n)))
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Replaces control characters (terminal escape sequences, newlines, bidi overrides) with
/// visible placeholders, so a name cannot move the cursor, recolour the terminal or fake a line.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Fits printable text into `width` terminal columns, padding or cutting with `…`.
#[cfg(feature = "cli")]
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(width + 4);
    push_fit(&mut out, text, width);
    out
}

/// Appends printable text to `out`, fitted into `width` terminal columns.
#[cfg(feature = "cli")]
pub fn push_fit(out: &mut String, text: &str, width: usize) {
    let text = printable(text);
    let mut used = 0;
    let total: usize = if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(|c| c.width().unwrap_or(0)).sum()
    };
    if total <= width {
        out.push_str(&text);
        used = total;
    } else {
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
}

/// Escapes text for HTML or for Markdown that may be rendered as HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown table cell or list item: HTML is escaped, inline Markdown
/// punctuation (emphasis, code, links, table pipes, autolink colons) is backslash-escaped, and
/// control characters cannot break the line.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | ':' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // GitHub links `www.example.com` without a scheme: not after an escaped dot.
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|end| end.eq_ignore_ascii_case("www")) =>
            {
                out.push_str("\\.");
            }
            c => out.push(c),
        }
    }
    out
}

/// NHI Lens's own text (a rule's remediation) as Markdown: escaped as [`escape_markdown`]
/// escapes, but its `code` spans (between pairs of backticks) kept as code, and its line breaks
/// as spaces (they are the wrapping of the rule's source).
pub fn markdown_with_code(text: &str) -> String {
    let text = collapse(text);
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        // Odd parts are code, but for a last one no backtick closes.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push('`');
            out.push_str(&printable(part));
            out.push('`');
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&escape_markdown(part));
        }
    }
    out
}

/// Makes a CSV cell safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return would be read as a formula, so it gets a leading apostrophe; so does one that
/// starts so after white space (spreadsheets that trim cells on import read ` =1+1` as a
/// formula), or with the full-width forms (`＝`, `＋`, `－`, `＠`) some spreadsheets read as the
/// others. A negative number (a creation date after the report's clock) stays a number.
pub fn csv_cell(text: &str) -> String {
    if starts_formula(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Whether a spreadsheet could read a cell as a formula (see [`csv_cell`]).
pub fn starts_formula(text: &str) -> bool {
    if text.starts_with(['\t', '\r']) {
        return true;
    }
    let trimmed = text.trim_start();
    match trimmed.chars().next() {
        Some('-') if is_plain_number(&trimmed[1..]) => false,
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => true,
        _ => false,
    }
}

/// Digits with at most one decimal point between them: nothing a spreadsheet runs.
fn is_plain_number(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remediation_markdown_keeps_code_spans_and_one_line() {
        assert_eq!(
            markdown_with_code("Use `Sites.Selected`\ninstead of <b>`Sites.FullControl.All`</b>."),
            "Use `Sites.Selected` instead of &lt;b&gt;`Sites.FullControl.All`&lt;/b&gt;."
        );
        // An unpaired backtick stays escaped text; a code span keeps no control character.
        assert_eq!(markdown_with_code("a ` b_c"), "a \\` b\\_c");
        assert_eq!(
            markdown_with_code("`a\u{202e}b` [x]"),
            "`a\u{fffd}b` \\[x\\]"
        );
    }

    #[test]
    fn leading_words_are_longest_first() {
        assert_eq!(leading_words(" Owner  ↑ "), ["owner ↑", "owner"]);
        assert!(leading_words("").is_empty());
        // A header decorated after its name still names its column; another name does not.
        assert!(header_names("Display name \u{e74a}", &["Display name"]));
        assert!(header_names("Created   Sorted ascending", &["Created"]));
        assert!(header_names("TOKEN NAME", &["Token name", "Name"]));
        assert!(!header_names("Display", &["Display name"]));
        assert!(!header_names("Access key age", &["Access key ID"]));
    }

    #[test]
    fn a_word_is_one_of_its_own() {
        assert!(has_word("this token has expired.", "expired"));
        assert!(has_word("expired on jan 5", "expired"));
        assert!(!has_word("owner expired-octocat", "expired"));
        assert!(!has_word("repo my_expired_repo", "expired"));
        assert!(!has_word("unexpired", "expired"));
    }

    #[test]
    fn white_space_collapses_to_single_spaces() {
        for (text, expected) in [
            ("Pay roll", "Pay roll"),
            ("Pay  roll", "Pay roll"),
            ("Pay\troll", "Pay roll"),
            ("Payroll ", "Payroll"),
            (" Payroll", "Payroll"),
            (" Pay\u{a0} roll\n", "Pay roll"),
            ("", ""),
        ] {
            assert_eq!(collapse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        let evil = "app\u{1b}[2J\u{1b}]8;;http://x\u{7}\nnext\u{202E}";
        let shown = printable(evil);
        assert!(!shown.chars().any(|c| c.is_control()));
        assert!(!shown.contains('\u{202E}'));
    }

    #[test]
    #[cfg(feature = "cli")]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("日本語テキスト", 7), "日本語…");
    }

    #[test]
    fn markup_stays_text() {
        assert_eq!(
            escape_html("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(escape_markdown("WWW.evil.example"), "WWW\\.evil.example");
        assert_eq!(
            escape_markdown("éww.x www"),
            "éww.x www",
            "not a char cut in two"
        );
        let md = escape_markdown("[click](javascript:x) | <b>*bold*</b>");
        assert!(!md.contains("<b>"));
        assert!(md.contains("\\[click\\]"));
        assert!(md.contains("\\|"));
    }

    #[test]
    fn formulas_are_neutralized() {
        for f in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "-1.",
            "-.5",
            "-1.2.3",
            "-",
            "@SUM(A1)",
            "\tx",
            "\rx",
            // After white space, and in full width.
            " =HYPERLINK(\"http://x\",\"y\")",
            "\n@SUM(A1)",
            "  +1",
            "＝1+1",
            "＠SUM(A1)",
        ] {
            assert!(csv_cell(f).starts_with('\''), "{f}");
        }
        assert_eq!(csv_cell(" plain"), " plain");
        assert_eq!(csv_cell("plain"), "plain");
        // A negative number is a number, not a formula.
        for n in ["-3", "-0.25"] {
            assert_eq!(csv_cell(n), n);
        }
    }
}
