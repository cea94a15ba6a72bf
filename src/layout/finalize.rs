//! Finishing a broken paragraph: each line's glue set to fill the measure (or left at its
//! natural width when ragged), boxes merged into glyph runs per face, hyphens added at
//! hyphenated line ends, link areas and mark destinations placed.

use super::linebreak::Element;
use super::paragraph::{Align, Atom, Builder, Content, Frame, Line};
use super::{Destination, FontId, Glyph, GlyphRun, Item, LinkArea, LinkTarget, Rect};

impl Builder<'_, '_> {
    /// Positions the material of each line.
    pub(super) fn finalize(&self, breaks: &[(usize, f32)]) -> Vec<Line> {
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (n, &(end, ratio)) in breaks.iter().enumerate() {
            let indent = if n == 0 { self.style.indent } else { 0.0 };
            let width = self.style.width - indent;
            // Discardable material at the start of a line goes.
            while start < end && !matches!(self.elements[start], Element::Box { .. }) {
                start += 1;
            }
            let line = self.set_line(start, end, ratio, indent, width);
            if !(line.frame.items.is_empty() && end + 1 == self.elements.len() && n > 0) {
                lines.push(line);
            }
            start = end + 1;
        }
        lines
    }

    fn set_line(&self, start: usize, end: usize, ratio: f32, indent: f32, width: f32) -> Line {
        let leading = self.style.leading;
        let baseline = (leading + 0.62 * self.style.size) / 2.0;
        let hyphen_width = match self.elements[end] {
            Element::Penalty { width, .. } => width,
            _ => 0.0,
        };
        // The line's own adjustment: the breaker's ratio may count emergency stretch, which
        // the glue does not have, so the ratio is measured again on the line's material.
        let ratio = if self.style.align == Align::Justify {
            line_ratio(&self.elements[start..end], hyphen_width, width).unwrap_or(ratio)
        } else {
            0.0
        };
        let mut widths = Vec::with_capacity(end - start);
        for element in &self.elements[start..end] {
            widths.push(match *element {
                Element::Box { width } => width,
                Element::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    if stretch >= 1e5 {
                        0.0
                    } else if ratio >= 0.0 {
                        width + ratio * stretch
                    } else {
                        width + ratio * shrink
                    }
                }
                Element::Penalty { .. } => 0.0,
            });
        }
        let hyphenated = matches!(self.elements[end], Element::Penalty { flagged: true, .. });
        let used: f32 = widths.iter().sum::<f32>() + hyphen_width;
        let offset = if self.style.rtl {
            // The line starts at the right; a first-line indent is on that side.
            match self.style.align {
                Align::Justify | Align::Left => (width - used).max(0.0),
                Align::Center => ((width - used) / 2.0).max(0.0),
                Align::Right => -indent,
            }
        } else {
            match self.style.align {
                Align::Justify | Align::Left => 0.0,
                Align::Center => ((width - used) / 2.0).max(0.0),
                Align::Right => (width - used).max(0.0),
            }
        };
        let mut frame = Frame {
            width: self.style.width,
            height: leading,
            items: Vec::new(),
        };
        let mut notes = Vec::new();
        let mut lemmas = Vec::new();
        // The link area the previous word drew, while words of the same link follow it.
        let mut open_link: Option<usize> = None;
        // The strike-through rule of the previous word, while struck words follow it.
        let mut open_strike: Option<usize> = None;
        let mut writer = RunWriter {
            last: None,
            spaced: false,
            expected: (end - start) * 2,
        };
        let segments = self.segments(start, end);
        let order = self.visual_order(&segments);
        let mut x = if self.style.rtl {
            offset
        } else {
            indent + offset
        };
        for &k in &order {
            let (i, j) = segments[k];
            let Content::Glyphs { atom, from, .. } = self.contents[i] else {
                writer.spaced |= matches!(self.elements[i], Element::Glue { .. });
                x += widths[i - start];
                continue;
            };
            let mut to = from;
            let mut run_width = 0.0;
            for e in i..j {
                if let Content::Glyphs { to: t, .. } = self.contents[e] {
                    to = t;
                }
                run_width += widths[e - start];
            }
            let with_hyphen = hyphenated && j == end;
            let a = &self.atoms[atom];
            let y = baseline - a.rise;
            writer.atom(&mut frame.items, a, (from, to), with_hyphen, x, y);
            if with_hyphen {
                run_width += hyphen_width;
            }
            let rect = Rect {
                x,
                y: baseline - a.rise - a.size * 0.8,
                width: run_width,
                height: a.size * 1.05,
            };
            open_link = match &a.link {
                Some(target) => Some(extend_link(
                    &mut frame.items,
                    open_link,
                    rect,
                    target,
                    &a.tag,
                )),
                None => None,
            };
            open_strike = a
                .strike
                .then(|| extend_strike(&mut frame.items, open_strike, x, y, run_width, a.size));
            if from == 0 {
                lemmas.extend_from_slice(&a.lemmas);
                for name in &a.targets {
                    frame.items.push(Item::Destination(Destination {
                        name: name.clone(),
                        x,
                        y: 0.0,
                    }));
                }
            }
            if let Some((index, number)) = a.mark {
                notes.push(index);
                frame.items.push(Item::Destination(Destination {
                    name: format!("mark-{number}"),
                    x,
                    y: 0.0,
                }));
            }
            x += run_width;
        }
        Line {
            frame,
            notes,
            first_word: self.first_word(start, end),
            lemmas,
            number: None,
        }
    }

    /// The first of the model's words that begins in `start..end`: the word of the line's
    /// first glyph when that glyph begins it, else the next word (a line that begins inside
    /// a word, after a hyphen, belongs to the word's start).
    fn first_word(&self, start: usize, end: usize) -> Option<usize> {
        self.contents[start..end]
            .iter()
            .find_map(|content| match *content {
                Content::Glyphs { atom, from, .. } => {
                    let a = &self.atoms[atom];
                    Some(a.words - usize::from(from == 0 && a.starts_word))
                }
                Content::Nothing => None,
            })
    }
}

