//! Following an edit without rebuilding the library.
//!
//! Most saves while writing change an article's text and nothing that places it in the site:
//! its URL, title, dates, tags and outgoing links stay as they were. Such an edit is applied to
//! the last good model: the article is parsed again, its links and related reading are resolved
//! again, and only the pages, feeds and indexes that show it are rendered. Anything else (a new
//! or deleted file, a changed title or tag, a template, `site.yaml`, an error) takes the full
//! pipeline, which then reports every problem of the site at once.

use super::{LastGood, Rendered, Session, Timings};
use crate::analyze;
use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::load::{self, CONTENT_DIR};
use crate::model::{self, Page, PageId};
use crate::parse::front_matter::FrontMatter;
use crate::parse::markdown::Body;
use crate::parse::{self, ParsedDocument};
use crate::render;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

impl Session {
    /// Applies `changed` to the last good site when every change is an in-place edit of an
    /// article's text; `None` when the whole site must be rendered again.
    pub(super) fn edit_in_place(&mut self, changed: &[PathBuf]) -> Option<Rendered> {
        let started = Instant::now();
        let parsed = self.parse_edits(changed)?;
        let parse_time = started.elapsed();
        let mut diags = Diagnostics::new();
        let (ids, edited) = self.apply_edits(parsed, &mut diags)?;
        let LastGood {
            site,
            analysis,
            theme,
            engine,
            audit,
            audited_indexes,
        } = self.last_good.as_mut()?;
        let clock = Instant::now();
        analyze::refresh(site, analysis, &ids, &mut diags);
        let analyze_time = clock.elapsed();
        let clock = Instant::now();
        let engine = engine.as_ref()?;
        let bodies = render::Bodies::new(&site.content_dir, &site.config, &self.memos);
        let mut outputs = render::render_changed(
            site,
            analysis,
            (theme, engine, &bodies),
            &edited,
            &mut diags,
        );
        if let Some(audit) = audit {
            let state = (&*site, &*analysis, engine);
            reaudit(
                state,
                audit,
                audited_indexes,
                &ids,
                &mut outputs,
                &mut diags,
            );
        }
        // The audit may have scored the edited articles differently: their cards show it.
        if let Some(cards) = render::social::Cards::new(site, engine, &self.memos.social) {
            let articles = audit.as_ref().map_or(&[][..], |a| &a.articles[..]);
            let score = |id| super::articles::card_score(articles, id);
            outputs.extend(cards.batch(&ids, &score, None, &mut diags).drawn);
        }
        let render_time = clock.elapsed();
        if diags.has_errors() {
            // A template failing on the new text: the full pipeline reports it with the rest.
            return None;
        }
        diags.sort();
        for id in ids {
            if !self.unsettled.contains(&id) {
                self.unsettled.push(id);
            }
        }
        Some(Rendered {
            outputs,
            partial: true,
            // The whole audit is the session's; `check` and `build` read it from full renders.
            audit: None,
            diagnostics: diags,
            timings: Timings {
                parse: parse_time,
                analyze: analyze_time,
                render: render_time,
                ..Timings::default()
            },
            skipped: Default::default(),
        })
    }

    /// Parses the edited articles again; `None` unless every change is an article whose new
    /// text leaves it where it was (see [`same_place`]) and parses without error.
    fn parse_edits(&self, changed: &[PathBuf]) -> Option<Vec<(PageId, Document, ParsedDocument)>> {
        let good = self.last_good.as_ref()?;
        let content = std::fs::canonicalize(self.opts.root.join(CONTENT_DIR)).ok()?;
        let edits = edited_articles(&good.site, &content, changed)?;
        if edits.is_empty() {
            return None;
        }
        let site = &good.site;
        let mut parsed = Vec::with_capacity(edits.len());
        for (id, path) in &edits {
            let old = &site.pages[*id];
            let doc = load::read_document(&old.rel, path).ok()?;
            let p = parse::parse_document(&doc, &site.config, &self.memos);
            if p.diagnostics.has_errors() || p.front_matter_failed {
                return None;
            }
            let front = model::prepare_front(&site.cascades, &old.rel, model::Kind::Page, &p.front);
            if old.redirect.is_some() || !same_place(old, &front, &p.body) {
                return None;
            }
            parsed.push((*id, doc, ParsedDocument { front, ..p }));
        }
        Some(parsed)
    }

