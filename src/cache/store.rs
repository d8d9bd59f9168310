//! The file format of the build cache: `MAGIC`, then entries, each a 32-byte key, a length and
//! that many bytes. A file is read as far as it is intact, and a later entry under a key
//! replaces an earlier one.
//!
//! A rebuild after a small edit adds a few entries to files of many megabytes (the parses of a
//! library of 10,000 articles are 43 MB), so new entries are appended while the entries no
//! longer used are at most a quarter of the file's size; otherwise the file is written anew,
//! atomically, with the entries it already held copied as they are.

use super::CACHE_DIR;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// First bytes of each file; a file that starts otherwise (another format, another tool) is
/// ignored.
const MAGIC: &[u8] = b"stacks cache 1\n";
/// Bytes an entry takes besides its own: the key and the length.
const FRAME: u64 = 40;

/// A cache file's entries, each under its key.
pub(crate) type Entries<T> = Vec<([u8; 32], T)>;

/// The entries of the cache file `name`, as far as it is intact; none when it is missing,
/// damaged from the start or foreign.
pub(crate) fn read_store(root: &Path, name: &str) -> Entries<Vec<u8>> {
    read_held(root, name).0
}

/// The entries of the cache file `name`, with what saving it again needs to know of it.
pub(crate) fn read_held(root: &Path, name: &str) -> (Entries<Vec<u8>>, Held) {
    let (bytes, entries, held) = read_whole(root, name);
    let entries = entries
        .into_iter()
        .map(|(key, range)| (key, bytes[range].to_vec()))
        .collect();
    (entries, held)
}

/// The bytes of the cache file `name` with where each entry is in them, and what saving the file
/// again needs to know of it: for a store read once, whose entries need not each be copied.
pub(crate) fn read_whole(
    root: &Path,
    name: &str,
) -> (Vec<u8>, Entries<std::ops::Range<usize>>, Held) {
    let bytes = read_raw(root, name);
    let (entries, end) = walk(&bytes);
    let held = Held {
        places: entries
            .iter()
            .map(|(key, entry)| (*key, (entry.start as u64, entry.len() as u64)))
            .collect(),
        len: (end == bytes.len() && end > 0).then_some(end as u64),
        damaged: Mutex::default(),
    };
    (bytes, entries, held)
}

/// What the cache file `name` holds, from the heads of its entries alone, with the file open
/// to read single entries from later (see [`read_entry`]): for a store whose entries are read
/// when first needed, if at all.
pub(crate) fn scan(root: &Path, name: &str) -> (Held, Option<std::fs::File>) {
    match std::fs::File::open(root.join(CACHE_DIR).join(name)) {
        Ok(file) => (scan_file(&file), Some(file)),
        Err(_) => (Held::default(), None),
    }
}

fn scan_file(file: &std::fs::File) -> Held {
    let mut held = Held::default();
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return held;
    };
    let mut file = io::BufReader::new(file);
    let mut magic = [0u8; MAGIC.len()];
    if file.read_exact(&mut magic).is_err() || magic != MAGIC {
        return held;
    }
    let mut at = MAGIC.len() as u64;
    let mut head = [0u8; FRAME as usize];
    while file.read_exact(&mut head).is_ok() {
        let mut key = [0u8; 32];
        key.copy_from_slice(&head[..32]);
        let mut size = [0u8; 8];
        size.copy_from_slice(&head[32..]);
        let size = u64::from_le_bytes(size);
        if size > len.saturating_sub(at + FRAME) {
            return held;
        }
        let Ok(skip) = i64::try_from(size) else {
            return held;
        };
        if file.seek_relative(skip).is_err() {
            return held;
        }
        held.places.insert(key, (at + FRAME, size));
        at += FRAME + size;
    }
    held.len = (at == len).then_some(len);
    held
}

