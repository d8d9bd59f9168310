//! Every YAML read in stacks goes through this module.
//!
//! `serde_yaml` is archived upstream, so it is confined here: input is bounded before it reaches
//! the parser, positions are translated into 1-based lines and columns, and nothing YAML-specific
//! leaks into the rest of the crate (values for themes come out as JSON values). Swapping the
//! parser means changing this file only.

use serde::de::DeserializeOwned;

/// Largest YAML document accepted (front matter or config). Real front matter is a few KiB; the
/// bound keeps a pathological file from costing the whole build its memory.
pub(crate) const MAX_YAML_BYTES: usize = 512 * 1024;

/// A YAML document that could not be read, with the 1-based position inside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// What the parser or the type check said, without its own position suffix.
    pub message: String,
    /// 1-based line inside the YAML text.
    pub line: Option<usize>,
    /// 1-based column.
    pub col: Option<usize>,
}

/// A free-form value from YAML, handed to templates as JSON-like data.
pub(crate) type Value = serde_json::Value;

/// Free-form values written as one JSON text, for the build cache's compact formats, which
/// can only read back values whose shape the reader names (`#[serde(with = ...)]`).
pub(crate) mod as_json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `value` as a JSON string.
    pub(crate) fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    /// Reads a value written by [`serialize`].
    pub(crate) fn deserialize<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Deepest nesting accepted. Front matter and config are a few levels deep; the bound keeps a
/// hostile document from costing the build its time and stack.
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// Nesting of flow collections (`[`, `{`) outside quoted strings, and of block indentation
/// (two spaces a level), with the 1-based line where the deepest point is.
fn nesting(text: &str) -> (usize, usize) {
    let (mut deepest, mut at) = (0, 1);
    let mut flow = 0usize;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            if flow + indent / 2 > deepest {
                deepest = flow + indent / 2;
                at = n + 1;
            }
        }
    }
    (deepest, at)
}

fn check_size(text: &str) -> Result<(), YamlError> {
    let (depth, line) = nesting(text);
    if depth > MAX_YAML_DEPTH {
        return Err(YamlError {
            message: format!(
                "YAML nests {depth} levels deep, more than the {MAX_YAML_DEPTH} allowed"
            ),
            line: Some(line),
            col: Some(1),
        });
    }
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!(
                "YAML block is {} KiB, more than the {} KiB allowed",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
            line: Some(1),
            col: Some(1),
        });
    }
    Ok(())
}

fn convert(text: &str, err: serde_yaml::Error) -> YamlError {
    let location = err.location();
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; the caller prints the position its own way.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let (line, col) = match location {
        Some(l) => {
            let (line, col) = clamp(text, l.line(), l.column());
            (Some(line), Some(col))
        }
        None => (None, None),
    };
    YamlError { message, line, col }
}

/// Keeps a position inside `text`. At the end of a document without a final newline the
/// parser names the line after the last one, which the author cannot find; the end of the last
/// line is where the problem is.
fn clamp(text: &str, line: usize, col: usize) -> (usize, usize) {
    let lines = text.matches('\n').count() + 1;
    if line <= lines {
        return (line.max(1), col.max(1));
    }
    let last = text.rsplit('\n').next().unwrap_or("");
    (lines, last.chars().count() + 1)
}

/// Deserializes `text` into `T` and also returns the dotted paths of keys `T` does not know.
pub(crate) fn from_str_with_unknown<T: DeserializeOwned>(
    text: &str,
) -> Result<(T, Vec<String>), YamlError> {
    check_size(text)?;
    let text = if text.trim().is_empty() { "{}" } else { text };
    let de = serde_yaml::Deserializer::from_str(text);
    let mut unknown = Vec::new();
    let value = serde_ignored::deserialize(de, |path| unknown.push(path.to_string()))
        .map_err(|e| convert(text, e))?;
    Ok((value, unknown))
}

