//! The site in memory: what `build` writes out and `serve` serves.
//!
//! [`Site::load`] runs the front half of the pipeline (config, notes,
//! markdown, graph) and reports every problem it finds, not just the first.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{BrokenLinks, Config, RawHtml};
use crate::content::{self, Content, Note, Profile, Skip, Skipped};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::documents::{Notes, ProfileFile, Talk};
use crate::edit_link::EditLinks;
use crate::graph::{self, BodyLinks, Graph};
use crate::ids::TalkId;
use crate::links::{Linkable, MentionRules};
use crate::markdown::{self, BrokenLink, Document, LinkTargets, Rendered};
use crate::urls;

/// A loaded, checked site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// `book.toml`.
    pub config: Config,
    /// Talks, sorted by their notes' source paths; a talk's place is its [`TalkId`].
    pub talks: Vec<Talk>,
    /// Profile files, sorted by source path; a profile's place is its [`ProfileId`].
    pub profiles: Vec<ProfileFile>,
    /// Entities and cross-links.
    pub graph: Graph,
    /// What wikilinks and mentions in the notes' markdown can name.
    pub linkable: Linkable,
    /// Edit-link maker.
    pub edit: EditLinks,
    /// The problems of reading `book.toml` and each file on its own (a
    /// file with errors is left out of the site).
    pub read_problems: Vec<Diagnostic>,
    /// Files in the notes folders that are not part of the site, and why.
    pub skipped: Vec<Skipped>,
}

/// Whether a site keeps its notes' and profiles' markdown once rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markdown {
    /// Kept: `serve` compares edits with it.
    Keep,
    /// Freed as soon as each file is rendered: nothing else reads it, and
    /// it is a large part of a big site's memory. So is each talk's HTML
    /// once [`crate::pipeline::Pipeline::make`] has made its page (unless
    /// the site's feed shows it).
    Drop,
}

impl Markdown {
    /// Frees `body` if the markdown is not kept.
    fn apply(self, body: &mut String) {
        if self == Markdown::Drop {
            *body = String::new();
        }
    }
}

impl Site {
    /// Loads the site at `root`; drafts are included when `drafts` is true.
    /// Fails with every problem, when there are errors.
    pub fn load(root: &Path, drafts: bool) -> Result<Site, Diagnostics> {
        let site = Site::read(root, drafts, Markdown::Keep);
        Diagnostics(site.problems()).into_result(site)
    }

    /// The site at `root` as far as it can be read: without `book.toml`'s
    /// settings when it has errors, and without the files that have errors.
    /// Its problems are kept: see [`Site::problems`].
    pub fn read(root: &Path, drafts: bool, markdown: Markdown) -> Site {
        let mut problems = Vec::new();
        let config = Config::load(root).unwrap_or_else(|errors| {
            problems.extend(errors.0);
            Config::default()
        });
        let reader = content::Reader::new(&config, drafts);
        problems.extend(reader.keys.check(&config, &content::known_keys()));
        let (content, content_problems) = content::load(root, &reader);
        problems.extend(content_problems);
        let mut site = Site::assemble(root, config, content, markdown);
        site.read_problems = problems;
        site
    }

    /// A site made of `config` and `content`: every note's and profile's
    /// markdown rendered (then kept or freed, as `markdown` says), and the
    /// graph built. Unchecked: see [`Site::problems`].
    pub fn assemble(root: &Path, config: Config, content: Content, markdown: Markdown) -> Site {
        let Content {
            notes,
            profiles,
            skipped,
        } = content;
        let pages = page_urls(notes.iter(), profiles.iter());
        let linkable = linkable(&config, notes.iter(), profiles.iter());
        let inputs = BodyInputs {
            pages: &pages,
            linkable: &linkable,
            raw_html: config.markdown.raw_html,
        };
        let talks: Vec<Talk> = notes
            .into_par_iter()
            .map(|mut note| Talk {
                body: render_note(&note, &inputs),
                note: {
                    markdown.apply(&mut note.body);
                    note
                },
            })
            .collect();
        let profiles: Vec<ProfileFile> = profiles
            .into_par_iter()
            .map(|mut profile| ProfileFile {
                body: render_profile(&profile, &inputs),
                profile: {
                    markdown.apply(&mut profile.body);
                    profile
                },
            })
            .collect();
        let graph = Graph::build(Notes(&talks), &profiles, &note_links(&talks));
        Site {
            root: root.to_path_buf(),
            edit: EditLinks::new(&config.edit),
            config,
            talks,
            profiles,
            graph,
            linkable,
            read_problems: Vec::new(),
            skipped,
        }
    }

