//! `stacks serve`: build, serve from memory, watch, rebuild, and tell the browser to reload.
//!
//! The same [`Session`] that `build` uses renders the site; `serve` keeps it between changes so
//! unchanged files are not parsed again, holds the outputs in memory (`public/` is never
//! touched), and swaps them in only when a rebuild succeeds. A failed rebuild keeps the last
//! good site and shows every error over each page until the file is fixed.

mod http;
mod overlay;
mod search;
mod watch;

use crate::BuildOptions;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::output::Output;
use crate::pipeline::{SearchMode, Session};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Unpublished pages to serve anyway (drafts, future, expired).
    pub include: crate::model::Include,
    /// Open the site in the default browser.
    pub open: bool,
}

/// The site as currently served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every output by path; shared between snapshots, so that a rebuild that changed a few
    /// files copies no page.
    pub files: Arc<HashMap<String, Arc<Output>>>,
    /// Errors of the last rebuild, shown over every page while they last.
    pub errors: Diagnostics,
    /// Increases with every rebuild, good or bad.
    pub version: u64,
}

/// State shared by the rebuild thread and the HTTP handlers.
pub struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Events for the reload script: its name (`reload` after a rebuild, `search` when a new
    /// search index is served) and the JSON it reads (see [`reload_message`]).
    reload: broadcast::Sender<(&'static str, Arc<str>)>,
    /// The search bundle, made apart from the pages (see `search`), by path.
    search: RwLock<Arc<HashMap<String, Arc<Output>>>>,
}

impl Live {
    fn new() -> Arc<Self> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Self {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            reload,
            search: RwLock::default(),
        })
    }

    /// The snapshot being served.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The file of the search bundle at `path`, if any.
    pub fn search_file(&self, path: &str) -> Option<Arc<Output>> {
        let files = match self.search.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        files.get(path).cloned()
    }

    /// Serves `files` as the search bundle from now on, and reloads an open search page.
    fn set_search(&self, files: HashMap<String, Arc<Output>>) {
        match self.search.write() {
            Ok(mut s) => *s = Arc::new(files),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(files),
        }
        let version = self.current().version;
        let message = serde_json::json!({ "version": version, "pages": ["/search/"] });
        let _ = self.reload.send(("search", message.to_string().into()));
    }

    fn publish(&self, snapshot: Snapshot, message: Arc<str>) {
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(snapshot),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(snapshot),
        }
        // Nobody listening is fine: no browser is open yet.
        let _ = self.reload.send(("reload", message));
    }
}

/// Rebuilds after `changed` (everything when empty) and publishes; returns the diagnostics for
/// the terminal, and for an in-place edit, how many outputs it rendered.
fn rebuild(
    session: &mut Session,
    live: &Live,
    changed: &[PathBuf],
) -> (Diagnostics, Option<usize>) {
    let rendered = if changed.is_empty() {
        session.render()
    } else {
        session.rebuild(changed)
    };
    let previous = live.current();
    let version = previous.version + 1;
    // Pages reload only when what they show changed: after an in-place edit that is the few
    // pages it touched, unless errors came or went (the overlay is on every page).
    let errors_changed = previous.errors.has_errors() || rendered.diagnostics.has_errors();
    let rendered_count = rendered.partial.then_some(rendered.outputs.len());
    let message = if rendered.partial && !errors_changed {
        reload_message(Some(&rendered.outputs), version)
    } else {
        reload_message(None, version)
    };
    let snapshot = if rendered.diagnostics.has_errors() {
        // Keep serving the last good site, with the errors over it.
        Snapshot {
            files: Arc::clone(&previous.files),
            errors: rendered.diagnostics.clone(),
            version,
        }
    } else {
        let mut files = if rendered.partial {
            HashMap::clone(&previous.files)
        } else {
            HashMap::with_capacity(rendered.outputs.len())
        };
        files.extend(
            rendered
                .outputs
                .into_iter()
                .map(|o| (o.path.clone(), Arc::new(o))),
        );
        Snapshot {
            files: Arc::new(files),
            errors: Diagnostics::new(),
            version,
        }
    };
    live.publish(snapshot, message);
    (rendered.diagnostics, rendered_count)
}

