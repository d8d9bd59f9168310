//! A large library's search index comes in parts: the search page searches them as one index,
//! a rebuild after an edit indexes again only the part that holds the edited page, and the
//! build cache keeps the parts for a fresh output folder.

use crate::common::browser::{self, Chrome, DESKTOP};
use crate::common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Articles in the fixture: enough for the index to come in more than one part.
const ARTICLES: usize = 1700;
/// A word every article's body holds.
const COMMON: &str = "ledger";

/// A word only article `i` holds: a fixed length and no vowel after the stem, so that neither
/// prefix search nor stemming can match another article's word.
fn own_word(i: usize) -> String {
    const LETTERS: &[u8] = b"bcdfghjklmnpqrtvwxz";
    let n = LETTERS.len();
    let code: String = [i / (n * n), (i / n) % n, i % n]
        .iter()
        .map(|&d| LETTERS[d] as char)
        .collect();
    format!("zork{code}")
}

/// Where article `i` is, in the content folder and on the site.
fn article(i: usize) -> (String, String) {
    let library = if i.is_multiple_of(2) { "alpha" } else { "beta" };
    (
        format!("content/{library}/note-{i}.md"),
        format!("/{library}/note-{i}/"),
    )
}

/// A library of [`ARTICLES`] short articles in two libraries, with tags.
fn large_library() -> Fixture {
    let mut files = vec![
        ("site.yaml".to_string(), "title: Parts\n".to_string()),
        (
            "content/alpha/_index.md".into(),
            "---\ntitle: Alpha\n---\n".into(),
        ),
        (
            "content/beta/_index.md".into(),
            "---\ntitle: Beta\n---\n".into(),
        ),
    ];
    for i in 0..ARTICLES {
        let tag = if i.is_multiple_of(3) {
            "thirds"
        } else {
            "others"
        };
        files.push((
            article(i).0,
            format!(
                "---\ntitle: Note {i}\ntags: [{tag}]\n---\n\nThe {COMMON} of note {i} records {}.\n\n\
                 ## Details\n\nEach entry of the {COMMON} is checked twice.\n",
                own_word(i)
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    Fixture::new(&refs)
}

/// The index's parts in `site`: the folders holding a `pagefind-entry.json`.
fn parts(site: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(site.join("pagefind"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "pagefind-entry.json")
        .map(|e| e.path().parent().unwrap().to_path_buf())
        .collect();
    dirs.sort();
    dirs
}

/// The number in the results message ("1,700 results for ledger").
fn result_count(tab: &headless_chrome::Tab) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = None;
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let message = browser::eval(
            tab,
            "document.querySelector('.pagefind-ui__message')?.textContent ?? ''",
        );
        let count = message
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .find_map(|w| w.replace(',', "").parse::<usize>().ok());
        if (count.is_some() && count == last) || Instant::now() > deadline {
            return count.unwrap_or_else(|| panic!("a count of results: {message}"));
        }
        last = count;
    }
}

fn search(tab: &headless_chrome::Tab, term: &str) {
    let input = tab
        .wait_for_element(".pagefind-ui__search-input")
        .expect("search input");
    input.click().expect("focus the search box");
    browser::eval(
        tab,
        "document.querySelector('.pagefind-ui__search-input').value = ''",
    );
    tab.type_str(term).expect("type");
}

#[test]
fn a_library_indexed_in_parts_is_searched_as_one_index() {
    let site = large_library();
    let host = site.root().join("host");
    let out = host.join("kb");
    let run = site.stacks(&[
        "build",
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://example.com/kb/",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let parts = parts(&out);
    assert!(parts.len() > 1, "one index for {ARTICLES} pages: {parts:?}");
    for part in &parts[1..] {
        assert!(
            !part.join("pagefind.js").exists() && !part.join("pagefind-ui.js").exists(),
            "the script is served once, from the first part: {}",
            part.display()
        );
    }

    let base = browser::serve_dir(&host);
    let chrome = Chrome::launch();
    let tab = chrome.open(&format!("{base}/kb/search/"), DESKTOP);
    search(&tab, COMMON);
    assert_eq!(
        result_count(&tab),
        ARTICLES,
        "a word of every article finds every article, whichever part holds it"
    );
    // Articles spread over the parts: each one's own word finds it, and its link works.
    for i in [0, 1, 2, 3, 977, 1699] {
        let word = own_word(i);
        search(&tab, &word);
        assert_eq!(result_count(&tab), 1, "{word}");
        let href = browser::eval(
            &tab,
            "document.querySelector('.pagefind-ui__result-link')?.getAttribute('href') ?? ''",
        );
        let expected = format!("/kb{}", article(i).1);
        assert_eq!(href.as_str(), Some(expected.as_str()), "{word}");
        let status = ureq::get(&format!("{base}{expected}"))
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(404);
        assert_eq!(status, 200, "{expected}");
    }
    // Filters count across the parts too.
    search(&tab, COMMON);
    result_count(&tab);
    browser::eval(
        &tab,
        "document.querySelector('input.pagefind-ui__filter-checkbox[name=tag][value=thirds]').click()",
    );
    assert_eq!(result_count(&tab), ARTICLES.div_ceil(3), "tag `thirds`");
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn an_edit_indexes_again_only_the_part_that_holds_the_page() {
    let site = large_library();
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let public = site.public();
    let before: Vec<(PathBuf, SystemTime)> = parts(&public)
        .into_iter()
        .map(|p| {
            let t = modified(&p.join("pagefind-entry.json"));
            (p, t)
        })
        .collect();
    assert!(before.len() > 1, "{before:?}");

    let (file, _) = article(977);
    let text = std::fs::read_to_string(site.root().join(&file)).unwrap();
    site.write(
        &file,
        &text.replace("checked twice", "checked by quorvantine"),
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let changed: Vec<&PathBuf> = before
        .iter()
        .filter(|(p, t)| modified(&p.join("pagefind-entry.json")) != *t)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(changed.len(), 1, "one part indexed again: {changed:?}");
    assert_eq!(parts(&public).len(), before.len());

    // And the index is the one a clean build makes.
    let clean = site.root().join("clean");
    let run = site.stacks(&["build", "--no-cache", "--output", clean.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let index = |dir: &Path| snapshot(&dir.join("pagefind"));
    assert!(
        index(&public) == index(&clean),
        "the rebuilt index differs from a clean build's"
    );

    // A fresh output folder (a CI job that restores only the build cache) gets the parts the
    // cache keeps, and they are the same.
    let kept = std::fs::read_dir(site.root().join(".stacks-cache/search-parts"))
        .unwrap()
        .count();
    assert_eq!(kept, before.len(), "the cache keeps each part once");
    let fresh = site.root().join("fresh");
    let run = site.stacks(&["build", "--output", fresh.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        index(&fresh) == index(&clean),
        "the index from the cache differs"
    );
}
