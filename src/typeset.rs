//! The typeset step, between the model and the PDF: lays the edition out on the build's
//! paper with [`crate::layout::Typesetter`] and streams its pages, batch by batch as the
//! layout finishes them, to [`crate::pdf::PdfWriter`], which only serializes them. On the
//! way it records where each page begins ([`crate::page_list`]), for the ebook's page
//! list, and builds the PDF's metadata from the edition.

use std::io::{self, Write};

use crate::layout::{ImageData, ImageFormat, LayoutError, LayoutOptions, Page, Paper, Typesetter};
use crate::model::{Edition, Timestamp};
use crate::page_list::{PageList, PrintPage};
use crate::pdf::{Archival, PdfMeta, PdfWriter, Standards};

/// What to typeset on, and what the PDF claims. A handout is made beforehand, with
/// [`crate::select::only`].
#[derive(Debug, Clone, Default)]
pub struct TypesetOptions {
    /// The build's font set.
    pub fonts: std::sync::Arc<crate::fonts::FontSet>,
    /// The paper chosen on the command line, over the edition's `design.paper`.
    pub paper: Option<Paper>,
    /// When the PDF was made (`SOURCE_DATE_EPOCH`): its creation and modification dates.
    /// `None` takes midnight of the edition's date; the clock is never read.
    pub modified: Option<Timestamp>,
    /// The cover image, as the first page, with its text alternative.
    pub cover: Option<(std::sync::Arc<ImageData>, String)>,
    /// The standards the file is written to meet.
    pub standards: Standards,
}

impl TypesetOptions {
    /// The paper the edition is set on: the command line's, else its design's, else A4.
    pub fn paper_for(&self, edition: &Edition) -> Paper {
        self.paper.or(edition.meta.design.paper).unwrap_or_default()
    }
}

/// Why an edition could not be typeset into a PDF.
#[derive(Debug)]
pub enum TypesetError {
    /// The edition could not be set (fonts, uncovered characters).
    Layout(LayoutError),
    /// The content cannot meet a standard asked for: what violates it, where.
    Standard {
        message: String,
        span: Option<crate::source::Span>,
        hint: String,
    },
    /// The output could not be written.
    Write(io::Error),
}

impl std::fmt::Display for TypesetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypesetError::Layout(e) => e.fmt(f),
            TypesetError::Standard { message, .. } => f.write_str(message),
            TypesetError::Write(e) => write!(f, "cannot write the PDF: {e}"),
        }
    }
}

impl std::error::Error for TypesetError {}

/// Lays out `edition` and writes its PDF to `out` as the layout finishes pages, so the file
/// is never held in memory; returns `out` when done. With no `out`, the pages are laid out
/// and dropped (an EPUB built alone still gets the print edition's page numbers). As soon
/// as every page is set, and before the PDF is finished, `paginated` gets the page list.
pub fn typeset<W: Write>(
    edition: &Edition,
    options: &TypesetOptions,
    out: Option<W>,
    paginated: impl FnOnce(PageList),
) -> Result<Option<W>, TypesetError> {
    if out.is_some() {
        check_standards(edition, options)?;
    }
    let layout = LayoutOptions {
        cover: options.cover.clone(),
        ..LayoutOptions::for_edition(edition, options.paper, options.fonts.clone())
    };
    let typesetter = Typesetter::new(&layout).map_err(TypesetError::Layout)?;
    let mut writer = match out {
        Some(out) => Some(PdfWriter::new(typesetter.fonts(), out).map_err(TypesetError::Write)?),
        None => None,
    };
    let mut pages: Vec<Option<PrintPage>> = Vec::new();
    // The first write error stops the writing; the layout runs on (it cannot be
    // interrupted) and the error is returned at the end.
    let mut failed: Option<io::Error> = None;
    let outline = typesetter
        .set(edition, &mut |batch| {
            for (index, page) in &batch {
                record(&mut pages, *index, page);
            }
            if let (Some(writer), None) = (&mut writer, &failed) {
                let batch: Vec<(usize, &Page)> = batch.iter().map(|(i, p)| (*i, p)).collect();
                failed = writer.add(&batch).err();
            }
        })
        .map_err(TypesetError::Layout)?;
    paginated(PageList {
        source: source_name(edition, options.paper_for(edition)),
        pages: pages
            .into_iter()
            .map(|page| page.expect("every page is set"))
            .collect(),
    });
    if let Some(e) = failed {
        return Err(TypesetError::Write(e));
    }
    let Some(writer) = writer else {
        return Ok(None);
    };
    let meta = pdf_meta(edition, options);
    writer
        .finish(&outline, &meta)
        .map(Some)
        .map_err(TypesetError::Write)
}

