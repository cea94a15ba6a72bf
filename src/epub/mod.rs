//! The EPUB renderer: [`Edition`] → an EPUB 3.3 file, streamed to its output.
//!
//! The phases, one file each:
//! 1. **plan** (`Book`, here): which XHTML file holds each section and note;
//! 2. **pages** (`xhtml` for the manuscript's sections and their notes, `pages` for the
//!    generated cover, title page, contents, witnesses and points of divergence), all written
//!    through `text` and `xml` so every character is escaped. The contents page comes before
//!    the chapters but lists their headings, so the pages after it are rendered twice: once,
//!    in parallel, for their headings; then in reading order, a batch at a time, for the book;
//! 3. **package** (`package`): `epub-builder` zips each page as it is rendered (in memory,
//!    compressed) and lays out the OPF, nav and NCX at the end;
//! 4. **fonts** (`fonts`, `subset`): the build's font set, cut down to the characters
//!    the pages used, with their `@font-face` rules (`css`), added last;
//! 5. **archive** (`archive`): the zip is rewritten into the output with fixed timestamps and
//!    a fixed entry order, so identical input gives identical bytes. No page outlives its
//!    batch; the book is held once, compressed.
//!
//! Nothing here reads the clock or the disk: the edition's date stands for "now", and the
//! fonts come in [`EpubOptions`] (the build's [`crate::fonts::FontSet`]).

mod archive;
mod css;
mod fonts;
mod package;
mod pages;
mod subset;
mod text;
mod timeline;
mod xhtml;
mod xml;

use crate::model::{Block, Edition, Inline, Role, Timestamp};
use crate::page_list::PageList;
use pages::PageSource;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{Seek, Write};
use text::PageBreak;

/// What the EPUB needs beyond the edition.
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// The build's fonts, embedded subset to the characters used; the text family is the
    /// one `design.font` names.
    pub fonts: std::sync::Arc<crate::fonts::FontSet>,
    /// The project's `epub.css`, added after the built-in stylesheet.
    pub extra_css: Option<String>,
    /// When the EPUB was made (`SOURCE_DATE_EPOCH`): its `dcterms:modified` and the
    /// archive's entry times. `None` takes midnight of the edition's date; the clock is never
    /// read.
    pub modified: Option<Timestamp>,
    /// The cover image; without one the cover page shows the title, subtitle and editor as
    /// text.
    pub cover: Option<CoverImage>,
}

/// The cover as the EPUB embeds it: the image file's bytes and its text alternative.
#[derive(Debug, Clone)]
pub struct CoverImage {
    pub bytes: Vec<u8>,
    /// A JPEG; otherwise a PNG.
    pub jpeg: bool,
    pub alt: String,
}

impl CoverImage {
    /// Its name in the archive.
    pub(crate) fn file(&self) -> &'static str {
        if self.jpeg {
            "cover.jpg"
        } else {
            "cover.png"
        }
    }

    pub(crate) fn media_type(&self) -> &'static str {
        if self.jpeg {
            "image/jpeg"
        } else {
            "image/png"
        }
    }
}

/// Why an EPUB could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpubError {
    /// A font file cannot be read, parsed or subset.
    Font { file: String, reason: String },
    /// `epub-builder` refused the content.
    Package(String),
    /// The archive could not be put together.
    Archive(String),
    /// The output could not be written.
    Write(String),
}

impl fmt::Display for EpubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EpubError::Font { file, reason } => {
                write!(f, "cannot embed the font `{file}`: {reason}")
            }
            EpubError::Package(reason) => write!(f, "cannot package the EPUB: {reason}"),
            EpubError::Archive(reason) => write!(f, "cannot write the EPUB archive: {reason}"),
            EpubError::Write(reason) => write!(f, "cannot write the EPUB: {reason}"),
        }
    }
}

impl std::error::Error for EpubError {}

impl EpubError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            EpubError::Font { .. } => {
                "replace the file with a TrueType or OpenType (CFF) font, or remove it from `fonts/`"
            }
            EpubError::Package(_) | EpubError::Archive(_) => {
                "this is a bug in Variorum; please report it with the edition that triggers it"
            }
            EpubError::Write(_) => {
                "check that the output folder is writable and the disk is not full; the previous outputs are untouched"
            }
        }
    }
}

/// How many pages are rendered at once, in parallel, before they go into the archive.
const PAGES_PER_BATCH: usize = 32;

/// Renders the edition as an EPUB 3.3 file into `out`, page by page, without the print
/// edition's page numbers.
pub fn write<W: Write + Seek>(
    edition: &Edition,
    options: &EpubOptions,
    out: &mut W,
) -> Result<(), EpubError> {
    write_paged(edition, options, || None, out)
}

