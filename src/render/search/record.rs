//! One page's search record: the smallest HTML page that carries what a reader searches and
//! sees in a result — the title, the direct answer, the body's text under its headings (with
//! their anchors), the questions and answers, and the library and tags as metadata and filters.
//!
//! It is made from the model and the body's own HTML, never from the finished page, so the
//! indexer parses a few kilobytes of text instead of the page with its navigation, lists and
//! drawn diagrams, and a page kept from the last build costs no more than a rendered one.

use crate::model::{Page, Site};
use lol_html::{RewriteStrSettings, element, rewrite_str};
use pulldown_cmark_escape::escape_html;
use std::fmt::Write as _;

/// Bumped whenever the shape of a record changes, so that records cached by an older build
/// are made again.
const FORMAT: &[u8] = b"search-record-2";

/// What a page's record says besides its body.
pub(crate) struct Head<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The title of its library (the top-level section it is in), if any.
    pub library: Option<&'a str>,
    /// Its tags, as written.
    pub tags: &'a [String],
    /// The direct answer.
    pub answer: Option<&'a str>,
    /// The questions and answers.
    pub faq: &'a [crate::parse::front_matter::Faq],
    /// The site's language (an ISO 639-1 code, perhaps with a region).
    pub language: &'a str,
}

impl<'a> Head<'a> {
    /// The head of `page`'s record.
    pub(crate) fn of(site: &'a Site, page: &'a Page) -> Self {
        let library = site
            .library(page.section)
            .map(|s| site.sections[s].title.as_str());
        Self {
            title: &page.title,
            library,
            tags: &page.front.tags,
            answer: page.front.answer.as_deref(),
            faq: &page.front.faq,
            language: &site.config.language,
        }
    }

    /// A key for the record of a page with this head, whose body was made from the file with
    /// hash `source` and whose `[[slug]]` links read `titles`: equal keys give equal records.
    pub(crate) fn key(&self, source: &[u8; 32], titles: &[String]) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        let mut part = |s: &[u8]| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s);
        };
        part(FORMAT);
        part(crate::cache::BUILD_ID.as_bytes());
        part(source);
        part(self.title.as_bytes());
        part(self.library.unwrap_or("\0").as_bytes());
        part(self.answer.unwrap_or("\0").as_bytes());
        part(self.language.as_bytes());
        part(&(self.tags.len() as u64).to_le_bytes());
        for t in self.tags.iter().chain(titles) {
            part(t.as_bytes());
        }
        for f in self.faq {
            part(f.q.as_bytes());
            part(f.a.as_bytes());
        }
        *h.finalize().as_bytes()
    }
}

/// The record of a page with `head` and the body `body_html` (placeholders filled).
pub(crate) fn record(head: &Head, body_html: &str) -> String {
    let mut out = String::with_capacity(body_html.len() / 2 + 512);
    out.push_str("<!doctype html><html lang=\"");
    push_escaped(&mut out, head.language);
    out.push_str("\"><body><main data-pagefind-body");
    if let Some(library) = head.library {
        // Shown under each result (as "Library: …"), and offered as a filter.
        for attr in ["data-pagefind-meta", "data-pagefind-filter"] {
            let _ = write!(out, " {attr}=\"library:");
            push_escaped(&mut out, library);
            out.push('"');
        }
    }
    out.push_str("><h1>");
    push_escaped(&mut out, head.title);
    out.push_str("</h1>\n");
    for tag in head.tags {
        out.push_str("<span data-pagefind-filter=\"tag:");
        push_escaped(&mut out, tag);
        out.push_str("\"></span>");
    }
    if !head.tags.is_empty() {
        // Searchable like the title, but kept out of excerpts (the theme hides it in results).
        out.push_str("<span data-pagefind-meta=\"tags:");
        push_escaped(&mut out, &head.tags.join(", "));
        out.push_str("\"></span>\n");
    }
    if let Some(answer) = head.answer {
        out.push_str("<p>");
        push_escaped(&mut out, answer);
        out.push_str("</p>\n");
    }
    out.push_str(&text_of(body_html));
    if !head.faq.is_empty() {
        // The id of the theme's FAQ section, so that a result found here links to it.
        out.push_str("<h2 id=\"faq\">Questions and answers</h2>\n");
        for f in head.faq {
            out.push_str("<p>");
            push_escaped(&mut out, &f.q);
            out.push_str("</p><p>");
            push_escaped(&mut out, &f.a);
            out.push_str("</p>\n");
        }
    }
    out.push_str("</main></body></html>\n");
    out
}

