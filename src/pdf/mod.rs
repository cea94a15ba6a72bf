//! PDF export: serializes laid-out pages ([`crate::layout::Document`]) into PDF bytes. It
//! decides nothing about where text goes.
//!
//! The objects are written with `lopdf` 0.44, the object layer `printpdf` 0.12 is built on,
//! rather than with `printpdf`'s page API. With its default features off, `printpdf` embeds
//! whole fonts (its subsetter lives behind the `text_layout` feature, which pulls in a slow
//! HTML layout engine), maps each glyph to one character in its ToUnicode (ligatures lose
//! letters), writes bookmarks flat and sorted by page and title, and stamps the current time.
//! Here each face is subset with `subsetter` and written as a CID font with our own ToUnicode,
//! links and a nested outline in reading order are written directly, and every byte depends
//! only on the input: no clock, ordered maps only, the document ID hashed from the content.

mod content;
mod fonts;
mod navigation;

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::{dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::layout::{
    Document, FontFace, Item, LayoutError, LayoutOptions, LinkArea, OutlineEntry, Page, Paper,
    Typesetter,
};
use crate::model::Edition;

/// What to build: paper and creation date. A handout is made beforehand, with
/// [`crate::select::only`].
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub paper: Paper,
    /// The creation date: an ISO date or date-time, or seconds since 1970 (as in
    /// `SOURCE_DATE_EPOCH`). `None` uses the edition's date.
    pub date: Option<String>,
}

/// The document information written into the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    /// BCP 47 language tag.
    pub language: String,
    /// ISO date or date-time, or seconds since 1970.
    pub date: String,
}

impl PdfMeta {
    /// Metadata from the edition; `date` overrides the edition's date.
    pub fn from_edition(edition: &Edition, date: Option<&str>) -> PdfMeta {
        let meta = &edition.meta;
        let sigla: Vec<&str> = edition.witnesses().map(|(_, w)| w.sigil.as_str()).collect();
        PdfMeta {
            title: meta.title.clone(),
            author: meta.editor.clone(),
            subject: meta
                .subtitle
                .clone()
                .unwrap_or_else(|| "A critical edition".into()),
            keywords: format!("critical edition; witnesses {}", sigla.join(", ")),
            language: meta.language.clone(),
            date: date.unwrap_or(&meta.date).to_string(),
        }
    }
}

/// Lays out `edition` with the fonts of the project at `project_root` and exports it, page
/// batches serialized as the layout finishes them.
pub fn build(
    edition: &Edition,
    project_root: &Path,
    options: &PdfOptions,
) -> Result<Vec<u8>, LayoutError> {
    let layout = LayoutOptions {
        paper: options.paper,
        fonts_dir: project_root.join("fonts"),
    };
    let typesetter = Typesetter::new(&layout)?;
    let mut writer = Writer::new(typesetter.fonts());
    let outline = typesetter.set(edition, &mut |batch| {
        let pages: Vec<(usize, &Page)> = batch.iter().map(|(i, p)| (*i, p)).collect();
        writer.add(&pages);
    })?;
    Ok(writer.finish(
        &outline,
        &PdfMeta::from_edition(edition, options.date.as_deref()),
    ))
}

/// Serializes a laid-out document.
pub fn export(document: &Document, meta: &PdfMeta) -> Vec<u8> {
    let mut writer = Writer::new(&document.fonts);
    let pages: Vec<(usize, &Page)> = document.pages.iter().enumerate().collect();
    writer.add(&pages);
    writer.finish(&document.outline, meta)
}

/// A PDF being written: pages come in batches, in any order of their indices; fonts,
/// navigation and metadata are written at the end.
struct Writer<'f> {
    pdf: Pdf,
    faces: &'f [FontFace],
    usage: fonts::Usage,
    /// The page objects by index, allocated as indices are seen.
    page_ids: Vec<ObjectId>,
    /// What each page object needs at the end: content stream, size, link areas.
    pages: Vec<Option<PageObject>>,
    destinations: BTreeMap<String, navigation::Place>,
    /// Sees every content stream and font subset, for the document ID.
    hasher: Sha256,
}

