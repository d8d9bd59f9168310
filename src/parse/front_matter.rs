//! Front matter: the YAML between `---` lines at the top of a markdown file.
//!
//! Keys from Hugo, Jekyll and Zola keep their meaning (`summary`, `lastmod`, `authors`, …) so an
//! existing library builds unchanged; keys stacks does not know are kept in `extra` for themes
//! and never drop a page. Values are read leniently where the intent is clear (`tags: one` is one
//! tag) and strictly where a silent guess would publish something wrong (an impossible date).

use super::dates::{self, DATE_HINT, Date};
use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A markdown file cut into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_line: usize,
    /// The markdown after the front matter.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` into front matter and body. Blank lines before the opening `---` are allowed.
pub fn split(text: &str) -> Result<Split<'_>, (String, usize, &'static str)> {
    let lead = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let lead = text[..lead].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[lead..];
    let lead_lines = text[..lead].matches('\n').count();
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    if first_line == "+++" {
        return Err((
            "TOML front matter (+++) is not supported".into(),
            lead_lines + 1,
            "convert it to YAML between --- lines (key = \"v\" becomes key: v)",
        ));
    }
    if first_line != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = lead + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: Some(yaml),
                yaml_line: lead_lines + 2,
                body: &text[body_start..],
                body_line: text[..body_start].matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    Err((
        "front matter is never closed".into(),
        lead_lines + 1,
        "add a line with `---` after the last front-matter key",
    ))
}

/// A question and its answer, shown as the FAQ section and as schema.org `FAQPage`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Faq {
    /// The question.
    #[serde(alias = "question")]
    pub q: String,
    /// The answer.
    #[serde(alias = "answer")]
    pub a: String,
}

/// A source the article draws on.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct SourceRef {
    /// The publication's name.
    pub title: String,
    /// Where to read it.
    pub url: Option<String>,
}

/// A call to action shown after the article.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Cta {
    /// Button text.
    pub label: String,
    /// Where it leads.
    pub url: String,
    /// An optional sentence above the button.
    pub text: Option<String>,
}

/// A page's front matter, normalised across generator dialects.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontMatter {
    /// The title; `None` when the file has none (the model falls back to the first H1).
    pub title: Option<String>,
    /// One sentence for search results (`summary` in Hugo).
    pub description: Option<String>,
    /// First published.
    pub date: Option<Date>,
    /// Last substantially changed (`lastmod` in Hugo).
    pub updated: Option<Date>,
    /// `author` and `authors`, in that order.
    pub authors: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// The direct answer shown at the top of an article.
    pub answer: Option<String>,
    /// Questions and answers.
    pub faq: Vec<Faq>,
    /// Sources.
    pub sources: Vec<SourceRef>,
    /// Pinned related articles (slugs or paths).
    pub related: Vec<String>,
    /// Overrides the last segment of the URL.
    pub slug: Option<String>,
    /// Old URLs that should redirect here.
    pub aliases: Vec<String>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Sort order within a section (lower first).
    pub weight: i64,
    /// Call to action.
    pub cta: Option<Cta>,
    /// A template to render this page with instead of the default.
    pub template: Option<String>,
    /// Every other key, for themes and taxonomies such as `topics` or `categories`.
    pub extra: BTreeMap<String, Value>,
    /// The file line of each top-level key, so later stages can point at the value they judge.
    pub key_lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// The 1-based line of the file on which top-level `key` is written.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.key_lines.get(key).copied()
    }

    /// The values of a list-valued key: `tags`, `authors`, or any key in `extra` (`topics`,
    /// `categories`, `keywords`), where one string counts as a list of one.
    pub fn list(&self, key: &str) -> Vec<String> {
        match key {
            "tags" => self.tags.clone(),
            "authors" => self.authors.clone(),
            _ => match self.extra.get(key) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
                _ => Vec::new(),
            },
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar read as text: `title: 2024` is the title "2024".
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a text value")]
enum Text {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Text {
    fn into_string(self) -> String {
        match self {
            Text::Str(s) => s,
            Text::Int(i) => i.to_string(),
            Text::Float(f) => f.to_string(),
            Text::Bool(b) => b.to_string(),
        }
    }
}

/// One value or a list of values.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a text value or a list of text values")]
enum OneOrMany {
    One(Text),
    Many(Vec<Text>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(t) => vec![t.into_string()],
            OneOrMany::Many(v) => v.into_iter().map(Text::into_string).collect(),
        }
    }
}

/// Every key stacks reads itself, in every dialect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    title: Option<Text>,
    description: Option<Text>,
    summary: Option<Text>,
    date: Option<Text>,
    updated: Option<Text>,
    lastmod: Option<Text>,
    author: Option<OneOrMany>,
    authors: Option<OneOrMany>,
    tags: Option<OneOrMany>,
    answer: Option<Text>,
    faq: Vec<Faq>,
    sources: Vec<SourceRef>,
    related: Option<OneOrMany>,
    slug: Option<Text>,
    aliases: Option<OneOrMany>,
    draft: bool,
    weight: i64,
    cta: Option<Cta>,
    template: Option<String>,
}

const KNOWN_KEYS: [&str; 19] = [
    "title",
    "description",
    "summary",
    "date",
    "updated",
    "lastmod",
    "author",
    "authors",
    "tags",
    "answer",
    "faq",
    "sources",
    "related",
    "slug",
    "aliases",
    "draft",
    "weight",
    "cta",
    "template",
];

