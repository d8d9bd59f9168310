//! The `stacks` command line.

use clap::{Parser, Subcommand};
use stacks::diagnostics::Diagnostics;
use stacks::{BuildOptions, build};
use std::path::PathBuf;
use std::process::ExitCode;

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
    Build {
        /// Site root, holding site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL to build for, overriding site.yaml (e.g. https://example.com/kb/).
        #[arg(long)]
        base_url: Option<String>,
        /// Build drafts too.
        #[arg(long)]
        drafts: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
}

fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => {
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics);
                    let warnings = report.diagnostics.warning_count();
                    let warn = if warnings > 0 {
                        format!(", {warnings} warning(s)")
                    } else {
                        String::new()
                    };
                    println!(
                        "built {} pages ({} files) into {} in {} ms{warn}",
                        report.stats.pages,
                        report.stats.files,
                        report.output.display(),
                        report.elapsed.as_millis()
                    );
                    if timings {
                        println!("{}", report.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print_diagnostics(&diags);
                    eprintln!(
                        "build failed: {} error(s), {} warning(s); the previous site was left as it was",
                        diags.error_count(),
                        diags.warning_count()
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}
