//! Static assets: the default stylesheet and scripts built into the binary,
//! the generated highlight stylesheet, and the site's own `static/` folder,
//! whose files replace defaults of the same name. All go to `static/`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::is_editor_leftover;
use crate::diagnostics::Diagnostic;
use crate::highlight;
use crate::urls::STATIC_DIR;

/// The default assets, by path under `static/`.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("style.css", include_str!("../static/style.css")),
    ("search.js", include_str!("../static/search.js")),
];

/// The site's folder of static files.
pub const SITE_STATIC_DIR: &str = "static";

/// Every static file: output path → bytes.
pub fn collect(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let mut files: BTreeMap<String, Vec<u8>> = DEFAULTS
        .iter()
        .map(|(name, text)| (format!("{STATIC_DIR}{name}"), text.as_bytes().to_vec()))
        .collect();
    files.insert(
        format!("{STATIC_DIR}highlight.css"),
        highlight::stylesheet().into_bytes(),
    );
    let mut problems = Vec::new();
    let dir = root.join(SITE_STATIC_DIR);
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !is_editor_leftover(&e.file_name().to_string_lossy())
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    problems.push(Diagnostic::in_file(
                        SITE_STATIC_DIR,
                        format!("cannot read: {err}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(format!("{STATIC_DIR}{name}"), bytes);
                }
                Err(err) => problems.push(Diagnostic::in_file(
                    Path::new(SITE_STATIC_DIR).join(rel),
                    format!("cannot read: {err}"),
                )),
            }
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
