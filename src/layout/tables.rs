//! The generated tables: the witnesses (sigla with their provenance) and the points of
//! divergence (one row per note with readings, one column per witness). Cells wrap; a row
//! is kept whole on a page.

use std::collections::HashMap;
use std::sync::Arc;

use super::blocks::{italic, part_title, Flow, FlowItem};
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Frame, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::{Item, LayoutError, LinkArea, LinkTarget, Rect, Rule};
use crate::model::{Edition, Note, Style, Witness};

/// One cell: its paragraphs.
type Cell = Vec<Vec<Piece>>;

/// A table row, with the place it links to.
struct Row {
    cells: Vec<Cell>,
    link: Option<String>,
    header: bool,
}

/// Adds the witnesses table (sigil | description).
pub(crate) fn witnesses_table(
    edition: &Edition,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let witnesses: Vec<(usize, &Witness)> = edition
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.witness.as_ref().map(|w| (i, w)))
        .collect();
    if witnesses.is_empty() {
        return Ok(());
    }
    part_title(flow, "Witnesses", "witnesses", geometry, shaper)?;
    let mut rows = vec![Row {
        cells: vec![text_cell("Sigil"), text_cell("Witness")],
        link: None,
        header: true,
    }];
    for (index, w) in witnesses {
        let mut description: Cell = vec![vec![Piece::plain(&w.title, italic())]];
        let fields = [
            ("Subtitle", &w.subtitle),
            ("Author", &w.author),
            ("Byline", &w.byline),
            ("Publisher", &w.publisher),
            ("Dateline", &w.dateline),
            ("Published", &w.published),
            ("Source file", &w.source),
            ("SHA-256", &w.source_sha256),
            ("Provenance", &w.provenance),
        ];
        for (label, value) in fields {
            if let Some(value) = value {
                description.push(vec![
                    Piece::plain(format!("{label}: "), italic()),
                    Piece::plain(value, Style::default()),
                ]);
            }
        }
        rows.push(Row {
            cells: vec![
                vec![vec![Piece::plain(
                    &w.sigil,
                    Style {
                        bold: true,
                        ..Style::default()
                    },
                )]],
                description,
            ],
            link: Some(format!("section-{index}")),
            header: false,
        });
    }
    let sigil_width = geometry.size * 3.5;
    let widths = [sigil_width, geometry.measure - sigil_width];
    set_table(rows, &widths, geometry, shaper, flow, "the witnesses table")
}

/// Adds the points of divergence: one row per note with readings, one column per
/// witness. With more witnesses than the measure holds at a readable width, the table is set
/// in panels of consecutive witnesses, each listing the notes with a reading among them.
pub(crate) fn divergence_table(
    edition: &Edition,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let sigla: Vec<&str> = edition.witnesses().map(|(_, w)| w.sigil.as_str()).collect();
    if sigla.is_empty() || edition.notes.iter().all(|n| n.readings.is_empty()) {
        return Ok(());
    }
    part_title(flow, "Points of divergence", "divergence", geometry, shaper)?;
    let first = geometry.size * 4.5;
    let per_panel = (((geometry.measure - first) / MIN_COLUMN).floor() as usize).max(1);
    let panels = sigla.len().div_ceil(per_panel);
    let per_panel = sigla.len().div_ceil(panels);
    // The notes of each panel: those with a reading of one of its witnesses, in order.
    let panel_of: HashMap<&str, usize> = sigla
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i / per_panel))
        .collect();
    let mut panel_notes: Vec<Vec<&Note>> = vec![Vec::new(); panels];
    for note in &edition.notes {
        let mut touched: Vec<usize> = note
            .readings
            .iter()
            .filter_map(|r| panel_of.get(r.sigil.as_str()).copied())
            .collect();
        touched.sort_unstable();
        touched.dedup();
        for panel in touched {
            panel_notes[panel].push(note);
        }
    }
    for (sigla, notes) in sigla.chunks(per_panel).zip(panel_notes) {
        let mut header = vec![text_cell("Note")];
        header.extend(sigla.iter().map(|s| text_cell(s)));
        let mut rows = vec![Row {
            cells: header,
            link: None,
            header: true,
        }];
        for note in notes {
            let mut cells = vec![vec![
                vec![Piece::plain(note.number.to_string(), Style::default())],
                vec![Piece::plain(note.kind.name(), italic())],
            ]];
            for sigil in sigla {
                cells.push(match note.readings.iter().find(|r| r.sigil == *sigil) {
                    Some(reading) => vec![Piece::from_inlines(&reading.content, |_| None)],
                    None => text_cell("—"),
                });
            }
            rows.push(Row {
                cells,
                link: Some(format!("note-{}", note.number)),
                header: false,
            });
        }
        let rest = (geometry.measure - first) / sigla.len() as f32;
        let mut widths = vec![first];
        widths.extend(std::iter::repeat_n(rest, sigla.len()));
        set_table(
            rows,
            &widths,
            geometry,
            shaper,
            flow,
            "the points of divergence",
        )?;
        if panels > 1 {
            flow_gap(flow, geometry.leading);
        }
    }
    Ok(())
}

