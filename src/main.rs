//! The `stacks` command line: parses arguments and hands each command to its module in `cmd/`.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Builds allocate and free millions of small strings across threads; glibc's allocator spends
/// a tenth of a rebuild there and returns memory to the system grudgingly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A static-site generator for knowledge libraries.
#[derive(Parser)]
#[command(name = "stacks", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(cmd::build::BuildArgs),
    /// Build in memory, serve on localhost, rebuild on every change and reload the browser.
    Serve(cmd::serve::ServeArgs),
    /// Run the whole pipeline without writing, and report every error and warning.
    Check(cmd::check::CheckArgs),
    /// Write a new article with its front matter filled in.
    New(cmd::new::NewArgs),
    /// Create a new site, ready for `stacks serve`.
    Init(cmd::init::InitArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Init(args) => cmd::init::run(args),
    }
}
