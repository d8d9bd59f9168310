//! Related lists kept between builds: a digest of everything they are computed from, and the
//! lists, reused by a build whose digest is the same.

use super::{Related, RelatedIndex};
use crate::model::{PerPage, Site};

/// The build cache file of the last related lists.
const STORE: &str = "related.bin";

/// Every page's related lists with a digest of everything they were computed from (see
/// [`RelatedIndex::digest`]): kept in the build cache, so that a build whose related-reading
/// inputs are all as before, as after an edit that leaves an article's main terms as they were,
/// reuses the lists instead of running a query per article.
#[derive(Debug, Clone, Default)]
pub(crate) struct RelatedRecord {
    digest: [u8; 32],
    lists: Vec<Related>,
}

impl RelatedRecord {
    /// What an earlier build under `root` left, if anything usable.
    pub(crate) fn restore(root: &std::path::Path) -> Self {
        crate::cache::read_store(root, STORE)
            .into_iter()
            .next()
            .and_then(|(digest, bytes)| {
                let lists = postcard::from_bytes(&bytes).ok()?;
                Some(Self { digest, lists })
            })
            .unwrap_or_default()
    }

    /// Saves the record under `root`, replacing the last one.
    pub(crate) fn persist(&self, root: &std::path::Path) -> std::io::Result<()> {
        let bytes = postcard::to_allocvec(&self.lists).map_err(std::io::Error::other)?;
        crate::cache::write_store(
            root,
            STORE,
            std::iter::once((self.digest, bytes.as_slice())),
        )
    }

    /// The record of `lists`, computed from what `digest` says.
    pub(crate) fn of(digest: [u8; 32], lists: &PerPage<Related>) -> Self {
        Self {
            digest,
            lists: lists.values().to_vec(),
        }
    }

    /// What the lists were computed from (see [`RelatedIndex::digest`]).
    pub(crate) fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The lists, when they were computed from what `digest` says, for `pages` pages.
    fn lists_for(&self, digest: &[u8; 32], pages: usize) -> Option<PerPage<Related>> {
        (self.digest == *digest && self.lists.len() == pages)
            .then(|| PerPage::new(self.lists.clone()))
    }
}

/// Bytes of the digest's text hashed at once.
const FLUSH: usize = 1 << 20;

impl RelatedIndex {
    /// A digest of everything the related lists of `site` are computed from: the settings,
    /// every page's weighted terms and tags, pins, which pages may be suggested, which are
    /// articles and in which collection, and each collection's articles in order. Equal
    /// digests give equal lists.
    pub fn digest(&self, site: &Site) -> [u8; 32] {
        fn put(h: &mut Vec<u8>, n: usize) {
            h.extend_from_slice(&(n as u64).to_le_bytes());
        }
        // Written out and hashed a megabyte at a time: millions of small updates would take
        // longer, and the whole text is some 100 MB at 100,000 pages.
        let mut hasher = blake3::Hasher::new();
        let h = &mut Vec::with_capacity(FLUSH + 4096);
        let mut flush = |h: &mut Vec<u8>| {
            if h.len() >= FLUSH {
                hasher.update(h);
                h.clear();
            }
        };
        // This build of stacks, whose way of ranking may differ from another's.
        h.extend_from_slice(crate::cache::BUILD_ID.as_bytes());
        put(h, site.pages.len());
        let c = &self.config;
        for n in [c.count, c.collection_count] {
            put(h, n);
        }
        for w in [c.content_weight, c.tags_weight] {
            h.extend_from_slice(&w.to_bits().to_le_bytes());
        }
        put(h, self.vocabulary.names.len());
        for name in &self.vocabulary.names {
            put(h, name.len());
            h.extend_from_slice(name.as_bytes());
        }
        for (id, doc) in self.docs.iter() {
            let page = &site.pages[id];
            h.extend_from_slice(&doc.len.to_bits().to_le_bytes());
            put(h, doc.terms.len());
            for &(t, tf) in &doc.terms {
                h.extend_from_slice(&t.to_le_bytes());
                h.extend_from_slice(&tf.to_bits().to_le_bytes());
            }
            put(h, self.tags.of_page[id].len());
            for &t in &self.tags.of_page[id] {
                put(h, t);
            }
            put(h, self.pins[id].len());
            for p in &self.pins[id] {
                put(h, p.0);
            }
            put(
                h,
                usize::from(self.candidate[id]) | usize::from(page.is_article()) << 1,
            );
            put(h, page.section.0);
            flush(h);
        }
        put(h, self.tags.pages.len());
        for pages in &self.tags.pages {
            put(h, pages.len());
            for p in pages {
                put(h, p.0);
            }
        }
        put(h, site.sections.len());
        for section in &site.sections {
            put(h, section.pages.len());
            for p in &section.pages {
                put(h, p.0);
            }
        }
        hasher.update(h);
        *hasher.finalize().as_bytes()
    }

    /// Related lists for every page: those of `earlier` when they were computed from the
    /// same (see [`Self::digest`]), else made anew.
    pub(crate) fn all_or(
        &self,
        site: &Site,
        digest: &[u8; 32],
        earlier: Option<&RelatedRecord>,
    ) -> PerPage<Related> {
        earlier
            .and_then(|e| e.lists_for(digest, site.pages.len()))
            .or_else(|| self.all(site, &|| false))
            .unwrap_or_default()
    }
}
