//! Checks a PDF built from a synthetic edition with real validators: `qpdf --check`,
//! `pdffonts` (every font embedded and subset) and `pdftotext` (the text comes back, with
//! ligatures, Cyrillic, fallback glyphs, and hyphenated line ends rejoined). A missing
//! validator is skipped loudly, or fails the test when `CI=true`.

use std::path::PathBuf;

use crate::harness::{repo as root, Scratch};
use crate::validators::run;
use variorum::layout::Paper;
use variorum::model::{
    Block, Edition, EditionMeta, HeaderField, Inline, Note, NoteKind, Reading, Role, Section,
    Style, Witness,
};
use variorum::source::Span;
use variorum::typeset::{pdf, TypesetOptions};

fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.to_string(),
        style: Style::default(),
        link: None,
        span: Span::default(),
    }
}

const PARAGRAPH: &str = "The office of the newspaper reprinted the extraordinary letter with \
    characteristically unreliable transcription, and the witnesses disagree about the \
    circumstances of its publication; documentary evidence suggests an editorial \
    interpretation of the affliction. ";

fn edition() -> Edition {
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            content: vec![text("Letter to Gorbachev")],
        },
        Block::HeaderLine {
            field: HeaderField::Byline,
            content: vec![text("By V█████ W█████")],
        },
        Block::HeaderLine {
            field: HeaderField::Dateline,
            content: vec![text("January 1, 1988")],
        },
        Block::Paragraph(vec![
            text("Dear Mikhail Sergeyevich, Уважаемый Михаил Сергеевич"),
            Inline::NoteRef { index: 0 },
            text(" — a box □ stands for a lost letter."),
        ]),
    ];
    for i in 0..12 {
        blocks.push(Block::Paragraph(vec![
            text(&PARAGRAPH.repeat(2 + i % 3)),
            Inline::NoteRef { index: 1 + i },
        ]));
    }
    let notes = (0..13)
        .map(|i| Note {
            id: format!("n{i}"),
            number: i + 1,
            mark: (i + 1).to_string(),
            kind: NoteKind::Gloss,
            section: 0,
            witness: "A".into(),
            lemma: "x".into(),
            paragraph: None,
            body: vec![Block::Paragraph(vec![text(&format!(
                "Note {} on the affliction of the office. {}",
                i + 1,
                PARAGRAPH
            ))])],
            readings: vec![Reading {
                sigil: "A".into(),
                content: vec![text("January 1, 1988")],
            }],
        })
        .collect();
    Edition {
        meta: EditionMeta {
            title: "The Letter to Gorbachev".into(),
            subtitle: Some("A test edition".into()),
            editor: "Variorum editors".into(),
            language: "en".into(),
            identifier: "urn:uuid:test".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            accessibility: Default::default(),
            cover: None,
            design: Default::default(),
            labels: Default::default(),
            selection: None,
        },
        sections: vec![Section {
            role: Role::Witness,
            language: None,
            file_name: "10-a.md".into(),
            title: "Letter to Gorbachev".into(),
            witness: Some(Witness {
                sigil: "A".into(),
                title: "Letter to Gorbachev".into(),
                source: Some("000.txt".into()),
                source_sha256: Some("0f".repeat(32)),
                ..Witness::default()
            }),
            numbers: variorum::model::paragraph_numbers(Role::Witness, &blocks),
            blocks,
        }],
        notes,
    }
}

/// Writes the synthetic edition's PDF as `name` in a scratch folder, which lives as long as
/// the returned `Scratch`.
fn write_pdf(name: &str) -> (Scratch, PathBuf) {
    let bytes = pdf(&edition(), &TypesetOptions::default()).expect("the edition lays out");
    let scratch = Scratch::new("pdf-validators");
    let path = scratch.write(name, bytes);
    (scratch, path)
}

#[test]
fn qpdf_finds_no_structural_problem() {
    let (_scratch, path) = write_pdf("qpdf.pdf");
    let Some((ok, out)) = run("qpdf", &["--check", path.to_str().unwrap()]) else {
        return;
    };
    assert!(ok, "qpdf --check failed:\n{out}");
    assert!(!out.contains("WARNING"), "{out}");
}

