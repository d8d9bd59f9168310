//! Results of slow, pure work on a piece of text (drawing a diagram, highlighting code), kept
//! for the life of the process and handed to [`crate::cache`] to keep between builds.
//!
//! Entries are keyed by a hash of everything the result depends on. Each is computed once even
//! when several threads ask for it at the same moment, and the keys the current build asked for
//! are remembered, so a persisted cache holds only what the site still shows.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

/// What the work gave: the result, or why there is none (failures are kept too, so a broken
/// diagram is not retried on every page that shows it, but they are never persisted).
pub type Outcome = Result<Arc<str>, String>;

type Slot = Arc<OnceLock<Outcome>>;

/// One kind of memoised work.
#[derive(Default)]
pub struct Memo {
    slots: Mutex<HashMap<blake3::Hash, Slot>>,
    shown: Mutex<HashSet<blake3::Hash>>,
}

/// A lazily created [`Memo`] for a `static`.
pub type StaticMemo = LazyLock<Memo>;

impl Memo {
    /// The outcome for `key`, computing it with `work` if no one has.
    pub fn get_or(&self, key: blake3::Hash, work: impl FnOnce() -> Outcome) -> Outcome {
        self.shown
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(slots.entry(key).or_default())
        };
        slot.get_or_init(work).clone()
    }

    /// Forgets everything, so that a benchmark can measure cold builds in one process.
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.shown.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Adds results computed by an earlier process.
    pub fn import(&self, entries: impl IntoIterator<Item = ([u8; 32], String)>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        for (key, text) in entries {
            let slot = OnceLock::new();
            let _ = slot.set(Ok(Arc::from(text)));
            slots
                .entry(blake3::Hash::from(key))
                .or_insert(Arc::new(slot));
        }
    }

    /// The successful results this process was asked for, by key, in key order.
    pub fn export(&self) -> Vec<([u8; 32], Arc<str>)> {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<([u8; 32], Arc<str>)> = shown
            .iter()
            .filter_map(|key| match slots.get(key)?.get()? {
                Ok(text) => Some((*key.as_bytes(), Arc::clone(text))),
                Err(_) => None,
            })
            .collect();
        out.sort_unstable_by_key(|e| e.0);
        out
    }
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
