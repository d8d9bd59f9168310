//! The tree a build writes into: the generation of the site before the published one, kept
//! beside the output folder, brought up to date file by file and then exchanged with the
//! published tree in one step.
//!
//! Each build therefore writes only the files that differ from that older generation, and a file
//! that the published site already holds with the same bytes is linked from it rather than
//! written, so it keeps its modification time (hosts and rsync upload only what changed). The
//! working tree loses its marker while it is changed: after a build that was killed, the next one
//! sees an unknown tree, removes it and starts again from the published site.

use super::manifest::{self, Entry, Files, Store};
use super::{MARKER, WriteStats, io_error, safe_relative, swap};
use crate::diagnostics::{Code, Diagnostic};
use crate::output::{Content, Output, Previous};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A new site being written beside the output folder. Outputs arrive in batches (a build hands
/// over rendered pages as it goes, so they need not all be held at once); [`Staging::commit`]
/// puts the finished site in place of the output folder. Dropped uncommitted, it leaves the
/// published site as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    work: PathBuf,
    /// Where manifests are kept; `None` when the build cache is off, and every file is written.
    store: Option<Store>,
    /// The published tree's generation and files (those still as stacks wrote them).
    published: Option<(u64, Files)>,
    /// What the working tree holds on disk, kept exact as files are placed.
    held: Mutex<Files>,
    /// The new site: every file put so far.
    next: Mutex<Files>,
    /// Folders of the working tree known to exist.
    dirs: Mutex<HashSet<PathBuf>>,
    stats: Mutex<WriteStats>,
    /// Set when the working tree changed in a way `held` does not follow (a folder replaced by a
    /// file, a failed write): it is then not offered to the next build.
    unknown: std::sync::atomic::AtomicBool,
    committed: bool,
}

/// How a file reached the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// It was already there with the same bytes.
    Kept,
    /// Linked from the published tree, which has the same bytes.
    Linked,
    /// Written.
    Written,
}

