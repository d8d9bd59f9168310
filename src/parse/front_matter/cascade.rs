//! Reading `cascade:`: front matter for the pages below a section (or matching a target), as
//! one mapping or a list of them.

use super::read::{KEYS, Reader};
use super::{Cascade, CascadeTarget, Entry};
use crate::diagnostics::Code;
use crate::yaml::Value;

impl Reader<'_> {
    pub(super) fn cascades(&mut self, value: &Value, line: usize) -> Vec<Cascade> {
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            v => vec![v],
        };
        let mut out = Vec::new();
        for item in items {
            let Value::Object(map) = item else {
                self.invalid(
                    Code::InvalidValue,
                    "a `cascade` entry is not a mapping".into(),
                    line,
                    "write `cascade:` as `key: value` lines, or a list of them each with a `target:`",
                );
                continue;
            };
            let mut target = None;
            let mut entries = Vec::new();
            for (k, v) in map {
                match k.to_lowercase().as_str() {
                    "target" | "_target" => target = Some(self.target(v, line)),
                    _ => entries.push(Entry {
                        key: k.clone(),
                        value: v.clone(),
                        line,
                    }),
                }
            }
            let mut front = self.read(entries, false);
            // Lines belong to the section that declares the cascade, not to the pages below.
            front.key_lines.clear();
            let keys: Vec<String> = map
                .keys()
                .map(|k| k.to_lowercase())
                .filter_map(|k| {
                    KEYS.iter()
                        .find(|(_, spellings)| spellings.contains(&k.as_str()))
                        .map(|(name, _)| name.to_string())
                })
                .collect();
            front.inherited.extend(keys);
            out.push(Cascade { target, front });
        }
        out
    }

    fn target(&mut self, v: &Value, line: usize) -> CascadeTarget {
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        if !v.is_object() {
            self.invalid(
                Code::InvalidValue,
                "a cascade `target` is not a mapping".into(),
                line,
                "write it as `target: {path: /blog/**}`",
            );
        }
        CascadeTarget {
            path: field("path"),
            kind: field("kind"),
            environment: field("environment"),
        }
    }
}
