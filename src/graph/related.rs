//! Related talks: for each talk, the few others that share the most with it.
//!
//! Two talks are related by every speaker, project and tag they share. A
//! shared speaker counts most, then a project, then a tag; a rare entity counts
//! more than a common one (weighted by `ln(1 + N / talks naming it)`), and
//! entities named by a large share of a big site (Kubernetes at a KubeCon)
//! are left out as they relate everything to everything.
//!
//! An entity's number of talks is rounded down to a step of an eighth of a
//! doubling before it weighs ([`count_step`]: exact up to 16 talks, within
//! 9% past that). So a talk joining or leaving a tag of thousands of talks
//! changes the tag's weight only once in hundreds of times, and `serve`
//! ranks again only the talks the edit can reach, not the whole tag.
//!
//! A talk's work is bounded, so that ranking every talk is linear in the
//! talks: the candidates are the newest [`CANDIDATES_PER_ENTITY`] talks of
//! each entity it names (all of them for most entities), and each
//! candidate's score is exact: every entity it shares counts. A talk that
//! shares only entities with more talks than that, and is not among their
//! newest, is not a candidate.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::update::Before;
use super::{Entity, Graph, TalkLinks};
use crate::content::Note;
use crate::content::when::When;
use crate::documents::Notes;
use crate::entity::EntityKind;
use crate::flat_lists::FlatLists;
use crate::ids::TalkId;

