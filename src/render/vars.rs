//! A page's template variables, gathered once for two uses: a tera context to render the page,
//! or a fingerprint of everything the page is made from.
//!
//! A page is a pure function of its template, the templates it uses, the `site` every template
//! sees and these variables. So when a page's fingerprint equals the one recorded for its output
//! by the last build, its file already holds exactly what rendering would give, and the page is
//! neither rendered nor written.

use super::Engine;
use super::context::{Mode, Views};
use crate::output::Fingerprint;
use serde::Serialize;
use tera::Context;

/// The variables of one page.
pub(crate) enum Vars {
    /// For tera.
    Context(Context),
    /// For a fingerprint: each variable's name and value (see [`crate::output::hash_value`]), in
    /// order.
    Hash(Box<blake3::Hasher>),
}

impl Vars {
    /// Empty variables for a page of `views`.
    pub(crate) fn new(views: &Views) -> Self {
        match views.mode {
            Mode::Render(_) => Self::Context(Context::new()),
            Mode::Fingerprint => Self::hashing(),
        }
    }

    /// Empty variables for a fingerprint.
    pub(crate) fn hashing() -> Self {
        Self::Hash(Box::default())
    }

    /// Sets the variable `key` to `value`.
    pub(crate) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self {
            Self::Context(ctx) => ctx.insert(key, value),
            Self::Hash(h) => {
                h.update(&(key.len() as u64).to_le_bytes());
                h.update(key.as_bytes());
                // A value that cannot be written as JSON would fail tera too; the page is then
                // rendered, and reports it.
                if !crate::output::hash_value(h, value) {
                    h.update(b"\xff unserialisable");
                }
                h.update(b"\n");
            }
        }
    }

    /// The tera context (empty in fingerprint mode).
    pub(crate) fn context(&self) -> Option<&Context> {
        match self {
            Self::Context(ctx) => Some(ctx),
            Self::Hash(_) => None,
        }
    }

    /// The fingerprint of a page rendered from `template` into `path` with these variables
    /// (`None` outside fingerprint mode).
    pub(crate) fn fingerprint(
        &self,
        engine: &Engine,
        template: &str,
        path: &str,
    ) -> Option<Fingerprint> {
        let Self::Hash(h) = self else {
            return None;
        };
        let mut h = (**h).clone();
        h.update(engine.fingerprint.as_bytes());
        for part in [template, path] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        Some(crate::output::fingerprint_of(&h.finalize()))
    }
}
