//! What the site publishes for machines: Atom feeds, `sitemap.xml`, `robots.txt`, `llms.txt`
//! and each article's markdown source.
//!
//! Feeds and the sitemap go through the theme's `atom.xml` and `sitemap.xml` templates (tera
//! escapes `.xml` output), so a theme can change them; `robots.txt` and `llms.txt` follow fixed
//! conventions and are written here.

use super::context::{DateView, Views};
use super::pages::term_page_path;
use super::vars::Vars;
use super::{Output, Prepared};
use crate::diagnostics::Diagnostic;
use crate::model::{PageId, SectionId, Site};
use serde::Serialize;
use std::fmt::Write;

/// One Atom feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FeedJob {
    /// `/atom.xml`: the newest articles of the whole site.
    Site,
    /// `/<library>/atom.xml`: the newest of one library (a top-level section).
    Library(SectionId),
    /// `/tags/<term>/atom.xml`: taxonomy index, term index.
    Term(usize, usize),
}

#[derive(Serialize)]
struct FeedView {
    title: String,
    subtitle: String,
    id: String,
    self_url: String,
    alternate: String,
    updated: String,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    title: String,
    url: String,
    published: Option<String>,
    updated: String,
    summary: Option<String>,
    content: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// Every feed of the site.
pub(super) fn jobs(site: &Site) -> Vec<FeedJob> {
    let mut jobs = vec![FeedJob::Site];
    jobs.extend(
        site.sections[SectionId::HOME]
            .children
            .iter()
            .map(|&s| FeedJob::Library(s)),
    );
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.extend((0..tax.terms.len()).map(|i| FeedJob::Term(t, i)));
    }
    jobs
}

/// Articles newest first (by `updated`, else `date`), at most `limit`.
fn newest(site: &Site, mut ids: Vec<PageId>, limit: usize) -> Vec<PageId> {
    ids.sort_by(|&a, &b| {
        site.pages[b]
            .last_modified()
            .cmp(&site.pages[a].last_modified())
    });
    ids.truncate(limit);
    ids
}

/// An article's body with every link absolute, as feed readers need.
fn absolute_body(views: &Views, id: PageId) -> Result<String, Diagnostic> {
    let site = views.site;
    let links = &views.analysis.page_links[id];
    let hrefs: Vec<String> = links
        .hrefs
        .iter()
        .map(|h| {
            if h.starts_with('/') {
                format!("{}{h}", site.base.origin)
            } else {
                h.clone()
            }
        })
        .collect();
    let p = &site.pages[id];
    views.body_html(Some(&p.rel), &p.body, &hrefs, &links.titles)
}

fn entry(views: &Views, id: PageId, full: bool) -> Result<Entry, Diagnostic> {
    let site = views.site;
    let p = &site.pages[id];
    Ok(Entry {
        title: p.title.clone(),
        url: p.permalink.clone(),
        published: p.front.date.as_ref().map(|d| d.rfc3339()),
        updated: p
            .last_modified()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| DateView::epoch().iso),
        summary: p.summary().map(str::to_string),
        content: full.then(|| absolute_body(views, id)).transpose()?,
        authors: if p.front.authors.is_empty() {
            site.config.author.iter().cloned().collect()
        } else {
            p.front.authors.clone()
        },
        categories: p.front.tags.clone(),
    })
}

/// The articles a feed lists, newest first.
pub(super) fn entries_of(site: &Site, job: FeedJob) -> Vec<PageId> {
    let articles = site.page_ids().filter(|&p| site.pages[p].is_article());
    let ids = match job {
        FeedJob::Site => articles.collect(),
        FeedJob::Library(s) => articles
            .filter(|&p| site.ancestors(site.pages[p].section).contains(&s))
            .collect(),
        FeedJob::Term(t, i) => site.taxonomies[t].terms[i].pages.clone(),
    };
    newest(site, ids, site.config.feeds.limit)
}

/// Whether a feed carries whole articles, not only their summaries.
pub(super) fn is_full(site: &Site, job: FeedJob) -> bool {
    // Term feeds carry summaries: hundreds of them repeating whole articles would cost more to
    // build and fetch than they give a reader, who follows the site or a library in full.
    site.config.feeds.full_content && !matches!(job, FeedJob::Term(..))
}

/// Prepares one feed, rendered through `atom.xml`.
pub(super) fn prepare_feed(job: FeedJob, views: &Views) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let base = &site.base;
    let (title, subtitle, html_path) = match job {
        FeedJob::Site => (
            site.config.title.clone(),
            site.config.description.clone(),
            String::new(),
        ),
        FeedJob::Library(s) => {
            let sec = &site.sections[s];
            (
                format!("{} — {}", sec.title, site.config.title),
                sec.front.description.clone().unwrap_or_default(),
                sec.path.clone(),
            )
        }
        FeedJob::Term(t, i) => {
            let term = &site.taxonomies[t].terms[i];
            (
                format!("{} — {}", term.name, site.config.title),
                format!("Articles on {} in {}.", term.name, site.config.title),
                term.path.clone(),
            )
        }
    };
    let ids = entries_of(site, job);
    let full = is_full(site, job);
    let entries: Vec<Entry> = ids
        .iter()
        .map(|&id| entry(views, id, full))
        .collect::<Result<_, _>>()?;
    let updated = entries
        .first()
        .map(|e| e.updated.clone())
        .unwrap_or_else(|| DateView::epoch().iso);
    let feed_path = format!("{html_path}atom.xml");
    let view = FeedView {
        title,
        subtitle,
        id: base.absolute(&html_path),
        self_url: base.absolute(&feed_path),
        alternate: base.absolute(&html_path),
        updated,
        entries,
    };
    let mut ctx = Vars::new(views);
    ctx.insert("feed", &view);
    Ok(Prepared {
        template: "atom.xml".into(),
        label: format!("the feed {feed_path}"),
        path: feed_path,
        ctx,
    })
}

