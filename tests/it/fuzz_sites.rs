//! Fuzzing: random sites through the whole pipeline.
//!
//! Each case is a site written into a temporary folder: `book.toml`, notes
//! and profiles under `content/` made from generated front matter (TOML and
//! YAML, valid and broken, with keys other generators write), markdown (deep
//! nesting, long lines, odd unicode, links between notes) and file names,
//! sometimes templates, static files and symbolic links. The site is loaded,
//! rendered and indexed in memory; one case in six runs the whole `build`,
//! writing the output folder (beside the site, or where `book.toml` says).
//! Whatever the input, the pipeline must not panic or hang, and must give
//! either a site whose pages match its notes, or diagnostics that each name
//! a file of the site (and a line inside it), with a message.
//!
//! `TALKBOOK_FUZZ_CASES` sets the number of cases (default [`DEFAULT_CASES`]),
//! `TALKBOOK_FUZZ_SEED` the seed (default [`DEFAULT_SEED`]): the same pair
//! makes the same cases, so a failure seen once is seen again. A failure
//! found this way becomes a plain `#[test]` below; proptest's own failure
//! files are off, because a seed they record means another site as soon as
//! the generators change.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use talkbook::BuildOptions;
use talkbook::config::Config as SiteConfig;
use talkbook::content::{Layout, Role};
use talkbook::diagnostics::{Diagnostic, Diagnostics};
use talkbook::pipeline::Pipeline;
use talkbook::site::Markdown;

use crate::support;

/// Cases per run unless `TALKBOOK_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u32 = 300;
/// The seed unless `TALKBOOK_FUZZ_SEED` says otherwise.
const DEFAULT_SEED: u64 = 2018;
/// One case running longer than this is a hang: the run stops and keeps
/// the case's site on disk.
const CASE_LIMIT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------- the runs

