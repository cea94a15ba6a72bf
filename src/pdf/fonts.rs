//! Embedding the faces a document uses: a subset of each (the `subsetter` crate) written as
//! a Type 0 font over a CIDFontType2 with Identity encoding, its widths, and a ToUnicode
//! CMap that maps every glyph back to the text it stands for (ligatures to several
//! characters).

use std::collections::BTreeMap;
use std::fmt::Write;

use lopdf::{dictionary, Document as Pdf, Object, ObjectId, StringFormat};

use super::compressed_stream;
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::layout::{Document, FontFace, FontId, Item};

/// The glyphs a document uses in one face, and what each stands for.
#[derive(Debug, Default)]
pub(crate) struct FontUsage {
    /// Original glyph id → text (the first non-empty text seen for it).
    pub glyphs: BTreeMap<u16, String>,
}

/// Glyph use while scanning pages: dense by glyph id, for speed.
#[derive(Default)]
struct Scan {
    used: Vec<bool>,
    text: Vec<Option<Box<str>>>,
}

/// A face as embedded: its resource name and the old → new glyph id map.
pub(crate) struct EmbeddedFont {
    pub resource: String,
    pub object: ObjectId,
    /// New glyph id (= CID) by original glyph id.
    cids: Vec<u16>,
}

impl EmbeddedFont {
    /// The glyph id (= CID) to write for an original glyph id.
    pub fn cid(&self, glyph: u16) -> u16 {
        self.cids.get(glyph as usize).copied().unwrap_or(0)
    }
}

/// Collects the glyphs each face draws, by face.
pub(crate) fn usage(document: &Document) -> BTreeMap<FontId, FontUsage> {
    let mut scans: Vec<Scan> = document.fonts.iter().map(|_| Scan::default()).collect();
    for page in &document.pages {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let scan = &mut scans[run.font.0 as usize];
            for glyph in &run.glyphs {
                let g = glyph.id as usize;
                if scan.used.len() <= g {
                    scan.used.resize(g + 1, false);
                    scan.text.resize(g + 1, None);
                }
                scan.used[g] = true;
                if scan.text[g].is_none() && glyph.text.1 > glyph.text.0 {
                    let text = &run.text[glyph.text.0 as usize..glyph.text.1 as usize];
                    scan.text[g] = Some(text.into());
                }
            }
        }
    }
    let mut usage = BTreeMap::new();
    for (i, scan) in scans.into_iter().enumerate() {
        if !scan.used.contains(&true) {
            continue;
        }
        let glyphs = scan
            .used
            .iter()
            .zip(scan.text)
            .enumerate()
            .filter(|(_, (used, _))| **used)
            .map(|(g, (_, text))| (g as u16, text.map(String::from).unwrap_or_default()))
            .collect();
        usage.insert(FontId(i as u16), FontUsage { glyphs });
    }
    usage
}

/// Writes the subset font objects of every used face. `hasher` sees the subset bytes.
pub(crate) fn embed(
    pdf: &mut Pdf,
    document: &Document,
    usage: &BTreeMap<FontId, FontUsage>,
    hasher: &mut Sha256,
) -> BTreeMap<FontId, EmbeddedFont> {
    let mut out = BTreeMap::new();
    for (&id, used) in usage {
        let face = &document.fonts[id.0 as usize];
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        for &glyph in used.glyphs.keys() {
            remapper.remap(glyph);
        }
        let subset = subsetter::subset(&face.data, 0, &remapper)
            .unwrap_or_else(|_| face.data.as_ref().clone());
        hasher.update(&subset);
        let name = format!("{}+{}", subset_tag(face, used), face.name);
        let object = write_font(pdf, face, used, &remapper, &name, subset);
        let mut cids = vec![0u16; face.advances.len().max(1)];
        for (new, old) in remapper.remapped_gids().enumerate() {
            if let Some(slot) = cids.get_mut(old as usize) {
                *slot = new as u16;
            }
        }
        out.insert(
            id,
            EmbeddedFont {
                resource: format!("F{}", id.0),
                object,
                cids,
            },
        );
    }
    out
}

/// Six capital letters naming the subset, derived from the face and its glyphs.
fn subset_tag(face: &FontFace, used: &FontUsage) -> String {
    let mut hash = Sha256::new();
    hash.update(face.name.as_bytes());
    for glyph in used.glyphs.keys() {
        hash.update(glyph.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}

/// A length in font units as PDF glyph space (thousandths of an em).
fn thousandths(face: &FontFace, units: f32) -> i64 {
    (units * 1000.0 / face.units_per_em as f32).round() as i64
}

fn write_font(
    pdf: &mut Pdf,
    face: &FontFace,
    used: &FontUsage,
    remapper: &GlyphRemapper,
    name: &str,
    subset: Vec<u8>,
) -> ObjectId {
    let length1 = subset.len() as i64;
    let file_id = pdf.add_object(compressed_stream(
        dictionary! { "Length1" => length1 },
        subset,
    ));
    let flags = 4 | if face.italic { 64 } else { 0 } | 2;
    let descriptor = pdf.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(name.as_bytes().to_vec()),
        "Flags" => flags,
        "FontBBox" => face.bbox.iter().map(|&v| Object::Integer(thousandths(face, v))).collect::<Vec<_>>(),
        "ItalicAngle" => if face.italic { -12 } else { 0 },
        "Ascent" => thousandths(face, face.ascender),
        "Descent" => thousandths(face, face.descender),
        "CapHeight" => thousandths(face, face.cap_height),
        "StemV" => if face.bold { 120 } else { 80 },
        "FontFile2" => file_id,
    });
    // Widths by new glyph id, in runs of consecutive ids.
    let mut widths = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut first = 0i64;
    for (cid, old) in remapper.remapped_gids().enumerate() {
        if run.is_empty() {
            first = cid as i64;
        }
        run.push(Object::Integer(thousandths(face, face.advance(old) as f32)));
    }
    if !run.is_empty() {
        widths.push(Object::Integer(first));
        widths.push(Object::Array(run));
    }
    let cid_font = pdf.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => Object::Name(name.as_bytes().to_vec()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::String(b"Adobe".to_vec(), StringFormat::Literal),
            "Ordering" => Object::String(b"Identity".to_vec(), StringFormat::Literal),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "W" => widths,
        "CIDToGIDMap" => "Identity",
    });
    let cmap = to_unicode(used, remapper).into_bytes();
    let cmap_id = pdf.add_object(compressed_stream(dictionary! {}, cmap));
    pdf.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(name.as_bytes().to_vec()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_font)],
        "ToUnicode" => cmap_id,
    })
}

/// The ToUnicode CMap: each new glyph id → the UTF-16 of its text.
fn to_unicode(used: &FontUsage, remapper: &GlyphRemapper) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, &str)> = used
        .glyphs
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .filter_map(|(&old, text)| remapper.get(old).map(|cid| (cid, text.as_str())))
        .collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (cid, text) in chunk {
            let _ = write!(cmap, "<{cid:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}
