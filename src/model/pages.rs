//! Where each page goes, and whether it is published: its front matter with what cascades and
//! its file name add, the publish dates, its URL from `url:`, `permalink:`, the site's
//! `permalinks:` or its folders, and its role (article or standalone page).

use super::sections::SectionTree;
use super::urls::{self, Claims, Naming, Owner};
use super::{
    Cascades, Kind, Page, PageId, Publish, Section, SectionId, Skipped, describe, parent_dir,
    reading_minutes,
};
use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::DocumentKind;
use crate::parse::ParsedDocument;
use crate::parse::dates;
use crate::parse::front_matter::{FrontMatter, Listing, Render, Role};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The front matter a page is built from: its own, then what its file name and the cascades
/// add. The model uses it, and so does an in-place edit, so both see the same page.
pub(crate) fn prepare_front(
    cascades: &Cascades,
    rel: &str,
    kind: Kind,
    front: &Arc<FrontMatter>,
) -> Arc<FrontMatter> {
    let mut front = Arc::clone(front);
    cascades.apply(rel, kind, &mut front);
    if kind == Kind::Page && front.date.is_none() {
        let (_, name) = naming_of(rel);
        if let Some((date, _)) = dates::from_file_stem(name) {
            Arc::make_mut(&mut front).date = Some(date);
        }
    }
    front
}

/// A page file's folder and name: `a/b.md` → (`a`, `b`), `a/b/index.md` → (`a`, `b`).
pub(super) fn naming_of(rel: &str) -> (&str, &str) {
    match rel.strip_suffix("/index.md") {
        Some(bundle) => (
            parent_dir(bundle),
            bundle.rsplit('/').next().unwrap_or(bundle),
        ),
        None => {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            (parent_dir(rel), name.strip_suffix(".md").unwrap_or(name))
        }
    }
}

/// Checks every `permalinks:` pattern once, reporting each mistake at `site.yaml`; the folders
/// whose pattern is wrong keep their default URLs.
pub(super) fn check_permalinks<'a>(
    config: &'a SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<&'a str> {
    let mut bad = Vec::new();
    for (key, pattern) in config.permalink_patterns() {
        if let Err(why) = urls::check(pattern) {
            diags.push(
                Diagnostic::error(
                    Code::Config,
                    format!("`permalinks.{key}: {pattern}`: {why}"),
                )
                .in_file(crate::config::CONFIG_FILE)
                .at(config.line_of("permalinks"), 1)
                .hint(format!("patterns may use {}", urls::TOKENS)),
            );
            bad.push(key);
        }
    }
    bad
}

/// Whether a file is in Jekyll's `_drafts/` folder, whose pages are drafts.
fn in_drafts_folder(rel: &str) -> bool {
    rel.starts_with("_drafts/") || rel.contains("/_drafts/")
}

/// Whether a page with this front matter is published in this build; counts it if not.
pub(super) fn published(
    rel: &str,
    front: &FrontMatter,
    publish: &Publish,
    skipped: &mut Skipped,
) -> bool {
    let count = |n: &mut usize| {
        *n += 1;
        false
    };
    if front.build.render == Some(Render::Never) {
        return count(&mut skipped.unrendered);
    }
    let include = publish.include;
    if (front.draft || in_drafts_folder(rel)) && !include.drafts {
        return count(&mut skipped.drafts);
    }
    let starts = front.publish_date.or(front.date);
    if !include.future && starts.is_some_and(|d| d.instant > publish.now) {
        return count(&mut skipped.future);
    }
    if !include.expired && front.expiry_date.is_some_and(|d| d.instant <= publish.now) {
        return count(&mut skipped.expired);
    }
    true
}

pub(super) fn bad_path(key: &str, written: &str, why: &str, front: &FrontMatter) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidUrl,
        format!("`{key}: {written}` cannot be used: {why}"),
    )
    .at_opt(front.line_of(key).map(|l| (l, 1)))
    .hint("write a path on this site such as /about/ or /2024/01/launch.html")
}