#[test]
fn random_sites_build_or_name_the_files_at_fault() {
    let cases = env_number("TALKBOOK_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as u32);
    let seed = env_number("TALKBOOK_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    eprintln!("TALKBOOK_FUZZ_CASES={cases} TALKBOOK_FUZZ_SEED={seed}");
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    let (built, rejected) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let result = TestRunner::new(config).run(&case(), |case| {
        let counter = if check(&case)? { &built } else { &rejected };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let (built, rejected) = (built.into_inner(), rejected.into_inner());
    eprintln!("{built} sites built, {rejected} rejected with diagnostics");
    if let Err(failure) = result {
        panic!("{failure}\nrun again with TALKBOOK_FUZZ_SEED={seed} TALKBOOK_FUZZ_CASES={cases}");
    }
    if cases >= 100 {
        assert!(
            built * 10 >= cases as usize && rejected * 10 >= cases as usize,
            "the generators should make both good and bad sites, at least 10% each"
        );
    }
}

// ------------------------------------------- what the fuzz test found

/// A name or slug longer than a file name may be made a page folder the
/// build could not write: "cannot write the output folder: File name too
/// long", naming no note. Now the note is at fault, on the key's line.
#[test]
fn names_too_long_for_a_file_name_are_errors_in_their_notes() {
    let long = "Long Name ".repeat(30);
    let site = support::Site::new()
        .file(
            "content/talks/speaker.md",
            &format!("+++\ntitle = \"T\"\nspeakers = [\"{long}\"]\n+++\n"),
        )
        .file(
            "content/talks/slug.md",
            &format!("---\ntitle: T\nslug: {long}\n---\n"),
        );
    let run = site.build_with(&[]).failed();
    support::assert_has(
        &run.stderr,
        "error: content/talks/speaker.md:3: `speakers`:",
    );
    support::assert_has(&run.stderr, "error: content/talks/slug.md:3:");
    support::assert_has(&run.stderr, "at most 255");
}

/// A static file whose name is near the 255-byte limit could not be
/// copied: the output's temporary file took its name plus a suffix, and
/// the build failed with "File name too long", naming no file.
#[test]
fn static_files_with_the_longest_names_are_copied() {
    let name = format!("{}.png", "a".repeat(251));
    let site = support::Site::new()
        .file("content/talks/t.md", "# T\n")
        .file(&format!("static/{name}"), "image");
    site.build();
    assert_eq!(site.read(&format!("static/{name}")), "image");
}

/// Headings with the same text get ids `q`, `q-1`, `q-2`...; each new one
/// was found by trying every suffix from 1, so a note with thousands of
/// them took minutes (20,000: over a minute of CPU in a debug build).
#[test]
fn many_headings_with_the_same_text_are_quick() {
    let mut note = String::from("# T\n\n");
    for _ in 0..20_000 {
        note.push_str("## Q\n\n");
    }
    let site = support::Site::new().file("content/talks/t.md", &note);
    let started = std::time::Instant::now();
    site.build();
    let took = started.elapsed();
    let page = site.read("talks/t/index.html");
    support::assert_has(&page, "<h2 id=\"q-19999\">");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

/// The number in environment variable `name`, if set.
fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
    )
}

/// Builds `case`: `Ok(true)` if the site was built, `Ok(false)` if it was
/// rejected, each as it should be.
fn check(case: &Case) -> Result<bool, TestCaseError> {
    let dir = support::Site::empty();
    let written = case.write(&dir.root());
    let watchdog = Watchdog::start(dir.tmp());
    let outcome = match case.run {
        Run::InMemory => in_memory(&dir.root(), case.drafts),
        Run::Build => full_build(&dir, Some(dir.out()), case.drafts),
        Run::BuildToConfigured => full_build(&dir, None, case.drafts),
    };
    drop(watchdog);
    match outcome {
        Ok(built) => {
            check_built(&built, &written, case.drafts)?;
            Ok(true)
        }
        Err(problems) => {
            prop_assert!(problems.has_errors(), "rejected without an error");
            for problem in &problems.0 {
                check_diagnostic(problem, &written)?;
            }
            Ok(false)
        }
    }
}

/// What a successful build made.
struct Built {
    /// Talk notes in the site.
    talks: usize,
    /// Profile files in the site, when known.
    profiles: Option<usize>,
    /// Every output path (`talks/x/index.html`).
    outputs: Vec<String>,
    warnings: Vec<Diagnostic>,
}

/// The pipeline without writing: load, render, index.
fn in_memory(root: &Path, drafts: bool) -> Result<Built, Diagnostics> {
    let pipeline = Pipeline::read(root, drafts, Markdown::Drop);
    let (files, warnings) = pipeline.files()?;
    Ok(Built {
        talks: pipeline.site.talks.len(),
        profiles: Some(pipeline.site.profiles.len()),
        outputs: files.into_keys().collect(),
        warnings,
    })
}

/// `talkbook build`, output folder and all.
fn full_build(
    dir: &support::Site,
    output: Option<PathBuf>,
    drafts: bool,
) -> Result<Built, Diagnostics> {
    let options = BuildOptions {
        root: dir.root(),
        output,
        drafts,
        wait: true,
    };
    let report = talkbook::build(&options, &())?;
    let outputs = support::snapshot(&report.output)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok(Built {
        talks: report.talks,
        profiles: None,
        outputs,
        warnings: report.warnings,
    })
}

/// A built site has a page per note, every note file became one (all of
/// them with `--drafts`); files that are not notes are left out.
fn check_built(built: &Built, written: &Written, drafts: bool) -> Result<(), TestCaseError> {
    let notes = written.notes();
    prop_assert!(
        built.talks <= notes,
        "{} talks from {notes} notes",
        built.talks
    );
    if drafts {
        prop_assert_eq!(built.talks, notes, "a note is missing from the site");
    }
    if let Some(profiles) = built.profiles {
        prop_assert_eq!(profiles, written.profiles(), "a profile is missing");
    }
    let talk_pages = built
        .outputs
        .iter()
        // talks/<slug>/index.html, not the list of talks and its pages.
        .filter(|p| {
            p.starts_with("talks/") && p.ends_with("/index.html") && p.matches('/').count() == 2
        })
        .count();
    prop_assert_eq!(talk_pages, built.talks, "one page per talk");
    for page in ["index.html", "404.html", "sitemap.xml", "atom.xml"] {
        prop_assert!(built.outputs.iter().any(|p| p == page), "no {}", page);
    }
    prop_assert!(
        built.outputs.iter().any(|p| p.starts_with("search-index/")),
        "no search index"
    );
    for warning in &built.warnings {
        prop_assert!(
            !warning.is_error(),
            "an error among the warnings: {warning}"
        );
        check_diagnostic(warning, written)?;
    }
    Ok(())
}

/// A diagnostic names a file of the site (relative to its root), a line
/// inside that file, and says something.
fn check_diagnostic(problem: &Diagnostic, written: &Written) -> Result<(), TestCaseError> {
    prop_assert!(
        !problem.message.trim().is_empty(),
        "no message: {problem:?}"
    );
    if let Some(hint) = &problem.hint {
        prop_assert!(!hint.trim().is_empty(), "empty hint: {problem:?}");
    }
    let Some(file) = &problem.file else {
        // The one problem of no file: an output folder talkbook may not replace.
        prop_assert!(
            problem
                .message
                .starts_with("refusing to write the site into"),
            "names no file: {problem}"
        );
        return Ok(());
    };
    prop_assert!(file.is_relative(), "not relative to the root: {problem}");
    let built_in = file.starts_with("templates") && file.to_string_lossy().ends_with(" (built-in)");
    let required = file == Path::new("book.toml") || file == Path::new("content");
    prop_assert!(
        built_in || required || written.has(file),
        "names a file the site does not have: {problem}"
    );
    if let (Some(line), Some(bytes)) = (problem.line, written.files.get(file)) {
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        prop_assert!(
            (1..=lines).contains(&line),
            "line {line} of a {lines}-line file: {problem}"
        );
    }
    Ok(())
}

/// Stops the whole run if a case takes longer than [`CASE_LIMIT`], leaving
/// its site on disk. Dropping it means the case ended.
struct Watchdog {
    _running: mpsc::Sender<()>,
}

impl Watchdog {
    fn start(site: &Path) -> Watchdog {
        let (running, wait) = mpsc::channel::<()>();
        let site = site.to_path_buf();
        std::thread::spawn(move || {
            if wait.recv_timeout(CASE_LIMIT) == Err(mpsc::RecvTimeoutError::Timeout) {
                eprintln!(
                    "a case ran longer than {CASE_LIMIT:?}; its site is in {}",
                    site.display()
                );
                std::process::exit(2);
            }
        });
        Watchdog { _running: running }
    }
}

// ------------------------------------------------------------- the sites

/// One generated site.
#[derive(Debug, Clone)]
struct Case {
    /// `book.toml`: an entry of [`BOOKS`], or none.
    book: Option<usize>,
    files: Vec<NoteFile>,
    /// Entries of [`EXTRAS`]: templates and static files.
    extras: Vec<usize>,
    /// Names of more files in `static/`.
    statics: Vec<Stem>,
    /// Entries of [`SYMLINKS`].
    symlinks: Vec<usize>,
    drafts: bool,
    run: Run,
}

/// How a case is built.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// Loaded, rendered and indexed in memory.
    InMemory,
    /// `talkbook build` into a folder beside the site.
    Build,
    /// `talkbook build` into `[build] output`.
    BuildToConfigured,
}

/// A markdown file under `content/`.
#[derive(Debug, Clone)]
struct NoteFile {
    folder: &'static str,
    stem: Stem,
    ext: &'static str,
    doc: Doc,
}

/// A file name without its ending: any bytes, as Linux allows.
#[derive(Clone)]
struct Stem(Vec<u8>);

impl std::fmt::Debug for Stem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

/// A note's or profile's text.
#[derive(Debug, Clone)]
struct Doc {
    bom: bool,
    ending: Ending,
    front: Option<Front>,
    body: Vec<Block>,
    /// Bytes that make the file unreadable as text (NUL, bad UTF-8), put
    /// at this offset (modulo the file's length).
    fault: Option<(usize, &'static [u8])>,
}

/// The line endings of a file: Unix, Windows, or old Mac OS.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Lf,
    CrLf,
    Cr,
}

/// Front matter: TOML between `+++` lines, or YAML between `---` lines.
#[derive(Debug, Clone)]
struct Front {
    toml: bool,
    lines: Vec<FrontLine>,
    fence: Fence,
}

/// How the front matter ends.
#[derive(Debug, Clone, Copy)]
enum Fence {
    Closed,
    /// Never closed.
    Open,
    /// Closed with trailing spaces, or YAML's `...`.
    Odd,
    /// Opened after an empty line: not front matter at all.
    Late,
}

/// One key of the front matter, or a few lines of it.
#[derive(Debug, Clone)]
enum FrontLine {
    /// `key = value` or `key: value`; `block` for tables and lists written
    /// over several lines.
    Entry {
        key: String,
        value: Val,
        block: bool,
    },
    /// An entry of [`TOML_SNIPPETS`] or [`YAML_SNIPPETS`], whichever fits.
    Snippet(usize),
}

/// A front-matter value.
#[derive(Debug, Clone)]
enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Written bare: a TOML date-time, a YAML timestamp, or neither.
    Date(&'static str),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
    /// This many lists inside each other.
    Nested(usize),
    /// Written as is.
    Raw(String),
}

/// A markdown block.
#[derive(Debug, Clone)]
enum Block {
    Heading(usize, String),
    /// The same `##` heading this many times.
    SameHeadings(usize, &'static str),
    Paragraph(String),
    /// `depth` nested lists, one line per level or all on one line.
    List {
        depth: usize,
        one_line: bool,
        text: String,
    },
    Quote(usize, String),
    Code {
        info: String,
        text: String,
        closed: bool,
    },
    Table(usize, Vec<String>),
    Footnote(String, String),
    Link(Link),
    /// `piece` repeated to `len` characters, on one line.
    LongLine(usize, String),
    /// Emphasis and brackets nested `depth` deep.
    Inline(usize),
    Raw(&'static str),
}

/// A link, to another note or elsewhere.
#[derive(Debug, Clone)]
struct Link {
    target: Target,
    anchor: Option<String>,
    /// Which syntax: `[a](<x>)`, `[a](x)`, `[a][ref]`, `![a](<x>)`, `<x>`.
    form: usize,
}

/// Where a link leads.
#[derive(Debug, Clone)]
enum Target {
    /// Another file of the case, by index.
    Note(usize),
    /// `../` this many times, then a name.
    Up(usize),
    /// An entry of [`LINK_OTHERS`].
    Other(&'static str),
}

// ------------------------------------------------------------ the pools

/// Texts of `book.toml`: the first is a plain one, most others are wrong.
const BOOKS: &[&[u8]] = &[
    b"[site]\ntitle = \"Fuzz notes\"\nbase-url = \"https://example.org/notes/\"\n",
    b"",
    b"[site]\ntitle = 1\n",
    b"[site]\ntitel = \"typo\"\n",
    b"[sitee]\ntitle = \"x\"\n",
    b"title = \"top level\"\n",
    b"[site]\nbase-url = \"ftp:x\"\n",
    b"[edit]\nrepository = \"https://example.com/o/r\"\n",
    b"[edit]\nrepository = \"https://github.com/o/r\"\nsite-dir = \"/docs/\"\nbranch = \"\xc3\xa9t\xc3\xa9\"\n",
    b"[edit]\nurl-template = \"https://x/{branch}\"\n",
    b"[edit]\nforge = \"bitbucket\"\n",
    b"[site\ntitle = \"x\"\n",
    b"\xef\xbb\xbf[site]\ntitle = \"BOM\"\n",
    b"[site]\r\ntitle = \"CRLF\"\r\nlanguage = \"<script>\"\r\n",
    b"[site]\ntitle = \"\xff\xfe\"\n",
    b"[site]\ntitle = \"{{ site.title }} {% raw %}\"\ndescription = \"\\u202e\\u0000\"\n",
    b"[site]\nbase-url = \"https://example.org/\xc3\xbcn\xc3\xaf code/\"\n",
    b"[build]\noutput = \"../elsewhere\"\n",
    b"[site]\ntitle = \"a\"\n[site]\ntitle = \"b\"\n",
    b"[[site]]\n",
    b"[build]\noutput = \"content\"\n",
    b"[build]\noutput = \"\"\n",
    b"[build]\noutput = \"book.toml\"\n",
    b"[build]\noutput = \"content/out\"\n",
    b"[build]\noutput = \"static\"\n",
];

/// Bytes that make a file not text: NUL, bad UTF-8, a cut character, a surrogate.
const FAULTS: &[&[u8]] = &[b"\0", b"\xff", b"\xe2\x82", b"\xed\xa0\x80"];

/// Folders of content files: talks, profiles, nested, hidden, unicode.
const FOLDERS: &[&str] = &[
    "content",
    "content/talks",
    "content/talks",
    "content/talks",
    "content/talks/day 2",
    "content/talks/2018/05/02",
    "content/speakers",
    "content/projects",
    "content/events",
    "content/tags",
    "content/speakers/nested",
    "content/.drafts",
    "content/\u{fc}n\u{ef} c\u{f4}de",
    "content/_index",
    "content/static",
];

/// File names without `.md`: spaces, unicode, reserved words, editor files.
const STEMS: &[&str] = &[
    "talk",
    "Talk",
    "my talk",
    "d\u{ed}a-1",
    "\u{65e5}\u{672c}\u{8a9e}",
    "-",
    "\u{1f389}",
    "ab\u{200b}c",
    "index",
    "search",
    "404",
    "a.b",
    ".hidden",
    "#lock#",
    "ada-lovelace",
    "kubernetes",
    "kubecon-2018",
    "talk\u{301}",
    "CON",
    "a\\b",
    "a:b?*",
    " lead",
    "trail ",
    "\u{202e}dm.exe",
    "x~",
];

/// File name endings other than `.md`.
const ODD_EXTS: &[&str] = &[".MD", ".markdown", ".txt", "", ".md~", ".md.swp", ".png"];

/// Templates and static files: (path, bytes).
const EXTRAS: &[(&str, &[u8])] = &[
    (
        "templates/talk.html",
        b"{% extends \"base.html\" %}{% block main %}<h1>{{ talk.title }}</h1>{{ talk.html | safe }}{% endblock main %}",
    ),
    ("templates/talk.html", b"ok\n{% if %}\n"),
    ("templates/home.html", b"{{ nope.field }}"),
    ("templates/talk.html", b"{% extends \"talk.html\" %}"),
    ("templates/macros.html", b"{% macro x() %}\n"),
    (
        "templates/base.html",
        b"{% block main %}{% endblock main %}{% block main %}{% endblock main %}",
    ),
    ("templates/talk.html", b"\xff\xfe"),
    ("templates/extra.html", b"{% include \"missing.html\" %}"),
    ("templates/talk.html~", b"{% if %}"),
    ("templates/atom.xml", b"<feed>{{ site.title }}</feed>"),
    ("static/style.css", b"body { color: red }"),
    ("static/\u{fc}n\u{ef} code.png", b"\x89PNG\r\n\x1a\n\0\0"),
    ("static/.well-known/security.txt", b"Contact: x"),
    ("static/x~", b"leftover"),
    ("static/search-index/manifest.js", b"clash"),
];

/// Symbolic links: (link, target).
const SYMLINKS: &[(&str, &str)] = &[
    ("content/loop", "."),
    ("content/talks/up", ".."),
    ("content/gone.md", "nowhere.md"),
    ("content/alias.md", "talks/talk.md"),
    ("content/outside", "/"),
];

/// Words of text, many of them markdown or template syntax.
const WORDS: &[&str] = &[
    "Kubernetes",
    "the",
    "talk",
    "Prometheus",
    "service mesh",
    "{{ site.title }}",
    "{% raw %}",
    "{# comment",
    "<script>alert(1)</script>",
    "&amp;",
    "*emph*",
    "`code`",
    "**",
    "_",
    "[",
    "]",
    "|",
    "\\",
    "<",
    ">",
    "#",
    "---",
    "+++",
    "$$x$$",
    "[^1]",
    "http://example.org",
];

/// Odd unicode: right-to-left, combining marks, zero-width, emoji, control.
const ODD: &[&str] = &[
    "\u{202e}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd} \u{5e2}\u{5d5}\u{5dc}\u{5dd}",
    "\u{645}\u{631}\u{62d}\u{628}\u{627}",
    "e\u{301}\u{302}\u{303}\u{304}",
    "Z\u{337}\u{322}\u{354}\u{35c}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}",
    "\u{1f1e9}\u{1f1f0}",
    "\u{1}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\r",
    "\t",
    "\u{130}",
    "\u{df}",
    "\u{1c5}",
    "\u{10ffff}",
    "\u{e000}",
    "\u{1d54f}",
    "Bj\u{f6}rn Str\u{f6}m",
    "\u{65e5}\u{672c}\u{8a9e}",
    "\u{fffd}",
];

/// Speaker, project, tag and event names: some make the same slug, some none.
const NAMES: &[&str] = &[
    "Ada Lovelace",
    "ada lovelace",
    "\u{c5}d\u{e5} L\u{f6}velace",
    "Bj\u{f6}rn Str\u{f6}m",
    "Liz Rice",
    "\u{674e}\u{5c0f}\u{9f8d}",
    "\u{1f3a4}",
    "",
    " ",
    "O'Brien",
    "<b>Bold</b>",
    "Ada\u{200b}Lovelace",
    "\u{202e}evil",
    "Kubernetes",
    "kubernetes",
    "C++",
    "C#",
    ".NET",
    "KubeCon + CloudNativeCon Europe 2018",
    "observability",
    "search",
];

/// Talk titles.
const TITLES: &[&str] = &[
    "Istio Performance and Scale",
    "D\u{ed}a 1: Kubernetes \u{1f3a1}",
    "C++ & Rust <em>fast</em>",
    "{{ title }} {% if %}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd} Kubernetes",
    "Why `kubectl` \\ *matters*",
];

/// Dates and times, good and bad, in the shapes other generators write.
const DATES: &[&str] = &[
    "2018-05-02",
    "2018-05-02T10:00:00Z",
    "2018-05-02 10:00:00 +02:00",
    "2018-05-02T10:00:00+02:00",
    "1979-05-27T07:32:00.999999-07:00",
    "2001-12-14t21:59:43.10-05:00",
    "07:32:00",
    "2018-13-45",
    "0000-01-01",
    "9999-12-31T23:59:60Z",
    "2018-5-2",
    "May 2, 2018",
    "+275760-09-13",
];

/// The keys talkbook reads.
const NOTE_KEYS: &[&str] = &[
    "title", "date", "event", "speakers", "projects", "tags", "slides", "video", "authors",
    "summary", "draft", "slug", "name",
];

/// Keys other generators (Jekyll, Hugo) write, and odd ones.
const OTHER_KEYS: &[&str] = &[
    "layout",
    "categories",
    "permalink",
    "aliases",
    "weight",
    "toc",
    "description",
    "author",
    "images",
    "lastmod",
    "publishDate",
    "mood",
    "homepage",
    "\u{fc}n\u{ef}",
    "",
    "key with space",
    "extra",
];

/// TOML lines as people write them, valid or not.
const TOML_SNIPPETS: &[&str] = &[
    "[params]\nx = 1",
    "[[speakers]]\nname = \"Ada Lovelace\"\naffiliation = \"ACME\"",
    "tags = [\"a\", 1]",
    "date = 2018-05-02T10:00:00+02:00",
    "date = 07:32:00",
    "date = 2018-05-02 10:00:00",
    "title = \"\"\"multi\nline\"\"\"",
    "title = 'literal \\n'",
    "speakers = [{ name = \"Ada\" }, \"Bo\"]",
    "speakers = [{ nom = \"Ada\" }]",
    "site.title = \"dotted\"",
    "slug = \"\"",
    "slug = \"../../etc/passwd\"",
    "slug = \"\u{65e5}\u{672c}\u{8a9e}\"",
    "slug = \"\u{1f4a5}\"",
    "title = \"a\"\ntitle = \"b\"",
    "draft = \"yes\"",
    "speakers = \"Solo Speaker\"",
    "tags = []",
    "[extra]\nmood = \"great\"",
    "title = 1",
    "title = \"unterminated",
    "= no key",
    "taxonomies = { tags = [\"x\"] }",
    "float = nan\ninf = -inf",
    "big = 99999999999999999999",
    "date = 1979-05-27",
    "[[bogus]]\n[bogus]",
];

/// YAML lines as people (and Jekyll, Hugo) write them, valid or not.
const YAML_SNIPPETS: &[&str] = &[
    "layout: post",
    "categories: [kubernetes, talks]",
    "permalink: /talks/:title/",
    "tags: null",
    "speakers: ~",
    "projects:",
    "aliases:\n  - /old/url/\n  - /older/",
    "description: >\n  Folded text\n  over lines.",
    "summary: |\n  Literal\n  block.",
    "author: {name: Ada, email: ada@example.org}",
    "speakers:\n  - name: Ada Lovelace\n    affiliation: ACME\n  - Liz Rice",
    "speakers:\n  - name: ~\n  - {role: CTO}",
    "base: &b {role: CTO}\nother: *b",
    "merged:\n  <<: *undefined",
    "title: !!str 123",
    "weird: !custom tag",
    "title: first\ntitle: second",
    "\ttitle: tab-indented",
    "? complex key\n: value",
    "date: 2018-05-02 10:00:00 +02:00",
    "date: 2001-12-14t21:59:43.10-05:00",
    "date: 2018-05-02",
    "draft: yes",
    "draft: ~",
    "tags: [a, [b, c], {d: e}]",
    "title: 'single ''quoted'''",
    "title: \"unterminated",
    "title: [unclosed",
    "- a\n- b",
    "%YAML 1.2",
    "lastmod: 2018-05-03",
    "toc: true\nweight: 10",
    "laughs: &a [x, x, x, x, x, x]\nlaughs2: &b [*a, *a, *a, *a, *a, *a]\nlaughs3: [*b, *b, *b, *b, *b, *b]",
    "key: value # comment",
    "\"quoted key\": 1",
    "1: numeric key",
    "null: null key",
    "[a, b]: flow key",
    "title: a: b",
];

/// Code block languages: known, unknown, odd.
const CODE_INFOS: &[&str] = &[
    "",
    "rust",
    "toml",
    "yaml",
    "sh",
    "js",
    "html",
    "dockerfile",
    "nope",
    "rust,ignore",
    "{.rust}",
    "```",
    "~~~",
    "\u{65e5}\u{672c}",
];

/// Markdown blocks of odd shapes.
const RAW_BLOCKS: &[&str] = &[
    "---",
    "Title\n=====",
    "<div>\nunclosed",
    "<!-- unclosed comment",
    "<script>let x = '</script>';",
    "| a | b |\n|---|",
    "- [ ] task\n- [x] done",
    "~~struck~~",
    "  \n\t\n",
    "[ref]: http://example.org \"title\"",
    "* * *",
    "1) one\n2) two",
    "    indented code",
    "\\",
    "[^undefined]",
    "#no-space heading",
    "####### seven",
];

/// Link targets that are not another note of the case.
const LINK_OTHERS: &[&str] = &[
    "nope.md",
    "/talks/x.md",
    "https://example.com/a.md",
    "mailto:ada@example.org",
    "C:\\talks\\x.md",
    "file:///etc/passwd.md",
    "%ZZ.md",
    "%2e%2e/%2e%2e/x.md",
    ".md",
    "..md",
    "a/./b/../c.md",
    "?q.md",
    "",
    "#",
    "talk.md#",
    "../../../../../../../../etc/passwd.md",
    "javascript:alert(1)",
    "%00.md",
    "%2F..%2F..%2Fbook.md",
];

/// `#anchors` of links: some are ids of [`HEADINGS`].
const ANCHORS: &[&str] = &[
    "introduction",
    "q-a",
    "demo",
    "section",
    "",
    "\u{65e5}\u{672c}",
    "custom-id",
];

/// Heading texts, repeated so ids need suffixes.
const HEADINGS: &[&str] = &[
    "Introduction",
    "Q&A",
    "D\u{e9}mo",
    "Section",
    "Section",
    "Custom {#custom-id .cls}",
    "{#}",
];

// ------------------------------------------------------- the generators

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![
            12 => Just(Some(0)),
            1 => Just(None),
            3 => (0..BOOKS.len()).prop_map(Some),
        ],
        prop::collection::vec(note_file(), 0..7),
        prop_oneof![
            4 => Just(vec![]),
            1 => prop::collection::vec(0..EXTRAS.len(), 1..3),
        ],
        prop_oneof![
            4 => Just(vec![]),
            1 => prop::collection::vec(stem(), 1..3),
        ],
        prop_oneof![
            4 => Just(vec![]),
            1 => prop::collection::vec(0..SYMLINKS.len(), 1..3),
        ],
        any::<bool>(),
        prop_oneof![
            10 => Just(Run::InMemory),
            1 => Just(Run::Build),
            1 => Just(Run::BuildToConfigured),
        ],
    )
        .prop_map(
            |(book, files, extras, statics, symlinks, drafts, run)| Case {
                book,
                files,
                extras,
                statics,
                symlinks,
                drafts,
                run,
            },
        )
}

fn note_file() -> impl Strategy<Value = NoteFile> {
    let ext = prop_oneof![40 => Just(".md"), 1 => select(ODD_EXTS)];
    (select(FOLDERS), stem(), ext, doc()).prop_map(|(folder, stem, ext, doc)| NoteFile {
        folder,
        stem,
        ext,
        doc,
    })
}

fn stem() -> impl Strategy<Value = Stem> {
    prop_oneof![
        12 => select(STEMS).prop_map(|s| s.as_bytes().to_vec()),
        6 => "[a-z0-9][a-z0-9 ._-]{0,15}".prop_map(String::into_bytes),
        1 => Just(vec![0xff, 0xfe, b'x']),
        1 => Just("x".repeat(200).into_bytes()),
        1 => Just("y".repeat(251).into_bytes()),
    ]
    .prop_map(Stem)
}

fn doc() -> impl Strategy<Value = Doc> {
    let ending = prop_oneof![
        16 => Just(Ending::Lf),
        4 => Just(Ending::CrLf),
        1 => Just(Ending::Cr),
    ];
    let fault = prop_oneof![
        50 => Just(None),
        1 => (any::<usize>(), select(FAULTS)).prop_map(Some),
    ];
    (
        prop::bool::weighted(0.1),
        ending,
        prop::option::weighted(0.8, front()),
        prop::option::weighted(0.9, title()),
        prop::collection::vec(block(), 0..8),
        fault,
    )
        .prop_map(|(bom, ending, front, title, mut body, fault)| {
            body.splice(0..0, title.map(|t| Block::Heading(1, t)));
            Doc {
                bom,
                ending,
                front,
                body,
                fault,
            }
        })
}

fn front() -> impl Strategy<Value = Front> {
    let fence = prop_oneof![
        20 => Just(Fence::Closed),
        1 => Just(Fence::Open),
        1 => Just(Fence::Odd),
        1 => Just(Fence::Late),
    ];
    let line = prop_oneof![
        10 => front_entry(),
        1 => any::<usize>().prop_map(FrontLine::Snippet),
    ];
    let title = prop::option::weighted(0.9, title()).prop_map(|title| {
        title.map(|t| FrontLine::Entry {
            key: "title".into(),
            value: Val::Str(t),
            block: false,
        })
    });
    (
        any::<bool>(),
        title,
        prop::collection::vec(line, 0..8),
        fence,
    )
        .prop_map(|(toml, title, lines, fence)| {
            // Most keys once, as most files have them; snippets may repeat one.
            let mut keys = std::collections::HashSet::new();
            let lines = title
                .into_iter()
                .chain(lines)
                .filter(|line| match line {
                    FrontLine::Entry { key, .. } => keys.insert(key.clone()),
                    FrontLine::Snippet(_) => true,
                })
                .collect();
            Front { toml, lines, fence }
        })
}

fn front_entry() -> impl Strategy<Value = FrontLine> {
    let typed = prop_oneof![
        4 => (Just("title"), text().prop_map(Val::Str)),
        2 => (Just("date"), date()),
        3 => (Just("speakers"), speakers()),
        3 => (select(&["projects", "tags", "authors"][..]), names()),
        1 => (Just("event"), name().prop_map(Val::Str)),
        2 => (select(&["slides", "video", "summary", "slug", "name"][..]), text().prop_map(Val::Str)),
        1 => (Just("slug"), name().prop_map(Val::Str)),
        1 => (Just("draft"), any::<bool>().prop_map(Val::Bool)),
        2 => (select(OTHER_KEYS), value()),
        1 => (select(NOTE_KEYS), value()),
    ];
    (typed, prop::bool::weighted(0.2)).prop_map(|((key, value), block)| FrontLine::Entry {
        key: key.to_string(),
        value,
        block,
    })
}

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        select(TITLES).prop_map(str::to_string),
        text().prop_filter("a title says something", |t| !t.trim().is_empty()),
    ]
}

fn date() -> impl Strategy<Value = Val> {
    prop_oneof![
        select(DATES).prop_map(Val::Date),
        select(DATES).prop_map(|d| Val::Str(d.to_string())),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(NAMES).prop_map(str::to_string),
        2 => text(),
        1 => Just("Long Name ".repeat(30)),
    ]
}

fn names() -> impl Strategy<Value = Val> {
    prop_oneof![
        3 => prop::collection::vec(name().prop_map(Val::Str), 0..4).prop_map(Val::List),
        1 => name().prop_map(Val::Str),
    ]
}

fn speakers() -> impl Strategy<Value = Val> {
    let url = select(&["https://example.org/ada", "javascript:alert(1)", "", "//x"][..]);
    let full = (
        name(),
        prop::option::of(name()),
        prop::option::of(text()),
        prop::option::of(url),
    )
        .prop_map(|(name, affiliation, role, url)| {
            let mut fields = vec![("name".to_string(), Val::Str(name))];
            fields.extend(affiliation.map(|a| ("affiliation".to_string(), Val::Str(a))));
            fields.extend(role.map(|r| ("role".to_string(), Val::Str(r))));
            fields.extend(url.map(|u| ("url".to_string(), Val::Str(u.to_string()))));
            Val::Map(fields)
        });
    let one = prop_oneof![name().prop_map(Val::Str), full];
    prop_oneof![
        3 => prop::collection::vec(one, 0..4).prop_map(Val::List),
        1 => name().prop_map(Val::Str),
    ]
}

/// Any value, of any type.
fn value() -> impl Strategy<Value = Val> {
    let leaf = prop_oneof![
        3 => text().prop_map(Val::Str),
        1 => any::<i64>().prop_map(Val::Int),
        1 => prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY)].prop_map(Val::Float),
        1 => any::<bool>().prop_map(Val::Bool),
        1 => Just(Val::Null),
        1 => select(DATES).prop_map(Val::Date),
        1 => select(&[10, 100, 1_000, 100_000][..]).prop_map(Val::Nested),
        1 => select(WORDS).prop_map(|w| Val::Raw(w.to_string())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Val::List),
            prop::collection::vec((select(OTHER_KEYS).prop_map(str::to_string), inner), 0..4)
                .prop_map(Val::Map),
        ]
    })
}

