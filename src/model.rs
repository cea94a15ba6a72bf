//! The resolved edition: what every renderer reads.
//!
//! Loading produces sections of blocks made of inline runs, each with its source span; resolving
//! anchors the notes and inserts a [`Inline::NoteRef`] after each anchor (and an
//! [`Inline::LemmaStart`] where it begins). Renderers walk
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
#[derive(Debug, Clone, PartialEq)]
pub struct EditionMeta {
    pub title: String,
    pub subtitle: Option<String>,
    pub editor: String,
    /// BCP 47 language tag.
    pub language: String,
    pub identifier: String,
    /// The edition's date (`YYYY-MM-DD` in the apparatus), shown on the title pages.
    pub date: chrono::NaiveDate,
    /// `edition.accessibility`: who, if anyone, certified the edition's accessibility.
    pub accessibility: Accessibility,
    /// `edition.cover`: the editor's own cover image, as written; `None` gives the generated
    /// typographic cover.
    pub cover: Option<CoverPath>,
    /// The page design the editor chose (`edition.design`); every key optional.
    pub design: Design,
    /// The words Variorum writes, in the edition's language (`edition.labels` replacing some).
    pub labels: crate::labels::Labels,
    /// A handout's witnesses (`--only`), in the edition's order; `None` for the whole edition.
    pub selection: Option<Vec<String>>,
}

/// `edition.accessibility`: a certification is claimed only when someone is named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accessibility {
    /// `certified-by`: the person or body who evaluated the edition.
    pub certified_by: Option<String>,
    /// `certifier-credential`: their credential, shown only beside `certified-by`.
    pub certifier_credential: Option<String>,
}

/// `edition.cover: figures/cover.jpg`: a path relative to the project, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverPath {
    pub path: String,
    pub span: Span,
}

/// The `design:` map under `edition:`: what the editor chose of the page. Every field is
/// optional; `None` keeps the default, which follows the paper (see `layout::geometry`).
/// Lengths are in PostScript points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Design {
    /// The text family, by the name in its fonts' name tables, with where it was written.
    pub font: Option<(String, Span)>,
    /// Body type size.
    pub size: Option<f32>,
    /// Baseline-to-baseline distance of the body text.
    pub leading: Option<f32>,
    pub paper: Option<Paper>,
    pub margins: Margins,
    /// Type size of the notes.
    pub notes_size: Option<f32>,
    /// Running heads on (the default) or off.
    pub running_heads: Option<bool>,
    pub paragraphs: Option<Paragraphs>,
    /// `pdf-cover`: whether the PDF starts with the cover (the default) or not (`false`, for
    /// printed handouts).
    pub pdf_cover: Option<bool>,
    /// `citation-style`: the name of a bundled CSL style, with where it was written.
    pub citation_style: Option<(String, Span)>,
    /// `notes`: footnotes (the default) or a critical apparatus at the foot of the page.
    pub notes: Option<NotesMode>,
    /// `line-numbers`: the PDF numbers the lines of each witness's text and prints every
    /// this many-th number in the margin (off when `None`).
    pub line_numbers: Option<u32>,
}

/// How the PDF presents the notes (`design.notes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NotesMode {
    /// Every note a numbered footnote, its mark in the text.
    #[default]
    Footnotes,
    /// Critical notes (discrepancies, corrections, emendations) in an apparatus keyed by
    /// paragraph (or line) number and lemma, unmarked in the text; discursive notes
    /// (provenance, gloss) as numbered footnotes below it.
    Apparatus,
}

/// Page margins; `inner` and `outer` differing make a two-sided design (mirrored pages).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Margins {
    pub inner: Option<f32>,
    pub outer: Option<f32>,
    pub top: Option<f32>,
    pub bottom: Option<f32>,
}

/// How paragraphs are told apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paragraphs {
    /// A first-line indent, no space between paragraphs.
    #[default]
    Indent,
    /// No indent, a blank line's space between paragraphs.
    Spaced,
}

