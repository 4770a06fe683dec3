//! Which page a wikilink names. `[[target]]`, `[[target|text]]` and
//! `[[target#heading]]` are resolved in this order, each step comparing
//! names as slugs (so case and punctuation do not matter):
//!
//! 1. a talk's slug or file stem;
//! 2. a talk's title;
//! 3. an entity's name, slug or alias, of any kind.
//!
//! The first step with a match decides; two matches at one step are an
//! error, as is no match at all. `[[talks/x]]`, `[[speakers/x]]`,
//! `[[projects/x]]`, `[[tags/x]]` and `[[events/x]]` name one kind only.

use std::path::PathBuf;

use super::{Linkable, LinkableEntity, LinkableTalk};
use crate::entity::EntityKind;
use crate::urls;

/// What a wikilink leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A talk's page.
    Talk(&'a LinkableTalk),
    /// An entity's page: its index in [`Linkable`] and itself.
    Entity(usize, &'a LinkableEntity),
}

impl<'a> Target<'a> {
    /// How to write a wikilink that names this page and nothing else.
    pub fn explicit(&self) -> String {
        match self {
            Target::Talk(talk) => format!("[[talks/{}]]", talk.slug),
            Target::Entity(_, e) => format!("[[{}/{}]]", e.kind.folder(), e.slug),
        }
    }

    /// The file whose headings `[[target#heading]]` links to: a talk's
    /// note, an entity's profile (an entity without one has no headings).
    pub fn source(&self) -> Option<&'a PathBuf> {
        match *self {
            Target::Talk(talk) => Some(&talk.source),
            Target::Entity(_, e) => e.profile.as_ref(),
        }
    }

    /// This page, for a message: `the project Istio`.
    fn describe(&self) -> String {
        match self {
            Target::Talk(talk) => format!("the talk \u{201c}{}\u{201d}", talk.title),
            Target::Entity(_, e) => format!("the {} {}", e.kind.singular(), e.name),
        }
    }

    /// Its title or name.
    fn name(&self) -> &str {
        match self {
            Target::Talk(talk) => &talk.title,
            Target::Entity(_, e) => &e.name,
        }
    }
}

/// A wikilink resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The page.
    pub target: Target<'a>,
    /// The text to show when the wikilink has no `|text`: the title or
    /// name when it was written as a slug, file stem or `kind/slug`; else
    /// the name as written.
    pub shown: String,
}

/// Why a wikilink leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Nothing has that name.
    Nothing,
    /// Several pages have it, at the same step: each described, with the
    /// wikilink that names it alone.
    Several(Vec<String>),
}

