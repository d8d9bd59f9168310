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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    ParsedDocument {
        rel: doc.rel.clone(),
        kind: doc.kind,
        front,
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

/// Parsed documents kept between builds: in memory for a session (`serve`), and in the build
/// cache between runs. Each is keyed by its path, its text, the options that change a parse and
/// this build of stacks, so only files that changed are parsed again.
#[derive(Debug, Default)]
pub(crate) struct ParseCache {
    entries: HashMap<String, (blake3::Hash, Arc<ParsedDocument>)>,
    /// Parses read from the build cache, not yet decoded: a file whose text changed never
    /// pays for decoding its old parse.
    stored: HashMap<[u8; 32], Vec<u8>>,
    /// Whether `entries` hold parses the build cache does not.
    unsaved: bool,
}

/// The file of the build cache that holds parsed documents.
const STORE: &str = "parsed.bin";

fn cache_key(doc: &Document, config: &SiteConfig) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for part in [crate::cache::BUILD_ID.as_bytes(), doc.rel.as_bytes()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(&[
        config.markdown.smart_punctuation as u8,
        config.markdown.unsafe_html as u8,
        config.markdown.wiki_links as u8,
    ]);
    h.update(doc.text.as_bytes());
    h.finalize()
}

impl ParseCache {
    /// The parses an earlier build kept in the build cache under `root`.
    pub(crate) fn restore(root: &std::path::Path) -> Self {
        Self {
            stored: crate::cache::read_store(root, STORE).into_iter().collect(),
            ..Self::default()
        }
    }

    /// Writes the parses of the last [`parse_all`] to the build cache, when it lacks any.
    pub(crate) fn persist(&self, root: &std::path::Path) -> std::io::Result<()> {
        if !self.unsaved {
            return Ok(());
        }
        let encoded: Vec<([u8; 32], Vec<u8>)> = self
            .entries
            .par_iter()
            .filter_map(|(_, (key, doc))| Some((*key.as_bytes(), serde_json::to_vec(&**doc).ok()?)))
            .collect();
        crate::cache::write_store(
            root,
            STORE,
            encoded.iter().map(|(k, bytes)| (*k, bytes.as_slice())),
        )
    }

    /// The parse of `doc` under `key` if this cache holds it.
    fn find(&self, doc: &Document, key: &blake3::Hash) -> Option<Arc<ParsedDocument>> {
        match self.entries.get(&doc.rel) {
            Some((k, p)) if k == key => Some(Arc::clone(p)),
            _ => {
                let bytes = self.stored.get(key.as_bytes())?;
                serde_json::from_slice(bytes).ok().map(Arc::new)
            }
        }
    }

    /// Records `parsed` as the parse of `doc`, so the next [`parse_all`] reuses it.
    pub(crate) fn remember(
        &mut self,
        doc: &Document,
        config: &SiteConfig,
        parsed: Arc<ParsedDocument>,
    ) {
        self.entries
            .insert(doc.rel.clone(), (cache_key(doc, config), parsed));
        self.unsaved = true;
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
    let parsed: Vec<(blake3::Hash, Arc<ParsedDocument>, bool)> = docs
        .par_iter()
        .map(|d| {
            let key = cache_key(d, config);
            match cache.find(d, &key) {
                Some(p) => (key, p, false),
                None => (key, Arc::new(parse_document(d, config, memos)), true),
            }
        })
        .collect();
    let fresh = parsed.iter().any(|(_, _, fresh)| *fresh);
    let dropped = cache.stored.len() > docs.len() || cache.entries.len() > docs.len();
    cache.unsaved |= fresh || dropped || cache.stored.is_empty() && cache.entries.is_empty();
    cache.stored = HashMap::new();
    cache.entries = docs
        .iter()
        .zip(&parsed)
        .map(|(d, (k, p, _))| (d.rel.clone(), (*k, Arc::clone(p))))
        .collect();
    let parsed: Vec<Arc<ParsedDocument>> = parsed.into_iter().map(|(_, p, _)| p).collect();
    let mut diags = Diagnostics::new();
    for p in &parsed {
        diags.extend(p.diagnostics.iter().cloned());
    }
    (parsed, diags)
}
