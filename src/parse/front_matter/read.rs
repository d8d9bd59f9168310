//! Reading entries into a [`FrontMatter`]: which keys mean what, in every dialect, and how each
//! value is read.

use super::{
    BuildSettings, Cta, Entry, Faq, FrontMatter, Listing, Render, Role, SourceRef, scalar_text,
};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::parse::dates::{self, DATE_HINT, Date};
use crate::yaml::Value;
use std::collections::HashMap;
use std::path::Path;

/// Interprets entries, reporting into `diags`.
pub(super) struct Reader<'a> {
    file: &'a Path,
    diags: &'a mut Diagnostics,
}

/// The entries of the known keys, by name, each taken once as it is read.
struct Known<'k>(HashMap<&'k str, Vec<Entry>>);

impl Known<'_> {
    /// Every entry of `name` (its spellings, most preferred first).
    fn all(&mut self, name: &str) -> Vec<Entry> {
        self.0.remove(name).unwrap_or_default()
    }

    /// The first entry of `name` that has a value.
    fn first(&mut self, name: &str) -> Option<Entry> {
        self.all(name).into_iter().find(|e| !e.value.is_null())
    }
}

/// Known keys, each with the spellings that mean it, most preferred first.
pub(super) const KEYS: &[(&str, &[&str])] = &[
    ("title", &["title"]),
    ("description", &["description"]),
    ("summary", &["summary", "excerpt", "deck"]),
    ("date", &["date"]),
    ("updated", &["updated", "lastmod", "modified"]),
    ("publishdate", &["publishdate", "pubdate", "published"]),
    ("expirydate", &["expirydate", "unpublishdate"]),
    ("authors", &["author", "authors"]),
    ("tags", &["tags"]),
    ("keywords", &["keywords"]),
    ("answer", &["answer"]),
    ("faq", &["faq"]),
    ("sources", &["sources"]),
    ("related", &["related"]),
    ("slug", &["slug"]),
    ("url", &["url"]),
    ("permalink", &["permalink"]),
    ("aliases", &["aliases", "alias", "redirect_from"]),
    ("redirect_to", &["redirect_to"]),
    ("draft", &["draft"]),
    ("weight", &["weight"]),
    ("cta", &["cta"]),
    ("template", &["template"]),
    ("type", &["type", "layout"]),
    ("build", &["build", "_build", "headless"]),
    ("cascade", &["cascade"]),
    ("params", &["params"]),
];

/// Keys read for their meaning that themes may still want as written (`layout`, `type`).
const ALSO_EXTRA: &[&str] = &["type", "layout"];

impl<'a> Reader<'a> {
    pub(super) fn new(file: &'a Path, diags: &'a mut Diagnostics) -> Self {
        Self { file, diags }
    }

    pub(super) fn invalid(&mut self, code: Code, message: String, line: usize, hint: &str) {
        self.diags.push(
            Diagnostic::error(code, message)
                .in_file(self.file)
                .at(line, 1)
                .hint(hint),
        );
    }

    pub(super) fn read(&mut self, entries: Vec<Entry>, top: bool) -> FrontMatter {
        // Last one wins, as Hugo reads a key written twice; names are case-insensitive.
        let mut by_key: HashMap<String, Entry> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for e in entries {
            let lower = e.key.to_lowercase();
            if let Some(first) = by_key.get(&lower) {
                self.diags.push(
                    Diagnostic::warning(
                        Code::DuplicateKey,
                        format!(
                            "`{}` is written twice, on lines {} and {}; the last one is used",
                            e.key, first.line, e.line
                        ),
                    )
                    .in_file(self.file)
                    .at(e.line, 1)
                    .hint("remove the line you do not mean"),
                );
            } else {
                order.push(lower.clone());
            }
            by_key.insert(lower, e);
        }
        let mut fm = FrontMatter::default();
        let mut known: HashMap<&'static str, Vec<Entry>> = HashMap::new();
        for (name, spellings) in KEYS {
            for s in *spellings {
                let keep = ALSO_EXTRA.contains(s);
                let found = if keep {
                    by_key.get(*s).cloned()
                } else {
                    by_key.remove(*s)
                };
                if let Some(e) = found {
                    known.entry(name).or_default().push(Entry {
                        key: s.to_string(),
                        ..e
                    });
                }
            }
        }
        for lower in &order {
            if let Some(e) = by_key.remove(lower) {
                fm.key_lines.insert(e.key.clone(), e.line);
                fm.extra.insert(e.key, e.value);
            }
        }
        for (name, found) in &known {
            if let Some(first) = found.iter().find(|e| !e.value.is_null()) {
                fm.key_lines.insert(name.to_string(), first.line);
            }
        }
        self.interpret(&mut fm, known, top);
        fm
    }

