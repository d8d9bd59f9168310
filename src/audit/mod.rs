//! Stage 6, **audit**: every article measured against the library's standard on every build.
//!
//! Fourteen **editorial** checks read what the author wrote (front matter, the parsed body, the
//! link graph); ten **machine** checks read what the build produced for that article (its
//! rendered page, `sitemap.xml`, `llms.txt`). The catalog of checks is in [`checks`]. The audit
//! runs after render, batch by batch as article pages are finished, because the machine checks
//! certify the pages as written; [`report`] then fills in each article's badge and writes the
//! `/audit/` page from the result.

pub mod checks;
mod editorial;
mod machine;
pub mod report;
pub(crate) mod reuse;

pub use checks::{CATALOG, Check, Kind};

use crate::analyze::Analysis;
use crate::config::AuditConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::{PageId, Site};
use crate::output::{Content, Output};
use jiff::civil;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The environment variable that sets the build date (`YYYY-MM-DD`) the `fresh` check measures
/// from, so that a build of the same sources gives the same result on any day.
pub use crate::config::BUILD_DATE_ENV;

/// What a check found: passed or not, and what was measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Whether the article passes.
    pub passed: bool,
    /// What was measured ("84 characters", "2 H1 elements").
    pub detail: String,
}

impl Verdict {
    fn new(passed: bool, detail: String) -> Self {
        Self { passed, detail }
    }
}

/// The result of one check on one article.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The check's id.
    pub id: &'static str,
    /// Editorial or machine.
    pub kind: Kind,
    /// Whether the article passes.
    pub passed: bool,
    /// What was measured ("84 characters", "2 H1 elements").
    pub detail: String,
}

impl Outcome {
    /// The catalog entry of this outcome's check.
    pub fn check(&self) -> Option<&'static Check> {
        checks::find(self.id)
    }
}

/// Checks passed out of checks run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Passed.
    pub score: usize,
    /// Run (disabled checks are not counted).
    pub total: usize,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.score, self.total)
    }
}

/// One article's audit.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleAudit {
    /// The source file, relative to the site root (`content/…/x.md`).
    pub article: String,
    /// The article's site-absolute URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its page id in the site model.
    #[serde(skip)]
    pub page: PageId,
    /// Editorial checks passed.
    pub editorial: Score,
    /// Machine checks passed.
    pub machine: Score,
    /// Every enabled check, in catalog order.
    pub checks: Vec<Outcome>,
}

impl ArticleAudit {
    /// The checks this article fails.
    pub fn failing(&self) -> impl Iterator<Item = &Outcome> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// Whether the article is below either minimum. A minimum above the number of enabled
    /// checks asks for all of them.
    pub fn below(&self, min_score: usize, min_machine_score: usize) -> bool {
        self.editorial.score < min_score.min(self.editorial.total)
            || self.machine.score < min_machine_score.min(self.machine.total)
    }
}

/// The audit of every article of a build.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    /// The date the `fresh` check measured from.
    pub build_date: String,
    /// One entry per article, in page order.
    pub articles: Vec<ArticleAudit>,
}

impl Audit {
    /// Indexes into `articles`, lowest scores first (editorial, then machine, then by file), for
    /// the editor's working list.
    pub fn worst_first_order(&self) -> Vec<usize> {
        let key = |i: usize| {
            let a = &self.articles[i];
            (a.editorial.score, a.machine.score, a.article.as_str())
        };
        let mut order: Vec<usize> = (0..self.articles.len()).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        order
    }

    /// Articles, lowest scores first.
    pub fn worst_first(&self) -> Vec<&ArticleAudit> {
        self.worst_first_order()
            .into_iter()
            .map(|i| &self.articles[i])
            .collect()
    }

    /// One line: how many articles pass everything, and the lowest scores.
    pub fn summary(&self) -> String {
        let n = self.articles.len();
        let clean = self
            .articles
            .iter()
            .filter(|a| a.failing().next().is_none())
            .count();
        let lowest = |f: fn(&ArticleAudit) -> Score| {
            self.articles
                .iter()
                .map(f)
                .min_by_key(|s| s.score)
                .unwrap_or_default()
        };
        if n == 0 {
            return "audit: no articles".into();
        }
        format!(
            "audit: {clean} of {n} article(s) pass every check; lowest scores {} editorial, {} machine",
            lowest(|a| a.editorial),
            lowest(|a| a.machine)
        )
    }
}

