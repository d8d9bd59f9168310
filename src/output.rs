//! What a build produces: files of the site, as paths with their bytes (or a file to copy).
//!
//! A leaf module: render makes outputs, the audit reads and amends them, write puts them on disk
//! and serve keeps them in memory, and none of them needs the others to name one.

use std::path::PathBuf;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators (`a/b/index.html`).
    pub path: String,
    /// Its content.
    pub content: Content,
}

/// Where an output file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file to copy.
    Copy(PathBuf),
    /// Bytes compiled into the binary (the built-in theme).
    Static(&'static [u8]),
}

impl Output {
    /// Whether this is an HTML page.
    pub fn is_page(&self) -> bool {
        self.path.ends_with(".html")
    }

    /// Rendered bytes at `path`.
    pub fn bytes(path: String, bytes: Vec<u8>) -> Self {
        Self {
            path,
            content: Content::Bytes(bytes),
        }
    }
}
