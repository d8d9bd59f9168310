//! Stage 2, **parse**: every markdown file into front matter and rendered body, in parallel.
//!
//! Each file is parsed on its own, with no knowledge of the others; everything that needs the
//! whole site (URLs, link targets, related reading) happens in later stages.

pub mod dates;
pub mod diagrams;
pub mod front_matter;
pub mod highlight;
pub mod markdown;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Document, DocumentKind};
use front_matter::FrontMatter;
use markdown::{MarkdownOptions, Rendered};
use rayon::prelude::*;
use std::path::PathBuf;

/// One markdown file, parsed.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Section, article or bundle.
    pub kind: DocumentKind,
    /// The front matter.
    pub front: FrontMatter,
    /// The rendered body.
    pub body: Rendered,
    /// Problems found in this file.
    pub diagnostics: Vec<Diagnostic>,
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

/// Parses one document.
pub fn parse_document(doc: &Document, config: &SiteConfig) -> ParsedDocument {
    let file = doc.display_path();
    let mut diagnostics = Vec::new();
    let (front, body, body_line) = match front_matter::split(&doc.text) {
        Ok(split) => {
            let front = match split.yaml {
                Some(yaml) => {
                    let (fm, d) = front_matter::parse(yaml, split.yaml_line, &file);
                    diagnostics.extend(d);
                    fm
                }
                None => FrontMatter::default(),
            };
            (front, split.body, split.body_line)
        }
        Err((message, line, hint)) => {
            diagnostics.push(
                Diagnostic::error(message)
                    .in_file(&file)
                    .at(line, 1)
                    .hint(hint),
            );
            (FrontMatter::default(), doc.text.as_str(), 1)
        }
    };
    let opts = MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        unsafe_html: config.markdown.unsafe_html,
        strip_first_h1: front.title.is_none(),
    };
    let front_matter_failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut body = markdown::render(body, body_line, &file, &opts);
    diagnostics.append(&mut body.diagnostics);
    ParsedDocument {
        rel: doc.rel.clone(),
        kind: doc.kind,
        front,
        body,
        diagnostics,
        front_matter_failed,
    }
}

/// Parses every document in parallel. Diagnostics are returned sorted by file.
pub fn parse_all(docs: &[Document], config: &SiteConfig) -> (Vec<ParsedDocument>, Diagnostics) {
    let mut parsed: Vec<ParsedDocument> =
        docs.par_iter().map(|d| parse_document(d, config)).collect();
    let mut diags = Diagnostics::new();
    let foreign = parsed
        .iter()
        .filter(|p| p.body.foreign_template_syntax)
        .count();
    for p in &mut parsed {
        diags.extend(std::mem::take(&mut p.diagnostics));
    }
    if foreign > 0 {
        diags.push(
            Diagnostic::warning(format!(
                "{foreign} file(s) contain template syntax from another generator (`{{{{< … >}}}}` or `{{% … %}}`); it is shown as text"
            ))
            .hint("replace shortcodes with markdown, HTML, or [[wiki links]]"),
        );
    }
    (parsed, diags)
}
