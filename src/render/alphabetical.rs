//! The index pages' A-Z order: each kind's entities by name (as their
//! slugs spell it, so accents and case aside), events gathered by series,
//! and the letter each row is listed under. The graph keeps entities in
//! slug order, so listing them costs no sorting: an index page's view
//! reads the whole list (for its jump letters) at any size.

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

/// The rows of `kind`'s index page, A to Z by slug; a series of events by
/// its name's slug.
pub fn rows(site: &Site, kind: EntityKind) -> Vec<Row<'_>> {
    if kind != EntityKind::Event {
        return site
            .graph
            .of_kind(kind)
            .map(|entity| Row {
                series: None,
                entities: vec![entity],
                letter: letter_of(&entity.slug),
            })
            .collect();
    }
    let newest_first = sorted_entities(site, kind);
    let mut rows: Vec<(String, Row)> = series::group(&newest_first)
        .into_iter()
        .map(|group| {
            let first = group.events.first().map(|e| e.name.as_str());
            let slug = urls::slugify(group.series.as_deref().or(first).unwrap_or_default());
            let row = Row {
                letter: letter_of(&slug),
                series: group.series,
                entities: group.events,
            };
            (slug, row)
        })
        .collect();
    rows.sort_by(|(a, _), (b, _)| a.cmp(b));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The letter a name whose slug is `slug` is listed under: its first
/// letter, A to Z, or [`OTHER`].
pub fn letter_of(slug: &str) -> char {
    match slug.chars().next() {
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
        let letter = |name: &str| letter_of(&urls::slugify(name));
        assert_eq!(letter("Ada Lovelace"), 'A');
        assert_eq!(letter("émile"), 'E');
        assert_eq!(letter("Łukasz"), 'L');
        assert_eq!(letter("3scale"), OTHER);
        assert_eq!(letter("!!!"), OTHER);
        assert_eq!(anchor('Q'), "letter-q");
        assert_eq!(anchor(OTHER), "letter-other");
    }
}
