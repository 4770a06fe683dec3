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
use crate::content::{self, Note, Parsed, Reader, Role};
use crate::diagnostics::Diagnostic;
use crate::graph::{self, Graph, TalkId};
use crate::markdown::Rendered;
use crate::site::{self, Site};
use crate::urls;

/// A site's content as it is on disk now, with the problems of its files.
pub struct LiveContent {
    /// The notes and profiles that could be read, rendered and linked.
    pub site: Site,
    /// Problems reading or parsing single files (and a missing `content/`).
    file_problems: Vec<Diagnostic>,
    /// Source path → page URL of every note and profile.
    pages: HashMap<PathBuf, String>,
    /// For each note, the talks it links to.
    links: Vec<Vec<TalkId>>,
    /// Which files are notes and profiles, and what they mean.
    reader: Reader,
}

/// What [`LiveContent::apply`] changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// Notes whose front matter or rendered body may have changed, by source.
    pub notes: BTreeSet<PathBuf>,
    /// Whether more than those notes may have changed: notes came or went,
    /// a profile changed, or the graph was built again.
    pub more: bool,
}

impl LiveContent {
    /// Loads the notes and profiles under `root` with `config`.
    pub fn load(root: &Path, config: Config, drafts: bool) -> LiveContent {
        let reader = Reader::new(&config, drafts);
        let (content, file_problems) = content::load(root, &reader);
        let site = Site::assemble(root, config, content);
        let pages = site::page_urls(&site.notes, &site.profiles);
        let links = site::note_links(&site.notes, &site.bodies);
        LiveContent {
            site,
            file_problems,
            pages,
            links,
            reader,
        }
    }