/// The top-level keys of a YAML mapping in the order written, each with its value and the
/// 1-based line it is written on. A key written twice comes twice (deciding which one counts is
/// the caller's business: front matter takes the last, as Hugo does). An empty document gives
/// nothing; a document that is not a mapping is an error.
pub(crate) fn entries(text: &str) -> Result<Vec<(String, Value, Option<usize>)>, YamlError> {
    check_size(text)?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let Ordered(pairs) = serde_yaml::from_str(text).map_err(|e| convert(text, e))?;
    let mut lines = key_lines(text).into_iter().peekable();
    let mut out = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let key = match key {
            serde_yaml::Value::String(s) => s,
            other => serde_yaml::to_string(&other)
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
        };
        // Keys are matched to the scanned lines in order; a key the scan missed (flow style,
        // a complex key) simply has no line.
        let mut line = None;
        let mut rest = lines.clone();
        while let Some((name, at)) = rest.next() {
            if name == key {
                line = Some(at);
                lines = rest;
                break;
            }
        }
        out.push((
            key,
            serde_json::to_value(value).unwrap_or(Value::Null),
            line,
        ));
    }
    Ok(out)
}

/// A mapping's pairs in the order written, duplicates kept (serde_yaml's own `Mapping` refuses
/// a key written twice, which real front matter has).
struct Ordered(Vec<(serde_yaml::Value, serde_yaml::Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("lines of `key: value`")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_none<E>(self) -> Result<Ordered, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Ordered(pairs))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Every top-level key of a block mapping with its 1-based line, in order: a line that starts
/// in the first column with a key (plain or quoted) followed by `:`.
pub(crate) fn key_lines(text: &str) -> Vec<(String, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| Some((top_level_key(line)?, i + 1)))
        .collect()
}

fn top_level_key(line: &str) -> Option<String> {
    let first = line.chars().next()?;
    if first.is_whitespace()
        || matches!(
            first,
            '#' | '-' | '[' | '{' | '?' | '!' | '&' | '*' | '|' | '>' | ']' | '}' | ','
        )
    {
        return None;
    }
    if let Some(q @ ('"' | '\'')) = Some(first).filter(|c| matches!(c, '"' | '\'')) {
        let close = line[1..].find(q)? + 1;
        let rest = line[close + 1..].trim_start();
        return rest.starts_with(':').then(|| line[1..close].to_string());
    }
    let colon = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(str::len))?;
    let key = line[..colon].trim_end();
    (!key.is_empty()).then(|| key.to_string())
}

/// The 1-based line of a nested key in a block mapping, `path` from the top (`["related",
/// "limit"]` is `limit:` inside `related:`, not the first `limit:` of the file).
pub(crate) fn path_line(text: &str, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut indent: Option<usize> = None;
    let mut found = None;
    for key in path {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let own = line.len() - trimmed.len();
            match indent {
                None if own > 0 => continue,
                // Left the parent's block: the key is not there.
                Some(parent) if own <= parent => break,
                _ => {}
            }
            if top_level_key(trimmed).as_deref() == Some(key) {
                hit = Some((i, own));
                break;
            }
        }
        let (i, own) = hit?;
        found = Some(i + 1);
        from = i + 1;
        indent = Some(own);
    }
    found
}

/// The 1-based lines of the items of the sequence at `path` (`- a` lines, or every item of a
/// `[a, b]` on the key's own line).
pub(crate) fn item_lines(text: &str, path: &[&str]) -> Vec<usize> {
    let Some(at) = path_line(text, path) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let head = lines[at - 1];
    if let Some(flow) = head
        .split_once(':')
        .map(|(_, v)| v.trim())
        .filter(|v| v.starts_with('['))
    {
        let items = flow
            .trim_matches(['[', ']'])
            .split(',')
            .filter(|s| !s.trim().is_empty());
        return items.map(|_| at).collect();
    }
    let indent = head.len() - head.trim_start().len();
    lines
        .iter()
        .enumerate()
        .skip(at)
        .take_while(|(_, l)| {
            l.trim().is_empty()
                || l.len() - l.trim_start().len() > indent
                || l.trim_start().starts_with("- ")
        })
        .filter(|(_, l)| l.trim_start().starts_with("- ") || l.trim() == "-")
        .map(|(i, _)| i + 1)
        .collect()
}

