//! `talkbook import report`: a blog post that reports on several talks.
//!
//! A talk line is a heading, or a paragraph of one line, that names its
//! speakers as a note's heading does (`Title - Speaker, Role, Company &
//! Speaker, Company` or `"Title" by Speaker`, read by
//! [`people::split_title`]). The text from one talk line to the next is
//! that talk's note, as the author wrote it. A heading that is not a talk
//! line, at the talk headings' level or above, ends the talk before it: its
//! section and the text before the first talk go to the event's profile. A
//! photo's caption, and a heading with no text under it, are left out.

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::model::{EventRecord, Imported, Reason, SpeakerRecord, Start, TalkRecord};
use super::post_markdown::{self, is_caption};
use crate::content::Speaker;
use crate::content::headings::MARKDOWN_OPTIONS;
use crate::content::people;
use crate::diagnostics::Diagnostic;

/// One top-level block of the post.
#[derive(Debug)]
struct Block {
    /// A heading's level; `None` for any other block.
    level: Option<HeadingLevel>,
    /// A heading's or a one-line paragraph's plain text.
    line: Option<String>,
    /// Where it is in the markdown.
    range: Range<usize>,
}

/// What a block starts.
#[derive(Debug)]
enum Opens {
    /// A talk: its title and speakers.
    Talk(String, Vec<Speaker>),
    /// A section that is not a talk, under this heading.
    Other(String),
}

/// The post at `path` (markdown, HTML or plain text): a note per talk, on
/// `date` when given; the rest in the event's profile.
pub fn read(path: &Path, text: &str, date: Option<NaiveDate>) -> Result<Imported, Diagnostic> {
    let markdown = post_markdown::read(path, text)?;
    let blocks = blocks(&markdown);
    let opens = openings(&blocks);
    if !opens.iter().any(|o| matches!(o, Some(Opens::Talk(..)))) {
        return Err(Diagnostic::in_file(path, "found no talk in the post").with_hint(
            "a talk is a heading, or a paragraph of one line, such as `Title - Speaker, Role, Company & Speaker, Company` or `\"Title\" by Speaker`",
        ));
    }
    let mut imported = Imported {
        event: EventRecord {
            start: date,
            end: date,
            ..EventRecord::default()
        },
        ..Imported::default()
    };
    let captions: Vec<&Block> = blocks.iter().filter(|b| caption_of(b).is_some()).collect();
    for block in &captions {
        let line = caption_of(block).unwrap_or_default();
        imported.left_out.push((line.to_string(), Reason::Caption));
    }
    let mut profile = Vec::new();
    let starts: Vec<usize> = opens
        .iter()
        .zip(&blocks)
        .filter(|(open, _)| open.is_some())
        .map(|(_, block)| block.range.start)
        .chain([markdown.len()])
        .collect();
    let preamble = cut(&markdown, 0..starts[0], &captions);
    profile.extend((!preamble.is_empty()).then_some(preamble));
    let sections = opens
        .into_iter()
        .zip(&blocks)
        .filter_map(|(o, b)| Some((o?, b)));
    for ((open, block), end) in sections.zip(&starts[1..]) {
        let text = cut(&markdown, block.range.end..*end, &captions);
        match open {
            Opens::Talk(title, speakers) => {
                let talk = talk(imported.talks.len(), title, &speakers, text, date);
                add_speakers(&mut imported.speakers, &speakers);
                imported.talks.push(talk);
            }
            Opens::Other(heading) if text.is_empty() => {
                imported.left_out.push((heading, Reason::Caption));
            }
            Opens::Other(_) => {
                let heading = markdown[block.range.clone()].trim_end();
                profile.push(format!("{heading}\n\n{text}"));
            }
        }
    }
    imported.event.description = (!profile.is_empty()).then(|| profile.join("\n\n"));
    Ok(imported)
}

