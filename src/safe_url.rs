//! Which URLs may become links: one rule for every URL a note or a profile
//! gives, in its front matter or in its markdown.
//!
//! Sites take edits from readers (the "Edit this page" link invites them), so
//! a URL in a note must never run script when clicked: `javascript:`,
//! `vbscript:` and `data:` links would. Browsers read `JaVa\tScRiPt:` and
//! ` javascript:` as `javascript:` too, so rather than list the bad schemes
//! this module lists the good ones and reads the scheme as a browser does: a
//! URL becomes a link only if it is relative (`other-talk/`, `/x`, `//host/x`),
//! a fragment (`#section`), or has one of [`LINK_SCHEMES`]. Any other URL is
//! shown as text, without a link, and the author is warned ([`warning`]).

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostic;

/// The schemes a link may have; a URL without a scheme (relative, or a
/// fragment) may always be a link.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether `url` may be a link's `href` or an image's `src`. `url` is the
/// value as the browser will read it: entities already decoded where it came
/// through HTML.
pub fn is_linkable(url: &str) -> bool {
    match scheme(url) {
        None => true,
        Some(scheme) => LINK_SCHEMES
            .iter()
            .any(|allowed| scheme.eq_ignore_ascii_case(allowed)),
    }
}

/// The scheme a browser reads in `url`, if any. As the URL standard says,
/// leading and trailing control characters and spaces are stripped and tabs
/// and newlines removed anywhere; then a scheme is a letter followed by
/// letters, digits, `+`, `-` or `.`, ending at the first `:`. Anything else
/// before the first `:` (or no `:`) makes the URL relative.
fn scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let (head, _) = trimmed.split_once(':')?;
    let scheme: String = head
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_valid).then_some(scheme)
}

/// A URL that [may be a link](is_linkable): the only form in which URLs from
/// front matter reach templates, so no template can put another in an `href`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SafeUrl(String);

impl SafeUrl {
    /// `url` if it may be a link, else `url` back as the error.
    pub fn new(url: String) -> Result<SafeUrl, String> {
        if is_linkable(&url) {
            Ok(SafeUrl(url))
        } else {
            Err(url)
        }
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The warning for `url`, given as `what` (`` `slides` ``, `link`) on
/// `line` of `file`, and made no link.
pub fn warning(file: &Path, line: Option<usize>, what: &str, url: &str) -> Diagnostic {
    Diagnostic::in_file(
        file,
        format!(
            "{what} URL `{}` is not safe: no link is made",
            url.escape_debug()
        ),
    )
    .at_optional_line(line)
    .with_hint(format!(
        "links may be {}, relative or #fragment URLs; write the full address, e.g. https://example.org/",
        LINK_SCHEMES.join(", ")
    ))
    .as_warning()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_relative_and_fragment_urls_are_links() {
        for url in [
            "https://example.org/a?b#c",
            "HTTP://example.org",
            "mailto:ada@example.org",
            "other-talk/",
            "../img.png",
            "/abs/path",
            "//example.org/x",
            "#section",
            "",
            "a/b:c",
            "?q=x:y",
            "my talk: part 2",
        ] {
            assert!(is_linkable(url), "{url:?}");
        }
    }

    #[test]
    fn script_and_other_schemes_are_not() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.org/",
        ] {
            assert!(!is_linkable(url), "{url:?}");
        }
    }

    #[test]
    fn safe_url_keeps_only_links() {
        assert_eq!(
            SafeUrl::new("https://x.org/".into()).unwrap().as_str(),
            "https://x.org/"
        );
        assert_eq!(
            SafeUrl::new("javascript:x".into()),
            Err("javascript:x".into())
        );
    }

    #[test]
    fn warning_names_file_line_and_url() {
        let w = warning(
            Path::new("content/a.md"),
            Some(3),
            "`slides`",
            "javascript:x",
        );
        assert!(!w.is_error());
        assert_eq!(w.line, Some(3));
        assert!(w.message.contains("`javascript:x`"), "{}", w.message);
    }
}
