//! A markdown body of arbitrary text, rendered with every option combination the first byte
//! picks: no panic, no hang, positions inside the body, no link placeholder left unfilled or
//! made out of the author's own text, and with raw HTML off no `<script` element can come out
//! of it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stacks::internals::markdown::{self, MarkdownOptions};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = MarkdownOptions {
        smart_punctuation: flags & 1 != 0,
        unsafe_html: flags & 2 != 0,
        strip_first_h1: flags & 4 != 0,
        wiki_links: flags & 8 == 0,
    };
    let first_line = 1 + usize::from(flags >> 4);
    let last_line = first_line + body.matches('\n').count();
    let r = markdown::render(body, first_line, Path::new("content/fuzz.md"), &opts, &stacks::internals::Memos::default());
    for l in &r.links {
        assert!(
            (first_line..=last_line).contains(&l.line),
            "link line {}",
            l.line
        );
        assert!(l.col >= 1);
    }
    for i in &r.images {
        assert!(
            (first_line..=last_line).contains(&i.line),
            "image line {}",
            i.line
        );
    }
    for d in &r.diagnostics {
        let line = d.line.expect("markdown warnings have a line");
        assert!(
            (first_line..=last_line + 1).contains(&line),
            "line {line}: {d}"
        );
    }
    let hrefs: Vec<String> = (0..r.links.len()).map(|n| format!("/kb/p{n}/")).collect();
    let titles: Vec<String> = (0..r.links.len()).map(|n| format!("Page {n}")).collect();
    let html = markdown::fill_placeholders(&r.html, &hrefs, &titles);
    assert!(
        !html.contains(['\u{E000}', '\u{E001}']),
        "a placeholder marker survived filling"
    );
    // A link in the first H1 goes with it when that heading becomes the title.
    for n in (0..r.links.len()).filter(|_| !opts.strip_first_h1) {
        assert!(
            html.contains(&format!("/kb/p{n}/")),
            "link {n} lost its URL"
        );
    }
    if !opts.unsafe_html {
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "raw HTML is off, yet the output has a script element"
        );
    }
});