    /// Every problem of the site: those of reading its files
    /// ([`Site::read_problems`]); notes or profiles that would share a URL;
    /// broken links between notes (errors or warnings, as `[build]
    /// broken-links` says; a link to a draft left out is a warning); and the
    /// warnings of its notes and profiles.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems = self.read_problems.clone();
        problems.extend(graph::slug_collisions(self.notes()));
        problems.extend(graph::names::collisions(
            self.profiles.iter().map(|p| &p.profile),
        ));
        for talk in &self.talks {
            problems.extend(talk.note.warnings.iter().cloned());
        }
        for file in &self.profiles {
            problems.extend(file.profile.warnings.iter().cloned());
        }
        let drafts: HashSet<&Path> = self
            .skipped
            .iter()
            .filter(|s| s.why == Skip::Draft)
            .map(|s| s.source.as_path())
            .collect();
        for rendered in self.bodies() {
            problems.extend(rendered.problems.iter().cloned());
            let broken = rendered.broken.iter();
            problems.extend(broken.map(|b| self.broken_link(b, &drafts)));
        }
        if self
            .bodies()
            .any(|d| d.links.iter().any(|l| l.anchor.is_some()))
        {
            let anchors = self.bodies_by_source();
            let missing = check_anchors(&anchors);
            problems.extend(missing.into_iter().map(|d| self.link_severity(d)));
        }
        problems
    }

    /// The problem of a link that leads nowhere: a warning if it leads to
    /// one of the `drafts` this build leaves out, else as
    /// `[build] broken-links` says.
    fn broken_link(&self, link: &BrokenLink, drafts: &HashSet<&Path>) -> Diagnostic {
        match &link.missing {
            Some(draft) if drafts.contains(draft.as_path()) => Diagnostic {
                message: format!(
                    "this link to `{}` links to a draft, which this build leaves out; shown as text",
                    draft.display()
                ),
                hint: Some("build with --drafts to include drafts".into()),
                ..link.problem.clone()
            }
            .as_warning(),
            _ => self.link_severity(link.problem.clone()),
        }
    }

    /// `problem`, a broken link, as a warning when `[build] broken-links = "warn"`.
    fn link_severity(&self, problem: Diagnostic) -> Diagnostic {
        match self.config.build.broken_links {
            BrokenLinks::Error => problem,
            BrokenLinks::Warn => problem.as_warning(),
        }
    }

    /// The site-relative URL of talk `id`.
    pub fn talk_url(&self, id: TalkId) -> String {
        urls::talk(&self.talks[id].note.slug)
    }

    /// The talks' notes, by [`TalkId`].
    pub fn notes(&self) -> Notes<'_> {
        Notes(&self.talks)
    }

    /// The rendered markdown of every talk, then of every profile.
    fn bodies(&self) -> impl Iterator<Item = &Rendered> {
        let talks = self.talks.iter().map(|t| &t.body);
        talks.chain(self.profiles.iter().map(|p| &p.body))
    }

    /// The rendered markdown of every note and profile, by source path.
    fn bodies_by_source(&self) -> HashMap<&Path, &Rendered> {
        let talks = self
            .talks
            .iter()
            .map(|t| (t.note.source.as_path(), &t.body));
        let profiles = self
            .profiles
            .iter()
            .map(|p| (p.profile.source.as_path(), &p.body));
        talks.chain(profiles).collect()
    }
}

