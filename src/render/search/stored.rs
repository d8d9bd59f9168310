//! Parts of the search index kept in the build cache, one file per part named by its
//! fingerprint (`.stacks-cache/search-parts/`). A part the published site holds is kept from
//! there; these files serve when it does not: a fresh output folder (a CI job that restores
//! only the cache), or a build after one without search.

use crate::output::{Fingerprint, Output};
use std::io;
use std::path::{Path, PathBuf};

/// The folder under `.stacks-cache/`.
const DIR: &str = "search-parts";
/// First bytes of each file; anything else is ignored.
const MAGIC: &[u8] = b"stacks search part 1\n";

/// Where the parts of the site at `root` are kept.
pub(crate) fn dir(root: &Path) -> PathBuf {
    root.join(crate::cache::CACHE_DIR).join(DIR)
}

fn file(dir: &Path, part: &Fingerprint) -> PathBuf {
    let name: String = part.iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{name}.bin"))
}

/// The files of the part made from `part`, as outputs, if kept and intact.
pub(crate) fn load(dir: &Path, part: &Fingerprint) -> Option<Vec<Output>> {
    let bytes = std::fs::read(file(dir, part)).ok()?;
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = (rest.len() >= n).then(|| rest.split_at(n))?;
        rest = tail;
        Some(head)
    };
    let mut outputs = Vec::new();
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?);
    for _ in 0..count {
        let len = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        let path = String::from_utf8(take(len)?.to_vec()).ok()?;
        let len = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        let content = take(len)?.to_vec();
        outputs.push(Output {
            inputs: Some(*part),
            ..Output::bytes(path, content)
        });
    }
    // A file cut short or with bytes after its last entry is not this format.
    (take(1).is_none()
        && outputs
            .iter()
            .any(|o| o.path.ends_with("pagefind-entry.json")))
    .then_some(outputs)
}

/// Keeps each of `parts` (a fingerprint and the paths of its files in the site at `out`) that
/// is not kept yet, reading its files from the site just written, and removes the parts no
/// longer used.
pub(crate) fn save(dir: &Path, out: &Path, parts: &[(Fingerprint, Vec<String>)]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let wanted: Vec<PathBuf> = parts.iter().map(|(p, _)| file(dir, p)).collect();
    for ((_, paths), path) in parts.iter().zip(&wanted) {
        if path.exists() {
            continue;
        }
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&(paths.len() as u64).to_le_bytes());
        for p in paths {
            let content = std::fs::read(out.join(p))?;
            bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
            bytes.extend_from_slice(p.as_bytes());
            bytes.extend_from_slice(&(content.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&content);
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, path))?;
    }
    for e in std::fs::read_dir(dir)?.flatten() {
        if !wanted.contains(&e.path()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Content;

    #[test]
    fn a_part_kept_is_read_back_and_a_damaged_one_is_not() {
        let site = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let files = [
            "pagefind/1/pagefind-entry.json",
            "pagefind/1/index/a.pf_index",
        ];
        for f in files {
            let path = site.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, f.as_bytes()).unwrap();
        }
        let paths: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        std::fs::create_dir_all(cache.path()).unwrap();
        std::fs::write(cache.path().join("stale.bin"), b"old").unwrap();
        save(cache.path(), site.path(), &[([7; 16], paths)]).unwrap();
        assert!(!cache.path().join("stale.bin").exists(), "unused parts go");
        let back = load(cache.path(), &[7; 16]).expect("kept");
        let got: Vec<(&str, &[u8])> = back
            .iter()
            .map(|o| match &o.content {
                Content::Bytes(b) => (o.path.as_str(), b.as_slice()),
                _ => panic!("bytes"),
            })
            .collect();
        assert_eq!(
            got,
            files.map(|f| (f, f.as_bytes())).to_vec(),
            "paths and bytes"
        );
        assert!(back.iter().all(|o| o.inputs == Some([7; 16])));
        assert!(load(cache.path(), &[8; 16]).is_none());
        let path = file(cache.path(), &[7; 16]);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(load(cache.path(), &[7; 16]).is_none(), "cut short");
    }
}
