//! The loaded site kept in step with its notes, one changed file at a time.
//!
//! After a batch of changed paths, [`LiveContent::apply`] reads again only
//! the files at those paths, renders again only their markdown (and that of
//! notes linking to a note whose URL appeared, moved or went away, and of
//! notes and profiles whose wikilinks or mentions a changed title, name or
//! alias affects), and builds the graph again only when something it reads changed: for an edit
//! of a note's body, nothing but that note is touched. The result is the
//! same [`Site`] that [`Site::load`] makes from the same files.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{self, Note, Parsed, Reader, Role};
use crate::diagnostics::Diagnostic;
use crate::documents::{Notes, ProfileFile, Talk};
use crate::graph::{self, BodyLinks, Graph};
use crate::ids::TalkId;
use crate::markdown::Rendered;
use crate::reads::Changed;
use crate::site::{self, Markdown, Site};
use crate::urls;

/// What `serve` keeps beside a [`Site`] to bring it up to date file by file.
pub struct LiveContent {
    /// Source path → page URL of every note and profile.
    pages: HashMap<PathBuf, String>,
    /// For each note, the talks and entities it links to.
    links: Vec<BodyLinks>,
    /// Which files are notes and profiles, and what they mean.
    reader: Reader,
}

/// What [`LiveContent::apply`] changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// The talks whose note or rendered body changed.
    pub edited: Vec<TalkId>,
    /// What changed in the graph: talks' links, entities, the order of the
    /// talks.
    pub changed: Changed,
    /// Whether more changed than `changed` says: notes came or went (every
    /// talk's id may have moved), or a profile changed.
    pub everything: bool,
    /// Whether the page of a note or profile appeared, went away or moved
    /// (its slug changed).
    pub pages_moved: bool,
}

impl LiveContent {
    /// What it takes to update `site`, read with drafts when `drafts` is true.
    pub fn new(site: &Site, drafts: bool) -> LiveContent {
        LiveContent {
            pages: site::page_urls(
                site.notes().iter(),
                site.profiles.iter().map(|p| &p.profile),
            ),
            links: site::note_links(&site.talks),
            reader: Reader::new(&site.config, drafts),
        }
    }

