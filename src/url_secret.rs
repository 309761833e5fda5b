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
    !public
        && (WORDS.contains(&last)
            || ["token", "secret", "password", "signature", "accesskey"]
                .iter()
                .any(|w| last.ends_with(w)))
}

/// The URL's parts: where its path starts (after the authority) and its query, if any.
struct Parts<'a> {
    /// `user:password@`, without the `@`, when there is one.
    userinfo: Option<&'a str>,
    host: &'a str,
    path: &'a str,
    query: &'a str,
}

fn parts(url: &str) -> Parts<'_> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = address.split_at(address.find('/').unwrap_or(address.len()));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    Parts {
        userinfo,
        host,
        path,
        query,
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
/// only when its name is a plain one (letters, `-`, `_`, `.`; at most 40 characters), and only
/// when it has a value.
pub fn secret_parts(url: &str) -> Vec<String> {
    let p = parts(url.trim());
    let mut found = Vec::new();
    if p.userinfo.is_some() {
        found.push("a user name or password before the host".to_string());
    }
    if secret_path_from(p.host, p.path).is_some() {
        found.push(PATH_PART.to_string());
    }
    for (name, value) in p.query.split(['&', ';']).filter_map(|p| p.split_once('=')) {
        let plain = !name.is_empty()
            && name.len() <= 40
            && name
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.'));
        let named = format!("the query parameter `{name}`");
        if plain && !value.is_empty() && secret_param(name) && !found.contains(&named) {
            found.push(named);
        }
    }
    found
}

/// The URL with scheme, host and the path up to any secret in it: no user name or password, no
/// query, no fragment, and " (credentials or query removed)" after it when something was.
pub fn redact(url: &str) -> String {
    let url = url.trim();
    let scheme = url.split_once("://").map(|(s, _)| s);
    let p = parts(url);
    let path = match secret_path_from(p.host, p.path) {
        Some(end) => &p.path[..end],
        None => p.path,
    };
    let mut out = match scheme {
        Some(scheme) => format!("{scheme}://{}{path}", p.host),
        None => format!("{}{path}", p.host),
    };
    if p.userinfo.is_some() || url.contains('?') || path.len() < p.path.len() {
        out.push_str(" (credentials or query removed)");
    }
    out
}

/// The text with the credential in every URL it holds masked (`********`): user names and
/// passwords before a host, secret query parameters' values, webhook paths that are secrets.
/// A URL ends at white space, a quote, `<`, `>` or a backslash (as JSON and HTML write them).
pub fn mask(text: &str) -> Cow<'_, str> {
    const MASK: &str = "********";
    let ends = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`');
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let start = from + found + 3;
        let end = text[start..].find(ends).map_or(text.len(), |e| start + e);
        from = end.max(start);
        let url = &text[start..end];
        // Byte ranges of `url` to mask.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let address_end = url.find(['/', '?', '#']).unwrap_or(url.len());
        if let Some(at) = url[..address_end].rfind('@') {
            spans.push((0, at));
        }
        let (address, query_at) = match url.find('?') {
            Some(q) => (&url[..q], Some(q + 1)),
            None => (url, None),
        };
        let address = address.split('#').next().unwrap_or(address);
        let host_start = url[..address_end].rfind('@').map_or(0, |a| a + 1);
        let host = &url[host_start..address_end];
        if let Some(prefix) = secret_path_from(host, &address[address_end.min(address.len())..]) {
            spans.push((address_end + prefix, address.len()));
        }
        if let Some(q) = query_at {
            let query_end = url[q..].find('#').map_or(url.len(), |h| q + h);
            let mut at = q;
            for pair in url[q..query_end].split(['&', ';']) {
                if let Some((name, value)) = pair.split_once('=')
                    && !value.is_empty()
                    && secret_param(name)
                {
                    let value_at = at + name.len() + 1;
                    spans.push((value_at, value_at + value.len()));
                }
                at += pair.len() + 1;
            }
        }
        for (a, b) in spans {
            if a >= b {
                continue;
            }
            out.push_str(&text[copied..start + a]);
            out.push_str(MASK);
            copied = start + b;
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
