//! Property tests of the parsers that read what authors write: front matter, markdown, links and
//! diagrams. The inputs are built from fragments real files are made of (keys, values, headings,
//! fences, link forms) mixed with arbitrary text, so a short run reaches the interesting paths.
//! The same properties are fuzzed for longer by the targets in `fuzz/`.

use proptest::prelude::*;
use stacks::diagnostics::Diagnostics;
use stacks::internals::config;
use stacks::internals::front_matter;
use stacks::internals::markdown::{self, MarkdownOptions};
use stacks::internals::{Document, DocumentKind};
use stacks::internals::{LinkIndex, Target};
use stacks::internals::{Site, model};
use stacks::internals::{diagrams, parse};
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// Text with the characters that mean something to YAML, markdown and URLs.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[:\\[\\]{}&*!|>'\"#%@`,?\\-\\t ]{0,12}",
        "\\PC{0,12}",
    ]
}

fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("How does a fractional CRO build a revenue engine?".to_string()),
        Just("\"quoted: with a colon\"".to_string()),
        Just("'it''s'".to_string()),
        Just("2026-06-30".to_string()),
        Just("2023-02-24 9:28:00 -0500".to_string()),
        Just("2026-13-45".to_string()),
        Just("[pipeline, revops]".to_string()),
        Just("{label: Book a call, url: \"https://example.com/\"}".to_string()),
        Just("[{q: Why?, a: Because.}]".to_string()),
        Just(">\n  folded text\n  on two lines".to_string()),
        Just("\n  - one\n  - two".to_string()),
        Just("\n  - q: Q\n    a: A".to_string()),
        Just("&anchor [x]".to_string()),
        Just("*anchor".to_string()),
        Just("true".to_string()),
        Just("-3".to_string()),
        Just("~".to_string()),
        noise(),
    ]
}

fn front_matter_file() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "title",
            "description",
            "summary",
            "date",
            "updated",
            "lastmod",
            "author",
            "authors",
            "tags",
            "answer",
            "faq",
            "sources",
            "related",
            "slug",
            "aliases",
            "draft",
            "weight",
            "cta",
            "template",
            "categories",
            "extra",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,8}",
        noise(),
    ];
    let line = (
        key,
        yaml_value(),
        prop::sample::select(vec!["", "  ", "\t"]),
    )
        .prop_map(|(k, v, indent)| format!("{indent}{k}: {v}\n"));
    (
        prop::sample::select(vec!["", "\n\n", " \n"]),
        prop::sample::select(vec!["---\n", "+++\n", "", "--- \n"]),
        prop::collection::vec(line, 0..8),
        prop::sample::select(vec!["---\n", "...\n", ""]),
        "[ -~\\n]{0,40}",
    )
        .prop_map(|(lead, open, lines, close, body)| {
            format!("{lead}{open}{}{close}{body}", lines.concat())
        })
}

fn markdown_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        noise().prop_map(|t| format!("{t}\n\n")),
        "[A-Za-z ]{1,20}".prop_map(|t| format!("## {t}\n\n")),
        "[A-Za-z ]{1,20}".prop_map(|t| format!("# {t} {{#own .wide}}\n\n")),
        Just("| a | b |\n|---|:-:|\n| 1 | **2** |\n\n".to_string()),
        Just("- [ ] task\n- [x] done\n  1. nested\n\n".to_string()),
        Just("> quote with \"smart\" -- dashes...\n\n".to_string()),
        Just("A claim.[^1]\n\n[^1]: Its source.\n\n".to_string()),
        (
            prop::sample::select(vec!["rust", "yml", "sh", "nope", ""]),
            noise()
        )
            .prop_map(|(lang, code)| format!("```{lang}\n{code}\n```\n\n")),
        Just("```mermaid\nflowchart LR\n  a --> b\n```\n\n".to_string()),
        Just("```mermaid\nnot a diagram\n```\n\n".to_string()),
        noise().prop_map(|d| format!("[text]({d}) [[{d}]] [[{d}|shown]]\n\n")),
        noise().prop_map(|d| format!("![alt {d}]({d} \"{d}\")\n\n")),
        Just("<script>alert(1)</script>\n\n".to_string()),
        Just("<div onclick=\"x\">\n<SCRIPT src=//e.com/x.js></SCRIPT>\n</div>\n\n".to_string()),
        Just("inline <script>x</script> and <img src=x onerror=alert(1)>\n\n".to_string()),
        Just("<!-- comment <script> -->\n\n".to_string()),
        Just("`<script>` in code, &lt;script&gt; as entity, \\<script>\n\n".to_string()),
        Just("{{< shortcode >}} {% tag %}\n\n".to_string()),
        // Icon fonts use the private-use area, where link placeholders live too.
        Just(
            "Icon \u{E000} `\u{E000}h0\u{E001}` &#xE001; [^\u{E000}]\n\n[^\u{E000}]: n\n\n"
                .to_string()
        ),
    ]
}

