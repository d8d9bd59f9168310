//! What serve adds to HTML pages: the live-reload script, and the error overlay while the last
//! rebuild failed. Never part of `build` output.

use crate::diagnostics::Diagnostics;
use pulldown_cmark_escape::escape_html;

/// Path of the Server-Sent Events stream the reload script listens to.
pub(super) const EVENTS_PATH: &str = "/__stacks/events";

/// Reloads the page when the server says it changed (`pages` lists the changed pages, or is
/// null when all did), and the search page when a new search index is served (`search`).
/// EventSource reconnects by itself when the server restarts.
const RELOAD_SCRIPT: &str = r#"<script data-stacks-reload>(()=>{const s=new EventSource("/__stacks/events");const on=e=>{let d={};try{d=JSON.parse(e.data)}catch(_){}const here=location.pathname.replace(/index\.html$/,"");if(!Array.isArray(d.pages)||d.pages.includes(decodeURI(here)))location.reload();};s.addEventListener("reload",on);s.addEventListener("search",on);})();</script>"#;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

/// The overlay listing every error, or nothing when there is none.
pub(super) fn overlay(errors: &Diagnostics) -> String {
    if !errors.has_errors() {
        return String::new();
    }
    let mut items = String::new();
    for d in errors.iter().filter(|d| d.is_error()) {
        items.push_str("<li><code>");
        items.push_str(&esc(&d.location().unwrap_or_else(|| "site".into())));
        items.push_str("</code> ");
        items.push_str(&esc(&d.message));
        if let Some(h) = &d.hint {
            items.push_str("<br><small>hint: ");
            items.push_str(&esc(h));
            items.push_str("</small>");
        }
        items.push_str("</li>");
    }
    format!(
        r#"<div id="stacks-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,10,10,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem"><h2 style="color:#ff8a80;margin-top:0">stacks: the last rebuild failed ({n} error(s))</h2><p>The page below is the last good build. Fix the file and save: this page reloads by itself.</p><ul>{items}</ul></div>"#,
        n = errors.error_count()
    )
}

/// Adds the reload script (and the overlay, if any) before `</body>`.
pub(super) fn inject(html: &str, errors: &Diagnostics) -> String {
    let extra = format!("{}{RELOAD_SCRIPT}", overlay(errors));
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    }
}
