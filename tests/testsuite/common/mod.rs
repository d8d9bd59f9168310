//! Shared helpers for integration tests: fixture sites in temporary folders, running the real
//! binary, and checking built HTML with a real parser.
#![allow(dead_code)]

pub mod audit;
pub mod browser;

use scraper::{Html, Selector};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site in a temporary folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A site with `site.yaml` (title only) and the given files (path, text).
    pub fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = Self { dir };
        if !files.iter().any(|(p, _)| *p == "site.yaml") {
            f.write(
                "site.yaml",
                "title: Fixture library\nbase_url: https://example.com/\n",
            );
        }
        for (path, text) in files {
            f.write(path, text);
        }
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Runs `stacks <args> --root <fixture>`.
    pub fn stacks(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.push("--root");
        all.push(&root);
        stacks(&all)
    }

    /// Runs `stacks <args> --root <fixture>` with extra environment variables.
    pub fn stacks_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root().to_str().unwrap().to_string();
        all.push("--root");
        all.push(&root);
        stacks_env(&all, env)
    }

    /// Parses an HTML file.
    pub fn page_at(path: &Path) -> Html {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Reads a built page.
    pub fn page(&self, rel: &str) -> Html {
        let text = std::fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        Html::parse_document(&text)
    }
}

/// The result of running the binary.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            status: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs the `stacks` binary built for these tests.
pub fn stacks(args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_stacks"))
        .args(args)
        .output()
        .expect("run stacks")
        .into()
}

/// Runs the `stacks` binary with extra environment variables.
pub fn stacks_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_stacks"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run stacks")
        .into()
}

/// The repository root (where the sample library lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, relative, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// Text of the first element matching `css`.
pub fn text_of(doc: &Html, css: &str) -> Option<String> {
    doc.select(&sel(css))
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
}

/// Checks that every internal `href`/`src` of every HTML page under `public` names a written
/// file, and every `#fragment` an element id of its target. `prefix` is the base URL's path
/// (`/` or `/kb/`); `origin` its scheme and host (links to it are internal too).
/// Returns the problems found.
pub fn broken_links(public: &Path, prefix: &str, origin: &str) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for e in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
            let set = html
                .select(&sel("[id]"))
                .filter_map(|el| el.value().attr("id").map(str::to_string))
                .collect();
            ids.insert(e.path().to_path_buf(), set);
            docs.push((e.path().to_path_buf(), html));
        }
    }
    let attrs = sel("a[href], link[href], img[src], script[src], source[src]");
    let mut problems = Vec::new();
    for (file, html) in &docs {
        for el in html.select(&attrs) {
            let raw = el.value().attr("href").or(el.value().attr("src")).unwrap();
            let mut url = raw.to_string();
            if !origin.is_empty() && url.starts_with(origin) {
                url = url[origin.len()..].to_string();
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else if path.contains("://") || path.starts_with("//") || path.starts_with("mailto:")
            {
                continue;
            } else if let Some(rest) = path.strip_prefix(prefix) {
                let rest = percent_encoding::percent_decode_str(rest)
                    .decode_utf8_lossy()
                    .into_owned();
                let rest = rest.split('?').next().unwrap().to_string();
                let mut t = public.join(&rest);
                if rest.is_empty() || rest.ends_with('/') || t.is_dir() {
                    t = t.join("index.html");
                }
                t
            } else {
                problems.push(format!(
                    "{}: `{raw}` does not start with the base path {prefix}",
                    file.display()
                ));
                continue;
            };
            if !target.is_file() {
                problems.push(format!("{}: `{raw}` points at nothing", file.display()));
                continue;
            }
            if let Some(f) = fragment {
                let f = percent_encoding::percent_decode_str(&f)
                    .decode_utf8_lossy()
                    .into_owned();
                if target.extension().is_some_and(|x| x == "html")
                    && !ids.get(&target).is_some_and(|s| s.contains(&f))
                {
                    problems.push(format!(
                        "{}: `{raw}` has no element with id `{f}`",
                        file.display()
                    ));
                }
            }
        }
    }
    problems
}

/// Builds the sample library (`content/` of this repository) into a new temporary folder.
pub fn build_sample(extra: &[&str]) -> (tempfile::TempDir, Run) {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = out.path().join("site");
    let root = repo();
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = stacks(&args);
    (out, run)
}

/// Starts `stacks serve --port 0` on `root`; returns the process and the URL it printed.
pub fn start_serve(root: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stacks"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(i) = line.find("http://") {
                let _ = tx.send(line[i..].split_whitespace().next().unwrap().to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("serve printed its URL");
    (child, url)
}

/// Checks the full text stacks printed against its snapshot,
/// `tests/testsuite/snapshots/<group>/<name>.snap`, with the temporary site root and timings
/// masked: every word of a message is reviewed, not just a substring of it. Review changes with
/// `cargo insta review`, or accept them all with `INSTA_UPDATE=always cargo test`.
pub fn assert_said(group: &str, name: &str, said: &str, root: &Path) {
    let said = said.replace(root.to_str().unwrap(), "[ROOT]");
    let dir = repo().join("tests/testsuite/snapshots").join(group);
    insta::with_settings!({
        filters => vec![(r"in \d+(\.\d+)? ?m?s\b", "in [TIME]")],
        prepend_module_to_snapshot => false,
        omit_expression => true,
        snapshot_path => dir,
    }, {
        insta::assert_snapshot!(name, said);
    });
}
