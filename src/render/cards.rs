//! A talk as pages other than its own show it: its card in lists and its
//! entry in feeds. By the rule in the module above, these are the only ways
//! other pages show a talk's note, so `serve` compares them to know whether
//! an edit of a note can show anywhere but on the note's own page.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{Error as _, Serializer};

use super::hashing;

use crate::content::when::When;
use crate::entity::EntityKind;
use crate::graph::TalkId;
use crate::site::Site;
use crate::urls;

/// A talk as listed on other pages.
///
/// Templates read its fields ([`Shown`]). A fingerprint, which is not
/// human-readable, reads the hash of those fields instead, computed once
/// per card: a talk's card is in the fingerprints of many pages.
#[derive(Clone)]
pub struct Card<'a> {
    shown: Shown<'a>,
    hash: OnceLock<Result<u64, String>>,
}

impl Serialize for Card<'_> {
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

/// What a card shows.
#[derive(Clone, Serialize)]
struct Shown<'a> {
    title: &'a str,
    url: String,
    date: Option<String>,
    date_human: Option<String>,
    event_name: Option<&'a str>,
    speakers: &'a [String],
    summary: &'a str,
}

/// The card of talk `id`.
pub fn card(site: &Site, id: TalkId) -> Card<'_> {
    let note = &site.notes[id];
    let event_name = site.graph.talks[id]
        .event
        .as_deref()
        .and_then(|slug| site.graph.entity(EntityKind::Event, slug))
        .map(|e| e.name.as_str());
    let shown = Shown {
        title: &note.title,
        url: site.talk_url(id),
        date: note.date.as_ref().map(When::iso),
        date_human: note.date.as_ref().map(When::human),
        event_name,
        speakers: site.graph.speaker_names(id),
        summary: summary(site, id),
    };
    Card {
        shown,
        hash: OnceLock::new(),
    }
}

/// Every talk's card, by id: built once for the views of many pages
/// (most talks are listed on several).
pub struct CardTable<'a>(Vec<Card<'a>>);

impl<'a> CardTable<'a> {
    /// The card of every talk of `site`.
    pub fn new(site: &'a Site) -> CardTable<'a> {
        let cards = (0..site.notes.len())
            .into_par_iter()
            .map(|id| card(site, id))
            .collect();
        CardTable(cards)
    }
}

/// The cards of talks `ids`, in order: taken from `table` if there is one,
/// else built.
pub fn cards<'a>(
    site: &'a Site,
    table: Option<&'a CardTable<'a>>,
    ids: &[TalkId],
) -> Vec<Cow<'a, Card<'a>>> {
    match table {
        Some(CardTable(table)) => ids.iter().map(|&id| Cow::Borrowed(&table[id])).collect(),
        None => ids.iter().map(|&id| Cow::Owned(card(site, id))).collect(),
    }
}

/// A talk in a feed.
#[derive(Serialize)]
pub struct Entry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: &'a str,
    authors: &'a [String],
    categories: Vec<&'a str>,
}

/// The feed entry of talk `id`.
pub fn entry(site: &Site, id: TalkId) -> Entry<'_> {
    let note = &site.notes[id];
    Entry {
        title: &note.title,
        url: urls::absolute(&site.config.site.base_url, &site.talk_url(id)),
        updated: timestamp(note.date.as_ref()),
        summary: summary(site, id),
        authors: site.graph.speaker_names(id),
        categories: note.tags.iter().map(String::as_str).collect(),
    }
}

/// A feed's timestamp for `date` (the epoch for none).
pub fn timestamp(date: Option<&When>) -> String {
    date.map_or_else(|| When::on(NaiveDate::default()).rfc3339(), When::rfc3339)
}

/// The talk's summary in lists: its own, or its body's excerpt.
fn summary(site: &Site, id: TalkId) -> &str {
    site.notes[id]
        .summary
        .as_deref()
        .unwrap_or(&site.bodies[id].excerpt)
}
