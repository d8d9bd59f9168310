//! What a run prints at the end: errors in full, warnings up to a limit, and a summary by kind
//! that fits on one screen however many thousands there are.

use super::{Code, Diagnostics, Severity};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

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
}
