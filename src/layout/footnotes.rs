//! Setting the notes' texts as footnote lines: number (linking back to the mark), kind label,
//! then the body, in the note size. Pages decide where the lines go.

use super::blocks::block_pieces;
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Line, MarkAs, ParStyle, Piece};
use super::shape::Shaper;
use super::structure::{self, Role, Step, Tag};
use super::{Destination, Item, LayoutError, LinkTarget};
use crate::labels::Label;
use crate::model::{Edition, Note, Style};
use std::sync::Arc;

/// The footnote lines of a run of consecutive notes, indexed by note index.
#[derive(Debug, Default)]
pub(crate) struct NoteLines {
    first: usize,
    lines: Vec<Vec<Line>>,
    /// The register of each note.
    registers: Vec<Register>,
}

/// Where at the foot of the page a note goes: in apparatus mode the critical apparatus
/// comes first, the footnotes below it; otherwise every note is a footnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Register {
    Apparatus,
    Footnotes,
}

impl NoteLines {
    /// The lines of notes `first`, `first + 1`, …, with the register of each.
    pub fn new(first: usize, lines: Vec<Vec<Line>>, registers: Vec<Register>) -> NoteLines {
        assert_eq!(lines.len(), registers.len(), "a register for every note");
        NoteLines {
            first,
            lines,
            registers,
        }
    }

    /// Footnotes `first`, `first + 1`, … (every one in the footnotes register).
    #[cfg(test)]
    pub fn footnotes(first: usize, lines: Vec<Vec<Line>>) -> NoteLines {
        let registers = vec![Register::Footnotes; lines.len()];
        NoteLines::new(first, lines, registers)
    }

    /// The register of note `note`.
    pub fn register(&self, note: usize) -> Register {
        self.registers[note - self.first]
    }

    /// Appends the notes that follow.
    pub fn append(&mut self, other: NoteLines) {
        if self.lines.is_empty() {
            *self = other;
        } else if !other.lines.is_empty() {
            assert_eq!(other.first, self.first + self.lines.len(), "notes run on");
            self.lines.extend(other.lines);
            self.registers.extend(other.registers);
        }
    }
}

impl NoteLines {
    /// Roots each note's lines in a `Note` element under the element whose line calls it
    /// (the first of `callers` to name it; `fallback`, its section, for a note no line
    /// calls), its number, which links back to the mark, as the note's `Lbl`.
    pub fn root(&mut self, callers: &[(usize, Arc<[Step]>)], fallback: &Arc<[Step]>) {
        for (k, lines) in self.lines.iter_mut().enumerate() {
            let note = self.first + k;
            let caller = callers
                .iter()
                .find(|(n, _)| *n == note)
                .map_or(fallback, |(_, path)| path);
            let path = structure::child(caller, Step::new(Role::Note, note));
            if let Some(first) = lines.first_mut() {
                let number = Tag::inline(Step::new(Role::Link, 0));
                let label = Tag::Content(Arc::from([
                    Step::new(Role::Lbl, 0),
                    Step::new(Role::Link, 0),
                ]));
                for item in &mut first.frame.items {
                    if let Some(tag) = structure::tag_of_mut(item) {
                        if *tag == number {
                            *tag = label.clone();
                        }
                    }
                }
            }
            structure::root_lines(lines, &path);
        }
    }
}

impl std::ops::Index<usize> for NoteLines {
    type Output = Vec<Line>;

    fn index(&self, note: usize) -> &Vec<Line> {
        &self.lines[note - self.first]
    }
}

impl std::ops::IndexMut<usize> for NoteLines {
    fn index_mut(&mut self, note: usize) -> &mut Vec<Line> {
        &mut self.lines[note - self.first]
    }
}

