//! HTML pages: home, sections, articles, taxonomy indexes and terms, and the 404 page.

use super::Prepared;
use super::context::{Link, Meta, PageRef, TermRef, Views};
use super::vars::Vars;
use super::{HIGHLIGHT_CSS, Output, capitalise};
use crate::diagnostics::Diagnostic;
use crate::model::{PageId, SectionId, Site};
use crate::parse::markdown::Body;
use serde::Serialize;
use std::sync::Arc;

/// One HTML page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageJob {
    /// The home page.
    Home,
    /// A section's index page (never the home section).
    Section(SectionId),
    /// An article.
    Article(PageId),
    /// The list of a taxonomy's terms.
    Taxonomy(usize),
    /// Page `n` (1-based) of a term: taxonomy index, term index, page.
    Term(usize, usize, usize),
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
    /// The profile of author `n` of `site.yaml`'s `authors:`.
    Author(usize),
    /// Every article, by library and collection.
    AllArticles,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<Arc<PageRef>>,
}

/// Every HTML page of the site but the articles' (see [`super::render_articles`]).
pub(super) fn jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs = vec![PageJob::Home, PageJob::NotFound];
    jobs.extend(
        site.section_ids()
            .skip(1)
            .filter(|&s| site.sections[s].rendered)
            .map(PageJob::Section),
    );
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(PageJob::Taxonomy(t));
        for (i, term) in tax.terms.iter().enumerate() {
            let n = term.pages.len().div_ceil(site.config.paginate_by).max(1);
            jobs.extend((1..=n).map(|p| PageJob::Term(t, i, p)));
        }
    }
    jobs
}

/// Output path of page `n` of a term whose first page is at `first`.
pub(super) fn term_page_path(first: &str, n: usize) -> String {
    if n == 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// Prepares one HTML page for rendering or its fingerprint.
pub(super) fn prepare(job: PageJob, views: &Views) -> Result<Prepared, Diagnostic> {
    Ok(match job {
        PageJob::Home => home(views)?,
        PageJob::Section(id) => section(views, id)?,
        PageJob::Article(id) => article(views, id)?,
        PageJob::Taxonomy(t) => taxonomy(views, t),
        PageJob::Term(t, i, n) => term(views, (t, i, n)),
        PageJob::NotFound => not_found(views),
        PageJob::Search => search(views),
        PageJob::Author(n) => super::listing::author(views, n)?,
        PageJob::AllArticles => super::listing::all_articles(views)?,
    })
}

/// The head of a page: its title, description (never empty: search results and link
/// previews show one), canonical URL, kind and feed.
pub(super) fn meta(
    views: &Views,
    (title, description): (String, String),
    path: &str,
    kind: &'static str,
    feed: Option<String>,
) -> Meta {
    let site = views.site;
    Meta {
        description: if description.trim().is_empty() {
            format!("{title} — {}", site.config.description)
                .trim_end_matches([' ', '—'])
                .to_string()
        } else {
            description
        },
        title,
        canonical: site.base.absolute(path),
        url: site.base.path_to(path),
        library: None,
        image: None,
        kind,
        feed,
        code_css: None,
        diagram_script: None,
    }
}

/// `meta` for a page with a body: only pages that need them load the code stylesheet or the
/// diagram fallback.
fn with_body_assets(views: &Views, meta: Meta, body: &Body) -> Meta {
    let site = views.site;
    Meta {
        code_css: (body.code_blocks > 0).then(|| site.base.path_to(HIGHLIGHT_CSS)),
        diagram_script: (body.diagram_fallback && site.config.diagrams.client_fallback)
            .then(|| site.config.diagrams.mermaid_url.clone()),
        ..meta
    }
}

fn home(views: &Views) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let mut ctx = Vars::new(views);
    let s = views.section(SectionId::HOME)?;
    let description = s
        .description
        .clone()
        .unwrap_or_else(|| site.config.description.clone());
    let title = site.config.title.clone();
    ctx.insert(
        "meta",
        &meta(views, (title, description), "", "website", None),
    );
    let mut recent: Vec<PageId> = site
        .page_ids()
        .filter(|&p| site.pages[p].is_article())
        .collect();
    recent.sort_by(|&a, &b| site.pages[b].front.date.cmp(&site.pages[a].front.date));
    recent.truncate(6);
    let recent: Vec<_> = recent.iter().map(|&i| views.page_ref(i)).collect();
    ctx.insert("recent", &recent);
    ctx.insert("section", &s);
    Ok(Prepared {
        template: "index.html".into(),
        path: "index.html".into(),
        label: "the home page".into(),
        ctx,
    })
}

