//! Related reading, backlinks and tag pages on the sample library, pins, and the measured
//! quality of related lists on a corpus with known topic clusters.

use stacks_corpus as corpus;

use crate::common::*;
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Site-relative URL paths of the article pages under `site`, with their parsed HTML.
fn articles(site: &Path) -> BTreeMap<String, Html> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(site) {
        let e = e.unwrap();
        if e.file_name() != "index.html" {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        if html.select(&sel("article.article")).next().is_none() {
            continue;
        }
        let dir = e.path().parent().unwrap().strip_prefix(site).unwrap();
        out.insert(format!("/{}/", dir.to_str().unwrap()), html);
    }
    out
}

fn list(html: &Html, section: &str) -> Vec<String> {
    html.select(&sel(&format!("section.{section} li > a")))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn sample_articles_show_related_lists_and_backlinks() {
    let (out, run) = build_sample(&["--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = out.path().join("site");
    let pages = articles(&site);
    let draft = "/revops/forecasting/forecasting-with-ai/";
    assert!(
        pages.contains_key(draft),
        "the draft is built with --drafts"
    );
    let collection_of = |url: &str| url.rsplitn(3, '/').nth(2).unwrap().to_string();
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for url in pages.keys().filter(|u| *u != draft) {
        *sizes.entry(collection_of(url)).or_default() += 1;
    }

    // Who links to whom, read from the article bodies.
    let mut linked_from: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (url, html) in &pages {
        for a in html.select(&sel(".article-body a[href]")) {
            let href = a.value().attr("href").unwrap();
            let target = href.split('#').next().unwrap();
            if pages.contains_key(target) && target != url {
                linked_from
                    .entry(target.to_string())
                    .or_default()
                    .insert(url.clone());
            }
        }
    }

    for (url, html) in pages.iter().filter(|(u, _)| *u != draft) {
        let related = list(html, "related");
        assert_eq!(related.len(), 5, "{url}: {related:?}");
        let more = list(html, "more-in-collection");
        let expected = (sizes[&collection_of(url)] - 1).min(5);
        assert_eq!(more.len(), expected, "{url}: {more:?}");
        for r in related.iter().chain(&more) {
            assert_ne!(r, url, "{url} lists itself");
            assert_ne!(r, draft, "{url} lists the draft");
        }
        assert!(more.iter().all(|m| collection_of(m) == collection_of(url)));
        assert!(
            related
                .iter()
                .all(|r| collection_of(r) != collection_of(url)),
            "{url}: related reading is the rest of the library, not the collection again"
        );
        let mut unique = related.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), related.len(), "{url}: duplicates");

        // Every article linking here is offered once: in "referenced by" unless a list above
        // already shows it.
        let backlinks: BTreeSet<String> = list(html, "backlinks").into_iter().collect();
        let shown: BTreeSet<&String> = related.iter().chain(&more).collect();
        let expected: BTreeSet<String> = linked_from
            .get(url)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|l| !shown.contains(l))
            .collect();
        assert_eq!(backlinks, expected, "{url}: backlinks");
    }
    assert!(
        linked_from.len() >= 25,
        "most articles are linked from another"
    );
}

