//! Stage 5, **render**: every page of the site through the theme's tera templates, in parallel.
//!
//! The result is a list of [`Output`]s (a path in the output folder and its bytes, or a file to
//! copy); nothing is written here, so a failed render leaves the disk untouched and `serve` can
//! keep the result in memory.

pub mod context;
mod templates;

pub use templates::Engine;

use crate::analyze::Analysis;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::StaticSource;
use crate::load::{StaticFile, Theme};
use crate::model::Site;
use context::{Link, Meta, PageRef, TermRef, Views};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use tera::Context;

/// Templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 6] = [
    "index.html",
    "section.html",
    "article.html",
    "taxonomy.html",
    "term.html",
    "404.html",
];

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators (`a/b/index.html`).
    pub path: String,
    /// Its content.
    pub content: Content,
}

/// Where an output file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file to copy.
    Copy(PathBuf),
    /// Bytes compiled into the binary (the built-in theme).
    Static(&'static [u8]),
}

impl Output {
    /// Whether this is an HTML page.
    pub fn is_page(&self) -> bool {
        self.path.ends_with(".html")
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_path: &'a str,
    home: String,
    author: Option<&'a str>,
    libraries: Vec<Link>,
    taxonomies: Vec<Link>,
    extra: &'a std::collections::BTreeMap<String, crate::yaml::Value>,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageRef>,
}

#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Section(usize),
    Article(usize),
    Taxonomy(usize),
    Term(usize, usize, usize),
    NotFound,
}

/// Renders the site. Template problems are added to `diags`; the outputs are complete only when
/// none of them is an error.
pub fn render(
    site: &Site,
    analysis: &Analysis,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Vec<Output> {
    let mut engine = match Engine::new(&theme.templates) {
        Ok(e) => e,
        Err(d) => {
            diags.extend(d);
            return Vec::new();
        }
    };
    let missing: Vec<_> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !engine.has(t))
        .collect();
    for name in &missing {
        diags.push(
            Diagnostic::error(format!("the theme has no `{name}` template")).hint(format!(
                "add templates/{name} (the default theme's is a starting point)"
            )),
        );
    }
    if !missing.is_empty() {
        return Vec::new();
    }
    let base = &site.base;
    let site_view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        base_path: &base.path,
        home: base.absolute(""),
        author: site.config.author.as_deref(),
        libraries: site.sections[0]
            .children
            .iter()
            .map(|&c| Link {
                title: site.sections[c].title.clone(),
                url: site.sections[c].url.clone(),
            })
            .collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| Link {
                title: t.name.clone(),
                url: base.path_to(&format!("{}/", t.slug)),
            })
            .collect(),
        extra: &site.config.extra,
    };
    engine.tera.global_context().insert("site", &site_view);

    let views = Views::new(site, analysis);
    let mut jobs = vec![Job::Home, Job::NotFound];
    jobs.extend((1..site.sections.len()).map(Job::Section));
    jobs.extend((0..site.pages.len()).map(Job::Article));
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        for (i, term) in tax.terms.iter().enumerate() {
            let n = term.pages.len().div_ceil(site.config.paginate_by).max(1);
            jobs.extend((1..=n).map(|p| Job::Term(t, i, p)));
        }
    }
    let results: Vec<Result<Output, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(*job, &engine, &views))
        .collect();
    let mut outputs =
        Vec::with_capacity(results.len() + site.assets.len() + theme.static_files.len());
    for r in results {
        match r {
            Ok(o) => outputs.push(o),
            Err(d) => diags.push(d),
        }
    }
    outputs.extend(theme.static_files.iter().map(static_output));
    outputs.extend(site.assets.iter().map(|a| Output {
        path: a.path.clone(),
        content: Content::Copy(a.from.clone()),
    }));
    outputs
}

fn static_output(f: &StaticFile) -> Output {
    Output {
        path: f.rel.clone(),
        content: match &f.source {
            StaticSource::Disk(p) => Content::Copy(p.clone()),
            StaticSource::Embedded(b) => Content::Static(b),
        },
    }
}

