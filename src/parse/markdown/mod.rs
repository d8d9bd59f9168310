//! Markdown to HTML with pulldown-cmark, in one pass over its event stream.
//!
//! The pass gives headings unique ids and anchor links, builds the table of contents, counts
//! words, highlights code, renders diagrams, and records every internal link and image with its
//! line. Internal link targets are not known yet (the site model does not exist at this stage), so
//! their `href`/`src` are written as numbered placeholders that the render stage fills in with
//! each target's final URL (see [`fill_placeholders`] and [`super::placeholders`]). This keeps parsing independent per file,
//! so files parse in parallel and an unchanged file never needs parsing again.

mod html;
mod writer;

pub use super::placeholders::fill_placeholders;
use crate::cache::Memos;
use crate::diagnostics::Diagnostics;
use pulldown_cmark::{Options, Parser};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
use writer::Writer;

/// How to render markdown.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// Keep raw HTML; when false it is escaped and shown as text.
    pub unsafe_html: bool,
    /// Remove the first H1 from the output (it became the page title).
    pub strip_first_h1: bool,
    /// Read `[[target]]` as a wiki link.
    pub wiki_links: bool,
}

/// What kind of reference an internal link is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub enum LinkKind {
    /// `[text](path.md)` or `[text](/path/)`.
    Markdown,
    /// `[[target]]` or `[[target|text]]`.
    Wiki,
    /// `![alt](image.png)`.
    Image,
    /// `[text](#anchor)` within the same page.
    Anchor,
}

/// An internal link or image, resolved to a URL after the site model is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The destination as written (`../metrics/win-rate.md#x`, `win-rate`, `img.png`).
    pub dest: String,
    /// How it was written.
    pub kind: LinkKind,
    /// Whether the link text should become the target's title (`[[slug]]` without `|text`).
    pub wants_title: bool,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique id on the page (its anchor).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A table-of-contents entry: an H2 with its H3s, borrowed from the body's headings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry<'a> {
    /// Anchor id.
    pub id: &'a str,
    /// Heading text.
    pub text: &'a str,
    /// H3 entries under this H2.
    pub children: Vec<TocEntry<'a>>,
}

/// An image in the body, for alt-text checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Image {
    /// The `src` as written.
    pub src: String,
    /// The alt text.
    pub alt: String,
    /// 1-based line.
    pub line: usize,
}

/// The rendered body of one markdown file, with what later stages need to know of it.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Body {
    /// HTML with link placeholders (see [`fill_placeholders`]); empty unless `html_held`.
    #[serde(skip)]
    pub html: String,
    /// Whether `html` holds the rendered body. A body read back from the build cache holds only
    /// what other pages need of it; its HTML is rendered again from the file when its own page
    /// is (see `crate::render::bodies`).
    #[serde(skip)]
    pub html_held: bool,
    /// The BLAKE3 hash of the whole file the body was rendered from, and whether its first H1
    /// was taken as the title: what rendering it again needs, and checks.
    pub source: ([u8; 32], bool),
    /// Every heading in order.
    pub headings: Vec<Heading>,
    /// Internal links and images, numbered by their placeholder.
    pub links: Vec<LinkRef>,
    /// Text of the first H1, if any.
    pub first_h1: Option<String>,
    /// Words outside code blocks.
    pub word_count: usize,
    /// Plain text of the first paragraph.
    pub first_paragraph: Option<String>,
    /// Plain text before a `<!--more-->` line, Hugo's and Jekyll's summary divider.
    pub more_summary: Option<String>,
    /// Whether the body has a table.
    pub has_table: bool,
    /// Number of ```` ```mermaid ```` fences.
    pub diagrams: usize,
    /// Whether a diagram could not be drawn, so the page may draw it in the browser instead.
    pub diagram_fallback: bool,
    /// Number of fenced or indented code blocks (diagrams excluded).
    pub code_blocks: usize,
    /// The body's most frequent terms (stemmed, stop words dropped), for related reading.
    pub terms: crate::parse::terms::Weighted,
    /// The weighted terms of what the file says it is about (its title, description, answer
    /// and headings; see [`crate::parse::terms::About`]), with the key of the title,
    /// description and answer they were made from: made once per parse, and used for the page
    /// when it shows the same.
    pub about_terms: Option<(crate::parse::terms::Weighted, [u8; 16])>,
    /// Images, for alt-text checks.
    pub images: Vec<Image>,
    /// Template syntax from another generator (`{{< >}}`, `{% %}`) outside code, shown as text.
    pub foreign: Option<super::foreign::Found>,
    /// The keys of the diagrams and highlighted code the body shows, in the session's memos: a
    /// body reused from the build cache marks them as still in use, so they stay cached.
    pub memo_keys: Vec<[u8; 32]>,
    /// Warnings found while rendering (diagrams that failed, and so on).
    pub diagnostics: Diagnostics,
}

fn options(o: &MarkdownOptions) -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        // Hugo (Goldmark) and Jekyll (kramdown) read definition lists by default.
        | Options::ENABLE_DEFINITION_LIST;
    if o.wiki_links {
        opts |= Options::ENABLE_WIKILINKS;
    }
    if o.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    opts
}

/// A GitHub-style heading id: lower-case letters and digits, spaces to `-`, punctuation dropped.
pub fn heading_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            ' ' | '-' => Some('-'),
            '_' => Some('_'),
            _ => None,
        })
        .collect()
}

