//! Parsed documents kept between builds: in memory for a session (`serve`), and in the build
//! cache between runs.
//!
//! Each parse is keyed by the file's path, its text, the options that change a parse and this
//! build of stacks, so only files that changed are parsed again. An index of each file's size
//! and modification time lets a build skip even reading a file the cache already holds, as git
//! and make do; a file changed within two seconds of being recorded is read anyway, so that an
//! edit in the same instant as a build is never missed.

use super::{ParsedDocument, parse_document};
use crate::cache::{Memos, RACY_NANOS};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load::{self, Document, Stat};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The file of the build cache that holds parsed documents.
const STORE: &str = "parsed.bin";
/// The file of the build cache that holds each source's stat and parse key.
const INDEX: &str = "sources.bin";

/// A file as the cache last saw it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Seen {
    stat: Stat,
    key: [u8; 32],
    /// When the stat was taken, in nanoseconds since 1970.
    at: u64,
}

/// Parsed documents by path, with what they were parsed from.
#[derive(Debug, Default)]
pub(crate) struct ParseCache {
    entries: HashMap<String, (blake3::Hash, Arc<ParsedDocument>)>,
    /// Parses read from the build cache, not yet decoded: a file whose text changed never
    /// pays for decoding its old parse.
    stored: HashMap<[u8; 32], std::ops::Range<usize>>,
    /// The bytes of the cache file `stored` points into.
    file: Vec<u8>,
    /// Each file's stat and key, as last seen.
    seen: HashMap<String, Seen>,
    /// Whether `entries` hold parses the build cache does not.
    unsaved: bool,
    /// What the build cache's file held.
    held: crate::cache::Held,
    /// Whether `seen` differs from what the build cache holds.
    index_unsaved: bool,
    /// Why saving the parses early (see [`ParseCache::settle`]) failed.
    failed: Option<std::io::Error>,
}

fn cache_key(doc: &Document, config: &SiteConfig) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for part in [crate::cache::BUILD_ID.as_bytes(), doc.rel.as_bytes()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(&[
        config.markdown.smart_punctuation as u8,
        config.markdown.unsafe_html as u8,
        config.markdown.wiki_links as u8,
    ]);
    h.update(doc.text.as_bytes());
    h.finalize()
}

/// A parse as the build cache keeps it: postcard, several times faster to read back than JSON
/// (a rebuild reads the parse of every unchanged file).
fn encode(doc: &ParsedDocument) -> Option<Vec<u8>> {
    postcard::to_allocvec(doc).ok()
}

/// A parse [`encode`] wrote; `None` for bytes it did not write.
fn decode(bytes: &[u8]) -> Option<ParsedDocument> {
    postcard::from_bytes(bytes).ok()
}

impl ParseCache {
    /// The parses an earlier build kept in the build cache under `root`.
    pub(crate) fn restore(root: &Path) -> Self {
        let seen = crate::cache::read_store(root, INDEX)
            .into_iter()
            .next()
            .and_then(|(_, bytes)| postcard::from_bytes(&bytes).ok())
            .unwrap_or_default();
        let (file, stored, held) = crate::cache::read_whole(root, STORE);
        Self {
            stored: stored.into_iter().collect(),
            file,
            held,
            seen,
            ..Self::default()
        }
    }

    /// Saves the parses of the last [`parse_all`] now, when `save`, and lets go of them: for a
    /// session that parses once (a build), whose site model holds them from then on and frees
    /// them with it. A failure to save is what the next [`ParseCache::persist`] returns.
    pub(crate) fn settle(&mut self, root: &Path, save: bool) {
        if save {
            self.failed = self.persist(root).err();
        }
        self.entries = HashMap::new();
        (self.unsaved, self.index_unsaved) = (false, false);
    }

