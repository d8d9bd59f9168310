//! Words as the related-reading index sees them: lower-cased, English stop words dropped,
//! reduced to their stem ("scorecards" and "scorecard" are one term).
//!
//! Terms are counted while the markdown is parsed, in parallel across documents, so the
//! whole-site analysis only has to combine small per-document lists.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::LazyLock;

/// How many of a body's most frequent terms a document keeps. Bounded so that a library of
/// 100,000 articles stays small in memory; the tail adds little to similarity.
pub(crate) const KEPT_BODY_TERMS: usize = 48;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common in English to say what a text is about.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even",
    "every", "few", "for", "from", "further", "get", "gets", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "let", "like", "made", "make", "makes", "many", "may", "me", "might", "more",
    "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "often", "on", "once",
    "one", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "say",
    "says", "she", "should", "so", "some", "still", "such", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "two", "under", "until", "up", "us", "use", "used", "uses", "using", "very", "was", "way",
    "we", "well", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "without", "would", "yet", "you", "your", "yours",
];

/// Looked up once per word of every article: a fast hash beats a binary search of strings.
static STOP_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

fn is_stop_word(w: &str) -> bool {
    STOP_SET.contains(w)
}

thread_local! {
    /// Stems already computed on this thread: a library repeats its vocabulary endlessly.
    static STEMS: RefCell<HashMap<String, Box<str>>> = RefCell::new(HashMap::default());
}

/// Calls `f` with every content word of `text`, lower-cased, stop words dropped, not stemmed.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.len() < 2 || raw.len() > 40 || raw.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        word.clear();
        if raw.is_ascii() {
            word.push_str(raw);
            word.make_ascii_lowercase();
        } else {
            word.extend(raw.chars().flat_map(char::to_lowercase));
        }
        if !is_stop_word(&word) {
            f(&word);
        }
    }
}

/// The stem of a lower-cased word, through this thread's cache.
fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    STEMS.with_borrow_mut(|stems| {
        if let Some(stem) = stems.get(word) {
            return f(stem);
        }
        let stem: Box<str> = STEMMER.stem(word).into();
        let out = f(&stem);
        if stems.len() < 200_000 {
            stems.insert(word.to_string(), stem);
        }
        out
    })
}

/// Calls `f` with the stem of every content word of `text`.
pub(crate) fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |w| with_stem(w, &mut f));
}

/// Extra weight of terms in the parts of an article that say what it is about.
const TITLE_WEIGHT: u32 = 4;
const SUMMARY_WEIGHT: u32 = 2;
const HEADING_WEIGHT: u32 = 2;

/// What an article says it is about: the title, description and answer a page shows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct About<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) answer: Option<&'a str>,
}

impl About<'_> {
    /// A key of these texts: terms made from them are reused only for a page that shows the
    /// same (the site model may give a page another title or description than its file).
    pub(crate) fn key(&self) -> [u8; 16] {
        let mut h = blake3::Hasher::new();
        for part in [Some(self.title), self.description, self.answer] {
            match part {
                Some(text) => {
                    h.update(&[1]);
                    h.update(&(text.len() as u64).to_le_bytes());
                    h.update(text.as_bytes());
                }
                None => {
                    h.update(&[0]);
                }
            }
        }
        crate::output::fingerprint_of(&h.finalize())
    }

    /// The terms of these texts and of `headings`, weighted by where they stand (a word of the
    /// title counts four times, of the description, answer or a heading twice).
    pub(crate) fn terms<'h>(&self, headings: impl Iterator<Item = &'h str>) -> Weighted {
        let mut counts: HashMap<Box<str>, u32> = HashMap::default();
        let mut add = |text: &str, weight: u32| {
            for_each_term(text, |t| match counts.get_mut(t) {
                Some(n) => *n += weight,
                None => {
                    counts.insert(t.into(), weight);
                }
            });
        };
        add(self.title, TITLE_WEIGHT);
        for text in [self.description, self.answer].into_iter().flatten() {
            add(text, SUMMARY_WEIGHT);
        }
        for h in headings {
            add(h, HEADING_WEIGHT);
        }
        Weighted::new(counts.into_iter().collect())
    }
}

/// Terms with their weighted counts, sorted by term, in one string: kept with every parse for
/// the whole build, where a string per term would take three times the room.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Weighted {
    /// The terms, one per line (a term is letters and digits only).
    text: Box<str>,
    counts: Box<[u32]>,
}