/// Every page made from a file: source path → site-relative URL.
pub fn page_urls<'a>(
    notes: impl Iterator<Item = &'a Note>,
    profiles: impl Iterator<Item = &'a Profile>,
) -> HashMap<PathBuf, String> {
    let talks = notes.map(|n| (n.source.clone(), urls::talk(&n.slug)));
    let entities = profiles.map(|p| (p.source.clone(), urls::entity(p.kind, &p.slug)));
    talks.chain(entities).collect()
}

/// What wikilinks and mentions in the markdown of `notes` and `profiles`
/// can name, as `config`'s `[links]` says.
pub fn linkable<'a>(
    config: &Config,
    notes: impl Iterator<Item = &'a Note>,
    profiles: impl Iterator<Item = &'a Profile> + Clone,
) -> Linkable {
    let rules = MentionRules {
        enabled: config.links.mentions,
        exclude: &config.links.mentions_exclude,
    };
    graph::linkable(&notes.collect::<Vec<_>>(), profiles, rules)
}

/// What rendering a note's or profile's markdown reads besides the file.
#[derive(Debug, Clone, Copy)]
pub struct BodyInputs<'a> {
    /// Every page made from a file, from [`page_urls`].
    pub pages: &'a HashMap<PathBuf, String>,
    /// What wikilinks and mentions can name, from [`linkable`].
    pub linkable: &'a Linkable,
    /// `[markdown] raw-html`.
    pub raw_html: RawHtml,
}

/// A note's markdown, rendered for its page.
pub fn render_note(note: &Note, inputs: &BodyInputs<'_>) -> Rendered {
    let doc = Document {
        source: &note.source,
        body: &note.body,
        body_line: note.body_line,
    };
    render_document(doc, &urls::talk(&note.slug), true, inputs)
}

/// A profile's markdown, rendered for its entity's page (wikilinks are
/// resolved, names in prose are not made links).
pub fn render_profile(profile: &Profile, inputs: &BodyInputs<'_>) -> Rendered {
    let doc = Document {
        source: &profile.source,
        body: &profile.body,
        body_line: profile.body_line,
    };
    let url = urls::entity(profile.kind, &profile.slug);
    render_document(doc, &url, false, inputs)
}

/// `doc` rendered for the page at `url`; names in prose become links when
/// `mentions` is true.
fn render_document(
    doc: Document<'_>,
    url: &str,
    mentions: bool,
    inputs: &BodyInputs<'_>,
) -> Rendered {
    let root = urls::root_prefix(url);
    let targets = LinkTargets {
        pages: inputs.pages,
        linkable: inputs.linkable,
        mentions,
        root: &root,
    };
    markdown::render(doc, targets, inputs.raw_html)
}

fn check_anchors(documents: &HashMap<&Path, &Rendered>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (source, rendered) in documents {
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else {
                continue;
            };
            let Some(target) = documents.get(link.target.as_path()) else {
                continue;
            };
            if !target.anchors.contains(anchor) {
                problems.push(
                    Diagnostic::in_file(
                        source,
                        format!(
                            "broken link: {} has no heading with id `#{anchor}`",
                            link.target.display()
                        ),
                    )
                    .at_line(link.line)
                    .with_hint(markdown::anchor_hint(&target.anchors)),
                );
            }
        }
    }
    problems
}

/// For each talk, the talks and entities its note links to: the graph's input.
pub fn note_links(talks: &[Talk]) -> Vec<BodyLinks> {
    let ids: HashMap<&Path, TalkId> = TalkId::all(talks.len())
        .zip(talks)
        .map(|(id, t)| (t.note.source.as_path(), id))
        .collect();
    talks
        .iter()
        .map(|talk| body_links(&talk.body, |source| ids.get(source).copied()))
        .collect()
}

/// What a rendered body links to, `talk` giving the id of a note by source.
pub fn body_links(body: &Rendered, talk: impl Fn(&Path) -> Option<TalkId>) -> BodyLinks {
    BodyLinks {
        talks: body
            .links
            .iter()
            .filter_map(|l| talk(l.target.as_path()))
            .collect(),
        entities: body
            .entities
            .iter()
            .map(|e| (e.kind, e.slug.clone()))
            .collect(),
    }
}
