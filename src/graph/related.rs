//! Related talks: for each talk, the few others that share the most with it.
//!
//! Two talks are related by every speaker, project and tag they share. A
//! shared speaker counts most, then a project, then a tag; a rare entity counts
//! more than a common one (weighted by `ln(1 + N / talks naming it)`), and
//! entities named by a large share of a big site (Kubernetes at a KubeCon)
//! are left out as they relate everything to everything.
//!
//! A talk's work is bounded, so that ranking every talk is linear in the
//! talks: the candidates are the newest [`CANDIDATES_PER_ENTITY`] talks of
//! each entity it names (all of them for most entities), and each
//! candidate's score is exact: every entity it shares counts. A talk that
//! shares only entities with more talks than that, and is not among their
//! newest, is not a candidate.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::Graph;
use crate::content::Note;
use crate::documents::Notes;
use crate::entity::EntityKind;
use crate::ids::TalkId;

/// At most this many related talks per talk.
pub const MAX_RELATED: usize = 5;
/// When fewer share anything, fill up to this many from the same event.
const MIN_RELATED: usize = 3;
/// A talk's candidates are at most this many talks (the newest) of each
/// entity it names.
pub const CANDIDATES_PER_ENTITY: usize = 200;

fn weight(kind: EntityKind) -> f32 {
    match kind {
        EntityKind::Speaker => 3.0,
        EntityKind::Project => 2.0,
        EntityKind::Tag => 1.0,
        EntityKind::Event => 0.0,
    }
}

/// The related talks of every talk, best first.
pub fn rank(graph: &Graph, notes: Notes<'_>) -> Vec<Vec<TalkId>> {
    let all: Vec<TalkId> = notes.ids().collect();
    rank_some(graph, notes, &all)
}

/// The related talks of each talk in `ids`, best first.
pub fn rank_some(graph: &Graph, notes: Notes<'_>, ids: &[TalkId]) -> Vec<Vec<TalkId>> {
    let numbers = Numbers::new(graph);
    let n = notes.len();
    let too_common = (n / 4).max(50);
    ids.par_iter()
        .map_init(
            || Scratch {
                seen: vec![false; n],
                slots: vec![0; numbers.count],
            },
            |scratch, &id| {
                let shared = shared_lists(graph, &numbers, id, n, too_common);
                related_to(id, &shared, scratch, &numbers, graph, notes)
            },
        )
        .collect()
}

/// What ranking one talk writes to and leaves as it found it, kept from
/// talk to talk on a thread: all false and all zero between talks.
struct Scratch {
    /// By talk: whether it is already a candidate.
    seen: Vec<bool>,
    /// By entity number: 1 + its place in the ranked talk's shared entities,
    /// or 0 if it is not one of them.
    slots: Vec<u32>,
}

/// The kinds of entity that relate talks.
const RELATING: [EntityKind; 3] = [EntityKind::Speaker, EntityKind::Project, EntityKind::Tag];

/// Every entity that relates talks, numbered, and each talk's entities by
/// number: comparing two talks' entities compares a few numbers, not names.
struct Numbers {
    of_talk: Vec<Vec<u32>>,
    /// How many entities are numbered.
    count: usize,
}

