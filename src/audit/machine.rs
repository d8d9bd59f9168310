//! Machine checks: read from the rendered HTML of the article page and from the site's
//! `sitemap.xml` and `llms.txt`, so they certify what crawlers and answer engines receive
//! whatever the theme did with the model.
//!
//! Each page is read in one streaming pass with lol_html, collecting only what the checks need.

use super::Verdict;
use lol_html::{HtmlRewriter, Settings, element, text};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashSet;

/// A link and what it says.
#[derive(Debug, Default)]
struct LinkText {
    text: String,
    label: Option<String>,
}

/// What one pass over a page collects.
#[derive(Debug, Default)]
pub(super) struct Collected {
    lang: Option<String>,
    canonical: Option<String>,
    og_title: Option<String>,
    og_description: Option<String>,
    json_ld: Vec<String>,
    headings: Vec<u8>,
    images: usize,
    images_without_alt: usize,
    links: Vec<LinkText>,
}

/// Reads `html` once and keeps what the checks need. Malformed HTML is read the way browsers
/// read it; nothing here fails.
pub(super) fn collect(html: &[u8]) -> Collected {
    let c = RefCell::new(Collected::default());
    let attr = |el: &lol_html::html_content::Element, name: &str| {
        el.get_attribute(name).map(|v| decode_entities(&v))
    };
    let mut handlers = vec![
        element!("html", |el| {
            c.borrow_mut().lang = attr(el, "lang");
            Ok(())
        }),
        element!("link[rel~='canonical']", |el| {
            let mut c = c.borrow_mut();
            if c.canonical.is_none() {
                c.canonical = attr(el, "href");
            }
            Ok(())
        }),
        element!("meta[property='og:title']", |el| {
            c.borrow_mut().og_title = attr(el, "content");
            Ok(())
        }),
        element!("meta[property='og:description']", |el| {
            c.borrow_mut().og_description = attr(el, "content");
            Ok(())
        }),
        element!("script[type='application/ld+json']", |_| {
            c.borrow_mut().json_ld.push(String::new());
            Ok(())
        }),
        text!("script[type='application/ld+json']", |t| {
            if let Some(s) = c.borrow_mut().json_ld.last_mut() {
                s.push_str(t.as_str());
            }
            Ok(())
        }),
        element!("img", |el| {
            let mut c = c.borrow_mut();
            c.images += 1;
            let decorative = el.get_attribute("role").as_deref() == Some("presentation")
                || el.get_attribute("aria-hidden").as_deref() == Some("true");
            if !decorative && attr(el, "alt").is_none_or(|a| a.trim().is_empty()) {
                c.images_without_alt += 1;
            }
            Ok(())
        }),
        element!("a[href]", |el| {
            let label = attr(el, "aria-label");
            c.borrow_mut().links.push(LinkText {
                text: String::new(),
                label,
            });
            Ok(())
        }),
        text!("a[href]", |t| {
            if let Some(l) = c.borrow_mut().links.last_mut() {
                l.text.push_str(t.as_str());
            }
            Ok(())
        }),
    ];
    for (level, tag) in ["h1", "h2", "h3", "h4", "h5", "h6"].iter().enumerate() {
        let c = &c;
        handlers.push(element!(*tag, move |_| {
            c.borrow_mut().headings.push(level as u8 + 1);
            Ok(())
        }));
    }
    let settings = handlers
        .into_iter()
        .fold(Settings::new(), |s, h| s.append_element_content_handler(h));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // A rewriting error (only a memory limit, which is not set) would leave what was collected
    // so far, which fails the checks it could not see rather than passing them.
    let _ = rewriter.write(html);
    let _ = rewriter.end();
    c.into_inner()
}

/// What the machine checks of one article look at.
pub(super) struct Article<'a> {
    /// The rendered page, when there is one.
    pub page: Option<&'a Collected>,
    /// The article's absolute URL.
    pub permalink: &'a str,
    /// The absolute URL of its markdown source, as llms.txt links it.
    pub markdown: String,
    /// Whether the front matter has FAQ entries.
    pub has_faq: bool,
    /// Every `<loc>` of sitemap.xml.
    pub sitemap: &'a HashSet<String>,
    /// Every link target of llms.txt.
    pub llms: &'a HashSet<String>,
}

const VAGUE: [&str; 12] = [
    "click here",
    "click",
    "here",
    "read more",
    "more",
    "learn more",
    "this",
    "this link",
    "link",
    "this page",
    "go",
    "continue reading",
];

/// Link text that says nothing about its target.
fn vague(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let normal = words
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    VAGUE.contains(&normal.as_str())
}

