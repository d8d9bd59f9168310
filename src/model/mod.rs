//! Stage 3, **model**: the site as sections, pages and taxonomies, with every URL decided.
//!
//! This is where files become pages: the URL of each page and asset is fixed here (pretty URLs,
//! slugs, the base path), drafts are dropped, duplicate URLs are caught, and pages are gathered
//! into their sections and taxonomy terms. Later stages only read this structure.

mod aliases;
mod taxonomy;

pub use aliases::Alias;
pub use taxonomy::{Taxonomy, Term};

use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Asset, CONTENT_DIR, DocumentKind};
use crate::parse::ParsedDocument;
use crate::parse::dates;
use crate::parse::front_matter::FrontMatter;
use crate::parse::markdown::Rendered;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;
/// Index of a section in [`Site::sections`]; the home page is section 0.
pub type SectionId = usize;

/// Reading speed used for reading time, in words per minute.
const WORDS_PER_MINUTE: usize = 230;

/// Minutes to read `words`, at least 1.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// An article.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to `content/`.
    pub rel: String,
    /// Output path relative to the site root, e.g. `revops/pipeline/pipeline-stages/`.
    pub path: String,
    /// Site-absolute URL (base path included).
    pub url: String,
    /// Absolute URL (origin included when `base_url` has one).
    pub permalink: String,
    /// Last URL segment.
    pub slug: String,
    /// Title (front matter, else first H1, else file name).
    pub title: String,
    /// The section the page belongs to.
    pub section: SectionId,
    /// The front matter.
    pub front: FrontMatter,
    /// The rendered body.
    pub body: Arc<Rendered>,
    /// Minutes to read, at least 1.
    pub reading_minutes: usize,
}

impl Page {
    /// Source path relative to the site root, for diagnostics.
    pub fn file(&self) -> PathBuf {
        PathBuf::from(CONTENT_DIR).join(&self.rel)
    }

    /// Absolute path of the source file, given the site's content folder.
    pub fn source(&self, content_dir: &std::path::Path) -> PathBuf {
        content_dir.join(&self.rel)
    }

    /// Date of the last change: `updated`, else `date`.
    pub fn last_modified(&self) -> Option<&dates::Date> {
        self.front.updated.as_ref().or(self.front.date.as_ref())
    }

    /// `description`, else the first paragraph.
    pub fn summary(&self) -> Option<&str> {
        self.front
            .description
            .as_deref()
            .or(self.body.first_paragraph.as_deref())
    }
}

/// A folder with an `_index.md` (or the home page): a library, a collection, or deeper.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`""` for the home page).
    pub dir: String,
    /// Output path relative to the site root (`""` for home).
    pub path: String,
    /// Site-absolute URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Title.
    pub title: String,
    /// Front matter of its `_index.md`.
    pub front: FrontMatter,
    /// Rendered body of its `_index.md`.
    pub body: Arc<Rendered>,
    /// Its `_index.md`, relative to `content/`, if it has one.
    pub rel: Option<String>,
    /// The enclosing section.
    pub parent: Option<SectionId>,
    /// Sections directly inside, by weight then title.
    pub children: Vec<SectionId>,
    /// Articles directly inside, by weight, then newest first, then title.
    pub pages: Vec<PageId>,
    /// 0 for home, 1 for a library, 2 for a collection.
    pub depth: usize,
}

/// A content file copied into the output.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    /// Source path relative to `content/`.
    pub rel: String,
    /// Where to read it.
    pub from: PathBuf,
    /// Output path relative to the site root.
    pub path: String,
}

/// The whole site.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Absolute path of `content/`, where sources are read from.
    pub content_dir: PathBuf,
    /// The parsed `base_url`.
    pub base: BaseUrl,
    /// Sections; `sections[0]` is the home page.
    pub sections: Vec<Section>,
    /// Published articles (and drafts when building with drafts).
    pub pages: Vec<Page>,
    /// Files copied beside their pages.
    pub assets: Vec<OutputAsset>,
    /// Every configured taxonomy with its terms.
    pub taxonomies: Vec<Taxonomy>,
    /// Redirects from old URLs.
    pub aliases: Vec<Alias>,
}

impl Site {
    /// The chain of sections from the home page down to `id`, home first.
    pub fn ancestors(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        let mut cur = id;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }
}

/// URL-safe form of one path segment.
pub fn slugify(s: &str) -> String {
    let s = slug::slugify(s);
    if s.is_empty() { "untitled".into() } else { s }
}

