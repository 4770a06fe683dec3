//! Schedule texts as markdown: markdown is kept as it is, HTML is turned
//! into markdown, and neither makes wikilinks ([`super::brackets`]).

/// Tags whose presence makes a text HTML rather than markdown.
const HTML_TAGS: &[&str] = &[
    "p",
    "br",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "div",
    "span",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "blockquote",
    "img",
];

/// `text` as markdown: converted when it is HTML, trimmed either way, its
/// `[[` kept as text.
pub fn to_markdown(text: &str) -> String {
    super::brackets::wikilinks_as_text(&converted(text))
}

/// `text` as markdown: converted when it is HTML, trimmed either way.
fn converted(text: &str) -> String {
    if !looks_like_html(text) {
        return text.trim().to_string();
    }
    let options = htmd::options::Options {
        bullet_list_marker: htmd::options::BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ..htmd::options::Options::default()
    };
    // htmd fails only on I/O, which a string never has; keep the text then.
    htmd::HtmlToMarkdown::builder()
        .options(options)
        .build()
        .convert(text)
        .unwrap_or_else(|_| text.to_string())
        .trim()
        .to_string()
}

/// `text` as one paragraph of markdown: its lines joined by spaces.
pub fn one_paragraph(text: &str) -> String {
    to_markdown(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` holds one of [`HTML_TAGS`], opening or closing.
fn looks_like_html(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let rest = text[at + 1..].trim_start_matches('/');
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let after = rest[name_len..].chars().next();
        HTML_TAGS
            .iter()
            .any(|tag| rest[..name_len].eq_ignore_ascii_case(tag))
            && matches!(after, Some('>' | ' ' | '/' | '\n'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown_and_markdown_stays() {
        let md = to_markdown(
            "<p>We <em>moved</em> to <a href=\"https://x.org\">X</a>.</p><ul><li>one</li></ul>",
        );
        assert!(md.contains("We *moved* to [X](https://x.org)."), "{md}");
        assert!(md.contains("\n- one"), "{md}");
        assert_eq!(to_markdown("a < b and *c*\n"), "a < b and *c*");
    }

    #[test]
    fn a_summary_is_one_paragraph() {
        assert_eq!(
            one_paragraph("Why\nwe   moved.\n\nAnd how."),
            "Why we moved. And how."
        );
    }
}