/// The body without what a reader never searches for and the indexer would read in full:
/// drawn diagrams, the `#` of heading anchors, and the markup of highlighted code and links.
fn text_of(body_html: &str) -> String {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!(
            "a.heading-anchor, svg, figure.diagram, script, style, template",
            |el| {
                el.remove();
                Ok(())
            }
        ))
        .append_element_content_handler(element!("span, a, code, em, strong", |el| {
            el.remove_and_keep_content();
            Ok(())
        }))
        .append_element_content_handler(element!("td, th", |el| {
            // Cells are read as one run of text; a space keeps their words apart.
            el.after(" ", lol_html::html_content::ContentType::Text);
            Ok(())
        }));
    // The rewriter fails only on a memory limit, which is not set.
    rewrite_str(body_html, settings).unwrap_or_else(|_| body_html.to_string())
}

fn push_escaped(out: &mut String, text: &str) {
    let _ = escape_html(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::front_matter::Faq;

    fn head<'a>(tags: &'a [String], faq: &'a [Faq]) -> Head<'a> {
        Head {
            title: "Pipeline <reviews>",
            library: Some("Revenue & ops"),
            tags,
            answer: Some("Review weekly."),
            faq,
            language: "en",
        }
    }

    #[test]
    fn a_record_carries_text_by_heading_without_anchors_or_drawings() {
        let body = "<p>Intro <a href=\"/x/\">link</a>.</p>\n\
            <h2 id=\"why\">Why<a class=\"heading-anchor\" href=\"#why\" aria-label=\"Link to this section\">#</a></h2>\n\
            <figure class=\"diagram diagram-flowchart\"><svg><text>Box label</text></svg></figure>\n\
            <pre><code><span class=\"k\">let</span> x</code></pre>\
            <table><tr><td>a</td><td>b</td></tr></table>";
        let tags = ["pipeline".to_string(), "forecast".to_string()];
        let faq = [Faq {
            q: "How often?".into(),
            a: "Weekly.".into(),
        }];
        let r = record(&head(&tags, &faq), body);
        assert!(r.starts_with("<!doctype html><html lang=\"en\">"));
        assert!(r.contains("<h1>Pipeline &lt;reviews&gt;</h1>"));
        assert!(r.contains("data-pagefind-meta=\"library:Revenue &amp; ops\""));
        assert!(r.contains("data-pagefind-filter=\"library:Revenue &amp; ops\""));
        assert!(r.contains("data-pagefind-filter=\"tag:forecast\""));
        assert!(r.contains("<h2 id=\"why\">Why</h2>"), "{r}");
        assert!(!r.contains('#'), "{r}");
        assert!(!r.contains("Box label") && !r.contains("<svg"), "{r}");
        assert!(r.contains("<pre>let x</pre>"), "{r}");
        assert!(r.contains("<p>Intro link.</p>"), "{r}");
        assert!(r.contains("<td>a</td> <td>b</td> "), "{r}");
        assert!(r.contains("<h2 id=\"faq\">"));
    }

    #[test]
    fn keys_follow_what_the_record_shows() {
        let tags = ["a".to_string()];
        let h = head(&tags, &[]);
        let k = h.key(&[1; 32], &[]);
        assert_eq!(k, head(&tags, &[]).key(&[1; 32], &[]));
        assert_ne!(k, h.key(&[2; 32], &[]), "another file");
        assert_ne!(k, h.key(&[1; 32], &["Title".into()]), "a wiki link's title");
        let other = ["b".to_string()];
        assert_ne!(k, head(&other, &[]).key(&[1; 32], &[]), "other tags");
    }
}
