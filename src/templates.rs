//! The template engine: tera, with default templates built into the binary
//! that a site overrides by putting a file of the same name in `templates/`.
//!
//! Templates render page *chrome* only. Notes are markdown rendered once in
//! [`crate::markdown`] and inserted as finished HTML, never evaluated here.

mod recursion;

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The default templates, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("talk.html", include_str!("../templates/talk.html")),
    ("entity.html", include_str!("../templates/entity.html")),
    ("speaker.html", include_str!("../templates/speaker.html")),
    ("project.html", include_str!("../templates/project.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("event.html", include_str!("../templates/event.html")),
    ("entities.html", include_str!("../templates/entities.html")),
    ("talks.html", include_str!("../templates/talks.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("graph.html", include_str!("../templates/graph.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
];

/// The folder of a site's own templates.
pub const TEMPLATES_DIR: &str = "templates";

/// Where a template came from, for error messages.
fn origin(root: &Path, name: &str) -> PathBuf {
    let own = Path::new(TEMPLATES_DIR).join(name);
    if root.join(&own).is_file() {
        own
    } else {
        PathBuf::from(format!("{TEMPLATES_DIR}/{name} (built-in)"))
    }
}

/// Loads the default templates and the site's overrides, reporting every
/// template that does not parse.
pub fn load(root: &Path) -> Result<Tera, Diagnostics> {
    let mut sources: Vec<(String, String)> = DEFAULTS
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut problems = Diagnostics::default();
    for (name, text) in site_templates(root, &mut problems) {
        match sources.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = text,
            None => sources.push((name, text)),
        }
    }
    for (name, text) in &sources {
        if let Err(err) = tera::Template::new(name, None, text) {
            problems.push(template_error(root, name, &err));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::default();
    tera.set_escape_fn(escape);
    tera.add_raw_templates(sources.iter().map(|(name, text)| (name, text)))
        .map_err(|err| Diagnostics::from(template_error(root, culprit(&err), &err)))?;
    let endless: Vec<Diagnostic> = recursion::find(&tera)
        .into_iter()
        .map(|found| endless_error(root, &sources, found))
        .collect();
    Diagnostics(endless).into_result(tera)
}

/// The template a tera error of the whole set (an `extends` that loops or
/// leads nowhere) is about; "" when tera does not say.
fn culprit(err: &tera::Error) -> &str {
    match &err.kind {
        tera::ErrorKind::CircularExtend { tpl, .. } => tpl,
        tera::ErrorKind::MissingParent { current, .. } => current,
        _ => "",
    }
}

/// A template that would render forever, as a diagnostic naming the
/// template file and the line where the cycle starts.
fn endless_error(
    root: &Path,
    sources: &[(String, String)],
    found: recursion::Endless,
) -> Diagnostic {
    let text = sources
        .iter()
        .find(|(name, _)| *name == found.template)
        .map_or("", |(_, text)| text);
    let line = match &found.look_for {
        recursion::LookFor::Macro(name) => line_of_macro(text, name),
        recursion::LookFor::Template(name) => line_naming(text, name),
    };
    Diagnostic::in_file(origin(root, &found.template), found.message)
        .at_optional_line(line)
        .with_hint(found.hint)
}

/// The line of `{% macro NAME(` in `text`.
fn line_of_macro(text: &str, name: &str) -> Option<usize> {
    let starts_here = |line: &str| {
        line.match_indices("macro").any(|(at, _)| {
            let rest = line[at + 5..].trim_start();
            rest.strip_prefix(name)
                .is_some_and(|after| after.trim_start().starts_with('('))
        })
    };
    text.lines().position(starts_here).map(|i| i + 1)
}

/// The first line of `text` that names the template `name` in quotes.
fn line_naming(text: &str, name: &str) -> Option<usize> {
    let quoted = ['"', '\'', '`'].map(|q| format!("{q}{name}{q}"));
    text.lines()
        .position(|line| quoted.iter().any(|q| line.contains(q.as_str())))
        .map(|i| i + 1)
}

/// Escapes `& < > "` for HTML text and double-quoted attributes (tera's own
/// escape also rewrites `/`, bloating every URL).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

/// The site's own `templates/*.html` and `*.xml`, by name.
fn site_templates(root: &Path, problems: &mut Diagnostics) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(root.join(TEMPLATES_DIR)) else {
        return Vec::new();
    };
    let mut templates = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if crate::content::is_ignored(&name) || !(name.ends_with(".html") || name.ends_with(".xml"))
        {
            continue;
        }
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => templates.push((name, text)),
            Err(err) => problems.push(Diagnostic::in_file(
                Path::new(TEMPLATES_DIR).join(&name),
                format!("cannot read: {err}"),
            )),
        }
    }
    templates.sort();
    templates
}

/// A tera error as a diagnostic naming the template file and line.
pub fn template_error(root: &Path, name: &str, err: &tera::Error) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    let line = line_in_message(&message);
    let file = if name.is_empty() {
        PathBuf::from(TEMPLATES_DIR)
    } else {
        origin(root, name)
    };
    Diagnostic::in_file(file, message.replace('\n', "\n    "))
        .at_optional_line(line)
        .with_hint("fix the template, or delete your copy in templates/ to use the built-in one")
}

/// The line tera reports as `--> LINE:COLUMN`.
fn line_in_message(message: &str) -> Option<usize> {
    let at = message.find("--> ")? + 4;
    message[at..].split(':').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let dir = tempfile::tempdir().unwrap();
        load(dir.path()).unwrap();
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/talk.html"), "ok\n{% if %}\n").unwrap();
        let err = load(dir.path()).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.file.as_deref(), Some(Path::new("templates/talk.html")));
        assert_eq!(d.line, Some(2));
    }
}
