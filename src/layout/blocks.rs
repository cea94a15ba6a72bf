//! The edition's body as flows of lines: headings, witness header blocks, paragraphs,
//! quotes, lists, code and rules, with the keeps that page breaking respects. The body is
//! cut into tasks (sections, pieces of the tables) that are set independently.

use super::geometry::Geometry;
use super::paragraph::{
    set_paragraph, set_paragraph_counted, translate, Align, Frame, Line, MarkAs, ParStyle, Piece,
};
use super::shape::Shaper;
use super::structure::{self, Role, Step, Tag};
use super::tables::{self, Tables};
use super::{Destination, Item, LayoutError};
use crate::labels::Label;
use crate::model::{Block, Edition, HeaderField, Paragraphs, Part, Style};
use crate::page_list::PageStart;
use std::sync::Arc;

/// The ornament of a section break (`***`): three asterisks parted by em spaces, as the
/// EPUB's stylesheet draws its `<hr/>`.
pub(crate) const SECTION_BREAK: &str = "*\u{2003}*\u{2003}*";

/// One unit of the body flow.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FlowItem {
    /// A line (or an unbreakable block such as a table row) one frame high.
    Line {
        line: Line,
        space_before: f32,
        /// The page may not break after this line.
        keep_with_next: bool,
        /// Set again at the top of a page this line starts (a table's header row).
        repeat: Option<std::sync::Arc<Frame>>,
        /// Where a page that begins with this line begins in the model (for the page
        /// list); `None` when the line does not know: the page then begins where the next
        /// line that knows does.
        at: Option<PageStart>,
    },
    /// Start a new page; running heads on the following pages show `running_head`.
    NewPage { running_head: String },
}

/// A contents and outline entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub title: String,
    pub level: u8,
    pub destination: String,
}

/// The body flow of one or more tasks.
pub(crate) type Flow = Vec<FlowItem>;

/// A piece of the body set on its own, independently of the others: a section, a run of
/// rows of the witnesses table, a panel of the points of divergence. Sections open parts;
/// a table's first piece opens its part and the others continue it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Task {
    Section(usize),
    WitnessRows(std::ops::Range<usize>),
    DivergencePanel(usize),
}

impl Task {
    /// Whether the task starts a part on a new page.
    pub fn opens_part(&self) -> bool {
        match self {
            Task::Section(_) => true,
            Task::WitnessRows(rows) => rows.start == 0,
            Task::DivergencePanel(panel) => *panel == 0,
        }
    }
}

/// The tasks in the edition's reading order ([`Edition::parts`]): a section is one task,
/// the witnesses table a task per run of rows, the points of divergence one per panel.
pub(crate) fn tasks(edition: &Edition, tables: &Tables) -> Vec<Task> {
    let witnesses = tables.witnesses.len();
    let mut out = Vec::new();
    for part in edition.parts() {
        match part {
            Part::Section(s) => out.push(Task::Section(s)),
            Part::Witnesses => {
                out.extend((0..witnesses).step_by(tables::WITNESS_ROWS).map(|start| {
                    Task::WitnessRows(start..(start + tables::WITNESS_ROWS).min(witnesses))
                }))
            }
            Part::Divergences => out.extend((0..tables.panels.len()).map(Task::DivergencePanel)),
        }
    }
    out
}

/// The contents and outline entries, in reading order: each part, and the second-level
/// headings of the sections (named after their block, as [`set_task`] names them).
pub(crate) fn entries(edition: &Edition, tables: &Tables) -> Vec<Entry> {
    let mut out = Vec::new();
    for task in tasks(edition, tables) {
        match task {
            Task::Section(s) => {
                let section = &edition.sections[s];
                out.push(Entry {
                    title: section.listed_title(),
                    level: 0,
                    destination: format!("section-{s}"),
                });
                // The body's top headings (`#` or `##`), under the section.
                let header = section.header_len();
                for (i, block) in section.blocks.iter().enumerate().skip(header) {
                    if let Block::Heading {
                        level: 1 | 2,
                        content,
                    } = block
                    {
                        out.push(Entry {
                            title: crate::model::plain_text(content),
                            level: 1,
                            destination: heading_name(s, i),
                        });
                    }
                }
            }
            Task::WitnessRows(rows) if rows.start == 0 => out.push(Entry {
                title: edition.meta.labels.get(Label::Witnesses).into(),
                level: 0,
                destination: "witnesses".into(),
            }),
            Task::DivergencePanel(0) => out.push(Entry {
                title: edition.meta.labels.get(Label::PointsOfDivergence).into(),
                level: 0,
                destination: "divergence".into(),
            }),
            Task::WitnessRows(_) | Task::DivergencePanel(_) => {}
        }
    }
    out
}

