//! What an article's body needs on the page but not in feeds or the markdown stage's HTML:
//! frames that let wide tables, diagrams and code scroll sideways, reachable by keyboard, and
//! diagrams drawn at their own size so that no label shrinks to fit the column.
//!
//! The markdown stage writes neutral HTML (feeds and search carry it as it is); this pass adds
//! the page's frames in one streaming rewrite, after placeholders are filled.

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// The body `html` with its tables and drawn diagrams framed for reading on the page.
pub(super) fn frame(html: &str) -> String {
    if !html.contains("<table")
        && !html.contains("<figure class=\"diagram")
        && !html.contains("<pre")
    {
        return html.to_string();
    }
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("pre", |el| {
            // Long lines of code scroll sideways: keyboard users must be able to reach them.
            if el.get_attribute("tabindex").is_none() {
                let _ = el.set_attribute("tabindex", "0");
            }
            Ok(())
        }))
        .append_element_content_handler(element!("table", |el| {
                // A frame that scrolls must be focusable, or keyboard users cannot scroll it.
                el.before(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table, scrolls sideways\">",
                    ContentType::Html,
                );
                el.after("</div>", ContentType::Html);
                Ok(())
            }))
        .append_element_content_handler(element!("figure.diagram > svg", |el| {
                natural_size(el);
                el.before(
                    "<div class=\"diagram-frame\" tabindex=\"0\" role=\"group\" aria-label=\"Diagram, scrolls sideways\">",
                    ContentType::Html,
                );
                el.after("</div>", ContentType::Html);
                Ok(())
            }));
    // The rewriter fails only on a memory limit, which is not set; the body as written is a
    // safe answer then.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Gives a drawn diagram its own width and height (from its view box) in place of "fill the
/// column, at most this wide": labels then keep the size they were laid out at, and a diagram
/// wider than the column scrolls in its frame instead of shrinking.
fn natural_size(el: &mut lol_html::html_content::Element) {
    let Some(view_box) = el.get_attribute("viewBox") else {
        return;
    };
    let numbers: Vec<f64> = view_box
        .split([' ', ','])
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let [_, _, width, height] = numbers[..] else {
        return;
    };
    if width <= 0.0 || height <= 0.0 {
        return;
    }
    // Rounded up, so the picture is never drawn smaller than it was laid out.
    let _ = el.set_attribute("width", &format!("{}", width.ceil()));
    let _ = el.set_attribute("height", &format!("{}", height.ceil()));
    if let Some(style) = el.get_attribute("style") {
        let kept: Vec<&str> = style
            .split(';')
            .filter(|d| !d.trim().is_empty() && !d.trim_start().starts_with("max-width"))
            .collect();
        if kept.is_empty() {
            el.remove_attribute("style");
        } else {
            let _ = el.set_attribute("style", &kept.join(";"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_diagrams_get_frames_and_diagrams_their_own_size() {
        let html = "<p>a</p><table><tr><td>1</td></tr></table>\
            <figure class=\"diagram diagram-flowchart\"><svg id=\"diagram-1\" width=\"100%\" style=\"max-width: 969.16px;\" viewBox=\"0 0 969.16 722.8\"><text>x</text></svg></figure>";
        let out = frame(html);
        assert!(out.contains("<div class=\"table-scroll\" tabindex=\"0\""));
        assert!(out.contains("</table></div>"));
        assert!(out.contains("<div class=\"diagram-frame\" tabindex=\"0\""));
        assert!(out.contains("width=\"970\"") && out.contains("height=\"723\""));
        assert!(!out.contains("max-width"));
        assert!(out.contains("</svg></div></figure>"));
        let code = frame("<pre class=\"code\"><code>x</code></pre>");
        assert_eq!(
            code,
            "<pre class=\"code\" tabindex=\"0\"><code>x</code></pre>"
        );
    }

    #[test]
    fn a_body_without_either_is_left_alone() {
        let html = "<p>Plain <em>text</em>.</p>";
        assert_eq!(frame(html), html);
    }
}
