//! The HTML of a body when its page is rendered.
//!
//! A body parsed in this run holds its HTML. One read back from the build cache holds only what
//! other pages need of it (headings, links, terms, counts), so its HTML is rendered again from
//! its file, with the diagrams and code the session's memos already hold. The file is checked
//! against the hash its body was made from: a file saved again while the site was being built
//! is an error, never a page that mixes two versions.

use crate::cache::Memos;
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::{self, Document};
use crate::parse::markdown::Body;
use std::borrow::Cow;
use std::path::Path;

/// Renders bodies again where they are not held.
pub(crate) struct Bodies<'a> {
    content_dir: &'a Path,
    config: &'a SiteConfig,
    memos: &'a Memos,
}

impl<'a> Bodies<'a> {
    /// Bodies of files under `content_dir`, rendered with `config`'s options.
    pub(crate) fn new(content_dir: &'a Path, config: &'a SiteConfig, memos: &'a Memos) -> Self {
        Self {
            content_dir,
            config,
            memos,
        }
    }

    /// The HTML (with link placeholders) of `body`, the body of the file `rel` under
    /// `content/`; `None` for a section without a file of its own.
    pub(crate) fn html<'b>(
        &self,
        rel: Option<&str>,
        body: &'b Body,
    ) -> Result<Cow<'b, str>, Diagnostic> {
        let Some(rel) = rel.filter(|_| !body.html_held) else {
            return Ok(Cow::Borrowed(&body.html));
        };
        let doc = load::read_document(rel, &self.content_dir.join(rel))?;
        let (hash, strip_first_h1) = body.source;
        if *blake3::hash(doc.text.as_bytes()).as_bytes() != hash {
            return Err(changed(&doc));
        }
        let again = crate::parse::render_body(&doc, self.config, self.memos, strip_first_h1);
        Ok(Cow::Owned(again.html))
    }
}

fn changed(doc: &Document) -> Diagnostic {
    Diagnostic::error(
        Code::Unreadable,
        "the file changed while the site was being built",
    )
    .in_file(doc.display_path())
    .hint("build again; the site was left as it was")
}
