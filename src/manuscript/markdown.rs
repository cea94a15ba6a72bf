//! CommonMark text into [`Block`]s of [`Inline`] runs with source spans.
//!
//! Tables and strikethrough (GFM) are read; everything else pulldown-cmark can recognise and
//! Variorum does not render (raw HTML, footnotes, definition lists, math, task-list boxes,
//! heading attributes) is refused with its location and a hint, so that no syntax character
//! reaches a reader as if it were text. The extensions are switched on to *detect* those
//! constructs. Each link's target is decided here ([`Link::classify`]): a web address stays
//! a link, and one that cannot be followed (a path of the site a page came from, a file, an
//! empty target) keeps its words as plain text and is reported as a warning naming it, since
//! web captures are full of them. Nesting is capped, so that no renderer has to recurse
//! without bound.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, CellAlign, Figure, Inline, Link, Style, Table};
use crate::source::{FileId, Span};
use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

/// Block quotes and lists nested deeper than this are refused.
pub const MAX_NESTING: usize = 16;

/// Where a piece of Markdown comes from.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub file: FileId,
    /// Byte offset of the Markdown text in its file.
    pub base: usize,
    /// When the text is a YAML scalar its offsets do not map onto the file: every span is
    /// then this one (the whole value).
    pub whole: Option<Span>,
    /// The editor's own text (an introduction, back matter, a note), which gets typographic
    /// punctuation (curly quotes and apostrophes, dashes, ellipses; see [`localise_quotes`]
    /// for other languages than English). `false` for a witness's text (and a reading),
    /// which is shown exactly as transcribed.
    pub editorial: bool,
}

impl Origin {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        self.whole
            .unwrap_or_else(|| Span::new(self.file, self.base + range.start, self.base + range.end))
    }
}

/// Parses Markdown into blocks, reporting what it refuses. Returns what could be read.
pub fn parse(text: &str, origin: Origin, diags: &mut Diagnostics) -> Vec<Block> {
    let mut builder = Builder {
        origin,
        open: vec![Open::Root(Vec::new())],
        italic: 0,
        bold: 0,
        strike: 0,
        links: Vec::new(),
        warnings: Vec::new(),
        too_deep: false,
        in_html_block: false,
        html_reported: false,
        refused: 0,
        image: None,
        figures: Vec::new(),
    };
    let mut options = options();
    if origin.editorial {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        // A block refused as a whole is shown by its first line.
        let range = match event {
            Event::Start(
                Tag::HtmlBlock
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::Heading { .. },
            )
            | Event::DisplayMath(_) => {
                let first = text[range.clone()].find('\n').unwrap_or(range.len());
                range.start..range.start + first.max(1).min(range.len())
            }
            _ => range,
        };
        if let Err(d) = builder.event(event, range) {
            diags.push(*d);
            if builder.too_deep {
                break;
            }
        }
    }
    for warning in std::mem::take(&mut builder.warnings) {
        diags.push(warning);
    }
    builder.finish()
}

/// The warning for a link whose target cannot be followed: its words stay, as plain text.
pub fn unfollowable_link(target: &str, why: crate::model::Unfollowable, span: Span) -> Diagnostic {
    Diagnostic::warning(format!(
        "link target `{target}` cannot be followed: {}",
        why.reason()
    ))
    .at(span, "shown as plain text")
    .hint("the words are kept, without a link; write the full web address (`https://…`) to keep the link, or remove the `[…](…)` around the words")
}

/// Puts the typographic double quotes of editorial text (English style, as parsing makes
/// them) in the conventions of `language`: „…“ in German, «…» in French (with narrow
/// no-break spaces), Italian, Spanish and Russian. Apostrophes stay ’.
pub fn localise_quotes(blocks: &mut [Block], language: &str) {
    let (open, close) = match crate::labels::primary_subtag(language).as_str() {
        "de" => ("„", "“"),
        "fr" => ("«\u{202f}", "\u{202f}»"),
        "ru" | "es" | "it" => ("«", "»"),
        _ => return,
    };
    crate::model::walk_inlines_mut(blocks, &mut |content| {
        for inline in content {
            if let Inline::Text { text, .. } = inline {
                if text.contains(['“', '”']) {
                    *text = text.replace('“', open).replace('”', close);
                }
            }
        }
    });
}

