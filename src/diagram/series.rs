//! Series of events: editions of one conference whose names differ only in
//! the year ("KubeCon EU 2018", "KubeCon EU 2019").

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::entity::EntityKind;
use crate::graph::{Entity, Graph};

/// The series an event named `name` belongs to: the name without its year
/// (the last run of exactly four ASCII digits), with whitespace runs made
/// one space and trimmed. `None` when the name has no year, or nothing but
/// a year.
pub fn series_key(name: &str) -> Option<String> {
    let (start, end) = last_year(name)?;
    let without = format!("{} {}", &name[..start], &name[end..]);
    let key = without.split_whitespace().collect::<Vec<_>>().join(" ");
    (!key.is_empty()).then_some(key)
}

/// The byte range of the last run of exactly four ASCII digits in `name`.
fn last_year(name: &str) -> Option<(usize, usize)> {
    let bytes = name.as_bytes();
    let mut end = bytes.len();
    while end > 0 {
        if !bytes[end - 1].is_ascii_digit() {
            end -= 1;
            continue;
        }
        let mut start = end;
        while start > 0 && bytes[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if end - start == 4 {
            return Some((start, end));
        }
        end = start;
    }
    None
}

/// The year in an edition's name, for ordering editions.
fn year(name: &str) -> Option<u32> {
    let (start, end) = last_year(name)?;
    name[start..end].parse().ok()
}

/// The editions of the series `event` belongs to (itself included), oldest
/// first; empty when it has no other edition. One pass over the events.
pub fn editions<'a>(graph: &'a Graph, event: &Entity) -> Vec<&'a Entity> {
    let Some(key) = series_key(&event.name) else {
        return Vec::new();
    };
    let mut editions: Vec<&'a Entity> = graph
        .of_kind(EntityKind::Event)
        .filter(|e| series_key(&e.name).as_deref() == Some(key.as_str()))
        .collect();
    if editions.len() < 2 {
        return Vec::new();
    }
    editions.sort_by(oldest_first);
    editions
}

/// Events in groups: a series of at least two editions, or one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// The series' key, for a series.
    pub series: Option<String>,
    /// Its events, in the order given.
    pub events: Vec<&'a Entity>,
}

/// `events` in groups, in their order: each series of two editions or more
/// where its first edition comes, holding its editions in their order, and
/// each other event alone.
pub fn group<'a>(events: &[&'a Entity]) -> Vec<Group<'a>> {
    let keys: Vec<Option<String>> = events.iter().map(|e| series_key(&e.name)).collect();
    let mut editions: HashMap<&str, usize> = HashMap::new();
    for key in keys.iter().flatten() {
        *editions.entry(key).or_default() += 1;
    }
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut place: HashMap<&str, usize> = HashMap::new();
    for (event, key) in events.iter().zip(&keys) {
        let series = key.as_deref().filter(|k| editions[k] > 1);
        match series.and_then(|k| place.get(k)) {
            Some(&at) => groups[at].events.push(event),
            None => {
                if let Some(k) = series {
                    place.insert(k, groups.len());
                }
                groups.push(Group {
                    series: series.map(str::to_string),
                    events: vec![event],
                });
            }
        }
    }
    groups
}

/// Editions by the year in their name, then name and slug.
fn oldest_first(a: &&Entity, b: &&Entity) -> Ordering {
    (year(&a.name), &a.name, &a.slug).cmp(&(year(&b.name), &b.name, &b.slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_name_without_its_year() {
        assert_eq!(series_key("KubeCon EU 2018").as_deref(), Some("KubeCon EU"));
        assert_eq!(series_key("KubeCon EU 2019").as_deref(), Some("KubeCon EU"));
        assert_eq!(
            series_key("  PyCon   2019  US ").as_deref(),
            Some("PyCon US")
        );
        assert_eq!(series_key("FOSDEM\t2020").as_deref(), Some("FOSDEM"));
        assert_eq!(series_key("JSConf2019").as_deref(), Some("JSConf"));
    }

    #[test]
    fn only_the_last_run_of_exactly_four_digits_is_a_year() {
        assert_eq!(
            series_key("ISO 9001 Day 2019").as_deref(),
            Some("ISO 9001 Day")
        );
        assert_eq!(series_key("Web 2.0 Summit"), None);
        assert_eq!(series_key("Event 12345"), None);
        assert_eq!(series_key("Event 123"), None);
        assert_eq!(
            series_key("Café 2021 ünïcode").as_deref(),
            Some("Café ünïcode")
        );
        assert_eq!(series_key("2019"), None);
        assert_eq!(series_key(""), None);
    }

    #[test]
    fn editions_differing_only_in_the_year_make_a_series() {
        use super::super::sample::{site, talk};
        let site = site(&[
            talk("A", "2019-05-01", "event = \"KubeCon EU 2019\""),
            talk("B", "2018-05-01", "event = \"KubeCon EU 2018\""),
            talk("C", "2019-11-01", "event = \"KubeCon NA 2019\""),
            talk("D", "2019-11-01", "event = \"KubeCon EU\""),
            talk("E", "2020-02-01", "event = \"FOSDEM 2020\""),
        ]);
        let event = |slug| site.graph.entity(EntityKind::Event, slug).unwrap();
        let slugs = |slug| -> Vec<&str> {
            editions(&site.graph, event(slug))
                .iter()
                .map(|e| e.slug.as_str())
                .collect()
        };
        assert_eq!(
            slugs("kubecon-eu-2019"),
            ["kubecon-eu-2018", "kubecon-eu-2019"]
        );
        assert_eq!(
            slugs("kubecon-eu-2018"),
            ["kubecon-eu-2018", "kubecon-eu-2019"]
        );
        assert!(slugs("kubecon-na-2019").is_empty(), "another series");
        assert!(slugs("kubecon-eu").is_empty(), "no year: no series");
        assert!(slugs("fosdem-2020").is_empty(), "one edition");
    }

    #[test]
    fn events_are_grouped_by_series_where_the_first_edition_comes() {
        use super::super::sample::{site, talk};
        let site = site(&[
            talk("A", "2019-05-01", "event = \"KubeCon EU 2019\""),
            talk("B", "2018-05-01", "event = \"KubeCon EU 2018\""),
            talk("C", "2019-11-01", "event = \"KubeCon NA 2019\""),
            talk("D", "2020-02-01", "event = \"FOSDEM 2020\""),
        ]);
        let event = |slug| site.graph.entity(EntityKind::Event, slug).unwrap();
        let events = [
            event("fosdem-2020"),
            event("kubecon-eu-2019"),
            event("kubecon-na-2019"),
            event("kubecon-eu-2018"),
        ];
        let groups = group(&events);
        let groups: Vec<(Option<&str>, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                let slugs = g.events.iter().map(|e| e.slug.as_str()).collect();
                (g.series.as_deref(), slugs)
            })
            .collect();
        assert_eq!(
            groups,
            [
                (None, vec!["fosdem-2020"]),
                (
                    Some("KubeCon EU"),
                    vec!["kubecon-eu-2019", "kubecon-eu-2018"]
                ),
                (None, vec!["kubecon-na-2019"]),
            ]
        );
    }
}
