//! Markdown to HTML with pulldown-cmark, in one pass over its event stream.
//!
//! The pass gives headings unique ids and anchor links, builds the table of contents, counts
//! words, highlights code, renders diagrams, and records every internal link and image with its
//! line. Internal link targets are not known yet (the site model does not exist at this stage), so
//! their `href`/`src` are written as numbered placeholders that the render stage fills in with
//! each target's final URL (see [`fill_placeholders`] and [`super::placeholders`]). This keeps parsing independent per file,
//! so files parse in parallel and an unchanged file never needs parsing again.

use super::highlight;
pub use super::memo::Memos;
pub use super::placeholders::fill_placeholders;
use super::placeholders::{CLOSE, OPEN, shield, shield_event};
use crate::diagnostics::Diagnostic;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique id on the page (its anchor).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A table-of-contents entry: an H2 with its H3s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub text: String,
    /// H3 entries under this H2.
    pub children: Vec<TocEntry>,
}

/// An image in the body, for alt-text checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    /// The `src` as written.
    pub src: String,
    /// The alt text.
    pub alt: String,
    /// 1-based line.
    pub line: usize,
}

/// The rendered body of one markdown file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    /// HTML with link placeholders (see [`fill_placeholders`]).
    pub html: String,
    /// Every heading in order.
    pub headings: Vec<Heading>,
    /// H2/H3 table of contents.
    pub toc: Vec<TocEntry>,
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
    pub terms: Vec<(Box<str>, u32)>,
    /// Images, for alt-text checks.
    pub images: Vec<Image>,
    /// Template syntax from another generator (`{{< >}}`, `{% %}`) outside code, shown as text.
    pub foreign: Option<super::foreign::Found>,
    /// Warnings found while rendering (diagrams that failed, and so on).
    pub diagnostics: Vec<Diagnostic>,
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

/// 1-based (line, column) of byte offsets, via a table of line starts.
struct Lines {
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts, first_line }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let i = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        (i + self.first_line, offset - self.starts[i] + 1)
    }
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

struct Pending {
    id: Option<String>,
    classes: Vec<String>,
    start: usize,
    text: String,
}

/// Renders `body` (which starts on line `first_line` of `file`), taking drawn diagrams and
/// highlighted code from `memos` where it holds them.
pub fn render(
    body: &str,
    first_line: usize,
    file: &Path,
    opts: &MarkdownOptions,
    memos: &Memos,
) -> Rendered {
    let lines = Lines::new(body, first_line);
    let mut out = Rendered::default();
    if body.contains("{{") || body.contains("{%") {
        let code = super::foreign::code_ranges(body);
        out.foreign = super::foreign::scan(body, &code, |o| lines.at(o));
    }
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut heading: Option<Pending> = None;
    let mut code: Option<(Option<String>, String, usize)> = None;
    let mut image: Option<(String, String, Option<String>, usize)> = None;
    let mut paragraph: Option<String> = None;
    let mut terms = super::terms::Counter::default();
    let mut depth = 0usize; // block nesting, so only a top-level paragraph becomes the summary
    let mut skipping_h1 = false;
    let mut h1_seen = false;
    // Text so far, for a `<!--more-->` summary; bounded, as most bodies have no divider.
    let mut lead = Some(String::new());

    for (event, range) in Parser::new_ext(body, options(opts)).into_offset_iter() {
        if let Some((_, ref mut buf, _)) = code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, src, line) = code.take().unwrap_or_default();
                    events.push(Event::Html(
                        code_block(lang.as_deref(), &src, (line, file), memos, &mut out).into(),
                    ));
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, ref mut alt, _, _)) = image {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::End(TagEnd::Image) => {
                    let (dest, alt, title, line) = image.take().unwrap_or_default();
                    events.push(Event::Html(
                        image_html(&dest, &alt, title.as_deref(), line, &mut out).into(),
                    ));
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Html(h) | Event::InlineHtml(h) if is_more_divider(h) => {
                if let Some(text) = lead.take() {
                    out.more_summary = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::SoftBreak
            | Event::HardBreak => {
                if let Some(l) = lead.as_mut() {
                    l.push(' ');
                }
            }
            _ => {}
        }
        match &event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(l) = lead.as_mut().filter(|l| l.len() < MAX_LEAD) {
                    l.push_str(t);
                }
                out.word_count += t.split_whitespace().count();
                terms.add(t);
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(t);
                }
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(Pending {
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    start: events.len(),
                    text: String::new(),
                });
                if level == HeadingLevel::H1 && !h1_seen && opts.strip_first_h1 {
                    skipping_h1 = true;
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                let Some(h) = heading.take() else { continue };
                let text = h.text.trim().to_string();
                if level == HeadingLevel::H1 && !h1_seen {
                    h1_seen = true;
                    out.first_h1 = Some(text.clone());
                    if skipping_h1 {
                        skipping_h1 = false;
                        events.truncate(h.start);
                        continue;
                    }
                }
                let id = unique_id(h.id.unwrap_or_else(|| heading_id(&text)), &mut used_ids);
                let n = level as u8;
                let class = if h.classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", attr(&h.classes.join(" ")))
                };
                events.insert(
                    h.start,
                    Event::Html(format!("<h{n} id=\"{}\"{class}>", attr(&id)).into()),
                );
                events.push(Event::Html(
                    format!("<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{n}>\n", attr(&id)).into(),
                ));
                out.headings.push(Heading { level: n, id, text });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new(), lines.at(range.start).0));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                image = Some((
                    dest_url.to_string(),
                    String::new(),
                    Some(title.to_string()).filter(|t| !t.is_empty()),
                    lines.at(range.start).0,
                ));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let (line, col) = lines.at(range.start);
                events.push(Event::Html(
                    link_open(link_type, &dest_url, &title, line, col, &mut out).into(),
                ));
            }
            Event::End(TagEnd::Link) => events.push(Event::Html("</a>".into())),
            Event::Text(t)
                if matches!(events.last(), Some(Event::Html(h)) if h.ends_with(&format!("{CLOSE}\">")))
                    && out
                        .links
                        .last()
                        .is_some_and(|l| l.wants_title && l.dest == *t) =>
            {
                // `[[slug]]`: the text becomes the target's title once it is known.
                let n = out.links.len() - 1;
                events.push(Event::Html(format!("{OPEN}t{n}{CLOSE}").into()));
            }
            Event::Start(Tag::Paragraph) => {
                if depth == 0 && out.first_paragraph.is_none() && paragraph.is_none() {
                    paragraph = Some(String::new());
                }
                depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(p) = paragraph.take()
                    && !p.trim().is_empty()
                {
                    out.first_paragraph = Some(p.trim().to_string());
                }
                events.push(event);
            }
            Event::Start(Tag::Table(_)) => {
                out.has_table = true;
                events.push(event);
            }
            Event::Start(
                Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_)
                | Tag::Item
                | Tag::DefinitionList,
            ) => {
                depth += 1;
                events.push(shield_event(event));
            }
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::Item
                | TagEnd::DefinitionList,
            ) => {
                depth = depth.saturating_sub(1);
                events.push(event);
            }
            Event::Html(h) | Event::InlineHtml(h) if !opts.unsafe_html => {
                events.push(shield_event(Event::Text(h)))
            }
            other => events.push(shield_event(other)),
        }
    }
    out.toc = toc(&out.headings);
    out.terms = terms.top();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = html;
    out
}

