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

pub mod analyze;
pub mod audit;
pub mod cache;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod write;
pub mod yaml;

pub use pipeline::{BuildOptions, BuildReport, SearchMode, Session, build, render_site};
