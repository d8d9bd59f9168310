//! Taxonomies: `tags` and any other list key named in `site.yaml`.
//!
//! Terms are merged by slug, so "Social Media" and "social-media" are one term, shown with the
//! spelling most articles use.

use super::{Page, PageId, urlize as slugify};
use crate::config::{BaseUrl, SiteConfig};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One taxonomy (`tags`, `topics`, …) and its terms.
#[derive(Debug, Clone, Serialize)]
pub struct Taxonomy {
    /// The front-matter key, e.g. `tags`.
    pub name: String,
    /// URL segment, e.g. `tags`.
    pub slug: String,
    /// Terms, alphabetically by slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    /// Display name: the most common spelling.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Output path relative to the site root (`tags/pipeline/`).
    pub path: String,
    /// Site-absolute URL.
    pub url: String,
    /// Articles carrying it, newest first.
    pub pages: Vec<PageId>,
}

impl Taxonomy {
    /// The term with slug `slug`.
    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.terms[i])
    }
}

/// One term as gathered: each spelling with how many pages use it, and the pages.
type Gathered = (HashMap<String, usize>, Vec<PageId>);

/// Gathers every configured taxonomy from the pages.
pub(super) fn collect(config: &SiteConfig, base: &BaseUrl, pages: &[Page]) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|name| {
            let slug = slugify(name);
            // Each page's terms are read and slugged in parallel, then gathered in page order.
            let of_pages: Vec<Vec<(String, String)>> = pages
                .par_iter()
                .map(|page| {
                    let mut found: Vec<(String, String)> = Vec::new();
                    if page.is_article() {
                        for value in page.front.list(name) {
                            let term_slug = slugify(&value);
                            if !found.iter().any(|(s, _)| *s == term_slug) {
                                found.push((term_slug, value));
                            }
                        }
                    }
                    found
                })
                .collect();
            let mut terms: BTreeMap<String, Gathered> = BTreeMap::new();
            for (i, found) in of_pages.into_iter().enumerate() {
                for (term_slug, value) in found {
                    let entry = terms.entry(term_slug).or_default();
                    *entry.0.entry(value).or_default() += 1;
                    entry.1.push(PageId(i));
                }
            }
            let terms: Vec<(String, Gathered)> = terms.into_iter().collect();
            let terms = terms
                .into_par_iter()
                .map(|(term_slug, (spellings, mut ids))| {
                    let name = spellings
                        .into_iter()
                        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                        .map(|(s, _)| s)
                        .unwrap_or_else(|| term_slug.clone());
                    ids.sort_by(|&a, &b| {
                        (std::cmp::Reverse(pages[a].front.date), &pages[a].title)
                            .cmp(&(std::cmp::Reverse(pages[b].front.date), &pages[b].title))
                    });
                    let path = format!("{slug}/{term_slug}/");
                    Term {
                        name,
                        url: base.path_to(&path),
                        path,
                        slug: term_slug,
                        pages: ids,
                    }
                })
                .collect();
            Taxonomy {
                name: name.clone(),
                slug,
                terms,
            }
        })
        .collect()
}
