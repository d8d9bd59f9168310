//! Stage 5, **render**: every page, feed and index of the site, in parallel.
//!
//! The result is a list of [`Output`]s (a path in the output folder and its bytes, or a file to
//! copy); nothing is written here, so a failed render leaves the disk untouched and `serve` can
//! keep the result in memory.

mod affected;
pub(crate) mod bodies;
pub(crate) mod context;
mod feeds;
mod frames;
mod listing;
mod pages;
mod reader;
mod refs;
pub(crate) mod search;
pub(crate) mod social;
mod structured;
mod templates;
pub(crate) mod vars;

use crate::output::{Content, Fingerprint, Output, Previous};
pub(crate) use affected::Edited;
pub(crate) use bodies::Bodies;
pub(crate) use templates::Engine;

use crate::analyze::Analysis;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{StaticFile, StaticSource, Theme};
use crate::model::Site;
use context::{Link, Mode, Views};
use rayon::prelude::*;
use serde::Serialize;
use vars::Vars;

/// What an article's first render holds where its audit badge goes; the audit, which comes
/// after render, fills it in (one replacement per page, so articles are not rendered twice).
pub(crate) const BADGE_PLACEHOLDER: &str = "<!--stacks:audit-badge-->";

/// The code-highlighting stylesheet, written once per build at the site root.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";

/// Templates every theme must have.
pub(crate) const REQUIRED_TEMPLATES: [&str; 8] = [
    "index.html",
    "section.html",
    "article.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
];

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_path: &'a str,
    home: String,
    feed: String,
    /// The search page, when the site has search.
    search: Option<String>,
    /// The page that lists every article, when the site has one.
    articles: Option<String>,
    author: Option<&'a str>,
    libraries: Vec<Link>,
    taxonomies: Vec<Link>,
    /// Standalone pages at the top of the site (about, contact, policies), by weight then
    /// title, for a footer.
    pages: Vec<Link>,
    extra: &'a std::collections::BTreeMap<String, crate::yaml::Value>,
}

/// What a page, feed or sitemap gives the shared last step: its template, output path and the
/// label an error names, with its variables.
pub(super) struct Prepared {
    pub(super) template: String,
    pub(super) path: String,
    pub(super) label: String,
    pub(super) ctx: Vars,
}

/// One unit of parallel rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Page(pages::PageJob),
    Feed(feeds::FeedJob),
    Sitemap,
}

/// Pages and feeds rendered before they are handed over: a large library's listing and term
/// pages (300 MB at 100,000 articles) are then never all held at once.
const HAND_OVER: usize = 1024;

/// What [`render`] gives: the outputs it made, the published files it found made from the same
/// inputs (left as they are), and the engine.
pub(crate) struct Made {
    /// Outputs rendered or copied.
    pub outputs: Vec<Output>,
    /// Paths of published files that need not be made again.
    pub kept: Vec<String>,
    /// The template engine, for article pages and what comes after the audit; `None` when the
    /// theme could not be loaded.
    pub engine: Option<Engine>,
}

/// Renders the site but its article pages, which the pipeline renders in batches with
/// [`render_articles`] (so that a build need not hold every page at once). With `previous`,
/// the pages and feeds whose fingerprint equals the published file's are not rendered. Each run
/// of rendered pages and feeds goes to `hand_over` (a build writes them at once), which returns
/// those to keep in the outputs. Template problems are added to `diags`; the outputs are complete
/// only when none of them is an error.
pub(crate) fn render(
    site: &Site,
    analysis: &Analysis,
    (theme, bodies, previous): (&Theme, &Bodies, Option<&Previous>),
    hand_over: &mut dyn FnMut(Vec<Output>) -> Vec<Output>,
    diags: &mut Diagnostics,
) -> Made {
    let Some(engine) = engine(site, theme, diags) else {
        return Made {
            outputs: Vec::new(),
            kept: Vec::new(),
            engine: None,
        };
    };
    let mut jobs: Vec<Job> = pages::jobs(site).into_iter().map(Job::Page).collect();
    if has_search(site, &engine) {
        jobs.push(Job::Page(pages::PageJob::Search));
    }
    jobs.extend(listing::jobs(site, &engine).into_iter().map(Job::Page));
    jobs.extend(feeds::jobs(site).into_iter().map(Job::Feed));
    jobs.push(Job::Sitemap);
    let (todo, kept) = triage(&jobs, &engine, site, analysis, previous);
    let views = views(site, analysis, &engine, Mode::Render(bodies));
    let mut outputs = Vec::new();
    for chunk in todo.chunks(HAND_OVER) {
        outputs.extend(hand_over(run(chunk, &engine, &views, diags)));
    }
    outputs.extend(pages::aliases(site));
    // A theme's or site's own highlight.css, robots.txt or llms.txt (under static/) replaces
    // the generated one, so the two never race to the same path when the site is written.
    if !has_own(theme, HIGHLIGHT_CSS) {
        outputs.push(Output {
            path: HIGHLIGHT_CSS.into(),
            content: Content::Static(crate::parse::highlight::stylesheet().as_bytes()),
            inputs: None,
        });
    }
    if !has_own(theme, "robots.txt") {
        outputs.push(feeds::robots(site));
    }
    // Both walk every page, and llms.txt is one text made on one thread: side by side.
    let (llms, sources) = rayon::join(
        || (!has_own(theme, "llms.txt")).then(|| feeds::llms_txt(site)),
        || feeds::markdown_sources(site),
    );
    outputs.extend(llms);
    outputs.extend(sources);
    outputs.extend(theme.static_files.iter().map(static_output));
    // Each copy is known by its file's stat: in parallel.
    let copies: Vec<Output> = site
        .assets
        .par_iter()
        .map(|a| Output::copy(a.path.clone(), a.from.clone()))
        .collect();
    outputs.extend(copies);
    Made {
        outputs,
        kept,
        engine: Some(engine),
    }
}

