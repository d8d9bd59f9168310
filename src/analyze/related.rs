//! Related reading: for every article, the articles most like it, across the library and
//! within its own collection.
//!
//! Similarity blends BM25 text relevance (title, description, answer and headings weigh more
//! than body text) with shared tags weighted by how rare the tag is. Each article's strongest
//! terms form a query against an inverted index, so the work grows with the postings each
//! query touches, never with the square of the library. Pins from front matter come first.

use super::LinkIndex;
use crate::config::RelatedConfig;
use crate::diagnostics::Diagnostic;
use crate::model::{PageId, Site};
use crate::parse::terms::for_each_term;
use rayon::prelude::*;
use std::collections::HashMap;

/// Both lists of one article, best first.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Across the whole library.
    pub library: Vec<PageId>,
    /// Within the article's own collection.
    pub collection: Vec<PageId>,
}

/// Terms a query keeps: the article's most distinctive ones.
const QUERY_TERMS: usize = 24;
/// BM25 saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Extra weight of terms in the parts of an article that say what it is about.
const TITLE_WEIGHT: u32 = 4;
const SUMMARY_WEIGHT: u32 = 2;
const HEADING_WEIGHT: u32 = 2;

/// Weighted term counts of one article, with term ids.
struct Doc {
    terms: Vec<(u32, f32)>,
    len: f32,
}

/// Computes related lists for every page. Pins that name no page are reported in `diags`.
pub fn related(
    site: &Site,
    index: &LinkIndex,
    config: &RelatedConfig,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Related> {
    let n = site.pages.len();
    if n == 0 {
        return Vec::new();
    }
    let docs = documents(site);
    let tags = page_tags(site);
    let candidate: Vec<bool> = site.pages.iter().map(|p| !p.front.draft).collect();

    // Inverted index: term -> (page, BM25 weight of the term in that page).
    let vocabulary = docs
        .iter()
        .flat_map(|d| d.terms.iter().map(|&(t, _)| t as usize + 1))
        .max()
        .unwrap_or(0);
    let mut df = vec![0u32; vocabulary];
    for d in &docs {
        for &(t, _) in &d.terms {
            df[t as usize] += 1;
        }
    }
    let avg_len = docs.iter().map(|d| d.len).sum::<f32>() / n as f32;
    let idf: Vec<f32> = df
        .iter()
        .map(|&f| ((n as f32 - f as f32 + 0.5) / (f as f32 + 0.5) + 1.0).ln())
        .collect();
    let mut postings: Vec<Vec<(u32, f32)>> =
        df.iter().map(|&f| Vec::with_capacity(f as usize)).collect();
    for (page, d) in docs.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * d.len / avg_len.max(1.0));
        for &(t, tf) in &d.terms {
            let w = idf[t as usize] * tf * (K1 + 1.0) / (tf + norm);
            postings[t as usize].push((page as u32, w));
        }
    }
    let tag_idf: Vec<f32> = tags
        .pages
        .iter()
        .map(|pages| (1.0 + n as f32 / pages.len().max(1) as f32).ln())
        .collect();

    let pins: Vec<Vec<PageId>> = site
        .pages
        .iter()
        .enumerate()
        .map(|(id, p)| {
            p.front
                .related
                .iter()
                .filter_map(|name| match index.page_named(name, &p.rel) {
                    Some(target) if target != id => Some(target),
                    Some(_) => None,
                    None => {
                        diags.push(
                            Diagnostic::warning(format!(
                                "`related:` names `{name}`, which is not an article"
                            ))
                            .in_file(format!("content/{}", p.rel))
                            .at_opt(p.front.line_of("related").map(|l| (l, 1)))
                            .hint("name an article by its slug, its title or its path"),
                        );
                        None
                    }
                })
                .collect()
        })
        .collect();

    (0..n)
        .into_par_iter()
        .map_init(
            || Scratch::new(n),
            |scratch, id| {
                let query = query_terms(&docs[id], &idf);
                for &(t, qw) in &query {
                    for &(page, w) in &postings[t as usize] {
                        scratch.add_content(page as usize, qw * w);
                    }
                }
                for &tag in &tags.of_page[id] {
                    for &page in &tags.pages[tag] {
                        scratch.add_tags(page, tag_idf[tag]);
                    }
                }
                let ranked = scratch.ranked(id, config, &candidate);
                let section = site.pages[id].section;
                let pick = |limit: usize, same_collection: bool| {
                    let mut list: Vec<PageId> = Vec::with_capacity(limit);
                    let fits = |p: PageId| {
                        p != id
                            && candidate[p]
                            && (!same_collection || site.pages[p].section == section)
                    };
                    let pinned = pins[id].iter().copied();
                    for p in pinned.chain(ranked.iter().copied()) {
                        if list.len() == limit {
                            break;
                        }
                        if fits(p) && !list.contains(&p) {
                            list.push(p);
                        }
                    }
                    if same_collection {
                        // A small collection still lists its other articles, newest first.
                        for &p in &site.sections[section].pages {
                            if list.len() == limit {
                                break;
                            }
                            if fits(p) && !list.contains(&p) {
                                list.push(p);
                            }
                        }
                    }
                    list
                };
                Related {
                    library: pick(config.count, false),
                    collection: pick(config.collection_count, true),
                }
            },
        )
        .collect()
}

