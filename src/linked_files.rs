//! Files that notes link to by a relative path (`![](img/stage.jpg)`, a PDF
//! of the slides), copied beside the note's page so the link works in the
//! site as it does in the notes folder.
//!
//! A file is copied when it is in a folder of notes or profiles, is not
//! itself a note or profile, is not hidden, and is inside the site once
//! links are followed. A missing image is a warning; a relative link to
//! something that is not a file is left alone (it may be a page of the site).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{Layout, Role};
use crate::diagnostics::Diagnostic;
use crate::files::Files;
use crate::markdown::{LinkedFile, Rendered};
use crate::site::Site;
use crate::urls;

/// The files of a page's own folder, which a linked file may not replace.
const PAGE_FILES: &[&str] = &["index.html", "atom.xml"];

/// Every file the site's notes and profiles link to, at its place in the
/// output, with warnings for missing images and clashes.
pub fn collect(site: &Site) -> (Files, Vec<Diagnostic>) {
    // Only documents that link files: most link none, and their URLs,
    // made for each, would take a tenth of a reload at 100,000 notes.
    let talks = site
        .talks
        .iter()
        .filter(|t| !t.body.files.is_empty())
        .map(|t| (urls::talk(&t.note.slug), &t.note.source, &t.body));
    let entities = site
        .profiles
        .iter()
        .filter(|p| !p.body.files.is_empty())
        .map(|p| {
            let profile = &p.profile;
            let url = urls::entity(profile.kind, &profile.slug);
            (url, &profile.source, &p.body)
        });
    let documents: Vec<(String, &PathBuf, &Rendered)> = talks.chain(entities).collect();
    let mut copier = Copier::new(&site.root, &site.config);
    for (page, document, body) in documents {
        for file in &body.files {
            copier.copy(&page, document, file);
        }
    }
    (copier.files, copier.problems)
}

/// The files copied so far, and where each came from.
struct Copier<'a> {
    root: &'a Path,
    real_root: Option<PathBuf>,
    layout: Layout,
    files: Files,
    sources: std::collections::HashMap<String, PathBuf>,
    problems: Vec<Diagnostic>,
}

impl<'a> Copier<'a> {
    fn new(root: &'a Path, config: &Config) -> Self {
        Copier {
            root,
            real_root: root.canonicalize().ok(),
            layout: Layout::new(config),
            files: Files::new(),
            sources: std::collections::HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// Copies `file`, linked from `document`, beside the page at `page`.
    fn copy(&mut self, page: &str, document: &Path, file: &LinkedFile) {
        let copyable = self.layout.reads(&file.source)
            && matches!(self.layout.role(&file.source), Role::Skipped(_));
        let Some(real) = copyable.then(|| self.inside(&file.source)).flatten() else {
            if file.image && !self.root.join(&file.source).exists() {
                self.problems.push(missing_image(document, file));
            }
            return;
        };
        if PAGE_FILES.contains(&file.href.as_str()) {
            return self.problems.push(takes_a_page(document, file));
        }
        let output = format!("{page}{}", file.href);
        match self.sources.get(&output) {
            Some(first) if *first != file.source => {
                self.problems.push(clash(document, file, first))
            }
            Some(_) => {}
            None => match std::fs::read(&real) {
                Ok(bytes) => {
                    self.sources.insert(output.clone(), file.source.clone());
                    self.files.insert(output, bytes);
                }
                Err(err) => self.problems.push(
                    Diagnostic::in_file(&file.source, format!("cannot read: {err}"))
                        .with_hint(format!(
                            "{} links to it at line {}; it is left out of the site",
                            document.display(),
                            file.line
                        ))
                        .as_warning(),
                ),
            },
        }
    }

    /// The real path of the file at `rel`, if it is a file inside the site
    /// once links are followed.
    fn inside(&self, rel: &Path) -> Option<PathBuf> {
        let real = self.root.join(rel).canonicalize().ok()?;
        let inside = self.real_root.as_ref().is_some_and(|r| real.starts_with(r));
        (inside && real.is_file()).then_some(real)
    }
}

fn missing_image(document: &Path, file: &LinkedFile) -> Diagnostic {
    Diagnostic::in_file(
        document,
        format!("image `{}` not found", file.source.display()),
    )
    .at_line(file.line)
    .with_hint("put the image beside the note (paths are relative to the note's folder), or in static/ and link it as /name")
    .as_warning()
}

fn takes_a_page(document: &Path, file: &LinkedFile) -> Diagnostic {
    Diagnostic::in_file(
        document,
        format!(
            "`{}` is not copied: `{}` beside this page is the page itself",
            file.source.display(),
            file.href
        ),
    )
    .at_line(file.line)
    .with_hint("rename the file, or move it into a sub-folder")
    .as_warning()
}

fn clash(document: &Path, file: &LinkedFile, first: &Path) -> Diagnostic {
    Diagnostic::in_file(
        document,
        format!(
            "`{}` and `{}` would both be copied to `{}` beside this page; the first is kept",
            first.display(),
            file.source.display(),
            file.href
        ),
    )
    .at_line(file.line)
    .with_hint("rename one of the files, or keep them in the note's own folder")
    .as_warning()
}