/// Prepares `sitemap.xml`: every published page with its last change.
pub(super) fn prepare_sitemap(views: &Views) -> Prepared {
    let site = views.site;
    let base = &site.base;
    let ymd = |d: Option<&crate::parse::dates::Date>| d.map(|d| d.ymd());
    // A section changes when any article below it does.
    let mut section_last = vec![None; site.sections.len()];
    for p in &site.pages {
        for s in site.ancestors(p.section) {
            section_last[s.0] = section_last[s.0].max(p.last_modified());
        }
    }
    let mut urls: Vec<SitemapEntry> = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.rendered)
        .map(|(i, s)| SitemapEntry {
            loc: base.absolute(&s.path),
            lastmod: ymd(section_last[i]),
        })
        .collect();
    urls.extend(
        site.pages
            .iter()
            .filter(|p| p.redirect.is_none())
            .map(|p| SitemapEntry {
                loc: p.permalink.clone(),
                lastmod: ymd(p.last_modified()),
            }),
    );
    for tax in &site.taxonomies {
        let tax_last = tax
            .terms
            .iter()
            .flat_map(|t| t.pages.iter())
            .filter_map(|&p| site.pages[p].last_modified())
            .max();
        urls.push(SitemapEntry {
            loc: base.absolute(&format!("{}/", tax.slug)),
            lastmod: ymd(tax_last),
        });
        for term in &tax.terms {
            let last = term
                .pages
                .iter()
                .filter_map(|&p| site.pages[p].last_modified())
                .max();
            let n = term.pages.len().div_ceil(site.config.paginate_by).max(1);
            urls.extend((1..=n).map(|k| SitemapEntry {
                loc: base.absolute(&term_page_path(&term.path, k)),
                lastmod: ymd(last),
            }));
        }
    }
    let mut ctx = Vars::new(views);
    ctx.insert("urls", &urls);
    Prepared {
        template: "sitemap.xml".into(),
        path: "sitemap.xml".into(),
        label: "the sitemap".into(),
        ctx,
    }
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub(super) fn robots(site: &Site) -> Output {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.base.absolute("sitemap.xml")
    );
    Output::bytes("robots.txt".into(), text.into_bytes())
}

/// `llms.txt` (see llmstxt.org): the site's title and summary, then every article grouped by
/// library, each linking to its markdown source.
pub(super) fn llms_txt(site: &Site) -> Output {
    let mut text = format!("# {}\n\n", site.config.title);
    if !site.config.description.is_empty() {
        let _ = writeln!(text, "> {}\n", site.config.description);
    }
    if let Some(intro) = &site.sections[SectionId::HOME].body.first_paragraph {
        let _ = writeln!(text, "{intro}\n");
    }
    let mut groups: Vec<(SectionId, Vec<PageId>)> = site.sections[SectionId::HOME]
        .children
        .iter()
        .map(|&s| (s, Vec::new()))
        .collect();
    let mut loose = Vec::new();
    for (id, p) in site.page_ids().zip(&site.pages) {
        if p.redirect.is_some() {
            continue;
        }
        match site
            .library(p.section)
            .and_then(|lib| groups.iter_mut().find(|(s, _)| *s == lib))
        {
            Some((_, ids)) => ids.push(id),
            None => loose.push(id),
        }
    }
    let line = |text: &mut String, id: PageId| {
        let p = &site.pages[id];
        let _ = write!(
            text,
            "- [{}]({})",
            p.title,
            site.base.absolute(&p.markdown_file())
        );
        match p.summary() {
            Some(s) => {
                let _ = writeln!(text, ": {s}");
            }
            None => text.push('\n'),
        }
    };
    for (s, ids) in &groups {
        if ids.is_empty() {
            continue;
        }
        let _ = writeln!(text, "## {}\n", site.sections[*s].title);
        for &id in ids {
            line(&mut text, id);
        }
        text.push('\n');
    }
    if !loose.is_empty() {
        text.push_str("## Articles\n\n");
        for id in loose {
            line(&mut text, id);
        }
    }
    Output::bytes("llms.txt".into(), text.into_bytes())
}

/// Each article's markdown source at `<article-url>/index.md`. Each copy is known by its
/// file's stat: in parallel.
pub(super) fn markdown_sources(site: &Site) -> Vec<Output> {
    use rayon::prelude::*;
    site.pages
        .par_iter()
        .filter(|p| p.redirect.is_none())
        .map(|p| Output::copy(p.markdown_file(), p.source(&site.content_dir)))
        .collect()
}
