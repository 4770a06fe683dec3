//! A page's fingerprint: the hash of its [`View`], serialized straight into
//! the hasher ([`hashing`](super::hashing)), and what building the view
//! read of the site ([`Reads`]). Two versions of a page with the same hash
//! show the same data through the same template, so `serve` renders again
//! only the pages whose hash changed; and it computes the hash again only
//! for the pages that read something a change changed. A talk's card and
//! feed entry, which many pages list, count in the hash by their own hash,
//! computed once ([`Listed`](super::cards::Listed)).

use super::cards::{self, Listings};
use super::hashing::hash;
use super::views::view_using;
use super::{Page, View};
use crate::diagnostics::Diagnostic;
use crate::ids::TalkId;
use crate::reads::{self, Reads};
use crate::site::Site;

/// A page's fingerprint.
#[derive(Debug)]
pub struct Fingerprint {
    /// The hash of its [`view`](super::view).
    pub hash: u64,
    /// What building the view read.
    pub reads: Reads,
}

/// The fingerprint of `page`.
pub fn fingerprint(site: &Site, page: &Page) -> Result<Fingerprint, Diagnostic> {
    of_view(site, None, page)
}

/// The fingerprints of many pages of one site: each the same as
/// [`fingerprint`]'s, with every talk's card and entry built once for them
/// all.
pub struct Fingerprints<'a> {
    site: &'a Site,
    listings: Listings<'a>,
}

impl<'a> Fingerprints<'a> {
    /// Ready to fingerprint pages of `site`.
    pub fn new(site: &'a Site) -> Fingerprints<'a> {
        Fingerprints {
            site,
            listings: Listings::new(site),
        }
    }

    /// The fingerprint of `page`.
    pub fn of(&self, page: &Page) -> Result<Fingerprint, Diagnostic> {
        of_view(self.site, Some(&self.listings), page)
    }
}

/// The fingerprint of `page`, with the talks' cards and entries from
/// `listings` if given.
fn of_view<'a>(
    site: &'a Site,
    listings: Option<&'a Listings<'a>>,
    page: &Page,
) -> Result<Fingerprint, Diagnostic> {
    let (hashed, reads) = reads::record(|| {
        let view: View = view_using(site, listings, page)?;
        hash(&view).map_err(|err| {
            Diagnostic::internal(format!("the fingerprint of /{}: {err}", page.url(site)))
        })
    });
    Ok(Fingerprint {
        hash: hashed?,
        reads,
    })
}

/// The hash of what pages other than its own show of talk `id`: its card
/// and its feed entry (see the rule in the module above), but the note's
/// content, which only [`showing_content`](super::showing_content) show.
pub fn shown_elsewhere(site: &Site, id: TalkId) -> Result<u64, Diagnostic> {
    hash(&(cards::card(site, id), cards::entry(site, id))).map_err(|err| {
        Diagnostic::internal(format!(
            "the card of {}: {err}",
            site.talks[id].note.source.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pages;

    #[test]
    fn fingerprints_of_many_pages_are_those_of_each_page() {
        // The sample site at the repository's root.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, false).unwrap();
        let many = Fingerprints::new(&site);
        let mut seen = std::collections::HashSet::new();
        for page in pages(&site) {
            let one = fingerprint(&site, &page).unwrap().hash;
            assert_eq!(many.of(&page).unwrap().hash, one, "{page:?}");
            seen.insert(one);
        }
        assert_eq!(
            seen.len(),
            pages(&site).len(),
            "pages with the same fingerprint"
        );
    }
}
