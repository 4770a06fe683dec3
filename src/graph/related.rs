//! Related talks: for each talk, the few others that share the most with it.
//!
//! Two talks are related by every speaker, project and tag they share. A
//! shared speaker counts most, then a project, then a tag; a rare entity counts
//! more than a common one (weighted by `ln(1 + N / talks naming it)`), and
//! entities named by a large share of a big site (Kubernetes at a KubeCon)
//! are left out as they relate everything to everything.

use std::collections::BTreeSet;

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
    let too_common = (n / 4).max(50);
    ids.par_iter()
        .map_init(
            || vec![0f32; n],
            |scores, &id| {
                let lists = weighted_lists(graph, id, n, too_common);
                related_to(id, &lists, scores, graph, notes)
            },
        )
        .collect()
}

/// The (weight, talks) of the entities talk `id` names that count.
fn weighted_lists(graph: &Graph, id: TalkId, n: usize, too_common: usize) -> Vec<(f32, &[TalkId])> {
    [EntityKind::Speaker, EntityKind::Project, EntityKind::Tag]
        .into_iter()
        .flat_map(|kind| {
            graph
                .talk_entities(id, kind)
                .into_iter()
                .filter_map(move |slug| {
                    let talks = &graph.entity(kind, slug)?.talks;
                    let idf = (1.0 + n as f32 / talks.len() as f32).ln();
                    (talks.len() <= too_common).then(|| (weight(kind) * idf, talks.as_slice()))
                })
        })
        .collect()
}

/// The talks whose related talks may differ between graph `old` and graph
/// `new`, made after the notes in `edited` (id, previous version) changed in
/// place. A talk's ranking reads the talk lists of the entities it names
/// (who is in them, and how many: an entity's weight), the dates of the
/// talks in them (ties), and for the fill the order of its event's talks
/// (by date, then title). So an edit affects the edited talk, the talks of
/// every entity it joined or left, and when its date changed, the talks of
/// all its entities; when its title changed, the talks of its event.
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
            let reordered =
                before.date != now.date || (kind == EntityKind::Event && before.title != now.title);
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
    lists: &[(f32, &[TalkId])],
    scores: &mut [f32],
    graph: &Graph,
    notes: Notes<'_>,
) -> Vec<TalkId> {
    let mut touched = Vec::new();
    for &(weight, talks) in lists {
        for &other in talks {
            if other != id {
                if scores[other.index()] == 0.0 {
                    touched.push(other);
                }
                scores[other.index()] += weight;
            }
        }
    }
    let by_rank = |a: &TalkId, b: &TalkId| {
        scores[b.index()]
            .total_cmp(&scores[a.index()])
            .then_with(|| notes[*b].date.cmp(&notes[*a].date))
            .then_with(|| a.cmp(b))
    };
    if touched.len() > MAX_RELATED {
        touched.select_nth_unstable_by(MAX_RELATED, by_rank);
    }
    let mut best: Vec<TalkId> = touched.iter().take(MAX_RELATED).copied().collect();
    best.sort_by(by_rank);
    for &other in &touched {
        scores[other.index()] = 0.0;
    }
    if best.len() < MIN_RELATED {
        fill_from_event(id, &mut best, graph);
    }
    best
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
