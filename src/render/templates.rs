//! The tera engine loaded with the theme, and tera errors turned into diagnostics.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::load::Template;
use std::collections::HashMap;
use std::path::PathBuf;
use tera::{ErrorKind, Kwargs, State, Tera};

/// Tera with the theme's templates, and where each template came from.
pub struct Engine {
    /// The compiled templates.
    pub tera: Tera,
    origins: HashMap<String, PathBuf>,
    /// A hash of every template and of what every template sees (`site`), with this build of
    /// stacks: what all pages are made from besides their own variables.
    pub(crate) fingerprint: blake3::Hash,
}

impl Engine {
    /// Compiles every template. On failure, every template with a syntax error is reported.
    pub fn new(templates: &[Template]) -> Result<Self, Diagnostics> {
        let origins: HashMap<String, PathBuf> = templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let mut tera = Tera::new();
        // Social cards are SVG: their text is escaped as in HTML and XML templates.
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.register_filter("thousands", thousands);
        let mut h = blake3::Hasher::new();
        h.update(crate::cache::BUILD_ID.as_bytes());
        let mut sorted: Vec<&Template> = templates.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for t in sorted {
            for part in [&t.name, &t.text] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
        }
        let fingerprint = h.finalize();
        let all = templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            let engine = Self {
                tera: Tera::new(),
                origins,
                fingerprint,
            };
            let mut diags: Diagnostics = templates
                .iter()
                .filter_map(|t| {
                    let mut alone = Tera::new();
                    match alone.add_raw_template(&t.name, &t.text) {
                        Err(e) if matches!(e.kind(), ErrorKind::SyntaxError(_)) => {
                            Some(engine.diagnostic(&e, None))
                        }
                        _ => None,
                    }
                })
                .collect::<Vec<Diagnostic>>()
                .into();
            if diags.is_empty() {
                diags.push(engine.diagnostic(&e, None));
            }
            return Err(diags);
        }
        Ok(Self {
            tera,
            origins,
            fingerprint,
        })
    }

    /// Adds `value`, which every template sees, to the engine's fingerprint.
    pub(crate) fn fingerprint_also<T: serde::Serialize>(&mut self, value: &T) {
        let mut h = blake3::Hasher::new();
        h.update(self.fingerprint.as_bytes());
        h.update(&serde_json::to_vec(value).unwrap_or_default());
        self.fingerprint = h.finalize();
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A diagnostic for a tera error, pointing at the template file and line; `page` names the
    /// page being rendered, if any.
    pub fn diagnostic(&self, e: &tera::Error, page: Option<&str>) -> Diagnostic {
        let context = page
            .map(|p| format!(" while rendering {p}"))
            .unwrap_or_default();
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let origin = self
                    .origins
                    .get(r.filename())
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(r.filename()));
                let hint = if r.message().contains("not found in context")
                    || r.message().contains("undefined")
                {
                    "guard optional values with `{% if x is defined %}` or `x | default(value=…)`"
                } else {
                    "see the template syntax at https://keats.github.io/tera/"
                };
                Diagnostic::error(
                    Code::Template,
                    format!("template error{context}: {}", r.message()),
                )
                .in_file(origin)
                .at(r.span().start_line, r.span().start_col + 1)
                .hint(hint)
            }
            ErrorKind::TemplateNotFound(name) | ErrorKind::MissingParent { parent: name, .. } => {
                Diagnostic::error(
                    Code::Template,
                    format!("template `{name}` not found{context}"),
                )
                .hint(format!("add templates/{name} to the site or the theme"))
            }
            other => Diagnostic::error(Code::Template, format!("template error{context}: {other}"))
                .hint("check the theme's templates"),
        }
    }
}

/// The `thousands` filter: a whole number with its digits grouped by threes (`2316` becomes
/// `2,316`), as readers expect a word count to read.
fn thousands(value: i64, _: Kwargs, _: &State) -> String {
    group_thousands(value)
}

fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits_by_three() {
        let t = super::group_thousands;
        assert_eq!(t(0), "0");
        assert_eq!(t(999), "999");
        assert_eq!(t(2316), "2,316");
        assert_eq!(t(1_234_567), "1,234,567");
        assert_eq!(t(-1000), "-1,000");
    }
}
