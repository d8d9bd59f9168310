//! Handing records to pagefind and taking its bundle back.
//!
//! Pagefind's API adds a page at a time behind one lock, so pages added one by one are parsed
//! on one core; its folder reader parses every file of a folder in parallel. The records are
//! therefore written as small files into a temporary folder (in RAM where the system has a
//! RAM-backed `/dev/shm`) and read back by pagefind.

use super::{PageRecord, fail};
use crate::diagnostics::Diagnostic;
use pagefind::api::{PagefindIndex, SyntheticFile};
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pagefind's bundle for `records`, in `language`.
pub(super) fn index(
    records: &[PageRecord],
    language: &str,
) -> Result<Vec<SyntheticFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(&e))?;
    let language = language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_lowercase();
    let config = PagefindServiceConfig::builder()
        .force_language(language)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| fail(&e))?;
    let folder = Folder::new(records)?;
    let path = folder.0.to_string_lossy().into_owned();
    runtime.block_on(async {
        index
            .add_directory(path, None)
            .await
            .map_err(|e| fail(&e))?;
        // Read: the files are not needed while the index is made.
        drop(folder);
        index.get_files().await.map_err(|e| fail(&e))
    })
}

/// A temporary folder holding one file per record, at its page's path; removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(records: &[PageRecord]) -> Result<Self, Diagnostic> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "stacks-search-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let shm = Path::new("/dev/shm");
        let parent = match shm.is_dir() {
            true => shm.to_path_buf(),
            false => std::env::temp_dir(),
        };
        sweep(&parent);
        let folder = Self(parent.join(name));
        records
            .par_iter()
            .try_for_each(|r| write(&folder.0, r))
            .map_err(|e| fail(&format!("cannot write into {}: {e}", folder.0.display())))?;
        Ok(folder)
    }
}

/// Removes the folders that processes no longer running left behind (a build or `serve`
/// stopped while pagefind was reading). Only where `/proc` says which processes run.
fn sweep(parent: &Path) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("stacks-search-"))
            .and_then(|rest| rest.split('-').next())
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn write(dir: &Path, r: &PageRecord) -> std::io::Result<()> {
    let rel = Path::new(&r.path);
    // A path that would leave the folder is reported by the writing stage; it is not indexed.
    if !rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Ok(());
    }
    let file = dir.join(rel);
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, r.html.as_bytes())
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_processes_that_ended_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("stacks-search-999999999-0");
        let live = dir
            .path()
            .join(format!("stacks-search-{}-7", std::process::id()));
        let other = dir.path().join("stacks-search-notes");
        for d in [&gone, &live, &other] {
            std::fs::create_dir_all(d).unwrap();
        }
        sweep(dir.path());
        if Path::new("/proc/self").exists() {
            assert!(!gone.exists(), "a process that ended");
        }
        assert!(live.exists() && other.exists());
    }
}