/// The destination of the heading that is block `i` of section `s`.
fn heading_name(s: usize, i: usize) -> String {
    format!("heading-{s}-{i}")
}

/// What a task's lines say of the notes they call.
#[derive(Debug, Default)]
pub(crate) struct Calls {
    /// The element whose line calls each note, as notes are met: a note's `Note` element
    /// goes under it.
    pub callers: Vec<(usize, Arc<[Step]>)>,
    /// The numbered lines each note's lemma runs over, first and last, by note index (when
    /// lines are numbered and the lemma is on numbered lines).
    pub lemma_lines: std::collections::HashMap<usize, (u32, u32)>,
}

/// Sets one task into body lines; returns them with what they say of the notes they call.
/// `folio` gives the printed page number of a named place, for sections that refer to
/// places by their pages (the Index): they are set once the pages they refer to are.
pub(crate) fn set_task(
    edition: &Edition,
    tables: &Tables,
    task: &Task,
    geometry: &Geometry,
    shaper: &mut Shaper,
    folio: &dyn Fn(&str) -> Option<usize>,
) -> Result<(Flow, Calls), LayoutError> {
    let mut flow = Flow::new();
    let mut notes = Calls::default();
    match task {
        Task::Section(s) => {
            notes = section(edition, *s, geometry, shaper, folio, &mut flow)?;
        }
        Task::WitnessRows(rows) => {
            tables::witness_rows(tables, rows.clone(), geometry, shaper, &mut flow)?
        }
        Task::DivergencePanel(panel) => {
            tables::divergence_panel(tables, *panel, geometry, shaper, &mut flow)?
        }
    }
    Ok((flow, notes))
}

/// The structure element of section `s`: a `Sect`, with its language when it is not the
/// edition's.
pub(crate) fn section_step(edition: &Edition, s: usize) -> Step {
    let step = Step::new(Role::Sect, s);
    let language = edition.language_of(s);
    match language != edition.meta.language {
        true => step.with_lang(language),
        false => step,
    }
}

/// The index of a generated part's `Sect` (after every section's).
pub(crate) fn generated_part(k: usize) -> usize {
    u32::MAX as usize - 16 + k
}

