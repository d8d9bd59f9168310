//! Verdicts kept between builds, so that an article whose page did not change is not rendered
//! again only to be audited.
//!
//! An article's verdicts are a function of its page as rendered (known by the page's
//! fingerprint), its own front matter and body, what the site's links and listings say of it,
//! the audit settings and the build date. All of that goes into the key; a key found in the
//! build cache gives the verdicts an audit of the page would give.

use super::{ArticleAudit, Audit, CATALOG, Check, Listings, Outcome, assemble};
use crate::analyze::{Analysis, Target};
use crate::config::AuditConfig;
use crate::model::{PageId, Site};
use crate::output::Fingerprint;
use jiff::civil;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

/// The file of the build cache that holds verdicts.
const STORE: &str = "audit.bin";

/// Verdicts read from the build cache, and those this build used, to keep.
#[derive(Debug, Default)]
pub(crate) struct Verdicts {
    /// Where each verdict is in `file`.
    stored: HashMap<[u8; 32], std::ops::Range<usize>>,
    /// The bytes of the cache file, as read.
    file: Vec<u8>,
    /// Keys used, with the bytes of new verdicts (those read are kept in the file as they are).
    used: Mutex<crate::cache::Entries<Option<Vec<u8>>>>,
    /// What the cache file held when it was read.
    held: crate::cache::Held,
}

/// What an article's verdicts depend on besides its own page.
pub(crate) struct Basis<'a> {
    /// The site and its analysis.
    pub site: &'a Site,
    /// The links of every page.
    pub analysis: &'a Analysis,
    /// The sitemap and `llms.txt` as this build writes them.
    pub listings: &'a Listings,
    /// A hash of the audit settings, this build of stacks and the build date.
    settings: [u8; 32],
}

impl<'a> Basis<'a> {
    /// The basis of this build's verdicts: `config` is `audit:` from `site.yaml`, `today` the
    /// date the `fresh` check measures from.
    pub(crate) fn new(
        (site, analysis): (&'a Site, &'a Analysis),
        listings: &'a Listings,
        config: &AuditConfig,
        today: civil::Date,
    ) -> Self {
        let mut h = blake3::Hasher::new();
        h.update(crate::cache::BUILD_ID.as_bytes());
        h.update(today.to_string().as_bytes());
        h.update(&serde_json::to_vec(config).unwrap_or_default());
        Self {
            site,
            analysis,
            listings,
            settings: *h.finalize().as_bytes(),
        }
    }
}

impl Verdicts {
    /// The verdicts an earlier build kept under `root`.
    pub(crate) fn restore(root: &Path) -> Self {
        let (file, stored, held) = crate::cache::read_whole(root, STORE);
        Self {
            held,
            stored: stored.into_iter().collect(),
            file,
            used: Mutex::default(),
        }
    }

    /// Keeps the verdicts this build used, replacing the previous file.
    pub(crate) fn persist(&self, root: &Path) -> std::io::Result<()> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let entries = used.iter().map(|(k, v)| (*k, v.as_deref()));
        crate::cache::update_store(root, STORE, &self.held, entries)
    }

    /// The audit of article `id` under `key`, if the cache holds it.
    pub(crate) fn get(
        &self,
        key: &[u8; 32],
        site: &Site,
        id: PageId,
        enabled: &[&'static Check],
    ) -> Option<ArticleAudit> {
        let bytes = self.file.get(self.stored.get(key)?.clone())?;
        let checks = postcard::from_bytes(bytes)
            .ok()
            .and_then(|v| outcomes(enabled, v));
        let Some(checks) = checks else {
            // Saved again from this build's audit, never copied.
            self.held.forget(key);
            return None;
        };
        self.remember(*key, None);
        Some(assemble(site, id, checks))
    }

    /// Keeps `audit` under `key` for the next build.
    pub(crate) fn put(&self, key: [u8; 32], audit: &ArticleAudit) {
        let verdicts: Vec<(bool, &str)> = audit
            .checks
            .iter()
            .map(|o| (o.passed, o.detail.as_str()))
            .collect();
        if let Ok(bytes) = postcard::to_allocvec(&verdicts) {
            self.remember(key, Some(bytes));
        }
    }

    fn remember(&self, key: [u8; 32], bytes: Option<Vec<u8>>) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, bytes));
    }
}