/// Fingerprints `jobs` and splits them into those to render (each with its fingerprint, when
/// known) and the paths of those whose published output was made from the same inputs.
fn triage(
    jobs: &[Job],
    engine: &Engine,
    site: &Site,
    analysis: &Analysis,
    previous: Option<&Previous>,
) -> (Vec<(Job, Option<Fingerprint>)>, Vec<String>) {
    let Some(previous) = previous else {
        return (jobs.iter().map(|&j| (j, None)).collect(), Vec::new());
    };
    let views = views(site, analysis, engine, Mode::Fingerprint);
    let printed: Vec<(Job, Option<(String, Fingerprint)>)> = jobs
        .par_iter()
        .map(|&job| (job, fingerprint(job, engine, &views)))
        .collect();
    let mut todo = Vec::new();
    let mut kept = Vec::new();
    for (job, print) in printed {
        // The audit reads the sitemap from the outputs: it is always made.
        let keepable = job != Job::Sitemap;
        match print {
            Some((path, print)) if keepable && previous.unchanged(&path, &print) => kept.push(path),
            Some((_, print)) => todo.push((job, Some(print))),
            None => todo.push((job, None)),
        }
    }
    (todo, kept)
}

/// The output path of `job` and the fingerprint of its inputs; `None` when it cannot be
/// prepared (rendering it then reports why).
fn fingerprint(job: Job, engine: &Engine, views: &Views) -> Option<(String, Fingerprint)> {
    let p = prepare(job, views).ok()?;
    let print = p.ctx.fingerprint(engine, &p.template, &p.path)?;
    Some((p.path, print))
}

/// Views for fingerprinting pages, to be shared by every batch of articles (each page's
/// reference is then made once for the whole build).
pub(crate) fn fingerprint_views<'a>(
    site: &'a Site,
    analysis: &'a Analysis,
    engine: &Engine,
) -> Views<'a> {
    views(site, analysis, engine, Mode::Fingerprint)
}

/// The output paths of articles `ids` with the fingerprints of their pages as rendered before
/// the audit fills in their badges (with `views` from [`fingerprint_views`]); `None` for one
/// that cannot be prepared.
pub(crate) fn fingerprint_articles(
    views: &Views,
    engine: &Engine,
    ids: &[crate::model::PageId],
) -> Vec<Option<(String, Fingerprint)>> {
    ids.par_iter()
        .map(|&id| fingerprint(Job::Page(pages::PageJob::Article(id)), engine, views))
        .collect()
}

/// Views for this engine: bylines link to authors' profiles only when the theme writes them,
/// and articles name a social card only when the theme draws them.
fn views<'a>(site: &'a Site, analysis: &'a Analysis, engine: &Engine, mode: Mode<'a>) -> Views<'a> {
    let mut views = Views::new(site, analysis, mode, engine.has(reader::AUTHOR_TEMPLATE));
    views.social_cards = social::enabled(site, engine);
    views
}

fn has_own(theme: &Theme, path: &str) -> bool {
    theme.static_files.iter().any(|f| f.rel == path)
}

/// Renders only the outputs that can show the `edited` articles, after their text was edited
/// in place (see [`crate::analyze::refresh`]); every other output is as the last full render
/// left it. `engine` is one [`engine`] made for this site.
pub(crate) fn render_changed(
    site: &Site,
    analysis: &Analysis,
    (theme, engine, bodies): (&Theme, &Engine, &Bodies),
    edited: &[Edited],
    diags: &mut Diagnostics,
) -> Vec<Output> {
    let jobs: Vec<(Job, Option<Fingerprint>)> =
        affected::jobs(site, analysis, edited, &listing::jobs(site, engine))
            .into_iter()
            .map(|j| (j, None))
            .collect();
    let views = views(site, analysis, engine, Mode::Render(bodies));
    let mut outputs = run(&jobs, engine, &views, diags);
    if edited.iter().any(|e| e.card_changed) && !has_own(theme, "llms.txt") {
        outputs.push(feeds::llms_txt(site));
    }
    outputs
}

