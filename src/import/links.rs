//! What a link is, from its title or address: slides, a recording, or a
//! speaker's homepage or social profile.

use super::model::Link;

/// A talk's links sorted out: the first slides, the first recording, the rest.
#[derive(Debug, Default, PartialEq)]
pub struct TalkLinks {
    /// The slides.
    pub slides: Option<String>,
    /// The recording.
    pub video: Option<String>,
    /// Every other link.
    pub other: Vec<Link>,
}

/// Words that make a link the slides.
const SLIDES: &[&str] = &["slide", "deck"];

/// Words that make a link the recording.
const VIDEO: &[&str] = &["video", "recording", "youtube", "youtu.be", "vimeo"];

/// Sorts a talk's `links` into slides, recording and others.
pub fn talk_links(links: &[Link]) -> TalkLinks {
    let mut sorted = TalkLinks::default();
    for link in links {
        if sorted.slides.is_none() && mentions(link, SLIDES) {
            sorted.slides = Some(link.url.clone());
        } else if sorted.video.is_none() && mentions(link, VIDEO) {
            sorted.video = Some(link.url.clone());
        } else {
            sorted.other.push(link.clone());
        }
    }
    sorted
}

/// The profile keys a speaker's link may fill, and the words that tell each.
const PROFILE_KEYS: &[(&str, &[&str])] = &[
    ("twitter", &["twitter", "x.com/"]),
    ("github", &["github"]),
    ("linkedin", &["linkedin"]),
    ("mastodon", &["mastodon"]),
    ("homepage", &["blog", "website", "homepage", "home page"]),
];

/// The profile key `link` fills (`twitter`, `homepage`...), if the source tells.
pub fn profile_key(link: &Link) -> Option<&'static str> {
    PROFILE_KEYS
        .iter()
        .find(|(_, words)| mentions(link, words))
        .map(|(key, _)| *key)
}

/// Whether the link's title or address holds one of `words`, ignoring case.
fn mentions(link: &Link, words: &[&str]) -> bool {
    let title = link.title.to_lowercase();
    let url = link.url.to_lowercase();
    words.iter().any(|w| title.contains(w) || url.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(title: &str, url: &str) -> Link {
        Link {
            title: title.into(),
            url: url.into(),
        }
    }

    #[test]
    fn slides_and_recordings_are_told_by_title_or_address() {
        let sorted = talk_links(&[
            link("Slides", "https://x.org/a.pdf"),
            link("", "https://www.youtube.com/watch?v=1"),
            link("Code", "https://github.com/x/y"),
        ]);
        assert_eq!(sorted.slides.as_deref(), Some("https://x.org/a.pdf"));
        assert_eq!(
            sorted.video.as_deref(),
            Some("https://www.youtube.com/watch?v=1")
        );
        assert_eq!(sorted.other, [link("Code", "https://github.com/x/y")]);
    }

    #[test]
    fn speaker_links_fill_the_profile_key_they_name() {
        assert_eq!(
            profile_key(&link("Twitter", "https://twitter.com/a")),
            Some("twitter")
        );
        assert_eq!(
            profile_key(&link("Blog", "https://a.dev")),
            Some("homepage")
        );
        assert_eq!(profile_key(&link("Other", "https://a.dev")), None);
    }
}
