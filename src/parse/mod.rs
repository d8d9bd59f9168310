//! Stage 2, **parse**: every markdown file into front matter and rendered body, in parallel.
//!
//! Each file is parsed on its own, with no knowledge of the others; everything that needs the
//! whole site (URLs, link targets, related reading) happens in later stages.

mod cache;
pub(crate) mod dates;
pub mod diagrams;
pub(crate) mod foreign;
pub mod front_matter;
pub(crate) mod highlight;
pub mod markdown;
pub(crate) mod placeholders;
pub(crate) mod terms;

pub(crate) use cache::{ParseCache, Sources, parse_all};

use crate::cache::Memos;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{Document, DocumentKind};
use front_matter::FrontMatter;
use markdown::{Body, MarkdownOptions};
use std::path::PathBuf;
use std::sync::Arc;

/// One markdown file, parsed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ParsedDocument {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Section, article or bundle.
    pub kind: DocumentKind,
    /// The front matter.
    /// Shared with the site model, which copies it only for a page a cascade or its file name
    /// adds to.
    pub front: Arc<FrontMatter>,
    /// The rendered body, shared with the site model so that an unchanged file is neither
    /// parsed nor copied again on a rebuild.
    pub body: Arc<Body>,
    /// Problems found in this file, kept with the parse so that a rebuild that reuses it reports
    /// them again.
    pub diagnostics: Diagnostics,
    /// Whether the front matter could not be read (later stages then stay quiet about what it
    /// would have said, such as a missing title).
    pub front_matter_failed: bool,
}

impl ParsedDocument {
    /// The path relative to the site root, for diagnostics.
    pub fn display_path(&self) -> PathBuf {
        PathBuf::from(crate::load::CONTENT_DIR).join(&self.rel)
    }
}

/// Parses one document, taking drawn diagrams and highlighted code from `memos` where it holds
/// them.
pub fn parse_document(doc: &Document, config: &SiteConfig, memos: &Memos) -> ParsedDocument {
    let file = doc.display_path();
    let mut diagnostics = Diagnostics::new();
    let front = match front_matter::split(&doc.text) {
        Ok(split) => match &split.front {
            Some(block) => front_matter::parse(block, &file, &mut diagnostics),
            None => FrontMatter::default(),
        },
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::FrontMatter, e.message)
                    .in_file(&file)
                    .at(e.line, 1)
                    .hint(e.hint),
            );
            FrontMatter::default()
        }
    };
    let front_matter_failed = diagnostics.has_errors();
    let mut body = render_body(doc, config, memos, front.title.is_none());
    diagnostics.append(std::mem::take(&mut body.diagnostics));
    if let Some(found) = &body.foreign {
        let places = match found.count {
            1 => String::new(),
            n => format!(", and {} more place(s)", n - 1),
        };
        diagnostics.push(
            Diagnostic::warning(
                Code::ForeignTemplate,
                format!(
                    "template syntax from another generator (`{}`{places}) is shown as text",
                    found.example
                ),
            )
            .in_file(&file)
            .at(found.line, found.col)
            .hint("replace shortcodes and includes with markdown or HTML; links made with {% link %}, {{< ref >}} or a url filter already work"),
        );
    }
    if let Some(title) = front.title.as_deref().or(body.first_h1.as_deref()) {
        let about = terms::About {
            title,
            description: front.description.as_deref(),
            answer: front.answer.as_deref(),
        };
        let headings = body.headings.iter().map(|h| h.text.as_str());
        body.about_terms = Some((about.terms(headings), about.key()));
    }
    ParsedDocument {
        rel: doc.rel.clone(),
        kind: doc.kind,
        front: Arc::new(front),
        body: Arc::new(body),
        diagnostics,
        front_matter_failed,
    }
}

/// Renders the body of `doc` (everything after its front matter), its first H1 taken as the
/// title when `strip_first_h1`. The same text and options always give the same body, which is
/// what lets a page's body be rendered again from its file instead of being held.
pub(crate) fn render_body(
    doc: &Document,
    config: &SiteConfig,
    memos: &Memos,
    strip_first_h1: bool,
) -> Body {
    let (text, body_line) = match front_matter::split(&doc.text) {
        Ok(split) => (split.body, split.body_line),
        Err(_) => (doc.text.as_str(), 1),
    };
    let opts = MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        unsafe_html: config.markdown.unsafe_html,
        strip_first_h1,
        wiki_links: config.markdown.wiki_links,
    };
    let text = foreign::rewrite_links(text);
    let mut body = markdown::render(&text, body_line, &doc.display_path(), &opts, memos);
    body.source = (
        *blake3::hash(doc.text.as_bytes()).as_bytes(),
        strip_first_h1,
    );
    body
}
