//! Errors and warnings collected across a whole run.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of stopping at the first one, so that
//! one run names every broken file. A diagnostic points at a file (relative to the site root), a
//! 1-based line and column where known, and carries a hint that says what to do about it.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
}

/// The kind of a problem: a stable name for each, so that a run with thousands of warnings can
/// be summed up by kind, and tools reading `check --format json` can tell kinds apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// `site.yaml` (or a setting from the environment) is wrong.
    Config,
    /// The theme or one of its templates is missing or unreadable.
    Theme,
    /// A template failed to render.
    Template,
    /// A file could not be read (permissions, encoding, size, symlink loop).
    Unreadable,
    /// Front matter that cannot be read at all.
    FrontMatter,
    /// A front-matter key written twice.
    DuplicateKey,
    /// A front-matter value of the wrong type.
    InvalidValue,
    /// A date that cannot be read.
    InvalidDate,
    /// A page without a title.
    NoTitle,
    /// Two pages that would be written to one URL.
    DuplicateUrl,
    /// A slug, URL or permalink that cannot be a path on the site.
    InvalidUrl,
    /// A folder laid out in a way that has two meanings.
    Layout,
    /// An alias that cannot be a path on the site.
    Alias,
    /// An alias on the URL of a real page, which keeps its page.
    AliasToPage,
    /// An alias claimed by two pages.
    AliasConflict,
    /// A link to a page or file that does not exist.
    BrokenLink,
    /// A link to a heading that does not exist.
    MissingAnchor,
    /// An image that does not exist.
    MissingImage,
    /// Template syntax from another generator, shown as text.
    ForeignTemplate,
    /// A diagram that cannot be drawn.
    Diagram,
    /// A pinned related article that does not exist.
    Related,
    /// An article below the audit's minimum score.
    Audit,
    /// The output folder cannot be written, or is not one stacks may write.
    Output,
    /// The search index could not be built.
    Search,
    /// The build cache could not be saved.
    Cache,
    /// The development server could not start or stopped.
    Server,
    /// `stacks new` or `stacks init` could not create what was asked.
    Scaffold,
}

impl Code {
    /// The stable name, as printed and in JSON (`broken-link`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "config",
            Code::Theme => "theme",
            Code::Template => "template",
            Code::Unreadable => "unreadable",
            Code::FrontMatter => "front-matter",
            Code::DuplicateKey => "duplicate-key",
            Code::InvalidValue => "invalid-value",
            Code::InvalidDate => "invalid-date",
            Code::NoTitle => "no-title",
            Code::DuplicateUrl => "duplicate-url",
            Code::InvalidUrl => "invalid-url",
            Code::Layout => "layout",
            Code::Alias => "alias",
            Code::AliasToPage => "alias-to-page",
            Code::AliasConflict => "alias-conflict",
            Code::BrokenLink => "broken-link",
            Code::MissingAnchor => "missing-anchor",
            Code::MissingImage => "missing-image",
            Code::ForeignTemplate => "foreign-template",
            Code::Diagram => "diagram",
            Code::Related => "related",
            Code::Audit => "audit",
            Code::Output => "output",
            Code::Search => "search",
            Code::Cache => "cache",
            Code::Server => "server",
            Code::Scaffold => "scaffold",
        }
    }

    /// What the kind means, in a few words, for the summary at the end of a run.
    pub fn describe(self) -> &'static str {
        match self {
            Code::Config => "site configuration",
            Code::Theme => "theme files",
            Code::Template => "template errors",
            Code::Unreadable => "unreadable files",
            Code::FrontMatter => "unreadable front matter",
            Code::DuplicateKey => "front-matter keys written twice",
            Code::InvalidValue => "front-matter values of the wrong type",
            Code::InvalidDate => "dates that cannot be read",
            Code::NoTitle => "pages without a title",
            Code::DuplicateUrl => "pages sharing a URL",
            Code::InvalidUrl => "slugs, URLs and permalinks that cannot be used",
            Code::Layout => "ambiguous folders",
            Code::Alias => "aliases that cannot be used",
            Code::AliasToPage => "aliases on the URL of a page",
            Code::AliasConflict => "aliases claimed twice",
            Code::BrokenLink => "links to nothing",
            Code::MissingAnchor => "links to a missing heading",
            Code::MissingImage => "missing images",
            Code::ForeignTemplate => "template syntax from another generator",
            Code::Diagram => "diagrams that cannot be drawn",
            Code::Related => "pinned related articles not found",
            Code::Audit => "articles below the audit minimum",
            Code::Output => "output folder",
            Code::Search => "search index",
            Code::Cache => "build cache",
            Code::Server => "development server",
            Code::Scaffold => "new files",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the input, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of problem.
    pub code: Code,
    /// The file at fault, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column in `line`.
    pub col: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error of kind `code`, with a message and no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning of kind `code`, with a message and no location yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            file: None,
            line: None,
            col: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the 1-based line and column.
    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }

    /// Sets the line and column when they are known.
    pub fn at_opt(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, col)) = position {
            self = self.at(line, col);
        }
        self
    }

    /// Adds what the author should do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same problem, as an error (for strict modes).
    pub fn into_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{loc}: {label}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {hint}")?;
        }
        Ok(())
    }
}

