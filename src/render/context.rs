//! What templates see. Each page's context holds that page's own data plus light references
//! (title, URL, a line of description) to the pages it mentions — never the whole site, so the
//! cost of rendering a page does not grow with the size of the library.

use super::bodies::Bodies;
use crate::analyze::Analysis;
use crate::diagnostics::Diagnostic;
use crate::model::{Page, PageId, Section, SectionId, Site};
use crate::parse::front_matter::{Cta, Faq, SourceRef};
use crate::parse::markdown::{Body, TocEntry, fill_placeholders};
use crate::yaml::Value;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub(crate) use super::refs::{DateView, ImageRef, Link, PageRef, SectionRef, TermRef};

/// The `page` of an article template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArticleView<'a> {
    /// Title.
    pub title: &'a str,
    /// Site-absolute URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Description (or summary, or first paragraph).
    pub description: Option<String>,
    /// A standalone page (about, contact, a policy) rather than an article: themes leave out
    /// what only articles have (badge, related reading).
    pub standalone: bool,
    /// `keywords`, for `<meta name="keywords">`.
    pub keywords: &'a [String],
    /// Published.
    pub date: Option<DateView>,
    /// Updated.
    pub updated: Option<DateView>,
    /// Authors.
    pub authors: &'a [String],
    /// Authors, each with their profile page when they have one.
    pub bylines: Vec<super::reader::Byline>,
    /// Words in the body, code excluded.
    pub word_count: usize,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// Tags with their URLs.
    pub tags: Vec<TermRef>,
    /// Every taxonomy's terms for this page, by taxonomy name.
    pub taxonomies: BTreeMap<String, Vec<TermRef>>,
    /// The direct answer.
    pub answer: Option<String>,
    /// Table of contents.
    pub toc: Vec<TocEntry<'a>>,
    /// Body HTML.
    pub content: String,
    /// FAQ.
    pub faq: &'a [Faq],
    /// Sources.
    pub sources: &'a [SourceRef],
    /// Call to action: the article's own, else the site's (none with `cta: false`).
    pub cta: Option<Cta>,
    /// "Was this helpful?" and "Suggest a change" links.
    pub feedback: super::reader::Feedback,
    /// When the article was last reviewed: `updated`, else `date`.
    pub last_reviewed: Option<DateView>,
    /// The article before this one in its collection.
    pub prev: Option<Arc<PageRef>>,
    /// The article after this one in its collection.
    pub next: Option<Arc<PageRef>>,
    /// Home › library › collection.
    pub breadcrumb: Vec<Link>,
    /// Related reading across the library.
    pub related: Vec<Arc<PageRef>>,
    /// More from the same collection.
    pub more_in_collection: Vec<Arc<PageRef>>,
    /// Articles that link here.
    pub backlinks: Vec<Arc<PageRef>>,
    /// URL of the article's markdown source.
    pub download: String,
    /// JSON-LD blocks (`Article`, `BreadcrumbList`, `FAQPage`), each safe inside `<script>`.
    pub json_ld: Vec<String>,
    /// Where the audit badge goes: a placeholder that the audit replaces with the rendered
    /// `partials/audit-badge.html` once the page's scores are known (empty when the audit is
    /// off).
    pub audit_badge: &'static str,
    /// Free-form front matter.
    pub extra: &'a BTreeMap<String, Value>,
}

/// The three article lists under an article, with no article in two of them.
struct Footer {
    related: Vec<PageId>,
    collection: Vec<PageId>,
    backlinks: Vec<PageId>,
}

/// The `section` of a section or home template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionView {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Description.
    pub description: Option<String>,
    /// Body HTML of its `_index.md`.
    pub content: String,
    /// Home › … › parent.
    pub breadcrumb: Vec<Link>,
    /// Subsections with their own subsections.
    pub subsections: Vec<SectionRef>,
    /// Articles directly in it.
    pub pages: Vec<Arc<PageRef>>,
    /// Free-form front matter.
    pub extra: BTreeMap<String, Value>,
}

/// Head metadata every template receives as `meta`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Meta {
    /// `<title>`.
    pub title: String,
    /// `<meta name="description">`.
    pub description: String,
    /// Canonical URL.
    pub canonical: String,
    /// The page's site-absolute URL.
    pub url: String,
    /// The URL of the library (top-level section) the page belongs to, for marking it in the
    /// header.
    pub library: Option<String>,
    /// The social card image, on pages that have one.
    pub image: Option<ImageRef>,
    /// `article` or `website`.
    pub kind: &'static str,
    /// The Atom feed of this page's library or term, besides the site's own.
    pub feed: Option<String>,
    /// The code-highlighting stylesheet, on pages that show code.
    pub code_css: Option<String>,
    /// The mermaid module that draws, in the browser, diagrams the build could not draw.
    pub diagram_script: Option<String>,
}

