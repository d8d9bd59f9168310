//! The HTML the body writer emits for links, images and code blocks: internal links and images
//! get numbered placeholders (their targets are known only after the model is built), code is
//! highlighted and diagrams drawn.

use super::{Body, Image, LinkKind, LinkRef, is_external};
use crate::cache::Memos;
use crate::parse::placeholders::{CLOSE, OPEN, shield};
use crate::parse::{diagrams, highlight};
use pulldown_cmark::{CowStr, LinkType};
use pulldown_cmark_escape::{escape_href, escape_html};
use std::path::Path;

/// Escapes text for an attribute value.
pub(super) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    shield(&out)
}

fn href(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_href(&mut out, s);
    out
}

pub(super) fn link_open(
    kind: LinkType,
    dest: &CowStr,
    title: &CowStr,
    (line, col): (usize, usize),
    out: &mut Body,
) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", attr(title))
    };
    let (link_kind, wants_title) = match kind {
        LinkType::WikiLink { has_pothole } => (LinkKind::Wiki, !has_pothole),
        LinkType::Autolink | LinkType::Email => {
            return format!("<a href=\"{}\"{title}>", href(&with_mailto(kind, dest)));
        }
        _ if is_external(dest) || dest.is_empty() => {
            return format!("<a href=\"{}\"{title}>", href(dest));
        }
        _ if dest.starts_with('#') => (LinkKind::Anchor, false),
        _ => (LinkKind::Markdown, false),
    };
    let n = out.links.len();
    out.links.push(LinkRef {
        dest: dest.to_string(),
        kind: link_kind,
        wants_title,
        line,
        col,
    });
    format!("<a href=\"{OPEN}h{n}{CLOSE}\"{title}>")
}

fn with_mailto(kind: LinkType, dest: &str) -> String {
    if kind == LinkType::Email && !dest.starts_with("mailto:") {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    }
}

pub(super) fn image_html(
    dest: &str,
    alt: &str,
    title: Option<&str>,
    line: usize,
    out: &mut Body,
) -> String {
    out.images.push(Image {
        src: dest.to_string(),
        alt: alt.to_string(),
        line,
    });
    let title = title
        .map(|t| format!(" title=\"{}\"", attr(t)))
        .unwrap_or_default();
    let src = if is_external(dest) || dest.is_empty() {
        href(dest)
    } else {
        let n = out.links.len();
        out.links.push(LinkRef {
            dest: dest.to_string(),
            kind: LinkKind::Image,
            wants_title: false,
            line,
            col: 1,
        });
        format!("{OPEN}h{n}{CLOSE}")
    };
    format!(
        "<img src=\"{src}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
        attr(alt)
    )
}

pub(super) fn code_block(
    lang: Option<&str>,
    src: &str,
    (line, file): (usize, &Path),
    memos: &Memos,
    out: &mut Body,
) -> String {
    if lang == Some("mermaid") {
        out.diagrams += 1;
        let block = diagrams::block(src, (out.diagrams, line, file), memos, &mut out.diagnostics);
        out.diagram_fallback |= block.fallback;
        out.memo_keys.push(block.key);
        return shield(&block.html);
    }
    out.code_blocks += 1;
    let (html, key) = highlight::highlight(src, lang, &memos.code);
    out.memo_keys.push(key);
    shield(&html)
}
