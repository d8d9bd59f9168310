//! Live-reload latency of `stacks serve`: from an article file's write to the reload event.
//!
//! ```sh
//! cargo run --release --example latency                         # 10k generated articles
//! cargo run --release --example latency -- --articles 1000 --edits 50
//! cargo run --release --example latency -- --root path/to/site   # any site
//! ```
//!
//! The corpus is generated under `target/bench/` (the same one `bench` uses) unless `--root`
//! names a site. The server runs in this process on a free loopback port; a client reads its
//! event stream. Each edit rewrites one article's text (a sentence changes, as when an author
//! types and saves), and the time until the reload event that names the article's page is
//! recorded. Edits are `--pause` ms apart (default 1500, a quick author), so the library has
//! settled between saves. Prints p50, p95, min and max.

use stacks_corpus as corpus;

use stacks::serve::{ServeOptions, serve};
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Args {
    root: Option<PathBuf>,
    articles: usize,
    edits: usize,
    pause: Duration,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        root: None,
        articles: 10_000,
        edits: 30,
        pause: Duration::from_millis(1500),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|_| format!("bad {flag}"));
        match flag.as_str() {
            "--root" => a.root = Some(PathBuf::from(value()?)),
            "--articles" => a.articles = number(value()?)? as usize,
            "--edits" => a.edits = number(value()?)? as usize,
            "--pause" => a.pause = Duration::from_millis(number(value()?)?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

fn corpus_root(articles: usize) -> std::io::Result<PathBuf> {
    let root = PathBuf::from("target/bench").join(format!("corpus-{articles}"));
    let marker = root.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)?;
        eprintln!("generating {articles} articles into {} …", root.display());
        let options = corpus::Options {
            articles,
            seed: 1,
            ..corpus::Options::default()
        };
        corpus::generate(&options, &root)?;
        std::fs::write(&marker, "")?;
    }
    Ok(root)
}

/// An article of the site with at least one H2, and its page's URL path.
fn pick_article(root: &Path) -> Option<(PathBuf, String)> {
    let content = root.join("content");
    walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md")
        .find(|e| {
            std::fs::read_to_string(e.path())
                .is_ok_and(|t| t.contains("\n## ") && !t.contains("\nslug:"))
        })
        .map(|e| {
            let rel = e.path().strip_prefix(&content).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let dir = rel
                .strip_suffix("/index.md")
                .or_else(|| rel.strip_suffix(".md"))
                .unwrap_or(&rel)
                .to_string();
            (e.path().to_path_buf(), format!("/{dir}/"))
        })
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\nusage: latency [--root DIR | --articles N] [--edits N] [--pause MS]");
            std::process::exit(2);
        }
    };
    let root = match args
        .root
        .clone()
        .map_or_else(|| corpus_root(args.articles), Ok)
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot generate the corpus: {e}");
            std::process::exit(1);
        }
    };
    let Some((article, page)) = pick_article(&root) else {
        eprintln!("no article with a `## ` heading under {}", root.display());
        std::process::exit(1);
    };
    let original = std::fs::read_to_string(&article).unwrap_or_default();

    let port = free_port();
    let opts = ServeOptions {
        root: root.clone(),
        bind: Ipv4Addr::LOCALHOST.into(),
        port,
        include: Default::default(),
        open: false,
    };
    std::thread::spawn(move || {
        if let Err(d) = serve(opts) {
            eprintln!("{d}");
            std::process::exit(1);
        }
    });
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let stream = loop {
        match ureq::get(&format!("{base}/__stacks/events")).call() {
            Ok(resp) => break resp,
            Err(_) if started.elapsed() < Duration::from_secs(600) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => {
                eprintln!("the server never answered: {e}");
                std::process::exit(1);
            }
        }
    };
    eprintln!("served after {:.1} s", started.elapsed().as_secs_f64());

    // Reload events that concern the edited page, as arrival times.
    let (tx, rx) = mpsc::channel::<Instant>();
    let wanted = page.clone();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream.into_body().into_reader());
        for line in reader.lines().map_while(Result::ok) {
            let Some(data) = line.strip_prefix("data:") else {
                continue;
            };
            let now = Instant::now();
            let pages: serde_json::Value = serde_json::from_str(data.trim()).unwrap_or_default();
            let concerns = match pages.get("pages") {
                Some(serde_json::Value::Array(list)) => list.iter().any(|p| p == &*wanted),
                _ => true,
            };
            if concerns && tx.send(now).is_err() {
                break;
            }
        }
    });

    std::thread::sleep(args.pause);
    let mut latencies = Vec::with_capacity(args.edits);
    for i in 0..args.edits {
        while rx.try_recv().is_ok() {}
        let text = original.replacen(
            "\n## ",
            &format!("\nAn edit numbered {i}, as typed.\n\n## "),
            1,
        );
        let written = Instant::now();
        if let Err(e) = std::fs::write(&article, text) {
            eprintln!("cannot write {}: {e}", article.display());
            break;
        }
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(at) => latencies.push(at.saturating_duration_since(written).as_secs_f64() * 1000.0),
            Err(_) => eprintln!("edit {i}: no reload event within 60 s"),
        }
        std::thread::sleep(args.pause);
    }
    let _ = std::fs::write(&article, &original);

    if latencies.is_empty() {
        eprintln!("no latency measured");
        std::process::exit(1);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "{} edits of {page} in {}: p50 {:.0} ms · p95 {:.0} ms · min {:.0} ms · max {:.0} ms",
        latencies.len(),
        root.display(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies[0],
        latencies[latencies.len() - 1]
    );
    std::process::exit(0);
}
