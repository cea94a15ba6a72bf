//! The project's fonts: read once from `fonts/`, grouped into families by file name, and cut
//! down to the characters the book shows.
//!
//! The naming convention (the one the bundled fonts follow) is `Family-Style.ttf` or `.otf`,
//! with `Style` one of `Regular`, `Italic`, `Bold`, `BoldItalic`; a file with no such suffix
//! (`DejaVuSerif.ttf`) is the regular face of its family. Families are tried in order of the
//! number of faces they have, most first (then by name): the text family, which has all four
//! styles, comes before a single-face fallback. Other files in `fonts/` (licences, READMEs)
//! are ignored.

use super::subset::subset_face;
use super::EpubError;
use std::collections::BTreeSet;
use std::path::Path;

/// One font file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFace {
    /// The file name in `fonts/`, e.g. `EBGaramond-Italic.ttf`.
    pub file_name: String,
    /// The family, from the file name: `EBGaramond`.
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    /// The whole file.
    pub data: Vec<u8>,
}

/// The fonts an edition embeds, in fallback order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontSet {
    faces: Vec<FontFace>,
}

/// A face as it goes into the EPUB: subset, with what the `@font-face` rule needs.
#[derive(Debug, Clone)]
pub(crate) struct EmbeddedFont {
    /// Path inside the package, e.g. `fonts/EBGaramond-Italic.ttf`.
    pub(crate) href: String,
    pub(crate) family: String,
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) media_type: &'static str,
    pub(crate) data: Vec<u8>,
}

impl FontSet {
    /// Reads every `.ttf` and `.otf` file of `dir`. A missing or unreadable folder is an
    /// error; a folder with no fonts gives an empty set.
    pub fn read_dir(dir: &Path) -> Result<FontSet, EpubError> {
        let folder_error = |e: std::io::Error| EpubError::FontsFolder {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(folder_error)? {
            let path = entry.map_err(folder_error)?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if font_extension(&name).is_none() || name.starts_with('.') {
                continue;
            }
            let data = std::fs::read(&path).map_err(|e| EpubError::Font {
                file: format!("fonts/{name}"),
                reason: e.to_string(),
            })?;
            files.push((name, data));
        }
        FontSet::from_files(files)
    }

    /// A set from `(file name, bytes)` pairs, checking that each is a font.
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<FontSet, EpubError> {
        let mut faces = Vec::new();
        for (file_name, data) in files {
            if ttf_parser::Face::parse(&data, 0).is_err() {
                return Err(EpubError::Font {
                    file: format!("fonts/{file_name}"),
                    reason: "not a TrueType or OpenType font".into(),
                });
            }
            let stem = file_name
                .rsplit_once('.')
                .map_or(file_name.as_str(), |(s, _)| s);
            let (family, bold, italic) = match stem.rsplit_once('-') {
                Some((family, "Regular")) => (family, false, false),
                Some((family, "Italic")) => (family, false, true),
                Some((family, "Bold")) => (family, true, false),
                Some((family, "BoldItalic")) => (family, true, true),
                _ => (stem, false, false),
            };
            faces.push(FontFace {
                family: family.to_owned(),
                file_name,
                bold,
                italic,
                data,
            });
        }
        let count = |family: &str| faces.iter().filter(|f| f.family == family).count();
        let mut keyed: Vec<(usize, FontFace)> = faces
            .iter()
            .map(|f| (count(&f.family), f.clone()))
            .collect();
        keyed.sort_by(|(a, fa), (b, fb)| {
            b.cmp(a)
                .then_with(|| fa.family.cmp(&fb.family))
                .then_with(|| (fa.bold, fa.italic).cmp(&(fb.bold, fb.italic)))
        });
        Ok(FontSet {
            faces: keyed.into_iter().map(|(_, f)| f).collect(),
        })
    }

    /// The faces, in fallback order.
    pub fn faces(&self) -> &[FontFace] {
        &self.faces
    }

    /// Each face cut down to the characters of `used` it must draw: all it covers for the
    /// first family, and for a fallback family those some earlier face lacks. Faces left
    /// with nothing to draw are not embedded; a face that cannot be subset is embedded whole.
    pub(crate) fn subset(&self, used: &BTreeSet<char>) -> Result<Vec<EmbeddedFont>, EpubError> {
        let parsed: Vec<ttf_parser::Face> = self
            .faces
            .iter()
            .map(|f| ttf_parser::Face::parse(&f.data, 0))
            .collect::<Result<_, _>>()
            .map_err(|e| EpubError::Font {
                file: "fonts/".into(),
                reason: e.to_string(),
            })?;
        let mut out = Vec::new();
        for (i, face) in self.faces.iter().enumerate() {
            let earlier: Vec<&ttf_parser::Face> = self.faces[..i]
                .iter()
                .zip(&parsed)
                .filter(|(f, _)| f.family != face.family)
                .map(|(_, p)| p)
                .collect();
            let chars: Vec<char> = used
                .iter()
                .copied()
                .filter(|&c| parsed[i].glyph_index(c).is_some())
                .filter(|&c| {
                    !earlier.iter().all(|p| p.glyph_index(c).is_some()) || earlier.is_empty()
                })
                .collect();
            if chars.is_empty() {
                continue;
            }
            // A face the subsetter cannot handle (a CFF2 variable font, say) goes in whole.
            let data = subset_face(&face.data, &chars).unwrap_or_else(|_| face.data.clone());
            out.push(EmbeddedFont {
                href: format!("fonts/{}", face.file_name),
                family: face.family.clone(),
                bold: face.bold,
                italic: face.italic,
                media_type: font_extension(&face.file_name).unwrap_or("font/ttf"),
                data,
            });
        }
        Ok(out)
    }
}

/// The media type of a font file name, if it names one.
fn font_extension(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".ttf") {
        Some("font/ttf")
    } else if lower.ends_with(".otf") {
        Some("font/otf")
    } else {
        None
    }
}

