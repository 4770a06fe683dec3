//! Where a diagram's nodes go: the subject at the centre, the others on
//! rings around it, evenly spaced in their order, then spread just enough
//! that no node's label overlaps another's. Deterministic: the same nodes
//! make the same positions.

use std::f64::consts::PI;

use super::Node;

/// Font size of labels, in the SVG's units (the SVG says it too).
pub const FONT_SIZE: f64 = 11.0;
/// The width of one character of a label, estimated for a proportional font.
const CHAR_WIDTH: f64 = 6.4;
/// Labels longer than this many characters are truncated (with `…`).
pub const MAX_LABEL_CHARS: usize = 18;
/// Rings are ellipses this much wider than tall: labels are wide.
const ASPECT: f64 = 1.6;
/// The distance between rings, at least.
const MIN_RING_GAP: f64 = 70.0;
/// Room kept between two labels, and around the drawing.
const PADDING: f64 = 4.0;

/// A node's text under it: its name, truncated to [`MAX_LABEL_CHARS`].
pub fn label(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= MAX_LABEL_CHARS {
        return name.to_string();
    }
    let kept: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{}…", kept.trim_end())
}

/// The number of talks from which a node's radius is the largest.
pub const RADIUS_FULL_FROM: usize = 70;

/// The radius of a node standing for `talks` talks: 6 for one, up to 14
/// from [`RADIUS_FULL_FROM`].
pub fn radius(talks: usize) -> u32 {
    let r = 5.0 + 2.0 * (1.0 + talks as f64).ln();
    r.min(14.0).round() as u32
}

/// The width, in tenths of the default, of an edge standing for `talks`
/// talks: 10 for one, up to 40 from about 20.
pub fn width(talks: usize) -> u32 {
    let w = 1.0 + (talks.max(1) as f64).ln().min(3.0);
    (w * 10.0).round() as u32
}

/// The box a node and its label take, relative to the node's centre.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Extent {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Extent {
    fn of(node: &Node) -> Extent {
        let r = f64::from(node.radius);
        let width = (label(&node.name).chars().count() as f64 * CHAR_WIDTH).max(2.0 * r);
        Extent {
            left: -width / 2.0,
            right: width / 2.0,
            top: -r,
            bottom: label_y(node) + 3.0,
        }
    }
}

/// The baseline of a node's label, below its centre.
pub fn label_y(node: &Node) -> f64 {
    f64::from(node.radius) + FONT_SIZE + 1.0
}

/// Placed nodes: integer positions, and the view box around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each node's centre, in the order of the nodes.
    pub points: Vec<(i64, i64)>,
    /// The view box: left, top, width, height.
    pub view: (i64, i64, i64, i64),
}

/// Places `nodes` on rings by their [`Node::ring`], each ring in the nodes'
/// order starting at the top (odd rings turned by half a step, so that
/// rings do not line up), then scales the rings apart until no two nodes'
/// boxes (circle and label) overlap.
pub fn rings(nodes: &[Node]) -> Layout {
    let rings = nodes.iter().map(|n| n.ring).max().unwrap_or(0) + 1;
    let mut counts = vec![0usize; rings];
    for node in nodes {
        counts[node.ring] += 1;
    }
    let mut seen = vec![0usize; rings];
    let unit: Vec<(f64, f64)> = nodes
        .iter()
        .map(|node| {
            let (ring, i) = (node.ring, seen[node.ring]);
            seen[ring] += 1;
            if ring == 0 && counts[0] == 1 {
                return (0.0, 0.0);
            }
            let turn = if ring % 2 == 1 { 0.5 } else { 0.0 };
            let angle = -PI / 2.0 + 2.0 * PI * (i as f64 + turn) / counts[ring] as f64;
            // Ring 0 with several nodes is a small ring of its own.
            let radius = if ring == 0 { 0.5 } else { ring as f64 };
            (radius * ASPECT * angle.cos(), radius * angle.sin())
        })
        .collect();
    let extents: Vec<Extent> = nodes.iter().map(Extent::of).collect();
    let scale = spread(&unit, &extents);
    let points: Vec<(i64, i64)> = unit
        .iter()
        .map(|&(x, y)| ((x * scale).round() as i64, (y * scale).round() as i64))
        .collect();
    let mut bounds = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (&(x, y), e) in points.iter().zip(&extents) {
        let (x, y) = (x as f64, y as f64);
        bounds.0 = bounds.0.min(x + e.left);
        bounds.1 = bounds.1.min(y + e.top);
        bounds.2 = bounds.2.max(x + e.right);
        bounds.3 = bounds.3.max(y + e.bottom);
    }
    if points.is_empty() {
        bounds = (0.0, 0.0, 0.0, 0.0);
    }
    let left = (bounds.0 - PADDING).floor() as i64;
    let top = (bounds.1 - PADDING).floor() as i64;
    let right = (bounds.2 + PADDING).ceil() as i64;
    let bottom = (bounds.3 + PADDING).ceil() as i64;
    Layout {
        points,
        view: (left, top, right - left, bottom - top),
    }
}

