//! The four kinds of thing a note can mention, each with pages of its own.

use serde::Serialize;

/// A kind of entity: every speaker, project, tag and event named in a note's
/// front matter gets a page, and each kind gets an index page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person who gave a talk.
    Speaker,
    /// A software project discussed in a talk.
    Project,
    /// A free-form topic.
    Tag,
    /// The conference a talk was given at.
    Event,
}

impl EntityKind {
    /// All kinds, in the order the site's navigation shows them.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Event,
        EntityKind::Speaker,
        EntityKind::Project,
        EntityKind::Tag,
    ];

    /// The URL folder and the `content/` folder of profile files for this kind.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Speaker => "speakers",
            EntityKind::Project => "projects",
            EntityKind::Tag => "tags",
            EntityKind::Event => "events",
        }
    }

    /// The singular, for messages and templates.
    pub fn singular(self) -> &'static str {
        match self {
            EntityKind::Speaker => "speaker",
            EntityKind::Project => "project",
            EntityKind::Tag => "tag",
            EntityKind::Event => "event",
        }
    }

    /// The kind whose profile files live in `content/<folder>/`.
    pub fn from_folder(folder: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.folder() == folder)
    }
}
