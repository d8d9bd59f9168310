//! `stacks check`: the whole pipeline without writing, every problem and the audit reported.

use super::{IncludeArgs, print_diagnostics};
use clap::{Args, ValueEnum};
use stacks::audit::{self, Audit};
use stacks::cache::Policy;
use stacks::diagnostics::{Code, DEFAULT_MAX_WARNINGS, Diagnostic};
use stacks::load::CONTENT_DIR;
use stacks::model::Site;
use stacks::pipeline::Rendered;
use stacks::{BuildOptions, SearchMode, Session};
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
pub struct CheckArgs {
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
pub fn run(args: CheckArgs) -> ExitCode {
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
            let report = json_report(&rendered, session.site());
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
fn json_report(rendered: &Rendered, site: Option<&Site>) -> serde_json::Value {
    let diags = &rendered.diagnostics;
    let skipped = rendered.skipped;
    serde_json::json!({
        "errors": diags.error_count(),
        "warnings": diags.warning_count(),
        "diagnostics": diags,
        "summary": diags.by_kind(),
        "pages": site.map(url_map).unwrap_or_default(),
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

/// Every page and section the site has, with the file it comes from and its URL: what a
/// migrating library checks its old URLs against.
fn url_map(site: &Site) -> Vec<serde_json::Value> {
    let sections = site.sections.iter().filter(|s| s.rendered).map(|s| {
        serde_json::json!({
            "file": s.rel.as_ref().map(|r| format!("{CONTENT_DIR}/{r}")),
            "url": s.url,
            "kind": "section",
        })
    });
    let pages = site.pages.iter().map(|p| {
        let kind = match (&p.redirect, p.is_article()) {
            (Some(_), _) => "redirect",
            (None, true) => "article",
            (None, false) => "page",
        };
        serde_json::json!({ "file": format!("{CONTENT_DIR}/{}", p.rel), "url": p.url, "kind": kind })
    });
    sections.chain(pages).collect()
}
