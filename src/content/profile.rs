//! Optional profile files: `content/speakers/<slug>.md` and friends add a bio,
//! links and other data to the page of an entity the notes mention.
//!
//! A profile names its entity by its slug (the file name, or `slug`), its
//! `name` and its `aliases`: a note naming any of them names that entity
//! (see `graph::names`).

use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::front_matter::{self, Format, FrontMatterError};
use super::keys::{KeyMap, Mapped};
use super::social::{self, NoLink, ProfileLink};
use super::values;
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::safe_url::{self, SafeUrl};
use crate::urls;

/// talkbook's keys in a profile's front matter: those it reads or shows;
/// `[keys]` may map a site's own key to one of these. Profiles keep every
/// other key too, for templates.
pub const KEYS: &[&str] = &[
    "name",
    "slug",
    "aliases",
    "affiliation",
    "role",
    "homepage",
    "website",
    "repository",
    "twitter",
    "mastodon",
    "github",
    "linkedin",
    "photo",
    "avatar",
];

/// The keys that give a picture of the entity; the first one set is used.
const PHOTO_KEYS: &[&str] = &["photo", "avatar"];

/// Extra data and prose for one speaker, project, tag or event page.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Which kind of entity this file describes.
    pub kind: EntityKind,
    /// The entity's slug: the `slug` key, else the file name without `.md`.
    pub slug: String,
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// The display name, when the file sets `name`.
    pub name: Option<String>,
    /// Other names or slugs of the same entity, as written.
    pub aliases: Vec<String>,
    /// Company or organisation, for a speaker.
    pub affiliation: Option<String>,
    /// Job title, for a speaker.
    pub role: Option<String>,
    /// Homepage, repository and social accounts, in the order pages show them.
    pub links: Vec<ProfileLink>,
    /// A small picture.
    pub photo: Option<Photo>,
    /// Every front-matter key but `name`, after `[keys]`, for templates;
    /// without empty values and values left out with a warning.
    pub data: Map<String, Value>,
    /// The markdown body; empty in a build once rendered (see
    /// `Site::drop_markdown`).
    pub body: String,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
    /// What was left out without stopping the build: URLs that are not safe
    /// links, handles that are not handles, photos that are not there.
    pub warnings: Vec<Diagnostic>,
}

/// A profile's picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Photo {
    /// An absolute URL.
    Url(SafeUrl),
    /// A file under the site's `static/` folder, which is copied to the
    /// output's `static/` ([`urls::STATIC_DIR`] names both).
    Static {
        /// The path under `static/`, with `/` separators.
        path: String,
        /// The file line that names it.
        line: Option<usize>,
    },
}

impl Photo {
    /// The `src` of the picture on a page whose root prefix is `root`.
    pub fn src(&self, root: &str) -> String {
        match self {
            Photo::Url(url) => url.as_str().to_string(),
            Photo::Static { path, .. } => format!("{root}{}{path}", urls::STATIC_DIR),
        }
    }
}

impl Profile {
    /// Parses the profile of a `kind` entity at `source` from its text, with
    /// the site's `keys` mapping applied to its front matter first.
    pub fn parse(
        kind: EntityKind,
        source: &Path,
        text: &str,
        keys: &KeyMap,
    ) -> Result<Profile, FrontMatterError> {
        let split = front_matter::split(text)?;
        let (format, fm_text) = split.front_matter.unwrap_or((Format::Toml, ""));
        let map = match split.front_matter {
            Some(_) => front_matter::parse(format, fm_text, split.front_matter_line)?,
            None => Map::new(),
        };
        let mut mapped = keys.apply(map);
        mapped.map.retain(|_, value| !values::is_empty(value));
        let fields = Fields {
            source,
            format,
            text: fm_text,
            first_line: split.front_matter_line,
            mapped: &mapped,
        };
        let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let mut profile = Profile {
            kind,
            slug: fields.slug(stem)?,
            source: source.to_path_buf(),
            name: fields.text("name")?,
            aliases: fields.aliases()?,
            affiliation: fields.text("affiliation")?,
            role: fields.text("role")?,
            links: Vec::new(),
            photo: None,
            data: Map::new(),
            body: split.body.to_string(),
            body_line: split.body_line,
            warnings: Vec::new(),
        };
        let mut left_out = vec!["name"];
        left_out.extend(profile.read_links(&fields)?);
        left_out.extend(profile.read_photo(&fields)?);
        profile.data = mapped.map;
        profile
            .data
            .retain(|key, _| !left_out.contains(&key.as_str()));
        Ok(profile)
    }

