//! Errors a user can fix, reported all at once.
//!
//! Every stage of the pipeline collects [`Diagnostic`]s instead of stopping at
//! the first problem, so one build tells the user everything that is wrong.
//! A diagnostic names the file (relative to the site root), the line when we
//! know it, what is wrong, and what to do about it. A failure of talkbook
//! itself ([`Diagnostic::internal`]) says it is a bug, never blames the site.
//!
//! The result shape through the pipeline: a check of one thing (a file, a
//! page, a write) gives `Result<T, Diagnostic>`; a stage that checks many
//! gives `Result<T, Diagnostics>`, its warnings in `T` when it succeeds; `?`
//! turns the first into the second.
//!
//! A site converted from elsewhere can have thousands of problems of one
//! kind (every note lacking the same key). [`Listing`] prints the first
//! [`SHOWN_PER_KIND`] of each kind in full and then how many more there are;
//! [`Diagnostic::kind`] is the one place that decides what "one kind" is.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built as it is: the build fails.
    #[default]
    Error,
    /// Something was left out or changed, and the build goes on: the user is told.
    Warning,
}

/// One problem in the user's site, with enough context to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem stops the build.
    pub severity: Severity,
    /// The file at fault, relative to the site root; `None` for site-wide problems.
    pub file: Option<PathBuf>,
    /// 1-based line number in `file`, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem in `file`.
    pub fn in_file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: Some(file.as_ref().to_path_buf()),
            line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem that belongs to no single file.
    pub fn site_wide(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A failure of talkbook itself (a bug), not of the user's site: the
    /// message says so, and asks for a report instead of a change to the site.
    pub fn internal(what: impl fmt::Display) -> Self {
        Diagnostic::site_wide(format!("internal error: {what}"))
            .with_hint("this is a bug in talkbook, please report it")
    }

    /// Sets the 1-based line number.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the line number if one is known.
    pub fn at_optional_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Makes this a warning: reported, but the build goes on.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True unless this is only a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Which kind of problem this is, for [`Listing`]: its severity and its
    /// message with the particulars of one file taken out. The particulars
    /// are what messages quote (text between backquotes or double quotes)
    /// and numbers, so "broken link: `a.md` points to a note that does not
    /// exist" and the same about `b.md` are one kind. The file, the line and
    /// the hint are not part of the kind.
    pub fn kind(&self) -> (Severity, String) {
        let mut shape = String::with_capacity(self.message.len());
        let mut quote = None;
        for c in self.message.chars() {
            match quote {
                Some(open) if c == open => {
                    quote = None;
                    shape.push(c);
                }
                Some(_) => {}
                None if c == '`' || c == '"' => {
                    quote = Some(c);
                    shape.push(c);
                }
                None if c.is_ascii_digit() => {
                    if !shape.ends_with('#') {
                        shape.push('#');
                    }
                }
                None => shape.push(c),
            }
        }
        (self.severity, shape)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "error: ")?,
            Severity::Warning => write!(f, "warning: ")?,
        }
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{}:{}: ", printable_path(file), line)?,
            (Some(file), None) => write!(f, "{}: ", printable_path(file))?,
            _ => {}
        }
        write!(f, "{}", printable(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// `path` as a terminal shows it faithfully: bytes that are not UTF-8 as
/// `\xFF`, and invisible or control characters (an escape sequence, a line
/// break, a right-to-left override) as `\u{1b}`, so that a message never
/// drives the terminal or hides what the name really holds.
pub fn printable_path(path: &Path) -> String {
    let mut shown = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        escape_into(&mut shown, chunk.valid(), false);
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown
}

/// `text` (a message, which may name files) with its invisible and control
/// characters escaped as in [`printable_path`], except line breaks and tabs,
/// which lay messages out.
pub fn printable(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    escape_into(&mut shown, text, true);
    shown
}

/// Appends `text` to `shown`, invisible and control characters escaped as
/// `\u{1b}`; with `keep_layout`, line breaks and tabs are kept as they are.
fn escape_into(shown: &mut String, text: &str, keep_layout: bool) {
    for c in text.chars() {
        let layout = keep_layout && matches!(c, '\n' | '\t');
        if is_invisible(c) && !layout {
            shown.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            shown.push(c);
        }
    }
}

/// Control characters, and the format characters and separators that show
/// as nothing or reorder the text around them.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Every problem found by one run of the pipeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when at least one problem is an error, not only a warning.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The warnings among the problems, in order.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.0.iter().filter(|d| !d.is_error()).cloned().collect()
    }

    /// How many errors there are, and warnings if any: "2 errors, 1 warning".
    pub fn tally(&self) -> String {
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        let warnings = self.0.len() - errors;
        match warnings {
            0 => count(errors, "error"),
            _ => format!("{}, {}", count(errors, "error"), count(warnings, "warning")),
        }
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds several problems.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    /// `Ok(value)` when there were no errors (warnings are the caller's to
    /// keep: see [`Diagnostics::warnings`]), else all problems, sorted by file
    /// and line so the report reads top to bottom.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if !self.has_errors() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// Sorted by file and line, without repeats.
    pub fn sorted(mut self) -> Diagnostics {
        self.0
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.0.dedup();
        self
    }

    /// Both values, or the problems of either or both.
    pub fn both<A, B>(
        a: Result<A, Diagnostics>,
        b: Result<B, Diagnostics>,
    ) -> Result<(A, B), Diagnostics> {
        match (a, b) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (a, b) => {
                let mut all = Diagnostics::default();
                all.extend(a.err().into_iter().flat_map(|d| d.0));
                all.extend(b.err().into_iter().flat_map(|d| d.0));
                Err(all.sorted())
            }
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

/// Shows the problems, the first [`SHOWN_PER_KIND`] of each kind in full,
/// then the count of errors (and of warnings, if any).
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Listing::new(&self.0, false), self.tally())
    }
}