/// A page, placed: its URL from `url:`, `permalink:`, the site's `permalinks:` pattern for its
/// folder, or its folders and slug. `None` (with an error) when its URL cannot be made.
pub(super) fn make_page(
    config: &SiteConfig,
    bad_patterns: &[&str],
    base: &BaseUrl,
    doc: &ParsedDocument,
    front: Arc<FrontMatter>,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let file = doc.display_path();
    let (dir, name) = naming_of(&doc.rel);
    let undated = dates::from_file_stem(name).map_or(name, |(_, rest)| rest);
    let title = page_title(doc, &front, undated, diags);
    if let Err(d) = check_slug(&front) {
        diags.push(d.in_file(&file));
        return None;
    }
    let categories = front.list("categories");
    let naming = Naming {
        dir,
        name,
        undated,
        title: &title,
        slug: front.slug.as_deref(),
        date: front.date.as_ref(),
        categories: &categories,
    };
    let path = match page_path((config, bad_patterns), &naming, (&front, &file), diags) {
        Ok(p) if p.is_empty() => Err(Diagnostic::error(
            Code::InvalidUrl,
            "this page's URL would be the home page's",
        )
        .hint("give it another `url:` or `permalink:`")),
        other => other,
    };
    let path = match path {
        Ok(p) => p,
        Err(d) => {
            diags.push(d.in_file(&file));
            return None;
        }
    };
    let slug = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let redirect = front.redirect_to.as_deref().map(|to| {
        if to.starts_with('/') && !to.starts_with("//") {
            base.path_to(to)
        } else {
            to.to_string()
        }
    });
    Some(Page {
        rel: doc.rel.clone(),
        url: base.path_to(&path),
        permalink: base.absolute(&path),
        path,
        slug,
        title,
        section: SectionId::HOME,
        reading_minutes: reading_minutes(doc.body.word_count),
        standalone: false,
        listing: front.build.list.unwrap_or(Listing::Always),
        redirect,
        front,
        body: Arc::clone(&doc.body),
    })
}

/// The title: front matter, else the first H1, else the file name (with a warning, unless the
/// front matter could not be read, which was reported already).
fn page_title(
    doc: &ParsedDocument,
    front: &FrontMatter,
    undated: &str,
    diags: &mut Diagnostics,
) -> String {
    match (&front.title, &doc.body.first_h1) {
        (Some(t), _) => t.clone(),
        (None, Some(h1)) => h1.clone(),
        (None, None) => {
            if !doc.front_matter_failed {
                diags.push(
                    Diagnostic::warning(
                        Code::NoTitle,
                        "no `title` in front matter and no heading; using the file name",
                    )
                    .in_file(doc.display_path())
                    .at(1, 1)
                    .hint("add a `title:` line to the front matter"),
                );
            }
            undated.replace(['-', '_'], " ")
        }
    }
}

/// A slug may hold `/` (folders, as in Hugo) but not what would leave its folder.
fn check_slug(front: &FrontMatter) -> Result<(), Diagnostic> {
    match front.slug.as_deref() {
        Some(slug)
            if slug.contains(['\\', ':']) || slug.split('/').any(|s| s == ".." || s == ".") =>
        {
            Err(Diagnostic::error(
                Code::InvalidUrl,
                format!("`slug: {slug}` cannot be part of a URL"),
            )
            .at_opt(front.line_of("slug").map(|l| (l, 1)))
            .hint("a slug names the page within its folder, e.g. `slug: win-rate`"))
        }
        _ => Ok(()),
    }
}

/// The page's output path: `url:` or `permalink:` as written (tokens expanded), else the
/// site's pattern for its folder, else its folders and slug.
fn page_path(
    (config, bad_patterns): (&SiteConfig, &[&str]),
    naming: &Naming,
    (front, file): (&FrontMatter, &std::path::Path),
    diags: &mut Diagnostics,
) -> Result<String, Diagnostic> {
    let written = front
        .url
        .as_deref()
        .map(|u| ("url", u))
        .or(front.permalink.as_deref().map(|p| ("permalink", p)));
    if let Some((key, pattern)) = written {
        let expanded = if pattern.contains(':') {
            urls::expand(pattern, naming)
        } else {
            Ok(pattern.to_string())
        };
        return expanded
            .map_err(|why| bad_path(key, pattern, &why, front))
            .and_then(|p| urls::site_path(&p).map_err(|why| bad_path(key, pattern, why, front)));
    }
    let (key, pattern) = match config.permalink_for(naming.dir) {
        Some((key, pattern)) if !bad_patterns.contains(&key) => (key, pattern),
        _ => return Ok(urls::default_path(naming)),
    };
    let placed =
        urls::expand(pattern, naming).and_then(|p| urls::site_path(&p).map_err(str::to_string));
    Ok(placed.unwrap_or_else(|why| {
        // Only a page's own gap (no date) gets here: the pattern was checked.
        diags.push(
            Diagnostic::warning(
                Code::InvalidUrl,
                format!(
                    "the permalink `{pattern}` for `{key}` cannot place this page ({why}); it keeps its folder's URL"
                ),
            )
            .in_file(file)
            .at(1, 1)
            .hint("add a `date:` to the front matter, or put a date in the file name"),
        );
        urls::default_path(naming)
    }))
}

