//! A site's documents: each note and profile file with its markdown
//! rendered, kept together so that one cannot be found without the other.

use crate::content::when::When;
use crate::content::{Note, Profile};
use crate::ids::{ProfileId, TalkId, indexed_by};
use crate::markdown::Rendered;

/// A talk: its note and the note's rendered markdown.
#[derive(Debug, Clone)]
pub struct Talk {
    /// The note, as read from its file.
    pub note: Note,
    /// Its markdown, rendered for its page.
    pub body: Rendered,
}

/// A profile file (of a speaker, project, tag or event) and its rendered markdown.
#[derive(Debug, Clone)]
pub struct ProfileFile {
    /// The profile, as read from its file.
    pub profile: Profile,
    /// Its markdown, rendered for its entity's page.
    pub body: Rendered,
}

indexed_by!(Talk, TalkId, reported by crate::reads::talk);

/// The date of talk `id`'s note: a read of its date alone, which an edit
/// of anything else in the note leaves as it was.
pub fn date_of(talks: &[Talk], id: TalkId) -> Option<&When> {
    crate::reads::talk_date(id);
    talks[id.index()].note.date.as_ref()
}
indexed_by!(ProfileFile, ProfileId);

/// The notes of a list of talks, indexed by [`TalkId`]: for code that reads
/// only what notes say, not their rendered markdown.
#[derive(Debug, Clone, Copy)]
pub struct Notes<'a>(pub &'a [Talk]);

impl<'a> Notes<'a> {
    /// How many notes.
    pub fn len(self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    /// Every note, in id order.
    pub fn iter(self) -> impl ExactSizeIterator<Item = &'a Note> + Clone {
        self.0.iter().map(|talk| &talk.note)
    }

    /// Every id, in order.
    pub fn ids(self) -> impl DoubleEndedIterator<Item = TalkId> + ExactSizeIterator {
        TalkId::all(self.0.len())
    }
}

impl std::ops::Index<TalkId> for Notes<'_> {
    type Output = Note;
    fn index(&self, id: TalkId) -> &Note {
        &self.0[id].note
    }
}
