//! The site in memory: what `build` writes out and `serve` serves.
//!
//! [`Site::load`] runs the front half of the pipeline (config, notes,
//! markdown, graph) and reports every problem it finds, not just the first.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{BrokenLinks, Config, RawHtml};
use crate::content::{self, Content, Note, Profile, Skip, Skipped};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::edit_link::EditLinks;
use crate::graph::{self, Graph, TalkId};
use crate::markdown::{self, BrokenLink, Document, LinkTargets, Rendered};
use crate::urls;

/// A loaded, checked site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// `book.toml`.
    pub config: Config,
    /// Talk notes, sorted by source path; a note's index is its [`TalkId`].
    pub notes: Vec<Note>,
    /// The rendered markdown of each note.
    pub bodies: Vec<Rendered>,
    /// Profile files, sorted by source path.
    pub profiles: Vec<Profile>,
    /// The rendered markdown of each profile.
    pub profile_bodies: Vec<Rendered>,
    /// Entities and cross-links.
    pub graph: Graph,
    /// Edit-link maker.
    pub edit: EditLinks,
    /// What was left out or changed without stopping the build, for the user to read.
    pub warnings: Vec<Diagnostic>,
    /// Files in the notes folders that are not part of the site, and why.
    pub skipped: Vec<Skipped>,
}

impl Site {
    /// Loads the site at `root`; drafts are included when `drafts` is true.
    pub fn load(root: &Path, drafts: bool) -> Result<Site, Diagnostics> {
        let (site, problems) = Site::load_checked(root, drafts);
        problems.into_result(site)
    }

    /// The site at `root` as far as it can be read, and all its problems:
    /// for `talkbook check`, which reports on a site even when it has errors.
    pub fn load_checked(root: &Path, drafts: bool) -> (Site, Diagnostics) {
        let mut problems = Diagnostics::default();
        let config = Config::load(root).unwrap_or_else(|errors| {
            problems.extend(errors.0);
            Config::default()
        });
        let reader = content::Reader::new(&config, drafts);
        problems.extend(reader.keys.check(&config, &content::known_keys()));
        let (content, content_problems) = content::load(root, &reader);
        problems.extend(content_problems);
        let mut site = Site::assemble(root, config, content);
        problems.extend(site.problems());
        site.warnings = problems.warnings();
        (site, problems)
    }

    /// A site made of `config` and `content`: every note's and profile's
    /// markdown rendered, and the graph built. Unchecked: see [`Site::problems`].
    pub fn assemble(root: &Path, config: Config, content: Content) -> Site {
        let Content {
            notes,
            profiles,
            skipped,
        } = content;
        let pages = page_urls(&notes, &profiles);
        let raw_html = config.markdown.raw_html;
        let bodies: Vec<Rendered> = notes
            .par_iter()
            .map(|n| render_note(n, &pages, raw_html))
            .collect();
        let profile_bodies = profiles
            .par_iter()
            .map(|p| render_profile(p, &pages, raw_html))
            .collect();
        let graph = Graph::build(&notes, &profiles, &note_links(&notes, &bodies));
        Site {
            root: root.to_path_buf(),
            edit: EditLinks::new(&config.edit),
            config,
            notes,
            bodies,
            profiles,
            profile_bodies,
            graph,
            warnings: Vec::new(),
            skipped,
        }
    }

