//! Splitting a file into front matter and body, and parsing the front matter.
//!
//! Both formats are parsed into one JSON-like map, so everything after this
//! module sees one shape whatever the user wrote: TOML between `+++` lines,
//! YAML between `---` lines, or none at all.

use serde_json::{Map, Value};

use crate::diagnostics::line_of_offset;

/// The front-matter formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML between `+++` lines.
    Toml,
    /// YAML between `---` lines.
    Yaml,
}

/// A file cut in two: front matter (if any) and the markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter's format and text (without the fences).
    pub front_matter: Option<(Format, &'a str)>,
    /// The 1-based line of the first front-matter line (after the fence).
    pub front_matter_line: usize,
    /// The markdown after the front matter.
    pub body: &'a str,
    /// The 1-based line on which `body` starts.
    pub body_line: usize,
}

/// A front-matter problem: what is wrong and on which line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the whole file.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// Cuts `text` into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (format, fence) = match first_line(text) {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Ok(Split {
                front_matter: None,
                front_matter_line: 1,
                body: text,
                body_line: 1,
            });
        }
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: Some((format, &text[start..offset])),
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line_of_offset(text, body_start),
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        line: Some(1),
        message: format!("the front matter opened with `{fence}` on line 1 is never closed"),
        hint: format!("add a line with just `{fence}` after the last front-matter line"),
    })
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim_end()
}

/// Parses front matter into a map of keys. `first_line` is the file line of the
/// front matter's first line, so errors name lines of the whole file.
pub fn parse(
    format: Format,
    text: &str,
    first_line: usize,
) -> Result<Map<String, Value>, FrontMatterError> {
    let value = match format {
        Format::Toml => parse_toml(text, first_line)?,
        Format::Yaml => parse_yaml(text, first_line)?,
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(FrontMatterError {
            line: Some(first_line),
            message: "the front matter is not a table of keys".into(),
            hint: "write one `key: value` (YAML) or `key = value` (TOML) per line".into(),
        }),
    }
}

fn parse_toml(text: &str, first_line: usize) -> Result<Value, FrontMatterError> {
    let table: toml::Table = toml::from_str(text).map_err(|err| FrontMatterError {
        line: err
            .span()
            .map(|s| first_line + line_of_offset(text, s.start) - 1),
        message: format!("invalid TOML front matter: {}", err.message().trim()),
        hint: "TOML front matter looks like `title = \"My talk\"`; quote strings".into(),
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn parse_yaml(text: &str, first_line: usize) -> Result<Value, FrontMatterError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_saphyr::from_str::<Value>(text).map_err(|err| FrontMatterError {
        line: err
            .location()
            .map(|loc| first_line + (loc.line() as usize).max(1) - 1),
        message: format!(
            "invalid YAML front matter: {}",
            without_location(err.without_snippet().to_string().trim())
        ),
        hint: "YAML front matter looks like `title: \"My talk\"`; indent lists with spaces".into(),
    })
}

/// A parser message without its trailing `at line L, column C`: that line
/// counts from the front matter, and the diagnostic already names the file line.
fn without_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at)
            if message[at + 9..]
                .chars()
                .all(|c| c.is_ascii_digit() || ", column".contains(c)) =>
        {
            &message[..at]
        }
        _ => message,
    }
}

/// TOML values as JSON values; dates become their TOML text (`2018-05-02`).
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The file line on which top-level `key` is set in front matter `text`.
pub fn key_line(text: &str, key: &str, first_line: usize) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start_matches(['"', '\'']);
            line.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['"', '\'']).trim_start();
                rest.starts_with('=') || rest.starts_with(':')
            })
        })
        .map(|i| first_line + i)
}

/// The file line on which `value` is written under top-level `key` in front
/// matter `text` (a nested value, such as a speaker's `url`, may be lines
/// below its key), else the line of `key`.
pub fn value_line(text: &str, key: &str, value: &str, first_line: usize) -> Option<usize> {
    let key_line = key_line(text, key, first_line);
    let from = key_line.map_or(0, |line| line - first_line);
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, line)| line.contains(value))
        .map(|(i, _)| first_line + i)
        .or(key_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_front_matter() {
        let s = split("+++\ntitle = \"a\"\n+++\n\nBody\n").unwrap();
        assert_eq!(s.front_matter, Some((Format::Toml, "title = \"a\"\n")));
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn splits_yaml_front_matter() {
        let s = split("---\ntitle: a\n---\nBody").unwrap();
        assert_eq!(s.front_matter, Some((Format::Yaml, "title: a\n")));
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n\ntext").unwrap();
        assert_eq!(s.front_matter, None);
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("+++\ntitle = \"a\"\n\nBody").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn toml_dates_become_text() {
        let map = parse(Format::Toml, "date = 2018-05-02\n", 2).unwrap();
        assert_eq!(map["date"], "2018-05-02");
    }

    #[test]
    fn toml_syntax_error_names_file_line() {
        let err = parse(Format::Toml, "title = \"a\"\ntags = [\n", 2).unwrap_err();
        assert!(err.line.unwrap() >= 3, "{err:?}");
    }

    #[test]
    fn yaml_syntax_error_names_file_line() {
        let err = parse(Format::Yaml, "title: a\ntags: [x\n", 2).unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
        assert!(err.message.starts_with("invalid YAML"));
    }

    #[test]
    fn location_suffix_is_dropped() {
        assert_eq!(
            without_location("unclosed bracket at line 2, column 7"),
            "unclosed bracket"
        );
        assert_eq!(without_location("bad at line three"), "bad at line three");
    }

    #[test]
    fn yaml_list_is_not_a_table() {
        let err = parse(Format::Yaml, "- a\n- b\n", 2).unwrap_err();
        assert!(err.message.contains("not a table"));
    }

    #[test]
    fn finds_key_lines() {
        assert_eq!(key_line("title = 1\ndate = 2\n", "date", 2), Some(3));
        assert_eq!(key_line("title: 1\ndate: 2\n", "date", 2), Some(3));
        assert_eq!(key_line("dates = 2\n", "date", 2), None);
    }

    #[test]
    fn finds_value_lines() {
        let yaml = "title: T\nspeakers:\n  - name: Ada\n    url: x:y\n";
        assert_eq!(value_line(yaml, "speakers", "x:y", 2), Some(5));
        assert_eq!(value_line(yaml, "speakers", "elsewhere", 2), Some(3));
        assert_eq!(
            value_line("[[speakers]]\nurl = \"x:y\"\n", "speakers", "x:y", 2),
            Some(3)
        );
    }
}
