//! Front matter: the YAML, TOML or JSON block at the top of a content file.
//!
//! Keys are read as Hugo reads them, and Jekyll's and Eleventy's keep their meaning too, so an
//! existing library builds unchanged: names are case-insensitive (`publishDate`), a key written
//! twice takes its last value (with a warning naming both lines), an empty value means "unset",
//! and `summary`, `lastmod`, `redirect_from`, `published: false`, `params:`, `build:` and
//! `cascade:` mean what they mean there. Keys stacks does not know are kept in `extra` for themes
//! and never drop a page. Values are read leniently where the intent is clear (`tags: one` is one
//! tag) and strictly where a silent guess would publish something wrong (an impossible date).

mod cascade;
mod formats;
mod read;
mod split;

pub use formats::{Entry, ReadError, entries};
pub use split::{Block, Format, Split, SplitError, split};

use read::Reader;

use super::dates::Date;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::yaml::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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

/// Whether a file is one of the library's articles or a standalone page (about, contact, a
/// policy), which never appears in related reading, feeds or latest lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An article (`type: article` or `post`).
    Article,
    /// A standalone page (`type: page` or `layout: page`).
    Page,
}

/// Where a page is listed (Hugo's `build.list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Listing {
    /// In every list: its section, taxonomies, feeds, related reading.
    Always,
    /// Only in its own section's list.
    Local,
    /// In no list; the page is still written and linkable.
    Never,
}

/// Whether a page is written (Hugo's `build.render`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Render {
    /// Written.
    Always,
    /// Not written: a snippet or data file that is not a page.
    Never,
}

/// Hugo's `build:` (or `_build:`, or `headless: true`) options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildSettings {
    /// Where the page is listed; unset means always.
    pub list: Option<Listing>,
    /// Whether it is written; unset means always.
    pub render: Option<Render>,
}

/// Which pages a `cascade` entry applies to (Hugo's `target`, or `_target`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeTarget {
    /// A glob over the page's path in the content tree, from `/`, without extension
    /// (`/blog/**`).
    pub path: Option<String>,
    /// A glob over the kind: `page`, `section` or `home`.
    pub kind: Option<String>,
    /// A glob over the environment: `production` for builds.
    pub environment: Option<String>,
}

/// Front matter passed down to every page below a section (or matching `target`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cascade {
    /// Which pages it applies to; `None` is every page below.
    pub target: Option<CascadeTarget>,
    /// The values, applied to a page only where the page sets none of its own.
    pub front: FrontMatter,
}

/// A page's front matter, normalised across generator dialects.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FrontMatter {
    /// The title; `None` when the file has none (the model falls back to the first H1).
    pub title: Option<String>,
    /// One sentence for search results and link previews.
    pub description: Option<String>,
    /// A summary for cards and feeds (`summary`, Jekyll's `excerpt`, `deck`).
    pub summary: Option<String>,
    /// First published (`date`, else Hugo's publish date, else `lastmod`).
    pub date: Option<Date>,
    /// Last substantially changed (`updated`, `lastmod` or `modified`).
    pub updated: Option<Date>,
    /// Not built before this moment (`publishDate`, `pubdate`, `published`).
    pub publish_date: Option<Date>,
    /// Not built after this moment (`expiryDate`, `unpublishdate`).
    pub expiry_date: Option<Date>,
    /// `author` and `authors`, in that order.
    pub authors: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `keywords`, for the `<meta name="keywords">` tag (a comma-separated string is a list).
    pub keywords: Vec<String>,
    /// The direct answer shown at the top of an article.
    pub answer: Option<String>,
    /// Questions and answers.
    pub faq: Vec<Faq>,
    /// Sources.
    pub sources: Vec<SourceRef>,
    /// Pinned related articles (slugs or paths).
    pub related: Vec<String>,
    /// Overrides the last part of the URL; a `/` in it makes folders, as in Hugo.
    pub slug: Option<String>,
    /// Hugo's `url`: the page's whole path on the site.
    pub url: Option<String>,
    /// Jekyll's and Eleventy's `permalink`: the page's path, or a pattern of `:tokens`.
    pub permalink: Option<String>,
    /// Old URLs that should redirect here (`aliases`, `alias`, `redirect_from`).
    pub aliases: Vec<String>,
    /// Jekyll's `redirect_to`: the page is a redirect to this URL instead of its text.
    pub redirect_to: Option<String>,
    /// Drafts are built only with `--drafts` (`draft: true`, or Jekyll's `published: false`).
    pub draft: bool,
    /// Sort order within a section (lower first).
    pub weight: i64,
    /// Call to action.
    pub cta: Option<Cta>,
    /// `cta: false`: no call to action, not even the site's.
    pub no_cta: bool,
    /// A template to render this page with instead of the default.
    pub template: Option<String>,
    /// Article or standalone page, from `type` or `layout`; `None` lets the model decide.
    pub role: Option<Role>,
    /// Hugo's build options.
    pub build: BuildSettings,
    /// Front matter for the pages below (only read in sections).
    pub cascade: Vec<Cascade>,
    /// Every other key, for themes and taxonomies such as `topics` or `categories`; Hugo's
    /// `params:` are merged in.
    #[serde(with = "crate::yaml::as_json_text")]
    pub extra: BTreeMap<String, Value>,
    /// The file line of each key (known keys by their name in lower case, others as written),
    /// so later stages can point at the value they judge.
    pub key_lines: BTreeMap<String, usize>,
    /// Known keys whose value came from a cascade.
    pub inherited: BTreeSet<String>,
}

