//! Blocks and inline runs of the model as XHTML: paragraphs, headings, lists, quotes, styled
//! runs, links (to the web and to places of the book), and note marks.

use super::xml::{push_attr, push_text};
use super::Book;
use crate::model::{Block, Inline, Link, Style};
use crate::page_list::{PageStart, WordCounter};

/// Writes model content into one XHTML document, numbering the headings it meets.
pub(crate) struct Markup<'a> {
    pub(crate) book: &'a Book<'a>,
    pub(crate) out: String,
    /// Top headings of the body written so far (level 2, and level 1 after the title), as
    /// `(id, plain title)`, for the table of contents.
    pub(crate) headings: Vec<(String, String)>,
    /// Headings below the title written so far, for their ids.
    subheadings: usize,
    /// Whether the document's title heading (`id="title"`) is written.
    titled: bool,
    /// Tables written so far, for their ids.
    tables: usize,
    /// The print edition's page breaks still to be placed in this document, in order.
    breaks: std::collections::VecDeque<PageBreak>,
    /// The labels of the page breaks placed so far.
    pub(crate) placed: Vec<String>,
    /// The top-level block of a section being written, and its words written so far.
    block: usize,
    words: WordCounter,
}

/// A page of the print edition that begins in the document being written.
#[derive(Debug, Clone)]
pub(crate) struct PageBreak {
    pub(crate) label: String,
    pub(crate) start: PageStart,
}

