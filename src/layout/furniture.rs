//! Page furniture and assembly: the title page, the contents with page numbers, running heads
//! (edition title on versos, the part's title on rectos), folios, and the outline.

use std::collections::BTreeMap;

use super::blocks::{italic, Entry, Flow, FlowItem};
use super::footnotes::NoteLines;
use super::geometry::Geometry;
use super::pages::{paginate, PageBody};
use super::paragraph::{set_paragraph, Align, Frame, Line, ParStyle, Piece};
use super::shape::Shaper;
use super::{Destination, Item, LayoutError, LinkArea, LinkTarget, OutlineEntry, Page, Rect};
use crate::model::{Edition, Style};

/// How often the contents are set again when their page count changes the numbers.
const CONTENTS_ATTEMPTS: usize = 3;

/// Puts the title page and contents before the body pages, adds running heads and folios,
/// and lists the outline.
pub(crate) fn assemble(
    edition: &Edition,
    flow: &Flow,
    body: Vec<PageBody>,
    geometry: &Geometry,
    shaper: &mut Shaper,
) -> Result<(Vec<Page>, Vec<OutlineEntry>), LayoutError> {
    let title = title_page(edition, geometry, shaper)?;
    let body_pages = destinations(&body);
    let mut contents_count = 1;
    let mut contents = Vec::new();
    for _ in 0..CONTENTS_ATTEMPTS {
        let first_body = 1 + contents_count;
        contents = contents_pages(&flow.entries, &body_pages, first_body, geometry, shaper)?;
        if contents.len() == contents_count {
            break;
        }
        contents_count = contents.len();
    }
    let mut pages = Vec::with_capacity(2 + contents.len() + body.len());
    pages.push(finish(
        title,
        None,
        0,
        geometry,
        &edition.meta.title,
        shaper,
    )?);
    for page in contents.into_iter().chain(body) {
        let index = pages.len();
        pages.push(finish(
            page.frame,
            (!page.opener).then_some(page.running_head.as_str()),
            index,
            geometry,
            &edition.meta.title,
            shaper,
        )?);
    }
    let mut outline = vec![OutlineEntry {
        title: "Contents".into(),
        level: 0,
        destination: "contents".into(),
    }];
    outline.extend(flow.entries.iter().map(|e| OutlineEntry {
        title: e.title.clone(),
        level: e.level,
        destination: e.destination.clone(),
    }));
    Ok((pages, outline))
}

/// The body page index of each destination.
fn destinations(body: &[PageBody]) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (i, page) in body.iter().enumerate() {
        for item in &page.frame.items {
            if let Item::Destination(d) = item {
                map.entry(d.name.clone()).or_insert(i);
            }
        }
    }
    map
}

fn style(size: f32, geometry: &Geometry, align: Align) -> ParStyle {
    ParStyle {
        size,
        leading: (size * 1.3).max(geometry.leading),
        width: geometry.measure,
        indent: 0.0,
        align,
        hyphenate: false,
        emphasis: Style::default(),
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

fn title_page(edition: &Edition, g: &Geometry, shaper: &mut Shaper) -> Result<Frame, LayoutError> {
    let meta = &edition.meta;
    let mut frame = Frame {
        width: g.width,
        height: g.height,
        items: Vec::new(),
    };
    let mut y = g.top + g.body_height * 0.22;
    let mut block = |text: &str, size: f32, emphasis: Style, gap: f32, y: &mut f32| {
        let lines = set(text, emphasis, &style(size, g, Align::Center), shaper)?;
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
    block(
        &meta.editor,
        g.size * 1.1,
        Style::default(),
        g.leading * 0.5,
        &mut y,
    )?;
    let mut y_date = g.bottom() - g.leading * 2.0;
    block(&meta.date, g.size, Style::default(), 0.0, &mut y_date)?;
    frame.items.push(Item::Destination(Destination {
        name: "title".into(),
        x: 0.0,
        y: 0.0,
    }));
    Ok(frame)
}

/// The contents: one line per entry, page numbers flush right, each line a link.
fn contents_pages(
    entries: &[Entry],
    body_pages: &BTreeMap<String, usize>,
    first_body: usize,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<Vec<PageBody>, LayoutError> {
    let mut flow = vec![FlowItem::NewPage {
        running_head: "Contents".into(),
    }];
    let heading = set(
        "Contents",
        Style::default(),
        &style(g.size * 1.6, g, Align::Center),
        shaper,
    )?;
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
        });
    }
    let number_width = g.size * 3.0;
    for entry in entries {
        let folio = body_pages
            .get(&entry.destination)
            .map_or(String::new(), |p| (p + first_body + 1).to_string());
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
                    height: line.frame.height,
                },
                target: LinkTarget::Internal(entry.destination.clone()),
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
            });
        }
    }
    Ok(paginate(&mut flow, &mut NoteLines::new(), g))
}

/// A finished page: the body frame with its running head and folio.
fn finish(
    mut frame: Frame,
    running_head: Option<&str>,
    index: usize,
    g: &Geometry,
    edition_title: &str,
    shaper: &mut Shaper,
) -> Result<Page, LayoutError> {
    let folio = (index + 1).to_string();
    let small = g.size * 0.85;
    let verso = (index + 1).is_multiple_of(2);
    if let Some(part) = running_head {
        let head = if verso { edition_title } else { part };
        let lines = set(head, italic(), &style(small, g, Align::Center), shaper)?;
        if let Some(line) = lines.into_iter().next() {
            let y = g.head_baseline - (line.frame.height + 0.62 * small) / 2.0;
            frame.place(line.frame, g.left, y);
        }
    }
    if index > 0 {
        let lines = set(
            &folio,
            Style::default(),
            &style(small, g, Align::Center),
            shaper,
        )?;
        if let Some(line) = lines.into_iter().next() {
            let y = g.foot_baseline - (line.frame.height + 0.62 * small) / 2.0;
            frame.place(line.frame, g.left, y);
        }
    }
    Ok(Page {
        width: g.width,
        height: g.height,
        folio,
        items: frame.items,
    })
}