    /// The same profile, its photo left out with a warning if it names a
    /// file that is not in `<root>/static/`.
    pub fn with_photo_checked(mut self, root: &Path) -> Profile {
        if let Some(Photo::Static { path, line }) = &self.photo
            && !root.join(urls::STATIC_DIR).join(path).is_file()
        {
            let warning = Diagnostic::in_file(
                &self.source,
                format!("the photo `{path}` is not in static/: no picture is shown"),
            )
            .at_optional_line(*line)
            .with_hint(format!(
                "put the picture at static/{path}, or give a full https:// URL"
            ))
            .as_warning();
            self.warnings.push(warning);
            self.photo = None;
        }
        self
    }

    /// Reads the link keys into `links`: the keys left out with a warning.
    fn read_links(&mut self, fields: &Fields) -> Result<Vec<&'static str>, FrontMatterError> {
        let mut left_out = Vec::new();
        for &(key, label) in social::LINK_KEYS {
            let Some(value) = fields.text(key)? else {
                continue;
            };
            match social::url(key, &value) {
                Ok(url) if !self.links.iter().any(|l| l.label == label) => {
                    self.links.push(ProfileLink { key, label, url });
                }
                Ok(_) => {}
                Err(why) => {
                    self.warnings.push(fields.no_link(key, &value, why));
                    left_out.push(key);
                }
            }
        }
        Ok(left_out)
    }

    /// Reads `photo` (or `avatar`) into `photo`: the keys left out with a warning.
    fn read_photo(&mut self, fields: &Fields) -> Result<Vec<&'static str>, FrontMatterError> {
        let mut left_out = Vec::new();
        for &key in PHOTO_KEYS {
            let Some(value) = fields.text(key)? else {
                continue;
            };
            if self.photo.is_some() {
                continue;
            }
            match photo(&value, fields.value_line(key, &value)) {
                Ok(photo) => self.photo = Some(photo),
                Err(why) => {
                    self.warnings.push(fields.no_link(key, &value, why));
                    left_out.push(key);
                }
            }
        }
        Ok(left_out)
    }
}

/// A `photo` value: a URL with a scheme or `//`, else a path under `static/`
/// (`/img/ada.jpg` or `img/ada.jpg`) that stays inside it.
fn photo(value: &str, line: Option<usize>) -> Result<Photo, NoLink> {
    let is_url = value.starts_with("//") || value.contains(':');
    if is_url {
        return SafeUrl::new(value.to_string())
            .map(Photo::Url)
            .map_err(|_| NoLink::Unsafe);
    }
    let path = value.trim_start_matches('/');
    let inside = Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !inside || path.is_empty() {
        return Err(NoLink::Malformed);
    }
    Ok(Photo::Static {
        path: path.to_string(),
        line,
    })
}

/// A profile's front matter, after `[keys]`, read key by key, with errors
/// that name the key as the file wrote it and its line.
struct Fields<'a> {
    source: &'a Path,
    format: Format,
    text: &'a str,
    first_line: usize,
    mapped: &'a Mapped,
}

impl Fields<'_> {
    /// The text value of `key`, if set.
    fn text(&self, key: &str) -> Result<Option<String>, FrontMatterError> {
        match self.mapped.map.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
            Some(_) => Err(self.error(key, "must be text")),
        }
    }

    /// The entity's slug: the `slug` key made a slug, else the file's `stem`.
    fn slug(&self, stem: &str) -> Result<String, FrontMatterError> {
        let (slug, from_key) = match self.text("slug")? {
            Some(slug) => (urls::slugify(&slug), true),
            None => (urls::slugify(stem), false),
        };
        match urls::slug_problem(&slug) {
            None => Ok(slug),
            Some(problem) if from_key => Err(self.error("slug", &problem)),
            Some(problem) => Err(FrontMatterError {
                line: None,
                message: format!("this file's name {problem}"),
                hint: format!(
                    "name profile files after the entity's slug, e.g. content/speakers/ada-lovelace.md, or set {}",
                    self.assignment("slug", "\"ada-lovelace\"")
                ),
            }),
        }
    }

    /// `aliases`: a list of names, or one name.
    fn aliases(&self) -> Result<Vec<String>, FrontMatterError> {
        let items = match self.mapped.map.get("aliases") {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items.as_slice(),
            Some(one) => std::slice::from_ref(one),
        };
        let mut aliases = Vec::new();
        for item in items {
            match item {
                Value::String(alias) if !urls::slugify(alias).is_empty() => {
                    aliases.push(alias.trim().to_string());
                }
                Value::String(alias) => {
                    let problem = format!("`{alias}` has no letters or digits to match a name by");
                    return Err(self.error("aliases", &problem));
                }
                _ => return Err(self.error("aliases", "must be a list of names")),
            }
        }
        Ok(aliases)
    }

    /// The error "`key` `what`", on the line of `key`.
    fn error(&self, key: &str, what: &str) -> FrontMatterError {
        let written = self.mapped.written(key);
        FrontMatterError {
            line: front_matter::key_line(self.text, written, self.first_line),
            message: format!("`{written}` {what}"),
            hint: format!("write {}", self.assignment(key, example(key))),
        }
    }

    /// `key = value` in the file's syntax, with the key as the file wrote it.
    fn assignment(&self, key: &str, value: &str) -> String {
        let written = self.mapped.written(key);
        match self.format {
            Format::Toml => format!("{written} = {value}"),
            Format::Yaml => format!("{written}: {value}"),
        }
    }

    /// The line on which `value` of `key` is written.
    fn value_line(&self, key: &str, value: &str) -> Option<usize> {
        let written = self.mapped.written(key);
        front_matter::value_line(self.text, written, value, self.first_line)
    }

    /// The warning for `value` of `key`, which makes no link.
    fn no_link(&self, key: &str, value: &str, why: NoLink) -> Diagnostic {
        let line = self.value_line(key, value);
        let what = format!("`{}`", self.mapped.written(key));
        match why {
            NoLink::Unsafe => safe_url::warning(self.source, line, &what, value),
            NoLink::Malformed => {
                let expected = if PHOTO_KEYS.contains(&key) {
                    "a path in static/"
                } else {
                    "a handle"
                };
                let value = value.escape_debug();
                let message =
                    format!("{what} `{value}` is neither {expected} nor a URL: it is left out");
                Diagnostic::in_file(self.source, message)
                    .at_optional_line(line)
                    .with_hint(format!("write {}", self.assignment(key, example(key))))
                    .as_warning()
            }
        }
    }
}