impl<'a> Markup<'a> {
    pub(crate) fn new(book: &'a Book<'a>) -> Markup<'a> {
        Markup {
            book,
            out: String::new(),
            headings: Vec::new(),
            subheadings: 0,
            titled: false,
            tables: 0,
            breaks: Default::default(),
            placed: Vec::new(),
            block: 0,
            words: WordCounter::default(),
        }
    }

    /// Markup that places the page breaks `breaks` (in order) as it meets their places.
    pub(crate) fn with_breaks(book: &'a Book<'a>, breaks: Vec<PageBreak>) -> Markup<'a> {
        Markup {
            breaks: breaks.into(),
            ..Markup::new(book)
        }
    }

    /// The page breaks not placed yet, for another writer of the same document.
    pub(crate) fn into_breaks(self) -> Vec<PageBreak> {
        self.breaks.into()
    }

    /// Writes the page-break markers of the pages that begin here: those in front of the
    /// queue while `here` says their place is reached.
    pub(crate) fn page_breaks(&mut self, here: impl Fn(&PageStart) -> bool) {
        while self.breaks.front().is_some_and(|b| here(&b.start)) {
            let Some(page) = self.breaks.pop_front() else {
                break;
            };
            self.pagebreak(&page.label);
        }
    }

    /// Every page break not placed yet, here (the end of what they belong to).
    pub(crate) fn remaining_page_breaks(&mut self) {
        self.page_breaks(|_| true);
    }

    /// A page-break marker: where page `label` of the print edition begins.
    fn pagebreak(&mut self, label: &str) {
        self.raw("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"");
        self.attr(&pagebreak_id(label));
        self.raw("\" aria-label=\"");
        self.attr(label);
        self.raw("\"/>");
        self.placed.push(label.to_owned());
    }

    /// Top-level block `block` of a section begins: the pages that begin before its first
    /// word (or in an earlier block, after its last) are marked here.
    pub(crate) fn enter_block(&mut self, block: usize) {
        self.block = block;
        self.words = WordCounter::default();
        self.page_breaks(|start| match *start {
            PageStart::Text { block: b, word, .. } => b < block || b == block && word == 0,
            _ => false,
        });
    }

    /// Text of the model (counted for the page breaks): a page that begins at one of its
    /// words is marked before that word.
    fn model_text(&mut self, text: &str) {
        let block = self.block;
        let waiting = |breaks: &std::collections::VecDeque<PageBreak>| matches!(breaks.front(), Some(PageBreak { start: PageStart::Text { block: b, .. }, .. }) if *b == block);
        if !waiting(&self.breaks) {
            self.words.text(text);
            self.text(text);
            return;
        }
        let mut from = 0;
        for (at, c) in text.char_indices() {
            let Some(word) = self.words.char(c) else {
                continue;
            };
            let due = matches!(self.breaks.front(), Some(PageBreak { start: PageStart::Text { block: b, word: w, .. }, .. }) if *b == block && *w <= word);
            if due {
                push_text(&mut self.out, &text[from..at]);
                from = at;
                self.page_breaks(|start| {
                    matches!(*start, PageStart::Text { block: b, word: w, .. } if b == block && w <= word)
                });
            }
        }
        push_text(&mut self.out, &text[from..]);
    }

    /// Appends raw markup (tags built by the caller; never text from the edition).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    pub(crate) fn text(&mut self, text: &str) {
        push_text(&mut self.out, text);
    }

    pub(crate) fn attr(&mut self, value: &str) {
        push_attr(&mut self.out, value);
    }

    /// `<tag class="class">content</tag>` with escaped plain text; no class when empty.
    pub(crate) fn element(&mut self, tag: &str, class: &str, text: &str) {
        self.open(tag, class);
        self.text(text);
        self.close(tag);
    }

    /// Like [`Markup::element`], with no line break after it.
    pub(crate) fn element_inline(&mut self, tag: &str, class: &str, text: &str) {
        self.open(tag, class);
        self.text(text);
        self.raw("</");
        self.raw(tag);
        self.raw(">");
    }

    pub(crate) fn open(&mut self, tag: &str, class: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        if !class.is_empty() {
            self.out.push_str(" class=\"");
            self.out.push_str(class);
            self.out.push('"');
        }
        self.out.push('>');
    }

    pub(crate) fn close(&mut self, tag: &str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// A link to another place in the book, with escaped plain text.
    pub(crate) fn link(&mut self, href: &str, text: &str) {
        self.raw("<a href=\"");
        self.attr(href);
        self.raw("\">");
        self.text(text);
        self.raw("</a>");
    }

    /// Block content; headings get `id="h-N"` and level-2 ones are remembered for the
    /// contents. Level-1 headings become `h1`, the document's title.
    pub(crate) fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// A witness's body blocks, the section's from its block `first`, with their citable
    /// numbers: a numbered paragraph gets the id
    /// `p-<SIGIL>-<n>` and its number, small, before its text; a numbered quote, list or
    /// code block is wrapped in a `div` that carries both.
    pub(crate) fn numbered_blocks(
        &mut self,
        first: usize,
        blocks: &[Block],
        numbers: &[Option<u32>],
        sigil: Option<&str>,
    ) {
        for (i, block) in blocks.iter().enumerate() {
            self.enter_block(first + i);
            let number = numbers.get(i).copied().flatten();
            let (Some(sigil), Some(n)) = (sigil, number) else {
                self.block(block);
                continue;
            };
            let id = paragraph_id(sigil, n);
            match block {
                Block::Paragraph(content) => {
                    self.raw("<p id=\"");
                    self.attr(&id);
                    self.raw(&format!("\"><span class=\"para-number\">{n}</span>"));
                    self.inlines(content);
                    self.close("p");
                }
                other => {
                    self.raw("<div class=\"numbered\" id=\"");
                    self.attr(&id);
                    self.raw(&format!("\"><span class=\"para-number\">{n}</span>\n"));
                    self.block(other);
                    self.raw("</div>\n");
                }
            }
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, content } => {
                self.heading(*level, content);
            }
            Block::HeaderLine { content, .. } | Block::Paragraph(content) => {
                self.paragraph("", content)
            }
            Block::Entry { id, content } => {
                self.raw("<p class=\"entry\" id=\"");
                self.attr(id);
                self.raw("\">");
                self.inlines(content);
                self.close("p");
            }
            Block::Quote(inner) => {
                self.raw("<blockquote>\n");
                self.blocks(inner);
                self.raw("</blockquote>\n");
            }
            Block::List { start, items } => {
                match start {
                    Some(1) => self.raw("<ol>\n"),
                    Some(n) => self.raw(&format!("<ol start=\"{n}\">\n")),
                    None => self.raw("<ul>\n"),
                }
                for item in items {
                    self.raw("<li>");
                    self.blocks(item);
                    self.raw("</li>\n");
                }
                self.raw(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Code(code) => {
                self.raw("<pre><code>");
                self.text(code);
                self.raw("</code></pre>\n");
            }
            Block::Rule => self.raw("<hr/>\n"),
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure),
            Block::ChronologyTable { head, rows } => self.chronology_table(head, rows),
            Block::Timeline(timeline) => {
                // The table before the figure (the Chronology's) is its long description.
                self.raw("<figure class=\"timeline\"><img src=\"");
                self.attr(&super::timeline::file_name(timeline));
                self.raw("\" alt=\"");
                self.attr(&timeline.alt);
                self.raw(&format!(
                    "\" aria-describedby=\"table-{}\"/></figure>\n",
                    self.tables
                ));
            }
        }
    }

    /// A figure: the image with its text alternative, and its caption.
    fn figure(&mut self, figure: &crate::model::Figure) {
        self.raw("<figure>\n");
        match self.book.figure_file(&figure.path) {
            Some(file) => {
                self.raw("<img src=\"");
                self.attr(file);
                self.raw("\" alt=\"");
                self.attr(&figure.alt);
                self.raw("\"/>\n");
            }
            // Every figure's image is read at load; without one, its description stands in.
            None => self.element("p", "figure-alt", &figure.alt),
        }
        if !figure.caption.is_empty() {
            self.raw("<figcaption>");
            self.inlines(&figure.caption);
            self.raw("</figcaption>\n");
        }
        self.raw("</figure>\n");
    }

    /// A table: its header cells are column headers; alignment is a class of each cell.
    fn table(&mut self, table: &crate::model::Table) {
        let class = |column: usize| match table.align.get(column) {
            Some(crate::model::CellAlign::Left) => " class=\"left\"",
            Some(crate::model::CellAlign::Center) => " class=\"center\"",
            Some(crate::model::CellAlign::Right) => " class=\"right\"",
            _ => "",
        };
        self.raw("<table>\n<thead>\n<tr>");
        for (column, cell) in table.header.iter().enumerate() {
            self.raw(&format!("<th scope=\"col\"{}>", class(column)));
            self.inlines(cell);
            self.raw("</th>\n");
        }
        self.raw("</tr>\n</thead>\n");
        if !table.rows.is_empty() {
            self.raw("<tbody>\n");
            for row in &table.rows {
                self.raw("<tr>");
                for (column, cell) in row.iter().enumerate() {
                    self.raw(&format!("<td{}>", class(column)));
                    self.inlines(cell);
                    self.raw("</td>\n");
                }
                self.raw("</tr>\n");
            }
            self.raw("</tbody>\n");
        }
        self.raw("</table>\n");
    }

    /// A generated table, its first column the row headers; each table gets an id
    /// (`table-N`) that a figure it describes points to.
    fn chronology_table(&mut self, head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        self.tables += 1;
        self.raw(&format!(
            "<table id=\"table-{}\">\n<thead><tr>",
            self.tables
        ));
        for cell in head {
            if crate::model::plain_text(cell).trim().is_empty() {
                // The corner above the row headers heads nothing (an empty header is an
                // accessibility fault).
                self.raw("<td></td>\n");
                continue;
            }
            self.raw("<th scope=\"col\">");
            self.inlines(cell);
            self.raw("</th>\n");
        }
        self.raw("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.raw("<tr>");
            for (i, cell) in row.iter().enumerate() {
                self.raw(if i == 0 { "<th scope=\"row\">" } else { "<td>" });
                self.inlines(cell);
                self.raw(if i == 0 { "</th>\n" } else { "</td>\n" });
            }
            self.raw("</tr>\n");
        }
        self.raw("</tbody>\n</table>\n");
    }

    /// A heading of the given model level; returns its id.
    pub(crate) fn heading(&mut self, level: u8, content: &[Inline]) -> String {
        let level = level.clamp(1, 6);
        // Only the first level-1 heading is the document's title; any later one (a `#`
        // heading in a body) is numbered like the others, so ids stay unique.
        let id = if level == 1 && !self.titled {
            self.titled = true;
            "title".to_owned()
        } else {
            self.subheadings += 1;
            format!("h-{}", self.subheadings)
        };
        self.raw(&format!("<h{level} id=\"{id}\">"));
        self.inlines(content);
        self.raw(&format!("</h{level}>\n"));
        // The body's top headings (a `#` after the title, or `##`) go in the contents.
        if level == 2 || id != "title" && level == 1 {
            self.headings
                .push((id.clone(), crate::model::plain_text(content)));
        }
        id
    }

    /// The document's title heading from plain text.
    pub(crate) fn plain_title(&mut self, class: &str, text: &str) {
        self.titled = true;
        self.raw("<h1 id=\"title\"");
        if !class.is_empty() {
            self.raw(&format!(" class=\"{class}\""));
        }
        self.raw(">");
        self.text(text);
        self.raw("</h1>\n");
    }

    /// `<p class="…">` around inline content.
    pub(crate) fn paragraph(&mut self, class: &str, content: &[Inline]) {
        self.open("p", class);
        self.inlines(content);
        self.close("p");
    }

    /// Inline runs: consecutive runs sharing a link are one `<a>`; the words of a link that
    /// cannot be followed (or to a place this book lacks) are plain text.
    pub(crate) fn inlines(&mut self, inlines: &[Inline]) {
        // Words are counted run by run, as the print edition sets its paragraphs.
        self.words.line_break();
        let mut i = 0;
        while i < inlines.len() {
            match &inlines[i] {
                Inline::Text { link, .. } => {
                    let end = inlines[i..]
                        .iter()
                        .position(|x| !same_link(x, link.as_ref()))
                        .map_or(inlines.len(), |n| i + n);
                    let (class, href) = match link {
                        Some(Link::Web(url)) => ("web", Some(url.clone())),
                        Some(Link::Place(id)) => {
                            let class = if self.book.links_to_entry(id) {
                                "cite"
                            } else {
                                "place"
                            };
                            (class, self.book.target_href(id))
                        }
                        Some(Link::Unfollowable { .. }) | None => ("", None),
                    };
                    match href {
                        Some(href) => {
                            self.raw(&format!("<a class=\"{class}\" href=\""));
                            self.attr(&href);
                            self.raw("\">");
                            self.styled_runs(&inlines[i..end]);
                            self.raw("</a>");
                        }
                        None => self.styled_runs(&inlines[i..end]),
                    }
                    i = end;
                }
                Inline::LineBreak => {
                    self.words.line_break();
                    self.raw("<br/>");
                    i += 1;
                }
                Inline::NoteRef { index } => {
                    // Marks after the same word are parted by a comma: "2,3", not "23".
                    if i > 0 && matches!(inlines[i - 1], Inline::NoteRef { .. }) {
                        self.raw("<sup class=\"noteref-sep\">,</sup>");
                    }
                    self.note_mark(*index);
                    i += 1;
                }
                // The PDF's business: the EPUB has no lines to key an entry to.
                Inline::LemmaStart { .. } => i += 1,
                Inline::Target { id } => {
                    self.raw("<span id=\"");
                    self.attr(id);
                    self.raw("\"></span>");
                    i += 1;
                }
                Inline::PlaceRefs(refs) => {
                    // Places in one paragraph are one reference, to the first of them.
                    let mut last: Option<&str> = None;
                    for place in refs {
                        if last == Some(place.label.as_str()) {
                            continue;
                        }
                        if last.is_some() {
                            self.raw(", ");
                        }
                        last = Some(&place.label);
                        match self.book.target_href(&place.target) {
                            Some(href) => self.link(&href, &place.label),
                            None => self.text(&place.label),
                        }
                    }
                    i += 1;
                }
            }
        }
    }

    fn styled_runs(&mut self, runs: &[Inline]) {
        for run in runs {
            if let Inline::Text { text, style, .. } = run {
                self.styled(text, *style);
            }
        }
    }

    fn styled(&mut self, text: &str, style: Style) {
        let tags: Vec<&str> = [
            (style.bold, "strong"),
            (style.italic, "em"),
            (style.code, "code"),
            (style.strike, "del"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, tag)| *tag)
        .collect();
        for tag in &tags {
            self.raw(&format!("<{tag}>"));
        }
        self.model_text(text);
        for tag in tags.iter().rev() {
            self.raw(&format!("</{tag}>"));
        }
    }

    /// The mark of note `notes[index]`, linking to the note at the end of its chapter (the
    /// same document: marks and notes of a section share its file).
    fn note_mark(&mut self, index: usize) {
        let note = &self.book.edition.notes[index];
        let (n, mark) = (note.number, &note.mark);
        self.raw(&format!(
            "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"ref-{n}\" href=\"#note-{n}\">{mark}</a>"
        ));
    }
}

/// The id of the marker where page `label` of the print edition begins: `page-12`.
pub(crate) fn pagebreak_id(label: &str) -> String {
    format!("page-{label}")
}

/// The id of paragraph `n` of the witness `sigil`: `p-A-12`.
pub(crate) fn paragraph_id(sigil: &str, n: u32) -> String {
    format!("p-{sigil}-{n}")
}

/// Whether a run belongs to the link group that started with `link` (the start of a lemma,
/// which shows nothing, does not interrupt it).
fn same_link(inline: &Inline, link: Option<&Link>) -> bool {
    match inline {
        Inline::Text { link: l, .. } => l.as_ref() == link,
        Inline::LemmaStart { .. } => true,
        _ => false,
    }
}