fn section(views: &Views, id: SectionId) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let mut ctx = Vars::new(views);
    let sec = &site.sections[id];
    let s = views.section(id)?;
    let feed = (sec.depth == 1).then(|| site.base.path_to(&format!("{}atom.xml", sec.path)));
    let title = format!("{} — {}", s.title, site.config.title);
    let mut head = meta(
        views,
        (title, s.description.clone().unwrap_or_default()),
        &sec.path,
        "website",
        feed,
    );
    head.library = views.library_of(id);
    ctx.insert("meta", &with_body_assets(views, head, &sec.body));
    ctx.insert("section", &s);
    Ok(Prepared {
        template: sec
            .front
            .template
            .clone()
            .unwrap_or_else(|| "section.html".into()),
        path: crate::model::urls::output_file(&sec.path),
        label: format!("content/{}", sec.rel.clone().unwrap_or_default()),
        ctx,
    })
}

fn article(views: &Views, id: PageId) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let mut ctx = Vars::new(views);
    let p = &site.pages[id];
    let a = views.article(id)?;
    let title = format!("{} — {}", a.title, site.config.title);
    let description = a.description.clone().unwrap_or_default();
    let mut head = meta(views, (title, description), &p.path, "article", None);
    head.library = views.library_of(p.section);
    if views.social_cards && p.is_article() {
        head.image = Some(super::social::image(site, id));
    }
    ctx.insert("meta", &with_body_assets(views, head, &p.body));
    ctx.insert("page", &a);
    Ok(Prepared {
        template: p
            .front
            .template
            .clone()
            .unwrap_or_else(|| "article.html".into()),
        path: p.output_file(),
        label: format!("content/{}", p.rel),
        ctx,
    })
}

fn taxonomy(views: &Views, t: usize) -> Prepared {
    let site = views.site;
    let mut ctx = Vars::new(views);
    let tax = &site.taxonomies[t];
    let terms: Vec<TermRef> = tax
        .terms
        .iter()
        .map(|term| TermRef {
            name: term.name.clone(),
            url: term.url.clone(),
            count: term.pages.len(),
        })
        .collect();
    let path = format!("{}/", tax.slug);
    let title = format!("{} — {}", capitalise(&tax.name), site.config.title);
    let description = format!(
        "Every {} in {}, with the number of articles for each.",
        tax.name, site.config.title
    );
    ctx.insert(
        "meta",
        &meta(views, (title, description), &path, "website", None),
    );
    ctx.insert(
        "taxonomy",
        &Link {
            title: capitalise(&tax.name),
            url: site.base.path_to(&path),
        },
    );
    ctx.insert("terms", &terms);
    Prepared {
        template: "taxonomy.html".into(),
        path: format!("{path}index.html"),
        label: format!("the {} index", tax.name),
        ctx,
    }
}

