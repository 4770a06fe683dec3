//! Hover previews: the small card a reader sees when pointing at a link to
//! a talk or an entity. Each such page has its preview in a file beside it
//! ([`urls::PREVIEW_FILE`]), a one-line script that hands the card to
//! `static/preview.js`. That script loads a page's preview with a
//! `<script>` tag only when a link to the page is hovered or focused: a
//! reader downloads the cards they ask for, never the whole site, and
//! script tags load from `file://`, where `fetch` cannot.
//!
//! A talk's preview shows only what its card shows (the rule in the module
//! above), so `serve` knows when to write it again.

use serde::Serialize;

use super::cards;
use crate::diagnostics::Diagnostic;
use crate::graph::Entity;
use crate::ids::TalkId;
use crate::site::Site;
use crate::urls;

/// The name of the function a preview file calls (`static/preview.js`
/// defines it).
const CALLBACK: &str = "talkbookPreview";

/// What a preview card shows.
#[derive(Debug, Serialize)]
pub struct Preview<'a> {
    /// The previewed page, site-relative (`talks/x/`): what the browser
    /// files the card under.
    path: String,
    /// What an entity is (`speaker`, `project`…); none for a talk.
    kind: Option<&'static str>,
    title: &'a str,
    /// Short facts, shown on one line: a talk's speakers, event and date;
    /// an entity's affiliation and number of talks.
    meta: Vec<String>,
    summary: &'a str,
}

/// The preview of talk `id`: its card's title, speakers, event, date and
/// summary.
pub fn talk(site: &Site, id: TalkId) -> Preview<'_> {
    let card = cards::card(site, id);
    let shown = card.shown();
    let speakers = (!shown.speakers.is_empty()).then(|| shown.speakers.join(", "));
    let meta = [
        speakers,
        shown.event_name.map(str::to_string),
        shown.date_human.clone(),
    ];
    Preview {
        path: shown.url.clone(),
        kind: None,
        title: shown.title,
        meta: meta.into_iter().flatten().collect(),
        summary: shown.summary,
    }
}

/// The preview of `entity`: its name, affiliation, number of talks, and the
/// first paragraph of its profile.
pub fn entity<'a>(site: &'a Site, entity: &'a Entity) -> Preview<'a> {
    let talks = match entity.talk_count() {
        1 => "1 talk".to_string(),
        n => format!("{n} talks"),
    };
    let summary = entity
        .profile
        .map_or("", |id| site.profiles[id].body.excerpt.as_str());
    Preview {
        path: urls::entity(entity.kind, &entity.slug),
        kind: Some(entity.kind.singular()),
        title: &entity.name,
        meta: entity.affiliation.iter().cloned().chain([talks]).collect(),
        summary,
    }
}

/// The preview file's text: a call handing `preview` to the page's script.
/// The card's text is shown as text, never parsed as HTML; still, no `<` is
/// written raw (`\u003c` in JSON strings), so the file holds no markup even
/// when served as something else.
pub fn script(preview: &Preview) -> Result<String, Diagnostic> {
    let json = serde_json::to_string(preview)
        .map_err(|err| Diagnostic::internal(format!("the preview of /{}: {err}", preview.path)))?;
    Ok(format!("{CALLBACK}({});\n", json.replace('<', "\\u003c")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::EntityKind;

    fn sample() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Site::load(root, false).unwrap()
    }

    #[test]
    fn a_talk_preview_calls_the_page_script_with_the_card() {
        let site = sample();
        let id = site
            .notes()
            .ids()
            .find(|&id| site.talks[id].note.slug == "telepresence-seamless-dev-environments")
            .unwrap();
        let text = script(&talk(&site, id)).unwrap();
        let json = text
            .strip_prefix("talkbookPreview(")
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            value["path"],
            "talks/telepresence-seamless-dev-environments/"
        );
        assert_eq!(value["kind"], serde_json::Value::Null);
        assert!(value["title"].as_str().unwrap().contains("Telepresence"));
        let meta = value["meta"].to_string();
        assert!(meta.contains("KubeCon"), "{meta}");
        assert!(!value["summary"].as_str().unwrap().is_empty());
    }

    #[test]
    fn no_angle_bracket_is_written_raw() {
        let site = sample();
        let mut preview = talk(&site, TalkId::new(0));
        preview.title = "<script>alert(1)</script>";
        let text = script(&preview).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(
            text.contains(r"\u003cscript>alert(1)\u003c/script>"),
            "{text}"
        );
    }

    #[test]
    fn an_entity_preview_counts_its_talks() {
        let site = sample();
        let kubernetes = site
            .graph
            .entity(EntityKind::Project, "kubernetes")
            .unwrap();
        let preview = entity(&site, kubernetes);
        assert_eq!(preview.kind, Some("project"));
        assert_eq!(preview.path, "projects/kubernetes/");
        assert_eq!(
            preview.meta.last().unwrap(),
            &format!("{} talks", kubernetes.talk_count())
        );
    }
}
