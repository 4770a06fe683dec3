//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough and task
//! lists; heading ids with anchor links; a table of contents; highlighted code;
//! links between notes rewritten to page URLs and checked (a link to a note
//! that is not in the site is left as text); wikilinks (`[[Istio]]`)
//! resolved by [`links::wikilinks`]; in notes, the first mention of each
//! project or speaker made a link (see [`links::mentions`]); links and images whose URL is
//! not [safe](crate::safe_url) left as text; raw HTML sanitized, passed
//! through or escaped, as `[markdown] raw-html` says.
//!
//! A note's markdown is rendered exactly once and never passed through the
//! template engine, so `{{ }}` in a note shows as written.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use pulldown_cmark_escape::escape_html;
use serde::Serialize;

use crate::config::RawHtml;
use crate::diagnostics::{Diagnostic, line_of_offset};
use crate::entity::EntityKind;
use crate::links::Linkable;
use crate::links::wikilinks::{Target, Unresolved};
use crate::{highlight, safe_url, sanitize, urls};

mod html;
pub use html::Html;

/// What a file name keeps percent-encoded when it becomes a link.
const FILE_NAME: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'?')
    .add(b'<')
    .add(b'>');

/// Notes with at least this many `##`/`###` headings get a table of contents.
pub const TOC_MIN_HEADINGS: usize = 3;
/// The longest excerpt, in characters, taken from a note's first paragraph.
const EXCERPT_CHARS: usize = 240;

/// A markdown document to render.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The file, relative to the site root; links are resolved from its folder.
    pub source: &'a Path,
    /// The markdown.
    pub body: &'a str,
    /// The 1-based file line on which `body` starts.
    pub body_line: usize,
}

/// What links resolve against: the page URL of every note and profile file
/// (by source path), what wikilinks and mentions can name, and the prefix
/// from the rendered page back to the root.
#[derive(Debug, Clone, Copy)]
pub struct LinkTargets<'a> {
    /// Source path (`content/talks/x.md`) → site-relative URL (`talks/x/`).
    pub pages: &'a HashMap<PathBuf, String>,
    /// The talks and entities wikilinks and mentions name.
    pub linkable: &'a Linkable,
    /// Whether names in prose become links (in notes, not profiles).
    pub mentions: bool,
    /// From the page the HTML appears on back to the site root (`../../`).
    pub root: &'a str,
}

/// A rendered document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// The body's HTML.
    pub html: Html,
    /// `##` and `###` headings, for a table of contents.
    pub toc: Vec<TocEntry>,
    /// Every heading id, for checking links to `#anchors`.
    pub anchors: HashSet<String>,
    /// Links to other notes, checked once every note is rendered.
    pub links: Vec<NoteLink>,
    /// Links to entities' pages, by wikilink or mention, in order.
    pub entities: Vec<EntityLink>,
    /// The names its wikilinks give (`Istio` for `[[Istio#why|mesh]]`), in
    /// order, resolved or not.
    pub wikilinks: Vec<String>,
    /// The plain text, for search: shared with the search index, which
    /// keeps it for excerpts.
    pub text: Arc<str>,
    /// The first paragraph as plain text, shortened.
    pub excerpt: String,
    /// Warnings for links left as text because their URL is not safe.
    pub problems: Vec<Diagnostic>,
    /// Files beside the note that it links to or shows (`![](img/a.png)`),
    /// to be copied beside its page.
    pub files: Vec<LinkedFile>,
    /// Links between notes that lead nowhere (a missing note, or a missing
    /// anchor on this page), for the site to report as `[build]
    /// broken-links` says.
    pub broken: Vec<BrokenLink>,
}

/// A file of the site a document links to by a relative path, that is not
/// a note: an image, a PDF. It is copied beside the document's page, so
/// that the link works there as it does in the notes folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedFile {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// Where it goes, relative to the page's folder (`img/a.png`); the link
    /// is rewritten to this when the path written climbs out of the note's
    /// folder (`../img/a.png` becomes `a.png`).
    pub href: String,
    /// The 1-based file line of the link.
    pub line: usize,
    /// Whether it is shown as an image (a missing one is worth a warning).
    pub image: bool,
}

/// A link between notes that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The problem, as an error.
    pub problem: Diagnostic,
    /// The note linked to, relative to the site root, when the link names a
    /// file inside the site that is not one of its notes (a draft left out
    /// is one): the link is then shown as its text.
    pub missing: Option<PathBuf>,
}

/// A link to an entity's page made by a wikilink or a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityLink {
    /// The entity's kind.
    pub kind: EntityKind,
    /// The entity's slug.
    pub slug: String,
    /// Whether it is a mention (a name in prose), not a wikilink.
    pub mention: bool,
}

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    /// The heading's id.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A link from one note to another (or to one of its headings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteLink {
    /// The target's source path, relative to the site root.
    pub target: PathBuf,
    /// The `#anchor`, if any.
    pub anchor: Option<String>,
    /// The 1-based file line of the link.
    pub line: usize,
}