/// Sets section `s` on new pages; returns what its lines say of its notes.
fn section(
    edition: &Edition,
    s: usize,
    geometry: &Geometry,
    shaper: &mut Shaper,
    folio: &dyn Fn(&str) -> Option<usize>,
    flow: &mut Flow,
) -> Result<Calls, LayoutError> {
    let section = &edition.sections[s];
    let context = format!("section `{}`", section.file_name);
    flow.push(FlowItem::NewPage {
        running_head: section.title.clone(),
    });
    let number = |i: usize| {
        Some(MarkAs {
            number: edition.notes[i].number,
            label: edition.notes[i].mark.clone(),
            shown: !edition.is_unmarked(i),
        })
    };
    let header = section.header_len();
    let top_heading = section.blocks[header.min(section.blocks.len())..]
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let path = vec![section_step(edition, s)];
    let mut setter = BlockSetter {
        geometry,
        shaper,
        flow,
        context: &context,
        number: &number,
        folio,
        hyphenation: super::hyphenate::language(edition.language_of(s)),
        rtl: crate::labels::is_right_to_left(edition.language_of(s)),
        space_next: Some(0.0),
        current: Arc::from(path.as_slice()),
        path,
        note_paths: Vec::new(),
        top_heading,
        place: Place::Text {
            section: s,
            block: 0,
            words: 0,
        },
    };
    if let Some(w) = &section.witness {
        let style = setter.centered(geometry.size * 0.9, italic());
        let label = vec![Piece::plain(
            edition.meta.labels.witness(&w.sigil),
            Style::default(),
        )];
        setter.enter(Step::new(Role::P, generated_part(0)));
        setter.lines(&label, &style, geometry.leading * 2.0, true, 0.0)?;
    }
    // The header blocks (title, subtitle, byline, dateline), then the publisher, which the
    // witness's front matter has but its text does not show, then the body.
    let mut numbering = geometry
        .line_numbers
        .filter(|_| section.witness.is_some())
        .map(|_| LineNumbering::default());
    for (i, block) in section.blocks.iter().enumerate() {
        setter.place = Place::Text {
            section: s,
            block: i,
            words: 0,
        };
        if i == header {
            setter.publisher(section.witness.as_ref(), edition.language_of(s))?;
        }
        let name = (i > 0 && matches!(block, Block::Heading { .. })).then(|| heading_name(s, i));
        let before = setter.flow.len();
        setter.block(block, i, 0.0, geometry.measure, name)?;
        // A citable paragraph's first line carries its name, where the page furniture sets
        // its number in the margin and citations may link.
        if let (Some(w), Some(Some(n))) = (&section.witness, section.numbers.get(i)) {
            let first = (before..setter.flow.len()).find(|&p| {
                matches!(&setter.flow[p], FlowItem::Line { line, .. } if !line.frame.items.is_empty())
            });
            if let Some(first) = first {
                setter.mark_first(
                    &[first],
                    &super::furniture::paragraph_destination(&w.sigil, *n),
                );
            }
            if let Some(numbering) = &mut numbering {
                numbering.number(&mut setter.flow[before..]);
            }
        }
    }
    if header == section.blocks.len() {
        setter.place = Place::Text {
            section: s,
            block: header,
            words: 0,
        };
        setter.publisher(section.witness.as_ref(), edition.language_of(s))?;
    }
    // The section's destination: its first line (an empty one for an empty section).
    if setter.flow.len() == 1 {
        setter.flow_space(0.0);
    }
    setter.mark_first(&[1], &format!("section-{s}"));
    Ok(Calls {
        callers: setter.note_paths,
        lemma_lines: numbering.map(|n| n.lemma_lines).unwrap_or_default(),
    })
}

/// The numbering of a witness's lines (`design.line-numbers`): every line of text of its
/// numbered paragraphs (paragraphs, block quotes, lists, code blocks) counts, from 1;
/// headings, the header and tables do not. Each lemma on them is keyed to the lines it runs
/// over.
#[derive(Debug, Default)]
struct LineNumbering {
    last: u32,
    lemma_lines: std::collections::HashMap<usize, (u32, u32)>,
}

impl LineNumbering {
    /// Numbers the lines of one numbered paragraph, set into `flow`.
    fn number(&mut self, flow: &mut [FlowItem]) {
        for item in flow {
            let FlowItem::Line { line, .. } = item else {
                continue;
            };
            if !line
                .frame
                .items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(_)))
            {
                continue;
            }
            self.last += 1;
            let n = self.last;
            line.number = Some(n);
            for &note in &line.lemmas {
                self.lemma_lines.insert(note, (n, n));
            }
            for &note in &line.notes {
                if let Some(lines) = self.lemma_lines.get_mut(&note) {
                    lines.1 = n;
                }
            }
        }
    }
}

pub(crate) fn italic() -> Style {
    Style {
        italic: true,
        ..Style::default()
    }
}