/// The paper sizes the PDF can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
    A5,
    B5,
    /// Royal octavo, 6.14 × 9.21 in (156 × 234 mm).
    Royal,
    /// Any size, in points.
    Custom {
        width: f32,
        height: f32,
    },
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
            Paper::A5 => (419.53, 595.28),
            Paper::B5 => (498.9, 708.66),
            Paper::Royal => (442.21, 663.31),
            Paper::Custom { width, height } => (width, height),
        }
    }

    /// Parses a paper name (`a4`, `letter`, `a5`, `b5`, `royal`, any case) or a size
    /// `WIDTHxHEIGHT` with units (`170x240mm`, `6in x 9in`, `432ptx648pt`).
    pub fn parse(name: &str) -> Option<Paper> {
        let lower = name.trim().to_ascii_lowercase();
        match lower.as_str() {
            "a4" => return Some(Paper::A4),
            "letter" => return Some(Paper::Letter),
            "a5" => return Some(Paper::A5),
            "b5" => return Some(Paper::B5),
            "royal" => return Some(Paper::Royal),
            _ => {}
        }
        let (w, h) = lower.split_once('x')?;
        let (w, h) = (w.trim(), h.trim());
        let unit = h.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        // `170x240mm`: the unit after the height serves the width too.
        let width = if w.ends_with(|c: char| c.is_ascii_digit()) && !unit.is_empty() {
            parse_length(&format!("{w}{unit}"))?
        } else {
            parse_length(w)?
        };
        let height = parse_length(h)?;
        let sane = |v: f32| (72.0..=14400.0).contains(&v);
        (sane(width) && sane(height)).then_some(Paper::Custom { width, height })
    }
}

/// A length in points from `12`, `12pt`, `2.5cm`, `20mm` or `1in`; a bare number is points.
pub fn parse_length(text: &str) -> Option<f32> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f32 = number.parse().ok()?;
    let scale = match unit.trim() {
        "" | "pt" => 1.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "in" => 72.0,
        _ => return None,
    };
    let points = value * scale;
    points.is_finite().then_some(points)
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
    /// The section's own language (`language:` in its front matter); `None` is the edition's.
    pub language: Option<String>,
    /// The file name inside `manuscript/`, e.g. `10-a-walberg.md`.
    pub file_name: String,
    /// The plain title (also present, with any note marks, as the first heading block).
    pub title: String,
    /// Present for witnesses.
    pub witness: Option<Witness>,
    /// Header blocks (title, subtitle, byline, dateline) then the body.
    pub blocks: Vec<Block>,
    /// The citable number of each block, parallel to `blocks`: a witness's body paragraphs
    /// (quotes, lists and code blocks count as one) are numbered 1, 2, 3, … from its first;
    /// headings, header lines, rules and every block of other sections have none.
    pub numbers: Vec<Option<u32>>,
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
    /// Where a manuscript or print is kept (`repository`), and its call number (`shelfmark`).
    pub repository: Option<String>,
    pub shelfmark: Option<String>,
    /// `written`: the date of writing, ISO and possibly partial.
    pub written: Option<String>,
    /// `hand`: who wrote it out (the scribe, or "autograph").
    pub hand: Option<String>,
    /// `material`: paper, parchment, typescript, …
    pub material: Option<String>,
    /// `extent`: leaves, pages, size.
    pub extent: Option<String>,
    /// `url`: the address a web witness was captured from; `accessed`: when (ISO date);
    /// `archived`: an archive's copy of it.
    pub url: Option<String>,
    pub accessed: Option<String>,
    pub archived: Option<String>,
    /// The witness's language (its section's `language:`), when not the edition's.
    pub language: Option<String>,
}

/// One of the descriptive fields of a witness, as the Witnesses table and the witness's
/// header show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessField<'a> {
    /// What the value is: "Repository", "Shelfmark", …
    pub label: &'static str,
    pub value: &'a str,
    /// Where the value links to: the web address it is (checked at load), for `url` and
    /// `archived`.
    pub link: Option<Link>,
}

impl Witness {
    /// Where the witness is kept, how it was made and captured: the fields given, in a fixed
    /// order, each with the label that says what it is.
    pub fn description(&self) -> Vec<WitnessField<'_>> {
        let fields = [
            ("Repository", &self.repository, false),
            ("Shelfmark", &self.shelfmark, false),
            ("Written", &self.written, false),
            ("Hand", &self.hand, false),
            ("Material", &self.material, false),
            ("Extent", &self.extent, false),
            ("Language", &self.language, false),
            ("Captured from", &self.url, true),
            ("Accessed", &self.accessed, false),
            ("Archived copy", &self.archived, true),
        ];
        fields
            .into_iter()
            .filter_map(|(label, value, link)| {
                value.as_deref().map(|value| WitnessField {
                    label,
                    value,
                    link: if link { Link::web(value) } else { None },
                })
            })
            .collect()
    }
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
    /// A thematic break (`***`): a section break.
    Rule,
    /// A table (GFM): a header row, then body rows; every row has one cell per column.
    Table(Table),
    /// An image of the project with its text alternative and caption, in a paragraph of its
    /// own (`![alt](figures/leaf-1.png "caption")`).
    Figure(Figure),
    /// A generated table (the Chronology's): a header row and rows of cells, every row as
    /// long as the header.
    ChronologyTable {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// A generated figure: when each event happened by the record and by each witness.
    /// Its text alternative is the [`Block::ChronologyTable`] before it.
    Timeline(Timeline),
}

