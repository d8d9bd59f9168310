//! The build cache: diagrams drawn and code highlighted, kept in memory for a session
//! ([`Memos`]) and in `.stacks-cache/` under the site root between builds, so that a rebuild
//! redoes only what changed.
//!
//! It is only ever a shortcut. A missing, unreadable, truncated or foreign cache file is
//! ignored and the work is done again; entries are keyed by a hash of the source, the options
//! and the versions of the tools, so a stale result cannot be served. Only `build` writes it,
//! after the site itself was written, and only the entries that build used are kept.

pub mod memo;

pub use memo::{Memo, Memos};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Folder under the site root that holds the cache.
pub const CACHE_DIR: &str = ".stacks-cache";
/// This build of stacks: a hash of its sources and locked dependencies. Every cache key that
/// holds results of stacks' own code includes it.
pub(crate) const BUILD_ID: &str = env!("STACKS_BUILD_ID");
/// A file modified this close before its stat was recorded may have changed again within the
/// same clock tick: its size and modification time prove nothing, so it is read again.
pub(crate) const RACY_NANOS: u64 = 2_000_000_000;
/// First bytes of each file; a file that starts otherwise (another format, another tool) is
/// ignored.
const MAGIC: &[u8] = b"stacks cache 1\n";

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

/// Loads what earlier builds kept into `memos`; returns how many entries were loaded (0 when
/// there is no usable cache).
pub fn restore(root: &Path, memos: &Memos) -> usize {
    stores(memos)
        .into_iter()
        .map(|(file, memo)| {
            let entries: Vec<([u8; 32], String)> = read_store(root, file)
                .into_iter()
                .map_while(|(key, bytes)| Some((key, String::from_utf8(bytes).ok()?)))
                .collect();
            let n = entries.len();
            *memo.held.lock().unwrap_or_else(|e| e.into_inner()) = Held::of(&entries);
            memo.import(entries);
            n
        })
        .sum()
}

