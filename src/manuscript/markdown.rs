//! CommonMark text into [`Block`]s of [`Inline`] runs with source spans.
//!
//! Raw HTML and images are refused, links may only point to the web or be empty (`#`), and
//! nesting is capped, so that nothing from a manuscript reaches an output unchecked and no
//! renderer has to recurse without bound.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Inline, Style};
use crate::source::{FileId, Span};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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
        links: Vec::new(),
        too_deep: false,
        in_html_block: false,
        html_reported: false,
    };
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        // An HTML block is shown by its first line.
        let range = match event {
            Event::Start(Tag::HtmlBlock) => {
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
    builder.finish()
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
}

struct Builder {
    origin: Origin,
    open: Vec<Open>,
    italic: usize,
    bold: usize,
    links: Vec<String>,
    too_deep: bool,
    /// Inside a raw HTML block, already reported as a whole.
    in_html_block: bool,
    /// Raw inline HTML was reported in the current block: one report a paragraph is enough.
    html_reported: bool,
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
        match event {
            Event::Start(tag) => self.start(tag, span)?,
            Event::End(end) => self.end(end),
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
            other => {
                return Err(Box::new(
                    Diagnostic::error(format!("unsupported Markdown element ({other:?})"))
                        .at(span, "not supported"),
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
            Tag::Heading { level, .. } => Open::Heading {
                level: level as u8,
                content: Vec::new(),
            },
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
            Tag::Link { dest_url, .. } => {
                check_link(&dest_url).map_err(|why| {
                    Box::new(Diagnostic::error(format!("link target `{dest_url}` {why}"))
                        .at(span, "link")
                        .hint("link to a web address (`https://…`), or write `#` to keep only the link text"))
                })?;
                self.links.push(dest_url.into_string());
                return Ok(());
            }
            Tag::Image { dest_url, .. } => {
                return Err(Box::new(
                    Diagnostic::error(format!(
                        "images are not supported (`{dest_url}` is not read or fetched)"
                    ))
                    .at(span, "image")
                    .hint("describe the image in words, or link to it with `[text](https://…)`"),
                ));
            }
            Tag::HtmlBlock => {
                self.in_html_block = true;
                return Err(raw_html(span));
            }
            other => {
                return Err(Box::new(
                    Diagnostic::error(format!("unsupported Markdown element ({other:?})"))
                        .at(span, "not supported"),
                ))
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

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
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
    }

    /// Turns a closed container into a block of its parent.
    fn finish_open(&mut self, open: Open) {
        let block = match open {
            Open::Paragraph { content, .. } => Block::Paragraph(content),
            Open::Heading { level, content } => Block::Heading { level, content },
            Open::Quote(blocks) => Block::Quote(blocks),
            Open::List { start, items } => Block::List { start, items },
            Open::Code(text) => Block::Code(text),
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
            Some(Open::Paragraph { .. } | Open::Heading { .. })
        ) {
            self.open.push(Open::Paragraph {
                content: Vec::new(),
                implicit: true,
            });
        }
        if let Some(Open::Paragraph { content, .. } | Open::Heading { content, .. }) =
            self.open.last_mut()
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

/// Links may go to the web or nowhere (`#`, a fragment); never to files.
fn check_link(dest: &str) -> Result<(), &'static str> {
    let lower = dest.trim().to_ascii_lowercase();
    if lower.is_empty() || lower.starts_with('#') {
        return Ok(());
    }
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Ok(());
    }
    if lower.starts_with('/') || lower.starts_with("file:") || lower.contains("..") {
        return Err("points outside the edition");
    }
    Err("is not a web address; links to files are not followed")
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
        };
        (parse(md, origin, &mut diags), diags)
    }

    #[test]
    fn paragraphs_keep_styles_links_and_spans() {
        let (b, d) = blocks("Cut the *Gordian* knots [here](#).\nNext line.\n");
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
            .any(|r| matches!(r, Inline::Text { link: Some(l), .. } if l == "#")));
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
    fn html_images_and_escaping_links_are_refused() {
        for md in [
            "a <script>x</script>\n",
            "<div>\n",
            "![x](https://example.org/a.png)\n",
            "[x](../../etc/passwd)\n",
            "[x](/etc/passwd)\n",
        ] {
            let (_, d) = blocks(md);
            assert!(d.has_errors(), "{md}");
        }
        let (_, d) = blocks("[x](https://example.org) and \\<b\\>\n");
        assert!(d.is_empty());
    }

    #[test]
    fn deep_nesting_stops_with_one_error() {
        let md = ">".repeat(5000) + " deep\n";
        let (_, d) = blocks(&md);
        assert_eq!(d.error_count(), 1);
    }

    #[test]
    fn hard_breaks_are_kept() {
        let (b, _) = blocks("one\\\ntwo\n");
        let Block::Paragraph(r) = &b[0] else { panic!() };
        assert!(r.contains(&Inline::LineBreak));
    }
}
