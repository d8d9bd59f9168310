//! What an article offers its reader beyond its own text: bylines that lead to the authors'
//! profiles, the previous and next article of its collection, the call to action, the
//! feedback links and the answer set with the same punctuation as the body.

use super::context::{PageRef, Views};
use crate::config::{AuthorProfile, fill_pattern};
use crate::model::{Page, PageId};
use crate::parse::front_matter::Cta;
use serde::Serialize;
use std::sync::Arc;

/// Where author profiles are written, under the site's base path.
pub(crate) const AUTHORS_DIR: &str = "authors";

/// The template of an author's profile page; without it a site has no author pages.
pub(crate) const AUTHOR_TEMPLATE: &str = "author.html";

/// An author as a byline shows them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Byline {
    /// The name.
    pub name: String,
    /// Their profile page, when they have one.
    pub url: Option<String>,
}

/// The links at the end of an article.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Feedback {
    /// "Was this helpful?"
    pub helpful_url: Option<String>,
    /// "Suggest a change".
    pub edit_url: Option<String>,
}

/// The slug of an author's profile: `slug:`, else the name as a URL segment.
pub(crate) fn author_slug(profile: &AuthorProfile) -> String {
    profile
        .slug
        .clone()
        .unwrap_or_else(|| crate::model::urlize(&profile.name))
}

impl<'a> Views<'a> {
    /// The names on page `p`'s byline: its own authors, else the site's.
    pub(crate) fn author_names<'p>(&self, p: &'p Page) -> &'p [String]
    where
        'a: 'p,
    {
        if p.front.authors.is_empty() {
            self.site.config.author.as_slice()
        } else {
            &p.front.authors
        }
    }

    /// The profile page of the author called `name`, when the site has author pages.
    pub(crate) fn author_url(&self, name: &str) -> Option<String> {
        if !self.author_pages {
            return None;
        }
        let wanted = crate::model::urlize(name);
        let profile = self
            .site
            .config
            .authors
            .iter()
            .find(|a| crate::model::urlize(&a.name) == wanted)?;
        let slug = author_slug(profile);
        Some(self.site.base.path_to(&format!("{AUTHORS_DIR}/{slug}/")))
    }

    /// Page `p`'s byline, each author linked to their profile where they have one.
    pub(crate) fn bylines(&self, p: &Page) -> Vec<Byline> {
        self.author_names(p)
            .iter()
            .map(|name| Byline {
                url: self.author_url(name),
                name: name.clone(),
            })
            .collect()
    }

    /// The articles before and after `id` in its collection, in the collection's order.
    pub(crate) fn neighbours(&self, id: PageId) -> (Option<Arc<PageRef>>, Option<Arc<PageRef>>) {
        let site = self.site;
        let all = self.neighbour_ids.get_or_init(|| {
            let mut all = vec![(None, None); site.pages.len()];
            for sid in site.section_ids() {
                let siblings: Vec<PageId> = site.sections[sid]
                    .pages
                    .iter()
                    .copied()
                    .filter(|&s| site.pages[s].is_article() && site.pages[s].redirect.is_none())
                    .collect();
                // A page's neighbours are those in its own section's list.
                for (at, &s) in siblings.iter().enumerate() {
                    if site.pages[s].section == sid {
                        let prev = at.checked_sub(1).map(|i| siblings[i]);
                        all[s.0] = (prev, siblings.get(at + 1).copied());
                    }
                }
            }
            all
        });
        if !site.pages[id].is_article() {
            return (None, None);
        }
        let (prev, next) = all[id.0];
        (
            prev.map(|p| self.page_ref(p)),
            next.map(|n| self.page_ref(n)),
        )
    }

    /// The call to action under page `p`: its own, else the site's, unless it says `cta:
    /// false`; standalone pages show only their own.
    pub(crate) fn cta(&self, p: &Page) -> Option<Cta> {
        if p.front.no_cta {
            return None;
        }
        if p.front.cta.is_some() || !p.is_article() {
            return p.front.cta.clone();
        }
        let site = self.site.config.cta.as_ref()?;
        Some(Cta {
            label: site.label.clone(),
            url: site.url.clone(),
            text: site.text.clone(),
        })
    }

    /// The feedback links of page `p`, from `site.yaml`'s patterns.
    pub(crate) fn feedback(&self, p: &Page) -> Feedback {
        let config = &self.site.config.feedback;
        let path = p.file().to_string_lossy().replace('\\', "/");
        let fill = |pattern: &Option<String>| {
            pattern
                .as_deref()
                .map(|pat| fill_pattern(pat, &p.permalink, &path, &p.title))
        };
        if !p.is_article() {
            return Feedback::default();
        }
        Feedback {
            helpful_url: fill(&config.helpful_url),
            edit_url: fill(&config.edit_url),
        }
    }

    /// `text` with curly quotes, dashes and ellipses, as the body has them, when the site
    /// asks for smart punctuation.
    pub(crate) fn smart(&self, text: &str) -> String {
        if !self.site.config.markdown.smart_punctuation {
            return text.to_string();
        }
        smart_text(text)
    }
}

/// Plain `text` with smart punctuation: read as one markdown paragraph, keeping only its text
/// (markup in an answer is not rendered, as before).
fn smart_text(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(pulldown_cmark::TagEnd::Paragraph) if !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_get_curly_quotes_and_dashes() {
        assert_eq!(
            super::smart_text("It's the \"right\" call -- mostly..."),
            "It\u{2019}s the \u{201c}right\u{201d} call \u{2013} mostly\u{2026}"
        );
        assert_eq!(super::smart_text("Two\nlines"), "Two lines");
    }
}
