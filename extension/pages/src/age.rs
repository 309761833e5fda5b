//! How ages and dates read in the pages: `12d`, `8mo`, `3y` (the badges' spelling), "5d ago",
//! "in 30d", "expired 3d ago".

use nhi_lens::model::Precision;

pub const DAY: i64 = 86_400;

/// Whole days from `from` to `to` (unix seconds), rounded down; negative when `to` is earlier.
pub fn days_between(from: i64, to: i64) -> i64 {
    (to - from).div_euclid(DAY)
}

/// A short age: `0d`, `12d`, `8mo`, `3y`.
pub fn short(days: i64) -> String {
    nhi_lens::timestamp::short_age(days.max(0))
}

/// How long ago `at` was, seen from `now`: "today", "5d ago", "3mo ago". A time in the future
/// (clock skew) reads as "today".
pub fn ago(at: i64, now: i64) -> String {
    match days_between(at, now) {
        d if d < 1 => "today".into(),
        d => format!("{} ago", short(d)),
    }
}

/// The date part (`2024-01-02`), in UTC.
pub fn date(at: i64) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Unix seconds of a timestamp as the report writes it: RFC 3339 (`2024-01-02T03:04:05Z`, an
/// optional fraction, `Z` or `±HH:MM`), or a bare date (midnight UTC). The report's timestamps
/// are written by the rule core in exactly this form; reading them here keeps the `time` crate's
/// general parser out of the pages' wasm.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(days * DAY);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        i += digits;
    }
    let offset = match b.get(i..) {
        Some([]) | Some([b'Z' | b'z']) => 0,
        Some([sign @ (b'+' | b'-'), ..]) if b.len() == i + 6 && b[i + 3] == b':' => {
            let minutes = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    Some(days * DAY + h * 3600 + mi * 60 + sec - offset)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The owner column and detail line: the owner, or why there is none. Missing data is not a
/// finding against the admin: "owner not loaded" is not "no owner"; a person's own account has
/// no owner to record (as the badges say).
pub fn owner_label(owner: Option<(&str, &str)>, owner_state: &str, human: bool) -> String {
    match owner {
        Some((name, "disabled")) => format!("{name} (disabled)"),
        Some((name, _)) => name.to_string(),
        None => nhi_lens::model::unowned_label(owner_state, human).into(),
    }
}

/// The age column: days since creation, or "—" when the creation date is unknown.
pub fn age_label(age_days: Option<i64>) -> String {
    age_days.map_or_else(|| "—".into(), short)
}

/// The last-used column: how long ago, or why it is unknown (`never`, `not loaded`).
pub fn last_used_label(at: Option<i64>, source: &str, now: i64) -> String {
    match at {
        Some(at) => ago(at, now),
        None if source.is_empty() => "unknown".into(),
        None => source.to_string(),
    }
}

/// How exact "last used" is, when it is not exact.
pub fn precision_note(precision: Option<Precision>) -> Option<String> {
    match precision? {
        Precision::Exact => None,
        Precision::WindowMinutes(m) => Some(format!("recorded per {m}-minute window")),
        Precision::LagDays(d) => Some(format!("the platform's data lags up to {d} days")),
        Precision::Derived => {
            Some("worked out from other fields, not recorded by the platform".into())
        }
        Precision::WholeDays => Some("shown by the console in whole days".into()),
    }
}

/// How NHI Lens knows an owner, in the admin's words (the report's `explicit`, `inferred`,
/// `policy`, `vendor` and `assigned`).
pub fn owner_source(source: &str) -> &str {
    match source {
        "explicit" => "recorded by the platform",
        "inferred" => "inferred from who created it",
        "policy" => "from your owner map",
        "vendor" => "the platform's vendor",
        "assigned" => "assigned in NHI Lens",
        other => other,
    }
}

/// The oldest-secret column: the age of the oldest live secret, or "—".
pub fn secret_label(at: Option<i64>, now: i64) -> String {
    at.map_or_else(|| "—".into(), |at| short(days_between(at, now)))
}

/// The expiry column: "in 30d", "expired 3d ago", "never", "today" or "unknown".
pub fn expires_label(at: Option<i64>, expiry: &str, now: i64) -> String {
    match at {
        Some(at) if at < now => match days_between(at, now) {
            0 => "expired today".into(),
            d => format!("expired {} ago", short(d)),
        },
        Some(at) => match days_between(now, at) {
            0 => "today".into(),
            d => format!("in {}", short(d)),
        },
        None if expiry == "never" => "never".into(),
        None => "unknown".into(),
    }
}

/// The default expiry date of a risk acceptance: 90 days from `now`, as `YYYY-MM-DD`.
pub fn default_acceptance_expiry(now: i64) -> String {
    date(now + 90 * DAY)
}

/// Whether `text` is a `YYYY-MM-DD` date after `now`'s day.
pub fn is_future_date(text: &str, now: i64) -> bool {
    let valid = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    valid && text > date(now).as_str() && parse_timestamp(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_704_931_200; // 2024-01-11T00:00:00Z

    #[test]
    fn an_owner_source_reads_as_words() {
        assert_eq!(owner_source("explicit"), "recorded by the platform");
        assert_eq!(owner_source("policy"), "from your owner map");
        assert_eq!(owner_source("assigned"), "assigned in NHI Lens");
        assert_eq!(owner_source("assigned in NHI Lens"), "assigned in NHI Lens");
    }

    #[test]
    fn short_ages() {
        assert_eq!(short(0), "0d");
        assert_eq!(short(59), "59d");
        assert_eq!(short(60), "2mo");
        assert_eq!(short(729), "24mo");
        assert_eq!(short(800), "2y");
        assert_eq!(short(-3), "0d");
    }

    #[test]
    fn relative_times() {
        assert_eq!(ago(NOW - 3600, NOW), "today");
        assert_eq!(ago(NOW + 3600, NOW), "today");
        assert_eq!(ago(NOW - 5 * DAY, NOW), "5d ago");
        assert_eq!(ago(NOW - 400 * DAY, NOW), "13mo ago");
        assert_eq!(days_between(NOW, NOW - 1), -1);
    }

    #[test]
    fn expiry_labels() {
        assert_eq!(expires_label(Some(NOW + 30 * DAY), "date", NOW), "in 30d");
        assert_eq!(expires_label(Some(NOW + 3600), "date", NOW), "today");
        assert_eq!(
            expires_label(Some(NOW - 3 * DAY), "date", NOW),
            "expired 3d ago"
        );
        assert_eq!(expires_label(Some(NOW - 60), "date", NOW), "expired today");
        assert_eq!(expires_label(None, "never", NOW), "never");
        assert_eq!(expires_label(None, "unknown", NOW), "unknown");
    }

    #[test]
    fn other_labels() {
        assert_eq!(date(NOW), "2024-01-11");
        assert_eq!(last_used_label(None, "not loaded", NOW), "not loaded");
        assert_eq!(last_used_label(None, "", NOW), "unknown");
        assert_eq!(last_used_label(Some(NOW - 2 * DAY), "audit", NOW), "2d ago");
        assert_eq!(secret_label(Some(NOW - 410 * DAY), NOW), "13mo");
        assert_eq!(secret_label(None, NOW), "—");
        assert_eq!(age_label(None), "—");
        assert_eq!(owner_label(Some(("ana", "active")), "known", false), "ana");
        assert_eq!(
            owner_label(Some(("ana", "disabled")), "known", false),
            "ana (disabled)"
        );
        assert_eq!(owner_label(None, "not_loaded", false), "owner not loaded");
        assert_eq!(owner_label(None, "not_recorded", true), "person");
        assert_eq!(owner_label(None, "missing", false), "no owner");
        assert_eq!(
            precision_note(Some(Precision::WindowMinutes(15))).unwrap(),
            "recorded per 15-minute window"
        );
        assert_eq!(precision_note(Some(Precision::Exact)), None);
    }

    #[test]
    fn timestamps_read_as_the_rule_core_reads_them() {
        for text in [
            "2024-01-11T00:00:00Z",
            "2024-02-29T23:59:59.123456Z",
            "2021-05-05T20:26:07.0000000Z",
            "2024-01-02T03:04:05+02:00",
            "2024-01-02T03:04:05-08:30",
            "1969-12-31T23:59:59Z",
            "2400-03-01T00:00:00Z",
            "2024-01-02",
        ] {
            let core = nhi_lens::timestamp::parse(text).map(|t| t.unix_timestamp());
            assert_eq!(parse_timestamp(text), core, "{text}");
        }
        for text in [
            "",
            "2024-13-01T00:00:00Z",
            "2023-02-29",
            "2024-01-02T25:00:00Z",
            "2024-01-02T03:04:05+0200",
            "soon",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
        for day in [-800_000, -1, 0, 19_733, 3_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(date(-1), "1969-12-31");
    }

    #[test]
    fn acceptance_dates() {
        assert_eq!(default_acceptance_expiry(NOW), "2024-04-10");
        assert!(is_future_date("2024-01-12", NOW));
        assert!(!is_future_date("2024-01-11", NOW));
        assert!(!is_future_date("2024-13-40", NOW));
        assert!(!is_future_date("soon", NOW));
    }
}
