//! Which nodes and edges a page's neighbourhood shows, at most
//! [`MAX_NEIGHBOURHOOD_NODES`]: for a talk, the entities it names and the
//! talks that share the most of them; for an entity, the entities its talks
//! name most often and its talks that name most of those.
//!
//! A page's work is bounded by what the page itself lists: a talk looks at
//! [`CANDIDATES_PER_ENTITY`] talks of each of its entities, an entity at its
//! own talks, never at every talk of the site.

use std::cmp::Reverse;

use super::{Diagram, Edge, KINDS, MAX_NEIGHBOURHOOD_NODES, Node, entity_node, talk_node};
use crate::documents;
use crate::entity::EntityKind;
use crate::flat_lists::FlatLists;
use crate::graph::{Entity, Graph};
use crate::ids::TalkId;
use crate::site::Site;

/// At most this many talks in a neighbourhood.
pub const MAX_TALKS: usize = 12;
/// A talk's neighbours are found among this many talks of each of its
/// entities (the newest), and among its related talks.
pub const CANDIDATES_PER_ENTITY: usize = 24;
/// At most this many entities around an entity: room is left for talks.
pub const MAX_ENTITIES: usize = MAX_NEIGHBOURHOOD_NODES - 1 - MAX_TALKS;

/// How to read a talk's neighbourhood.
const TALK_DESCRIPTION: &str = "The talk is at the centre, the speakers, projects, tags and event \
     it names around it, and on the outer ring talks that share them, each joined by a line to \
     what it shares. Every node links to its page.";
/// How to read an entity's neighbourhood.
const ENTITY_DESCRIPTION: &str = "It is at the centre, around it what its talks name most \
     often (thicker lines, more talks), and on the outer ring its talks, each joined by a line to \
     what it names. Every node links to its page.";

/// An entity named by kind and slug.
type Key<'a> = (EntityKind, &'a str);

/// The entities talk `id` names, in [`KINDS`] order (a name given twice
/// comes once).
fn named(graph: &Graph, id: TalkId) -> impl Iterator<Item = Key<'_>> {
    let links = &graph.talks[id];
    KINDS.into_iter().flat_map(move |kind| {
        let slugs = links.slugs(kind);
        (slugs.iter().enumerate())
            .filter(move |&(i, slug)| !slugs[..i].contains(slug))
            .map(move |(_, slug)| (kind, slug.as_str()))
    })
}

/// Whether talk `id` names the entity `key`.
fn names(graph: &Graph, id: TalkId, (kind, slug): Key<'_>) -> bool {
    graph.talks[id].slugs(kind).iter().any(|s| s == slug)
}