/// The reload event's data: `{"version":N,"pages":["/a/b/",…]}` naming the pages to reload, or
/// `"pages":null` when every page should.
fn reload_message(outputs: Option<&[Output]>, version: u64) -> Arc<str> {
    let pages = outputs.map(|outputs| {
        outputs
            .iter()
            .filter_map(|o| o.path.strip_suffix("index.html"))
            .map(|dir| format!("/{dir}"))
            .collect::<Vec<_>>()
    });
    serde_json::json!({ "version": version, "pages": pages })
        .to_string()
        .into()
}

/// Publishes what [`Session::settle`] re-rendered, if anything; gives way as soon as `arrived`
/// says a new change is waiting.
fn settle(session: &mut Session, live: &Live, arrived: &AtomicBool) {
    let started = Instant::now();
    let Some(rendered) = session.settle(&|| arrived.load(Ordering::Relaxed)) else {
        return;
    };
    println!(
        "related reading caught up in {} ms ({} page(s) changed)",
        started.elapsed().as_millis(),
        rendered.outputs.len()
    );
    if rendered.outputs.is_empty() {
        return;
    }
    let previous = live.current();
    let version = previous.version + 1;
    let message = reload_message(Some(&rendered.outputs), version);
    let mut files = HashMap::clone(&previous.files);
    files.extend(
        rendered
            .outputs
            .into_iter()
            .map(|o| (o.path.clone(), Arc::new(o))),
    );
    live.publish(
        Snapshot {
            files: Arc::new(files),
            errors: previous.errors.clone(),
            version,
        },
        message,
    );
}

fn report(diags: &Diagnostics, started: Instant, what: &str) {
    // Every error, and warnings up to the limit with a summary: a library moved from another
    // generator may have thousands, and each rebuild would bury the terminal under them.
    eprint!(
        "{}",
        crate::diagnostics::Report::new(diags, crate::diagnostics::DEFAULT_MAX_WARNINGS)
    );
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
        .map_err(|e| {
            Diagnostic::error(
                Code::Server,
                format!("cannot start the server runtime: {e}"),
            )
        })?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("another program uses port {}; pass --port with another number, or --port 0 for any free port", opts.port)
        } else {
            "check the --bind address".to_string()
        };
        Diagnostic::error(Code::Server, format!("cannot listen on {addr}: {e}")).hint(hint)
    })?;
    let local = listener.local_addr().map_err(|e| {
        Diagnostic::error(
            Code::Server,
            format!("cannot read the listening address: {e}"),
        )
    })?;
    let url = format!("http://{local}/");

    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        include: opts.include,
        search: SearchMode::Deferred,
        // Diagrams drawn by the last `build` need not be drawn again; serve only reads the cache.
        cache: crate::cache::Policy::Read,
        ..BuildOptions::default()
    };
    let mut session = Session::new(build_opts);
    let live = Live::new();
    let started = Instant::now();
    let (diags, _) = rebuild(&mut session, &live, &[]);
    report(&diags, started, "built");
    let search = search::Indexer::start(Arc::clone(&live));
    search.update(&session);
    // Watch before announcing the URL, so that no save after the announcement is missed.
    let mut changes = watch::watch(&opts.root)?;
    println!("serving {} at {url} (Ctrl-C to stop)", opts.root.display());
    if opts.open {
        let _ = opener::open(&url);
    }

    let rebuild_live = Arc::clone(&live);
    let arrived = changes.arrivals();
    std::thread::spawn(move || {
        while let Some(batch) = changes.next_batch() {
            let started = Instant::now();
            let (diags, partial) = rebuild(&mut session, &rebuild_live, &batch.paths);
            let what = match partial {
                Some(n) => format!("{batch} followed ({n} file(s) rendered)"),
                None => format!("rebuilt after {batch}"),
            };
            report(&diags, started, &what);
            // The edited page is on screen; catch the rest of the library up unless the author
            // has saved again meanwhile (that change comes first, and settles after).
            if !changes.pending() {
                settle(&mut session, &rebuild_live, &arrived);
                search.update(&session);
            }
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
            .map_err(|e| Diagnostic::error(Code::Server, format!("server stopped: {e}")))
    })
}
