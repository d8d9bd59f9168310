//! `build` after `build`: a rebuild gives exactly the site a clean build gives, leaves the files
//! it did not change untouched, and a build killed at any moment leaves the old site or the new
//! one, never a mix.

use crate::common::{Run, snapshot, stacks_env};
use stacks_corpus as corpus;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const DATE: (&str, &str) = ("STACKS_BUILD_DATE", "2026-11-30");

/// A generated library of `articles` articles, with one article whose heading another links to.
fn library(articles: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        articles,
        seed: 11,
        clusters: 4,
        ..corpus::Options::default()
    };
    corpus::generate(&options, dir.path()).unwrap();
    let lib = first_library(dir.path());
    write(
        &lib.join("anchored.md"),
        "---\ntitle: Anchored\ntags: [pipeline]\n---\n\nIntro.\n\n## Stage gates\n\nGates.\n",
    );
    write(
        &lib.join("pointer.md"),
        "---\ntitle: Pointer\ntags: [pipeline]\n---\n\nSee [the gates](anchored.md#stage-gates).\n",
    );
    dir
}

fn first_library(root: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.remove(0)
}

/// Every article of the library, sorted.
fn articles(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
        })
        .collect();
    files.sort();
    files
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    write(path, &text.replacen(from, to, 1));
}

fn build(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--no-search", "--root", root.to_str().unwrap()];
    args.extend(extra);
    let run = stacks_env(&args, &[DATE]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run
}

/// Moves the modification time of every source written in the last minute an hour back, as if
/// the library had been edited a while ago: a build trusts an unchanged size and time only for
/// files older than a moment, so that an edit in the same instant as a build is never missed.
fn age(root: &Path) {
    let recent = SystemTime::now() - Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
        let rel = entry.path().strip_prefix(root).unwrap();
        let source = ["content", "templates", "static", "site.yaml"]
            .iter()
            .any(|s| rel.starts_with(s));
        let time = entry.metadata().unwrap().modified().unwrap();
        if source && entry.file_type().is_file() && time > recent {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(time - Duration::from_secs(3600)).unwrap();
        }
    }
}

/// The site's files without the marker, which names the build's generation.
fn site(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(Path::new(stacks::MARKER));
    files
}

fn mtimes(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    snapshot(dir)
        .into_keys()
        .map(|p| {
            let t = std::fs::metadata(dir.join(&p)).unwrap().modified().unwrap();
            (p, t)
        })
        .collect()
}

/// Builds the library as it now is, incrementally into `public/` and from scratch (no cache)
/// into `clean/`; the two must be byte for byte the same, and every file whose bytes did not
/// change must keep its modification time. Returns the incremental build's run.
fn rebuild_matches_a_clean_build(root: &Path, step: &str) -> Run {
    age(root);
    let public = root.join("public");
    let before = site(&public);
    let times = mtimes(&public);
    // Different timestamps for files written now, even on coarse filesystems.
    std::thread::sleep(Duration::from_millis(20));
    let run = build(root, &[]);
    let clean = root.join("clean");
    build(root, &["--no-cache", "--output", clean.to_str().unwrap()]);
    let after = site(&public);
    let expected = site(&clean);
    let differ: Vec<&PathBuf> = expected
        .keys()
        .chain(after.keys())
        .filter(|p| expected.get(*p) != after.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "{step}: differs from a clean build: {differ:?}"
    );
    let now = mtimes(&public);
    let changed = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .count();
    for (path, bytes) in &after {
        if before.get(path) == Some(bytes) {
            assert_eq!(
                now[path],
                times[path],
                "{step}: {} was rewritten",
                path.display()
            );
        }
    }
    let unchanged = run.stdout.contains("nothing changed since the last build");
    assert!(
        run.stdout.contains(&format!(", {changed} changed)"))
            || changed == after.len()
            || unchanged && changed == 0,
        "{step}: {changed} files changed, the summary says\n{}",
        run.stdout
    );
    run
}

/// The lines of a build's report but the first, which says what was written and how fast.
fn report(run: &Run) -> (Vec<&str>, &str) {
    (run.stdout.lines().skip(1).collect(), run.stderr.as_str())
}

