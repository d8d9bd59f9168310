//! `stacks init`: a new site, ready to serve.

use super::fail;
use clap::Args;
use stacks::scaffold;
use std::path::PathBuf;
use std::process::ExitCode;

/// Create a new site, ready for `stacks serve`.
#[derive(Args)]
pub(crate) struct InitArgs {
    /// Folder to create (must be new or empty).
    dir: PathBuf,
}

/// Writes the new site's files.
pub(crate) fn run(args: InitArgs) -> ExitCode {
    match scaffold::init(&args.dir) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            println!("next: cd {} && stacks serve", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(d) => fail(d),
    }
}