struct PageObject {
    content: ObjectId,
    width: f32,
    height: f32,
    links: Vec<LinkArea>,
}

impl<'f> Writer<'f> {
    fn new(faces: &'f [FontFace]) -> Writer<'f> {
        Writer {
            pdf: Pdf::with_version("1.7"),
            faces,
            usage: fonts::Usage::default(),
            page_ids: Vec::new(),
            pages: Vec::new(),
            destinations: BTreeMap::new(),
            hasher: Sha256::new(),
        }
    }

    fn page_id(&mut self, index: usize) -> ObjectId {
        while self.page_ids.len() <= index {
            let id = self.pdf.new_object_id();
            self.page_ids.push(id);
        }
        self.page_ids[index]
    }

    /// Writes the content streams of a batch of pages (in parallel) and records what the
    /// page objects will need.
    fn add(&mut self, batch: &[(usize, &Page)]) {
        let faces = self.faces;
        let streams: Vec<Stream> = batch
            .par_iter()
            .map(|(_, page)| compressed_stream(dictionary! {}, content::page_content(faces, page)))
            .collect();
        for (&(index, page), stream) in batch.iter().zip(streams) {
            self.hasher.update(&stream.content);
            let content = self.pdf.add_object(stream);
            let id = self.page_id(index);
            navigation::add_destinations(&mut self.destinations, page, id);
            self.usage.record(page);
            if self.pages.len() <= index {
                self.pages.resize_with(index + 1, || None);
            }
            self.pages[index] = Some(PageObject {
                content,
                width: page.width,
                height: page.height,
                links: page
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Link(link) => Some(link.clone()),
                        _ => None,
                    })
                    .collect(),
            });
        }
    }

    /// Writes fonts, page objects, navigation and metadata; returns the file.
    fn finish(mut self, outline: &[OutlineEntry], meta: &PdfMeta) -> Vec<u8> {
        let mut pdf = std::mem::take(&mut self.pdf);
        // Fonts: subsets of the faces the pages use.
        let embedded = fonts::embed(&mut pdf, self.faces, &self.usage, &mut self.hasher);
        let font_resources: lopdf::Dictionary = embedded
            .iter()
            .map(|&(face, object)| (fonts::resource_name(face), Object::Reference(object)))
            .collect();
        let resources = pdf.add_object(dictionary! { "Font" => font_resources });

        // Pages.
        let pages_id = pdf.new_object_id();
        let border = pdf.add_object(vec![0.into(), 0.into(), 0.into()]);
        for (index, page) in self.pages.iter().enumerate() {
            let page = page.as_ref().expect("every page index is given a page");
            let annotations = navigation::links(
                &mut pdf,
                page.height,
                &page.links,
                &self.destinations,
                border,
            );
            let mut dict = dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(page.width), Object::Real(page.height)],
                "Contents" => page.content,
                "Resources" => resources,
            };
            if !annotations.is_empty() {
                dict.set("Annots", annotations);
            }
            pdf.objects
                .insert(self.page_ids[index], Object::Dictionary(dict));
        }
        pdf.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => self.page_ids.iter().map(|&id| Object::Reference(id)).collect::<Vec<_>>(),
                "Count" => self.page_ids.len() as i64,
            }),
        );

        // Navigation, metadata, catalog.
        let outline = navigation::outline(&mut pdf, outline, &self.destinations);
        let date = pdf_date(&meta.date);
        for text in [
            &meta.title,
            &meta.author,
            &meta.subject,
            &meta.keywords,
            &meta.language,
            &date,
        ] {
            self.hasher.update(text.as_bytes());
        }
        let info = pdf.add_object(dictionary! {
            "Title" => text_string(&meta.title),
            "Author" => text_string(&meta.author),
            "Subject" => text_string(&meta.subject),
            "Keywords" => text_string(&meta.keywords),
            "Creator" => text_string("Variorum"),
            "Producer" => text_string("Variorum"),
            "CreationDate" => Object::String(date.clone().into_bytes(), StringFormat::Literal),
            "ModDate" => Object::String(date.into_bytes(), StringFormat::Literal),
        });
        let mut catalog = dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "Lang" => text_string(&meta.language),
            "Dests" => navigation::dests_dictionary(&self.destinations),
            "ViewerPreferences" => dictionary! { "DisplayDocTitle" => true },
            "PageLabels" => dictionary! { "Nums" => vec![0.into(), dictionary! { "S" => "D" }.into()] },
        };
        if let Some(outline) = outline {
            catalog.set("Outlines", outline);
            catalog.set("PageMode", "UseOutlines");
        }
        let catalog = pdf.add_object(catalog);
        let id = self.hasher.finalize()[..16].to_vec();
        pdf.trailer.set("Root", catalog);
        pdf.trailer.set("Info", info);
        pdf.trailer.set(
            "ID",
            vec![
                Object::String(id.clone(), StringFormat::Hexadecimal),
                Object::String(id, StringFormat::Hexadecimal),
            ],
        );
        let mut out = Vec::new();
        pdf.save_to(&mut out)
            .expect("writing a PDF to memory cannot fail");
        out
    }
}