fn markdown_body() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_fragment(), 0..8).prop_map(|v| v.concat())
}

fn lines_of(text: &str) -> usize {
    text.matches('\n').count() + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Splitting never panics; every problem reading the front matter names a line of the file.
    #[test]
    fn front_matter_problems_point_inside_the_file(text in front_matter_file()) {
        let lines = lines_of(&text);
        match front_matter::split(&text) {
            Ok(split) => {
                prop_assert!((1..=lines).contains(&split.body_line));
                if let Some(block) = &split.front {
                    let mut diags = Diagnostics::new();
                    front_matter::parse(block, Path::new("a.md"), &mut diags);
                    for d in &diags {
                        let line = d.line.unwrap_or(0);
                        prop_assert!((1..=lines).contains(&line), "{} in\n{}", d, text);
                    }
                }
            }
            Err(e) => {
                prop_assert!((1..=lines).contains(&e.line));
                prop_assert!(!e.hint.is_empty());
            }
        }
    }

}

proptest! {
    // Highlighting and diagrams make these the slowest cases in a debug build.
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// With raw HTML off, no script element comes out of markdown, whatever it contains.
    #[test]
    fn markdown_without_raw_html_has_no_script(body in markdown_body(), smart in any::<bool>()) {
        let opts = MarkdownOptions { smart_punctuation: smart, unsafe_html: false, strip_first_h1: false, wiki_links: true };
        let r = markdown::render(&body, 1, Path::new("a.md"), &opts, &stacks::internals::Memos::default());
        let hrefs: Vec<String> = (0..r.links.len()).map(|n| format!("/p{n}/")).collect();
        let html = markdown::fill_placeholders(&r.html, &hrefs, &hrefs);
        prop_assert!(!html.to_ascii_lowercase().contains("<script"), "{}", html);
        prop_assert!(!html.contains(['\u{E000}', '\u{E001}']), "{}", html);
        for href in &hrefs {
            prop_assert!(html.contains(href.as_str()), "{} lost in {}", href, html);
        }
        for l in &r.links {
            prop_assert!((1..=lines_of(&body)).contains(&l.line));
        }
    }

    /// With raw HTML on, rendering still never panics and keeps the author's HTML.
    #[test]
    fn markdown_with_raw_html_renders(body in markdown_body()) {
        let opts = MarkdownOptions { smart_punctuation: true, unsafe_html: true, strip_first_h1: true, wiki_links: true };
        let r = markdown::render(&body, 1, Path::new("a.md"), &opts, &stacks::internals::Memos::default());
        if body.starts_with("<script>alert(1)</script>") {
            prop_assert!(r.html.contains("<script>alert(1)</script>"));
        }
    }
}

/// A small site to resolve links against, with a sub-path base URL.
static SITE: LazyLock<Site> = LazyLock::new(|| {
    let mut diags = Diagnostics::new();
    let config = config::parse(
        "title: Props\nbase_url: https://example.com/kb/\n",
        &mut diags,
    );
    let files = [
        (
            "_index.md",
            DocumentKind::Section,
            "---\ntitle: Home\n---\n",
        ),
        (
            "revops/_index.md",
            DocumentKind::Section,
            "---\ntitle: RevOps\n---\n",
        ),
        (
            "revops/pipeline-stages.md",
            DocumentKind::Article,
            "---\ntitle: Pipeline stages\n---\n## How to count\n",
        ),
        (
            "revops/win-rate/index.md",
            DocumentKind::Bundle,
            "---\ntitle: Win rate\nslug: rate\n---\n## Formula\n",
        ),
    ];
    let docs = files
        .iter()
        .map(|(rel, kind, text)| {
            let doc = Document {
                rel: rel.to_string(),
                kind: *kind,
                text: text.to_string(),
            };
            Arc::new(parse::parse_document(
                &doc,
                &config,
                &stacks::internals::Memos::default(),
            ))
        })
        .collect();
    let base = config.base();
    model::build(
        model::Input {
            config,
            content_dir: "content".into(),
            base,
            docs,
            assets: &[],
            cascades: &[],
            publish: model::Publish::default(),
        },
        &mut diags,
    )
});

