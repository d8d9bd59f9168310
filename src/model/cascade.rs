//! Hugo's `cascade`: front matter that a section (or `site.yaml`) passes to the pages below it,
//! or to the pages a `target` glob matches, so that a library can be configured without editing
//! each file — or without any `_index.md` at all.
//!
//! A page's own keys always win; among cascades, the nearest section wins over those further
//! up, and `site.yaml`'s come last.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::front_matter::{Cascade, CascadeTarget, FrontMatter};
use globset::{GlobBuilder, GlobMatcher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What kind of page a cascade target's `kind` is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An article or standalone page.
    Page,
    /// A section's index.
    Section,
    /// The home page.
    Home,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Section => "section",
            Kind::Home => "home",
        }
    }
}

/// One cascade, ready to match.
#[derive(Debug, Clone)]
struct Rule {
    /// The folder (relative to `content/`) whose pages it applies to; `None` for site-wide.
    dir: Option<String>,
    path: Option<GlobMatcher>,
    kind: Option<GlobMatcher>,
    /// False when the target names an environment other than `production`.
    active: bool,
    front: FrontMatter,
}

/// Every cascade of the site, nearest first when applied.
#[derive(Debug, Clone, Default)]
pub struct Cascades {
    /// Section cascades, deepest folders first, then `site.yaml`'s.
    rules: Vec<Rule>,
}

impl Cascades {
    /// Collects the cascades of sections (`dir` is the section's folder, `file` its
    /// `_index.md`) and of `site.yaml`. A glob that cannot be read is an error naming the file.
    pub fn new<'a>(
        sections: impl IntoIterator<Item = (&'a str, PathBuf, usize, &'a [Cascade])>,
        site: &[Cascade],
        diags: &mut Diagnostics,
    ) -> Self {
        let mut rules = Vec::new();
        let mut from_sections: Vec<(usize, Rule)> = Vec::new();
        for (dir, file, line, cascades) in sections {
            for c in cascades {
                if let Some(rule) = rule(Some(dir), c, &file, line, diags) {
                    from_sections.push((
                        dir.matches('/').count() + usize::from(!dir.is_empty()),
                        rule,
                    ));
                }
            }
        }
        // Deepest first: a nearer section's values are applied before a further one's.
        from_sections.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
        rules.extend(from_sections.into_iter().map(|(_, r)| r));
        for c in site {
            if let Some(rule) = rule(None, c, Path::new(crate::config::CONFIG_FILE), 1, diags) {
                rules.push(rule);
            }
        }
        Self { rules }
    }

    /// Whether there is any cascade at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Fills what `front` leaves unset from every cascade that applies to the page at `rel`
    /// (relative to `content/`) of kind `kind`, nearest first.
    pub fn apply(&self, rel: &str, kind: Kind, front: &mut Arc<FrontMatter>) {
        if self.rules.is_empty() {
            return;
        }
        let path = logical_path(rel);
        let dir = folder_of(rel);
        for r in &self.rules {
            let below = match &r.dir {
                None => true,
                Some(d) => d.is_empty() || dir == *d || dir.starts_with(&format!("{d}/")),
            };
            let matches = r.active
                && below
                && r.path.as_ref().is_none_or(|g| g.is_match(&path))
                && r.kind.as_ref().is_none_or(|g| g.is_match(kind.name()));
            if matches {
                // The parse's front matter is copied only for a page a cascade reaches.
                Arc::make_mut(front).inherit(&r.front);
            }
        }
    }
}