fn slug_path(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect()
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Builds the site from parsed documents and assets.
pub fn build(
    config: SiteConfig,
    content_dir: PathBuf,
    base: BaseUrl,
    docs: Vec<Arc<ParsedDocument>>,
    assets: &[Asset],
    drafts: bool,
    diags: &mut Diagnostics,
) -> Site {
    let mut sections: Vec<Section> = Vec::new();
    let mut section_by_dir: HashMap<String, SectionId> = HashMap::new();
    let mut articles = Vec::new();
    let new_section = |dir: &str, path: String, doc: Option<&ParsedDocument>| {
        let (front, body, rel) = match doc {
            Some(d) => (d.front.clone(), Arc::clone(&d.body), Some(d.rel.clone())),
            None => (FrontMatter::default(), Arc::new(Rendered::default()), None),
        };
        let title = front
            .title
            .clone()
            .or_else(|| body.first_h1.clone())
            .unwrap_or_else(|| dir.rsplit('/').next().unwrap_or(dir).replace('-', " "));
        Section {
            dir: dir.to_string(),
            url: base.path_to(&path),
            permalink: base.absolute(&path),
            path,
            title,
            front,
            body,
            rel,
            parent: None,
            children: Vec::new(),
            pages: Vec::new(),
            depth: dir.split('/').filter(|s| !s.is_empty()).count(),
        }
    };

    // Sections first, shallowest first, so every page finds its section.
    let (mut section_docs, other): (Vec<_>, Vec<_>) = docs
        .into_iter()
        .partition(|d| d.kind == DocumentKind::Section);
    section_docs.sort_by_key(|d| d.rel.matches('/').count());
    let has_root = section_docs.iter().any(|d| d.rel == "_index.md");
    if !has_root {
        let mut home = new_section("", String::new(), None);
        home.title = config.title.clone();
        sections.push(home);
        section_by_dir.insert(String::new(), 0);
    }
    for doc in section_docs {
        let dir = parent_dir(&doc.rel).to_string();
        let path = slug_path(&dir);
        let id = sections.len();
        sections.push(new_section(&dir, path, Some(&doc)));
        section_by_dir.insert(dir, id);
    }
    // Bundles own their folder, so an `_index.md` cannot also be there.
    for doc in other {
        if doc.front.draft && !drafts {
            continue;
        }
        articles.push(doc);
    }

    let nearest_section = |dir: &str| -> SectionId {
        let mut d = dir;
        loop {
            if let Some(&id) = section_by_dir.get(d) {
                return id;
            }
            if d.is_empty() {
                return 0;
            }
            d = parent_dir(d);
        }
    };
    for id in 1..sections.len() {
        let parent = nearest_section(parent_dir(&sections[id].dir));
        sections[id].parent = Some(parent);
        sections[parent].children.push(id);
    }

    let mut pages = Vec::with_capacity(articles.len());
    let mut owner_of_path: HashMap<String, PathBuf> = HashMap::new();
    for s in &sections {
        if let Some(rel) = &s.rel {
            owner_of_path.insert(s.path.clone(), PathBuf::from(CONTENT_DIR).join(rel));
        }
    }
    let mut bundle_dirs: HashMap<String, PageId> = HashMap::new();
    for doc in articles {
        let file = doc.display_path();
        let (dir, stem) = match doc.kind {
            DocumentKind::Bundle => {
                let d = parent_dir(&doc.rel);
                (
                    parent_dir(d).to_string(),
                    d.rsplit('/').next().unwrap_or(d).to_string(),
                )
            }
            _ => {
                let name = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
                (
                    parent_dir(&doc.rel).to_string(),
                    name.trim_end_matches(".md").to_string(),
                )
            }
        };
        if doc.kind == DocumentKind::Bundle && section_by_dir.contains_key(parent_dir(&doc.rel)) {
            diags.push(
                Diagnostic::error("a folder cannot hold both `index.md` and `_index.md`")
                    .in_file(&file)
                    .hint("rename index.md to give the article its own name, or remove _index.md"),
            );
            continue;
        }
        let mut front = doc.front.clone();
        let mut stem = stem.as_str();
        if let Some((date, rest)) = dates::from_file_stem(stem) {
            front.date.get_or_insert(date);
            stem = rest;
        }
        if let Some(given) = front.slug.as_deref()
            && (given.contains(['/', '\\', ':']) || given.contains(".."))
        {
            diags.push(
                Diagnostic::error(format!("`slug: {given}` is not one URL segment"))
                    .in_file(&file)
                    .at_opt(front.line_of("slug").map(|l| (l, 1)))
                    .hint("a slug names the page within its folder, e.g. `slug: win-rate`; move the file to change its folder"),
            );
            continue;
        }
        let slug = slugify(front.slug.as_deref().unwrap_or(stem));
        let path = format!("{}{slug}/", slug_path(&dir));
        let title = match (&front.title, &doc.body.first_h1) {
            (Some(t), _) => t.clone(),
            (None, _) if doc.front_matter_failed => stem.replace(['-', '_'], " "),
            (None, Some(h1)) => {
                diags.push(
                    Diagnostic::warning("no `title` in front matter; using the first heading")
                        .in_file(&file)
                        .at(1, 1)
                        .hint(format!("add `title: {h1}` to the front matter")),
                );
                h1.clone()
            }
            (None, None) => {
                let t = stem.replace(['-', '_'], " ");
                diags.push(
                    Diagnostic::warning(
                        "no `title` in front matter and no heading; using the file name",
                    )
                    .in_file(&file)
                    .at(1, 1)
                    .hint("add a `title:` line to the front matter"),
                );
                t
            }
        };
        if let Some(first) = owner_of_path.get(&path) {
            diags.push(
                Diagnostic::error(format!(
                    "two files would be written to the same URL /{path}: {} and {}",
                    first.display(),
                    file.display()
                ))
                .in_file(&file)
                .at(1, 1)
                .hint("rename one of them or give it a different `slug:`"),
            );
            continue;
        }
        owner_of_path.insert(path.clone(), file.clone());
        let id = pages.len();
        if doc.kind == DocumentKind::Bundle {
            bundle_dirs.insert(parent_dir(&doc.rel).to_string(), id);
        }
        let section = nearest_section(&dir);
        sections[section].pages.push(id);
        pages.push(Page {
            rel: doc.rel.clone(),
            url: base.path_to(&path),
            permalink: base.absolute(&path),
            path,
            slug,
            title,
            section,
            reading_minutes: reading_minutes(doc.body.word_count),
            front,
            body: Arc::clone(&doc.body),
        });
    }

    let assets = place_assets(assets, &sections, &section_by_dir, &pages, &bundle_dirs);
    for s in &mut sections {
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            (a.front.weight, std::cmp::Reverse(a.front.date), &a.title).cmp(&(
                b.front.weight,
                std::cmp::Reverse(b.front.date),
                &b.title,
            ))
        });
    }
    let mut sections_sorted = sections;
    let order: Vec<Vec<SectionId>> = sections_sorted
        .iter()
        .map(|s| {
            let mut c = s.children.clone();
            c.sort_by(|&a, &b| {
                let (x, y) = (&sections_sorted[a], &sections_sorted[b]);
                (x.front.weight, &x.title).cmp(&(y.front.weight, &y.title))
            });
            c
        })
        .collect();
    for (s, c) in sections_sorted.iter_mut().zip(order) {
        s.children = c;
    }
    let taxonomies = taxonomy::collect(&config, &base, &pages);
    for tax in &taxonomies {
        let index = PathBuf::from(format!("the {} index", tax.name));
        owner_of_path.insert(format!("{}/", tax.slug), index);
        for t in &tax.terms {
            owner_of_path.insert(
                t.path.clone(),
                PathBuf::from(format!("the {} page `{}`", tax.name, t.name)),
            );
        }
    }
    let aliases = aliases::collect(&pages, &owner_of_path, diags);
    Site {
        config,
        content_dir,
        base,
        sections: sections_sorted,
        pages,
        assets,
        taxonomies,
        aliases,
    }
}

/// Decides where each content file is copied: beside the page or section that owns its folder.
fn place_assets(
    assets: &[Asset],
    sections: &[Section],
    section_by_dir: &HashMap<String, SectionId>,
    pages: &[Page],
    bundle_dirs: &HashMap<String, PageId>,
) -> Vec<OutputAsset> {
    assets
        .iter()
        .map(|a| {
            let mut dir = parent_dir(&a.rel);
            let owner_path = loop {
                if let Some(&p) = bundle_dirs.get(dir) {
                    break pages[p].path.clone();
                }
                if let Some(&s) = section_by_dir.get(dir) {
                    break sections[s].path.clone();
                }
                if dir.is_empty() {
                    break String::new();
                }
                dir = parent_dir(dir);
            };
            let rest = a.rel[dir.len()..].trim_start_matches('/');
            OutputAsset {
                rel: a.rel.clone(),
                from: a.path.clone(),
                path: format!("{owner_path}{rest}"),
            }
        })
        .collect()
}
