//! Stage 3, **model**: the site as sections, pages and taxonomies, with every URL decided.
//!
//! This is where files become pages, in named steps (see [`build`]): which files are sections,
//! what each inherits through `cascade`, which are published (drafts, future and expired dates,
//! `build.render`), where each goes (default paths, `permalinks:` patterns, `url:` and
//! `permalink:`), who owns each URL (two claims on one URL are an error naming both files), and
//! how pages gather into sections, taxonomy terms and aliases. Later stages only read this
//! structure.

mod aliases;
mod cascade;
mod taxonomy;
pub mod urls;

pub use aliases::{Alias, AliasTarget};
pub use cascade::{Cascades, Kind};
pub use taxonomy::{Taxonomy, Term};
pub use urls::{Owner, urlize};

use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{Asset, CONTENT_DIR, DocumentKind};
use crate::parse::ParsedDocument;
use crate::parse::dates;
use crate::parse::front_matter::{FrontMatter, Listing, Render, Role};
use crate::parse::markdown::Rendered;
use jiff::Timestamp;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use urls::{Claims, Naming};

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

/// An article, or a standalone page (about, contact, a policy).
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path relative to `content/`.
    pub rel: String,
    /// Output path relative to the site root: a folder (`revops/pipeline/pipeline-stages/`) or,
    /// when a permalink says so, a file (`2024/01/12/launch.html`).
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
    /// The front matter, with what cascades from its sections and the file name's date.
    pub front: FrontMatter,
    /// The rendered body.
    pub body: Arc<Rendered>,
    /// Minutes to read, at least 1.
    pub reading_minutes: usize,
    /// A standalone page rather than one of the library's articles: `type: page`, a redirect,
    /// or a file at the top of `content/` in a site that has libraries (as Hugo lists only its
    /// main sections and Jekyll only its posts).
    pub standalone: bool,
    /// Where it is listed (`build.list`).
    pub listing: Listing,
    /// Where the page sends readers instead of showing its text (`redirect_to`), as a URL.
    pub redirect: Option<String>,
}

impl Page {
    /// Source path relative to the site root, for diagnostics.
    pub fn file(&self) -> PathBuf {
        PathBuf::from(CONTENT_DIR).join(&self.rel)
    }

    /// Absolute path of the source file, given the site's content folder.
    pub fn source(&self, content_dir: &Path) -> PathBuf {
        content_dir.join(&self.rel)
    }

    /// The file the page is written to, relative to the site root.
    pub fn output_file(&self) -> String {
        urls::output_file(&self.path)
    }

    /// The page's markdown source, offered for download beside it, relative to the site root:
    /// `a/b/index.md`, or `a/b.md` for a page written as `a/b.html`.
    pub fn markdown_file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.md", self.path)
        } else {
            // A file path's last segment always has an extension (see `urls::site_path`).
            let stem = self
                .path
                .rsplit_once('.')
                .map_or(self.path.as_str(), |(s, _)| s);
            format!("{stem}.md")
        }
    }

    /// Date of the last change: `updated`, else `date`.
    pub fn last_modified(&self) -> Option<&dates::Date> {
        self.front.updated.as_ref().or(self.front.date.as_ref())
    }

    /// What cards and feeds show: `summary`, else the text before `<!--more-->`, else
    /// `description`, else the first paragraph.
    pub fn summary(&self) -> Option<&str> {
        self.front
            .summary
            .as_deref()
            .or(self.body.more_summary.as_deref())
            .or(self.front.description.as_deref())
            .or(self.body.first_paragraph.as_deref())
    }

    /// What search results and link previews show: `description`, else the summary.
    pub fn description(&self) -> Option<&str> {
        self.front.description.as_deref().or_else(|| self.summary())
    }

    /// Whether the page is one of the library's articles in every site-wide list: related
    /// reading, feeds, latest lists, taxonomies and the audit.
    pub fn is_article(&self) -> bool {
        !self.standalone && self.listing == Listing::Always
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
    /// Front matter of its `_index.md`, with what cascades from above.
    pub front: FrontMatter,
    /// Rendered body of its `_index.md`.
    pub body: Arc<Rendered>,
    /// Its `_index.md` (or `index.md`), relative to `content/`, if it has one.
    pub rel: Option<String>,
    /// The enclosing section.
    pub parent: Option<SectionId>,
    /// Sections directly inside that are listed, by weight then title.
    pub children: Vec<SectionId>,
    /// Pages directly inside that are listed, by weight, then newest first, then title.
    pub pages: Vec<PageId>,
    /// 0 for home, 1 for a library, 2 for a collection.
    pub depth: usize,
    /// Whether its index page is written (`build.render`).
    pub rendered: bool,
    /// Whether its parent lists it (`build.list`).
    pub listed: bool,
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

/// Files that did not become pages, by reason, so a build can say where pages went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    /// `draft: true` or `published: false`, without `--drafts`.
    pub drafts: usize,
    /// Publish date (or date) after the build date, without `--future`.
    pub future: usize,
    /// Expiry date before the build date, without `--expired`.
    pub expired: usize,
    /// `build.render: never`, `headless: true` or `permalink: false`.
    pub unrendered: usize,
}

