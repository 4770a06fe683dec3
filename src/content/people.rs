//! People named in a heading: `"Title" by A and B`, `Title - A, Role,
//! Company & B, Company`, and speaker headings `Name, Role, Company`.
//!
//! These are guesses from text, so each is guarded: every person's name must
//! [look like a name](looks_like_name), and a `-` title or a speaker heading
//! must give at least one affiliation (a comma), so that `Kubernetes - the
//! hard way` or `## Key Takeaways` name nobody. A name alone before `&` or
//! `and` shares the company of the person after it: `A & B, Spotify`.
//!
//! `talkbook import report` finds the talks of a blog post with the same
//! reading, so a post and a note's heading name people alike.

use super::speaker::Speaker;

/// The dashes that may part a title from its speakers, with spaces around.
const DASHES: &[&str] = &[" - ", " – ", " — "];

/// Quotes that may open and close a title in a `"Title" by A` heading.
const OPEN_QUOTES: &[char] = &['"', '“', '„'];
const CLOSE_QUOTES: &[char] = &['"', '”', '“'];

/// Lowercase words that may sit inside a name: `Ludwig van Beethoven`.
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das", "la", "le",
    "bin", "ibn", "al", "ter", "ten", "zu", "y",
];

/// Words that make a heading's text not a name even when capitalised:
/// `Kubernetes - The Hard Way`, `## Lessons Learned, Part 2`.
const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "and",
    "at",
    "by",
    "for",
    "from",
    "how",
    "in",
    "into",
    "is",
    "of",
    "on",
    "or",
    "our",
    "the",
    "to",
    "what",
    "when",
    "why",
    "with",
    "your",
    "my",
    "part",
    "day",
    "keynote",
    "intro",
    "introduction",
    "overview",
    "summary",
    "notes",
    "lessons",
    "learned",
    "conclusion",
    "takeaways",
    "session",
    "talk",
    "workshop",
    "panel",
    "demo",
    "q&a",
    "questions",
    "update",
];

/// Company-name endings that follow a comma: `Synadia Communications, Inc.`.
const COMPANY_ENDINGS: &[&str] = &[
    "inc", "inc.", "ltd", "ltd.", "llc", "gmbh", "ag", "sa", "s.a.", "corp", "corp.", "co.", "plc",
    "b.v.", "bv", "se",
];

/// A title heading that names its speakers: its title part and the people.
pub fn split_title(heading: &str) -> Option<(String, Vec<Speaker>)> {
    quoted_by(heading).or_else(|| dashed(heading))
}

/// A speaker heading: people separated by `;`, `&` or ` and ` (or line
/// breaks), each `Name`, `Name, Company` or `Name, Role, Company`.
pub fn speaker_heading(text: &str) -> Option<Vec<Speaker>> {
    with_affiliations(&text.replace('\n', ";"))
}

/// `"Title" by A, B and C` (straight or curly quotes).
fn quoted_by(heading: &str) -> Option<(String, Vec<Speaker>)> {
    let inside = heading.strip_prefix(OPEN_QUOTES)?;
    let close = inside.find(CLOSE_QUOTES)?;
    let title = inside[..close].trim();
    let rest = inside[close..]
        .trim_start_matches(CLOSE_QUOTES)
        .trim_start();
    let names = rest
        .strip_prefix("by ")
        .or_else(|| rest.strip_prefix("By "))?;
    let people: Vec<&str> = split_people(names)
        .flat_map(|part| part.split(','))
        .map(|name| name.trim().trim_start_matches("and ").trim())
        .filter(|name| !name.is_empty())
        .collect();
    if title.is_empty() || people.is_empty() || !people.iter().all(|n| looks_like_name(n)) {
        return None;
    }
    Some((
        title.to_string(),
        people.into_iter().map(Speaker::named).collect(),
    ))
}

/// `Title - A, Role, Company & B, Company`, parted at the last dash.
fn dashed(heading: &str) -> Option<(String, Vec<Speaker>)> {
    let (at, dash) = DASHES
        .iter()
        .filter_map(|dash| Some((heading.rfind(dash)?, dash.len())))
        .max()?;
    let title = heading[..at].trim();
    let people = with_affiliations(&heading[at + dash..])?;
    (!title.is_empty()).then(|| (title.to_string(), people))
}

