//! PDF export: serializes laid-out pages ([`crate::layout::Page`]) into PDF bytes, whole
//! ([`write`]) or streamed a batch at a time ([`PdfWriter`]). It decides nothing about
//! where text goes, and knows nothing of the edition: the caller ([`crate::typeset`]) sets
//! the pages and gives the document information ([`PdfMeta`]).
//!
//! The file is written by hand (`object` and `file`), as it is made: content streams as
//! the layout finishes their pages, then fonts, page objects, navigation and the
//! cross-reference table. Only offsets and link areas stay in memory. `printpdf` and the
//! `lopdf` object layer it is built on hold the whole document as objects and serialize it
//! into one buffer at the end; for a 1,000-copy edition that was three copies of a 190 MB
//! file in memory. `printpdf` also, with its default features off, embeds whole fonts, maps
//! each glyph to one character in its ToUnicode (ligatures lose letters), writes bookmarks
//! flat and sorted by page, and stamps the current time. Here each face is subset with
//! `subsetter` and written as a CID font with our own ToUnicode, links and a nested outline
//! in reading order are written directly, and every byte depends only on the input: no
//! clock, ordered maps only, the document ID hashed from the content.

mod content;
mod file;
mod fonts;
mod icc;
mod navigation;
mod tags;

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{Datelike, Timelike};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::layout::{
    Document, FontFace, ImageData, ImageFormat, Item, LinkTarget, OutlineEntry, Page, Rect, Tag,
};
use crate::model::Timestamp;
use file::PdfFile;
use pdf_writer::types::{NumberingStyle, OutputIntentSubtype, PageMode, TabOrder};
use pdf_writer::writers::{Catalog, DocumentInfo, PageLabel, Resources};
use pdf_writer::{Date, Filter, Name, Rect as PdfRect, Ref, TextStr};

/// The document information written into the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    /// BCP 47 language tag.
    pub language: String,
    /// The creation and modification date.
    pub modified: Timestamp,
    /// The standards the file is written to meet.
    pub standards: Standards,
}

/// The standards a PDF is written to meet: PDF/UA-1 (accessible) and a part of PDF/A
/// (archival), level B. The default is PDF/UA-1 alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standards {
    pub ua1: bool,
    pub archival: Option<Archival>,
}

impl Default for Standards {
    fn default() -> Standards {
        Standards {
            ua1: true,
            archival: None,
        }
    }
}

/// A part of PDF/A at level B (the visual appearance kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archival {
    A2b,
    A3b,
}

impl Archival {
    pub(crate) fn part(self) -> i32 {
        match self {
            Archival::A2b => 2,
            Archival::A3b => 3,
        }
    }
}

impl std::str::FromStr for Standards {
    type Err = String;

    /// `ua-1`, `a-2b`, `a-3b`, `none`, or a comma-separated combination (`ua-1,a-2b`).
    fn from_str(text: &str) -> Result<Standards, String> {
        let mut out = Standards {
            ua1: false,
            archival: None,
        };
        for name in text.split(',').map(str::trim) {
            let archival = match name.to_ascii_lowercase().as_str() {
                "ua-1" => {
                    out.ua1 = true;
                    continue;
                }
                "none" if text.trim().eq_ignore_ascii_case("none") => continue,
                "a-2b" => Archival::A2b,
                "a-3b" => Archival::A3b,
                _ => {
                    return Err(format!(
                        "unknown PDF standard `{name}`; use ua-1, a-2b, a-3b, a combination \
                         such as `ua-1,a-2b`, or none"
                    ))
                }
            };
            if out.archival.is_some_and(|a| a != archival) {
                return Err("a PDF meets one part of PDF/A: choose a-2b or a-3b".into());
            }
            out.archival = Some(archival);
        }
        Ok(out)
    }
}

/// Serializes a laid-out document into memory. Long documents are streamed instead, a
/// batch of pages at a time, with [`PdfWriter`].
pub fn write(document: &Document, meta: &PdfMeta) -> Vec<u8> {
    let written = PdfWriter::new(&document.fonts, Vec::new()).and_then(|mut writer| {
        let pages: Vec<(usize, &Page)> = document.pages.iter().enumerate().collect();
        writer.add(&pages)?;
        writer.finish(&document.outline, meta)
    });
    written.expect("writing a PDF to memory cannot fail")
}