/// A collection of diagnostics gathered by a stage or a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Moves every diagnostic of `other` into this one.
    pub fn append(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All diagnostics, in the order they were found (or sorted, after [`Diagnostics::sort`]).
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Orders by file, then line, so that output is stable whatever the thread scheduling.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
        });
        self.0.dedup();
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Self(v)
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// The diagnostics of one kind and severity, for the summary at the end of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindSummary {
    /// The kind.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// How many there are.
    pub count: usize,
    /// In how many files.
    pub files: usize,
    /// The files with the most of them, most first (at most three), with their counts.
    pub worst: Vec<(PathBuf, usize)>,
}

impl Diagnostics {
    /// Counts per kind, errors first, then the most frequent kind first.
    pub fn by_kind(&self) -> Vec<KindSummary> {
        let mut kinds: HashMap<(Severity, Code), HashMap<Option<&PathBuf>, usize>> = HashMap::new();
        for d in &self.0 {
            *kinds
                .entry((d.severity, d.code))
                .or_default()
                .entry(d.file.as_ref())
                .or_default() += 1;
        }
        let mut out: Vec<KindSummary> = kinds
            .into_iter()
            .map(|((severity, code), files)| {
                let count = files.values().sum();
                let in_files = files.keys().filter(|f| f.is_some()).count();
                let mut files: Vec<(PathBuf, usize)> = files
                    .into_iter()
                    .filter_map(|(f, n)| Some((f?.clone(), n)))
                    .collect();
                files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                files.truncate(3);
                KindSummary {
                    code,
                    severity,
                    count,
                    files: in_files,
                    worst: files,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (a.severity, std::cmp::Reverse(a.count), a.code).cmp(&(
                b.severity,
                std::cmp::Reverse(b.count),
                b.code,
            ))
        });
        out
    }
}

/// How a run's diagnostics are shown in a terminal: every error, the first `max_warnings`
/// warnings, and, when there are many, a summary by kind that fits on one screen.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    diags: &'a Diagnostics,
    max_warnings: usize,
}

/// Warnings printed one by one unless `--max-warnings` says otherwise.
pub const DEFAULT_MAX_WARNINGS: usize = 20;

impl<'a> Report<'a> {
    /// A report of `diags` printing at most `max_warnings` warnings in full.
    pub fn new(diags: &'a Diagnostics, max_warnings: usize) -> Self {
        Self {
            diags,
            max_warnings,
        }
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = 0;
        let mut hidden = 0;
        for d in self.diags.iter() {
            if !d.is_error() {
                if shown == self.max_warnings {
                    hidden += 1;
                    continue;
                }
                shown += 1;
            }
            writeln!(f, "{d}")?;
        }
        if hidden > 0 {
            writeln!(
                f,
                "… and {} more warning(s) not shown: `--max-warnings N` prints more, `stacks check --format json` lists every one",
                thousands(hidden)
            )?;
        }
        let kinds = self.diags.by_kind();
        if hidden == 0 && self.diags.0.len() < 5 {
            return Ok(());
        }
        writeln!(f, "by kind:")?;
        let width = kinds
            .iter()
            .map(|k| thousands(k.count).len())
            .max()
            .unwrap_or(1);
        for k in kinds {
            let label = match k.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let worst: Vec<String> = k
                .worst
                .iter()
                .map(|(file, n)| format!("{} ({})", file.display(), thousands(*n)))
                .collect();
            write!(
                f,
                "  {:>width$} {label} {} ({})",
                thousands(k.count),
                k.code,
                k.code.describe()
            )?;
            match k.files {
                0 => writeln!(f)?,
                1 => writeln!(f, " in {}", worst.join(", "))?,
                n if k.count == n => writeln!(f, " in {} files", thousands(n))?,
                n => writeln!(
                    f,
                    " in {} files; most in {}",
                    thousands(n),
                    worst.join(", ")
                )?,
            }
        }
        Ok(())
    }
}

/// The closest of `candidates` to `wanted`, if any is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_hint() {
        let d = Diagnostic::error(Code::InvalidDate, "bad date")
            .in_file("content/a.md")
            .at(3, 7)
            .hint("use YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: bad date\n    hint: use YYYY-MM-DD"
        );
    }

    #[test]
    fn report_caps_warnings_and_sums_up_by_kind() {
        let mut diags = Diagnostics::new();
        for (file, n) in [("a.md", 3), ("b.md", 5), ("c.md", 1), ("d.md", 2)] {
            for line in 0..n {
                diags.push(
                    Diagnostic::warning(Code::BrokenLink, "link to `x` does not resolve")
                        .in_file(file)
                        .at(line + 1, 1),
                );
            }
        }
        diags.push(Diagnostic::error(Code::InvalidDate, "bad").in_file("e.md"));
        diags.push(Diagnostic::warning(Code::ForeignTemplate, "shortcode").in_file("a.md"));
        diags.sort();
        let text = Report::new(&diags, 2).to_string();
        assert_eq!(text.matches(": warning: ").count(), 2, "{text}");
        assert!(text.contains("e.md: error: bad"), "{text}");
        assert!(
            text.contains("… and 10 more warning(s) not shown"),
            "{text}"
        );
        let kinds: Vec<&str> = text.lines().skip_while(|l| *l != "by kind:").collect();
        assert_eq!(
            kinds,
            [
                "by kind:",
                "   1 error invalid-date (dates that cannot be read) in e.md (1)",
                "  11 warning broken-link (links to nothing) in 4 files; most in b.md (5), a.md (3), d.md (2)",
                "   1 warning foreign-template (template syntax from another generator) in a.md (1)",
            ]
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "base_url", "taxonomies"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("baseurl", keys), Some("base_url"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