/// People with their affiliations, when there is at least one affiliation
/// and every name looks like one.
fn with_affiliations(text: &str) -> Option<Vec<Speaker>> {
    if !text.contains(',') {
        return None;
    }
    let mut people = Vec::new();
    for part in split_people(text) {
        people.extend(persons(part)?);
    }
    share_companies(&mut people);
    (!people.is_empty()).then_some(people)
}

/// Gives a person named alone (no role, no company) the company of the
/// person after them: `Dave Zolotusky & James Wen, Spotify`.
fn share_companies(people: &mut [Speaker]) {
    let mut next: Option<String> = None;
    for speaker in people.iter_mut().rev() {
        if speaker.affiliation.is_none() && speaker.role.is_none() {
            speaker.affiliation.clone_from(&next);
        }
        next.clone_from(&speaker.affiliation);
    }
}

/// Text split at `;`, `&` and ` and `, without empty parts.
fn split_people(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

/// `Name[, Role][, Company]` — or several such joined by commas, when a
/// part after the second looks like a name and is not the last
/// (`Fawad Khaliq, VMware Inc, Laurent Demailly, Google`).
fn persons(text: &str) -> Option<Vec<Speaker>> {
    let parts = comma_parts(text);
    let mut people = Vec::new();
    let mut start = 0;
    for at in 2..parts.len() {
        if at + 1 < parts.len() && at >= start + 2 && looks_like_name(&parts[at]) {
            people.push(person(&parts[start..at])?);
            start = at;
        }
    }
    people.push(person(&parts[start..])?);
    Some(people)
}

/// `[name]`, `[name, company]` or `[name, role, company...]`.
fn person(parts: &[String]) -> Option<Speaker> {
    let (name, rest) = parts.split_first()?;
    if !looks_like_name(name) {
        return None;
    }
    let mut speaker = Speaker::named(name.as_str());
    match rest {
        [] => {}
        [company] => speaker.affiliation = Some(company.clone()),
        [role, company @ ..] => {
            speaker.role = Some(role.clone());
            speaker.affiliation = Some(company.join(", "));
        }
    }
    Some(speaker)
}

/// The comma-separated parts of `text`, a company ending kept with the part before.
fn comma_parts(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match parts.last_mut() {
            Some(last) if COMPANY_ENDINGS.contains(&part.to_lowercase().as_str()) => {
                last.push_str(", ");
                last.push_str(part);
            }
            _ => parts.push(part.to_string()),
        }
    }
    parts
}

