//! Code highlighting and build-time diagrams, checked in built HTML and in a real browser.

use crate::common::browser::{self, Chrome, DESKTOP, PHONE};
use crate::common::{Fixture, build_sample, sel};
use scraper::Html;
use std::path::Path;

/// Labels of the nodes of a mermaid flowchart source: `["…"]`, `{"…"}`, `("…")`.
fn node_labels(src: &str) -> Vec<String> {
    let mut labels = Vec::new();
    for (open, close) in [("[\"", "\"]"), ("{\"", "\"}"), ("(\"", "\")")] {
        let mut rest = src;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len()..];
            let Some(j) = after.find(close) else { break };
            labels.push(after[..j].to_string());
            rest = &after[j + close.len()..];
        }
    }
    labels
}

/// The ```` ```mermaid ```` fences of a markdown file.
fn fences(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```mermaid") => current = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => out.push(current.take().unwrap()),
            (Some(src), _) => {
                src.push_str(line);
                src.push('\n');
            }
            _ => {}
        }
    }
    out
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_sample_diagram_is_inline_svg_with_its_labels_and_no_script() {
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = out.path().join("site");
    let mut diagrams = 0;
    for entry in walkdir::WalkDir::new(crate::common::repo().join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let sources = fences(&text);
        if sources.is_empty() || text.contains("draft: true") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(crate::common::repo().join("content"))
            .unwrap();
        let page = page_for(&site, rel);
        let html = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let svgs: Vec<_> = html
            .select(&sel("figure.diagram > .diagram-frame > svg"))
            .collect();
        assert_eq!(svgs.len(), sources.len(), "{}", rel.display());
        for (svg, src) in svgs.iter().zip(&sources) {
            assert_eq!(svg.value().attr("role"), Some("img"), "{}", rel.display());
            let name = svg.value().attr("aria-label").unwrap_or_default();
            assert!(
                name.len() > 20,
                "{}: accessible name `{name}`",
                rel.display()
            );
            let text = words(&svg.text().collect::<Vec<_>>().join(" "));
            for label in node_labels(src) {
                assert!(
                    text.contains(&words(&label)),
                    "{}: label `{label}` missing from the SVG text",
                    rel.display()
                );
            }
            diagrams += 1;
        }
        assert!(html.select(&sel("pre.mermaid")).next().is_none());
        let scripts: Vec<_> = html.select(&sel("script")).collect();
        assert!(
            scripts.iter().all(|s| !s.inner_html().contains("mermaid")
                && s.value()
                    .attr("src")
                    .is_none_or(|src| !src.contains("mermaid"))),
            "{}: a page whose diagrams rendered loads diagram JavaScript",
            rel.display()
        );
        // Ids stay unique on the page even with several diagrams.
        let ids: Vec<_> = html
            .select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "{}: duplicate ids", rel.display());
    }
    assert!(
        diagrams >= 10,
        "only {diagrams} diagrams in the sample library"
    );
}

fn page_for(site: &Path, rel: &Path) -> std::path::PathBuf {
    let rel = rel.to_str().unwrap();
    let dir = rel
        .strip_suffix("/index.md")
        .or_else(|| rel.strip_suffix(".md"))
        .unwrap();
    site.join(dir).join("index.html")
}

#[test]
fn code_in_six_languages_gets_classes_and_both_palettes() {
    let fence = |lang: &str, code: &str| format!("```{lang}\n{code}\n```\n\n");
    let body = [
        fence(
            "rust",
            "fn main() { let x: u32 = 1; println!(\"{x}\"); } // note",
        ),
        fence("python", "def coverage(p, q):\n    return p / q  # ratio"),
        fence("sql", "SELECT COUNT(*) FROM leads WHERE stage = 'MQL';"),
        fence(
            "yaml",
            "scorecard:\n  name: \"Weekly\"\n  metrics: [win_rate, coverage]",
        ),
        fence("bash", "for f in *.csv; do echo \"$f\"; done"),
        fence("json", "{\"fit\": 40, \"intent\": [\"demo\", true]}"),
    ]
    .concat();
    let site = Fixture::new(&[
        (
            "content/code.md",
            &format!("---\ntitle: Code\n---\n\n{body}"),
        ),
        (
            "content/plain.md",
            "---\ntitle: Plain\n---\n\nNo code here.\n",
        ),
    ]);
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("code/index.html");
    let css = std::fs::read_to_string(site.public().join("highlight.css")).unwrap();
    let (light, dark) = css
        .split_once("prefers-color-scheme: dark")
        .expect("a dark palette");
    for lang in ["rust", "python", "sql", "yaml", "bash", "json"] {
        let spans: Vec<String> = page
            .select(&sel(&format!("pre[data-lang=\"{lang}\"] code span")))
            .filter_map(|s| s.value().attr("class").map(str::to_string))
            .collect();
        assert!(
            spans.iter().any(|c| c.starts_with("hl-")),
            "{lang}: no highlight classes"
        );
        // Some class of this block has a rule; its colours come from the palette's variables,
        // which the dark half sets again (the reader tests measure the contrast of both).
        let coloured = spans.iter().flat_map(|c| c.split(' ')).any(|c| {
            !c.starts_with("hl-source") && c.starts_with("hl-") && css.contains(&format!(".{c}"))
        });
        assert!(coloured, "{lang}: no rule for its classes");
    }
    for var in ["--hl-comment", "--hl-string", "--hl-keyword"] {
        assert!(
            light.contains(var) && dark.contains(var),
            "{var} in both palettes"
        );
    }
    let linked = |doc: &Html| {
        doc.select(&sel("link[rel=stylesheet]"))
            .any(|l| l.value().attr("href") == Some("/highlight.css"))
    };
    assert!(linked(&page));
    assert!(!linked(&site.page("plain/index.html")));
}

#[test]
fn broken_diagram_warns_with_its_line_and_shows_its_source() {
    let text = "---\ntitle: Broken\n---\n\nIntro.\n\n```mermaid\nflowchart LR\n  a[\"unclosed --> b\n```\n";
    let site = Fixture::new(&[("content/broken.md", text)]);
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken.md:8") && run.stderr.contains("mermaid"),
        "{}",
        run.stderr
    );
    let page = site.page("broken/index.html");
    let pre = crate::common::text_of(&page, "pre.mermaid").expect("source shown");
    assert!(pre.contains("flowchart LR"));
    let module = page
        .select(&sel("script[type=module]"))
        .any(|s| s.inner_html().contains("mermaid"));
    assert!(module, "the fallback page draws the diagram in the browser");

    site.write(
        "site.yaml",
        "title: Fixture\ndiagrams:\n  client_fallback: false\n",
    );
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = site.page("broken/index.html");
    assert!(page.select(&sel("script[type=module]")).next().is_none());
}

