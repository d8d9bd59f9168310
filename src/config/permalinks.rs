//! `permalinks:` in `site.yaml`: URL patterns by content folder, as Hugo writes them, with
//! Jekyll's style names.

use super::SiteConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A `permalinks:` entry: a pattern, or Hugo's form by page kind (`page: {posts: …}`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Permalink {
    /// The pattern for pages in one folder.
    Pattern(String),
    /// Patterns by folder, under a page kind.
    ByKind(BTreeMap<String, String>),
}

/// Jekyll's named permalink styles, written with stacks' tokens.
const STYLES: [(&str, &str); 4] = [
    (
        "date",
        "/:categories/:year/:month/:day/:slugorfilename:output_ext",
    ),
    ("pretty", "/:categories/:year/:month/:day/:slugorfilename/"),
    (
        "ordinal",
        "/:categories/:year/:yearday/:slugorfilename:output_ext",
    ),
    ("none", "/:categories/:slugorfilename:output_ext"),
];

impl SiteConfig {
    /// Every permalink pattern with the folder it is for; Jekyll's style names (`date`,
    /// `pretty`, `ordinal`, `none`) stand for their patterns.
    pub fn permalink_patterns(&self) -> Vec<(&str, &str)> {
        fn style(pattern: &str) -> &str {
            STYLES
                .iter()
                .find(|(name, _)| *name == pattern)
                .map_or(pattern, |(_, p)| *p)
        }
        self.permalinks
            .iter()
            .flat_map(|(key, value)| match value {
                Permalink::Pattern(p) => vec![(key.as_str(), style(p))],
                Permalink::ByKind(map) if key == "page" => {
                    map.iter().map(|(k, p)| (k.as_str(), style(p))).collect()
                }
                Permalink::ByKind(_) => Vec::new(),
            })
            .collect()
    }

    /// The permalink pattern for pages in content folder `dir`: the entry of the deepest folder
    /// that holds it (`/` holds every folder), with the key it was found under. Jekyll's style
    /// names (`date`, `pretty`, `ordinal`, `none`) stand for their patterns.
    pub fn permalink_for(&self, dir: &str) -> Option<(&str, &str)> {
        let holds = |key: &str| {
            let folder = key.trim_matches('/');
            folder.is_empty()
                || dir == folder
                || dir.strip_prefix(folder).is_some_and(|r| r.starts_with('/'))
        };
        let depth = |key: &str| {
            key.trim_matches('/')
                .split('/')
                .filter(|s| !s.is_empty())
                .count()
        };
        self.permalink_patterns()
            .into_iter()
            .filter(|(key, _)| holds(key))
            .max_by_key(|(key, _)| depth(key))
    }
}