    /// The folders holding the site's notes and profiles, relative to the root.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.reader.layout.tops().to_vec()
    }

    /// Every problem of the content: its files' and the site's.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = self.file_problems.clone();
        problems.extend(self.site.problems());
        problems
    }

    /// Brings the site up to date with the files at `paths` (relative to the
    /// root): each a file or folder that was created, modified, removed or
    /// renamed. A change of an event's index file, which names the event of
    /// every note in its folder, loads everything again.
    pub fn apply(&mut self, paths: &BTreeSet<PathBuf>) -> Applied {
        if paths
            .iter()
            .any(|p| self.reader.layout.role(p) == Role::EventIndex)
        {
            return self.reload();
        }
        self.file_problems.retain(|problem| {
            let file = problem.file.as_deref();
            !file.is_some_and(|f| paths.iter().any(|changed| f.starts_with(changed)))
        });
        let (listed, known) = self.files_at(paths);
        let (root, reader, profiles) = (&self.site.root, &self.reader, &self.site.profiles);
        let results: Vec<(PathBuf, Result<Option<Parsed>, Diagnostic>)> = known
            .into_iter()
            .chain(listed.iter().cloned())
            .collect::<BTreeSet<PathBuf>>()
            .into_par_iter()
            .map(|rel| {
                // A file the walk no longer lists (gone, or now behind a link
                // that is not followed) is no longer in the site, as for `load`.
                let result =
                    match listed.contains(&rel) {
                        true => content::load_file(root, &rel, reader, profiles).map(|parsed| {
                            match parsed {
                                Parsed::Skipped(_) => None,
                                parsed => Some(parsed),
                            }
                        }),
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
        // A notes folder that went away is reported as `load` reports it.
        let missing = content::missing_folders(root, &self.reader);
        self.file_problems.extend(missing);
        self.replace(read)
    }

    /// Everything read again, as [`LiveContent::load`] does.
    fn reload(&mut self) -> Applied {
        let root = self.site.root.clone();
        let config = self.site.config.clone();
        *self = LiveContent::load(&root, config, self.reader.drafts());
        Applied {
            notes: self.site.notes.iter().map(|n| n.source.clone()).collect(),
            more: true,
        }
    }

    /// The content files at or under `paths`: those the walk of `content/`
    /// lists now, and those the site has from before.
    fn files_at(&mut self, paths: &BTreeSet<PathBuf>) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
        let mut listed = BTreeSet::new();
        let mut known = BTreeSet::new();
        for path in paths {
            let (found, problems) = content::files_at(&self.site.root, path, &self.reader.layout);
            listed.extend(found);
            self.file_problems.extend(problems);
            known.extend(under(&self.site.notes, path, |n| &n.source).cloned());
            known.extend(under(&self.site.profiles, path, |p| &p.source).cloned());
        }
        (listed, known)
    }

    /// Puts what was read in place of what the site had at those paths.
    fn replace(&mut self, read: Vec<(PathBuf, Option<Parsed>)>) -> Applied {
        let site = &mut self.site;
        let mut edited: Vec<(TalkId, Note)> = Vec::new();
        let mut gone = BTreeSet::new();
        let mut new_notes = Vec::new();
        let mut new_profiles = Vec::new();
        let mut profiles_changed = false;
        let mut applied = Applied::default();
        for (path, parsed) in read {
            let note = find(&site.notes, &path, |n| &n.source);
            let profile = find(&site.profiles, &path, |p| &p.source);
            match (parsed, note, profile) {
                (Some(Parsed::Note(new)), Some(id), _) => {
                    edited.push((id, std::mem::replace(&mut site.notes[id], new)));
                }
                (Some(Parsed::Profile(new)), _, Some(index)) => {
                    site.profiles[index] = new;
                    profiles_changed = true;
                }
                (parsed, was_note, was_profile) => {
                    profiles_changed |= was_profile.is_some();
                    if was_note.is_some() || was_profile.is_some() {
                        gone.insert(path.clone());
                    }
                    match parsed {
                        Some(Parsed::Note(note)) => new_notes.push(note),
                        Some(Parsed::Profile(profile)) => new_profiles.push(profile),
                        Some(Parsed::Skipped(_)) | None => {}
                    }
                }
            }
            applied.notes.insert(path);
        }
        let notes_moved = !gone.is_empty() || !new_notes.is_empty();
        profiles_changed |= !new_profiles.is_empty();
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
        let (rendered, profiles_rendered) = self.render_markdown(&applied.notes);
        profiles_changed |= profiles_rendered;
        let site = &mut self.site;
        applied
            .notes
            .extend(rendered.iter().map(|&i| site.notes[i].source.clone()));
        let mut links_changed = false;
        if notes_moved {
            self.links = site::note_links(&site.notes, &site.bodies);
        } else {
            for i in rendered {
                let links = link_ids(&site.notes, &site.bodies[i]);
                links_changed |= links != self.links[i];
                self.links[i] = links;
            }
        }
        applied.more = notes_moved || profiles_changed;
        if notes_moved {
            // Ids moved: `edited` names notes by their former ids.
            site.graph = Graph::build(&site.notes, &site.profiles, &self.links);
            return applied;
        }
        let edited: Vec<(TalkId, &Note)> = edited
            .iter()
            .filter(|(id, before)| !graph::same_inputs(before, &site.notes[*id]))
            .map(|(id, before)| (*id, before))
            .collect();
        if profiles_changed || links_changed || !edited.is_empty() {
            applied.more = true;
            site.graph = site
                .graph
                .rebuild(&site.notes, &site.profiles, &self.links, &edited);
        }
        applied
    }

    /// Renders the markdown of the files in `changed` again, and of every
    /// note or profile whose links may now lead elsewhere: the notes
    /// rendered again, by id, and whether any profile was.
    fn render_markdown(&mut self, changed: &BTreeSet<PathBuf>) -> (Vec<TalkId>, bool) {
        let moved = self.update_pages(changed);
        let site = &mut self.site;
        let mut notes: BTreeSet<usize> = changed
            .iter()
            .filter_map(|path| find(&site.notes, path, |n| &n.source))
            .collect();
        let mut profiles: BTreeSet<usize> = changed
            .iter()
            .filter_map(|path| find(&site.profiles, path, |p| &p.source))
            .collect();
        if !moved.is_empty() {
            let stale = |body: &Rendered| {
                !body.broken.is_empty() || body.links.iter().any(|l| moved.contains(&l.target))
            };
            notes.extend((0..site.notes.len()).filter(|&i| stale(&site.bodies[i])));
            profiles.extend((0..site.profiles.len()).filter(|&i| stale(&site.profile_bodies[i])));
        }
        let pages = &self.pages;
        let raw_html = site.config.markdown.raw_html;
        let rendered: Vec<(usize, Rendered)> = notes
            .into_par_iter()
            .map(|i| (i, site::render_note(&site.notes[i], pages, raw_html)))
            .collect();
        let mut ids = Vec::with_capacity(rendered.len());
        for (i, body) in rendered {
            site.bodies[i] = body;
            ids.push(i);
        }
        let profiles_rendered = !profiles.is_empty();
        for i in profiles {
            site.profile_bodies[i] = site::render_profile(&site.profiles[i], pages, raw_html);
        }
        (ids, profiles_rendered)
    }

    /// Brings the URL of each page made from a file at `paths` up to date;
    /// the paths whose page appeared, went away or moved.
    fn update_pages(&mut self, paths: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let site = &self.site;
        let mut moved = BTreeSet::new();
        for path in paths {
            let note = find(&site.notes, path, |n| &n.source).map(|i| site.talk_url(i));
            let profile = find(&site.profiles, path, |p| &p.source)
                .map(|i| urls::entity(site.profiles[i].kind, &site.profiles[i].slug));
            let url = note.or(profile);
            if self.pages.get(path) != url.as_ref() {
                moved.insert(path.clone());
                match url {
                    Some(url) => self.pages.insert(path.clone(), url),
                    None => self.pages.remove(path),
                };
            }
        }
        moved
    }
}

/// The index of the item of `items` (sorted by source) whose source is `path`.
fn find<T>(items: &[T], path: &Path, source: impl Fn(&T) -> &PathBuf) -> Option<usize> {
    items
        .binary_search_by(|item| source(item).as_path().cmp(path))
        .ok()
}

/// The sources of the items of `items` (sorted by source) at or under `path`.
fn under<'a, T>(
    items: &'a [T],
    path: &'a Path,
    source: impl Fn(&T) -> &PathBuf + 'a,
) -> impl Iterator<Item = &'a PathBuf> + 'a {
    let start = items.partition_point(|item| source(item).as_path() < path);
    items[start..]
        .iter()
        .map(source)
        .take_while(move |s| s.starts_with(path))
}

/// The talks a note whose body is `body` links to, as
/// [`site::note_links`] lists them.
fn link_ids(notes: &[Note], body: &Rendered) -> Vec<TalkId> {
    body.links
        .iter()
        .filter_map(|link| find(notes, &link.target, |n| &n.source))
        .collect()
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
