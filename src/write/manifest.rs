//! What a tree of output holds: each file's path, content hash, size and modification time. A
//! build compares what it rendered against it to write only what changed, and a tree whose
//! files no longer match it is treated as unknown, never trusted.
//!
//! Manifests live in the build cache, one file per generation of the output: each tree carries
//! its generation in its marker file, so a manifest is only ever read for the tree it describes.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// First bytes of a manifest file; anything else is ignored.
const MAGIC: &[u8] = b"stacks output manifest 2\n";
/// More files than any site has; a count beyond it means the file is damaged.
const MAX_FILES: u64 = 50_000_000;

/// One file of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The first 16 bytes of the BLAKE3 hash of the content.
    pub(crate) hash: [u8; 16],
    /// Length in bytes.
    pub(crate) size: u64,
    /// Modification time after stacks wrote it, in nanoseconds since 1970; another time on disk
    /// means something else changed the file since.
    pub(crate) mtime: u64,
    /// What the file was made from, when the build knew (zeros when not).
    pub(crate) inputs: [u8; 16],
}

impl Entry {
    /// The entry of a file just written with `hash`, made from `inputs`, as the disk now
    /// reports it.
    pub(crate) fn of_file(path: &Path, hash: [u8; 16], inputs: [u8; 16]) -> io::Result<Self> {
        let meta = fs::symlink_metadata(path)?;
        Ok(Self {
            hash,
            size: meta.len(),
            mtime: mtime_of(&meta),
            inputs,
        })
    }

    /// Whether the file at `path` is still the one this entry describes (same size and time).
    pub(crate) fn matches(&self, path: &Path) -> bool {
        fs::symlink_metadata(path)
            .is_ok_and(|m| m.is_file() && m.len() == self.size && mtime_of(&m) == self.mtime)
    }
}

fn mtime_of(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// The hash stacks records for `bytes`.
pub(crate) fn hash(bytes: &[u8]) -> [u8; 16] {
    crate::output::fingerprint_of(&blake3::hash(bytes))
}

/// Every file of one tree, by path relative to it.
pub(crate) type Files = HashMap<String, Entry>;

/// Where the manifests of one output folder are kept: a folder of the build cache, and a key
/// from the output folder's absolute path (one site may build into several).
#[derive(Debug, Clone)]
pub(crate) struct Store {
    dir: PathBuf,
    key: String,
}

impl Store {
    /// The store for output folder `out` (absolute) in the cache folder `cache`.
    pub(crate) fn new(cache: &Path, out: &Path) -> Self {
        let key = blake3::hash(out.as_os_str().as_encoded_bytes()).to_hex();
        Self {
            dir: cache.join("output"),
            key: key[..16].to_string(),
        }
    }

    fn path(&self, generation: u64) -> PathBuf {
        self.dir
            .join(format!("{}-{generation:016x}.manifest", self.key))
    }

    /// The manifest of `generation`, if it was saved and is intact.
    pub(crate) fn load(&self, generation: u64) -> Option<Files> {
        decode(&fs::read(self.path(generation)).ok()?)
    }

    /// Saves the manifest of `generation`, atomically.
    pub(crate) fn save(&self, generation: u64, files: &Files) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let path = self.path(generation);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let result = fs::write(&tmp, encode(files)).and_then(|()| fs::rename(&tmp, &path));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Removes this output's manifests but those of `keep`.
    pub(crate) fn prune(&self, keep: &[u64]) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let kept: Vec<PathBuf> = keep.iter().map(|&g| self.path(g)).collect();
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&format!("{}-", self.key)) && !kept.contains(&e.path()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

fn encode(files: &Files) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + 8 + files.len() * 80);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(files.len() as u64).to_le_bytes());
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort_unstable();
    for path in paths {
        let e = &files[path];
        let _ = out.write_all(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(&e.hash);
        out.extend_from_slice(&e.size.to_le_bytes());
        out.extend_from_slice(&e.mtime.to_le_bytes());
        out.extend_from_slice(&e.inputs);
    }
    out
}

/// Reads a manifest; `None` for anything damaged, truncated or foreign.
fn decode(bytes: &[u8]) -> Option<Files> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?);
    if count > MAX_FILES {
        return None;
    }
    let mut files = Files::with_capacity(count as usize);
    for _ in 0..count {
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let path = std::str::from_utf8(take(len)?).ok()?.to_string();
        let hash = take(16)?.try_into().ok()?;
        let size = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let mtime = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let inputs = take(16)?.try_into().ok()?;
        files.insert(
            path,
            Entry {
                hash,
                size,
                mtime,
                inputs,
            },
        );
    }
    rest.is_empty().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let mut files = Files::new();
        files.insert(
            "a/index.html".into(),
            Entry {
                hash: hash(b"x"),
                size: 1,
                mtime: 42,
                inputs: [7; 16],
            },
        );
        files.insert(
            "b.css".into(),
            Entry {
                hash: hash(b"yy"),
                size: 2,
                mtime: 7,
                inputs: [0; 16],
            },
        );
        let bytes = encode(&files);
        assert_eq!(decode(&bytes), Some(files));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "truncated");
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None, "trailing bytes");
        assert_eq!(decode(b"something else"), None, "foreign");
    }
}
