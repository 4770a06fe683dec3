//! `render::render_each`, which a build renders every page through: each
//! page handed on once, in the order of the list, and a page that cannot be
//! handed on (a full disk) stops the rest and is the error reported.

use std::sync::Mutex;

use talkbook::diagnostics::Diagnostic;
use talkbook::render::{self, Page};
use talkbook::site::Site;
use talkbook::templates;

use crate::support::*;

fn sample() -> (Site, tera::Tera) {
    let site = Site::load(&sample_root(), false).unwrap_or_else(|e| panic!("{e}"));
    let tera = templates::load(&site.root).unwrap_or_else(|e| panic!("{e}"));
    (site, tera)
}

#[test]
fn every_page_is_handed_on_once_as_render_all_makes_it_in_list_order() {
    let (site, tera) = sample();
    let pages = render::pages(&site);
    let put: Mutex<Vec<(usize, String, Vec<u8>)>> = Mutex::new(Vec::new());
    let position = |page: &Page| pages.iter().position(|p| p == page).unwrap();
    render::render_each(&site, &tera, &pages, &|| {}, &|page, file, bytes| {
        put.lock().unwrap().push((position(page), file, bytes));
        Ok(())
    })
    .unwrap();
    let put = put.into_inner().unwrap();
    let all = render::render_all(&site, &tera, &pages, &|| {}).unwrap();
    assert_eq!(put.len(), pages.len());
    assert_eq!(put.len(), all.len(), "each page once");
    for (_, file, bytes) in &put {
        assert_eq!(all.get(file), Some(bytes), "{file}");
    }
    // Every thread takes the next page of the list: when page n is taken,
    // the n before it are all taken and at most one per other thread is
    // still being made, so page n comes at least (n - threads + 1)th. (Split
    // in halves, the second half's first page would come second.)
    let threads = rayon::current_num_threads();
    for (i, (n, _, _)) in put.iter().enumerate() {
        assert!(
            *n < i + threads,
            "page {n} of the list was handed on {i}th, with {threads} threads"
        );
    }
}

#[test]
fn a_page_that_cannot_be_handed_on_stops_the_rest_and_is_the_error() {
    let (site, tera) = sample();
    let pages = render::pages(&site);
    assert!(pages.len() > 20, "{}", pages.len());
    let calls = Mutex::new(0usize);
    let failed = render::render_each(&site, &tera, &pages, &|| {}, &|_, file, _| {
        let mut calls = calls.lock().unwrap();
        *calls += 1;
        match *calls {
            3 => Err(Diagnostic::site_wide(format!(
                "cannot write {file}: disk full"
            ))),
            _ => Ok(()),
        }
    })
    .unwrap_err();
    assert_eq!(failed.0.len(), 1, "{failed}");
    assert!(failed.to_string().contains("disk full"), "{failed}");
    let calls = calls.into_inner().unwrap();
    assert!(
        calls < 3 + 2 * rayon::current_num_threads(),
        "{calls} of {} pages handed on after the failure",
        pages.len()
    );
}
