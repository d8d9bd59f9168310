//! `stacks new`, `stacks init` and `stacks check`.

use crate::common::*;

#[test]
fn init_makes_a_site_that_builds_and_refuses_a_full_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-library");
    let run = stacks(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for f in [
        "site.yaml",
        "content/_index.md",
        "content/guides/_index.md",
        "content/guides/getting-started/first-article.md",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let run = stacks(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        dir.join("public/guides/getting-started/first-article/index.html")
            .is_file()
    );
    let again = stacks(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status, 1);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn new_writes_front_matter_and_never_overwrites() {
    let site = Fixture::new(&[("content/_index.md", "---\ntitle: Home\n---\n")]);
    let run = site.stacks(&[
        "new",
        "revops/pipeline/stage-exits",
        "--title",
        "How do stages end?",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/revops/pipeline/stage-exits.md"))
        .unwrap();
    assert!(
        text.starts_with("---\ntitle: \"How do stages end?\"\n"),
        "{text}"
    );
    assert!(text.contains("\ndate: 20"), "{text}");
    for key in ["description:", "tags:", "answer:", "faq:"] {
        assert!(text.contains(key), "{key} missing");
    }
    assert!(site.root().join("content/revops/_index.md").is_file());
    let again = site.stacks(&["new", "revops/pipeline/stage-exits"]);
    assert_eq!(again.status, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/revops/pipeline/stage-exits.md"))
            .unwrap(),
        text
    );
    // A new article is a draft until the author says otherwise.
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        !site
            .public()
            .join("revops/pipeline/stage-exits/index.html")
            .exists()
    );
}

#[test]
fn check_reports_json_and_fails_on_errors_without_writing() {
    let site = Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/a.md", "---\ntitle: A\n---\n\n[gone](missing.md)\n"),
    ]);
    let run = site.stacks(&["check", "--format", "json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "content/a.md");
    assert_eq!(d["line"], 5);
    assert!(!site.public().exists(), "check writes nothing");

    site.write("content/b.md", "---\ntitle: [B\n---\n");
    let run = site.stacks(&["check", "--format", "json"]);
    assert_eq!(run.status, 1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    let text = site.stacks(&["check"]);
    assert_eq!(text.status, 1);
    assert!(
        text.stderr.contains("content/b.md:2:") || text.stderr.contains("content/b.md:3:"),
        "{}",
        text.stderr
    );
}

#[test]
fn build_shows_no_progress_off_a_terminal_and_nothing_but_problems_when_quiet() {
    let site = Fixture::new(&[("content/a.md", "---\ntitle: A\n---\n\nSome words.\n")]);
    let run = site.stacks(&["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "no progress bar in a pipe: {}",
        run.stderr
    );
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    let run = site.stacks(&["build", "--quiet"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}
