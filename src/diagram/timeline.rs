//! Talks per year, as a small SVG bar chart.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::Datelike;

use super::svg;
use crate::graph::Entity;
use crate::site::Site;

/// At most this many years are drawn: the latest.
pub const MAX_YEARS: usize = 30;
/// The height of the tallest bar.
const BAR_HEIGHT: i64 = 60;
/// Each bar's width, and the gap between bars.
const BAR_WIDTH: i64 = 30;
const GAP: i64 = 6;

/// How many of `entity`'s talks were given each year: every year from the
/// first to the last (years without talks count 0), the latest
/// [`MAX_YEARS`] of them; and how many talks have no date.
pub fn per_year(site: &Site, entity: &Entity) -> (Vec<(i32, usize)>, usize) {
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    let mut undated = 0;
    for &id in entity.talks() {
        match &site.talks[id].note.date {
            Some(date) => *years.entry(date.day().year()).or_default() += 1,
            None => undated += 1,
        }
    }
    let (Some(&first), Some(&last)) = (years.keys().next(), years.keys().next_back()) else {
        return (Vec::new(), undated);
    };
    let first = first.max(last - MAX_YEARS as i32 + 1);
    let counts = (first..=last)
        .map(|year| (year, years.get(&year).copied().unwrap_or(0)))
        .collect();
    (counts, undated)
}

/// The bar chart of `entity`'s talks per year; `None` when none has a date.
pub fn svg(site: &Site, entity: &Entity) -> Option<String> {
    let (years, undated) = per_year(site, entity);
    chart(&years, undated)
}

/// The bar chart of `years` (year, count), with `undated` talks mentioned
/// in its accessible name.
pub fn chart(years: &[(i32, usize)], undated: usize) -> Option<String> {
    let max = years.iter().map(|&(_, n)| n).max().filter(|&n| n > 0)?;
    let mut summary = String::from("Talks per year: ");
    let listed: Vec<String> = years
        .iter()
        .filter(|&&(_, n)| n > 0)
        .map(|(year, n)| format!("{year}: {n}"))
        .collect();
    summary.push_str(&listed.join(", "));
    if undated > 0 {
        let _ = write!(summary, "; {undated} without a date");
    }
    let width = years.len() as i64 * (BAR_WIDTH + GAP) + GAP;
    let (count_room, year_room) = (16, 18);
    let height = count_room + BAR_HEIGHT + year_room;
    let mut svg = svg::open(&svg::Opening {
        class: "timeline",
        role: "img",
        view: (0, 0, width, height),
        summary: &summary,
        description: "A bar for each year, as tall as the talks given that year.",
    });
    let baseline = count_room + BAR_HEIGHT;
    for (i, &(year, count)) in years.iter().enumerate() {
        let x = GAP + i as i64 * (BAR_WIDTH + GAP);
        let middle = x + BAR_WIDTH / 2;
        let bar = (BAR_HEIGHT * count as i64 + max as i64 - 1) / max as i64;
        let _ = write!(
            svg,
            "<g class=\"year\"><rect x=\"{x}\" y=\"{}\" width=\"{BAR_WIDTH}\" height=\"{bar}\"/>",
            baseline - bar
        );
        if count > 0 {
            let _ = write!(
                svg,
                "<text class=\"count\" x=\"{middle}\" y=\"{}\" text-anchor=\"middle\">{count}</text>",
                baseline - bar - 4
            );
        }
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"{middle}\" y=\"{}\" text-anchor=\"middle\">{year}</text></g>",
            baseline + 14
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::EntityKind;

    #[test]
    fn bars_are_labelled_with_counts_and_years() {
        let svg = chart(&[(2018, 3), (2019, 0), (2020, 1)], 2).unwrap();
        assert!(
            svg.contains("aria-label=\"Talks per year: 2018: 3, 2020: 1; 2 without a date\""),
            "{svg}"
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(">3</text>") && svg.contains(">1</text>"));
        assert!(svg.contains(">2019</text>"));
        assert_eq!(svg.matches("<rect ").count(), 3);
        assert!(svg.contains("height=\"60\"/>"), "the tallest bar: {svg}");
        assert!(svg.contains("height=\"0\"/>"), "an empty year: {svg}");
        assert_eq!(chart(&[], 4), None);
    }

    #[test]
    fn talks_are_counted_per_year_with_empty_years_between() {
        use super::super::sample::{site, talk};
        let site = site(&[
            talk("A", "2017-05-01", "tags = [\"k8s\"]"),
            talk("B", "2019-05-01", "tags = [\"k8s\"]"),
            talk("C", "2019-11-01", "tags = [\"k8s\"]"),
            talk("D", "2019-11-01", "tags = [\"other\"]"),
            "title = \"E\"\ntags = [\"k8s\"]".to_string(),
        ]);
        let tag = site.graph.entity(EntityKind::Tag, "k8s").unwrap();
        assert_eq!(
            per_year(&site, tag),
            (vec![(2017, 1), (2018, 0), (2019, 2)], 1)
        );
        let svg = svg(&site, tag).unwrap();
        assert!(svg.contains("Talks per year: 2017: 1, 2019: 2; 1 without a date"));
    }

    #[test]
    fn only_the_latest_years_are_drawn() {
        use super::super::sample::{site, talk};
        let fronts: Vec<String> = [1950, 2000, 2001]
            .iter()
            .map(|year| talk("T", &format!("{year}-01-01"), "tags = [\"old\"]"))
            .collect();
        let site = site(&fronts);
        let tag = site.graph.entity(EntityKind::Tag, "old").unwrap();
        let (years, _) = per_year(&site, tag);
        assert_eq!(years.len(), MAX_YEARS);
        assert_eq!(years.first(), Some(&(1972, 0)));
        assert_eq!(years.last(), Some(&(2001, 1)));
    }
}