/// Sets blocks of one section into the flow.
struct BlockSetter<'a, 's, 'b> {
    geometry: &'a Geometry,
    shaper: &'s mut Shaper<'b>,
    flow: &'a mut Flow,
    context: &'a str,
    number: &'a dyn Fn(usize) -> Option<MarkAs>,
    /// The printed page number of a named place.
    folio: &'a dyn Fn(&str) -> Option<usize>,
    /// The patterns of the section's language, if there are any.
    hyphenation: Option<super::hyphenate::Lang>,
    /// The section's language is written right to left.
    rtl: bool,
    /// The next paragraph is set flush left after this much space (after headings, list
    /// items, quotes); `None` for an indented paragraph running on.
    space_next: Option<f32>,
    /// The structure elements that hold the block being set (its section, quote, list).
    path: Vec<Step>,
    /// The element the lines being set belong to.
    current: Arc<[Step]>,
    /// The element whose line calls each note, as notes are met: a note's `Note` element
    /// goes under it.
    note_paths: Vec<(usize, Arc<[Step]>)>,
    /// The heading level of the section's body that is tagged `H2` (the highest level
    /// after its title).
    top_heading: u8,
    /// Where the lines being set stand in the model, for the page list.
    place: Place,
}

/// Where a block setter's lines stand in the model.
#[derive(Debug, Clone)]
enum Place {
    /// In top-level block `block` of section `section`, `words` of its words set so far.
    Text {
        section: usize,
        block: usize,
        words: usize,
    },
    /// Lines that stand for one place (a generated part's title).
    Fixed(PageStart),
}

impl Place {
    /// The place of a line of text whose first word is `word` of the block's words.
    fn at(&self, word: usize) -> PageStart {
        match *self {
            Place::Text { section, block, .. } => PageStart::Text {
                section,
                block,
                word,
            },
            Place::Fixed(ref start) => start.clone(),
        }
    }

    /// The block's words set so far.
    fn words(&self) -> usize {
        match self {
            Place::Text { words, .. } => *words,
            Place::Fixed(_) => 0,
        }
    }
}

