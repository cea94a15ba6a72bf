//! PDF export: serializes laid-out pages ([`crate::layout::Document`]) into PDF bytes. It
//! decides nothing about where text goes.
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
mod navigation;
mod object;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use chrono::{Datelike, Timelike};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::layout::{
    Document, FontFace, Item, LayoutError, LayoutOptions, LinkArea, OutlineEntry, Page, Paper,
    Typesetter,
};
use crate::model::{Edition, Timestamp};
use file::PdfFile;
use object::{text_string, Dictionary, Object, ObjectId};

/// What to build: paper and creation time. A handout is made beforehand, with
/// [`crate::select::only`].
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The paper chosen on the command line, over the edition's `design.paper`.
    pub paper: Option<Paper>,
    /// When the PDF was made (`SOURCE_DATE_EPOCH`): its creation and modification dates.
    /// `None` takes midnight of the edition's date; the clock is never read.
    pub modified: Option<Timestamp>,
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
    /// The creation and modification date.
    pub modified: Timestamp,
}

impl PdfMeta {
    /// Metadata from the edition; `modified`, when given, replaces midnight of the edition's
    /// date.
    pub fn from_edition(edition: &Edition, modified: Option<Timestamp>) -> PdfMeta {
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
            modified: modified.unwrap_or_else(|| meta.midnight()),
        }
    }
}

