//! The generated tables: the witnesses (sigla with their provenance) and the points of
//! divergence (one row per note with readings, one column per witness). Cells wrap; a row
//! is kept whole on a page. Both are set in independent pieces (runs of witness rows,
//! panels of witnesses), each repeating the table's header at the top of its pages.

use crate::labels::Label;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::blocks::{generated_part, italic, part_title, Flow, FlowItem};
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Frame, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::structure::{self, Role, Step, Tag};
use super::{Item, LayoutError, LinkArea, LinkTarget, Rect, Rule};
use crate::model::{Edition, Note, Style, Witness};
use crate::page_list::PageStart;

/// One cell: its paragraphs.
pub(crate) type Cell = Vec<Vec<Piece>>;

/// A table row, with the place it links to.
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub link: Option<String>,
    pub header: bool,
}

/// What the tables hold: the witnesses with their sections, and the panels of the points of
/// divergence (consecutive witnesses, and the notes with a reading among them).
pub(crate) struct Tables<'e> {
    /// The edition's generated words.
    pub labels: &'e crate::labels::Labels,
    /// The edition's language, for its dates.
    pub language: &'e str,
    pub witnesses: Vec<(usize, &'e Witness)>,
    pub panels: Vec<Panel<'e>>,
}

pub(crate) struct Panel<'e> {
    sigla: Vec<&'e str>,
    notes: Vec<&'e Note>,
}

/// The narrowest reading column before the table is split into panels.
const MIN_COLUMN: f32 = 62.0;

/// Witness rows set as one piece.
pub(crate) const WITNESS_ROWS: usize = 64;

impl<'e> Tables<'e> {
    pub fn new(edition: &'e Edition, geometry: &Geometry) -> Tables<'e> {
        let witnesses: Vec<(usize, &Witness)> = edition
            .sections
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.witness.as_ref().map(|w| (i, w)))
            .collect();
        let sigla: Vec<&str> = witnesses.iter().map(|(_, w)| w.sigil.as_str()).collect();
        if sigla.is_empty() || edition.notes.iter().all(|n| n.readings.is_empty()) {
            return Tables {
                labels: &edition.meta.labels,
                language: &edition.meta.language,
                witnesses,
                panels: Vec::new(),
            };
        }
        let per_panel =
            (((geometry.measure - first_column(geometry)) / MIN_COLUMN).floor() as usize).max(1);
        let count = sigla.len().div_ceil(per_panel);
        let per_panel = sigla.len().div_ceil(count);
        // The notes of each panel: those with a reading of one of its witnesses, in order.
        let panel_of: HashMap<&str, usize> = sigla
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i / per_panel))
            .collect();
        let mut panels: Vec<Panel> = sigla
            .chunks(per_panel)
            .map(|chunk| Panel {
                sigla: chunk.to_vec(),
                notes: Vec::new(),
            })
            .collect();
        for note in &edition.notes {
            let mut touched: Vec<usize> = note
                .readings
                .iter()
                .filter_map(|r| panel_of.get(r.sigil.as_str()).copied())
                .collect();
            touched.sort_unstable();
            touched.dedup();
            for panel in touched {
                panels[panel].notes.push(note);
            }
        }
        Tables {
            labels: &edition.meta.labels,
            language: &edition.meta.language,
            witnesses,
            panels,
        }
    }
}

/// The `Sect` of the witnesses table.
fn witnesses_part() -> Arc<[Step]> {
    Arc::from([Step::new(Role::Sect, generated_part(3))])
}

fn first_column(geometry: &Geometry) -> f32 {
    geometry.size * 4.5
}