    fn interpret(&mut self, fm: &mut FrontMatter, known: HashMap<&str, Vec<Entry>>, top: bool) {
        let mut known = Known(known);
        self.texts(fm, &mut known);
        self.dates(fm, &mut known);
        self.lists(fm, &mut known);
        self.structures(fm, &mut known);
        if let Some(e) = known.first("cascade")
            && top
        {
            fm.cascade = self.cascades(&e.value, e.line);
        }
    }

    fn texts(&mut self, fm: &mut FrontMatter, known: &mut Known) {
        fm.title = known.first("title").and_then(|e| self.text(&e));
        fm.description = known.first("description").and_then(|e| self.text(&e));
        fm.summary = known.first("summary").and_then(|e| self.text(&e));
        fm.answer = known.first("answer").and_then(|e| self.text(&e));
        fm.slug = known.first("slug").and_then(|e| self.text(&e));
        fm.url = known.first("url").and_then(|e| self.text(&e));
        fm.template = known.first("template").and_then(|e| self.text(&e));
        fm.redirect_to = known.first("redirect_to").and_then(|e| self.text(&e));
        fm.role = known
            .first("type")
            .and_then(|e| match e.value.as_str().map(str::to_lowercase) {
                Some(t) if t == "page" => Some(Role::Page),
                Some(t) if t == "article" || t == "post" || t == "posts" => Some(Role::Article),
                _ => None,
            });
        if let Some(e) = known.first("permalink") {
            match e.value {
                Value::Bool(false) => fm.build.render = Some(Render::Never),
                _ => fm.permalink = self.text(&e),
            }
        }
    }

    /// Dates, and whether the page is a draft (Jekyll's `published: false` shares a key with
    /// Hugo's publish date).
    fn dates(&mut self, fm: &mut FrontMatter, known: &mut Known) {
        fm.updated = known.first("updated").and_then(|e| self.date(&e));
        fm.expiry_date = known.first("expirydate").and_then(|e| self.date(&e));
        let mut draft = known.first("draft").and_then(|e| self.flag(&e));
        for e in known.all("publishdate") {
            match (&e.value, e.key.as_str()) {
                (Value::Null, _) => {}
                (Value::Bool(b), "published") => draft = draft.or(Some(!b)),
                _ if fm.publish_date.is_none() => fm.publish_date = self.date(&e),
                _ => {}
            }
        }
        fm.draft = draft.unwrap_or(false);
        fm.date = match known.first("date") {
            Some(e) => self.date(&e),
            None => fm.publish_date.or(fm.updated),
        };
        if fm.key_lines.contains_key("publishdate") && fm.publish_date.is_none() {
            fm.key_lines.remove("publishdate");
        }
    }

    fn lists(&mut self, fm: &mut FrontMatter, known: &mut Known) {
        for e in known.all("authors") {
            fm.authors.extend(self.people(&e));
        }
        fm.authors.dedup();
        fm.tags = known
            .first("tags")
            .map(|e| self.list(&e))
            .unwrap_or_default();
        fm.keywords = known
            .first("keywords")
            .map(|e| match &e.value {
                Value::String(s) => s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                _ => self.list(&e),
            })
            .unwrap_or_default();
        fm.related = known
            .first("related")
            .map(|e| self.list(&e))
            .unwrap_or_default();
        for e in known.all("aliases") {
            fm.aliases.extend(self.list(&e));
        }
    }

    fn structures(&mut self, fm: &mut FrontMatter, known: &mut Known) {
        fm.weight = known
            .first("weight")
            .and_then(|e| self.number(&e))
            .unwrap_or(0);
        fm.faq = known.first("faq").map(|e| self.faq(&e)).unwrap_or_default();
        fm.sources = known
            .first("sources")
            .map(|e| self.sources(&e))
            .unwrap_or_default();
        match known.first("cta") {
            Some(e) if matches!(e.value, Value::Bool(false)) => fm.no_cta = true,
            Some(e) => {
                fm.cta = self.typed::<Cta>(&e, "a mapping with `label` and `url`, or `false`");
            }
            None => {}
        }
        for e in known.all("build") {
            self.build(&e, &mut fm.build);
        }
        if let Some(e) = known.first("params") {
            match e.value {
                Value::Object(params) => {
                    for (k, v) in params {
                        fm.key_lines.entry(k.clone()).or_insert(e.line);
                        fm.extra.entry(k).or_insert(v);
                    }
                }
                _ => self.invalid(
                    Code::InvalidValue,
                    "`params` is not a mapping".into(),
                    e.line,
                    "write theme values under `params:` as `key: value` lines",
                ),
            }
        }
    }

