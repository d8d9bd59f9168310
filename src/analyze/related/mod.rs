//! Related reading: for every article, the articles most like it, across the library and
//! within its own collection.
//!
//! Similarity blends BM25 text relevance (title, description, answer and headings weigh more
//! than body text) with shared tags weighted by how rare the tag is. Each article's strongest
//! terms form a query against an inverted index, so the work grows with the postings each
//! query touches, never with the square of the library. Pins from front matter come first.

use super::LinkIndex;
use crate::config::RelatedConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{PageId, PerPage, Site};
use rayon::prelude::*;

mod record;
mod terms;

pub(crate) use record::RelatedRecord;
pub(super) use terms::Terms;
use terms::{Vocabulary, page_terms};

/// Both lists of one article, best first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Related {
    /// Across the whole library.
    pub library: Vec<PageId>,
    /// Within the article's own collection.
    pub collection: Vec<PageId>,
}

/// Terms a query keeps: the article's most distinctive ones.
const QUERY_TERMS: usize = 24;
/// Postings a query scans per term: the term's strongest pages. A word every tenth article
/// uses would otherwise make each query's work grow with the library, and the whole
/// computation with its square; pages that use it weakly would not rank anyway. Tags on more
/// pages than this count only for pages the text found.
const MAX_POSTINGS: usize = 128;
/// BM25 saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Weighted term counts of one article, with term ids.
#[derive(Debug, Clone)]
struct Doc {
    terms: Vec<(u32, f32)>,
    len: f32,
}

/// What related reading is computed from: every article's weighted terms in an inverted index,
/// tags by rarity, and pins. Built once per full build and kept, so that `serve` can answer for
/// one edited article without indexing the library again.
#[derive(Debug, Default)]
pub struct RelatedIndex {
    config: RelatedConfig,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
    /// Term id to (page, BM25 weight of the term in that page).
    postings: Vec<Vec<(u32, f32)>>,
    docs: PerPage<Doc>,
    tags: PageTags,
    tag_idf: Vec<f32>,
    pins: PerPage<Vec<PageId>>,
    /// Whether a page may be suggested (drafts may not).
    candidate: PerPage<bool>,
}

impl RelatedIndex {
    /// Indexes every page of `site`, from its `terms`. Pins that name no page are reported in
    /// `diags`.
    pub fn new(
        site: &Site,
        terms: Terms,
        index: &LinkIndex,
        config: &RelatedConfig,
        diags: &mut Diagnostics,
    ) -> Self {
        let Terms { vocabulary, docs } = terms;
        let pins = site
            .page_ids()
            .map(|id| pins(index, id, &site.pages[id], diags))
            .collect();
        Self::from_docs(site, config.clone(), vocabulary, docs, pins)
    }

    /// The index after the text of `changed` pages was edited in place: their terms are read
    /// again, every other page's are reused, and term rarity and lengths are computed afresh,
    /// so the result is the index a full build would make.
    pub fn updated(&self, site: &Site, changed: &[PageId]) -> Self {
        let mut vocabulary = self.vocabulary.clone();
        let mut docs = self.docs.clone();
        for &id in changed {
            docs[id] = vocabulary.doc(page_terms(&site.pages[id]));
        }
        Self::from_docs(
            site,
            self.config.clone(),
            vocabulary,
            docs,
            self.pins.clone(),
        )
    }