impl Builder<'_, '_> {
    /// The line's material `start..end` cut into what is drawn as one piece, in logical order:
    /// consecutive boxes of one atom (a word's parts between break points, and the penalties
    /// between them), or a single other element.
    fn segments(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut segments = Vec::with_capacity(end - start);
        let mut i = start;
        while i < end {
            let Content::Glyphs { atom, .. } = self.contents[i] else {
                segments.push((i, i + 1));
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < end {
                match self.contents[j] {
                    Content::Glyphs { atom: a, .. } if a == atom => j += 1,
                    Content::Nothing if matches!(self.elements[j], Element::Penalty { .. }) => {
                        j += 1
                    }
                    _ => break,
                }
            }
            segments.push((i, j));
            i = j;
        }
        segments
    }

    /// The order in which the segments are drawn from the left: their logical order in a
    /// left-to-right paragraph without right-to-left text, else the order rule L2 of the
    /// Unicode bidi algorithm gives for their levels.
    fn visual_order(&self, segments: &[(usize, usize)]) -> Vec<usize> {
        let Some(bidi) = &self.bidi else {
            return (0..segments.len()).collect();
        };
        let levels: Vec<unicode_bidi::Level> =
            segments.iter().map(|&(i, _)| bidi.levels[i]).collect();
        unicode_bidi::ParagraphBidiInfo::reorder_visual(&levels)
    }
}

/// Covers `rect` with a link to `target`: by widening the area at `open` when it links to
/// the same target at the same height (the next word of one link on one line), else with a
/// new area. Returns the area's index among `items`.
fn extend_link(
    items: &mut Vec<Item>,
    open: Option<usize>,
    rect: Rect,
    target: &LinkTarget,
    tag: &super::Tag,
) -> usize {
    if let Some(i) = open {
        if let Some(Item::Link(area)) = items.get_mut(i) {
            if area.target == *target
                && area.tag == *tag
                && area.rect.y == rect.y
                && area.rect.height == rect.height
            {
                area.rect.width = rect.x + rect.width - area.rect.x;
                return i;
            }
        }
    }
    items.push(Item::Link(LinkArea {
        rect,
        target: target.clone(),
        tag: tag.clone(),
    }));
    items.len() - 1
}

/// Strikes through the run from `x`, `width` wide, on baseline `y`: by lengthening the rule
/// at `open` (the previous struck word, the space between them included), else with a new
/// rule at about the height of the lower-case letters' middle. Returns the rule's index.
fn extend_strike(
    items: &mut Vec<Item>,
    open: Option<usize>,
    x: f32,
    y: f32,
    width: f32,
    size: f32,
) -> usize {
    let rule_y = y - size * 0.25;
    if let Some(i) = open {
        if let Some(Item::Rule(rule)) = items.get_mut(i) {
            if rule.y == rule_y {
                rule.width = x + width - rule.x;
                return i;
            }
        }
    }
    items.push(Item::Rule(super::Rule {
        x,
        y: rule_y,
        width,
        thickness: size * 0.05,
        tag: super::Tag::Artifact,
    }));
    items.len() - 1
}

/// The adjustment ratio that makes `elements` (plus a hyphen) exactly `width` wide; never
/// below -1 (no glue shrinks past its limit). `None` when the line has no glue.
fn line_ratio(elements: &[Element], hyphen_width: f32, width: f32) -> Option<f32> {
    let (mut natural, mut stretch, mut shrink) = (hyphen_width, 0.0f32, 0.0f32);
    for element in elements {
        match *element {
            Element::Box { width } => natural += width,
            Element::Glue {
                width,
                stretch: y,
                shrink: z,
            } => {
                natural += width;
                stretch += y;
                shrink += z;
            }
            Element::Penalty { .. } => {}
        }
    }
    if natural <= width {
        (stretch > 0.0).then(|| (width - natural) / stretch)
    } else {
        (shrink > 0.0).then(|| ((width - natural) / shrink).max(-1.0))
    }
}

/// Writes glyphs into a line's items: each glyph joins the run drawn last when it shares
/// its face, size and baseline (after a space in the run's text when a space separates
/// them), else opens a new run.
struct RunWriter {
    last: Option<usize>,
    spaced: bool,
    /// Glyphs the line is expected to hold, to size a new run once.
    expected: usize,
}

impl RunWriter {
    fn run<'i>(
        &mut self,
        items: &'i mut Vec<Item>,
        font: FontId,
        size: f32,
        x: f32,
        y: f32,
        tag: &super::Tag,
    ) -> &'i mut GlyphRun {
        let joins = self.last.is_some_and(|i| {
            matches!(&items[i], Item::Glyphs(r)
                if r.font == font && r.size == size && r.y == y && r.tag == *tag)
        });
        if !joins {
            items.push(Item::Glyphs(GlyphRun {
                font,
                size,
                x,
                y,
                text: String::with_capacity(self.expected * 5 / 4),
                glyphs: Vec::with_capacity(self.expected),
                tag: tag.clone(),
            }));
            self.last = Some(items.len() - 1);
            self.spaced = false;
        }
        let Some(Item::Glyphs(run)) = self.last.map(|i| &mut items[i]) else {
            unreachable!("the last run is a glyph run")
        };
        if std::mem::take(&mut self.spaced) {
            run.text.push(' ');
        }
        run
    }

    /// Glyphs `from..to` of an atom (and its hyphen) from `x` on `baseline`.
    fn atom(
        &mut self,
        items: &mut Vec<Item>,
        atom: &Atom,
        (from, to): (usize, usize),
        hyphen: bool,
        x: f32,
        baseline: f32,
    ) {
        let shaped = &atom.shaped;
        let mut pen = x;
        if shaped.is_right_to_left(from..to) {
            pen = self.right_to_left(items, atom, (from, to), pen, baseline);
            return self.hyphen(items, atom, hyphen, pen, baseline);
        }
        let mut last_cluster = None;
        let mut font = None;
        for i in from..to {
            let g = shaped.glyphs[i];
            if font != Some(g.font) {
                font = Some(g.font);
                last_cluster = None;
            }
            let run = self.run(items, g.font, atom.size, pen, baseline, &atom.tag);
            let at = run.text.len() as u32;
            let text = if last_cluster == Some(g.cluster) {
                (at, at)
            } else {
                let end = shaped.cluster_end(i);
                run.text
                    .push_str(&shaped.text[g.cluster as usize..end as usize]);
                (at, run.text.len() as u32)
            };
            last_cluster = Some(g.cluster);
            place_glyph(run, g.id, (g.dx, g.dy), pen, atom.size, text);
            pen += g.advance * atom.size;
        }
        self.hyphen(items, atom, hyphen, pen, baseline);
    }

    /// Glyphs `from..to` of a right-to-left word, drawn from `x`: each stretch of one face
    /// gets its text in reading order (the glyphs come in visual order, last letter first),
    /// and each glyph the range of its cluster. Returns the pen position after them.
    fn right_to_left(
        &mut self,
        items: &mut Vec<Item>,
        atom: &Atom,
        (from, to): (usize, usize),
        x: f32,
        baseline: f32,
    ) -> f32 {
        let shaped = &atom.shaped;
        let mut pen = x;
        // A run of its own: joined to its neighbours, the run's text would hold the words
        // in visual order.
        self.last = None;
        let mut a = from;
        while a < to {
            let font = shaped.glyphs[a].font;
            let b = (a..to)
                .find(|&i| shaped.glyphs[i].font != font)
                .unwrap_or(to);
            let first = (a..b).map(|i| shaped.glyphs[i].cluster).min().unwrap_or(0);
            let last = (a..b).map(|i| shaped.cluster_end(i)).max().unwrap_or(first);
            let run = self.run(items, font, atom.size, pen, baseline, &atom.tag);
            let base = run.text.len() as u32;
            run.text
                .push_str(&shaped.text[first as usize..last as usize]);
            for i in a..b {
                let g = shaped.glyphs[i];
                let shares_cluster = (a..i).any(|k| shaped.glyphs[k].cluster == g.cluster);
                let text = if shares_cluster {
                    (base, base)
                } else {
                    (
                        base + g.cluster - first,
                        base + shaped.cluster_end(i) - first,
                    )
                };
                place_glyph(run, g.id, (g.dx, g.dy), pen, atom.size, text);
                pen += g.advance * atom.size;
            }
            a = b;
        }
        pen
    }

    /// The hyphen of a line broken inside `atom`, drawn from `pen` when `hyphen` is set.
    fn hyphen(
        &mut self,
        items: &mut Vec<Item>,
        atom: &Atom,
        hyphen: bool,
        mut pen: f32,
        baseline: f32,
    ) {
        if let (true, Some(h)) = (hyphen, &atom.hyphen) {
            for g in &h.glyphs {
                let run = self.run(items, g.font, atom.size, pen, baseline, &atom.tag);
                let at = run.text.len() as u32;
                run.text.push('-');
                place_glyph(run, g.id, (g.dx, g.dy), pen, atom.size, (at, at + 1));
                pen += g.advance * atom.size;
            }
        }
    }
}

/// Appends glyph `id` to `run`, its pen at `pen` and its offset `(dx, dy)` in ems of `size`,
/// standing for `text` (a byte range of the run's text).
fn place_glyph(
    run: &mut GlyphRun,
    id: u16,
    (dx, dy): (f32, f32),
    pen: f32,
    size: f32,
    text: (u32, u32),
) {
    run.glyphs.push(Glyph {
        id,
        x: pen - run.x + dx * size,
        y: dy * size,
        text,
    });
}