impl Staging {
    /// Prepares the working tree for the output folder `out` (checked by
    /// [`super::check_output_dir`]). With `cache` (the build cache folder), manifests are read
    /// and kept there, so that unchanged files are not written again; `published` is what the
    /// build already found of the published tree, when it looked.
    pub(crate) fn open(
        out: &Path,
        cache: Option<&Path>,
        published: Option<Published>,
    ) -> Result<Self, Diagnostic> {
        let out = super::absolute(out);
        let work = super::sibling(&out, "prev");
        remove_leftovers(&out);
        let store = cache.map(|c| Store::new(c, &out));
        let known_out = match published {
            Some(p) => p.known,
            None => store.as_ref().and_then(|s| known(s, &out)),
        };
        // Files changed by hand in the published tree are not linked from.
        let published = store
            .as_ref()
            .and(known_out)
            .map(|k| (k.generation, k.files));
        let held = match store.as_ref().and_then(|s| known(s, &work)) {
            Some(k) => {
                for path in &k.changed {
                    let _ = fs::remove_file(work.join(path));
                }
                k.files
            }
            None => {
                if work.exists() {
                    fs::remove_dir_all(&work).map_err(|e| io_error("clear", &work, e))?;
                }
                fs::create_dir_all(&work).map_err(|e| io_error("create", &work, e))?;
                match &published {
                    Some((_, files)) => clone(&out, &work, files),
                    None => Files::new(),
                }
            }
        };
        // From here until the commit, the working tree is unknown to any other build.
        match fs::remove_file(work.join(MARKER)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(io_error("prepare", &work, e));
            }
            _ => {}
        }
        let dirs = parents(held.keys()).into_iter().collect();
        // The new site is about as large as the published one: sized once, not grown.
        let next = Files::with_capacity(published.as_ref().map_or(0, |(_, f)| f.len()));
        Ok(Self {
            out,
            work,
            store,
            published,
            held: Mutex::new(held),
            next: Mutex::new(next),
            dirs: Mutex::new(dirs),
            stats: Mutex::default(),
            unknown: Default::default(),
            committed: false,
        })
    }

    /// What the published site's files were made from, for the render to skip what did not
    /// change (empty when the published tree is unknown).
    pub(crate) fn previous(&self) -> Previous {
        let files = self.published.as_ref().map(|(_, f)| f);
        Previous(
            files
                .into_iter()
                .flatten()
                .filter(|(_, e)| e.inputs != [0; 16])
                .map(|(p, e)| (p.clone(), e.inputs))
                .collect(),
        )
    }

    /// Adds `outputs` to the new site: each is compared with what the working tree and the
    /// published tree hold, and written only when neither has its bytes. In parallel.
    pub(crate) fn put(&self, outputs: &[Output]) -> Result<(), Diagnostic> {
        if let Some(bad) = outputs.iter().find(|o| !safe_relative(&o.path)) {
            return Err(Diagnostic::error(
                Code::Output,
                format!("output path `{}` would escape the output folder", bad.path),
            )
            .hint(
                "remove `..`, drive letters and leading `/` from slugs, aliases and file names",
            ));
        }
        self.make_dirs(outputs.iter().map(|o| o.path.as_str()))?;
        let placed: Vec<Result<(Entry, Placed), Diagnostic>> =
            outputs.par_iter().map(|o| self.place(o)).collect();
        self.record(outputs.iter().map(|o| o.path.as_str()).zip(placed))
    }

    /// Keeps the published files at `paths` in the new site as they are: the build found them
    /// made from the same inputs, so it did not make them again.
    pub(crate) fn keep(&self, paths: &[String]) -> Result<(), Diagnostic> {
        self.make_dirs(paths.iter().map(String::as_str))?;
        let placed: Vec<Result<(Entry, Placed), Diagnostic>> = paths
            .par_iter()
            .map(|path| {
                self.keep_one(path)?.ok_or_else(|| {
                    Diagnostic::error(
                        Code::Output,
                        format!("{path} was to be kept from the published site, which lacks it"),
                    )
                    .hint("this is a bug in stacks; build with --no-cache meanwhile")
                })
            })
            .collect();
        self.record(paths.iter().map(String::as_str).zip(placed))
    }

    /// Notes where each file went, for the manifest and the summary.
    fn record<'p>(
        &self,
        placed: impl Iterator<Item = (&'p str, Result<(Entry, Placed), Diagnostic>)>,
    ) -> Result<(), Diagnostic> {
        let mut held = lock(&self.held);
        let mut next = lock(&self.next);
        let mut stats = lock(&self.stats);
        for (path, p) in placed {
            let (entry, how) = p.inspect_err(|_| self.mark_unknown())?;
            held.insert(path.to_string(), entry);
            next.insert(path.to_string(), entry);
            // What a reader of the published site sees change (not the older working tree).
            let before = self.published.as_ref().and_then(|(_, f)| f.get(path));
            stats.files += 1;
            stats.pages += usize::from(path.ends_with(".html"));
            stats.changed += usize::from(before.is_none_or(|e| e.hash != entry.hash));
            stats.written += usize::from(how == Placed::Written);
        }
        Ok(())
    }

    /// Brings the working tree's `path` to the published file, when the published tree has one.
    fn keep_one(&self, path: &str) -> Result<Option<(Entry, Placed)>, Diagnostic> {
        let Some(&published) = self.published.as_ref().and_then(|(_, f)| f.get(path)) else {
            return Ok(None);
        };
        let held = lock(&self.held).get(path).copied();
        if held.is_some_and(|e| e.hash == published.hash) {
            return Ok(Some((published, Placed::Kept)));
        }
        let dest = self.work.join(path);
        self.clear(&dest)
            .map_err(|e| io_error("replace", &dest, e))?;
        match fs::hard_link(self.out.join(path), &dest) {
            Ok(()) => Ok(Some((published, Placed::Linked))),
            // Not linkable (a filesystem without hard links): make it the usual way instead.
            Err(_) => Ok(None),
        }
    }

    /// Brings one output's file in the working tree to its new bytes.
    fn place(&self, o: &Output) -> Result<(Entry, Placed), Diagnostic> {
        if let Some(inputs) = o.inputs {
            let published = self.published.as_ref().and_then(|(_, f)| f.get(&o.path));
            if published.is_some_and(|e| e.inputs == inputs)
                && let Some(kept) = self.keep_one(&o.path)?
            {
                return Ok(kept);
            }
        }
        let dest = self.work.join(&o.path);
        let read;
        let bytes: &[u8] = match &o.content {
            Content::Bytes(b) => b,
            Content::Static(b) => b,
            Content::Copy(from) => {
                read = fs::read(from).map_err(|e| io_error("read", from, e))?;
                &read
            }
        };
        let hash = manifest::hash(bytes);
        let inputs = o.inputs.unwrap_or_default();
        let held = lock(&self.held).get(&o.path).copied();
        if let Some(e) = held.filter(|e| e.hash == hash) {
            return Ok((Entry { inputs, ..e }, Placed::Kept));
        }
        self.clear(&dest)
            .map_err(|e| io_error("replace", &dest, e))?;
        let published = self.published.as_ref().and_then(|(_, f)| f.get(&o.path));
        if let Some(&e) = published.filter(|e| e.hash == hash)
            && fs::hard_link(self.out.join(&o.path), &dest).is_ok()
        {
            return Ok((Entry { inputs, ..e }, Placed::Linked));
        }
        fs::write(&dest, bytes).map_err(|e| io_error("write", &dest, e))?;
        let entry =
            Entry::of_file(&dest, hash, inputs).map_err(|e| io_error("read back", &dest, e))?;
        Ok((entry, Placed::Written))
    }

    /// Removes what stands at `dest`. Files are never written in place: the working tree shares
    /// unchanged files with the published one, and writing through such a link would change the
    /// published site before its time.
    fn clear(&self, dest: &Path) -> io::Result<()> {
        match fs::symlink_metadata(dest) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
            Ok(m) if m.is_dir() => {
                // A folder where the new site has a file: what it held is gone.
                self.mark_unknown();
                fs::remove_dir_all(dest)
            }
            Ok(_) => fs::remove_file(dest),
        }
    }

    /// Creates the folders `paths` need, replacing any file that stands where a folder goes.
    fn make_dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let mut dirs = lock(&self.dirs);
        for dir in parents(paths) {
            if dirs.contains(&dir) {
                continue;
            }
            let full = self.work.join(&dir);
            if fs::create_dir_all(&full).is_err() {
                // A file of the old site where the new one has a folder (`a.html` then `a/`).
                for ancestor in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
                    if self.work.join(ancestor).is_file() {
                        let _ = fs::remove_file(self.work.join(ancestor));
                        lock(&self.held).remove(&*ancestor.to_string_lossy());
                    }
                }
                fs::create_dir_all(&full).map_err(|e| io_error("create", &full, e))?;
            }
            dirs.insert(dir);
        }
        Ok(())
    }

    fn mark_unknown(&self) {
        self.unknown
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Removes what the old tree held and the new site does not, and puts the new site in place
    /// of the output folder. The tree it replaces is kept for the next build to bring up to date
    /// when its manifest is known, and removed otherwise.
    pub(crate) fn commit(mut self) -> Result<WriteStats, Diagnostic> {
        let next = std::mem::take(&mut *lock(&self.next));
        let stale: Vec<String> = lock(&self.held)
            .keys()
            .filter(|p| !next.contains_key(*p))
            .cloned()
            .collect();
        stale.par_iter().for_each(|p| {
            let _ = fs::remove_file(self.work.join(p));
        });
        remove_empty_dirs(&self.work, &stale, &next);
        let generation = new_generation(&self.out);
        // The manifest is saved before the exchange, so the published tree is never unknown.
        let saved = self
            .store
            .as_ref()
            .is_some_and(|s| s.save(generation, &next).is_ok());
        write_marker(&self.work, generation)?;
        swap::exchange(&self.work, &self.out)
            .map_err(|e| io_error("put the new site in place of", &self.out, e))?;
        self.committed = true;
        let kept = match (&self.store, &self.published) {
            (Some(store), Some((previous, _))) if saved => {
                store.prune(&[generation, *previous]);
                true
            }
            (Some(store), _) if saved => {
                store.prune(&[generation]);
                false
            }
            _ => false,
        };
        if !kept {
            let _ = fs::remove_dir_all(&self.work);
        }
        Ok(*lock(&self.stats))
    }
}

