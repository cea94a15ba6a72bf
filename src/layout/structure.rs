//! What each drawn item is in the book's logical structure, for a tagged PDF: every glyph
//! run, rule, image and link area carries a [`Tag`], either page furniture (an artifact) or
//! the path of structure elements it belongs to, from its part down (`Sect` › `L` › `LI` ›
//! `LBody` › `P` › `Link`). The PDF writer builds the structure tree from these paths; the
//! layout decides them, since only it knows which block a line comes from.
//!
//! A paragraph is set before it is known where it goes: the lines come out of
//! [`super::paragraph::set_paragraph`] with paths *relative* to their block (empty, or an
//! inline element such as a link or a note's reference), and the block that set them roots
//! them under its own path ([`root_lines`]). A path is complete when it starts at a
//! top-level element ([`Role::is_top_level`]); the writer refuses content that is not.

use std::sync::Arc;

/// A standard structure type of PDF 1.7 (ISO 32000-1, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A section of the book: the title page, a manuscript section, a generated part.
    Sect,
    /// The contents.
    Toc,
    /// One entry of the contents.
    Toci,
    /// A heading of level 1 to 3.
    H(u8),
    P,
    L,
    Li,
    Lbl,
    LBody,
    BlockQuote,
    Table,
    Tr,
    /// A header cell, for the column (`true`) or the row under it.
    Th {
        column: bool,
    },
    Td,
    Link,
    Figure,
    Caption,
    /// A note, placed after the content of the element that marks it.
    Note,
    /// The mark that calls a note.
    Reference,
    /// Text set as code: a code span, or the lines of a code block (a link in code is a
    /// `Link`).
    Code,
}

impl Role {
    /// The structure type's name in the PDF.
    pub fn name(self) -> &'static str {
        match self {
            Role::Sect => "Sect",
            Role::Toc => "TOC",
            Role::Toci => "TOCI",
            Role::H(1) => "H1",
            Role::H(2) => "H2",
            Role::H(_) => "H3",
            Role::P => "P",
            Role::L => "L",
            Role::Li => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Table => "Table",
            Role::Tr => "TR",
            Role::Th { .. } => "TH",
            Role::Td => "TD",
            Role::Link => "Link",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
            Role::Note => "Note",
            Role::Reference => "Reference",
            Role::Code => "Code",
        }
    }

    /// Whether an element of this type is a child of the document itself.
    pub fn is_top_level(self) -> bool {
        matches!(self, Role::Sect | Role::Toc | Role::Figure)
    }
}

/// One element on a path: its type, an index that tells it from its siblings of the same
/// type (a block's position in its section, a row's number, a note's index), and the
/// attributes some types need. Paths are held by every drawn item, so a step is kept small:
/// the rare attributes are shared behind one pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step {
    pub role: Role,
    pub index: u32,
    attributes: Option<Arc<Attributes>>,
}

/// What few elements carry besides their type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Attributes {
    /// The language of the element's content when it is not the document's (BCP 47).
    lang: Option<Arc<str>>,
    /// The text alternative of a figure.
    alt: Option<Arc<str>>,
}

impl Step {
    pub fn new(role: Role, index: usize) -> Step {
        Step {
            role,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            attributes: None,
        }
    }

    /// The step with the language of its content.
    pub fn with_lang(self, lang: &str) -> Step {
        let alt = self.alt().map(Arc::from);
        self.with(Some(Arc::from(lang)), alt)
    }

    /// The step with a text alternative.
    pub fn with_alt(self, alt: &str) -> Step {
        let lang = self.lang().map(Arc::from);
        self.with(lang, Some(Arc::from(alt)))
    }

    fn with(self, lang: Option<Arc<str>>, alt: Option<Arc<str>>) -> Step {
        Step {
            attributes: Some(Arc::new(Attributes { lang, alt })),
            ..self
        }
    }

    /// The language of the element's content when it is not the document's.
    pub fn lang(&self) -> Option<&str> {
        self.attributes.as_ref()?.lang.as_deref()
    }

    /// The text alternative of a figure.
    pub fn alt(&self) -> Option<&str> {
        self.attributes.as_ref()?.alt.as_deref()
    }
}

/// Where a drawn item belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Page furniture: running heads, folios, margin numbers, rules, ornaments.
    Artifact,
    /// Content of the last element of the path.
    Content(Arc<[Step]>),
}

impl Tag {
    /// Content of the block that sets it, not yet rooted.
    pub fn relative() -> Tag {
        thread_local! {
            // One empty path per thread, shared: most drawn items are the content of the
            // block that sets them, and a new empty path each would be an allocation each.
            static EMPTY: Arc<[Step]> = Arc::from([]);
        }
        Tag::Content(EMPTY.with(Arc::clone))
    }

    /// Content of an inline element of the block that sets it, not yet rooted.
    pub fn inline(step: Step) -> Tag {
        Tag::Content(Arc::from([step]))
    }

    /// Content whose whole path is known.
    pub fn at(path: &[Step]) -> Tag {
        Tag::Content(Arc::from(path))
    }

    /// Whether the path starts at a top-level element (or the item is an artifact).
    pub fn is_rooted(&self) -> bool {
        match self {
            Tag::Artifact => true,
            Tag::Content(path) => path.first().is_some_and(|s| s.role.is_top_level()),
        }
    }

    /// The tag under `base`: a relative path gets `base` before it; artifacts and rooted
    /// paths stay as they are.
    pub fn rooted(&self, base: &Arc<[Step]>) -> Tag {
        match self {
            Tag::Content(path) if !self.is_rooted() => {
                if path.is_empty() {
                    Tag::Content(base.clone())
                } else {
                    Tag::Content(base.iter().chain(path.iter()).cloned().collect())
                }
            }
            other => other.clone(),
        }
    }
}

/// The tag of an item, for the items that are drawn (destinations have none).
pub fn tag_of(item: &super::Item) -> Option<&Tag> {
    match item {
        super::Item::Glyphs(run) => Some(&run.tag),
        super::Item::Rule(rule) => Some(&rule.tag),
        super::Item::Link(link) => Some(&link.tag),
        super::Item::Image { tag, .. } => Some(tag),
        super::Item::Destination(_) => None,
    }
}

pub fn tag_of_mut(item: &mut super::Item) -> Option<&mut Tag> {
    match item {
        super::Item::Glyphs(run) => Some(&mut run.tag),
        super::Item::Rule(rule) => Some(&mut rule.tag),
        super::Item::Link(link) => Some(&mut link.tag),
        super::Item::Image { tag, .. } => Some(tag),
        super::Item::Destination(_) => None,
    }
}

/// Roots the relative tags of `items` under `base`.
pub fn root_items(items: &mut [super::Item], base: &Arc<[Step]>) {
    for item in items {
        if let Some(tag) = tag_of_mut(item) {
            if !tag.is_rooted() {
                *tag = tag.rooted(base);
            }
        }
    }
}

/// Marks every item as page furniture.
pub fn make_artifacts(items: &mut [super::Item]) {
    for item in items {
        if let Some(tag) = tag_of_mut(item) {
            *tag = Tag::Artifact;
        }
    }
}

/// Roots the relative tags of set lines under `base`.
pub(crate) fn root_lines(lines: &mut [super::paragraph::Line], base: &Arc<[Step]>) {
    for line in lines {
        root_items(&mut line.frame.items, base);
    }
}

/// A path one element deeper.
pub fn child(path: &[Step], step: Step) -> Arc<[Step]> {
    path.iter().cloned().chain(std::iter::once(step)).collect()
}
