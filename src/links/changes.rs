//! Which markdown renders differently after what notes can link to by name
//! changed (a title, a name, an alias, a profile came or went): `serve`
//! renders again only those notes and profiles, not every one.
//!
//! A body renders differently when one of its wikilinks leads elsewhere or
//! shows other text, or when it contains a name that became, or stopped
//! being, a mention, or now names another entity. Checking the second is
//! one linear pass over the body for the changed names.

use std::collections::BTreeSet;

use aho_corasick::AhoCorasick;

use super::Linkable;

/// What changed between two [`Linkable`]s, to ask of each body.
pub struct Changes<'a> {
    before: &'a Linkable,
    after: &'a Linkable,
    /// The names whose mention changed, if any.
    renamed: Option<AhoCorasick>,
}

impl Linkable {
    /// What changed from `self` to `after`.
    pub fn changes<'a>(&'a self, after: &'a Linkable) -> Changes<'a> {
        let before_names = self.mention_targets();
        let after_names = after.mention_targets();
        let changed: BTreeSet<&str> = before_names
            .symmetric_difference(&after_names)
            .map(|(name, _)| *name)
            .collect();
        let renamed = match changed.is_empty() {
            true => None,
            false => AhoCorasick::new(changed).ok(),
        };
        Changes {
            before: self,
            after,
            renamed,
        }
    }

    /// Each name prose mentions, with the URL it links to.
    fn mention_targets(&self) -> BTreeSet<(&str, String)> {
        let names = self.mentions.names().iter();
        names
            .map(|(name, i)| (name.as_str(), self.entities[*i].url()))
            .collect()
    }
}

impl Changes<'_> {
    /// Whether markdown `body`, whose wikilinks name `wikilinks` (without
    /// `#heading`), renders differently now.
    pub fn affect(&self, body: &str, wikilinks: &[String]) -> bool {
        let mentions = self.renamed.as_ref().is_some_and(|m| m.is_match(body));
        mentions
            || wikilinks
                .iter()
                .any(|name| self.before.outcome(name) != self.after.outcome(name))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::entity::EntityKind;
    use crate::links::{LinkableEntity, LinkableTalk, MentionRules};

    fn linkable(title: &str, projects: &[(&str, &[&str])]) -> Linkable {
        let talks = vec![LinkableTalk {
            source: PathBuf::from("content/talks/a.md"),
            slug: "a".into(),
            title: title.into(),
        }];
        let entities = projects
            .iter()
            .map(|(slug, names)| LinkableEntity {
                kind: EntityKind::Project,
                slug: slug.to_string(),
                name: names[0].into(),
                spellings: names.iter().map(|n| n.to_string()).collect(),
                profile: None,
            })
            .collect();
        let rules = MentionRules {
            enabled: true,
            exclude: &[],
        };
        Linkable::new(talks, entities, rules)
    }

    #[test]
    fn only_bodies_using_a_changed_name_render_differently() {
        let before = linkable("Talk A", &[("istio", &["Istio"]), ("helm", &["Helm"])]);
        let after = linkable(
            "Talk A, renamed",
            &[("istio", &["Istio"]), ("helm", &["Helm", "Helm Charts"])],
        );
        let changes = before.changes(&after);
        assert!(changes.affect("We use Helm Charts.", &[]));
        assert!(!changes.affect("We use Istio and Helm.", &[]));
        assert!(changes.affect("See the talk.", &["a".into()]));
        assert!(!changes.affect("See the mesh.", &["Istio".into()]));
        // A name nothing had, still nothing has: no change.
        assert!(!changes.affect("", &["Nomad".into()]));
    }
}
