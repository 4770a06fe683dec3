//! Optional profile files: `content/speakers/<slug>.md` and friends add a bio,
//! links and other data to the page of an entity the notes mention.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::front_matter::{self, FrontMatterError};
use crate::entity::EntityKind;
use crate::urls;

/// Extra data and prose for one speaker, project, tag or event page.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Which kind of entity this file describes.
    pub kind: EntityKind,
    /// The entity's slug: the file name without `.md`.
    pub slug: String,
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// The display name, when the file sets `name`.
    pub name: Option<String>,
    /// Every other front-matter key (homepage, repository, location, ...).
    pub data: Map<String, Value>,
    /// The markdown body.
    pub body: String,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
}

impl Profile {
    /// Parses the profile of a `kind` entity at `source` from its text.
    pub fn parse(kind: EntityKind, source: &Path, text: &str) -> Result<Profile, FrontMatterError> {
        let split = front_matter::split(text)?;
        let mut data = match split.front_matter {
            Some((format, fm)) => front_matter::parse(format, fm, split.front_matter_line)?,
            None => Map::new(),
        };
        let name = match data.remove("name") {
            None => None,
            Some(Value::String(name)) => Some(name),
            Some(_) => {
                return Err(FrontMatterError {
                    line: split.front_matter.and_then(|(_, fm)| {
                        front_matter::key_line(fm, "name", split.front_matter_line)
                    }),
                    message: "`name` must be a string".into(),
                    hint: "write name = \"Ada Lovelace\"".into(),
                });
            }
        };
        let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        Ok(Profile {
            kind,
            slug: urls::slugify(stem),
            source: source.to_path_buf(),
            name,
            data,
            body: split.body.to_string(),
            body_line: split.body_line,
        })
    }
}
