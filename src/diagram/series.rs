//! Series of events: editions of one conference whose names differ only in
//! the year ("KubeCon EU 2018", "KubeCon EU 2019").

use std::collections::BTreeMap;

use crate::entity::EntityKind;
use crate::graph::Graph;

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
                by_key.entry(key).or_default().push(Edition {
                    slug: &event.slug,
                    name: &event.name,
                });
            }
        }
        by_key.retain(|_, editions| editions.len() > 1);
        for editions in by_key.values_mut() {
            editions.sort_by(|a, b| {
                (year(a.name), a.name, a.slug).cmp(&(year(b.name), b.name, b.slug))
            });
        }
        Series { by_key }
    }

    /// Every series, by key, each with its editions, oldest first.
    pub fn all(&self) -> impl Iterator<Item = (&str, &[Edition<'a>])> {
        self.by_key.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The editions of the series of the event named `name` (itself included),
    /// oldest first; empty when it has no other edition.
    pub fn editions_of(&self, name: &str) -> &[Edition<'a>] {
        series_key(name)
            .and_then(|key| self.by_key.get(&key))
            .map_or(&[], Vec::as_slice)
    }
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
        assert_eq!(series_key("Café 2021 ünïcode").as_deref(), Some("Café ünïcode"));
        assert_eq!(series_key("2019"), None);
        assert_eq!(series_key(""), None);
    }
}
