//! Credentials written into URLs: found, named and masked, never kept.
//!
//! A webhook's URL may carry the receiver's credential: a user name or password before the host
//! (`https://bot:pass@hooks.example.com/…`), a query parameter named like one (`?token=…`,
//! `?api_key=…`, Azure Functions' `?code=…`), or, for the chat services whose incoming webhooks
//! are themselves the secret, the rest of the path (Slack's `hooks.slack.com/services/…`,
//! Discord's `/api/webhooks/{id}/{token}`, Microsoft Teams' `webhook.office.com/webhookb2/…`).
//! The readers keep such a URL without those parts ([`redact`]) and name what held a credential
//! ([`secret_parts`]); the extension masks them in every text it stores ([`mask`]).

use std::borrow::Cow;
use std::ops::Range;

/// Words that name a credential in a query parameter's name, as its last word (`api_key`,
/// `X-Amz-Signature`, `client_secret`), or run together at its end (`accessToken`).
const WORDS: &[&str] = &[
    "token",
    "secret",
    "key",
    "apikey",
    "password",
    "passwd",
    "pwd",
    "sig",
    "signature",
    "sas",
    "credential",
    "credentials",
    "jwt",
    "assertion",
];

/// Hosts (or host suffixes) and path prefixes after which an incoming webhook's path is its
/// secret.
const PATH_SECRETS: &[(&str, &str)] = &[
    ("hooks.slack.com", "/services/"),
    ("discord.com", "/api/webhooks/"),
    ("discordapp.com", "/api/webhooks/"),
    ("webhook.office.com", "/webhookb2/"),
    ("outlook.office.com", "/webhook/"),
];

/// What [`secret_parts`] calls a path that is itself a secret.
const PATH_PART: &str = "the webhook's path, which is its secret";

/// Whether a query parameter of this name holds a credential. `public_key` and the like do not.
fn secret_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower == "code" {
        // Azure Functions' function key.
        return true;
    }
    let last = lower.rsplit(['-', '_', '.']).next().unwrap_or(&lower);
    let public = lower.contains("public") || lower.ends_with("_id") || lower.ends_with("-id");
    // `id_token_hint` holds a token, whatever its last word.
    !public
        && (WORDS.contains(&last)
            || lower.ends_with("token_hint")
            || ["token", "secret", "password", "signature", "accesskey"]
                .iter()
                .any(|w| last.ends_with(w)))
}

/// Where the parts of a URL after its scheme (`user:pass@host/path?query#fragment`) are, as
/// byte ranges of that text.
struct Parts {
    /// `user:password`, without the `@`, when there is one.
    userinfo: Option<Range<usize>>,
    host: Range<usize>,
    path: Range<usize>,
    /// Without the `?` and the fragment; empty when there is none.
    query: Range<usize>,
}

fn parts(rest: &str) -> Parts {
    let end = rest.find('#').unwrap_or(rest.len());
    let question = rest[..end].find('?');
    let address_end = question.unwrap_or(end);
    let path_start = rest[..address_end].find('/').unwrap_or(address_end);
    let at = rest[..path_start].rfind('@');
    Parts {
        userinfo: at.map(|at| 0..at),
        host: at.map_or(0, |at| at + 1)..path_start,
        path: path_start..address_end,
        query: question.map_or(end..end, |q| q + 1..end),
    }
}

/// A part of a URL that holds a credential.
enum Secret<'a> {
    UserInfo,
    /// The rest of a chat webhook's path.
    Path,
    /// A query parameter, by its name.
    Param(&'a str),
}

