//! `stacks serve`: the site in memory, rebuilt on every change, with live reload.

use super::{IncludeArgs, fail};
use clap::Args;
use stacks::serve::{ServeOptions, serve};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Build in memory, serve on localhost, rebuild on every change and reload the browser.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    include: IncludeArgs,
}

/// Serves until interrupted.
pub(crate) fn run(args: ServeArgs) -> ExitCode {
    match serve(ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        include: args.include.into(),
        open: args.open,
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(d),
    }
}
