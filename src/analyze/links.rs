//! Internal link resolution.
//!
//! Authors link the way their editor helps them: a relative path to the `.md` file (what GitHub
//! and Obsidian follow), a site-absolute path, or a wiki link by slug or title. All of them
//! become the target's final URL, base path included, so moving the site to a sub-path or
//! changing a slug never breaks a link.

use super::LinkTable;
use super::suggest::Scratch;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, closest};
use crate::model::{AssetId, PageId, PerPage, PerSection, SectionId, Site};
use crate::parse::markdown::{Heading, LinkKind, LinkRef};
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An article.
    Page(PageId),
    /// A section's index page.
    Section(SectionId),
    /// A copied content file.
    Asset(AssetId),
}

/// The links of one document, resolved; index `n` is placeholder `n`.
#[derive(Debug, Clone, Default)]
pub struct ResolvedLinks {
    /// Final URL of each link (the original text when it did not resolve).
    pub hrefs: Vec<String>,
    /// Title of the target, for `[[slug]]` links that show it.
    pub titles: Vec<String>,
    /// What each link resolved to.
    pub targets: Vec<Option<Target>>,
    /// Links (by index) that resolve to nothing or to a heading that does not exist, for the
    /// audit's `no-broken-links` check.
    pub broken: Vec<usize>,
}

/// Resolves links against a site: its [`LinkTable`], and the site for what targets say now
/// (their URLs, titles and heading anchors).
pub struct LinkIndex<'a> {
    site: &'a Site,
    table: Arc<LinkTable>,
}

/// `a/./b/../c` to `a/c`; `None` when it climbs above the content root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

impl<'a> LinkIndex<'a> {
    /// Indexes every page, section and asset of `site`.
    pub fn new(site: &'a Site) -> Self {
        Self::with_table(site, Arc::new(LinkTable::new(site)))
    }

    /// Resolves against `site` with a table built for it before.
    pub fn with_table(site: &'a Site, table: Arc<LinkTable>) -> Self {
        Self { site, table }
    }

    /// The lookup tables, to keep for [`LinkIndex::with_table`].
    pub fn table(&self) -> Arc<LinkTable> {
        Arc::clone(&self.table)
    }

    fn url(&self, t: Target) -> &str {
        match t {
            Target::Page(id) => &self.site.pages[id].url,
            Target::Section(id) => &self.site.sections[id].url,
            Target::Asset(id) => &self.site.assets[id].path,
        }
    }

    fn href(&self, t: Target) -> String {
        match t {
            Target::Asset(id) => self.site.base.path_to(&self.site.assets[id].path),
            _ => self.url(t).to_string(),
        }
    }

    fn title(&self, t: Target) -> &str {
        match t {
            Target::Page(id) => &self.site.pages[id].title,
            Target::Section(id) => &self.site.sections[id].title,
            Target::Asset(id) => &self.site.assets[id].rel,
        }
    }

    fn headings(&self, t: Target) -> &[Heading] {
        match t {
            Target::Page(id) => &self.site.pages[id].body.headings,
            Target::Section(id) => &self.site.sections[id].body.headings,
            Target::Asset(_) => &[],
        }
    }

    fn find(&self, link: &LinkRef, from_dir: &str, path: &str) -> Option<Target> {
        if link.kind == LinkKind::Wiki {
            let key = path.trim().to_lowercase();
            if let Some(ids) = self
                .table
                .by_name
                .get(&key)
                .or_else(|| self.table.by_name.get(&crate::model::urlize(&key)))
            {
                return ids.first().map(|&id| Target::Page(id));
            }
            let p = normalise(path.trim_start_matches('/'))?;
            return self
                .table
                .by_content_path
                .get(&p)
                .or_else(|| self.table.by_content_path.get(&format!("{p}.md")))
                .copied();
        }
        let (absolute, joined) = match path.strip_prefix('/') {
            Some(rest) => {
                let base = self.site.base.path.trim_start_matches('/');
                (true, rest.strip_prefix(base).unwrap_or(rest).to_string())
            }
            None => (false, format!("{from_dir}/{path}")),
        };
        let p = normalise(&joined)?;
        let table = &self.table;
        let content = table
            .by_content_path
            .get(&p)
            .or_else(|| table.by_content_path.get(&format!("{p}/_index.md")))
            .or_else(|| table.by_content_path.get(&format!("{p}/index.md")))
            .or_else(|| table.by_content_path.get(&format!("{p}.md")));
        match content {
            Some(t) => Some(*t),
            // Site paths as the generator wrote them, which Hugo lower-cases.
            None if absolute || path.ends_with('/') => table
                .by_output_path
                .get(&p)
                .or_else(|| table.by_output_path.get(&p.to_lowercase()))
                .copied(),
            None => None,
        }
    }

