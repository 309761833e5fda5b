//! Reading the many timestamp spellings consoles use, and writing them back in one.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::model::Timestamp;

/// Parses a timestamp as consoles write it: RFC 3339 (`2021-05-05T20:26:07.0000000Z`,
/// `+00:00`), an offset without its leading zero (`-8:00`, seen in Graph's own docs), a time with no
/// offset (read as UTC) or a bare date (midnight UTC, GitLab's `expires_at`). Returns `None` for
/// anything else; callers report that as a data problem.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    read(text.as_bytes())
}

/// `YYYY-MM-DD`, then optionally `T` (or `t`, or a space) and `HH:MM:SS`, an optional fraction,
/// and `Z`, `±HH:MM`, `±H:MM` or no offset (UTC): RFC 3339 and the spellings around it, read by
/// hand. A large export holds a few timestamps per record, and this is several times faster than
/// `time`'s parsers, whose code the extension's WebAssembly then goes without.
fn read(b: &[u8]) -> Option<Timestamp> {
    fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
        let part = b.get(at..at + n)?;
        part.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    }
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(b, 0, 4)? as i32;
    let month = time::Month::try_from(digits(b, 5, 2)? as u8).ok()?;
    let date = Date::from_calendar_date(year, month, digits(b, 8, 2)? as u8).ok()?;
    if b.len() == 10 {
        return Some(date.midnight().assume_utc());
    }
    if b.len() < 19 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (
        digits(b, 11, 2)? as u8,
        digits(b, 14, 2)? as u8,
        digits(b, 17, 2)? as u8,
    );
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while at < b.len() && b[at].is_ascii_digit() {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(b[at] - b'0');
            }
            at += 1;
        }
        let kept = (at - start).min(9);
        if kept == 0 {
            return None;
        }
        nanos *= 10u32.pow(9 - kept as u32);
    }
    let offset_seconds = match &b[at..] {
        // A time with no offset is read as UTC.
        b"" | b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), hours @ .., b':', m1, m2] if matches!(hours.len(), 1 | 2) => {
            let hh = digits(hours, 0, hours.len())? as i32;
            let mm = digits(&[*m1, *m2], 0, 2)? as i32;
            let total = hh * 3600 + mm * 60;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    // A leap second is held as the last instant before it, as `time` holds one.
    let (second, nanos) = if second == 60 {
        (59, 999_999_999)
    } else {
        (second, nanos)
    };
    let time = time::Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    let offset = UtcOffset::from_whole_seconds(offset_seconds).ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .to_offset(UtcOffset::UTC),
    )
}

/// Reads a Unix time in seconds (Slack's `date_updated`).
pub fn from_unix_seconds(seconds: i64) -> Option<Timestamp> {
    OffsetDateTime::from_unix_timestamp(seconds).ok()
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

/// Serde support for timestamps written as RFC 3339 (as `time::serde::rfc3339` writes them) and
/// read with [`parse`].
pub mod rfc3339 {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::format_description::well_known::Rfc3339;

    use crate::model::Timestamp;

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        t.format(&Rfc3339)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("\"{text}\" is not an RFC 3339 time")))
    }

    /// The same for an optional timestamp (`null` for none).
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            t.map(|t| t.format(&Rfc3339))
                .transpose()
                .map_err(serde::ser::Error::custom)?
                .serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            #[derive(Deserialize)]
            struct Time(#[serde(with = "super")] Timestamp);
            Ok(Option::<Time>::deserialize(d)?.map(|Time(t)| t))
        }
    }
}

/// Serde support for timestamps read leniently with [`parse`].
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
        assert_eq!(parse(" 2021-05-05 20:26:07 "), Some(want));
        // A lowercase separator and Z, and a leap second (held as the last instant before it, as
        // `time` holds one).
        assert_eq!(parse("2021-05-05t20:26:07z"), Some(want));
        assert_eq!(
            parse("2016-12-31T23:59:60Z"),
            parse("2016-12-31T23:59:59.999999999Z")
        );
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_parser() {
        for text in [
            "2021-05-05T20:26:07Z",
            "2021-05-05T20:26:07.1234567Z",
            "2021-05-05T20:26:07.123456789123Z",
            "2023-05-16T08:47:09.000-07:00",
            "2017-03-14T12:00:00+00:00",
            "2024-02-29T23:59:59+05:30",
            "9999-12-31T23:59:59Z",
        ] {
            let general = OffsetDateTime::parse(text, &Rfc3339)
                .unwrap()
                .to_offset(UtcOffset::UTC);
            assert_eq!(read(text.as_bytes()), Some(general), "{text}");
        }
        for text in [
            "2021-02-30T00:00:00Z",
            "2021-05-05T24:00:00Z",
            "2021-05-05T20:26:07.Z",
            "2021-05-05T20:26",
            "2021-05-05T20:26:07+0100",
            "2021-05-05X20:26:07Z",
        ] {
            assert_eq!(read(text.as_bytes()), None, "{text}");
        }
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
