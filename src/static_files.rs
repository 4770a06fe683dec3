//! Static assets: the default stylesheet and scripts built into the binary,
//! the generated highlight stylesheet, and the site's own `static/` folder,
//! whose files replace defaults of the same name. All go to `static/`.
//! `static/` is walked as `content/` is ([`walk`]): hidden files are copied
//! too, editors' leftovers are not.

use std::path::Path;

use crate::content::is_editor_leftover;
use crate::diagnostics::Diagnostic;
use crate::files::Files;
use crate::highlight;
use crate::urls::STATIC_DIR;
use crate::walk;

/// The default assets, by path under `static/`.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("style.css", include_str!("../static/style.css")),
    ("search.js", include_str!("../static/search.js")),
    ("page.js", include_str!("../static/page.js")),
    ("diagram.css", DIAGRAM_STYLESHEET),
];

/// The default stylesheet of the diagrams (`src/diagram/`), self-contained
/// so that a diagram can carry it inline.
pub const DIAGRAM_STYLESHEET: &str = include_str!("../static/diagram.css");

/// The site's folder of static files.
pub const SITE_STATIC_DIR: &str = "static";

/// Every static file: output path → bytes.
pub fn collect(root: &Path) -> (Files, Vec<Diagnostic>) {
    let mut files: Files = DEFAULTS
        .iter()
        .map(|(name, text)| (format!("{STATIC_DIR}{name}"), text.as_bytes().to_vec()))
        .collect();
    let dir = Path::new(SITE_STATIC_DIR);
    let (paths, mut problems) = walk::files(root, dir, dir, &|rel| {
        rel.file_name()
            .is_some_and(|name| is_editor_leftover(&name.to_string_lossy()))
    });
    match highlight::stylesheet() {
        Ok(css) => {
            files.insert(format!("{STATIC_DIR}highlight.css"), css.into_bytes());
        }
        Err(problem) => problems.push(problem),
    }
    for rel in paths {
        let inside = rel.strip_prefix(dir).unwrap_or(&rel);
        let name = inside.to_string_lossy().replace('\\', "/");
        match std::fs::read(root.join(&rel)) {
            Ok(bytes) => {
                files.insert(format!("{STATIC_DIR}{name}"), bytes);
            }
            Err(err) => problems.push(
                Diagnostic::in_file(&rel, format!("cannot read: {err}"))
                    .with_hint("check the file's permissions"),
            ),
        }
    }
    (files, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_not_copied_but_hidden_files_are() {
        let root = tempfile::tempdir().unwrap();
        let static_dir = root.path().join("static");
        std::fs::create_dir_all(static_dir.join(".well-known")).unwrap();
        for name in [
            ".well-known/security.txt",
            "logo.svg",
            "logo.svg~",
            ".logo.svg.swp",
            ".#logo.svg",
            ".DS_Store",
        ] {
            std::fs::write(static_dir.join(name), "x").unwrap();
        }
        let (files, problems) = collect(root.path());
        assert!(problems.is_empty());
        let site: Vec<&str> = files
            .keys()
            .map(String::as_str)
            .filter(|p| !p.ends_with(".css") && !p.ends_with(".js"))
            .collect();
        assert_eq!(site, ["static/.well-known/security.txt", "static/logo.svg"]);
    }
}
