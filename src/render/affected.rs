//! Which outputs show an article, so that `serve` re-renders only those after the article's text
//! changes (its URL, title, dates and tags staying as they were).

use super::Job;
use super::feeds::{self, FeedJob};
use super::pages::PageJob;
use crate::analyze::{Analysis, Target};
use crate::model::{PageId, SectionId, Site};

/// An article whose text was edited in place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edited {
    /// The article.
    pub id: PageId,
    /// Whether what other pages show of it changed: its summary or reading time.
    pub card_changed: bool,
}

/// Every page and feed whose output can show the `edited` articles: the article itself and the
/// feeds that carry it in full; and when its card changed, also the home page, its sections,
/// the pages of its terms that list it, the articles that list it as related reading or as a
/// backlink, its authors' profiles, and every feed it appears in.
/// `listing` are the site's listing pages (see [`super::listing::jobs`]).
pub(super) fn jobs(
    site: &Site,
    analysis: &Analysis,
    edited: &[Edited],
    listing: &[PageJob],
) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut add = |job: Job| {
        if !jobs.contains(&job) {
            jobs.push(job);
        }
    };
    for e in edited {
        let id = e.id;
        add(Job::Page(PageJob::Article(id)));
        let mut feeds = vec![FeedJob::Site];
        let mut section = Some(site.pages[id].section);
        while let Some(s) = section.filter(|&s| s != SectionId::HOME) {
            if e.card_changed {
                add(Job::Page(PageJob::Section(s)));
            }
            if site.sections[s].depth == 1 {
                feeds.push(FeedJob::Library(s));
            }
            section = site.sections[s].parent;
        }
        for (t, tax) in site.taxonomies.iter().enumerate() {
            for (i, term) in tax.terms.iter().enumerate() {
                if let Some(pos) = term.pages.iter().position(|&p| p == id) {
                    feeds.push(FeedJob::Term(t, i));
                    if e.card_changed {
                        add(Job::Page(PageJob::Term(
                            t,
                            i,
                            pos / site.config.paginate_by + 1,
                        )));
                    }
                }
            }
        }
        for feed in feeds {
            if (e.card_changed || feeds::is_full(site, feed))
                && feeds::entries_of(site, feed).contains(&id)
            {
                add(Job::Feed(feed));
            }
        }
        if !e.card_changed {
            continue;
        }
        add(Job::Page(PageJob::Home));
        // Its backlink appears on every article it links to.
        for target in analysis.page_links[id].targets.iter().flatten() {
            if let Target::Page(to) = *target
                && to != id
            {
                add(Job::Page(PageJob::Article(to)));
            }
        }
    }
    let cards: Vec<PageId> = edited
        .iter()
        .filter(|e| e.card_changed)
        .map(|e| e.id)
        .collect();
    if !cards.is_empty() {
        // Authors' profiles list their articles with the same cards.
        for job in listing {
            if matches!(job, PageJob::Author(_)) {
                add(Job::Page(*job));
            }
        }
        for (other, lists) in analysis.related.iter() {
            let shows = |list: &[PageId]| cards.iter().any(|c| list.contains(c));
            if shows(&lists.library) || shows(&lists.collection) {
                add(Job::Page(PageJob::Article(other)));
            }
        }
    }
    jobs
}
