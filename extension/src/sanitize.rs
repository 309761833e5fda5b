//! Secret values are masked in a console's JSON before it is stored.
//!
//! A console may send a secret in a response (Okta's client-secret list carries
//! `client_secret`), and the promise is that no secret value is ever kept. The field stays, with
//! its value replaced by `********` (what GitHub itself sends for a webhook secret): whether a
//! secret is set is a fact the rules use (an unsigned webhook), its value never is. A secret
//! field's number is masked too, and so is every string and number inside an object or list it
//! holds (a key as `{"d": …}`, a password as `{"value": …}`), whose keys and shape stay.

/// Field names, compared without case, `_` and `-`, that end in one of these hold secrets:
/// `client_secret`, `bot_token`, `signingSecret`, `apiKey`, `settings.app.secretKey` (an Okta
/// integration's own settings, which no list can name ahead).
const SECRET_FIELD_ENDS: &[&str] = &[
    "secret",
    "secrettext",
    "secretvalue",
    "password",
    "passwordvalue",
    "token",
    "privatekey",
    "privatekeydata",
    "keymaterial",
    "secretaccesskey",
    "apikey",
    "secretkey",
];

/// Asked of every key of every capture: an ASCII name is folded as it is compared, with no
/// allocation (a 6 MB capture has about 200,000 keys).
fn is_secret_field(name: &str) -> bool {
    let lower;
    // Unicode lowercasing can fold a non-ASCII letter into an ASCII one (the Kelvin sign).
    let name = if name.is_ascii() {
        name
    } else {
        lower = name.to_lowercase();
        &lower
    };
    // A fact of a credential (`has_password`, `mustChangePassword`), which a page may write as
    // text (`"true"`), is no credential.
    let flag = ["has", "is", "must"].iter().any(|word| {
        name.get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word))
            && name[word.len()..].starts_with(|c: char| matches!(c, '_' | '-' | 'A'..='Z'))
    });
    if flag {
        return false;
    }
    // From its end, to compare its last letters.
    let folded = name
        .bytes()
        .rev()
        .filter(|b| !matches!(b, b'_' | b'-'))
        .map(|b| b.to_ascii_lowercase());
    SECRET_FIELD_ENDS
        .iter()
        .any(|end| end.bytes().rev().eq(folded.clone().take(end.len())))
}

/// What a non-empty secret string becomes: what a credential in any text does.
pub use nhi_lens::secret_text::MASK;

