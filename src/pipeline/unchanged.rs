//! A build whose sources did not change since the last successful build of the same output.
//!
//! The published site is then already what the build would write, so nothing after load runs
//! and nothing is written: the last build's report is given again. A site is made from its
//! sources (`site.yaml`, every file under `content/`, the theme's and the site's own templates
//! and static files, known by path, size and modification time), the build's options, this
//! build of stacks and the date (the audit measures freshness from it, and a page with a publish
//! or expiry date appears or goes when that moment passes). All of it goes into a stamp kept in
//! the build cache; the published tree must also hold exactly the files that build left.

use super::BuildOptions;
use crate::audit::Audit;
use crate::audit::reuse::Stored;
use crate::cache::RACY_NANOS;
use crate::diagnostics::Diagnostics;
use crate::load::{self, Stat, StaticSource};
use crate::model::Skipped;
use crate::parse::ParsedDocument;
use crate::write::WriteStats;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// The file of the build cache that holds the last successful build's stamp and report.
const STORE: &str = "build.bin";

/// The last successful build, as the build cache keeps it.
#[derive(Serialize, Deserialize)]
pub(super) struct Record {
    /// When its stamp was taken, in nanoseconds since 1970.
    at: u64,
    /// The first moment a page's publish or expiry date passes, changing the site.
    until: Option<Timestamp>,
    /// The generation of the tree it published.
    generation: u64,
    /// What it reported.
    pub(super) diagnostics: Diagnostics,
    pub(super) skipped: Skipped,
    pub(super) stats: WriteStats,
    pub(super) diagrams: usize,
    /// The audit it reported, as [`audit_bytes`] wrote it: kept after the record's own bytes
    /// in the cache file, as one piece (postcard would write it byte by byte).
    #[serde(skip)]
    audit: Vec<u8>,
}

impl Record {
    /// The audit the build reported.
    pub(super) fn audit(&mut self) -> Option<Audit> {
        postcard::from_bytes::<Option<Stored>>(&std::mem::take(&mut self.audit))
            .ok()
            .flatten()
            .and_then(Stored::audit)
    }
}

/// The audit of a build as its record keeps it: made while the new site is put in place, as an
/// audit of a large library takes a moment to write.
pub(super) fn audit_bytes(audit: Option<&Audit>) -> Vec<u8> {
    postcard::to_allocvec(&audit.map(Stored::of)).unwrap_or_default()
}

/// The sources of the site at `opts` as read now (with what reading them reported), and what
/// they are made from as one hash with the newest source's modification time; no hash when they
/// cannot be read cleanly. No markdown file is read.
pub(super) fn stamp(opts: &BuildOptions) -> (Option<([u8; 32], u64)>, Loaded) {
    let mut diags = Diagnostics::new();
    let source = load::load(&opts.root, &mut diags);
    let stamp = match diags.has_errors() {
        true => None,
        false => hash_sources(opts, &source),
    };
    (stamp, (source, diags))
}

/// The sources as [`stamp`] read them: a build that goes on starts from them rather than
/// reading them again.
pub(super) type Loaded = (load::SiteSource, Diagnostics);

fn hash_sources(opts: &BuildOptions, source: &load::SiteSource) -> Option<([u8; 32], u64)> {
    let mut h = blake3::Hasher::new();
    let mut newest = 0;
    let part = |h: &mut blake3::Hasher, bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    let mut stat = |h: &mut blake3::Hasher, s: Stat| {
        newest = newest.max(s.mtime);
        h.update(&s.size.to_le_bytes());
        h.update(&s.mtime.to_le_bytes());
    };
    part(&mut h, crate::cache::BUILD_ID.as_bytes());
    // Every option, whatever options later builds gain, but where progress is shown.
    let options = BuildOptions {
        progress: super::Reporter::default(),
        ..opts.clone()
    };
    part(&mut h, format!("{options:?}").as_bytes());
    let date = crate::config::build_date().map(|d| d.to_string());
    part(&mut h, format!("{date:?}").as_bytes());
    if !crate::output::hash_value(&mut h, &source.config) {
        return None;
    }
    let of = |path: &Path| std::fs::metadata(path).ok().map(|m| Stat::of(&m));
    for (rel, s) in &source.stats {
        part(&mut h, rel.as_bytes());
        stat(&mut h, *s);
    }
    for a in &source.assets {
        part(&mut h, a.rel.as_bytes());
        stat(&mut h, of(&a.path)?);
    }
    for t in &source.theme.templates {
        part(&mut h, t.name.as_bytes());
        part(&mut h, t.text.as_bytes());
    }
    for f in &source.theme.static_files {
        part(&mut h, f.rel.as_bytes());
        match &f.source {
            StaticSource::Disk(path) => stat(&mut h, of(path)?),
            // Built into this build of stacks, which the stamp names.
            StaticSource::Embedded(_) => part(&mut h, b"embedded"),
        }
    }
    Some((*h.finalize().as_bytes(), newest))
}

