//! Build-speed benchmark on generated libraries.
//!
//! ```sh
//! cargo run --release --example bench                          # 1k, 10k and 100k articles
//! cargo run --release --example bench -- --sizes 1000,10000 --runs 5 --dir /dev/shm/bench
//! ```
//!
//! Each corpus is generated once under `--dir` (default `target/bench/`; deterministic, seed 1)
//! and reused; a tmpfs such as `/dev/shm` removes most disk noise from the write stage. Every run
//! builds it in this process, the way `stacks build` does, over the previous run's
//! output, and reports wall time, peak resident memory of the build (Linux), pages per second
//! and the time of each stage. Rows per size: **cold** is a clean build without search (no build
//! cache: every file parsed, every diagram drawn, every page rendered and written); **default**,
//! the headline, is plain `stacks build` (search on, build cache warm) after one article's body
//! was edited; **edit** is the same rebuild with `--no-search`; **same** rebuilds with nothing
//! changed. Figures are medians over the runs; peak memory is the largest run. A last clean
//! build with search reports the search index on its own line (`--no-search` skips both).

use stacks_corpus as corpus;

use stacks::cache::Policy;
use stacks::{BuildOptions, SearchMode, build};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The allocator `stacks` itself builds with, so that figures match the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    dir: PathBuf,
    search: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 3,
        dir: PathBuf::from("target/bench"),
        search: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--sizes" => {
                a.sizes = value()?
                    .split(',')
                    .map(|s| s.trim().parse().map_err(|_| format!("bad size `{s}`")))
                    .collect::<Result<_, _>>()?;
            }
            "--runs" => a.runs = value()?.parse().map_err(|_| "bad --runs".to_string())?,
            "--dir" => a.dir = PathBuf::from(value()?),
            "--no-search" => a.search = false,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

/// Peak resident memory since the last [`reset_peak`], in MiB (Linux only).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn reset_peak() {
    // Writing 5 to clear_refs resets the high-water mark to the current resident size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn corpus_dir(dir: &Path, size: usize) -> std::io::Result<PathBuf> {
    let root = dir.join(format!("corpus-{size}"));
    let marker = root.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)?;
        eprintln!("generating {size} articles into {} …", root.display());
        let options = corpus::Options {
            articles: size,
            seed: 1,
            ..corpus::Options::default()
        };
        corpus::generate(&options, &root)?;
        std::fs::write(&marker, "")?;
    }
    Ok(root)
}

/// Medians over several builds of one corpus.
struct Row {
    wall: Duration,
    peak: f64,
    pages: usize,
    /// Distinct diagrams the site shows.
    diagrams: usize,
    /// load, parse, diagrams, model, analyze, render, audit, search, write.
    stages: [Duration; 9],
}

/// One article of a corpus, edited before each rebuild and restored at the end.
struct Edit {
    path: PathBuf,
    text: String,
    count: std::cell::Cell<usize>,
}

impl Edit {
    /// The first article of the corpus at `root`.
    fn new(root: &Path) -> Self {
        let path = walk_first_article(&root.join("content")).expect("the corpus has an article");
        let text = std::fs::read_to_string(&path).expect("the article is readable");
        Self {
            path,
            text,
            count: std::cell::Cell::new(0),
        }
    }

    /// Adds a paragraph to the article's body, a new one each time.
    fn apply(&self) {
        self.count.set(self.count.get() + 1);
        let text = format!(
            "{}\nAn edited paragraph, number {}.\n",
            self.text,
            self.count.get()
        );
        std::fs::write(&self.path, text).expect("the article is writable");
    }

    fn restore(&self) {
        let _ = std::fs::write(&self.path, &self.text);
    }
}

fn walk_first_article(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .cloned()
        .or_else(|| {
            entries
                .iter()
                .filter(|p| p.is_dir())
                .find_map(|d| walk_first_article(d))
        })
}

/// One untimed build, to leave the build cache and the published site as a rebuild finds them.
fn once(opts: &BuildOptions) {
    if let Err(diags) = build(opts) {
        diags.iter().for_each(|d| eprintln!("{d}"));
        std::process::exit(1);
    }
}

/// Builds `runs` times in this process, each a new session with nothing in memory.
fn measure(opts: &BuildOptions, runs: usize) -> Row {
    measure_with(opts, runs, &mut || ())
}

