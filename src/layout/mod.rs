//! Layout: the resolved [`Edition`] → pages of positioned glyph runs, rules, link areas and
//! named destinations. Knows fonts and typography, and nothing of PDF objects.
//!
//! Coordinates are PostScript points with the origin at the **top left** of the page and y
//! growing downwards; a glyph run's `y` is its baseline.
//!
//! The stages, driven by [`Typesetter`] (`book`):
//! 1. load the bundled faces (`fonts`);
//! 2. cut the body into tasks, sections and pieces of the witnesses table and of the
//!    divergence table (`blocks`, `tables`), and set each task in parallel: its flow of
//!    lines (a witness's lines numbered, for `design.line-numbers`), each paragraph shaped
//!    (`shape`), hyphenated (`hyphenate`), broken into lines by total fit (`linebreak`,
//!    `paragraph`) and positioned (`finalize`), then its notes' texts as footnote lines
//!    (`footnotes`), an apparatus entry keyed by the lines its lemma runs over;
//! 3. fill each part's pages with body lines and their footnotes (`pages`), in order;
//! 4. add running heads and folios, paragraph and line numbers in the margins, the title
//!    page, and the contents with page numbers (`furniture`).

mod blocks;
mod book;
mod dump;
mod figures;
mod finalize;
mod fonts;
mod footnotes;
mod furniture;
mod geometry;
pub(crate) mod hyphenate;
mod linebreak;
mod pages;
mod paragraph;
mod shape;
pub mod structure;
mod tables;

pub use book::{PageBatch, Typesetter};
pub use dump::dump;
pub use fonts::{FontFace, FontId};
pub use geometry::Paper;
pub use structure::{Role, Step, Tag};

use crate::model::Edition;
use crate::source::Span;

/// What to lay out, and on what.
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    /// The paper: the command line's `--paper`, else `design.paper`, else A4.
    pub paper: Paper,
    /// The edition's design (its `paper` already settled in `paper`).
    pub design: crate::model::Design,
    /// The build's font set; the text family is `design.font`'s.
    pub fonts: std::sync::Arc<crate::fonts::FontSet>,
    /// A cover image for a first page of its own, with its text alternative; the title page
    /// keeps folio 1.
    pub cover: Option<(std::sync::Arc<ImageData>, String)>,
}

impl LayoutOptions {
    /// The options for `edition`: its design, on the paper of the command line (`paper`) or
    /// of its design, with the build's fonts.
    pub fn for_edition(
        edition: &Edition,
        paper: Option<Paper>,
        fonts: std::sync::Arc<crate::fonts::FontSet>,
    ) -> LayoutOptions {
        let design = &edition.meta.design;
        LayoutOptions {
            paper: paper.or(design.paper).unwrap_or_default(),
            design: design.clone(),
            fonts,
            cover: None,
        }
    }
}

/// A laid-out book: faces, pages, outline. Every page has the same size.
#[derive(Debug, Clone)]
pub struct Document {
    pub fonts: Vec<FontFace>,
    pub pages: Vec<Page>,
    /// Bookmarks in reading order; `level` 0 is a top entry, 1 its child.
    pub outline: Vec<OutlineEntry>,
}

impl Document {
    /// Where each named place landed: every [`Destination`]'s name and the index (in
    /// [`Document::pages`]) of the first page that has it. Occurrences the Index lists,
    /// passages the Chronology dates, notes and headings are all named places.
    pub fn place_pages(&self) -> std::collections::BTreeMap<&str, usize> {
        let mut out = std::collections::BTreeMap::new();
        for (index, page) in self.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Destination(d) = item {
                    out.entry(d.name.as_str()).or_insert(index);
                }
            }
        }
        out
    }
}

/// One page: its size and what is drawn on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// The printed page number, also the page label.
    pub folio: String,
    pub items: Vec<Item>,
    /// Where the page begins in the model, for the ebook's page list.
    pub start: crate::page_list::PageStart,
}

