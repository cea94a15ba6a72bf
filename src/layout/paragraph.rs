//! Setting one paragraph: inline pieces → shaped atoms → boxes, glue and penalties → lines
//! (total fit when justified, first fit when ragged) → frames of positioned glyph runs.

use std::sync::Arc;

use super::fonts::{FontId, REGULAR};
use super::linebreak::{break_lines, first_fit, Element, Tuning, INFINITE_PENALTY};
use super::shape::{Shaped, Shaper};
use super::{Item, LayoutError, LinkTarget, Role, Step, Tag};
use crate::model::{Inline, Style};
use crate::source::Span;

/// A piece of paragraph content.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Text {
        text: String,
        style: Style,
        link: Option<LinkTarget>,
        span: Option<Span>,
    },
    /// The mark of note `index`, whose links are named after `number` (shown as `label`,
    /// unless `shown` is false: then the note is only called by the line, as an apparatus
    /// entry is by its lemma).
    Mark {
        index: usize,
        number: usize,
        label: String,
        shown: bool,
    },
    /// A named place: a [`super::Destination`] where the next word begins.
    Target(String),
    /// The lemma of note `index` begins with the next word: the line it falls on is the
    /// line an apparatus entry is keyed to.
    LemmaStart(usize),
    Break,
}

impl Piece {
    /// Generated text (no source span).
    pub fn plain(text: impl Into<String>, style: Style) -> Piece {
        Piece::Text {
            text: text.into(),
            style,
            link: None,
            span: None,
        }
    }

    /// Pieces of model inlines; `number` says how a note index's mark shows (`None`: not
    /// at all, the note not called). References to places show nothing: see
    /// [`Piece::from_inlines_placed`].
    pub fn from_inlines(
        inlines: &[Inline],
        number: impl Fn(usize) -> Option<MarkAs>,
    ) -> Vec<Piece> {
        Piece::from_inlines_placed(inlines, number, &|_| None)
    }

    /// Pieces of model inlines as [`Piece::from_inlines`], `folio` giving the printed
    /// number of the page a named place is on (references to places it does not know
    /// are left out).
    pub fn from_inlines_placed(
        inlines: &[Inline],
        number: impl Fn(usize) -> Option<MarkAs>,
        folio: &dyn Fn(&str) -> Option<usize>,
    ) -> Vec<Piece> {
        let mut out = Vec::with_capacity(inlines.len());
        for inline in inlines {
            match inline {
                Inline::Text {
                    text,
                    style,
                    link,
                    span,
                } => out.push(Piece::Text {
                    text: text.clone(),
                    style: *style,
                    link: link.as_ref().and_then(LinkTarget::of),
                    span: Some(*span),
                }),
                Inline::LineBreak => out.push(Piece::Break),
                Inline::NoteRef { index } => {
                    if let Some(MarkAs {
                        number,
                        label,
                        shown,
                    }) = number(*index)
                    {
                        out.push(Piece::Mark {
                            index: *index,
                            number,
                            label,
                            shown,
                        });
                    }
                }
                Inline::LemmaStart { index } => {
                    if number(*index).is_some() {
                        out.push(Piece::LemmaStart(*index));
                    }
                }
                Inline::Target { id } => out.push(Piece::Target(id.clone())),
                Inline::PlaceRefs(refs) => page_numbers(refs, folio, &mut out),
            }
        }
        out
    }
}

/// How the mark of a note shows in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkAs {
    /// The note's number, which names its links.
    pub number: usize,
    /// What the mark prints ([`crate::model::Note::mark`]).
    pub label: String,
    /// False for a note the text does not mark (a critical note in apparatus mode): the
    /// line only calls it, so that its entry is set on the line's page.
    pub shown: bool,
}

