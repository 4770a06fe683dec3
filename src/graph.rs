//! Every entity the notes mention and every cross-link between them.
//!
//! Notes are the source of truth: a speaker, project, tag or event exists
//! because a note names it (or a profile file describes it). Whatever links a
//! talk to an entity is listed on the entity's page too, and a note linking
//! to another note shows up as a backlink on the target.

pub mod names;
pub mod related;
mod update;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::content::when;
use crate::content::{Note, Profile};
use crate::diagnostics::Diagnostic;
use crate::documents::{Notes, ProfileFile};
use crate::entity::EntityKind;
use crate::ids::{ProfileId, TalkId, indexed_by};
use crate::links::{Linkable, LinkableEntity, LinkableTalk, MentionRules};
use crate::urls;
use names::Names;

use crate::reads::{self, Changed};

/// One speaker, project, tag or event.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Which kind.
    pub kind: EntityKind,
    /// URL slug.
    pub slug: String,
    /// Display name: the profile's `name`, else the first spelling seen.
    pub name: String,
    /// The talks that name it, newest first (read by [`Entity::talks`] and
    /// the accessors beside it, which report what a view read of it).
    talks: Vec<TalkId>,
    /// For speakers: the profile's affiliation, else that of their newest
    /// talk that gives one.
    pub affiliation: Option<String>,
    /// For speakers: the profile's role, else that of their newest talk
    /// that gives one.
    pub role: Option<String>,
    /// Its profile file, if any.
    pub profile: Option<ProfileId>,
    /// The talks whose notes link to it by a wikilink or a mention without
    /// naming it in their front matter, newest first.
    pub mentioned_in: Vec<TalkId>,
}

impl Entity {
    /// The talks that name it, newest first.
    pub fn talks(&self) -> &[TalkId] {
        reads::entity_talks(self.kind, &self.slug, usize::MAX);
        &self.talks
    }

    /// Its newest `n` talks (all of them when it has fewer).
    pub fn newest_talks(&self, n: usize) -> &[TalkId] {
        reads::entity_talks(self.kind, &self.slug, n);
        &self.talks[..n.min(self.talks.len())]
    }

    /// How many talks name it.
    pub fn talk_count(&self) -> usize {
        self.talk_count_up_to(usize::MAX)
    }

    /// How many talks name it, or `cap` when at least that many do: for
    /// what shows no difference past a size.
    pub fn talk_count_up_to(&self, cap: usize) -> usize {
        reads::entity_count(self.kind, &self.slug, cap);
        self.talks.len().min(cap)
    }

    /// Whether it is `other` but for its talks.
    fn same_but_talks(&self, other: &Entity) -> bool {
        let Entity {
            kind,
            slug,
            name,
            talks: _,
            affiliation,
            role,
            profile,
            mentioned_in,
        } = self;
        (kind, slug, name, affiliation, role, profile, mentioned_in)
            == (
                &other.kind,
                &other.slug,
                &other.name,
                &other.affiliation,
                &other.role,
                &other.profile,
                &other.mentioned_in,
            )
    }
}

/// What a talk's rendered markdown links to: the graph's input besides
/// the notes and profiles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyLinks {
    /// The talks it links to.
    pub talks: Vec<TalkId>,
    /// The entities it links to, by wikilink or mention.
    pub entities: Vec<EntityKey>,
}

/// An entity's identity: its kind and slug.
pub type EntityKey = (EntityKind, String);

/// The cross-links of one talk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TalkLinks {
    /// Speakers' slugs, in the note's order.
    pub speakers: Vec<String>,
    /// Projects' slugs.
    pub projects: Vec<String>,
    /// Tags' slugs.
    pub tags: Vec<String>,
    /// The event's slug.
    pub event: Option<String>,
    /// The [`reads::entity_key`] of each entity above, each once, in no
    /// particular order: made with them, by `talk_links`. Counting what
    /// thousands of talks name reads these rather than their slugs.
    pub entity_keys: Vec<u64>,
    /// Talks that share the most with this one, best first.
    pub related: Vec<TalkId>,
    /// Talks whose notes link to this one.
    pub linked_from: Vec<TalkId>,
}

indexed_by!(TalkLinks, TalkId, reported by crate::reads::talk);

impl TalkLinks {
    /// The slugs of the entities of `kind` the talk names.
    pub fn slugs(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Speaker => &self.speakers,
            EntityKind::Project => &self.projects,
            EntityKind::Tag => &self.tags,
            EntityKind::Event => self.event.as_slice(),
        }
    }

    /// The kind and slug of every entity the talk names, kind by kind.
    fn named(&self) -> impl Iterator<Item = (EntityKind, &str)> {
        EntityKind::ALL
            .into_iter()
            .flat_map(|kind| self.slugs(kind).iter().map(move |s| (kind, s.as_str())))
    }

    /// The kind and slug of every entity the talk names.
    fn entity_keys(&self) -> Vec<EntityKey> {
        self.named()
            .map(|(kind, slug)| (kind, slug.to_string()))
            .collect()
    }
}

/// The whole site's cross-links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// Every entity, by kind then slug.
    entities: BTreeMap<EntityKey, Entity>,
    /// Per talk, in the order of the site's notes.
    pub talks: Vec<TalkLinks>,
    /// Every talk, newest first.
    newest_first: Vec<TalkId>,
    /// Which entity each name is, as the profiles say.
    names: Names,
    /// Per talk, its speakers' names as their pages show them: derived
    /// from `talks` and `entities` once they are final.
    speaker_names: Vec<Vec<String>>,
}

impl Graph {
    /// Builds the graph. `links[i]` is what note `i` links to. Every
    /// name in a note makes a slug (checked when notes are read).
    pub fn build(notes: Notes<'_>, profiles: &[ProfileFile], links: &[BodyLinks]) -> Graph {
        let mut graph = Graph::unranked(notes, profiles, links);
        let related = related::rank(&graph, notes);
        for (links, related) in graph.talks.iter_mut().zip(related) {
            links.related = related;
        }
        graph.name_speakers();
        graph
    }