/// An example value of `key`, for hints.
fn example(key: &str) -> &'static str {
    match key {
        "name" => "\"Ada Lovelace\"",
        "slug" => "\"ada-lovelace\"",
        "aliases" => "[\"Ada King\", \"ada\"]",
        "affiliation" => "\"Analytical Engines Ltd\"",
        "role" => "\"Engineer\"",
        "photo" | "avatar" => "\"/img/ada.jpg\"",
        _ => social::example(key),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn parse(path: &str, text: &str) -> Result<Profile, FrontMatterError> {
        Profile::parse(
            EntityKind::Speaker,
            Path::new(path),
            text,
            &KeyMap::default(),
        )
    }

    fn mapped(pairs: &[(&str, &str)]) -> KeyMap {
        let keys: BTreeMap<String, String> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        KeyMap::new(&keys)
    }

    fn urls_of(p: &Profile) -> Vec<(&str, &str)> {
        p.links.iter().map(|l| (l.key, l.url.as_str())).collect()
    }

    #[test]
    fn unsafe_homepage_is_left_out_with_a_warning_on_its_line() {
        let text = "+++\nname = \"Ada\"\nhomepage = \"vbscript:msgbox(1)\"\nrepository = \"https://x.org/ada\"\n+++\nBio\n";
        let p = parse("content/speakers/ada.md", text).unwrap();
        assert_eq!(p.data.get("homepage"), None);
        assert_eq!(p.data["repository"], "https://x.org/ada");
        assert_eq!(urls_of(&p), [("repository", "https://x.org/ada")]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, Some(3));
        assert!(p.warnings[0].message.contains("`homepage`"));
    }

    #[test]
    fn slug_aliases_and_speaker_keys_are_read() {
        let text = "---\nname: Abigail Mesrenyame Dogbe\nslug: Abigail Dogbe\naliases: [Abi, abigail-m-dogbe]\naffiliation: ACME\nrole: CTO\n---\n";
        let p = parse("content/speakers/abi.md", text).unwrap();
        assert_eq!(p.slug, "abigail-dogbe");
        assert_eq!(p.name.as_deref(), Some("Abigail Mesrenyame Dogbe"));
        assert_eq!(p.aliases, ["Abi", "abigail-m-dogbe"]);
        assert_eq!(p.affiliation.as_deref(), Some("ACME"));
        assert_eq!(p.role.as_deref(), Some("CTO"));
        assert_eq!(p.data.get("name"), None);
        let one = parse("content/speakers/x.md", "+++\naliases = \"Ex\"\n+++\n").unwrap();
        assert_eq!((one.slug.as_str(), one.aliases), ("x", vec!["Ex".into()]));
    }

    #[test]
    fn empty_values_mean_not_set() {
        let text = "---\nname: null\naffiliation: \"\"\naliases: []\ntwitter: ~\n---\n";
        let p = parse("content/speakers/ada.md", text).unwrap();
        assert_eq!((p.name, p.affiliation), (None, None));
        assert!(p.aliases.is_empty() && p.links.is_empty() && p.data.is_empty());
    }

    #[test]
    fn mapped_keys_are_read_and_errors_name_them_as_written() {
        let keys = mapped(&[("company", "affiliation"), ("website_url", "homepage")]);
        let text = "---\ncompany: ACME\nwebsite_url: https://ada.example/\n---\n";
        let source = Path::new("content/speakers/ada.md");
        let p = Profile::parse(EntityKind::Speaker, source, text, &keys).unwrap();
        assert_eq!(p.affiliation.as_deref(), Some("ACME"));
        assert_eq!(urls_of(&p), [("homepage", "https://ada.example/")]);
        let bad = "---\nname: Ada\ncompany: [1, 2]\n---\n";
        let err = Profile::parse(EntityKind::Speaker, source, bad, &keys).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.message, "`company` must be text");
        assert_eq!(err.hint, "write company: \"Analytical Engines Ltd\"");
    }

    #[test]
    fn errors_speak_the_files_syntax() {
        let toml = parse("content/speakers/a.md", "+++\nname = 3\n+++\n").unwrap_err();
        assert_eq!(toml.line, Some(2));
        assert_eq!(toml.hint, "write name = \"Ada Lovelace\"");
        let yaml = parse("content/speakers/a.md", "---\naliases: [{a: 1}]\n---\n").unwrap_err();
        assert_eq!(yaml.line, Some(2));
        assert!(
            yaml.message.starts_with("`aliases` must be a list"),
            "{yaml:?}"
        );
        assert!(yaml.hint.starts_with("write aliases: ["), "{yaml:?}");
        for err in [toml, yaml] {
            assert!(!err.message.contains("String") && !err.message.contains("Value"));
        }
        let slug = parse("content/speakers/a.md", "+++\nslug = \"!!\"\n+++\n").unwrap_err();
        assert_eq!(slug.line, Some(2));
        let stem = parse("content/speakers/!!.md", "").unwrap_err();
        assert!(stem.message.starts_with("this file's name"), "{stem:?}");
    }

    #[test]
    fn social_keys_become_links_in_page_order() {
        let text = "---\ngithub: ada\ntwitter: \"@ada\"\nmastodon: \"@ada@example.social\"\nlinkedin: https://www.linkedin.com/in/ada-l\nwebsite: https://ada.example/\n---\n";
        let p = parse("content/speakers/ada.md", text).unwrap();
        assert_eq!(
            urls_of(&p),
            [
                ("website", "https://ada.example/"),
                ("twitter", "https://twitter.com/ada"),
                ("mastodon", "https://example.social/@ada"),
                ("github", "https://github.com/ada"),
                ("linkedin", "https://www.linkedin.com/in/ada-l"),
            ]
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn a_bad_handle_is_a_warning_on_its_line() {
        let text = "---\nname: Ada\ntwitter: ada lovelace\ngithub: \"javascript:alert(1)\"\n---\n";
        let p = parse("content/speakers/ada.md", text).unwrap();
        assert!(p.links.is_empty());
        let lines: Vec<_> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(3), Some(4)]);
        assert!(p.warnings[0].message.contains("neither a handle nor a URL"));
        assert_eq!(
            p.warnings[0].hint.as_deref(),
            Some("write twitter: \"@ada\"")
        );
        assert!(!p.data.contains_key("twitter") && !p.data.contains_key("github"));
    }

    #[test]
    fn photos_are_urls_or_files_in_static() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("static/img")).unwrap();
        std::fs::write(site.path().join("static/img/ada.jpg"), "jpg").unwrap();
        let read = |value: &str| {
            let text = format!("+++\nname = \"Ada\"\nphoto = \"{value}\"\n+++\n");
            parse("content/speakers/ada.md", &text)
                .unwrap()
                .with_photo_checked(site.path())
        };
        for value in ["/img/ada.jpg", "img/ada.jpg"] {
            let p = read(value);
            assert_eq!(p.photo.unwrap().src("../../"), "../../static/img/ada.jpg");
            assert!(p.warnings.is_empty());
        }
        let url = read("https://cdn.example/ada.png").photo.unwrap();
        assert_eq!(url.src("../../"), "https://cdn.example/ada.png");
        for value in ["img/gone.jpg", "../book.toml"] {
            let p = read(value);
            assert_eq!(p.photo, None, "{value}");
            assert_eq!(p.warnings.len(), 1, "{value}");
            assert_eq!(p.warnings[0].line, Some(3), "{value}");
            assert!(!p.warnings[0].is_error());
        }
        assert_eq!(read("data:image/png,x").photo, None);
    }
}