fn link_dest() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        prop::sample::select(vec![
            "..",
            ".",
            "revops",
            "pipeline-stages.md",
            "pipeline-stages",
            "win-rate",
            "index.md",
            "_index.md",
            "kb",
            "%2e%2e",
            "%2F",
            "rate",
            "Win rate",
            "",
        ])
        .prop_map(str::to_string),
        noise(),
    ];
    (
        prop::sample::select(vec!["", "/", "/kb/", "./", "../../"]),
        prop::collection::vec(part, 1..5),
        prop::sample::select(vec!["", "#how-to-count", "#nope", "?q=1", "/"]),
    )
        .prop_map(|(lead, parts, tail)| format!("{lead}{}{tail}", parts.join("/")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Links of every form either resolve inside the site or are named with their line.
    #[test]
    fn links_resolve_inside_the_site_or_are_named(dests in prop::collection::vec(link_dest(), 1..6), wiki in any::<bool>()) {
        let index = LinkIndex::new(&SITE);
        let body: String = dests
            .iter()
            .map(|d| if wiki { format!("[[{d}]]\n\n") } else { format!("[t](<{d}>)\n\n") })
            .collect();
        let opts = MarkdownOptions { smart_punctuation: false, unsafe_html: false, strip_first_h1: false, wiki_links: true };
        let file = Path::new("content/revops/x.md");
        let r = markdown::render(&body, 1, file, &opts, &stacks::internals::Memos::default());
        let mut diags = Diagnostics::new();
        let resolved = index.resolve("revops/x.md", Target::Page(stacks::internals::PageId(0)), &r.links, file, &mut diags);
        prop_assert_eq!(resolved.hrefs.len(), r.links.len());
        // Another generator's template expressions are kept as written and not judged.
        let unresolved = resolved
            .targets
            .iter()
            .zip(&r.links)
            .filter(|(t, l)| t.is_none() && !stacks::internals::is_template(&l.dest))
            .count();
        prop_assert!(diags.len() >= unresolved);
        for (href, target) in resolved.hrefs.iter().zip(&resolved.targets) {
            if target.is_some() {
                prop_assert!(href.is_empty() || href.starts_with('#') || href.starts_with("/kb/"), "{}", href);
            }
        }
        for d in &diags {
            prop_assert!(d.line.is_some_and(|l| l <= lines_of(&body)), "{}", d);
        }
        for d in &dests {
            let slug = model::urlize(d);
            prop_assert!(!slug.is_empty() && slug != "." && slug != "..", "{}", slug);
            prop_assert!(!slug.contains(|c: char| c.is_whitespace() || "/\\?#%:".contains(c)), "{}", slug);
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn diagram_source() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "flowchart LR",
        "graph TD",
        "sequenceDiagram",
        "pie",
        "stateDiagram-v2",
        "gantt",
        "nonsense",
        "",
    ]);
    let line = prop_oneof![
        Just("  a[\"Lead\"] -->|fits| b{\"Qualified?\"}".to_string()),
        Just("  A->>B: hello <b>".to_string()),
        Just("  \"Won\" : 42".to_string()),
        Just("  [*] --> Open".to_string()),
        Just("  a[\"unclosed --> ".to_string()),
        Just("  click a \"javascript:alert(1)\"".to_string()),
        Just("  a[\"<script>alert(1)</script>\"]".to_string()),
        noise().prop_map(|t| format!("  {t}")),
    ];
    (header, prop::collection::vec(line, 0..5))
        .prop_map(|(h, lines)| format!("{h}\n{}\n", lines.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A diagram is drawn as SVG, or its source is shown escaped with one warning.
    #[test]
    fn diagrams_are_svg_or_escaped_source(src in diagram_source()) {
        let mut diags = Diagnostics::new();
        let block = diagrams::block(&src, (1, 4, Path::new("a.md")), &stacks::internals::Memos::default(), &mut diags);
        if block.fallback {
            let inner = block
                .html
                .strip_prefix("<pre class=\"mermaid\">")
                .and_then(|h| h.strip_suffix("</pre>\n"));
            prop_assert!(inner.is_some(), "{}", block.html);
            let inner = inner.unwrap_or_default();
            prop_assert!(!inner.contains('<'));
            prop_assert_eq!(unescape(inner), src);
            prop_assert_eq!(diags.len(), 1);
        } else {
            prop_assert!(block.html.starts_with("<figure class=\"diagram"));
            prop_assert!(block.html.contains("<svg"));
            let lower = block.html.to_ascii_lowercase();
            prop_assert!(!lower.contains("<script"), "{}", block.html);
            prop_assert!(!lower.contains("javascript:"), "{}", block.html);
        }
    }
}
