//! The one pipeline that `build`, `check`, `serve` and the tests drive:
//!
//! 1. **read** ([`Pipeline::read`]): `book.toml`, the notes and profiles
//!    (into a [`Site`]), the templates and the static files, each kept with
//!    the problems of reading it;
//! 2. **check** ([`Pipeline::problems`], [`Pipeline::ready`]): every
//!    problem of every input, in one place;
//! 3. **render** ([`Pipeline::render`]): pages, the files notes link to,
//!    and the static files, as output path → bytes;
//! 4. **index** ([`Pipeline::search`]): the search index and its files.
//!
//! `build` runs them all once and writes the files; `serve` keeps the
//! pipeline between edits, reading again only what changed and rendering
//! only the pages whose view changed; the tests call [`Pipeline::files`].

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::Files;
use crate::ids::TalkId;
use crate::render::{self, Page};
use crate::search::{self, SearchIndex};
use crate::site::{Markdown, Site};
use crate::{linked_files, output, static_files, templates, urls};

/// A site's inputs, read, each with the problems of reading it.
pub struct Pipeline {
    /// The configuration, notes and profiles.
    pub site: Site,
    /// The templates, or every problem loading them.
    templates: Result<Tera, Diagnostics>,
    /// The static files: the built-in ones and the site's `static/`.
    statics: Files,
    /// Problems collecting the static files.
    static_problems: Vec<Diagnostic>,
    /// Whether the notes' markdown is kept; if not, nor is a talk's HTML
    /// once its page is made (by [`Pipeline::make`], which can then run once).
    markdown: Markdown,
}

/// A pipeline whose inputs have no errors: ready to render.
pub struct Ready<'a> {
    /// The templates.
    pub tera: &'a Tera,
    /// The warnings of every input.
    pub warnings: Vec<Diagnostic>,
}

/// What rendering made.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The pages asked for: output path → bytes.
    pub pages: Files,
    /// Every file a note or profile links to, at its place in the output.
    pub linked: Files,
    /// What was left out of `linked`, and why.
    pub warnings: Vec<Diagnostic>,
}

impl Pipeline {
    /// Reads every input of the site at `root`; drafts are included when
    /// `drafts` is true; the notes' markdown is kept as `markdown` says.
    /// Never fails: problems are kept for [`Pipeline::problems`].
    pub fn read(root: &Path, drafts: bool, markdown: Markdown) -> Pipeline {
        let mut pipeline = Pipeline {
            site: Site::read(root, drafts, markdown),
            templates: Err(Diagnostics::default()),
            statics: Files::new(),
            static_problems: Vec::new(),
            markdown,
        };
        pipeline.read_templates();
        pipeline.read_statics();
        pipeline
    }

    /// Reads the templates again.
    pub fn read_templates(&mut self) {
        self.templates = templates::load(&self.site.root);
    }

    /// Collects the static files again.
    pub fn read_statics(&mut self) {
        (self.statics, self.static_problems) = static_files::collect(&self.site.root);
    }

    /// The static files: output path → bytes.
    pub fn statics(&self) -> &Files {
        &self.statics
    }

    /// Every problem of every input, sorted by file and line.
    pub fn problems(&self) -> Diagnostics {
        let mut problems = Diagnostics(self.site.problems());
        if let Err(template_problems) = &self.templates {
            problems.extend(template_problems.0.iter().cloned());
        }
        problems.extend(self.static_problems.iter().cloned());
        problems.sorted()
    }

