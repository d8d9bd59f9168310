//! "Did you mean …?" for links that resolve to nothing, at a cost that stays small when a
//! library has thousands of them.
//!
//! Comparing every broken link with every page name is quadratic: on a real 4,600-page handbook
//! it took more time than the rest of the build. Names are indexed by their three-letter
//! sequences instead; a wanted name is compared (Jaro–Winkler, as [`crate::diagnostics::closest`])
//! only with the few names that share the most sequences with it, and sequences so common that
//! they tell names apart poorly are not used to find candidates.

use rustc_hash::FxHashMap;

/// How many candidates, found by shared sequences, are compared in full.
const COMPARED: usize = 16;

/// The least Jaro–Winkler similarity for a suggestion, as [`crate::diagnostics::closest`].
const THRESHOLD: f64 = 0.75;

/// Names to suggest, each with what is shown for it.
#[derive(Debug, Default)]
pub(super) struct Suggester {
    /// Lower-case names, each once.
    names: Vec<String>,
    /// Each name's position in `names`.
    index: FxHashMap<String, u32>,
    /// What to show for each name.
    shown: Vec<String>,
    /// Three-letter sequence → names holding it.
    grams: FxHashMap<[u8; 3], Vec<u32>>,
    /// Sequences on more names than this only add to candidates found by rarer ones.
    common: usize,
}

/// Counters reused between lookups.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

fn grams(name: &str) -> impl Iterator<Item = [u8; 3]> + '_ {
    let padded: Vec<u8> = [b' ']
        .into_iter()
        .chain(name.bytes())
        .chain([b' '])
        .collect();
    let n = padded.len().saturating_sub(2);
    (0..n).map(move |i| [padded[i], padded[i + 1], padded[i + 2]])
}

impl Suggester {
    /// Indexes `(name, shown)` pairs; for a name given twice, the first shown text is kept.
    pub(super) fn new<'a>(items: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        let mut s = Self::default();
        for (name, shown) in items {
            let lower = name.to_lowercase();
            if lower.is_empty() || s.index.contains_key(&lower) {
                continue;
            }
            let id = s.names.len();
            s.index.insert(lower.clone(), id as u32);
            let mut seen: Vec<[u8; 3]> = Vec::new();
            for g in grams(&lower) {
                if !seen.contains(&g) {
                    seen.push(g);
                    s.grams.entry(g).or_default().push(id as u32);
                }
            }
            s.names.push(lower);
            s.shown.push(shown);
        }
        s.common = (s.names.len() / 32).max(64);
        s
    }

    /// What to show for the name closest to `wanted`, if one is close enough to be a likely typo.
    pub(super) fn closest(&self, wanted: &str) -> Option<&str> {
        self.closest_with(wanted, &mut Scratch::default())
    }

    /// [`Suggester::closest`] with counters kept between calls, for many lookups on a thread.
    pub(super) fn closest_with(&self, wanted: &str, scratch: &mut Scratch) -> Option<&str> {
        let wanted = wanted.to_lowercase();
        if wanted.is_empty() || self.names.is_empty() {
            return None;
        }
        if let Some(&i) = self.index.get(&wanted) {
            return Some(&self.shown[i as usize]);
        }
        let Scratch { counts, touched } = scratch;
        counts.resize(self.names.len(), 0);
        let mut common = Vec::new();
        for g in grams(&wanted) {
            match self.grams.get(&g) {
                Some(ids) if ids.len() > self.common => common.push(ids),
                Some(ids) => {
                    for &id in ids {
                        if counts[id as usize] == 0 {
                            touched.push(id);
                        }
                        counts[id as usize] += 1;
                    }
                }
                None => {}
            }
        }
        if touched.is_empty() {
            // Only common sequences: the names holding the rarest of them are the candidates.
            if let Some(ids) = common.iter().min_by_key(|ids| ids.len()) {
                for &id in ids.iter().take(COMPARED * 8) {
                    counts[id as usize] = 1;
                    touched.push(id);
                }
            }
        } else {
            for ids in common {
                for &id in ids {
                    if counts[id as usize] > 0 {
                        counts[id as usize] += 1;
                    }
                }
            }
        }
        let mut candidates: Vec<(u32, u32)> = touched
            .iter()
            .map(|&id| (id, counts[id as usize]))
            .collect();
        for id in touched.drain(..) {
            counts[id as usize] = 0;
        }
        let keep = COMPARED.min(candidates.len());
        if keep == 0 {
            return None;
        }
        candidates.select_nth_unstable_by(keep - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(keep);
        candidates
            .into_iter()
            .map(|(id, _)| {
                let score = strsim::jaro_winkler(&wanted, &self.names[id as usize]);
                (score, id)
            })
            .filter(|(score, _)| *score > THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, id)| self.shown[id as usize].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_among_many_names() {
        let names: Vec<String> = (0..5000).map(|i| format!("article-{i}-on-topic")).collect();
        let mut items: Vec<(&str, String)> = names
            .iter()
            .map(|n| (n.as_str(), format!("content/{n}.md")))
            .collect();
        items.push(("pipeline-coverage", "content/p/pipeline-coverage.md".into()));
        items.push(("win-rate", "content/m/win-rate.md".into()));
        let s = Suggester::new(items);
        assert_eq!(
            s.closest("pipline-coverage"),
            Some("content/p/pipeline-coverage.md")
        );
        assert_eq!(s.closest("Win-Rate"), Some("content/m/win-rate.md"));
        assert_eq!(
            s.closest("article-4077-on-topc"),
            Some("content/article-4077-on-topic.md")
        );
        assert_eq!(s.closest("zzzzzz"), None);
        assert_eq!(s.closest(""), None);
    }
}
