//! The progress bar of `stacks build` on a terminal: the stage, and pages done while pages are
//! rendered. It appears only once a build has run for a second (a quick build prints just its
//! summary, as before), and never when stderr is not a terminal or with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stacks::{Progress, Reporter};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a build runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar on stderr, hidden until [`DELAY`] has passed.
struct Bar {
    bar: ProgressBar,
    done: AtomicBool,
}

/// Where `stacks build` reports progress: a bar on a terminal, nowhere when `quiet` or when
/// stderr is redirected.
pub(crate) fn reporter(quiet: bool) -> Reporter {
    if quiet || !std::io::stderr().is_terminal() {
        return Reporter::default();
    }
    let bar = Arc::new(Bar {
        bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
        done: AtomicBool::new(false),
    });
    let shown = Arc::clone(&bar);
    std::thread::spawn(move || {
        std::thread::sleep(DELAY);
        if !shown.done.load(Ordering::Acquire) {
            shown.bar.set_draw_target(ProgressDrawTarget::stderr());
            shown.bar.enable_steady_tick(Duration::from_millis(120));
        }
    });
    Reporter::to(bar)
}

impl Progress for Bar {
    fn stage(&self, name: &'static str, pages: Option<usize>) {
        let template = match pages {
            Some(_) => "{spinner} {msg} {bar:30} {pos}/{len} pages",
            None => "{spinner} {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_message(name);
        self.bar.set_position(0);
        self.bar.set_length(pages.unwrap_or(0) as u64);
    }

    fn pages_done(&self, n: usize) {
        self.bar.inc(n as u64);
    }

    fn finish(&self) {
        self.done.store(true, Ordering::Release);
        self.bar.finish_and_clear();
    }
}