/// Two to four words, each starting with a capital letter or a lowercase
/// particle (`van`, `de`, ...) between them; letters, `.`, `-` and
/// apostrophes only; none of the common words of titles (`The`, `Part`).
pub fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = |word: &&str| word.chars().next().is_some_and(char::is_uppercase);
    let letters = |word: &&str| {
        word.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
    };
    let not_a_title_word = |word: &&str| !NOT_NAMES.contains(&word.to_lowercase().as_str());
    (2..=4).contains(&words.len())
        && words.first().is_some_and(capitalised)
        && words.last().is_some_and(capitalised)
        && words
            .iter()
            .all(|w| capitalised(w) || PARTICLES.contains(w))
        && words.iter().all(letters)
        && words.iter().all(not_a_title_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(name: &str, role: Option<&str>, affiliation: Option<&str>) -> Speaker {
        Speaker {
            role: role.map(str::to_string),
            affiliation: affiliation.map(str::to_string),
            ..Speaker::named(name)
        }
    }

    fn names(people: &[Speaker]) -> Vec<&str> {
        people.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn quoted_title_by_people() {
        let (title, people) =
            split_title("\"Scaling Teams\" by Ada Lovelace and Grace Hopper").unwrap();
        assert_eq!(title, "Scaling Teams");
        assert_eq!(names(&people), ["Ada Lovelace", "Grace Hopper"]);
        let (title, people) = split_title(
            "“Kubernetes - the hard way” by Ada Lovelace, Bo Smith and Ludwig van Beethoven",
        )
        .unwrap();
        assert_eq!(title, "Kubernetes - the hard way");
        assert_eq!(
            names(&people),
            ["Ada Lovelace", "Bo Smith", "Ludwig van Beethoven"]
        );
    }

    #[test]
    fn the_sample_reports_talk_lines() {
        let line = "CNCF Project Update - Liz Rice, Technology Evangelist, Aqua Security; Sugu Sougoumarane, CTO, PlanetScale Data; Colin Sullivan, Product Manager, Synadia Communications, Inc. & Andrew Jessup, Co-founder, Scytale Inc.";
        let (title, people) = split_title(line).unwrap();
        assert_eq!(title, "CNCF Project Update");
        assert_eq!(
            people,
            [
                speaker(
                    "Liz Rice",
                    Some("Technology Evangelist"),
                    Some("Aqua Security")
                ),
                speaker("Sugu Sougoumarane", Some("CTO"), Some("PlanetScale Data")),
                speaker(
                    "Colin Sullivan",
                    Some("Product Manager"),
                    Some("Synadia Communications, Inc.")
                ),
                speaker("Andrew Jessup", Some("Co-founder"), Some("Scytale Inc.")),
            ]
        );
        let (title, people) = split_title(
            "Keynote: Prometheus 2.0 – The Next Scale of Cloud Native Monitoring - Fabian Reinartz, Software Engineer, Google",
        )
        .unwrap();
        assert_eq!(
            title,
            "Keynote: Prometheus 2.0 – The Next Scale of Cloud Native Monitoring"
        );
        assert_eq!(
            people,
            [speaker(
                "Fabian Reinartz",
                Some("Software Engineer"),
                Some("Google")
            )]
        );
        let (_, people) = split_title(
            "Performance and Scale @ Istio Service Mesh - Fawad Khaliq, VMware Inc, Laurent Demailly, Google & Surya V Duggirala, IBM",
        )
        .unwrap();
        assert_eq!(
            people,
            [
                speaker("Fawad Khaliq", None, Some("VMware Inc")),
                speaker("Laurent Demailly", None, Some("Google")),
                speaker("Surya V Duggirala", None, Some("IBM")),
            ]
        );
        let (_, people) =
            split_title("From Data Centers to Cloud Native - Dave Zolotusky & James Wen, Spotify")
                .unwrap();
        assert_eq!(
            people,
            [
                speaker("Dave Zolotusky", None, Some("Spotify")),
                speaker("James Wen", None, Some("Spotify"))
            ]
        );
    }

    #[test]
    fn titles_that_name_nobody() {
        for heading in [
            "Kubernetes - the hard way",
            "Kubernetes - The Hard Way",
            "Mesh config - global Istio config",
            "Observability - Lessons Learned",
            "Go - Ada Lovelace",
            "Release 2.0 - Prometheus 2.0, Part 2",
            "\"Scaling\" by the team",
            "\"Scaling\" by",
            "Plain title",
            "- Ada Lovelace, ACME",
        ] {
            assert_eq!(split_title(heading), None, "{heading}");
        }
    }

    #[test]
    fn speaker_headings() {
        assert_eq!(
            speaker_heading("Ada Lovelace, CTO, Analytical Engines").unwrap(),
            [speaker(
                "Ada Lovelace",
                Some("CTO"),
                Some("Analytical Engines")
            )]
        );
        let people =
            speaker_heading("Ada Lovelace, ACME & Grace Hopper, Navy\nBo Smith, Foo").unwrap();
        assert_eq!(names(&people), ["Ada Lovelace", "Grace Hopper", "Bo Smith"]);
        for heading in [
            "Key Takeaways",
            "Lessons Learned, Part 2",
            "Setup, then run",
            "Ada Lovelace",
        ] {
            assert_eq!(speaker_heading(heading), None, "{heading}");
        }
    }

    #[test]
    fn what_looks_like_a_name() {
        for name in [
            "Ada Lovelace",
            "Bjarte S. Karlsen",
            "Jean-Luc O'Brien",
            "Ludwig van Beethoven",
            "Surya V Duggirala",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
        for name in [
            "Ada",
            "the hard way",
            "The Hard Way",
            "van Beethoven",
            "Prometheus 2.0",
            "A B C D E",
        ] {
            assert!(!looks_like_name(name), "{name}");
        }
    }
}
