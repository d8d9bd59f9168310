//! Pages that list articles across the site: each author's profile with their articles, and
//! every article by library and collection (the home page links to it). Each is written only
//! when the theme has its template and no page of the site is at its address.

use super::Engine;
use super::Prepared;
use super::context::{PageRef, Views};
use super::pages::{PageJob, meta};
use super::reader::{AUTHOR_TEMPLATE, AUTHORS_DIR, author_slug};
use super::vars::Vars;
use crate::config::ProfileLink;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use serde::Serialize;
use std::sync::Arc;

/// The template of the page that lists every article.
pub(super) const ALL_ARTICLES_TEMPLATE: &str = "articles.html";
/// Where that page is written.
pub(super) const ALL_ARTICLES_PATH: &str = "articles/";

/// An author's profile, as `author.html` sees it.
#[derive(Serialize)]
struct AuthorView<'a> {
    name: &'a str,
    slug: String,
    role: Option<&'a str>,
    bio: Option<&'a str>,
    photo: Option<String>,
    links: &'a [ProfileLink],
}

/// A library or collection and the articles directly in it, for the list of every article.
#[derive(Serialize)]
struct Group {
    title: String,
    url: String,
    /// `library · collection` above it.
    trail: String,
    /// Nesting below the home page: 1 for a library.
    depth: usize,
    pages: Vec<Arc<PageRef>>,
}

fn taken(site: &Site, path: &str) -> bool {
    site.pages.iter().any(|p| p.path == path) || site.sections.iter().any(|s| s.path == path)
}

/// The listing pages this site gets.
pub(super) fn jobs(site: &Site, engine: &Engine) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    // A taxonomy named `authors` has its own pages at these addresses; bylines then lead there.
    let authors_taxonomy = site.taxonomies.iter().any(|t| t.slug == AUTHORS_DIR);
    if engine.has(AUTHOR_TEMPLATE) && !authors_taxonomy {
        jobs.extend(
            site.config
                .authors
                .iter()
                .enumerate()
                .filter(|(_, a)| !taken(site, &format!("{AUTHORS_DIR}/{}/", author_slug(a))))
                .map(|(i, _)| PageJob::Author(i)),
        );
    }
    if engine.has(ALL_ARTICLES_TEMPLATE) && !taken(site, ALL_ARTICLES_PATH) {
        jobs.push(PageJob::AllArticles);
    }
    jobs
}

/// Whether the site has the page of every article, for the home page's link to it.
pub(super) fn has_all_articles(site: &Site, engine: &Engine) -> bool {
    engine.has(ALL_ARTICLES_TEMPLATE) && !taken(site, ALL_ARTICLES_PATH)
}

/// The profile page of author `n`, with their articles, newest first.
pub(super) fn author(views: &Views, n: usize) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let profile = &site.config.authors[n];
    let slug = author_slug(profile);
    let path = format!("{AUTHORS_DIR}/{slug}/");
    let wanted = crate::model::urlize(&profile.name);
    let mut ids: Vec<_> = site
        .page_ids()
        .filter(|&id| {
            let p = &site.pages[id];
            p.is_article()
                && views
                    .author_names(p)
                    .iter()
                    .any(|a| crate::model::urlize(a) == wanted)
        })
        .collect();
    ids.sort_by(|&a, &b| site.pages[b].front.date.cmp(&site.pages[a].front.date));
    let pages: Vec<Arc<PageRef>> = ids.iter().map(|&id| views.page_ref(id)).collect();
    let description = profile.role.as_deref().map_or_else(
        || format!("Articles by {} in {}.", profile.name, site.config.title),
        |role| {
            format!(
                "{}, {role}: articles in {}.",
                profile.name, site.config.title
            )
        },
    );
    let title = format!("{} — {}", profile.name, site.config.title);
    let mut ctx = Vars::new(views);
    ctx.insert(
        "meta",
        &meta(views, (title, description), &path, "profile", None),
    );
    ctx.insert(
        "author",
        &AuthorView {
            name: &profile.name,
            slug,
            role: profile.role.as_deref(),
            bio: profile.bio.as_deref(),
            // A site path is written as the author wrote it, below the base path.
            photo: profile.photo.as_deref().map(|p| {
                if p.contains("://") {
                    p.to_string()
                } else {
                    site.base.path_to(p.trim_start_matches('/'))
                }
            }),
            links: &profile.links,
        },
    );
    ctx.insert("pages", &pages);
    Ok(Prepared {
        template: AUTHOR_TEMPLATE.into(),
        path: format!("{path}index.html"),
        label: format!("the profile of {}", profile.name),
        ctx,
    })
}

/// Every article, grouped by the library or collection that holds it, in the site's order.
pub(super) fn all_articles(views: &Views) -> Result<Prepared, Diagnostic> {
    let site = views.site;
    let groups: Vec<Group> = site
        .section_ids()
        .skip(1)
        .filter_map(|id| {
            let s = &site.sections[id];
            let pages: Vec<Arc<PageRef>> = s
                .pages
                .iter()
                .filter(|&&p| site.pages[p].is_article())
                .map(|&p| views.page_ref(p))
                .collect();
            (!pages.is_empty()).then(|| Group {
                title: s.title.clone(),
                url: s.url.clone(),
                trail: pages[0].trail.clone(),
                depth: s.depth,
                pages,
            })
        })
        .collect();
    let count: usize = groups.iter().map(|g| g.pages.len()).sum();
    let title = format!("All articles — {}", site.config.title);
    let description = format!(
        "Every article in {}, by library and collection.",
        site.config.title
    );
    let mut ctx = Vars::new(views);
    ctx.insert(
        "meta",
        &meta(
            views,
            (title, description),
            ALL_ARTICLES_PATH,
            "website",
            None,
        ),
    );
    ctx.insert("groups", &groups);
    ctx.insert("count", &count);
    Ok(Prepared {
        template: ALL_ARTICLES_TEMPLATE.into(),
        path: format!("{ALL_ARTICLES_PATH}index.html"),
        label: "the list of every article".into(),
        ctx,
    })
}
