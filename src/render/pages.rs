//! HTML pages: home, sections, articles, taxonomy indexes and terms, and the 404 page.

use super::context::{Link, Meta, PageRef, TermRef, Views};
use super::{Engine, HIGHLIGHT_CSS, Output, capitalise, render_template};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::parse::markdown::Rendered;
use serde::Serialize;
use tera::Context;

/// One HTML page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageJob {
    /// The home page.
    Home,
    /// A section's index page (never the home section).
    Section(usize),
    /// An article.
    Article(usize),
    /// The list of a taxonomy's terms.
    Taxonomy(usize),
    /// Page `n` (1-based) of a term: taxonomy index, term index, page.
    Term(usize, usize, usize),
    /// `404.html`.
    NotFound,
    /// The search page.
    Search,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageRef>,
}

/// Every HTML page of the site but the articles' (see [`super::render_articles`]).
pub fn jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs = vec![PageJob::Home, PageJob::NotFound];
    jobs.extend(
        (1..site.sections.len())
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
pub fn term_page_path(first: &str, n: usize) -> String {
    if n == 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// Renders one HTML page.
pub fn render(job: PageJob, engine: &Engine, views: &Views) -> Result<Output, Diagnostic> {
    let site = views.site;
    let base = &site.base;
    let mut ctx = Context::new();
    let meta = |title: String,
                description: String,
                path: &str,
                kind: &'static str,
                feed: Option<String>| Meta {
        // Every page gets a description: search results and link previews show one.
        description: if description.trim().is_empty() {
            format!("{title} — {}", site.config.description)
                .trim_end_matches([' ', '—'])
                .to_string()
        } else {
            description
        },
        title,
        canonical: base.absolute(path),
        kind,
        feed,
        code_css: None,
        diagram_script: None,
    };
    // Only pages that need them load the code stylesheet or the diagram fallback.
    let body_assets = |meta: Meta, body: &Rendered| Meta {
        code_css: (body.code_blocks > 0).then(|| base.path_to(HIGHLIGHT_CSS)),
        diagram_script: (body.diagram_fallback && site.config.diagrams.client_fallback)
            .then(|| site.config.diagrams.mermaid_url.clone()),
        ..meta
    };
    let (template, path, label) = match job {
        PageJob::Home => {
            let s = views.section(0);
            let description = s
                .description
                .clone()
                .unwrap_or_else(|| site.config.description.clone());
            ctx.insert(
                "meta",
                &meta(site.config.title.clone(), description, "", "website", None),
            );
            let mut recent: Vec<usize> = (0..site.pages.len())
                .filter(|&p| site.pages[p].is_article())
                .collect();
            recent.sort_by(|&a, &b| site.pages[b].front.date.cmp(&site.pages[a].front.date));
            recent.truncate(6);
            ctx.insert(
                "recent",
                &recent
                    .iter()
                    .map(|&i| views.page_ref(i))
                    .collect::<Vec<_>>(),
            );
            ctx.insert("section", &s);
            (
                "index.html".to_string(),
                "index.html".to_string(),
                "the home page".to_string(),
            )
        }
        PageJob::Section(id) => {
            let sec = &site.sections[id];
            let s = views.section(id);
            let feed = (sec.depth == 1).then(|| base.path_to(&format!("{}atom.xml", sec.path)));
            let title = format!("{} — {}", s.title, site.config.title);
            ctx.insert(
                "meta",
                &body_assets(
                    meta(
                        title,
                        s.description.clone().unwrap_or_default(),
                        &sec.path,
                        "website",
                        feed,
                    ),
                    &sec.body,
                ),
            );
            ctx.insert("section", &s);
            let template = sec
                .front
                .template
                .clone()
                .unwrap_or_else(|| "section.html".into());
            let label = format!("content/{}", sec.rel.clone().unwrap_or_default());
            (template, crate::model::urls::output_file(&sec.path), label)
        }
        PageJob::Article(id) => {
            let p = &site.pages[id];
            let a = views.article(id);
            let title = format!("{} — {}", a.title, site.config.title);
            ctx.insert(
                "meta",
                &body_assets(
                    meta(
                        title,
                        a.description.clone().unwrap_or_default(),
                        &p.path,
                        "article",
                        None,
                    ),
                    &p.body,
                ),
            );
            ctx.insert("page", &a);
            let template = p
                .front
                .template
                .clone()
                .unwrap_or_else(|| "article.html".into());
            (template, p.output_file(), format!("content/{}", p.rel))
        }
        PageJob::Taxonomy(t) => {
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
            ctx.insert("meta", &meta(title, description, &path, "website", None));
            ctx.insert(
                "taxonomy",
                &Link {
                    title: capitalise(&tax.name),
                    url: base.path_to(&path),
                },
            );
            ctx.insert("terms", &terms);
            (
                "taxonomy.html".into(),
                format!("{path}index.html"),
                format!("the {} index", tax.name),
            )
        }
        PageJob::Term(t, i, n) => {
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
            ctx.insert("meta", &meta(title, description, &path, "website", feed));
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
            (
                "term.html".into(),
                format!("{path}index.html"),
                format!("{} `{}`", tax.name, term.name),
            )
        }
        PageJob::NotFound => {
            let title = format!("Page not found — {}", site.config.title);
            ctx.insert(
                "meta",
                &meta(title, String::new(), "404.html", "website", None),
            );
            ("404.html".into(), "404.html".into(), "the 404 page".into())
        }
        PageJob::Search => {
            let title = format!("Search — {}", site.config.title);
            let description = format!("Search every article of {}.", site.config.title);
            ctx.insert(
                "meta",
                &meta(title, description, "search/", "website", None),
            );
            ctx.insert(
                "bundle",
                &base.path_to(&format!("{}/", super::search::BUNDLE_DIR)),
            );
            (
                "search.html".into(),
                "search/index.html".into(),
                "the search page".into(),
            )
        }
    };
    render_template(engine, &template, &ctx, path, &label)
}

/// A redirect page: a meta refresh, a canonical link and a visible link, so the redirect works
/// on any static host and search engines credit the new URL.
pub fn redirect_html(site: &Site, url: &str, canonical: &str, title: &str) -> String {
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
pub fn aliases(site: &Site) -> Vec<Output> {
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
