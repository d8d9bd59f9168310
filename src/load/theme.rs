//! The theme: tera templates and static files, from `themes/<name>/`, with the site's own
//! `templates/` and `static/` laid over them by file name.
//!
//! The default theme is also compiled into the binary, so a site made by `stacks init` builds
//! without a copy of it; a `themes/default/` folder on disk takes precedence, which is how the
//! theme is developed and how a site customises it wholesale.

use super::rel_string;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme with the site's overrides applied.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    /// Templates by name (path under `templates/`, e.g. `article.html`).
    pub templates: Vec<Template>,
    /// Files copied as they are into the output.
    pub static_files: Vec<StaticFile>,
}

/// One tera template.
#[derive(Debug, Clone)]
pub struct Template {
    /// Name used by `{% extends %}`, `{% include %}` and the renderer, e.g. `article.html`.
    pub name: String,
    /// Where it came from, for diagnostics (relative to the site root, or `<built-in theme>/…`).
    pub origin: PathBuf,
    /// The template text.
    pub text: String,
}

/// A file copied as it is.
#[derive(Debug, Clone)]
pub(crate) struct StaticFile {
    /// Output path relative to the site root.
    pub rel: String,
    /// Where its bytes come from.
    pub source: StaticSource,
}

/// The bytes of a static file: on disk, or compiled into the binary.
#[derive(Debug, Clone)]
pub(crate) enum StaticSource {
    /// A file to copy.
    Disk(PathBuf),
    /// Bytes of the built-in default theme.
    Embedded(&'static [u8]),
}

/// Loads theme `name` for the site at `root`.
pub(super) fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Theme {
    let mut theme = Theme::default();
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        read_templates(root, &dir.join("templates"), &mut theme.templates, diags);
        read_static(&dir.join("static"), &mut theme.static_files, diags);
    } else if name == "default" {
        embedded(&mut theme);
    } else {
        diags.push(
            Diagnostic::error(
                Code::Theme,
                format!("theme `{name}` not found at themes/{name}/"),
            )
            .in_file(crate::config::CONFIG_FILE)
            .hint("set `theme: default`, or put the theme's templates/ and static/ there"),
        );
        return theme;
    }
    let mut own = Vec::new();
    read_templates(root, &root.join("templates"), &mut own, diags);
    for t in own {
        theme.templates.retain(|x| x.name != t.name);
        theme.templates.push(t);
    }
    let mut own_static = Vec::new();
    read_static(&root.join("static"), &mut own_static, diags);
    for s in own_static {
        theme.static_files.retain(|x| x.rel != s.rel);
        theme.static_files.push(s);
    }
    theme
}

fn embedded(theme: &mut Theme) {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
        out.extend(dir.files());
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut files = Vec::new();
    walk(&DEFAULT_THEME, &mut files);
    for f in files {
        let path = rel_string(Path::new(""), f.path());
        if let Some(name) = path.strip_prefix("templates/") {
            if let Some(text) = f.contents_utf8() {
                theme.templates.push(Template {
                    name: name.to_string(),
                    origin: Path::new("<built-in theme>").join(&path),
                    text: text.to_string(),
                });
            }
        } else if let Some(rel) = path.strip_prefix("static/") {
            theme.static_files.push(StaticFile {
                rel: rel.to_string(),
                source: StaticSource::Embedded(f.contents()),
            });
        }
    }
}

fn files_under(dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !super::is_ignored_name(&e.file_name().to_string_lossy())
        })
    {
        match entry {
            Ok(e) if e.file_type().is_file() => out.push(e.into_path()),
            Ok(_) => {}
            Err(e) => diags.push(
                Diagnostic::error(Code::Theme, format!("cannot read: {e}"))
                    .hint("check permissions and symlinks in the theme folder"),
            ),
        }
    }
    out
}

fn read_templates(root: &Path, dir: &Path, out: &mut Vec<Template>, diags: &mut Diagnostics) {
    for path in files_under(dir, diags) {
        let origin = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push(Template {
                name: rel_string(dir, &path),
                origin,
                text: super::normalise(text),
            }),
            Err(e) => diags.push(
                Diagnostic::error(Code::Theme, format!("cannot read template: {e}"))
                    .in_file(origin)
                    .hint("templates must be readable UTF-8 text"),
            ),
        }
    }
}

fn read_static(dir: &Path, out: &mut Vec<StaticFile>, diags: &mut Diagnostics) {
    for path in files_under(dir, diags) {
        out.push(StaticFile {
            rel: rel_string(dir, &path),
            source: StaticSource::Disk(path),
        });
    }
}