/// Checks the audit settings read from `site.yaml` against the catalog: an unknown id in
/// `audit.disable` is an error on its line, naming the closest id.
pub fn validate(config: &AuditConfig, diags: &mut Diagnostics) {
    for (i, id) in config.disable.iter().enumerate() {
        if checks::find(id).is_some() {
            continue;
        }
        let hint = match checks::closest_id(id) {
            Some(c) => {
                format!("did you mean `{c}`? `stacks check --explain <id>` describes a check")
            }
            None => "the README's \"Content audit\" section lists every check id".to_string(),
        };
        diags.push(
            Diagnostic::error(
                Code::Config,
                format!("unknown audit check `{id}` in audit.disable"),
            )
            .in_file(crate::config::CONFIG_FILE)
            .at_opt(config.disable_lines.get(i).map(|&l| (l, 1)))
            .hint(hint),
        );
    }
}

/// The build date: `STACKS_BUILD_DATE` when set, else today in UTC.
pub use crate::config::build_date;

/// The bytes of the output at `path` (the last one, as the writer would leave it).
fn output_bytes<'a>(outputs: &'a [Output], path: &str) -> Option<Cow<'a, [u8]>> {
    let o = outputs.iter().rev().find(|o| o.path == path)?;
    match &o.content {
        Content::Bytes(b) => Some(Cow::Borrowed(b)),
        Content::Static(b) => Some(Cow::Borrowed(b)),
        Content::Copy(p) => std::fs::read(p).ok().map(Cow::Owned),
    }
}

/// Every `<loc>` of a sitemap.
fn sitemap_locs(xml: &str) -> HashSet<String> {
    xml.split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>"))
        .map(|(loc, _)| machine::decode_entities(loc.trim()))
        .collect()
}

/// Every link target of an llms.txt (`[title](url)`).
fn llms_links(text: &str) -> HashSet<String> {
    text.split("](")
        .skip(1)
        .filter_map(|s| s.split_once(')'))
        .map(|(url, _)| url.trim().to_string())
        .collect()
}

/// The outputs besides article pages that the audit reads.
pub const READS: [&str; 2] = ["sitemap.xml", "llms.txt"];

/// What the machine checks read besides an article's own page: the addresses `sitemap.xml`
/// and `llms.txt` list. Read once per build, however many batches of pages are audited.
#[derive(Debug, Default)]
pub struct Listings {
    sitemap: HashSet<String>,
    llms: HashSet<String>,
}

impl Listings {
    /// Whether the sitemap, and `llms.txt`, list the page at `permalink` or its `markdown`.
    pub(crate) fn holds(&self, permalink: &str, markdown: &str) -> (bool, bool) {
        let has = |set: &HashSet<String>| set.contains(permalink) || set.contains(markdown);
        (has(&self.sitemap), has(&self.llms))
    }

