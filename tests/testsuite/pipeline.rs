//! The build pipeline end to end on small fixture sites: what is written, where links point,
//! and how bad input is reported.

use crate::common::*;

const ARTICLE: &str = "---\ntitle: Pipeline coverage\ndescription: How much pipeline you need.\ndate: 2026-03-01\ntags: [Pipeline, metrics]\nanswer: About three times the target.\nfaq:\n  - q: Is 3x always right?\n    a: No.\nsources:\n  - title: A book\n    url: https://example.org/book\ncta: {label: Talk to us, url: https://example.org/contact}\n---\n\nThree times the number, usually.\n\n## Why coverage matters\n\nSee [[win-rate]] and [the rate](win-rate.md#how-to-count).\n\n### A detail\n\ntext\n\n## How to compute it\n\n![coverage chart](chart.svg)\n";

fn library() -> Fixture {
    Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
        (
            "content/metrics/_index.md",
            "---\ntitle: Metrics\ndescription: Numbers.\n---\n",
        ),
        ("content/metrics/pipeline-coverage.md", ARTICLE),
        (
            "content/metrics/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "content/metrics/win-rate.md",
            "---\ntitle: Win rate\ntags: [pipeline]\ndate: 2026-02-01\n---\n\n## How to count\n\nBack to [[Pipeline coverage|coverage]].\n",
        ),
        (
            "content/metrics/bundle/index.md",
            "---\ntitle: A bundle\ntags: pipeline\n---\n\n![diagram of stages](stages.svg)\n",
        ),
        (
            "content/metrics/bundle/stages.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ])
}

#[test]
fn builds_pretty_urls_and_prints_a_summary() {
    let site = library();
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    assert!(run.stdout.contains(" ms"), "{}", run.stdout);
    for file in [
        "index.html",
        "404.html",
        "metrics/index.html",
        "metrics/pipeline-coverage/index.html",
        "metrics/win-rate/index.html",
        "metrics/bundle/index.html",
        "metrics/bundle/stages.svg",
        "metrics/chart.svg",
        "tags/index.html",
        "tags/pipeline/index.html",
        "style.css",
    ] {
        assert!(site.public().join(file).is_file(), "{file} missing");
    }
    assert!(run.stderr.is_empty(), "unexpected warnings: {}", run.stderr);
}

#[test]
fn article_shows_its_anatomy() {
    let site = library();
    assert_eq!(site.stacks(&["build"]).status, 0);
    let doc = site.page("metrics/pipeline-coverage/index.html");
    assert_eq!(text_of(&doc, "h1").as_deref(), Some("Pipeline coverage"));
    assert_eq!(
        text_of(&doc, "title").as_deref(),
        Some("Pipeline coverage — Fixture library")
    );
    let crumbs: Vec<String> = doc
        .select(&sel(".breadcrumb a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(crumbs, ["Home", "Metrics"]);
    for class in [
        "article-meta",
        "tags",
        "answer",
        "toc",
        "article-body",
        "faq",
        "sources",
        "cta",
    ] {
        assert!(
            doc.select(&sel(&format!(".{class}"))).next().is_some(),
            "no .{class}"
        );
    }
    let meta = text_of(&doc, ".article-meta").unwrap();
    assert!(
        meta.contains("words") && meta.contains("min read") && meta.contains("March 1, 2026"),
        "{meta}"
    );
    // Tags are merged case-insensitively and link to their pages.
    let tags: Vec<String> = doc
        .select(&sel(".tags a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(tags, ["/tags/pipeline/", "/tags/metrics/"]);
    // The TOC points at the body's headings, H3 nested under H2.
    let toc: Vec<String> = doc
        .select(&sel(".toc a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        toc,
        [
            "#why-coverage-matters",
            "#a-detail",
            "#how-to-compute-it",
            "#faq"
        ]
    );
    for anchor in &toc {
        assert!(
            doc.select(&sel(anchor)).next().is_some(),
            "no element {anchor}"
        );
    }
    // Both link forms resolved to the target's URL, a wiki link shows the target's title.
    let body_links: Vec<(String, String)> = doc
        .select(&sel(".article-body a:not(.heading-anchor)"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        body_links,
        [
            ("/metrics/win-rate/".to_string(), "Win rate".to_string()),
            (
                "/metrics/win-rate/#how-to-count".to_string(),
                "the rate".to_string()
            )
        ]
    );
    let img = doc.select(&sel(".article-body img")).next().unwrap();
    assert_eq!(img.value().attr("src"), Some("/metrics/chart.svg"));
    assert_eq!(img.value().attr("alt"), Some("coverage chart"));
    // Win rate links back: it is offered once under the article, in "referenced by" unless
    // "more from this collection" already shows it.
    let footer: Vec<String> = doc
        .select(&sel(".article-footer li > a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    let offered = footer.iter().filter(|h| *h == "/metrics/win-rate/").count();
    assert_eq!(offered, 1, "{footer:?}");
}

#[test]
fn every_link_resolves_at_the_root_and_under_a_sub_path() {
    let site = library();
    assert_eq!(site.stacks(&["build"]).status, 0);
    let broken = broken_links(&site.public(), "/", "");
    assert!(broken.is_empty(), "{broken:#?}");

    let run = site.stacks(&["build", "--base-url", "https://example.com/kb/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let broken = broken_links(&site.public(), "/kb/", "https://example.com");
    assert!(broken.is_empty(), "{broken:#?}");
    let doc = site.page("metrics/win-rate/index.html");
    let canonical = doc.select(&sel("link[rel=canonical]")).next().unwrap();
    assert_eq!(
        canonical.value().attr("href"),
        Some("https://example.com/kb/metrics/win-rate/")
    );
}

#[test]
fn tag_pages_paginate() {
    let site = library();
    site.write("site.yaml", "title: T\npaginate_by: 2\n");
    assert_eq!(site.stacks(&["build"]).status, 0);
    let first = site.page("tags/pipeline/index.html");
    assert_eq!(first.select(&sel(".page-list > li")).count(), 2);
    let next = first.select(&sel("a[rel=next]")).next().unwrap();
    assert_eq!(next.value().attr("href"), Some("/tags/pipeline/page/2/"));
    let second = site.page("tags/pipeline/page/2/index.html");
    assert_eq!(second.select(&sel(".page-list > li")).count(), 1);
    assert!(second.select(&sel("a[rel=prev]")).next().is_some());
    assert!(broken_links(&site.public(), "/", "").is_empty());
}

#[test]
fn malformed_front_matter_in_two_files_is_reported_and_the_old_site_kept() {
    let site = library();
    assert_eq!(site.stacks(&["build"]).status, 0);
    let before = snapshot(&site.public());
    site.write(
        "content/metrics/a.md",
        "---\ntitle: A\ntags: [one, two\n---\nbody\n",
    );
    site.write(
        "content/metrics/b.md",
        "---\ntitle: B\n\tdate: 2026-01-01\n---\nbody\n",
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    let a = run
        .stderr
        .lines()
        .find(|l| l.contains("content/metrics/a.md:") && l.contains("error"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let b = run
        .stderr
        .lines()
        .find(|l| l.contains("content/metrics/b.md:") && l.contains("error"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    // file:line:col, with the line inside the file (front matter starts on line 2).
    for (line, want_line) in [(a, 4), (b, 3)] {
        let loc = line.split(": ").next().unwrap();
        let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
        assert_eq!(parts.len(), 3, "{line}");
        let l: usize = parts[1].parse().unwrap();
        assert!(l >= 2 && l <= want_line, "{line}");
        assert!(parts[0].parse::<usize>().is_ok(), "{line}");
    }
    // Both errors with their hints, and no follow-on noise such as a missing title.
    assert_said(
        "pipeline",
        "malformed_front_matter",
        &run.stderr,
        site.root(),
    );
    assert_eq!(
        snapshot(&site.public()),
        before,
        "the previous site changed"
    );
}

#[test]
fn hugo_style_article_builds() {
    let site = library();
    site.write(
        "content/metrics/from-hugo.md",
        "---\ntitle: \"Moved from Hugo\"\nsummary: An article written for Hugo.\nlastmod: 2023-03-01\nauthors: [Ana, Ben]\nexpirydate: 2030-01-01\ndate: 2023-02-24 9:28:00 -0500\ndraft: false\n---\n\nSee {{< ref \"win-rate\" >}} for more.\n",
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/metrics/from-hugo.md:11:5: warning: template syntax from another generator (`{{< ref \"win-rate\" >}}`) is shown as text"),
        "{}",
        run.stderr
    );
    let doc = site.page("metrics/from-hugo/index.html");
    assert!(text_of(&doc, ".article-body").unwrap().contains("{{< ref "));
    let meta = text_of(&doc, ".article-meta").unwrap();
    assert!(
        meta.contains("February 24, 2023")
            && meta.contains("March 1, 2023")
            && meta.contains("Ana, Ben"),
        "{meta}"
    );
    let description = doc.select(&sel("meta[name=description]")).next().unwrap();
    assert_eq!(
        description.value().attr("content"),
        Some("An article written for Hugo.")
    );
}

#[test]
fn dated_file_names_and_missing_titles() {
    let site = library();
    site.write(
        "content/metrics/2025-05-06-old-notes.md",
        "# Old notes\n\nText.\n",
    );
    site.write("content/metrics/no-title.md", "Just text.\n");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let doc = site.page("metrics/old-notes/index.html");
    assert_eq!(text_of(&doc, "h1").as_deref(), Some("Old notes"));
    assert_eq!(
        doc.select(&sel("h1")).count(),
        1,
        "the H1 that became the title is not repeated"
    );
    assert!(
        text_of(&doc, ".article-meta")
            .unwrap()
            .contains("May 6, 2025")
    );
    assert_eq!(
        text_of(&site.page("metrics/no-title/index.html"), "h1").as_deref(),
        Some("no title")
    );
    assert!(
        run.stderr
            .contains("content/metrics/no-title.md:1:1: warning"),
        "{}",
        run.stderr
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let site = library();
    site.write(
        "content/metrics/wip.md",
        "---\ntitle: WIP\ndraft: true\n---\n",
    );
    assert_eq!(site.stacks(&["build"]).status, 0);
    assert!(!site.public().join("metrics/wip/index.html").exists());
    assert_eq!(site.stacks(&["build", "--drafts"]).status, 0);
    assert!(site.public().join("metrics/wip/index.html").exists());
}

#[test]
fn editor_leftovers_and_hidden_files_are_skipped() {
    let site = library();
    for name in [".#x.md", "x.md~", ".x.md.swp", "4913", ".hidden.md"] {
        site.write(&format!("content/metrics/{name}"), "---\ntitle: [broken\n");
    }
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!site.public().join("metrics/4913").exists());
}

#[test]
fn unknown_config_key_names_the_closest() {
    let site = library();
    site.write("site.yaml", "title: T\ntaxonomy: [tags]\n");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("site.yaml:2:1: error: unknown key `taxonomy`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `taxonomies`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn duplicate_urls_name_both_files() {
    let site = library();
    site.write("content/metrics/bundle.md", "---\ntitle: Clash\n---\n");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("content/metrics/bundle.md")
            && run.stderr.contains("content/metrics/bundle/index.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn impossible_dates_are_errors_with_the_line() {
    let site = library();
    site.write(
        "content/metrics/d.md",
        "---\ntitle: D\ndate: 2026-13-45\n---\n",
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("content/metrics/d.md:3:1: error: `date`"),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_dangerous_output_folders() {
    let site = library();
    let root = site.root().to_str().unwrap().to_string();
    for out in [
        root.clone(),
        format!("{root}/content"),
        site.root().parent().unwrap().to_str().unwrap().to_string(),
    ] {
        let run = site.stacks(&["build", "--output", &out]);
        assert_eq!(run.status, 1, "{out}");
        assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    }
    assert!(site.root().join("content/metrics/win-rate.md").exists());
}

#[test]
fn site_templates_override_the_theme() {
    let site = library();
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block main %}<p class=\"custom\">gone</p>{% endblock main %}");
    assert_eq!(site.stacks(&["build"]).status, 0);
    assert_eq!(
        text_of(&site.page("404.html"), ".custom").as_deref(),
        Some("gone")
    );
}

#[test]
fn template_errors_point_at_the_template() {
    let site = library();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ nope }}{% endblock main %}",
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("templates/404.html:2:"),
        "{}",
        run.stderr
    );
    site.write("templates/404.html", "{% if %}");
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("templates/404.html:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_content_folder_is_a_clear_error() {
    let site = Fixture::new(&[]);
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("no `content/` folder"),
        "{}",
        run.stderr
    );
}