#[test]
fn tag_index_and_paginated_tag_pages_on_the_sample_library() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo()).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(root.join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), root.join(rel)).unwrap();
        }
    }
    let config = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    let config = config.replace("paginate_by: 10", "paginate_by: 2");
    assert!(config.contains("paginate_by: 2"));
    std::fs::write(root.join("site.yaml"), config).unwrap();
    let run = stacks(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = root.join("public");
    let pages = articles(&site);

    // Tags as written in the articles, merged the way readers expect (case-insensitive).
    let mut tagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (url, html) in &pages {
        for a in html.select(&sel("ul.tags a")) {
            let href = a.value().attr("href").unwrap().to_string();
            tagged.entry(href).or_default().insert(url.clone());
        }
    }
    assert!(tagged.len() >= 15, "{} tags", tagged.len());
    let index =
        Html::parse_document(&std::fs::read_to_string(site.join("tags/index.html")).unwrap());
    let listed: Vec<(String, String)> = index
        .select(&sel("main a[href^=\"/tags/\"]"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    for (href, articles_with_tag) in &tagged {
        let (_, text) = listed
            .iter()
            .find(|(h, _)| h == href)
            .unwrap_or_else(|| panic!("{href} missing from /tags/"));
        let count = articles_with_tag.len().to_string();
        let shown = index
            .select(&sel("main li"))
            .find(|li| li.inner_html().contains(&format!("href=\"{href}\"")))
            .map(|li| li.text().collect::<String>())
            .unwrap_or_default();
        assert!(
            shown.contains(&count),
            "{href} ({text}) shows {shown:?}, expected {count}"
        );

        // Walk the paginated pages via their "next" links and collect every listed article.
        let mut seen = BTreeSet::new();
        let mut next = Some(href.clone());
        let mut pages_walked = 0;
        while let Some(url) = next {
            let file = site.join(url.trim_start_matches('/')).join("index.html");
            let html = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
            let items: Vec<String> = html
                .select(&sel("main a.page-list-title"))
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            assert!(
                items.len() <= 2,
                "{url}: {} items with paginate_by 2",
                items.len()
            );
            seen.extend(items);
            next = html
                .select(&sel("a[rel=next]"))
                .next()
                .map(|a| a.value().attr("href").unwrap().to_string());
            pages_walked += 1;
        }
        assert_eq!(&seen, articles_with_tag, "{href}");
        assert_eq!(pages_walked, articles_with_tag.len().div_ceil(2), "{href}");
    }
}

#[test]
fn pins_come_first_and_unknown_pins_are_reported() {
    let body = "\n\n## Part\n\nPipeline coverage and forecast accuracy for revenue teams.\n";
    let article = |title: &str, extra: &str| {
        format!("---\ntitle: {title}\ntags: [forecasting]\n{extra}---{body}")
    };
    let site = Fixture::new(&[
        ("content/lib/a/_index.md", "---\ntitle: A\n---\n"),
        (
            "content/lib/a/one.md",
            &article("One", "related: [three, missing-page]\n"),
        ),
        ("content/lib/a/two.md", &article("Two", "")),
        (
            "content/lib/b/three.md",
            "---\ntitle: Three\n---\n\nNothing in common.\n",
        ),
        ("content/lib/a/draft.md", &article("Draft", "draft: true\n")),
    ]);
    let run = site.stacks(&["build", "--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("one.md:4") && run.stderr.contains("missing-page"),
        "{}",
        run.stderr
    );
    let one = site.page("lib/a/one/index.html");
    let related = list(&one, "related");
    assert_eq!(related.first().map(String::as_str), Some("/lib/b/three/"));
    // A pin in the article's own collection leads "more from this collection" instead.
    let more = list(&one, "more-in-collection");
    assert_eq!(more.first().map(String::as_str), Some("/lib/a/two/"));
    assert!(!related.iter().any(|r| r.contains("draft")));
}

#[test]
fn related_lists_follow_topic_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        articles: 400,
        seed: 7,
        clusters: 12,
        ..corpus::Options::default()
    };
    let generated = corpus::generate(&options, dir.path()).unwrap();
    let run = stacks(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let pages = articles(&dir.path().join("public"));
    let (mut same, mut total) = (0usize, 0usize);
    for (url, html) in &pages {
        let cluster = generated.cluster_of[url];
        for r in list(html, "related") {
            total += 1;
            same += usize::from(generated.cluster_of[&r] == cluster);
        }
    }
    let share = same as f64 / total.max(1) as f64;
    println!(
        "related in the same topic cluster: {:.1}% of {total}",
        share * 100.0
    );
    assert!(total >= pages.len() * 4, "lists are filled");
    assert!(
        share >= 0.70,
        "only {:.1}% of related articles share the cluster",
        share * 100.0
    );
}
