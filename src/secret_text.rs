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

/// Prefixes that start a token, each issuer's own, with how many token characters at least
/// follow it in a real one (so a name such as `github_pat_rotation` is not taken for one).
const PREFIXES: &[(&str, usize)] = &[
    // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens (36
    // characters after the prefix), and fine-grained personal access tokens (82).
    ("ghp_", 36),
    ("gho_", 36),
    ("ghu_", 36),
    ("ghs_", 36),
    ("ghr_", 36),
    ("github_pat_", 70),
    // GitLab: personal/project/group access, deploy, runner, pipeline trigger, feed, incoming
    // mail, CI build, SCIM, OAuth application secret, feature flags client and agent tokens.
    ("glpat-", 20),
    ("gldt-", 20),
    ("glrt-", 20),
    ("glptt-", 20),
    ("glft-", 20),
    ("glimt-", 20),
    ("glcbt-", 20),
    ("glsoat-", 20),
    ("gloas-", 20),
    ("glffct-", 20),
    ("glagent-", 20),
    // Slack: bot, user, workspace, refresh, configuration and app-level tokens.
    ("xoxb-", 20),
    ("xoxp-", 20),
    ("xoxa-", 20),
    ("xoxr-", 20),
    ("xoxe-", 20),
    ("xoxs-", 20),
    ("xapp-", 20),
    // Atlassian API tokens (about 190 characters) and Google OAuth client secrets (28).
    ("ATATT", 60),
    ("GOCSPX-", 24),
];

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
    // In the order they come: the private keys' bodies, and the tokens between them.
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut bodies = private_key_bodies(text).into_iter().peekable();
    let mut at = 0;
    while at < bytes.len() {
        let next_body = bodies.peek().map_or(bytes.len(), |b| b.start);
        if at >= next_body {
            let body = bodies.next().expect("peeked");
            at = at.max(body.end);
            found.push(body);
            continue;
        }
        if !is_base64ish(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < next_body && is_base64ish(bytes[at]) {
            at += 1;
        }
        // `NAME=value` and base64's padding part a run; a sentence's full stop ends one.
        let mut piece_at = start;
        for segment in text[start..at].split('=') {
            let trimmed = segment.trim_end_matches('.');
            // (A path is no key: `/AcmeCorp/backend/settings/keys/98765432`.)
            if !segment.starts_with('/') && is_aws_secret_key(trimmed) {
                found.push(piece_at..piece_at + trimmed.len());
            } else {
                // Tokens are written without `/+`: each piece between them is looked at alone.
                let mut part_at = piece_at;
                for part in segment.split(['/', '+']) {
                    // Whole (an Entra secret may end in `.`), or without a sentence's full stop.
                    let trimmed = part.trim_end_matches('.');
                    if is_token(part) {
                        found.push(part_at..part_at + part.len());
                    } else if is_token(trimmed) {
                        found.push(part_at..part_at + trimmed.len());
                    }
                    part_at += part.len() + 1;
                }
            }
            piece_at += segment.len() + 1;
        }
    }
    found.extend(bodies);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
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

/// Column headers over a credential's value, compared without case: Okta's client secrets
/// table shows a secret, once revealed, under `Secret`.
const SECRET_COLUMNS: &[&str] = &[
    "secret",
    "client secret",
    "secret value",
    "client secret value",
];

/// The word every one of [`SECRET_COLUMNS`] holds.
const SECRET_WORD: &[u8] = b"secret";

/// A page's markup with every credential masked: those of a known format ([`mask`]), and any
/// value shown under a secret's column header, whatever its shape (an Okta client secret is 40
/// characters of letters, digits, `-` and `_`, as a long name may be; one an admin set may be
/// anything from 14 characters).
pub fn mask_page(html: &str) -> Cow<'_, str> {
    let shown = secret_cells(html);
    if shown.is_empty() {
        return mask(html);
    }
    let mut page = html.to_owned();
    for value in shown {
        page = page.replace(&value, MASK);
    }
    Cow::Owned(mask(&page).into_owned())
}

/// The values a page shows in the cells under a secret's column header: written in token or
/// base64 characters (which markup writes as they are), 14 characters at least and mixed as
/// generated ones are ([`is_random`]), so a masked `••••`, a note (`Hidden`, `No client
/// secrets.`) or a secret's name stays.
fn secret_cells(html: &str) -> Vec<String> {
    // Most snapshots have no such column: not parsed (nor copied to be compared: every header
    // holds the word).
    if !html
        .as_bytes()
        .windows(SECRET_WORD.len())
        .any(|w| w.eq_ignore_ascii_case(SECRET_WORD))
    {
        return Vec::new();
    }
    let document = crate::html::read_serialized(html);
    let (Ok(tables), Ok(headers), Ok(rows), Ok(cells)) = (
        scraper::Selector::parse("table, [role=grid], [role=table]"),
        scraper::Selector::parse("th, [role=columnheader]"),
        scraper::Selector::parse("tr, [role=row]"),
        scraper::Selector::parse(
            "td, th, [role=gridcell], [role=cell], [role=rowheader], [role=columnheader]",
        ),
    ) else {
        return Vec::new();
    };
    let text = |element: scraper::ElementRef| element.text().collect::<String>().trim().to_owned();
    let mut values = Vec::new();
    for table in document.select(&tables) {
        let columns: Vec<usize> = table
            .select(&headers)
            .enumerate()
            .filter(|(_, header)| {
                let name = text(*header).to_lowercase();
                SECRET_COLUMNS.contains(&name.as_str())
            })
            .map(|(column, _)| column)
            .collect();
        if columns.is_empty() {
            continue;
        }
        for row in table.select(&rows) {
            let row_cells: Vec<_> = row.select(&cells).collect();
            // Header rows hold the headers themselves.
            if row_cells.iter().any(|cell| headers.matches(cell)) {
                continue;
            }
            for &column in &columns {
                let Some(cell) = row_cells.get(column) else {
                    continue;
                };
                let value = text(*cell);
                if value.len() >= 14 && value.bytes().all(is_base64ish) && is_random(&value) {
                    values.push(value);
                }
            }
        }
    }
    // Longest first, so a value inside another is not masked first in part.
    values.sort_by_key(|value| std::cmp::Reverse(value.len()));
    values.dedup();
    values
}