    /// Puts the new text of each edited article into the model; returns their ids and whether
    /// what other pages show of each (its card) changed.
    fn apply_edits(
        &mut self,
        parsed: Vec<(PageId, Document, ParsedDocument)>,
        diags: &mut Diagnostics,
    ) -> Option<(Vec<PageId>, Vec<render::Edited>)> {
        let site = &mut self.last_good.as_mut()?.site;
        let mut ids = Vec::with_capacity(parsed.len());
        let mut edited = Vec::with_capacity(parsed.len());
        for (id, doc, p) in parsed {
            diags.extend(p.diagnostics.iter().cloned());
            let page = &mut site.pages[id];
            let card = |page: &Page| (page.summary().map(str::to_string), page.reading_minutes);
            let before = card(page);
            page.front = p.front.clone();
            page.body = Arc::clone(&p.body);
            page.reading_minutes = model::reading_minutes(p.body.word_count);
            edited.push(render::Edited {
                id,
                card_changed: card(page) != before,
            });
            self.parse_cache.remember(&doc, &site.config, Arc::new(p));
            ids.push(id);
        }
        Some((ids, edited))
    }
}

impl Session {
    /// Finishes following in-place edits: related reading is computed again for the whole
    /// library (an edited article's words move its place in every other article's list), and
    /// the articles whose lists changed are rendered. `None` when there is nothing to finish,
    /// or when `stop` said to leave it for later (a new change is waiting: it goes first).
    /// `serve` runs this after the edited page is shown.
    pub fn settle(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> Option<Rendered> {
        if self.unsettled.is_empty() {
            return None;
        }
        let started = Instant::now();
        let LastGood {
            site,
            analysis,
            engine,
            audit,
            ..
        } = self.last_good.as_mut()?;
        let moved = analyze::settle_related(site, analysis, &self.unsettled, stop)?;
        self.unsettled.clear();
        let analyze_time = started.elapsed();
        let clock = Instant::now();
        let mut diags = Diagnostics::new();
        let bodies = render::Bodies::new(&site.content_dir, &site.config, &self.memos);
        let mut outputs = match engine {
            Some(engine) => {
                render::render_articles(site, analysis, (engine, &bodies), &moved, &mut diags)
            }
            None => Vec::new(),
        };
        if let (Some(engine), Some(audit)) = (engine.as_ref(), audit.as_ref()) {
            // Related lists are not audited: the scores stand, the badges go back in.
            let mins = (
                site.config.audit.min_score,
                site.config.audit.min_machine_score,
            );
            crate::audit::report::Badges::new(engine, site, mins).fill(
                &audit.articles,
                &mut outputs,
                &mut diags,
            );
        }
        Some(Rendered {
            outputs,
            partial: true,
            // The whole audit is the session's; `check` and `build` read it from full renders.
            audit: None,
            diagnostics: diags,
            timings: Timings {
                analyze: analyze_time,
                render: clock.elapsed(),
                ..Timings::default()
            },
            skipped: Default::default(),
        })
    }
}

/// Audits the `edited` articles again from their new pages (and the site's sitemap and
/// `llms.txt`, new when `outputs` has them), updates their entries in `audit`, fills their
/// badges into `outputs` and adds the audit page. An article now below a minimum score gives an
/// error, as in a full build.
fn reaudit(
    (site, analysis, engine): (&model::Site, &analyze::Analysis, &render::Engine),
    audit: &mut crate::audit::Audit,
    indexes: &mut [crate::output::Output],
    edited: &[PageId],
    outputs: &mut Vec<crate::output::Output>,
    diags: &mut Diagnostics,
) {
    let config = &site.config.audit;
    let Ok(today) = crate::audit::build_date() else {
        return;
    };
    for index in indexes.iter_mut() {
        if let Some(new) = outputs.iter().find(|o| o.path == index.path) {
            *index = new.clone();
        }
    }
    let edited: Vec<PageId> = edited
        .iter()
        .copied()
        .filter(|&id| site.pages[id].is_article())
        .collect();
    let pages: Vec<String> = edited
        .iter()
        .map(|&id| site.pages[id].output_file())
        .collect();
    let read: Vec<crate::output::Output> = outputs
        .iter()
        .filter(|o| pages.contains(&o.path))
        .cloned()
        .collect();
    let listings = crate::audit::Listings::read(indexes);
    let fresh = crate::audit::audit_pages(site, analysis, &read, &listings, config, today, &edited);
    let mut scores_changed = false;
    for new in fresh {
        let Ok(at) = audit.articles.binary_search_by_key(&new.page, |a| a.page) else {
            continue;
        };
        scores_changed |= shown(&audit.articles[at]) != shown(&new);
        audit.articles[at] = new;
    }
    let mins = (config.min_score, config.min_machine_score);
    if scores_changed {
        crate::audit::report::apply(engine, site, audit, mins, outputs, diags);
    } else {
        // The audit page lists scores and failing checks: it shows nothing new.
        crate::audit::report::Badges::new(engine, site, mins).fill(&audit.articles, outputs, diags);
    }
    crate::audit::gate(audit, mins, diags);
}

/// What the audit page shows of an article: its scores and failing checks.
fn shown(
    a: &crate::audit::ArticleAudit,
) -> (crate::audit::Score, crate::audit::Score, Vec<(&str, &str)>) {
    let failing = a.failing().map(|o| (o.id, o.detail.as_str())).collect();
    (a.editorial, a.machine, failing)
}

/// The articles `changed` edits in place, with the file to read each from; `None` when a change
/// is anything else. Paths that no longer exist and were never part of the site (an editor's
/// temporary file, come and gone) change nothing and are skipped.
fn edited_articles(
    site: &model::Site,
    content: &Path,
    changed: &[PathBuf],
) -> Option<Vec<(PageId, PathBuf)>> {
    let mut edits: Vec<(PageId, PathBuf)> = Vec::new();
    for path in changed {
        path.strip_prefix(content).ok()?;
        let rel = load::rel_string(content, path);
        let page = site.pages.iter().position(|p| p.rel == rel).map(PageId);
        match page {
            Some(id) if path.is_file() && !edits.iter().any(|(e, _)| *e == id) => {
                edits.push((id, path.clone()));
            }
            Some(_) if path.is_file() => {}
            Some(_) => return None,
            None if path.exists() || known(site, &rel) => return None,
            None => {}
        }
    }
    Some(edits)
}

/// Whether `rel` names a section file, an asset or a folder of the site.
fn known(site: &model::Site, rel: &str) -> bool {
    site.assets.iter().any(|a| a.rel == rel)
        || site
            .sections
            .iter()
            .any(|s| s.dir == rel || s.rel.as_deref() == Some(rel))
        || site
            .pages
            .iter()
            .any(|p| p.rel.starts_with(rel) && p.rel[rel.len()..].starts_with('/'))
}

/// Whether the new text leaves the article where it was in the site: the same URL, title,
/// dates, taxonomies, authors, pins and outgoing links, so that no other page's place, order or
/// link changes.
fn same_place(old: &Page, front: &FrontMatter, body: &Body) -> bool {
    let title = |f: &FrontMatter, b: &Body| f.title.clone().or_else(|| b.first_h1.clone());
    let links = |b: &Body| {
        b.links
            .iter()
            .map(|l| (l.dest.clone(), l.kind, l.wants_title))
            .chain(
                b.images
                    .iter()
                    .map(|i| (i.src.clone(), parse::markdown::LinkKind::Markdown, false)),
            )
            .collect::<Vec<_>>()
    };
    let f = &old.front;
    title(f, &old.body) == title(front, body)
        && f.date == front.date
        && f.updated == front.updated
        && f.publish_date == front.publish_date
        && f.expiry_date == front.expiry_date
        && f.url == front.url
        && f.permalink == front.permalink
        && f.redirect_to == front.redirect_to
        && f.role == front.role
        && f.build == front.build
        && f.keywords == front.keywords
        && f.authors == front.authors
        && f.tags == front.tags
        && f.related == front.related
        && f.slug == front.slug
        && f.aliases == front.aliases
        && f.draft == front.draft
        && f.weight == front.weight
        && f.extra == front.extra
        && links(&old.body) == links(body)
}
