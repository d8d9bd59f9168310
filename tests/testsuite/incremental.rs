//! Following an edit in place (what `serve` does on a save) must give the same site as
//! rendering everything again: every output laid over the previous render equals a fresh one.

use stacks::output::{Content, Output};
use stacks::{BuildOptions, SearchMode, Session};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ARTICLE: &str = "content/scorecards/metrics/leading-vs-lagging-indicators.md";

/// The sample library, copied into a temporary folder so it can be edited.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = crate::common::repo();
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(&repo).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

fn session(root: &Path) -> Session {
    Session::new(BuildOptions {
        root: root.to_path_buf(),
        search: SearchMode::Off,
        ..BuildOptions::default()
    })
}

fn bytes(o: &Output) -> Vec<u8> {
    match &o.content {
        Content::Bytes(b) => b.clone(),
        Content::Static(b) => b.to_vec(),
        Content::Copy(p) => std::fs::read(p).unwrap(),
    }
}

fn by_path(outputs: &[Output]) -> BTreeMap<String, Vec<u8>> {
    outputs.iter().map(|o| (o.path.clone(), bytes(o))).collect()
}

/// Outputs by path, read when compared (files to copy are read from disk then, as `serve`
/// does on each request).
fn served(outputs: Vec<Output>) -> BTreeMap<String, Output> {
    outputs.into_iter().map(|o| (o.path.clone(), o)).collect()
}

/// Edits the article with `edit`, follows it in place, and checks the result against a fresh
/// full render; returns the number of outputs the edit re-rendered.
fn follow(edit: impl Fn(&str) -> String) -> usize {
    let dir = sample_copy();
    let root = dir.path();
    let mut live = session(root);
    let first = live.render();
    assert!(!first.diagnostics.has_errors(), "{:?}", first.diagnostics);
    let mut served = served(first.outputs);

    let path = root.join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(text, edited, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
    let canonical: PathBuf = std::fs::canonicalize(&path).unwrap();
    let update = live.rebuild(&[canonical]);
    assert!(
        update.partial,
        "an in-place edit is followed without a full render"
    );
    assert!(!update.diagnostics.has_errors());
    let changed = update.outputs.len();
    served.extend(update.outputs.into_iter().map(|o| (o.path.clone(), o)));
    if let Some(settled) = live.settle(&|| false) {
        assert!(!settled.diagnostics.has_errors());
        served.extend(settled.outputs.into_iter().map(|o| (o.path.clone(), o)));
    }
    assert!(
        live.settle(&|| false).is_none(),
        "settling twice does nothing"
    );

    let fresh = by_path(&session(root).render().outputs);
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    let differ: Vec<&String> = fresh
        .iter()
        .filter(|(path, b)| served.get(*path).map(bytes).as_ref() != Some(*b))
        .map(|(path, _)| path)
        .collect();
    for p in &differ {
        if let Ok(dir) = std::env::var("STACKS_DUMP") {
            std::fs::write(format!("{dir}/served.html"), bytes(&served[*p])).unwrap();
            std::fs::write(format!("{dir}/fresh.html"), &fresh[*p]).unwrap();
        }
    }
    assert!(
        differ.is_empty(),
        "outputs that differ from a full render: {differ:?}"
    );
    changed
}

#[test]
fn a_body_edit_re_renders_few_pages_and_matches_a_full_render() {
    let changed = follow(|t| {
        t.replacen(
            "## ",
            "A sentence added while writing, about pipeline reviews.\n\n## ",
            1,
        )
    });
    let total = by_path(&session(&crate::common::repo()).render().outputs).len();
    assert!(
        changed * 4 < total,
        "{changed} of {total} outputs re-rendered for one article's text"
    );
}

#[test]
fn a_new_description_reaches_listings_feeds_and_cards() {
    follow(|t| {
        t.replacen(
            "description: \"Lagging indicators report sales results;",
            "description: \"Lagging indicators record what happened;",
            1,
        )
    });
}

#[test]
fn a_new_title_takes_the_full_pipeline() {
    let dir = sample_copy();
    let root = dir.path();
    let mut live = session(root);
    live.render();
    let path = root.join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "title: \"What is the difference",
            "title: \"What's the difference",
            1,
        ),
    )
    .unwrap();
    let update = live.rebuild(&[std::fs::canonicalize(&path).unwrap()]);
    assert!(
        !update.partial,
        "a title change can move the article in every listing"
    );
}

#[test]
fn broken_front_matter_takes_the_full_pipeline_and_reports_it() {
    let dir = sample_copy();
    let root = dir.path();
    let mut live = session(root);
    live.render();
    let path = root.join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("date: 2026-03-17", "date: [2026", 1)).unwrap();
    let update = live.rebuild(&[std::fs::canonicalize(&path).unwrap()]);
    assert!(!update.partial);
    let errors: Vec<String> = update
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("leading-vs-lagging-indicators.md")),
        "{errors:?}"
    );
}

#[test]
fn the_same_library_renders_the_same_bytes_every_time() {
    // Related reading once depended on hash-map order; an in-place edit can only be checked
    // against a full render if full renders agree with each other.
    let root = crate::common::repo();
    let first = by_path(&session(&root).render().outputs);
    let second = by_path(&session(&root).render().outputs);
    let differ: Vec<&String> = first
        .iter()
        .filter(|(path, b)| second.get(*path) != Some(b))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty(),
        "outputs that differ between two renders: {differ:?}"
    );
}