/// Parses the YAML of a front matter block that starts on line `yaml_line` of `file`.
/// Every problem found is returned; the front matter is usable when none is an error.
pub fn parse(yaml_text: &str, yaml_line: usize, file: &Path) -> (FrontMatter, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let located = |message: String, line: Option<usize>, col: Option<usize>| {
        Diagnostic::error(message).in_file(file).at(
            line.map_or(yaml_line, |l| l + yaml_line - 1),
            col.unwrap_or(1),
        )
    };
    let (raw, unknown): (Raw, Vec<String>) = match yaml::from_str_with_unknown(yaml_text) {
        Ok(r) => r,
        Err(e) => {
            let hint = if yaml_text.lines().any(|l| l.starts_with('\t')) {
                "indent YAML with spaces; tabs are not allowed"
            } else {
                "check quotes, colons and indentation; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `@`"
            };
            diags.push(
                located(
                    format!("invalid front matter: {}", e.message),
                    e.line,
                    e.col,
                )
                .hint(hint),
            );
            return (FrontMatter::default(), diags);
        }
    };
    let mut date_of = |key: &str, value: Option<Text>| -> Option<Date> {
        let text = value?.into_string();
        match dates::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                let line = yaml::key_line(yaml_text, key);
                diags.push(located(format!("`{key}`: {e}"), line, Some(1)).hint(DATE_HINT));
                None
            }
        }
    };
    let date = date_of("date", raw.date);
    let updated = match raw.updated {
        Some(u) => date_of("updated", Some(u)),
        None => date_of("lastmod", raw.lastmod),
    };
    let mut authors = raw.author.map(OneOrMany::into_vec).unwrap_or_default();
    authors.extend(raw.authors.map(OneOrMany::into_vec).unwrap_or_default());
    authors.dedup();
    // Keys stacks does not read go to `extra`; reading the YAML a second time for them is only
    // worth it when the first reading met some.
    let entries = if unknown.is_empty() {
        Ok(Vec::new())
    } else {
        yaml::top_level_entries(yaml_text)
    };
    let extra = match entries {
        Ok(entries) => entries
            .into_iter()
            .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()))
            .collect(),
        Err(e) => {
            diags.push(
                located(
                    format!("invalid front matter: {}", e.message),
                    e.line,
                    e.col,
                )
                .hint(
                    "remove the YAML anchors and aliases (`&name`, `*name`) from this front matter",
                ),
            );
            BTreeMap::new()
        }
    };
    let text = |t: Option<Text>| t.map(Text::into_string).filter(|s| !s.trim().is_empty());
    let fm = FrontMatter {
        title: text(raw.title),
        description: text(raw.description).or_else(|| text(raw.summary)),
        date,
        updated,
        authors,
        tags: raw.tags.map(OneOrMany::into_vec).unwrap_or_default(),
        answer: text(raw.answer),
        faq: raw.faq,
        sources: raw.sources,
        related: raw.related.map(OneOrMany::into_vec).unwrap_or_default(),
        slug: text(raw.slug),
        aliases: raw.aliases.map(OneOrMany::into_vec).unwrap_or_default(),
        draft: raw.draft,
        weight: raw.weight,
        cta: raw.cta,
        template: raw.template,
        extra,
        key_lines: key_lines(yaml_text, yaml_line),
    };
    (fm, diags)
}

/// Lines of top-level keys: a line that starts with a letter or quote and has `:`.
fn key_lines(yaml_text: &str, first_line: usize) -> BTreeMap<String, usize> {
    yaml_text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '\''))
        .filter_map(|(i, l)| {
            let key = l.split(':').next()?.trim().trim_matches(['"', '\'']);
            Some((key.to_string(), first_line + i))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_after_blank_lines() {
        let s = split("\n\n---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("title: a\n"));
        assert_eq!(s.yaml_line, 4);
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn split_without_front_matter_is_all_body() {
        let s = split("# Hi\n").unwrap();
        assert_eq!((s.yaml, s.body), (None, "# Hi\n"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_its_first_line() {
        let (msg, line, _) = split("---\ntitle: a\nbody").unwrap_err();
        assert!(msg.contains("never closed"));
        assert_eq!(line, 1);
    }

    #[test]
    fn hugo_keys_map_to_stacks_keys() {
        let yaml = "title: T\nsummary: S\nlastmod: 2023-03-01\ndate: 2023-02-24 9:28:00 -0500\nauthors: [A, B]\nexpirydate: 2030-01-01\ncategories: [x]\n";
        let (fm, d) = parse(yaml, 2, Path::new("a.md"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.description.as_deref(), Some("S"));
        assert_eq!(fm.updated.unwrap().ymd(), "2023-03-01");
        assert_eq!(fm.authors, vec!["A", "B"]);
        assert!(fm.extra.contains_key("expirydate"));
        assert_eq!(fm.list("categories"), vec!["x"]);
    }

    #[test]
    fn one_string_is_one_tag() {
        let (fm, d) = parse("tags: one string\n", 2, Path::new("a.md"));
        assert!(d.is_empty());
        assert_eq!(fm.tags, vec!["one string"]);
    }

    #[test]
    fn errors_point_at_the_file_line() {
        let (_, d) = parse("title: a\ndate: 2026-13-45\n", 2, Path::new("a.md"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (Some(3), Some(1)));
        let (_, d) = parse("title: a\ntags: [a, b\n", 2, Path::new("a.md"));
        assert_eq!(d.len(), 1);
        assert!(d[0].line.unwrap() >= 3, "{:?}", d[0]);
        let (_, d) = parse("title: a\n\tdate: x\n", 2, Path::new("a.md"));
        assert!(d[0].hint.as_deref().unwrap().contains("tabs"));
    }
}
