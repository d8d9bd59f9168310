//! Stage 4, **analyze**: what needs the whole site at once.
//!
//! That is link resolution (every internal link and image to its final URL, with a warning
//! naming file, line and the closest existing target when it resolves to nothing), backlinks
//! (who links to each article) and related reading. The editorial checks of the audit read
//! their links, backlinks and broken links from here.

mod links;
mod related;

pub use links::{LinkIndex, ResolvedLinks, Target};
pub use related::Related;

use crate::diagnostics::Diagnostics;
use crate::model::{PageId, Site};

/// Everything computed across pages.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Resolved links of each page, by [`PageId`].
    pub page_links: Vec<ResolvedLinks>,
    /// Resolved links of each section's own text, by section id.
    pub section_links: Vec<ResolvedLinks>,
    /// For each page, the pages that link to it, by title.
    pub backlinks: Vec<Vec<PageId>>,
    /// For each page, its related reading.
    pub related: Vec<Related>,
}

/// Analyzes the site. Warnings (and errors, in strict modes) are added to `diags`.
pub fn analyze(site: &Site, diags: &mut Diagnostics) -> Analysis {
    let index = LinkIndex::new(site);
    let (page_links, section_links, found) = index.resolve_all(site);
    let strict = site.config.links.strict;
    diags.extend(
        found
            .into_iter()
            .map(|d| if strict { d.into_error() } else { d }),
    );
    let backlinks = backlinks(site, &page_links);
    let mut found = Vec::new();
    let related = related::related(site, &index, &site.config.related, &mut found);
    diags.extend(found);
    Analysis {
        page_links,
        section_links,
        backlinks,
        related,
    }
}

fn backlinks(site: &Site, links: &[ResolvedLinks]) -> Vec<Vec<PageId>> {
    let mut back: Vec<Vec<PageId>> = vec![Vec::new(); site.pages.len()];
    for (from, resolved) in links.iter().enumerate() {
        for target in resolved.targets.iter().flatten() {
            if let Target::Page(to) = *target
                && to != from
            {
                back[to].push(from);
            }
        }
    }
    for list in &mut back {
        list.sort_unstable();
        list.dedup();
        list.sort_by(|&a, &b| site.pages[a].title.cmp(&site.pages[b].title));
    }
    back
}
