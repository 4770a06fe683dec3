//! Input that used to get through or be reported badly: dates outside the
//! years 1-9999 (which feeds and sitemaps cannot carry), file names holding
//! control characters (which must not reach the terminal raw), and
//! `[[site]]` written for `[site]` in `book.toml`.

use crate::support::*;

/// The first `error: ` line of a failed build, which must have a hint.
#[track_caller]
fn first_error(run: &Run) -> &str {
    assert_has(&run.stderr, "\n  hint: ");
    run.stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error:\n{run}"))
}

#[test]
fn a_date_before_year_1_is_an_error_naming_file_and_line() {
    let site = Site::new().file(
        "content/talks/old.md",
        "---\ntitle: Old\ndate: -0001-01-01\n---\nBody.\n",
    );
    let run = site.build_with(&[]).failed();
    assert_eq!(
        first_error(&run),
        "error: content/talks/old.md:3: `date`: \"-0001-01-01\" is in the year -1, outside the years 1 to 9999"
    );
    assert!(!site.has("atom.xml"), "a feed was written:\n{run}");
}

#[test]
fn year_0_and_years_past_9999_are_errors() {
    let site = Site::new()
        .file(
            "content/talks/zero.md",
            "+++\ntitle = \"Zero\"\n\ndate = 0000-01-01\n+++\n",
        )
        .file(
            "content/talks/far.md",
            "---\ntitle: Far\ndate: \"+10000-01-01\"\n---\n",
        );
    let run = site.build_with(&[]).failed();
    assert_has(
        &run.stderr,
        "error: content/talks/far.md:3: `date`: \"+10000-01-01\" is in the year 10000, outside the years 1 to 9999",
    );
    assert_has(
        &run.stderr,
        "error: content/talks/zero.md:4: `date`: \"0000-01-01\" is in the year 0, outside the years 1 to 9999",
    );
}

#[test]
fn control_characters_in_a_file_name_are_escaped_in_messages() {
    let site = Site::new().file("content/talks/red\u{1b}[31m.md", "+++\ntitle = [3]\n+++\n");
    let run = site.build_with(&[]).failed();
    assert!(!run.stderr.contains('\u{1b}'), "a raw escape:\n{run}");
    assert!(
        first_error(&run).starts_with("error: content/talks/red\\u{1b}[31m.md:2: "),
        "{run}"
    );
}

#[test]
fn an_array_of_site_tables_says_to_write_a_table() {
    let site = Site::empty()
        .file("book.toml", "[[site]]\ntitle = \"Notes\"\n")
        .file("content/talks/a.md", "# A\n");
    let run = site.build_with(&[]).failed();
    assert_eq!(
        first_error(&run),
        "error: book.toml:1: [site] is a table, not an array of tables: write [site]"
    );
}