/// The article's strongest terms by tf-idf, as (term, query weight).
fn query_terms(doc: &Doc, idf: &[f32]) -> Vec<(u32, f32)> {
    let mut q: Vec<(u32, f32)> = doc
        .terms
        .iter()
        .map(|&(t, tf)| (t, tf.sqrt() * idf[t as usize]))
        .collect();
    if q.len() > QUERY_TERMS {
        q.select_nth_unstable_by(QUERY_TERMS, |a, b| b.1.total_cmp(&a.1));
        q.truncate(QUERY_TERMS);
    }
    q
}

/// Score accumulators reused across the articles one thread handles.
struct Scratch {
    content: Vec<f32>,
    tags: Vec<f32>,
    touched: Vec<usize>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            content: vec![0.0; n],
            tags: vec![0.0; n],
            touched: Vec::new(),
        }
    }

    fn touch(&mut self, page: usize) {
        if self.content[page] == 0.0 && self.tags[page] == 0.0 {
            self.touched.push(page);
        }
    }

    fn add_content(&mut self, page: usize, score: f32) {
        self.touch(page);
        self.content[page] += score;
    }

    fn add_tags(&mut self, page: usize, score: f32) {
        self.touch(page);
        self.tags[page] += score;
    }

    /// Touched pages by blended score, best first; resets the accumulators.
    fn ranked(&mut self, this: PageId, config: &RelatedConfig, candidate: &[bool]) -> Vec<PageId> {
        let max = |v: &[f32], touched: &[usize]| {
            touched
                .iter()
                .filter(|&&p| p != this)
                .map(|&p| v[p])
                .fold(0.0f32, f32::max)
                .max(f32::EPSILON)
        };
        let max_content = max(&self.content, &self.touched);
        let max_tags = max(&self.tags, &self.touched);
        let mut scored: Vec<(f32, PageId)> = self
            .touched
            .iter()
            .filter(|&&p| p != this && candidate[p])
            .map(|&p| {
                let s = config.content_weight * self.content[p] / max_content
                    + config.tags_weight * self.tags[p] / max_tags;
                (s, p)
            })
            .collect();
        for &p in &self.touched {
            self.content[p] = 0.0;
            self.tags[p] = 0.0;
        }
        self.touched.clear();
        // Enough for both lists even when many top pages sit in other collections.
        let keep = (config.count + config.collection_count) * 8;
        let order = |a: &(f32, PageId), b: &(f32, PageId)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > keep {
            scored.select_nth_unstable_by(keep, order);
            scored.truncate(keep);
        }
        scored.sort_unstable_by(order);
        scored.into_iter().map(|(_, p)| p).collect()
    }
}

/// Every page's weighted terms, with ids assigned in one pass over the site.
fn documents(site: &Site) -> Vec<Doc> {
    let local: Vec<Vec<(String, u32)>> = site
        .pages
        .par_iter()
        .map(|p| {
            let mut counts: HashMap<String, u32> = HashMap::new();
            let mut add = |text: &str, weight: u32| {
                for_each_term(text, |t| {
                    *counts.entry(t.to_string()).or_default() += weight
                });
            };
            add(&p.title, TITLE_WEIGHT);
            if let Some(d) = &p.front.description {
                add(d, SUMMARY_WEIGHT);
            }
            if let Some(a) = &p.front.answer {
                add(a, SUMMARY_WEIGHT);
            }
            for h in &p.body.headings {
                add(&h.text, HEADING_WEIGHT);
            }
            let mut out: Vec<(String, u32)> = counts.into_iter().collect();
            for (t, c) in &p.body.terms {
                match out.iter_mut().find(|(o, _)| o.as_str() == &**t) {
                    Some((_, n)) => *n += c,
                    None => out.push((t.to_string(), *c)),
                }
            }
            out
        })
        .collect();
    let mut ids: HashMap<String, u32> = HashMap::new();
    local
        .into_iter()
        .map(|terms| {
            let len = terms.iter().map(|(_, c)| *c as f32).sum();
            let mut terms: Vec<(u32, f32)> = terms
                .into_iter()
                .map(|(t, c)| {
                    let next = ids.len() as u32;
                    (*ids.entry(t).or_insert(next), c as f32)
                })
                .collect();
            terms.sort_unstable_by_key(|&(t, _)| t);
            Doc { terms, len }
        })
        .collect()
}

/// Tags of every page, as ids into `pages` (the pages of each tag).
struct PageTags {
    of_page: Vec<Vec<usize>>,
    pages: Vec<Vec<PageId>>,
}

fn page_tags(site: &Site) -> PageTags {
    let mut of_page = vec![Vec::new(); site.pages.len()];
    let mut pages = Vec::new();
    if let Some(tax) = site.taxonomies.iter().find(|t| t.slug == "tags") {
        for (i, term) in tax.terms.iter().enumerate() {
            for &p in &term.pages {
                of_page[p].push(i);
            }
            pages.push(term.pages.clone());
        }
    }
    PageTags { of_page, pages }
}
