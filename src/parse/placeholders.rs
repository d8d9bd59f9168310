//! Placeholders for internal link targets in rendered markdown.
//!
//! Link targets are not known while a file is parsed, so the markdown pass writes `href`s and
//! `[[slug]]` titles as numbered tokens between two private-use characters, and the render stage
//! fills them in ([`fill_placeholders`]). Authors may write those characters too (icon fonts
//! live in the private-use area), so every piece of author text is [shielded](shield_event) on
//! its way into the HTML: a marker they wrote becomes a character reference, which a browser
//! shows as the same character and the filling step never mistakes for a token.

use pulldown_cmark::{Event, Tag};
use pulldown_cmark_escape::{escape_href, escape_html};

/// Opens a placeholder token.
pub(crate) const OPEN: char = '\u{E000}';
/// Closes a placeholder token.
pub(crate) const CLOSE: char = '\u{E001}';

fn holds_marker(s: &str) -> bool {
    s.contains([OPEN, CLOSE])
}

/// `html` with every marker character written as a character reference.
pub(crate) fn shield(html: &str) -> String {
    html.replace(OPEN, "&#xE000;").replace(CLOSE, "&#xE001;")
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let _ = escape_html(&mut out, text);
    shield(&out)
}

/// A footnote label without markers; references and definitions are renamed alike, so they still
/// find each other.
fn label(name: &str) -> String {
    name.replace([OPEN, CLOSE], "\u{FFFD}")
}

/// The event as it goes into the HTML, with any marker the author wrote made harmless.
pub(crate) fn shield_event(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(t) if holds_marker(&t) => Event::Html(escaped(&t).into()),
        Event::Code(t) if holds_marker(&t) => {
            Event::Html(format!("<code>{}</code>", escaped(&t)).into())
        }
        Event::Html(t) if holds_marker(&t) => Event::Html(shield(&t).into()),
        Event::InlineHtml(t) if holds_marker(&t) => Event::InlineHtml(shield(&t).into()),
        Event::FootnoteReference(n) if holds_marker(&n) => {
            Event::FootnoteReference(label(&n).into())
        }
        Event::Start(Tag::FootnoteDefinition(n)) if holds_marker(&n) => {
            Event::Start(Tag::FootnoteDefinition(label(&n).into()))
        }
        other => other,
    }
}

/// Replaces the placeholders of a rendered body: `hrefs[n]` is the URL of link `n` (already the
/// final URL, not yet escaped); `titles[n]` is the text for a `[[slug]]` link.
pub fn fill_placeholders(html: &str, hrefs: &[String], titles: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + hrefs.len() * 16);
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let token = &after[..end];
        let index = token.get(1..).and_then(|n| n.parse::<usize>().ok());
        match (token.as_bytes().first(), index) {
            (Some(b'h'), Some(n)) if n < hrefs.len() => {
                let _ = escape_href(&mut out, &hrefs[n]);
            }
            (Some(b't'), Some(n)) if n < titles.len() => {
                let _ = escape_html(&mut out, &titles[n]);
            }
            _ => {}
        }
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_markers_become_character_references() {
        assert_eq!(shield("a\u{E000}h0\u{E001}b"), "a&#xE000;h0&#xE001;b");
        let Event::Html(h) = shield_event(Event::Text("<\u{E000}>".into())) else {
            panic!("text with a marker becomes escaped HTML");
        };
        assert_eq!(&*h, "&lt;&#xE000;&gt;");
        assert!(matches!(
            shield_event(Event::Text("plain".into())),
            Event::Text(_)
        ));
    }

    #[test]
    fn only_tokens_are_filled() {
        let html = "<a href=\"\u{E000}h0\u{E001}\">\u{E000}t0\u{E001}</a> &#xE000;";
        let out = fill_placeholders(html, &["/a b/".into()], &["A & B".into()]);
        assert_eq!(out, "<a href=\"/a%20b/\">A &amp; B</a> &#xE000;");
    }
}
