//! Putting placed pages together: each section's lists, the URLs of taxonomy and built-in pages,
//! and where content files are copied.

use super::urls::{Claims, Owner};
use super::{OutputAsset, Page, PageId, Section, SectionId, Taxonomy, describe, parent_dir};
use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{Asset, CONTENT_DIR};
use crate::parse::front_matter::Listing;
use std::collections::HashMap;
use std::path::Path;

/// Lists pages and sections in their sections, each in reading order.
pub(super) fn gather(sections: &mut [Section], pages: &[Page]) {
    for (i, p) in pages.iter().enumerate() {
        let root_page = p.section == SectionId::HOME && p.standalone;
        if p.listing != Listing::Never && !root_page {
            sections[p.section].pages.push(PageId(i));
        }
    }
    for s in sections.iter_mut() {
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            (a.front.weight, std::cmp::Reverse(a.front.date), &a.title).cmp(&(
                b.front.weight,
                std::cmp::Reverse(b.front.date),
                &b.title,
            ))
        });
    }
    let listed: Vec<(SectionId, SectionId)> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.listed && s.rendered)
        .filter_map(|(id, s)| Some((s.parent?, SectionId(id))))
        .collect();
    for (parent, id) in listed {
        sections[parent].children.push(id);
    }
    let order: Vec<Vec<SectionId>> = sections
        .iter()
        .map(|s| {
            let mut c = s.children.clone();
            c.sort_by(|&a, &b| {
                let (x, y) = (&sections[a], &sections[b]);
                (x.front.weight, &x.title).cmp(&(y.front.weight, &y.title))
            });
            c
        })
        .collect();
    for (s, c) in sections.iter_mut().zip(order) {
        s.children = c;
    }
}

/// Claims the taxonomy indexes, term pages and stacks' own pages; a page already there is an
/// error naming it.
pub(super) fn claim_indexes(
    config: &SiteConfig,
    taxonomies: &[Taxonomy],
    claims: &mut Claims,
    pages: &[Page],
    sections: &[Section],
    diags: &mut Diagnostics,
) {
    let mut wanted: Vec<(String, Owner)> =
        vec![("404.html".into(), Owner::Builtin("the 404 page"))];
    if config.search {
        wanted.push(("search/".into(), Owner::Builtin("the search page")));
    }
    for (t, tax) in taxonomies.iter().enumerate() {
        wanted.push((format!("{}/", tax.slug), Owner::Taxonomy(t)));
        for (i, term) in tax.terms.iter().enumerate() {
            wanted.push((term.path.clone(), Owner::Term(t, i)));
        }
    }
    for (path, owner) in wanted {
        if let Err(holder) = claims.claim(&path, owner) {
            let file = match holder {
                Owner::Page(id) => Some(pages[id].file()),
                Owner::Section(id) => sections[id]
                    .rel
                    .as_ref()
                    .map(|r| Path::new(CONTENT_DIR).join(r)),
                _ => None,
            };
            let mut d = Diagnostic::error(
                Code::DuplicateUrl,
                format!(
                    "/{path} is {}, and also the URL of {}",
                    describe(owner, pages, sections),
                    describe(holder, pages, sections)
                ),
            )
            .hint("give the page another `url:` or `slug:`, or rename the taxonomy in site.yaml");
            if let Some(f) = file {
                d = d.in_file(f);
            }
            diags.push(d);
        }
    }
}

/// Decides where each content file is copied: beside the page or section that owns its folder.
pub(super) fn place_assets(
    assets: &[Asset],
    sections: &[Section],
    section_by_dir: &HashMap<String, SectionId>,
    pages: &[Page],
    bundle_dirs: &HashMap<String, PageId>,
) -> Vec<OutputAsset> {
    assets
        .iter()
        .map(|a| {
            let mut dir = parent_dir(&a.rel);
            let owner_path = loop {
                if let Some(&p) = bundle_dirs.get(dir) {
                    break pages[p].path.clone();
                }
                if let Some(&s) = section_by_dir.get(dir) {
                    break sections[s].path.clone();
                }
                if dir.is_empty() {
                    break String::new();
                }
                dir = parent_dir(dir);
            };
            // A page written as a file (`x.html`) has no folder of its own: its files go beside.
            let owner_path = match owner_path.rsplit_once('/') {
                Some((folder, file)) if !file.is_empty() => format!("{folder}/"),
                None if !owner_path.is_empty() => String::new(),
                _ => owner_path,
            };
            let rest = a.rel[dir.len()..].trim_start_matches('/');
            OutputAsset {
                rel: a.rel.clone(),
                from: a.path.clone(),
                path: format!("{owner_path}{rest}"),
            }
        })
        .collect()
}
