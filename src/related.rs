//! Related talks: for each talk, the few others that share the most with it.
//!
//! Two talks are related by every speaker, project and tag they share. A
//! shared speaker counts most, then a project, then a tag; a rare entity counts
//! more than a common one (weighted by `ln(1 + N / talks naming it)`), and
//! entities named by a large share of a big site (Kubernetes at a KubeCon)
//! are left out as they relate everything to everything.

use rayon::prelude::*;

use crate::content::Note;
use crate::entity::EntityKind;
use crate::graph::{Graph, TalkId};

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
pub fn rank(graph: &Graph, notes: &[Note]) -> Vec<Vec<TalkId>> {
    let n = notes.len();
    let too_common = (n / 4).max(50);
    // For each talk, the (weight, talks) of the entities it names.
    let lists: Vec<Vec<(f32, &[TalkId])>> = (0..n)
        .map(|id| {
            [EntityKind::Speaker, EntityKind::Project, EntityKind::Tag]
                .into_iter()
                .flat_map(|kind| {
                    graph
                        .talk_entities(id, kind)
                        .into_iter()
                        .filter_map(move |slug| {
                            let talks = &graph.entity(kind, slug)?.talks;
                            let idf = (1.0 + n as f32 / talks.len() as f32).ln();
                            (talks.len() <= too_common)
                                .then(|| (weight(kind) * idf, talks.as_slice()))
                        })
                })
                .collect()
        })
        .collect();
    (0..n)
        .into_par_iter()
        .map_init(
            || vec![0f32; n],
            |scores, id| related_to(id, &lists[id], scores, graph, notes),
        )
        .collect()
}

fn related_to(
    id: TalkId,
    lists: &[(f32, &[TalkId])],
    scores: &mut [f32],
    graph: &Graph,
    notes: &[Note],
) -> Vec<TalkId> {
    let mut touched = Vec::new();
    for &(weight, talks) in lists {
        for &other in talks {
            if other != id {
                if scores[other] == 0.0 {
                    touched.push(other);
                }
                scores[other] += weight;
            }
        }
    }
    let by_rank = |a: &TalkId, b: &TalkId| {
        scores[*b]
            .total_cmp(&scores[*a])
            .then_with(|| notes[*b].date.cmp(&notes[*a].date))
            .then_with(|| a.cmp(b))
    };
    if touched.len() > MAX_RELATED {
        touched.select_nth_unstable_by(MAX_RELATED, by_rank);
    }
    let mut best: Vec<TalkId> = touched.iter().take(MAX_RELATED).copied().collect();
    best.sort_by(by_rank);
    for &other in &touched {
        scores[other] = 0.0;
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