/// The pages of `refs` as linked numbers, each page once, runs of pages collapsed into
/// ranges (`3–5, 9`); the first and last page of a range link to their first place.
fn page_numbers(
    refs: &[crate::model::PlaceRef],
    folio: &dyn Fn(&str) -> Option<usize>,
    out: &mut Vec<Piece>,
) {
    let mut pages: Vec<(usize, &str)> = Vec::new();
    for place in refs {
        if let Some(page) = folio(&place.target) {
            if !pages.iter().any(|(p, _)| *p == page) {
                pages.push((page, &place.target));
            }
        }
    }
    pages.sort_by_key(|(p, _)| *p);
    let linked = |(page, target): (usize, &str)| Piece::Text {
        text: page.to_string(),
        style: Style::default(),
        link: Some(LinkTarget::Internal(target.to_owned())),
        span: None,
    };
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1].0 == pages[j].0 + 1 {
            j += 1;
        }
        if i > 0 {
            out.push(Piece::plain(", ", Style::default()));
        }
        out.push(linked(pages[i]));
        if j > i {
            out.push(Piece::plain("\u{2013}", Style::default()));
            out.push(linked(pages[j]));
        }
        i = j + 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParStyle {
    pub size: f32,
    pub leading: f32,
    pub width: f32,
    /// Indent of the first line.
    pub indent: f32,
    pub align: Align,
    /// The patterns to hyphenate with; `None` sets the text unhyphenated.
    pub hyphenate: Option<super::hyphenate::Lang>,
    /// Styles added to every text piece (bold headings, italic datelines).
    pub emphasis: Style,
    /// The paragraph runs right to left (its language is written so): lines start at the
    /// right, and words are ordered by the Unicode bidi algorithm with an RTL base level.
    pub rtl: bool,
}

/// Items placed relative to the top-left corner of a box of `width` × `height`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Frame {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Frame {
    /// Appends `other`'s items moved by (`dx`, `dy`).
    pub fn place(&mut self, other: Frame, dx: f32, dy: f32) {
        self.items.reserve(other.items.len());
        for mut item in other.items {
            translate(&mut item, dx, dy);
            self.items.push(item);
        }
    }
}

/// Moves an item by (`dx`, `dy`).
pub(crate) fn translate(item: &mut Item, dx: f32, dy: f32) {
    match item {
        Item::Glyphs(run) => {
            run.x += dx;
            run.y += dy;
        }
        Item::Rule(rule) => {
            rule.x += dx;
            rule.y += dy;
        }
        Item::Link(link) => {
            link.rect.x += dx;
            link.rect.y += dy;
        }
        Item::Destination(dest) => {
            dest.x += dx;
            dest.y += dy;
        }
        Item::Image { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
    }
}

/// A set line: its frame (one leading high) and the notes whose marks it carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub frame: Frame,
    pub notes: Vec<usize>,
    /// The first word of the model's text that begins on the line, counted from the start
    /// of its paragraph as [`crate::page_list::WordCounter`] counts; `None` for a line that
    /// does not come from a paragraph's text.
    pub first_word: Option<usize>,
    /// The notes whose lemmata begin on it.
    pub lemmas: Vec<usize>,
    /// Its number in its witness's text, when lines are numbered and it is one of the
    /// text's lines (see `blocks::number_lines`).
    pub number: Option<u32>,
}

impl Line {
    /// A line of something other than text (a rule, an image, a table row, space).
    pub fn drawn(frame: Frame, notes: Vec<usize>) -> Line {
        Line {
            frame,
            notes,
            ..Line::default()
        }
    }
}

/// Shaped content a box draws from.
pub(super) struct Atom {
    pub(super) shaped: Arc<Shaped>,
    pub(super) size: f32,
    pub(super) rise: f32,
    pub(super) link: Option<LinkTarget>,
    /// Struck through (a deletion).
    pub(super) strike: bool,
    /// The hyphen to add when a line breaks inside this atom.
    pub(super) hyphen: Option<Arc<Shaped>>,
    pub(super) mark: Option<(usize, usize)>,
    /// Named places where this atom begins.
    pub(super) targets: Vec<String>,
    /// The notes whose lemmata begin with this atom.
    pub(super) lemmas: Vec<usize>,
    /// Where its glyphs belong in the structure, relative to the block (a link, a mark).
    pub(super) tag: super::Tag,
    /// The model's words begun up to and including this atom's first character.
    pub(super) words: usize,
    /// Whether the atom's first character begins one of the model's words.
    pub(super) starts_word: bool,
}

/// What an element draws: glyphs `from..to` of an atom.
#[derive(Debug, Clone, Copy)]
pub(super) enum Content {
    Glyphs { atom: usize, from: usize, to: usize },
    Nothing,
}

pub(super) struct Builder<'s, 'b> {
    pub(super) shaper: &'s mut Shaper<'b>,
    pub(super) style: ParStyle,
    pub(super) atoms: Vec<Atom>,
    pub(super) elements: Vec<Element>,
    pub(super) contents: Vec<Content>,
    /// Named places met since the last atom, for the next one.
    pub(super) pending_targets: Vec<String>,
    /// Lemmata begun since the last atom (their notes' indices), for the next one.
    pub(super) pending_lemmas: Vec<usize>,
    /// The bidi material of a paragraph that needs reordering: see [`Bidi`].
    pub(super) bidi: Option<Bidi>,
    /// The model's words met so far (text pieces with a source span), for the page list.
    pub(super) words: crate::page_list::WordCounter,
}

