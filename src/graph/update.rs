//! The graph brought up to date in place after notes changed, touching only
//! what the edits reach: at 100,000 notes, making the whole graph again (or
//! a copy of it) takes most of a second, and `serve` reloads a page after a
//! title or tag edit in a fraction of that.

use std::collections::{BTreeMap, BTreeSet};

use super::names::Names;
use super::{
    BodyLinks, Entity, EntityKey, Graph, TalkLinks, add_profiles, gather, newest_first_order,
    related, slugs, talk_links,
};
use crate::content::Note;
use crate::documents::{Notes, ProfileFile};
use crate::entity::EntityKind;
use crate::ids::TalkId;
use crate::reads::Changed;

/// What the graph said before an update, of what the update changes: the
/// edited talks' links and the entities made again.
pub struct Before {
    /// The edited talks' links, by id.
    talks: BTreeMap<TalkId, TalkLinks>,
    /// The entities made again (`None`: there was none).
    entities: BTreeMap<EntityKey, Option<Entity>>,
}

impl Before {
    /// The entity `slug` of `kind` before, if it was made again.
    pub fn entity(&self, kind: EntityKind, slug: &str) -> Option<&Entity> {
        self.entities.get(&(kind, slug.to_string()))?.as_ref()
    }

    /// The entities talk `id` (an edited talk) named before.
    pub fn talk_entities(&self, id: TalkId) -> Vec<(EntityKind, &str)> {
        self.talks[&id].named().collect()
    }
}

impl Graph {
    /// Brings the graph up to date with `notes`, `profiles` and the body
    /// `links` (of which those of the talks in `relinked` changed), after the
    /// notes in `edited` (each with its id and previous version) changed in
    /// place since it was made, none added or removed:
    /// the graph is then the one [`Graph::build`] makes, and `changed` has
    /// what [`Graph::changes_since`] reports. Only the edited talks, the
    /// entities they name or named (and those with a profile), and the
    /// related talks the edits can affect are made again.
    pub fn update(
        &mut self,
        notes: Notes<'_>,
        profiles: &[ProfileFile],
        links: &[BodyLinks],
        relinked: &[TalkId],
        edited: &[(TalkId, &Note)],
        changed: &mut Changed,
    ) {
        let names = Names::new(profiles.iter().map(|p| &p.profile));
        if self.talks.len() != notes.len() || self.names != names {
            let built = Graph::build(notes, profiles, links);
            built.changes_since(self, changed);
            *self = built;
            return;
        }
        self.reorder(notes, edited, changed);
        let before = self.relink(notes, profiles, edited);
        self.link_back_again(links, relinked, changed);
        self.mention_again(links, relinked, &before, changed);
        self.rank_again(notes, edited, &before, changed);
        self.name_speakers_again(&before, changed);
        before.report(self, changed);
    }

    /// Puts the edited talks where their dates and titles now sort them.
    fn reorder(&mut self, notes: Notes<'_>, edited: &[(TalkId, &Note)], changed: &mut Changed) {
        let moved: BTreeSet<TalkId> = edited
            .iter()
            .filter(|(id, before)| {
                let now = &notes[*id];
                before.date != now.date || before.title != now.title
            })
            .map(|&(id, _)| id)
            .collect();
        if moved.is_empty() {
            return;
        }
        let before = self.newest_first.clone();
        self.newest_first.retain(|id| !moved.contains(id));
        for &id in &moved {
            let place = self.newest_first.partition_point(|&other| {
                newest_first_order(&notes[other], &notes[id]).then(other.cmp(&id))
                    == std::cmp::Ordering::Less
            });
            self.newest_first.insert(place, id);
        }
        if self.newest_first != before {
            changed.order();
        }
    }

