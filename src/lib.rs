//! stacks: a static-site generator for knowledge libraries.
//!
//! A tree of markdown articles with YAML front matter becomes a themed static site. The work is
//! one forward flow, a module per stage, each importing only the stages before it:
//!
//! [`load`] → [`parse`] → [`model`] → [`analyze`] → [`render`] → [`audit`] → [`write`]
//!
//! Article pages, the bulk of a site, go through the last three stages in batches: each batch
//! is rendered, audited (the audit reads the pages as written), given its badges and written,
//! so a build never holds the whole site. The other pages are rendered once, before.
//!
//! Beside the stages: [`config`] and [`yaml`] read settings, [`diagnostics`] collects what is
//! wrong, [`output`] is what render makes and write puts on disk, and [`cache`] keeps drawn
//! diagrams and highlighted code between builds. [`pipeline`] strings the stages together in a
//! session that `build`, `check` and [`serve`] share; `main.rs` and `cmd/` are the command line.

// The stages and their helpers are the crate's own; what the command line, the benchmark and
// embedding programs need is public below, and nothing more.
pub(crate) mod analyze;
pub mod audit;
pub mod cache;
pub(crate) mod config;
pub mod diagnostics;
pub(crate) mod load;
pub(crate) mod model;
pub mod output;
pub(crate) mod parse;
pub(crate) mod pipeline;
pub(crate) mod render;
pub mod scaffold;
pub mod serve;
pub(crate) mod write;
pub(crate) mod yaml;

pub use load::CONTENT_DIR;
pub use model::{Include, PageUrl, Skipped};
pub use pipeline::{
    BuildOptions, BuildReport, Progress, Rendered, Reporter, SearchMode, Session, build,
    render_site,
};
pub use write::MARKER;

/// The stage functions that fuzz targets (`fuzz/`) and property tests drive directly, to reach
/// parsers without building whole sites. Not a stable interface: it follows the stages.
#[doc(hidden)]
pub mod internals {
    pub use crate::analyze::{LinkIndex, Target, is_template};
    pub use crate::cache::Memos;
    pub use crate::config::BaseUrl;
    pub use crate::load::{Asset, Document, DocumentKind, normalise};
    pub use crate::model::{PageId, Site};
    pub use crate::parse::{diagrams, front_matter, markdown};

    /// Reading `site.yaml`.
    pub mod config {
        pub use crate::config::{BaseUrl, SiteConfig, parse};
    }

    /// Building the site model from parsed documents.
    pub mod model {
        pub use crate::model::{Input, PageId, Publish, Site, build, urlize};
    }

    /// Parsing one document.
    pub mod parse {
        pub use crate::parse::parse_document;
    }
}
