//! What the audit adds to the rendered site: each article's badge, filled into the placeholder
//! its first render left (one replacement per page, so articles are not rendered twice), and the
//! `/audit/` page, the editor's working list of every article, worst first.
//!
//! Both come from the theme: `partials/audit-badge.html` and `audit.html`. A theme without them
//! simply shows no badge or has no audit page.

use super::{ArticleAudit, Audit, CATALOG, Kind, Score};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Content, Output, Previous};
use crate::render::context::Meta;
use crate::render::vars::Vars;
use crate::render::{BADGE_PLACEHOLDER, Engine, render_template};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tera::Context;

/// The badge partial.
pub const BADGE_TEMPLATE: &str = "partials/audit-badge.html";
/// The template of the audit page readers reach from a badge: what the scores mean.
pub const AUDIT_TEMPLATE: &str = "audit.html";
/// Where the audit page is written.
pub const AUDIT_PATH: &str = "audit/";
/// The template of the editors' report: every article with its scores and failing checks.
pub const REPORT_TEMPLATE: &str = "audit-report.html";
/// Where the editors' report is written.
pub const REPORT_PATH: &str = "audit/report/";

/// A failing check, as templates see it.
#[derive(Debug, Clone, Serialize)]
struct Failing {
    id: &'static str,
    title: &'static str,
    kind: Kind,
    detail: String,
}

/// An article's scores, as the badge and the audit page see them.
#[derive(Debug, Clone, Serialize)]
struct Row {
    title: String,
    url: String,
    /// The source file, for the editor.
    article: String,
    /// The id of its row in the editors' report.
    anchor: String,
    /// The audit page that explains the scores to readers, when the site has one.
    audit_url: Option<String>,
    /// The row's address in the editors' report, when the site has one.
    report_url: Option<String>,
    editorial: Score,
    machine: Score,
    failing: Vec<Failing>,
    /// Below `audit.min_score` or `audit.min_machine_score`.
    below: bool,
}

#[derive(Debug, Serialize)]
struct Summary {
    build_date: String,
    count: usize,
    clean: usize,
    below: usize,
    min_score: usize,
    min_machine_score: usize,
    checks: Vec<CheckRef>,
}

#[derive(Debug, Serialize)]
struct CheckRef {
    id: &'static str,
    title: &'static str,
    /// Why it matters, in a sentence a reader follows.
    why: &'static str,
    kind: Kind,
    /// Articles failing it.
    failing: usize,
}

/// Row ids from article paths (`revops/pipeline/x/` → `revops-pipeline-x`), made unique, by
/// page id.
fn anchors(site: &Site) -> Vec<String> {
    let mut used = HashSet::new();
    site.pages
        .iter()
        .map(|p| {
            let base = p.path.trim_matches('/').replace('/', "-").to_lowercase();
            let mut id = base.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        })
        .collect()
}

/// Where a site's audit pages are: the readers' page and the editors' report.
#[derive(Debug, Clone, Default)]
struct Urls {
    page: Option<String>,
    report: Option<String>,
}

fn row(a: &ArticleAudit, anchor: String, urls: &Urls, mins: (usize, usize)) -> Row {
    Row {
        title: a.title.clone(),
        url: a.url.clone(),
        article: a.article.clone(),
        audit_url: urls.page.clone(),
        report_url: urls.report.as_ref().map(|u| format!("{u}#{anchor}")),
        anchor,
        editorial: a.editorial,
        machine: a.machine,
        failing: a
            .failing()
            .filter_map(|o| {
                o.check().map(|c| Failing {
                    id: c.id,
                    title: c.title,
                    kind: c.kind,
                    detail: o.detail.clone(),
                })
            })
            .collect(),
        below: a.below(mins.0, mins.1),
    }
}

/// Replaces the first `BADGE_PLACEHOLDER` in `bytes` with `badge`.
fn fill_badge(bytes: &mut Vec<u8>, badge: &str) {
    let at = std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| t.find(BADGE_PLACEHOLDER));
    if let Some(i) = at {
        bytes.splice(i..i + BADGE_PLACEHOLDER.len(), badge.bytes());
    }
}

/// Fills articles' badges into their pages: made once per site, used for every page or batch
/// of pages that has its audit results.
pub struct Badges<'a> {
    engine: &'a Engine,
    site: &'a Site,
    anchors: Vec<String>,
    urls: Urls,
    /// Whether a page or section of the site is where the audit pages would go.
    taken: bool,
    mins: (usize, usize),
}

impl<'a> Badges<'a> {
    /// Badges for `site`, with `mins` the minimum editorial and machine scores in force.
    pub fn new(engine: &'a Engine, site: &'a Site, mins: (usize, usize)) -> Self {
        let taken = [AUDIT_PATH, REPORT_PATH].iter().any(|path| {
            site.pages.iter().any(|p| p.path == *path)
                || site.sections.iter().any(|s| s.path == *path)
        });
        let url = |template: &str, path: &str| {
            (engine.has(template) && !taken).then(|| site.base.path_to(path))
        };
        Self {
            engine,
            site,
            anchors: anchors(site),
            urls: Urls {
                page: url(AUDIT_TEMPLATE, AUDIT_PATH),
                report: url(REPORT_TEMPLATE, REPORT_PATH),
            },
            taken,
            mins,
        }
    }

