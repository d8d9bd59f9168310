//! Template syntax of other generators in a library moved to stacks.
//!
//! Shortcodes (`{{< figure >}}`), Liquid tags (`{% include %}`) and template expressions
//! (`{{ site.title }}`) mean nothing without the generator that wrote them, so they stay text and
//! each file that has them gets one warning naming the first place. The exception is the tags
//! that only make a link's URL — Jekyll's `{% link %}` and `{% post_url %}`, Hugo's `ref` and
//! `relref`, the `url` filters and `site.baseurl` prefixes, Eleventy handbooks' `{% page %}` —
//! which are read as the path they name, so those links resolve and are checked like any other.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// A link destination made by a template tag, and the path it stands for.
static LINK_TAGS: LazyLock<Regex> = LazyLock::new(|| {
    let tags = [
        // Jekyll: `{% link path/from/root.md %}`, `{% post_url 2024-01-12-name %}`; Eleventy
        // handbooks' `{% page "/site/path/" %}`.
        r#"\{%-?\s*(?P<jekyll>link|post_url|page)\s+(?:["'](?P<q1>[^"'\s]+)["']|(?P<bare>[^\s%]+))\s*-?%\}"#,
        // Hugo: `{{< ref "path" >}}`, `{{< relref path="path" >}}`, also with `%`.
        r#"\{\{[<%]\s*(?:ref|relref)\s+(?:path=)?["'](?P<q2>[^"'\s]+)["'][^>%]*[>%]\}\}"#,
        // `{{ "/path/" | relative_url }}`, Hugo's `relURL` and friends.
        r#"\{\{-?\s*["'](?P<q3>[^"'\s]+)["']\s*\|\s*(?:url|relative_url|absolute_url|relURL|absURL|relLangURL|absLangURL)\s*-?\}\}"#,
        // `{{ site.baseurl }}/path` and its spellings.
        r#"\{\{-?\s*(?:site\.baseurl|site\.base_url|site\.url|base\.baseurl|\.Site\.BaseURL)\s*-?\}\}(?P<after>/[^)\s]*)"#,
    ];
    let alternatives: Vec<String> = tags.iter().map(|t| format!("(?:{t})")).collect();
    Regex::new(&format!(
        r#"(?P<open>\]\(\s*|\]:\s+)(?:{})(?P<anchor>#[^)\s]*)?"#,
        alternatives.join("|")
    ))
    .expect("the link tag pattern is valid")
});

/// The path a link tag names, as a link destination stacks resolves.
fn path_of(c: &Captures) -> String {
    let named = |n: &str| c.name(n).map(|m| m.as_str());
    let written = named("q1").or(named("bare"));
    let path = match (named("jekyll"), written) {
        (Some("link"), Some(p)) => format!("/{}", p.trim_start_matches('/')),
        (Some("post_url"), Some(p)) => format!("/_posts/{}.md", p.trim_start_matches('/')),
        // The handbooks' `page` names a site path, from the root whether or not it says so.
        (Some(_), Some(p)) => format!("/{}", p.trim_start_matches('/')),
        _ => named("q2")
            .or(named("q3"))
            .or(named("after"))
            .unwrap_or_default()
            .to_string(),
    };
    format!("{path}{}", named("anchor").unwrap_or(""))
}

/// `body` with every link destination written as a URL-making tag replaced by the path it
/// names; tags in code are left alone. Line numbers are unchanged.
pub(crate) fn rewrite_links(body: &str) -> Cow<'_, str> {
    if !(body.contains("{%") || body.contains("{{")) || !LINK_TAGS.is_match(body) {
        return Cow::Borrowed(body);
    }
    let code = code_ranges(body);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    LINK_TAGS.replace_all(body, |c: &Captures| {
        let whole = c.get(0).expect("a match has a whole");
        if in_code(whole.start()) {
            return whole.as_str().to_string();
        }
        // A tag broken over lines keeps its line breaks after the path, where a link
        // destination may have them, so later lines keep their numbers.
        let breaks = "\n".repeat(whole.as_str().matches('\n').count());
        format!("{}{}{breaks}", &c["open"], path_of(c))
    })
}