/// Sets notes `range` (those of one section); `lemma_lines` gives the numbered lines each
/// lemma runs over, when lines are numbered.
pub(crate) fn set_notes(
    edition: &Edition,
    range: std::ops::Range<usize>,
    lemma_lines: &std::collections::HashMap<usize, (u32, u32)>,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<NoteLines, LayoutError> {
    let first = range.start;
    let mut out = Vec::with_capacity(range.len());
    let mut registers = Vec::with_capacity(range.len());
    for (index, note) in edition.notes[range].iter().enumerate() {
        let index = first + index;
        let context = format!("note `{}`", note.id);
        let number = |i: usize| {
            Some(MarkAs {
                number: edition.notes[i].number,
                label: edition.notes[i].mark.clone(),
                shown: true,
            })
        };
        let mut paragraphs = block_pieces(&note.body, &number);
        if paragraphs.is_empty() {
            paragraphs.push(Vec::new());
        }
        let unmarked = edition.is_unmarked(index);
        let head = if unmarked {
            apparatus_head(edition, note, lemma_lines.get(&index).copied())
        } else {
            footnote_head(edition, note)
        };
        if !unmarked && !note.readings.is_empty() {
            paragraphs.push(readings(edition, note));
        }
        let mut lines = Vec::new();
        for (n, mut pieces) in paragraphs.into_iter().enumerate() {
            if n == 0 {
                pieces.splice(0..0, head.iter().cloned());
            }
            let style = ParStyle {
                size: geometry.note_size,
                leading: geometry.note_leading,
                width: geometry.measure,
                indent: if n == 0 { 0.0 } else { geometry.note_size },
                align: Align::Justify,
                hyphenate: super::hyphenate::language(&edition.meta.language),
                emphasis: Style::default(),
                rtl: crate::labels::is_right_to_left(&edition.meta.language),
            };
            lines.extend(set_paragraph(&pieces, &style, shaper, &context)?);
        }
        if let Some(first) = lines.first_mut() {
            first.frame.items.push(Item::Destination(Destination {
                name: format!("note-{}", note.number),
                x: 0.0,
                y: 0.0,
            }));
        }
        out.push(lines);
        registers.push(if unmarked {
            Register::Apparatus
        } else {
            Register::Footnotes
        });
    }
    Ok(NoteLines::new(first, out, registers))
}

fn italic() -> Style {
    Style {
        italic: true,
        ..Style::default()
    }
}

fn bold() -> Style {
    Style {
        bold: true,
        ..Style::default()
    }
}

/// A footnote's head, as the EPUB's note gives it: its number (linking back to the mark),
/// kind and lemma.
fn footnote_head(edition: &Edition, note: &Note) -> Vec<Piece> {
    vec![
        Piece::Text {
            text: note.mark.clone(),
            style: bold(),
            link: Some(LinkTarget::Internal(format!("mark-{}", note.number))),
            span: None,
        },
        Piece::plain(" ", Style::default()),
        Piece::plain(
            format!("{}. ", edition.meta.labels.kind(note.kind)),
            italic(),
        ),
        Piece::plain(&note.lemma, italic()),
        Piece::plain("] ", Style::default()),
    ]
}

/// A footnote's readings, its last paragraph: "Readings: A …; B …."
fn readings(edition: &Edition, note: &Note) -> Vec<Piece> {
    let mut pieces = vec![Piece::plain(
        format!("{}: ", edition.meta.labels.get(Label::Readings)),
        italic(),
    )];
    for (i, reading) in note.readings.iter().enumerate() {
        if i > 0 {
            pieces.push(Piece::plain("; ", Style::default()));
        }
        pieces.push(Piece::plain(format!("{} ", reading.sigil), bold()));
        pieces.extend(Piece::from_inlines(&reading.content, |_| None));
    }
    pieces.push(Piece::plain(".", Style::default()));
    pieces
}

/// An apparatus entry's head: its key, the lemma, `] W`, each other reading followed by its
/// sigil, then the kind. The key is the line the lemma begins on when lines are numbered
/// (`12`, or `12–13` for a lemma running over two lines), else the paragraph's number (the
/// witness's sigil in its header, where there is neither).
fn apparatus_head(edition: &Edition, note: &Note, lines: Option<(u32, u32)>) -> Vec<Piece> {
    let key = match lines {
        Some((first, last)) if last > first => format!("{first}\u{2013}{last}"),
        Some((first, _)) => first.to_string(),
        None => note
            .paragraph
            .map_or_else(|| note.witness.clone(), |p| p.to_string()),
    };
    let mut pieces = vec![
        Piece::plain(key, bold()),
        Piece::plain(" ", Style::default()),
        Piece::plain(note.short_lemma(), Style::default()),
        Piece::plain("] ", Style::default()),
        Piece::plain(&note.witness, italic()),
    ];
    for reading in note.apparatus_readings() {
        pieces.push(Piece::plain("; ", Style::default()));
        pieces.extend(Piece::from_inlines(&reading.content, |_| None));
        pieces.push(Piece::plain(format!(" {}", reading.sigil), italic()));
    }
    pieces.push(Piece::plain("; ", Style::default()));
    pieces.push(Piece::plain(
        format!("{}. ", edition.meta.labels.kind(note.kind)),
        italic(),
    ));
    pieces
}
