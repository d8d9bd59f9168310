//! Writes a generated knowledge library, the same one the benchmark builds.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 10000 --seed 1 --out /tmp/lib-10k
//! cargo run --release -- build --root /tmp/lib-10k
//! ```
//!
//! It refuses to write into a non-empty folder unless that folder holds a library this generator
//! wrote before (its `site.yaml` has the title `Generated library`); then `content/` is replaced.

use stacks_corpus as corpus;

use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

const USAGE: &str =
    "usage: gen_corpus --out DIR [--articles 1000] [--seed 1] [--clusters 20] [--broken-every N]";

fn bad(message: &str) -> ! {
    eprintln!("gen_corpus: {message}\n{USAGE}");
    exit(2);
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> T {
    let Some(value) = value else {
        bad(&format!("{flag} needs a value"));
    };
    value
        .parse()
        .unwrap_or_else(|_| bad(&format!("{flag} takes a whole number, not `{value}`")))
}

/// Whether `dir/site.yaml` is one this generator wrote.
fn generated_before(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("site.yaml")).is_ok_and(|s| {
        s.lines().any(|l| {
            l.strip_prefix("title:")
                .is_some_and(|t| t.trim().trim_matches('"') == "Generated library")
        })
    })
}

fn count_files(dir: &Path) -> std::io::Result<u64> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            n += count_files(&entry.path())?;
        } else {
            n += 1;
        }
    }
    Ok(n)
}

fn main() {
    let mut options = corpus::Options::default();
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--out" => match args.next() {
                Some(v) if !v.is_empty() => out = Some(PathBuf::from(v)),
                _ => bad("--out needs a folder"),
            },
            "--articles" => options.articles = number(&flag, args.next()),
            "--seed" => options.seed = number(&flag, args.next()),
            "--clusters" => {
                options.clusters = number(&flag, args.next());
                if options.clusters == 0 {
                    bad("--clusters must be at least 1");
                }
            }
            "--broken-every" => options.broken_every = number(&flag, args.next()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => bad(&format!("unknown argument `{other}`")),
        }
    }
    let Some(out) = out else {
        bad("--out is required");
    };

    // Only ever replace a folder this generator wrote.
    let empty = std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_none());
    if !empty {
        if !generated_before(&out) {
            eprintln!(
                "gen_corpus: {} is not empty and was not written by gen_corpus; choose another --out",
                out.display()
            );
            exit(1);
        }
        if let Err(e) = std::fs::remove_dir_all(out.join("content"))
            && e.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!(
                "gen_corpus: cannot remove {}: {e}",
                out.join("content").display()
            );
            exit(1);
        }
    }

    let start = Instant::now();
    let generated = match corpus::generate(&options, &out) {
        Ok(g) => g,
        Err(e) => {
            eprintln!(
                "gen_corpus: cannot write the corpus into {}: {e}",
                out.display()
            );
            exit(1);
        }
    };
    let elapsed = start.elapsed();
    let files = count_files(&out.join("content")).unwrap_or(0) + 1;
    println!(
        "wrote {} articles, {files} files, {:.1} MB of markdown into {} in {:.2} s",
        generated.cluster_of.len(),
        generated.bytes as f64 / 1e6,
        out.display(),
        elapsed.as_secs_f64()
    );
}