impl Weighted {
    /// The terms of `all`, put in term order.
    fn new(mut all: Vec<(Box<str>, u32)>) -> Self {
        all.sort_unstable();
        Self {
            text: all
                .iter()
                .map(|(t, _)| &**t)
                .collect::<Vec<_>>()
                .join("\n")
                .into(),
            counts: all.iter().map(|&(_, c)| c).collect(),
        }
    }

    /// How many terms there are.
    pub(crate) fn len(&self) -> usize {
        self.counts.len()
    }

    /// Each term with its count, in term order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.text.split('\n').zip(self.counts.iter().copied())
    }
}

/// Counts terms of a document's body as it is parsed. Words are counted as written and
/// stemmed once each at the end, so a long body stems its vocabulary, not every word.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    words: HashMap<String, u32>,
}

impl Counter {
    /// Counts the terms of `text`.
    pub(crate) fn add(&mut self, text: &str) {
        for_each_word(text, |w| {
            if let Some(n) = self.words.get_mut(w) {
                *n += 1;
            } else {
                self.words.insert(w.to_string(), 1);
            }
        });
    }

    /// The most frequent terms with their counts, at most [`KEPT_BODY_TERMS`] (ties broken by
    /// the term so the result is stable).
    pub(crate) fn top(self) -> Weighted {
        let mut counts: HashMap<Box<str>, u32> =
            HashMap::with_capacity_and_hasher(self.words.len(), Default::default());
        for (word, n) in self.words {
            with_stem(&word, |stem| match counts.get_mut(stem) {
                Some(c) => *c += n,
                None => {
                    counts.insert(stem.into(), n);
                }
            });
        }
        let mut all: Vec<(Box<str>, u32)> = counts.into_iter().collect();
        let by_count = |a: &(Box<str>, u32), b: &(Box<str>, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if all.len() > KEPT_BODY_TERMS {
            all.select_nth_unstable_by(KEPT_BODY_TERMS, by_count);
            all.truncate(KEPT_BODY_TERMS);
        }
        Weighted::new(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stems_and_drops_stop_words() {
        let mut c = Counter::default();
        c.add("The scorecards and the Scorecard: forecasting forecasts, 2026.");
        let top = c.top();
        let all: Vec<(&str, u32)> = top.iter().collect();
        assert_eq!(all, [("forecast", 2), ("scorecard", 2)]);
    }

    #[test]
    fn a_body_keeps_its_most_frequent_terms() {
        let mut c = Counter::default();
        let words: Vec<String> = (0..KEPT_BODY_TERMS + 10)
            .map(|i| format!("word{}", char::from(b'a' + (i % 26) as u8)).repeat(i / 26 + 1))
            .collect();
        c.add(&words.join(" "));
        c.add("pipeline pipeline pipeline");
        let top = c.top();
        assert_eq!(top.len(), KEPT_BODY_TERMS);
        assert!(top.iter().any(|t| t == ("pipelin", 3)));
        assert!(top.iter().map(|(t, _)| t).is_sorted(), "in term order");
    }

    #[test]
    fn what_an_article_is_about_weighs_by_where_it_stands() {
        let about = About {
            title: "Sales scorecards",
            description: Some("A scorecard for pipeline reviews"),
            answer: None,
        };
        let terms = about.terms(["Pipeline hygiene"].into_iter());
        let all: Vec<(&str, u32)> = terms.iter().collect();
        assert_eq!(
            all,
            [
                ("hygien", 2),
                ("pipelin", 4),
                ("review", 2),
                ("sale", 4),
                ("scorecard", 6)
            ],
            "title 4, description and headings 2, in term order"
        );
        let none = About {
            title: "",
            description: None,
            answer: None,
        }
        .terms(std::iter::empty());
        assert_eq!(none.iter().count(), 0, "no terms from nothing");
        let other = About {
            description: Some("Another"),
            ..about
        };
        assert_ne!(
            about.key(),
            other.key(),
            "the key changes with the description"
        );
        let moved = About {
            description: None,
            answer: Some("A scorecard for pipeline reviews"),
            ..about
        };
        assert_ne!(about.key(), moved.key(), "and with which text says what");
    }
}
