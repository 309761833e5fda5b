//! The review card's address: `card.html#tenant=<t>&id=<id>`, each value URL-encoded.

/// The tenant and identity a card is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardTarget {
    pub tenant: String,
    pub id: String,
}

/// Reads a location hash (with or without its `#`). `None` when either value is missing.
pub fn parse(hash: &str) -> Option<CardTarget> {
    let (mut tenant, mut id) = (None, None);
    for pair in hash.trim_start_matches('#').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match key {
            "tenant" => tenant = Some(value),
            "id" => id = Some(value),
            _ => {}
        }
    }
    Some(CardTarget {
        tenant: tenant.filter(|t| !t.is_empty())?,
        id: id.filter(|i| !i.is_empty())?,
    })
}

/// Writes the hash for a target (`#tenant=…&id=…`).
pub fn write(target: &CardTarget) -> String {
    format!(
        "#tenant={}&id={}",
        encode(&target.tenant),
        encode(&target.id)
    )
}

/// Percent-decoding as `decodeURIComponent` does, plus `+` as a space (form encoding); a broken
/// escape stays as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-encoding as `encodeURIComponent` does.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_content_script_writes() {
        let t = parse("#tenant=github%3Aacme&id=github%3Agithub_app%3A42").unwrap();
        assert_eq!(t.tenant, "github:acme");
        assert_eq!(t.id, "github:github_app:42");
        let t = parse("id=a%20b+c&tenant=%E2%9C%93&extra=1").unwrap();
        assert_eq!(t.id, "a b c");
        assert_eq!(t.tenant, "✓");
    }

    #[test]
    fn missing_or_broken_values() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("#tenant=acme"), None);
        assert_eq!(parse("#tenant=&id=x"), None);
        let t = parse("#tenant=a%2&id=%zz%").unwrap();
        assert_eq!(t.tenant, "a%2");
        assert_eq!(t.id, "%zz%");
    }

    #[test]
    fn round_trips() {
        let t = CardTarget {
            tenant: "entra:contoso.onmicrosoft.com".into(),
            id: "entra:service_principal:<img src=x>&id=1 +".into(),
        };
        assert_eq!(parse(&write(&t)), Some(t));
    }
}
