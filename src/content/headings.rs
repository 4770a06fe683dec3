//! What a note's headings say when its front matter does not: the title
//! (the first heading of any level, as plain text) and the speakers (named
//! in that heading, or in the headings right after it).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::people;
use super::speaker::Speaker;

/// The markdown extensions notes are written with, but wikilinks: see
/// [`NOTE_OPTIONS`], which the renderer uses.
pub const MARKDOWN_OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES)
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_TASKLISTS)
    .union(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);

/// How notes' and profiles' markdown is parsed: [`MARKDOWN_OPTIONS`] and
/// wikilinks (`[[Istio]]`), whose text a heading shows without brackets.
pub const NOTE_OPTIONS: pulldown_cmark::Options =
    MARKDOWN_OPTIONS.union(pulldown_cmark::Options::ENABLE_WIKILINKS);

/// The title and speakers a body's headings give.
#[derive(Debug, Clone, PartialEq)]
pub struct FromHeadings {
    /// The first heading as plain text, without the speakers it names.
    pub title: String,
    /// The people the first heading names, or the speaker headings after it.
    pub speakers: Vec<Speaker>,
    /// Where the body goes on after the first heading and the speaker
    /// headings used, when that heading is the first thing in the body.
    pub leading_end: Option<usize>,
}

/// One top-level heading of a body.
struct Heading {
    level: HeadingLevel,
    /// Its text as plain text, line breaks kept.
    text: String,
    /// Byte offset just after it.
    end: usize,
}

/// What `body`'s first heading (and the headings right after it) say;
/// speakers only when `with_speakers`. `None` when the body has no heading.
pub fn read(body: &str, with_speakers: bool) -> Option<FromHeadings> {
    let (first, then, first_is_leading) = leading_headings(body)?;
    let title_text = one_line(&first.text);
    let named = with_speakers
        .then(|| people::split_title(&title_text))
        .flatten();
    let (title, mut speakers) = named.unwrap_or((title_text, Vec::new()));
    let mut end = first.end;
    if with_speakers && speakers.is_empty() {
        for heading in then.iter().take_while(|h| h.level > first.level) {
            match people::speaker_heading(&heading.text) {
                Some(people) => {
                    speakers.extend(people);
                    end = heading.end;
                }
                None => break,
            }
        }
    }
    Some(FromHeadings {
        title,
        speakers,
        leading_end: first_is_leading.then(|| line_end(body, end)),
    })
}

/// The first top-level heading, the headings directly after it (up to the
/// first other block), and whether it is the body's first block.
fn leading_headings(body: &str) -> Option<(Heading, Vec<Heading>, bool)> {
    let mut first: Option<Heading> = None;
    let mut then = Vec::new();
    let mut current: Option<Heading> = None;
    let mut blocks_before = 0;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, NOTE_OPTIONS).into_offset_iter() {
        if depth == 0 {
            match &event {
                Event::Start(Tag::Heading { level, .. }) => {
                    current = Some(Heading {
                        level: *level,
                        text: String::new(),
                        end: range.end,
                    });
                }
                _ if first.is_some() => break,
                _ => blocks_before += 1,
            }
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(text) | Event::Code(text) => {
                current.iter_mut().for_each(|h| h.text.push_str(text));
            }
            Event::SoftBreak | Event::HardBreak => {
                current.iter_mut().for_each(|h| h.text.push('\n'));
            }
            _ => {}
        }
        if depth == 0 && matches!(event, Event::End(TagEnd::Heading(_))) {
            match first {
                None => first = current.take(),
                Some(_) => then.extend(current.take()),
            }
        }
    }
    first.map(|first| (first, then, blocks_before == 0))
}

/// Heading text on one line, spaces collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The offset after the line on which `offset` falls (or `offset` itself
/// when it starts a line).
fn line_end(body: &str, offset: usize) -> usize {
    if offset == 0 || body[..offset].ends_with('\n') {
        return offset;
    }
    body[offset..]
        .find('\n')
        .map_or(body.len(), |at| offset + at + 1)
}

