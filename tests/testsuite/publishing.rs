//! What the site publishes for readers' tools and machines: sitemap, feeds, JSON-LD, llms.txt
//! and markdown sources, checked with real XML and JSON parsers.

use crate::common::*;
use std::collections::BTreeSet;

fn site() -> Fixture {
    Fixture::new(&[
        (
            "site.yaml",
            "title: Kb\nbase_url: https://example.com/kb/\ndescription: A test library.\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome to the library.\n",
        ),
        ("content/lib/_index.md", "---\ntitle: Lib\n---\n"),
        ("content/lib/coll/_index.md", "---\ntitle: Coll\n---\n"),
        (
            "content/lib/coll/one.md",
            "---\ntitle: One & only\ndescription: First.\ndate: 2026-01-02\nupdated: 2026-02-03\nauthor: Ana\ntags: [alpha, beta]\nfaq:\n  - q: What is one?\n    a: A number.\n  - q: And two?\n    a: Another.\n---\n\n## Part\n\nLink to [two](two.md).\n",
        ),
        (
            "content/lib/coll/two.md",
            "---\ntitle: Two\ndate: 2026-01-05\ntags: [alpha]\n---\n\nBack to [[one]].\n",
        ),
        (
            "content/lib/coll/draft.md",
            "---\ntitle: Secret draft\ndraft: true\ntags: [alpha]\n---\n",
        ),
        (
            "content/lib/coll/evil.md",
            "---\ntitle: \"Evil </script><script>alert(1)</script>\"\ndate: 2026-01-01\nfaq:\n  - q: \"</script>?\"\n    a: \"<b>no</b>\"\n---\n\nText.\n",
        ),
    ])
}

const PUBLISHED: [&str; 3] = [
    "https://example.com/kb/lib/coll/one/",
    "https://example.com/kb/lib/coll/two/",
    "https://example.com/kb/lib/coll/evil/",
];

fn built() -> Fixture {
    let s = site();
    let run = s.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    s
}

fn read(s: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(s.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn article_urls(doc: &roxmltree::Document, tag: &str) -> BTreeSet<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter_map(|n| {
            n.text()
                .map(str::to_string)
                .or_else(|| n.attribute("href").map(str::to_string))
        })
        .filter(|u| u.contains("/lib/coll/"))
        .collect()
}

#[test]
fn sitemap_lists_exactly_the_published_pages() {
    let s = built();
    let text = read(&s, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap is XML");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.com/kb/")),
        "{locs:?}"
    );
    let articles = article_urls(&doc, "loc");
    let want: BTreeSet<String> = PUBLISHED
        .iter()
        .map(|s| s.to_string())
        .chain(["https://example.com/kb/lib/coll/".to_string()])
        .collect();
    assert_eq!(articles, want);
    assert!(
        text.contains(
            "<loc>https://example.com/kb/lib/coll/one/</loc><lastmod>2026-02-03</lastmod>"
        ),
        "{text}"
    );
    assert!(read(&s, "robots.txt").contains("Sitemap: https://example.com/kb/sitemap.xml"));
}