    /// Writes the parses of the last [`parse_all`] to the build cache, when it lacks any.
    pub(crate) fn persist(&self, root: &Path) -> std::io::Result<()> {
        if let Some(e) = &self.failed {
            return Err(std::io::Error::new(e.kind(), e.to_string()));
        }
        if self.index_unsaved || self.unsaved {
            let seen = postcard::to_allocvec(&self.seen).map_err(std::io::Error::other)?;
            crate::cache::write_store(root, INDEX, std::iter::once(([0; 32], seen.as_slice())))?;
        }
        if !self.unsaved {
            return Ok(());
        }
        // Only parses the file lacks are encoded; the others are kept there as they are.
        let encoded: HashMap<[u8; 32], Vec<u8>> = self
            .entries
            .par_iter()
            .filter(|(_, (key, _))| !self.held.has(key.as_bytes()))
            .filter_map(|(_, (key, doc))| Some((*key.as_bytes(), encode(doc)?)))
            .collect();
        let entries = self.entries.values().map(|(key, _)| {
            let key = *key.as_bytes();
            (key, encoded.get(&key).map(Vec::as_slice))
        });
        crate::cache::update_store(root, STORE, &self.held, entries)
    }

    /// The parse key the file `rel` had when last seen, when its `stat` shows it unchanged since,
    /// so the file need not be read.
    fn unchanged_key(&self, rel: &str, stat: Stat) -> Option<[u8; 32]> {
        self.seen
            .get(rel)
            .filter(|s| s.stat == stat && stat.mtime.saturating_add(RACY_NANOS) < s.at)
            .map(|s| s.key)
    }

    /// The parse under `key`, if held.
    fn find(&self, rel: &str, key: &[u8; 32]) -> Option<Arc<ParsedDocument>> {
        match self.entries.get(rel) {
            Some((k, p)) if k.as_bytes() == key => Some(Arc::clone(p)),
            _ => {
                let bytes = self.file.get(self.stored.get(key)?.clone())?;
                let parsed = decode(bytes).map(Arc::new);
                if parsed.is_none() {
                    self.held.forget(key);
                }
                parsed
            }
        }
    }

    /// Records `parsed` as the parse of `doc`, so the next [`parse_all`] reuses it.
    pub(crate) fn remember(
        &mut self,
        doc: &Document,
        config: &SiteConfig,
        parsed: Arc<ParsedDocument>,
    ) {
        let key = cache_key(doc, config);
        self.entries.insert(doc.rel.clone(), (key, parsed));
        self.seen.remove(&doc.rel);
        self.unsaved = true;
    }
}

/// What [`parse_all`] reads: every markdown file's stat in the order the site lists them, and
/// where the files are.
pub(crate) struct Sources<'a> {
    /// Stats of every markdown file, in order.
    pub stats: &'a [(String, Stat)],
    /// Where the files are: each is read as it is parsed, unless the cache knows it.
    pub content_dir: &'a Path,
    /// How many bytes of rendered HTML the new parses may hold between them; beyond that, a
    /// body keeps only what other pages need, and its page renders it again from its file. A
    /// build holds a bounded amount, so its memory does not grow with the library; `serve`
    /// holds every body, for the fastest response to an edit.
    pub hold_html: usize,
}

/// One file, parsed: its key, the parse, whether it was parsed now, whether it was read.
type Parsed = (blake3::Hash, Arc<ParsedDocument>, bool, bool);