/// Marks standalone pages: `type: page`, redirects, and files directly in `content/` when the
/// site's articles live in folders (its libraries).
pub(super) fn assign_roles(pages: &mut [Page]) {
    let at_top = |p: &Page| naming_of(&p.rel).0.is_empty();
    let has_libraries = pages.iter().any(|p| !at_top(p));
    for p in pages.iter_mut() {
        p.standalone = match p.front.role {
            Some(Role::Page) => true,
            Some(Role::Article) => false,
            None => p.redirect.is_some() || (has_libraries && at_top(p)),
        };
        if p.redirect.is_some() {
            p.listing = Listing::Never;
        }
    }
}

/// Places pages: what they inherit, whether they are published, and their URLs.
pub(super) struct Placing<'a> {
    pub(super) config: &'a SiteConfig,
    pub(super) base: &'a BaseUrl,
    pub(super) cascades: &'a Cascades,
    pub(super) publish: &'a Publish,
    /// Folders whose permalink pattern is wrong (reported once), which keep default URLs.
    pub(super) bad_patterns: Vec<&'a str>,
}

/// One page made from its document: the page (`None` when it cannot be), or why it is not
/// published; with what making it found.
type Made = (
    Arc<ParsedDocument>,
    Result<Option<Page>, Skipped>,
    Diagnostics,
);

/// The placed pages, the bundle folders they own, and what was left out.
pub(super) struct Placed {
    pub(super) pages: Vec<Page>,
    pub(super) bundle_dirs: HashMap<String, PageId>,
    pub(super) skipped: Skipped,
}

impl Placing<'_> {
    pub(super) fn pages(
        &self,
        docs: Vec<Arc<ParsedDocument>>,
        tree: &SectionTree,
        claims: &mut Claims,
        sections: &[Section],
        diags: &mut Diagnostics,
    ) -> Placed {
        let mut placed = Placed {
            pages: Vec::with_capacity(docs.len()),
            bundle_dirs: HashMap::new(),
            skipped: Skipped::default(),
        };
        // Each page is made on its own, in parallel (its front matter with what cascades add,
        // whether it is published, its URL); the URLs are then claimed in order.
        let made: Vec<Made> = docs
            .into_par_iter()
            .map(|doc| {
                let mut found = Diagnostics::new();
                let mut skipped = Skipped::default();
                let front = prepare_front(self.cascades, &doc.rel, Kind::Page, &doc.front);
                if !published(&doc.rel, &front, self.publish, &mut skipped) {
                    return (doc, Err(skipped), found);
                }
                let page = make_page(
                    self.config,
                    &self.bad_patterns,
                    self.base,
                    &doc,
                    front,
                    &mut found,
                );
                (doc, Ok(page), found)
            })
            .collect();
        for (doc, page, found) in made {
            diags.append(found);
            let page = match page {
                Ok(Some(page)) => page,
                Ok(None) => continue,
                Err(skipped) => {
                    placed.skipped.add(skipped);
                    continue;
                }
            };
            let id = PageId(placed.pages.len());
            if let Err(owner) = claims.claim(&page.path, Owner::Page(id)) {
                diags.push(duplicate_url(
                    &page,
                    describe(owner, &placed.pages, sections),
                ));
                continue;
            }
            if doc.kind == DocumentKind::Bundle {
                placed
                    .bundle_dirs
                    .insert(parent_dir(&doc.rel).to_string(), id);
            }
            placed.pages.push(Page {
                section: tree.nearest(naming_of(&doc.rel).0),
                ..page
            });
        }
        placed
    }
}

/// The error for a page whose URL `owner` already has.
fn duplicate_url(page: &Page, owner: String) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateUrl,
        format!(
            "two files would be written to the same URL /{}: {owner} and {}",
            page.path,
            page.file().display()
        ),
    )
    .in_file(page.file())
    .at(1, 1)
    .hint("rename one of them, give it another `slug:`, or put a date in the permalink")
}