/// Whether a destination names another site (`https:`, `mailto:`, `//host`) rather than a file
/// of this one.
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Renders `body` (which starts on line `first_line` of `file`), taking drawn diagrams and
/// highlighted code from `memos` where it holds them.
pub fn render(
    body: &str,
    first_line: usize,
    file: &Path,
    opts: &MarkdownOptions,
    memos: &Memos,
) -> Body {
    let writer = Writer::new(body, first_line, file, opts, memos);
    writer.run(Parser::new_ext(body, options(opts)).into_offset_iter())
}

pub(super) fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

impl Body {
    /// The H2/H3 table of contents, made when a page is rendered rather than held with every
    /// parse.
    pub fn toc(&self) -> Vec<TocEntry<'_>> {
        toc(&self.headings)
    }
}

fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            id: &h.id,
            text: &h.text,
            children: Vec::new(),
        };
        match (h.level, toc.last_mut()) {
            (2, _) => toc.push(entry),
            (3, Some(parent)) => parent.children.push(entry),
            (3, None) => toc.push(entry),
            _ => {}
        }
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Body {
        render(
            s,
            1,
            Path::new("a.md"),
            &MarkdownOptions {
                smart_punctuation: true,
                unsafe_html: true,
                strip_first_h1: false,
                wiki_links: true,
            },
            &Memos::default(),
        )
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = md("## Why it matters\n\n### Detail\n\n## Why it matters\n\n## Custom {#own}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["why-it-matters", "detail", "why-it-matters-1", "own"]);
        let toc = r.toc();
        assert_eq!(toc.len(), 3);
        assert_eq!(toc[0].children[0].id, "detail");
        assert!(r.html.contains("<h2 id=\"why-it-matters\">Why it matters<a class=\"heading-anchor\" href=\"#why-it-matters\""));
    }

    #[test]
    fn internal_links_become_placeholders_with_lines() {
        let r = md(
            "intro\n\nsee [win rate](../metrics/win-rate.md#x) and [[pipeline-coverage]] and [ext](https://e.com)\n",
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!((r.links[0].line, r.links[0].kind), (3, LinkKind::Markdown));
        assert_eq!(r.links[1].kind, LinkKind::Wiki);
        assert!(r.links[1].wants_title);
        let html = fill_placeholders(
            &r.html,
            &["/m/win-rate/#x".into(), "/p/".into()],
            &["".into(), "Pipeline coverage".into()],
        );
        assert!(
            html.contains("<a href=\"/m/win-rate/#x\">win rate</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/p/\">Pipeline coverage</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://e.com\">ext</a>"));
    }

    #[test]
    fn marker_characters_written_by_the_author_are_kept() {
        let r = md(
            "Icon \u{E000} and [a](b.md) and `\u{E000}t0\u{E001}` [^\u{E001}]\n\n[^\u{E001}]: note\n\n```\n\u{E000}\n```\n",
        );
        let html = fill_placeholders(&r.html, &["/b/".into()], &["B".into()]);
        assert!(!html.contains(['\u{E000}', '\u{E001}']), "{html}");
        assert!(
            html.contains("Icon &#xE000; and <a href=\"/b/\">a</a>"),
            "{html}"
        );
        assert!(html.contains("<code>&#xE000;t0&#xE001;</code>"), "{html}");
    }

    #[test]
    fn more_divider_cuts_the_summary() {
        let r = md("First *point*.\n\nSecond.\n\n<!--more-->\n\nRest.\n");
        assert_eq!(r.more_summary.as_deref(), Some("First point. Second."));
        assert!(md("No divider.\n").more_summary.is_none());
        let r = render(
            "a [[b]] c\n",
            1,
            Path::new("a.md"),
            &MarkdownOptions {
                smart_punctuation: false,
                unsafe_html: true,
                strip_first_h1: false,
                wiki_links: false,
            },
            &Memos::default(),
        );
        assert!(r.links.is_empty() && r.html.contains("[[b]]"), "{}", r.html);
    }

    #[test]
    fn word_count_skips_code_blocks() {
        let r = md("one two three\n\n```rust\nlet a = b + c;\n```\n");
        assert_eq!(r.word_count, 3);
        assert_eq!(r.first_paragraph.as_deref(), Some("one two three"));
    }

    #[test]
    fn first_h1_can_become_the_title() {
        let r = render(
            "# The title\n\nbody\n",
            1,
            Path::new("a.md"),
            &MarkdownOptions {
                smart_punctuation: false,
                unsafe_html: true,
                strip_first_h1: true,
                wiki_links: true,
            },
            &Memos::default(),
        );
        assert_eq!(r.first_h1.as_deref(), Some("The title"));
        assert!(!r.html.contains("<h1"));
    }

    #[test]
    fn raw_html_can_be_escaped() {
        let r = render(
            "<script>x</script>\n",
            1,
            Path::new("a.md"),
            &MarkdownOptions {
                smart_punctuation: false,
                unsafe_html: false,
                strip_first_h1: false,
                wiki_links: true,
            },
            &Memos::default(),
        );
        assert!(!r.html.contains("<script>"), "{}", r.html);
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x.y/"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn/x.js"));
        assert!(!is_external("a.md"));
        assert!(!is_external("../a.md#b:c"));
        assert!(!is_external("/abs/path/"));
    }
}
