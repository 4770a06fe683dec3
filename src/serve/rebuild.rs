//! The site `serve` keeps in memory between edits, and what each change
//! renders again.
//!
//! A change to `content/` updates the loaded site file by file
//! ([`LiveContent`]); then every page's fingerprint (the hash of its view,
//! [`render::fingerprint`]) is compared with the one it had when last
//! published, and only the pages whose view changed are rendered. After an
//! edit of notes that changed neither the graph nor a profile nor what other
//! pages show of those notes ([`render::shown_elsewhere`]), only those
//! notes' own pages and the site's feed ([`render::showing_content`]) are
//! fingerprinted: that keeps a body edit in a big site cheap. A change to the templates renders every page; one to `static/`
//! collects the static files again; one to `book.toml` (or events the
//! watcher lost) loads everything again. A site with problems
//! publishes nothing: the last good site stays served until it is fixed.

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::incremental::{Applied, LiveContent};
use super::watch::Changes;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::Files;
use crate::ids::TalkId;
use crate::pipeline::Pipeline;
use crate::render::{self, Page};
use crate::site::Site;
use crate::urls;

/// The site, kept up to date with its files.
pub struct LiveSite {
    drafts: bool,
    /// The site's inputs, as read now.
    pipeline: Pipeline,
    /// What it takes to update the pipeline's notes file by file.
    content: LiveContent,
    /// The content hash of each static file.
    static_hashes: HashMap<String, u64>,
    /// Output path → fingerprint of every file last published: a page's
    /// [`render::fingerprint`], a static file's content hash.
    published: HashMap<String, u64>,
    /// Every page must be rendered again (templates or configuration changed).
    pages_stale: bool,
    /// The warnings of the site as last rendered.
    warnings: Vec<Diagnostic>,
    /// Notes changed since the last publish, by source, with what other
    /// pages showed of them as published ([`render::shown_elsewhere`]).
    changed_notes: HashMap<PathBuf, Result<u64, Diagnostic>>,
    /// Since the last publish, more changed than those notes' own pages
    /// ([`Applied::more`]): every page's fingerprint must be computed.
    more_changed: bool,
}

/// What bringing the site up to date gave.
#[derive(Debug)]
pub enum Outcome {
    /// The site is good: publish these changes.
    Publish(Update),
    /// The site has problems: keep serving the last good site.
    Broken(Diagnostics),
}

/// Files to publish: new or rendered again, and gone.
#[derive(Debug, Default)]
pub struct Update {
    /// Output path → bytes, of files that may have changed.
    pub files: Files,
    /// Output paths of files the site no longer has.
    pub removed: Vec<String>,
}

impl LiveSite {
    /// Loads the site at `root`: configuration, content, templates, static
    /// files. Problems are kept, to be reported by [`LiveSite::render`].
    pub fn load(root: &Path, drafts: bool) -> LiveSite {
        let pipeline = Pipeline::read(root, drafts);
        let mut site = LiveSite {
            drafts,
            content: LiveContent::new(&pipeline.site, drafts),
            pipeline,
            static_hashes: HashMap::new(),
            published: HashMap::new(),
            pages_stale: true,
            warnings: Vec::new(),
            changed_notes: HashMap::new(),
            more_changed: false,
        };
        site.hash_statics();
        site
    }

