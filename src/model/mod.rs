//! Stage 3, **model**: the site as sections, pages and taxonomies, with every URL decided.
//!
//! This is where files become pages, in named steps (see [`build`]): which files are sections,
//! what each inherits through `cascade`, which are published (drafts, future and expired dates,
//! `build.render`), where each goes (default paths, `permalinks:` patterns, `url:` and
//! `permalink:`), who owns each URL (two claims on one URL are an error naming both files), and
//! how pages gather into sections, taxonomy terms and aliases. Later stages only read this
//! structure.

mod aliases;
mod assemble;
mod cascade;
mod ids;
mod pages;
mod sections;
mod taxonomy;
pub(crate) mod urls;

pub(crate) use aliases::{Alias, AliasTarget};
use assemble::{claim_indexes, gather, place_assets};
pub(crate) use cascade::{Cascades, Kind};
pub use ids::PageId;
pub(crate) use ids::{AssetId, PerPage, PerSection, SectionId};
pub(crate) use pages::prepare_front;
use pages::{Placing, assign_roles, check_permalinks};
use sections::{SectionTree, make_sections, parent_dir_of_section, section_dirs};
pub(crate) use taxonomy::Taxonomy;
pub(crate) use urls::Owner;
pub use urls::urlize;

use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::Diagnostics;
use crate::load::{Asset, CONTENT_DIR};
use crate::parse::ParsedDocument;
use crate::parse::dates;
use crate::parse::front_matter::{Cascade, FrontMatter, Listing};
use crate::parse::markdown::Body;
use jiff::Timestamp;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use urls::Claims;

/// Reading speed used for reading time, in words per minute.
const WORDS_PER_MINUTE: usize = 230;

/// Minutes to read `words`, at least 1.
pub(crate) fn reading_minutes(words: usize) -> usize {
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
    pub front: Arc<FrontMatter>,
    /// The rendered body.
    pub body: Arc<Body>,
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
    pub front: Arc<FrontMatter>,
    /// Rendered body of its `_index.md`.
    pub body: Arc<Body>,
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

impl Skipped {
    /// Adds the counts of `other`.
    pub(crate) fn add(&mut self, other: Skipped) {
        self.drafts += other.drafts;
        self.future += other.future;
        self.expired += other.expired;
        self.unrendered += other.unrendered;
    }
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

impl std::fmt::Display for Skipped {
    /// `2 draft(s), 1 dated in the future`: the reasons that apply, for the end of a build.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            (self.drafts, "draft(s)"),
            (self.future, "dated in the future"),
            (self.expired, "expired"),
            (self.unrendered, "with render: never"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        f.write_str(&parts.join(", "))
    }
}

impl Skipped {
    /// Whether every file became a page.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
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

/// Where one source file is published, as `check --format json` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageUrl {
    /// The source file, relative to the site root; none for a section without `_index.md`.
    pub file: Option<String>,
    /// The site-absolute URL.
    pub url: String,
    /// `section`, `article`, `page` (standalone) or `redirect`.
    pub kind: &'static str,
}

impl Site {
    /// Every section that has a page, then every page, with the file it comes from and its URL:
    /// what a migrating library checks its old URLs against.
    pub fn page_urls(&self) -> Vec<PageUrl> {
        let sections = self
            .sections
            .iter()
            .filter(|s| s.rendered)
            .map(|s| PageUrl {
                file: s.rel.as_ref().map(|r| format!("{CONTENT_DIR}/{r}")),
                url: s.url.clone(),
                kind: "section",
            });
        let pages = self.pages.iter().map(|p| PageUrl {
            file: Some(format!("{CONTENT_DIR}/{}", p.rel)),
            url: p.url.clone(),
            kind: match (&p.redirect, p.is_article()) {
                (Some(_), _) => "redirect",
                (None, true) => "article",
                (None, false) => "page",
            },
        });
        sections.chain(pages).collect()
    }

    /// Every page's id, in order.
    pub fn page_ids(&self) -> impl Iterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    /// Every section's id, in order, the home page first.
    pub fn section_ids(&self) -> impl Iterator<Item = SectionId> + use<> {
        (0..self.sections.len()).map(SectionId)
    }

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

    /// The library that holds `id`: the top-level section it is in (itself, when it is one);
    /// `None` for the home page.
    pub fn library(&self, id: SectionId) -> Option<SectionId> {
        let chain = self.ancestors(id);
        chain.get(1).copied()
    }

    /// The site-absolute URL, absolute URL and title of an alias's target (for a page that is
    /// itself a redirect, where it redirects to, so readers take one hop).
    pub fn alias_target(&self, target: AliasTarget) -> (&str, &str, &str) {
        match target {
            AliasTarget::Page(id) => {
                let p = &self.pages[id];
                match &p.redirect {
                    Some(to) => (to, to, &p.title),
                    None => (&p.url, &p.permalink, &p.title),
                }
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

/// What the site is built from: the stages before the model give these.
pub struct Input<'a> {
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Absolute path of `content/`.
    pub content_dir: PathBuf,
    /// The base URL, with the command's override applied.
    pub base: BaseUrl,
    /// Every markdown file, parsed.
    pub docs: Vec<Arc<ParsedDocument>>,
    /// Every other file under `content/`.
    pub assets: &'a [Asset],
    /// `site.yaml`'s cascades.
    pub cascades: &'a [Cascade],
    /// What this build publishes.
    pub publish: Publish,
}

/// Builds the site, in named steps: which files are sections, the cascades, the sections and
/// their URLs, the pages and theirs (every URL claimed once), the pages' roles and lists, the
/// assets, the taxonomies, and the aliases.
pub fn build(input: Input, diags: &mut Diagnostics) -> Site {
    let Input {
        config,
        content_dir,
        base,
        docs,
        assets,
        cascades: site_cascades,
        publish,
    } = input;
    let (section_docs, page_docs) = split_sections(docs, diags);
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
    let tree = SectionTree::link(&mut sections);
    let placed = Placing {
        config: &config,
        base: &base,
        cascades: &cascades,
        publish: &publish,
        bad_patterns: check_permalinks(&config, diags),
    }
    .pages(page_docs, &tree, &mut claims, &sections, diags);
    let mut pages = placed.pages;
    assign_roles(&mut pages);
    gather(&mut sections, &pages);
    let assets = place_assets(assets, &sections, &tree.by_dir, &pages, &placed.bundle_dirs);
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
        skipped: placed.skipped,
    }
}

/// The section documents (shallowest first) and the page documents.
fn split_sections(
    docs: Vec<Arc<ParsedDocument>>,
    diags: &mut Diagnostics,
) -> (Vec<Arc<ParsedDocument>>, Vec<Arc<ParsedDocument>>) {
    let section_of_dir = section_dirs(&docs, diags);
    let (section_docs, page_docs): (Vec<_>, Vec<_>) = docs
        .into_iter()
        .enumerate()
        .partition(|(i, d)| section_of_dir.get(parent_dir(&d.rel)) == Some(i));
    let mut section_docs: Vec<Arc<ParsedDocument>> =
        section_docs.into_iter().map(|(_, d)| d).collect();
    section_docs.sort_by_key(|d| (d.rel.matches('/').count(), d.rel.clone()));
    (
        section_docs,
        page_docs.into_iter().map(|(_, d)| d).collect(),
    )
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