/// Like [`measure`], with `before` run (untimed) before each build.
fn measure_with(opts: &BuildOptions, runs: usize, before: &mut dyn FnMut()) -> Row {
    let mut walls = Vec::new();
    let mut stages: Vec<[Duration; 9]> = Vec::new();
    let mut peak: f64 = 0.0;
    let mut pages = 0;
    let mut diagrams = 0;
    for _ in 0..runs.max(1) {
        before();
        reset_peak();
        match build(opts) {
            Ok(report) => {
                peak = peak.max(peak_mib().unwrap_or(f64::NAN));
                walls.push(report.elapsed);
                pages = report.stats.pages;
                diagrams = report.diagrams;
                let t = &report.timings;
                stages.push([
                    t.load, t.parse, t.diagrams, t.model, t.analyze, t.render, t.audit, t.search,
                    t.write,
                ]);
            }
            Err(diags) => {
                for d in diags.iter() {
                    eprintln!("{d}");
                }
                std::process::exit(1);
            }
        }
    }
    let stage = |i: usize| median(stages.iter().map(|s| s[i]).collect());
    Row {
        wall: median(walls),
        peak,
        pages,
        diagrams,
        stages: std::array::from_fn(stage),
    }
}

fn print_row(size: usize, kind: &str, row: &Row) {
    println!(
        "{:>8} {:>9} {:>9} {:>9.0} {:>10.0} {:>9.0} | {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7}",
        size,
        kind,
        ms(row.wall),
        row.peak,
        row.pages as f64 / row.wall.as_secs_f64(),
        row.wall.as_secs_f64() * 1e6 / size as f64,
        ms(row.stages[0]),
        ms(row.stages[1]),
        ms(row.stages[2]),
        ms(row.stages[3]),
        ms(row.stages[4]),
        ms(row.stages[5]),
        ms(row.stages[6]),
        ms(row.stages[7]),
        ms(row.stages[8]),
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{e}\nusage: bench [--sizes 1000,10000,100000] [--runs 3] [--dir target/bench] [--no-search]"
            );
            std::process::exit(2);
        }
    };
    println!(
        "{:>8} {:>9} {:>9} {:>9} {:>10} {:>9} | {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "articles",
        "build",
        "wall ms",
        "peak MiB",
        "pages/s",
        "µs/art",
        "load",
        "parse",
        "diagr",
        "model",
        "analyze",
        "render",
        "audit",
        "search",
        "write"
    );
    for &size in &args.sizes {
        let root = match corpus_dir(&args.dir, size) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("cannot generate the corpus: {e}");
                std::process::exit(1);
            }
        };
        let mut opts = BuildOptions {
            root: root.clone(),
            output: Some(args.dir.join(format!("out-{size}"))),
            base_url: None,
            include: Default::default(),
            search: SearchMode::Off,
            cache: Policy::Off,
            ..BuildOptions::default()
        };
        let cold = measure(&opts, args.runs);
        print_row(size, "cold", &cold);
        let drawn = cold.diagrams;
        let diagram_secs = cold.stages[2].as_secs_f64();
        if drawn > 0 && diagram_secs > 0.0 {
            println!(
                "{:>8}   diagrams: {drawn} drawn, {:.0} per second of CPU",
                size,
                drawn as f64 / diagram_secs
            );
        }
        // Rebuilds with the build cache an earlier build left in .stacks-cache/, after one
        // article's body was edited: the headline is plain `stacks build`, search on.
        opts.cache = Policy::ReadWrite;
        let _ = std::fs::remove_dir_all(root.join(stacks::cache::CACHE_DIR));
        let edited = Edit::new(&root);
        for search in [true, false].into_iter().filter(|&s| !s || args.search) {
            opts.search = if search {
                SearchMode::Every
            } else {
                SearchMode::Off
            };
            once(&opts);
            let row = measure_with(&opts, args.runs, &mut || edited.apply());
            print_row(size, if search { "default" } else { "edit" }, &row);
        }
        // Nothing changed. A build trusts a source's unchanged size and time only once the
        // source is a moment older than the last build: wait that moment, as any real pause
        // between builds does.
        std::thread::sleep(Duration::from_millis(2100));
        once(&opts);
        let same = measure(&opts, args.runs);
        print_row(size, "same", &same);
        edited.restore();
        opts.cache = Policy::Off;
        if args.search {
            opts.search = SearchMode::Every;
            reset_peak();
            match build(&opts) {
                Ok(report) => println!(
                    "{:>8}   clean build with search: wall {} ms, search index {} ms, peak {:.0} MiB",
                    size,
                    ms(report.elapsed),
                    ms(report.timings.search),
                    peak_mib().unwrap_or(f64::NAN)
                ),
                Err(diags) => diags.iter().for_each(|d| eprintln!("{d}")),
            }
            opts.search = SearchMode::Off;
        }
    }
}
