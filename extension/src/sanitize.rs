//! Secret values are masked in a console's JSON before it is stored.
//!
//! A console may send a secret in a response (Okta's client-secret list carries
//! `client_secret`), and the promise is that no secret value is ever kept. The field stays, with
//! its value replaced by `********` (what GitHub itself sends for a webhook secret): whether a
//! secret is set is a fact the rules use (an unsigned webhook), its value never is.

use serde_json::Value;

/// Field names (compared without case, `_` and `-`) whose values are secrets.
const SECRET_FIELDS: &[&str] = &[
    "secret",
    "clientsecret",
    "secrettext",
    "secretvalue",
    "password",
    "passwordvalue",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "requesttoken",
    "deletetoken",
    "sessiontoken",
    "apitoken",
    "privatekey",
    "privatekeydata",
    "keymaterial",
    "secretaccesskey",
    "credentials_secret",
];

fn is_secret_field(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_FIELDS.contains(&folded.as_str())
}

/// What a non-empty secret string becomes.
pub const MASK: &str = "********";

/// The JSON text with every secret value masked, or `None` if it is not JSON.
pub fn sanitize_json(text: &str) -> Option<String> {
    let mut value: Value = serde_json::from_slice(text.as_bytes()).ok()?;
    strip(&mut value);
    Some(value.to_string())
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if is_secret_field(key) && !s.is_empty() => {
                        *v = Value::String(MASK.into());
                    }
                    _ => strip(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
