//! Offline search in a real browser: a reader types into the search page and gets the article
//! and the section that hold the words, filters by library and tag, and follows a result to its
//! page, from the root of a host or under a sub-path.

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
    let results = type_and_wait(&tab, &word);
    browser::screenshot(&tab, DESKTOP, "search-results");
    let pages: Vec<&str> = results.iter().map(|r| r.href.as_str()).collect();
    assert_eq!(
        pages,
        vec![url.as_str()],
        "searching `{word}` lists {results:?}"
    );
    let found = &results[0];
    let excerpts = std::iter::once(&found.excerpt).chain(found.nested.iter().map(|n| &n.2));
    assert!(
        excerpts
            .into_iter()
            .any(|e| e.to_lowercase().contains(&word)),
        "an excerpt shows `{word}`: {found:?}"
    );
    assert_readable(found);
}

/// One result as the reader sees it.
#[derive(Debug, serde::Deserialize)]
struct Found {
    href: String,
    title: String,
    excerpt: String,
    /// The metadata shown under the title ("Library: …").
    tags: Vec<String>,
    /// Sections of the page that matched: (link, heading, excerpt).
    nested: Vec<(String, String, String)>,
}

const RESULTS_JS: &str = r#"Array.from(document.querySelectorAll('.pagefind-ui__result')).map(r => ({
  href: r.querySelector('.pagefind-ui__result-title .pagefind-ui__result-link')?.getAttribute('href') ?? '',
  title: r.querySelector('.pagefind-ui__result-title')?.textContent.trim() ?? '',
  excerpt: Array.from(r.querySelectorAll('.pagefind-ui__result-excerpt')).find(e => !e.closest('.pagefind-ui__result-nested'))?.textContent.trim() ?? '',
  tags: Array.from(r.querySelectorAll('.pagefind-ui__result-tag')).map(t => t.textContent.trim()),
  nested: Array.from(r.querySelectorAll('.pagefind-ui__result-nested')).map(n => [
    n.querySelector('.pagefind-ui__result-link')?.getAttribute('href') ?? '',
    n.querySelector('.pagefind-ui__result-link')?.textContent.trim() ?? '',
    n.querySelector('.pagefind-ui__result-excerpt')?.textContent.trim() ?? '',
  ]),
}))"#;

/// The results on the page once they stop changing (each keystroke is a search of its own,
/// and a filter click searches again).
fn settled_results(tab: &headless_chrome::Tab) -> Vec<Found> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = serde_json::Value::Null;
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = browser::eval(tab, RESULTS_JS);
        let empty = now.as_array().is_none_or(|a| a.is_empty());
        if (!empty && now == last) || Instant::now() > deadline {
            return serde_json::from_value(now).expect("results");
        }
        last = now;
    }
}

/// Types `text` into the search page's box and returns the results for all of it.
fn type_and_wait(tab: &headless_chrome::Tab, text: &str) -> Vec<Found> {
    let input = tab
        .wait_for_element(".pagefind-ui__search-input")
        .expect("search input");
    input.click().expect("focus the search box");
    tab.type_str(text).expect("type");
    settled_results(tab)
}

/// What every result must look like: a title, the library named once (under the title), and
/// no text that is not the article's own: no `#` of heading anchors, no word count or dates.
fn assert_readable(found: &Found) {
    assert!(!found.title.is_empty(), "{found:?}");
    let libraries = found
        .tags
        .iter()
        .filter(|t| t.starts_with("Library:"))
        .count();
    assert_eq!(libraries, 1, "the library is named once: {found:?}");
    assert!(!found.title.contains(" · "), "named once: {found:?}");
    let meta = regex::Regex::new(r"\d+ words|\d+ min read").unwrap();
    for (_, heading, excerpt) in &found.nested {
        assert!(!heading.contains('#'), "no anchor sign: {found:?}");
        assert!(!meta.is_match(excerpt), "no meta line: {found:?}");
    }
    assert!(!found.title.contains('#'), "{found:?}");
    assert!(!meta.is_match(&found.excerpt), "no meta line: {found:?}");
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

/// An article of the sample library with at least five sections, its URL, and a phrase from
/// the first paragraph of its last section with that section's anchor.
fn deep_phrase(site: &std::path::Path) -> (String, String, String) {
    let content = repo().join("content");
    let mut files: Vec<_> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    let text = |p: &std::path::PathBuf| std::fs::read_to_string(p).unwrap();
    let file = files
        .iter()
        .find(|p| text(p).lines().filter(|l| l.starts_with("## ")).count() >= 5)
        .expect("an article with five sections");
    let rel = file.strip_prefix(&content).unwrap().to_str().unwrap();
    let url = format!(
        "/{}/",
        rel.trim_end_matches(".md").trim_end_matches("/index")
    );
    let page = Fixture::page_at(&site.join(url.trim_start_matches('/')).join("index.html"));
    // The last section that opens with a paragraph of some length.
    let (id, words) = page
        .select(&sel(".article-body h2[id]"))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|heading| {
            let first = heading
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .next()?;
            let words: Vec<String> = (first.value().name() == "p")
                .then(|| first.text().collect::<String>())?
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                .filter(|w| !w.is_empty())
                .collect();
            (words.len() >= 8).then(|| (heading.value().attr("id").unwrap().to_string(), words))
        })
        .expect("a section that opens with a paragraph");
    (url, id, format!("\"{}\"", words[2..8].join(" ")))
}

