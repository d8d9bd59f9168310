//! A deterministic generator of knowledge libraries, for benchmarks and quality tests.
//!
//! The corpus mirrors a consultancy's library: libraries of collections (some nested one level),
//! long articles with full front matter (answer, FAQ, sources), tables, lists, code, mermaid
//! diagrams and cross-links. Every article belongs to one of `clusters` topic clusters. Each
//! cluster has its own vocabulary of pronounceable pseudo-words and its own tags; articles mix in
//! words of one or two other clusters as noise, and draw only part of their tags from their own
//! cluster. Folders are assigned at random, so only the text and the tags give the cluster away.
//!
//! The same [`Options`] always write byte-identical files. The crate is shared by stacks' tests,
//! its examples (`gen_corpus`, `bench`, `latency`) and the benchmark, so that all of them build
//! the same libraries.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::Path;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of articles.
    pub articles: usize,
    /// Seed of every random choice; the same seed writes the same bytes.
    pub seed: u64,
    /// Number of topic clusters.
    pub clusters: usize,
    /// When not 0, the cross-links of every n-th article point at pages that do not exist, for
    /// measuring how a build copes with a library full of broken links.
    pub broken_every: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            articles: 1000,
            seed: 1,
            clusters: 20,
            broken_every: 0,
        }
    }
}

/// What was generated.
#[derive(Debug)]
pub struct Generated {
    /// Site-relative URL path of every article ("/lib-03/col-2/some-slug/") -> its topic cluster.
    pub cluster_of: HashMap<String, usize>,
    /// Total bytes of markdown written.
    pub bytes: u64,
}

/// Words per cluster vocabulary.
const CLUSTER_WORDS: usize = 80;
/// Tags per cluster.
const CLUSTER_TAGS: usize = 10;

// Pseudo-words are syllables (onset, vowel, optional coda) followed by a final onset and rhyme.
// Every rhyme is an ending no English stemmer strips, so two words never share a stem.
#[rustfmt::skip]
const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "tr",
    "st", "pl", "gr", "sh", "th",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u"];
const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "m"];
#[rustfmt::skip]
const FINAL_ONSETS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "t", "v", "z", "dr", "st",
];
#[rustfmt::skip]
const RHYMES: &[&str] = &[
    "ox", "ak", "uth", "ond", "ix", "orn", "ap", "ug", "elk", "im", "ast", "ur", "om", "et", "un",
    "aq", "esk", "ulf", "ind", "arv",
];

/// Common words shared by every cluster (roughly most frequent first).
#[rustfmt::skip]
const GENERAL: &[&str] = &[
    "team", "plan", "process", "customer", "revenue", "market", "review", "quarter", "target",
    "account", "signal", "stage", "owner", "cycle", "report", "meeting", "decision", "budget",
    "growth", "value", "pricing", "hiring", "manager", "leader", "system", "data", "rule", "score",
    "model", "record", "goal", "result", "risk", "cost", "time", "week", "month", "year", "number",
    "change", "problem", "answer", "question", "example", "method", "practice", "habit", "trend",
    "measure", "board", "company", "product", "service", "partner", "channel", "segment", "region",
    "pipeline", "forecast", "handoff", "agreement", "contract", "renewal", "feedback", "training",
    "coaching", "policy", "template", "dashboard", "workflow", "priority", "capacity", "quota",
    "build", "run", "check", "track", "compare", "agree", "define", "share", "improve", "reduce",
    "increase", "explain", "decide", "assign", "publish", "test", "learn", "clear", "simple",
    "honest", "early", "late", "strong", "weak", "small", "large", "new", "common", "useful",
    "specific", "practical", "careful", "weekly", "monthly", "shared", "main", "people", "work",
    "day", "part", "place", "case", "point", "group", "fact", "hand", "story", "order", "level",
    "line", "side", "kind", "head", "house", "area", "money", "office", "door", "name", "word",
    "face", "idea", "body", "information", "reason", "moment", "course", "issue", "view",
    "position", "role", "field", "effort", "basis", "rate", "period", "amount", "step", "task",
    "term", "scope", "detail", "standard", "quality", "purpose", "approach", "context", "impact",
    "outcome", "success", "failure", "option", "choice", "tool", "resource", "audit", "memo",
    "client", "buyer", "seller", "vendor", "founder", "executive", "analyst", "consultant",
    "director", "engineer", "designer", "operator", "marketer", "recruiter", "advisor", "investor",
    "make", "take", "give", "keep", "hold", "bring", "show", "start", "stop", "move", "turn",
    "follow", "lead", "draft", "write", "read", "spend", "open", "close", "win", "lose", "ask",
    "offer", "expect", "provide", "require", "support", "allow", "prevent", "accept", "avoid",
    "consider", "describe", "focus", "handle", "manage", "prepare", "sprint", "summary", "update",
    "validate", "verify", "adjust", "align", "connect", "deliver", "document", "estimate",
    "evaluate", "launch", "maintain", "monitor", "organize", "qualify", "schedule", "scale",
    "simplify", "standardize", "good", "better", "best", "high", "low", "long", "short", "full",
    "narrow", "real", "whole", "recent", "current", "final", "formal", "informal", "direct",
    "visible", "hidden", "reliable", "steady", "quick", "slow", "cheap", "expensive", "complex",
    "obvious", "typical", "rare", "frequent", "important", "necessary", "possible", "likely",
    "enough", "often", "usually", "rarely", "always", "never", "already", "still", "again",
    "together", "instead", "later", "today", "first", "second", "third", "last", "next", "every",
    "several", "many", "few", "most", "much", "more", "less", "only", "also", "even", "just",
    "well", "very", "quite", "almost", "rather", "clearly", "quickly", "mostly", "partly",
    "exactly", "roughly", "simply", "directly", "finally", "probably",
];