/// Which unpublished pages a build includes anyway (`--drafts`, `--future`, `--expired`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    /// Drafts (`draft: true`, `published: false`).
    pub drafts: bool,
    /// Pages whose publish date is still to come.
    pub future: bool,
    /// Pages whose expiry date has passed.
    pub expired: bool,
}

/// What gets published, and as of when.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// Unpublished pages to include anyway.
    pub include: Include,
    /// The moment the build is as of.
    pub now: Timestamp,
}

impl Default for Publish {
    fn default() -> Self {
        Self {
            include: Include::default(),
            now: Timestamp::now(),
        }
    }
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
    /// Published pages (and drafts when building with drafts).
    pub pages: Vec<Page>,
    /// Files copied beside their pages.
    pub assets: Vec<OutputAsset>,
    /// Every configured taxonomy with its terms.
    pub taxonomies: Vec<Taxonomy>,
    /// Redirects from old URLs.
    pub aliases: Vec<Alias>,
    /// The cascades, to apply to an article's front matter again after an edit.
    pub cascades: Cascades,
    /// Files that did not become pages.
    pub skipped: Skipped,
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

    /// The site-absolute URL, absolute URL and title of an alias's target.
    pub fn alias_target(&self, target: AliasTarget) -> (&str, &str, &str) {
        match target {
            AliasTarget::Page(id) => {
                let p = &self.pages[id];
                (&p.url, &p.permalink, &p.title)
            }
            AliasTarget::Section(id) => {
                let s = &self.sections[id];
                (&s.url, &s.permalink, &s.title)
            }
        }
    }
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The front matter a page is built from: its own, then what its file name and the cascades
/// add. The model uses it, and so does an in-place edit, so both see the same page.
pub fn prepare_front(
    cascades: &Cascades,
    rel: &str,
    kind: Kind,
    front: &FrontMatter,
) -> FrontMatter {
    let mut front = front.clone();
    cascades.apply(rel, kind, &mut front);
    if kind == Kind::Page && front.date.is_none() {
        let (_, name) = naming_of(rel);
        if let Some((date, _)) = dates::from_file_stem(name) {
            front.date = Some(date);
        }
    }
    front
}

/// A page file's folder and name: `a/b.md` → (`a`, `b`), `a/b/index.md` → (`a`, `b`).
fn naming_of(rel: &str) -> (&str, &str) {
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

/// Which documents are sections: every `_index.md`, an `index.md` at the top of `content/`
/// when there is no `_index.md` there, and an `index.md` whose folder holds other pages (a
/// folder's page in Eleventy, Jekyll and GitHub-style handbooks). Other `index.md` files are
/// articles whose folder holds their images and files.
fn section_dirs(docs: &[Arc<ParsedDocument>], diags: &mut Diagnostics) -> HashMap<String, usize> {
    let mut below: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        let mut dir = parent_dir(&d.rel);
        loop {
            *below.entry(dir).or_default() += 1;
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
    }
    let mut out: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.kind == DocumentKind::Section {
            out.insert(parent_dir(&d.rel).to_string(), i);
        }
    }
    for (i, d) in docs.iter().enumerate() {
        let dir = match d.rel.strip_suffix("index.md") {
            Some("") => "",
            Some(dir) if dir.ends_with('/') => dir.trim_end_matches('/'),
            _ => continue,
        };
        if d.kind == DocumentKind::Section {
            continue;
        }
        if let Some(&other) = out.get(dir) {
            if docs[other].kind == DocumentKind::Section {
                diags.push(
                    Diagnostic::error(
                        Code::Layout,
                        "a folder cannot hold both `index.md` and `_index.md`",
                    )
                    .in_file(d.display_path())
                    .hint("rename index.md to give the article its own name, or remove _index.md"),
                );
            }
            continue;
        }
        if dir.is_empty() || below.get(dir).copied().unwrap_or(0) > 1 {
            out.insert(dir.to_string(), i);
        }
    }
    out
}

/// Builds the site from parsed documents and assets. Cascades from `site.yaml` come in
/// `site_cascades`.
#[allow(clippy::too_many_arguments)]
pub fn build(
    config: SiteConfig,
    content_dir: PathBuf,
    base: BaseUrl,
    docs: Vec<Arc<ParsedDocument>>,
    assets: &[Asset],
    site_cascades: &[crate::parse::front_matter::Cascade],
    publish: &Publish,
    diags: &mut Diagnostics,
) -> Site {
    let section_of_dir = section_dirs(&docs, diags);
    let is_section_doc =
        |i: usize, d: &ParsedDocument| section_of_dir.get(parent_dir(&d.rel)) == Some(&i);
    let (section_docs, page_docs): (Vec<_>, Vec<_>) = docs
        .into_iter()
        .enumerate()
        .partition(|(i, d)| is_section_doc(*i, d));
    let mut section_docs: Vec<Arc<ParsedDocument>> =
        section_docs.into_iter().map(|(_, d)| d).collect();
    section_docs.sort_by_key(|d| (d.rel.matches('/').count(), d.rel.clone()));

    let cascades = Cascades::new(
        section_docs.iter().map(|d| {
            (
                parent_dir_of_section(&d.rel),
                d.display_path(),
                d.front.line_of("cascade").unwrap_or(1),
                &d.front.cascade[..],
            )
        }),
        site_cascades,
        diags,
    );
    let mut claims = Claims::default();
    let mut sections = make_sections(&config, &base, &section_docs, &cascades, &mut claims, diags);
    let section_by_dir: HashMap<String, SectionId> = sections
        .iter()
        .enumerate()
        .map(|(id, s)| (s.dir.clone(), id))
        .collect();
    let nearest_section = |dir: &str, by_dir: &HashMap<String, SectionId>| -> SectionId {
        let mut d = dir;
        loop {
            if let Some(&id) = by_dir.get(d) {
                return id;
            }
            if d.is_empty() {
                return 0;
            }
            d = parent_dir(d);
        }
    };
    for s in sections.iter_mut().skip(1) {
        s.parent = Some(nearest_section(parent_dir(&s.dir), &section_by_dir));
    }

    let mut skipped = Skipped::default();
    let mut pages: Vec<Page> = Vec::with_capacity(page_docs.len());
    let mut bundle_dirs: HashMap<String, PageId> = HashMap::new();
    for (_, doc) in page_docs {
        let front = prepare_front(&cascades, &doc.rel, Kind::Page, &doc.front);
        if !published(&front, publish, &mut skipped) {
            continue;
        }
        let Some(page) = make_page(&config, &base, &doc, front, diags) else {
            continue;
        };
        let id = pages.len();
        if let Err(owner) = claims.claim(&page.path, Owner::Page(id)) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "two files would be written to the same URL /{}: {} and {}",
                        page.path,
                        describe(owner, &pages, &sections),
                        page.file().display()
                    ),
                )
                .in_file(page.file())
                .at(1, 1)
                .hint(
                    "rename one of them, give it another `slug:`, or put a date in the permalink",
                ),
            );
            continue;
        }
        if doc.kind == DocumentKind::Bundle {
            bundle_dirs.insert(parent_dir(&doc.rel).to_string(), id);
        }
        pages.push(Page {
            section: nearest_section(naming_of(&doc.rel).0, &section_by_dir),
            ..page
        });
    }
    assign_roles(&mut pages);
    gather(&mut sections, &pages);
    let assets = place_assets(assets, &sections, &section_by_dir, &pages, &bundle_dirs);
    let taxonomies = taxonomy::collect(&config, &base, &pages);
    claim_indexes(&config, &taxonomies, &mut claims, &pages, &sections, diags);
    let describe_owner = |o: Owner| describe(o, &pages, &sections);
    let aliases = aliases::collect(
        &aliases::sources(&pages, &sections),
        &claims,
        &describe_owner,
        diags,
    );
    Site {
        config,
        content_dir,
        base,
        sections,
        pages,
        assets,
        taxonomies,
        aliases,
        cascades,
        skipped,
    }
}

