//! Which names in a note's prose are mentions of a project or speaker.
//!
//! A name is mentioned as written: whole words, with its own case (a
//! project named `Forge` is not mentioned by "forge"), the longest name
//! winning where names overlap ("Docker Compose" over "Docker"). Only
//! names of projects and speakers count, and not every one of them:
//!
//! - a name shorter than [`MIN_CHARS`] characters never does (`Go`, `R`);
//! - a speaker's one-word name (a first name, a handle) counts only when
//!   the speaker has a profile file;
//! - `[links] mentions-exclude` lists names (compared as slugs) that never
//!   do.

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::{LinkableEntity, MentionRules};
use crate::entity::EntityKind;
use crate::urls;

/// The fewest characters a mentioned name has.
pub const MIN_CHARS: usize = 3;

/// The names prose mentions, and a matcher for them.
#[derive(Debug, Clone, Default)]
pub struct Mentions {
    /// Each name and the entity (its index in `Linkable`) it names.
    names: Vec<(String, usize)>,
    matcher: Option<AhoCorasick>,
}

/// Two sets of mentions are the same when they have the same names (the
/// matcher is made from them).
impl PartialEq for Mentions {
    fn eq(&self, other: &Mentions) -> bool {
        self.names == other.names
    }
}

impl Mentions {
    /// The names of `entities` that `rules` let prose mention.
    pub fn new(entities: &[LinkableEntity], rules: MentionRules<'_>) -> Mentions {
        if !rules.enabled {
            return Mentions::default();
        }
        let excluded: Vec<String> = rules.exclude.iter().map(|n| urls::slugify(n)).collect();
        let mut names: Vec<(String, usize)> = Vec::new();
        // The first entity to claim a name keeps it.
        let mut claimed: HashSet<&str> = HashSet::new();
        for (i, entity) in entities.iter().enumerate() {
            for name in entity.spellings.iter().chain([&entity.name]) {
                let counts = mentionable(entity, name)
                    && !excluded.contains(&urls::slugify(name))
                    && claimed.insert(name.as_str());
                if counts {
                    names.push((name.clone(), i));
                }
            }
        }
        let matcher = match names.is_empty() {
            true => None,
            // A DFA: the fastest search, for a few megabytes per thousand names.
            false => AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(names.iter().map(|(n, _)| n))
                .ok(),
        };
        Mentions { names, matcher }
    }

    /// Each name and the entity (its index in `Linkable`) it names.
    pub fn names(&self) -> &[(String, usize)] {
        &self.names
    }

    /// The mentions in `text`: where each is, and the entity it names
    /// (its index in `Linkable`), in order, none overlapping.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<(Range<usize>, usize)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| whole_words(text, m.range()))
            .map(|m| (m.range(), self.names[m.pattern().as_usize()].1))
            .collect();
        // Leftmost first, then longest; then drop those overlapping one kept.
        found.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
        for (range, entity) in found {
            if kept.last().is_none_or(|(last, _)| last.end <= range.start) {
                kept.push((range, entity));
            }
        }
        kept
    }
}

/// Whether `name` of `entity` may be found in prose at all.
fn mentionable(entity: &LinkableEntity, name: &str) -> bool {
    let long_enough = name.chars().count() >= MIN_CHARS;
    let one_word = !name.trim().contains(char::is_whitespace);
    match entity.kind {
        EntityKind::Project => long_enough,
        EntityKind::Speaker => long_enough && (!one_word || entity.profile.is_some()),
        EntityKind::Tag | EntityKind::Event => false,
    }
}

/// Whether `range` of `text` is whole words: no letter, digit or `_`
/// touches it, nor a path, address or handle around it (`istio.io`,
/// `cmd/Istio`, `@Istio`, `Istio.yaml`), where the name is part of another.
fn whole_words(text: &str, range: Range<usize>) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut before = text[..range.start].chars().rev();
    let mut after = text[range.end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let joins_before = b1.is_some_and(word)
        || (b1.is_some_and(|c| "./@#\\".contains(c)) && b2.is_some_and(word))
        || b1 == Some('@');
    let joins_after =
        a1.is_some_and(word) || (a1.is_some_and(|c| "./@\\".contains(c)) && a2.is_some_and(word));
    !joins_before && !joins_after
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn entity(kind: EntityKind, names: &[&str], profile: bool) -> LinkableEntity {
        LinkableEntity {
            kind,
            slug: urls::slugify(names[0]),
            name: names[0].into(),
            spellings: names.iter().map(|s| s.to_string()).collect(),
            profile: profile.then(|| PathBuf::from("content/x.md")),
        }
    }

    fn mentions<'a>(text: &'a str, exclude: &[String]) -> Vec<&'a str> {
        let entities = [
            entity(EntityKind::Project, &["Docker"], false),
            entity(EntityKind::Project, &["Docker Compose"], false),
            entity(EntityKind::Project, &["Forge"], false),
            entity(EntityKind::Project, &["Go"], true),
            entity(EntityKind::Project, &["Kubernetes", "k8s"], false),
            entity(EntityKind::Speaker, &["Ada Lovelace"], false),
            entity(EntityKind::Speaker, &["Grace"], false),
            entity(EntityKind::Speaker, &["Linus"], true),
            entity(EntityKind::Tag, &["security"], true),
        ];
        let rules = MentionRules {
            enabled: true,
            exclude,
        };
        let found = Mentions::new(&entities, rules).find(text);
        found.into_iter().map(|(range, _)| &text[range]).collect()
    }

    #[test]
    fn whole_words_with_their_case_longest_first() {
        assert_eq!(
            mentions(
                "Docker Compose, then Docker; forge or Forge? Dockerfile k8s.",
                &[]
            ),
            ["Docker Compose", "Docker", "Forge", "k8s"]
        );
    }

    #[test]
    fn names_inside_paths_addresses_and_handles_are_not_mentions() {
        assert_eq!(
            mentions(
                "Docker.io, @Docker, Docker/Forge and Forge.yaml; Forge. Docker-based",
                &[]
            ),
            ["Forge", "Docker"]
        );
    }

    #[test]
    fn short_names_one_word_speakers_without_profile_and_tags_are_not_mentions() {
        assert_eq!(
            mentions("Go, Grace and Linus met Ada Lovelace about security", &[]),
            ["Linus", "Ada Lovelace"]
        );
    }

    #[test]
    fn excluded_names_are_not_mentions() {
        let exclude = ["forge".to_string(), "Docker".to_string()];
        assert_eq!(
            mentions("Docker Compose, Docker, Forge", &exclude),
            ["Docker Compose"]
        );
    }

    #[test]
    fn a_name_two_entities_share_is_listed_once_for_the_first() {
        let entities = [
            entity(EntityKind::Project, &["Helm", "Charts"], false),
            entity(EntityKind::Project, &["Charts"], false),
        ];
        let rules = MentionRules {
            enabled: true,
            exclude: &[],
        };
        let mentions = Mentions::new(&entities, rules);
        let charts: Vec<usize> = (mentions.names().iter())
            .filter(|(name, _)| name == "Charts")
            .map(|&(_, entity)| entity)
            .collect();
        assert_eq!(charts, [0]);
        let found = mentions.find("Helm Charts and Charts");
        assert!(found.iter().all(|&(_, entity)| entity == 0), "{found:?}");
    }

    #[test]
    fn disabled_mentions_find_nothing() {
        let entities = [entity(EntityKind::Project, &["Docker"], false)];
        let rules = MentionRules {
            enabled: false,
            exclude: &[],
        };
        assert!(Mentions::new(&entities, rules).find("Docker").is_empty());
    }
}
