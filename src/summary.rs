//! What talkbook did not use from the user's files, told once at the end of
//! `build` and `check`: front-matter keys it does not know (with the
//! `[keys]` line that would map a close one), profiles no talk refers to,
//! and files left out of the site, by reason. A site converted from
//! elsewhere builds without errors and still loses its speakers to a key
//! named `presenter_slugs`: this is where the user learns it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::content::note::KEYS;
use crate::content::{Skip, Skipped};
use crate::diagnostics::{SHOWN_PER_KIND, count, printable, printable_path, thousands};
use crate::site::Site;

/// How many example paths are shown for each reason files were left out.
const EXAMPLES: usize = 3;

/// What a site's files say that talkbook did not use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Front-matter keys of notes that talkbook does not use, most used first.
    pub unknown_keys: Vec<UnknownKey>,
    /// Profile files of entities that no talk names, by path.
    pub unused_profiles: Vec<PathBuf>,
    /// Files in the notes folders left out of the site, by reason.
    pub skipped: Vec<SkippedFiles>,
}

/// One front-matter key that talkbook does not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as the notes write it.
    pub key: String,
    /// How many notes set it.
    pub notes: usize,
    /// talkbook's key it likely means, if one is close.
    pub suggestion: Option<&'static str>,
}

/// The files left out of the site for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFiles {
    /// Why they were left out.
    pub why: Skip,
    /// How many.
    pub count: usize,
    /// The first few, relative to the site root.
    pub examples: Vec<PathBuf>,
}

impl Summary {
    /// The summary of a loaded `site`.
    pub fn of(site: &Site) -> Summary {
        Summary {
            unknown_keys: unknown_keys(site),
            unused_profiles: unused_profiles(site),
            skipped: skipped(&site.skipped),
        }
    }

    /// Whether there is nothing to tell.
    pub fn is_empty(&self) -> bool {
        self.unknown_keys.is_empty() && self.unused_profiles.is_empty() && self.skipped.is_empty()
    }
}

/// Every key of the notes' `extra` that nothing uses (`[content] only`
/// uses its keys), with how many notes set it, most first.
fn unknown_keys(site: &Site) -> Vec<UnknownKey> {
    let only = &site.config.content.only;
    let mut notes: BTreeMap<&str, usize> = BTreeMap::new();
    for note in site.notes().iter() {
        for key in note.extra.keys().filter(|key| !only.contains_key(*key)) {
            *notes.entry(key).or_default() += 1;
        }
    }
    let mut keys: Vec<UnknownKey> = notes
        .into_iter()
        .map(|(key, notes)| UnknownKey {
            key: key.to_string(),
            notes,
            suggestion: close_key(key),
        })
        .collect();
    keys.sort_by(|a, b| b.notes.cmp(&a.notes).then_with(|| a.key.cmp(&b.key)));
    keys
}

/// talkbook's key that `theirs` likely means: one its first word names
/// (`video_url`: `video`; `speaker_names`: `speakers`), or one it misspells
/// by a letter or two (`titel`: `title`).
fn close_key(theirs: &str) -> Option<&'static str> {
    let lower = theirs.to_lowercase();
    let first = lower.split(['_', '-', ' ', '.']).next().unwrap_or_default();
    let same_word =
        |ours: &str| first == ours || format!("{first}s") == ours || format!("{ours}s") == first;
    let typo =
        |ours: &str| lower.chars().count() >= 4 && strsim::damerau_levenshtein(&lower, ours) <= 2;
    let find = |test: &dyn Fn(&str) -> bool| KEYS.iter().copied().find(|ours| test(ours));
    find(&same_word).or_else(|| find(&typo))
}

/// The profile file of every entity that no talk names.
fn unused_profiles(site: &Site) -> Vec<PathBuf> {
    let mut unused: Vec<PathBuf> = site
        .graph
        .unreferenced_profiles()
        .into_iter()
        .map(|id| site.profiles[id].profile.source.clone())
        .collect();
    unused.sort();
    unused
}

/// `skipped`, counted by reason, with a few examples of each.
fn skipped(skipped: &[Skipped]) -> Vec<SkippedFiles> {
    let mut by_reason: BTreeMap<Skip, SkippedFiles> = BTreeMap::new();
    for file in skipped {
        let group = by_reason.entry(file.why).or_insert_with(|| SkippedFiles {
            why: file.why,
            count: 0,
            examples: Vec::new(),
        });
        group.count += 1;
        if group.examples.len() < EXAMPLES {
            group.examples.push(file.source.clone());
        }
    }
    by_reason.into_values().collect()
}

/// Why files were left out, as the summary says it.
fn reason(why: Skip) -> &'static str {
    match why {
        Skip::NotANote => "not notes (their extension is not one of [content] extensions)",
        Skip::Excluded => "excluded by [content] exclude",
        Skip::Index => "index files of a notes folder, which name no event",
        Skip::NotOnly => "left out by [content] only",
        Skip::Draft => "drafts, left out (build with --drafts to include them)",
    }
}

