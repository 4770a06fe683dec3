//! Raw HTML in a note made harmless: `[markdown] raw-html = "sanitize"`,
//! the default, because sites take edits from readers.
//!
//! pulldown-cmark hands raw HTML over in pieces (`<details>` in one block,
//! markdown, `</details>` in another), and pieces cannot be judged one by one.
//! So the whole rendered body of a note that has raw HTML is cleaned at once
//! by ammonia, which parses it as a browser would. Its allow-list keeps
//! harmless markup (`<details>`, `<kbd>`, `<sub>`, tables, images) and all
//! that talkbook's own rendering writes: heading ids and anchor links,
//! highlighted code's classes, footnotes, task-list checkboxes and table
//! alignment. Scripts, event handlers, style sheets, forms and frames go, and
//! URLs follow the one rule of [`safe_url`]. A body without raw HTML is only
//! talkbook's own escaped output, and is not touched.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use crate::safe_url::{self, LINK_SCHEMES};

/// `html` with everything that could run script, restyle the page or send
/// data removed.
pub fn clean(html: &str) -> String {
    static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(cleaner);
    CLEANER.clean(html).to_string()
}

fn cleaner() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        // Heading ids, footnotes' ids, highlight and footnote classes.
        .add_generic_attributes(&["id", "class"])
        .add_tag_attributes("a", &["aria-label"])
        .add_tag_attributes("pre", &["data-lang"])
        // Aligned table columns: `style="text-align: center"`, nothing else.
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .filter_style_properties(["text-align"].into())
        // Task lists; any other `<input>` becomes a disabled checkbox too.
        .add_tags(&["input"])
        .add_tag_attributes("input", &["checked"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(LINK_SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .attribute_filter(|_element, attribute, value| match attribute {
            "href" | "src" | "cite" if !safe_url::is_linkable(value) => None,
            _ => Some(Cow::Borrowed(value)),
        });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_unsafe_urls_go() {
        let html = clean(
            "<script>alert(1)</script><img src=\"x.png\" onerror=\"alert(1)\">\
             <a href=\"jav&#x61;script:alert(1)\">a</a><a href=\"java&#9;script:x\">b</a>\
             <iframe src=\"https://x.org/\"></iframe><form><button>go</button></form>\
             <p style=\"position: fixed\">p</p><style>body{}</style>",
        );
        for gone in [
            "script", "onerror", "alert", "iframe", "form", "button", "style",
        ] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
        assert!(html.contains("<a>a</a><a>b</a>"), "{html}");
    }

    #[test]
    fn harmless_markup_is_kept() {
        let kept = [
            "<details><summary>More</summary><p>x</p></details>",
            "<kbd>Ctrl</kbd><sub>2</sub><sup>3</sup>",
            "<img src=\"https://x.org/a.png\" alt=\"a\">",
            "<table><thead><tr><th style=\"text-align:center\">h</th></tr></thead></table>",
            "<h2 id=\"why\">Why <a class=\"heading-anchor\" href=\"#why\" aria-label=\"Link to this section\">#</a></h2>",
            "<pre class=\"hl-code\" data-lang=\"yaml\"><code><span class=\"hl-source hl-yaml\">a</span></code></pre>",
            "<a href=\"mailto:a@x.org\">m</a><a href=\"../b/\">b</a>",
        ];
        for html in kept {
            assert_eq!(clean(html), html);
        }
    }

    #[test]
    fn table_cells_keep_only_their_alignment() {
        assert_eq!(
            clean(
                "<table><tr><td style=\"text-align: right; position: fixed\">1</td></tr></table>"
            ),
            "<table><tbody><tr><td style=\"text-align:right\">1</td></tr></tbody></table>"
        );
    }

    #[test]
    fn inputs_are_only_disabled_checkboxes() {
        let html =
            clean("<input disabled=\"\" type=\"checkbox\" checked=\"\"><input type=\"password\">");
        assert_eq!(html.matches("type=\"checkbox\"").count(), 2, "{html}");
        assert_eq!(html.matches("disabled=\"\"").count(), 2, "{html}");
        assert!(!html.contains("password"), "{html}");
    }
}