/// Why a PDF could not be built.
#[derive(Debug)]
pub enum PdfError {
    /// The edition could not be set (fonts, uncovered characters).
    Layout(LayoutError),
    /// The output could not be written.
    Write(io::Error),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Layout(e) => e.fmt(f),
            PdfError::Write(e) => write!(f, "cannot write the PDF: {e}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Lays out `edition` with the fonts of the project at `project_root` and writes the PDF to
/// `out` as the layout finishes pages: content streams are written batch by batch, so the
/// file is never held in memory. Returns `out` when done.
pub fn build<W: Write>(
    edition: &Edition,
    project_root: &Path,
    options: &PdfOptions,
    out: W,
) -> Result<W, PdfError> {
    let layout = LayoutOptions {
        paper: options
            .paper
            .or(edition.meta.design.paper)
            .unwrap_or_default(),
        design: edition.meta.design.clone(),
        fonts_dir: project_root.join("fonts"),
    };
    let typesetter = Typesetter::new(&layout).map_err(PdfError::Layout)?;
    let mut writer = Writer::new(typesetter.fonts(), out).map_err(PdfError::Write)?;
    // The first write error stops the writing; the layout runs on (it cannot be
    // interrupted) and the error is returned at the end.
    let mut failed: Option<io::Error> = None;
    let outline = typesetter
        .set(edition, &mut |batch| {
            if failed.is_none() {
                let pages: Vec<(usize, &Page)> = batch.iter().map(|(i, p)| (*i, p)).collect();
                failed = writer.add(&pages).err();
            }
        })
        .map_err(PdfError::Layout)?;
    if let Some(e) = failed {
        return Err(PdfError::Write(e));
    }
    writer
        .finish(&outline, &PdfMeta::from_edition(edition, options.modified))
        .map_err(PdfError::Write)
}

/// Serializes a laid-out document into memory.
pub fn export(document: &Document, meta: &PdfMeta) -> Vec<u8> {
    let written = Writer::new(&document.fonts, Vec::new()).and_then(|mut writer| {
        let pages: Vec<(usize, &Page)> = document.pages.iter().enumerate().collect();
        writer.add(&pages)?;
        writer.finish(&document.outline, meta)
    });
    written.expect("writing a PDF to memory cannot fail")
}

/// A PDF being written: pages come in batches, in any order of their indices, and their
/// content streams are written at once; fonts, page objects, navigation and metadata are
/// written at the end.
struct Writer<'f, W: Write> {
    file: PdfFile<W>,
    faces: &'f [FontFace],
    usage: fonts::Usage,
    /// The page objects by index, reserved as indices are seen.
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

impl<'f, W: Write> Writer<'f, W> {
    fn new(faces: &'f [FontFace], out: W) -> io::Result<Writer<'f, W>> {
        Ok(Writer {
            file: PdfFile::new(out)?,
            faces,
            usage: fonts::Usage::default(),
            page_ids: Vec::new(),
            pages: Vec::new(),
            destinations: BTreeMap::new(),
            hasher: Sha256::new(),
        })
    }

    fn page_id(&mut self, index: usize) -> ObjectId {
        while self.page_ids.len() <= index {
            let id = self.file.reserve();
            self.page_ids.push(id);
        }
        self.page_ids[index]
    }

    /// Writes the content streams of a batch of pages (compressed in parallel) and records
    /// what the page objects will need.
    fn add(&mut self, batch: &[(usize, &Page)]) -> io::Result<()> {
        let faces = self.faces;
        let streams: Vec<(Dictionary, Vec<u8>)> = batch
            .par_iter()
            .map(|(_, page)| compressed(Dictionary::new(), content::page_content(faces, page)))
            .collect();
        for (&(index, page), (dict, bytes)) in batch.iter().zip(streams) {
            self.hasher.update(&bytes);
            let content = self.file.add_stream(dict, &bytes)?;
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
        Ok(())
    }

    /// Writes fonts, page objects, navigation and metadata, then the cross-reference table;
    /// returns the output.
    fn finish(mut self, outline: &[OutlineEntry], meta: &PdfMeta) -> io::Result<W> {
        let file = &mut self.file;
        // Fonts: subsets of the faces the pages use.
        let embedded = fonts::embed(file, self.faces, &self.usage, &mut self.hasher)?;
        let font_resources: Dictionary = embedded
            .iter()
            .map(|&(face, object)| (fonts::resource_name(face), object))
            .collect();
        let resources = file.add(&Dictionary::new().with("Font", font_resources).into())?;

        // Pages, each after its link annotations.
        let pages_id = file.reserve();
        let border = file.add(&vec![0.into(), 0.into(), 0.into()].into())?;
        for (index, page) in self.pages.iter().enumerate() {
            let page = page
                .as_ref()
                .ok_or_else(|| io::Error::other(format!("page {index} was never laid out")))?;
            let annotations =
                navigation::links(file, page.height, &page.links, &self.destinations, border)?;
            let mut dict = Dictionary::new()
                .with("Type", "Page")
                .with("Parent", pages_id)
                .with(
                    "MediaBox",
                    vec![0.into(), 0.into(), page.width.into(), page.height.into()],
                )
                .with("Contents", page.content)
                .with("Resources", resources);
            if !annotations.is_empty() {
                dict.set("Annots", annotations);
            }
            file.write(self.page_ids[index], &dict.into())?;
        }
        let kids: Vec<Object> = self.page_ids.iter().map(|&id| id.into()).collect();
        file.write(
            pages_id,
            &Dictionary::new()
                .with("Type", "Pages")
                .with("Kids", kids)
                .with("Count", self.page_ids.len() as i64)
                .into(),
        )?;

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
            &date,
        ] {
            self.hasher.update(text.as_bytes());
        }
        let info = file.add(
            &Dictionary::new()
                .with("Title", text_string(&meta.title))
                .with("Author", text_string(&meta.author))
                .with("Subject", text_string(&meta.subject))
                .with("Keywords", text_string(&meta.keywords))
                .with("Creator", text_string("Variorum"))
                .with("Producer", text_string("Variorum"))
                .with("CreationDate", Object::Literal(date.clone().into_bytes()))
                .with("ModDate", Object::Literal(date.into_bytes()))
                .into(),
        )?;
        let mut catalog = Dictionary::new()
            .with("Type", "Catalog")
            .with("Pages", pages_id)
            .with("Lang", text_string(&meta.language))
            .with("Dests", dests)
            .with(
                "ViewerPreferences",
                Dictionary::new().with("DisplayDocTitle", true),
            )
            .with(
                "PageLabels",
                Dictionary::new().with(
                    "Nums",
                    vec![0.into(), Dictionary::new().with("S", "D").into()],
                ),
            );
        if let Some(outline) = outline {
            catalog.set("Outlines", outline);
            catalog.set("PageMode", "UseOutlines");
        }
        let catalog = file.add(&catalog.into())?;
        let id = self.hasher.finalize()[..16].to_vec();
        self.file.finish(catalog, info, &id)
    }
}

/// A stream's dictionary and bytes, compressed with Flate when that makes it smaller. The
/// fastest level: the best one costs several times the time for a few percent of size.
pub(crate) fn compressed(mut dict: Dictionary, bytes: Vec<u8>) -> (Dictionary, Vec<u8>) {
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
        Some(packed) => {
            dict.set("Filter", "FlateDecode");
            (dict, packed)
        }
        None => (dict, bytes),
    }
}

/// `D:YYYYMMDDHHmmSSZ`, the PDF's form of a date.
fn pdf_date(time: Timestamp) -> String {
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_pdf_form() {
        let at = |seconds| pdf_date(chrono::DateTime::from_timestamp(seconds, 0).unwrap());
        assert_eq!(at(0), "D:19700101000000Z");
        assert_eq!(at(1_700_000_000), "D:20231114221320Z");
        assert_eq!(at(951_782_400), "D:20000229000000Z");
        assert_eq!(at(253_402_300_799), "D:99991231235959Z");
    }
}
