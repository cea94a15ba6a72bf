//! Handouts: an edition restricted to some witnesses, their notes and their readings.

use crate::model::{Block, Edition, Inline, Note};

/// The edition with only the witnesses named in `sigla` (trimmed, in any letter case; kept
/// in the edition's order), the notes anchored in them (renumbered in reading order) and
/// their columns of readings. Front and back sections stay. The handout records its
/// selection and gets an identifier of its own. Returns the unknown sigla as the error.
pub fn only(edition: &Edition, sigla: &[String]) -> Result<Edition, Vec<String>> {
    let named = |sigil: &str| sigla.iter().any(|s| s.trim().eq_ignore_ascii_case(sigil));
    let unknown: Vec<String> = sigla
        .iter()
        .map(|s| s.trim())
        .filter(|s| {
            !edition
                .witnesses()
                .any(|(_, w)| w.sigil.eq_ignore_ascii_case(s))
        })
        .map(str::to_owned)
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let selection: Vec<String> = edition
        .witnesses()
        .map(|(_, w)| w.sigil.clone())
        .filter(|s| named(s))
        .collect();
    let keep_sigil = |s: &str| selection.iter().any(|k| k == s);
    let mut section_map = vec![None; edition.sections.len()];
    let mut sections = Vec::new();
    for (i, section) in edition.sections.iter().enumerate() {
        if section
            .witness
            .as_ref()
            .is_none_or(|w| keep_sigil(&w.sigil))
        {
            section_map[i] = Some(sections.len());
            sections.push(section.clone());
        }
    }
    let mut note_map = vec![None; edition.notes.len()];
    let mut notes: Vec<Note> = Vec::new();
    for (i, note) in edition.notes.iter().enumerate() {
        let Some(section) = section_map[note.section] else {
            continue;
        };
        note_map[i] = Some(notes.len());
        let mut note = note.clone();
        note.section = section;
        note.number = notes.len() + 1;
        note.readings.retain(|r| keep_sigil(&r.sigil));
        notes.push(note);
    }
    crate::model::mark_labels(&mut notes, edition.notes_mode());
    for section in &mut sections {
        renumber_marks(&mut section.blocks, &note_map);
    }
    let mut meta = edition.meta.clone();
    meta.identifier = handout_identifier(&meta.identifier, &selection);
    meta.selection = Some(selection);
    // The places left in the handout's texts; the Index refers to those only.
    let mut places = std::collections::BTreeSet::new();
    for section in &sections {
        crate::model::for_each_inline(&section.blocks, &mut |inline| {
            if let Inline::Target { id } = inline {
                places.insert(id.clone());
            }
        });
    }
    for section in &mut sections {
        if section.file_name == crate::resolve::index::FILE_NAME {
            crate::resolve::index::restrict(section, &|id| places.contains(id));
        }
    }
    Ok(Edition {
        meta,
        sections,
        notes,
    })
}

/// The identifier of a handout: a UUID derived from the edition's identifier and the
/// selection, so the same handout keeps it across builds and no two selections share one.
fn handout_identifier(identifier: &str, selection: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{identifier}\n--only {}", selection.join(",")));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "urn:uuid:{}",
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    )
}

/// The file-name stem of an edition: the title's slug, then a handout's sigla
/// (`the-letter-A-C`).
pub fn file_stem(edition: &Edition) -> String {
    let slug = crate::slug(&edition.meta.title);
    match &edition.meta.selection {
        Some(sigla) => format!("{slug}-{}", sigla.join("-")),
        None => slug,
    }
}

/// Points every mark (and lemma start) at its note's new index; those of dropped notes are
/// removed.
pub(crate) fn renumber_marks(blocks: &mut [Block], map: &[Option<usize>]) {
    crate::model::walk_inlines_mut(blocks, &mut |content| {
        content.retain_mut(|inline| match inline {
            Inline::NoteRef { index } | Inline::LemmaStart { index } => match map[*index] {
                Some(new) => {
                    *index = new;
                    true
                }
                None => false,
            },
            _ => true,
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EditionMeta, NoteKind, Reading, Role, Section, Style, Witness};
    use crate::source::Span;

    fn text(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            style: Style::default(),
            link: None,
            span: Span::default(),
        }
    }

    fn edition() -> Edition {
        let witness = |sigil: &str, note: usize| Section {
            role: Role::Witness,
            language: None,
            file_name: format!("{sigil}.md"),
            title: sigil.into(),
            witness: Some(Witness {
                sigil: sigil.into(),
                ..Witness::default()
            }),
            blocks: vec![Block::Paragraph(vec![
                text("words"),
                Inline::NoteRef { index: note },
            ])],
            numbers: vec![Some(1)],
        };
        let note = |i: usize, sigil: &str, section| Note {
            id: format!("n{i}"),
            number: i + 1,
            kind: NoteKind::Gloss,
            section,
            witness: sigil.into(),
            lemma: "words".into(),
            mark: (i + 1).to_string(),
            paragraph: Some(1),
            body: Vec::new(),
            readings: ["A", "B", "C"]
                .iter()
                .map(|s| Reading {
                    sigil: (*s).into(),
                    content: vec![text(s)],
                })
                .collect(),
        };
        Edition {
            meta: EditionMeta {
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
            },
            sections: vec![witness("A", 0), witness("B", 1), witness("C", 2)],
            notes: vec![note(0, "A", 0), note(1, "B", 1), note(2, "C", 2)],
        }
    }

    #[test]
    fn keeps_named_witnesses_and_renumbers() {
        let e = only(&edition(), &["C".into(), "A".into()]).unwrap();
        let sigla: Vec<_> = e.witnesses().map(|(_, w)| w.sigil.clone()).collect();
        assert_eq!(sigla, ["A", "C"]);
        assert_eq!(e.notes.len(), 2);
        assert_eq!(
            (
                e.notes[1].id.as_str(),
                e.notes[1].number,
                e.notes[1].section
            ),
            ("n2", 2, 1)
        );
        assert!(
            matches!(&e.sections[1].blocks[0], Block::Paragraph(c) if c[1] == Inline::NoteRef { index: 1 })
        );
        let columns: Vec<_> = e.notes[0]
            .readings
            .iter()
            .map(|r| r.sigil.as_str())
            .collect();
        assert_eq!(columns, ["A", "C"]);
    }

    #[test]
    fn unknown_sigla_are_returned() {
        assert_eq!(
            only(&edition(), &["A".into(), " Z ".into()]).unwrap_err(),
            ["Z"]
        );
    }

    #[test]
    fn sigla_are_trimmed_and_matched_in_any_case_and_the_handout_is_named_apart() {
        let full = edition();
        let e = only(&full, &[" c".into(), "a ".into()]).unwrap();
        assert_eq!(
            e.meta.selection.as_deref(),
            Some(&["A".to_owned(), "C".to_owned()][..])
        );
        assert_eq!(file_stem(&e), "t-A-C");
        assert_eq!(file_stem(&full), "t");
        assert_ne!(e.meta.identifier, full.meta.identifier);
        assert!(e.meta.identifier.starts_with("urn:uuid:"));
        let again = only(&full, &["A".into(), "C".into()]).unwrap();
        assert_eq!(again.meta.identifier, e.meta.identifier, "stable");
        let other = only(&full, &["A".into()]).unwrap();
        assert_ne!(other.meta.identifier, e.meta.identifier);
    }
}