/// Byte ranges of code blocks and code spans.
pub(super) fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    out.push(start..range.end);
                }
            }
            Event::Code(_) => out.push(range),
            _ => {}
        }
    }
    out
}

/// Where a body first uses another generator's template syntax, and how often.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Found {
    /// Places found.
    pub count: usize,
    /// 1-based line and column of the first.
    pub line: usize,
    /// Column of the first.
    pub col: usize,
    /// The first one, shortened, to name it.
    pub example: String,
}

/// The openers of template syntax: shortcodes, Liquid and Jinja tags, expressions.
const OPENERS: [(&str, &str); 4] = [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")];

/// Finds template syntax in `body` outside the byte ranges `code` (code blocks and spans).
/// `at` turns a byte offset into a 1-based line and column.
pub(crate) fn scan(
    body: &str,
    code: &[std::ops::Range<usize>],
    at: impl Fn(usize) -> (usize, usize),
) -> Option<Found> {
    if !(body.contains("{{") || body.contains("{%")) {
        return None;
    }
    let mut found: Option<Found> = None;
    let mut from = 0;
    while from < body.len() {
        let Some((i, open, close)) = OPENERS
            .iter()
            .filter_map(|(o, c)| body[from..].find(o).map(|i| (from + i, *o, *c)))
            .min_by_key(|(i, o, _)| (*i, std::cmp::Reverse(o.len())))
        else {
            break;
        };
        if let Some(r) = code.iter().find(|r| r.contains(&i)) {
            from = r.end.max(i + 1);
            continue;
        }
        let Some(end) = body[i + open.len()..].find(close) else {
            break;
        };
        let stop = i + open.len() + end + close.len();
        let f = found.get_or_insert_with(Found::default);
        f.count += 1;
        if f.count == 1 {
            (f.line, f.col) = at(i);
            f.example = body[i..stop].chars().take(60).collect();
        }
        from = stop;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tags_become_paths() {
        let cases = [
            (
                r#"[a]({% page "/tools/hr/#leave" %})"#,
                "[a](/tools/hr/#leave)",
            ),
            (
                r#"[a]({% link _posts/2016-07-26-x.md %})"#,
                "[a](/_posts/2016-07-26-x.md)",
            ),
            (
                r#"[a]({% post_url 2010-07-21-name %}#part)"#,
                "[a](/_posts/2010-07-21-name.md#part)",
            ),
            (r#"[a]({{< ref "../other.md" >}})"#, "[a](../other.md)"),
            (
                r#"[a]({{< relref path="blog/b.md#x" lang="en" >}})"#,
                "[a](blog/b.md#x)",
            ),
            (r#"[a]({{ "/about/" | relative_url }})"#, "[a](/about/)"),
            (r#"[a]({{site.baseurl}}/x/y/)"#, "[a](/x/y/)"),
            ("[id]: {% link a/b.md %}", "[id]: /a/b.md"),
            ("[a]({% page \"x/\"\n%})", "[a](/x/\n)"),
        ];
        for (from, to) in cases {
            assert_eq!(rewrite_links(from), to, "{from}");
        }
    }

    #[test]
    fn tags_in_code_and_other_tags_stay() {
        let body = "`[a]({% link x.md %})`\n\n```\n[a]({{< ref \"y\" >}})\n```\n\n{% include note.html %}\n";
        assert_eq!(rewrite_links(body), body);
    }

    #[test]
    fn scan_counts_and_places_the_first() {
        let body = "intro `{{ code }}`\n\nsee {{< figure src=\"x\" >}} and {% include a %}\n";
        let code = code_ranges(body);
        let f = scan(body, &code, |o| (body[..o].matches('\n').count() + 1, 1)).unwrap();
        assert_eq!((f.count, f.line), (2, 3));
        assert_eq!(f.example, "{{< figure src=\"x\" >}}");
        assert!(scan("no templates here {x}", &[], |_| (1, 1)).is_none());
    }
}
