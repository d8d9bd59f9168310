//! How far a build got, for whoever shows it: the command line draws a progress bar on a
//! terminal (see `cmd::progress`); a library caller may show it its own way, or not at all.

use std::sync::Arc;

/// Receives a build's progress. Called from the building thread; keep each call cheap.
pub trait Progress: Send + Sync {
    /// A stage begins; `pages` is how many pages it goes through, when it counts them.
    fn stage(&self, name: &'static str, pages: Option<usize>);
    /// `n` more pages of the current stage are done.
    fn pages_done(&self, n: usize);
    /// The build is over, whether it succeeded or not.
    fn finish(&self) {}
}

/// Where a build reports its progress: nowhere by default.
#[derive(Clone, Default)]
pub struct Reporter(Option<Arc<dyn Progress>>);

impl Reporter {
    /// Reports to `progress`.
    pub fn to(progress: Arc<dyn Progress>) -> Self {
        Self(Some(progress))
    }

    /// A stage begins (see [`Progress::stage`]).
    pub(crate) fn stage(&self, name: &'static str, pages: Option<usize>) {
        if let Some(p) = &self.0 {
            p.stage(name, pages);
        }
    }

    /// Pages are done (see [`Progress::pages_done`]).
    pub(crate) fn pages_done(&self, n: usize) {
        if let Some(p) = &self.0 {
            p.pages_done(n);
        }
    }

    /// The build is over.
    pub(crate) fn finish(&self) {
        if let Some(p) = &self.0 {
            p.finish();
        }
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Some(_) => "Reporter(on)",
            None => "Reporter(off)",
        })
    }
}
