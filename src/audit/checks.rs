//! The catalog: every check the audit runs, with a stable id, a one-line title, why it matters
//! and how to fix a failure. `stacks check --explain <id>` prints an entry; the README lists them.
//!
//! Ids are part of the interface (site.yaml's `audit.disable`, JSON output, CI scripts), so an id
//! never changes once published; a check that changes meaning gets a new id.

use super::{Verdict, editorial, machine};
use serde::Serialize;

/// Who a check serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The reader: read from the article's front matter, body and place in the link graph.
    Editorial,
    /// Search and answer engines: read from the rendered page and the site's machine files.
    Machine,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Editorial => "editorial",
            Kind::Machine => "machine",
        })
    }
}

/// How a check is run: on what the author wrote, or on what was rendered. The catalog entry
/// carries its function, so an id and its implementation can never part.
#[derive(Clone, Copy)]
pub(super) enum Runner {
    /// Reads the model and the analysis.
    Editorial(fn(&editorial::Article) -> Verdict),
    /// Reads the rendered page and the site's machine files.
    Machine(fn(&machine::Article) -> Verdict),
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Runner::Editorial(_) => "Editorial(..)",
            Runner::Machine(_) => "Machine(..)",
        })
    }
}

/// One entry of the catalog.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Check {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Editorial or machine.
    pub kind: Kind,
    /// What passing means, in one line.
    pub title: &'static str,
    /// Why a reader or a machine is better served when it passes.
    pub why: &'static str,
    /// What to change when it fails.
    pub fix: &'static str,
    /// The check itself.
    #[serde(skip)]
    pub(super) run: Runner,
}