/// A few words, some of them odd.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(WORDS).prop_map(str::to_string),
        3 => select(ODD).prop_map(str::to_string),
        2 => "\\PC{1,12}",
        1 => any::<char>().prop_map(|c| if c == '\0' { '\u{1}' } else { c }.to_string()),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.join(" "))
}

fn depth() -> impl Strategy<Value = usize> {
    prop_oneof![6 => 1..6usize, 2 => 6..60usize, 1 => Just(300usize), 1 => Just(2_000usize)]
}

fn block() -> impl Strategy<Value = Block> {
    let link = (
        prop_oneof![
            4 => any::<usize>().prop_map(Target::Note),
            1 => (1..6usize).prop_map(Target::Up),
            2 => select(LINK_OTHERS).prop_map(Target::Other),
        ],
        prop::option::weighted(0.4, select(ANCHORS).prop_map(str::to_string)),
        0..5usize,
    )
        .prop_map(|(target, anchor, form)| {
            Block::Link(Link {
                target,
                anchor,
                form,
            })
        });
    prop_oneof![
        3 => (1..8usize, prop_oneof![select(HEADINGS).prop_map(str::to_string), text()])
            .prop_map(|(level, text)| Block::Heading(level, text)),
        1 => (prop_oneof![2..10usize, Just(1_000usize)], select(HEADINGS))
            .prop_map(|(count, text)| Block::SameHeadings(count, text)),
        5 => text().prop_map(Block::Paragraph),
        2 => (depth(), any::<bool>(), text())
            .prop_map(|(depth, one_line, text)| Block::List { depth, one_line, text }),
        2 => (depth(), text()).prop_map(|(depth, text)| Block::Quote(depth, text)),
        2 => (select(CODE_INFOS).prop_map(str::to_string), text(), prop::bool::weighted(0.9))
            .prop_map(|(info, text, closed)| Block::Code { info, text, closed }),
        1 => (1..5usize, prop::collection::vec(text(), 0..4))
            .prop_map(|(columns, cells)| Block::Table(columns, cells)),
        1 => (select(&["1", "note", "\u{65e5}", " ", "^"][..]).prop_map(str::to_string), text())
            .prop_map(|(label, text)| Block::Footnote(label, text)),
        4 => link,
        1 => (prop_oneof![1_000..5_000usize, Just(100_000usize)], select(WORDS).prop_map(str::to_string))
            .prop_map(|(len, piece)| Block::LongLine(len, piece)),
        1 => depth().prop_map(Block::Inline),
        2 => select(RAW_BLOCKS).prop_map(Block::Raw),
    ]
}