impl FrontMatter {
    /// The 1-based line of the file on which top-level `key` is written.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.key_lines.get(key).copied()
    }

    /// Whether the page sets `key` (a known key in lower case), itself or through a cascade.
    pub fn is_set(&self, key: &str) -> bool {
        self.key_lines.contains_key(key) || self.inherited.contains(key)
    }

    /// The values of a list-valued key: `tags`, `authors`, `keywords`, or any key in `extra`
    /// (`topics`, `categories`), where one string counts as a list of one. Jekyll's singular
    /// `category` counts as a category.
    pub fn list(&self, key: &str) -> Vec<String> {
        match key {
            "tags" => self.tags.clone(),
            "authors" => self.authors.clone(),
            "keywords" => self.keywords.clone(),
            // Jekyll splits a string of categories on spaces, for URLs such as
            // `/product/news/2024/…`; `category` is one.
            "categories" => {
                let mut values = match self.extra.get(key) {
                    Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
                    other => list_of(other),
                };
                values.extend(list_of(self.extra.get("category")));
                values
            }
            _ => list_of(self.extra.get(key)),
        }
    }

    /// Fills every key this front matter leaves unset from `parent` (a cascade).
    pub fn inherit(&mut self, parent: &FrontMatter) {
        macro_rules! take {
            ($($key:literal => $field:ident),* $(,)?) => {
                $(
                    if parent.is_set($key) && !self.is_set($key) {
                        self.$field = parent.$field.clone();
                        self.inherited.insert($key.to_string());
                    }
                )*
            };
        }
        take!(
            "title" => title, "description" => description, "summary" => summary,
            "date" => date, "updated" => updated, "publishdate" => publish_date,
            "expirydate" => expiry_date, "authors" => authors, "tags" => tags,
            "keywords" => keywords, "answer" => answer, "faq" => faq, "sources" => sources,
            "related" => related, "slug" => slug, "url" => url, "permalink" => permalink,
            "redirect_to" => redirect_to, "draft" => draft, "weight" => weight, "cta" => cta,
            "template" => template, "type" => role,
        );
        if parent.is_set("build") {
            self.build.list = self.build.list.or(parent.build.list);
            self.build.render = self.build.render.or(parent.build.render);
            self.inherited.insert("build".into());
        }
        for (k, v) in &parent.extra {
            self.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

fn list_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(v) => scalar_text(v).into_iter().collect(),
        None => Vec::new(),
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

/// Parses the front matter `block` of `file`, reporting every problem into `diags`; the front
/// matter is usable when none is an error.
pub fn parse(block: &Block, file: &Path, diags: &mut Diagnostics) -> FrontMatter {
    match entries(block) {
        Ok(entries) => Reader::new(file, diags).read(entries, true),
        Err(e) => {
            let hint = match block.format {
                Format::Yaml if block.text.lines().any(|l| l.starts_with('\t')) => {
                    "indent YAML with spaces; tabs are not allowed"
                }
                Format::Yaml => {
                    "check quotes, colons and indentation; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `@`"
                }
                Format::Toml => "check quotes and `=` signs; each key may be written only once",
                Format::Json => "check commas, quotes and braces",
            };
            diags.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("invalid front matter: {}", e.message),
                )
                .in_file(file)
                .at(e.line, e.col)
                .hint(hint),
            );
            FrontMatter::default()
        }
    }
}