fn options() -> Options {
    crate::content::headings::NOTE_OPTIONS
}

/// Renders `doc`, rewriting links between notes to page URLs; `raw_html`
/// says what becomes of HTML written in it.
pub fn render(doc: Document<'_>, targets: LinkTargets<'_>, raw_html: RawHtml) -> Rendered {
    let mut renderer = Renderer::new(doc, targets, raw_html);
    for (event, range) in Parser::new_ext(doc.body, options()).into_offset_iter() {
        renderer.event(event, range);
    }
    renderer.finish()
}

/// A heading being collected until its end tag.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    events: Vec<Event<'a>>,
    text: String,
}

/// A fenced or indented code block being collected.
struct PendingCode {
    info: String,
    text: String,
}

struct Renderer<'a> {
    doc: Document<'a>,
    targets: LinkTargets<'a>,
    raw_html: RawHtml,
    /// Whether the body has raw HTML, which `sanitize` must then clean.
    has_raw_html: bool,
    /// For each link or image open, whether it is kept (else its text is
    /// shown without it).
    open_links: Vec<bool>,
    out: Vec<Event<'a>>,
    heading: Option<PendingHeading<'a>>,
    code: Option<PendingCode>,
    /// Nesting of container blocks (lists, quotes, ...), to find the first
    /// top-level paragraph for the excerpt.
    depth: usize,
    in_excerpt: bool,
    excerpt_done: bool,
    same_page_anchors: Vec<(String, usize)>,
    /// For each heading id tried, the first `-N` suffix not yet known taken.
    next_suffix: HashMap<String, usize>,
    /// Prose not yet emitted, searched for mentions once whole (soft
    /// breaks kept as `\n`), and its events.
    prose: String,
    prose_events: Vec<Event<'a>>,
    /// The entities (as indexes in `Linkable`) linked to so far: each is
    /// mentioned once.
    linked_entities: HashSet<usize>,
    /// Whether an `<a>` written as HTML is open: its text is no prose.
    in_html_link: bool,
    /// Whether the text of the open link is being replaced (a wikilink
    /// shown by its page's name).
    replacing_text: bool,
    /// The plain text so far ([`Rendered::text`]).
    text: String,
    result: Rendered,
}

impl<'a> Renderer<'a> {
    fn new(doc: Document<'a>, targets: LinkTargets<'a>, raw_html: RawHtml) -> Self {
        Renderer {
            doc,
            targets,
            raw_html,
            has_raw_html: false,
            open_links: Vec::new(),
            out: Vec::new(),
            heading: None,
            code: None,
            depth: 0,
            in_excerpt: false,
            excerpt_done: false,
            same_page_anchors: Vec::new(),
            next_suffix: HashMap::new(),
            prose: String::new(),
            prose_events: Vec::new(),
            linked_entities: HashSet::new(),
            in_html_link: false,
            replacing_text: false,
            text: String::new(),
            result: Rendered::default(),
        }
    }