// ------------------------------------------------------ writing a case

/// The files of a case as written: path relative to the root → bytes.
struct Written {
    files: BTreeMap<PathBuf, Vec<u8>>,
    /// The symbolic links made, which the walk may warn about or follow.
    links: Vec<PathBuf>,
    /// Links to a note file inside the site, which the walk follows.
    linked_notes: usize,
}

impl Written {
    /// Whether `path` is a file written, a folder holding one, a link made,
    /// or a path reached through a link.
    fn has(&self, path: &Path) -> bool {
        self.files.keys().any(|p| p.starts_with(path))
            || self.links.iter().any(|link| path.starts_with(link))
    }

    /// Files that `content/` loading reads (not ignored, not symbolic links,
    /// named in UTF-8: others are left out with a warning).
    fn content_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.files
            .keys()
            .filter(|p| default_layout().reads(p) && p.to_str().is_some())
    }

    /// Notes: markdown files outside the profile folders.
    fn notes(&self) -> usize {
        self.content_files()
            .filter(|p| default_layout().role(p) == Role::Note)
            .count()
            + self.linked_notes
    }

    /// Profiles: markdown files directly in a profile folder.
    fn profiles(&self) -> usize {
        self.content_files()
            .filter(|p| matches!(default_layout().role(p), Role::Profile(_)))
            .count()
    }
}