/// The narrowest reading column before the table is split into panels.
const MIN_COLUMN: f32 = 62.0;

/// Vertical space between panels.
fn flow_gap(flow: &mut Flow, height: f32) {
    flow.items.push(FlowItem::Line {
        line: Line {
            frame: Frame {
                width: 0.0,
                height,
                items: Vec::new(),
            },
            notes: Vec::new(),
        },
        space_before: 0.0,
        keep_with_next: false,
        repeat: None,
    });
}

fn text_cell(text: &str) -> Cell {
    vec![vec![Piece::plain(text, Style::default())]]
}

/// Sets rows into flow lines: cells side by side, a rule under each row.
fn set_table(
    rows: Vec<Row>,
    widths: &[f32],
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
    context: &str,
) -> Result<(), LayoutError> {
    let gutter = geometry.note_size;
    let pad = geometry.note_leading * 0.3;
    let mut header: Option<Arc<Frame>> = None;
    for row in rows {
        let mut frame = Frame {
            width: geometry.measure,
            height: 0.0,
            items: Vec::new(),
        };
        let mut x = 0.0;
        let mut height: f32 = 0.0;
        for (cell, &width) in row.cells.iter().zip(widths) {
            let style = ParStyle {
                size: geometry.note_size,
                leading: geometry.note_leading,
                width: width - gutter,
                indent: 0.0,
                align: Align::Left,
                hyphenate: false,
                emphasis: Style {
                    bold: row.header,
                    ..Style::default()
                },
            };
            let mut y = pad;
            for paragraph in cell {
                for line in set_paragraph(paragraph, &style, shaper, context)? {
                    let height = line.frame.height;
                    frame.place(line.frame, x, y);
                    y += height;
                }
            }
            height = height.max(y + pad);
            x += width;
        }
        frame.height = height;
        frame.items.push(Item::Rule(Rule {
            x: 0.0,
            y: height,
            width: geometry.measure,
            thickness: if row.header { 0.6 } else { 0.25 },
        }));
        if let Some(target) = row.link {
            frame.items.push(Item::Link(LinkArea {
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    width: widths[0],
                    height,
                },
                target: LinkTarget::Internal(target),
            }));
        }
        // Rows repeat the header at the top of the pages they start; links stay with the
        // header's first setting.
        let repeat = if row.header {
            let mut copy = frame.clone();
            copy.items
                .retain(|i| !matches!(i, Item::Link(_) | Item::Destination(_)));
            header = Some(Arc::new(copy));
            None
        } else {
            header.clone()
        };
        flow.items.push(FlowItem::Line {
            line: Line {
                frame,
                notes: Vec::new(),
            },
            space_before: 0.0,
            keep_with_next: row.header,
            repeat,
        });
    }
    Ok(())
}
