//! `talkbook import`: a conference's schedule (pretalx, frab, Sessionize),
//! pyvideo.org's recordings of many events, or a blog post reporting on
//! several talks, as notes of a site.
//!
//! A reader ([`pretalx`], [`frab`], [`sessionize`], [`pyvideo`], [`post`])
//! turns the whole input into an [`Imported`] ([`model`]) per event, or
//! fails naming the input's line and column before anything is written;
//! [`notes`] turns that into files;
//! [`plan`] decides, with the [`manifest`] of earlier imports, which files
//! are written and which are left (edited, or never import's); then they
//! are written, each atomically, and the [`report`] tells what happened.

mod brackets;
pub mod cli;
mod frab;
mod frab_event;
mod html;
mod input;
mod links;
pub mod manifest;
pub mod model;
mod not_a_talk;
pub mod notes;
pub mod plan;
mod post;
mod post_markdown;
mod pretalx;
mod pyvideo;
mod pyvideo_talk;
pub mod report;
mod sessionize;

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
pub use model::Imported;
use model::Reason;
use notes::Generated;
use plan::Action;
pub use report::Report;

/// The schedule formats import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// pretalx's schedule export JSON.
    Pretalx,
    /// frab's schedule.xml.
    Frab,
    /// Sessionize's All-data JSON.
    Sessionize,
    /// pyvideo.org's data: a checkout of its repository, or an event's folder.
    Pyvideo,
    /// A blog post reporting on several talks, given on one day when known.
    Report(Option<chrono::NaiveDate>),
}

/// What `talkbook import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The input's format.
    pub format: Format,
    /// The input file (a folder, for pyvideo).
    pub input: PathBuf,
    /// The event folders to read of pyvideo's data; all when empty.
    pub events: Vec<String>,
    /// The site's folder, holding `book.toml`.
    pub root: PathBuf,
    /// The event's name, instead of the one the input gives.
    pub event: Option<String>,
    /// Print what would be written, write nothing.
    pub dry_run: bool,
    /// Refresh the front matter of notes edited since the last import.
    pub update: bool,
}

/// Imports a schedule into a site, as `options` say.
pub fn run(options: &ImportOptions) -> Result<Report, Diagnostic> {
    if !options.root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::site_wide(format!(
            "{} has no {CONFIG_FILE}: it is not a talkbook site",
            options.root.display()
        ))
        .with_hint("create one with `talkbook init DIR`, or give the site's folder with --root"));
    }
    Config::load(&options.root).map_err(first_problem)?;
    let Output {
        name,
        files,
        left_out,
    } = output(options)?;
    let manifest = manifest::Manifest::load(&options.root)?;
    let (steps, next) = plan::plan(&options.root, &files, &manifest, options.update)?;
    if !options.dry_run {
        write_all(&options.root, &steps)?;
        if next != manifest {
            write_atomically(&options.root, manifest::MANIFEST, &next.to_json()?)?;
        }
    }
    Ok(Report {
        event: name,
        steps,
        left_out,
        dry_run: options.dry_run,
    })
}

/// The files of an import, and what its report says of the input.
struct Output {
    /// The event's name, or how many events there were.
    name: String,
    /// Every file, in path order.
    files: Vec<Generated>,
    /// What was not imported, and why.
    left_out: Vec<(String, Reason)>,
}

/// The first of a config's problems (import reports one at a time).
fn first_problem(problems: crate::diagnostics::Diagnostics) -> Diagnostic {
    problems
        .0
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::internal("book.toml failed with no problem"))
}

/// The whole input, read and turned into files.
fn output(options: &ImportOptions) -> Result<Output, Diagnostic> {
    let imported = match options.format {
        Format::Pretalx => read(options, &pretalx::read)?,
        Format::Frab => read(options, &frab::read)?,
        Format::Sessionize => read(options, &sessionize::read)?,
        Format::Report(day) => read(options, &move |path, text| post::read(path, text, day))?,
        Format::Pyvideo => return pyvideo_output(options),
    };
    Ok(Output {
        files: notes::generate(&imported)?,
        name: imported.event.name,
        left_out: imported.left_out,
    })
}

/// The events of pyvideo's data, read and turned into files.
fn pyvideo_output(options: &ImportOptions) -> Result<Output, Diagnostic> {
    let events = pyvideo::read(&options.input, &options.events)?;
    let name = match events.as_slice() {
        [one] => one.event.name.clone(),
        all => format!("{} events", all.len()),
    };
    Ok(Output {
        name,
        files: notes::generate_all(&events)?,
        left_out: events.into_iter().flat_map(|e| e.left_out).collect(),
    })
}

/// A reader of one schedule file: its path and text.
type Reader = dyn Fn(&Path, &str) -> Result<Imported, Diagnostic>;

/// The whole schedule file, read by `reader`, named by `--event`.
fn read(options: &ImportOptions, reader: &Reader) -> Result<Imported, Diagnostic> {
    let path = &options.input;
    let text = input::read(path)?;
    let mut imported = reader(path, &text)?;
    if let Some(event) = &options.event {
        imported.event.name = event.trim().to_string();
    }
    if imported.event.name.is_empty() {
        return Err(Diagnostic::in_file(path, "the schedule names no event")
            .with_hint("name it with --event \"Conference 2024\""));
    }
    Ok(imported)
}

/// Writes the files of `steps` that are written or updated.
fn write_all(root: &Path, steps: &[plan::Step]) -> Result<(), Diagnostic> {
    for step in steps {
        if let Action::Write(text) | Action::Update(text) = &step.action {
            write_atomically(root, &step.rel, text)?;
        }
    }
    Ok(())
}

/// Writes `text` to `rel` under `root` through a temporary file renamed
/// over it: a reader sees the old file or the new one, never a part.
fn write_atomically(root: &Path, rel: &str, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    let failed = |err: std::io::Error| Diagnostic::in_file(rel, format!("cannot write it: {err}"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.talkbook-import.tmp"));
    std::fs::write(&tmp, text).map_err(failed)?;
    std::fs::rename(&tmp, &path).map_err(failed)
}
