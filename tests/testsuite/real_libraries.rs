//! The real public libraries in `../shared/corpora/` — Hugo's documentation (Hugo), a
//! government team's handbook (Eleventy, with Jekyll heritage) and a software company's handbook
//! (Next.js) — built with the `site.yaml` the README's "Moving from Hugo, Jekyll or Eleventy"
//! tells a migrating user to write, and their pages inspected.
//!
//! Their text is not part of this project, so these tests are `#[ignore]`d: `.ci/run` runs them
//! after the main suite with `cargo test --test testsuite real_libraries -- --ignored`. Where the folder
//! is missing they fail and say so; they never pass without having built the libraries.

use crate::common::{Run, sel, text_of};
use scraper::Html;
use std::path::{Path, PathBuf};

/// The day the builds are as of, so that expiry dates in the libraries judge the same way on
/// every run.
const TODAY: (&str, &str) = ("STACKS_BUILD_DATE", "2026-11-30");

fn corpus(name: &str) -> PathBuf {
    let dir = crate::common::repo()
        .join("../shared/corpora")
        .join(name)
        .join("content");
    assert!(
        dir.is_dir(),
        "{} is missing: these tests build the real libraries in ../shared/corpora/ and cannot \
         run without them (they are not part of the project)",
        dir.display()
    );
    dir
}

/// The `site.yaml` block of the README that starts with `marker`.
fn readme_site_yaml(marker: &str) -> String {
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    let start = readme
        .find(&format!("```yaml\n{marker}\n"))
        .unwrap_or_else(|| panic!("the README has no site.yaml starting with `{marker}`"));
    let block = &readme[start + "```yaml\n".len()..];
    block[..block.find("```").unwrap()].to_string()
}

/// A site whose `content/` is the library (linked, not copied) and whose `site.yaml` is the
/// README's.
struct Library {
    dir: tempfile::TempDir,
    markdown_files: usize,
}

impl Library {
    fn new(name: &str, marker: &str) -> Self {
        let content = corpus(name);
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&content, dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), readme_site_yaml(marker)).unwrap();
        let markdown_files = walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .count();
        Self {
            dir,
            markdown_files,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn stacks(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.extend(["--root", &root]);
        crate::common::stacks_env(&all, &[TODAY])
    }

    /// Builds, checks the report a migrating user reads, and returns `check --format json`.
    fn build_and_check(&self) -> serde_json::Value {
        let run = self.stacks(&["build", "--no-search"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(!run.stderr.contains(": error: "), "{}", run.stderr);
        // Twenty warnings in full, then a summary by kind: one screen, not thousands of lines.
        let lines = run.stderr.lines().count();
        assert!(lines <= 60, "{lines} lines of warnings:\n{}", run.stderr);
        let summary: Vec<&str> = run
            .stderr
            .lines()
            .skip_while(|l| *l != "by kind:")
            .collect();
        assert!(
            (2..=12).contains(&summary.len()),
            "a summary by kind ends the run:\n{}",
            run.stderr
        );
        let check = self.stacks(&["check", "--format", "json"]);
        assert_eq!(check.status, 0, "{}", check.stderr);
        serde_json::from_str(&check.stdout).unwrap()
    }

    fn page(&self, rel: &str) -> Html {
        let path = self.public().join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }

    fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).is_file()
    }
}

/// Every markdown file the library means as a page became one: `pages` in the check's URL map
/// has at least 98% of them, and the rest are accounted for by reason.
fn assert_pages(lib: &Library, report: &serde_json::Value, unrendered_expected: usize) {
    let pages = report["pages"].as_array().unwrap();
    let from_files = pages.iter().filter(|p| p["file"].is_string()).count();
    let not_built = &report["not_built"];
    let unrendered = not_built["unrendered"].as_u64().unwrap() as usize;
    assert_eq!(unrendered, unrendered_expected, "{not_built}");
    let meant = lib.markdown_files - unrendered;
    println!(
        "{} of {} markdown files are pages ({} marked render: never by the library)",
        from_files, lib.markdown_files, unrendered
    );
    assert!(
        from_files * 100 >= meant * 98,
        "only {from_files} of {meant} markdown files became pages; not built: {not_built}"
    );
}

fn url_of<'a>(report: &'a serde_json::Value, file: &str) -> &'a str {
    report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == file)
        .and_then(|p| p["url"].as_str())
        .unwrap_or_else(|| panic!("{file} is not a page"))
}