/// A stream compressed with Flate when that makes it smaller. The fastest level: the best
/// one costs several times the time for a few percent of size.
pub(crate) fn compressed_stream(mut dict: lopdf::Dictionary, bytes: Vec<u8>) -> Stream {
    use std::io::Write;
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
        Some(mut packed) => {
            // Kept until the file is written: no spare capacity.
            packed.shrink_to_fit();
            dict.set("Filter", "FlateDecode");
            Stream::new(dict, packed).with_compression(false)
        }
        None => Stream::new(dict, bytes).with_compression(false),
    }
}

/// A PDF text string: literal when printable ASCII, else UTF-16BE with a byte order mark.
pub(crate) fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// `D:YYYYMMDDHHmmSSZ` from an ISO date (`2016`, `2016-12`, `2016-12-31`, with an optional
/// `THH:MM:SS`) or from seconds since 1970. Missing parts are the start of the period.
pub(crate) fn pdf_date(date: &str) -> String {
    let date = date.trim();
    if !date.is_empty() && date.bytes().all(|b| b.is_ascii_digit()) && date.len() != 4 {
        if let Ok(seconds) = date.parse::<i64>() {
            return from_epoch(seconds);
        }
    }
    let digits: Vec<u32> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let part = |i: usize, default: u32| digits.get(i).copied().unwrap_or(default);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        part(0, 1970),
        part(1, 1).clamp(1, 12),
        part(2, 1).clamp(1, 31),
        part(3, 0).min(23),
        part(4, 0).min(59),
        part(5, 0).min(59)
    )
}

/// Civil date and time (UTC) of a count of seconds since 1970.
fn from_epoch(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = crate::civil_from_days(days);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_iso_strings_and_epoch_seconds() {
        assert_eq!(pdf_date("2026-11-22"), "D:20261122000000Z");
        assert_eq!(pdf_date("2016"), "D:20160101000000Z");
        assert_eq!(pdf_date("2016-12-31T10:20:30Z"), "D:20161231102030Z");
        assert_eq!(pdf_date("0"), "D:19700101000000Z");
        assert_eq!(pdf_date("1700000000"), "D:20231114221320Z");
        assert_eq!(pdf_date("951782400"), "D:20000229000000Z");
    }

    #[test]
    fn text_strings_use_utf16_beyond_ascii() {
        assert_eq!(
            text_string("A"),
            Object::String(b"A".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            text_string("é"),
            Object::String(vec![0xFE, 0xFF, 0x00, 0xE9], StringFormat::Hexadecimal)
        );
    }
}
