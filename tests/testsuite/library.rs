//! The sample library in `content/`: it must stay as rich as the product promises, and build
//! cleanly, with every link working, at the root of a domain and under a sub-path.

use crate::common::{broken_links, build_sample, repo};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

struct Article {
    rel: String,
    front: Value,
    body: String,
}

fn split(text: &str) -> (Value, String) {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, body) = rest.split_once("\n---\n").expect("front matter closes");
    (serde_yaml::from_str(yaml).expect("yaml"), body.to_string())
}

fn content() -> PathBuf {
    repo().join("content")
}

/// Every markdown file of the sample library: (`_index.md` files, articles).
fn library() -> (Vec<(String, Value)>, Vec<Article>) {
    let mut indexes = Vec::new();
    let mut articles = Vec::new();
    for e in walkdir::WalkDir::new(content()) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = e.path().strip_prefix(content()).unwrap();
        let rel = rel.to_str().unwrap().to_string();
        let (front, body) = split(&std::fs::read_to_string(e.path()).unwrap());
        if rel.ends_with("_index.md") {
            indexes.push((rel, front));
        } else {
            articles.push(Article { rel, front, body });
        }
    }
    (indexes, articles)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

#[test]
fn the_library_keeps_its_promised_shape() {
    let (indexes, articles) = library();
    let published: Vec<&Article> = articles
        .iter()
        .filter(|a| a.front.get("draft").and_then(Value::as_bool) != Some(true))
        .collect();
    assert!(published.len() >= 30, "{} articles", published.len());
    assert_eq!(articles.len() - published.len(), 1, "exactly one draft");

    // Libraries and collections, each with an index that has a title and a description.
    let index_dirs: BTreeSet<String> = indexes
        .iter()
        .map(|(rel, _)| rel.trim_end_matches("_index.md").to_string())
        .collect();
    for (rel, front) in &indexes {
        assert!(!str_of(front, "title").is_empty(), "{rel}: title");
        assert!(
            !str_of(front, "description").is_empty(),
            "{rel}: description"
        );
    }
    assert!(index_dirs.contains(""), "the home page has an _index.md");
    let mut collections: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in &published {
        let parts: Vec<&str> = a.rel.split('/').collect();
        assert!(
            parts.len() >= 3,
            "{}: inside a library and a collection",
            a.rel
        );
        collections
            .entry(parts[0].to_string())
            .or_default()
            .insert(parts[1].to_string());
        assert!(index_dirs.contains(&format!("{}/", parts[0])), "{}", a.rel);
        assert!(
            index_dirs.contains(&format!("{}/{}/", parts[0], parts[1])),
            "{}",
            a.rel
        );
    }
    assert!(collections.len() >= 4, "{collections:?}");
    assert!(
        collections.values().all(|c| c.len() >= 2),
        "{collections:?}"
    );

    // What the audit measures (lengths, counts, sources, links) is the audit's to judge: see
    // `audit::the_sample_library_passes_every_check`. Here, what it does not measure.
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in &published {
        let (f, r) = (&a.front, &a.rel);
        assert!(f.get("date").is_some(), "{r}: date");
        assert!(!str_of(f, "author").is_empty(), "{r}: author");
        for t in f["tags"].as_sequence().unwrap() {
            *tag_counts
                .entry(t.as_str().unwrap().to_lowercase())
                .or_default() += 1;
        }
        // Both link forms.
        let relative = a.body.matches(".md)").count() + a.body.matches(".md#").count();
        let wiki = a.body.matches("[[").count();
        assert!(
            relative >= 1 && wiki >= 1,
            "{r}: relative {relative}, wiki {wiki}"
        );
    }
    let gathering = tag_counts.values().filter(|&&n| n >= 3).count();
    assert!(
        gathering * 4 >= tag_counts.len() * 3,
        "most tags should gather 3+ articles: {tag_counts:?}"
    );

    // Diagrams and code.
    let mermaid: Vec<&&Article> = published
        .iter()
        .filter(|a| a.body.contains("```mermaid"))
        .collect();
    assert!(
        mermaid.len() >= 10,
        "{} articles with diagrams",
        mermaid.len()
    );
    let all_mermaid: String = mermaid.iter().map(|a| a.body.as_str()).collect();
    assert!(all_mermaid.contains("flowchart TD") && all_mermaid.contains("flowchart LR"));
    assert!(all_mermaid.contains("-->|"), "edge labels");
    assert!(all_mermaid.matches("subgraph ").count() >= 3, "subgraphs");
    assert!(all_mermaid.contains('{'), "decision diamonds");
    let code = published
        .iter()
        .filter(|a| {
            [
                "```yaml",
                "```sql",
                "```python",
                "```json",
                "```sh",
                "```bash",
            ]
            .iter()
            .any(|f| a.body.contains(f))
        })
        .count();
    assert!(code >= 6, "{code} articles with code");
    for lang in ["```yaml", "```sql", "```python", "```json", "```sh"] {
        assert!(published.iter().any(|a| a.body.contains(lang)), "{lang}");
    }

    // A folder article with an image beside it, used with alt text.
    let folder = published
        .iter()
        .find(|a| a.rel.ends_with("/index.md"))
        .expect("a folder article");
    let dir = content().join(Path::new(&folder.rel).parent().unwrap());
    let image = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| n.ends_with(".svg") || n.ends_with(".png"))
        .expect("an image beside the folder article");
    assert!(
        folder.body.contains(&format!("]({image})"))
            && !folder.body.contains(&format!("![]({image})")),
        "{}: uses {image} with alt text",
        folder.rel
    );
}

#[test]
fn the_library_builds_without_warnings_and_without_broken_links() {
    let (out, run) = build_sample(&[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "the sample library builds cleanly:\n{}",
        run.stderr
    );
    let site = out.path().join("site");
    let problems = broken_links(&site, "/", "https://ledgerline.example");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        !site.join("revops/forecasting/forecasting-with-ai").exists(),
        "drafts stay out"
    );
    assert!(
        site.join("fractional-cro/engagement-model/engagement-timeline/engagement-phases.svg")
            .is_file()
    );

    let (out, run) = build_sample(&["--base-url", "https://example.com/kb/"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let problems = broken_links(&out.path().join("site"), "/kb/", "https://example.com");
    assert!(problems.is_empty(), "{problems:#?}");
}