/// The checks an audit with `config` runs, in catalog order.
pub(crate) fn enabled(config: &AuditConfig) -> Vec<&'static Check> {
    CATALOG
        .iter()
        .filter(|c| !config.disable.iter().any(|d| d == c.id))
        .collect()
}

/// The key of article `id`'s verdicts, its page having the fingerprint `page`.
pub(crate) fn key(basis: &Basis, id: PageId, page: &Fingerprint) -> [u8; 32] {
    let site = basis.site;
    let p = &site.pages[id];
    let links = &basis.analysis.page_links[id];
    let links_out: HashSet<PageId> = links
        .targets
        .iter()
        .filter_map(|t| match t {
            Some(Target::Page(to)) if *to != id => Some(*to),
            _ => None,
        })
        .collect();
    let markdown = site.base.absolute(&p.markdown_file());
    let (in_sitemap, in_llms) = basis.listings.holds(&p.permalink, &markdown);
    let mut h = blake3::Hasher::new();
    h.update(&basis.settings);
    h.update(page);
    h.update(&p.body.source.0);
    let counts = [links_out.len(), basis.analysis.backlinks[id].len()];
    let listed = [in_sitemap, in_llms];
    let facts = (
        &p.title,
        &p.front,
        counts,
        &links.broken,
        &p.permalink,
        &markdown,
        listed,
    );
    let written = crate::output::hash_value(&mut h, &facts);
    h.update(&[u8::from(written)]);
    *h.finalize().as_bytes()
}

/// A whole audit as the build cache keeps it, so that a build that changes nothing can report
/// it again without auditing.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Stored {
    build_date: String,
    /// The ids of the checks run, once for all articles.
    checks: Vec<String>,
    /// Per article: file, URL, title, page id and `(passed, detail)` per check.
    articles: Vec<StoredArticle>,
}

/// One article of a [`Stored`] audit.
type StoredArticle = (String, String, String, usize, Vec<(bool, String)>);

impl Stored {
    /// The stored form of `audit`.
    pub(crate) fn of(audit: &Audit) -> Self {
        let checks = audit.articles.first().map_or_else(Vec::new, |a| {
            a.checks.iter().map(|o| o.id.to_string()).collect()
        });
        let articles = audit
            .articles
            .iter()
            .map(|a| {
                let verdicts = a
                    .checks
                    .iter()
                    .map(|o| (o.passed, o.detail.clone()))
                    .collect();
                (
                    a.article.clone(),
                    a.url.clone(),
                    a.title.clone(),
                    a.page.0,
                    verdicts,
                )
            })
            .collect();
        Self {
            build_date: audit.build_date.clone(),
            checks,
            articles,
        }
    }

    /// The audit again; `None` when a check it names is no longer in the catalog.
    pub(crate) fn audit(self) -> Option<Audit> {
        let checks = self
            .checks
            .iter()
            .map(|id| super::checks::find(id))
            .collect::<Option<Vec<_>>>()?;
        let articles = self
            .articles
            .into_iter()
            .map(|(article, url, title, page, verdicts)| {
                Some(ArticleAudit::scored(
                    (article, url, title),
                    PageId(page),
                    outcomes(&checks, verdicts)?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Audit {
            build_date: self.build_date,
            articles,
        })
    }
}

/// The outcomes of `checks` from their stored `(passed, detail)` verdicts, in the same order;
/// `None` when the two lists differ in length.
fn outcomes(checks: &[&'static Check], verdicts: Vec<(bool, String)>) -> Option<Vec<Outcome>> {
    (verdicts.len() == checks.len()).then(|| {
        checks
            .iter()
            .zip(verdicts)
            .map(|(c, (passed, detail))| Outcome {
                id: c.id,
                kind: c.kind,
                passed,
                detail,
            })
            .collect()
    })
}
