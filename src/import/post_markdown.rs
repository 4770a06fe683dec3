//! A report post as markdown, whatever it was written in: markdown is kept,
//! HTML is turned into markdown (its `<article>`, `<main>` or `<body>`
//! only), and plain text gets headings and list items where its lines
//! show them.

use std::path::Path;

use super::html;
use crate::content::people;
use crate::diagnostics::Diagnostic;

/// The longest one-line paragraph of plain text read as a heading, in words.
const HEADING_WORDS: usize = 6;

/// How a plain-text line may end without being a heading: a sentence's end.
const SENTENCE_ENDS: &[char] = &['.', '!', '?', ':', ';', ',', '…', ')'];

/// Bullets that start a list item in plain text.
const BULLETS: &[char] = &['•', '·', '◦', '▪'];

/// Beginnings of a line that credits or describes a photo (lowercase).
const CAPTION_STARTS: &[&str] = &[
    "photo credit",
    "photo:",
    "photo by ",
    "image credit",
    "image:",
    "image by ",
    "picture:",
    "credit:",
];

/// The post at `path` as markdown, by its extension.
pub fn read(path: &Path, text: &str) -> Result<String, Diagnostic> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "md" | "markdown" => Ok(text.to_string()),
        "html" | "htm" => Ok(html::to_markdown(main_part(text))),
        "txt" | "text" => Ok(from_plain_text(text)),
        _ => Err(Diagnostic::in_file(path, "is not a post talkbook reads")
            .with_hint("give a markdown (.md), HTML (.html) or plain-text (.txt) post")),
    }
}

/// Whether a paragraph's text is a photo's caption or credit.
pub fn is_caption(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    CAPTION_STARTS.iter().any(|start| lower.starts_with(start))
}

/// The inside of the page's first `<article>`, `<main>` or `<body>`, so
/// that its navigation and footer stay out; the whole text without them.
fn main_part(page: &str) -> &str {
    let lower = page.to_ascii_lowercase();
    ["article", "main", "body"]
        .iter()
        .find_map(|tag| {
            let open = lower.find(&format!("<{tag}"))?;
            let inside = open + lower[open..].find('>')? + 1;
            let close = lower.rfind(&format!("</{tag}>"))?;
            (close >= inside).then(|| &page[inside..close])
        })
        .unwrap_or(page)
}

/// Plain text as markdown: a one-line paragraph that is a talk line or
/// looks like a heading becomes a `##` heading, bulleted lines become list
/// items; every other line is kept, without its indentation.
fn from_plain_text(text: &str) -> String {
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut current = Vec::new();
    for line in text.lines().map(str::trim) {
        if !line.is_empty() {
            current.push(line);
        } else if !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    paragraphs.push(current);
    let blocks: Vec<String> = paragraphs
        .iter()
        .filter(|lines| !lines.is_empty())
        .map(|lines| plain_paragraph(lines))
        .collect();
    blocks.join("\n\n") + "\n"
}

/// One plain-text paragraph as a markdown block.
fn plain_paragraph(lines: &[&str]) -> String {
    if let [line] = lines
        && !is_caption(line)
        && (people::split_title(line).is_some() || looks_like_heading(line))
    {
        return format!("## {line}");
    }
    let lines: Vec<String> = lines
        .iter()
        .map(|line| match line.strip_prefix(BULLETS) {
            Some(item) => format!("- {}", item.trim()),
            None => (*line).to_string(),
        })
        .collect();
    lines.join("\n")
}

/// A short line starting with a capital or a digit, not ending as a
/// sentence does: `Welcome reception`.
fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let starts_well = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    (1..=HEADING_WORDS).contains(&words) && starts_well && !line.ends_with(SENTENCE_ENDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_gets_headings_and_list_items() {
        let text = "My day at the conference\r\n\r\nPhoto credit: Bo Smith\n\n\
            Rust at Scale - Ada Lovelace, CTO, Engines, Inc.\n\n\
            We learned a lot today.\n  • one\n  • two\n\n\n\
            Welcome reception\n\nI recommend you take a look at the slides\n";
        assert_eq!(
            from_plain_text(text),
            "## My day at the conference\n\nPhoto credit: Bo Smith\n\n\
             ## Rust at Scale - Ada Lovelace, CTO, Engines, Inc.\n\n\
             We learned a lot today.\n- one\n- two\n\n\
             ## Welcome reception\n\nI recommend you take a look at the slides\n"
        );
    }

    #[test]
    fn html_is_read_from_its_article() {
        let page = "<html><head><title>Blog</title></head><body><nav>Home</nav>\
            <article class=\"post\"><h2>Day one</h2><p>We <em>went</em>.</p></article>\
            <footer>Copyright</footer></body></html>";
        let markdown = read(Path::new("post.html"), page).unwrap();
        assert_eq!(markdown, "## Day one\n\nWe *went*.");
    }

    #[test]
    fn other_files_are_refused_with_the_extensions_read() {
        let err = read(Path::new("post.pdf"), "").unwrap_err();
        assert!(err.hint.unwrap().contains(".md"));
    }

    #[test]
    fn captions_credit_photos() {
        assert!(is_caption("Photo Credit: Pascal Martin"));
        assert!(is_caption("Image: the venue"));
        assert!(!is_caption("Photography at scale - Ada Lovelace, ACME"));
    }
}