/// A figure: an image file of the project, never split across pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The file as written, relative to the project (`figures/leaf-1.png`).
    pub path: String,
    /// The text alternative (required).
    pub alt: String,
    /// The caption (the image's title); empty for none.
    pub caption: Vec<Inline>,
    /// Where the image is written.
    pub span: Span,
    /// The image, read when the manuscript is loaded; `None` only before that (the
    /// Markdown parser reads no files).
    pub image: Option<std::sync::Arc<crate::layout::ImageData>>,
}

/// A table's columns and cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// How each column's cells are aligned.
    pub align: Vec<CellAlign>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A table column's alignment (`:--`, `:-:`, `--:`); `None` when the editor gave none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellAlign {
    None,
    Left,
    Center,
    Right,
}

/// The Chronology's figure, as data: each renderer draws it (SVG in the EPUB, rules and
/// glyphs in the PDF).
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// A name unique in the book, for its file in the EPUB (`{id}.svg`).
    pub id: String,
    /// A short text alternative; the table before the figure is the long one.
    pub alt: String,
    /// The legend's words: what the black marks are (the record's date) and what the
    /// sigils are (the witnesses' datings).
    pub legend: (String, String),
    /// The witnesses that date any event, in the book's order.
    pub sigla: Vec<String>,
    /// In the order of their record dates.
    pub events: Vec<TimelineEvent>,
}

/// One row of the [`Timeline`].
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// The short name drawn beside the row: `1`, `2`, … (the table's first column).
    pub key: String,
    pub label: String,
    /// The date the record gives.
    pub record: PartialDate,
    /// How the witnesses date it: `(sigil, date)`, in [`Timeline::sigla`] order.
    pub datings: Vec<(String, PartialDate)>,
}

/// A date as precise as its source: a year, a month or a day (`1666`, `1666-09`,
/// `1666-09-02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date).
    pub fn parse(text: &str) -> Option<PartialDate> {
        let mut parts = text.split('-');
        let year = parts.next().filter(|y| y.len() == 4)?;
        let year: i32 = year
            .parse()
            .ok()
            .filter(|_| year.bytes().all(|b| b.is_ascii_digit()))?;
        let number = |p: Option<&str>| -> Option<Option<u32>> {
            match p {
                None => Some(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(Some(p.parse().ok()?))
                }
                Some(_) => None,
            }
        };
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if parts.next().is_some() || (month.is_none() && day.is_some()) {
            return None;
        }
        let date = PartialDate { year, month, day };
        chrono::NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1))?;
        Some(date)
    }

    /// The first and the last day the date may mean, as days of the common era.
    pub fn days(self) -> (i32, i32) {
        use chrono::Datelike;
        let first = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        let start = first(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        let end = match (self.month, self.day) {
            (Some(m), Some(d)) => first(self.year, m, d),
            (Some(m), None) => {
                first(self.year + i32::from(m == 12), m % 12 + 1, 1).and_then(|d| d.pred_opt())
            }
            _ => first(self.year, 12, 31),
        };
        match (start, end) {
            (Some(s), Some(e)) => (s.num_days_from_ce(), e.num_days_from_ce()),
            _ => (0, 0),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// The parts of the generated Index, one per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexKind {
    Person,
    Place,
    Work,
    Subject,
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
    /// Struck through (`~~…~~`): in a manuscript, a deletion.
    pub strike: bool,
}

/// A run of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text in one style. `link` is where the run links to when it is (part of) a link.
    Text {
        text: String,
        style: Style,
        link: Option<Link>,
        span: Span,
    },
    /// A hard line break.
    LineBreak,
    /// The mark of note `notes[index]`, right after its anchor.
    NoteRef { index: usize },
    /// Where the lemma of note `notes[index]` begins (its mark is where it ends). Shows
    /// nothing; the PDF keys an apparatus entry to the line it falls on.
    LemmaStart { index: usize },
    /// A named place in the text (an index occurrence, a passage a chronology dates), that
    /// [`Inline::PlaceRefs`] and links `#id` point to. Shows nothing.
    Target { id: String },
    /// References to named places (`Inline::Target`s): page numbers in the PDF, ranges
    /// collapsed, and each reference's `label` in the EPUB; every one a link to its place.
    PlaceRefs(Vec<PlaceRef>),
}

/// Where a link goes, decided once, when its text is loaded ([`Link::classify`]); a link to
/// a place is checked against the book's places once the book is complete. Renderers make
/// links of [`Link::Web`] and [`Link::Place`] only and show the text of the others plain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Link {
    /// A web address (`http:`, `https:`, `mailto:`), with the characters a URL may not hold
    /// percent-encoded: both outputs link to exactly this.
    Web(String),
    /// A named place in the book: the id of a [`Block::Entry`] or of an [`Inline::Target`].
    Place(String),
    /// A link whose target cannot be followed from the book (a path of the site a page was
    /// captured from, a file, an empty target): its text is shown without a link.
    Unfollowable {
        /// The target as written.
        target: String,
        why: Unfollowable,
    },
}