/// Writes what the session used, replacing the previous cache files. Failing to write costs
/// only speed on the next build, so the error is returned for a warning.
pub fn persist(root: &Path, memos: &Memos) -> io::Result<()> {
    for (file, memo) in stores(memos) {
        let entries = memo.export();
        let held = memo.held.lock().unwrap_or_else(|e| e.into_inner());
        update_store(
            root,
            file,
            &held,
            entries.iter().map(|(key, text)| (*key, text.as_bytes())),
        )?;
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

/// The entries of the cache file `name`, as far as it is intact; none when it is missing,
/// damaged from the start or foreign.
pub(crate) fn read_store(root: &Path, name: &str) -> Vec<([u8; 32], Vec<u8>)> {
    decode(&read_raw(root, name))
}

/// The keys a cache file held when the session read it. Entries are keyed by everything they
/// are made from, so a build that keeps exactly these keys would write the same file again,
/// and leaves it alone (a library's search records alone are over 100 MB at 10,000 pages).
#[derive(Debug, Default)]
pub(crate) struct Held(rustc_hash::FxHashSet<[u8; 32]>);

impl Held {
    /// The keys of `entries`, as read.
    pub(crate) fn of<'a, T: 'a>(entries: impl IntoIterator<Item = &'a ([u8; 32], T)>) -> Self {
        Self(entries.into_iter().map(|(k, _)| *k).collect())
    }

    /// Whether `keys` are exactly the keys held.
    fn same<'k>(&self, keys: impl ExactSizeIterator<Item = &'k [u8; 32]>) -> bool {
        keys.len() == self.0.len() && keys.into_iter().all(|k| self.0.contains(k))
    }
}

/// Replaces the cache file `name` with `entries`, unless it still holds exactly them (see
/// [`Held`]).
pub(crate) fn update_store<'a>(
    root: &Path,
    name: &str,
    held: &Held,
    entries: impl ExactSizeIterator<Item = ([u8; 32], &'a [u8])>,
) -> io::Result<()> {
    let entries: Vec<([u8; 32], &[u8])> = entries.collect();
    if held.same(entries.iter().map(|(k, _)| k)) {
        return Ok(());
    }
    write_store(root, name, entries.into_iter())
}

/// Replaces the cache file `name` with `entries`, atomically. Nothing is created for no entries
/// when there is no cache yet.
pub(crate) fn write_store<'a>(
    root: &Path,
    name: &str,
    entries: impl ExactSizeIterator<Item = ([u8; 32], &'a [u8])>,
) -> io::Result<()> {
    let dir = root.join(CACHE_DIR);
    if entries.len() == 0 && !dir.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    let tmp: PathBuf = path.with_file_name(format!(".{name}.{}", std::process::id()));
    let write = || -> io::Result<()> {
        let mut f = io::BufWriter::new(std::fs::File::create(&tmp)?);
        f.write_all(MAGIC)?;
        for (key, bytes) in entries {
            f.write_all(&key)?;
            f.write_all(&(bytes.len() as u64).to_le_bytes())?;
            f.write_all(bytes)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()
    };
    let result = write().and_then(|()| std::fs::rename(&tmp, &path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The entries of a cache file, as far as it is intact.
fn decode(bytes: &[u8]) -> Vec<([u8; 32], Vec<u8>)> {
    entries_of(bytes)
        .into_iter()
        .map(|(key, entry)| (key, entry.to_vec()))
        .collect()
}

/// The bytes of the cache file `name`, for [`entries_of`]; empty when it cannot be read.
pub(crate) fn read_raw(root: &Path, name: &str) -> Vec<u8> {
    std::fs::read(root.join(CACHE_DIR).join(name)).unwrap_or_default()
}

/// The entries of a cache file's `bytes`, as far as it is intact, borrowed from them: for
/// copying entries into a new file as they are.
pub(crate) fn entries_of(bytes: &[u8]) -> Vec<([u8; 32], &[u8])> {
    let mut out = Vec::new();
    let Some(mut rest) = bytes.strip_prefix(MAGIC) else {
        return out;
    };
    loop {
        let mut key = [0u8; 32];
        let mut len = [0u8; 8];
        if rest.read_exact(&mut key).is_err() || rest.read_exact(&mut len).is_err() {
            return out;
        }
        // A damaged length is caught here, before anything is allocated for it: an entry is
        // never larger than the bytes the file holds (a library of 100k articles keeps single
        // entries above 100 MB).
        let Ok(len) = usize::try_from(u64::from_le_bytes(len)) else {
            return out;
        };
        if rest.len() < len {
            return out;
        }
        let (entry, tail) = rest.split_at(len);
        out.push((key, entry));
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_holding_exactly_the_entries_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let entries = [([1; 32], b"one".as_slice()), ([2; 32], b"two".as_slice())];
        write_store(root, "t.bin", entries.into_iter()).unwrap();
        let path = root.join(CACHE_DIR).join("t.bin");
        let held = Held::of(&read_store(root, "t.bin"));
        // A mark that only a write would remove.
        std::fs::write(&path, [MAGIC, b"mark"].concat()).unwrap();
        let reversed = [([2; 32], b"two".as_slice()), ([1; 32], b"one".as_slice())];
        update_store(root, "t.bin", &held, reversed.into_iter()).unwrap();
        assert!(
            std::fs::read(&path).unwrap().ends_with(b"mark"),
            "left alone"
        );
        update_store(root, "t.bin", &held, entries[..1].iter().copied()).unwrap();
        assert_eq!(read_store(root, "t.bin"), vec![([1; 32], b"one".to_vec())]);
    }

    fn encode(entries: &[([u8; 32], &str)]) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        for (k, s) in entries {
            b.extend_from_slice(k);
            b.extend_from_slice(&(s.len() as u64).to_le_bytes());
            b.extend_from_slice(s.as_bytes());
        }
        b
    }

    #[test]
    fn damaged_files_give_what_is_intact() {
        let good = encode(&[([1; 32], "<svg>a</svg>"), ([2; 32], "<svg>b</svg>")]);
        assert_eq!(decode(&good).len(), 2);
        assert_eq!(decode(&good[..good.len() - 3]).len(), 1, "truncated");
        assert!(decode(b"something else").is_empty(), "foreign");
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0; 32]);
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode(&huge).is_empty(), "absurd length");
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(CACHE_DIR)).unwrap();
        let mut bad_utf8 = encode(&[([3; 32], "ok")]);
        let n = bad_utf8.len();
        bad_utf8[n - 1] = 0xff;
        std::fs::write(tmp.path().join(CACHE_DIR).join("code.bin"), bad_utf8).unwrap();
        assert_eq!(
            restore(tmp.path(), &Memos::default()),
            0,
            "text that is not UTF-8"
        );
    }
}