#[test]
fn diagram_frame_fits_the_article_column_in_a_real_browser() {
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let base = browser::serve_dir(&out.path().join("site"));
    let chrome = Chrome::launch();
    let url = format!("{base}/demand-gen/mql-definitions/what-is-an-mql/");
    for (view, name) in [(PHONE, "diagram-phone"), (DESKTOP, "diagram-desktop")] {
        let tab = chrome.open(&url, view);
        let m = browser::eval(
            &tab,
            "(() => { const s = document.querySelector('figure.diagram .diagram-frame').getBoundingClientRect();
              const c = document.querySelector('.article-body').getBoundingClientRect();
              return { sw: s.width, sh: s.height, sl: s.left, sr: s.right, cl: c.left, cr: c.right,
                       page: document.documentElement.scrollWidth, vw: innerWidth }; })()",
        );
        let f = |k: &str| m[k].as_f64().unwrap();
        assert!(f("sw") > 50.0 && f("sh") > 50.0, "{name}: {m}");
        assert!(
            f("sl") >= f("cl") - 0.5 && f("sr") <= f("cr") + 0.5,
            "{name}: {m}"
        );
        assert!(f("page") <= f("vw"), "{name}: horizontal scroll {m}");
        browser::screenshot(&tab, view, name);
    }
}

fn article_with(label: &str) -> String {
    format!(
        "---\ntitle: Cached\n---\n\n```mermaid\nflowchart TD\n  A[{label}] --> B[Second box]\n```\n"
    )
}

fn diagram_cpu(run: &crate::common::Run) -> String {
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("diagrams"))
        .unwrap_or_default();
    line.split("(diagrams ")
        .nth(1)
        .unwrap_or_default()
        .split(" ms")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Builds `site`; returns whether it drew a diagram rather than take each from the cache.
fn builds_drawing(site: &Fixture) -> bool {
    let run = site.stacks(&["build", "--timings", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    diagram_cpu(&run) != "0"
}

#[test]
fn a_rebuild_reads_diagrams_from_the_cache_and_caches_new_ones() {
    let site = Fixture::new(&[("content/cached.md", &article_with("First label"))]);
    let with_paragraph = |label: &str| format!("{}\nA paragraph.\n", article_with(label));
    assert!(builds_drawing(&site), "the first build draws");
    let cache = site.root().join(".stacks-cache/diagrams.bin");
    assert!(
        cache.is_file(),
        "the build leaves its diagrams in .stacks-cache/"
    );
    let page = std::fs::read(site.public().join("cached/index.html")).unwrap();

    assert!(!builds_drawing(&site), "nothing is drawn again");
    assert_eq!(
        std::fs::read(site.public().join("cached/index.html")).unwrap(),
        page
    );
    // That build reused the page's parse and drew nothing, and still keeps the drawing: an edit
    // beside the diagram parses the page again and takes the drawing from the cache.
    site.write("content/cached.md", &with_paragraph("First label"));
    assert!(!builds_drawing(&site), "the drawing is still cached");
    let edited_page = std::fs::read_to_string(site.public().join("cached/index.html")).unwrap();
    assert!(edited_page.contains("First label") && edited_page.contains("A paragraph."));
    site.write("content/cached.md", &article_with("First label"));

    // A damaged cache is ignored: the diagram is drawn again, the page is the same.
    std::fs::write(&cache, b"stacks cache 1\n\x01\x02garbage").unwrap();
    let third = site.stacks(&["build", "--no-search"]);
    assert_eq!(third.status, 0, "{}", third.stderr);
    assert_eq!(
        std::fs::read(site.public().join("cached/index.html")).unwrap(),
        page
    );

    // A changed diagram is drawn, and cached in turn.
    site.write("content/cached.md", &article_with("Renamed label"));
    assert!(builds_drawing(&site), "a changed diagram is drawn");
    site.write("content/cached.md", &with_paragraph("Renamed label"));
    assert!(!builds_drawing(&site), "and cached");
    assert!(
        std::fs::read_to_string(site.public().join("cached/index.html"))
            .unwrap()
            .contains("Renamed label")
    );

    // --no-cache neither reads nor writes it.
    std::fs::remove_dir_all(site.root().join(".stacks-cache")).unwrap();
    let uncached = site.stacks(&["build", "--no-search", "--no-cache"]);
    assert_eq!(uncached.status, 0, "{}", uncached.stderr);
    assert!(!site.root().join(".stacks-cache").exists());
}