    fn row(&self, a: &ArticleAudit) -> Row {
        let anchor = self.anchors.get(a.page.0).cloned().unwrap_or_default();
        row(a, anchor, &self.urls, self.mins)
    }

    /// The fingerprint of article page `page` (before its badge) with the badge of `a`: what
    /// the finished page is made from.
    pub(crate) fn finished(
        &self,
        page: &crate::output::Fingerprint,
        a: &ArticleAudit,
    ) -> crate::output::Fingerprint {
        let mut h = blake3::Hasher::new();
        h.update(page);
        let written = crate::output::hash_value(&mut h, &self.row(a));
        h.update(&[u8::from(written)]);
        crate::output::fingerprint_of(&h.finalize())
    }

    /// Renders and fills the badge of each of `articles` whose page is in `outputs`.
    pub fn fill(&self, articles: &[ArticleAudit], outputs: &mut [Output], diags: &mut Diagnostics) {
        let (engine, site) = (self.engine, self.site);
        let present: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        let badges: Vec<Result<(String, String), Diagnostic>> = articles
            .par_iter()
            .filter_map(|a| {
                let path = site.pages[a.page].output_file();
                if !present.contains(path.as_str()) {
                    return None;
                }
                if !engine.has(BADGE_TEMPLATE) {
                    return Some(Ok((path, String::new())));
                }
                let mut ctx = Context::new();
                ctx.insert("badge", &self.row(a));
                Some(
                    engine
                        .tera
                        .render(BADGE_TEMPLATE, &ctx)
                        .map(|html| (path, html.trim().to_string()))
                        .map_err(|e| {
                            engine
                                .diagnostic(&e, Some(&format!("the audit badge of {}", a.article)))
                        }),
                )
            })
            .collect();
        let mut by_path = HashMap::with_capacity(badges.len());
        for b in badges {
            match b {
                Ok((path, html)) => {
                    by_path.insert(path, html);
                }
                Err(d) => diags.push(d),
            }
        }
        outputs.par_iter_mut().for_each(|o| {
            if let (Some(badge), Content::Bytes(bytes)) = (by_path.get(&o.path), &mut o.content) {
                fill_badge(bytes, badge);
            }
        });
    }
}

/// Fills every article's badge whose page is in `outputs`, and adds the audit page. `mins` are
/// the minimum editorial and machine scores in force.
pub fn apply(
    engine: &Engine,
    site: &Site,
    audit: &Audit,
    mins: (usize, usize),
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
) {
    let badges = Badges::new(engine, site, mins);
    badges.fill(&audit.articles, outputs, diags);
    page(&badges, audit, None, outputs, diags);
}

/// Adds the audit pages to `outputs`: the readers' page at `/audit/` and the editors'
/// report at `/audit/report/`, each unless the theme has no template for it. Neither is
/// written when a page of the site is there. With `previous`, a page whose published file was
/// made from the same inputs is not rendered: its path is returned, to be kept.
pub fn page(
    badges: &Badges,
    audit: &Audit,
    previous: Option<&Previous>,
    outputs: &mut Vec<Output>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    match Pages::prepare(badges, audit, outputs, diags) {
        Some(pages) => pages.render(badges.engine, previous, outputs, diags),
        None => Vec::new(),
    }
}

/// The audit pages, with everything they show taken from the site: a build renders them once
/// it has freed the site model, as the report of a large library is the largest page it makes
/// (70 MB of HTML, and half a gigabyte of template context, at 100,000 articles).
pub struct Pages {
    /// Template, path and label of each page to make.
    wanted: Vec<(&'static str, &'static str, &'static str, Meta)>,
    rows: Vec<Row>,
    /// Indexes of `rows`, worst first.
    order: Vec<usize>,
    summary: Summary,
    urls: Urls,
}

impl Pages {
    /// What the audit pages of `audit` show; `None` when there are none to make (a warning
    /// says why when a page of the site stands where they go).
    pub fn prepare(
        badges: &Badges,
        audit: &Audit,
        outputs: &[Output],
        diags: &mut Diagnostics,
    ) -> Option<Self> {
        let engine = badges.engine;
        let pages = [
            (AUDIT_TEMPLATE, AUDIT_PATH, "the audit page"),
            (REPORT_TEMPLATE, REPORT_PATH, "the audit report"),
        ];
        let wanted: Vec<_> = pages.iter().filter(|(t, ..)| engine.has(t)).collect();
        if wanted.is_empty() {
            return None;
        }
        let occupied = |path: &str| {
            outputs
                .iter()
                .any(|o| o.path == format!("{path}index.html"))
        };
        if badges.taken || wanted.iter().any(|(_, path, _)| occupied(path)) {
            diags.push(
                Diagnostic::warning(
                    Code::Config,
                    "the audit pages would replace the page at /audit/, so they were not written",
                )
                .hint("rename the `audit` section, or set `audit.enabled: false` in site.yaml"),
            );
            return None;
        }
        let rows: Vec<Row> = audit.articles.par_iter().map(|a| badges.row(a)).collect();
        let summary = summary(audit, &rows, badges.mins);
        Some(Self {
            wanted: wanted
                .into_iter()
                .map(|&(t, p, l)| (t, p, l, meta(badges.site, t, p)))
                .collect(),
            order: audit.worst_first_order(),
            rows,
            summary,
            urls: badges.urls.clone(),
        })
    }

