//! Anchoring through the whole resolve stage, on small in-memory witnesses.

use super::*;
use crate::apparatus::Located;
use crate::manuscript::front_matter::FieldSpans;
use crate::model::{plain_text, Role, Section, Witness};
use crate::source::FileId;

fn witness(sigil: &str, markdown: &str) -> LoadedSection {
    let mut diags = Diagnostics::default();
    let origin = Origin {
        file: FileId(0),
        base: 0,
        whole: None,
        editorial: false,
    };
    let blocks = markdown::parse(markdown, origin, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    LoadedSection {
        section: Section {
            role: Role::Witness,
            language: None,
            file_name: format!("{sigil}.md"),
            title: sigil.into(),
            witness: Some(Witness {
                sigil: sigil.into(),
                ..Witness::default()
            }),
            blocks,
            numbers: Vec::new(),
        },
        spans: FieldSpans::default(),
    }
}

fn located(text: &str) -> Located {
    Located {
        text: text.into(),
        span: Span::default(),
    }
}

fn note(id: &str, anchor: &str, before: Option<&str>, after: Option<&str>) -> RawNote {
    RawNote {
        id: located(id),
        witness: located("A"),
        on: crate::apparatus::NoteOn::Witness,
        anchor: located(anchor),
        before: before.map(located),
        after: after.map(located),
        occurrence: None,
        kind: NoteKind::Provenance,
        text: located("A note of some length."),
        readings: Vec::new(),
        span: Span::default(),
    }
}

fn meta() -> EditionMeta {
    EditionMeta {
        title: "T".into(),
        subtitle: None,
        editor: "E".into(),
        language: "en".into(),
        identifier: "x".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        accessibility: Default::default(),
        cover: None,
        design: Default::default(),
        labels: Default::default(),
        selection: None,
    }
}

/// An edition of these sections and no notes.
pub(super) fn edition_with(sections: Vec<Section>) -> Edition {
    Edition {
        meta: meta(),
        sections,
        notes: Vec::new(),
    }
}

fn run(markdown: &str, notes: Vec<RawNote>) -> (Option<Edition>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let apparatus = Apparatus {
        file: FileId(1),
        meta: None,
        notes,
        index: Vec::new(),
        events: Vec::new(),
    };
    let manuscript = Manuscript {
        sections: vec![witness("A", markdown)],
        complete: true,
    };
    let edition = resolve(manuscript, apparatus, meta(), &mut diags);
    (edition, diags)
}

/// The witness's paragraphs with each mark shown as `[n]`.
fn marked(edition: &Edition) -> Vec<String> {
    fn walk(blocks: &[Block], out: &mut Vec<String>, notes: &[Note]) {
        for b in blocks {
            match b {
                Block::Paragraph(c) | Block::Heading { content: c, .. } => out.push(
                    c.iter()
                        .map(|i| match i {
                            Inline::Text { text, .. } => text.clone(),
                            Inline::LineBreak => "\n".into(),
                            Inline::NoteRef { index } => format!("[{}]", notes[*index].number),
                            Inline::LemmaStart { .. }
                            | Inline::Target { .. }
                            | Inline::PlaceRefs(_) => String::new(),
                        })
                        .collect(),
                ),
                Block::Quote(inner) => walk(inner, out, notes),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&edition.sections[0].blocks, &mut out, &edition.notes);
    out
}

#[test]
fn anchors_cross_emphasis_links_and_line_breaks() {
    let md = "Cut the *Gordian* knots of [socialism and](https://example.org/)\ncommunism by force.\\\nNew line.\n";
    let (e, d) = run(
        md,
        vec![
            note("a", "Gordian knots", None, None),
            note("b", "socialism and communism", None, None),
            note("c", "by force. New", None, None),
        ],
    );
    let e = e.unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(
        marked(&e),
        vec!["Cut the Gordian knots[1] of socialism and communism[2] by force.\nNew[3] line."]
    );
}

#[test]
fn curly_and_straight_quotes_are_alike() {
    let (e, d) = run(
        "He said: \u{201C}Iran\u{2019}s letter\u{201D} was read.\n",
        vec![note("a", "said: \"Iran's letter\"", None, None)],
    );
    let e = e.unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(
        marked(&e),
        vec!["He said: \u{201C}Iran\u{2019}s letter\u{201D}[1] was read."]
    );
}

#[test]
fn nfc_and_nfd_are_alike() {
    let (e, _) = run(
        "The cafe\u{301} opened.\n",
        vec![note("a", "The caf\u{e9}", None, None)],
    );
    assert_eq!(marked(&e.unwrap()), vec!["The cafe\u{301}[1] opened."]);
    let (e, _) = run(
        "The caf\u{e9} opened.\n",
        vec![note("a", "The cafe\u{301}", None, None)],
    );
    assert_eq!(marked(&e.unwrap()), vec!["The caf\u{e9}[1] opened."]);
}

#[test]
fn repeated_phrases_need_and_take_context() {
    let md = "In 1988 the letter. In 1988 the reply.\n";
    let (e, d) = run(md, vec![note("a", "In 1988", None, None)]);
    assert!(e.is_none());
    let msg = &d.iter().next().unwrap().message;
    assert!(msg.contains("occurs 2 times"), "{msg}");
    let (e, _) = run(md, vec![note("a", "In 1988", None, Some("the reply"))]);
    assert_eq!(
        marked(&e.unwrap()),
        vec!["In 1988 the letter. In 1988[1] the reply."]
    );
    let (e, _) = run(md, vec![note("a", "In 1988", Some("letter."), None)]);
    assert_eq!(
        marked(&e.unwrap()),
        vec!["In 1988 the letter. In 1988[1] the reply."]
    );
}

#[test]
fn anchors_at_the_start_and_end_of_a_paragraph() {
    let md = "First words here.\n\nLast words there.\n";
    let (e, d) = run(
        md,
        vec![
            note("a", "First", None, None),
            note("b", "there.", None, None),
            note("c", "First words here.", None, None),
        ],
    );
    let e = e.unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(
        marked(&e),
        vec!["First[1] words here.[2]", "Last words there.[3]"]
    );
    // Numbered in reading order, whatever the order in footnotes.yaml.
    assert_eq!(
        e.notes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        vec!["a", "c", "b"]
    );
}

#[test]
fn two_notes_on_one_anchor_keep_their_order() {
    let (e, _) = run(
        "One two three.\n",
        vec![note("x", "two", None, None), note("y", "two", None, None)],
    );
    assert_eq!(marked(&e.unwrap()), vec!["One two[1][2] three."]);
}

#[test]
fn a_digit_never_slides_onto_a_look_alike() {
    let (e, d) = run(
        "On January 1, 1988, he wrote.\n",
        vec![note("a", "January 1, 1989", None, None)],
    );
    assert!(e.is_none());
    let diag = d.iter().next().unwrap();
    assert!(diag.message.contains("is not in witness A"));
    assert!(
        diag.hints[0].contains("January 1, 1988"),
        "{:?}",
        diag.hints
    );
    let (e, _) = run("In 1988 and 19888.\n", vec![note("a", "1988", None, None)]);
    assert!(e.is_some(), "`1988` must not match inside `19888`");
}

#[test]
fn anchors_do_not_span_paragraphs() {
    let (e, d) = run(
        "End of one.\n\nStart of two.\n",
        vec![note("a", "one. Start", None, None)],
    );
    assert!(e.is_none());
    assert!(d.iter().next().unwrap().hints[0].contains("across two paragraphs"));
}

#[test]
fn unknown_sigla_are_reported_with_the_known_ones() {
    let mut n = note("a", "words", None, None);
    n.witness = located("Z");
    n.readings = vec![(located("Q"), located("x"))];
    let (e, d) = run("Some words.\n", vec![n]);
    assert!(e.is_none());
    assert_eq!(d.error_count(), 2);
    assert!(d
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.hints[0].contains("the witnesses are A")));
}

#[test]
fn missing_provenance_is_a_warning() {
    let mut n = note("a", "words", None, None);
    n.kind = NoteKind::Gloss;
    let (e, d) = run("Some words.\n", vec![n]);
    assert!(e.is_some());
    assert_eq!((d.error_count(), d.warning_count()), (0, 1));
}

#[test]
fn readings_follow_witness_order_and_text_is_parsed() {
    let mut n = note("a", "words", None, None);
    n.readings = vec![(located("A"), located("*some* words"))];
    let (e, _) = run("Some words.\n", vec![n]);
    let e = e.unwrap();
    assert_eq!(plain_text(&e.notes[0].readings[0].content), "some words");
    assert!(
        matches!(&e.notes[0].body[..], [Block::Paragraph(p)] if plain_text(p) == "A note of some length.")
    );
}

/// Found by the anchoring property test (tests/it/fuzz/anchor.rs): an anchor ending in `é`
/// matched `é` followed by a second combining accent, and the mark went after the accent.
#[test]
fn an_anchor_never_ends_inside_combining_marks() {
    let (e, d) = run(
        "The cafe\u{301}\u{301} and the caf\u{e9} opened.\n",
        vec![note("a", "caf\u{e9}", None, None)],
    );
    let e = e.unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!(
        marked(&e),
        vec!["The cafe\u{301}\u{301} and the caf\u{e9}[1] opened."]
    );
    let (e, d) = run("Only q\u{307} here.\n", vec![note("a", "q", None, None)]);
    assert!(e.is_none());
    assert!(d
        .iter()
        .next()
        .unwrap()
        .message
        .contains("is not in witness"));
}
