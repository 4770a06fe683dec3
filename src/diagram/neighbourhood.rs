//! Which nodes and edges a page's neighbourhood shows, at most
//! [`MAX_NEIGHBOURHOOD_NODES`]: for a talk, the entities it names and the
//! talks that share the most of them; for an entity, the entities its talks
//! name most often and the talks that name most of those.

use std::collections::HashMap;

use super::{Diagram, Edge, KINDS, MAX_NEIGHBOURHOOD_NODES, entity_node, talk_node};
use crate::entity::EntityKind;
use crate::graph::{Entity, Graph};
use crate::ids::TalkId;
use crate::site::Site;

/// At most this many talks in a neighbourhood.
pub const MAX_TALKS: usize = 12;
/// A talk's neighbours are found among this many talks of each of its
/// entities (the newest), and among its related talks: a page's work stays
/// bounded however many talks an entity has.
const CANDIDATES_PER_ENTITY: usize = 24;

/// An entity named by kind and slug.
type Key<'a> = (EntityKind, &'a str);

/// The entities talk `id` names, without repeats, in [`KINDS`] order.
fn named(graph: &Graph, id: TalkId) -> Vec<Key<'_>> {
    let mut keys: Vec<Key<'_>> = Vec::new();
    for kind in KINDS {
        for slug in graph.talk_entities(id, kind) {
            if !keys.contains(&(kind, slug)) {
                keys.push((kind, slug));
            }
        }
    }
    keys
}

/// The neighbourhood of talk `id`: the talk at the centre, its entities
/// around it, and on the outer ring the talks sharing the most of them
/// (ties: related talks first, then the newest), each linked to the
/// entities it shares.
pub fn of_talk(site: &Site, id: TalkId) -> Diagram {
    let graph = &site.graph;
    let mut keys = named(graph, id);
    keys.truncate(MAX_NEIGHBOURHOOD_NODES - 1);
    let entities: Vec<&Entity> = keys
        .iter()
        .filter_map(|&(kind, slug)| graph.entity(kind, slug))
        .collect();
    let mut nodes = vec![talk_node(site, id, 0)];
    nodes.extend(entities.iter().map(|e| entity_node(e, 1)));
    let mut edges: Vec<Edge> = (1..nodes.len())
        .map(|to| Edge {
            from: 0,
            to,
            weight: 1,
        })
        .collect();
    let related = &graph.talks[id].related;
    let mut candidates: Vec<TalkId> = related.clone();
    for entity in &entities {
        candidates.extend(entity.talks.iter().take(CANDIDATES_PER_ENTITY));
    }
    candidates.sort_unstable();
    candidates.dedup();
    let room = (MAX_NEIGHBOURHOOD_NODES - nodes.len()).min(MAX_TALKS);
    let mut shared: Vec<(TalkId, Vec<usize>)> = candidates
        .into_iter()
        .filter(|&other| other != id)
        .map(|other| {
            let theirs = named(graph, other);
            let common = entities
                .iter()
                .enumerate()
                .filter(|(_, e)| theirs.contains(&(e.kind, e.slug.as_str())))
                .map(|(i, _)| i + 1)
                .collect();
            (other, common)
        })
        .filter(|(_, common): &(TalkId, Vec<usize>)| !common.is_empty())
        .collect();
    let rank = |other: TalkId| related.iter().position(|&r| r == other);
    let instant = |other: TalkId| site.talks[other].note.date.map(|d| d.instant());
    shared.sort_by(|(a, common_a), (b, common_b)| {
        common_b
            .len()
            .cmp(&common_a.len())
            .then_with(|| match (rank(*a), rank(*b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (x, y) => y.is_some().cmp(&x.is_some()),
            })
            .then_with(|| instant(*b).cmp(&instant(*a)))
            .then_with(|| a.cmp(b))
    });
    shared.truncate(room);
    for (other, common) in shared {
        let from = nodes.len();
        nodes.push(talk_node(site, other, 2));
        edges.extend(common.into_iter().map(|to| Edge {
            from,
            to,
            weight: 1,
        }));
    }
    let note = &site.talks[id].note;
    Diagram {
        summary: summary(&note.title, &nodes),
        subject: true,
        nodes,
        edges,
    }
}

/// At most this many entities around an entity: room is left for talks.
pub const MAX_ENTITIES: usize = MAX_NEIGHBOURHOOD_NODES - 1 - MAX_TALKS;

/// The neighbourhood of `entity`: it at the centre, around it the entities
/// its talks name most often (ties by kind and slug), each edge as wide as
/// the talks they share; on the outer ring its talks that name most of
/// those entities (ties: newest first), linked to them.
pub fn of_entity(site: &Site, entity: &Entity) -> Diagram {
    let graph = &site.graph;
    let subject: Key<'_> = (entity.kind, &entity.slug);
    let mut shared: HashMap<Key<'_>, usize> = HashMap::new();
    for &id in &entity.talks {
        for key in named(graph, id) {
            if key != subject {
                *shared.entry(key).or_default() += 1;
            }
        }
    }
    let order = |kind: EntityKind| KINDS.iter().position(|&k| k == kind);
    let mut top: Vec<(Key<'_>, usize)> = shared.into_iter().collect();
    top.sort_by(|((ka, sa), na), ((kb, sb), nb)| {
        nb.cmp(na)
            .then_with(|| order(*ka).cmp(&order(*kb)))
            .then_with(|| sa.cmp(sb))
    });
    top.truncate(MAX_ENTITIES);
    let mut nodes = vec![entity_node(entity, 0)];
    let mut edges = Vec::new();
    let mut place: HashMap<Key<'_>, usize> = HashMap::new();
    for ((kind, slug), count) in top {
        if let Some(neighbour) = graph.entity(kind, slug) {
            place.insert((kind, slug), nodes.len());
            edges.push(Edge {
                from: 0,
                to: nodes.len(),
                weight: count,
            });
            nodes.push(entity_node(neighbour, 1));
        }
    }
    // Its talks, newest first, by how many of the entities drawn they name.
    let mut talks: Vec<(usize, TalkId, Vec<usize>)> = entity
        .talks
        .iter()
        .enumerate()
        .map(|(newest, &id)| {
            let named: Vec<usize> = named(graph, id)
                .into_iter()
                .filter_map(|key| place.get(&key).copied())
                .collect();
            (newest, id, named)
        })
        .collect();
    talks.sort_by(|(a, _, named_a), (b, _, named_b)| {
        named_b.len().cmp(&named_a.len()).then_with(|| a.cmp(b))
    });
    talks.truncate(MAX_TALKS);
    for (_, id, named) in talks {
        let from = nodes.len();
        nodes.push(talk_node(site, id, 2));
        edges.push(Edge {
            from: 0,
            to: from,
            weight: 1,
        });
        edges.extend(named.into_iter().map(|to| Edge { from, to, weight: 1 }));
    }
    Diagram {
        summary: summary(&entity.name, &nodes),
        subject: true,
        nodes,
        edges,
    }
}

/// The accessible name of a neighbourhood: what is drawn around `name`.
fn summary(name: &str, nodes: &[super::Node]) -> String {
    let talks = nodes[1..].iter().filter(|n| n.class == "talk").count();
    let entities = nodes.len() - 1 - talks;
    format!(
        "Neighbourhood of {name}: {entities} speakers, projects, tags or events and {talks} talks"
    )
}
