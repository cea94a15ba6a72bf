//! Page furniture: the title page, the contents with page numbers, running heads (edition
//! title on versos, the part's title on rectos) and folios.

use super::blocks::{generated_part, italic, Entry, FlowItem};
use super::footnotes::NoteLines;
use super::geometry::Geometry;
use super::pages::{paginate, PageBody};
use super::paragraph::{set_paragraph, Align, Frame, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::structure::{self, Role, Step, Tag};
use super::{Destination, Item, LayoutError, LinkArea, LinkTarget, Page, Rect};
use crate::model::{Edition, Style};
use crate::page_list::PageStart;
use std::sync::Arc;

fn style(size: f32, geometry: &Geometry, align: Align) -> ParStyle {
    ParStyle {
        size,
        leading: (size * 1.3).max(geometry.leading),
        width: geometry.measure,
        indent: 0.0,
        align,
        hyphenate: None,
        emphasis: Style::default(),
        rtl: false,
    }
}

fn set(
    text: &str,
    emphasis: Style,
    style: &ParStyle,
    shaper: &mut Shaper,
) -> Result<Vec<Line>, LayoutError> {
    set_paragraph(
        &[Piece::plain(text, emphasis)],
        style,
        shaper,
        "the page furniture",
    )
}

pub(crate) fn title_page(
    edition: &Edition,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<Frame, LayoutError> {
    let meta = &edition.meta;
    let mut frame = Frame {
        width: g.width,
        height: g.height,
        items: Vec::new(),
    };
    let mut y = g.top + g.body_height * 0.22;
    let page = Step::new(Role::Sect, generated_part(5));
    let mut count = 0;
    let mut block = |text: &str, size: f32, emphasis: Style, gap: f32, y: &mut f32| {
        let mut lines = set(text, emphasis, &style(size, g, Align::Center), shaper)?;
        // The title is the page's heading; each other line a paragraph.
        let role = if count == 0 { Role::H(1) } else { Role::P };
        let path = Arc::from([page.clone(), Step::new(role, count)]);
        structure::root_lines(&mut lines, &path);
        count += 1;
        for line in lines {
            let height = line.frame.height;
            frame.place(line.frame, g.left, *y);
            *y += height;
        }
        *y += gap;
        Ok::<(), LayoutError>(())
    };
    block(
        &meta.title,
        g.size * 2.4,
        Style::default(),
        g.leading,
        &mut y,
    )?;
    if let Some(subtitle) = &meta.subtitle {
        block(subtitle, g.size * 1.3, italic(), g.leading * 3.0, &mut y)?;
    }
    if let Some(sigla) = &meta.selection {
        let selection = meta.labels.selection(sigla);
        block(&selection, g.size * 1.1, italic(), g.leading * 2.0, &mut y)?;
    }
    block(
        &meta.editor,
        g.size * 1.1,
        Style::default(),
        g.leading * 0.5,
        &mut y,
    )?;
    let mut y_date = g.bottom() - g.leading * 2.0;
    block(
        &crate::labels::human_date(&meta.date.to_string(), &meta.language),
        g.size,
        Style::default(),
        0.0,
        &mut y_date,
    )?;
    frame.items.push(Item::Destination(Destination {
        name: "title".into(),
        x: 0.0,
        y: 0.0,
    }));
    Ok(frame)
}

/// The contents: one line per entry, page numbers (`folio` of each destination) flush
/// right in a column of their own, each line a link. How many pages they fill depends on
/// the entries only, not on the numbers.
pub(crate) fn contents_pages(
    entries: &[Entry],
    title: &str,
    folio: &dyn Fn(&str) -> Option<usize>,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<Vec<PageBody>, LayoutError> {
    let mut flow = vec![FlowItem::NewPage {
        running_head: title.into(),
    }];
    let part = Step::new(Role::Sect, generated_part(6));
    let mut heading = set(
        title,
        Style::default(),
        &style(g.size * 1.6, g, Align::Center),
        shaper,
    )?;
    structure::root_lines(
        &mut heading,
        &Arc::from([part.clone(), Step::new(Role::H(1), 0)]),
    );
    for (i, mut line) in heading.into_iter().enumerate() {
        if i == 0 {
            line.frame.items.push(Item::Destination(Destination {
                name: "contents".into(),
                x: 0.0,
                y: 0.0,
            }));
        }
        flow.push(FlowItem::Line {
            line,
            space_before: 0.0,
            keep_with_next: true,
            repeat: None,
            at: Some(PageStart::Contents { entry: 0 }),
        });
    }
    let number_width = g.size * 3.0;
    for (k, entry) in entries.iter().enumerate() {
        // Each entry an item of the contents, its title and page number one link.
        let link: Arc<[Step]> = Arc::from([
            part.clone(),
            Step::new(Role::Toc, 0),
            Step::new(Role::Toci, k),
            Step::new(Role::Link, 0),
        ]);
        let folio = folio(&entry.destination).map_or(String::new(), |p| p.to_string());
        let indent = g.size * 1.5 * entry.level as f32;
        let mut title_style = style(g.size, g, Align::Left);
        title_style.width = g.measure - number_width - indent;
        let emphasis = if entry.level == 0 {
            Style::default()
        } else {
            italic()
        };
        let mut lines = set(&entry.title, emphasis, &title_style, shaper)?;
        let mut number = set(
            &folio,
            Style::default(),
            &{
                let mut s = style(g.size, g, Align::Right);
                s.width = number_width;
                s
            },
            shaper,
        )?;
        structure::root_lines(&mut lines, &link);
        structure::root_lines(&mut number, &link);
        let count = lines.len();
        for (i, line) in lines.iter_mut().enumerate() {
            let mut frame = Frame {
                width: g.measure,
                height: line.frame.height,
                items: Vec::new(),
            };
            frame.place(std::mem::take(&mut line.frame), indent, 0.0);
            if i + 1 == count {
                if let Some(n) = number.pop() {
                    frame.place(n.frame, g.measure - number_width, 0.0);
                }
            }
            frame.items.push(Item::Link(LinkArea {
                rect: Rect {
                    x: indent,
                    y: 0.0,
                    width: g.measure - indent,
                    height: frame.height,
                },
                target: LinkTarget::Internal(entry.destination.clone()),
                tag: Tag::Content(link.clone()),
            }));
            line.frame = frame;
        }
        let space = if entry.level == 0 {
            g.leading * 0.4
        } else {
            0.0
        };
        for (i, line) in lines.into_iter().enumerate() {
            flow.push(FlowItem::Line {
                line,
                space_before: if i == 0 { space } else { 0.0 },
                keep_with_next: i + 1 < count,
                repeat: None,
                at: Some(PageStart::Contents { entry: k + 1 }),
            });
        }
    }
    Ok(paginate(&mut flow, &mut NoteLines::default(), g))
}

/// Marks lines as page furniture (running heads, folios, margin numbers).
fn furniture_lines(lines: &mut [Line]) {
    for line in lines {
        structure::make_artifacts(&mut line.frame.items);
    }
}

/// The destination on the first line of paragraph `n` of the witness `sigil`, named as the
/// EPUB's id of the paragraph: `p-A-12`.
pub(crate) fn paragraph_destination(sigil: &str, n: u32) -> String {
    format!("p-{sigil}-{n}")
}

/// The paragraph number a destination of [`paragraph_destination`] names.
fn paragraph_number(name: &str) -> Option<&str> {
    let (sigil, n) = name.strip_prefix("p-")?.rsplit_once('-')?;
    let sigil_ok = sigil.starts_with(|c: char| c.is_ascii_uppercase())
        && sigil.chars().all(|c| c.is_ascii_alphanumeric());
    let number_ok = !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    (sigil_ok && number_ok).then_some(n)
}

/// The margin beside the text block: `outer` or inner, on a verso or a recto.
#[derive(Debug, Clone, Copy)]
struct Margin {
    outer: bool,
    verso: bool,
}

/// The citable numbers of the paragraphs that begin on the page, in the outer margin beside
/// their first lines, and the numbers of its numbered lines (`lines`, with their tops) in
/// the inner margin, so that the two never meet; small, page furniture like the folio, set
/// apart from the text block.
fn margin_numbers(
    frame: &mut Frame,
    lines: &[(u32, f32)],
    verso: bool,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), LayoutError> {
    let paragraphs: Vec<(String, f32)> = frame
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Destination(d) => paragraph_number(&d.name).map(|n| (n.to_owned(), d.y)),
            _ => None,
        })
        .collect();
    let outer = Margin { outer: true, verso };
    for (number, top) in paragraphs {
        margin_number(frame, &number, top, outer, g, shaper)?;
    }
    let inner = Margin {
        outer: false,
        verso,
    };
    for &(number, top) in lines {
        margin_number(frame, &number.to_string(), top, inner, g, shaper)?;
    }
    Ok(())
}

/// A number in `margin`, on the baseline of the body line whose top is `top`, and aligned
/// towards the text block.
fn margin_number(
    frame: &mut Frame,
    number: &str,
    top: f32,
    margin: Margin,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), LayoutError> {
    let small = g.size * 0.7;
    let width = g.size * 2.5;
    let gap = g.size * 0.9;
    // A verso's outer margin is on its left, a recto's on its right.
    let (align, x) = if margin.outer == margin.verso {
        (Align::Right, g.left - gap - width)
    } else {
        (Align::Left, g.left + g.measure + gap)
    };
    let mut number_style = style(small, g, align);
    number_style.width = width;
    let mut lines = set(number, Style::default(), &number_style, shaper)?;
    furniture_lines(&mut lines);
    if let Some(line) = lines.into_iter().next() {
        // On the body line's baseline, as the body's lines place theirs.
        let baseline = (g.leading + 0.62 * g.size) / 2.0;
        let own = (line.frame.height + 0.62 * small) / 2.0;
        frame.place(line.frame, x, top + baseline - own);
    }
    Ok(())
}

/// A finished page: the body frame with its margin numbers (its paragraphs', and `lines`,
/// its numbered lines with their tops), running head and folio (page `index` counts from 0),
/// beginning at `start` in the model.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    mut frame: Frame,
    lines: &[(u32, f32)],
    running_head: Option<&str>,
    index: usize,
    start: PageStart,
    g: &Geometry,
    edition_title: &str,
    shaper: &mut Shaper,
) -> Result<Page, LayoutError> {
    let folio = (index + 1).to_string();
    let small = g.size * 0.85;
    let verso = (index + 1).is_multiple_of(2);
    margin_numbers(&mut frame, lines, verso, g, shaper)?;
    if let Some(part) = running_head.filter(|_| g.running_heads) {
        let head = if verso { edition_title } else { part };
        let mut lines = set(head, italic(), &style(small, g, Align::Center), shaper)?;
        furniture_lines(&mut lines);
        if let Some(line) = lines.into_iter().next() {
            let y = g.head_baseline - (line.frame.height + 0.62 * small) / 2.0;
            frame.place(line.frame, g.left, y);
        }
    }
    if index > 0 {
        let mut lines = set(
            &folio,
            Style::default(),
            &style(small, g, Align::Center),
            shaper,
        )?;
        furniture_lines(&mut lines);
        if let Some(line) = lines.into_iter().next() {
            let y = g.foot_baseline - (line.frame.height + 0.62 * small) / 2.0;
            frame.place(line.frame, g.left, y);
        }
    }
    // Everything was placed on the recto's text block; a two-sided design moves a verso's
    // over to its own, the running head and folio with it.
    let shift = g.verso_left - g.left;
    if verso && shift != 0.0 {
        for item in &mut frame.items {
            super::paragraph::translate(item, shift, 0.0);
        }
    }
    Ok(Page {
        width: g.width,
        height: g.height,
        folio,
        items: frame.items,
        start,
    })
}

/// The cover: the image as large as the page allows, centred, its proportions kept. Its
/// folio, never printed, labels it in viewers.
pub(crate) fn cover_page(
    image: &std::sync::Arc<super::ImageData>,
    alt: &str,
    g: &Geometry,
) -> Page {
    let aspect = image.pixel_width as f32 / image.pixel_height.max(1) as f32;
    let (width, height) = if g.width / g.height > aspect {
        (g.height * aspect, g.height)
    } else {
        (g.width, g.width / aspect)
    };
    Page {
        width: g.width,
        height: g.height,
        folio: COVER_LABEL.to_owned(),
        items: vec![Item::Image {
            x: (g.width - width) / 2.0,
            y: (g.height - height) / 2.0,
            width,
            height,
            image: image.clone(),
            alt: alt.to_owned(),
            tag: Tag::Content(Arc::from([Step::new(Role::Figure, 0).with_alt(alt)])),
        }],
        start: PageStart::Cover,
    }
}

/// The cover's page label.
pub(crate) const COVER_LABEL: &str = "Cover";
