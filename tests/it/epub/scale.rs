//! A large edition in memory: K copies of every witness with its notes, for timing.

use variorum::model::{Block, Edition, Inline, Role};

/// `k` copies of the edition's witnesses (sigla `A1`, `B1`, …, `A2`, …) with their notes
/// renumbered; front and back sections once.
pub fn copies(edition: &Edition, k: usize) -> Edition {
    let mut sections = Vec::new();
    let mut notes = Vec::new();
    let front: Vec<_> = edition
        .sections
        .iter()
        .filter(|s| s.role == Role::Front)
        .cloned()
        .collect();
    sections.extend(front);
    for copy in 1..=k {
        for (i, section) in edition.sections.iter().enumerate() {
            let Some(witness) = &section.witness else {
                continue;
            };
            let mut s = section.clone();
            let w = s.witness.as_mut().unwrap();
            w.sigil = format!("{}{copy}", witness.sigil);
            let base = notes.len();
            let mut map = std::collections::HashMap::new();
            for (index, note) in edition
                .notes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.section == i)
            {
                let mut note = note.clone();
                note.section = sections.len();
                note.number = notes.len() + 1;
                note.witness = format!("{}{copy}", note.witness);
                for r in &mut note.readings {
                    r.sigil = format!("{}{copy}", r.sigil);
                }
                map.insert(index, notes.len());
                notes.push(note);
            }
            debug_assert!(notes.len() >= base);
            renumber(&mut s.blocks, &map);
            sections.push(s);
        }
    }
    sections.extend(
        edition
            .sections
            .iter()
            .filter(|s| s.role == Role::Back)
            .cloned(),
    );
    Edition {
        meta: edition.meta.clone(),
        sections,
        notes,
    }
}

fn renumber(blocks: &mut [Block], map: &std::collections::HashMap<usize, usize>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => {
                for inline in content {
                    if let Inline::NoteRef { index } = inline {
                        *index = map[index];
                    }
                }
            }
            Block::Quote(inner) => renumber(inner, map),
            Block::List { items, .. } => items.iter_mut().for_each(|i| renumber(i, map)),
            // Tables and timelines are generated, never written in Markdown.
            Block::Code(_) | Block::Rule | Block::Table { .. } | Block::Timeline(_) => {}
        }
    }
}