/// The 1-based line on which a top-level `key:` is written, to point at values that parsed but
/// did not make sense (a date that does not exist, an unknown config key).
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    key_lines(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, line)| line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
        from_str_with_unknown(text).map(|(value, _)| value)
    }

    #[derive(Deserialize, Debug)]
    struct Doc {
        #[allow(dead_code)]
        title: String,
    }

    #[test]
    fn errors_carry_one_based_positions() {
        let err = from_str::<Doc>("title: ok\nbad: [1, 2\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn unknown_keys_are_reported_with_paths() {
        let (_, unknown) = from_str_with_unknown::<Doc>("title: a\ntitel: b\n").unwrap();
        assert_eq!(unknown, vec!["titel".to_string()]);
    }

    #[test]
    fn deep_nesting_fails_cleanly() {
        let deep = format!("a: {}1{}", "[".repeat(5000), "]".repeat(5000));
        let err = from_str::<Value>(&deep).unwrap_err();
        assert!(err.message.contains("nests"), "{err:?}");
        let fine = "a: [[1, 2], {b: \"[[[[\"}]\nc:\n  d:\n    e: 1\n";
        assert!(from_str::<Value>(fine).is_ok());
    }

    #[test]
    fn alias_bombs_and_huge_input_fail_cleanly() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(entries(bomb).is_err());
        let huge = "a: ".to_string() + &"x".repeat(MAX_YAML_BYTES);
        assert!(from_str::<Doc>(&huge).is_err());
    }

    #[test]
    fn positions_past_the_end_point_at_the_last_line() {
        let text = "a: 1\nb: [x,\n--";
        let err = from_str::<Value>(text).unwrap_err();
        assert!(err.line.is_some_and(|l| l <= 3), "{err:?}");
        assert_eq!(clamp(text, 4, 1), (3, 3));
        assert_eq!(clamp(text, 2, 5), (2, 5));
    }

    #[test]
    fn entries_keep_order_duplicates_and_lines() {
        let text = "title: a\ntags:\n  - x\n  - y\n\"quoted key\": 1\ntitle: b\nweight:\n";
        let e = entries(text).unwrap();
        let keys: Vec<(&str, Option<usize>)> = e.iter().map(|(k, _, l)| (k.as_str(), *l)).collect();
        assert_eq!(
            keys,
            [
                ("title", Some(1)),
                ("tags", Some(2)),
                ("quoted key", Some(5)),
                ("title", Some(6)),
                ("weight", Some(7))
            ]
        );
        assert_eq!(e[3].1, Value::String("b".into()));
        assert_eq!(e[4].1, Value::Null);
        assert!(entries("").unwrap().is_empty());
        assert!(entries("# only a comment\n").unwrap().is_empty());
        assert!(entries("- a\n- b\n").is_err());
        let flow = entries("{a: 1, b: 2}").unwrap();
        assert_eq!(flow.len(), 2);
    }

    #[test]
    fn nested_positions() {
        let text = "title: limit: x\naudit:\n  # note\n  min_score: 3\n  disable:\n    - fresh\n    - titel-length\nrelated:\n  limit: 4\n";
        assert_eq!(path_line(text, &["related", "limit"]), Some(9));
        assert_eq!(path_line(text, &["audit", "disable"]), Some(5));
        assert_eq!(path_line(text, &["audit", "limit"]), None);
        assert_eq!(item_lines(text, &["audit", "disable"]), [6, 7]);
        assert_eq!(
            item_lines("audit:\n  disable: [a, b]\n", &["audit", "disable"]),
            [2, 2]
        );
    }

    #[test]
    fn key_line_finds_top_level_keys() {
        assert_eq!(key_line("title: a\ndate: 2026-13-45\n", "date"), Some(2));
        assert_eq!(key_line("title: a\n", "date"), None);
    }
}
