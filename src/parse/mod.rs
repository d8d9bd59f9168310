//! Stage 2, **parse**: every markdown file into front matter and rendered body, in parallel.
//!
//! Each file is parsed on its own, with no knowledge of the others; everything that needs the
//! whole site (URLs, link targets, related reading) happens in later stages.

pub(crate) mod dates;
pub mod diagrams;
pub(crate) mod foreign;
pub mod front_matter;
pub(crate) mod highlight;
pub mod markdown;
pub(crate) mod placeholders;
pub(crate) mod terms;

use crate::cache::Memos;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{Document, DocumentKind};
use front_matter::FrontMatter;
use markdown::{Body, MarkdownOptions};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// One markdown file, parsed.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Section, article or bundle.
    pub kind: DocumentKind,
    /// The front matter.
    pub front: FrontMatter,
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
    let (front, body, body_line) = match front_matter::split(&doc.text) {
        Ok(split) => {
            let front = match &split.front {
                Some(block) => front_matter::parse(block, &file, &mut diagnostics),
                None => FrontMatter::default(),
            };
            (front, split.body, split.body_line)
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(Code::FrontMatter, e.message)
                    .in_file(&file)
                    .at(e.line, 1)
                    .hint(e.hint),
            );
            (FrontMatter::default(), doc.text.as_str(), 1)
        }
    };
    let opts = MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        unsafe_html: config.markdown.unsafe_html,
        strip_first_h1: front.title.is_none(),
        wiki_links: config.markdown.wiki_links,
    };
    let front_matter_failed = diagnostics.has_errors();
    let body = foreign::rewrite_links(body);
    let mut body = markdown::render(&body, body_line, &file, &opts, memos);
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
    ParsedDocument {
        rel: doc.rel.clone(),
        kind: doc.kind,
        front,
        body: Arc::new(body),
        diagnostics,
        front_matter_failed,
    }
}

/// Parsed documents kept between builds of one session (`serve`), keyed by path and checked
/// against a hash of the text and the options, so only changed files are parsed again.
#[derive(Debug, Default)]
pub(crate) struct ParseCache {
    entries: HashMap<String, (blake3::Hash, Arc<ParsedDocument>)>,
}

fn cache_key(doc: &Document, config: &SiteConfig) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(doc.text.as_bytes());
    h.update(&[
        config.markdown.smart_punctuation as u8,
        config.markdown.unsafe_html as u8,
        config.markdown.wiki_links as u8,
    ]);
    h.finalize()
}

impl ParseCache {
    /// Records `parsed` as the parse of `doc`, so the next [`parse_all`] reuses it.
    pub(crate) fn remember(
        &mut self,
        doc: &Document,
        config: &SiteConfig,
        parsed: Arc<ParsedDocument>,
    ) {
        self.entries
            .insert(doc.rel.clone(), (cache_key(doc, config), parsed));
    }
}

/// Parses every document in parallel, reusing what `cache` holds for unchanged files (and
/// `memos`, for the diagrams and code of changed ones).
pub(crate) fn parse_all(
    docs: &[Document],
    config: &SiteConfig,
    cache: &mut ParseCache,
    memos: &Memos,
) -> (Vec<Arc<ParsedDocument>>, Diagnostics) {
    let parsed: Vec<(blake3::Hash, Arc<ParsedDocument>)> = docs
        .par_iter()
        .map(|d| {
            let key = cache_key(d, config);
            match cache.entries.get(&d.rel) {
                Some((k, p)) if *k == key => (key, Arc::clone(p)),
                _ => (key, Arc::new(parse_document(d, config, memos))),
            }
        })
        .collect();
    cache.entries = docs
        .iter()
        .zip(&parsed)
        .map(|(d, (k, p))| (d.rel.clone(), (*k, Arc::clone(p))))
        .collect();
    let parsed: Vec<Arc<ParsedDocument>> = parsed.into_iter().map(|(_, p)| p).collect();
    let mut diags = Diagnostics::new();
    for p in &parsed {
        diags.extend(p.diagnostics.iter().cloned());
    }
    (parsed, diags)
}
