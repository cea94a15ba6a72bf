//! Page content streams: glyph runs as `TJ` arrays with exact positions, rules as filled
//! rectangles. Numbers are written with fixed precision so output is reproducible.

use std::fmt::Write;

use super::fonts::resource_name;
use std::sync::Arc;

use crate::layout::structure;
use crate::layout::{FontFace, FontId, GlyphRun, Item, Page, Role, Step, Tag};

/// A number with at most three decimals, trailing zeros dropped (integer arithmetic: float
/// formatting dominated the time spent writing content streams).
pub(crate) fn num(value: f32) -> String {
    let mut out = String::new();
    push_num(&mut out, value);
    out
}

/// Appends [`num`] of `value` to `out`.
pub(crate) fn push_num(out: &mut String, value: f32) {
    let thousandths = (value as f64 * 1000.0).round() as i64;
    if thousandths < 0 {
        out.push('-');
    }
    let magnitude = thousandths.unsigned_abs();
    let _ = write!(out, "{}", magnitude / 1000);
    let mut fraction = magnitude % 1000;
    if fraction != 0 {
        let mut digits = 3;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{fraction:0digits$}");
    }
}

/// Appends `<XXXX>`, a glyph code in hexadecimal.
fn push_hex(out: &mut String, code: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('<');
    for shift in [12, 8, 4, 0] {
        out.push(DIGITS[(code >> shift & 0xF) as usize] as char);
    }
    out.push('>');
}

/// The resource name of the `k`th image of page `index`.
pub(crate) fn image_name(index: usize, k: usize) -> String {
    format!("Im{index}x{k}")
}

/// A page's content stream and, for each of its marked-content ids in order, the path of
/// the element it belongs to.
pub(crate) struct PageContent {
    pub bytes: Vec<u8>,
    pub mcids: Vec<Arc<[Step]>>,
}

/// The content stream of page `index`; glyphs are written by their id in the face. Each run
/// of items with the same tag is one marked-content sequence: `/Artifact` for page
/// furniture, else tagged with its element's type and numbered. A note's mark is given the
/// text it shows as superscript digits (`ActualText`), so that copying "1988¹" never gives
/// "19881". Content whose tag the layout left unrooted is an error.
pub(crate) fn page_content(
    faces: &[FontFace],
    index: usize,
    page: &Page,
) -> Result<PageContent, String> {
    let glyphs: usize = page
        .items
        .iter()
        .map(|i| match i {
            Item::Glyphs(run) => run.glyphs.len(),
            _ => 0,
        })
        .sum();
    let mut text = Text {
        out: String::with_capacity(glyphs * 7 + page.items.len() * 24),
        open: false,
        font: None,
        pen: None,
        array: false,
    };
    let mut mcids: Vec<Arc<[Step]>> = Vec::new();
    let mut current: Option<&Tag> = None;
    // Inside a mark's `ActualText` span.
    let mut actual = false;
    let mut images = 0;
    for item in &page.items {
        let Some(tag) = structure::tag_of(item).filter(|_| !matches!(item, Item::Link(_))) else {
            continue;
        };
        if current != Some(tag) {
            text.end();
            if std::mem::take(&mut actual) {
                text.out.push_str("EMC\n");
            }
            if current.is_some() {
                text.out.push_str("EMC\n");
            }
            match tag {
                Tag::Artifact => text.out.push_str("/Artifact BMC\n"),
                Tag::Content(path) => {
                    let Some(leaf) = path.last().filter(|_| tag.is_rooted()) else {
                        return Err(format!(
                            "page {}: content the layout did not tag: {item:?}",
                            index + 1
                        ));
                    };
                    let _ = writeln!(
                        text.out,
                        "/{} <</MCID {}>> BDC",
                        leaf.role.name(),
                        mcids.len()
                    );
                    // Text extraction reads `ActualText` from a `Span` (poppler only
                    // there), nested in the tagged sequence.
                    if let Item::Glyphs(run) = item {
                        if path.iter().any(|s| s.role == Role::Reference) {
                            text.out.push_str("/Span <</ActualText <FEFF");
                            for unit in superscript(&run.text).encode_utf16() {
                                let _ = write!(text.out, "{unit:04X}");
                            }
                            text.out.push_str(">>> BDC\n");
                            actual = true;
                        }
                    }
                    mcids.push(path.clone());
                }
            }
            current = Some(tag);
        }
        match item {
            Item::Image {
                x,
                y,
                width,
                height,
                ..
            } => {
                text.end();
                let _ = writeln!(
                    text.out,
                    "q {} 0 0 {} {} {} cm /{} Do Q",
                    num(*width),
                    num(*height),
                    num(*x),
                    num(page.height - y - height),
                    image_name(index, images)
                );
                images += 1;
            }
            Item::Glyphs(run) => text.run(&faces[run.font.0 as usize], page, run),
            Item::Rule(rule) => {
                text.end();
                let y = page.height - rule.y - rule.thickness / 2.0;
                let _ = writeln!(
                    text.out,
                    "{} {} {} {} re f",
                    num(rule.x),
                    num(y),
                    num(rule.width),
                    num(rule.thickness)
                );
            }
            Item::Link(_) | Item::Destination(_) => {}
        }
    }
    text.end();
    if actual {
        text.out.push_str("EMC\n");
    }
    if current.is_some() {
        text.out.push_str("EMC\n");
    }
    Ok(PageContent {
        bytes: text.out.into_bytes(),
        mcids,
    })
}

