//! The pass over pulldown-cmark's events that writes a body's HTML, in the manner of
//! pulldown-cmark's own `HtmlWriter`: a [`Writer`] holds what a block being read still needs
//! (a heading, a code block, an image, the first paragraph) as named pending state, and
//! `start_tag`, `end_tag` and `text` each handle one kind of event.

use super::html::{attr, code_block, image_html, link_open};
use super::{Body, Heading, MarkdownOptions, heading_id, unique_id};
use crate::cache::Memos;
use crate::parse::foreign;
use crate::parse::placeholders::{CLOSE, OPEN, shield_event};
use crate::parse::terms::Counter;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

/// Longest `<!--more-->` summary kept, in bytes.
const MAX_LEAD: usize = 4096;

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

/// A heading being read: its own id and classes, where its opening tag goes, and its text.
struct PendingHeading {
    id: Option<String>,
    classes: Vec<String>,
    start: usize,
    text: String,
}

/// A code block being read: its language, its text and the line its fence is on.
struct PendingCode {
    lang: Option<String>,
    src: String,
    line: usize,
}

/// An image being read: where it points, its alt text (its children), its title and line.
struct PendingImage {
    dest: String,
    alt: String,
    title: Option<String>,
    line: usize,
}

/// What the summaries are gathered from: the first top-level paragraph, and the text before a
/// `<!--more-->` divider.
struct Summary {
    /// Block nesting, so that only a top-level paragraph becomes the first paragraph.
    depth: usize,
    paragraph: Option<String>,
    /// Text so far, for a `<!--more-->` summary; bounded, as most bodies have no divider.
    lead: Option<String>,
}

/// Writes one body's HTML and gathers what later stages need of it.
pub(super) struct Writer<'a> {
    body_len: usize,
    lines: Lines,
    file: &'a Path,
    opts: &'a MarkdownOptions,
    memos: &'a Memos,
    out: Body,
    events: Vec<Event<'a>>,
    used_ids: HashSet<String>,
    heading: Option<PendingHeading>,
    code: Option<PendingCode>,
    image: Option<PendingImage>,
    summary: Summary,
    terms: Counter,
    /// Whether the first H1 was met, and whether it is being left out (it became the title).
    h1_seen: bool,
    skipping_h1: bool,
}

impl<'a> Writer<'a> {
    /// A writer for `body`, which starts on line `first_line` of `file`.
    pub(super) fn new(
        body: &str,
        first_line: usize,
        file: &'a Path,
        opts: &'a MarkdownOptions,
        memos: &'a Memos,
    ) -> Self {
        let lines = Lines::new(body, first_line);
        let mut out = Body::default();
        if body.contains("{{") || body.contains("{%") {
            let code = foreign::code_ranges(body);
            out.foreign = foreign::scan(body, &code, |o| lines.at(o));
        }
        Self {
            body_len: body.len(),
            lines,
            file,
            opts,
            memos,
            out,
            events: Vec::new(),
            used_ids: HashSet::new(),
            heading: None,
            code: None,
            image: None,
            summary: Summary {
                depth: 0,
                paragraph: None,
                lead: Some(String::new()),
            },
            terms: Counter::default(),
            h1_seen: false,
            skipping_h1: false,
        }
    }

    /// Writes every event, then the HTML.
    pub(super) fn run(mut self, events: impl Iterator<Item = (Event<'a>, Range<usize>)>) -> Body {
        let capacity = self.body_len * 3 / 2;
        for (event, range) in events {
            self.event(event, range);
        }
        let mut out = self.out;
        out.terms = self.terms.top();
        let mut html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        out.html = html;
        out.html_held = true;
        out
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.code.is_some() {
            return self.in_code(event);
        }
        if self.image.is_some() {
            return self.in_image(event);
        }
        self.gather(&event);
        match event {
            Event::Start(tag) => self.start_tag(tag, range),
            Event::End(tag) => self.end_tag(tag),
            Event::Text(t) => self.text(t),
            Event::Html(h) | Event::InlineHtml(h) if !self.opts.unsafe_html => {
                self.events.push(shield_event(Event::Text(h)))
            }
            other => self.events.push(shield_event(other)),
        }
    }

    /// Inside a code block: its text is the block's source, drawn or highlighted at its end.
    fn in_code(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => {
                if let Some(code) = self.code.as_mut() {
                    code.src.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(PendingCode { lang, src, line }) = self.code.take() {
                    let html = code_block(
                        lang.as_deref(),
                        &src,
                        (line, self.file),
                        self.memos,
                        &mut self.out,
                    );
                    self.events.push(Event::Html(html.into()));
                }
            }
            _ => {}
        }
    }

    /// Inside an image: its children are its alt text.
    fn in_image(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some(image) = self.image.as_mut() {
                    image.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some(i) = self.image.take() {
                    let html =
                        image_html(&i.dest, &i.alt, i.title.as_deref(), i.line, &mut self.out);
                    self.events.push(Event::Html(html.into()));
                }
            }
            _ => {}
        }
    }

