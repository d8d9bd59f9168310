//! What a page's view shows of other things: dates in the forms templates need, and light
//! references to other pages, sections, terms and images.

use crate::parse::dates::Date;
use serde::Serialize;
use std::sync::OnceLock;

/// A date in the forms templates need.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DateView {
    /// `2026-06-30`.
    pub ymd: String,
    /// `June 30, 2026`.
    pub human: String,
    /// RFC 3339.
    pub iso: String,
}

impl DateView {
    /// 1970-01-01, for feeds that must carry a date when an article has none.
    pub(crate) fn epoch() -> Self {
        Self {
            ymd: "1970-01-01".into(),
            human: "January 1, 1970".into(),
            iso: "1970-01-01T00:00:00Z".into(),
        }
    }
}

impl From<&Date> for DateView {
    fn from(d: &Date) -> Self {
        Self {
            ymd: d.ymd(),
            human: d.human(),
            iso: d.rfc3339(),
        }
    }
}

/// A link to another page.
#[derive(Debug, Clone)]
pub(crate) struct PageRef {
    /// Title.
    pub title: String,
    /// Site-absolute URL.
    pub url: String,
    /// Description or first paragraph.
    pub description: Option<String>,
    /// Publication date.
    pub date: Option<DateView>,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// `library · collection` the page sits in.
    pub trail: String,
    /// The hash of the fields above, made the first time the reference is hashed.
    pub(super) digest: OnceLock<[u8; 16]>,
}

/// A [`PageRef`] as templates see it.
#[derive(Serialize)]
struct PageRefFields<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    date: Option<&'a DateView>,
    reading_minutes: usize,
    trail: &'a str,
}

impl Serialize for PageRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = PageRefFields {
            title: &self.title,
            url: &self.url,
            description: self.description.as_deref(),
            date: self.date.as_ref(),
            reading_minutes: self.reading_minutes,
            trail: &self.trail,
        };
        if s.is_human_readable() {
            return fields.serialize(s);
        }
        // Written in binary only to fingerprint a page (templates see JSON): a page's reference
        // shows in the views of a dozen other pages, so its hash stands in for it, made once.
        let digest = self.digest.get_or_init(|| {
            let mut h = blake3::Hasher::new();
            crate::output::hash_value(&mut h, &fields);
            crate::output::fingerprint_of(&h.finalize())
        });
        digest.serialize(s)
    }
}

/// A link with a title: breadcrumbs, terms, sections.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    /// Text.
    pub title: String,
    /// Site-absolute URL.
    pub url: String,
}

/// A section in a listing.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionRef {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Articles in it and below it.
    pub count: usize,
    /// Its own subsections (one level).
    pub children: Vec<SectionRef>,
}

/// A term with its count.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermRef {
    /// Display name.
    pub name: String,
    /// URL of its page.
    pub url: String,
    /// Articles carrying it.
    pub count: usize,
}

/// An image with its size, for `og:image`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImageRef {
    /// Absolute URL.
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// What it shows.
    pub alt: String,
}