/// The schema.org objects of a JSON-LD block: the block itself, its array items, its `@graph`.
fn nodes(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    match v {
        Value::Array(items) => items.iter().for_each(|i| out.extend(nodes(i))),
        Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                out.extend(nodes(g));
            }
        }
        _ => {}
    }
    out
}

fn has_type(node: &Value, wanted: &[&str]) -> bool {
    match node.get("@type") {
        Some(Value::String(t)) => wanted.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| wanted.contains(&t))),
        _ => false,
    }
}

fn non_empty(node: &Value, key: &str) -> bool {
    node.get(key)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

const ARTICLE_TYPES: [&str; 6] = [
    "Article",
    "BlogPosting",
    "NewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
];

fn jsonld_article(blocks: &[String]) -> Verdict {
    let mut parsed = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match serde_json::from_str::<Value>(b) {
            Ok(v) => parsed.push(v),
            Err(e) => {
                return Verdict::new(false, format!("JSON-LD block {} is not JSON: {e}", i + 1));
            }
        }
    }
    let schema = |v: &Value| {
        v.get("@context")
            .map(|c| c.to_string().contains("schema.org"))
            .unwrap_or(false)
    };
    for root in &parsed {
        for node in nodes(root) {
            if has_type(node, &ARTICLE_TYPES) {
                if !(schema(root) || schema(node)) {
                    return Verdict::new(false, "Article has no schema.org @context".into());
                }
                if !non_empty(node, "headline") {
                    return Verdict::new(false, "Article has no headline".into());
                }
                return Verdict::new(true, "Article with headline".into());
            }
        }
    }
    Verdict::new(
        false,
        format!("no Article among {} JSON-LD block(s)", blocks.len()),
    )
}

fn jsonld_faq(blocks: &[String]) -> Verdict {
    for b in blocks {
        let Ok(root) = serde_json::from_str::<Value>(b) else {
            continue;
        };
        for node in nodes(&root) {
            if !has_type(node, &["FAQPage"]) {
                continue;
            }
            let questions: Vec<&Value> = node
                .get("mainEntity")
                .map(nodes)
                .unwrap_or_default()
                .into_iter()
                .filter(|q| has_type(q, &["Question"]))
                .collect();
            let answered = questions
                .iter()
                .filter(|q| non_empty(q, "name"))
                .filter(|q| {
                    q.get("acceptedAnswer")
                        .is_some_and(|a| non_empty(a, "text"))
                })
                .count();
            if answered == 0 || answered < questions.len() {
                return Verdict::new(
                    false,
                    format!(
                        "FAQPage has {answered} answered question(s) of {}",
                        questions.len()
                    ),
                );
            }
            return Verdict::new(true, format!("FAQPage with {answered} question(s)"));
        }
    }
    Verdict::new(false, "the article has FAQ but no FAQPage JSON-LD".into())
}

fn heading_outline(levels: &[u8]) -> Verdict {
    let h1 = levels.iter().filter(|&&l| l == 1).count();
    if h1 != 1 {
        return Verdict::new(false, format!("{h1} H1 elements"));
    }
    let mut previous = 0u8;
    for &l in levels {
        if l > previous + 1 {
            let after = if previous == 0 {
                "the start of the page".to_string()
            } else {
                format!("H{previous}")
            };
            return Verdict::new(false, format!("H{l} follows {after}"));
        }
        previous = l;
    }
    Verdict::new(true, format!("{} headings, one H1", levels.len()))
}

/// Whether the article's URL (or its markdown source) is in one of the site's listings.
fn listed(a: &Article, set: &HashSet<String>, file: &str) -> Verdict {
    let found = set.contains(a.permalink) || set.contains(&a.markdown);
    let detail = if found {
        format!("{} is in {file}", a.permalink)
    } else {
        format!("{} is not in {file}", a.permalink)
    };
    Verdict::new(found, detail)
}

/// Runs `check` on the rendered page, or fails when the page was not rendered.
fn on_page(a: &Article, check: impl FnOnce(&Collected) -> Verdict) -> Verdict {
    match a.page {
        Some(p) => check(p),
        None => Verdict::new(false, "the article page was not rendered".into()),
    }
}