/// The JSON text with every secret value masked, or `None` if it is not JSON.
///
/// One pass over the text, which is copied as it is but for the masked values: a capture of
/// 6 MB is masked in the time it takes to read it, where building and writing a
/// `serde_json::Value` of it took hundreds of milliseconds in the worker.
pub fn sanitize_json(text: &str) -> Option<String> {
    // A byte order mark the server sent before its JSON, which the readers pass over too.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut out = String::new();
    // `text[copied..]` is still to be written to `out`; nothing is copied until a secret is found.
    let mut copied = 0;
    let mut open: Vec<u8> = Vec::new();
    let mut expect = Expect::Value;
    // The next value is a secret field's.
    let mut secret = false;
    // Inside an object or list a secret field holds: every value below this depth is masked.
    let mut masked_below: Option<usize> = None;
    // A value written as the mask: the text up to it, then the mask.
    let mask = |out: &mut String, copied: &mut usize, at: usize, end: usize| {
        if out.is_empty() {
            out.reserve(text.len() + MASK.len());
        }
        out.push_str(&text[*copied..at]);
        out.push('"');
        out.push_str(MASK);
        out.push('"');
        *copied = end;
    };
    let mut at = 0;
    loop {
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        match expect {
            Expect::Value | Expect::ValueOrEnd => match byte {
                b']' if expect == Expect::ValueOrEnd => {
                    close(&mut open, &mut masked_below);
                    at += 1;
                    expect = after_value(&open);
                }
                b'{' | b'[' => {
                    if secret && masked_below.is_none() {
                        masked_below = Some(open.len());
                    }
                    open.push(byte);
                    at += 1;
                    secret = false;
                    expect = if byte == b'{' {
                        Expect::KeyOrEnd
                    } else {
                        Expect::ValueOrEnd
                    };
                }
                b'"' => {
                    let end = string_end(bytes, at)?;
                    // `""` is not a secret, and saying none is set is a fact worth keeping. A
                    // value that is a credential by its issuer's format is one in any field.
                    if (secret || masked_below.is_some()) && end - at > 2
                        || end - at >= 27
                            && nhi_lens::secret_text::is_credential(&text[at + 1..end - 1])
                    {
                        mask(&mut out, &mut copied, at, end);
                    }
                    secret = false;
                    at = end;
                    expect = after_value(&open);
                }
                _ => {
                    let end = at
                        + bytes[at..]
                            .iter()
                            .position(|b| {
                                matches!(
                                    b,
                                    b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r'
                                )
                            })
                            .unwrap_or(bytes.len() - at);
                    let token = &bytes[at..end];
                    if !is_literal(token) {
                        return None;
                    }
                    // `true`, `false` and `null` say whether one is set; a number may be one.
                    let number = !matches!(token, b"true" | b"false" | b"null");
                    if (secret || masked_below.is_some()) && number {
                        mask(&mut out, &mut copied, at, end);
                    }
                    secret = false;
                    at = end;
                    expect = after_value(&open);
                }
            },
            Expect::KeyOrEnd | Expect::Key => match byte {
                b'}' if expect == Expect::KeyOrEnd => {
                    close(&mut open, &mut masked_below);
                    at += 1;
                    expect = after_value(&open);
                }
                b'"' => {
                    let end = string_end(bytes, at)?;
                    let key = &text[at + 1..end - 1];
                    secret = if key.contains('\\') {
                        is_secret_field(
                            &serde_json::from_slice::<String>(&text.as_bytes()[at..end]).ok()?,
                        )
                    } else {
                        is_secret_field(key)
                    };
                    at = end;
                    expect = Expect::Colon;
                }
                _ => return None,
            },
            Expect::Colon if byte == b':' => {
                at += 1;
                expect = Expect::Value;
            }
            Expect::CommaOrEnd => {
                match (byte, open.last()) {
                    (b',', Some(b'{')) => expect = Expect::Key,
                    (b',', Some(b'[')) => expect = Expect::Value,
                    (b'}', Some(b'{')) | (b']', Some(b'[')) => {
                        close(&mut open, &mut masked_below);
                        expect = after_value(&open);
                    }
                    _ => return None,
                }
                at += 1;
            }
            Expect::Colon | Expect::End => return None,
        }
    }
    if expect != Expect::End {
        return None;
    }
    if copied == 0 {
        return Some(text.to_string());
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// What the next token of the document must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    /// A value or the `]` of an empty array.
    ValueOrEnd,
    /// A key or the `}` of an empty object.
    KeyOrEnd,
    Key,
    Colon,
    CommaOrEnd,
    /// Nothing: the document is whole.
    End,
}

/// Closes the innermost object or list; the masking ends with the secret field's own.
fn close(open: &mut Vec<u8>, masked_below: &mut Option<usize>) {
    open.pop();
    if masked_below.is_some_and(|depth| open.len() <= depth) {
        *masked_below = None;
    }
}

fn after_value(open: &[u8]) -> Expect {
    if open.is_empty() {
        Expect::End
    } else {
        Expect::CommaOrEnd
    }
}

/// The index after the string starting at `start` (its opening quote), if it is a valid JSON
/// string.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => match *bytes.get(at + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => at += 2,
                b'u' if bytes
                    .get(at + 2..at + 6)
                    .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) =>
                {
                    at += 6
                }
                _ => return None,
            },
            0..=0x1f => return None,
            _ => at += 1,
        }
    }
}

