//! The links a profile page shows: a homepage and a repository as written,
//! and social accounts given as a handle (`@ada`) or as a URL.

use serde::Serialize;

use crate::safe_url::SafeUrl;

/// One link of a profile page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ProfileLink {
    /// The key it came from (`twitter`).
    pub key: &'static str,
    /// What the link says (`Twitter`).
    pub label: &'static str,
    /// Where it leads.
    pub url: SafeUrl,
}

/// The profile keys that make links, with their labels, in the order pages
/// show them. `website` is another name for `homepage`: a page shows one
/// link per label, the first.
pub const LINK_KEYS: &[(&str, &str)] = &[
    ("homepage", "Homepage"),
    ("website", "Homepage"),
    ("repository", "Repository"),
    ("twitter", "Twitter"),
    ("mastodon", "Mastodon"),
    ("github", "GitHub"),
    ("linkedin", "LinkedIn"),
];

/// Why a value makes no link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoLink {
    /// A URL that is not a [safe link](crate::safe_url).
    Unsafe,
    /// Neither a URL nor what the key takes otherwise: a handle, or a
    /// path in `static/`.
    Malformed,
}

/// The URL the `key` value `value` links to. Keys that take a handle take a
/// URL too: any value with a `:` or a `/`.
pub fn url(key: &str, value: &str) -> Result<SafeUrl, NoLink> {
    let url = match key {
        "twitter" | "mastodon" | "github" | "linkedin" if !value.contains([':', '/']) => {
            handle_url(key, value).ok_or(NoLink::Malformed)?
        }
        _ => value.to_string(),
    };
    SafeUrl::new(url).map_err(|_| NoLink::Unsafe)
}

/// The page of the account `value` names, for a key that takes a handle.
fn handle_url(key: &str, value: &str) -> Option<String> {
    match key {
        "twitter" => handle(value).map(|h| format!("https://twitter.com/{h}")),
        "github" => handle(value).map(|h| format!("https://github.com/{h}")),
        "linkedin" => handle(value).map(|h| format!("https://www.linkedin.com/in/{h}")),
        _ => mastodon(value),
    }
}

/// An example of what `key` takes, for hints (`"@ada"`).
pub fn example(key: &str) -> &'static str {
    match key {
        "twitter" => "\"@ada\"",
        "mastodon" => "\"@ada@example.social\"",
        "github" | "linkedin" => "\"ada\"",
        "repository" => "\"https://github.com/example/project\"",
        _ => "\"https://example.org/\"",
    }
}

/// `@ada` or `ada` as `ada`, if it is made of letters, digits, `_`, `-`, `.`.
fn handle(value: &str) -> Option<&str> {
    let name = value.strip_prefix('@').unwrap_or(value);
    is_name(name).then_some(name)
}

/// `@ada@example.social` (or without the first `@`) as the account's URL.
fn mastodon(value: &str) -> Option<String> {
    let account = value.strip_prefix('@').unwrap_or(value);
    let (user, host) = account.split_once('@')?;
    let host_ok = host.contains('.') && host.split('.').all(is_name);
    (is_name(user) && host_ok).then(|| format!("https://{host}/@{user}"))
}

fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(key: &str, value: &str) -> Result<String, NoLink> {
        url(key, value).map(|u| u.as_str().to_string())
    }

    #[test]
    fn handles_become_profile_urls() {
        assert_eq!(link("twitter", "@ada").unwrap(), "https://twitter.com/ada");
        assert_eq!(link("twitter", "ada").unwrap(), "https://twitter.com/ada");
        assert_eq!(link("github", "ada").unwrap(), "https://github.com/ada");
        assert_eq!(
            link("linkedin", "ada").unwrap(),
            "https://www.linkedin.com/in/ada"
        );
        assert_eq!(
            link("mastodon", "@ada@example.social").unwrap(),
            "https://example.social/@ada"
        );
    }

    #[test]
    fn urls_are_kept_as_written_when_safe() {
        let url = "https://www.linkedin.com/in/ada-l/";
        assert_eq!(link("linkedin", url).unwrap(), url);
        assert_eq!(link("homepage", "ada.example").unwrap(), "ada.example");
        assert_eq!(link("twitter", "javascript:alert(1)"), Err(NoLink::Unsafe));
        assert_eq!(link("homepage", "data:text/html,x"), Err(NoLink::Unsafe));
    }

    #[test]
    fn other_values_are_no_handle() {
        assert_eq!(link("twitter", "ada lovelace"), Err(NoLink::Malformed));
        assert_eq!(link("mastodon", "@ada"), Err(NoLink::Malformed));
        assert_eq!(link("mastodon", "ada@localhost"), Err(NoLink::Malformed));
        assert_eq!(link("github", "@"), Err(NoLink::Malformed));
    }
}
