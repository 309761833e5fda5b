//! Credentials a console shows once, found by their documented formats in a page's text.
//!
//! A console shows a new credential's value once, in the page the admin is on: Entra's
//! Certificates & secrets list shows a new client secret's value in its grid until the page is
//! left, GitLab and GitHub show a new token above their token lists, Okta shows a new API token
//! in a dialog. The extension snapshots those pages' regions, and what it snapshots is read and
//! kept. JSON has its secrets masked by field name; a page's text has no field names, so its
//! credentials are found by their shape, each a format its issuer documents or publishes for
//! secret scanning, and masked before the snapshot is read or kept.

use std::borrow::Cow;
use std::ops::Range;

/// What a credential becomes.
pub const MASK: &str = "********";

/// Prefixes that start a token, each issuer's own; a token is its prefix and at least
/// [`MIN_AFTER_PREFIX`] more token characters.
const PREFIXES: &[&str] = &[
    // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens, and
    // fine-grained personal access tokens.
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    // GitLab: personal/project/group access, deploy, runner, pipeline trigger, feed, incoming
    // mail, CI build, SCIM, OAuth application secret, feature flags client and agent tokens.
    "glpat-",
    "gldt-",
    "glrt-",
    "glptt-",
    "glft-",
    "glimt-",
    "glcbt-",
    "glsoat-",
    "gloas-",
    "glffct-",
    "glagent-",
    // Slack: bot, user, workspace, refresh, configuration and app-level tokens.
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxe-",
    "xoxs-",
    "xapp-",
    // Atlassian API tokens and Google OAuth client secrets.
    "ATATT",
    "GOCSPX-",
];

const MIN_AFTER_PREFIX: usize = 16;

/// The characters tokens are written in: letters, digits and `_-.~`.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~')
}

/// A token character or base64's `/+=`.
fn is_base64ish(b: u8) -> bool {
    is_token_char(b) || matches!(b, b'/' | b'+' | b'=')
}

/// The text with every credential of a known format masked; given back as it is when it holds
/// none. Private keys in PEM blocks lose their bodies.
pub fn mask(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !is_base64ish(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_base64ish(bytes[at]) {
            at += 1;
        }
        let run = &text[start..at];
        if is_aws_secret_key(run) {
            found.push(start..at);
            continue;
        }
        // Tokens are written without `/+=`: each piece between them is looked at alone.
        let mut piece = start;
        for part in run.split(['/', '+', '=']) {
            if is_token(part) {
                found.push(piece..piece + part.len());
            }
            piece += part.len() + 1;
        }
    }
    found.extend(private_key_bodies(text));
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    found.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in found {
        if range.start < copied {
            continue;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(MASK);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether a run of token characters is a credential of a known format.
fn is_token(part: &str) -> bool {
    let bytes = part.as_bytes();
    if PREFIXES
        .iter()
        .any(|p| part.starts_with(p) && part.len() >= p.len() + MIN_AFTER_PREFIX)
    {
        return true;
    }
    // An Entra client secret: three characters, a digit and `Q~`, then 31-34 more
    // (`Abc8Q~…`, 40 characters in all).
    if (37..=41).contains(&bytes.len()) && bytes[3].is_ascii_digit() && &part[4..6] == "Q~" {
        return true;
    }
    // An Okta API token: `00` and 40 more (42 characters; Okta's object IDs are 20).
    if bytes.len() == 42 && part.starts_with("00") && !part.contains(['.', '~']) {
        return true;
    }
    // A JSON Web Token: three base64url parts, the first a JSON object (`eyJ`).
    part.starts_with("eyJ") && part.len() >= 36 && part.split('.').count() == 3
}

/// An AWS secret access key: 40 characters of base64, with upper- and lower-case letters and
/// digits (so no hex digest or thumbprint, which are one case).
fn is_aws_secret_key(run: &str) -> bool {
    let bytes = run.as_bytes();
    bytes.len() == 40
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+'))
        && bytes.iter().any(u8::is_ascii_uppercase)
        && bytes.iter().any(u8::is_ascii_lowercase)
        && bytes.iter().any(u8::is_ascii_digit)
}

/// The bodies of PEM private keys (`-----BEGIN … PRIVATE KEY-----` to `-----END`).
fn private_key_bodies(text: &str) -> Vec<Range<usize>> {
    let mut bodies = Vec::new();
    let mut from = 0;
    while let Some(begin) = text[from..].find("-----BEGIN ") {
        let begin = from + begin;
        let Some(header_end) = text[begin + 11..].find("-----").map(|e| begin + 11 + e + 5) else {
            break;
        };
        from = header_end;
        if !text[begin..header_end].contains("PRIVATE KEY") {
            continue;
        }
        let end = text[header_end..]
            .find("-----END")
            .map_or(text.len(), |e| header_end + e);
        bodies.push(header_end..end);
        from = end;
    }
    bodies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_issuers_format_is_masked_where_a_page_shows_it() {
        for (shown, kept) in [
            // Entra's grid, the new secret's value in its cell.
            (
                r#"<div role="gridcell">Abc8Q~dEfGhIjKlMnOpQrStUvWxYz0123456789_.</div>"#,
                r#"<div role="gridcell">********</div>"#,
            ),
            // GitLab's new token field, GitHub's new token.
            (
                r#"<input readonly value="glpat-AbCdEfGhIjKlMnOpQrSt">"#,
                r#"<input readonly value="********">"#,
            ),
            (
                "<code>github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz</code>",
                "<code>********</code>",
            ),
            (
                "<td>ghp_0123456789abcdefghijABCDEFGHIJ012345</td>",
                "<td>********</td>",
            ),
            (
                "Bot token: xoxb-1234567890-0987654321-AbCdEfGhIjKl.",
                "Bot token: ********",
            ),
            // Okta's new API token, AWS's secret access key, a JWT.
            (
                "<p>00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_Ab</p>",
                "<p>********</p>",
            ),
            (
                "<span>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</span>",
                "<span>********</span>",
            ),
            (
                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                "Bearer ********",
            ),
            // In a URL's path, after a `/`.
            (
                "https://example.com/hooks/xoxp-1234567890-abcdefghijklmnop",
                "https://example.com/hooks/********",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----",
                "-----BEGIN RSA PRIVATE KEY-----********-----END RSA PRIVATE KEY-----",
            ),
        ] {
            assert_eq!(mask(shown), kept, "{shown}");
        }
    }

    #[test]
    fn what_only_looks_alike_stays() {
        for text in [
            // Names, IDs, hint values and digests the consoles show.
            "<td>Abc*****</td><td>ghp_</td><td>glpat-short</td>",
            "00T1terraform0000001 00u1ana000000000001 0oa1invsync000000001",
            "a0000001-5c2e-4d3b-9f10-6a7b8c9d0e01",
            // A certificate's SHA-1 thumbprint, a key's SHA-256 fingerprint, an access key ID.
            "52D3E7C1A0B1F2E3D4C5B6A7980716253443B2A1",
            "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxb-not-a-token a.Q~ -----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        ] {
            assert!(matches!(mask(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
