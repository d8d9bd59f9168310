//! Code blocks, highlighted at build time with CSS classes (syntect).
//!
//! Classes rather than inline colours keep pages small and let one stylesheet switch between a
//! light and a dark palette. The syntax set and themes load once per process, on first use.

use crate::cache::memo::{self, Memo};
use pulldown_cmark_escape::escape_html;
use std::sync::LazyLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every highlight class starts with this, so theme CSS cannot collide with it.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Palettes of the written stylesheet.
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Fence names authors use that the bundled grammars know under another name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("zsh", "bash"),
    ("sh", "bash"),
    ("yml", "yaml"),
    ("py", "python"),
    ("python3", "python"),
    ("rs", "rust"),
    ("js", "javascript"),
    ("jsx", "javascript"),
    ("mjs", "javascript"),
    ("ts", "javascript"),
    ("typescript", "javascript"),
    ("json5", "json"),
    ("jsonc", "json"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("mysql", "sql"),
    ("c++", "cpp"),
    ("golang", "go"),
    ("md", "markdown"),
    ("htm", "html"),
    ("xml", "xml"),
    ("dockerfile", "bash"),
];

fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim().to_ascii_lowercase();
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lang)
        .map_or(lang.as_str(), |(_, name)| name);
    SYNTAXES.find_syntax_by_token(name)
}

/// What a cached block depends on besides its text and language: the highlighter and its
/// classes (the crate version covers both).
const HIGHLIGHTER_VERSION: &str = concat!("syntect 5; stacks ", env!("CARGO_PKG_VERSION"));

/// Renders a code block of language `lang` as HTML (or takes it from `memo`, where highlighted
/// blocks are kept); unknown languages are escaped plain text. Returns the HTML and its key in
/// the memo.
pub(crate) fn highlight(code: &str, lang: Option<&str>, memo: &Memo) -> (String, [u8; 32]) {
    let key = memo::key(&[
        HIGHLIGHTER_VERSION.as_bytes(),
        lang.unwrap_or("").as_bytes(),
        code.as_bytes(),
    ]);
    let html = match memo.get_or(key, || Ok(render(code, lang).into())) {
        Ok(html) => html.to_string(),
        Err(_) => render(code, lang),
    };
    (html, *key.as_bytes())
}

fn render(code: &str, lang: Option<&str>) -> String {
    let label = lang
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or("text");
    let mut out = String::with_capacity(code.len() * 3 + 64);
    out.push_str("<pre class=\"code\" data-lang=\"");
    let _ = escape_html(&mut out, label);
    out.push_str("\"><code>");
    match lang
        .and_then(syntax_for)
        .and_then(|syntax| classed(code, syntax))
    {
        Some(html) => out.push_str(&html),
        None => {
            let _ = escape_html(&mut out, code);
        }
    }
    out.push_str("</code></pre>\n");
    out
}

fn classed(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: a light palette, and a dark one under
/// `prefers-color-scheme: dark`. Written once per build as `highlight.css`.
pub(crate) fn stylesheet() -> &'static str {
    static CSS: LazyLock<String> = LazyLock::new(build_stylesheet);
    &CSS
}

fn build_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let dark = css(DARK_THEME);
    let mut out = String::from("/* Code highlighting: light, then dark. */\n");
    out.push_str(&css(LIGHT_THEME));
    out.push_str("\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&dark);
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_common_languages_get_classes() {
        for lang in [
            "rust", "rs", "py", "sql", "yml", "sh", "console", "json", "js",
        ] {
            let (html, _) = highlight("let x = \"a\"; # note\n", Some(lang), &Memo::default());
            assert!(html.contains("class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_or_missing_language_is_escaped_plain_text() {
        for lang in [Some("no-such-language"), None, Some("")] {
            let (html, _) = highlight("<b>&</b>\n", lang, &Memo::default());
            assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
            assert!(!html.contains("hl-"));
        }
    }

    #[test]
    fn stylesheet_has_light_and_dark_rules() {
        let css = stylesheet();
        assert!(css.contains(".hl-"));
        let (light, dark) = css.split_once("prefers-color-scheme: dark").unwrap();
        assert!(light.contains(".hl-keyword") || light.contains(".hl-storage"));
        assert!(dark.contains(".hl-keyword") || dark.contains(".hl-storage"));
    }
}
