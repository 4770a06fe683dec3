//! pyvideo.org's data (the `pyvideo/data` repository): a folder per event,
//! with `category.json` (the event) and `videos/*.json` (one recorded talk
//! each, read by [`super::pyvideo_talk`]). Every file is read before
//! anything is written; the first malformed one stops the import.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::frab_event::non_empty;
use super::input;
use super::model::{EventRecord, Imported, Reason, SpeakerRecord, Start, TalkRecord};
use super::pyvideo_talk::Recording;
use crate::diagnostics::Diagnostic;

/// The file that makes a folder an event's.
const CATEGORY: &str = "category.json";

/// The folder of an event's recordings.
const VIDEOS: &str = "videos";

/// An event's `category.json`.
#[derive(Debug, Deserialize)]
struct Category {
    title: Option<String>,
    description: Option<String>,
    url: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// Reads the events at `path` (a checkout of pyvideo's data, or one event's
/// folder), or only those whose folders `only` names, in folder order.
pub fn read(path: &Path, only: &[String]) -> Result<Vec<Imported>, Diagnostic> {
    event_folders(path, only)?
        .iter()
        .map(|folder| read_event(folder))
        .collect()
}

/// The event folders to read, sorted.
fn event_folders(path: &Path, only: &[String]) -> Result<Vec<PathBuf>, Diagnostic> {
    let is_event = |folder: &Path| folder.join(CATEGORY).is_file();
    if is_event(path) {
        if !only.is_empty() {
            return Err(Diagnostic::in_file(
                path,
                "is one event's folder: events are named only after a checkout of pyvideo's data",
            )
            .with_hint("give the checkout's folder first, then the events' folder names"));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut folders = if only.is_empty() {
        std::fs::read_dir(path)
            .map_err(|err| Diagnostic::in_file(path, format!("cannot read the folder: {err}")))?
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|folder| is_event(folder))
            .collect()
    } else {
        named_folders(path, only)?
    };
    if folders.is_empty() {
        return Err(Diagnostic::in_file(
            path,
            format!("holds no pyvideo event: no folder in it has a {CATEGORY}"),
        )
        .with_hint("give a checkout of github.com/pyvideo/data, or one event's folder in it"));
    }
    folders.sort();
    folders.dedup();
    Ok(folders)
}

/// The folders of the events `only` names, each checked to be one.
fn named_folders(path: &Path, only: &[String]) -> Result<Vec<PathBuf>, Diagnostic> {
    only.iter()
        .map(|name| {
            let folder = path.join(name);
            if folder.join(CATEGORY).is_file() {
                Ok(folder)
            } else {
                Err(
                    Diagnostic::in_file(path, format!("has no event folder {name:?} (a folder with {CATEGORY})"))
                        .with_hint("name events by their folders' names, as in `talkbook import pyvideo data pycon-us-2019`"),
                )
            }
        })
        .collect()
}

/// One event: its profile, its titled talks, their speakers (by name).
fn read_event(folder: &Path) -> Result<Imported, Diagnostic> {
    let category: Category = parse(&folder.join(CATEGORY), "pyvideo's category.json")?;
    let mut imported = Imported::default();
    let mut speakers = BTreeMap::new();
    for file in recordings(folder)? {
        let recording: Recording = parse(&file, "a pyvideo recording (videos/*.json)")?;
        let Some(title) = recording.title() else {
            imported
                .left_out
                .push((file.display().to_string(), Reason::Untitled));
            continue;
        };
        let names = recording.speaker_names();
        for name in &names {
            speakers
                .entry(name.clone())
                .or_insert_with(|| SpeakerRecord {
                    key: name.clone(),
                    name: name.clone(),
                    ..SpeakerRecord::default()
                });
        }
        let id = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        imported.talks.push(recording.into_talk(id, title, names));
    }
    imported.speakers = speakers.into_values().collect();
    imported.event = event(category, folder, &imported.talks);
    Ok(imported)
}

/// The `videos/*.json` files of the event in `folder`, sorted; none when it
/// has no `videos` folder.
fn recordings(folder: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let videos = folder.join(VIDEOS);
    let entries = match std::fs::read_dir(&videos) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(Diagnostic::in_file(
                &videos,
                format!("cannot read the folder: {err}"),
            ));
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|file| file.extension().is_some_and(|ext| ext == "json") && file.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The JSON file at `path`, read as `expected` says it is.
fn parse<T: DeserializeOwned>(path: &Path, expected: &str) -> Result<T, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Diagnostic::in_file(path, format!("cannot read it: {err}")))?;
    serde_json::from_str(&text).map_err(|err| input::json_error(path, &err, expected))
}

/// The event of `category`, named by its folder when it has no title; its
/// days from the category, or else from its talks.
fn event(category: Category, folder: &Path, talks: &[TalkRecord]) -> EventRecord {
    let day = |text: Option<String>| text.and_then(|t| Start::parse(&t)).map(Start::date);
    let days = || talks.iter().filter_map(|t| t.start.map(Start::date));
    let start = day(category.start_date).or_else(|| days().min());
    let end = day(category.end_date)
        .or_else(|| days().max())
        .filter(|end| start.is_none_or(|start| *end >= start));
    let folder_name = folder.file_name().unwrap_or_default().to_string_lossy();
    EventRecord {
        name: non_empty(category.title).unwrap_or_else(|| folder_name.into_owned()),
        start,
        end,
        homepage: non_empty(category.url),
        description: non_empty(category.description),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn checkout() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "README.rst", "pyvideo data\n");
        write(root, "tools/x.py", "");
        write(
            root,
            "pycon-2019/category.json",
            r#"{"title": "PyCon 2019", "description": "The big one.\n", "url": "https://pycon.org/2019/"}"#,
        );
        write(
            root,
            "pycon-2019/videos/b-talk.json",
            r#"{"title": "B talk", "speakers": ["Ada Lovelace"], "recorded": "2019-05-04",
                "description": "", "videos": [{"type": "youtube", "url": "https://youtu.be/b"}]}"#,
        );
        write(
            root,
            "pycon-2019/videos/a-talk.json",
            r#"{"title": "A talk", "speakers": ["Ada Lovelace", "Grace Hopper"], "recorded": "2019-05-02",
                "description": null, "videos": []}"#,
        );
        write(
            root,
            "pycon-2019/videos/no-title.json",
            r#"{"title": "  ", "speakers": [], "recorded": null, "description": null, "videos": []}"#,
        );
        write(root, "meetup/category.json", r#"{"title": null}"#);
        dir
    }

    #[test]
    fn a_checkout_gives_each_event_its_talks_and_speakers() {
        let dir = checkout();
        let events = read(dir.path(), &[]).unwrap();
        let names: Vec<_> = events.iter().map(|e| e.event.name.as_str()).collect();
        assert_eq!(
            names,
            ["meetup", "PyCon 2019"],
            "folder order; a category without a title is named by its folder"
        );
        let pycon = &events[1];
        assert_eq!(
            pycon.event.homepage.as_deref(),
            Some("https://pycon.org/2019/")
        );
        assert_eq!(pycon.event.description.as_deref(), Some("The big one."));
        assert_eq!(pycon.event.start, "2019-05-02".parse().ok());
        assert_eq!(pycon.event.end, "2019-05-04".parse().ok());
        let titles: Vec<_> = pycon.talks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["A talk", "B talk"]);
        let speakers: Vec<_> = pycon.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(speakers, ["Ada Lovelace", "Grace Hopper"]);
        assert_eq!(pycon.talks[0].speakers, ["Ada Lovelace", "Grace Hopper"]);
        assert_eq!(pycon.left_out.len(), 1);
        assert!(pycon.left_out[0].0.ends_with("no-title.json"));
        assert_eq!(pycon.left_out[0].1, Reason::Untitled);
    }

    #[test]
    fn events_are_chosen_by_folder_or_by_name() {
        let dir = checkout();
        let only = read(dir.path(), &["pycon-2019".into()]).unwrap();
        assert_eq!(only.len(), 1);
        let one = read(&dir.path().join("pycon-2019"), &[]).unwrap();
        assert_eq!(one, only);
        let err = read(dir.path(), &["pycon-2020".into()]).unwrap_err();
        assert!(err.message.contains("\"pycon-2020\""), "{}", err.message);
        let err = read(&dir.path().join("tools"), &[]).unwrap_err();
        assert!(err.message.contains("no pyvideo event"), "{}", err.message);
    }

    #[test]
    fn a_malformed_recording_names_its_file_line_and_column() {
        let dir = checkout();
        write(
            dir.path(),
            "pycon-2019/videos/c-talk.json",
            "{\n  \"title\": \"C\",\n  \"speakers\": [\"Ada\",]\n}",
        );
        let err = read(dir.path(), &[]).unwrap_err();
        assert!(err.file.unwrap().ends_with("c-talk.json"));
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.starts_with("column 22: trailing comma"),
            "{}",
            err.message
        );
    }
}