/// Every part of the text after a URL's scheme that holds a credential, with the byte range of
/// its value.
fn secrets(rest: &str) -> Vec<(Secret<'_>, Range<usize>)> {
    let p = parts(rest);
    let mut found = Vec::new();
    if let Some(userinfo) = p.userinfo {
        found.push((Secret::UserInfo, userinfo));
    }
    if let Some(prefix) = secret_path_from(&rest[p.host.clone()], &rest[p.path.clone()]) {
        found.push((Secret::Path, p.path.start + prefix..p.path.end));
    }
    let mut at = p.query.start;
    for pair in rest[p.query.clone()].split(['&', ';']) {
        if let Some((name, value)) = pair.split_once('=')
            && !value.is_empty()
            && secret_param(name)
        {
            let value_at = at + name.len() + 1;
            found.push((Secret::Param(name), value_at..value_at + value.len()));
        }
        at += pair.len() + 1;
    }
    found
}

/// The text after a URL's scheme, and the scheme.
fn split_scheme(url: &str) -> (Option<&str>, &str) {
    match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    }
}

/// The length of the path prefix after which the path is the webhook's secret, for the hosts
/// that work so.
fn secret_path_from(host: &str, path: &str) -> Option<usize> {
    // Without allocating: the extension runs this on every URL of a stored response.
    let host = host.split(':').next().unwrap_or(host);
    PATH_SECRETS.iter().find_map(|(suffix, prefix)| {
        let cut = host.len().checked_sub(suffix.len())?;
        let on_host = host.is_char_boundary(cut)
            && host[cut..].eq_ignore_ascii_case(suffix)
            && (cut == 0 || host.as_bytes()[cut - 1] == b'.');
        let under = path.len() > prefix.len()
            && path
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix));
        (on_host && under).then_some(prefix.len())
    })
}

/// The parts of a URL that hold a credential, named, never their values. A parameter is named
/// only when its name is a plain one (letters, `-`, `_`, `.`; at most 40 characters).
pub fn secret_parts(url: &str) -> Vec<String> {
    let (_, rest) = split_scheme(url.trim());
    let mut found: Vec<String> = Vec::new();
    for (secret, _) in secrets(rest) {
        let named = match secret {
            Secret::UserInfo => "a user name or password before the host".to_string(),
            Secret::Path => PATH_PART.to_string(),
            Secret::Param(name) => {
                let plain = name.len() <= 40
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.'));
                if !plain {
                    continue;
                }
                format!("the query parameter `{name}`")
            }
        };
        if !found.contains(&named) {
            found.push(named);
        }
    }
    found
}

/// The URL with scheme, host and the path up to any secret in it: no user name or password, no
/// query, no fragment, and " (credentials or query removed)" after it when something was.
pub fn redact(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = split_scheme(url);
    let p = parts(rest);
    let host = &rest[p.host.clone()];
    let full_path = &rest[p.path.clone()];
    let path = match secret_path_from(host, full_path) {
        Some(end) => &full_path[..end],
        None => full_path,
    };
    let mut out = match scheme {
        Some(scheme) => format!("{scheme}://{host}{path}"),
        None => format!("{host}{path}"),
    };
    if p.userinfo.is_some() || url.contains('?') || path.len() < full_path.len() {
        out.push_str(" (credentials or query removed)");
    }
    out
}