/// Where the generated sites keep their notes: their book.toml has no `[content]`.
fn default_layout() -> Layout {
    Layout::new(&SiteConfig::default())
}

fn is_md(path: &Path) -> bool {
    path.extension() == Some(OsStr::new("md"))
}

impl Case {
    /// Writes the case's site at `root`: the files that could be written
    /// (a generated file may clash with a generated folder).
    fn write(&self, root: &Path) -> Written {
        let paths: Vec<PathBuf> = self.files.iter().map(NoteFile::path).collect();
        let mut files = BTreeMap::new();
        if let Some(book) = self.book {
            files.insert(PathBuf::from("book.toml"), BOOKS[book].to_vec());
        }
        for &extra in &self.extras {
            let (path, bytes) = EXTRAS[extra];
            files.insert(PathBuf::from(path), bytes.to_vec());
        }
        for stem in &self.statics {
            let path = Path::new("static").join(OsStr::from_bytes(&stem.0));
            files.insert(path, b"static".to_vec());
        }
        for (file, path) in self.files.iter().zip(&paths) {
            files.insert(path.clone(), file.doc.render(path, &paths));
        }
        files.retain(|path, bytes| write_file(&root.join(path), bytes));
        std::fs::create_dir_all(root.join("content")).expect("content/");
        let mut links = Vec::new();
        for &link in &self.symlinks {
            let (link, target) = SYMLINKS[link];
            let at = root.join(link);
            if let Some(parent) = at.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if std::os::unix::fs::symlink(target, &at).is_ok() {
                links.push(PathBuf::from(link));
            }
        }
        let linked_notes = links
            .iter()
            .filter(|link| is_md(link) && root.join(link).is_file())
            .count();
        Written {
            files,
            links,
            linked_notes,
        }
    }
}