/// Parses every document in parallel, reusing what `cache` holds for unchanged files (and
/// `memos`, for the diagrams and code of changed ones). A file is read only when the cache does
/// not know it by its stat, and its text is dropped as soon as it is parsed. Returns the parses
/// in the order of `sources.stats`.
pub(crate) fn parse_all(
    sources: &Sources,
    config: &SiteConfig,
    cache: &mut ParseCache,
    memos: &Memos,
) -> (Vec<Arc<ParsedDocument>>, Diagnostics) {
    let held = std::sync::atomic::AtomicUsize::new(0);
    let parse = |d: &Document| -> Parsed {
        let key = cache_key(d, config);
        match cache.find(&d.rel, key.as_bytes()) {
            Some(p) => (key, p, false, true),
            None => {
                let mut p = parse_document(d, config, memos);
                let size = p.body.html.len();
                let total = held.fetch_add(size, std::sync::atomic::Ordering::Relaxed) + size;
                if let Some(body) = Arc::get_mut(&mut p.body) {
                    if total > sources.hold_html {
                        body.html = String::new();
                        body.html_held = false;
                    } else {
                        // Held until its page is rendered: without the room it grew into while
                        // it was written, which was a third again.
                        body.html.shrink_to_fit();
                    }
                }
                (key, Arc::new(p), true, true)
            }
        }
    };
    let mut diags = Diagnostics::new();
    let parsed: Vec<(String, Stat, Result<Parsed, crate::diagnostics::Diagnostic>)> = sources
        .stats
        .par_iter()
        .map(|(rel, stat)| {
            let known = cache
                .unchanged_key(rel, *stat)
                .and_then(|key| Some((key, cache.find(rel, &key)?)));
            let result = match known {
                Some((key, p)) => Ok((blake3::Hash::from(key), p, false, false)),
                None => load::read_document(rel, &sources.content_dir.join(rel)).map(|d| parse(&d)),
            };
            (rel.clone(), *stat, result)
        })
        .collect();
    let at = crate::cache::now_nanos();
    let fresh = parsed.iter().any(|(_, _, r)| r.as_ref().is_ok_and(|p| p.2));
    let dropped = cache.stored.len() > parsed.len() || cache.entries.len() > parsed.len();
    cache.unsaved |= fresh || dropped;
    cache.stored = HashMap::new();
    cache.file = Vec::new();
    cache.entries = HashMap::with_capacity(parsed.len());
    let mut seen = HashMap::with_capacity(parsed.len());
    let mut out = Vec::with_capacity(parsed.len());
    for (rel, stat, result) in parsed {
        match result {
            Ok((key, p, fresh, was_read)) => {
                let key_bytes = *key.as_bytes();
                if !fresh {
                    // Its diagrams and code stay cached as if it had been parsed now.
                    memos.diagrams.mark_shown(&p.body.memo_keys);
                    memos.code.mark_shown(&p.body.memo_keys);
                }
                // A file read now was seen now; one trusted unread keeps when it was last read.
                let when = match cache.seen.get(&rel) {
                    Some(s) if !was_read => s.at,
                    _ => at,
                };
                seen.insert(
                    rel.clone(),
                    Seen {
                        stat,
                        key: key_bytes,
                        at: when,
                    },
                );
                diags.extend(p.diagnostics.iter().cloned());
                cache.entries.insert(rel, (key, Arc::clone(&p)));
                out.push(p);
            }
            Err(d) => diags.push(d),
        }
    }
    cache.index_unsaved = seen.len() != cache.seen.len()
        || seen.iter().any(|(r, s)| {
            cache
                .seen
                .get(r)
                .is_none_or(|o| o.at != s.at || o.key != s.key)
        });
    cache.seen = seen;
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parse_reads_back_from_the_cache_as_it_was() {
        let text = "---\ntitle: T\ndate: 2024-03-01T09:30:00+02:00\ntags: [a, b]\n\
                    faq:\n  - q: Why?\n    a: Because.\ntopics: [x]\nparams:\n  \
                    hero: {size: 3, dark: true, list: [1, null, \"s\"]}\nweight: nope\n---\n\
                    # Head\n\nText with a [link](other.md) and `code`.\n\n## Part\n";
        let doc = Document {
            rel: "lib/a.md".into(),
            kind: crate::load::DocumentKind::Article,
            text: text.into(),
        };
        let mut parsed = parse_document(&doc, &SiteConfig::default(), &Memos::default());
        assert!(!parsed.diagnostics.is_empty(), "a diagnostic to keep too");
        assert!(!parsed.front.extra.is_empty());
        let back = decode(&encode(&parsed).unwrap()).unwrap();
        // The HTML is rendered again from the file, never kept.
        let body = Arc::get_mut(&mut parsed.body).unwrap();
        (body.html, body.html_held) = (String::new(), false);
        assert_eq!(format!("{back:?}"), format!("{parsed:?}"));
        assert!(decode(b"not a parse").is_none());
    }
}