impl Drop for Staging {
    /// A build that stops before its commit leaves the published site untouched; the working
    /// tree is kept, with a manifest of what it now holds, for the next build.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let known = !self.unknown.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(store) = self.store.as_ref().filter(|_| known) {
            let generation = new_generation(&self.out);
            let held = lock(&self.held);
            if store.save(generation, &held).is_ok() && write_marker(&self.work, generation).is_ok()
            {
                let published = self.published.as_ref().map(|(g, _)| *g);
                store.prune(
                    &[Some(generation), published]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>(),
                );
                return;
            }
        }
        let _ = fs::remove_dir_all(&self.work);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A tree stacks knows: its generation and files, and the files found changed since.
struct Known {
    generation: u64,
    files: Files,
    changed: Vec<String>,
}

/// Reads the marker of `tree` and the manifest of its generation, and checks every file against
/// it (size and modification time); `None` when the tree has no marker or no saved manifest.
fn known(store: &Store, tree: &Path) -> Option<Known> {
    let generation = read_marker(tree)?;
    let mut files = store.load(generation)?;
    let changed: Vec<String> = files
        .par_iter()
        .filter(|(path, e)| !e.matches(&tree.join(path)))
        .map(|(path, _)| path.clone())
        .collect();
    for path in &changed {
        files.remove(path);
    }
    Some(Known {
        generation,
        files,
        changed,
    })
}