/// A file name made readable: `day-1-keynote` → `Day 1 keynote`.
pub fn readable(stem: &str) -> String {
    let words = one_line(&stem.replace(['-', '_'], " "));
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(body: &str) -> String {
        read(body, true).unwrap().title
    }

    #[test]
    fn the_first_heading_of_any_level_is_the_title_as_plain_text() {
        assert_eq!(
            title("## [Eric Baer, Formidable](https://x.org)\n"),
            "Eric Baer, Formidable"
        );
        assert_eq!(title("# [[Istio]] at [[x|scale]]\n"), "Istio at scale");
        assert_eq!(
            title("# **Bold** and `code` ~~gone~~\n"),
            "Bold and code gone"
        );
        assert_eq!(title("Intro text.\n\n### Third level\n"), "Third level");
        assert_eq!(
            title("Setext title\n============\n\nText\n"),
            "Setext title"
        );
        assert_eq!(title("# With id {#custom}\n"), "With id");
        assert_eq!(read("No heading here.\n\n- # not top level\n", true), None);
    }

    #[test]
    fn a_leading_title_heading_ends_where_its_line_does() {
        let body = "\n# The Title\n\nText\n";
        let read = read(body, true).unwrap();
        assert_eq!(&body[read.leading_end.unwrap()..], "\nText\n");
        let setext = "Title\n===\nText\n";
        assert_eq!(
            &setext[super::read(setext, true).unwrap().leading_end.unwrap()..],
            "Text\n"
        );
        assert_eq!(
            super::read("Text\n\n# Later\n", true).unwrap().leading_end,
            None
        );
    }

    #[test]
    fn speakers_in_the_title_heading() {
        let read = read(
            "# \"Scaling Teams\" by Ada Lovelace and Bo Smith\n\nText\n",
            true,
        )
        .unwrap();
        assert_eq!(read.title, "Scaling Teams");
        assert_eq!(
            read.speakers,
            [Speaker::named("Ada Lovelace"), Speaker::named("Bo Smith")]
        );
        let without = super::read("# \"Scaling Teams\" by Ada Lovelace\n", false).unwrap();
        assert_eq!(without.title, "\"Scaling Teams\" by Ada Lovelace");
        assert!(without.speakers.is_empty());
    }

    #[test]
    fn speaker_headings_after_the_title_are_used_and_left_out_of_the_body() {
        let body = "# Scaling Teams\n\n## Ada Lovelace, CTO, ACME\n## Bo Smith, Foo\n\nText\n## Grace Hopper, Navy\n";
        let read = read(body, true).unwrap();
        assert_eq!(read.title, "Scaling Teams");
        let names: Vec<&str> = read.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "Bo Smith"]);
        assert_eq!(read.speakers[0].role.as_deref(), Some("CTO"));
        assert_eq!(
            &body[read.leading_end.unwrap()..],
            "\nText\n## Grace Hopper, Navy\n"
        );
    }

    #[test]
    fn headings_after_the_title_that_name_nobody_stay() {
        for body in [
            "# Scaling Teams\n\n## Key Takeaways, Part 2\n",
            "# Scaling Teams\n\nText\n\n## Ada Lovelace, ACME\n",
            "## Scaling Teams\n\n# Ada Lovelace, ACME\n",
        ] {
            let read = read(body, true).unwrap();
            assert!(read.speakers.is_empty(), "{body}");
            assert_eq!(read.title, "Scaling Teams", "{body}");
        }
    }

    #[test]
    fn file_names_made_readable() {
        assert_eq!(readable("day-1-keynote"), "Day 1 keynote");
        assert_eq!(readable("Day_1__keynote"), "Day 1 keynote");
        assert_eq!(readable("--"), "");
    }
}