/// The syntax pulldown-cmark is asked to recognise: what Variorum renders (tables,
/// strikethrough) and what it refuses (footnotes, definition lists, math, task lists,
/// heading attributes), so that the refused constructs are found rather than printed.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A container still open while events arrive.
enum Open {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    /// `implicit` paragraphs hold the text of tight list items.
    Paragraph {
        content: Vec<Inline>,
        implicit: bool,
    },
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Code(String),
    Table {
        align: Vec<CellAlign>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// The header row or a body row of the open table.
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
}

struct Builder {
    origin: Origin,
    open: Vec<Open>,
    italic: usize,
    bold: usize,
    strike: usize,
    /// The targets of the open links, innermost last.
    links: Vec<Link>,
    /// Links that cannot be followed, reported when the text is read.
    warnings: Vec<Diagnostic>,
    too_deep: bool,
    /// Inside a raw HTML block, already reported as a whole.
    in_html_block: bool,
    /// Raw inline HTML was reported in the current block: one report a paragraph is enough.
    html_reported: bool,
    /// How deep inside a refused container (a footnote definition, a definition list) the
    /// events are: its content was reported with it and is not read.
    refused: usize,
    /// The image being read: its alt text gathers until it ends.
    image: Option<Figure>,
    /// The images of the open paragraph, which is a figure when it holds one and nothing else.
    figures: Vec<Figure>,
}

impl Builder {
    /// The first character of an event's span: a block marker (`>`, `-`, `1.`), which is
    /// ASCII; for Markdown inside a YAML value, every span is the whole value.
    fn first_char(&self, span: Span) -> Span {
        match self.origin.whole {
            Some(whole) => whole,
            None => Span::new(span.file, span.start, span.start + 1),
        }
    }

