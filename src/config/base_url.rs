//! `base_url`: where the site is served, so that every link honours a sub-path.

use serde::Serialize;

/// Where the site lives: an origin (`https://example.com`, empty when unknown) and a path that
/// starts and ends with `/` (`/kb/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUrl {
    /// Scheme, host and port, without a trailing slash; empty for a path-only base.
    pub origin: String,
    /// The path every site URL starts with.
    pub path: String,
}

impl BaseUrl {
    /// Parses `https://host/sub/`, `/sub/` or an empty string.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.contains("://") {
            let url = url::Url::parse(raw).map_err(|e| format!("`{raw}` is not a URL: {e}"))?;
            if url.query().is_some() || url.fragment().is_some() {
                return Err(format!("`{raw}` has a query or fragment"));
            }
            let origin = url.origin().ascii_serialization();
            if origin == "null" {
                return Err(format!("`{raw}` has no host"));
            }
            Ok(Self {
                origin,
                path: with_slashes(url.path()),
            })
        } else {
            Ok(Self {
                origin: String::new(),
                path: with_slashes(raw),
            })
        }
    }

    /// The site-absolute URL of `rel` (a path relative to the site root, like `tags/x/`).
    pub fn path_to(&self, rel: &str) -> String {
        format!("{}{}", self.path, rel.trim_start_matches('/'))
    }

    /// The absolute URL of `rel`, for canonical links, feeds and sitemaps. Without an origin this
    /// is the same as [`BaseUrl::path_to`].
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}", self.origin, self.path_to(rel))
    }
}

fn with_slashes(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}
