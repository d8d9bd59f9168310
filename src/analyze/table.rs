//! The lookup tables link resolution reads: every way of naming a page, section or file.

use super::links::Target;
use super::suggest::Suggester;
use crate::model::{AliasTarget, AssetId, PageId, Site};
use std::collections::HashMap;

/// Lookup tables from every way of naming a target to the target. They depend only on where
/// pages, sections and assets are and what they are called, so an edit to an article's text
/// leaves them valid and they are kept between such edits.
#[derive(Debug, Default)]
pub struct LinkTable {
    pub(super) by_content_path: HashMap<String, Target>,
    pub(super) by_output_path: HashMap<String, Target>,
    pub(super) by_name: HashMap<String, Vec<PageId>>,
    /// File names (without `.md`) for suggestions, each shown as its path.
    pub(super) files: Suggester,
    /// Page slugs for suggestions, each shown as a wiki link.
    pub(super) slugs: Suggester,
}

impl LinkTable {
    /// Indexes every page, section and asset of `site`.
    pub fn new(site: &Site) -> Self {
        let mut by_content_path = HashMap::new();
        let mut by_output_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<PageId>> = HashMap::new();
        for (id, p) in site.page_ids().zip(&site.pages) {
            let t = Target::Page(id);
            by_content_path.insert(p.rel.clone(), t);
            if let Some(dir) = p.rel.strip_suffix("/index.md") {
                by_content_path.insert(dir.to_string(), t);
            }
            by_output_path.insert(p.path.trim_end_matches('/').to_string(), t);
            let stem = p.rel.trim_end_matches("/index.md").trim_end_matches(".md");
            let stem = stem.rsplit('/').next().unwrap_or(stem).to_lowercase();
            for name in [p.slug.clone(), stem, p.title.to_lowercase()] {
                let ids = by_name.entry(name).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        for (id, s) in site.section_ids().zip(&site.sections) {
            let t = Target::Section(id);
            if let Some(rel) = &s.rel {
                by_content_path.insert(rel.clone(), t);
            }
            by_content_path.insert(s.dir.clone(), t);
            by_output_path.insert(s.path.trim_end_matches('/').to_string(), t);
        }
        for (id, a) in site.assets.iter().enumerate() {
            by_content_path.insert(a.rel.clone(), Target::Asset(AssetId(id)));
            by_output_path.insert(a.path.clone(), Target::Asset(AssetId(id)));
        }
        // A link to an old URL reaches the page its alias redirects to, at its own URL.
        for a in &site.aliases {
            let old = a.path.strip_suffix("index.html").unwrap_or(&a.path);
            let target = match a.target {
                AliasTarget::Page(id) => Target::Page(id),
                AliasTarget::Section(id) => Target::Section(id),
            };
            by_output_path
                .entry(old.trim_end_matches('/').to_string())
                .or_insert(target);
        }
        let mut files: Vec<&String> = by_content_path.keys().collect();
        files.sort();
        let files = Suggester::new(files.into_iter().map(|k| {
            let name = k.rsplit('/').next().unwrap_or(k).trim_end_matches(".md");
            (name, format!("content/{k}"))
        }));
        let slugs = Suggester::new(
            site.pages
                .iter()
                .map(|p| (p.slug.as_str(), format!("[[{}]]", p.slug))),
        );
        Self {
            by_content_path,
            by_output_path,
            by_name,
            files,
            slugs,
        }
    }
}
