//! Stage 4, **analyze**: what needs the whole site at once.
//!
//! That is link resolution (every internal link and image to its final URL, with a warning
//! naming file, line and the closest existing target when it resolves to nothing), backlinks
//! (who links to each article) and related reading. The editorial checks of the audit read
//! their links, backlinks and broken links from here.

mod links;
mod related;
mod suggest;
mod table;

pub(crate) use links::ResolvedLinks;
pub use links::{LinkIndex, Target, is_template};
pub(crate) use related::RelatedRecord;
pub(crate) use related::{Related, RelatedIndex};
pub(crate) use table::LinkTable;

use crate::diagnostics::Diagnostics;
use crate::model::{PageId, PerPage, PerSection, Site};
use std::sync::Arc;

/// Everything computed across pages.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Resolved links of each page, by [`PageId`].
    pub page_links: PerPage<ResolvedLinks>,
    /// Resolved links of each section's own text, by section id.
    pub section_links: PerSection<ResolvedLinks>,
    /// For each page, the pages that link to it, by title.
    pub backlinks: PerPage<Vec<PageId>>,
    /// For each page, its related reading.
    pub related: PerPage<Related>,
    /// What related reading was computed from, kept for [`refresh`] when asked for.
    pub related_index: Option<Arc<RelatedIndex>>,
    /// How links were resolved, kept for [`refresh`] when asked for.
    pub link_table: Option<Arc<LinkTable>>,
    /// What the related lists were computed from (see [`RelatedIndex::digest`]).
    pub related_digest: [u8; 32],
}

/// Analyzes the site, taking the related lists of `earlier` when they were computed from the
/// same. With `keep_indexes`, what [`refresh`] needs is kept (a build that analyses once lets
/// go of it: a few hundred megabytes at 100,000 pages). Warnings (and errors, in strict modes)
/// are added to `diags`.
pub(crate) fn analyze(
    site: &Site,
    earlier: Option<&RelatedRecord>,
    keep_indexes: bool,
    diags: &mut Diagnostics,
) -> Analysis {
    // Links and the terms of related reading are independent, and the link table is built on
    // one thread: side by side.
    let ((index, (page_links, section_links), found), terms) = rayon::join(
        || {
            let index = LinkIndex::new(site);
            let mut found = Diagnostics::new();
            let resolved = index.resolve_all(site, &mut found);
            (index, resolved, found)
        },
        || related::Terms::gather(site),
    );
    diags.append(found.into_errors_if(site.config.links.strict));
    let backlinks = backlinks(site, &page_links);
    let related_index = RelatedIndex::new(site, terms, &index, &site.config.related, diags);
    let related_digest = related_index.digest(site);
    let related = related_index.all_or(site, &related_digest, earlier);
    Analysis {
        page_links,
        section_links,
        backlinks,
        related,
        related_index: keep_indexes.then(|| Arc::new(related_index)),
        link_table: keep_indexes.then(|| index.table()),
        related_digest,
    }
}

/// Brings `analysis` up to date after the text of `changed` pages was edited in place, with
/// their URLs, titles, tags and outgoing links as they were. Their own links are resolved again,
/// and so are the links of the pages linking to them (an anchor may have come or gone); their
/// own related lists are recomputed against the library as indexed. Warnings about these pages
/// go to `diags`. Needs the indexes [`analyze`] was asked to keep; without them, links are
/// resolved afresh and the related lists stay as they were.
pub(crate) fn refresh(
    site: &Site,
    analysis: &mut Analysis,
    changed: &[PageId],
    diags: &mut Diagnostics,
) {
    let index = match &analysis.link_table {
        Some(table) => LinkIndex::with_table(site, Arc::clone(table)),
        None => LinkIndex::new(site),
    };
    let mut touched: Vec<PageId> = changed.to_vec();
    for &id in changed {
        touched.extend(analysis.backlinks[id].iter().copied());
    }
    touched.sort_unstable();
    touched.dedup();
    for id in touched {
        let p = &site.pages[id];
        let mut found = Diagnostics::new();
        analysis.page_links[id] = index.resolve(
            &p.rel,
            Target::Page(id),
            &p.body.links,
            &p.file(),
            &mut found,
        );
        diags.append(found.into_errors_if(site.config.links.strict));
    }
    if let Some(related_index) = &analysis.related_index {
        for &id in changed {
            analysis.related[id] = related_index.refreshed(site, id);
        }
    }
}

/// Computes related reading again for the whole library after the text of `edited` articles
/// changed in place (see [`refresh`]), and returns the articles whose lists changed; `None`,
/// with `analysis` as it was, when `stop` says so before the work is done.
pub(crate) fn settle_related(
    site: &Site,
    analysis: &mut Analysis,
    edited: &[PageId],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<PageId>> {
    let related_index = match &analysis.related_index {
        Some(index) => index.updated(site, edited),
        None => return Some(Vec::new()),
    };
    let related = related_index.all(site, stop)?;
    let moved = related
        .iter()
        .filter(|&(id, new)| *new != analysis.related[id])
        .map(|(id, _)| id)
        .collect();
    analysis.related = related;
    analysis.related_index = Some(Arc::new(related_index));
    Some(moved)
}

fn backlinks(site: &Site, links: &PerPage<ResolvedLinks>) -> PerPage<Vec<PageId>> {
    let mut back: PerPage<Vec<PageId>> = site.page_ids().map(|_| Vec::new()).collect();
    for (from, resolved) in links.iter() {
        for target in resolved.targets.iter().flatten() {
            if let Target::Page(to) = *target
                && to != from
            {
                back[to].push(from);
            }
        }
    }
    for id in site.page_ids() {
        let list = &mut back[id];
        list.sort_unstable();
        list.dedup();
        list.sort_by(|&a, &b| site.pages[a].title.cmp(&site.pages[b].title));
    }
    back
}