    fn event(
        &mut self,
        event: Event,
        range: std::ops::Range<usize>,
    ) -> Result<(), Box<Diagnostic>> {
        let span = self.origin.span(range);
        if self.refused > 0 {
            match event {
                Event::Start(_) => self.refused += 1,
                Event::End(_) => self.refused -= 1,
                _ => {}
            }
            return Ok(());
        }
        if let Some(figure) = &mut self.image {
            match event {
                Event::Text(text) | Event::Code(text) => figure.alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => figure.alt.push(' '),
                Event::End(TagEnd::Image) => {
                    let figure = self.image.take().expect("an open image");
                    self.figure(figure)?;
                }
                // Emphasis and links inside alt text keep only their words.
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(tag) => self.start(tag, span)?,
            Event::End(end) => self.end(end)?,
            Event::Text(text) => {
                if let Some(Open::Code(code)) = self.open.last_mut() {
                    code.push_str(&text);
                } else {
                    self.text(&text, Style::default(), span);
                }
            }
            Event::Code(text) => self.text(
                &text,
                Style {
                    code: true,
                    ..Style::default()
                },
                span,
            ),
            Event::SoftBreak => self.text(" ", Style::default(), span),
            Event::HardBreak => self.inline(Inline::LineBreak),
            Event::Rule => self.close_block(Block::Rule),
            Event::Html(_) if self.in_html_block => {}
            Event::InlineHtml(_) if self.html_reported => {}
            Event::Html(_) | Event::InlineHtml(_) => {
                self.html_reported = true;
                return Err(raw_html(span));
            }
            Event::FootnoteReference(label) => {
                return Err(Box::new(
                    Diagnostic::error(format!(
                        "a Markdown footnote (`[^{label}]`) is not a Variorum note"
                    ))
                    .at(span, "footnote reference")
                    .hint(format!(
                        "notes live in `footnotes.yaml`: add a note with `anchor:` naming the words it is about; if `[^{label}]` is the text's own, escape it as `\\[^{label}]`"
                    )),
                ))
            }
            Event::TaskListMarker(_) => {
                return Err(Box::new(
                    Diagnostic::error("task-list boxes (`[ ]`, `[x]`) are not supported")
                        .at(span, "task-list box")
                        .hint("write the list without boxes; if the brackets are the text's own, escape them as `\\[ ]`"),
                ))
            }
            Event::InlineMath(_) | Event::DisplayMath(_) => {
                return Err(Box::new(
                    Diagnostic::error("math (`$…$`) is not supported")
                        .at(span, "math")
                        .hint("write the formula in words or Unicode; if the dollar signs are the text's own, escape them as `\\$`"),
                ))
            }
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag, span: Span) -> Result<(), Box<Diagnostic>> {
        let open = match tag {
            Tag::Paragraph => Open::Paragraph {
                content: Vec::new(),
                implicit: false,
            },
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                if id.is_some() || !classes.is_empty() || !attrs.is_empty() {
                    return Err(Box::new(
                        Diagnostic::error("heading attributes (`{#id .class}`) are not supported")
                            .at(span, "heading with attributes")
                            .hint("remove the braces after the heading; if they are the text's own, escape the first as `\\{`"),
                    ));
                }
                Open::Heading {
                    level: level as u8,
                    content: Vec::new(),
                }
            }
            Tag::BlockQuote(_) => Open::Quote(Vec::new()),
            Tag::List(start) => Open::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Open::Item(Vec::new()),
            Tag::CodeBlock(_) => Open::Code(String::new()),
            Tag::Emphasis => {
                self.italic += 1;
                return Ok(());
            }
            Tag::Strong => {
                self.bold += 1;
                return Ok(());
            }
            Tag::Strikethrough => {
                self.strike += 1;
                return Ok(());
            }
            Tag::Table(align) => Open::Table {
                align: align
                    .iter()
                    .map(|a| match a {
                        Alignment::None => CellAlign::None,
                        Alignment::Left => CellAlign::Left,
                        Alignment::Center => CellAlign::Center,
                        Alignment::Right => CellAlign::Right,
                    })
                    .collect(),
                header: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead | Tag::TableRow => Open::Row(Vec::new()),
            Tag::TableCell => Open::Cell(Vec::new()),
            Tag::FootnoteDefinition(label) => {
                self.refused = 1;
                return Err(Box::new(
                    Diagnostic::error(format!(
                        "a Markdown footnote definition (`[^{label}]:`) is not a Variorum note"
                    ))
                    .at(span, "footnote definition")
                    .hint("notes live in `footnotes.yaml`: add a note with `anchor:` naming the words it is about, and this text as its `text:`; if the line is the text's own, escape it as `\\[^…]:`"),
                ));
            }
            Tag::DefinitionList => {
                self.refused = 1;
                return Err(Box::new(
                    Diagnostic::error("definition lists are not supported")
                        .at(span, "definition list")
                        .hint("write the term and its definition as a paragraph (the term in `**bold**`) or as a list; if the `:` line is the text's own, escape it as `\\:`"),
                ));
            }
            Tag::Link { dest_url, .. } => {
                let link = Link::classify(&dest_url);
                if let Link::Unfollowable { target, why } = &link {
                    self.warnings.push(unfollowable_link(target, *why, span));
                }
                self.links.push(link);
                return Ok(());
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let caption = if title.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text {
                        text: title.into_string(),
                        style: Style::default(),
                        link: None,
                        span,
                    }]
                };
                self.image = Some(Figure {
                    path: dest_url.into_string(),
                    alt: String::new(),
                    caption,
                    span,
                    image: None,
                });
                return Ok(());
            }
            Tag::HtmlBlock => {
                self.in_html_block = true;
                return Err(raw_html(span));
            }
            Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {
                // Only reached with options that are not enabled; refused, never shown as markup.
                self.refused = 1;
                return Err(Box::new(
                    Diagnostic::error("this Markdown construct is not supported")
                        .at(span, "not supported")
                        .hint("write it as plain paragraphs"),
                ));
            }
        };
        self.close_implicit();
        let depth = self
            .open
            .iter()
            .filter(|o| matches!(o, Open::Quote(_) | Open::List { .. }))
            .count();
        if depth >= MAX_NESTING && matches!(open, Open::Quote(_) | Open::List { .. }) {
            self.too_deep = true;
            return Err(Box::new(
                Diagnostic::error(format!(
                    "block quotes and lists are nested deeper than {MAX_NESTING} levels"
                ))
                .at(self.first_char(span), "too deep")
                .hint("flatten the nesting; the rest of this file was not read"),
            ));
        }
        self.open.push(open);
        Ok(())
    }