    /// The folders holding the site's notes and profiles, relative to the root.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.content.folders()
    }

    /// The site as loaded now (the last good one may be older).
    pub fn site(&self) -> &Site {
        &self.pipeline.site
    }

    /// What the site leaves out or changes without failing, as of the last
    /// [`LiveSite::render`].
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Takes `changes` into account, then renders what they affect.
    pub fn update(&mut self, changes: &Changes) -> Outcome {
        if changes.config || changes.rescan {
            return self.reload();
        }
        if changes.templates {
            self.pipeline.read_templates();
            self.pages_stale = true;
        }
        if changes.statics {
            self.pipeline.read_statics();
            self.hash_statics();
        }
        if !changes.content.is_empty() {
            self.apply(&changes.content);
        }
        self.render()
    }

    /// Loads everything again from the files, then renders what changed
    /// since the last publish.
    pub fn reload(&mut self) -> Outcome {
        let published = std::mem::take(&mut self.published);
        *self = LiveSite {
            published,
            ..LiveSite::load(&self.pipeline.site.root, self.drafts)
        };
        self.render()
    }

    /// Updates the content, and records what changed for [`LiveSite::render`].
    fn apply(&mut self, paths: &BTreeSet<PathBuf>) {
        if !self.pages_stale && !self.more_changed {
            self.record_shown_elsewhere(paths);
        }
        let applied: Applied = self.content.apply(&mut self.pipeline.site, paths);
        self.more_changed |= applied.more;
        // A file that was no note before the change (or since the last
        // publish) is more than a note's own page.
        if applied
            .notes
            .iter()
            .any(|source| !self.changed_notes.contains_key(source))
        {
            self.more_changed = true;
        }
    }

    /// Records what other pages show of each note at or under `paths`, as
    /// the site is before they are applied, for the notes not yet recorded
    /// since the last publish. (Until then, only recorded notes changed, and
    /// nothing other pages show of other notes: the recorded hashes are
    /// those of the published site.)
    fn record_shown_elsewhere(&mut self, paths: &BTreeSet<PathBuf>) {
        let site = &self.pipeline.site;
        for path in paths {
            let start = site
                .talks
                .partition_point(|t| t.note.source.as_path() < path);
            let under = site.talks[start..]
                .iter()
                .take_while(|t| t.note.source.starts_with(path));
            for (index, talk) in (start..).zip(under) {
                self.changed_notes
                    .entry(talk.note.source.clone())
                    .or_insert_with(|| render::shown_elsewhere(site, TalkId::new(index)));
            }
        }
    }

    /// Renders the pages whose inputs changed since the last publish, or
    /// every problem of the site.
    pub fn render(&mut self) -> Outcome {
        let ready = match self.pipeline.ready() {
            Ok(ready) => ready,
            Err(problems) => {
                self.warnings = problems.warnings();
                return Outcome::Broken(problems);
            }
        };
        self.warnings = ready.warnings;
        let own_pages = match self.only_own_pages_changed() {
            Ok(own_pages) => own_pages,
            Err(problem) => return Outcome::Broken(problem.into()),
        };
        let site = &self.pipeline.site;
        let to_fingerprint: Vec<Page> = match &own_pages {
            Some(ids) => ids
                .iter()
                .map(|&id| Page::Talk(id))
                .chain(render::showing_content())
                .collect(),
            None => render::pages(site),
        };
        // Many pages share the work of fingerprinting them (each talk's card
        // and entry).
        let many = own_pages.is_none().then(|| render::Fingerprints::new(site));
        let fingerprinted: Result<Vec<(Page, String, u64)>, Diagnostic> = to_fingerprint
            .into_par_iter()
            .map(|page| {
                let fingerprint = match &many {
                    Some(many) => many.of(&page)?,
                    None => render::fingerprint(site, &page)?,
                };
                let file = urls::file_for(&page.url(site));
                Ok((page, file, fingerprint))
            })
            .collect();
        let fingerprinted = match fingerprinted {
            Ok(fingerprinted) => fingerprinted,
            Err(problem) => return Outcome::Broken(problem.into()),
        };
        let mut fingerprints = HashMap::with_capacity(fingerprinted.len());
        let mut pages = Vec::new();
        for (page, file, fingerprint) in fingerprinted {
            if self.pages_stale || self.published.get(&file) != Some(&fingerprint) {
                pages.push(page);
            }
            fingerprints.insert(file, fingerprint);
        }
        let rendered = match self.pipeline.render(ready.tera, &pages, &|| {}) {
            Ok(rendered) => rendered,
            Err(problems) => return Outcome::Broken(problems),
        };
        let mut files = rendered.pages;
        self.warnings.extend(rendered.warnings);
        for (path, bytes) in rendered.linked {
            let hash = content_hash(&bytes);
            if self.published.get(&path) != Some(&hash) {
                files.insert(path.clone(), bytes);
            }
            fingerprints.insert(path, hash);
        }
        for (path, &hash) in &self.static_hashes {
            if self.published.get(path) != Some(&hash) {
                files.insert(path.clone(), self.pipeline.statics()[path].clone());
            }
            fingerprints.insert(path.clone(), hash);
        }
        let removed = match own_pages {
            // Every other file is as published.
            Some(_) => {
                self.published.extend(fingerprints);
                Vec::new()
            }
            None => {
                let removed = self
                    .published
                    .keys()
                    .filter(|path| !fingerprints.contains_key(*path))
                    .cloned()
                    .collect();
                self.published = fingerprints;
                removed
            }
        };
        self.pages_stale = false;
        self.more_changed = false;
        self.changed_notes.clear();
        Outcome::Publish(Update { files, removed })
    }

    /// When only notes' own pages (and the pages showing their content) can
    /// have changed since the last publish, those notes' ids: the graph and
    /// the profiles are as published, and so is what other pages show of
    /// each changed note (by the rule in [`render`], they show nothing else
    /// of it).
    fn only_own_pages_changed(&self) -> Result<Option<Vec<TalkId>>, Diagnostic> {
        if self.pages_stale || self.more_changed {
            return Ok(None);
        }
        let site = &self.pipeline.site;
        let mut ids = Vec::with_capacity(self.changed_notes.len());
        for (source, before) in &self.changed_notes {
            let before = before.as_ref().map_err(Clone::clone)?;
            let Ok(index) = site
                .talks
                .binary_search_by(|t| t.note.source.as_path().cmp(source))
            else {
                return Ok(None);
            };
            let id = TalkId::new(index);
            if render::shown_elsewhere(site, id)? != *before {
                return Ok(None);
            }
            ids.push(id);
        }
        Ok(Some(ids))
    }

    /// Hashes the static files, as read now.
    fn hash_statics(&mut self) {
        self.static_hashes = self
            .pipeline
            .statics()
            .iter()
            .map(|(path, bytes)| (path.clone(), content_hash(bytes)))
            .collect();
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}
