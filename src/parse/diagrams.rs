//! ```` ```mermaid ```` fences, drawn as inline SVG at build time.
//!
//! This is the only module that knows the diagram renderer (merman), so it can be swapped
//! without touching the rest of the pipeline. Readers get a finished picture with no
//! JavaScript: in the page, in feed readers, in print and in what crawlers fetch.
//!
//! Flowcharts are drawn without their per-diagram `<style>`: the theme's stylesheet colours
//! them once for the whole site, in light and dark. Other diagram families keep merman's own
//! styles and sit on a light card in dark mode.

use crate::cache::memo::{self, Memos, Outcome};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use merman::{
    Engine, MermaidConfig, OperationControl, RenderOutput, RenderRequest, Renderer, SvgRequest,
};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::Instant;

/// Stands in for the diagram id while cached; each use swaps in an id unique on its page.
const ID_TOKEN: &str = "stacksdiagramtoken";

/// Renderer options. Part of the cache key, so changing them can never serve a stale picture.
const CONFIG: &str = r#"{"theme":"neutral","look":"classic","htmlLabels":false,
"fontFamily":"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
"flowchart":{"htmlLabels":false,"useMaxWidth":true}}"#;

static RENDERER: LazyLock<Option<Renderer>> = LazyLock::new(|| {
    let config = serde_json::from_str(CONFIG).ok()?;
    Some(
        Renderer::new()
            .with_engine(Engine::new().with_site_config(MermaidConfig::from_value(config))),
    )
});

/// What a cache entry depends on besides the source: the renderer, its options and this
/// module's own changes to the SVG (the crate version).
const RENDERER_VERSION: &str = concat!("merman 0.9.3; stacks ", env!("CARGO_PKG_VERSION"));

/// One diagram, as HTML for the page.
pub struct Block {
    /// `<figure>` with the inline SVG, or `<pre class="mermaid">` with the source.
    pub html: String,
    /// Whether the diagram could not be drawn and the page should offer the browser fallback.
    pub fallback: bool,
    /// The key of the drawing in the memos.
    pub key: [u8; 32],
}

/// Renders diagram number `n` of a page, whose fence starts on `line` of `file`, drawing it
/// only when `memos` does not hold it yet.
pub fn block(
    src: &str,
    (n, line, file): (usize, usize, &Path),
    memos: &Memos,
    diags: &mut Diagnostics,
) -> Block {
    let (key, drawn) = cached(src, memos);
    match drawn {
        Ok(svg) => Block {
            html: figure(&svg, n),
            fallback: false,
            key,
        },
        Err(message) => {
            diags.push(
                Diagnostic::warning(Code::Diagram, format!("this mermaid diagram could not be drawn: {message}"))
                    .in_file(file)
                    .at(line + 1, 1)
                    .hint("check the diagram at https://mermaid.live; the page shows its source until it is fixed"),
            );
            let mut html = String::from("<pre class=\"mermaid\">");
            let _ = escape_html_body_text(&mut html, src);
            html.push_str("</pre>\n");
            Block {
                html,
                fallback: true,
                key,
            }
        }
    }
}

fn cached(src: &str, memos: &Memos) -> ([u8; 32], Outcome) {
    let key = memo::key(&[
        RENDERER_VERSION.as_bytes(),
        CONFIG.as_bytes(),
        src.as_bytes(),
    ]);
    let drawn = memos.diagrams.get_or(key, || {
        let start = Instant::now();
        let out = draw(src);
        memos.add_draw_time(start.elapsed());
        out
    });
    (*key.as_bytes(), drawn)
}

