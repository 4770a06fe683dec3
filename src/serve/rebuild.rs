//! The site `serve` keeps in memory between edits, and what each change
//! renders again.
//!
//! A change to `content/` updates the loaded site file by file
//! ([`LiveContent`]), which says what changed: talks, entities, the order
//! of the talks ([`Changed`]). Then the fingerprint of each page that read
//! any of it ([`render::fingerprint`]: the hash of its view, and what
//! building the view read) is computed again and compared with the one it
//! had when last published, and only the pages whose view changed are
//! rendered. A change that may move every talk (notes created or deleted,
//! a profile changed) or one to the templates fingerprints every page; one
//! to `static/` collects the static files again; one to `book.toml` (or
//! events the watcher lost) loads everything again. A site with problems
//! publishes nothing: the last good site stays served until it is fixed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::incremental::{Applied, LiveContent};
use super::watch::Changes;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::Files;
use crate::ids::TalkId;
use crate::pipeline::{self, Pipeline};
use crate::reads::{Changed, Reads};
use crate::render::{self, Fingerprint, Page};
use crate::site::{Markdown, Site};
use crate::urls;
use tera::Tera;

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
    /// view's hash, a static or linked file's content hash.
    published: HashMap<String, u64>,
    /// What changed since the last publish; `None`: anything may have.
    changed: Option<Changed>,
    /// Talks edited since the last publish whose change other pages do not
    /// show ([`render::shown_elsewhere`]): of the pages reading them, only
    /// their own and those [`render::showing_content`] may have changed.
    own_pages_only: BTreeSet<TalkId>,
    /// The output paths of the linked and static files last published.
    others: BTreeSet<String>,
    /// The site's pages, their output paths and what each read, as of the
    /// last render.
    page_list: Option<PageList>,
    /// A page made from a file appeared, went or moved since the last
    /// render: a path may have changed although the list of pages did not.
    pages_moved: bool,
    /// Every page must be rendered again (the templates changed).
    pages_stale: bool,
    /// The warnings of the site as last rendered.
    warnings: Vec<Diagnostic>,
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
        let pipeline = Pipeline::read(root, drafts, Markdown::Keep);
        let mut site = LiveSite {
            drafts,
            content: LiveContent::new(&pipeline.site, drafts),
            pipeline,
            static_hashes: HashMap::new(),
            published: HashMap::new(),
            changed: None,
            own_pages_only: BTreeSet::new(),
            others: BTreeSet::new(),
            page_list: None,
            pages_moved: true,
            pages_stale: true,
            warnings: Vec::new(),
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
            self.changed = None;
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
        let shown_before = self.shown_elsewhere_at(paths);
        let applied: Applied = self.content.apply(&mut self.pipeline.site, paths);
        self.pages_moved |= applied.pages_moved;
        let site = &self.pipeline.site;
        let Some(changed) = self.changed.as_mut().filter(|_| !applied.everything) else {
            self.changed = None;
            return;
        };
        changed.extend(applied.changed);
        for id in applied.edited {
            let before = shown_before.get(&site.talks[id].note.source);
            let after = render::shown_elsewhere(site, id).ok();
            if before.is_some() && before.copied() == after {
                self.own_pages_only.insert(id);
            } else {
                changed.talk(id);
            }
        }
    }

    /// What other pages show of each talk at or under `paths`, by source,
    /// before they are applied.
    fn shown_elsewhere_at(&self, paths: &BTreeSet<PathBuf>) -> HashMap<PathBuf, u64> {
        let site = &self.pipeline.site;
        let mut shown = HashMap::new();
        if self.changed.is_none() {
            return shown;
        }
        for path in paths {
            let start = site
                .talks
                .partition_point(|t| t.note.source.as_path() < path);
            let under = site.talks[start..]
                .iter()
                .take_while(|t| t.note.source.starts_with(path));
            for (index, talk) in (start..).zip(under) {
                if let Ok(hash) = render::shown_elsewhere(site, TalkId::new(index)) {
                    shown.insert(talk.note.source.clone(), hash);
                }
            }
        }
        shown
    }

    /// Renders the pages whose view changed since the last publish, or
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
        let moved = self.pages_moved || self.changed.is_none();
        let (mut page_list, same_pages) = match self.page_list.take() {
            Some(list) if !moved && self.changed.as_ref().is_some_and(Changed::is_empty) => {
                (list, true)
            }
            Some(list) => list.again(&self.pipeline.site, moved),
            None => (PageList::of(&self.pipeline.site), false),
        };
        self.pages_moved = false;
        if let Some(changed) = self.changed.as_mut().filter(|_| !same_pages) {
            changed.pages();
        }
        let outcome = match self.render_stale(ready.tera, &page_list) {
            Ok((fingerprinted, rendered)) => {
                let update = self.record(&mut page_list, same_pages, fingerprinted, rendered);
                Outcome::Publish(update)
            }
            Err(problems) => {
                // The list is kept for what its pages read; what was
                // published is not in step with its paths until a render
                // succeeds.
                self.pages_moved = !same_pages;
                Outcome::Broken(problems)
            }
        };
        self.page_list = Some(page_list);
        outcome
    }

    /// Fingerprints the pages of `list` that may have changed, and renders
    /// those whose fingerprint did.
    fn render_stale(
        &self,
        tera: &Tera,
        list: &PageList,
    ) -> Result<(Vec<(usize, Fingerprint)>, pipeline::Rendered), Diagnostics> {
        let (pages, files) = (&list.pages, &list.files);
        let fingerprinted = self.fingerprint_stale(list)?;
        let to_render: Vec<Page> = fingerprinted
            .iter()
            .filter(|(i, fingerprint)| {
                self.pages_stale || self.published.get(&files[*i]) != Some(&fingerprint.hash)
            })
            .map(|(i, _)| pages[*i].clone())
            .collect();
        let rendered = self.pipeline.render(tera, &to_render, &|| {})?;
        Ok((fingerprinted, rendered))
    }

    /// Records what was rendered as published: the files to publish, and
    /// those gone (`same_pages` if the pages of `list` have the paths they
    /// had when last published).
    fn record(
        &mut self,
        list: &mut PageList,
        same_pages: bool,
        fingerprinted: Vec<(usize, Fingerprint)>,
        rendered: pipeline::Rendered,
    ) -> Update {
        self.warnings.extend(rendered.warnings);
        let mut update = Update {
            files: rendered.pages,
            removed: Vec::new(),
        };
        for (i, fingerprint) in fingerprinted {
            self.published
                .insert(list.files[i].clone(), fingerprint.hash);
            list.reads[i] = Some(fingerprint.reads);
        }
        for (path, bytes) in &rendered.linked {
            let hash = content_hash(bytes);
            if self.published.insert(path.clone(), hash) != Some(hash) {
                update.files.insert(path.clone(), bytes.clone());
            }
        }
        for (path, &hash) in &self.static_hashes {
            if self.published.insert(path.clone(), hash) != Some(hash) {
                let bytes = self.pipeline.statics()[path].clone();
                update.files.insert(path.clone(), bytes);
            }
        }
        let others: BTreeSet<String> = (rendered.linked.keys())
            .chain(self.static_hashes.keys())
            .cloned()
            .collect();
        // With the same pages and the same other files, nothing went: the
        // scan of every published path is spared (a third of a reload at
        // 100,000 notes).
        if !same_pages || others != self.others {
            let current = |path: &String| list.set.contains(path) || others.contains(path);
            update.removed = self
                .published
                .keys()
                .filter(|path| !current(path))
                .cloned()
                .collect();
        }
        self.others = others;
        for path in &update.removed {
            self.published.remove(path);
        }
        self.pages_stale = false;
        self.changed = Some(Changed::default());
        self.own_pages_only.clear();
        update
    }

    /// The fingerprints of the pages of `list` that read something changed
    /// since the last publish, or that were not published, by place in the
    /// list.
    fn fingerprint_stale(&self, list: &PageList) -> Result<Vec<(usize, Fingerprint)>, Diagnostic> {
        let site = &self.pipeline.site;
        let pages = &list.pages;
        let stale: Vec<usize> = (0..pages.len())
            .into_par_iter()
            .filter(|&i| match (&self.changed, &list.reads[i]) {
                (Some(changed), Some(reads)) => {
                    reads.affected_by(changed) || self.shows_edited_content(&pages[i])
                }
                _ => true,
            })
            .collect();
        // Fingerprinting every page, they share the work of each talk's
        // card and entry.
        let many = self
            .changed
            .is_none()
            .then(|| render::Fingerprints::new(site));
        stale
            .into_par_iter()
            .map(|i| {
                let fingerprint = match &many {
                    Some(many) => many.of(&pages[i])?,
                    None => render::fingerprint(site, &pages[i])?,
                };
                Ok((i, fingerprint))
            })
            .collect()
    }

    /// Whether `page` is the own page of a talk in `own_pages_only`, or
    /// shows the content of one.
    fn shows_edited_content(&self, page: &Page) -> bool {
        match page {
            Page::Talk(id) => self.own_pages_only.contains(id),
            page => !self.own_pages_only.is_empty() && render::showing_content().contains(page),
        }
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

/// Every page of a site, with its output path and what it read.
struct PageList {
    pages: Vec<Page>,
    /// `files[i]` is the output path of `pages[i]`.
    files: Vec<String>,
    /// The same paths.
    set: HashSet<String>,
    /// `reads[i]` is what the view of `pages[i]` read when last published;
    /// kept beside the page, not by path, since every reload looks at each
    /// (a lookup by path for each page took a third of a reload at 100,000
    /// notes).
    reads: Vec<Option<Reads>>,
}

impl PageList {
    fn of(site: &Site) -> PageList {
        PageList::with(site, render::pages(site))
    }

    /// The site's pages now, and whether they are those of `self` at the
    /// same paths: then `self` is the list, and it is known unless `moved`
    /// (a page made from a file moved since `self` was made). A new list
    /// keeps what each page read if the same page is at the same path (a
    /// file of previews now holding other cards is not the same page).
    fn again(self, site: &Site, moved: bool) -> (PageList, bool) {
        let pages = render::pages(site);
        if !moved && pages == self.pages {
            return (self, true);
        }
        let mut known: HashMap<String, (Page, Reads)> = (self.files.into_iter())
            .zip(self.pages.into_iter().zip(self.reads))
            .filter_map(|(file, (page, reads))| Some((file, (page, reads?))))
            .collect();
        let mut list = PageList::with(site, pages);
        list.reads = (list.files.iter().zip(&list.pages))
            .map(|(file, page)| {
                let (was, reads) = known.remove(file)?;
                (was == *page).then_some(reads)
            })
            .collect();
        (list, false)
    }

    fn with(site: &Site, pages: Vec<Page>) -> PageList {
        let files: Vec<String> = pages
            .par_iter()
            .map(|page| urls::file_for(&page.url(site)))
            .collect();
        let set = files.iter().cloned().collect();
        let reads = vec![None; pages.len()];
        PageList {
            pages,
            files,
            set,
            reads,
        }
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}
