//! Optional profile files: `content/speakers/<slug>.md` and friends add a bio,
//! links and other data to the page of an entity the notes mention.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::front_matter::{self, FrontMatterError};
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::{safe_url, urls};

/// talkbook's keys in a profile's front matter: those it reads or shows;
/// `[keys]` may map a site's own key to one of these. Profiles keep every
/// other key too, for templates.
pub const KEYS: &[&str] = &["name", "homepage", "repository"];

/// The profile keys that hold URLs, which templates put in links: a value
/// that is not a [safe link](safe_url) is left out of `data`.
pub const URL_KEYS: &[&str] = &["homepage", "repository"];

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
    /// Every other front-matter key (homepage, repository, location, ...),
    /// without [`URL_KEYS`] whose value is not a safe link.
    pub data: Map<String, Value>,
    /// The markdown body.
    pub body: String,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
    /// What was left out without stopping the build: URLs that are not safe links.
    pub warnings: Vec<Diagnostic>,
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
        let fm_text = split.front_matter.map_or("", |(_, fm)| fm);
        let mut warnings = Vec::new();
        for key in URL_KEYS {
            if let Some(Value::String(url)) = data.get(*key)
                && !safe_url::is_linkable(url)
            {
                let line = front_matter::value_line(fm_text, key, url, split.front_matter_line);
                let what = format!("`{key}`");
                warnings.push(safe_url::warning(source, line, &what, url));
                data.remove(*key);
            }
        }
        let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        Ok(Profile {
            kind,
            slug: urls::slugify(stem),
            source: source.to_path_buf(),
            name,
            data,
            body: split.body.to_string(),
            body_line: split.body_line,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_homepage_is_left_out_with_a_warning_on_its_line() {
        let text = "+++\nname = \"Ada\"\nhomepage = \"vbscript:msgbox(1)\"\nrepository = \"https://x.org/ada\"\n+++\nBio\n";
        let p = Profile::parse(
            EntityKind::Speaker,
            Path::new("content/speakers/ada.md"),
            text,
        )
        .unwrap();
        assert_eq!(p.data.get("homepage"), None);
        assert_eq!(p.data["repository"], "https://x.org/ada");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(3));
        assert!(p.warnings[0].message.contains("`homepage`"));
    }
}
