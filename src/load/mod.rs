//! Stage 1, **load**: read the configuration and the theme, and walk the content tree.
//!
//! Markdown files are found and stat'ed here but read by the parse stage, one at a time as it
//! parses them (with [`read_document`]), so a build never holds every article's text at once and
//! never reads a file whose parse the build cache holds. Problems (unreadable files, symlink
//! loops, text that is not UTF-8) become diagnostics and never stop the walk.

mod theme;

pub(crate) use theme::{StaticFile, StaticSource, Template, Theme};

use crate::config::{self, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Folder under the root that holds the articles.
pub const CONTENT_DIR: &str = "content";

/// Largest markdown file accepted. Far beyond any real article; the bound keeps one runaway file
/// (a pasted log, a generated dump) from stalling the whole build.
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

/// Everything the build reads from disk.
#[derive(Debug)]
pub(crate) struct SiteSource {
    /// The parsed `site.yaml`.
    pub config: SiteConfig,
    /// The size and modification time of every markdown file, in the order of the content tree
    /// (sorted by path): a file the build cache holds a parse of, for exactly this size and time,
    /// is never read.
    pub stats: Vec<(String, Stat)>,
    /// Every other file under `content/`, copied beside the page it belongs to.
    pub assets: Vec<Asset>,
    /// Templates and static files of the theme, with the site's own overrides applied.
    pub theme: Theme,
}

/// A file's size and modification time (nanoseconds since 1970): what tells that a file is the
/// one a cache entry was made from without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Stat {
    /// Bytes.
    pub(crate) size: u64,
    /// Modification time.
    pub(crate) mtime: u64,
}

impl Stat {
    /// The stat of a file from its metadata.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Self {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        Self {
            size: meta.len(),
            mtime,
        }
    }
}

/// What a markdown file is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DocumentKind {
    /// `_index.md`: the text and front matter of the folder it is in.
    Section,
    /// `name.md`: an article whose URL comes from the file name.
    Article,
    /// `name/index.md`: an article whose folder also holds its images and files.
    Bundle,
}

/// One markdown file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Section, article or bundle.
    pub kind: DocumentKind,
    /// The text, with a byte-order mark removed and line endings normalised to `\n`.
    pub text: String,
}

impl Document {
    /// The path relative to the site root, for diagnostics.
    pub fn display_path(&self) -> PathBuf {
        Path::new(CONTENT_DIR).join(&self.rel)
    }
}

/// A non-markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Where to copy it from.
    pub path: PathBuf,
}

/// Whether a file or folder name is something an editor or the OS left behind, or hidden: such
/// files are never content. Shared with the watcher so that saves of swap files trigger nothing.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

/// Folders another generator keeps beside its pages — layouts, includes, styles, data, its own
/// output — which are never content, so a library's source folder can be used as it is.
pub(crate) fn is_generator_folder(name: &str) -> bool {
    matches!(
        name,
        "_site" | "_layouts" | "_includes" | "_sass" | "_data" | "node_modules"
    )
}

/// Reads the site under `root`: its settings, theme and the list of its files. Problems are
/// added to `diags`.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> SiteSource {
    let config = config::load(root, diags);
    let content = read_content(root, diags);
    let theme = theme::load(root, &config.theme, diags);
    SiteSource {
        config,
        stats: content.stats,
        assets: content.assets,
        theme,
    }
}

/// What is under `content/`.
struct Content {
    stats: Vec<(String, Stat)>,
    assets: Vec<Asset>,
}

/// Converts a path under `base` into a `/`-separated relative string.
pub(crate) fn rel_string(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_content(root: &Path, diags: &mut Diagnostics) -> Content {
    let mut found = Content {
        stats: Vec::new(),
        assets: Vec::new(),
    };
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::Config,
                format!("no `{CONTENT_DIR}/` folder in {}", root.display()),
            )
            .hint("create content/_index.md for the home page, or run `stacks init <dir>`"),
        );
        return found;
    }
    let mut markdown = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(is_ignored_name(&name) || e.file_type().is_dir() && is_generator_folder(&name))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(root, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_string(&content, entry.path());
        if rel.ends_with(".md") {
            markdown.push((rel, entry.path().to_path_buf()));
        } else {
            found.assets.push(Asset {
                rel,
                path: entry.path().to_path_buf(),
            });
        }
    }
    // A file that cannot be stat'ed gets an empty stat, which no cache entry matches: the parse
    // stage then reads it and reports why it cannot.
    found.stats = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let stat = std::fs::metadata(&path).map(|m| Stat::of(&m));
            (rel, stat.unwrap_or_default())
        })
        .collect();
    found
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
    let d = if let Some(ancestor) = e.loop_ancestor() {
        Diagnostic::error(
            Code::Unreadable,
            format!(
                "symlink loop: it points back to {}",
                ancestor.strip_prefix(root).unwrap_or(ancestor).display()
            ),
        )
        .hint("remove the link or point it outside its own ancestors")
    } else {
        Diagnostic::error(Code::Unreadable, format!("cannot read: {e}"))
            .hint("check the file's permissions, or remove it from content/")
    };
    match path {
        Some(p) => d.in_file(p),
        None => d,
    }
}

fn kind_of(rel: &str) -> DocumentKind {
    match rel.rsplit('/').next() {
        Some("_index.md") => DocumentKind::Section,
        Some("index.md") if rel.contains('/') => DocumentKind::Bundle,
        _ => DocumentKind::Article,
    }
}

pub(crate) fn read_document(rel: &str, path: &Path) -> Result<Document, Diagnostic> {
    let shown = Path::new(CONTENT_DIR).join(rel);
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(Code::Unreadable, format!("cannot read file: {e}"))
            .in_file(&shown)
            .hint("check the file's permissions")
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(Diagnostic::error(
            Code::Unreadable,
            format!(
                "file is {} MiB, more than the {} MiB a page may have",
                size / (1024 * 1024),
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        )
        .in_file(&shown)
        .hint("split it into several articles, or move data into an asset file"));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Diagnostic::error(Code::Unreadable, "file is not valid UTF-8 text")
            .in_file(&shown)
            .at(line, col)
            .hint("save the file as UTF-8 in your editor")
    })?;
    Ok(Document {
        rel: rel.to_string(),
        kind: kind_of(rel),
        text: normalise(text),
    })
}

/// Removes a byte-order mark and turns CRLF and lone CR into LF, so every later stage sees one
/// kind of line ending and line numbers stay the author's.
pub fn normalise(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".#a.md", "a.md~", ".a.md.swp", "4913", ".hidden", "#a.md#"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
    }

    #[test]
    fn kinds_come_from_names() {
        assert_eq!(kind_of("a/_index.md"), DocumentKind::Section);
        assert_eq!(kind_of("a/b/index.md"), DocumentKind::Bundle);
        assert_eq!(kind_of("index.md"), DocumentKind::Article);
        assert_eq!(kind_of("a/b.md"), DocumentKind::Article);
    }

    #[test]
    fn line_endings_and_bom_are_normalised() {
        assert_eq!(normalise("\u{feff}a\r\nb\rc".into()), "a\nb\nc");
    }
}