/// Writes `bytes` at `path`, making folders; false if it cannot.
fn write_file(path: &Path, bytes: &[u8]) -> bool {
    path.parent()
        .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
        && std::fs::write(path, bytes).is_ok()
}

impl NoteFile {
    fn path(&self) -> PathBuf {
        let mut name = self.stem.0.clone();
        name.extend_from_slice(self.ext.as_bytes());
        Path::new(self.folder).join(OsStr::from_bytes(&name))
    }
}

impl Doc {
    /// The file's bytes; `path` is its own path, `paths` those of every
    /// file of the case, for links.
    fn render(&self, path: &Path, paths: &[PathBuf]) -> Vec<u8> {
        let mut text = String::new();
        if self.bom {
            text.push('\u{feff}');
        }
        if let Some(front) = &self.front {
            text.push_str(&front.render());
        }
        for block in &self.body {
            text.push_str(&block.render(path, paths));
            text.push_str("\n\n");
        }
        let text = match self.ending {
            Ending::Lf => text,
            Ending::CrLf => text.replace('\n', "\r\n"),
            Ending::Cr => text.replace('\n', "\r"),
        };
        let mut bytes = text.into_bytes();
        if let Some((at, fault)) = self.fault {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, fault.iter().copied());
        }
        bytes
    }
}

