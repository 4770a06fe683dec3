//! talkbook turns a folder of conference talk notes into a cross-linked
//! static site. One [`pipeline::Pipeline`] makes it, top to bottom:
//!
//! 1. read: `book.toml` ([`config`]), the notes ([`content`]), markdown
//!    ([`markdown`], [`highlight`]), entities and cross-links ([`graph`]),
//!    all held by a [`site::Site`]; templates ([`templates`]) and static
//!    files ([`static_files`]);
//! 2. render: pages ([`render`]), URLs decided in [`urls`], and the files
//!    notes link to ([`linked_files`]), each written beside the output
//!    folder as soon as it is made ([`output::Writer`]);
//! 3. index, at the same time: the search index and its files ([`search`]);
//! 4. the new site swapped into the output folder atomically.
//!
//! [`build`] drives them all; every stage reports all the problems it finds.
//! [`check`] reads, writes nothing, and reports; [`serve`] keeps the
//! pipeline between edits. `build` and `check` end with a
//! [`summary::Summary`] of what the site's files say that was not used.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod documents;
pub mod edit_link;
pub mod entity;
pub mod files;
pub mod flat_lists;
pub mod forge;
pub mod graph;
pub mod highlight;
pub mod ids;
pub mod import;
pub mod init;
pub mod linked_files;
pub mod links;
pub mod markdown;
pub mod memory;
pub mod output;
pub mod pipeline;
pub mod reads;
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
use pipeline::Pipeline;
use site::Markdown;
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
    let pipeline = Pipeline::read(root, drafts, Markdown::Drop);
    CheckReport {
        notes: pipeline.site.talks.len(),
        problems: pipeline.problems(),
        summary: Summary::of(&pipeline.site),
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

/// Builds the site and writes it to its output folder.
pub fn build(
    options: &BuildOptions,
    progress: &dyn pipeline::Progress,
) -> Result<BuildReport, Diagnostics> {
    // Claimed before the site is read: of two builds of one output, the one
    // started last reads the notes last and writes last.
    let claimed = known_output(options)
        .map(|output| claim_output(options, output))
        .transpose()?;
    let mut clock = Stopwatch::start();
    // Taken before the notes are read: a note written meanwhile changes it.
    let stamp = search::stamp::Stamp::take(&options.root, options.drafts);
    // The output folder is surveyed (every file read, to know it is
    // talkbook's) while the notes are read, neither needing the other: the
    // `load` stage is both.
    let (pipeline, opened) = std::thread::scope(|scope| {
        let opening = claimed
            .as_ref()
            .map(|(output, _)| scope.spawn(|| output::Writer::open(output)));
        let pipeline = Pipeline::read(&options.root, options.drafts, Markdown::Drop);
        let opened = opening.map(|opening| {
            opening
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (pipeline, opened)
    });
    let ready = pipeline.ready()?;
    let site = &pipeline.site;
    let (output, _lock) = match claimed {
        Some(claimed) => claimed,
        // book.toml could not be read a moment ago, and now can.
        None => claim_output(options, options.root.join(&site.config.build.output))?,
    };
    let writer = match opened {
        Some(opened) => opened?,
        None => output::Writer::open(&output)?,
    };
    clock.lap("load");
    // The index is saved for `talkbook search` as soon as it is built,
    // while the site is made.
    let keep = |index: &search::SearchIndex| save_search_index(&output, stamp.as_ref(), index);
    let warnings = pipeline.make(ready, progress, &writer, &keep, &mut |stage| {
        clock.lap(stage)
    })?;
    let written = writer.finish()?;
    clock.lap("write");
    let report = BuildReport {
        summary: Summary::of(site),
        talks: site.talks.len(),
        files: written.files,
        output,
        stages: clock.stages,
        warnings: [warnings, written.warnings].concat(),
    };
    // Freeing the site piece by piece takes seconds at 100,000 notes: on a
    // thread of its own, which a process that ends meanwhile does not wait
    // for (if no thread can be made, it is freed here, as the closure is).
    let _ = std::thread::Builder::new()
        .name("talkbook-free".into())
        .spawn(move || drop(pipeline));
    Ok(report)
}

/// Saves `index` beside `output` for `talkbook search`; a warning if it
/// could not.
fn save_search_index(
    output: &Path,
    stamp: Option<&search::stamp::Stamp>,
    index: &search::SearchIndex,
) -> Option<Diagnostic> {
    let why = stamp
        .ok_or_else(|| "book.toml could not be read".to_string())
        .and_then(|stamp| search::saved::save(output, stamp, index))
        .err()?;
    Some(
        Diagnostic::site_wide(format!("the search index was not saved: {why}"))
            .with_hint("`talkbook search` indexes the notes for each search instead")
            .as_warning(),
    )
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