    /// Fills [`Graph::speaker_names`] from the talks' speakers and the
    /// entities' names.
    fn name_speakers(&mut self) {
        self.speaker_names = TalkId::all(self.talks.len())
            .map(|id| self.named_speakers(id))
            .collect();
    }

    /// The names of talk `id`'s speakers, as their entities give them.
    fn named_speakers(&self, id: TalkId) -> Vec<String> {
        self.talks[id]
            .speakers
            .iter()
            .filter_map(|slug| self.entity(EntityKind::Speaker, slug))
            .map(|e| e.name.clone())
            .collect()
    }

    /// Everything but related talks.
    fn unranked(notes: Notes<'_>, profiles: &[ProfileFile], links: &[BodyLinks]) -> Graph {
        let newest_first = newest_first(notes);
        let names = Names::new(profiles.iter().map(|p| &p.profile));
        let slugs = slugs(notes.iter(), &names);
        let mut talks: Vec<TalkLinks> = notes.iter().map(|n| talk_links(n, &slugs)).collect();
        // Entities, found in newest-first order: a name's first spelling and
        // a speaker's newest affiliation win.
        let mut found: HashMap<(EntityKind, &str), Entity> = HashMap::new();
        for &id in &newest_first {
            let note = &notes[id];
            for (kind, name) in mentions(note) {
                let slug = slugs[&(kind, name)].as_str();
                if slug.is_empty() {
                    continue;
                }
                let entity = found.entry((kind, slug)).or_insert_with(|| Entity {
                    kind,
                    slug: slug.to_string(),
                    name: name.to_string(),
                    talks: Vec::new(),
                    affiliation: None,
                    role: None,
                    profile: None,
                    mentioned_in: Vec::new(),
                });
                if entity.talks.last() != Some(&id) {
                    entity.talks.push(id);
                }
            }
            for speaker in &note.speakers {
                let slug = slugs[&(EntityKind::Speaker, speaker.name.as_str())].as_str();
                if let Some(entity) = found.get_mut(&(EntityKind::Speaker, slug)) {
                    if entity.affiliation.is_none() {
                        entity.affiliation.clone_from(&speaker.affiliation);
                    }
                    if entity.role.is_none() {
                        entity.role.clone_from(&speaker.role);
                    }
                }
            }
        }
        let mut entities: BTreeMap<EntityKey, Entity> = found
            .into_values()
            .map(|e| ((e.kind, e.slug.clone()), e))
            .collect();
        add_profiles(&mut entities, profiles);
        link_back(&mut talks, links);
        add_mentions(&mut entities, &talks, links, &newest_first);
        Graph {
            entities,
            talks,
            newest_first,
            speaker_names: Vec::new(),
            names,
        }
    }

    /// The entity of `kind` with `slug`.
    pub fn entity(&self, kind: EntityKind, slug: &str) -> Option<&Entity> {
        reads::entity(kind, slug);
        self.entities.get(&(kind, slug.to_string()))
    }

    /// Every entity, by kind then slug.
    pub fn entities(&self) -> &BTreeMap<EntityKey, Entity> {
        reads::every_kind();
        &self.entities
    }

    /// Every talk, newest first.
    pub fn newest_first(&self) -> &[TalkId] {
        reads::order();
        &self.newest_first
    }

    /// Every entity of one kind, by slug.
    pub fn of_kind(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        reads::kind(kind);
        self.entities
            .range((kind, String::new())..)
            .map(|(_, e)| e)
            .take_while(move |e| e.kind == kind)
    }

    /// Reports to `changed` what differs in this graph from `before`, a
    /// graph of the same notes (none added or removed since): the talks
    /// whose links or speakers' names differ, the entities that differ,
    /// appeared or went away, and the order of the talks.
    pub fn changes_since(&self, before: &Graph, changed: &mut Changed) {
        let talks = self.talks.iter().zip(&before.talks);
        let names = self.speaker_names.iter().zip(&before.speaker_names);
        for (index, ((now, was), (names_now, names_were))) in talks.zip(names).enumerate() {
            if now != was || names_now != names_were {
                changed.talk(TalkId::new(index));
            }
        }
        for (key, entity) in &self.entities {
            let was = before.entities.get(key);
            if !was.is_some_and(|was| was.same_but_talks(entity)) {
                changed.entity(key.0, &key.1);
            }
            let talks_before = was.map_or(&[][..], |e| &e.talks);
            changed.entity_talks(key.0, &key.1, talks_before, &entity.talks);
        }
        for (key, was) in &before.entities {
            if !self.entities.contains_key(key) {
                changed.entity(key.0, &key.1);
                changed.entity_talks(key.0, &key.1, &was.talks, &[]);
            }
        }
        if self.newest_first != before.newest_first {
            changed.order();
        }
    }

