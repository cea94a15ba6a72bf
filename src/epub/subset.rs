//! Font subsetting for the ebook: `subsetter` keeps the outlines, metrics and names of the
//! glyphs the book uses, and this module gives the result back what an ebook reader needs
//! and a PDF does not: a `cmap` (characters to the new glyph ids, formats 4 and 12) and the
//! original `OS/2` table. The table directory is then rebuilt with fresh checksums.
//!
//! What is lost, knowingly: OpenType layout (`GSUB`, `GPOS`, `kern`), so readers set the text
//! without kerning or ligatures, and synthesise small capitals. The `OS/2` character ranges
//! still describe the whole font, which readers use only as hints.

use std::collections::BTreeMap;
use ttf_parser::Tag;

/// `data` (one TrueType or CFF font) cut down to the glyphs of `chars`.
pub(crate) fn subset_face(data: &[u8], index: u32, chars: &[char]) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(data, index).map_err(|e| e.to_string())?;
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut old: Vec<(char, u16)> = Vec::with_capacity(chars.len());
    for &c in chars {
        if let Some(gid) = face.glyph_index(c) {
            remapper.remap(gid.0);
            old.push((c, gid.0));
        }
    }
    let cut = subsetter::subset(data, index, &remapper).map_err(|e| e.to_string())?;
    let map: BTreeMap<u32, u16> = old
        .iter()
        .filter_map(|&(c, gid)| remapper.get(gid).map(|new| (c as u32, new)))
        .collect();
    let mut tables = read_tables(&cut).ok_or("the subset font is malformed")?;
    tables.retain(|(tag, _)| *tag != Tag::from_bytes(b"cmap"));
    tables.push((Tag::from_bytes(b"cmap"), cmap(&map)));
    let os2 = Tag::from_bytes(b"OS/2");
    if let Some(table) = face.raw_face().table(os2) {
        if !tables.iter().any(|(tag, _)| *tag == os2) {
            tables.push((os2, table.to_vec()));
        }
    }
    let sfnt_version = u32::from_be_bytes(cut[0..4].try_into().map_err(|_| "short font")?);
    Ok(write_font(sfnt_version, tables))
}

/// The tables of a single font file, as `(tag, bytes)`.
fn read_tables(font: &[u8]) -> Option<Vec<(Tag, Vec<u8>)>> {
    let count = u16::from_be_bytes(font.get(4..6)?.try_into().ok()?) as usize;
    let mut tables = Vec::with_capacity(count + 2);
    for i in 0..count {
        let record = font.get(12 + 16 * i..12 + 16 * (i + 1))?;
        let tag = Tag::from_bytes(record[0..4].try_into().ok()?);
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        tables.push((tag, font.get(offset..offset.checked_add(length)?)?.to_vec()));
    }
    Some(tables)
}

/// A `cmap` with a format 4 subtable (Windows BMP) and a format 12 one (Windows full).
fn cmap(map: &BTreeMap<u32, u16>) -> Vec<u8> {
    let runs = merge_runs(map);
    let bmp: Vec<(u32, u32, u16)> = runs
        .iter()
        .filter(|(s, _, _)| *s <= 0xFFFF)
        .map(|&(s, e, g)| (s, e.min(0xFFFE), g))
        .take(MAX_FORMAT4_RUNS)
        .collect();
    let f4 = format4(&bmp);
    let f12 = format12(&runs);
    let mut out = Vec::new();
    push16(&mut out, 0); // version
    push16(&mut out, 2); // subtables
    let first = 4 + 8 * 2;
    for (encoding, offset) in [(1u16, first), (10u16, first + f4.len())] {
        push16(&mut out, 3);
        push16(&mut out, encoding);
        push32(&mut out, offset as u32);
    }
    out.extend(f4);
    out.extend(f12);
    out
}

/// Format 4 has 16-bit lengths: past this many segments the BMP table is cut short, and
/// readers use the format 12 table, which has them all.
const MAX_FORMAT4_RUNS: usize = 8000;

/// `(first char, last char, glyph of the first char)` for runs where both characters and
/// glyph ids go up by one.
fn merge_runs(map: &BTreeMap<u32, u16>) -> Vec<(u32, u32, u16)> {
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for (&c, &g) in map {
        if let Some((start, end, gid)) = runs.last_mut() {
            if *end + 1 == c && u32::from(*gid) + (c - *start) == u32::from(g) {
                *end = c;
                continue;
            }
        }
        runs.push((c, c, g));
    }
    runs
}