/// What the Unicode bidi algorithm needs for a paragraph with right-to-left text: its text
/// as set (words, a space for each glue, digits for marks), the byte where each element's
/// material starts, and after [`Bidi::resolve`] each element's embedding level.
#[derive(Default)]
pub(super) struct Bidi {
    text: String,
    /// The byte of `text` the next pushed element stands for.
    cursor: u32,
    starts: Vec<u32>,
    pub(super) levels: Vec<unicode_bidi::Level>,
}

impl Bidi {
    /// Appends `text`; the elements pushed next stand for it.
    fn add(&mut self, text: &str) {
        self.cursor = self.text.len() as u32;
        self.text.push_str(text);
    }

    /// Resolves the levels; `None` when every level is 0 (nothing to reorder).
    fn resolve(mut self, rtl: bool) -> Option<Bidi> {
        let base = if rtl {
            unicode_bidi::Level::rtl()
        } else {
            unicode_bidi::Level::ltr()
        };
        let info = unicode_bidi::ParagraphBidiInfo::new(&self.text, Some(base));
        if !rtl && info.levels.iter().all(|l| l.number() == 0) {
            return None;
        }
        self.levels = self
            .starts
            .iter()
            .map(|&at| info.levels.get(at as usize).copied().unwrap_or(base))
            .collect();
        Some(self)
    }
}

/// Whether `text` holds a character of a right-to-left script (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms).
fn has_right_to_left(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
    })
}

/// Sets a paragraph into lines. `context` names it in errors.
pub(crate) fn set_paragraph(
    pieces: &[Piece],
    style: &ParStyle,
    shaper: &mut Shaper,
    context: &str,
) -> Result<Vec<Line>, LayoutError> {
    set_paragraph_counted(pieces, style, shaper, context).map(|(lines, _)| lines)
}

/// [`set_paragraph`], with the number of the model's words the paragraph holds.
pub(crate) fn set_paragraph_counted(
    pieces: &[Piece],
    style: &ParStyle,
    shaper: &mut Shaper,
    context: &str,
) -> Result<(Vec<Line>, usize), LayoutError> {
    // About one atom per six bytes of text and four elements per atom (box, glue, and
    // the hyphenation points): reserved at once rather than grown step by step.
    let bytes: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Text { text, .. } => text.len(),
            Piece::Mark { .. } | Piece::Target(_) | Piece::LemmaStart(_) | Piece::Break => 4,
        })
        .sum();
    let elements = bytes * 2 / 3 + 8;
    let mut builder = Builder {
        shaper,
        style: *style,
        atoms: Vec::with_capacity(bytes / 6 + 4),
        elements: Vec::with_capacity(elements),
        contents: Vec::with_capacity(elements),
        bidi: (style.rtl
            || pieces
                .iter()
                .any(|p| matches!(p, Piece::Text { text, .. } if has_right_to_left(text))))
        .then(Bidi::default),
        pending_targets: Vec::new(),
        words: crate::page_list::WordCounter::default(),
        pending_lemmas: Vec::new(),
    };
    builder.collect(pieces, context)?;
    builder.finish_paragraph();
    builder.bidi = builder.bidi.take().and_then(|b| b.resolve(style.rtl));
    let first_width = style.width - style.indent;
    let breaks: Vec<(usize, f32)> = if style.align == Align::Justify {
        break_lines(
            &builder.elements,
            first_width,
            style.width,
            &Tuning::default(),
        )
        .into_iter()
        .map(|b| (b.index, b.ratio))
        .collect()
    } else {
        first_fit(&builder.elements, first_width, style.width)
            .into_iter()
            .map(|i| (i, 0.0))
            .collect()
    };
    // Positioned lines.
    Ok((builder.finalize(&breaks), builder.words.count))
}

impl Builder<'_, '_> {
    fn push(&mut self, element: Element, content: Content) {
        self.elements.push(element);
        self.contents.push(content);
        if let Some(bidi) = &mut self.bidi {
            bidi.starts.push(bidi.cursor);
        }
    }

    /// Records that the elements pushed next stand for `text` (when bidi is needed).
    fn source(&mut self, text: &str) {
        if let Some(bidi) = &mut self.bidi {
            bidi.add(text);
        }
    }

