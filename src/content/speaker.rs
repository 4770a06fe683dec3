//! A speaker as a note names them, and reading the `speakers` key.

use serde::Serialize;
use serde_json::{Map, Value};

use super::front_matter::FrontMatterError;
use super::values::{Values, as_text, describe};
use crate::safe_url::SafeUrl;

/// A speaker as named in a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// Full name.
    pub name: String,
    /// Company or organisation.
    pub affiliation: Option<String>,
    /// Job title.
    pub role: Option<String>,
    /// Personal page, if it is a safe link.
    pub url: Option<SafeUrl>,
}

impl Speaker {
    /// A speaker known by name only.
    pub fn named(name: impl Into<String>) -> Speaker {
        Speaker {
            name: name.into(),
            affiliation: None,
            role: None,
            url: None,
        }
    }
}

/// The `speakers` key: a name, a table (`name`, `affiliation`, `role`,
/// `url`), or a list of these; empty items and empty fields are not set.
/// `link` turns a speaker's `url` into a safe link, or leaves it out.
pub fn read(
    values: &mut Values,
    mut link: impl FnMut(String) -> Option<SafeUrl>,
) -> Result<Vec<Speaker>, FrontMatterError> {
    let items = match values.take("speakers") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(value) => vec![value],
    };
    let mut speakers = Vec::new();
    for item in items {
        let speaker = match item {
            Value::Object(table) => from_table(table, &mut link),
            Value::Array(_) => Err(format!("{} in the list", describe(&item))),
            scalar => as_text(scalar).map(|name| name.map(Speaker::named)),
        };
        match speaker {
            Ok(speaker) => speakers.extend(speaker),
            Err(what) => {
                let what = format!(
                    "expected a name, a table with `name`, or a list of these, found {what}"
                );
                return Err(values.error("speakers", what));
            }
        }
    }
    Ok(speakers)
}

/// One speaker's table; `None` when all of it is empty.
fn from_table(
    mut table: Map<String, Value>,
    link: &mut impl FnMut(String) -> Option<SafeUrl>,
) -> Result<Option<Speaker>, String> {
    let mut field = |key: &str| {
        table
            .remove(key)
            .map_or(Ok(None), as_text)
            .map_err(|found| format!("a speaker's `{key}` that is {found}"))
    };
    let name = field("name")?;
    let affiliation = field("affiliation")?;
    let role = field("role")?;
    let url = field("url")?;
    let Some(name) = name else {
        return match (&affiliation, &role, &url) {
            (None, None, None) => Ok(None),
            _ => Err("a speaker's table without `name`".into()),
        };
    };
    Ok(Some(Speaker {
        name,
        affiliation,
        role,
        url: url.and_then(&mut *link),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{self, Format};
    use crate::content::keys::KeyMap;

    fn speakers(format: Format, text: &str) -> Result<Vec<Speaker>, FrontMatterError> {
        let map = front_matter::parse(format, text, 2).unwrap();
        let examples = |_: &str| ("[Ada]", "[\"Ada\"]");
        let mut values = Values::new(KeyMap::default().apply(map), format, text, 2, examples);
        read(&mut values, |url| SafeUrl::new(url).ok())
    }

    #[test]
    fn names_tables_and_empty_items() {
        let read = speakers(
            Format::Yaml,
            "speakers:\n  - Ada Lovelace\n  - null\n  - name: Bo Smith\n    role: null\n    affiliation: ACME\n    url: https://bo.org\n  - {name: null, role: \"\"}\n",
        )
        .unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], Speaker::named("Ada Lovelace"));
        assert_eq!(read[1].affiliation.as_deref(), Some("ACME"));
        assert_eq!(read[1].role, None);
        assert_eq!(
            read[1].url.as_ref().map(SafeUrl::as_str),
            Some("https://bo.org")
        );
        let one = speakers(Format::Toml, "speakers = { name = \"Ada\" }\n").unwrap();
        assert_eq!(one, [Speaker::named("Ada")]);
    }

    #[test]
    fn wrong_shapes_are_told_in_words() {
        let err = speakers(
            Format::Toml,
            "speakers = [{ name = \"Ada\", role = [\"a\"] }]\n",
        )
        .unwrap_err();
        assert!(
            err.message.contains("a speaker's `role` that is a list"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(2));
        assert_eq!(err.hint, "write it like `speakers = [\"Ada\"]`");
        let err = speakers(Format::Yaml, "speakers:\n  - role: CTO\n").unwrap_err();
        assert!(err.message.contains("without `name`"), "{}", err.message);
    }
}