/// What [`replay`] found.
pub(super) struct Replay {
    /// The sources' stamp now (see [`stamp`]).
    pub stamp: Option<[u8; 32]>,
    /// The last build's record, when it stands.
    pub record: Option<Record>,
    /// The published tree as found, for the build to start from.
    pub published: crate::write::Published,
    /// The sources as read for the stamp.
    pub loaded: Loaded,
}

/// The sources' stamp now, and the last build's record when it was made from exactly these
/// sources, no page's date has passed since, and the published tree at `out` is as it left it.
pub(super) fn replay(opts: &BuildOptions, out: &Path) -> Replay {
    let cache = opts.root.join(crate::cache::CACHE_DIR);
    // Three independent looks, each a good part of the whole: at the sources, at the record and
    // at the published tree.
    let (now, (stored, published)) = rayon::join(
        || stamp(opts),
        || {
            rayon::join(
                || crate::cache::scan(&opts.root, STORE),
                || crate::write::Published::look(out, &cache),
            )
        },
    );
    let (now, loaded) = now;
    let Some((now, newest)) = now else {
        return Replay {
            stamp: None,
            record: None,
            published,
            loaded,
        };
    };
    // Read only when it was made from these sources: after an edit, it is not read at all.
    let (held, file) = stored;
    let record = file
        .and_then(|file| crate::cache::read_entry(&file, &held, &now))
        .and_then(|bytes| {
            let (mut record, audit) = postcard::take_from_bytes::<Record>(&bytes).ok()?;
            record.audit = audit.to_vec();
            Some(record)
        })
        .filter(|r| {
            newest.saturating_add(RACY_NANOS) < r.at
                && r.until.is_none_or(|t| crate::config::build_moment() < t)
                && published.intact() == Some(r.generation)
        });
    Replay {
        stamp: Some(now),
        record,
        published,
        loaded,
    }
}

/// The first moment after the build's that a page of `parsed` would be published or expire.
pub(super) fn next_change(parsed: &[Arc<ParsedDocument>]) -> Option<Timestamp> {
    let now = crate::config::build_moment();
    parsed
        .iter()
        .flat_map(|p| {
            let f = &p.front;
            [f.publish_date.or(f.date), f.expiry_date]
        })
        .flatten()
        .map(|d| d.instant)
        .filter(|&t| t > now)
        .min()
}

/// What a successful build keeps so that the next one can tell nothing changed.
pub(super) struct Finished<'a> {
    /// The sources' stamp, taken before the build read them.
    pub stamp: Option<[u8; 32]>,
    /// When the stamp was taken.
    pub at: u64,
    /// See [`next_change`].
    pub until: Option<Timestamp>,
    pub diagnostics: &'a Diagnostics,
    pub skipped: Skipped,
    pub stats: WriteStats,
    pub diagrams: usize,
    /// See [`audit_bytes`].
    pub audit: Vec<u8>,
}

/// Records a successful build that published to `out` (nothing is kept without a stamp, and a
/// stale record is removed).
pub(super) fn record(root: &Path, out: &Path, done: Finished) -> std::io::Result<()> {
    let generation = done.stamp.and(crate::write::generation(out));
    let (Some(stamp), Some(generation)) = (done.stamp, generation) else {
        return crate::cache::write_store(root, STORE, std::iter::empty());
    };
    let record = Record {
        at: done.at,
        until: done.until,
        generation,
        diagnostics: done.diagnostics.clone(),
        skipped: done.skipped,
        stats: done.stats,
        diagrams: done.diagrams,
        audit: done.audit,
    };
    let mut bytes = postcard::to_allocvec(&record).map_err(std::io::Error::other)?;
    bytes.extend_from_slice(&record.audit);
    crate::cache::write_store(root, STORE, std::iter::once((stamp, bytes.as_slice())))
}
