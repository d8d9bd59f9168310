//! schema.org JSON-LD for articles: `Article`, `BreadcrumbList` and `FAQPage`.
//!
//! Built as `serde_json` values, never by pasting strings, and made safe for a `<script>`
//! element by escaping `<`, `>` and `&` inside the JSON (a JSON string may hold `\u003c`), so a
//! title containing `</script>` cannot end the element early.

use super::context::Views;
use crate::model::PageId;
use serde_json::{Value, json};

/// Serialises `value` for inclusion inside `<script type="application/ld+json">`.
pub(super) fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
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
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title,
        "url": page.permalink,
        "mainEntityOfPage": page.permalink,
        "wordCount": page.body.word_count,
        "inLanguage": site.config.language,
        "publisher": { "@type": "Organization", "name": site.config.title, "url": base.absolute("") },
        "author": authors.iter().map(|a| json!({ "@type": "Person", "name": a })).collect::<Vec<_>>(),
    });
    let fields = article.as_object_mut().expect("a JSON object literal");
    if let Some(d) = page.summary() {
        fields.insert("description".into(), json!(d));
    }
    if let Some(d) = &page.front.date {
        fields.insert("datePublished".into(), json!(d.rfc3339()));
    }
    if let Some(d) = page.last_modified() {
        fields.insert("dateModified".into(), json!(d.rfc3339()));
    }
    if !page.front.tags.is_empty() {
        fields.insert("keywords".into(), json!(page.front.tags.join(", ")));
    }
    let crumbs: Vec<Value> = views
        .breadcrumb(page.section)
        .into_iter()
        .map(|l| (l.title, l.url))
        .chain(std::iter::once((page.title.clone(), page.url.clone())))
        .enumerate()
        .map(|(i, (name, url))| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": format!("{}{url}", base.origin),
            })
        })
        .collect();
    let mut blocks = vec![
        script_safe(&article),
        script_safe(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": crumbs,
        })),
    ];
    if !page.front.faq.is_empty() {
        let questions: Vec<Value> = page
            .front
            .faq
            .iter()
            .map(|f| {
                json!({
                    "@type": "Question",
                    "name": f.q,
                    "acceptedAnswer": { "@type": "Answer", "text": f.a },
                })
            })
            .collect();
        blocks.push(script_safe(&json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": questions,
        })));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_tags_cannot_escape() {
        let v = json!({ "headline": "</script><script>alert(1)</script> & more" });
        let s = script_safe(&v);
        assert!(!s.contains("</script>") && !s.contains('<'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
