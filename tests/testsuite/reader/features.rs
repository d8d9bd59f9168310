//! What readers of the best documentation sites get, on the sample library: the section being
//! read, reading progress, code to copy, the way to the next article, where they are, who
//! wrote it, and what to do next. Pages a browser must run are driven in Chromium; the rest are
//! read from built HTML.

use super::{ARTICLE, LIBRARY, click_and_wait, open, path_of, site};
use crate::common::browser::{self, Chrome, DESKTOP};
use crate::common::*;
use std::time::{Duration, Instant};

#[test]
fn the_contents_mark_the_section_being_read_and_a_bar_shows_progress() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let progress = |tab: &headless_chrome::Tab| {
        browser::eval(
            tab,
            "new DOMMatrix(getComputedStyle(document.querySelector('.reading-progress span')).transform).a",
        )
        .as_f64()
        .expect("a reading progress bar")
    };
    assert!(progress(&tab) < 0.05, "nothing read yet");
    let target = browser::eval(
        &tab,
        "(() => { const links = document.querySelectorAll('nav.toc a');
           const a = links[Math.floor(links.length / 2)];
           document.getElementById(a.hash.slice(1)).scrollIntoView();
           return a.getAttribute('href'); })()",
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let current = browser::eval(
            &tab,
            "(document.querySelector('nav.toc a[aria-current]') || {}).hash || null",
        );
        if current == target {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the contents mark {current}, not {target}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = progress(&tab);
    assert!((0.2..0.95).contains(&done), "halfway through: {done}");
}

#[test]
fn code_blocks_name_their_language_and_copy_their_code() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let label = browser::eval(
        &tab,
        "getComputedStyle(document.querySelector('pre.code[data-lang=sql]'), '::before').content",
    );
    assert_eq!(label, "\"sql\"", "the language is named on the block");
    // The page's own handler copies the code: capture what it hands the clipboard.
    browser::eval(
        &tab,
        "(() => { navigator.clipboard.writeText = t => { window.copied = t; return Promise.resolve(); }; return 1; })()",
    );
    let button = tab
        .wait_for_element("pre.code[data-lang=sql] + button.copy-code")
        .expect("a copy button after the code");
    assert_eq!(
        button.get_attribute_value("aria-label").unwrap().as_deref(),
        Some("Copy sql code")
    );
    button.click().unwrap();
    let copied = browser::eval(&tab, "window.copied || null");
    let code = browser::eval(
        &tab,
        "document.querySelector('pre.code[data-lang=sql] code').innerText",
    );
    assert_eq!(copied, code);
    assert!(copied.as_str().unwrap().contains("SELECT"));
    let shown = browser::eval(
        &tab,
        "document.querySelector('button.copy-code').textContent",
    );
    assert_eq!(shown, "Copied");
}

#[test]
fn previous_and_next_follow_the_collection_and_home_leads_to_every_article() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    assert!(tab.find_element(".prev-next a[rel=prev]").is_err(), "first");
    click_and_wait(&tab, ".prev-next a[rel=next]");
    assert_eq!(
        path_of(&tab),
        "/scorecards/metrics/pipeline-coverage-ratio/"
    );
    click_and_wait(&tab, ".prev-next a[rel=prev]");
    assert_eq!(path_of(&tab), ARTICLE);

    let home = open(&chrome, "/", DESKTOP);
    click_and_wait(&home, ".all-articles-link a");
    assert_eq!(path_of(&home), "/articles/");
    let listed = browser::eval(
        &home,
        "Array.from(document.querySelectorAll('main .link-list a')).map(a => a.getAttribute('href'))",
    );
    let listed: Vec<String> = serde_json::from_value(listed).unwrap();
    assert_eq!(listed.len(), 32, "every published article: {listed:?}");
    assert!(listed.contains(&ARTICLE.to_string()));
}