    /// What rendering needs, when no input has an error; else every problem.
    pub fn ready(&self) -> Result<Ready<'_>, Diagnostics> {
        let problems = self.problems();
        match (problems.has_errors(), &self.templates) {
            (false, Ok(tera)) => Ok(Ready {
                tera,
                warnings: problems.warnings(),
            }),
            (false, Err(_)) => {
                Err(Diagnostic::internal("the templates did not load, yet report no error").into())
            }
            (true, _) => Err(problems),
        }
    }

    /// Renders `pages` with `tera` (from [`Pipeline::ready`]), and gathers
    /// the files notes link to; `progress` hears of each page.
    pub fn render(
        &self,
        tera: &Tera,
        pages: &[Page],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Rendered, Diagnostics> {
        let pages = render::render_all(&self.site, tera, pages, progress)?;
        let (linked, warnings) = linked_files::collect(&self.site);
        Ok(Rendered {
            pages,
            linked,
            warnings,
        })
    }

    /// The search index of the site's notes, and its static files.
    pub fn search(&self) -> Result<(SearchIndex, Files), Diagnostic> {
        search::with_files(SearchIndex::build(&self.site)?)
    }

    /// The whole site in memory: every page, linked file, static file and
    /// search file, and the warnings of making it; or every problem.
    pub fn files(&self) -> Result<(Files, Vec<Diagnostic>), Diagnostics> {
        let files = InMemory::default();
        let warnings = self.make(self.ready()?, &(), &files, &|_| None, &mut |_| {})?;
        Ok((files.into_inner(), warnings))
    }

    /// Makes every page, linked file, static file and search file, once
    /// [`Pipeline::ready`], handing each to `sink` as soon as it is made
    /// (the search files in batches of [`search::export::BATCH_BYTES`]):
    /// the warnings of making them. `keep` is handed the search index as
    /// soon as it is built, on a thread of its own while the rest is made
    /// (`build` saves it for `talkbook search`); a warning it returns is
    /// among the warnings. `progress` hears of each page, `lap` of the end
    /// of each stage: `"render"` (the pages, linked and static files made
    /// and put), then `"search"`. The search index and its files are made
    /// while the pages are rendered, in a thread pool of their own: the
    /// search stage is what is left of that work when the pages are done.
    pub fn make(
        &self,
        ready: Ready<'_>,
        progress: &dyn Progress,
        sink: &dyn Sink,
        keep: &KeepIndex<'_>,
        lap: &mut dyn FnMut(&'static str),
    ) -> Result<Vec<Diagnostic>, Diagnostics> {
        let (rendered, searched) = std::thread::scope(|scope| {
            let search = scope.spawn(|| self.put_search(sink, keep));
            let rendered = self.put_site(ready.tera, progress, sink);
            lap("render");
            let searched = search
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            lap("search");
            (rendered, searched)
        });
        let linked_warnings = rendered?;
        let kept = searched?;
        Ok([ready.warnings, linked_warnings, kept.into_iter().collect()].concat())
    }

    /// Builds the search index, hands it to `keep` and puts its files into
    /// `sink`, both at once: what `keep` warns of.
    ///
    /// The index is made by a thread pool of its own. The pages are
    /// rendered by rayon's global pool, every thread of it taking pages
    /// until none is left ([`render::render_each`]), so a parallel step
    /// sent there would wait for the last page (at 100,000 notes, 38 s).
    /// With a pool each, both share the cores while both work, and the
    /// index has them all once the pages are done.
    fn put_search(
        &self,
        sink: &dyn Sink,
        keep: &KeepIndex<'_>,
    ) -> Result<Option<Diagnostic>, Diagnostic> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|n| format!("search-{n}"))
            .build()
            .map_err(|err| {
                Diagnostic::internal(format!("cannot start the search index's threads: {err}"))
            })?;
        pool.install(|| self.put_search_in(&pool, sink, keep))
    }

    /// [`Pipeline::put_search`], in `pool`.
    fn put_search_in(
        &self,
        pool: &rayon::ThreadPool,
        sink: &dyn Sink,
        keep: &KeepIndex<'_>,
    ) -> Result<Option<Diagnostic>, Diagnostic> {
        let index = SearchIndex::build(&self.site)?;
        std::thread::scope(|scope| {
            let keeping = scope.spawn(|| pool.install(|| keep(&index)));
            // Written as they are made (at 100,000 notes, some 350 MB).
            search::export::export_into(&index, &mut |batch| put_all(sink, batch))?;
            Ok(keeping
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        })
    }

    /// Renders every page into `sink`, then puts the files notes link to
    /// and the static files: the warnings of gathering the linked files.
    fn put_site(
        &self,
        tera: &Tera,
        progress: &dyn Progress,
        sink: &dyn Sink,
    ) -> Result<Vec<Diagnostic>, Diagnostics> {
        let site = &self.site;
        let pages = render::pages(site);
        let (linked, warnings) = linked_files::collect(site);
        let page_files = pages.iter().map(|page| urls::file_for(&page.url(site)));
        let others = linked.keys().chain(self.statics.keys()).cloned();
        sink.announce(&mut page_files.chain(others))?;
        progress.start(pages.len());
        let in_feed: HashSet<TalkId> = render::site_feed_talks(site).iter().copied().collect();
        render::render_each(
            site,
            tera,
            &pages,
            &|| progress.advance(),
            &|page, file, bytes| {
                sink.put(&file, bytes)?;
                // Its page was the last to show its HTML, unless the feed does.
                if let (Markdown::Drop, Page::Talk(id)) = (self.markdown, page)
                    && !in_feed.contains(id)
                {
                    site.talks[*id].body.html.free();
                }
                Ok(())
            },
        )?;
        put_all(sink, linked)?;
        put_all(sink, self.statics.clone())?;
        Ok(warnings)
    }
}

/// What [`Pipeline::make`] does with the search index once built: a
/// warning if it could not.
pub type KeepIndex<'a> = dyn Fn(&SearchIndex) -> Option<Diagnostic> + Sync + 'a;

/// Announces `files` to `sink`, then puts them, in parallel.
fn put_all(sink: &dyn Sink, files: Files) -> Result<(), Diagnostic> {
    sink.announce(&mut files.keys().cloned())?;
    files
        .into_par_iter()
        .try_for_each(|(path, bytes)| sink.put(&path, bytes))
}

/// Where [`Pipeline::make`] puts the files of the site as it makes them,
/// from several threads at once.
pub trait Sink: Sync {
    /// Files about to be put (relative paths): each is announced before it
    /// is put.
    fn announce(&self, paths: &mut dyn Iterator<Item = String>) -> Result<(), Diagnostic>;

    /// One file of the site, announced before.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;
}

/// The site in memory, for [`Pipeline::files`].
#[derive(Default)]
struct InMemory(Mutex<Files>);

impl InMemory {
    fn into_inner(self) -> Files {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for InMemory {
    fn announce(&self, _: &mut dyn Iterator<Item = String>) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

/// The output folder, written file by file.
impl Sink for output::Writer {
    fn announce(&self, paths: &mut dyn Iterator<Item = String>) -> Result<(), Diagnostic> {
        output::Writer::announce(self, paths)
    }

    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        output::Writer::put(self, path, &bytes)
    }
}

/// Told how a long build advances, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// Rendering `total` pages starts.
    fn start(&self, total: usize);
    /// One more page is rendered.
    fn advance(&self);
}

/// No progress reporting.
impl Progress for () {
    fn start(&self, _: usize) {}
    fn advance(&self) {}
}