/// Why a [`Link::Unfollowable`] cannot be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unfollowable {
    /// No target at all: `[text]()` or `[text](#)`.
    Empty,
    /// `#name`, where the book has no place of that name.
    NoSuchPlace,
    /// A path relative to the page or site the text came from: `/about`, `../x`, `page.html`.
    Relative,
    /// A file on someone's computer (`file:`).
    File,
    /// An address of another kind than the web's (`javascript:`, `ftp:`, `tel:`, …).
    NotWeb,
}

impl Unfollowable {
    /// What the target is, as a diagnostic says it: "… cannot be followed: {reason}".
    pub fn reason(self) -> &'static str {
        match self {
            Unfollowable::Empty => "the link has no target",
            Unfollowable::NoSuchPlace => "the book has no place of that name",
            Unfollowable::Relative => {
                "it is a relative path (a page of the site the text came from, or a file), not a web address"
            }
            Unfollowable::File => "it is a file, not a web address",
            Unfollowable::NotWeb => "it is not a web address",
        }
    }
}

/// The schemes of the web addresses that stay links.
const WEB_SCHEMES: [&str; 3] = ["http://", "https://", "mailto:"];

impl Link {
    /// Decides where a link target as written goes: the web, a place of the book (`#name`,
    /// still to be checked against the book's places), or nowhere a reader can follow.
    pub fn classify(target: &str) -> Link {
        let trimmed = target.trim();
        let lower = trimmed.to_ascii_lowercase();
        let unfollowable = |why| Link::Unfollowable {
            target: target.to_owned(),
            why,
        };
        if let Some(name) = trimmed.strip_prefix('#') {
            return if name.is_empty() {
                unfollowable(Unfollowable::Empty)
            } else {
                Link::Place(name.to_owned())
            };
        }
        if trimmed.is_empty() {
            return unfollowable(Unfollowable::Empty);
        }
        if WEB_SCHEMES
            .iter()
            .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
        {
            return Link::Web(encode_url(trimmed));
        }
        if lower.starts_with("file:") {
            return unfollowable(Unfollowable::File);
        }
        // A scheme is letters, digits, `+`, `-` and `.` before a colon, the first a letter.
        let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        match scheme {
            Some(_) => unfollowable(Unfollowable::NotWeb),
            None => unfollowable(Unfollowable::Relative),
        }
    }

    /// A web address, when `url` is one (a bibliography's, a witness's `url:`).
    pub fn web(url: &str) -> Option<Link> {
        match Link::classify(url) {
            link @ Link::Web(_) => Some(link),
            _ => None,
        }
    }
}

/// `url` with the characters a URL may not hold percent-encoded and control characters
/// removed.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One reference of [`Inline::PlaceRefs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRef {
    /// The id of the [`Inline::Target`].
    pub target: String,
    /// What the EPUB shows for it (the paragraph, `¶3`), having no pages.
    pub label: String,
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
    /// Whether an apparatus lists the note (it bears on the text: discrepancies,
    /// corrections, emendations) rather than a footnote (provenance, gloss).
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            NoteKind::Discrepancy | NoteKind::Correction | NoteKind::Emendation
        )
    }

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