/// What views are built for: pages to render, with the HTML of their bodies, or fingerprints
/// of pages, where a body stands for itself by a hash of what its HTML is made from.
#[derive(Clone, Copy)]
pub(crate) enum Mode<'a> {
    /// Views with bodies, from `Bodies`.
    Render(&'a Bodies<'a>),
    /// Views for a fingerprint: no body is read or rendered.
    Fingerprint,
}

/// Builders of views over one site and its analysis.
pub(crate) struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// Whether bodies are filled in.
    pub mode: Mode<'a>,
    counts: Vec<usize>,
    /// Each section's `library · collection` trail, made once: every page reference shows one.
    trails: Vec<String>,
    /// Each page's reference, made when first asked for: a page is listed under many others.
    refs: Vec<std::sync::OnceLock<Arc<PageRef>>>,
    /// Each page's neighbours in its collection (see `neighbours`), found for every page at
    /// once when first asked for: finding one page's walked its whole collection.
    pub(super) neighbour_ids: OnceLock<Vec<(Option<PageId>, Option<PageId>)>>,
    /// Whether authors' profiles have pages to link to.
    pub(super) author_pages: bool,
    /// Whether articles have social cards to name in their heads.
    pub(super) social_cards: bool,
}

impl<'a> Views<'a> {
    /// Prepares views (counts articles per section once); `author_pages` says whether the
    /// theme writes authors' profiles, so bylines can link to them.
    pub(crate) fn new(
        site: &'a Site,
        analysis: &'a Analysis,
        mode: Mode<'a>,
        author_pages: bool,
    ) -> Self {
        let mut counts = vec![0; site.sections.len()];
        for p in &site.pages {
            for s in site.ancestors(p.section) {
                counts[s.0] += 1;
            }
        }
        let trails = site
            .section_ids()
            .map(|section| {
                site.ancestors(section)
                    .into_iter()
                    .skip(1)
                    .map(|s| site.sections[s].title.as_str())
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .collect();
        Self {
            site,
            analysis,
            mode,
            counts,
            trails,
            refs: site.pages.iter().map(|_| Default::default()).collect(),
            neighbour_ids: OnceLock::new(),
            author_pages: author_pages && !site.config.authors.is_empty(),
            social_cards: false,
        }
    }

    /// The body of file `rel` with its links filled in from `hrefs` and `titles`; in
    /// fingerprint mode, a hash of everything that HTML is made from.
    pub(crate) fn body_html(
        &self,
        rel: Option<&str>,
        body: &Body,
        hrefs: &[String],
        titles: &[String],
    ) -> Result<String, Diagnostic> {
        match self.mode {
            Mode::Render(bodies) => Ok(fill_placeholders(&bodies.html(rel, body)?, hrefs, titles)),
            Mode::Fingerprint => {
                let mut h = blake3::Hasher::new();
                h.update(&body.source.0);
                h.update(&[u8::from(body.source.1), u8::from(rel.is_some())]);
                for part in hrefs.iter().chain(titles) {
                    h.update(&(part.len() as u64).to_le_bytes());
                    h.update(part.as_bytes());
                }
                Ok(h.finalize().to_hex().to_string())
            }
        }
    }

    fn trail(&self, section: SectionId) -> String {
        self.trails[section.0].clone()
    }

    /// A light reference to page `id`.
    pub(crate) fn page_ref(&self, id: PageId) -> Arc<PageRef> {
        Arc::clone(self.refs[id.0].get_or_init(|| Arc::new(self.make_ref(id))))
    }

    fn make_ref(&self, id: PageId) -> PageRef {
        let p = &self.site.pages[id];
        PageRef {
            title: p.title.clone(),
            url: p.url.clone(),
            description: p.summary().map(str::to_string),
            date: p.front.date.as_ref().map(DateView::from),
            reading_minutes: p.reading_minutes,
            trail: self.trail(p.section),
            digest: OnceLock::new(),
        }
    }

    /// Breadcrumb links from home to `section`, inclusive.
    pub(crate) fn breadcrumb(&self, section: SectionId) -> Vec<Link> {
        self.site
            .ancestors(section)
            .into_iter()
            .map(|s| {
                let s = &self.site.sections[s];
                let title = if s.parent.is_none() {
                    "Home".to_string()
                } else {
                    s.title.clone()
                };
                Link {
                    title,
                    url: s.url.clone(),
                }
            })
            .collect()
    }

    /// The URL of the library (top-level section) that holds `section`, if any.
    pub(crate) fn library_of(&self, section: SectionId) -> Option<String> {
        let library = self.site.library(section)?;
        Some(self.site.sections[library].url.clone())
    }

    /// A section in a listing, with `depth` levels of children.
    pub(crate) fn section_ref(&self, id: SectionId, depth: usize) -> SectionRef {
        let s = &self.site.sections[id];
        SectionRef {
            title: s.title.clone(),
            url: s.url.clone(),
            description: s.front.description.clone(),
            count: self.counts[id.0],
            children: if depth == 0 {
                Vec::new()
            } else {
                s.children
                    .iter()
                    .map(|&c| self.section_ref(c, depth - 1))
                    .collect()
            },
        }
    }

    fn terms_of(&self, page: &Page) -> BTreeMap<String, Vec<TermRef>> {
        self.site
            .taxonomies
            .iter()
            .map(|tax| {
                let mut seen = Vec::new();
                let terms = page
                    .front
                    .list(&tax.name)
                    .iter()
                    .filter_map(|v| {
                        let slug = crate::model::urlize(v);
                        if seen.contains(&slug) {
                            return None;
                        }
                        let t = tax.term(&slug)?;
                        seen.push(slug);
                        Some(TermRef {
                            name: t.name.clone(),
                            url: t.url.clone(),
                            count: t.pages.len(),
                        })
                    })
                    .collect();
                (tax.name.clone(), terms)
            })
            .collect()
    }

    /// The full view of article `id`.
    pub(crate) fn article(&self, id: PageId) -> Result<ArticleView<'a>, Diagnostic> {
        let p = &self.site.pages[id];
        let links = &self.analysis.page_links[id];
        let taxonomies = self.terms_of(p);
        let refs = |ids: &[PageId]| ids.iter().map(|&i| self.page_ref(i)).collect::<Vec<_>>();
        let content = super::frames::frame(&self.body_html(
            Some(&p.rel),
            &p.body,
            &links.hrefs,
            &links.titles,
        )?);
        let footer = self.footer(id);
        let (prev, next) = self.neighbours(id);
        Ok(ArticleView {
            title: &p.title,
            url: &p.url,
            permalink: &p.permalink,
            description: p.description().map(str::to_string),
            standalone: !p.is_article(),
            keywords: &p.front.keywords,
            date: p.front.date.as_ref().map(DateView::from),
            updated: p.front.updated.as_ref().map(DateView::from),
            authors: self.author_names(p),
            bylines: self.bylines(p),
            word_count: p.body.word_count,
            reading_minutes: p.reading_minutes,
            tags: taxonomies.get("tags").cloned().unwrap_or_default(),
            taxonomies,
            answer: p.front.answer.as_deref().map(|a| self.smart(a)),
            toc: p.body.toc(),
            content,
            faq: &p.front.faq,
            sources: &p.front.sources,
            cta: self.cta(p),
            feedback: self.feedback(p),
            last_reviewed: p.last_modified().map(DateView::from),
            prev,
            next,
            breadcrumb: self.breadcrumb(p.section),
            related: refs(&footer.related),
            more_in_collection: refs(&footer.collection),
            backlinks: refs(&footer.backlinks),
            download: self.site.base.path_to(&p.markdown_file()),
            json_ld: super::structured::article(self, id),
            audit_badge: if self.site.config.audit.enabled && p.is_article() {
                super::BADGE_PLACEHOLDER
            } else {
                ""
            },
            extra: &p.front.extra,
        })
    }

    /// The article lists under article `id`, each article in one of them only. "More from
    /// this collection" and "related in the library" (the rest of the library) never share
    /// an article; "referenced by" lists the articles linking here that neither shows.
    fn footer(&self, id: PageId) -> Footer {
        let (library, collection) = self
            .analysis
            .related
            .get(id)
            .map(|r| (r.library.clone(), r.collection.clone()))
            .unwrap_or_default();
        let related: Vec<PageId> = library
            .into_iter()
            .filter(|p| !collection.contains(p))
            .collect();
        let backlinks = self.analysis.backlinks[id]
            .iter()
            .copied()
            .filter(|p| !collection.contains(p) && !related.contains(p))
            .collect();
        Footer {
            related,
            collection,
            backlinks,
        }
    }

    /// The full view of section `id`.
    pub(crate) fn section(&self, id: SectionId) -> Result<SectionView, Diagnostic> {
        let s: &Section = &self.site.sections[id];
        let links = &self.analysis.section_links[id];
        let mut breadcrumb = match s.parent {
            Some(parent) => self.breadcrumb(parent),
            None => Vec::new(),
        };
        if s.parent.is_some() {
            breadcrumb.push(Link {
                title: s.title.clone(),
                url: s.url.clone(),
            });
        }
        let content = self.body_html(s.rel.as_deref(), &s.body, &links.hrefs, &links.titles)?;
        Ok(SectionView {
            title: s.title.clone(),
            url: s.url.clone(),
            permalink: s.permalink.clone(),
            description: s
                .front
                .description
                .clone()
                .or_else(|| s.body.first_paragraph.clone()),
            content,
            breadcrumb,
            subsections: s.children.iter().map(|&c| self.section_ref(c, 1)).collect(),
            pages: s.pages.iter().map(|&p| self.page_ref(p)).collect(),
            extra: s.front.extra.clone(),
        })
    }
}