fn refresh_target(doc: &Html) -> Option<String> {
    doc.select(&sel("meta[http-equiv=refresh]"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(|c| c.trim_start_matches("0; url=").to_string())
}

#[test]
#[ignore = "needs ../shared/corpora/hugo-docs; .ci/run runs it"]
fn hugo_documentation() {
    let lib = Library::new("hugo-docs", "# site.yaml moved from Hugo");
    let report = lib.build_and_check();
    // Two cascades say `render: never`, so Hugo writes none of these pages either: the 47
    // snippets of the headless `_common/` and the 155 glossary terms that the glossary page
    // shows inline.
    assert_pages(&lib, &report, 202);
    assert!(!lib.exists("_common/index.html"));
    // `url:` in front matter, kept as written (underscores and all).
    assert_eq!(
        url_of(&report, "content/commands/hugo_mod_tidy.md"),
        "/commands/hugo_mod_tidy/"
    );
    let tidy = lib.page("commands/hugo_mod_tidy/index.html");
    assert_eq!(text_of(&tidy, "h1").as_deref(), Some("hugo mod tidy"));
    // A file name in mixed case becomes a lower-case URL, as Hugo makes it.
    assert_eq!(
        url_of(&report, "content/functions/strings/HasSuffix.md"),
        "/functions/strings/hassuffix/"
    );
    // Aliases: a section's old URL redirects to it.
    assert_eq!(
        refresh_target(&lib.page("release-notes/index.html")).as_deref(),
        Some("/news/")
    );
    // expiryDate: a page deprecated past its expiry is left out, a later one is built.
    assert!(
        !report["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == "content/methods/page/Scratch.md")
    );
    assert!(lib.exists("methods/page/sites/index.html"));
    // Categories and keywords from front matter.
    let categories = lib.page("categories/index.html");
    assert!(
        categories.select(&sel("a")).count() > 3,
        "the categories index lists terms"
    );
    let keywords = tidy
        .select(&sel("meta[name=keywords]"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string));
    let front =
        std::fs::read_to_string(corpus("hugo-docs").join("commands/hugo_mod_tidy.md")).unwrap();
    if front.contains("keywords: [") && !front.contains("keywords: []") {
        assert!(keywords.is_some());
    }
}

#[test]
#[ignore = "needs ../shared/corpora/tts-handbook; .ci/run runs it"]
fn government_handbook_from_eleventy() {
    let lib = Library::new("tts-handbook", "# site.yaml moved from Jekyll or Eleventy");
    let report = lib.build_and_check();
    assert_pages(&lib, &report, 0);
    // `permalink:` on a folder's index.md.
    assert_eq!(
        url_of(&report, "content/about-us/centers-of-excellence/index.md"),
        "/centers-of-excellence/"
    );
    assert!(lib.exists("centers-of-excellence/index.html"));
    // `redirect_from` makes the old flat URL redirect to the page.
    assert_eq!(
        refresh_target(&lib.page("voluntary-leave-transfer-program/index.html")).as_deref(),
        Some("/travel-and-leave/voluntary-leave-transfer-program/")
    );
    let leave = lib.page("travel-and-leave/voluntary-leave-transfer-program/index.html");
    assert_eq!(
        text_of(&leave, "h1").as_deref(),
        Some("Voluntary Leave Transfer Program")
    );
    let keywords = leave
        .select(&sel("meta[name=keywords]"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string));
    assert_eq!(
        keywords.as_deref(),
        Some("voluntary, donation, transfer, leave")
    );
    // `{% page "…" %}` links lead to the page, with their anchor.
    let going = lib.page("travel-and-leave/going-out-of-office/index.html");
    let hrefs: Vec<&str> = going
        .select(&sel(".article-body a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/tools/hrlinks/#using-leave"), "{hrefs:?}");
    // `redirect_to` pages are redirects.
    assert_eq!(
        refresh_target(&lib.page("redirects/buddy-handbook/index.html")).as_deref(),
        Some(
            "https://docs.google.com/document/d/13mY93EQFU3csWnY-X7orJdgMIhVhxm1JLb4mf7_l_to/edit#"
        )
    );
    assert_eq!(
        refresh_target(&lib.page("buddy-handbook/index.html")).as_deref(),
        refresh_target(&lib.page("redirects/buddy-handbook/index.html")).as_deref(),
        "an alias of a redirect goes straight to its target"
    );
    // Top-level pages are standalone: in the footer, not in the feed.
    let feed = std::fs::read_to_string(lib.public().join("atom.xml")).unwrap();
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let ids: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("id"))?.text())
        .collect();
    assert!(!ids.is_empty());
    for standalone in ["/about/", "/contributing/"] {
        assert!(
            !ids.iter().any(|id| id.ends_with(standalone)),
            "{standalone} in {ids:?}"
        );
    }
    let home = lib.page("index.html");
    let footer: Vec<&str> = home
        .select(&sel(".footer-pages a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(footer.contains(&"/contributing/"), "{footer:?}");
}

#[test]
#[ignore = "needs ../shared/corpora/sourcegraph-handbook; .ci/run runs it"]
fn company_handbook_from_next_js() {
    let lib = Library::new(
        "sourcegraph-handbook",
        "# site.yaml for a GitHub-style handbook",
    );
    let report = lib.build_and_check();
    assert_pages(&lib, &report, 0);
    // Titles come from the first heading; underscores stay in URLs.
    let chart = lib.page("team/org_chart/index.html");
    assert_eq!(text_of(&chart, "h1").as_deref(), Some("Org chart"));
    // A folder's index.md is the folder's page, listing what is inside.
    assert_eq!(
        url_of(&report, "content/departments/index.md"),
        "/departments/"
    );
    let departments = lib.page("departments/index.html");
    assert!(departments.select(&sel(".page-list a, .card a")).count() > 3);
    // Relative links to .md files (with anchors) become the pages' URLs.
    let home = lib.page("index.html");
    let hrefs: Vec<&str> = home
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"/company-info-and-process/about-sourcegraph/#open-company"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"/handbook/"), "{hrefs:?}");
}
