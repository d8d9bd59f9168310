//! Article pages, the bulk of a site, finished in batches: each batch is rendered, audited,
//! given its badges and handed to a [`Sink`]. A build writes each
//! batch as soon as it is finished, so it never holds every page of the library at once.
//!
//! A build that knows what the published site was made from first fingerprints each page of the
//! batch: a page whose fingerprint, with its audit's verdicts from the build cache, equals the
//! published file's is neither rendered nor audited, and its file is kept as it is.

use super::Timings;
use crate::analyze::Analysis;
use crate::audit::report::{self, Badges};
use crate::audit::reuse::{self, Basis, Verdicts};
use crate::audit::{self, ArticleAudit, Audit, Listings};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::output::{Fingerprint, Output, Previous};
use crate::render::context::Views;
use crate::render::social::{self, CardScore, Cards, Tally};
use crate::render::{self, Engine};
use crate::write::Staging;
use rayon::prelude::*;
use std::time::Instant;

/// Pages per batch: enough to keep both cores busy, few enough to hold little memory.
const BATCH: usize = 512;

/// Where finished article pages go.
pub(super) enum Sink<'a> {
    /// Into the render's outputs (`serve` and `check` keep the site in memory).
    Keep,
    /// Into the new site on disk (`build`), skipping pages made from the same inputs as the
    /// published ones when `reuse` says what those were.
    Write(&'a Staging, Option<Reuse<'a>>),
}

impl Sink<'_> {
    /// What the build knows of the published site, when it may keep its files.
    fn reuse(&self) -> Option<&Reuse<'_>> {
        match self {
            Sink::Write(_, Some(reuse)) => Some(reuse),
            _ => None,
        }
    }
}

/// What a build knows of the published site and of earlier audits.
#[derive(Clone, Copy)]
pub(super) struct Reuse<'a> {
    /// What each published file was made from.
    pub previous: &'a Previous,
    /// Audit verdicts kept between builds.
    pub verdicts: &'a Verdicts,
}

/// What finishing the articles needs besides the site.
pub(super) struct Finish<'a> {
    pub engine: &'a Engine,
    /// Where bodies not held in the model are rendered again.
    pub bodies: &'a render::Bodies<'a>,
    /// The session's memos: social cards are drawn once and kept there.
    pub memos: &'a crate::cache::Memos,
    /// Told of each finished batch.
    pub progress: &'a super::Reporter,
    pub sink: Sink<'a>,
}

/// The audit as it runs over the batches.
struct Auditing<'a> {
    today: jiff::civil::Date,
    badges: Badges<'a>,
    listings: Listings,
}

/// A page to render, with the fingerprint of its page and the key of its audit's verdicts, when
/// known.
type ToRender = (PageId, Option<(Fingerprint, Option<[u8; 32]>)>);

/// A published page to keep as it is, with its path and its audit, when audited.
type Kept = (PageId, String, Option<ArticleAudit>);

/// One batch, sorted out: pages to render and published pages to keep.
#[derive(Default)]
struct Triage {
    render: Vec<ToRender>,
    keep: Vec<Kept>,
}