    fn space(&mut self, face: FontId) -> Result<(), LayoutError> {
        if !matches!(self.elements.last(), Some(Element::Box { .. })) {
            return Ok(());
        }
        let width = self
            .shaper
            .shape(" ", face)
            .map(|s| s.width)
            .unwrap_or(0.25)
            * self.style.size;
        let (stretch, shrink) = match self.style.align {
            Align::Justify => (
                (width * 0.6).max(self.style.size * 0.16),
                (width * 0.3).min(self.style.size * 0.08),
            ),
            _ => (0.0, 0.0),
        };
        self.push(
            Element::Glue {
                width,
                stretch,
                shrink,
            },
            Content::Nothing,
        );
        Ok(())
    }

    fn collect(&mut self, pieces: &[Piece], context: &str) -> Result<(), LayoutError> {
        for (i, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Text {
                    text,
                    style,
                    link,
                    span,
                } => {
                    let mut style = *style;
                    style.bold |= self.style.emphasis.bold;
                    style.italic |= self.style.emphasis.italic;
                    let face = self.shaper.book.face_for(style);
                    let tag = match link {
                        Some(_) => Tag::inline(Step::new(Role::Link, i)),
                        None if style.code => Tag::inline(Step::new(Role::Code, i)),
                        None => Tag::relative(),
                    };
                    // Only the model's own text counts for the page list.
                    let counted = span.is_some();
                    let mut words = text.split(crate::page_list::is_word_space).peekable();
                    while let Some(word) = words.next() {
                        if !word.is_empty() {
                            let starts_word = counted && !self.words.in_word();
                            if counted {
                                self.words.text(word);
                            }
                            self.source(word);
                            self.word(word, face, link.clone(), style.strike, tag.clone())
                                .map_err(|c| LayoutError::UncoveredCharacter {
                                    character: c,
                                    span: *span,
                                    context: context.to_string(),
                                })?;
                            if let Some(atom) = self.atoms.last_mut() {
                                atom.starts_word = starts_word;
                            }
                        }
                        if words.peek().is_some() {
                            if counted {
                                self.words.text(" ");
                            }
                            self.source(" ");
                            self.space(face)?;
                        }
                    }
                }
                Piece::Mark {
                    index,
                    number,
                    label,
                    shown,
                } => {
                    // Marks after the same word are parted by a comma: "2,3", not "23".
                    if *shown && i > 0 && matches!(pieces[i - 1], Piece::Mark { shown: true, .. }) {
                        self.superscript(",", context)?;
                    }
                    self.source(label);
                    let shaped = if *shown {
                        self.shaper.shape(label, REGULAR).map_err(|c| {
                            LayoutError::UncoveredCharacter {
                                character: c,
                                span: None,
                                context: context.into(),
                            }
                        })?
                    } else {
                        // Nothing drawn: a box of no width that calls the note.
                        Arc::new(Shaped {
                            text: "".into(),
                            glyphs: Vec::new(),
                            width: 0.0,
                        })
                    };
                    let size = self.style.size * 0.62;
                    self.atoms.push(Atom {
                        size,
                        rise: self.style.size * 0.36,
                        link: shown.then(|| LinkTarget::Internal(format!("note-{number}"))),
                        strike: false,
                        hyphen: None,
                        mark: Some((*index, *number)),
                        targets: std::mem::take(&mut self.pending_targets),
                        lemmas: std::mem::take(&mut self.pending_lemmas),
                        shaped: shaped.clone(),
                        tag: Tag::Content(Arc::from([
                            Step::new(Role::Reference, *index),
                            Step::new(Role::Link, 0),
                        ])),
                        words: self.words.count,
                        starts_word: false,
                    });
                    let atom = self.atoms.len() - 1;
                    let to = shaped.glyphs.len();
                    self.push(
                        Element::Box {
                            width: shaped.width * size,
                        },
                        Content::Glyphs { atom, from: 0, to },
                    );
                }
                Piece::Target(name) => self.pending_targets.push(name.clone()),
                Piece::LemmaStart(index) => self.pending_lemmas.push(*index),
                Piece::Break => {
                    self.words.line_break();
                    self.source("\u{2028}");
                    self.push(
                        Element::Penalty {
                            width: 0.0,
                            penalty: INFINITE_PENALTY,
                            flagged: false,
                        },
                        Content::Nothing,
                    );
                    self.push(
                        Element::Glue {
                            width: 0.0,
                            stretch: 1e6,
                            shrink: 0.0,
                        },
                        Content::Nothing,
                    );
                    self.push(
                        Element::Penalty {
                            width: 0.0,
                            penalty: -INFINITE_PENALTY,
                            flagged: false,
                        },
                        Content::Nothing,
                    );
                }
            }
        }
        Ok(())
    }

    /// A superscript box (a note mark's separator) with no break inside it.
    fn superscript(&mut self, text: &str, context: &str) -> Result<(), LayoutError> {
        let shaped =
            self.shaper
                .shape(text, REGULAR)
                .map_err(|c| LayoutError::UncoveredCharacter {
                    character: c,
                    span: None,
                    context: context.into(),
                })?;
        let size = self.style.size * 0.62;
        self.atoms.push(Atom {
            size,
            rise: self.style.size * 0.36,
            link: None,
            strike: false,
            hyphen: None,
            mark: None,
            targets: Vec::new(),
            lemmas: Vec::new(),
            shaped: shaped.clone(),
            tag: Tag::relative(),
            words: self.words.count,
            starts_word: false,
        });
        let atom = self.atoms.len() - 1;
        let to = shaped.glyphs.len();
        self.push(
            Element::Box {
                width: shaped.width * size,
            },
            Content::Glyphs { atom, from: 0, to },
        );
        Ok(())
    }

    /// One word (or the part of a word in one style): its boxes and inner break points.
    fn word(
        &mut self,
        word: &str,
        face: FontId,
        link: Option<LinkTarget>,
        strike: bool,
        tag: Tag,
    ) -> Result<(), char> {
        let shaped = self.shaper.shape(word, face)?;
        let size = self.style.size;
        let mut breaks: Vec<(u32, bool, f32)> = Vec::new();
        if let Some(lang) = self.style.hyphenate {
            for &b in self.shaper.word_breaks(word, lang).iter() {
                if shaped.can_cut_at(b.at) {
                    let penalty = if b.adds_hyphen { 50.0 } else { 100.0 };
                    breaks.push((b.at, b.adds_hyphen, penalty));
                }
            }
        }
        if shaped.width * size > self.style.width {
            // A word wider than the measure may break anywhere rather than overflow.
            breaks = shaped
                .glyphs
                .iter()
                .map(|g| g.cluster)
                .filter(|&c| c > 0)
                .map(|c| (c, false, 1000.0))
                .collect();
            breaks.dedup();
        }
        if shaped.is_right_to_left(0..shaped.glyphs.len()) {
            // Glyphs in right-to-left order: the word is set whole (the pieces between
            // break points are cut in logical order).
            breaks.clear();
        }
        let hyphen = if breaks.iter().any(|b| b.1) {
            Some(self.shaper.shape("-", face)?)
        } else {
            None
        };
        let hyphen_width = hyphen.as_ref().map_or(0.0, |h| h.width * size);
        self.atoms.push(Atom {
            shaped: shaped.clone(),
            size,
            rise: 0.0,
            link,
            strike,
            hyphen,
            mark: None,
            targets: std::mem::take(&mut self.pending_targets),
            lemmas: std::mem::take(&mut self.pending_lemmas),
            tag,
            words: self.words.count,
            starts_word: false,
        });
        let atom = self.atoms.len() - 1;
        let mut from = 0;
        for (at, adds_hyphen, penalty) in breaks {
            let to = shaped.glyphs.iter().take_while(|g| g.cluster < at).count();
            if to <= from {
                continue;
            }
            let width: f32 = shaped.glyphs[from..to].iter().map(|g| g.advance).sum();
            self.push(
                Element::Box {
                    width: width * size,
                },
                Content::Glyphs { atom, from, to },
            );
            self.push(
                Element::Penalty {
                    width: if adds_hyphen { hyphen_width } else { 0.0 },
                    penalty,
                    flagged: adds_hyphen,
                },
                Content::Nothing,
            );
            from = to;
        }
        let to = shaped.glyphs.len();
        let width: f32 = shaped.glyphs[from..].iter().map(|g| g.advance).sum();
        self.push(
            Element::Box {
                width: width * size,
            },
            Content::Glyphs { atom, from, to },
        );
        Ok(())
    }

    fn finish_paragraph(&mut self) {
        self.source("");
        while matches!(self.elements.last(), Some(Element::Glue { .. })) {
            self.elements.pop();
            self.contents.pop();
            if let Some(bidi) = &mut self.bidi {
                bidi.starts.pop();
            }
        }
        let fill = Element::Glue {
            width: 0.0,
            stretch: 1e6,
            shrink: 0.0,
        };
        let forbid = Element::Penalty {
            width: 0.0,
            penalty: INFINITE_PENALTY,
            flagged: false,
        };
        let force = Element::Penalty {
            width: 0.0,
            penalty: -INFINITE_PENALTY,
            flagged: false,
        };
        for element in [forbid, fill, force] {
            self.push(element, Content::Nothing);
        }
    }
}
