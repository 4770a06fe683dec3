//! Reading an input file, and the errors of reading one: each names the
//! file, the line and the column.

use std::path::Path;

use crate::diagnostics::{Diagnostic, line_of_offset};

/// The text of the input file at `path`.
pub fn read(path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path)
        .map_err(|err| Diagnostic::in_file(path, format!("cannot read the schedule: {err}")))
}

/// The error of a malformed input at a 1-based `line` and `column`.
pub fn malformed(
    path: &Path,
    line: usize,
    column: usize,
    what: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::in_file(path, format!("column {column}: {what}"))
        .at_line(line)
        .with_hint(
            "fix the file (or export it again) and run the import again; nothing was written",
        )
}

/// A JSON input's error, at its line and column; `expected` names the
/// format, for input that is JSON but not of that shape.
pub fn json_error(path: &Path, err: &serde_json::Error, expected: &str) -> Diagnostic {
    let message = err.to_string();
    // serde_json ends its messages with " at line L column C", given apart.
    let what = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(what, _)| what);
    let diagnostic = malformed(path, err.line(), err.column(), what);
    if err.is_data() {
        diagnostic.with_hint(format!(
            "this is JSON, but not {expected}: check the file and the import's source; nothing was written"
        ))
    } else {
        diagnostic
    }
}

/// The 1-based line and column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let line = line_of_offset(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text
        .get(line_start..offset)
        .map_or(1, |prefix| prefix.chars().count() + 1);
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_error_names_its_line_and_column() {
        let err = serde_json::from_str::<serde_json::Value>("{\n  \"a\": [1,\n}").unwrap_err();
        let d = json_error(Path::new("schedule.json"), &err, "a schedule");
        assert_eq!(d.line, Some(3));
        assert!(d.message.starts_with("column 1: "), "{}", d.message);
        assert!(!d.message.contains("at line"), "{}", d.message);
    }

    #[test]
    fn json_of_another_shape_says_which_format_was_expected() {
        let err = serde_json::from_str::<Vec<String>>("{}").unwrap_err();
        let d = json_error(Path::new("all.json"), &err, "Sessionize's All-data JSON");
        assert!(d.hint.unwrap().contains("not Sessionize's All-data JSON"));
    }

    #[test]
    fn line_and_column_of_an_offset() {
        assert_eq!(line_column("ab\ncdé\nf", 7), (2, 4));
        assert_eq!(line_column("ab", 0), (1, 1));
    }
}