/// Stop words, most frequent first.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "with", "as", "on", "be", "by",
    "this", "are", "from", "at", "or", "an", "was", "not", "but", "have", "has", "they", "we",
    "you", "their", "our", "its", "can", "will", "if", "when", "which", "what", "who", "than",
    "then", "there", "so", "into", "about", "each", "all", "some", "no", "do", "does", "how",
];

/// Second words of tag names ("valtorn planning").
#[rustfmt::skip]
const TAG_WORDS: &[&str] = &[
    "planning", "metrics", "playbook", "reviews", "forecasting", "hiring", "pricing", "handoffs",
    "scorecards", "onboarding", "governance", "coaching", "reporting", "strategy", "operations",
    "benchmarks", "templates", "audits", "roadmaps", "enablement",
];

#[rustfmt::skip]
const AUTHORS: &[&str] = &[
    "Ada Moreno", "Ben Okoro", "Chen Wu", "Dana Fischer", "Eli Brandt", "Farah Haddad",
    "Gus Lindqvist", "Hana Sato",
];

const QUESTION_WORDS: &[&str] = &["How", "What", "When", "Why", "Who", "Should", "Can"];

/// The vocabularies of a corpus.
struct Vocab {
    /// Per cluster: its topical words.
    words: Vec<Vec<String>>,
    /// Per cluster: its tags.
    tags: Vec<Vec<String>>,
}

/// One planned article.
struct Article {
    cluster: usize,
    /// Directory under `content/`, e.g. `lib-03/col-2/sub-1`.
    dir: String,
    slug: String,
    title: String,
}

