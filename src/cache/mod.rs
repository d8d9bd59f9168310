//! The build cache: diagrams drawn and code highlighted, kept in memory for a session
//! ([`Memos`]) and in `.stacks-cache/` under the site root between builds, so that a rebuild
//! redoes only what changed.
//!
//! It is only ever a shortcut. A missing, unreadable, truncated or foreign cache file is
//! ignored and the work is done again; entries are keyed by a hash of the source, the options
//! and the versions of the tools, so a stale result cannot be served. Only `build` writes it,
//! after the site itself was written, and only the entries that build used are kept.

pub mod memo;
mod store;

pub use memo::{Memo, Memos};
use std::io;
use std::path::Path;
pub(crate) use store::{
    Entries, Held, read_entry, read_held, read_store, read_whole, scan, update_store, write_store,
};

/// Folder under the site root that holds the cache.
pub const CACHE_DIR: &str = ".stacks-cache";
/// This build of stacks: a hash of its sources and locked dependencies. Every cache key that
/// holds results of stacks' own code includes it.
pub(crate) const BUILD_ID: &str = env!("STACKS_BUILD_ID");
/// A file modified this close before its stat was recorded may have changed again within the
/// same clock tick: its size and modification time prove nothing, so it is read again.
pub(crate) const RACY_NANOS: u64 = 2_000_000_000;

/// When the build cache is read and written. Decided once, by the command: `build` reads and
/// writes it, `check` and `serve` only read it, `--no-cache` does neither.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Policy {
    /// Neither read nor written.
    Off,
    /// Read when the session starts, never written.
    Read,
    /// Read when the session starts, written after a build succeeded.
    #[default]
    ReadWrite,
}

impl Policy {
    /// Whether the cache is read.
    pub fn reads(self) -> bool {
        self != Policy::Off
    }

    /// Whether the cache is written.
    pub fn writes(self) -> bool {
        self == Policy::ReadWrite
    }
}

/// Each file of the cache and the work it keeps.
fn stores(memos: &Memos) -> [(&'static str, &Memo); 3] {
    [
        ("diagrams.bin", &memos.diagrams),
        ("code.bin", &memos.code),
        ("social.bin", &memos.social),
    ]
}

/// Points `memos` at what earlier builds kept, to be read on the first result they lack (a
/// rebuild after a small edit seldom needs any); returns how many entries there are (0 when
/// there is no usable cache).
pub fn restore(root: &Path, memos: &Memos) -> usize {
    stores(memos)
        .into_iter()
        .map(|(file, memo)| memo.defer(root, file))
        .sum()
}

/// Writes what the session used, replacing the previous cache files. Failing to write costs
/// only speed on the next build, so the error is returned for a warning.
pub fn persist(root: &Path, memos: &Memos) -> io::Result<()> {
    for (file, memo) in stores(memos) {
        let entries = memo.export();
        let held = memo.held.lock().unwrap_or_else(|e| e.into_inner());
        let entries = entries
            .iter()
            .map(|(key, packed)| (*key, packed.as_deref()));
        update_store(root, file, &held, entries)?;
    }
    Ok(())
}

/// Now, in nanoseconds since 1970: when a file's stat was taken, to compare with the file's
/// modification time.
pub(crate) fn now_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_cache(root: &Path, key: [u8; 32]) -> memo::Outcome {
        let memos = Memos::default();
        assert_eq!(restore(root, &memos), 1);
        memos
            .code
            .get_or(key.into(), || Ok(std::sync::Arc::from("made again")))
    }

    #[test]
    fn results_are_read_when_first_needed_unless_damaged() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let ok = memo::pack("ok");
        write_store(root, "code.bin", [([3; 32], &*ok)].into_iter()).unwrap();
        assert_eq!(from_cache(root, [3; 32]).unwrap().as_ref(), "ok");
        assert_eq!(from_cache(root, [4; 32]).unwrap().as_ref(), "made again");
        // Bytes that do not unpack, and bytes that unpack to something that is not text.
        let not_utf8 = lz4_flex::compress_prepend_size(b"o\xff");
        for bad in [b"ok".as_slice(), &not_utf8] {
            write_store(root, "code.bin", [([3; 32], bad)].into_iter()).unwrap();
            assert_eq!(from_cache(root, [3; 32]).unwrap().as_ref(), "made again");
        }
    }

    #[test]
    fn results_never_read_are_kept_in_the_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        // The second is large, so that dropping it writes the file anew (see `update_store`).
        let (one, two) = (memo::pack("one"), vec![b'2'; 100_000]);
        let entries = [([1; 32], &*one), ([2; 32], two.as_slice())];
        write_store(root, "code.bin", entries.into_iter()).unwrap();
        let memos = Memos::default();
        restore(root, &memos);
        // A page whose parse was reused shows the first; nothing asks for its text.
        memos.code.mark_shown(&[[1; 32]]);
        persist(root, &memos).unwrap();
        assert_eq!(read_store(root, "code.bin"), vec![([1; 32], one.to_vec())]);
    }
}