/// A PDF being written to its output: pages come in batches, in any order of their
/// indices, and their content streams are written at once (only offsets and link areas
/// stay in memory); fonts, page objects, navigation and metadata are written at the end.
pub struct PdfWriter<'f, W: Write> {
    file: PdfFile<W>,
    faces: &'f [FontFace],
    usage: fonts::Usage,
    /// The page objects by index, reserved as indices are seen.
    page_ids: Vec<Ref>,
    /// What each page object needs at the end: content stream, size, link areas.
    pages: Vec<Option<PageObject>>,
    destinations: BTreeMap<String, navigation::Place>,
    /// Sees every content stream and font subset, for the document ID.
    hasher: Sha256,
    /// The image XObjects, by resource name.
    images: Vec<(String, Ref)>,
    /// The structure tree, as the pages' tags give it.
    tree: tags::Tree,
}

struct PageObject {
    /// The page label when it is not the page's number (the cover's).
    label: Option<String>,
    content: Ref,
    width: f32,
    height: f32,
    /// Its link areas: where, to what, the annotation object and its number among the
    /// structure tree's annotations.
    links: Vec<(Rect, LinkTarget, Ref, usize)>,
}

impl<'f, W: Write> PdfWriter<'f, W> {
    /// Starts a PDF drawn with `faces` (the typesetter's) into `out`.
    pub fn new(faces: &'f [FontFace], out: W) -> io::Result<PdfWriter<'f, W>> {
        let mut file = PdfFile::new(out)?;
        let tree = tags::Tree::new(&mut file);
        Ok(PdfWriter {
            file,
            tree,
            faces,
            usage: fonts::Usage::default(),
            page_ids: Vec::new(),
            pages: Vec::new(),
            destinations: BTreeMap::new(),
            hasher: Sha256::new(),
            images: Vec::new(),
        })
    }

    fn page_id(&mut self, index: usize) -> Ref {
        while self.page_ids.len() <= index {
            let id = self.file.reserve();
            self.page_ids.push(id);
        }
        self.page_ids[index]
    }

    /// Writes the content streams of a batch of pages (compressed in parallel) and records
    /// what the page objects will need.
    pub fn add(&mut self, batch: &[(usize, &Page)]) -> io::Result<()> {
        let faces = self.faces;
        let streams: Vec<(Option<Filter>, Vec<u8>, Vec<_>)> = batch
            .par_iter()
            .map(|(index, page)| {
                let content =
                    content::page_content(faces, *index, page).map_err(io::Error::other)?;
                let (filter, bytes) = compressed(content.bytes);
                Ok((filter, bytes, content.mcids))
            })
            .collect::<io::Result<_>>()?;
        for (&(index, page), (filter, bytes, mcids)) in batch.iter().zip(streams) {
            self.hasher.update(&bytes);
            let id = self.page_id(index);
            self.tree.page(&mcids, index, id, &mut self.file)?;
            let mut links = Vec::new();
            for item in &page.items {
                let Item::Link(link) = item else {
                    continue;
                };
                let path = match &link.tag {
                    Tag::Content(path) if link.tag.is_rooted() => path,
                    _ => {
                        return Err(io::Error::other(format!(
                            "page {}: a link the layout did not tag as content",
                            index + 1
                        )))
                    }
                };
                let annotation = self.file.reserve();
                let number = self
                    .tree
                    .annotation(path, index, id, annotation, &mut self.file)?;
                links.push((link.rect, link.target.clone(), annotation, number));
            }
            let content = self.file.add(|c, id| {
                let mut stream = c.stream(id, &bytes);
                if let Some(filter) = filter {
                    stream.filter(filter);
                }
            })?;
            let images = page.items.iter().filter_map(|item| match item {
                Item::Image { image, .. } => Some(image),
                _ => None,
            });
            for (k, image) in images.enumerate() {
                let xobject = image_xobject(image)?;
                self.hasher.update(&xobject.bytes);
                let id = self.file.add(|c, id| xobject.write(c, id))?;
                self.images.push((content::image_name(index, k), id));
            }
            navigation::add_destinations(&mut self.destinations, page, id);
            self.usage.record(page);
            if self.pages.len() <= index {
                self.pages.resize_with(index + 1, || None);
            }
            self.pages[index] = Some(PageObject {
                label: page
                    .folio
                    .parse::<usize>()
                    .is_err()
                    .then(|| page.folio.clone()),
                content,
                width: page.width,
                height: page.height,
                links,
            });
        }
        Ok(())
    }

    /// Writes fonts, page objects, navigation and metadata, then the cross-reference table;
    /// returns the output.
    pub fn finish(mut self, outline: &[OutlineEntry], meta: &PdfMeta) -> io::Result<W> {
        let file = &mut self.file;
        // Fonts: subsets of the faces the pages use; one resource dictionary for all pages.
        let embedded = fonts::embed(file, self.faces, &self.usage, &mut self.hasher)?;
        let images = &self.images;
        let resources = file.add(|c, id| {
            let mut resources = c.indirect(id).start::<Resources>();
            let mut fonts = resources.fonts();
            for &(face, object) in &embedded {
                fonts.pair(Name(fonts::resource_name(face).as_bytes()), object);
            }
            drop(fonts);
            if !images.is_empty() {
                let mut xobjects = resources.x_objects();
                for (name, id) in images {
                    xobjects.pair(Name(name.as_bytes()), *id);
                }
            }
        })?;

        // Pages, each after its link annotations.
        let pages_id = file.reserve();
        let pages_count = self.pages.len();
        for (index, page) in self.pages.iter().enumerate() {
            let page = page
                .as_ref()
                .ok_or_else(|| io::Error::other(format!("page {index} was never laid out")))?;
            let page_id = self.page_ids[index];
            let links: Vec<navigation::PlacedLink> = page
                .links
                .iter()
                .map(|(rect, target, id, number)| navigation::PlacedLink {
                    rect: *rect,
                    target: target.clone(),
                    id: *id,
                    key: (pages_count + number) as i32,
                })
                .collect();
            navigation::links(file, page.height, &links, &self.destinations)?;
            let annotations: Vec<Ref> = links.iter().map(|link| link.id).collect();
            file.object(page_id, |c| {
                let mut object = c.page(page_id);
                object
                    .parent(pages_id)
                    .media_box(PdfRect::new(0.0, 0.0, page.width, page.height))
                    .contents(page.content)
                    .struct_parents(index as i32)
                    .pair(Name(b"Resources"), resources);
                if !annotations.is_empty() {
                    object.annotations(annotations.iter().copied());
                    // Tab order follows the structure.
                    object.tab_order(TabOrder::StructureOrder);
                }
            })?;
        }
        let page_ids = &self.page_ids;
        file.object(pages_id, |c| {
            c.pages(pages_id)
                .kids(page_ids.iter().copied())
                .count(page_ids.len() as i32);
        })?;

        // Navigation, metadata, catalog.
        let outline = navigation::outline(file, outline, &self.destinations)?;
        let dests = navigation::write_dests(file, &self.destinations)?;
        let date = pdf_date(meta.modified);
        for text in [
            &meta.title,
            &meta.author,
            &meta.subject,
            &meta.keywords,
            &meta.language,
        ] {
            self.hasher.update(text.as_bytes());
        }
        self.hasher.update(format!("{date:?}").as_bytes());
        let info = file.add(|c, id| {
            c.indirect(id)
                .start::<DocumentInfo>()
                .title(TextStr(&meta.title))
                .author(TextStr(&meta.author))
                .subject(TextStr(&meta.subject))
                .keywords(TextStr(&meta.keywords))
                .creator(TextStr("Variorum"))
                .producer(TextStr("Variorum"))
                .creation_date(date)
                .modified_date(date);
        })?;
        let structure = self.tree.write(file, pages_count)?;
        let xmp = metadata(meta);
        self.hasher.update(xmp.as_bytes());
        let xmp = file.add(|c, id| {
            c.metadata(id, xmp.as_bytes());
        })?;
        let profile = match meta.standards.archival {
            Some(_) => {
                let (filter, bytes) = compressed(icc::srgb());
                Some(file.add(|c, id| {
                    let mut stream = c.icc_profile(id, &bytes);
                    stream.n(3);
                    if let Some(filter) = filter {
                        stream.filter(filter);
                    }
                })?)
            }
            None => None,
        };
        // Pages are numbered from the first that has no label of its own (after the cover).
        let cover_label = match self.pages.first() {
            Some(Some(PageObject {
                label: Some(label), ..
            })) => Some(label.clone()),
            _ => None,
        };
        let mut labels = Vec::new();
        if let Some(label) = &cover_label {
            let cover = file.add(|c, id| {
                c.indirect(id).start::<PageLabel>().prefix(TextStr(label));
            })?;
            labels.push((0, cover));
        }
        let numbered = file.add(|c, id| {
            c.indirect(id)
                .start::<PageLabel>()
                .style(NumberingStyle::Arabic);
        })?;
        labels.push((i32::from(cover_label.is_some()), numbered));
        let catalog = file.add(|c, id| {
            let mut catalog = c.indirect(id).start::<Catalog>();
            catalog
                .pages(pages_id)
                .lang(TextStr(&meta.language))
                .metadata(xmp)
                .pair(Name(b"Dests"), dests);
            catalog.mark_info().marked(true);
            catalog.pair(Name(b"StructTreeRoot"), structure);
            catalog.viewer_preferences().display_doc_title(true);
            let mut page_labels = catalog.page_labels();
            let mut nums = page_labels.nums();
            for (from, label) in &labels {
                nums.insert(*from, *label);
            }
            drop(nums);
            drop(page_labels);
            if let Some(outline) = outline {
                catalog.outlines(outline).page_mode(PageMode::UseOutlines);
            }
            if let Some(profile) = profile {
                // PDF/A: the colours are meant for an sRGB display.
                catalog
                    .output_intents()
                    .push()
                    .subtype(OutputIntentSubtype::PDFA)
                    .output_condition_identifier(TextStr(icc::DESCRIPTION))
                    .info(TextStr(icc::DESCRIPTION))
                    .dest_output_profile(profile);
            }
        })?;
        let id = self.hasher.finalize()[..16].to_vec();
        self.file.finish(catalog, info, &id)
    }
}

/// An image XObject's bytes and how to read them.
struct ImageXObject {
    width: i32,
    height: i32,
    space: ColorSpaceName,
    filter: Option<Filter>,
    bytes: Vec<u8>,
}

#[derive(Clone, Copy)]
enum ColorSpaceName {
    Gray,
    Rgb,
    Cmyk,
}

impl ImageXObject {
    fn write(&self, chunk: &mut pdf_writer::Chunk, id: Ref) {
        let mut image = chunk.image_xobject(id, &self.bytes);
        image
            .width(self.width)
            .height(self.height)
            .bits_per_component(8);
        match self.space {
            ColorSpaceName::Gray => image.color_space().device_gray(),
            ColorSpaceName::Rgb => image.color_space().device_rgb(),
            ColorSpaceName::Cmyk => image.color_space().device_cmyk(),
        }
        if let Some(filter) = self.filter {
            image.filter(filter);
        }
    }
}

/// An image as an XObject: a JPEG as it is (`DCTDecode`); a PNG decoded, laid on white and
/// compressed with Flate.
fn image_xobject(image: &ImageData) -> io::Result<ImageXObject> {
    let (width, height) = (image.pixel_width as i32, image.pixel_height as i32);
    match image.format {
        ImageFormat::Jpeg => Ok(ImageXObject {
            width,
            height,
            space: match jpeg_components(&image.bytes) {
                Some(1) => ColorSpaceName::Gray,
                Some(4) => ColorSpaceName::Cmyk,
                _ => ColorSpaceName::Rgb,
            },
            filter: Some(Filter::DctDecode),
            bytes: image.bytes.clone(),
        }),
        ImageFormat::Png => {
            let pixmap = resvg::tiny_skia::Pixmap::decode_png(&image.bytes)
                .map_err(|e| io::Error::other(format!("cannot decode the cover PNG: {e}")))?;
            // Premultiplied colour over white: c + (255 − alpha).
            let rgb: Vec<u8> = pixmap
                .pixels()
                .iter()
                .flat_map(|p| {
                    let under = 255 - p.alpha();
                    [p.red() + under, p.green() + under, p.blue() + under]
                })
                .collect();
            let (filter, bytes) = compressed(rgb);
            Ok(ImageXObject {
                width,
                height,
                space: ColorSpaceName::Rgb,
                filter,
                bytes,
            })
        }
    }
}

/// The number of colour components in a JPEG's frame header.
pub(crate) fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    let mut at = 2;
    while at + 9 < bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            return Some(bytes[at + 9]);
        }
        at += 2 + length;
    }
    None
}

