//! Typed reading of front-matter values, with messages in the user's terms.
//!
//! A front matter arrives as one JSON-like map whatever its format. Its
//! values are read here by hand, not by a derived parser, so that a message
//! says "expected text or a list of text, found a number (3)", names the
//! key as the file wrote it (before `[keys]` renamed it), and shows an
//! example in the file's own syntax. Empty values (`null`, `""`, `[]`, and
//! empty items in a list) mean "not set", for every key.

use std::path::Path;

use serde_json::{Map, Value};

use super::front_matter::{self, Format, FrontMatterError};
use super::keys::Mapped;
use crate::diagnostics::Diagnostic;

/// An example value for a key, as `(YAML, TOML)` text after `key: ` and `key = `.
pub type Examples = fn(&str) -> (&'static str, &'static str);

/// One file's front matter, its keys renamed to talkbook's, being read.
pub struct Values<'a> {
    mapped: Mapped,
    format: Format,
    text: &'a str,
    first_line: usize,
    examples: Examples,
}

impl<'a> Values<'a> {
    /// The front matter `mapped`, written in `format` as `text` from file
    /// line `first_line`; `examples` gives each key's example for hints.
    pub fn new(
        mapped: Mapped,
        format: Format,
        text: &'a str,
        first_line: usize,
        examples: Examples,
    ) -> Values<'a> {
        Values {
            mapped,
            format,
            text,
            first_line,
            examples,
        }
    }

    /// The key the file wrote for talkbook's `key`.
    pub fn written<'k>(&'k self, key: &'k str) -> &'k str {
        self.mapped.written(key)
    }

    /// The file line on which talkbook's `key` is set.
    pub fn line(&self, key: &str) -> Option<usize> {
        front_matter::key_line(self.text, self.written(key), self.first_line)
    }

    /// The file line on which `value` is written under talkbook's `key`.
    pub fn value_line(&self, key: &str, value: &str) -> Option<usize> {
        front_matter::value_line(self.text, self.written(key), value, self.first_line)
    }

    /// `key` set to `value`, in the file's syntax: `tags: [a, b]` or `tags = ["a", "b"]`.
    pub fn setting(&self, key: &str, yaml: &str, toml: &str) -> String {
        let key = self.written(key);
        match self.format {
            Format::Yaml => format!("{key}: {yaml}"),
            Format::Toml => format!("{key} = {toml}"),
        }
    }

    /// The hint for a wrong value of `key`: its example, in the file's syntax.
    pub fn hint(&self, key: &str) -> String {
        let (yaml, toml) = (self.examples)(key);
        format!("write it like `{}`", self.setting(key, yaml, toml))
    }

    /// An error about talkbook's `key`, on its line: "`<key as written>`: <what>".
    pub fn error(&self, key: &str, what: impl std::fmt::Display) -> FrontMatterError {
        FrontMatterError {
            line: self.line(key),
            message: format!("`{}`: {what}", self.written(key)),
            hint: self.hint(key),
        }
    }

    /// Takes `key`'s value out, `None` when it is not set or [empty](is_empty).
    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.mapped.map.remove(key).filter(|v| !is_empty(v))
    }

    /// `key` as text: numbers and `true`/`false` are taken as written.
    pub fn text(&mut self, key: &str) -> Result<Option<String>, FrontMatterError> {
        match self.take(key) {
            None => Ok(None),
            Some(value) => as_text(value)
                .map_err(|found| self.error(key, format_args!("expected text, found {found}"))),
        }
    }

    /// `key` as a list of text; one text is a list of one.
    pub fn texts(&mut self, key: &str) -> Result<Vec<String>, FrontMatterError> {
        let (items, in_list) = match self.take(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => (items, true),
            Some(value) => (vec![value], false),
        };
        let mut texts = Vec::new();
        for item in items {
            match as_text(item) {
                Ok(text) => texts.extend(text),
                Err(found) => {
                    let found = if in_list {
                        format!("{found} in the list")
                    } else {
                        found
                    };
                    let what = format!("expected text or a list of text, found {found}");
                    return Err(self.error(key, what));
                }
            }
        }
        Ok(texts)
    }

    /// `key` as `true` or `false` (also written as text); not set is `false`.
    pub fn flag(&mut self, key: &str) -> Result<bool, FrontMatterError> {
        match self.take(key) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(flag),
            Some(Value::String(text)) if text.trim().eq_ignore_ascii_case("true") => Ok(true),
            Some(Value::String(text)) if text.trim().eq_ignore_ascii_case("false") => Ok(false),
            Some(value) => Err(self.error(
                key,
                format_args!("expected true or false, found {}", describe(&value)),
            )),
        }
    }

    /// A warning for each pair of keys the file set both of, one mapped by
    /// `[keys]` to the other: the mapped key's value is the one used.
    pub fn both_set(&self, source: &Path) -> Vec<Diagnostic> {
        self.mapped
            .both
            .iter()
            .map(|(theirs, ours)| {
                let line = front_matter::key_line(self.text, ours, self.first_line);
                Diagnostic::in_file(
                    source,
                    format!(
                        "`{theirs}` and `{ours}` are both set: [keys] maps `{theirs}` to `{ours}`, so `{ours}` is ignored"
                    ),
                )
                .at_optional_line(line)
                .with_hint(format!("remove one of `{theirs}` and `{ours}`"))
                .as_warning()
            })
            .collect()
    }

    /// The keys not taken yet, without empty values.
    pub fn rest(self) -> Map<String, Value> {
        self.mapped
            .map
            .into_iter()
            .filter(|(_, value)| !is_empty(value))
            .collect()
    }
}

