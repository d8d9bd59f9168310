//! Finding the next thing to read: link forms, broken-link reports, backlinks, aliases and
//! taxonomies.

use crate::common::*;

fn site(extra: &[(&str, &str)]) -> Fixture {
    let mut files = vec![
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/lib/_index.md", "---\ntitle: Lib\n---\n"),
        ("content/lib/coll/_index.md", "---\ntitle: Coll\n---\n"),
        (
            "content/lib/coll/target.md",
            "---\ntitle: The Target Page\ntags: [Social Media]\ndate: 2026-01-01\n---\n\n## First part\n\n## Second part\n",
        ),
        (
            "content/lib/coll/linker.md",
            "---\ntitle: Linker\ntags: [social-media, other]\ndate: 2026-01-02\n---\n\n\
             - [rel](target.md)\n\
             - [rel anchor](target.md#second-part)\n\
             - [abs](/lib/coll/target/)\n\
             - [abs md](/lib/coll/target.md)\n\
             - [[target]]\n\
             - [[The Target Page]]\n\
             - [[target|piped text]]\n\
             - [[target#first-part]]\n\
             - [section](../_index.md)\n",
        ),
        ("content/other/_index.md", "---\ntitle: Other\n---\n"),
        (
            "content/other/far.md",
            "---\ntitle: Far\ntags: [social-media]\ndate: 2026-01-03\n---\n\nSee [the target](../lib/coll/target.md).\n",
        ),
    ];
    files.extend_from_slice(extra);
    Fixture::new(&files)
}

#[test]
fn every_link_form_resolves_to_the_final_url() {
    let s = site(&[]);
    let run = s.stacks(&["build", "--base-url", "https://example.com/kb/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let doc = s.page("lib/coll/linker/index.html");
    let links: Vec<(String, String)> = doc
        .select(&sel(".article-body li a"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect(),
            )
        })
        .collect();
    let t = "/kb/lib/coll/target/";
    assert_eq!(
        links,
        [
            (t.to_string(), "rel".to_string()),
            (format!("{t}#second-part"), "rel anchor".to_string()),
            (t.to_string(), "abs".to_string()),
            (t.to_string(), "abs md".to_string()),
            (t.to_string(), "The Target Page".to_string()),
            (t.to_string(), "The Target Page".to_string()),
            (t.to_string(), "piped text".to_string()),
            (format!("{t}#first-part"), "The Target Page".to_string()),
            ("/kb/lib/".to_string(), "section".to_string()),
        ]
    );
    assert!(broken_links(&s.public(), "/kb/", "https://example.com").is_empty());
}

#[test]
fn every_linking_article_is_offered_once_under_the_article() {
    let s = site(&[]);
    assert_eq!(s.stacks(&["build"]).status, 0);
    let doc = s.page("lib/coll/target/index.html");
    let hrefs = |css: &str| -> Vec<String> {
        doc.select(&sel(css))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    let footer = hrefs(".article-footer li > a");
    for linker in ["/other/far/", "/lib/coll/linker/"] {
        let n = footer.iter().filter(|h| *h == linker).count();
        assert_eq!(n, 1, "{linker} in {footer:?}");
    }
    // "Referenced by" holds the linkers that no list above it shows.
    let shown = hrefs(".related li > a, .more-in-collection li > a");
    for back in hrefs(".backlinks li > a") {
        assert!(!shown.contains(&back), "{back} twice");
    }
}

#[test]
fn missing_pages_and_anchors_are_named_with_a_suggestion() {
    let s = site(&[(
        "content/lib/coll/broken.md",
        "---\ntitle: Broken\n---\n\nSee [gone](targt.md) here.\n\nAnd [[target#secnd-part]].\n",
    )]);
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("content/lib/coll/broken.md:5:5: warning: link to `targt.md`"),
        "{}",
        warnings[0]
    );
    assert!(
        run.stderr
            .contains("did you mean content/lib/coll/target.md?"),
        "{}",
        run.stderr
    );
    assert!(warnings[1].starts_with("content/lib/coll/broken.md:7:5: warning: `The Target Page` has no heading with id `#secnd-part`"), "{}", warnings[1]);
    assert!(
        run.stderr.contains("did you mean `#second-part`?"),
        "{}",
        run.stderr
    );

    s.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\nlinks:\n  strict: true\n",
    );
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 1, "strict links fail the build");
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.contains(": error:"))
            .count(),
        2,
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_redirect_and_collisions_are_reported() {
    let s = site(&[(
        "content/lib/coll/moved.md",
        "---\ntitle: Moved\naliases: [/old/place/, old-page.html]\n---\n",
    )]);
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // A relative alias sits beside the page, as Hugo places it.
    for path in ["old/place/index.html", "lib/coll/old-page.html"] {
        let doc = s.page(path);
        let refresh = doc.select(&sel("meta[http-equiv=refresh]")).next().unwrap();
        assert_eq!(
            refresh.value().attr("content"),
            Some("0; url=/lib/coll/moved/")
        );
        assert_eq!(
            doc.select(&sel("link[rel=canonical]"))
                .next()
                .unwrap()
                .value()
                .attr("href"),
            Some("https://example.com/lib/coll/moved/")
        );
        assert_eq!(text_of(&doc, "a").as_deref(), Some("Moved"));
    }
    s.write(
        "content/lib/coll/clash.md",
        "---\ntitle: Clash\naliases:\n  - /lib/coll/target/\n---\n",
    );
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains("content/lib/coll/clash.md:3:1: warning: alias `/lib/coll/target/` is the URL of content/lib/coll/target.md; that page is kept"), "{}", run.stderr);
    assert_eq!(
        text_of(&s.page("lib/coll/target/index.html"), "h1").as_deref(),
        Some("The Target Page"),
        "the page wins over the alias"
    );
    s.write(
        "content/lib/coll/clash.md",
        "---\ntitle: Clash\naliases: [/old/place/, /x/, /x/]\n---\n",
    );
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("alias `/old/place/` is also claimed by content/lib/coll/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("alias `/x/` is listed twice"),
        "{}",
        run.stderr
    );
    s.write(
        "content/lib/coll/clash.md",
        "---\ntitle: Clash\naliases: [../../etc/passwd]\n---\n",
    );
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("may not contain `..`"),
        "{}",
        run.stderr
    );
}

#[test]
fn terms_merge_case_insensitively_and_list_counts() {
    let s = site(&[]);
    assert_eq!(s.stacks(&["build"]).status, 0);
    let index = s.page("tags/index.html");
    let terms: Vec<String> = index
        .select(&sel(".term-cloud a"))
        .map(|a| {
            a.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(terms, ["other 1", "social-media 3"]);
    let term = s.page("tags/social-media/index.html");
    let listed: Vec<String> = term
        .select(&sel(".page-list-title"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        listed,
        ["/other/far/", "/lib/coll/linker/", "/lib/coll/target/"],
        "newest first"
    );
}
