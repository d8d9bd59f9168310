//! Results of slow, pure work on a piece of text (drawing a diagram, highlighting code), kept
//! for the life of a session (see [`Memos`]) and handed to [`crate::cache`] to keep between
//! builds.
//!
//! Entries are keyed by a hash of everything the result depends on. Each is computed once even
//! when several threads ask for it at the same moment, and the keys the current build asked for
//! are remembered, so a persisted cache holds only what the site still shows.
//!
//! Results are held LZ4-compressed, in memory and in the cache files: a library's drawn diagrams
//! and highlighted code are a fifth of what a build holds (some 650 MB at 100,000 articles) and
//! shrink three to five times, for a millisecond a megabyte.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// What the work gave: the result, or why there is none (failures are kept too, so a broken
/// diagram is not retried on every page that shows it, but they are never persisted).
pub type Outcome = Result<Arc<str>, String>;

/// A result as held: compressed (see [`pack`]).
pub type Packed = Arc<[u8]>;

/// A result as held, or why there is none.
type Kept = Result<Packed, String>;

type Slot = Arc<OnceLock<Kept>>;

/// One kind of memoised work.
#[derive(Default)]
pub struct Memo {
    slots: Mutex<HashMap<blake3::Hash, Slot>>,
    shown: Mutex<HashSet<blake3::Hash>>,
    /// What the cache file held when the session read it.
    pub(crate) held: Mutex<super::Held>,
    /// The build cache file earlier results are read from, one at a time, when first asked for.
    stored: Mutex<Option<std::fs::File>>,
}

/// The memoised work of one session: what `serve` keeps between rebuilds and `build` between
/// runs (through [`crate::cache`]). Owned by the session, so that two sessions in one process
/// (a benchmark, the tests) neither share results nor mix up their timings.
#[derive(Default)]
pub struct Memos {
    /// Drawn diagrams: an unchanged diagram is drawn once however many pages or rebuilds show it.
    pub diagrams: Memo,
    /// Highlighted code: the slowest part of parsing an article with code.
    pub code: Memo,
    /// Social cards (PNG, in base64): an unchanged card is drawn once.
    pub social: Memo,
    /// Nanoseconds spent drawing, summed over threads, for `--timings`.
    draw_nanos: AtomicU64,
}

impl std::fmt::Debug for Memos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memos").finish_non_exhaustive()
    }
}

impl Memos {
    /// Time spent drawing diagrams in this session, summed over threads.
    pub fn draw_time(&self) -> Duration {
        Duration::from_nanos(self.draw_nanos.load(Ordering::Relaxed))
    }

    /// Adds to the drawing time.
    pub(crate) fn add_draw_time(&self, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.draw_nanos.fetch_add(nanos, Ordering::Relaxed);
    }
}

impl Memo {
    /// The outcome for `key`, computing it with `work` if no one has.
    pub fn get_or(&self, key: blake3::Hash, work: impl FnOnce() -> Outcome) -> Outcome {
        self.shown
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
        // The caller that reads or computes a result takes it as it is; later ones unpack it.
        let mut fresh: Option<Outcome> = None;
        let slot =
            {
                let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                Arc::clone(slots.entry(key).or_insert_with(
                    || match self.read_stored(key.as_bytes()) {
                        Some((packed, text)) => {
                            fresh = Some(Ok(text));
                            Arc::new(OnceLock::from(Ok(packed)))
                        }
                        None => Slot::default(),
                    },
                ))
            };
        let kept = slot.get_or_init(|| {
            let out = work();
            let kept = match &out {
                Ok(text) => Ok(pack(text)),
                Err(e) => Err(e.clone()),
            };
            fresh = Some(out);
            kept
        });
        match (fresh, kept) {
            (Some(out), _) => out,
            (None, Ok(packed)) => unpack(packed).ok_or_else(|| "a kept result was damaged".into()),
            (None, Err(e)) => Err(e.clone()),
        }
    }

    /// Marks `keys` as asked for, as by a page whose parse was reused, so that a persisted cache
    /// keeps their results.
    pub(crate) fn mark_shown(&self, keys: &[[u8; 32]]) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.extend(keys.iter().map(|&k| blake3::Hash::from(k)));
    }

    /// Notes that results of earlier builds are in the build cache file `name` under `root`,
    /// each to be read when first asked for; returns how many there are.
    pub(crate) fn defer(&self, root: &Path, name: &'static str) -> usize {
        let (held, file) = super::scan(root, name);
        let n = held.len();
        *lock(&self.held) = held;
        *lock(&self.stored) = file;
        n
    }

    /// The result an earlier build kept under `key`, packed and as text, if the cache file holds
    /// a usable one.
    fn read_stored(&self, key: &[u8; 32]) -> Option<(Packed, Arc<str>)> {
        let file = lock(&self.stored);
        let held = lock(&self.held);
        let bytes = super::read_entry(file.as_ref()?, &held, key)?;
        match unpack(&bytes) {
            Some(text) => Some((Arc::from(bytes), text)),
            None => {
                held.forget(key);
                None
            }
        }
    }

    /// Every result this process was asked for, by key, in key order: its packed bytes, or
    /// `None` for one of an earlier build that was never read (the cache file keeps it).
    /// Failures are left out.
    pub fn export(&self) -> Vec<([u8; 32], Option<Packed>)> {
        let slots = lock(&self.slots);
        let shown = lock(&self.shown);
        let mut out: Vec<([u8; 32], Option<Packed>)> = shown
            .iter()
            .filter_map(|key| match slots.get(key).and_then(|s| s.get()) {
                Some(Ok(packed)) => Some((*key.as_bytes(), Some(Arc::clone(packed)))),
                Some(Err(_)) => None,
                None => Some((*key.as_bytes(), None)),
            })
            .collect();
        out.sort_unstable_by_key(|e| e.0);
        out
    }
}

/// A result as memos and the cache files hold it.
pub(crate) fn pack(text: &str) -> Packed {
    Arc::from(lz4_flex::compress_prepend_size(text.as_bytes()))
}

/// The text [`pack`] packed; `None` for bytes it did not make.
fn unpack(bytes: &[u8]) -> Option<Arc<str>> {
    let raw = lz4_flex::decompress_size_prepended(bytes).ok()?;
    String::from_utf8(raw).ok().map(Arc::from)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A key from `parts`, each length-prefixed so that no two different lists of parts collide.
pub fn key(parts: &[&[u8]]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()
}