/// SplitMix64: a well-mixed seed for each article from the corpus seed and its index.
fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_add(i.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(0x632b_e59b_d9b4_e019);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// An index skewed towards the start of a list, so some words are much more common than others.
fn skewed(rng: &mut fastrand::Rng, n: usize) -> usize {
    let u = rng.f64();
    ((u * u * n as f64) as usize).min(n - 1)
}

/// A milder skew, for the topical words of a cluster.
fn mildly_skewed(rng: &mut fastrand::Rng, n: usize) -> usize {
    let u = rng.f64();
    ((u * u.sqrt() * n as f64) as usize).min(n - 1)
}

fn pseudo_word(rng: &mut fastrand::Rng) -> String {
    let mut w = String::new();
    let syllables = if rng.f64() < 0.65 { 1 } else { 2 };
    for _ in 0..syllables {
        w.push_str(pick(rng, ONSETS));
        w.push_str(pick(rng, VOWELS));
        w.push_str(pick(rng, CODAS));
    }
    w.push_str(pick(rng, FINAL_ONSETS));
    w.push_str(pick(rng, RHYMES));
    w
}

fn vocab(seed: u64, clusters: usize) -> Vocab {
    let mut rng = fastrand::Rng::with_seed(mix(seed, u64::MAX));
    let mut used: HashSet<String> = GENERAL.iter().chain(STOP).map(|w| w.to_string()).collect();
    let words: Vec<Vec<String>> = (0..clusters)
        .map(|_| {
            (0..CLUSTER_WORDS)
                .map(|_| {
                    loop {
                        let w = pseudo_word(&mut rng);
                        if w.len() >= 5 && used.insert(w.clone()) {
                            break w;
                        }
                    }
                })
                .collect()
        })
        .collect();
    // A tag pairs one of the cluster's most common words with a topic noun; the words are
    // distinct across clusters, so tags are too.
    let tags = words
        .iter()
        .map(|w| {
            (0..CLUSTER_TAGS)
                .map(|k| format!("{} {}", w[k], pick(&mut rng, TAG_WORDS)))
                .collect()
        })
        .collect();
    Vocab { words, tags }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn title_case(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i == 0 || !STOP.contains(&w.as_str()) {
            out.push_str(&capitalise(w));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Writes the text of one article.
struct Writer<'a> {
    rng: fastrand::Rng,
    vocab: &'a Vocab,
    cluster: usize,
    /// One or two other clusters whose words appear as noise.
    noise: Vec<usize>,
    /// Share of words from the article's own cluster.
    topical_share: f64,
    /// Words written since the last reset.
    count: usize,
    /// The last word written.
    last: &'a str,
}

impl<'a> Writer<'a> {
    fn new(seed: u64, vocab: &'a Vocab, cluster: usize) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let clusters = vocab.words.len();
        let mut noise = Vec::new();
        if clusters > 1 {
            for _ in 0..rng.usize(1..=2) {
                let c = (cluster + 1 + rng.usize(..clusters - 1)) % clusters;
                if !noise.contains(&c) {
                    noise.push(c);
                }
            }
        }
        let topical_share = 0.25 + rng.f64() * 0.10;
        Writer {
            rng,
            vocab,
            cluster,
            noise,
            topical_share,
            count: 0,
            last: "",
        }
    }

    /// A word of the article's own cluster.
    fn topical(&mut self) -> &'a str {
        let w = &self.vocab.words[self.cluster];
        &w[mildly_skewed(&mut self.rng, w.len())]
    }

    fn general(&mut self) -> &'static str {
        GENERAL[skewed(&mut self.rng, GENERAL.len())]
    }

    /// A word of running text: topical, noise, general or stop word; never the previous one.
    fn word(&mut self) -> &'a str {
        self.count += 1;
        loop {
            let w = self.any_word();
            if w != self.last {
                self.last = w;
                return w;
            }
        }
    }

    fn any_word(&mut self) -> &'a str {
        let r = self.rng.f64();
        if r < self.topical_share {
            self.topical()
        } else if r < self.topical_share + 0.10 && !self.noise.is_empty() {
            let c = self.noise[self.rng.usize(..self.noise.len())];
            let w = &self.vocab.words[c];
            &w[mildly_skewed(&mut self.rng, w.len())]
        } else if r < 0.72 {
            self.general()
        } else {
            STOP[skewed(&mut self.rng, STOP.len())]
        }
    }

    /// `n` words separated by spaces, appended to `out`.
    fn words_into(&mut self, out: &mut String, n: usize) {
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            let w = self.word();
            out.push_str(w);
        }
    }

    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        self.words_into(&mut s, n);
        s
    }

    /// A sentence of `n` words: capitalised, maybe a comma, a full stop.
    fn sentence_into(&mut self, out: &mut String, n: usize) {
        let comma = if n > 10 && self.rng.bool() {
            self.rng.usize(4..n - 3)
        } else {
            usize::MAX
        };
        for i in 0..n {
            let w = self.word();
            if i == 0 {
                out.push_str(&capitalise(w));
            } else {
                out.push(' ');
                out.push_str(w);
            }
            if i == comma {
                out.push(',');
            }
        }
        out.push('.');
    }

    fn sentence(&mut self) -> String {
        let mut s = String::new();
        let n = self.rng.usize(8..=22);
        self.sentence_into(&mut s, n);
        s
    }

    /// Sentences of 8 to 22 words with exactly `n` words in all (`n` >= 8).
    fn sentences_exact(&mut self, n: usize) -> String {
        let mut s = String::new();
        let mut left = n;
        while left > 0 {
            let len = if left > 22 {
                self.rng.usize(8..=22.min(left - 8))
            } else {
                left
            };
            if !s.is_empty() {
                s.push(' ');
            }
            self.sentence_into(&mut s, len);
            left -= len;
        }
        s
    }

    /// A paragraph of `sentences` sentences, with `link` (a markdown link) woven into one.
    fn paragraph_into(&mut self, out: &mut String, sentences: usize, link: Option<&str>) {
        let at = link.map(|_| self.rng.usize(..sentences));
        for k in 0..sentences {
            if k > 0 {
                out.push(' ');
            }
            if at == Some(k) {
                let before = self.rng.usize(2..=8);
                let after = self.rng.usize(2..=8);
                let mut s = self.words(before);
                s = capitalise(&s);
                out.push_str(&s);
                out.push(' ');
                out.push_str(pick(&mut self.rng, &["see", "read", "compare", "as in"]));
                out.push(' ');
                out.push_str(link.unwrap_or_default());
                out.push(' ');
                self.words_into(out, after);
                out.push('.');
            } else {
                let n = self.rng.usize(8..=22);
                self.sentence_into(out, n);
            }
        }
        out.push_str("\n\n");
    }

    /// A short label of 1-3 words of the cluster.
    fn label(&mut self, max: usize) -> String {
        let n = self.rng.usize(1..=max);
        let mut parts: Vec<&str> = Vec::with_capacity(n);
        for _ in 0..n {
            let w = self.topical();
            parts.push(w);
        }
        parts.join(" ")
    }

    fn title(&mut self) -> String {
        let n = self.rng.usize(5..=9);
        let question = self.rng.f64() < 0.35;
        let mut words: Vec<String> = Vec::with_capacity(n);
        if question {
            words.push(pick(&mut self.rng, QUESTION_WORDS).to_lowercase());
        }
        while words.len() < n {
            let last = words.len() + 1 == n;
            let r = self.rng.f64();
            let w = if r < 0.6 || last {
                self.topical()
            } else if r < 0.85 || words.is_empty() {
                self.general()
            } else {
                pick(&mut self.rng, &["and", "for", "of", "in", "with", "the"])
            };
            words.push(w.to_string());
        }
        let mut t = title_case(&words);
        if question {
            t.push('?');
        }
        t
    }

    fn heading(&mut self) -> String {
        let n = self.rng.usize(2..=6);
        let mut words: Vec<String> = Vec::with_capacity(n);
        for i in 0..n {
            let w = if i % 2 == 0 || self.rng.bool() {
                self.topical()
            } else {
                self.general()
            };
            words.push(w.to_string());
        }
        capitalise(&words.join(" "))
    }
}