fn render_job(job: Job, engine: &Engine, views: &Views) -> Result<Output, Diagnostic> {
    let site = views.site;
    let base = &site.base;
    let mut ctx = Context::new();
    let (template, path, label) = match job {
        Job::Home => {
            let s = views.section(0);
            ctx.insert(
                "meta",
                &Meta {
                    title: site.config.title.clone(),
                    description: s
                        .description
                        .clone()
                        .unwrap_or_else(|| site.config.description.clone()),
                    canonical: s.permalink.clone(),
                    kind: "website",
                },
            );
            let mut recent: Vec<usize> = (0..site.pages.len()).collect();
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
        Job::Section(id) => {
            let sec = &site.sections[id];
            let s = views.section(id);
            ctx.insert(
                "meta",
                &Meta {
                    title: format!("{} — {}", s.title, site.config.title),
                    description: s.description.clone().unwrap_or_default(),
                    canonical: s.permalink.clone(),
                    kind: "website",
                },
            );
            ctx.insert("section", &s);
            let template = sec
                .front
                .template
                .clone()
                .unwrap_or_else(|| "section.html".into());
            (
                template,
                format!("{}index.html", sec.path),
                format!("content/{}", sec.rel.clone().unwrap_or_default()),
            )
        }
        Job::Article(id) => {
            let p = &site.pages[id];
            let a = views.article(id);
            ctx.insert(
                "meta",
                &Meta {
                    title: format!("{} — {}", a.title, site.config.title),
                    description: a.description.clone().unwrap_or_default(),
                    canonical: a.permalink.clone(),
                    kind: "article",
                },
            );
            ctx.insert("page", &a);
            let template = p
                .front
                .template
                .clone()
                .unwrap_or_else(|| "article.html".into());
            (
                template,
                format!("{}index.html", p.path),
                format!("content/{}", p.rel),
            )
        }
        Job::Taxonomy(t) => {
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
            ctx.insert(
                "meta",
                &Meta {
                    title: format!("{} — {}", capitalise(&tax.name), site.config.title),
                    description: format!(
                        "Every {} in {}, with the number of articles for each.",
                        tax.name, site.config.title
                    ),
                    canonical: base.absolute(&path),
                    kind: "website",
                },
            );
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
        Job::Term(t, i, n) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[i];
            let per = site.config.paginate_by;
            let total = term.pages.len().div_ceil(per).max(1);
            let page_path = |k: usize| {
                if k == 1 {
                    term.path.clone()
                } else {
                    format!("{}page/{k}/", term.path)
                }
            };
            let paginator = Paginator {
                current: n,
                total,
                prev: (n > 1).then(|| base.path_to(&page_path(n - 1))),
                next: (n < total).then(|| base.path_to(&page_path(n + 1))),
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
            ctx.insert(
                "meta",
                &Meta {
                    title: format!("{}{suffix} — {}", term.name, site.config.title),
                    description: format!("Articles on {} in {}.", term.name, site.config.title),
                    canonical: base.absolute(&page_path(n)),
                    kind: "website",
                },
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
            (
                "term.html".into(),
                format!("{}index.html", page_path(n)),
                format!("{} `{}`", tax.name, term.name),
            )
        }
        Job::NotFound => {
            ctx.insert(
                "meta",
                &Meta {
                    title: format!("Page not found — {}", site.config.title),
                    description: String::new(),
                    canonical: base.absolute("404.html"),
                    kind: "website",
                },
            );
            ("404.html".into(), "404.html".into(), "the 404 page".into())
        }
    };
    if !engine.has(&template) {
        return Err(Diagnostic::error(format!(
            "template `{template}` not found, asked for by {label}"
        ))
        .hint(format!(
            "add templates/{template}, or remove `template:` from the front matter"
        )));
    }
    engine
        .tera
        .render(&template, &ctx)
        .map(|html| Output {
            path,
            content: Content::Bytes(html.into_bytes()),
        })
        .map_err(|e| engine.diagnostic(&e, Some(&label)))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