    /// The problems of the site as a whole, beyond each file's own: notes
    /// or profiles that would share a URL, broken links between notes (errors
    /// or warnings, as `[build] broken-links` says; a link to a draft left
    /// out is a warning); and the warnings of its notes and profiles.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = graph::slug_collisions(&self.notes);
        problems.extend(graph::names::collisions(&self.profiles));
        for note in &self.notes {
            problems.extend(note.warnings.iter().cloned());
        }
        for profile in &self.profiles {
            problems.extend(profile.warnings.iter().cloned());
        }
        let drafts: HashSet<&Path> = self
            .skipped
            .iter()
            .filter(|s| s.why == Skip::Draft)
            .map(|s| s.source.as_path())
            .collect();
        for rendered in self.bodies.iter().chain(&self.profile_bodies) {
            problems.extend(rendered.problems.iter().cloned());
            let broken = rendered.broken.iter();
            problems.extend(broken.map(|b| self.broken_link(b, &drafts)));
        }
        let documents = || self.bodies.iter().chain(&self.profile_bodies);
        if documents().any(|d| d.links.iter().any(|l| l.anchor.is_some())) {
            let anchors = anchor_sets(
                &self.notes,
                &self.bodies,
                &self.profiles,
                &self.profile_bodies,
            );
            let missing = check_anchors(&anchors);
            problems.extend(missing.into_iter().map(|d| self.link_severity(d)));
        }
        problems
    }

    /// The problem of a link that leads nowhere: a warning if it leads to
    /// one of the `drafts` this build leaves out, else as
    /// `[build] broken-links` says.
    fn broken_link(&self, link: &BrokenLink, drafts: &HashSet<&Path>) -> Diagnostic {
        match &link.missing {
            Some(draft) if drafts.contains(draft.as_path()) => Diagnostic {
                message: format!(
                    "this link to `{}` links to a draft, which this build leaves out; shown as text",
                    draft.display()
                ),
                hint: Some("build with --drafts to include drafts".into()),
                ..link.problem.clone()
            }
            .as_warning(),
            _ => self.link_severity(link.problem.clone()),
        }
    }

    /// `problem`, a broken link, as a warning when `[build] broken-links = "warn"`.
    fn link_severity(&self, problem: Diagnostic) -> Diagnostic {
        match self.config.build.broken_links {
            BrokenLinks::Error => problem,
            BrokenLinks::Warn => problem.as_warning(),
        }
    }

    /// The site-relative URL of talk `id`.
    pub fn talk_url(&self, id: TalkId) -> String {
        urls::talk(&self.notes[id].slug)
    }
}

/// Every page made from a file: source path → site-relative URL.
pub fn page_urls(notes: &[Note], profiles: &[Profile]) -> HashMap<PathBuf, String> {
    let talks = notes
        .iter()
        .map(|n| (n.source.clone(), urls::talk(&n.slug)));
    let entities = profiles
        .iter()
        .map(|p| (p.source.clone(), urls::entity(p.kind, &p.slug)));
    talks.chain(entities).collect()
}

/// A note's markdown, rendered for its page; `pages` from [`page_urls`].
pub fn render_note(note: &Note, pages: &HashMap<PathBuf, String>, raw_html: RawHtml) -> Rendered {
    let doc = Document {
        source: &note.source,
        body: &note.body,
        body_line: note.body_line,
    };
    render_document(doc, &urls::talk(&note.slug), pages, raw_html)
}

/// A profile's markdown, rendered for its entity's page.
pub fn render_profile(
    profile: &Profile,
    pages: &HashMap<PathBuf, String>,
    raw_html: RawHtml,
) -> Rendered {
    let doc = Document {
        source: &profile.source,
        body: &profile.body,
        body_line: profile.body_line,
    };
    let url = urls::entity(profile.kind, &profile.slug);
    render_document(doc, &url, pages, raw_html)
}

/// `doc` rendered for the page at `url`.
fn render_document(
    doc: Document<'_>,
    url: &str,
    pages: &HashMap<PathBuf, String>,
    raw_html: RawHtml,
) -> Rendered {
    let root = urls::root_prefix(url);
    markdown::render(doc, LinkTargets { pages, root: &root }, raw_html)
}

/// The heading ids of every note and profile, by source path.
fn anchor_sets<'a>(
    notes: &'a [Note],
    bodies: &'a [Rendered],
    profiles: &'a [Profile],
    profile_bodies: &'a [Rendered],
) -> HashMap<&'a Path, &'a Rendered> {
    let notes = notes.iter().map(|n| n.source.as_path()).zip(bodies);
    let profiles = profiles
        .iter()
        .map(|p| p.source.as_path())
        .zip(profile_bodies);
    notes.chain(profiles).collect()
}

fn check_anchors(documents: &HashMap<&Path, &Rendered>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (source, rendered) in documents {
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else {
                continue;
            };
            let Some(target) = documents.get(link.target.as_path()) else {
                continue;
            };
            if !target.anchors.contains(anchor) {
                problems.push(
                    Diagnostic::in_file(
                        source,
                        format!(
                            "broken link: {} has no heading with id `#{anchor}`",
                            link.target.display()
                        ),
                    )
                    .at_line(link.line)
                    .with_hint(markdown::anchor_hint(&target.anchors)),
                );
            }
        }
    }
    problems
}

/// For each note, the talks it links to: the graph's input.
pub fn note_links(notes: &[Note], bodies: &[Rendered]) -> Vec<Vec<TalkId>> {
    let ids: HashMap<&Path, TalkId> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.source.as_path(), i))
        .collect();
    bodies
        .iter()
        .map(|body| {
            body.links
                .iter()
                .filter_map(|l| ids.get(l.target.as_path()).copied())
                .collect()
        })
        .collect()
}