/// The words of a catalog entry: id, title, why, fix.
type Words = [&'static str; 4];

const fn editorial([id, title, why, fix]: Words, run: fn(&editorial::Article) -> Verdict) -> Check {
    Check {
        id,
        kind: Kind::Editorial,
        title,
        why,
        fix,
        run: Runner::Editorial(run),
    }
}

const fn machine([id, title, why, fix]: Words, run: fn(&machine::Article) -> Verdict) -> Check {
    Check {
        id,
        kind: Kind::Machine,
        title,
        why,
        fix,
        run: Runner::Machine(run),
    }
}

/// Every check, editorial first, in the order reports list them.
pub const CATALOG: [Check; 24] = [
    editorial(
        [
            "title-length",
            "Title is a question or at most 70 characters",
            "Search results cut titles at about 70 characters, and a title phrased as the reader's question is the one answer engines match against.",
            "Shorten `title:` to 70 characters or fewer, or phrase it as the question the article answers (ending in `?`).",
        ],
        editorial::title_length,
    ),
    editorial(
        [
            "description-length",
            "Description is 50–160 characters",
            "The description is the snippet under the title in search results and link previews; shorter says too little, longer is cut off.",
            "Write `description:` as one sentence of 50 to 160 characters that says what the reader will learn.",
        ],
        editorial::description_length,
    ),
    editorial(
        [
            "direct-answer",
            "Direct answer present, 40–120 words",
            "Readers and answer engines take the first complete answer they find; a short, self-contained answer at the top is the part most often quoted.",
            "Add `answer:` to the front matter: the answer in 40 to 120 words, readable without the rest of the article.",
        ],
        editorial::direct_answer,
    ),
    editorial(
        [
            "answer-not-repeated",
            "Opening paragraph goes on from the direct answer",
            "The direct answer sits right above the body; an opening that says it again makes every reader read the same thing twice before learning anything new.",
            "Rewrite the first paragraph to start where the answer stops: the context, the why, or what the rest of the article covers.",
        ],
        editorial::answer_not_repeated,
    ),
    editorial(
        [
            "h2-sections",
            "At least 4 H2 sections",
            "Sections give the table of contents, anchors to link to, and passages that search engines can surface on their own.",
            "Break the body into at least four `## ` sections, each answering one part of the question.",
        ],
        editorial::h2_sections,
    ),
    editorial(
        [
            "word-count",
            "At least 700 words",
            "A library answer earns its place by covering the question fully: the how, the exceptions and an example, not only the headline.",
            "Expand the body to 700 words or more (code blocks do not count): add a worked example, the common mistakes, or when the advice does not apply.",
        ],
        editorial::word_count,
    ),
    editorial(
        [
            "faq-entries",
            "At least 3 FAQ entries",
            "Follow-up questions catch the reader's next doubt and become schema.org FAQPage data that answer engines read.",
            "Add `faq:` with three or more `q:`/`a:` pairs: the questions clients actually ask after reading.",
        ],
        editorial::faq_entries,
    ),
    editorial(
        [
            "sources",
            "At least one source with a URL",
            "A source lets the reader check the claim and tells engines the article is grounded in something outside itself.",
            "Add `sources:` with at least one entry that has a `title:` and a `url:`.",
        ],
        editorial::sources,
    ),
    editorial(
        [
            "diagram-or-table",
            "At least one diagram or table",
            "A diagram or a table shows structure that prose hides, and is what a skimming reader stops at.",
            "Add a ```` ```mermaid ```` diagram of the process or a markdown table comparing the options.",
        ],
        editorial::diagram_or_table,
    ),
    editorial(
        [
            "tag-count",
            "3–6 tags",
            "Tags gather related articles on tag pages and feed related reading; one or two leave the article isolated, many blur what it is about.",
            "List three to six `tags:`, reusing tags other articles already carry.",
        ],
        editorial::tag_count,
    ),
    editorial(
        [
            "links-out",
            "Links to at least 2 other articles",
            "Links to other articles send the reader to the next answer they need and tie the library together for crawlers.",
            "Link to two or more other articles, by relative path to the .md file or with `[[slug]]`.",
        ],
        editorial::links_out,
    ),
    editorial(
        [
            "backlinks-in",
            "Linked from at least 1 other article",
            "An article nothing links to is found only through search; a link from a related article brings readers and tells crawlers it matters.",
            "Link to this article from at least one related article (its \"Referenced by\" list then names that article).",
        ],
        editorial::backlinks_in,
    ),
    editorial(
        [
            "no-broken-links",
            "No broken internal link or anchor",
            "A link that leads nowhere loses the reader mid-thought and signals a neglected page.",
            "Run `stacks check`: each broken link is a warning with its file, line and the closest existing target.",
        ],
        editorial::no_broken_links,
    ),
    editorial(
        [
            "fresh",
            "Updated (or published) within audit.max_age_days",
            "Advice ages; a recent `updated` date tells readers and engines someone still stands behind it.",
            "Review the article, then set `updated:` to the date of the review (or raise `audit.max_age_days` in site.yaml).",
        ],
        editorial::fresh,
    ),
    machine(
        [
            "jsonld-article",
            "Valid JSON-LD Article",
            "schema.org Article data gives search and answer engines the headline, dates and author without guessing from the layout.",
            "Keep the theme's `{% for block in page.json_ld %}` script loop in article.html; every block must be valid JSON.",
        ],
        machine::jsonld_article_check,
    ),
    machine(
        [
            "jsonld-faq",
            "FAQPage JSON-LD present when the article has FAQ",
            "FAQPage data lets engines show the questions and answers directly and attribute them to the article.",
            "Keep the theme's JSON-LD loop in article.html: stacks adds the FAQPage block when the front matter has `faq:`.",
        ],
        machine::jsonld_faq_check,
    ),
    machine(
        [
            "canonical",
            "Canonical URL is the article's absolute URL",
            "The canonical link tells engines which address to credit when the page is reachable by several, such as aliases or a sub-path.",
            "Set `base_url` in site.yaml to the full address (https://host/path/), and keep `<link rel=\"canonical\">` in base.html.",
        ],
        machine::canonical,
    ),
    machine(
        [
            "open-graph",
            "Open Graph title and description",
            "Chat apps and social networks build the link preview from og:title and og:description; without them they guess.",
            "Keep the `og:title` and `og:description` meta tags in base.html, and give the article a description.",
        ],
        machine::open_graph,
    ),
    machine(
        [
            "heading-outline",
            "Exactly one H1 and no skipped heading levels",
            "Screen-reader users and engines navigate by the heading outline; a second H1 or a jump from H2 to H4 breaks it.",
            "Use `#` only for the title (front matter `title:` already makes it the H1); nest sections as `##`, then `###`.",
        ],
        machine::heading_outline_check,
    ),
    machine(
        [
            "image-alt",
            "Every image has alt text",
            "Alt text is what screen readers say and what engines index; an image without it is invisible to both.",
            "Describe each image in its markdown: `![what the image shows](file.png)`.",
        ],
        machine::image_alt,
    ),
    machine(
        [
            "link-text",
            "No vague link text such as \"click here\" or \"read more\"",
            "Link text is read out of context by screen readers and used by engines to understand the target; \"here\" says nothing.",
            "Make the link text name its target: \"see [how to define pipeline stages](pipeline-stages.md)\".",
        ],
        machine::link_text,
    ),
    machine(
        [
            "lang",
            "Page language set",
            "The `lang` attribute picks the screen reader's voice and pronunciation, and tells engines which audience to serve.",
            "Set `language:` in site.yaml (e.g. `en`) and keep `<html lang=\"{{ site.language }}\">` in base.html.",
        ],
        machine::lang,
    ),
    machine(
        [
            "in-sitemap",
            "Listed in sitemap.xml",
            "The sitemap is how crawlers learn about every page and when it changed.",
            "Keep the theme's sitemap.xml template listing every article; do not replace it with a hand-written list.",
        ],
        machine::in_sitemap,
    ),
    machine(
        [
            "in-llms-txt",
            "Listed in llms.txt",
            "llms.txt is the index language models read to find a site's content; an article missing from it is skipped.",
            "Remove a hand-written static/llms.txt so stacks writes the complete one, or add the article to it.",
        ],
        machine::in_llms_txt,
    ),
];

/// The entry with this id.
pub fn find(id: &str) -> Option<&'static Check> {
    CATALOG.iter().find(|c| c.id == id)
}

/// The id closest to `wanted`, for "did you mean" hints.
pub fn closest_id(wanted: &str) -> Option<&'static str> {
    crate::diagnostics::closest(wanted, CATALOG.iter().map(|c| c.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_split_14_10() {
        let mut ids: Vec<&str> = CATALOG.iter().map(|c| c.id).collect();
        assert!(ids.iter().all(|id| {
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CATALOG.len());
        let editorial = CATALOG.iter().filter(|c| c.kind == Kind::Editorial).count();
        assert_eq!((editorial, CATALOG.len() - editorial), (14, 10));
    }

    #[test]
    fn a_misspelt_id_finds_the_real_one() {
        assert_eq!(closest_id("title-lenght"), Some("title-length"));
        assert_eq!(find("fresh").map(|c| c.kind), Some(Kind::Editorial));
    }
}