impl Front {
    fn render(&self) -> String {
        let fence = if self.toml { "+++" } else { "---" };
        let mut text = String::new();
        if let Fence::Late = self.fence {
            text.push('\n');
        }
        text.push_str(fence);
        text.push('\n');
        for line in &self.lines {
            text.push_str(&line.render(self.toml));
            text.push('\n');
        }
        match self.fence {
            Fence::Closed | Fence::Late => text.push_str(fence),
            Fence::Open => {}
            Fence::Odd if self.toml => text.push_str("+++  \t"),
            Fence::Odd => text.push_str("..."),
        }
        text.push('\n');
        text
    }
}

impl FrontLine {
    fn render(&self, toml: bool) -> String {
        match (self, toml) {
            (FrontLine::Snippet(i), true) => TOML_SNIPPETS[i % TOML_SNIPPETS.len()].to_string(),
            (FrontLine::Snippet(i), false) => YAML_SNIPPETS[i % YAML_SNIPPETS.len()].to_string(),
            (FrontLine::Entry { key, value, block }, true) => toml_entry(key, value, *block),
            (FrontLine::Entry { key, value, block }, false) => {
                let value = if *block {
                    yaml_block(value, 1)
                } else {
                    format!(" {}", yaml_flow(value))
                };
                format!("{}:{value}", yaml_key(key))
            }
        }
    }
}