/// The summary for the terminal, a line break after each line; nothing when
/// there is nothing to tell.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.unknown_keys.is_empty() {
            writeln!(
                f,
                "Front-matter keys talkbook does not use (its keys: {}):",
                KEYS.join(", ")
            )?;
            for key in self.unknown_keys.iter().take(SHOWN_PER_KIND) {
                writeln!(f, "  {key}")?;
            }
            more(f, self.unknown_keys.len(), "keys")?;
        }
        if !self.unused_profiles.is_empty() {
            writeln!(
                f,
                "Profiles no talk refers to (a talk names a profile by its name or its file name):"
            )?;
            for path in self.unused_profiles.iter().take(SHOWN_PER_KIND) {
                writeln!(f, "  {}", printable_path(path))?;
            }
            more(f, self.unused_profiles.len(), "profiles")?;
        }
        if !self.skipped.is_empty() {
            writeln!(f, "Files left out of the site:")?;
            for group in &self.skipped {
                let examples: Vec<String> =
                    group.examples.iter().map(|p| printable_path(p)).collect();
                let etc = if group.count > group.examples.len() {
                    ", ..."
                } else {
                    ""
                };
                writeln!(
                    f,
                    "  {} {}: {}{etc}",
                    thousands(group.count),
                    reason(group.why),
                    examples.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// `... and 12 more keys` when `total` is more than is shown.
fn more(f: &mut fmt::Formatter<'_>, total: usize, what: &str) -> fmt::Result {
    if total > SHOWN_PER_KIND {
        writeln!(
            f,
            "  ... and {} more {what}",
            thousands(total - SHOWN_PER_KIND)
        )?;
    }
    Ok(())
}

impl fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = printable(&self.key);
        write!(f, "{key} ({}): ", count(self.notes, "note"))?;
        match self.suggestion {
            Some(ours) => write!(
                f,
                "did you mean {ours}? map it with [keys] {} = \"{ours}\"",
                toml_key(&key)
            ),
            None => write!(
                f,
                "not used; map it in [keys] if it means one of talkbook's keys"
            ),
        }
    }
}

/// `key` as a TOML key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::site::Markdown;

    fn key(key: &str, notes: usize) -> String {
        UnknownKey {
            key: key.into(),
            notes,
            suggestion: close_key(key),
        }
        .to_string()
    }

    #[test]
    fn a_close_key_is_suggested_with_its_mapping() {
        assert_eq!(
            key("video_url", 90),
            "video_url (90 notes): did you mean video? map it with [keys] video_url = \"video\""
        );
        assert_eq!(close_key("speaker_names"), Some("speakers"));
        assert_eq!(close_key("Tag"), Some("tags"));
        assert_eq!(close_key("titel"), Some("title"));
        assert_eq!(close_key("slides-link"), Some("slides"));
        assert!(key("video url", 2).contains("[keys] \"video url\" = \"video\""));
    }

    #[test]
    fn a_key_like_none_of_ours_is_only_counted() {
        assert_eq!(
            key("layout", 1),
            "layout (1 note): not used; map it in [keys] if it means one of talkbook's keys"
        );
        assert_eq!(close_key("presenter_slugs"), None);
        assert_eq!(close_key("room"), None);
    }

    #[test]
    fn skipped_files_are_counted_by_reason_with_a_few_examples() {
        let file = |name: &str, why| Skipped {
            source: PathBuf::from(name),
            why,
        };
        let mut files: Vec<Skipped> = (0..5)
            .map(|i| file(&format!("content/{i}.txt"), Skip::NotANote))
            .collect();
        files.push(file("content/LICENSE", Skip::Excluded));
        let summary = Summary {
            skipped: skipped(&files),
            ..Summary::default()
        };
        assert_eq!(
            summary.to_string(),
            "Files left out of the site:\n  \
             5 not notes (their extension is not one of [content] extensions): \
             content/0.txt, content/1.txt, content/2.txt, ...\n  \
             1 excluded by [content] exclude: content/LICENSE\n"
        );
    }

    #[test]
    fn nothing_to_tell_prints_nothing() {
        let summary = Summary::default();
        assert!(summary.is_empty());
        assert_eq!(summary.to_string(), "");
    }

    #[test]
    fn a_site_tells_its_unknown_keys_by_count_and_its_unused_profiles() {
        use crate::content::{Content, KeyMap, Note, Profile};
        use crate::entity::EntityKind;
        let note = |name: &str, text: &str| {
            Note::parse(Path::new(name), text, &KeyMap::default()).unwrap()
        };
        let notes = vec![
            note(
                "content/a.md",
                "---\ntitle: A\nlayout: talk\nvideo_url: x\nspeakers: [Ada]\n---\n",
            ),
            note("content/b.md", "---\ntitle: B\nvideo_url: y\n---\n"),
        ];
        let profile = |slug: &str| {
            let path = format!("content/speakers/{slug}.md");
            Profile::parse(
                EntityKind::Speaker,
                Path::new(&path),
                "Bio.\n",
                &KeyMap::default(),
            )
            .unwrap()
        };
        let content = Content {
            notes,
            profiles: vec![profile("ada"), profile("grace")],
            skipped: Vec::new(),
        };
        let site = Site::assemble(Path::new("."), Default::default(), content, Markdown::Keep);
        let summary = Summary::of(&site);
        let keys: Vec<(&str, usize)> = summary
            .unknown_keys
            .iter()
            .map(|k| (k.key.as_str(), k.notes))
            .collect();
        assert_eq!(keys, [("video_url", 2), ("layout", 1)]);
        assert_eq!(
            summary.unused_profiles,
            [PathBuf::from("content/speakers/grace.md")]
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let summary = Summary {
            unused_profiles: (0..25)
                .map(|i| PathBuf::from(format!("content/speakers/{i}.md")))
                .collect(),
            ..Summary::default()
        };
        let shown = summary.to_string();
        assert_eq!(shown.lines().count(), 22, "{shown}");
        assert!(shown.ends_with("  ... and 5 more profiles\n"), "{shown}");
    }
}