/// Relative path from a file in `from_dir` to `to_dir/slug.md`.
fn relative(from_dir: &str, to_dir: &str, slug: &str) -> String {
    let a: Vec<&str> = from_dir.split('/').collect();
    let b: Vec<&str> = to_dir.split('/').collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut s = "../".repeat(a.len() - common);
    for part in &b[common..] {
        s.push_str(part);
        s.push('/');
    }
    s.push_str(slug);
    s.push_str(".md");
    s
}

fn mermaid(w: &mut Writer, out: &mut String, shape: usize) {
    out.push_str("```mermaid\n");
    match shape {
        0 => {
            // A chain with one labelled edge.
            let n = w.rng.usize(4..=6);
            let labelled = w.rng.usize(1..n);
            out.push_str("flowchart LR\n");
            for i in 1..=n {
                out.push_str(&format!("  n{i}[\"{}\"]\n", w.label(3)));
            }
            for i in 2..=n {
                if i == labelled + 1 {
                    out.push_str(&format!("  n{} -->|{}| n{i}\n", i - 1, w.label(2)));
                } else {
                    out.push_str(&format!("  n{} --> n{i}\n", i - 1));
                }
            }
        }
        1 => {
            // A decision tree.
            out.push_str("flowchart TD\n");
            out.push_str(&format!(
                "  start1[\"{}\"] --> q1{{\"{}?\"}}\n",
                w.label(3),
                w.label(3)
            ));
            out.push_str(&format!("  q1 -->|yes| a1[\"{}\"]\n", w.label(3)));
            if w.rng.bool() {
                out.push_str(&format!("  q1 -->|no| q2{{\"{}?\"}}\n", w.label(3)));
                out.push_str(&format!("  q2 -->|yes| b1[\"{}\"]\n", w.label(3)));
                out.push_str(&format!("  q2 -->|no| c1[\"{}\"]\n", w.label(3)));
            } else {
                out.push_str(&format!("  q1 -->|no| b1[\"{}\"]\n", w.label(3)));
                out.push_str(&format!("  b1 --> c1[\"{}\"]\n", w.label(3)));
            }
        }
        2 => {
            // Two subgraphs joined by a labelled edge.
            out.push_str(&format!("flowchart {}\n", pick(&mut w.rng, &["LR", "TB"])));
            let mut titles: Vec<String> = Vec::new();
            while titles.len() < 2 {
                let t = capitalise(&w.label(2));
                if !titles.contains(&t) {
                    titles.push(t);
                }
            }
            let groups = [("g1", ["a1", "a2", "a3"]), ("g2", ["b1", "b2", "b3"])];
            for ((g, ids), title) in groups.into_iter().zip(&titles) {
                let n = w.rng.usize(2..=3);
                out.push_str(&format!("  subgraph {g} [\"{title}\"]\n"));
                for id in &ids[..n] {
                    out.push_str(&format!("    {id}[\"{}\"]\n", w.label(3)));
                }
                for pair in ids[..n].windows(2) {
                    out.push_str(&format!("    {} --> {}\n", pair[0], pair[1]));
                }
                out.push_str("  end\n");
            }
            out.push_str(&format!("  a1 -->|{}| b1\n", w.label(2)));
        }
        3 => {
            // Fan out and in.
            let n = w.rng.usize(2..=4);
            out.push_str("flowchart LR\n");
            out.push_str(&format!(
                "  src[\"{}\"]\n  dst[\"{}\"]\n",
                w.label(3),
                w.label(3)
            ));
            for i in 1..=n {
                out.push_str(&format!("  src --> m{i}[\"{}\"] --> dst\n", w.label(3)));
            }
        }
        _ => {
            // A loop with rounded nodes and a dotted edge back.
            let n = w.rng.usize(3..=5);
            out.push_str("flowchart TD\n");
            for i in 1..=n {
                out.push_str(&format!("  s{i}(\"{}\")\n", w.label(3)));
            }
            for i in 2..=n {
                out.push_str(&format!("  s{} --> s{i}\n", i - 1));
            }
            out.push_str(&format!("  s{n} -.->|{}| s1\n", w.label(2)));
        }
    }
    out.push_str("```\n\n");
}

