//! Time spent in each stage of the pipeline, for `--timings` and the bench.

use std::time::{Duration, Instant};

/// Time spent in each stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading config and walking files; for `build`, also checking the published tree and
    /// reading the build cache.
    pub load: Duration,
    /// Front matter and markdown.
    pub parse: Duration,
    /// Building the site model.
    pub model: Duration,
    /// Links, backlinks.
    pub analyze: Duration,
    /// Templates.
    pub render: Duration,
    /// The content audit, with badges and the audit page.
    pub audit: Duration,
    /// Writing files.
    pub write: Duration,
    /// Drawing diagrams, summed over threads (part of parse).
    pub diagrams: Duration,
    /// Building the search index.
    pub search: Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "load {:.0} ms · parse {:.0} ms (diagrams {:.0} ms of CPU) · model {:.0} ms · analyze {:.0} ms · render {:.0} ms · audit {:.0} ms · search {:.0} ms · write {:.0} ms",
            ms(self.load),
            ms(self.parse),
            ms(self.diagrams),
            ms(self.model),
            ms(self.analyze),
            ms(self.render),
            ms(self.audit),
            ms(self.search),
            ms(self.write)
        )
    }
}

/// Times consecutive stages.
pub(super) struct Stopwatch {
    clock: Instant,
}

impl Stopwatch {
    pub(super) fn start() -> Self {
        Self {
            clock: Instant::now(),
        }
    }

    /// Adds the time since the last lap to `slot`.
    pub(super) fn lap(&mut self, slot: &mut Duration) {
        *slot += self.clock.elapsed();
        self.clock = Instant::now();
    }
}
