//! The edition's sections as a flow of body lines: headings, witness header blocks,
//! paragraphs, quotes, lists, code and rules, with the keeps that page breaking respects.

use super::geometry::Geometry;
use super::paragraph::{set_paragraph, translate, Align, Frame, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::tables;
use super::{Destination, Item, LayoutError, Rule};
use crate::model::{Block, Edition, HeaderField, Role, Style};

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

/// The body flow and its entries in reading order.
pub(crate) struct Flow {
    pub items: Vec<FlowItem>,
    pub entries: Vec<Entry>,
}

/// Builds the body flow: front sections, the witnesses table, the witnesses, the points of
/// divergence, back sections.
pub(crate) fn flow(
    edition: &Edition,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<Flow, LayoutError> {
    let mut flow = Flow {
        items: Vec::new(),
        entries: Vec::new(),
    };
    let number = |i: usize| Some(edition.notes[i].number);
    let by_role =
        |role: Role| (0..edition.sections.len()).filter(move |&s| edition.sections[s].role == role);
    for s in by_role(Role::Front) {
        section(edition, s, geometry, shaper, &mut flow, &number)?;
    }
    tables::witnesses_table(edition, geometry, shaper, &mut flow)?;
    for s in by_role(Role::Witness) {
        section(edition, s, geometry, shaper, &mut flow, &number)?;
    }
    tables::divergence_table(edition, geometry, shaper, &mut flow)?;
    for s in by_role(Role::Back) {
        section(edition, s, geometry, shaper, &mut flow, &number)?;
    }
    Ok(flow)
}

/// Sets section `s` on new pages.
fn section(
    edition: &Edition,
    s: usize,
    geometry: &Geometry,
    shaper: &mut Shaper,
    flow: &mut Flow,
    number: &dyn Fn(usize) -> Option<usize>,
) -> Result<(), LayoutError> {
    let section = &edition.sections[s];
    let context = format!("section `{}`", section.file_name);
    let destination = format!("section-{s}");
    let title = match &section.witness {
        Some(w) => format!("{} · {}", w.sigil, section.title),
        None => section.title.clone(),
    };
    flow.entries.push(Entry {
        title,
        level: 0,
        destination: destination.clone(),
    });
    flow.items.push(FlowItem::NewPage {
        running_head: section.title.clone(),
    });
    let mut setter = BlockSetter {
        geometry,
        shaper,
        flow,
        context: &context,
        number,
        space_next: Some(0.0),
        heading_count: 0,
        section: s,
    };
    if let Some(w) = &section.witness {
        let style = setter.centered(geometry.size * 0.9, italic());
        let label = vec![Piece::plain(
            format!("Witness {}", w.sigil),
            Style::default(),
        )];
        setter.lines(&label, &style, geometry.leading * 2.0, true, 0.0)?;
    }
    // The header blocks (title, subtitle, byline, dateline), then the publisher, which the
    // witness's front matter has but its text does not show, then the body.
    let header = section
        .blocks
        .iter()
        .take_while(|b| {
            matches!(
                b,
                Block::Heading { level: 1, .. } | Block::HeaderLine { .. }
            )
        })
        .count();
    for (i, block) in section.blocks.iter().enumerate() {
        if i == header {
            setter.publisher(section.witness.as_ref())?;
        }
        setter.block(
            block,
            0.0,
            geometry.measure,
            (i == 0).then_some(&destination),
        )?;
    }
    if header == section.blocks.len() {
        setter.publisher(section.witness.as_ref())?;
    }
    Ok(())
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
    number: &'a dyn Fn(usize) -> Option<usize>,
    /// The next paragraph is set flush left after this much space (after headings, list
    /// items, quotes); `None` for an indented paragraph running on.
    space_next: Option<f32>,
    heading_count: usize,
    section: usize,
}

impl BlockSetter<'_, '_, '_> {
    fn centered(&self, size: f32, emphasis: Style) -> ParStyle {
        ParStyle {
            size,
            leading: (size * 1.3).max(self.geometry.leading),
            width: self.geometry.measure,
            indent: 0.0,
            align: Align::Center,
            hyphenate: false,
            emphasis,
        }
    }

    fn body(&self, width: f32, size: f32) -> ParStyle {
        ParStyle {
            size,
            leading: self.geometry.leading * size / self.geometry.size,
            width,
            indent: if self.space_next.is_some() {
                0.0
            } else {
                size * 1.2
            },
            align: Align::Justify,
            hyphenate: true,
            emphasis: Style::default(),
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
        let lines = set_paragraph(pieces, style, self.shaper, self.context)?;
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
            positions.push(self.flow.items.len());
            self.flow.items.push(FlowItem::Line {
                line,
                space_before: if i == 0 { space_before } else { 0.0 },
                keep_with_next: keep || orphan || widow,
                repeat: None,
            });
        }
        Ok(positions)
    }

    fn mark_first(&mut self, positions: &[usize], destination: &str) {
        if let Some(FlowItem::Line { line, .. }) =
            positions.first().and_then(|&p| self.flow.items.get_mut(p))
        {
            line.frame.items.push(Item::Destination(Destination {
                name: destination.to_string(),
                x: 0.0,
                y: 0.0,
            }));
        }
    }

    fn block(
        &mut self,
        block: &Block,
        x: f32,
        width: f32,
        destination: Option<&String>,
    ) -> Result<(), LayoutError> {
        let g = *self.geometry;
        let pieces = |inlines| Piece::from_inlines(inlines, self.number);
        match block {
            Block::Heading { level, content } => {
                let level = *level;
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
                let name = match destination {
                    Some(d) => d.clone(),
                    None => {
                        self.heading_count += 1;
                        let name = format!("heading-{}-{}", self.section, self.heading_count);
                        if level == 2 {
                            self.flow.entries.push(Entry {
                                title: crate::model::plain_text(content),
                                level: 1,
                                destination: name.clone(),
                            });
                        }
                        name
                    }
                };
                self.mark_first(&positions, &name);
                self.space_next = Some(g.leading * 0.5);
            }
            Block::HeaderLine { field, content } => {
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
                let space = self.space_next.unwrap_or(0.0);
                let style = self.body(width, g.size);
                self.lines(&pieces(content), &style, space, false, x)?;
                self.space_next = None;
            }
            Block::Quote(blocks) => {
                let inset = g.size * 1.5;
                self.space_next = Some(g.leading * 0.5);
                for inner in blocks {
                    self.block(inner, x + inset, width - 2.0 * inset, None)?;
                }
                self.space_next = Some(g.leading * 0.5);
            }
            Block::List { start, items } => {
                let inset = g.size * 1.6;
                for (n, item) in items.iter().enumerate() {
                    let label = match start {
                        Some(s) => format!("{}.", s + n as u64),
                        None => "•".to_string(),
                    };
                    let before = self.flow.items.len();
                    self.space_next = Some(g.leading * 0.3);
                    for inner in item {
                        self.block(inner, x + inset, width - inset, None)?;
                    }
                    self.label_item(before, &label, x)?;
                }
                self.space_next = Some(g.leading * 0.3);
            }
            Block::Code(text) => {
                let mut style = self.body(width, g.size * 0.85);
                style.align = Align::Left;
                style.hyphenate = false;
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
            Block::Rule => {
                let rule_width = g.measure * 0.2;
                let frame = Frame {
                    width: g.measure,
                    height: g.leading,
                    items: vec![Item::Rule(Rule {
                        x: (g.measure - rule_width) / 2.0,
                        y: g.leading / 2.0,
                        width: rule_width,
                        thickness: 0.4,
                    })],
                };
                self.flow.items.push(FlowItem::Line {
                    line: Line {
                        frame,
                        notes: Vec::new(),
                    },
                    space_before: g.leading * 0.5,
                    keep_with_next: false,
                    repeat: None,
                });
            }
        }
        Ok(())
    }

    /// The provenance line under a witness's header: its publisher and publication date.
    fn publisher(&mut self, witness: Option<&crate::model::Witness>) -> Result<(), LayoutError> {
        let Some(w) = witness else { return Ok(()) };
        let text = match (&w.publisher, &w.published) {
            (Some(p), Some(d)) => format!("{p} · {d}"),
            (Some(p), None) => p.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => return Ok(()),
        };
        let style = self.centered(self.geometry.size * 0.85, Style::default());
        let piece = Piece::plain(text, italic());
        self.lines(&[piece], &style, self.geometry.leading * 0.25, true, 0.0)?;
        self.space_next = Some(self.geometry.leading);
        Ok(())
    }

    /// Vertical space as an empty line of the given height.
    fn flow_space(&mut self, height: f32) {
        self.flow.items.push(FlowItem::Line {
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

    /// Puts a list label in the hanging indent of the first line set since `before`.
    fn label_item(&mut self, before: usize, label: &str, x: f32) -> Result<(), LayoutError> {
        let style = ParStyle {
            width: self.geometry.size * 1.3,
            align: Align::Right,
            ..self.centered(self.geometry.size, Style::default())
        };
        let set = set_paragraph(
            &[Piece::plain(label, Style::default())],
            &style,
            self.shaper,
            self.context,
        )?;
        let first = self.flow.items[before..]
            .iter_mut()
            .find_map(|item| match item {
                FlowItem::Line { line, .. } if !line.frame.items.is_empty() => Some(line),
                _ => None,
            });
        if let (Some(line), Some(label_line)) = (first, set.into_iter().next()) {
            line.frame.place(label_line.frame, x, 0.0);
        }
        Ok(())
    }
}

/// The paragraphs of blocks as pieces, flattened (for notes and table cells).
pub(crate) fn block_pieces(
    blocks: &[Block],
    number: &dyn Fn(usize) -> Option<usize>,
) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content) => out.push(Piece::from_inlines(content, number)),
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
            Block::Rule => {}
        }
    }
    out
}

/// Starts a generated part (witnesses, divergences) on a new page with a centred title.
pub(crate) fn part_title(
    flow: &mut Flow,
    title: &str,
    destination: &str,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), LayoutError> {
    flow.entries.push(Entry {
        title: title.to_string(),
        level: 0,
        destination: destination.to_string(),
    });
    flow.items.push(FlowItem::NewPage {
        running_head: title.to_string(),
    });
    let number = |_: usize| None;
    let mut setter = BlockSetter {
        geometry,
        shaper,
        flow,
        context: title,
        number: &number,
        space_next: Some(0.0),
        heading_count: 0,
        section: usize::MAX,
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