    fn end(&mut self, end: TagEnd) -> Result<(), Box<Diagnostic>> {
        if end == TagEnd::Paragraph && !self.figures.is_empty() {
            return self.end_figure_paragraph();
        }
        match end {
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {}
            TagEnd::HtmlBlock => self.in_html_block = false,
            _ => {
                self.html_reported = false;
                self.close_implicit();
                if let Some(open) = self.open.pop() {
                    self.finish_open(open);
                }
            }
        }
        Ok(())
    }

    /// An image read whole: kept for its paragraph, which must hold nothing else.
    fn figure(&mut self, figure: Figure) -> Result<(), Box<Diagnostic>> {
        let alone = matches!(self.open.last(), Some(Open::Paragraph { implicit: false, content }) if content.is_empty())
            && self.figures.is_empty();
        if !alone {
            return Err(not_alone(figure.span));
        }
        if figure.alt.trim().is_empty() {
            return Err(Box::new(
                Diagnostic::error(format!("the figure `{}` has no text alternative", figure.path))
                    .at(figure.span, "no alt text")
                    .hint("say in the brackets what the image shows, for readers who cannot see it: `![The first leaf, recto](figures/leaf-1.png)`"),
            ));
        }
        self.figures.push(figure);
        Ok(())
    }

    /// The end of a paragraph that holds an image: a figure when nothing else is in it.
    fn end_figure_paragraph(&mut self) -> Result<(), Box<Diagnostic>> {
        let figures = std::mem::take(&mut self.figures);
        let Some(Open::Paragraph { content, .. }) = self.open.pop() else {
            return Ok(());
        };
        let text_only_space = content
            .iter()
            .all(|i| matches!(i, Inline::Text { text, .. } if text.trim().is_empty()));
        let mut figures = figures.into_iter();
        match (figures.next(), figures.next()) {
            (Some(figure), None) if text_only_space => {
                self.close_block(Block::Figure(figure));
                Ok(())
            }
            (Some(figure), _) => Err(not_alone(figure.span)),
            (None, _) => Ok(()),
        }
    }

