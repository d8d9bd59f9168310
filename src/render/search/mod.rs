//! Offline search: each page's search record (see [`record`]) is indexed with pagefind in this
//! process, and its index and script are written with the site, so search works from any
//! static host with no server code.
//!
//! Records are made from the model in parallel, or taken from the build cache when the page
//! did not change (see [`records`]), and handed to pagefind (see [`feed`]).
//! The URLs indexed are the pages' paths from the site root: pagefind's script adds the base
//! path it finds its bundle under, so a site under a sub-path (`/kb/`) links to `/kb/…`.
//! A large library's index comes in parts (see [`parts`]); a part whose pages did not change
//! is kept from the published site as it is.

mod feed;
mod parts;
mod record;
mod records;
mod stored;

use crate::analyze::Analysis;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{PageId, Site};
use crate::output::{Fingerprint, Output};
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
        hash_records(&mut h, &self.records);
        *h.finalize().as_bytes()
    }

    /// The search bundle's parts that `have` does not already hold: `have` is asked, for each
    /// part's fingerprint, for a part made from the same input. Parts are indexed in parallel.
    pub(crate) fn bundle(
        &self,
        have: &(dyn Fn(&Fingerprint) -> Option<AtHand> + Sync),
    ) -> Result<Bundle, Diagnostic> {
        let (count, spread) = parts::spread(self.records.iter().map(|r| r.path.as_str()));
        let mut members: Vec<Vec<&PageRecord>> = vec![Vec::new(); count];
        for (r, &part) in self.records.iter().zip(&spread) {
            members[part].push(r);
        }
        let made = each_on_threads(&members, |part, records| {
            let inputs = self.fingerprint(part, count, records);
            match have(&inputs) {
                Some(AtHand::Published(paths)) => Ok(Made::Kept(inputs, paths)),
                Some(AtHand::Stored(files)) => Ok(Made::Built(files)),
                None => bundle(records, &self.language, part, inputs).map(Made::Built),
            }
        });
        let mut out = Bundle::default();
        for m in made {
            match m? {
                Made::Kept(inputs, paths) => out.kept.push((inputs, paths)),
                Made::Built(files) => out.outputs.extend(files),
            }
        }
        Ok(out)
    }

    /// What part `part` of `count` is made from: equal fingerprints give equal files.
    fn fingerprint(&self, part: usize, count: usize, records: &[&PageRecord]) -> Fingerprint {
        let mut h = blake3::Hasher::new();
        h.update(crate::cache::BUILD_ID.as_bytes());
        h.update(&(self.language.len() as u64).to_le_bytes());
        h.update(self.language.as_bytes());
        h.update(&(part as u64).to_le_bytes());
        h.update(&(count as u64).to_le_bytes());
        hash_records(&mut h, records.iter().copied());
        crate::output::fingerprint_of(&h.finalize())
    }
}

/// Adds to `h` which pages `records` are of and what each was made from.
fn hash_records<'r>(h: &mut blake3::Hasher, records: impl IntoIterator<Item = &'r PageRecord>) {
    for r in records {
        h.update(&(r.path.len() as u64).to_le_bytes());
        h.update(r.path.as_bytes());
        h.update(&r.key);
    }
}

/// `f` applied to each of `items` with its index, on as many threads as the machine has
/// cores, results in order. Plain threads, not rayon's: pagefind waits on its own rayon work
/// from inside, which would deadlock on a pool whose every thread is waiting so.
fn each_on_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break mine };
                        mine.push((i, f(i, item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A search bundle as a build makes it.
#[derive(Debug, Default)]
pub(crate) struct Bundle {
    /// The files of the parts that were indexed.
    pub outputs: Vec<Output>,
    /// The parts that were already at hand: their fingerprints and the paths of their files.
    pub kept: Vec<(Fingerprint, Vec<String>)>,
}

/// A part of the index made earlier from the same input.
pub(crate) enum AtHand {
    /// In the published site, as the files at these paths.
    Published(Vec<String>),
    /// In the build cache, as these files.
    Stored(Vec<Output>),
}

impl Bundle {
    /// The paths of the files of the parts that were already at hand.
    pub(crate) fn kept_paths(&self) -> Vec<String> {
        self.kept
            .iter()
            .flat_map(|(_, p)| p.iter().cloned())
            .collect()
    }

    /// Every part, kept or made: its fingerprint and the paths of its files.
    fn parts(&self) -> Vec<(Fingerprint, Vec<String>)> {
        let mut made: std::collections::BTreeMap<Fingerprint, Vec<String>> = Default::default();
        for o in &self.outputs {
            made.entry(o.inputs.unwrap_or_default())
                .or_default()
                .push(o.path.clone());
        }
        self.kept.iter().cloned().chain(made).collect()
    }
}

enum Made {
    Kept(Fingerprint, Vec<String>),
    Built(Vec<Output>),
}

/// The folders of the index parts other than the first, for the search page to merge, for the
/// pages of `site` that search lists: empty when the index is in one piece.
pub(crate) fn merged_parts(site: &Site) -> Vec<String> {
    let files: Vec<String> = listed(site)
        .map(|id| site.pages[id].output_file())
        .collect();
    let (count, _) = parts::spread(files.iter().map(String::as_str));
    (1..count).map(parts::dir).collect()
}

/// The pages search lists: every page but redirects.
fn listed(site: &Site) -> impl Iterator<Item = PageId> + '_ {
    site.page_ids()
        .filter(|&id| site.pages[id].redirect.is_none())
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
    let ids: Vec<PageId> = listed(site).collect();
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

/// Part `part` of the search bundle, made of `records` for a site in `language` (an ISO 639-1
/// code, perhaps with a region): pagefind's index, and in the first part its script and
/// styles, as outputs in the part's folder, each marked as made from `inputs`.
fn bundle(
    records: &[&PageRecord],
    language: &str,
    part: usize,
    inputs: Fingerprint,
) -> Result<Vec<Output>, Diagnostic> {
    let files = feed::index(records, language)?;
    let dir = parts::dir(part);
    Ok(files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            (part == 0 || parts::in_every_part(&name)).then(|| Output {
                inputs: Some(inputs),
                ..Output::bytes(format!("{dir}{name}"), f.contents)
            })
        })
        .collect())
}

/// The search bundle of `site`: its pages' records, made or reused, indexed, but for the
/// parts that `previous` says the published site holds as made from the same records, or that
/// the build cache keeps.
pub(crate) fn build(
    site: &Site,
    analysis: &Analysis,
    bodies: &Bodies,
    known: &Records,
    previous: Option<&crate::output::Previous>,
) -> Result<Bundle, Diagnostic> {
    let input = SearchInput::of(site, analysis, bodies, known)?;
    let published = previous
        .map(|p| p.by_inputs(&parts::dir(0)))
        .unwrap_or_default();
    let bundle = input.bundle(&|inputs| {
        let paths = published.get(inputs);
        // The entry file stands for the part: with it, the part was published whole.
        match paths.filter(|paths| paths.iter().any(|p| p.ends_with("/pagefind-entry.json"))) {
            Some(paths) => Some(AtHand::Published(paths.clone())),
            None => stored::load(known.parts_dir()?, inputs).map(AtHand::Stored),
        }
    })?;
    known.used_parts(bundle.parts());
    Ok(bundle)
}
