//! The resolved edition: what every renderer reads.
//!
//! Loading produces sections of blocks made of inline runs, each with its source span; resolving
//! anchors the notes and inserts a [`Inline::NoteRef`] after each anchor. Renderers walk
//! [`Edition::sections`] in reading order and never look at files again.

use crate::source::Span;

/// A whole edition after loading and resolving: metadata, sections in reading order, notes.
#[derive(Debug, Clone)]
pub struct Edition {
    pub meta: EditionMeta,
    /// Front sections, then witnesses, then back sections, each group in file-name order.
    pub sections: Vec<Section>,
    /// Notes in reading order; `notes[i].number == i + 1`.
    pub notes: Vec<Note>,
}

/// The `edition:` block of `footnotes.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub editor: String,
    /// BCP 47 language tag.
    pub language: String,
    pub identifier: String,
    /// The edition's date (`YYYY-MM-DD` in the apparatus), shown on the title pages.
    pub date: chrono::NaiveDate,
}

/// A moment in UTC, as the outputs' timestamps record it.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

impl EditionMeta {
    /// Midnight (UTC) at the start of the edition's date: the outputs' timestamps when
    /// `SOURCE_DATE_EPOCH` does not say otherwise.
    pub fn midnight(&self) -> Timestamp {
        self.date.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

/// Where a section stands in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Front,
    Witness,
    Back,
}

/// One manuscript file.
#[derive(Debug, Clone)]
pub struct Section {
    pub role: Role,
    /// The file name inside `manuscript/`, e.g. `10-a-walberg.md`.
    pub file_name: String,
    /// The plain title (also present, with any note marks, as the first heading block).
    pub title: String,
    /// Present for witnesses.
    pub witness: Option<Witness>,
    /// Header blocks (title, subtitle, byline, dateline) then the body.
    pub blocks: Vec<Block>,
}

/// The front matter of a witness: who, where, when, from which file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Witness {
    pub sigil: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub dateline: Option<String>,
    /// ISO date, possibly partial (`2016`, `2016-12`, `2016-12-31`).
    pub published: Option<String>,
    pub source: Option<String>,
    pub source_sha256: Option<String>,
    pub provenance: Option<String>,
}

/// A block of text.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading; level 1 is the section title.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    /// A line taken from a witness's front matter and shown under its title.
    HeaderLine {
        field: HeaderField,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// A generated entry of the back matter (a work in the Bibliography): a paragraph with a
    /// hanging indent that links may point to as `#id` (see [`Inline::Text`]).
    Entry {
        id: String,
        content: Vec<Inline>,
    },
    Quote(Vec<Block>),
    List {
        /// The first number of an ordered list; `None` for a bulleted list.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// Preformatted text, shown as is.
    Code(String),
    Rule,
}

/// Which front-matter field a [`Block::HeaderLine`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderField {
    Subtitle,
    Byline,
    Dateline,
}

/// Character styles, combinable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub italic: bool,
    pub bold: bool,
    pub code: bool,
}

/// A run of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text in one style. `link` is the target when the run is (part of) a link; a target of
    /// `#` or empty means the source's link was lost, and renderers show plain text. A target
    /// `#id` points to the [`Block::Entry`] of that id, when the book has one.
    Text {
        text: String,
        style: Style,
        link: Option<String>,
        span: Span,
    },
    /// A hard line break.
    LineBreak,
    /// The mark of note `notes[index]`.
    NoteRef { index: usize },
}

/// The kinds of editorial note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    Discrepancy,
    Provenance,
    Emendation,
    Correction,
    Gloss,
}

impl NoteKind {
    /// The lowercase name used in `footnotes.yaml` and as a label.
    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Discrepancy => "discrepancy",
            NoteKind::Provenance => "provenance",
            NoteKind::Emendation => "emendation",
            NoteKind::Correction => "correction",
            NoteKind::Gloss => "gloss",
        }
    }
}

/// A note anchored in a witness.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: String,
    /// 1-based, in reading order through the whole book.
    pub number: usize,
    pub kind: NoteKind,
    /// Index into [`Edition::sections`] of the section that carries the mark.
    pub section: usize,
    /// The sigil of the witness.
    pub witness: String,
    /// The anchor as the reader sees it (normalised).
    pub anchor: String,
    /// The note's text, parsed from Markdown.
    pub body: Vec<Block>,
    /// How each witness gives the point, in sigil order.
    pub readings: Vec<Reading>,
}

/// One witness's reading of the point a note is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub sigil: String,
    pub content: Vec<Inline>,
}

impl Edition {
    /// The witnesses' sections, in order.
    pub fn witnesses(&self) -> impl Iterator<Item = (&Section, &Witness)> {
        self.sections
            .iter()
            .filter_map(|s| s.witness.as_ref().map(|w| (s, w)))
    }
}

/// The plain text of inline runs, note marks left out.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::LineBreak => out.push('\n'),
            Inline::NoteRef { .. } => {}
        }
    }
    out
}