/// Renders the edition as an EPUB 3.3 file into `out`, page by page, with the page numbers
/// of the print edition `page_list` gives: a page-break marker where each page begins, the
/// nav's `page-list`, and the accessibility metadata that says so. `page_list` is called
/// once the book is planned (it may wait for the layout).
pub fn write_paged<W: Write + Seek>(
    edition: &Edition,
    options: &EpubOptions,
    page_list: impl FnOnce() -> Option<PageList>,
    out: &mut W,
) -> Result<(), EpubError> {
    // Plan: where every section and note goes, and the pages in reading order.
    let book = Book::new(edition, options.cover.as_ref());
    let order = pages::reading_order(&book);
    let listings = pages::listings(&book, &order);
    let page_list = page_list();
    let mut breaks = page_breaks(page_list.as_ref());
    // Package the pages as they are rendered, noting the characters they use.
    let modified = options.modified.unwrap_or_else(|| edition.meta.midnight());
    let mut package = package::Package::start(
        edition,
        options.cover.as_ref(),
        page_list.as_ref(),
        modified,
    )?;
    package.add_figures(&book.figures)?;
    let mut used = fonts::UsedChars::default();
    let mut placed: Vec<(String, String)> = Vec::new();
    for batch in order.chunks(PAGES_PER_BATCH) {
        let sources: Vec<(PageSource, Vec<PageBreak>)> = batch
            .iter()
            .map(|&page| (page, breaks.remove(&page).unwrap_or_default()))
            .collect();
        let pages: Vec<Page> = sources
            .into_par_iter()
            .map(|(page, breaks)| pages::render(&book, page, &listings, breaks))
            .collect();
        for page in &pages {
            used.add(&page.xhtml);
            package.add(page)?;
            placed.extend(
                page.page_breaks
                    .iter()
                    .map(|label| (page.file.clone(), label.clone())),
            );
        }
    }
    let page_list_nav = page_list.is_some().then(|| package::page_list_nav(&placed));
    // The figures the pages show.
    for section in &edition.sections {
        for block in &section.blocks {
            if let Block::Timeline(timeline) = block {
                let svg = timeline::svg(timeline);
                package.add_image(
                    &timeline::file_name(timeline),
                    svg.as_bytes(),
                    "image/svg+xml",
                )?;
            }
        }
    }
    // Fonts, subset to what the pages show, and the stylesheet that names them.
    let family = match &edition.meta.design.font {
        Some((name, _)) => options.fonts.find_family(name).unwrap_or(name),
        None => crate::fonts::DEFAULT_FAMILY,
    };
    let embedded = fonts::subset(&options.fonts, family, &used.into_set())?;
    let mut stylesheet = css::stylesheet(&embedded);
    if let Some(extra) = &options.extra_css {
        stylesheet.push_str("/* The project's epub.css */\n");
        stylesheet.push_str(extra);
        if !stylesheet.ends_with('\n') {
            stylesheet.push('\n');
        }
    }
    let packed = package.finish(&stylesheet, &embedded)?;
    // Fixed timestamps and order, straight into the output.
    archive::normalise(
        &packed,
        &edition.meta,
        modified,
        package::FIXED,
        &|meta, name, bytes| package::fix_entry(meta, name, bytes, page_list_nav.as_deref()),
        out,
    )
}

/// The pages of the print edition grouped by the document they begin in, each group in
/// order.
fn page_breaks(page_list: Option<&PageList>) -> HashMap<PageSource, Vec<PageBreak>> {
    let mut out: HashMap<PageSource, Vec<PageBreak>> = HashMap::new();
    for page in page_list
        .map(|list| list.pages.as_slice())
        .unwrap_or_default()
    {
        out.entry(pages::source_of(&page.start))
            .or_default()
            .push(PageBreak {
                label: page.label.clone(),
                start: page.start.clone(),
            });
    }
    out
}

/// The plan of the book: where each section and each note lives.
pub(crate) struct Book<'a> {
    pub(crate) edition: &'a Edition,
    pub(crate) cover: Option<&'a CoverImage>,
    /// The XHTML file of each section, by section index.
    section_files: Vec<String>,
    /// The notes of each section, as indexes into `edition.notes`, in number order.
    pub(crate) notes_by_section: Vec<Vec<usize>>,
    /// The file of each [`Block::Entry`] and [`Inline::Target`] id, for links to places, and
    /// whether it is an entry.
    targets: BTreeMap<String, (usize, bool)>,
    /// The figures' images, each file once: `(name in the archive, image)`.
    pub(crate) figures: Vec<(String, std::sync::Arc<crate::layout::ImageData>)>,
    /// The index in `figures` of each figure's path as written.
    figure_files: BTreeMap<String, usize>,
}

