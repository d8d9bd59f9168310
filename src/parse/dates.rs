//! Dates from front matter and file names.
//!
//! Libraries move over from Hugo, Jekyll and Zola with the dates they already have, so every
//! spelling those generators read is read here too: YAML and TOML dates, RFC 3339, Go's layouts
//! that Hugo accepts (`2006-01-02 15:04:05 -0700 MST`, RFC 1123, `02 Jan 2006`, …), Ruby's that
//! Jekyll accepts (`2016-03-23 9:00:00 -4`), and what people type (`January 2, 2006`). A date
//! without an offset is taken as UTC, as Hugo does by default.

use jiff::fmt::strtime;
use jiff::{Timestamp, civil, tz::TimeZone};
use serde::Serialize;
use std::cmp::Ordering;

/// A point in time as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// Layouts tried once the text is normalised (weekday names dropped, one space between words,
/// the offset moved to the end as `±hhmm`). Each is also tried with ` %z` after it.
const LAYOUTS: [&str; 26] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    // Two-digit years first: `%Y` would read `06` as the year 6, while `%y` stops after two
    // digits and so fails on `2006`.
    "%d %b %y %H:%M:%S",
    "%d %b %y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%d-%b-%y %H:%M:%S",
    "%b %d %H:%M:%S %Y",
    "%b %d %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %H:%M",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %b, %Y",
    "%d. %b %Y",
    "%B %d, %Y %H:%M",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
];

/// Zone abbreviations Go's and Ruby's layouts write, with their offsets.
const ZONES: [(&str, &str); 17] = [
    ("UTC", "+0000"),
    ("GMT", "+0000"),
    ("Z", "+0000"),
    ("UT", "+0000"),
    ("EST", "-0500"),
    ("EDT", "-0400"),
    ("CST", "-0600"),
    ("CDT", "-0500"),
    ("MST", "-0700"),
    ("MDT", "-0600"),
    ("PST", "-0800"),
    ("PDT", "-0700"),
    ("AKST", "-0900"),
    ("AKDT", "-0800"),
    ("HST", "-1000"),
    ("CET", "+0100"),
    ("CEST", "+0200"),
];

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses a date as written in front matter.
pub(crate) fn parse(raw: &str) -> Result<Date, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("the date is empty".into());
    }
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
    if let Some(date) = normalise(s).and_then(|n| with_layouts(&n)) {
        return Ok(date);
    }
    Err(match civil_attempt {
        Err(e) if looks_like_date(s) => format!("`{s}` is not a valid date: {e}"),
        _ => format!("`{s}` is not a date stacks understands"),
    })
}

fn with_layouts((text, offset): &(String, Option<String>)) -> Option<Date> {
    for layout in LAYOUTS {
        let tm = match offset {
            Some(z) => strtime::parse(format!("{layout} %z"), format!("{text} {z}")),
            None => strtime::parse(layout, text),
        };
        let Ok(tm) = tm else { continue };
        let Ok(local) = tm
            .to_datetime()
            .or_else(|_| tm.to_date().map(|d| d.to_datetime(civil::Time::midnight())))
        else {
            continue;
        };
        return match offset {
            Some(_) => {
                let instant = tm.to_timestamp().ok()?;
                Some(Date { local, instant })
            }
            None => Date::utc(local),
        };
    }
    None
}

/// Splits `s` into its date-and-time words and an offset (`±hhmm`), dropping weekday names and
/// reading zone abbreviations, hour-only offsets (`-4`) and offsets glued to the time
/// (`15:04:05-07:00`, `…Z`). `None` when it names a zone this module does not know.
fn normalise(s: &str) -> Option<(String, Option<String>)> {
    let mut words: Vec<String> = Vec::new();
    let mut offset: Option<String> = None;
    let mut zone: Option<&str> = None;
    for word in s.split_whitespace() {
        let bare = word.trim_end_matches(',');
        let lower = bare.to_ascii_lowercase();
        if WEEKDAYS.iter().any(|d| lower.starts_with(d)) && bare.chars().all(char::is_alphabetic) {
            continue;
        }
        if let Some((_, z)) = ZONES.iter().find(|(name, _)| *name == bare) {
            zone = Some(z);
            continue;
        }
        if bare.len() >= 3 && bare.chars().all(|c| c.is_ascii_uppercase()) && !is_month(&lower) {
            return None;
        }
        if let Some(z) = offset_of(word) {
            offset = Some(z);
            continue;
        }
        if let Some((time, z)) = glued_offset(word) {
            words.push(time.to_string());
            offset = Some(z);
            continue;
        }
        words.push(word.to_string());
    }
    Some((words.join(" "), offset.or(zone.map(str::to_string))))
}

fn is_month(lower: &str) -> bool {
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .any(|m| lower.starts_with(m))
}

