//! Imported text says what it says: a `[[` in a schedule's description (a
//! Python list, a matrix) was never meant as a wikilink, so the importer
//! writes it escaped, and the build shows it as written instead of
//! reporting a broken link.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::content::headings::NOTE_OPTIONS;

/// `markdown` with every `[[` a note's renderer would read as a wikilink
/// escaped (`\[\[`), so that it shows as text; code is left as it is.
pub fn wikilinks_as_text(markdown: &str) -> String {
    let starts: Vec<usize> = Parser::new_ext(markdown, NOTE_OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            }) => Some(range.start),
            _ => None,
        })
        .collect();
    let mut out = String::with_capacity(markdown.len() + 2 * starts.len());
    let mut from = 0;
    for start in starts {
        out.push_str(&markdown[from..start]);
        out.push_str(r"\[\[");
        from = start + 2;
    }
    out.push_str(&markdown[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wikilinks a note's renderer finds in `markdown`.
    fn wikilinks(markdown: &str) -> usize {
        Parser::new_ext(markdown, NOTE_OPTIONS)
            .filter(|e| {
                matches!(
                    e,
                    Event::Start(Tag::Link {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    })
                )
            })
            .count()
    }

    /// The text a reader sees of `markdown`.
    fn text(markdown: &str) -> String {
        Parser::new_ext(markdown, NOTE_OPTIONS)
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.into_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_python_list_is_text_not_a_wikilink() {
        let source = "The matrix [[1,1,0], [0,1,1]] and [[Istio|mesh]].";
        assert_eq!(wikilinks(source), 2);
        let escaped = wikilinks_as_text(source);
        assert_eq!(wikilinks(&escaped), 0, "{escaped}");
        assert_eq!(text(&escaped), source);
    }

    #[test]
    fn code_keeps_its_brackets() {
        let source = "`x = [[1]]`\n\n```\ny = [[2]]\n```\n";
        assert_eq!(wikilinks_as_text(source), source);
    }
}
