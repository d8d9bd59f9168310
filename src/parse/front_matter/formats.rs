//! Reading a front-matter block, whatever its format, into ordered `key → value` entries with
//! the line each key is written on. Values come out as JSON values, one shape for every format,
//! so that what a key means is decided once (in the parent module).

use super::split::{Block, Format};
use crate::yaml::{self, Value};

/// One top-level key of a front-matter block.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// Its value.
    pub value: Value,
    /// The 1-based line of the file the key is on.
    pub line: usize,
}

/// A block that could not be read: what the parser said, and the 1-based line and column of
/// the file where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The parser's message.
    pub message: String,
    /// Line in the file.
    pub line: usize,
    /// Column in the line.
    pub col: usize,
}

/// The entries of `block`, in the order written (a key written twice comes twice).
pub fn entries(block: &Block) -> Result<Vec<Entry>, ReadError> {
    let in_file = |line: usize| block.line + line.max(1) - 1;
    match block.format {
        Format::Yaml => {
            let pairs = yaml::entries(block.text).map_err(|e| ReadError {
                message: e.message,
                line: in_file(e.line.unwrap_or(1)),
                col: e.col.unwrap_or(1),
            })?;
            Ok(pairs
                .into_iter()
                .map(|(key, value, line)| Entry {
                    key,
                    value,
                    line: in_file(line.unwrap_or(1)),
                })
                .collect())
        }
        Format::Toml => {
            let table = toml::from_str::<toml::Table>(block.text).map_err(|e| {
                let (line, col) = e
                    .span()
                    .map_or((1, 1), |span| position(block.text, span.start));
                ReadError {
                    message: e.message().trim().to_string(),
                    line: in_file(line),
                    col,
                }
            })?;
            let lines = toml_key_lines(block.text);
            Ok(table
                .into_iter()
                .map(|(key, value)| Entry {
                    line: in_file(lines.iter().find(|(k, _)| *k == key).map_or(1, |(_, l)| *l)),
                    value: from_toml(value),
                    key,
                })
                .collect())
        }
        Format::Json => {
            let map = serde_json::from_str::<serde_json::Map<String, Value>>(block.text).map_err(
                |e| ReadError {
                    message: e
                        .to_string()
                        .split(" at line ")
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    line: in_file(e.line()),
                    col: e.column().max(1),
                },
            )?;
            Ok(map
                .into_iter()
                .map(|(key, value)| Entry {
                    line: in_file(json_key_line(block.text, &key)),
                    key,
                    value,
                })
                .collect())
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Lines of TOML's top-level keys: `key = …` before the first table, and `[key]` or `[[key]]`
/// headers.
fn toml_key_lines(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_table = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            in_table = true;
            let name = header
                .trim_start_matches('[')
                .split([']', '.'])
                .next()
                .unwrap_or("");
            out.push((name.trim().trim_matches(['"', '\'']).to_string(), i + 1));
        } else if !in_table && let Some((key, _)) = line.split_once('=') {
            out.push((key.trim().trim_matches(['"', '\'']).to_string(), i + 1));
        }
    }
    out
}

/// The line of the first `"key":` in a JSON object.
fn json_key_line(text: &str, key: &str) -> usize {
    let quoted = serde_json::to_string(key).unwrap_or_default();
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(&quoted)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(format: Format, text: &str) -> Block<'_> {
        Block {
            format,
            text,
            line: 2,
        }
    }

    #[test]
    fn toml_entries_with_lines_and_dates() {
        let text = "title = \"T\"\ndate = 2024-01-12T09:00:00-05:00\ntags = [\"a\", \"b\"]\n\n[params]\ncolor = \"red\"\n";
        let e = entries(&block(Format::Toml, text)).unwrap();
        let keys: Vec<(&str, usize)> = e.iter().map(|e| (e.key.as_str(), e.line)).collect();
        assert_eq!(
            keys,
            [("title", 2), ("date", 3), ("tags", 4), ("params", 6)]
        );
        assert_eq!(
            e[1].value,
            Value::String("2024-01-12T09:00:00-05:00".into())
        );
        assert_eq!(e[3].value["color"], "red");
        let err = entries(&block(Format::Toml, "title = \"a\"\ntitle = \"b\"\n")).unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn json_entries_with_lines() {
        let text = "{\n  \"title\": \"T\",\n  \"tags\": [\"a\"]\n}";
        let e = entries(&block(Format::Json, text)).unwrap();
        let keys: Vec<(&str, usize)> = e.iter().map(|e| (e.key.as_str(), e.line)).collect();
        assert_eq!(keys, [("title", 3), ("tags", 4)]);
        let err = entries(&block(Format::Json, "{\n  \"title\": ,\n}")).unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let err = entries(&block(Format::Yaml, "title: a\ntags: [a, b\n")).unwrap_err();
        assert!(err.line >= 3, "{err:?}");
    }
}