/// The top-level headings and paragraphs of `markdown`, and its other
/// blocks (lists, quotes, code) without a line.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut line = String::new();
    let mut one_line = true;
    for (event, range) in Parser::new_ext(markdown, MARKDOWN_OPTIONS).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let level = match tag {
                        Tag::Heading { level, .. } => Some(level),
                        _ => None,
                    };
                    let line =
                        matches!(tag, Tag::Heading { .. } | Tag::Paragraph).then(String::new);
                    blocks.push(Block { level, line, range });
                    one_line = true;
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    finish(
                        blocks.last_mut(),
                        &mut line,
                        one_line || matches!(end, TagEnd::Heading(_)),
                    );
                }
            }
            Event::Text(text) | Event::Code(text) => line.push_str(&text),
            Event::SoftBreak | Event::HardBreak => {
                line.push(' ');
                one_line = false;
            }
            Event::Rule if depth == 0 => blocks.push(Block {
                level: None,
                line: None,
                range,
            }),
            _ => {}
        }
    }
    blocks
}

/// Gives the block just ended its plain text, if it is a heading or a
/// paragraph of one line.
fn finish(block: Option<&mut Block>, line: &mut String, one_line: bool) {
    let text = std::mem::take(line);
    if let Some(block) = block {
        block.line = block
            .line
            .take()
            .filter(|_| one_line)
            .map(|_| text.trim().to_string());
    }
}

