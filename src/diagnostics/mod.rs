//! Errors and warnings collected across a whole run.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of stopping at the first one, so that
//! one run names every broken file. A diagnostic points at a file (relative to the site root), a
//! 1-based line and column where known, and carries a hint that says what to do about it.

mod code;
mod report;

pub use code::Code;
pub use report::{DEFAULT_MAX_WARNINGS, KindSummary, Report, thousands};

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
}

/// One problem found in the input, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// A collection of diagnostics gathered by a stage or a whole run: the one sink every stage
/// reports into (`&mut Diagnostics`). Work done in parallel fills one per item and appends
/// them; an operation that fails as a whole with one problem returns `Result<_, Diagnostic>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostic at position `i`, to amend it (a hint found later).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Diagnostic> {
        self.0.get_mut(i)
    }

    /// The same diagnostics, every one an error when `strict` (for `links.strict`).
    pub fn into_errors_if(self, strict: bool) -> Self {
        if strict {
            Self(self.0.into_iter().map(Diagnostic::into_error).collect())
        } else {
            self
        }
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

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
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
    fn closest_finds_typos_only() {
        let keys = ["title", "base_url", "taxonomies"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("baseurl", keys), Some("base_url"));
        assert_eq!(closest("zzzzzz", keys), None);
    }
}
