//! A ```` ```mermaid ```` fence of arbitrary text through the diagram wrapper: no panic, no
//! hang, and the result is either an inline SVG figure or the source shown escaped in a
//! `<pre class="mermaid">` with a warning. The first byte may pick a diagram header, so the
//! renderer's parsers for every family are reached, not only its "unknown diagram" path.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stacks::internals::diagrams;
use std::path::Path;

const HEADERS: &[&str] = &[
    "flowchart LR",
    "flowchart TD",
    "graph TB",
    "sequenceDiagram",
    "classDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "gantt",
    "pie",
    "journey",
    "gitGraph",
    "mindmap",
    "timeline",
    "quadrantChart",
    "xychart-beta",
    "sankey-beta",
    "requirementDiagram",
    "block-beta",
    "packet-beta",
    "kanban",
    "radar-beta",
    "treemap-beta",
    "info",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let src = match HEADERS.get(usize::from(pick)) {
        Some(header) => format!("{header}\n{rest}"),
        None => rest.to_string(),
    };
    let mut diags = stacks::diagnostics::Diagnostics::new();
    let block = diagrams::block(&src, (1, 10, Path::new("content/fuzz.md")), &stacks::internals::Memos::default(), &mut diags);
    if block.fallback {
        assert!(
            block.html.starts_with("<pre class=\"mermaid\">"),
            "{}",
            block.html
        );
        assert!(block.html.ends_with("</pre>\n"));
        let inner =
            &block.html["<pre class=\"mermaid\">".len()..block.html.len() - "</pre>\n".len()];
        assert!(!inner.contains('<'), "the source is escaped");
        assert_eq!(
            diags.len(),
            1,
            "one warning for a diagram that cannot be drawn"
        );
        assert_eq!(diags.iter().next().and_then(|d| d.line), Some(11));
    } else {
        assert!(
            block.html.starts_with("<figure class=\"diagram"),
            "{}",
            block.html
        );
        assert!(block.html.contains("<svg"));
        assert!(diags.is_empty());
    }
});