/// At most this many related talks per talk.
pub const MAX_RELATED: usize = 5;
/// When fewer share anything, fill up to this many from the same event.
const MIN_RELATED: usize = 3;
/// A talk's candidates are at most this many talks (the newest) of each
/// entity it names.
pub const CANDIDATES_PER_ENTITY: usize = 200;
/// How many steps [`count_step`] makes of each doubling of a number of talks.
const STEPS_PER_DOUBLING: f64 = 8.0;

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
    let n = notes.len();
    let too_common = too_common(n);
    let talks = ranked_or_candidates(graph, ids, too_common);
    let numbers = Numbers::new(graph, notes, &talks, ids, too_common);
    ids.par_iter()
        .map_init(
            || Scratch {
                seen: vec![false; n],
                slots: vec![0; numbers.count],
            },
            |scratch, &id| {
                let shared = shared_lists(graph, &numbers, id, n, too_common);
                related_to(id, &shared, scratch, &numbers, graph)
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

/// The entities a talk names that relate talks.
fn relating(links: &TalkLinks) -> impl Iterator<Item = (EntityKind, &str)> {
    links.named().filter(|(kind, _)| RELATING.contains(kind))
}

/// Entities named by more talks than this (of `n`) relate no talks.
fn too_common(n: usize) -> usize {
    (n / 4).max(50)
}

/// What an entity named by `count` talks weighs by: the step of the count
/// (see the module's documentation), or `None` when too common to count.
fn count_step(count: usize, too_common: usize) -> Option<u32> {
    let steps = STEPS_PER_DOUBLING * (count.max(1) as f64).log2();
    (count <= too_common).then_some(steps as u32)
}

/// The weight of an entity of `kind` whose count is at `step`, of `n` talks.
fn weight_at(kind: EntityKind, step: u32, n: usize) -> f32 {
    let count = (f64::from(step) / STEPS_PER_DOUBLING).exp2();
    weight(kind) * (1.0 + n as f64 / count).ln() as f32
}

/// Each talk in `ids` once, then each talk that may be a candidate for one
/// of them once: those are the talks whose entities ranking them compares.
fn ranked_or_candidates(graph: &Graph, ids: &[TalkId], too_common: usize) -> Vec<TalkId> {
    let mut seen = vec![false; graph.talks.len()];
    let mut found = Vec::new();
    let mut add = |id: TalkId, found: &mut Vec<TalkId>| {
        if !std::mem::replace(&mut seen[id.index()], true) {
            found.push(id);
        }
    };
    for &id in ids {
        add(id, &mut found);
    }
    if found.len() == graph.talks.len() {
        return found;
    }
    for &id in ids {
        for (kind, slug) in relating(&graph.talks[id]) {
            let Some(entity) = graph.entity(kind, slug) else {
                continue;
            };
            if entity.talks.len() <= too_common {
                for &other in entity.talks.iter().take(CANDIDATES_PER_ENTITY) {
                    add(other, &mut found);
                }
            }
        }
    }
    found
}

/// The entities that relate talks, numbered, and the entities of some
/// talks by number: comparing two talks' entities compares a few numbers,
/// not names.
struct Numbers {
    /// By talk: its entities' numbers (none for the talks not numbered).
    of_talk: FlatLists<u32>,
    /// By entity number: its candidates, if a ranked talk shares it.
    candidates: Vec<Candidates>,
    /// How many entities are numbered.
    count: usize,
}

impl Numbers {
    /// The entities of the talks in `talks` (the `ranked` ones and their
    /// candidates), each talk once, numbered; and the candidates of each
    /// entity a ranked talk shares.
    fn new(
        graph: &Graph,
        notes: Notes<'_>,
        talks: &[TalkId],
        ranked: &[TalkId],
        too_common: usize,
    ) -> Numbers {
        let mut numbered: HashMap<(EntityKind, &str), u32> = HashMap::new();
        let mut is_numbered = vec![false; graph.talks.len()];
        for &id in talks {
            is_numbered[id.index()] = true;
        }
        let mut of_talk = FlatLists::with_capacity(graph.talks.len());
        for id in TalkId::all(graph.talks.len()) {
            let numbers_of = is_numbered[id.index()].then(|| relating(&graph.talks[id]));
            of_talk.push(numbers_of.into_iter().flatten().map(|key| {
                let next = numbered.len() as u32;
                *numbered.entry(key).or_insert(next)
            }));
        }
        let mut newest: Vec<&[TalkId]> = vec![&[]; numbered.len()];
        for &id in ranked {
            for ((kind, slug), &number) in relating(&graph.talks[id]).zip(of_talk.get(id.index())) {
                let Some(entity) = graph.entity(kind, slug) else {
                    continue;
                };
                // The entities `shared_lists` keeps.
                if count_step(entity.talks.len(), too_common).is_some() {
                    let n = entity.talks.len().min(CANDIDATES_PER_ENTITY);
                    newest[number as usize] = &entity.talks[..n];
                }
            }
        }
        let candidates = newest
            .par_iter()
            .map(|talks| Candidates::new(talks, &of_talk, notes))
            .collect();
        Numbers {
            of_talk,
            candidates,
            count: numbered.len(),
        }
    }

    /// The numbers of talk `id`'s entities.
    fn of_talk(&self, id: TalkId) -> &[u32] {
        self.of_talk.get(id.index())
    }
}

/// The newest [`CANDIDATES_PER_ENTITY`] talks of an entity, with what
/// ranking reads of each, side by side in the entity's order: a talk is
/// ranked against hundreds of candidates, and reading each entity's in one
/// sweep is many times faster than finding each candidate's own entry.
#[derive(Default)]
struct Candidates {
    ids: Vec<TalkId>,
    dates: Vec<Option<When>>,
    /// By candidate: its entities' numbers.
    numbers: FlatLists<u32>,
}

impl Candidates {
    fn new(talks: &[TalkId], of_talk: &FlatLists<u32>, notes: Notes<'_>) -> Candidates {
        let mut numbers = FlatLists::with_capacity(talks.len());
        for id in talks {
            numbers.push(of_talk.get(id.index()).iter().copied());
        }
        Candidates {
            ids: talks.to_vec(),
            dates: talks.iter().map(|&id| notes[id].date).collect(),
            numbers,
        }
    }
}

/// An entity a talk names that counts for its related talks.
struct Shared {
    number: u32,
    weight: f32,
}

/// The entities talk `id` names that count, with their weights.
fn shared_lists(
    graph: &Graph,
    numbers: &Numbers,
    id: TalkId,
    n: usize,
    too_common: usize,
) -> Vec<Shared> {
    relating(&graph.talks[id])
        .zip(numbers.of_talk(id))
        .filter_map(|((kind, slug), &number)| {
            let talks = &graph.entity(kind, slug)?.talks;
            let step = count_step(talks.len(), too_common)?;
            Some(Shared {
                number,
                weight: weight_at(kind, step, n),
            })
        })
        .collect()
}

/// The talks whose related talks may differ between the graph before an
/// update (`old`: what it said of the entities and talks the update made
/// again) and after it (`new`), made after the notes in `edited` (id,
/// previous version) changed in place. A talk's ranking reads, of each
/// entity it names, the step of its count (the entity's weight), its
/// newest talks (the candidates), and which of them the candidates name;
/// the dates of the candidates (ties); and for the fill the first
/// [`FILL_READS`] talks of its event. So an edit affects:
/// - the edited talk;
/// - when its date changed, the talks of all its entities;
/// - for each entity whose newest talks changed (those a talk takes
///   candidates from, or an event's first talks), all its talks: the talk
///   joined or left them, or its title moved it among them;
/// - for each entity it joined or left: all its talks when that moved its
///   count to another step; else those of its talks that may have the
///   edited talk as a candidate (they name an entity among whose newest
///   talks it is).
pub fn affected(
    old: &Before,
    new: &Graph,
    notes: Notes<'_>,
    edited: &[(TalkId, &Note)],
) -> Vec<TalkId> {
    let too_common = too_common(notes.len());
    let mut ids = BTreeSet::new();
    for &(id, before) in edited {
        let now = &notes[id];
        let was = old.talk_entities(id);
        let is: Vec<(EntityKind, &str)> = new.talks[id].named().collect();
        ids.insert(id);
        // Other talks have it as a candidate through these.
        let candidate_through: Vec<(EntityKind, &str)> = (was.iter().chain(&is))
            .copied()
            .filter(|(kind, _)| RELATING.contains(kind))
            .filter(|&(kind, slug)| {
                among_newest(old.entity(kind, slug), id) || among_newest(new.entity(kind, slug), id)
            })
            .collect();
        for &(kind, slug) in was.iter().chain(&is) {
            let joined_or_left = was.contains(&(kind, slug)) != is.contains(&(kind, slug));
            let (old_entity, new_entity) = (old.entity(kind, slug), new.entity(kind, slug));
            let read = if RELATING.contains(&kind) {
                CANDIDATES_PER_ENTITY
            } else {
                FILL_READS
            };
            let reordered =
                before.date != now.date || first_talks_differ(old_entity, new_entity, read);
            let all = reordered
                || joined_or_left
                    && step_of(old_entity, too_common) != step_of(new_entity, too_common);
            for entity in [old_entity, new_entity].into_iter().flatten() {
                if all {
                    ids.extend(&entity.talks);
                } else if joined_or_left {
                    // Talks not edited name the same entities in both graphs.
                    let shares = |other: &TalkId| names_any(new, *other, &candidate_through);
                    ids.extend(entity.talks.iter().filter(|other| shares(other)));
                }
            }
        }
    }
    ids.into_iter().collect()
}

/// Whether talk `id` is among the newest [`CANDIDATES_PER_ENTITY`] talks of
/// `entity`.
fn among_newest(entity: Option<&Entity>, id: TalkId) -> bool {
    entity.is_some_and(|e| e.newest_talks(CANDIDATES_PER_ENTITY).contains(&id))
}

/// The step of the count of `entity`.
fn step_of(entity: Option<&Entity>, too_common: usize) -> Option<u32> {
    count_step(entity.map_or(0, |e| e.talks.len()), too_common)
}

/// Whether talk `id` names any of `entities` in `graph`.
fn names_any(graph: &Graph, id: TalkId, entities: &[(EntityKind, &str)]) -> bool {
    let links = &graph.talks[id];
    entities
        .iter()
        .any(|&(kind, slug)| links.slugs(kind).iter().any(|s| s == slug))
}

/// How many of an event's first talks [`fill_from_event`] may read: the
/// talk itself and the related talks it skips, then the ones it adds.
const FILL_READS: usize = MAX_RELATED + MIN_RELATED;

/// Whether the first `n` talks of an entity differ between its versions
/// `old` and `new`.
fn first_talks_differ(old: Option<&Entity>, new: Option<&Entity>, n: usize) -> bool {
    fn first(entity: Option<&Entity>, n: usize) -> &[TalkId] {
        entity.map_or(&[], |e| e.newest_talks(n))
    }
    first(old, n) != first(new, n)
}

/// A candidate: its score, date and id.
type Scored = (f32, Option<When>, TalkId);

/// The related talks of `id`, which shares `shared`: its candidates are
/// the talks other than `id` among the newest [`CANDIDATES_PER_ENTITY`] of
/// each shared entity, each once.
fn related_to(
    id: TalkId,
    shared: &[Shared],
    scratch: &mut Scratch,
    numbers: &Numbers,
    graph: &Graph,
) -> Vec<TalkId> {
    for (slot, entity) in (1..).zip(shared) {
        scratch.slots[entity.number as usize] = slot;
    }
    let mut scored: Vec<Scored> = Vec::new();
    for entity in shared {
        let candidates = &numbers.candidates[entity.number as usize];
        for (i, &other) in candidates.ids.iter().enumerate() {
            if other != id && !std::mem::replace(&mut scratch.seen[other.index()], true) {
                let score = score(candidates.numbers.get(i), shared, &scratch.slots);
                scored.push((score, candidates.dates[i], other));
            }
        }
    }
    for &(_, _, other) in &scored {
        scratch.seen[other.index()] = false;
    }
    for entity in shared {
        scratch.slots[entity.number as usize] = 0;
    }
    let by_rank = |(score_a, date_a, a): &Scored, (score_b, date_b, b): &Scored| {
        score_b
            .total_cmp(score_a)
            .then_with(|| date_b.cmp(date_a))
            .then_with(|| a.cmp(b))
    };
    if scored.len() > MAX_RELATED {
        scored.select_nth_unstable_by(MAX_RELATED, by_rank);
        scored.truncate(MAX_RELATED);
    }
    scored.sort_by(by_rank);
    // Not collected in place: that would keep every candidate's room.
    let mut best = Vec::with_capacity(MAX_RELATED);
    best.extend(scored.iter().map(|&(_, _, other)| other));
    if best.len() < MIN_RELATED {
        fill_from_event(id, &mut best, graph);
    }
    best
}

/// The sum of the weights of the `shared` entities a talk with entities
/// `numbered` also names, added in `shared`'s order (so that talks sharing
/// the same entities tie exactly); `slots` places each shared entity.
fn score(numbered: &[u32], shared: &[Shared], slots: &[u32]) -> f32 {
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
