//! Editorial checks: read from the model (front matter, the parsed body) and the analysis (the
//! link graph), never from the rendered page, so they judge what the author wrote.

use super::Verdict;
use crate::analyze::{Analysis, Target};
use crate::model::{Page, PageId, Site};
use jiff::civil;
use std::collections::HashSet;

/// What the editorial checks of one article look at.
pub(super) struct Article<'a> {
    pub site: &'a Site,
    pub analysis: &'a Analysis,
    pub id: PageId,
    pub today: civil::Date,
    pub max_age_days: i64,
}

fn verdict(passed: bool, detail: String) -> Verdict {
    Verdict::new(passed, detail)
}

fn count_words(s: &str) -> usize {
    s.split_whitespace().count()
}

impl Article<'_> {
    fn page(&self) -> &Page {
        &self.site.pages[self.id]
    }
}

/// `title-length`.
pub(super) fn title_length(a: &Article) -> Verdict {
    let title = &a.page().title;
    let n = title.chars().count();
    let question = title.trim_end().ends_with('?');
    let shape = if question {
        "a question"
    } else {
        "not a question"
    };
    verdict(
        question || n <= 70,
        format!("title is {n} characters, {shape}"),
    )
}

/// `description-length`.
pub(super) fn description_length(a: &Article) -> Verdict {
    match a.page().front.description.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => {
            let n = d.chars().count();
            verdict((50..=160).contains(&n), format!("{n} characters"))
        }
        _ => verdict(false, "no `description:`".into()),
    }
}

/// `direct-answer`.
pub(super) fn direct_answer(a: &Article) -> Verdict {
    match a.page().front.answer.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            let n = count_words(text);
            verdict((40..=120).contains(&n), format!("{n} words"))
        }
        _ => verdict(false, "no `answer:`".into()),
    }
}

/// `h2-sections`.
pub(super) fn h2_sections(a: &Article) -> Verdict {
    let n = a
        .page()
        .body
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .count();
    verdict(n >= 4, format!("{n} H2 sections"))
}

/// `word-count`.
pub(super) fn word_count(a: &Article) -> Verdict {
    let n = a.page().body.word_count;
    verdict(n >= 700, format!("{n} words"))
}

/// `faq-entries`.
pub(super) fn faq_entries(a: &Article) -> Verdict {
    let n = a.page().front.faq.len();
    verdict(n >= 3, format!("{n} FAQ entries"))
}

/// `sources`.
pub(super) fn sources(a: &Article) -> Verdict {
    let sources = &a.page().front.sources;
    let n = sources.len();
    let linked = sources
        .iter()
        .filter(|s| s.url.as_deref().is_some_and(|u| !u.trim().is_empty()))
        .count();
    verdict(linked >= 1, format!("{n} sources, {linked} with a URL"))
}

/// `diagram-or-table`.
pub(super) fn diagram_or_table(a: &Article) -> Verdict {
    let body = &a.page().body;
    let table = if body.has_table {
        "a table"
    } else {
        "no table"
    };
    verdict(
        body.diagrams > 0 || body.has_table,
        format!("{} diagram(s), {table}", body.diagrams),
    )
}

/// `tag-count`.
pub(super) fn tag_count(a: &Article) -> Verdict {
    let distinct: HashSet<String> = a
        .page()
        .front
        .tags
        .iter()
        .map(|t| crate::model::urlize(t))
        .collect();
    let n = distinct.len();
    verdict((3..=6).contains(&n), format!("{n} tags"))
}

/// `links-out`.
pub(super) fn links_out(a: &Article) -> Verdict {
    let targets: HashSet<PageId> = a.analysis.page_links[a.id]
        .targets
        .iter()
        .filter_map(|t| match t {
            Some(Target::Page(p)) if *p != a.id => Some(*p),
            _ => None,
        })
        .collect();
    let n = targets.len();
    verdict(n >= 2, format!("links to {n} other article(s)"))
}

/// `backlinks-in`.
pub(super) fn backlinks_in(a: &Article) -> Verdict {
    let n = a.analysis.backlinks[a.id].len();
    verdict(n >= 1, format!("linked from {n} other article(s)"))
}

/// `no-broken-links`.
pub(super) fn no_broken_links(a: &Article) -> Verdict {
    let broken = &a.analysis.page_links[a.id].broken;
    if broken.is_empty() {
        return verdict(true, "every internal link resolves".into());
    }
    let named: Vec<String> = broken
        .iter()
        .filter_map(|&i| a.page().body.links.get(i))
        .map(|l| format!("`{}` (line {})", l.dest, l.line))
        .collect();
    verdict(
        false,
        format!("{} broken: {}", broken.len(), named.join(", ")),
    )
}

/// `fresh`.
pub(super) fn fresh(a: &Article) -> Verdict {
    match a.page().last_modified() {
        None => verdict(false, "no `updated:` or `date:`".into()),
        Some(d) => {
            let day = d.local.date();
            let age = day
                .until(a.today)
                .map(|s| i64::from(s.get_days()))
                .unwrap_or(i64::MAX);
            verdict(
                age <= a.max_age_days,
                format!(
                    "last changed {} ({age} days before {}; limit {})",
                    d.ymd(),
                    a.today,
                    a.max_age_days
                ),
            )
        }
    }
}

/// Share of the shorter text's word 3-grams that the other text has too, above which an
/// opening paragraph restates the direct answer. Measured on the sample library: openings that
/// go on from the answer share at most 1%; openings that restated it shared 15% to 73%.
const RESTATED: f64 = 0.15;

/// Lower-case words, curly apostrophes read as straight ones.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{2019}', "'").to_lowercase())
        .collect()
}

/// How much of the shorter of `a` and `b` the other repeats, by shared word 3-grams (0–1).
pub(super) fn overlap(a: &str, b: &str) -> f64 {
    let grams = |t: &str| -> HashSet<[String; 3]> {
        words(t)
            .windows(3)
            .map(|w| [w[0].clone(), w[1].clone(), w[2].clone()])
            .collect()
    };
    let (a, b) = (grams(a), grams(b));
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / shorter as f64
}

/// `answer-not-repeated`.
pub(super) fn answer_not_repeated(a: &Article) -> Verdict {
    let page = a.page();
    let (Some(answer), Some(opening)) = (
        page.front.answer.as_deref(),
        page.body.first_paragraph.as_deref(),
    ) else {
        return verdict(true, "no answer or no opening paragraph to compare".into());
    };
    let shared = overlap(answer, opening);
    verdict(
        shared < RESTATED,
        format!(
            "the opening shares {:.0}% of its word sequences with the answer (limit {:.0}%)",
            shared * 100.0,
            RESTATED * 100.0
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::overlap;

    #[test]
    fn a_copied_answer_overlaps_fully_and_a_new_opening_barely() {
        let answer = "Win rate is deals won divided by deals decided over a period.";
        assert!((overlap(answer, answer) - 1.0).abs() < 1e-9);
        let reworded = "Win rate is deals won divided by deals decided, counted by close date.";
        assert!(overlap(answer, reworded) > 0.5);
        let onward = "Most companies quote three different numbers, and the board notices.";
        assert!(overlap(answer, onward) < 0.05);
        assert_eq!(overlap(answer, "Too short"), 0.0);
    }
}