fn code(w: &mut Writer, out: &mut String, language: usize) {
    let a = w.topical();
    let b = w.topical();
    let c = w.topical();
    match language {
        0 => {
            out.push_str(&format!(
                "```yaml\n{a}:\n  owner: {b}\n  cadence: weekly\n  metrics:\n"
            ));
            for _ in 0..w.rng.usize(2..=5) {
                out.push_str(&format!(
                    "    - name: {}_{}\n      target: {}\n",
                    w.topical(),
                    w.general(),
                    w.rng.u32(5..200)
                ));
            }
            if w.rng.bool() {
                out.push_str(&format!("  notes: review with {c} each quarter\n"));
            }
        }
        1 => {
            out.push_str("```sql\nSELECT\n  account_id,\n");
            for _ in 0..w.rng.usize(1..=4) {
                out.push_str(&format!(
                    "  SUM(CASE WHEN stage = '{}' THEN amount ELSE 0 END) AS {}_total,\n",
                    w.topical(),
                    w.topical()
                ));
            }
            out.push_str(&format!(
                "  COUNT(*) AS {a}_count\nFROM {b}_events\nWHERE created_at >= DATE '2025-0{}-01'\n",
                w.rng.u32(1..10)
            ));
            if w.rng.bool() {
                out.push_str(&format!("  AND region = '{c}'\n"));
            }
            out.push_str(&format!("GROUP BY account_id\nORDER BY {a}_count DESC;\n"));
        }
        2 => {
            out.push_str(&format!(
                "```python\ndef {a}_ratio(rows, threshold={}):\n    \"\"\"Share of rows above the {b} threshold.\"\"\"\n    hits = 0\n    for row in rows:\n",
                w.rng.u32(10..90)
            ));
            for _ in 0..w.rng.usize(1..=4) {
                out.push_str(&format!(
                    "        if row.get(\"{}\", 0) > threshold:\n            hits += 1\n",
                    w.topical()
                ));
            }
            out.push_str(&format!(
                "    return hits / max(len(rows), 1)\n\n\nprint({a}_ratio([{{\"{c}\": 42}}]))\n"
            ));
        }
        3 => {
            out.push_str(&format!(
                "```json\n{{\n  \"name\": \"{a}\",\n  \"owner\": \"{b}\",\n  \"weights\": {{\n"
            ));
            let n = w.rng.usize(2..=6);
            for i in 0..n {
                let comma = if i + 1 < n { "," } else { "" };
                out.push_str(&format!(
                    "    \"{}\": {}{comma}\n",
                    w.topical(),
                    w.rng.u32(1..50)
                ));
            }
            out.push_str(&format!(
                "  }},\n  \"threshold\": {}\n}}\n",
                w.rng.u32(20..80)
            ));
        }
        _ => {
            out.push_str("```sh\n#!/bin/sh\nset -eu\n");
            out.push_str(&format!("out=\"{a}-$(date +%F).csv\"\n"));
            for _ in 0..w.rng.usize(1..=4) {
                out.push_str(&format!(
                    "curl -fsS \"https://api.example.com/v1/{}?stage={}\" >> \"$out\"\n",
                    w.topical(),
                    w.topical()
                ));
            }
            out.push_str(&format!(
                "sort -u \"$out\" | wc -l\necho \"{b} export done\"\n"
            ));
        }
    }
    out.push_str("```\n\n");
}

