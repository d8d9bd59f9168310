//! Stage 7, **write**: put the rendered site on disk without ever leaving a half-written one.
//!
//! The site is written into a fresh folder beside the output folder and swapped in by renames
//! only when every file is written, so a failed or interrupted build leaves the last good site
//! as it was. The output folder must be one stacks wrote before (it carries a marker file) or
//! new, and may not contain the sources: nothing outside it is ever deleted or written.

use crate::diagnostics::{Code, Diagnostic};
use crate::output::{Content, Output};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A file stacks leaves in every output folder, so it only ever replaces its own output.
pub const MARKER: &str = ".stacks-output";

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    /// Files written.
    pub files: usize,
    /// HTML pages among them.
    pub pages: usize,
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Canonicalise the longest existing ancestor, so symlinks and `..` cannot disguise a path.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

/// Refuses output folders that would overwrite or delete the site's own sources.
pub(crate) fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            Code::Output,
            format!("refusing to write the site to {}: {why}", out.display()),
        )
        .hint("choose an output folder of its own, such as `public/` under the site root"))
    };
    if out_abs == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out_abs) {
        return refuse("it contains the site root");
    }
    for source in ["content", "templates", "static", "themes"] {
        if out_abs.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's `{source}/` folder"));
        }
    }
    if out_abs.parent().is_none() {
        return refuse("it is a filesystem root");
    }
    if out_abs.is_file() {
        return refuse("it is a file");
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse("it holds files stacks did not write");
        }
    }
    Ok(())
}

fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains(':')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.stacks-{tag}-{}", std::process::id()))
}

fn io_error(what: &str, p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Output, format!("cannot {what} {}: {e}", p.display()))
        .hint("check free space and permissions of the output folder's parent")
}

/// A new site being written beside the output folder. Outputs arrive in batches (a build hands
/// over rendered pages as it goes, so they need not all be held at once); [`Staging::commit`]
/// swaps the finished site in, and dropping it uncommitted removes what was written.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    stats: std::cell::Cell<WriteStats>,
    committed: bool,
}

impl Staging {
    /// Starts a new site for the output folder `out` (checked by [`check_output_dir`]).
    pub(crate) fn open(out: &Path) -> Result<Self, Diagnostic> {
        let out = absolute(out);
        let dir = sibling(&out, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io_error("clear", &dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, e))?;
        Ok(Self {
            out,
            dir,
            stats: std::cell::Cell::default(),
            committed: false,
        })
    }

    /// Writes `outputs` into the new site, in parallel.
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
        let dirs: BTreeSet<PathBuf> = outputs
            .iter()
            .filter_map(|o| self.dir.join(&o.path).parent().map(Path::to_path_buf))
            .collect();
        for d in &dirs {
            fs::create_dir_all(d).map_err(|e| io_error("create", d, e))?;
        }
        let dir = &self.dir;
        outputs.par_iter().try_for_each(|o| {
            let dest = dir.join(&o.path);
            match &o.content {
                Content::Bytes(b) => fs::write(&dest, b).map_err(|e| io_error("write", &dest, e)),
                Content::Static(b) => fs::write(&dest, b).map_err(|e| io_error("write", &dest, e)),
                Content::Copy(from) => fs::copy(from, &dest)
                    .map(|_| ())
                    .map_err(|e| io_error("copy into", &dest, e)),
            }
        })?;
        let before = self.stats.get();
        self.stats.set(WriteStats {
            files: before.files + outputs.len(),
            pages: before.pages + outputs.iter().filter(|o| o.is_page()).count(),
        });
        Ok(())
    }

    /// Puts the new site in place of the output folder, removing the previous one.
    pub(crate) fn commit(mut self) -> Result<WriteStats, Diagnostic> {
        let marker = self.dir.join(MARKER);
        fs::write(
            &marker,
            "This folder is written by stacks and replaced on every build.\n",
        )
        .map_err(|e| io_error("write", &marker, e))?;
        let (out, staging) = (&self.out, &self.dir);
        let old = sibling(out, "old");
        if out.exists() {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| io_error("clear", &old, e))?;
            }
            fs::rename(out, &old).map_err(|e| io_error("move aside", out, e))?;
        }
        if let Err(e) = fs::rename(staging, out) {
            if old.exists() {
                let _ = fs::rename(&old, out);
            }
            return Err(io_error("move into place", out, e));
        }
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old)
                .map_err(|e| io_error("remove the previous site at", &old, e))?;
        }
        Ok(self.stats.get())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_only() {
        assert!(safe_relative("a/b/index.html"));
        for bad in ["../x", "/etc/passwd", "a/../../x", "C:/x", "a\\..\\x", ""] {
            assert!(!safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn refuses_sources_and_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        fs::create_dir_all(root.join("other")).unwrap();
        fs::write(root.join("other/keep.txt"), "x").unwrap();
        assert!(check_output_dir(root, &root.join("other")).is_err());
    }
}