/// `-4`, `+05`, `-0500`, `-05:00` as `±hhmm`.
fn offset_of(word: &str) -> Option<String> {
    let (sign, rest) = match word.as_bytes().first()? {
        b'+' => ('+', &word[1..]),
        b'-' => ('-', &word[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if rest.contains(':') && rest.find(':') != Some(rest.len() - 3) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.as_str(), "00"),
        3 => (&digits[..1], &digits[1..]),
        4 => (&digits[..2], &digits[2..]),
        _ => return None,
    };
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h <= 18 && m < 60).then(|| format!("{sign}{h:02}{m:02}"))
}

/// `15:04:05-07:00`, `15:04:05+0200` or `15:04:05Z` as the time and `±hhmm`.
fn glued_offset(word: &str) -> Option<(&str, String)> {
    if !word.contains(':') {
        return None;
    }
    if let Some(time) = word.strip_suffix(['Z', 'z']) {
        return Some((time, "+0000".into()));
    }
    let at = word.rfind(['+', '-'])?;
    let (time, zone) = word.split_at(at);
    if !time.ends_with(|c: char| c.is_ascii_digit()) || time.matches(':').count() == 0 {
        return None;
    }
    Some((time, offset_of(zone)?))
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-'
}

/// The date at the start of a Jekyll-style file name (`2024-01-31-pricing-notes`, also
/// `2024-1-5-notes`) and the rest of the name.
pub(crate) fn from_file_stem(stem: &str) -> Option<(Date, &str)> {
    let mut parts = stem.splitn(4, '-');
    let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let numeric = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !numeric(y, 4..=4) || !numeric(m, 1..=2) || !numeric(d, 1..=2) || rest.is_empty() {
        return None;
    }
    let date = civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?;
    Some((Date::utc(date.to_datetime(civil::Time::midnight()))?, rest))
}

/// The hint given with every date error.
pub(crate) const DATE_HINT: &str =
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
            ("2016-03-23 9:00:00 -4", "2016-03-23T13:00:00Z"),
            ("2016-03-23 09:00:00 +05", "2016-03-23T04:00:00Z"),
            ("2016-03-23 09:00:00Z", "2016-03-23T09:00:00Z"),
            ("2016-03-23 09:00:00 Z", "2016-03-23T09:00:00Z"),
            ("2016-03-23T09:00:00-0700", "2016-03-23T16:00:00Z"),
            (
                "2019-03-26 13:44:17.458478 -0400 EDT",
                "2019-03-26T17:44:17.458478Z",
            ),
            ("2019-03-26 13:44:17 EDT", "2019-03-26T17:44:17Z"),
            ("Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z"),
            ("Mon, 02 Jan 2006 15:04:05 MST", "2006-01-02T22:04:05Z"),
            ("02 Jan 06 15:04 -0700", "2006-01-02T22:04:00Z"),
            ("Monday, 02-Jan-06 15:04:05 UTC", "2006-01-02T15:04:05Z"),
            ("Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05Z"),
            ("Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T22:04:05Z"),
            ("02 Jan 2006", "2006-01-02T00:00:00Z"),
            ("January 2, 2006", "2006-01-02T00:00:00Z"),
            ("Jan 2, 2006", "2006-01-02T00:00:00Z"),
            ("2006/01/02", "2006-01-02T00:00:00Z"),
            ("2016-3-5", "2016-03-05T00:00:00Z"),
            ("2026-06-30 ", "2026-06-30T00:00:00Z"),
        ] {
            let d = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(d.rfc3339(), want, "{s}");
        }
        assert_eq!(
            parse("2023-02-24 9:28:00 -0500").unwrap().ymd(),
            "2023-02-24"
        );
        assert_eq!(parse("2016-03-23 23:30:00 -4").unwrap().ymd(), "2016-03-23");
    }

    #[test]
    fn rejects_impossible_dates_with_the_reason() {
        let e = parse("2026-13-45").unwrap_err();
        assert!(e.contains("month"), "{e}");
        for bad in ["next tuesday", "", "2026-06-30 10:00 XYZT", "soon"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_name_dates() {
        let (d, rest) = from_file_stem("2024-01-31-pricing-notes").unwrap();
        assert_eq!((d.ymd().as_str(), rest), ("2024-01-31", "pricing-notes"));
        let (d, rest) = from_file_stem("2024-1-5-notes").unwrap();
        assert_eq!((d.ymd().as_str(), rest), ("2024-01-05", "notes"));
        assert!(from_file_stem("pricing-notes").is_none());
        assert!(from_file_stem("2024-13-01-x").is_none());
        assert!(from_file_stem("2024-01-31").is_none());
        assert_eq!(parse("2026-06-30").unwrap().human(), "June 30, 2026");
    }
}
