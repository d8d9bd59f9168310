//! Offline search: the rendered article pages are indexed with pagefind in this process, and
//! its index and script are written with the site, so search works from any static host with no
//! server code.
//!
//! The theme marks what is indexed: `data-pagefind-body` on the article (title, tags, answer
//! and body), `data-pagefind-ignore` on navigation and lists of other pages, and
//! `data-pagefind-meta="library:…"` for the library shown in results.

use super::{Content, Output};
use crate::diagnostics::{Code, Diagnostic};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// The folder of the search bundle in the output.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

fn fail(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Search,
        format!("building the search index failed: {e}"),
    )
    .hint("build with --no-search (or `search: false` in site.yaml) to skip search")
}

/// A search index being built: pages are added as they are rendered, and the bundle is made
/// once all are in.
pub(crate) struct Indexer {
    runtime: tokio::runtime::Runtime,
    index: PagefindIndex,
    base_path: String,
}

impl Indexer {
    /// An empty index for a site at URL path `base_path` (`/` or `/kb/`) in `language`, an ISO
    /// 639-1 code.
    pub(crate) fn new(base_path: &str, language: &str) -> Result<Self, Diagnostic> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| fail(&e))?;
        let language = language
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_lowercase();
        let config = PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let index = PagefindIndex::new(Some(config)).map_err(|e| fail(&e))?;
        Ok(Self {
            runtime,
            index,
            base_path: base_path.to_string(),
        })
    }

    /// Adds the pages among `outputs` that the theme marked for search.
    pub(crate) fn add(&mut self, outputs: &[Output]) -> Result<(), Diagnostic> {
        let Self {
            runtime,
            index,
            base_path,
        } = self;
        runtime.block_on(async {
            for o in outputs {
                let Content::Bytes(bytes) = &o.content else {
                    continue;
                };
                if !o.path.ends_with(".html") || !contains(bytes, b"data-pagefind-body") {
                    continue;
                }
                let dir = o.path.strip_suffix("index.html").unwrap_or(&o.path);
                let url = format!("{base_path}{dir}");
                let html = String::from_utf8_lossy(bytes).into_owned();
                index
                    .add_html_file(None, Some(url), html)
                    .await
                    .map_err(|e| fail(&e))?;
            }
            Ok(())
        })
    }

    /// The bundle's files.
    pub(crate) fn finish(mut self) -> Result<Vec<Output>, Diagnostic> {
        let files = self
            .runtime
            .block_on(self.index.get_files())
            .map_err(|e| fail(&e))?;
        Ok(files
            .into_iter()
            .map(|f| {
                let path = format!(
                    "{BUNDLE_DIR}/{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                );
                Output::bytes(path, f.contents)
            })
            .collect())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
