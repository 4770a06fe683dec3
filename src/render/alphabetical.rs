//! The index pages' A-Z order: each kind's entities by name, events
//! gathered by series, and the letter each row is listed under.

use super::sorted_entities;
use crate::diagram::series;
use crate::entity::EntityKind;
use crate::graph::Entity;
use crate::site::Site;
use crate::urls;

/// The letter of names that start with no letter A to Z (digits, symbols).
pub const OTHER: char = '#';

/// One row of an index page: an entity, or a series of events.
pub struct Row<'a> {
    /// A series' name (its editions' names without the year).
    pub series: Option<String>,
    /// Its entity, or a series' editions, newest first.
    pub entities: Vec<&'a Entity>,
    /// The letter it is listed under.
    pub letter: char,
}

/// The rows of `kind`'s index page, A to Z: by name, accents and case
/// aside; a series of events by its name.
pub fn rows(site: &Site, kind: EntityKind) -> Vec<Row<'_>> {
    let newest_first = sorted_entities(site, kind);
    let mut rows: Vec<(String, Row)> = match kind {
        EntityKind::Event => series::group(&newest_first)
            .into_iter()
            .map(|group| {
                let label = group.series.clone().unwrap_or_else(|| {
                    group
                        .events
                        .first()
                        .map(|e| e.name.clone())
                        .unwrap_or_default()
                });
                row(label, group.series, group.events)
            })
            .collect(),
        _ => newest_first
            .into_iter()
            .map(|entity| row(entity.name.clone(), None, vec![entity]))
            .collect(),
    };
    rows.sort_by(|(a, _), (b, _)| a.cmp(b));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// A row labelled `label`, with its sort key.
fn row<'a>(label: String, series: Option<String>, entities: Vec<&'a Entity>) -> (String, Row<'a>) {
    let key = format!("{}\u{0}{label}", urls::slugify(&label));
    let row = Row {
        series,
        entities,
        letter: letter_of(&label),
    };
    (key, row)
}

/// The letter `name` is listed under: its first letter, A to Z (accents
/// dropped), or [`OTHER`].
pub fn letter_of(name: &str) -> char {
    match urls::slugify(name).chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => OTHER,
    }
}

/// The id of a letter's heading, which the jump links point to.
pub fn anchor(letter: char) -> String {
    match letter {
        OTHER => "letter-other".to_string(),
        c => format!("letter-{}", c.to_ascii_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_under_their_first_letter_accents_aside() {
        assert_eq!(letter_of("Ada Lovelace"), 'A');
        assert_eq!(letter_of("émile"), 'E');
        assert_eq!(letter_of("Łukasz"), 'L');
        assert_eq!(letter_of("3scale"), OTHER);
        assert_eq!(letter_of("!!!"), OTHER);
        assert_eq!(anchor('Q'), "letter-q");
        assert_eq!(anchor(OTHER), "letter-other");
    }
}