    /// Makes the edited talks' links again, then the entities they name or
    /// named and those with a profile; returns what they were.
    pub(super) fn relink(
        &mut self,
        notes: Notes<'_>,
        profiles: &[ProfileFile],
        edited: &[(TalkId, &Note)],
    ) -> Before {
        let slugs = slugs(edited.iter().map(|&(id, _)| &notes[id]), &self.names);
        let mut talks = BTreeMap::new();
        let mut keys: BTreeSet<EntityKey> = BTreeSet::new();
        for &(id, _) in edited {
            let was = &self.talks[id];
            keys.extend(was.entity_keys());
            let now = TalkLinks {
                related: was.related.clone(),
                linked_from: was.linked_from.clone(),
                ..talk_links(&notes[id], &slugs)
            };
            keys.extend(now.entity_keys());
            let was = std::mem::replace(&mut self.talks[id], now);
            talks.entry(id).or_insert(was);
        }
        let with_profile = self.entities.values().filter(|e| e.profile.is_some());
        keys.extend(with_profile.map(|e| (e.kind, e.slug.clone())));
        keys.extend(
            profiles
                .iter()
                .map(|p| (p.profile.kind, p.profile.slug.clone())),
        );
        let position = self.positions();
        let edited: BTreeSet<TalkId> = talks.keys().copied().collect();
        let mut entities = BTreeMap::new();
        for key in keys {
            let was = self.entities.remove(&key);
            let before = was.as_ref().map_or(&[][..], |e| &e.talks[..]);
            let mut ids: Vec<TalkId> = before
                .iter()
                .copied()
                .filter(|id| !edited.contains(id))
                .collect();
            ids.extend(
                (edited.iter().copied()).filter(|&id| self.talks[id].slugs(key.0).contains(&key.1)),
            );
            ids.sort_by_key(|&id| position[id.index()]);
            ids.dedup();
            if let Some(entity) = gather(&key, ids, notes, &self.names) {
                self.entities.insert(key.clone(), entity);
            }
            entities.insert(key, was);
        }
        add_profiles(&mut self.entities, profiles);
        // Mentions are made again apart, from the lists as they were.
        for (key, was) in &entities {
            if let Some(entity) = self.entities.get_mut(key) {
                entity.mentioned_in = was.as_ref().map_or(Vec::new(), |e| e.mentioned_in.clone());
            }
        }
        Before { talks, entities }
    }

    /// Each talk's place in the order of the talks, newest first, by id.
    fn positions(&self) -> Vec<usize> {
        let mut position = vec![0; self.newest_first.len()];
        for (rank, &id) in self.newest_first.iter().enumerate() {
            position[id.index()] = rank;
        }
        position
    }

    /// Makes `linked_from` again for the talks the notes in `relinked`
    /// (whose links changed) link or linked to, and reports the talks whose
    /// list changed. Each list is in the order of the linking talks' ids.
    fn link_back_again(&mut self, links: &[BodyLinks], relinked: &[TalkId], changed: &mut Changed) {
        if relinked.is_empty() {
            return;
        }
        let relinked: BTreeSet<TalkId> = relinked.iter().copied().collect();
        let mut was: BTreeMap<TalkId, Vec<TalkId>> = BTreeMap::new();
        for (id, talk) in TalkId::all(self.talks.len()).zip(&mut self.talks) {
            if talk.linked_from.iter().any(|from| relinked.contains(from)) {
                was.insert(id, talk.linked_from.clone());
                talk.linked_from.retain(|from| !relinked.contains(from));
            }
        }
        for &from in &relinked {
            for &to in links[from.index()].talks.iter().filter(|&&to| to != from) {
                let list = &mut self.talks[to].linked_from;
                was.entry(to).or_insert_with(|| list.clone());
                if let Err(place) = list.binary_search(&from) {
                    list.insert(place, from);
                }
            }
        }
        for (id, list) in was {
            if self.talks[id].linked_from != list {
                changed.talk(id);
            }
        }
    }

    /// Makes `mentioned_in` again for the entities the edited talks and
    /// those in `relinked` mention or mentioned; an entity not made again
    /// whose list changed is reported. When an entity appeared, every
    /// note's mentions of it count: every list is made again.
    fn mention_again(
        &mut self,
        links: &[BodyLinks],
        relinked: &[TalkId],
        before: &Before,
        changed: &mut Changed,
    ) {
        let appeared = before
            .entities
            .iter()
            .any(|(key, was)| was.is_none() && self.entities.contains_key(key));
        let was = if appeared {
            self.mention_all_again(links)
        } else {
            let touched = relinked
                .iter()
                .chain(before.talks.keys())
                .copied()
                .collect();
            self.mention_some_again(links, &touched)
        };
        for (key, list) in was {
            let now = self.entities.get(&key).map(|e| &e.mentioned_in);
            if now != Some(&list) && !before.entities.contains_key(&key) {
                changed.entity(key.0, &key.1);
            }
        }
    }