/// A note anchored in a witness or in another section.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: String,
    /// 1-based, in reading order through the whole book: the note's identity in links.
    pub number: usize,
    /// What its mark and its note show (see [`mark_labels`]): `number` as footnotes; in
    /// apparatus mode the discursive notes' own count, and letters for the critical notes.
    pub mark: String,
    pub kind: NoteKind,
    /// Index into [`Edition::sections`] of the section that carries the mark.
    pub section: usize,
    /// The sigil of the witness; empty for a note on a section that is not a witness
    /// (`section:` in `footnotes.yaml`).
    pub witness: String,
    /// The lemma: the witness's own text at the anchor, as transcribed.
    pub lemma: String,
    /// The citable number of the paragraph holding the anchor (`None` in a heading or the
    /// header).
    pub paragraph: Option<u32>,
    /// The note's text, parsed from Markdown.
    pub body: Vec<Block>,
    /// How each witness gives the point, in sigil order.
    pub readings: Vec<Reading>,
}

impl Note {
    /// The lemma as an apparatus prints it: a long one (more than five words) abbreviated to
    /// its first and last words, `Ayatollah … Gorbachev`.
    pub fn short_lemma(&self) -> String {
        let words: Vec<&str> = self.lemma.split_whitespace().collect();
        match words.as_slice() {
            [first, .., last] if words.len() > 5 => format!("{first} \u{2026} {last}"),
            _ => words.join(" "),
        }
    }

    /// The readings an apparatus entry lists after `lemma] W`: every reading but the note's
    /// own witness's when that only repeats the lemma (quoted or not).
    pub fn apparatus_readings(&self) -> impl Iterator<Item = &Reading> {
        let folded = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .trim_matches(['"', '\u{201C}', '\u{201D}', ' '])
                .to_owned()
        };
        let lemma = folded(&self.lemma);
        self.readings
            .iter()
            .filter(move |r| r.sigil != self.witness || folded(&plain_text(&r.content)) != lemma)
    }
}

/// Gives every note its [`Note::mark`]. As footnotes a note shows its number. In apparatus
/// mode the discursive notes (the PDF's numbered footnotes) are numbered on their own, 1,
/// 2, 3, …, so the numbers printed never skip one; the critical notes, which the PDF keys
/// by line or paragraph and lemma and the EPUB still calls by a mark, are lettered a, b,
/// …, z, aa, ab, … in a series of their own.
pub fn mark_labels(notes: &mut [Note], mode: NotesMode) {
    let (mut numbered, mut lettered) = (0, 0);
    for note in notes {
        note.mark = if mode == NotesMode::Apparatus && note.kind.is_critical() {
            lettered += 1;
            letters(lettered)
        } else if mode == NotesMode::Apparatus {
            numbered += 1;
            numbered.to_string()
        } else {
            note.number.to_string()
        };
    }
}

/// `n` (from 1) in letters: a … z, aa … az, ba … (bijective base 26).
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// One witness's reading of the point a note is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub sigil: String,
    pub content: Vec<Inline>,
}

impl Section {
    /// How many of [`Section::blocks`] are the header: the title, then the lines of a
    /// witness's front matter. The body's own headings, even a `#` one at its top, come after.
    pub fn header_len(&self) -> usize {
        match self.blocks.first() {
            Some(Block::Heading { level: 1, .. }) => {
                1 + self.blocks[1..]
                    .iter()
                    .take_while(|b| matches!(b, Block::HeaderLine { .. }))
                    .count()
            }
            _ => 0,
        }
    }

    /// The blocks after the header.
    pub fn body(&self) -> &[Block] {
        &self.blocks[self.header_len()..]
    }

    /// The section's entry in the contents, the nav and the PDF outline: a witness's sigil
    /// before its title (`B — The Bliss Copy`), another section's title.
    pub fn listed_title(&self) -> String {
        match &self.witness {
            Some(w) => format!("{} — {}", w.sigil, self.title),
            None => self.title.clone(),
        }
    }
}

/// A part of the book, in reading order; the generated ones have no section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A manuscript section, by index into [`Edition::sections`].
    Section(usize),
    /// The table of the witnesses, when there are any.
    Witnesses,
    /// The table of the points of divergence, when a note gives readings.
    Divergences,
}

