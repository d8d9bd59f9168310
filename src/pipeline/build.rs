//! `build`: the pipeline run once into a staging tree, swapped in for the published site when
//! no stage reported an error, and the record that lets the next build of unchanged sources
//! stop after load (see `unchanged`).

use super::{BuildOptions, Session, Timings, articles, unchanged};
use crate::audit::{self, Audit};
use crate::cache;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model;
use crate::output::Output;
use crate::write::{self, WriteStats};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Puts the outputs rendered before the article pages into the new site right away, so a large
/// library's listing and term pages are not held while its articles are rendered; returns those
/// later stages still read (what the audit reads, and anything at the audit pages' address).
pub(super) fn put_early(
    staging: &write::Staging,
    outputs: Vec<Output>,
    diags: &mut Diagnostics,
) -> Vec<Output> {
    let (held, done): (Vec<Output>, Vec<Output>) = outputs
        .into_iter()
        .partition(|o| audit::READS.contains(&o.path.as_str()) || o.path.starts_with("audit/"));
    if let Err(d) = staging.put(&done) {
        diags.push(d);
    }
    held
}

/// Where a build writes: the new site, and what it knows of the published one and of earlier
/// audits (nothing with the build cache off).
#[derive(Clone, Copy)]
pub(super) struct Target<'a> {
    pub(super) staging: &'a write::Staging,
    pub(super) reuse: Option<articles::Reuse<'a>>,
}

/// A finished build.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub output: PathBuf,
    /// What was written.
    pub stats: WriteStats,
    /// Warnings (there were no errors).
    pub diagnostics: Diagnostics,
    /// Time per stage.
    pub timings: Timings,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// The content audit, when it ran.
    pub audit: Option<Audit>,
    /// Files that did not become pages, by reason.
    pub skipped: model::Skipped,
    /// Distinct diagrams the site shows (drawn, or read from the build cache).
    pub diagrams: usize,
    /// Whether nothing had changed since the last build, so its site and report stand and no
    /// stage ran after load.
    pub unchanged: bool,
}

/// Builds the site and writes it, or returns every diagnostic (errors included) and leaves the
/// output folder as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let out = opts.output_dir();
    if let Err(d) = write::check_output_dir(&opts.root, &out) {
        return Err(Diagnostics::from(vec![d]));
    }
    // Opened before rendering so that article pages go to disk as they are finished; dropped
    // unfinished on any error, which removes it and leaves the last good site as it was.
    let cache_dir = opts
        .cache
        .writes()
        .then(|| opts.root.join(cache::CACHE_DIR));
    let at = crate::cache::now_nanos();
    let (stamp, published, loaded) = match opts.cache {
        cache::Policy::ReadWrite => match unchanged::replay(opts, &out) {
            unchanged::Replay {
                record: Some(record),
                ..
            } => return Ok(replayed(record, out, start)),
            found => (found.stamp, Some(found.published), Some(found.loaded)),
        },
        _ => (None, None, None),
    };
    // Opening the new tree (checking the last one file by file), reading the build cache and
    // reading the audit's verdicts are independent, and none keeps both cores busy alone.
    let (staging, (mut session, verdicts)) = rayon::join(
        || write::Staging::open(&out, cache_dir.as_deref(), published),
        || {
            rayon::join(
                || Session::new(opts.clone()),
                || match opts.cache.reads() {
                    true => audit::reuse::Verdicts::restore(&opts.root),
                    false => audit::reuse::Verdicts::default(),
                },
            )
        },
    );
    let staging = staging.map_err(|d| Diagnostics::from(vec![d]))?;
    session.loaded = loaded;
    let previous = staging.previous();
    let target = Target {
        staging: &staging,
        reuse: opts.cache.reads().then_some(articles::Reuse {
            previous: &previous,
            verdicts: &verdicts,
        }),
    };
    // Reading the sources, the published tree and the build cache is the build's first stage.
    let started = start.elapsed();
    let mut rendered = session.render_into(Some(target));
    rendered.timings.load += started;
    if rendered.diagnostics.has_errors() {
        opts.progress.finish();
        return Err(rendered.diagnostics);
    }
    opts.progress.stage("writing", None);
    let clock = Instant::now();
    let (written, audit_record) = rayon::join(
        || {
            staging
                .put(&rendered.outputs)
                .and_then(|()| staging.commit())
        },
        || match opts.cache.writes() {
            true => unchanged::audit_bytes(rendered.audit.as_ref()),
            false => Vec::new(),
        },
    );
    opts.progress.finish();
    let stats = match written {
        Ok(s) => s,
        Err(d) => {
            rendered.diagnostics.push(d);
            return Err(rendered.diagnostics);
        }
    };
    let diagrams = session.memos.diagrams.export().len();
    let saved = || {
        // Four files of their own: saved side by side, and the record only when all were.
        let ((memos, parses), (records, audits)) = rayon::join(
            || {
                rayon::join(
                    || cache::persist(&opts.root, &session.memos),
                    || session.parse_cache.persist(&opts.root),
                )
            },
            || {
                rayon::join(
                    || session.search_records.persist(&opts.root, &out),
                    || {
                        let (related, saved) = &session.related;
                        let related = match saved {
                            true => Ok(()),
                            false => related.persist(&opts.root),
                        };
                        verdicts.persist(&opts.root).and(related)
                    },
                )
            },
        );
        memos.and(parses).and(records).and(audits)?;
        let done = unchanged::Finished {
            stamp,
            at,
            until: session.until,
            diagnostics: &rendered.diagnostics,
            skipped: rendered.skipped,
            stats,
            diagrams,
            audit: audit_record,
        };
        unchanged::record(&opts.root, &out, done)
    };
    if opts.cache.writes()
        && let Err(e) = saved()
    {
        rendered.diagnostics.push(
            Diagnostic::warning(Code::Cache, format!("cannot save the build cache: {e}"))
                .in_file(crate::cache::CACHE_DIR)
                .hint("the next build parses every file and draws every diagram again; check the folder's permissions"),
        );
    }
    rendered.timings.write += clock.elapsed();
    // Freeing the model of a large library takes a noticeable moment; the caller need not wait.
    std::thread::spawn(move || drop(session));
    Ok(BuildReport {
        output: out,
        stats,
        diagnostics: rendered.diagnostics,
        timings: rendered.timings,
        elapsed: start.elapsed(),
        audit: rendered.audit,
        skipped: rendered.skipped,
        diagrams,
        unchanged: false,
    })
}

/// The report of a build that found nothing changed since `record` was made.
fn replayed(mut record: unchanged::Record, output: PathBuf, start: Instant) -> BuildReport {
    let elapsed = start.elapsed();
    BuildReport {
        output,
        stats: WriteStats {
            changed: 0,
            written: 0,
            ..record.stats
        },
        audit: record.audit(),
        diagnostics: record.diagnostics,
        timings: Timings {
            load: elapsed,
            ..Timings::default()
        },
        elapsed,
        skipped: record.skipped,
        diagrams: record.diagrams,
        unchanged: true,
    }
}