/// The smallest scale (at least [`MIN_RING_GAP`]) at which no two boxes
/// overlap: two boxes are apart when they are apart along either axis, and
/// along an axis the gap grows with the scale. Quadratic in the nodes,
/// which are few.
fn spread(unit: &[(f64, f64)], extents: &[Extent]) -> f64 {
    let mut scale = MIN_RING_GAP;
    for i in 0..unit.len() {
        for j in i + 1..unit.len() {
            let (a, b) = (&extents[i], &extents[j]);
            let dx = unit[j].0 - unit[i].0;
            let dy = unit[j].1 - unit[i].1;
            let along_x = needed(dx, a.right - b.left + PADDING, b.right - a.left + PADDING);
            let along_y = needed(dy, a.bottom - b.top + PADDING, b.bottom - a.top + PADDING);
            // Rounding to integers moves each end by at most half a unit.
            scale = scale.max(along_x.min(along_y) + 1.0);
        }
    }
    scale
}

/// The scale at which two boxes `d` apart (at scale 1) along an axis stop
/// overlapping: `forward` is the overlap to clear when the second is after
/// the first, `backward` when before.
fn needed(d: f64, forward: f64, backward: f64) -> f64 {
    if d > 1e-9 {
        forward / d
    } else if d < -1e-9 {
        backward / -d
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, ring: usize) -> Node {
        Node {
            class: "tag",
            name: name.into(),
            detail: None,
            url: String::new(),
            radius: radius(3),
            ring,
        }
    }

    #[test]
    fn a_node_is_largest_from_radius_full_from_talks_on() {
        let largest = radius(usize::MAX / 2);
        assert_eq!(radius(RADIUS_FULL_FROM), largest);
        assert!(radius(RADIUS_FULL_FROM - 1) < largest);
    }

    #[test]
    fn long_labels_are_truncated() {
        assert_eq!(label("Istio"), "Istio");
        assert_eq!(label("A very long talk title indeed"), "A very long talk…");
        assert_eq!(label("Ünïcödé characters are counted").chars().count(), 18);
    }

    fn boxes(nodes: &[Node]) -> Vec<(f64, f64, f64, f64)> {
        let layout = rings(nodes);
        nodes
            .iter()
            .zip(&layout.points)
            .map(|(n, &(x, y))| {
                let e = Extent::of(n);
                let (x, y) = (x as f64, y as f64);
                (x + e.left, y + e.top, x + e.right, y + e.bottom)
            })
            .collect()
    }

    #[test]
    fn no_two_labels_overlap() {
        for count in [1, 2, 5, 12, 29, 60] {
            let nodes: Vec<Node> = (0..count)
                .map(|i: usize| node(&format!("Entity with a long name {i}"), i.div_ceil(6)))
                .collect();
            let boxes = boxes(&nodes);
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                    assert!(apart, "{count} nodes: {a:?} overlaps {b:?}");
                }
            }
            let layout = rings(&nodes);
            let (left, top, width, height) = layout.view;
            for b in boxes {
                assert!(b.0 >= left as f64 && b.2 <= (left + width) as f64);
                assert!(b.1 >= top as f64 && b.3 <= (top + height) as f64);
            }
        }
    }

    #[test]
    fn the_subject_is_at_the_centre() {
        let nodes = [node("a", 0), node("b", 1), node("c", 1), node("d", 2)];
        let layout = rings(&nodes);
        assert_eq!(layout.points[0], (0, 0));
        assert_eq!(layout, rings(&nodes), "deterministic");
    }
}
