//! A talk as pages other than its own show it: its card in lists and its
//! entry in feeds. By the rule in the module above, these are the only ways
//! other pages show a talk's note, so `serve` compares them to know whether
//! an edit of a note can show anywhere but on the note's own page.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{Error as _, Serializer};

use super::hashing;

use crate::content::when::When;
use crate::documents::Talk;
use crate::entity::EntityKind;
use crate::ids::TalkId;
use crate::reads;
use crate::site::Site;
use crate::urls;

/// A talk as another page shows it: what templates read (`T`: a card's
/// or an entry's fields), and for fingerprints (serializers that are not
/// human-readable) the hash of it, computed once: a talk is listed on many
/// pages.
#[derive(Clone)]
pub struct Listed<T> {
    shown: T,
    hash: OnceLock<Result<u64, String>>,
}

impl<T> Listed<T> {
    fn new(shown: T) -> Listed<T> {
        Listed {
            shown,
            hash: OnceLock::new(),
        }
    }
}

impl<T> Listed<T> {
    /// What it shows.
    pub fn shown(&self) -> &T {
        &self.shown
    }
}

impl<T: Serialize> Serialize for Listed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return self.shown.serialize(serializer);
        }
        let hash = self
            .hash
            .get_or_init(|| hashing::hash(&self.shown).map_err(|err| err.to_string()));
        match hash {
            Ok(hash) => serializer.serialize_u64(*hash),
            Err(err) => Err(S::Error::custom(err)),
        }
    }
}

/// A talk as listed on other pages.
pub type Card<'a> = Listed<CardFields<'a>>;

/// What a card shows.
#[derive(Clone, Serialize)]
pub struct CardFields<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    pub(super) event_name: Option<&'a str>,
    pub(super) speakers: &'a [String],
    pub(super) summary: &'a str,
}

/// The card of talk `id`.
pub fn card(site: &Site, id: TalkId) -> Card<'_> {
    let note = &site.talks[id].note;
    let event_name = site.graph.talks[id]
        .event
        .as_deref()
        .and_then(|slug| site.graph.entity(EntityKind::Event, slug))
        .map(|e| e.name.as_str());
    Listed::new(CardFields {
        title: &note.title,
        url: site.talk_url(id),
        date: note.date.as_ref().map(When::iso),
        date_human: note.date.as_ref().map(When::human),
        event_name,
        speakers: site.graph.speaker_names(id),
        summary: summary(site, id),
    })
}

/// A talk in a feed.
pub type Entry<'a> = Listed<EntryFields<'a>>;

/// What a feed entry shows.
#[derive(Clone, Serialize)]
pub struct EntryFields<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: &'a str,
    /// The note's HTML, whose links are relative to its page (`url`): in
    /// the site's feed only ([`with_content`]), so that the feeds of many
    /// entities do not copy every note.
    content: Option<Arc<str>>,
    authors: &'a [String],
    categories: Vec<&'a str>,
}

/// The feed entry of talk `id`, without its content.
pub fn entry(site: &Site, id: TalkId) -> Entry<'_> {
    let note = &site.talks[id].note;
    Listed::new(EntryFields {
        title: &note.title,
        url: urls::absolute(&site.config.site.base_url, &site.talk_url(id)),
        updated: timestamp(note.date.as_ref()),
        summary: summary(site, id),
        content: None,
        authors: site.graph.speaker_names(id),
        categories: note.tags.iter().map(String::as_str).collect(),
    })
}

/// The feed entries of talks `ids` with the notes' content, as the site's
/// feed shows them.
pub fn with_content<'a>(site: &'a Site, ids: &[TalkId]) -> Vec<Cow<'a, Entry<'a>>> {
    ids.iter()
        .map(|&id| {
            let mut fields = entry(site, id).shown;
            fields.content = Some(site.talks[id].body.html.get());
            Cow::Owned(Listed::new(fields))
        })
        .collect()
}

/// Every talk's card and feed entry, by id: built once for the views of
/// many pages.
pub struct Listings<'a> {
    cards: Vec<Card<'a>>,
    entries: Vec<Entry<'a>>,
}

impl<'a> Listings<'a> {
    /// The card and entry of every talk of `site`.
    pub fn new(site: &'a Site) -> Listings<'a> {
        let ids = || (0..site.talks.len()).into_par_iter().map(TalkId::new);
        Listings {
            cards: ids().map(|id| card(site, id)).collect(),
            entries: ids().map(|id| entry(site, id)).collect(),
        }
    }
}

/// The cards of talks `ids`, in order: taken from `table` if there is one,
/// else built.
pub fn cards<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    ids: &[TalkId],
) -> Vec<Cow<'a, Card<'a>>> {
    listed(table.map(|t| t.cards.as_slice()), ids, |id| card(site, id))
}

/// The feed entries of talks `ids`, in order: taken from `table` if there
/// is one, else built.
pub fn entries<'a>(
    site: &'a Site,
    table: Option<&'a Listings<'a>>,
    ids: &[TalkId],
) -> Vec<Cow<'a, Entry<'a>>> {
    listed(table.map(|t| t.entries.as_slice()), ids, |id| {
        entry(site, id)
    })
}

/// What talks `ids` show as listed, in order: borrowed from `built` (every
/// talk's, by id, made before: each borrowed one is reported read, as the
/// talk is when it is made) if given, else made by `make`.
fn listed<'a, T: Clone>(
    built: Option<&'a [Listed<T>]>,
    ids: &[TalkId],
    make: impl Fn(TalkId) -> Listed<T>,
) -> Vec<Cow<'a, Listed<T>>> {
    match built {
        Some(built) => ids
            .iter()
            .map(|&id| {
                reads::talk(id);
                Cow::Borrowed(&built[id.index()])
            })
            .collect(),
        None => ids.iter().map(|&id| Cow::Owned(make(id))).collect(),
    }
}

/// A feed's timestamp for `date` (the epoch for none).
pub fn timestamp(date: Option<&When>) -> String {
    date.map_or_else(|| When::on(NaiveDate::default()).rfc3339(), When::rfc3339)
}

/// The talk's summary in lists: its own, or its body's excerpt.
fn summary(site: &Site, id: TalkId) -> &str {
    let Talk { note, body } = &site.talks[id];
    note.summary.as_deref().unwrap_or(&body.excerpt)
}