#[test]
fn every_font_is_embedded_and_subset() {
    let (_scratch, path) = write_pdf("fonts.pdf");
    let Some((ok, out)) = run("pdffonts", &[path.to_str().unwrap()]) else {
        return;
    };
    assert!(ok, "{out}");
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(
        rows.len() >= 3,
        "regular, italic/bold and fallback faces:\n{out}"
    );
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
        assert!(cols[0].chars().nth(6) == Some('+'), "subset tag: {row}");
    }
}

#[test]
fn extracted_text_matches_the_source_text() {
    let (_scratch, path) = write_pdf("text.pdf");
    let Some((ok, out)) = run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]) else {
        return;
    };
    assert!(ok, "{out}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "The Letter to Gorbachev",
        "Уважаемый Михаил Сергеевич",
        "V█████ W█████",
        "box □ stands",
        "office",
        "affliction",
        "characteristically unreliable transcription",
        "Points of divergence",
        "Witnesses",
    ] {
        assert!(flat.contains(needle), "`{needle}` missing from:\n{flat}");
    }
    // Hyphenated words come back whole: every long word of the paragraph is found intact as
    // often as the text has it (twelve paragraphs of two to four copies, thirteen notes).
    let expected = (0..12).map(|i| 2 + i % 3).sum::<usize>() + 13;
    for word in [
        "extraordinary",
        "circumstances",
        "documentary",
        "interpretation",
        "transcription",
    ] {
        let whole = flat.matches(word).count();
        assert_eq!(whole, expected, "`{word}` found {whole} times");
    }
    let broken = flat
        .as_bytes()
        .windows(3)
        .filter(|w| w[0].is_ascii_lowercase() && w[1] == b'-' && w[2] == b' ')
        .count();
    assert_eq!(broken, 0, "a hyphenated line end was not rejoined:\n{flat}");
}

#[test]
fn identical_input_gives_identical_bytes() {
    let a = pdf(&edition(), &TypesetOptions::default()).unwrap();
    let b = pdf(&edition(), &TypesetOptions::default()).unwrap();
    assert!(a == b, "two builds differ");
    let letter = TypesetOptions {
        paper: Some(Paper::Letter),
        modified: chrono::DateTime::from_timestamp(1_700_000_000, 0),
        cover: None,
        ..Default::default()
    };
    let c = pdf(&edition(), &letter).unwrap();
    assert!(a != c);
    let text = String::from_utf8_lossy(&c);
    assert!(
        text.contains("D:20231114221320Z"),
        "creation date from SOURCE_DATE_EPOCH"
    );
}

/// The page index holding a destination.
fn destination_page(document: &variorum::layout::Document, name: &str) -> Option<usize> {
    document.pages.iter().position(|p| {
        p.items
            .iter()
            .any(|i| matches!(i, variorum::layout::Item::Destination(d) if d.name == name))
    })
}

#[test]
fn the_seed_edition_sets_every_note_on_its_marks_page_and_validates() {
    let edition = crate::harness::edition(root());
    for paper in [Paper::A4, Paper::A5] {
        let options = variorum::layout::LayoutOptions {
            paper,
            ..Default::default()
        };
        let document = variorum::layout::lay_out(&edition, &options).unwrap();
        for note in &edition.notes {
            let mark = destination_page(&document, &format!("mark-{}", note.number));
            assert!(mark.is_some(), "mark {} is set", note.number);
            assert_eq!(
                mark,
                destination_page(&document, &format!("note-{}", note.number)),
                "note {} begins on its mark's page ({paper:?})",
                note.number
            );
        }
    }
    let bytes = pdf(&edition, &TypesetOptions::default()).unwrap();
    let scratch = Scratch::new("pdf-validators-seed");
    let path = scratch.write("seed.pdf", bytes);
    if let Some((ok, out)) = run("qpdf", &["--check", path.to_str().unwrap()]) {
        assert!(ok && !out.contains("WARNING"), "{out}");
    }
}