    /// The slugs of the entities of `kind` that talk `id` names.
    pub fn talk_entities(&self, id: TalkId, kind: EntityKind) -> Vec<&str> {
        self.talks[id]
            .slugs(kind)
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// The names of the speakers of talk `id`, as their pages show them
    /// (a profile's `name`), in the note's order.
    pub fn speaker_names(&self, id: TalkId) -> &[String] {
        reads::talk(id);
        self.speaker_names
            .get(id.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The profiles that no talk refers to, in source order.
    pub fn unreferenced_profiles(&self) -> Vec<ProfileId> {
        let mut unreferenced: Vec<ProfileId> = self
            .entities
            .values()
            .filter(|e| e.talks.is_empty() && e.mentioned_in.is_empty())
            .filter_map(|e| e.profile)
            .collect();
        unreferenced.sort_unstable();
        unreferenced
    }
}

/// Whether the graph reads the same from two versions of a note: the names
/// it mentions (and speakers' affiliations and roles), and the date and
/// title it is sorted by. Links between notes and profiles are the graph's
/// other inputs.
pub fn same_inputs(a: &Note, b: &Note) -> bool {
    let speakers = |n: &Note| -> Vec<(String, Option<String>, Option<String>)> {
        n.speakers
            .iter()
            .map(|s| (s.name.clone(), s.affiliation.clone(), s.role.clone()))
            .collect()
    };
    a.date == b.date
        && a.title == b.title
        && a.event == b.event
        && a.projects == b.projects
        && a.tags == b.tags
        && speakers(a) == speakers(b)
}

/// Every name a note mentions, with its kind: projects, tags, the event,
/// speakers.
fn mentions(note: &Note) -> impl Iterator<Item = (EntityKind, &str)> {
    let projects = note
        .projects
        .iter()
        .map(|p| (EntityKind::Project, p.as_str()));
    let tags = note.tags.iter().map(|t| (EntityKind::Tag, t.as_str()));
    let event = note.event.iter().map(|e| (EntityKind::Event, e.as_str()));
    let speakers = note
        .speakers
        .iter()
        .map(|s| (EntityKind::Speaker, s.name.as_str()));
    projects.chain(tags).chain(event).chain(speakers)
}

/// The slugs of the entities a note names (names without one are left out).
fn talk_links(note: &Note, slugs: &Slugs) -> TalkLinks {
    let slugs_of = |kind, names: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        names
            .map(|name| &slugs[&(kind, name.as_str())])
            .filter(|slug| !slug.is_empty())
            .cloned()
            .collect()
    };
    let speakers = &mut note.speakers.iter().map(|s| &s.name);
    let mut links = TalkLinks {
        speakers: slugs_of(EntityKind::Speaker, speakers),
        projects: slugs_of(EntityKind::Project, &mut note.projects.iter()),
        tags: slugs_of(EntityKind::Tag, &mut note.tags.iter()),
        event: slugs_of(EntityKind::Event, &mut note.event.iter()).pop(),
        entity_keys: Vec::new(),
        related: Vec::new(),
        linked_from: Vec::new(),
    };
    let mut keys: Vec<u64> = (links.named())
        .map(|(kind, slug)| reads::entity_key(kind, slug))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    links.entity_keys = keys;
    links
}

/// The slug of the entity each name of each kind names.
type Slugs<'a> = HashMap<(EntityKind, &'a str), String>;

/// Each name the notes mention, made a slug once (names repeat).
fn slugs<'a>(notes: impl IntoIterator<Item = &'a Note>, names: &Names) -> Slugs<'a> {
    let mut slugs = HashMap::new();
    for note in notes {
        for (kind, name) in mentions(note) {
            slugs
                .entry((kind, name))
                .or_insert_with(|| names.slug(kind, name));
        }
    }
    slugs
}

/// The entity `key` as its talks `ids` (newest first) make it, before any
/// profile: its first spelling, and for a speaker the newest affiliation
/// and role; `None` without talks.
fn gather(key: &EntityKey, ids: Vec<TalkId>, notes: Notes<'_>, names: &Names) -> Option<Entity> {
    let (kind, slug) = (key.0, key.1.as_str());
    let first = &notes[*ids.first()?];
    let name = mentions(first)
        .find(|&(k, name)| k == kind && names.slug(kind, name) == slug)
        .map_or_else(|| slug.to_string(), |(_, name)| name.to_string());
    let (mut affiliation, mut role) = (None, None);
    if kind == EntityKind::Speaker {
        let speakers: Vec<_> = ids
            .iter()
            .flat_map(|&id| &notes[id].speakers)
            .filter(|s| names.slug(kind, &s.name) == slug)
            .collect();
        affiliation = speakers.iter().find_map(|s| s.affiliation.clone());
        role = speakers.iter().find_map(|s| s.role.clone());
    }
    Some(Entity {
        kind,
        slug: slug.to_string(),
        name,
        talks: ids,
        affiliation,
        role,
        profile: None,
        mentioned_in: Vec::new(),
    })
}

/// Gives the entities with a profile file its index, and its name,
/// affiliation and role where it sets them (making entities no note names).
fn add_profiles(entities: &mut BTreeMap<EntityKey, Entity>, profiles: &[ProfileFile]) {
    for (id, ProfileFile { profile, .. }) in ProfileId::all(profiles.len()).zip(profiles) {
        let entity = entry(entities, profile.kind, &profile.slug, || {
            profile.slug.clone()
        });
        entity.profile = Some(id);
        if let Some(name) = &profile.name {
            entity.name.clone_from(name);
        }
        if profile.affiliation.is_some() {
            entity.affiliation.clone_from(&profile.affiliation);
        }
        if profile.role.is_some() {
            entity.role.clone_from(&profile.role);
        }
    }
}

/// Records on each talk the talks that link to it (`links[i]`: what note
/// `i` links to).
fn link_back(talks: &mut [TalkLinks], links: &[BodyLinks]) {
    for (from, targets) in TalkId::all(links.len()).zip(links) {
        for &to in &targets.talks {
            if to != from && !talks[to].linked_from.contains(&from) {
                talks[to].linked_from.push(from);
            }
        }
    }
}

/// Fills each entity's `mentioned_in` with the talks (newest first) whose
/// markdown links to it, of those that do not name it (`talks`).
fn add_mentions(
    entities: &mut BTreeMap<EntityKey, Entity>,
    talks: &[TalkLinks],
    links: &[BodyLinks],
    newest_first: &[TalkId],
) {
    for entity in entities.values_mut() {
        entity.mentioned_in.clear();
    }
    for &id in newest_first {
        let Some(linked) = links.get(id.index()) else {
            continue;
        };
        if linked.entities.is_empty() {
            continue;
        }
        let named = talks[id].entity_keys();
        for key in &linked.entities {
            if named.contains(key) {
                continue;
            }
            if let Some(entity) = entities.get_mut(key)
                && entity.mentioned_in.last() != Some(&id)
            {
                entity.mentioned_in.push(id);
            }
        }
    }
}

