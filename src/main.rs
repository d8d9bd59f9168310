//! The `stacks` command line: parses arguments and calls the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use stacks::audit::{self, Audit};
use stacks::diagnostics::{Code, DEFAULT_MAX_WARNINGS, Diagnostic, Diagnostics, Report};
use stacks::load::CONTENT_DIR;
use stacks::model::Include;
use stacks::model::Site;
use stacks::serve::{ServeOptions, serve};
use stacks::{BuildOptions, SearchMode, Session, build, scaffold};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// A static-site generator for knowledge libraries.
#[derive(Parser)]
#[command(name = "stacks", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Pages left out of a site unless asked for.
#[derive(Args, Clone, Copy)]
struct IncludeArgs {
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
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
        #[command(flatten)]
        include: IncludeArgs,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
        /// Skip the search index and page.
        #[arg(long)]
        no_search: bool,
        /// Neither read nor write the diagram cache in .stacks-cache/.
        #[arg(long)]
        no_cache: bool,
        /// Print at most N warnings one by one; a summary by kind follows.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_WARNINGS)]
        max_warnings: usize,
    },
    /// Build in memory, serve on localhost, rebuild on every change and reload the browser.
    Serve {
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
    },
    /// Run the whole pipeline without writing, and report every error and warning.
    Check {
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
    },
    /// Write a new article with its front matter filled in.
    New {
        /// Where: library/collection/slug.
        path: String,
        /// The title (default: from the slug).
        #[arg(long)]
        title: Option<String>,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site, ready for `stacks serve`.
    Init {
        /// Folder to create (must be new or empty).
        dir: PathBuf,
    },
}

fn print_diagnostics(diags: &Diagnostics, max_warnings: usize) {
    eprint!("{}", Report::new(diags, max_warnings));
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

fn fail(d: Diagnostic) -> ExitCode {
    eprintln!("{d}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            base_url,
            include,
            timings,
            no_search,
            no_cache,
            max_warnings,
        } => {
            let opts = BuildOptions {
                root,
                output,
                base_url,
                include: include.into(),
                search: if no_search {
                    SearchMode::Off
                } else {
                    SearchMode::Every
                },
                cache: if no_cache {
                    stacks::cache::Policy::Off
                } else {
                    stacks::cache::Policy::ReadWrite
                },
                ..BuildOptions::default()
            };
            match build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, max_warnings);
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
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print_diagnostics(&diags, max_warnings);
                    eprintln!(
                        "build failed: {} error(s), {} warning(s); the previous site was left as it was",
                        diags.error_count(),
                        diags.warning_count()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            include,
        } => {
            match serve(ServeOptions {
                root,
                bind,
                port,
                include: include.into(),
                open,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fail(d),
            }
        }
        Command::Check {
            root,
            format,
            include,
            min_score,
            min_machine_score,
            explain: explain_id,
            max_warnings,
        } => {
            if let Some(id) = explain_id {
                return explain(&id);
            }
            let mut session = Session::new(BuildOptions {
                root,
                include: include.into(),
                search: SearchMode::Off,
                // Reading the diagram cache only saves time; check writes nothing.
                cache: stacks::cache::Policy::Read,
                min_score,
                min_machine_score,
                ..BuildOptions::default()
            });
            let rendered = session.render();
            let diags = rendered.diagnostics;
            match format {
                Format::Text => {
                    print_diagnostics(&diags, max_warnings);
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
                    let report = serde_json::json!({
                        "errors": diags.error_count(),
                        "warnings": diags.warning_count(),
                        "diagnostics": diags,
                        "summary": diags.by_kind(),
                        "pages": session.site().map(url_map).unwrap_or_default(),
                        "not_built": {
                            "drafts": rendered.skipped.drafts,
                            "future": rendered.skipped.future,
                            "expired": rendered.skipped.expired,
                            "unrendered": rendered.skipped.unrendered,
                        },
                        "audit": rendered.audit.as_ref().map(|a| &a.articles[..]).unwrap_or_default(),
                    });
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
        Command::New { path, title, root } => {
            match scaffold::new_article(&root, &path, title.as_deref()) {
                Ok(files) => {
                    for f in files {
                        println!("created {}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d),
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                for f in &files {
                    println!("created {}", f.display());
                }
                println!("next: cd {} && stacks serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(d),
        },
    }
}
