//! The content audit in a built site: the badge and the `/audit/` page, minimum scores that fail
//! `check` and `build`, configuration, `--explain`, and articles with odd or missing fields.

use crate::common::audit::*;
use crate::common::*;

#[test]
fn the_badge_and_the_audit_page_are_in_the_built_site() {
    let s = stale_site(None);
    let run = s.stacks_env(&["build", "--no-search"], &[TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("audit: 0 of 3 article(s) pass every check"),
        "{}",
        run.stdout
    );

    let page = s.page("lib/coll/subject/index.html");
    let badge = text_of(&page, ".audit-badge").expect("a badge");
    assert!(badge.contains("13/14 · audited"), "{badge}");
    assert!(badge.contains("machine certified 10/10"), "{badge}");
    // The scores lead readers to what they mean; the editors' report is a page of its own.
    let hrefs: Vec<&str> = page
        .select(&sel(".audit-badge a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["/audit/#editorial", "/audit/#machine", "/audit/"]);
    let explained = s.page("audit/index.html");
    let text: String = explained
        .select(&sel("main"))
        .flat_map(|m| m.text())
        .collect();
    assert!(text.contains("editorial score") || text.contains("The editorial score"));
    assert!(
        !text.contains("content/"),
        "no file paths for readers: {text}"
    );
    assert!(
        explained
            .select(&sel("a[href='/audit/report/']"))
            .next()
            .is_some(),
        "the readers' page leads editors to the report"
    );
    let html = std::fs::read_to_string(s.public().join("lib/coll/subject/index.html")).unwrap();
    assert!(
        !html.contains("stacks:audit-badge"),
        "the placeholder is gone"
    );

    let audit = s.page("audit/report/index.html");
    let rows: Vec<String> = audit
        .select(&sel(".audit-table tbody tr[id]"))
        .map(|r| r.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    // Alpha and beta fail most checks, so they come before the subject.
    assert_eq!(rows.last().map(String::as_str), Some("lib-coll-subject"));
    let row = audit.select(&sel("#lib-coll-subject")).next().unwrap();
    let text: String = row.text().collect();
    assert!(text.contains("13/14") && text.contains("10/10"), "{text}");
    assert!(text.contains("fresh") && text.contains(SUBJECT), "{text}");
    assert!(
        row.select(&sel("a[href='/lib/coll/subject/']"))
            .next()
            .is_some(),
        "the row links to the article"
    );
    let problems = broken_links(&s.public(), "/", "https://example.com");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_minimum_score_fails_check_and_build_and_names_the_article_and_check() {
    let s = stale_site(None);
    assert_eq!(s.stacks_env(&["check"], &[TODAY]).status, 0);
    let run = s.stacks_env(&["check", "--min-score", "14"], &[TODAY]);
    assert_eq!(run.status, 1, "{}\n{}", run.stdout, run.stderr);
    let said = format!("{}{}", run.stdout, run.stderr);
    let line = said
        .lines()
        .find(|l| l.contains(SUBJECT) && l.contains("error"))
        .unwrap_or_else(|| panic!("no error naming {SUBJECT}:\n{said}"));
    assert!(line.contains("fresh") && line.contains("13/14"), "{line}");
    // Alpha and beta fail too, and are named as well.
    assert!(said.contains("content/lib/coll/alpha.md: error"), "{said}");
    let (run, json) = report(&s, &["--min-machine-score", "10", "--min-score", "13"]);
    assert_eq!(run.status, 1);
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"] != SUBJECT)
    );

    // In site.yaml the minimum also stops a build from publishing.
    let gated = stale_site(Some(
        "title: Fixture library\nbase_url: https://example.com/\naudit:\n  min_score: 14\n",
    ));
    let run = gated.stacks_env(&["build", "--no-search"], &[TODAY]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains(SUBJECT) && run.stderr.contains("fresh"),
        "{}",
        run.stderr
    );
    assert!(!gated.public().exists());
}

#[test]
fn disabled_checks_leave_the_score_and_the_total() {
    let s = stale_site(Some(
        "title: Fixture library\nbase_url: https://example.com/\naudit:\n  disable: [fresh, in-llms-txt]\n",
    ));
    let (run, json) = report(&s, &["--min-score", "14"]);
    assert_eq!(run.status, 1, "alpha and beta still fail");
    let a = audit_of(&json, SUBJECT);
    assert_eq!(a["checks"].as_array().unwrap().len(), 22);
    assert_eq!(
        a["editorial"],
        serde_json::json!({"score": 13, "total": 13})
    );
    assert_eq!(a["machine"], serde_json::json!({"score": 9, "total": 9}));
    assert!(
        !run.stderr.contains(&format!("{SUBJECT}: error")),
        "{}",
        run.stderr
    );

    let typo = stale_site(Some("title: Fixture library\naudit:\n  disable: [frsh]\n"));
    let run = typo.stacks(&["check"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("site.yaml:3") && run.stderr.contains("`fresh`"),
        "{}",
        run.stderr
    );

    let off = stale_site(Some("title: Fixture library\naudit:\n  enabled: false\n"));
    let run = off.stacks(&["build", "--no-search"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(text_of(&off.page("lib/coll/subject/index.html"), ".audit-badge").is_none());
    assert!(!off.public().join("audit").exists());
    let (_, json) = report(&off, &[]);
    assert_eq!(json["audit"], serde_json::json!([]));
}

#[test]
fn explain_describes_a_check_and_suggests_a_misspelt_one() {
    let run = stacks(&["check", "--explain", "link-text"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for part in ["link-text", "machine", "why:", "fix:", "click here"] {
        assert!(run.stdout.contains(part), "{part}: {}", run.stdout);
    }
    let run = stacks(&["check", "--explain", "link-txt"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("`link-text`"), "{}", run.stderr);
}

#[test]
fn odd_articles_fail_checks_without_stopping_the_audit() {
    let s = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/bare.md", "Only a line of text, no front matter.\n"),
        ("content/empty.md", ""),
        ("content/heading.md", "# Just a heading\n"),
        (
            "content/amp.md",
            "---\ntitle: R&D — naïve ünïcödé & more; </script>\ndescription: \"&é; &#xD800; ü&\"\n---\n\n[R&D ü](https://e.org/?a=1&b=ü) ![&ü;](x&y.png)\n",
        ),
        (
            "content/dated.md",
            "---\ntitle: Dated\ndate: 2030-01-01\nfaq: []\nsources:\n  - title: No link\n---\n",
        ),
    ]);
    // The future-dated article is built only with `--future`, as in Hugo.
    let (run, json) = report(&s, &["--future"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let audit = json["audit"].as_array().unwrap();
    assert_eq!(audit.len(), 5);
    for a in audit {
        assert_eq!(a["checks"].as_array().unwrap().len(), 24);
        let f = failing(a);
        for id in [
            "description-length",
            "direct-answer",
            "word-count",
            "sources",
        ] {
            assert!(f.contains(id), "{}: {id} {f:?}", a["article"]);
        }
    }
    let dated = audit_of(&json, "content/dated.md");
    assert!(!failing(dated).contains("fresh"), "a future date is fresh");
    assert!(failing(audit_of(&json, "content/bare.md")).contains("fresh"));
    let run = s.stacks_env(&["check"], &[("STACKS_BUILD_DATE", "23/11/2026")]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("STACKS_BUILD_DATE"), "{}", run.stderr);
}
