//! Hover previews: the small card a reader sees when pointing at a link to
//! a talk or an entity. The cards are grouped into files, one for about
//! [`PER_FILE`] notes ([`urls::previews`]), each a one-line script that
//! hands its cards to `static/preview.js`. That script loads a file with a
//! `<script>` tag only when a link to one of its pages is hovered or
//! focused: a reader downloads a few cards for each they ask for, never the
//! whole site, and script tags load from `file://`, where `fetch` cannot. A
//! file per card made 40% of a site's files (118,468 of 296,782 at 100,000
//! notes).
//!
//! Which file holds a page's card is decided from the page's URL alone
//! ([`file_of`]), by this code and by `static/preview.js` alike, among a
//! number of files that depends on the number of notes only
//! ([`file_count`]): every page carries that number, and `serve`
//! fingerprints every page again when notes appear or go.
//!
//! A talk's preview shows only what its card shows (the rule in the module
//! above), so `serve` knows when to write it again.

use serde::Serialize;

use super::cards;
use crate::diagnostics::Diagnostic;
use crate::entity::EntityKind;
use crate::graph::Entity;
use crate::ids::TalkId;
use crate::site::Site;
use crate::urls;

/// The name of the function a preview file calls (`static/preview.js`
/// defines it).
const CALLBACK: &str = "talkbookPreviews";

/// About this many notes' cards to a file. Entities' cards join them, so a
/// file holds more: at 100,000 notes some 7 cards, 3 KB; in the sample
/// site, with four times as many entities as notes, some 40.
pub const PER_FILE: usize = 8;

/// How many preview files a site of `notes` notes has: a power of two, so
/// that the file of a URL is its hash's low bits.
pub fn file_count(notes: usize) -> usize {
    notes.div_ceil(PER_FILE).next_power_of_two()
}

/// Which of `files` preview files (from [`file_count`]) holds the card of
/// the page at `path` (`talks/x/`): the low bits of the 32-bit FNV-1a hash
/// of its bytes. `static/preview.js` computes the same.
pub fn file_of(path: &str, files: usize) -> usize {
    file_of_parts(&[path], files)
}

/// [`file_of`] the URL made of `parts`, without making it.
fn file_of_parts(parts: &[&str], files: usize) -> usize {
    let bytes = parts.iter().flat_map(|part| part.bytes());
    let hash = bytes.fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash as usize & (files - 1)
}

/// The pages whose cards one preview file holds, talks first, each list in
/// the site's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bundle {
    /// The talks.
    pub talks: Vec<TalkId>,
    /// The speakers, projects, tags and events, by kind and slug.
    pub entities: Vec<(EntityKind, String)>,
}

/// Every preview file of `site` that holds a card, by number. `serve`
/// lists the pages after most edits, so this makes no URL and allocates
/// each file's lists once.
pub fn bundles(site: &Site) -> Vec<(usize, Bundle)> {
    let files = file_count(site.talks.len());
    let talk_files: Vec<usize> = (site.notes().ids())
        .map(|id| file_of_parts(&urls::talk_parts(&site.notes()[id].slug), files))
        .collect();
    let entities: Vec<&Entity> = site.graph.entities().values().collect();
    let entity_files: Vec<usize> = (entities.iter())
        .map(|e| file_of_parts(&urls::entity_parts(e.kind, &e.slug), files))
        .collect();
    let mut sizes = vec![(0, 0); files];
    talk_files.iter().for_each(|&file| sizes[file].0 += 1);
    entity_files.iter().for_each(|&file| sizes[file].1 += 1);
    let mut bundles: Vec<Bundle> = (sizes.into_iter())
        .map(|(talks, entities)| Bundle {
            talks: Vec::with_capacity(talks),
            entities: Vec::with_capacity(entities),
        })
        .collect();
    for (id, file) in site.notes().ids().zip(talk_files) {
        bundles[file].talks.push(id);
    }
    for (entity, file) in entities.into_iter().zip(entity_files) {
        bundles[file]
            .entities
            .push((entity.kind, entity.slug.clone()));
    }
    (bundles.into_iter().enumerate())
        .filter(|(_, bundle)| !bundle.talks.is_empty() || !bundle.entities.is_empty())
        .collect()
}

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

/// A preview file's text: a call handing `previews` to the page's script.
/// The cards' text is shown as text, never parsed as HTML; still, no `<` is
/// written raw (`\u003c` in JSON strings), so the file holds no markup even
/// when served as something else.
pub fn script(previews: &[Preview]) -> Result<String, Diagnostic> {
    let json = serde_json::to_string(previews).map_err(|err| {
        let first = previews.first().map_or("", |p| p.path.as_str());
        Diagnostic::internal(format!("the previews file of /{first}: {err}"))
    })?;
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

    /// The cards a preview file's script hands over.
    fn cards_of(text: &str) -> Vec<serde_json::Value> {
        let json = text
            .strip_prefix("talkbookPreviews(")
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_talk_preview_is_handed_to_the_page_script_with_the_card() {
        let site = sample();
        let id = site
            .notes()
            .ids()
            .find(|&id| site.talks[id].note.slug == "telepresence-seamless-dev-environments")
            .unwrap();
        let text = script(&[
            entity(&site, site.graph.entities().values().next().unwrap()),
            talk(&site, id),
        ])
        .unwrap();
        let cards = cards_of(&text);
        let value = &cards[1];
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
        let text = script(&[preview]).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(
            text.contains(r"\u003cscript>alert(1)\u003c/script>"),
            "{text}"
        );
    }

    #[test]
    fn about_eight_notes_go_to_a_file() {
        let counts = [0, 1, 8, 9, 17, 10_000, 100_000].map(file_count);
        assert_eq!(counts, [1, 1, 1, 2, 4, 2048, 16384]);
    }

    /// The hash is FNV-1a's, which `static/preview.js` computes too.
    #[test]
    fn a_page_goes_to_the_file_of_its_urls_hash() {
        // FNV-1a of "a" is 0xe40c292c; of "talks/x/", 0xe1da58fc.
        assert_eq!(file_of("a", 1 << 16), 0x292c);
        assert_eq!(file_of("talks/x/", 1 << 16), 0x58fc);
        assert_eq!(file_of("talks/x/", 1), 0);
    }

    #[test]
    fn every_card_is_in_the_one_file_its_url_leads_to() {
        let site = sample();
        let files = file_count(site.talks.len());
        let bundles = bundles(&site);
        assert!(bundles.len() > 1, "{bundles:?}");
        let mut talks = 0;
        let mut entities = 0;
        for (number, bundle) in &bundles {
            for &id in &bundle.talks {
                assert_eq!(file_of(&site.talk_url(id), files), *number);
                talks += 1;
            }
            for (kind, slug) in &bundle.entities {
                assert_eq!(file_of(&urls::entity(*kind, slug), files), *number);
                entities += 1;
            }
        }
        assert_eq!(talks, site.talks.len());
        assert_eq!(entities, site.graph.entities().len());
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
