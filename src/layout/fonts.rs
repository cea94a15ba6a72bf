//! The bundled font faces: loading them from the project's `fonts/` folder, picking a face
//! for a character style, and per-character fallback coverage.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use harfrust::{GlyphId, ShaperFont};

use super::LayoutError;
use crate::model::Style;

/// Index of a face in [`super::Document::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// A loaded face: its bytes and the metrics a PDF writer needs. No PDF types.
#[derive(Clone)]
pub struct FontFace {
    /// The PostScript-like name used in output (`EBGaramond-Regular`).
    pub name: String,
    /// The file the face was read from, relative to the project (`fonts/…`).
    pub file: String,
    /// The whole font file.
    pub data: Arc<Vec<u8>>,
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
    fn load(dir: &Path, file: &str, italic: bool, bold: bool) -> Result<FontFace, LayoutError> {
        let path: PathBuf = dir.join(file);
        let shown = format!("fonts/{file}");
        let bytes = std::fs::read(&path).map_err(|e| LayoutError::FontMissing {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let data = Arc::new(bytes);
        let blob: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
        let font = harfrust::Font::new(blob, 0).ok_or_else(|| LayoutError::FontMissing {
            path: shown.clone(),
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
            name: file
                .trim_end_matches(".ttf")
                .trim_end_matches(".otf")
                .to_string(),
            file: shown,
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
            italic,
            bold,
            advances,
            data,
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

/// The faces the layout uses, in [`FontId`] order: text faces then the fallback.
pub(crate) struct FontBook {
    pub faces: Vec<FontFace>,
}

/// Which text face a style selects; the fallback is always [`FontBook::FALLBACK`].
pub(crate) const REGULAR: FontId = FontId(0);
pub(crate) const ITALIC: FontId = FontId(1);
pub(crate) const BOLD: FontId = FontId(2);
pub(crate) const BOLD_ITALIC: FontId = FontId(3);

/// The files, in [`FontId`] order: (file name, italic, bold).
const FILES: [(&str, bool, bool); 5] = [
    ("EBGaramond-Regular.ttf", false, false),
    ("EBGaramond-Italic.ttf", true, false),
    ("EBGaramond-Bold.ttf", false, true),
    ("EBGaramond-BoldItalic.ttf", true, true),
    ("DejaVuSerif.ttf", false, false),
];

impl FontBook {
    pub const FALLBACK: FontId = FontId(4);

    /// Loads every bundled face from `dir` (the project's `fonts/` folder).
    pub fn load(dir: &Path) -> Result<FontBook, LayoutError> {
        if !dir.is_dir() {
            return Err(LayoutError::FontMissing {
                path: "fonts/".into(),
                reason: format!("no fonts folder at `{}`", dir.display()),
            });
        }
        let faces = FILES
            .iter()
            .map(|(file, italic, bold)| FontFace::load(dir, file, *italic, *bold))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FontBook { faces })
    }

    pub fn face(&self, id: FontId) -> &FontFace {
        &self.faces[id.0 as usize]
    }

    /// The text face for a style (code is set in the regular face).
    pub fn face_for(style: Style) -> FontId {
        match (style.italic, style.bold) {
            (false, false) => REGULAR,
            (true, false) => ITALIC,
            (false, true) => BOLD,
            (true, true) => BOLD_ITALIC,
        }
    }

    /// The face that draws `c` when the style asks for `primary`: the primary face if it
    /// covers the character, else the fallback, else `None`.
    pub fn resolve(&self, primary: FontId, c: char) -> Option<FontId> {
        if self.face(primary).covers(c) {
            Some(primary)
        } else if self.face(Self::FALLBACK).covers(c) {
            Some(Self::FALLBACK)
        } else {
            None
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The fonts folder of this repository, for tests.
    pub(crate) fn book() -> FontBook {
        FontBook::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).unwrap()
    }

    #[test]
    fn text_face_covers_latin_cyrillic_greek_and_fallback_covers_blocks() {
        let book = book();
        for c in ['a', 'é', 'Э', 'б', 'λ', '’', '—'] {
            assert_eq!(book.resolve(REGULAR, c), Some(REGULAR), "{c}");
        }
        assert_eq!(book.resolve(REGULAR, '█'), Some(FontBook::FALLBACK));
        assert_eq!(book.resolve(ITALIC, '█'), Some(FontBook::FALLBACK));
        assert_eq!(book.resolve(REGULAR, '\u{1F600}'), None);
    }

    #[test]
    fn missing_folder_is_a_located_error() {
        let err = FontBook::load(Path::new("/nonexistent/fonts"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("fonts"), "{err}");
    }
}