    /// The listings among `outputs` (missing ones list nothing).
    pub fn read(outputs: &[Output]) -> Self {
        let text = |path| {
            output_bytes(outputs, path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        Self {
            sitemap: sitemap_locs(&text("sitemap.xml")),
            llms: llms_links(&text("llms.txt")),
        }
    }
}

/// Audits the articles `ids`; the result lists them in that order. `outputs` must hold their
/// pages; `listings` are the site's sitemap and `llms.txt`.
pub fn audit_pages(
    site: &Site,
    analysis: &Analysis,
    outputs: &[Output],
    listings: &Listings,
    config: &AuditConfig,
    today: civil::Date,
    ids: &[PageId],
) -> Vec<ArticleAudit> {
    let enabled = reuse::enabled(config);
    // Each article's page, by its position in `ids`: a batch costs what it holds, not the site.
    let position: HashMap<String, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (site.pages[id].output_file(), i))
        .collect();
    let mut pages: Vec<Option<&[u8]>> = vec![None; ids.len()];
    for o in outputs {
        if let (Some(&i), Content::Bytes(b)) = (position.get(&o.path), &o.content) {
            pages[i] = Some(b);
        }
    }
    let max_age_days = i64::from(config.max_age_days);
    ids.par_iter()
        .zip(&pages)
        .map(|(&id, html)| {
            let page = &site.pages[id];
            let collected = html.map(machine::collect);
            let ed = editorial::Article {
                site,
                analysis,
                id,
                today,
                max_age_days,
            };
            let ma = machine::Article {
                page: collected.as_ref(),
                permalink: &page.permalink,
                markdown: site.base.absolute(&page.markdown_file()),
                has_faq: !page.front.faq.is_empty(),
                sitemap: &listings.sitemap,
                llms: &listings.llms,
            };
            let checks: Vec<Outcome> = enabled
                .iter()
                .map(|c| {
                    let Verdict { passed, detail } = match c.run {
                        checks::Runner::Editorial(check) => check(&ed),
                        checks::Runner::Machine(check) => check(&ma),
                    };
                    Outcome {
                        id: c.id,
                        kind: c.kind,
                        passed,
                        detail,
                    }
                })
                .collect();
            assemble(site, id, checks)
        })
        .collect()
}

/// Article `id`'s audit from the outcomes of its checks.
fn assemble(site: &Site, id: PageId, checks: Vec<Outcome>) -> ArticleAudit {
    let page = &site.pages[id];
    let article = page.file().to_string_lossy().replace('\\', "/");
    ArticleAudit::scored((article, page.url.clone(), page.title.clone()), id, checks)
}

impl ArticleAudit {
    /// The audit of the article at `(file, url, title)` from its outcomes, with its scores.
    fn scored(
        (article, url, title): (String, String, String),
        page: PageId,
        checks: Vec<Outcome>,
    ) -> Self {
        let score = |kind| Score {
            score: checks.iter().filter(|o| o.kind == kind && o.passed).count(),
            total: checks.iter().filter(|o| o.kind == kind).count(),
        };
        Self {
            article,
            url,
            title,
            page,
            editorial: score(Kind::Editorial),
            machine: score(Kind::Machine),
            checks,
        }
    }
}

/// An error for each article below a minimum, naming the file and its failing checks.
pub fn gate(
    audit: &Audit,
    (min_score, min_machine_score): (usize, usize),
    diags: &mut Diagnostics,
) {
    let below = audit
        .articles
        .iter()
        .filter(|a| a.below(min_score, min_machine_score))
        .map(|a| {
            let failing: Vec<&str> = a.failing().map(|o| o.id).collect();
            let first = failing.first().copied().unwrap_or("title-length");
            Diagnostic::error(Code::Audit, format!(
                "audit: {} editorial, {} machine is below the minimum ({} editorial, {} machine); fails {}",
                a.editorial,
                a.machine,
                min_score.min(a.editorial.total),
                min_machine_score.min(a.machine.total),
                failing.join(", ")
            ))
            .in_file(&a.article)
            .hint(format!(
                "`stacks check --explain {first}` says how to fix it; the /audit/ page lists every article"
            ))
        });
    diags.extend(below);
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_disabled_ids_are_named_on_their_line() {
        let mut d = crate::diagnostics::Diagnostics::new();
        let config = crate::config::parse(
            "title: L titel-length\naudit:\n  min_score: 12\n  disable: [fresh, titel-length]\n",
            &mut d,
        );
        assert!(d.is_empty());
        super::validate(&config.audit, &mut d);
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].contains("site.yaml:4:1") && msgs[0].contains("`title-length`"));
    }

    use super::*;

    #[test]
    fn machine_files_are_read_without_a_parser() {
        let locs = sitemap_locs(
            "<urlset><url><loc>https://e.com/a/?x=1&amp;y=2</loc></url><url><loc> https://e.com/b/ </loc></url></urlset>",
        );
        assert!(locs.contains("https://e.com/a/?x=1&y=2") && locs.contains("https://e.com/b/"));
        let links = llms_links("# T\n\n- [A (draft)](https://e.com/a/index.md): x\n");
        assert!(links.contains("https://e.com/a/index.md"), "{links:?}");
    }
}