/// Stream bytes, compressed with Flate when that makes them smaller, and the filter that
/// reads them. The fastest level: the best one costs several times the time for a few
/// percent of size.
pub(crate) fn compressed(bytes: Vec<u8>) -> (Option<Filter>, Vec<u8>) {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::fast(),
    );
    let packed = encoder
        .write_all(&bytes)
        .and_then(|()| encoder.finish())
        .ok()
        .filter(|packed| packed.len() < bytes.len());
    match packed {
        Some(packed) => (Some(Filter::FlateDecode), packed),
        None => (None, bytes),
    }
}

/// The document's XMP metadata: what the document information says, and the standards the
/// file claims to meet (PDF/UA-1, PDF/A-2b or -3b), as those standards ask.
fn metadata(meta: &PdfMeta) -> String {
    let time = meta.modified;
    let when = xmp_writer::DateTime {
        year: time.year() as u16,
        month: Some(time.month() as u8),
        day: Some(time.day() as u8),
        hour: Some(time.hour() as u8),
        minute: Some(time.minute() as u8),
        second: Some(time.second() as u8),
        timezone: Some(xmp_writer::Timezone::Utc),
    };
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.title([(None, meta.title.as_str())]);
    xmp.creator([meta.author.as_str()]);
    xmp.description([(None, meta.subject.as_str())]);
    xmp.language([xmp_writer::LangId(meta.language.as_str())]);
    xmp.format("application/pdf");
    xmp.pdf_keywords(&meta.keywords);
    xmp.producer("Variorum");
    xmp.creator_tool("Variorum");
    xmp.create_date(when);
    xmp.modify_date(when);
    xmp.metadata_date(when);
    if meta.standards.ua1 {
        xmp.pdfua_part(1);
    }
    if let Some(archival) = meta.standards.archival {
        xmp.pdfa_part(archival.part());
        xmp.pdfa_conformance("B");
        if meta.standards.ua1 {
            // PDF/A knows `pdfuaid` only when the file describes it.
            xmp.extension_schemas()
                .pdfua_id()
                .properties()
                .describe_part();
        }
    }
    xmp.finish(None)
}

/// A time as the PDF's date (UTC).
fn pdf_date(time: Timestamp) -> Date {
    Date::new(time.year() as u16)
        .month(time.month() as u8)
        .day(time.day() as u8)
        .hour(time.hour() as u8)
        .minute(time.minute() as u8)
        .second(time.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standards_from_the_command_line() {
        let parse = |t: &str| t.parse::<Standards>();
        assert_eq!(parse("ua-1").unwrap(), Standards::default());
        let both = parse("UA-1, a-2b").unwrap();
        assert!(both.ua1 && both.archival == Some(Archival::A2b));
        let none = parse("none").unwrap();
        assert!(!none.ua1 && none.archival.is_none());
        assert!(parse("a-2b,a-3b").is_err(), "one part of PDF/A");
        assert!(parse("none,ua-1").is_err(), "none is alone");
        assert!(parse("a-4").unwrap_err().contains("a-4"));
    }
}
