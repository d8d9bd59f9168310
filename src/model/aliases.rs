//! `aliases:`: old URLs that redirect to a page, so that moving an article never breaks a link
//! someone else published.

use super::{Page, PageId};
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::path::PathBuf;

/// A redirect from an old URL to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Output path of the redirect page relative to the site root (`old/url/index.html`).
    pub path: String,
    /// The page it redirects to.
    pub target: PageId,
}

/// Turns `/old/url/`, `old/url` or `/old/page.html` into an output file path, or says why not.
fn output_path(alias: &str) -> Result<String, &'static str> {
    let a = alias.trim();
    if a.contains("://") || a.starts_with("//") {
        return Err("an alias is a path on this site, not a full URL");
    }
    if a.contains('\\') || a.as_bytes().get(1) == Some(&b':') {
        return Err("an alias may not hold a backslash or a drive letter");
    }
    let trimmed = a.trim_matches('/');
    if trimmed.is_empty() {
        return Err("an alias cannot be the site root");
    }
    if trimmed
        .split('/')
        .any(|s| s == ".." || s == "." || s.is_empty())
    {
        return Err("an alias may not contain `..`, `.` or empty segments");
    }
    Ok(if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    })
}

/// Collects every page's aliases. `taken` maps output folder paths (`a/b/`) to the file that
/// owns them; an alias there is an error naming both files.
pub fn collect(
    pages: &[Page],
    taken: &HashMap<String, PathBuf>,
    diags: &mut Diagnostics,
) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    let mut seen: HashMap<String, PageId> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        let file = page.file();
        let line = yaml_line(page);
        for alias in &page.front.aliases {
            let at = |d: Diagnostic| d.in_file(&file).at(line, 1);
            let path = match output_path(alias) {
                Ok(p) => p,
                Err(why) => {
                    diags.push(
                        at(Diagnostic::error(format!("alias `{alias}`: {why}")))
                            .hint("write aliases as site paths such as /old/section/page/"),
                    );
                    continue;
                }
            };
            let folder = path.strip_suffix("index.html").unwrap_or(&path);
            if let Some(owner) = taken.get(folder) {
                diags.push(
                    at(Diagnostic::error(format!(
                        "alias `{alias}` is the URL of {}, so the redirect would replace that page",
                        owner.display()
                    )))
                    .hint("remove the alias, or move the other page"),
                );
                continue;
            }
            match seen.get(&path) {
                Some(&other) if other == id => diags.push(
                    at(Diagnostic::warning(format!(
                        "alias `{alias}` is listed twice"
                    )))
                    .hint("remove the repeated entry"),
                ),
                Some(&other) => diags.push(
                    at(Diagnostic::warning(format!(
                        "alias `{alias}` is also claimed by {}; the first one wins",
                        pages[other].file().display()
                    )))
                    .hint("keep the alias on one page only"),
                ),
                None => {
                    seen.insert(path.clone(), id);
                    out.push(Alias { path, target: id });
                }
            }
        }
    }
    out
}

fn yaml_line(page: &Page) -> usize {
    page.front.line_of("aliases").unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::output_path;

    #[test]
    fn alias_paths() {
        assert_eq!(output_path("/old/url/").unwrap(), "old/url/index.html");
        assert_eq!(output_path("old.html").unwrap(), "old.html");
        for bad in ["/", "../x", "/a/../b", "C:/x", "a\\b", "https://x.y/a"] {
            assert!(output_path(bad).is_err(), "{bad}");
        }
    }
}
