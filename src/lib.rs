//! talkbook turns a folder of conference talk notes into a cross-linked
//! static site. The pipeline, top to bottom:
//!
//! 1. [`site::Site::load`]: `book.toml` ([`config`]), `content/` ([`content`]),
//!    markdown ([`markdown`], [`highlight`]), entities and cross-links
//!    ([`graph`], [`graph::related`]);
//! 2. [`render_site`]: templates ([`templates`]) and pages ([`render`]), URLs
//!    decided in [`urls`], plus static files ([`static_files`]): the whole site
//!    in memory;
//! 3. [`output::write_site`]: swapped into the output folder atomically.
//!
//! `build` drives the three; every stage reports all the problems it finds.
//! [`check`] runs only the first, writes nothing, and reports. Both end with
//! a [`summary::Summary`] of what the site's files say that was not used.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edit_link;
pub mod entity;
pub mod files;
pub mod forge;
pub mod graph;
pub mod highlight;
pub mod import;
pub mod init;
pub mod linked_files;
pub mod markdown;
pub mod output;
pub mod render;
pub mod safe_url;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod site;
pub mod static_files;
pub mod summary;
pub mod templates;
pub mod urls;
pub mod walk;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};
use site::Site;
use summary::Summary;

pub use files::Files;

/// What `talkbook build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// Where to write; `None` for `[build] output` under the root.
    pub output: Option<PathBuf>,
    /// Include notes marked `draft = true`.
    pub drafts: bool,
    /// Wait for another build writing the same output folder to finish;
    /// if false, fail at once.
    pub wait: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Talk pages written.
    pub talks: usize,
    /// Files written.
    pub files: usize,
    /// Where.
    pub output: PathBuf,
    /// How long each stage took, in order: `("load", ..)`, `("render", ..)`, ...
    pub stages: Vec<(&'static str, Duration)>,
    /// What the build left out or changed, for the user to read.
    pub warnings: Vec<Diagnostic>,
    /// What the site's files say that the build did not use.
    pub summary: Summary,
}

/// What `talkbook check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Talk notes read.
    pub notes: usize,
    /// Every error and warning, sorted by file and line.
    pub problems: Diagnostics,
    /// What the site's files say that a build would not use.
    pub summary: Summary,
}

/// Reads the site at `root` and its templates as a build would, and reports
/// every problem; writes nothing.
pub fn check(root: &Path, drafts: bool) -> CheckReport {
    let (site, mut problems) = Site::load_checked(root, drafts);
    if let Err(errors) = templates::load(root) {
        problems.extend(errors.0);
    }
    CheckReport {
        notes: site.notes.len(),
        problems: problems.sorted(),
        summary: Summary::of(&site),
    }
}

impl BuildReport {
    /// The whole build's time.
    pub fn elapsed(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// Times the stages of a build.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the stage called `name`.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push((name, now - self.last));
        self.last = now;
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

/// Builds the site and writes it to its output folder.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Diagnostics> {
    // Claimed before the site is read: of two builds of one output, the one
    // started last reads the notes last and writes last.
    let claimed = known_output(options)
        .map(|output| claim_output(options, output))
        .transpose()?;
    let mut clock = Stopwatch::start();
    let (site, tera) = Diagnostics::both(
        Site::load(&options.root, options.drafts),
        templates::load(&options.root),
    )?;
    clock.lap("load");
    let (output, _lock) = match claimed {
        Some(claimed) => claimed,
        // book.toml could not be read a moment ago, and now can.
        None => claim_output(options, options.root.join(&site.config.build.output))?,
    };
    let (mut files, static_warnings) = render_site(&site, &tera, progress)?;
    clock.lap("render");
    files.extend(search_files(&site)?);
    clock.lap("search");
    let output_warnings = output::write_site(&output, &files)?;
    clock.lap("write");
    Ok(BuildReport {
        summary: Summary::of(&site),
        talks: site.notes.len(),
        files: files.len(),
        output,
        stages: clock.stages,
        warnings: [site.warnings, static_warnings, output_warnings].concat(),
    })
}

/// The output folder if known before the site is read: `--output`, or
/// `[build] output` when `book.toml` can be read.
fn known_output(options: &BuildOptions) -> Option<PathBuf> {
    match &options.output {
        Some(output) => Some(output.clone()),
        None => config::Config::load(&options.root)
            .ok()
            .map(|config| options.root.join(config.build.output)),
    }
}

/// Checks that `output` may be written, and locks it for this build.
fn claim_output(
    options: &BuildOptions,
    output: PathBuf,
) -> Result<(PathBuf, output::Lock), Diagnostic> {
    let setting = match options.output {
        Some(_) => "`--output`".to_string(),
        None => format!("`[build] output` in {}", config::CONFIG_FILE),
    };
    let folders = content::folders_of(&options.root);
    output::check_placement(&options.root, &folders, &output, &setting)?;
    let lock = output::lock(&output, options.wait)?;
    // Only now: another build may be swapping its output in until it is done.
    output::check_replaceable(&output)?;
    Ok((output, lock))
}

/// The static search index of `site` (under `search-index/`).
pub fn search_files(site: &Site) -> Result<Files, Diagnostics> {
    let index = search::SearchIndex::build(site)?;
    Ok(search::export::export(&index)?)
}

/// Every page, file linked from a note, and static file of `site`, in
/// memory, and the warnings of gathering the files (those left out, and why).
pub fn render_site(
    site: &Site,
    tera: &tera::Tera,
    progress: &dyn Progress,
) -> Result<(Files, Vec<Diagnostic>), Diagnostics> {
    let pages = render::pages(site);
    progress.start(pages.len());
    let mut files = render::render_all(site, tera, &pages, &|| progress.advance())?;
    let (linked, linked_warnings) = linked_files::collect(site);
    files.extend(linked);
    let (statics, problems) = static_files::collect(&site.root);
    let problems = Diagnostics(problems);
    let warnings = problems.warnings();
    problems.into_result(())?;
    files.extend(statics);
    Ok((files, [linked_warnings, warnings].concat()))
}
