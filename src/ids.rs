//! Typed ids: a talk or a profile named by its place in the site's lists,
//! so that a talk's id cannot index the profiles (or a count) by mistake.

use std::fmt;

/// Declares an id type, and indexing of slices and vectors of `$item` by it.
macro_rules! id_type {
    ($(#[$doc:meta])* $id:ident => $($item:ty),+) => {
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

        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        $(
            impl std::ops::Index<$id> for [$item] {
                type Output = $item;
                fn index(&self, id: $id) -> &$item {
                    &self[id.0]
                }
            }

            impl std::ops::IndexMut<$id> for [$item] {
                fn index_mut(&mut self, id: $id) -> &mut $item {
                    &mut self[id.0]
                }
            }

            impl std::ops::Index<$id> for Vec<$item> {
                type Output = $item;
                fn index(&self, id: $id) -> &$item {
                    &self[id.0]
                }
            }

            impl std::ops::IndexMut<$id> for Vec<$item> {
                fn index_mut(&mut self, id: $id) -> &mut $item {
                    &mut self[id.0]
                }
            }
        )+
    };
}

id_type! {
    /// A talk, by its place in the site's talks (sorted by source path).
    TalkId => crate::documents::Talk, crate::graph::TalkLinks
}

id_type! {
    /// A profile file, by its place in the site's profiles (sorted by source path).
    ProfileId => crate::documents::ProfileFile
}
