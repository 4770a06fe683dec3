//! The loaded site kept in step with `content/`, one changed file at a time.
//!
//! After a batch of changed paths, [`LiveContent::apply`] reads again only
//! the files at those paths, renders again only their markdown (and that of
//! notes linking to a note whose URL appeared, moved or went away), and
//! builds the graph again only when something it reads changed: for an edit
//! of a note's body, nothing but that note is touched. The result is the
//! same [`Site`] that [`Site::load`] makes from the same files.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, CONTENT_DIR, Note, Parsed};
use crate::diagnostics::Diagnostic;
use crate::graph::{self, Graph, TalkId};
use crate::markdown::Rendered;
use crate::site::{self, Site};

/// A site's content as it is on disk now, with the problems of its files.
pub struct LiveContent {
    /// The notes and profiles that could be read, rendered and linked.
    pub site: Site,
    /// Problems reading or parsing single files (and a missing `content/`).
    file_problems: Vec<Diagnostic>,
    /// Source path → page URL of every note and profile.
    pages: HashMap<PathBuf, String>,
    drafts: bool,
}

/// What [`LiveContent::apply`] changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// Notes whose front matter or rendered body may have changed, by source.
    pub notes: BTreeSet<PathBuf>,
}

impl LiveContent {
    /// Loads `content/` under `root` with `config`.
    pub fn load(root: &Path, config: Config, drafts: bool) -> LiveContent {
        let (content, file_problems) = content::load(root, drafts);
        let site = Site::assemble(root, config, content);
        let pages = site::page_urls(&site.notes, &site.profiles);
        LiveContent {
            site,
            file_problems,
            pages,
            drafts,
        }
    }