    /// Counts words and terms, and collects the text of headings and summaries.
    fn gather(&mut self, event: &Event) {
        let summary = &mut self.summary;
        match event {
            Event::Html(h) | Event::InlineHtml(h) if is_more_divider(h) => {
                if let Some(text) = summary.lead.take() {
                    self.out.more_summary = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(l) = summary.lead.as_mut().filter(|l| l.len() < MAX_LEAD) {
                    l.push_str(t);
                }
                self.out.word_count += t.split_whitespace().count();
                self.terms.add(t);
                if let Some(h) = self.heading.as_mut() {
                    h.text.push_str(t);
                }
                if let Some(p) = summary.paragraph.as_mut() {
                    p.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(l) = summary.lead.as_mut() {
                    l.push(' ');
                }
                if let Some(p) = summary.paragraph.as_mut() {
                    p.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                if let Some(l) = summary.lead.as_mut() {
                    l.push(' ');
                }
            }
            _ => {}
        }
    }

    fn start_tag(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading {
                level, id, classes, ..
            } => {
                self.heading = Some(PendingHeading {
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    start: self.events.len(),
                    text: String::new(),
                });
                if level == HeadingLevel::H1 && !self.h1_seen && self.opts.strip_first_h1 {
                    self.skipping_h1 = true;
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some(PendingCode {
                    lang,
                    src: String::new(),
                    line: self.lines.at(range.start).0,
                });
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some(PendingImage {
                    dest: dest_url.to_string(),
                    alt: String::new(),
                    title: Some(title.to_string()).filter(|t| !t.is_empty()),
                    line: self.lines.at(range.start).0,
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let (line, col) = self.lines.at(range.start);
                let html = link_open(link_type, &dest_url, &title, (line, col), &mut self.out);
                self.events.push(Event::Html(html.into()));
            }
            Tag::Paragraph => {
                let s = &mut self.summary;
                if s.depth == 0 && self.out.first_paragraph.is_none() && s.paragraph.is_none() {
                    s.paragraph = Some(String::new());
                }
                s.depth += 1;
                self.events.push(Event::Start(Tag::Paragraph));
            }
            Tag::Table(alignment) => {
                self.out.has_table = true;
                self.events.push(Event::Start(Tag::Table(alignment)));
            }
            tag @ (Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::Item
            | Tag::DefinitionList) => {
                self.summary.depth += 1;
                self.events.push(shield_event(Event::Start(tag)));
            }
            other => self.events.push(shield_event(Event::Start(other))),
        }
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::Link => self.events.push(Event::Html("</a>".into())),
            TagEnd::Paragraph => {
                let s = &mut self.summary;
                s.depth = s.depth.saturating_sub(1);
                if s.depth == 0
                    && let Some(p) = s.paragraph.take()
                    && !p.trim().is_empty()
                {
                    self.out.first_paragraph = Some(p.trim().to_string());
                }
                self.events.push(Event::End(tag));
            }
            TagEnd::List(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Item
            | TagEnd::DefinitionList => {
                self.summary.depth = self.summary.depth.saturating_sub(1);
                self.events.push(Event::End(tag));
            }
            other => self.events.push(shield_event(Event::End(other))),
        }
    }

    /// A heading's end: the first H1 becomes the title (and leaves the body when asked), every
    /// other heading gets a unique id and an anchor link.
    fn end_heading(&mut self, level: HeadingLevel) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let text = h.text.trim().to_string();
        if level == HeadingLevel::H1 && !self.h1_seen {
            self.h1_seen = true;
            self.out.first_h1 = Some(text.clone());
            if self.skipping_h1 {
                self.skipping_h1 = false;
                self.events.truncate(h.start);
                return;
            }
        }
        let id = unique_id(
            h.id.unwrap_or_else(|| heading_id(&text)),
            &mut self.used_ids,
        );
        let n = level as u8;
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", attr(&h.classes.join(" ")))
        };
        self.events.insert(
            h.start,
            Event::Html(format!("<h{n} id=\"{}\"{class}>", attr(&id)).into()),
        );
        self.events.push(Event::Html(
            format!("<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{n}>\n", attr(&id)).into(),
        ));
        self.out.headings.push(Heading { level: n, id, text });
    }

    fn text(&mut self, t: CowStr<'a>) {
        let opens_link = matches!(self.events.last(), Some(Event::Html(h)) if h.ends_with(&format!("{CLOSE}\">")));
        if opens_link
            && self
                .out
                .links
                .last()
                .is_some_and(|l| l.wants_title && l.dest == *t)
        {
            // `[[slug]]`: the text becomes the target's title once it is known.
            let n = self.out.links.len() - 1;
            self.events
                .push(Event::Html(format!("{OPEN}t{n}{CLOSE}").into()));
        } else {
            self.events.push(shield_event(Event::Text(t)));
        }
    }
}

/// Whether raw HTML is the summary divider, `<!--more-->` (spaces inside allowed).
fn is_more_divider(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}
