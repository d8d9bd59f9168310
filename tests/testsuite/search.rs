//! Offline search: the index is written with the site and a reader's query in a real browser
//! finds the one article that uses a word.

use crate::common::browser::{self, Chrome, DESKTOP};
use crate::common::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A word of at least eight letters used in exactly one published article's body (and in no
/// other file), with that article's URL.
fn word_in_one_article() -> (String, String) {
    let mut seen: BTreeMap<String, BTreeMap<String, ()>> = BTreeMap::new();
    let content = repo().join("content");
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let rel = e.path().strip_prefix(&content).unwrap().to_str().unwrap();
        let url = format!(
            "/{}/",
            rel.trim_end_matches(".md").trim_end_matches("/index")
        );
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 4 {
                seen.entry(w.to_lowercase())
                    .or_default()
                    .insert(url.clone(), ());
            }
        }
    }
    // Prefix-distinct too, so that stemming cannot match another article's word.
    let words: Vec<&String> = seen.keys().collect();
    seen.iter()
        .find(|(w, urls)| {
            w.len() >= 8
                && urls.len() == 1
                && !urls.contains_key("/revops/forecasting/forecasting-with-ai/")
                && !urls.keys().next().unwrap().contains("_index")
                && words
                    .iter()
                    .filter(|o| o.starts_with(&w[..5]) || w.starts_with(o.as_str()))
                    .count()
                    == 1
        })
        .map(|(w, urls)| (w.clone(), urls.keys().next().unwrap().clone()))
        .expect("a word unique to one article")
}

#[test]
fn typing_a_rare_word_in_the_search_box_finds_its_article() {
    let (word, url) = word_in_one_article();
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = out.path().join("site");
    assert!(site.join("pagefind/pagefind-ui.js").is_file());
    assert!(site.join("search/index.html").is_file());
    let home = Fixture::page_at(&site.join("index.html"));
    assert!(
        home.select(&sel("form[role=search] input[name=q]"))
            .next()
            .is_some(),
        "every page has a search box"
    );

    let base = browser::serve_dir(&site);
    let chrome = Chrome::launch();
    let tab = chrome.open(&format!("{base}/search/"), DESKTOP);
    let input = tab
        .wait_for_element(".pagefind-ui__search-input")
        .expect("search input");
    input.click().expect("focus the search box");
    tab.type_str(&word).expect("type");
    // Results appear as the word is typed (each prefix is a search of its own): wait until
    // they stop changing, so what is read answers the whole word.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last: Vec<String> = Vec::new();
    let links = loop {
        std::thread::sleep(Duration::from_millis(400));
        let links = browser::eval(
            &tab,
            "Array.from(document.querySelectorAll('.pagefind-ui__result-link')).map(a => a.getAttribute('href'))",
        );
        let links: Vec<String> = serde_json::from_value(links).unwrap_or_default();
        if (!links.is_empty() && links == last) || Instant::now() > deadline {
            break links;
        }
        last = links;
    };
    browser::screenshot(&tab, DESKTOP, "search-results");
    let pages: Vec<&String> = links.iter().filter(|l| !l.contains('#')).collect();
    assert_eq!(pages, vec![&url], "searching `{word}` lists {links:?}");
    let excerpt = browser::eval(
        &tab,
        "document.querySelector('.pagefind-ui__result-excerpt')?.textContent ?? ''",
    );
    assert!(
        excerpt
            .as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains(&word),
        "the excerpt shows the word: {excerpt}"
    );
    let title = browser::eval(
        &tab,
        "document.querySelector('.pagefind-ui__result-link')?.textContent ?? ''",
    );
    assert!(
        title.as_str().unwrap_or_default().contains(" · "),
        "results name the library: {title}"
    );
}

#[test]
fn search_can_be_turned_off() {
    let files = [("content/a.md", "---\ntitle: A\n---\n\nSome words.\n")];
    let site = Fixture::new(&files);
    let run = site.stacks(&["build", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!site.public().join("pagefind").exists());
    assert!(!site.public().join("search").exists());
    let page = site.page("a/index.html");
    assert!(page.select(&sel("form[role=search]")).next().is_none());

    site.write("site.yaml", "title: No search\nsearch: false\n");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!site.public().join("pagefind").exists());

    site.write("site.yaml", "title: With search\n");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.public().join("pagefind/pagefind.js").is_file());
    assert!(site.public().join("search/index.html").is_file());
}