/// What each block opens: a talk, a section that is not one, or nothing.
fn openings(blocks: &[Block]) -> Vec<Option<Opens>> {
    let talks: Vec<Option<(String, Vec<Speaker>)>> = blocks
        .iter()
        .map(|b| {
            b.line
                .as_deref()
                .filter(|l| !is_caption(l))
                .and_then(people::split_title)
        })
        .collect();
    // Talks under `###` headings are ended by `##` and `###` headings, not `####`.
    let talk_level = blocks
        .iter()
        .zip(&talks)
        .filter(|(_, talk)| talk.is_some())
        .filter_map(|(b, _)| b.level)
        .min()
        .unwrap_or(HeadingLevel::H6);
    blocks
        .iter()
        .zip(talks)
        .map(|(block, talk)| match (talk, block.level) {
            (Some((title, speakers)), _) => Some(Opens::Talk(title, speakers)),
            (None, Some(level)) if level <= talk_level => {
                Some(Opens::Other(block.line.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

/// The caption a block is, if it is a paragraph crediting a photo.
fn caption_of(block: &Block) -> Option<&str> {
    block
        .line
        .as_deref()
        .filter(|line| block.level.is_none() && is_caption(line))
}

/// The markdown of `range` without the captions in it, trimmed.
fn cut(markdown: &str, range: Range<usize>, captions: &[&Block]) -> String {
    let mut text = String::new();
    let mut from = range.start;
    for caption in captions.iter().filter(|c| range.contains(&c.range.start)) {
        text.push_str(&markdown[from..caption.range.start]);
        from = caption.range.end.min(range.end);
    }
    text.push_str(&markdown[from..range.end]);
    text.trim().to_string()
}

/// The `index`th talk of the post.
fn talk(
    index: usize,
    title: String,
    speakers: &[Speaker],
    body: String,
    date: Option<NaiveDate>,
) -> TalkRecord {
    TalkRecord {
        id: format!("{index:04}"),
        title,
        start: date.map(Start::Day),
        speakers: speakers.iter().map(|s| s.name.clone()).collect(),
        description: (!body.is_empty()).then_some(body),
        ..TalkRecord::default()
    }
}

/// Adds the people of a talk not named before, each by their name.
fn add_speakers(records: &mut Vec<SpeakerRecord>, speakers: &[Speaker]) {
    for speaker in speakers {
        if !records.iter().any(|r| r.key == speaker.name) {
            records.push(SpeakerRecord {
                key: speaker.name.clone(),
                name: speaker.name.clone(),
                affiliation: speaker.affiliation.clone(),
                role: speaker.role.clone(),
                ..SpeakerRecord::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(name: &str, text: &str) -> Imported {
        read(Path::new(name), text, None).unwrap()
    }

    fn titles(imported: &Imported) -> Vec<&str> {
        imported.talks.iter().map(|t| t.title.as_str()).collect()
    }

    #[test]
    fn talk_lines_are_headings_or_paragraphs_of_either_shape() {
        let imported = post(
            "post.md",
            "# Our day\n\nWe went.\n\n## Rust at Scale - Ada Lovelace, CTO, Engines, Inc.\n\nFast.\n\n\
             **\"Mesh networks\" by Grace Hopper**\n\nRadios.\n",
        );
        assert_eq!(titles(&imported), ["Rust at Scale", "Mesh networks"]);
        let ada = &imported.speakers[0];
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.role.as_deref(), Some("CTO"));
        assert_eq!(ada.affiliation.as_deref(), Some("Engines, Inc."));
        assert_eq!(imported.talks[1].speakers, ["Grace Hopper"]);
        assert_eq!(imported.talks[0].description.as_deref(), Some("Fast."));
        assert_eq!(imported.talks[1].description.as_deref(), Some("Radios."));
        assert_eq!(
            imported.event.description.as_deref(),
            Some("# Our day\n\nWe went.")
        );
    }

    #[test]
    fn lines_that_only_look_like_talks_stay_in_the_text() {
        let imported = post(
            "post.md",
            "## Deploys - Ada Lovelace, ACME\n\n### Kubernetes - the hard way\n\nHard.\n\n\
             Observability - Lessons Learned\n\n- Mesh config - global Istio config\n\n\
             ```\nGo - Bo Smith, ACME\n```\n",
        );
        assert_eq!(titles(&imported), ["Deploys"]);
        let body = imported.talks[0].description.clone().unwrap();
        assert!(
            body.starts_with("### Kubernetes - the hard way\n\nHard."),
            "{body}"
        );
        assert!(body.ends_with("```\nGo - Bo Smith, ACME\n```"), "{body}");
    }

    #[test]
    fn a_paragraph_of_several_lines_is_not_a_talk_line() {
        let err = read(
            Path::new("post.md"),
            "We liked\nRust - Ada Lovelace, ACME\n",
            None,
        )
        .unwrap_err();
        assert!(err.message.contains("found no talk"));
    }

    #[test]
    fn other_sections_go_to_the_event_and_captions_are_left_out() {
        let imported = post(
            "post.txt",
            "Day one\n\nPhoto credit: Bo Smith\n\nDay one\n\nWe went.\n\n\
             Rust at Scale - Ada Lovelace, ACME\n\nFast.\n\nWaiting for lunch\n\n\
             Mesh - Grace Hopper & Bo Smith, Navy\n\nRadios.\n\nWelcome reception\n\nFood.\n",
        );
        assert_eq!(titles(&imported), ["Rust at Scale", "Mesh"]);
        assert_eq!(imported.talks[0].description.as_deref(), Some("Fast."));
        let left_out: Vec<&str> = imported.left_out.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            left_out,
            ["Photo credit: Bo Smith", "Day one", "Waiting for lunch"]
        );
        assert_eq!(
            imported.event.description.as_deref(),
            Some("## Day one\n\nWe went.\n\n## Welcome reception\n\nFood.")
        );
        let grace = &imported.speakers[1];
        assert_eq!(grace.affiliation.as_deref(), Some("Navy"));
    }

    #[test]
    fn the_date_is_every_talks_and_the_events() {
        let day = NaiveDate::from_ymd_opt(2018, 5, 2);
        let imported = read(Path::new("p.md"), "## Rust - Ada Lovelace, ACME\n", day).unwrap();
        assert_eq!(imported.talks[0].start, day.map(Start::Day));
        assert_eq!(imported.event.start, day);
        assert_eq!(imported.event.end, day);
    }
}