/// Something positioned on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Glyphs(GlyphRun),
    Rule(Rule),
    Link(LinkArea),
    /// A named place links and outline entries point to.
    Destination(Destination),
    /// A raster image filling the rectangle from `(x, y)`, its top-left corner.
    Image {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        image: std::sync::Arc<ImageData>,
        /// Its text alternative.
        alt: String,
        tag: Tag,
    },
}

/// A raster image, as its file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageData {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub pixel_width: u32,
    pub pixel_height: u32,
}

/// The image formats outputs embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

/// Glyphs of one face and size, placed from an origin on the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub font: FontId,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    /// The text the glyphs show (for text extraction).
    pub text: String,
    pub glyphs: Vec<Glyph>,
    pub tag: Tag,
}

/// A glyph: id in its face, position relative to the run origin (x right, y up), and the
/// byte range of [`GlyphRun::text`] it stands for (empty for a second glyph of a cluster).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x: f32,
    pub y: f32,
    pub text: (u32, u32),
}

/// A horizontal rule; `y` is its centre line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub thickness: f32,
    pub tag: Tag,
}

/// A rectangle, from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A clickable area.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub rect: Rect,
    pub target: LinkTarget,
    /// The `Link` element it belongs to.
    pub tag: Tag,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A [`Destination`] name in this document.
    Internal(String),
    /// An external address.
    Uri(String),
}

impl LinkTarget {
    /// Where a link of the model goes in the document: a web address, or the destination
    /// of a place of the book; nowhere for one that cannot be followed.
    pub fn of(link: &crate::model::Link) -> Option<LinkTarget> {
        match link {
            crate::model::Link::Web(url) => Some(LinkTarget::Uri(url.clone())),
            crate::model::Link::Place(id) => Some(LinkTarget::Internal(id.clone())),
            crate::model::Link::Unfollowable { .. } => None,
        }
    }
}

/// A named place: the top-left corner of what a link should show.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    pub name: String,
    pub x: f32,
    pub y: f32,
}

/// A bookmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry {
    pub title: String,
    pub level: u8,
    /// The [`Destination`] it opens.
    pub destination: String,
}

/// Why an edition cannot be laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum LayoutError {
    /// The design does not fit the paper.
    Design(String),
    /// A bundled font could not be read.
    FontMissing { path: String, reason: String },
    /// No bundled face has a glyph for `character`.
    UncoveredCharacter {
        character: char,
        /// Where the character comes from, when it comes from a source file.
        span: Option<Span>,
        /// What was being set (`note 12`, `section 10-a.md`, …).
        context: String,
    },
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutError::Design(message) => f.write_str(message),
            LayoutError::FontMissing { path, reason } => write!(
                f,
                "cannot load the font `{path}`: {reason}; restore the project's `fonts/` folder"
            ),
            LayoutError::UncoveredCharacter {
                character, context, ..
            } => write!(
                f,
                "no font has a glyph for `{character}` (U+{:04X}, {} script) in {context}",
                *character as u32,
                crate::fonts::script_and_suggestion(*character).0
            ),
        }
    }
}

impl std::error::Error for LayoutError {}

/// Whether the layout hyphenates text in the language `tag`.
pub fn has_hyphenation(tag: &str) -> bool {
    hyphenate::language(tag).is_some()
}

/// Lays out an edition into pages: every section and every note it holds (a handout is
/// made beforehand with [`crate::select::only`]). For long editions, [`Typesetter::set`]
/// hands pages on as they are finished instead.
pub fn lay_out(edition: &Edition, options: &LayoutOptions) -> Result<Document, LayoutError> {
    let typesetter = Typesetter::new(options)?;
    let mut pages: Vec<Option<Page>> = Vec::new();
    let outline = typesetter.set(edition, &mut |batch| {
        for (index, page) in batch {
            if pages.len() <= index {
                pages.resize_with(index + 1, || None);
            }
            pages[index] = Some(page);
        }
    })?;
    Ok(Document {
        fonts: typesetter.fonts().to_vec(),
        pages: pages
            .into_iter()
            .map(|p| p.expect("every page is set"))
            .collect(),
        outline,
    })
}

#[cfg(test)]
mod tests;