fn rule(
    dir: Option<&str>,
    c: &Cascade,
    file: &Path,
    line: usize,
    diags: &mut Diagnostics,
) -> Option<Rule> {
    let target = c.target.clone().unwrap_or_default();
    let glob =
        |pattern: &Option<String>, diags: &mut Diagnostics| -> Result<Option<GlobMatcher>, ()> {
            let Some(p) = pattern else { return Ok(None) };
            // As in Hugo, `*` stays within one folder and `**` crosses them.
            match GlobBuilder::new(&p.to_lowercase())
                .literal_separator(true)
                .build()
            {
                Ok(g) => Ok(Some(g.compile_matcher())),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(Code::InvalidValue, format!("cascade target `{p}`: {e}"))
                            .in_file(file)
                            .at(line, 1)
                            .hint("write a glob such as /blog/** or {/blog,/blog/**}"),
                    );
                    Err(())
                }
            }
        };
    let CascadeTarget {
        path,
        kind,
        environment,
    } = &target;
    let path = glob(path, diags).ok()?;
    let kind = glob(kind, diags).ok()?;
    let active = match glob(environment, diags).ok()? {
        Some(g) => g.is_match("production"),
        None => true,
    };
    Some(Rule {
        dir: dir.map(str::to_string),
        path,
        kind,
        active,
        front: c.front.clone(),
    })
}

/// Hugo's logical path of a content file: from `/`, lower case, without `.md`, a bundle or
/// section by its folder (`/blog/post`, `/blog`, `/`).
pub(super) fn logical_path(rel: &str) -> String {
    let stem = rel
        .strip_suffix("/_index.md")
        .or_else(|| rel.strip_suffix("/index.md"))
        .or_else(|| rel.strip_suffix(".md"))
        .unwrap_or(rel);
    let stem = match stem {
        "_index" | "index" => "",
        s => s,
    };
    format!("/{}", stem.to_lowercase())
}

/// The folder a cascade's "below" is measured from: the file's folder (a section's own).
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::front_matter::{self, Block, Format};

    fn cascades(yaml: &str) -> Vec<Cascade> {
        let block = Block {
            format: Format::Yaml,
            text: yaml,
            line: 2,
        };
        front_matter::parse(&block, Path::new("x.md"), &mut Diagnostics::new()).cascade
    }

    #[test]
    fn nearest_section_wins_and_targets_filter() {
        let outer = cascades("cascade:\n  weight: 1\n  tags: [outer]\n");
        let inner = cascades("cascade:\n  weight: 2\n");
        let site = cascades(
            "cascade:\n  - target: {path: \"/blog/**\"}\n    type: page\n  - target: {kind: section}\n    description: D\n",
        );
        let mut d = Diagnostics::new();
        let c = Cascades::new(
            [
                (
                    "docs",
                    PathBuf::from("content/docs/_index.md"),
                    2,
                    &outer[..],
                ),
                (
                    "docs/deep",
                    PathBuf::from("content/docs/deep/_index.md"),
                    2,
                    &inner[..],
                ),
            ],
            &site,
            &mut d,
        );
        assert!(d.is_empty());
        let mut fm = Arc::new(FrontMatter::default());
        c.apply("docs/deep/a.md", Kind::Page, &mut fm);
        assert_eq!((fm.weight, fm.tags.clone()), (2, vec!["outer".to_string()]));
        let mut fm = Arc::new(FrontMatter::default());
        c.apply("docs/b.md", Kind::Page, &mut fm);
        assert_eq!(fm.weight, 1);
        let mut fm = Arc::new(FrontMatter::default());
        c.apply("blog/2024/post/index.md", Kind::Page, &mut fm);
        assert_eq!(fm.role, Some(front_matter::Role::Page));
        assert_eq!(fm.weight, 0, "docs' cascade stays in docs");
        let mut fm = Arc::new(FrontMatter::default());
        c.apply("blog/_index.md", Kind::Section, &mut fm);
        assert_eq!(fm.description.as_deref(), Some("D"));
        assert_eq!(
            fm.role, None,
            "/blog/** does not match /blog itself, as in Hugo"
        );
    }

    #[test]
    fn logical_paths() {
        assert_eq!(logical_path("Blog/Post.md"), "/blog/post");
        assert_eq!(logical_path("blog/post/index.md"), "/blog/post");
        assert_eq!(logical_path("blog/_index.md"), "/blog");
        assert_eq!(logical_path("_index.md"), "/");
    }
}
