//! The site `serve` keeps in memory between edits, and what each change
//! renders again.
//!
//! A change to `content/` updates the loaded site file by file
//! ([`LiveContent`]); then every page's fingerprint (the hash of its view,
//! [`render::fingerprint`]) is compared with the one it had when last
//! published, and only the pages whose view changed are rendered. After an
//! edit of notes that changed neither the graph nor a profile nor what other
//! pages show of those notes ([`render::shown_elsewhere`]), only those
//! notes' own pages are fingerprinted: that keeps a body edit in a big site
//! cheap. A change to the templates renders every page; one to `static/`
//! collects the static files again; one to `book.toml` (or events the
//! watcher lost) loads everything again. A site with problems
//! publishes nothing: the last good site stays served until it is fixed.

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;

use super::incremental::{Applied, LiveContent};
use super::watch::Changes;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::Files;
use crate::graph::TalkId;
use crate::linked_files;
use crate::render::Page;
use crate::{render, static_files, templates, urls};

/// The site, kept up to date with its files.
pub struct LiveSite {
    root: PathBuf,
    drafts: bool,
    config_problems: Vec<Diagnostic>,
    content: LiveContent,
    /// The templates, once they loaded without problems.
    tera: Option<Tera>,
    template_problems: Vec<Diagnostic>,
    statics: Files,
    /// The content hash of each static file.
    static_hashes: HashMap<String, u64>,
    static_problems: Vec<Diagnostic>,
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
        let (config, config_problems) = match Config::load(root) {
            Ok(config) => (config, Vec::new()),
            Err(problems) => (Config::default(), problems.0),
        };
        let mut site = LiveSite {
            root: root.to_path_buf(),
            drafts,
            config_problems,
            content: LiveContent::load(root, config, drafts),
            tera: None,
            template_problems: Vec::new(),
            statics: Files::new(),
            static_hashes: HashMap::new(),
            static_problems: Vec::new(),
            published: HashMap::new(),
            pages_stale: true,
            warnings: Vec::new(),
            changed_notes: HashMap::new(),
            more_changed: false,
        };
        site.load_templates();
        site.load_statics();
        site
    }

    /// The folders holding the site's notes and profiles, relative to the root.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.content.folders()
    }

    /// The site as loaded now (the last good one may be older).
    pub fn site(&self) -> &crate::site::Site {
        &self.content.site
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
            self.load_templates();
        }
        if changes.statics {
            self.load_statics();
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
            ..LiveSite::load(&self.root, self.drafts)
        };
        self.render()
    }

    /// Updates the content, and records what changed for [`LiveSite::render`].
    fn apply(&mut self, paths: &BTreeSet<PathBuf>) {
        if !self.pages_stale && !self.more_changed {
            self.record_shown_elsewhere(paths);
        }
        let applied: Applied = self.content.apply(paths);
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
        let site = &self.content.site;
        for path in paths {
            let start = site.notes.partition_point(|n| n.source.as_path() < path);
            let under = site.notes[start..]
                .iter()
                .take_while(|n| n.source.starts_with(path));
            for (id, note) in (start..).zip(under) {
                self.changed_notes
                    .entry(note.source.clone())
                    .or_insert_with(|| render::shown_elsewhere(site, id));
            }
        }
    }

    /// Renders the pages whose inputs changed since the last publish, or
    /// every problem of the site.
    pub fn render(&mut self) -> Outcome {
        let mut problems = Diagnostics::default();
        problems.extend(self.config_problems.iter().cloned());
        problems.extend(self.template_problems.iter().cloned());
        problems.extend(self.static_problems.iter().cloned());
        problems.extend(self.content.problems());
        self.warnings = problems.warnings();
        let tera = match (problems.into_result(()), &self.tera) {
            (Ok(()), Some(tera)) => tera,
            (Err(problems), _) => return Outcome::Broken(problems),
            (Ok(()), None) => return Outcome::Broken(Diagnostic::site_wide("no templates").into()),
        };
        let own_pages = match self.only_own_pages_changed() {
            Ok(own_pages) => own_pages,
            Err(problem) => return Outcome::Broken(problem.into()),
        };
        let site = &self.content.site;
        let to_fingerprint = match &own_pages {
            Some(ids) => ids.iter().map(|&id| Page::Talk(id)).collect(),
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
        let mut files = match render::render_all(site, tera, &pages, &|| {}) {
            Ok(files) => files,
            Err(problems) => return Outcome::Broken(problems),
        };
        let (linked, linked_warnings) = linked_files::collect(site);
        self.warnings.extend(linked_warnings);
        for (path, bytes) in linked {
            let hash = content_hash(&bytes);
            if self.published.get(&path) != Some(&hash) {
                files.insert(path.clone(), bytes);
            }
            fingerprints.insert(path, hash);
        }
        for (path, &hash) in &self.static_hashes {
            if self.published.get(path) != Some(&hash) {
                files.insert(path.clone(), self.statics[path].clone());
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

    /// When only notes' own pages can have changed since the last publish,
    /// those notes' ids: the graph and the profiles are as published, and so
    /// is what other pages show of each changed note (by the rule in
    /// [`render`], they show nothing else of it).
    fn only_own_pages_changed(&self) -> Result<Option<Vec<TalkId>>, Diagnostic> {
        if self.pages_stale || self.more_changed {
            return Ok(None);
        }
        let site = &self.content.site;
        let mut ids = Vec::with_capacity(self.changed_notes.len());
        for (source, before) in &self.changed_notes {
            let before = before.as_ref().map_err(Clone::clone)?;
            let Ok(id) = site
                .notes
                .binary_search_by(|n| n.source.as_path().cmp(source))
            else {
                return Ok(None);
            };
            if render::shown_elsewhere(site, id)? != *before {
                return Ok(None);
            }
            ids.push(id);
        }
        Ok(Some(ids))
    }

    fn load_templates(&mut self) {
        match templates::load(&self.root) {
            Ok(tera) => {
                self.tera = Some(tera);
                self.template_problems.clear();
            }
            Err(problems) => self.template_problems = problems.0,
        }
        self.pages_stale = true;
    }

    fn load_statics(&mut self) {
        (self.statics, self.static_problems) = static_files::collect(&self.root);
        self.static_hashes = self
            .statics
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
