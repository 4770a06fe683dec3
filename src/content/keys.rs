//! `[keys]`: a site's own front-matter key names, mapped to talkbook's.
//!
//! A Jekyll schedule says `presenter_slugs` and `video_url` where talkbook
//! says `speakers` and `video`. The mapping is applied to a file's front
//! matter before anything reads it, so a mapped key behaves exactly like
//! talkbook's own; [`Mapped::written`] gives back the name as the file
//! wrote it, for messages.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::config::{self, CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;

/// The `[keys]` section: the user's key → talkbook's key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyMap {
    theirs_to_ours: BTreeMap<String, String>,
}

/// A front matter with its keys renamed to talkbook's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapped {
    /// The front matter, with talkbook's key names.
    pub map: Map<String, Value>,
    /// talkbook's key → the key the file wrote, for each renamed key.
    written: BTreeMap<String, String>,
    /// Pairs `(theirs, ours)` the file set both of: the mapped key's value
    /// is used, talkbook's own is dropped.
    pub both: Vec<(String, String)>,
}

impl KeyMap {
    /// The mapping of `[keys]`.
    pub fn new(keys: &BTreeMap<String, String>) -> KeyMap {
        KeyMap {
            theirs_to_ours: keys.clone(),
        }
    }

    /// Whether nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.theirs_to_ours.is_empty()
    }

    /// `map` with every mapped key renamed to talkbook's.
    pub fn apply(&self, map: Map<String, Value>) -> Mapped {
        if self.is_empty() {
            return Mapped {
                map,
                ..Mapped::default()
            };
        }
        let mut mapped = Mapped::default();
        let mut renamed = Vec::new();
        for (key, value) in map {
            match self.theirs_to_ours.get(&key) {
                Some(ours) => renamed.push((key, ours.clone(), value)),
                None => {
                    mapped.map.insert(key, value);
                }
            }
        }
        for (theirs, ours, value) in renamed {
            if mapped.map.insert(ours.clone(), value).is_some() {
                mapped.both.push((theirs.clone(), ours.clone()));
            }
            mapped.written.insert(ours, theirs);
        }
        mapped
    }

    /// Every `[keys]` entry whose target is not one of talkbook's keys
    /// (`known`), as an error on its line of `book.toml`.
    pub fn check(&self, config: &Config, known: &[&str]) -> Vec<Diagnostic> {
        self.theirs_to_ours
            .iter()
            .filter(|(_, ours)| !known.contains(&ours.as_str()))
            .map(|(theirs, ours)| {
                let hint = match config::closest(ours, known) {
                    Some(best) => format!(
                        "did you mean `{theirs} = \"{best}\"`? talkbook's keys: {}",
                        known.join(", ")
                    ),
                    None => format!("map it to one of talkbook's keys: {}", known.join(", ")),
                };
                Diagnostic::in_file(
                    CONFIG_FILE,
                    format!("[keys] {theirs} = \"{ours}\": talkbook has no key `{ours}`"),
                )
                .at_optional_line(config.line_of("keys", theirs))
                .with_hint(hint)
            })
            .collect()
    }
}

impl Mapped {
    /// The name the file wrote for talkbook's key `ours`.
    pub fn written<'a>(&'a self, ours: &'a str) -> &'a str {
        self.written.get(ours).map_or(ours, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_map(pairs: &[(&str, &str)]) -> KeyMap {
        KeyMap::new(
            &pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn mapped_keys_are_renamed_and_remember_their_spelling() {
        let map = serde_json::json!({"video_url": "https://v", "title": "T"});
        let Value::Object(map) = map else {
            unreachable!()
        };
        let mapped = key_map(&[("video_url", "video")]).apply(map);
        assert_eq!(mapped.map["video"], "https://v");
        assert_eq!(mapped.map["title"], "T");
        assert!(!mapped.map.contains_key("video_url"));
        assert_eq!(mapped.written("video"), "video_url");
        assert_eq!(mapped.written("title"), "title");
    }

    #[test]
    fn a_file_setting_both_keys_keeps_the_mapped_one() {
        let Value::Object(map) = serde_json::json!({"video": "a", "video_url": "b"}) else {
            unreachable!()
        };
        let mapped = key_map(&[("video_url", "video")]).apply(map);
        assert_eq!(mapped.map["video"], "b");
        assert_eq!(mapped.both, [("video_url".into(), "video".into())]);
    }

    #[test]
    fn an_unknown_target_is_an_error_on_its_line() {
        let config = Config::parse("[keys]\nvideo_url = \"vidoe\"\n").unwrap();
        let problems = KeyMap::new(&config.keys).check(&config, &["title", "video"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].hint.as_deref().unwrap().contains("\"video\""));
    }
}