/// The text with the credential in every URL it holds masked (`********`): user names and
/// passwords before a host, secret query parameters' values, webhook paths that are secrets.
/// A URL ends at white space, a quote, `<`, `>` or a backslash (as JSON and HTML write them).
pub fn mask(text: &str) -> Cow<'_, str> {
    use crate::secret_text::MASK;
    let ends = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`');
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let start = from + found + 3;
        let end = text[start..].find(ends).map_or(text.len(), |e| start + e);
        from = end.max(start);
        for (_, value) in secrets(&text[start..end]) {
            out.push_str(&text[copied..start + value.start]);
            out.push_str(MASK);
            copied = start + value.end;
        }
    }
    if copied == 0 {
        Cow::Borrowed(text)
    } else {
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

/// [`mask`] of an owned text, which is given back as it is when nothing was masked.
pub fn mask_owned(text: String) -> String {
    let masked = match mask(&text) {
        Cow::Owned(masked) => Some(masked),
        Cow::Borrowed(_) => None,
    };
    masked.unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_named_never_kept() {
        let url = "https://ci-bot:hunter2@hooks.example/in?token=abc&x=1&api_key=k#sig=f";
        assert_eq!(
            secret_parts(url),
            [
                "a user name or password before the host",
                "the query parameter `token`",
                "the query parameter `api_key`"
            ]
        );
        assert_eq!(
            redact(url),
            "https://hooks.example/in (credentials or query removed)"
        );
        assert_eq!(
            secret_parts("https://h.example/x?X-Amz-Signature=a&ClientSecret=b&sig=c&sig=d&code=e"),
            [
                "the query parameter `X-Amz-Signature`",
                "the query parameter `ClientSecret`",
                "the query parameter `sig`",
                "the query parameter `code`"
            ]
        );
        // A JSON Web Token handed over in a link.
        assert_eq!(
            secret_parts("https://h.example/sso?jwt=eyJ.a.b&id_token_hint=eyJ.c.d&assertion=e"),
            [
                "the query parameter `jwt`",
                "the query parameter `id_token_hint`",
                "the query parameter `assertion`"
            ]
        );
        // Ordinary parameters, names that only mention a credential, empty values and names
        // that could be a secret themselves are nothing.
        for url in [
            "https://h.example/u/@me?source=github&monkey=1",
            "https://h.example/?auth_type=none&token_type=bearer&public_key=abc&key_id=1",
            "https://h.example/?token=&`token`=1&<b>key=2&token2abc=3",
            "h.example/hook",
        ] {
            assert!(secret_parts(url).is_empty(), "{url}");
        }
    }

    #[test]
    fn a_chat_webhook_whose_path_is_its_secret_keeps_only_its_host() {
        for (url, kept) in [
            (
                "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
                "https://hooks.slack.com/services/",
            ),
            (
                "https://discord.com/api/webhooks/123/SuperSecretToken/github",
                "https://discord.com/api/webhooks/",
            ),
            (
                "https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y",
                "https://acme.webhook.office.com/webhookb2/",
            ),
        ] {
            assert_eq!(secret_parts(url), [PATH_PART], "{url}");
            assert_eq!(
                redact(url),
                format!("{kept} (credentials or query removed)")
            );
            assert!(
                !mask(url).contains("ecret") && !mask(url).contains("def"),
                "{url}"
            );
        }
        assert!(secret_parts("https://notslack.com/services/x").is_empty());
        assert!(secret_parts("https://evilhooks.slack.com.example/services/x").is_empty());
        assert_eq!(
            secret_parts("https://HOOKS.Slack.com:443/Services/T/B/x"),
            [PATH_PART]
        );
    }

    #[test]
    fn every_url_in_a_text_has_its_credentials_masked() {
        let html = r#"<a href="https://ci-bot:G1@hooks.partner.example/in?token=G2&amp;x=1">https://ci-bot:G1@hooks.partner.example/in?token=G2</a> and "http://plain.example/p""#;
        let masked = mask(html);
        assert!(!masked.contains("G1") && !masked.contains("G2"), "{masked}");
        assert_eq!(
            masked,
            r#"<a href="https://********@hooks.partner.example/in?token=********&amp;x=1">https://********@hooks.partner.example/in?token=********</a> and "http://plain.example/p""#
        );
        let json = r#"{"url":"https://h.example/x?sig=abc","other":"https://discord.com/api/webhooks/1/tok"}"#;
        assert_eq!(
            mask(json),
            r#"{"url":"https://h.example/x?sig=********","other":"https://discord.com/api/webhooks/********"}"#
        );
        // Nothing to mask: the text itself, not a copy.
        assert!(matches!(
            mask("no urls here, https://a.example/b"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(mask("ends with ://"), Cow::Borrowed(_)));
    }
}