/// Whether a value mixes upper- and lower-case letters and digits, as a generated secret does
/// and a secret's name (`DEPLOY_TOKEN`, `deploy-key-prod`) does not: a column headed `Secret`
/// that lists secrets by name keeps its names.
fn is_random(value: &str) -> bool {
    let has = |test: fn(&u8) -> bool| value.as_bytes().iter().any(test);
    has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase) && has(u8::is_ascii_digit)
}

/// Whether a whole value (a JSON string) is a credential of a known format: a token its issuer
/// prefixes, an Entra client secret, an Okta API token, a JSON Web Token. (Not an AWS secret
/// access key by its shape alone: an ID of forty letters and digits would pass for one.)
pub fn is_credential(value: &str) -> bool {
    value.bytes().all(is_token_char) && is_token(value)
}

/// Whether a run of token characters is a credential of a known format.
fn is_token(part: &str) -> bool {
    let bytes = part.as_bytes();
    if PREFIXES
        .iter()
        .any(|(p, min)| part.starts_with(p) && part.len() >= p.len() + min)
    {
        return true;
    }
    // An Entra client secret: three characters, a digit and `Q~`, then 31-34 more
    // (`Abc8Q~…`, 40 characters in all).
    if (37..=40).contains(&bytes.len()) && bytes[3].is_ascii_digit() && &part[4..6] == "Q~" {
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
        // To its end line, or to where its text ends first (a placeholder, a cut snapshot: a
        // body holds neither `<` nor `"`), never past it into the rows after.
        let rest = &text[header_end..];
        let end = [rest.find("-----END"), rest.find(['<', '"'])]
            .into_iter()
            .flatten()
            .min()
            .map_or(text.len(), |e| header_end + e);
        if end > header_end {
            bodies.push(header_end..end);
        }
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
                r#"<div role="gridcell">Abc8Q~dEfGhIjKlMnOpQrStUvWxYz0123456789.</div>"#,
                r#"<div role="gridcell">********</div>"#,
            ),
            // GitLab's new token field, GitHub's new token.
            (
                r#"<input readonly value="glpat-AbCdEfGhIjKlMnOpQrSt">"#,
                r#"<input readonly value="********">"#,
            ),
            (
                "<code>github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab</code>",
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
    fn a_value_shown_under_a_secrets_column_is_masked_whatever_its_shape() {
        // Okta's client secrets table, one secret revealed: 40 characters with `-`, no format.
        let table = |secret: &str| {
            format!(
                r#"<table data-se="client-secrets-table"><thead><tr><th>Creation date</th><th>Secret</th><th>Status</th></tr></thead><tbody><tr><td>Jul 12, 2021</td><td>{secret}</td><td>Active</td></tr><tr><td>Oct 2, 2026</td><td>••••••••••••</td><td>Active</td></tr></tbody></table><p>Copied {secret}</p>"#
            )
        };
        let revealed = "DRUFXGF9XbLnS9k-Sla3x3POBiIxDreBCdZuFs5B";
        assert_eq!(mask(&table(revealed)), table(revealed), "no known format");
        // Masked in its cell and wherever else the page shows it.
        assert_eq!(mask_page(&table(revealed)), table(MASK));
        // Masked values, notes and other columns stay; so does a page with no such column.
        for page in [
            table("••••••••••••••••"),
            table("Hidden"),
            // A secret listed by its name.
            table("DEPLOY_TOKEN_PRODUCTION"),
            r#"<table><tr><th>Token name</th><th>Status</th></tr><tr><td>okta-terraform-provider-2021</td><td>Active</td></tr></table>"#.to_owned(),
        ] {
            assert_eq!(mask_page(&page), page);
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
            // Names that start as a token does.
            "<td>github_pat_rotation_for_the_ci_runners</td><td>ghp_mirror</td>",
        ] {
            assert!(matches!(mask(text), Cow::Borrowed(_)), "{text}");
        }
        // A private key's header with no end (a field's placeholder) masks up to its text's end,
        // never the rows after it.
        let placeholder = r#"<input placeholder="-----BEGIN PRIVATE KEY-----"><td>Deploy Bot</td><p>-----END CERTIFICATE-----</p>"#;
        assert_eq!(mask(placeholder), placeholder);
        // A link's path of 40 characters is no AWS key.
        let link = r#"<a href="/AcmeCorp/backend/settings/keys/98765432">deploy</a>"#;
        assert_eq!(mask(link), link);
        assert_eq!(
            mask("<pre>-----BEGIN PRIVATE KEY-----\nMIIEv</pre><td>Deploy Bot</td>"),
            "<pre>-----BEGIN PRIVATE KEY-----********</pre><td>Deploy Bot</td>"
        );
    }
}
