//! The edition this repository ships: it checks cleanly, every word of every source file is
//! kept (in the witness or, for removed debris, quoted in an emendation note), and the
//! apparatus meets the edition's own standards.

use crate::harness::{block_texts, repo};
use std::collections::BTreeMap;
use variorum::model::{Block, Edition, NoteKind};

fn seed() -> Edition {
    let checked = variorum::check(repo());
    let report = variorum::diag::render(&checked.diagnostics, &checked.sources, false);
    assert!(
        checked.diagnostics.is_empty(),
        "the seed edition has problems:\n{report}"
    );
    checked.edition.expect("a clean check gives the edition")
}

/// The text of `blocks`, one line per block.
fn text_of(blocks: &[Block], out: &mut String) {
    let mut texts = Vec::new();
    block_texts(blocks, &mut texts);
    for text in texts {
        out.push_str(&text);
        out.push('\n');
    }
}

/// Words as runs of letters and digits, so punctuation and quote shapes do not matter here.
fn word_counts(text: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '█' && c != '□')
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_owned()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn every_word_of_every_source_is_kept_or_recorded() {
    let edition = seed();
    let root = repo();
    for (section, witness) in edition.witnesses() {
        let source = witness
            .source
            .as_ref()
            .expect("every seed witness names its source");
        let raw = std::fs::read_to_string(root.join("sources").join(source)).unwrap();
        let mut kept = String::new();
        text_of(&section.blocks, &mut kept);
        for note in edition
            .notes
            .iter()
            .filter(|n| n.witness == witness.sigil && n.kind == NoteKind::Emendation)
        {
            text_of(&note.body, &mut kept);
        }
        let have = word_counts(&kept);
        let missing: Vec<String> = word_counts(&raw)
            .into_iter()
            .filter(|(word, n)| have.get(word).copied().unwrap_or(0) < *n)
            .map(|(word, n)| format!("{word} ×{n} (kept {})", have.get(&word).unwrap_or(&0)))
            .collect();
        assert!(
            missing.is_empty(),
            "witness {} lost words of {source}: {missing:?}",
            witness.sigil
        );
    }
}

#[test]
fn the_apparatus_meets_its_standards() {
    let edition = seed();
    assert!(edition.notes.len() >= 40, "{} notes", edition.notes.len());
    for (_, witness) in edition.witnesses() {
        assert!(
            edition
                .notes
                .iter()
                .any(|n| n.witness == witness.sigil && n.kind == NoteKind::Provenance),
            "witness {} has no provenance note",
            witness.sigil
        );
    }
    let introduction = edition
        .sections
        .iter()
        .find(|s| s.role == variorum::model::Role::Front)
        .expect("an editor's introduction");
    assert!(!introduction.blocks.is_empty());
    assert!(edition.notes.iter().any(|n| !n.readings.is_empty()));
    for (i, note) in edition.notes.iter().enumerate() {
        assert_eq!(note.number, i + 1);
        let mut text = String::new();
        text_of(&note.body, &mut text);
        assert!(
            text.trim().chars().count() >= 9,
            "note {} is too short",
            note.id
        );
    }
}
