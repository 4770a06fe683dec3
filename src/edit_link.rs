//! "Edit this page" links: from a page's source file to the forge's editor.
//!
//! The path in the link is the file's path from the *repository* root: the
//! site may live in a sub-folder (`[edit] site-dir`), the pitfall mdBook users
//! hit when the two roots differ.

use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::config::EditConfig;
use crate::forge::{self, Forge};

/// Characters escaped in a path segment of an edit URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Turns source paths into edit URLs, or gives none when no forge is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditLinks {
    /// A URL with `{path}` (from the repository root) still to fill in.
    template: Option<String>,
    /// The site's folder inside the repository, without slashes at the ends.
    site_dir: String,
}

impl EditLinks {
    /// Reads `[edit]`. Without a repository, or on a host whose forge is not
    /// known and not given (which [`crate::config::Config`] reports), pages
    /// get no edit links.
    pub fn new(config: &EditConfig) -> EditLinks {
        let template = match (&config.url_template, &config.repository) {
            (Some(template), _) => Some(template.replace("{branch}", &config.branch)),
            (None, Some(repository)) => forge_template(repository, config),
            (None, None) => None,
        };
        EditLinks {
            template,
            site_dir: config.site_dir.clone(),
        }
    }

    /// The edit URL of `source` (a path relative to the site root).
    pub fn url_for(&self, source: &Path) -> Option<String> {
        let template = self.template.as_ref()?;
        let mut path = String::new();
        let parts = self
            .site_dir
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .chain(
                source
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned()),
            );
        for part in parts {
            if !path.is_empty() {
                path.push('/');
            }
            path.extend(utf8_percent_encode(&part, SEGMENT));
        }
        Some(template.replace("{path}", &path))
    }
}

fn forge_template(repository: &str, config: &EditConfig) -> Option<String> {
    let repository = repository.trim_end_matches('/').trim_end_matches(".git");
    let forge = config.forge.or_else(|| forge::detect(repository))?;
    let branch = &config.branch;
    Some(match forge {
        Forge::Github => format!("{repository}/edit/{branch}/{{path}}"),
        Forge::Gitlab => format!("{repository}/-/edit/{branch}/{{path}}"),
        Forge::Gitea => format!("{repository}/_edit/{branch}/{{path}}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(repository: &str, site_dir: &str) -> EditLinks {
        let config = EditConfig {
            repository: Some(repository.into()),
            site_dir: site_dir.into(),
            ..EditConfig::default()
        };
        EditLinks::new(&config)
    }

    #[test]
    fn forge_shapes() {
        let p = Path::new("content/talks/a.md");
        assert_eq!(
            links("https://github.com/o/r", "").url_for(p).unwrap(),
            "https://github.com/o/r/edit/main/content/talks/a.md"
        );
        assert_eq!(
            links("https://gitlab.com/o/r.git", "").url_for(p).unwrap(),
            "https://gitlab.com/o/r/-/edit/main/content/talks/a.md"
        );
        assert_eq!(
            links("https://codeberg.org/o/r/", "").url_for(p).unwrap(),
            "https://codeberg.org/o/r/_edit/main/content/talks/a.md"
        );
    }

    #[test]
    fn site_dir_prefixes_the_path() {
        let url =
            links("https://github.com/o/r", "docs/kubecon").url_for(Path::new("content/a b.md"));
        assert_eq!(
            url.unwrap(),
            "https://github.com/o/r/edit/main/docs/kubecon/content/a%20b.md"
        );
    }

    #[test]
    fn template_overrides() {
        let config = EditConfig {
            repository: Some("https://github.com/o/r".into()),
            url_template: Some("https://e.org/{branch}/{path}".into()),
            branch: "dev".into(),
            ..EditConfig::default()
        };
        let url = EditLinks::new(&config).url_for(Path::new("content/a.md"));
        assert_eq!(url.unwrap(), "https://e.org/dev/content/a.md");
    }

    #[test]
    fn unknown_host_needs_a_forge() {
        let config = EditConfig {
            repository: Some("https://git.example.org/o/r".into()),
            ..EditConfig::default()
        };
        assert_eq!(EditLinks::new(&config).url_for(Path::new("a.md")), None);
        let config = EditConfig {
            forge: Some(Forge::Gitea),
            ..config
        };
        let url = EditLinks::new(&config).url_for(Path::new("a.md"));
        assert_eq!(url.unwrap(), "https://git.example.org/o/r/_edit/main/a.md");
    }

    #[test]
    fn no_repository_no_links() {
        let links = EditLinks::new(&EditConfig::default());
        assert_eq!(links.url_for(Path::new("content/a.md")), None);
    }
}
