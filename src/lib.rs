//! stacks: a static-site generator for knowledge libraries.
//!
//! A tree of markdown articles with YAML front matter becomes a themed static site. The work is
//! one forward flow, a module per stage:
//!
//! [`load`] → [`parse`] → [`model`] → [`analyze`] → [`render`] → [`audit`] → [`write`]
//!
//! The audit reads the rendered pages, so it comes after render; its scores are then written
//! into each article's badge and the `/audit/` page before anything is written to disk.
//!
//! [`pipeline`] strings them together; `main.rs` is only the command line.

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
