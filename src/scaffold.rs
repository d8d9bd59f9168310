//! `stacks new` and `stacks init`: files an author would otherwise copy from an old article.

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::CONTENT_DIR;
use crate::model::urlize as slugify;
use std::fs;
use std::path::{Path, PathBuf};

fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

fn humanise(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Front matter and a skeleton body for a new article. Empty values are left for the author
/// (and flagged by `stacks check`) rather than filled with text that could be published.
pub fn article_text(title: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: \"\"   # one sentence of 50–160 characters for search results\ndate: {date}\nauthor: \"\"\ntags: []          # 3–6 tags shared with other articles\nanswer: \"\"        # the direct answer, 40–120 words\nfaq:              # 3 or more questions a reader would ask next\n  - q: \"\"\n    a: \"\"\nsources:\n  - title: \"\"\n    url: \"\"\ndraft: true\n---\n\nAnswer the title in the first paragraph.\n\n## First section\n\n## Second section\n",
        title = yaml_string(title),
        date = today(),
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                Code::Scaffold,
                format!("cannot create {}: {e}", parent.display()),
            )
        })?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| {
            Diagnostic::error(
                Code::Scaffold,
                format!("cannot write {}: {e}", path.display()),
            )
            .hint("stacks never overwrites an existing file")
        })
}

/// Writes a new article at `content/<path>.md`, creating missing sections on the way.
/// Returns the files written.
pub fn new_article(
    root: &Path,
    path: &str,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let parts: Vec<&str> = path
        .trim_matches('/')
        .trim_end_matches(".md")
        .split('/')
        .collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(
            Diagnostic::error(Code::Scaffold, format!("`{path}` is not a content path")).hint(
                "write it as library/collection/slug, e.g. revops/pipeline/stage-exit-criteria",
            ),
        );
    }
    let parts: Vec<String> = parts.iter().map(|p| slugify(p)).collect();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostic::error(
            Code::Scaffold,
            format!("no {CONTENT_DIR}/ folder in {}", root.display()),
        )
        .hint("run it from the site root, pass --root, or create a site with `stacks init`"));
    }
    let (slug, dirs) = parts.split_last().expect("split on a non-empty path");
    let file = content.join(dirs.join("/")).join(format!("{slug}.md"));
    let bundle = content.join(dirs.join("/")).join(slug).join("index.md");
    for existing in [&file, &bundle] {
        if existing.exists() {
            return Err(Diagnostic::error(
                Code::Scaffold,
                format!("{} already exists", existing.display()),
            )
            .hint("choose another slug; stacks never overwrites an article"));
        }
    }
    let mut written = Vec::new();
    let mut dir = content.clone();
    for d in dirs {
        dir.push(d);
        let index = dir.join("_index.md");
        if !index.exists() {
            write_new(
                &index,
                &format!(
                    "---\ntitle: {}\ndescription: \"\"\n---\n",
                    yaml_string(&humanise(d))
                ),
            )?;
            written.push(index);
        }
    }
    let title = title.map(str::to_string).unwrap_or_else(|| humanise(slug));
    write_new(&file, &article_text(&title))?;
    written.push(file);
    Ok(written)
}

/// Creates a new site in `dir`: configuration, a home page, one library with one collection and
/// one article. Refuses a folder that already has files.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error(Code::Scaffold, format!("{} is not empty", dir.display()))
                .hint("give `stacks init` a new or empty folder"),
        );
    }
    let name = dir
        .file_name()
        .map(|n| humanise(&n.to_string_lossy()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "My library".into());
    let files: Vec<(String, String)> = vec![
        (
            CONFIG_FILE.into(),
            format!(
                "title: {}\nbase_url: https://example.com/\ndescription: \"\"\nlanguage: en\ntaxonomies: [tags]\n",
                yaml_string(&name)
            ),
        ),
        (
            format!("{CONTENT_DIR}/_index.md"),
            format!(
                "---\ntitle: {}\n---\n\nWhat this library is for, in a sentence or two.\n",
                yaml_string(&name)
            ),
        ),
        (
            format!("{CONTENT_DIR}/guides/_index.md"),
            "---\ntitle: Guides\ndescription: \"\"\n---\n".into(),
        ),
        (
            format!("{CONTENT_DIR}/guides/getting-started/_index.md"),
            "---\ntitle: Getting started\ndescription: \"\"\n---\n".into(),
        ),
        (
            format!("{CONTENT_DIR}/guides/getting-started/first-article.md"),
            article_text("What is this library for?").replace("draft: true\n", ""),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_article_parses_and_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        let written = new_article(
            tmp.path(),
            "revops/pipeline/stage-exits",
            Some("How: \"quoted\"?"),
        )
        .unwrap();
        assert_eq!(written.len(), 3);
        let text = fs::read_to_string(written.last().unwrap()).unwrap();
        let split = crate::parse::front_matter::split(&text).unwrap();
        let mut d = crate::diagnostics::Diagnostics::new();
        let fm =
            crate::parse::front_matter::parse(&split.front.unwrap(), Path::new("x.md"), &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("How: \"quoted\"?"));
        assert!(fm.date.is_some());
        assert!(new_article(tmp.path(), "revops/pipeline/stage-exits", None).is_err());
        assert!(new_article(tmp.path(), "../escape", None).is_err());
    }
}