    fn text(&mut self, e: &Entry) -> Option<String> {
        match &e.value {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                self.invalid(
                    Code::InvalidValue,
                    format!("`{}` should be text, not a list or mapping", e.key),
                    e.line,
                    "write the value on the key's line, in quotes if it contains `: `",
                );
                None
            }
        }
    }

    fn list(&mut self, e: &Entry) -> Vec<String> {
        match &e.value {
            Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
            Value::Null => Vec::new(),
            Value::Object(_) => {
                self.invalid(
                    Code::InvalidValue,
                    format!("`{}` should be a list, not a mapping", e.key),
                    e.line,
                    "write it as [a, b] or as lines starting with `- `",
                );
                Vec::new()
            }
            v => scalar_text(v).into_iter().collect(),
        }
    }

    /// Authors as names: a string, a list, or Jekyll's `{name: …}` mappings.
    fn people(&mut self, e: &Entry) -> Vec<String> {
        let name = |v: &Value| match v {
            Value::Object(m) => m.get("name").and_then(scalar_text),
            v => scalar_text(v),
        };
        match &e.value {
            Value::Array(items) => items.iter().filter_map(name).collect(),
            v => name(v).into_iter().collect(),
        }
    }

    fn flag(&mut self, e: &Entry) -> Option<bool> {
        match &e.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim().to_lowercase().as_str() {
                "true" | "yes" | "on" => Some(true),
                "false" | "no" | "off" | "" => Some(false),
                _ => {
                    self.invalid(
                        Code::InvalidValue,
                        format!("`{}: {s}` is neither true nor false", e.key),
                        e.line,
                        "write `true` or `false`",
                    );
                    None
                }
            },
            _ => None,
        }
    }

    fn number(&mut self, e: &Entry) -> Option<i64> {
        let n = match &e.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        if n.is_none() {
            self.invalid(
                Code::InvalidValue,
                format!("`{}: {}` is not a whole number", e.key, e.value),
                e.line,
                "write a whole number such as `10`, or leave the value empty",
            );
        }
        n
    }

    fn date(&mut self, e: &Entry) -> Option<Date> {
        let text = match &e.value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        match dates::parse(&text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.invalid(
                    Code::InvalidDate,
                    format!("`{}`: {why}", e.key),
                    e.line,
                    DATE_HINT,
                );
                None
            }
        }
    }

    fn typed<T: serde::de::DeserializeOwned>(&mut self, e: &Entry, shape: &str) -> Option<T> {
        match serde_json::from_value(e.value.clone()) {
            Ok(v) => Some(v),
            Err(err) => {
                self.invalid(
                    Code::InvalidValue,
                    format!("`{}` is not {shape}: {err}", e.key),
                    e.line,
                    &format!("write `{}` as {shape}", e.key),
                );
                None
            }
        }
    }

    fn faq(&mut self, e: &Entry) -> Vec<Faq> {
        self.typed::<Vec<Faq>>(e, "a list of `q:` and `a:` pairs")
            .unwrap_or_default()
    }

    /// Sources as `{title, url}` mappings, or bare URLs and names.
    fn sources(&mut self, e: &Entry) -> Vec<SourceRef> {
        let Value::Array(items) = &e.value else {
            self.typed::<Vec<SourceRef>>(e, "a list of sources with `title` and `url`");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => out
                    .push(SourceRef {
                        title: s.clone(),
                        url: Some(s.clone()),
                    }),
                Value::String(s) => out.push(SourceRef {
                    title: s.clone(),
                    url: None,
                }),
                other => {
                    let one = Entry {
                        value: other.clone(),
                        ..e.clone()
                    };
                    out.extend(self.typed::<SourceRef>(&one, "a source with `title` and `url`"));
                }
            }
        }
        out
    }

    fn build(&mut self, e: &Entry, into: &mut BuildSettings) {
        let word = |v: Option<&Value>| match v {
            Some(Value::Bool(true)) => Some("always".to_string()),
            Some(Value::Bool(false)) => Some("never".to_string()),
            Some(Value::String(s)) => Some(s.to_lowercase()),
            _ => None,
        };
        if e.key == "headless" {
            if e.value.as_bool() == Some(true) {
                into.list = Some(Listing::Never);
                into.render = Some(Render::Never);
            }
            return;
        }
        let Value::Object(map) = &e.value else {
            if !e.value.is_null() {
                self.invalid(
                    Code::InvalidValue,
                    format!("`{}` is not a mapping", e.key),
                    e.line,
                    "write it as `build: {list: never, render: always}`",
                );
            }
            return;
        };
        let get = |k: &str| {
            map.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v)
        };
        into.list = match word(get("list")).as_deref() {
            Some("never") => Some(Listing::Never),
            Some("local") => Some(Listing::Local),
            Some(_) => Some(Listing::Always),
            None => into.list,
        };
        into.render = match word(get("render")).as_deref() {
            // `link` gives a URL to a page that is not written; stacks writes no such page.
            Some("never" | "link") => Some(Render::Never),
            Some(_) => Some(Render::Always),
            None => into.render,
        };
    }
}
