//! Social cards: every article's link preview names a PNG drawn at build time from its own
//! title, library and audit scores, at the size its head declares; unchanged cards are not
//! drawn again, changed ones are.

use super::site;
use crate::common::*;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The width and height of a PNG, decoded.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    (info.width, info.height)
}

/// The `content` of the head's `<meta property|name=…>`.
fn meta(page: &scraper::Html, key: &str) -> Option<String> {
    page.select(&sel(&format!("meta[property='{key}'], meta[name='{key}']")))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

#[test]
fn every_article_names_its_own_card_with_the_size_it_has() {
    let root = &site().0;
    // The page that lists every published article.
    let all = Fixture::page_at(&root.join("articles/index.html"));
    let articles: Vec<String> = all
        .select(&sel("main .link-list a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(articles.len() >= 32, "{articles:?}");
    let mut cards = std::collections::HashSet::new();
    for path in &articles {
        let page = Fixture::page_at(&root.join(path.trim_start_matches('/')).join("index.html"));
        let get = |key: &str| meta(&page, key).unwrap_or_else(|| panic!("{path}: no {key}"));
        assert_eq!(get("twitter:card"), "summary_large_image", "{path}");
        let url = get("og:image");
        assert_eq!(get("twitter:image"), url, "{path}");
        let rel = url
            .strip_prefix("https://ledgerline.example/")
            .unwrap_or_else(|| panic!("{path}: {url} is not an absolute address on the site"));
        let png = std::fs::read(root.join(rel)).unwrap_or_else(|e| panic!("{url}: {e}"));
        let (w, h) = png_size(&png);
        assert_eq!((w, h), (1200, 630), "{url}");
        assert_eq!(get("og:image:width"), w.to_string(), "{path}");
        assert_eq!(get("og:image:height"), h.to_string(), "{path}");
        let title = text_of(&page, "h1").expect("a title");
        assert_eq!(get("og:image:alt"), title, "{path}");
        assert!(
            cards.insert(png),
            "{url}: the same card as another article's"
        );
    }
}

#[test]
fn pages_other_than_articles_have_no_card() {
    let root = &site().0;
    for page in ["index.html", "tags/index.html", "scorecards/index.html"] {
        let html = Fixture::page_at(&root.join(page));
        assert_eq!(meta(&html, "og:image"), None, "{page}");
        assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary"));
    }
}

fn article(title: &str, description: &str) -> String {
    format!(
        "---\ntitle: '{title}'\ndescription: {description}\ndate: 2026-01-05\n---\n\nBody text.\n"
    )
}

/// A fixture library with two articles; `build` builds it and reads both cards.
fn two_articles() -> Fixture {
    Fixture::new(&[
        (
            "site.yaml",
            "title: Fixture library\nbase_url: https://example.com/\nsocial:\n  cards: true\n",
        ),
        ("content/lib/_index.md", "---\ntitle: Forecasting\n---\n"),
        (
            "content/lib/one.md",
            &article("Why forecasts miss", "Short."),
        ),
        (
            "content/lib/two.md",
            &article("Why forecasts hit", "Short."),
        ),
    ])
}

fn build(site: &Fixture) -> (Vec<u8>, Vec<u8>) {
    let run = site.stacks(&["build", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let read = |p: &str| std::fs::read(site.public().join(p)).unwrap();
    (read("social/lib/one.png"), read("social/lib/two.png"))
}

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_card_is_drawn_from_its_articles_title_and_escapes_it() {
    let site = two_articles();
    let (one, two) = build(&site);
    assert_eq!(png_size(&one), (1200, 630));
    assert!(one != two, "the articles differ only by their titles");
    // The same title draws the same card, whichever file it is in.
    site.write(
        "content/lib/two.md",
        &article("Why forecasts miss", "Short."),
    );
    let (_, two_now) = build(&site);
    assert!(two_now == one, "the same title, the same card");
    // Markup in a title is text on the card, not broken SVG.
    let odd = "Q&A: <why> do \"forecasts\" & pipelines miss by a mile, every single quarter, when the inputs look fine?";
    site.write(
        "content/lib/two.md",
        &article(&odd.replace('\'', "''"), "Short."),
    );
    let (_, two_odd) = build(&site);
    assert_eq!(png_size(&two_odd), (1200, 630));
    assert!(two_odd != one);
}

#[test]
fn an_unchanged_card_is_kept_and_a_changed_one_drawn_again() {
    let site = two_articles();
    let (one, _) = build(&site);
    let card = site.public().join("social/lib/one.png");
    let before = inode(&card);
    assert!(
        std::fs::metadata(site.root().join(".stacks-cache/social.bin"))
            .unwrap()
            .len()
            > 1000,
        "drawn cards are kept in the build cache"
    );
    build(&site);
    assert_eq!(inode(&card), before, "nothing changed: the card is kept");
    // A better audit score is another card with the same title.
    site.write(
        "content/lib/one.md",
        &format!(
            "---\ntitle: Why forecasts miss\ndescription: Why a sales forecast misses, in one sentence for search results.\ndate: 2026-01-05\nanswer: Forecasts miss because stages are not defined by what the buyer did.\ntags: [forecasting]\n---\n\n{}\n",
            "Forecasts miss when stages describe the seller's hopes rather than the buyer's actions. ".repeat(40)
        ),
    );
    let (better, _) = build(&site);
    assert!(better != one, "the score changed, so did the card");
    // The library's name is on the card.
    site.write(
        "content/lib/_index.md",
        "---\ntitle: Forecasting and pipeline\n---\n",
    );
    let (renamed, _) = build(&site);
    assert!(renamed != better, "the library changed, so did the card");
    // A site's own template replaces the theme's.
    let theme =
        std::fs::read_to_string(repo().join("themes/default/templates/social-card.svg")).unwrap();
    site.write(
        "templates/social-card.svg",
        &theme.replace("#ffffff", "#fdf6e3"),
    );
    let (recoloured, _) = build(&site);
    assert!(
        recoloured != renamed,
        "the template changed, so did the card"
    );
}

/// Replaces every card in the build cache with `marker` (LZ4-packed, as the cache holds
/// results): a card that comes out as the marker was taken from the cache, not drawn.
fn mark_cached_cards(site: &Fixture, marker: &[u8]) {
    let marker = lz4_flex::compress_prepend_size(marker);
    let cache = site.root().join(".stacks-cache/social.bin");
    let bytes = std::fs::read(&cache).unwrap();
    let magic = b"stacks cache 1\n";
    assert!(bytes.starts_with(magic));
    let (mut rest, mut out) = (&bytes[magic.len()..], magic.to_vec());
    while !rest.is_empty() {
        let len = u64::from_le_bytes(rest[32..40].try_into().unwrap()) as usize;
        out.extend_from_slice(&rest[..32]);
        out.extend_from_slice(&(marker.len() as u64).to_le_bytes());
        out.extend_from_slice(&marker);
        rest = &rest[40 + len..];
    }
    std::fs::write(&cache, out).unwrap();
}

#[test]
fn unchanged_cards_are_kept_or_taken_from_the_build_cache_never_drawn_again() {
    let site = two_articles();
    let (one, _) = build(&site);
    mark_cached_cards(&site, b"a2VwdCBpbiB0aGUgYnVpbGQgY2FjaGU="); // "kept in the build cache"
    // The published cards were made from the same inputs: kept as they are.
    let (kept, _) = build(&site);
    assert!(kept == one, "the published card is kept");
    // Without them, the build cache has them.
    std::fs::remove_dir_all(site.public()).unwrap();
    let (cached_one, cached_two) = build(&site);
    assert!(cached_one == b"kept in the build cache");
    assert!(cached_two == b"kept in the build cache");
}

#[test]
fn cards_can_be_turned_off() {
    let site = two_articles();
    site.write(
        "site.yaml",
        "title: Fixture library\nbase_url: https://example.com/\nsocial:\n  cards: false\n",
    );
    let run = site.stacks(&["build", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!site.public().join("social").exists());
    let page = site.page("lib/one/index.html");
    assert_eq!(meta(&page, "og:image"), None);
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"));
}