/// Renders the pages of articles `ids` with `engine`, one [`engine`] made for this site.
pub(crate) fn render_articles(
    site: &Site,
    analysis: &Analysis,
    (engine, bodies): (&Engine, &Bodies),
    ids: &[crate::model::PageId],
    diags: &mut Diagnostics,
) -> Vec<Output> {
    let jobs: Vec<(Job, Option<Fingerprint>)> = ids
        .iter()
        .map(|&id| (Job::Page(pages::PageJob::Article(id)), None))
        .collect();
    run(
        &jobs,
        engine,
        &views(site, analysis, engine, Mode::Render(bodies)),
        diags,
    )
}

fn has_search(site: &Site, engine: &Engine) -> bool {
    site.config.search && engine.has("search.html")
}

/// The template engine with every template the theme needs, and the `site` every template
/// sees; `None` (with the problems in `diags`) when a template is broken or missing.
pub(crate) fn engine(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Option<Engine> {
    let mut engine = match Engine::new(&theme.templates) {
        Ok(e) => e,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let missing: Vec<_> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !engine.has(t))
        .collect();
    for name in &missing {
        diags.push(
            Diagnostic::error(Code::Theme, format!("the theme has no `{name}` template")).hint(
                format!("add templates/{name} (the default theme's is a starting point)"),
            ),
        );
    }
    if !missing.is_empty() {
        return None;
    }
    let base = &site.base;
    let site_view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        base_path: &base.path,
        home: base.absolute(""),
        feed: base.path_to("atom.xml"),
        search: has_search(site, &engine).then(|| base.path_to("search/")),
        articles: listing::has_all_articles(site, &engine)
            .then(|| base.path_to(listing::ALL_ARTICLES_PATH)),
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
        pages: top_pages(site),
        extra: &site.config.extra,
    };
    engine.tera.global_context().insert("site", &site_view);
    engine.fingerprint_also(&site_view);
    // Settings reach pages through their variables, and some (markdown options) only through
    // bodies: any change to them renders everything again.
    engine.fingerprint_also(&site.config);
    Some(engine)
}

/// The standalone pages directly in `content/` that are listed, for the footer.
fn top_pages(site: &Site) -> Vec<Link> {
    let mut pages: Vec<&crate::model::Page> = site
        .pages
        .iter()
        .filter(|p| {
            p.section == crate::model::SectionId::HOME
                && p.standalone
                && p.redirect.is_none()
                && p.listing != crate::parse::front_matter::Listing::Never
                && !p.rel.contains('/')
        })
        .collect();
    pages.sort_by(|a, b| (a.front.weight, &a.title).cmp(&(b.front.weight, &b.title)));
    pages
        .into_iter()
        .map(|p| Link {
            title: p.title.clone(),
            url: p.url.clone(),
        })
        .collect()
}

fn prepare(job: Job, views: &Views) -> Result<Prepared, Diagnostic> {
    match job {
        Job::Page(p) => pages::prepare(p, views),
        Job::Feed(f) => feeds::prepare_feed(f, views),
        Job::Sitemap => Ok(feeds::prepare_sitemap(views)),
    }
}

/// Renders `jobs` in parallel, each output noting its fingerprint; failures go to `diags`.
fn run(
    jobs: &[(Job, Option<Fingerprint>)],
    engine: &Engine,
    views: &Views,
    diags: &mut Diagnostics,
) -> Vec<Output> {
    let results: Vec<Result<Output, Diagnostic>> = jobs
        .par_iter()
        .map(|&(job, inputs)| {
            let p = prepare(job, views)?;
            let Some(ctx) = p.ctx.context() else {
                return Err(Diagnostic::error(
                    Code::Output,
                    format!(
                        "{} was prepared for a fingerprint, not for rendering",
                        p.label
                    ),
                )
                .hint("this is a bug in stacks; build with --no-cache meanwhile"));
            };
            let output = render_template(engine, &p.template, ctx, p.path, &p.label)?;
            Ok(Output { inputs, ..output })
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(o) => outputs.push(o),
            Err(d) => diags.push(d),
        }
    }
    outputs
}

fn static_output(f: &StaticFile) -> Output {
    match &f.source {
        StaticSource::Disk(p) => Output::copy(f.rel.clone(), p.clone()),
        StaticSource::Embedded(b) => Output {
            path: f.rel.clone(),
            content: Content::Static(b),
            inputs: None,
        },
    }
}

/// Renders `template` with `ctx` into `path`, naming `label` in any error.
pub(crate) fn render_template(
    engine: &Engine,
    template: &str,
    ctx: &tera::Context,
    path: String,
    label: &str,
) -> Result<Output, Diagnostic> {
    if !engine.has(template) {
        return Err(Diagnostic::error(
            Code::Output,
            format!("template `{template}` not found, asked for by {label}"),
        )
        .hint(format!(
            "add templates/{template}, or remove `template:` from the front matter"
        )));
    }
    engine
        .tera
        .render(template, ctx)
        .map(|text| Output::bytes(path, text.into_bytes()))
        .map_err(|e| engine.diagnostic(&e, Some(label)))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