#[test]
fn every_rebuild_equals_a_clean_build_and_keeps_unchanged_files() {
    let dir = library(40);
    let root = dir.path();
    build(root, &[]);
    let all = articles(root);
    let lib = first_library(root);
    let (a, b, c) = (&all[3], &all[7], &all[11]);
    let full = rebuild_matches_a_clean_build(root, "sources older");
    let again = rebuild_matches_a_clean_build(root, "nothing changed");
    assert!(
        again
            .stdout
            .contains("nothing changed since the last build"),
        "a build of unchanged sources over an intact site redoes nothing:\n{}",
        again.stdout
    );
    assert_eq!(
        report(&again),
        report(&full),
        "and reports what the last one did"
    );

    let body = std::fs::read_to_string(a).unwrap() + "\nOne more paragraph about pipeline.\n";
    write(a, &body);
    rebuild_matches_a_clean_build(root, "body");

    // Words too rare to be among the article's main terms: every related list is as before,
    // and the build takes them from the cache instead of ranking again.
    let related = root.join(stacks::cache::CACHE_DIR).join("related.bin");
    let lists = std::fs::read(&related).unwrap();
    let body = std::fs::read_to_string(a).unwrap() + "\nA zzzquorble.\n";
    write(a, &body);
    rebuild_matches_a_clean_build(root, "body, main terms as they were");
    assert_eq!(
        std::fs::read(&related).unwrap(),
        lists,
        "related lists kept"
    );

    let text = std::fs::read_to_string(b).unwrap();
    write(b, &text.replacen("title: ", "title: Renamed ", 1));
    rebuild_matches_a_clean_build(root, "title");

    let text = std::fs::read_to_string(c).unwrap();
    write(c, &text.replacen("tags: [", "tags: [brand-new-tag, ", 1));
    rebuild_matches_a_clean_build(root, "tags");
    assert_ne!(
        std::fs::read(&related).unwrap(),
        lists,
        "related lists ranked again"
    );

    write(
        &lib.join("fresh.md"),
        "---\ntitle: Fresh\ntags: [pipeline]\n---\n\nA new article.\n",
    );
    rebuild_matches_a_clean_build(root, "new article");

    std::fs::remove_file(&all[5]).unwrap();
    rebuild_matches_a_clean_build(root, "deleted article");

    edit(
        &lib.join("anchored.md"),
        "## Stage gates",
        "## Gate reviews",
    );
    rebuild_matches_a_clean_build(root, "renamed heading another article links to");

    let theme = crate::common::repo().join("themes/default/templates/article.html");
    let template = std::fs::read_to_string(theme).unwrap();
    write(
        &root.join("templates/article.html"),
        &template.replacen("</article>", "<p class=\"edited\">Edited.</p></article>", 1),
    );
    rebuild_matches_a_clean_build(root, "template");

    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(
        &root.join("site.yaml"),
        &config.replacen("title: ", "title: New ", 1),
    );
    rebuild_matches_a_clean_build(root, "site.yaml");

    write(&lib.join("chart.png"), "not really a picture");
    rebuild_matches_a_clean_build(root, "asset added");
    std::fs::remove_file(lib.join("chart.png")).unwrap();
    rebuild_matches_a_clean_build(root, "asset removed");
}

/// A library of `articles` articles, built once, its sources dated an hour back.
fn built_a_while_ago(articles: usize) -> tempfile::TempDir {
    let dir = library(articles);
    build(dir.path(), &[]);
    age(dir.path());
    dir
}

/// Overwrites every entry of the cache file at `path` with bytes that keep its framing (key and
/// length) but cannot be decoded; returns the byte used.
fn damage_entries(path: &Path) -> u8 {
    const MAGIC: &[u8] = b"stacks cache 1\n";
    const JUNK: u8 = b'~';
    let mut bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(MAGIC),
        "{} is a cache file",
        path.display()
    );
    let mut at = MAGIC.len();
    while at + 40 <= bytes.len() {
        let len = u64::from_le_bytes(bytes[at + 32..at + 40].try_into().unwrap()) as usize;
        let start = at + 40;
        bytes[start..start + len].fill(JUNK);
        at = start + len;
    }
    std::fs::write(path, bytes).unwrap();
    JUNK
}

#[test]
fn a_damaged_parse_in_the_cache_is_parsed_again_and_never_saved_back() {
    let dir = built_a_while_ago(12);
    let root = dir.path();
    let store = root.join(".stacks-cache").join("parsed.bin");
    let junk = damage_entries(&store);
    // An edit makes the build save the parse cache, where unchanged entries are copied from the
    // old file: the damaged ones must be encoded from the new parses instead.
    let article = articles(root)[0].clone();
    let text = std::fs::read_to_string(&article).unwrap();
    write(&article, &format!("{text}\nOne more paragraph.\n"));
    build(root, &[]);
    let saved = std::fs::read(&store).unwrap();
    assert!(
        !saved.windows(16).any(|w| w.iter().all(|&b| b == junk)),
        "a damaged entry was written back to parsed.bin"
    );
    let clean = root.join("clean");
    build(root, &["--no-cache", "--output", clean.to_str().unwrap()]);
    assert_eq!(site(&root.join("public")), site(&clean));
}