    fn line(&self, range: &Range<usize>) -> usize {
        self.doc.body_line + line_of_offset(self.doc.body, range.start) - 1
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if self.in_prose() {
            match &event {
                Event::Text(text) => {
                    self.add_text(text);
                    self.prose.push_str(text);
                    self.prose_events.push(event);
                    return;
                }
                Event::SoftBreak => {
                    self.add_text(" ");
                    self.prose.push('\n');
                    self.prose_events.push(event);
                    return;
                }
                _ => self.flush_prose(),
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                self.heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(PendingCode {
                    info,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => self.finish_code(),
            Event::Text(text) if self.code.is_some() => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::Text(_) if self.replacing_text => {}
            Event::Text(ref text) | Event::Code(ref text) => {
                self.add_text(text);
                self.emit(event);
            }
            Event::Html(html) | Event::InlineHtml(html) if self.raw_html == RawHtml::Escape => {
                self.event(Event::Text(html), range);
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                if let Event::InlineHtml(html) = &event {
                    self.follow_html_link(html);
                }
                self.has_raw_html = true;
                self.emit(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = self.is_safe("image", &dest_url, &range);
                self.open_links.push(keep);
                if keep {
                    let dest_url = self.linked_file(dest_url, &range, true);
                    self.emit(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.replacing_text = false;
                if self.open_links.pop().unwrap_or(true) {
                    self.emit(event);
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let resolved = self.wikilink(&dest_url, &range);
                self.open_links.push(resolved.is_some());
                let Some((href, shown)) = resolved else {
                    return;
                };
                self.emit(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: href.into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                if !has_pothole {
                    self.add_text(&shown);
                    self.emit(Event::Text(shown.into()));
                    self.replacing_text = true;
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.is_safe("link", &dest_url, &range) {
                    true => self.rewrite_link(dest_url, &range),
                    false => None,
                };
                self.open_links.push(dest_url.is_some());
                let Some(dest_url) = dest_url else {
                    return;
                };
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Paragraph) => {
                if self.depth == 0 && !self.excerpt_done {
                    self.in_excerpt = true;
                }
                self.emit(event);
            }
            Event::End(TagEnd::Paragraph) => {
                if self.in_excerpt {
                    self.in_excerpt = false;
                    self.excerpt_done = true;
                }
                self.text.push('\n');
                self.emit(event);
            }
            Event::Start(
                Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) | Tag::Table(_),
            ) => {
                self.depth += 1;
                self.emit(event);
            }
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::Table,
            ) => {
                self.depth = self.depth.saturating_sub(1);
                self.text.push('\n');
                self.emit(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.add_text(" ");
                self.emit(event);
            }
            // Tight list items and table cells hold text without paragraphs:
            // end them with a break, or their last word runs into the next.
            Event::End(TagEnd::Item | TagEnd::TableCell) => {
                self.text.push('\n');
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.out.push(event),
        }
    }

    fn add_text(&mut self, text: &str) {
        self.text.push_str(text);
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
        if self.in_excerpt && self.heading.is_none() {
            self.result.excerpt.push_str(text);
        }
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let title = heading.text.trim().to_string();
        let id = self.unique_id(match &heading.id {
            Some(id) => id.to_string(),
            None => urls::slugify(&title),
        });
        let level = heading.level as u8;
        if level == 2 || level == 3 {
            self.result.toc.push(TocEntry {
                level,
                id: id.clone(),
                title: title.clone(),
            });
        }
        let mut html = format!("<h{level} id=\"");
        let _ = escape_html(&mut html, &id);
        html.push('"');
        if !heading.classes.is_empty() {
            html.push_str(" class=\"");
            let _ = escape_html(&mut html, &heading.classes.join(" "));
            html.push('"');
        }
        html.push('>');
        pulldown_cmark::html::push_html(&mut html, heading.events.into_iter());
        html.push_str(" <a class=\"heading-anchor\" href=\"#");
        let _ = escape_html(&mut html, &id);
        html.push_str("\" aria-label=\"Link to this section\">#</a>");
        html.push_str(&format!("</h{level}>\n"));
        self.text.push('\n');
        self.out.push(Event::Html(html.into()));
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        while self.result.anchors.contains(&id) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        self.result.anchors.insert(id.clone());
        id
    }

    fn finish_code(&mut self) {
        let Some(code) = self.code.take() else {
            return;
        };
        self.text.push_str(&code.text);
        self.text.push('\n');
        let html = highlight::code_block(&code.text, &code.info);
        self.emit(Event::Html(html.into()));
    }

    /// Whether the URL of a link or image (`what`) to `dest` is safe to
    /// keep; if not, its text is shown without it, and the author warned.
    fn is_safe(&mut self, what: &str, dest: &str, range: &Range<usize>) -> bool {
        let keep = safe_url::is_linkable(dest);
        if !keep {
            let line = self.line(range);
            self.result
                .problems
                .push(safe_url::warning(self.doc.source, Some(line), what, dest));
        }
        keep
    }

    /// The URL a link should have, or `None` when it leads to no note and
    /// is shown as its text; records links between notes for checking.
    fn rewrite_link(&mut self, dest: CowStr<'a>, range: &Range<usize>) -> Option<CowStr<'a>> {
        let line = self.line(range);
        match classify(&dest) {
            LinkKind::Other => Some(self.linked_file(dest, range, false)),
            LinkKind::SamePage(anchor) => {
                self.same_page_anchors.push((anchor.to_string(), line));
                Some(dest)
            }
            LinkKind::Note { path, anchor } => {
                let Some(target) = resolve(self.doc.source, path) else {
                    self.broken(line, path, "points outside the site", None);
                    return None;
                };
                let Some(url) = self.targets.pages.get(&target) else {
                    let what = "points to a note that does not exist";
                    self.broken(line, path, what, Some(target));
                    return None;
                };
                let mut href = format!("{}{}", self.targets.root, url);
                if let Some(anchor) = anchor {
                    href.push('#');
                    href.push_str(anchor);
                }
                self.result.links.push(NoteLink {
                    target,
                    anchor: anchor.map(str::to_string),
                    line,
                });
                Some(href.into())
            }
        }
    }

    /// Whether text now is prose that may mention names: in a note, outside
    /// headings, code, links and images.
    fn in_prose(&self) -> bool {
        self.targets.mentions
            && self.heading.is_none()
            && self.code.is_none()
            && self.open_links.is_empty()
            && !self.in_html_link
    }

    /// Notes whether the inline HTML tag `html` opens or closes a link.
    fn follow_html_link(&mut self, html: &str) {
        let tag = html.trim_start().to_ascii_lowercase();
        if tag.starts_with("</a>") || tag.starts_with("</a ") {
            self.in_html_link = false;
        } else if tag.starts_with("<a ") || tag.starts_with("<a>") {
            self.in_html_link = true;
        }
    }

    /// Emits the prose gathered, the first mention of each entity not yet
    /// linked to made a link to its page (`<a class="mention">`).
    fn flush_prose(&mut self) {
        if self.prose.is_empty() {
            return;
        }
        let prose = std::mem::take(&mut self.prose);
        let events = std::mem::take(&mut self.prose_events);
        let linkable = self.targets.linkable;
        // Names are matched across line breaks as across spaces.
        let found = match prose.contains('\n') {
            true => linkable.mentions().find(&prose.replace('\n', " ")),
            false => linkable.mentions().find(&prose),
        };
        let first: Vec<(Range<usize>, usize)> = found
            .into_iter()
            .filter(|(_, index)| self.linked_entities.insert(*index))
            .collect();
        if first.is_empty() {
            // The common case: the events as parsed, borrowing the note.
            self.out.extend(events);
            return;
        }
        let mut emitted = 0;
        for (range, index) in first {
            let entity = linkable.entity(index);
            self.emit_prose(&prose[emitted..range.start]);
            let mut link = String::from("<a class=\"mention\" href=\"");
            let href = format!("{}{}", self.targets.root, entity.url());
            let _ = escape_html(&mut link, &href);
            link.push_str("\">");
            self.out.push(Event::InlineHtml(link.into()));
            self.emit_prose(&prose[range.clone()]);
            self.out.push(Event::InlineHtml("</a>".into()));
            self.result.entities.push(EntityLink {
                kind: entity.kind,
                slug: entity.slug.clone(),
                mention: true,
            });
            emitted = range.end;
        }
        self.emit_prose(&prose[emitted..]);
    }

    /// Emits `text` of the prose gathered, its `\n`s as soft breaks.
    fn emit_prose(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.out.push(Event::SoftBreak);
            }
            if !line.is_empty() {
                self.out.push(Event::Text(line.to_string().into()));
            }
        }
    }

    /// The URL and the text to show of the wikilink `[[dest]]`, or `None`
    /// when it leads nowhere (then reported, and shown as its text).
    fn wikilink(&mut self, dest: &str, range: &Range<usize>) -> Option<(String, String)> {
        let line = self.line(range);
        let (name, anchor) = match dest.split_once('#') {
            Some((name, anchor)) => (name.trim(), Some(anchor.trim())),
            None => (dest.trim(), None),
        };
        if name.is_empty() {
            let anchor = anchor.filter(|a| !a.is_empty())?;
            self.same_page_anchors.push((anchor.to_string(), line));
            return Some((format!("#{anchor}"), anchor.to_string()));
        }
        self.result.wikilinks.push(name.to_string());
        let linkable = self.targets.linkable;
        let resolved = match linkable.resolve(name) {
            Ok(resolved) => resolved,
            Err(why) => {
                self.broken_wikilink(line, dest, why);
                return None;
            }
        };
        let source = resolved.target.source();
        let url = match resolved.target {
            Target::Talk(talk) => self.targets.pages.get(&talk.source)?.clone(),
            Target::Entity(index, entity) => {
                self.linked_entities.insert(index);
                self.result.entities.push(EntityLink {
                    kind: entity.kind,
                    slug: entity.slug.clone(),
                    mention: false,
                });
                entity.url()
            }
        };
        let mut href = format!("{}{}", self.targets.root, url);
        if let Some(anchor) = anchor {
            let Some(target) = source else {
                let what = format!("{} has no headings to link to", resolved.target.explicit());
                self.broken(line, dest, &what, None);
                return None;
            };
            href.push('#');
            href.push_str(anchor);
            self.result.links.push(NoteLink {
                target: target.clone(),
                anchor: Some(anchor.to_string()),
                line,
            });
        } else if let Some(target) = source {
            self.result.links.push(NoteLink {
                target: target.clone(),
                anchor: None,
                line,
            });
        }
        Some((href, resolved.shown))
    }

    /// Records the wikilink `[[dest]]` on `line`, which leads nowhere.
    fn broken_wikilink(&mut self, line: usize, dest: &str, why: Unresolved) {
        let (message, hint) = match why {
            Unresolved::Nothing => (
                format!("broken wikilink: `[[{dest}]]` names no talk, speaker, project, tag or event"),
                "a wikilink names a talk by its file name, slug or title, or a speaker, project, tag or event by its name, slug or alias; e.g. [[Istio]], [[projects/istio]]".to_string(),
            ),
            Unresolved::Several(candidates) => (
                format!(
                    "broken wikilink: `[[{dest}]]` could name {}: {}",
                    candidates.len(),
                    candidates.join(", ")
                ),
                "write the one you mean in its explicit form, e.g. [[projects/name]] or [[talks/slug]]".to_string(),
            ),
        };
        let problem = Diagnostic::in_file(self.doc.source, message)
            .at_line(line)
            .with_hint(hint);
        self.result.broken.push(BrokenLink {
            problem,
            missing: None,
        });
    }

    /// Records `dest`, if it is a relative path to a file of the site, as a
    /// [`LinkedFile`], and gives the URL the page links it by.
    fn linked_file(&mut self, dest: CowStr<'a>, range: &Range<usize>, image: bool) -> CowStr<'a> {
        if !matches!(classify(&dest), LinkKind::Other) || is_absolute(&dest) {
            return dest;
        }
        let path = dest.split(['#', '?']).next().unwrap_or_default();
        let Some(source) = resolve(self.doc.source, path) else {
            return dest;
        };
        let stays = Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        let href = match source.file_name() {
            _ if stays => path.trim_start_matches("./").to_string(),
            Some(name) => percent_encoding::utf8_percent_encode(&name.to_string_lossy(), FILE_NAME)
                .to_string(),
            None => return dest,
        };
        let line = self.line(range);
        let rewritten = if stays { dest } else { href.clone().into() };
        self.result.files.push(LinkedFile {
            source,
            href: percent_encoding::percent_decode_str(&href)
                .decode_utf8_lossy()
                .into_owned(),
            line,
            image,
        });
        rewritten
    }

    /// Records a link to `path` that leads to no note: `missing` is where
    /// that note would be, if inside the site.
    fn broken(&mut self, line: usize, path: &str, what: &str, missing: Option<PathBuf>) {
        let problem =
            Diagnostic::in_file(self.doc.source, format!("broken link: `{path}` {what}"))
                .at_line(line)
                .with_hint("link to another note by its file path relative to this one, e.g. [title](other-talk.md)");
        self.result.broken.push(BrokenLink { problem, missing });
    }

    fn finish(mut self) -> Rendered {
        self.flush_prose();
        for (anchor, line) in std::mem::take(&mut self.same_page_anchors) {
            if !self.result.anchors.contains(&anchor) {
                let problem = Diagnostic::in_file(
                    self.doc.source,
                    format!("broken link: no heading with id `#{anchor}` in this note"),
                )
                .at_line(line)
                .with_hint(anchor_hint(&self.result.anchors));
                self.result.broken.push(BrokenLink {
                    problem,
                    missing: None,
                });
            }
        }
        let mut html = String::with_capacity(self.doc.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        if self.has_raw_html && self.raw_html == RawHtml::Sanitize {
            html = sanitize::clean(&html);
        }
        // Kept for the whole build: not the spare room of a growing string.
        html.shrink_to_fit();
        self.result.html = Html::new(html);
        self.result.text = self.text.into();
        self.result.excerpt = shorten(self.result.excerpt.trim(), EXCERPT_CHARS);
        self.result
    }
}

/// Advice listing the anchors a note does have.
pub fn anchor_hint(anchors: &HashSet<String>) -> String {
    let mut known: Vec<&str> = anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    if known.is_empty() {
        "that note has no headings to link to".into()
    } else {
        format!("headings there: #{}", known.join(", #"))
    }
}

enum LinkKind<'l> {
    /// External, absolute, or a file that is not a note: left as written.
    Other,
    /// `#anchor` on this page.
    SamePage(&'l str),
    /// Another note, by relative path.
    Note {
        path: &'l str,
        anchor: Option<&'l str>,
    },
}

fn classify(dest: &str) -> LinkKind<'_> {
    if let Some(anchor) = dest.strip_prefix('#') {
        return LinkKind::SamePage(anchor);
    }
    if is_absolute(dest) {
        return LinkKind::Other;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    if path.ends_with(".md") {
        LinkKind::Note { path, anchor }
    } else {
        LinkKind::Other
    }
}

/// Whether `dest` is a URL with a scheme, an absolute path or a page anchor:
/// anything but a path relative to the document.
fn is_absolute(dest: &str) -> bool {
    let has_scheme = dest
        .find(':')
        .is_some_and(|colon| !dest[..colon].contains(['/', '?', '#']));
    has_scheme || dest.starts_with('/') || dest.starts_with('#') || dest.is_empty()
}

/// `path` (relative to the folder of `from`) as a path relative to the site
/// root, or `None` if it climbs out of the site.
fn resolve(from: &Path, path: &str) -> Option<PathBuf> {
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = from.parent().unwrap_or(Path::new("")).join(path.as_ref());
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in joined.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// `text` cut at a word boundary to at most `max` characters, with `…`.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `body` rendered with the default `raw-html`, with `pages` as notes.
    fn render_note(body: &str, pages: &[(&str, &str)]) -> Rendered {
        render_as(body, pages, RawHtml::Sanitize)
    }

    /// `body` rendered with `raw_html`.
    fn render_with(body: &str, raw_html: RawHtml) -> Rendered {
        render_as(body, &[], raw_html)
    }

    fn render_as(body: &str, pages: &[(&str, &str)], raw_html: RawHtml) -> Rendered {
        let pages: HashMap<PathBuf, String> = pages
            .iter()
            .map(|(p, u)| (PathBuf::from(p), u.to_string()))
            .collect();
        let doc = Document {
            source: Path::new("content/talks/a.md"),
            body,
            body_line: 5,
        };
        let linkable = linkable(&pages);
        render(
            doc,
            LinkTargets {
                pages: &pages,
                linkable: &linkable,
                mentions: true,
                root: "../../",
            },
            raw_html,
        )
    }

    /// The notes in `pages` as talks (titled after their stems), a project
    /// Istio with a profile, a speaker Ada Lovelace and a tag `istio`.
    fn linkable(pages: &HashMap<PathBuf, String>) -> Linkable {
        use crate::links::{LinkableEntity, LinkableTalk, MentionRules};
        let talks = pages
            .iter()
            .map(|(source, url)| LinkableTalk {
                source: source.clone(),
                slug: url
                    .trim_start_matches("talks/")
                    .trim_end_matches('/')
                    .into(),
                title: source.file_stem().unwrap().to_string_lossy().to_uppercase(),
            })
            .collect();
        let entity = |kind, slug: &str, name: &str, profile: Option<&str>| LinkableEntity {
            kind,
            slug: slug.into(),
            name: name.into(),
            spellings: [name.to_string()].into(),
            profile: profile.map(PathBuf::from),
        };
        let entities = vec![
            entity(
                EntityKind::Project,
                "istio",
                "Istio",
                Some("content/projects/istio.md"),
            ),
            entity(EntityKind::Speaker, "ada-lovelace", "Ada Lovelace", None),
            entity(EntityKind::Tag, "mesh", "mesh", None),
        ];
        let rules = MentionRules {
            enabled: true,
            exclude: &[],
        };
        Linkable::new(talks, entities, rules)
    }

    #[test]
    fn wikilinks_link_talks_and_entities() {
        let r = render_note(
            "See [[b]], [[Ada Lovelace|her]] and [[projects/istio#why]].\n\n## [[mesh]]\n",
            &[("content/talks/b.md", "talks/b/")],
        );
        assert!(r.html.get().contains("See <a href=\"../../talks/b/\">B</a>, <a href=\"../../speakers/ada-lovelace/\">her</a> and <a href=\"../../projects/istio/#why\">Istio</a>."), "{}", r.html.get());
        assert!(
            r.html
                .get()
                .contains("<h2 id=\"mesh\"><a href=\"../../tags/mesh/\">mesh</a>"),
            "{}",
            r.html.get()
        );
        let targets: Vec<_> = r
            .links
            .iter()
            .map(|l| (l.target.to_str().unwrap(), l.anchor.as_deref()))
            .collect();
        assert_eq!(
            targets,
            [
                ("content/talks/b.md", None),
                ("content/projects/istio.md", Some("why"))
            ]
        );
        assert_eq!(r.entities.len(), 3);
        assert!(r.entities.iter().all(|e| !e.mention));
        assert!(r.broken.is_empty(), "{:?}", r.broken);
    }

    #[test]
    fn unresolved_wikilinks_are_text_and_broken_links_with_their_line() {
        let r = render_note("one\n\nSee [[Nomad]] and [[tags/mesh#x|mesh]].\n", &[]);
        assert_eq!(&*r.html.get(), "<p>one</p>\n<p>See Nomad and mesh.</p>\n");
        assert_eq!(r.broken.len(), 2);
        assert_eq!(r.broken[0].problem.line, Some(7));
        assert!(
            r.broken[0]
                .problem
                .message
                .contains("`[[Nomad]]` names no talk"),
            "{}",
            r.broken[0].problem.message
        );
        assert!(
            r.broken[1]
                .problem
                .message
                .contains("[[tags/mesh]] has no headings"),
            "{}",
            r.broken[1].problem.message
        );
    }

    #[test]
    fn the_first_mention_in_prose_becomes_a_link() {
        let r = render_note(
            "# Istio\n\n`Istio` and [Istio](https://istio.io): then Istio,\nAda\nLovelace and Istio again.\n\n```\nIstio\n```\n",
            &[],
        );
        assert!(
            r.html.get().contains("then <a class=\"mention\" href=\"../../projects/istio/\">Istio</a>,\n<a class=\"mention\" href=\"../../speakers/ada-lovelace/\">Ada\nLovelace</a> and Istio again."),
            "{}",
            r.html.get()
        );
        assert_eq!(
            r.html
                .get()
                .matches("href=\"../../projects/istio/\"")
                .count(),
            1
        );
        assert!(r.entities.iter().all(|e| e.mention));
        assert!(
            r.text.contains("then Istio, Ada Lovelace and Istio again."),
            "{}",
            r.text
        );
    }

    #[test]
    fn a_wikilink_is_the_first_mention() {
        let r = render_note("[[Istio|the mesh]] and Istio.", &[]);
        assert_eq!(r.html.get().matches("href").count(), 1, "{}", r.html.get());
    }

    #[test]
    fn mentions_keep_case_whole_words_and_stay_out_of_html_links() {
        let r = render_note(
            "istio, Istios, <a href=\"https://istio.io\">Istio</a>, *Istio*.\n",
            &[],
        );
        assert_eq!(
            &*r.html.get(),
            "<p>istio, Istios, <a href=\"https://istio.io\">Istio</a>, <em><a class=\"mention\" href=\"../../projects/istio/\">Istio</a></em>.</p>\n"
        );
    }

    #[test]
    fn profiles_resolve_wikilinks_but_make_no_mentions() {
        let pages = HashMap::new();
        let linkable = linkable(&pages);
        let doc = Document {
            source: Path::new("content/projects/istio.md"),
            body: "Istio, see [[Ada Lovelace]].",
            body_line: 1,
        };
        let targets = LinkTargets {
            pages: &pages,
            linkable: &linkable,
            mentions: false,
            root: "../../",
        };
        let r = render(doc, targets, RawHtml::Sanitize);
        assert_eq!(
            &*r.html.get(),
            "<p>Istio, see <a href=\"../../speakers/ada-lovelace/\">Ada Lovelace</a>.</p>\n"
        );
    }

    #[test]
    fn headings_get_ids_anchors_and_toc() {
        let r = render_note("## Lessons learned\n\n### Lessons learned\n", &[]);
        assert!(r.html.get().contains("<h2 id=\"lessons-learned\">Lessons learned <a class=\"heading-anchor\" href=\"#lessons-learned\""), "{}", r.html.get());
        assert!(r.html.get().contains("<h3 id=\"lessons-learned-1\">"));
        assert_eq!(r.toc.len(), 2);
    }

    #[test]
    fn links_between_notes_become_urls() {
        let r = render_note(
            "See [b](b.md#why) and [c](../talks/c.md).",
            &[
                ("content/talks/b.md", "talks/b/"),
                ("content/talks/c.md", "talks/c/"),
            ],
        );
        assert!(
            r.html.get().contains("href=\"../../talks/b/#why\""),
            "{}",
            r.html.get()
        );
        assert!(r.html.get().contains("href=\"../../talks/c/\""));
        assert_eq!(r.links[0].anchor.as_deref(), Some("why"));
        assert_eq!(r.links[0].line, 5);
        assert!(r.problems.is_empty() && r.broken.is_empty());
    }

    #[test]
    fn broken_links_name_their_line() {
        let r = render_note("text\n\n[x](missing.md)\n", &[]);
        assert_eq!(r.broken.len(), 1);
        assert_eq!(r.broken[0].problem.line, Some(7));
        assert!(r.broken[0].problem.is_error());
        let r = render_note("[x](#nowhere)\n\n## Here\n", &[]);
        assert!(r.broken[0].problem.message.contains("#nowhere"));
        let hint = r.broken[0].problem.hint.as_deref().unwrap();
        assert!(hint.contains("#here"));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn links_to_missing_notes_are_shown_as_text() {
        let r = render_note(
            "See [the *keynote*](../2019/keynote.md#why) and [out](../../../x.md).",
            &[],
        );
        assert_eq!(&*r.html.get(), "<p>See the <em>keynote</em> and out.</p>\n");
        let missing: Vec<_> = r.broken.iter().map(|b| b.missing.clone()).collect();
        assert_eq!(
            missing,
            [Some(PathBuf::from("content/2019/keynote.md")), None]
        );
        assert!(r.links.is_empty());
    }

    #[test]
    fn percent_encoded_paths_are_decoded() {
        let r = render_note(
            "[x](my%20talk.md)",
            &[("content/talks/my talk.md", "talks/my-talk/")],
        );
        assert!(r.broken.is_empty(), "{:?}", r.broken);
        assert!(r.html.get().contains("href=\"../../talks/my-talk/\""));
    }

    #[test]
    fn external_and_asset_links_are_left_alone() {
        let r = render_note(
            "[a](https://x.org/a.md) [b](mailto:x@y) [c](img.png) [d](/abs.md)",
            &[],
        );
        assert!(r.problems.is_empty() && r.broken.is_empty());
        assert!(r.html.get().contains("href=\"https://x.org/a.md\""));
        assert!(r.html.get().contains("href=\"img.png\""));
    }

    #[test]
    fn files_beside_the_note_are_recorded_and_climbing_paths_rewritten() {
        let r = render_note(
            "![stage](img/stage%201.jpg)\n\n[deck](../slides/deck.pdf#p2) [x](https://x.org/a.png) [y](/a.png)",
            &[],
        );
        let files: Vec<(&str, &str, bool)> = r
            .files
            .iter()
            .map(|f| (f.source.to_str().unwrap(), f.href.as_str(), f.image))
            .collect();
        assert_eq!(
            files,
            [
                ("content/talks/img/stage 1.jpg", "img/stage 1.jpg", true),
                ("content/slides/deck.pdf", "deck.pdf", false)
            ]
        );
        assert!(
            r.html.get().contains("src=\"img/stage%201.jpg\""),
            "{}",
            r.html.get()
        );
        assert!(
            r.html.get().contains("href=\"deck.pdf\""),
            "{}",
            r.html.get()
        );
        assert_eq!(r.files[1].line, r.files[0].line + 2);
    }

    #[test]
    fn unsafe_links_and_images_become_text_with_warnings() {
        let r = render_note(
            "[a](javascript:x) ![b](data:x)\n<vbscript:y> [ok](https://x.org/)",
            &[],
        );
        assert_eq!(
            &*r.html.get(),
            "<p>a b\nvbscript:y <a href=\"https://x.org/\">ok</a></p>\n"
        );
        let lines: Vec<_> = r.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(5), Some(5), Some(6)]);
        assert!(r.problems.iter().all(|p| !p.is_error()));
        assert!(r.problems[1].message.starts_with("image URL `data:x`"));
    }

    #[test]
    fn raw_html_is_sanitized_escaped_or_allowed() {
        let body = "<b onclick=\"x()\">bold</b>\n";
        assert_eq!(
            &*render_with(body, RawHtml::Sanitize).html.get(),
            "<p><b>bold</b></p>\n"
        );
        assert_eq!(
            &*render_with(body, RawHtml::Escape).html.get(),
            "<p>&lt;b onclick=\"x()\"&gt;bold&lt;/b&gt;</p>\n"
        );
        assert_eq!(
            &*render_with(body, RawHtml::Allow).html.get(),
            "<p><b onclick=\"x()\">bold</b></p>\n"
        );
    }

    #[test]
    fn bodies_without_raw_html_are_left_as_rendered() {
        let body =
            "## H\n\n- [x] t\n\n| a |\n|:-:|\n| b |\n\n```yaml\nk: v\n```\n\nN[^1]\n\n[^1]: f\n";
        assert_eq!(
            render_with(body, RawHtml::Sanitize).html.get(),
            render_with(body, RawHtml::Allow).html.get()
        );
    }

    #[test]
    fn template_syntax_is_not_interpreted() {
        let r = render_note("Use {{ page.title }} and {% raw %}.", &[]);
        assert!(r.html.get().contains("{{ page.title }}") && r.html.get().contains("{% raw %}"));
    }

    #[test]
    fn extensions_are_enabled() {
        let r = render_note(
            "| a |\n|---|\n| b |\n\n~~x~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: foot\n",
            &[],
        );
        assert!(r.html.get().contains("<table>"));
        assert!(r.html.get().contains("<del>x</del>"));
        assert!(r.html.get().contains("type=\"checkbox\""));
        assert!(r.html.get().contains("footnote"));
    }

    #[test]
    fn list_items_and_cells_do_not_run_together() {
        let r = render_note(
            "- kubernetes\n- ask\n\n| a | b |\n|---|---|\n| webhook | observed |\n",
            &[],
        );
        let words: Vec<&str> = r.text.split_whitespace().collect();
        assert_eq!(
            words,
            ["kubernetes", "ask", "a", "b", "webhook", "observed"]
        );
    }

    #[test]
    fn excerpt_is_the_first_paragraph() {
        let r = render_note("## H\n\nFirst *para* here.\n\nSecond.", &[]);
        assert_eq!(r.excerpt, "First para here.");
        assert!(r.text.contains("Second."));
    }

    #[test]
    fn code_blocks_are_highlighted() {
        let r = render_note("```yaml\nkey: value\n```\n", &[]);
        assert!(r.html.get().contains("hl-code"));
        assert!(r.text.contains("key: value"));
    }

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
