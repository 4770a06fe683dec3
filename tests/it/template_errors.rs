//! Templates that would render forever (a macro calling itself with nothing
//! to stop it, a template including or importing itself, one extending
//! itself) are errors naming the template file and line: `build` exits with
//! 1 instead of dying of a stack overflow, and `serve` shows the error and
//! keeps serving. A recursive macro guarded by a condition still works.

use crate::support::serve::*;
use crate::support::*;

const NOTE: &str = "+++\ntitle = \"Alpha\"\n+++\nAlpha body.\n";

/// A macro that calls itself whatever its argument.
const RUNAWAY: &str = "{% macro down(n) %}\n<li>{{ self::down(n=n - 1) }}</li>\n{% endmacro down %}\n<html>{{ self::down(n=3) }}</html>\n";

/// A site with one note and these templates.
fn site(templates: &[(&str, &str)]) -> Site {
    let mut site = Site::new().file("content/talks/alpha.md", NOTE);
    for (name, text) in templates {
        site = site.file(&format!("templates/{name}"), text);
    }
    site
}

/// Builds `site`, which must fail with exit code 1 and exactly one error:
/// its first line, and the hint.
#[track_caller]
fn the_error(site: &Site) -> (String, String) {
    let run = site.build_with(&[]).failed();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.last(), Some(&"1 error"), "{run}");
    let error = lines
        .iter()
        .find(|l| l.starts_with("error: "))
        .expect("an error");
    let hint = lines
        .iter()
        .find(|l| l.starts_with("  hint: "))
        .expect("a hint");
    (error.to_string(), hint.to_string())
}

#[test]
fn a_macro_calling_itself_unguarded_is_an_error_not_a_crash() {
    let (error, hint) = the_error(&site(&[("talk.html", RUNAWAY)]));
    assert_eq!(
        error,
        "error: templates/talk.html:1: macro `down` calls itself with nothing to stop it: talk.html::down → talk.html::down, so rendering it would never end"
    );
    assert_has(&hint, "{% if");
}

#[test]
fn macros_calling_each_other_unguarded_are_an_error() {
    let macros = "{% macro ping(n) %}{{ self::pong(n=n) }}{% endmacro %}\n\n{% macro pong(n) %}{{ self::ping(n=n) }}{% endmacro %}\n";
    let talk = "{% import \"cycle.html\" as c %}<html>{{ c::ping(n=1) }}</html>";
    let (error, _) = the_error(&site(&[("cycle.html", macros), ("talk.html", talk)]));
    assert_eq!(
        error,
        "error: templates/cycle.html:1: macro `ping` calls itself with nothing to stop it: cycle.html::ping → cycle.html::pong → cycle.html::ping, so rendering it would never end"
    );
}

#[test]
fn a_template_including_itself_is_an_error() {
    let talk = "<html>\n{% include \"part.html\" %}\n</html>\n";
    let part = "<p>\n{% include \"talk.html\" %}</p>\n";
    let (error, hint) = the_error(&site(&[("talk.html", talk), ("part.html", part)]));
    assert_eq!(
        error,
        "error: templates/part.html:2: `part.html` includes itself: part.html → talk.html → part.html, so rendering it would never end"
    );
    assert_has(&hint, "remove one of these includes");
}

#[test]
fn a_file_of_macros_importing_itself_is_an_error() {
    let macros = "{% import \"macros.html\" as again %}\n{% macro x() %}x{% endmacro %}\n";
    let (error, _) = the_error(&site(&[("macros.html", macros)]));
    assert_eq!(
        error,
        "error: templates/macros.html:1: `macros.html` imports itself: macros.html → macros.html, so rendering it would never end"
    );
}

#[test]
fn a_template_extending_itself_names_the_template() {
    let (error, _) = the_error(&site(&[("talk.html", "{% extends \"talk.html\" %}\n")]));
    assert!(
        error.starts_with("error: templates/talk.html: Circular extend"),
        "{error}"
    );
}

#[test]
fn a_recursive_macro_guarded_by_a_condition_renders() {
    let tree = "{% macro tree(n) %}{% if n > 0 %}<ul class=\"level-{{ n }}\">{{ self::tree(n=n - 1) }}</ul>{% endif %}{% endmacro tree %}\n<html><main>{{ self::tree(n=3) }}</main></html>\n";
    let site = site(&[("talk.html", tree)]);
    site.build();
    assert_eq!(
        main_of(&site.read("talks/alpha/index.html")),
        "<main><ul class=\"level-3\"><ul class=\"level-2\"><ul class=\"level-1\"></ul></ul></ul></main>"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_shows_the_error_and_keeps_serving() {
    let mut live = Live::start(site(&[])).await;
    assert_has(&live.page("/talks/alpha/").await, "Alpha body.");

    live.site.write("templates/talk.html", RUNAWAY.as_bytes());
    let problems = live.errors().await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["file"], "templates/talk.html");
    assert_eq!(problems[0]["line"], 1);
    assert_has(problems[0]["message"].as_str().unwrap(), "macro `down`");
    assert_has(&live.page("/talks/alpha/").await, "Alpha body.");

    let before = live.server.files();
    live.site.remove("templates/talk.html");
    live.expect_reload(&before).await;
    live.stop().await;
}