    /// Turns a closed container into a block of its parent.
    fn finish_open(&mut self, open: Open) {
        let block = match open {
            Open::Paragraph { content, .. } => Block::Paragraph(content),
            Open::Heading { level, content } => Block::Heading { level, content },
            Open::Quote(blocks) => Block::Quote(blocks),
            Open::List { start, items } => Block::List { start, items },
            Open::Code(text) => Block::Code(text),
            Open::Table {
                align,
                header,
                rows,
            } => Block::Table(Table {
                align,
                header,
                rows,
            }),
            Open::Row(cells) => {
                if let Some(Open::Table { header, rows, .. }) = self.open.last_mut() {
                    if header.is_empty() && rows.is_empty() {
                        *header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                return;
            }
            Open::Cell(content) => {
                if let Some(Open::Row(cells)) = self.open.last_mut() {
                    cells.push(content);
                }
                return;
            }
            Open::Item(blocks) => {
                if let Some(Open::List { items, .. }) = self.open.last_mut() {
                    items.push(blocks);
                }
                return;
            }
            Open::Root(blocks) => {
                self.open.push(Open::Root(blocks));
                return;
            }
        };
        self.close_block(block);
    }

    fn close_block(&mut self, block: Block) {
        self.close_implicit();
        match self.open.last_mut() {
            Some(Open::Root(blocks) | Open::Quote(blocks) | Open::Item(blocks)) => {
                blocks.push(block)
            }
            // A block inside a list but outside an item cannot happen in CommonMark; keep it.
            Some(Open::List { items, .. }) => items.push(vec![block]),
            _ => {}
        }
    }

    fn close_implicit(&mut self) {
        if let Some(Open::Paragraph { implicit: true, .. }) = self.open.last() {
            if let Some(Open::Paragraph { content, .. }) = self.open.pop() {
                self.close_block(Block::Paragraph(content));
            }
        }
    }

    fn text(&mut self, text: &str, mut style: Style, span: Span) {
        style.italic = self.italic > 0;
        style.bold = self.bold > 0;
        style.strike = self.strike > 0;
        let link = self.links.last().cloned();
        self.inline(Inline::Text {
            text: text.to_owned(),
            style,
            link,
            span,
        });
    }

    fn inline(&mut self, inline: Inline) {
        if !matches!(
            self.open.last(),
            Some(Open::Paragraph { .. } | Open::Heading { .. } | Open::Cell(_))
        ) {
            self.open.push(Open::Paragraph {
                content: Vec::new(),
                implicit: true,
            });
        }
        if let Some(
            Open::Paragraph { content, .. } | Open::Heading { content, .. } | Open::Cell(content),
        ) = self.open.last_mut()
        {
            push_merged(content, inline);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.open.len() > 1 {
            self.close_implicit();
            if self.open.len() > 1 {
                let open = self.open.pop().expect("checked length");
                self.finish_open(open);
            }
        }
        match self.open.pop() {
            Some(Open::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

fn not_alone(span: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error("a figure must stand in a paragraph of its own")
            .at(span, "image among other text")
            .hint("put a blank line before and after `![…](…)`; a figure cannot sit in a heading, a table cell or a line of text"),
    )
}

fn raw_html(span: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error("raw HTML is not allowed in a manuscript")
            .at(span, "raw HTML")
            .hint("nothing from a manuscript reaches the outputs as markup: escape the angle bracket as `\\<` (or `&lt;`) to show it as text, or remove the tag"),
    )
}

/// Appends a run, merging it into the previous one when style and link agree.
fn push_merged(content: &mut Vec<Inline>, inline: Inline) {
    if let (
        Some(Inline::Text {
            text: prev,
            style: prev_style,
            link: prev_link,
            span: prev_span,
        }),
        Inline::Text {
            text,
            style,
            link,
            span,
        },
    ) = (content.last_mut(), &inline)
    {
        if prev_style == style && prev_link == link && prev_span.file == span.file {
            prev.push_str(text);
            prev_span.start = prev_span.start.min(span.start);
            prev_span.end = prev_span.end.max(span.end);
            return;
        }
    }
    content.push(inline);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn blocks(md: &str) -> (Vec<Block>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let origin = Origin {
            file: FileId(0),
            base: 10,
            whole: None,
            editorial: false,
        };
        (parse(md, origin, &mut diags), diags)
    }

    #[test]
    fn paragraphs_keep_styles_links_and_spans() {
        let (b, d) = blocks("Cut the *Gordian* knots [here](<https://x.org/a b>).\nNext line.\n");
        assert!(d.is_empty());
        let Block::Paragraph(runs) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(plain_text(runs), "Cut the Gordian knots here. Next line.");
        let Inline::Text { style, span, .. } = &runs[1] else {
            panic!()
        };
        assert!(style.italic);
        assert_eq!((span.start, span.end), (10 + 9, 10 + 16));
        assert!(runs
            .iter()
            .any(|r| matches!(r, Inline::Text { link: Some(Link::Web(l)), .. } if l == "https://x.org/a%20b")));
    }

    #[test]
    fn tight_lists_and_quotes_nest() {
        let (b, _) = blocks("> - one\n> - two\n\n## Head\n");
        let Block::Quote(inner) = &b[0] else { panic!() };
        let Block::List { items, .. } = &inner[0] else {
            panic!()
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1][0], Block::Paragraph(r) if plain_text(r) == "two"));
        assert!(matches!(&b[1], Block::Heading { level: 2, .. }));
    }

    #[test]
    fn html_escaping_links_and_unrendered_constructs_are_refused() {
        for md in [
            "a <script>x</script>\n",
            "<div>\n",
            "a[^1]\n\n[^1]: b\n",
            "term\n: definition\n",
            "$x$\n",
            "- [ ] task\n",
            "# Head {#id}\n",
            "![](figures/a.png)\n",
            "text ![x](figures/a.png)\n",
            "| ![x](a.png) |\n|---|\n",
        ] {
            let (_, d) = blocks(md);
            assert!(d.has_errors(), "{md}");
        }
        let (_, d) = blocks("[x](https://example.org) and \\<b\\>\n");
        assert!(d.is_empty());
    }

    #[test]
    fn links_that_cannot_be_followed_keep_their_words_with_a_warning_naming_the_target() {
        use crate::model::Unfollowable;
        for (md, target, why) in [
            (
                "[x](../../etc/passwd)\n",
                "../../etc/passwd",
                Unfollowable::Relative,
            ),
            ("[x](/about)\n", "/about", Unfollowable::Relative),
            ("[x](#)\n", "#", Unfollowable::Empty),
            ("[x]()\n", "", Unfollowable::Empty),
            (
                "<file:///etc/shadow>\n",
                "file:///etc/shadow",
                Unfollowable::File,
            ),
            (
                "[x](javascript:alert(1))\n",
                "javascript:alert(1)",
                Unfollowable::NotWeb,
            ),
        ] {
            let (b, d) = blocks(md);
            assert!(!d.has_errors(), "{md}");
            assert_eq!(d.warning_count(), 1, "{md}");
            let warning = d.iter().next().unwrap();
            assert!(
                warning.message.contains(&format!("`{target}`")),
                "{warning:?}"
            );
            let Block::Paragraph(runs) = &b[0] else {
                panic!("{b:?}")
            };
            assert!(
                matches!(&runs[0], Inline::Text { link: Some(Link::Unfollowable { target: t, why: w }), .. } if t == target && *w == why),
                "{md}: {runs:?}"
            );
        }
        // A name in the book is decided when the book is complete; no warning yet.
        let (b, d) = blocks("[x](#smith-1999)\n");
        assert!(d.is_empty());
        assert!(
            matches!(&b[0], Block::Paragraph(r) if matches!(&r[0], Inline::Text { link: Some(Link::Place(p)), .. } if p == "smith-1999"))
        );
    }

    #[test]
    fn deep_nesting_stops_with_one_error() {
        let md = ">".repeat(5000) + " deep\n";
        let (_, d) = blocks(&md);
        assert_eq!(d.error_count(), 1);
    }

    #[test]
    fn tables_strikethrough_and_figures_are_read() {
        let (b, d) =
            blocks("| a | *b* |\n|:--|--:|\n| ~~c~~ | d |\n\n![Leaf](figures/l.png \"Cap\")\n");
        assert!(d.is_empty(), "{d:?}");
        let Block::Table(table) = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(table.align, [CellAlign::Left, CellAlign::Right]);
        assert_eq!(plain_text(&table.header[1]), "b");
        assert!(matches!(&table.rows[0][0][0], Inline::Text { style, .. } if style.strike));
        let Block::Figure(figure) = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(
            (figure.path.as_str(), figure.alt.as_str()),
            ("figures/l.png", "Leaf")
        );
        assert_eq!(plain_text(&figure.caption), "Cap");
    }

    #[test]
    fn only_editorial_text_gets_typographic_punctuation() {
        let md = "\"Quoted\" -- it's...\n";
        let (b, _) = blocks(md);
        assert!(matches!(&b[0], Block::Paragraph(r) if plain_text(r) == md.trim_end()));
        let mut diags = Diagnostics::default();
        let origin = Origin {
            file: FileId(0),
            base: 0,
            whole: None,
            editorial: true,
        };
        let mut b = parse(md, origin, &mut diags);
        assert!(matches!(&b[0], Block::Paragraph(r) if plain_text(r) == "“Quoted” – it’s…"));
        localise_quotes(&mut b, "de-AT");
        assert!(matches!(&b[0], Block::Paragraph(r) if plain_text(r) == "„Quoted“ – it’s…"));
    }

    #[test]
    fn hard_breaks_are_kept() {
        let (b, _) = blocks("one\\\ntwo\n");
        let Block::Paragraph(r) = &b[0] else { panic!() };
        assert!(r.contains(&Inline::LineBreak));
    }
}
