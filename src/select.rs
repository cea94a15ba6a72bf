//! Handouts: an edition restricted to some witnesses, their notes and their readings.

use crate::model::{Block, Edition, Inline, Note};

/// The edition with only the witnesses named in `sigla` (in the edition's order), the notes
/// anchored in them (renumbered in reading order) and their columns of readings. Front and
/// back sections stay. Returns the unknown sigla as the error.
pub fn only(edition: &Edition, sigla: &[String]) -> Result<Edition, Vec<String>> {
    let unknown: Vec<String> = sigla
        .iter()
        .filter(|s| !edition.witnesses().any(|(_, w)| &w.sigil == *s))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let keep_sigil = |s: &str| sigla.iter().any(|k| k == s);
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
    for section in &mut sections {
        renumber_marks(&mut section.blocks, &note_map);
    }
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
        meta: edition.meta.clone(),
        sections,
        notes,
    })
}

/// Points every mark at its note's new index; marks of dropped notes are removed.
pub(crate) fn renumber_marks(blocks: &mut [Block], map: &[Option<usize>]) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => {
                renumber_inline_marks(content, map);
            }
            Block::Quote(inner) => renumber_marks(inner, map),
            Block::List { items, .. } => {
                for item in items {
                    renumber_marks(item, map);
                }
            }
            Block::Table { head, rows } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    renumber_inline_marks(cell, map);
                }
            }
            Block::Code(_) | Block::Rule | Block::Timeline(_) => {}
        }
    }
}

/// [`renumber_marks`] within one run of inlines.
fn renumber_inline_marks(content: &mut Vec<Inline>, map: &[Option<usize>]) {
    content.retain_mut(|inline| match inline {
        Inline::NoteRef { index } => match map[*index] {
            Some(new) => {
                *index = new;
                true
            }
            None => false,
        },
        _ => true,
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
        };
        let note = |i: usize, sigil: &str, section| Note {
            id: format!("n{i}"),
            number: i + 1,
            kind: NoteKind::Gloss,
            section,
            witness: sigil.into(),
            anchor: "words".into(),
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
            only(&edition(), &["A".into(), "Z".into()]).unwrap_err(),
            ["Z"]
        );
    }
}