/// File names of the generated pages.
pub(crate) const COVER: &str = "cover.xhtml";
pub(crate) const TITLE_PAGE: &str = "title.xhtml";
pub(crate) const CONTENTS: &str = "contents.xhtml";
pub(crate) const WITNESSES: &str = "witnesses.xhtml";
pub(crate) const DIVERGENCES: &str = "divergences.xhtml";
/// The stylesheet every page links to (`epub-builder`'s name for it).
pub(crate) const STYLESHEET: &str = "stylesheet.css";

impl<'a> Book<'a> {
    pub(crate) fn new(edition: &'a Edition, cover: Option<&'a CoverImage>) -> Book<'a> {
        let mut front = 0;
        let mut back = 0;
        let section_files = edition
            .sections
            .iter()
            .map(|s| match (&s.witness, s.role) {
                (Some(w), _) => format!("witness-{}.xhtml", w.sigil.to_ascii_lowercase()),
                (None, Role::Back) => {
                    back += 1;
                    format!("back-{back}.xhtml")
                }
                (None, _) => {
                    front += 1;
                    format!("front-{front}.xhtml")
                }
            })
            .collect();
        let mut notes_by_section = vec![Vec::new(); edition.sections.len()];
        for (index, note) in edition.notes.iter().enumerate() {
            if let Some(list) = notes_by_section.get_mut(note.section) {
                list.push(index);
            }
        }
        let mut targets = BTreeMap::new();
        for (index, section) in edition.sections.iter().enumerate() {
            for block in &section.blocks {
                if let Block::Entry { id, .. } = block {
                    targets.insert(id.clone(), (index, true));
                }
            }
            crate::model::for_each_inline(&section.blocks, &mut |inline| {
                if let Inline::Target { id } = inline {
                    targets.insert(id.clone(), (index, false));
                }
            });
        }
        let mut figures = Vec::new();
        let mut figure_files = BTreeMap::new();
        for section in &edition.sections {
            crate::model::walk_figures(&section.blocks, &mut |figure| {
                if let Some(image) = &figure.image {
                    figure_files.entry(figure.path.clone()).or_insert_with(|| {
                        let extension = match image.format {
                            crate::layout::ImageFormat::Png => "png",
                            crate::layout::ImageFormat::Jpeg => "jpg",
                        };
                        figures.push((
                            format!("figures/figure-{}.{extension}", figures.len() + 1),
                            image.clone(),
                        ));
                        figures.len() - 1
                    });
                }
            });
        }
        Book {
            edition,
            cover,
            section_files,
            notes_by_section,
            targets,
            figures,
            figure_files,
        }
    }

    /// The archive name of the image of the figure written with `path`.
    pub(crate) fn figure_file(&self, path: &str) -> Option<&str> {
        let index = *self.figure_files.get(path)?;
        Some(self.figures[index].0.as_str())
    }

    pub(crate) fn section_file(&self, section: usize) -> &str {
        &self.section_files[section]
    }

    /// The note `notes[index]` from another file.
    pub(crate) fn note_href(&self, index: usize) -> String {
        let note = &self.edition.notes[index];
        format!("{}#note-{}", self.section_file(note.section), note.number)
    }

    /// The address of the place `id` of the book, if it has one of that name.
    pub(crate) fn target_href(&self, id: &str) -> Option<String> {
        let (section, _) = self.targets.get(id)?;
        Some(format!("{}#{id}", self.section_file(*section)))
    }

    /// Whether the place `id` is an entry of the back matter (a work cited), rather than a
    /// place in a text.
    pub(crate) fn links_to_entry(&self, id: &str) -> bool {
        self.targets.get(id).is_some_and(|(_, entry)| *entry)
    }

    /// A witness's row on the Witnesses page.
    pub(crate) fn witness_href(&self, sigil: &str) -> String {
        format!("{WITNESSES}#witness-{sigil}")
    }

    /// A note's row in the table of points of divergence.
    pub(crate) fn divergence_href(&self, number: usize) -> String {
        format!("{DIVERGENCES}#divergence-{number}")
    }
}

/// One XHTML document of the book, in reading order.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) file: String,
    /// The title in the table of contents.
    pub(crate) title: String,
    pub(crate) kind: PageKind,
    pub(crate) xhtml: String,
    /// Sub-entries of the table of contents: `(fragment id, title)`.
    pub(crate) headings: Vec<(String, String)>,
    /// The labels of the print edition's pages that begin here, in order.
    pub(crate) page_breaks: Vec<String>,
}

/// What a page is, for landmarks and the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    Cover,
    TitlePage,
    Contents,
    Front,
    Witnesses,
    Witness,
    Back,
    Divergences,
}
