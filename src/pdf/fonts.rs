//! Embedding the faces a document uses: a subset of each (the `subsetter` crate) written as
//! a Type 0 font over a CIDFontType2 with Identity encoding. CIDs are the face's own glyph
//! ids, so pages can be written before the subset is known (in parallel, as they come); a
//! CIDToGIDMap maps them to the subset's ids. Widths, and a ToUnicode CMap that maps every
//! glyph back to the text it stands for (ligatures to several characters).

use std::fmt::Write as _;
use std::io;

use super::compressed;
use super::file::PdfFile;
use super::object::{Dictionary, Object, ObjectId};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::layout::{FontFace, FontId, Item, Page};

/// The glyphs pages draw, by face, and the text each stands for (the first non-empty
/// text seen for it), gathered page by page.
#[derive(Default)]
pub(crate) struct Usage {
    faces: Vec<Scan>,
}

/// Glyph use in one face: dense by glyph id, for speed.
#[derive(Default)]
struct Scan {
    used: Vec<bool>,
    text: Vec<Option<Box<str>>>,
}

impl Scan {
    fn glyphs(&self) -> impl Iterator<Item = u16> + '_ {
        self.used
            .iter()
            .enumerate()
            .filter(|(_, used)| **used)
            .map(|(g, _)| g as u16)
    }
}

impl Usage {
    /// Records the glyphs of a page.
    pub fn record(&mut self, page: &Page) {
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let face = run.font.0 as usize;
            if self.faces.len() <= face {
                self.faces.resize_with(face + 1, Scan::default);
            }
            let scan = &mut self.faces[face];
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
}

/// Writes the subset font objects of every face used, as `(face, font object)`, and feeds
/// the subset bytes to `hasher`. Pages name a face `/F{id}` and write glyph ids as they
/// are in the face: each font's CIDToGIDMap maps them to the subset's glyph ids.
pub(crate) fn embed<W: io::Write>(
    pdf: &mut PdfFile<W>,
    faces: &[FontFace],
    usage: &Usage,
    hasher: &mut Sha256,
) -> io::Result<Vec<(FontId, ObjectId)>> {
    let mut out = Vec::new();
    for (i, scan) in usage.faces.iter().enumerate() {
        if !scan.used.contains(&true) {
            continue;
        }
        let face = &faces[i];
        let mut remapper = GlyphRemapper::new();
        remapper.remap(0);
        for glyph in scan.glyphs() {
            remapper.remap(glyph);
        }
        let subset = subsetter::subset(&face.data, face.index, &remapper)
            .unwrap_or_else(|_| face.data.as_ref().clone());
        hasher.update(&subset);
        let name = format!("{}+{}", subset_tag(face, scan), face.name);
        out.push((
            FontId(i as u16),
            write_font(pdf, face, scan, &remapper, &name, subset)?,
        ));
    }
    Ok(out)
}

/// The resource name pages use for a face.
pub(crate) fn resource_name(font: FontId) -> String {
    format!("F{}", font.0)
}

/// Six capital letters naming the subset, derived from the face and its glyphs.
fn subset_tag(face: &FontFace, scan: &Scan) -> String {
    let mut hash = Sha256::new();
    hash.update(face.name.as_bytes());
    for glyph in scan.glyphs() {
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

fn write_font<W: io::Write>(
    pdf: &mut PdfFile<W>,
    face: &FontFace,
    scan: &Scan,
    remapper: &GlyphRemapper,
    name: &str,
    subset: Vec<u8>,
) -> io::Result<ObjectId> {
    let length1 = subset.len() as i64;
    let (dict, bytes) = compressed(Dictionary::new().with("Length1", length1), subset);
    let file_id = pdf.add_stream(dict, &bytes)?;
    let flags = 4 | if face.italic { 64 } else { 0 } | 2;
    let bbox: Vec<Object> = face
        .bbox
        .iter()
        .map(|&v| thousandths(face, v).into())
        .collect();
    let descriptor = pdf.add(
        &Dictionary::new()
            .with("Type", "FontDescriptor")
            .with("FontName", Object::name(name))
            .with("Flags", flags)
            .with("FontBBox", bbox)
            .with("ItalicAngle", if face.italic { -12 } else { 0 })
            .with("Ascent", thousandths(face, face.ascender))
            .with("Descent", thousandths(face, face.descender))
            .with("CapHeight", thousandths(face, face.cap_height))
            .with("StemV", if face.bold { 120 } else { 80 })
            .with("FontFile2", file_id)
            .into(),
    )?;
    // Widths by CID (the face's glyph id), in runs of consecutive ids.
    let mut widths: Vec<Object> = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut next = None;
    for glyph in scan.glyphs() {
        if next != Some(glyph) {
            if !run.is_empty() {
                widths.push(Object::Array(std::mem::take(&mut run)));
            }
            widths.push(Object::Integer(i64::from(glyph)));
        }
        run.push(Object::Integer(thousandths(
            face,
            face.advance(glyph) as f32,
        )));
        next = glyph.checked_add(1);
    }
    if !run.is_empty() {
        widths.push(Object::Array(run));
    }
    // CID → subset glyph id, two bytes each.
    let last = scan.glyphs().last().unwrap_or(0);
    let mut map = vec![0u8; 2 * (last as usize + 1)];
    for glyph in scan.glyphs() {
        let new = remapper.get(glyph).unwrap_or(0);
        map[2 * glyph as usize..2 * glyph as usize + 2].copy_from_slice(&new.to_be_bytes());
    }
    let (dict, bytes) = compressed(Dictionary::new(), map);
    let map_id = pdf.add_stream(dict, &bytes)?;
    let cid_font = pdf.add(
        &Dictionary::new()
            .with("Type", "Font")
            .with("Subtype", "CIDFontType2")
            .with("BaseFont", Object::name(name))
            .with(
                "CIDSystemInfo",
                Dictionary::new()
                    .with("Registry", Object::Literal(b"Adobe".to_vec()))
                    .with("Ordering", Object::Literal(b"Identity".to_vec()))
                    .with("Supplement", 0),
            )
            .with("FontDescriptor", descriptor)
            .with("W", widths)
            .with("CIDToGIDMap", map_id)
            .into(),
    )?;
    let (dict, bytes) = compressed(Dictionary::new(), to_unicode(scan).into_bytes());
    let cmap_id = pdf.add_stream(dict, &bytes)?;
    pdf.add(
        &Dictionary::new()
            .with("Type", "Font")
            .with("Subtype", "Type0")
            .with("BaseFont", Object::name(name))
            .with("Encoding", "Identity-H")
            .with("DescendantFonts", vec![Object::Reference(cid_font)])
            .with("ToUnicode", cmap_id)
            .into(),
    )
}

/// The ToUnicode CMap: each CID (the face's glyph id) → the UTF-16 of its text.
fn to_unicode(scan: &Scan) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, &str)> = scan
        .glyphs()
        .filter_map(|g| Some((g, scan.text[g as usize].as_deref()?)))
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
