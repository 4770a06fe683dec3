//! The `talkbook` command line: parses arguments, calls the library, maps
//! the outcome to an exit code (0 ok, 1 the site has errors, or warnings
//! under `check --strict`; 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use talkbook::BuildOptions;
use talkbook::diagnostics::{Diagnostic, Diagnostics, Listing, count};
use talkbook::pipeline::Progress;
use talkbook::summary::Summary;

/// Turn a folder of conference talk notes into a cross-linked static site.
#[derive(Parser)]
#[command(name = "talkbook", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ unless book.toml says otherwise).
    Build(BuildArgs),
    /// Read the site and report every error and warning, writing nothing (for CI).
    Check(CheckArgs),
    /// Create a new site in DIR: a book.toml and one example note.
    Init {
        /// The folder to create the site in (made if missing).
        dir: PathBuf,
    },
    /// Serve the site from memory with live reload: edit a note, the browser shows it.
    Serve(ServeArgs),
    /// Search the site's notes and print the best matches, best first.
    Search(SearchArgs),
    /// Turn a conference's schedule into notes: one per talk, with speaker and event profiles.
    #[command(subcommand)]
    Import(talkbook::import::cli::ImportCommand),
}

#[derive(Args)]
struct SearchArgs {
    /// What to look for: words (all must match), "a phrase", a word prefix.
    query: String,
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// How many results to print.
    #[arg(long, default_value_t = 10, value_name = "N")]
    limit: usize,
    /// Print JSON instead: {total, every_word, results: [{title, url, score, speakers, event}], suggestions: [{word, nearest}]}.
    #[arg(long)]
    json: bool,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Args)]
struct ServeArgs {
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The address to listen on. Anything but 127.0.0.1 exposes your notes to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: std::net::IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the site in your web browser.
    #[arg(long)]
    open: bool,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Also answer requests for this host name (repeatable); by default only
    /// localhost, 127.0.0.1, [::1] and the --bind address.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    strict: bool,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Print every problem, not only the first 20 of each kind.
    #[arg(long)]
    all: bool,
}

#[derive(Args)]
struct BuildArgs {
    /// The site's folder: the one holding book.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Write the site here instead of [build] output (relative to the current folder).
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
    /// If another build is writing the same output folder, fail at once instead of waiting.
    #[arg(long)]
    no_wait: bool,
    /// Print every problem, not only the first 20 of each kind.
    #[arg(long)]
    all: bool,
}

/// A progress bar on stderr; indicatif hides it when stderr is not a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: usize) {
        self.0.set_length(total as u64);
    }
    fn advance(&self) {
        self.0.inc(1);
    }
}

fn main() -> ExitCode {
    talkbook::memory::give_back_freed_memory_soon();
    let cli = Cli::parse();
    let mut all = false;
    let result = match cli.command {
        Command::Build(args) => {
            all = args.all;
            build(args)
        }
        Command::Check(args) => return check(&args),
        Command::Init { dir } => talkbook::init::init(&dir)
            .map(|()| {
                println!(
                    "Created a site in {}. Build it with: talkbook build --root {}",
                    dir.display(),
                    dir.display()
                )
            })
            .map_err(Diagnostics::from),
        Command::Search(args) => search(args),
        Command::Import(source) => source.run(),
        Command::Serve(args) => talkbook::serve::run(&talkbook::serve::ServeOptions {
            root: args.root,
            bind: args.bind,
            port: args.port,
            open: args.open,
            drafts: args.drafts,
            allowed_hosts: args.allow_host,
            idle_timeout: talkbook::serve::IDLE_TIMEOUT,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            eprint!("{}", Listing::new(&problems.0, all));
            eprintln!("{}", problems.tally());
            ExitCode::from(1)
        }
    }
}

/// `talkbook check`: every problem, the summary, and a one-line verdict;
/// exit 1 on errors, and with `--strict` on warnings too.
fn check(args: &CheckArgs) -> ExitCode {
    let report = talkbook::check(&args.root, args.drafts);
    let problems = &report.problems;
    eprint!("{}", Listing::new(&problems.0, args.all));
    print_summary(&report.summary);
    let errors = problems.0.iter().filter(|d| d.is_error()).count();
    let warnings = problems.0.len() - errors;
    println!(
        "{}, {}, {}",
        count(report.notes, "note"),
        count(errors, "error"),
        count(warnings, "warning")
    );
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints `summary` on stderr, after a blank line; nothing when it is empty.
fn print_summary(summary: &Summary) {
    if !summary.is_empty() {
        eprint!("\n{summary}");
    }
}

fn build(args: BuildArgs) -> Result<(), Diagnostics> {
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (timings, all) = (args.timings, args.all);
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        wait: !args.no_wait,
    };
    let report = talkbook::build(&options, &Bar(bar.clone()));
    bar.finish_and_clear();
    let report = report?;
    eprint!("{}", Listing::new(&report.warnings, all));
    print_summary(&report.summary);
    println!(
        "Built {} talk{} ({} files) into {} in {:.2} s",
        report.talks,
        if report.talks == 1 { "" } else { "s" },
        report.files,
        report.output.display(),
        report.elapsed().as_secs_f64()
    );
    if timings {
        for (stage, time) in &report.stages {
            println!("  {stage:<8} {:>7.3} s", time.as_secs_f64());
        }
    }
    Ok(())
}

fn search(args: SearchArgs) -> Result<(), Diagnostics> {
    use talkbook::search::saved::Opened;
    let index = Opened::of(&args.root, args.drafts)?;
    match &index {
        Opened::Saved(_) => {
            eprintln!("Searched the saved index: no note changed since it was made.")
        }
        Opened::Made(_, Ok(())) => {
            eprintln!("Indexed the notes, and saved the index for the next search.")
        }
        Opened::Made(_, Err(why)) => {
            eprintln!("Indexed the notes; the index was not saved: {why}.")
        }
    }
    let answer = index.answer(&args.query, 0, args.limit)?;
    if args.json {
        let json = serde_json::to_string_pretty(&answer)
            .map_err(|err| Diagnostic::internal(format!("search results as JSON: {err}")))?;
        println!("{json}");
        return Ok(());
    }
    for suggestion in &answer.suggestions {
        println!(
            "No note has “{}”: did you mean “{}”?",
            suggestion.word, suggestion.nearest
        );
    }
    if answer.results.is_empty() {
        println!("No notes match {:?}.", args.query);
    } else if !answer.every_word {
        println!("Note: {}.", talkbook::search::searcher::ANY_WORD_NOTICE);
    }
    for (rank, result) in answer.results.iter().enumerate() {
        let speakers = result.speakers.join(", ");
        println!(
            "{:>2}. {:>7.3}  {}  {}",
            rank + 1,
            result.score,
            result.title,
            result.url
        );
        if !speakers.is_empty() || result.event.is_some() {
            let event = result.event.as_deref().unwrap_or_default();
            let sep = if speakers.is_empty() || event.is_empty() {
                ""
            } else {
                " · "
            };
            println!("             {speakers}{sep}{event}");
        }
        let excerpt = talkbook::search::excerpt::marked_text(&result.excerpt, "**");
        if !excerpt.is_empty() {
            println!("             {excerpt}");
        }
    }
    Ok(())
}
