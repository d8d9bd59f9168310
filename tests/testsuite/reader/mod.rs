//! The reader's view of the sample library in headless Chromium: navigation by clicking, no
//! sideways scrolling on a phone or a laptop, the table of contents, code colours, dark mode,
//! tags, the 404 page, print, and a page that follows the author's edits in `serve`.
//! Screenshots for review land in `target/screenshots/`.

use crate::common::browser::{self, Chrome, DESKTOP, PHONE, View};
use crate::common::*;
use headless_chrome::Tab;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

mod axe;
mod defects;
mod features;
mod social;

const ARTICLE: &str = "/scorecards/metrics/win-rate/";
const LIBRARY: &str = "/scorecards/";

/// The sample library, built once for every test in this file and served on loopback.
fn site() -> &'static (PathBuf, String) {
    static SITE: OnceLock<(PathBuf, String)> = OnceLock::new();
    SITE.get_or_init(|| {
        let (dir, run) = build_sample(&[]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let site = dir.keep().join("site");
        let url = browser::serve_dir(&site);
        (site, url)
    })
}

fn open(chrome: &Chrome, path: &str, view: View) -> Arc<Tab> {
    chrome.open(&format!("{}{path}", site().1), view)
}

fn path_of(tab: &Tab) -> String {
    browser::eval(tab, "location.pathname")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Clicks the link `selector` like a reader and waits for the next page to load.
fn click_and_wait(tab: &Tab, selector: &str) {
    let before = location(tab);
    tab.wait_for_element(selector)
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .click()
        .expect("click");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = browser::try_eval(tab, "[location.pathname, document.readyState]");
        if let Some(now) = now
            && now[0] != before[0]
            && now[1] == "complete"
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "clicking {selector} went nowhere"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn location(tab: &Tab) -> serde_json::Value {
    browser::eval(tab, "[location.pathname, document.readyState]")
}

/// Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour.
fn luminance(css: &str) -> f64 {
    let nums: Vec<f64> = css
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse::<f64>().unwrap() / 255.0)
        .collect();
    0.2126 * nums[0] + 0.7152 * nums[1] + 0.0722 * nums[2]
}

fn style(tab: &Tab, selector: &str, property: &str) -> String {
    let js = format!(
        "getComputedStyle(document.querySelector({selector:?})).getPropertyValue({property:?})"
    );
    browser::eval(tab, &js)
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_reader_clicks_from_home_to_an_article() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, "/", DESKTOP);
    click_and_wait(&tab, &format!(".site-nav a[href=\"{LIBRARY}\"]"));
    assert_eq!(path_of(&tab), LIBRARY);
    click_and_wait(&tab, "main a[href=\"/scorecards/metrics/\"]");
    assert_eq!(path_of(&tab), "/scorecards/metrics/");
    click_and_wait(&tab, &format!("main a[href=\"{ARTICLE}\"]"));
    assert_eq!(path_of(&tab), ARTICLE);
    let h1 = browser::eval(&tab, "document.querySelector('h1').textContent");
    assert_eq!(h1, "How should you calculate win rate?");
}

#[test]
fn no_page_scrolls_sideways_on_a_phone_or_a_laptop() {
    let chrome = Chrome::launch();
    let pages = [
        "/",
        LIBRARY,
        "/scorecards/metrics/",
        ARTICLE,
        "/tags/",
        "/search/",
    ];
    let diagram_page = "/demand-gen/lead-scoring/lead-scoring-model/";
    for view in [PHONE, DESKTOP] {
        for path in pages.iter().chain([&diagram_page]) {
            let tab = open(&chrome, path, view);
            let widths = browser::eval(
                &tab,
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            );
            let (scroll, client) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
            assert!(
                scroll <= client,
                "{path} at {}px: {scroll} > {client}",
                view.width
            );
        }
    }
}

#[test]
fn the_table_of_contents_scrolls_to_its_heading() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    let links = browser::eval(
        &tab,
        "Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href'))",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert!(links.len() >= 4, "{links:?}");
    let last = links.last().unwrap().clone();
    tab.find_element(&format!("nav.toc a[href=\"{last}\"]"))
        .unwrap()
        .click()
        .unwrap();
    let id = last.trim_start_matches('#');
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let top = browser::eval(
            &tab,
            &format!("[scrollY, document.getElementById({id:?}).getBoundingClientRect().top]"),
        );
        let (scrolled, top) = (top[0].as_f64().unwrap(), top[1].as_f64().unwrap());
        if scrolled > 200.0 && (-5.0..120.0).contains(&top) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "heading {id} not scrolled into view: scrollY {scrolled}, top {top}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn code_is_coloured_and_dark_mode_is_dark() {
    let chrome = Chrome::launch();
    for view in [DESKTOP, DESKTOP.dark()] {
        let tab = open(&chrome, ARTICLE, view);
        let plain = style(&tab, "pre.code code", "color");
        let keyword = browser::eval(
            &tab,
            "(() => { const code = document.querySelector('pre.code code');
                const base = getComputedStyle(code).color;
                const spans = Array.from(code.querySelectorAll('span[class*=\"hl-\"]'));
                return spans.filter(s => getComputedStyle(s).color !== base).length; })()",
        );
        assert!(
            keyword.as_u64().unwrap_or(0) >= 3,
            "highlighted spans take theme colours (plain {plain})"
        );
        let body = luminance(&style(&tab, "body", "background-color"));
        let code_bg = luminance(&style(&tab, "pre.code", "background-color"));
        if view.dark {
            assert!(
                body < 0.2 && code_bg < 0.35,
                "dark: body {body}, code {code_bg}"
            );
            let text = luminance(&style(&tab, "body", "color"));
            assert!(text > 0.6, "dark mode text is light: {text}");
        } else {
            assert!(
                body > 0.8 && code_bg > 0.6,
                "light: body {body}, code {code_bg}"
            );
        }
    }
}

