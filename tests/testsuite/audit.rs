//! The content audit: one fixture article per check, built to fail exactly that check, and the
//! sample library's scores.

use crate::common::audit::*;
use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;

const JSON_LD: &str = r#"<script type="application/ld+json">{{ block | safe }}</script>"#;

type Change = Box<dyn Fn(&mut Subject) -> Vec<(String, String)>>;

fn front(f: impl Fn(&str) -> String + 'static) -> Change {
    Box::new(move |s| {
        s.front = f(&s.front);
        Vec::new()
    })
}

fn body(f: impl Fn(&str) -> String + 'static) -> Change {
    Box::new(move |s| {
        s.body = f(&s.body);
        Vec::new()
    })
}

fn files(f: impl Fn() -> Vec<(String, String)> + 'static) -> Change {
    Box::new(move |_| f())
}

fn cases() -> Vec<(&'static str, Change)> {
    vec![
        (
            "title-length",
            front(|f| {
                f.replace(
                    "How should a team run its weekly pipeline review?",
                    "A weekly pipeline review that reads every deal against stage exit criteria",
                )
            }),
        ),
        (
            "description-length",
            front(|f| {
                f.replace(
            "A weekly pipeline review that checks every deal against exit criteria and turns the meeting into coaching.",
            "Too short to say anything.",
        )
            }),
        ),
        (
            "direct-answer",
            front(|f| {
                let start = f.find("answer:").unwrap();
                let end = f.find("faq:").unwrap();
                format!("{}{}", &f[..start], &f[end..])
            }),
        ),
        (
            "answer-not-repeated",
            // The direct answer, copied as the opening paragraph.
            body(|b| {
                let answer = "Run the review on one report of open deals, read each against the \
                    stage exit criteria, and start with the deals that have stalled. Ask for the \
                    buyer's next step, its date and who agreed to it.";
                format!("{answer}\n\n{b}")
            }),
        ),
        (
            "h2-sections",
            body(|b| b.replace("## Coach, do not inspect", "### Coach, do not inspect")),
        ),
        (
            "word-count",
            body(|b| {
                let mut short = b.to_string();
                for n in 0..6 {
                    short = short.replace(&prose(n, 11), &prose(n, 4));
                }
                short
            }),
        ),
        (
            "faq-entries",
            front(|f| {
                let start = f.find("  - q: What if").unwrap();
                let end = f.find("sources:").unwrap();
                format!("{}{}", &f[..start], &f[end..])
            }),
        ),
        (
            "sources",
            front(|f| {
                f.replace(
                    "    url: https://sales-notes.example.org/pipeline-review\n",
                    "",
                )
            }),
        ),
        (
            "diagram-or-table",
            body(|b| {
                let start = b.find("| Signal").unwrap();
                let end = b.find("## Read deals").unwrap();
                format!("{}{}", &b[..start], &b[end..])
            }),
        ),
        (
            "tag-count",
            front(|f| {
                f.replace(
                    "[pipeline, sales management, forecasting]",
                    "[pipeline, forecasting]",
                )
            }),
        ),
        (
            "links-out",
            body(|b| {
                b.replace(
                    "The [[beta]] article defines the criteria.",
                    "Another article defines the criteria.",
                )
            }),
        ),
        (
            "backlinks-in",
            files(|| {
                vec![
                    (
                        "content/lib/coll/alpha.md".into(),
                        "---\ntitle: Alpha\n---\n\nNo links.\n".into(),
                    ),
                    (
                        "content/lib/coll/beta.md".into(),
                        "---\ntitle: Beta\n---\n\nNone here.\n".into(),
                    ),
                ]
            }),
        ),
        (
            "no-broken-links",
            body(|b| format!("{b}\nAn old note lives in [the archive](archive.md).\n")),
        ),
        (
            "fresh",
            front(|f| f.replace("date: 2026-11-01", "date: 2025-06-01")),
        ),
        (
            "jsonld-article",
            files(|| {
                vec![theme_override(
                    "article.html",
                    JSON_LD,
                    &format!("{{% if not loop.first %}}{JSON_LD}{{% endif %}}"),
                )]
            }),
        ),
        (
            "jsonld-faq",
            files(|| {
                vec![theme_override(
                    "article.html",
                    JSON_LD,
                    &format!("{{% if not loop.last %}}{JSON_LD}{{% endif %}}"),
                )]
            }),
        ),
        (
            "canonical",
            files(|| {
                vec![theme_override(
                    "base.html",
                    r#"<link rel="canonical" href="{{ meta.canonical }}">"#,
                    "",
                )]
            }),
        ),
        (
            "open-graph",
            files(|| {
                vec![theme_override(
                    "base.html",
                    r#"<meta property="og:description" content="{{ meta.description }}">"#,
                    "",
                )]
            }),
        ),
        (
            "heading-outline",
            body(|b| {
                b.replace(
                    "## Coach, do not inspect\n\n",
                    "## Coach, do not inspect\n\n#### In the meeting\n\n",
                )
            }),
        ),
        (
            "image-alt",
            body(|b| format!("{b}\n![](https://example.com/review-board.png)\n")),
        ),
        (
            "link-text",
            body(|b| {
                format!("{b}\nFor a printable agenda, [click here](https://example.com/agenda).\n")
            }),
        ),
        (
            "lang",
            files(|| {
                vec![theme_override(
                    "base.html",
                    r#"<html lang="{{ site.language }}">"#,
                    "<html>",
                )]
            }),
        ),
        (
            "in-sitemap",
            files(|| {
                vec![(
            "templates/sitemap.xml".into(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"></urlset>\n".into(),
        )]
            }),
        ),
        (
            "in-llms-txt",
            files(|| {
                vec![(
                    "static/llms.txt".into(),
                    "# Fixture library\n\n- [Alpha](https://example.com/lib/coll/alpha/index.md)\n"
                        .into(),
                )]
            }),
        ),
    ]
}

#[test]
fn each_fixture_fails_exactly_its_own_check() {
    let (_, base) = report(&site(&subject(), &[]), &[]);
    let audit = audit_of(&base, SUBJECT);
    assert_eq!(audit["checks"].as_array().unwrap().len(), 24);
    assert!(failing(audit).is_empty(), "the base fixture: {audit:#}");
    assert_eq!(
        audit["editorial"],
        serde_json::json!({"score": 14, "total": 14})
    );
    assert_eq!(
        audit["machine"],
        serde_json::json!({"score": 10, "total": 10})
    );

    let cases = cases();
    let ids: BTreeSet<&str> = cases.iter().map(|(id, _)| *id).collect();
    let catalog: BTreeSet<&str> = stacks::audit::CATALOG.iter().map(|c| c.id).collect();
    assert_eq!(ids, catalog, "one case per check");
    let mut wrong = Vec::new();
    for (id, change) in &cases {
        let mut s = subject();
        let extra = change(&mut s);
        let (run, json) = report(&site(&s, &extra), &[]);
        assert_eq!(run.status, 0, "{id}: {}", run.stderr);
        let audit = audit_of(&json, SUBJECT);
        let got = failing(audit);
        if got != BTreeSet::from([id.to_string()]) {
            wrong.push(format!("{id}: failing {got:?}\n{audit:#}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_sample_library_passes_every_check() {
    let root = repo();
    let run = stacks_env(
        &[
            "check",
            "--format",
            "json",
            "--root",
            root.to_str().unwrap(),
        ],
        &[TODAY],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let audit = json["audit"].as_array().unwrap();
    assert!(audit.len() >= 30, "{} articles", audit.len());
    for a in audit {
        let name = a["article"].as_str().unwrap();
        assert_eq!(a["checks"].as_array().unwrap().len(), 24, "{name}");
        // The sample library is the standard the audit describes: every article meets it.
        assert_eq!(
            a["editorial"],
            serde_json::json!({"score": 14, "total": 14}),
            "{name}: {a:#}"
        );
        assert_eq!(
            a["machine"],
            serde_json::json!({"score": 10, "total": 10}),
            "{name}: {a:#}"
        );
        for c in a["checks"].as_array().unwrap() {
            assert!(c["kind"] == "editorial" || c["kind"] == "machine");
            assert!(
                c["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{name}: {c}"
            );
        }
    }
}

#[test]
fn the_readme_lists_every_check() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("## Content audit")
        .nth(1)
        .expect("a Content audit section");
    for c in stacks::audit::CATALOG {
        assert!(
            section.contains(&format!("| `{}` | {} |", c.id, c.title)),
            "README misses {}",
            c.id
        );
    }
}
