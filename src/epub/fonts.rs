//! The book's fonts in the ebook: the build's font set ([`crate::fonts`]) in fallback order
//! (the text family's faces, then every other family's), each cut down to the characters
//! the book shows and that no earlier family has.

use super::subset::subset_face;
use super::EpubError;
use crate::fonts::FontSet;
use std::collections::BTreeSet;

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

/// The faces of `set` in the ebook's order: every face of `text_family`, then those of the
/// other families, in the set's order.
fn ordered<'a>(set: &'a FontSet, text_family: &str) -> Vec<&'a crate::fonts::Face> {
    let faces = set.faces();
    let mut out: Vec<&crate::fonts::Face> =
        faces.iter().filter(|f| f.family == text_family).collect();
    out.extend(faces.iter().filter(|f| f.family != text_family));
    out
}

/// Each face cut down to the characters of `used` it must draw: all it covers for the text
/// family, and for a fallback family those every earlier family lacks in some face. Faces left with nothing to
/// draw are not embedded; a face that cannot be subset is embedded whole.
pub(crate) fn subset(
    set: &FontSet,
    text_family: &str,
    used: &BTreeSet<char>,
) -> Result<Vec<EmbeddedFont>, EpubError> {
    let faces = ordered(set, text_family);
    let parsed: Vec<ttf_parser::Face> = faces
        .iter()
        .map(|f| {
            ttf_parser::Face::parse(&f.data, f.index).map_err(|e| EpubError::Font {
                file: f.origin.clone(),
                reason: e.to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    let mut hrefs: Vec<String> = Vec::new();
    for (i, face) in faces.iter().enumerate() {
        // The earlier families, each as its faces.
        let mut earlier: Vec<(&str, Vec<&ttf_parser::Face>)> = Vec::new();
        for (f, p) in faces[..i].iter().zip(&parsed) {
            if f.family == face.family {
                continue;
            }
            match earlier.iter_mut().find(|(name, _)| *name == f.family) {
                Some((_, group)) => group.push(p),
                None => earlier.push((&f.family, vec![p])),
            }
        }
        // For a fallback, what every earlier family lacks in some face (the reader may draw a
        // bold character here when the text family's bold face lacks it).
        let chars: Vec<char> = used
            .iter()
            .copied()
            .filter(|&c| parsed[i].glyph_index(c).is_some())
            .filter(|&c| {
                earlier
                    .iter()
                    .all(|(_, group)| !group.iter().all(|p| p.glyph_index(c).is_some()))
            })
            .collect();
        if chars.is_empty() {
            continue;
        }
        // A face the subsetter cannot handle (a CFF2 variable font, say) goes in whole.
        let (data, extension) = match subset_face(&face.data, face.index, &chars) {
            Ok(data) => {
                let extension = whole_extension(&data);
                (data, extension)
            }
            Err(_) => (face.data.to_vec(), whole_extension(&face.data)),
        };
        let mut href = format!("fonts/{}.{extension}", face.name);
        let mut n = 2;
        while hrefs.contains(&href) {
            href = format!("fonts/{}-{n}.{extension}", face.name);
            n += 1;
        }
        hrefs.push(href.clone());
        out.push(EmbeddedFont {
            href,
            family: face.family.clone(),
            bold: face.bold,
            italic: face.italic,
            media_type: if extension == "otf" {
                "font/otf"
            } else {
                "font/ttf"
            },
            data,
        });
    }
    Ok(out)
}

/// The extension for a whole font file.
fn whole_extension(data: &[u8]) -> &'static str {
    if data.starts_with(b"OTTO") {
        "otf"
    } else {
        "ttf"
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
    fn the_text_family_is_embedded_first_and_fallbacks_only_for_what_it_lacks() {
        let set = FontSet::built_in();
        let used: BTreeSet<char> = "aé█ش".chars().collect();
        let embedded = subset(&set, "EB Garamond", &used).unwrap();
        let names: Vec<(&str, &str)> = embedded
            .iter()
            .map(|e| (e.family.as_str(), e.href.as_str()))
            .collect();
        assert_eq!(names[0], ("EB Garamond", "fonts/EBGaramond-Regular.ttf"));
        assert!(names.contains(&("DejaVu Serif", "fonts/DejaVuSerif.ttf")));
        assert!(names.iter().any(|n| n.0 == "Noto Naskh Arabic"));
        assert!(
            !names.iter().any(|n| n.0 == "DejaVu Sans Mono"),
            "nothing to draw"
        );
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