fn table(w: &mut Writer, out: &mut String) {
    let cols = w.rng.usize(3..=4);
    let rows = w.rng.usize(3..=6);
    let header: Vec<String> = (0..cols)
        .map(|i| {
            if i == 0 {
                capitalise(w.topical())
            } else {
                capitalise(w.general())
            }
        })
        .collect();
    out.push_str(&format!("| {} |\n|", header.join(" | ")));
    out.push_str(&" --- |".repeat(cols));
    out.push('\n');
    for _ in 0..rows {
        out.push('|');
        for i in 0..cols {
            out.push(' ');
            if i == 0 {
                out.push_str(&capitalise(&w.label(2)));
            } else if w.rng.f64() < 0.3 {
                out.push_str(&format!("{}%", w.rng.u32(1..100)));
            } else {
                let n = w.rng.usize(1..=3);
                let cell = w.words(n);
                out.push_str(&cell);
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn bullets(w: &mut Writer, out: &mut String) {
    for _ in 0..w.rng.usize(3..=6) {
        let n = w.rng.usize(4..=12);
        let item = w.words(n);
        out.push_str("- ");
        out.push_str(&capitalise(&item));
        out.push('\n');
    }
    out.push('\n');
}

/// A date as a month index from January 2023 (0..36) and a day (1..=28): always in the past,
/// as a page dated in the future is not published.
fn date(month: usize, day: usize) -> String {
    format!("{}-{:02}-{:02}", 2023 + month / 12, month % 12 + 1, day)
}

fn write_article(
    w: &mut Writer,
    out: &mut String,
    i: usize,
    a: &Article,
    all: &[Article],
    same: &[usize],
    broken: bool,
) {
    // Front matter.
    let mut tags: Vec<&str> = Vec::new();
    let want = w.rng.usize(3..=6);
    let clusters = w.vocab.tags.len();
    while tags.len() < want {
        let c = if w.rng.f64() < 0.65 {
            a.cluster
        } else {
            w.rng.usize(..clusters)
        };
        let list = &w.vocab.tags[c];
        let t = list[w.rng.usize(..list.len())].as_str();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let description = loop {
        let target = w.rng.usize(60..=130);
        let mut d = String::new();
        while d.len() < target {
            if !d.is_empty() {
                d.push(' ');
            }
            let word = w.word();
            d.push_str(word);
        }
        d = capitalise(&d);
        d.push('.');
        if (60..=150).contains(&d.len()) {
            break d;
        }
    };
    out.push_str("---\ntitle: \"");
    out.push_str(&a.title);
    out.push_str("\"\ndescription: \"");
    out.push_str(&description);
    out.push_str("\"\n");
    let month = w.rng.usize(..36);
    let day = w.rng.usize(1..=28);
    out.push_str(&format!("date: {}\n", date(month, day)));
    if w.rng.f64() < 0.35 {
        let later = w.rng.usize(month..36);
        let later_day = if later == month {
            w.rng.usize(day..=28)
        } else {
            w.rng.usize(1..=28)
        };
        out.push_str(&format!("updated: {}\n", date(later, later_day)));
    }
    out.push_str(&format!(
        "author: \"{}\"\ntags: [",
        pick(&mut w.rng, AUTHORS)
    ));
    for (k, t) in tags.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(t);
        out.push('"');
    }
    out.push_str("]\n");
    let n = w.rng.usize(50..=90);
    out.push_str(&format!("answer: \"{}\"\nfaq:\n", w.sentences_exact(n)));
    for _ in 0..w.rng.usize(3..=5) {
        let n = w.rng.usize(5..=11);
        let q = w.words(n);
        out.push_str(&format!(
            "  - q: \"{} {q}?\"\n",
            pick(&mut w.rng, QUESTION_WORDS)
        ));
        let n = w.rng.usize(1..=3);
        let answer: Vec<String> = (0..n).map(|_| w.sentence()).collect();
        out.push_str(&format!("    a: \"{}\"\n", answer.join(" ")));
    }
    out.push_str("sources:\n");
    for _ in 0..w.rng.usize(1..=3) {
        let n = w.rng.usize(3..=7);
        let words: Vec<String> = (0..n).map(|_| w.word().to_string()).collect();
        let title = title_case(&words);
        let path = format!("{}/{}-{}", w.general(), w.topical(), w.rng.u32(1..1000));
        out.push_str(&format!(
            "  - title: \"{title}\"\n    url: \"https://example.org/{path}\"\n"
        ));
    }
    out.push_str("---\n\n");

    // Cross-links: mostly to the same cluster; half relative paths, half wiki links.
    let mut targets: Vec<usize> = Vec::new();
    let want = w.rng.usize(2..=5).min(all.len().saturating_sub(1));
    let mut tries = 0;
    while targets.len() < want && tries < 50 {
        tries += 1;
        let t = if same.len() > 1 && w.rng.f64() < 0.8 {
            same[w.rng.usize(..same.len())]
        } else {
            w.rng.usize(..all.len())
        };
        if t != i && !targets.contains(&t) {
            targets.push(t);
        }
    }
    let wiki_first = w.rng.bool();
    let mut links: Vec<String> = targets
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let t = &all[t];
            if (k % 2 == 0) != wiki_first {
                let words: Vec<&str> = t
                    .title
                    .trim_end_matches('?')
                    .split(' ')
                    .filter(|w| !STOP.contains(&w.to_lowercase().as_str()))
                    .collect();
                let from = w.rng.usize(..words.len().saturating_sub(2).max(1));
                let len = w.rng.usize(2..=3);
                let label = words[from..(from + len).min(words.len())].join(" ");
                format!(
                    "[{}]({})",
                    label.to_lowercase(),
                    relative(&a.dir, &t.dir, &t.slug)
                )
            } else {
                format!("[[{}]]", t.slug)
            }
        })
        .map(|link| match broken {
            // After every random choice, so that the rest of the article stays the same.
            true => link.replace(".md)", "-gone.md)").replace("]]", "-gone]]"),
            false => link,
        })
        .collect();

    // Body.
    w.count = 0;
    // Headings, link sentences and the last paragraph add about 90 words to the target.
    let target = w.rng.usize(740..=2360);
    let sections = w.rng.usize(4..=8);
    let per_section = target / sections;
    let list_at = w.rng.usize(..sections);
    let table_at = w.rng.usize(..sections);
    let code_at = (w.rng.f64() < 0.3).then(|| w.rng.usize(..sections));
    let diagram_at = (w.rng.f64() < 0.4).then(|| w.rng.usize(..sections));
    // Which paragraphs carry a link: spread over the sections.
    let mut link_sections: Vec<usize> = (0..links.len()).map(|_| w.rng.usize(..sections)).collect();
    link_sections.sort_unstable_by(|x, y| y.cmp(x));

    let n = w.rng.usize(3..=5);
    w.paragraph_into(out, n, None);
    for sec in 0..sections {
        out.push_str("## ");
        out.push_str(&w.heading());
        out.push_str("\n\n");
        let start = w.count;
        let h3 = w.rng.f64() < 0.35;
        let mut wrote_h3 = false;
        let mut paragraph = 0;
        // Budgets are cumulative, so the overshoot of one section does not add up.
        let until = target * (sec + 1) / sections;
        while w.count < until || paragraph == 0 {
            let link = if link_sections.last() == Some(&sec) {
                link_sections.pop();
                links.pop()
            } else {
                None
            };
            let n = w.rng.usize(3..=7);
            w.paragraph_into(out, n, link.as_deref());
            paragraph += 1;
            if h3 && !wrote_h3 && w.count - start > per_section / 2 {
                out.push_str("### ");
                out.push_str(&w.heading());
                out.push_str("\n\n");
                wrote_h3 = true;
            }
            if paragraph == 1 {
                if sec == list_at {
                    bullets(w, out);
                }
                if sec == table_at {
                    table(w, out);
                }
                if code_at == Some(sec) {
                    code(w, out, i % 5);
                }
                if diagram_at == Some(sec) {
                    let shape = w.rng.usize(..5);
                    mermaid(w, out, shape);
                }
            }
        }
        // Links left for this section (several fell on it) go in one more paragraph each.
        while link_sections.last() == Some(&sec) {
            link_sections.pop();
            let link = links.pop();
            let n = w.rng.usize(2..=4);
            w.paragraph_into(out, n, link.as_deref());
        }
    }
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, std::fs::File::create(path)?);
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn index_text(rng: &mut fastrand::Rng, title: &str) -> String {
    let words: Vec<&str> = (0..rng.usize(8..=14))
        .map(|_| GENERAL[skewed(rng, GENERAL.len())])
        .collect();
    let description = format!("Articles about {} and {}.", words[0], words[1..4].join(" "));
    format!(
        "---\ntitle: \"{title}\"\ndescription: \"{description}\"\n---\n\n{}.\n",
        capitalise(&words.join(" "))
    )
}

fn section_title(rng: &mut fastrand::Rng) -> String {
    let a = capitalise(GENERAL[rng.usize(..GENERAL.len())]);
    let b = GENERAL[rng.usize(..GENERAL.len())];
    if rng.bool() {
        format!("{a} and {b}")
    } else {
        format!("{a} {b} practice")
    }
}

/// Writes `root/site.yaml` and `root/content/` and returns where each article's cluster is.
pub fn generate(opts: &Options, root: &Path) -> std::io::Result<Generated> {
    let clusters = opts.clusters.max(1);
    let vocab = vocab(opts.seed, clusters);
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let content = root.join("content");
    std::fs::create_dir_all(&content)?;
    write_file(
        &root.join("site.yaml"),
        "title: Generated library\nbase_url: https://bench.example/\npaginate_by: 20\n",
    )?;
    let mut bytes = 0u64;
    let mut index = |rng: &mut fastrand::Rng, dir: &str, title: &str| -> std::io::Result<()> {
        let path = content.join(dir);
        std::fs::create_dir_all(&path)?;
        let text = index_text(rng, title);
        bytes += text.len() as u64;
        write_file(&path.join("_index.md"), &text)
    };
    index(&mut rng, "", "Generated library")?;

    // Libraries, collections and some nested sub-collections; articles go in the latter two.
    let libraries = (opts.articles / 500).clamp(4, 40);
    let mut sections = Vec::new();
    for l in 0..libraries {
        let lib = format!("lib-{l:02}");
        let title = section_title(&mut rng);
        index(&mut rng, &lib, &title)?;
        for c in 1..=rng.usize(2..=6) {
            let col = format!("{lib}/col-{c}");
            let title = section_title(&mut rng);
            index(&mut rng, &col, &title)?;
            sections.push(col.clone());
            if rng.usize(..4) == 0 {
                let sub = format!("{col}/sub-1");
                let title = section_title(&mut rng);
                index(&mut rng, &sub, &title)?;
                sections.push(sub);
            }
        }
    }

    // Plan every article first, so links can point at any of them. Clusters are balanced and
    // shuffled; folders are drawn independently of the cluster.
    let mut cluster_list: Vec<usize> = (0..opts.articles).map(|i| i % clusters).collect();
    rng.shuffle(&mut cluster_list);
    let mut articles = Vec::with_capacity(opts.articles);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); clusters];
    for (i, &cluster) in cluster_list.iter().enumerate() {
        let mut w = Writer::new(mix(opts.seed, 2 * i as u64), &vocab, cluster);
        let title = w.title();
        let stem: Vec<String> = title
            .trim_end_matches('?')
            .split(' ')
            .map(|s| s.to_lowercase())
            .filter(|s| !STOP.contains(&s.as_str()))
            .take(3)
            .collect();
        let slug = format!("{}-{}", stem.join("-"), i + 1);
        members[cluster].push(i);
        articles.push(Article {
            cluster,
            dir: sections[rng.usize(..sections.len())].clone(),
            slug,
            title,
        });
    }

    let mut cluster_of = HashMap::with_capacity(articles.len());
    let mut text = String::with_capacity(64 * 1024);
    for (i, a) in articles.iter().enumerate() {
        cluster_of.insert(format!("/{}/{}/", a.dir, a.slug), a.cluster);
        let mut w = Writer::new(mix(opts.seed, 2 * i as u64 + 1), &vocab, a.cluster);
        text.clear();
        let broken = opts.broken_every > 0 && i % opts.broken_every == 0;
        write_article(
            &mut w,
            &mut text,
            i,
            a,
            &articles,
            &members[a.cluster],
            broken,
        );
        bytes += text.len() as u64;
        write_file(&content.join(&a.dir).join(format!("{}.md", a.slug)), &text)?;
    }
    Ok(Generated { cluster_of, bytes })
}