impl BlockSetter<'_, '_, '_> {
    fn centered(&self, size: f32, emphasis: Style) -> ParStyle {
        ParStyle {
            size,
            leading: (size * 1.3).max(self.geometry.leading),
            width: self.geometry.measure,
            indent: 0.0,
            align: Align::Center,
            hyphenate: None,
            emphasis,
            rtl: self.rtl,
        }
    }

    fn body(&self, width: f32, size: f32) -> ParStyle {
        ParStyle {
            size,
            leading: self.geometry.leading * size / self.geometry.size,
            width,
            indent: if self.space_next.is_some() || self.geometry.paragraphs == Paragraphs::Spaced {
                0.0
            } else {
                size * 1.2
            },
            align: Align::Justify,
            hyphenate: self.hyphenation,
            emphasis: Style::default(),
            rtl: self.rtl,
        }
    }

    /// Sets pieces and appends the lines; `keep` ties every line to the next.
    fn lines(
        &mut self,
        pieces: &[Piece],
        style: &ParStyle,
        space_before: f32,
        keep: bool,
        x: f32,
    ) -> Result<Vec<usize>, LayoutError> {
        let (mut lines, words) = set_paragraph_counted(pieces, style, self.shaper, self.context)?;
        structure::root_lines(&mut lines, &self.current);
        let before = self.place.words();
        for line in &lines {
            for &note in &line.notes {
                self.note_paths.push((note, self.current.clone()));
            }
        }
        let count = lines.len();
        let mut positions = Vec::with_capacity(count);
        for (i, mut line) in lines.into_iter().enumerate() {
            if x != 0.0 {
                for item in &mut line.frame.items {
                    translate(item, x, 0.0);
                }
            }
            // No orphan (a first line alone) and no widow (a last line alone).
            let orphan = i == 0 && count >= 2;
            let widow = count >= 2 && i + 2 == count;
            positions.push(self.flow.len());
            self.flow.push(FlowItem::Line {
                space_before: if i == 0 { space_before } else { 0.0 },
                keep_with_next: keep || orphan || widow,
                repeat: None,
                at: Some(self.place.at(before + line.first_word.unwrap_or(words))),
                line,
            });
        }
        if let Place::Text { words: set, .. } = &mut self.place {
            *set += words;
        }
        Ok(positions)
    }

    fn mark_first(&mut self, positions: &[usize], destination: &str) {
        if let Some(FlowItem::Line { line, .. }) =
            positions.first().and_then(|&p| self.flow.get_mut(p))
        {
            line.frame.items.push(Item::Destination(Destination {
                name: destination.to_string(),
                x: 0.0,
                y: 0.0,
            }));
        }
    }

    /// The lines set next belong to `step`, under the blocks being set.
    fn enter(&mut self, step: Step) {
        self.current = structure::child(&self.path, step);
    }

    /// Sets `block`, the `index`th of its container.
    fn block(
        &mut self,
        block: &Block,
        index: usize,
        x: f32,
        width: f32,
        name: Option<String>,
    ) -> Result<(), LayoutError> {
        let g = *self.geometry;
        let (number, folio) = (self.number, self.folio);
        let pieces = |inlines| Piece::from_inlines_placed(inlines, number, folio);
        match block {
            Block::Heading { level, content } => {
                let level = *level;
                // The section's title is `H1`; the body's headings `H2` and `H3` from its
                // highest level down, so that no level is skipped.
                let tagged = if self.path.len() == 1 && index == 0 && level <= 1 {
                    1
                } else {
                    (level.saturating_sub(self.top_heading) + 2).min(3)
                };
                self.enter(Step::new(Role::H(tagged), index));
                let (size, emphasis, space) = if level <= 1 {
                    (g.size * 1.6, Style::default(), g.leading * 0.5)
                } else {
                    (g.size * 1.1, italic(), g.leading)
                };
                let mut style = self.centered(size, emphasis);
                if level > 1 {
                    style.align = Align::Left;
                    style.width = width;
                }
                let positions = self.lines(&pieces(content), &style, space, true, x)?;
                if let Some(name) = name {
                    self.mark_first(&positions, &name);
                }
                self.space_next = Some(g.leading * 0.5);
            }
            Block::HeaderLine { field, content } => {
                self.enter(Step::new(Role::P, index));
                let (size, emphasis) = match field {
                    HeaderField::Subtitle => (g.size * 1.1, italic()),
                    HeaderField::Byline => (g.size, Style::default()),
                    HeaderField::Dateline => (g.size * 0.95, italic()),
                };
                let style = self.centered(size, emphasis);
                self.lines(&pieces(content), &style, g.leading * 0.25, true, x)?;
                self.space_next = Some(g.leading);
            }
            Block::Paragraph(content) => {
                self.enter(Step::new(Role::P, index));
                let run_on = match g.paragraphs {
                    Paragraphs::Indent => 0.0,
                    Paragraphs::Spaced => g.leading * 0.5,
                };
                let space = self.space_next.unwrap_or(run_on);
                let style = self.body(width, g.size);
                self.lines(&pieces(content), &style, space, false, x)?;
                self.space_next = None;
            }
            Block::Entry { id, content } => {
                self.enter(Step::new(Role::P, index));
                // A hanging indent: the first line at the margin, the others set in.
                let hang = g.size * 1.5;
                let mut style = self.body(width - hang, g.size);
                style.align = Align::Left;
                style.indent = -hang;
                let space = self.space_next.unwrap_or(g.leading * 0.25);
                let positions = self.lines(&pieces(content), &style, space, false, x + hang)?;
                self.mark_first(&positions, id);
                self.space_next = None;
            }
            Block::Quote(blocks) => {
                let inset = g.size * 1.5;
                self.space_next = Some(g.leading * 0.5);
                self.path.push(Step::new(Role::BlockQuote, index));
                for (i, inner) in blocks.iter().enumerate() {
                    self.block(inner, i, x + inset, width - 2.0 * inset, None)?;
                }
                self.path.pop();
                self.space_next = Some(g.leading * 0.5);
            }
            Block::List { start, items } => {
                let inset = g.size * 1.6;
                for (n, item) in items.iter().enumerate() {
                    let label = match start {
                        Some(s) => format!("{}.", s + n as u64),
                        None => "•".to_string(),
                    };
                    let before = self.flow.len();
                    self.space_next = Some(g.leading * 0.3);
                    self.path.push(Step::new(Role::L, index));
                    self.path.push(Step::new(Role::Li, n));
                    self.path.push(Step::new(Role::LBody, 0));
                    for (i, inner) in item.iter().enumerate() {
                        self.block(inner, i, x + inset, width - inset, None)?;
                    }
                    self.path.pop();
                    self.enter(Step::new(Role::Lbl, 0));
                    self.label_item(before, &label, x)?;
                    self.path.pop();
                    self.path.pop();
                }
                self.space_next = Some(g.leading * 0.3);
            }
            Block::Code(text) => {
                self.enter(Step::new(Role::P, index));
                let mut style = self.body(width, g.size * 0.85);
                style.align = Align::Left;
                style.hyphenate = None;
                style.indent = 0.0;
                for line in text.lines() {
                    let piece = Piece::plain(
                        line,
                        Style {
                            code: true,
                            ..Style::default()
                        },
                    );
                    self.lines(&[piece], &style, 0.0, false, x)?;
                }
            }
            Block::ChronologyTable { head, rows } => {
                let (number, folio) = (self.number, self.folio);
                let cells = |row: &[Vec<crate::model::Inline>]| -> Vec<Vec<Vec<Piece>>> {
                    row.iter()
                        .map(|cell| vec![Piece::from_inlines_placed(cell, number, folio)])
                        .collect()
                };
                let model_rows: Vec<&[Vec<crate::model::Inline>]> =
                    std::iter::once(head.as_slice())
                        .chain(rows.iter().map(Vec::as_slice))
                        .collect();
                let head = cells(head);
                let rows = rows.iter().map(|r| cells(r)).collect();
                self.flow_space(g.leading * 0.5);
                let first = self.flow.len();
                let table = structure::child(&self.path, Step::new(Role::Table, index));
                super::tables::generated(head, rows, &table, &g, self.shaper, self.flow)?;
                self.place_rows(first, &model_rows);
                self.space_next = Some(g.leading * 0.5);
            }
            Block::Timeline(timeline) => {
                let mut frame = super::figures::timeline(timeline, &g, self.shaper, self.context)?;
                let figure = Step::new(Role::Figure, index).with_alt(&timeline.alt);
                structure::root_items(&mut frame.items, &structure::child(&self.path, figure));
                self.flow.push(FlowItem::Line {
                    line: Line {
                        frame,
                        notes: Vec::new(),
                        ..Line::default()
                    },
                    space_before: g.leading,
                    keep_with_next: false,
                    repeat: None,
                    at: None,
                });
                self.space_next = Some(g.leading);
            }
            Block::Rule => {
                // A section break: the ornament, centred, kept with the text after it so that
                // no page ends on it. It is a paragraph of its own in the structure, so that
                // a screen reader meets the break as the eye does.
                self.enter(Step::new(Role::P, index));
                let mut style = self.centered(g.size, Style::default());
                style.width = width;
                let ornament = [Piece::plain(SECTION_BREAK, Style::default())];
                self.lines(&ornament, &style, g.leading * 0.5, true, x)?;
                self.space_next = Some(g.leading * 0.5);
            }
            Block::Figure(figure) => self.figure(figure, index, x, width)?,
            Block::Table(table) => {
                let path = structure::child(&self.path, Step::new(Role::Table, index));
                // After the space above the table: its header row, then its rows.
                let first = self.flow.len() + 1;
                tables::section_table(
                    table,
                    &path,
                    x,
                    width,
                    self.number,
                    self.hyphenation,
                    self.context,
                    self.geometry,
                    self.shaper,
                    self.flow,
                )?;
                let rows: Vec<&[Vec<crate::model::Inline>]> =
                    std::iter::once(table.header.as_slice())
                        .chain(table.rows.iter().map(Vec::as_slice))
                        .collect();
                self.place_rows(first, &rows);
                self.space_next = Some(g.leading * 0.5);
            }
        }
        Ok(())
    }

    /// Gives the rows of a table just set, one flow line each from `first` (the header
    /// row first), their places in the page list: each row from its first word, the words
    /// counted cell by cell as the EPUB writes them.
    fn place_rows(&mut self, first: usize, rows: &[&[Vec<crate::model::Inline>]]) {
        let mut counter = crate::page_list::WordCounter::after(self.place.words());
        for (k, row) in rows.iter().enumerate() {
            let at = self.place.at(counter.count);
            if let Some(FlowItem::Line { at: line_at, .. }) = self.flow.get_mut(first + k) {
                *line_at = Some(at);
            }
            for cell in row.iter() {
                counter.inlines(cell);
            }
        }
        if let Place::Text { words, .. } = &mut self.place {
            *words = counter.count;
        }
    }

    /// A figure: its image, at its natural size (96 pixels to the inch) or the text width if
    /// that is less, and no taller than most of a page, so that it is never split; centred,
    /// with its caption below and kept with it.
    fn figure(
        &mut self,
        figure: &crate::model::Figure,
        index: usize,
        x: f32,
        width: f32,
    ) -> Result<(), LayoutError> {
        let g = *self.geometry;
        let step = Step::new(Role::Figure, index).with_alt(&figure.alt);
        let image_tag = Tag::Content(structure::child(&self.path, step));
        self.enter(Step::new(Role::Caption, index));
        let Some(image) = &figure.image else {
            // Every figure's image is read at load; without one, its description stands in.
            let style = self.centered(g.note_size, italic());
            self.lines(
                &[Piece::plain(&figure.alt, Style::default())],
                &style,
                g.leading,
                false,
                x,
            )?;
            return Ok(());
        };
        let (pw, ph) = (
            image.pixel_width.max(1) as f32,
            image.pixel_height.max(1) as f32,
        );
        let mut w = (pw * 0.75).min(width);
        let mut h = w * ph / pw;
        let tallest = g.body_height * 0.8;
        if h > tallest {
            h = tallest;
            w = h * pw / ph;
        }
        let caption = !figure.caption.is_empty();
        self.flow.push(FlowItem::Line {
            line: Line {
                frame: Frame {
                    width: g.measure,
                    height: h,
                    items: vec![Item::Image {
                        x: x + (width - w) / 2.0,
                        y: 0.0,
                        width: w,
                        height: h,
                        image: image.clone(),
                        alt: figure.alt.clone(),
                        tag: image_tag,
                    }],
                },
                notes: Vec::new(),
                ..Line::default()
            },
            space_before: g.leading * 0.5,
            keep_with_next: caption,
            repeat: None,
            at: None,
        });
        if caption {
            let mut style = self.centered(g.note_size, italic());
            style.width = width;
            style.leading = g.note_leading;
            let pieces = Piece::from_inlines(&figure.caption, self.number);
            self.lines(&pieces, &style, g.leading * 0.3, false, x)?;
        }
        self.space_next = Some(g.leading * 0.5);
        Ok(())
    }

    /// The provenance line under a witness's header: its publisher and publication date,
    /// written as people write dates in `language`.
    fn publisher(
        &mut self,
        witness: Option<&crate::model::Witness>,
        language: &str,
    ) -> Result<(), LayoutError> {
        let Some(w) = witness else { return Ok(()) };
        let style = self.centered(self.geometry.size * 0.85, Style::default());
        let date = w
            .published
            .as_deref()
            .map(|d| crate::labels::human_date(d, language));
        let text = match (&w.publisher, date) {
            (Some(p), Some(d)) => Some(format!("{p} · {d}")),
            (Some(p), None) => Some(p.clone()),
            (None, Some(d)) => Some(d),
            (None, None) => None,
        };
        if let Some(text) = text {
            self.enter(Step::new(Role::P, generated_part(1)));
            let piece = Piece::plain(text, italic());
            self.lines(&[piece], &style, self.geometry.leading * 0.25, true, 0.0)?;
            self.space_next = Some(self.geometry.leading);
        }
        // Where the witness is kept and how it was made, one labelled field after another.
        let mut pieces = Vec::new();
        for (i, field) in w.description().into_iter().enumerate() {
            if i > 0 {
                pieces.push(Piece::plain(" · ", Style::default()));
            }
            pieces.push(Piece::plain(format!("{}: ", field.label), italic()));
            pieces.push(Piece::Text {
                text: field.value.to_owned(),
                style: Style::default(),
                link: field.link.as_ref().and_then(super::LinkTarget::of),
                span: None,
            });
        }
        if !pieces.is_empty() {
            self.enter(Step::new(Role::P, generated_part(2)));
            self.lines(&pieces, &style, self.geometry.leading * 0.25, true, 0.0)?;
            self.space_next = Some(self.geometry.leading);
        }
        Ok(())
    }

    /// Vertical space as an empty line of the given height.
    fn flow_space(&mut self, height: f32) {
        self.flow.push(FlowItem::Line {
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

    /// Puts a list label in the hanging indent of the first line set since `before`.
    fn label_item(&mut self, before: usize, label: &str, x: f32) -> Result<(), LayoutError> {
        let style = ParStyle {
            width: self.geometry.size * 1.3,
            align: Align::Right,
            ..self.centered(self.geometry.size, Style::default())
        };
        let mut set = set_paragraph(
            &[Piece::plain(label, Style::default())],
            &style,
            self.shaper,
            self.context,
        )?;
        structure::root_lines(&mut set, &self.current);
        let first = self.flow[before..].iter_mut().find_map(|item| match item {
            FlowItem::Line { line, .. } if !line.frame.items.is_empty() => Some(line),
            _ => None,
        });
        if let (Some(line), Some(label_line)) = (first, set.into_iter().next()) {
            // The label is read before the item's text: its items come first.
            let body = std::mem::take(&mut line.frame.items);
            line.frame.place(label_line.frame, x, 0.0);
            line.frame.items.extend(body);
        }
        Ok(())
    }
}

/// The paragraphs of blocks as pieces, flattened (for notes and table cells).
pub(crate) fn block_pieces(
    blocks: &[Block],
    number: &dyn Fn(usize) -> Option<MarkAs>,
) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => out.push(Piece::from_inlines(content, number)),
            Block::Quote(inner) => out.extend(block_pieces(inner, number)),
            Block::List { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    let label = match start {
                        Some(s) => format!("{}. ", s + n as u64),
                        None => "• ".to_string(),
                    };
                    let mut paragraphs = block_pieces(item, number);
                    if let Some(first) = paragraphs.first_mut() {
                        first.insert(0, Piece::plain(label, Style::default()));
                    }
                    out.extend(paragraphs);
                }
            }
            Block::Code(text) => out.push(vec![Piece::plain(text.clone(), Style::default())]),
            Block::Rule => out.push(vec![Piece::plain(SECTION_BREAK, Style::default())]),
            // Notes cannot hold figures (refused at load); the caption stands for one.
            Block::Figure(figure) => out.push(Piece::from_inlines(&figure.caption, number)),
            // Notes cannot hold tables (refused at load), nor can table cells.
            Block::Table(_) => {}
            Block::ChronologyTable { head, rows } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push(Piece::from_inlines(cell, number));
                }
            }
            Block::Timeline(_) => {}
        }
    }
    out
}

/// Starts a generated part (witnesses, divergences) on a new page with a centred title,
/// which stands at `start` in the page list.
pub(crate) fn part_title(
    flow: &mut Flow,
    title: &str,
    destination: &str,
    section: &Arc<[Step]>,
    start: PageStart,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), LayoutError> {
    flow.push(FlowItem::NewPage {
        running_head: title.to_string(),
    });
    let number = |_: usize| None;
    let mut setter = BlockSetter {
        geometry,
        shaper,
        flow,
        context: title,
        number: &number,
        folio: &|_| None,
        hyphenation: None,
        rtl: false,
        space_next: Some(0.0),
        current: structure::child(section, Step::new(Role::H(1), 0)),
        path: section.to_vec(),
        note_paths: Vec::new(),
        top_heading: 1,
        place: Place::Fixed(start),
    };
    let style = setter.centered(geometry.size * 1.6, Style::default());
    let positions = setter.lines(
        &[Piece::plain(title, Style::default())],
        &style,
        0.0,
        true,
        0.0,
    )?;
    setter.mark_first(&positions, destination);
    setter.flow_space(geometry.leading);
    Ok(())
}