/// Whether a bare token is `true`, `false`, `null` or a JSON number.
fn is_literal(token: &[u8]) -> bool {
    if matches!(token, b"true" | b"false" | b"null") {
        return true;
    }
    let digits = |at: &mut usize| {
        let from = *at;
        while token.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at > from
    };
    let mut at = usize::from(token.first() == Some(&b'-'));
    match token.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => {
            digits(&mut at);
        }
        _ => return false,
    }
    if token.get(at) == Some(&b'.') {
        at += 1;
        if !digits(&mut at) {
            return false;
        }
    }
    if matches!(token.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(token.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if !digits(&mut at) {
            return false;
        }
    }
    at == token.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// The masking as a tree: what the single pass must agree with.
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if is_secret_field(key) {
                        mask_all(v);
                    } else {
                        strip(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            Value::String(text)
                if text.len() >= 25 && nhi_lens::secret_text::is_credential(text) =>
            {
                *value = Value::String(MASK.into());
            }
            _ => {}
        }
    }

    /// A secret field's value: every non-empty string and every number in it masked.
    fn mask_all(value: &mut Value) {
        match value {
            Value::String(s) if s.is_empty() => {}
            Value::String(_) | Value::Number(_) => *value = Value::String(MASK.into()),
            Value::Object(map) => map.values_mut().for_each(mask_all),
            Value::Array(items) => items.iter_mut().for_each(mask_all),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("client_secret".to_string()),
            Just("Access-Token".to_string()),
            Just("token".to_string()),
            Just("privateKey".to_string()),
            Just("secret_hash".to_string()),
            Just("name".to_string()),
            Just("t\u{f6}ken \"\\ \n".to_string()),
            "[a-zA-Z_\\-\"\\\\ \u{e9}]{0,8}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            Just(Value::String(String::new())),
            "[a-z]{1,3}".prop_map(Value::String),
            "(?s).{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn masks_what_the_tree_masks(value in json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                value.to_string()
            };
            let masked = sanitize_json(&text).expect("valid JSON is read");
            // Read back from the text, as serde_json reads floats (not always to the last bit).
            let mut expected: Value = serde_json::from_str(&text).unwrap();
            strip(&mut expected);
            prop_assert_eq!(serde_json::from_str::<Value>(&masked).unwrap(), expected);
        }

        #[test]
        fn reads_as_json_exactly_what_serde_json_reads(
            value in json(),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"{}[]:,\"\\ 0-.eEtfnu1x".to_vec()),
            insert in any::<bool>(),
        ) {
            let mut text = value.to_string().into_bytes();
            let at = at.index(text.len() + 1);
            if insert {
                text.insert(at, byte);
            } else if at < text.len() {
                text.remove(at);
            }
            // Only text that is still UTF-8 is a capture.
            if let Ok(text) = String::from_utf8(text) {
                prop_assert_eq!(
                    sanitize_json(&text).is_some(),
                    serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok(),
                    "{}", text
                );
            }
        }
    }

    #[test]
    fn secret_fields_are_told_whatever_their_case_and_separators() {
        for secret in [
            "client_secret",
            "Client-Secret",
            "clientSecret",
            "PRIVATE_KEY",
            "secret_access_key",
            "-token-",
            "\u{212A}ey_Material",
            // Named by their ends: a Slack app's, a webhook's, an integration's own settings.
            "bot_token",
            "signingSecret",
            "apiKey",
            "secretKey",
            "webhook_secret",
            "hashed_secret",
            "island_token",
        ] {
            assert!(is_secret_field(secret), "{secret}");
        }
        for other in [
            "secret_hash",
            "tokens",
            "token_type",
            "key",
            "client_id",
            "Ŧoken",
            "",
            "publicKey",
            "tokenWindow",
            "passwordCredentials",
            "secret_expires_at",
            "token_endpoint_auth_method",
            "has_password",
            "Has_Password",
            "mustChangePassword",
            "is_token",
        ] {
            assert!(!is_secret_field(other), "{other}");
        }
    }

    #[test]
    fn a_credential_in_its_issuers_format_is_masked_in_any_field() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU";
        let bot = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
        let text = format!(
            r#"{{"apps":[{{"id":"0oa1","label":"Slack","settings":{{"app":{{"assertion":"{jwt}",
            "install":"{bot}","domain":"acme","orgId":"00o1abcdefghijklmnop"}}}}}}]}}"#
        );
        let clean = sanitize_json(&text).unwrap();
        assert!(!clean.contains(jwt) && !clean.contains(bot), "{clean}");
        let value: Value = serde_json::from_str(&clean).unwrap();
        let app = &value["apps"][0]["settings"]["app"];
        assert_eq!(app["assertion"], MASK);
        assert_eq!(app["install"], MASK);
        // Names and IDs stay: a GUID, an Okta object ID, a URL.
        assert_eq!(app["orgId"], "00o1abcdefghijklmnop");
        for kept in [
            "3c1d0e6a-8f2b-4b7e-9a55-6d0c2f4e1b90",
            "https://acme.okta.com/api/v1/apps?after=0oa1abcdefghijklmnop",
            "Quarterly finance reconciliation export job",
        ] {
            let text = format!(r#"{{"id":"{kept}"}}"#);
            assert_eq!(sanitize_json(&text).as_deref(), Some(text.as_str()));
        }
    }

    /// What is kept reads as what was read: every JSON fixture, masked, yields the same
    /// identities (a worker started again reads its captures from the store).
    #[test]
    fn every_json_fixture_masked_reads_as_it_was() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let read = |source: &str, text: &str| {
            let mut collector = nhi_lens::Collector::new();
            collector.add(source, text.as_bytes());
            let inventory = collector.finish();
            let identities = serde_json::to_value(&inventory.identities).unwrap();
            (identities, inventory.errors.len())
        };
        let mut masked_some = 0;
        for platform in std::fs::read_dir(&root).unwrap() {
            let dir = platform.unwrap().path();
            if !dir.is_dir() || dir.ends_with("bad") {
                continue;
            }
            for file in std::fs::read_dir(&dir).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let Some(masked) = sanitize_json(&text) else {
                    continue;
                };
                masked_some += usize::from(masked != text);
                let source = path.file_name().unwrap().to_str().unwrap();
                assert_eq!(
                    read(source, &masked),
                    read(source, &text),
                    "{}",
                    path.display()
                );
            }
        }
        assert!(masked_some > 5, "{masked_some} fixtures hold secrets");
    }

    #[test]
    fn json_after_a_byte_order_mark_is_masked_and_kept() {
        let masked = sanitize_json("\u{feff}[{\"token\":\"abc\",\"id\":\"1\"}]").unwrap();
        assert_eq!(masked, r#"[{"token":"********","id":"1"}]"#);
        assert_eq!(sanitize_json("\u{feff}[]").unwrap(), "[]");
    }

    #[test]
    fn short_secrets_grow_the_text_without_harm() {
        // Each mask is longer than the secret it hides: the output outgrows the input.
        let text = r#"[{"token":"a"},{"token":"b"},{"token":"c"},{"token":"d"},{"secret":"e"}]"#;
        let masked = sanitize_json(text).unwrap();
        assert_eq!(masked.matches(MASK).count(), 5);
        assert!(masked.len() > text.len());
    }

    #[test]
    fn text_without_secrets_is_kept_as_it_was_sent() {
        let text = "{ \"value\" : [ {\"id\":1.50e+3, \"token\": \"\"} ] }\n";
        assert_eq!(sanitize_json(text).as_deref(), Some(text));
        for not_json in [
            "",
            "  ",
            "{} {}",
            "[1,]",
            "{\"a\"}",
            "01",
            "\"\t\"",
            "<!-- x -->",
        ] {
            assert_eq!(sanitize_json(not_json), None, "{not_json:?}");
        }
    }

    #[test]
    fn what_a_secret_field_holds_is_masked_whole_and_its_shape_kept() {
        let text = r#"[{"id":"u1","credentials":{"password":{"value":"FAKE-SECRET-MARKER-24"},
            "provider":{"type":"OKTA"}},"privateKey":{"kty":"RSA","d":"FAKE-SECRET-MARKER-2",
            "oth":[{"r":"FAKE-SECRET-MARKER-3"}],"n":[1,2]},"token":123456,"secret":true,
            "password":{},"name":"kept"}]"#;
        let clean = sanitize_json(text).unwrap();
        assert!(!clean.contains("FAKE-SECRET-MARKER"), "{clean}");
        assert!(!clean.contains("123456"), "{clean}");
        let value: Value = serde_json::from_str(&clean).unwrap();
        assert_eq!(value[0]["credentials"]["password"]["value"], MASK);
        assert_eq!(value[0]["privateKey"]["oth"][0]["r"], MASK);
        assert_eq!(value[0]["privateKey"]["n"][1], MASK);
        // What is not a secret field's stays, and so do the facts of whether one is set.
        assert_eq!(value[0]["credentials"]["provider"]["type"], "OKTA");
        assert_eq!(value[0]["secret"], true);
        assert_eq!(value[0]["password"], serde_json::json!({}));
        assert_eq!(value[0]["name"], "kept");
    }

    #[test]
    fn secrets_go_and_everything_else_stays() {
        let text = r#"[{"id":"ocs1","status":"ACTIVE","client_secret":"s3cr3t","secret_hash":"h",
            "credentials":{"oauthClient":{"client_id":"c","client_secret":"x"}},
            "token":"ghp_x","token_last_used_at":null,"key":"ssh-ed25519 AAAA","AccessToken":"t"}]"#;
        let clean = sanitize_json(text).unwrap();
        for secret in ["s3cr3t", "ghp_x", "\"x\"", "\"t\""] {
            assert!(!clean.contains(secret), "{secret} kept in {clean}");
        }
        for kept in [
            "secret_hash",
            "token_last_used_at",
            "ssh-ed25519",
            "client_id",
        ] {
            assert!(clean.contains(kept), "{kept} lost from {clean}");
        }
        assert_eq!(sanitize_json("not json"), None);
    }
}
