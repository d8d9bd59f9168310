//! `stacks build`: the site into its output folder.

use super::{IncludeArgs, print_diagnostics};
use clap::Args;

use stacks::cache::Policy;
use stacks::diagnostics::DEFAULT_MAX_WARNINGS;
use stacks::{BuildOptions, BuildReport, SearchMode, build};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build the site into the output folder.
#[derive(Args)]
pub(crate) struct BuildArgs {
    /// Site root, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder (default: <root>/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Base URL to build for, overriding site.yaml (e.g. https://example.com/kb/).
    #[arg(long)]
    base_url: Option<String>,
    #[command(flatten)]
    include: IncludeArgs,
    /// Print the time each stage took.
    #[arg(long)]
    timings: bool,
    /// Skip the search index and page.
    #[arg(long)]
    no_search: bool,
    /// Build from scratch: neither read nor write the build cache in .stacks-cache/.
    #[arg(long)]
    no_cache: bool,
    /// Print only warnings and errors: no progress, no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print at most N warnings one by one; a summary by kind follows.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_WARNINGS)]
    max_warnings: usize,
}

/// Builds, then prints the warnings, the `built …` line, what was left out and the audit.
pub(crate) fn run(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        include: args.include.into(),
        search: if args.no_search {
            SearchMode::Off
        } else {
            SearchMode::Every
        },
        cache: if args.no_cache {
            Policy::Off
        } else {
            Policy::ReadWrite
        },
        progress: super::progress::reporter(args.quiet),
        ..BuildOptions::default()
    };
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, args.max_warnings);
            if !args.quiet {
                summarise(&report, args.timings);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags, args.max_warnings);
            eprintln!(
                "build failed: {} error(s), {} warning(s); the previous site was left as it was",
                diags.error_count(),
                diags.warning_count()
            );
            ExitCode::FAILURE
        }
    }
}

fn summarise(report: &BuildReport, timings: bool) {
    let warnings = report.diagnostics.warning_count();
    let warn = if warnings > 0 {
        format!(", {warnings} warning(s)")
    } else {
        String::new()
    };
    let stats = report.stats;
    let changed = if report.unchanged {
        ", nothing changed since the last build".to_string()
    } else if stats.changed == stats.files {
        String::new()
    } else {
        format!(", {} changed", stats.changed)
    };
    println!(
        "built {} pages ({} files{changed}) into {} in {} ms{warn}",
        stats.pages,
        stats.files,
        report.output.display(),
        report.elapsed.as_millis()
    );
    if !report.skipped.is_empty() {
        let s = report.skipped;
        let how = if s.drafts + s.future + s.expired > 0 {
            " (--drafts, --future and --expired include them)"
        } else {
            ""
        };
        println!("not built: {s}{how}");
    }
    if let Some(audit) = &report.audit {
        println!("{}", audit.summary());
    }
    if timings {
        println!("{}", report.timings);
    }
}
