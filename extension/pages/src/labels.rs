//! Names an admin reads: platforms, kinds, levels.

use nhi_lens::model::{Kind, Platform};
use nhi_lens::score::Level;

/// Every platform, in the platform table's order: (identifier, display name).
pub fn platforms() -> impl Iterator<Item = (&'static str, &'static str)> {
    // `Platform::ALL` lists the same platforms as `nhi_lens::platforms::PLATFORMS` (a test checks
    // it) without linking every platform's parsers into the pages.
    Platform::ALL
        .into_iter()
        .map(|p| (p.as_str(), p.display_name()))
}

/// The display name of a platform identifier (`entra` → `Microsoft Entra`).
pub fn platform(id: &str) -> &str {
    platforms()
        .find(|(p, _)| *p == id)
        .map_or(id, |(_, name)| name)
}

/// The table label of a kind identifier (`deploy_key` → `deploy key`).
pub fn kind(id: &str) -> String {
    serde_json::from_value::<Kind>(serde_json::Value::String(id.to_string()))
        .map_or_else(|_| id.replace('_', " "), |k| k.label().to_string())
}

/// Every risk level, highest first.
pub const LEVELS: [Level; 5] = Level::DESCENDING;

/// A level's identifier (`critical`).
pub fn level(level: Level) -> &'static str {
    level.as_str()
}

/// Reads a level identifier.
pub fn parse_level(text: &str) -> Option<Level> {
    LEVELS.into_iter().find(|l| l.as_str() == text)
}

/// A level with a capital, for headings and chips' accessible names.
pub fn level_title(level: Level) -> &'static str {
    match level {
        Level::Critical => "Critical",
        Level::High => "High",
        Level::Medium => "Medium",
        Level::Low => "Low",
        Level::None => "None",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_list_is_the_platform_tables() {
        let table: Vec<&str> = nhi_lens::platforms::PLATFORMS
            .iter()
            .map(|p| p.platform.as_str())
            .collect();
        let ours: Vec<&str> = platforms().map(|(p, _)| p).collect();
        assert_eq!(ours, table);
        assert_eq!(platform("entra"), "Microsoft Entra");
        assert_eq!(platform("mainframe"), "mainframe");
    }

    #[test]
    fn kinds_and_levels() {
        assert_eq!(kind("deploy_key"), "deploy key");
        assert_eq!(kind("github_app"), "GitHub App");
        assert_eq!(kind("new_thing"), "new thing");
        assert_eq!(parse_level("high"), Some(Level::High));
        assert_eq!(parse_level("severe"), None);
        assert_eq!(level_title(Level::None), "None");
    }
}
