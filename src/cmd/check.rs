//! `stacks check`: the whole pipeline without writing, every problem and the audit reported.

use super::{IncludeArgs, print_diagnostics};
use clap::{Args, ValueEnum};
use stacks::audit::{self, Audit};
use stacks::cache::Policy;
use stacks::diagnostics::{Code, DEFAULT_MAX_WARNINGS, Diagnostic};
use stacks::{BuildOptions, PageUrl, Rendered, SearchMode, Session};
use std::path::PathBuf;
use std::process::ExitCode;

/// How `check` reports.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Run the whole pipeline without writing, and report every error and warning.
#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    include: IncludeArgs,
    /// Fewest editorial audit checks an article may pass (overrides audit.min_score).
    #[arg(long, value_name = "N")]
    min_score: Option<usize>,
    /// Fewest machine audit checks an article may pass (overrides audit.min_machine_score).
    #[arg(long, value_name = "N")]
    min_machine_score: Option<usize>,
    /// Print what an audit check tests, why it matters and how to fix it, then exit.
    #[arg(long, value_name = "CHECK_ID")]
    explain: Option<String>,
    /// Print at most N warnings one by one (text format); a summary by kind follows.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_WARNINGS)]
    max_warnings: usize,
}

/// Checks the site; exits with 1 when there is an error.
pub(crate) fn run(args: CheckArgs) -> ExitCode {
    if let Some(id) = args.explain {
        return explain(&id);
    }
    let mut session = Session::new(BuildOptions {
        root: args.root,
        include: args.include.into(),
        search: SearchMode::Off,
        // Reading the diagram cache only saves time; check writes nothing.
        cache: Policy::Read,
        min_score: args.min_score,
        min_machine_score: args.min_machine_score,
        ..BuildOptions::default()
    });
    let rendered = session.render();
    let diags = &rendered.diagnostics;
    match args.format {
        Format::Text => {
            print_diagnostics(diags, args.max_warnings);
            if let Some(audit) = &rendered.audit {
                print_audit(audit);
            }
            println!(
                "{} error(s), {} warning(s)",
                diags.error_count(),
                diags.warning_count()
            );
        }
        Format::Json => {
            let report = json_report(&rendered, &session.page_urls());
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
    }
    if diags.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Everything `check` found, for tools: every diagnostic with its code, the summary by kind,
/// the URL of every page, what was not built and the audit.
fn json_report(rendered: &Rendered, pages: &[PageUrl]) -> serde_json::Value {
    let diags = &rendered.diagnostics;
    let skipped = rendered.skipped;
    serde_json::json!({
        "errors": diags.error_count(),
        "warnings": diags.warning_count(),
        "diagnostics": diags,
        "summary": diags.by_kind(),
        "pages": pages,
        "not_built": {
            "drafts": skipped.drafts,
            "future": skipped.future,
            "expired": skipped.expired,
            "unrendered": skipped.unrendered,
        },
        "audit": rendered.audit.as_ref().map(|a| &a.articles[..]).unwrap_or_default(),
    })
}

/// `stacks check --explain <id>`.
fn explain(id: &str) -> ExitCode {
    match audit::checks::find(id) {
        Some(c) => {
            println!("{} ({} check)", c.id, c.kind);
            println!("  {}", c.title);
            println!("why: {}", c.why);
            println!("fix: {}", c.fix);
            ExitCode::SUCCESS
        }
        None => {
            let mut d = Diagnostic::error(Code::Audit, format!("there is no audit check `{id}`"));
            d = match audit::checks::closest_id(id) {
                Some(c) => d.hint(format!("did you mean `{c}`?")),
                None => d.hint(format!(
                    "the checks are: {}",
                    audit::CATALOG.map(|c| c.id).join(", ")
                )),
            };
            eprintln!("{d}");
            ExitCode::from(2)
        }
    }
}

/// The audit in text: each article that fails a check, worst first, then one summary line.
fn print_audit(audit: &Audit) {
    for a in audit.worst_first() {
        let failing: Vec<&str> = a.failing().map(|o| o.id).collect();
        if failing.is_empty() {
            continue;
        }
        println!(
            "{}: {} editorial, {} machine; fails {}",
            a.article,
            a.editorial,
            a.machine,
            failing.join(", ")
        );
    }
    println!("{}", audit.summary());
}
