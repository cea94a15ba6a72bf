//! Layout invariants on the seed edition and on a long edition made from it (its witnesses
//! set many times over): every note starts on its mark's page, no glyph lies outside the
//! text block or the note area, folios are consecutive, one outline entry per section. And a
//! text snapshot of the seed edition's pages.

use std::collections::HashMap;
use std::path::Path;

use super::options;
use crate::layout::geometry::Geometry;
use crate::layout::{lay_out, Document, Item, Paper};
use crate::model::{Block, Edition, Inline, Role};

/// Checks every invariant of a laid-out edition, naming the first broken one.
pub(super) fn assert_layout_invariants(edition: &Edition, document: &Document, paper: Paper) {
    let pages = destination_pages(document);
    notes_start_on_their_marks_pages(edition, &pages);
    glyphs_stay_in_the_text_block_or_the_note_area(document, &Geometry::new(paper));
    for (i, page) in document.pages.iter().enumerate() {
        assert_eq!(page.folio, (i + 1).to_string(), "folio of page {}", i + 1);
    }
    one_outline_entry_per_section(edition, document, &pages);
}

/// The page index of every destination (the first, if a name repeats).
fn destination_pages(document: &Document) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for (i, page) in document.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Destination(d) = item {
                out.entry(d.name.as_str()).or_insert(i);
            }
        }
    }
    out
}

fn notes_start_on_their_marks_pages(edition: &Edition, pages: &HashMap<&str, usize>) {
    for note in &edition.notes {
        let mark = pages.get(format!("mark-{}", note.number).as_str());
        let start = pages.get(format!("note-{}", note.number).as_str());
        assert!(mark.is_some(), "the mark of note {} is set", note.number);
        assert_eq!(
            mark, start,
            "note {} starts on its mark's page",
            note.number
        );
    }
}

/// Every glyph's box (an ascent of 0.75 em, a descent of 0.25 em) lies inside the text
/// block, body glyphs above the note rule and note glyphs below it; only the running head
/// and the folio stand outside, on their own baselines.
fn glyphs_stay_in_the_text_block_or_the_note_area(document: &Document, g: &Geometry) {
    for (p, page) in document.pages.iter().enumerate() {
        let folio = p + 1;
        let note_rule = page.items.iter().find_map(|i| match i {
            Item::Rule(r)
                if (r.x - g.left).abs() < 0.01 && (r.width - g.measure * 0.3).abs() < 0.01 =>
            {
                Some(r.y)
            }
            _ => None,
        });
        let mut below_rule = false;
        for item in &page.items {
            let run = match item {
                Item::Rule(r) => {
                    below_rule |= Some(r.y) == note_rule;
                    continue;
                }
                Item::Glyphs(run) => run,
                Item::Link(_) | Item::Destination(_) | Item::Image { .. } => continue,
            };
            let furniture =
                (run.y - g.head_baseline).abs() < 0.5 || (run.y - g.foot_baseline).abs() < 0.5;
            if furniture && (run.y < g.top || run.y > g.bottom()) {
                continue;
            }
            let face = &document.fonts[run.font.0 as usize];
            let em = face.units_per_em as f32;
            for glyph in &run.glyphs {
                let left = run.x + glyph.x;
                let right = left + face.advance(glyph.id) as f32 / em * run.size;
                let baseline = run.y - glyph.y;
                assert!(
                    left >= g.left - 0.01 && right <= g.left + g.measure + 0.5,
                    "page {folio}: {:?} runs out of the measure ({left}..{right})",
                    run.text
                );
                assert!(
                    baseline - 0.75 * run.size >= g.top - 0.5
                        && baseline + 0.25 * run.size <= g.bottom() + 0.5,
                    "page {folio}: {:?} lies above or below the text block (y {baseline})",
                    run.text
                );
            }
            if let Some(rule) = note_rule {
                assert!(
                    (run.y > rule) == below_rule,
                    "page {folio}: {:?} at y {} is on the wrong side of the note rule ({rule})",
                    run.text,
                    run.y
                );
            }
        }
    }
}

fn one_outline_entry_per_section(
    edition: &Edition,
    document: &Document,
    pages: &HashMap<&str, usize>,
) {
    let mut entries: HashMap<&str, usize> = HashMap::new();
    for entry in &document.outline {
        *entries.entry(entry.destination.as_str()).or_default() += 1;
        assert!(
            pages.contains_key(entry.destination.as_str()),
            "outline entry {:?} points nowhere",
            entry.title
        );
    }
    for (i, section) in edition.sections.iter().enumerate() {
        let name = format!("section-{i}");
        assert_eq!(
            entries.get(name.as_str()),
            Some(&1),
            "one outline entry for {}",
            section.file_name
        );
        let entry = document.outline.iter().find(|e| e.destination == name);
        assert_eq!(entry.map(|e| e.level), Some(0), "{}", section.file_name);
    }
}

/// The edition of this repository.
fn seed() -> Edition {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::check(root)
        .edition
        .expect("the seed edition checks clean")
}