#[test]
fn feeds_are_atom_with_absolute_urls_and_no_drafts() {
    let s = built();
    for (feed, want) in [
        ("atom.xml", PUBLISHED.to_vec()),
        ("lib/atom.xml", PUBLISHED.to_vec()),
        ("tags/alpha/atom.xml", vec![PUBLISHED[0], PUBLISHED[1]]),
        ("tags/beta/atom.xml", vec![PUBLISHED[0]]),
    ] {
        let text = read(&s, feed);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated"] {
            assert!(
                root.children().any(|n| n.has_tag_name(required)),
                "{feed} lacks {required}"
            );
        }
        let ids: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .map(|e| {
                e.children()
                    .find(|n| n.has_tag_name("id"))
                    .unwrap()
                    .text()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(ids, want.iter().map(|s| s.to_string()).collect(), "{feed}");
        assert!(!text.contains("Secret draft"));
        // Links inside full content are absolute.
        if let Some(content) = doc.descendants().find(|n| n.has_tag_name("content")) {
            let html = content.text().unwrap();
            assert!(
                !html.contains("href=\"/kb/"),
                "relative link in feed content: {html}"
            );
        }
    }
    let home = s.page("index.html");
    let alt = home
        .select(&sel("link[rel=alternate][type='application/atom+xml']"))
        .next()
        .unwrap();
    assert_eq!(alt.value().attr("href"), Some("/kb/atom.xml"));
    let term = s.page("tags/alpha/index.html");
    let hrefs: Vec<&str> = term
        .select(&sel("link[rel=alternate]"))
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/kb/tags/alpha/atom.xml"), "{hrefs:?}");
}

#[test]
fn json_ld_parses_and_faq_matches_front_matter() {
    let s = built();
    for slug in ["one", "two", "evil"] {
        let doc = s.page(&format!("lib/coll/{slug}/index.html"));
        let blocks: Vec<serde_json::Value> = doc
            .select(&sel("script[type='application/ld+json']"))
            .map(|e| serde_json::from_str(&e.text().collect::<String>()).expect("JSON-LD parses"))
            .collect();
        let types: Vec<&str> = blocks
            .iter()
            .map(|b| b["@type"].as_str().unwrap())
            .collect();
        assert!(
            types.contains(&"Article") && types.contains(&"BreadcrumbList"),
            "{types:?}"
        );
        let crumbs = &blocks
            .iter()
            .find(|b| b["@type"] == "BreadcrumbList")
            .unwrap()["itemListElement"];
        let names: Vec<&str> = crumbs
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(&names[..3], ["Home", "Lib", "Coll"]);
    }
    let doc = s.page("lib/coll/one/index.html");
    let blocks: Vec<serde_json::Value> = doc
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| serde_json::from_str(&e.text().collect::<String>()).unwrap())
        .collect();
    let article = blocks.iter().find(|b| b["@type"] == "Article").unwrap();
    assert_eq!(article["headline"], "One & only");
    assert_eq!(article["datePublished"], "2026-01-02T00:00:00Z");
    assert_eq!(article["dateModified"], "2026-02-03T00:00:00Z");
    assert_eq!(article["author"][0]["name"], "Ana");
    assert_eq!(article["keywords"], "alpha, beta");
    assert_eq!(article["url"], "https://example.com/kb/lib/coll/one/");
    assert!(article["wordCount"].as_u64().unwrap() > 0);
    let faq = blocks.iter().find(|b| b["@type"] == "FAQPage").unwrap();
    let qa: Vec<(String, String)> = faq["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["name"].as_str().unwrap().into(),
                q["acceptedAnswer"]["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        qa,
        [
            ("What is one?".into(), "A number.".into()),
            ("And two?".into(), "Another.".into())
        ]
    );
}

#[test]
fn a_script_tag_in_a_title_stays_text() {
    let s = built();
    let raw = read(&s, "lib/coll/evil/index.html");
    assert!(
        !raw.contains("<script>alert(1)</script>"),
        "unescaped script in page"
    );
    let doc = s.page("lib/coll/evil/index.html");
    assert_eq!(
        text_of(&doc, "h1").as_deref(),
        Some("Evil </script><script>alert(1)</script>")
    );
    // The only inline scripts are the JSON-LD ones (the theme's reading aids are a file), and
    // they still parse with the title intact.
    let scripts: Vec<String> = doc
        .select(&sel("script:not([src])"))
        .map(|e| e.text().collect())
        .collect();
    assert!(
        scripts
            .iter()
            .all(|t| serde_json::from_str::<serde_json::Value>(t).is_ok()),
        "{scripts:?}"
    );
    let article: serde_json::Value = serde_json::from_str(&scripts[0]).unwrap();
    assert_eq!(
        article["headline"],
        "Evil </script><script>alert(1)</script>"
    );
}

#[test]
fn llms_txt_links_every_article_markdown() {
    let s = built();
    let text = read(&s, "llms.txt");
    assert!(text.starts_with("# Kb\n\n> A test library.\n"), "{text}");
    assert!(text.contains("## Lib"), "{text}");
    let links: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- [")?.split("](").nth(1)?.split(')').next())
        .collect();
    assert_eq!(links.len(), PUBLISHED.len(), "{text}");
    for url in PUBLISHED {
        let md = format!("{url}index.md");
        assert!(links.contains(&md.as_str()), "{md} not in llms.txt");
        let rel = md.trim_start_matches("https://example.com/kb/");
        let source = read(&s, rel);
        assert!(
            source.starts_with("---\ntitle:"),
            "{rel} is not the article's markdown"
        );
    }
    assert!(!text.contains("Secret draft"));
    let doc = s.page("lib/coll/one/index.html");
    let download = doc.select(&sel(".download a")).next().unwrap();
    assert_eq!(
        download.value().attr("href"),
        Some("/kb/lib/coll/one/index.md")
    );
}

#[test]
fn every_head_has_canonical_description_open_graph_and_lang() {
    let s = built();
    for page in [
        "index.html",
        "lib/index.html",
        "lib/coll/one/index.html",
        "tags/index.html",
        "tags/alpha/index.html",
    ] {
        let doc = s.page(page);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("en"), "{page}");
        let canonical = doc
            .select(&sel("link[rel=canonical]"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        assert!(
            canonical.starts_with("https://example.com/kb/"),
            "{page}: {canonical}"
        );
        for css in [
            "meta[name=description]",
            "meta[property='og:title']",
            "meta[property='og:description']",
            "meta[name='twitter:card']",
        ] {
            let content = doc
                .select(&sel(css))
                .next()
                .and_then(|m| m.value().attr("content"));
            assert!(content.is_some_and(|c| !c.is_empty()), "{page}: {css}");
        }
    }
}