/// Reads a front matter from a cascade value in `site.yaml` (or any other mapping) that starts
/// on line `line` of `file`.
pub fn cascades_from(
    value: &Value,
    file: &Path,
    line: usize,
    diags: &mut Diagnostics,
) -> Vec<Cascade> {
    Reader::new(file, diags).cascades(value, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: Format, text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let mut diags = Diagnostics::new();
        let front = parse(
            &Block {
                format,
                text,
                line: 2,
            },
            Path::new("a.md"),
            &mut diags,
        );
        diags.sort();
        (front, diags.into_iter().collect())
    }

    fn yaml(text: &str) -> (FrontMatter, Vec<Diagnostic>) {
        read(Format::Yaml, text)
    }

    #[test]
    fn hugo_keys_map_to_stacks_keys() {
        let (fm, d) = yaml(
            "title: T\nsummary: S\nlastmod: 2023-03-01\ndate: 2023-02-24 9:28:00 -0500\nauthors: [A, B]\nexpiryDate: 2030-01-01\ncategories: [x]\nkeywords: [k]\nparams:\n  color: red\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.summary.as_deref(), Some("S"));
        assert_eq!(fm.updated.unwrap().ymd(), "2023-03-01");
        assert_eq!(fm.authors, vec!["A", "B"]);
        assert_eq!(fm.expiry_date.unwrap().ymd(), "2030-01-01");
        assert_eq!(fm.list("categories"), vec!["x"]);
        assert_eq!(fm.list("keywords"), vec!["k"]);
        assert_eq!(fm.extra["color"], "red");
        assert_eq!(fm.line_of("date"), Some(5));
    }

    #[test]
    fn keys_are_case_insensitive_and_the_last_one_wins() {
        let (fm, d) = yaml("Title: A\npublishDate: 2024-01-02\ntitle: B\n");
        assert_eq!(fm.title.as_deref(), Some("B"));
        assert_eq!(fm.publish_date.unwrap().ymd(), "2024-01-02");
        assert_eq!(
            fm.date.unwrap().ymd(),
            "2024-01-02",
            "Hugo's date falls back to the publish date"
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::DuplicateKey);
        assert_eq!(d[0].line, Some(4));
        assert!(d[0].message.contains("lines 2 and 4"), "{}", d[0].message);
        assert!(!d[0].hint.as_deref().unwrap().contains("anchor"));
    }

    #[test]
    fn empty_values_are_unset() {
        let (fm, d) = yaml("title: T\nweight:\ndate:\ntags:\ndescription: \"\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!((fm.weight, fm.date, fm.tags.len()), (0, None, 0));
        assert!(fm.description.is_none());
        assert!(!fm.is_set("weight"));
    }

    #[test]
    fn jekyll_keys() {
        let (fm, d) = yaml(
            "published: false\nredirect_from:\n  - /old/\nexcerpt: E\npermalink: /about/\nlayout: page\nauthor:\n  name: Ann\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(fm.draft);
        assert_eq!(fm.aliases, vec!["/old/"]);
        assert_eq!(fm.summary.as_deref(), Some("E"));
        assert_eq!(fm.permalink.as_deref(), Some("/about/"));
        assert_eq!(fm.role, Some(Role::Page));
        assert_eq!(fm.extra["layout"], "page");
        assert_eq!(fm.authors, vec!["Ann"]);
        let (fm, _) = yaml("permalink: false\n");
        assert_eq!(fm.build.render, Some(Render::Never));
    }

    #[test]
    fn build_options_and_cascade() {
        let (fm, d) = yaml(
            "cascade:\n  build:\n    list: never\n    render: never\n  tags: [x]\n_build:\n  list: local\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.build.list, Some(Listing::Local));
        assert_eq!(fm.cascade.len(), 1);
        let c = &fm.cascade[0];
        assert_eq!(c.front.build.render, Some(Render::Never));
        assert_eq!(c.front.tags, vec!["x"]);
        let mut page = FrontMatter::default();
        page.inherit(&c.front);
        assert_eq!(page.tags, vec!["x"]);
        assert_eq!(page.build.list, Some(Listing::Never));
        let (fm, _) = yaml(
            "cascade:\n  - target:\n      path: /blog/**\n    type: page\n  - _target: {kind: section}\n    weight: 3\n",
        );
        assert_eq!(fm.cascade.len(), 2);
        assert_eq!(
            fm.cascade[0].target.as_ref().unwrap().path.as_deref(),
            Some("/blog/**")
        );
        assert_eq!(fm.cascade[0].front.role, Some(Role::Page));
        assert_eq!(fm.cascade[1].front.weight, 3);
        let mut own = yaml("weight: 1\n").0;
        own.inherit(&fm.cascade[1].front);
        assert_eq!(own.weight, 1, "the page's own value wins");
    }

    #[test]
    fn toml_and_json_front_matter() {
        let (fm, d) = read(
            Format::Toml,
            "title = \"T\"\ndate = 2024-01-12T09:00:00-05:00\ntags = [\"a\"]\n[params]\nx = 1\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.date.unwrap().rfc3339(), "2024-01-12T14:00:00Z");
        assert_eq!(fm.extra["x"], 1);
        let (fm, d) = read(Format::Json, "{\"title\": \"J\", \"draft\": true}");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("J"));
        assert!(fm.draft);
    }

    #[test]
    fn one_string_is_one_tag_and_keywords_split_on_commas() {
        let (fm, d) = yaml("tags: one string\nkeywords: voluntary, donation,leave\n");
        assert!(d.is_empty());
        assert_eq!(fm.tags, vec!["one string"]);
        assert_eq!(fm.keywords, vec!["voluntary", "donation", "leave"]);
    }

    #[test]
    fn errors_point_at_the_file_line() {
        let (_, d) = yaml("title: a\ndate: 2026-13-45\n");
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].line, d[0].col, d[0].code),
            (Some(3), Some(1), Code::InvalidDate)
        );
        let (_, d) = yaml("title: a\ntags: [a, b\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].line.unwrap() >= 3, "{:?}", d[0]);
        let (_, d) = yaml("title: a\n\tdate: x\n");
        assert!(d[0].hint.as_deref().unwrap().contains("tabs"));
        let (_, d) = yaml("title: a\nfaq: just text\nweight: heavy\n");
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(
            lines,
            [(Some(3), Code::InvalidValue), (Some(4), Code::InvalidValue)]
        );
    }
}
