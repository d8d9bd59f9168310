//! Stage 7, **write**: put the rendered site on disk without ever leaving a half-written one,
//! writing only what changed.
//!
//! The site is written into a second tree beside the output folder (the generation before the
//! published one, see `tree`), and exchanged with the published tree in one step when every file
//! is in place, so a failed or interrupted build leaves the last good site as it was. Manifests
//! of both trees (`manifest`) let a build skip every file whose bytes did not change. The output
//! folder must be one stacks wrote before (it carries a marker file) or new, and may not contain
//! the sources: nothing outside it and its sibling tree is ever deleted or written.

mod manifest;
mod swap;
mod tree;

pub(crate) use tree::{Published, Staging, generation};

use crate::diagnostics::{Code, Diagnostic};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// A file stacks leaves in every output folder, so it only ever replaces its own output.
pub const MARKER: &str = ".stacks-output";

/// What was written.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct WriteStats {
    /// Files the site has.
    pub files: usize,
    /// HTML pages among them.
    pub pages: usize,
    /// Files new or different from the published site's.
    pub changed: usize,
    /// Files whose bytes were written; the others were already in place, or linked unchanged
    /// from the published site.
    pub written: usize,
}

pub(super) fn absolute(p: &Path) -> PathBuf {
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

/// A folder beside the output folder, hidden, named after it.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.stacks-{tag}"))
}

fn io_error(what: &str, p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Output, format!("cannot {what} {}: {e}", p.display()))
        .hint("check free space and permissions of the output folder's parent")
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
