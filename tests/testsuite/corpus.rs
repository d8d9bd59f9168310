//! The benchmark and quality-test corpus: deterministic, well-formed, links that resolve.

use stacks_corpus as corpus;

use crate::common::snapshot;

fn generate(seed: u64) -> (tempfile::TempDir, corpus::Generated) {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        articles: 60,
        seed,
        clusters: 5,
        ..corpus::Options::default()
    };
    let g = corpus::generate(&options, dir.path()).unwrap();
    (dir, g)
}

#[test]
fn same_seed_same_bytes_and_links_resolve() {
    let (a, generated) = generate(3);
    let (b, _) = generate(3);
    let (c, _) = generate(4);
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
    assert_ne!(snapshot(a.path()), snapshot(c.path()));
    assert_eq!(generated.cluster_of.len(), 60);

    let content = a.path().join("content");
    for e in walkdir::WalkDir::new(&content) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let rest = text.strip_prefix("---\n").unwrap();
        let (yaml, body) = rest.split_once("\n---\n").unwrap();
        let front: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert!(front.get("title").is_some());
        for link in body.split("](").skip(1) {
            let target = link.split(')').next().unwrap();
            if target.ends_with(".md") {
                let path = e.path().parent().unwrap().join(target);
                assert!(path.is_file(), "{}: {target}", e.path().display());
            }
        }
    }
    let run =
        crate::common::stacks(&["build", "--no-search", "--root", a.path().to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn a_build_writes_in_batches_exactly_what_a_render_holds() {
    // `build` writes article pages batch by batch as they are finished (audited, badged) while
    // `serve` and `check` keep them: both must give the same site. 600 articles span batches.
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        articles: 600,
        seed: 7,
        clusters: 6,
        ..corpus::Options::default()
    };
    corpus::generate(&options, dir.path()).unwrap();
    let opts = stacks::BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(dir.path().join("out")),
        search: stacks::SearchMode::Off,
        cache: stacks::cache::Policy::Off,
        ..stacks::BuildOptions::default()
    };
    let report = stacks::build(&opts).expect("the corpus builds");
    let audit = report.audit.expect("the build audits");
    assert_eq!(audit.articles.len(), 600);
    let rendered = stacks::render_site(&opts);
    assert!(!rendered.diagnostics.has_errors());
    let mut held: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> = rendered
        .outputs
        .iter()
        .map(|o| {
            let bytes = match &o.content {
                stacks::output::Content::Bytes(b) => b.clone(),
                stacks::output::Content::Static(b) => b.to_vec(),
                stacks::output::Content::Copy(p) => std::fs::read(p).unwrap(),
            };
            (std::path::PathBuf::from(&o.path), bytes)
        })
        .collect();
    held.insert(
        stacks::MARKER.into(),
        std::fs::read(dir.path().join("out").join(stacks::MARKER)).unwrap(),
    );
    let written = snapshot(&dir.path().join("out"));
    assert_eq!(written.len(), held.len());
    assert_eq!(report.stats.files + 1, written.len());
    for (path, bytes) in &written {
        assert!(held.get(path) == Some(bytes), "{} differs", path.display());
    }
    let badges = written
        .iter()
        .filter(|(p, b)| {
            p.ends_with("index.html") && String::from_utf8_lossy(b).contains("class=\"audit-badge")
        })
        .count();
    assert_eq!(badges, 600, "every article page carries its badge");
}