fn present(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// `in-sitemap`.
pub(super) fn in_sitemap(a: &Article) -> Verdict {
    listed(a, a.sitemap, "sitemap.xml")
}

/// `in-llms-txt`.
pub(super) fn in_llms_txt(a: &Article) -> Verdict {
    listed(a, a.llms, "llms.txt")
}

/// `jsonld-article`.
pub(super) fn jsonld_article_check(a: &Article) -> Verdict {
    on_page(a, |p| jsonld_article(&p.json_ld))
}

/// `jsonld-faq`.
pub(super) fn jsonld_faq_check(a: &Article) -> Verdict {
    if !a.has_faq {
        return Verdict::new(true, "no FAQ on this article".into());
    }
    on_page(a, |p| jsonld_faq(&p.json_ld))
}

/// `canonical`.
pub(super) fn canonical(a: &Article) -> Verdict {
    on_page(a, |p| match p.canonical.as_deref().map(str::trim) {
        None | Some("") => Verdict::new(false, "no <link rel=\"canonical\">".into()),
        Some(c) if !(c.starts_with("https://") || c.starts_with("http://")) => {
            Verdict::new(false, format!("canonical `{c}` is not an absolute URL"))
        }
        Some(c) if c != a.permalink => Verdict::new(
            false,
            format!("canonical `{c}` is not the article's URL {}", a.permalink),
        ),
        Some(c) => Verdict::new(true, c.to_string()),
    })
}

/// `open-graph`.
pub(super) fn open_graph(a: &Article) -> Verdict {
    on_page(a, |p| {
        match (present(&p.og_title), present(&p.og_description)) {
            (true, true) => Verdict::new(true, "og:title and og:description".into()),
            (false, true) => Verdict::new(false, "no og:title".into()),
            (true, false) => Verdict::new(false, "no og:description".into()),
            (false, false) => Verdict::new(false, "no og:title or og:description".into()),
        }
    })
}

/// `heading-outline`.
pub(super) fn heading_outline_check(a: &Article) -> Verdict {
    on_page(a, |p| heading_outline(&p.headings))
}

/// `image-alt`.
pub(super) fn image_alt(a: &Article) -> Verdict {
    on_page(a, |p| {
        Verdict::new(
            p.images_without_alt == 0,
            format!(
                "{} of {} image(s) without alt text",
                p.images_without_alt, p.images
            ),
        )
    })
}

/// `link-text`.
pub(super) fn link_text(a: &Article) -> Verdict {
    on_page(a, |p| {
        let bad: Vec<String> = p
            .links
            .iter()
            .map(|l| decode_entities(l.label.as_deref().unwrap_or(&l.text)))
            .filter(|t| vague(t))
            .map(|t| format!("\"{}\"", t.trim()))
            .collect();
        if bad.is_empty() {
            Verdict::new(true, format!("{} links, none vague", p.links.len()))
        } else {
            Verdict::new(false, format!("vague link text: {}", bad.join(", ")))
        }
    })
}

/// `lang`.
pub(super) fn lang(a: &Article) -> Verdict {
    on_page(a, |p| match p.lang.as_deref().map(str::trim) {
        Some(l) if !l.is_empty() => Verdict::new(true, format!("lang=\"{l}\"")),
        _ => Verdict::new(false, "<html> has no lang".into()),
    })
}

/// Decodes the character references that appear in attribute values and text.
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // A byte search: `;` is ASCII, so its offset is always a character boundary.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_collects_what_the_checks_need() {
        let html = br##"<!doctype html><html lang="en"><head>
<link rel="canonical" href="https://e.com/a/?x=1&amp;y=2">
<meta property="og:title" content="T &amp; U"><meta property="og:description" content="D">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","headline":"H"}</script>
</head><body><h1>T</h1><h2>A</h2><h3>B</h3><h2>C</h2>
<a href="/x/">Read <em>more</em></a> <a href="#y" aria-label="Link to this section">#</a>
<img src="a.png" alt="A chart"><img src="b.png"></body></html>"##;
        let c = collect(html);
        assert_eq!(c.lang.as_deref(), Some("en"));
        assert_eq!(c.canonical.as_deref(), Some("https://e.com/a/?x=1&y=2"));
        assert_eq!(c.og_title.as_deref(), Some("T & U"));
        assert_eq!(c.headings, [1, 2, 3, 2]);
        assert_eq!((c.images, c.images_without_alt), (2, 1));
        assert_eq!(c.links[0].text, "Read more");
        assert!(vague(&c.links[0].text));
        assert!(!vague(c.links[1].label.as_deref().unwrap()));
        assert!(jsonld_article(&c.json_ld).passed);
    }

    #[test]
    fn outlines() {
        assert!(heading_outline(&[1, 2, 3, 2, 2]).passed);
        assert!(!heading_outline(&[1, 2, 4]).passed);
        assert!(!heading_outline(&[1, 2, 1]).passed);
        assert!(!heading_outline(&[2, 1]).passed);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&bogus; &"),
            "a&b'cA&bogus; &"
        );
        assert_eq!(decode_entities("R&D — ünïcödé; &é;"), "R&D — ünïcödé; &é;");
        assert_eq!(decode_entities("&aaaaaaaaaaé;"), "&aaaaaaaaaaé;");
        assert_eq!(
            decode_entities("&#xD800;&#99999999999;"),
            "&#xD800;&#99999999999;"
        );
    }
}
