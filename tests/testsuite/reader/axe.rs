//! axe-core, the accessibility engine most teams run, on every kind of page of the sample
//! library, light and dark: no WCAG 2.0 or 2.1 A or AA violation.

use super::{open, site};
use crate::common::browser::{self, Chrome, DESKTOP, PHONE_390};
use std::path::Path;

/// Every page a reader can reach, by site path: home, libraries, collections, articles, the
/// tag index and one tag page (the others share its template), search, the audit pages, and
/// an unknown address (the 404 page).
fn pages(root: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter_map(|e| {
            let rel = e.path().parent()?.strip_prefix(root).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            let first = rel.split('/').next().unwrap_or_default();
            if first == "pagefind" || (first == "tags" && rel.matches('/').count() > 0) {
                return None;
            }
            let html = std::fs::read_to_string(e.path()).ok()?;
            // Redirect pages for old addresses are never shown.
            (!html.contains("http-equiv=\"refresh\"")).then(|| {
                if rel.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{rel}/")
                }
            })
        })
        .collect();
    pages.sort();
    pages.push("/tags/win-rate/".into());
    pages.push("/no/such/page/".into());
    pages
}

#[test]
fn axe_finds_no_wcag_a_or_aa_violation_on_any_page_light_or_dark() {
    let script = browser::axe_script();
    let chrome = Chrome::launch();
    let pages = pages(&site().0);
    assert!(pages.len() > 40, "{pages:?}");
    let mut found = Vec::new();
    // Every page at desktop width; on a phone, where scrolling regions appear, one of each kind.
    let phone: Vec<String> = [
        "/",
        "/scorecards/",
        "/scorecards/metrics/",
        "/scorecards/metrics/win-rate/",
        "/demand-gen/lead-scoring/lead-scoring-model/",
        "/tags/",
        "/tags/win-rate/",
        "/search/",
        "/audit/",
        "/no/such/page/",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let runs = [
        (DESKTOP, &pages),
        (DESKTOP.dark(), &pages),
        (PHONE_390, &phone),
        (PHONE_390.dark(), &phone),
    ];
    for (view, pages) in runs {
        for path in pages {
            let tab = open(&chrome, path, view);
            for v in browser::axe_violations(&tab, &script) {
                let scheme = if view.dark { "dark" } else { "light" };
                found.push(format!("{path} ({}px, {scheme}): {v}", view.width));
            }
            let _ = tab.close(false);
        }
    }
    assert!(
        found.is_empty(),
        "{} violation(s):\n{}",
        found.len(),
        found.join("\n")
    );
}