fn toml_entry(key: &str, value: &Val, block: bool) -> String {
    let key = toml_key(key);
    match value {
        Val::Map(fields) if block => {
            let mut text = format!("[{key}]");
            for (k, v) in fields {
                text.push_str(&format!("\n{} = {}", toml_key(k), toml_value(v)));
            }
            text
        }
        Val::List(items) if block => items
            .iter()
            .map(|item| match item {
                Val::Map(fields) => {
                    let mut text = format!("[[{key}]]");
                    for (k, v) in fields {
                        text.push_str(&format!("\n{} = {}", toml_key(k), toml_value(v)));
                    }
                    text
                }
                other => format!("{key} = {}", toml_value(other)),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => format!("{key} = {}", toml_value(value)),
    }
}

fn toml_value(value: &Val) -> String {
    match value {
        Val::Str(s) => toml_string(s),
        Val::Int(i) => i.to_string(),
        Val::Float(f) if f.is_nan() => "nan".into(),
        Val::Float(f) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.into(),
        Val::Float(f) => format!("{f:?}"),
        Val::Bool(b) => b.to_string(),
        Val::Null => "null".into(),
        Val::Date(d) => d.to_string(),
        Val::List(items) => format!(
            "[{}]",
            items.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
        Val::Map(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Nested(depth) => format!("{}{}", "[".repeat(*depth), "]".repeat(*depth)),
        Val::Raw(text) => text.clone(),
    }
}

fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => out.push_str(&format!("\\U{:08X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_flow(value: &Val) -> String {
    match value {
        Val::Str(s) => yaml_string(s),
        Val::Int(i) => i.to_string(),
        Val::Float(f) if f.is_nan() => ".nan".into(),
        Val::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Val::Float(f) => format!("{f:?}"),
        Val::Bool(b) => b.to_string(),
        Val::Null => "~".into(),
        Val::Date(d) => d.to_string(),
        Val::List(items) => format!(
            "[{}]",
            items.iter().map(yaml_flow).collect::<Vec<_>>().join(", ")
        ),
        Val::Map(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{}: {}", yaml_key(k), yaml_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Nested(depth) => format!("{}{}", "[".repeat(*depth), "]".repeat(*depth)),
        Val::Raw(text) => text.clone(),
    }
}

/// `value` in block style, after `key:`, indented `level` steps.
fn yaml_block(value: &Val, level: usize) -> String {
    let indent = "  ".repeat(level);
    match value {
        Val::List(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item {
                Val::Map(fields) if !fields.is_empty() => {
                    let body = yaml_block(item, level + 1);
                    let body = body.trim_start_matches('\n');
                    format!("\n{indent}- {}", body.trim_start())
                }
                other => format!("\n{indent}- {}", yaml_flow(other)),
            })
            .collect(),
        Val::Map(fields) if !fields.is_empty() => fields
            .iter()
            .map(|(k, v)| format!("\n{indent}{}:{}", yaml_key(k), yaml_block(v, level + 1)))
            .collect(),
        other => format!(" {}", yaml_flow(other)),
    }
}

fn yaml_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if plain {
        key.to_string()
    } else {
        yaml_string(key)
    }
}

fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
                ) =>
            {
                out.push_str(&format!("\\U{:08X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Block {
    fn render(&self, path: &Path, paths: &[PathBuf]) -> String {
        match self {
            Block::Heading(level, text) => format!("{} {text}", "#".repeat(*level)),
            Block::SameHeadings(count, text) => vec![format!("## {text}"); *count].join("\n\n"),
            Block::Paragraph(text) => text.clone(),
            Block::List {
                depth,
                one_line: true,
                text,
            } => format!("{}{text}", "- ".repeat(*depth)),
            Block::List { depth, text, .. } => (0..*depth)
                .map(|level| format!("{}- {text}", "  ".repeat(level)))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Quote(depth, text) => format!("{} {text}", ">".repeat(*depth)),
            Block::Code { info, text, closed } => {
                let close = if *closed { "\n```" } else { "" };
                format!("```{info}\n{text}{close}")
            }
            Block::Table(columns, cells) => {
                let row = |cells: &[String]| format!("| {} |", cells.join(" | "));
                let header: Vec<String> = (0..*columns).map(|i| format!("h{i}")).collect();
                let rule = vec!["---".to_string(); *columns];
                [row(&header), row(&rule), row(cells)].join("\n")
            }
            Block::Footnote(label, text) => format!("See[^{label}].\n\n[^{label}]: {text}"),
            Block::Link(link) => link.render(path, paths),
            Block::LongLine(len, piece) => piece.chars().cycle().take(*len).collect(),
            Block::Inline(depth) => format!(
                "{}x{} {}",
                "*_".repeat(*depth),
                "_*".repeat(*depth),
                "[".repeat(*depth)
            ),
            Block::Raw(text) => text.to_string(),
        }
    }
}

impl Link {
    fn render(&self, path: &Path, paths: &[PathBuf]) -> String {
        let mut dest = match &self.target {
            Target::Note(_) if paths.is_empty() => "missing.md".to_string(),
            Target::Note(i) => relative(path, &paths[i % paths.len()]),
            Target::Up(n) => format!("{}talk.md", "../".repeat(*n)),
            Target::Other(dest) => dest.to_string(),
        };
        if let Some(anchor) = &self.anchor {
            dest.push('#');
            dest.push_str(anchor);
        }
        match self.form {
            0 => format!("[a link](<{dest}>)"),
            1 => format!("[a link]({})", dest.replace(' ', "%20")),
            2 => format!("[a link][ref]\n\n[ref]: <{dest}>"),
            3 => format!("![an image](<{dest}>)"),
            _ => format!("<{dest}>"),
        }
    }
}

/// The link from the file at `from` to the file at `to`, both relative to
/// the root.
fn relative(from: &Path, to: &Path) -> String {
    let parts = |p: &Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let from = parts(from.parent().unwrap_or(Path::new("")));
    let to = parts(to);
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - shared);
    link.push_str(&to[shared..].join("/"));
    link
}
