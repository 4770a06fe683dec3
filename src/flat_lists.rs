//! Many short lists kept one after another in one vector, with where each
//! ends: reading list `i` is one jump in memory, not a jump to its own
//! allocation. Ranking related talks and drawing an entity's neighbourhood
//! read the entities of thousands of talks this way.

/// Lists of `T`, numbered from 0 in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct FlatLists<T> {
    items: Vec<T>,
    /// Where each list ends in `items`.
    ends: Vec<usize>,
}

impl<T> FlatLists<T> {
    /// No lists, with room for `lists` of them.
    pub fn with_capacity(lists: usize) -> FlatLists<T> {
        FlatLists {
            items: Vec::new(),
            ends: Vec::with_capacity(lists),
        }
    }

    /// Adds a list, numbered by how many were added before it.
    pub fn push(&mut self, list: impl IntoIterator<Item = T>) {
        self.items.extend(list);
        self.ends.push(self.items.len());
    }

    /// List `i`.
    pub fn get(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.items[start..self.ends[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_reads_back_as_pushed_empty_ones_too() {
        let mut lists = FlatLists::with_capacity(3);
        lists.push([1, 2]);
        lists.push([]);
        lists.push([3]);
        assert_eq!(lists.get(0), &[1, 2]);
        assert_eq!(lists.get(1), &[] as &[i32]);
        assert_eq!(lists.get(2), &[3]);
    }
}