/// The folder a section document stands for.
fn parent_dir_of_section(rel: &str) -> &str {
    if rel == "index.md" || rel == "_index.md" {
        ""
    } else {
        parent_dir(rel)
    }
}

/// Whether a page with this front matter is published in this build; counts it if not.
fn published(front: &FrontMatter, publish: &Publish, skipped: &mut Skipped) -> bool {
    let count = |n: &mut usize| {
        *n += 1;
        false
    };
    if front.build.render == Some(Render::Never) {
        return count(&mut skipped.unrendered);
    }
    let include = publish.include;
    if front.draft && !include.drafts {
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

/// Names the owner of a URL for a diagnostic.
fn describe(owner: Owner, pages: &[Page], sections: &[Section]) -> String {
    match owner {
        Owner::Page(id) => pages[id].file().display().to_string(),
        Owner::Section(id) => match &sections[id].rel {
            Some(rel) => Path::new(CONTENT_DIR).join(rel).display().to_string(),
            None => format!("the section `{}`", sections[id].dir),
        },
        Owner::Taxonomy(_) => "a taxonomy index".into(),
        Owner::Term(_, _) => "a taxonomy term's page".into(),
        Owner::Builtin(what) => what.into(),
    }
}

/// The sections, home first and shallowest first, with their front matter, URLs and titles.
fn make_sections(
    config: &SiteConfig,
    base: &BaseUrl,
    docs: &[Arc<ParsedDocument>],
    cascades: &Cascades,
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(docs.len() + 1);
    let has_home = docs
        .iter()
        .any(|d| parent_dir_of_section(&d.rel).is_empty());
    let mut all: Vec<(String, Option<&Arc<ParsedDocument>>)> = Vec::new();
    if !has_home {
        all.push((String::new(), None));
    }
    all.extend(
        docs.iter()
            .map(|d| (parent_dir_of_section(&d.rel).to_string(), Some(d))),
    );
    for (dir, doc) in all {
        let rel = doc.map_or_else(|| format!("{dir}/_index.md"), |d| d.rel.clone());
        let kind = if dir.is_empty() {
            Kind::Home
        } else {
            Kind::Section
        };
        let own = doc.map(|d| d.front.clone()).unwrap_or_default();
        let front = prepare_front(cascades, &rel, kind, &own);
        let body = doc.map_or_else(|| Arc::new(Rendered::default()), |d| Arc::clone(&d.body));
        let title = match (&front.title, &body.first_h1) {
            (Some(t), _) => t.clone(),
            (None, Some(h1)) => h1.clone(),
            (None, None) if dir.is_empty() => config.title.clone(),
            (None, None) => dir
                .rsplit('/')
                .next()
                .unwrap_or(&dir)
                .replace(['-', '_'], " "),
        };
        let file = Path::new(CONTENT_DIR).join(&rel);
        let mut path = match section_path(&dir, &front) {
            Ok(p) => p,
            Err(e) => {
                diags.push(e.in_file(&file));
                urls::urlize_path(&dir)
            }
        };
        if dir.is_empty() {
            path = String::new();
        }
        let id = sections.len();
        if let Err(owner) = claims.claim(&path, Owner::Section(id)) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "two sections would be written to the same URL /{path}: {} and {}",
                        describe(owner, &[], &sections),
                        file.display()
                    ),
                )
                .in_file(&file)
                .hint("give one of them another `slug:` or `url:`"),
            );
        }
        sections.push(Section {
            depth: dir.split('/').filter(|s| !s.is_empty()).count(),
            url: base.path_to(&path),
            permalink: base.absolute(&path),
            path,
            title,
            rendered: front.build.render != Some(Render::Never),
            listed: front.build.list != Some(Listing::Never),
            front,
            body,
            rel: doc.map(|d| d.rel.clone()),
            parent: None,
            children: Vec::new(),
            pages: Vec::new(),
            dir,
        });
    }
    sections
}

