//! Privilege catalogues: which tier each scope or permission of a platform belongs to.
//!
//! Tiers are data, one TOML file per platform next to its parser, embedded at build time. A name
//! the catalogue does not know is never dropped: it counts as sensitive-read and is reported as
//! unclassified.

use std::collections::HashMap;

use serde::Deserialize;
use wildmatch::WildMatch;

use crate::model::Tier;

/// One platform's scopes and permissions with their tiers.
#[derive(Debug)]
pub struct Catalogue {
    exact: HashMap<String, Tier>,
    patterns: Vec<(WildMatch, Tier)>,
    /// Parent scope → the scopes it includes (lower case).
    implies: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    tiers: Tiers,
    #[serde(default)]
    patterns: Vec<Pattern>,
    /// Scope hierarchy: a parent scope includes each of its children.
    #[serde(default)]
    implies: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tiers {
    #[serde(default)]
    admin: Vec<String>,
    #[serde(default)]
    write: Vec<String>,
    #[serde(default, rename = "sensitive-read")]
    sensitive_read: Vec<String>,
    #[serde(default)]
    read: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pattern {
    pattern: String,
    tier: Tier,
}

impl Catalogue {
    /// Parses a catalogue file. Names are matched case-insensitively; a name listed under two
    /// tiers is an error, as is an empty catalogue.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::from_file(toml::from_str(text).map_err(|e| e.to_string())?)
    }

    /// Reads a catalogue from its JSON form (build.rs writes each embedded TOML file so).
    pub fn from_json(text: &str) -> Result<Self, String> {
        Self::from_file(serde_json::from_slice(text.as_bytes()).map_err(|e| e.to_string())?)
    }

    fn from_file(file: CatalogueFile) -> Result<Self, String> {
        let mut exact = HashMap::new();
        let tiers = [
            (Tier::Admin, file.tiers.admin),
            (Tier::Write, file.tiers.write),
            (Tier::SensitiveRead, file.tiers.sensitive_read),
            (Tier::Read, file.tiers.read),
        ];
        for (tier, names) in tiers {
            for name in names {
                if let Some(previous) = exact.insert(name.to_ascii_lowercase(), tier) {
                    return Err(format!(
                        "\"{name}\" is listed as both {} and {}",
                        previous.as_str(),
                        tier.as_str()
                    ));
                }
            }
        }
        if exact.is_empty() {
            return Err("the catalogue lists no names".into());
        }
        let patterns = file
            .patterns
            .into_iter()
            .map(|p| (WildMatch::new(&p.pattern.to_ascii_lowercase()), p.tier))
            .collect();
        let implies = file
            .implies
            .into_iter()
            .map(|(parent, children)| {
                let children = children.iter().map(|c| c.to_ascii_lowercase()).collect();
                (parent.to_ascii_lowercase(), children)
            })
            .collect();
        Ok(Catalogue {
            exact,
            patterns,
            implies,
        })
    }

    /// The tier of `name`, if the catalogue knows it by name or by pattern.
    pub fn tier(&self, name: &str) -> Option<Tier> {
        let lower = name.to_ascii_lowercase();
        self.exact.get(&lower).copied().or_else(|| {
            self.patterns
                .iter()
                .find(|(p, _)| p.matches(&lower))
                .map(|(_, t)| *t)
        })
    }

    /// The tier of `name` and whether it was classified; unknown names count as sensitive-read.
    pub fn classify(&self, name: &str) -> (Tier, bool) {
        match self.tier(name) {
            Some(tier) => (tier, true),
            None => (Tier::SensitiveRead, false),
        }
    }

    /// Whether holding `held` already gives `name`: the same scope, or a parent that includes it
    /// (directly or through another parent).
    pub fn covers(&self, held: &str, name: &str) -> bool {
        let (held, name) = (held.to_ascii_lowercase(), name.to_ascii_lowercase());
        let mut open = vec![held];
        let mut seen = Vec::new();
        while let Some(scope) = open.pop() {
            if scope == name {
                return true;
            }
            if seen.contains(&scope) {
                continue;
            }
            if let Some(children) = self.implies.get(&scope) {
                open.extend(children.iter().cloned());
            }
            seen.push(scope);
        }
        false
    }

    /// Every name listed explicitly, with its tier.
    pub fn names(&self) -> impl Iterator<Item = (&str, Tier)> {
        self.exact.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// Declares a lazily parsed catalogue embedded from a data file of `src/` (its path without
/// `.toml`: `"platforms/github/scopes"`).
#[macro_export]
macro_rules! catalogue {
    ($fn_name:ident, $file:literal) => {
        /// The privilege catalogue embedded from `src/`
        #[doc = $file]
        /// (as JSON, written by build.rs).
        pub fn $fn_name() -> &'static $crate::catalogue::Catalogue {
            static CATALOGUE: ::std::sync::OnceLock<$crate::catalogue::Catalogue> =
                ::std::sync::OnceLock::new();
            CATALOGUE.get_or_init(|| {
                $crate::catalogue::Catalogue::from_json($crate::embedded!($file))
                    .unwrap_or_else(|e| panic!("{} is invalid: {e}", $file))
            })
        }
    };
}

/// The JSON text build.rs wrote from `src/<path>.toml`: `embedded!("platforms/github/scopes")`.
#[macro_export]
macro_rules! embedded {
    ($path:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/embedded/", $path, ".json"))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
        [tiers]
        admin = ["administration:write"]
        read = ["metadata:read"]
        [[patterns]]
        pattern = "*:write"
        tier = "write"
    "#;

    #[test]
    fn exact_names_win_over_patterns_and_unknowns_are_sensitive() {
        let c = Catalogue::parse(SAMPLE).unwrap();
        assert_eq!(c.classify("Administration:Write"), (Tier::Admin, true));
        assert_eq!(c.classify("issues:write"), (Tier::Write, true));
        assert_eq!(c.classify("metadata:read"), (Tier::Read, true));
        assert_eq!(c.classify("brand_new:read"), (Tier::SensitiveRead, false));
    }

    #[test]
    fn parents_cover_their_children_transitively() {
        let c = Catalogue::parse(
            "[tiers]\nadmin = [\"api\"]\nread = [\"read_api\", \"read_user\"]\n\
             [implies]\napi = [\"read_api\"]\nread_api = [\"read_user\"]\n",
        )
        .unwrap();
        assert!(c.covers("api", "read_user"));
        assert!(c.covers("API", "api"));
        assert!(!c.covers("read_api", "api"));
    }

    #[test]
    fn a_name_in_two_tiers_is_rejected() {
        let e = Catalogue::parse("[tiers]\nadmin=[\"x\"]\nread=[\"X\"]").unwrap_err();
        assert!(e.contains("both"), "{e}");
    }
}