/// Whether `value` means "not set": `null`, blank text, an empty list or
/// table, or a list of such.
pub fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.iter().all(is_empty),
        Value::Object(map) => map.values().all(is_empty),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// `value` as text (`None` when [empty](is_empty)), or what was found instead.
pub fn as_text(value: Value) -> Result<Option<String>, String> {
    match value {
        value if is_empty(&value) => Ok(None),
        Value::String(text) => Ok(Some(text)),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        other => Err(describe(&other)),
    }
}

/// What a value is, in words: `a number (3)`, `a list`.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(flag) => format!("`{flag}`"),
        Value::Number(number) => format!("a number ({number})"),
        Value::String(text) if text.chars().count() > 40 => {
            let start: String = text.chars().take(40).collect();
            format!("the text \"{start}...\"")
        }
        Value::String(text) => format!("the text \"{text}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a table of keys".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::keys::KeyMap;

    fn examples(key: &str) -> (&'static str, &'static str) {
        match key {
            "tags" => ("[observability, ci]", "[\"observability\", \"ci\"]"),
            _ => ("\"...\"", "\"...\""),
        }
    }

    fn values<'a>(format: Format, text: &'a str, keys: &KeyMap) -> Values<'a> {
        let map = front_matter::parse(format, text, 2).unwrap();
        Values::new(keys.apply(map), format, text, 2, examples)
    }

    fn keys(theirs: &str, ours: &str) -> KeyMap {
        KeyMap::new(&[(theirs.to_string(), ours.to_string())].into())
    }

    #[test]
    fn empty_values_are_not_set() {
        let text = "title: \"\"\ntags: null\nprojects: []\nauthors: [null, Ada, \"\"]\ndraft: null\nmood: ~\n";
        let mut v = values(Format::Yaml, text, &KeyMap::default());
        assert_eq!(v.text("title").unwrap(), None);
        assert!(v.texts("tags").unwrap().is_empty());
        assert!(v.texts("projects").unwrap().is_empty());
        assert_eq!(v.texts("authors").unwrap(), ["Ada"]);
        assert!(!v.flag("draft").unwrap());
        assert!(v.rest().is_empty());
    }

    #[test]
    fn numbers_and_flags_are_text_where_text_is_expected() {
        let mut v = values(
            Format::Yaml,
            "title: 1984\ntags: [3, true]\n",
            &KeyMap::default(),
        );
        assert_eq!(v.text("title").unwrap().as_deref(), Some("1984"));
        assert_eq!(v.texts("tags").unwrap(), ["3", "true"]);
    }

    #[test]
    fn a_wrong_value_is_told_in_words_and_in_the_files_syntax() {
        let mut yaml = values(Format::Yaml, "title: T\ntags: {a: 1}\n", &KeyMap::default());
        let err = yaml.texts("tags").unwrap_err();
        assert_eq!(
            err.message,
            "`tags`: expected text or a list of text, found a table of keys"
        );
        assert_eq!(err.line, Some(3));
        assert_eq!(err.hint, "write it like `tags: [observability, ci]`");
        let mut toml = values(Format::Toml, "tags = [[1]]\n", &KeyMap::default());
        let err = toml.texts("tags").unwrap_err();
        assert_eq!(
            err.message,
            "`tags`: expected text or a list of text, found a list in the list"
        );
        assert_eq!(
            err.hint,
            "write it like `tags = [\"observability\", \"ci\"]`"
        );
        let mut flag = values(Format::Toml, "draft = 3\n", &KeyMap::default());
        let err = flag.flag("draft").unwrap_err();
        assert_eq!(
            err.message,
            "`draft`: expected true or false, found a number (3)"
        );
    }

    #[test]
    fn errors_name_the_key_as_the_file_wrote_it_on_its_line() {
        let mut v = values(
            Format::Yaml,
            "title: T\n\ntopics:\n  - [a]\n",
            &keys("topics", "tags"),
        );
        let err = v.texts("tags").unwrap_err();
        assert!(err.message.starts_with("`topics`: "), "{}", err.message);
        assert_eq!(err.line, Some(4));
        assert_eq!(err.hint, "write it like `topics: [observability, ci]`");
    }

    #[test]
    fn a_key_set_twice_by_the_mapping_is_a_warning_on_the_dropped_keys_line() {
        let v = values(
            Format::Yaml,
            "video: a\nvideo_url: b\n",
            &keys("video_url", "video"),
        );
        let warnings = v.both_set(Path::new("content/a.md"));
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].is_error());
        assert_eq!(warnings[0].line, Some(2));
        assert!(warnings[0].message.contains("`video_url` and `video`"));
    }
}
