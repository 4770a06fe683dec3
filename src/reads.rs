//! What building a page's view read of the site, and what a change
//! changed: `serve` keeps each page's [`Reads`] beside its fingerprint and,
//! after an edit, fingerprints again only the pages that read something the
//! edit [`Changed`].
//!
//! The site's accessors report every read themselves, so no view can read
//! without it being recorded: indexing the talks or their graph links by
//! [`TalkId`] reads that talk, [`crate::documents::date_of`] only its
//! date; `Graph::entity` reads an entity but its
//! talks, `Entity::talks` its list of talks, `Entity::newest_talks` the
//! first talks of it, `Entity::talk_count_up_to` how many it has up to a
//! cap (a diagram's node grows up to a size); `Graph::of_kind` and
//! `Graph::entities` read which entities of a kind there are and what they
//! are, but not their talks (each read apart as above),
//! `Graph::newest_first` the order of all talks. So a talk's chip of a tag
//! is not read again when a talk joins the tag's list. What no
//! edit of a note can change without every page being fingerprinted again
//! (the configuration, the templates, the profiles, which notes exist) is
//! not recorded. What [`page_list`] reads to list the site's pages and their
//! URLs counts as one read, of the list of pages, which `serve` reports
//! changed whenever a page appears, goes away or moves. Outside [`record`],
//! a report costs one thread-local check.

use std::cell::{Cell, RefCell};
use std::hash::{BuildHasher, Hash};

use crate::entity::EntityKind;
use crate::ids::TalkId;

/// What one view read.
#[derive(Debug, Default, Clone)]
pub struct Reads {
    /// The talks it read (their notes, bodies or graph links), sorted.
    talks: Vec<TalkId>,
    /// The talks whose date only it read, sorted.
    dates: Vec<TalkId>,
    /// The entities it read (but their talks), by [`entity_key`], sorted.
    entities: Vec<u64>,
    /// The entities whose first talks it read, with how many (`usize::MAX`:
    /// all), by [`entity_key`].
    lists: Vec<(u64, usize)>,
    /// The entities whose number of talks it read, with the cap it was
    /// read up to, by [`entity_key`].
    counts: Vec<(u64, usize)>,
    /// The kinds whose every entity it read, as a set of bits.
    kinds: u8,
    /// Whether it read the order of every talk.
    order: bool,
    /// Whether it read the list of the site's pages and their URLs.
    pages: bool,
}

/// What changed in the site since the pages' reads were recorded.
#[derive(Debug, Default, PartialEq)]
pub struct Changed {
    // Hashed fast: `serve` looks up each read of every page in these.
    talks: foldhash::HashSet<TalkId>,
    dates: foldhash::HashSet<TalkId>,
    entities: foldhash::HashSet<u64>,
    lists: foldhash::HashMap<u64, ListChange>,
    kinds: u8,
    order: bool,
    pages: bool,
}

/// How an entity's list of talks changed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ListChange {
    /// The first place where the lists differ.
    first_difference: usize,
    /// Its length before and after.
    lengths: (usize, usize),
}

impl ListChange {
    fn merge(self, other: ListChange) -> ListChange {
        ListChange {
            first_difference: self.first_difference.min(other.first_difference),
            lengths: (self.lengths.0, other.lengths.1),
        }
    }

    /// Whether a read of the first `n` talks sees a difference.
    fn seen_in_first(&self, n: usize) -> bool {
        self.first_difference < n
    }

    /// Whether a read of the number of talks up to `cap` sees a difference.
    fn seen_in_count(&self, cap: usize) -> bool {
        self.lengths.0.min(cap) != self.lengths.1.min(cap)
    }
}

impl Changed {
    /// Talk `id`'s note, body or graph links changed.
    pub fn talk(&mut self, id: TalkId) {
        self.talks.insert(id);
    }

    /// Talk `id`'s date changed (so did its note: see [`Changed::talk`]).
    pub fn talk_date(&mut self, id: TalkId) {
        self.dates.insert(id);
    }

    /// The entity `slug` of `kind` changed (but its talks), appeared or
    /// went away.
    pub fn entity(&mut self, kind: EntityKind, slug: &str) {
        self.entities.insert(entity_key(kind, slug));
        self.kinds |= kind_bit(kind);
    }

    /// The talks of the entity `slug` of `kind` were `before` and are
    /// `after` (an entity that appeared had none, one that went has none).
    pub fn entity_talks(
        &mut self,
        kind: EntityKind,
        slug: &str,
        before: &[TalkId],
        after: &[TalkId],
    ) {
        let Some(first_difference) = first_difference(before, after) else {
            return;
        };
        let change = ListChange {
            first_difference,
            lengths: (before.len(), after.len()),
        };
        self.lists
            .entry(entity_key(kind, slug))
            .and_modify(|earlier| *earlier = earlier.merge(change))
            .or_insert(change);
    }

