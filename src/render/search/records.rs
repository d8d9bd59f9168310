//! Search records kept between builds (in `.stacks-cache/search.bin`) and within a `serve`
//! session, by a key of everything a record is made from: a page that did not change costs a
//! lookup, not a render of its body.

use crate::output::Fingerprint;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The cache file under `.stacks-cache/`.
const STORE: &str = "search.bin";

/// Records by key, and the keys the current build used.
#[derive(Debug, Default)]
pub(crate) struct Records {
    known: Mutex<FxHashMap<[u8; 32], Arc<str>>>,
    used: Mutex<FxHashSet<[u8; 32]>>,
    /// What the cache file held when it was read.
    held: crate::cache::Held,
    /// Where parts of the index are kept (see [`super::stored`]), when read from a cache.
    parts_dir: Option<PathBuf>,
    /// The parts of the last index built: fingerprints and the paths of their files.
    parts: Mutex<Vec<(Fingerprint, Vec<String>)>>,
}

impl Records {
    /// The records an earlier build of the site at `root` kept; none when there is no usable
    /// cache.
    pub(crate) fn restore(root: &Path) -> Self {
        let (stored, held) = crate::cache::read_held(root, STORE);
        let known = stored
            .into_iter()
            .filter_map(|(key, bytes)| match String::from_utf8(bytes) {
                Ok(text) => Some((key, text.into())),
                Err(_) => {
                    held.forget(&key);
                    None
                }
            })
            .collect();
        Self {
            known: Mutex::new(known),
            used: Mutex::default(),
            held,
            parts_dir: Some(super::stored::dir(root)),
            parts: Mutex::default(),
        }
    }

    /// Where parts of the index are kept, when the records came from a build cache.
    pub(crate) fn parts_dir(&self) -> Option<&Path> {
        self.parts_dir.as_deref()
    }

    /// Notes the parts of the index just built, to be kept by [`Records::persist`].
    pub(crate) fn used_parts(&self, parts: Vec<(Fingerprint, Vec<String>)>) {
        *lock(&self.parts) = parts;
    }

    /// The record with `key`, if known; marks it as used.
    pub(crate) fn get(&self, key: &[u8; 32]) -> Option<Arc<str>> {
        let found = lock(&self.known).get(key).cloned()?;
        lock(&self.used).insert(*key);
        Some(found)
    }

    /// Keeps `record` under `key`, as used.
    pub(crate) fn put(&self, key: [u8; 32], record: Arc<str>) {
        lock(&self.known).insert(key, record);
        lock(&self.used).insert(key);
    }

    /// Forgets the records not used since the last call (or since the cache was read), and
    /// starts counting again: a session that runs for hours holds only its latest records.
    pub(crate) fn forget_unused(&self) {
        let used = std::mem::take(&mut *lock(&self.used));
        lock(&self.known).retain(|k, _| used.contains(k));
    }

    /// Writes the records the last build used, replacing the cache file, and keeps the parts
    /// of its index from the site it wrote at `out`; a build that used none (one without
    /// search) leaves both as they are. Failing costs only speed on the next build, so the
    /// error is returned for a warning.
    pub(crate) fn persist(&self, root: &Path, out: &Path) -> std::io::Result<()> {
        let used = lock(&self.used);
        if used.is_empty() {
            return Ok(());
        }
        let parts = lock(&self.parts);
        if !parts.is_empty() {
            super::stored::save(&super::stored::dir(root), out, &parts)?;
        }
        let known = lock(&self.known);
        let mut entries: Vec<(&[u8; 32], &Arc<str>)> = used
            .iter()
            .filter_map(|k| Some((k, known.get(k)?)))
            .collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let entries = entries.into_iter().map(|(k, r)| (*k, Some(r.as_bytes())));
        crate::cache::update_store(root, STORE, &self.held, entries)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_build_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let records = Records::default();
        records.put([1; 32], "one".into());
        // Large enough that the file is written anew once it is unused (see `update_store`).
        let two = "two ".repeat(50_000);
        records.put([2; 32], two.as_str().into());
        records.persist(dir.path(), dir.path()).unwrap();
        let again = Records::restore(dir.path());
        assert_eq!(again.get(&[1; 32]).as_deref(), Some("one"));
        again.forget_unused();
        assert!(
            again.get(&[2; 32]).is_none(),
            "not used since the cache was read"
        );
        assert_eq!(again.get(&[1; 32]).as_deref(), Some("one"));
        again.persist(dir.path(), dir.path()).unwrap();
        assert!(Records::restore(dir.path()).get(&[2; 32]).is_none());
    }

    #[test]
    fn a_build_that_used_no_record_keeps_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let records = Records::default();
        records.put([1; 32], "one".into());
        records.persist(dir.path(), dir.path()).unwrap();
        // As a build with search turned off: nothing asked for.
        Records::default().persist(dir.path(), dir.path()).unwrap();
        assert_eq!(
            Records::restore(dir.path()).get(&[1; 32]).as_deref(),
            Some("one")
        );
    }
}