/// A section's output path: its folders, or its `url:` / `permalink:`; `slug:` renames the
/// last folder.
fn section_path(dir: &str, front: &FrontMatter) -> Result<String, Diagnostic> {
    if let Some((key, written)) = front
        .url
        .as_deref()
        .map(|u| ("url", u))
        .or(front.permalink.as_deref().map(|p| ("permalink", p)))
    {
        return urls::site_path(written).map_err(|why| bad_path(key, written, why, front));
    }
    let mut path = urls::urlize_path(dir);
    if let Some(slug) = &front.slug {
        let parent = urls::urlize_path(parent_dir(dir));
        path = format!("{parent}{}", urls::urlize_path(slug));
    }
    Ok(path)
}

fn bad_path(key: &str, written: &str, why: &str, front: &FrontMatter) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidUrl,
        format!("`{key}: {written}` cannot be used: {why}"),
    )
    .at_opt(front.line_of(key).map(|l| (l, 1)))
    .hint("write a path on this site such as /about/ or /2024/01/launch.html")
}

/// A page, placed: its URL from `url:`, `permalink:`, the site's `permalinks:` pattern for its
/// folder, or its folders and slug. `None` (with an error) when its URL cannot be made.
fn make_page(
    config: &SiteConfig,
    base: &BaseUrl,
    doc: &ParsedDocument,
    front: FrontMatter,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let file = doc.display_path();
    let (dir, name) = naming_of(&doc.rel);
    let undated = dates::from_file_stem(name).map_or(name, |(_, rest)| rest);
    let title = match (&front.title, &doc.body.first_h1) {
        (Some(t), _) => t.clone(),
        (None, Some(h1)) => h1.clone(),
        (None, None) => {
            if !doc.front_matter_failed {
                diags.push(
                    Diagnostic::warning(
                        Code::NoTitle,
                        "no `title` in front matter and no heading; using the file name",
                    )
                    .in_file(&file)
                    .at(1, 1)
                    .hint("add a `title:` line to the front matter"),
                );
            }
            undated.replace(['-', '_'], " ")
        }
    };
    if let Some(slug) = front.slug.as_deref()
        && (slug.contains(['\\', ':']) || slug.split('/').any(|s| s == ".." || s == "."))
    {
        diags.push(
            Diagnostic::error(
                Code::InvalidUrl,
                format!("`slug: {slug}` cannot be part of a URL"),
            )
            .in_file(&file)
            .at_opt(front.line_of("slug").map(|l| (l, 1)))
            .hint("a slug names the page within its folder, e.g. `slug: win-rate`"),
        );
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
    let written = front
        .url
        .as_deref()
        .map(|u| ("url", u.to_string()))
        .or(front
            .permalink
            .as_deref()
            .map(|p| ("permalink", p.to_string())));
    let path = match written {
        Some((key, pattern)) => {
            let expanded = if pattern.contains(':') {
                urls::expand(&pattern, &naming)
            } else {
                Ok(pattern.clone())
            };
            expanded
                .map_err(|why| bad_path(key, &pattern, &why, &front))
                .and_then(|p| {
                    urls::site_path(&p).map_err(|why| bad_path(key, &pattern, why, &front))
                })
        }
        None => match config.permalink_for(dir) {
            Some((key, pattern)) => urls::expand(pattern, &naming)
                .and_then(|p| urls::site_path(&p).map_err(str::to_string))
                .map_err(|why| {
                    Diagnostic::error(
                        Code::InvalidUrl,
                        format!(
                            "the permalink `{pattern}` for `{key}` cannot place this page: {why}"
                        ),
                    )
                    .hint(format!("patterns may use {}", urls::TOKENS))
                }),
            None => Ok(urls::default_path(&naming)),
        },
    };
    let path = match path {
        Ok(p) if p.is_empty() => {
            diags.push(
                Diagnostic::error(Code::InvalidUrl, "this page's URL would be the home page's")
                    .in_file(&file)
                    .hint("give it another `url:` or `permalink:`"),
            );
            return None;
        }
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
        section: 0,
        reading_minutes: reading_minutes(doc.body.word_count),
        standalone: false,
        listing: front.build.list.unwrap_or(Listing::Always),
        redirect,
        front,
        body: Arc::clone(&doc.body),
    })
}

