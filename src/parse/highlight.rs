//! Code blocks. Highlighting arrives with the syntect integration; until then code is escaped.

use pulldown_cmark_escape::escape_html;

/// Renders a code block of language `lang` as HTML.
pub fn highlight(code: &str, lang: Option<&str>) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    let lang = lang.unwrap_or("text");
    out.push_str("<pre class=\"code\" data-lang=\"");
    let _ = escape_html(&mut out, lang);
    out.push_str("\"><code>");
    let _ = escape_html(&mut out, code);
    out.push_str("</code></pre>\n");
    out
}
