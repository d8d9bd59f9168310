//! `stacks serve` against a real site in a temp folder: live reload, the error overlay, edits
//! in bursts, renames, and requests that try to leave the site.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `stacks serve`, killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(site: &Fixture) -> Self {
        let (child, url) = start_serve(site.root());
        Self { child, url }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    }

    /// Status and body of `path`.
    fn get(&self, path: &str) -> (u16, String) {
        let mut resp = Self::agent()
            .get(&format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().unwrap_or_default())
    }

    /// Waits until `path` satisfies `ok`, or fails after `limit`.
    fn wait_for(&self, path: &str, limit: Duration, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(
                start.elapsed() < limit,
                "{path} never became right; last: {status} {}",
                &body[..body.len().min(400)]
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Opens the event stream; events arrive on the returned channel.
    fn events(&self) -> mpsc::Receiver<String> {
        let resp = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent()
            .get(&format!("{}__stacks/events", self.url))
            .call()
            .expect("event stream");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(resp.into_body().into_reader());
            for line in reader.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        rx
    }

    /// The raw status line for a request path sent exactly as given.
    fn raw_status(&self, path: &str) -> String {
        let addr = self.url.trim_start_matches("http://").trim_end_matches('/');
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out.lines().next().unwrap_or_default().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn site() -> Fixture {
    Fixture::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/lib/_index.md", "---\ntitle: Lib\n---\n"),
        (
            "content/lib/a.md",
            "---\ntitle: Article A\n---\n\nThe original text.\n",
        ),
        (
            "content/lib/b.md",
            "---\ntitle: Article B\n---\n\nSee [[a]].\n",
        ),
        ("content/folder/_index.md", "---\ntitle: Folder\n---\n"),
        (
            "content/folder/c.md",
            "---\ntitle: Article C\n---\n\nIn a folder.\n",
        ),
    ])
}

fn wait_reload(events: &mpsc::Receiver<String>, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if events
            .recv_timeout(Duration::from_millis(50))
            .is_ok_and(|line| line == "event: reload")
        {
            return;
        }
    }
    panic!("no reload event within {limit:?}");
}

#[test]
fn an_edit_reloads_the_browser_and_serves_the_new_text() {
    let s = site();
    let server = Server::start(&s);
    let (status, body) = server.get("/lib/a/");
    assert_eq!(status, 200);
    assert!(body.contains("The original text."));
    assert!(
        body.contains("data-stacks-reload"),
        "serve injects its reload script"
    );
    let events = server.events();
    std::thread::sleep(Duration::from_millis(100));
    s.write(
        "content/lib/a.md",
        "---\ntitle: Article A\n---\n\nThe edited text.\n",
    );
    wait_reload(&events, Duration::from_secs(2));
    let (_, body) = server.get("/lib/a/");
    assert!(body.contains("The edited text."), "{body}");
    // The build output is never touched by serve.
    assert!(!s.public().exists());
}

#[test]
fn a_broken_file_shows_the_overlay_over_the_last_good_site() {
    let s = site();
    let server = Server::start(&s);
    s.write(
        "content/lib/a.md",
        "---\ntitle: [Article A\ndate: 2026-01-01\n---\n\nBroken now.\n",
    );
    let body = server.wait_for("/lib/a/", Duration::from_secs(5), |_, b| {
        b.contains("stacks-error-overlay")
    });
    assert!(
        body.contains("content/lib/a.md:"),
        "the overlay names the file: {body}"
    );
    assert!(
        body.contains("The original text."),
        "the last good page is still served"
    );
    let doc = scraper::Html::parse_document(&body);
    let loc = text_of(&doc, "#stacks-error-overlay code").unwrap();
    assert!(
        loc.starts_with("content/lib/a.md:")
            && loc.split(':').nth(1).unwrap().parse::<usize>().is_ok(),
        "{loc}"
    );
    s.write(
        "content/lib/a.md",
        "---\ntitle: Article A\n---\n\nFixed text.\n",
    );
    let body = server.wait_for("/lib/a/", Duration::from_secs(5), |_, b| {
        b.contains("Fixed text.")
    });
    assert!(!body.contains("stacks-error-overlay"));
}

#[test]
fn bursts_deletes_and_renames_leave_every_page_correct() {
    let s = site();
    let server = Server::start(&s);
    for i in 0..200 {
        s.write(
            "content/lib/a.md",
            &format!("---\ntitle: Article A\n---\n\nEdit number {i}.\n"),
        );
    }
    server.wait_for("/lib/a/", Duration::from_secs(10), |st, b| {
        st == 200 && b.contains("Edit number 199.")
    });
    std::fs::remove_file(s.root().join("content/lib/b.md")).unwrap();
    server.wait_for("/lib/b/", Duration::from_secs(5), |st, _| st == 404);
    std::fs::rename(
        s.root().join("content/folder"),
        s.root().join("content/renamed"),
    )
    .unwrap();
    server.wait_for("/renamed/c/", Duration::from_secs(5), |st, b| {
        st == 200 && b.contains("In a folder.")
    });
    server.wait_for("/folder/c/", Duration::from_secs(5), |st, _| st == 404);
    // Editor leftovers never break anything.
    s.write("content/lib/.a.md.swp", "\0\0binary");
    s.write("content/lib/4913", "");
    for (path, text) in [
        ("/", "Home"),
        ("/lib/", "Article A"),
        ("/lib/a/", "Edit number 199."),
        ("/renamed/", "Article C"),
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(text), "{path}");
    }
}

#[test]
fn requests_outside_the_site_are_refused() {
    let s = site();
    s.write("secret.txt", "top secret");
    let server = Server::start(&s);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fsecret.txt",
        "/lib/../../secret.txt",
        "/%2e%2e/secret.txt",
        "//etc/passwd",
        "/site.yaml",
        "/content/lib/a.md",
        "/.%2e/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..;/secret.txt",
        "/%00../secret.txt",
        "http://127.0.0.1/../secret.txt",
        format!("/{}", "a/".repeat(20_000)).as_str(),
    ] {
        let status = server.raw_status(path);
        assert!(
            status.contains(" 400 ") || status.contains(" 404 ") || status.contains(" 414 "),
            "{path}: {status}"
        );
    }
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[test]
fn a_port_in_use_is_named() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let s = site();
    let run = s.stacks(&["serve", "--port", &port]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains(&format!("port {port}")),
        "{}",
        run.stderr
    );
}

#[test]
fn search_follows_pages_added_during_the_session() {
    let s = site();
    let server = Server::start(&s);
    let count = |body: &str| {
        let entry: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        entry["languages"]["en"]["page_count"].as_u64()
    };
    let entry = "/pagefind/pagefind-entry.json";
    let limit = Duration::from_secs(30);
    server.wait_for(entry, limit, |st, b| st == 200 && count(b) == Some(3));
    s.write(
        "content/lib/d.md",
        "---\ntitle: Article D\n---\n\nA page written while serving.\n",
    );
    server.wait_for("/lib/d/", limit, |st, _| st == 200);
    server.wait_for(entry, limit, |st, b| st == 200 && count(b) == Some(4));
    let (status, _) = server.get("/pagefind/pagefind-ui.js");
    assert_eq!(status, 200);
}
