//! schema.org JSON-LD for articles: `Article`, `BreadcrumbList` and `FAQPage`.
//!
//! Built as typed records serialised by `serde_json`, never by pasting strings, and made safe
//! for a `<script>` element by escaping `<`, `>` and `&` inside the JSON (a JSON string may hold
//! `\u003c`), so a title containing `</script>` cannot end the element early. Every article
//! has these blocks, and each rebuild works them out for every article to tell whether its page
//! changed, so they are records rather than `json!` maps that allocate each key.

use super::context::{Mode, Views};
use crate::model::PageId;
use serde::Serialize;

const CONTEXT: &str = "https://schema.org";

/// Serialises `value` for inclusion inside `<script type="application/ld+json">`.
pub(super) fn script_safe<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// A thing with only a type and a name: the publisher, an author.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Article<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    url: &'a str,
    main_entity_of_page: &'a str,
    word_count: usize,
    in_language: &'a str,
    publisher: Named<'a>,
    author: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BreadcrumbList {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem>,
}

#[derive(Serialize)]
struct ListItem {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: String,
    item: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    main_entity: Vec<Question<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    accepted_answer: Answer<'a>,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
}

/// The JSON-LD blocks of article `id`.
pub(super) fn article(views: &Views, id: PageId) -> Vec<String> {
    let site = views.site;
    let page = &site.pages[id];
    let base = &site.base;
    let authors: Vec<&str> = if page.front.authors.is_empty() {
        site.config.author.as_deref().into_iter().collect()
    } else {
        page.front.authors.iter().map(String::as_str).collect()
    };
    let article = Article {
        context: CONTEXT,
        kind: "Article",
        headline: &page.title,
        url: &page.permalink,
        main_entity_of_page: &page.permalink,
        word_count: page.body.word_count,
        in_language: &site.config.language,
        publisher: Named {
            kind: "Organization",
            name: &site.config.title,
            url: Some(base.absolute("")),
        },
        author: authors
            .iter()
            .map(|a| Named {
                kind: "Person",
                name: a,
                url: None,
            })
            .collect(),
        description: page.summary(),
        date_published: page.front.date.as_ref().map(|d| d.rfc3339()),
        date_modified: page.last_modified().map(|d| d.rfc3339()),
        keywords: (!page.front.tags.is_empty()).then(|| page.front.tags.join(", ")),
    };
    let crumbs = BreadcrumbList {
        context: CONTEXT,
        kind: "BreadcrumbList",
        item_list_element: views
            .breadcrumb(page.section)
            .into_iter()
            .map(|l| (l.title, l.url))
            .chain(std::iter::once((page.title.clone(), page.url.clone())))
            .enumerate()
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                position: i + 1,
                name,
                item: format!("{}{url}", base.origin),
            })
            .collect(),
    };
    let faq = (!page.front.faq.is_empty()).then(|| FaqPage {
        context: CONTEXT,
        kind: "FAQPage",
        main_entity: page
            .front
            .faq
            .iter()
            .map(|f| Question {
                kind: "Question",
                name: &f.q,
                accepted_answer: Answer {
                    kind: "Answer",
                    text: &f.a,
                },
            })
            .collect(),
    });
    match views.mode {
        Mode::Fingerprint => vec![fingerprint(&article, &crumbs, faq.as_ref())],
        Mode::Render(_) => {
            let mut blocks = vec![script_safe(&article), script_safe(&crumbs)];
            blocks.extend(faq.as_ref().map(script_safe));
            blocks
        }
    }
}

/// What the blocks are made from, in fingerprint mode: the blocks are a pure function of it,
/// and hashing it spares writing JSON for every article on every rebuild. Fields are taken
/// apart by name so that a field added to a block cannot be left out here, and empty ones are
/// hashed as such (the JSON leaves them out, which would let two different blocks hash alike).
fn fingerprint(article: &Article, crumbs: &BreadcrumbList, faq: Option<&FaqPage>) -> String {
    fn named<'a>(n: &'a Named<'a>) -> (&'static str, &'a str, Option<&'a str>) {
        let Named { kind, name, url } = n;
        (kind, name, url.as_deref())
    }
    let Article {
        context,
        kind,
        headline,
        url,
        main_entity_of_page,
        word_count,
        in_language,
        publisher,
        author,
        description,
        date_published,
        date_modified,
        keywords,
    } = article;
    let authors: Vec<_> = author.iter().map(named).collect();
    let article = (
        (context, kind, headline, url, main_entity_of_page),
        (word_count, in_language, named(publisher), authors),
        (description, date_published, date_modified, keywords),
    );
    let mut h = blake3::Hasher::new();
    crate::output::hash_value(&mut h, &(article, crumbs, faq));
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_end_tags_cannot_escape() {
        let v = json!({ "headline": "</script><script>alert(1)</script> & more" });
        let s = script_safe(&v);
        assert!(!s.contains("</script>") && !s.contains('<'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