    /// The order of the talks by date changed.
    pub fn order(&mut self) {
        self.order = true;
    }

    /// A page appeared, went away or moved.
    pub fn pages(&mut self) {
        self.pages = true;
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.talks.is_empty()
            && self.dates.is_empty()
            && self.entities.is_empty()
            && self.lists.is_empty()
            && self.kinds == 0
            && !self.order
            && !self.pages
    }

    /// Adds what `other` changed.
    pub fn extend(&mut self, other: Changed) {
        self.talks.extend(other.talks);
        self.dates.extend(other.dates);
        self.entities.extend(other.entities);
        for (key, change) in other.lists {
            self.lists
                .entry(key)
                .and_modify(|earlier| *earlier = earlier.merge(change))
                .or_insert(change);
        }
        self.kinds |= other.kinds;
        self.order |= other.order;
        self.pages |= other.pages;
    }
}

impl Reads {
    /// Whether a view that read this may show something else after `changed`.
    pub fn affected_by(&self, changed: &Changed) -> bool {
        (self.order && changed.order)
            || (self.pages && changed.pages)
            || self.kinds & changed.kinds != 0
            || meets(&self.talks, &changed.talks)
            || meets(&self.dates, &changed.dates)
            || meets(&self.entities, &changed.entities)
            || self.lists.iter().any(|(key, n)| {
                changed
                    .lists
                    .get(key)
                    .is_some_and(|change| change.seen_in_first(*n))
            })
            || self.counts.iter().any(|(key, cap)| {
                changed
                    .lists
                    .get(key)
                    .is_some_and(|change| change.seen_in_count(*cap))
            })
    }

    fn finish(mut self) -> Reads {
        for talks in [&mut self.talks, &mut self.dates] {
            talks.sort_unstable();
            talks.dedup();
            talks.shrink_to_fit();
        }
        self.entities.sort_unstable();
        self.entities.dedup();
        self.entities.shrink_to_fit();
        for reads in [&mut self.lists, &mut self.counts] {
            // The largest read of each entity's list says it all.
            reads.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            reads.dedup_by_key(|(key, _)| *key);
            reads.shrink_to_fit();
        }
        self
    }
}