    /// The likeliest target of a link to `path` that resolves to nothing.
    fn suggestion(&self, kind: LinkKind, path: &str) -> Option<String> {
        let wanted = wanted_name(path);
        let names = if kind == LinkKind::Wiki {
            &self.table.slugs
        } else {
            &self.table.files
        };
        names.closest(wanted).map(str::to_string)
    }

    /// The article a front matter list names (`related:`), by slug, title, or path to its file
    /// relative to `rel`, the naming document.
    pub fn page_named(&self, name: &str, rel: &str) -> Option<PageId> {
        let name = name.trim();
        let as_kind = |kind| LinkRef {
            dest: name.to_string(),
            kind,
            wants_title: false,
            line: 0,
            col: 0,
        };
        let found = self
            .find(&as_kind(LinkKind::Wiki), dir_of(rel), name)
            .or_else(|| self.find(&as_kind(LinkKind::Markdown), dir_of(rel), name));
        match found {
            Some(Target::Page(id)) => Some(id),
            _ => None,
        }
    }

    /// Resolves the links of one document, whose source is `rel` (relative to `content/`) and
    /// which is `this` target itself (for `#anchor` links).
    pub fn resolve(
        &self,
        rel: &str,
        this: Target,
        links: &[LinkRef],
        file: &Path,
        diags: &mut Diagnostics,
    ) -> ResolvedLinks {
        let (resolved, mut found, unresolved) = self.resolve_unhinted(rel, this, links, file);
        for u in unresolved {
            if let Some(d) = found.get_mut(u.diagnostic) {
                d.hint = Some(self.hint(u.kind, &u.path));
            }
        }
        diags.append(found);
        resolved
    }

    fn hint(&self, kind: LinkKind, path: &str) -> String {
        hint_text(self.suggestion(kind, path).as_deref())
    }

    /// As [`LinkIndex::resolve`], leaving the hints of links that resolve to nothing for the
    /// caller, which can look them up once for every page that has the same broken link.
    fn resolve_unhinted(
        &self,
        rel: &str,
        this: Target,
        links: &[LinkRef],
        file: &Path,
    ) -> (ResolvedLinks, Diagnostics, Vec<Unresolved>) {
        let from_dir = dir_of(rel);
        let mut out = ResolvedLinks::default();
        let mut diags = Diagnostics::new();
        let mut unresolved = Vec::new();
        for (n, link) in links.iter().enumerate() {
            let at = |d: Diagnostic| d.in_file(file).at(link.line, link.col);
            let (href, title, target) = match self.resolve_one(link, this, from_dir) {
                Resolution::Template => (link.dest.clone(), link.dest.clone(), None),
                Resolution::Missing(path) => {
                    let code = if link.kind == LinkKind::Image {
                        Code::MissingImage
                    } else {
                        Code::BrokenLink
                    };
                    let message = format!(
                        "link to `{}` does not resolve to any page or file",
                        link.dest
                    );
                    unresolved.push(Unresolved {
                        diagnostic: diags.len(),
                        kind: link.kind,
                        path,
                    });
                    diags.push(at(Diagnostic::warning(code, message)));
                    out.broken.push(n);
                    (link.dest.clone(), link.dest.clone(), None)
                }
                Resolution::Found {
                    href,
                    target,
                    missing_anchor,
                } => {
                    if let Some(d) = missing_anchor {
                        diags.push(at(d));
                        out.broken.push(n);
                    }
                    (href, self.title(target).to_string(), Some(target))
                }
            };
            out.hrefs.push(href);
            out.titles.push(title);
            out.targets.push(target);
        }
        (out, diags, unresolved)
    }

