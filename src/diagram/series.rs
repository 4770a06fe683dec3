//! Series of events: editions of one conference whose names differ only in
//! the year ("KubeCon EU 2018", "KubeCon EU 2019").

use std::cmp::Ordering;
use std::collections::BTreeMap;

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

/// One edition of a series: an event's slug and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition<'a> {
    /// The event's slug.
    pub slug: &'a str,
    /// The event's name.
    pub name: &'a str,
}

impl<'a> Edition<'a> {
    fn of(event: &'a Entity) -> Edition<'a> {
        Edition {
            slug: &event.slug,
            name: &event.name,
        }
    }
}

/// Every series with at least two editions: series key → its editions,
/// oldest year first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series<'a> {
    by_key: BTreeMap<String, Vec<Edition<'a>>>,
}

impl<'a> Series<'a> {
    /// The series of the events in `graph`.
    pub fn of(graph: &'a Graph) -> Series<'a> {
        let mut by_key: BTreeMap<String, Vec<Edition<'a>>> = BTreeMap::new();
        for event in graph.of_kind(EntityKind::Event) {
            if let Some(key) = series_key(&event.name) {
                by_key.entry(key).or_default().push(Edition::of(event));
            }
        }
        by_key.retain(|_, editions| editions.len() > 1);
        for editions in by_key.values_mut() {
            editions.sort_by(oldest_first);
        }
        Series { by_key }
    }

    /// Every series, by key, each with its editions, oldest first.
    pub fn all(&self) -> impl Iterator<Item = (&str, &[Edition<'a>])> {
        self.by_key.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The key of the series `event` is an edition of, if it has others.
    pub fn key_of(&self, event: &Entity) -> Option<&str> {
        let key = series_key(&event.name)?;
        self.by_key.get_key_value(&key).map(|(k, _)| k.as_str())
    }
}

/// The editions of the series `event` belongs to (itself included), oldest
/// first; empty when it has no other edition. One pass over the events.
pub fn editions<'a>(graph: &'a Graph, event: &Entity) -> Vec<Edition<'a>> {
    let Some(key) = series_key(&event.name) else {
        return Vec::new();
    };
    let mut editions: Vec<Edition<'a>> = graph
        .of_kind(EntityKind::Event)
        .filter(|e| series_key(&e.name).as_deref() == Some(key.as_str()))
        .map(Edition::of)
        .collect();
    if editions.len() < 2 {
        return Vec::new();
    }
    editions.sort_by(oldest_first);
    editions
}

/// Editions by the year in their name, then name and slug.
fn oldest_first(a: &Edition<'_>, b: &Edition<'_>) -> Ordering {
    (year(a.name), a.name, a.slug).cmp(&(year(b.name), b.name, b.slug))
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
        let series = Series::of(&site.graph);
        let all: Vec<(&str, Vec<&str>)> = series
            .all()
            .map(|(key, editions)| (key, editions.iter().map(|e| e.name).collect()))
            .collect();
        assert_eq!(
            all,
            [("KubeCon EU", vec!["KubeCon EU 2018", "KubeCon EU 2019"])]
        );
        let event = |slug| site.graph.entity(EntityKind::Event, slug).unwrap();
        let slugs = |slug| -> Vec<&str> {
            editions(&site.graph, event(slug))
                .iter()
                .map(|e| e.slug)
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
        assert_eq!(series.key_of(event("kubecon-eu-2018")), Some("KubeCon EU"));
        assert_eq!(series.key_of(event("kubecon-na-2019")), None);
    }
}