impl Linkable {
    /// The page `[[name]]` names (`name` without its `#heading`).
    pub fn resolve(&self, name: &str) -> Result<Resolved<'_>, Unresolved> {
        if let Some((folder, rest)) = name.split_once('/') {
            if folder == "talks" {
                let key = urls::slugify(rest);
                let talks = self.by_slug.get(&key).map_or(&[][..], Vec::as_slice);
                return self.one(
                    talks.iter().map(|&i| Target::Talk(&self.talks[i])),
                    true,
                    name,
                );
            }
            if let Some(kind) = EntityKind::from_folder(folder) {
                let entities = self.entities_named(rest).filter(|(_, e)| e.kind == kind);
                return self.one(entities.map(|(i, e)| Target::Entity(i, e)), true, name);
            }
        }
        let key = urls::slugify(name);
        let steps: [Vec<Target<'_>>; 3] = [
            self.talks_at(&self.by_slug, &key),
            self.talks_at(&self.by_title, &key),
            self.entities_named(name)
                .map(|(i, e)| Target::Entity(i, e))
                .collect(),
        ];
        for found in steps {
            if !found.is_empty() {
                return self.one(found.into_iter(), false, name);
            }
        }
        Err(Unresolved::Nothing)
    }

    /// What `[[name]]` renders as, comparable between two `Linkable`s:
    /// the page (its explicit form), the text shown and the file holding
    /// its headings; or why it leads nowhere.
    pub fn outcome(&self, name: &str) -> Result<(String, String, Option<PathBuf>), Unresolved> {
        self.resolve(name).map(|resolved| {
            let target = resolved.target;
            (target.explicit(), resolved.shown, target.source().cloned())
        })
    }

    fn talks_at(
        &self,
        index: &std::collections::HashMap<String, Vec<usize>>,
        key: &str,
    ) -> Vec<Target<'_>> {
        let ids = index.get(key).map_or(&[][..], Vec::as_slice);
        ids.iter().map(|&i| Target::Talk(&self.talks[i])).collect()
    }

    /// The entities `name` is a spelling (or the slug) of, as a slug.
    fn entities_named(&self, name: &str) -> impl Iterator<Item = (usize, &LinkableEntity)> {
        let ids = self.by_name.get(&urls::slugify(name));
        let ids = ids.map_or(&[][..], Vec::as_slice);
        ids.iter().map(|&i| (i, &self.entities[i]))
    }

    /// The one target of `found`, shown by its name when `explicit` or
    /// `written` is its slug or stem; else why not one.
    fn one<'a>(
        &self,
        found: impl Iterator<Item = Target<'a>>,
        explicit: bool,
        written: &str,
    ) -> Result<Resolved<'a>, Unresolved> {
        let found: Vec<Target<'a>> = found.collect();
        match found.as_slice() {
            [] => Err(Unresolved::Nothing),
            [target] => {
                let by_slug = match target {
                    Target::Talk(talk) => {
                        written == talk.slug
                            || talk.source.file_stem().is_some_and(|s| s == written)
                    }
                    Target::Entity(_, e) => written == e.slug,
                };
                let shown = match explicit || by_slug {
                    true => target.name().to_string(),
                    false => written.to_string(),
                };
                Ok(Resolved {
                    target: *target,
                    shown,
                })
            }
            several => Err(Unresolved::Several(
                several
                    .iter()
                    .map(|t| format!("{} ({})", t.describe(), t.explicit()))
                    .collect(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;
    use crate::links::MentionRules;

    fn talk(stem: &str, slug: &str, title: &str) -> LinkableTalk {
        LinkableTalk {
            source: PathBuf::from(format!("content/talks/{stem}.md")),
            slug: slug.into(),
            title: title.into(),
        }
    }

    fn entity(kind: EntityKind, slug: &str, spellings: &[&str]) -> LinkableEntity {
        LinkableEntity {
            kind,
            slug: slug.into(),
            name: spellings.first().unwrap_or(&slug).to_string(),
            spellings: spellings
                .iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<_>>(),
            profile: None,
        }
    }

    fn linkable() -> Linkable {
        Linkable::new(
            vec![
                talk(
                    "telepresence-dev",
                    "telepresence-dev",
                    "Dev with Telepresence",
                ),
                talk("2018/keynote", "keynote-2018", "Keynote"),
                talk("other", "other", "Istio"),
            ],
            vec![
                entity(EntityKind::Project, "telepresence", &["Telepresence"]),
                entity(EntityKind::Project, "kubernetes", &["Kubernetes", "k8s"]),
                entity(EntityKind::Tag, "kubernetes", &["kubernetes"]),
                entity(EntityKind::Speaker, "ara-pulido", &["Ara Pulido"]),
                entity(EntityKind::Project, "istio", &["Istio"]),
            ],
            MentionRules {
                enabled: true,
                exclude: &[],
            },
        )
    }

    fn resolved(name: &str) -> (String, String) {
        let linkable = linkable();
        let resolved = linkable.resolve(name).unwrap();
        (resolved.target.explicit(), resolved.shown)
    }

    #[test]
    fn talks_by_slug_or_stem_then_title_then_entities() {
        let shown = |explicit: &str, shown: &str| (explicit.to_string(), shown.to_string());
        assert_eq!(
            resolved("telepresence-dev"),
            shown("[[talks/telepresence-dev]]", "Dev with Telepresence")
        );
        assert_eq!(
            resolved("keynote"),
            shown("[[talks/keynote-2018]]", "Keynote")
        );
        assert_eq!(
            resolved("Telepresence"),
            shown("[[projects/telepresence]]", "Telepresence")
        );
        assert_eq!(
            resolved("ara pulido"),
            shown("[[speakers/ara-pulido]]", "ara pulido")
        );
        assert_eq!(resolved("K8S"), shown("[[projects/kubernetes]]", "K8S"));
        // A talk's title comes before an entity's name.
        assert_eq!(resolved("Istio"), shown("[[talks/other]]", "Istio"));
        assert_eq!(
            resolved("projects/istio"),
            shown("[[projects/istio]]", "Istio")
        );
        assert_eq!(
            resolved("talks/keynote-2018"),
            shown("[[talks/keynote-2018]]", "Keynote")
        );
    }

    #[test]
    fn ambiguous_and_unknown_names_are_errors() {
        let linkable = linkable();
        let Err(Unresolved::Several(candidates)) = linkable.resolve("Kubernetes") else {
            panic!("kubernetes is a project and a tag");
        };
        assert_eq!(
            candidates,
            [
                "the project Kubernetes ([[projects/kubernetes]])",
                "the tag kubernetes ([[tags/kubernetes]])"
            ]
        );
        assert_eq!(linkable.resolve("Nomad"), Err(Unresolved::Nothing));
        assert_eq!(linkable.resolve("tags/istio"), Err(Unresolved::Nothing));
        assert!(linkable.resolve("tags/Kubernetes").is_ok());
    }
}
