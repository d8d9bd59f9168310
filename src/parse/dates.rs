//! Dates from front matter and file names.
//!
//! Libraries move over from Hugo, Jekyll and Zola with the dates they already have, so every
//! common spelling is accepted: YAML dates, RFC 3339, and `YYYY-MM-DD HH:MM[:SS] ±hhmm` with an
//! unpadded hour as Hugo writes it. A date without an offset is taken as UTC.

use jiff::fmt::strtime;
use jiff::{Timestamp, civil, tz::TimeZone};
use serde::Serialize;
use std::cmp::Ordering;

/// A point in time as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Date {
    /// The date and time on the author's clock, for display.
    pub local: civil::DateTime,
    /// The instant, for ordering, feeds and sitemaps.
    pub instant: Timestamp,
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Date {
    /// From a civil date and time taken as UTC.
    pub fn utc(local: civil::DateTime) -> Option<Self> {
        let instant = local.to_zoned(TimeZone::UTC).ok()?.timestamp();
        Some(Self { local, instant })
    }

    /// `2026-06-30`.
    pub fn ymd(&self) -> String {
        self.local.date().to_string()
    }

    /// RFC 3339 in UTC, e.g. `2026-06-30T08:00:00Z`, for feeds, sitemaps and JSON-LD.
    pub fn rfc3339(&self) -> String {
        self.instant.to_string()
    }

    /// `June 30, 2026`, for readers.
    pub fn human(&self) -> String {
        self.local.date().strftime("%B %-d, %Y").to_string()
    }
}

/// Offsetted spellings tried after RFC 3339. `%H` accepts one digit when parsing.
const WITH_OFFSET: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%z",
];

/// Parses a date as written in front matter.
pub fn parse(raw: &str) -> Result<Date, String> {
    let s = raw.trim();
    if let Ok(instant) = s.parse::<Timestamp>() {
        let local = s
            .parse::<civil::DateTime>()
            .unwrap_or_else(|_| instant.to_zoned(TimeZone::UTC).datetime());
        return Ok(Date { local, instant });
    }
    let civil_attempt = s.parse::<civil::DateTime>();
    if let Ok(local) = civil_attempt {
        return Date::utc(local).ok_or_else(|| format!("`{s}` is out of range"));
    }
    // `%z` wants `-0500`; Hugo also writes `-05:00` after a space.
    let compact = strip_offset_colon(s);
    for fmt in WITH_OFFSET {
        if let Ok(tm) = strtime::parse(fmt, &compact)
            && let (Ok(instant), Ok(local)) = (tm.to_timestamp(), tm.to_datetime())
        {
            return Ok(Date { local, instant });
        }
    }
    Err(match civil_attempt {
        Err(e) if looks_like_date(s) => format!("`{s}` is not a valid date: {e}"),
        _ => format!("`{s}` is not a date stacks understands"),
    })
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

fn strip_offset_colon(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    if n >= 6 && (b[n - 6] == b'+' || b[n - 6] == b'-') && b[n - 3] == b':' {
        format!("{}{}", &s[..n - 3], &s[n - 2..])
    } else {
        s.to_string()
    }
}

/// The date at the start of a Jekyll-style file name (`2024-01-31-pricing-notes`) and the rest.
pub fn from_file_stem(stem: &str) -> Option<(Date, &str)> {
    if stem.len() < 12 || !looks_like_date(stem) || stem.as_bytes()[10] != b'-' {
        return None;
    }
    let date = stem[..10].parse::<civil::Date>().ok()?;
    Some((
        Date::utc(date.to_datetime(civil::Time::midnight()))?,
        &stem[11..],
    ))
}

/// The hint given with every date error.
pub const DATE_HINT: &str =
    "write dates as 2026-06-30, 2026-06-30T14:05:00+02:00 or 2026-06-30 14:05:00 +0200";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        for (s, want) in [
            ("2026-06-30", "2026-06-30T00:00:00Z"),
            ("2026-06-30T10:00:00Z", "2026-06-30T10:00:00Z"),
            ("2026-06-30T10:00:00+02:00", "2026-06-30T08:00:00Z"),
            ("2026-06-30 10:00", "2026-06-30T10:00:00Z"),
            ("2023-02-24 9:28:00 -0500", "2023-02-24T14:28:00Z"),
            ("2023-02-24 09:28:00 -05:00", "2023-02-24T14:28:00Z"),
            ("2023-02-24 09:28 +0100", "2023-02-24T08:28:00Z"),
        ] {
            let d = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(d.rfc3339(), want, "{s}");
        }
        assert_eq!(
            parse("2023-02-24 9:28:00 -0500").unwrap().ymd(),
            "2023-02-24"
        );
    }

    #[test]
    fn rejects_impossible_dates_with_the_reason() {
        let e = parse("2026-13-45").unwrap_err();
        assert!(e.contains("month"), "{e}");
        assert!(parse("next tuesday").is_err());
    }

    #[test]
    fn file_name_dates() {
        let (d, rest) = from_file_stem("2024-01-31-pricing-notes").unwrap();
        assert_eq!((d.ymd().as_str(), rest), ("2024-01-31", "pricing-notes"));
        assert!(from_file_stem("pricing-notes").is_none());
        assert_eq!(parse("2026-06-30").unwrap().human(), "June 30, 2026");
    }
}
