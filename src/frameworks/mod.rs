//! Framework mappings as data: which OWASP NHI Top 10 items and NIST CSF 2.0 subcategories each
//! rule concerns. The files list rules per requirement; this module inverts them per rule.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// One framework file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub framework: String,
    pub version: String,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
}

/// One requirement of a framework and the rules that evidence it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub name: String,
    pub rules: Vec<String>,
}

/// The frameworks NHI Lens maps to.
pub struct Frameworks {
    pub owasp: &'static Framework,
    pub nist: &'static Framework,
    owasp_by_rule: HashMap<String, Vec<&'static str>>,
    nist_by_rule: HashMap<String, Vec<&'static str>>,
}

/// A framework file, from the JSON build.rs wrote from its TOML.
fn parse(text: &str, file: &str) -> Framework {
    serde_json::from_slice(text.as_bytes()).unwrap_or_else(|e| panic!("{file} is invalid: {e}"))
}

fn invert(framework: &'static Framework) -> HashMap<String, Vec<&'static str>> {
    let mut by_rule: HashMap<String, Vec<&'static str>> = HashMap::new();
    for item in &framework.items {
        for rule in &item.rules {
            by_rule
                .entry(rule.clone())
                .or_default()
                .push(item.id.as_str());
        }
    }
    by_rule
}

/// The embedded framework mappings.
pub fn frameworks() -> &'static Frameworks {
    static OWASP: OnceLock<Framework> = OnceLock::new();
    static NIST: OnceLock<Framework> = OnceLock::new();
    static ALL: OnceLock<Frameworks> = OnceLock::new();
    ALL.get_or_init(|| {
        let owasp = OWASP.get_or_init(|| {
            parse(
                crate::embedded!("frameworks/owasp_nhi_2025"),
                "owasp_nhi_2025.toml",
            )
        });
        let nist = NIST
            .get_or_init(|| parse(crate::embedded!("frameworks/nist_csf_2"), "nist_csf_2.toml"));
        Frameworks {
            owasp,
            nist,
            owasp_by_rule: invert(owasp),
            nist_by_rule: invert(nist),
        }
    })
}

impl Frameworks {
    /// OWASP NHI Top 10 items of a rule (`NHI7`).
    pub fn owasp_for(&self, code: &str) -> &[&'static str] {
        self.owasp_by_rule.get(code).map_or(&[], Vec::as_slice)
    }

    /// NIST CSF 2.0 subcategories of a rule (`PR.AA-01`).
    pub fn nist_for(&self, code: &str) -> &[&'static str] {
        self.nist_by_rule.get(code).map_or(&[], Vec::as_slice)
    }
}
