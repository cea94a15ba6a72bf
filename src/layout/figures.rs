//! Generated figures drawn with the layout's own items: the Chronology's timeline, from the
//! plan both outputs share ([`crate::timeline`]), as rules and glyph runs.

use super::blocks::italic;
use super::geometry::Geometry;
use super::paragraph::{set_paragraph, Align, Frame, ParStyle, Piece};
use super::shape::Shaper;
use super::{Item, LayoutError, Rule};
use crate::model::{Style, Timeline};
use crate::timeline::{plan, LABEL_SIZE, MARK, SIGIL_SIZE, TICK_SIZE};

/// The timeline as one frame the measure wide.
pub(crate) fn timeline(
    timeline: &Timeline,
    geometry: &Geometry,
    shaper: &mut Shaper,
    context: &str,
) -> Result<Frame, LayoutError> {
    let p = plan(timeline, geometry.measure);
    let mut frame = Frame {
        width: p.width,
        height: p.height,
        items: Vec::new(),
    };
    let mut draw = Drawing {
        frame: &mut frame,
        shaper,
        context,
    };
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    for row in &p.rows {
        draw.text(
            &row.label,
            Style::default(),
            LABEL_SIZE,
            0.0,
            row.label_y,
            Align::Left,
        )?;
        draw.rule(0.0, row.line_y, p.width, 0.3);
        let (x0, x1) = row.record;
        let width = (x1 - x0).max(MARK);
        draw.rule((x0 + x1 - width) / 2.0, row.line_y, width, MARK);
        for (sigil, x0, x1, y) in &row.datings {
            if x1 - x0 > 1.0 {
                draw.rule(*x0, y + 2.0, x1 - x0, 1.0);
            }
            draw.text(sigil, bold, SIGIL_SIZE, (x0 + x1) / 2.0, *y, Align::Center)?;
        }
    }
    draw.rule(0.0, p.axis_y, p.width, 0.8);
    for (x, label) in &p.ticks {
        // A tick: a rule as thick as it is long and very narrow.
        draw.rule(x - 0.4, p.axis_y, 0.8, 6.0);
        let y = p.axis_y + 3.0 + TICK_SIZE * 1.2;
        draw.text(label, Style::default(), TICK_SIZE, *x, y, Align::Center)?;
    }
    draw.rule(0.0, p.legend_y - MARK / 2.0, MARK, MARK);
    for (x, words) in &p.legend {
        draw.text(words, italic(), TICK_SIZE, *x, p.legend_y, Align::Left)?;
    }
    Ok(frame)
}

/// Puts rules and text into a frame.
struct Drawing<'f, 's, 'b> {
    frame: &'f mut Frame,
    shaper: &'s mut Shaper<'b>,
    context: &'f str,
}

impl Drawing<'_, '_, '_> {
    fn rule(&mut self, x: f32, y: f32, width: f32, thickness: f32) {
        self.frame.items.push(Item::Rule(Rule {
            x,
            y,
            width,
            thickness,
            tag: super::Tag::relative(),
        }));
    }

    /// `text` on the baseline `y`, starting at `x` (left) or centred on it.
    fn text(
        &mut self,
        text: &str,
        style: Style,
        size: f32,
        x: f32,
        y: f32,
        align: Align,
    ) -> Result<(), LayoutError> {
        // Centred text is set in a box this wide around its centre.
        let box_width = size * 12.0;
        let par = ParStyle {
            size,
            leading: size * 1.2,
            width: match align {
                Align::Center => box_width,
                _ => (self.frame.width - x).max(size),
            },
            indent: 0.0,
            align,
            hyphenate: None,
            emphasis: Style::default(),
            rtl: false,
        };
        let lines = set_paragraph(
            &[Piece::plain(text, style)],
            &par,
            self.shaper,
            self.context,
        )?;
        let left = match align {
            Align::Center => x - box_width / 2.0,
            _ => x,
        };
        // A text longer than the drawing is wide runs on below (labels are meant short).
        let mut top = None;
        for line in lines {
            let baseline = line
                .frame
                .items
                .iter()
                .find_map(|i| match i {
                    Item::Glyphs(run) => Some(run.y),
                    _ => None,
                })
                .unwrap_or(size);
            let at = *top.get_or_insert(y - baseline);
            let height = line.frame.height;
            self.frame.place(line.frame, left, at);
            top = Some(at + height);
        }
        Ok(())
    }
}
