//! The arguments of `talkbook import SOURCE FILE`, one subcommand per source.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{Format, ImportOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// `talkbook import <source> ...`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// pretalx's schedule export: schedule.json (frab-compatible JSON).
    Pretalx(SourceArgs),
    /// frab's (or pretalx's) schedule.xml.
    Frab(SourceArgs),
    /// Sessionize's "All data" JSON (name the event with --event).
    Sessionize(SourceArgs),
    /// pyvideo.org's data: a checkout of github.com/pyvideo/data, or one event's folder in it.
    Pyvideo(PyvideoArgs),
    /// A blog post reporting on several talks: .md, .html or .txt (name the event with --event).
    Report(ReportArgs),
}

/// What `report` takes: the post, and the day of its talks.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The day of the talks, e.g. 2018-05-02.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    date: Option<NaiveDate>,
}

/// A `--date` value: a day written YYYY-MM-DD.
fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| "expected a day written YYYY-MM-DD, such as 2018-05-02".to_string())
}

/// What every source takes.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The schedule file.
    file: PathBuf,
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The event's name, instead of the one in the schedule.
    #[arg(long, value_name = "NAME")]
    event: Option<String>,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Refresh the front matter of notes edited since the last import, keeping their bodies.
    #[arg(long)]
    update: bool,
}

/// What `import pyvideo` takes: a folder and the events to read from it,
/// then the site's options, as every source.
#[derive(Debug, Args)]
pub struct PyvideoArgs {
    /// A checkout of pyvideo's data, or one event's folder in it.
    path: PathBuf,
    /// The event folders to import (e.g. pycon-us-2019); all when none is named.
    #[arg(value_name = "EVENT")]
    events: Vec<String>,
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Refresh the front matter of notes edited since the last import, keeping their bodies.
    #[arg(long)]
    update: bool,
}

impl ImportCommand {
    /// The import these arguments ask for.
    pub fn options(self) -> ImportOptions {
        let (format, args) = match self {
            ImportCommand::Pretalx(args) => (Format::Pretalx, args),
            ImportCommand::Frab(args) => (Format::Frab, args),
            ImportCommand::Sessionize(args) => (Format::Sessionize, args),
            ImportCommand::Pyvideo(args) => return args.options(),
            ImportCommand::Report(args) => (Format::Report(args.date), args.source),
        };
        ImportOptions {
            format,
            input: args.file,
            events: Vec::new(),
            root: args.root,
            event: args.event,
            dry_run: args.dry_run,
            update: args.update,
        }
    }

    /// Runs the import and prints its report.
    pub fn run(self) -> Result<(), Diagnostics> {
        let report = super::run(&self.options()).map_err(|d: Diagnostic| Diagnostics(vec![d]))?;
        println!("{report}");
        Ok(())
    }
}

impl PyvideoArgs {
    /// The import these arguments ask for.
    fn options(self) -> ImportOptions {
        ImportOptions {
            format: Format::Pyvideo,
            input: self.path,
            events: self.events,
            root: self.root,
            event: None,
            dry_run: self.dry_run,
            update: self.update,
        }
    }
}
