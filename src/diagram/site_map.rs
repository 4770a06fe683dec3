//! The site's map: its projects and speakers with the most talks, linked by
//! the talks they share. Bounded, so that the page stays small however big
//! the site: [`MAX_NODES`] nodes and [`MAX_EDGES`] edges, found in one pass
//! over the talks.

use super::{Diagram, Edge, Node, entity_node};
use crate::entity::EntityKind;
use crate::graph::Entity;
use crate::site::Site;

/// At most this many nodes.
pub const MAX_NODES: usize = 60;
/// At most this many edges: the heaviest.
pub const MAX_EDGES: usize = 150;
/// Of a talk's drawn entities, at most this many are linked pairwise (a
/// talk naming very many would add their square).
const MAX_PER_TALK: usize = 12;

/// The map: the [`MAX_NODES`] projects and speakers with the most talks
/// (ties by kind, then slug), the most-talked-about at the centre and the
/// others on rings around it in that order, each pair linked by the talks
/// naming both (the [`MAX_EDGES`] heaviest; ties by their order).
pub fn of_site(site: &Site) -> Diagram {
    let graph = &site.graph;
    // Each count read once (each read is recorded for `serve`): tens of
    // thousands of speakers at 100,000 notes.
    let mut top: Vec<(usize, &Entity)> = graph
        .of_kind(EntityKind::Project)
        .chain(graph.of_kind(EntityKind::Speaker))
        .map(|e| (e.talk_count(), e))
        .filter(|&(count, _)| count > 0)
        .collect();
    let order = |(count_a, a): &(usize, &Entity), (count_b, b): &(usize, &Entity)| {
        (count_b.cmp(count_a))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.slug.cmp(&b.slug))
    };
    if top.len() > MAX_NODES {
        top.select_nth_unstable_by(MAX_NODES - 1, order);
        top.truncate(MAX_NODES);
    }
    top.sort_unstable_by(order);
    // Every talk's names are looked up: a fast hash (the keys are the site's own).
    let place: foldhash::HashMap<(EntityKind, &str), usize> = top
        .iter()
        .enumerate()
        .map(|(i, (_, e))| ((e.kind, e.slug.as_str()), i))
        .collect();
    let mut pairs: foldhash::HashMap<(usize, usize), usize> = Default::default();
    for id in site.notes().ids() {
        let mut here: Vec<usize> = [EntityKind::Project, EntityKind::Speaker]
            .into_iter()
            .flat_map(|kind| {
                let place = &place;
                graph
                    .talk_entities(id, kind)
                    .into_iter()
                    .filter_map(move |slug| place.get(&(kind, slug)).copied())
            })
            .collect();
        here.sort_unstable();
        here.dedup();
        here.truncate(MAX_PER_TALK);
        for (i, &a) in here.iter().enumerate() {
            for &b in &here[i + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = pairs.into_iter().collect();
    pairs.sort_by(|(a, shared_a), (b, shared_b)| shared_b.cmp(shared_a).then_with(|| a.cmp(b)));
    pairs.truncate(MAX_EDGES);
    let edges = pairs
        .into_iter()
        .map(|((from, to), shared)| Edge::new(from, to, shared))
        .collect();
    let nodes = top
        .iter()
        .enumerate()
        .map(|(i, &(count, e))| {
            let talks = format!("{count} talk{}", if count == 1 { "" } else { "s" });
            Node {
                detail: Some(talks),
                ..entity_node(e, ring(i))
            }
        })
        .collect();
    let projects = top
        .iter()
        .filter(|(_, e)| e.kind == EntityKind::Project)
        .count();
    Diagram {
        summary: format!(
            "Map of the site: {projects} projects and {} speakers with the most talks, linked by the talks they share",
            top.len() - projects
        ),
        description: "The projects and speakers with the most talks, the most talked about at \
             the centre; a line joins two that share talks, thicker for more. Every node links \
             to its page.",
        subject: false,
        nodes,
        edges,
    }
}

/// The ring of the `i`th node: one at the centre, then rings of 6, 12,
/// 18… nodes, as many as fit at each distance.
fn ring(i: usize) -> usize {
    let mut ring = 0;
    let mut filled = 1;
    while i >= filled {
        ring += 1;
        filled += 6 * ring;
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_hold_one_then_six_more_each() {
        let rings: Vec<usize> = (0..20).map(ring).collect();
        assert_eq!(rings[0], 0);
        assert_eq!(&rings[1..7], &[1; 6]);
        assert_eq!(&rings[7..19], &[2; 12]);
        assert_eq!(rings[19], 3);
    }

    #[test]
    fn the_map_holds_the_projects_and_speakers_with_most_talks() {
        use super::super::sample::{site, talk};
        let mut fronts = vec![
            talk(
                "A",
                "2019-01-01",
                "projects = [\"Istio\"]\nspeakers = [\"Ada\"]",
            ),
            talk(
                "B",
                "2019-01-02",
                "projects = [\"Istio\"]\nspeakers = [\"Ada\"]",
            ),
            talk(
                "C",
                "2019-01-03",
                "projects = [\"Istio\", \"Envoy\"]\ntags = [\"mesh\"]",
            ),
        ];
        for i in 0..MAX_NODES + 10 {
            fronts.push(talk(
                "Solo",
                "2019-01-04",
                &format!("speakers = [\"Solo {i:03}\"]"),
            ));
        }
        let site = site(&fronts);
        let map = of_site(&site);
        assert_eq!(map.nodes.len(), MAX_NODES);
        let first: Vec<(&str, &str, usize)> = map.nodes[..3]
            .iter()
            .map(|n| (n.class, n.url.as_str(), n.ring))
            .collect();
        assert_eq!(
            first,
            [
                ("project", "projects/istio/", 0),
                ("speaker", "speakers/ada/", 1),
                ("speaker", "speakers/solo-000/", 1),
            ]
        );
        // Ties by kind, speakers first: Envoy's one talk did not make it.
        assert!(
            map.nodes
                .iter()
                .all(|n| n.class != "tag" && n.name != "Envoy")
        );
        assert_eq!(map.edges, [Edge::new(0, 1, 2)]);
        assert_eq!(of_site(&site), map, "deterministic");
    }
}