/// How many problems of one [kind](Diagnostic::kind) are shown in full
/// unless every one is asked for (`--all`).
pub const SHOWN_PER_KIND: usize = 20;

/// Problems laid out for the terminal, one after another in their order:
/// of each [kind](Diagnostic::kind), the first [`SHOWN_PER_KIND`] in full and
/// then `... and 1,234 more like this`, unless `all` are shown. Each line
/// ends with a line break.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    problems: &'a [Diagnostic],
    all: bool,
}

impl<'a> Listing<'a> {
    /// `problems` listed; every one in full when `all`.
    pub fn new(problems: &'a [Diagnostic], all: bool) -> Self {
        Listing { problems, all }
    }
}

impl fmt::Display for Listing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<(Severity, String)> = self.problems.iter().map(Diagnostic::kind).collect();
        let mut totals: HashMap<&(Severity, String), usize> = HashMap::new();
        for kind in &kinds {
            *totals.entry(kind).or_default() += 1;
        }
        let mut seen: HashMap<&(Severity, String), usize> = HashMap::new();
        for (diagnostic, kind) in self.problems.iter().zip(&kinds) {
            let nth = seen.entry(kind).or_default();
            *nth += 1;
            if self.all || *nth <= SHOWN_PER_KIND {
                writeln!(f, "{diagnostic}")?;
            }
            let more = totals[kind] - SHOWN_PER_KIND.min(totals[kind]);
            if !self.all && *nth == SHOWN_PER_KIND && more > 0 {
                writeln!(f, "... and {} more like this", thousands(more))?;
            }
        }
        Ok(())
    }
}

/// `n` and `noun`, plural unless `n` is 1: "1 error", "1,204 errors".
pub fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n))
}

/// `n` with a comma between each group of three digits: "22,256".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut shown = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            shown.push(',');
        }
        shown.push(digit);
    }
    shown
}

impl std::error::Error for Diagnostics {}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    line_of_byte(text.as_bytes(), offset)
}