    fn from_docs(
        site: &Site,
        config: RelatedConfig,
        vocabulary: Vocabulary,
        docs: PerPage<Doc>,
        pins: PerPage<Vec<PageId>>,
    ) -> Self {
        let n = site.pages.len();
        let mut df = vec![0u32; vocabulary.names.len()];
        for d in docs.values() {
            for &(t, _) in &d.terms {
                df[t as usize] += 1;
            }
        }
        let avg_len = docs.values().iter().map(|d| d.len).sum::<f32>() / n.max(1) as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&f| ((n as f32 - f as f32 + 0.5) / (f as f32 + 0.5) + 1.0).ln())
            .collect();
        let mut postings: Vec<Vec<(u32, f32)>> =
            df.iter().map(|&f| Vec::with_capacity(f as usize)).collect();
        for (page, d) in docs.iter() {
            let norm = K1 * (1.0 - B + B * d.len / avg_len.max(1.0));
            for &(t, tf) in &d.terms {
                let w = idf[t as usize] * tf * (K1 + 1.0) / (tf + norm);
                postings[t as usize].push((page.0 as u32, w));
            }
        }
        postings.par_iter_mut().for_each(|list| {
            if list.len() > MAX_POSTINGS {
                let strongest =
                    |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                list.select_nth_unstable_by(MAX_POSTINGS, strongest);
                list.truncate(MAX_POSTINGS);
                list.sort_unstable_by_key(|&(page, _)| page);
                list.shrink_to_fit();
            }
        });
        let tags = page_tags(site);
        let tag_idf = tags
            .pages
            .iter()
            .map(|pages| (1.0 + n as f32 / pages.len().max(1) as f32).ln())
            .collect();
        Self {
            config,
            vocabulary,
            idf,
            postings,
            docs,
            tags,
            tag_idf,
            pins,
            candidate: site
                .pages
                .iter()
                .map(|p| !p.front.draft && p.is_article())
                .collect(),
        }
    }

    /// Related lists for every page, in parallel; `None` as soon as `stop` says so.
    pub fn all(&self, site: &Site, stop: &(dyn Fn() -> bool + Sync)) -> Option<PerPage<Related>> {
        let n = site.pages.len();
        let lists: Option<Vec<Related>> = (0..n)
            .into_par_iter()
            .map_init(
                || Scratch::new(n),
                |scratch, i| {
                    let id = PageId(i);
                    (!stop()).then(|| self.lists(site, id, &self.docs[id], scratch))
                },
            )
            .collect();
        lists.map(PerPage::new)
    }

    /// Related lists for page `id` whose text has changed since the index was built: its new
    /// terms are matched against every other page as indexed. Terms no other page has cannot
    /// add to any score, so they are simply left out.
    pub fn refreshed(&self, site: &Site, id: PageId) -> Related {
        let mut doc = Doc {
            terms: Vec::new(),
            len: 0.0,
        };
        for (t, c) in page_terms(&site.pages[id]) {
            doc.len += c as f32;
            if let Some(&t) = self.vocabulary.ids.get(&*t) {
                doc.terms.push((t, c as f32));
            }
        }
        self.lists(site, id, &doc, &mut Scratch::new(site.pages.len()))
    }

    fn lists(&self, site: &Site, id: PageId, doc: &Doc, scratch: &mut Scratch) -> Related {
        if !site.pages[id].is_article() {
            // Standalone pages list no reading, as they are listed in none.
            return Related::default();
        }
        let config = &self.config;
        let candidate = &self.candidate;
        for (t, qw) in query_terms(doc, &self.idf, &self.vocabulary.names) {
            for &(page, w) in &self.postings[t as usize] {
                scratch.add_content(page as usize, qw * w);
            }
        }
        // A tag on more pages than a term's postings only adds to pages found otherwise, so
        // that it cannot make every query touch a share of the library.
        let tags = &self.tags.of_page[id];
        let is_common = |tag: usize| self.tags.pages[tag].len() > MAX_POSTINGS;
        let (rare, common): (Vec<usize>, Vec<usize>) = tags.iter().partition(|&&t| !is_common(t));
        for tag in rare {
            for &page in &self.tags.pages[tag] {
                scratch.add_tags(page.0, self.tag_idf[tag]);
            }
        }
        // Each common tag adds to the pages found that carry it, found from whichever side is
        // smaller, so that the work stays bounded by what the query found as a tag grows with
        // the library. Tags are taken in order either way, so every page's score adds up in
        // the same order.
        for tag in common {
            let pages = &self.tags.pages[tag];
            if pages.len() <= scratch.touched.len() {
                for &page in pages {
                    if scratch.is_touched(page.0) {
                        scratch.add_tags(page.0, self.tag_idf[tag]);
                    }
                }
            } else {
                // Adding to a page found touches no new one: the list is lent out meanwhile.
                let found = std::mem::take(&mut scratch.touched);
                for &page in &found {
                    if self.tags.of_page[PageId(page)].contains(&tag) {
                        scratch.add_tags(page, self.tag_idf[tag]);
                    }
                }
                scratch.touched = found;
            }
        }
        let ranked = scratch.ranked(id, config, candidate);
        let section = site.pages[id].section;
        let pick = |limit: usize, same_collection: bool| {
            let mut list: Vec<PageId> = Vec::with_capacity(limit);
            // "More from this collection" shows the collection; the library list shows the
            // rest of the library, so no article is offered twice under one article.
            let fits = |p: PageId| {
                p != id && candidate[p] && (site.pages[p].section == section) == same_collection
            };
            let pinned = self.pins[id].iter().copied();
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
    }
}