#[test]
fn tag_index_leads_to_a_tag_page_and_an_article() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, "/tags/", DESKTOP);
    click_and_wait(&tab, "main a[href=\"/tags/win-rate/\"]");
    assert_eq!(path_of(&tab), "/tags/win-rate/");
    click_and_wait(&tab, &format!("main a[href=\"{ARTICLE}\"]"));
    assert_eq!(path_of(&tab), ARTICLE);
}

#[test]
fn an_unknown_url_shows_the_404_page() {
    let chrome = Chrome::launch();
    let tab = open(&chrome, "/no/such/page/", DESKTOP);
    let text = browser::eval(&tab, "document.querySelector('main').textContent");
    assert!(
        text.as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains("not found"),
        "{text}"
    );
    assert!(tab.find_element("main a[href=\"/\"]").is_ok(), "a way home");
    let status = ureq::get(&format!("{}/no/such/page/", site().1))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 404);
}

#[test]
fn print_hides_navigation() {
    use headless_chrome::protocol::cdp::Emulation;
    let chrome = Chrome::launch();
    let tab = open(&chrome, ARTICLE, DESKTOP);
    assert_ne!(style(&tab, ".site-header", "display"), "none");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    for selector in [".site-header", "nav.toc", ".article-footer", ".site-search"] {
        assert_eq!(
            style(&tab, selector, "display"),
            "none",
            "{selector} in print"
        );
    }
    assert_ne!(style(&tab, ".article-body", "display"), "none");
}

#[test]
fn screenshots_for_review() {
    let chrome = Chrome::launch();
    let shots = [
        ("/", DESKTOP, "home-desktop"),
        ("/", PHONE, "home-phone"),
        (LIBRARY, DESKTOP, "library-desktop"),
        (ARTICLE, DESKTOP, "article-desktop-light"),
        (ARTICLE, DESKTOP.dark(), "article-desktop-dark"),
        (ARTICLE, PHONE, "article-phone-light"),
        (ARTICLE, PHONE.dark(), "article-phone-dark"),
        ("/tags/", DESKTOP, "tags-desktop"),
    ];
    for (path, view, name) in shots {
        let tab = open(&chrome, path, view);
        let file = browser::screenshot(&tab, view, name);
        assert!(std::fs::metadata(&file).unwrap().len() > 10_000, "{name}");
    }
}

#[test]
fn an_open_page_follows_an_edit_in_serve() {
    let fixture = Fixture::new(&[
        (
            "content/note.md",
            "---\ntitle: A note\n---\n\nThe first version of this note.\n",
        ),
        (
            "content/elsewhere/_index.md",
            "---\ntitle: Elsewhere\n---\n",
        ),
        (
            "content/elsewhere/gardens.md",
            "---\ntitle: Gardens\n---\n\nTulips bloom in spring.\n",
        ),
    ]);
    let (mut child, url) = start_serve(fixture.root());
    let chrome = Chrome::launch();
    // A page the edit does not touch must not reload: it marks itself to tell.
    let other = chrome.open(&format!("{url}elsewhere/gardens/"), DESKTOP);
    browser::eval(&other, "window.stacksMark = 'kept'; 1");
    let tab = chrome.open(&format!("{url}note/"), DESKTOP);
    let text = || {
        browser::eval(&tab, "document.querySelector('main').textContent")
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert!(text().contains("first version"));
    // Nothing here reloads the tab: the served page must reload itself.
    fixture.write(
        "content/note.md",
        "---\ntitle: A note\n---\n\nThe second version of this note.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while !text().contains("second version") {
        assert!(Instant::now() < deadline, "the page never showed the edit");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        browser::eval(&other, "window.stacksMark || 'reloaded'").as_str(),
        Some("kept"),
        "a page the edit does not show was reloaded"
    );
    let _ = child.kill();
    let _ = child.wait();
}
