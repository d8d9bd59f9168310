//! `stacks new`: an article with its front matter filled in.

use super::fail;
use clap::Args;
use stacks::scaffold;
use std::path::PathBuf;
use std::process::ExitCode;

/// Write a new article with its front matter filled in.
#[derive(Args)]
pub(crate) struct NewArgs {
    /// Where: library/collection/slug.
    path: String,
    /// The title (default: from the slug).
    #[arg(long)]
    title: Option<String>,
    /// Site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Writes the article (and any missing sections), never over an existing file.
pub(crate) fn run(args: NewArgs) -> ExitCode {
    match scaffold::new_article(&args.root, &args.path, args.title.as_deref()) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(d),
    }
}
