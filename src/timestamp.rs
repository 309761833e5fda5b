//! Reading the many timestamp spellings consoles use, and writing them back in one.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::model::Timestamp;

/// Parses a timestamp as consoles write it: RFC 3339 (`2021-05-05T20:26:07.0000000Z`,
/// `+00:00`), an offset without its leading zero (`-8:00`, seen in Graph's own docs), a time with no
/// offset (read as UTC) or a bare date (midnight UTC, GitLab's `expires_at`). Returns `None` for
/// anything else; callers report that as a data problem.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    if let Some(fixed) = pad_offset_hour(text)
        && let Ok(t) = OffsetDateTime::parse(&fixed, &Rfc3339)
    {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    let local = format_description!(
        version = 2,
        "[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    if let Ok(t) = PrimitiveDateTime::parse(text, &local) {
        return Some(t.assume_utc());
    }
    let date = format_description!("[year]-[month]-[day]");
    Date::parse(text, &date)
        .ok()
        .map(|d| d.midnight().assume_utc())
}

/// Reads a Unix time in seconds (Slack's `date_updated`).
pub fn from_unix_seconds(seconds: i64) -> Option<Timestamp> {
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// `-8:00` → `-08:00`, so the RFC 3339 parser accepts it.
fn pad_offset_hour(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if n < 6 || bytes[n - 3] != b':' {
        return None;
    }
    let sign = bytes[n - 5];
    if (sign == b'+' || sign == b'-') && bytes[n - 4].is_ascii_digit() && bytes[n - 6] != b':' {
        let (head, tail) = text.split_at(n - 4);
        return Some(format!("{head}0{tail}"));
    }
    None
}

/// Formats as RFC 3339 in UTC, whole seconds (`2024-01-02T03:04:05Z`).
pub fn format(t: Timestamp) -> String {
    let t = t
        .to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// Formats the date part only (`2024-01-02`).
pub fn format_date(t: Timestamp) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// A short age for tables: `12d`, `8mo`, `3y`.
pub fn short_age(days: i64) -> String {
    match days {
        d if d < 60 => format!("{d}d"),
        d if d < 730 => format!("{}mo", d / 30),
        d => format!("{}y", d / 365),
    }
}

/// Serde support for timestamps written as RFC 3339 strings and read leniently with [`parse`].
pub mod lenient {
    use serde::{Deserialize, Deserializer};

    use crate::model::Timestamp;

    /// Reads an optional timestamp; an unreadable one becomes `None`.
    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        Ok(text.as_deref().and_then(super::parse))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spellings_consoles_use() {
        let want = parse("2021-05-05T20:26:07Z").unwrap();
        assert_eq!(parse("2021-05-05T20:26:07.0000000Z"), Some(want));
        assert_eq!(parse("2021-05-05T20:26:07+00:00"), Some(want));
        assert_eq!(parse("2021-05-05T13:26:07-07:00"), Some(want));
        assert_eq!(parse("2021-05-05T12:26:07-8:00"), Some(want));
        assert_eq!(parse("2021-05-05T20:26:07"), Some(want));
        assert_eq!(
            parse("2021-05-05 20:26:07.123"),
            parse("2021-05-05T20:26:07.123Z")
        );
        assert_eq!(parse("2021-05-05"), parse("2021-05-05T00:00:00Z"));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "",
            "N/A",
            "not_supported",
            "no_information",
            "2021-13-01",
            "yesterday",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_in_utc_whole_seconds() {
        let t = parse("2021-05-05T13:26:07.5-07:00").unwrap();
        assert_eq!(format(t), "2021-05-05T20:26:07Z");
        assert_eq!(format_date(t), "2021-05-05");
    }

    #[test]
    fn short_ages_read_naturally() {
        assert_eq!(short_age(3), "3d");
        assert_eq!(short_age(400), "13mo");
        assert_eq!(short_age(800), "2y");
    }
}