/// The published tree as a build first finds it: what of it is as stacks wrote it, and, when
/// asked, whether all of it is. Looked at once, both to tell that nothing changed and to start
/// the new site.
pub(crate) struct Published {
    out: PathBuf,
    known: Option<Known>,
}

impl Published {
    /// Looks at the published tree `out`, with the manifests in the build cache folder `cache`.
    pub(crate) fn look(out: &Path, cache: &Path) -> Self {
        let out = super::absolute(out);
        let known = known(&Store::new(cache, &out), &out);
        Self { out, known }
    }

    /// The tree's generation when it holds exactly the files its manifest lists, each as stacks
    /// wrote it: what a build that changes nothing may leave as it is. A file added, removed or
    /// edited by hand since makes it `None`. Files are counted only when asked, as after an
    /// edit nobody asks.
    pub(crate) fn intact(&self) -> Option<u64> {
        let k = self.known.as_ref()?;
        let whole = k.changed.is_empty() && count_files(&self.out) == Some(k.files.len());
        whole.then_some(k.generation)
    }
}

/// The files of the tree `out`, but its marker; `None` when it cannot be read.
fn count_files(out: &Path) -> Option<usize> {
    let mut found = 0;
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_file() && !(entry.depth() == 1 && entry.file_name() == MARKER) {
            found += 1;
        }
    }
    Some(found)
}

/// The generation of the tree stacks last published at `out`, from its marker.
pub(crate) fn generation(out: &Path) -> Option<u64> {
    read_marker(&super::absolute(out))
}

/// Makes `work` a copy of the published tree `out` by hard links: no file is written.
fn clone(out: &Path, work: &Path, files: &Files) -> Files {
    for dir in parents(files.keys()) {
        let _ = fs::create_dir_all(work.join(dir));
    }
    files
        .par_iter()
        .filter(|(path, _)| fs::hard_link(out.join(path), work.join(path)).is_ok())
        .map(|(path, e)| (path.clone(), *e))
        .collect()
}

/// The folders that hold `paths`, relative, shortest first.
fn parents<'a, S: AsRef<str> + 'a>(paths: impl Iterator<Item = S>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = paths
        .filter_map(|p| Path::new(p.as_ref()).parent().map(Path::to_path_buf))
        .filter(|d| !d.as_os_str().is_empty())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    dirs.sort_by_key(|d| d.components().count());
    dirs
}

/// Removes the folders that only held `stale` files, deepest first.
fn remove_empty_dirs(work: &Path, stale: &[String], next: &Files) {
    let live: HashSet<PathBuf> = parents(next.keys())
        .into_iter()
        .flat_map(|d| d.ancestors().map(Path::to_path_buf).collect::<Vec<_>>())
        .collect();
    let mut candidates: Vec<PathBuf> = parents(stale.iter())
        .into_iter()
        .flat_map(|d| d.ancestors().map(Path::to_path_buf).collect::<Vec<_>>())
        .filter(|d| !d.as_os_str().is_empty() && !live.contains(d))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    candidates.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in candidates {
        let _ = fs::remove_dir(work.join(d));
    }
}

/// Removes what interrupted builds of older versions left beside the output folder.
fn remove_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let prefixes = [
        format!(".{name}.stacks-new-"),
        format!(".{name}.stacks-old-"),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        if prefixes.iter().any(|p| file.starts_with(p.as_str())) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// A generation number no other tree of this output has.
fn new_generation(out: &Path) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let key = crate::cache::memo::key(&[
        out.as_os_str().as_encoded_bytes(),
        &now.to_le_bytes(),
        &std::process::id().to_le_bytes(),
    ]);
    let mut first = [0; 8];
    first.copy_from_slice(&key.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

const GENERATION: &str = "generation ";

fn write_marker(tree: &Path, generation: u64) -> Result<(), Diagnostic> {
    let marker = tree.join(MARKER);
    let text = format!(
        "This folder is written by stacks: each build brings it up to date and removes what the \
         site no longer has.\n{GENERATION}{generation:016x}\n"
    );
    fs::write(&marker, text).map_err(|e| io_error("write", &marker, e))
}

fn read_marker(tree: &Path) -> Option<u64> {
    let text = fs::read_to_string(tree.join(MARKER)).ok()?;
    let hex = text.lines().find_map(|l| l.strip_prefix(GENERATION))?;
    u64::from_str_radix(hex.trim(), 16).ok()
}
