//! Article pages, the bulk of a site, finished in batches: each batch is rendered, audited,
//! given its badges, added to the search index and handed to a [`Sink`]. A build writes each
//! batch as soon as it is finished, so it never holds every page of the library at once.

use super::Timings;
use crate::analyze::Analysis;
use crate::audit::report::Badges;
use crate::audit::{self, Audit, Listings};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::output::Output;
use crate::render::{self, Engine, search::Indexer};
use crate::write::Staging;
use std::time::Instant;

/// Pages per batch: enough to keep both cores busy, few enough to hold little memory.
const BATCH: usize = 512;

/// Where finished article pages go.
pub(super) enum Sink<'a> {
    /// Into the render's outputs (`serve` and `check` keep the site in memory).
    Keep,
    /// Into the new site on disk (`build`).
    Write(&'a Staging),
}

/// What finishing the articles needs besides the site.
pub(super) struct Finish<'a> {
    pub engine: &'a Engine,
    /// The search index being built, when this render builds one.
    pub search: Option<&'a mut Indexer>,
    pub sink: Sink<'a>,
}

/// Renders every article page in batches and hands each to the sink; `outputs` holds the rest
/// of the rendered site (the audit reads its sitemap and `llms.txt`) and receives the audit
/// page. Returns the audit when it ran: it is on unless `audit.enabled` is false, and needs a
/// render without errors. Stops auditing, indexing and writing at the first error, but keeps
/// rendering, so that one run reports every template problem.
pub(super) fn finish(
    site: &Site,
    analysis: &Analysis,
    mut job: Finish,
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Audit> {
    let config = &site.config.audit;
    let mins = (config.min_score, config.min_machine_score);
    let today = match config.enabled.then(audit::build_date) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            diags.push(Diagnostic::error(Code::Config, e).hint(format!(
                "set {} to a date such as 2026-06-30, or unset it to use today",
                audit::BUILD_DATE_ENV
            )));
            None
        }
        None => None,
    };
    let listings = Listings::read(outputs);
    // The date the audit measures from, and what fills in badges: present when auditing.
    let auditing = today.map(|today| (today, Badges::new(job.engine, site, mins)));
    let mut articles = Vec::with_capacity(site.pages.len());
    // A page with `redirect_to` is written as its redirect, with the aliases.
    let ids: Vec<PageId> = site
        .page_ids()
        .filter(|&id| site.pages[id].redirect.is_none())
        .collect();
    for batch in ids.chunks(BATCH) {
        let clock = Instant::now();
        let mut pages = render::render_articles(site, analysis, job.engine, batch, diags);
        timings.render += clock.elapsed();
        if diags.has_errors() {
            continue;
        }
        if let Some((today, badges)) = &auditing {
            let clock = Instant::now();
            let audited: Vec<PageId> = batch
                .iter()
                .copied()
                .filter(|&id| site.pages[id].is_article())
                .collect();
            let fresh =
                audit::audit_pages(site, analysis, &pages, &listings, config, *today, &audited);
            badges.fill(&fresh, &mut pages, diags);
            articles.extend(fresh);
            timings.audit += clock.elapsed();
        }
        if let Some(index) = job.search.as_deref_mut() {
            let clock = Instant::now();
            if let Err(d) = index.add(&pages) {
                diags.push(d);
            }
            timings.search += clock.elapsed();
        }
        let clock = Instant::now();
        match job.sink {
            Sink::Keep => outputs.extend(pages),
            Sink::Write(staging) => {
                if let Err(d) = staging.put(&pages) {
                    diags.push(d);
                }
            }
        }
        timings.write += clock.elapsed();
    }
    let (today, badges) = auditing.filter(|_| !diags.has_errors())?;
    let clock = Instant::now();
    let result = Audit {
        build_date: today.to_string(),
        articles,
    };
    crate::audit::report::page(&badges, &result, outputs, diags);
    audit::gate(&result, mins, diags);
    timings.audit += clock.elapsed();
    Some(result)
}
