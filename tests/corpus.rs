//! The benchmark and quality-test corpus: deterministic, well-formed, links that resolve.

mod common;

#[path = "support/corpus.rs"]
mod corpus;

use common::snapshot;

fn generate(seed: u64) -> (tempfile::TempDir, corpus::Generated) {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options {
        articles: 60,
        seed,
        clusters: 5,
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
    let run = common::stacks(&["build", "--no-search", "--root", a.path().to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}
