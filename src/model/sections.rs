//! Which files are sections, and where each section goes.

use super::urls::{self, Claims, Owner};
use super::{
    Cascades, Kind, Section, SectionId, describe, pages::bad_path, pages::prepare_front, parent_dir,
};
use crate::config::{BaseUrl, SiteConfig};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::{CONTENT_DIR, DocumentKind};
use crate::parse::ParsedDocument;
use crate::parse::front_matter::{FrontMatter, Listing, Render};
use crate::parse::markdown::Body;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Which documents are sections: every `_index.md`, an `index.md` at the top of `content/`
/// when there is no `_index.md` there, and an `index.md` whose folder holds other pages (a
/// folder's page in Eleventy, Jekyll and GitHub-style handbooks). Other `index.md` files are
/// articles whose folder holds their images and files.
pub(super) fn section_dirs(
    docs: &[Arc<ParsedDocument>],
    diags: &mut Diagnostics,
) -> HashMap<String, usize> {
    let mut below: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        let mut dir = parent_dir(&d.rel);
        loop {
            *below.entry(dir).or_default() += 1;
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
    }
    let mut out: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.kind == DocumentKind::Section {
            out.insert(parent_dir(&d.rel).to_string(), i);
        }
    }
    for (i, d) in docs.iter().enumerate() {
        let dir = match d.rel.strip_suffix("index.md") {
            Some("") => "",
            Some(dir) if dir.ends_with('/') => dir.trim_end_matches('/'),
            _ => continue,
        };
        if d.kind == DocumentKind::Section {
            continue;
        }
        if let Some(&other) = out.get(dir) {
            if docs[other].kind == DocumentKind::Section {
                diags.push(
                    Diagnostic::error(
                        Code::Layout,
                        "a folder cannot hold both `index.md` and `_index.md`",
                    )
                    .in_file(d.display_path())
                    .hint("rename index.md to give the article its own name, or remove _index.md"),
                );
            }
            continue;
        }
        if dir.is_empty() || below.get(dir).copied().unwrap_or(0) > 1 {
            out.insert(dir.to_string(), i);
        }
    }
    out
}

/// The folder a section document stands for.
pub(super) fn parent_dir_of_section(rel: &str) -> &str {
    if rel == "index.md" || rel == "_index.md" {
        ""
    } else {
        parent_dir(rel)
    }
}

/// The sections, home first and shallowest first, with their front matter, URLs and titles.
pub(super) fn make_sections(
    config: &SiteConfig,
    base: &BaseUrl,
    docs: &[Arc<ParsedDocument>],
    cascades: &Cascades,
    claims: &mut Claims,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(docs.len() + 1);
    let has_home = docs
        .iter()
        .any(|d| parent_dir_of_section(&d.rel).is_empty());
    let mut all: Vec<(String, Option<&Arc<ParsedDocument>>)> = Vec::new();
    if !has_home {
        all.push((String::new(), None));
    }
    all.extend(
        docs.iter()
            .map(|d| (parent_dir_of_section(&d.rel).to_string(), Some(d))),
    );
    for (dir, doc) in all {
        let section = new_section(config, base, (dir, doc), cascades, diags);
        let id = SectionId(sections.len());
        if let Err(owner) = claims.claim(&section.path, Owner::Section(id)) {
            let file = section_file(&section);
            diags.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "two sections would be written to the same URL /{}: {} and {}",
                        section.path,
                        describe(owner, &[], &sections),
                        file.display()
                    ),
                )
                .in_file(&file)
                .hint("give one of them another `slug:` or `url:`"),
            );
        }
        sections.push(section);
    }
    sections
}

/// The file a section is read from (or would be, when it has none).
fn section_file(s: &Section) -> std::path::PathBuf {
    let rel = s
        .rel
        .clone()
        .unwrap_or_else(|| format!("{}/_index.md", s.dir));
    Path::new(CONTENT_DIR).join(rel)
}

/// The section of folder `dir`, from its document when it has one: its front matter with what
/// cascades, its title (front matter, first heading, folder name; the site's for home) and URL.
fn new_section(
    config: &SiteConfig,
    base: &BaseUrl,
    (dir, doc): (String, Option<&Arc<ParsedDocument>>),
    cascades: &Cascades,
    diags: &mut Diagnostics,
) -> Section {
    let rel = doc.map_or_else(|| format!("{dir}/_index.md"), |d| d.rel.clone());
    let kind = if dir.is_empty() {
        Kind::Home
    } else {
        Kind::Section
    };
    let own = doc.map(|d| d.front.clone()).unwrap_or_default();
    let front = prepare_front(cascades, &rel, kind, &own);
    let body = doc.map_or_else(|| Arc::new(Body::default()), |d| Arc::clone(&d.body));
    let title = match (&front.title, &body.first_h1) {
        (Some(t), _) => t.clone(),
        (None, Some(h1)) => h1.clone(),
        (None, None) if dir.is_empty() => config.title.clone(),
        (None, None) => dir
            .rsplit('/')
            .next()
            .unwrap_or(&dir)
            .replace(['-', '_'], " "),
    };
    let path = if dir.is_empty() {
        String::new()
    } else {
        section_path(&dir, &front).unwrap_or_else(|e| {
            diags.push(e.in_file(Path::new(CONTENT_DIR).join(&rel)));
            urls::urlize_path(&dir)
        })
    };
    Section {
        depth: dir.split('/').filter(|s| !s.is_empty()).count(),
        url: base.path_to(&path),
        permalink: base.absolute(&path),
        path,
        title,
        rendered: front.build.render != Some(Render::Never),
        listed: front.build.list != Some(Listing::Never),
        front,
        body,
        rel: doc.map(|d| d.rel.clone()),
        parent: None,
        children: Vec::new(),
        pages: Vec::new(),
        dir,
    }
}

/// A section's output path: its folders, or its `url:` / `permalink:`; `slug:` renames the
/// last folder.
pub(super) fn section_path(dir: &str, front: &FrontMatter) -> Result<String, Diagnostic> {
    if let Some((key, written)) = front
        .url
        .as_deref()
        .map(|u| ("url", u))
        .or(front.permalink.as_deref().map(|p| ("permalink", p)))
    {
        return urls::site_path(written).map_err(|why| bad_path(key, written, why, front));
    }
    let mut path = urls::urlize_path(dir);
    if let Some(slug) = &front.slug {
        let parent = urls::urlize_path(parent_dir(dir));
        path = format!("{parent}{}", urls::urlize_path(slug));
    }
    Ok(path)
}

/// Which section holds each folder.
pub(super) struct SectionTree {
    pub(super) by_dir: HashMap<String, SectionId>,
}

impl SectionTree {
    /// Indexes `sections` by folder and sets each one's parent.
    pub(super) fn link(sections: &mut [Section]) -> Self {
        let tree = Self {
            by_dir: sections
                .iter()
                .enumerate()
                .map(|(id, s)| (s.dir.clone(), SectionId(id)))
                .collect(),
        };
        for s in sections.iter_mut().skip(1) {
            s.parent = Some(tree.nearest(parent_dir(&s.dir)));
        }
        tree
    }

    /// The section of folder `dir`: its own, else the nearest above, else the home page.
    pub(super) fn nearest(&self, dir: &str) -> SectionId {
        let mut d = dir;
        loop {
            if let Some(&id) = self.by_dir.get(d) {
                return id;
            }
            if d.is_empty() {
                return SectionId::HOME;
            }
            d = parent_dir(d);
        }
    }
}