#[test]
fn hand_edits_in_the_output_are_not_kept() {
    let dir = built_a_while_ago(12);
    let root = dir.path();
    build(root, &[]);
    let run = build(root, &[]);
    assert!(run.stdout.contains("nothing changed since the last build"));
    // Both trees now exist; change one file in each as a person or another tool might.
    let public = root.join("public");
    let prev = root.join(".public.stacks-prev");
    assert!(prev.is_dir(), "the previous tree is kept beside the output");
    std::fs::write(public.join("index.html"), "changed by hand").unwrap();
    std::fs::write(prev.join("404.html"), "changed by hand").unwrap();
    std::fs::remove_file(prev.join("sitemap.xml")).unwrap();
    let run = build(root, &[]);
    assert!(!run.stdout.contains("nothing changed"), "{}", run.stdout);
    let clean = root.join("clean");
    build(root, &["--no-cache", "--output", clean.to_str().unwrap()]);
    assert_eq!(site(&public), site(&clean));
}

#[test]
fn a_page_appears_when_its_publish_moment_passes_with_no_edit() {
    let dir = library(6);
    let root = dir.path();
    let moment = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(4);
    write(
        &first_library(root).join("timed.md"),
        &format!("---\ntitle: Timed\ndate: {moment}\n---\n\nOut on the dot.\n"),
    );
    age(root);
    let args = ["build", "--no-search", "--root", root.to_str().unwrap()];
    let before = stacks_env(&args, &[]);
    assert!(
        before.stdout.contains("1 dated in the future"),
        "{}",
        before.stdout
    );
    let wait =
        moment.duration_since(jiff::Timestamp::now()) + jiff::SignedDuration::from_millis(500);
    std::thread::sleep(Duration::try_from(wait).unwrap_or_default());
    let after = stacks_env(&args, &[]);
    assert!(
        !after.stdout.contains("nothing changed"),
        "{}",
        after.stdout
    );
    assert!(
        !after.stdout.contains("dated in the future"),
        "{}",
        after.stdout
    );
    let timed = snapshot(&root.join("public"))
        .into_keys()
        .any(|p| p.to_string_lossy().contains("timed"));
    assert!(timed, "the page is published once its moment has passed");
}

/// What the output folder's parent holds besides the output, the previous tree and sources.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.stacks-prev")
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let dir = library(120);
    let root = dir.path();
    let clean = root.join("clean");
    let all = articles(root);
    let versions = ["Version one", "Version two"];
    let mut sites = Vec::new();
    for v in versions {
        for a in all.iter().step_by(4) {
            let text = std::fs::read_to_string(a).unwrap();
            let text = text.replace(versions[0], v).replace(versions[1], v);
            let text = if text.contains(v) {
                text
            } else {
                text.replacen("title: ", &format!("title: {v} "), 1)
            };
            write(a, &text);
        }
        build(root, &["--no-cache", "--output", clean.to_str().unwrap()]);
        sites.push(site(&clean));
    }
    // The library now reads as version two; the published site starts as version two.
    let started = std::time::Instant::now();
    build(root, &[]);
    let full = started.elapsed();
    let public = root.join("public");
    let bin = env!("CARGO_BIN_EXE_stacks");
    for round in 0..16 {
        // Round 0 turns the library to version one, round 1 back to two, and so on.
        let (will, was) = (round % 2, (round + 1) % 2);
        for a in all.iter().step_by(4) {
            let text = std::fs::read_to_string(a).unwrap();
            write(a, &text.replace(versions[was], versions[will]));
        }
        let mut child = std::process::Command::new(bin)
            .args(["build", "--no-search", "--root", root.to_str().unwrap()])
            .env(DATE.0, DATE.1)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = full.mul_f64(fastrand::f64() * 1.2);
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let now = site(&public);
        assert!(
            now == sites[was] || now == sites[will],
            "round {round}: killed after {wait:?}, the output is neither site"
        );
        build(root, &[]);
        assert_eq!(site(&public), sites[will], "round {round}: the next build");
        assert!(
            leftovers(root).is_empty(),
            "round {round}: {:?}",
            leftovers(root)
        );
    }
}
