//! What building a page's view read of the site, and what a change
//! changed: `serve` keeps each page's [`Reads`] beside its fingerprint and,
//! after an edit, fingerprints again only the pages that read something the
//! edit [`Changed`].
//!
//! The site's accessors report every read themselves, so no view can read
//! without it being recorded: indexing the talks or their graph links by
//! [`TalkId`] reads that talk; `Graph::entity` reads an entity,
//! `Graph::of_kind` and `Graph::entities` every entity of a kind (the
//! lists of them), `Graph::newest_first` the order of all talks. What no
//! edit of a note can change without every page being fingerprinted again
//! (the configuration, the templates, the profiles, which notes exist) is
//! not recorded. Outside [`record`], a report costs one thread-local check.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::entity::EntityKind;
use crate::ids::TalkId;

/// What one view read.
#[derive(Debug, Default, Clone)]
pub struct Reads {
    /// The talks it read (their notes, bodies or graph links), sorted.
    talks: Vec<TalkId>,
    /// The entities it read, by [`entity_key`], sorted.
    entities: Vec<u64>,
    /// The kinds whose every entity it read, as a set of bits.
    kinds: u8,
    /// Whether it read the order of every talk.
    order: bool,
}

/// What changed in the site since the pages' reads were recorded.
#[derive(Debug, Default)]
pub struct Changed {
    talks: HashSet<TalkId>,
    entities: HashSet<u64>,
    kinds: u8,
    order: bool,
}

impl Changed {
    /// Talk `id`'s note, body or graph links changed.
    pub fn talk(&mut self, id: TalkId) {
        self.talks.insert(id);
    }

    /// The entity `slug` of `kind` changed, appeared or went away.
    pub fn entity(&mut self, kind: EntityKind, slug: &str) {
        self.entities.insert(entity_key(kind, slug));
        self.kinds |= kind_bit(kind);
    }

    /// The order of the talks by date changed.
    pub fn order(&mut self) {
        self.order = true;
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.talks.is_empty() && self.entities.is_empty() && self.kinds == 0 && !self.order
    }

    /// Adds what `other` changed.
    pub fn extend(&mut self, other: Changed) {
        self.talks.extend(other.talks);
        self.entities.extend(other.entities);
        self.kinds |= other.kinds;
        self.order |= other.order;
    }
}

impl Reads {
    /// Whether a view that read this may show something else after `changed`.
    pub fn affected_by(&self, changed: &Changed) -> bool {
        (self.order && changed.order)
            || self.kinds & changed.kinds != 0
            || self.talks.iter().any(|id| changed.talks.contains(id))
            || self
                .entities
                .iter()
                .any(|key| changed.entities.contains(key))
    }

    fn finish(mut self) -> Reads {
        self.talks.sort_unstable();
        self.talks.dedup();
        self.talks.shrink_to_fit();
        self.entities.sort_unstable();
        self.entities.dedup();
        self.entities.shrink_to_fit();
        self
    }
}

thread_local! {
    /// Whether a [`record`] is under way on this thread.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    /// What it read so far.
    static READ: RefCell<Reads> = RefCell::new(Reads::default());
}

/// Runs `f`, and returns with its result everything it read on this thread.
/// Reads made on other threads are not seen: a view is built on one thread.
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Reads) {
    let outer = RECORDING.with(|r| r.replace(true));
    let before = READ.with(|read| read.take());
    let result = f();
    let reads = READ.with(|read| read.replace(before));
    RECORDING.with(|r| r.set(outer));
    (result, reads.finish())
}

/// Reports that talk `id` was read.
pub fn talk(id: TalkId) {
    report(|reads| reads.talks.push(id));
}

/// Reports that the entity `slug` of `kind` was read.
pub fn entity(kind: EntityKind, slug: &str) {
    report(|reads| reads.entities.push(entity_key(kind, slug)));
}

/// Reports that every entity of `kind` was read.
pub fn kind(kind: EntityKind) {
    report(|reads| reads.kinds |= kind_bit(kind));
}

/// Reports that every entity of every kind was read.
pub fn every_kind() {
    report(|reads| reads.kinds = u8::MAX);
}

/// Reports that the order of every talk was read.
pub fn order() {
    report(|reads| reads.order = true);
}

fn report(add: impl FnOnce(&mut Reads)) {
    if RECORDING.with(Cell::get) {
        READ.with(|read| add(&mut read.borrow_mut()));
    }
}

/// An entity's key in [`Reads`] and [`Changed`]: a hash of its kind and
/// slug (two entities with the same hash only make a page fingerprinted
/// when it need not be).
fn entity_key(kind: EntityKind, slug: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (kind, slug).hash(&mut hasher);
    hasher.finish()
}

fn kind_bit(kind: EntityKind) -> u8 {
    1 << (kind as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_sees_the_reads_made_inside_it_only() {
        talk(TalkId::new(9));
        let ((), reads) = record(|| {
            talk(TalkId::new(2));
            entity(EntityKind::Tag, "rust");
            talk(TalkId::new(2));
        });
        assert_eq!(reads.talks, [TalkId::new(2)]);
        let mut changed = Changed::default();
        changed.talk(TalkId::new(9));
        assert!(!reads.affected_by(&changed));
        changed.entity(EntityKind::Tag, "go");
        assert!(!reads.affected_by(&changed), "another tag");
        changed.entity(EntityKind::Tag, "rust");
        assert!(reads.affected_by(&changed));
    }

    #[test]
    fn a_list_of_a_kind_is_affected_by_any_entity_of_that_kind() {
        let ((), reads) = record(|| kind(EntityKind::Speaker));
        let mut changed = Changed::default();
        changed.entity(EntityKind::Tag, "rust");
        assert!(!reads.affected_by(&changed));
        changed.entity(EntityKind::Speaker, "ada");
        assert!(reads.affected_by(&changed));
    }

    #[test]
    fn records_nest() {
        let ((inner, ()), outer) = record(|| {
            talk(TalkId::new(1));
            let ((), inner) = record(order);
            talk(TalkId::new(3));
            (inner, ())
        });
        assert!(inner.order && inner.talks.is_empty());
        assert_eq!(outer.talks, [TalkId::new(1), TalkId::new(3)]);
        assert!(!outer.order);
    }
}
