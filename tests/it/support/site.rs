//! A [`Site`] written into a temporary folder, the `talkbook` binary run on
//! it, and a few assertions on the HTML it writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The `talkbook` binary built for these tests.
pub fn talkbook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_talkbook"))
}

/// The repository's own sample site.
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the sample site into a temporary folder: the folder (keep it
/// alive) and the output in it.
pub fn build_sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = Run::of(
        talkbook()
            .arg("build")
            .arg("--root")
            .arg(sample_root())
            .arg("--output")
            .arg(&out),
    )
    .ok();
    assert!(run.stdout.contains("Built 16 talks"), "{run}");
    (tmp, out)
}

/// A minimal `book.toml`.
pub const BOOK_TOML: &str = "[site]\ntitle = \"Test notes\"\nbase-url = \"https://example.org/\"\n";

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(command: &mut Command) -> Run {
        let output = command.output().expect("run talkbook");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "expected success:\n{self}");
        self
    }

    /// Asserts exit code 1 (the site has errors).
    #[track_caller]
    pub fn failed(self) -> Run {
        assert_eq!(self.code, Some(1), "expected exit code 1:\n{self}");
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A site in a temporary folder: `<tmp>/site` is the root, `<tmp>/out` the
/// output the builds write to.
pub struct Site {
    dir: TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

impl Site {
    /// An empty site folder (no `book.toml`).
    pub fn empty() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("site")).unwrap();
        Site { dir }
    }

    /// A site with [`BOOK_TOML`].
    pub fn new() -> Site {
        Site::empty().file("book.toml", BOOK_TOML)
    }

    /// Writes `text` at `rel` under the root, making folders.
    pub fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text.as_bytes());
        self
    }

    /// Writes `bytes` at `rel` under the root, making folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Removes the file at `rel` under the root.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root().join(rel)).unwrap();
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// The temporary folder holding both root and output.
    pub fn tmp(&self) -> &Path {
        self.dir.path()
    }

    /// `talkbook build --root <root> --output <out> <extra>`.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        self.build_into(&self.out(), extra)
    }

    /// Runs `talkbook build` of this site into `output`, with `extra` arguments.
    pub fn build_into(&self, output: &Path, extra: &[&str]) -> Run {
        Run::of(
            talkbook()
                .arg("build")
                .arg("--root")
                .arg(self.root())
                .arg("--output")
                .arg(output)
                .args(extra),
        )
    }

    /// Builds and asserts success.
    #[track_caller]
    pub fn build(&self) -> Run {
        self.build_with(&[]).ok()
    }

    /// Runs `talkbook import <source> <input> --root <root> <extra>`.
    pub fn import(&self, source: &str, input: &Path, extra: &[&str]) -> Run {
        Run::of(
            talkbook()
                .args(["import", source])
                .arg(input)
                .arg("--root")
                .arg(self.root())
                .args(extra),
        )
    }

    /// A file of the site (not of its output), as text.
    pub fn source(&self, rel: &str) -> String {
        read(&self.root(), rel)
    }

    /// The output file at `rel`, as text.
    pub fn read(&self, rel: &str) -> String {
        read(&self.out(), rel)
    }

    /// Whether the output has a file at `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.out().join(rel).is_file()
    }
}

/// `dir/rel` as text, with a clear panic when missing.
pub fn read(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
}

/// Every file under `dir` (relative path → bytes).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, files);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// The names of the entries directly in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts `haystack` contains `needle`, showing `haystack` if not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find {needle:?} in:\n{haystack}"
    );
}

/// Asserts `haystack` does not contain `needle`.
#[track_caller]
pub fn assert_lacks(haystack: &str, needle: &str) {
    assert!(
        !haystack.contains(needle),
        "expected NOT to find {needle:?} in:\n{haystack}"
    );
}

/// The part of `html` from the first `start` to the next `end` after it
/// (both included); panics if either is missing.
#[track_caller]
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in:\n{html}"));
    let to = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?} in:\n{html}"));
    &html[from..from + to + end.len()]
}

/// The `<main>` of a page.
#[track_caller]
pub fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

/// The "Related talks" section of a talk page, if any.
pub fn related_section(html: &str) -> Option<&str> {
    html.contains("<section class=\"related\"")
        .then(|| between(html, "<section class=\"related\"", "</section>"))
}

/// The "Notes that link here" section of a talk page, if any.
pub fn backlinks_section(html: &str) -> Option<&str> {
    html.contains("<section class=\"backlinks\"")
        .then(|| between(html, "<section class=\"backlinks\"", "</section>"))
}

/// The `href`s of the talk cards (`<a class="talk-title" href=...>`) in `html`, in order.
pub fn talk_card_links(html: &str) -> Vec<&str> {
    const OPEN: &str = "<a class=\"talk-title\" href=\"";
    html.match_indices(OPEN)
        .map(|(i, _)| {
            let rest = &html[i + OPEN.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The `href` of the page's edit link, if any.
pub fn edit_link(html: &str) -> Option<&str> {
    const OPEN: &str = "<a class=\"edit-link\" href=\"";
    let at = html.find(OPEN)? + OPEN.len();
    let rest = &html[at..];
    Some(&rest[..rest.find('"').unwrap()])
}

/// Every `<loc>` of a sitemap, in order.
pub fn sitemap_locs(xml: &str) -> Vec<&str> {
    xml.match_indices("<loc>")
        .map(|(i, _)| {
            let rest = &xml[i + 5..];
            &rest[..rest.find("</loc>").unwrap()]
        })
        .collect()
}

/// The values of `name="..."` attributes in `text`, in order.
pub fn attr_values<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("{name}=\"");
    text.match_indices(&open)
        .map(|(i, _)| {
            let rest = &text[i + open.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// `html` with its tags removed (entities kept).
pub fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
