//! Search in `serve`: the index is made on a thread of its own after each rebuild that changed
//! what it holds (pages added, removed, retitled or edited), so that an edit reaches the
//! browser at once and search catches up a moment later. Rebuilds that arrive while an index
//! is being made are folded into one: only the latest site is indexed next.

use super::Live;
use crate::output::{Fingerprint, Output};
use crate::pipeline::Session;
use crate::render::search::{AtHand, SearchInput};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

/// Hands the site's search input to the indexing thread.
pub(super) struct Indexer {
    tx: Sender<SearchInput>,
}

impl Indexer {
    /// Starts the indexing thread, which publishes each new bundle into `live`.
    pub(super) fn start(live: Arc<Live>) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || run(&live, &rx));
        Self { tx }
    }

    /// Asks for the index of the session's last good site; nothing is done when it holds what
    /// the current index holds.
    pub(super) fn update(&self, session: &Session) {
        if let Some(input) = session.search_input() {
            // The thread ends only with the process.
            let _ = self.tx.send(input);
        }
    }
}

fn run(live: &Live, rx: &Receiver<SearchInput>) {
    let mut indexed = None;
    // The files of each part of the index being served, by what the part was made from: a
    // part whose pages did not change is served again, not indexed again.
    let mut held: HashMap<Fingerprint, Vec<Arc<Output>>> = HashMap::new();
    while let Ok(mut input) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            input = newer;
        }
        let digest = input.digest();
        if indexed == Some(digest) {
            continue;
        }
        let started = Instant::now();
        let have = |inputs: &Fingerprint| {
            let files = held.get(inputs)?;
            Some(AtHand::Published(
                files.iter().map(|o| o.path.clone()).collect(),
            ))
        };
        match input.bundle(&have) {
            Ok(bundle) => {
                let mut next: HashMap<Fingerprint, Vec<Arc<Output>>> = HashMap::new();
                for (inputs, _) in bundle.kept {
                    if let Some(files) = held.remove(&inputs) {
                        next.insert(inputs, files);
                    }
                }
                for o in bundle.outputs {
                    next.entry(o.inputs.unwrap_or_default())
                        .or_default()
                        .push(Arc::new(o));
                }
                held = next;
                let files: HashMap<String, Arc<Output>> = held
                    .values()
                    .flatten()
                    .map(|o| (o.path.clone(), Arc::clone(o)))
                    .collect();
                live.set_search(files);
                indexed = Some(digest);
                println!(
                    "search index updated in {} ms",
                    started.elapsed().as_millis()
                );
            }
            Err(d) => eprintln!("{d}"),
        }
    }
}