/// The entry under `key` of the cache file `file`, which `held` was scanned from; `None` when
/// it holds none or it cannot be read.
pub(crate) fn read_entry(file: &std::fs::File, held: &Held, key: &[u8; 32]) -> Option<Vec<u8>> {
    use std::io::Seek;
    let (at, len) = held.place(key).filter(|_| held.has(key))?;
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    // `&File` reads and seeks too; the caller holds the only handle, under a lock.
    let mut file = file;
    file.seek(io::SeekFrom::Start(at)).ok()?;
    file.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// What a cache file held when the session read it. Entries are keyed by everything they are
/// made from, so a build that keeps exactly these keys would write the same file again, and
/// leaves it alone (a library's search records alone are over 100 MB at 10,000 pages).
#[derive(Debug, Default)]
pub(crate) struct Held {
    /// Where each key's entry is in the file: the offset of its bytes, and how many there are.
    places: FxHashMap<[u8; 32], (u64, u64)>,
    /// The file's length, when it is intact to its end: only then may entries be appended.
    len: Option<u64>,
    /// Keys whose entry in the file could not be used (it did not decode): never copied, and
    /// the file is written anew so that their bytes go.
    damaged: Mutex<FxHashSet<[u8; 32]>>,
}

impl Held {
    /// How many entries the file holds.
    pub(crate) fn len(&self) -> usize {
        self.places.len()
    }

    /// Where the entry under `key` is in the file (offset and length), when it holds one.
    pub(crate) fn place(&self, key: &[u8; 32]) -> Option<(u64, u64)> {
        self.places.get(key).copied()
    }

    /// Marks the entry under `key` as unusable.
    pub(crate) fn forget(&self, key: &[u8; 32]) {
        self.damaged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(*key);
    }

    /// Whether the file holds a usable entry under `key`.
    pub(crate) fn has(&self, key: &[u8; 32]) -> bool {
        self.places.contains_key(key)
            && !self
                .damaged
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(key)
    }
}

/// Saves the entries a build used under `name`: each key with its bytes, or `None` for an
/// entry the file holds (see [`Held`]), which is kept as it is. Nothing is written when the file
/// holds exactly these keys; new entries are appended when entries no longer used would then be
/// at most a quarter of the file; otherwise it is written anew.
pub(crate) fn update_store<'a>(
    root: &Path,
    name: &str,
    held: &Held,
    entries: impl Iterator<Item = ([u8; 32], Option<&'a [u8]>)>,
) -> io::Result<()> {
    let (old, new): (Vec<_>, Vec<_>) = entries.partition(|(key, _)| held.has(key));
    let new: Vec<([u8; 32], &[u8])> = new
        .into_iter()
        .filter_map(|(key, bytes)| Some((key, bytes?)))
        .collect();
    let clean = held
        .damaged
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_empty();
    if new.is_empty() && clean && old.len() == held.places.len() {
        return Ok(());
    }
    let added: u64 = new.iter().map(|(_, b)| b.len() as u64 + FRAME).sum();
    let live = added
        + old
            .iter()
            .map(|(key, _)| held.places[key].1 + FRAME)
            .sum::<u64>();
    if let Some(len) = held.len.filter(|_| clean)
        && 3 * (len + added) <= 4 * live + (64 << 10)
        && append_store(root, name, len, &new)?
    {
        return Ok(());
    }
    let file = match old.iter().any(|(_, bytes)| bytes.is_none()) {
        true => read_raw(root, name),
        false => Vec::new(),
    };
    let copies: FxHashMap<[u8; 32], &[u8]> = entries_of(&file).into_iter().collect();
    let all: Vec<([u8; 32], &[u8])> = old
        .into_iter()
        .filter_map(|(key, bytes)| Some((key, bytes.or_else(|| copies.get(&key).copied())?)))
        .chain(new)
        .collect();
    write_store(root, name, all.into_iter())
}

/// Appends `entries` to the cache file `name` when it is still `len` bytes long, as the session
/// read it; returns whether it did. A build killed while appending leaves a file whose tail is
/// cut short: it is read up to there, and written anew by the next build that saves it.
fn append_store(
    root: &Path,
    name: &str,
    len: u64,
    entries: &[([u8; 32], &[u8])],
) -> io::Result<bool> {
    let path = root.join(CACHE_DIR).join(name);
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    if file.metadata()?.len() != len {
        return Ok(false);
    }
    let mut bytes = Vec::new();
    for (key, entry) in entries {
        frame(&mut bytes, key, entry);
    }
    file.write_all(&bytes)?;
    file.sync_data()?;
    Ok(true)
}

fn frame(out: &mut Vec<u8>, key: &[u8; 32], entry: &[u8]) {
    out.extend_from_slice(key);
    out.extend_from_slice(&(entry.len() as u64).to_le_bytes());
    out.extend_from_slice(entry);
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

/// The bytes of the cache file `name`, for [`entries_of`]; empty when it cannot be read.
fn read_raw(root: &Path, name: &str) -> Vec<u8> {
    std::fs::read(root.join(CACHE_DIR).join(name)).unwrap_or_default()
}

/// The entries of a cache file's `bytes`, as far as it is intact, borrowed from them.
fn entries_of(bytes: &[u8]) -> Entries<&[u8]> {
    walk(bytes)
        .0
        .into_iter()
        .map(|(key, range)| (key, &bytes[range]))
        .collect()
}

/// Where the entries of a cache file's `bytes` are, as far as it is intact, and where that is.
fn walk(bytes: &[u8]) -> (Entries<std::ops::Range<usize>>, usize) {
    let mut out = Vec::new();
    let Some(mut rest) = bytes.strip_prefix(MAGIC) else {
        return (out, 0);
    };
    loop {
        let end = bytes.len() - rest.len();
        let mut key = [0u8; 32];
        let mut len = [0u8; 8];
        if rest.read_exact(&mut key).is_err() || rest.read_exact(&mut len).is_err() {
            return (out, end);
        }
        // A damaged length is caught here, before anything is allocated for it: an entry is
        // never larger than the bytes the file holds (a library of 100k articles keeps single
        // entries above 100 MB).
        let Ok(len) = usize::try_from(u64::from_le_bytes(len)) else {
            return (out, end);
        };
        if rest.len() < len {
            return (out, end);
        }
        let at = bytes.len() - rest.len();
        out.push((key, at..at + len));
        rest = &rest[len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(root: &Path) -> PathBuf {
        root.join(CACHE_DIR).join("t.bin")
    }

    fn save(root: &Path, entries: &[([u8; 32], &str)]) {
        let (_, held) = read_held(root, "t.bin");
        let entries = entries.iter().map(|(k, s)| (*k, Some(s.as_bytes())));
        update_store(root, "t.bin", &held, entries).unwrap();
    }

    /// A store holding a large entry of `size` bytes, then a small one.
    fn big_and_small(size: usize) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(size);
        save(dir.path(), &[([1; 32], &big), ([2; 32], "two")]);
        (dir, big)
    }

    /// Cuts the file inside its last entry, as a build killed while appending leaves it.
    fn cut_short(root: &Path) {
        let bytes = std::fs::read(store(root)).unwrap();
        std::fs::write(store(root), &bytes[..bytes.len() - 1]).unwrap();
    }

    fn held_now(root: &Path) -> Vec<([u8; 32], String)> {
        let mut all: FxHashMap<[u8; 32], Vec<u8>> = read_store(root, "t.bin").into_iter().collect();
        let mut out: Vec<_> = all
            .drain()
            .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_store_holding_exactly_the_entries_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        save(root, &[([1; 32], "one"), ([2; 32], "two")]);
        let (_, held) = read_held(root, "t.bin");
        // A mark that only a write would remove.
        let mut marked = std::fs::read(store(root)).unwrap();
        marked.extend_from_slice(b"mark");
        std::fs::write(store(root), &marked).unwrap();
        let reversed = [([2; 32], Some(b"two".as_slice())), ([1; 32], None)];
        update_store(root, "t.bin", &held, reversed.into_iter()).unwrap();
        assert!(std::fs::read(store(root)).unwrap().ends_with(b"mark"));
    }

    #[test]
    fn new_entries_are_appended_while_unused_ones_are_at_most_a_quarter() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let big = "x".repeat(100_000);
        let other = "y".repeat(100_000);
        save(root, &[([1; 32], &big), ([2; 32], &other)]);
        let before = std::fs::metadata(store(root)).unwrap().len();
        // A small entry replaced: appended, the old one left behind.
        save(
            root,
            &[([1; 32], &big), ([2; 32], &other), ([3; 32], "three")],
        );
        save(
            root,
            &[([1; 32], &big), ([2; 32], &other), ([4; 32], "four")],
        );
        let after = std::fs::metadata(store(root)).unwrap().len();
        assert_eq!(after, before + 5 + 4 + 2 * FRAME, "appended");
        assert_eq!(
            held_now(root).len(),
            4,
            "the unused entry is still in the file"
        );
        // One of the large ones replaced: more than a quarter would be unused, so written anew.
        save(root, &[([1; 32], &big), ([5; 32], &other)]);
        assert_eq!(held_now(root).len(), 2);
        save(root, &[([4; 32], "four")]);
        assert_eq!(held_now(root), vec![([4; 32], "four".to_string())]);
    }

    #[test]
    fn a_file_cut_short_or_holding_a_damaged_entry_is_written_anew() {
        let (dir, big) = big_and_small(100_000);
        let root = dir.path();
        cut_short(root);
        save(root, &[([1; 32], &big), ([3; 32], "three")]);
        assert_eq!(
            held_now(root),
            vec![([1; 32], big.clone()), ([3; 32], "three".to_string())]
        );
        // An entry that did not decode is replaced by the one given, never kept.
        let (_, held) = read_held(root, "t.bin");
        held.forget(&[3; 32]);
        let entries = [([1; 32], None), ([3; 32], Some(b"THREE".as_slice()))];
        update_store(root, "t.bin", &held, entries.into_iter()).unwrap();
        let bytes = std::fs::read(store(root)).unwrap();
        assert!(
            !bytes.windows(5).any(|w| w == b"three"),
            "damaged bytes gone"
        );
        assert_eq!(held_now(root)[1], ([3; 32], "THREE".to_string()));
        assert_eq!(held_now(root)[0].1, big, "kept entries copied as they were");
    }

    #[test]
    fn scanning_heads_finds_what_reading_finds() {
        let (dir, _) = big_and_small(20_000);
        let root = dir.path();
        let same = |root: &Path| {
            let (bytes, entries, read) = read_whole(root, "t.bin");
            let (scanned, file) = scan(root, "t.bin");
            assert_eq!(scanned.places, read.places);
            assert_eq!(scanned.len, read.len);
            let file = file.unwrap();
            for (key, range) in entries {
                let one = read_entry(&file, &scanned, &key);
                assert_eq!(one.as_deref(), Some(&bytes[range]), "read alone");
            }
            assert_eq!(read_entry(&file, &scanned, &[9; 32]), None, "not held");
            scanned
        };
        assert!(same(root).len.is_some(), "intact");
        cut_short(root);
        let cut = same(root);
        assert_eq!((cut.len(), cut.len), (1, None), "cut short");
    }

    fn encode(entries: &[([u8; 32], &str)]) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        for (k, s) in entries {
            frame(&mut b, k, s.as_bytes());
        }
        b
    }

    #[test]
    fn damaged_files_give_what_is_intact() {
        let good = encode(&[([1; 32], "<svg>a</svg>"), ([2; 32], "<svg>b</svg>")]);
        assert_eq!(entries_of(&good).len(), 2);
        assert_eq!(walk(&good).1, good.len(), "intact to the end");
        let cut = &good[..good.len() - 3];
        assert_eq!(entries_of(cut).len(), 1, "truncated");
        assert!(walk(cut).1 < cut.len());
        assert!(entries_of(b"something else").is_empty(), "foreign");
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0; 32]);
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(entries_of(&huge).is_empty(), "absurd length");
    }
}