/// The 1-based line of byte `offset` in `bytes`, which need not be UTF-8.
pub fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_hint() {
        let d = Diagnostic::in_file("content/a.md", "bad date")
            .at_line(3)
            .with_hint("write YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3: bad date\n  hint: write YYYY-MM-DD"
        );
    }

    #[test]
    fn warnings_do_not_fail_and_are_counted_apart() {
        let warning = Diagnostic::in_file("content/a.md", "odd link").as_warning();
        assert_eq!(warning.to_string(), "warning: content/a.md: odd link");
        let only_warnings = Diagnostics(vec![warning.clone()]);
        assert_eq!(only_warnings.warnings(), vec![warning.clone()]);
        assert!(only_warnings.into_result(()).is_ok());
        let mixed = Diagnostics(vec![warning, Diagnostic::site_wide("broken")]);
        let err = mixed.into_result(()).unwrap_err();
        assert!(err.to_string().ends_with("1 error, 1 warning"), "{err}");
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        let d = Diagnostic::in_file(
            "content/\u{1b}[31mred\u{202e}\n.md",
            "bad\u{1b}date\n\tsecond line",
        )
        .at_line(2)
        .with_hint("\u{7}fix");
        assert_eq!(
            d.to_string(),
            "error: content/\\u{1b}[31mred\\u{202e}\\u{a}.md:2: bad\\u{1b}date\n\tsecond line\n  hint: \\u{7}fix"
        );
        assert_eq!(printable("Zoë — naïve"), "Zoë — naïve");
    }

    #[test]
    fn internal_errors_say_they_are_a_bug() {
        let d = Diagnostic::internal("the talk page's context is not a map");
        assert!(d.is_error());
        assert_eq!(
            d.to_string(),
            "error: internal error: the talk page's context is not a map\n  \
             hint: this is a bug in talkbook, please report it"
        );
    }

    #[test]
    fn one_kind_differs_only_in_what_it_quotes_and_numbers() {
        let broken = |file: &str, target: &str| {
            Diagnostic::in_file(
                file,
                format!("broken link: `{target}` is missing (byte 12)"),
            )
        };
        let kind = broken("content/a.md", "x.md").kind();
        assert_eq!(kind, broken("content/b.md", "other \"y\".md").kind());
        assert_eq!(kind.1, "broken link: `` is missing (byte #)");
        assert_ne!(kind, broken("content/a.md", "x.md").as_warning().kind());
        let other = Diagnostic::in_file("content/a.md", "broken link: `x.md` is outside");
        assert_ne!(kind, other.kind());
    }

    #[test]
    fn a_listing_shows_twenty_of_a_kind_then_counts_the_rest() {
        let mut problems: Vec<Diagnostic> = (0..50)
            .map(|i| Diagnostic::in_file(format!("content/{i}.md"), "no `title`"))
            .collect();
        problems.insert(30, Diagnostic::site_wide("something else"));
        let listed = Listing::new(&problems, false).to_string();
        let lines: Vec<&str> = listed.lines().collect();
        assert_eq!(lines.len(), 22, "{listed}");
        assert_eq!(lines[19], "error: content/19.md: no `title`");
        assert_eq!(lines[20], "... and 30 more like this");
        assert_eq!(lines[21], "error: something else");
        let all = Listing::new(&problems, true).to_string();
        assert_eq!(all.lines().count(), 51);
        assert!(!all.contains("more like this"));
        let summed = Diagnostics(problems).to_string();
        assert!(summed.ends_with("\n51 errors"), "{summed}");
    }

    #[test]
    fn exactly_twenty_of_a_kind_have_no_more_line() {
        let problems = vec![Diagnostic::site_wide("same"); SHOWN_PER_KIND];
        assert!(!Listing::new(&problems, false).to_string().contains("more"));
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(22_256), "22,256");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(count(1, "note"), "1 note");
        assert_eq!(count(1_000, "note"), "1,000 notes");
    }

    #[test]
    fn line_of_offset_counts_newlines() {
        assert_eq!(line_of_offset("a\nb\nc", 0), 1);
        assert_eq!(line_of_offset("a\nb\nc", 2), 2);
        assert_eq!(line_of_offset("a\nb\nc", 99), 3);
    }
}