fn draw(src: &str) -> Outcome {
    let renderer = RENDERER
        .as_ref()
        .ok_or_else(|| "the diagram renderer could not be configured".to_string())?;
    let request = SvgRequest {
        options: merman::svg::SvgRenderOptions {
            diagram_id: Some(ID_TOKEN.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    // A renderer bug must cost one diagram, not the build.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        renderer.render(RenderRequest::svg(src, OperationControl::new(), request))
    }))
    .map_err(|_| "the diagram renderer failed on this diagram".to_string())?;
    match result {
        Ok(RenderOutput::Svg(Some(svg))) => Ok(Arc::from(tidy(svg.svg()))),
        Ok(_) => Err("no mermaid diagram type was recognised".to_string()),
        Err(e) => Err(one_line(&e.to_string())),
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Makes the SVG an image with a name, and drops flowchart styles the site CSS provides.
fn tidy(svg: &str) -> String {
    let mut svg = svg.to_string();
    let flowchart = svg
        .split_once('>')
        .is_some_and(|(open, _)| open.contains("aria-roledescription=\"flowchart"));
    if flowchart
        && let (Some(a), Some(b)) = (svg.find("<style>"), svg.find("</style>"))
        && a < b
    {
        svg.replace_range(a..b + "</style>".len(), "");
    }
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let mut open = svg[..open_end].to_string();
    let labelled = open.contains("aria-labelledby");
    if let Some(start) = open.find("role=\"") {
        let end = open[start + 6..]
            .find('"')
            .map_or(open.len(), |e| start + 6 + e + 1);
        open.replace_range(start..end, "role=\"img\"");
    } else {
        open.push_str(" role=\"img\"");
    }
    if !labelled {
        let mut name = String::new();
        let _ = escape_html(&mut name, &accessible_name(&svg));
        open.push_str(&format!(" aria-label=\"{name}\""));
    }
    svg.replace_range(..open_end, &open);
    svg
}

/// A spoken name for a diagram without `accTitle`: its kind and the words on it.
fn accessible_name(svg: &str) -> String {
    let kind = svg
        .split_once("aria-roledescription=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(kind, _)| kind.trim_end_matches("-v2"))
        .unwrap_or("diagram");
    // Edge labels ("yes", "no") say little without their arrows; boxes and groups are named.
    let edge_labels = match (
        svg.find("class=\"edgeLabels\""),
        svg.find("class=\"nodes\""),
    ) {
        (Some(a), Some(b)) if a < b => a..b,
        _ => 0..0,
    };
    let mut words: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(start) = svg[at..].find("<text").map(|i| at + i) {
        let end = svg[start..]
            .find("</text>")
            .map_or(svg.len(), |i| start + i);
        at = end;
        if edge_labels.contains(&start) {
            continue;
        }
        let mut text = String::new();
        for piece in svg[start..end].split('<') {
            if let Some((_, t)) = piece.split_once('>') {
                text.push(' ');
                text.push_str(t);
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() && !words.contains(&text) {
            words.push(text);
        }
    }
    let mut name = format!("{kind} diagram");
    if !words.is_empty() {
        name.push_str(": ");
        name.push_str(&words.join(", "));
    }
    // Entities from the SVG are decoded so that escaping for the attribute is not doubled.
    name.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn figure(svg: &str, n: usize) -> String {
    let id = format!("diagram-{n}");
    let kind = if svg.contains("aria-roledescription=\"flowchart") {
        "flowchart"
    } else {
        "other"
    };
    format!(
        "<figure class=\"diagram diagram-{kind}\">{}</figure>\n",
        svg.replace(ID_TOKEN, &id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str) -> (Block, Vec<Diagnostic>) {
        let mut diags = Diagnostics::new();
        let block = block(
            src,
            (1, 10, Path::new("a.md")),
            &Memos::default(),
            &mut diags,
        );
        (block, diags.into_iter().collect())
    }

    #[test]
    fn flowchart_becomes_named_inline_svg_without_its_own_styles() {
        let (b, diags) = render("flowchart LR\n  a[\"Lead\"] -->|fits| b{\"Qualified?\"}\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!b.fallback);
        assert!(b.html.contains("<svg"));
        assert!(b.html.contains("role=\"img\""));
        assert!(b.html.contains("aria-label=\"flowchart diagram: Lead"));
        assert!(b.html.contains("Qualified?"));
        assert!(!b.html.contains("<style>"));
        assert!(b.html.contains("id=\"diagram-1\""));
        assert!(!b.html.contains(ID_TOKEN));
    }

    #[test]
    fn broken_diagram_warns_and_shows_source() {
        let (b, diags) = render("flowchart LR\n  a[\"unclosed --> \n");
        assert!(b.fallback);
        assert!(b.html.starts_with("<pre class=\"mermaid\">"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(11));
        let (b, diags) = render("not a diagram at all");
        assert!(b.fallback);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn same_source_is_drawn_once() {
        let src = "flowchart TD\n  cachea[\"Cached once\"] --> cacheb[\"Then reused\"]\n";
        let memos = Memos::default();
        let first = cached(src, &memos).1.unwrap();
        let drawing = memos.draw_time();
        let second = cached(src, &memos).1.unwrap();
        assert_eq!(first, second);
        assert_eq!(memos.draw_time(), drawing, "the second use draws nothing");
        let other = Memos::default();
        assert_eq!(cached(src, &other).1.unwrap(), first);
        assert!(!other.draw_time().is_zero(), "sessions share nothing");
    }
}