/// Whether `read` (sorted) and `changed` have an item in common. `serve`
/// asks this of every page after an edit: a page may have read thousands of
/// talks, an edit changed a few, so the fewer are looked up in the more.
fn meets<T: Ord + Hash + Eq>(read: &[T], changed: &foldhash::HashSet<T>) -> bool {
    if changed.len() < read.len() {
        changed.iter().any(|item| read.binary_search(item).is_ok())
    } else {
        read.iter().any(|item| changed.contains(item))
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

/// Reports that the date of talk `id` was read.
pub fn talk_date(id: TalkId) {
    report(|reads| reads.dates.push(id));
}

/// Reports that the entity `slug` of `kind` was read.
pub fn entity(kind: EntityKind, slug: &str) {
    report(|reads| reads.entities.push(entity_key(kind, slug)));
}

/// Reports that the first `n` talks of the entity `slug` of `kind` were
/// read (`usize::MAX`: all of them).
pub fn entity_talks(kind: EntityKind, slug: &str, n: usize) {
    report(|reads| reads.lists.push((entity_key(kind, slug), n)));
}

/// Reports that the number of talks of the entity `slug` of `kind` was
/// read, as far as it is under `cap` (`usize::MAX`: exactly).
pub fn entity_count(kind: EntityKind, slug: &str, cap: usize) {
    report(|reads| reads.counts.push((entity_key(kind, slug), cap)));
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

/// Runs `f`, which lists the site's pages or their URLs, and reports what
/// it read as a read of the list of pages: it shows no difference after an
/// edit that leaves every page where it was.
pub fn page_list<T>(f: impl FnOnce() -> T) -> T {
    let recording = RECORDING.with(|r| r.replace(false));
    let result = f();
    RECORDING.with(|r| r.set(recording));
    report(|reads| reads.pages = true);
    result
}

fn report(add: impl FnOnce(&mut Reads)) {
    if RECORDING.with(Cell::get) {
        READ.with(|read| add(&mut read.borrow_mut()));
    }
}

/// An entity's key in [`Reads`] and [`Changed`]: a hash of its kind and
/// slug (two entities with the same hash only make a page fingerprinted
/// when it need not be). The graph keeps each talk's too, and an entity's
/// neighbourhood counts by them (where two such entities would count as
/// one: at 100,000 entities, a chance of about one in four billion).
pub fn entity_key(kind: EntityKind, slug: &str) -> u64 {
    // Made for every entity a view reads (tens of thousands for the site's
    // map), so a fast hash; its seed is fixed, so that keys made apart compare.
    foldhash::fast::FixedState::with_seed(0).hash_one((kind, slug))
}

/// The first place where `a` and `b` differ (the shorter one's length
/// when one starts the other), or `None` when they are equal.
fn first_difference(a: &[TalkId], b: &[TalkId]) -> Option<usize> {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (same < a.len().max(b.len())).then_some(same)
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
    fn a_change_is_found_among_many_reads_and_many_changes_among_few_reads() {
        // Read in no order: the record sorts them.
        let ((), many) = record(|| (0..1000).rev().for_each(|i| talk(TalkId::new(i * 3))));
        let ((), few) = record(|| talk(TalkId::new(30)));
        let mut changed = Changed::default();
        changed.talk(TalkId::new(31));
        assert!(!many.affected_by(&changed) && !few.affected_by(&changed));
        changed.talk(TalkId::new(2997));
        assert!(many.affected_by(&changed), "the last talk read");
        assert!(!few.affected_by(&changed));
        for i in 100..200 {
            changed.talk(TalkId::new(i * 10 + 1));
        }
        assert!(!few.affected_by(&changed), "many changes, none read");
        changed.talk(TalkId::new(30));
        assert!(few.affected_by(&changed), "one of many changes read");
    }

    #[test]
    fn a_read_of_a_date_is_affected_by_a_change_of_that_date_only() {
        let ((), reads) = record(|| talk_date(TalkId::new(4)));
        let mut changed = Changed::default();
        changed.talk(TalkId::new(4));
        assert!(!reads.affected_by(&changed), "its title changed, say");
        changed.talk_date(TalkId::new(5));
        assert!(!reads.affected_by(&changed), "another talk's date");
        changed.talk_date(TalkId::new(4));
        assert!(reads.affected_by(&changed));
        assert!(!changed.is_empty());
    }

    #[test]
    fn a_list_of_a_kind_is_affected_by_any_entity_of_that_kind() {
        let ((), reads) = record(|| kind(EntityKind::Speaker));
        let mut changed = Changed::default();
        changed.entity(EntityKind::Tag, "rust");
        assert!(!reads.affected_by(&changed));
        let ids = [TalkId::new(1), TalkId::new(2)];
        changed.entity_talks(EntityKind::Speaker, "ada", &ids[..1], &ids);
        assert!(
            !reads.affected_by(&changed),
            "a talk joining a speaker's list changes no speaker"
        );
        changed.entity(EntityKind::Speaker, "ada");
        assert!(reads.affected_by(&changed));
    }

    #[test]
    fn a_talk_joining_a_list_is_seen_by_the_reads_it_reaches() {
        let ids = |ids: &[usize]| -> Vec<TalkId> { ids.iter().map(|&i| TalkId::new(i)).collect() };
        let mut changed = Changed::default();
        // A talk joins at the third place of a tag of 100 talks.
        let before = ids(&(0..100).collect::<Vec<_>>());
        let mut after = before.clone();
        after.insert(2, TalkId::new(500));
        changed.entity_talks(EntityKind::Tag, "rust", &before, &after);
        let reads = |f: &dyn Fn()| record(f).1;
        let rust = EntityKind::Tag;
        assert!(
            !reads(&|| entity(rust, "rust")).affected_by(&changed),
            "its name did not change"
        );
        assert!(!reads(&|| entity_talks(rust, "rust", 2)).affected_by(&changed));
        assert!(reads(&|| entity_talks(rust, "rust", 3)).affected_by(&changed));
        assert!(reads(&|| entity_talks(rust, "rust", usize::MAX)).affected_by(&changed));
        assert!(
            !reads(&|| entity_count(rust, "rust", 70)).affected_by(&changed),
            "70 or more before and after"
        );
        assert!(reads(&|| entity_count(rust, "rust", usize::MAX)).affected_by(&changed));
        assert!(!reads(&|| entity_talks(rust, "go", usize::MAX)).affected_by(&changed));
        // The same list again changes nothing.
        let mut same = Changed::default();
        same.entity_talks(rust, "rust", &before, &before);
        assert!(same.is_empty());
    }

    #[test]
    fn what_listing_pages_reads_is_one_read_of_the_page_list() {
        let id = TalkId::new(4);
        let ((), listed) = record(|| {
            page_list(|| talk(id));
            talk_date(id);
        });
        let mut edited = Changed::default();
        edited.talk(id);
        assert!(!listed.affected_by(&edited), "the talk itself was not read");
        edited.talk_date(id);
        assert!(listed.affected_by(&edited));
        let mut moved = Changed::default();
        moved.pages();
        assert!(listed.affected_by(&moved));
        assert!(!record(|| talk(id)).1.affected_by(&moved));
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