    /// What one link leads to, from a document in folder `from_dir` that is `this` target.
    fn resolve_one(&self, link: &LinkRef, this: Target, from_dir: &str) -> Resolution {
        if is_template(&link.dest) {
            // Another generator's template expression: its target is unknown until that
            // generator runs, so it is kept as written and not judged.
            return Resolution::Template;
        }
        let raw = link.dest.split('?').next().unwrap_or(&link.dest);
        let (path, anchor) = match raw.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (raw, None),
        };
        let path = percent_decode_str(path).decode_utf8_lossy();
        let target = if path.is_empty() {
            Some(this)
        } else {
            self.find(link, from_dir, &path)
        };
        let Some(target) = target else {
            return Resolution::Missing(path.to_string());
        };
        let mut href = if path.is_empty() {
            String::new()
        } else {
            self.href(target)
        };
        let mut missing_anchor = None;
        if let Some(anchor) = anchor {
            missing_anchor = self.missing_anchor(target, anchor);
            href.push('#');
            href.push_str(anchor);
        }
        Resolution::Found {
            href,
            target,
            missing_anchor,
        }
    }

    /// The warning for an anchor `target` has no heading for, naming the closest heading.
    fn missing_anchor(&self, target: Target, anchor: &str) -> Option<Diagnostic> {
        let headings = self.headings(target);
        if matches!(target, Target::Asset(_)) || headings.iter().any(|h| h.id == anchor) {
            return None;
        }
        let d = Diagnostic::warning(
            Code::MissingAnchor,
            format!(
                "`{}` has no heading with id `#{anchor}`",
                self.title(target)
            ),
        );
        Some(
            match closest(anchor, headings.iter().map(|h| h.id.as_str())) {
                Some(c) => d.hint(format!("did you mean `#{c}`?")),
                None => d.hint("heading ids are the heading text in lower case with spaces as `-`"),
            },
        )
    }

    /// Resolves the links of every page and section, in parallel. A broken link's hint is
    /// looked up once per distinct target, however many pages share it.
    pub fn resolve_all(
        &self,
        site: &Site,
        diags: &mut Diagnostics,
    ) -> (PerPage<ResolvedLinks>, PerSection<ResolvedLinks>) {
        let pages: Vec<_> = site
            .pages
            .par_iter()
            .enumerate()
            .map(|(id, p)| {
                self.resolve_unhinted(&p.rel, Target::Page(PageId(id)), &p.body.links, &p.file())
            })
            .collect();
        let sections: Vec<_> = site
            .sections
            .par_iter()
            .enumerate()
            .map(|(id, s)| {
                let rel = s
                    .rel
                    .clone()
                    .unwrap_or_else(|| format!("{}/_index.md", s.dir));
                let file = Path::new(crate::load::CONTENT_DIR).join(&rel);
                self.resolve_unhinted(&rel, Target::Section(SectionId(id)), &s.body.links, &file)
            })
            .collect();
        let mut found = Diagnostics::new();
        let mut wanted: Vec<(usize, LinkKind, String)> = Vec::new();
        let mut unzip = |v: Vec<(ResolvedLinks, Diagnostics, Vec<Unresolved>)>| {
            v.into_iter()
                .map(|(r, d, u)| {
                    let offset = found.len();
                    wanted.extend(
                        u.into_iter()
                            .map(|u| (offset + u.diagnostic, u.kind, u.path)),
                    );
                    found.append(d);
                    r
                })
                .collect::<Vec<ResolvedLinks>>()
                .into_iter()
        };
        let p: PerPage<ResolvedLinks> = unzip(pages).collect();
        let s: PerSection<ResolvedLinks> = unzip(sections).collect();
        // A hint depends only on the kind of link and the last segment of its path.
        let key =
            |kind: LinkKind, path: &str| (kind == LinkKind::Wiki, wanted_name(path).to_string());
        let mut distinct: Vec<(bool, String)> = wanted.iter().map(|(_, k, p)| key(*k, p)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let hints: HashMap<(bool, String), String> = distinct
            .into_par_iter()
            .map_init(Scratch::default, |scratch, (wiki, name)| {
                let names = if wiki {
                    &self.table.slugs
                } else {
                    &self.table.files
                };
                let hint = hint_text(names.closest_with(&name, scratch));
                ((wiki, name), hint)
            })
            .collect();
        for (at, kind, path) in &wanted {
            if let Some(d) = found.get_mut(*at) {
                d.hint = hints.get(&key(*kind, path)).cloned();
            }
        }
        diags.append(found);
        (p, s)
    }
}

/// The hint for a link that resolves to nothing, given the closest target.
fn hint_text(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("did you mean {s}?"),
        None => "link to the target's .md file by relative path, or use [[slug]]".into(),
    }
}

/// The name a broken link's suggestion is looked up by: its last segment, without `.md`.
fn wanted_name(path: &str) -> &str {
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .trim_end_matches(".md")
}

/// What a link leads to.
enum Resolution {
    /// Another generator's template expression, kept as written.
    Template,
    /// Nothing: the path it names, for the hint.
    Missing(String),
    /// A target, at `href`, perhaps with an anchor it does not have.
    Found {
        href: String,
        target: Target,
        missing_anchor: Option<Diagnostic>,
    },
}

/// A link that resolved to nothing, waiting for its hint.
struct Unresolved {
    /// Its diagnostic, by position in the document's list.
    diagnostic: usize,
    kind: LinkKind,
    /// The path it names, decoded, without anchor or query.
    path: String,
}

/// Whether a link target is a template expression of another generator (`{{ … }}`, `{% … %}`).
pub fn is_template(dest: &str) -> bool {
    dest.contains("{{") || dest.contains("{%")
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn normalise_resolves_dots_and_refuses_escapes() {
        assert_eq!(normalise("a/b/../c/./d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(normalise("a/../../x"), None);
    }
}