/// The edition with its witness sections set `copies` times over: copy `k` of witness `A`
/// is witness `A{k}`, with copies of A's notes (ids `{id}-{k}`, readings under the copies'
/// sigla), numbered on through the book. Front and back sections stay once.
pub(super) fn replicate(edition: &Edition, copies: usize) -> Edition {
    let n = edition.notes.len();
    assert!(
        edition
            .notes
            .iter()
            .all(|note| edition.sections[note.section].role == Role::Witness),
        "notes are anchored in witnesses"
    );
    let by_role = |role: Role| edition.sections.iter().filter(move |s| s.role == role);
    let mut sections: Vec<_> = by_role(Role::Front).cloned().collect();
    let mut notes = Vec::with_capacity(n * copies);
    let mut moved = vec![0; edition.sections.len()];
    for k in 1..=copies {
        let marks: Vec<Option<usize>> = (0..n).map(|i| Some((k - 1) * n + i)).collect();
        let sigil = |s: &str| format!("{s}{k}");
        for (s, section) in edition.sections.iter().enumerate() {
            if section.role != Role::Witness {
                continue;
            }
            let mut copy = section.clone();
            copy.file_name = format!("{k:04}-{}", section.file_name);
            copy.title = format!("{} (copy {k})", section.title);
            if let Some(w) = &mut copy.witness {
                w.sigil = sigil(&w.sigil);
            }
            crate::select::renumber_marks(&mut copy.blocks, &marks);
            moved[s] = sections.len();
            sections.push(copy);
        }
        for note in &edition.notes {
            let mut copy = note.clone();
            copy.id = format!("{}-{k}", note.id);
            copy.number = notes.len() + 1;
            copy.section = moved[note.section];
            copy.witness = sigil(&note.witness);
            for reading in &mut copy.readings {
                reading.sigil = sigil(&reading.sigil);
            }
            crate::select::renumber_marks(&mut copy.body, &marks);
            notes.push(copy);
        }
    }
    sections.extend(by_role(Role::Back).cloned());
    Edition {
        meta: edition.meta.clone(),
        sections,
        notes,
    }
}

#[test]
fn the_seed_edition_keeps_the_layout_invariants() {
    let edition = seed();
    for paper in [Paper::A4, Paper::A5, Paper::Letter] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        assert_layout_invariants(&edition, &document, paper);
    }
}

#[test]
fn a_long_edition_keeps_the_layout_invariants() {
    // Hundreds of pages in a debug build, thousands of notes in a release build.
    let copies = if cfg!(debug_assertions) { 6 } else { 60 };
    let seed = seed();
    let edition = replicate(&seed, copies);
    assert_eq!(edition.notes.len(), seed.notes.len() * copies);
    for paper in [Paper::A4, Paper::A5] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        assert!(
            document.pages.len() > copies * 15,
            "{} pages",
            document.pages.len()
        );
        assert_layout_invariants(&edition, &document, paper);
    }
}

#[test]
fn replicated_witnesses_call_their_own_copies_of_the_notes() {
    let seed = seed();
    let edition = replicate(&seed, 3);
    let witnesses = seed.witnesses().count();
    assert_eq!(edition.witnesses().count(), witnesses * 3);
    let mut marks = Vec::new();
    for (s, section) in edition.sections.iter().enumerate() {
        note_refs(&section.blocks, &mut |index| marks.push((s, index)));
    }
    // Every note is called once, in number order, from its own section.
    let order: Vec<usize> = marks.iter().map(|&(_, i)| i).collect();
    assert_eq!(order, (0..edition.notes.len()).collect::<Vec<_>>());
    for (s, index) in marks {
        let note = &edition.notes[index];
        assert_eq!(note.section, s, "note {}", note.id);
        assert_eq!(note.number, index + 1);
        let sigil = &edition.sections[s].witness.as_ref().unwrap().sigil;
        assert_eq!(&note.witness, sigil);
    }
}

/// Calls `found` with the note index of every mark in `blocks`, in reading order.
fn note_refs(blocks: &[Block], found: &mut dyn FnMut(usize)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => {
                for inline in content {
                    if let Inline::NoteRef { index } = inline {
                        found(*index);
                    }
                }
            }
            Block::Quote(inner) => note_refs(inner, found),
            Block::List { items, .. } => items.iter().for_each(|item| note_refs(item, found)),
            // Tables and timelines are generated, never written in Markdown.
            Block::Code(_) | Block::Rule | Block::Table { .. } | Block::Timeline(_) => {}
        }
    }
}

/// The seed edition's pages as text, compared with `tests/snapshots/seed-layout.txt`;
/// `UPDATE_SNAPSHOTS=1` rewrites the file. It changes whenever the apparatus or the
/// typesetting does: review the difference, then update.
#[test]
fn the_seed_layout_matches_its_snapshot() {
    let document = lay_out(&seed(), &options(Paper::A4)).unwrap();
    let dump = crate::layout::dump(&document);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/seed-layout.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &dump).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run with UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    if expected != dump {
        let (line, (want, got)) = expected
            .lines()
            .chain(std::iter::repeat(""))
            .zip(dump.lines().chain(std::iter::repeat("")))
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .expect("texts that differ differ in some line");
        panic!(
            "the seed layout differs from {} at line {}:\n  snapshot: {want}\n  now:      {got}\n\
             review the change, then run with UPDATE_SNAPSHOTS=1 to accept it",
            path.display(),
            line + 1
        );
    }
}