/// Renders every article page in batches and hands each to the sink; `outputs` holds the rest
/// of the rendered site (the audit reads its sitemap and `llms.txt`) and receives the audit
/// page. Returns the audit when it ran: it is on unless `audit.enabled` is false, and needs a
/// render without errors. Stops auditing, indexing and writing at the first error, but keeps
/// rendering, so that one run reports every template problem.
pub(super) fn finish(
    site: &Site,
    analysis: &Analysis,
    job: Finish,
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<(Audit, Option<report::Pages>)> {
    let config = &site.config.audit;
    let mins = (config.min_score, config.min_machine_score);
    let auditing = build_date(site, diags).map(|today| Auditing {
        today,
        badges: Badges::new(job.engine, site, mins),
        listings: Listings::read(outputs),
    });
    let cards = Cards::new(site, job.engine, &job.memos.social);
    let mut articles = Vec::with_capacity(site.pages.len());
    let views = render::fingerprint_views(site, analysis, job.engine);
    // A page with `redirect_to` is written as its redirect, with the aliases.
    let ids: Vec<PageId> = site
        .page_ids()
        .filter(|&id| site.pages[id].redirect.is_none())
        .collect();
    for batch in ids.chunks(BATCH) {
        let clock = Instant::now();
        let triage = triage(site, analysis, (&job, &views), auditing.as_ref(), batch);
        let todo: Vec<PageId> = triage.render.iter().map(|(id, _)| *id).collect();
        let mut pages =
            render::render_articles(site, analysis, (job.engine, job.bodies), &todo, diags);
        timings.render += clock.elapsed();
        if diags.has_errors() {
            continue;
        }
        let clock = Instant::now();
        let fresh = match &auditing {
            Some(a) => audit_batch(site, analysis, (&job, a), &triage, &mut pages, diags),
            None => Vec::new(),
        };
        let audits = in_page_order(fresh, &triage.keep);
        timings.audit += clock.elapsed();
        let clock = Instant::now();
        let drawn = cards
            .as_ref()
            .map(|cards| social_cards(cards, batch, &audits, &job.sink, diags));
        timings.render += clock.elapsed();
        articles.extend(audits);
        let kept: Vec<String> = triage.keep.into_iter().map(|(_, path, _)| path).collect();
        hand_over(&job, pages, &kept, outputs, diags, timings);
        if let Some(drawn) = drawn {
            let clock = Instant::now();
            put(&job.sink, drawn.drawn, &drawn.kept, outputs, diags);
            timings.write += clock.elapsed();
        }
        job.progress.pages_done(batch.len());
    }
    let auditing = auditing.filter(|_| !diags.has_errors())?;
    let clock = Instant::now();
    let result = Audit {
        build_date: auditing.today.to_string(),
        articles,
    };
    let pages = report::Pages::prepare(&auditing.badges, &result, outputs, diags);
    audit::gate(&result, mins, diags);
    timings.audit += clock.elapsed();
    Some((result, pages))
}

/// The date the audit measures from, when the audit is on.
fn build_date(site: &Site, diags: &mut Diagnostics) -> Option<jiff::civil::Date> {
    if !site.config.audit.enabled {
        return None;
    }
    audit::build_date()
        .map_err(|e| {
            diags.push(Diagnostic::error(Code::Config, e).hint(format!(
                "set {} to a date such as 2026-06-30, or unset it to use today",
                audit::BUILD_DATE_ENV
            )));
        })
        .ok()
}

/// Sorts `batch` into pages to render and published pages to keep.
fn triage(
    site: &Site,
    analysis: &Analysis,
    (job, views): (&Finish, &Views),
    auditing: Option<&Auditing>,
    batch: &[PageId],
) -> Triage {
    let Some(reuse) = job.sink.reuse() else {
        let render = batch.iter().map(|&id| (id, None)).collect();
        return Triage {
            render,
            keep: Vec::new(),
        };
    };
    let prints = render::fingerprint_articles(views, job.engine, batch);
    let config = &site.config.audit;
    let enabled = reuse::enabled(config);
    let basis = auditing.map(|a| Basis::new((site, analysis), &a.listings, config, a.today));
    // Each page is judged on its own (its audit key and cached verdicts take a moment), so in
    // parallel; the batch keeps its order.
    let judged: Vec<Result<ToRender, Box<Kept>>> = batch
        .par_iter()
        .zip(prints)
        .map(|(&id, print)| {
            let Some((path, page)) = print else {
                return Ok((id, None));
            };
            let Some(a) = auditing.filter(|_| site.pages[id].is_article()) else {
                return match reuse.previous.unchanged(&path, &page) {
                    true => Err(Box::new((id, path, None))),
                    false => Ok((id, Some((page, None)))),
                };
            };
            let Some(basis) = &basis else {
                return Ok((id, Some((page, None))));
            };
            let key = reuse::key(basis, id, &page);
            match reuse.verdicts.get(&key, site, id, &enabled) {
                Some(audit)
                    if reuse
                        .previous
                        .unchanged(&path, &a.badges.finished(&page, &audit)) =>
                {
                    Err(Box::new((id, path, Some(audit))))
                }
                _ => Ok((id, Some((page, Some(key))))),
            }
        })
        .collect();
    let mut triage = Triage::default();
    for j in judged {
        match j {
            Ok(render) => triage.render.push(render),
            Err(keep) => triage.keep.push(*keep),
        }
    }
    triage
}

/// Audits the articles rendered in this batch, keeps their verdicts for the next build, fills
/// in their badges and notes what each finished page is made from.
fn audit_batch(
    site: &Site,
    analysis: &Analysis,
    (job, a): (&Finish, &Auditing),
    triage: &Triage,
    pages: &mut [Output],
    diags: &mut Diagnostics,
) -> Vec<ArticleAudit> {
    let audited: Vec<PageId> = triage
        .render
        .iter()
        .map(|(id, _)| *id)
        .filter(|&id| site.pages[id].is_article())
        .collect();
    let config = &site.config.audit;
    let fresh = audit::audit_pages(
        site,
        analysis,
        pages,
        &a.listings,
        config,
        a.today,
        &audited,
    );
    a.badges.fill(&fresh, pages, diags);
    let reuse = job.sink.reuse();
    let by_id: std::collections::HashMap<PageId, &ArticleAudit> =
        fresh.iter().map(|x| (x.page, x)).collect();
    // Pages come back in the order they were asked for.
    for (page, (id, print)) in pages.iter_mut().zip(&triage.render) {
        let Some((print, key)) = print else { continue };
        page.inputs = Some(*print);
        if let (Some(audit), Some(key)) = (by_id.get(id), key) {
            page.inputs = Some(a.badges.finished(print, audit));
            if let Some(reuse) = reuse {
                reuse.verdicts.put(*key, audit);
            }
        }
    }
    fresh
}

/// The audits of a batch in page order: those just made and those of kept pages.
fn in_page_order(fresh: Vec<ArticleAudit>, kept: &[Kept]) -> Vec<ArticleAudit> {
    let mut all: Vec<ArticleAudit> = fresh
        .into_iter()
        .chain(kept.iter().filter_map(|(_, _, a)| a.clone()))
        .collect();
    all.sort_by_key(|a| a.page);
    all
}

/// Hands a finished batch to the sink.
fn hand_over(
    job: &Finish,
    pages: Vec<Output>,
    kept: &[String],
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) {
    let clock = Instant::now();
    put(&job.sink, pages, kept, outputs, diags);
    timings.write += clock.elapsed();
}

/// Hands finished files to the sink, with the published files to keep as they are.
fn put(
    sink: &Sink,
    files: Vec<Output>,
    kept: &[String],
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
) {
    match sink {
        Sink::Keep => outputs.extend(files),
        Sink::Write(staging, _) => {
            if let Err(d) = staging.put(&files).and_then(|()| staging.keep(kept)) {
                diags.push(d);
            }
        }
    }
}

/// The social cards of a batch's articles, with their scores from `audits` (none when the
/// audit is off); published cards made from the same inputs are kept, not drawn.
fn social_cards(
    cards: &Cards,
    batch: &[PageId],
    audits: &[ArticleAudit],
    sink: &Sink,
    diags: &mut Diagnostics,
) -> social::Batch {
    let score = |id: PageId| card_score(audits, id);
    let previous = sink.reuse().map(|r| r.previous);
    cards.batch(batch, &score, previous, diags)
}

/// The scores the card of article `id` shows, from `audits` (in page order).
pub(super) fn card_score(audits: &[ArticleAudit], id: PageId) -> Option<CardScore> {
    let tally = |s: audit::Score| Tally {
        score: s.score,
        total: s.total,
    };
    let a = &audits[audits.binary_search_by_key(&id, |a| a.page).ok()?];
    Some(CardScore {
        editorial: tally(a.editorial),
        machine: tally(a.machine),
    })
}
