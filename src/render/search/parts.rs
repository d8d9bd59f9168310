//! The search index in parts. A large library's pages are spread over several pagefind bundles
//! by a hash of each page's path, and the search page merges them in the browser
//! (`mergeIndex`). Pagefind compresses a bundle's files on one thread and builds it in one
//! piece, so parts are what lets a cold build index on every core, keeps the indexer's memory
//! to a part at a time, and lets a rebuild index again only the parts whose pages changed.
//!
//! The first part is the primary bundle at [`BUNDLE_DIR`], with pagefind's script and styles;
//! the others hold only their index, at `pagefind/1/`, `pagefind/2/`, …

use super::BUNDLE_DIR;

/// Pages a part aims to hold. A part costs the browser one request per search word, so parts
/// stay large enough that even a 10,000-page library makes a handful of requests, and small
/// enough that a rebuild after one edit indexes a few hundred pages, not all of them.
const PAGES_PER_PART: usize = 800;
/// The most parts: the browser fetches from each one for every word searched.
const MAX_PARTS: usize = 64;

/// How the pages with the output files `paths` are spread: the number of parts, and each
/// path's part, in the same order.
pub(crate) fn spread<'a>(paths: impl ExactSizeIterator<Item = &'a str>) -> (usize, Vec<usize>) {
    let n = paths.len();
    // A power of two, so that a growing library changes its number of parts rarely.
    let count = n
        .div_ceil(PAGES_PER_PART)
        .next_power_of_two()
        .clamp(1, MAX_PARTS);
    let parts: Vec<usize> = paths.map(|p| part_of(p, count)).collect();
    let mut used = vec![false; count];
    for &p in &parts {
        used[p] = true;
    }
    // An empty part would be a bundle pagefind cannot make; with hundreds of pages per part
    // it does not happen by chance, but one index is always right.
    if used.contains(&false) {
        return (1, vec![0; n]);
    }
    (count, parts)
}

/// The part of the page with output file `path`, among `count`: stable as pages come and go.
fn part_of(path: &str, count: usize) -> usize {
    if count == 1 {
        return 0;
    }
    let hash = blake3::hash(path.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    (u64::from_le_bytes(first) % count as u64) as usize
}

/// The folder of part `part` in the output, ending in `/`.
pub(crate) fn dir(part: usize) -> String {
    match part {
        0 => format!("{BUNDLE_DIR}/"),
        n => format!("{BUNDLE_DIR}/{n}/"),
    }
}

/// Whether the bundle file `name` (relative to its bundle) belongs in a part other than the
/// first: its index, its fragments, filters and metadata, and its entry file. Pagefind's
/// script, styles and WebAssembly are served once, from the primary bundle.
pub(crate) fn in_every_part(name: &str) -> bool {
    name == "pagefind-entry.json"
        || name.ends_with(".pf_meta")
        || ["index/", "fragment/", "filter/"]
            .iter()
            .any(|d| name.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a/page-{i}/index.html")).collect()
    }

    #[test]
    fn small_sites_have_one_index_and_large_ones_a_power_of_two() {
        let small = paths(PAGES_PER_PART);
        assert_eq!(spread(small.iter().map(String::as_str)).0, 1);
        let large = paths(PAGES_PER_PART * 5);
        let (count, parts) = spread(large.iter().map(String::as_str));
        assert_eq!(count, 8);
        for part in 0..count {
            let size = parts.iter().filter(|&&p| p == part).count();
            assert!(size > PAGES_PER_PART / 4, "part {part} holds {size} pages");
        }
    }

    #[test]
    fn a_page_keeps_its_part_when_others_come_and_go() {
        let before = paths(3000);
        let mut after = before.clone();
        after.push("new/index.html".into());
        after.remove(10);
        let (_, a) = spread(before.iter().map(String::as_str));
        let (_, b) = spread(after.iter().map(String::as_str));
        assert_eq!(a[11..], b[10..b.len() - 1]);
    }

    #[test]
    fn parts_other_than_the_first_hold_only_their_index() {
        for kept in [
            "pagefind-entry.json",
            "pagefind.en_0123.pf_meta",
            "index/en_1.pf_index",
            "fragment/en_2.pf_fragment",
            "filter/en_3.pf_filter",
        ] {
            assert!(in_every_part(kept), "{kept}");
        }
        for shared in ["pagefind.js", "pagefind-ui.js", "wasm.en.pagefind"] {
            assert!(!in_every_part(shared), "{shared}");
        }
        assert_eq!(dir(0), "pagefind/");
        assert_eq!(dir(3), "pagefind/3/");
    }
}
