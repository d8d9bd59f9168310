//! A content file of arbitrary text, cut into front matter and body and the front matter read:
//! no panic, no hang, and every problem points at a line that exists in the file. The same text
//! is also read as `site.yaml`, which goes through the same YAML module.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stacks::diagnostics::Diagnostics;
use stacks::internals::front_matter;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Files reach the parser with line endings normalised; do the same.
    let text = stacks::internals::normalise(text.to_string());
    let lines = text.matches('\n').count() + 1;
    let file = Path::new("content/fuzz.md");
    match front_matter::split(&text) {
        Ok(split) => {
            assert!(
                (1..=lines).contains(&split.body_line),
                "body line {}",
                split.body_line
            );
            if let Some(block) = &split.front {
                assert!(text.contains(block.text));
                let mut diags = Diagnostics::new();
                front_matter::parse(block, file, &mut diags);
                for d in &diags {
                    let line = d.line.expect("front matter problems have a line");
                    assert!((1..=lines).contains(&line), "line {line} of {lines}: {d}");
                }
            }
        }
        Err(e) => assert!((1..=lines).contains(&e.line), "line {} of {lines}", e.line),
    }
    let mut diags = Diagnostics::new();
    let _ = stacks::internals::config::parse(&text, &mut diags);
    for d in diags.iter() {
        if let Some(line) = d.line {
            assert!(
                (1..=lines).contains(&line),
                "site.yaml line {line} of {lines}: {d}"
            );
        }
    }
});