fn format4(runs: &[(u32, u32, u16)]) -> Vec<u8> {
    let mut segments: Vec<(u16, u16, u16)> = runs
        .iter()
        .map(|&(s, e, g)| (s as u16, e as u16, g.wrapping_sub(s as u16)))
        .collect();
    segments.push((0xFFFF, 0xFFFF, 1));
    let seg_count = segments.len() as u16;
    let power = largest_power_of_two(seg_count);
    let search_range = 2 * power;
    let entry_selector = power.trailing_zeros() as u16;
    let mut out = Vec::new();
    push16(&mut out, 4);
    push16(&mut out, (16 + 8 * segments.len()) as u16);
    push16(&mut out, 0); // language
    push16(&mut out, seg_count * 2);
    push16(&mut out, search_range);
    push16(&mut out, entry_selector);
    push16(&mut out, seg_count * 2 - search_range);
    segments.iter().for_each(|s| push16(&mut out, s.1));
    push16(&mut out, 0); // reserved
    segments.iter().for_each(|s| push16(&mut out, s.0));
    segments.iter().for_each(|s| push16(&mut out, s.2));
    segments.iter().for_each(|_| push16(&mut out, 0)); // idRangeOffset
    out
}

fn format12(runs: &[(u32, u32, u16)]) -> Vec<u8> {
    let mut out = Vec::new();
    push16(&mut out, 12);
    push16(&mut out, 0);
    push32(&mut out, (16 + 12 * runs.len()) as u32);
    push32(&mut out, 0); // language
    push32(&mut out, runs.len() as u32);
    for &(s, e, g) in runs {
        push32(&mut out, s);
        push32(&mut out, e);
        push32(&mut out, u32::from(g));
    }
    out
}

/// An sfnt file from its tables: sorted directory, 4-byte aligned tables, checksums and the
/// `head` table's checksum adjustment.
fn write_font(sfnt_version: u32, mut tables: Vec<(Tag, Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| *tag);
    let count = tables.len() as u16;
    let power = largest_power_of_two(count);
    let mut out = Vec::new();
    push32(&mut out, sfnt_version);
    push16(&mut out, count);
    push16(&mut out, power * 16);
    push16(&mut out, power.trailing_zeros() as u16);
    push16(&mut out, count * 16 - power * 16);
    let head = Tag::from_bytes(b"head");
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if *tag == head && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset);
        }
        out.extend(tag.to_bytes());
        push32(&mut out, checksum(data));
        push32(&mut out, offset as u32);
        push32(&mut out, data.len() as u32);
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// The largest power of two not above `n` (`n` ≥ 1).
fn largest_power_of_two(n: u16) -> u16 {
    1 << (15 - n.max(1).leading_zeros())
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

fn push16(out: &mut Vec<u8>, v: u16) {
    out.extend(v.to_be_bytes());
}

fn push32(out: &mut Vec<u8>, v: u32) {
    out.extend(v.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_consecutive_characters_and_glyphs_only() {
        let map: BTreeMap<u32, u16> = [(65, 3), (66, 4), (67, 5), (69, 6), (70, 9), (0x1F600, 10)]
            .into_iter()
            .collect();
        assert_eq!(
            merge_runs(&map),
            vec![
                (65, 67, 3),
                (69, 69, 6),
                (70, 70, 9),
                (0x1F600, 0x1F600, 10)
            ]
        );
    }

    #[test]
    fn cmap_tables_map_every_character() {
        let map: BTreeMap<u32, u16> = [(32, 1), (65, 2), (66, 3), (0x416, 4), (0x1F600, 5)]
            .into_iter()
            .collect();
        let table = cmap(&map);
        let cmap = ttf_parser::cmap::Table::parse(&table).expect("a cmap");
        for (&c, &g) in &map {
            let found = cmap
                .subtables
                .into_iter()
                .filter(|s| s.is_unicode())
                .filter_map(|s| s.glyph_index(c))
                .collect::<Vec<_>>();
            assert!(
                !found.is_empty() && found.iter().all(|x| x.0 == g),
                "{c:#x}: {found:?}"
            );
        }
        assert_eq!(largest_power_of_two(1), 1);
        assert_eq!(largest_power_of_two(5), 4);
        assert_eq!(largest_power_of_two(8), 8);
    }
}