/// Whether [`linkable`] makes the same entities after a note changed from
/// `before` to `after` (`linkable` and `graph` as made before): each entity
/// either names is written one way only, has no profile, and those
/// `before` alone names have other talks. Then only the note's talk (its
/// title) may differ ([`Linkable::retitle`]). `false` is always safe.
pub fn same_linkable_entities(
    linkable: &Linkable,
    graph: &Graph,
    profiles: &[ProfileFile],
    before: &Note,
    after: &Note,
) -> bool {
    let names = Names::new(profiles.iter().map(|p| &p.profile));
    let was: BTreeSet<(EntityKind, &str)> = mentions(before).collect();
    let is: BTreeSet<(EntityKind, &str)> = mentions(after).collect();
    was.union(&is).all(|&(kind, name)| {
        let slug = names.slug(kind, name);
        if slug.is_empty() {
            return true;
        }
        let one_spelling = linkable.entity_with_slug(kind, &slug).is_some_and(|e| {
            e.profile.is_none() && e.spellings.len() == 1 && e.spellings.contains(name)
        });
        let kept = is.contains(&(kind, name))
            || graph
                .entity(kind, &slug)
                .is_some_and(|e| e.talk_count_up_to(2) == 2);
        one_spelling && kept
    })
}

/// What notes can link to by name, before their markdown is rendered:
/// every note's talk, and every entity notes' front matter names or a
/// profile describes, with every spelling of it; mentions follow `rules`.
pub fn linkable<'a>(
    notes: &[&'a Note],
    profiles: impl Iterator<Item = &'a Profile> + Clone,
    rules: MentionRules<'_>,
) -> Linkable {
    let talks = notes
        .iter()
        .map(|note| LinkableTalk {
            source: note.source.clone(),
            slug: note.slug.clone(),
            title: note.title.clone(),
        })
        .collect();
    let names = Names::new(profiles.clone());
    // As `Graph::build` names entities: newest first, the first spelling wins.
    let mut order: Vec<usize> = (0..notes.len()).collect();
    order.sort_by(|&a, &b| newest_first_order(notes[a], notes[b]));
    let mut entities: BTreeMap<EntityKey, LinkableEntity> = BTreeMap::new();
    for note in order.into_iter().map(|i| notes[i]) {
        for (kind, name) in mentions(note) {
            let slug = names.slug(kind, name);
            if slug.is_empty() {
                continue;
            }
            let entity = entities
                .entry((kind, slug.clone()))
                .or_insert_with(|| LinkableEntity {
                    kind,
                    slug,
                    name: name.to_string(),
                    spellings: BTreeSet::new(),
                    profile: None,
                });
            entity.spellings.insert(name.to_string());
        }
    }
    for profile in profiles {
        let key = (profile.kind, profile.slug.clone());
        let entity = entities.entry(key).or_insert_with(|| LinkableEntity {
            kind: profile.kind,
            slug: profile.slug.clone(),
            name: profile.slug.clone(),
            spellings: BTreeSet::new(),
            profile: None,
        });
        if let Some(name) = &profile.name {
            entity.name.clone_from(name);
        }
        entity.spellings.extend(profile.name.iter().cloned());
        entity.spellings.extend(profile.aliases.iter().cloned());
        entity.profile = Some(profile.source.clone());
    }
    Linkable::new(talks, entities.into_values().collect(), rules)
}

fn entry<'m>(
    entities: &'m mut BTreeMap<EntityKey, Entity>,
    kind: EntityKind,
    slug: &str,
    name: impl FnOnce() -> String,
) -> &'m mut Entity {
    entities
        .entry((kind, slug.to_string()))
        .or_insert_with(|| Entity {
            kind,
            slug: slug.to_string(),
            name: name(),
            talks: Vec::new(),
            affiliation: None,
            role: None,
            profile: None,
            mentioned_in: Vec::new(),
        })
}

/// Talk ids sorted newest day first, a day's talks by time; undated talks
/// last, then by title.
fn newest_first(notes: Notes<'_>) -> Vec<TalkId> {
    let mut ids: Vec<TalkId> = notes.ids().collect();
    ids.sort_by(|&a, &b| newest_first_order(&notes[a], &notes[b]));
    ids
}

/// The order of talks newest first: by day, a day's talks by time; undated
/// talks last, then by title.
fn newest_first_order(a: &Note, b: &Note) -> std::cmp::Ordering {
    when::newest_day_first(a.date.as_ref(), b.date.as_ref()).then_with(|| a.title.cmp(&b.title))
}

