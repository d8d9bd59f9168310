//! The pipeline, load → parse → model → analyze → render → audit → write, as one function per use:
//! [`render_site`] runs every stage but writing and keeps the site in memory (for `check` and
//! `serve`); [`build`] writes article pages into a staging folder as they are finished (see
//! `articles`) and swaps it in only when no stage reported an error. A [`Session`] keeps what a
//! build learnt, so that `serve` can follow an edit by redoing only what the edit touches (see
//! `incremental`).

mod articles;
mod build;
mod incremental;
mod progress;
mod timings;
mod unchanged;

pub use build::{BuildReport, build};
use build::{Target, put_early};
pub use progress::{Progress, Reporter};
use timings::Stopwatch;
pub(crate) use timings::Timings;

use crate::analyze::{self, Analysis};
use crate::audit::{self, Audit};
use crate::cache::{self, Memos};
use crate::diagnostics::Diagnostics;
use crate::model::{self, Include, Site};
use crate::output::Output;
use crate::parse::ParseCache;
use crate::render;

use crate::{load, parse};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Bytes of rendered article HTML a build keeps from parse to render (see
/// [`parse::Sources::hold_html`]): a small library (some 400 articles) keeps all of it, a large
/// one renders most bodies a second time, batch by batch, instead of holding them all. At 64 MB
/// this was a tenth of a 10k build's peak memory, for a few percent of its time.
const HOLD_HTML: usize = 16 << 20;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (holds `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Output folder; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Unpublished pages to build anyway: drafts, future and expired pages (`build_future` and
    /// `build_expired` in `site.yaml` add to this).
    pub include: Include,
    /// When to build the search index.
    pub search: SearchMode,
    /// When the build cache in `.stacks-cache/` (diagrams and highlighted code) is read and
    /// written.
    pub cache: cache::Policy,
    /// Overrides `audit.min_score` from `site.yaml`.
    pub min_score: Option<usize>,
    /// Overrides `audit.min_machine_score` from `site.yaml`.
    pub min_machine_score: Option<usize>,
    /// Where the build reports how far it got.
    pub progress: Reporter,
}

/// When a session builds the search index (`search: false` in `site.yaml` turns it off too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchMode {
    /// On every build.
    #[default]
    Every,
    /// The search page and box are rendered, the index is not: `serve` makes it from
    /// [`Session::search_input`] on a thread of its own, so that an edit shows at once and
    /// search catches up a moment later.
    Deferred,
    /// Never (`--no-search`, and `check`).
    Off,
}

impl BuildOptions {
    /// The output folder these options write to.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A rendered site held in memory.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file, or with `partial`, the ones an in-place edit changed.
    pub outputs: Vec<Output>,
    /// Whether `outputs` holds only what changed since the previous render of the session, to
    /// be laid over its outputs.
    pub partial: bool,
    /// The content audit, when it ran (it is on unless `audit.enabled` is false, and needs a
    /// render without errors).
    pub audit: Option<Audit>,
    /// Everything every stage reported, sorted by file and line.
    pub diagnostics: Diagnostics,
    /// Time per stage.
    pub timings: Timings,
    /// Files that did not become pages, by reason (nothing after an in-place edit).
    pub skipped: model::Skipped,
}

/// One site built repeatedly: `build` runs it once, `serve` keeps it and runs it on every
/// change, so files that did not change are not parsed again.
#[derive(Debug)]
pub struct Session {
    opts: BuildOptions,
    parse_cache: ParseCache,
    /// Diagrams drawn and code highlighted in this session (and read from the build cache).
    memos: Arc<Memos>,
    /// Search records of pages, kept between builds.
    search_records: render::search::Records,
    /// The model and analysis of the last render, when it had no error.
    last_good: Option<LastGood>,
    /// Articles edited in place since the last [`Session::settle`].
    unsettled: Vec<crate::model::PageId>,
    /// The first moment after the last render that a page's publish or expiry date passes.
    until: Option<jiff::Timestamp>,
    /// The sources, already read for the next render (by the check that nothing changed).
    loaded: Option<unchanged::Loaded>,
    /// The related lists of the last full analysis (or of the build cache), and whether the
    /// build cache holds them yet.
    related: (analyze::RelatedRecord, bool),
}

/// What an in-place edit is applied to.
struct LastGood {
    site: Site,
    analysis: Analysis,
    theme: load::Theme,
    /// The templates, ready: they do not change between in-place edits.
    engine: Option<render::Engine>,
    /// The audit of the last render, and what it read besides the article pages.
    audit: Option<Audit>,
    audited_indexes: Vec<Output>,
}

impl std::fmt::Debug for LastGood {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastGood")
            .field("pages", &self.site.pages.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for the site these options describe; it reads the build cache when its policy
    /// says so.
    pub fn new(opts: BuildOptions) -> Self {
        let memos = Arc::new(Memos::default());
        let reads = opts.cache.reads();
        // The cache files are read and decoded side by side: at 10,000 pages they are a good
        // part of a rebuild's time.
        let ((parse_cache, related), search_records) = rayon::join(
            || match reads {
                true => (
                    ParseCache::restore(&opts.root),
                    analyze::RelatedRecord::restore(&opts.root),
                ),
                false => Default::default(),
            },
            || {
                if reads {
                    cache::restore(&opts.root, &memos);
                }
                // A build without search neither reads nor writes the search records.
                match reads && opts.search != SearchMode::Off {
                    true => render::search::Records::restore(&opts.root),
                    false => render::search::Records::default(),
                }
            },
        );
        Self {
            opts,
            parse_cache,
            memos,
            search_records,
            last_good: None,
            unsettled: Vec::new(),
            until: None,
            loaded: None,
            related: (related, true),
        }
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The site of the last render, when it had no error.
    pub fn site(&self) -> Option<&Site> {
        self.last_good.as_ref().map(|g| &g.site)
    }

    /// Where every page of the last good build is published; empty before the first.
    pub fn page_urls(&self) -> Vec<model::PageUrl> {
        self.site().map(Site::page_urls).unwrap_or_default()
    }

    /// What the search bundle of the last good render is made from, when the site has search:
    /// records of unchanged pages are reused, so this costs little after an edit.
    pub(crate) fn search_input(&self) -> Option<render::search::SearchInput> {
        let good = self.last_good.as_ref().filter(|g| g.site.config.search)?;
        let site = &good.site;
        let bodies = render::Bodies::new(&site.content_dir, &site.config, &self.memos);
        let input =
            render::search::SearchInput::of(site, &good.analysis, &bodies, &self.search_records);
        self.search_records.forget_unused();
        input.ok()
    }

    /// Brings the site up to date after the files at `changed` (absolute paths, as a watcher
    /// reports them) changed: an in-place edit of articles' text redoes only what it touches,
    /// anything else renders the whole site again.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rendered {
        match self.edit_in_place(changed) {
            Some(rendered) => rendered,
            None => self.render(),
        }
    }

    /// Runs every stage but writing.
    pub fn render(&mut self) -> Rendered {
        self.render_into(None)
    }

    /// Runs every stage; with a `target`, article pages are written into its staging tree as
    /// they are finished instead of being kept in the result's outputs.
    fn render_into(&mut self, target: Option<Target>) -> Rendered {
        self.last_good = None;
        self.unsettled.clear();
        let mut diags = Diagnostics::new();
        let mut timings = Timings::default();
        let mut watch = Stopwatch::start();

        let progress = self.opts.progress.clone();
        progress.stage("reading", None);
        let (source, base) = self.load(&mut diags);
        watch.lap(&mut timings.load);
        progress.stage("parsing", None);
        let drawing = self.memos.draw_time();
        let content_dir = self.opts.root.join(load::CONTENT_DIR);
        let sources = parse::Sources {
            stats: &source.stats,
            content_dir: &content_dir,
            hold_html: match target {
                Some(_) => HOLD_HTML,
                None => usize::MAX,
            },
        };
        let (parsed, d) =
            parse::parse_all(&sources, &source.config, &mut self.parse_cache, &self.memos);
        if target.is_some() {
            // The model holds the parses from here on; a build that ends with this render
            // saves them for the next one now, so that they go with the model.
            self.parse_cache
                .settle(&self.opts.root, self.opts.cache.writes());
        }
        self.until = unchanged::next_change(&parsed);
        diags.append(d);
        timings.diagrams = self.memos.draw_time().saturating_sub(drawing);
        watch.lap(&mut timings.parse);
        let site = self.model(&source, base, parsed, &mut diags);
        watch.lap(&mut timings.model);
        progress.stage("linking", None);
        let keep_indexes = target.is_none();
        let analysis = analyze::analyze(&site, Some(&self.related.0), keep_indexes, &mut diags);
        if analysis.related_digest != *self.related.0.digest() {
            let record = analyze::RelatedRecord::of(analysis.related_digest, &analysis.related);
            self.related = (record, false);
        }
        watch.lap(&mut timings.analyze);
        progress.stage("rendering", Some(site.pages.len()));
        let (mut outputs, engine) = if diags.has_errors() {
            (Vec::new(), None)
        } else {
            self.render_pages((&site, &analysis, &source.theme), target, &mut diags)
        };
        watch.lap(&mut timings.render);
        let (audit, audit_pages) = self
            .finish(
                (&site, &analysis, engine.as_ref()),
                target,
                &mut outputs,
                &mut diags,
                &mut timings,
            )
            .unzip();
        let skipped = site.skipped;
        let mut model = Some((site, analysis, source.theme));
        if target.is_some()
            && let Some((site, analysis, _)) = model.take()
        {
            // A build renders once: its model is freed before the audit pages are rendered and
            // the site is written, the two halves side by side (a second at 100,000 pages), so
            // that the report, the largest page, is never made beside it.
            rayon::join(|| drop(site), || drop(analysis));
        }
        if let (Some(pages), Some(engine)) = (audit_pages.flatten(), &engine) {
            let clock = Instant::now();
            let previous = target.and_then(|t| t.reuse).map(|r| r.previous);
            // On a worker of the pool that freed the model, whose allocator then reuses that
            // room instead of asking the system for more.
            let kept = rayon::scope(|_| pages.render(engine, previous, &mut outputs, &mut diags));
            if let Some(t) = target
                && let Err(d) = t.staging.keep(&kept)
            {
                diags.push(d);
            }
            timings.audit += clock.elapsed();
        }
        diags.sort();
        if let Some((site, analysis, theme)) = model.filter(|_| !diags.has_errors()) {
            self.last_good = Some(LastGood {
                audited_indexes: outputs
                    .iter()
                    .filter(|o| audit::READS.contains(&o.path.as_str()))
                    .cloned()
                    .collect(),
                audit: audit.clone(),
                site,
                analysis,
                theme,
                engine,
            });
        }
        Rendered {
            outputs,
            partial: false,
            audit,
            diagnostics: diags,
            timings,
            skipped,
        }
    }

    /// Renders every output but the article pages; those the published site already holds as
    /// made from the same inputs are kept in the target instead, and a target gets the others
    /// as they are made, so that they are not all held at once.
    fn render_pages(
        &self,
        (site, analysis, theme): (&Site, &Analysis, &load::Theme),
        target: Option<Target>,
        diags: &mut Diagnostics,
    ) -> (Vec<Output>, Option<render::Engine>) {
        let bodies = render::Bodies::new(&site.content_dir, &site.config, &self.memos);
        let previous = target.and_then(|t| t.reuse).map(|r| r.previous);
        let mut put = Diagnostics::new();
        let mut hand_over = |outputs: Vec<Output>| match target {
            Some(t) => put_early(t.staging, outputs, &mut put),
            None => outputs,
        };
        let made = render::render(
            site,
            analysis,
            (theme, &bodies, previous),
            &mut hand_over,
            diags,
        );
        diags.append(put);
        let mut outputs = made.outputs;
        if let Some(t) = target {
            if let Err(d) = t.staging.keep(&made.kept) {
                diags.push(d);
            }
            outputs = put_early(t.staging, outputs, diags);
        }
        (outputs, made.engine)
    }

    /// Reads the site, with the session's options laid over `site.yaml`, and checks the
    /// settings later stages judge by.
    fn load(&mut self, diags: &mut Diagnostics) -> (load::SiteSource, crate::config::BaseUrl) {
        let mut source = match self.loaded.take() {
            Some((source, found)) => {
                diags.append(found);
                source
            }
            None => load::load(&self.opts.root, diags),
        };
        let opts = &self.opts;
        let config = &mut source.config;
        let base = config.base_url_with(opts.base_url.as_deref(), diags);
        if opts.search == SearchMode::Off {
            config.search = false;
        }
        if let Some(n) = opts.min_score {
            config.audit.min_score = n;
        }
        if let Some(n) = opts.min_machine_score {
            config.audit.min_machine_score = n;
        }
        audit::validate(&config.audit, diags);
        (source, base)
    }

    /// The site model of the parsed documents, with `site.yaml`'s cascades and what this build
    /// publishes.
    fn model(
        &self,
        source: &load::SiteSource,
        base: crate::config::BaseUrl,
        parsed: Vec<Arc<parse::ParsedDocument>>,
        diags: &mut Diagnostics,
    ) -> Site {
        let opts = &self.opts;
        let config = &source.config;
        let site_cascades = crate::parse::front_matter::cascades_from(
            &config.cascade,
            std::path::Path::new(crate::config::CONFIG_FILE),
            config.line_of("cascade"),
            diags,
        );
        let publish = model::Publish {
            include: Include {
                future: opts.include.future || config.build_future,
                expired: opts.include.expired || config.build_expired,
                ..opts.include
            },
            now: crate::config::build_moment(),
        };
        let input = model::Input {
            config: config.clone(),
            content_dir: opts.root.join(load::CONTENT_DIR),
            base,
            docs: parsed,
            assets: &source.assets,
            cascades: &site_cascades,
            publish,
        };
        model::build(input, diags)
    }

    /// Finishes the article pages in batches (rendered, audited, indexed, written or kept) and
    /// the search index; returns the audit when it ran.
    fn finish(
        &mut self,
        (site, analysis, engine): (&Site, &Analysis, Option<&render::Engine>),
        target: Option<Target>,
        outputs: &mut Vec<Output>,
        diags: &mut Diagnostics,
        timings: &mut Timings,
    ) -> Option<(Audit, Option<audit::report::Pages>)> {
        let bodies = render::Bodies::new(&site.content_dir, &site.config, &self.memos);
        let audit = engine.and_then(|engine| {
            let job = articles::Finish {
                engine,
                bodies: &bodies,
                memos: &self.memos,
                progress: &self.opts.progress,
                sink: match target {
                    Some(t) => articles::Sink::Write(t.staging, t.reuse),
                    None => articles::Sink::Keep,
                },
            };
            articles::finish(site, analysis, job, outputs, diags, timings)
        });
        if !diags.has_errors() && site.config.search && self.opts.search == SearchMode::Every {
            let clock = Instant::now();
            self.opts.progress.stage("indexing for search", None);
            let previous = target.and_then(|t| t.reuse).map(|r| r.previous);
            match render::search::build(site, analysis, &bodies, &self.search_records, previous) {
                Ok(bundle) => {
                    if let Some(t) = target
                        && let Err(d) = t.staging.keep(&bundle.kept_paths())
                    {
                        diags.push(d);
                    }
                    outputs.extend(bundle.outputs);
                }
                Err(d) => diags.push(d),
            }
            timings.search += clock.elapsed();
        }
        audit
    }
}

/// Runs every stage but writing, once.
pub fn render_site(opts: &BuildOptions) -> Rendered {
    Session::new(opts.clone()).render()
}