/// The places in `drawn` (a diagram's nodes from 1) of the entities talk
/// `id` names.
fn shared_with(graph: &Graph, id: TalkId, drawn: &[Key<'_>]) -> Vec<usize> {
    (1..)
        .zip(drawn)
        .filter(|&(_, &key)| names(graph, id, key))
        .map(|(place, _)| place)
        .collect()
}

/// The neighbourhood of talk `id`: the talk at the centre, its entities
/// around it, and on the outer ring the talks sharing the most of them
/// (ties: related talks first, then the newest), each linked to the
/// entities it shares. `None` when the talk names no entity.
pub fn of_talk(site: &Site, id: TalkId) -> Option<Diagram> {
    let graph = &site.graph;
    let mut keys: Vec<Key<'_>> = named(graph, id).collect();
    keys.retain(|&(kind, slug)| graph.entity(kind, slug).is_some());
    keys.truncate(MAX_NEIGHBOURHOOD_NODES - 1);
    if keys.is_empty() {
        return None;
    }
    let entities: Vec<&Entity> = keys
        .iter()
        .filter_map(|&(kind, slug)| graph.entity(kind, slug))
        .collect();
    let mut nodes = vec![talk_node(site, id, 0)];
    nodes.extend(entities.iter().map(|e| entity_node(e, 1)));
    let mut edges: Vec<Edge> = (1..nodes.len()).map(|to| Edge::one(0, to)).collect();
    let room = (MAX_NEIGHBOURHOOD_NODES - nodes.len()).min(MAX_TALKS);
    for (other, common) in neighbours(site, id, &entities, &keys, room) {
        let from = nodes.len();
        nodes.push(talk_node(site, other, 2));
        edges.extend(common.into_iter().map(|to| Edge::one(from, to)));
    }
    let note = &site.talks[id].note;
    Some(Diagram {
        summary: summary(&note.title, &nodes),
        description: TALK_DESCRIPTION,
        subject: true,
        nodes,
        edges,
    })
}

/// The `room` talks that share the most of `entities` (named `keys`) with
/// talk `id`, each with the places of the entities it shares. The shares
/// are counted in the newest [`CANDIDATES_PER_ENTITY`] talks of each
/// entity (and exactly for related talks); the edges drawn are exact.
fn neighbours(
    site: &Site,
    id: TalkId,
    entities: &[&Entity],
    keys: &[Key<'_>],
    room: usize,
) -> Vec<(TalkId, Vec<usize>)> {
    let graph = &site.graph;
    let related = &graph.talks[id].related;
    let mut seen: Vec<TalkId> = entities
        .iter()
        .flat_map(|e| e.newest_talks(CANDIDATES_PER_ENTITY).iter().copied())
        .filter(|&other| other != id && !related.contains(&other))
        .collect();
    seen.sort_unstable();
    let mut counted: Vec<(TalkId, usize)> = Vec::new();
    for other in seen {
        match counted.last_mut() {
            Some((last, count)) if *last == other => *count += 1,
            _ => counted.push((other, 1)),
        }
    }
    counted.extend(
        related
            .iter()
            .map(|&other| (other, shared_with(graph, other, keys).len()))
            .filter(|&(other, count)| other != id && count > 0),
    );
    // Most shared first; then related talks, best first; then the newest.
    let mut ranked: Vec<_> = counted
        .into_iter()
        .map(|(other, count)| {
            let rank = related.iter().position(|&r| r == other);
            let instant = documents::date_of(&site.talks, other).map(|d| d.instant());
            (
                Reverse(count),
                rank.is_none(),
                rank,
                Reverse(instant),
                other,
            )
        })
        .collect();
    ranked.sort_unstable();
    ranked.truncate(room);
    ranked
        .into_iter()
        .map(|(.., other)| (other, shared_with(graph, other, keys)))
        .collect()
}

/// The neighbourhood of `entity`: it at the centre, around it the entities
/// its talks name most often (ties by kind and slug), each edge as wide as
/// the talks they share; on the outer ring its talks that name most of
/// those entities (ties: newest first), linked to them. `None` when it has
/// no talks.
pub fn of_entity(site: &Site, entity: &Entity) -> Option<Diagram> {
    let own_talks = entity.talks();
    if own_talks.is_empty() {
        return None;
    }
    let graph = &site.graph;
    let names = Names::of(graph, own_talks, (entity.kind, &entity.slug));
    let mut nodes = vec![entity_node(entity, 0)];
    let mut edges = Vec::new();
    let mut drawn: Vec<Key<'_>> = Vec::new();
    // By entity number: whether it is drawn.
    let mut is_drawn = vec![false; names.counts.len()];
    for (number, key, count) in names.most_named(graph, own_talks) {
        if let Some(neighbour) = graph.entity(key.0, key.1) {
            drawn.push(key);
            is_drawn[number] = true;
            edges.push(Edge::new(0, nodes.len(), count));
            nodes.push(entity_node(neighbour, 1));
        }
    }
    // Its talks by how many of the entities drawn they name, then newest.
    let mut talks: Vec<(Reverse<usize>, usize, TalkId)> = (own_talks.iter().enumerate())
        .map(|(newest, &id)| {
            let shared = names.of_talk(newest).filter(|&n| is_drawn[n]).count();
            (Reverse(shared), newest, id)
        })
        .collect();
    if talks.len() > MAX_TALKS {
        talks.select_nth_unstable(MAX_TALKS - 1);
        talks.truncate(MAX_TALKS);
    }
    talks.sort_unstable();
    for (_, _, id) in talks {
        let from = nodes.len();
        nodes.push(talk_node(site, id, 2));
        edges.push(Edge::one(0, from));
        let common = shared_with(graph, id, &drawn);
        edges.extend(common.into_iter().map(|to| Edge::one(from, to)));
    }
    Some(Diagram {
        summary: summary(&entity.name, &nodes),
        description: ENTITY_DESCRIPTION,
        subject: true,
        nodes,
        edges,
    })
}

/// What the talks of an entity name (but the entity itself), read once:
/// each entity numbered in the order it was first named, and each talk's
/// entities by number. A big tag has thousands of talks: their names are
/// read as the graph's [`crate::reads::entity_key`]s of them, not as slugs
/// (two to three times faster at 100,000 notes, the slugs being strings all
/// over memory), and once for the counts and the talks' ranking alike.
struct Names {
    /// By number: the entity's key, and the first talk (by place in the
    /// talks) naming it.
    entities: Vec<(u64, usize)>,
    /// By number, how many of the talks name the entity.
    counts: Vec<usize>,
    /// By talk (its place in the talks), its entities' numbers.
    named: FlatLists<usize>,
}

impl Names {
    fn of(graph: &Graph, talks: &[TalkId], (kind, slug): Key<'_>) -> Names {
        let subject = crate::reads::entity_key(kind, slug);
        // A fast hash, not a resistant one (the keys are the site's own).
        let mut numbers: foldhash::HashMap<u64, usize> = Default::default();
        let (mut entities, mut counts) = (Vec::new(), Vec::new());
        let mut named = FlatLists::with_capacity(talks.len());
        for (place, &id) in talks.iter().enumerate() {
            let keys = graph.talks[id].entity_keys.iter();
            named.push(keys.filter(|&&k| k != subject).map(|&key| {
                let number = *numbers.entry(key).or_insert_with(|| {
                    entities.push((key, place));
                    counts.push(0);
                    entities.len() - 1
                });
                counts[number] += 1;
                number
            }));
        }
        Names {
            entities,
            counts,
            named,
        }
    }

    /// The entity numbers of the `i`th talk.
    fn of_talk(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.named.get(i).iter().copied()
    }

    /// The [`MAX_ENTITIES`] entities the talks name most often (ties by
    /// kind, then slug): number, kind and slug, and how many name it.
    fn most_named<'a>(&self, graph: &'a Graph, talks: &[TalkId]) -> Vec<(usize, Key<'a>, usize)> {
        let mut counts: Vec<usize> = self.counts.clone();
        // The fewest talks an entity drawn has: only entities named that
        // often are looked up by slug, for the order of ties.
        let least = if counts.len() > MAX_ENTITIES {
            *counts
                .select_nth_unstable_by(MAX_ENTITIES - 1, |a, b| b.cmp(a))
                .1
        } else {
            0
        };
        let order = |kind: EntityKind| KINDS.iter().position(|&k| k == kind);
        let mut top: Vec<(usize, Key<'a>, usize)> = (self.counts.iter().enumerate())
            .filter(|&(_, &count)| count >= least)
            .filter_map(|(number, &count)| {
                let (key, first) = self.entities[number];
                let named = named(graph, talks[first])
                    .find(|&(k, s)| crate::reads::entity_key(k, s) == key)?;
                Some((number, named, count))
            })
            .collect();
        top.sort_unstable_by_key(|&(_, (kind, slug), count)| (Reverse(count), order(kind), slug));
        top.truncate(MAX_ENTITIES);
        top
    }
}

/// The accessible name of a neighbourhood: what is drawn around `name`.
fn summary(name: &str, nodes: &[Node]) -> String {
    let talks = nodes[1..].iter().filter(|n| n.class == "talk").count();
    let entities = nodes.len() - 1 - talks;
    format!(
        "Neighbourhood of {name}: {entities} speaker{}, project{0}, tag{0} or event{0} and {talks} talk{}",
        if entities == 1 { "" } else { "s" },
        if talks == 1 { "" } else { "s" },
    )
}

#[cfg(test)]
mod tests {
    use super::super::sample::{site, talk};
    use super::*;

    fn classes_and_urls(diagram: &Diagram, ring: usize) -> Vec<(&str, &str)> {
        diagram
            .nodes
            .iter()
            .filter(|n| n.ring == ring)
            .map(|n| (n.class, n.url.as_str()))
            .collect()
    }

    #[test]
    fn a_talk_is_drawn_with_what_it_names_and_talks_sharing_it() {
        let site = site(&[
            talk(
                "Mesh",
                "2019-05-01",
                "event = \"KubeCon EU 2019\"\nspeakers = [\"Ada\"]\nprojects = [\"Istio\"]\ntags = [\"mesh\"]",
            ),
            talk("Also Istio", "2019-05-02", "projects = [\"Istio\"]"),
            talk(
                "Same speaker and tag",
                "2018-01-01",
                "speakers = [\"Ada\"]\ntags = [\"mesh\"]",
            ),
            talk("Unrelated", "2019-05-03", "projects = [\"Linkerd\"]"),
        ]);
        let diagram = of_talk(&site, TalkId::new(0)).unwrap();
        assert_eq!(classes_and_urls(&diagram, 0), [("talk", "talks/t000/")]);
        assert_eq!(
            classes_and_urls(&diagram, 1),
            [
                ("speaker", "speakers/ada/"),
                ("event", "events/kubecon-eu-2019/"),
                ("project", "projects/istio/"),
                ("tag", "tags/mesh/"),
            ]
        );
        // The talk sharing two entities first; the unrelated one left out.
        assert_eq!(
            classes_and_urls(&diagram, 2),
            [("talk", "talks/t002/"), ("talk", "talks/t001/")]
        );
        let from_sharing_two: Vec<usize> = diagram
            .edges
            .iter()
            .filter(|e| e.from == 5)
            .map(|e| e.to)
            .collect();
        assert_eq!(from_sharing_two, [1, 4], "joined to Ada and mesh");
        assert!(diagram.summary.starts_with("Neighbourhood of Mesh: 4 "));
        assert_eq!(
            of_talk(&site, TalkId::new(0)),
            Some(diagram),
            "deterministic"
        );
    }

    #[test]
    fn a_talk_naming_nothing_has_no_neighbourhood() {
        let site = site(&[talk("Alone", "2019-05-01", "")]);
        assert_eq!(of_talk(&site, TalkId::new(0)), None);
    }

    #[test]
    fn neighbourhoods_are_bounded() {
        let tags: Vec<String> = (0..40).map(|i| format!("\"tag {i:02}\"")).collect();
        let all = format!("tags = [{}]\nevent = \"Conf 2020\"", tags.join(", "));
        let fronts: Vec<String> = (0..60)
            .map(|i| talk(&format!("Talk {i}"), "2020-01-01", &all))
            .collect();
        let site = site(&fronts);
        let diagram = of_talk(&site, TalkId::new(0)).unwrap();
        assert_eq!(diagram.nodes.len(), MAX_NEIGHBOURHOOD_NODES);
        let event = site.graph.entity(EntityKind::Event, "conf-2020").unwrap();
        let diagram = of_entity(&site, event).unwrap();
        assert!(diagram.nodes.len() <= MAX_NEIGHBOURHOOD_NODES);
        // All 40 tags are named by all 60 talks: the ties go by slug.
        let drawn: Vec<String> = (classes_and_urls(&diagram, 1).into_iter())
            .map(|(_, url)| url.to_string())
            .collect();
        let first: Vec<String> = (0..MAX_ENTITIES)
            .map(|i| format!("tags/tag-{i:02}/"))
            .collect();
        assert_eq!(drawn, first);
        assert_eq!(classes_and_urls(&diagram, 2).len(), MAX_TALKS);
    }

    #[test]
    fn an_entity_is_drawn_with_what_its_talks_name_most() {
        let site = site(&[
            talk(
                "One",
                "2019-05-01",
                "projects = [\"Istio\"]\ntags = [\"mesh\", \"security\"]",
            ),
            talk(
                "Two",
                "2019-05-02",
                "projects = [\"Istio\"]\ntags = [\"mesh\"]",
            ),
            talk(
                "Three",
                "2019-05-03",
                "projects = [\"Envoy\"]\ntags = [\"mesh\"]",
            ),
        ]);
        let istio = site.graph.entity(EntityKind::Project, "istio").unwrap();
        let diagram = of_entity(&site, istio).unwrap();
        assert_eq!(
            classes_and_urls(&diagram, 0),
            [("project", "projects/istio/")]
        );
        assert_eq!(
            classes_and_urls(&diagram, 1),
            [("tag", "tags/mesh/"), ("tag", "tags/security/")]
        );
        assert_eq!(
            diagram.edges[0],
            Edge::new(0, 1, 2),
            "mesh: two talks with Istio"
        );
        // "One" names both tags drawn: first, though older.
        assert_eq!(
            classes_and_urls(&diagram, 2),
            [("talk", "talks/t000/"), ("talk", "talks/t001/")]
        );
    }
}