/// [`typeset`] into memory: the PDF's bytes.
pub fn pdf(edition: &Edition, options: &TypesetOptions) -> Result<Vec<u8>, TypesetError> {
    let out = typeset(edition, options, Some(Vec::new()), drop)?;
    Ok(out.unwrap_or_default())
}

/// Notes where page `index` begins, under the label the PDF gives it.
fn record(pages: &mut Vec<Option<PrintPage>>, index: usize, page: &Page) {
    if pages.len() <= index {
        pages.resize_with(index + 1, || None);
    }
    pages[index] = Some(PrintPage {
        label: page.folio.clone(),
        start: page.start.clone(),
    });
}

/// The print edition the page numbers come from: the edition's title, its paper, and the
/// witnesses of a handout.
fn source_name(edition: &Edition, paper: Paper) -> String {
    let mut name = format!(
        "{}, PDF edition, {}",
        edition.meta.title,
        crate::page_list::paper_name(paper)
    );
    if let Some(sigla) = &edition.meta.selection {
        name.push_str(&format!(", handout of witnesses {}", sigla.join(", ")));
    }
    name
}

/// The document information of the PDF, from the edition.
pub fn pdf_meta(edition: &Edition, options: &TypesetOptions) -> PdfMeta {
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
        modified: options.modified.unwrap_or_else(|| meta.midnight()),
        standards: options.standards,
    }
}

/// Refuses, before anything is set, content the standards asked for cannot hold: PDF/UA-1
/// needs a title; PDF/A's sRGB output intent cannot describe a CMYK image.
fn check_standards(edition: &Edition, options: &TypesetOptions) -> Result<(), TypesetError> {
    let standards = options.standards;
    if standards.ua1 && edition.meta.title.trim().is_empty() {
        return Err(TypesetError::Standard {
            message: "PDF/UA-1 needs a document title, and the edition has none".into(),
            span: None,
            hint: "give the edition a `title:`, or build with `--pdf-standard none`".into(),
        });
    }
    let Some(archival) = standards.archival else {
        return Ok(());
    };
    let name = match archival {
        Archival::A2b => "PDF/A-2b",
        Archival::A3b => "PDF/A-3b",
    };
    let cmyk = |image: &ImageData| {
        image.format == ImageFormat::Jpeg && crate::pdf::jpeg_components(&image.bytes) == Some(4)
    };
    let mut found: Option<(String, Option<crate::source::Span>)> = None;
    for section in &edition.sections {
        crate::model::walk_figures(&section.blocks, &mut |figure| {
            if found.is_none() && figure.image.as_deref().is_some_and(cmyk) {
                found = Some((format!("the figure `{}`", figure.path), Some(figure.span)));
            }
        });
    }
    if found.is_none() && options.cover.as_ref().is_some_and(|(image, _)| cmyk(image)) {
        found = Some(("the cover image".into(), None));
    }
    match found {
        Some((what, span)) => Err(TypesetError::Standard {
            message: format!(
                "{name}: {what} is a CMYK JPEG, which the file's sRGB output intent cannot describe"
            ),
            span,
            hint: "save the image as an RGB JPEG or a PNG, or build without PDF/A (`--pdf-standard ua-1`)"
                .into(),
        }),
        None => Ok(()),
    }
}