/// `text` with its digits as superscript digits.
fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '1' => '\u{B9}',
            '2' => '\u{B2}',
            '3' => '\u{B3}',
            '0'..='9' => char::from_u32(0x2070 + (c as u32 - '0' as u32)).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// The text state while writing a page: consecutive runs in one face and size on one
/// baseline share a `TJ` array, the gaps between them written as adjustments.
struct Text {
    out: String,
    /// Inside `BT … ET`.
    open: bool,
    font: Option<(FontId, f32)>,
    /// Where the viewer's text position is after the last glyph, if known.
    pen: Option<(f32, f32)>,
    /// Inside a `[ … ] TJ` array.
    array: bool,
}

impl Text {
    fn close_array(&mut self) {
        if self.array {
            self.out.push_str("] TJ\n");
            self.array = false;
        }
    }

    fn end(&mut self) {
        self.close_array();
        if self.open {
            self.out.push_str("ET\n");
            self.open = false;
        }
        self.font = None;
        self.pen = None;
    }

    fn run(&mut self, face: &FontFace, page: &Page, run: &GlyphRun) {
        if !self.open {
            self.out.push_str("BT\n");
            self.open = true;
        }
        if self.font != Some((run.font, run.size)) {
            self.close_array();
            self.out.push('/');
            self.out.push_str(&resource_name(run.font));
            self.out.push(' ');
            push_num(&mut self.out, run.size);
            self.out.push_str(" Tf\n");
            self.font = Some((run.font, run.size));
            self.pen = None;
        }
        for glyph in &run.glyphs {
            let x = run.x + glyph.x;
            let y = page.height - run.y + glyph.y;
            match self.pen {
                Some((px, py)) if (py - y).abs() < 0.001 && self.array => {
                    let adjust = (px - x) * 1000.0 / run.size;
                    if adjust.abs() >= 0.05 {
                        push_num(&mut self.out, adjust);
                    }
                }
                _ => {
                    self.close_array();
                    self.out.push_str("1 0 0 1 ");
                    push_num(&mut self.out, x);
                    self.out.push(' ');
                    push_num(&mut self.out, y);
                    self.out.push_str(" Tm [");
                    self.array = true;
                }
            }
            push_hex(&mut self.out, glyph.id);
            // The viewer advances by the width written in `W` (rounded thousandths).
            let width = (face.advance(glyph.id) as f32 * 1000.0 / face.units_per_em as f32).round();
            self.pen = Some((x + width * run.size / 1000.0, y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{num, superscript};

    #[test]
    fn marks_read_as_superscript_digits() {
        assert_eq!(superscript("1"), "\u{B9}");
        assert_eq!(superscript("40"), "\u{2074}\u{2070}");
        assert_eq!(superscript("123"), "\u{B9}\u{B2}\u{B3}");
        assert_eq!(superscript("9"), "\u{2079}");
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(841.89), "841.89");
        assert_eq!(num(12.3456), "12.346");
        assert_eq!(num(-2.05), "-2.05");
        assert_eq!(num(0.007), "0.007");
    }
}
