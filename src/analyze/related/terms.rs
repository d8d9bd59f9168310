//! The terms related reading compares: each page's body terms with those of what it says it is
//! about, weighted, given ids in a vocabulary shared by the library.

use super::Doc;
use crate::model::{PerPage, Site};
use crate::parse::terms::About;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Pages whose terms are gathered at once while the vocabulary is built.
const TERMS_CHUNK: usize = 1024;

/// One page's terms with their weighted counts: title, summary and headings count extra.
/// Body terms, nearly all of a page's, and the weighted terms of what the page is about, when
/// its parse made them from what the page shows, are borrowed rather than copied.
pub(super) fn page_terms(p: &crate::model::Page) -> Vec<(Cow<'_, str>, u32)> {
    let about = About {
        title: &p.title,
        description: p.front.description.as_deref(),
        answer: p.front.answer.as_deref(),
    };
    let extra: Vec<(Cow<'_, str>, u32)> = match &p.body.about_terms {
        Some((terms, key)) if *key == about.key() => {
            terms.iter().map(|(t, c)| (Cow::Borrowed(t), c)).collect()
        }
        _ => {
            let headings = p.body.headings.iter().map(|h| h.text.as_str());
            let terms = about.terms(headings);
            terms
                .iter()
                .map(|(t, c)| (Cow::Owned(t.to_string()), c))
                .collect()
        }
    };
    // Body terms are distinct, as are the extra ones (sorted by term): each body term takes
    // its extra weight at most once.
    let mut out: Vec<(Cow<'_, str>, u32)> = Vec::with_capacity(p.body.terms.len() + extra.len());
    let mut taken = vec![false; extra.len()];
    for (t, c) in p.body.terms.iter() {
        let more = match extra.binary_search_by(|(e, _)| (**e).cmp(t)) {
            Ok(i) => {
                taken[i] = true;
                extra[i].1
            }
            Err(_) => 0,
        };
        out.push((Cow::Borrowed(t), c + more));
    }
    out.extend(
        extra
            .into_iter()
            .zip(taken)
            .filter_map(|(e, taken)| (!taken).then_some(e)),
    );
    // Sorted, so that term ids come out the same on every build.
    out.sort_unstable();
    out
}

/// Every page's weighted terms, with term ids: what [`RelatedIndex::new`] indexes, gathered
/// on their own so that this can run beside the resolving of links.
pub struct Terms {
    pub(super) vocabulary: Vocabulary,
    pub(super) docs: PerPage<Doc>,
}

impl Terms {
    /// The terms of every page of `site`.
    pub fn gather(site: &Site) -> Self {
        let mut vocabulary = Vocabulary::default();
        // Terms are gathered in parallel a chunk at a time and given ids in page order, so the
        // ids are the same on every build and only one chunk's terms are held at once.
        let mut docs = Vec::with_capacity(site.pages.len());
        for chunk in site.pages.chunks(TERMS_CHUNK) {
            let terms: Vec<Vec<(Cow<'_, str>, u32)>> = chunk.par_iter().map(page_terms).collect();
            docs.extend(terms.into_iter().map(|terms| vocabulary.doc(terms)));
        }
        Self {
            vocabulary,
            docs: PerPage::new(docs),
        }
    }
}

/// Term ids, both ways.
#[derive(Debug, Default, Clone)]
pub(super) struct Vocabulary {
    pub(super) ids: HashMap<String, u32>,
    pub(super) names: Vec<Box<str>>,
}

impl Vocabulary {
    /// A page's terms with ids, new terms getting the next ones.
    pub(super) fn doc(&mut self, terms: Vec<(Cow<'_, str>, u32)>) -> Doc {
        let len = terms.iter().map(|(_, c)| *c as f32).sum();
        let mut terms: Vec<(u32, f32)> = terms
            .into_iter()
            .map(|(t, c)| {
                let id = match self.ids.get(&*t) {
                    Some(&id) => id,
                    None => {
                        let id = self.names.len() as u32;
                        self.names.push((*t).into());
                        self.ids.insert(t.into_owned(), id);
                        id
                    }
                };
                (id, c as f32)
            })
            .collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        Doc { terms, len }
    }
}
