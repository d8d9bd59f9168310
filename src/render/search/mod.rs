//! Offline search: each page's search record (see [`record`]) is indexed with pagefind in this
//! process, and its index and script are written with the site, so search works from any
//! static host with no server code.
//!
//! Records are made from the model in parallel, or taken from the build cache when the page
//! did not change (see [`records`]). Pagefind's own API adds pages one at a time behind a
//! lock; only its folder reader parses in parallel, so the records are laid out as small files
//! in a temporary folder for it to read, which costs a few milliseconds on a RAM-backed disk.
//! The URLs indexed are the pages' paths from the site root: pagefind's script adds the base
//! path it finds its bundle under, so a site under a sub-path (`/kb/`) links to `/kb/…`.

mod feed;
mod record;
mod records;

use crate::analyze::Analysis;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{PageId, Site};
use crate::output::Output;
use crate::render::Bodies;
use rayon::prelude::*;
use record::Head;
pub(crate) use records::Records;
use std::sync::Arc;

/// The folder of the search bundle in the output.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

fn fail(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        Code::Search,
        format!("building the search index failed: {e}"),
    )
    .hint("build with --no-search (or `search: false` in site.yaml) to skip search")
}

/// A page's record, by the path of its file in the output (`a/b/index.html`).
#[derive(Clone)]
pub(crate) struct PageRecord {
    /// The page's file, relative to the output folder.
    pub path: String,
    /// What the record was made from (see [`record::Head::key`]).
    pub key: [u8; 32],
    /// The record's HTML.
    pub html: Arc<str>,
}

/// Everything a search bundle is made from, owned, so that it can be indexed on another
/// thread while the site goes on changing (`serve`).
#[derive(Clone)]
pub(crate) struct SearchInput {
    records: Vec<PageRecord>,
    language: String,
}

impl SearchInput {
    /// The records of `site`'s pages, made or reused (see [`page_records`]).
    pub(crate) fn of(
        site: &Site,
        analysis: &Analysis,
        bodies: &Bodies,
        known: &Records,
    ) -> Result<Self, Diagnostic> {
        Ok(Self {
            records: page_records(site, analysis, bodies, known)?,
            language: site.config.language.clone(),
        })
    }

    /// A hash of what the bundle would hold: equal digests give equal bundles.
    pub(crate) fn digest(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        h.update(self.language.as_bytes());
        for r in &self.records {
            h.update(&(r.path.len() as u64).to_le_bytes());
            h.update(r.path.as_bytes());
            h.update(&r.key);
        }
        *h.finalize().as_bytes()
    }

    /// The search bundle (see [`bundle`]).
    pub(crate) fn bundle(&self) -> Result<Vec<Output>, Diagnostic> {
        bundle(&self.records, &self.language)
    }
}

impl std::fmt::Debug for SearchInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchInput")
            .field("pages", &self.records.len())
            .finish_non_exhaustive()
    }
}

/// The records of every page of `site` that search lists, in page order: from `known` when
/// the page did not change since they were made, else made from its body (rendered again
/// when the model does not hold it), in parallel.
fn page_records(
    site: &Site,
    analysis: &Analysis,
    bodies: &Bodies,
    known: &Records,
) -> Result<Vec<PageRecord>, Diagnostic> {
    let ids: Vec<PageId> = site
        .page_ids()
        .filter(|&id| site.pages[id].redirect.is_none())
        .collect();
    ids.par_iter()
        .map(|&id| {
            let page = &site.pages[id];
            let links = &analysis.page_links[id];
            let head = Head::of(site, page);
            let key = head.key(&page.body.source.0, &links.titles);
            let html = match known.get(&key) {
                Some(html) => html,
                None => {
                    let body = bodies.html(Some(&page.rel), &page.body)?;
                    let body = crate::parse::placeholders::fill_placeholders(
                        &body,
                        &links.hrefs,
                        &links.titles,
                    );
                    let html: Arc<str> = record::record(&head, &body).into();
                    known.put(key, Arc::clone(&html));
                    html
                }
            };
            Ok(PageRecord {
                path: page.output_file(),
                key,
                html,
            })
        })
        .collect()
}

/// The search bundle of `records` for a site in `language` (an ISO 639-1 code, perhaps with a
/// region): pagefind's index, script and styles, as outputs under [`BUNDLE_DIR`].
fn bundle(records: &[PageRecord], language: &str) -> Result<Vec<Output>, Diagnostic> {
    let files = feed::index(records, language)?;
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

/// The search bundle of `site`: its pages' records, made or reused, indexed.
pub(crate) fn build(
    site: &Site,
    analysis: &Analysis,
    bodies: &Bodies,
    known: &Records,
) -> Result<Vec<Output>, Diagnostic> {
    SearchInput::of(site, analysis, bodies, known)?.bundle()
}