#[test]
fn the_header_marks_the_current_library_and_the_breadcrumb_the_current_page() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let marked = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('.site-nav a[aria-current]'))
           .map(a => [a.getAttribute('href'), a.getAttribute('aria-current'), getComputedStyle(a).fontWeight])",
    );
    assert_eq!(marked[0][0], LIBRARY, "{marked}");
    assert_eq!(marked[0][1], "true");
    assert_eq!(marked.as_array().unwrap().len(), 1);
    assert!(marked[0][2].as_str().unwrap().parse::<u32>().unwrap() >= 600);
    let crumb = browser::eval(
        &tab,
        "document.querySelector('.breadcrumb [aria-current=page]').textContent",
    );
    assert_eq!(crumb, "How should you calculate win rate?");

    let library = open(&chrome, LIBRARY, DESKTOP);
    let marked = browser::eval(
        &library,
        "[document.querySelector('.site-nav a[aria-current]').getAttribute('aria-current'),
          document.querySelector('.breadcrumb [aria-current=page]').getAttribute('href')]",
    );
    assert_eq!(marked, serde_json::json!(["page", LIBRARY]));
}

#[test]
fn a_byline_leads_to_the_authors_profile_and_their_articles() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    click_and_wait(&tab, ".article-meta .authors a[rel=author]");
    assert_eq!(path_of(&tab), "/authors/daniel-reyes/");
    let text = browser::eval(&tab, "document.querySelector('main').innerText");
    let text = text.as_str().unwrap();
    assert!(text.contains("Daniel Reyes") && text.contains("revenue operations"));
    let listed = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('main .page-list a')).map(a => a.getAttribute('href'))",
    );
    let listed: Vec<String> = serde_json::from_value(listed).unwrap();
    assert!(listed.contains(&ARTICLE.to_string()), "{listed:?}");
    // Everyone listed wrote the article: the profile is built from the bylines.
    let by_daniel = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .is_ok_and(|t| t.contains("author: Daniel Reyes") && !t.contains("draft: true"))
        })
        .count();
    assert_eq!(listed.len(), by_daniel);
}

#[test]
fn the_end_of_an_article_has_the_review_date_the_call_to_action_and_feedback() {
    let page = Fixture::page_at(&site().0.join("scorecards/metrics/win-rate/index.html"));
    let reviewed = page
        .select(&sel(".article-end .last-reviewed time"))
        .next()
        .expect("a last reviewed date");
    assert_eq!(
        reviewed.value().attr("datetime"),
        Some("2026-03-04T00:00:00Z")
    );
    assert_eq!(
        text_of(&page, ".cta .button").as_deref(),
        Some("Book a diagnostic call")
    );
    let links: Vec<(String, String)> = page
        .select(&sel(".article-end .feedback a"))
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "Tell us".to_string(),
                "https://forms.ledgerline.example/feedback/?page=https%3A%2F%2Fledgerline%2Eexample%2Fscorecards%2Fmetrics%2Fwin%2Drate%2F".to_string()
            ),
            (
                "Suggest a change".to_string(),
                "https://github.com/ledgerline/revenue-library/edit/main/content/scorecards/metrics/win%2Drate%2Emd".to_string()
            ),
        ]
    );
}

#[test]
fn an_article_overrides_or_turns_off_the_sites_call_to_action() {
    let article = |extra: &str| {
        format!(
            "---\ntitle: Note\n{extra}answer: It's the \"right\" call -- mostly...\n---\n\nBody.\n"
        )
    };
    let site = Fixture::new(&[
        (
            "site.yaml",
            "title: L\nbase_url: https://example.com/\ncta: {label: Talk to us, url: https://example.org/talk}\n",
        ),
        ("content/lib/_index.md", "---\ntitle: Lib\n---\n"),
        ("content/lib/plain.md", &article("")),
        (
            "content/lib/own.md",
            &article("cta: {label: Read the guide, url: https://example.org/guide}\n"),
        ),
        ("content/lib/none.md", &article("cta: false\n")),
    ]);
    let run = site.stacks(&["build", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("cta"),
        "`cta: false` is not a mistake: {}",
        run.stderr
    );
    let button = |page: &str| text_of(&site.page(page), ".cta .button");
    assert_eq!(
        button("lib/plain/index.html").as_deref(),
        Some("Talk to us")
    );
    assert_eq!(
        button("lib/own/index.html").as_deref(),
        Some("Read the guide")
    );
    assert_eq!(button("lib/none/index.html"), None);
    // The answer box is set with the same punctuation as the body.
    assert_eq!(
        text_of(&site.page("lib/plain/index.html"), ".answer p").as_deref(),
        Some("It\u{2019}s the \u{201c}right\u{201d} call \u{2013} mostly\u{2026}")
    );
}