/// Page `n` of the term `i` of taxonomy `t`.
fn term(views: &Views, (t, i, n): (usize, usize, usize)) -> Prepared {
    let site = views.site;
    let base = &site.base;
    let mut ctx = Vars::new(views);
    let tax = &site.taxonomies[t];
    let term = &tax.terms[i];
    let per = site.config.paginate_by;
    let total = term.pages.len().div_ceil(per).max(1);
    let paginator = Paginator {
        current: n,
        total,
        prev: (n > 1).then(|| base.path_to(&term_page_path(&term.path, n - 1))),
        next: (n < total).then(|| base.path_to(&term_page_path(&term.path, n + 1))),
        pages: term
            .pages
            .iter()
            .skip((n - 1) * per)
            .take(per)
            .map(|&p| views.page_ref(p))
            .collect(),
    };
    let suffix = if n > 1 {
        format!(" (page {n})")
    } else {
        String::new()
    };
    let title = format!("{}{suffix} — {}", term.name, site.config.title);
    let description = format!("Articles on {} in {}.", term.name, site.config.title);
    let feed = Some(base.path_to(&format!("{}atom.xml", term.path)));
    let path = term_page_path(&term.path, n);
    ctx.insert(
        "meta",
        &meta(views, (title, description), &path, "website", feed),
    );
    ctx.insert(
        "taxonomy",
        &Link {
            title: capitalise(&tax.name),
            url: base.path_to(&format!("{}/", tax.slug)),
        },
    );
    ctx.insert(
        "term",
        &TermRef {
            name: term.name.clone(),
            url: term.url.clone(),
            count: term.pages.len(),
        },
    );
    ctx.insert("paginator", &paginator);
    Prepared {
        template: "term.html".into(),
        path: format!("{path}index.html"),
        label: format!("{} `{}`", tax.name, term.name),
        ctx,
    }
}

fn not_found(views: &Views) -> Prepared {
    let mut ctx = Vars::new(views);
    let title = format!("Page not found — {}", views.site.config.title);
    ctx.insert(
        "meta",
        &meta(views, (title, String::new()), "404.html", "website", None),
    );
    Prepared {
        template: "404.html".into(),
        path: "404.html".into(),
        label: "the 404 page".into(),
        ctx,
    }
}

fn search(views: &Views) -> Prepared {
    let site = views.site;
    let mut ctx = Vars::new(views);
    let title = format!("Search — {}", site.config.title);
    let description = format!("Search every article of {}.", site.config.title);
    ctx.insert(
        "meta",
        &meta(views, (title, description), "search/", "website", None),
    );
    ctx.insert(
        "bundle",
        &site
            .base
            .path_to(&format!("{}/", super::search::BUNDLE_DIR)),
    );
    let merged: Vec<String> = super::search::merged_parts(site)
        .iter()
        .map(|dir| site.base.path_to(dir))
        .collect();
    ctx.insert("merged_bundles", &merged);
    Prepared {
        template: "search.html".into(),
        path: "search/index.html".into(),
        label: "the search page".into(),
        ctx,
    }
}

/// A redirect page: a meta refresh, a canonical link and a visible link, so the redirect works
/// on any static host and search engines credit the new URL.
pub(super) fn redirect_html(site: &Site, url: &str, canonical: &str, title: &str) -> String {
    let esc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        let _ = pulldown_cmark_escape::escape_html(&mut out, s);
        out
    };
    let (url, title) = (esc(url), esc(title));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = esc(&site.config.language),
        canonical = esc(canonical),
    )
}

/// Redirect pages for `aliases:` and for pages with `redirect_to:`.
pub(super) fn aliases(site: &Site) -> Vec<Output> {
    let aliases = site.aliases.iter().map(|a| {
        let (url, permalink, title) = site.alias_target(a.target);
        Output::bytes(
            a.path.clone(),
            redirect_html(site, url, permalink, title).into_bytes(),
        )
    });
    let redirects = site.pages.iter().filter_map(|p| {
        let to = p.redirect.as_deref()?;
        Some(Output::bytes(
            p.output_file(),
            redirect_html(site, to, to, &p.title).into_bytes(),
        ))
    });
    aliases.chain(redirects).collect()
}