/// Marks standalone pages: `type: page`, redirects, and files directly in `content/` when the
/// site's articles live in folders (its libraries).
fn assign_roles(pages: &mut [Page]) {
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

/// Lists pages and sections in their sections, each in reading order.
fn gather(sections: &mut [Section], pages: &[Page]) {
    for (id, p) in pages.iter().enumerate() {
        let root_page = p.section == 0 && p.standalone;
        if p.listing != Listing::Never && !root_page {
            sections[p.section].pages.push(id);
        }
    }
    for s in sections.iter_mut() {
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            (a.front.weight, std::cmp::Reverse(a.front.date), &a.title).cmp(&(
                b.front.weight,
                std::cmp::Reverse(b.front.date),
                &b.title,
            ))
        });
    }
    let listed: Vec<(SectionId, SectionId)> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.listed && s.rendered)
        .filter_map(|(id, s)| Some((s.parent?, id)))
        .collect();
    for (parent, id) in listed {
        sections[parent].children.push(id);
    }
    let order: Vec<Vec<SectionId>> = sections
        .iter()
        .map(|s| {
            let mut c = s.children.clone();
            c.sort_by(|&a, &b| {
                let (x, y) = (&sections[a], &sections[b]);
                (x.front.weight, &x.title).cmp(&(y.front.weight, &y.title))
            });
            c
        })
        .collect();
    for (s, c) in sections.iter_mut().zip(order) {
        s.children = c;
    }
}

