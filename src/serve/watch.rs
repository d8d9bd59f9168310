//! Watching the site's sources for changes.
//!
//! Editors save in many ways — write in place, write a temp file and rename it, create swap
//! files, save several files at once — so events are debounced over a short window and reduced
//! to "something that matters changed"; the rebuild itself finds out what.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::is_ignored_name;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long the file system must be quiet before a rebuild starts. Short, so a save shows at
/// once; long enough to catch an editor's write-and-rename as one change.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Folders under the root whose changes rebuild the site.
const WATCHED: [&str; 4] = ["content", "templates", "themes", "static"];

/// Files that changed together.
#[derive(Debug)]
pub(super) struct Batch {
    /// The changed paths that can change the site (absolute).
    pub paths: Vec<PathBuf>,
}

impl std::fmt::Display for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(first) = self.paths.first() else {
            return Ok(());
        };
        let name = first
            .file_name()
            .unwrap_or(first.as_os_str())
            .to_string_lossy();
        match self.paths.len() {
            1 => write!(f, "{name}"),
            n => write!(f, "{name} and {} more", n - 1),
        }
    }
}

/// A stream of change batches.
pub(super) struct Changes {
    rx: Receiver<Vec<PathBuf>>,
    /// A batch taken by [`Changes::pending`], handed out by the next [`Changes::next_batch`].
    held: Option<Vec<PathBuf>>,
    /// Set as soon as the watcher sends a batch, so long work can stop for it.
    arrived: Arc<AtomicBool>,
    root: PathBuf,
    // Kept alive for as long as changes are wanted.
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Changes {
    /// Blocks until something relevant changed. `None` when the watcher has stopped.
    pub(super) fn next_batch(&mut self) -> Option<Batch> {
        loop {
            let mut paths = match self.held.take() {
                Some(p) => p,
                None => self.rx.recv().ok()?,
            };
            // Coalesce batches that arrive while the previous rebuild ran.
            loop {
                match self.rx.recv_timeout(Duration::from_millis(1)) {
                    Ok(more) => paths.extend(more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            // Whatever arrives from now on is news.
            self.arrived.store(false, Ordering::SeqCst);
            self.watch_new_folders(&paths);
            paths.retain(|p| relevant(&self.root, p));
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                return Some(Batch { paths });
            }
        }
    }
}

impl Changes {
    /// A flag raised whenever a change arrives, for work to check and give way.
    pub(super) fn arrivals(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.arrived)
    }

    /// Whether more changes are already waiting.
    pub(super) fn pending(&mut self) -> bool {
        if self.held.is_none() {
            self.held = self.rx.try_recv().ok();
        }
        self.held.is_some()
    }

    /// A watched folder created after the server started (`static/`, a new `templates/`) is
    /// watched from now on.
    fn watch_new_folders(&mut self, paths: &[PathBuf]) {
        for p in paths {
            let is_new_source_dir = p.parent() == Some(self.root.as_path())
                && p.file_name()
                    .is_some_and(|n| WATCHED.contains(&n.to_string_lossy().as_ref()))
                && p.is_dir();
            if is_new_source_dir {
                let _ = self.debouncer.watch(p, RecursiveMode::Recursive);
            }
        }
    }
}

/// Whether an event changes content: reading a file (which the rebuild does) raises access and
/// metadata (atime) events, which must not trigger another rebuild.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// Whether a change to `path` can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == crate::config::CONFIG_FILE {
        return true;
    }
    if !WATCHED.contains(&first.as_ref()) {
        return false;
    }
    !rel.components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

/// Starts watching the site at `root`.
pub(super) fn watch(root: &Path) -> Result<Changes, Diagnostic> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (tx, rx) = channel();
    let arrived = Arc::new(AtomicBool::new(false));
    let raise = Arc::clone(&arrived);
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
                raise.store(true, Ordering::SeqCst);
            }
        }
    })
    .map_err(|e| Diagnostic::error(Code::Server, format!("cannot watch files: {e}")))?;
    // The root itself (not recursively: it may hold public/ and target/), for site.yaml and for
    // watched folders created later; each watched folder recursively.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| {
            Diagnostic::error(
                Code::Server,
                format!("cannot watch {}: {e}", root.display()),
            )
        })?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    Diagnostic::error(
                        Code::Server,
                        format!("cannot watch {}: {e}", path.display()),
                    )
                })?;
        }
    }
    Ok(Changes {
        rx,
        held: None,
        arrived,
        root,
        debouncer,
    })
}

#[cfg(test)]
mod tests {
    use super::relevant;
    use std::path::Path;

    #[test]
    fn only_sources_matter() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/a.md")));
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(
            root,
            Path::new("/site/themes/default/templates/base.html")
        ));
        assert!(!relevant(root, Path::new("/site/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/4913")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/target/x")));
    }
}
