//! Setting the notes' texts as footnote lines: number (linking back to the mark), kind label,
//! then the body, in the note size. Pages decide where the lines go.

use super::blocks::block_pieces;
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::{Destination, Item, LayoutError, LinkTarget};
use crate::model::{Edition, Style};

/// The footnote lines of a run of consecutive notes, indexed by note index.
#[derive(Debug, Default)]
pub(crate) struct NoteLines {
    first: usize,
    lines: Vec<Vec<Line>>,
}

impl NoteLines {
    /// The lines of notes `first`, `first + 1`, ….
    pub fn new(first: usize, lines: Vec<Vec<Line>>) -> NoteLines {
        NoteLines { first, lines }
    }

    /// Appends the notes that follow.
    pub fn append(&mut self, other: NoteLines) {
        if self.lines.is_empty() {
            *self = other;
        } else if !other.lines.is_empty() {
            assert_eq!(other.first, self.first + self.lines.len(), "notes run on");
            self.lines.extend(other.lines);
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

/// Sets notes `range` (those of one section).
pub(crate) fn set_notes(
    edition: &Edition,
    range: std::ops::Range<usize>,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<NoteLines, LayoutError> {
    let first = range.start;
    let mut out = Vec::with_capacity(range.len());
    for note in &edition.notes[range] {
        let context = format!("note `{}`", note.id);
        let mut paragraphs = block_pieces(&note.body, &|i| Some(edition.notes[i].number));
        if paragraphs.is_empty() {
            paragraphs.push(Vec::new());
        }
        let head = [
            Piece::Text {
                text: note.number.to_string(),
                style: Style {
                    bold: true,
                    ..Style::default()
                },
                link: Some(LinkTarget::Internal(format!("mark-{}", note.number))),
                span: None,
            },
            Piece::plain(" ", Style::default()),
            Piece::plain(
                format!("{}. ", edition.meta.labels.kind(note.kind)),
                Style {
                    italic: true,
                    ..Style::default()
                },
            ),
        ];
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
    }
    Ok(NoteLines::new(first, out))
}