/// The pages `related:` names, reporting names that match no article.
fn pins(
    index: &LinkIndex,
    id: PageId,
    p: &crate::model::Page,
    diags: &mut Diagnostics,
) -> Vec<PageId> {
    p.front
        .related
        .iter()
        .filter_map(|name| match index.page_named(name, &p.rel) {
            Some(target) if target != id => Some(target),
            Some(_) => None,
            None => {
                diags.push(
                    Diagnostic::warning(
                        Code::Related,
                        format!("`related:` names `{name}`, which is not an article"),
                    )
                    .in_file(format!("content/{}", p.rel))
                    .at_opt(p.front.line_of("related").map(|l| (l, 1)))
                    .hint("name an article by its slug, its title or its path"),
                );
                None
            }
        })
        .collect()
}

/// The article's strongest terms by tf-idf, as (term, query weight), strongest first and equal
/// weights by term text: scores then add up in the same order whatever ids terms were given,
/// so the same library always gives the same lists.
fn query_terms(doc: &Doc, idf: &[f32], names: &[Box<str>]) -> Vec<(u32, f32)> {
    let mut q: Vec<(u32, f32)> = doc
        .terms
        .iter()
        .map(|&(t, tf)| (t, tf.sqrt() * idf[t as usize]))
        .collect();
    let order = |a: &(u32, f32), b: &(u32, f32)| {
        b.1.total_cmp(&a.1)
            .then_with(|| names[a.0 as usize].cmp(&names[b.0 as usize]))
    };
    if q.len() > QUERY_TERMS {
        q.select_nth_unstable_by(QUERY_TERMS, order);
        q.truncate(QUERY_TERMS);
    }
    q.sort_unstable_by(order);
    q
}

/// Score accumulators reused across the articles one thread handles.
struct Scratch {
    /// Text and tag score of each page, side by side: a query adds to pages all over the
    /// library, and each add then touches one place in memory.
    scores: Vec<(f32, f32)>,
    touched: Vec<usize>,
    /// The pages found with their blended score, room kept from one query to the next.
    scored: Vec<(f32, PageId)>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            scores: vec![(0.0, 0.0); n],
            touched: Vec::new(),
            scored: Vec::new(),
        }
    }

    fn is_touched(&self, page: usize) -> bool {
        self.scores[page] != (0.0, 0.0)
    }

    /// The scores of `page`, noted as found.
    fn found(&mut self, page: usize) -> &mut (f32, f32) {
        if !self.is_touched(page) {
            self.touched.push(page);
        }
        &mut self.scores[page]
    }

    fn add_content(&mut self, page: usize, score: f32) {
        self.found(page).0 += score;
    }

    fn add_tags(&mut self, page: usize, score: f32) {
        self.found(page).1 += score;
    }

    /// Touched pages by blended score, best first; resets the accumulators.
    fn ranked(
        &mut self,
        this: PageId,
        config: &RelatedConfig,
        candidate: &PerPage<bool>,
    ) -> Vec<PageId> {
        let this = this.0;
        let (mut max_content, mut max_tags) = (0.0f32, 0.0f32);
        for &p in self.touched.iter().filter(|&&p| p != this) {
            max_content = max_content.max(self.scores[p].0);
            max_tags = max_tags.max(self.scores[p].1);
        }
        let (max_content, max_tags) = (max_content.max(f32::EPSILON), max_tags.max(f32::EPSILON));
        let scored = &mut self.scored;
        scored.clear();
        scored.extend(
            self.touched
                .iter()
                .filter(|&&p| p != this && candidate[PageId(p)])
                .map(|&p| {
                    let (content, tags) = self.scores[p];
                    let s = config.content_weight * content / max_content
                        + config.tags_weight * tags / max_tags;
                    (s, PageId(p))
                }),
        );
        for &p in &self.touched {
            self.scores[p] = (0.0, 0.0);
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
        scored.iter().map(|&(_, p)| p).collect()
    }
}

/// Tags of every page, as ids into `pages` (the pages of each tag).
#[derive(Debug, Default, Clone)]
struct PageTags {
    of_page: PerPage<Vec<usize>>,
    pages: Vec<Vec<PageId>>,
}

fn page_tags(site: &Site) -> PageTags {
    let mut of_page: PerPage<Vec<usize>> = site.page_ids().map(|_| Vec::new()).collect();
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
