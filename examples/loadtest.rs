//! Load generator for `stacks serve`, driven by `scripts/loadtest`.
//!
//! ```sh
//! cargo run --release --example loadtest -- http://127.0.0.1:1111/ [--clients 200] [--seconds 30]
//! ```
//!
//! Every client is a thread with its own connection pool that, until the time is up, picks one
//! of three things to do: fetch a real page of the site (70%; the URLs come from `sitemap.xml`),
//! open the live-reload event stream and drop the connection after up to two seconds (10%), or
//! send a request that tries to leave the site (20%; written to the socket as is, so nothing
//! normalises the path first). It prints one `key: value` line per figure:
//!
//! - `requests`, `requests_per_s`: all requests completed, and their rate;
//! - `pages_ok`, `streams_ok`, `hostile_refused`: requests that got the expected answer;
//! - `errors`: anything else — a failed connection, a timeout, a 5xx, a real page that did not
//!   answer 200, a stream that did not start;
//! - `outside_site_successes`: hostile requests that got a 2xx, or whose body looks like a file
//!   from outside the site; must be 0;
//! - `latency_p50_ms`, `latency_p99_ms`, `latency_max_ms`: of page requests.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Request paths that must never reach a file outside the site.
const HOSTILE: &[&str] = &[
    "/../Cargo.toml",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/Cargo.toml",
    "/..%2f..%2fetc/passwd",
    "/..%2F..%2FCargo.toml",
    "/.%2e/.%2e/etc/passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "//etc/passwd",
    "///etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/etc/passwd",
    "/C:/Windows/win.ini",
    "/..\\..\\Cargo.toml",
    "/%5c..%5c..%5cCargo.toml",
    "/..;/..;/etc/passwd",
    "/revops/../../Cargo.toml",
    "/revops/%2e%2e/%2e%2e/site.yaml",
    "/site.yaml",
    "/Cargo.toml",
    "/content/_index.md",
    "/src/main.rs",
    "/.git/config",
    "/%00../Cargo.toml",
];

/// Text that only appears in files outside the site.
const LEAKS: &[&str] = &[
    "root:x:0:0",
    "[package]",
    "[core]",
    "fn main()",
    "base_url:",
];

#[derive(Default)]
struct Counts {
    pages_ok: AtomicU64,
    streams_ok: AtomicU64,
    hostile_refused: AtomicU64,
    errors: AtomicU64,
    outside: AtomicU64,
}

struct Args {
    url: String,
    clients: usize,
    seconds: u64,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        url: String::new(),
        clients: 200,
        seconds: 30,
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--clients" => a.clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--seconds" => a.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            url if url.starts_with("http://") => a.url = url.trim_end_matches('/').to_string(),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if a.url.is_empty() {
        return Err("usage: loadtest http://HOST:PORT/ [--clients N] [--seconds S]".into());
    }
    Ok(a)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Site paths of every page in the sitemap (absolute URLs there start with `url`).
fn pages(url: &str) -> Result<Vec<String>, String> {
    let mut resp = agent()
        .get(&format!("{url}/sitemap.xml"))
        .call()
        .map_err(|e| format!("sitemap.xml: {e}"))?;
    let xml = resp
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("sitemap.xml: {e}"))?;
    let mut paths: Vec<String> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>"))
        .map(|(loc, _)| loc.strip_prefix(url).unwrap_or(loc).to_string())
        .collect();
    paths.extend(["/style.css".to_string(), "/no/such/page/".to_string()]);
    if paths.len() < 3 {
        return Err(format!("sitemap.xml lists no pages:\n{xml}"));
    }
    Ok(paths)
}

/// Sends `GET path` exactly as given and returns the status and the body.
fn raw_get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, text))
}

/// Opens the event stream, waits for its headers, keeps it for `hold`, then drops it.
fn stream_and_drop(addr: &str, hold: Duration) -> std::io::Result<bool> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET /__stacks/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 4096 {
        if s.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let ok = head.starts_with("HTTP/1.1 200") && head.contains("text/event-stream");
    std::thread::sleep(hold);
    Ok(ok)
}

fn client(url: &str, addr: &str, paths: &[String], until: Instant, counts: &Counts) -> Vec<u32> {
    let agent = agent();
    let mut latencies = Vec::new();
    let long = format!("/{}", "a/".repeat(20_000));
    while Instant::now() < until {
        let roll = fastrand::u32(0..100);
        if roll < 70 {
            let path = &paths[fastrand::usize(0..paths.len())];
            let started = Instant::now();
            let expected = if path.starts_with("/no/such/") {
                404
            } else {
                200
            };
            match agent.get(&format!("{url}{path}")).call() {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let body = resp.body_mut().read_to_vec();
                    latencies.push(started.elapsed().as_millis() as u32);
                    if status == expected && body.is_ok() {
                        counts.pages_ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        counts.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(_) => {
                    counts.errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        } else if roll < 80 {
            let hold = Duration::from_millis(fastrand::u64(0..2000));
            match stream_and_drop(addr, hold) {
                Ok(true) => counts.streams_ok.fetch_add(1, Ordering::Relaxed),
                _ => counts.errors.fetch_add(1, Ordering::Relaxed),
            };
        } else {
            let path = if fastrand::u32(0..20) == 0 {
                long.as_str()
            } else {
                HOSTILE[fastrand::usize(0..HOSTILE.len())]
            };
            match raw_get(addr, path) {
                Ok((status, body)) => {
                    if (200..300).contains(&status) || LEAKS.iter().any(|l| body.contains(l)) {
                        eprintln!("outside the site: {path} answered {status}");
                        counts.outside.fetch_add(1, Ordering::Relaxed);
                    } else if (400..500).contains(&status) {
                        counts.hostile_refused.fetch_add(1, Ordering::Relaxed);
                    } else {
                        eprintln!("{path}: unexpected status {status}");
                        counts.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(_) => {
                    counts.errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    latencies
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let addr = a.url.trim_start_matches("http://").to_string();
    let paths = match pages(&a.url) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let counts = Counts::default();
    let latencies = Mutex::new(Vec::new());
    let started = Instant::now();
    let until = started + Duration::from_secs(a.seconds);
    std::thread::scope(|scope| {
        for _ in 0..a.clients {
            scope.spawn(|| {
                let mine = client(&a.url, &addr, &paths, until, &counts);
                latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = latencies.into_inner().unwrap_or_else(|e| e.into_inner());
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let total = get(&counts.pages_ok)
        + get(&counts.streams_ok)
        + get(&counts.hostile_refused)
        + get(&counts.errors)
        + get(&counts.outside);
    println!("clients: {}", a.clients);
    println!("seconds: {elapsed:.1}");
    println!("site_paths: {}", paths.len());
    println!("requests: {total}");
    println!("requests_per_s: {:.0}", total as f64 / elapsed);
    println!("pages_ok: {}", get(&counts.pages_ok));
    println!("streams_ok: {}", get(&counts.streams_ok));
    println!("hostile_refused: {}", get(&counts.hostile_refused));
    println!("errors: {}", get(&counts.errors));
    println!("outside_site_successes: {}", get(&counts.outside));
    println!("latency_p50_ms: {}", at(0.5));
    println!("latency_p99_ms: {}", at(0.99));
    println!("latency_max_ms: {}", latencies.last().copied().unwrap_or(0));
}