    /// Renders the pages into `outputs` with `engine`; returns the paths of those kept from
    /// `previous` as they are.
    pub fn render(
        self,
        engine: &Engine,
        previous: Option<&Previous>,
        outputs: &mut Vec<Output>,
        diags: &mut Diagnostics,
    ) -> Vec<String> {
        let sorted: Vec<&Row> = self.order.iter().map(|&i| &self.rows[i]).collect();
        // For a fingerprint, the rows stand in by the hashes of runs of them, made in parallel:
        // hashing ten thousand rows on one thread took a moment of every rebuild.
        let row_prints: Option<Vec<crate::output::Fingerprint>> = previous.is_some().then(|| {
            sorted
                .par_chunks(256)
                .map(|run| {
                    let mut h = blake3::Hasher::new();
                    crate::output::hash_value(&mut h, run);
                    crate::output::fingerprint_of(&h.finalize())
                })
                .collect()
        });
        let vars = |mut vars: Vars, meta: &Meta| {
            vars.insert("audit", &self.summary);
            match (&vars, &row_prints) {
                (Vars::Hash(_), Some(prints)) => vars.insert("rows", prints),
                _ => vars.insert("rows", &sorted),
            }
            vars.insert("audit_url", &self.urls.page);
            vars.insert("report_url", &self.urls.report);
            vars.insert("meta", meta);
            vars
        };
        let mut kept = Vec::new();
        for (template, path, label, meta) in &self.wanted {
            let file = format!("{path}index.html");
            // Ten thousand rows take a moment to render; an edit seldom changes any of them.
            let print = previous
                .and_then(|_| vars(Vars::hashing(), meta).fingerprint(engine, template, &file));
            if let (Some(previous), Some(print)) = (previous, print)
                && previous.unchanged(&file, &print)
            {
                kept.push(file);
                continue;
            }
            let ctx = vars(Vars::Context(Context::new()), meta);
            let Some(ctx) = ctx.context() else { continue };
            match render_template(engine, template, ctx, file, label) {
                Ok(o) => outputs.push(Output { inputs: print, ..o }),
                Err(d) => diags.push(d),
            }
        }
        kept
    }
}

/// What both audit pages show: counts and every enabled check.
fn summary(audit: &Audit, rows: &[Row], mins: (usize, usize)) -> Summary {
    let enabled: Vec<CheckRef> = CATALOG
        .iter()
        .filter(|c| {
            audit
                .articles
                .iter()
                .any(|a| a.checks.iter().any(|o| o.id == c.id))
        })
        .map(|c| CheckRef {
            id: c.id,
            title: c.title,
            why: c.why,
            kind: c.kind,
            failing: audit
                .articles
                .iter()
                .filter(|a| a.failing().any(|o| o.id == c.id))
                .count(),
        })
        .collect();
    Summary {
        build_date: audit.build_date.clone(),
        count: rows.len(),
        clean: rows.iter().filter(|r| r.failing.is_empty()).count(),
        below: rows.iter().filter(|r| r.below).count(),
        min_score: mins.0,
        min_machine_score: mins.1,
        checks: enabled,
    }
}

fn meta(site: &Site, template: &str, path: &str) -> Meta {
    let (title, description) = if template == REPORT_TEMPLATE {
        (
            format!("Audit report — {}", site.config.title),
            format!(
                "Every article of {} with its editorial and machine scores, lowest first.",
                site.config.title
            ),
        )
    } else {
        (
            format!("How articles are audited — {}", site.config.title),
            format!(
                "What the editorial and machine scores on the articles of {} mean.",
                site.config.title
            ),
        )
    };
    Meta {
        title,
        description,
        canonical: site.base.absolute(path),
        url: site.base.path_to(path),
        library: None,
        image: None,
        kind: "website",
        feed: None,
        code_css: None,
        diagram_script: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_badge_replaces_only_its_placeholder() {
        let mut page = format!("<p>a</p>{BADGE_PLACEHOLDER}<p>b</p>").into_bytes();
        fill_badge(&mut page, "<p class=\"audit-badge\">12/13</p>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<p>a</p><p class=\"audit-badge\">12/13</p><p>b</p>"
        );
        let mut none = b"<p>no badge here</p>".to_vec();
        fill_badge(&mut none, "x");
        assert_eq!(none, b"<p>no badge here</p>");
    }
}
