//! The layout's faces: the font set's text family and fallback chain ([`crate::fonts`]) made
//! ready for shaping, picking a face for a character style, and per-character fallback.

use std::sync::Arc;

use harfrust::{GlyphId, ShaperFont};

use super::LayoutError;
use crate::fonts;
use crate::model::Style;

/// Index of a face in [`super::Document::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// A loaded face: its bytes and the metrics a PDF writer needs. No PDF types.
#[derive(Clone)]
pub struct FontFace {
    /// The PostScript name used in output (`EBGaramond-Regular`).
    pub name: String,
    /// The family, from the font's name table (`EB Garamond`).
    pub family: String,
    /// Where the face comes from: `fonts/…` in the project, or `built-in`.
    pub file: String,
    /// The whole font file, and the face's index in it (non-zero in a collection).
    pub data: Arc<Vec<u8>>,
    pub index: u32,
    pub units_per_em: u16,
    /// Ascender and descender (negative), in font units.
    pub ascender: f32,
    pub descender: f32,
    pub cap_height: f32,
    /// `[x_min, y_min, x_max, y_max]` in font units.
    pub bbox: [f32; 4],
    pub italic: bool,
    pub bold: bool,
    /// Horizontal advance of every glyph, in font units (the `hmtx` widths).
    pub advances: Vec<u16>,
    pub(crate) font: harfrust::Font,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("name", &self.name)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl FontFace {
    /// A face of the font set, ready for shaping.
    fn new(face: &fonts::Face) -> Result<FontFace, LayoutError> {
        let blob: Arc<dyn AsRef<[u8]> + Send + Sync> = face.data.clone();
        let font =
            harfrust::Font::new(blob, face.index).ok_or_else(|| LayoutError::FontMissing {
                path: face.origin.clone(),
                reason: "not a font file this renderer can read".into(),
            })?;
        let metrics = font.metrics();
        let (ascender, descender) = match metrics.hhea_line {
            Some(line) => (line.ascender.to_f32(), line.descender.to_f32()),
            None => (
                metrics.units_per_em as f32 * 0.8,
                metrics.units_per_em as f32 * -0.2,
            ),
        };
        let glyph_metrics = font.glyph_metrics();
        let advances = (0..metrics.num_glyphs)
            .map(|g| glyph_metrics.h_advance(GlyphId::new(g)).round() as u16)
            .collect();
        let b = metrics.bounds;
        Ok(FontFace {
            name: face.name.clone(),
            family: face.family.clone(),
            file: face.origin.clone(),
            index: face.index,
            units_per_em: metrics.units_per_em,
            ascender,
            descender,
            cap_height: metrics
                .cap_height
                .map(|c| c.to_f32())
                .unwrap_or(ascender * 0.9),
            bbox: [
                b.x_min.to_f32(),
                b.y_min.to_f32(),
                b.x_max.to_f32(),
                b.y_max.to_f32(),
            ],
            italic: face.italic,
            bold: face.bold,
            advances,
            data: face.data.clone(),
            font,
        })
    }

    /// The glyph for a character, if the face has one.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.font.charmap().map_unicode(c).is_some()
    }

    /// A shaper over this face (cheap: harfrust caches layout tables per font).
    pub(crate) fn shaper(&self) -> ShaperFont<'_, 'static> {
        ShaperFont::new(&self.font)
    }

    /// The nominal advance of a glyph in font units.
    pub fn advance(&self, glyph: u16) -> u16 {
        self.advances.get(glyph as usize).copied().unwrap_or(0)
    }
}

/// The faces the layout uses, in [`FontId`] order: the text family's four styles, then the
/// fallback faces in the font set's order.
pub(crate) struct FontBook {
    pub faces: Vec<FontFace>,
    /// The face code is set in: the first monospaced face of the chain.
    monospace: FontId,
    /// Every face's coverage is looked up in turn; each is `cmap`-backed and cheap.
    fallbacks: Vec<FontId>,
}

/// Which text face a style selects.
pub(crate) const REGULAR: FontId = FontId(0);
pub(crate) const ITALIC: FontId = FontId(1);
pub(crate) const BOLD: FontId = FontId(2);
pub(crate) const BOLD_ITALIC: FontId = FontId(3);

impl FontBook {
    /// The faces of `set` for the text family `family` (which the set must have).
    pub fn new(set: &fonts::FontSet, family: &str) -> Result<FontBook, LayoutError> {
        let chain = set.chain(family);
        if chain.len() < 4 {
            return Err(LayoutError::FontMissing {
                path: "fonts/".into(),
                reason: format!("no font of the family `{family}`"),
            });
        }
        let faces = chain
            .iter()
            .map(|&i| FontFace::new(&set.faces()[i]))
            .collect::<Result<Vec<_>, _>>()?;
        let monospace = chain
            .iter()
            .position(|&i| set.faces()[i].monospace)
            .map_or(REGULAR, |p| FontId(p as u16));
        let fallbacks = (4..faces.len() as u16).map(FontId).collect();
        Ok(FontBook {
            faces,
            monospace,
            fallbacks,
        })
    }

    pub fn face(&self, id: FontId) -> &FontFace {
        &self.faces[id.0 as usize]
    }

    /// The face for a style: a text face, or the monospaced face for code.
    pub fn face_for(&self, style: Style) -> FontId {
        if style.code {
            return self.monospace;
        }
        match (style.italic, style.bold) {
            (false, false) => REGULAR,
            (true, false) => ITALIC,
            (false, true) => BOLD,
            (true, true) => BOLD_ITALIC,
        }
    }

    /// The face that draws `c` when the style asks for `primary`: the primary face if it
    /// covers the character, else the first fallback that does, else `None`.
    pub fn resolve(&self, primary: FontId, c: char) -> Option<FontId> {
        if self.face(primary).covers(c) {
            return Some(primary);
        }
        self.fallbacks
            .iter()
            .copied()
            .find(|&f| f != primary && self.face(f).covers(c))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The built-in faces, for tests.
    pub(crate) fn book() -> FontBook {
        FontBook::new(&fonts::FontSet::built_in(), fonts::DEFAULT_FAMILY).unwrap()
    }

    /// The built-in fallback for block elements (DejaVu Serif).
    pub(crate) const FALLBACK: FontId = FontId(4);

    #[test]
    fn text_face_covers_latin_cyrillic_greek_and_fallback_covers_blocks() {
        let book = book();
        for c in ['a', 'é', 'Э', 'б', 'λ', '’', '—'] {
            assert_eq!(book.resolve(REGULAR, c), Some(REGULAR), "{c}");
        }
        assert_eq!(book.resolve(REGULAR, '█'), Some(FALLBACK));
        assert_eq!(book.resolve(ITALIC, '█'), Some(FALLBACK));
        assert_eq!(book.resolve(REGULAR, '\u{1F600}'), None);
        assert_eq!(
            book.face(book.resolve(REGULAR, 'ش').unwrap()).family,
            "Noto Naskh Arabic"
        );
        assert_eq!(
            book.face(book.resolve(REGULAR, 'ש').unwrap()).family,
            "Noto Serif Hebrew"
        );
        let code = Style {
            code: true,
            ..Style::default()
        };
        assert_eq!(book.face(book.face_for(code)).family, "DejaVu Sans Mono");
    }
}