    /// Every problem of the content: its files' and the site's.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = self.file_problems.clone();
        problems.extend(self.site.problems());
        problems
    }

    /// Brings the site up to date with the files at `paths` (relative to the
    /// root, inside `content/`): each a file or folder that was created,
    /// modified, removed or renamed.
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Applied {
        self.file_problems.retain(|problem| {
            let file = problem.file.as_deref();
            !file.is_some_and(|f| paths.iter().any(|changed| f.starts_with(changed)))
        });
        let files = self.files_at(paths);
        let (root, drafts) = (&self.site.root, self.drafts);
        let results: Vec<(PathBuf, Result<Option<Parsed>, Diagnostic>)> = files
            .into_par_iter()
            .map(|rel| {
                // A file that is gone (or is no longer a plain file) is no
                // longer in the site, as `load` would not list it.
                let is_file = std::fs::symlink_metadata(root.join(&rel)).is_ok_and(|m| m.is_file());
                let result = match is_file {
                    true => content::load_file(root, &rel, drafts),
                    false => Ok(None),
                };
                (rel, result)
            })
            .collect();
        let mut read = Vec::with_capacity(results.len());
        for (rel, result) in results {
            match result {
                Ok(parsed) => read.push((rel, parsed)),
                Err(problem) => {
                    self.file_problems.push(problem);
                    read.push((rel, None));
                }
            }
        }
        if !root.join(CONTENT_DIR).is_dir() {
            // Without the folder, `load` reads nothing and reports that.
            let (_, missing) = content::load(root, drafts);
            self.file_problems.extend(missing);
        }
        self.replace(read)
    }

    /// The content files at or under `paths`: those on disk now, and those
    /// the site has from before.
    fn files_at(&mut self, paths: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let mut files = BTreeSet::new();
        for path in paths {
            let (found, problems) = content::files_at(&self.site.root, path);
            files.extend(found);
            self.file_problems.extend(problems);
            let known = self
                .site
                .notes
                .iter()
                .map(|n| &n.source)
                .chain(self.site.profiles.iter().map(|p| &p.source));
            files.extend(known.filter(|s| s.starts_with(path)).cloned());
        }
        files
    }

    /// Puts what was read in place of what the site had at those paths.
    fn replace(&mut self, read: Vec<(PathBuf, Option<Parsed>)>) -> Applied {
        let site = &mut self.site;
        let note_ids: HashMap<PathBuf, TalkId> = site
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.source.clone(), i))
            .collect();
        let profile_ids: HashMap<PathBuf, usize> = site
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.clone(), i))
            .collect();
        let mut edited: Vec<(TalkId, Note)> = Vec::new();
        let mut gone = BTreeSet::new();
        let mut new_notes = Vec::new();
        let mut new_profiles = Vec::new();
        let mut profiles_changed = false;
        let mut applied = Applied::default();
        for (path, parsed) in read {
            applied.notes.insert(path.clone());
            match (parsed, note_ids.get(&path), profile_ids.get(&path)) {
                (Some(Parsed::Note(note)), Some(&id), _) => {
                    edited.push((id, std::mem::replace(&mut site.notes[id], note)));
                }
                (Some(Parsed::Profile(profile)), _, Some(&index)) => {
                    site.profiles[index] = profile;
                    profiles_changed = true;
                }
                (parsed, was_note, was_profile) => {
                    if was_note.is_some() || was_profile.is_some() {
                        gone.insert(path);
                    }
                    match parsed {
                        Some(Parsed::Note(note)) => new_notes.push(note),
                        Some(Parsed::Profile(profile)) => new_profiles.push(profile),
                        None => {}
                    }
                }
            }
        }
        let notes_moved = !gone.is_empty() || !new_notes.is_empty();
        profiles_changed |=
            !new_profiles.is_empty() || gone.iter().any(|p| profile_ids.contains_key(p));
        splice(&mut site.notes, &mut site.bodies, &gone, new_notes, |n| {
            &n.source
        });
        splice(
            &mut site.profiles,
            &mut site.profile_bodies,
            &gone,
            new_profiles,
            |p| &p.source,
        );
        let (links_changed, rendered) = self.render_markdown(&applied.notes);
        applied.notes.extend(rendered);
        let site = &mut self.site;
        let links = site::note_links(&site.notes, &site.bodies);
        if notes_moved {
            site.graph = Graph::build(&site.notes, &site.profiles, &links);
        } else {
            let edited: Vec<(TalkId, &Note)> = edited
                .iter()
                .filter(|(id, before)| !graph::same_inputs(before, &site.notes[*id]))
                .map(|(id, before)| (*id, before))
                .collect();
            if profiles_changed || links_changed || !edited.is_empty() {
                site.graph = site
                    .graph
                    .rebuild(&site.notes, &site.profiles, &links, &edited);
            }
        }
        applied
    }

    /// Renders the markdown of the files in `changed` again, and of every
    /// note or profile whose links may now lead elsewhere. Whether any
    /// note's links to other notes changed, and the notes rendered again.
    fn render_markdown(&mut self, changed: &BTreeSet<PathBuf>) -> (bool, Vec<PathBuf>) {
        let pages = site::page_urls(&self.site.notes, &self.site.profiles);
        let moved = moved_pages(&self.pages, &pages);
        let stale = |source: &Path, body: &Rendered| {
            changed.contains(source)
                || (!moved.is_empty()
                    && (!body.problems.is_empty()
                        || body.links.iter().any(|l| moved.contains(&l.target))))
        };
        let site = &mut self.site;
        let mut links_changed = false;
        let notes: Vec<usize> = (0..site.notes.len())
            .filter(|&i| stale(&site.notes[i].source, &site.bodies[i]))
            .collect();
        let rendered: Vec<Rendered> = notes
            .par_iter()
            .map(|&i| site::render_note(&site.notes[i], &pages))
            .collect();
        let mut sources = Vec::with_capacity(notes.len());
        for (i, body) in notes.into_iter().zip(rendered) {
            links_changed |= link_targets(&site.bodies[i]) != link_targets(&body);
            sources.push(site.notes[i].source.clone());
            site.bodies[i] = body;
        }
        let profiles: Vec<usize> = (0..site.profiles.len())
            .filter(|&i| stale(&site.profiles[i].source, &site.profile_bodies[i]))
            .collect();
        for i in profiles {
            site.profile_bodies[i] = site::render_profile(&site.profiles[i], &pages);
        }
        self.pages = pages;
        (links_changed, sources)
    }
}

/// Pages that appeared, went away or changed URL between `old` and `new`.
fn moved_pages(
    old: &HashMap<PathBuf, String>,
    new: &HashMap<PathBuf, String>,
) -> BTreeSet<PathBuf> {
    let appeared_or_moved = new
        .iter()
        .filter(|(source, url)| old.get(*source) != Some(url))
        .map(|(source, _)| source.clone());
    let gone = old
        .keys()
        .filter(|source| !new.contains_key(*source))
        .cloned();
    appeared_or_moved.chain(gone).collect()
}

/// The notes a document links to.
fn link_targets(body: &Rendered) -> BTreeSet<&Path> {
    body.links.iter().map(|l| l.target.as_path()).collect()
}

/// Removes the items of `items` (sorted by source, `bodies` beside them)
/// whose source is in `gone`, and adds `new` ones, keeping the order.
/// Added items get an empty body, to be rendered.
fn splice<T>(
    items: &mut Vec<T>,
    bodies: &mut Vec<Rendered>,
    gone: &BTreeSet<PathBuf>,
    new: Vec<T>,
    source: impl Fn(&T) -> &PathBuf,
) {
    if gone.is_empty() && new.is_empty() {
        return;
    }
    let old = std::mem::take(items)
        .into_iter()
        .zip(std::mem::take(bodies));
    let mut all: Vec<(T, Rendered)> = old
        .filter(|(item, _)| !gone.contains(source(item)))
        .chain(new.into_iter().map(|item| (item, Rendered::default())))
        .collect();
    all.sort_by(|a, b| source(&a.0).cmp(source(&b.0)));
    (*items, *bodies) = all.into_iter().unzip();
}