/// Notes whose slugs collide: one error per group of notes that would share
/// a URL, naming every file of the group, on the first of them.
pub fn slug_collisions(notes: Notes<'_>) -> Vec<Diagnostic> {
    // `serve` checks this at every reload: one fast hash of each slug, and
    // nothing made for a slug seen once (a map of every slug to its notes
    // took most of a reload at 100,000 notes).
    let mut seen: foldhash::HashSet<&str> = foldhash::HashSet::default();
    seen.reserve(notes.len());
    let clashing: BTreeSet<&str> = notes
        .iter()
        .filter(|note| !seen.insert(&note.slug))
        .map(|note| note.slug.as_str())
        .collect();
    if clashing.is_empty() {
        return Vec::new();
    }
    let mut clashes: BTreeMap<&str, Vec<&Note>> = BTreeMap::new();
    for note in notes.iter().filter(|n| clashing.contains(n.slug.as_str())) {
        clashes.entry(&note.slug).or_default().push(note);
    }
    clashes
        .into_iter()
        .map(|(slug, group)| {
            let files: Vec<String> = group
                .iter()
                .map(|n| format!("`{}`", n.source.display()))
                .collect();
            Diagnostic::in_file(
                &group[0].source,
                format!(
                    "{} notes would have the same URL /{}: {}",
                    group.len(),
                    urls::talk(slug),
                    files.join(", ")
                ),
            )
            .with_hint(
                "give each but one a `slug` of its own in its front matter, or make every URL \
                 unique with `[content] slug = \"{folder}-{stem}\"` in book.toml",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::content::Profile;
    use crate::content::keys::KeyMap;
    use crate::documents::Talk;
    use crate::markdown::Rendered;

    fn talks(notes: Vec<Note>) -> Vec<Talk> {
        notes
            .into_iter()
            .map(|note| Talk {
                note,
                body: Rendered::default(),
            })
            .collect()
    }

    fn files(profiles: Vec<Profile>) -> Vec<ProfileFile> {
        profiles
            .into_iter()
            .map(|profile| ProfileFile {
                profile,
                body: Rendered::default(),
            })
            .collect()
    }

    fn ids(ids: &[usize]) -> Vec<TalkId> {
        ids.iter().map(|&i| TalkId::new(i)).collect()
    }

    /// Seeded random notes and profiles.
    struct Dice(StdRng);

    impl Dice {
        fn new(seed: u64) -> Dice {
            Dice(StdRng::seed_from_u64(seed))
        }

        fn roll(&mut self, sides: usize) -> usize {
            self.0.random_range(0..sides)
        }

        fn names(&mut self, prefix: &str, pool: usize, most: usize) -> String {
            let names: Vec<String> = (0..self.roll(most + 1))
                .map(|_| format!("\"{prefix} {}\"", self.roll(pool)))
                .collect();
            names.join(", ")
        }

        /// Speakers spelled two ways, some with an affiliation.
        fn speakers(&mut self) -> String {
            let speakers: Vec<String> = (0..self.roll(3))
                .map(|_| {
                    let prefix = ["speaker", "Speaker"][self.roll(2)];
                    let name = format!("\"{prefix} {}\"", self.roll(12));
                    match self.roll(3) {
                        0 => name,
                        1 => format!("{{ name = {name} }}"),
                        _ => format!(
                            "{{ name = {name}, affiliation = \"Org {}\" }}",
                            self.roll(3)
                        ),
                    }
                })
                .collect();
            speakers.join(", ")
        }
    }

    /// Some of a few profiles: with or without a name, an affiliation, a
    /// role, aliases or a slug, of entities notes name or not.
    fn profiles(dice: &mut Dice) -> Vec<Profile> {
        let all = [
            (
                EntityKind::Speaker,
                "speaker-3",
                "name = \"Speaker Three\"\naffiliation = \"Home\"",
            ),
            (EntityKind::Speaker, "speaker-4", "role = \"CTO\""),
            (
                EntityKind::Speaker,
                "s5",
                "slug = \"speaker-5\"\naliases = [\"Speaker 6\", \"speaker-7\"]",
            ),
            (EntityKind::Tag, "tag-2", "name = \"Tag Two\""),
            (EntityKind::Event, "conf-1", ""),
            (EntityKind::Project, "nobody-names-me", ""),
        ];
        all.iter()
            .filter(|_| dice.roll(2) == 0)
            .map(|(kind, slug, front)| {
                let source = format!("content/{}/{slug}.md", kind.folder());
                let text = format!("+++\n{front}\n+++\nBio.\n");
                Profile::parse(*kind, Path::new(&source), &text, &KeyMap::default()).unwrap()
            })
            .collect()
    }

    /// A note with front matter drawn from small pools, so that talks share
    /// speakers, tags and events, and dates and titles tie.
    fn note(id: usize, dice: &mut Dice) -> Note {
        let mut tags = dice.names("tag", 6, 2);
        if dice.roll(10) < 6 {
            // Named by about as many talks as "too common" allows.
            tags = format!("\"k8s\", {tags}");
        }
        let text = format!(
            "+++\ntitle = \"Talk {}\"\ndate = 2024-01-0{}\nevent = \"Conf {}\"\nspeakers = [{}]\nprojects = [{}]\ntags = [{}]\n+++\nBody\n",
            dice.roll(4),
            1 + dice.roll(4),
            dice.roll(3),
            dice.speakers(),
            dice.names("project", 20, 1),
            tags.trim_end_matches(", "),
        );
        Note::parse(
            Path::new(&format!("content/t{id:03}.md")),
            &text,
            &Default::default(),
        )
        .unwrap()
    }

    /// `graph` brought up to date after the notes in `edited` changed, and
    /// the links of those in `relinked` (`links`: the links and those): it
    /// reports what [`Graph::changes_since`] finds.
    fn updated(
        graph: &Graph,
        notes: Notes<'_>,
        profiles: &[ProfileFile],
        (links, relinked): (&[BodyLinks], &[TalkId]),
        edited: &[(TalkId, &Note)],
    ) -> Graph {
        let mut updated = graph.clone();
        let mut changed = Changed::default();
        updated.update(notes, profiles, links, relinked, edited, &mut changed);
        let mut found = Changed::default();
        updated.changes_since(graph, &mut found);
        assert_eq!(changed, found, "what the update reports");
        updated
    }

    #[test]
    fn inputs_are_names_dates_and_titles() {
        let a = note(0, &mut Dice::new(1));
        let mut b = a.clone();
        b.body = "Another body".into();
        b.speakers.iter_mut().for_each(|s| s.url = None);
        assert!(same_inputs(&a, &b));
        let mut roles = a.clone();
        roles.speakers.push(crate::content::Speaker {
            name: "Ada".into(),
            affiliation: None,
            role: None,
            url: None,
        });
        let mut cto = roles.clone();
        cto.speakers[a.speakers.len()].role = Some("CTO".into());
        assert!(!same_inputs(&roles, &cto));
        b.title.push('!');
        assert!(!same_inputs(&a, &b));
        let mut c = a.clone();
        c.speakers.push(crate::content::Speaker {
            name: "Ada".into(),
            affiliation: None,
            role: None,
            url: None,
        });
        assert!(!same_inputs(&a, &c));
    }

    #[test]
    fn update_after_edits_equals_build() {
        let mut dice = Dice::new(7);
        let mut talks = talks((0..80).map(|id| note(id, &mut dice)).collect());
        let mut links = vec![BodyLinks::default(); talks.len()];
        let mut profiles = Vec::new();
        let mut graph = Graph::build(Notes(&talks), &profiles, &links);
        for round in 0..200 {
            let before = talks.clone();
            if dice.roll(4) == 0 {
                profiles = files(self::profiles(&mut dice));
            }
            let mut relinked = Vec::new();
            if dice.roll(4) == 0 {
                let from = dice.roll(80);
                relinked.push(TalkId::new(from));
                links[from].talks = (0..dice.roll(3))
                    .map(|_| TalkId::new(dice.roll(80)))
                    .collect();
                // Mentions of entities the talk may or may not name, and of
                // one only a profile makes.
                let tag = (dice.roll(2) == 0).then(|| (EntityKind::Tag, "tag-2".to_string()));
                let unnamed = (dice.roll(2) == 0)
                    .then(|| (EntityKind::Project, "nobody-names-me".to_string()));
                links[from].entities = (0..dice.roll(3))
                    .map(|_| (EntityKind::Project, format!("project-{}", dice.roll(20))))
                    .chain(tag)
                    .chain(unnamed)
                    .collect();
            }
            let ids: Vec<TalkId> = (0..1 + dice.roll(3))
                .map(|_| TalkId::new(dice.roll(80)))
                .collect();
            for &id in &ids {
                let fresh = note(id.index(), &mut dice);
                let edited = &mut talks[id].note;
                match dice.roll(4) {
                    0 => edited.title = fresh.title,
                    1 => edited.date = fresh.date,
                    2 => edited.tags = fresh.tags,
                    _ => *edited = fresh,
                }
            }
            let edited: Vec<(TalkId, &Note)> =
                ids.iter().map(|&id| (id, &before[id].note)).collect();
            let notes = Notes(&talks);
            let rebuilt = updated(&graph, notes, &profiles, (&links, &relinked), &edited);
            let built = Graph::build(Notes(&talks), &profiles, &links);
            assert!(rebuilt == built, "round {round}: edits of {ids:?} differ");
            graph = rebuilt;
        }
    }

    /// A note of a site whose three big tags each have more talks than the
    /// candidates taken from one entity, about four a day over two years
    /// (so that titles order many of a day's talks). Talks share
    /// few speakers and projects, so that most rankings are decided by the
    /// tags' weights and by dates.
    fn note_of_big_tags(id: usize, dice: &mut Dice) -> Note {
        let text = format!(
            "+++\ntitle = \"Talk {}\"\ndate = {}-0{}-1{}\nevent = \"Conf {}\"\nspeakers = [{}]\nprojects = [{}]\ntags = [{}]\n+++\nBody\n",
            dice.roll(50),
            2000 + dice.roll(2),
            1 + dice.roll(9),
            dice.roll(10),
            dice.roll(4),
            dice.names("speaker", 300, 1),
            dice.names("project", 300, 1),
            format!(
                "{}, {}",
                dice.names("big", 3, 2),
                dice.names("small", 12, 1)
            )
            .trim_matches([',', ' ']),
        );
        Note::parse(
            Path::new(&format!("content/t{id:03}.md")),
            &text,
            &Default::default(),
        )
        .unwrap()
    }

    #[test]
    fn update_after_edits_of_big_tags_equals_build() {
        let mut dice = Dice::new(11);
        let n = 700;
        let mut talks = talks((0..n).map(|id| note_of_big_tags(id, &mut dice)).collect());
        let links = vec![BodyLinks::default(); n];
        let mut graph = Graph::build(Notes(&talks), &[], &links);
        let biggest = graph.of_kind(EntityKind::Tag).map(Entity::talk_count).max();
        assert!(biggest > Some(related::CANDIDATES_PER_ENTITY));
        for round in 0..150 {
            let before = talks.clone();
            let ids: Vec<TalkId> = (0..1 + dice.roll(2))
                .map(|_| TalkId::new(dice.roll(n)))
                .collect();
            for &id in &ids {
                let fresh = note_of_big_tags(id.index(), &mut dice);
                let edited = &mut talks[id].note;
                match dice.roll(8) {
                    0 => edited.title = fresh.title,
                    1 => edited.date = fresh.date,
                    2 => edited.speakers = fresh.speakers,
                    _ => edited.tags = fresh.tags,
                }
            }
            let edited: Vec<(TalkId, &Note)> =
                ids.iter().map(|&id| (id, &before[id].note)).collect();
            let rebuilt = updated(&graph, Notes(&talks), &[], (&links, &[]), &edited);
            let built = Graph::build(Notes(&talks), &[], &links);
            assert!(rebuilt == built, "round {round}: edits of {ids:?} differ");
            graph = rebuilt;
        }
    }

    #[test]
    fn a_talk_joining_a_big_tag_past_its_newest_ranks_few_talks_again() {
        let mut dice = Dice::new(12);
        let n = 700;
        let before = talks((0..n).map(|id| note_of_big_tags(id, &mut dice)).collect());
        let links = vec![BodyLinks::default(); n];
        let graph = Graph::build(Notes(&before), &[], &links);
        let tag = graph.entity(EntityKind::Tag, "big-0").unwrap();
        let tagged = tag.talk_count();
        let newest = tag.newest_talks(related::CANDIDATES_PER_ENTITY).to_vec();
        // The oldest talk without the tag, and a count the tag's weight
        // rounds the same as one more.
        let id = *graph
            .newest_first()
            .iter()
            .rev()
            .find(|id| !graph.talks[**id].tags.contains(&"big-0".to_string()))
            .unwrap();
        assert!(!newest.contains(&id));
        let mut after = before.clone();
        after[id].note.tags.push("big-0".into());
        let edited = [(id, &before[id].note)];
        let rebuilt = updated(&graph, Notes(&after), &[], (&links, &[]), &edited);
        assert!(rebuilt == Graph::build(Notes(&after), &[], &links));
        let mut relinked = graph.clone();
        let was = relinked.relink(Notes(&after), &[], &edited);
        let again = related::affected(&was, &relinked, Notes(&after), &edited);
        assert!(
            again.len() < tagged / 2,
            "{} of the tag's {tagged} talks ranked again",
            again.len()
        );
    }

    #[test]
    fn a_title_moving_a_talk_out_of_a_tags_newest_ranks_the_tags_talks_again() {
        // Tags "t" and "u" each have more talks than the candidates taken
        // from one (200): "subject" and the two oldest, "p" and "q" (one
        // day, sorted by title), name both. Of those two only "p" is among
        // the newest of "t", so "subject" ranks it first. Retitled after
        // "q", "p" leaves them and "q" takes its place.
        let tagged = |file: &str, date: &str, tags: &str| {
            parse_note(file, &format!("date = {date}\ntags = [{tags}]"))
        };
        let mut notes = vec![tagged("subject", "2030-01-01", "\"t\", \"u\"")];
        let day = |i: usize| format!("{}-01-{:02}", 2029 - i / 28, 1 + i % 28);
        notes.extend((0..198).map(|i| tagged(&format!("a{i}"), &day(i), "\"t\"")));
        notes.extend((0..199).map(|i| tagged(&format!("b{i}"), &day(i), "\"u\"")));
        notes.extend((0..420).map(|i| tagged(&format!("filler{i}"), "1990-01-01", "")));
        let mut p = tagged("p", "2000-01-01", "\"t\", \"u\"");
        p.title = "A".into();
        let mut q = tagged("q", "2000-01-01", "\"t\", \"u\"");
        q.title = "B".into();
        notes.extend([p, q]);
        let before = talks(notes);
        let (p, q) = (TalkId::new(before.len() - 2), TalkId::new(before.len() - 1));
        let links = vec![BodyLinks::default(); before.len()];
        let graph = Graph::build(Notes(&before), &[], &links);
        let subject = TalkId::new(0);
        assert_eq!(graph.talks[subject].related[0], p);
        let mut after = before.clone();
        after[p].note.title = "C".into();
        let edited = [(p, &before[p].note)];
        let rebuilt = updated(&graph, Notes(&after), &[], (&links, &[]), &edited);
        assert!(rebuilt == Graph::build(Notes(&after), &[], &links));
        assert_eq!(rebuilt.talks[subject].related[0], q);
    }

    #[test]
    fn a_talk_moving_a_big_tags_count_to_another_step_ranks_all_its_talks_again() {
        // "subject" names tags "a" (255 talks, the last before a step) and
        // "b" (240 talks, the same step): the talks sharing either weigh
        // the same, and the newest win, those of "a". When "lone", old and
        // sharing nothing, joins "a", "a" weighs less and those of "b" win.
        let mut notes = vec![parse_note(
            "subject",
            "date = 2025-01-01\ntags = [\"a\", \"b\"]",
        )];
        let dated = |prefix: &str, count: usize, year: usize, tags: &str| -> Vec<Note> {
            (0..count)
                .map(|i| {
                    let day = 1 + i % 28;
                    let front = format!("date = {year}-01-{day:02}\ntags = [{tags}]");
                    parse_note(&format!("{prefix}{i}"), &front)
                })
                .collect()
        };
        notes.extend(dated("a", 254, 2020, "\"a\""));
        notes.extend(dated("b", 239, 2010, "\"b\""));
        notes.extend(dated("filler", 605, 2000, ""));
        notes.push(parse_note("lone", "date = 1990-01-01"));
        let before = talks(notes);
        let lone = TalkId::new(before.len() - 1);
        let links = vec![BodyLinks::default(); before.len()];
        let graph = Graph::build(Notes(&before), &[], &links);
        let related_names = |graph: &Graph, talks: &[Talk]| -> Vec<String> {
            let subject = &graph.talks[TalkId::new(0)].related;
            subject
                .iter()
                .map(|&id| talks[id].note.tags.join(","))
                .collect()
        };
        assert_eq!(related_names(&graph, &before), vec!["a"; 5]);
        let mut after = before.clone();
        after[lone].note.tags.push("a".into());
        let edited = [(lone, &before[lone].note)];
        let rebuilt = updated(&graph, Notes(&after), &[], (&links, &[]), &edited);
        assert!(rebuilt == Graph::build(Notes(&after), &[], &links));
        assert_eq!(related_names(&rebuilt, &after), vec!["b"; 5]);
    }

    fn parse_note(file: &str, front: &str) -> Note {
        let text = format!("+++\ntitle = \"{file}\"\n{front}\n+++\n");
        Note::parse(
            Path::new(&format!("content/{file}.md")),
            &text,
            &crate::content::KeyMap::default(),
        )
        .unwrap()
    }

    fn parse_profile(kind: EntityKind, slug: &str, front: &str) -> Profile {
        let source = format!("content/{}/{slug}.md", kind.folder());
        let text = format!("+++\n{front}\n+++\n");
        Profile::parse(kind, Path::new(&source), &text, &KeyMap::default()).unwrap()
    }

    #[test]
    fn names_a_profile_claims_are_its_entity() {
        let notes = talks(vec![
            parse_note("a", "date = 2024-01-02\nspeakers = [\"abigail-dogbe\"]"),
            parse_note(
                "b",
                "date = 2024-01-01\nspeakers = [{ name = \"Abi\", affiliation = \"Old\", role = \"Dev\" }]",
            ),
            parse_note("c", "tags = [\"Abi\"]"),
        ]);
        let profile = parse_profile(
            EntityKind::Speaker,
            "abigail-dogbe",
            "name = \"Abigail Mesrenyame Dogbe\"\naliases = [\"Abi\"]\naffiliation = \"ACME\"",
        );
        let graph = Graph::build(
            Notes(&notes),
            &files(vec![profile]),
            &[
                BodyLinks::default(),
                BodyLinks::default(),
                BodyLinks::default(),
            ],
        );
        let abi = graph.entity(EntityKind::Speaker, "abigail-dogbe").unwrap();
        assert_eq!(abi.talks, ids(&[0, 1]));
        assert_eq!(abi.name, "Abigail Mesrenyame Dogbe");
        assert_eq!(abi.affiliation.as_deref(), Some("ACME"));
        assert_eq!(abi.role.as_deref(), Some("Dev"));
        assert_eq!(graph.of_kind(EntityKind::Speaker).count(), 1);
        let second = TalkId::new(1);
        assert_eq!(graph.talks[second].speakers, ["abigail-dogbe"]);
        assert_eq!(graph.speaker_names(second), ["Abigail Mesrenyame Dogbe"]);
        assert!(graph.entity(EntityKind::Tag, "abi").is_some());
    }

    #[test]
    fn profiles_no_talk_refers_to_are_listed() {
        let notes = talks(vec![parse_note(
            "a",
            "speakers = [\"Ada\"]\ntags = [\"rust\"]",
        )]);
        let profiles = files(vec![
            parse_profile(EntityKind::Speaker, "ada", ""),
            parse_profile(EntityKind::Speaker, "grace", ""),
            parse_profile(EntityKind::Tag, "go", ""),
            parse_profile(EntityKind::Tag, "rust", ""),
        ]);
        let graph = Graph::build(Notes(&notes), &profiles, &[BodyLinks::default()]);
        assert_eq!(
            graph.unreferenced_profiles(),
            [ProfileId::new(1), ProfileId::new(2)]
        );
    }

    #[test]
    fn a_talk_past_a_common_entitys_newest_still_counts_all_it_shares() {
        // 1,000 talks; the tag "common" on the newest 240 and on "old" (of
        // 1999), more than the candidates taken from one entity. "old" and
        // "newer" share the project with "subject"; "old" also the tag.
        let mut notes: Vec<Note> = (0..996)
            .map(|i| {
                let tags = if i < 239 { "tags = [\"common\"]\n" } else { "" };
                let day = 1 + i % 28;
                let year = 2020 - i / 28;
                parse_note(
                    &format!("n{i}"),
                    &format!("{tags}date = {year}-01-{day:02}"),
                )
            })
            .collect();
        notes.push(parse_note(
            "subject",
            "date = 2030-01-01\ntags = [\"common\"]\nprojects = [\"rare\"]",
        ));
        notes.push(parse_note(
            "old",
            "date = 1999-01-01\ntags = [\"common\"]\nprojects = [\"rare\"]",
        ));
        notes.push(parse_note(
            "newer",
            "date = 2029-01-01\nprojects = [\"rare\"]",
        ));
        notes.push(parse_note(
            "other",
            "date = 2029-01-01\nprojects = [\"else\"]",
        ));
        let talks = talks(notes);
        let links = vec![BodyLinks::default(); talks.len()];
        let graph = Graph::build(Notes(&talks), &[], &links);
        let common = graph.entity(EntityKind::Tag, "common").unwrap();
        assert!(common.talk_count() > related::CANDIDATES_PER_ENTITY);
        let related = &graph.talks[TalkId::new(996)].related;
        assert_eq!(related[..2], ids(&[997, 998]));
    }

    #[test]
    fn changes_since_name_the_talks_and_entities_an_edit_changed() {
        let before = talks(vec![
            parse_note("a", "date = 2024-01-03\ntags = [\"x\"]"),
            parse_note("b", "date = 2024-01-02\ntags = [\"x\"]"),
            parse_note("c", "date = 2024-01-01\ntags = [\"y\"]\nprojects = [\"p\"]"),
        ]);
        let links = vec![BodyLinks::default(); 3];
        let graph = Graph::build(Notes(&before), &[], &links);
        let mut after = before.clone();
        after[2].note = parse_note(
            "c",
            "date = 2024-01-01\ntags = [\"y\", \"x\"]\nprojects = [\"p\"]",
        );
        let edited = [(TalkId::new(2), &before[2].note)];
        let rebuilt = updated(&graph, Notes(&after), &[], (&links, &[]), &edited);
        let mut changed = Changed::default();
        rebuilt.changes_since(&graph, &mut changed);
        let read = |f: &dyn Fn()| crate::reads::record(f).1.affected_by(&changed);
        let x = || rebuilt.entity(EntityKind::Tag, "x").unwrap();
        assert!(!read(&|| _ = x()), "x's name is as it was");
        assert!(read(&|| _ = x().talks()));
        assert!(read(&|| _ = x().talk_count_up_to(3)));
        assert!(
            !read(&|| _ = x().talk_count_up_to(2)),
            "two or more before and after"
        );
        assert!(
            !read(&|| _ = x().newest_talks(2)),
            "c joined x as its oldest talk"
        );
        assert!(read(&|| {
            let _ = &rebuilt.talks[TalkId::new(2)];
        }));
        assert!(
            !read(&|| {
                rebuilt.of_kind(EntityKind::Tag).count();
            }),
            "the same tags, with the same names"
        );
        assert!(!read(&|| {
            rebuilt.entity(EntityKind::Tag, "y");
            rebuilt.entity(EntityKind::Project, "p");
            rebuilt.newest_first();
        }));
    }
}
