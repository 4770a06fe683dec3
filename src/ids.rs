//! Typed ids: a talk or a profile named by its place in the site's lists,
//! so that a talk's id cannot index the profiles (or a count) by mistake.
//! A list's module says which ids index it, with [`indexed_by`].

/// Declares an id type.
macro_rules! id_type {
    ($(#[$doc:meta])* $id:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $id(usize);

        impl $id {
            /// The id of the item at `index`.
            pub const fn new(index: usize) -> Self {
                $id(index)
            }

            /// The item's place in its list.
            pub const fn index(self) -> usize {
                self.0
            }

            /// The ids of a list of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $id> + ExactSizeIterator {
                (0..len).map($id)
            }
        }
    };
}

id_type! {
    /// A talk, by its place in the site's talks (sorted by source path).
    TalkId
}

id_type! {
    /// A profile file, by its place in the site's profiles (sorted by source path).
    ProfileId
}

/// Lets slices and vectors of `$item` be indexed by the id type `$id`;
/// with `reported by $report`, every read through the index (not a write)
/// calls `$report(id)` first (see [`crate::reads`]).
macro_rules! indexed_by {
    ($item:ty, $id:ty) => {
        indexed_by!($item, $id, reported by |_| ());
    };
    ($item:ty, $id:ty, reported by $report:expr) => {
        impl std::ops::Index<$id> for [$item] {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                $report(id);
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$id> for [$item] {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }

        impl std::ops::Index<$id> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                $report(id);
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}

pub(crate) use indexed_by;