impl Edition {
    /// The book's parts in reading order, which every renderer follows: the front sections,
    /// the Witnesses, the witnesses' texts, the Points of divergence, the back sections.
    pub fn parts(&self) -> Vec<Part> {
        let of_role = |role: Role| {
            (0..self.sections.len())
                .filter(move |&i| self.sections[i].role == role)
                .map(Part::Section)
        };
        let witnesses = self.witnesses().next().is_some();
        let mut parts: Vec<Part> = of_role(Role::Front).collect();
        if witnesses {
            parts.push(Part::Witnesses);
        }
        parts.extend(of_role(Role::Witness));
        if witnesses && self.notes.iter().any(|n| !n.readings.is_empty()) {
            parts.push(Part::Divergences);
        }
        parts.extend(of_role(Role::Back));
        parts
    }

    /// The language of section `index`: its own, else the edition's.
    pub fn language_of(&self, index: usize) -> &str {
        self.sections[index]
            .language
            .as_deref()
            .unwrap_or(&self.meta.language)
    }

    /// The notes mode of the edition's design.
    pub fn notes_mode(&self) -> NotesMode {
        self.meta.design.notes.unwrap_or_default()
    }

    /// Whether note `index` is shown without a mark in the text: a critical note in
    /// apparatus mode, found by its paragraph number and lemma.
    pub fn is_unmarked(&self, index: usize) -> bool {
        self.notes_mode() == NotesMode::Apparatus && self.notes[index].kind.is_critical()
    }

    /// Whether the PDF numbers lines (`design.line-numbers`), every how many-th.
    pub fn line_numbers(&self) -> Option<u32> {
        self.meta.design.line_numbers
    }

    /// `A 12`: the note's citable reference, its witness and paragraph.
    pub fn reference(&self, note: &Note) -> String {
        match note.paragraph {
            Some(p) => format!("{} {p}", note.witness),
            None => note.witness.clone(),
        }
    }

    /// The witnesses' sections, in order.
    pub fn witnesses(&self) -> impl Iterator<Item = (&Section, &Witness)> {
        self.sections
            .iter()
            .filter_map(|s| s.witness.as_ref().map(|w| (s, w)))
    }
}

/// Visits the inline content of every block, nested ones included, in reading order:
/// headings, header lines, paragraphs, entries, and a table's cells (the header row first,
/// then row by row). The one walk over blocks that every stage uses.
pub fn walk_inlines<'a>(blocks: &'a [Block], visit: &mut dyn FnMut(&'a [Inline])) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => visit(content),
            Block::Quote(inner) => walk_inlines(inner, visit),
            Block::List { items, .. } => items.iter().for_each(|item| walk_inlines(item, visit)),
            Block::Table(table) => table
                .header
                .iter()
                .chain(table.rows.iter().flatten())
                .for_each(|cell| visit(cell)),
            Block::Figure(figure) => visit(&figure.caption),
            Block::ChronologyTable { head, rows } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|cell| visit(cell)),
            Block::Code(_) | Block::Rule | Block::Timeline(_) => {}
        }
    }
}

/// [`walk_inlines`], with the content open to changes.
pub fn walk_inlines_mut(blocks: &mut [Block], visit: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => visit(content),
            Block::Quote(inner) => walk_inlines_mut(inner, visit),
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|item| walk_inlines_mut(item, visit)),
            Block::Table(table) => table
                .header
                .iter_mut()
                .chain(table.rows.iter_mut().flatten())
                .for_each(&mut *visit),
            Block::Figure(figure) => visit(&mut figure.caption),
            Block::ChronologyTable { head, rows } => head
                .iter_mut()
                .chain(rows.iter_mut().flatten())
                .for_each(&mut *visit),
            Block::Code(_) | Block::Rule | Block::Timeline(_) => {}
        }
    }
}

/// Every figure of `blocks`, nested ones included, in reading order.
pub fn walk_figures<'a>(blocks: &'a [Block], visit: &mut dyn FnMut(&'a Figure)) {
    for block in blocks {
        match block {
            Block::Figure(figure) => visit(figure),
            Block::Quote(inner) => walk_figures(inner, visit),
            Block::List { items, .. } => items.iter().for_each(|i| walk_figures(i, visit)),
            _ => {}
        }
    }
}

