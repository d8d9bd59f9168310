//! What a build produces: files of the site, as paths with their bytes (or a file to copy).
//!
//! A leaf module: render makes outputs, the audit reads and amends them, write puts them on disk
//! and serve keeps them in memory, and none of them needs the others to name one.

use std::collections::HashMap;
use std::path::PathBuf;

/// A hash of everything an output file is made from (its template and variables, or the file it
/// copies): two builds that compute the same one produce the same bytes.
pub type Fingerprint = [u8; 16];

/// The fingerprint of what `hash` was made from: its first 16 bytes.
pub(crate) fn fingerprint_of(hash: &blake3::Hash) -> Fingerprint {
    let mut out = [0; 16];
    out.copy_from_slice(&hash.as_bytes()[..16]);
    out
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators (`a/b/index.html`).
    pub path: String,
    /// Its content.
    pub content: Content,
    /// What it is made from, when known: the next build leaves the file as it is, without
    /// making or reading it, when it computes the same.
    pub inputs: Option<Fingerprint>,
}

/// What the published site's files were made from, by path: what a build compares its own
/// fingerprints with before it renders anything.
#[derive(Debug, Clone, Default)]
pub struct Previous(pub(crate) HashMap<String, Fingerprint>);

impl Previous {
    /// Whether the published file at `path` was made from exactly `inputs`.
    pub fn unchanged(&self, path: &str, inputs: &Fingerprint) -> bool {
        self.0.get(path) == Some(inputs)
    }

    /// The paths of the published files in the folder `dir` (ending in `/`), grouped by what
    /// they were made from: the files a build made together from one input (a part of the
    /// search index) share a fingerprint.
    pub(crate) fn by_inputs(&self, dir: &str) -> HashMap<Fingerprint, Vec<String>> {
        let mut groups: HashMap<Fingerprint, Vec<String>> = HashMap::new();
        for (path, inputs) in self.0.iter().filter(|(p, _)| p.starts_with(dir)) {
            groups.entry(*inputs).or_default().push(path.clone());
        }
        groups
    }
}

/// Where an output file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file to copy.
    Copy(PathBuf),
    /// Bytes compiled into the binary (the built-in theme).
    Static(&'static [u8]),
}

impl Output {
    /// Whether this is an HTML page.
    pub fn is_page(&self) -> bool {
        self.path.ends_with(".html")
    }

    /// Rendered bytes at `path`.
    pub fn bytes(path: String, bytes: Vec<u8>) -> Self {
        Self {
            path,
            content: Content::Bytes(bytes),
            inputs: None,
        }
    }

    /// A copy of the file `from` at `path`, known by the file's path, size and modification
    /// time, so an unchanged file is not read again.
    pub fn copy(path: String, from: PathBuf) -> Self {
        let inputs = std::fs::metadata(&from).ok().map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            fingerprint_of(&blake3::hash(
                format!("copy\0{}\0{}\0{mtime}", from.display(), m.len()).as_bytes(),
            ))
        });
        Self {
            path,
            content: Content::Copy(from),
            inputs,
        }
    }
}

/// Feeds `value` to `hasher` in postcard's compact binary form, which, unlike JSON, spends no
/// time on field names or escaping. A value postcard cannot write (a map or sequence of unknown
/// length) is fed as JSON after what postcard wrote, the way tera sees it; `false` when it cannot
/// be written as JSON either.
pub(crate) fn hash_value<T: serde::Serialize + ?Sized>(
    hasher: &mut blake3::Hasher,
    value: &T,
) -> bool {
    use std::io::Write;
    // Buffered: the hasher is fastest fed in large pieces.
    let mut out = std::io::BufWriter::with_capacity(8192, hasher);
    let written = postcard::to_io(value, &mut out).is_ok()
        || (out.write_all(b"\xff json\n").is_ok()
            && serde_json::to_writer(&mut out, value).is_ok());
    written && out.flush().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::ser::{SerializeMap, Serializer};

    /// A map written without its length, which postcard cannot write.
    struct Unsized(Vec<(&'static str, u32)>);

    impl serde::Serialize for Unsized {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(None)?;
            for (k, v) in &self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    fn hash_of(value: &Unsized) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        assert!(hash_value(&mut h, value));
        h.finalize()
    }

    #[test]
    fn a_value_postcard_cannot_write_is_still_hashed_by_its_content() {
        let one = hash_of(&Unsized(vec![("a", 1)]));
        assert_eq!(one, hash_of(&Unsized(vec![("a", 1)])));
        assert_ne!(one, hash_of(&Unsized(vec![("a", 2)])));
    }
}