impl Numbers {
    fn new(graph: &Graph) -> Numbers {
        let mut numbered: HashMap<(EntityKind, &str), u32> = HashMap::new();
        let of_talk = graph
            .talks
            .iter()
            .map(|links| {
                RELATING
                    .into_iter()
                    .flat_map(|kind| {
                        links
                            .slugs(kind)
                            .iter()
                            .map(move |slug| (kind, slug.as_str()))
                    })
                    .map(|key| {
                        let next = numbered.len() as u32;
                        *numbered.entry(key).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        Numbers {
            of_talk,
            count: numbered.len(),
        }
    }
}

/// An entity a talk names that counts for its related talks.
struct Shared<'g> {
    number: u32,
    weight: f32,
    talks: &'g [TalkId],
}

/// The entities talk `id` names that count, with their weights.
fn shared_lists<'g>(
    graph: &'g Graph,
    numbers: &Numbers,
    id: TalkId,
    n: usize,
    too_common: usize,
) -> Vec<Shared<'g>> {
    let links = &graph.talks[id];
    let keys = RELATING
        .into_iter()
        .flat_map(|kind| links.slugs(kind).iter().map(move |slug| (kind, slug)));
    keys.zip(&numbers.of_talk[id.index()])
        .filter_map(|((kind, slug), &number)| {
            let talks = &graph.entity(kind, slug)?.talks;
            let idf = (1.0 + n as f32 / talks.len() as f32).ln();
            (talks.len() <= too_common).then(|| Shared {
                number,
                weight: weight(kind) * idf,
                talks,
            })
        })
        .collect()
}

/// The talks whose related talks may differ between graph `old` and graph
/// `new`, made after the notes in `edited` (id, previous version) changed in
/// place. A talk's ranking reads the talk lists of the entities it names
/// (who is in them, and how many: an entity's weight), the dates of the
/// talks in them (ties), and for the fill the order of its event's talks
/// (by date, then title), of which the fill reads no more than the first
/// [`FILL_READS`]. So an edit affects the edited talk, the talks of every
/// entity it joined or left, and when its date changed, the talks of all
/// its entities; when its title moved it within the first talks of its
/// event, the talks of its event.
pub fn affected(
    old: &Graph,
    new: &Graph,
    notes: Notes<'_>,
    edited: &[(TalkId, &Note)],
) -> Vec<TalkId> {
    let mut ids = BTreeSet::new();
    for &(id, before) in edited {
        let now = &notes[id];
        let was = entity_keys(old, id);
        let is = entity_keys(new, id);
        ids.insert(id);
        for &(kind, slug) in was.iter().chain(&is) {
            let joined_or_left = was.contains(&(kind, slug)) != is.contains(&(kind, slug));
            let reordered = before.date != now.date
                || (kind == EntityKind::Event
                    && before.title != now.title
                    && first_talks_differ(old, new, slug));
            if joined_or_left || reordered {
                for graph in [old, new] {
                    if let Some(entity) = graph.entity(kind, slug) {
                        ids.extend(&entity.talks);
                    }
                }
            }
        }
    }
    ids.into_iter().collect()
}

/// How many of an event's first talks [`fill_from_event`] may read: the
/// talk itself and the related talks it skips, then the ones it adds.
const FILL_READS: usize = MAX_RELATED + MIN_RELATED;

/// Whether the first [`FILL_READS`] talks of event `slug` differ between
/// graphs `old` and `new`.
fn first_talks_differ(old: &Graph, new: &Graph, slug: &str) -> bool {
    let first = |graph: &Graph| {
        graph
            .entity(EntityKind::Event, slug)
            .map_or(&[][..], |e| e.newest_talks(FILL_READS))
            .to_vec()
    };
    first(old) != first(new)
}

/// The entities talk `id` names in `graph`.
fn entity_keys(graph: &Graph, id: TalkId) -> Vec<(EntityKind, &str)> {
    EntityKind::ALL
        .into_iter()
        .flat_map(|kind| {
            graph
                .talk_entities(id, kind)
                .into_iter()
                .map(move |slug| (kind, slug))
        })
        .collect()
}

fn related_to(
    id: TalkId,
    shared: &[Shared<'_>],
    scratch: &mut Scratch,
    numbers: &Numbers,
    graph: &Graph,
    notes: Notes<'_>,
) -> Vec<TalkId> {
    let candidates = candidates(id, shared, &mut scratch.seen);
    for (slot, entity) in (1..).zip(shared) {
        scratch.slots[entity.number as usize] = slot;
    }
    let mut scored: Vec<(f32, TalkId)> = candidates
        .into_iter()
        .map(|other| {
            let numbered = &numbers.of_talk[other.index()];
            (score(numbered, shared, &scratch.slots), other)
        })
        .collect();
    for entity in shared {
        scratch.slots[entity.number as usize] = 0;
    }
    let by_rank = |(score_a, a): &(f32, TalkId), (score_b, b): &(f32, TalkId)| {
        score_b
            .total_cmp(score_a)
            .then_with(|| notes[*b].date.cmp(&notes[*a].date))
            .then_with(|| a.cmp(b))
    };
    if scored.len() > MAX_RELATED {
        scored.select_nth_unstable_by(MAX_RELATED, by_rank);
        scored.truncate(MAX_RELATED);
    }
    scored.sort_by(by_rank);
    // Not collected in place: that would keep every candidate's room.
    let mut best = Vec::with_capacity(MAX_RELATED);
    best.extend(scored.iter().map(|&(_, other)| other));
    if best.len() < MIN_RELATED {
        fill_from_event(id, &mut best, graph);
    }
    best
}

/// The talks other than `id` among the newest [`CANDIDATES_PER_ENTITY`] of
/// each shared entity, each once (`seen` is all false before and after).
fn candidates(id: TalkId, shared: &[Shared<'_>], seen: &mut [bool]) -> Vec<TalkId> {
    let mut found = Vec::new();
    for entity in shared {
        for &other in entity.talks.iter().take(CANDIDATES_PER_ENTITY) {
            if other != id && !seen[other.index()] {
                seen[other.index()] = true;
                found.push(other);
            }
        }
    }
    for other in &found {
        seen[other.index()] = false;
    }
    found
}

/// The sum of the weights of the `shared` entities a talk with entities
/// `numbered` also names, added in `shared`'s order (so that talks sharing
/// the same entities tie exactly); `slots` places each shared entity.
fn score(numbered: &[u32], shared: &[Shared<'_>], slots: &[u32]) -> f32 {
    if shared.len() > 64 {
        return shared
            .iter()
            .filter(|entity| numbered.contains(&entity.number))
            .map(|entity| entity.weight)
            .sum();
    }
    let mut found = 0u64;
    for &number in numbered {
        if let Some(place) = slots[number as usize].checked_sub(1) {
            found |= 1 << place;
        }
    }
    shared
        .iter()
        .enumerate()
        .filter(|(place, _)| found & (1 << place) != 0)
        .map(|(_, entity)| entity.weight)
        .sum()
}

/// Adds the newest talks of the same event until there are `MIN_RELATED`.
fn fill_from_event(id: TalkId, related: &mut Vec<TalkId>, graph: &Graph) {
    let Some(event) = &graph.talks[id].event else {
        return;
    };
    let Some(entity) = graph.entity(EntityKind::Event, event) else {
        return;
    };
    for &other in &entity.talks {
        if related.len() >= MIN_RELATED {
            break;
        }
        if other != id && !related.contains(&other) {
            related.push(other);
        }
    }
}
