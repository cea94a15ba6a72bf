//! Setting the notes' texts as footnote lines: number (linking back to the mark), kind label,
//! then the body, in the note size. Pages decide where the lines go.

use super::blocks::block_pieces;
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::{Destination, Item, LayoutError, LinkTarget};
use crate::model::{Edition, Style};

/// The footnote lines of each note, by note index.
pub(crate) type NoteLines = Vec<Vec<Line>>;

/// Sets every note.
pub(crate) fn set_notes(
    edition: &Edition,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<NoteLines, LayoutError> {
    let mut out = Vec::with_capacity(edition.notes.len());
    for note in &edition.notes {
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
                format!("{}. ", note.kind.name()),
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
                hyphenate: true,
                emphasis: Style::default(),
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
    Ok(out)
}
