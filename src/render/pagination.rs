//! Long lists split into pages: how many pages a list takes, which items
//! each shows, and the links between them (`<link rel=prev/next>` and the
//! page navigation). Where each page lives is `urls::paged`'s.

use serde::Serialize;

use crate::urls;

/// Page links shown on either side of the current page's number, besides
/// the first and the last page.
const NEAR: usize = 2;

/// How many pages a list of `items` takes at `per_page` a page: at least
/// one, so an empty list still has its page.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The items page `number` (from 1) shows; empty past the last page.
pub fn page_of<T>(items: &[T], number: usize, per_page: usize) -> &[T] {
    let start = number
        .saturating_sub(1)
        .saturating_mul(per_page)
        .min(items.len());
    let end = start.saturating_add(per_page).min(items.len());
    &items[start..end]
}

/// How one page of a list links to the others. Site-relative URLs, like
/// every URL in a view.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    number: usize,
    /// How many pages the list has.
    count: usize,
    /// The page before, if any.
    prev: Option<String>,
    /// The page after, if any.
    next: Option<String>,
    /// The numbered links: the first page, the last, and those near this
    /// one, in order; `None` where pages are left out.
    links: Vec<Option<PageLink>>,
}

/// A link to one page of a list.
#[derive(Debug, Serialize)]
struct PageLink {
    number: usize,
    url: String,
    /// Whether it is the page showing it.
    current: bool,
}

impl Pagination {
    /// The links of page `number` of the `count` pages of the list whose
    /// first page is at `first`; `None` for a list of one page, which has
    /// nothing to link to.
    pub fn of(first: &str, number: usize, count: usize) -> Option<Pagination> {
        if count <= 1 {
            return None;
        }
        let page = |n: usize| urls::paged(first, n);
        let mut links = Vec::new();
        for n in 1..=count {
            let shown = n == 1 || n == count || n.abs_diff(number) <= NEAR;
            if shown {
                links.push(Some(PageLink {
                    number: n,
                    url: page(n),
                    current: n == number,
                }));
            } else if links.last().is_some_and(Option::is_some) {
                links.push(None);
            }
        }
        Some(Pagination {
            number,
            count,
            prev: (number > 1).then(|| page(number - 1)),
            next: (number < count).then(|| page(number + 1)),
            links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_takes_one_page_per_started_page_size() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(100, 50), 2);
        assert_eq!(page_count(101, 50), 3);
    }

    #[test]
    fn each_page_shows_its_slice() {
        let items: Vec<usize> = (0..51).collect();
        assert_eq!(page_of(&items, 1, 50), &items[..50]);
        assert_eq!(page_of(&items, 2, 50), &[50]);
        assert!(page_of(&items, 3, 50).is_empty());
    }

    fn numbers(p: &Pagination) -> Vec<Option<usize>> {
        p.links
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect()
    }

    #[test]
    fn far_pages_are_left_out_but_the_first_and_last() {
        assert!(Pagination::of("tags/x/", 1, 1).is_none());
        let p = Pagination::of("tags/x/", 10, 20).unwrap();
        assert_eq!(
            numbers(&p),
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("tags/x/page/9/"));
        assert_eq!(p.next.as_deref(), Some("tags/x/page/11/"));
        let current: Vec<_> = p.links.iter().flatten().filter(|l| l.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].url, "tags/x/page/10/");
    }

    #[test]
    fn the_first_page_has_no_prev_and_the_last_no_next() {
        let first = Pagination::of("talks/", 1, 2).unwrap();
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("talks/page/2/"));
        assert_eq!(numbers(&first), [Some(1), Some(2)]);
        let last = Pagination::of("talks/", 2, 2).unwrap();
        assert_eq!(last.prev.as_deref(), Some("talks/"));
        assert_eq!(last.next, None);
    }
}