/// Longest `<!--more-->` summary kept, in bytes.
const MAX_LEAD: usize = 4096;

/// Whether raw HTML is the summary divider, `<!--more-->` (spaces inside allowed).
fn is_more_divider(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
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

fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry {
            id: h.id.clone(),
            text: h.text.clone(),
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

/// Escapes text for an attribute value.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    shield(&out)
}

fn href(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_href(&mut out, s);
    out
}

fn link_open(
    kind: LinkType,
    dest: &CowStr,
    title: &CowStr,
    line: usize,
    col: usize,
    out: &mut Rendered,
) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", attr(title))
    };
    let (link_kind, wants_title) = match kind {
        LinkType::WikiLink { has_pothole } => (LinkKind::Wiki, !has_pothole),
        LinkType::Autolink | LinkType::Email => {
            return format!("<a href=\"{}\"{title}>", href(&with_mailto(kind, dest)));
        }
        _ if is_external(dest) || dest.is_empty() => {
            return format!("<a href=\"{}\"{title}>", href(dest));
        }
        _ if dest.starts_with('#') => (LinkKind::Anchor, false),
        _ => (LinkKind::Markdown, false),
    };
    let n = out.links.len();
    out.links.push(LinkRef {
        dest: dest.to_string(),
        kind: link_kind,
        wants_title,
        line,
        col,
    });
    format!("<a href=\"{OPEN}h{n}{CLOSE}\"{title}>")
}

fn with_mailto(kind: LinkType, dest: &str) -> String {
    if kind == LinkType::Email && !dest.starts_with("mailto:") {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    }
}

fn image_html(
    dest: &str,
    alt: &str,
    title: Option<&str>,
    line: usize,
    out: &mut Rendered,
) -> String {
    out.images.push(Image {
        src: dest.to_string(),
        alt: alt.to_string(),
        line,
    });
    let title = title
        .map(|t| format!(" title=\"{}\"", attr(t)))
        .unwrap_or_default();
    let src = if is_external(dest) || dest.is_empty() {
        href(dest)
    } else {
        let n = out.links.len();
        out.links.push(LinkRef {
            dest: dest.to_string(),
            kind: LinkKind::Image,
            wants_title: false,
            line,
            col: 1,
        });
        format!("{OPEN}h{n}{CLOSE}")
    };
    format!(
        "<img src=\"{src}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
        attr(alt)
    )
}

fn code_block(
    lang: Option<&str>,
    src: &str,
    (line, file): (usize, &Path),
    memos: &Memos,
    out: &mut Rendered,
) -> String {
    if lang == Some("mermaid") {
        out.diagrams += 1;
        let block =
            super::diagrams::block(src, (out.diagrams, line, file), memos, &mut out.diagnostics);
        out.diagram_fallback |= block.fallback;
        return shield(&block.html);
    }
    out.code_blocks += 1;
    shield(&highlight::highlight(src, lang, &memos.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Rendered {
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
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "detail");
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
