//! Embedding the faces a document uses: a subset of each (the `subsetter` crate) written as
//! a Type 0 font over a CIDFontType2 with Identity encoding. CIDs are the face's own glyph
//! ids, so pages can be written before the subset is known (in parallel, as they come); a
//! CIDToGIDMap maps them to the subset's ids. Widths, and a ToUnicode CMap that maps every
//! glyph back to the text it stands for (ligatures to several characters).

use std::io;

use super::compressed;
use super::file::PdfFile;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Name, Rect, Ref, Str};
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
) -> io::Result<Vec<(FontId, Ref)>> {
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
) -> io::Result<Ref> {
    let length1 = subset.len() as i32;
    let (filter, bytes) = compressed(subset);
    let file_id = pdf.add(|c, id| {
        let mut stream = c.stream(id, &bytes);
        stream.pair(Name(b"Length1"), length1);
        if let Some(filter) = filter {
            stream.filter(filter);
        }
    })?;
    let mut flags = FontFlags::SYMBOLIC | FontFlags::SERIF;
    if face.italic {
        flags |= FontFlags::ITALIC;
    }
    let units = |v: f32| thousandths(face, v) as f32;
    let descriptor = pdf.add(|c, id| {
        c.font_descriptor(id)
            .name(Name(name.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                units(face.bbox[0]),
                units(face.bbox[1]),
                units(face.bbox[2]),
                units(face.bbox[3]),
            ))
            .italic_angle(if face.italic { -12.0 } else { 0.0 })
            .ascent(units(face.ascender))
            .descent(units(face.descender))
            .cap_height(units(face.cap_height))
            .stem_v(if face.bold { 120.0 } else { 80.0 })
            .font_file2(file_id);
    })?;
    // Widths by CID (the face's glyph id), in runs of consecutive ids.
    let mut runs: Vec<(u16, Vec<f32>)> = Vec::new();
    for glyph in scan.glyphs() {
        let width = thousandths(face, face.advance(glyph) as f32) as f32;
        match runs.last_mut() {
            Some((first, widths)) if *first as usize + widths.len() == glyph as usize => {
                widths.push(width)
            }
            _ => runs.push((glyph, vec![width])),
        }
    }
    // CID → subset glyph id, two bytes each.
    let last = scan.glyphs().last().unwrap_or(0);
    let mut map = vec![0u8; 2 * (last as usize + 1)];
    for glyph in scan.glyphs() {
        let new = remapper.get(glyph).unwrap_or(0);
        map[2 * glyph as usize..2 * glyph as usize + 2].copy_from_slice(&new.to_be_bytes());
    }
    let map_id = add_stream(pdf, map)?;
    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let cid_font = pdf.add(|c, id| {
        let mut font = c.cid_font(id);
        font.subtype(CidFontType::Type2)
            .base_font(Name(name.as_bytes()))
            .system_info(system_info)
            .font_descriptor(descriptor)
            .cid_to_gid_map_stream(map_id);
        let mut widths = font.widths();
        for (first, run) in &runs {
            widths.consecutive(*first, run.iter().copied());
        }
    })?;
    let cmap_id = add_stream(pdf, to_unicode(scan))?;
    pdf.add(|c, id| {
        c.type0_font(id)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(cmap_id);
    })
}

/// Writes a stream of `bytes`, compressed when that makes it smaller.
fn add_stream<W: io::Write>(pdf: &mut PdfFile<W>, bytes: Vec<u8>) -> io::Result<Ref> {
    let (filter, bytes) = compressed(bytes);
    pdf.add(|c, id| {
        let mut stream = c.stream(id, &bytes);
        if let Some(filter) = filter {
            stream.filter(filter);
        }
    })
}

/// The ToUnicode CMap: each CID (the face's glyph id) → the text it stands for, several
/// characters for a ligature.
fn to_unicode(scan: &Scan) -> Vec<u8> {
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"UCS"),
        supplement: 0,
    };
    let mut cmap = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), info);
    for glyph in scan.glyphs() {
        if let Some(text) = scan.text[glyph as usize].as_deref() {
            cmap.pair_with_multiple(glyph, text.chars());
        }
    }
    cmap.finish().into_vec()
}