/// Sets witness rows `rows` of the witnesses table (sigil | description); the first run
/// opens the part with its title.
pub(crate) fn witness_rows(
    tables: &Tables,
    rows: Range<usize>,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let first = rows.start == 0;
    let part = witnesses_part();
    if first {
        part_title(
            flow,
            tables.labels.get(Label::Witnesses),
            "witnesses",
            &part,
            PageStart::Witnesses { row: 0 },
            geometry,
            shaper,
        )?;
    }
    let first_row = rows.start + 1;
    let starts: Vec<PageStart> = (first_row..first_row + rows.len())
        .map(|row| PageStart::Witnesses { row })
        .collect();
    let header = Row {
        cells: vec![
            text_cell(tables.labels.get(Label::Sigil)),
            text_cell(tables.labels.get(Label::Witness)),
        ],
        link: None,
        header: true,
    };
    let mut body = Vec::with_capacity(rows.len());
    for &(index, w) in &tables.witnesses[rows] {
        let mut description: Cell = vec![vec![Piece::plain(&w.title, italic())]];
        let published = w
            .published
            .as_deref()
            .map(|d| crate::labels::human_date(d, tables.language));
        let fields = [
            ("Subtitle", &w.subtitle),
            (tables.labels.get(Label::Author), &w.author),
            ("Byline", &w.byline),
            ("Publisher", &w.publisher),
            ("Dateline", &w.dateline),
            (tables.labels.get(Label::Published), &published),
            ("Source file", &w.source),
            ("SHA-256", &w.source_sha256),
            ("Provenance", &w.provenance),
        ];
        let fields = fields
            .into_iter()
            .filter_map(|(label, value)| Some((label, value.as_deref()?, None)))
            .chain(w.description().into_iter().map(|f| {
                let link = f.link.as_ref().and_then(LinkTarget::of);
                (f.label, f.value, link)
            }));
        for (label, value, link) in fields {
            description.push(vec![
                Piece::plain(format!("{label}: "), italic()),
                Piece::Text {
                    text: value.to_owned(),
                    style: Style::default(),
                    link,
                    span: None,
                },
            ]);
        }
        body.push(Row {
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
    let table = Table {
        widths: &widths,
        align: &[],
        x: 0.0,
        hyphenate: None,
        context: "the witnesses table",
        path: structure::child(&part, Step::new(Role::Table, 0)),
        first_row,
        size: geometry.note_size,
    };
    let from = flow.len();
    table.set(header, first, body, geometry, shaper, flow)?;
    place_rows(flow, from, first, starts);
    Ok(())
}

/// Gives the lines of a table's rows, from `from` (its header row first when `header`
/// is shown), their places in the page list: `starts`, one for each body row; the header
/// row stands where the first row does.
fn place_rows(flow: &mut Flow, from: usize, header: bool, starts: Vec<PageStart>) {
    let header_start = starts.first().cloned().filter(|_| header);
    let places = header_start.into_iter().chain(starts);
    for (item, start) in flow[from..].iter_mut().zip(places) {
        if let FlowItem::Line { at, .. } = item {
            *at = Some(start);
        }
    }
}

/// Sets panel `index` of the points of divergence: one row per note with a reading of one
/// of the panel's witnesses, one column per witness. The first panel opens the part with
/// its title; panels follow one another on the page.
pub(crate) fn divergence_panel(
    tables: &Tables,
    index: usize,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let panel = &tables.panels[index];
    let part: Arc<[Step]> = Arc::from([Step::new(Role::Sect, generated_part(4))]);
    if index == 0 {
        part_title(
            flow,
            tables.labels.get(Label::PointsOfDivergence),
            "divergence",
            &part,
            PageStart::Divergences { note: None },
            geometry,
            shaper,
        )?;
    } else {
        flow_gap(flow, geometry.leading);
    }
    let mut cells = vec![text_cell(tables.labels.get(Label::Note))];
    cells.extend(panel.sigla.iter().map(|s| text_cell(s)));
    let header = Row {
        cells,
        link: None,
        header: true,
    };
    let mut rows = Vec::with_capacity(panel.notes.len());
    // The ebook gives the points of divergence one table per text, the first panel's
    // order; a later panel's rows come after all of them.
    let starts: Vec<PageStart> = panel
        .notes
        .iter()
        .map(|note| match index {
            0 => PageStart::Divergences {
                note: Some(note.number),
            },
            _ => PageStart::DivergencesEnd,
        })
        .collect();
    for note in &panel.notes {
        let mut cells = vec![vec![
            vec![Piece::plain(&note.mark, Style::default())],
            vec![Piece::plain(tables.labels.kind(note.kind), italic())],
        ]];
        for sigil in &panel.sigla {
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
    let first = first_column(geometry);
    let rest = (geometry.measure - first) / panel.sigla.len() as f32;
    let mut widths = vec![first];
    widths.extend(std::iter::repeat_n(rest, panel.sigla.len()));
    let table = Table {
        widths: &widths,
        align: &[],
        x: 0.0,
        hyphenate: None,
        context: "the points of divergence",
        path: structure::child(&part, Step::new(Role::Table, index)),
        first_row: 1,
        size: geometry.note_size,
    };
    let from = flow.len();
    table.set(header, true, rows, geometry, shaper, flow)?;
    place_rows(flow, from, true, starts);
    Ok(())
}

/// Vertical space between panels.
fn flow_gap(flow: &mut Flow, height: f32) {
    flow.push(FlowItem::Line {
        line: Line {
            frame: Frame {
                width: 0.0,
                height,
                items: Vec::new(),
            },
            notes: Vec::new(),
            ..Line::default()
        },
        space_before: 0.0,
        keep_with_next: false,
        repeat: None,
        at: None,
    });
}

fn text_cell(text: &str) -> Cell {
    vec![vec![Piece::plain(text, Style::default())]]
}

/// A table's columns and what it is called in errors.
pub(crate) struct Table<'a> {
    pub widths: &'a [f32],
    /// Each column's alignment; columns past its end are set flush left.
    pub align: &'a [Align],
    /// How far from the left of the measure the table stands.
    pub x: f32,
    /// The patterns cells are hyphenated with, if any.
    pub hyphenate: Option<super::hyphenate::Lang>,
    pub context: &'a str,
    /// The table's structure element.
    pub path: Arc<[Step]>,
    /// The number of the first body row (the header row is 0): a table set in pieces
    /// counts its rows on.
    pub first_row: usize,
    /// The type size of the cells: the notes' size, or less for a table too wide for it
    /// ([`fitted_size`]).
    pub size: f32,
}

impl Table<'_> {
    /// Sets rows into flow lines: cells side by side, a rule under each row. Every row
    /// repeats `header` at the top of a page it starts; `show_header` sets it first.
    pub fn set(
        &self,
        header: Row,
        show_header: bool,
        rows: Vec<Row>,
        geometry: &Geometry,
        shaper: &mut Shaper,
        flow: &mut Flow,
    ) -> Result<(), LayoutError> {
        let (header, header_notes) = self.row(header, 0, geometry, shaper)?;
        // Links stay with the header's first setting; a repetition is page furniture.
        let mut repeat = header.clone();
        repeat
            .items
            .retain(|i| !matches!(i, Item::Link(_) | Item::Destination(_)));
        structure::make_artifacts(&mut repeat.items);
        let repeat = Arc::new(repeat);
        if show_header {
            flow.push(FlowItem::Line {
                line: Line {
                    frame: header,
                    notes: header_notes,
                    ..Line::default()
                },
                space_before: 0.0,
                keep_with_next: true,
                repeat: None,
                at: None,
            });
        }
        flow.reserve(rows.len());
        for (k, row) in rows.into_iter().enumerate() {
            let (frame, notes) = self.row(row, self.first_row + k, geometry, shaper)?;
            flow.push(FlowItem::Line {
                line: Line::drawn(frame, notes),
                space_before: 0.0,
                keep_with_next: false,
                repeat: Some(repeat.clone()),
                at: None,
            });
        }
        Ok(())
    }

    /// One row's frame, and the notes whose marks its cells hold.
    fn row(
        &self,
        row: Row,
        number: usize,
        geometry: &Geometry,
        shaper: &mut Shaper,
    ) -> Result<(Frame, Vec<usize>), LayoutError> {
        let gutter = self.size;
        let leading = geometry.note_leading * self.size / geometry.note_size;
        let pad = leading * 0.3;
        let total: f32 = self.widths.iter().sum();
        let mut frame = Frame {
            width: geometry.measure,
            height: 0.0,
            items: Vec::new(),
        };
        let mut notes = Vec::new();
        let mut x = self.x;
        let mut height: f32 = 0.0;
        for (column, (cell, &width)) in row.cells.iter().zip(self.widths).enumerate() {
            let style = ParStyle {
                size: self.size,
                leading,
                width: width - gutter,
                indent: 0.0,
                align: self.align.get(column).copied().unwrap_or(Align::Left),
                hyphenate: self.hyphenate,
                emphasis: Style {
                    bold: row.header,
                    ..Style::default()
                },
                rtl: false,
            };
            let role = match row.header {
                true => Role::Th { column: true },
                false => Role::Td,
            };
            let cell_path: Arc<[Step]> = self
                .path
                .iter()
                .cloned()
                .chain([Step::new(Role::Tr, number), Step::new(role, column)])
                .collect();
            let mut y = pad;
            for paragraph in cell {
                let mut lines = set_paragraph(paragraph, &style, shaper, self.context)?;
                structure::root_lines(&mut lines, &cell_path);
                for line in lines {
                    let height = line.frame.height;
                    notes.extend(line.notes);
                    frame.place(line.frame, x, y);
                    y += height;
                }
            }
            height = height.max(y + pad);
            x += width;
        }
        frame.height = height;
        frame.items.push(Item::Rule(Rule {
            x: self.x,
            y: height,
            width: total,
            thickness: if row.header { 0.6 } else { 0.25 },
            tag: Tag::Artifact,
        }));
        if let Some(target) = row.link {
            frame.items.push(Item::Link(LinkArea {
                rect: Rect {
                    x: self.x,
                    y: 0.0,
                    width: self.widths[0],
                    height,
                },
                target: LinkTarget::Internal(target),
                tag: Tag::Content(
                    self.path
                        .iter()
                        .cloned()
                        .chain([
                            Step::new(Role::Tr, number),
                            Step::new(Role::Td, 0),
                            Step::new(Role::Link, usize::MAX),
                        ])
                        .collect(),
                ),
            }));
        }
        Ok((frame, notes))
    }
}

/// Sets a table of a section (GFM) at `x`, at most `width` wide: the header row set again at
/// the top of each page the table continues on, each row kept whole. Columns get their
/// natural width when the table fits; otherwise each keeps its longest word and the rest of
/// the width goes to the columns with the most text, whose cells wrap and hyphenate. A table
/// whose longest words cannot stand side by side is set in smaller type ([`fitted_size`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn section_table(
    table: &crate::model::Table,
    path: &Arc<[Step]>,
    x: f32,
    width: f32,
    number: &dyn Fn(usize) -> Option<super::paragraph::MarkAs>,
    hyphenate: Option<super::hyphenate::Lang>,
    context: &str,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let cells = |row: &[Vec<crate::model::Inline>]| -> Vec<Cell> {
        row.iter()
            .map(|inlines| vec![Piece::from_inlines(inlines, number)])
            .collect()
    };
    let header = Row {
        cells: cells(&table.header),
        link: None,
        header: true,
    };
    let rows: Vec<Row> = table
        .rows
        .iter()
        .map(|row| Row {
            cells: cells(row),
            link: None,
            header: false,
        })
        .collect();
    let columns = table.align.len().max(1);
    let gutter = geometry.note_size;
    // (widest word, whole text) of each column, in points, gutter included.
    let mut natural = vec![(gutter, gutter); columns];
    for row in std::iter::once(&header).chain(&rows) {
        for (column, cell) in row.cells.iter().enumerate().take(columns) {
            let (word, line) = measure(cell, row.header, geometry.note_size, shaper);
            natural[column].0 = natural[column].0.max(word + gutter);
            natural[column].1 = natural[column].1.max(line + gutter);
        }
    }
    // A table whose longest words do not fit side by side is set smaller, not squeezed.
    let size = fitted_size(&natural, width, geometry.note_size);
    let scale = size / geometry.note_size;
    let natural: Vec<(f32, f32)> = natural
        .iter()
        .map(|&(word, line)| (word * scale, line * scale))
        .collect();
    let widths = column_widths(&natural, width);
    let align: Vec<Align> = table
        .align
        .iter()
        .map(|a| match a {
            crate::model::CellAlign::None | crate::model::CellAlign::Left => Align::Left,
            crate::model::CellAlign::Center => Align::Center,
            crate::model::CellAlign::Right => Align::Right,
        })
        .collect();
    flow_gap(flow, geometry.leading * 0.5);
    let setter = Table {
        widths: &widths,
        align: &align,
        x,
        hyphenate,
        context,
        path: path.clone(),
        first_row: 1,
        size,
    };
    setter.set(header, true, rows, geometry, shaper, flow)?;
    flow_gap(flow, geometry.leading * 0.5);
    Ok(())
}

/// The widest word and the whole width of a cell's text, set at `size`.
fn measure(cell: &Cell, bold: bool, size: f32, shaper: &mut Shaper) -> (f32, f32) {
    let (mut word, mut line) = (0.0f32, 0.0f32);
    for paragraph in cell {
        let mut total = 0.0;
        for piece in paragraph {
            let Piece::Text { text, style, .. } = piece else {
                total += size * 0.6;
                continue;
            };
            let face = shaper.book.face_for(Style { bold, ..*style });
            for w in text.split_whitespace() {
                let width = shaper.shape(w, face).map_or(0.0, |s| s.width) * size;
                word = word.max(width);
                total += width + size * 0.3;
            }
        }
        line = line.max(total);
    }
    (word, line)
}

/// The smallest size a table's cells are set at, as a share of their usual size (the
/// notes'); never below [`SMALLEST_CELL_SIZE`].
const SMALLEST_CELL_SCALE: f32 = 0.75;
const SMALLEST_CELL_SIZE: f32 = 6.0;

/// The type size of a table's cells: `size` when the columns' longest words (measured at
/// `size`, gutters included) fit side by side in `width`, else as much smaller as makes them
/// fit, down to 75% of `size` and never below 6 pt; past that the words break.
fn fitted_size(natural: &[(f32, f32)], width: f32, size: f32) -> f32 {
    let words: f32 = natural.iter().map(|n| n.0).sum();
    let floor = (size * SMALLEST_CELL_SCALE)
        .max(SMALLEST_CELL_SIZE)
        .min(size);
    if words <= width {
        size
    } else {
        // A little to spare, so that a longest word fits its column without a break.
        (size * width / words * 0.98).max(floor)
    }
}

/// Column widths filling at most `width` from each column's (widest word, whole text).
fn column_widths(natural: &[(f32, f32)], width: f32) -> Vec<f32> {
    let whole: f32 = natural.iter().map(|n| n.1).sum();
    if whole <= width {
        return natural.iter().map(|n| n.1).collect();
    }
    let words: f32 = natural.iter().map(|n| n.0).sum();
    if words >= width {
        // Not even the longest words fit: every column in proportion (words then break).
        return natural.iter().map(|n| n.0 * width / words).collect();
    }
    let spare = width - words;
    let wanted: f32 = natural.iter().map(|n| n.1 - n.0).sum();
    natural
        .iter()
        .map(|n| n.0 + spare * (n.1 - n.0) / wanted.max(f32::EPSILON))
        .collect()
}

/// Sets a generated table of the body (the Chronology's): a header row repeated on every
/// page it runs onto, then its rows; the first column as wide as its widest short entry,
/// the others shared in proportion to how much they hold.
pub(crate) fn generated(
    head: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    path: &Arc<[Step]>,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
) -> Result<(), LayoutError> {
    let columns = head.len();
    if columns == 0 {
        return Ok(());
    }
    let length = |cell: &Cell| -> usize {
        cell.iter()
            .flatten()
            .map(|p| match p {
                Piece::Text { text, .. } => text.chars().count(),
                _ => 0,
            })
            .sum()
    };
    let mut longest = vec![0usize; columns];
    for row in std::iter::once(&head).chain(&rows) {
        for (c, cell) in row.iter().enumerate().take(columns) {
            longest[c] = longest[c].max(length(cell));
        }
    }
    // Each column as wide as its longest cell, if the measure allows; otherwise the columns
    // narrower than a fair share keep their width and the others share what is left.
    let natural: Vec<f32> = longest
        .iter()
        .map(|&l| geometry.note_size * (0.55 * l.max(1) as f32 + 1.2))
        .collect();
    let mut widths = natural.clone();
    let total: f32 = natural.iter().sum();
    if total > geometry.measure {
        let mut wide: Vec<usize> = (0..columns).collect();
        let mut room = geometry.measure;
        loop {
            let share = room / wide.len() as f32;
            let (narrow, rest): (Vec<usize>, Vec<usize>) =
                wide.iter().partition(|&&c| natural[c] <= share);
            if narrow.is_empty() || rest.is_empty() {
                for &c in &wide {
                    widths[c] = share;
                }
                break;
            }
            room -= narrow.iter().map(|&c| natural[c]).sum::<f32>();
            wide = rest;
        }
    } else {
        // The room left goes to the widest column.
        let widest = (0..columns)
            .max_by(|&a, &b| natural[a].total_cmp(&natural[b]))
            .unwrap_or(0);
        widths[widest] += geometry.measure - total;
    }
    let table = Table {
        widths: &widths,
        align: &[],
        x: 0.0,
        hyphenate: None,
        context: "a generated table",
        path: path.clone(),
        first_row: 1,
        size: geometry.note_size,
    };
    let header = Row {
        cells: head,
        link: None,
        header: true,
    };
    let rows = rows
        .into_iter()
        .map(|cells| Row {
            cells,
            link: None,
            header: false,
        })
        .collect();
    table.set(header, true, rows, geometry, shaper, flow)
}

#[cfg(test)]
mod tests {
    use super::{column_widths, fitted_size};

    #[test]
    fn a_table_too_wide_for_its_longest_words_is_set_smaller_down_to_a_floor() {
        // Fits: the usual size.
        assert_eq!(fitted_size(&[(40.0, 90.0), (50.0, 60.0)], 100.0, 9.0), 9.0);
        // 20% too wide: 9 pt × 100/120, and 2% to spare.
        let size = fitted_size(&[(60.0, 90.0), (60.0, 60.0)], 100.0, 9.0);
        assert!((size - 7.5 * 0.98).abs() < 0.001, "{size}");
        // Far too wide: 75% of 9 pt, and never below 6 pt.
        assert_eq!(fitted_size(&[(300.0, 300.0)], 100.0, 9.0), 6.75);
        assert_eq!(fitted_size(&[(300.0, 300.0)], 100.0, 7.0), 6.0);
        assert_eq!(fitted_size(&[(300.0, 300.0)], 100.0, 5.0), 5.0);
    }

    #[test]
    fn columns_fit_the_measure() {
        assert_eq!(
            column_widths(&[(10.0, 20.0), (10.0, 30.0)], 100.0),
            [20.0, 30.0]
        );
        let w = column_widths(&[(10.0, 200.0), (10.0, 20.0)], 100.0);
        assert!(
            (w.iter().sum::<f32>() - 100.0).abs() < 0.01 && w[1] >= 10.0,
            "{w:?}"
        );
        let w = column_widths(&[(80.0, 200.0), (80.0, 200.0)], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01, "{w:?}");
    }
}