    /// Makes every entity's `mentioned_in` again; returns the lists before.
    fn mention_all_again(&mut self, links: &[BodyLinks]) -> BTreeMap<EntityKey, Vec<TalkId>> {
        let mut mentioned: foldhash::HashMap<&EntityKey, Vec<TalkId>> = Default::default();
        for &id in &self.newest_first {
            let Some(linked) = links.get(id.index()) else {
                continue;
            };
            let talk = &self.talks[id];
            for key in &linked.entities {
                let ids = mentioned.entry(key).or_default();
                if !talk.slugs(key.0).contains(&key.1) && ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        }
        let mut was = BTreeMap::new();
        for (key, entity) in &mut self.entities {
            let now = mentioned.remove(key).unwrap_or_default();
            was.insert(
                key.clone(),
                std::mem::replace(&mut entity.mentioned_in, now),
            );
        }
        was
    }

    /// Makes `mentioned_in` again as far as the talks in `touched` go: each
    /// is taken out of every list and put back, in the order of the talks,
    /// in the lists of the entities its note mentions and does not name.
    /// Returns the lists it changed as they were.
    fn mention_some_again(
        &mut self,
        links: &[BodyLinks],
        touched: &BTreeSet<TalkId>,
    ) -> BTreeMap<EntityKey, Vec<TalkId>> {
        let mut was = BTreeMap::new();
        for (key, entity) in &mut self.entities {
            if entity.mentioned_in.iter().any(|id| touched.contains(id)) {
                was.insert(key.clone(), entity.mentioned_in.clone());
                entity.mentioned_in.retain(|id| !touched.contains(id));
            }
        }
        let position = self.positions();
        for &id in touched {
            let Some(linked) = links.get(id.index()) else {
                continue;
            };
            for key in &linked.entities {
                let named = self.talks[id].slugs(key.0).contains(&key.1);
                let Some(entity) = self.entities.get_mut(key).filter(|_| !named) else {
                    continue;
                };
                let list = &mut entity.mentioned_in;
                was.entry(key.clone()).or_insert_with(|| list.clone());
                let place = |other: &TalkId| position[other.index()];
                if let Err(at) = list.binary_search_by_key(&position[id.index()], place) {
                    list.insert(at, id);
                }
            }
        }
        was
    }

    /// Ranks again the related talks of the talks the edits can affect, and
    /// reports those whose related talks changed.
    fn rank_again(
        &mut self,
        notes: Notes<'_>,
        edited: &[(TalkId, &Note)],
        before: &Before,
        changed: &mut Changed,
    ) {
        let ids = related::affected(before, self, notes, edited);
        let ranked = related::rank_some(self, notes, &ids);
        for (id, related) in ids.into_iter().zip(ranked) {
            if self.talks[id].related != related {
                self.talks[id].related = related;
                changed.talk(id);
            }
        }
    }

    /// Names again the speakers of the edited talks, and of the talks of
    /// every speaker whose name changed; reports the talks whose speakers'
    /// names changed.
    fn name_speakers_again(&mut self, before: &Before, changed: &mut Changed) {
        let mut ids: BTreeSet<TalkId> = before.talks.keys().copied().collect();
        for (key, was) in &before.entities {
            if key.0 != EntityKind::Speaker {
                continue;
            }
            let now = self.entities.get(key);
            if now.map(|e| &e.name) != was.as_ref().map(|e| &e.name) {
                for entity in [now, was.as_ref()].into_iter().flatten() {
                    ids.extend(&entity.talks);
                }
            }
        }
        for id in ids {
            let names = self.named_speakers(id);
            if self.speaker_names[id.index()] != names {
                self.speaker_names[id.index()] = names;
                changed.talk(id);
            }
        }
    }
}

impl Before {
    /// Reports the edited talks whose links changed, and the entities made
    /// again that differ in `graph`, appeared or went away.
    fn report(&self, graph: &Graph, changed: &mut Changed) {
        for (&id, was) in &self.talks {
            if graph.talks[id] != *was {
                changed.talk(id);
            }
        }
        for (key, was) in &self.entities {
            let now = graph.entities.get(key);
            let same = match (was, now) {
                (Some(was), Some(now)) => was.same_but_talks(now),
                (None, None) => true,
                _ => false,
            };
            if !same {
                changed.entity(key.0, &key.1);
            }
            changed.entity_talks(key.0, &key.1, talks_of(was.as_ref()), talks_of(now));
        }
    }
}

/// The talks of `entity`, none if there is none.
fn talks_of(entity: Option<&Entity>) -> &[TalkId] {
    entity.map_or(&[], |e| &e.talks)
}
