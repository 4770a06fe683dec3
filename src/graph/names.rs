//! Which entity a name in a note names. A profile claims the spellings of
//! its entity: its slug (the file name, or `slug`), its `name` and its
//! `aliases`, each compared as a slug, so that `Abigail Dogbe`,
//! `abigail-dogbe` and an alias `Abi` are one speaker. A name no profile
//! claims is the entity of its own slug.

use std::collections::{BTreeSet, HashMap};

use crate::content::Profile;
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::urls;

/// The spellings profiles claim: kind and spelling (as a slug) → the
/// profile's slug.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    claimed: HashMap<(EntityKind, String), String>,
}

impl Names {
    /// The spellings `profiles` claim. A profile's own slug is always its
    /// own; where two profiles claim another spelling, the first in source
    /// order has it (and [`collisions`] reports the other).
    pub fn new<'a>(profiles: impl Iterator<Item = &'a Profile> + Clone) -> Names {
        let mut claimed = HashMap::new();
        for profile in profiles.clone() {
            claimed.insert((profile.kind, profile.slug.clone()), profile.slug.clone());
        }
        for profile in profiles {
            for spelling in spellings(profile) {
                claimed
                    .entry((profile.kind, spelling))
                    .or_insert_with(|| profile.slug.clone());
            }
        }
        Names { claimed }
    }

    /// The slug of the `kind` entity that `name` names: empty when the name
    /// has no letters or digits.
    pub fn slug(&self, kind: EntityKind, name: &str) -> String {
        let key = (kind, urls::slugify(name));
        match self.claimed.get(&key) {
            Some(claimed) => claimed.clone(),
            None => key.1,
        }
    }
}

/// Every spelling `profile` claims, as slugs: its slug, name and aliases.
fn spellings(profile: &Profile) -> BTreeSet<String> {
    let others = profile.name.iter().chain(&profile.aliases);
    let mut spellings: BTreeSet<String> = others.map(|name| urls::slugify(name)).collect();
    spellings.insert(profile.slug.clone());
    spellings.remove("");
    spellings
}

/// Profiles of one kind that claim one spelling, as errors naming both
/// files: one per pair of files.
pub fn collisions<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> Vec<Diagnostic> {
    let mut owners: HashMap<(EntityKind, String), &Profile> = HashMap::new();
    let mut reported = BTreeSet::new();
    let mut problems = Vec::new();
    for profile in profiles {
        for spelling in spellings(profile) {
            let first = *owners
                .entry((profile.kind, spelling.clone()))
                .or_insert(profile);
            if first.source == profile.source || !reported.insert((&first.source, &profile.source))
            {
                continue;
            }
            problems.push(collision(first, profile, &spelling));
        }
    }
    problems
}

/// The error for `second`, which claims `spelling` that `first` claims too.
fn collision(first: &Profile, second: &Profile, spelling: &str) -> Diagnostic {
    let kind = second.kind.singular();
    let (message, hint) = if first.slug == second.slug {
        (
            format!(
                "{} describes the same {kind} as {}",
                second.source.display(),
                first.source.display()
            ),
            "keep one profile file per entity".to_string(),
        )
    } else {
        (
            format!(
                "{} and {} both name the {kind} `{spelling}` (by file name, `slug`, `name` or `aliases`)",
                first.source.display(),
                second.source.display()
            ),
            format!(
                "a note naming `{spelling}` could mean either: take it out of one of them, or merge the two files"
            ),
        )
    };
    Diagnostic::in_file(&second.source, message).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content::keys::KeyMap;

    fn profile(file: &str, front: &str) -> Profile {
        let text = format!("+++\n{front}\n+++\n");
        let source = format!("content/speakers/{file}");
        Profile::parse(
            EntityKind::Speaker,
            Path::new(&source),
            &text,
            &KeyMap::default(),
        )
        .unwrap()
    }

    #[test]
    fn slug_name_and_aliases_name_the_profile() {
        let abi = profile(
            "abigail-dogbe.md",
            "name = \"Abigail Mesrenyame Dogbe\"\naliases = [\"Abi\"]",
        );
        let names = Names::new([abi].iter());
        for spelling in [
            "abigail-dogbe",
            "Abigail Dogbe",
            "Abigail Mesrenyame Dogbe",
            "ABI",
        ] {
            assert_eq!(names.slug(EntityKind::Speaker, spelling), "abigail-dogbe");
        }
        assert_eq!(names.slug(EntityKind::Speaker, "Ada"), "ada");
        assert_eq!(names.slug(EntityKind::Tag, "Abi"), "abi");
        assert_eq!(names.slug(EntityKind::Speaker, "!!"), "");
    }

    #[test]
    fn a_profiles_own_slug_beats_another_profiles_alias() {
        let ada = profile("ada.md", "");
        let king = profile("ada-king.md", "aliases = [\"ada\"]");
        let names = Names::new([king.clone(), ada.clone()].iter());
        assert_eq!(names.slug(EntityKind::Speaker, "Ada"), "ada");
        let problems = collisions(&[ada, king]);
        assert_eq!(problems.len(), 1);
        let message = &problems[0].message;
        assert!(
            message.contains("content/speakers/ada.md and content/speakers/ada-king.md"),
            "{message}"
        );
    }

    #[test]
    fn one_error_per_pair_of_files() {
        let a = profile("ada.md", "name = \"Ada Lovelace\"");
        let b = profile("lovelace.md", "slug = \"ada\"\nname = \"Ada Lovelace\"");
        let problems = collisions(&[a.clone(), b]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("describes the same speaker as")
        );
        assert_eq!(
            problems[0].file.as_deref(),
            Some(Path::new("content/speakers/lovelace.md"))
        );
        assert!(collisions(&[a]).is_empty());
    }
}
