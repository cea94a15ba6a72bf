//! Pathological inputs end in an error or in output, never in a stack overflow or a hang: deep
//! nesting, a paragraph of megabytes, a megabyte-long anchor, a hundred thousand notes. These
//! run the library in this process, so a stack overflow would abort the test binary.

use crate::harness::Scratch;
use std::fmt::Write as _;

const EDITION: &str = "edition:
  title: T
  editor: E
  language: en
  identifier: urn:x
  date: 2026-01-01
";

/// Writes a one-witness edition with `body` and `notes` (the YAML items) and checks it.
fn check(body: &str, notes: &str) -> variorum::Checked {
    let scratch = Scratch::new("pathological");
    scratch.write(
        "manuscript/a.md",
        format!("---\nsigil: A\ntitle: Title\n---\n\n{body}\n"),
    );
    scratch.write("footnotes.yaml", format!("{EDITION}notes:\n{notes}"));
    variorum::check(scratch.path())
}

fn note(id: &str, anchor: &str) -> String {
    format!(
        "  - id: {id}\n    witness: A\n    anchor: {anchor:?}\n    kind: provenance\n    text: t\n"
    )
}

fn messages(checked: &variorum::Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect()
}

fn assert_one_error(checked: &variorum::Checked, expected: &str) {
    let messages = messages(checked);
    assert!(
        messages.len() == 1 && messages[0].contains(expected),
        "expected one error with {expected:?}, got {messages:#?}"
    );
}

#[test]
fn ten_thousand_nested_block_quotes_lists_and_emphasis() {
    let plain = note("a", "plain words");
    for deep in [
        ">".repeat(10_000) + " deep",
        "- ".repeat(10_000) + "deep",
        "1. ".repeat(10_000) + "deep",
        "> - ".repeat(5_000) + "deep",
    ] {
        let checked = check(&format!("plain words\n\n{deep}"), &plain);
        assert_one_error(&checked, "nested deeper than");
    }
    // Inline nesting is flat in the model: it parses, and anchors across it.
    for deep in [
        "*".repeat(10_000) + "x" + &"*".repeat(10_000),
        "_".repeat(10_000) + "x" + &"_".repeat(10_000),
        "[".repeat(10_000) + "x" + &"](#)".repeat(10_000),
        "*a ".repeat(10_000) + "x" + &" b*".repeat(10_000),
        "`".repeat(10_000) + "x",
        "\\".repeat(10_000),
        "<".repeat(10_000),
        "&amp;".repeat(10_000),
    ] {
        let checked = check(&format!("plain words\n\n{deep}"), &plain);
        assert!(
            checked.edition.is_some() || checked.diagnostics.has_errors(),
            "an outcome for {}",
            &deep[..20]
        );
    }
}

#[test]
fn ten_thousand_nested_yaml_collections() {
    for deep in [
        "[".repeat(10_000),
        "[".repeat(10_000) + &"]".repeat(10_000),
        "{a: ".repeat(10_000) + &"}".repeat(10_000),
        "- ".repeat(10_000) + "x",
    ] {
        let checked = check("words", &format!("  - id: a\n    text: {deep}\n"));
        assert_eq!(messages(&checked).len(), 1, "{:#?}", messages(&checked));
        let scratch = Scratch::new("deep-front-matter");
        scratch.write(
            "manuscript/a.md",
            format!("---\nsigil: A\ntitle: {deep}\n---\n\nwords\n"),
        );
        scratch.write("footnotes.yaml", format!("{EDITION}notes:\n"));
        let checked = variorum::check(scratch.path());
        assert_eq!(messages(&checked).len(), 1, "{:#?}", messages(&checked));
    }
    // Block nesting by indentation: 2,000 levels is already 4 MB of spaces.
    let mut yaml = String::new();
    for level in 0..2_000 {
        let _ = writeln!(yaml, "{}k:", " ".repeat(level));
    }
    let checked = check(
        "words",
        &format!("  - id: a\n    text:\n{}", indent(&yaml, 6)),
    );
    assert!(checked.diagnostics.has_errors());
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

/// A paragraph of about 3 MB, with the anchor at its very end; an anchor that is not there
/// is reported without searching for the closest passage in a text that long.
#[test]
fn a_paragraph_of_three_megabytes() {
    let mut body = String::with_capacity(3_200_000);
    for i in 0..400_000 {
        let _ = write!(body, "word{} ", i % 1000);
    }
    body.push_str("the very end.");
    let checked = check(&body, &note("a", "the very end."));
    assert!(checked.edition.is_some(), "{:#?}", messages(&checked));
    let checked = check(&body, &note("a", "not in the text"));
    assert_one_error(&checked, "is not in witness A");
    let checked = check(&body, &note("a", "word7"));
    assert_one_error(&checked, "occurs 400 times");
}

/// An anchor of a megabyte: found when it is the whole paragraph, reported when it is not,
/// and a repetitive one in a repetitive text stays linear.
#[test]
fn an_anchor_of_a_megabyte() {
    let text: String = (0..300_000)
        .map(|i| format!("w{} ", i % 97))
        .collect::<String>();
    let text = text.trim_end();
    assert!(text.len() > 1_000_000);
    let checked = check(text, &note("a", text));
    assert!(checked.edition.is_some(), "{:#?}", messages(&checked));
    let other = text.replace("w5 ", "w6 ");
    let checked = check(text, &note("a", &other));
    assert_one_error(&checked, "is not in witness A");
    let a_run = "a ".repeat(1_000_000);
    let anchor = "a ".repeat(500_000);
    let checked = check(a_run.trim_end(), &note("a", anchor.trim_end()));
    assert_one_error(&checked, "occurs 500001 times");
}

/// A hundred thousand notes, each anchored on its own word of a long witness.
#[test]
fn a_hundred_thousand_notes() {
    let mut body = String::new();
    let mut notes = String::new();
    for i in 0..100_000 {
        let _ = write!(body, "w{i}{}", if i % 100 == 99 { "\n\n" } else { " " });
        let _ = write!(
            notes,
            "  - id: n{i}\n    witness: A\n    anchor: w{i}\n    kind: gloss\n    text: Note {i}.\n"
        );
    }
    notes.push_str(&note("prov", "w0"));
    let checked = check(&body, &notes);
    let messages = messages(&checked);
    assert!(
        messages.is_empty(),
        "{:#?}",
        &messages[..messages.len().min(5)]
    );
    let edition = checked.edition.expect("the edition resolves");
    assert_eq!(edition.notes.len(), 100_001);
    assert_eq!(edition.notes[99_999].id, "n99998");
}

/// A hundred thousand notes that all fail: every one is reported, and the report renders.
#[test]
fn a_hundred_thousand_broken_notes_are_all_reported() {
    let mut notes = String::new();
    for i in 0..100_000 {
        let _ = write!(
            notes,
            "  - id: n{i}\n    witness: Z\n    anchor: w\n    kind: gloss\n    text: t\n"
        );
    }
    let checked = check("w", &notes);
    assert_eq!(checked.diagnostics.error_count(), 100_000);
    let text = variorum::diag::render(&checked.diagnostics, &checked.sources, false);
    assert!(text.matches("no witness has the sigil `Z`").count() == 100_000);
}
