//! `aliases:` (and Jekyll's `redirect_from:`): old URLs that redirect to a page, so that moving
//! an article never breaks a link someone else published.
//!
//! An alias never replaces a real page: when one names the URL of another page, that page stays
//! and a warning says so; an alias naming the page's own URL is simply ignored.

use super::urls::{Claims, Owner, output_file, site_path};
use super::{Page, PageId, Section, SectionId};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::path::PathBuf;

/// What an alias redirects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasTarget {
    /// An article or standalone page.
    Page(PageId),
    /// A section's index page.
    Section(SectionId),
}

/// A redirect from an old URL to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Output file of the redirect page relative to the site root (`old/url/index.html`).
    pub path: String,
    /// The page it redirects to.
    pub target: AliasTarget,
}

/// One page's aliases with what is needed to place them.
pub(super) struct Source<'a> {
    /// Who the aliases redirect to.
    pub target: AliasTarget,
    /// The aliases as written.
    pub aliases: &'a [String],
    /// The page's own output path (`a/b/`), which relative aliases are resolved against.
    pub path: &'a str,
    /// Its file, for diagnostics.
    pub file: PathBuf,
    /// The line of `aliases:` in it.
    pub line: usize,
}

/// The sources of every page's and section's aliases.
pub(super) fn sources<'a>(pages: &'a [Page], sections: &'a [Section]) -> Vec<Source<'a>> {
    let pages = pages.iter().enumerate().map(|(id, p)| Source {
        target: AliasTarget::Page(PageId(id)),
        aliases: &p.front.aliases,
        path: &p.path,
        file: p.file(),
        line: p.front.line_of("aliases").unwrap_or(1),
    });
    let sections = sections.iter().enumerate().filter_map(|(id, s)| {
        Some(Source {
            target: AliasTarget::Section(SectionId(id)),
            aliases: &s.front.aliases,
            path: &s.path,
            file: PathBuf::from(crate::load::CONTENT_DIR).join(s.rel.as_ref()?),
            line: s.front.line_of("aliases").unwrap_or(1),
        })
    });
    pages
        .chain(sections)
        .filter(|s| !s.aliases.is_empty())
        .collect()
}

/// Turns an alias into an output file path: site paths as written (`/old/url/`,
/// `/old/page.html`), and relative ones (`old-name`) beside the page, as Hugo resolves them.
fn output_path(alias: &str, page_path: &str) -> Result<String, &'static str> {
    let a = alias.trim();
    let absolute = if a.starts_with('/') || a.contains("://") {
        a.to_string()
    } else {
        let parent = page_path
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        format!("/{parent}/{a}")
    };
    let path = site_path(&absolute)?;
    if path.is_empty() {
        return Err("an alias cannot be the site root");
    }
    Ok(output_file(&path))
}

/// Places every alias of `sources`. `claims` holds every page's URL: an alias there keeps the
/// page and is a warning naming it (`describe` names an owner), unless it is the page's own.
pub(super) fn collect(
    sources: &[Source],
    claims: &Claims,
    describe: &dyn Fn(Owner) -> String,
    diags: &mut Diagnostics,
) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, src) in sources.iter().enumerate() {
        let own = output_file(src.path);
        for alias in src.aliases {
            let at = |d: Diagnostic| d.in_file(&src.file).at(src.line, 1);
            let path = match output_path(alias, src.path) {
                Ok(p) => p,
                Err(why) => {
                    diags.push(
                        at(Diagnostic::error(
                            Code::Alias,
                            format!("alias `{alias}`: {why}"),
                        ))
                        .hint("write aliases as site paths such as /old/section/page/"),
                    );
                    continue;
                }
            };
            if path == own {
                continue;
            }
            if let Some(owner) = claims.owner(&path) {
                diags.push(
                    at(Diagnostic::warning(
                        Code::AliasToPage,
                        format!(
                            "alias `{alias}` is the URL of {}; that page is kept and no redirect is written",
                            describe(owner)
                        ),
                    ))
                    .hint("remove the alias, or move the other page"),
                );
                continue;
            }
            match seen.get(&path) {
                Some(&other) if other == n => diags.push(
                    at(Diagnostic::warning(
                        Code::AliasConflict,
                        format!("alias `{alias}` is listed twice"),
                    ))
                    .hint("remove the repeated entry"),
                ),
                Some(&other) => diags.push(
                    at(Diagnostic::warning(
                        Code::AliasConflict,
                        format!(
                            "alias `{alias}` is also claimed by {}; the first one wins",
                            sources[other].file.display()
                        ),
                    ))
                    .hint("keep the alias on one page only"),
                ),
                None => {
                    seen.insert(path.clone(), n);
                    out.push(Alias {
                        path,
                        target: src.target,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::output_path;

    #[test]
    fn alias_paths() {
        assert_eq!(
            output_path("/old/url/", "x/").unwrap(),
            "old/url/index.html"
        );
        assert_eq!(output_path("/old/url", "x/").unwrap(), "old/url/index.html");
        assert_eq!(output_path("/old.html", "x/").unwrap(), "old.html");
        assert_eq!(
            output_path("old-name", "posts/new/").unwrap(),
            "posts/old-name/index.html"
        );
        assert!(output_path("../x", "a/b/c/").unwrap_err().contains("`..`"));
        for bad in ["/", "/a/../b", "C:/x", "a\\b", "https://x.y/a"] {
            assert!(output_path(bad, "p/").is_err(), "{bad}");
        }
    }
}
