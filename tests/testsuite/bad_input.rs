//! Broken, odd and hostile input. For every case: no panic, the stated exit code, a message that
//! names the file (and line where there is one), the previous site byte-identical when the build
//! fails, and no file written outside the output folder.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const GOOD: &str = "---\ntitle: Good\n---\n\nA good article.\n";

struct Case {
    name: &'static str,
    files: Vec<(String, Vec<u8>)>,
    code: i32,
    /// Every one of these appears in the output (stderr and stdout).
    says: Vec<&'static str>,
    extra_args: Vec<&'static str>,
}

fn case(name: &'static str, path: &str, text: &str, code: i32, says: &[&'static str]) -> Case {
    Case {
        name,
        files: vec![(path.to_string(), text.as_bytes().to_vec())],
        code,
        says: says.to_vec(),
        extra_args: Vec::new(),
    }
}

/// Every file under `root` except the output folder and the build cache (`.stacks-cache/`,
/// stacks' own and documented), with its bytes.
fn outside(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| !p.starts_with("public") && !p.starts_with(".stacks-cache"))
        .collect()
}

fn run(c: &Case) {
    let site = Fixture::new(&[("content/good.md", GOOD)]);
    let first = site.stacks(&["build"]);
    assert_eq!(
        first.status, 0,
        "{}: the good site builds: {}",
        c.name, first.stderr
    );
    let before = snapshot(&site.public());
    for (path, bytes) in &c.files {
        let p = site.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let sources = outside(site.root());
    let mut args = vec!["build"];
    args.extend(&c.extra_args);
    let r = site.stacks(&args);
    let said = format!("{}{}", r.stderr, r.stdout);
    assert!(!said.contains("panicked"), "{}: panic\n{said}", c.name);
    assert_eq!(r.status, c.code, "{}: exit code\n{said}", c.name);
    for s in &c.says {
        assert!(said.contains(s), "{}: expected `{s}` in\n{said}", c.name);
    }
    if c.code != 0 {
        assert_eq!(
            snapshot(&site.public()),
            before,
            "{}: the old site changed",
            c.name
        );
        assert!(
            said.contains("hint") || said.contains("help") || said.contains("= "),
            "{}: no hint\n{said}",
            c.name
        );
    }
    assert_eq!(
        outside(site.root()),
        sources,
        "{}: wrote outside the output folder",
        c.name
    );
}

#[test]
fn broken_sites_are_reported_precisely() {
    let nested = format!(
        "---\ntitle: Deep\nextra:\n  x: {}1{}\n---\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let laughs = {
        let mut y = String::from(
            "---\ntitle: Laughs\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            y.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
        }
        y.push_str("---\n");
        y
    };
    let mut cases = vec![
        case(
            "tab indentation",
            "content/a.md",
            "---\ntitle: A\ntags:\n\t- x\n---\n",
            1,
            &["a.md:4"],
        ),
        case(
            "unclosed quote",
            "content/a.md",
            "---\ntitle: \"A\ndate: 2026-01-01\n---\n",
            1,
            &["a.md:"],
        ),
        case(
            "bad nesting",
            "content/a.md",
            "---\ntitle: A\n  tags: [x]\n---\n",
            1,
            &["a.md:"],
        ),
        case(
            "front matter never closed",
            "content/a.md",
            "---\ntitle: A\n\nBody.\n",
            1,
            &["a.md:1"],
        ),
        case("empty file", "content/a.md", "", 0, &["a.md"]),
        case(
            "byte order mark",
            "content/a.md",
            "\u{feff}---\ntitle: BOM\n---\n\nText.\n",
            0,
            &["built"],
        ),
        case(
            "CRLF line endings",
            "content/a.md",
            "---\r\ntitle: CRLF\r\n---\r\n\r\nText.\r\n",
            0,
            &["built"],
        ),
        case(
            "blank lines before front matter",
            "content/a.md",
            "\n\n---\ntitle: Late\n---\n\nText.\n",
            0,
            &["built"],
        ),
        case(
            "tags as one string",
            "content/a.md",
            "---\ntitle: A\ntags: \"one string\"\n---\n",
            0,
            &["built"],
        ),
        case(
            "impossible date",
            "content/a.md",
            "---\ntitle: A\ndate: 2026-13-45\n---\n",
            1,
            &["a.md:3", "date"],
        ),
        case(
            "unknown date format",
            "content/a.md",
            "---\ntitle: A\ndate: next tuesday\n---\n",
            1,
            &["a.md:3"],
        ),
        case("deeply nested YAML", "content/a.md", &nested, 1, &["a.md"]),
        case("YAML alias bomb", "content/a.md", &laughs, 1, &["a.md"]),
        case(
            "slug climbing out",
            "content/a.md",
            "---\ntitle: A\nslug: ../../etc\n---\n",
            1,
            &["a.md:3", "slug"],
        ),
        case(
            "absolute alias",
            "content/a.md",
            "---\ntitle: A\naliases: [/etc/passwd/../../x]\n---\n",
            1,
            &["a.md:3"],
        ),
        case(
            "drive letter alias",
            "content/a.md",
            "---\ntitle: A\naliases: ['C:\\Windows\\x']\n---\n",
            1,
            &["a.md:3"],
        ),
        case(
            "unclosed code fence",
            "content/a.md",
            "---\ntitle: A\n---\n\n```rust\nfn main() {}\n",
            0,
            &["built"],
        ),
        case(
            "broken mermaid",
            "content/a.md",
            "---\ntitle: A\n---\n\n```mermaid\nflowchart LR\n  a[\"x --> \n```\n",
            0,
            &["a.md:6", "mermaid"],
        ),
        case(
            "tera syntax error",
            "templates/article.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.title \n{% endblock main %}\n",
            1,
            &["article.html:3"],
        ),
        case(
            "unknown template variable",
            "templates/article.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.no_such_thing.deeper }}{% endblock main %}\n",
            1,
            &["article.html"],
        ),
        case(
            "missing template named by a page",
            "content/a.md",
            "---\ntitle: A\ntemplate: nowhere.html\n---\n",
            1,
            &["nowhere.html"],
        ),
        case(
            "file names with spaces and accents",
            "content/Léa et moi.md",
            "---\ntitle: Léa\n---\n\nText.\n",
            0,
            &["built"],
        ),
        case(
            "script in a title",
            "content/a.md",
            "---\ntitle: \"<script>alert(1)</script>\"\n---\n\nText.\n",
            0,
            &["built"],
        ),
        case(
            "unknown site.yaml key",
            "site.yaml",
            "title: T\nbase_ur1: https://x.example/\n",
            1,
            &["site.yaml:2", "base_url"],
        ),
    ];
    cases.push(Case {
        name: "a.md and a/index.md",
        files: vec![
            ("content/a.md".into(), GOOD.as_bytes().to_vec()),
            ("content/a/index.md".into(), GOOD.as_bytes().to_vec()),
        ],
        code: 1,
        says: vec!["a.md", "a/index.md"],
        extra_args: Vec::new(),
    });
    cases.push(Case {
        name: "two equal slugs",
        files: vec![
            (
                "content/x/one.md".into(),
                b"---\ntitle: One\nslug: same\n---\n".to_vec(),
            ),
            (
                "content/x/two.md".into(),
                b"---\ntitle: Two\nslug: same\n---\n".to_vec(),
            ),
        ],
        code: 1,
        says: vec!["one.md", "two.md"],
        extra_args: Vec::new(),
    });
    cases.push(Case {
        name: "not UTF-8",
        files: vec![(
            "content/a.md".into(),
            b"---\ntitle: A\n---\n\n\xff\xfe caf\xe9\n".to_vec(),
        )],
        code: 1,
        says: vec!["a.md", "UTF-8"],
        extra_args: Vec::new(),
    });
    cases.push(Case {
        name: "a 50 MB article",
        files: vec![("content/big.md".into(), {
            let mut v = b"---\ntitle: Big\n---\n\n".to_vec();
            v.resize(50 * 1024 * 1024, b'a');
            v
        })],
        code: 1,
        says: vec!["big.md", "MiB"],
        extra_args: Vec::new(),
    });
    cases.push(Case {
        name: "output folder is content/",
        files: Vec::new(),
        code: 1,
        says: vec!["content"],
        extra_args: vec!["--output", "content"],
    });
    for c in &cases {
        run(c);
    }
    assert!(cases.len() >= 25, "{} cases", cases.len());
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
