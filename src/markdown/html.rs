//! A document's rendered HTML, which a build frees once the last page that
//! shows it is rendered: at 100,000 notes the notes' HTML is most of a
//! gigabyte, and the pages are rendered from a site shared by many threads.

use std::sync::{Arc, Mutex, MutexGuard};

/// A document's HTML; see the module documentation.
#[derive(Debug, Default)]
pub struct Html(Mutex<Arc<str>>);

impl Html {
    /// `html`, kept until [freed](Html::free).
    pub fn new(html: String) -> Html {
        Html(Mutex::new(html.into()))
    }

    /// The HTML (empty once freed).
    pub fn get(&self) -> Arc<str> {
        self.lock().clone()
    }

    /// Frees the HTML: [`Html::get`] gives nothing from now on. Only once no
    /// page that shows it is left to render.
    pub fn free(&self) {
        *self.lock() = Arc::from("");
    }

    fn lock(&self) -> MutexGuard<'_, Arc<str>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clone for Html {
    fn clone(&self) -> Html {
        Html(Mutex::new(self.get()))
    }
}

impl PartialEq for Html {
    fn eq(&self, other: &Html) -> bool {
        self.get() == other.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_html_is_empty_and_copies_keep_theirs() {
        let html = Html::new("<p>a</p>".to_string());
        let copy = html.clone();
        html.free();
        assert_eq!(&*html.get(), "");
        assert_eq!(&*copy.get(), "<p>a</p>");
        assert!(html != copy);
    }
}