#[test]
fn a_phrase_from_deep_in_an_article_links_to_its_section() {
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = out.path().join("site");
    let (url, id, phrase) = deep_phrase(&site);
    let base = browser::serve_dir(&site);
    let chrome = Chrome::launch();
    let tab = chrome.open(&format!("{base}/search/"), DESKTOP);
    let results = type_and_wait(&tab, &phrase);
    let found = results
        .iter()
        .find(|r| r.href == url)
        .unwrap_or_else(|| panic!("{phrase} finds {url}: {results:?}"));
    assert_eq!(results[0].href, url, "it comes first: {results:?}");
    let section = format!("{url}#{id}");
    assert!(
        found.nested.iter().any(|(href, _, _)| *href == section),
        "the result links to the section the phrase is in ({section}): {found:?}"
    );
    for r in &results {
        assert_readable(r);
    }
}

#[test]
fn a_tag_filter_narrows_the_results() {
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = out.path().join("site");
    let base = browser::serve_dir(&site);
    let chrome = Chrome::launch();
    let tab = chrome.open(&format!("{base}/search/"), DESKTOP);
    let all = type_and_wait(&tab, "pipeline");
    let count = |tab: &headless_chrome::Tab| {
        let message = browser::eval(
            tab,
            "document.querySelector('.pagefind-ui__message')?.textContent ?? ''",
        );
        let message = message.as_str().unwrap_or_default().to_string();
        message
            .split_whitespace()
            .find_map(|w| w.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("a count of results: {message}"))
    };
    let before = count(&tab);
    assert!(before >= 3, "a common word finds several articles: {all:?}");
    let tags = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('input.pagefind-ui__filter-checkbox[name=tag]')).map(i => i.value)",
    );
    let libraries = browser::eval(
        &tab,
        "document.querySelectorAll('input.pagefind-ui__filter-checkbox[name=library]').length",
    );
    assert!(libraries.as_u64().unwrap_or(0) >= 2, "filters by library");
    let tags: Vec<String> = serde_json::from_value(tags).unwrap();
    assert!(tags.len() >= 3, "filters by tag: {tags:?}");
    browser::screenshot(&tab, DESKTOP, "search-filters");
    // The tag of the first result: it narrows the list and keeps that result.
    let page = Fixture::page_at(
        &site
            .join(all[0].href.trim_start_matches('/'))
            .join("index.html"),
    );
    let tag = page
        .select(&sel(".tags a"))
        .next()
        .expect("the first result has a tag")
        .text()
        .collect::<String>();
    browser::eval(
        &tab,
        &format!(
            "document.querySelector('input.pagefind-ui__filter-checkbox[name=tag][value=\"' + {} + '\"]').click()",
            serde_json::to_string(&tag).unwrap()
        ),
    );
    std::thread::sleep(Duration::from_millis(300));
    let narrowed = settled_results(&tab);
    let after = count(&tab);
    assert!(after < before && after >= 1, "{tag}: {before} → {after}");
    assert!(
        narrowed.iter().any(|r| r.href == all[0].href),
        "{narrowed:?}"
    );
}

#[test]
fn search_under_a_sub_path_links_to_pages_that_exist() {
    let (word, url) = word_in_one_article();
    let out = tempfile::tempdir().unwrap();
    let host = out.path().join("host");
    let site = host.join("kb");
    let run = stacks(&[
        "build",
        "--root",
        repo().to_str().unwrap(),
        "--output",
        site.to_str().unwrap(),
        "--base-url",
        "https://example.com/kb/",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let base = browser::serve_dir(&host);
    let chrome = Chrome::launch();
    // As the header's search box sends a reader: the query stays in that box.
    let tab = chrome.open(&format!("{base}/kb/search/?q={word}"), DESKTOP);
    let results = settled_results(&tab);
    let kept = browser::eval(
        &tab,
        "document.querySelector('.site-search input[name=q]').value",
    );
    assert_eq!(
        kept.as_str(),
        Some(word.as_str()),
        "the header box keeps the query"
    );
    let expected = format!("/kb{url}");
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0].href, expected);
    // The reader types a phrase of another section and follows it to its heading.
    let (page, id, phrase) = deep_phrase(&site);
    let input = tab
        .wait_for_element(".pagefind-ui__search-input")
        .expect("search input");
    input.click().expect("focus");
    tab.press_key("End").unwrap();
    for _ in 0..word.len() {
        tab.press_key("Backspace").unwrap();
    }
    tab.type_str(&phrase).expect("type");
    let results = settled_results(&tab);
    let section = format!("/kb{page}#{id}");
    let link = results
        .iter()
        .flat_map(|r| &r.nested)
        .find(|(href, _, _)| *href == section)
        .unwrap_or_else(|| panic!("{phrase} links to {section}: {results:?}"));
    let status = ureq::get(&format!("{base}{}", link.0))
        .call()
        .map(|r| r.status().as_u16())
        .unwrap_or(404);
    assert_eq!(status, 200, "{}", link.0);
    tab.find_element(&format!(".pagefind-ui__result-nested a[href='{section}']"))
        .expect("the link")
        .click()
        .expect("follow it");
    tab.wait_until_navigated().expect("navigates");
    // The address changes before the new page's body is parsed: wait for the heading.
    let expected = format!("{section}|true");
    let deadline = Instant::now() + Duration::from_secs(10);
    let landed = loop {
        let landed = browser::eval(
            &tab,
            &format!("location.pathname + location.hash + '|' + !!document.getElementById('{id}')"),
        );
        if landed.as_str() == Some(expected.as_str()) || Instant::now() > deadline {
            break landed;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(landed.as_str(), Some(expected.as_str()));
}