/// Claims the taxonomy indexes, term pages and stacks' own pages; a page already there is an
/// error naming it.
fn claim_indexes(
    config: &SiteConfig,
    taxonomies: &[Taxonomy],
    claims: &mut Claims,
    pages: &[Page],
    sections: &[Section],
    diags: &mut Diagnostics,
) {
    let mut wanted: Vec<(String, Owner)> =
        vec![("404.html".into(), Owner::Builtin("the 404 page"))];
    if config.search {
        wanted.push(("search/".into(), Owner::Builtin("the search page")));
    }
    for (t, tax) in taxonomies.iter().enumerate() {
        wanted.push((format!("{}/", tax.slug), Owner::Taxonomy(t)));
        for (i, term) in tax.terms.iter().enumerate() {
            wanted.push((term.path.clone(), Owner::Term(t, i)));
        }
    }
    for (path, owner) in wanted {
        if let Err(holder) = claims.claim(&path, owner) {
            let file = match holder {
                Owner::Page(id) => Some(pages[id].file()),
                Owner::Section(id) => sections[id]
                    .rel
                    .as_ref()
                    .map(|r| Path::new(CONTENT_DIR).join(r)),
                _ => None,
            };
            let mut d = Diagnostic::error(
                Code::DuplicateUrl,
                format!(
                    "/{path} is {}, and also the URL of {}",
                    describe(owner, pages, sections),
                    describe(holder, pages, sections)
                ),
            )
            .hint("give the page another `url:` or `slug:`, or rename the taxonomy in site.yaml");
            if let Some(f) = file {
                d = d.in_file(f);
            }
            diags.push(d);
        }
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
            // A page written as a file (`x.html`) has no folder of its own: its files go beside.
            let owner_path = match owner_path.rsplit_once('/') {
                Some((folder, file)) if !file.is_empty() => format!("{folder}/"),
                None if !owner_path.is_empty() => String::new(),
                _ => owner_path,
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