/// Every character the documents show, markup included (its ASCII costs nothing): a bit per
/// character of the Basic Multilingual Plane, a set for the rest, since one pass over
/// megabytes of text must not cost a tree insertion per character.
pub(crate) struct UsedChars {
    bmp: Vec<u64>,
    astral: BTreeSet<char>,
}

impl Default for UsedChars {
    fn default() -> Self {
        UsedChars {
            bmp: vec![0u64; 0x10000 / 64],
            astral: BTreeSet::new(),
        }
    }
}

impl UsedChars {
    pub(crate) fn add(&mut self, document: &str) {
        for c in document.chars() {
            let code = c as usize;
            if code < 0x10000 {
                self.bmp[code / 64] |= 1 << (code % 64);
            } else {
                self.astral.insert(c);
            }
        }
    }

    /// The characters seen, control characters left out.
    pub(crate) fn into_set(self) -> BTreeSet<char> {
        let bmp = self.bmp;
        let mut used: BTreeSet<char> = (0..0x10000u32)
            .filter(|&code| bmp[code as usize / 64] & (1 << (code % 64)) != 0)
            .filter_map(char::from_u32)
            .collect();
        used.extend(self.astral);
        used.retain(|c| !c.is_control());
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_an_error_and_junk_is_refused() {
        let missing = Path::new("/nonexistent/variorum/fonts");
        assert!(matches!(
            FontSet::read_dir(missing),
            Err(EpubError::FontsFolder { .. })
        ));
        let junk = FontSet::from_files(vec![("Junk-Regular.ttf".into(), b"not a font".to_vec())]);
        assert!(matches!(junk, Err(EpubError::Font { .. })));
    }

    #[test]
    fn used_characters_gather_across_documents_without_controls() {
        let mut used = UsedChars::default();
        used.add("ab\n");
        used.add("é𝔄\t");
        let set = used.into_set();
        assert_eq!(set.into_iter().collect::<String>(), "abé𝔄");
    }
}
