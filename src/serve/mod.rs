//! `stacks serve`: build, serve from memory, watch, rebuild, and tell the browser to reload.
//!
//! The same [`Session`] that `build` uses renders the site; `serve` keeps it between changes so
//! unchanged files are not parsed again, holds the outputs in memory (`public/` is never
//! touched), and swaps them in only when a rebuild succeeds. A failed rebuild keeps the last
//! good site and shows every error over each page until the file is fixed.

mod http;
mod overlay;
mod watch;

use crate::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{SearchMode, Session};
use crate::render::Output;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::broadcast;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on; loopback unless the author asks otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Build drafts too.
    pub drafts: bool,
    /// Open the site in the default browser.
    pub open: bool,
}

/// The site as currently served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every output by path.
    pub files: HashMap<String, Output>,
    /// Errors of the last rebuild, shown over every page while they last.
    pub errors: Diagnostics,
    /// Increases with every rebuild, good or bad.
    pub version: u64,
}

/// State shared by the rebuild thread and the HTTP handlers.
pub struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    reload: broadcast::Sender<u64>,
}

impl Live {
    fn new() -> Arc<Self> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Self {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            reload,
        })
    }

    /// The snapshot being served.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn publish(&self, snapshot: Snapshot) {
        let version = snapshot.version;
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
        // Nobody listening is fine: no browser is open yet.
        let _ = self.reload.send(version);
    }
}

/// Rebuilds and publishes; returns the diagnostics for the terminal.
fn rebuild(session: &mut Session, live: &Live) -> Diagnostics {
    let rendered = session.render();
    let previous = live.current();
    let version = previous.version + 1;
    let snapshot = if rendered.diagnostics.has_errors() {
        // Keep serving the last good site, with the errors over it.
        Snapshot {
            files: previous.files.clone(),
            errors: rendered.diagnostics.clone(),
            version,
        }
    } else {
        Snapshot {
            files: rendered
                .outputs
                .into_iter()
                .map(|o| (o.path.clone(), o))
                .collect(),
            errors: Diagnostics::new(),
            version,
        }
    };
    live.publish(snapshot);
    rendered.diagnostics
}

fn report(diags: &Diagnostics, started: Instant, what: &str) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
    let ms = started.elapsed().as_millis();
    if diags.has_errors() {
        eprintln!(
            "{what} failed ({} error(s)); still serving the last good site",
            diags.error_count()
        );
    } else {
        println!("{what} in {ms} ms");
    }
}

/// Runs the dev server until interrupted.
pub fn serve(opts: ServeOptions) -> Result<(), Diagnostic> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the server runtime: {e}")))?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("another program uses port {}; pass --port with another number, or --port 0 for any free port", opts.port)
        } else {
            "check the --bind address".to_string()
        };
        Diagnostic::error(format!("cannot listen on {addr}: {e}")).hint(hint)
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(format!("cannot read the listening address: {e}")))?;
    let url = format!("http://{local}/");

    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        search: SearchMode::Once,
        ..BuildOptions::default()
    };
    let mut session = Session::new(build_opts);
    let live = Live::new();
    let started = Instant::now();
    let diags = rebuild(&mut session, &live);
    report(&diags, started, "built");
    // Watch before announcing the URL, so that no save after the announcement is missed.
    let mut changes = watch::watch(&opts.root)?;
    println!("serving {} at {url} (Ctrl-C to stop)", opts.root.display());
    if opts.open {
        let _ = opener::open(&url);
    }

    let rebuild_live = Arc::clone(&live);
    std::thread::spawn(move || {
        while let Some(batch) = changes.next_batch() {
            let started = Instant::now();
            let diags = rebuild(&mut session, &rebuild_live);
            report(&diags, started, &format!("rebuilt after {batch}"));
        }
    });

    runtime.block_on(async move {
        let app = http::router(live);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| Diagnostic::error(format!("server stopped: {e}")))
    })
}