    /// The folders holding the site's notes and profiles, relative to the root.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.reader.layout.tops().to_vec()
    }

    /// Brings the site up to date with the files at `paths` (relative to the
    /// root): each a file or folder that was created, modified, removed or
    /// renamed. A change of an event's index file, which names the event of
    /// every note in its folder, loads everything again.
    pub fn apply(&mut self, site: &mut Site, paths: &BTreeSet<PathBuf>) -> Applied {
        if paths
            .iter()
            .any(|p| self.reader.layout.role(p) == Role::EventIndex)
        {
            return self.reload(site);
        }
        site.read_problems.retain(|problem| {
            let file = problem.file.as_deref();
            !file.is_some_and(|f| paths.iter().any(|changed| f.starts_with(changed)))
        });
        let (listed, known) = self.files_at(site, paths);
        let reader = &self.reader;
        let events = reader.folder_events(site.profiles.iter().map(|p| &p.profile));
        let root = &site.root;
        let results: Vec<(PathBuf, Result<Option<Parsed>, Diagnostic>)> = known
            .into_iter()
            .chain(listed.iter().cloned())
            .collect::<BTreeSet<PathBuf>>()
            .into_par_iter()
            .map(|rel| {
                // A file the walk no longer lists (gone, or now behind a link
                // that is not followed) is no longer in the site, as for `load`.
                let result = match listed.contains(&rel) {
                    true => {
                        content::load_file(root, &rel, reader, &events).map(|parsed| match parsed {
                            Parsed::Skipped(_) => None,
                            parsed => Some(parsed),
                        })
                    }
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
                    site.read_problems.push(problem);
                    read.push((rel, None));
                }
            }
        }
        // A notes folder that went away is reported as `load` reports it.
        let missing = content::missing_folders(&site.root, &self.reader);
        site.read_problems.extend(missing);
        self.replace(site, read)
    }

    /// Everything read again, as [`Site::read`] does.
    fn reload(&mut self, site: &mut Site) -> Applied {
        let drafts = self.reader.drafts();
        *site = Site::read(&site.root, drafts, Markdown::Keep);
        *self = LiveContent::new(site, drafts);
        Applied {
            edited: Vec::new(),
            changed: Changed::default(),
            everything: true,
            pages_moved: true,
        }
    }

    /// The content files at or under `paths`: those the walk of `content/`
    /// lists now, and those the site has from before.
    fn files_at(
        &self,
        site: &mut Site,
        paths: &BTreeSet<PathBuf>,
    ) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
        let mut listed = BTreeSet::new();
        let mut known = BTreeSet::new();
        for path in paths {
            let (found, problems) = content::files_at(&site.root, path, &self.reader.layout);
            listed.extend(found);
            site.read_problems.extend(problems);
            known.extend(under(&site.talks, path, talk_source).cloned());
            known.extend(under(&site.profiles, path, profile_source).cloned());
        }
        (listed, known)
    }

    /// Puts what was read in place of what the site had at those paths.
    fn replace(&mut self, site: &mut Site, read: Vec<(PathBuf, Option<Parsed>)>) -> Applied {
        let mut edited: Vec<(TalkId, Note)> = Vec::new();
        let mut gone = BTreeSet::new();
        let mut new_talks = Vec::new();
        let mut new_profiles = Vec::new();
        let mut profiles_changed = false;
        let mut paths = BTreeSet::new();
        for (path, parsed) in read {
            let talk = find(&site.talks, &path, talk_source).map(TalkId::new);
            let profile = find(&site.profiles, &path, profile_source);
            match (parsed, talk, profile) {
                (Some(Parsed::Note(new)), Some(id), _) => {
                    edited.push((id, std::mem::replace(&mut site.talks[id].note, new)));
                }
                (Some(Parsed::Profile(new)), _, Some(index)) => {
                    site.profiles[index].profile = new;
                    profiles_changed = true;
                }
                (parsed, was_talk, was_profile) => {
                    profiles_changed |= was_profile.is_some();
                    if was_talk.is_some() || was_profile.is_some() {
                        gone.insert(path.clone());
                    }
                    match parsed {
                        Some(Parsed::Note(note)) => new_talks.push(Talk {
                            note,
                            body: Rendered::default(),
                        }),
                        Some(Parsed::Profile(profile)) => new_profiles.push(ProfileFile {
                            profile,
                            body: Rendered::default(),
                        }),
                        Some(Parsed::Skipped(_)) | None => {}
                    }
                }
            }
            paths.insert(path);
        }
        let notes_moved = !gone.is_empty() || !new_talks.is_empty();
        profiles_changed |= !new_profiles.is_empty();
        splice(&mut site.talks, &gone, new_talks, talk_source);
        splice(&mut site.profiles, &gone, new_profiles, profile_source);
        let names = if notes_moved || profiles_changed {
            NameChange::Any
        } else {
            name_change(site, &edited)
        };
        let moved = self.update_pages(site, &paths);
        let (rendered, profiles_rendered) = self.render_markdown(site, &paths, &moved, names);
        profiles_changed |= profiles_rendered;
        let mut edited_ids: Vec<TalkId> = edited.iter().map(|(id, _)| *id).collect();
        edited_ids.extend(&rendered);
        edited_ids.sort_unstable();
        edited_ids.dedup();
        let mut applied = Applied {
            edited: edited_ids,
            changed: Changed::default(),
            everything: notes_moved || profiles_changed,
            pages_moved: !moved.is_empty(),
        };
        for (id, before) in &edited {
            if before.date != site.talks[*id].note.date {
                applied.changed.talk_date(*id);
            }
        }
        let mut relinked = Vec::new();
        if notes_moved {
            self.links = site::note_links(&site.talks);
        } else {
            for id in rendered {
                let links = link_ids(&site.talks, &site.talks[id].body);
                if links != self.links[id.index()] {
                    relinked.push(id);
                    self.links[id.index()] = links;
                }
            }
        }
        if notes_moved {
            // Ids moved: `edited` names notes by their former ids.
            site.graph = Graph::build(Notes(&site.talks), &site.profiles, &self.links);
            return applied;
        }
        let edited: Vec<(TalkId, &Note)> = edited
            .iter()
            .filter(|(id, before)| !graph::same_inputs(before, &site.talks[*id].note))
            .map(|(id, before)| (*id, before))
            .collect();
        if profiles_changed || !relinked.is_empty() || !edited.is_empty() {
            let notes = Notes(&site.talks);
            let (profiles, links) = (&site.profiles, &self.links);
            let changed = &mut applied.changed;
            (site.graph).update(notes, profiles, links, &relinked, &edited, changed);
        }
        applied
    }

    /// Renders the markdown of the files in `changed` again, and of every
    /// note or profile whose links may now lead elsewhere (after `names`,
    /// what wikilinks and mentions name is brought up to date): the talks
    /// rendered again, and whether any profile was.
    fn render_markdown(
        &mut self,
        site: &mut Site,
        changed: &BTreeSet<PathBuf>,
        moved: &BTreeSet<PathBuf>,
        names: NameChange,
    ) -> (Vec<TalkId>, bool) {
        let mut talks: BTreeSet<usize> = changed
            .iter()
            .filter_map(|path| find(&site.talks, path, talk_source))
            .collect();
        let mut profiles: BTreeSet<usize> = changed
            .iter()
            .filter_map(|path| find(&site.profiles, path, profile_source))
            .collect();
        let (renamed_talks, renamed_profiles) = match names {
            NameChange::None => (Vec::new(), Vec::new()),
            NameChange::Titles(ids) => retitled(site, &ids),
            NameChange::Any => renamed(site),
        };
        talks.extend(renamed_talks);
        profiles.extend(renamed_profiles);
        if !moved.is_empty() {
            let stale = |body: &Rendered| {
                !body.broken.is_empty() || body.links.iter().any(|l| moved.contains(&l.target))
            };
            talks.extend((0..site.talks.len()).filter(|&i| stale(&site.talks[i].body)));
            profiles.extend((0..site.profiles.len()).filter(|&i| stale(&site.profiles[i].body)));
        }
        let inputs = site::BodyInputs {
            pages: &self.pages,
            linkable: &site.linkable,
            raw_html: site.config.markdown.raw_html,
        };
        let rendered: Vec<(usize, Rendered)> = talks
            .into_par_iter()
            .map(|i| (i, site::render_note(&site.talks[i].note, &inputs)))
            .collect();
        let mut ids = Vec::with_capacity(rendered.len());
        for (i, body) in rendered {
            site.talks[i].body = body;
            ids.push(TalkId::new(i));
        }
        let profiles_rendered = !profiles.is_empty();
        let bodies: Vec<(usize, Rendered)> = profiles
            .into_par_iter()
            .map(|i| (i, site::render_profile(&site.profiles[i].profile, &inputs)))
            .collect();
        for (i, body) in bodies {
            site.profiles[i].body = body;
        }
        (ids, profiles_rendered)
    }

    /// Brings the URL of each page made from a file at `paths` up to date;
    /// the paths whose page appeared, went away or moved.
    fn update_pages(&mut self, site: &Site, paths: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let mut moved = BTreeSet::new();
        for path in paths {
            let note = find(&site.talks, path, talk_source).map(|i| site.talk_url(TalkId::new(i)));
            let profile = find(&site.profiles, path, profile_source).map(|i| {
                let profile = &site.profiles[i].profile;
                urls::entity(profile.kind, &profile.slug)
            });
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

/// The source of a talk's note.
fn talk_source(talk: &Talk) -> &PathBuf {
    &talk.note.source
}

/// The source of a profile.
fn profile_source(file: &ProfileFile) -> &PathBuf {
    &file.profile.source
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

/// What an update changed of the names wikilinks and mentions link by.
enum NameChange {
    /// Nothing.
    None,
    /// Only the titles of these talks.
    Titles(Vec<TalkId>),
    /// Anything: what they can name is made again.
    Any,
}

/// What the edits (id, note before) changed of the names to link by.
fn name_change(site: &Site, edited: &[(TalkId, Note)]) -> NameChange {
    let changed: Vec<&(TalkId, Note)> = edited
        .iter()
        .filter(|(id, before)| !same_names(before, &site.talks[*id].note))
        .collect();
    let titles_only = changed.iter().all(|(id, before)| {
        let after = &site.talks[*id].note;
        let (linkable, graph, profiles) = (&site.linkable, &site.graph, &site.profiles);
        before.slug == after.slug
            && graph::same_linkable_entities(linkable, graph, profiles, before, after)
    });
    match (changed.is_empty(), titles_only) {
        (true, _) => NameChange::None,
        (false, true) => NameChange::Titles(changed.iter().map(|(id, _)| *id).collect()),
        (false, false) => NameChange::Any,
    }
}

/// Gives the talks `ids` their new titles in what wikilinks can name; the
/// notes and the profiles (by index) with a wikilink that may now lead
/// elsewhere or show other text.
fn retitled(site: &mut Site, ids: &[TalkId]) -> (Vec<usize>, Vec<usize>) {
    let mut keys = BTreeSet::new();
    for &id in ids {
        let note = &site.talks[id].note;
        keys.extend(
            site.linkable
                .retitle(&note.source, &note.title)
                .into_iter()
                .flatten(),
        );
    }
    debug_assert!(
        site.linkable
            == site::linkable(
                &site.config,
                site.notes().iter(),
                site.profiles.iter().map(|p| &p.profile)
            ),
        "a retitle gives what linkable makes"
    );
    let affected = |wikilinks: &[String]| {
        wikilinks.iter().any(|name| {
            let name = name.strip_prefix("talks/").unwrap_or(name);
            keys.contains(&urls::slugify(name))
        })
    };
    let talks = (0..site.talks.len())
        .into_par_iter()
        .filter(|&i| affected(&site.talks[i].body.wikilinks))
        .collect();
    let profiles = (0..site.profiles.len())
        .filter(|&i| affected(&site.profiles[i].body.wikilinks))
        .collect();
    (talks, profiles)
}

/// Makes again what the site's wikilinks and mentions can name; the
/// notes and the profiles (by index) whose markdown that change affects.
fn renamed(site: &mut Site) -> (Vec<usize>, Vec<usize>) {
    let profiles = site.profiles.iter().map(|p| &p.profile);
    let linkable = site::linkable(&site.config, site.notes().iter(), profiles);
    if linkable == site.linkable {
        return (Vec::new(), Vec::new());
    }
    let changes = site.linkable.changes(&linkable);
    let talks = (0..site.talks.len())
        .into_par_iter()
        .filter(|&i| {
            let talk = &site.talks[i];
            changes.affect(&talk.note.body, &talk.body.wikilinks)
        })
        .collect();
    let profiles = (0..site.profiles.len())
        .into_par_iter()
        .filter(|&i| {
            let file = &site.profiles[i];
            changes.affect(&file.profile.body, &file.body.wikilinks)
        })
        .collect();
    site.linkable = linkable;
    (talks, profiles)
}

/// Whether two versions of a note give the same names to link by: its
/// slug, and what the graph reads (its title, date and the names in its
/// front matter, whose newest spelling names an entity).
fn same_names(before: &Note, after: &Note) -> bool {
    before.slug == after.slug && graph::same_inputs(before, after)
}

/// What a note whose body is `body` links to, as [`site::note_links`]
/// lists it.
fn link_ids(talks: &[Talk], body: &Rendered) -> BodyLinks {
    site::body_links(body, |source| {
        find(talks, source, talk_source).map(TalkId::new)
    })
}

/// Removes the items of `items` (sorted by source) whose source is in
/// `gone`, and adds `new` ones, keeping the order.
fn splice<T>(
    items: &mut Vec<T>,
    gone: &BTreeSet<PathBuf>,
    new: Vec<T>,
    source: impl Fn(&T) -> &PathBuf,
) {
    if gone.is_empty() && new.is_empty() {
        return;
    }
    items.retain(|item| !gone.contains(source(item)));
    items.extend(new);
    items.sort_by(|a, b| source(a).cmp(source(b)));
}
