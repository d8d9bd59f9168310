//! Handing records to pagefind and taking its bundle back.
//!
//! Records are added one by one, in page order, so that pages get the same numbers, and the
//! bundle the same bytes, on every build: pagefind's folder reader numbers pages in the order
//! the file system lists them. Pagefind adds a page at a time on one thread; the parts of a
//! large library's index are what runs in parallel (see `parts`).

use super::{PageRecord, fail};
use crate::diagnostics::Diagnostic;
use pagefind::api::{PagefindIndex, SyntheticFile};
use pagefind::options::PagefindServiceConfig;

/// Pagefind's bundle for `records`, in `language`.
pub(super) fn index(
    records: &[&PageRecord],
    language: &str,
) -> Result<Vec<SyntheticFile>, Diagnostic> {
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
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| fail(&e))?;
    runtime.block_on(async {
        for r in records {
            // The path, relative, gives the URL from the site root (`a/b/index.html` → `/a/b/`).
            index
                .add_html_file(Some(r.path.clone()), None, r.html.to_string())
                .await
                .map_err(|e| fail(&format!("{}: {e}", r.path)))?;
        }
        index.get_files().await.map_err(|e| fail(&e))
    })
}
