//! Cutting a content file into its front matter and its body.
//!
//! Three formats are read as Hugo reads them: YAML between `---` lines (Jekyll, Eleventy and
//! Hugo), TOML between `+++` lines (Hugo's default) and a JSON object at the top of the file.

/// How a front-matter block is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
    /// One JSON object, from `{` to its matching `}`.
    Json,
}

/// The front matter's text and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    /// How it is written.
    pub format: Format,
    /// The text between the delimiters (for JSON, the object itself).
    pub text: &'a str,
    /// 1-based line of the file on which `text` starts.
    pub line: usize,
}

/// A markdown file cut into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter, if the file has some.
    pub front: Option<Block<'a>>,
    /// The markdown after the front matter.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    /// What is wrong.
    pub message: String,
    /// The 1-based line of the file it is on.
    pub line: usize,
    /// What to do about it.
    pub hint: &'static str,
}

/// Cuts `text` into front matter and body. Blank lines before the opening delimiter are allowed,
/// as Hugo allows them.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let lead = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let lead = text[..lead].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[lead..];
    let lead_lines = text[..lead].matches('\n').count();
    let first_line = rest.lines().next().unwrap_or("").trim_end();
    let (format, closers): (Format, &[&str]) = match first_line {
        "---" => (Format::Yaml, &["---", "..."]),
        "+++" => (Format::Toml, &["+++"]),
        l if l.starts_with('{') => return json(text, lead, lead_lines),
        _ => {
            return Ok(Split {
                front: None,
                body: text,
                body_line: 1,
            });
        }
    };
    let start = lead + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            let body_start = offset + line.len();
            return Ok(Split {
                front: Some(Block {
                    format,
                    text: &text[start..offset],
                    line: lead_lines + 2,
                }),
                body: &text[body_start..],
                body_line: text[..body_start].matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        message: "front matter is never closed".into(),
        line: lead_lines + 1,
        hint: match format {
            Format::Toml => "add a line with `+++` after the last front-matter key",
            _ => "add a line with `---` after the last front-matter key",
        },
    })
}

/// A JSON object at the top of the file, ending with its closing brace; the body starts on the
/// next line.
fn json(text: &str, lead: usize, lead_lines: usize) -> Result<Split<'_>, SplitError> {
    let mut stream =
        serde_json::Deserializer::from_str(&text[lead..]).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(serde_json::Value::Object(_))) => {
            let end = lead + stream.byte_offset();
            let body_start = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            Ok(Split {
                front: Some(Block {
                    format: Format::Json,
                    text: &text[lead..end],
                    line: lead_lines + 1,
                }),
                body: &text[body_start..],
                body_line: text[..body_start].matches('\n').count() + 1,
            })
        }
        // A body that merely starts with a brace (a JSON example, a template) is markdown.
        _ => Ok(Split {
            front: None,
            body: text,
            body_line: 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_after_blank_lines() {
        let s = split("\n\n---\ntitle: a\n---\nbody\n").unwrap();
        let block = s.front.unwrap();
        assert_eq!(
            (block.format, block.text, block.line),
            (Format::Yaml, "title: a\n", 4)
        );
        assert_eq!((s.body, s.body_line), ("body\n", 6));
    }

    #[test]
    fn toml_and_json() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        let block = s.front.unwrap();
        assert_eq!(
            (block.format, block.text, block.line),
            (Format::Toml, "title = \"a\"\n", 2)
        );
        assert_eq!((s.body, s.body_line), ("body\n", 4));
        let s = split("{\n  \"title\": \"a\"\n}\n\nbody\n").unwrap();
        let block = s.front.unwrap();
        assert_eq!(block.format, Format::Json);
        assert_eq!(block.text, "{\n  \"title\": \"a\"\n}");
        assert_eq!((s.body, s.body_line), ("\nbody\n", 4));
        let s = split("{not json} text\n").unwrap();
        assert!(s.front.is_none());
    }

    #[test]
    fn without_front_matter_is_all_body() {
        let s = split("# Hi\n").unwrap();
        assert_eq!((s.front, s.body), (None, "# Hi\n"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_its_first_line() {
        let e = split("---\ntitle: a\nbody").unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, 1);
        let e = split("\n+++\ntitle = 1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.hint.contains("+++"));
    }
}