/// Every figure of `blocks`, nested ones included, open to changes.
pub fn figures_mut(blocks: &mut [Block], visit: &mut dyn FnMut(&mut Figure)) {
    for block in blocks {
        match block {
            Block::Figure(figure) => visit(figure),
            Block::Quote(inner) => figures_mut(inner, visit),
            Block::List { items, .. } => items.iter_mut().for_each(|i| figures_mut(i, visit)),
            _ => {}
        }
    }
}

/// The citable numbers of a section's blocks (see [`Section::numbers`]).
pub fn paragraph_numbers(role: Role, blocks: &[Block]) -> Vec<Option<u32>> {
    let mut next = 0;
    blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(_) | Block::Quote(_) | Block::List { .. } | Block::Code(_)
                if role == Role::Witness =>
            {
                next += 1;
                Some(next)
            }
            _ => None,
        })
        .collect()
}

/// The plain text of inline runs, note marks left out.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::LineBreak => out.push('\n'),
            Inline::NoteRef { .. } | Inline::LemmaStart { .. } | Inline::Target { .. } => {}
            Inline::PlaceRefs(refs) => {
                // As the EPUB shows them: places in one paragraph are one reference.
                let mut labels: Vec<&str> = refs.iter().map(|r| r.label.as_str()).collect();
                labels.dedup();
                out.push_str(&labels.join(", "));
            }
        }
    }
    out
}

/// Visits every inline of `blocks` (quotes, lists, table cells and captions included), in
/// reading order: [`walk_inlines`], one inline at a time.
pub fn for_each_inline<'a>(blocks: &'a [Block], visit: &mut dyn FnMut(&'a Inline)) {
    walk_inlines(blocks, &mut |content| content.iter().for_each(&mut *visit));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_on_after_z() {
        let all: Vec<String> = [1, 2, 26, 27, 52, 53, 702, 703].map(letters).to_vec();
        assert_eq!(all, ["a", "b", "z", "aa", "az", "ba", "zz", "aaa"]);
    }

    #[test]
    fn apparatus_mode_numbers_discursive_notes_alone_and_letters_critical_ones() {
        let kinds = [
            NoteKind::Discrepancy,
            NoteKind::Gloss,
            NoteKind::Correction,
            NoteKind::Provenance,
            NoteKind::Emendation,
            NoteKind::Gloss,
        ];
        let mut notes: Vec<Note> = kinds
            .iter()
            .enumerate()
            .map(|(i, &kind)| Note {
                id: format!("n{i}"),
                number: i + 1,
                mark: String::new(),
                kind,
                section: 0,
                witness: "A".into(),
                lemma: "w".into(),
                paragraph: Some(1),
                body: Vec::new(),
                readings: Vec::new(),
            })
            .collect();
        let marks = |notes: &[Note]| notes.iter().map(|n| n.mark.clone()).collect::<Vec<_>>();
        mark_labels(&mut notes, NotesMode::Apparatus);
        assert_eq!(marks(&notes), ["a", "1", "b", "2", "c", "3"]);
        mark_labels(&mut notes, NotesMode::Footnotes);
        assert_eq!(marks(&notes), ["1", "2", "3", "4", "5", "6"]);
    }

    #[test]
    fn link_targets_are_decided_once_web_addresses_encoded() {
        assert_eq!(
            Link::classify("https://example.org/a b"),
            Link::Web("https://example.org/a%20b".into())
        );
        assert_eq!(
            Link::classify(" HTTP://x.org "),
            Link::Web("HTTP://x.org".into())
        );
        assert_eq!(
            Link::classify("mailto:a@b.org"),
            Link::Web("mailto:a@b.org".into())
        );
        assert_eq!(Link::classify("#bib-1"), Link::Place("bib-1".into()));
        let why = |target: &str| match Link::classify(target) {
            Link::Unfollowable { target: t, why } if t == target => Some(why),
            _ => None,
        };
        assert_eq!(why("#"), Some(Unfollowable::Empty));
        assert_eq!(why(""), Some(Unfollowable::Empty));
        assert_eq!(why("https://"), Some(Unfollowable::NotWeb));
        assert_eq!(why("/about"), Some(Unfollowable::Relative));
        assert_eq!(why("../x"), Some(Unfollowable::Relative));
        assert_eq!(why("chapter.html"), Some(Unfollowable::Relative));
        assert_eq!(why("file:///etc/shadow"), Some(Unfollowable::File));
        assert_eq!(why("javascript:alert(1)"), Some(Unfollowable::NotWeb));
        assert_eq!(Link::web("ftp://x.org"), None);
    }
}
