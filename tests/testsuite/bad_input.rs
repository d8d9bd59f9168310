//! Broken, odd and hostile input. For every case: no panic, the stated exit code, a message that
//! names the file (and line where there is one), the previous site byte-identical when the build
//! fails, and no file written outside the output folder.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const GOOD: &str = "---\ntitle: Good\n---\n\nA good article.\n";

/// The files of a case kept as a folder under `fixtures/bad_input/<name>/`, laid over the site
/// as they are, byte for byte (byte order marks, CRLF and invalid UTF-8 included).
fn fixture(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = repo().join("tests/testsuite/fixtures/bad_input").join(name);
    assert!(dir.is_dir(), "{}: no such fixture folder", dir.display());
    snapshot(&dir)
        .into_iter()
        .map(|(p, bytes)| (p.to_string_lossy().into_owned(), bytes))
        .collect()
}

/// Every file under `root` except the output folder and what stacks keeps beside it, its own
/// and documented: the previous generation of the site (`.public.stacks-prev/`) and the build
/// cache (`.stacks-cache/`), with its bytes.
fn outside(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let own = ["public", ".public.stacks-prev", ".stacks-cache"];
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| !own.iter().any(|o| p.starts_with(o)))
        .collect()
}

/// Builds a good site, lays `files` over it and builds again with `args`. Whatever the input:
/// no panic, exit `code`, every one of `says` in the output, a hint and the previous site
/// untouched when the build fails, nothing written outside the output folder, and the full text
/// of what the second build printed as in its snapshot.
fn run(name: &str, files: &[(String, Vec<u8>)], args: &[&str], code: i32, says: &[&str]) {
    let site = Fixture::new(&[("content/good.md", GOOD)]);
    let first = site.stacks(&["build"]);
    assert_eq!(first.status, 0, "the good site builds: {}", first.stderr);
    let before = snapshot(&site.public());
    for (path, bytes) in files {
        let p = site.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let sources = outside(site.root());
    let mut all = vec!["build"];
    all.extend(args);
    let r = site.stacks(&all);
    let said = format!("{}{}", r.stderr, r.stdout);
    assert!(!said.contains("panicked"), "panic\n{said}");
    assert_eq!(r.status, code, "exit code\n{said}");
    for s in says {
        assert!(said.contains(s), "expected `{s}` in\n{said}");
    }
    if code != 0 {
        assert_eq!(snapshot(&site.public()), before, "the old site changed");
        assert!(said.contains("hint"), "no hint\n{said}");
    }
    assert_eq!(
        outside(site.root()),
        sources,
        "wrote outside the output folder"
    );
    assert_said("bad_input", name, &said, site.root());
}

/// One test per case kept as a fixture folder of the same name: `exit` is the expected exit
/// code, `says` what the output must contain (file and line, mostly).
macro_rules! bad_input {
    ($($name:ident: exit $code:literal, says [$($s:literal),*];)*) => {$(
        #[test]
        fn $name() {
            let name = stringify!($name);
            run(name, &fixture(name), &[], $code, &[$($s),*]);
        }
    )*};
}

bad_input! {
    tab_indentation: exit 1, says ["a.md:4"];
    unclosed_quote: exit 1, says ["a.md:"];
    bad_nesting: exit 1, says ["a.md:"];
    front_matter_never_closed: exit 1, says ["a.md:1"];
    empty_file: exit 0, says ["a.md"];
    byte_order_mark: exit 0, says ["built"];
    crlf_line_endings: exit 0, says ["built"];
    blank_lines_before_front_matter: exit 0, says ["built"];
    tags_as_one_string: exit 0, says ["built"];
    impossible_date: exit 1, says ["a.md:3", "date"];
    unknown_date_format: exit 1, says ["a.md:3"];
    slug_climbing_out: exit 1, says ["a.md:3", "slug"];
    absolute_alias: exit 1, says ["a.md:3"];
    drive_letter_alias: exit 1, says ["a.md:3"];
    unclosed_code_fence: exit 0, says ["built"];
    broken_mermaid: exit 0, says ["a.md:6", "mermaid"];
    tera_syntax_error: exit 1, says ["article.html:3"];
    unknown_template_variable: exit 1, says ["article.html"];
    missing_template_named_by_a_page: exit 1, says ["nowhere.html"];
    file_names_with_spaces_and_accents: exit 0, says ["built"];
    script_in_a_title: exit 0, says ["built"];
    unknown_site_yaml_key: exit 1, says ["site.yaml:2", "base_url"];
    page_and_folder_index: exit 1, says ["a.md", "a/index.md"];
    two_equal_slugs: exit 1, says ["one.md", "two.md"];
    not_utf8: exit 1, says ["a.md", "UTF-8"];
}

/// One file of front matter, made here because it is too big or too repetitive to keep.
fn generated(front: String) -> Vec<(String, Vec<u8>)> {
    vec![("content/a.md".into(), front.into_bytes())]
}

#[test]
fn deeply_nested_yaml() {
    let deep = format!(
        "---\ntitle: Deep\nextra:\n  x: {}1{}\n---\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    run("deeply_nested_yaml", &generated(deep), &[], 1, &["a.md"]);
}

#[test]
fn yaml_alias_bomb() {
    let mut y = String::from(
        "---\ntitle: Laughs\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        y.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
    }
    y.push_str("---\n");
    run("yaml_alias_bomb", &generated(y), &[], 1, &["a.md"]);
}

#[test]
fn a_50_mib_article() {
    let mut big = b"---\ntitle: Big\n---\n\n".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    let files = [("content/big.md".into(), big)];
    run("a_50_mib_article", &files, &[], 1, &["big.md", "MiB"]);
}

#[test]
fn output_folder_inside_content() {
    let args = ["--output", "content"];
    run("output_folder_inside_content", &[], &args, 1, &["content"]);
}

#[test]
fn a_symlink_loop_and_a_missing_content_folder_are_named() {
    let site = Fixture::new(&[("content/good.md", GOOD)]);
    std::os::unix::fs::symlink("..", site.root().join("content/loop")).unwrap();
    let r = site.stacks(&["build"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("loop"), "{}", r.stderr);

    let empty = Fixture::new(&[]);
    let r = empty.stacks(&["build"]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("content"), "{}", r.stderr);
}

#[test]
fn hostile_titles_are_escaped() {
    let site = Fixture::new(&[(
        "content/a.md",
        "---\ntitle: \"</script><script>alert(1)</script>\"\ndescription: \"<img src=x onerror=alert(1)>\"\n---\n\nText.\n",
    )]);
    let r = site.stacks(&["build"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(site.public().join("a/index.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "title escaped");
    assert!(!html.contains("<img src=x"), "description escaped");
    let doc = site.page("a/index.html");
    assert_eq!(
        text_of(&doc, "h1").unwrap(),
        "</script><script>alert(1)</script>"
    );
}

/// Markup that would run if a template printed it unescaped, breaking out of text, attributes
/// and `<script>` alike.
const PAYLOAD: &str = "\"'><img src=x onerror=alert(1)></script><script>alert(1)</script>";

/// Elements that only exist if a front matter string reached a page as markup.
fn injected(doc: &scraper::Html) -> usize {
    doc.select(&sel("img[onerror]")).count()
        + doc
            .select(&sel("script"))
            .filter(|s| s.text().collect::<String>().trim() == "alert(1)")
            .count()
}

#[test]
fn every_front_matter_string_is_escaped() {
    // Single-quoted YAML, so that every character of the payload reaches the page as written.
    let p = format!("'{}'", PAYLOAD.replace('\'', "''"));
    let url = format!("'https://example.com/?{}'", PAYLOAD.replace('\'', "''"));
    let article = format!(
        "---\ntitle: {p}\ndescription: {p}\nauthor: {p}\ntags: [{p}, plain]\nanswer: {p}\nfaq:\n  - q: {p}\n    a: {p}\nsources:\n  - title: {p}\n    url: {url}\ncta:\n  label: {p}\n  url: {url}\n  text: {p}\nsubtitle: {p}\n---\n\n## Heading\n\nText.\n\n## Another\n\nMore.\n"
    );
    let section = format!("---\ntitle: {p}\ndescription: {p}\n---\n");
    let site = Fixture::new(&[
        ("content/lib/_index.md", &section),
        ("content/lib/a.md", &article),
        (
            "content/lib/b.md",
            "---\ntitle: B\ntags: [plain]\n---\n\nSee [[a]].\n",
        ),
    ]);
    let r = site.stacks(&["build", "--no-search"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = site.page("lib/a/index.html");
    assert!(doc.select(&sel(".faq")).next().is_some());
    assert!(doc.select(&sel(".cta a")).next().is_some());
    assert_eq!(text_of(&doc, "h1").unwrap(), PAYLOAD);
    for page in snapshot(&site.public()).keys() {
        let name = page.to_string_lossy();
        if !name.ends_with(".html") {
            continue;
        }
        let doc = site.page(&name);
        assert_eq!(
            injected(&doc),
            0,
            "{name}: a front matter string became markup"
        );
        let text = std::fs::read_to_string(site.public().join(page)).unwrap();
        assert!(!text.contains("<img src=x"), "{name}");
        assert!(!text.contains("<script>alert(1)"), "{name}");
    }
}

#[test]
fn raw_html_is_kept_unless_unsafe_html_is_false() {
    let body = "---\ntitle: A\n---\n\n<div class=\"note\">Kept as markup.</div>\n\n<script>alert(1)</script>\n\nInline <b class=\"x\">bold</b> text.\n";
    let trusted = Fixture::new(&[("content/a.md", body)]);
    let r = trusted.stacks(&["build", "--no-search"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = trusted.page("a/index.html");
    assert!(doc.select(&sel(".article-body div.note")).next().is_some());
    assert!(doc.select(&sel(".article-body b.x")).next().is_some());
    assert_eq!(doc.select(&sel(".article-body script")).count(), 1);

    let escaped = Fixture::new(&[
        (
            "site.yaml",
            "title: Fixture library\nbase_url: https://example.com/\nmarkdown:\n  unsafe_html: false\n",
        ),
        ("content/a.md", body),
    ]);
    let r = escaped.stacks(&["build", "--no-search"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = escaped.page("a/index.html");
    assert_eq!(doc.select(&sel(".article-body div.note")).count(), 0);
    assert_eq!(doc.select(&sel(".article-body b")).count(), 0);
    assert_eq!(doc.select(&sel(".article-body script")).count(), 0);
    let text = text_of(&doc, ".article-body").unwrap();
    assert!(text.contains("<div class=\"note\">"), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("<b class=\"x\">bold</b>"), "{text}");
}

#[test]
fn private_use_characters_do_not_disturb_links() {
    // Icon fonts put their glyphs in the private-use area, where link placeholders live too.
    let site = Fixture::new(&[
        (
            "content/a.md",
            "---\ntitle: A\n---\n\nIcon \u{E000} then [b](b.md) then \u{E001} and `\u{E000}h0\u{E001}`.\n",
        ),
        ("content/b.md", "---\ntitle: B\n---\n\nB.\n"),
    ]);
    let r = site.stacks(&["build", "--no-search"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let doc = site.page("a/index.html");
    let body = text_of(&doc, ".article-body").unwrap();
    assert_eq!(
        body,
        "Icon \u{E000} then b then \u{E001} and \u{E000}h0\u{E001}."
    );
    let link = doc.select(&sel(".article-body a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("/b/"));
}
