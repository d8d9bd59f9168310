//! One module per command, each with its arguments and what it does, as mdBook keeps its
//! commands; `main.rs` only dispatches.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod new;
mod progress;
pub(crate) mod serve;

use clap::Args;
use stacks::Include;
use stacks::diagnostics::{Diagnostic, Diagnostics, Report};
use std::process::ExitCode;

/// Pages left out of a site unless asked for.
#[derive(Args, Clone, Copy)]
pub struct IncludeArgs {
    /// Include drafts (`draft: true`, `published: false`).
    #[arg(long)]
    drafts: bool,
    /// Include pages whose publish date is still to come.
    #[arg(long)]
    future: bool,
    /// Include pages whose expiry date has passed.
    #[arg(long)]
    expired: bool,
}

impl From<IncludeArgs> for Include {
    fn from(a: IncludeArgs) -> Self {
        Include {
            drafts: a.drafts,
            future: a.future,
            expired: a.expired,
        }
    }
}

/// Every error, and warnings up to `max_warnings` with a summary, on standard error.
fn print_diagnostics(diags: &Diagnostics, max_warnings: usize) {
    eprint!("{}", Report::new(diags, max_warnings));
}

/// Prints a failure and exits with 1.
fn fail(d: Diagnostic) -> ExitCode {
    eprintln!("{d}");
    ExitCode::FAILURE
}
