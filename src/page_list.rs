//! The print edition's pagination as plain data: where each page of the PDF begins, in
//! terms of the model that both renderers read. The layout fills it as it sets pages; the
//! EPUB reads it to place its page-break markers and its `page-list`, knowing nothing of
//! the layout.
//!
//! A place in a section's text is a word of one of its top-level blocks. Words are counted
//! the same way on both sides, by [`WordCounter`]: a word is a run of characters other than
//! the spaces lines break at (space, tab, line feed, carriage return), over the text runs of
//! a paragraph, a heading or a table cell, across changes of style; a forced line break
//! ends a word; note marks, generated words (labels, page numbers of the Index) and code
//! are not counted. A page that begins inside a word (a word hyphenated across the page
//! break) begins, for the ebook, after that word.

use crate::model::Inline;

/// The pagination of one PDF: every page, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageList {
    /// The print edition the numbers come from, as a reader would name it (paper size
    /// included: another paper paginates differently).
    pub source: String,
    pub pages: Vec<PrintPage>,
}

/// One page of the print edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPage {
    /// The page's label, the same as the PDF's (`Cover`, `1`, `2`, …).
    pub label: String,
    /// Where the page begins.
    pub start: PageStart,
}

/// Where a printed page begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStart {
    /// The cover.
    Cover,
    /// The title page.
    TitlePage,
    /// The contents, from entry `entry` on (0 is the top, before its title; entry `k` is
    /// the `k`th line of the contents, counted from 1 in reading order, sub-entries
    /// included).
    Contents { entry: usize },
    /// Before word `word` (from 0) of the top-level block `block` of section `section`.
    Text {
        section: usize,
        block: usize,
        word: usize,
    },
    /// After the text of section `section` (a page that holds only notes continued from the
    /// page before).
    SectionEnd { section: usize },
    /// The witnesses table from row `row` on (0 is the top of the part, before its title;
    /// `k` the `k`th witness's row, counted from 1).
    Witnesses { row: usize },
    /// The points of divergence from the row of the note numbered `note` on; `None` is the
    /// top of the part.
    Divergences { note: Option<usize> },
    /// The points of divergence after their last table: a page of a later panel of the
    /// print table (the print edition sets the witnesses' columns in panels, the ebook one
    /// table per text).
    DivergencesEnd,
}

/// The edition's paper, named for a page-break source: `A4 (210 × 297 mm)`.
pub fn paper_name(paper: crate::model::Paper) -> String {
    use crate::model::Paper;
    let (width, height) = paper.size();
    let mm = |points: f32| (points / 72.0 * 25.4).round() as i64;
    let name = match paper {
        Paper::A4 => "A4",
        Paper::Letter => "US Letter",
        Paper::A5 => "A5",
        Paper::B5 => "B5",
        Paper::Royal => "Royal octavo",
        Paper::Custom { .. } => {
            return format!("{} × {} mm", mm(width), mm(height));
        }
    };
    format!("{name} ({} × {} mm)", mm(width), mm(height))
}

/// Counts words as the page list counts them (see the module's documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct WordCounter {
    /// Words begun so far.
    pub count: usize,
    /// The last character counted belongs to a word.
    in_word: bool,
}

/// Whether lines may break at `c` (the spaces between words).
pub fn is_word_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

impl WordCounter {
    /// A counter that has counted `count` words, the last one finished.
    pub fn after(count: usize) -> WordCounter {
        WordCounter {
            count,
            in_word: false,
        }
    }

    /// Counts the words of `text`, a text run following what was counted before.
    pub fn text(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    /// Counts one character; returns the index of the word it begins, if it begins one.
    pub fn char(&mut self, c: char) -> Option<usize> {
        if is_word_space(c) {
            self.in_word = false;
            return None;
        }
        if self.in_word {
            return None;
        }
        self.in_word = true;
        self.count += 1;
        Some(self.count - 1)
    }

    /// Whether the next character, if it is no space, continues a word.
    pub fn in_word(&self) -> bool {
        self.in_word
    }

    /// A forced line break: the next character begins a word.
    pub fn line_break(&mut self) {
        self.in_word = false;
    }

    /// Counts the words of one run of model inlines (a paragraph, a heading, a cell).
    pub fn inlines(&mut self, inlines: &[Inline]) {
        self.in_word = false;
        for inline in inlines {
            match inline {
                Inline::Text { text, .. } => self.text(text),
                Inline::LineBreak => self.line_break(),
                Inline::NoteRef { .. }
                | Inline::LemmaStart { .. }
                | Inline::Target { .. }
                | Inline::PlaceRefs(_) => {}
            }
        }
        self.in_word = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            style: Default::default(),
            link: None,
            span: crate::source::Span::default(),
        }
    }

    #[test]
    fn words_run_across_styles_and_stop_at_spaces_and_breaks() {
        let mut counter = WordCounter::default();
        counter.inlines(&[
            text("The  letter"),
            text("’s"),
            Inline::NoteRef { index: 0 },
            text(" came\u{a0}back"),
            Inline::LineBreak,
            text("again "),
        ]);
        // The, letter’s, came back (a no-break space joins), again.
        assert_eq!(counter.count, 4);
        let mut fresh = WordCounter::default();
        assert_eq!(fresh.char('a'), Some(0));
        assert_eq!(fresh.char('b'), None);
        assert_eq!(fresh.char(' '), None);
        assert_eq!(fresh.char('c'), Some(1));
    }

    #[test]
    fn papers_are_named_with_their_size() {
        assert_eq!(paper_name(crate::model::Paper::A4), "A4 (210 × 297 mm)");
        assert_eq!(paper_name(crate::model::Paper::A5), "A5 (148 × 210 mm)");
        assert_eq!(
            paper_name(crate::model::Paper::Custom {
                width: 481.9,
                height: 680.3
            }),
            "170 × 240 mm"
        );
    }
}
